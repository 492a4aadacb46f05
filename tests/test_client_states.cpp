// The client's side of simulated sessions (issue #13): every SMTP, POP3 and IMAP client of a run - scripted sessions,
// user agents, relay MTAs - records its moves through its transition table as StateChanged events of "smtp-client" /
// "pop3-client" / "imap-client" in the session, and the dialogue's lines are still recorded once (by the server).
#include "sim/world/Api.hpp"
#include "imap/ImapStates.hpp"
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

// The causes of a session's client moves, in order.
std::vector<std::string> clientWhys(const trace::Trace& tr, trace::SessionId session) {
    std::vector<std::string> out;
    for (const trace::Event* e : clientChanges(tr, session)) out.push_back(e->text);
    return out;
}

// A move's cause names what caused it in protocol tokens, never in prose (util/ClientMachine.hpp): a reply code, a
// status (+OK, -ERR, OK, NO, BAD, BYE, PREAUTH, "+", a pushed EXISTS/EXPUNGE/FETCH), or a pseudo-event "<...>".
bool isToken(const std::string& why) {
    static const std::vector<std::string> kStatuses{"+OK", "-ERR", "OK", "NO", "BAD", "BYE", "PREAUTH", "+",
                                                    "EXISTS", "EXPUNGE", "FETCH"};
    if (std::ranges::find(kStatuses, why) != kStatuses.end()) return true;
    if (why.size() == 3 && std::ranges::all_of(why, [](char c) { return c >= '0' && c <= '9'; })) return true;
    return why == "<TLS established>" || why == "<closed>" || why == "<not a reply>";
}

bool isClientRow(std::string_view protocol, const trace::Event& e) {
    if (protocol == "smtp") return isRow(smtp::smtpClientTransitions(), e);
    if (protocol == "pop3") return isRow(pop3::pop3ClientTransitions(), e);
    return isRow(imap::imapClientTransitions(), e);
}

}  // namespace

TEST_CASE("client states: every SMTP, POP3 and IMAP session of every shipped scenario records its client's machine",
          "[scenario][client]") {
    for (const auto& entry : std::filesystem::directory_iterator(std::string(MAILSIM_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        DYNAMIC_SECTION(entry.path().filename().string()) {
            auto r = sim::runScenarioFile(entry.path().string());
            REQUIRE(r.has_value());
            for (const auto& s : r->trace.sessions()) {
                if (s.protocol != "smtp" && s.protocol != "pop3" && s.protocol != "imap") continue;
                INFO("session " << s.id << " " << s.client << " -> " << s.server);
                const auto changes = clientChanges(r->trace, s.id);
                REQUIRE(!changes.empty());
                CHECK(changes.front()->fromState == "GREETING");
                for (std::size_t i = 0; i < changes.size(); ++i) {
                    const trace::Event& e = *changes[i];
                    INFO(e.machine << " " << e.fromState << " -> " << e.toState);
                    CHECK(e.machine == trace::clientMachineOf(s.protocol));
                    CHECK(isClientRow(s.protocol, e));
                    CHECK(isToken(e.text));
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

TEST_CASE("client states: IMAP user agents and scripted IMAP sessions walk the IMAP client table",
          "[scenario][client][imap]") {
    const auto r = run("imap-summary-browsing.yaml");
    // The scripted session: LOGIN, SELECT, a FETCH of the summaries (LIST), a FETCH of one message's parts (OPEN;
    // the further FETCHes stay there), LOGOUT; each move caused by the status of the response it follows.
    const trace::SessionId typed = sessionOf(r.trace, "imap", "rose-phone", "mail.cesoo.com", 0);
    CHECK(clientPath(r.trace, typed) == Path{"GREETING", "LOGIN", "SELECT", "LIST", "OPEN", "LOGOUT", "DONE"});
    CHECK(clientWhys(r.trace, typed) == Path{"OK", "OK", "OK", "OK", "OK", "OK"});
    // The user agent (imap-summary, open: [2]): the same walk from its own task.
    const trace::SessionId ua = sessionOf(r.trace, "imap", "rose-phone", "mail.cesoo.com", 1);
    CHECK(clientPath(r.trace, ua) == Path{"GREETING", "LOGIN", "SELECT", "LIST", "OPEN", "LOGOUT", "DONE"});
    CHECK(clientWhys(r.trace, ua) == Path{"OK", "OK", "OK", "OK", "OK", "OK"});
    // Each move's cause is the server's line that completed the response it follows; the UA's lines appear once.
    for (const trace::Event* e : clientChanges(r.trace, ua)) {
        REQUIRE(e->cause != trace::kNoCause);
        const trace::Event& cause = r.trace.at(e->cause);
        CHECK(cause.direction == trace::Direction::ServerToClient);
        CHECK((cause.text.starts_with("* OK") || cause.text.starts_with("c")));
    }
    const auto logins = std::ranges::count_if(r.trace.events(), [ua](const trace::Event& e) {
        return e.session == ua && e.kind == trace::EventKind::Line && e.text.find(" LOGIN ") != std::string::npos;
    });
    CHECK(logins == 1);
}

TEST_CASE("client states: the scripted IMAP follower moves on IDLE's \"+\" and DONE, and a BYE greeting ends it",
          "[scenario][client][imap]") {
    const std::string yaml = R"(title: t
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp, imap], users: [{ name: rose, password: rose123 }] }
  - { name: pc }
steps:
  - session: { from: pc, to: mx, protocol: imap }
    script:
      - { expect: OK }
      - { send: "a0 SELECT INBOX", expect: BAD }
      - { send: "a1 login rose rose123", expect: OK }
      - { send: "a2 EXAMINE INBOX", expect: OK }
      - { send: "a3 NOOP", expect: OK }
      - { send: "a4 IDLE", expect: "+" }
      - { send: "DONE", expect: OK }
      - { send: "a5 LOGOUT", expect: OK }
)";
    auto r = sim::runScenarioText(yaml, "idle.yaml");
    REQUIRE(r.has_value());
    for (const auto& f : r->failures) INFO(f.where << ": expected " << f.expected << ", got " << f.got);
    CHECK(r->ok());
    const trace::SessionId s = sessionOf(r->trace, "imap", "pc", "mx");
    // SELECT before LOGIN and NOOP move nothing; EXAMINE is SELECT's move; the "+" moves IDLE -> IDLING.
    CHECK(clientPath(r->trace, s) == Path{"GREETING", "LOGIN", "SELECT", "IDLE", "IDLING", "IDLE-DONE", "LOGOUT", "DONE"});
    CHECK(clientWhys(r->trace, s) == Path{"BAD", "OK", "OK", "+", "+", "OK", "OK"});
}
