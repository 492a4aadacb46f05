// A scenario as loaded from its YAML file: the network (hosts, users, DNS), then the steps to run.
//
// Contract
// - `loadScenario` parses and validates the whole file and either returns a Scenario that the runner can execute
//   without further checks, or every problem found, each as `file:line:col: message` (1-based), where the message
//   says what was wrong and what was expected (with "did you mean" for near-miss keys and names).
// - The format is described for instructors in docs/scenario-format.md; keep the two in step.
#pragma once

#include "sim/scenario/Diagnostic.hpp"
#include "sim/net/VirtualNetwork.hpp"

#include "i18n/Lang.hpp"
#include "smtp/SmtpRules.hpp"
#include "util/TlsMode.hpp"

#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mailsim::sim {

struct SourcePos {
    int line = 0;  // 1-based; 0 = unknown
    int column = 0;
};

// A text a user reads given in one language only: where, which text ("title", "note"...), the language missing.
struct TextGap {
    std::string file;
    SourcePos pos;
    What what;  // the text's key ("title", "note") or noun ("checkpoint label")
    i18n::Lang missing = i18n::Lang::Zh;
};

struct UserSpec {
    std::string address;  // canonical local@domain
    std::string password;
    std::string displayName;
    std::string forwardTo;  // another user of the same host: RCPT answers 251 and the mail goes there
    std::string movedTo;    // any address: RCPT answers 551 "please try <movedTo>"
};

struct ListSpec {
    std::string address;
    std::vector<std::string> members;
};

struct SmtpServiceSpec {
    int port = 25;
    bool lenient = true;                  // MAIL FROM:addr without <> accepted, as Postfix does
    std::size_t maxMessageSize = 10 * 1024 * 1024;
    std::size_t maxRecipients = 100;      // RFC 5321 4.5.3.1.8
    bool refuseConnections = false;       // greet with 421 and close
    bool smtpUtf8 = true;                 // EHLO offers SMTPUTF8 (RFC 6531); false: an older MTA
    std::vector<smtp::SmtpRule> rules;    // chosen replies at chosen points (engine/smtp/SmtpRules.hpp)
    int submissionPort = 0;               // > 0: a submission listener (RFC 6409, usually 587) with SMTP AUTH
    int tlsPort = 0;                      // > 0: submission over implicit TLS (RFC 8314, "smtps", usually 465)
    std::vector<std::string> relayNetworks;  // IPv4 prefixes whose clients may relay without AUTH
    std::vector<std::string> relayDomains;   // domains this host relays for anyone (a backup MX)
};

// The host's MTA queue (engine/mta/MtaQueue.hpp): retry schedule, give-up time, durability.
struct QueueSpec {
    std::vector<trace::Micros> retry;  // empty: the engine's default schedule
    std::optional<trace::Micros> lifetime;
    bool durable = true;               // the queue survives a crash of the host
};

// A gateway: accepts SMTP for its domains and hands every message to one mailbox of a non-SMTP system.
struct GatewaySpec {
    std::string system = "bulletin";  // what it hands mail to, e.g. "campus bulletin board"
    std::string mailbox;              // canonical address of the mailbox in that system
};

struct Pop3ServiceSpec {
    int port = 110;
    int tlsPort = 0;  // > 0: POP3 over implicit TLS ("pop3s", RFC 8314, usually 995)
};

struct ImapServiceSpec {
    int port = 143;
    int tlsPort = 0;  // > 0: IMAP over implicit TLS ("imaps", RFC 8314, usually 993)
};

// A host's TLS settings (`tls: { starttls: true, plaintext_auth: false }`); certificates come from the classroom CA.
struct TlsHostSpec {
    bool starttls = false;      // STARTTLS (SMTP RFC 3207, IMAP RFC 3501 6.2.1) / STLS (POP3 RFC 2595) offered
    bool plaintextAuth = true;  // false: passwords are refused until TLS is up
};

