// The client's side of simulated sessions (issue #13): every SMTP and POP3 client of a run - scripted sessions, user
// agents, relay MTAs - records its moves through its transition table as StateChanged events of "smtp-client" /
// "pop3-client" in the session, and the dialogue's lines are still recorded once (by the server).
#include "sim/world/Api.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpStates.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

using namespace mailsim;

namespace {

sim::RunResult run(const std::string& name) {
    auto r = sim::runScenarioFile(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name);
    REQUIRE(r.has_value());
    REQUIRE(r->failures.empty());
    return std::move(*r);
}

// The client machine's changes in `session`, in trace order.
std::vector<const trace::Event*> clientChanges(const trace::Trace& tr, trace::SessionId session) {
    std::vector<const trace::Event*> out;
    for (const auto& e : tr.events())
        if (e.session == session && e.kind == trace::EventKind::StateChanged && trace::isClientMachine(e.machine))
            out.push_back(&e);
    return out;
}

// The states the client went through: its first state, then every state it entered.
std::vector<std::string> clientPath(const trace::Trace& tr, trace::SessionId session) {
    std::vector<std::string> out;
    for (const trace::Event* e : clientChanges(tr, session)) {
        if (out.empty()) out.push_back(e->fromState);
        out.push_back(e->toState);
    }
    return out;
}

// The first session whose client and server names start with these.
trace::SessionId sessionOf(const trace::Trace& tr, std::string_view protocol, std::string_view client,
                           std::string_view server, int nth = 0) {
    for (const auto& s : tr.sessions())
        if (s.protocol == protocol && s.client.starts_with(client) && s.server.starts_with(server) && nth-- == 0)
            return s.id;
    FAIL("no " << protocol << " session " << client << " -> " << server);
    return trace::kNoSession;
}

template <typename Rows>
bool isRow(const Rows& rows, const trace::Event& e) {
    return std::ranges::any_of(rows, [&](const auto& r) { return toString(r.from) == e.fromState && toString(r.to) == e.toState; });
}

using Path = std::vector<std::string>;

}  // namespace

TEST_CASE("client states: every SMTP and POP3 session of every shipped scenario records its client's machine",
          "[scenario][client]") {
    for (const auto& entry : std::filesystem::directory_iterator(std::string(MAILSIM_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        DYNAMIC_SECTION(entry.path().filename().string()) {
            auto r = sim::runScenarioFile(entry.path().string());
            REQUIRE(r.has_value());
            for (const auto& s : r->trace.sessions()) {
                if (s.protocol != "smtp" && s.protocol != "pop3") continue;
                INFO("session " << s.id << " " << s.client << " -> " << s.server);
                const auto changes = clientChanges(r->trace, s.id);
                REQUIRE(!changes.empty());
                CHECK(changes.front()->fromState == "GREETING");
                for (std::size_t i = 0; i < changes.size(); ++i) {
                    const trace::Event& e = *changes[i];
                    INFO(e.machine << " " << e.fromState << " -> " << e.toState);
                    CHECK(e.machine == trace::clientMachineOf(s.protocol));
                    CHECK((s.protocol == "smtp" ? isRow(smtp::smtpClientTransitions(), e) : isRow(pop3::pop3ClientTransitions(), e)));
                    if (i > 0) CHECK(e.fromState == changes[i - 1]->toState);  // one unbroken walk
                    // The cause is the server's reply line that made the client move (none when a connection closed).
                    if (e.cause != trace::kNoCause) {
                        const trace::Event& cause = r->trace.at(e.cause);
                        CHECK(cause.session == s.id);
                        CHECK(cause.kind == trace::EventKind::Line);
                        CHECK(cause.direction == trace::Direction::ServerToClient);
                        CHECK(cause.id < e.id);
                    }
                }
            }
        }
    }
}

TEST_CASE("client states: the textbook's scripted client walks the SMTP client table, each line once",
          "[scenario][client]") {
    const auto r = run("smtp-textbook.yaml");
    const trace::SessionId s = sessionOf(r.trace, "smtp", "mike-pc", "mail.cesoo.com");
    CHECK(clientPath(r.trace, s) == Path{"GREETING", "HELO", "MAIL", "RCPT", "DATA", "CONTENT", "QUIT", "DONE"});
    // Each move follows the reply it answers: why = its code, cause = its line.
    const auto changes = clientChanges(r.trace, s);
    const std::vector<std::string> why{"220", "250", "250", "250", "354", "250", "221"};
    REQUIRE(changes.size() == why.size());
    for (std::size_t i = 0; i < why.size(); ++i) {
        CHECK(changes[i]->text == why[i]);
        REQUIRE(changes[i]->cause != trace::kNoCause);
        CHECK(r.trace.at(changes[i]->cause).text.starts_with(why[i]));
    }
    // The client's recorder added no line: every command is in the trace once.
    const auto helos = std::ranges::count_if(r.trace.events(), [](const trace::Event& e) {
        return e.kind == trace::EventKind::Line && e.text == "HELO Mike";
    });
    CHECK(helos == 1);
}

TEST_CASE("client states: POP3 user agents and scripted POP3 sessions walk the POP3 client table",
          "[scenario][client]") {
    const auto r = run("pop3-delete-vs-keep.yaml");
    // The engine's client: keep mode (UIDL, then RETR of each new message; the second RETR stays in RETR), then a
    // second check with APOP that finds nothing new.
    CHECK(clientPath(r.trace, sessionOf(r.trace, "pop3", "rose-pc", "mail.cesoo.com", 0)) ==
          Path{"GREETING", "USER", "PASS", "UIDL", "RETR", "QUIT", "DONE"});
    CHECK(clientPath(r.trace, sessionOf(r.trace, "pop3", "rose-pc", "mail.cesoo.com", 1)) ==
          Path{"GREETING", "APOP", "UIDL", "QUIT", "DONE"});
    // The scripted session: a refused PASS, a new USER (RFC 1939 7), STAT/UIDL/TOP leave the state as it is, RETR,
    // DELE, DELE (the second one moves nothing), RETR, QUIT.
    bool found = false;
    for (const auto& s : r.trace.sessions()) {
        if (s.protocol != "pop3") continue;
        const Path path = clientPath(r.trace, s.id);
        if (std::ranges::count(path, "USER") != 2) continue;
        found = true;
        CHECK(path == Path{"GREETING", "USER", "PASS", "USER", "PASS", "LIST", "RETR", "DELE", "RETR", "QUIT", "DONE"});
    }
    CHECK(found);
}

TEST_CASE("client states: the relay MTA's SMTP client records its hop", "[scenario][client]") {
    const auto r = run("relay-two-domains.yaml");
    // The hop from cesoo.com's MTA to example.org's exchanger: the engine's client says EHLO with the host's name.
    bool hop = false;
    for (const auto& s : r.trace.sessions()) {
        if (s.protocol != "smtp" || !s.client.starts_with("mail.cesoo.com") || !s.server.starts_with("mx.example.org"))
            continue;
        hop = true;
        CHECK(clientPath(r.trace, s.id) == Path{"GREETING", "EHLO", "MAIL", "RCPT", "DATA", "CONTENT", "QUIT", "DONE"});
    }
    CHECK(hop);
}
