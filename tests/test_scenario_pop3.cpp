// POP3 in the simulator: the loader's checks for pop3 services, sessions and pop3-fetch steps, and runs that show
// keep mode's memory across steps, scripted multi-line responses, and a hang-up that leaves the mail.
#include "sim/world/Api.hpp"
#include "trace/Render.hpp"
#include "LoaderTestHelpers.hpp"
#include "sim/scenario/Scenario.hpp"

#include <catch2/catch.hpp>

using namespace mailsim;
using namespace mailsim::sim;
using mailsim::test::anyContains;
using mailsim::test::problems;

namespace {

const std::string kHosts = R"(title: t
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp, "pop3:1100"], users: [{ name: rose, password: rose123 }] }
  - { name: pc }
)";

RunResult run(const std::string& steps) {
    auto r = runScenarioText(kHosts + "steps:\n" + steps, "t.yaml");
    REQUIRE(r.has_value());
    return std::move(*r);
}

std::string deliverOne(const std::string& subject) {
    return "  - mua: { action: send, from: pc, server: mx, sender: rose@cesoo.com, to: [rose@cesoo.com], subject: " +
           subject + ", body: hi }\n";
}

}  // namespace

TEST_CASE("loader: pop3 services, sessions and pop3-fetch steps resolve", "[loader][pop3]") {
    auto sc = loadScenario(kHosts + R"(steps:
  - session: { from: pc, to: mx, protocol: pop3 }
    script:
      - { expect: +OK }
      - { send: "QUIT", expect: -ERR, contains: x }
  - mua: { action: pop3-fetch, from: pc, server: mx, user: rose@cesoo.com, mode: keep, auth: apop, expect: { fetched: 3 } }
)", "t.yaml");
    REQUIRE(sc.has_value());
    CHECK(sc->hosts[0].pop3->port == 1100);
    const auto& sess = std::get<SessionStep>(sc->steps[0].what);
    CHECK(sess.port == 1100);
    CHECK(sess.script[1].expect->pop3Ok == false);
    CHECK(sess.script[1].expect->describe() == "-ERR containing \"x\"");
    const auto& fetch = std::get<MuaFetchStep>(sc->steps[1].what);
    CHECK(fetch.port == 1100);
    CHECK(fetch.password == "rose123");  // taken from the server's user list
    CHECK(fetch.mode == FetchMode::Keep);
    CHECK(fetch.auth == FetchAuth::Apop);
    CHECK(fetch.expectFetched == 3u);
}

TEST_CASE("loader: pop3 mistakes are reported with place and suggestion", "[loader][pop3]") {
    auto p = problems(R"(title: t
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
  - { name: pc }
steps:
  - session: { from: pc, to: mx, protocol: pop3 }
    script:
      - { expect: 250 }
  - session: { from: pc, to: mx, protocol: pop }
    script: [ QUIT ]
  - mua: { action: pop3-fetch, from: pc, server: mx, user: rose@cesoo.com, mode: kepp, auth: cram }
  - mua: { action: pop3-fetsh, from: pc, server: mx }
  - mua: { action: pop3-fetch, from: pc, server: mx, user: nobody@cesoo.com, expect: { fetch: 1 } }
)");
    CHECK(anyContains(p, "t.yaml:8:19: in a pop3 session expect must be +OK or -ERR, found '250'"));
    CHECK(anyContains(p, "t.yaml:9:44: protocol 'pop' is not available; expected smtp, pop3 or imap (did you mean 'pop3'?)"));
    CHECK(anyContains(p, "mode 'kepp' is not a POP3 working mode; expected delete or keep (did you mean 'keep'?)"));
    CHECK(anyContains(p, "auth 'cram' is not a POP3 login method"));
    CHECK(anyContains(p, "mua action 'pop3-fetsh' is not available; expected 'send', 'pop3-fetch', 'imap-summary', 'imap-search', 'imap-move', 'imap-sync', 'imap-flag', 'imap-create', 'imap-rename' or 'imap-delete' (did you mean 'pop3-fetch'?)"));
    CHECK(anyContains(p, "unknown key 'fetch' in expect (did you mean 'fetched'?)"));
    CHECK(anyContains(p, "no user 'nobody@cesoo.com'"));
    auto q = problems(R"(title: t
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
  - { name: pc }
steps:
  - mua: { action: pop3-fetch, from: pc, server: mx, user: rose@cesoo.com }
)");
    CHECK(anyContains(q, "host 'mx' runs no pop3 service; add 'pop3' to its services"));
}

TEST_CASE("sim: keep mode remembers unique ids across steps; delete mode empties the mailbox", "[scenario][pop3]") {
    auto r = run(deliverOne("one") + deliverOne("two") + R"(
  - mua: { action: pop3-fetch, from: pc, server: mx, user: rose@cesoo.com, mode: keep, expect: { fetched: 2 } }
  - mua: { action: pop3-fetch, from: pc, server: mx, user: rose@cesoo.com, mode: keep, expect: { fetched: 0 } }
)" + deliverOne("three") + R"(
  - mua: { action: pop3-fetch, from: pc, server: mx, user: rose@cesoo.com, mode: keep, auth: apop, expect: { fetched: 1 } }
  - check: { mailbox: rose@cesoo.com, count: 3 }
  - mua: { action: pop3-fetch, from: pc, server: mx, user: rose@cesoo.com, mode: delete, expect: { fetched: 3 } }
  - check: { mailbox: rose@cesoo.com, count: 0 }
)");
    for (const auto& f : r.failures) INFO(f.where << ": expected " << f.expected << ", got " << f.got);
    CHECK(r.ok());
    CHECK(r.expectationsChecked == 6);  // four fetches, two checks
}

TEST_CASE("sim: a wrong expectation of pop3-fetch fails and says what happened", "[scenario][pop3]") {
    auto r = run(deliverOne("one") + R"(
  - mua: { action: pop3-fetch, from: pc, server: mx, user: rose@cesoo.com, password: bad, expect: { fetched: 1 } }
)");
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].got.find("0 messages fetched (login refused: [AUTH]") != std::string::npos);
}

TEST_CASE("sim: a scripted POP3 session reads multi-line answers; hanging up skips UPDATE", "[scenario][pop3]") {
    auto r = run(deliverOne("one") + R"(
  - session: { from: pc, to: mx:1100, protocol: pop3 }
    script:
      - { expect: +OK }
      - { send: "CAPA", expect: +OK, contains: UIDL }
      - { send: "USER rose", expect: +OK }
      - { send: "PASS rose123", expect: +OK }
      - { send: "LIST", expect: +OK, contains: "1 " }
      - { send: "RETR 1", expect: +OK, contains: "Subject: one" }
      - { send: "AUTH PLAIN", expect: -ERR, contains: "not allowed in the TRANSACTION state" }
      - { send: "DELE 1", expect: +OK }
  - check: { mailbox: rose@cesoo.com, count: 1 }
)");
    for (const auto& f : r.failures) INFO(f.where << ": expected " << f.expected << ", got " << f.got);
    CHECK(r.ok());
    bool noted = false;
    for (const auto& e : r.trace.events())
        if (e.kind == trace::EventKind::Note && trace::describe(e, i18n::Lang::En).find("without QUIT") != std::string::npos)
            noted = true;
    CHECK(noted);
}
