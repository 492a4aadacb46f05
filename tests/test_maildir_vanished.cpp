// MODSEQ and the memory of expunges in the Maildir store (RFC 7162: CONDSTORE's per-message MODSEQ, QRESYNC's
// VANISHED (EARLIER)): a property test against a model over random operation sequences, through fresh store objects
// (a restart) and across compaction, plus the index format of the expunge record.
#include "TempDir.hpp"
#include "maildir/MaildirFormat.hpp"
#include "maildir/MaildirStore.hpp"
#include "store/MemoryStore.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>

namespace fs = std::filesystem;
using namespace mailsim;
using namespace mailsim::store;

using mailsim::test::TempDir;

namespace {

const std::string kUser = "rose@cesoo.com";

// What the store must answer: the MODSEQ of each expunged UID, the live messages' MODSEQs, the highest.
struct Model {
    std::map<std::uint32_t, std::uint64_t> live, expunged;
    std::uint64_t highest = 0;
    std::vector<std::uint32_t> expungedAbove(std::uint64_t since) const {
        std::vector<std::uint32_t> out;
        for (auto [uid, ms] : expunged)
            if (ms > since) out.push_back(uid);
        return out;
    }
};

// One random step on `s`, checked against and applied to `m`.
void step(MailStore& s, const std::string& folder, Model& m, std::mt19937& rng) {
    int what = static_cast<int>(rng() % 10);
    if (what < 4 || m.live.empty()) {
        auto r = s.deliver(kUser, folder, "Subject: m\r\n\r\nbody\r\n", 1);
        REQUIRE(r);
        REQUIRE(r->modSeq > m.highest);  // strictly increasing per mailbox
        m.highest = r->modSeq;
        m.live[r->uid] = r->modSeq;
    } else if (what < 7) {
        auto it = std::next(m.live.begin(), static_cast<long>(rng() % m.live.size()));
        Flags f = static_cast<Flags>(1u << (rng() % 5));
        auto r = s.updateFlags(kUser, folder, it->first, {FlagDelta::Op::Replace, f, {}});
        REQUIRE(r);
        if (r->modSeq != it->second) {
            REQUIRE(r->modSeq > m.highest);
            m.highest = r->modSeq;
            it->second = r->modSeq;
        }
    } else {
        std::vector<std::uint32_t> gone;
        for (auto [uid, ms] : m.live)
            if (rng() % 3 == 0) gone.push_back(uid);
        if (gone.empty()) gone.push_back(m.live.begin()->first);
        REQUIRE(s.removeMany(kUser, folder, gone));
        std::uint64_t after = s.highestModSeq(kUser, folder);
        REQUIRE(after > m.highest);  // an expunge is a change (RFC 7162 3.2.10)
        m.highest = after;
        for (auto uid : gone) {
            m.live.erase(uid);
            m.expunged[uid] = after;
        }
    }
}

void checkAgainst(const MailStore& s, const std::string& folder, const Model& m) {
    REQUIRE(s.highestModSeq(kUser, folder) == m.highest);
    auto msgs = s.list(kUser, folder);
    REQUIRE(msgs.size() == m.live.size());
    for (const auto& info : msgs) REQUIRE(m.live.at(info.uid) == info.modSeq);
    std::vector<std::uint64_t> probes{0, m.highest, m.highest / 2, m.highest > 3 ? m.highest - 3 : 0};
    for (auto [uid, ms] : m.expunged) probes.push_back(ms), probes.push_back(ms - 1);
    for (auto since : probes) {
        auto got = s.expungedSince(kUser, folder, since);
        REQUIRE(got);
        REQUIRE(*got == m.expungedAbove(since));
    }
}

}  // namespace

