// IMAP in the simulator: the loader's checks for imap services and sessions, and scripted sessions that wait for the
// tagged completion, see untagged data, and handle "+" continuations (literals, IDLE).
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
  - { name: mx, domains: [cesoo.com], services: [smtp, "imap:1430"], users: [{ name: rose, password: rose123 }] }
  - { name: pc }
)";

}  // namespace

TEST_CASE("loader: imap service port and session expectations", "[loader][imap]") {
    auto sc = loadScenario(kHosts + R"(steps:
  - session: { from: pc, to: mx, protocol: imap }
    script:
      - { expect: OK }
      - { send: "a1 LOGIN rose rose123", expect: OK }
      - { send: "a2 APPEND INBOX {2}", expect: "+" }
)", "t.yaml");
    REQUIRE(sc);
    REQUIRE(sc->hosts[0].imap);
    CHECK(sc->hosts[0].imap->port == 1430);
    const auto& sess = std::get<SessionStep>(sc->steps[0].what);
    CHECK(sess.port == 1430);
    CHECK(sess.script[1].expect->imapStatus == "OK");
    CHECK(sess.script[2].expect->describe() == "+");
    auto p = problems(R"(title: t
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp, imap, imapp], users: [{ name: rose }] }
  - { name: pc }
  - { name: other, domains: [other.org], services: [smtp], users: [{ name: ann }] }
steps:
  - session: { from: pc, to: mx, protocol: imap }
    script:
      - { expect: 250 }
      - { send: "a1 NOOP", expect: OKK }
  - session: { from: pc, to: other, protocol: imap }
    script: [ "a1 LOGOUT" ]
)");
    CHECK(anyContains(p, "unknown service 'imapp' (did you mean 'imap'?); expected smtp, submission, smtps, pop3, pop3s, imap or imaps"));
    CHECK(anyContains(p, "t.yaml:9:19: in an imap session expect must be OK, NO, BAD or +, found '250'"));
    CHECK(anyContains(p, "found 'OKK' (did you mean 'OK'?)"));
    auto q = problems(R"(title: t
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
  - { name: pc }
steps:
  - session: { from: pc, to: mx, protocol: imap }
    script: [ "a1 LOGOUT" ]
)");
    CHECK(anyContains(q, "host 'mx' runs no imap service; add 'imap' to its services"));
}

TEST_CASE("sim: a scripted imap session waits for tagged completions and follows continuations", "[scenario][imap]") {
    auto result = runScenarioText(kHosts + R"(steps:
  - session: { from: pc, to: mx, protocol: imap }
    script:
      - { expect: OK, contains: "IMAP4rev1" }
      - { send: "a1 LOGIN rose rose123", expect: OK }
      - { send: "a2 APPEND INBOX {10}", expect: "+" }
      - { send: "Subject: x", expect: OK, contains: "[APPENDUID" }
      - { send: "a3 SELECT INBOX", expect: OK, contains: "* 1 EXISTS" }
      - { send: "a4 IDLE", expect: "+" }
      - { send: "DONE", expect: OK, contains: "a4 OK" }
      - { send: "a5 FETCH 1 BODY[]", expect: OK, contains: "Subject: x" }
      - { send: "a6 FETCH 9 FLAGS", expect: BAD }
      - { send: "a7 SELECT Nope", expect: NO }
      - { send: "a8 LOGOUT", expect: OK, contains: "* BYE" }
  - check: { mailbox: rose@cesoo.com, count: 1, contains: "Subject: x" }
)", "t.yaml");
    REQUIRE(result);
    for (const auto& f : result->failures) UNSCOPED_INFO(f.where << ": expected " << f.expected << ", got " << f.got);
    CHECK(result->ok());
    CHECK(result->expectationsChecked >= 11);
    bool stateTraced = false;
    for (const auto& e : result->trace.events())
        if (e.kind == trace::EventKind::StateChanged && e.machine == "imap" && e.toState == "SELECTED") stateTraced = true;
    CHECK(stateTraced);
    // A wrong expectation fails (the check can fail).
    auto wrong = runScenarioText(kHosts + R"(steps:
  - session: { from: pc, to: mx, protocol: imap }
    script:
      - { expect: OK }
      - { send: "a1 LOGIN rose nope", expect: OK }
)", "t.yaml");
    REQUIRE(wrong);
    CHECK_FALSE(wrong->ok());
}

