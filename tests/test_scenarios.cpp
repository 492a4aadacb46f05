// Every scenario file under scenarios/ runs headless as a dialogue test, and the textbook dialogue is checked line
// for line against ../shared/CURRICULUM.md (codes and commands).
#include "sim/world/Api.hpp"
#include "sim/scenario/Scenario.hpp"
#include "sim/tools/Transcript.hpp"
#include "smtp/SmtpReplies.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <regex>
#include <set>

using namespace mailsim;

namespace {

std::string scenarioPath(const std::string& name) { return std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name; }

std::vector<std::string> dialogue(const trace::Trace& trace) {
    std::vector<std::string> out;
    for (const auto& e : trace.events())
        if (e.kind == trace::EventKind::Line)
            out.push_back((e.direction == trace::Direction::ServerToClient ? "S: " : "C: ") + e.text);
    return out;
}

}  // namespace

TEST_CASE("every scenario file runs headless and all its expectations hold", "[scenario]") {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(MAILSIM_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        ++count;
        DYNAMIC_SECTION(entry.path().filename().string()) {
            auto result = sim::runScenarioFile(entry.path().string());
            if (!result)
                for (const auto& d : result.error()) UNSCOPED_INFO(d.format(mailsim::i18n::Lang::En));
            REQUIRE(result.has_value());
            for (const auto& f : result->failures) UNSCOPED_INFO(f.where << ": expected " << f.expected << ", got " << f.got);
            CHECK(result->ok());
            CHECK(result->expectationsChecked > 0);
        }
    }
    CHECK(count >= 2);
}

TEST_CASE("the textbook dialogue is reproduced line for line", "[scenario][textbook]") {
    auto result = sim::runScenarioFile(scenarioPath("smtp-textbook.yaml"));
    REQUIRE(result.has_value());
    REQUIRE(result->ok());
    // The textbook's lines (CURRICULUM.md): codes, commands and the key words of each reply.
    const std::vector<std::string> expected{
        "S: 220 cesoo.com",
        "C: HELO Mike",
        "S: 250 .*Hello Mike, pleased to meet you",
        "C: MAIL FROM: Mike@cesoo.com",
        "S: 250 .*Sender OK",
        "C: RCPT TO: rose@cesoo.com",
        "S: 250 .*Recipient OK",
        "C: DATA",
        "S: 354 Enter mail, end with \"\\.\" on a line by itself",
        "C: I love you, Rose",
        "C: \\.",
        "S: 250 Message accepted for delivery",
        "C: QUIT",
        "S: 221 cesoo.com closing connection",
    };
    auto lines = dialogue(result->trace);
    REQUIRE(lines.size() == expected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        INFO("line " << i + 1 << ": " << lines[i]);
        CHECK(std::regex_search(lines[i], std::regex("^" + expected[i])));
    }
    // The server's state machine went through the three phases in order.
    std::vector<std::string> states;
    for (const auto& e : result->trace.events())
        if (e.kind == trace::EventKind::StateChanged && e.machine == "smtp") states.push_back(e.toState);
    CHECK(states == std::vector<std::string>{"INITIAL", "READY", "MAIL", "RCPT", "DATA", "READY", "CLOSED"});
}

TEST_CASE("every state change names the command line that caused it", "[scenario][trace]") {
    auto result = sim::runScenarioFile(scenarioPath("smtp-textbook.yaml"));
    REQUIRE(result.has_value());
    const auto& t = result->trace;
    for (const auto& e : t.events()) {
        // The server's machine; the client's moves follow the server's replies (test_client_states.cpp).
        if (e.kind != trace::EventKind::StateChanged || e.text == "<greeting>" || trace::isClientMachine(e.machine))
            continue;
        INFO(e.fromState << " -> " << e.toState);
        REQUIRE(e.cause != trace::kNoCause);
        const auto& cause = t.at(e.cause);
        CHECK(cause.kind == trace::EventKind::Line);
        CHECK(cause.direction == trace::Direction::ClientToServer);
        CHECK(cause.time <= e.time);
    }
}

TEST_CASE("a run is deterministic for a seed, and the dialogue does not depend on how TCP cut the bytes",
          "[scenario][determinism]") {
    auto a = sim::runScenarioFile(scenarioPath("smtp-textbook.yaml"), {.seedOverride = 7});
    auto b = sim::runScenarioFile(scenarioPath("smtp-textbook.yaml"), {.seedOverride = 7});
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(sim::formatJson(a->trace) == sim::formatJson(b->trace));
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        auto c = sim::runScenarioFile(scenarioPath("smtp-textbook.yaml"), {.seedOverride = seed});
        REQUIRE(c.has_value());
        CHECK(c->ok());
        CHECK(dialogue(c->trace) == dialogue(a->trace));
    }
}

