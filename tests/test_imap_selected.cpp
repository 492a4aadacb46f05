// The selected mailbox's state on its own (engine/imap/ImapSelected.hpp): opening a view, \Recent ownership, the
// sequence-set resolution and the comparison with the store that the session turns into EXPUNGE/FETCH/EXISTS.
#include "imap/ImapSelected.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace mailsim;
using namespace mailsim::imap;

namespace {

store::MessageInfo info(std::uint32_t uid, store::Flags flags = 0, std::uint64_t modSeq = 0) {
    store::MessageInfo m;
    m.uid = uid;
    m.flags = flags;
    m.modSeq = modSeq ? modSeq : uid + 1;
    return m;
}

std::vector<std::uint32_t> uidsOf(const ImapSelected& s) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < s.size(); ++i) out.push_back(s.uid(i));
    return out;
}

ImapSelected::Snapshot snap(std::vector<store::MessageInfo> messages) {
    return store::FolderSnapshot::make(std::move(messages));
}

// Everything a reader of the view can see, message by message.
struct Seen {
    std::uint32_t uid;
    store::Flags flags;
    bool recent;
    std::uint64_t modSeq;
    std::vector<std::string> keywords;
    bool operator==(const Seen&) const = default;
};
std::vector<Seen> seenOf(const ImapSelected& s) {
    std::vector<Seen> out;
    for (std::size_t i = 0; i < s.size(); ++i) out.push_back({s.uid(i), s.flags(i), s.recent(i), s.modSeq(i), s.keywords(i)});
    return out;
}

}  // namespace

TEST_CASE("ImapSelected: open takes the store's list, \\Recent above the mark, and moves the mark when read-write") {
    ImapSelected s;
    CHECK_FALSE(s.active());
    std::uint32_t mark = 2;
    s.open("INBOX", "INBOX", false, 77, snap({info(1, store::kSeen), info(2, store::kSeen), info(3), info(5)}), mark);
    CHECK(s.active());
    CHECK(s.mailbox() == "INBOX");
    CHECK(s.uidValidity() == 77);
    CHECK(s.size() == 4);
    CHECK(s.recentCount() == 2);
    CHECK(s.firstUnseen() == 3);
    CHECK(mark == 5);
    CHECK(s.flagList(0) == "(\\Seen)");
    CHECK(s.flagList(3) == "(\\Recent)");
    CHECK(s.indexOfUid(5) == 3u);
    CHECK_FALSE(s.indexOfUid(4));

    SECTION("EXAMINE (read-only) leaves the mark where it was") {
        std::uint32_t other = 0;
        ImapSelected e;
        e.open("INBOX", "INBOX", true, 77, snap({info(1), info(2)}), other);
        CHECK(e.recentCount() == 2);
        CHECK(other == 0);
        CHECK(e.readOnly());
    }
    SECTION("close forgets everything") {
        s.close();
        CHECK_FALSE(s.active());
        CHECK(s.empty());
        CHECK(s.uidValidity() == 0);
    }
    SECTION("renamed keeps the view") {
        s.renamed("Work/Old", "Work.Old");
        CHECK(s.mailbox() == "Work/Old");
        CHECK(s.folder() == "Work.Old");
        CHECK(s.size() == 4);
    }
}

TEST_CASE("ImapSelected: resolve maps sequence and UID sets to indices, '*' being the last message (RFC 3501 9)") {
    ImapSelected s;
    std::uint32_t mark = 0;
    s.open("INBOX", "INBOX", false, 1, snap({info(3), info(7), info(8), info(20)}), mark);
    CHECK(s.resolve(*parseSequenceSet("2:*"), false) == std::vector<std::size_t>{1, 2, 3});
    CHECK(s.resolve(*parseSequenceSet("*"), false) == std::vector<std::size_t>{3});
    CHECK(s.resolve(*parseSequenceSet("4:8"), true) == std::vector<std::size_t>{1, 2});
    CHECK(s.resolve(*parseSequenceSet("21:*"), true) == std::vector<std::size_t>{3});  // "*" is 20: 20:21
    CHECK(s.resolve(*parseSequenceSet("1,100"), true).empty());
    ImapSelected empty;
    CHECK(empty.resolve(*parseSequenceSet("1:*"), false).empty());
}

