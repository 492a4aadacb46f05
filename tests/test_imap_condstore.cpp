// CONDSTORE and QRESYNC (RFC 7162) at the protocol level, written from the RFC's examples (section numbers in each
// case) with this store's own MODSEQ values: the MODSEQs are whatever the store gave, read back through FETCH MODSEQ.
#include "ForwardingStore.hpp"
#include "ImapTestHarness.hpp"

#include <fmt/format.h>

#include <regex>

using namespace mailsim;
using namespace mailsim::test;

namespace {

bool has(const std::string& out, const std::string& s) { return out.find(s) != std::string::npos; }

std::string msg(int n) { return "From: a@b.c\r\nSubject: m" + std::to_string(n) + "\r\n\r\nbody " + std::to_string(n) + "\r\n"; }

// The MODSEQ a FETCH response line reports for the message with that UID.
std::uint64_t modSeqOf(ImapConn& c, std::uint32_t uid) {
    auto out = c.ok("UID FETCH " + std::to_string(uid) + " (MODSEQ)");
    std::smatch m;
    REQUIRE(std::regex_search(out, m, std::regex("MODSEQ \\((\\d+)\\)")));
    return std::stoull(m[1]);
}

std::uint64_t highestOf(const std::string& out) {
    std::smatch m;
    REQUIRE(std::regex_search(out, m, std::regex("\\[HIGHESTMODSEQ (\\d+)\\]")));
    return std::stoull(m[1]);
}

// A store that remembers no expunges (what the MailStore interface allows), over a memory store.
class Forgetful final : public ForwardingStore {
public:
    bool noModSeq = false;  // a store that keeps no mod-sequences at all
    std::uint64_t highestModSeq(const std::string& u, const std::string& f) const override {
        return noModSeq ? 0 : ForwardingStore::highestModSeq(u, f);
    }
    std::string describe() const override { return "forgetful"; }
};

}  // namespace

TEST_CASE("condstore: ENABLE, HIGHESTMODSEQ in SELECT and STATUS, MODSEQ in FETCH (RFC 7162 3.1.1, 3.1.2, 3.1.4, "
          "3.1.6)", "[imap][condstore]") {
    ImapHost host;
    for (int i = 1; i <= 3; ++i) host.deliver(msg(i));
    ImapConn c(host);
    c.login();
    auto en = c.ok("ENABLE CONDSTORE");
    CHECK(has(en, "* ENABLED CONDSTORE\r\n"));
    CHECK(has(c.ok("ENABLE CONDSTORE"), "* ENABLED\r\n"));  // already on: not listed again (RFC 5161 3.2)
    auto sel = c.ok("SELECT INBOX");
    std::uint64_t highest = highestOf(sel);
    CHECK(highest == host.ctx.store->highestModSeq("rose@cesoo.com", "INBOX"));
    CHECK(has(sel, "* OK [HIGHESTMODSEQ " + std::to_string(highest) + "]"));
    // FETCH MODSEQ (3.1.4.1): "* 1 FETCH (UID 1 MODSEQ (n))", the store's value per message, increasing with UID here.
    auto f = c.ok("FETCH 1:3 (UID MODSEQ)");
    auto infos = host.ctx.store->list("rose@cesoo.com", "INBOX");
    for (int i = 0; i < 3; ++i)
        CHECK(has(f, fmt::format("* {} FETCH (UID {} MODSEQ ({}))", i + 1, infos[i].uid, infos[i].modSeq)));
    CHECK(has(c.ok("STATUS INBOX (MESSAGES HIGHESTMODSEQ)"),
              fmt::format("* STATUS \"INBOX\" (MESSAGES 3 HIGHESTMODSEQ {})", highest)));
    SECTION("every successful SELECT carries HIGHESTMODSEQ, also without CONDSTORE (3.1.2.1)") {
        ImapConn d(host);
        d.login();
        CHECK(highestOf(d.ok("EXAMINE INBOX")) == highest);
    }
}

TEST_CASE("condstore: the first CONDSTORE-enabling command while selected sends HIGHESTMODSEQ (RFC 7162 3.1)",
          "[imap][condstore]") {
    ImapHost host;
    host.deliver(msg(1));
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    auto out = c.ok("FETCH 1 (FLAGS MODSEQ)");
    CHECK(has(out, "* OK [HIGHESTMODSEQ "));
    CHECK_FALSE(has(c.ok("FETCH 1 (MODSEQ)"), "HIGHESTMODSEQ"));  // only the first time
}

