// IMAP at the protocol level over the Maildir store (issue #17): what two sessions, or a DELETE and a CREATE, do to
// flags and UIDVALIDITY when the mail lives on disk in the indexed Maildir store (issue #16).

#include "TempDir.hpp"
#include "ImapTestHarness.hpp"

#include "maildir/MaildirStore.hpp"

#include <cstdlib>
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
