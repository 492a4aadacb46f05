"""Interop (issue #16): mailsim's Maildir and Dovecot's are the same format, both ways, with a throwaway Dovecot.

1. mailsim writes: mail arrives over SMTP at `mailsim serve`, flags and a keyword are set over its IMAP; then
   - python's mailbox.Maildir reads the files: the same messages (LF on disk), flags as info letters;
   - Dovecot (Debian's dovecot-imapd, own configuration under a temporary directory, 127.0.0.1, a free port) serves a
     copy of that Maildir: every message's BODY[], RFC822.SIZE and FLAGS (keyword included) equal mailsim's.
2. Dovecot writes: messages APPENDed to Dovecot over IMAP (CRLF and LF input, flags, a keyword); then `mailsim serve`
   serves a copy of Dovecot's Maildir: BODY[], RFC822.SIZE and FLAGS equal Dovecot's over IMAP, and POP3 LIST octets
   and RETR bodies agree with them.
Dovecot runs its mail processes as nobody (it refuses root), so the test needs root to start it; without root or
without /usr/sbin/dovecot it exits 77 (CTest: skipped) saying why. Every wait is bounded (a counted port poll, socket
timeouts); Dovecot and mailsim are stopped by their own PIDs.

usage: dovecot_test.py PATH/TO/mailsim
"""
import imaplib
import mailbox
import os
import poplib
import pwd
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

from mailsim_server import MailsimServer

TIMEOUT = 20
DOVECOT = "/usr/sbin/dovecot"
ROSE, MIKE = "rose@cesoo.com", "mike@cesoo.com"
PASSWORD = {ROSE: "rose123", MIKE: "mike123"}

TO_MAILSIM = [  # delivered over SMTP (CRLF on the wire); mailsim stores LF
    "From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: one\r\nMessage-ID: <1@cesoo.com>\r\n\r\nHello\r\n",
    "From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: two\r\nMessage-ID: <2@cesoo.com>\r\n\r\n"
    ".a line that starts with a dot\r\n\r\nlast line\r\n",
    "From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: three\r\nMessage-ID: <3@cesoo.com>\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
    "part\r\n--b--\r\n",
]
FLAGS_SET = {"one": r"(\Seen \Flagged)", "two": r"(\Draft)", "three": r"(\Answered)"}
TO_DOVECOT = [  # APPENDed to Dovecot: (message, flags)
    ("From: Rose <rose@cesoo.com>\r\nTo: mike@cesoo.com\r\nSubject: d-one\r\n\r\nCRLF body\r\n", r"(\Seen)"),
    ("From: Rose <rose@cesoo.com>\nTo: mike@cesoo.com\nSubject: d-two\n\nLF body\nsecond line\n", r"(\Flagged $Work)"),
    ("From: Rose <rose@cesoo.com>\r\nTo: mike@cesoo.com\r\nSubject: d-three\r\n\r\n..dotted\r\n", ""),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what, deadline=20.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)
    raise AssertionError(f"{what} did not listen on 127.0.0.1:{port} within {deadline}s")


class Dovecot:
    """A throwaway Dovecot: configuration, state and homes under `base`; IMAP and POP3 on free loopback ports."""

    def __init__(self, base):
        self.base = base
        self.imap_port, self.pop3_port = free_port(), free_port()
        self.proc = None
        for d in ("run", "state", "home"):
            os.makedirs(os.path.join(base, d), exist_ok=True)
        with open(os.path.join(base, "users"), "w") as f:
            for user, pw in PASSWORD.items():
                f.write(f"{user}:{{PLAIN}}{pw}\n")
        with open(os.path.join(base, "dovecot.conf"), "w") as f:
            f.write(f"""instance_name = mailsim-interop-dovecot
base_dir = {base}/run
state_dir = {base}/state
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {base}/dovecot.log
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={base}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""")

    def maildir(self, user):
        return os.path.join(self.base, "home", user, "Maildir")

    def start(self):
        nobody = pwd.getpwnam("nobody")
        for root, dirs, files in os.walk(os.path.join(self.base, "home")):
            for name in [root] + [os.path.join(root, x) for x in dirs + files]:
                os.chown(name, nobody.pw_uid, nobody.pw_gid)
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", os.path.join(self.base, "dovecot.conf")],
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.base, "stderr"), "wb"))
        wait_port(self.imap_port, self.proc, "dovecot")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the master stops its own children
            self.proc.wait(timeout=20)

    def log(self):
        try:
            return open(os.path.join(self.base, "dovecot.log"), errors="replace").read()
        except OSError:
            return ""


