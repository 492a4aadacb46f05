#include "sim/tools/Export.hpp"

#include "trace/Render.hpp"
#include <arpa/inet.h>
#include <array>
#include <cstdint>
#include <fmt/format.h>
#include <map>

namespace mailsim::sim {
namespace {

using trace::Direction;
using trace::EventKind;

void put16be(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v >> 8);
    out += static_cast<char>(v & 0xff);
}
void put32be(std::string& out, std::uint32_t v) {
    put16be(out, static_cast<std::uint16_t>(v >> 16));
    put16be(out, static_cast<std::uint16_t>(v & 0xffff));
}
void put32le(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void put16le(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xff);
    out += static_cast<char>(v >> 8);
}

// RFC 1071 ones'-complement sum over 16-bit big-endian words.
std::uint32_t sum16(std::string_view bytes, std::uint32_t acc = 0) {
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
        acc += (static_cast<std::uint8_t>(bytes[i]) << 8) | static_cast<std::uint8_t>(bytes[i + 1]);
    if (bytes.size() % 2) acc += static_cast<std::uint8_t>(bytes.back()) << 8;
    return acc;
}
std::uint16_t fold(std::uint32_t acc) {
    while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
    return static_cast<std::uint16_t>(~acc & 0xffff);
}

std::uint32_t ipv4(const std::string& text, std::uint32_t fallback) {
    in_addr a{};
    if (::inet_pton(AF_INET, text.c_str(), &a) == 1) return ntohl(a.s_addr);
    return fallback;
}

struct Flow {
    std::uint32_t ip[2];     // [0] client, [1] server
    std::uint16_t port[2];
    std::uint32_t seq[2];    // next sequence number each side sends
    bool open = false;
    bool closed = false;
};

enum TcpFlags : std::uint8_t { Fin = 0x01, Syn = 0x02, Psh = 0x08, Ack = 0x10 };

class PcapWriter {
public:
    PcapWriter() {
        put32le(m_out, 0xa1b2c3d4);  // microsecond timestamps
        put16le(m_out, 2);
        put16le(m_out, 4);
        put32le(m_out, 0);       // thiszone
        put32le(m_out, 0);       // sigfigs
        put32le(m_out, 65535);   // snaplen
        put32le(m_out, 1);       // LINKTYPE_ETHERNET
    }

    // One TCP segment from side `from` (0 client, 1 server) of `flow`.
    void segment(trace::Micros time, Flow& flow, int from, std::uint8_t flags, std::string_view payload) {
        int to = 1 - from;
        std::string tcp;
        put16be(tcp, flow.port[from]);
        put16be(tcp, flow.port[to]);
        put32be(tcp, flow.seq[from]);
        put32be(tcp, (flags & Ack) ? flow.seq[to] : 0);
        tcp += static_cast<char>(5 << 4);  // data offset: 20 octets, no options
        tcp += static_cast<char>(flags);
        put16be(tcp, 65535);               // window
        put16be(tcp, 0);                   // checksum, filled below
        put16be(tcp, 0);                   // urgent pointer
        tcp.append(payload);
        std::string pseudo;
        put32be(pseudo, flow.ip[from]);
        put32be(pseudo, flow.ip[to]);
        put16be(pseudo, 6);
        put16be(pseudo, static_cast<std::uint16_t>(tcp.size()));
        std::uint16_t csum = fold(sum16(tcp, sum16(pseudo)));
        tcp[16] = static_cast<char>(csum >> 8);
        tcp[17] = static_cast<char>(csum & 0xff);

        std::string ip;
        ip += static_cast<char>(0x45);
        ip += '\0';
        put16be(ip, static_cast<std::uint16_t>(20 + tcp.size()));
        put16be(ip, m_ipId++);
        put16be(ip, 0x4000);  // don't fragment
        ip += static_cast<char>(64);
        ip += static_cast<char>(6);
        put16be(ip, 0);
        put32be(ip, flow.ip[from]);
        put32be(ip, flow.ip[to]);
        std::uint16_t ipsum = fold(sum16(ip));
        ip[10] = static_cast<char>(ipsum >> 8);
        ip[11] = static_cast<char>(ipsum & 0xff);

        std::string frame;
        auto mac = [&](std::uint32_t addr) {
            frame += '\x02';
            frame += '\0';
            put32be(frame, addr);
        };
        mac(flow.ip[to]);
        mac(flow.ip[from]);
        put16be(frame, 0x0800);
        frame += ip;
        frame += tcp;

        std::uint64_t t = time < 0 ? 0 : static_cast<std::uint64_t>(time);
        put32le(m_out, static_cast<std::uint32_t>(t / 1'000'000));
        put32le(m_out, static_cast<std::uint32_t>(t % 1'000'000));
        put32le(m_out, static_cast<std::uint32_t>(frame.size()));
        put32le(m_out, static_cast<std::uint32_t>(frame.size()));
        m_out += frame;
        flow.seq[from] += static_cast<std::uint32_t>(payload.size()) + ((flags & (Syn | Fin)) ? 1 : 0);
    }

    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
    std::uint16_t m_ipId = 1;
};

int portOf(const std::string& hostPort, int fallback) {
    auto colon = hostPort.rfind(':');
    if (colon == std::string::npos) return fallback;
    try {
        return std::stoi(hostPort.substr(colon + 1));
    } catch (...) {
        return fallback;
    }
}

// Mermaid treats ';' and '#' specially in messages; its entity codes keep them literal.
std::string mermaidText(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ';') out += "#59;";
        else if (c == '#') out += "#35;";
        else out += c;
    }
    return out.empty() ? std::string("(empty line)") : out;
}

