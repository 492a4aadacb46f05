// gui_viewmodel, continued: the protocol registry (ProtocolModel: SMTP and POP3 state machines from the engine's
// tables, command hints) and the inspector's POP3 explanations from the POP3 command table and reply catalogue.
#include "Explain.hpp"
#include "ProtocolModel.hpp"
#include "Strings.hpp"
#include "ViewModel.hpp"
#include "imap/ImapStates.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpStates.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

using namespace mailsim;
using namespace mailsim::gui;

namespace {

sim::RunResult runScenario(const char* name) {
    auto r = sim::runScenarioFile(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name);
    REQUIRE(r.has_value());
    return std::move(*r);
}

const Fact* findFact(const Explanation& x, std::string_view label) {
    for (const Fact& f : x.facts)
        if (f.label == label) return &f;
    return nullptr;
}

// The event of the first row whose text holds `text`, at or after row `from`.
const trace::Event& eventWithText(const sim::RunResult& r, const ViewModel& v, std::string_view text,
                                  std::size_t from = 0) {
    for (std::size_t i = from; i < v.size(); ++i)
        if (v.row(i).text.find(text) != std::string::npos) return r.trace.at(v.row(i).event);
    FAIL("no row holds " << text);
    return r.trace.at(0);
}

}  // namespace

TEST_CASE("protocol registry: SMTP, POP3 and IMAP state machines come from the engine's tables") {
    REQUIRE(supportedProtocols().size() >= 3);
    for (const ProtocolSupport& p : supportedProtocols()) {
        CHECK(findProtocol(p.name) == &p);
        CHECK_FALSE(protocolModel(p.name).states.empty());
        CHECK_FALSE(protocolModel(p.name).commands.empty());
    }
    CHECK(findProtocol("nntp") == nullptr);
    CHECK(protocolModel("nntp").states.empty());

    const ProtocolModel& imap = protocolModel("imap");
    REQUIRE(imap.states.size() == 4);
    CHECK(imap.states[0].name == "NOT AUTHENTICATED");
    CHECK(imap.states[2].name == "SELECTED");
    CHECK(imap.indexOf("LOGOUT") == 3);
    bool fetchInSelected = false, loginBeforeAuth = false;
    for (const auto& c : imap.states[2].commands) fetchInSelected = fetchInSelected || c == "FETCH";
    for (const auto& c : imap.states[0].commands) loginBeforeAuth = loginBeforeAuth || c == "LOGIN";
    CHECK(fetchInSelected);
    CHECK(loginBeforeAuth);

    const ProtocolModel& pop3 = protocolModel("pop3");
    REQUIRE(pop3.states.size() == 5);
    CHECK(pop3.states[0].name == "CONNECT");
    CHECK(pop3.states[1].name == "AUTHORIZATION");
    CHECK(pop3.states[2].name == "TRANSACTION");
    CHECK(pop3.states[3].name == "UPDATE");
    CHECK(pop3.states[4].name == "CLOSED");
    auto allows = [&](const char* state, const char* verb) {
        const auto& cmds = pop3.states[static_cast<std::size_t>(pop3.indexOf(state))].commands;
        return std::find(cmds.begin(), cmds.end(), verb) != cmds.end();
    };
    CHECK(allows("AUTHORIZATION", "USER"));
    CHECK(allows("AUTHORIZATION", "PASS"));
    CHECK(allows("AUTHORIZATION", "APOP"));
    CHECK(allows("TRANSACTION", "RETR"));
    CHECK(allows("TRANSACTION", "DELE"));
    CHECK(allows("TRANSACTION", "QUIT"));
    CHECK_FALSE(allows("AUTHORIZATION", "RETR"));
    CHECK(pop3.states[3].commands.empty());  // UPDATE takes no commands
    for (const auto& s : pop3.states)
        for (const auto& c : s.commands) CHECK(c.front() != '<');  // session events are not commands

    auto hint = pop3.hintFor("dele 1");
    REQUIRE(hint);
    CHECK(hint->verb == "DELE");
    CHECK(hint->rfc.find("RFC 1939") != std::string::npos);
    CHECK_FALSE(pop3.hintFor("<greeting>"));
    auto smtpHint = protocolModel("smtp").hintFor("MAIL FROM:<a@b>");
    REQUIRE(smtpHint);
    CHECK(smtpHint->verb == "MAIL");
}