TEST_CASE("condstore: FETCH (CHANGEDSINCE n) returns only what changed after n, with MODSEQ (RFC 7162 3.1.4.1)",
          "[imap][condstore]") {
    // RFC example: C: s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)
    //              S: * 1 FETCH (UID 4 MODSEQ (65402) FLAGS (\Seen))
    ImapHost host;
    for (int i = 1; i <= 4; ++i) host.deliver(msg(i));
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    std::uint64_t before = host.ctx.store->highestModSeq("rose@cesoo.com", "INBOX");
    c.ok("STORE 2 +FLAGS.SILENT (\\Seen)");
    c.ok("STORE 4 +FLAGS.SILENT (\\Flagged)");
    auto out = c.ok("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + std::to_string(before) + ")");
    CHECK(has(out, fmt::format("* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent) MODSEQ ({}))", modSeqOf(c, 2))));
    CHECK(has(out, fmt::format("* 4 FETCH (UID 4 FLAGS (\\Flagged \\Recent) MODSEQ ({}))", modSeqOf(c, 4))));
    CHECK_FALSE(has(out, "* 1 FETCH"));
    CHECK_FALSE(has(out, "* 3 FETCH"));
    // Nothing changed after the highest: no FETCH at all.
    auto none = c.ok("FETCH 1:* (FLAGS) (CHANGEDSINCE " + std::to_string(modSeqOf(c, 4)) + ")");
    CHECK_FALSE(has(none, "FETCH ("));
    CHECK(ImapConn::status(c.cmd("FETCH 1:* (FLAGS) (CHANGEDSINCE x)")) == "BAD");
    CHECK(ImapConn::status(c.cmd("FETCH 1 (FLAGS) (VANISHED)")) == "BAD");  // VANISHED: only after ENABLE QRESYNC
}

TEST_CASE("condstore: STORE (UNCHANGEDSINCE n) changes only unchanged messages and lists the others in [MODIFIED] "
          "(RFC 7162 3.1.3)", "[imap][condstore]") {
    ImapHost host;
    for (int i = 1; i <= 9; ++i) host.deliver(msg(i));
    ImapConn c(host), other(host);
    c.login();
    other.login();
    c.ok("SELECT INBOX");
    other.ok("SELECT INBOX");
    std::uint64_t seen = host.ctx.store->highestModSeq("rose@cesoo.com", "INBOX");
    // Another client changes 7 and 9 after this client read the mailbox at `seen`.
    other.ok("STORE 7,9 +FLAGS.SILENT (\\Answered)");
    // RFC example: C: d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\Deleted)
    //              S: * 5 FETCH (MODSEQ (320162350))
    //              S: d105 OK [MODIFIED 7,9] Conditional STORE failed
    auto out = c.cmd("STORE 7,5,9 (UNCHANGEDSINCE " + std::to_string(seen) + ") +FLAGS.SILENT (\\Deleted)", "d105");
    std::uint64_t five = host.ctx.store->list("rose@cesoo.com", "INBOX")[4].modSeq;
    CHECK(has(out, fmt::format("* 5 FETCH (MODSEQ ({}))\r\n", five)));
    CHECK(has(out, "d105 OK [MODIFIED 7,9] "));
    auto infos = host.ctx.store->list("rose@cesoo.com", "INBOX");
    CHECK((infos[4].flags & store::kDeleted));
    CHECK_FALSE((infos[6].flags & store::kDeleted));
    CHECK_FALSE((infos[8].flags & store::kDeleted));
    // UID STORE answers with UIDs in MODIFIED, and every FETCH has the UID:
    // C: a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\Deleted)
    auto uidOut = c.cmd("UID STORE 6,4,8 (UNCHANGEDSINCE " + std::to_string(seen) + ") +FLAGS.SILENT (\\Deleted)");
    CHECK(has(uidOut, "* 4 FETCH (UID 4 MODSEQ ("));
    CHECK(has(uidOut, "* 6 FETCH (UID 6 MODSEQ ("));
    CHECK(has(uidOut, "* 8 FETCH (UID 8 MODSEQ ("));
    CHECK(has(uidOut, "OK STORE completed"));
    // UNCHANGEDSINCE 0 always fails (3.1.3).
    CHECK(has(c.cmd("UID STORE 1 (UNCHANGEDSINCE 0) +FLAGS (\\Seen)"), "OK [MODIFIED 1]"));
    CHECK(ImapConn::status(c.cmd("STORE 1 (UNCHANGEDSINCE) +FLAGS (\\Seen)")) == "BAD");
    // The other session hears of the changes with MODSEQ once it has CONDSTORE on.
    other.ok("ENABLE CONDSTORE");
    auto news = other.ok("NOOP");
    CHECK(has(news, fmt::format("* 5 FETCH (FLAGS (\\Deleted) MODSEQ ({}))", five)));
}

