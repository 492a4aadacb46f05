// Internationalised mail in the SMTP server (RFC 6531 SMTPUTF8, RFC 6152 8BITMIME): EHLO, the MAIL parameters,
// UTF-8 local parts and domains only inside a transaction that declared SMTPUTF8, the trace header, and the
// extended mailbox syntax (RFC 6531 3.3) fed whole, byte by byte and in random chunks.
#include "SmtpTestHarness.hpp"

#include "message/MimeBuilder.hpp"
#include "message/MimeMessage.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpStates.hpp"

#include <catch2/catch.hpp>

using namespace mailsim;
using namespace mailsim::test;

namespace {

const std::string kZhang = "张三@cesoo.com";

struct Utf8Host : ServerHost {
    Utf8Host() { ctx.directory.addUser(kZhang, "zs123", "张三"); }
};

}  // namespace

TEST_CASE("RFC 6531 3.2: EHLO lists SMTPUTF8 next to 8BITMIME; a server configured without it does not",
          "[smtp][server][utf8]") {
    Utf8Host host;
    ServerConn c(host);
    c.greeting();
    CHECK(c.cmd("EHLO pc") == "250-cesoo.com Hello pc, pleased to meet you\r\n"
                              "250-SIZE 10485760\r\n"
                              "250-8BITMIME\r\n"
                              "250-PIPELINING\r\n"
                              "250-ENHANCEDSTATUSCODES\r\n"
                              "250 SMTPUTF8\r\n");
    Utf8Host old;
    old.ctx.config.smtpUtf8 = false;
    ServerConn o(old);
    o.greeting();
    CHECK(o.cmd("EHLO pc").find("SMTPUTF8") == std::string::npos);
}

TEST_CASE("RFC 6531 3.4: MAIL FROM:<张三@cesoo.com> SMTPUTF8 BODY=8BITMIME delivers to a UTF-8 mailbox",
          "[smtp][server][utf8]") {
    Utf8Host host;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO pc");
    CHECK(c.cmd("MAIL FROM:<张三@cesoo.com> SMTPUTF8 BODY=8BITMIME") == "250 2.1.0 <张三@cesoo.com>... Sender OK\r\n");
    CHECK(c.cmd("RCPT TO:<张三@cesoo.com>") == "250 2.1.5 <张三@cesoo.com>... Recipient OK\r\n");
    CHECK(c.cmd("RCPT TO:<rose@cesoo.com>") == "250 2.1.5 <rose@cesoo.com>... Recipient OK\r\n");
    CHECK(lastCode(c.cmd("DATA")) == 354);
    CHECK(lastCode(c.send("From: 张三 <张三@cesoo.com>\r\nSubject: 你好\r\n\r\n你好，Rose！\r\n.\r\n")) == 250);
    auto zhang = host.inbox(kZhang);
    REQUIRE(zhang.size() == 1);
    CHECK(zhang[0].find("Subject: 你好\r\n") != std::string::npos);
    // RFC 6531 3.7.3: the trace header says the message came in an SMTPUTF8 transaction.
    CHECK(zhang[0].find("with UTF8SMTP id") != std::string::npos);
    CHECK(host.inbox("rose@cesoo.com").size() == 1);
    // The next transaction starts without SMTPUTF8 (RFC 5321 4.1.4: the transaction's state is reset).
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com>") == "250 2.1.0 <mike@cesoo.com>... Sender OK\r\n");
    CHECK(c.cmd("RCPT TO:<张三@cesoo.com>") ==
          "553 5.6.7 <张三@cesoo.com>... Non-ASCII addresses not permitted for that recipient (no SMTPUTF8 in MAIL)\r\n");
}

TEST_CASE("RFC 6531 3.7.4.1: a UTF-8 address without SMTPUTF8 in MAIL is 553 5.6.7 and changes nothing",
          "[smtp][server][utf8]") {
    Utf8Host host;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO pc");
    CHECK(c.cmd("MAIL FROM:<张三@cesoo.com>") ==
          "553 5.6.7 <张三@cesoo.com>... Non-ASCII addresses not permitted for that sender (no SMTPUTF8 in MAIL)\r\n");
    CHECK(c.session.state() == SmtpState::Ready);
    CHECK(lastCode(c.cmd("MAIL FROM:<mike@cesoo.com> BODY=8BITMIME")) == 250);
    CHECK(lastCode(c.cmd("RCPT TO:<rose@例子.中国>")) == 553);
    CHECK(c.session.state() == SmtpState::Mail);
    CHECK(lastCode(c.cmd("RSET")) == 250);
    // The keyword takes no value (RFC 6531 3.4).
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com> SMTPUTF8=yes") == "501 5.5.4 Syntax: SMTPUTF8 takes no value (RFC 6531 3.4)\r\n");
    // After HELO there are no parameters at all (RFC 5321 4.1.1.11 via RFC 1869).
    c.cmd("HELO pc");
    CHECK(lastCode(c.cmd("MAIL FROM:<张三@cesoo.com> SMTPUTF8")) == 555);
}

