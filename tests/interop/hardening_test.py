"""Interop (issue #12, server side): one client must never take `mailsim serve` down, on real loopback sockets.

- memory: 20 MB of short lines in DATA; the server's peak RSS (VmHWM) grows by less than 100 MB and its log stays small
- connection slots: 300 connections from 15 source addresses (127.0.0.2-16); a new address on the same listener and
  a client of another listener are still greeted; over the per-address and per-listener caps the goodbye says
  "too many connections"
- slowloris: a client trickling 1 byte every 0.3 s (port-25 command, inside DATA, logged-in IMAP) is closed by the
  per-command deadline (set to 1 s); a silent port-25 client by the greeting deadline
- IMAP literals before login are capped at 4096 octets (tagged BAD before any "+"); a 300-character mailbox name
  gets a clean NO
- TLS: close_notify is answered and the connection closed; TLS 1.2 offers AEAD suites only

Every wait is bounded (socket timeouts, counted loops); the only sleeps pace the slow client itself, and every
assertion is on what the server sent. usage: hardening_test.py PATH/TO/mailsim
"""
import os
import socket
import ssl
import sys
import threading
import time

from mailsim_server import MailsimServer

TIMEOUT = 20
BINARY = sys.argv[1]


def recv_until(sock, needle, limit=TIMEOUT):
    """Reads until `needle` (bytes) is in what was received, EOF, or the deadline; returns everything read."""
    sock.settimeout(limit)
    data = b""
    end = time.monotonic() + limit
    while needle not in data and time.monotonic() < end:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    return data


