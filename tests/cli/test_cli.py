#!/usr/bin/env python3
"""`mailsim run` as a user runs it: transcript on stdout, exit codes 0/1/2, JSON that parses; `mailsim predict` fed
from stdin and with --answers.

usage: test_cli.py MAILSIM_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

mailsim, src = sys.argv[1], sys.argv[2]
failures = []


# The annotations' language follows LC_ALL/LC_MESSAGES/LANG: English checks run with a pinned English locale.
ENGLISH = {**os.environ, "LC_ALL": "C.UTF-8"}


def run(*args, env=ENGLISH):
    return subprocess.run([mailsim, *args], capture_output=True, text=True, timeout=60, env=env)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


textbook = os.path.join(src, "scenarios", "smtp-textbook.yaml")

r = run("run", textbook)
check(r.returncode == 0, f"textbook exits 0 (got {r.returncode}, stderr {r.stderr!r})")
lines = [l for l in r.stdout.splitlines() if l.startswith(("C: ", "S: "))]
check(lines[0].startswith("S: 220 cesoo.com"), f"first line is the 220 greeting: {lines[:1]}")
check("C: HELO Mike" in lines, "HELO line present")
check("C: I love you, Rose" in lines, "the love letter is in the transcript")
check(lines[-1] == "S: 221 cesoo.com closing connection", f"last line is 221: {lines[-1:]}")
check("[smtp RCPT -> DATA] (DATA)" in r.stdout, "state transitions are interleaved")
check("8 of 8 expectations held" in r.stderr, f"summary on stderr: {r.stderr!r}")

r = run("run", textbook, "--times")
check(r.returncode == 0 and "09:00:00.0" in r.stdout, "--times prefixes virtual times")

r = run("run", textbook, "--format", "json")
check(r.returncode == 0, "json run exits 0")
doc = json.loads(r.stdout)
kinds = {e["kind"] for e in doc["events"]}
check({"line", "state-changed", "store-changed", "note", "expectation"} <= kinds, f"json event kinds: {kinds}")
check(doc["sessions"][0]["server"] == "mail.cesoo.com:25", "json session server")
check(any(e.get("raw") == "HELO Mike\r\n" for e in doc["events"]), "json keeps raw bytes with CRLF")

with tempfile.TemporaryDirectory() as tmp:
    failing = os.path.join(tmp, "failing.yaml")
    with open(textbook, encoding="utf-8") as f:
        text = f.read().replace('{ send: "DATA", expect: 354 }', '{ send: "DATA", expect: 250 }')
    with open(failing, "w", encoding="utf-8") as f:
        f.write(text)
    r = run("run", failing)
    check(r.returncode == 1, f"failed expectation exits 1 (got {r.returncode})")
    check("FAILED step 2, script line 5" in r.stderr and "expected 250, got 354" in r.stderr,
          f"failure names the step, the line and expected vs got: {r.stderr!r}")
    check("!! expected 250, got 354" in r.stdout, "failure marked in the transcript")

    broken = os.path.join(tmp, "broken.yaml")
    with open(broken, "w", encoding="utf-8") as f:
        f.write("title: x\nhosts:\n  - nme: a\nsteps: []\n")
    r = run("run", broken)
    check(r.returncode == 2, f"broken file exits 2 (got {r.returncode})")
    check(f"{broken}:3:5: unknown key 'nme' in a host (did you mean 'name'?)" in r.stderr, f"diagnostic: {r.stderr!r}")
    check(r.stdout == "", "nothing runs for a broken file")

    # Authoring: a starter scenario that checks and runs; check over a directory; no overwriting.
    starter = os.path.join(tmp, "my-lesson")
    r = run("new", starter)
    check(r.returncode == 0 and os.path.exists(starter + ".yaml"), f"new writes the starter: {r.stderr!r}")
    r = run("check", starter + ".yaml")
    check(r.returncode == 0 and "ok (2 hosts, 3 steps)" in r.stdout, f"the starter checks: {r.stdout!r} {r.stderr!r}")
    r = run("run", starter + ".yaml")
    check(r.returncode == 0, f"the starter runs with every expectation held: {r.stderr!r}")
    r = run("new", starter)
    check(r.returncode == 2 and "already exists" in r.stderr, "new does not overwrite")
    r = run("check", broken)
    check(r.returncode == 2 and ":3:5: unknown key 'nme'" in r.stderr, f"check reports problems, exit 2: {r.stderr!r}")

r = run("check", os.path.join(src, "scenarios"))
check(r.returncode == 0 and "scenario files are valid" in r.stdout, f"every shipped scenario checks: {r.stdout!r} {r.stderr!r}")
check("networks/two-domains.yaml: ok (network file for include:)" in r.stdout,
      f"check takes files under networks/ as network files: {r.stdout!r}")

# Checkpoints: --until stops the transcript at one; an unknown name exits 2.
strict = os.path.join(src, "scenarios", "smtp-strict-vs-lenient.yaml")
r = run("run", strict, "--until", "strict-server")
out = r.stdout.rstrip().splitlines()
check(r.returncode == 0 and out[-1] == "   == checkpoint: strict-server" and "mail.strict.org" not in r.stdout,
      f"--until stops at the checkpoint: {out[-2:]}")
r = run("run", textbook, "--until", "nowhere")
check(r.returncode == 2 and "has no checkpoint 'nowhere'" in r.stderr, f"--until with an unknown name: {r.stderr!r}")

r = run("run", "/nonexistent.yaml")
check(r.returncode == 2 and "cannot read the file" in r.stderr, "missing file exits 2 with a reason")
r = run("run", textbook, "--format", "xml")
check(r.returncode == 2, "bad --format exits 2")
r = run("frobnicate")
check(r.returncode == 2, "unknown command exits 2")
r = run("help")
check(r.returncode == 0 and "mailsim run FILE" in r.stdout, "help exits 0 and shows usage")

# Predict mode: guesses from stdin, each answered right or wrong with the catalogue's explanation, then the score.
def predict(*args, stdin=""):
    return subprocess.run([mailsim, "predict", *args], input=stdin, capture_output=True, text=True, timeout=60)


r = predict(textbook, stdin="220\n250\n250\n550\n354\n250\n221\n")
check(r.returncode == 0, f"predict exits 0 (got {r.returncode}, stderr {r.stderr!r})")
check('Your guess for the server\'s reply to "RCPT TO: rose@cesoo.com" [' in r.stdout, f"RCPT prompt: {r.stdout!r}")
check("Your guess for the server's greeting [" in r.stdout, "greeting prompt")
check("Wrong: you chose 550" in r.stdout and "RFC 5321 4.1.1.3" in r.stdout,
      "the miss is explained with the right reply's catalogue entry and RFC section")
check("S: 250 <rose@cesoo.com>... Recipient OK\nWrong: you chose 550" in r.stdout, "the reply is revealed after the guess")
check(r.stdout.rstrip().endswith("Score: 6/7"), f"score line: {r.stdout[-200:]!r}")
r = predict(textbook, stdin="220\nhello\n250\n")  # not a choice: asked again; then EOF ends the quiz
check(r.returncode == 0 and "please type one of" in r.stdout, f"an invalid guess is asked again: {r.stdout[-400:]!r}")
check("Score: 2/2 (2 of 7 replies asked)" in r.stdout, f"EOF ends with the score so far: {r.stdout[-300:]!r}")
r = predict(textbook, "--answers", "220,250,250,250,354,250,221")
check(r.returncode == 0 and r.stdout.rstrip().endswith("Score: 7/7"), f"--answers checks a key: {r.stdout[-200:]!r}")
pop3 = os.path.join(src, "scenarios", "pop3-delete-vs-keep.yaml")
r = predict(pop3, stdin="")
check(r.returncode == 0 and "Score: 0/0 (0 of " in r.stdout, f"EOF at the first question: {r.stdout[-300:]!r}")
r = predict(pop3, "--answers", ",".join(["+OK"] * 200))
check(r.returncode == 0 and "[+OK/-ERR]: +OK" in r.stdout and "Right: +OK" in r.stdout,
      f"POP3 questions offer +OK/-ERR: {r.stdout[-300:]!r}")
imap = os.path.join(src, "scenarios", "imap-folders-search-move.yaml")
r = predict(imap, "--answers", ",".join(["NO"] * 300))
check(r.returncode == 0 and "[OK/NO/BAD]: NO" in r.stdout and "Wrong: you chose NO" in r.stdout
      and "RFC 3501" in r.stdout, f"IMAP questions offer OK/NO/BAD: {r.stdout[-300:]!r}")
r = predict("/nonexistent.yaml")
check(r.returncode == 2, "predict on a missing file exits 2")
r = run("help")
check("mailsim predict FILE" in r.stdout, "help lists predict")

# mailsim record: lines typed on stdin become a scenario that replays with the same answers.
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "typed.yaml")
    typed = "HELO student\nMAIL FROM:<mike@cesoo.com>\nRCPT TO:<rose@cesoo.com>\nDATA\nhi\n.\n/servers\nQUIT\n"
    r = subprocess.run([mailsim, "record", textbook, "--connect", "mail.cesoo.com", "--out", out], input=typed,
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 0, f"record exits 0 (got {r.returncode}, stderr {r.stderr!r})")
    check("S: 354 Enter mail" in r.stdout and "[store] rose@cesoo.com INBOX uid 2 appended" in r.stdout,
          f"the sandbox prints answers and store changes: {r.stdout[-600:]!r}")
    check("  server mail.cesoo.com: smtp 25" in r.stdout, "/servers lists the servers")
    r = run("run", out)
    check(r.returncode == 0 and "expectations held" in r.stderr, f"the recorded scenario replays: {r.stderr!r}")
    r = subprocess.run([mailsim, "sandbox", textbook], input="HELO x\n/connect nowhere\n", capture_output=True,
                       text=True, timeout=60)
    check(r.returncode == 0 and "!! not connected" in r.stdout and "is not a mail server" in r.stdout,
          f"the sandbox explains what is wrong: {r.stdout[-400:]!r}")
    r = run("record", textbook)
    check(r.returncode == 2 and "--out" in r.stderr, "record without --out exits 2")

# --lang zh: the annotations in Chinese (from the typed trace), protocol lines as sent; the default from the locale.
relay = os.path.join(src, "scenarios", "relay-receiver-down-retry.yaml")
r = run("run", relay, "--lang", "zh")
check(r.returncode == 0, f"--lang zh exits 0 (got {r.returncode}, stderr {r.stderr!r})")
for tag in ("[存储] ", "[队列 mail.cesoo.com] ", "[转发] ", "[DNS] ", "[故障] ", "连接已建立]", "[连接已关闭] "):
    check(tag in r.stdout, f"--lang zh prints {tag!r}: {r.stdout[:600]!r}")
check("推迟" in r.stdout and "下次重试" in r.stdout, "the deferral and its next retry in Chinese")
check("S: 220 " in r.stdout and "C: MAIL FROM:" in r.stdout, "protocol lines stay as sent")
check("[queue " not in r.stdout and "[relay hop]" not in r.stdout, "no English annotation left")
english = run("run", relay)
check("[queue mail.cesoo.com] " in english.stdout and "[relay hop] " in english.stdout, "English by default (LC_ALL=C)")
r = run("run", relay, env={**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"})
check("[队列 mail.cesoo.com] " in r.stdout, "the default language comes from LANG")
r = run("run", relay, "--lang", "en", env={**os.environ, "LC_ALL": "zh_CN.UTF-8"})
check("[queue mail.cesoo.com] " in r.stdout, "--lang overrides the locale")
r = run("run", relay, "--lang", "fr")
check(r.returncode == 2 and "--lang must be en or zh, not 'fr'" in r.stderr, f"bad --lang exits 2: {r.stderr!r}")
r = run("run", os.path.join(src, "scenarios", "smtp-starttls.yaml"), "--lang", "zh")
check("[TLS] 客户端握手完成：TLSv1.3" in r.stdout or "[TLS] 服务器握手完成：TLSv1.3" in r.stdout,
      f"the TLS handshake in Chinese: {r.stdout[:2000]!r}")
# Issue #14: --lang, effects of a reply hidden until it is answered, predict filters, check warns about a language.
r = predict(textbook, "--answers", "220,250,250,250,354,250,221")
out = r.stdout
check(out.index("S: 250 Message accepted for delivery") < out.index("INBOX uid 1 appended"),
      f"the store line comes only after the reply to '.' is revealed: {out!r}")
check(out.index("the end of data") < out.index("INBOX uid 1 appended"), "the store line is not shown before the question")
r = predict(textbook, "--lang", "zh", "--answers", "220")
check("请猜服务器的问候" in r.stdout and "答对了" in r.stdout and "教材中的情书" in r.stdout,
      f"predict --lang zh asks and explains in Chinese: {r.stdout!r}")
r = predict(textbook, "--lang", "fr")
check(r.returncode == 2 and "--lang must be en or zh, not 'fr'" in r.stderr, f"bad --lang: {r.stderr!r}")
pop3 = os.path.join(src, "scenarios", "pop3-delete-vs-keep.yaml")
r = predict(pop3, "--protocol", "pop3", "--from", "by-hand", "--answers", "+OK")
check(r.returncode == 0 and "events before checkpoint 'by-hand' not shown" in r.stdout and
      "Your guess for the server's greeting [+OK/-ERR]" in r.stdout, f"predict --from/--protocol: {r.stdout[:600]!r}")
r = predict(pop3, "--from", "nowhere")
check(r.returncode == 2 and "no checkpoint 'nowhere'" in r.stderr and "by-hand" in r.stderr, f"unknown --from: {r.stderr!r}")
r = predict(pop3, "--session", "99")
check(r.returncode == 2 and "--session must be a session number" in r.stderr, f"bad --session: {r.stderr!r}")
with tempfile.TemporaryDirectory() as tmp:
    plain = os.path.join(tmp, "plain.yaml")
    with open(plain, "w", encoding="utf-8") as f:
        f.write("title: Only English\nhosts:\n  - { name: m, domains: [c.example], services: [smtp] }\n"
                "steps:\n  - note: Hello\n")
    r = run("check", plain)
    check(r.returncode == 0 and f"{plain}:1:8: warning: title has no zh text" in r.stderr and
          f"{plain}:5:11: warning: note has no zh text" in r.stderr, f"check warns about a missing language: {r.stderr!r}")
    r = run("check", plain, "--lang", "zh")
    check("警告：title 缺少 zh 文本" in r.stderr and "正确" in r.stdout, f"check --lang zh: {r.stdout!r} {r.stderr!r}")
r = run("check", os.path.join(src, "scenarios"))
check(r.returncode == 0 and "warning" not in r.stderr, f"every shipped scenario has both languages: {r.stderr[:400]!r}")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