TEST_CASE("condstore: SEARCH MODSEQ, with the highest MODSEQ of the matches (RFC 7162 3.1.5, ESEARCH 3.1.10)",
          "[imap][condstore]") {
    ImapHost host;
    for (int i = 1; i <= 5; ++i) host.deliver(msg(i));
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    std::uint64_t base = host.ctx.store->highestModSeq("rose@cesoo.com", "INBOX");
    c.ok("STORE 2,4 +FLAGS.SILENT (\\Draft)");
    std::uint64_t top = host.ctx.store->highestModSeq("rose@cesoo.com", "INBOX");
    // RFC example: C: a SEARCH MODSEQ "/flags/\\draft" all 620162338
    //              S: * SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)
    auto out = c.ok("SEARCH MODSEQ \"/flags/\\\\draft\" all " + std::to_string(base + 1));
    CHECK(has(out, fmt::format("* SEARCH 2 4 (MODSEQ {})\r\n", top)));
    CHECK(has(c.ok("SEARCH OR NOT MODSEQ 1 FLAGGED MODSEQ 99999"), "* SEARCH\r\n"));  // nothing: no (MODSEQ)
    auto es = c.ok("UID SEARCH RETURN (ALL) MODSEQ " + std::to_string(base + 1));
    CHECK(has(es, fmt::format(") UID ALL 2,4 MODSEQ {}\r\n", top)));
    CHECK(ImapConn::status(c.cmd("SEARCH MODSEQ \"/flags/\\\\draft\" nobody 5")) == "BAD");
}

TEST_CASE("condstore: a MODSEQ key inside parentheses, OR or NOT enables CONDSTORE as well (RFC 7162 3.1.5)",
          "[imap][condstore]") {
    ImapHost host;
    for (int i = 1; i <= 5; ++i) host.deliver(msg(i));
    const std::uint64_t base = host.ctx.store->highestModSeq("rose@cesoo.com", "INBOX");
    {
        ImapConn setup(host);
        setup.login();
        setup.ok("SELECT INBOX");
        setup.ok("STORE 2,4 +FLAGS.SILENT (\\Draft)");
    }
    const std::uint64_t top = host.ctx.store->highestModSeq("rose@cesoo.com", "INBOX");
    const std::string since = std::to_string(base + 1);
    // Every search below matches 2 and 4 through a MODSEQ key that is not at the top level of the command.
    for (const std::string& key : {"(MODSEQ " + since + ")", "((MODSEQ " + since + "))", "(MODSEQ " + since + ") DRAFT",
                                  "OR (MODSEQ " + since + ") (DELETED)", "NOT (NOT (MODSEQ " + since + "))",
                                  "(OR DELETED (NOT (NOT (MODSEQ \"/flags/\\\\draft\" all " + since + "))))"}) {
        INFO("SEARCH " << key);
        ImapConn c(host);  // a session in which CONDSTORE is not enabled yet
        c.login();
        c.ok("SELECT INBOX");
        auto out = c.ok("SEARCH " + key);
        // "a SEARCH with MODSEQ enables CONDSTORE": the first enabling command while selected sends HIGHESTMODSEQ
        // (3.1), and the response ends with the highest MODSEQ of the matches (3.1.5).
        CHECK(has(out, fmt::format("* SEARCH 2 4 (MODSEQ {})\r\n", top)));
        CHECK(has(out, fmt::format("* OK [HIGHESTMODSEQ {}]", top)));
    }
    // A search without MODSEQ anywhere leaves CONDSTORE off: no (MODSEQ) and no HIGHESTMODSEQ.
    ImapConn plain(host);
    plain.login();
    plain.ok("SELECT INBOX");
    auto out = plain.ok("SEARCH (OR DELETED (NOT (NOT DRAFT)))");
    CHECK(has(out, "* SEARCH 2 4\r\n"));
    CHECK_FALSE(has(out, "MODSEQ"));
}

