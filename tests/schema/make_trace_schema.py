#!/usr/bin/env python3
"""Generates docs/trace-schema-v1.json, the JSON Schema of mailsim's trace (schema version 1.x).

The JSON form is written by sim/tools/Transcript.cpp (appendEventJson, formatJson) and sim/tools/TraceJson.cpp (the typed "data"
of each event, from the `fields` lists in engine/trace/Payloads.hpp). `mailsim run --format json` and `mailsim export
--json` write a document {"schemaVersion", "sessions", "events"}; `mailsim serve --trace-out` writes one event per
line (JSON Lines), each with its own "schemaVersion". The enum names here are the `names(...)` tables of Trace.hpp and Payloads.hpp;
check_trace_schema.py checks that they agree.

Usage: make_trace_schema.py [OUT]   (default: print)
"""
import json
import sys

ENUMS = {
    "closeReason": ["none", "client-closed", "server-closed", "connect-failed", "tls-unavailable", "write-failed",
                    "connection-lost", "shutdown", "shutdown-unflushed", "too-many-connections", "login-deadline", "command-deadline"],
    "storeAction": ["appended", "flags-set", "expunged", "copied", "moved-out", "folder-created", "folder-deleted",
                    "folder-renamed"],
    "storeCause": ["none", "body-fetched", "downloaded", "pop3-update", "bounce"],
    "queueOp": ["enqueued", "attempt", "delivered", "deferred", "bounced", "bounce-dropped", "notice-dropped", "removed",
                "survived", "lost", "reloaded", "not-queued", "abandoned", "domain-fallback"],
    "bounceReason": ["none", "refused", "expired", "no-smtputf8"],
    "hopResult": ["summary", "connect-failed", "nxdomain", "no-usable-mx", "loop", "no-reply", "connecting"],
    "faultKind": ["host-down", "host-up", "link-down", "link-up", "crash", "connection-reset"],
    "dnsType": ["MX", "A"],
    "tlsSide": ["client", "server"],
    # Added in 1.1: a note's explanation (engine/trace/Notes.hpp renders each id in English and Chinese).
    "noteId": ["discarded-plaintext-server", "discarded-plaintext-client", "starttls-accepted", "starttls-waiting",
               "starttls-refused", "starttls-not-offered", "starttls-required", "tls-established-imap",
               "tls-established-pop3", "tls-close-notify", "tls-handshake-timeout", "utf8-not-offered", "auth-failed",
               "auth-ok", "greeting-timeout", "content-not-recorded", "bare-line-end-stored", "bare-line-end-refused",
               "greylist-passed", "scenario-rule", "goodbye-too-many", "goodbye-login-timeout", "goodbye-slow-client",
               "goodbye-shutdown", "imap-autologout", "imap-no-logout", "selected-mailbox-deleted",
               "pop3-too-many-errors", "pop3-autologout", "pop3-no-quit", "pop3-shutdown", "pop3-server-ends",
               "relay-shared-connection", "sandbox-ready", "sandbox-after-steps", "cap-per-address",
               "cap-per-listener", "login-delay", "login-timeout", "command-deadline", "dns-mx", "segment-lost",
               "ua-sent", "ua-fetched-keep", "ua-fetched-deleted", "ua-fetched-not-deleted", "ua-imap-listed",
               "ua-imap-found", "ua-imap-moved", "ua-imap-flagged", "ua-imap-create", "ua-imap-delete",
               "ua-imap-rename", "ua-imap-resync"],
    "outcome": ["accepted", "refused", "deferred"],
    "fate": ["none", "mailbox", "queued", "queued-deferred", "relayed", "bounced", "accepted"],
    # Added in 1.2: why a connection could not be made, and an error's catalogue id (engine/trace/Errors.hpp renders
    # each in English and Chinese).
    "connectFailure": ["none", "no-smtp-service", "host-down", "link-down", "packet-loss", "timed-out", "bad-address",
                       "system-error"],
    "errorId": ["tls-without-starttls", "tls-unavailable", "not-a-reply", "client-no-transition", "delivery-failed",
                "relay-queue-refused", "imap-create-failed", "imap-delete-failed", "imap-rename-failed",
                "imap-append-failed", "imap-expunge-failed", "imap-store-failed", "imap-copy-failed",
                "imap-move-remove-failed", "pop3-read-failed", "pop3-update-failed", "imap-client-closed",
                "imap-client-bye", "imap-client-greeting", "imap-client-refused", "imap-client-idle-ended",
                "imap-client-no-starttls", "imap-client-starttls-refused", "imap-client-preauth",
                # Added in 1.3: the POP3 user agent's problems (as the IMAP agent's above).
                "pop3-client-greeting", "pop3-client-no-stls", "pop3-client-stls-refused", "pop3-client-no-timestamp",
                "pop3-client-login-refused", "pop3-client-refused", "pop3-client-closed"],
    # Added in 1.3: what a scenario expectation compared and why no reply came (engine/trace/Expectations.hpp renders
    # them in English and Chinese).
    "expectKind": ["reply", "recipient", "fetched", "imap-count", "folder-action", "mailbox"],
    "expectReason": ["none", "sent-as-content", "still-reading", "waiting", "server-closed", "connect-failed",
                     "tls-unavailable", "tls-failed"],
    # Added in 1.3: why an SMTP client failed a recipient itself, with no reply deciding it (engine/trace/Errors.hpp).
    "clientReason": ["none", "not-a-reply", "closed-early", "starttls-refused", "starttls-not-offered", "no-smtputf8",
                     "no-auth"],
    # Added in 1.4: a store failure as data (engine/store/StoreError.hpp; rendered in English and Chinese by
    # store::storeErrorText).
    "storeErrc": ["not-found", "invalid", "read-only", "no-space", "busy", "too-many-keywords", "io"],
    "storeStep": ["create", "open", "open-dir", "read", "read-dir", "write", "close", "fsync", "fsync-dir", "syncfs",
                  "stat", "use", "set-date", "rename", "rename-into", "rename-into-place", "remove", "truncate", "lock",
                  "lock-timeout", "no-such-message", "no-such-folder", "invalid-name", "empty-folder-name",
                  "folder-exists", "inbox-not-deleted", "inbox-not-renamed", "cannot-delete", "cannot-rename",
                  "invalid-keyword", "too-many-keywords", "folder-read-only", "injected", "journal-no-memory",
                  "journal-too-big", "journal-pending", "journal-too-small", "journal-in-use", "journal-no-superblock",
                  "journal-replay", "delivery-failed"],
    "nameProblem": ["none", "empty", "slash", "dot-dot", "leading-dot", "control", "not-utf8", "c1-control", "bidi",
                    "too-long"],
}