// `store: { fault: full, after: 1 }`: the host's mailboxes refuse deliveries after `after` more of them, so the SMTP
// server answers what RFC 5321 4.2.3 gives for the store's error (simulated runs; `serve` uses the real disk).
enum class StoreFault : std::uint8_t { Full, Busy, Error };  // 452 insufficient storage, 450 mailbox busy, 451 local error
struct StoreFaultSpec {
    StoreFault fault = StoreFault::Full;
    std::size_t after = 0;
};

struct HostSpec {
    std::string name;
    std::string address;  // empty: assigned 10.0.0.x
    std::vector<std::string> domains;
    std::vector<UserSpec> users;
    std::vector<ListSpec> lists;
    std::optional<SmtpServiceSpec> smtp;
    std::optional<Pop3ServiceSpec> pop3;
    std::optional<ImapServiceSpec> imap;
    QueueSpec queue;
    std::optional<GatewaySpec> gateway;
    TlsHostSpec tls;
    std::optional<StoreFaultSpec> storeFault;
    SourcePos pos;
    // Any TLS at all (STARTTLS offered or an implicit TLS port): the host needs a certificate.
    bool usesTls() const {
        return tls.starttls || (smtp && smtp->tlsPort) || (pop3 && pop3->tlsPort) || (imap && imap->tlsPort);
    }
};

struct MxRecord {
    int preference = 10;
    std::string host;
};

struct DnsSpec {
    std::string domain;
    std::vector<MxRecord> mx;  // sorted by preference
    std::string a;             // an A record: a host name (its address) or an IPv4 address
    SourcePos pos;
};

// What a scripted line expects of the reply: an SMTP code ("250") or class ("2xx"), a POP3 status ("+OK", "-ERR"),
// and/or text it must contain.
struct ExpectSpec {
    int code = 0;   // 0: any code of `klass`
    int klass = 0;  // 0: any class
    std::optional<bool> pop3Ok;  // POP3: +OK (true) or -ERR (false)
    std::string imapStatus;      // IMAP: "OK", "NO", "BAD" of the tagged completion, or "+" (a continuation)
    std::string contains;
    std::string describe() const;
    bool matches(int replyCode, std::string_view replyText) const;
    bool matchesPop3(bool ok, std::string_view replyText) const;
    bool matchesImap(std::string_view status, std::string_view replyText) const;
};

struct ScriptLine {
    std::optional<std::string> send;  // the line as typed (without CRLF); empty optional: only wait for a reply
    std::string inject;               // raw bytes sent in the same segment right after `send` (CRLFs included), not
                                      // awaited: an attacker's injection (e.g. after STARTTLS, CVE-2011-0411)
    std::optional<ExpectSpec> expect;
    SourcePos pos;
};

// Who connects to whom: shared by raw sessions and MUA actions.
struct ConnectionSpec {
    std::string from;       // client host
    std::string to;         // server host (after MX resolution, see `viaMx`)
    std::string viaMx;      // the domain whose MX gave `to`, when the scenario named a domain
    int port = 25;
    std::string protocol = "smtp";
    bool implicitTls = false;  // `port` is the service's implicit TLS port: TLS from the first byte (RFC 8314)
    util::ClientTls tls = util::ClientTls::None;  // a user agent's STARTTLS policy (`tls: starttls|opportunistic|none`)
};

struct SessionStep : ConnectionSpec {
    std::vector<ScriptLine> script;
};

// What the server answered a recipient: accepted (2xx; YAML `accepted`, or the older `delivered`), deferred (4xx:
// try later) or refused (5xx). Accepted is not delivered: the mail may wait in a queue (the run note says which).
enum class RecipientOutcome { Delivered, Deferred, Refused };

