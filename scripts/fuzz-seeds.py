#!/usr/bin/env python3
"""Grows the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/) from the shipped scenarios' traces.

usage: scripts/fuzz-seeds.py MAILSIM_BINARY [SOURCE_DIR]

Runs `mailsim run --format json` on every scenario and writes, per session, what each side sent (the C:/S: lines'
raw bytes) in the layout each target reads (see the comment at the top of each tests/fuzz/fuzz_*.cpp):
  fuzz_{smtp,pop3,imap}_server   2 layout bytes + the client's bytes      (the server parses them)
  fuzz_{smtp,pop3,imap}_client   2 layout bytes + the server's bytes      (the client parses them)
  fuzz_smtp_data                 2 layout bytes + each DATA content with its "." line
  fuzz_mime_parser               each of those messages, unstuffed
  fuzz_header_fields             each header field value of those messages
  fuzz_mutf7                     1 layout byte + each IMAP mailbox argument
  fuzz_scenario_loader           the scenario files themselves
  fuzz_live_trace                1 layout byte + the trace's events as JSON lines
Files are named <scenario>-<session>[-<n>]; only files up to 16 kB are kept (the corpora are committed), and a file
is only written when its content is new, so running the script again changes nothing. Hand-written seeds
(any other name) are left alone.
"""
import hashlib
import json
import os
import re
import subprocess
import sys

mailsim = sys.argv[1]
src = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
corpus = os.path.join(src, "tests", "fuzz", "corpus")
MAX = 16 * 1024
written = 0


def put(target, name, data):
    global written
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if not data or len(data) > MAX:
        return
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    known = set()
    for f in os.listdir(d):
        with open(os.path.join(d, f), "rb") as fh:
            known.add(hashlib.sha1(fh.read()).hexdigest())
    if hashlib.sha1(data).hexdigest() in known:
        return
    with open(os.path.join(d, name), "wb") as fh:
        fh.write(data)
    written += 1


def header_values(message):
    head = message.split("\r\n\r\n", 1)[0]
    unfolded = re.sub(r"\r\n[ \t]", " ", head)
    for line in unfolded.split("\r\n"):
        if ":" in line:
            yield line.split(":", 1)[1].strip()


scenarios = os.path.join(src, "scenarios")
for file in sorted(os.listdir(scenarios)):
    if not file.endswith(".yaml"):
        continue
    path = os.path.join(scenarios, file)
    stem = file[:-5]
    with open(path, "rb") as fh:
        put("fuzz_scenario_loader", stem, fh.read())
    r = subprocess.run([mailsim, "run", path, "--format", "json"], capture_output=True, timeout=120)
    if not r.stdout:
        continue
    doc = json.loads(r.stdout)
    protocols = {s["id"]: s["protocol"] for s in doc["sessions"]}
    sides = {}
    for e in doc["events"]:
        if e.get("kind") != "line" or e.get("session") not in protocols:
            continue
        client, server = sides.setdefault(e["session"], ([], []))
        (client if e["direction"] == "C->S" else server).append(e["raw"])
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in doc["events"][:40])
    put("fuzz_live_trace", stem, b"\x00" + lines.encode())
    for sid, (client, server) in sides.items():
        proto = protocols[sid]
        if proto not in ("smtp", "pop3", "imap"):
            continue
        name = f"{stem}-{sid}"
        put(f"fuzz_{proto}_server", name, b"\x00\x00" + "".join(client).encode("utf-8", "surrogateescape"))
        put(f"fuzz_{proto}_client", name, b"\x00\x00" + "".join(server).encode("utf-8", "surrogateescape"))
        if proto == "smtp":
            text = "".join(client)
            for n, m in enumerate(re.finditer(r"(?:^|\r\n)DATA\r\n(.*?\r\n\.\r\n)", text, re.S)):
                put("fuzz_smtp_data", f"{name}-{n}", b"\x00\x00" + m.group(1).encode("utf-8", "surrogateescape"))
                body = m.group(1)[:-3].replace("\r\n..", "\r\n.")
                put("fuzz_mime_parser", f"{name}-{n}", body)
                for k, value in enumerate(header_values(m.group(1))):
                    put("fuzz_header_fields", f"{name}-{n}-{k}", value)
        if proto == "imap":
            for n, line in enumerate(client):
                m = re.match(r"\S+ (?:SELECT|EXAMINE|CREATE|DELETE|RENAME|LIST|MOVE|COPY|UID MOVE|UID COPY) (.*)\r\n",
                             line, re.I)
                if m:
                    put("fuzz_mutf7", f"{name}-{n}", b"\x03" + m.group(1).split(" ")[-1].strip('"').encode())
print(f"wrote {written} new seed file(s) under {corpus}")
