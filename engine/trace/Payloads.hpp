// The typed payloads of the trace's events (trace/Trace.hpp): the facts each event kind carries besides a protocol
// line, as fields, with the enums' names for the JSON form and the renderers.
//
// Contract
// - Every struct lists its fields once in `fields(self, visit)`; the JSON writer and reader (sim/tools/TraceJson.*)
//   walk that list, so the two cannot disagree. `names(E{})` gives an enum's names in enum order; a name is never
//   reused for another value (docs/trace-schema-v1.json lists them, tests/schema/check_trace_schema.py compares).
// - No dependencies beyond the C++ standard library and the header-only store/StoreError.hpp (an ErrorReport may
//   carry a typed store failure).
#pragma once

#include "store/StoreError.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::trace {

using Micros = std::int64_t;  // virtual or wall time in microseconds

// Each event kind that is not a protocol line carries its facts as typed fields; nobody composes or parses sentences.
// Readers render them per language with trace/Render.hpp (the transcript, the GUI, exports); the JSON form
// (docs/trace-schema-v1.json) writes the same fields. Every struct lists its fields once in `fields(self, visit)`,
// which the JSON writer and reader walk, so the two cannot disagree.

// A value's name in the JSON form and the renderers' tables: `names(E{})` lists them in enum order.
template <typename E>
std::string_view enumName(E value) {
    const auto list = names(E{});
    const auto i = static_cast<std::size_t>(value);
    return i < list.size() ? list[i] : std::string_view("unknown");
}
template <typename E>
std::optional<E> parseEnum(std::string_view name) {
    const auto list = names(E{});
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i] == name) return static_cast<E>(i);
    return std::nullopt;
}

// A TCP endpoint as the network saw it (IPv4 or IPv6 text address, port); empty address = unknown.
struct Endpoint {
    std::string address{};
    int port = 0;
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("address", s.address), v("port", s.port);
    }
};

// Why a connection could not be made (schema 1.2), with the host it concerns (`failureHost` beside it): the simulator's
// faults (sim/world/Relay.cpp RelayNetwork::unreachable) and `serve`'s relay (sim/serve/ServeRelay.cpp). The words are
// the renderers' (trace/Errors.hpp, en and zh); a lower layer's own words (the system's error text) travel beside it
// as the payload's `detail`/`reason`, not translated.
enum class ConnectFailure : std::uint8_t {
    None,           // the connection came up, or it failed for a reason recorded as text only (schema 1.0/1.1)
    NoSmtpService,  // the host runs no SMTP service: connection refused
    HostDown,       // the host is down: no answer, the attempt timed out
    LinkDown,       // the host's network link is down (the host named is the sender's or the receiver's)
    PacketLoss,     // the attempt was lost in the network (seeded loss): timed out; no host
    TimedOut,       // serve: no answer from the host within the connect deadline
    BadAddress,     // serve: the host's address is not numeric (`detail`: the address)
    SystemError,    // serve: the system refused (`detail`: its error text, e.g. "Connection refused")
};
constexpr std::array<std::string_view, 8> names(ConnectFailure) {
    return {"none", "no-smtp-service", "host-down", "link-down", "packet-loss", "timed-out", "bad-address",
            "system-error"};
}

enum class CloseReason : std::uint8_t {
    None,                // still open (ConnectionOpened), or closed for a reason nobody recorded
    ClientClosed,        // the client closed the connection
    ServerClosed,        // the server closed it (after 221/+OK/BYE or its own decision)
    ConnectFailed,       // the connection never came up: `failure` and `failureHost` say why (`detail`: the system's words)
    TlsUnavailable,      // TLS was required but no TLS context could be made
    WriteFailed,         // a socket write failed: `detail` = the system's error
    ConnectionLost,      // the peer vanished: `detail` = the system's error, if any
    Shutdown,            // the server is shutting down
    ShutdownUnflushed,   // ... and the output could not be flushed in time
    TooManyConnections,  // a connection cap: `detail` = the address, or the listener
    LoginDeadline,       // no login within the deadline
    CommandDeadline,     // a command (or message content) not complete within its deadline (docs/security.md)
};
constexpr std::array<std::string_view, 12> names(CloseReason) {
    return {"none", "client-closed", "server-closed", "connect-failed", "tls-unavailable", "write-failed",
            "connection-lost", "shutdown", "shutdown-unflushed", "too-many-connections", "login-deadline",
            "command-deadline"};
}

