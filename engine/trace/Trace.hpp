// The trace: the one model that the engine writes and the CLI, the exporters, the GUI and the tests read.
//
// Contract
// - A Trace is append-only and time-ordered: events are appended in the order things happened, and each event's
//   `time` is >= the previous event's (virtual microseconds in the simulator, wall microseconds since start in
//   `mailsim serve`).
// - Every event has an id (its index in the trace, so `trace.at(id)` is O(1)), the session it belongs to (0 = none:
//   scenario-level events such as notes), and the id of the event that caused it (`kNoCause` when none).
// - Sessions are described once (`SessionInfo`): protocol, client and server endpoint names.
// - This library has no dependencies beyond the C++ standard library, so any layer may link it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::trace {

using EventId = std::uint64_t;
using SessionId = std::uint32_t;
using Micros = std::int64_t;  // virtual or wall time in microseconds

inline constexpr EventId kNoCause = ~EventId{0};
inline constexpr SessionId kNoSession = 0;

enum class EventKind : std::uint8_t {
    ConnectionOpened,  // `text` = "client -> server:port"
    ConnectionClosed,  // `text` = who closed and why
    Line,              // one protocol line; `direction`, `text` (without CRLF), `raw` (bytes as on the wire)
    StateChanged,      // `machine`, `fromState`, `toState`, `text` = the command or event that caused it
    StoreChanged,      // `text` = "user folder uid action", `detail` = store-specific id (e.g. Maildir file name)
    Note,              // narration from the scenario or an explanation from the engine
    Expectation,       // a scenario expectation: `text` = what was expected, `detail` = what happened, `ok`
    Error,             // something went wrong outside the protocol (I/O error, store failure)
    // Relay across the network (added with the MTA; appended so existing values keep their numbers)
    DnsQuery,          // `text` = "MX example.org" (type and name), `machine` = the resolver's host
    DnsAnswer,         // `text` = the answer ("MX 10 mx1.example.org, MX 20 mx2.example.org", "A 10.0.0.3",
                       // "NXDOMAIN"), `cause` = the query
    QueueAction,       // `text` = "<queue id> <action>: ..." (enqueued, deferred, retried, delivered, bounced, lost),
                       // `machine` = the host whose queue acted, `detail` = the virtual time of the next retry (µs) or ""
    RelayHop,          // `text` = "<message id>: <from host> -> <to host>: <result>", `machine` = from host,
                       // `toState` = to host, `detail` = the result (delivered, deferred, bounced, refused...)
    FaultInjected,     // `text` = what failed or recovered ("mail.example.org down for 2h", "... is back up")
    // TLS (added with STARTTLS and implicit TLS; appended so existing values keep their numbers)
    TlsHandshake,      // the handshake finished or failed: `ok`, `text` = "TLSv1.3 TLS_AES_256_GCM_SHA384" (version and
                       // cipher) or why it failed, `detail` = the server certificate ("CN=mail.cesoo.com, issued by
                       // CN=mailsim classroom CA, verified"), `machine` = "client" or "server": whose view it is
    TlsRecords,        // TLS records as they crossed the wire (what an eavesdropper captures): `direction`, `raw` =
                       // the exact bytes, `text` = a summary of the records ("handshake 517 B", "application data 41 B")
};

enum class Direction : std::uint8_t { None, ClientToServer, ServerToClient };

// What a Line carries besides its text, so the views can tell command lines from message content.
enum class LineRole : std::uint8_t { Command, Reply, Data };

struct Event {
    EventId id = 0;
    Micros time = 0;
    SessionId session = kNoSession;
    EventId cause = kNoCause;
    EventKind kind = EventKind::Note;
    Direction direction = Direction::None;
    LineRole role = LineRole::Command;
    bool ok = true;
    // A Line recorded after the session's TLS handshake: its `raw` is the plaintext inside the TLS records (the
    // session's TlsRecords events carry what was on the wire). Set by Trace::append from the session's TLS state.
    bool tls = false;
    std::string text;
    std::string raw;
    std::string machine;
    std::string fromState;
    std::string toState;
    std::string detail;
};

// A TCP endpoint as the network saw it (IPv4 or IPv6 text address, port); empty address = unknown.
struct Endpoint {
    std::string address;
    int port = 0;
};

struct SessionInfo {
    SessionId id = kNoSession;
    std::string protocol;  // "smtp", "pop3", "imap"
    std::string client;    // e.g. "mike-pc" or "127.0.0.1:53122"
    std::string server;    // e.g. "mail.cesoo.com:25"
    Micros opened = 0;
    Endpoint clientEndpoint;  // e.g. 10.0.0.2:49152 (for exports such as pcap)
    Endpoint serverEndpoint;  // e.g. 10.0.0.1:25
    bool tls = false;         // TLS is up: every Line appended from now on is marked `tls` (see setTls)
};

std::string_view toString(EventKind kind);
std::string_view toString(Direction direction);
std::string_view toString(LineRole role);

class Trace {
public:
    // Called after each append; `mailsim serve` uses it to print the trace live.
    using Listener = std::function<void(const Trace&, const Event&)>;

    SessionId openSession(std::string protocol, std::string client, std::string server, Micros opened);
    // Records the session's TCP endpoints (the transport knows them; the protocol session does not).
    void setEndpoints(SessionId id, Endpoint client, Endpoint server);
    // The session's TLS handshake finished (true) or its TLS layer ended (false): Lines appended afterwards carry
    // `tls` accordingly. The transport calls this; the protocol sessions do not know about TLS records.
    void setTls(SessionId id, bool on);
    // Appends `event`, assigning its id; the time is clamped so the trace stays time-ordered.
    EventId append(Event event);

    const std::vector<Event>& events() const { return m_events; }
    const Event& at(EventId id) const { return m_events.at(id); }
    std::size_t size() const { return m_events.size(); }
    const std::vector<SessionInfo>& sessions() const { return m_sessions; }
    const SessionInfo* session(SessionId id) const;

    void setListener(Listener listener) { m_listener = std::move(listener); }
    void clear();

private:
    std::vector<Event> m_events;
    std::vector<SessionInfo> m_sessions;  // index = id - 1
    Listener m_listener;
};

// A view of the trace bound to one session, handed to a protocol session so it can record what it does without
// knowing who owns the trace. A Recorder with no trace records nothing (used by tests that only look at bytes).
class Recorder {
public:
    Recorder() = default;
    Recorder(Trace* trace, SessionId session) : m_trace(trace), m_session(session) {}

    EventId line(Micros now, Direction direction, LineRole role, std::string text, std::string raw,
                 EventId cause = kNoCause);
    EventId stateChanged(Micros now, std::string machine, std::string from, std::string to, std::string why,
                         EventId cause);
    EventId storeChanged(Micros now, std::string what, std::string detail, EventId cause);
    EventId note(Micros now, std::string text, EventId cause = kNoCause);
    EventId error(Micros now, std::string text, EventId cause = kNoCause);
    EventId connection(Micros now, bool opened, std::string text);

    SessionId session() const { return m_session; }
    Trace* trace() const { return m_trace; }

private:
    EventId append(Event event);
    Trace* m_trace = nullptr;
    SessionId m_session = kNoSession;
};

}  // namespace mailsim::trace