TEST_CASE("ImapSelected: sync reports expunges highest first, changed flags, MODSEQ-only changes and new mail") {
    ImapSelected s;
    std::uint32_t mark = 0;
    s.open("INBOX", "INBOX", false, 1, snap({info(1), info(2), info(3), info(4)}), mark);
    auto now = snap({info(1, store::kFlagged, 9), info(3, 0, 4), info(4, 0, 12), info(6)});

    SECTION("expunges not allowed (during FETCH, STORE, SEARCH): the view keeps them") {
        auto c = s.sync(now, false, mark);
        CHECK(c.expunged.empty());
        CHECK(uidsOf(s) == std::vector<std::uint32_t>{1, 2, 3, 4, 6});
        CHECK(c.added == 1);
    }
    SECTION("expunges allowed") {
        auto c = s.sync(now, true, mark);
        REQUIRE(c.expunged.size() == 1);
        CHECK(c.expunged[0].seq == 2);
        CHECK(c.expunged[0].uid == 2);
        REQUIRE(c.changed.size() == 2);
        CHECK(c.changed[0].index == 0);  // flags differ
        CHECK(c.changed[0].flagsDiffer);
        CHECK(c.changed[1].index == 2);  // uid 4: only the MODSEQ moved (a keyword, say)
        CHECK_FALSE(c.changed[1].flagsDiffer);
        CHECK(s.modSeq(2) == 12);
        CHECK(c.added == 1);
        CHECK(uidsOf(s) == std::vector<std::uint32_t>{1, 3, 4, 6});
        CHECK(s.recent(3));  // new since the mark, taken by this read-write view
        CHECK(mark == 6);
        CHECK(s.sync(now, true, mark).changed.empty());  // nothing new the second time
    }
}

TEST_CASE("ImapSelected: expunges are reported so that each number is valid when the client reads it (property)") {
    std::mt19937 rng(7162);
    for (int round = 0; round < 200; ++round) {
        std::vector<store::MessageInfo> all;
        for (std::uint32_t uid = 1, n = rng() % 40; uid <= n; ++uid) all.push_back(info(uid));
        ImapSelected s;
        std::uint32_t mark = 0;
        s.open("INBOX", "INBOX", false, 1, snap(all), mark);
        std::vector<std::uint32_t> client = uidsOf(s);  // what the client believes
        std::vector<store::MessageInfo> kept;
        for (const auto& m : all)
            if (rng() % 3) kept.push_back(m);
        auto c = s.sync(snap(kept), true, mark);
        for (const auto& x : c.expunged) {  // the client applies "* n EXPUNGE" one by one
            REQUIRE(x.seq >= 1);
            REQUIRE(x.seq <= client.size());
            REQUIRE(client[x.seq - 1] == x.uid);
            client.erase(client.begin() + x.seq - 1);
        }
        CHECK(client == uidsOf(s));
        CHECK(s.size() == kept.size());
    }
}

