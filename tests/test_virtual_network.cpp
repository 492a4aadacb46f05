// The virtual TCP stream: ordered, reliable, and cut into segments at random (seeded), like real TCP.
#include "sim/net/VirtualNetwork.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <tuple>

using namespace mailsim::sim;

namespace {

struct Capture {
    std::vector<std::string> chunks;
    std::string all() const {
        std::string s;
        for (const auto& c : chunks) s += c;
        return s;
    }
};

Capture transfer(std::uint64_t seed, const std::vector<std::string>& sends, LinkConfig link = {}) {
    Scheduler sched(0, seed);
    VirtualConnection* raw = nullptr;
    auto conn = std::make_shared<VirtualConnection>(sched, link);
    raw = conn.get();
    Capture cap;
    raw->onReceive(VirtualConnection::Server, [&](std::string_view b) { cap.chunks.emplace_back(b); });
    for (const auto& s : sends) raw->send(VirtualConnection::Client, s);
    sched.runUntilIdle();
    return cap;
}

}  // namespace

TEST_CASE("bytes arrive complete and in order whatever the cutting", "[network]") {
    std::vector<std::string> sends{"EHLO pc\r\n", "MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\n", std::string(500, 'x'), "\r\n"};
    std::string whole;
    for (const auto& s : sends) whole += s;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) CHECK(transfer(seed, sends).all() == whole);
}

TEST_CASE("segments are both split and merged across seeds, and the same seed cuts the same way", "[network]") {
    std::vector<std::string> sends{"HELO Mike\r\n", "MAIL FROM:<mike@cesoo.com>\r\n", "RCPT TO:<rose@cesoo.com>\r\n"};
    bool split = false, merged = false;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        auto cap = transfer(seed, sends);
        for (const auto& c : cap.chunks) {
            if (c.find("\r\n") == std::string::npos || !c.ends_with("\r\n")) split = true;
            std::size_t lines = 0;
            for (std::size_t p = c.find("\r\n"); p != std::string::npos; p = c.find("\r\n", p + 2)) ++lines;
            if (lines >= 2) merged = true;
        }
        CHECK(transfer(seed, sends).chunks == cap.chunks);
    }
    CHECK(split);
    CHECK(merged);
}

TEST_CASE("without splitting each send is one segment, delivered after the latency", "[network]") {
    Scheduler sched(1000, 1);
    auto conn = std::make_shared<VirtualConnection>(sched, LinkConfig{.latency = 250, .maxSegment = 4, .split = false});
    std::vector<std::pair<mailsim::trace::Micros, std::string>> got;
    conn->onReceive(VirtualConnection::Client, [&](std::string_view b) { got.emplace_back(sched.now(), std::string(b)); });
    conn->send(VirtualConnection::Server, "220 hello\r\n");
    sched.runUntilIdle();
    REQUIRE(got.size() == 1);
    CHECK(got[0] == std::pair<mailsim::trace::Micros, std::string>{1250, "220 hello\r\n"});
}

TEST_CASE("a FIN arrives after every byte sent before it; nothing is sent after it", "[network]") {
    Scheduler sched(0, 3);
    auto conn = std::make_shared<VirtualConnection>(sched, LinkConfig{});
    std::string got;
    bool closed = false;
    conn->onReceive(VirtualConnection::Client, [&](std::string_view b) {
        CHECK_FALSE(closed);
        got += b;
    });
    conn->onClose(VirtualConnection::Client, [&] { closed = true; });
    conn->send(VirtualConnection::Server, std::string(300, 'a'));
    conn->close(VirtualConnection::Server);
    conn->send(VirtualConnection::Server, "late");
    sched.runUntilIdle();
    CHECK(closed);
    CHECK(got == std::string(300, 'a'));
    CHECK(conn->peerClosed(VirtualConnection::Client));
}

TEST_CASE("the scheduler runs actions in time order, ties in scheduling order", "[scheduler]") {
    Scheduler sched(100, 1);
    std::vector<int> order;
    sched.at(300, [&] { order.push_back(3); });
    sched.at(200, [&] { order.push_back(1); });
    sched.at(200, [&] { order.push_back(2); sched.after(0, [&] { order.push_back(25); }); });
    sched.at(50, [&] { order.push_back(0); });  // in the past: runs now
    CHECK(sched.runUntilIdle() == 5);
    CHECK(order == std::vector<int>{0, 1, 2, 25, 3});
    CHECK(sched.now() == 300);
    sched.advanceTo(200);
    CHECK(sched.now() == 300);
}

