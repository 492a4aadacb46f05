// Exporters: the pcap is well-formed (every frame's IPv4 and TCP checksums verify, sequence numbers follow the
// bytes), carries the exact raw bytes of every line; Mermaid and SVG hold every line.
#include "sim/world/Api.hpp"
#include "sim/tools/Export.hpp"

#include <catch2/catch.hpp>
#include <cstring>

using namespace mailsim;

namespace {

std::uint32_t le32(std::string_view b, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(b[at + i]);
    return v;
}
std::uint32_t be16(std::string_view b, std::size_t at) {
    return (static_cast<std::uint8_t>(b[at]) << 8) | static_cast<std::uint8_t>(b[at + 1]);
}
std::uint32_t be32(std::string_view b, std::size_t at) { return (be16(b, at) << 16) | be16(b, at + 2); }

std::uint16_t checksum(std::string_view bytes, std::uint32_t acc = 0) {
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) acc += be16(bytes, i);
    if (bytes.size() % 2) acc += static_cast<std::uint8_t>(bytes.back()) << 8;
    while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
    return static_cast<std::uint16_t>(acc);
}

struct Segment {
    std::uint32_t src, dst, seq;
    std::uint16_t sport, dport;
    std::uint8_t flags;
    std::string payload;
};

std::vector<Segment> parsePcap(const std::string& pcap) {
    REQUIRE(pcap.size() >= 24);
    CHECK(le32(pcap, 0) == 0xa1b2c3d4);
    CHECK(le32(pcap, 20) == 1);  // Ethernet
    std::vector<Segment> out;
    std::size_t pos = 24;
    while (pos < pcap.size()) {
        REQUIRE(pos + 16 <= pcap.size());
        std::uint32_t len = le32(pcap, pos + 8);
        CHECK(le32(pcap, pos + 12) == len);
        std::string_view frame(pcap.data() + pos + 16, len);
        pos += 16 + len;
        REQUIRE(frame.size() >= 14 + 20 + 20);
        CHECK(be16(frame, 12) == 0x0800);
        std::string_view ip = frame.substr(14);
        CHECK(checksum(ip.substr(0, 20)) == 0xffff);  // header checksum verifies
        std::uint32_t total = be16(ip, 2);
        REQUIRE(total == ip.size());
        std::string_view tcp = ip.substr(20);
        std::string pseudo;
        pseudo.append(ip.substr(12, 8));
        pseudo += '\0';
        pseudo += '\6';
        pseudo += static_cast<char>(tcp.size() >> 8);
        pseudo += static_cast<char>(tcp.size() & 0xff);
        CHECK(checksum(tcp, checksum(pseudo)) == 0xffff);  // TCP checksum verifies
        out.push_back(Segment{be32(ip, 12), be32(ip, 16), be32(tcp, 4), static_cast<std::uint16_t>(be16(tcp, 0)),
                              static_cast<std::uint16_t>(be16(tcp, 2)), static_cast<std::uint8_t>(tcp[13]),
                              std::string(tcp.substr(20))});
    }
    return out;
}

}  // namespace

TEST_CASE("pcap: handshake, every line's raw bytes in order, FIN; checksums and sequence numbers hold", "[export]") {
    auto result = sim::runScenarioFile(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/smtp-textbook.yaml");
    REQUIRE(result.has_value());
    auto segs = parsePcap(sim::exportPcap(result->trace));
    REQUIRE(segs.size() >= 6);
    CHECK(segs[0].flags == 0x02);  // SYN
    CHECK(segs[1].flags == 0x12);  // SYN+ACK
    CHECK(segs[0].src == 0x0a000002);  // mike-pc 10.0.0.2
    CHECK(segs[0].dst == 0x0a000001);  // mail.cesoo.com 10.0.0.1
    CHECK(segs[0].sport == 49152);
    CHECK(segs[0].dport == 25);
    // The client's stream and the server's stream, reassembled, equal the raw bytes of the lines in the trace.
    std::string clientBytes, serverBytes, expectedClient, expectedServer;
    std::uint32_t nextSeq[2] = {segs[0].seq + 1, segs[1].seq + 1};
    for (const auto& s : segs) {
        if (s.payload.empty()) continue;
        int side = s.src == 0x0a000002 ? 0 : 1;
        CHECK(s.seq == nextSeq[side]);
        nextSeq[side] += static_cast<std::uint32_t>(s.payload.size());
        (side == 0 ? clientBytes : serverBytes) += s.payload;
    }
    for (const auto& e : result->trace.events())
        if (e.kind == trace::EventKind::Line)
            (e.direction == trace::Direction::ClientToServer ? expectedClient : expectedServer) += e.raw;
    CHECK(clientBytes == expectedClient);
    CHECK(serverBytes == expectedServer);
    CHECK(clientBytes.starts_with("HELO Mike\r\nMAIL FROM: Mike@cesoo.com\r\n"));
    int fins = 0;
    for (const auto& s : segs) fins += (s.flags & 0x01) ? 1 : 0;
    CHECK(fins == 2);
    CHECK((segs[segs.size() - 3].flags & 0x01));
    CHECK(segs[segs.size() - 3].src == 0x0a000001);  // the server closed first (after 221)
}

TEST_CASE("mermaid and svg diagrams hold every line, escaped", "[export]") {
    auto result = sim::runScenarioFile(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/smtp-textbook.yaml");
    REQUIRE(result.has_value());
    std::string m = sim::exportMermaid(result->trace, result->title.en);
    CHECK(m.starts_with("sequenceDiagram\n"));
    CHECK(m.find("participant P1 as mike-pc") != std::string::npos);
    CHECK(m.find("P1->>P2: HELO Mike\n") != std::string::npos);
    CHECK(m.find("P2->>P1: 221 cesoo.com closing connection\n") != std::string::npos);
    CHECK(m.find("Note over P2: smtp RCPT → DATA") != std::string::npos);
    std::string svg = sim::exportSvg(result->trace, result->title.en);
    CHECK(svg.starts_with("<svg "));
    CHECK(svg.find("C: MAIL FROM: Mike@cesoo.com") != std::string::npos);
    CHECK(svg.find("S: 250 &lt;Mike@cesoo.com&gt;... Sender OK") != std::string::npos);
    CHECK(svg.ends_with("</svg>\n"));
}
