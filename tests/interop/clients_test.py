"""Interop with real mail clients (Debian packages) against `mailsim serve` on loopback (issue #17).

usage: clients_test.py PATH/TO/mailsim CLIENT [PATH/TO/TOOL]

CLIENT is one of:
  mbsync       isync: two syncs in a row are stable; flags and deletions travel both ways (IMAPS)
  fetchmail    POP3 and IMAP, keep, no keep, no keep + fetchall (implicit TLS), through an MDA into a directory
  offlineimap  offlineimap3: two syncs stable, flags and deletions both ways (IMAPS)
  neomutt      batch mode: sends over submission (STARTTLS, AUTH) to rose and, with SMTPUTF8, to 张三@cesoo.com
  swaks        an old client and UTF-8 addresses: 553 5.6.7 without SMTPUTF8 (swaks 20201014 cannot send it)
  imaplib      python's imaplib with ENABLE UTF8=ACCEPT (RFC 6855): UTF-8 folder names, APPEND UTF8, SEARCH

TLS: the server's certificate comes from a private classroom CA (exported with `mailsim ca export`); it names
localhost, 127.0.0.1 and ::1. isync checks the certificate by host name only (it ignores IP address names), so every
client connects to `localhost` (which /etc/hosts maps to 127.0.0.1; the server listens on 127.0.0.1 only). Every client runs with a deadline; nothing sleeps to pass.
"""
import email
import email.policy
import glob
import imaplib
import os
import re
import smtplib
import ssl
import subprocess
import sys
import unittest

from mailsim_server import MailsimServer

MAILSIM = None
CLIENT = None
TOOL = None
TIMEOUT = 60
HOST = "localhost"
ZHANG = "张三@cesoo.com"
USERS = ["--user", "rose@cesoo.com:rose123", "--user", f"{ZHANG}:zs123", "--user", "mike@cesoo.com:mike123"]
LISTENERS = [("imaps", "127.0.0.1:0"), ("pop3s", "127.0.0.1:0"), ("submission", "127.0.0.1:0")]


def server():
    return MailsimServer(MAILSIM, imap="127.0.0.1:0", pop3="127.0.0.1:0", listeners=LISTENERS, extra_args=USERS)


def export_ca(srv):
    path = os.path.join(srv.dir, "ca.pem")
    r = subprocess.run([MAILSIM, "ca", "export", path, "--dir", srv.ca_dir], capture_output=True, text=True,
                       timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    return path


def deliver(srv, subject, to="rose@cesoo.com", body="hello\n"):
    msg = f"From: mike@cesoo.com\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{subject}@cesoo.com>\r\n\r\n{body}"
    with smtplib.SMTP("127.0.0.1", srv.port, timeout=TIMEOUT) as s:
        s.ehlo("interop.test")
        options = [] if to.isascii() else ["SMTPUTF8"]  # a UTF-8 recipient needs SMTPUTF8 (RFC 6531)
        s.command_encoding = "utf-8"
        refused = s.sendmail("mike@cesoo.com", [to], msg.encode(), mail_options=options)
        assert refused == {}, refused


def deliver_zhang(srv, subject):
    """Zhang San writes to Rose with SMTPUTF8: raw UTF-8 in From and Subject (RFC 6532)."""
    msg = (f"From: 张三 <{ZHANG}>\r\nTo: rose@cesoo.com\r\nSubject: 你好 {subject}\r\n"
           f"Message-ID: <{subject}@cesoo.com>\r\n\r\n你好！\r\n")
    with smtplib.SMTP("127.0.0.1", srv.port, timeout=TIMEOUT) as s:
        s.ehlo("interop.test")
        s.command_encoding = "utf-8"
        assert s.sendmail(ZHANG, ["rose@cesoo.com"], msg.encode(), mail_options=["SMTPUTF8"]) == {}


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL, **kw)
    return r