std::string xml(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace

std::string exportPcap(const trace::Trace& trace) {
    PcapWriter w;
    std::map<trace::SessionId, Flow> flows;
    auto flowOf = [&](trace::SessionId id) -> Flow& {
        auto [it, fresh] = flows.try_emplace(id);
        Flow& f = it->second;
        if (fresh) {
            const trace::SessionInfo* s = trace.session(id);
            std::uint32_t made = 0x0aff0000u + (id & 0xffff);  // 10.255.x.y when the address is unknown
            f.ip[0] = ipv4(s ? s->clientEndpoint.address : "", made);
            f.ip[1] = ipv4(s ? s->serverEndpoint.address : "", 0x0afe0001u);
            f.port[0] = static_cast<std::uint16_t>(s && s->clientEndpoint.port ? s->clientEndpoint.port : 40000 + id % 20000);
            f.port[1] = static_cast<std::uint16_t>(s && s->serverEndpoint.port ? s->serverEndpoint.port : portOf(s ? s->server : "", 25));
            f.seq[0] = 1000u + id * 7919u;  // deterministic initial sequence numbers
            f.seq[1] = 5000u + id * 104729u;
        }
        return f;
    };
    auto handshake = [&](trace::Micros t, Flow& f) {
        w.segment(t, f, 0, Syn, {});
        w.segment(t, f, 1, Syn | Ack, {});
        w.segment(t, f, 0, Ack, {});
        f.open = true;
    };
    for (const auto& e : trace.events()) {
        if (e.session == trace::kNoSession) continue;
        Flow& f = flowOf(e.session);
        if (e.kind == EventKind::ConnectionOpened && !f.open) {
            handshake(e.time, f);
        } else if (((e.kind == EventKind::Line && !e.tls) || e.kind == EventKind::TlsRecords) && !f.closed) {
            // Under TLS the wire carried records, not the lines: a protected Line's bytes are inside the TlsRecords
            // events, which are written instead (Wireshark shows them as TLS, as it would on a real capture).
            if (!f.open) handshake(e.time, f);  // a trace that starts mid-session
            int from = e.direction == Direction::ServerToClient ? 1 : 0;
            std::string_view bytes = e.raw.empty() ? std::string_view(e.text) : std::string_view(e.raw);
            w.segment(e.time, f, from, Psh | Ack, bytes);
            w.segment(e.time, f, 1 - from, Ack, {});
        } else if (e.kind == EventKind::ConnectionClosed && f.open && !f.closed) {
            const auto* c = e.as<trace::Connection>();
            int first = c && trace::serverClosedFirst(c->reason) ? 1 : 0;
            w.segment(e.time, f, first, Fin | Ack, {});
            w.segment(e.time, f, 1 - first, Fin | Ack, {});
            w.segment(e.time, f, first, Ack, {});
            f.closed = true;
        }
    }
    return w.take();
}

std::string exportMermaid(const trace::Trace& trace, const std::string& title, i18n::Lang lang) {
    std::string out = "sequenceDiagram\n";
    if (!title.empty()) out += fmt::format("    title {}\n", mermaidText(title));
    std::map<std::string, std::string> ids;  // endpoint name -> participant id
    auto participant = [&](const std::string& name) -> const std::string& {
        auto [it, fresh] = ids.try_emplace(name, fmt::format("P{}", ids.size() + 1));
        if (fresh) out += fmt::format("    participant {} as {}\n", it->second, mermaidText(name));
        return it->second;
    };
    for (const auto& s : trace.sessions()) {
        participant(s.client);
        participant(s.server);
    }
    for (const auto& e : trace.events()) {
        const trace::SessionInfo* s = trace.session(e.session);
        if (!s) continue;
        const std::string& c = participant(s->client);
        const std::string& srv = participant(s->server);
        if (e.kind == EventKind::Line) {
            bool fromServer = e.direction == Direction::ServerToClient;
            out += fmt::format("    {}->>{}: {}{}\n", fromServer ? srv : c, fromServer ? c : srv, e.tls ? "[TLS] " : "",
                               mermaidText(e.text));
        } else if (e.kind == EventKind::StateChanged) {
            const std::string& side = trace::isClientMachine(e.machine) ? c : srv;  // whose machine moved
            out += fmt::format("    Note over {}: {} {} → {}\n", side, e.machine, e.fromState, e.toState);
        } else if (e.kind == EventKind::StoreChanged) {
            out += fmt::format("    Note over {}: {}{}\n", srv, i18n::pick(lang, "stored: ", "已存储："),
                               mermaidText(trace::describe(e, lang)));
        }
    }
    return out;
}

std::string exportSvg(const trace::Trace& trace, const std::string& title) {
    // Lanes: every distinct endpoint name, in order of first appearance.
    std::vector<std::string> lanes;
    auto laneOf = [&](const std::string& name) {
        for (std::size_t i = 0; i < lanes.size(); ++i)
            if (lanes[i] == name) return i;
        lanes.push_back(name);
        return lanes.size() - 1;
    };
    for (const auto& s : trace.sessions()) {
        laneOf(s.client);
        laneOf(s.server);
    }
    constexpr int kLaneWidth = 640, kRow = 22, kTop = 80, kMargin = 30;
    struct Row {
        std::size_t from, to;
        std::string text;
        bool state;
        bool fromServer;
    };
    std::vector<Row> rows;
    for (const auto& e : trace.events()) {
        const trace::SessionInfo* s = trace.session(e.session);
        if (!s) continue;
        std::size_t c = laneOf(s->client), srv = laneOf(s->server);
        if (e.kind == EventKind::Line) {
            bool fs = e.direction == Direction::ServerToClient;
            rows.push_back({fs ? srv : c, fs ? c : srv, (e.tls ? "[TLS] " : "") + std::string(fs ? "S: " : "C: ") + e.text,
                            false, fs});
        } else if (e.kind == EventKind::StateChanged) {
            const std::size_t side = trace::isClientMachine(e.machine) ? c : srv;  // whose machine moved
            rows.push_back({side, side, fmt::format("{} {} → {}", e.machine, e.fromState, e.toState), true, true});
        }
    }
    auto laneX = [&](std::size_t i) { return kMargin + 100 + static_cast<int>(i) * kLaneWidth; };
    int width = laneX(std::max<std::size_t>(lanes.size(), 2) - 1) + 300;  // room for state labels on the right
    int height = kTop + static_cast<int>(rows.size()) * kRow + 40;
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"DejaVu Sans Mono, monospace\" "
        "font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        width, height);
    out += "<defs><marker id=\"a\" markerWidth=\"10\" markerHeight=\"7\" refX=\"10\" refY=\"3.5\" orient=\"auto\">"
           "<polygon points=\"0 0, 10 3.5, 0 7\" fill=\"#333\"/></marker></defs>\n";
    if (!title.empty()) out += fmt::format("<text x=\"{}\" y=\"28\" font-size=\"18\" font-weight=\"bold\">{}</text>\n", kMargin, xml(title));
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        int x = laneX(i);
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>\n", x, kTop - 20, xml(lanes[i]));
        out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n", x, kTop - 12, height - 20);
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Row& row = rows[r];
        int y = kTop + static_cast<int>(r) * kRow + 14;
        if (row.state) {
            out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#7a3e9d\" font-style=\"italic\">{}</text>\n", laneX(row.from) + 8, y, xml(row.text));
            continue;
        }
        int x1 = laneX(row.from), x2 = laneX(row.to);
        const char* colour = row.fromServer ? "#1b7a3a" : "#1f4fb4";
        out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" marker-end=\"url(#a)\"/>\n", x1, y, x2, y, colour);
        int tx = std::min(x1, x2) + 8;
        out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>\n", tx, y - 4, colour, xml(row.text.substr(0, 90)));
    }
    out += "</svg>\n";
    return out;
}

}  // namespace mailsim::sim
