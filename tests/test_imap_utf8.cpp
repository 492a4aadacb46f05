// IMAP UTF8=ACCEPT (RFC 6855): ENABLE, UTF-8 mailbox names both ways (the store keeps modified UTF-7, RFC 3501
// 5.1.3), UTF-8 quoted strings, the UTF8 APPEND data item, SEARCH without CHARSET; and what a client that did not
// enable it sees.
#include "ImapTestHarness.hpp"

#include "imap/ImapReplies.hpp"
#include "imap/ImapSyntax.hpp"
#include "message/Downgrade.hpp"
#include "message/HeaderText.hpp"
#include "message/MimeMessage.hpp"

#include <fmt/format.h>

#include <random>

using namespace mailsim;
using namespace mailsim::test;

namespace {

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// A message with raw UTF-8 in its header (RFC 6532 3.2), as Zhang San's client writes it.
const std::string kZhangMail = "From: =?UTF-8?B?5byg5LiJ?= <张三@cesoo.com>\r\n"
                               "To: Rose <rose@cesoo.com>\r\n"
                               "Subject: 你好，Rose\r\n"
                               "Date: Mon, 4 Mar 2024 09:00:00 +0800\r\n"
                               "MIME-Version: 1.0\r\n"
                               "Content-Type: text/plain; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: 8bit\r\n"
                               "\r\n"
                               "你好！\r\n";

std::string utf8Append(const std::string& mailbox, const std::string& msg) {
    return "APPEND " + mailbox + " UTF8 (~{" + std::to_string(msg.size()) + "+}\r\n" + msg + ")";
}

}  // namespace

TEST_CASE("imap utf8: UTF8=ACCEPT is advertised and turned on by ENABLE (RFC 6855 3, RFC 5161 3.1)", "[imap][utf8]") {
    ImapHost host;
    ImapConn c(host);
    CHECK(has(c.greeting, " UTF8=ACCEPT"));
    CHECK(ImapConn::status(c.cmd("ENABLE UTF8=ACCEPT")) == "BAD");  // RFC 5161 3.1: only after login
    c.login();
    CHECK(has(c.ok("CAPABILITY"), " UTF8=ACCEPT"));
    CHECK_FALSE(c.session->utf8Accepted());
    // RFC 5161 3.2: ENABLED lists only what this command turned on; unknown capabilities are ignored.
    auto first = c.ok("ENABLE X-UNKNOWN UTF8=ACCEPT");
    CHECK(has(first, "* ENABLED UTF8=ACCEPT\r\n"));
    CHECK(c.session->utf8Accepted());
    CHECK(has(c.ok("ENABLE UTF8=ACCEPT"), "* ENABLED\r\n"));  // already on
    CHECK(ImapConn::status(c.cmd("ENABLE \"UTF8=ACCEPT\"")) == "BAD");  // capability names are atoms
}

TEST_CASE("imap utf8: mailbox names are UTF-8 after ENABLE, modified UTF-7 before (RFC 6855 3, RFC 3501 5.1.3)",
          "[imap][utf8]") {
    ImapHost host;
    ImapConn legacy(host), modern(host);
    legacy.login();
    modern.login();
    modern.ok("ENABLE UTF8=ACCEPT");
    // RFC 3501 5.1.3's example: "&U,BTFw-" is 台北 and "&ZeVnLIqe-" is 日本語 in modified UTF-7.
    legacy.ok("CREATE &U,BTFw-/&ZeVnLIqe-");
    auto list = modern.ok("LIST \"\" *");
    CHECK(has(list, "\"/\" \"台北\"\r\n"));
    CHECK(has(list, "\"/\" \"台北/日本語\"\r\n"));
    CHECK_FALSE(has(list, "&U,BTFw-"));  // never modified UTF-7 to this client
    // The modern client names it in UTF-8; the legacy client sees modified UTF-7; one folder in the store.
    modern.ok("CREATE 张三的信");
    std::string wire = imap::encodeMailboxName("张三的信");
    CHECK(has(legacy.ok("LIST \"\" *"), "\"/\" \"" + wire + "\"\r\n"));
    auto folders = host.ctx.store->listFolders("rose@cesoo.com");
    CHECK(std::ranges::count(folders, wire) == 1);
    CHECK(has(modern.ok("SELECT 张三的信"), "[READ-WRITE]"));
    CHECK(has(modern.ok("STATUS \"台北/日本語\" (MESSAGES)"), "* STATUS \"台北/日本語\" (MESSAGES 0)\r\n"));
    CHECK(has(legacy.ok("STATUS &U,BTFw-/&ZeVnLIqe- (MESSAGES)"), "* STATUS \"&U,BTFw-/&ZeVnLIqe-\" (MESSAGES 0)"));
    // Patterns are UTF-8 too, and match the names as this client reads them.
    auto pattern = modern.ok("LIST \"\" 台%");
    CHECK(has(pattern, "\"台北\""));
    CHECK_FALSE(has(pattern, "日本語"));
    // "&" in a UTF-8 name is an ampersand, never the start of modified UTF-7: stored as "&-".
    modern.ok("CREATE R&D");
    CHECK(has(legacy.ok("LIST \"\" R*"), "\"R&-D\""));
    CHECK(has(modern.ok("LIST \"\" R*"), "\"R&D\""));
    // Before ENABLE, 8-bit names are refused with the reason (RFC 3501 5.1.3).
    auto refused = legacy.cmd("CREATE 李四");
    CHECK(has(refused, "NO [CANNOT]"));
    CHECK(has(refused, "8-bit"));
    // Subscriptions go through the same conversion.
    modern.ok("SUBSCRIBE 张三的信");
    CHECK(has(modern.ok("LSUB \"\" *"), "\"张三的信\""));
    CHECK(has(legacy.ok("LSUB \"\" *"), "\"" + wire + "\""));
}