def imap(srv, ca, user="rose@cesoo.com", password="rose123"):
    ctx = ssl.create_default_context(cafile=ca)
    m = imaplib.IMAP4_SSL(HOST, srv.ports["imaps"], ssl_context=ctx, timeout=TIMEOUT)
    assert m.login(user, password)[0] == "OK"
    return m


def server_state(srv, ca, mailbox="INBOX"):
    """{Message-ID: (UID, set of flags)} of a mailbox, as IMAP reports it (a message uploaded again, or twice, would
    change a UID or the count)."""
    m = imap(srv, ca)
    try:
        assert m.select(mailbox)[0] == "OK"
        typ, data = m.fetch("1:*", "(UID FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        out = {}
        if typ != "OK" or data == [None]:
            return out
        for item in data:
            if not isinstance(item, tuple):
                continue
            flags = set(re.search(rb"FLAGS \(([^)]*)\)", item[0]).group(1).decode().split())
            uid = int(re.search(rb"UID (\d+)", item[0]).group(1))
            mid = re.search(rb"<([^>]*)>", item[1]).group(1).decode()
            assert mid not in out, f"{mid} is on the server twice"
            out[mid] = (uid, flags - {"\\Recent"})
        return out
    finally:
        m.logout()


def maildir_state(path):
    """{Message-ID: maildir info flags} of a local Maildir folder (new/ and cur/)."""
    out = {}
    for f in glob.glob(os.path.join(path, "new", "*")) + glob.glob(os.path.join(path, "cur", "*")):
        with open(f, "rb") as fh:
            head = fh.read(4096)
        mid = re.search(rb"Message-ID: <([^>]*)>", head, re.I).group(1).decode()
        info = os.path.basename(f).split(":2,")[1] if ":2," in f else ""
        out[mid] = (f, set(info))
    return out


def set_maildir_flags(path, letters):
    base, _, _ = os.path.basename(path).partition(":2,")
    target = os.path.join(os.path.dirname(os.path.dirname(path)), "cur", base + ":2," + "".join(sorted(letters)))
    os.rename(path, target)


def check_downgraded(test, path):
    """A client that did not ENABLE UTF8=ACCEPT holds Zhang's message with an ASCII header (RFC 6858) that still
    says who wrote it and what about, and the body as it was."""
    with open(path, "rb") as f:
        raw = f.read()
    header, _, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    test.assertTrue(header.isascii(), header)
    test.assertEqual(body, "你好！\n".encode())
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    test.assertEqual(str(msg["Subject"]), "你好 zhang")
    test.assertIn("张三", str(msg["From"]))


class Mbsync(unittest.TestCase):
    def check_downgraded(self, path):
        check_downgraded(self, path)

    def config(self, srv, ca, local):
        cfg = os.path.join(srv.dir, "mbsyncrc")
        with open(cfg, "w") as f:
            f.write(f"""IMAPAccount mailsim
Host {HOST}
Port {srv.ports['imaps']}
User rose@cesoo.com
Pass rose123
SSLType IMAPS
CertificateFile {ca}
Timeout 20

IMAPStore remote
Account mailsim

MaildirStore local
Path {local}/
Inbox {local}/INBOX
SubFolders Verbatim

Channel sync
Far :remote:
Near :local:
Patterns *
Create Both
Expunge Both
SyncState *
""")
        return cfg

    def sync(self, cfg):
        r = run([TOOL, "-c", cfg, "-a"])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r.stdout + r.stderr

    def test_two_syncs_stable_flags_and_deletions_both_ways(self):
        with server() as srv:
            ca = export_ca(srv)
            for s in ("one", "two", "three", "four"):
                deliver(srv, s)
            deliver_zhang(srv, "zhang")  # isync does not ENABLE UTF8=ACCEPT: it gets the downgraded header
            # Folders too: a level below another, and a Chinese name (modified UTF-7 on the wire, RFC 3501 5.1.3).
            m = imap(srv, ca)
            for box in ("Work", "Work/Projects", "&XyBOCXaET+E-"):
                self.assertEqual(m.create(box)[0], "OK")
                self.assertEqual(m.append(box, None, None, f"Message-ID: <{box}@x>\r\n\r\nin {box}\r\n".encode())[0],
                                 "OK")
            m.logout()
            local = os.path.join(srv.dir, "local")
            os.makedirs(local)
            cfg = self.config(srv, ca, local)
            out = self.sync(cfg)
            for box in ("Work", "Work/Projects", "&XyBOCXaET+E-"):  # isync 1.4 keeps the wire names
                self.assertEqual(set(maildir_state(os.path.join(local, box))), {f"{box}@x"}, out)
            # A folder made on this side is created on the server (Create Both) with its message.
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(local, "Archive", sub))
            with open(os.path.join(local, "Archive", "cur", "1.local:2,S"), "wb") as f:
                f.write(b"Message-ID: <archived@x>\r\nSubject: kept\r\n\r\nold\r\n")
            out = self.sync(cfg)
            self.assertEqual({k: v[1] for k, v in server_state(srv, ca, "Archive").items()},
                             {"archived@x": {"\\Seen"}}, out)
            inbox = os.path.join(local, "INBOX")
            self.assertEqual(set(maildir_state(inbox)), {"one@cesoo.com", "two@cesoo.com", "three@cesoo.com",
                                                         "four@cesoo.com", "zhang@cesoo.com"}, out)
            self.check_downgraded(maildir_state(inbox)["zhang@cesoo.com"][0])
            # A second sync with nothing changed changes nothing, on either side (same files, same UIDs and flags).
            before_local, before_server = maildir_state(inbox), server_state(srv, ca)
            out = self.sync(cfg)
            self.assertEqual(maildir_state(inbox), before_local, out)
            self.assertEqual(server_state(srv, ca), before_server)
            # Local changes go up: flag "one", delete "two".
            state = maildir_state(inbox)
            set_maildir_flags(state["one@cesoo.com"][0], {"F", "S"})
            os.remove(state["two@cesoo.com"][0])
            self.sync(cfg)
            remote = server_state(srv, ca)
            self.assertNotIn("two@cesoo.com", remote)
            self.assertTrue({"\\Flagged", "\\Seen"} <= remote["one@cesoo.com"][1], remote)
            # Server changes come down: flag "three", expunge "four", a new message "five".
            m = imap(srv, ca)
            m.select("INBOX")
            typ, data = m.search(None, "HEADER", "Message-ID", "three@cesoo.com")
            m.store(data[0].decode(), "+FLAGS", "(\\Answered)")
            typ, data = m.search(None, "HEADER", "Message-ID", "four@cesoo.com")
            m.store(data[0].decode(), "+FLAGS", "(\\Deleted)")
            m.expunge()
            m.logout()
            deliver(srv, "five")
            self.sync(cfg)
            state = maildir_state(inbox)
            self.assertEqual(set(state), {"one@cesoo.com", "three@cesoo.com", "five@cesoo.com", "zhang@cesoo.com"})
            self.assertIn("R", state["three@cesoo.com"][1])
            self.assertEqual(state["one@cesoo.com"][1], {"F", "S"})
            # And once more: stable.
            before_local, before_server = maildir_state(inbox), server_state(srv, ca)
            out = self.sync(cfg)
            self.assertEqual(maildir_state(inbox), before_local, out)
            self.assertEqual(server_state(srv, ca), before_server, out)
            self.assertEqual(srv.terminate(), 0)


