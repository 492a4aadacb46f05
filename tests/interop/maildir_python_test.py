#!/usr/bin/env python3
"""Python's mailbox.Maildir reads a Maildir written by mailsim (issue #16): called by test_maildir_index with the
Maildir's path and the expected messages as JSON lines {"subject", "body", "flags", "size"}; exits non-zero with a
message on any difference."""
import json
import mailbox
import sys


def main() -> int:
    path, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = [json.loads(line) for line in f if line.strip()]
    box = mailbox.Maildir(path, factory=None, create=False)
    got = {}
    for key in box.keys():
        msg = box[key]
        raw = box.get_bytes(key)
        if b"\r" in raw:
            print(f"{key}: CR on disk; Maildir readers expect LF line ends", file=sys.stderr)
            return 1
        got[msg["Subject"]] = (msg, raw)
    if len(got) != len(expected):
        print(f"expected {len(expected)} messages, python found {len(got)}: {sorted(got)}", file=sys.stderr)
        return 1
    for e in expected:
        if e["subject"] not in got:
            print(f"no message with subject {e['subject']!r}", file=sys.stderr)
            return 1
        msg, raw = got[e["subject"]]
        body = msg.get_payload()
        if body != e["body"]:
            print(f"{e['subject']}: body {body!r}, expected {e['body']!r}", file=sys.stderr)
            return 1
        if msg.get_flags() != e["flags"]:
            print(f"{e['subject']}: flags {msg.get_flags()!r}, expected {e['flags']!r}", file=sys.stderr)
            return 1
        wire = raw.replace(b"\n", b"\r\n")
        if len(wire) != e["size"]:
            print(f"{e['subject']}: {len(wire)} octets with CRLF, mailsim said {e['size']}", file=sys.stderr)
            return 1
    print(f"python mailbox read {len(got)} messages with the right bodies, flags and sizes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
