"""Interop: python's smtplib against `mailsim serve`, then the Maildir files read back.

usage: smtplib_test.py PATH/TO/mailsim

Covers EHLO, a multipart message with a binary attachment, a dot-leading body line (RFC 5321 4.5.2 transparency),
an RFC 2047 Chinese subject, a refused recipient (550) that does not abort the transaction, two messages on one
connection, two connections interleaved, and SIGTERM: 421 for idle sessions, an open DATA may finish, exit 0.
"""
import email
import email.policy
import os
import smtplib
import socket
import sys
import unittest
from email.message import EmailMessage

from mailsim_server import MailsimServer

MAILSIM = None
SUBJECT = "你好，玫瑰：测试邮件"
ATTACHMENT = bytes(range(256)) * 8 + b"\r\n.\r\n..\r\nend"  # every octet, and a would-be end of data


def build_message(subject=SUBJECT, body_tag="one"):
    msg = EmailMessage()
    msg["From"] = "Mike <mike@cesoo.com>"
    msg["To"] = "Rose <rose@cesoo.com>"
    msg["Subject"] = subject
    msg.set_content(f"Hello Rose ({body_tag}),\n.this line starts with a dot\n..and this with two\n.\nbye\n")
    msg.add_attachment(ATTACHMENT, maintype="application", subtype="octet-stream", filename="data.bin")
    return msg


def parse_file(path):
    with open(path, "rb") as f:
        raw = f.read()
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def read_reply(sock_file):
    """One SMTP reply (possibly multi-line): (code, [lines])."""
    lines = []
    while True:
        line = sock_file.readline(1024)
        if not line:
            raise ConnectionError(f"EOF after {lines!r}")
        lines.append(line.decode().rstrip("\r\n"))
        if len(line) < 4 or line[3:4] != b"-":
            return int(lines[-1][:3]), lines


