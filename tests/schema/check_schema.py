#!/usr/bin/env python3
"""Keeps docs/scenario.schema.json honest.

1. The committed schema is what tests/schema/make_schema.py generates, and is a valid draft-07 schema.
2. Every scenarios/*.yaml validates against it.
3. Deliberately broken documents are rejected by the schema AND by `mailsim check` (exit status 2), so the schema
   is not trivially permissive and agrees with the loader on those cases; their valid base document is accepted
   by both.

YAML is read the way editors read it (the VS Code YAML extension uses the YAML 1.2 core schema): yes/no/on/off and
2024-03-04T09:00:00Z stay strings, unlike PyYAML's YAML 1.1 default.

Usage: check_schema.py MAILSIM_BINARY
"""
import copy
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCHEMA_PATH = ROOT / "docs" / "scenario.schema.json"
sys.path.insert(0, str(HERE))
import make_schema  # noqa: E402


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's implicit types (bool, null, int, float; no timestamps)."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, regexp, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+0123456789.")),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(regexp), first)


def construct_int(loader, node):
    value = loader.construct_scalar(node)
    if value.startswith("0o"):
        return int(value[2:], 8)
    if value.startswith("0x"):
        return int(value[2:], 16)
    return int(value)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)


def load_yaml(text):
    return yaml.load(text, Loader=Yaml12Loader)


# A small valid scenario; each broken case below changes one thing in it.
BASE = """\
title: schema test
network: { latency: 5ms, split: yes }
links: [{ between: [mail.cesoo.com, pc], latency: 20ms, loss: 0.01 }]
hosts:
  - name: mail.cesoo.com
    domains: [cesoo.com]
    services: [smtp, "pop3:1110", imap]
    users: [{ name: rose, password: rose123 }]
    smtp: { lenient: false, rules: [{ at: RCPT, occurrence: 2, reply: 451 }] }
    queue: { retry: [15m, 30m], lifetime: 1d }
  - name: pc
dns:
  cesoo.com: { mx: [mail.cesoo.com] }
steps:
  - note: hello
  - session: { from: pc, to: mail.cesoo.com:25 }
    script:
      - { expect: 220 }
      - { send: "HELO pc", expect: 2xx }
      - QUIT
  - session: { from: pc, to: "mail.cesoo.com:1110", protocol: pop3 }
    script:
      - { expect: +OK }
      - { send: "QUIT", expect: +OK }
  - mua: { action: send, from: pc, server: cesoo.com, sender: rose@cesoo.com, to: [rose@cesoo.com], subject: hi,
           body: hello, expect: { rose@cesoo.com: delivered } }
  - mua: { action: pop3-fetch, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, mode: keep }
  - mua: { action: imap-search, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, field: subject, text: hi }
  - wait: 30m
  - fault: { host: mail.cesoo.com, down_for: 2h }
  - check: { mailbox: rose@cesoo.com, count: 1 }
"""