// Whether the server side sent its FIN first (for captures): it closed, shut down or turned the client away.
constexpr bool serverClosedFirst(CloseReason r) {
    return r == CloseReason::ServerClosed || r == CloseReason::Shutdown || r == CloseReason::ShutdownUnflushed ||
           r == CloseReason::TooManyConnections || r == CloseReason::LoginDeadline || r == CloseReason::TlsUnavailable;
}

// ConnectionOpened / ConnectionClosed.
struct Connection {
    std::string client{};       // "mike-pc", or "127.0.0.1:53122" for a real socket
    Endpoint clientEndpoint{};  // empty address: not shown
    std::string server{};
    Endpoint serverEndpoint{};
    bool implicitTls = false;
    CloseReason reason = CloseReason::None;
    std::string detail{};  // the lower layer's own words (an errno text), not translated
    ConnectFailure failure = ConnectFailure::None;  // ConnectFailed: why (schema 1.2)
    std::string failureHost{};                      // ... the host it concerns
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("client", s.client), v("clientEndpoint", s.clientEndpoint), v("server", s.server);
        v("serverEndpoint", s.serverEndpoint), v("implicitTls", s.implicitTls), v("reason", s.reason);
        v("detail", s.detail), v("failure", s.failure), v("failureHost", s.failureHost);
    }
};

enum class StoreAction : std::uint8_t {
    Appended,       // a message arrived: `uid`, `size`
    FlagsSet,       // `flags` (e.g. "\\Seen \\Flagged")
    Expunged,       // removed for good
    Copied,         // copied to `target` as `targetUid`
    MovedOut,       // moved to another folder (the copy is recorded by its own Appended/Copied)
    FolderCreated,  // uid 0
    FolderDeleted,  // with its messages
    FolderRenamed,  // to `target`
};
constexpr std::array<std::string_view, 8> names(StoreAction) {
    return {"appended", "flags-set", "expunged", "copied", "moved-out", "folder-created", "folder-deleted",
            "folder-renamed"};
}
// Why the store changed, when the action alone does not say it.
enum class StoreCause : std::uint8_t { None, BodyFetched, Downloaded, Pop3Update, Bounce };
constexpr std::array<std::string_view, 5> names(StoreCause) {
    return {"none", "body-fetched", "downloaded", "pop3-update", "bounce"};
}

struct StoreChange {
    std::string user{};
    std::string folder{};
    std::uint64_t uid = 0;  // 0: the action concerns the folder
    StoreAction action = StoreAction::Appended;
    std::string flags{};       // FlagsSet: the flags as the protocol wrote them
    std::uint64_t size = 0;  // Appended: octets
    std::string target{};      // Copied: the target folder; FolderRenamed: the new name
    std::uint64_t targetUid = 0;
    StoreCause why = StoreCause::None;
    std::string fileId{};  // store-specific id (the Maildir file name), may be empty
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("user", s.user), v("folder", s.folder), v("uid", s.uid), v("action", s.action), v("flags", s.flags);
        v("size", s.size), v("target", s.target), v("targetUid", s.targetUid), v("why", s.why), v("fileId", s.fileId);
    }
};

enum class QueueOp : std::uint8_t {
    Enqueued,          // `queueId`, `messageId`, `reversePath`, `recipients`, `path` (on disk, serve)
    Attempt,           // `attempt` (1 = first), `count` = recipients pending, `alongTo` = ahead of its retry time
    Delivered,         // to `recipients[0]`
    Deferred,          // `count` still pending, `reason` or `failure`, `attempt` failed, `nextRetry`, `retryIn`
    Bounced,           // for `recipients`; `bounce` says why; a DSN goes to `reversePath`
    BounceDropped,     // a bounce that failed: never bounced again (RFC 5321 4.5.5)
    NoticeDropped,     // the bounce has no local mailbox `recipients[0]`
    Removed,           // nothing left to deliver
    Survived,          // `count` messages survive a crash (durable queue)
    Lost,              // `count` messages lost in a crash (in-memory queue)
    Reloaded,          // read back from `path` after a restart (serve): `count` pending, `attempt` attempts so far
    NotQueued,         // the queue file could not be written: `reason`
    Abandoned,         // the attempt was abandoned at shutdown
    DomainFallback,    // no MX for `domain` in the scenario's dns: `alongTo` has that domain (serve --config)
};
constexpr std::array<std::string_view, 14> names(QueueOp) {
    return {"enqueued", "attempt", "delivered", "deferred", "bounced", "bounce-dropped", "notice-dropped",
            "removed", "survived", "lost", "reloaded", "not-queued", "abandoned", "domain-fallback"};
}
// NoSmtpUtf8 (schema 1.1): this MTA decided itself that it could never send (the next hop `alongTo` does not offer
// SMTPUTF8 and the message needs it, RFC 6531 3.7.5).
enum class BounceReason : std::uint8_t { None, Refused, Expired, NoSmtpUtf8 };
constexpr std::array<std::string_view, 4> names(BounceReason) { return {"none", "refused", "expired", "no-smtputf8"}; }

