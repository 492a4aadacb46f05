"""Interop: python's imaplib and curl's imap:// client against `mailsim serve --smtp ... --imap ...` on loopback.

Covers LOGIN, LIST, CREATE of a Chinese-named folder (modified UTF-7), APPEND (synchronising literal, flags, date),
SELECT, SEARCH (incl. CHARSET UTF-8 with a Chinese subject), FETCH BODYSTRUCTURE and BODY.PEEK[], STORE, COPY, MOVE,
EXPUNGE, IDLE with a concurrent APPEND from a second connection, LIST "INBOX" *, SORT, THREAD, BINARY and ESEARCH,
and curl listing folders (also imap://host/INBOX) and retrieving a message. A FETCH 1:* over a mailbox of 1,500
messages (written into the Maildir as another program would) is answered in slices: pipelined commands behind it
are answered after it, in order; a client that disconnects in the middle leaves the server serving others.
Every wait is bounded (socket timeouts, counted loops, no sleeps); the server is stopped with SIGTERM at the end.

usage: imap_test.py PATH/TO/mailsim [PATH/TO/curl]
"""
import base64
import imaplib
import os
import smtplib
import socket
import subprocess
import sys

from mailsim_server import MailsimServer

TIMEOUT = 20

imaplib.Commands.setdefault("MOVE", ("SELECTED",))  # RFC 6851; imaplib before 3.14 does not know it

SUBJECT = "中文主题"
MESSAGE_1 = ("From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: =?UTF-8?B?"
             + base64.b64encode(SUBJECT.encode()).decode() + "?=\r\nMIME-Version: 1.0\r\n"
             "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
             "Hello Rose\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nInner body\r\n--b1--\r\n")
MESSAGE_2 = "From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: lunch\r\n\r\nNoodles at noon?\r\n"