class Fetchmail(unittest.TestCase):
    def fetch(self, srv, ca, proto, keep, sink, extra="", user="rose@cesoo.com", password="rose123"):
        port = srv.ports["pop3s" if proto == "POP3" else "imaps"]
        rc = os.path.join(srv.dir, f"fetchmailrc-{proto}")
        mda = f"{sys.executable} {os.path.join(os.path.dirname(__file__), 'fetchmail_mda.py')} {sink}"
        with open(rc, "w") as f:
            f.write(f'set no syslog\nset no bouncemail\n'
                    f'poll {HOST} with proto {proto} port {port} timeout 20\n'
                    f'  user "{user}" there with password "{password}" is "rose" here\n'
                    f'  options ssl sslcertck sslcertfile "{ca}" {"keep" if keep else "no keep"} {extra} '
                    f'mda "{mda}"\n')
        os.chmod(rc, 0o600)
        env = dict(os.environ, HOME=srv.dir, FETCHMAILHOME=srv.dir)
        r = run([TOOL, "-f", rc, "--nodetach", "--idfile", os.path.join(srv.dir, f"idfile-{proto}")], env=env)
        # fetchmail: 0 = mail was retrieved, 1 = there was no mail
        self.assertIn(r.returncode, (0, 1), r.stdout + r.stderr)
        return r.returncode, r.stdout + r.stderr

    def count(self, sink):
        return len(os.listdir(sink))

    def ids(self, sink):
        out = set()
        for f in os.listdir(sink):
            with open(os.path.join(sink, f), "rb") as fh:
                out.add(re.search(rb"Message-ID: <([^>]*)>", fh.read(), re.I).group(1))
        return out

    def left(self, srv):
        return srv.mailbox_files("rose@cesoo.com", "new") + srv.mailbox_files("rose@cesoo.com", "cur")

    def check(self, proto):
        with server() as srv:
            ca = export_ca(srv)
            deliver(srv, "k1")
            deliver(srv, "k2")
            sink = os.path.join(srv.dir, f"sink-{proto}")
            os.makedirs(sink)
            rc, out = self.fetch(srv, ca, proto, True, sink)
            self.assertEqual((rc, self.count(sink)), (0, 2), out)
            self.assertEqual(len(self.left(srv)), 2)  # keep: still on the server
            rc, out = self.fetch(srv, ca, proto, True, sink)  # keep again: nothing new is fetched twice
            self.assertEqual((rc, self.count(sink)), (1, 2), out)
            deliver(srv, "k3")
            # no keep: only what is new (k3) is fetched, and only that is deleted on the server
            rc, out = self.fetch(srv, ca, proto, False, sink)
            self.assertEqual((rc, self.count(sink)), (0, 3), out)
            self.assertEqual(self.ids(sink), {b"k1@cesoo.com", b"k2@cesoo.com", b"k3@cesoo.com"})
            self.assertEqual(len(self.left(srv)), 2, out)
            # no keep + fetchall: the two kept ones are fetched again and then deleted; the mailbox is empty
            rc, out = self.fetch(srv, ca, proto, False, sink, "fetchall")
            self.assertEqual((rc, self.count(sink)), (0, 5), out)
            self.assertEqual(self.left(srv), [], out)
            rc, out = self.fetch(srv, ca, proto, False, sink, "fetchall")
            self.assertEqual((rc, self.count(sink)), (1, 5), out)
            self.assertEqual(srv.terminate(), 0)

    def test_a_chinese_user_over_pop3_and_imap(self):
        with server() as srv:
            ca = export_ca(srv)
            deliver(srv, "z1", to=ZHANG)
            for proto in ("POP3", "IMAP"):
                sink = os.path.join(srv.dir, f"zhang-{proto}")
                os.makedirs(sink)
                rc, out = self.fetch(srv, ca, proto, True, sink, "fetchall", ZHANG, "zs123")
                self.assertEqual((rc, self.ids(sink)), (0, {b"z1@cesoo.com"}), out)
            self.assertEqual(srv.terminate(), 0)

    def test_pop3_keep_and_no_keep(self):
        self.check("POP3")

    def test_imap_keep_and_no_keep(self):
        self.check("IMAP")


