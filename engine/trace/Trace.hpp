// The trace: the one model that the engine writes and the CLI, the exporters, the GUI and the tests read.
//
// Contract
// - A Trace is append-only and time-ordered: events are appended in the order things happened, and each event's
//   `time` is >= the previous event's (virtual microseconds in the simulator, wall microseconds since start in
//   `mailsim serve`).
// - Every event has an id (its index in the trace, so `trace.at(id)` is O(1)), the session it belongs to (0 = none:
//   scenario-level events such as notes), and the id of the event that caused it (`kNoCause` when none).
// - A trace may keep no events (`keepEvents(false)`, `mailsim serve`): each event then only goes to the listener as it
//   is appended, numbered and time-clamped exactly as if it were kept, and is dropped afterwards (`events()` stays
//   empty, `at` finds nothing). Memory then does not grow with a long response (a Line per message of FETCH 1:*).
// - Sessions are described once (`SessionInfo`): protocol, client and server endpoint names.
// - This library has no dependencies beyond the C++ standard library, so any layer may link it (it includes the
//   header-only store/StoreError.hpp for the typed store failures an ErrorReport may carry).
// - The payloads an event carries besides a protocol line (Event::payload) are typed structs: trace/Payloads.hpp.
#pragma once

#include "trace/Payloads.hpp"

#include <cstdint>
#include <optional>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mailsim::trace {

using EventId = std::uint64_t;
using SessionId = std::uint32_t;

inline constexpr EventId kNoCause = ~EventId{0};
inline constexpr SessionId kNoSession = 0;
// A Note with this `machine` is a checkpoint (`- checkpoint: NAME`), not narration; `text` is its name.
inline constexpr std::string_view kCheckpointMachine = "checkpoint";
// A StateChanged event's `machine` is the session's protocol ("smtp") for the server's state and "<protocol>-client"
// ("smtp-client") for the client's: a session of the simulator records both sides in the same trace.
inline constexpr std::string_view kClientMachineSuffix = "-client";
inline std::string clientMachineOf(std::string_view protocol) { return std::string(protocol) + std::string(kClientMachineSuffix); }
inline bool isClientMachine(std::string_view machine) { return machine.ends_with(kClientMachineSuffix); }

enum class EventKind : std::uint8_t {
    ConnectionOpened,  // payload Connection: client and server names and endpoints, implicit TLS
    ConnectionClosed,  // payload Connection: why it closed (`reason`, `detail`)
    Line,              // one protocol line; `direction`, `text` (without CRLF), `raw` (bytes as on the wire)
    StateChanged,      // `machine`, `fromState`, `toState`, `text` = the command or event that caused it
    StoreChanged,      // payload StoreChange: user, folder, uid, action, flags, size, store file id
    Note,              // narration from the scenario: `text` (as written), payload Narration (the step, the Chinese
                       // text); or an explanation from the engine or the simulator: payload Explanation (a notes
                       // catalogue id and its arguments, `text` empty); `machine` = kCheckpointMachine for a checkpoint
    Expectation,       // a scenario expectation: `ok`; payload ExpectationCheck (schema 1.3); `text` = what was
                       // expected, `detail` = what happened, in English (before 1.3 the only record)
    Error,             // something went wrong outside the protocol (store failure, a client's bug, a peer that is not
                       // speaking the protocol): payload ErrorReport (schema 1.2; before: `text` only)
    // Relay across the network (added with the MTA; appended so existing values keep their numbers)
    DnsQuery,          // payload DnsQuery: the asking host, record type and name
    DnsAnswer,         // payload DnsAnswer: the records, or NXDOMAIN; `cause` = the query
    QueueAction,       // payload QueueAction: host, queue id, action, message id, next retry...
    RelayHop,          // payload RelayHop: message id, from host, to host, result
    FaultInjected,     // payload Fault: kind, host, how long, when it ends
    // TLS (added with STARTTLS and implicit TLS; appended so existing values keep their numbers)
    TlsHandshake,      // payload TlsHandshake: whose view, version, cipher, certificate, verified; `ok`
    TlsRecords,        // TLS records as they crossed the wire (what an eavesdropper captures): `direction`, `raw` =
                       // the exact bytes, `text` = a summary of the records ("handshake 517 B", "application data 41 B")
    // Added with the typed trace (schema 1.0)
    Handover,          // payload Handover: a gateway hands a message to a non-SMTP system
};

enum class Direction : std::uint8_t { None, ClientToServer, ServerToClient };

// What a Line carries besides its text, so the views can tell command lines from message content.
enum class LineRole : std::uint8_t { Command, Reply, Data };