class RawClient:
    """A line-level client on a plain socket, for what smtplib cannot do (interleaving, unsolicited 421)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        self.file = self.sock.makefile("rb")
        assert read_reply(self.file)[0] == 220

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\r\n")
        return read_reply(self.file)

    def send(self, data):
        self.sock.sendall(data)

    def rest(self):
        """Everything until the server closes."""
        data = self.file.read()
        return data.decode(errors="replace")

    def close(self):
        self.file.close()
        self.sock.close()


class SmtplibInterop(unittest.TestCase):
    def setUp(self):
        self.server = MailsimServer(MAILSIM)
        self.server.start()

    def tearDown(self):
        self.server.kill()

    def test_message_with_attachment_dots_and_chinese_subject(self):
        srv = self.server
        with smtplib.SMTP("127.0.0.1", srv.port, timeout=15) as s:
            code, _ = s.ehlo("interop.test")
            self.assertEqual(code, 250)
            self.assertTrue(s.has_extn("pipelining"))
            self.assertTrue(s.has_extn("8bitmime"))

            first = build_message(body_tag="one")
            # Two recipients, one unknown: smtplib reports the refusal and the transaction goes on.
            # (send_message flattens with CRLF; `sendmail(..., msg.as_bytes())` would send bare LFs, after which a
            # leading dot is not at a line start for SMTP and stays stuffed: a client bug the trace notes.)
            refused = s.send_message(first, "mike@cesoo.com", ["nobody@cesoo.com", "rose@cesoo.com"])
            self.assertEqual(list(refused), ["nobody@cesoo.com"])
            self.assertEqual(refused["nobody@cesoo.com"][0], 550)

            # Second message on the same connection, step by step to check each code.
            second = build_message(subject="second " + SUBJECT, body_tag="two")
            self.assertEqual(s.mail("mike@cesoo.com")[0], 250)
            self.assertEqual(s.rcpt("ghost@cesoo.com")[0], 550)
            self.assertEqual(s.rcpt("somebody@elsewhere.example")[0] // 100, 5)  # relay denied
            self.assertEqual(s.rcpt("rose@cesoo.com")[0], 250)
            code, text = s.data(second.as_bytes(policy=email.policy.SMTP))
            self.assertEqual(code, 250, text)
            self.assertEqual(s.noop()[0], 250)
        # `with` sent QUIT

        files = srv.mailbox_files("rose@cesoo.com")
        self.assertEqual(len(files), 2)
        self.assertEqual(srv.mailbox_files("rose@cesoo.com", "tmp"), [])
        subjects = []
        for path in files:
            raw, parsed = parse_file(path)
            self.assertTrue(raw.startswith(b"Return-Path: <mike@cesoo.com>\nReceived: from interop.test"))
            self.assertNotIn(b"\n..this", raw)            # unstuffed ...
            self.assertIn(b"\n.this line starts with a dot\n", raw)
            self.assertIn(b"\n..and this with two\n", raw)
            self.assertIn(b"\n.\nbye", raw)         # a lone-dot body line survived as content
            self.assertNotIn(b"\r", raw)  # LF line ends on disk, as other Maildir programs write them (issue #16)
            attachments = list(parsed.iter_attachments())
            self.assertEqual(len(attachments), 1)
            self.assertEqual(attachments[0].get_filename(), "data.bin")
            self.assertEqual(attachments[0].get_content(), ATTACHMENT)
            subjects.append(str(parsed["Subject"]))
        self.assertEqual(sorted(subjects), sorted([SUBJECT, "second " + SUBJECT]))

        out = srv.stdout()
        self.assertIn("C: ehlo interop.test", out)  # smtplib sends lower-case verbs
        self.assertIn("S: 550", out)
        self.assertIn("[store] rose@cesoo.com INBOX uid 2 appended", out)
        self.assertEqual(srv.terminate(), 0)

    def test_two_connections_interleaved(self):
        srv = self.server
        a = RawClient(srv.port)
        b = RawClient(srv.port)
        try:
            self.assertEqual(a.cmd("EHLO a.test")[0], 250)
            self.assertEqual(b.cmd("EHLO b.test")[0], 250)
            self.assertEqual(a.cmd("MAIL FROM:<mike@cesoo.com>")[0], 250)
            self.assertEqual(b.cmd("MAIL FROM:<rose@cesoo.com>")[0], 250)
            self.assertEqual(a.cmd("RCPT TO:<rose@cesoo.com>")[0], 250)
            self.assertEqual(b.cmd("RCPT TO:<mike@cesoo.com>")[0], 250)
            self.assertEqual(a.cmd("DATA")[0], 354)
            self.assertEqual(b.cmd("DATA")[0], 354)
            a.send(b"Subject: from a\r\n\r\nfirst half of a, ")
            b.send(b"Subject: from b\r\n\r\nall of b\r\n.\r\n")
            self.assertEqual(read_reply(b.file)[0], 250)
            a.send(b"second half of a\r\n..dotted\r\n.\r\n")
            self.assertEqual(read_reply(a.file)[0], 250)
            self.assertEqual(a.cmd("QUIT")[0], 221)
            self.assertEqual(b.cmd("QUIT")[0], 221)
            self.assertEqual(a.rest(), "")
            self.assertEqual(b.rest(), "")
        finally:
            a.close()
            b.close()
        rose = srv.mailbox_files("rose@cesoo.com")
        mike = srv.mailbox_files("mike@cesoo.com")
        self.assertEqual((len(rose), len(mike)), (1, 1))
        self.assertTrue(parse_file(rose[0])[0].endswith(
            b"Subject: from a\n\nfirst half of a, second half of a\n.dotted\n"))
        self.assertTrue(parse_file(mike[0])[0].endswith(b"Subject: from b\n\nall of b\n"))
        out = srv.stdout()
        self.assertIn("[1] C: EHLO a.test", out)
        self.assertIn("[2] C: EHLO b.test", out)
        self.assertEqual(srv.terminate(), 0)

    def test_sigterm_lets_open_data_finish_and_sends_421(self):
        srv = self.server
        busy = RawClient(srv.port)
        idle = RawClient(srv.port)
        try:
            self.assertEqual(busy.cmd("EHLO busy.test")[0], 250)
            self.assertEqual(busy.cmd("MAIL FROM:<mike@cesoo.com>")[0], 250)
            self.assertEqual(busy.cmd("RCPT TO:<rose@cesoo.com>")[0], 250)
            self.assertEqual(busy.cmd("DATA")[0], 354)
            busy.send(b"Subject: in flight\r\n\r\nstarted before SIGTERM\r\n")
            self.assertEqual(idle.cmd("EHLO idle.test")[0], 250)

            srv.proc.send_signal(__import__("signal").SIGTERM)
            srv.wait_for_stderr("SIGTERM received")
            self.assertRegex(idle.rest(), r"^421 ")  # idle session: told and closed at once

            busy.send(b"finished after SIGTERM\r\n.\r\n")
            code, _ = read_reply(busy.file)
            self.assertEqual(code, 250)                 # the open transaction was allowed to finish
            self.assertRegex(busy.rest(), r"^421 ")
        finally:
            busy.close()
            idle.close()
        self.assertEqual(srv.proc.wait(timeout=20), 0)
        self.assertNotIn("Sanitizer", srv.stderr())
        files = srv.mailbox_files("rose@cesoo.com")
        self.assertEqual(len(files), 1)
        self.assertTrue(parse_file(files[0])[0].endswith(b"started before SIGTERM\nfinished after SIGTERM\n"))


class IdleTimeout(unittest.TestCase):
    def test_idle_session_gets_421(self):
        with MailsimServer(MAILSIM, extra_args=["--idle-timeout", "1"]) as srv:
            c = RawClient(srv.port)
            try:
                self.assertEqual(c.cmd("EHLO slow.test")[0], 250)
                self.assertRegex(c.rest(), r"^421 ")  # blocks until the server's tick() times the session out
            finally:
                c.close()
            self.assertEqual(srv.terminate(), 0)


class ServeArguments(unittest.TestCase):
    def test_bad_arguments_print_usage_and_exit_2(self):
        import subprocess
        for args in ([], ["--smtp", "127.0.0.1"], ["--smtp", "::1:25", "--maildir", "x"],
                     ["--smtp", "127.0.0.1:0", "--maildir", "x", "--user", "bob"], ["--frobnicate"]):
            res = subprocess.run([MAILSIM, "serve", *args], capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
            self.assertEqual(res.returncode, 2, args)
            self.assertIn(b"(see 'mailsim serve --help')", res.stderr)
            self.assertEqual(res.stdout, b"")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: smtplib_test.py PATH/TO/mailsim [unittest args]")
    MAILSIM = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
