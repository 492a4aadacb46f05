// IMAP server conformance (issue #17): behaviours a third-party RFC 3501 conformance run found wrong, each written
// from the RFC text: SENT* dates, flags across sessions, messages expunged by another session, '[' in names, long
// command lines, LSUB's \Noselect parents, SEARCH FROM/TO/TEXT, LIST "INBOX" *, \NonExistent.
#include "ImapTestHarness.hpp"

using namespace mailsim;
using namespace mailsim::test;

namespace {

std::string msgWithDate(const std::string& date, const std::string& subject) {
    return "From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: " + subject + "\r\nDate: " + date +
           "\r\n\r\nbody\r\n";
}

bool has(const std::string& out, const std::string& what) { return out.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("imap conformance: SENTON/SENTBEFORE/SENTSINCE use the Date: header's own calendar date (RFC 3501 6.4.4)",
          "[imap][conformance]") {
    ImapHost host;
    // 23:30 on 4 March in California is 07:30 on 5 March in UTC: the sender's date is the 4th.
    host.deliver(msgWithDate("Mon, 4 Mar 2024 23:30:00 -0800", "late"));
    // 01:00 on 5 March in Tokyo is 16:00 on 4 March in UTC: the sender's date is the 5th.
    host.deliver(msgWithDate("Tue, 5 Mar 2024 01:00:00 +0900", "early"));
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    CHECK(has(c.ok("SEARCH SENTON 4-Mar-2024"), "* SEARCH 1\r\n"));
    CHECK(has(c.ok("SEARCH SENTON 5-Mar-2024"), "* SEARCH 2\r\n"));
    CHECK(has(c.ok("SEARCH SENTBEFORE 5-Mar-2024"), "* SEARCH 1\r\n"));
    CHECK(has(c.ok("SEARCH SENTSINCE 5-Mar-2024"), "* SEARCH 2\r\n"));
    CHECK(has(c.ok("SEARCH SENTSINCE 4-Mar-2024"), "* SEARCH 1 2\r\n"));
    CHECK(has(c.ok("SEARCH SENTBEFORE 4-Mar-2024"), "* SEARCH\r\n"));
}

TEST_CASE("imap conformance: a flag set by one session is not overwritten by another's STORE (two sessions)",
          "[imap][conformance]") {
    ImapHost host;
    host.deliver(msgWithDate("Mon, 4 Mar 2024 09:00:00 +0000", "one"));
    ImapConn a(host), b(host);
    a.login();
    b.login();
    a.ok("SELECT INBOX");
    b.ok("SELECT INBOX");
    a.ok("STORE 1 +FLAGS (\\Flagged \\Answered)");
    // b has not seen a's change (no NOOP in between): its +FLAGS / -FLAGS must still apply to the stored flags.
    auto out = b.ok("STORE 1 +FLAGS (\\Seen)");
    CHECK(has(out, "\\Flagged"));
    CHECK(has(out, "\\Seen"));
    b.ok("STORE 1 -FLAGS (\\Answered)");
    a.ok("STORE 1 +FLAGS (\\Draft)");
    ImapConn c(host);
    c.login();
    c.ok("EXAMINE INBOX");
    auto flags = c.ok("FETCH 1 FLAGS");
    CHECK(has(flags, "\\Seen"));
    CHECK(has(flags, "\\Flagged"));
    CHECK(has(flags, "\\Draft"));
    CHECK_FALSE(has(flags, "\\Answered"));
    // A body fetch that sets \Seen keeps the flags another session set meanwhile.
    ImapHost host2;
    host2.deliver(msgWithDate("Mon, 4 Mar 2024 09:00:00 +0000", "two"));
    ImapConn d(host2), e(host2);
    d.login();
    e.login();
    d.ok("SELECT INBOX");
    e.ok("SELECT INBOX");
    d.ok("STORE 1 +FLAGS (\\Flagged)");
    auto fetched = e.ok("FETCH 1 (BODY[TEXT] FLAGS)");
    CHECK(has(fetched, "FLAGS (\\Seen \\Flagged"));
    REQUIRE(host2.ctx.store->list("rose@cesoo.com", "INBOX").front().flags == (store::kSeen | store::kFlagged));
}

TEST_CASE("imap conformance: messages expunged by another session are never answered with silence "
          "(RFC 3501 5.2, RFC 2180 4.1, RFC 5530 EXPUNGEISSUED)", "[imap][conformance]") {
    ImapHost host;
    for (const char* s : {"one", "two", "three"}) host.deliver(msgWithDate("Mon, 4 Mar 2024 09:00:00 +0000", s));
    ImapConn a(host), b(host);
    a.login();
    b.login();
    a.ok("CREATE Archive");
    a.ok("SELECT INBOX");
    b.ok("SELECT INBOX");
    b.ok("STORE 2 +FLAGS (\\Deleted)");
    b.ok("EXPUNGE");
    // a still numbers three messages; the second is gone from the store.
    auto search = a.ok("SEARCH ALL");
    CHECK(has(search, "* SEARCH 1 3\r\n"));
    CHECK(has(search, " OK [EXPUNGEISSUED]"));
    auto fetchOne = a.cmd("FETCH 2 (FLAGS)");
    CHECK(ImapConn::status(fetchOne) == "NO");
    CHECK(has(fetchOne, "NO [EXPUNGEISSUED]"));
    auto fetchAll = a.cmd("FETCH 1:3 (UID)");
    CHECK(has(fetchAll, "* 1 FETCH (UID 1)"));
    CHECK(has(fetchAll, "* 3 FETCH (UID 3)"));
    CHECK(has(fetchAll, "NO [EXPUNGEISSUED]"));
    CHECK_FALSE(has(fetchAll, "EXPUNGE\r\n"));  // RFC 3501 7.4.1: no * n EXPUNGE during FETCH
    CHECK(has(a.cmd("STORE 2 +FLAGS (\\Flagged)"), "NO [EXPUNGEISSUED]"));
    auto copy = a.cmd("COPY 1:3 Archive");
    CHECK(has(copy, "NO [EXPUNGEISSUED]"));
    CHECK(host.ctx.store->list("rose@cesoo.com", "Archive").empty());  // nothing copied (RFC 2180 4.4.1)
    CHECK(has(a.ok("NOOP"), "* 2 EXPUNGE\r\n"));
    auto after = a.ok("SEARCH ALL");
    CHECK(has(after, "* SEARCH 1 2\r\n"));
    CHECK_FALSE(has(after, "EXPUNGEISSUED"));
}

TEST_CASE("imap conformance: '[' in a mailbox name or LIST pattern is an atom character; it opens a section only "
          "in FETCH body items", "[imap][conformance]") {
    auto t = tokenize("[Gmail]/Sent [abc x] BODY.PEEK[HEADER.FIELDS (From)] body[text]<0.10>");
    REQUIRE_FALSE(t.error);
    REQUIRE(t.tokens.size() == 5);
    CHECK(t.tokens[0].text == "[Gmail]/Sent");
    CHECK(t.tokens[1].text == "[abc");
    CHECK(t.tokens[2].text == "x]");
    CHECK(t.tokens[3].text == "BODY.PEEK[HEADER.FIELDS (From)]");
    CHECK(t.tokens[4].text == "body[text]<0.10>");
    ImapHost host;
    host.deliver(msgWithDate("Mon, 4 Mar 2024 09:00:00 +0000", "one"));
    ImapConn c(host);
    c.login();
    c.ok("CREATE [Gmail]/Sent");
    c.ok("CREATE [abc");
    CHECK(has(c.ok("LIST \"\" [Gmail]/*"), "* LIST (\\HasNoChildren) \"/\" \"[Gmail]/Sent\""));
    CHECK(has(c.ok("LIST \"\" [a%"), "\"[abc\""));
    c.ok("SELECT [Gmail]/Sent");
    c.ok("SELECT INBOX");
    CHECK(has(c.ok("FETCH 1 BODY.PEEK[HEADER.FIELDS (Subject)]"), "Subject: one"));
}

TEST_CASE("imap conformance: command lines up to 64 KiB (a 32 KB ID, a long UID set); longer ones refused",
          "[imap][conformance]") {
    ImapHost host;
    for (int i = 0; i < 3; ++i) host.deliver(msgWithDate("Mon, 4 Mar 2024 09:00:00 +0000", "m"));
    ImapConn c(host);
    std::string params = "(";
    for (int i = 0; params.size() < 32 * 1024; ++i)
        params += "\"key" + std::to_string(i) + "\" \"" + std::string(40, 'v') + "\" ";
    params.back() = ')';
    REQUIRE(params.size() > 32 * 1024);
    CHECK(has(c.ok("ID " + params), "* ID ("));
    c.login();
    c.ok("SELECT INBOX");
    std::string set = "1";
    for (std::uint32_t n = 3; set.size() < 40 * 1024; n += 2) set += "," + std::to_string(n);
    auto fetched = c.ok("UID FETCH " + set + " (FLAGS)");
    CHECK(has(fetched, "* 1 FETCH (UID 1 "));
    CHECK(has(fetched, "* 3 FETCH (UID 3 "));
    CHECK_FALSE(has(fetched, "* 2 FETCH"));
    CHECK(has(c.ok("UID SEARCH UID " + set), "* SEARCH 1 3\r\n"));
    CHECK(has(c.ok("SEARCH NOT " + set), "* SEARCH 2\r\n"));
    auto tooLong = c.raw("x NOOP " + std::string(70 * 1024, 'a') + "\r\n");
    CHECK(tooLong.starts_with("x BAD command line too long (limit 65536 octets)"));
    c.ok("NOOP");  // the session goes on
}

TEST_CASE("imap conformance: LSUB with % returns an unsubscribed parent of a subscribed child as \\Noselect "
          "(RFC 3501 6.3.9)", "[imap][conformance]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    c.ok("CREATE Work/Projects");
    c.ok("SUBSCRIBE Work/Projects");
    c.ok("SUBSCRIBE Gone");  // subscribed, never created
    auto pct = c.ok("LSUB \"\" %");
    CHECK(has(pct, "* LSUB (\\Noselect) \"/\" \"Work\"\r\n"));
    CHECK_FALSE(has(pct, "Work/Projects"));
    CHECK(has(pct, "* LSUB (\\Noselect) \"/\" \"Gone\"\r\n"));  // \NonExistent only with LIST-EXTENDED
    auto star = c.ok("LSUB \"\" *");
    CHECK(has(star, "\"Work/Projects\""));
    CHECK_FALSE(has(star, "\"Work\"\r\n"));
    CHECK_FALSE(has(star, "\\NonExistent"));
    CHECK(has(c.ok("LSUB \"Work/\" %"), "\"Work/Projects\""));
}

TEST_CASE("imap conformance: SEARCH FROM/TO find addresses written with comments; TEXT reads MIME part headers",
          "[imap][conformance]") {
    ImapHost host;
    host.deliver("From: \"Mike\" <mike(the boss)@cesoo.com>\r\nTo: rose@(office)cesoo.com\r\nSubject: a\r\n\r\nhi\r\n");
    host.deliver("From: ann@example.org\r\nTo: rose@cesoo.com\r\nSubject: report\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n"
                 "--b\r\nContent-Type: application/pdf\r\n"
                 "Content-Disposition: attachment; filename=\"budget-2024.pdf\"\r\n"
                 "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n");
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    CHECK(has(c.ok("SEARCH FROM mike@cesoo.com"), "* SEARCH 1\r\n"));
    CHECK(has(c.ok("SEARCH FROM \"the boss\""), "* SEARCH 1\r\n"));  // the field as written still counts
    CHECK(has(c.ok("SEARCH TO rose@cesoo.com"), "* SEARCH 1 2\r\n"));
    CHECK(has(c.ok("SEARCH TEXT budget-2024"), "* SEARCH 2\r\n"));
    CHECK(has(c.ok("SEARCH BODY budget-2024"), "* SEARCH\r\n"));  // BODY is the body only
}

TEST_CASE("imap conformance: LIST \"INBOX\" * lists INBOX and below it (reference and pattern concatenated)",
          "[imap][conformance]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    c.ok("CREATE INBOX/Old");
    c.ok("CREATE Work");
    auto out = c.ok("LIST \"INBOX\" *");
    CHECK(has(out, "* LIST (\\HasChildren) \"/\" \"INBOX\"\r\n"));
    CHECK(has(out, "\"INBOX/Old\""));
    CHECK_FALSE(has(out, "\"Work\""));
    auto below = c.ok("LIST \"INBOX/\" %");
    CHECK(has(below, "\"INBOX/Old\""));
    CHECK_FALSE(has(below, "\"INBOX\"\r\n"));
    CHECK(has(c.ok("LIST \"\" inbox"), "\"INBOX\""));
}

TEST_CASE("imap conformance: a hierarchy level that is no mailbox is listed by % as \\Noselect, never \\NonExistent "
          "in the base LIST", "[imap][conformance]") {
    ImapHost host;
    REQUIRE(host.ctx.store->createFolder("rose@cesoo.com", "bar.baz"));  // made outside IMAP: no "bar" mailbox
    ImapConn c(host);
    c.login();
    auto out = c.ok("LIST \"\" %");
    CHECK(has(out, "* LIST (\\Noselect \\HasChildren) \"/\" \"bar\"\r\n"));
    CHECK_FALSE(has(out, "\\NonExistent"));
    auto star = c.ok("LIST \"\" *");
    CHECK(has(star, "\"bar/baz\""));
    CHECK_FALSE(has(star, "\"bar\"\r\n"));
}

TEST_CASE("imap conformance: DELETE + CREATE gives a new UIDVALIDITY (RFC 3501 2.3.1.1), memory store",
          "[imap][conformance]") {
    // The Maildir variant (same second) is in test_imap_store.cpp, hidden until the indexed store is merged.
    ImapHost host;
    ImapConn c(host);
    c.login();
    c.ok("CREATE Work");
    auto first = c.ok("SELECT Work");
    c.ok("DELETE Work");
    c.ok("CREATE Work");
    auto second = c.ok("SELECT Work");
    auto validity = [](const std::string& out) {
        auto at = out.find("[UIDVALIDITY ");
        REQUIRE(at != std::string::npos);
        return out.substr(at, out.find(']', at) - at);
    };
    CHECK(validity(first) != validity(second));
}