TEST_CASE("loader: imap mua actions and their mistakes", "[loader][imap]") {
    auto sc = loadScenario(kHosts + R"(steps:
  - mua: { action: imap-summary, from: pc, server: mx, user: rose@cesoo.com, open: [1, 2], expect: { listed: 2 } }
  - mua: { action: imap-move, from: pc, server: mx, user: rose@cesoo.com, field: Subject, text: 项目, target: Work }
  - mua: { action: imap-sync, from: pc, server: mx, user: rose@cesoo.com, flag_offline: [3] }
)", "t.yaml");
    REQUIRE(sc);
    const auto& summary = std::get<MuaImapStep>(sc->steps[0].what);
    CHECK(summary.port == 1430);
    CHECK(summary.password == "rose123");
    CHECK(summary.open == std::vector<std::uint32_t>{1, 2});
    CHECK(summary.expect.at("listed") == 2);
    CHECK(std::get<MuaImapStep>(sc->steps[1].what).field == "SUBJECT");
    CHECK(std::get<MuaImapStep>(sc->steps[2].what).flagOffline == std::vector<std::uint32_t>{3});
    auto p = problems(kHosts + R"(steps:
  - mua: { action: imap-sumary, from: pc, server: mx, user: rose@cesoo.com }
  - mua: { action: imap-search, from: pc, server: mx, user: rose@cesoo.com, field: subjet, text: x }
  - mua: { action: imap-move, from: pc, server: mx, user: rose@cesoo.com, text: x }
  - mua: { action: imap-summary, from: pc, server: mx, user: rose@cesoo.com, expect: { opend: 1 } }
)");
    CHECK(anyContains(p, "mua action 'imap-sumary' is not available"));
    CHECK(anyContains(p, "(did you mean 'imap-summary'?)"));
    CHECK(anyContains(p, "field 'SUBJET' is not an IMAP search field"));
    CHECK(anyContains(p, "mua imap-move needs 'target'"));
    CHECK(anyContains(p, "unknown key 'opend' in expect (did you mean 'opened'?)"));
}

TEST_CASE("loader: imap-flag and the folder actions, and their mistakes", "[loader][imap]") {
    auto sc = loadScenario(kHosts + R"(steps:
  - mua: { action: imap-flag, from: pc, server: mx, user: rose@cesoo.com, uids: [2, 1], add: [Flagged, \Seen],
           remove: [draft], expect: { flagged: 2 } }
  - mua: { action: imap-flag, from: pc, server: mx, user: rose@cesoo.com, field: from, text: mike, add: [seen] }
  - mua: { action: imap-create, from: pc, server: mx, user: rose@cesoo.com, folder: Work/2024, expect: { ok: true } }
  - mua: { action: imap-rename, from: pc, server: mx, user: rose@cesoo.com, folder: Work, target: Old }
  - mua: { action: imap-delete, from: pc, server: mx, user: rose@cesoo.com, folder: INBOX, expect: { ok: false } }
)", "t.yaml");
    REQUIRE(sc);
    const auto& flag = std::get<MuaImapStep>(sc->steps[0].what);
    CHECK(flag.uids == std::vector<std::uint32_t>{2, 1});
    CHECK(flag.addFlags == std::vector<std::string>{"\\Flagged", "\\Seen"});
    CHECK(flag.removeFlags == std::vector<std::string>{"\\Draft"});
    CHECK(flag.expect.at("flagged") == 2);
    CHECK(std::get<MuaImapStep>(sc->steps[1].what).field == "FROM");
    CHECK(std::get<MuaImapStep>(sc->steps[2].what).folder == "Work/2024");
    CHECK(std::get<MuaImapStep>(sc->steps[2].what).expect.at("ok") == 1);
    CHECK(std::get<MuaImapStep>(sc->steps[3].what).target == "Old");
    CHECK(std::get<MuaImapStep>(sc->steps[4].what).expect.at("ok") == 0);
    auto p = problems(kHosts + R"(steps:
  - mua: { action: imap-flagg, from: pc, server: mx, user: rose@cesoo.com }
  - mua: { action: imap-flag, from: pc, server: mx, user: rose@cesoo.com, uids: [1], add: [flaged] }
  - mua: { action: imap-flag, from: pc, server: mx, user: rose@cesoo.com, uids: [1], text: x, add: [seen] }
  - mua: { action: imap-flag, from: pc, server: mx, user: rose@cesoo.com, uids: [1] }
  - mua: { action: imap-create, from: pc, server: mx, user: rose@cesoo.com }
  - mua: { action: imap-rename, from: pc, server: mx, user: rose@cesoo.com, folder: A }
  - mua: { action: imap-delete, from: pc, server: mx, user: rose@cesoo.com, folder: A, mailbox: INBOX }
  - mua: { action: imap-delete, from: pc, server: mx, user: rose@cesoo.com, folder: A, expect: { okk: true } }
  - mua: { action: imap-create, from: pc, server: mx, user: rose@cesoo.com, folder: A, expect: { ok: maybe } }
)");
    CHECK(anyContains(p, "mua action 'imap-flagg' is not available"));
    CHECK(anyContains(p, "(did you mean 'imap-flag'?)"));
    CHECK(anyContains(p, "'flaged' is not an IMAP system flag; expected seen, answered, flagged, deleted or draft "
                         "(did you mean 'flagged'?)"));
    CHECK(anyContains(p, "mua imap-flag needs either 'uids' (a list) or 'text' (a search), not both"));
    CHECK(anyContains(p, "mua imap-flag needs 'add' and/or 'remove'"));
    CHECK(anyContains(p, "mua imap-create needs 'folder'"));
    CHECK(anyContains(p, "mua imap-rename needs 'target'"));
    CHECK(anyContains(p, "unknown key 'mailbox'"));
    CHECK(anyContains(p, "unknown key 'okk' in expect (did you mean 'ok'?)"));
    CHECK(anyContains(p, "ok must be true or false"));
}