// Why an SMTP client failed a recipient on its own account, with no server reply deciding it (schema 1.3): the reply
// was not SMTP, the connection closed before the server confirmed, STARTTLS was required but refused or not offered,
// SMTPUTF8 was needed but not offered, AUTH was needed but not offered. The item, hop or queue action that carries it
// holds its one argument (the line received, the server's refusal, the server's name) in its text field;
// trace/Errors.hpp renders it per language.
enum class ClientReason : std::uint8_t {
    None,
    NotAReply,
    ClosedEarly,
    StartTlsRefused,
    StartTlsNotOffered,
    NoSmtpUtf8,
    NoAuth
};
constexpr std::array<std::string_view, 7> names(ClientReason) {
    return {"none", "not-a-reply", "closed-early", "starttls-refused", "starttls-not-offered", "no-smtputf8", "no-auth"};
}

struct QueueAction {
    std::string host{};  // whose queue
    QueueOp action = QueueOp::Enqueued;
    std::string queueId{};    // "MX-1"; empty for actions on the whole queue
    std::string messageId{};  // "<1@cesoo.com>", may be empty
    std::string reversePath{};
    std::vector<std::string> recipients{};
    std::uint64_t attempt = 0;
    std::uint64_t count = 0;
    std::optional<Micros> nextRetry{};  // Deferred: when the next attempt is due
    Micros retryIn = 0;               // Deferred: nextRetry - now
    std::string reason{};               // a reply ("450 4.2.0 busy") or a system error, as written
    // Deferred because no connection came up (schema 1.2): why, and the host it concerns; `reason` then holds only
    // the lower layer's own words, if any.
    ConnectFailure failure = ConnectFailure::None;
    std::string failureHost{};
    ClientReason clientReason = ClientReason::None;  // deferred by the client's own decision; `reason` its argument
    BounceReason bounce = BounceReason::None;
    std::uint64_t lifetimeHours = 0;  // Bounced/Expired: the queue lifetime
    std::string alongTo{};              // Attempt: the host this queue run connects to; DomainFallback: that host;
                                        // Bounced for NoSmtpUtf8: the host without SMTPUTF8
    std::string domain{};               // DomainFallback
    std::string path{};                 // Enqueued/Reloaded on disk
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("host", s.host), v("action", s.action), v("queueId", s.queueId), v("messageId", s.messageId);
        v("reversePath", s.reversePath), v("recipients", s.recipients), v("attempt", s.attempt), v("count", s.count);
        v("nextRetry", s.nextRetry), v("retryIn", s.retryIn), v("reason", s.reason), v("bounce", s.bounce);
        v("lifetimeHours", s.lifetimeHours), v("alongTo", s.alongTo), v("domain", s.domain), v("path", s.path);
        v("failure", s.failure), v("failureHost", s.failureHost), v("clientReason", s.clientReason);
    }
};

enum class HopResult : std::uint8_t {
    Summary,         // the session ran: `delivered`, `refused`, `deferred` recipients; the first failure's reply
    ConnectFailed,   // `failure`, `failureHost` (schema 1.2; before: `reason` only); `reason`: the system's words
    NxDomain,        // not sent: the domain does not exist
    NoUsableMx,      // not sent: no MX has an address
    Loop,            // not sent: the MX points back to this host
    NoReply,         // no reply in time: connection closed
    Connecting,      // serve: connecting to `address`:`port` (MX `preference`)
};
constexpr std::array<std::string_view, 7> names(HopResult) {
    return {"summary", "connect-failed", "nxdomain", "no-usable-mx", "loop", "no-reply", "connecting"};
}

