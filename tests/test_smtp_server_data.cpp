// The SMTP server session's DATA phase (RFC 5321 4.1.1.4, 4.5.2, 2.3.8): dot-stuffing, the end of content, SMTP
// smuggling (CVE-2023-51764), size limits, pipelining, and independence from how the bytes are split.
#include "SmtpTestHarness.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

using namespace mailsim;
using namespace mailsim::test;

namespace {

const std::string kEnvelope = "EHLO pc\r\nMAIL FROM:<mike@cesoo.com>\r\nRCPT TO:<rose@cesoo.com>\r\nDATA\r\n";

// Everything observable about a run: the bytes sent back and every stored message of every user.
struct Observed {
    std::string output;
    std::vector<std::string> mike, rose;
    bool operator==(const Observed&) const = default;
};
Observed observe(const FeedRun& run) {
    return {run.output, run.host->inbox("mike@cesoo.com"), run.host->inbox("rose@cesoo.com")};
}

// Runs `input` whole, byte by byte and in random chunks (five seeds), with the trace observed and (whole, byte by
// byte, one seed) with nobody observing it; all runs must observe the same thing.
Observed sameUnderEverySplit(const std::string& input, bool lenient = true) {
    Observed whole = observe(runFeed(input, FeedMode::Whole, 0, lenient));
    CHECK(observe(runFeed(input, FeedMode::ByteByByte, 0, lenient)) == whole);
    for (unsigned seed : {1u, 2u, 3u, 42u, 2024u}) {
        INFO("seed " << seed);
        CHECK(observe(runFeed(input, FeedMode::RandomChunks, seed, lenient)) == whole);
    }
    CHECK(observe(runFeed(input, FeedMode::Whole, 0, lenient, false)) == whole);
    CHECK(observe(runFeed(input, FeedMode::ByteByByte, 0, lenient, false)) == whole);
    CHECK(observe(runFeed(input, FeedMode::RandomChunks, 7, lenient, false)) == whole);
    return whole;
}

}  // namespace

TEST_CASE("DATA: 354, content, 250; the stored message has trace headers then the content", "[smtp][server][data]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    CHECK(c.send(kEnvelope) == "250-cesoo.com Hello pc, pleased to meet you\r\n250-SIZE 10485760\r\n250-8BITMIME\r\n"
                               "250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n"
                               "250 2.1.0 <mike@cesoo.com>... Sender OK\r\n"
                               "250 2.1.5 <rose@cesoo.com>... Recipient OK\r\n"
                               "354 Enter mail, end with \".\" on a line by itself\r\n");
    CHECK(c.send("Subject: love letter\r\n\r\nI love you.\r\n.\r\n") == "250 2.0.0 Message accepted for delivery\r\n");
    auto inbox = host.inbox("rose@cesoo.com");
    REQUIRE(inbox.size() == 1);
    CHECK(inbox[0] == "Return-Path: <mike@cesoo.com>\r\n"
                      "Received: from pc (mike-pc [10.0.0.2])\r\n"
                      "\tby cesoo.com (mailsim) with ESMTP id 00000001\r\n"
                      "\tfor <rose@cesoo.com>;\r\n"
                      "\tMon, 04 Mar 2024 09:00:00 +0000\r\n"
                      "Subject: love letter\r\n\r\nI love you.\r\n");
    CHECK(c.session.messagesAccepted() == 1);
    CHECK(c.session.state() == SmtpState::Ready);
}

TEST_CASE("dot-stuffing: the first dot of a content line is removed", "[smtp][server][data]") {
    auto run = sameUnderEverySplit(kEnvelope + "..x\r\n..\r\n...\r\n.a.b\r\nx.\r\n.\r\n");
    REQUIRE(run.rose.size() == 1);
    CHECK(bodyOf(run.rose[0]) == ".x\r\n.\r\n..\r\na.b\r\nx.\r\n");
}

