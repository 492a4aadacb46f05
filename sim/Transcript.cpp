#include "Transcript.hpp"

#include "Api.hpp"

#include "util/DateTime.hpp"

#include <fmt/format.h>

namespace mailsim::sim {
namespace {

using trace::Direction;
using trace::EventKind;

std::string clock(trace::Micros t) {
    std::string iso = util::isoTime(t);  // 2024-03-04T09:00:00.052Z
    return iso.substr(11, 12);
}

// Appends `s` as a JSON string. Invalid UTF-8 bytes are escaped as \u00XX so the document stays valid.
void jsonString(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = s[i];
        switch (c) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            out += fmt::format("\\u{:04x}", c);
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            std::size_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
            bool valid = len > 0 && i + len <= s.size();
            for (std::size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
            if (valid) {
                out.append(s.substr(i, len));
                i += len - 1;
            } else {
                out += fmt::format("\\u{:04x}", c);
            }
        }
    }
    out += '"';
}

void jsonField(std::string& out, std::string_view key, std::string_view value, bool& first) {
    if (!first) out += ',';
    first = false;
    jsonString(out, key);
    out += ':';
    jsonString(out, value);
}

}  // namespace

std::string formatEvent(const trace::Trace& trace, const trace::Event& e, const TranscriptOptions& options) {
    std::string line;
    switch (e.kind) {
    case EventKind::Line:
        line = (e.direction == Direction::ServerToClient ? "S: " : "C: ") + e.text;
        break;
    case EventKind::TlsHandshake:
        line = e.ok ? fmt::format("   [tls] {} handshake done: {}", e.machine, e.text)
                    : fmt::format("   [tls] {} handshake failed: {}", e.machine, e.text);
        if (!e.detail.empty()) line += fmt::format(" ({})", e.detail);
        break;
    case EventKind::TlsRecords:
        // What crossed the wire under TLS is ciphertext; the transcript shows the plaintext Lines instead.
        return {};
    case EventKind::StateChanged:
        if (!options.states) return {};
        line = fmt::format("   [{} {} -> {}] ({})", e.machine, e.fromState, e.toState, e.text);
        break;
    case EventKind::StoreChanged: line = "   [store] " + e.text; break;
    case EventKind::Note:
        line = e.machine == kCheckpointMachine ? "   == checkpoint: " + e.text : "   # " + e.text;
        break;
    case EventKind::Error: line = "   !! " + e.text; break;
    case EventKind::Expectation:
        if (e.ok) return {};
        line = fmt::format("   !! expected {}, got {}", e.text, e.detail);
        break;
    case EventKind::ConnectionOpened: {
        const trace::SessionInfo* s = trace.session(e.session);
        line = fmt::format("   [{} connection opened] {}", s ? s->protocol : "tcp", e.text);
        break;
    }
    case EventKind::ConnectionClosed: line = "   [connection closed] " + e.text; break;
    case EventKind::DnsQuery: line = fmt::format("   [dns] {} asks: {}", e.machine, e.text); break;
    case EventKind::DnsAnswer: line = fmt::format("   [dns] answer: {}", e.text); break;
    case EventKind::QueueAction:
        line = fmt::format("   [queue {}] {}", e.machine, e.text);
        if (!e.detail.empty()) line += fmt::format(" (next retry {})", util::isoTime(std::stoll(e.detail)));
        break;
    case EventKind::RelayHop: line = "   [relay hop] " + e.text; break;
    case EventKind::FaultInjected: line = "   [fault] " + e.text; break;
    }
    if (options.times) line = clock(e.time) + "  " + line;
    return line;
}

std::string formatTranscript(const trace::Trace& trace, const TranscriptOptions& options) {
    std::string out;
    trace::SessionId current = trace::kNoSession;
    for (const auto& e : trace.events()) {
        std::string line = formatEvent(trace, e, options);
        if (line.empty()) continue;
        if (options.sessionHeaders && e.session != trace::kNoSession && e.session != current) {
            if (const trace::SessionInfo* s = trace.session(e.session))
                out += fmt::format("{}--- session {}: {}, {} -> {} ---\n", out.empty() ? "" : "\n", s->id,
                                   s->protocol, s->client, s->server);
        }
        if (e.session != trace::kNoSession) current = e.session;
        out += line;
        out += '\n';
        if (e.id == options.until) break;
    }
    return out;
}

namespace {

bool validUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = s[i];
        if (c < 0x80) continue;
        std::size_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
        i += len - 1;
    }
    return true;
}

