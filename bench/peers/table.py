#!/usr/bin/python3
"""Prints run.sh's results (JSON lines) as one Markdown table: medians per workload, both servers, the ratio, peak RSS.

usage: table.py results.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
meta = next((r["meta"] for r in rows if "meta" in r), {})
vals = defaultdict(list)
for r in rows:
    if "meta" not in r:
        vals[(r["workload"], r["size"], r["server"])].append(float(r["value"]))


def med(key):
    v = vals.get(key)
    return statistics.median(v) if v else None


def n(x):
    return f"{x:,}"


def secs(x):
    return "—" if x is None else (f"{x:.4f} s" if x < 0.1 else f"{x:.3f} s")


def mib(kib):
    return "—" if kib is None else f"{kib / 1024:.0f} MiB"


out = []
print(f"mailsim {meta.get('mailsim', '?')}; Dovecot {meta.get('dovecot', '?')}; Postfix {meta.get('postfix', '?')}; "
      f"{meta.get('cpu', '?')}, {meta.get('cores', '?')} cores; medians of {meta.get('runs', '?')} interleaved runs")
print()
print("| workload | messages | peer | mailsim | mailsim / peer | peak RSS peer / mailsim |")
print("|---|---|---|---|---|---|")
labels = [("imap_select", "IMAP SELECT"), ("imap_fetch", "IMAP FETCH 1:* (FLAGS ENVELOPE)"),
          ("imap_uid_search", "IMAP UID SEARCH FROM"), ("pop_login", "POP3 login (USER+PASS)"),
          ("pop_list", "POP3 LIST"), ("pop_retr_all", "POP3 RETR all")]
sizes = sorted({k[1] for k in vals if k[0] == "imap_select"})
for size in sizes:
    rss = f"{mib(med(('rss_kib', size, 'dovecot')))} / {mib(med(('rss_kib', size, 'mailsim')))}"
    for key, label in labels:
        d, m = med((key, size, "dovecot")), med((key, size, "mailsim"))
        ratio = "—" if not d or m is None else f"{m / d:.2f}× {'✓' if m <= d else '✗'}"
        print(f"| {label} | {n(size)} | Dovecot {secs(d)} | {secs(m)} | {ratio} (time) | {rss} |")
    cold = [med((k, size, s + "-cold")) for s in ("dovecot", "mailsim") for k, _ in labels[:3]]
    if None not in cold:
        d, m = sum(cold[:3]), sum(cold[3:])
        print(f"| first round after start (index built from the files): SELECT+FETCH+SEARCH | {n(size)} | "
              f"Dovecot {secs(d)} | {secs(m)} | {m / d:.2f}× (time) | |")
for (key, size, server) in sorted(vals):
    if key.startswith("smtp_") and key != "smtp_rss" and server == "postfix":
        p, m = med((key, size, "postfix")), med((key, size, "mailsim"))
        _, mode, sess = key.split("_")
        what = "new connection per message" if mode == "new" else "one connection per session reused"
        ratio = "—" if not p or m is None else f"{m / p:.2f}× {'✓' if m >= 2 * p else '✗'}"
        rss = mib(med(("smtp_rss", size, "mailsim")))
        print(f"| SMTP durable accept, {sess[1:]} session(s), {what} (smtp-source, {size} × 1 KiB) | {n(size)} | "
              f"Postfix {p:.0f} msg/s | {'—' if m is None else f'{m:.0f} msg/s'} | {ratio} (rate) | — / {rss} |")
for size in sorted({k[1] for k in vals if k[0] == "delivery_full"}):
    f, e = med(("delivery_full", size, "mailsim")), med(("delivery_empty", size, "mailsim"))
    print(f"| SMTP delivery into a {n(size)}-message mailbox vs an empty one | {n(size)} | — | {f:.0f} vs {e:.0f} "
          f"msg/s | {f / e:.2f}× {'✓' if f >= 0.9 * e else '✗'} (rate, full / empty) | |")
for size in sorted({k[1] for k in vals if k[0] == "index_rss_per_msg"}):
    r = med(("index_rss_per_msg", size, "mailsim"))
    dm, dd = med(("index_disk_per_msg", size, "mailsim")), med(("index_disk_per_msg", size, "dovecot"))
    print(f"| index per message: mailsim resident growth after loading; index files on disk | {n(size)} | "
          f"Dovecot files {dd:.0f} B | {r:.0f} B in memory, files {dm:.0f} B | "
          f"{'✓' if r < 1024 else '✗'} (< 1 KiB) | |")