TEST_CASE("a server configured without SMTPUTF8 keeps RFC 5321's ASCII-only syntax", "[smtp][server][utf8]") {
    Utf8Host host;
    host.ctx.config.smtpUtf8 = false;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO pc");
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com> SMTPUTF8") == "555 5.5.4 SMTPUTF8: MAIL FROM/RCPT TO parameter not recognized\r\n");
    CHECK(c.cmd("MAIL FROM:<张三@cesoo.com>") ==
          "553 5.1.3 张三@cesoo.com... Mailbox name not allowed: non-ASCII local part (SMTPUTF8 is not offered)\r\n");
}

namespace {
// The wire words of a reason (MailboxReason.hpp), or "" for a valid mailbox.
std::string words(const std::optional<MailboxReason>& r) { return r ? mailboxReasonWords(*r) : std::string(); }
}  // namespace

TEST_CASE("RFC 6531 3.3: the extended mailbox syntax is UTF-8, checked octet by octet", "[smtp][syntax][utf8]") {
    CHECK(mailboxError("张三@cesoo.com", true) == std::nullopt);
    CHECK(mailboxError("rose@例子.中国", true) == std::nullopt);
    CHECK(mailboxError("zhang.san@xn--fsqu00a.xn--fiqs8s", true) == std::nullopt);
    CHECK(words(mailboxError("张三@cesoo.com")) == "non-ASCII local part (SMTPUTF8 is not offered)");
    CHECK(words(mailboxError("rose@例子.中国")) == "non-ASCII domain (SMTPUTF8 is not offered)");
    CHECK(mailboxError("rose@例子.中国") ==
          MailboxReason{.problem = MailboxProblem::NonAsciiNotOffered, .part = MailboxPart::Domain});
    // Not UTF-8: a Latin-1 octet, a truncated sequence, an overlong '/', a UTF-16 surrogate.
    for (std::string bad : {std::string("jos\xE9@cesoo.com"), std::string("\xE5\xBC@cesoo.com"),
                            std::string("a\xC0\xAF@cesoo.com"), std::string("\xED\xA0\x80@cesoo.com")}) {
        INFO(bad);
        CHECK(words(mailboxError(bad, true)) == "local part is not valid UTF-8 (RFC 6531 3.3, RFC 3629)");
    }
    CHECK(words(mailboxError("rose@\xE4\xBE.cn", true)) == "domain is not valid UTF-8 (RFC 6531 3.3, RFC 3629)");
    // The ASCII rules still hold around the UTF-8: no empty atoms, no '-' at a label's edge.
    CHECK(words(mailboxError("张三.@cesoo.com", true)) == "local part ends with '.'");
    CHECK(words(mailboxError("rose@-例子.cn", true)) == "domain label must start and end with a letter or digit");
    CHECK(isAscii("rose@cesoo.com"));
    CHECK_FALSE(isAscii(kZhang));
}

TEST_CASE("SMTPUTF8 transactions fed whole, byte by byte and in random chunks", "[smtp][server][utf8]") {
    const std::string script = "EHLO pc\r\nMAIL FROM:<张三@cesoo.com> SMTPUTF8\r\nRCPT TO:<rose@cesoo.com>\r\n"
                               "DATA\r\nSubject: 你好\r\n\r\n正文\r\n.\r\nQUIT\r\n";
    for (FeedMode mode : {FeedMode::Whole, FeedMode::ByteByByte, FeedMode::RandomChunks}) {
        Utf8Host host;
        ServerConn c(host);
        c.greeting();
        std::string wire;
        for (auto part : splitInput(script, mode, 17)) wire += c.send(part);
        CHECK(replyCodes(wire) == std::vector<int>{250, 250, 250, 354, 250, 221});
        REQUIRE(host.inbox("rose@cesoo.com").size() == 1);
        CHECK(host.inbox("rose@cesoo.com")[0].find("正文") != std::string::npos);
    }
}