TEST_CASE("imap utf8: names that are not UTF-8, hide control characters or climb out are refused", "[imap][utf8]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    c.ok("ENABLE UTF8=ACCEPT");
    for (std::string bad : {"\"caf\xe9\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"a\x01" "b\"", "\"../张三\"", "\"~张三\"",
                            "\"张三/../x\"", "\"/etc\""}) {
        auto out = c.cmd("CREATE " + bad);
        INFO(bad << "\n" << out);
        CHECK(has(out, "NO [CANNOT]"));
    }
    CHECK(has(c.cmd("CREATE \"caf\xe9\""), "not well-formed UTF-8"));
    auto made = host.ctx.store->listFolders("rose@cesoo.com");
    std::erase(made, "INBOX");
    CHECK(made.empty());
    // A legacy client may encode LF in modified UTF-7 ("&AAo-"): the UTF-8 client is shown the 7-bit form, so no
    // line break can reach a quoted string.
    ImapConn legacy(host);
    legacy.login();
    if (ImapConn::status(legacy.cmd("CREATE a&AAo-b")) == "OK") {
        auto list = c.ok("LIST \"\" a*");
        CHECK(has(list, "\"a&AAo-b\"\r\n"));
        CHECK_FALSE(has(list, "a\nb"));
    }
    CHECK(imap::mailboxNameFromUtf8("\xef\xbf\xbd").has_value());  // U+FFFD itself is well-formed
    auto broken = imap::mailboxNameFromUtf8("a\xef\xbf");
    REQUIRE_FALSE(broken.has_value());
    CHECK(broken.error().id == imap::ReplyId::NameNotUtf8);
    CHECK(imap::statusLine(broken.error().id, "t", broken.error().args) ==
          "t NO [CANNOT] mailbox name refused: octet 2 is not well-formed UTF-8 (RFC 3629, RFC 6855 3)");
}