struct RelayHop {
    std::string messageId{};
    std::string from{};
    std::string to{};
    HopResult result = HopResult::Summary;
    std::uint64_t delivered = 0, refused = 0, deferred = 0;
    int code = 0;        // the first failed recipient's reply code (0: none or no reply)
    std::string reason{};  // that reply's text; ConnectFailed: the lower layer's own words, if any
    std::string address{};
    int port = 0;
    int preference = 0;
    ConnectFailure failure = ConnectFailure::None;  // ConnectFailed: why (schema 1.2)
    std::string failureHost{};                      // ... the host it concerns
    ClientReason clientReason = ClientReason::None;  // the client failed it itself; `reason` its argument (1.3)
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("messageId", s.messageId), v("from", s.from), v("to", s.to), v("result", s.result);
        v("delivered", s.delivered), v("refused", s.refused), v("deferred", s.deferred), v("code", s.code);
        v("reason", s.reason), v("address", s.address), v("port", s.port), v("preference", s.preference);
        v("failure", s.failure), v("failureHost", s.failureHost), v("clientReason", s.clientReason);
    }
};

enum class FaultKind : std::uint8_t { HostDown, HostUp, LinkDown, LinkUp, Crash, ConnectionReset };
constexpr std::array<std::string_view, 6> names(FaultKind) {
    return {"host-down", "host-up", "link-down", "link-up", "crash", "connection-reset"};
}

struct Fault {
    FaultKind kind = FaultKind::HostDown;
    std::string host{};             // ConnectionReset: the client end
    std::string peer{};             // ConnectionReset: the server end
    std::optional<Micros> until{};  // HostDown/LinkDown/Crash: when it comes back (none: until further notice)
    Micros downFor = 0;           // ... and for how long
    FaultKind cause = FaultKind::HostDown;  // ConnectionReset: the fault that reset it (host-down, link-down, crash)
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("kind", s.kind), v("host", s.host), v("peer", s.peer), v("until", s.until), v("downFor", s.downFor);
        v("cause", s.cause);
    }
};

enum class DnsType : std::uint8_t { MX, A };
constexpr std::array<std::string_view, 2> names(DnsType) { return {"MX", "A"}; }

struct DnsQuery {
    std::string host{};  // who asks
    DnsType type = DnsType::MX;
    std::string name{};
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("host", s.host), v("type", s.type), v("name", s.name);
    }
};

struct DnsRecord {
    DnsType type = DnsType::MX;
    int preference = 0;   // MX
    std::string host{};     // MX: the exchanger
    std::string address{};  // its A record; empty: none (the exchanger is skipped)
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("type", s.type), v("preference", s.preference), v("host", s.host), v("address", s.address);
    }
};

struct DnsAnswer {
    std::string host{};  // who asked
    DnsType type = DnsType::MX;
    std::string name{};
    std::vector<DnsRecord> records{};  // empty and !nxdomain: no record of that type
    bool nxdomain = false;
    bool implicitMx = false;  // an A answer used as the implicit MX (RFC 5321 5.1)
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("host", s.host), v("type", s.type), v("name", s.name), v("records", s.records), v("nxdomain", s.nxdomain);
        v("implicitMx", s.implicitMx);
    }
};

enum class TlsSide : std::uint8_t { Client, Server };
constexpr std::array<std::string_view, 2> names(TlsSide) { return {"client", "server"}; }

struct TlsHandshake {
    TlsSide side = TlsSide::Client;  // whose view
    std::string version{};             // "TLSv1.3"
    std::string cipher{};              // "TLS_AES_256_GCM_SHA384"
    std::string peerSubject{};         // the peer's certificate, empty when none was seen
    std::string peerIssuer{};
    bool verified = false;  // the client checked the server's certificate against the classroom CA
    std::string error{};      // why it failed (the event's `ok` is false)
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("side", s.side), v("version", s.version), v("cipher", s.cipher), v("peerSubject", s.peerSubject);
        v("peerIssuer", s.peerIssuer), v("verified", s.verified), v("error", s.error);
    }
};

// A gateway hands the message over to a system that is not SMTP (a bulletin board).
struct Handover {
    std::string system{};
    std::string mailbox{};
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("system", s.system), v("mailbox", s.mailbox);
    }
};

// A Note: which scenario step said it (none for the engine's explanations), and its Chinese text when the author
// gave one (the event's `text` is the English, or the text as written).
struct Narration {
    std::optional<std::uint64_t> step{};  // 0-based index of the scenario step
    std::string zh{};
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("step", s.step), v("zh", s.zh);
    }
};

