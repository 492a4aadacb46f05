// IMAP ENVELOPE and BODYSTRUCTURE strings (engine/message/ImapStructure.*) against RFC 3501 examples and
// hand-checked messages.
#include "message/ImapStructure.hpp"

#include <catch2/catch.hpp>

using namespace mailsim::message;

TEST_CASE("ENVELOPE of the RFC 3501 6.4.5 example message", "[message][imap]") {
    // The header behind the FETCH example of RFC 3501 section 8 (and 6.4.5); body: 92 lines, 3028 octets.
    std::string body;
    for (int i = 0; i < 84; ++i) body += std::string(31, 'x') + "\r\n";
    for (int i = 0; i < 8; ++i) body += std::string(30, 'y') + "\r\n";
    REQUIRE(body.size() == 3028);
    Message m = Message::parse(
        "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n"
        "From: Terry Gray <gray@cac.washington.edu>\r\n"
        "Subject: IMAP4rev1 WG mtg summary and minutes\r\n"
        "To: imap@cac.washington.edu\r\n"
        "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n"
        "Message-Id: <B27397-0100000@cac.washington.edu>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
        "\r\n" + body);
    CHECK(imapEnvelope(m) ==
          "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" "
          "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
          "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) "
          "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL "
          "\"<B27397-0100000@cac.washington.edu>\")");
    CHECK(imapBodyStructure(m, false) == "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)");
    CHECK(imapBodyStructure(m) == "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92 NIL NIL NIL NIL)");
}

TEST_CASE("BODY of the RFC 3501 7.4.2 multipart example", "[message][imap]") {
    std::string part1, part2;
    for (int i = 0; i < 23; ++i) part1 += std::string(i == 22 ? 1152 - 22 * 50 - 0 : 48, 'a') + (i == 22 ? "" : "\r\n");
    REQUIRE(part1.size() == 1152);
    for (int i = 0; i < 73; ++i) part2 += std::string(i == 72 ? 4554 - 72 * 62 : 60, 'Q') + (i == 72 ? "" : "\r\n");
    REQUIRE(part2.size() == 4554);
    Message m = Message::parse(
        "Content-Type: MULTIPART/MIXED; BOUNDARY=\"xx\"\r\n\r\n--xx\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n" +
        part1 +
        "\r\n--xx\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff\r\n"
        "Content-ID: <960723163407.20117h@cac.washington.edu>\r\nContent-Description: Compiler diff\r\n"
        "Content-Transfer-Encoding: BASE64\r\n\r\n" +
        part2 + "\r\n--xx--\r\n");
    CHECK(imapBodyStructure(m, false) ==
          "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23)(\"TEXT\" \"PLAIN\" (\"CHARSET\" "
          "\"US-ASCII\" \"NAME\" \"cc.diff\") \"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" "
          "\"BASE64\" 4554 73) \"MIXED\")");
}