// A file attached to a message (sent as a MIME part with Content-Disposition: attachment, RFC 2183).
struct AttachmentSpec {
    std::string name;         // the file name, any UTF-8 (sent RFC 2231-encoded when not ASCII)
    std::string contentType;  // "type/subtype[; params]"; default text/plain for `text`, application/octet-stream for `base64`
    std::string bytes;        // the content: `text` as written, or `base64` decoded
    SourcePos pos;
};

struct MailSpec {
    std::vector<std::string> to;  // envelope recipients, also the To: header
    std::vector<std::string> cc;  // envelope recipients, also the Cc: header
    std::string subject;
    std::string body;
    std::string html;                         // optional HTML alternative of `body` (multipart/alternative)
    std::vector<AttachmentSpec> attachments;  // with either of these the message is multipart (RFC 2046)
    std::vector<std::pair<std::string, RecipientOutcome>> expect;
    SourcePos pos;
};

// The user agent sends mail with the engine's own SMTP client (RFC 5321): EHLO, then per message MAIL, RCPT...,
// DATA, the content dot-stuffed; QUIT after the last one, so several messages share one connection.
struct MuaSendStep : ConnectionSpec {
    std::string sender;  // envelope sender and From:
    std::vector<MailSpec> messages;
    std::string user;      // non-empty: log in with SMTP AUTH first (RFC 4954)
    std::string password;  // default: the user's password on the server host
    std::string authMechanism = "PLAIN";  // PLAIN or LOGIN
};

enum class FetchMode { Delete, Keep };
enum class FetchAuth { User, Apop };

// The user agent checks mail with the engine's own POP3 client (RFC 1939): delete mode (RETR + DELE every message)
// or keep mode (UIDL, RETR only what this user agent has not seen before; it remembers the unique ids it saw, per
// client host, user and server, for the rest of the run).
struct MuaFetchStep : ConnectionSpec {
    std::string user;      // canonical address, also the POP3 user name
    std::string password;  // default: the user's password on the server host
    FetchMode mode = FetchMode::Delete;
    FetchAuth auth = FetchAuth::User;
    std::optional<std::size_t> expectFetched;
    SourcePos expectPos;
};

// The user agent works with a mailbox over IMAP with the engine's own client (engine/imap/ImapClientSession.hpp):
// - imap-summary: the message list (ENVELOPE + RFC822.SIZE of all), then the bodies of the messages in `open` only;
// - imap-search: the server searches (UID SEARCH CHARSET UTF-8 <field> <text>), only UIDs come back;
// - imap-move: the same search, then UID MOVE of what was found into `target` (created if missing);
// - imap-sync: disconnected mode: the user agent's cache of the mailbox (kept per client host, user, server and
//   mailbox for the rest of the run) is resynchronised by UIDVALIDITY, UIDNEXT, vanished UIDs and flags; UIDs in
//   `flag_offline` were flagged while offline and are uploaded first;
// - imap-flag: UID STORE +FLAGS / -FLAGS on the UIDs in `uids`, or on what the search (`field`, `text`) finds;
// - imap-create / imap-delete: CREATE / DELETE `folder`; imap-rename: RENAME `folder` to `target`.
// (No imap-idle: a step runs its session to the end before the next step starts, so nothing could change the mailbox
// while the user agent idles; IDLE is covered by the engine's client tests and by scripted sessions.)
struct MuaImapStep : ConnectionSpec {
    std::string action;    // imap-summary, imap-search, imap-move, imap-sync, imap-flag, imap-create, imap-rename,
                           // imap-delete
    std::string user;      // canonical address, also the IMAP login
    std::string password;  // default: the user's password on the server host
    std::string mailbox = "INBOX";
    std::vector<std::uint32_t> open;          // imap-summary: sequence numbers the user opens
    std::string field = "TEXT";               // imap-search / imap-move
    std::string text;
    std::string target;                       // imap-move; imap-rename: the new name
    std::vector<std::uint32_t> uids;          // imap-flag (empty: the search chooses)
    std::vector<std::string> addFlags;        // imap-flag: "\Seen", "\Flagged" ...
    std::vector<std::string> removeFlags;
    std::string folder;                       // imap-create, imap-rename, imap-delete
    std::vector<std::uint32_t> flagOffline;   // imap-sync
    // expect: which counts must come out (all optional)
    // listed, opened, found, moved, new, vanished, changed, uploaded, flagged; ok (1/0: accepted or refused)
    std::map<std::string, std::size_t> expect;
    SourcePos expectPos;
};

