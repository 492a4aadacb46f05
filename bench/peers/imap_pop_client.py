#!/usr/bin/python3
"""One timed round of IMAP and POP3 commands against one server, with the stdlib clients (imaplib, poplib), so Dovecot
and mailsim are driven by exactly the same client code.

usage: imap_pop_client.py HOST IMAP_PORT POP3_PORT USER PASS EXPECTED_MSGS SEARCH_FROM ROOT_PID

Prints one JSON object: seconds per step (imap_select, imap_fetch, imap_uid_search, pop_login, pop_list,
pop_retr_all) and rss_kib, the largest sum of VmHWM over ROOT_PID and its descendants seen at the sample points
(after FETCH and after RETR all, while the sessions are still open: Dovecot's imap/pop3 processes end with them).
Every socket has a 300 s timeout; every loop is bounded by EXPECTED_MSGS. The answers are checked (message count,
FETCH items, search hits, RETR octets), so a server that answers wrongly fails the run instead of looking fast.
"""
import imaplib
import json
import os
import poplib
import sys
import time

host, iport, pport, user, pw, expected, needle, root = sys.argv[1:9]
iport, pport, expected, root = int(iport), int(pport), int(expected), int(root)
TIMEOUT = 300
imaplib._MAXLINE = 10_000_000


def tree_hwm_kib(pid):
    """Sum of VmHWM (KiB) of pid and every descendant."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo, seen = 0, [pid], set()
    while todo and len(seen) < 10000:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total


def main():
    t = {}
    rss = 0
    m = imaplib.IMAP4(host, iport, timeout=TIMEOUT)
    m.login(user, pw)
    t0 = time.perf_counter()
    typ, data = m.select("INBOX")
    t["imap_select"] = time.perf_counter() - t0
    assert typ == "OK", data
    assert int(data[0]) == expected, f"INBOX has {data[0]}, expected {expected}"

    t0 = time.perf_counter()
    typ, data = m.fetch("1:*", "(FLAGS ENVELOPE)")
    t["imap_fetch"] = time.perf_counter() - t0
    assert typ == "OK", data
    got = sum(1 for d in data if isinstance(d, tuple) or (isinstance(d, bytes) and b"ENVELOPE" in d))
    assert got == expected, f"FETCH returned {got} items, expected {expected}"

    t0 = time.perf_counter()
    typ, data = m.uid("SEARCH", "FROM", needle)
    t["imap_uid_search"] = time.perf_counter() - t0
    assert typ == "OK", data
    hits = len(data[0].split())
    assert hits == expected // 10 + (1 if expected % 10 else 0), f"SEARCH FROM {needle} found {hits}"
    rss = max(rss, tree_hwm_kib(root))
    m.logout()

    t0 = time.perf_counter()
    p = poplib.POP3(host, pport, timeout=TIMEOUT)
    p.user(user)
    p.pass_(pw)
    t["pop_login"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    _, listing, _ = p.list()
    t["pop_list"] = time.perf_counter() - t0
    assert len(listing) == expected, f"LIST gave {len(listing)}"
    sizes = [int(x.split()[1]) for x in listing]

    t0 = time.perf_counter()
    for i in range(1, expected + 1):
        _, lines, octets = p.retr(i)
        assert octets >= sizes[i - 1], f"RETR {i}: {octets} octets, LIST said {sizes[i - 1]}"
    t["pop_retr_all"] = time.perf_counter() - t0
    rss = max(rss, tree_hwm_kib(root))
    p.quit()  # no DELE: the mailbox is unchanged
    t["rss_kib"] = rss
    print(json.dumps(t))


if __name__ == "__main__":
    main()
