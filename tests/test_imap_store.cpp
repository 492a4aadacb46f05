// IMAP at the protocol level over the Maildir store (issue #17): what two sessions, or a DELETE and a CREATE, do to
// flags and UIDVALIDITY when the mail lives on disk in the indexed Maildir store (issue #16).

#include "ImapTestHarness.hpp"

#include "maildir/MaildirStore.hpp"

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;
using namespace mailsim;
using namespace mailsim::test;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "mailsim-imap-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

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
