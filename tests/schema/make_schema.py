#!/usr/bin/env python3
"""Writes docs/scenario.schema.json, the JSON Schema (draft-07) of mailsim scenario files.

The schema is generated so that the repeated pieces (text, durations, ports, name lists) are written once.
Sources of truth: sim/scenario/Scenario.cpp (every checkMap key list, the string/integer/boolean/stringList calls) and
docs/scenario-format.md (the descriptions). check_schema.py fails when the committed JSON differs from this output.

Usage: make_schema.py [OUT]   (default: docs/scenario.schema.json next to this repository's tests/)
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "docs" / "scenario.schema.json"


def ref(name):
    return {"$ref": f"#/definitions/{name}"}


def d(schema, description, **extra):
    """`schema` with a teacher-facing description (and e.g. default=...)."""
    out = dict(schema)
    out["description"] = description
    out.update(extra)
    return out


def ci(word):
    """A regex matching `word` in any letter case (ECMA-262 has no (?i))."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


def ci_enum(values):
    """One of `values` in any letter case (the loader upper-cases these); editors complete the listed spelling."""
    return {"anyOf": [{"enum": list(values)},
                      {"type": "string", "pattern": "^(" + "|".join(ci(v) for v in values) + ")$"}]}


def obj(properties, required=(), **extra):
    out = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        out["required"] = list(required)
    out.update(extra)
    return out


def count(desc):
    return d(ref("count"), desc)


PORT = "0*([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
DURATION = "^[0-9]+(us|ms|s|m|min|h|d)$"
POSITIVE_DURATION = "^0*[1-9][0-9]*(us|ms|s|m|min|h|d)$"
IPV4 = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"

definitions = {
    # yaml-cpp hands the loader every scalar as text, so a number or true/false is accepted wherever text is.
    "text": {"type": ["string", "number", "boolean"]},
    "localText": {
        "description": "Text for people in English and Chinese: a plain string (English) or {en: ..., zh: ...}. "
                       "`mailsim check` warns when a language is missing.",
        "anyOf": [
            {"type": ["string", "number", "boolean"]},
            {"type": "object", "properties": {"en": {"type": "string"}, "zh": {"type": "string"}},
             "additionalProperties": False, "minProperties": 1},
        ],
    },
    "oneLine": {"anyOf": [{"type": "string", "pattern": "^[^\\r\\n]*$"}, {"type": ["number", "boolean"]}]},
    "boolean": {"anyOf": [{"type": "boolean"}, {"enum": ["true", "false", "yes", "no", "on", "off"]}]},
    "duration": {"type": "string", "pattern": DURATION},
    "positiveDuration": {"type": "string", "pattern": POSITIVE_DURATION},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535},
    "count": {"type": "integer", "minimum": 0, "maximum": 1000000},
    "nameList": {"anyOf": [ref("text"), {"type": "array", "items": ref("text")}]},
    "server": {"type": "string", "pattern": "^[^:]+(:" + PORT + ")?$"},
    "service": {"type": "string", "pattern": "^(smtp|submission|smtps|pop3|pop3s|imap|imaps)(:" + PORT + ")?$"},
    "ipv4Prefix": {"type": "string", "pattern": "^" + IPV4 + "(/([0-9]|[12][0-9]|3[0-2]))?$"},
}

# --- hosts -----------------------------------------------------------------------------------------------------------

user = obj({
    "name": d(ref("text"), "The part before @; the address becomes name@ + the host's first domain."),
    "address": d(ref("text"), "The full address, e.g. rose@cesoo.com (instead of name)."),
    "password": d(ref("text"), "What POP3, IMAP and SMTP AUTH logins use."),
    "display_name": d(ref("text"), "Shown in From: when this user sends with an mua step."),
    "forward_to": d(ref("text"), "RCPT answers 251 User not local; will forward; the mail goes to this address."),
    "moved_to": d(ref("text"), "RCPT answers 551 User not local; please try <this address>."),
}, anyOf=[{"required": ["name"]}, {"required": ["address"]}],
    description="A mailbox: { name: rose, password: rose123 } or { address: rose@cesoo.com }.")