std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += kDigits[c >> 4];
        out += kDigits[c & 15];
    }
    return out;
}

}  // namespace

void appendSessionJson(std::string& out, const trace::SessionInfo& s, trace::SessionId id) {
    out += fmt::format("{{\"id\":{},\"opened\":{},", id, s.opened);
    bool first = true;
    jsonField(out, "protocol", s.protocol, first);
    jsonField(out, "client", s.client, first);
    jsonField(out, "server", s.server, first);
    if (!s.clientEndpoint.address.empty()) {
        out += ",\"client_endpoint\":{";
        first = true;
        jsonField(out, "address", s.clientEndpoint.address, first);
        out += fmt::format(",\"port\":{}}},\"server_endpoint\":{{", s.clientEndpoint.port);
        first = true;
        jsonField(out, "address", s.serverEndpoint.address, first);
        out += fmt::format(",\"port\":{}}}", s.serverEndpoint.port);
    }
    out += '}';
}

void appendEventJson(std::string& out, const trace::Event& e, const JsonEventIds& ids,
                     const trace::SessionInfo* sessionInfo) {
    out += fmt::format("{{\"id\":{},\"time\":{},\"session\":{},\"cause\":", ids.id, e.time, ids.session);
    out += ids.cause == trace::kNoCause ? std::string("null") : std::to_string(ids.cause);
    out += ',';
    bool first = true;
    jsonField(out, "kind", trace::toString(e.kind), first);
    jsonField(out, "iso_time", util::isoTime(e.time), first);
    if (e.kind == EventKind::Line || e.kind == EventKind::TlsRecords) jsonField(out, "direction", trace::toString(e.direction), first);
    if (e.kind == EventKind::Line) {
        jsonField(out, "role", trace::toString(e.role), first);
        if (e.tls) out += ",\"tls\":true";
    }
    // Bytes: as a string when they are text (the usual case for protocol lines), else in hex (TLS records, 8-bit
    // lines), so a reader gets back exactly what crossed the wire.
    if (e.kind == EventKind::Line || e.kind == EventKind::TlsRecords || !e.raw.empty()) {
        if (e.kind != EventKind::TlsRecords && validUtf8(e.raw)) jsonField(out, "raw", e.raw, first);
        else jsonField(out, "raw_hex", hex(e.raw), first);
    }
    jsonField(out, "text", e.text, first);
    if (e.kind == EventKind::DnsQuery || e.kind == EventKind::QueueAction) jsonField(out, "host", e.machine, first);
    if (e.kind == EventKind::RelayHop) {
        jsonField(out, "from_host", e.machine, first);
        jsonField(out, "to_host", e.toState, first);
    }
    if (e.kind == EventKind::QueueAction && !e.detail.empty())
        jsonField(out, "next_retry", util::isoTime(std::stoll(e.detail)), first);
    if (e.kind == EventKind::StateChanged) {
        jsonField(out, "machine", e.machine, first);
        jsonField(out, "from", e.fromState, first);
        jsonField(out, "to", e.toState, first);
    } else if (!e.machine.empty() && e.kind != EventKind::DnsQuery && e.kind != EventKind::QueueAction &&
               e.kind != EventKind::RelayHop) {
        jsonField(out, "machine", e.machine, first);  // a checkpoint note, whose view a TLS handshake is
    }
    if (!e.detail.empty()) jsonField(out, "detail", e.detail, first);
    if (e.kind == EventKind::Expectation || e.kind == EventKind::Error || e.kind == EventKind::TlsHandshake || !e.ok)
        out += fmt::format(",\"ok\":{}", e.ok);
    if (sessionInfo) {
        out += ",\"session_info\":";
        appendSessionJson(out, *sessionInfo, ids.session);
    }
    out += '}';
}

std::string formatJson(const trace::Trace& trace) {
    std::string out = "{\"sessions\":[";
    for (std::size_t i = 0; i < trace.sessions().size(); ++i) {
        if (i) out += ',';
        appendSessionJson(out, trace.sessions()[i], trace.sessions()[i].id);
    }
    out += "],\"events\":[";
    for (std::size_t i = 0; i < trace.events().size(); ++i) {
        const auto& e = trace.events()[i];
        out += i ? ",\n" : "\n";
        appendEventJson(out, e, {e.id, e.session, e.cause});
    }
    out += "\n]}\n";
    return out;
}

}  // namespace mailsim::sim