TEST_CASE("POP3 scenario: every state change is a state of the model, and the state at the cursor follows them") {
    const auto r = runScenario("pop3-delete-vs-keep.yaml");
    const ViewModel v(r);
    const ProtocolModel& pop3 = protocolModel("pop3");
    std::size_t changes = 0;
    bool sawUpdate = false;
    for (std::size_t k : v.stateRows()) {
        const trace::Event& e = r.trace.at(v.row(k).event);
        const trace::SessionInfo* s = r.trace.session(e.session);
        REQUIRE(s);
        if (s->protocol != "pop3") continue;
        ++changes;
        CHECK(pop3.indexOf(e.fromState) >= 0);
        CHECK(pop3.indexOf(e.toState) >= 0);
        // The state panel shows the row's focus session's last change: here, this one.
        CHECK(v.row(k).stateEvent == e.id);
        if (e.toState == "UPDATE") {
            sawUpdate = true;
            CHECK(e.text == "QUIT");
            CHECK(e.fromState == "TRANSACTION");
        }
        if (e.toState == "TRANSACTION") CHECK((e.text == "PASS" || e.text == "APOP" || e.text == "USER"));
    }
    CHECK(changes >= 10);
    CHECK(sawUpdate);
}

TEST_CASE("inspector: POP3 commands and +OK/-ERR replies are explained from the POP3 tables") {
    const auto r = runScenario("pop3-delete-vs-keep.yaml");
    const ViewModel v(r);
    const Explanation dele = explainEvent(r.trace, eventWithText(r, v, "C: DELE 1"));
    CHECK(dele.heading == "Command DELE");
    REQUIRE(findFact(dele, "defined in"));
    CHECK(findFact(dele, "defined in")->value.find("RFC 1939") != std::string::npos);

    const Explanation authFailed = explainEvent(r.trace, eventWithText(r, v, "S: -ERR [AUTH]"));
    CHECK(authFailed.heading == "Reply -ERR");
    REQUIRE(findFact(authFailed, "[AUTH]"));
    REQUIRE(findFact(authFailed, "this reply"));
    CHECK(findFact(authFailed, "this reply")->value.find("AUTHORIZATION") != std::string::npos);

    const Explanation signOff = explainEvent(r.trace, eventWithText(r, v, "deleted, 0 left"));
    CHECK(signOff.heading == "Reply +OK");
    REQUIRE(findFact(signOff, "this reply"));
    CHECK(findFact(signOff, "this reply")->value.find("UPDATE") != std::string::npos);

    const Explanation stuffed = explainEvent(r.trace, eventWithText(r, v, "S: .."));
    CHECK(stuffed.heading == "Multi-line answer (content)");
    REQUIRE(findFact(stuffed, "the client keeps"));
    CHECK(findFact(stuffed, "the client keeps")->value == ".");

    const Explanation retr = explainEvent(r.trace, eventWithText(r, v, "C: RETR 1"));
    CHECK(retr.heading == "Command RETR");
    bool multiLine = false;
    for (const auto& n : retr.notes) multiLine = multiLine || n.find("multi-line") != std::string::npos;
    CHECK(multiLine);

    // SMTP lines of the same trace still read as SMTP.
    const Explanation mail = explainEvent(r.trace, eventWithText(r, v, "C: MAIL FROM"));
    CHECK(mail.heading == "Command MAIL");
}

TEST_CASE("IMAP lines are explained: tagged commands, untagged data, tagged completions, continuations") {
    trace::Trace t;
    auto s = t.openSession("imap", "pc", "mail:143", 0);
    trace::Recorder rec(&t, s);
    rec.line(0, trace::Direction::ClientToServer, trace::LineRole::Command, "a1 LOGIN rose rose123", "");
    rec.line(0, trace::Direction::ServerToClient, trace::LineRole::Reply, "* 3 EXISTS", "");
    rec.line(0, trace::Direction::ServerToClient, trace::LineRole::Reply, "a1 NO [AUTHENTICATIONFAILED] Authentication failed", "");
    rec.line(0, trace::Direction::ServerToClient, trace::LineRole::Reply, "+ idling", "");
    rec.line(0, trace::Direction::ClientToServer, trace::LineRole::Command, "DONE", "");
    Explanation login = explainEvent(t, t.at(0));
    CHECK(login.heading == "Command LOGIN");
    bool tag = false;
    for (const auto& f : login.facts) tag = tag || (f.label == "tag" && f.value == "a1");
    CHECK(tag);
    CHECK(explainEvent(t, t.at(1)).heading == "Untagged EXISTS");
    Explanation no = explainEvent(t, t.at(2));
    CHECK(no.heading == "Tagged NO");
    bool code = false;
    for (const auto& f : no.facts) code = code || f.value.starts_with("AUTHENTICATIONFAILED");
    CHECK(code);
    CHECK(explainEvent(t, t.at(3)).heading == "Continuation request");
    CHECK(explainEvent(t, t.at(4)).heading == "DONE (ends IDLE)");
}