mailing_list = obj({
    "name": d(ref("text"), "The list's name (the part before @, or a full address)."),
    "members": d(ref("nameList"), "Who gets a message sent to the list (local parts or addresses)."),
}, required=["name"], description="A mailing list for EXPN: { name: staff, members: [mike, rose] }.")

rule = obj({
    "at": d(ci_enum(["CONNECT", "HELO", "EHLO", "MAIL", "RCPT", "DATA", "DOT", "RSET", "NOOP", "VRFY", "EXPN",
                     "HELP", "QUIT"]),
            "Where the rule fires: a command, CONNECT (instead of the 220 greeting) or DOT (the '.' ending a message)."),
    "occurrence": d({"type": "integer", "minimum": 1, "maximum": 1000000},
                    "The nth time this point is reached in a session (1 = the first); without it: every time."),
    "reply": d({"type": "integer", "anyOf": [{"minimum": 400, "maximum": 599}, {"enum": [211, 214]}]},
               "The code to answer: 4xx or 5xx (211 or 214 only at HELP/NOOP)."),
    "enhanced": d({"type": "string", "pattern": "^[245]\\..{3,}$"},
                  "The enhanced status code (RFC 3463), sent only after EHLO, e.g. 4.7.1."),
    "text": d(ref("oneLine"), "The reply text (one line); without it: the standard meaning of the code."),
    "senders": d(ref("nameList"), "Fire only when the transaction's sender is one of these."),
    "recipients": d(ref("nameList"), "Fire only when the recipient is one of these."),
    "greylist": d(ref("boolean"), "Fire only for the first attempt of each (client address, sender, recipient).",
                  default=False),
}, required=["at", "reply"],
    description="A chosen reply at a chosen moment, e.g. { at: RCPT, occurrence: 2, reply: 451 }.",
    **{"if": {"required": ["reply"], "properties": {"reply": {"enum": [211, 214]}}},
       "then": {"properties": {"at": ci_enum(["HELP", "NOOP"])}}})

smtp = obj({
    "lenient": d(ref("boolean"), "Lenient like Postfix (MAIL FROM without <>, bare LF); false: strict, answers 501/500.",
                 default=True),
    "max_message_size": d({"type": "integer", "minimum": 1000, "maximum": 1 << 40},
                          "Octets, announced as SIZE after EHLO; a bigger message gets 552.", default=10485760),
    "max_recipients": d({"type": "integer", "minimum": 1, "maximum": 100000},
                        "RCPTs per message; the next one gets 452.", default=100),
    "refuse_connections": d(ref("boolean"), "Greet with 421 Service not available and close.", default=False),
    "smtputf8": d(ref("boolean"), "EHLO offers SMTPUTF8 (RFC 6531): UTF-8 addresses such as 张三@cesoo.com in "
                  "transactions that declare it. false: an older MTA; UTF-8 mail relayed to it bounces with 5.6.7.",
                  default=True),
    "port": d(ref("port"), "The SMTP port, same as services: [\"smtp:PORT\"].", default=25),
    "rules": d({"type": "array", "items": rule}, "Chosen replies at chosen moments, so a demonstration repeats exactly."),
    "relay_networks": d({"anyOf": [ref("ipv4Prefix"), {"type": "array", "items": ref("ipv4Prefix")}]},
                        "Client networks (e.g. 10.0.0.0/24) that may relay to other domains without logging in."),
    "relay_domains": d(ref("nameList"), "Domains this host accepts from anyone and relays on: a backup MX."),
}, description="How the SMTP server behaves.")

queue = obj({
    "retry": d({"type": "array", "minItems": 1, "items": ref("positiveDuration")},
               "The delay after the 1st, 2nd, ... failed attempt; the last one repeats.",
               default=["15m", "30m", "1h", "2h", "4h"]),
    "lifetime": d(ref("positiveDuration"), "After this long in the queue the server gives up and bounces (5.4.7).",
                  default="5d"),
    "durable": d(ref("boolean"), "The queue is on disk and survives a crash; false: a crash loses it.", default=True),
}, description="The host's MTA queue (every host with smtp has one).")