TEST_CASE("imap utf8: APPEND with the UTF8 data item (RFC 6855 4), whole, byte by byte and in chunks",
          "[imap][utf8]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    // Without ENABLE the data item is refused and nothing is stored.
    auto refused = c.cmd(utf8Append("INBOX", kZhangMail));
    CHECK(ImapConn::status(refused) == "BAD");
    CHECK(has(refused, "ENABLE UTF8=ACCEPT"));
    CHECK(host.ctx.store->list("rose@cesoo.com", "INBOX").empty());
    c.ok("ENABLE UTF8=ACCEPT");
    std::mt19937 rng(6855);
    for (int mode = 0; mode < 3; ++mode) {
        std::string bytes = "u" + std::to_string(mode) + " " + utf8Append("INBOX", kZhangMail) + "\r\n";
        std::string out;
        if (mode == 0) out = c.raw(bytes);
        for (std::size_t i = 0; mode > 0 && i < bytes.size();) {
            std::size_t n = mode == 1 ? 1 : std::uniform_int_distribution<std::size_t>(1, 17)(rng);
            out += c.raw(bytes.substr(i, n));
            i += n;
        }
        INFO(out);
        CHECK(has(out, "u" + std::to_string(mode) + " OK [APPENDUID "));
    }
    auto stored = host.ctx.store->list("rose@cesoo.com", "INBOX");
    REQUIRE(stored.size() == 3);
    CHECK(*host.ctx.store->read("rose@cesoo.com", "INBOX", stored[0].uid) == kZhangMail);
    // With flags and a date, into a UTF-8-named folder; the synchronising form asks for "+" first.
    c.ok("CREATE 收件");
    CHECK(c.raw("s1 APPEND 收件 (\\Seen) \"04-Mar-2024 09:00:00 +0800\" UTF8 (~{" + std::to_string(kZhangMail.size()) +
                "}\r\n")
              .starts_with("+ "));
    CHECK(has(c.raw(kZhangMail + ")\r\n"), "s1 OK [APPENDUID "));
    auto inFolder = host.ctx.store->list("rose@cesoo.com", imap::encodeMailboxName("收件"));
    REQUIRE(inFolder.size() == 1);
    CHECK(inFolder[0].flags == store::kSeen);
    // The data item holds exactly one literal.
    CHECK(ImapConn::status(c.cmd("APPEND INBOX UTF8 (\"x\")")) == "BAD");
    CHECK(ImapConn::status(c.cmd("APPEND INBOX UTF8 ()")) == "BAD");
}

TEST_CASE("imap utf8: UTF-8 quoted strings; SEARCH with CHARSET is BAD once enabled (RFC 6855 3)", "[imap][utf8]") {
    ImapHost host;
    host.ctx.directory.addUser("张三@cesoo.com", "zs123", "张三");
    host.deliver(kZhangMail, "INBOX", "张三@cesoo.com");
    host.deliver("From: rose@cesoo.com\r\nSubject: hello\r\n\r\nhi\r\n", "INBOX", "张三@cesoo.com");
    ImapConn c(host);
    c.ok("LOGIN \"张三@cesoo.com\" zs123");  // a UTF-8 user name in a quoted string (accepted before ENABLE too)
    c.ok("ENABLE UTF8=ACCEPT");
    c.ok("SELECT INBOX");
    CHECK(has(c.ok("SEARCH SUBJECT \"你好\""), "* SEARCH 1\r\n"));
    CHECK(has(c.ok("SEARCH FROM \"张三\""), "* SEARCH 1\r\n"));
    auto charset = c.cmd("SEARCH CHARSET UTF-8 SUBJECT \"你好\"");
    CHECK(ImapConn::status(charset) == "BAD");
    CHECK(has(charset, "no CHARSET after ENABLE UTF8=ACCEPT"));
    // A client that did not enable it may still name the charset (RFC 3501 6.4.4).
    ImapConn legacy(host);
    legacy.ok("LOGIN \"张三@cesoo.com\" zs123");
    legacy.ok("SELECT INBOX");
    CHECK(has(legacy.ok("SEARCH CHARSET UTF-8 SUBJECT {6}\r\n你好"), "* SEARCH 1\r\n"));
    // The session that enabled UTF-8 gets the message as stored.
    CHECK(has(c.ok("FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]"), "Subject: 你好，Rose"));
}

