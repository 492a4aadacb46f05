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
    for (const auto& m : s.messages()) out.push_back(m.uid);
    return out;
}

}  // namespace

TEST_CASE("ImapSelected: open takes the store's list, \\Recent above the mark, and moves the mark when read-write") {
    ImapSelected s;
    CHECK_FALSE(s.active());
    std::uint32_t mark = 2;
    s.open("INBOX", "INBOX", false, 77, {info(1, store::kSeen), info(2, store::kSeen), info(3), info(5)}, mark);
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
        e.open("INBOX", "INBOX", true, 77, {info(1), info(2)}, other);
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
    s.open("INBOX", "INBOX", false, 1, {info(3), info(7), info(8), info(20)}, mark);
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
    s.open("INBOX", "INBOX", false, 1, {info(1), info(2), info(3), info(4)}, mark);
    std::vector<store::MessageInfo> now{info(1, store::kFlagged, 9), info(3, 0, 4), info(4, 0, 12), info(6)};

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
        CHECK(s[2].modSeq == 12);
        CHECK(c.added == 1);
        CHECK(uidsOf(s) == std::vector<std::uint32_t>{1, 3, 4, 6});
        CHECK(s[3].recent);  // new since the mark, taken by this read-write view
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
        s.open("INBOX", "INBOX", false, 1, all, mark);
        std::vector<std::uint32_t> client = uidsOf(s);  // what the client believes
        std::vector<store::MessageInfo> kept;
        for (const auto& m : all)
            if (rng() % 3) kept.push_back(m);
        auto c = s.sync(kept, true, mark);
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