gateway = obj({
    "system": d(ref("text"), "What the gateway hands mail to, e.g. campus bulletin board.", default="bulletin"),
    "mailbox": d(ref("text"), "The one mailbox every message goes to (board, or board@domain)."),
}, required=["mailbox"], description="The host is a gateway to a system that is not SMTP.")

host = obj({
    "name": d(ref("text"), "The host name, used by session steps and dns. Unique."),
    "address": d({"type": "string", "pattern": "^" + IPV4 + "$"},
                 "The host's IPv4 address (default: the next free 10.0.0.x)."),
    "domains": d(ref("nameList"), "The mail domains this host is the final destination for; the first names the server."),
    "services": d({"anyOf": [ref("service"), {"type": "array", "items": ref("service")}]},
                  "smtp (25), submission (587), smtps (465, implicit TLS), pop3 (110), pop3s (995), imap (143), "
                  "imaps (993), or NAME:PORT, e.g. [smtp, \"smtp:2525\", imap]."),
    "users": d({"type": "array", "items": user}, "Mailboxes on this host (needs smtp, pop3 or imap in services)."),
    "lists": d({"type": "array", "items": mailing_list}, "Mailing lists for EXPN."),
    "smtp": smtp,
    "queue": queue,
    "gateway": gateway,
    "tls": obj({
        "starttls": d({"type": "boolean"}, "Offer STARTTLS (SMTP, IMAP) / STLS (POP3) on the plain ports.", default=False),
        "plaintext_auth": d({"type": "boolean"}, "false: passwords are refused until TLS is up.", default=True),
    }, description="TLS: certificates come from the classroom CA (mailsim ca export)."),
    "store": obj({
        "fault": d({"enum": ["full", "busy", "error"]},
                   "What the mailboxes answer a delivery: full (SMTP 452), busy (450) or error (451)."),
        "after": d({"type": "integer", "minimum": 0, "maximum": 1000000},
                   "How many deliveries still succeed before the fault bites.", default=0),
    }, required=["fault"], description="A store fault the scenario injects (simulated runs): RFC 5321 4.2.3 replies."),
}, required=["name"], description="A machine: a mail server (with services) or a client (without).")

mx_record = {"anyOf": [
    d(ref("text"), "An exchanger host; preference 10, 20, ... in list order."),
    obj({"host": d(ref("text"), "The exchanger: a defined host."),
         "preference": d({"type": "integer", "minimum": 0, "maximum": 65535}, "Lower is tried first.")},
        required=["host"], description="{ host: mx1, preference: 5 }"),
]}

dns_entry = obj({
    "mx": d({"type": "array", "items": mx_record}, "The domain's MX records: host names, or { host, preference }."),
    "a": d(ref("text"), "An A record: a host name or an IPv4 address (used when there is no MX record)."),
}, description="DNS records of one domain.")

# --- steps -----------------------------------------------------------------------------------------------------------

smtp_code = {"anyOf": [{"type": "integer", "minimum": 100, "maximum": 599},
                       {"type": "string", "pattern": "^[1-5]([0-9]{2}|xx)$"}]}
EXPECT_DESC = {"smtp": "The reply it must get: a code (250) or a class (2xx, 4xx, 5xx).",
               "pop3": "The reply it must get: +OK or -ERR.",
               "imap": "The tagged completion it must get: OK, NO or BAD, or \"+\" (a continuation; quote it)."}
EXPECT = {"smtp": smtp_code, "pop3": {"enum": ["+OK", "-ERR"]}, "imap": {"enum": ["OK", "NO", "BAD", "+"]}}
EXPECT[None] = {"anyOf": [EXPECT["smtp"], EXPECT["pop3"], EXPECT["imap"]]}
EXPECT_DESC[None] = "The reply it must get. SMTP: 250 or 2xx; POP3: +OK or -ERR; IMAP: OK, NO, BAD or \"+\"."


def script_line(protocol):
    return {"anyOf": [
        d(ref("oneLine"), "A line to send as typed, without checking the reply."),
        obj({"send": d(ref("oneLine"), "The line exactly as typed, without the line end (mailsim adds CR LF)."),
             "expect": d(EXPECT[protocol], EXPECT_DESC[protocol]),
             "contains": d(ref("text"), "Text the reply must contain."),
             "inject": d(ref("text"), "Raw bytes (CR LF included) sent right after send in the same segment, "
                                      "not awaited: an attacker's injection.")},
            minProperties=1, dependencies={"inject": ["send"]}),
    ]}


