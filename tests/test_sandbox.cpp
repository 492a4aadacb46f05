// The sandbox (sim/tools/Sandbox.hpp): typing into a scenario's network after its steps ran, TLS on the way, and saving
// the typed session as a scenario that replays with the same answers.
#include "sim/tools/Record.hpp"
#include "sim/tools/Sandbox.hpp"

#include <catch2/catch.hpp>

using namespace mailsim::sim;

namespace {
std::string scenario(const char* name) { return std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name; }
}  // namespace

TEST_CASE("the sandbox types into the scenario's servers after its steps ran, and the trace grows") {
    auto box = Sandbox::open(scenario("smtp-textbook.yaml"));
    REQUIRE(box);
    Sandbox& s = **box;
    const std::size_t before = s.result().trace.size();
    CHECK(s.servers() == std::vector<std::string>{"mail.cesoo.com: smtp 25"});
    CHECK(s.clients() == std::vector<std::string>{"mike-pc"});

    auto greeting = s.connect("", "mail.cesoo.com", "");
    REQUIRE(greeting);
    CHECK(greeting->starts_with("220 cesoo.com"));
    CHECK(s.send("HELO student").starts_with("250 "));
    CHECK(s.send("MAIL FROM:<mike@cesoo.com>").starts_with("250 "));
    CHECK(s.send("RCPT TO:<nobody@cesoo.com>").starts_with("550 "));
    CHECK(s.send("RCPT TO:<rose@cesoo.com>").starts_with("250 "));
    CHECK(s.send("DATA").starts_with("354 "));
    CHECK(s.send("Subject: from the sandbox").empty());  // content: no answer
    CHECK(s.send("").empty());
    CHECK(s.send("typed by hand").empty());
    CHECK(s.send(".").starts_with("250 "));
    CHECK(s.send("QUIT").starts_with("221 "));
    CHECK(s.send("NOOP") == "(the server closed the connection)");
    CHECK(s.result().trace.size() > before + 20);
    // The typed session's client machine, followed through the SMTP client table as a scripted session's is.
    std::vector<std::string> client;
    for (const auto& e : s.result().trace.events())
        if (e.session == s.result().trace.sessions().back().id && e.kind == mailsim::trace::EventKind::StateChanged &&
            e.machine == "smtp-client")
            client.push_back(e.toState);
    CHECK(client == std::vector<std::string>{"HELO", "MAIL", "RCPT", "DATA", "CONTENT", "QUIT", "DONE"});

    // Saved and replayed: the scenario's own steps, then the typed session with its answers as expectations.
    auto yaml = s.scenarioYaml();
    REQUIRE(yaml);
    CHECK(yaml->find("      - { send: \"RCPT TO:<nobody@cesoo.com>\", expect: 550 }") != std::string::npos);
    CHECK(yaml->find("      - { send: \"\" }") != std::string::npos);  // the blank line of the content is kept
    auto replay = runScenarioText(*yaml, scenario("smtp-textbook.yaml"));
    REQUIRE(replay);
    CHECK(replay->ok());
    CHECK(replay->expectationsChecked >= 11);
}

TEST_CASE("the sandbox follows a typed IMAP session through the IMAP client table, IDLE and DONE included") {
    auto box = Sandbox::open(scenario("imap-summary-browsing.yaml"));
    REQUIRE(box);
    Sandbox& s = **box;
    auto greeting = s.connect("rose-phone", "mail.cesoo.com:143", "imap");
    REQUIRE(greeting);
    CHECK(greeting->starts_with("* OK"));
    CHECK(s.send("t1 NOOP").starts_with("t1 OK"));  // moves nothing
    CHECK(s.send("t2 LOGIN rose@cesoo.com rose123").find("t2 OK") != std::string::npos);
    CHECK(s.send("t3 SELECT INBOX").find("t3 OK") != std::string::npos);
    CHECK(s.send("t4 IDLE").starts_with("+"));
    CHECK(s.send("DONE").find("t4 OK") != std::string::npos);
    CHECK(s.send("t5 LOGOUT").find("t5 OK") != std::string::npos);
    std::vector<std::string> client, why;
    for (const auto& e : s.result().trace.events())
        if (e.session == s.result().trace.sessions().back().id && e.kind == mailsim::trace::EventKind::StateChanged &&
            e.machine == "imap-client") {
            client.push_back(e.toState);
            why.push_back(e.text);
        }
    CHECK(client == std::vector<std::string>{"LOGIN", "SELECT", "IDLE", "IDLING", "IDLE-DONE", "LOGOUT", "DONE"});
    CHECK(why == std::vector<std::string>{"OK", "OK", "OK", "+", "+", "OK", "OK"});
}

