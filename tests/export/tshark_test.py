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

    # TLS: STARTTLS on the submission port. tshark decodes SMTP up to STARTTLS, then TLS records (ClientHello,
    # ServerHello, application data); what was sent inside TLS is nowhere in the capture's bytes.
    tls_pcap = os.path.join(tmp, "starttls.pcap")
    r = subprocess.run([mailsim, "export", os.path.join(src, "scenarios", "smtp-starttls.yaml"), "--pcap", tls_pcap],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = subprocess.run([tshark, "-r", tls_pcap, "-Y", "tcp.stream == 0 && (smtp || tls)", "-T", "fields",
                          "-e", "smtp.req.command", "-e", "smtp.response.code", "-e", "tls.handshake.type",
                          "-e", "tls.record.content_type", "-e", "tls.record.opaque_type"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = [line.split("\t") for line in out.stdout.splitlines()]
    commands = [row[0] for row in rows if row[0]]
    print("tshark decoded (STARTTLS session):", commands)
    assert commands == ["EHLO", "AUTH", "MAIL", "STAR"], commands  # nothing after STARTTLS is readable
    handshakes = {t for row in rows if len(row) > 2 for t in row[2].split(",") if t}
    assert {"1", "2"} <= handshakes, f"ClientHello and ServerHello expected, got {handshakes}"
    content_types = {t for row in rows for field in row[3:] for t in field.split(",") if t}  # TLS 1.3: opaque_type
    assert "23" in content_types, f"application data records expected, got {content_types}"
    with open(tls_pcap, "rb") as f:
        wire = f.read()
    assert b"Nobody on the wire" not in wire, "a line sent inside TLS is readable in the capture"
    assert b"STARTTLS" in wire  # the clear-text part is there

    # The eavesdropper's view: the POP3 password crosses the wire in clear once (the first fetch), never under STLS.
    eve_pcap = os.path.join(tmp, "eve.pcap")
    r = subprocess.run([mailsim, "export", os.path.join(src, "scenarios", "eavesdropper-view.yaml"), "--pcap", eve_pcap],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    with open(eve_pcap, "rb") as f:
        wire = f.read()
    assert wire.count(b"PASS rose123") == 1, wire.count(b"PASS rose123")
    assert wire.count(b"Meet me at the library") == 2  # the SMTP submission and the clear-text RETR, not the STLS one
print("ok")
