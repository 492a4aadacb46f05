#!/usr/bin/env python3
"""`mailsim export --pcap` decoded by Wireshark's tshark: the SMTP commands and reply codes come out in order.

usage: tshark_test.py MAILSIM TSHARK SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

mailsim, tshark, src = sys.argv[1:4]
with tempfile.TemporaryDirectory() as tmp:
    pcap = os.path.join(tmp, "textbook.pcap")
    r = subprocess.run([mailsim, "export", os.path.join(src, "scenarios", "smtp-textbook.yaml"), "--pcap", pcap],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = subprocess.run([tshark, "-r", pcap, "-Y", "smtp", "-T", "fields", "-e", "smtp.req.command",
                          "-e", "smtp.response.code"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    fields = [f for line in out.stdout.splitlines() for f in line.split("\t") if f]
    expected = ["220", "HELO", "250", "MAIL", "250", "RCPT", "250", "DATA", "354", "250", "QUIT", "221"]
    print("tshark decoded:", fields)
    assert fields == expected, f"expected {expected}"
    bad = subprocess.run([tshark, "-r", pcap, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-Y",
                          "tcp.checksum.status==2 || ip.checksum.status==2 || tcp.analysis.flags"],
                         capture_output=True, text=True, timeout=60)
    assert bad.stdout.strip() == "", "tshark flags problems:\n" + bad.stdout
print("ok")
