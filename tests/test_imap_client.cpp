// The IMAP client session against the engine's own server: summary browsing, search, move, disconnected sync.
#include "ImapTestHarness.hpp"

#include "imap/ImapClientSession.hpp"

using namespace mailsim;
using namespace mailsim::test;

namespace {

const std::string kA = "From: Mike <mike@cesoo.com>\r\nSubject: Plan A\r\n\r\nFirst plan, a long body " +
                       std::string(2000, 'a') + "\r\n";
const std::string kB = "From: Mike <mike@cesoo.com>\r\nSubject: =?UTF-8?B?6aG555uu?=\r\n\r\nSecond plan.\r\n";  // 项目
const std::string kC = "From: Ann <ann@example.org>\r\nSubject: Plan C\r\n\r\nThird plan.\r\n";

// Runs a client against a fresh server session on `host` until the client is done (bounded).
ImapClientSession run(ImapHost& host, ImapClientConfig config) {
    ImapServerSession server(host.ctx, trace::Recorder(&host.trace, host.trace.openSession("imap", "pc", "mx", 0)));
    ImapClientSession client(std::move(config));
    server.start(kImapT0);
    for (int i = 0; i < 1000 && !client.done(); ++i) {
        client.receive(server.takeOutput(), kImapT0);
        server.receive(client.takeOutput(), kImapT0);
        if (server.closed()) {
            client.receive(server.takeOutput(), kImapT0);
            client.connectionClosed(kImapT0);
        }
    }
    REQUIRE(client.done());
    return client;
}

ImapClientConfig config(ImapTask task) {
    ImapClientConfig c;
    c.user = "rose@cesoo.com";
    c.password = "rose123";
    c.task = task;
    return c;
}

}  // namespace

TEST_CASE("imap client: summary browsing lists envelopes and sizes, downloads only what is opened", "[imap][client]") {
    ImapHost host;
    host.deliver(kA);
    host.deliver(kB);
    auto cfg = config(ImapTask::Summary);
    cfg.open = {2};
    auto c = run(host, cfg);
    REQUIRE(c.ok());
    REQUIRE(c.summaries().size() == 2);
    CHECK(c.summaries()[0].subject == "Plan A");
    CHECK(c.summaries()[0].size == kA.size());
    CHECK(c.summaries()[1].subject == "=?UTF-8?B?6aG555uu?=");
    REQUIRE(c.bodies().size() == 1);
    CHECK(c.bodies().at(2) == kB);
    CHECK(c.bytesReceived() < kA.size());  // the long message was never downloaded
    CHECK(host.memory.list("rose@cesoo.com", "INBOX")[1].flags == store::kSeen);  // opened: \Seen
    CHECK(host.memory.list("rose@cesoo.com", "INBOX")[0].flags == 0);
    auto wrong = config(ImapTask::Summary);
    wrong.password = "nope";
    auto w = run(host, wrong);
    CHECK_FALSE(w.ok());
    REQUIRE(w.problem());
    CHECK(w.problem()->id == trace::ErrorId::ImapClientRefused);
    CHECK(w.problem()->names == std::vector<std::string>{"LOGIN"});
    CHECK(w.problem()->detail.find("[AUTHENTICATIONFAILED]") != std::string::npos);  // the server's words
}

TEST_CASE("imap client: search by a Chinese subject, and move what is found", "[imap][client]") {
    ImapHost host;
    host.deliver(kA);
    host.deliver(kB);
    host.deliver(kC);
    auto s = config(ImapTask::Search);
    s.searchField = "SUBJECT";
    s.searchText = "项目";
    auto c = run(host, s);
    REQUIRE(c.ok());
    CHECK(c.found() == std::vector<std::uint32_t>{2});
    auto m = config(ImapTask::Move);
    m.searchField = "FROM";
    m.searchText = "mike";
    m.target = "Plans";
    auto moved = run(host, m);
    REQUIRE(moved.ok());
    CHECK(moved.moved() == 2);
    CHECK(host.memory.list("rose@cesoo.com", "Plans").size() == 2);
    CHECK(host.memory.list("rose@cesoo.com", "INBOX").size() == 1);
}

TEST_CASE("imap client: disconnected mode resynchronises new mail, expunges, flags and offline changes",
          "[imap][client]") {
    ImapHost host;
    host.deliver(kA);
    host.deliver(kB);
    auto first = run(host, config(ImapTask::Sync));
    REQUIRE(first.ok());
    CHECK(first.syncReport().fetchedNew == 2);
    ImapCache cache = first.cache();
    CHECK(cache.uidNext == 3);
    CHECK(cache.flags.size() == 2);
    // Offline: a flag change waits in the cache; elsewhere a message arrives, one is read, one is expunged.
    cache.pending[1] = "+FLAGS (\\Flagged)";
    host.deliver(kC);
    REQUIRE(host.memory.setFlags("rose@cesoo.com", "INBOX", 1, store::kSeen));
    REQUIRE(host.memory.remove("rose@cesoo.com", "INBOX", 2));
    auto cfg = config(ImapTask::Sync);
    cfg.cache = cache;
    auto second = run(host, cfg);
    REQUIRE(second.ok());
    const auto& r = second.syncReport();
    CHECK_FALSE(r.cacheInvalidated);
    CHECK(r.uploaded == 1);
    CHECK(r.fetchedNew == 1);
    CHECK(r.vanished == 1);
    CHECK(r.flagsChanged == 1);
    CHECK(second.cache().flags.at(1) == "(\\Seen \\Flagged)");
    CHECK_FALSE(second.cache().flags.contains(2));
    CHECK(second.cache().uidNext == 4);
    CHECK(second.bodies().size() == 1);  // only the new message crossed the network
    // A different UIDVALIDITY voids the cache: everything is fetched again.
    auto stale = config(ImapTask::Sync);
    stale.cache = second.cache();
    stale.cache.uidValidity += 100;
    auto third = run(host, stale);
    REQUIRE(third.ok());
    CHECK(third.syncReport().cacheInvalidated);
    CHECK(third.syncReport().fetchedNew == 2);
}