class OfflineImap(unittest.TestCase):
    def config(self, srv, ca, local):
        cfg = os.path.join(srv.dir, "offlineimaprc")
        with open(cfg, "w") as f:
            f.write(f"""[general]
accounts = mailsim
metadata = {srv.dir}/offlineimap-meta
ui = basic

[Account mailsim]
localrepository = local
remoterepository = remote
utf8foldernames = yes

[Repository local]
type = Maildir
localfolders = {local}

[Repository remote]
type = IMAP
remotehost = {HOST}
remoteport = {srv.ports['imaps']}
ssl = yes
sslcacertfile = {ca}
remoteuser = rose@cesoo.com
remotepass = rose123
timeout = 20
""")
        return cfg

    def sync(self, cfg):
        r = run([TOOL, "-c", cfg, "-o", "-u", "basic"])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("ERROR", r.stdout + r.stderr)
        return r.stdout + r.stderr

    def test_two_syncs_stable_flags_and_deletions_both_ways(self):
        with server() as srv:
            ca = export_ca(srv)
            for s in ("o1", "o2", "o3"):
                deliver(srv, s)
            deliver_zhang(srv, "zhang")
            # A Chinese folder name: modified UTF-7 on the wire, decoded by offlineimap (utf8foldernames).
            m = imap(srv, ca)
            self.assertEqual(m.create("&XyBOCXaET+E-")[0], "OK")
            self.assertEqual(m.append("&XyBOCXaET+E-", None, None, b"Message-ID: <letter@x>\r\n\r\nhi\r\n")[0], "OK")
            m.logout()
            local = os.path.join(srv.dir, "local")
            os.makedirs(local)
            cfg = self.config(srv, ca, local)
            out = self.sync(cfg)
            inbox = os.path.join(local, "INBOX")
            self.assertEqual(set(maildir_state(inbox)), {"o1@cesoo.com", "o2@cesoo.com", "o3@cesoo.com",
                                                         "zhang@cesoo.com"}, out)
            check_downgraded(self, maildir_state(inbox)["zhang@cesoo.com"][0])
            self.assertEqual(set(maildir_state(os.path.join(local, "张三的信"))), {"letter@x"}, out)
            before_local, before_server = maildir_state(inbox), server_state(srv, ca)
            self.sync(cfg)
            self.assertEqual(maildir_state(inbox), before_local)
            self.assertEqual(server_state(srv, ca), before_server)
            state = maildir_state(inbox)
            set_maildir_flags(state["o1@cesoo.com"][0], {"F", "S"})
            os.remove(state["o2@cesoo.com"][0])
            self.sync(cfg)
            remote = server_state(srv, ca)
            self.assertNotIn("o2@cesoo.com", remote)
            self.assertTrue({"\\Flagged", "\\Seen"} <= remote["o1@cesoo.com"][1], remote)
            m = imap(srv, ca)
            m.select("INBOX")
            typ, data = m.search(None, "HEADER", "Message-ID", "o3@cesoo.com")
            m.store(data[0].decode(), "+FLAGS", "(\\Deleted)")
            m.expunge()
            m.logout()
            deliver(srv, "o4")
            self.sync(cfg)
            state = maildir_state(inbox)
            self.assertEqual(set(state), {"o1@cesoo.com", "o4@cesoo.com", "zhang@cesoo.com"})
            before_local, before_server = maildir_state(inbox), server_state(srv, ca)
            self.sync(cfg)
            self.assertEqual(maildir_state(inbox), before_local)
            self.assertEqual(server_state(srv, ca), before_server)
            self.assertEqual(srv.terminate(), 0)