using Payload = std::variant<std::monostate, Connection, StoreChange, QueueAction, RelayHop, Fault, DnsQuery, DnsAnswer,
                             TlsHandshake, Handover, Narration, Explanation, ErrorReport, ExpectationCheck>;

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
    Payload payload;  // the typed facts of the kinds listed above; std::monostate for Line, StateChanged...

    // The payload as `T`, or nullptr when the event carries another one.
    template <typename T>
    const T* as() const { return std::get_if<T>(&payload); }
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
    // Events appended since the trace was made or cleared, kept or not (the id the next one gets).
    std::size_t appended() const { return m_next; }
    // Whether appended events are kept (the default) or only handed to the listener (see the contract above).
    void keepEvents(bool keep) { m_keep = keep; }
    bool keepsEvents() const { return m_keep; }
    // Whether an appended event is seen by anyone: kept, or handed to a listener. When not, a recorder's caller may
    // skip building what only the event would carry (Recorder::observed); ids are still assigned.
    bool observed() const { return m_keep || static_cast<bool>(m_listener); }
    const std::vector<SessionInfo>& sessions() const { return m_sessions; }
    const SessionInfo* session(SessionId id) const;
    // The latest Line of `session` in `direction` (kNoCause when there is none since the session opened).
    EventId lastLine(SessionId session, Direction direction) const;

    void setListener(Listener listener) { m_listener = std::move(listener); }
    void clear();

private:
    std::vector<Event> m_events;
    std::vector<SessionInfo> m_sessions;  // index = id - 1
    Listener m_listener;
    EventId m_next = 0;     // the next event's id
    Micros m_lastTime = 0;  // the last event's time (for the clamp), valid when m_next > 0
    bool m_keep = true;
};

// A view of the trace bound to one session, handed to a protocol session so it can record what it does without
// knowing who owns the trace. A Recorder with no trace records nothing (used by tests that only look at bytes).
class Recorder {
public:
    // What the recorder appends.
    // - Everything: every event it is given.
    // - States: only StateChanged events. For the client side of a session whose server records the dialogue into
    //   the same trace (the simulator), so each line appears once and the client's machine is still seen. `line`
    //   appends nothing; for a reply line the client reads it returns the server's latest reply line in the session
    //   (the server recorded it when it sent it; in a lockstep dialogue that is the line being read), so the
    //   client's state changes keep the reply that caused them as their cause; for a line the client sends,
    //   kNoCause (it has not arrived yet). The client's notes and errors are not recorded (the simulator reports a
    //   user agent's results itself).
    enum class Scope : std::uint8_t { Everything, States };

    Recorder() = default;
    Recorder(Trace* trace, SessionId session, Scope scope = Scope::Everything)
        : m_trace(trace), m_session(session), m_scope(scope) {}

    EventId line(Micros now, Direction direction, LineRole role, std::string text, std::string raw,
                 EventId cause = kNoCause);
    EventId stateChanged(Micros now, std::string machine, std::string from, std::string to, std::string why,
                         EventId cause);
    // One typed recorder per kind: the facts go in, renderers (trace/Render.hpp) make the words.
    EventId storeChanged(Micros now, StoreChange change, EventId cause);
    // The engine's and the simulator's explanations: an id of the notes catalogue and its arguments (trace/Notes.hpp).
    EventId explain(Micros now, Explanation explanation, EventId cause = kNoCause);
    // A scenario's narration: the text as written (English), its Chinese text if any, the step that said it.
    EventId narration(Micros now, std::uint64_t step, std::string text, std::string zh = {});
    // Something went wrong outside the protocol: an id of the errors catalogue and its arguments (trace/Errors.hpp).
    EventId error(Micros now, ErrorReport report, EventId cause = kNoCause);
    EventId connectionOpened(Micros now, Connection connection);
    EventId connectionClosed(Micros now, CloseReason reason, std::string detail = {});
    // The connection never came up (CloseReason::ConnectFailed): why, the host it concerns, the system's words.
    EventId connectFailed(Micros now, ConnectFailure failure, std::string host, std::string detail = {});
    EventId handover(Micros now, Handover handover, EventId cause);
    EventId tlsHandshake(Micros now, bool ok, TlsHandshake handshake);
    // Relay events belong to hosts rather than sessions: use a Recorder with kNoSession.
    EventId dnsQuery(Micros now, DnsQuery query, EventId cause);
    EventId dnsAnswer(Micros now, DnsAnswer answer, EventId cause);
    EventId queueAction(Micros now, QueueAction action, EventId cause = kNoCause);
    EventId relayHop(Micros now, RelayHop hop, EventId cause);
    EventId fault(Micros now, Fault fault);

    SessionId session() const { return m_session; }
    Trace* trace() const { return m_trace; }
    // Whether what this recorder appends is seen (Trace::observed). A hot path (SMTP DATA lines) may skip building
    // an event's text when it is not; everything else records as usual.
    bool observed() const { return m_trace && m_trace->observed(); }

private:
    EventId append(Event event);
    EventId typed(Micros now, EventKind kind, Payload payload, EventId cause, bool ok = true);
    Trace* m_trace = nullptr;
    SessionId m_session = kNoSession;
    Scope m_scope = Scope::Everything;
};

}  // namespace mailsim::trace