KINDS = ["connection-opened", "connection-closed", "line", "state-changed", "store-changed", "note", "expectation",
         "error", "dns-query", "dns-answer", "queue-action", "relay-hop", "fault-injected", "tls-handshake",
         "tls-records", "handover"]


def ref(name):
    return {"$ref": f"#/$defs/{name}"}


STR = {"type": "string"}
UINT = {"type": "integer", "minimum": 0}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
MICROS = {"type": "integer", "description": "Microseconds (virtual time in the simulator, wall time in serve)."}


def obj(props, required=(), description=None):
    out = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    if description:
        out["description"] = description
    return out


ENDPOINT = obj({"address": STR, "port": UINT}, description="A TCP endpoint; absent address: unknown.")
NOTE_ITEM = obj({"name": STR, "number": UINT, "outcome": ref("outcome"), "code": UINT, "text": STR, "fate": ref("fate"),
                 "host": STR, "reason": ref("clientReason")}, ["outcome", "fate"],
                "One recipient's result (or one message's flags) as a user agent saw it (reason, schema 1.3: the "
                "client decided it itself; text then holds the reason's argument).")

PAYLOADS = {
    "connection": obj({
        "client": STR, "clientEndpoint": ref("endpoint"), "server": STR, "serverEndpoint": ref("endpoint"),
        "implicitTls": BOOL, "reason": ref("closeReason"), "detail": STR, "failure": ref("connectFailure"),
        "failureHost": STR,
    }, ["reason"], "connection-opened / connection-closed: who, and why it closed (detail: the lower layer's words; "
                   "failure and failureHost, schema 1.2: why a connection could not be made and the host it concerns)."),
    "storeChange": obj({
        "user": STR, "folder": STR, "uid": UINT, "action": ref("storeAction"), "flags": STR, "size": UINT,
        "target": STR, "targetUid": UINT, "why": ref("storeCause"), "fileId": STR,
    }, ["action", "why"], "store-changed: a mailbox changed (uid absent: a folder-level action)."),
    "queueAction": obj({
        "host": STR, "action": ref("queueOp"), "queueId": STR, "messageId": STR, "reversePath": STR,
        "recipients": {"type": "array", "items": STR}, "attempt": UINT, "count": UINT, "nextRetry": MICROS,
        "retryIn": MICROS, "reason": STR, "bounce": ref("bounceReason"), "lifetimeHours": UINT, "alongTo": STR,
        "domain": STR, "path": STR, "failure": ref("connectFailure"), "failureHost": STR,
        "clientReason": ref("clientReason"),
    }, ["action", "bounce"], "queue-action: what an MTA's queue did (a deferral for want of a connection: failure and "
                             "failureHost, schema 1.2; reason then holds only the system's words, if any; a deferral "
                             "the client decided itself: clientReason, schema 1.3, reason then holds its argument)."),
    "relayHop": obj({
        "messageId": STR, "from": STR, "to": STR, "result": ref("hopResult"), "delivered": UINT, "refused": UINT,
        "deferred": UINT, "code": UINT, "reason": STR, "address": STR, "port": UINT, "preference": INT,
        "failure": ref("connectFailure"), "failureHost": STR, "clientReason": ref("clientReason"),
    }, ["result"], "relay-hop: one message from one MTA to the next (connect-failed: failure and failureHost, schema "
                   "1.2; reason then holds only the system's words, if any; a failure the client decided itself: "
                   "clientReason, schema 1.3, reason then holds its argument)."),
    "fault": obj({
        "kind": ref("faultKind"), "host": STR, "peer": STR, "until": MICROS, "downFor": MICROS,
        "cause": ref("faultKind"),
    }, ["kind", "cause"], "fault-injected: a host or link failed or recovered, or a connection was reset."),
    "dnsQuery": obj({"host": STR, "type": ref("dnsType"), "name": STR}, ["type"], "dns-query: who asks what."),
    "dnsAnswer": obj({
        "host": STR, "type": ref("dnsType"), "name": STR,
        "records": {"type": "array", "items": obj({"type": ref("dnsType"), "preference": INT, "host": STR,
                                                   "address": STR}, ["type"])},
        "nxdomain": BOOL, "implicitMx": BOOL,
    }, ["type"], "dns-answer: the records (an MX without address is skipped), or NXDOMAIN."),
    "tlsHandshake": obj({
        "side": ref("tlsSide"), "version": STR, "cipher": STR, "peerSubject": STR, "peerIssuer": STR,
        "verified": BOOL, "error": STR,
    }, ["side"], "tls-handshake: whose view, what was negotiated, the peer's certificate; error when ok is false."),
    "handover": obj({"system": STR, "mailbox": STR}, description="handover: a gateway hands the message to a "
                    "non-SMTP system."),
    "narration": obj({"step": UINT, "zh": STR}, description="note: the scenario step that said it, its Chinese text."),
    "explanation": obj({
        "note": ref("noteId"), "names": {"type": "array", "items": STR}, "numbers": {"type": "array", "items": UINT},
        "rfc": STR, "detail": STR,
        "items": {"type": "array", "items": ref("noteItem")},
    }, ["note"], "note (schema 1.1): an explanation from the engine or the simulator: the notes catalogue's id and "
                 "its arguments by position (engine/trace/Payloads.hpp lists them per id); `text` is its English sentence."),
    "errorReport": obj({
        "error": ref("errorId"), "names": {"type": "array", "items": STR}, "numbers": {"type": "array", "items": UINT},
        "rfc": STR, "detail": STR, "store": ref("storeError"),
    }, ["error"], "error (schema 1.2): the errors catalogue's id and its arguments by position (engine/trace/Payloads.hpp "
                  "lists them per id); detail: a lower layer's own words, not translated; `text` is its English "
                  "sentence. A 1.0/1.1 error has no data, only `text`. store (schema 1.4): the store's failure as "
                  "data; detail then holds its English."),
    "storeError": obj({
        "code": ref("storeErrc"), "step": ref("storeStep"), "path": STR, "name": STR, "number": UINT, "errno": UINT,
        "problem": ref("nameProblem"),
    }, ["code", "step"], "A store failure (schema 1.4, engine/store/StoreError.hpp): the code the protocol answered "
                         "from, the step that failed, the file or folder (path), a refused name, a number (UID, count, "
                         "size, milliseconds, per step), the system's errno (system steps only) and why a name was "
                         "refused."),
    "expectationCheck": obj({
        "expect": ref("expectKind"), "code": UINT, "klass": UINT, "status": STR, "contains": STR, "name": STR,
        "folder": STR, "outcome": ref("outcome"), "count": UINT, "flag": BOOL, "reason": ref("expectReason"),
        "reply": STR, "recipient": {"type": "array", "items": ref("noteItem")}, "gotCount": UINT, "gotFlag": BOOL,
        "failure": ref("connectFailure"), "failureHost": STR, "detail": STR,
        "problem": {"type": "array", "items": ref("errorReport")},
    }, ["expect", "outcome", "reason", "failure"], "expectation (schema 1.3): what the scenario expected (code, klass, "
       "status, contains; name, outcome; count; flag) and what happened (reply as received, or reason; recipient; "
       "gotCount; gotFlag; problem, detail: the user agent's problem), per engine/trace/Payloads.hpp's ExpectKind; `text` "
       "and `detail` of the event are their English. A 1.0-1.2 expectation has no data."),
}

