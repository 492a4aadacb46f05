// IMAP at the protocol level over the Maildir store (issue #17): what two sessions, or a DELETE and a CREATE, do to
// flags and UIDVALIDITY when the mail lives on disk in the indexed Maildir store (issue #16).

#include "TempDir.hpp"
#include "ImapTestHarness.hpp"

#include "maildir/MaildirStore.hpp"

#include <cstdlib>
#include <optional>
#include <filesystem>

namespace fs = std::filesystem;
using namespace mailsim;
using namespace mailsim::test;

namespace {

std::string uidValidityOf(const std::string& selectReply) {
    auto at = selectReply.find("[UIDVALIDITY ");
    REQUIRE(at != std::string::npos);
    return selectReply.substr(at + 13, selectReply.find(']', at) - at - 13);
}

}  // namespace

TEST_CASE("imap over maildir: two sessions' flag changes both survive", "[imap][maildir]") {
    TempDir dir;
    store::MaildirStore maildir(dir.path.string());
    ImapHost host(&maildir);
    host.deliver("From: mike@cesoo.com\r\nSubject: one\r\n\r\nbody\r\n");
    ImapConn a(host), b(host);
    a.login();
    b.login();
    a.ok("SELECT INBOX");
    b.ok("SELECT INBOX");
    a.ok("STORE 1 +FLAGS (\\Flagged)");
    b.ok("STORE 1 +FLAGS (\\Seen)");  // b never saw a's change
    store::MaildirStore reopened(dir.path.string());
    auto msgs = reopened.list("rose@cesoo.com", "INBOX");
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].flags == (store::kSeen | store::kFlagged));
}

TEST_CASE("imap over maildir: UIDVALIDITY changes after DELETE + CREATE within one second (needs store index)",
          "[imap][maildir][needs-store-index]") {
    TempDir dir;
    store::MaildirStore maildir(dir.path.string());
    ImapHost host(&maildir);
    ImapConn c(host);
    c.login();
    c.ok("CREATE Work");
    std::string first = uidValidityOf(c.ok("SELECT Work"));
    c.ok("UNSELECT");
    c.ok("DELETE Work");
    c.ok("CREATE Work");
    std::string second = uidValidityOf(c.ok("SELECT Work"));
    CHECK(first != second);  // RFC 3501 2.3.1.1: UIDs of the old Work must not be taken for the new one's
}

// Issue #17: "Custom keywords are accepted but not kept (Thunderbird's tags are keywords)". A keyword set by one
// session is in the Maildir file's name (Dovecot's letter), shown to another session at its next command, survives a
// restart, and PERMANENTFLAGS says keywords may be created (\*).
TEST_CASE("imap over maildir: keywords are kept, shared between sessions and restarts", "[imap][maildir][keywords]") {
    TempDir dir;
    {
        store::MaildirStore maildir(dir.path.string());
        ImapHost host(&maildir);
        host.deliver("From: mike@cesoo.com\r\nSubject: one\r\n\r\nbody\r\n");
        host.deliver("From: mike@cesoo.com\r\nSubject: two\r\n\r\nbody\r\n");
        ImapConn a(host), b(host);
        a.login();
        b.login();
        auto sel = a.ok("SELECT INBOX");
        CHECK(sel.find("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)]") != std::string::npos);
        b.ok("SELECT INBOX");
        auto st = a.ok("STORE 1 +FLAGS ($label1 Work)");
        CHECK(st.find("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $label1 Work)\r\n") != std::string::npos);
        CHECK(st.find("* 1 FETCH (FLAGS ($label1 Work \\Recent))") != std::string::npos);  // a took \Recent
        auto seen = b.ok("NOOP");  // the other session learns the change (RFC 3501 7.4.2)
        CHECK(seen.find("* 1 FETCH (FLAGS ($label1 Work))") != std::string::npos);
        CHECK(b.ok("SEARCH KEYWORD work").find("* SEARCH 1\r\n") != std::string::npos);  // keywords ignore case
        CHECK(b.ok("SEARCH UNKEYWORD Work").find("* SEARCH 2\r\n") != std::string::npos);
        b.ok("STORE 1 -FLAGS (WORK)");
        CHECK(a.ok("FETCH 1 FLAGS").find("* 1 FETCH (FLAGS ($label1 \\Recent))") != std::string::npos);
        CHECK(ImapConn::status(a.cmd("STORE 1 +FLAGS (bad*keyword)")) == "BAD");
        CHECK(ImapConn::status(a.cmd("STORE 1 +FLAGS (\\Unknown)")) == "BAD");
        a.ok("APPEND INBOX ($Junk \\Seen) {21}\r\nSubject: three\r\n\r\nx\r\n");
    }
    store::MaildirStore reopened(dir.path.string());
    auto msgs = reopened.list("rose@cesoo.com", "INBOX");
    REQUIRE(msgs.size() == 3);
    CHECK(msgs[0].keywords == std::vector<std::string>{"$label1"});
    CHECK(msgs[1].keywords.empty());
    CHECK(msgs[2].keywords == std::vector<std::string>{"$Junk"});
    CHECK(msgs[2].flags == store::kSeen);
    ImapHost host(&reopened);
    ImapConn c(host);
    c.login();
    auto sel = c.ok("SELECT INBOX");
    CHECK(sel.find("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $label1 Work $Junk)") != std::string::npos);
    CHECK(c.ok("FETCH 1:3 FLAGS").find("* 3 FETCH (FLAGS (\\Seen $Junk \\Recent))") != std::string::npos);
}