// An explanation from the engine or the simulator (a Note without a scenario step): which sentence of the notes
// catalogue (trace/Notes.hpp) and its arguments. The catalogue lists, per id, what `names` and `numbers` hold, in
// order; nobody writes the sentence itself. Added with schema 1.1.
enum class NoteId : std::uint8_t {
    // TLS (RFC 3207, RFC 3501 6.2.1, RFC 2595 4, RFC 8446)
    DiscardedPlaintextServer,  // numbers: octets; names: verb (STARTTLS, STLS)
    DiscardedPlaintextClient,  // numbers: octets; names: the reply ("220", "OK", "+OK"), verb
    StartTlsAccepted,          // server; names: verb; rfc
    StartTlsWaiting,           // client; names: verb; rfc
    StartTlsRefused,           // client, opportunistic; names: verb
    StartTlsNotOffered,        // client, opportunistic; names: verb
    StartTlsRequired,          // client, TLS required but not offered; names: verb
    TlsEstablishedImap,        // rfc
    TlsEstablishedPop3,        // rfc
    TlsCloseNotify,            // rfc
    TlsHandshakeTimeout,       // numbers: seconds
    // SMTP server and client
    Utf8NotOffered,            // numbers: message number (1-based); names: host; rfc
    AuthFailed,                // names: user
    AuthOk,                    // names: user
    GreetingTimeout,           // numbers: seconds
    ContentNotRecorded,        // numbers: lines, octets, lines kept, octets kept
    BareLineEndStored,         // names: "LF" or "CR"
    BareLineEndRefused,        // names: "LF" or "CR"
    GreylistPassed,            // names: client address, sender, recipient
    ScenarioRule,              // names: point (verb, CONNECT, DOT), senders, recipients; numbers: code, occurrence,
                               // greylist (1/0)
    GoodbyeTooMany,            // SMTP 421 at a cap; numbers: open transaction abandoned (1/0)
    GoodbyeLoginTimeout,       // numbers: as above
    GoodbyeSlowClient,         // numbers: as above
    GoodbyeShutdown,           // numbers: as above
    // IMAP server
    ImapAutologout,            // numbers: seconds; rfc
    ImapNoLogout,
    SelectedMailboxDeleted,
    // POP3 server: the session ends without UPDATE; numbers[0]: messages marked deleted that stay
    Pop3TooManyErrors,
    Pop3Autologout,            // numbers: marked, seconds; rfc
    Pop3NoQuit,
    Pop3Shutdown,
    Pop3ServerEnds,
    // The simulated world and the real-socket server
    RelaySharedConnection,     // numbers: messages; names: the next host
    SandboxReady,
    SandboxAfterSteps,
    CapPerAddress,             // names: address; numbers: connections, cap
    CapPerListener,            // names: listener name, its address; numbers: connections, cap
    LoginDelay,                // names: address; numbers: failed logins, seconds held
    LoginTimeout,              // numbers: seconds
    CommandDeadline,           // numbers: milliseconds elapsed, octets received, seconds allowed, octets per second
    DnsMx,                     // names: domain, host, address
    SegmentLost,               // names: from host, to host; numbers: times lost, octets, first timeout (µs)
    // A user agent's result (sim/Runner.cpp); `detail` = the client's own problem, if any
    UaSent,                    // numbers: message number; names: subject; items: one per recipient
    UaFetchedKeep,             // numbers: messages, octets, unique ids remembered
    UaFetchedDeleted,          // numbers: messages, octets, marked deleted
    UaFetchedNotDeleted,       // numbers: messages, octets, marked deleted (no UPDATE: no QUIT +OK)
    UaImapListed,              // numbers: listed, octets listed, opened, octets received
    UaImapFound,               // numbers: found; names: search field, search text
    UaImapMoved,               // numbers: found, moved; names: search field, search text, target folder
    UaImapFlagged,             // numbers: flagged, found, searched (1/0); names: added flags, removed flags, search
                               // field, search text; items: uid (number) and flags (text)
    UaImapCreate,              // numbers: accepted (1/0); names: folder
    UaImapDelete,              // numbers: accepted (1/0); names: folder
    UaImapRename,              // numbers: accepted (1/0); names: folder, new name
    UaImapResync,              // numbers: new, vanished, changed flags, uploaded, cached UIDs, UIDVALIDITY, UIDNEXT,
                               // cache discarded (1/0)
};
constexpr std::array<std::string_view, 54> names(NoteId) {
    return {"discarded-plaintext-server", "discarded-plaintext-client", "starttls-accepted", "starttls-waiting",
            "starttls-refused", "starttls-not-offered", "starttls-required", "tls-established-imap",
            "tls-established-pop3", "tls-close-notify", "tls-handshake-timeout", "utf8-not-offered", "auth-failed",
            "auth-ok", "greeting-timeout", "content-not-recorded", "bare-line-end-stored", "bare-line-end-refused",
            "greylist-passed", "scenario-rule", "goodbye-too-many", "goodbye-login-timeout", "goodbye-slow-client",
            "goodbye-shutdown", "imap-autologout", "imap-no-logout", "selected-mailbox-deleted", "pop3-too-many-errors",
            "pop3-autologout", "pop3-no-quit", "pop3-shutdown", "pop3-server-ends", "relay-shared-connection",
            "sandbox-ready", "sandbox-after-steps", "cap-per-address", "cap-per-listener", "login-delay",
            "login-timeout", "command-deadline", "dns-mx", "segment-lost", "ua-sent", "ua-fetched-keep",
            "ua-fetched-deleted", "ua-fetched-not-deleted", "ua-imap-listed", "ua-imap-found", "ua-imap-moved",
            "ua-imap-flagged", "ua-imap-create", "ua-imap-delete", "ua-imap-rename", "ua-imap-resync"};
}

