"""Interop: python's poplib and curl's pop3:// client against `mailsim serve --smtp ... --pop3 ...` on loopback.

Mail is delivered with smtplib to the same server process, so the test also proves SMTP -> Maildir -> POP3.
Every wait is bounded; the server is always killed at the end (MailsimServer's context manager).

usage: pop3_test.py PATH/TO/mailsim [PATH/TO/curl]
"""
import os
import poplib
import smtplib
import subprocess
import sys

from mailsim_server import MailsimServer

TIMEOUT = 20

MESSAGE_1 = "From: mike@cesoo.com\r\nTo: rose@cesoo.com\r\nSubject: first\r\n\r\nI love you, Rose\r\n.\r\n..two dots\r\n"
MESSAGE_2 = "From: mike@cesoo.com\r\nTo: rose@cesoo.com\r\nSubject: second\r\n\r\nDinner at seven?\r\n"


def deliver(srv, body):
    with smtplib.SMTP(srv.host, srv.port, timeout=TIMEOUT) as s:
        refused = s.sendmail("mike@cesoo.com", ["rose@cesoo.com"], body.encode())
        assert refused == {}, refused


def pop(srv):
    return poplib.POP3(srv.host, srv.pop3_port, timeout=TIMEOUT)


def check_poplib(srv):
    deliver(srv, MESSAGE_1)
    deliver(srv, MESSAGE_2)

    # USER/PASS, STAT/LIST/UIDL/TOP/RETR.
    p = pop(srv)
    assert p.getwelcome().startswith(b"+OK "), p.getwelcome()
    assert p.user("rose@cesoo.com").startswith(b"+OK")
    assert p.pass_("rose123").startswith(b"+OK")
    count, octets = p.stat()
    assert count == 2, count
    _, listing, _ = p.list()
    sizes = [int(l.split()[1]) for l in listing]
    assert sum(sizes) == octets, (sizes, octets)
    _, uidls, _ = p.uidl()
    assert len(uidls) == 2 and uidls[0] != uidls[1], uidls
    _, top, _ = p.top(1, 0)
    assert b"Subject: first" in top and b"I love you, Rose" not in top, top
    _, lines, size = p.retr(1)
    text = b"\r\n".join(lines) + b"\r\n"
    # poplib removed the byte-stuffing; the lone "." line and the ".." line are content again.
    assert text.endswith(b"I love you, Rose\r\n.\r\n..two dots\r\n"), text
    assert len(text) == sizes[0], (len(text), sizes[0])  # LIST's size is the octets received

    # A concurrent session for the same maildrop is refused with [IN-USE] (RFC 2449 8.1.1).
    q = pop(srv)
    q.user("rose@cesoo.com")
    try:
        q.pass_("rose123")
        raise AssertionError("a second session got the locked maildrop")
    except poplib.error_proto as e:
        assert b"[IN-USE]" in e.args[0], e
    q.quit()

    assert p.dele(1).startswith(b"+OK")
    assert p.quit().startswith(b"+OK")  # UPDATE: message 1 removed

    # APOP (RFC 1939 7), and the deleted mail is gone in the next session.
    p = pop(srv)
    assert b"<" in p.getwelcome()
    assert p.apop("rose@cesoo.com", "rose123").startswith(b"+OK")
    count, _ = p.stat()
    assert count == 1, count
    _, lines, _ = p.retr(1)
    assert b"Dinner at seven?" in lines, lines
    _, uidls2, _ = p.uidl()
    assert uidls2[0].split()[1] == uidls[1].split()[1], (uidls, uidls2)  # the unique id survived renumbering
    p.quit()

    # A wrong password: -ERR [AUTH], and the session may try again.
    p = pop(srv)
    p.user("rose@cesoo.com")
    try:
        p.pass_("wrong")
        raise AssertionError("a wrong password was accepted")
    except poplib.error_proto as e:
        assert b"[AUTH]" in e.args[0], e
    p.user("rose@cesoo.com")
    assert p.pass_("rose123").startswith(b"+OK")
    p.quit()
    print("ok: poplib USER/PASS, APOP, STAT/LIST/UIDL/TOP/RETR/DELE, UPDATE, [IN-USE], [AUTH]")


def check_curl(srv, curl):
    deliver(srv, MESSAGE_1)
    url = f"pop3://{srv.host}:{srv.pop3_port}/"
    base = [curl, "--silent", "--show-error", "--max-time", str(TIMEOUT), "-u", "rose@cesoo.com:rose123"]
    listing = subprocess.run(base + [url], capture_output=True, timeout=TIMEOUT + 10)
    assert listing.returncode == 0, listing.stderr
    rows = listing.stdout.decode().split("\r\n")
    assert len([r for r in rows if r]) == 2, rows  # LIST: the message left by check_poplib and the new one
    got = subprocess.run(base + [url + "2"], capture_output=True, timeout=TIMEOUT + 10)
    assert got.returncode == 0, got.stderr
    assert got.stdout.endswith(MESSAGE_1.encode()), got.stdout
    print("ok: curl pop3:// LIST and RETR")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: pop3_test.py PATH/TO/mailsim [PATH/TO/curl]")
    mailsim = os.path.abspath(sys.argv[1])
    with MailsimServer(mailsim, pop3="127.0.0.1:0", extra_args=["--allow-plaintext-auth"]) as srv:
        check_poplib(srv)
        if len(sys.argv) == 3:
            check_curl(srv, sys.argv[2])
        else:
            print("skipped: curl not found")
        out = srv.stdout()
        assert "[pop3 TRANSACTION -> UPDATE] (QUIT)" in out, out[-2000:]
        assert srv.terminate() == 0


if __name__ == "__main__":
    main()