TEST_CASE("imap utf8: the header downgrade keeps ASCII fields and the body, encodes the rest (RFC 6857 3)",
          "[imap][utf8]") {
    CHECK_FALSE(message::downgradeHeader("Subject: hi\r\n\r\n你好\r\n"));  // an 8-bit body alone: nothing to do
    auto d = message::downgradeHeader(kZhangMail);
    REQUIRE(d);
    for (unsigned char ch : d->substr(0, d->find("\r\n\r\n"))) CHECK(ch < 0x80);
    CHECK(d->ends_with("\r\n\r\n你好！\r\n"));  // the body, byte for byte
    CHECK(has(*d, "To: Rose <rose@cesoo.com>\r\n"));  // ASCII fields unchanged
    CHECK(has(*d, "Date: Mon, 4 Mar 2024 09:00:00 +0800\r\n"));
    auto parsed = message::Message::parse(*d);
    CHECK(parsed.subject() == "你好，Rose");  // the encoded words decode to the original text
    // A UTF-8 address has no ASCII form: the mailbox becomes the name of an empty group.
    auto from = parsed.addresses("From");
    REQUIRE(from.entries.size() == 1);
    CHECK(from.entries[0].group);
    CHECK(from.entries[0].members.empty());
    CHECK(message::decodeHeaderText(from.entries[0].groupName) == "张三 <张三@cesoo.com>");
    // Structured fields other than addresses are kept under a Downgraded- name.
    auto r = message::downgradeHeader("Return-Path: <张三@cesoo.com>\nSubject: x\n\nbody\n");
    REQUIRE(r);
    CHECK(r->starts_with("Downgraded-Return-Path: =?UTF-8?"));
    CHECK(r->ends_with("\nSubject: x\n\nbody\n"));
    // An address list that does not parse is kept as text under a Downgraded- name, nothing dropped.
    auto broken = message::downgradeHeader("To: 张三 <<broken\r\n\r\n");
    REQUIRE(broken);
    CHECK(broken->starts_with("Downgraded-To: =?UTF-8?"));
    CHECK(message::decodeHeaderText(broken->substr(15, broken->find("\r\n") - 15)) == "张三 <<broken");
    // A UTF-8 display name with an ASCII address stays a mailbox, the name encoded.
    auto named = message::downgradeHeader("From: 王五 <wangwu@cesoo.com>, rose@cesoo.com\r\n\r\n");
    REQUIRE(named);
    auto list = message::Message::parse(*named).addresses("From").mailboxes();
    REQUIRE(list.size() == 2);
    CHECK(list[0].displayName() == "王五");
    CHECK(list[0].address() == "wangwu@cesoo.com");
    CHECK(list[1].address() == "rose@cesoo.com");
}

TEST_CASE("imap utf8: a session without UTF8=ACCEPT gets UTF-8 headers downgraded, consistently (RFC 6858)",
          "[imap][utf8]") {
    ImapHost host;
    host.deliver(kZhangMail);
    host.deliver("From: mike@cesoo.com\r\nSubject: plain\r\n\r\n8-bit body: 你好\r\n");
    ImapConn legacy(host), modern(host);
    legacy.login();
    modern.login();
    modern.ok("ENABLE UTF8=ACCEPT");
    legacy.ok("EXAMINE INBOX");
    modern.ok("EXAMINE INBOX");
    auto old = legacy.ok("FETCH 1 (RFC822.SIZE ENVELOPE BODY.PEEK[])");
    auto literal = old.find("BODY[] {");
    REQUIRE(literal != std::string::npos);
    std::size_t size = std::stoul(old.substr(literal + 8));
    CHECK(has(old, fmt::format("RFC822.SIZE {} ", size)));  // the size of what BODY[] sends
    std::string body = old.substr(old.find("}\r\n", literal) + 3, size);
    CHECK(body == *message::downgradeHeader(kZhangMail));
    auto envelope = old.substr(old.find("ENVELOPE ("), old.find(" BODY[]") - old.find("ENVELOPE ("));
    CHECK(std::ranges::none_of(envelope, [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; }));
    CHECK(has(envelope, "=?UTF-8?"));
    // The same message as stored for the session that enabled UTF-8.
    auto now = modern.ok("FETCH 1 (RFC822.SIZE BODY.PEEK[])");
    CHECK(has(now, fmt::format("RFC822.SIZE {} ", kZhangMail.size())));
    CHECK(has(now, kZhangMail));
    // An ASCII header with an 8-bit body is nobody's downgrade.
    CHECK(has(legacy.ok("FETCH 2 BODY.PEEK[TEXT]"), "8-bit body: 你好"));
    // SEARCH still sees the stored text.
    CHECK(has(legacy.ok("SEARCH CHARSET UTF-8 SUBJECT {6}\r\n你好"), "* SEARCH 1\r\n"));
}

TEST_CASE("imap utf8: the new replies are in the catalogue with both languages", "[imap][utf8]") {
    for (auto id : {imap::ReplyId::Utf8NotEnabled, imap::ReplyId::SearchCharsetUtf8, imap::ReplyId::EnableDone}) {
        auto text = imap::replyExplanation(id);
        CHECK_FALSE(text.en.empty());
        CHECK_FALSE(text.zh.empty());
        CHECK(has(text.en + std::string(imap::replyInfo(id).rfc), "6855"));
    }
}