class Neomutt(unittest.TestCase):
    def test_batch_send_over_submission_with_starttls(self):
        self.send("rose@cesoo.com")

    def test_batch_send_to_a_chinese_address(self):
        self.send(ZHANG)

    def send(self, to):
        with server() as srv:
            ca = export_ca(srv)
            rc = os.path.join(srv.dir, "neomuttrc")
            with open(rc, "w") as f:
                f.write(f'set smtp_url = "smtp://mike%40cesoo.com@{HOST}:{srv.ports["submission"]}/"\n'
                        'set smtp_pass = "mike123"\n'
                        'set ssl_starttls = yes\nset ssl_force_tls = yes\n'
                        f'set certificate_file = "{srv.dir}/neomutt-certs"\n'
                        f'set ssl_ca_certificates_file = "{ca}"\n'
                        'set from = "mike@cesoo.com"\nset realname = "Mike"\n'
                        'set send_charset = "utf-8"\nset charset = "utf-8"\n'
                        f'set record = ""\nset tmpdir = "{srv.dir}"\n')
            body = os.path.join(srv.dir, "body.txt")
            with open(body, "w", encoding="utf-8") as f:
                f.write("Rose, 你好！\n")
            env = dict(os.environ, HOME=srv.dir, LC_ALL="C.UTF-8")
            with open(body, "rb") as fh:
                r = subprocess.run([TOOL, "-n", "-F", rc, "-s", "batch 你好", "--", to], stdin=fh,
                                   capture_output=True, text=True, timeout=TIMEOUT, env=env)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            files = srv.mailbox_files(to)
            self.assertEqual(len(files), 1)
            with open(files[0], "rb") as fh:
                raw = fh.read()
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            self.assertEqual(str(msg["Subject"]), "batch 你好")
            if not to.isascii():  # neomutt said SMTPUTF8 in MAIL (RFC 6531 3.7.3: "with UTF8SMTPA" in Received)
                self.assertIn(b"with UTF8SMTPA", raw)
            self.assertEqual(msg.get_content().strip(), "Rose, 你好！")
            self.assertEqual(srv.terminate(), 0)