TEST_CASE("a failed expectation is reported with where, what was expected and what came", "[scenario]") {
    const char* yaml = R"(
title: strict server refuses the textbook's MAIL FROM
hosts:
  - name: mx
    domains: [cesoo.com]
    services: [smtp]
    smtp: { lenient: false }
    users: [{ name: rose }]
  - name: pc
steps:
  - session: { from: pc, to: mx:25 }
    script:
      - { send: "HELO pc", expect: 250 }
      - { send: "MAIL FROM: Mike@cesoo.com", expect: 250 }
      - { send: "QUIT", expect: 221 }
)";
    auto result = sim::runScenarioText(yaml, "inline.yaml");
    REQUIRE(result.has_value());
    REQUIRE(result->failures.size() == 1);
    const auto& f = result->failures.front();
    CHECK(f.expected == "250");
    CHECK(f.got.starts_with("501 "));
    CHECK(f.where.find("inline.yaml:14:9") != std::string::npos);
    CHECK(result->trace.at(f.event).kind == trace::EventKind::Expectation);
    CHECK_FALSE(result->trace.at(f.event).ok);
}

TEST_CASE("content without the final dot leaves the client waiting, and the run says why", "[scenario]") {
    const char* yaml = R"(
title: forgot the dot
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
  - { name: pc }
steps:
  - session: { from: pc, to: mx:25 }
    script:
      - { send: "HELO pc", expect: 250 }
      - { send: "MAIL FROM:<mike@cesoo.com>", expect: 250 }
      - { send: "RCPT TO:<rose@cesoo.com>", expect: 250 }
      - { send: "DATA", expect: 354 }
      - { send: "hello" }
      - { send: "QUIT", expect: 221 }
  - check: { mailbox: rose@cesoo.com, count: 0 }
)";
    auto result = sim::runScenarioText(yaml, "inline.yaml");
    REQUIRE(result.has_value());
    REQUIRE(result->failures.size() == 1);
    CHECK(result->failures[0].got.find("sent as message content") != std::string::npos);
    CHECK(result->expectationsChecked == 6);
}

TEST_CASE("a session may name a domain: its MX record picks the server", "[scenario]") {
    const char* yaml = R"(
title: via MX
hosts:
  - { name: mail.cesoo.com, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
  - { name: pc }
dns:
  cesoo.com: { mx: [mail.cesoo.com] }
steps:
  - session: { from: pc, to: cesoo.com }
    script:
      - { expect: 220 }
      - { send: "QUIT", expect: 221 }
)";
    auto result = sim::runScenarioText(yaml, "inline.yaml");
    REQUIRE(result.has_value());
    CHECK(result->ok());
    REQUIRE(result->trace.sessions().size() == 1);
    CHECK(result->trace.sessions()[0].server == "mail.cesoo.com:25");
    CHECK(sim::formatTranscript(result->trace).find("MX record of cesoo.com names mail.cesoo.com") != std::string::npos);
}

TEST_CASE("the engine's SMTP client against the server in the sim: outcomes per recipient", "[scenario][client]") {
    const char* yaml = R"(
title: client outcomes
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }], smtp: { max_recipients: 1 } }
  - { name: down, domains: [down.org], services: [smtp], smtp: { refuse_connections: true } }
  - { name: pc }
steps:
  - mua:
      action: send
      from: pc
      server: mx
      sender: mike@cesoo.com
      to: [rose@cesoo.com, jack@cesoo.com]
      subject: hi
      body: "hello\n.\n..\nend"
      expect: { rose@cesoo.com: delivered, jack@cesoo.com: deferred }
  - mua:
      action: send
      from: pc
      server: down
      sender: mike@cesoo.com
      to: [x@down.org]
      body: "never"
      expect: { x@down.org: deferred }
  - check: { mailbox: rose@cesoo.com, count: 1, contains: "\r\n\r\nhello\r\n.\r\n..\r\nend\r\n" }
)";
    auto result = sim::runScenarioText(yaml, "inline.yaml");
    if (!result)
        for (const auto& d : result.error()) UNSCOPED_INFO(d.format(mailsim::i18n::Lang::En));
    REQUIRE(result.has_value());
    for (const auto& f : result->failures) UNSCOPED_INFO(f.where << ": expected " << f.expected << ", got " << f.got);
    CHECK(result->ok());
    CHECK(result->expectationsChecked == 4);
    auto text = sim::formatTranscript(result->trace);
    CHECK(text.find("S: 452 4.5.3 Too many recipients") != std::string::npos);
    CHECK(text.find("S: 421 down.org Service not available") != std::string::npos);
    CHECK(text.find("C: ...") != std::string::npos);  // the lone-dot line, stuffed by the client
}

