#!/usr/bin/env python3
"""TLS against `mailsim serve` with real clients nobody here wrote: python's smtplib/poplib/imaplib (STARTTLS, STLS and
implicit TLS) and curl (smtps://, pop3s://, imaps://, --ssl-reqd), all trusting the classroom CA exported with
`mailsim ca export`. Also: passwords refused before TLS, the STARTTLS injection (CVE-2011-0411) on a real socket, the
per-address connection cap and the progressive login delay (read from the trace, not timed).

usage: tls_test.py MAILSIM [CURL]
"""
import imaplib
import os
import poplib
import smtplib
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mailsim_server import MailsimServer  # noqa: E402

MAILSIM = sys.argv[1]
CURL = sys.argv[2] if len(sys.argv) > 2 else None
HOST = "127.0.0.1"
TIMEOUT = 20
LISTENERS = [("submission", "127.0.0.1:0"), ("smtps", "127.0.0.1:0"), ("pop3", "127.0.0.1:0"),
             ("pop3s", "127.0.0.1:0"), ("imap", "127.0.0.1:0"), ("imaps", "127.0.0.1:0")]
MESSAGE = b"From: mike@cesoo.com\r\nTo: rose@cesoo.com\r\nSubject: over TLS\r\n\r\nencrypted on the wire\r\n"


