#!/usr/bin/env python3
"""`mailsim run` as a user runs it: transcript on stdout, exit codes 0/1/2, JSON that parses; `mailsim predict` fed
from stdin and with --answers.

usage: test_cli.py MAILSIM_BINARY SOURCE_DIR [MAILSIM_GUI_BINARY]
"""
import json
import os
import re
import shutil
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
check(r.returncode == 0 and out[-1] == "   == checkpoint: strict-server (The strict server answers 501)" and "mail.strict.org" not in r.stdout,
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


# The distractors are drawn by a hash of the reply event (its id too): 553 is one of RCPT's in this trace.
r = predict(textbook, stdin="220\n250\n250\n553\n354\n250\n221\n")
check(r.returncode == 0, f"predict exits 0 (got {r.returncode}, stderr {r.stderr!r})")
check('Your guess for the server\'s reply to "RCPT TO: rose@cesoo.com" [' in r.stdout, f"RCPT prompt: {r.stdout!r}")
check("Your guess for the server's greeting [" in r.stdout, "greeting prompt")
check("Wrong: you chose 553" in r.stdout and "RFC 5321 4.1.1.3" in r.stdout,
      "the miss is explained with the right reply's catalogue entry and RFC section")
check("S: 250 <rose@cesoo.com>... Recipient OK\nWrong: you chose 553" in r.stdout, "the reply is revealed after the guess")
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
    # A trace of another schema major version is refused, and said so in the chosen language.
    future = os.path.join(tmp, "future.jsonl")
    with open(future, "w", encoding="utf-8") as f:
        f.write('{"schemaVersion":"2.0","id":0,"kind":"line","session":1}\n')
    r = run("record", "--from-trace", future, "--out", os.path.join(tmp, "never.yaml"), "--lang", "zh")
    check(r.returncode == 2 and "不支持跟踪记录格式版本 2.0" in r.stderr and "not supported" not in r.stderr,
          f"record refuses a 2.0 trace in Chinese: {r.stderr!r}")

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
check("STARTTLS 已接受" in r.stdout and "RFC 3207 4" in r.stdout and "STARTTLS accepted" not in r.stdout,
      f"the engine's explanations in Chinese, with their RFC: {r.stdout[:2000]!r}")
r = run("run", relay, "--lang", "zh")
check(r.stdout.startswith("接收方宕机——排队与重试\n"),
      f"the title in the language of --lang: {r.stdout[:200]!r}")
check("个预期中有" in r.stderr, f"the summary in Chinese: {r.stderr!r}")
# Manuals and usage errors in the command line's language, or the locale's.
r = run("run", "--help", "--lang", "zh")
check(r.returncode == 0 and r.stdout.startswith("名称\n    mailsim run - ") and "选项" in r.stdout, f"zh manual: {r.stdout[:300]!r}")
r = run("predict", "--help", env={**os.environ, "LC_ALL": "", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": ""})
check(r.returncode == 0 and "mailsim predict - " in r.stdout and "退出状态" in r.stdout, f"manual from LC_MESSAGES: {r.stdout[:300]!r}")
r = run("run", "--help")
check(r.stdout.startswith("NAME\n    mailsim run - "), "the English manual under LC_ALL=C")
r = run("run", "--lang", "zh", "--bogus")
check(r.returncode == 2 and "未知的选项“--bogus”" in r.stderr and "参见 'mailsim run --help'" in r.stderr,
      f"a usage error in Chinese: {r.stderr!r}")
r = run("predict", "--lang", "zh", "--from", "--states")
check(r.returncode == 2 and "--from 后面需要一个检查点名称，却是选项 --states" in r.stderr, f"predict's usage error in Chinese: {r.stderr!r}")
r = run("sandbox", "--lang", "zh")
check(r.returncode == 2 and "需要一个场景文件" in r.stderr, f"sandbox's usage error in Chinese: {r.stderr!r}")
# Issue #14: --lang, effects of a reply hidden until it is answered, predict filters, check warns about a language.
r = predict(textbook, "--answers", "220,250,250,250,354,250,221")
out = r.stdout
check(out.index("S: 250 Message accepted for delivery") < out.index("INBOX uid 1 appended"),
      f"the store line comes only after the reply to '.' is revealed: {out!r}")
check(out.index("the end of data") < out.index("INBOX uid 1 appended"), "the store line is not shown before the question")
r = predict(textbook, "--lang", "zh", "--answers", "220")
check("请猜服务器的问候" in r.stdout and "答对了" in r.stdout and "教材中的情书" in r.stdout,
      f"predict --lang zh asks and explains in Chinese: {r.stdout!r}")
check("[smtp 连接已建立]" in r.stdout and "[smtp connection opened]" not in r.stdout and "Connection set-up" not in r.stdout,
      f"predict --lang zh prints the narration and annotations in Chinese too: {r.stdout!r}")
r = run("run", os.path.join(src, "scenarios", "pop3-delete-vs-keep.yaml"), "--lang", "zh")
check("   == 检查点：by-hand（手工输入 POP3：三个状态）" in r.stdout, f"a checkpoint's label follows its name: {r.stdout[:3000]!r}")
r = run("run", os.path.join(src, "scenarios", "pop3-delete-vs-keep.yaml"))
check("   == checkpoint: by-hand (POP3 typed by hand: the three states)" in r.stdout, "the label in English")
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
                "steps:\n  - note: Hello\n  - { checkpoint: here, label: Here we are }\n")
    r = run("check", plain)
    check(r.returncode == 0 and f"{plain}:1:8: warning: title has no zh text" in r.stderr and
          f"{plain}:5:11: warning: note has no zh text" in r.stderr, f"check warns about a missing language: {r.stderr!r}")
    r = run("check", plain, "--lang", "zh")
    check("警告：title 缺少 zh 文本" in r.stderr and "警告：检查点标签缺少 zh 文本" in r.stderr and "正确" in r.stdout,
          f"check --lang zh: {r.stdout!r} {r.stderr!r}")
    unlabelled = os.path.join(tmp, "unlabelled.yaml")
    with open(unlabelled, "w", encoding="utf-8") as f:  # the class would see the bare name: warned like a gap
        f.write("title: { en: Both, zh: 两种 }\nhosts:\n  - { name: m, domains: [c.example], services: [smtp] }\n"
                "steps:\n  - checkpoint: here\n")
    r = run("check", unlabelled)
    check(r.returncode == 0 and f"{unlabelled}:5:17: warning: checkpoint label has no zh text" in r.stderr,
          f"check warns about a checkpoint without a label: {r.stderr!r}")
    # A broken scenario: its problems in the chosen language (names and keys as written), the same in English.
    broken = os.path.join(tmp, "broken.yaml")
    with open(broken, "w", encoding="utf-8") as f:
        f.write("title: Broken\nhosts:\n  - { name: m, domian: c.example, services: [smtp] }\n"
                "steps:\n  - wait: soon\n")
    r = run("check", broken, "--lang", "zh")
    check(r.returncode == 2 and
          f"{broken}:3:16: 主机中有未知的键 'domian'（是不是想写 'domains'？）；可用的键有：" in r.stderr and
          f"{broken}:5:11: wait 必须是时长，例如 30s、5m、2h 或 1d" in r.stderr and "unknown key" not in r.stderr,
          f"check --lang zh on a broken scenario: {r.stderr!r}")
    r = run("check", broken)
    check(r.returncode == 2 and f"{broken}:3:16: unknown key 'domian' in a host (did you mean 'domains'?)" in r.stderr
          and f"{broken}:5:11: wait must be a duration such as 30s, 5m, 2h or 1d" in r.stderr,
          f"check on a broken scenario in English: {r.stderr!r}")
    r = run("run", broken, "--lang", "zh")
    check(r.returncode != 0 and "wait 必须是时长" in r.stderr, f"run --lang zh on a broken scenario: {r.stderr!r}")
    # Files that are not YAML: yaml-cpp's message in Chinese, at its line and column; no English sentence left.
    not_yaml = {
        "tab.yaml": "title: t\nhosts:\n\t- name: m\n",
        "quote.yaml": "title: t\nsteps: []\ndescription: \"never closed",
        "quote-marker.yaml": "title: \"never closed\n---\nhosts: []\n",
        "flow-seq.yaml": "title: t\nhosts: [a, b\nsteps: []\n",
        "flow-map.yaml": "title: t\nhosts: {a: 1\n",
        "bad-map.yaml": "title: t\n  hosts: x\n",
        "escape.yaml": "title: \"a\\qb\"\n",
        "alias.yaml": "title: *nowhere\n",
    }
    for name, text in not_yaml.items():
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        r = run("check", path, "--lang", "zh")
        first = r.stderr.splitlines()[0] if r.stderr else ""
        message = first[len(path):]
        check(r.returncode == 2 and re.match(r"^:[0-9]+:[0-9]+: 不是有效的 YAML：", message) is not None and
              re.search(r"[a-z]{2,}", message) is None, f"check --lang zh on {name}: {r.stderr!r}")
        r = run("check", path)
        check(r.returncode == 2 and "not valid YAML: " in r.stderr, f"check on {name} in English: {r.stderr!r}")
    dup = os.path.join(tmp, "dup.yaml")
    with open(dup, "w", encoding="utf-8") as f:
        f.write("title: t\ntitle: u\nhosts: []\nsteps: []\n")
    r = run("check", dup, "--lang", "zh")
    check(r.returncode == 2 and f'{dup}:2:1: 键 "title" 重复了' in r.stderr, f"check --lang zh, duplicate key: {r.stderr!r}")
    # An address that is not a mailbox: the reason in Chinese; in English the words the server's 553 reply uses.
    addr = os.path.join(tmp, "address.yaml")
    with open(addr, "w", encoding="utf-8") as f:
        f.write("title: t\nhosts:\n  - { name: m, domains: [c.example], services: [smtp], "
                "users: [{ address: rose@c..example }] }\nsteps:\n  - wait: 5m\n")
    r = run("check", addr, "--lang", "zh")
    check(r.returncode == 2 and "用户地址 'rose@c..example' 有误：域名中有空的标签" in r.stderr, f"address in zh: {r.stderr!r}")
    r = run("check", addr)
    check(r.returncode == 2 and "user address 'rose@c..example': empty label in domain" in r.stderr,
          f"address in English: {r.stderr!r}")
r = run("check", os.path.join(src, "scenarios"))
check(r.returncode == 0 and "warning" not in r.stderr, f"every shipped scenario has both languages: {r.stderr[:400]!r}")
# ---- A Unix tool (issue #12): --help/-h on stdout with exit 0, --version, usage errors on stderr with exit 2 ----
import re
import select
import signal
import socket
import stat
import time

with open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8") as f:
    version = re.search(r"project\(mailsim VERSION ([0-9.]+)", f.read()).group(1)
gui = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None

subcommands = ["run", "predict", "serve", "export", "check", "new", "sandbox", "record", "ca", "help"]
for cmd in subcommands:
    for flag in ("--help", "-h"):
        r = run(cmd, flag)
        check(r.returncode == 0, f"mailsim {cmd} {flag} exits 0 (got {r.returncode}, stderr {r.stderr!r})")
        check(r.stdout.startswith("NAME\n") and "SYNOPSIS" in r.stdout and "EXIT STATUS" in r.stdout,
              f"mailsim {cmd} {flag}: a manual on stdout: {r.stdout[:200]!r}")
        check(f"mailsim {cmd}" in r.stdout or (cmd == "record" and "mailsim record" in r.stdout),
              f"mailsim {cmd} {flag} names the command")
        check(r.stderr == "", f"mailsim {cmd} {flag}: nothing on stderr: {r.stderr!r}")
    r = run(cmd, "--version")
    check(r.returncode == 0 and r.stdout == f"mailsim {version}\n", f"mailsim {cmd} --version: {r.stdout!r} {r.returncode}")
# --help wins wherever it is among the command's arguments, even after other options.
r = run("run", textbook, "--times", "--help")
check(r.returncode == 0 and r.stdout.startswith("NAME\n    mailsim run"), f"run FILE --times --help: {r.stdout[:80]!r}")
r = run("--help")
check(r.returncode == 0 and "COMMANDS" in r.stdout, "mailsim --help: the overview on stdout")
r = run("--version")
check(r.returncode == 0 and r.stdout == f"mailsim {version}\n", f"mailsim --version: {r.stdout!r}")
r = run("help", "serve")
check(r.returncode == 0 and "--maildir DIR" in r.stdout, "mailsim help serve: the serve manual")
r = run()
check(r.returncode == 2 and "COMMANDS" in r.stderr and r.stdout == "", "no command: the overview on stderr, exit 2")


def gui_run(*args, env=ENGLISH):
    return subprocess.run([gui, *args], capture_output=True, text=True, timeout=60, env=env)


if gui:
    for flag in ("--help", "-h"):
        r = gui_run(flag)
        check(r.returncode == 0 and r.stdout.startswith("mailsim-gui - step through"),
              f"mailsim-gui {flag}: {r.returncode} {r.stdout[:80]!r}")
    r = gui_run("--version")
    check(r.returncode == 0 and r.stdout == f"mailsim-gui {version}\n", f"mailsim-gui --version: {r.stdout!r}")
    r = gui_run("--attach", "--presenter")
    check(r.returncode == 2 and "--attach needs" in r.stderr, f"mailsim-gui refuses an option as a value: {r.stderr!r}")

# Usage errors: stderr, exit 2, what was wrong and what was expected, and where the manual is.
usage_errors = [
    (["run"], "which scenario?"),
    (["run", textbook, "--frobnicate"], "unknown option '--frobnicate'; expected --format"),
    (["run", textbook, "--format"], "--format needs text or json"),
    (["run", textbook, "--until", "--times"], "--until needs a checkpoint name, got the option --times"),
    (["run", textbook, "--seed", "--times"], "--seed needs a positive whole number, got the option --times"),
    (["predict", textbook, "--answers", "--states"], "--answers needs a list of guesses"),
    (["predict"], "which scenario?"),
    (["export", textbook], "nothing to write"),
    (["export", textbook, "--pcap", "--json"], "--pcap needs an output file (or - for stdout), got the option --json"),
    (["export", textbook, "--pcap", "-", "--json", "-"], "only one output can go to stdout"),
    (["check", "--strict"], "unknown option '--strict'"),
    (["new"], "which name?"),
    (["new", "--force"], "unknown option '--force'"),
    (["sandbox", textbook, "--connect", "--fresh"], "--connect needs a server, HOST[:PORT], got the option --fresh"),
    (["record", textbook], "--out"),
    (["ca"], "which action? expected export or show"),
    (["ca", "show", "--dir", "--help2"], "--dir needs the CA directory, got the option --help2"),
    (["serve", "--smtp", "127.0.0.1:0", "--maildir", "--no-tls"], "--maildir needs a directory, got the option --no-tls"),
    (["serve", "--smtp", "--no-tls"], "--smtp needs ADDR:PORT, got the option --no-tls"),
    (["serve", "--config", "x.yaml", "--maildir", "--no-tls"], "--maildir needs a directory, got the option --no-tls"),
    (["serve", "--smtp", "127.0.0.1:0", "--maildir", "m", "--trace-out", "--no-tls"],
     "--trace-out needs a file name (or - for stdout), got the option --no-tls"),
]
with tempfile.TemporaryDirectory() as tmp:
    for args, message in usage_errors:
        r = subprocess.run([mailsim, *args], capture_output=True, text=True, timeout=60, cwd=tmp)
        check(r.returncode == 2, f"mailsim {' '.join(args)} exits 2 (got {r.returncode}, stderr {r.stderr!r})")
        check(message in r.stderr, f"mailsim {' '.join(args)} says {message!r}: {r.stderr!r}")
        check(f"(see 'mailsim {args[0]} --help')" in r.stderr, f"mailsim {' '.join(args)} points at the manual")
        check(r.stdout == "", f"mailsim {' '.join(args)}: nothing on stdout: {r.stdout!r}")
    check(os.listdir(tmp) == [], f"no file or directory named after an option was created: {os.listdir(tmp)}")

# `-` is stdout: the capture of `mailsim export --pcap -` is a pcap file (its magic number first).
r = subprocess.run([mailsim, "export", textbook, "--pcap", "-"], capture_output=True, timeout=60)
check(r.returncode == 0 and r.stdout[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1",
                                              b"\xa1\xb2\x3c\x4d"), f"--pcap - writes the capture to stdout: {r.stdout[:8]!r}")
check(b"wrote stdout (pcap" in r.stderr, f"the note goes to stderr: {r.stderr!r}")
with tempfile.TemporaryDirectory() as tmp:
    r = subprocess.run([mailsim, "export", textbook, "--json", "-", "--text", os.path.join(tmp, "t.txt")],
                       capture_output=True, text=True, timeout=60, cwd=tmp)
    check(r.returncode == 0 and json.loads(r.stdout)["events"], "--json - is JSON on stdout")
    check(not os.path.exists(os.path.join(tmp, "-")), "no file named '-'")


def read_until(stream, pattern, deadline):
    """Lines of `stream` (a pipe) until one matches `pattern` or the deadline passes; returns (match, lines)."""
    lines = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = stream.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(pattern, line)
        if m:
            return m, lines
    return None, lines


def wait_ready(proc, path, deadline):
    """The document of serve's --ready-file PATH (the machine channel: ports are found there, never in the human
    `listening` lines), once this process has written it; None when it exits first or the deadline passes."""
    while time.monotonic() < deadline:
        if os.path.exists(path):  # renamed into place whole
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            if doc.get("pid") == proc.pid:
                return doc
        if proc.poll() is not None:
            return None
        time.sleep(0.02)
    return None


def port_of(ready, service):
    return next((l["port"] for l in ready["listeners"] if l["service"] == service), None) if ready else None


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


# `mailsim serve --trace-out -`: the JSON lines on stdout; the human-readable trace and 'listening' on stderr; the
# ports in the --ready-file document.
with tempfile.TemporaryDirectory() as tmp:
    ready_path = os.path.join(tmp, "ready.json")
    with open(ready_path, "w") as f:
        f.write('{"format": "mailsim-serve-ready", "version": 1, "pid": 1, "listeners": []}\n')  # a stale one
    proc = subprocess.Popen([mailsim, "serve", "--smtp", "127.0.0.1:0", "--no-tls", "--maildir",
                             os.path.join(tmp, "mail"), "--trace-out", "-", "--ready-file", ready_path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENGLISH)
    ready = wait_ready(proc, ready_path, time.monotonic() + 30)
    check(ready is not None and ready["format"] == "mailsim-serve-ready" and ready["version"] == 1,
          f"--ready-file: the document replaces the stale one: {ready!r}")
    port = port_of(ready, "smtp")
    check(port is not None and ready["listeners"][0] == {
        "host": "cesoo.com", "service": "smtp", "protocol": "smtp", "address": "127.0.0.1", "port": port,
        "endpoint": f"127.0.0.1:{port}", "implicitTls": False, "submission": False, "starttls": False},
        f"--ready-file: the listener as JSON: {ready!r}")
    m, _ = read_until(proc.stderr, r"listening smtp 127\.0\.0\.1:(\d+)", time.monotonic() + 30)
    check(m is not None and int(m.group(1)) == port, "--trace-out -: the 'listening' line goes to stderr")
    if port:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            greeting = s.recv(512)
            s.sendall(b"QUIT\r\n")
            s.recv(512)
        check(greeting.startswith(b"220"), f"greeted: {greeting!r}")
        j, _ = read_until(proc.stdout, r'"kind"', time.monotonic() + 30)
        check(j is not None, "a JSON trace line arrives on stdout")
    out, err = stop(proc)
    check(proc.returncode == 0 and not os.path.exists(ready_path), "serve removes its ready file when it stops")
    events = []
    for line in out.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            check(False, f"--trace-out -: every stdout line is JSON: {line!r}")
    check(not os.path.exists(os.path.join(tmp, "-")) and not os.path.exists("-"), "no file named '-'")
    # A ready file that cannot be written stops serve (whoever asked for it waits for it), in the operator's language.
    r = subprocess.run([mailsim, "serve", "--smtp", "127.0.0.1:0", "--no-tls", "--maildir", os.path.join(tmp, "mail"),
                        "--ready-file", os.path.join(tmp, "no", "such", "dir", "ready.json"), "--lang", "zh"],
                       capture_output=True, text=True, timeout=60, env=ENGLISH)
    check(r.returncode == 1 and "mailsim serve：--ready-file：无法写入 " in r.stderr,
          f"an unwritable --ready-file: exit 1, said in Chinese: {r.returncode} {r.stderr!r}")

# A read-only --maildir is reported at start (on stderr), while the server still starts.
with tempfile.TemporaryDirectory() as tmp:
    mail = os.path.join(tmp, "mail")
    os.makedirs(os.path.join(mail, "rose@cesoo.com", "cur"))
    for d in (os.path.join(mail, "rose@cesoo.com", "cur"), os.path.join(mail, "rose@cesoo.com"), mail):
        os.chmod(d, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    try:
        proc = subprocess.Popen([mailsim, "serve", "--imap", "127.0.0.1:0", "--no-tls", "--maildir", mail,
                                 "--ready-file", os.path.join(tmp, "ready.json")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready = wait_ready(proc, os.path.join(tmp, "ready.json"), time.monotonic() + 30)
        check(port_of(ready, "imap") is not None, "the server starts on a read-only Maildir")
        out, err = stop(proc)
        check(f"warning: the Maildir {mail} is read-only ({mail} and 2 more folder(s))" in err,
              f"read-only Maildir warned about at start: {err!r}")
    finally:
        for d in (mail, os.path.join(mail, "rose@cesoo.com"), os.path.join(mail, "rose@cesoo.com", "cur")):
            os.chmod(d, stat.S_IRWXU)
    # A writable one: no warning.
    proc = subprocess.Popen([mailsim, "serve", "--imap", "127.0.0.1:0", "--no-tls", "--maildir", mail,
                             "--ready-file", os.path.join(tmp, "ready.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_ready(proc, os.path.join(tmp, "ready.json"), time.monotonic() + 30)
    out, err = stop(proc)
    check("read-only" not in err, f"no warning for a writable Maildir: {err!r}")

# The classroom CA: `ca show` creates nothing when there is none; a corrupt ca.key stops with the file named.
with tempfile.TemporaryDirectory() as tmp:
    ca_dir = os.path.join(tmp, "ca")
    r = run("ca", "show", "--dir", ca_dir)
    check(r.returncode == 0 and "no classroom CA there yet" in r.stdout, f"ca show without a CA: {r.stdout!r} {r.stderr!r}")
    check(not os.path.exists(ca_dir), "ca show created nothing")
    r = run("ca", "export", os.path.join(tmp, "ca.pem"), "--dir", ca_dir)
    check(r.returncode == 0 and os.path.exists(os.path.join(ca_dir, "ca.key")), f"ca export creates the CA: {r.stderr!r}")
    with open(os.path.join(ca_dir, "ca.pem"), "rb") as f:
        trusted = f.read()
    with open(os.path.join(ca_dir, "ca.key"), "w") as f:
        f.write("garbage\n")
    for args in (["ca", "export", "--dir", ca_dir], ["ca", "show", "--dir", ca_dir]):
        r = run(*args)
        check(r.returncode == 1 and f"{ca_dir}/ca.key: not a PEM private key" in r.stderr,
              f"mailsim {' '.join(args)} with a corrupt key names it: {r.returncode} {r.stderr!r}")
    r = run("serve", "--smtp", "127.0.0.1:0", "--maildir", os.path.join(tmp, "m"), "--ca-dir", ca_dir)
    check(r.returncode == 1 and "ca.key: not a PEM private key" in r.stderr, f"serve refuses a corrupt CA: {r.stderr!r}")
    # The same typed error (sim/tls's CaError) worded in Chinese by serve and by ca; the file named as it is.
    for args in (["ca", "show", "--dir", ca_dir], ["serve", "--smtp", "127.0.0.1:0", "--maildir", os.path.join(tmp, "m"),
                                                  "--ca-dir", ca_dir]):
        r = run(*args, "--lang", "zh")
        check(r.returncode == 1 and f"{ca_dir}/ca.key：不是 PEM 私钥（已损坏？）；课堂 CA 从不替换" in r.stderr and
              "never replaced" not in r.stderr, f"mailsim {args[0]} --lang zh: the CA error in Chinese: {r.stderr!r}")
    with open(os.path.join(ca_dir, "ca.pem"), "rb") as f:
        check(f.read() == trusted, "the trusted ca.pem was not overwritten")
    # The system's reason, typed (errno) and worded in Chinese by our catalogue: ca.pem there but its file missing.
    broken_dir = os.path.join(tmp, "ca-missing")
    os.makedirs(broken_dir)
    shutil.copy(os.path.join(ca_dir, "ca.pem"), os.path.join(broken_dir, "ca.key"))  # any file: ca.pem fails first
    os.symlink(os.path.join(broken_dir, "nowhere.pem"), os.path.join(broken_dir, "ca.pem"))
    r = run("serve", "--smtp", "127.0.0.1:0", "--maildir", os.path.join(tmp, "m"), "--ca-dir", broken_dir,
            "--lang", "zh")
    check(r.returncode == 1 and f"{broken_dir}/ca.pem：无法读取：文件不存在；课堂 CA 从不替换" in r.stderr and
          "No such file" not in r.stderr, f"serve --lang zh: a missing CA file in Chinese, exit 1: {r.returncode} {r.stderr!r}")
    r = run("serve", "--smtp", "127.0.0.1:0", "--maildir", os.path.join(tmp, "m"), "--ca-dir", broken_dir)
    check(r.returncode == 1 and f"{broken_dir}/ca.pem: cannot be read: No such file or directory" in r.stderr,
          f"serve: a missing CA file in English: {r.stderr!r}")

# Issue #14: serve, export, ca and new speak Chinese under --lang zh or a zh locale, serve's 'listening' lines too;
# protocol lines and the JSON (--trace-out, --ready-file: what scripts and mailsim-gui read) stay as they are.
CHINESE = {**os.environ, "LC_ALL": "zh_CN.UTF-8"}
for cmd, translated, english in (("serve", "--smtp 地址:端口   在这个地址上提供 SMTP", "SMTP on this address"),
                                 ("sandbox", "/close                            挂断", "hang up"),
                                 ("record", "打开一个连接（关闭当前连接，不发 QUIT）", "open a connection"),
                                 ("ca", "--dir 目录     CA 目录", "the CA directory"),
                                 ("export", "--lang en|zh         消息、文本运行记录的注释", "the language of the messages"),
                                 ("new", "--lang en|zh         消息的语言", "the language of the messages")):
    r = run(cmd, "--help", "--lang", "zh")
    check(r.returncode == 0 and r.stdout.startswith("名称\n") and translated in r.stdout and english not in r.stdout,
          f"mailsim {cmd} --help --lang zh: OPTIONS in Chinese: {r.stdout!r}")
    r = run(cmd, "--help")
    check(english in r.stdout and translated not in r.stdout, f"mailsim {cmd} --help: OPTIONS in English")
with tempfile.TemporaryDirectory() as tmp:
    out_text, out_mermaid = os.path.join(tmp, "t.txt"), os.path.join(tmp, "m.mmd")
    r = run("export", textbook, "--lang", "zh", "--text", out_text, "--mermaid", out_mermaid)
    check(r.returncode == 0 and f"已写入 {out_text}（text，" in r.stderr and "wrote" not in r.stderr,
          f"export --lang zh says what it wrote in Chinese: {r.stderr!r}")
    with open(out_text, encoding="utf-8") as f:
        text = f.read()
    check("[smtp 连接已建立]" in text and "C: HELO Mike" in text and "S: 221 cesoo.com closing connection" in text,
          f"the exported transcript's annotations in Chinese, its protocol lines as sent: {text[:400]!r}")
    with open(out_mermaid, encoding="utf-8") as f:
        mermaid = f.read()
    check("title 教材中的情书" in mermaid and "已存储：" in mermaid and "stored:" not in mermaid,
          f"the Mermaid title and notes in Chinese: {mermaid[:300]!r}")
    r = run("export", textbook, "--json", "-", env=CHINESE)
    check(r.returncode == 0 and "已写到 stdout（json，" in r.stderr and json.loads(r.stdout)["events"],
          f"export: the language from the locale, the JSON unchanged: {r.stderr!r}")
    for args, message in ((["export", textbook, "--lang", "zh"], "没有要写的内容"),
                          (["export", "--lang", "zh", textbook, "--svg", "--json"], "--svg 后面需要一个输出文件"),
                          (["ca", "--lang", "zh"], "做什么操作？应为 export 或 show"),
                          (["ca", "show", "--lang", "zh", "--dir", "--x"], "--dir 后面需要CA 目录，却是选项 --x"),
                          (["new", "--lang", "zh"], "叫什么名字？"),
                          (["new", "--lang", "zh", "--force"], "未知的选项“--force”"),
                          (["serve", "--lang", "zh", "--smtp", "127.0.0.1:0"], "需要 --maildir 目录"),
                          (["serve", "--lang", "zh", "--smtp", "localhost"], "--smtp localhost：应为 地址:端口"),
                          (["serve", "--lang", "zh", "--login-timeout", "0"], "--login-timeout 0：应为 1 到 999999 之间的秒数"),
                          (["serve", "--config", "x.yaml", "--maildir", "m", "--user", "a@b:c"], "--user 不能与 --config 一起使用"),
                          (["serve", "--smtp", "127.0.0.1:0", "--lang", "fr"], "--lang 只能是 en 或 zh，不能是“fr”")):
        env = CHINESE if "--lang" not in args or "fr" in args else ENGLISH
        r = subprocess.run([mailsim, *args], capture_output=True, text=True, timeout=60, cwd=tmp, env=env)
        check(r.returncode == 2 and message in r.stderr and f"（参见 'mailsim {args[0]} --help'）" in r.stderr,
              f"mailsim {' '.join(args)}: a usage error in Chinese: {r.returncode} {r.stderr!r}")
    check(os.listdir(tmp) == ["t.txt", "m.mmd"] or sorted(os.listdir(tmp)) == ["m.mmd", "t.txt"],
          f"no file named after an option: {os.listdir(tmp)}")
    r = subprocess.run([mailsim, "new", "first-lesson", "--lang", "zh"], capture_output=True, text=True, timeout=60,
                       cwd=tmp, env=ENGLISH)
    check(r.returncode == 0 and r.stdout == "已写出 first-lesson.yaml：编辑它，然后运行 `mailsim check first-lesson.yaml` "
          "和 `mailsim run first-lesson.yaml`\n", f"new --lang zh: {r.stdout!r} {r.stderr!r}")
    r = subprocess.run([mailsim, "new", "first-lesson"], capture_output=True, text=True, timeout=60, cwd=tmp, env=CHINESE)
    check(r.returncode == 2 and "mailsim new：first-lesson.yaml 已存在；不会覆盖它" in r.stderr, f"new, zh locale: {r.stderr!r}")
    ca_dir = os.path.join(tmp, "ca")
    r = run("ca", "show", "--dir", ca_dir, "--lang", "zh")
    check(r.returncode == 0 and r.stdout == f"目录：{ca_dir}\n那里还没有课堂 CA：`mailsim ca export` 或 `mailsim serve` 会创建它\n",
          f"ca show --lang zh without a CA: {r.stdout!r}")
    r = run("ca", "export", os.path.join(tmp, "ca.pem"), "--dir", ca_dir, "--lang", "zh")
    check(r.returncode == 0 and f"已把课堂 CA 证书（" in r.stderr and os.path.join(tmp, "ca.pem") in r.stderr,
          f"ca export --lang zh: {r.stderr!r}")
    r = run("ca", "show", "--dir", ca_dir, env=CHINESE)
    check(r.returncode == 0 and r.stdout.startswith(f"目录：{ca_dir}\n主体：") and "subject" not in r.stdout,
          f"ca show in a zh locale: {r.stdout!r}")

    # serve --lang zh: the per-connection log's annotations and the shutdown line in Chinese, the wire as sent.
    ready_path = os.path.join(tmp, "ready.json")
    proc = subprocess.Popen([mailsim, "serve", "--lang", "zh", "--smtp", "127.0.0.1:0", "--no-tls", "--maildir",
                             os.path.join(tmp, "mail"), "--ready-file", ready_path], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENGLISH)
    ready = wait_ready(proc, ready_path, time.monotonic() + 30)
    port = port_of(ready, "smtp")
    check(port is not None, f"serve --lang zh: the harness finds the port in --ready-file: {ready!r}")
    m, _ = read_until(proc.stdout, r"^正在监听 smtp 127\.0\.0\.1:(\d+)$", time.monotonic() + 30)
    check(m is not None and port is not None and int(m.group(1)) == port,
          "serve --lang zh: the 'listening' line in Chinese, with the port of the ready file")
    if port:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.recv(512)
            s.sendall(b"EHLO pc\r\nQUIT\r\n")
            s.settimeout(10)
            got = b""
            while b"221" not in got:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
        idle = socket.create_connection(("127.0.0.1", port), timeout=10)
        check(idle.recv(512).startswith(b"220"), "a second client is greeted")
        out, err = stop(proc)  # SIGTERM is taken only while the loop waits, after it flushed the log
        log = out
        check("listening" not in log, f"serve --lang zh: no English 'listening' line: {log!r}")
        check("[2] S: 220 cesoo.com" in log and "[2] S: 421 " in log, f"both connections are logged: {log!r}")
        check("[1] C: EHLO pc" in log and "[1] S: 221 2.0.0 cesoo.com closing connection" in log,
              f"serve's log keeps the protocol lines as sent: {log!r}")
        check("[1]    [smtp 连接已建立] " in log and "[1]    [smtp INITIAL -> READY]（起因：EHLO）" in log and
              "[1]    [连接已关闭] " in log and "connection opened" not in log, f"serve's log annotations in Chinese: {log!r}")
        check("mailsim serve：收到 SIGTERM，正在关闭 1 个会话" in err, f"the shutdown line in Chinese: {err!r}")
        check(idle.recv(512).startswith(b"421 "), "the idle client gets the protocol's goodbye, as sent")
        idle.close()
    else:
        stop(proc)
    # serve --config in a zh locale: its messages in Chinese.
    r = subprocess.run([mailsim, "serve", "--config", os.path.join(tmp, "none.yaml"), "--maildir", os.path.join(tmp, "m")],
                       capture_output=True, text=True, timeout=60, env=CHINESE)
    check(r.returncode == 1 and f"mailsim serve：无法读取 {os.path.join(tmp, 'none.yaml')}" in r.stderr,
          f"serve --config: its errors in Chinese: {r.stderr!r}")
    r = run("serve", "--config", textbook, "--maildir", os.path.join(tmp, "m2"), "--lang", "zh", "--bind", "127.0.0.1",
            "--port-offset", "70000")
    check(r.returncode == 2 and "--port-offset 70000：应为 0 到 65535 之间的数" in r.stderr, f"serve --config: {r.stderr!r}")

# Issue #14: mailsim-gui's command line (its manual, option errors, the no-display advice) speaks the class's language,
# chosen as mailsim's: --lang (scanned before parsing), else LC_ALL/LC_MESSAGES/LANG, else the remembered UI language
# (gui.ini's ui_language; never for --screenshot runs).
if gui:
    NO_LOCALE = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    ZH_LANG = {**NO_LOCALE, "LANG": "zh_CN.UTF-8"}
    NO_DISPLAY = {k: v for k, v in ZH_LANG.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    en_manual = gui_run("--help").stdout
    zh = gui_run("--help", "--lang", "zh")
    check(zh.returncode == 0 and zh.stdout.startswith("mailsim-gui - 逐步查看邮件场景的跟踪记录\n")
          and "退出状态" in zh.stdout and "exit status" not in zh.stdout, f"mailsim-gui --help --lang zh: {zh.stdout[:80]!r}")
    r = gui_run("--help", env=ZH_LANG)
    check(r.returncode == 0 and r.stdout == zh.stdout, f"LANG=zh_CN.UTF-8 mailsim-gui --help: {r.stdout[:80]!r}")
    r = gui_run("--help", "--lang", "en", env=ZH_LANG)
    check(r.returncode == 0 and r.stdout == en_manual and "exit status" in en_manual, "--lang en beats LANG=zh_CN")
    r = gui_run("--bogus", env=ZH_LANG)
    check(r.returncode == 2 and r.stderr.startswith("mailsim-gui：未知选项“--bogus”\n\nmailsim-gui - 逐步查看")
          and "unknown option" not in r.stderr, f"a bad option under zh: {r.stderr[:80]!r}")
    # An error before --lang is reached is already in its language.
    r = gui_run("--frames", "x", "--lang", "zh")
    check(r.returncode == 2 and r.stderr.startswith("mailsim-gui：--frames 需要一个正整数\n"),
          f"--frames x --lang zh: {r.stderr[:80]!r}")
    r = gui_run("--serve", "--attach", "t.jsonl", "--lang", "zh")
    check(r.returncode == 2 and r.stderr.startswith("mailsim-gui：--serve 和 --attach 不能同时使用\n"),
          f"--serve --attach --lang zh: {r.stderr[:80]!r}")
    r = gui_run("--frames", "1", env=NO_DISPLAY)
    check(r.returncode == 3 and r.stderr.startswith("mailsim-gui：没有显示器（DISPLAY 和 WAYLAND_DISPLAY 都没有设置）")
          and "mailsim run 文件" in r.stderr and "no display" not in r.stderr, f"no display under zh: {r.returncode} {r.stderr!r}")
    r = gui_run("--frames", "1", env={**NO_DISPLAY, "LANG": "C.UTF-8"})
    check(r.returncode == 3 and r.stderr.startswith("mailsim-gui: no display"), f"no display in English: {r.stderr!r}")
    # No locale at all: the UI language remembered in gui.ini decides, except for a screenshot run.
    with tempfile.TemporaryDirectory() as config:
        os.makedirs(os.path.join(config, "mailsim"))
        with open(os.path.join(config, "mailsim", "gui.ini"), "w") as f:
            f.write("ui_language = zh\n")
        remembered = {**NO_LOCALE, "XDG_CONFIG_HOME": config}
        r = gui_run("--frames", "0", env=remembered)
        check(r.returncode == 2 and r.stderr.startswith("mailsim-gui：--frames 需要一个正整数"),
              f"remembered zh without a locale: {r.stderr[:80]!r}")
        r = gui_run("--frames", "0", "--screenshot", "x.png", env=remembered)
        check(r.returncode == 2 and r.stderr.startswith("mailsim-gui: --frames needs a positive number"),
              f"a screenshot run ignores the remembered language: {r.stderr[:80]!r}")
        r = gui_run("--frames", "0", env={**remembered, "LANG": "en_US.UTF-8"})
        check(r.returncode == 2 and r.stderr.startswith("mailsim-gui: --frames needs"), f"the locale beats gui.ini: {r.stderr[:80]!r}")

# `mailsim` itself: an unknown command in the locale's language.
r = run("frobnicate", env=CHINESE)
check(r.returncode == 2 and "mailsim：未知的命令“frobnicate”" in r.stderr, f"unknown command in Chinese: {r.stderr!r}")
r = run("help", "frobnicate", "--lang", "zh")
check(r.returncode == 2 and "mailsim help：没有“frobnicate”的手册" in r.stderr, f"help for nothing in Chinese: {r.stderr!r}")
r = run("help", "ca", "--lang", "zh")
check(r.returncode == 0 and r.stdout.startswith("名称\n    mailsim ca - "), f"help COMMAND --lang zh: {r.stdout[:80]!r}")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
