"""Interop: curl's SMTP client (smtp://) against `mailsim serve`, over IPv4 and IPv6 loopback.

usage: curl_test.py PATH/TO/mailsim PATH/TO/curl
"""
import os
import socket
import subprocess
import sys
import tempfile

from mailsim_server import MailsimServer

MESSAGE = (b"From: Mike <mike@cesoo.com>\r\nTo: Rose <rose@cesoo.com>\r\nSubject: via curl\r\n\r\n"
           b"Hello from curl.\r\n.a line starting with a dot\r\n.\r\nlast line\r\n")


def ipv6_loopback_available():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def send_with_curl(curl, url, path):
    cmd = [curl, "--silent", "--show-error", "--max-time", "20", url,
           "--mail-from", "mike@cesoo.com", "--mail-rcpt", "rose@cesoo.com", "--mail-rcpt", "nobody@cesoo.com",
           "--mail-rcpt-allowfails", "-T", path]
    res = subprocess.run(cmd, capture_output=True, timeout=30)  # --mail-rcpt-allowfails: curl >= 7.69
    assert res.returncode == 0, f"curl failed ({res.returncode}): {res.stderr!r}"


def check(mailsim, curl, listen, host_in_url):
    with MailsimServer(mailsim, listen=listen) as srv, tempfile.NamedTemporaryFile(suffix=".eml") as f:
        f.write(MESSAGE)
        f.flush()
        send_with_curl(curl, f"smtp://{host_in_url}:{srv.port}/client.test", f.name)
        files = srv.mailbox_files("rose@cesoo.com")
        assert len(files) == 1, files
        with open(files[0], "rb") as m:
            stored = m.read()
        # curl stuffed the dots, the server removed them; on disk the line ends are LF (Maildir, issue #16)
        assert stored.endswith(MESSAGE.replace(b"\r\n", b"\n")), stored
        assert b"Received: from client.test" in stored, stored
        assert srv.terminate() == 0
        print(f"ok: curl via {listen}")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: curl_test.py PATH/TO/mailsim PATH/TO/curl")
    mailsim, curl = os.path.abspath(sys.argv[1]), sys.argv[2]
    check(mailsim, curl, "127.0.0.1:0", "127.0.0.1")
    if ipv6_loopback_available():
        check(mailsim, curl, "[::1]:0", "[::1]")
    else:
        print("skipped: no IPv6 loopback")


if __name__ == "__main__":
    main()
