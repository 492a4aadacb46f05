#include "sim/tools/LiveTrace.hpp"

#include "sim/tools/TraceJson.hpp"
#include "sim/tools/Transcript.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

namespace mailsim::sim {
namespace {

using trace::EventKind;

constexpr std::array kKinds{
    EventKind::ConnectionOpened, EventKind::ConnectionClosed, EventKind::Line,      EventKind::StateChanged,
    EventKind::StoreChanged,     EventKind::Note,             EventKind::Expectation, EventKind::Error,
    EventKind::DnsQuery,         EventKind::DnsAnswer,        EventKind::QueueAction, EventKind::RelayHop,
    EventKind::FaultInjected,    EventKind::TlsHandshake,     EventKind::TlsRecords,  EventKind::Handover,
};

bool kindOf(const std::string& name, EventKind& out) {
    for (EventKind k : kKinds)
        if (trace::toString(k) == name) {
            out = k;
            return true;
        }
    return false;
}

std::string str(const YAML::Node& node, const char* key) {
    const YAML::Node v = node[key];
    return v && v.IsScalar() ? v.Scalar() : std::string();
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string unhex(const std::string& text) {
    std::string out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
        int hi = hexValue(text[i]), lo = hexValue(text[i + 1]);
        if (hi < 0 || lo < 0) break;
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

trace::Endpoint endpoint(const YAML::Node& node) {
    trace::Endpoint e;
    if (!node || !node.IsMap()) return e;
    e.address = str(node, "address");
    if (node["port"]) e.port = node["port"].as<int>(0);
    return e;
}

}  // namespace

LiveTraceWriter::~LiveTraceWriter() {
    if (m_file) std::fclose(m_file);
}

std::expected<void, int> LiveTraceWriter::open(const std::string& path) {
    if (m_file) std::fclose(m_file);
    m_file = std::fopen(path.c_str(), "w");
    if (!m_file) return std::unexpected(errno);
    m_nextEvent = 0;
    m_nextSession = 1;
    return {};
}

std::expected<void, int> LiveTraceWriter::openDescriptor(int fd) {
    if (m_file) std::fclose(m_file);
    m_file = ::fdopen(fd, "w");
    if (!m_file) return std::unexpected(errno);
    m_nextEvent = 0;
    m_nextSession = 1;
    return {};
}

void LiveTraceWriter::write(Stream& stream, const trace::Trace& trace, const trace::Event& event) {
    if (!m_file) return;
    const trace::SessionInfo* info = nullptr;
    if (event.session != trace::kNoSession && stream.session == trace::kNoSession) {
        stream.session = m_nextSession++;
        info = trace.session(event.session);
    }
    JsonEventIds ids;
    ids.id = m_nextEvent++;
    ids.session = event.session == trace::kNoSession ? trace::kNoSession : stream.session;
    if (event.cause != trace::kNoCause && event.cause < stream.ids.size()) ids.cause = stream.ids[event.cause];
    if (stream.ids.size() <= event.id) stream.ids.resize(event.id + 1, trace::kNoCause);
    stream.ids[event.id] = ids.id;
    m_line.clear();
    appendEventJson(m_line, event, ids, info);
    m_line += '\n';
    std::fwrite(m_line.data(), 1, m_line.size(), m_file);
}

void LiveTraceWriter::flush() {
    if (m_file) std::fflush(m_file);
}

bool LiveTraceReader::grown() const {
    struct stat st{};
    if (::stat(m_path.c_str(), &st) != 0) return false;
    return static_cast<std::uint64_t>(st.st_size) != m_offset || static_cast<std::uint64_t>(st.st_ino) != m_inode;
}

void LiveTraceReader::reset(trace::Trace& trace) {
    trace.clear();
    m_offset = 0;
    m_partial.clear();
    m_eventIds.clear();
    m_sessionIds.clear();
    m_refused = false;
    m_refusedVersion.clear();
}

LiveTraceReader::Poll LiveTraceReader::poll(trace::Trace& trace) {
    Poll result;
    struct stat st{};
    if (::stat(m_path.c_str(), &st) != 0) {
        result.missing = true;
        return result;
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const auto inode = static_cast<std::uint64_t>(st.st_ino);
    if ((m_inode != 0 && inode != m_inode) || size < m_offset) {  // replaced or truncated: a new server run
        reset(trace);
        result.restarted = true;
    }
    m_inode = inode;
    if (size == m_offset || m_refused) return result;
    std::ifstream in(m_path, std::ios::binary);
    if (!in) {
        result.missing = true;
        return result;
    }
    in.seekg(static_cast<std::streamoff>(m_offset));
    std::string chunk(static_cast<std::size_t>(size - m_offset), '\0');
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    chunk.resize(static_cast<std::size_t>(in.gcount()));
    m_offset += chunk.size();
    std::size_t start = 0;
    for (;;) {
        const std::size_t nl = chunk.find('\n', start);
        if (nl == std::string::npos) break;
        m_partial.append(chunk, start, nl - start);
        if (!m_partial.empty() && appendLine(trace, m_partial)) ++result.appended;
        m_partial.clear();
        if (m_refused) return result;
        start = nl + 1;
    }
    m_partial.append(chunk, start, std::string::npos);
    return result;
}

std::string LiveTraceReader::refusedText(i18n::Lang lang) const {
    if (!m_refused) return {};
    static constexpr i18n::LocalView kNoVersion{
        "{0}: the trace has no schemaVersion (written by a mailsim before schema 1.0?); this mailsim reads trace schema "
        "{1}.x",
        "{0}：跟踪记录没有 schemaVersion（是 1.0 版格式之前的 mailsim 写的吗？）；本 mailsim 只能读取 {1}.x 版的跟踪记录格式"};
    static constexpr i18n::LocalView kOtherMajor{
        "{0}: trace schema version {2} is not supported; this mailsim reads {1}.x (see docs/trace-schema-v1.json)",
        "{0}：不支持跟踪记录格式版本 {2}；本 mailsim 只能读取 {1}.x 版（见 docs/trace-schema-v1.json）"};
    const i18n::LocalView& text = m_refusedVersion.empty() ? kNoVersion : kOtherMajor;
    return fmt::format(fmt::runtime(text.in(lang)), m_path, kTraceSchemaMajor, m_refusedVersion);
}

bool LiveTraceReader::appendLine(trace::Trace& trace, const std::string& line) {
    YAML::Node node;
    try {
        node = YAML::Load(line);  // JSON is YAML (1.2): one flow mapping per line
    } catch (const YAML::Exception&) {
        ++m_badLines;
        return false;
    }
    if (!node.IsMap() || !node["id"] || !node["kind"]) {
        ++m_badLines;
        return false;
    }
    // The schema version first: a file of another major version is refused as a whole, not misread line by line.
    const std::string version = str(node, "schemaVersion");
    if (const auto major = schemaMajor(version); !major || *major != kTraceSchemaMajor) {
        m_refused = true;
        m_refusedVersion = version;
        return false;
    }
    trace::Event e;
    if (!kindOf(str(node, "kind"), e.kind)) {
        ++m_badLines;
        return false;
    }
    std::uint64_t globalId = 0;
    std::uint32_t globalSession = 0;
    try {
        globalId = node["id"].as<std::uint64_t>();
        globalSession = node["session"] ? node["session"].as<std::uint32_t>(0) : 0;
        e.time = node["time"] ? node["time"].as<trace::Micros>(0) : 0;
        if (const YAML::Node cause = node["cause"]; cause && !cause.IsNull()) {
            const auto c = cause.as<std::uint64_t>();
            if (c < m_eventIds.size()) e.cause = m_eventIds[c];
        }
        if (const YAML::Node ok = node["ok"]; ok) e.ok = ok.as<bool>(true);
    } catch (const YAML::Exception&) {
        ++m_badLines;
        return false;
    }
    // A corrupt id must not make the maps huge: ids grow by one per line.
    if (globalId > m_eventIds.size() + (1u << 20) || globalSession > m_sessionIds.size() + (1u << 20)) {
        ++m_badLines;
        return false;
    }
    if (globalSession != 0) {
        if (globalSession >= m_sessionIds.size()) m_sessionIds.resize(globalSession + 1, trace::kNoSession);
        if (m_sessionIds[globalSession] == trace::kNoSession) {
            const YAML::Node info = node["session_info"];
            trace::SessionId sid = info && info.IsMap()
                ? trace.openSession(str(info, "protocol"), str(info, "client"), str(info, "server"),
                                    info["opened"] ? info["opened"].as<trace::Micros>(e.time) : e.time)
                : trace.openSession("", "session " + std::to_string(globalSession), "", e.time);  // joined mid-way
            if (info && info.IsMap()) trace.setEndpoints(sid, endpoint(info["client_endpoint"]), endpoint(info["server_endpoint"]));
            m_sessionIds[globalSession] = sid;
        }
        e.session = m_sessionIds[globalSession];
    }
    const std::string direction = str(node, "direction");
    e.direction = direction == "C->S"   ? trace::Direction::ClientToServer
                  : direction == "S->C" ? trace::Direction::ServerToClient
                                        : trace::Direction::None;
    const std::string role = str(node, "role");
    e.role = role == "reply" ? trace::LineRole::Reply : role == "data" ? trace::LineRole::Data : trace::LineRole::Command;
    e.text = str(node, "text");
    e.raw = node["raw_hex"] ? unhex(str(node, "raw_hex")) : str(node, "raw");
    e.detail = str(node, "detail");
    e.machine = str(node, "machine");
    e.fromState = str(node, "from");
    e.toState = str(node, "to");
    if (std::string error; !readPayloadJson(node["data"], e.kind, e.payload, error)) {
        ++m_badLines;
        return false;
    }
    // The typed kinds' sentence is made by the renderers from "data"; "text" is for Lines, notes and errors.
    if (!std::holds_alternative<std::monostate>(e.payload) && e.kind != EventKind::Note) e.text.clear();
    // Trace::append marks a Line `tls` from its session's TLS state: set that state from the line as written.
    if (e.kind == EventKind::Line && e.session != trace::kNoSession) {
        const YAML::Node tls = node["tls"];
        trace.setTls(e.session, tls && tls.as<bool>(false));
    }
    const trace::EventId local = trace.append(std::move(e));
    if (globalId >= m_eventIds.size()) m_eventIds.resize(globalId + 1, trace::kNoCause);
    m_eventIds[globalId] = local;
    return true;
}

}  // namespace mailsim::sim