TEST_CASE("sim: the user agent flags messages and creates, renames and deletes folders over IMAP", "[scenario][imap]") {
    const std::string steps = R"yaml(steps:
  - mua: { action: send, from: pc, server: mx, sender: ann@example.org, to: [rose@cesoo.com], subject: Plan A, body: a }
  - mua: { action: send, from: pc, server: mx, sender: ann@example.org, to: [rose@cesoo.com], subject: Plan B, body: b }
  - mua: { action: imap-flag, from: pc, server: mx, user: rose@cesoo.com, uids: [2], add: [flagged, seen],
           expect: { flagged: 1 } }
  - mua: { action: imap-flag, from: pc, server: mx, user: rose@cesoo.com, field: subject, text: Plan, remove: [seen],
           expect: { found: 2, flagged: 2 } }
  - session: { from: pc, to: mx, protocol: imap }
    script:
      - { expect: OK }
      - { send: "a1 LOGIN rose rose123", expect: OK }
      - { send: "a2 EXAMINE INBOX", expect: OK }
      - { send: "a3 UID FETCH 2 FLAGS", expect: OK, contains: "FLAGS (\\Flagged)" }
  - mua: { action: imap-create, from: pc, server: mx, user: rose@cesoo.com, folder: Work, expect: { ok: true } }
  - mua: { action: imap-create, from: pc, server: mx, user: rose@cesoo.com, folder: Work, expect: { ok: false } }
  - mua: { action: imap-move, from: pc, server: mx, user: rose@cesoo.com, field: subject, text: Plan A, target: Work,
           expect: { moved: 1 } }
  - mua: { action: imap-rename, from: pc, server: mx, user: rose@cesoo.com, folder: Work, target: Old,
           expect: { ok: true } }
  - check: { mailbox: rose@cesoo.com, folder: Old, count: 1, contains: "Plan A" }
  - mua: { action: imap-delete, from: pc, server: mx, user: rose@cesoo.com, folder: Old, expect: { ok: true } }
  - mua: { action: imap-delete, from: pc, server: mx, user: rose@cesoo.com, folder: INBOX, expect: { ok: false } }
  - check: { mailbox: rose@cesoo.com, count: 1, contains: "Plan B" }
)yaml";
    auto result = runScenarioText(kHosts + steps, "t.yaml");
    REQUIRE(result);
    for (const auto& f : result->failures) UNSCOPED_INFO(f.where << ": expected " << f.expected << ", got " << f.got);
    CHECK(result->ok());
    CHECK(result->expectationsChecked >= 12);
    bool deletedNoted = false;
    for (const auto& e : result->trace.events())
        if (e.kind == trace::EventKind::Note &&
            trace::describe(e, i18n::Lang::En).find("delete Old with its messages: accepted") != std::string::npos)
            deletedNoted = true;
    CHECK(deletedNoted);
    // A wrong expectation fails: the folder is there, so deleting it is not refused.
    auto wrong = runScenarioText(kHosts + R"(steps:
  - mua: { action: imap-create, from: pc, server: mx, user: rose@cesoo.com, folder: Work }
  - mua: { action: imap-delete, from: pc, server: mx, user: rose@cesoo.com, folder: Work, expect: { ok: false } }
)", "t.yaml");
    REQUIRE(wrong);
    CHECK_FALSE(wrong->ok());
}
