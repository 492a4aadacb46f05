// The POP3 client session against the POP3 server session, wired back to back in memory: delete mode, keep mode
// with UIDL memory across sessions, APOP, refused logins, and a response parser fed in every split.
#include "Pop3TestHarness.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <random>

using namespace mailsim;
using namespace mailsim::test;

namespace {

struct Outcome {
    std::unique_ptr<Pop3ClientSession> client;
};

// Runs one client session to the end against a fresh server session of `host` (bytes passed back and forth whole).
std::unique_ptr<Pop3ClientSession> fetch(Pop3Host& host, Pop3ClientConfig config, trace::Trace* clientTrace = nullptr) {
    auto sid = host.trace.openSession("pop3", "rose-pc", "cesoo.com:110", kPopT0);
    Pop3ServerSession server(host.ctx, trace::Recorder(&host.trace, sid));
    trace::Recorder crec = clientTrace ? trace::Recorder(clientTrace, clientTrace->openSession("pop3", "c", "s", kPopT0))
                                       : trace::Recorder();
    auto client = std::make_unique<Pop3ClientSession>(std::move(config), crec);
    server.start(kPopT0);
    for (int guard = 0; guard < 10000 && !client->done(); ++guard) {
        std::string s2c = server.takeOutput();
        if (!s2c.empty()) client->receive(s2c, kPopT0);
        std::string c2s = client->takeOutput();
        if (!c2s.empty()) server.receive(c2s, kPopT0);
        if (server.closed() && !server.hasOutput() && !client->done()) client->connectionClosed(kPopT0);
    }
    REQUIRE(client->done());
    return client;
}

const std::string kA = "Subject: a\r\n\r\nfirst\r\n.\r\n";
const std::string kB = "Subject: b\r\n\r\nsecond\r\n";

}  // namespace

TEST_CASE("pop3 client: delete mode fetches everything and the server removes it in UPDATE", "[pop3][client]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kA);
    host.deliver("rose@cesoo.com", kB);
    trace::Trace ct;
    auto c = fetch(host, {"rose@cesoo.com", "rose123", LoginMethod::UserPass, FetchMode::Delete, {}}, &ct);
    CHECK(c->ok());
    REQUIRE(c->fetched().size() == 2);
    CHECK(c->fetched()[0].content == kA);  // the "." line came back unstuffed
    CHECK(c->fetched()[1].content == kB);
    CHECK(c->bytesFetched() == kA.size() + kB.size());
    CHECK(c->deleted() == 2);
    CHECK(c->quitAccepted());
    CHECK(host.store.list("rose@cesoo.com", "INBOX").empty());
    bool sawClientState = std::ranges::any_of(ct.events(), [](const trace::Event& e) {
        return e.kind == trace::EventKind::StateChanged && e.machine == "pop3-client";
    });
    CHECK(sawClientState);
}

TEST_CASE("pop3 client: keep mode fetches only new unique ids and leaves the mail", "[pop3][client]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kA);
    auto first = fetch(host, {"rose", "rose123", LoginMethod::UserPass, FetchMode::Keep, {}});
    REQUIRE(first->ok());
    CHECK(first->fetched().size() == 1);
    CHECK(first->knownUids().size() == 1);
    auto second = fetch(host, {"rose", "rose123", LoginMethod::UserPass, FetchMode::Keep, first->knownUids()});
    CHECK(second->ok());
    CHECK(second->fetched().empty());  // UIDL says nothing is new
    host.deliver("rose@cesoo.com", kB);
    auto third = fetch(host, {"rose", "rose123", LoginMethod::Apop, FetchMode::Keep, second->knownUids()});
    CHECK(third->ok());
    REQUIRE(third->fetched().size() == 1);
    CHECK(third->fetched()[0].content == kB);
    CHECK(third->knownUids().size() == 2);
    CHECK(host.store.list("rose@cesoo.com", "INBOX").size() == 2);
}

TEST_CASE("pop3 client: a refused login is reported and nothing is fetched", "[pop3][client]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kA);
    auto c = fetch(host, {"rose@cesoo.com", "wrong", LoginMethod::Apop, FetchMode::Delete, {}});
    CHECK_FALSE(c->ok());
    REQUIRE(c->problem());
    CHECK(c->problem()->id == trace::ErrorId::Pop3ClientLoginRefused);
    CHECK(c->problem()->names == std::vector<std::string>{"APOP"});
    CHECK(c->problem()->detail.find("[AUTH]") != std::string::npos);
    CHECK(c->fetched().empty());
    CHECK(host.store.list("rose@cesoo.com", "INBOX").size() == 1);
}

TEST_CASE("pop3 client: a connection lost before QUIT's answer leaves the mail on the server", "[pop3][client]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kA);
    auto sid = host.trace.openSession("pop3", "c", "s", kPopT0);
    auto server = std::make_unique<Pop3ServerSession>(host.ctx, trace::Recorder(&host.trace, sid));
    Pop3ClientSession client({"rose@cesoo.com", "rose123", LoginMethod::UserPass, FetchMode::Delete, {}});
    server->start(kPopT0);
    for (int guard = 0; guard < 100; ++guard) {
        client.receive(server->takeOutput(), kPopT0);
        if (client.phase() == Pop3ClientSession::Phase::Quit) break;
        server->receive(client.takeOutput(), kPopT0);
    }
    REQUIRE(client.phase() == Pop3ClientSession::Phase::Quit);
    (void)client.takeOutput();  // the QUIT never arrives
    server->connectionLost(kPopT0);
    client.connectionClosed(kPopT0);
    CHECK(client.fetched().size() == 1);
    CHECK_FALSE(client.quitAccepted());
    CHECK(host.store.list("rose@cesoo.com", "INBOX").size() == 1);
}

TEST_CASE("pop3 response parser: whole, byte by byte and random chunks give the same responses", "[pop3][parser]") {
    const std::string wire = "+OK ready <1.2@x>\r\n+OK 2 messages\r\n1 10\r\n2 20\r\n.\r\n-ERR [IN-USE] locked\r\n"
                             "+OK 5 octets\r\n..x\r\n..\r\n.\r\n+ \r\n";
    auto parse = [&](int mode, unsigned seed) {
        Pop3ResponseParser p;
        for (bool m : {false, true, false, true}) p.expectMultiLine(m);
        std::mt19937 rng(seed);
        std::vector<Pop3Response> out;
        for (std::size_t i = 0; i < wire.size();) {
            std::size_t n = mode == 0 ? wire.size() : mode == 1 ? 1 : std::uniform_int_distribution<std::size_t>(1, 9)(rng);
            n = std::min(n, wire.size() - i);
            p.feed(std::string_view(wire).substr(i, n));
            i += n;
            while (auto r = p.next()) out.push_back(*r);
        }
        CHECK_FALSE(p.error());
        return out;
    };
    auto whole = parse(0, 0);
    REQUIRE(whole.size() == 5);
    CHECK(whole[1].lines == std::vector<std::string>{"1 10", "2 20"});
    CHECK(whole[2].respCode == "IN-USE");
    CHECK_FALSE(whole[2].ok);
    CHECK(whole[3].lines == std::vector<std::string>{".x", "."});
    CHECK(whole[4].continuation);
    for (int mode : {1, 2})
        for (unsigned seed = 0; seed < 10; ++seed) {
            auto other = parse(mode, seed);
            REQUIRE(other.size() == whole.size());
            for (std::size_t i = 0; i < other.size(); ++i) CHECK(other[i].raw == whole[i].raw);
        }
    Pop3ResponseParser bad;
    bad.feed("220 smtp here\r\n");
    CHECK(bad.error());
}