def script(protocol):
    return {"type": "array", "minItems": 1, "items": script_line(protocol)}


session_step = obj({
    "session": obj({
        "from": d(ref("text"), "The client machine (a host name)."),
        "to": d(ref("server"), "The server: HOST[:PORT], or a domain with MX records."),
        "protocol": d({"enum": ["smtp", "pop3", "imap"]}, "The protocol.", default="smtp"),
    }, required=["from", "to"], description="A client host opens a TCP connection and types lines, as with telnet."),
    "script": d({"type": "array", "minItems": 1,
                 "items": script_line(None)},
                "The lines, in order: a string, or { send, expect, contains }."),
}, required=["session", "script"], description="A raw protocol session typed line by line.",
    # what `expect` may be depends on the session's protocol (smtp when not given)
    allOf=[{"if": {"properties": {"session": {"required": ["protocol"], "properties": {"protocol": {"const": p}}}}},
            "then": {"properties": {"script": script(p)}}} for p in ("pop3", "imap")] +
          [{"if": {"properties": {"session": {"required": ["protocol"],
                                              "properties": {"protocol": {"enum": ["pop3", "imap"]}}}}},
            "then": True, "else": {"properties": {"script": script("smtp")}}}])

attachment = obj({
    "name": d({"type": "string", "minLength": 1, "pattern": "^[^\\u0000-\\u001f\\u007f]+$"},
              "The file name, any text without control characters."),
    "content_type": d({"type": "string", "pattern": "^[^/\\s]+/[^/;\\s]+\\s*(;.*)?$",
                       "not": {"pattern": "^(" + ci("multipart") + "|" + ci("message") + ")/"}},
                      "The MIME type (not multipart/* or message/*); default text/plain for text, "
                      "application/octet-stream for base64."),
    "text": d(ref("text"), "The content as text (exactly one of text and base64)."),
    "base64": d({"type": "string", "pattern": "^[A-Za-z0-9+/=\\s]*$"}, "Binary content written in base64."),
}, required=["name"], oneOf=[{"required": ["text"]}, {"required": ["base64"]}], description="A file attached to the message.")

MESSAGE_KEYS = ["to", "cc", "subject", "body", "html", "attachments", "expect"]


def message_properties():
    return {
        "to": d(ref("nameList"), "Recipients (envelope and To: header)."),
        "cc": d(ref("nameList"), "More recipients (envelope and Cc: header)."),
        "subject": d(ref("text"), "The subject; non-ASCII text is sent as an RFC 2047 encoded word."),
        "body": d(ref("text"), "The text of the message."),
        "html": d(ref("text"), "An HTML version of the body: the two are sent as multipart/alternative."),
        "attachments": d({"type": "array", "items": attachment}, "Files; the message becomes multipart/mixed."),
        "expect": d({"type": "object", "additionalProperties": {"enum": ["accepted", "delivered", "deferred", "refused"]}},
                    "Recipient -> what the server must answer: accepted (2xx; 'delivered' is the older spelling), "
                    "deferred (4xx or lost connection) or refused (5xx)."),
    }


message = obj(message_properties(), anyOf=[{"required": ["to"]}, {"required": ["cc"]}],
              description="One message: to/cc, subject, body, html, attachments, expect.")

COMMON = {
    "from": d(ref("text"), "The client host."),
    "server": d(ref("server"), "HOST[:PORT], or a domain: its MX record picks the server."),
    "password": d(ref("text"), "What the user agent types (default: the user's password on the server host)."),
    "tls": d({"enum": ["starttls", "opportunistic", "none"]},
             "starttls: insist on STARTTLS/STLS; opportunistic: use it when offered; implicit TLS comes from the port.",
             default="none"),
}