def export_ca(srv, path):
    r = subprocess.run([MAILSIM, "ca", "export", path, "--dir", srv.ca_dir], capture_output=True, text=True,
                       timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    return ssl.create_default_context(cafile=path)


def smtp_tests(srv, ctx):
    # Submission with STARTTLS: AUTH is not offered in clear, and refused (538) if tried anyway.
    with smtplib.SMTP(HOST, srv.ports["submission"], timeout=TIMEOUT) as s:
        s.ehlo("student-pc")
        assert s.has_extn("starttls"), s.esmtp_features
        assert not s.has_extn("auth"), "AUTH must not be offered before TLS"
        code, text = s.docmd("AUTH", "PLAIN AG1pa2UAbWlrZTEyMw==")
        assert code == 538, (code, text)
        s.starttls(context=ctx)
        s.ehlo("student-pc")
        assert s.has_extn("auth") and not s.has_extn("starttls"), s.esmtp_features
        s.login("mike", "mike123")
        refused = s.sendmail("mike@cesoo.com", ["rose@cesoo.com"], MESSAGE)
        assert refused == {}, refused
    # Implicit TLS on the smtps port (RFC 8314), CRAM-MD5 chosen by smtplib when offered.
    with smtplib.SMTP_SSL(HOST, srv.ports["smtps"], context=ctx, timeout=TIMEOUT) as s:
        s.ehlo("student-pc")
        assert s.has_extn("auth"), s.esmtp_features
        s.login("mike", "mike123")
        s.sendmail("mike@cesoo.com", ["rose@cesoo.com"], MESSAGE)
    srv.wait_for_stdout("[tls] server handshake done: TLSv1.3")
    print("smtplib: STARTTLS + login, SMTP_SSL + login ok")


def pop3_tests(srv, ctx):
    p = poplib.POP3(HOST, srv.ports["pop3"], timeout=TIMEOUT)
    try:
        p.user("rose")
        raise AssertionError("USER in clear must be refused")
    except poplib.error_proto as e:
        assert b"[AUTH]" in e.args[0], e
    p.stls(context=ctx)
    p.user("rose")
    p.pass_("rose123")
    count, _ = p.stat()
    assert count == 2, count
    p.quit()
    p = poplib.POP3_SSL(HOST, srv.ports["pop3s"], context=ctx, timeout=TIMEOUT)
    p.user("rose")
    p.pass_("rose123")
    assert b"encrypted on the wire" in b"\n".join(p.retr(1)[1])
    p.quit()
    print("poplib: STLS, POP3_SSL ok")


def imap_tests(srv, ctx):
    m = imaplib.IMAP4(HOST, srv.ports["imap"], timeout=TIMEOUT)
    assert "LOGINDISABLED" in m.capabilities, m.capabilities
    try:
        m.login("rose", "rose123")
        raise AssertionError("LOGIN in clear must be refused")
    except imaplib.IMAP4.error as e:
        assert "PRIVACYREQUIRED" in str(e) or "LOGINDISABLED" in str(e), e
    m.starttls(ssl_context=ctx)
    assert "LOGINDISABLED" not in m.capabilities, m.capabilities
    m.login("rose", "rose123")
    typ, data = m.select("INBOX")
    assert typ == "OK" and int(data[0]) == 2, (typ, data)
    m.logout()
    m = imaplib.IMAP4_SSL(HOST, srv.ports["imaps"], ssl_context=ctx, timeout=TIMEOUT)
    m.login("rose", "rose123")
    typ, data = m.select("INBOX")
    assert typ == "OK", (typ, data)
    typ, data = m.fetch("1", "(BODY[HEADER.FIELDS (SUBJECT)])")
    assert b"over TLS" in data[0][1], data
    m.logout()
    print("imaplib: STARTTLS, IMAP4_SSL ok")


def curl_tests(srv, ca):
    base = [CURL, "--silent", "--show-error", "--max-time", str(TIMEOUT), "--cacert", ca]

    def run(args, data=None):
        r = subprocess.run(base + args, input=data, capture_output=True, timeout=TIMEOUT + 10)
        assert r.returncode == 0, (args, r.returncode, r.stderr.decode(errors="replace"))
        return r.stdout.decode(errors="replace")

    run([f"smtps://{HOST}:{srv.ports['smtps']}", "--user", "mike:mike123", "--mail-from", "mike@cesoo.com",
         "--mail-rcpt", "rose@cesoo.com", "--upload-file", "-"], MESSAGE)
    run([f"smtp://{HOST}:{srv.ports['submission']}", "--ssl-reqd", "--user", "mike:mike123", "--mail-from",
         "mike@cesoo.com", "--mail-rcpt", "rose@cesoo.com", "--upload-file", "-"], MESSAGE)
    listing = run([f"pop3s://{HOST}:{srv.ports['pop3s']}/", "--user", "rose:rose123"])
    assert len(listing.strip().splitlines()) == 4, listing
    listing = run([f"pop3://{HOST}:{srv.ports['pop3']}/", "--ssl-reqd", "--user", "rose:rose123"])
    assert len(listing.strip().splitlines()) == 4, listing
    boxes = run([f"imaps://{HOST}:{srv.ports['imaps']}/", "--user", "rose:rose123"])
    assert "INBOX" in boxes, boxes
    boxes = run([f"imap://{HOST}:{srv.ports['imap']}/", "--ssl-reqd", "--user", "rose:rose123"])
    assert "INBOX" in boxes, boxes
    # Without trusting the classroom CA, curl refuses the certificate.
    r = subprocess.run([CURL, "--silent", "--max-time", str(TIMEOUT), f"imaps://{HOST}:{srv.ports['imaps']}/",
                        "--user", "rose:rose123", "--capath", "/nonexistent", "--cacert", os.devnull],
                       capture_output=True, timeout=TIMEOUT + 10)
    assert r.returncode != 0, "an untrusted certificate must fail"
    print("curl: smtps, smtp --ssl-reqd, pop3s, pop3 --ssl-reqd, imaps, imap --ssl-reqd ok")


def recv_reply(sock):
    data = b""
    while not data.endswith(b"\r\n") or data.split(b"\r\n")[-2][3:4] == b"-":
        chunk = sock.recv(4096)
        assert chunk, f"connection closed after {data!r}"
        data += chunk
    return data


def injection_test(srv, ctx):
    """CVE-2011-0411 on a real socket: RSET rides with STARTTLS; the first reply inside TLS must answer EHLO."""
    with socket.create_connection((HOST, srv.ports["submission"]), timeout=TIMEOUT) as raw:
        assert recv_reply(raw).startswith(b"220")
        raw.sendall(b"EHLO attacker\r\n")
        assert b"STARTTLS" in recv_reply(raw)
        raw.sendall(b"STARTTLS\r\nRSET\r\n")
        assert recv_reply(raw).startswith(b"220 ")
        with ctx.wrap_socket(raw, server_hostname=HOST) as tls:
            tls.sendall(b"EHLO student\r\n")
            first = recv_reply(tls)
            assert first.startswith(b"250-"), f"the injected RSET was answered: {first!r}"
            tls.sendall(b"QUIT\r\n")
            assert recv_reply(tls).startswith(b"221")
    srv.wait_for_stdout("CVE-2011-0411")
    print("STARTTLS injection discarded")


def limits_test():
    """The per-address connection cap and the progressive login delay, read from the trace."""
    with MailsimServer(MAILSIM, pop3="127.0.0.1:0", extra_args=["--max-per-address", "2", "--allow-plaintext-auth"]) as srv:
        a = socket.create_connection((HOST, srv.port), timeout=TIMEOUT)
        b = socket.create_connection((HOST, srv.port), timeout=TIMEOUT)
        assert recv_reply(a).startswith(b"220") and recv_reply(b).startswith(b"220")
        with socket.create_connection((HOST, srv.port), timeout=TIMEOUT) as c:
            got = recv_reply(c)
            assert got.startswith(b"421") and b"too many connections" in got, got
        a.close()
        b.close()
        srv.wait_for_stdout("the cap is 2")
        end = time.monotonic() + 10  # a and b are closed on the server's side too, before the address connects again
        while srv.stdout().count("client closed the connection") < 2:
            assert time.monotonic() < end, srv.stdout()[-2000:]
            time.sleep(0.02)
        p = poplib.POP3(HOST, srv.pop3_port, timeout=TIMEOUT)
        for attempt in range(2):
            p.user("rose")
            try:
                p.pass_("wrong")
                raise AssertionError("a wrong password must fail")
            except poplib.error_proto:
                pass
        p.quit()
        srv.wait_for_stdout("failed login #2 from 127.0.0.1: the reply is held for 1 s")
    with MailsimServer(MAILSIM, pop3="127.0.0.1:0", extra_args=["--login-timeout", "1"]) as srv:
        # The login deadline: a POP3 client that never logs in gets "-ERR login timeout" and is closed; port 25 has none.
        with socket.create_connection((HOST, srv.pop3_port), timeout=TIMEOUT) as idle, \
                socket.create_connection((HOST, srv.port), timeout=TIMEOUT) as smtp:
            assert idle.recv(4096).startswith(b"+OK")
            assert recv_reply(smtp).startswith(b"220")
            srv.wait_for_stdout("no login within 1 s (--login-timeout): closing")
            goodbye = b""
            while not goodbye.endswith(b"\r\n"):
                chunk = idle.recv(4096)
                assert chunk, f"closed without a goodbye after {goodbye!r}"
                goodbye += chunk
            assert goodbye == b"-ERR login timeout, closing connection\r\n", goodbye
            smtp.sendall(b"NOOP\r\n")
            assert recv_reply(smtp).startswith(b"250"), "port 25 has no login deadline"
    print("connection cap, login delay and login deadline ok")


def record_test():
    """A live session recorded with --trace-out becomes a scenario (`mailsim record --from-trace`) that replays."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "live.jsonl")
        with MailsimServer(MAILSIM, listeners=[("submission", "127.0.0.1:0"), ("pop3", "127.0.0.1:0")],
                           extra_args=["--trace-out", trace]) as srv:
            ctx = export_ca(srv, os.path.join(tmp, "ca.pem"))
            with smtplib.SMTP(HOST, srv.ports["submission"], timeout=TIMEOUT) as s:
                s.ehlo("student-pc")
                s.starttls(context=ctx)
                s.ehlo("student-pc")
                s.user, s.password = "mike", "mike123"
                code, _ = s.auth("PLAIN", s.auth_plain)  # PLAIN: a replay can log in the same way
                assert code == 235, code
                s.sendmail("mike@cesoo.com", ["rose@cesoo.com"], MESSAGE)
            p = poplib.POP3(HOST, srv.ports["pop3"], timeout=TIMEOUT)
            p.stls(context=ctx)
            p.user("rose")
            p.pass_("rose123")
            assert p.stat()[0] == 1
            p.quit()
            rc = srv.terminate()  # SIGTERM: the trace file is complete when the server has exited
            assert rc == 0, rc
        out = os.path.join(tmp, "recorded.yaml")
        r = subprocess.run([MAILSIM, "record", "--from-trace", trace, "--out", out], capture_output=True, text=True,
                           timeout=TIMEOUT)
        assert r.returncode == 0, r.stderr
        with open(out, encoding="utf-8") as f:
            text = f.read()
        assert "services: [submission, pop3]" in text and "tls: { starttls: true" in text, text[:800]
        r = subprocess.run([MAILSIM, "run", out], capture_output=True, text=True, timeout=TIMEOUT,
                           env={**os.environ, "MAILSIM_CA_DIR": os.path.join(tmp, "ca-replay")})
        assert r.returncode == 0, f"the recorded scenario does not replay:\n{r.stdout[-2000:]}\n{r.stderr}"
    print("record --from-trace: the live sessions replay in the simulator")


def main():
    with MailsimServer(MAILSIM, listeners=LISTENERS) as srv:
        ca = os.path.join(srv.dir, "ca.pem")
        ctx = export_ca(srv, ca)
        smtp_tests(srv, ctx)
        pop3_tests(srv, ctx)
        imap_tests(srv, ctx)
        if CURL:
            curl_tests(srv, ca)
        injection_test(srv, ctx)
    limits_test()
    record_test()
    print("ok")


if __name__ == "__main__":
    main()
