// Scenario rules on the SMTP server: chosen replies at chosen points, repeatable, and what each does to the state
// and the store.
#include "trace/Render.hpp"
#include "SmtpTestHarness.hpp"

#include <catch2/catch.hpp>

using namespace mailsim;
using namespace mailsim::test;

namespace {

SmtpRule rule(std::string at, int occurrence, int code, std::string enhanced = {}) {
    SmtpRule r;
    r.at = std::move(at);
    r.occurrence = occurrence;
    r.code = code;
    r.enhanced = std::move(enhanced);
    return r;
}

bool traceHasNote(const trace::Trace& t, std::string_view needle) {
    for (const auto& e : t.events())
        if (e.kind == trace::EventKind::Note && trace::describe(e, i18n::Lang::En).find(needle) != std::string::npos)
            return true;
    return false;
}

}  // namespace

TEST_CASE("451 on the 2nd RCPT: that recipient is refused, the others get the mail", "[smtp][rules]") {
    ServerHost host;
    host.ctx.directory.addUser("jack@cesoo.com", "x");
    host.ctx.config.rules.push_back(rule("RCPT", 2, 451, "4.3.0"));
    ServerConn c(host);
    c.greeting();
    CHECK(lastCode(c.cmd("EHLO pc")) == 250);
    CHECK(lastCode(c.cmd("MAIL FROM:<mike@cesoo.com>")) == 250);
    CHECK(c.cmd("RCPT TO:<rose@cesoo.com>").starts_with("250 "));
    CHECK(c.cmd("RCPT TO:<mike@cesoo.com>") == "451 4.3.0 Requested action aborted: local error in processing\r\n");
    CHECK(c.cmd("RCPT TO:<jack@cesoo.com>").starts_with("250 "));
    CHECK(lastCode(c.cmd("DATA")) == 354);
    CHECK(lastCode(c.send("hi\r\n.\r\n")) == 250);
    CHECK(host.inbox("rose@cesoo.com").size() == 1);
    CHECK(host.inbox("jack@cesoo.com").size() == 1);
    CHECK(host.inbox("mike@cesoo.com").empty());
    CHECK(traceHasNote(host.trace, "scenario rule: 451 on the 2nd RCPT"));
}

TEST_CASE("552 on DATA refuses DATA and keeps the transaction; 554 at the dot stores nothing", "[smtp][rules]") {
    ServerHost host;
    host.ctx.config.rules.push_back(rule("DATA", 1, 552));
    host.ctx.config.rules.push_back(rule("DOT", 1, 554));
    ServerConn c(host);
    c.greeting();
    c.cmd("HELO pc");
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    c.cmd("RCPT TO:<rose@cesoo.com>");
    CHECK(c.cmd("DATA") == "552 Requested mail action aborted: exceeded storage allocation\r\n");  // no enhanced code after HELO
    CHECK(c.session.state() == SmtpState::Rcpt);
    CHECK(lastCode(c.cmd("DATA")) == 354);  // the 2nd DATA is not the rule's occurrence
    CHECK(lastCode(c.send("first\r\n.\r\n")) == 554);
    CHECK(c.session.state() == SmtpState::Ready);
    CHECK(host.inbox("rose@cesoo.com").empty());
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    c.cmd("RCPT TO:<rose@cesoo.com>");
    c.cmd("DATA");
    CHECK(lastCode(c.send("second\r\n.\r\n")) == 250);
    CHECK(host.inbox("rose@cesoo.com").size() == 1);
}

TEST_CASE("421 on EHLO closes the connection", "[smtp][rules]") {
    ServerHost host;
    auto r = rule("EHLO", 1, 421, "4.3.2");
    r.text = "cesoo.com shutting down for maintenance";
    host.ctx.config.rules.push_back(r);
    ServerConn c(host);
    c.greeting();
    CHECK(c.cmd("EHLO pc") == "421 cesoo.com shutting down for maintenance\r\n");
    CHECK(c.session.closed());
    CHECK(c.cmd("HELO pc").empty());
}

TEST_CASE("554 at connection time: only QUIT is accepted (RFC 5321 3.1)", "[smtp][rules]") {
    ServerHost host;
    host.ctx.config.rules.push_back(rule("CONNECT", 0, 554));
    ServerConn c(host);
    CHECK(c.greeting() == "554 Transaction failed (or, at connection time, no SMTP service here)\r\n");
    CHECK(lastCode(c.cmd("HELO pc")) == 503);
    CHECK(lastCode(c.cmd("QUIT")) == 221);
    CHECK(c.session.closed());
}

TEST_CASE("greylisting: the first attempt of a triple gets 450, a retry passes, other triples are fresh", "[smtp][rules]") {
    ServerHost host;
    auto r = rule("RCPT", 0, 450, "4.7.1");
    r.greylist = true;
    r.text = "Greylisted, please try again later";
    host.ctx.config.rules.push_back(r);
    auto attempt = [&](std::string rcpt) {
        ServerConn c(host);
        c.greeting();
        c.cmd("EHLO pc");
        c.cmd("MAIL FROM:<mike@cesoo.com>");
        return c.cmd("RCPT TO:<" + rcpt + ">");
    };
    CHECK(attempt("rose@cesoo.com") == "450 4.7.1 Greylisted, please try again later\r\n");
    CHECK(attempt("rose@cesoo.com").starts_with("250 "));
    CHECK(attempt("mike@cesoo.com").starts_with("450 "));
    CHECK(traceHasNote(host.trace, "was tried before, so it passes now"));
}

TEST_CASE("a rule limited to some senders leaves the others alone; out-of-sequence commands get 503 first", "[smtp][rules]") {
    ServerHost host;
    auto r = rule("MAIL", 0, 550, "5.7.1");
    r.senders = {"spammer@evil.example"};
    host.ctx.config.rules.push_back(r);
    ServerConn c(host);
    c.greeting();
    CHECK(lastCode(c.cmd("MAIL FROM:<spammer@evil.example>")) == 503);  // before HELO: sequence error, not the rule
    c.cmd("EHLO pc");
    CHECK(c.cmd("MAIL FROM:<spammer@evil.example>").starts_with("550 5.7.1 "));
    CHECK(c.session.state() == SmtpState::Ready);
    CHECK(lastCode(c.cmd("MAIL FROM:<mike@cesoo.com>")) == 250);
}