KIND_PAYLOAD = {
    "connection-opened": "connection", "connection-closed": "connection", "store-changed": "storeChange",
    "queue-action": "queueAction", "relay-hop": "relayHop", "fault-injected": "fault", "dns-query": "dnsQuery",
    "dns-answer": "dnsAnswer", "tls-handshake": "tlsHandshake", "handover": "handover",
}
# A note's data is either kind of payload: scenario narration (1.0) or an engine explanation (1.1, has "note").
NOTE_DATA = {"oneOf": [ref("explanation"), ref("narration")]}
# Kinds whose facts are all in "data" (a note's data is optional: a checkpoint has none).
DATA_REQUIRED = set(KIND_PAYLOAD)

SESSION = obj({
    "id": UINT, "opened": MICROS, "protocol": STR, "client": STR, "server": STR,
    "client_endpoint": ref("endpoint"), "server_endpoint": ref("endpoint"),
}, ["id", "opened", "protocol", "client", "server"], "A session, described once.")

EVENT = {
    "type": "object",
    "description": "One trace event. `text` is the English sentence (Line: the protocol line as sent); the facts of "
                   "the typed kinds are in `data`.",
    "properties": {
        "schemaVersion": ref("schemaVersion"),
        "id": UINT, "time": MICROS, "session": UINT, "cause": {"type": ["integer", "null"], "minimum": 0},
        "kind": {"enum": KINDS}, "iso_time": STR, "direction": {"enum": ["none", "C->S", "S->C"]},
        "role": {"enum": ["command", "reply", "data"]}, "tls": BOOL, "raw": STR,
        "raw_hex": {"type": "string", "pattern": "^[0-9a-f]*$"}, "text": STR, "machine": STR, "from": STR, "to": STR,
        "detail": STR, "ok": BOOL, "data": {"type": "object"}, "session_info": ref("session"),
    },
    "required": ["id", "time", "session", "cause", "kind", "iso_time", "text"],
    "additionalProperties": False,
    "allOf": [
        {"if": {"properties": {"kind": {"const": kind}}},
         "then": {"properties": {"data": ref(payload)}, **({"required": ["data"]} if kind in DATA_REQUIRED else {})}}
        for kind, payload in KIND_PAYLOAD.items()
    ] + [
        {"if": {"properties": {"kind": {"const": "note"}}}, "then": {"properties": {"data": NOTE_DATA}}},
    ] + [
        {"if": {"properties": {"kind": {"const": "error"}}}, "then": {"properties": {"data": ref("errorReport")}}},
        {"if": {"properties": {"kind": {"const": "expectation"}}},
         "then": {"properties": {"data": ref("expectationCheck")}}},
    ] + [
        {"if": {"properties": {"kind": {"enum": [k for k in KINDS if k not in KIND_PAYLOAD
                                                  and k not in ("note", "error", "expectation")]}}},
         "then": {"not": {"required": ["data"]}}},
        {"if": {"properties": {"kind": {"const": "line"}}}, "then": {"required": ["direction", "role"]}},
        {"if": {"properties": {"kind": {"const": "state-changed"}}}, "then": {"required": ["machine", "from", "to"]}},
    ],
}


