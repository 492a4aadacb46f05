"""Interop: python's smtplib sends internationalised mail (RFC 6531 SMTPUTF8) to `mailsim serve`.

usage: smtputf8_test.py PATH/TO/mailsim

Zhang San (张三@cesoo.com, a `--user` of the server) writes to himself and to Rose with `mail_options=['SMTPUTF8']`
and a UTF-8 header (RFC 6532); the message lands in the Maildir under the UTF-8 user name. Without SMTPUTF8 in
MAIL the same address is refused with 553 5.6.7 (RFC 6531 3.7.4.1), and `--no-smtputf8` brings back RFC 5321's
ASCII-only server (no SMTPUTF8 in EHLO; smtplib itself then refuses to send).
"""
import email
import email.policy
import os
import smtplib
import sys
import unittest
from email.message import EmailMessage

from mailsim_server import MailsimServer

MAILSIM = None
ZHANG = "张三@cesoo.com"


def zhang_message():
    msg = EmailMessage(policy=email.policy.SMTPUTF8)
    msg["From"] = f"张三 <{ZHANG}>"
    msg["To"] = "Rose <rose@cesoo.com>"
    msg["Subject"] = "你好，Rose"
    msg.set_content("你好！这封信的地址是中文的。\n")
    return msg


class SmtpUtf8Interop(unittest.TestCase):
    def test_smtputf8_mail_from_a_chinese_address(self):
        with MailsimServer(MAILSIM, extra_args=["--user", f"{ZHANG}:zs123", "--user", "rose@cesoo.com:r"]) as srv:
            with smtplib.SMTP("127.0.0.1", srv.port, timeout=15) as s:
                self.assertEqual(s.ehlo("interop.test")[0], 250)
                self.assertTrue(s.has_extn("smtputf8"))
                self.assertTrue(s.has_extn("8bitmime"))
                # Without the parameter: refused, and the transaction was never opened (RFC 6531 3.7.4.1).
                # (smtplib sends UTF-8 only after SMTPUTF8; an old client would send the octets as they are.)
                s.command_encoding = "utf-8"
                code, text = s.mail(ZHANG)
                self.assertEqual(code, 553, text)
                self.assertTrue(text.startswith(b"5.6.7 "), text)
                s.rset()
                refused = s.send_message(zhang_message(), ZHANG, [ZHANG, "rose@cesoo.com"],
                                         mail_options=["SMTPUTF8", "BODY=8BITMIME"])
                self.assertEqual(refused, {})
            for user in (ZHANG, "rose@cesoo.com"):
                files = srv.mailbox_files(user)
                self.assertEqual(len(files), 1, user)
                with open(files[0], "rb") as f:
                    raw = f.read()
                self.assertTrue(raw.startswith(f"Return-Path: <{ZHANG}>\n".encode()), raw[:80])
                self.assertIn(b"with UTF8SMTP id", raw)  # RFC 6531 3.7.3
                parsed = email.message_from_string(raw.decode("utf-8"), policy=email.policy.default)  # RFC 6532
                self.assertEqual(str(parsed["Subject"]), "你好，Rose")
                self.assertEqual(parsed["From"].addresses[0].addr_spec, ZHANG)
            out = srv.stdout()
            self.assertIn("SMTPUTF8", out)
            self.assertEqual(srv.terminate(), 0)

    def test_a_server_without_smtputf8(self):
        with MailsimServer(MAILSIM, extra_args=["--user", f"{ZHANG}:zs123", "--no-smtputf8"]) as srv:
            with smtplib.SMTP("127.0.0.1", srv.port, timeout=15) as s:
                s.ehlo("interop.test")
                self.assertFalse(s.has_extn("smtputf8"))
                with self.assertRaises(smtplib.SMTPNotSupportedError):  # smtplib checks the EHLO list itself
                    s.send_message(zhang_message(), ZHANG, [ZHANG], mail_options=["SMTPUTF8"])
                s.command_encoding = "utf-8"
                code, text = s.docmd("MAIL", f"FROM:<{ZHANG}>")
                self.assertEqual(code, 553, text)
                self.assertIn(b"SMTPUTF8 is not offered", text)
            self.assertEqual(srv.mailbox_files(ZHANG), [])
            self.assertEqual(srv.terminate(), 0)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: smtputf8_test.py PATH/TO/mailsim [unittest args]")
    MAILSIM = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
