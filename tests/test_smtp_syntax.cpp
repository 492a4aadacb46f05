// Argument syntax (RFC 5321 4.1.2, 4.5.3.1) and the client's reply parser (RFC 5321 4.2).
#include "smtp/SmtpSyntax.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace mailsim::smtp;

TEST_CASE("parsePathArgument: bracketed paths, the null path, parameters", "[smtp][syntax]") {
    auto p = parsePathArgument("FROM:<mike@cesoo.com>", "FROM:", false);
    REQUIRE(p);
    CHECK(p->path == "mike@cesoo.com");
    CHECK(p->bracketed);
    CHECK(p->params.empty());

    auto nullPath = parsePathArgument("FROM:<>", "FROM:", false);
    REQUIRE(nullPath);
    CHECK(nullPath->path.empty());

    auto params = parsePathArgument("from: <mike@cesoo.com> size=1234 body=8BITMIME", "FROM:", false);
    REQUIRE(params);
    REQUIRE(params->params.size() == 2);
    CHECK(params->params[0] == std::pair<std::string, std::string>{"SIZE", "1234"});
    CHECK(params->params[1] == std::pair<std::string, std::string>{"BODY", "8BITMIME"});

    auto route = parsePathArgument("TO:<@relay1.org,@relay2.org:rose@cesoo.com>", "TO:", false);
    REQUIRE(route);
    CHECK(route->path == "rose@cesoo.com");

    auto quoted = parsePathArgument("TO:<\"rose > x\"@cesoo.com>", "TO:", false);
    REQUIRE(quoted);
    CHECK(quoted->path == "\"rose > x\"@cesoo.com");
}

TEST_CASE("parsePathArgument: lenient accepts a missing <>, strict refuses it", "[smtp][syntax]") {
    auto lenient = parsePathArgument("FROM:Mike@cesoo.com", "FROM:", true);
    REQUIRE(lenient);
    CHECK(lenient->path == "Mike@cesoo.com");
    CHECK_FALSE(lenient->bracketed);

    auto strict = parsePathArgument("FROM:Mike@cesoo.com", "FROM:", false);
    REQUIRE_FALSE(strict);
    CHECK(strict.error().kind == PathErrorKind::Syntax);
}

TEST_CASE("parsePathArgument: syntax errors and bad mailboxes are told apart", "[smtp][syntax]") {
    auto noKeyword = parsePathArgument("<mike@cesoo.com>", "FROM:", true);
    REQUIRE_FALSE(noKeyword);
    CHECK(noKeyword.error().kind == PathErrorKind::Syntax);

    auto unterminated = parsePathArgument("FROM:<mike@cesoo.com", "FROM:", true);
    REQUIRE_FALSE(unterminated);
    CHECK(unterminated.error().kind == PathErrorKind::Syntax);

    for (const char* bad : {"TO:<rose>", "TO:<rose@>", "TO:<@cesoo.com>", "TO:<ro se@cesoo.com>", "TO:<a@b@c>",
                            "TO:<.rose@cesoo.com>", "TO:<rose.@cesoo.com>", "TO:<ro..se@cesoo.com>",
                            "TO:<rose@-cesoo.com>", "TO:<rose@cesoo..com>"}) {
        INFO(bad);
        auto r = parsePathArgument(bad, "TO:", true);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == PathErrorKind::BadMailbox);
    }
}

TEST_CASE("mailboxError enforces the RFC 5321 4.5.3.1 length limits", "[smtp][syntax]") {
    CHECK_FALSE(mailboxError(std::string(64, 'a') + "@cesoo.com"));
    CHECK(mailboxError(std::string(65, 'a') + "@cesoo.com"));
    std::string label(63, 'd');
    std::string domain = label + "." + label + "." + label + "." + std::string(63, 'e');  // 255 octets
    CHECK_FALSE(mailboxError("a@" + domain));
    CHECK(mailboxError("a@" + domain + "x"));
    auto tooLongPath = parsePathArgument("TO:<" + std::string(60, 'a') + "@" + domain + ">", "TO:", true);
    REQUIRE_FALSE(tooLongPath);
    CHECK(tooLongPath.error().kind == PathErrorKind::BadMailbox);
}

TEST_CASE("splitCommand and the case-insensitive helpers", "[smtp][syntax]") {
    CHECK(splitCommand("MAIL FROM:<a@b>") == std::pair<std::string_view, std::string_view>{"MAIL", "FROM:<a@b>"});
    CHECK(splitCommand("QUIT") == std::pair<std::string_view, std::string_view>{"QUIT", ""});
    CHECK(splitCommand("HELO \t  pc  ") == std::pair<std::string_view, std::string_view>{"HELO", "pc"});
    CHECK(iequals("EhLo", "EHLO"));
    CHECK_FALSE(iequals("EHL", "EHLO"));
    CHECK(toUpper("size=1") == "SIZE=1");
}

namespace {
std::vector<Reply> drain(ReplyParser& p) {
    std::vector<Reply> out;
    while (auto r = p.next()) out.push_back(std::move(*r));
    return out;
}
}  // namespace