TEST_CASE("the SMTPUTF8 replies are in the catalogue with both languages, and MAIL's row lists the parameter",
          "[smtp][catalogue][utf8]") {
    for (ReplyId id : {ReplyId::NonAsciiSender, ReplyId::NonAsciiRecipient}) {
        const auto& info = replyInfo(id);
        CHECK(info.code == 553);
        CHECK(info.enhanced == "5.6.7");
        CHECK(info.rfc.find("RFC 6531 3.7.4.1") != std::string_view::npos);
        CHECK(replyExplanation(id).complete());
    }
    CHECK(smtpCommandInfo(SmtpInput::Mail).syntax.find("[SMTPUTF8]") != std::string_view::npos);
}

TEST_CASE("RFC 6532: raw UTF-8 header values parse and display (subject, display names, addresses)",
          "[message][utf8]") {
    const std::string raw = "From: 张三 <张三@cesoo.com>\r\nTo: \"罗丝 (Rose)\" <rose@例子.中国>\r\n"
                            "Subject: 你好，Rose\r\n =?UTF-8?B?5LiW55WM?=\r\n\r\n正文\r\n";
    auto m = message::Message::parse(raw);
    CHECK_FALSE(m.degraded());
    CHECK(m.subject() == "你好，Rose 世界");  // raw UTF-8 and an RFC 2047 word in one field
    auto from = m.addresses("From").mailboxes();
    REQUIRE(from.size() == 1);
    CHECK(from[0].displayName() == "张三");
    CHECK(from[0].local == "张三");
    CHECK(from[0].address() == "张三@cesoo.com");
    auto to = m.addresses("To").mailboxes();
    REQUIRE(to.size() == 1);
    CHECK(to[0].displayName() == "罗丝 (Rose)");
    CHECK(to[0].domain == "例子.中国");
}

TEST_CASE("RFC 6532 3.2: the builder writes raw UTF-8 headers when asked, encoded words otherwise",
          "[message][utf8]") {
    using message::HeaderStyle;
    CHECK(message::encodeHeaderText("你好", 9) == "=?UTF-8?B?5L2g5aW9?=");
    CHECK(message::encodeHeaderText("你好", 9, HeaderStyle::Utf8) == "你好");
    CHECK(message::formatMailbox("张三", "张三@cesoo.com", 6, HeaderStyle::Utf8) == "张三 <张三@cesoo.com>");
    CHECK(message::formatMailbox("张 \"三\"", "张三@cesoo.com", 6, HeaderStyle::Utf8) ==
          "\"张 \\\"三\\\"\" <张三@cesoo.com>");
    // "=?" in the text is still encoded, so it cannot be misread as an encoded word.
    CHECK(message::encodeHeaderText("a =?x?= b", 9, HeaderStyle::Utf8).value().starts_with("=?UTF-8?"));
    // Long UTF-8 text folds at spaces, as ASCII does (RFC 5322 2.2.3).
    std::string longText;
    for (int i = 0; i < 12; ++i) longText += "中文邮件地址 ";
    longText += "end";
    std::string folded = message::encodeHeaderText(longText, 9, HeaderStyle::Utf8).value();
    CHECK(folded.find("\r\n ") != std::string::npos);
    CHECK(message::Message::parse("Subject: " + folded + "\r\n\r\n").subject() == longText);
}

TEST_CASE("the SMTP client declares SMTPUTF8 when the envelope or the header is UTF-8 (RFC 6531 3.4)",
          "[smtp][client][utf8]") {
    OutgoingMessage ascii{"mike@cesoo.com", {"rose@cesoo.com"}, "Subject: hi\r\n\r\n你好\r\n"};
    CHECK_FALSE(SmtpClientSession::needsSmtpUtf8(ascii));  // an 8-bit body needs 8BITMIME only
    OutgoingMessage sender{kZhang, {"rose@cesoo.com"}, "Subject: hi\r\n\r\nhi\r\n"};
    CHECK(SmtpClientSession::needsSmtpUtf8(sender));
    OutgoingMessage rcpt{"mike@cesoo.com", {"rose@cesoo.com", kZhang}, "Subject: hi\r\n\r\nhi\r\n"};
    CHECK(SmtpClientSession::needsSmtpUtf8(rcpt));
    OutgoingMessage header{"mike@cesoo.com", {"rose@cesoo.com"}, "Subject: 你好\n\nhi\n"};
    CHECK(SmtpClientSession::needsSmtpUtf8(header));
}