TEST_CASE("ImapSelected: the view is the store's snapshot until the session changes it, and shares again after a sync") {
    ImapSelected s;
    std::uint32_t mark = 1;
    auto first = snap({info(1, store::kSeen), info(2), info(3)});
    s.open("INBOX", "INBOX", false, 1, first, mark);
    CHECK(s.shares(first));  // SELECT copied nothing
    CHECK(s.firstUnseen() == 2);
    CHECK(s.recentCount() == 2);
    s.edit(1).flags = store::kSeen;  // the session's own STORE, before the store's list says so
    CHECK_FALSE(s.shares(first));
    CHECK(s.flags(1) == store::kSeen);
    CHECK(s.firstUnseen() == 3);
    CHECK(s.recentCount() == 2);
    auto second = snap({info(1, store::kSeen), info(2, store::kSeen, 9), info(3)});
    auto c = s.sync(second, true, mark);
    REQUIRE(c.changed.size() == 1);  // the MODSEQ the client has not heard of yet
    CHECK_FALSE(c.changed[0].flagsDiffer);
    CHECK(s.shares(second));  // equal to the store's list again: the own copy is gone
    CHECK(s.firstUnseen() == 3);
    CHECK(s.recent(1));
    CHECK_FALSE(s.recent(0));
    s.takeOver(0, second->messages[0]);  // the same values: no copy
    CHECK(s.shares(second));
    s.erase(2);  // the session reported an expunge of its own
    CHECK_FALSE(s.shares(second));
    CHECK(uidsOf(s) == std::vector<std::uint32_t>{1, 2});
}

TEST_CASE("ImapSelected: a shared view syncs exactly like its own copy would (property)") {
    std::mt19937 rng(3501);
    for (int round = 0; round < 500; ++round) {
        std::vector<store::MessageInfo> before, after;
        std::uint32_t uid = 0;
        for (std::uint32_t n = rng() % 12; n > 0; --n) {
            uid += 1 + rng() % 3;
            before.push_back(info(uid, static_cast<store::Flags>(rng() % 2 ? store::kSeen : 0)));
        }
        for (const auto& m : before) {
            if (rng() % 4 == 0) continue;  // expunged
            store::MessageInfo changed = m;
            if (rng() % 4 == 0) changed.flags ^= store::kFlagged, changed.modSeq += 100;
            if (rng() % 6 == 0) changed.modSeq += 50;
            if (rng() % 8 == 0) changed.keywords = {"$Junk"}, changed.modSeq += 70;
            after.push_back(changed);
        }
        for (std::uint32_t n = rng() % 4; n > 0; --n) after.push_back(info(uid += 1 + rng() % 2));
        const bool readOnly = rng() % 3 == 0, allowExpunge = rng() % 2 == 0;
        const std::uint32_t mark0 = before.empty() ? 0 : rng() % (before.back().uid + 2);
        const std::uint32_t markLater = mark0 + rng() % 4;  // another session may have taken some meanwhile

        ImapSelected shared, own;
        std::uint32_t m1 = mark0, m2 = mark0;
        auto a = snap(before);
        shared.open("INBOX", "INBOX", readOnly, 1, a, m1);
        own.open("INBOX", "INBOX", readOnly, 1, a, m2);
        if (!own.empty()) (void)own.edit(0);  // forces the own copy: the general path
        REQUIRE(seenOf(shared) == seenOf(own));
        m1 = std::max(m1, markLater);
        m2 = std::max(m2, markLater);
        auto b = snap(after);
        auto c1 = shared.sync(b, allowExpunge, m1);
        auto c2 = own.sync(b, allowExpunge, m2);
        INFO("round " << round);
        CHECK(seenOf(shared) == seenOf(own));
        CHECK(m1 == m2);
        CHECK(c1.added == c2.added);
        REQUIRE(c1.expunged.size() == c2.expunged.size());
        for (std::size_t i = 0; i < c1.expunged.size(); ++i) {
            CHECK(c1.expunged[i].seq == c2.expunged[i].seq);
            CHECK(c1.expunged[i].uid == c2.expunged[i].uid);
        }
        REQUIRE(c1.changed.size() == c2.changed.size());
        for (std::size_t i = 0; i < c1.changed.size(); ++i) {
            CHECK(c1.changed[i].index == c2.changed[i].index);
            CHECK(c1.changed[i].flagsDiffer == c2.changed[i].flagsDiffer);
        }
        CHECK(shared.recentCount() == own.recentCount());
        CHECK(shared.firstUnseen() == own.firstUnseen());
    }
}