# Every key the loader accepts at least once (and the looser spellings it allows): must pass both.
FULL = """\
title: every key
description: 2024
lesson: ../lessons/en/smtp-textbook.md
seed: 7
start: 2024-03-04T09:00:00Z
network: { latency: 200us, max_segment: 1500, split: false, loss: 0.1 }
hosts:
  - name: mail.cesoo.com
    address: 10.0.0.9
    domains: cesoo.com
    services: [smtp, submission, pop3, imap]
    users:
      - { name: rose, password: 123456, display_name: Rose }
      - { address: mike@cesoo.com, password: mike123, forward_to: rose@cesoo.com }
      - { name: old, moved_to: old@example.org }
    lists: [{ name: staff, members: [mike, rose] }]
    smtp:
      lenient: on
      max_message_size: 20000
      max_recipients: 5
      refuse_connections: false
      rules:
        - { at: rcpt, occurrence: 2, reply: 450, enhanced: 4.7.1, greylist: true, text: "Greylisted" }
        - { at: HELP, reply: 214 }
        - { at: MAIL, reply: 550, senders: [spammer@evil.example], recipients: rose@cesoo.com }
      relay_networks: [10.0.0.0/24]
      relay_domains: [example.org]
    queue: { retry: [1m], lifetime: 4h, durable: false }
  - name: gw.example.net
    domains: [example.net]
    services: "smtp:2525"
    gateway: { system: campus bulletin board, mailbox: board }
  - name: pc
dns:
  cesoo.com: { mx: [{ host: mail.cesoo.com, preference: 5 }] }
  example.net: { mx: [gw.example.net], a: gw.example.net }
  example.org: { a: 10.0.0.50 }
steps:
  - session: { from: pc, to: mail.cesoo.com:143, protocol: imap }
    script:
      - { expect: OK, contains: IMAP4rev1 }
      - { send: "a1 LOGIN rose 123456", expect: OK }
      - { send: "a2 IDLE", expect: "+" }
      - { send: DONE, expect: OK }
      - 12345
  - session: { from: pc, to: cesoo.com, protocol: smtp }
    script: [{ expect: 220 }, { send: QUIT, contains: "Bye" }]
  - mua:
      action: send
      from: pc
      server: mail.cesoo.com:587
      sender: mike@cesoo.com
      user: mike@cesoo.com
      password: mike123
      auth: LOGIN
      messages:
        - to: [rose@cesoo.com]
          cc: staff@cesoo.com
          subject: 会议纪要
          body: hi
          html: "<p>hi</p>"
          attachments:
            - { name: 报告.txt, content_type: "text/plain; charset=utf-8", text: "会议" }
            - { name: logo.png, base64: iVBORw0KGgo= }
          expect: { rose@cesoo.com: delivered, staff@cesoo.com: deferred }
  - mua: { action: pop3-fetch, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, password: "123456",
           auth: apop, mode: delete, expect: { fetched: 0 } }
  - mua: { action: imap-summary, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, mailbox: INBOX, open: [1],
           expect: { listed: 1, opened: 1 } }
  - mua: { action: imap-move, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, field: FROM, text: mike,
           target: Work, expect: { found: 1, moved: 1 } }
  - mua: { action: imap-sync, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, flag_offline: [1],
           expect: { new: 1, vanished: 0, changed: 0, uploaded: 1 } }
  - mua: { action: imap-flag, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, mailbox: Work, uids: [1],
           add: [flagged, seen], remove: [draft], expect: { flagged: 1 } }
  - mua: { action: imap-flag, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, field: subject, text: hi,
           add: [answered] }
  - mua: { action: imap-create, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, folder: Archive/2024,
           expect: { ok: true } }
  - mua: { action: imap-rename, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, folder: Archive/2024,
           target: Old, expect: { ok: true } }
  - mua: { action: imap-delete, from: pc, server: mail.cesoo.com, user: rose@cesoo.com, folder: INBOX,
           expect: { ok: false } }
  - fault: { link: gw.example.net, down_for: 30m }
  - fault: { host: mail.cesoo.com, crash: true }
  - wait: 0s
  - check: { mailbox: board@example.net, folder: INBOX, contains: "x" }
  - checkpoint: the-end-2
"""


