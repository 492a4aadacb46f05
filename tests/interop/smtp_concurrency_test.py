"""Interop (issue #16): 20 SMTP sessions deliver at once to `mailsim serve`, whose deliveries are parked, batched on
its store worker and group-committed (sim/StoreWorker.hpp, sim/store/maildir/MaildirDeliver.cpp). Every message answered
250 must be a complete file in the Maildir, exactly once, even when the server is killed with SIGKILL in the middle
of the load; the Maildir then serves again, with the same UIDs (the delivery journal,
sim/store/maildir/DeliveryJournal.hpp, replays what the crash left unsettled).

Half of the clients reuse their connection for every message, the other half open a new connection per message
(the two shapes of the benchmark); each client comes from its own loopback address, so the per-address cap does not
apply. Every wait is bounded. usage: smtp_concurrency_test.py PATH/TO/mailsim
"""
import os
import socket
import sys
import threading
import time

from mailsim_server import MailsimServer

TIMEOUT = 20
BINARY = sys.argv[1]
SESSIONS = 20
ENOUGH = 300  # acknowledged messages before the SIGKILL


def recv_line(sock):
    """One reply (up to CRLF, bounded by the socket timeout); b"" on EOF."""
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    return data


def open_session(port, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((f"127.0.0.{2 + n}", 0))
    s.settimeout(TIMEOUT)
    s.connect(("127.0.0.1", port))
    assert recv_line(s).startswith(b"220")
    s.sendall(b"EHLO load\r\n")
    reply = b""
    while b"250 " not in reply:
        chunk = s.recv(4096)
        assert chunk, "EOF after EHLO"
        reply += chunk
    return s


def send_message(s, tag):
    """True when the message was answered 250."""
    for command, code in ((b"MAIL FROM:<mike@cesoo.com>\r\n", b"250"), (b"RCPT TO:<rose@cesoo.com>\r\n", b"250"),
                          (b"DATA\r\n", b"354")):
        s.sendall(command)
        if not recv_line(s).startswith(code):
            return False
    s.sendall(f"Subject: {tag}\r\nMessage-ID: <{tag}@load>\r\n\r\nbody of {tag}\r\nlast line {tag}\r\n.\r\n".encode())
    return recv_line(s).startswith(b"250")


def run_load(srv, acked, lock, enough, stop):
    def client(n):
        reuse = n % 2 == 0
        s = None
        try:
            for i in range(100_000):
                if stop.is_set():
                    return
                if s is None:
                    s = open_session(srv.port, n)
                tag = f"load-{n}-{i}"
                if not send_message(s, tag):
                    return
                with lock:
                    acked.append(tag)
                    if len(acked) >= ENOUGH:
                        enough.set()
                if not reuse:
                    s.sendall(b"QUIT\r\n")
                    recv_line(s)
                    s.close()
                    s = None
        except OSError:
            return  # the server was killed under us

    threads = [threading.Thread(target=client, args=(n,)) for n in range(SESSIONS)]
    for t in threads:
        t.start()
    return threads


def stored_messages(srv):
    """tag -> number of complete files holding it (a complete file ends with its last line)."""
    found = {}
    for path in srv.mailbox_files("rose@cesoo.com", "new") + srv.mailbox_files("rose@cesoo.com", "cur"):
        with open(path, "rb") as f:
            text = f.read().decode()
        for line in text.splitlines():
            if line.startswith("Subject: load-"):
                tag = line[len("Subject: "):]
                if text.endswith(f"last line {tag}\n"):
                    found[tag] = found.get(tag, 0) + 1
    return found


def uid_list(srv):
    """base name -> UID, from rose's mailsim-uidlist (the record of UIDs, MaildirFormat.hpp)."""
    uids = {}
    with open(os.path.join(srv.maildir, "rose@cesoo.com", "mailsim-uidlist"), encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            uid, _, base = line.partition(" ")
            if uid.isdigit():
                uids[base] = int(uid)
    return uids


def tag_bases(srv):
    """tag -> base name of the file holding it."""
    bases = {}
    for path in srv.mailbox_files("rose@cesoo.com", "new") + srv.mailbox_files("rose@cesoo.com", "cur"):
        with open(path, "rb") as f:
            for line in f.read().decode().splitlines():
                if line.startswith("Subject: load-"):
                    bases[line[len("Subject: "):]] = os.path.basename(path).split(":")[0]
    return bases


def test_twenty_sessions_sigkill():
    with MailsimServer(BINARY, extra_args=["--no-tls", "--max-per-address", "4"]) as srv:
        acked, lock, enough, stop = [], threading.Lock(), threading.Event(), threading.Event()
        threads = run_load(srv, acked, lock, enough, stop)
        assert enough.wait(120), f"only {len(acked)} messages acknowledged"
        srv.proc.kill()  # SIGKILL in the middle of the load: no goodbye, no flush
        srv.proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=TIMEOUT)
        with lock:
            answered = list(acked)
        found = stored_messages(srv)
        missing = [t for t in answered if t not in found]
        doubled = [t for t, n in found.items() if n > 1]
        clients = {t.split("-")[1] for t in answered}
        print(f"SIGKILL after {len(answered)} acknowledged messages from {len(clients)} sessions: "
              f"{len(found)} complete files, {len(missing)} missing, {len(doubled)} stored twice")
        assert len(clients) == SESSIONS, clients  # every session got its messages through
        assert not missing, missing[:10]
        assert not doubled, doubled[:10]
        # Every acknowledged message has its UID (the delivery journal's Maildir steps ran before the 250, without
        # fsync: a killed process loses none of them).
        uids_before, bases = uid_list(srv), tag_bases(srv)
        assert all(bases[t] in uids_before for t in answered)
        # The same Maildir serves again after the crash (replaying the unsettled journal records first), and one
        # more delivery syncs the folder: the UIDs are the same, no message came twice.
        srv.start()
        s = open_session(srv.port, 0)
        assert send_message(s, "after-restart")
        s.close()
        uids_after = uid_list(srv)
        assert all(uids_after.get(base) == uid for base, uid in uids_before.items()), "UIDs changed on restart"
        found = stored_messages(srv)
        assert not [t for t, n in found.items() if n > 1]
        assert not [t for t in answered if t not in found]
        assert "copies redone" not in srv.stderr() or "; 0 copies redone" in srv.stderr(), srv.stderr()
        assert srv.terminate() == 0


def test_twenty_sessions_all_answered():
    """Without a crash: every message of every session is answered 250 and stored once; then a clean stop."""
    with MailsimServer(BINARY, extra_args=["--no-tls", "--max-per-address", "4"]) as srv:
        acked, lock, enough, stop = [], threading.Lock(), threading.Event(), threading.Event()
        threads = run_load(srv, acked, lock, enough, stop)
        assert enough.wait(120), f"only {len(acked)} messages acknowledged"
        stop.set()
        for t in threads:
            t.join(timeout=TIMEOUT)
        assert srv.terminate() == 0
        with lock:
            answered = list(acked)
        found = stored_messages(srv)
        assert sorted(found) == sorted(answered), (len(found), len(answered))
        assert all(n == 1 for n in found.values())
        print(f"{len(answered)} messages from {SESSIONS} sessions, each stored once")


if __name__ == "__main__":
    only = sys.argv[2:]
    for name, fn in list(globals().items()):
        if name.startswith("test_") and (not only or name in only):
            print(f"-- {name}", flush=True)
            start = time.monotonic()
            fn()
            print(f"   {time.monotonic() - start:.1f} s", flush=True)
    print("ok")
