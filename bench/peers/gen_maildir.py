#!/usr/bin/python3
"""Writes N small RFC 5322 messages into MAILDIR/cur, as a delivering MDA would (LF line ends, ",S=<size>" in the name,
":2,S" on every third = \\Seen). Every tenth message is From: Alice, so SEARCH FROM alice hits N/10.

usage: gen_maildir.py MAILDIR N
The same directory is copied into Dovecot's and mailsim's stores, so both serve byte-identical files.
"""
import os
import sys

root, n = sys.argv[1], int(sys.argv[2])
for d in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(root, d), exist_ok=True)
names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
base = 1700000000
for i in range(n):
    who = names[i % 10]
    body = f"Hello, this is message {i}.\n" * (3 + i % 7)
    msg = (f"Return-Path: <{who}@example.org>\n"
           f"Message-ID: <{i}.peer@example.org>\n"
           f"Date: Tue, 14 Nov 2023 22:13:{i % 60:02d} +0000\n"
           f"From: {who.capitalize()} <{who}@example.org>\n"
           f"To: Peer <peer@bench.test>\n"
           f"Subject: test message {i} from {who}\n"
           f"MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n{body}").encode()
    flags = "S" if i % 3 == 0 else ""
    name = f"{base + i}.M{i}P1.peer,S={len(msg)}:2,{flags}"
    path = os.path.join(root, "cur", name)
    with open(path, "wb") as f:
        f.write(msg)
    os.utime(path, (base + i, base + i))
