// Sandbox mode: the GUI's SandboxConsole driven the way the Sandbox panel drives it (pick a client and a server,
// Connect, type lines, Enter), and the ViewModel rebuilt after every line: the new message in Rose's INBOX, the SMTP
// state machine to CLOSED, the scroll-back, the history and "Save as scenario".
#include "SandboxConsole.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace mailsim;
using namespace mailsim::gui;

namespace {

std::string textbook() { return std::string(MAILSIM_SOURCE_DIR) + "/scenarios/smtp-textbook.yaml"; }

std::size_t indexOf(const std::vector<std::string>& list, const std::string& s) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i] == s) return i;
    return list.size();
}

std::size_t targetIndex(const std::vector<SandboxTarget>& targets, const std::string& label) {
    for (std::size_t i = 0; i < targets.size(); ++i)
        if (targets[i].label == label) return i;
    return targets.size();
}

// Messages in user's folder at the last row of the view.
std::size_t countAtEnd(const ViewModel& view, const std::string& user, const std::string& folder) {
    for (const auto& u : view.mailboxes().users())
        if (u.name == user)
            for (const auto& f : u.folders)
                if (f.name == folder) return view.mailboxes().countAt(f, view.size() - 1);
    return 0;
}

}  // namespace

TEST_CASE("sandbox console: servers() become one combo entry per service") {
    const auto targets = parseServers({"mail.cesoo.com: smtp 25, submission 587, pop3 110", "mx.example: imaps 993"});
    REQUIRE(targets.size() == 4);
    CHECK(targets[0].label == "mail.cesoo.com 25 (smtp)");
    CHECK(targets[0].target == "mail.cesoo.com:25");
    CHECK(targets[1].label == "mail.cesoo.com 587 (submission)");
    CHECK(targets[1].port == 587);
    CHECK(targets[2].service == "pop3");
    CHECK(targets[3].target == "mx.example:993");
    CHECK(sandboxSavePath("/a/b/smtp-textbook.yaml") == "/a/b/smtp-textbook-sandbox.yaml");
}

TEST_CASE("sandbox console: typing a letter to Rose shows it in her INBOX and the SMTP session CLOSED") {
    SandboxConsole console;
    REQUIRE(console.open(textbook()));
    CHECK(console.active());
    CHECK(console.clients() == std::vector<std::string>{"mike-pc"});
    REQUIRE(console.targets().size() == 1);
    CHECK(console.targets()[0].label == "mail.cesoo.com 25 (smtp)");
    // After the scenario's steps: Rose has the textbook letter already.
    const ViewModel& view = console.view();  // rebuilt in place: this reference stays valid
    REQUIRE(console.document().loaded());
    CHECK(view.trace() == &console.document().result->trace);
    CHECK(countAtEnd(view, "rose@cesoo.com", "INBOX") == 1);
    const std::size_t rowsBefore = view.size();

    REQUIRE(console.connect(indexOf(console.clients(), "mike-pc"),
                            targetIndex(console.targets(), "mail.cesoo.com 25 (smtp)")));
    CHECK(console.connected());
    REQUIRE(console.lines().size() >= 2);
    CHECK(console.lines()[0].kind == ConsoleLine::Kind::Connected);
    CHECK(console.lines()[1].kind == ConsoleLine::Kind::Server);
    CHECK(console.lines()[1].text.starts_with("220"));
    CHECK(view.size() > rowsBefore);  // the connection and the greeting are in the run the panels show

    double slowest = 0.0;
    for (const char* line : {"HELO student", "MAIL FROM:<mike@cesoo.com>", "RCPT TO:<rose@cesoo.com>", "DATA",
                             "Subject: from the sandbox", "", "typed by hand", ".", "QUIT"}) {
        const std::size_t before = view.size();
        console.send(line);
        CHECK(view.size() > before);  // every line grows the run
        slowest = std::max(slowest, console.lastRebuildMs());
    }
    std::printf("sandbox console: slowest rebuild (copy + ViewModel) on smtp-textbook: %.3f ms, %zu rows\n", slowest,
                view.size());
    CHECK(slowest < 250.0);
    CHECK_FALSE(console.connected());  // 221 and the server closed
    CHECK(console.lines().back().kind == ConsoleLine::Kind::Closed);

    // The answers, as the scroll-back shows them.
    std::vector<std::string> server;
    for (const auto& l : console.lines())
        if (l.kind == ConsoleLine::Kind::Server) server.push_back(l.text.substr(0, 3));
    CHECK(server == std::vector<std::string>{"220", "250", "250", "250", "354", "250", "221"});

    // The mailboxes at the end: the new message in Rose's INBOX, stored by the sandbox's session.
    CHECK(countAtEnd(view, "rose@cesoo.com", "INBOX") == 2);
    const auto& messages = view.mailboxes().messages();
    REQUIRE(messages.size() == 2);
    CHECK(messages.back().appearedRow >= rowsBefore);

    // The state machine of that session went to CLOSED.
    const trace::SessionId session = messages.back().session;
    const trace::EventId last = view.stateAt(session, view.size() - 1);
    REQUIRE(last != trace::kNoCause);
    CHECK(view.trace()->at(last).toState == "CLOSED");
    CHECK(view.trace()->at(last).machine.find("smtp") != std::string::npos);

    // History (arrow-up): the typed lines, blank ones left out.
    REQUIRE(console.history().size() == 8);
    CHECK(console.history().back() == "QUIT");

    // A line after the server closed: an error in the scroll-back, no crash.
    console.send("NOOP");
    CHECK(console.lines().back().kind == ConsoleLine::Kind::Error);

    console.close();
    CHECK_FALSE(console.active());
    CHECK_FALSE(console.isOpen());
    CHECK(console.lines().empty());
}

