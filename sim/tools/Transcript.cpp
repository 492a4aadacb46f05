#include "sim/tools/Transcript.hpp"

#include "sim/world/Api.hpp"

#include "sim/tools/TraceJson.hpp"

#include "trace/Render.hpp"
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

void jsonField(std::string& out, std::string_view key, std::string_view value, bool& first) {
    if (!first) out += ',';
    first = false;
    jsonString(out, key);
    out += ':';
    jsonString(out, value);
}

}  // namespace

std::string formatEvent(const trace::Trace& trace, const trace::Event& e, const TranscriptOptions& options) {
    std::string line = trace::renderEvent(trace, e, {options.lang, options.states});
    if (line.empty()) return line;
    if (options.scenarioText && e.kind == EventKind::Note && e.machine == trace::kCheckpointMachine)
        if (auto it = options.scenarioText->find(e.id); it != options.scenarioText->end() && !it->second.empty())
            line += options.lang == i18n::Lang::Zh ? "（" + it->second.in(options.lang) + "）"
                                                   : " (" + it->second.in(options.lang) + ")";
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
                out += fmt::format("{}{}\n", out.empty() ? "" : "\n", trace::sessionHeader(*s, options.lang));
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
    out += fmt::format("{{\"schemaVersion\":\"{}\",\"id\":{},\"time\":{},\"session\":{},\"cause\":", kTraceSchemaVersion,
                       ids.id, e.time, ids.session);
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
    // The human-readable sentence (English); the facts are in "data" (sim/tools/TraceJson.hpp, docs/trace-schema-v1.json).
    jsonField(out, "text", trace::describe(e, i18n::Lang::En), first);
    if (e.kind == EventKind::StateChanged) {
        jsonField(out, "machine", e.machine, first);
        jsonField(out, "from", e.fromState, first);
        jsonField(out, "to", e.toState, first);
    } else if (!e.machine.empty()) {
        jsonField(out, "machine", e.machine, first);  // a checkpoint note
    }
    if (!e.detail.empty()) jsonField(out, "detail", e.detail, first);
    if (e.kind == EventKind::Expectation || e.kind == EventKind::Error || e.kind == EventKind::TlsHandshake || !e.ok)
        out += fmt::format(",\"ok\":{}", e.ok);
    appendPayloadJson(out, e.payload);
    if (sessionInfo) {
        out += ",\"session_info\":";
        appendSessionJson(out, *sessionInfo, ids.session);
    }
    out += '}';
}

std::string formatJson(const trace::Trace& trace) {
    std::string out = fmt::format("{{\"schemaVersion\":\"{}\",\"sessions\":[", kTraceSchemaVersion);
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
