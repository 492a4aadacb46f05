// The IMAP client's flag, folder and IDLE tasks against the engine's own server over a memory store, with both
// directions fed in pseudo-random chunks (seeded: every run is the same) so no task relies on whole lines arriving.
#include "ImapTestHarness.hpp"

#include "imap/ImapClientSession.hpp"

#include <random>

using namespace mailsim;
using namespace mailsim::test;

namespace {

const std::string kA = "From: Mike <mike@cesoo.com>\r\nSubject: Plan A\r\n\r\nFirst plan.\r\n";
const std::string kB = "From: Ann <ann@example.org>\r\nSubject: Plan B\r\n\r\nSecond plan.\r\n";
const std::string kC = "From: Mike <mike@cesoo.com>\r\nSubject: Plan C\r\n\r\nThird plan.\r\n";
const std::string kRose = "rose@cesoo.com";

// A client and a server session talking through chunked pipes.
struct Pair {
    ImapServerSession server;
    ImapClientSession client;
    std::mt19937 rng;
    std::string toClient, toServer;
    Pair(ImapHost& host, ImapClientConfig config, unsigned seed)
        : server(host.ctx, trace::Recorder(&host.trace, host.trace.openSession("imap", "pc", "mx", kImapT0))),
          client(std::move(config), trace::Recorder(&host.trace, host.trace.openSession("imap", "pc", "mx", kImapT0))),
          rng(seed) {
        server.start(kImapT0);
    }
    std::string chunk(std::string& from) {
        std::size_t n = std::min<std::size_t>(from.size(), std::uniform_int_distribution<std::size_t>(1, 7)(rng));
        std::string out = from.substr(0, n);
        from.erase(0, n);
        return out;
    }
    // Moves bytes both ways until nothing is left in flight (bounded).
    void pump() {
        for (int i = 0; i < 100'000; ++i) {
            toClient += server.takeOutput();
            toServer += client.takeOutput();
            if (toClient.empty() && toServer.empty()) break;
            if (!toClient.empty()) client.receive(chunk(toClient), kImapT0);
            if (!toServer.empty() && !server.closed()) server.receive(chunk(toServer), kImapT0);
            else toServer.clear();
        }
        if (server.closed() && !client.done()) client.connectionClosed(kImapT0);
    }
};

ImapClientSession run(ImapHost& host, ImapClientConfig config, unsigned seed = 1) {
    Pair p(host, std::move(config), seed);
    p.pump();
    REQUIRE(p.client.done());
    return std::move(p.client);
}

ImapClientConfig config(ImapTask task) {
    ImapClientConfig c;
    c.user = kRose;
    c.password = "rose123";
    c.task = task;
    return c;
}

store::Flags flagsOf(ImapHost& host, std::uint32_t uid, const std::string& folder = "INBOX") {
    for (const auto& m : host.memory.list(kRose, folder))
        if (m.uid == uid) return m.flags;
    FAIL("no uid " << uid << " in " << folder);
    return 0;
}

bool hasFolder(ImapHost& host, const std::string& folder) {
    auto all = host.memory.listFolders(kRose);
    return std::ranges::find(all, folder) != all.end();
}

}  // namespace

TEST_CASE("imap client: flag sets and clears flags on chosen UIDs or on what a search finds", "[imap][client]") {
    for (unsigned seed : {1u, 2u, 3u}) {
        ImapHost host;
        host.deliver(kA);
        host.deliver(kB);
        host.deliver(kC);
        REQUIRE(host.memory.setFlags(kRose, "INBOX", 3, store::kSeen));
        auto byUid = config(ImapTask::Flag);
        byUid.uids = {3, 1};
        byUid.addFlags = "\\Flagged";
        byUid.removeFlags = "\\Seen";
        auto c = run(host, byUid, seed);
        REQUIRE(c.ok());
        CHECK(flagsOf(host, 1) == store::kFlagged);
        CHECK(flagsOf(host, 2) == 0);
        CHECK(flagsOf(host, 3) == store::kFlagged);  // \Seen removed, \Flagged added
        REQUIRE(c.flagged().size() == 2);
        CHECK(c.flagged().at(3) == "(\\Flagged)");  // the server's answer to the last STORE
        auto bySearch = config(ImapTask::Flag);
        bySearch.searchField = "FROM";
        bySearch.searchText = "ann";
        bySearch.addFlags = "\\Seen \\Answered";
        auto s = run(host, bySearch, seed);
        REQUIRE(s.ok());
        CHECK(s.found() == std::vector<std::uint32_t>{2});
        CHECK(flagsOf(host, 2) == (store::kSeen | store::kAnswered));
        CHECK(flagsOf(host, 1) == store::kFlagged);  // untouched
        auto none = config(ImapTask::Flag);
        none.searchField = "SUBJECT";
        none.searchText = "nothing like this";
        none.addFlags = "\\Deleted";
        auto n = run(host, none, seed);
        REQUIRE(n.ok());
        CHECK(n.flagged().empty());
        for (const auto& m : host.memory.list(kRose, "INBOX")) CHECK((m.flags & store::kDeleted) == 0);
    }
}