def imap_messages(port, user, system_only=False):
    """{subject: (BODY[] bytes, RFC822.SIZE, set of flags without \\Recent)} of INBOX, read-only."""
    m = imaplib.IMAP4("127.0.0.1", port, timeout=TIMEOUT)
    m.login(user, PASSWORD[user])
    typ, data = m.select("INBOX", readonly=True)
    assert typ == "OK", data
    typ, data = m.fetch("1:*", "(FLAGS RFC822.SIZE BODY.PEEK[])")
    assert typ == "OK", data
    out = {}
    for item in data:
        if not isinstance(item, tuple):
            continue
        head, body = item
        size = int(re.search(rb"RFC822\.SIZE (\d+)", head).group(1))
        flags = set(re.search(rb"FLAGS \(([^)]*)\)", head).group(1).decode().split()) - {"\\Recent"}
        if system_only:  # mailsim's IMAP does not show keywords yet (the store keeps them: dovecot-keywords)
            flags = {f for f in flags if f.startswith("\\")}
        subject = re.search(rb"^Subject: (.*)\r$", body, re.M).group(1).decode()
        out[subject] = (body, size, flags)
    m.logout()
    return out


def set_flags(port, user, flags_by_subject):
    m = imaplib.IMAP4("127.0.0.1", port, timeout=TIMEOUT)
    m.login(user, PASSWORD[user])
    m.select("INBOX")
    for subject, flags in flags_by_subject.items():
        typ, data = m.search(None, "SUBJECT", subject)
        assert typ == "OK" and len(data[0].split()) == 1, (subject, data)
        typ, data = m.store(data[0].decode(), "+FLAGS", flags)
        assert typ == "OK", data
    m.logout()


def same(a, b, who):
    assert sorted(a) == sorted(b), f"{who}: subjects {sorted(a)} vs {sorted(b)}"
    for subject in a:
        body_a, size_a, flags_a = a[subject]
        body_b, size_b, flags_b = b[subject]
        assert body_a == body_b, f"{who}: {subject}: bodies differ\n{body_a!r}\n{body_b!r}"
        assert size_a == size_b == len(body_a), f"{who}: {subject}: sizes {size_a} {size_b}, body {len(body_a)}"
        assert flags_a == flags_b, f"{who}: {subject}: flags {flags_a} vs {flags_b}"


def python_reads(maildir, expected):
    """python's mailbox module reads mailsim's Maildir: LF files, the same messages and flags."""
    box = mailbox.Maildir(maildir, factory=None, create=False)
    letters = {"\\Seen": "S", "\\Flagged": "F", "\\Answered": "R", "\\Draft": "D", "\\Deleted": "T"}
    got = {}
    for key in box.keys():
        raw = box.get_bytes(key)
        assert b"\r" not in raw, f"{key}: CR on disk"
        msg = box.get_message(key)
        got[msg["Subject"]] = (raw.replace(b"\n", b"\r\n"), "".join(sorted(c for c in msg.get_flags() if c.isupper())))
    assert sorted(got) == sorted(expected), (sorted(got), sorted(expected))
    for subject, (body, _, flags) in expected.items():
        assert got[subject][0] == body, f"python: {subject}: {got[subject][0]!r} vs {body!r}"
        want = "".join(sorted(letters[f] for f in flags if f in letters))
        assert got[subject][1] == want, f"python: {subject}: flags {got[subject][1]!r}, expected {want!r}"