class Swaks(unittest.TestCase):
    """swaks 20201014 (Debian 12) writes "MAIL FROM:<address>" with no way to add the SMTPUTF8 parameter, so it is
    the old client of RFC 6531 3.7.4.1: its UTF-8 paths must be refused with 553 5.6.7, the ASCII mail it sends
    around them accepted; smtputf8_test.py covers the SMTPUTF8 transaction itself (smtplib)."""

    def swaks(self, srv, sender, to, data_file):
        return run([TOOL, "--server", "127.0.0.1", "--port", str(srv.port), "--helo", "interop.test",
                    "--from", sender, "--to", to, "--data", "@" + data_file, "--timeout", "20"],
                   env=dict(os.environ, LC_ALL="C.UTF-8"))

    def test_utf8_addresses_without_smtputf8(self):
        with server() as srv:
            data = os.path.join(srv.dir, "mail.eml")
            with open(data, "wb") as f:
                f.write(f"From: 张三 <{ZHANG}>\r\nTo: {ZHANG}\r\nSubject: 你好\r\nMIME-Version: 1.0\r\n"
                        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                        "你好！\r\n".encode())
            r = self.swaks(srv, ZHANG, "rose@cesoo.com", data)  # a UTF-8 sender
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("<** 553 5.6.7", r.stdout + r.stderr)
            r = self.swaks(srv, "mike@cesoo.com", ZHANG, data)  # a UTF-8 recipient
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("<** 553 5.6.7", r.stdout + r.stderr)
            self.assertEqual(srv.mailbox_files(ZHANG), [])
            self.assertEqual(srv.mailbox_files("rose@cesoo.com"), [])
            ascii_data = os.path.join(srv.dir, "ascii.eml")
            with open(ascii_data, "wb") as f:
                f.write(b"From: mike@cesoo.com\r\nTo: rose@cesoo.com\r\nSubject: =?UTF-8?B?5L2g5aW9?=\r\n\r\nhi\r\n")
            r = self.swaks(srv, "mike@cesoo.com", "rose@cesoo.com", ascii_data)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(len(srv.mailbox_files("rose@cesoo.com")), 1)
            self.assertEqual(srv.terminate(), 0)


