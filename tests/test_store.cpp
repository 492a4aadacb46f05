// The MailStore interface on both stores (memory and Maildir): folders, flags, UIDVALIDITY, removeMany's
// all-or-nothing contract, the maildrop lock, and two store objects on one Maildir seeing each other's changes.
#include "TempDir.hpp"
#include "maildir/MaildirStore.hpp"
#include "store/MemoryStore.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <fmt/format.h>

namespace fs = std::filesystem;
using namespace mailsim::store;

using mailsim::test::TempDir;

namespace {

const std::string kUser = "rose@cesoo.com";
const std::string kMsg = "Subject: hi\r\n\r\nbody\r\n";

// Both stores, named for the test output; the temp dir lives as long as the fixture.
struct Stores {
    TempDir tmp;
    std::vector<std::pair<std::string, std::unique_ptr<MailStore>>> all;
    Stores() {
        all.emplace_back("memory", std::make_unique<MemoryStore>());
        all.emplace_back("maildir", std::make_unique<MaildirStore>(tmp.path.string()));
    }
};

std::vector<std::uint32_t> uidsOf(const MailStore& s, const std::string& folder = "INBOX") {
    std::vector<std::uint32_t> out;
    for (const auto& m : s.list(kUser, folder)) out.push_back(m.uid);
    return out;
}

}  // namespace

TEST_CASE("store: INBOX always exists; folders are created and listed", "[store]") {
    Stores stores;
    for (auto& [name, store] : stores.all) {
        INFO(name);
        CHECK(store->listFolders(kUser) == std::vector<std::string>{"INBOX"});
        REQUIRE(store->createFolder(kUser, "Sent"));
        REQUIRE(store->createFolder(kUser, "Archive"));
        REQUIRE(store->createFolder(kUser, "Sent"));  // again: no change
        REQUIRE(store->createFolder(kUser, "INBOX"));
        CHECK(store->listFolders(kUser) == std::vector<std::string>{"INBOX", "Archive", "Sent"});
        CHECK(store->uidValidity(kUser, "Sent") != 0);
        REQUIRE(store->deliver(kUser, "Archive", kMsg, 5));
        CHECK(store->list(kUser, "Archive").size() == 1);
        CHECK(store->list(kUser, "INBOX").empty());
    }
}

TEST_CASE("store: UIDVALIDITY is per folder and stays while the folder lives", "[store]") {
    Stores stores;
    for (auto& [name, store] : stores.all) {
        INFO(name);
        CHECK(store->uidValidity(kUser, "INBOX") == 0);
        REQUIRE(store->deliver(kUser, "INBOX", kMsg, 1));
        auto v = store->uidValidity(kUser, "INBOX");
        CHECK(v != 0);
        REQUIRE(store->deliver(kUser, "INBOX", kMsg, 2));
        CHECK(store->uidValidity(kUser, "INBOX") == v);
    }
}

