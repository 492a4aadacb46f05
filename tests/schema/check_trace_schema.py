#!/usr/bin/env python3
"""Keeps docs/trace-schema-v1.json honest.

1. The committed schema is what tests/schema/make_trace_schema.py generates, and is a valid draft 2020-12 schema.
2. Its enum names are the `names(...)` tables of engine/trace/Trace.hpp and Payloads.hpp (and engine/store/StoreError.hpp), in order (the JSON writes enums by name).
3. The JSON trace of every shipped scenario (`mailsim run --format json`) validates, and together they use every
   typed event kind (so the schema is exercised, not only parsed).
4. Documents broken on purpose (an unknown queue action, a relay hop without its data, a field the schema does not
   know, schema version 2.0) are rejected, so the schema is not trivially permissive.

Usage: check_trace_schema.py MAILSIM_BINARY
"""
import copy
import json
import pathlib
import re
import subprocess
import sys

import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCHEMA_PATH = ROOT / "docs" / "trace-schema-v1.json"
sys.path.insert(0, str(HERE))
import make_trace_schema  # noqa: E402

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)


def main():
    mailsim = sys.argv[1]
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    check(committed == make_trace_schema.text(),
          "docs/trace-schema-v1.json is not what tests/schema/make_trace_schema.py generates: regenerate it")
    schema = json.loads(committed)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    # 2. enum names agree with Trace.hpp and Payloads.hpp
    header = (ROOT / "engine" / "trace" / "Trace.hpp").read_text(encoding="utf-8")
    header += (ROOT / "engine" / "trace" / "Payloads.hpp").read_text(encoding="utf-8")  # the payloads' enums
    header += (ROOT / "engine" / "store" / "StoreError.hpp").read_text(encoding="utf-8")  # schema 1.4
    tables = {m.group(1): re.findall(r'"([^"]*)"', m.group(2))
              for m in re.finditer(r"names\((\w+)\)\s*\{\s*return\s*\{(.*?)\};", header, re.S)}
    cpp_to_schema = {"CloseReason": "closeReason", "StoreAction": "storeAction", "StoreCause": "storeCause",
                     "QueueOp": "queueOp", "BounceReason": "bounceReason", "HopResult": "hopResult",
                     "FaultKind": "faultKind", "DnsType": "dnsType", "TlsSide": "tlsSide", "NoteId": "noteId",
                     "Outcome": "outcome", "Fate": "fate", "ConnectFailure": "connectFailure", "ErrorId": "errorId",
                     "ExpectKind": "expectKind", "ExpectReason": "expectReason",
                     "ClientReason": "clientReason", "StoreErrc": "storeErrc", "StoreStep": "storeStep",
                     "NameProblem": "nameProblem"}
    check(set(tables) == set(cpp_to_schema), f"Trace.hpp enums {sorted(tables)} != {sorted(cpp_to_schema)}")
    for cpp, name in cpp_to_schema.items():
        check(tables.get(cpp) == schema["$defs"][name]["enum"],
              f"{cpp}: Trace.hpp says {tables.get(cpp)}, the schema {schema['$defs'][name]['enum']}")

    # 3. every shipped scenario's trace validates
    kinds = set()
    notes = set()
    sample = None
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        run = subprocess.run([mailsim, "run", "--format", "json", str(path)], capture_output=True, text=True,
                             timeout=120)
        check(run.returncode in (0, 1), f"{path.name}: mailsim run exited {run.returncode}: {run.stderr[-400:]}")
        if run.returncode not in (0, 1):
            continue
        doc = json.loads(run.stdout)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            failures.append(f"{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        kinds |= {e["kind"] for e in doc["events"]}
        notes |= {e["data"]["note"] for e in doc["events"] if e["kind"] == "note" and "note" in e.get("data", {})}
        if path.name == "relay-receiver-down-retry.yaml":
            sample = doc
    typed = set(make_trace_schema.KIND_PAYLOAD)
    check(typed <= kinds, f"no shipped scenario produces {sorted(typed - kinds)}")
    check(len(notes) >= 10, f"the shipped scenarios produce only {len(notes)} kinds of explanation: {sorted(notes)}")

    # 4. broken documents are rejected
    check(sample is not None, "relay-receiver-down-retry.yaml was not run")
    if sample:
        def mutated(change):
            doc = copy.deepcopy(sample)
            change(doc)
            return doc

        def first(doc, kind):
            return next(e for e in doc["events"] if e["kind"] == kind)

        def connect_failed(doc):  # the receiver is down: its hop failed for a typed reason (schema 1.2)
            return next(e for e in doc["events"] if e["kind"] == "relay-hop" and e["data"]["result"] == "connect-failed")

        check(connect_failed(sample)["data"].get("failure") == "host-down",
              "relay-receiver-down-retry.yaml: the failed hop does not say failure host-down")
        check(validator.is_valid(mutated(lambda d: d["events"].append(
            dict(first(d, "relay-hop"), kind="error", data={"error": "delivery-failed", "names": ["rose"],
                                                             "detail": "disk full"})))),
              "the schema rejects a typed error")
        check(validator.is_valid(mutated(lambda d: d["events"].append(
            dict(first(d, "relay-hop"), kind="error", data={
                "error": "delivery-failed", "names": ["rose"], "detail": "cannot create /m/x: No space left on device",
                "store": {"code": "no-space", "step": "create", "path": "/m/x", "errno": 28}})))),
              "the schema rejects an error with a typed store failure (schema 1.4)")
        check(validator.is_valid(mutated(lambda d: d["events"].append(
            dict({k: v for k, v in first(d, "relay-hop").items() if k != "data"}, kind="error")))),
              "the schema rejects a 1.1 error (text only)")
        check("expect" in first(sample, "expectation").get("data", {}),
              "relay-receiver-down-retry.yaml: an expectation has no typed data (schema 1.3)")
        check(validator.is_valid(mutated(lambda d: first(d, "expectation").pop("data"))),
              "the schema rejects a 1.2 expectation (text and detail only)")

        broken = {
            "unknown queue action": lambda d: first(d, "queue-action")["data"].update(action="teleported"),
            "relay hop without data": lambda d: first(d, "relay-hop").pop("data"),
            "unknown field in data": lambda d: first(d, "store-changed")["data"].update(colour="red"),
            "schema version 2.0": lambda d: d.update(schemaVersion="2.0"),
            "uid as a string": lambda d: first(d, "store-changed")["data"].update(uid="1"),
            "unknown explanation": lambda d: next(e for e in d["events"] if "note" in e.get("data", {}))["data"]
            .update(note="made-up"),
            "explanation number as a string": lambda d: next(e for e in d["events"] if "note" in e.get("data", {}))
            ["data"].update(numbers=["3"]),
            "unknown connect failure": lambda d: connect_failed(d)["data"].update(failure="teleported"),
            "error without its id": lambda d: d["events"].append(
                dict(first(d, "relay-hop"), kind="error", data={"detail": "disk full"})),
            "unknown error id": lambda d: d["events"].append(
                dict(first(d, "relay-hop"), kind="error", data={"error": "made-up"})),
            "unknown store step": lambda d: d["events"].append(
                dict(first(d, "relay-hop"), kind="error", data={"error": "delivery-failed",
                                                                 "store": {"code": "io", "step": "made-up"}})),
            "unknown expectation kind": lambda d: first(d, "expectation")["data"].update(expect="made-up"),
            "expectation count as a string": lambda d: first(d, "expectation")["data"].update(count="2"),
        }
        for name, change in broken.items():
            check(not validator.is_valid(mutated(change)), f"the schema accepts a document with {name}")
        check(validator.is_valid(sample), "the unmodified sample is rejected")

    for f in failures:
        print("FAIL:", f)
    print(f"trace schema: {len(failures)} problem(s); kinds seen: {', '.join(sorted(kinds))}; "
          f"explanations seen: {len(notes)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