// A recipient's outcome as the user agent saw it, and what became of the message after.
// Accepted: the server answered 2xx (the message is its responsibility now, not yet delivered).
enum class Outcome : std::uint8_t { Accepted, Refused, Deferred };
constexpr std::array<std::string_view, 3> names(Outcome) { return {"accepted", "refused", "deferred"}; }
enum class Fate : std::uint8_t { None, Mailbox, Queued, QueuedDeferred, Relayed, Bounced, Accepted };
constexpr std::array<std::string_view, 7> names(Fate) {
    return {"none", "mailbox", "queued", "queued-deferred", "relayed", "bounced", "accepted"};
}

// One item of an explanation's list: a recipient's result (UaSent) or a message's flags (UaImapFlagged).
struct NoteItem {
    std::string name{};        // the recipient
    std::uint64_t number = 0;  // the UID
    Outcome outcome = Outcome::Accepted;
    int code = 0;              // the reply code (0: no reply)
    std::string text{};        // the reply's text as sent, or the flags; with a client reason, its argument
    Fate fate = Fate::None;
    std::string host{};        // the server the fate happened at
    ClientReason reason = ClientReason::None;  // the client decided the outcome itself (schema 1.3)
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("name", s.name), v("number", s.number), v("outcome", s.outcome), v("code", s.code), v("text", s.text);
        v("fate", s.fate), v("host", s.host), v("reason", s.reason);
    }
};

struct Explanation {
    NoteId id = NoteId::SandboxReady;
    std::vector<std::string> names{};      // host, user, address, verb... as the catalogue entry lists them
    std::vector<std::uint64_t> numbers{};  // counts, octets, seconds... likewise
    std::string rfc{};                     // the RFC section the sentence cites ("RFC 3207 4")
    std::string detail{};                  // a lower layer's own words (a client's error), not translated
    std::vector<NoteItem> items{};
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("note", s.id), v("names", s.names), v("numbers", s.numbers), v("rfc", s.rfc), v("detail", s.detail);
        v("items", s.items);
    }
};