TEST_CASE("store: flags are kept per message and survive reopening (Maildir :2, suffix in cur/)", "[store]") {
    Stores stores;
    for (auto& [name, store] : stores.all) {
        INFO(name);
        auto a = store->deliver(kUser, "INBOX", kMsg, 1'000'000);
        auto b = store->deliver(kUser, "INBOX", kMsg, 2'000'000);
        REQUIRE(a);
        REQUIRE(b);
        CHECK(store->list(kUser, "INBOX")[0].flags == 0);
        REQUIRE(store->setFlags(kUser, "INBOX", a->uid, kSeen | kFlagged));
        REQUIRE(store->setFlags(kUser, "INBOX", b->uid, kDeleted | kDraft | kAnswered));
        auto listed = store->list(kUser, "INBOX");
        REQUIRE(listed.size() == 2);
        CHECK(listed[0].uid == a->uid);  // a flag change keeps the UID
        CHECK(listed[0].flags == (kSeen | kFlagged));
        CHECK(listed[1].flags == (kDeleted | kDraft | kAnswered));
        CHECK(flagsToString(listed[1].flags) == "\\Answered \\Deleted \\Draft");
        CHECK(listed[0].internalDate == 1'000'000);
        CHECK(store->read(kUser, "INBOX", a->uid).value() == kMsg);
        REQUIRE(store->setFlags(kUser, "INBOX", a->uid, 0));
        CHECK(store->list(kUser, "INBOX")[0].flags == 0);
        CHECK_FALSE(store->setFlags(kUser, "INBOX", 99, kSeen));
    }
    // Maildir: the file moved to cur/ with the spec's letters in ASCII order, and a new store object reads them.
    auto dir = stores.tmp.path / kUser;
    std::vector<std::string> cur;
    for (const auto& e : fs::directory_iterator(dir / "cur")) cur.push_back(e.path().filename().string());
    std::ranges::sort(cur);
    REQUIRE(cur.size() == 2);
    CHECK((cur[0].ends_with(":2,") || cur[1].ends_with(":2,")));
    CHECK((cur[0].ends_with(":2,DRT") || cur[1].ends_with(":2,DRT")));
    CHECK(fs::is_empty(dir / "new"));
    MaildirStore again(stores.tmp.path.string());
    auto listed = again.list(kUser, "INBOX");
    REQUIRE(listed.size() == 2);
    CHECK(listed[1].flags == (kDeleted | kDraft | kAnswered));
}

TEST_CASE("store: removeMany is all or nothing", "[store]") {
    Stores stores;
    for (auto& [name, store] : stores.all) {
        INFO(name);
        for (int i = 0; i < 4; ++i) REQUIRE(store->deliver(kUser, "INBOX", kMsg, i));
        auto uids = uidsOf(*store);
        REQUIRE(uids.size() == 4);
        std::uint32_t withUnknown[] = {uids[0], 999, uids[2]};
        CHECK_FALSE(store->removeMany(kUser, "INBOX", withUnknown));
        CHECK(uidsOf(*store) == uids);  // nothing removed
        std::uint32_t two[] = {uids[0], uids[2]};
        REQUIRE(store->removeMany(kUser, "INBOX", two));
        CHECK(uidsOf(*store) == std::vector<std::uint32_t>{uids[1], uids[3]});
        REQUIRE(store->removeMany(kUser, "INBOX", {}));
        REQUIRE(store->deliver(kUser, "INBOX", kMsg, 9));
        CHECK(uidsOf(*store).back() == uids.back() + 1);  // UIDs are not reused
    }
}

TEST_CASE("maildir: a removal committed in the UID list is finished by the next reader (crash roll-forward)",
          "[store][maildir]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    for (int i = 0; i < 3; ++i) REQUIRE(store.deliver(kUser, "INBOX", kMsg, i));
    auto listed = store.list(kUser, "INBOX");
    // Simulate a crash right after the commit point: the list names the removed message's base as a tombstone, the
    // file is still there.
    const fs::path list = tmp.path / kUser / "mailsim-uidlist";
    std::ifstream in(list);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    std::string line2 = fmt::format("{} {}\n", listed[1].uid, listed[1].storageId);
    auto at = s.find(line2);
    REQUIRE(at != std::string::npos);
    s.erase(at, line2.size());
    s += "D " + listed[1].storageId + "\n";
    std::ofstream(list, std::ios::trunc) << s;
    MaildirStore reader(tmp.path.string());
    auto after = reader.list(kUser, "INBOX");
    REQUIRE(after.size() == 2);
    CHECK(after[0].uid == listed[0].uid);
    CHECK(after[1].uid == listed[2].uid);
    auto warnings = reader.takeWarnings();
    INFO((warnings.empty() ? std::string() : warnings[0].detail));
    CHECK(warnings.empty());
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(tmp.path / kUser / "new")) files += e.is_regular_file();
    CHECK(files == 2);  // the file was unlinked
}