TEST_CASE("protocol models exist in both languages: phases and command explanations in Chinese") {
    const ProtocolModel& en = protocolModel("smtp", i18n::Lang::En);
    const ProtocolModel& zh = protocolModel("smtp", i18n::Lang::Zh);
    REQUIRE(en.states.size() == zh.states.size());
    CHECK(en.title == "SMTP server state");
    CHECK(zh.title == "SMTP 服务器状态");
    std::vector<std::string> phases;
    for (const auto& s : zh.states)
        if (std::find(phases.begin(), phases.end(), s.phase) == phases.end()) phases.push_back(s.phase);
    CHECK(phases == std::vector<std::string>{"连接建立", "邮件传送", "连接释放"});
    for (const char* p : {"pop3", "imap"})
        for (const auto& s : protocolModel(p, i18n::Lang::Zh).states) CHECK(static_cast<unsigned char>(s.phase[0]) >= 0xE4);
    auto hint = zh.hintFor("RCPT TO:<rose@cesoo.com>");
    REQUIRE(hint);
    CHECK(hint->explain == "给出一个信封收件人；每个收件人各发一次");
}

TEST_CASE("the inspector explains every event of every shipped scenario in Chinese") {
    auto cjk = [](std::string_view s) {
        for (unsigned char c : s)
            if (c >= 0xE4 && c <= 0xE9) return true;
        return false;
    };
    std::size_t explained = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(MAILSIM_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        auto run = sim::runScenarioFile(entry.path().string());
        REQUIRE(run);
        for (const trace::Event& e : run->trace.events()) {
            // Scenario narration and fault texts are the trace's own text (rendered elsewhere); errors are typed and
            // explained here like every other kind.
            if (e.kind == trace::EventKind::Note || e.kind == trace::EventKind::FaultInjected)
                continue;
            const Explanation x = explainEvent(run->trace, e, i18n::Lang::Zh);
            INFO(entry.path().filename().string() << " event " << e.id << ": " << e.text << " / " << x.heading);
            CHECK(cjk(x.heading));
            for (const Fact& f : x.facts)
                if (!f.label.starts_with("[")) CHECK(cjk(f.label));
            for (const std::string& n : x.notes) CHECK(cjk(n));
            ++explained;
        }
    }
    CHECK(explained > 1000);
    // English stays the default.
    auto run = sim::runScenarioFile(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/smtp-textbook.yaml");
    REQUIRE(run);
    for (const trace::Event& e : run->trace.events())
        if (e.kind == trace::EventKind::Line && e.text.starts_with("250 ")) {
            CHECK(explainEvent(run->trace, e).heading == "Reply 250");
            CHECK(explainEvent(run->trace, e, i18n::Lang::Zh).heading == "应答 250");
            break;
        }
}

TEST_CASE("client models: the SMTP and POP3 clients' machines come from the clients' transition tables") {
    CHECK(clientMachine("smtp") == "smtp-client");
    const ProtocolModel& smtpClient = clientModel("smtp-client");
    REQUIRE(smtpClient.states.size() == smtp::kAllSmtpClientStates.size());
    CHECK(smtpClient.states.front().name == "GREETING");
    CHECK(smtpClient.states.back().name == "DONE");
    const ProtocolState& rcpt = smtpClient.states[static_cast<std::size_t>(smtpClient.indexOf("RCPT"))];
    for (std::string_view next : {"RCPT", "DATA", "RSET"})
        CHECK(std::ranges::find(rcpt.commands, next) != rcpt.commands.end());
    for (const auto& s : smtpClient.states) CHECK_FALSE(s.phase.empty());
    const ProtocolModel& pop3Client = clientModel("pop3-client");
    REQUIRE(pop3Client.states.size() == pop3::kAllPop3ClientStates.size());
    CHECK(pop3Client.indexOf("RETR") >= 0);
    CHECK(clientModel("smtp").states.empty());
}

TEST_CASE("client models: the IMAP client's machine comes from its transition table, in both languages") {
    CHECK(clientMachine("imap") == "imap-client");
    setUiLanguage(Language::English);
    const ProtocolModel& model = clientModel("imap-client");
    REQUIRE(model.states.size() == imap::kAllImapClientStates.size());
    CHECK(model.title == "IMAP client state");
    CHECK(model.states.front().name == "GREETING");
    CHECK(model.states.back().name == "DONE");
    for (std::size_t i = 0; i < model.states.size(); ++i) {
        const imap::ImapClientState s = imap::kAllImapClientStates[i];
        INFO(model.states[i].name);
        CHECK(model.states[i].name == imap::toString(s));
        CHECK_FALSE(model.states[i].phase.empty());
        // The commands shown in a state are the client table's inputs from it; the server's "+" and the end are not.
        for (const auto& t : imap::imapClientTransitions()) {
            if (t.from != s) continue;
            const std::string input(imap::toString(t.input));
            const bool shown = std::ranges::find(model.states[i].commands, input) != model.states[i].commands.end();
            CHECK(shown == !input.starts_with("<"));
        }
    }
    const ProtocolState& select = model.states[static_cast<std::size_t>(model.indexOf("SELECT"))];
    for (std::string_view next : {"LIST", "SEARCH", "STORE", "IDLE", "UPLOAD", "LOGOUT"})
        CHECK(std::ranges::find(select.commands, next) != select.commands.end());
    CHECK(model.states[static_cast<std::size_t>(model.indexOf("LOGIN"))].phase == "log in");
    CHECK(model.states[static_cast<std::size_t>(model.indexOf("FETCH-NEW"))].phase == "messages");
    // The Chinese model (the state panel in zh) has the same states, with Chinese phases and title.
    setUiLanguage(Language::Chinese);
    const ProtocolModel& zh = clientModel("imap-client");
    setUiLanguage(Language::English);
    REQUIRE(zh.states.size() == model.states.size());
    CHECK(zh.title == "IMAP 客户端状态");
    CHECK(zh.states[static_cast<std::size_t>(zh.indexOf("SELECT"))].phase == "文件夹");
}

TEST_CASE("inspector: an internationalised domain in MAIL, RCPT and EHLO shows its U-label and A-label (IDNA)") {
    trace::Trace t;
    const auto sid = t.openSession("smtp", "zhang-pc", "mail.例子.中国:25", 0);
    trace::Recorder rec(&t, sid);
    for (std::string line : {"MAIL FROM:<张三@例子.中国> SMTPUTF8", "RCPT TO:<rose@xn--fsqu00a.xn--fiqs8s>",
                             "EHLO 例子.中国", "RCPT TO:<rose@cesoo.com>"})
        rec.line(1, trace::Direction::ClientToServer, trace::LineRole::Command, line, line + "\r\n");
    std::vector<const trace::Event*> lines;
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t.at(i).kind == trace::EventKind::Line) lines.push_back(&t.at(i));
    REQUIRE(lines.size() == 4);
    for (std::size_t i = 0; i < 3; ++i) {
        const Explanation x = explainEvent(t, *lines[i]);
        const auto fact = std::ranges::find_if(x.facts, [](const Fact& f) { return f.label == "domain (IDNA)"; });
        REQUIRE(fact != x.facts.end());
        CHECK(fact->value == "例子.中国  =  xn--fsqu00a.xn--fiqs8s");
        const Explanation zh = explainEvent(t, *lines[i], i18n::Lang::Zh);
        CHECK(std::ranges::any_of(zh.facts, [](const Fact& f) { return f.label == "域名（IDNA）"; }));
    }
    const Explanation ascii = explainEvent(t, *lines[3]);
    CHECK(std::ranges::none_of(ascii.facts, [](const Fact& f) { return f.label == "domain (IDNA)"; }));
}