def main():
    mailsim = sys.argv[1]
    if not os.path.exists(DOVECOT):
        print("SKIP: Dovecot is not installed (apt-get install dovecot-imapd; scripts/install-deps.sh does)")
        return 77
    if os.geteuid() != 0:
        print("SKIP: starting a Dovecot instance needs root (its mail processes run as nobody)")
        return 77
    base = tempfile.mkdtemp(prefix="mailsim-dovecot-")
    os.chmod(base, 0o755)  # Dovecot's auth process (user dovecot) and mail processes (nobody) must reach their files
    dovecot = Dovecot(os.path.join(base, "dovecot"))
    try:
        # 1. mailsim writes, python and Dovecot read.
        with MailsimServer(mailsim, imap="127.0.0.1:0", extra_args=["--no-tls"]) as srv:
            with smtplib.SMTP(srv.host, srv.port, timeout=TIMEOUT) as s:
                for msg in TO_MAILSIM:
                    s.sendmail(MIKE, [ROSE], msg.encode())
            set_flags(srv.imap_port, ROSE, FLAGS_SET)
            from_mailsim = imap_messages(srv.imap_port, ROSE)
            assert len(from_mailsim) == len(TO_MAILSIM), from_mailsim.keys()
            assert from_mailsim["one"][2] == {"\\Seen", "\\Flagged"}, from_mailsim["one"][2]
            assert from_mailsim["two"][2] == {"\\Draft"}, from_mailsim["two"][2]
            assert srv.terminate() == 0
            python_reads(os.path.join(srv.maildir, ROSE), from_mailsim)
            shutil.copytree(os.path.join(srv.maildir, ROSE), dovecot.maildir(ROSE))
        dovecot.start()
        same(from_mailsim, imap_messages(dovecot.imap_port, ROSE), "Dovecot serving mailsim's Maildir")

        # 2. Dovecot writes, mailsim reads.
        m = imaplib.IMAP4("127.0.0.1", dovecot.imap_port, timeout=TIMEOUT)
        m.login(MIKE, PASSWORD[MIKE])
        for msg, flags in TO_DOVECOT:
            typ, data = m.append("INBOX", flags or None, None, msg.encode())
            assert typ == "OK", data
        m.logout()
        from_dovecot = imap_messages(dovecot.imap_port, MIKE)
        assert from_dovecot["d-two"][0] == TO_DOVECOT[1][0].replace("\n", "\r\n").encode(), from_dovecot["d-two"]
        assert from_dovecot["d-two"][2] == {"\\Flagged", "$Work"}, from_dovecot["d-two"][2]
        dovecot.stop()
        names = os.listdir(os.path.join(dovecot.maildir(MIKE), "cur")) + os.listdir(
            os.path.join(dovecot.maildir(MIKE), "new"))
        assert len(names) == len(TO_DOVECOT) and all(",S=" in n for n in names), names
        srv = MailsimServer(mailsim, imap="127.0.0.1:0", pop3="127.0.0.1:0", extra_args=["--no-tls"])
        shutil.copytree(dovecot.maildir(MIKE), os.path.join(srv.maildir, MIKE))
        with srv:
            system = {k: (v[0], v[1], {f for f in v[2] if f.startswith("\\")}) for k, v in from_dovecot.items()}
            same(system, imap_messages(srv.imap_port, MIKE, True), "mailsim serving Dovecot's Maildir")
            p = poplib.POP3(srv.host, srv.pop3_port, timeout=TIMEOUT)
            p.user(MIKE)
            p.pass_(PASSWORD[MIKE])
            _, listing, _ = p.list()
            by_size = sorted(int(x.split()[1]) for x in listing)
            assert by_size == sorted(v[1] for v in from_dovecot.values()), (listing, from_dovecot)
            bodies = set()
            for i in range(1, len(listing) + 1):
                _, lines, octets = p.retr(i)
                bodies.add(b"".join(line + b"\r\n" for line in lines))
            p.quit()
            assert bodies == {v[0] for v in from_dovecot.values()}, bodies
            # A flag change through mailsim keeps Dovecot's keyword letter ($Work is 'a' in dovecot-keywords).
            set_flags(srv.imap_port, MIKE, {"d-two": r"(\Seen)"})
            assert srv.terminate() == 0
            cur = os.path.join(srv.maildir, MIKE, "cur")
            infos = [n.split(":2,", 1)[1] for n in os.listdir(cur)
                     if b"Subject: d-two" in open(os.path.join(cur, n), "rb").read()]
            assert infos == ["FSa"], f"d-two's info after STORE +FLAGS (\\Seen) in mailsim: {infos}"
        print(f"Dovecot served mailsim's {len(from_mailsim)} messages and mailsim Dovecot's {len(from_dovecot)}: "
              "same bodies, sizes and flags; python's mailbox read mailsim's Maildir")
        shutil.rmtree(base, ignore_errors=True)
        return 0
    except BaseException:
        print(f"files kept in {base}; Dovecot's log:\n{dovecot.log()}")
        raise
    finally:
        dovecot.stop()


if __name__ == "__main__":
    sys.exit(main())