mua_send = obj({
    "action": d({"const": "send"}, "send: the user agent sends mail with SMTP."),
    **COMMON,
    "sender": d(ref("text"), "Envelope sender and From: (with the user's display_name if known)."),
    "user": d(ref("text"), "Log in first with SMTP AUTH as this user (then the default port is 587)."),
    "auth": d(ci_enum(["plain", "login", "cram-md5"]), "The SMTP AUTH mechanism.", default="plain"),
    "messages": d({"type": "array", "minItems": 1, "items": message},
                  "The messages, sent over one connection (or give one message's keys directly under mua)."),
    **message_properties(),
}, required=["action", "from", "server", "sender"], description="The user agent sends mail.",
    dependencies={"password": ["user"], "auth": ["user"]},
    oneOf=[{"required": ["messages"], "not": {"anyOf": [{"required": [k]} for k in MESSAGE_KEYS]}},
           {"not": {"required": ["messages"]}, "anyOf": [{"required": ["to"]}, {"required": ["cc"]}]}])

mua_fetch = obj({
    "action": d({"const": "pop3-fetch"}, "pop3-fetch: the user agent downloads mail with POP3."),
    **COMMON,
    "server": d(ref("server"), "HOST[:PORT] (default: the host's pop3 port), or a domain with MX records."),
    "user": d(ref("text"), "The mailbox address, also the POP3 user name."),
    "mode": d({"enum": ["delete", "keep"]}, "delete: RETR and DELE every message; keep: download only unseen UIDLs.",
              default="delete"),
    "auth": d({"enum": ["user", "apop"]}, "user: USER + PASS in clear text; apop: APOP digest.", default="user"),
    "expect": d(obj({"fetched": count("Exactly this many messages must be downloaded.")}, required=["fetched"]),
                "{ fetched: N }: how many messages must be downloaded."),
}, required=["action", "from", "server", "user"], description="The user agent checks mail with POP3.")

