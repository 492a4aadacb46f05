"""Interop: python's imaplib against `mailsim serve` on loopback with CONDSTORE and QRESYNC (RFC 7162).

A phone reads the mailbox and remembers UIDVALIDITY and HIGHESTMODSEQ; a laptop flags and expunges meanwhile; the
phone comes back with ENABLE QRESYNC and one SELECT ... (QRESYNC (...)) that tells it what vanished and which flags
changed. Then UID FETCH (CHANGEDSINCE n VANISHED), STORE (UNCHANGEDSINCE n) with [MODIFIED], SEARCH MODSEQ, STATUS
HIGHESTMODSEQ and VANISHED instead of EXPUNGE. Every wait is bounded (socket timeouts, no sleeps); the server is
stopped with SIGTERM at the end.

usage: condstore_test.py PATH/TO/mailsim
"""
import imaplib
import os
import re
import smtplib
import socket
import sys

from mailsim_server import MailsimServer

TIMEOUT = 20
imaplib.Commands.setdefault("ENABLE", ("AUTH",))


def message(n):
    return f"From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: note {n}\r\n\r\nNote number {n}\r\n"


def connect(srv):
    m = imaplib.IMAP4(srv.host, srv.imap_port, timeout=TIMEOUT)
    typ, _ = m.login("rose@cesoo.com", "rose123")
    assert typ == "OK"
    return m


def ok(result):
    typ, data = result
    assert typ == "OK", (typ, data)
    return data


def untagged(m, name):
    """The untagged responses of that kind since the last command (imaplib keeps them by name)."""
    return m.untagged_responses.pop(name, [])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: condstore_test.py PATH/TO/mailsim")
    socket.setdefaulttimeout(TIMEOUT)
    mailsim = os.path.abspath(sys.argv[1])
    with MailsimServer(mailsim, imap="127.0.0.1:0", extra_args=["--allow-plaintext-auth"]) as srv:
        with smtplib.SMTP(srv.host, srv.port, timeout=TIMEOUT) as s:
            for n in range(1, 7):
                assert s.sendmail("mike@cesoo.com", ["rose@cesoo.com"], message(n).encode()) == {}

        # The phone's first visit: it keeps UIDVALIDITY and HIGHESTMODSEQ.
        phone = connect(srv)
        caps = ok(phone.capability())[0].split()
        assert b"CONDSTORE" in caps and b"QRESYNC" in caps, caps
        assert ok(phone.select("INBOX")) == [b"6"]
        validity = int(phone.response("UIDVALIDITY")[1][0])
        highest = int(phone.response("HIGHESTMODSEQ")[1][0])
        phone.logout()

        # The laptop meanwhile: one message read, two deleted and expunged.
        laptop = connect(srv)
        ok(laptop.select("INBOX"))
        ok(laptop.store("2", "+FLAGS", "(\\Seen)"))
        ok(laptop.store("4:5", "+FLAGS.SILENT", "(\\Deleted)"))
        ok(laptop.expunge())
        laptop.logout()

        # The phone resynchronises in one round trip (RFC 7162 3.2.5).
        phone = connect(srv)
        assert ok(phone._simple_command("ENABLE", "QRESYNC")) and untagged(phone, "ENABLED") == [b"QRESYNC"]
        typ, _ = phone._simple_command("SELECT", "INBOX", f"(QRESYNC ({validity} {highest} 1:6))")
        assert typ == "OK", typ
        phone.state = "SELECTED"  # imaplib's select() cannot send the parameter
        assert untagged(phone, "VANISHED") == [b"(EARLIER) 4:5"]
        fetches = untagged(phone, "FETCH")
        assert len(fetches) == 1 and re.fullmatch(rb"2 \(UID 2 FLAGS \(\\Seen\) MODSEQ \(\d+\)\)", fetches[0]), fetches
        new_highest = int(untagged(phone, "HIGHESTMODSEQ")[0])
        assert new_highest > highest

        # The same answer by UID FETCH (CHANGEDSINCE n VANISHED) (RFC 7162 3.2.6).
        data = ok(phone.uid("FETCH", "1:*", f"(FLAGS) (CHANGEDSINCE {highest} VANISHED)"))
        assert untagged(phone, "VANISHED") == [b"(EARLIER) 4:5"], data
        assert len(data) == 1 and b"UID 2 FLAGS (\\Seen) MODSEQ" in data[0], data

        # STORE (UNCHANGEDSINCE n): message 2 changed after `highest`, so it is not touched (RFC 7162 3.1.3).
        typ, data = phone.uid("STORE", "1,2", f"(UNCHANGEDSINCE {highest}) +FLAGS.SILENT (\\Flagged)")
        assert typ == "OK" and untagged(phone, "MODIFIED") == [b"2"], (typ, data)
        flags = ok(phone.uid("FETCH", "1:2", "(FLAGS)"))
        assert b"\\Flagged" in flags[0] and b"\\Flagged" not in flags[1], flags

        # SEARCH MODSEQ (RFC 7162 3.1.5): what changed after the old HIGHESTMODSEQ, with the highest of them.
        found = ok(phone.uid("SEARCH", "MODSEQ", str(highest + 1)))[0]
        assert re.fullmatch(rb"1 2 \(MODSEQ \d+\)", found), found
        status = ok(phone.status("INBOX", "(MESSAGES HIGHESTMODSEQ)"))[0]
        assert re.search(rb"\(MESSAGES 4 HIGHESTMODSEQ \d+\)", status), status

        # Once QRESYNC is on, an expunge is reported as VANISHED with UIDs (RFC 7162 3.2.10).
        ok(phone.uid("STORE", "3", "+FLAGS.SILENT (\\Deleted)"))
        phone.expunge()
        assert untagged(phone, "VANISHED") == [b"3"]
        phone.logout()
        out = srv.stdout()
        assert "VANISHED (EARLIER) 4:5" in out, out[-2000:]
        assert srv.terminate() == 0
    print("ok: imaplib ENABLE QRESYNC, SELECT (QRESYNC ...) with VANISHED (EARLIER) and FETCH MODSEQ, UID FETCH "
          "(CHANGEDSINCE VANISHED), STORE (UNCHANGEDSINCE) [MODIFIED], SEARCH MODSEQ, STATUS HIGHESTMODSEQ, VANISHED")


if __name__ == "__main__":
    main()