def mutf7(name):
    """Modified UTF-7 (RFC 3501 5.1.3), written out here so the test does not trust the server's encoder."""
    out, run = [], []

    def flush():
        if run:
            b64 = base64.b64encode("".join(run).encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
            out.append("&" + b64 + "-")
            run.clear()
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def connect(srv):
    m = imaplib.IMAP4(srv.host, srv.imap_port, timeout=TIMEOUT)
    typ, _ = m.login("rose@cesoo.com", "rose123")
    assert typ == "OK"
    return m


def ok(result):
    typ, data = result
    assert typ == "OK", (typ, data)
    return data


def check_imaplib(srv):
    with smtplib.SMTP(srv.host, srv.port, timeout=TIMEOUT) as s:  # SMTP -> Maildir -> IMAP
        assert s.sendmail("mike@cesoo.com", ["rose@cesoo.com"], MESSAGE_1.encode()) == {}
    m = connect(srv)
    assert b"IDLE" in ok(m.capability())[0]
    chinese = mutf7("已发送")
    ok(m.create('"' + chinese + '"'))
    ok(m.create("Archive"))
    listing = b"\n".join(ok(m.list()))
    assert chinese.encode() in listing and b'"INBOX"' in listing and b"\\Archive" in listing, listing
    ok(m.append("INBOX", "(\\Flagged)", imaplib.Time2Internaldate(1709542800), MESSAGE_2.encode()))
    data = ok(m.select("INBOX"))
    assert data == [b"2"], data

    # SEARCH, also with a UTF-8 literal (CHARSET UTF-8).
    assert ok(m.search(None, "FROM", "mike")) == [b"1 2"]
    m.literal = SUBJECT.encode()
    assert ok(m.search("UTF-8", "SUBJECT")) == [b"1"]
    assert ok(m.search(None, "OR", "SUBJECT", "lunch", "FLAGGED")) == [b"2"]

    # FETCH: structure first, then the body without setting \Seen.
    bs = ok(m.fetch("1", "(BODYSTRUCTURE)"))[0]
    assert b'"MIXED"' in bs and b'"RFC822"' in bs, bs
    body = ok(m.fetch("1", "(BODY.PEEK[])"))[0][1]
    assert body.endswith(MESSAGE_1.encode()) and body.startswith(b"Return-Path:"), body  # with SMTP's trace fields
    assert b"\\Seen" not in ok(m.fetch("1", "(FLAGS)"))[0]
    part = ok(m.fetch("1", "(BODY[2.HEADER])"))[0]
    assert b"Subject: inner" in part[1], part
    assert b"\\Seen" in ok(m.fetch("1", "(FLAGS)"))[0]

    # STORE, COPY, MOVE, EXPUNGE.
    assert b"\\Deleted" in ok(m.store("2", "+FLAGS", "(\\Deleted)"))[0]
    ok(m.copy("1", '"' + chinese + '"'))
    typ, data = m._simple_command("MOVE", "1", "Archive")
    assert typ == "OK", (typ, data)
    assert m.response("EXPUNGE")[1] == [b"1"]  # MOVE reports the original as expunged (RFC 6851 3.3)
    assert b"COPYUID" in b" ".join(x for x in m.response("OK")[1] if x), "no COPYUID before the MOVE's EXPUNGE"
    data = ok(m.expunge())
    assert data == [b"1"], data  # message 2 became 1 after the MOVE's expunge, then went
    assert ok(m.status('"' + chinese + '"', "(MESSAGES)"))[0].endswith(b"(MESSAGES 1)")
    assert ok(m.status("Archive", "(MESSAGES)"))[0].endswith(b"(MESSAGES 1)")
    check_idle(srv, m)
    m.logout()
    print("ok: imaplib LOGIN, LIST, CREATE (Chinese name), APPEND, SELECT, SEARCH (CHARSET UTF-8), FETCH "
          "BODYSTRUCTURE/BODY.PEEK[]/BODY[], STORE, COPY, MOVE, EXPUNGE, STATUS, IDLE")


def check_idle(srv, m):
    """IDLE (RFC 2177) by hand (imaplib has no idle() before 3.14): a second connection's APPEND is pushed."""
    tag = m._new_tag()
    m.send(tag + b" IDLE\r\n")
    assert m.readline().startswith(b"+ "), "no IDLE continuation"
    other = connect(srv)
    ok(other.append("INBOX", None, None, MESSAGE_2.encode()))
    other.logout()
    pushed = None
    for _ in range(50):  # bounded: each readline is bounded by the socket timeout
        line = m.readline()
        if line.endswith(b"EXISTS\r\n"):
            pushed = line
            break
        assert line, "connection closed during IDLE"
    assert pushed == b"* 1 EXISTS\r\n", pushed
    m.send(b"DONE\r\n")
    for _ in range(50):
        line = m.readline()
        if line.startswith(tag):
            assert line.startswith(tag + b" OK"), line
            return
        assert line, "connection closed after DONE"
    raise AssertionError("no tagged answer to DONE")


def check_extensions(srv):
    """LIST "INBOX" *, SORT, THREAD and ESEARCH (RFC 3501 6.3.8, 5256, 4731) through imaplib on a real socket."""
    m = connect(srv)
    caps = ok(m.capability())[0].split()
    for cap in (b"SORT", b"THREAD=REFERENCES", b"ESEARCH", b"LIST-EXTENDED", b"LIST-STATUS", b"MULTIAPPEND"):
        assert cap in caps, caps
    listing = ok(m.list('"INBOX"', "*"))
    assert any(line.endswith(b'"INBOX"') for line in listing), listing
    ok(m.create("Sorted"))
    original = ("From: Zed <zed@example.org>\r\nSubject: plan\r\nMessage-ID: <p1@x>\r\n"
                "Date: Mon, 4 Mar 2024 09:00:00 +0000\r\n\r\nfirst\r\n")
    reply = ("From: Ann <ann@example.org>\r\nSubject: Re: plan\r\nMessage-ID: <p2@x>\r\nIn-Reply-To: <p1@x>\r\n"
             "Date: Tue, 5 Mar 2024 09:00:00 +0000\r\n\r\nsecond\r\n")
    other = ("From: Bob <bob@example.org>\r\nSubject: agenda\r\n"
             "Date: Sun, 3 Mar 2024 09:00:00 +0000\r\n\r\nthird\r\n")
    for msg in (original, reply, other):
        ok(m.append("Sorted", None, None, msg.encode()))
    ok(m.select("Sorted"))
    assert ok(m.sort("(FROM)", "UTF-8", "ALL")) == [b"2 3 1"]
    assert ok(m.sort("(SUBJECT REVERSE DATE)", "UTF-8", "ALL")) == [b"3 2 1"]
    assert ok(m.sort("(DATE)", "UTF-8", "ALL")) == [b"3 1 2"]
    assert ok(m.thread("REFERENCES", "UTF-8", "ALL")) == [b"(3)(1 2)"]
    binary = ("From: Bob <bob@example.org>\r\nSubject: bytes\r\nMIME-Version: 1.0\r\n"
              "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\n"
              "Content-Transfer-Encoding: base64\r\n\r\nSGVsbG8AV29ybGQ=\r\n--b--\r\n")
    ok(m.append("Sorted", None, None, binary.encode()))
    ok(m.noop())
    got = ok(m.fetch("4", "(BINARY.PEEK[1] BINARY.SIZE[1])"))  # RFC 3516: decoded, NUL as literal8 ~{11}
    assert got[0][0].endswith(b"BINARY[1] ~{11}") and got[0][1] == b"Hello\x00World", got
    assert b"BINARY.SIZE[1] 11" in got[1], got
    typ, data = m._simple_command("SEARCH", "RETURN (MIN MAX COUNT) ALL")
    assert typ == "OK", (typ, data)
    typ, data = m._untagged_response(typ, data, "ESEARCH")
    assert data[0].endswith(b"MIN 1 MAX 4 COUNT 4"), data
    m.logout()
    print("ok: imaplib LIST \"INBOX\" *, SORT, THREAD=REFERENCES, FETCH BINARY (literal8), SEARCH RETURN (ESEARCH)")


def check_curl(srv, curl):
    base = [curl, "--silent", "--show-error", "--max-time", str(TIMEOUT), "-u", "rose@cesoo.com:rose123"]
    url = f"imap://{srv.host}:{srv.imap_port}/"
    listing = subprocess.run(base + [url], capture_output=True, timeout=TIMEOUT + 10)
    assert listing.returncode == 0, listing.stderr
    assert b'"Archive"' in listing.stdout and b'"INBOX"' in listing.stdout, listing.stdout
    inbox = subprocess.run(base + [url + "INBOX"], capture_output=True, timeout=TIMEOUT + 10)  # LIST "INBOX" *
    assert inbox.returncode == 0, inbox.stderr
    assert b'"INBOX"' in inbox.stdout, inbox.stdout
    got = subprocess.run(base + [url + "Archive;UID=1"], capture_output=True, timeout=TIMEOUT + 10)
    assert got.returncode == 0, got.stderr
    assert got.stdout.endswith(MESSAGE_1.encode()), got.stdout
    print("ok: curl imap:// LIST, LIST of INBOX (imap://host/INBOX) and FETCH by UID")


BULK = 1500  # messages: their FETCH (FLAGS ENVELOPE) answer is several of serve's 64 KiB slices


def read_until_tag(f, tag, limit):
    """Lines read from `f` up to and including the one tagged `tag` (at most `limit` lines)."""
    lines = []
    for _ in range(limit):
        line = f.readline()
        assert line, f"connection closed before {tag!r}; last lines {lines[-3:]}"
        lines.append(line)
        if line.startswith(tag.encode() + b" "):
            return lines
    raise AssertionError(f"no {tag!r} within {limit} lines")


def check_sliced_fetch(mailsim):
    with MailsimServer(mailsim, imap="127.0.0.1:0", extra_args=["--allow-plaintext-auth"]) as srv:
        box = os.path.join(srv.maildir, "rose@cesoo.com")
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(box, sub), exist_ok=True)
        for i in range(1, BULK + 1):  # another MDA's files: LF line ends, no size in the name
            with open(os.path.join(box, "new", f"1700000000.M{i:06d}P1.other"), "w") as f:
                f.write(f"From: Mike <mike@cesoo.com>\nTo: rose@cesoo.com\nSubject: bulk {i}\n\nbody {i}\n")
        s = socket.create_connection((srv.host, srv.imap_port), timeout=TIMEOUT)
        f = s.makefile("rb")
        assert f.readline().startswith(b"* OK")
        s.sendall(b"a LOGIN rose@cesoo.com rose123\r\nb SELECT INBOX\r\n"
                  b"c FETCH 1:* (FLAGS ENVELOPE)\r\nd NOOP\r\n")
        read_until_tag(f, "b", 100)
        fetched = read_until_tag(f, "c", BULK + 100)
        numbers = [int(l.split()[1]) for l in fetched if l.startswith(b"* ") and b" FETCH (" in l]
        assert numbers == list(range(1, BULK + 1)), (len(numbers), numbers[:3], numbers[-3:])
        assert all(b'"bulk ' in l for l in fetched if b" FETCH (" in l)
        assert fetched[-1].startswith(b"c OK"), fetched[-1]
        assert read_until_tag(f, "d", 10)[-1].startswith(b"d OK")
        # A client that leaves in the middle of a large answer: the server goes on serving the others.
        s.sendall(b"e FETCH 1:* (FLAGS ENVELOPE BODY.PEEK[])\r\n")
        assert f.readline().startswith(b"* 1 FETCH")
        s.close()
        m = connect(srv)
        typ, data = m.select("INBOX")
        assert typ == "OK" and int(data[0]) == BULK, (typ, data)
        typ, data = m.fetch("1:*", "(FLAGS ENVELOPE)")
        assert typ == "OK" and sum(1 for d in data if b"ENVELOPE" in (d[0] if isinstance(d, tuple) else d)) == BULK
        m.logout()
        assert srv.terminate() == 0
    print(f"ok: FETCH 1:* over {BULK} messages in slices, a pipelined NOOP after it, a client leaving mid-answer")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: imap_test.py PATH/TO/mailsim [PATH/TO/curl]")
    socket.setdefaulttimeout(TIMEOUT)
    mailsim = os.path.abspath(sys.argv[1])
    with MailsimServer(mailsim, imap="127.0.0.1:0", extra_args=["--allow-plaintext-auth"]) as srv:
        check_imaplib(srv)
        check_extensions(srv)
        if len(sys.argv) == 3:
            check_curl(srv, sys.argv[2])
        else:
            print("skipped: curl not found")
        out = srv.stdout()
        assert "[imap NOT AUTHENTICATED -> AUTHENTICATED] (LOGIN)" in out, out[-2000:]
        assert srv.terminate() == 0
    check_sliced_fetch(mailsim)


if __name__ == "__main__":
    main()