class ImaplibUtf8(unittest.TestCase):
    def test_enable_utf8_accept(self):
        with server() as srv:
            deliver(srv, "utf8", to=ZHANG)
            ctx = ssl.create_default_context(cafile=export_ca(srv))
            m = imaplib.IMAP4_SSL(HOST, srv.ports["imaps"], ssl_context=ctx, timeout=TIMEOUT)
            self.assertIn("UTF8=ACCEPT", m.capabilities)
            m._encoding = "utf-8"  # the login name is UTF-8 (imaplib encodes commands as ASCII before ENABLE)
            self.assertEqual(m.login(ZHANG, "zs123")[0], "OK")
            typ, data = m.enable("UTF8=ACCEPT")
            self.assertEqual(typ, "OK")
            self.assertTrue(m.utf8_enabled)
            self.assertEqual(m.create('"张三的信"')[0], "OK")
            typ, data = m.list()
            self.assertEqual(typ, "OK")
            self.assertTrue(any('"/" "张三的信"' in d.decode("utf-8") for d in data), data)  # UTF-8, not mUTF-7
            self.assertEqual(m.select('"张三的信"')[0], "OK")
            # APPEND with the UTF8 data item (RFC 6855 4). imaplib's append() in UTF-8 mode puts "UTF8 (" inside
            # the literal (CPython gh-90378-style bug), so the command is written out here with LITERAL+.
            msg = (f"From: {ZHANG}\r\nTo: rose@cesoo.com\r\nSubject: 你好，Rose\r\n\r\n你好！\r\n").encode()
            m.send(b"u1 APPEND \"\xe5\xbc\xa0\xe4\xb8\x89\xe7\x9a\x84\xe4\xbf\xa1\" UTF8 (~{" +
                   str(len(msg)).encode() + b"+}\r\n" + msg + b")\r\n")
            lines = []
            for _ in range(50):
                line = m.readline()
                lines.append(line)
                if line.startswith(b"u1 "):
                    break
            self.assertTrue(lines[-1].startswith(b"u1 OK [APPENDUID "), lines)
            self.assertEqual(m.noop()[0], "OK")
            typ, data = m.search(None, "SUBJECT", '"你好"')
            self.assertEqual((typ, data), ("OK", [b"1"]))
            typ, data = m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            self.assertIn("你好，Rose".encode(), data[0][1])
            # RENAME, SUBSCRIBE, a UTF-8 LIST pattern, DELETE: all in UTF-8 (RFC 6855 3).
            m.close()
            self.assertEqual(m.rename('"张三的信"', '"旧信/张三"')[0], "OK")
            self.assertEqual(m.subscribe('"旧信/张三"')[0], "OK")
            typ, data = m.list('""', '"旧%"')
            self.assertEqual([d.decode() for d in data], ['(\\Noselect \\HasChildren) "/" "旧信"'])
            typ, data = m.lsub('""', "*")
            self.assertTrue(any(d.decode().endswith('"/" "旧信/张三"') for d in data), data)
            self.assertEqual(m.delete('"旧信/张三"')[0], "OK")
            typ, data = m.list('""', '"旧*"')
            self.assertEqual(data, [None])
            m.logout()
            # A client without ENABLE sees the same folders in modified UTF-7 (RFC 3501 5.1.3).
            m = imaplib.IMAP4_SSL(HOST, srv.ports["imaps"], ssl_context=ctx, timeout=TIMEOUT)
            m._encoding = "utf-8"
            self.assertEqual(m.login(ZHANG, "zs123")[0], "OK")
            self.assertEqual(m.create('"台北"')[0], "NO")  # 8-bit names need ENABLE first
            self.assertEqual(m.create("&U,BTFw-")[0], "OK")
            m.logout()
            m = imaplib.IMAP4_SSL(HOST, srv.ports["imaps"], ssl_context=ctx, timeout=TIMEOUT)
            m._encoding = "utf-8"
            m.login(ZHANG, "zs123")
            m.enable("UTF8=ACCEPT")
            typ, data = m.list('""', "*")
            self.assertTrue(any(d.decode().endswith('"/" "台北"') for d in data), data)
            m.logout()
            self.assertEqual(srv.terminate(), 0)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    MAILSIM, CLIENT = sys.argv[1], sys.argv[2]
    TOOL = sys.argv[3] if len(sys.argv) > 3 else None
    classes = {"mbsync": Mbsync, "fetchmail": Fetchmail, "offlineimap": OfflineImap, "neomutt": Neomutt,
               "swaks": Swaks, "imaplib": ImaplibUtf8}
    suite = unittest.TestLoader().loadTestsFromTestCase(classes[CLIENT])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