TEST_CASE("an empty message and a message that is one empty line", "[smtp][server][data]") {
    auto empty = sameUnderEverySplit(kEnvelope + ".\r\n");
    REQUIRE(empty.rose.size() == 1);
    CHECK(bodyOf(empty.rose[0]).empty());
    auto oneLine = sameUnderEverySplit(kEnvelope + "\r\n.\r\n");
    REQUIRE(oneLine.rose.size() == 1);
    CHECK(bodyOf(oneLine.rose[0]) == "\r\n");
}

TEST_CASE("a refused RCPT does not abort the transaction; lists expand", "[smtp][server][data]") {
    auto run = sameUnderEverySplit("EHLO pc\r\nMAIL FROM:<mike@cesoo.com>\r\nRCPT TO:<nobody@cesoo.com>\r\n"
                                   "RCPT TO:<rose@cesoo.com>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\nhi\r\n.\r\n"
                                   "MAIL FROM:<rose@cesoo.com>\r\nRCPT TO:<staff@cesoo.com>\r\nDATA\r\nall\r\n.\r\n");
    CHECK(replyCodes(run.output) == std::vector<int>{220, 250, 250, 550, 250, 554, 354, 250, 250, 250, 354, 250});
    REQUIRE(run.rose.size() == 2);
    CHECK(bodyOf(run.rose[0]) == "hi\r\n");
    CHECK(bodyOf(run.rose[1]) == "all\r\n");
    REQUIRE(run.mike.size() == 1);
    CHECK(bodyOf(run.mike[0]) == "all\r\n");
}

TEST_CASE("several messages per connection, then QUIT", "[smtp][server][data]") {
    std::string input = "EHLO pc\r\n";
    for (int i = 0; i < 5; ++i)
        input += fmt::format("MAIL FROM:<mike@cesoo.com>\r\nRCPT TO:<rose@cesoo.com>\r\nDATA\r\nSubject: {}\r\n\r\n"
                             "body {}\r\n.\r\n", i, i);
    input += "QUIT\r\n";
    auto run = sameUnderEverySplit(input);
    REQUIRE(run.rose.size() == 5);
    for (int i = 0; i < 5; ++i) CHECK(bodyOf(run.rose[i]) == fmt::format("Subject: {}\r\n\r\nbody {}\r\n", i, i));
    CHECK(replyCodes(run.output).back() == 221);
}

TEST_CASE("pipelining: MAIL RCPT RCPT DATA in one segment are answered in order", "[smtp][server][data]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO pc");
    std::string out = c.send("MAIL FROM:<mike@cesoo.com>\r\nRCPT TO:<rose@cesoo.com>\r\nRCPT TO:<nobody@cesoo.com>\r\n"
                             "DATA\r\n");
    CHECK(out == "250 2.1.0 <mike@cesoo.com>... Sender OK\r\n"
                 "250 2.1.5 <rose@cesoo.com>... Recipient OK\r\n"
                 "550 5.1.1 <nobody@cesoo.com>... User unknown\r\n"
                 "354 Enter mail, end with \".\" on a line by itself\r\n");
    // Content, the end, and the next commands in the same segment too.
    out = c.send("hello\r\n.\r\nMAIL FROM:<mike@cesoo.com>\r\nQUIT\r\n");
    CHECK(replyCodes(out) == std::vector<int>{250, 250, 221});
    CHECK(host.inbox("rose@cesoo.com").size() == 1);
}

