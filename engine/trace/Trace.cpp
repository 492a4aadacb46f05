#include "trace/Trace.hpp"

#include <algorithm>

namespace mailsim::trace {

std::string_view toString(EventKind kind) {
    switch (kind) {
    case EventKind::ConnectionOpened: return "connection-opened";
    case EventKind::ConnectionClosed: return "connection-closed";
    case EventKind::Line: return "line";
    case EventKind::StateChanged: return "state-changed";
    case EventKind::StoreChanged: return "store-changed";
    case EventKind::Note: return "note";
    case EventKind::Expectation: return "expectation";
    case EventKind::Error: return "error";
    case EventKind::DnsQuery: return "dns-query";
    case EventKind::DnsAnswer: return "dns-answer";
    case EventKind::QueueAction: return "queue-action";
    case EventKind::RelayHop: return "relay-hop";
    case EventKind::FaultInjected: return "fault-injected";
    case EventKind::TlsHandshake: return "tls-handshake";
    case EventKind::TlsRecords: return "tls-records";
    case EventKind::Handover: return "handover";
    }
    return "unknown";
}

std::string_view toString(Direction direction) {
    switch (direction) {
    case Direction::None: return "none";
    case Direction::ClientToServer: return "C->S";
    case Direction::ServerToClient: return "S->C";
    }
    return "none";
}

std::string_view toString(LineRole role) {
    switch (role) {
    case LineRole::Command: return "command";
    case LineRole::Reply: return "reply";
    case LineRole::Data: return "data";
    }
    return "command";
}

SessionId Trace::openSession(std::string protocol, std::string client, std::string server, Micros opened) {
    SessionInfo info;
    info.id = static_cast<SessionId>(m_sessions.size() + 1);
    info.protocol = std::move(protocol);
    info.client = std::move(client);
    info.server = std::move(server);
    info.opened = opened;
    m_sessions.push_back(std::move(info));
    return m_sessions.back().id;
}

EventId Trace::append(Event event) {
    event.id = m_next++;
    if (event.id > 0) event.time = std::max(event.time, m_lastTime);
    m_lastTime = event.time;
    if (event.kind == EventKind::Line && event.session != kNoSession && event.session <= m_sessions.size())
        event.tls = m_sessions[event.session - 1].tls;
    if (!m_keep) {
        if (m_listener) m_listener(*this, event);
        return event.id;  // dropped: the listener has printed or streamed it
    }
    m_events.push_back(std::move(event));
    if (m_listener) m_listener(*this, m_events.back());
    return m_events.back().id;
}

void Trace::setEndpoints(SessionId id, Endpoint client, Endpoint server) {
    if (id == kNoSession || id > m_sessions.size()) return;
    m_sessions[id - 1].clientEndpoint = std::move(client);
    m_sessions[id - 1].serverEndpoint = std::move(server);
}

void Trace::setTls(SessionId id, bool on) {
    if (id == kNoSession || id > m_sessions.size()) return;
    m_sessions[id - 1].tls = on;
}

const SessionInfo* Trace::session(SessionId id) const {
    if (id == kNoSession || id > m_sessions.size()) return nullptr;
    return &m_sessions[id - 1];
}

EventId Trace::lastLine(SessionId session, Direction direction) const {
    for (auto i = m_events.size(); i-- > 0;) {
        const Event& e = m_events[i];
        if (e.session != session) continue;
        if (e.kind == EventKind::Line && e.direction == direction) return e.id;
        if (e.kind == EventKind::ConnectionOpened) break;
    }
    return kNoCause;
}

void Trace::clear() {
    m_events.clear();
    m_sessions.clear();
    m_next = 0;
    m_lastTime = 0;
}

EventId Recorder::append(Event event) {
    if (!m_trace) return kNoCause;
    if (m_scope == Scope::States && event.kind != EventKind::StateChanged) {
        // The server recorded the reply when it sent it (see Scope); a line this side sends has not arrived yet.
        const bool reply = event.kind == EventKind::Line && event.direction == Direction::ServerToClient;
        return reply ? m_trace->lastLine(m_session, Direction::ServerToClient) : kNoCause;
    }
    event.session = m_session;
    return m_trace->append(std::move(event));
}

EventId Recorder::line(Micros now, Direction direction, LineRole role, std::string text, std::string raw,
                       EventId cause) {
    Event e;
    e.time = now;
    e.kind = EventKind::Line;
    e.direction = direction;
    e.role = role;
    e.text = std::move(text);
    e.raw = std::move(raw);
    e.cause = cause;
    return append(std::move(e));
}

EventId Recorder::stateChanged(Micros now, std::string machine, std::string from, std::string to, std::string why,
                               EventId cause) {
    Event e;
    e.time = now;
    e.kind = EventKind::StateChanged;
    e.machine = std::move(machine);
    e.fromState = std::move(from);
    e.toState = std::move(to);
    e.text = std::move(why);
    e.cause = cause;
    return append(std::move(e));
}

EventId Recorder::explain(Micros now, Explanation explanation, EventId cause) {
    return typed(now, EventKind::Note, std::move(explanation), cause);
}

EventId Recorder::error(Micros now, ErrorReport report, EventId cause) {
    return typed(now, EventKind::Error, std::move(report), cause, false);
}

EventId Recorder::typed(Micros now, EventKind kind, Payload payload, EventId cause, bool ok) {
    Event e;
    e.time = now;
    e.kind = kind;
    e.payload = std::move(payload);
    e.cause = cause;
    e.ok = ok;
    return append(std::move(e));
}

EventId Recorder::storeChanged(Micros now, StoreChange change, EventId cause) {
    return typed(now, EventKind::StoreChanged, std::move(change), cause);
}

EventId Recorder::narration(Micros now, std::uint64_t step, std::string text, std::string zh) {
    Event e;
    e.time = now;
    e.kind = EventKind::Note;
    e.text = std::move(text);
    e.payload = Narration{step, std::move(zh)};
    return append(std::move(e));
}

EventId Recorder::connectionOpened(Micros now, Connection connection) {
    return typed(now, EventKind::ConnectionOpened, std::move(connection), kNoCause);
}

EventId Recorder::connectionClosed(Micros now, CloseReason reason, std::string detail) {
    Connection c;
    c.reason = reason;
    c.detail = std::move(detail);
    return typed(now, EventKind::ConnectionClosed, std::move(c), kNoCause);
}

EventId Recorder::connectFailed(Micros now, ConnectFailure failure, std::string host, std::string detail) {
    Connection c;
    c.reason = CloseReason::ConnectFailed;
    c.detail = std::move(detail);
    c.failure = failure;
    c.failureHost = std::move(host);
    return typed(now, EventKind::ConnectionClosed, std::move(c), kNoCause);
}

EventId Recorder::handover(Micros now, Handover handover, EventId cause) {
    return typed(now, EventKind::Handover, std::move(handover), cause);
}

EventId Recorder::tlsHandshake(Micros now, bool ok, TlsHandshake handshake) {
    return typed(now, EventKind::TlsHandshake, std::move(handshake), kNoCause, ok);
}

EventId Recorder::dnsQuery(Micros now, DnsQuery query, EventId cause) {
    return typed(now, EventKind::DnsQuery, std::move(query), cause);
}

EventId Recorder::dnsAnswer(Micros now, DnsAnswer answer, EventId cause) {
    return typed(now, EventKind::DnsAnswer, std::move(answer), cause);
}

EventId Recorder::queueAction(Micros now, QueueAction action, EventId cause) {
    return typed(now, EventKind::QueueAction, std::move(action), cause);
}

EventId Recorder::relayHop(Micros now, RelayHop hop, EventId cause) {
    return typed(now, EventKind::RelayHop, std::move(hop), cause);
}

EventId Recorder::fault(Micros now, Fault fault) { return typed(now, EventKind::FaultInjected, std::move(fault), kNoCause); }

}  // namespace mailsim::trace