TEST_CASE("sandbox console: hang up, and Save as scenario writes <scenario>-sandbox.yaml that replays") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("mailsim-gui-sandbox-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(dir);
    const auto copy = dir / "smtp-textbook.yaml";
    std::filesystem::copy_file(textbook(), copy);

    SandboxConsole console;
    REQUIRE(console.open(copy.string()));
    CHECK(console.sessions() == 0);
    REQUIRE(console.connectTo("", "mail.cesoo.com"));  // host only: its first service, from the first client
    console.send("HELO student");
    console.send("NOOP");
    console.hangUp();
    CHECK_FALSE(console.connected());
    CHECK(console.lines().back().kind == ConsoleLine::Kind::HungUp);
    CHECK(console.sessions() == 1);

    auto written = console.save();
    REQUIRE(written.has_value());
    CHECK(*written == (dir / "smtp-textbook-sandbox.yaml").string());
    std::ifstream in(*written);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("HELO student") != std::string::npos);
    auto replay = sim::runScenarioFile(*written);
    REQUIRE(replay.has_value());
    CHECK(replay->ok());

    // A connection that fails is an error line, not an exception.
    CHECK_FALSE(console.connectTo("", "nowhere.example:25"));
    CHECK(console.lines().back().kind == ConsoleLine::Kind::Error);
    std::filesystem::remove_all(dir);
}

TEST_CASE("sandbox console: a file that cannot be opened says why") {
    SandboxConsole console;
    CHECK_FALSE(console.open("/nonexistent/scenario.yaml"));
    CHECK(console.active());  // the mode is on: the panel shows the error
    CHECK_FALSE(console.isOpen());
    CHECK_FALSE(console.openError().empty());
    CHECK_FALSE(console.document().loaded());
}

TEST_CASE("sandbox console: a POP3 port by HOST:PORT; the combos can show the connection made") {
    SandboxConsole console;
    REQUIRE(console.open(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/pop3-delete-vs-keep.yaml"));
    REQUIRE(console.connectTo("", "mail.cesoo.com:110"));
    CHECK(console.targets()[console.connectedTarget()].port == 110);
    CHECK(console.targets()[console.connectedTarget()].service == "pop3");
    CHECK(console.clients()[console.connectedClient()] == console.clients().front());
    CHECK(console.lines()[1].text.starts_with("+OK"));
    console.send("USER rose");
    console.send("PASS rose123");
    CHECK(console.lines().back().text.starts_with("+OK"));
    const trace::EventId state = console.view().stateAt(
        console.view().row(console.view().size() - 1).focus, console.view().size() - 1);
    REQUIRE(state != trace::kNoCause);
    CHECK(console.view().trace()->at(state).toState == "TRANSACTION");
}