// CVE-2023-51764 and friends: a sender hides "<LF>.<LF>" (or similar) in the content, hoping a server treats it as
// the end of the message and the following text as new commands: a second, forged message. Only <CRLF>.<CRLF> ends
// the content (RFC 5321 4.1.1.4, 2.3.8).
TEST_CASE("SMTP smuggling: bare line ends never end the message", "[smtp][server][data][smuggling]") {
    const char* separators[] = {"\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\r.\r", "\n.\r"};
    const std::string smuggled = "MAIL FROM:<admin@cesoo.com>\r\nRCPT TO:<mike@cesoo.com>\r\nDATA\r\n"
                                 "Subject: forged\r\n\r\nsmuggled\r\n";
    for (const char* sep : separators) {
        for (bool lenient : {true, false}) {
            INFO("separator " << fmt::format("{:?}", std::string(sep)) << (lenient ? " lenient" : " strict"));
            std::string input = kEnvelope + "Subject: real\r\n\r\nhello" + sep + smuggled + ".\r\nQUIT\r\n";
            auto run = sameUnderEverySplit(input, lenient);
            CHECK(run.mike.empty());  // in no case is a second message delivered
            if (lenient) {
                CHECK(replyCodes(run.output) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
                REQUIRE(run.rose.size() == 1);
                CHECK(bodyOf(run.rose[0]).find("MAIL FROM:<admin@cesoo.com>\r\n") != std::string::npos);
                CHECK(bodyOf(run.rose[0]).find("smuggled\r\n") != std::string::npos);
                // Stored with CRLF only: no bare CR or LF survives to confuse the next hop.
                std::string body = bodyOf(run.rose[0]);
                for (std::size_t i = 0; i < body.size(); ++i) {
                    if (body[i] == '\r') CHECK(body.substr(i, 2) == "\r\n");
                    if (body[i] == '\n') CHECK((i > 0 && body[i - 1] == '\r'));
                }
            } else {
                auto codes = replyCodes(run.output);
                CHECK(codes == std::vector<int>{220, 250, 250, 250, 354, 554, 221});
                CHECK(run.output.find("554 5.6.0 Message contains a bare") != std::string::npos);
                CHECK(run.rose.empty());
            }
        }
    }
}

TEST_CASE("a bare CR or LF split across segments is still bare", "[smtp][server][data][smuggling]") {
    ServerHost host;
    host.ctx.config.lenient = false;
    ServerConn c(host);
    c.greeting();
    c.send(kEnvelope);
    CHECK(c.send("abc\r").empty());  // might be the CR of a CRLF: held back
    CHECK(c.send("x\r\n.\r\n") == "554 5.6.0 Message contains a bare CR; only CRLF ends a line (RFC 5321 2.3.8)\r\n");
    CHECK(c.session.state() == SmtpState::Ready);
}

TEST_CASE("lenient: after a bare LF a stuffed dot is removed, a lone dot stays content", "[smtp][server][data][smuggling]") {
    // What python's smtplib sends for bytes with LF-only lines: dots stuffed after each LF, CRLF only at the end.
    std::string input = kEnvelope + "Subject: lf\n\n..dot line\n..\nlast\n.\r\nafter\r\n.\r\nQUIT\r\n";
    auto run = sameUnderEverySplit(input, true);
    CHECK(replyCodes(run.output) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
    REQUIRE(run.rose.size() == 1);
    CHECK(bodyOf(run.rose[0]).ends_with("\r\n.dot line\r\n.\r\nlast\r\n.\r\nafter\r\n"));
    // Strict: the same bytes are refused whole.
    auto strict = sameUnderEverySplit(input, false);
    CHECK(strict.rose.empty());
}

TEST_CASE("552: content beyond the size limit is refused at the end of DATA, nothing stored", "[smtp][server][data]") {
    ServerHost host;
    host.ctx.config.maxMessageSize = 1000;
    ServerConn c(host);
    c.greeting();
    c.send(kEnvelope);
    std::string line(98, 'a');
    for (int i = 0; i < 100; ++i) CHECK(c.send(line + "\r\n").empty());  // 10 000 octets
    CHECK(c.session.bufferedBytes() < 200);
    CHECK(c.send(".\r\n") == "552 5.3.4 Message size exceeds fixed limit of 1000 octets\r\n");
    CHECK(host.totalStored() == 0);
    CHECK(c.session.state() == SmtpState::Ready);
    // Exactly at the limit is fine.
    c.send("MAIL FROM:<mike@cesoo.com>\r\nRCPT TO:<rose@cesoo.com>\r\nDATA\r\n");
    for (int i = 0; i < 10; ++i) c.send(line + "\r\n");
    CHECK(lastCode(c.send(".\r\n")) == 250);
}

TEST_CASE("a content line over 1000 octets: stored when lenient, 500 when strict", "[smtp][server][data]") {
    for (bool lenient : {true, false}) {
        std::string input = kEnvelope + std::string(1200, 'x') + "\r\n.\r\n";
        auto run = sameUnderEverySplit(input, lenient);
        CHECK(lastCode(run.output) == (lenient ? 250 : 500));
        CHECK(run.rose.size() == (lenient ? 1u : 0u));
    }
}

TEST_CASE("the line limit is exact: 998 octets and CRLF are a line, 999 are too long (RFC 5321 4.5.3.1.6)",
          "[smtp][server][data]") {
    for (std::size_t n : {998u, 999u}) {
        for (bool stuffed : {false, true}) {  // a dot the client stuffed (RFC 5321 4.5.2) is removed before measuring
            INFO(n << " octets, stuffed " << stuffed);
            std::string line = (stuffed ? "." : "") + std::string(n, 'x');
            if (stuffed) line[1] = '.';
            auto strict = sameUnderEverySplit(kEnvelope + "a\r\n" + line + "\r\nb\r\n.\r\n", false);
            CHECK(lastCode(strict.output) == (n == 998 ? 250 : 500));
            auto lenient = sameUnderEverySplit(kEnvelope + "a\r\n" + line + "\r\nb\r\n.\r\n", true);
            REQUIRE(lenient.rose.size() == 1);
            CHECK(bodyOf(lenient.rose[0]) == "a\r\n" + line.substr(stuffed ? 1 : 0) + "\r\nb\r\n");
        }
    }
    // Bare line ends restart the count (lenient), and a long run between them is still too long when strict.
    auto bare = sameUnderEverySplit(kEnvelope + std::string(600, 'y') + "\n" + std::string(600, 'z') + "\r\n.\r\n", true);
    REQUIRE(bare.rose.size() == 1);
    CHECK(bodyOf(bare.rose[0]) == std::string(600, 'y') + "\r\n" + std::string(600, 'z') + "\r\n");
}

TEST_CASE("the size limit is exact when one content line crosses it", "[smtp][server][data]") {
    for (std::size_t n : {998u, 999u}) {
        ServerHost host;
        host.ctx.config.maxMessageSize = 1000;  // content octets, each line with its CRLF
        ServerConn c(host);
        c.greeting();
        c.send(kEnvelope);
        CHECK(c.send(std::string(n, 'q') + "\r\n.\r\n").starts_with(n == 998 ? "250" : "552"));
        CHECK(host.totalStored() == (n == 998 ? 1u : 0u));
    }
}

TEST_CASE("every dialogue gives the same bytes and store whole, byte by byte and in random chunks",
          "[smtp][server][split]") {
    const std::string dialogues[] = {
        kEnvelope + "Subject: x\r\n\r\nline\r\n.\r\nQUIT\r\n",
        "HELO pc\nMAIL FROM:Mike@cesoo.com\nRCPT TO:rose@cesoo.com\nDATA\n" "a\r\n.\r\n",
        "EHLO pc\r\nNOOP " + std::string(700, 'y') + "\r\nVRFY rose\r\nEXPN staff\r\nHELP\r\nTURN\r\nFOOB\r\nQUIT\r\n",
        kEnvelope + "\r\n\r\n.\r\r\n..\r\n.\r\n",
        kEnvelope + "a\rb\nc\r\r\n.\r\n",
        "EHLO pc\r\nRCPT TO:<rose@cesoo.com>\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.org>\r\nDATA\r\nRSET\r\nQUIT\r\n",
    };
    for (const auto& d : dialogues) {
        INFO(d);
        auto run = sameUnderEverySplit(d);
        CHECK_FALSE(run.output.empty());
    }
}