TEST_CASE("store: the maildrop lock is exclusive per user", "[store]") {
    Stores stores;
    for (auto& [name, store] : stores.all) {
        INFO(name);
        CHECK(store->tryLock(kUser));
        CHECK(store->isLocked(kUser));
        CHECK_FALSE(store->tryLock(kUser));
        CHECK(store->tryLock("mike@cesoo.com"));  // another user's maildrop is independent
        store->unlock(kUser);
        CHECK_FALSE(store->isLocked(kUser));
        CHECK(store->tryLock(kUser));
    }
}

TEST_CASE("maildir: two store objects on one root see each other's changes", "[store][maildir]") {
    TempDir tmp;
    MaildirStore a(tmp.path.string());
    MaildirStore b(tmp.path.string());
    auto m = a.deliver(kUser, "INBOX", kMsg, 1);
    REQUIRE(m);
    REQUIRE(b.list(kUser, "INBOX").size() == 1);
    REQUIRE(b.setFlags(kUser, "INBOX", m->uid, kSeen));
    CHECK(a.list(kUser, "INBOX").at(0).flags == kSeen);
    REQUIRE(b.remove(kUser, "INBOX", m->uid));
    CHECK(a.list(kUser, "INBOX").empty());
}

TEST_CASE("store: UIDNEXT is past every UID ever given, also after removals", "[store][imap]") {
    Stores stores;
    for (auto& [name, s] : stores.all) {
        INFO(name);
        CHECK(s->uidNext(kUser, "INBOX") == 1);
        REQUIRE(s->deliver(kUser, "INBOX", kMsg, 1));
        REQUIRE(s->deliver(kUser, "INBOX", kMsg, 2));
        CHECK(s->uidNext(kUser, "INBOX") == 3);
        REQUIRE(s->remove(kUser, "INBOX", 2));
        CHECK(s->uidNext(kUser, "INBOX") == 3);  // not reused (RFC 3501 2.3.1.1)
    }
}

TEST_CASE("store: UIDNEXT and UIDVALIDITY survive a restart of the Maildir store", "[store][imap]") {
    TempDir tmp;
    std::uint32_t validity = 0;
    {
        MaildirStore s(tmp.path.string());
        REQUIRE(s.deliver(kUser, "INBOX", kMsg, 1));
        REQUIRE(s.deliver(kUser, "INBOX", kMsg, 2));
        REQUIRE(s.remove(kUser, "INBOX", 2));
        validity = s.uidValidity(kUser, "INBOX");
    }
    MaildirStore again(tmp.path.string());
    CHECK(again.uidNext(kUser, "INBOX") == 3);
    CHECK(again.uidValidity(kUser, "INBOX") == validity);
}

TEST_CASE("store: folders are renamed with their messages, UIDs and UIDVALIDITY, and deleted", "[store][imap]") {
    Stores stores;
    for (auto& [name, s] : stores.all) {
        INFO(name);
        REQUIRE(s->createFolder(kUser, "Work"));
        REQUIRE(s->deliver(kUser, "Work", kMsg, 1));
        REQUIRE(s->setFlags(kUser, "Work", 1, kSeen | kFlagged));
        auto validity = s->uidValidity(kUser, "Work");
        REQUIRE(s->renameFolder(kUser, "Work", "Projects"));
        CHECK(s->list(kUser, "Work").empty());
        auto moved = s->list(kUser, "Projects");
        REQUIRE(moved.size() == 1);
        CHECK(moved[0].uid == 1);
        CHECK(moved[0].flags == (kSeen | kFlagged));
        CHECK(s->uidValidity(kUser, "Projects") == validity);
        CHECK_FALSE(s->renameFolder(kUser, "Nope", "X"));
        REQUIRE(s->createFolder(kUser, "Other"));
        CHECK_FALSE(s->renameFolder(kUser, "Projects", "Other"));  // the target exists
        CHECK_FALSE(s->deleteFolder(kUser, "INBOX"));
        REQUIRE(s->deleteFolder(kUser, "Projects"));
        auto folders = s->listFolders(kUser);
        CHECK(std::ranges::find(folders, "Projects") == folders.end());
        CHECK_FALSE(s->deleteFolder(kUser, "Projects"));
    }
}