// An Error event's facts (schema 1.2): which sentence of the errors catalogue (trace/Errors.hpp) and its arguments by
// position, as each id's comment lists them. `detail` holds a lower layer's own words (a store's errno text, a
// malformed line as received, a server's reply text), which are not translated; nobody writes the sentence itself.
enum class ErrorId : std::uint8_t {
    // TLS (RFC 3207, RFC 2595, RFC 9051)
    TlsWithoutStartTls,     // server: a handshake completed that no STARTTLS/STLS asked for; names: verb
    TlsUnavailable,         // the simulator could make no TLS context; detail: why
    // A client that reads what is not a reply, or moves outside its table (its own bug)
    NotAReply,              // names: protocol (SMTP, POP3, IMAP); rfc; detail: the line as received
    ClientNoTransition,     // names: machine (smtp-client, pop3-client), input, state
    // A server whose store failed; detail: the store's words
    DeliveryFailed,         // names: mailbox
    RelayQueueRefused,      // the relay queue did not take the message
    ImapCreateFailed,       // names: folder
    ImapDeleteFailed,       // names: folder
    ImapRenameFailed,       // names: folder, new name
    ImapAppendFailed,       // names: folder
    ImapExpungeFailed,      // nothing was removed
    ImapStoreFailed,        // names: folder; numbers: uid
    ImapCopyFailed,         // names: verb (COPY, MOVE), target folder
    ImapMoveRemoveFailed,   // MOVE copied, but the originals could not be removed
    Pop3ReadFailed,         // names: user; numbers: uid
    Pop3UpdateFailed,       // nothing was removed
    // The IMAP user agent (engine/imap/ImapClientSession); detail: the server's words as received
    ImapClientClosed,       // the server closed the connection
    ImapClientBye,          // the server said BYE
    ImapClientGreeting,     // the greeting is not OK
    ImapClientRefused,      // names: the command (CAPABILITY, LOGIN, SELECT, SEARCH, MOVE, STORE, IDLE, CREATE, DELETE,
                            // RENAME); for SELECT also the mailbox
    ImapClientIdleEnded,    // IDLE ended with something other than OK
    ImapClientNoStartTls,   // TLS required, STARTTLS not offered: no login in plaintext
    ImapClientStartTlsRefused,  // TLS required, STARTTLS refused: no login in plaintext
    ImapClientPreauth,      // PREAUTH before TLS would skip encryption; rfc
    // The POP3 user agent (engine/pop3/Pop3ClientSession; schema 1.3); detail: the server's words as received
    Pop3ClientGreeting,     // the greeting is -ERR
    Pop3ClientNoStls,       // TLS required, STLS not offered: no login in plaintext; rfc
    Pop3ClientStlsRefused,  // TLS required, STLS refused: no login in plaintext
    Pop3ClientNoTimestamp,  // APOP chosen, the greeting has no timestamp <...>; rfc
    Pop3ClientLoginRefused, // PASS or APOP answered -ERR; names: the command
    Pop3ClientRefused,      // names: the command (USER, UIDL, LIST, RETR, DELE, QUIT); numbers: the message (RETR, DELE)
    Pop3ClientClosed,       // the connection closed before QUIT was answered; names: the client's state (RETR ...)
};
constexpr std::array<std::string_view, 31> names(ErrorId) {
    return {"tls-without-starttls", "tls-unavailable", "not-a-reply", "client-no-transition", "delivery-failed",
            "relay-queue-refused", "imap-create-failed", "imap-delete-failed", "imap-rename-failed",
            "imap-append-failed", "imap-expunge-failed", "imap-store-failed", "imap-copy-failed",
            "imap-move-remove-failed", "pop3-read-failed", "pop3-update-failed", "imap-client-closed",
            "imap-client-bye", "imap-client-greeting", "imap-client-refused", "imap-client-idle-ended",
            "imap-client-no-starttls", "imap-client-starttls-refused", "imap-client-preauth",
            "pop3-client-greeting", "pop3-client-no-stls", "pop3-client-stls-refused", "pop3-client-no-timestamp",
            "pop3-client-login-refused", "pop3-client-refused", "pop3-client-closed"};
}

struct ErrorReport {
    ErrorId id = ErrorId::TlsUnavailable;
    std::vector<std::string> names{};      // as the catalogue entry lists them
    std::vector<std::uint64_t> numbers{};  // likewise
    std::string rfc{};                     // the RFC section the sentence cites
    std::string detail{};                  // a lower layer's own words, not translated
    // Schema 1.4: the store's failure as data (the ids whose detail is a store error: DeliveryFailed, Imap*Failed,
    // Pop3ReadFailed, Pop3UpdateFailed). When present, the renderers word it in the event's language and `detail`
    // keeps its English (store::StoreError::text(), what a 1.3 reader shows).
    std::optional<store::StoreError> store{};
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("error", s.id), v("names", s.names), v("numbers", s.numbers), v("rfc", s.rfc), v("detail", s.detail),
            v("store", s.store);
    }
    // A report whose detail is the store error `e` (its English) with `e` itself as the payload.
    static ErrorReport fromStore(ErrorId id, const store::StoreError& e, std::vector<std::string> names = {},
                                 std::vector<std::uint64_t> numbers = {}) {
        return {.id = id, .names = std::move(names), .numbers = std::move(numbers), .detail = e.text(), .store = e};
    }
};