TEST_CASE("qresync: ENABLE QRESYNC, SELECT (QRESYNC ...) gives VANISHED (EARLIER) and the changed flags in one "
          "round trip (RFC 7162 3.2.5)", "[imap][qresync]") {
    ImapHost host;
    for (int i = 1; i <= 12; ++i) host.deliver(msg(i));
    ImapConn phone(host);
    phone.login();
    auto sel = phone.ok("SELECT INBOX");
    std::uint64_t known = highestOf(sel);
    std::uint32_t validity = host.ctx.store->uidValidity("rose@cesoo.com", "INBOX");
    phone.ok("LOGOUT");
    // While the phone is away, the laptop reads, flags and expunges.
    ImapConn laptop(host);
    laptop.login();
    laptop.ok("SELECT INBOX");
    laptop.ok("STORE 3 +FLAGS (\\Seen \\Answered)");
    laptop.ok("STORE 2,5,6,11 +FLAGS.SILENT (\\Deleted)");
    laptop.ok("EXPUNGE");
    host.deliver(msg(13));

    ImapConn back(host);
    back.login();
    CHECK(ImapConn::status(back.cmd(fmt::format("SELECT INBOX (QRESYNC ({} {}))", validity, known))) == "BAD");
    CHECK(has(back.ok("ENABLE QRESYNC"), "* ENABLED QRESYNC\r\n"));
    // RFC example: C: A03 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))
    //              S: * OK [HIGHESTMODSEQ ...]  * VANISHED (EARLIER) 41,43:116,118,120:211,214:540
    //              S: * 49 FETCH (UID 117 FLAGS (\Seen \Answered) MODSEQ (...))
    auto out = back.ok(fmt::format("SELECT INBOX (QRESYNC ({} {} 1:12))", validity, known), "A03");
    CHECK(has(out, "* 9 EXISTS\r\n"));
    CHECK(has(out, "* VANISHED (EARLIER) 2,5:6,11\r\n"));
    CHECK(has(out, fmt::format("* 2 FETCH (UID 3 FLAGS (\\Seen \\Answered) MODSEQ ({}))", modSeqOf(back, 3))));
    CHECK_FALSE(has(out, "UID 13 FLAGS"));  // a new message is not a known UID: EXISTS and UIDNEXT tell of it
    CHECK(out.find("[HIGHESTMODSEQ") < out.find("VANISHED"));
    CHECK(out.find("VANISHED") < out.find("FETCH"));
    CHECK(has(out, "A03 OK [READ-WRITE]"));
    SECTION("known-uids narrows the answer") {
        auto narrow = back.ok(fmt::format("EXAMINE INBOX (QRESYNC ({} {} 5:8))", validity, known));
        CHECK(has(narrow, "* OK [CLOSED]"));  // the INBOX selected before is closed first (3.2.11)
        CHECK(has(narrow, "* VANISHED (EARLIER) 5:6\r\n"));
        CHECK_FALSE(has(narrow, "UID 3 FLAGS"));
    }
    SECTION("another UIDVALIDITY: no VANISHED, no FETCH, the client must resynchronise fully") {
        auto other = back.ok(fmt::format("EXAMINE INBOX (QRESYNC ({} {}))", validity + 1, known));
        CHECK_FALSE(has(other, "VANISHED"));
        CHECK_FALSE(has(other, "FETCH"));
    }
    SECTION("UID FETCH ... (CHANGEDSINCE n VANISHED) (3.2.6)") {
        // RFC example: C: A05 UID FETCH 1:* (FLAGS) (CHANGEDSINCE ... VANISHED)  S: * VANISHED (EARLIER) ...
        auto f = back.ok(fmt::format("UID FETCH 1:* (FLAGS) (CHANGEDSINCE {} VANISHED)", known));
        CHECK(has(f, "* VANISHED (EARLIER) 2,5:6,11\r\n"));
        CHECK(has(f, "UID 3 FLAGS (\\Seen \\Answered) MODSEQ"));
        CHECK(has(f, "UID 13 FLAGS"));  // new since `known`
        CHECK(f.find("VANISHED") < f.find("FETCH"));
        CHECK(ImapConn::status(back.cmd(fmt::format("FETCH 1:* (FLAGS) (CHANGEDSINCE {} VANISHED)", known))) ==
              "BAD");  // VANISHED only with UID FETCH
    }
    SECTION("once QRESYNC is on, expunges are VANISHED, not EXPUNGE (3.2.10)") {
        back.ok("STORE 1 +FLAGS.SILENT (\\Deleted)");
        auto x = back.ok("EXPUNGE");
        CHECK(has(x, "* VANISHED 1\r\n"));
        CHECK_FALSE(has(x, "EXPUNGE\r\n"));
        laptop.ok("NOOP");
        laptop.ok("STORE 1:2 +FLAGS.SILENT (\\Deleted)");  // UIDs 3 and 4 in the laptop's view
        laptop.ok("EXPUNGE");
        auto n = back.ok("NOOP");
        CHECK(has(n, "* VANISHED 3:4\r\n"));
    }
}