TEST_CASE("the sandbox upgrades to TLS after an accepted STARTTLS and on an implicit TLS port") {
    auto box = Sandbox::open(scenario("smtp-starttls.yaml"), /*fresh=*/true);
    REQUIRE(box);
    Sandbox& s = **box;
    REQUIRE(s.connect("mike-pc", "mail.cesoo.com:587", "smtp"));
    CHECK(s.send("EHLO student").find("STARTTLS") != std::string::npos);
    CHECK(s.send("STARTTLS").starts_with("220 "));
    std::string ehlo = s.send("EHLO student");
    CHECK(ehlo.find("AUTH PLAIN") != std::string::npos);
    bool protectedLine = false;
    for (const auto& e : s.result().trace.events())
        if (e.kind == mailsim::trace::EventKind::Line && e.tls && e.text == "EHLO student") protectedLine = true;
    CHECK(protectedLine);
    s.disconnect();

    auto imap = Sandbox::open(scenario("imap-implicit-tls.yaml"));
    REQUIRE(imap);
    auto greeting = (*imap)->connect("rose-pc", "mail.cesoo.com:993", "");
    REQUIRE(greeting);
    CHECK(greeting->starts_with("* OK"));
    CHECK((*imap)->send("a1 LOGIN rose rose123").find("a1 OK") != std::string::npos);
}

TEST_CASE("the sandbox says what is wrong with a connection request") {
    auto box = Sandbox::open(scenario("smtp-textbook.yaml"));
    REQUIRE(box);
    auto r = (*box)->connect("", "mike-pc", "");
    REQUIRE_FALSE(r);
    CHECK(r.error().find("is not a mail server of this scenario") != std::string::npos);
    r = (*box)->connect("", "mail.cesoo.com:110", "");
    REQUIRE_FALSE(r);
    CHECK(r.error().find("nothing listens there") != std::string::npos);
    CHECK((*box)->send("HELO x") == "(not connected)");
}

TEST_CASE("recorded answers become scenario expectations") {
    CHECK(expectationFor("smtp", "EHLO x", "250-a\n250 b") == "250");
    CHECK(expectationFor("pop3", "STAT", "+OK 2 320") == "+OK");
    CHECK(expectationFor("pop3", "PASS x", "-ERR [AUTH] invalid password") == "-ERR");
    CHECK(expectationFor("imap", "", "* OK [CAPABILITY IMAP4rev1] ready") == "OK");
    CHECK(expectationFor("imap", "a2 SELECT Nope", "a2 NO [NONEXISTENT] no such mailbox") == "NO");
    CHECK(expectationFor("imap", "a3 APPEND INBOX {5}", "+ Ready for literal data") == "\"+\"");
    CHECK(expectationFor("smtp", "hello", "").empty());
}

TEST_CASE("a recorded trace becomes a scenario that replays with the same answers") {
    for (const char* name : {"smtp-starttls.yaml", "imap-implicit-tls.yaml", "pop3-delete-vs-keep.yaml"}) {
        CAPTURE(name);
        auto original = runScenarioFile(scenario(name));
        REQUIRE(original);
        std::string yaml = scenarioFromTrace(original->trace, {"recorded", "a test"});
        REQUIRE_FALSE(yaml.empty());
        CHECK(yaml.find("  - name: mail.cesoo.com\n") != std::string::npos);
        auto replay = runScenarioText(yaml, scenario("recorded.yaml"));
        if (!replay)
            for (const auto& d : replay.error()) FAIL_CHECK(d.format(mailsim::i18n::Lang::En));
        REQUIRE(replay);
        for (const auto& f : replay->failures) FAIL_CHECK(f.where << ": expected " << f.expected << ", got " << f.got);
        CHECK(replay->expectationsChecked > 5);
    }
}