TEST_CASE("a per-link latency applies between its two hosts, both ways; other pairs keep the network's", "[network][links]") {
    Scheduler sched(0, 1);
    VirtualNetwork net(sched);
    net.setLink(LinkConfig{.latency = 5'000, .split = false});
    net.setLinks({LinkSpec{"mail.cesoo.com", "mx.example.org", 80'000, std::nullopt}});
    auto arrivalOver = [&](std::string_view from, std::string_view to, VirtualConnection::Side side) {
        auto conn = net.connect(from, to);
        mailsim::trace::Micros sent = sched.now(), got = -1;
        VirtualConnection::Side peer = side == VirtualConnection::Client ? VirtualConnection::Server : VirtualConnection::Client;
        conn->onReceive(peer, [&](std::string_view) { got = sched.now(); });
        conn->send(side, "EHLO x\r\n");
        sched.runUntilIdle();
        return got - sent;
    };
    CHECK(arrivalOver("mail.cesoo.com", "mx.example.org", VirtualConnection::Client) == 80'000);
    CHECK(arrivalOver("mail.cesoo.com", "mx.example.org", VirtualConnection::Server) == 80'000);
    CHECK(arrivalOver("mx.example.org", "mail.cesoo.com", VirtualConnection::Client) == 80'000);
    CHECK(arrivalOver("mike-pc", "mail.cesoo.com", VirtualConnection::Client) == 5'000);
    CHECK(net.linkBetween("mike-pc", "mx.example.org").segmentLoss == 0.0);
}

namespace {

struct LossRun {
    std::vector<std::pair<mailsim::trace::Micros, std::string>> chunks;
    std::vector<std::tuple<mailsim::trace::Micros, std::size_t, int, mailsim::trace::Micros>> losses;
    std::uint64_t lost = 0;
    std::string all() const {
        std::string s;
        for (const auto& c : chunks) s += c.second;
        return s;
    }
};

LossRun lossyTransfer(std::uint64_t seed, const std::vector<std::string>& sends, double loss) {
    Scheduler sched(0, seed);
    auto conn = std::make_shared<VirtualConnection>(sched, LinkConfig{.latency = 10'000, .segmentLoss = loss});
    LossRun run;
    conn->onReceive(VirtualConnection::Server, [&](std::string_view b) { run.chunks.emplace_back(sched.now(), std::string(b)); });
    conn->onLoss([&](VirtualConnection::Side, std::size_t bytes, int n, mailsim::trace::Micros waited) {
        run.losses.emplace_back(sched.now(), bytes, n, waited);
    });
    for (const auto& s : sends) conn->send(VirtualConnection::Client, s);
    sched.runUntilIdle();
    run.lost = conn->segmentsLost();
    return run;
}

}  // namespace

TEST_CASE("segment loss: lost segments are retransmitted after the RTO, in order, never corrupted; seeds reproduce",
          "[network][links]") {
    std::vector<std::string> sends{"EHLO pc\r\n", "MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\n", std::string(700, 'x'), "\r\n.\r\n"};
    std::string whole;
    for (const auto& s : sends) whole += s;
    std::uint64_t lostTotal = 0;
    bool doubled = false;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        auto run = lossyTransfer(seed, sends, 0.3);
        CHECK(run.all() == whole);  // complete and in order
        for (std::size_t i = 1; i < run.chunks.size(); ++i) CHECK(run.chunks[i - 1].first <= run.chunks[i].first);
        for (const auto& [at, bytes, n, waited] : run.losses) {
            // 200 ms, then 200 + 400 ms, ... (RFC 6298 5.5: the timeout doubles)
            CHECK(waited == 200'000 * ((1 << n) - 1));
            CHECK(at == waited);  // every send happened at time 0: the note comes at the last retransmission
            if (n > 1) doubled = true;
        }
        if (!run.losses.empty()) CHECK(run.chunks.back().first >= 200'000 + 10'000);  // a lost segment comes late
        lostTotal += run.lost;
        auto again = lossyTransfer(seed, sends, 0.3);
        CHECK(again.chunks == run.chunks);
        CHECK(again.losses == run.losses);
    }
    CHECK(lostTotal > 0);
    CHECK(doubled);
    auto clean = lossyTransfer(5, sends, 0.0);
    CHECK(clean.lost == 0);
    CHECK(clean.chunks.back().first < 200'000);
}