TEST_CASE("qresync: seq-match data limits the VANISHED fallback when the store forgot the expunges (RFC 7162 "
          "3.2.5.2)", "[imap][qresync]") {
    // A store that remembers no expunges (the MailStore default): the server reports every known UID it cannot see.
    Forgetful forgetful;
    ImapHost host(&forgetful);
    for (int i = 1; i <= 10; ++i) host.deliver(msg(i));
    std::uint32_t validity = forgetful.uidValidity("rose@cesoo.com", "INBOX");
    std::uint64_t known = forgetful.highestModSeq("rose@cesoo.com", "INBOX");
    std::uint32_t gone[] = {3, 8};
    REQUIRE(forgetful.removeMany("rose@cesoo.com", "INBOX", gone));
    ImapConn c(host);
    c.login();
    c.ok("ENABLE QRESYNC");
    auto all = c.ok(fmt::format("EXAMINE INBOX (QRESYNC ({} {} 1:10))", validity, known));
    CHECK(has(all, "* VANISHED (EARLIER) 3,8\r\n"));
    // The client says its message 2 is UID 2 and its message 6 is UID 7 (it knew 3 was gone): 6 -> 7 still holds
    // here, so nothing below UID 7 needs reporting.
    auto matched = c.ok(fmt::format("EXAMINE INBOX (QRESYNC ({} {} 1:10 (2,6 2,7)))", validity, known));
    CHECK(has(matched, "* VANISHED (EARLIER) 8\r\n"));
}

TEST_CASE("qresync: the new command syntax is read the same whole and byte by byte", "[imap][qresync]") {
    auto run = [](bool byteByByte) {
        ImapHost host;
        for (int i = 1; i <= 4; ++i) host.deliver(msg(i));
        std::uint32_t gone[] = {2};
        REQUIRE(host.ctx.store->removeMany("rose@cesoo.com", "INBOX", gone));
        ImapConn c(host);
        c.login();
        c.ok("ENABLE QRESYNC");
        std::string out;
        for (std::string line : {"s1 SELECT INBOX (QRESYNC (1 2 1:4 (1,2 1,3)))\r\n",
                                 "s2 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)\r\n",
                                 "s3 UID STORE 1 (UNCHANGEDSINCE 99) +FLAGS.SILENT (\\Seen)\r\n",
                                 "s4 SEARCH MODSEQ \"/flags/\\\\seen\" priv 2\r\n"}) {
            if (!byteByByte) {
                out += c.raw(line);
                continue;
            }
            for (char ch : line) out += c.raw(std::string(1, ch));
        }
        return out;
    };
    std::string whole = run(false);
    CHECK(has(whole, "* VANISHED (EARLIER) 2\r\n"));
    CHECK(has(whole, "s3 OK STORE completed"));
    CHECK(has(whole, "s4 OK"));
    CHECK(run(true) == whole);
}

TEST_CASE("condstore: a store without mod-sequences gives NOMODSEQ (RFC 7162 3.1.2.2)", "[imap][condstore]") {
    Forgetful store;
    store.noModSeq = true;
    ImapHost host(&store);
    host.deliver(msg(1));
    ImapConn c(host);
    c.login();
    auto out = c.ok("SELECT INBOX (CONDSTORE)");
    CHECK(has(out, "* OK [NOMODSEQ] "));
    CHECK_FALSE(has(out, "HIGHESTMODSEQ"));
}