// A Maildir names keywords by the letters a-z (Dovecot's convention): the 27th gets NO [LIMIT], nothing changes.
TEST_CASE("imap over maildir: the 27th keyword of a folder is refused with NO [LIMIT]", "[imap][maildir][keywords]") {
    TempDir dir;
    store::MaildirStore maildir(dir.path.string());
    ImapHost host(&maildir);
    host.deliver("From: mike@cesoo.com\r\nSubject: one\r\n\r\nbody\r\n");
    ImapConn a(host);
    a.login();
    a.ok("SELECT INBOX");
    for (int i = 0; i < 26; ++i) a.ok("STORE 1 +FLAGS.SILENT (k" + std::to_string(i) + ")");
    auto out = a.cmd("STORE 1 +FLAGS (k26)");
    CHECK(ImapConn::status(out) == "NO");
    CHECK(out.find("[LIMIT]") != std::string::npos);
    CHECK(a.ok("FETCH 1 FLAGS").find("k26") == std::string::npos);
}

namespace {

// "* 3 EXISTS" -> 3 (nullopt when the response is missing); "[UNSEEN 2]" -> 2; "[HIGHESTMODSEQ 9]" -> 9.
std::optional<std::uint64_t> untaggedNumber(const std::string& reply, const std::string& word) {
    for (std::size_t at = reply.find("* "); at != std::string::npos; at = reply.find("\r\n* ", at + 1)) {
        std::size_t start = reply[at] == '*' ? at + 2 : at + 4;
        std::size_t sp = reply.find(' ', start);
        if (sp != std::string::npos && reply.compare(sp + 1, word.size() + 2, word + "\r\n") == 0)
            return std::stoull(reply.substr(start, sp - start));
    }
    return std::nullopt;
}
std::optional<std::uint64_t> codeNumber(const std::string& reply, const std::string& code) {
    auto at = reply.find("[" + code + " ");
    if (at == std::string::npos) return std::nullopt;
    return std::stoull(reply.substr(at + code.size() + 2));
}

}  // namespace

// SELECT takes EXISTS, RECENT, UNSEEN and HIGHESTMODSEQ from the store's shared snapshot (figures computed when the
// snapshot was built, no walk over the messages): they must follow every kind of change another session makes.
TEST_CASE("imap over maildir: SELECT's counts follow deliveries, flag changes and expunges", "[imap][maildir][select]") {
    TempDir dir;
    store::MaildirStore maildir(dir.path.string());
    ImapHost host(&maildir);
    for (int i = 1; i <= 3; ++i) host.deliver("From: mike@cesoo.com\r\nSubject: " + std::to_string(i) + "\r\n\r\nbody\r\n");
    const std::string user = "rose@cesoo.com";
    ImapConn a(host), b(host);
    a.login();
    b.login();
    auto check = [&](const std::string& reply, std::uint64_t exists, std::uint64_t recent,
                     std::optional<std::uint64_t> unseen) {
        INFO(reply);
        CHECK(untaggedNumber(reply, "EXISTS") == exists);
        CHECK(untaggedNumber(reply, "RECENT") == recent);
        CHECK(codeNumber(reply, "UNSEEN") == unseen);
        CHECK(codeNumber(reply, "HIGHESTMODSEQ") == maildir.highestModSeq(user, "INBOX"));
    };
    check(a.ok("SELECT INBOX"), 3, 3, 1);  // a takes \Recent of all three
    check(b.ok("EXAMINE INBOX"), 3, 0, 1);

    b.ok("SELECT INBOX");
    b.ok("STORE 1 +FLAGS (\\Seen)");  // a flag change
    check(a.ok("SELECT INBOX"), 3, 0, 2);

    host.deliver("From: mike@cesoo.com\r\nSubject: 4\r\n\r\nbody\r\n");  // a delivery
    check(a.ok("EXAMINE INBOX"), 4, 1, 2);  // EXAMINE does not take \Recent
    CHECK(a.ok("FETCH 4 (FLAGS)").find("* 4 FETCH (FLAGS (\\Recent))") != std::string::npos);

    b.ok("STORE 2 +FLAGS (\\Deleted)");  // b's poll after it takes \Recent of uid 4 (b is read-write)
    b.ok("EXPUNGE");  // an expunge: uid 3 becomes message 2
    check(a.ok("SELECT INBOX"), 3, 0, 2);
    CHECK(a.ok("FETCH 1:* (UID)").find("* 2 FETCH (UID 3)") != std::string::npos);

    b.ok("STORE 1:* +FLAGS (\\Seen)");  // all seen: no UNSEEN response (RFC 3501 7.1)
    check(a.ok("SELECT INBOX"), 3, 0, std::nullopt);

    a.ok("STORE 2 -FLAGS (\\Seen)");  // the session's own change, then a SELECT of the same mailbox
    check(a.ok("SELECT INBOX"), 3, 0, 2);
    store::MaildirStore reopened(dir.path.string());  // a restarted server builds its snapshot from the index
    ImapHost again(&reopened);
    ImapConn c(again);
    c.login();
    check(c.ok("EXAMINE INBOX"), 3, 3, 2);
}