TEST_CASE("imap client: create, rename and delete folders; the store follows", "[imap][client]") {
    ImapHost host;
    auto create = config(ImapTask::CreateFolder);
    create.folder = "Work/2024";
    auto c = run(host, create, 4);
    REQUIRE(c.ok());
    CHECK(hasFolder(host, "Work"));  // RFC 3501 6.3.3: the level above is created too
    CHECK(hasFolder(host, "Work.2024"));
    auto again = run(host, create, 5);
    CHECK_FALSE(again.ok());
    REQUIRE(again.problem());
    CHECK(again.problem()->names == std::vector<std::string>{"CREATE"});
    CHECK(again.problem()->detail.find("ALREADYEXISTS") != std::string::npos);
    CHECK(again.phase() == ImapClientSession::Phase::Done);

    host.deliver(kA, "Work.2024");
    host.deliver(kB, "Work.2024");
    std::uint32_t validity = host.memory.uidValidity(kRose, "Work.2024");
    REQUIRE(validity != 0);
    auto rename = config(ImapTask::RenameFolder);
    rename.folder = "Work/2024";
    rename.target = "Archive";
    auto r = run(host, rename, 6);
    REQUIRE(r.ok());
    CHECK_FALSE(hasFolder(host, "Work.2024"));
    REQUIRE(host.memory.list(kRose, "Archive").size() == 2);  // the messages went with it, UIDs unchanged
    CHECK(host.memory.list(kRose, "Archive")[1].uid == 2);
    CHECK(host.memory.uidValidity(kRose, "Archive") == validity);
    auto missing = config(ImapTask::RenameFolder);
    missing.folder = "Nope";
    missing.target = "Other";
    auto m = run(host, missing, 7);
    CHECK_FALSE(m.ok());
    REQUIRE(m.problem());
    CHECK(m.problem()->id == trace::ErrorId::ImapClientRefused);
    CHECK(m.problem()->names == std::vector<std::string>{"RENAME"});

    auto del = config(ImapTask::DeleteFolder);
    del.folder = "Archive";
    auto d = run(host, del, 8);
    REQUIRE(d.ok());
    CHECK_FALSE(hasFolder(host, "Archive"));
    // The same name again is a new mailbox: RFC 3501 2.3.1.1 - another UIDVALIDITY, no old messages.
    auto recreate = config(ImapTask::CreateFolder);
    recreate.folder = "Archive";
    REQUIRE(run(host, recreate, 9).ok());
    CHECK(host.memory.list(kRose, "Archive").empty());
    CHECK(host.memory.uidValidity(kRose, "Archive") != validity);
    auto inbox = config(ImapTask::DeleteFolder);
    inbox.folder = "INBOX";
    auto i = run(host, inbox, 10);
    CHECK_FALSE(i.ok());
    REQUIRE(i.problem());
    CHECK(i.problem()->names == std::vector<std::string>{"DELETE"});
    CHECK(hasFolder(host, "INBOX"));
}

TEST_CASE("imap client: IDLE collects what another session changes, and leaves with DONE", "[imap][client]") {
    for (unsigned seed : {11u, 12u}) {
        ImapHost host;
        host.deliver(kA);
        host.deliver(kB);
        // Stopped by the caller.
        auto cfg = config(ImapTask::Idle);
        Pair p(host, cfg, seed);
        p.pump();
        REQUIRE(p.client.idling());
        REQUIRE(p.server.idling());
        CHECK(p.client.pushed().empty());
        ImapConn other(host);
        other.login();
        other.ok("SELECT INBOX");
        other.ok("APPEND INBOX {" + std::to_string(kC.size()) + "+}\r\n" + kC);
        p.server.tick(kImapT0 + 1'000'000);  // the idling server notices and pushes
        p.pump();
        other.ok("UID STORE 1 +FLAGS (\\Deleted)");
        other.ok("EXPUNGE");
        p.server.tick(kImapT0 + 2'000'000);
        p.pump();
        CHECK(p.client.idling());
        std::vector<std::string> kinds;
        for (const auto& u : p.client.pushed()) kinds.push_back(u.kind + " " + std::to_string(u.number));
        CHECK(kinds == std::vector<std::string>{"EXISTS 3", "EXPUNGE 1"});
        p.client.stopIdle(kImapT0 + 3'000'000);
        p.pump();
        REQUIRE(p.client.done());
        CHECK(p.client.ok());
        CHECK_FALSE(p.server.idling());
        CHECK(p.server.closed());  // LOGOUT after the IDLE's completion

        // Stopped after a configured number of updates.
        auto counted = config(ImapTask::Idle);
        counted.idleUpdates = 1;
        Pair q(host, counted, seed);
        q.pump();
        REQUIRE(q.client.idling());
        other.ok("STORE 1 +FLAGS (\\Flagged)");
        q.server.tick(kImapT0 + 4'000'000);
        q.pump();
        REQUIRE(q.client.done());
        CHECK(q.client.ok());
        REQUIRE(q.client.pushed().size() == 1);
        CHECK(q.client.pushed()[0].kind == "FETCH");
        CHECK(q.client.pushed()[0].line.find("\\Flagged") != std::string::npos);
    }
}

TEST_CASE("imap client: every phase of the new tasks is traced", "[imap][client]") {
    ImapHost host;
    host.deliver(kA);
    auto cfg = config(ImapTask::Idle);
    Pair p(host, cfg, 21);
    p.client.stopIdle(kImapT0);  // before the server even accepted IDLE: DONE follows the "+"
    p.pump();
    REQUIRE(p.client.done());
    CHECK(p.client.ok());
    std::vector<std::string> phases;
    bool doneTraced = false;
    for (const auto& e : host.trace.events()) {
        if (e.kind == trace::EventKind::StateChanged && e.machine == "imap-client") phases.push_back(e.toState);
        if (e.kind == trace::EventKind::Line && e.text == "DONE" && e.direction == trace::Direction::ClientToServer)
            doneTraced = true;
    }
    CHECK(phases == std::vector<std::string>{"LOGIN", "SELECT", "IDLE", "IDLING", "IDLE-DONE", "LOGOUT", "DONE"});
    CHECK(doneTraced);
}
