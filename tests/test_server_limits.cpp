// Issue #12 on the engine (the RCPT cap is in test_smtp_server.cpp): the DATA content kept in the trace, the SMTP first-command deadline, the
// IMAP literal caps before login and outside APPEND (whole, byte by byte), and the mailbox-name length.
#include "trace/Render.hpp"
#include "ImapTestHarness.hpp"
#include "SmtpTestHarness.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace mailsim;
using namespace mailsim::test;

namespace {

std::size_t countDataLines(const trace::Trace& t) {
    return static_cast<std::size_t>(std::ranges::count_if(t.events(), [](const trace::Event& e) {
        return e.kind == trace::EventKind::Line && e.role == trace::LineRole::Data;
    }));
}

}  // namespace

TEST_CASE("smtp limits: the trace keeps the first lines of a message; the rest is counted in one note",
          "[smtp][limits]") {
    ServerHost host;
    host.ctx.config.traceContentLines = 10;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO client");
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    c.cmd("RCPT TO:<rose@cesoo.com>");
    c.cmd("DATA");
    std::string content;
    for (int i = 0; i < 25; ++i) content += "line " + std::to_string(i) + "\r\n";
    SECTION("whole") { CHECK(c.send(content + ".\r\n").starts_with("250")); }
    SECTION("byte by byte") {
        for (char ch : content) c.send(std::string(1, ch));
        CHECK(c.send(".\r\n").starts_with("250"));
    }
    CHECK(countDataLines(host.trace) == 11);  // 10 content lines and the final "."
    auto notes = std::ranges::count_if(host.trace.events(), [](const trace::Event& e) {
        const std::string text = trace::describe(e, i18n::Lang::En);
        return e.kind == trace::EventKind::Note && text.find("15 more content lines (") != std::string::npos &&
               text.find("not recorded in the trace") != std::string::npos;
    });
    CHECK(notes == 1);
    REQUIRE(host.inbox("rose@cesoo.com").size() == 1);
    CHECK(host.inbox("rose@cesoo.com")[0].ends_with(content));  // the store has all of it
}

TEST_CASE("smtp limits: a message over the size limit adds no trace lines past the trace's share", "[smtp][limits]") {
    ServerHost host;
    host.ctx.config.maxMessageSize = 65536;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO client");
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    c.cmd("RCPT TO:<rose@cesoo.com>");
    c.cmd("DATA");
    std::string line = std::string(8, 'x') + "\r\n";
    std::string out;
    for (int i = 0; i < 100'000; ++i) out += c.send(line);  // 1 MB of 10-octet lines
    CHECK(c.send(".\r\n").starts_with("552"));
    CHECK(countDataLines(host.trace) <= host.ctx.config.traceContentLines + 1);
    CHECK(host.trace.size() < 1200);
}

TEST_CASE("smtp limits: no command within the first-command deadline -> 421; any command clears it", "[smtp][limits]") {
    ServerHost host;
    host.ctx.config.firstCommandTimeout = 2'000'000;
    SECTION("silent client") {
        ServerConn c(host);
        c.greeting();
        c.now += 1'000'000;
        c.send("EHL");  // a partial line is not a command
        c.now += 1'000'000;
        c.session.tick(c.now);
        CHECK(c.session.takeOutput() == "421 cesoo.com Error: timeout exceeded, closing connection\r\n");
        CHECK(c.session.closed());
    }
    SECTION("a command in time") {
        ServerConn c(host);
        c.greeting();
        c.cmd("NOOP");
        c.now += 3'000'000;
        c.session.tick(c.now);
        CHECK(c.session.takeOutput().empty());
        CHECK_FALSE(c.session.closed());
    }
}

TEST_CASE("imap limits: before login every literal is capped at 4096 octets, refused before the +", "[imap][limits]") {
    ImapHost host;
    ImapConn c(host);
    SECTION("synchronising literal, whole") {
        CHECK(c.raw("a LOGIN {10000000}\r\n") == "a BAD [TOOBIG] literal of 10000000 octets refused (limit 4096)\r\n");
    }
    SECTION("synchronising literal, byte by byte") {
        std::string out;
        for (char ch : std::string("a LOGIN {4097}\r\n")) out += c.raw(std::string(1, ch));
        CHECK(out == "a BAD [TOOBIG] literal of 4097 octets refused (limit 4096)\r\n");
    }
    SECTION("LITERAL+ is skipped by counting; the session goes on") {
        std::string out = c.raw("a LOGIN {5000+}\r\n" + std::string(5000, 'x') + " y\r\n");
        CHECK(out == "a BAD [TOOBIG] literal of 5000 octets refused (limit 4096)\r\n");
        CHECK(c.session->bufferedBytes() == 0);
    }
    SECTION("4096 octets are still fine") {
        CHECK(c.raw("a LOGIN {4096}\r\n") == "+ Ready for literal data\r\n");
        return;
    }
    c.login();  // the session still works
}

TEST_CASE("imap limits: after login only APPEND may send a big literal", "[imap][limits]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    CHECK(c.raw("a CREATE {5000}\r\n") == "a BAD [TOOBIG] literal of 5000 octets refused (limit 4096)\r\n");
    CHECK(c.raw("b APPEND INBOX {5000}\r\n") == "+ Ready for literal data\r\n");
}

TEST_CASE("imap limits: a 300-character mailbox name gets a clean NO with the limit", "[imap][limits]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    std::string out = c.cmd("CREATE " + std::string(300, 'x'));
    CHECK(out == "a2 NO [CANNOT] mailbox name refused: it is 300 octets long (the limit is 200)\r\n");
}