TEST_CASE("an mua step with a wrong expectation fails and says what happened", "[scenario][client]") {
    const char* yaml = R"(
title: wrong expectation
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
  - { name: pc }
steps:
  - mua: { action: send, from: pc, server: mx, sender: mike@cesoo.com, to: [nobody@cesoo.com], body: x,
           expect: { nobody@cesoo.com: delivered } }
)";
    auto result = sim::runScenarioText(yaml, "inline.yaml");
    REQUIRE(result.has_value());
    REQUIRE(result->failures.size() == 1);
    CHECK(result->failures[0].expected == "nobody@cesoo.com accepted");
    CHECK(result->failures[0].got.starts_with("nobody@cesoo.com refused (550 5.1.1"));
}

TEST_CASE("every one of RFC 821's 21 reply codes is reached by some scenario", "[scenario][curriculum]") {
    std::set<int> seen;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(MAILSIM_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        auto result = sim::runScenarioFile(entry.path().string());
        REQUIRE(result.has_value());
        for (const auto& e : result->trace.events())
            if (e.kind == trace::EventKind::Line && e.direction == trace::Direction::ServerToClient && e.text.size() >= 3 &&
                result->trace.session(e.session)->protocol == "smtp")
                seen.insert(std::stoi(e.text.substr(0, 3)));
    }
    std::size_t rfc821 = 0;
    for (const auto& code : smtp::smtpCodes()) {
        if (!code.rfc821) continue;
        ++rfc821;
        INFO("reply code " << code.code << " (" << code.meaning.en << ")");
        CHECK(seen.contains(code.code));
    }
    CHECK(rfc821 == 21);
}