IMAP_ACTIONS = {
    "imap-summary": ({"open": d({"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 1000000}},
                                "Sequence numbers of the messages the user opens (BODY[] sets \\Seen).")},
                     {"listed": "Messages in the list.", "opened": "Messages opened."}, [],
                     "imap-summary: the message list, then the bodies of the messages in open."),
    "imap-search": ({}, {"found": "Messages found."}, ["text"], "imap-search: the server searches; only UIDs come back."),
    "imap-move": ({"target": d(ref("text"), "The folder to move the found messages into (wire name); created if missing.")},
                  {"found": "Messages found.", "moved": "Messages moved."}, ["text", "target"],
                  "imap-move: search, then UID MOVE what was found into target."),
    "imap-sync": ({"flag_offline": d({"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 1000000}},
                                     "UIDs the user flagged while offline, uploaded first.")},
                  {"new": "Messages fetched as new.", "vanished": "Cached UIDs the server no longer has.",
                   "changed": "Cached messages whose flags changed elsewhere.", "uploaded": "Offline changes accepted."},
                  [], "imap-sync: disconnected mode (RFC 4549) against the user agent's cache."),
    "imap-flag": ({"uids": d({"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 1000000}},
                             "The UIDs whose flags change (or give field/text to search for them)."),
                   "add": d({"type": "array", "minItems": 1, "items": ci_enum(["seen", "answered", "flagged", "deleted", "draft"])},
                            "System flags to add (UID STORE +FLAGS)."),
                   "remove": d({"type": "array", "minItems": 1, "items": ci_enum(["seen", "answered", "flagged", "deleted", "draft"])},
                               "System flags to remove (UID STORE -FLAGS).")},
                  {"found": "Messages found by the search.", "flagged": "Messages whose flags the server reported."}, [],
                  "imap-flag: change flags on chosen UIDs or on what a search finds."),
    "imap-create": ({"folder": d(ref("text"), "The folder to create (wire name).")}, {}, ["folder"],
                    "imap-create: CREATE a folder on the server."),
    "imap-rename": ({"folder": d(ref("text"), "The folder to rename (wire name)."),
                     "target": d(ref("text"), "Its new name.")}, {}, ["folder", "target"],
                    "imap-rename: RENAME a folder; its messages and UIDVALIDITY move with it."),
    "imap-delete": ({"folder": d(ref("text"), "The folder to delete (wire name).")}, {}, ["folder"],
                    "imap-delete: DELETE a folder and the messages in it."),
}
FOLDER_ACTIONS = ("imap-create", "imap-rename", "imap-delete")


def mua_imap(action):
    extra, expects, required, desc = IMAP_ACTIONS[action]
    props = {
        "action": d({"const": action}, desc),
        **COMMON,
        "server": d(ref("server"), "HOST[:PORT] (default: the host's imap port), or a domain with MX records."),
        "user": d(ref("text"), "The mailbox address, also the IMAP login."),
    }
    if action not in FOLDER_ACTIONS:  # the folder actions select nothing
        props["mailbox"] = d(ref("text"), "The folder to select, as on the wire (modified UTF-7).", default="INBOX")
    if action in ("imap-search", "imap-move", "imap-flag"):
        props["field"] = d(ci_enum(["from", "to", "cc", "bcc", "subject", "body", "text"]), "The search key.",
                           default="text")
        props["text"] = d(ref("text"), "What to search for, any UTF-8.")
    props.update(extra)
    if action in FOLDER_ACTIONS:
        props["expect"] = d(obj({"ok": d(ref("boolean"), "true: the server must agree; false: it must refuse.")}),
                            "{ ok: true|false }: whether the server must carry it out.")
    else:
        props["expect"] = d(obj({k: count(v) for k, v in expects.items()}), "Counts that must come out.")
    extra_rules = {}
    if action == "imap-flag":  # uids or a search, not both; at least one of add/remove
        extra_rules = {"oneOf": [{"required": ["uids"], "not": {"required": ["text"]}},
                                 {"required": ["text"], "not": {"required": ["uids"]}}],
                       "anyOf": [{"required": ["add"]}, {"required": ["remove"]}]}
    return obj(props, required=["action", "from", "server", "user"] + required, description=desc, **extra_rules)


mua_step = obj({
    "mua": d({"oneOf": [mua_send, mua_fetch] + [mua_imap(a) for a in IMAP_ACTIONS]},
             "The engine's own mail program: action send, pop3-fetch, imap-summary, imap-search, imap-move, imap-sync, "
             "imap-flag, imap-create, imap-rename or imap-delete."),
}, required=["mua"], description="The user agent sends or reads mail.")

steps = {
    "note": obj({"note": d(ref("localText"), "Narration, shown in the transcript and the GUI at this point.")},
                required=["note"], description="Narration."),
    "session": session_step,
    "mua": mua_step,
    "check": obj({"check": obj({
        "mailbox": d(ref("text"), "The mailbox to look into, e.g. rose@cesoo.com."),
        "folder": d(ref("text"), "The folder as the store names it (modified UTF-7, '.' for '/').", default="INBOX"),
        "count": count("How many messages it must hold."),
        "contains": d(ref("text"), "Text that some message in the folder must contain."),
    }, required=["mailbox"], anyOf=[{"required": ["count"]}, {"required": ["contains"]}],
        description="After everything before it: the mailbox must hold count messages and/or one containing the text.")},
        required=["check"], description="Check a mailbox."),
    "wait": obj({"wait": d(ref("duration"), "Let virtual time pass (e.g. 30m): retries, hosts coming back, deliveries.")},
                required=["wait"], description="Let virtual time pass."),
    "fault": obj({"fault": obj({
        "host": d(ref("text"), "The machine that fails (connections reset, it answers nothing)."),
        "link": d(ref("text"), "The host whose network link fails (unreachable, but it keeps running)."),
        "down_for": d(ref("positiveDuration"), "How long it stays down; without it: until the end of the run."),
        "crash": d(ref("boolean"), "true: crash and restart at once (memory lost); add down_for to stay down."),
    }, oneOf=[{"required": ["host"]}, {"required": ["link"], "not": {"required": ["crash"]}}],
        anyOf=[{"required": ["down_for"]}, {"required": ["crash"], "properties": {"crash": {"enum": [True, "true", "yes", "on"]}}}],
        description="{ host: X, down_for: 2h }, { link: X, down_for: 30m } or { host: X, crash: true }.")},
        required=["fault"], description="Something breaks at the current virtual time."),
}
steps["checkpoint"] = obj({"checkpoint": d({"type": "string", "pattern": "^[a-z0-9-]+$"},
                                           "A name (a-z, 0-9, '-'), unique in the scenario, that lessons link to "
                                           "with [text](checkpoint:NAME)."),
                           "label": d(ref("localText"), "What this point is, for people (optional).")},
                         required=["checkpoint"], description="A named point in the run, for lessons and --until.")
definitions["step"] = {"description": "One step: exactly one of note, session (+ script), mua, check, wait, fault, "
                                      "checkpoint.",
                       "oneOf": list(steps.values())}

definitions["network"] = obj({
    "latency": d(ref("duration"), "One-way delay of every link.", default="5ms"),
    "max_segment": d({"type": "integer", "minimum": 1, "maximum": 65535}, "Largest segment when splitting.",
                     default=64),
    "split": d(ref("boolean"), "Cut each send into random segments, as real TCP does; false: one send, one segment.",
               default=True),
    "loss": d({"type": "number", "minimum": 0, "maximum": 1},
              "Probability that a connection attempt between mail servers is lost (seeded).", default=0),
}, description="How the virtual links behave.")
definitions["links"] = d({"type": "array", "items": obj({
    "between": d({"type": "array", "items": ref("text"), "minItems": 2, "maxItems": 2},
                 "The two hosts the link joins (both directions), e.g. [mail.cesoo.com, mx.example.org]."),
    "latency": d(ref("duration"), "One-way delay on this link (instead of network.latency)."),
    "loss": d({"type": "number", "minimum": 0, "exclusiveMaximum": 1},
              "Probability that a TCP segment on this link is lost (seeded); TCP retransmits it after 200 ms "
              "(doubled per further loss), so it arrives late, in order, never corrupted."),
}, required=["between"], anyOf=[{"required": ["latency"]}, {"required": ["loss"]}],
   description="A link between two hosts with its own latency and/or segment loss.")},
    "Per-link settings: the link between two hosts has its own latency and segment loss.")
definitions["include"] = d({"anyOf": [{"type": "string", "minLength": 1},
                                      {"type": "array", "items": {"type": "string", "minLength": 1}}]},
                           "Network files (hosts, dns, network) to merge in first, relative to this file, "
                           "e.g. [networks/two-domains.yaml].")
definitions["hosts"] = d({"type": "array", "items": host}, "The machines.")
definitions["dns"] = d({"type": "object", "additionalProperties": dns_entry}, "DNS records, by domain name.")
NETWORK_KEYS = {k: ref(k) for k in ("include", "network", "links", "hosts", "dns")}
# A network file (scenarios/networks/*.yaml): only what describes the network; scenarios include it.
definitions["networkFile"] = obj(NETWORK_KEYS, description="A network file for include: hosts, dns, network, links, include.")

schema = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://github.com/mailsim/mailsim/docs/scenario.schema.json",
    "title": "mailsim scenario",
    "description": "A small mail network and what happens in it, step by step (docs/scenario-format.md). "
                   "Generated by tests/schema/make_schema.py from sim/scenario/Scenario.cpp; do not edit by hand.",
    **obj({
        "title": d(ref("localText"), "The scenario's name, shown at the top of the transcript and the window."),
        "description": d(ref("localText"), "A paragraph for the students, shown under the title."),
        "lesson": d(ref("text"), "The Markdown lesson for this scenario, relative to this file."),
        "seed": d({"type": "integer", "minimum": 0, "maximum": 1 << 62},
                  "Seeds how the virtual network cuts bytes into segments; same seed, same run.", default=1),
        "start": d({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z?$"},
                   "The virtual clock at the start, UTC: YYYY-MM-DDTHH:MM:SSZ.", default="2024-03-04T09:00:00Z"),
        **NETWORK_KEYS,
        "steps": d({"type": "array", "items": ref("step")}, "What happens, in order."),
    }, required=["title", "steps"], anyOf=[{"required": ["hosts"]}, {"required": ["include"]}]),
    "definitions": definitions,
}


def render():
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("-"):
        sys.exit("usage: make_schema.py [OUT]   (OUT is a file to write, default docs/scenario.schema.json; "
                 "not an option: " + sys.argv[1] + ")")
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_PATH
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