struct NoteStep {
    i18n::LocalText text;  // `note: "..."` (English) or `note: {en: ..., zh: ...}`
};

// A named point in the run (`- checkpoint: name`) that lessons link to (`[text](checkpoint:name)`). The runner records
// it as a Note event with machine = kCheckpointMachine and text = the name (see findCheckpoint in Api.hpp).
struct CheckpointStep {
    std::string name;  // [a-z0-9-]+, unique within the scenario
    i18n::LocalText label;  // optional `label: {en: ..., zh: ...}`: what the point is, for people
};

struct CheckStep {
    std::string mailbox;  // canonical address
    std::string folder = "INBOX";
    std::optional<std::size_t> count;
    std::string contains;  // some message in the folder contains this text
};

struct WaitStep {
    trace::Micros duration = 0;
};

// Something breaks (or is repaired) at the current virtual time.
enum class FaultKind { HostDown, LinkDown, Crash };
struct FaultStep {
    FaultKind kind = FaultKind::HostDown;
    std::string host;
    std::optional<trace::Micros> downFor;  // none: until the end of the run (a crash restarts at once)
};

struct Step {
    SourcePos pos;
    std::variant<SessionStep, MuaSendStep, MuaFetchStep, MuaImapStep, NoteStep, CheckStep, WaitStep, FaultStep,
                 CheckpointStep>
        what;
};

struct Scenario {
    std::string file;
    i18n::LocalText title;        // `title: text` (English) or `title: {en: ..., zh: ...}`; also description
    i18n::LocalText description;
    std::string lesson;          // path of the linked lesson, relative to the scenario file
    std::uint64_t seed = 1;
    trace::Micros start = 0;     // virtual time at which the scenario begins (µs since the Unix epoch)
    LinkConfig link;
    std::vector<LinkSpec> links;  // per-link latency and segment loss (`links:`)
    std::vector<HostSpec> hosts;
    std::vector<DnsSpec> dns;
    std::vector<Step> steps;
    std::vector<std::string> includes;  // every file included (directly or not), as the loader found them
    std::vector<TextGap> textGaps;      // texts given in one language only (`mailsim check` warns)

    const HostSpec* findHost(std::string_view name) const;
};

// The largest scenario or network file the loader parses (4 MiB; the shipped scenarios are under 20 kB). A larger
// text is refused with a diagnostic before any parsing, so a huge file cannot exhaust memory.
inline constexpr std::size_t kMaxScenarioBytes = 4 * 1024 * 1024;

// Reads an included file: its text, or nullopt when it cannot be read. The default reads from the disk.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;
std::optional<std::string> readFileFromDisk(const std::string& path);

// `file` names the document in diagnostics and is the base for `include:` paths (relative to its directory).
std::expected<Scenario, std::vector<Diagnostic>> loadScenario(const std::string& yaml, const std::string& file,
                                                               const FileReader& read = readFileFromDisk);

// Checks a network fragment (a file meant to be included: `hosts`, `dns`, `network`, `include` only) on its own.
std::vector<Diagnostic> checkNetworkFragment(const std::string& file, const FileReader& read = readFileFromDisk);

// "30m", "2h", "1500ms", "90s", "1d"; nullopt when malformed.
std::optional<trace::Micros> parseDuration(std::string_view text);
std::string_view toString(RecipientOutcome outcome);

}  // namespace mailsim::sim