TEST_CASE("maildir: expunged UIDs are remembered with their MODSEQ, across restarts and compaction (property)",
          "[maildir][modseq]") {
    for (unsigned seed : {1u, 2u, 3u}) {
        TempDir tmp;
        std::mt19937 rng(seed);
        Model m;
        auto s = std::make_unique<MaildirStore>(tmp.path.string());
        REQUIRE(s->createFolder(kUser, "Work"));
        m.highest = s->highestModSeq(kUser, "Work");
        CHECK(m.highest >= 1);  // an existing folder has a positive HIGHESTMODSEQ (RFC 7162 7)
        for (int i = 0; i < 600; ++i) {  // enough expunges for the store to compact its index several times
            INFO("seed " << seed << " step " << i);
            step(*s, "Work", m, rng);
            if (i % 97 == 0) s = std::make_unique<MaildirStore>(tmp.path.string());  // a restart
            checkAgainst(*s, "Work", m);
        }
        checkAgainst(*s, "Work", m);
        s = std::make_unique<MaildirStore>(tmp.path.string());
        checkAgainst(*s, "Work", m);
    }
}

TEST_CASE("memory store: the same model holds", "[store][modseq]") {
    std::mt19937 rng(9);
    MemoryStore s;
    Model m;
    REQUIRE(s.createFolder(kUser, "INBOX"));
    m.highest = s.highestModSeq(kUser, "INBOX");
    CHECK(m.highest == 1);
    for (int i = 0; i < 300; ++i) step(s, "INBOX", m, rng);
    checkAgainst(s, "INBOX", m);
}

TEST_CASE("maildir: a lost index forgets the old expunges and says so (nullopt), then remembers new ones",
          "[maildir][modseq]") {
    TempDir tmp;
    MaildirStore a(tmp.path.string());
    for (int i = 0; i < 4; ++i) REQUIRE(a.deliver(kUser, "INBOX", "Subject: m\r\n\r\nx\r\n", 1));
    std::uint32_t two[] = {2};
    REQUIRE(a.removeMany(kUser, "INBOX", two));
    REQUIRE(a.expungedSince(kUser, "INBOX", 0) == std::vector<std::uint32_t>{2});
    fs::remove(tmp.path / kUser / "mailsim-index");
    MaildirStore b(tmp.path.string());
    CHECK_FALSE(b.expungedSince(kUser, "INBOX", 0));  // unknown: a QRESYNC client gets every missing UID instead
    std::uint64_t rebuilt = b.highestModSeq(kUser, "INBOX");
    std::uint32_t three[] = {3};
    REQUIRE(b.removeMany(kUser, "INBOX", three));
    CHECK(b.expungedSince(kUser, "INBOX", rebuilt) == std::vector<std::uint32_t>{3});
    (void)b.takeWarnings();
    MaildirStore c(tmp.path.string());
    CHECK(c.expungedSince(kUser, "INBOX", rebuilt) == std::vector<std::uint32_t>{3});
    CHECK_FALSE(c.expungedSince(kUser, "INBOX", 0));
}

TEST_CASE("maildir format: the expunge record with its UIDs, and the old form without", "[maildir][format]") {
    using namespace mailsim::store::maildir;
    CHECK(uidRanges({4, 5, 6, 7, 9, 11, 12}) == "4:7,9,11:12");
    CHECK(parseUidRanges("4:7,9,11:12") == std::vector<std::uint32_t>{4, 5, 6, 7, 9, 11, 12});
    CHECK_FALSE(parseUidRanges("7:4"));
    CHECK_FALSE(parseUidRanges("4,3"));
    CHECK_FALSE(parseUidRanges("0"));
    CHECK_FALSE(parseUidRanges(""));
    auto r = parseIndexRecord("X 17 3,5:6");
    REQUIRE(r);
    CHECK(r->kind == IndexRecord::Kind::Expunge);
    CHECK(r->modSeq == 17);
    CHECK(r->uids == std::vector<std::uint32_t>{3, 5, 6});
    CHECK(indexRecord(*r) == "X 17 3,5:6\n");
    auto old = parseIndexRecord("X 12");
    REQUIRE(old);
    CHECK(old->uids.empty());
    CHECK_FALSE(parseIndexRecord("X 12 3 4"));
    CHECK_FALSE(parseIndexRecord("X 12 x"));
}