TEST_CASE("ReplyParser: single and multi-line replies", "[smtp][syntax][reply]") {
    const std::string wire = "220 cesoo.com Service ready\r\n"
                             "250-cesoo.com Hello pc\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250 PIPELINING\r\n"
                             "354\r\n";
    ReplyParser p;
    p.feed(wire);
    auto replies = drain(p);
    REQUIRE(replies.size() == 3);
    CHECK(replies[0].code == 220);
    CHECK(replies[0].lines == std::vector<std::string>{"cesoo.com Service ready"});
    CHECK(replies[1].code == 250);
    CHECK(replies[1].lines == std::vector<std::string>{"cesoo.com Hello pc", "SIZE 1000", "8BITMIME", "PIPELINING"});
    CHECK(replies[1].raw == "250-cesoo.com Hello pc\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250 PIPELINING\r\n");
    CHECK(replies[2].code == 354);
    CHECK(replies[2].lines == std::vector<std::string>{""});
    CHECK(replies[2].klass() == 3);
    CHECK_FALSE(p.error());
}

TEST_CASE("ReplyParser: the same replies come out however the bytes are split", "[smtp][syntax][reply]") {
    const std::string wire = "220 a\r\n250-b\r\n250-c\r\n250 d\r\n550 5.1.1 <x@y>... User unknown\r\n221 bye\r\n";
    ReplyParser whole;
    whole.feed(wire);
    auto expected = drain(whole);
    REQUIRE(expected.size() == 4);
    for (std::size_t cut1 = 0; cut1 <= wire.size(); ++cut1) {
        for (std::size_t cut2 = cut1; cut2 <= wire.size(); cut2 += 3) {
            ReplyParser p;
            std::vector<Reply> got;
            for (auto part : {std::string_view(wire).substr(0, cut1), std::string_view(wire).substr(cut1, cut2 - cut1),
                              std::string_view(wire).substr(cut2)}) {
                p.feed(part);
                auto more = drain(p);
                got.insert(got.end(), more.begin(), more.end());
            }
            REQUIRE(got.size() == expected.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                CHECK(got[i].code == expected[i].code);
                CHECK(got[i].lines == expected[i].lines);
                CHECK(got[i].raw == expected[i].raw);
            }
            CHECK_FALSE(p.error());
        }
    }
}

TEST_CASE("ReplyParser: a line that is not an SMTP reply is an error", "[smtp][syntax][reply]") {
    for (const char* garbage : {"HTTP/1.1 400 Bad Request\r\n", "25 short\r\n", "2500 too long code\r\n",
                                "250_bad separator\r\n", "\r\n", "abc\r\n"}) {
        INFO(garbage);
        ReplyParser p;
        p.feed(garbage);
        CHECK(p.error());
        CHECK_FALSE(p.next());
    }
}

// RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39 (first digit 2-5, second 0-5).
TEST_CASE("ReplyParser: codes outside the RFC 5321 grammar are errors", "[smtp][syntax][reply]") {
    for (const char* bad : {"099 zero\r\n", "199 one\r\n", "600 six\r\n", "999 nine\r\n", "260 second digit 6\r\n"}) {
        INFO(bad);
        ReplyParser p;
        p.feed(bad);
        CHECK(p.error());
        CHECK_FALSE(p.next());
    }
    ReplyParser ok;
    ok.feed("554 5.7.1 no\r\n");
    CHECK_FALSE(ok.error());
    CHECK(ok.next()->code == 554);
}

// RFC 5321 4.2.1: every line of a multi-line reply carries the same code.
TEST_CASE("ReplyParser: a multi-line reply whose codes differ is an error", "[smtp][syntax][reply]") {
    ReplyParser p;
    p.feed("250-first\r\n251 second\r\n");
    CHECK(p.error());
    CHECK_FALSE(p.next());
}

// Once the peer has sent garbage, nothing after it can be matched to a command: the parser stops there, and the
// replies before the garbage are still delivered, in order.
TEST_CASE("ReplyParser: replies before garbage come out, nothing after it", "[smtp][syntax][reply]") {
    ReplyParser p;
    p.feed("220 hi\r\n<html>\r\n250 ok\r\n");
    auto got = drain(p);
    REQUIRE(got.size() == 1);
    CHECK(got[0].code == 220);
    REQUIRE(p.error());
    CHECK(*p.error() == "<html>");
    p.feed("250 later\r\n");
    CHECK_FALSE(p.next());
}

TEST_CASE("ReplyParser: an endless line does not grow the buffer without bound", "[smtp][syntax][reply]") {
    ReplyParser p;
    std::string chunk(1000, 'x');
    for (int i = 0; i < 100; ++i) p.feed(chunk);
    CHECK(p.error());
    CHECK_FALSE(p.next());
}

TEST_CASE("ReplyParser: LF-only replies are accepted (robustness)", "[smtp][syntax][reply]") {
    ReplyParser p;
    p.feed("250-a\n250 b\n");
    auto r = p.next();
    REQUIRE(r);
    CHECK(r->lines == std::vector<std::string>{"a", "b"});
    CHECK_FALSE(p.error());
}

TEST_CASE("address literals: printable dcontent only (RFC 5321 4.1.3)", "[smtp][syntax]") {
    CHECK_FALSE(mailboxError("a@[192.0.2.1]"));
    CHECK_FALSE(mailboxError("a@[IPv6:2001:db8::1]"));
    CHECK(mailboxError("a@[]"));
    CHECK(mailboxError("a@[192.0.2.1\rX: y]"));
    CHECK(mailboxError("a@[1 2]"));
    CHECK(mailboxError("a@[a]b]"));
    CHECK(mailboxError("a@[a\\b]"));
}