def connect(port, source=None, host="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if source:
        s.bind((source, 0))
    s.settimeout(TIMEOUT)
    s.connect((host, port))
    return s


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def smtp_to_data(s):
    assert recv_until(s, b"\r\n").startswith(b"220")
    s.sendall(b"EHLO client\r\nMAIL FROM:<mike@cesoo.com>\r\nRCPT TO:<rose@cesoo.com>\r\nDATA\r\n")
    got = recv_until(s, b"354")
    assert b"354" in got, got


def test_data_memory():
    # ASan keeps freed memory in a quarantine (256 MB by default), which would count as RSS growth.
    os.environ["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=8"
    with MailsimServer(BINARY, extra_args=["--no-tls"]) as srv:
        s = connect(srv.port)
        smtp_to_data(s)
        before = vm_hwm_kib(srv.proc.pid)
        chunk = b"0123456789\r\n" * 87382  # ~1 MiB of 10-octet lines
        for _ in range(20):
            s.sendall(chunk)
        s.sendall(b".\r\n")
        reply = recv_until(s, b"\r\n", 120)
        assert reply.startswith(b"552"), reply  # over the 10 MB limit: refused, and nothing kept past it
        after = vm_hwm_kib(srv.proc.pid)
        growth_mb = (after - before) / 1024
        print(f"DATA of 20 MiB in 10-octet lines: VmHWM {before // 1024} MB -> {after // 1024} MB "
              f"(+{growth_mb:.0f} MB); log {os.path.getsize(srv.out_path)} octets")
        assert growth_mb < 100, growth_mb
        assert os.path.getsize(srv.out_path) < 2_000_000, os.path.getsize(srv.out_path)
        srv.wait_for_stdout("not recorded in the trace")
        s.close()
        assert srv.terminate() == 0


def test_connection_slots():
    with MailsimServer(BINARY, extra_args=["--no-tls"], imap="127.0.0.1:0") as srv:
        held = []
        for a in range(2, 17):
            for _ in range(20):
                held.append(connect(srv.port, f"127.0.0.{a}"))
        greeted = sum(1 for s in held if recv_until(s, b"\r\n").startswith(b"220"))
        assert greeted == 300, greeted
        fresh = connect(srv.port, "127.0.0.17")
        assert recv_until(fresh, b"\r\n").startswith(b"220 ")
        imap = connect(srv.imap_port, "127.0.0.18")
        assert recv_until(imap, b"\r\n").startswith(b"* OK")
        over = connect(srv.port, "127.0.0.2")  # the 21st from one address
        got = recv_until(over, b"\r\n")
        assert got.startswith(b"421") and b"too many connections" in got, got
        for s in held + [fresh, imap, over]:
            s.close()
        assert srv.terminate() == 0
    # A per-listener cap: a flood on the SMTP listener leaves the IMAP listener's share alone.
    with MailsimServer(BINARY, extra_args=["--no-tls", "--max-connections", "100"], imap="127.0.0.1:0") as srv:
        held = [connect(srv.port, f"127.0.0.{a}") for a in range(2, 17) for _ in range(20)]
        greetings = [recv_until(s, b"\r\n") for s in held]
        refused = [g for g in greetings if g.startswith(b"421") and b"too many connections" in g]
        assert sum(1 for g in greetings if g.startswith(b"220")) == 100, greetings[:3]
        assert len(refused) == 200, len(refused)
        imap = connect(srv.imap_port, "127.0.0.18")
        assert recv_until(imap, b"\r\n").startswith(b"* OK")
        imap.close()
        for s in held:
            s.close()
        assert srv.terminate() == 0


def trickle(sock, payload, expect):
    """Sends `payload` one octet every 0.3 s until the server says `expect` (bytes); returns what it said."""
    sock.setblocking(False)
    got = b""
    for i in range(60):  # 18 s at most, far beyond the 1 s deadline
        try:
            sock.send(payload[i % len(payload):i % len(payload) + 1])
        except (BrokenPipeError, ConnectionResetError):
            break
        time.sleep(0.3)
        try:
            chunk = sock.recv(4096)
            if not chunk:
                break
            got += chunk
        except BlockingIOError:
            pass
        except ConnectionResetError:
            break
        if expect in got:
            break
    sock.setblocking(True)
    return got + recv_until(sock, b"\x00", 5)  # the rest, up to EOF


def test_slowloris():
    args = ["--no-tls", "--command-timeout", "1", "--greeting-timeout", "1", "--login-timeout", "30"]
    with MailsimServer(BINARY, extra_args=args, imap="127.0.0.1:0") as srv:
        # a port-25 command line that never ends
        s = connect(srv.port)
        assert recv_until(s, b"\r\n").startswith(b"220")
        got = trickle(s, b"EHLO slowly-slowly-slowly", b"421")
        assert b"421 4.4.2" in got or b"421 " in got, got
        assert b"timeout" in got, got
        # inside DATA
        s = connect(srv.port)
        smtp_to_data(s)
        got = trickle(s, b"Subject: slow\r\n", b"421")
        assert b"421" in got and b"timeout" in got, got
        # a logged-in IMAP session trickling a command
        s = connect(srv.imap_port)
        assert recv_until(s, b"\r\n").startswith(b"* OK")
        s.sendall(b"a LOGIN rose@cesoo.com rose123\r\n")
        assert b"a OK" in recv_until(s, b"a OK")
        got = trickle(s, b"b NOOP-NOOP-NOOP", b"* BYE")
        assert b"* BYE command not completed in time" in got, got
        # port 25: no command at all within the greeting deadline
        s = connect(srv.port)
        got = recv_until(s, b"421", 10)
        assert b"421" in got and b"timeout" in got, got
        srv.wait_for_stdout("no command within 1 s of the greeting")
        assert srv.terminate() == 0


def test_imap_limits():
    with MailsimServer(BINARY, extra_args=["--no-tls"], imap="127.0.0.1:0") as srv:
        s = connect(srv.imap_port)
        assert recv_until(s, b"\r\n").startswith(b"* OK")
        s.sendall(b"a LOGIN {10000000}\r\n")
        got = recv_until(s, b"\r\n")
        assert got.startswith(b"a BAD [TOOBIG]") and b"limit 4096" in got, got  # refused before any "+"
        s.sendall(b"b LOGIN {5000+}\r\n" + b"x" * 5000 + b" y\r\n")  # LITERAL+: skipped by counting
        got = recv_until(s, b"\r\n")
        assert got.startswith(b"b BAD [TOOBIG]"), got
        s.sendall(b"c LOGIN {14}\r\n")
        assert recv_until(s, b"\r\n").startswith(b"+ ")  # small literals still work
        s.sendall(b"rose@cesoo.com rose123\r\n")
        assert b"c OK" in recv_until(s, b"c OK")
        s.sendall(b"d CREATE " + b"x" * 300 + b"\r\n")
        got = recv_until(s, b"\r\n")
        assert got.startswith(b"d NO [CANNOT]") and b"300 octets long (the limit is 200)" in got, got
        s.close()
        assert srv.terminate() == 0


def test_tls():
    with MailsimServer(BINARY, listeners=[("imaps", "127.0.0.1:0")]) as srv:
        port = srv.ports["imaps"]
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        raw = connect(port)
        tls = ctx.wrap_socket(raw)
        assert recv_until(tls, b"\r\n").startswith(b"* OK")
        plain = tls.unwrap()  # sends close_notify, waits for the server's
        plain.settimeout(TIMEOUT)
        assert plain.recv(100) == b""  # ... and the server closed the connection
        plain.close()
        srv.wait_for_stdout("the client sent a TLS close_notify alert")
        # TLS 1.2: a CBC/SHA-1 suite is refused, an ECDHE AEAD suite accepted
        for cipher, works in (("AES128-SHA", False), ("ECDHE-ECDSA-AES128-SHA", False),
                              ("ECDHE-ECDSA-AES128-GCM-SHA256", True)):
            ctx12 = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx12.check_hostname = False
            ctx12.verify_mode = ssl.CERT_NONE
            ctx12.maximum_version = ssl.TLSVersion.TLSv1_2
            ctx12.set_ciphers(cipher)
            raw = connect(port)
            try:
                with ctx12.wrap_socket(raw) as t:
                    ok = recv_until(t, b"\r\n").startswith(b"* OK")
            except (ssl.SSLError, ConnectionResetError):
                ok = False
            assert ok == works, (cipher, ok)
        assert srv.terminate() == 0


def test_durability_sigkill():
    """SIGKILL during an SMTP load from 4 clients: every message answered 250 is in the Maildir after the crash."""
    with MailsimServer(BINARY, extra_args=["--no-tls"]) as srv:
        acked, lock, enough, stop = [], threading.Lock(), threading.Event(), threading.Event()

        def client(n):
            try:
                s = connect(srv.port)
                assert recv_until(s, b"\r\n").startswith(b"220")
                s.sendall(b"EHLO load\r\n")
                recv_until(s, b"250 ")
                for i in range(10_000):
                    if stop.is_set():
                        return
                    tag = f"durability-{n}-{i}"
                    s.sendall(b"MAIL FROM:<mike@cesoo.com>\r\n")
                    if not recv_until(s, b"\r\n").startswith(b"250"):
                        return
                    s.sendall(b"RCPT TO:<rose@cesoo.com>\r\n")
                    if not recv_until(s, b"\r\n").startswith(b"250"):
                        return
                    s.sendall(b"DATA\r\n")
                    if not recv_until(s, b"\r\n").startswith(b"354"):
                        return
                    s.sendall(f"Subject: {tag}\r\n\r\nbody {tag}\r\n.\r\n".encode())
                    if recv_until(s, b"\r\n").startswith(b"250"):
                        with lock:
                            acked.append(tag)
                            if len(acked) >= 40:
                                enough.set()
                    else:
                        return
            except OSError:
                return  # the server was killed under us

        threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        assert enough.wait(60), f"only {len(acked)} messages acknowledged"
        srv.proc.kill()  # SIGKILL: no goodbye, no flush
        srv.proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=TIMEOUT)
        with lock:
            answered = list(acked)
        stored = set()
        for path in srv.mailbox_files("rose@cesoo.com", "new") + srv.mailbox_files("rose@cesoo.com", "cur"):
            with open(path, "rb") as f:
                for line in f.read().splitlines():
                    if line.startswith(b"Subject: durability-"):
                        stored.add(line[len("Subject: "):].decode())
        missing = [t for t in answered if t not in stored]
        print(f"SIGKILL after {len(answered)} acknowledged messages: {len(stored)} stored, {len(missing)} missing")
        assert not missing, missing
        srv.start()  # the same Maildir serves again after the crash
        s = connect(srv.port)
        assert recv_until(s, b"\r\n").startswith(b"220")
        s.close()
        assert srv.terminate() == 0


if __name__ == "__main__":
    only = sys.argv[2:]
    for name, fn in list(globals().items()):
        if name.startswith("test_") and (not only or name in only):
            print(f"-- {name}", flush=True)
            fn()
    print("ok")
