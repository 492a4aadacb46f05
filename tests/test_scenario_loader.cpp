// The scenario loader: what a teacher sees when a file is wrong. Each problem comes as file:line:col, all of them
// at once, saying what was wrong and what was expected.
#include "LoaderTestHelpers.hpp"
#include "Scenario.hpp"

#include <catch2/catch.hpp>

using namespace mailsim::sim;
using mailsim::test::anyContains;
using mailsim::test::problems;

namespace {

const char* kGood = R"(title: ok
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose, password: r }] }
  - { name: pc }
steps:
  - note: hello
  - session: { from: pc, to: mx:25 }
    script:
      - { expect: 220 }
      - "QUIT"
  - wait: 90s
  - check: { mailbox: rose@cesoo.com, count: 0 }
)";

}  // namespace

TEST_CASE("a valid scenario loads with everything resolved", "[loader]") {
    auto sc = loadScenario(kGood, "t.yaml");
    REQUIRE(sc.has_value());
    CHECK(sc->title == "ok");
    REQUIRE(sc->hosts.size() == 2);
    CHECK(sc->hosts[0].users.at(0).address == "rose@cesoo.com");
    REQUIRE(sc->steps.size() == 4);
    const auto& sess = std::get<SessionStep>(sc->steps[1].what);
    CHECK(sess.port == 25);
    CHECK(sess.script.size() == 2);
    CHECK(sess.script[1].send == "QUIT");
    CHECK_FALSE(sess.script[1].expect.has_value());
    CHECK(std::get<WaitStep>(sc->steps[2].what).duration == 90'000'000);
    CHECK(sc->steps[1].pos.line == 7);
}

TEST_CASE("broken YAML is reported with its position", "[loader]") {
    auto p = problems("title: x\nhosts: [\n");
    REQUIRE(p.size() == 1);
    CHECK(p[0].starts_with("t.yaml:3:1: not valid YAML"));
}

TEST_CASE("every problem is reported at once, with did-you-mean", "[loader]") {
    auto p = problems(R"(title: broken
hosts:
  - name: mx
    domian: [cesoo.com]
    services: [smtp, pop4]
  - name: pc
steps:
  - session: { from: pcc, to: mx:99999 }
    script: [ { send: HELO x, expect: 2x0 } ]
  - chek: { mailbox: rose@cesoo.com }
  - wait: 5 minutes
)");
    CHECK(p.size() >= 5);
    CHECK(anyContains(p, "t.yaml:4:5: unknown key 'domian' in a host (did you mean 'domains'?)"));
    CHECK(anyContains(p, "unknown service 'pop4' (did you mean 'pop3'?)"));
    CHECK(anyContains(p, "t.yaml:8:31: 'mx:99999': the port after ':' must be a number from 1 to 65535"));
    CHECK(anyContains(p, "t.yaml:10:5: a step needs exactly one of: session, mua, note, check, wait, fault (did you mean 'check'?)"));
    CHECK(anyContains(p, "wait must be a duration"));
}

TEST_CASE("references to hosts, users and ports are checked", "[loader]") {
    auto p = problems(R"(title: refs
hosts:
  - { name: mx, domains: [cesoo.com], services: ["smtp:2525"], users: [{ name: rose }] }
  - { name: pc }
steps:
  - session: { from: pc2, to: mx:25 }
    script: [ "QUIT" ]
  - check: { mailbox: rosa@cesoo.com, count: 1 }
)");
    CHECK(anyContains(p, "t.yaml:6:22: no host named 'pc2' (did you mean 'pc'?)"));
    CHECK(anyContains(p, "no user 'rosa@cesoo.com' is defined on any host (did you mean 'rose@cesoo.com'?)"));
    auto q = problems(R"(title: port
hosts:
  - { name: mx, domains: [cesoo.com], services: ["smtp:2525"] }
  - { name: pc }
steps:
  - session: { from: pc, to: mx:25 }
    script: [ "QUIT" ]
)");
    REQUIRE(q.size() == 1);
    CHECK(q[0] == "t.yaml:6:5: nothing listens on mx:25 (its smtp service is on port 2525)");
}

TEST_CASE("missing top-level parts and wrong types are explained", "[loader]") {
    auto p = problems("description: nothing else\n");
    CHECK(anyContains(p, "no 'title'"));
    CHECK(anyContains(p, "no 'hosts'"));
    CHECK(anyContains(p, "no 'steps'"));
    auto q = problems("title: t\nhosts: mx\nsteps: []\n");
    CHECK(anyContains(q, "t.yaml:2:8: hosts must be a list"));
    auto r = problems("- just\n- a list\n");
    CHECK(anyContains(r, "the scenario file must be a mapping"));
}

TEST_CASE("durations", "[loader]") {
    CHECK(parseDuration("30m") == 1'800'000'000);
    CHECK(parseDuration("2h") == 7'200'000'000LL);
    CHECK(parseDuration("1500ms") == 1'500'000);
    CHECK(parseDuration("200us") == 200);
    CHECK(parseDuration("1d") == 86'400'000'000LL);
    CHECK_FALSE(parseDuration("5 minutes"));
    CHECK_FALSE(parseDuration("m"));
    CHECK_FALSE(parseDuration("-5s"));
    CHECK_FALSE(parseDuration("99999999999999999999d"));
}

TEST_CASE("mua steps are validated", "[loader]") {
    auto p = problems(R"(title: mua
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
  - { name: pc }
steps:
  - mua: { action: sned, from: pc, server: mx, sender: mike@cesoo.com, to: [rose@cesoo.com] }
  - mua: { action: send, from: pc, server: mx, sender: "mike at cesoo", to: [rose@cesoo.com] }
  - mua: { action: send, from: pc, server: mx, sender: m@cesoo.com, to: [rose@cesoo.com], expect: { rose@cesoo.com: deliverd } }
  - mua: { action: send, from: pc, server: mx, sender: m@cesoo.com, subject: no recipients }
)");
    CHECK(anyContains(p, "t.yaml:6:20: mua action 'sned' is not available; expected 'send', 'pop3-fetch', 'imap-summary', 'imap-search', 'imap-move', 'imap-sync', 'imap-flag', 'imap-create', 'imap-rename' or 'imap-delete' (did you mean 'send'?)"));
    CHECK(anyContains(p, "sender 'mike at cesoo'"));
    CHECK(anyContains(p, "'deliverd' is not an outcome; expected delivered, deferred or refused (did you mean 'delivered'?)"));
    CHECK(anyContains(p, "a message needs recipients"));
}