def schema():
    defs = {"schemaVersion": {"type": "string", "pattern": "^1\\.[0-9]+$",
                              "description": "MAJOR.MINOR; readers accept any 1.x and refuse another major version."},
            "endpoint": ENDPOINT, "session": SESSION, "event": EVENT, "noteItem": NOTE_ITEM}
    for name, values in ENUMS.items():
        defs[name] = {"enum": values}
    defs.update(PAYLOADS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://mailsim.example/docs/trace-schema-v1.json",
        "title": "mailsim trace, schema version 1.x",
        "description": "The trace as `mailsim run --format json` / `mailsim export --json` write it (this document) "
                       "and as `mailsim serve --trace-out` streams it (one $defs/event per line, JSON Lines). "
                       "Generated by tests/schema/make_trace_schema.py.",
        "type": "object",
        "properties": {
            "schemaVersion": ref("schemaVersion"),
            "sessions": {"type": "array", "items": ref("session")},
            "events": {"type": "array", "items": ref("event")},
        },
        "required": ["schemaVersion", "sessions", "events"],
        "additionalProperties": False,
        "$defs": defs,
    }


def text():
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("-"):
        sys.exit("usage: make_trace_schema.py [OUT]   (OUT is a file to write, not an option: " + sys.argv[1] + ")")
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as f:
            f.write(text())
    else:
        sys.stdout.write(text())