def broken_cases(base):
    """(name, document) pairs that the schema and the loader must both reject."""
    def case(name, edit):
        doc = copy.deepcopy(base)
        edit(doc)
        return name, doc

    host, steps = (lambda d: d["hosts"][0]), (lambda d: d["steps"])
    return [
        case("unknown key in a host", lambda d: host(d).update({"domian": ["cesoo.com"]})),
        case("unknown top-level key", lambda d: d.update({"titel": "x"})),
        case("missing title", lambda d: d.pop("title")),
        case("wrong step kind", lambda d: steps(d).append({"sleep": "5m"})),
        case("two step kinds in one step", lambda d: steps(d).append({"note": "a", "wait": "5m"})),
        case("bad duration in wait", lambda d: steps(d).append({"wait": "5 minutes"})),
        case("bad duration unit in latency", lambda d: d["network"].update({"latency": "5ns"})),
        case("link loss of 1", lambda d: d.update({"links": [{"between": ["mail.cesoo.com", "pc"], "loss": 1}]})),
        case("link with one host", lambda d: d.update({"links": [{"between": ["mail.cesoo.com"], "latency": "80ms"}]})),
        case("unknown key in a link", lambda d: d.update({"links": [{"between": ["mail.cesoo.com", "pc"], "latncy": "8ms"}]})),
        case("link with neither latency nor loss", lambda d: d.update({"links": [{"between": ["mail.cesoo.com", "pc"]}]})),
        case("zero retry delay", lambda d: host(d)["queue"].update({"retry": ["0m"]})),
        case("bad port in services", lambda d: host(d).update({"services": ["smtp:70000"]})),
        case("bad port in smtp.port", lambda d: host(d)["smtp"].update({"port": 0})),
        case("bad port in session.to", lambda d: steps(d)[1]["session"].update({"to": "mail.cesoo.com:99999"})),
        case("unknown service", lambda d: host(d).update({"services": ["ftp"]})),
        case("bad mua action", lambda d: steps(d)[3]["mua"].update({"action": "fetch"})),
        case("mua key of another action", lambda d: steps(d)[4]["mua"].update({"target": "Work"})),
        case("bad outcome", lambda d: steps(d)[3]["mua"]["expect"].update({"rose@cesoo.com": "bounced"})),
        case("bad fetch mode", lambda d: steps(d)[4]["mua"].update({"mode": "fill"})),
        case("bad rule point", lambda d: host(d)["smtp"]["rules"][0].update({"at": "HELLO"})),
        case("2xx rule reply", lambda d: host(d)["smtp"]["rules"][0].update({"reply": 250})),
        case("bad smtp expect", lambda d: steps(d)[1]["script"][1].update({"expect": "OK"})),
        case("smtp code in a pop3 session", lambda d: steps(d)[2]["script"][1].update({"expect": 250})),
        case("bad protocol", lambda d: steps(d)[1]["session"].update({"protocol": "http"})),
        case("check without count or contains", lambda d: steps(d)[-1]["check"].pop("count")),
        case("fault on host and link", lambda d: steps(d)[-2]["fault"].update({"link": "pc"})),
        case("bad boolean", lambda d: d["network"].update({"split": "maybe"})),
        case("loss above 1", lambda d: d["network"].update({"loss": 1.5})),
        case("send line with a line break", lambda d: steps(d)[1]["script"].append({"send": "a\nb"})),
        case("bad checkpoint name", lambda d: steps(d).append({"checkpoint": "After DATA"})),
        case("include as a mapping", lambda d: d.update({"include": {"a": "b"}})),
        case("no hosts and no include", lambda d: d.pop("hosts")),
    ]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_schema.py MAILSIM_BINARY")
    mailsim = sys.argv[1]
    failures = []

    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    if committed != make_schema.render():
        failures.append("docs/scenario.schema.json differs from tests/schema/make_schema.py's output; "
                        "run tests/schema/make_schema.py and commit the result")
    schema = json.loads(committed)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)

    def errors(doc):
        return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))

    def describe(errs):
        return "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}" for e in errs[:3])

    scenarios = sorted((ROOT / "scenarios").glob("*.yaml"))
    if not scenarios:
        failures.append("no scenarios/*.yaml found")
    for path in scenarios:
        errs = errors(load_yaml(path.read_text(encoding="utf-8")))
        if errs:
            failures.append(f"{path.name}: rejected by the schema: {describe(errs)}")
    print(f"{len(scenarios)} shipped scenarios checked against the schema")

    # Network files for include: (scenarios/networks/) are not scenarios; they validate against the networkFile
    # definition, and `mailsim check` checks them as network files.
    fragment_validator = jsonschema.Draft7Validator({"definitions": schema["definitions"],
                                                     "$ref": "#/definitions/networkFile"})
    fragments = sorted((ROOT / "scenarios" / "networks").glob("*.yaml"))
    for path in fragments:
        errs = sorted(fragment_validator.iter_errors(load_yaml(path.read_text(encoding="utf-8"))),
                      key=lambda e: list(e.absolute_path))
        if errs:
            failures.append(f"networks/{path.name}: rejected by the networkFile schema: {describe(errs)}")
        r = subprocess.run([mailsim, "check", str(path)], capture_output=True, text=True, timeout=60)
        if r.returncode != 0 or "network file" not in r.stdout:
            failures.append(f"networks/{path.name}: mailsim check says {r.returncode}: {(r.stdout + r.stderr).strip()}")
    print(f"{len(fragments)} network files checked against the networkFile definition")

    def mailsim_check(doc, tmp, name):
        f = pathlib.Path(tmp) / (re.sub(r"\W+", "-", name) + ".yaml")
        f.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        r = subprocess.run([mailsim, "check", str(f)], capture_output=True, text=True, timeout=60)
        return r.returncode, (r.stdout + r.stderr).strip()

    base = load_yaml(BASE)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (("base", BASE), ("full", FULL)):
            doc = load_yaml(text)
            errs = errors(doc)
            if errs:
                failures.append(f"the valid {name} document is rejected by the schema: {describe(errs)}")
            rc, out = mailsim_check(doc, tmp, name)
            if rc != 0:
                failures.append(f"the valid {name} document is rejected by mailsim check (exit {rc}): {out}")
        cases = broken_cases(base)
        for name, doc in cases:
            if not errors(doc):
                failures.append(f"broken document '{name}' is accepted by the schema")
            rc, out = mailsim_check(doc, tmp, name)
            if rc != 2:
                failures.append(f"broken document '{name}': mailsim check exited {rc}, expected 2: {out}")
    print(f"{len(cases)} broken documents checked against the schema and mailsim check")

    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