// An Expectation event's facts (schema 1.3): what the scenario expected and what happened, rendered per language by
// trace/Render.hpp (`expectedText`, `gotText`). The event's `text`/`detail` keep the English of both (1.x readers).
// A reply quoted as "got" (`reply`) and a lower layer's words (`detail`) stay as received, never translated.
enum class ExpectKind : std::uint8_t {
    Reply,         // a script line's `expect:`: `code` (250), or `klass` (2 for 2xx), or `status` (+OK, -ERR, OK, NO,
                   // BAD, +); `contains`. Got: `reply` (the reply's first line; IMAP: the tagged line), or a `reason`
    Recipient,     // a user agent's `expect: { rcpt: outcome }`: `name` = the recipient, `outcome`. Got: `recipient`
                   // (outcome, reply code and text, fate), or a `reason`
    Fetched,       // pop3-fetch `expect: { fetched: N }`: `count`. Got: `gotCount`; `detail` = the client's problem
    ImapCount,     // an imap-* action's count: `name` = the key (found, moved, new, vanished...), `count`. Got:
                   // `gotCount`; `problem` = the client's problem
    FolderAction,  // imap-create/rename/delete `expect: { ok: BOOL }`: `flag` (true: accepted). Got: `gotFlag`,
                   // `problem` = why it was refused
    Mailbox,       // a `check:` step: `name` = the mailbox, `folder`, `count` (if given), `contains`. Got: `gotCount`
                   // messages, `gotFlag` = one of them contains the text
};
constexpr std::array<std::string_view, 6> names(ExpectKind) {
    return {"reply", "recipient", "fetched", "imap-count", "folder-action", "mailbox"};
}

// Why a script line's expectation saw no reply.
enum class ExpectReason : std::uint8_t {
    None,            // a reply came
    SentAsContent,   // the line was sent as message content (after 354 the server answers only the final ".")
    StillReading,    // the server is still reading the message content
    Waiting,         // the server is waiting for more input
    ServerClosed,    // the server closed the connection
    ConnectFailed,   // the connection could not be made: `failure`, `failureHost`, `detail` (Errors.hpp's words)
    TlsUnavailable,  // the connection could not be made: TLS is not available
    TlsFailed,       // the TLS handshake failed: `detail` = the TLS library's words
};
constexpr std::array<std::string_view, 8> names(ExpectReason) {
    return {"none", "sent-as-content", "still-reading", "waiting", "server-closed", "connect-failed",
            "tls-unavailable", "tls-failed"};
}

struct ExpectationCheck {
    ExpectKind kind = ExpectKind::Reply;
    // what was expected
    int code = 0;                  // Reply: an SMTP reply code (0: none)
    int klass = 0;                 // Reply: an SMTP reply class (2 for 2xx; 0: none)
    std::string status{};          // Reply: POP3 +OK/-ERR, IMAP OK/NO/BAD/+
    std::string contains{};        // Reply, Mailbox: text the reply (a message) must contain
    std::string name{};            // Recipient: the address; ImapCount: the key; Mailbox: the mailbox
    std::string folder{};          // Mailbox
    Outcome outcome = Outcome::Accepted;  // Recipient
    std::optional<std::uint64_t> count{};  // Fetched, ImapCount, Mailbox (none: any number)
    bool flag = false;             // FolderAction: true = accepted
    // what happened
    ExpectReason reason = ExpectReason::None;
    std::string reply{};           // Reply: the reply as received
    std::vector<NoteItem> recipient{};  // Recipient: the outcome as the user agent saw it (one item)
    std::uint64_t gotCount = 0;    // Fetched, ImapCount, Mailbox
    bool gotFlag = false;          // FolderAction; Mailbox: a message contains `contains`
    ConnectFailure failure = ConnectFailure::None;  // reason ConnectFailed
    std::string failureHost{};
    std::string detail{};          // a lower layer's own words (a client's problem, the TLS error), not translated
    std::vector<ErrorReport> problem{};  // ImapCount, FolderAction: the user agent's typed problem (at most one)
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("expect", s.kind), v("code", s.code), v("klass", s.klass), v("status", s.status), v("contains", s.contains);
        v("name", s.name), v("folder", s.folder), v("outcome", s.outcome), v("count", s.count), v("flag", s.flag), v("reason", s.reason);
        v("reply", s.reply), v("recipient", s.recipient), v("gotCount", s.gotCount), v("gotFlag", s.gotFlag);
        v("failure", s.failure), v("failureHost", s.failureHost), v("detail", s.detail), v("problem", s.problem);
    }
};

}  // namespace mailsim::trace