TEST_CASE("every scenario links a lesson that exists, and every lesson exists in English and Chinese",
          "[scenario][curriculum]") {
    namespace fs = std::filesystem;
    const fs::path root(MAILSIM_SOURCE_DIR);
    for (const auto& entry : fs::directory_iterator(root / "scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        auto result = sim::runScenarioFile(entry.path().string());
        REQUIRE(result.has_value());
        INFO(entry.path().filename().string() << " links '" << result->lesson << "'");
        CHECK_FALSE(result->lesson.empty());
        if (result->lesson.empty()) continue;
        fs::path lesson = (entry.path().parent_path() / result->lesson).lexically_normal();
        CHECK(fs::is_regular_file(lesson));
    }
    for (const char* lang : {"en", "zh"}) {
        const char* other = lang[0] == 'e' ? "zh" : "en";
        for (const auto& entry : fs::directory_iterator(root / "lessons" / lang)) {
            INFO(entry.path().string());
            CHECK(fs::is_regular_file(root / "lessons" / other / entry.path().filename()));
            CHECK(fs::file_size(entry.path()) > 500);  // a lesson, not a placeholder
        }
    }
}

TEST_CASE("every checkpoint link of a lesson resolves to a checkpoint of a scenario linked to that lesson",
          "[scenario][curriculum][checkpoint]") {
    namespace fs = std::filesystem;
    const fs::path root(MAILSIM_SOURCE_DIR);
    std::map<std::string, std::set<std::string>> checkpoints;  // scenario file name -> its checkpoints
    std::map<std::string, std::set<std::string>> linkedBy;     // lesson file name -> scenario file names linking it
    for (const auto& entry : fs::directory_iterator(root / "scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto sc = sim::loadScenario(text.str(), entry.path().string());
        REQUIRE(sc.has_value());
        const std::string name = entry.path().filename().string();
        auto& mine = checkpoints[name];
        for (const auto& step : sc->steps)
            if (auto* c = std::get_if<sim::CheckpointStep>(&step.what)) mine.insert(c->name);
        if (!sc->lesson.empty()) linkedBy[fs::path(sc->lesson).filename().string()].insert(name);
    }
    const std::regex link(R"(\]\(([^)\s]+)\))");
    std::size_t resolved = 0;
    for (const char* lang : {"en", "zh"}) {
        for (const auto& entry : fs::directory_iterator(root / "lessons" / lang)) {
            if (entry.path().extension() != ".md") continue;
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            const std::string md = text.str();
            const std::string lesson = entry.path().filename().string();
            for (std::sregex_iterator it(md.begin(), md.end(), link), end; it != end; ++it) {
                const std::string target = (*it)[1];
                std::string file, name;
                if (target.starts_with("checkpoint:")) {
                    name = target.substr(11);
                } else if (auto hash = target.find(".yaml#"); hash != std::string::npos) {
                    file = fs::path(target.substr(0, hash + 5)).filename().string();
                    name = target.substr(hash + 6);
                } else {
                    continue;
                }
                INFO(entry.path().string() << " links " << target);
                const auto& scenarios = linkedBy[lesson];
                bool found = false;
                if (file.empty()) {
                    for (const auto& sc : scenarios) found = found || checkpoints[sc].contains(name);
                } else {
                    CHECK(scenarios.contains(file));  // the scenario named must be one that links this lesson
                    found = checkpoints[file].contains(name);
                }
                CHECK(found);
                resolved += found;
            }
        }
    }
    CHECK(resolved >= 6);
}

TEST_CASE("a host that is down refuses user agents and scripted sessions too", "[scenario][fault]") {
    const char* yaml = R"(
title: down for everyone
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
  - { name: pc }
steps:
  - fault: { host: mx, down_for: 1h }
  - session: { from: pc, to: mx:25 }
    script:
      - { expect: 220 }
  - mua: { action: send, from: pc, server: mx, sender: mike@cesoo.com, to: [rose@cesoo.com], body: x,
           expect: { rose@cesoo.com: deferred } }
  - wait: 2h
  - session: { from: pc, to: mx:25 }
    script:
      - { expect: 220 }
      - { send: QUIT, expect: 221 }
)";
    auto result = sim::runScenarioText(yaml, "inline.yaml");
    if (!result)
        for (const auto& d : result.error()) UNSCOPED_INFO(d.format(mailsim::i18n::Lang::En));
    REQUIRE(result.has_value());
    REQUIRE(result->failures.size() == 1);  // the first session's greeting never came
    CHECK(result->failures[0].got == "could not connect: mx is down: no answer, connection timed out");
    CHECK(result->expectationsChecked == 4);
    CHECK(sim::formatTranscript(result->trace).find("[connection closed] connection failed: mx is down") != std::string::npos);
}

TEST_CASE("a scenario that includes the shared network says which files it read", "[scenario][include]") {
    auto result = sim::runScenarioFile(scenarioPath("relay-two-domains.yaml"));
    REQUIRE(result.has_value());
    REQUIRE(result->includes.size() == 1);
    CHECK(result->includes[0].ends_with("scenarios/networks/two-domains.yaml"));
    CHECK(std::filesystem::is_regular_file(result->includes[0]));
}

TEST_CASE("a store fault makes 452, 450 and 451 reachable: the end of DATA gets RFC 5321 4.2.3's reply", "[scenario][store]") {
    // The scenario format's `store: { fault, after }` (docs/scenario-format.md): the first message is stored, the
    // second hits the fault, nothing of it is kept, and the session goes on.
    for (const auto& [fault, code] : {std::pair{"full", 452}, {"busy", 450}, {"error", 451}}) {
        const std::string yaml = fmt::format(R"(
title: the disk fills up
hosts:
  - name: mx
    domains: [cesoo.com]
    services: [smtp]
    store: {{ fault: {}, after: 1 }}
    users: [{{ name: rose }}]
  - name: pc
steps:
  - session: {{ from: pc, to: mx:25 }}
    script:
      - {{ send: "HELO pc", expect: 250 }}
      - {{ send: "MAIL FROM:<mike@pc>", expect: 250 }}
      - {{ send: "RCPT TO:<rose@cesoo.com>", expect: 250 }}
      - {{ send: "DATA", expect: 354 }}
      - {{ send: "Subject: one" }}
      - {{ send: "." , expect: 250 }}
      - {{ send: "MAIL FROM:<mike@pc>", expect: 250 }}
      - {{ send: "RCPT TO:<rose@cesoo.com>", expect: 250 }}
      - {{ send: "DATA", expect: 354 }}
      - {{ send: "Subject: two" }}
      - {{ send: ".", expect: {} }}
      - {{ send: "QUIT", expect: 221 }}
  - check: {{ mailbox: rose@cesoo.com, count: 1 }}
)",
                                             fault, code);
        INFO(fault);
        auto result = sim::runScenarioText(yaml, "store-fault.yaml");
        REQUIRE(result.has_value());
        std::string why;
        for (const auto& f : result->failures) why += f.where + ": expected " + f.expected + ", got " + f.got + "\n";
        INFO(why);
        CHECK(result->failures.empty());
    }
    // The loader names what it expects.
    auto bad = sim::loadScenario("hosts:\n  - { name: mx, domains: [a.org], services: [smtp], store: { fault: ful } }\n",
                                 "t.yaml");
    REQUIRE_FALSE(bad.has_value());
    std::string all;
    for (const auto& d : bad.error()) all += d.format(mailsim::i18n::Lang::En) + "\n";
    INFO(all);
    CHECK(all.find("store fault 'ful' unknown (did you mean 'full'?)") != std::string::npos);
    CHECK(all.find("expected full (SMTP 452), busy (450) or error (451)") != std::string::npos);
}