TEST_CASE("BODYSTRUCTURE and ENVELOPE of a Chinese message with an RFC 2231 attachment", "[message][imap]") {
    Message m = Message::parse(
        "From: =?UTF-8?B?5p2O5piO?= <mike@cesoo.com>\r\n"
        "To: \"Rose\" <rose@cesoo.com>, Friends: a@x.org;\r\n"
        "Subject: =?UTF-8?B?5Lya6K6u57qq6KaB?=\r\n"
        "Date: Mon, 04 Mar 2024 09:00:00 +0000\r\n"
        "Message-ID: <1@cesoo.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        "\r\n"
        "--b1\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "5Lit5paH\r\n"
        "--b1\r\n"
        "Content-Type: text/plain; name*=utf-8''%E6%8A%A5%E5%91%8A.txt\r\n"
        "Content-Disposition: attachment;\r\n filename*=utf-8''%E6%8A%A5%E5%91%8A.txt\r\n"
        "Content-Language: zh-CN\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "5oql5ZGK\r\n"
        "--b1--\r\n");
    CHECK_FALSE(m.degraded());
    CHECK(imapEnvelope(m) ==
          "(\"Mon, 04 Mar 2024 09:00:00 +0000\" \"=?UTF-8?B?5Lya6K6u57qq6KaB?=\" "
          "((\"=?UTF-8?B?5p2O5piO?=\" NIL \"mike\" \"cesoo.com\")) ((\"=?UTF-8?B?5p2O5piO?=\" NIL \"mike\" \"cesoo.com\")) "
          "((\"=?UTF-8?B?5p2O5piO?=\" NIL \"mike\" \"cesoo.com\")) "
          "((\"Rose\" NIL \"rose\" \"cesoo.com\")(NIL NIL \"Friends\" NIL)(NIL NIL \"a\" \"x.org\")(NIL NIL NIL NIL)) "
          "NIL NIL NIL \"<1@cesoo.com>\")");
    CHECK(imapBodyStructure(m) ==
          "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"BASE64\" 8 1 NIL NIL NIL NIL)"
          "(\"TEXT\" \"PLAIN\" (\"NAME*\" \"utf-8''%E6%8A%A5%E5%91%8A.txt\") NIL NIL \"BASE64\" 8 1 NIL "
          "(\"ATTACHMENT\" (\"FILENAME*\" \"utf-8''%E6%8A%A5%E5%91%8A.txt\")) \"zh-CN\" NIL) "
          "\"MIXED\" (\"BOUNDARY\" \"b1\") NIL NIL NIL)");
    CHECK(imapBodyStructure(m, false) ==
          "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"BASE64\" 8 1)"
          "(\"TEXT\" \"PLAIN\" (\"NAME*\" \"utf-8''%E6%8A%A5%E5%91%8A.txt\") NIL NIL \"BASE64\" 8 1) \"MIXED\")");
    CHECK(m.root().children[1].filename() == "报告.txt");
}

TEST_CASE("BODYSTRUCTURE of message/rfc822 includes the inner envelope, body and lines", "[message][imap]") {
    Message m = Message::parse("Subject: fwd\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nFrom: a@b.c\r\n\r\nhi\r\n");
    CHECK(imapBodyStructure(m) ==
          "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 35 "
          "(NIL \"inner\" ((NIL NIL \"a\" \"b.c\")) ((NIL NIL \"a\" \"b.c\")) ((NIL NIL \"a\" \"b.c\")) NIL NIL NIL NIL NIL) "
          "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 4 1 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)");
}

TEST_CASE("IMAP strings: quoting, escapes, literals, NIL", "[message][imap]") {
    CHECK(imapString("plain") == "\"plain\"");
    CHECK(imapString("say \"hi\" \\o/") == "\"say \\\"hi\\\" \\\\o/\"");
    CHECK(imapString("中文") == "{6}\r\n中文");
    CHECK(imapString("two\r\nlines") == "{10}\r\ntwo\r\nlines");
    CHECK(imapNString("") == "NIL");
    CHECK(imapString("") == "\"\"");
    Message m = Message::parse("Subject: 中文\r\nTo: rose\r\n\r\n");
    CHECK(imapEnvelope(m) == "(NIL {6}\r\n中文 NIL NIL NIL ((NIL NIL \"rose\" \"\")) NIL NIL NIL NIL)");
}

TEST_CASE("BODYSTRUCTURE stays well-formed for degraded messages", "[message][imap][malformed]") {
    // A multipart whose boundary never occurs is shown as the text it degraded to.
    Message m = Message::parse("Content-Type: multipart/mixed; boundary=zz\r\n\r\nhello\r\n");
    CHECK(imapBodyStructure(m, false) == "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 7 1)");
    std::string deep;
    for (int i = 0; i < 300; ++i) deep += "Content-Type: message/rfc822\r\n\r\n";
    Message d = Message::parse(deep);
    std::string s = imapBodyStructure(d);
    CHECK(std::count(s.begin(), s.end(), '(') == std::count(s.begin(), s.end(), ')'));
}
