// The tables drive (engine/util/ProtocolTables.hpp): every command row of every server has a handler, the one gate
// per protocol answers each command in each state as the row's flags and the transition table say, verbs of any
// length are parsed, and the reply codes each RFC allows live in the rows (predict mode reads them there).
#include "ImapTestHarness.hpp"
#include "Pop3TestHarness.hpp"
#include "SmtpTestHarness.hpp"

#include "imap/ImapClientSession.hpp"
#include "imap/ImapReplies.hpp"
#include "imap/ImapStates.hpp"
#include "pop3/Pop3ClientSession.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpStates.hpp"
#include "util/Ascii.hpp"
#include "trace/Errors.hpp"
#include "util/ClientMachine.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <tuple>

using namespace mailsim;
using namespace mailsim::test;

namespace {

// Takes a fresh SMTP session to `state` (CONNECT .. RCPT) with valid commands.
void reachSmtp(ServerConn& c, smtp::SmtpState state) {
    using S = smtp::SmtpState;
    if (state == S::Connect) return;
    c.session.start(c.now);
    if (state == S::Initial) return;
    c.cmd("EHLO mike-pc");
    if (state == S::Ready) return;
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    if (state == S::Mail) return;
    c.cmd("RCPT TO:<rose@cesoo.com>");
}

bool isClientCommand(std::string_view verb) { return !util::isPseudoVerb(verb); }

bool allows(smtp::SmtpInput input, int code) {
    const auto codes = smtp::allowedReplyCodes(smtp::smtpCommandInfo(input));
    return std::ranges::find(codes, code) != codes.end();
}

}  // namespace

TEST_CASE("tables: every SMTP and POP3 command row has a handler, the session's own events none", "[table][gate]") {
    for (const auto& row : smtp::smtpCommands()) {
        INFO("SMTP " << row.verb);
        CHECK(smtp::SmtpServerSession::hasHandler(row.input) == (isClientCommand(row.verb) && !row.removed));
    }
    for (const auto& row : pop3::pop3Commands()) {
        INFO("POP3 " << row.verb);
        CHECK(pop3::Pop3ServerSession::hasHandler(row.input) == isClientCommand(row.verb));
    }
}

TEST_CASE("tables: the SMTP gate answers each command in each state from the row's flags and the table",
          "[table][gate][smtp]") {
    using S = smtp::SmtpState;
    for (S state : {S::Initial, S::Ready, S::Mail, S::Rcpt}) {
        for (const auto& row : smtp::smtpCommands()) {
            if (!isClientCommand(row.verb) || row.removed || row.flags.arg == util::ArgRule::Any) continue;
            // A malformed argument: one where none is allowed, none where one is needed.
            const std::string line = row.flags.arg == util::ArgRule::None ? std::string(row.verb) + " junk"
                                                                          : std::string(row.verb);
            ServerHost host;
            host.ctx.config.tlsOffered = true;
            ServerConn c(host, false);
            reachSmtp(c, state);
            REQUIRE(c.session.state() == state);
            c.session.takeOutput();
            const std::string out = c.cmd(line);
            INFO(toString(state) << ": " << line << " -> " << out);
            const bool allowed = smtp::smtpNextState(state, row.input).has_value();
            // Syntax first: 501 in every state; otherwise the state first (503), then the syntax (501).
            CHECK(lastCode(out) == (row.flags.syntaxFirst || allowed ? 501 : 503));
            CHECK(c.session.state() == state);
        }
    }
}

TEST_CASE("tables: STARTTLS exists only where the transport offers it (the row's `offered` flag)", "[table][gate][smtp]") {
    for (bool offered : {false, true}) {
        ServerHost host;
        host.ctx.config.tlsOffered = offered;
        ServerConn c(host);
        c.greeting();
        c.cmd("EHLO mike-pc");
        CHECK(lastCode(c.cmd("STARTTLS now")) == (offered ? 501 : 502));
    }
}

TEST_CASE("tables: SMTP verbs of any length are parsed up to SP; unknown ones get 500 with the catalogue's text",
          "[table][gate][smtp]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    for (std::string verb : {"X", "EH", "XYZZY", "MAILFROM", "STARTTLSX", "AUTHENTICATE", "XCLIENT"}) {
        const std::string out = c.cmd(verb + " something");
        INFO(out);
        CHECK(lastCode(out) == 500);
        CHECK(out.find(smtp::replyText(smtp::ReplyId::Unrecognized, {{"command", verb}})) != std::string::npos);
    }
    // Known verbs of other lengths than four are found, in any case.
    CHECK(smtp::findSmtpCommand("starttls") == &smtp::smtpCommandInfo(smtp::SmtpInput::StartTls));
    CHECK(smtp::findSmtpCommand("QUITTING") == nullptr);
    CHECK(smtp::findSmtpCommand("<greeting>") == nullptr);  // a pseudo-row is never a verb
}

TEST_CASE("tables: every SMTP row lists reply codes the catalogue knows, and the codes the server sends are listed",
          "[table][smtp]") {
    for (const auto& row : smtp::smtpCommands()) {
        if (row.input == smtp::SmtpInput::TlsEstablished) continue;  // not answered
        INFO(row.verb);
        const auto codes = smtp::allowedReplyCodes(row);
        CHECK_FALSE(codes.empty());
        for (int code : codes) {
            const bool known = smtp::explainCode(code) ||
                               std::ranges::any_of(smtp::smtpReplies(), [&](const auto& r) { return r.code == code; });
            CHECK(known);
        }
    }
    // A plain dialogue: each reply's code is among its command's allowed codes.
    ServerHost host;
    ServerConn c(host);
    CHECK(allows(smtp::SmtpInput::Greeting, lastCode(c.greeting())));
    const std::pair<smtp::SmtpInput, std::string> steps[] = {
        {smtp::SmtpInput::Ehlo, "EHLO mike-pc"},           {smtp::SmtpInput::Mail, "MAIL FROM:<mike@cesoo.com>"},
        {smtp::SmtpInput::Rcpt, "RCPT TO:<rose@cesoo.com>"}, {smtp::SmtpInput::Rcpt, "RCPT TO:<nobody@cesoo.com>"},
        {smtp::SmtpInput::Data, "DATA"},                   {smtp::SmtpInput::EndOfData, "Subject: hi\r\n\r\nhi\r\n."},
        {smtp::SmtpInput::Vrfy, "VRFY rose"},              {smtp::SmtpInput::Help, "HELP"},
        {smtp::SmtpInput::Noop, "NOOP"},                   {smtp::SmtpInput::Rset, "RSET"},
        {smtp::SmtpInput::Quit, "QUIT"},
    };
    for (const auto& [input, line] : steps) {
        const int code = lastCode(c.cmd(line));
        INFO(line << " -> " << code);
        CHECK(allows(input, code));
    }
}

TEST_CASE("tables: the POP3 gate checks the state first, then the login policy, then the argument",
          "[table][gate][pop3]") {
    for (pop3::Pop3State state : {pop3::Pop3State::Authorization, pop3::Pop3State::Transaction}) {
        for (const auto& row : pop3::pop3Commands()) {
            if (!isClientCommand(row.verb) || row.flags.arg != util::ArgRule::None) continue;
            Pop3Host host;
            host.ctx.config.tlsOffered = true;
            host.deliver("rose@cesoo.com", "Subject: x\r\n\r\nx\r\n");
            Pop3Conn c(host);
            if (state == pop3::Pop3State::Transaction) REQUIRE(c.login().ok);
            const auto r = c.cmd(std::string(row.verb) + " junk");
            INFO(toString(state) << ": " << row.verb << " junk -> " << r.raw.at(0));
            CHECK_FALSE(r.ok);
            const bool allowed = pop3::pop3NextState(state, row.input).has_value();
            CHECK((r.text.find("not allowed in the") != std::string::npos) == !allowed);
            CHECK(c.session->state() == state);
        }
    }
    // A login where plaintext logins are refused: -ERR before the argument is looked at.
    Pop3Host host;
    host.ctx.config.tlsOffered = true;
    host.ctx.config.plaintextAuthAllowed = false;
    Pop3Conn c(host);
    for (const auto& row : pop3::pop3Commands()) {
        if (!row.flags.login) continue;
        const auto r = c.cmd(std::string(row.verb));
        INFO(row.verb << " -> " << r.raw.at(0));
        CHECK_FALSE(r.ok);
        CHECK(r.raw.at(0).find("Plaintext authentication disallowed") != std::string::npos);
    }
}

// ---- the clients' tables ----------------------------------------------------------------------------------------

namespace {

// Every state change the machine `machine` recorded is a row of its table; the trace holds no error.
template <typename Rows, typename NameOf>
void checkTraceFollowsTable(const trace::Trace& tr, std::string_view machine, const Rows& rows, NameOf nameOf) {
    int changes = 0;
    for (const trace::Event& e : tr.events()) {
        CHECK(e.kind != trace::EventKind::Error);
        if (e.kind != trace::EventKind::StateChanged || e.machine != machine) continue;
        ++changes;
        INFO(machine << ": " << e.fromState << " -> " << e.toState);
        CHECK(std::ranges::any_of(rows, [&](const auto& r) { return nameOf(r.from) == e.fromState && nameOf(r.to) == e.toState; }));
    }
    CHECK(changes > 3);
}

// Each client table: every state but the last can end (Close), nothing leaves DONE, and each row leads to the state
// its input names (Close to DONE).
template <typename Rows, typename States, typename Done>
void checkClientTableShape(const Rows& rows, const States& states, Done done) {
    for (auto s : states) {
        INFO(toString(s));
        const bool ends = std::ranges::any_of(rows, [&](const auto& r) { return r.from == s && r.to == done; });
        CHECK(ends == (s != done));
    }
    for (const auto& r : rows) {
        INFO(toString(r.from) << " --" << toString(r.input) << "--> " << toString(r.to));
        CHECK(r.from != done);
        std::string named = toString(r.input) == "<close>" ? "DONE" : util::asciiUpper(toString(r.input));
        std::erase(named, '<');
        std::erase(named, '>');
        CHECK(named == toString(r.to));
    }
}

}  // namespace

TEST_CASE("tables: the client tables are well formed", "[table][client]") {
    checkClientTableShape(smtp::smtpClientTransitions(), smtp::kAllSmtpClientStates, smtp::SmtpClientState::Done);
    checkClientTableShape(pop3::pop3ClientTransitions(), pop3::kAllPop3ClientStates, pop3::Pop3ClientState::Done);
    CHECK(smtp::smtpClientNextState(smtp::SmtpClientState::Greeting, smtp::SmtpClientInput::Data) == std::nullopt);
    CHECK(pop3::pop3ClientNextState(pop3::Pop3ClientState::Greeting, pop3::Pop3ClientInput::Retr) == std::nullopt);
}

TEST_CASE("tables: the SMTP client moves through its table and records smtp-client state changes", "[table][client]") {
    for (bool ehlo : {true, false}) {
        ServerHost host;
        ServerConn conn(host);
        SmtpClientConfig cfg;
        cfg.heloName = "mike-pc";
        cfg.useEhlo = ehlo;
        const std::vector<OutgoingMessage> messages{
            {"mike@cesoo.com", {"rose@cesoo.com", "nobody@cesoo.com"}, "Subject: one\r\n\r\nhi\r\n"},
            {"mike@cesoo.com", {"nobody@cesoo.com"}, "Subject: two\r\n\r\nrefused\r\n"},  // RCPT refused: RSET
            {"mike@cesoo.com", {"staff@cesoo.com"}, "Subject: three\r\n\r\nlist\r\n"}};
        SmtpClientSession client(cfg, messages, trace::Recorder(&host.trace, conn.sid));
        for (int round = 0; round < 1000 && !client.done(); ++round) {
            client.receive(conn.session.takeOutput(), conn.now);
            if (conn.session.closed() && !conn.session.hasOutput()) client.connectionClosed(conn.now);
            conn.session.receive(client.takeOutput(), conn.now);
        }
        REQUIRE(client.done());
        checkTraceFollowsTable(host.trace, "smtp-client", smtp::smtpClientTransitions(),
                               [](smtp::SmtpClientState s) { return toString(s); });
        CHECK(client.results().at(0).recipients.at(0).status == DeliveryStatus::Delivered);
    }
}

TEST_CASE("tables: the POP3 client moves through its table and records pop3-client state changes", "[table][client]") {
    for (auto mode : {pop3::FetchMode::Delete, pop3::FetchMode::Keep}) {
        Pop3Host host;
        host.deliver("rose@cesoo.com", "Subject: a\r\n\r\nfirst\r\n");
        host.deliver("rose@cesoo.com", "Subject: b\r\n\r\nsecond\r\n");
        const auto sid = host.trace.openSession("pop3", "rose-pc", "cesoo.com:110", kPopT0);
        pop3::Pop3ServerSession server(host.ctx, trace::Recorder(&host.trace, sid));
        pop3::Pop3ClientConfig cfg;
        cfg.user = "rose@cesoo.com";
        cfg.password = "rose123";
        cfg.mode = mode;
        pop3::Pop3ClientSession client(cfg, trace::Recorder(&host.trace, sid));
        server.start(kPopT0);
        for (int guard = 0; guard < 1000 && !client.done(); ++guard) {
            client.receive(server.takeOutput(), kPopT0);
            server.receive(client.takeOutput(), kPopT0);
            if (server.closed() && !server.hasOutput() && !client.done()) client.connectionClosed(kPopT0);
        }
        REQUIRE(client.done());
        checkTraceFollowsTable(host.trace, "pop3-client", pop3::pop3ClientTransitions(),
                               [](pop3::Pop3ClientState s) { return toString(s); });
        CHECK(client.fetched().size() == 2);
    }
}

TEST_CASE("tables: IMAP response meanings live in the engine's catalogue, in English and Chinese", "[table][imap]") {
    for (std::string_view word : {"OK", "NO", "BAD", "BYE", "PREAUTH", "EXISTS", "EXPUNGE", "FETCH", "RECENT", "+"}) {
        INFO(word);
        const imap::ResponseMeaning* m = imap::findResponseMeaning(word);
        REQUIRE(m);
        CHECK(m->meaning.complete());
        CHECK(m->meaning.en.find("RFC") != std::string_view::npos);
    }
    CHECK(imap::findResponseMeaning("ok") == nullptr);  // servers send the words in upper case
}

TEST_CASE("tables: each specific reply entry sends exactly what the general entry with that detail sent",
          "[table][catalogue]") {
    using R = smtp::ReplyId;
    const std::tuple<R, R, std::string_view, std::string_view> smtpPairs[] = {
        {R::NeedGreeting, R::BadSequence, "detail", "wait for the server's greeting"},
        {R::NeedHelo, R::BadSequence, "detail", "send HELO or EHLO first"},
        {R::NestedMail, R::BadSequence, "detail", "nested MAIL command (a transaction is already open; send RSET to abort it)"},
        {R::NeedMail, R::BadSequence, "detail", "need MAIL before RCPT"},
        {R::NeedMailBeforeData, R::BadSequence, "detail", "need MAIL before DATA"},
        {R::NeedRcpt, R::BadSequence, "detail", "need RCPT before DATA"},
        {R::OnlyQuit, R::BadSequence, "detail", "no SMTP service here (refused at connection time); only QUIT"},
        {R::StartTlsNeedsEhlo, R::BadSequence, "detail", "send EHLO first (STARTTLS is announced only by EHLO, RFC 3207 4)"},
        {R::SmtpUtf8NoValue, R::SyntaxError, "syntax", "SMTPUTF8 takes no value (RFC 6531 3.4)"},
        {R::SizeSyntax, R::SyntaxError, "syntax", "SIZE=<octets> (RFC 1870)"},
        {R::BodySyntax, R::SyntaxError, "syntax", "BODY=7BIT|8BITMIME (RFC 6152)"},
        {R::BinaryMimeUnsupported, R::ParamNotImplemented, "detail", "BODY=BINARYMIME (needs CHUNKING, RFC 3030)"},
        {R::NoStore, R::LocalError, "detail", "no mail store configured"},
        {R::StoreFailed, R::LocalError, "detail", "could not store the message"},
        {R::RelayQueueFailed, R::LocalError, "detail", "could not queue the message for relay"},
        {R::AuthNotBase64, R::AuthBadResponse, "detail", "not base64"},
        {R::AuthPlainMalformed, R::AuthBadResponse, "detail", "expected authzid NUL user NUL password"},
        {R::AuthCramMalformed, R::AuthBadResponse, "detail", "expected \"user digest\""},
    };
    for (const auto& [specific, general, name, value] : smtpPairs) {
        INFO(smtp::replyText(specific));
        CHECK(smtp::formatReply(specific, {}, true) == smtp::formatReply(general, {{name, std::string(value)}}, true));
        CHECK(smtp::replyInfo(specific).explain.complete());
    }
    CHECK(smtp::replyText(R::NotInState, {{"verb", "DATA"}, {"state", "READY"}}) ==
          smtp::replyText(R::BadSequence, {{"detail", "DATA is not allowed in state READY"}}));
}

TEST_CASE("tables: the POP3 specific entries send what the general ones with that detail sent", "[table][catalogue]") {
    using R = pop3::ReplyId;
    const std::tuple<R, R, std::string_view, std::string_view> pairs[] = {
        {R::ApopSyntax, R::SyntaxError, "syntax", "APOP name digest (32 hex digits)"},
        {R::SaslPlainMalformed, R::SyntaxError, "syntax", "base64 of [authzid] NUL user NUL password (RFC 4616)"},
        {R::NoStore, R::StoreError, "detail", "no mail store configured"},
        {R::MessageUnreadable, R::StoreError, "detail", "the message cannot be read"},
        {R::UpdateStoreError, R::UpdateFailed, "detail", "store error"},
    };
    for (const auto& [specific, general, name, value] : pairs) {
        INFO(pop3::statusLine(specific));
        CHECK(pop3::statusLine(specific) == pop3::statusLine(general, {{name, std::string(value)}}));
        CHECK(pop3::replyInfo(specific).explain.complete());
    }
}

// ---- IMAP: the command table drives the server, the client table drives the client ------------------------------

namespace {

const std::string kImapMessage = "From: Mike <mike@cesoo.com>\r\nSubject: Plan A\r\n\r\nFirst plan.\r\n";

// One command of each row in a state that allows it, and the catalogue entry its handler completes it with.
struct ImapSample {
    imap::ImapInput input;
    imap::ImapState state;
    std::vector<std::string> lines;  // sent in order; the last one is the command checked
    imap::ReplyId done;
};

std::vector<ImapSample> imapSamples() {
    using I = imap::ImapInput;
    using S = imap::ImapState;
    using R = imap::ReplyId;
    const std::string append = "APPEND INBOX {18+}\r\nSubject: x\r\n\r\nhi\r\n";
    return {
        {I::Capability, S::NotAuthenticated, {"CAPABILITY"}, R::CapabilityDone},
        {I::Noop, S::Selected, {"NOOP"}, R::NoopDone},
        {I::Logout, S::Authenticated, {"LOGOUT"}, R::LogoutDone},
        {I::Id, S::NotAuthenticated, {"ID NIL"}, R::IdDone},
        {I::Login, S::NotAuthenticated, {"LOGIN rose rose123"}, R::LoginDone},
        {I::Authenticate, S::NotAuthenticated, {"AUTHENTICATE PLAIN AHJvc2VAY2Vzb28uY29tAHJvc2UxMjM="}, R::LoginDone},
        {I::StartTls, S::NotAuthenticated, {"STARTTLS"}, R::StartTlsReady},
        {I::Select, S::Authenticated, {"SELECT INBOX"}, R::SelectDone},
        {I::Examine, S::Authenticated, {"EXAMINE INBOX"}, R::ExamineDone},
        {I::Create, S::Authenticated, {"CREATE Work"}, R::CreateDone},
        {I::Delete, S::Authenticated, {"CREATE Old", "DELETE Old"}, R::DeleteDone},
        {I::Rename, S::Authenticated, {"CREATE Old", "RENAME Old New"}, R::RenameDone},
        {I::Subscribe, S::Authenticated, {"SUBSCRIBE INBOX"}, R::SubscribeDone},
        {I::Unsubscribe, S::Authenticated, {"UNSUBSCRIBE INBOX"}, R::UnsubscribeDone},
        {I::List, S::Authenticated, {"LIST \"\" *"}, R::ListDone},
        {I::Lsub, S::Authenticated, {"LSUB \"\" *"}, R::LsubDone},
        {I::Status, S::Authenticated, {"STATUS INBOX (MESSAGES)"}, R::StatusDone},
        {I::Append, S::Authenticated, {append}, R::AppendDone},
        {I::Namespace, S::Authenticated, {"NAMESPACE"}, R::NamespaceDone},
        {I::Enable, S::Authenticated, {"ENABLE CONDSTORE"}, R::EnableDone},
        {I::Check, S::Selected, {"CHECK"}, R::CheckDone},
        {I::Close, S::Selected, {"CLOSE"}, R::CloseDone},
        {I::Unselect, S::Selected, {"UNSELECT"}, R::UnselectDone},
        {I::Expunge, S::Selected, {"EXPUNGE"}, R::ExpungeDone},
        {I::Search, S::Selected, {"SEARCH ALL"}, R::SearchDone},
        {I::Fetch, S::Selected, {"FETCH 1 (FLAGS)"}, R::FetchDone},
        {I::Store, S::Selected, {"STORE 1 +FLAGS (\\Seen)"}, R::StoreDone},
        {I::Copy, S::Selected, {"COPY 1 INBOX"}, R::CopyDone},
        {I::Move, S::Selected, {"CREATE Archive", "MOVE 1 Archive"}, R::MoveDone},
        {I::Idle, S::Selected, {"IDLE"}, R::IdleDone},  // the "+" first, the completion after DONE
        {I::Sort, S::Selected, {"SORT (ARRIVAL) UTF-8 ALL"}, R::SortDone},
        {I::Thread, S::Selected, {"THREAD REFERENCES UTF-8 ALL"}, R::ThreadDone},
    };
}

// A fresh IMAP session with one message in INBOX, taken to `state` with valid commands.
void reachImap(ImapConn& c, imap::ImapState state) {
    if (state == imap::ImapState::NotAuthenticated) return;
    c.login();
    if (state == imap::ImapState::Selected) c.ok("SELECT INBOX");
}

// The last line of `out` (a completion), without CRLF.
std::string lastLine(const std::string& out) {
    const auto end = out.size() - 2;
    const auto nl = out.rfind("\r\n", end - 1);
    return out.substr(nl == std::string::npos ? 0 : nl + 2, end - (nl == std::string::npos ? 0 : nl + 2));
}

// Whether `line` ("a1 OK SELECT completed") is a status line of the catalogue entry `id`.
bool fromEntry(std::string_view line, imap::ReplyId id) {
    const imap::ReplyInfo& info = imap::replyInfo(id);
    const std::string condition = " " + std::string(imap::toString(info.condition)) + " ";
    return line.find(condition) != std::string_view::npos && util::templateMatchScore(info.text, line) >= 0;
}

}  // namespace

TEST_CASE("tables: every IMAP command row but the UID prefix has a handler, the session's own events none",
          "[table][gate][imap]") {
    for (const auto& row : imap::imapCommands()) {
        INFO("IMAP " << row.verb);
        CHECK(imap::ImapServerSession::hasHandler(row.input) ==
              (isClientCommand(row.verb) && row.input != imap::ImapInput::Uid));
    }
    // The samples below cover every row with a handler.
    const auto samples = imapSamples();
    for (const auto& row : imap::imapCommands()) {
        if (!imap::ImapServerSession::hasHandler(row.input)) continue;
        INFO(row.verb);
        CHECK(std::ranges::any_of(samples, [&](const ImapSample& s) { return s.input == row.input; }));
    }
}

TEST_CASE("tables: the IMAP dispatch reaches each row's handler, which completes it as the row allows",
          "[table][gate][imap]") {
    for (const ImapSample& sample : imapSamples()) {
        const imap::ImapCommandInfo& row = imap::imapCommandInfo(sample.input);
        INFO(row.verb << " in " << toString(sample.state));
        REQUIRE(imap::imapNextState(sample.state, sample.input));
        ImapHost host;
        host.ctx.config.tlsOffered = true;
        host.deliver(kImapMessage);
        ImapConn c(host);
        reachImap(c, sample.state);
        for (std::size_t i = 0; i + 1 < sample.lines.size(); ++i) c.ok(sample.lines[i]);
        std::string out;
        if (sample.input == imap::ImapInput::Idle) {
            CHECK(c.raw("i1 " + sample.lines.back() + "\r\n").starts_with("+ idling"));
            out = c.raw("DONE\r\n");
        } else {
            out = c.cmd(sample.lines.back(), "t1");
        }
        INFO(out);
        const std::string done = lastLine(out);
        CHECK(fromEntry(done, sample.done));
        // The completion is one of those the row lists (RFC 3501 6 "Result:"), which predict mode offers.
        const auto allowed = imap::allowedCompletions(row);
        CHECK(std::ranges::find(allowed, imap::toString(imap::replyInfo(sample.done).condition)) != allowed.end());
    }
    // The UID prefix resolves to the row of the command it prefixes: UID FETCH reaches FETCH's handler.
    ImapHost host;
    host.deliver(kImapMessage);
    ImapConn c(host);
    reachImap(c, imap::ImapState::Selected);
    const std::string out = c.cmd("UID FETCH 1 (FLAGS)", "u1");
    CHECK(out.find("UID 1") != std::string::npos);
    CHECK(fromEntry(lastLine(out), imap::ReplyId::FetchDone));
}

TEST_CASE("tables: the IMAP gate refuses each command in each state its rows do not allow", "[table][gate][imap]") {
    using S = imap::ImapState;
    for (S state : {S::NotAuthenticated, S::Authenticated, S::Selected}) {
        for (const auto& row : imap::imapCommands()) {
            if (!imap::ImapServerSession::hasHandler(row.input) || imap::imapNextState(state, row.input)) continue;
            ImapHost host;
            host.deliver(kImapMessage);
            ImapConn c(host);
            reachImap(c, state);
            const std::string out = c.cmd(std::string(row.verb), "g1");
            INFO(toString(state) << ": " << row.verb << " -> " << out);
            const imap::ReplyArgs args{{"verb", std::string(row.verb)}, {"state", std::string(toString(state))}};
            CHECK(lastLine(out) == imap::statusLine(imap::ReplyId::NotAllowed, "g1", args));
            CHECK(c.session->state() == state);
        }
    }
}

TEST_CASE("tables: the IMAP specific entries send what the general ones with that detail sent", "[table][catalogue]") {
    using R = imap::ReplyId;
    const std::tuple<R, R, std::string_view, std::string_view> pairs[] = {
        {R::NoStore, R::StoreError, "detail", "no mail store configured"},
        {R::CreateFailed, R::StoreError, "detail", "the folder cannot be created"},
        {R::DeleteFailed, R::StoreError, "detail", "the folder cannot be deleted"},
        {R::RenameFailed, R::StoreError, "detail", "the folder cannot be renamed"},
        {R::AppendFailed, R::StoreError, "detail", "the message cannot be stored"},
        {R::ExpungeFailed, R::StoreError, "detail", "the messages cannot be removed"},
        {R::FlagsNotSaved, R::StoreError, "detail", "the flags cannot be saved"},
        {R::CopyFailed, R::StoreError, "detail", "the messages cannot be copied"},
        {R::MoveIncomplete, R::StoreError, "detail", "copied but the originals cannot be removed"},
        {R::IdleNotDone, R::SyntaxError, "syntax", "DONE ends IDLE (RFC 2177 3)"},
        {R::SearchReturnSyntax, R::SyntaxError, "syntax", "SEARCH RETURN (MIN MAX ALL COUNT) (RFC 4731 3.1)"},
    };
    for (const auto& [specific, general, name, value] : pairs) {
        INFO(imap::statusLine(specific, "a1"));
        CHECK(imap::statusLine(specific, "a1") == imap::statusLine(general, "a1", {{name, std::string(value)}}));
        CHECK(imap::replyInfo(specific).explain.complete());
    }
    // A line that is no command is answered untagged (RFC 3501 7.1.3), as the general entry was sent with "*".
    CHECK(imap::statusLine(R::NotACommand, "a1") ==
          imap::statusLine(R::SyntaxError, "*", {{"syntax", "tag SP command [SP arguments]"}}));
    CHECK(imap::replyInfo(R::NotACommand).explain.complete());
    ImapHost host;
    ImapConn c(host);
    CHECK(c.raw("NOOP\r\n") == imap::statusLine(R::NotACommand, "*") + "\r\n");
    c.login();
    CHECK(lastLine(c.cmd("SELECT INBOX")).ends_with("SELECT completed"));
    CHECK(lastLine(c.cmd("SEARCH RETURN (FIRST) ALL", "s1")) == imap::statusLine(R::SearchReturnSyntax, "s1"));
    c.raw("i1 IDLE\r\n");
    CHECK(c.raw("STOP\r\n") == imap::statusLine(R::IdleNotDone, "i1") + "\r\n");
}

TEST_CASE("tables: the IMAP client table is well formed", "[table][client][imap]") {
    checkClientTableShape(imap::imapClientTransitions(), imap::kAllImapClientStates, imap::ImapClientState::Done);
    using CS = imap::ImapClientState;
    using CI = imap::ImapClientInput;
    CHECK(imap::imapClientNextState(CS::Greeting, CI::Select) == std::nullopt);  // SELECT before LOGIN
    CHECK(imap::imapClientNextState(CS::Select, CI::IdleDone) == std::nullopt);  // DONE without IDLE
    CHECK(imap::imapClientNextState(CS::Login, CI::Select) == CS::Select);
}

TEST_CASE("tables: a typed IMAP command line is the client inputs its command can be, best first",
          "[table][client][imap]") {
    using CI = imap::ImapClientInput;
    using Inputs = std::vector<CI>;
    auto of = [](std::string_view line) {
        const auto in = imap::imapClientInputsOf(line);
        return Inputs(in.begin(), in.end());
    };
    CHECK(of("a1 LOGIN rose secret") == Inputs{CI::Login});
    CHECK(of("a1 authenticate PLAIN") == Inputs{CI::Login});
    CHECK(of("a2 EXAMINE INBOX") == Inputs{CI::Select});
    CHECK(of("a3 uid fetch 1:* (FLAGS)") == Inputs{CI::List, CI::Open, CI::FetchNew, CI::Flags});
    CHECK(of("a4 UID SEARCH ALL") == Inputs{CI::Search, CI::Survivors});
    CHECK(of("a5 STORE 1 +FLAGS (\\Seen)") == Inputs{CI::Store, CI::Upload});
    CHECK(of("done") == Inputs{CI::IdleDone});  // RFC 2177 3: untagged
    CHECK(of("a6 LOGOUT") == Inputs{CI::Logout});
    for (std::string_view none : {"a7 NOOP", "a8 LIST \"\" *", "a9 EXPUNGE", "LOGIN rose secret", "", "a10 UID"})
        CHECK(of(none).empty());
    // Whatever the line is, the follower takes the first input with a row from where the client is.
    using CS = imap::ImapClientState;
    CHECK(imap::imapClientNextState(CS::Select, CI::List) == CS::List);
    CHECK(imap::imapClientNextState(CS::List, CI::Open) == CS::Open);
}

TEST_CASE("tables: an IMAP client move the table lacks is reported and ends the client", "[table][client][imap]") {
    trace::Trace tr;
    const auto sid = tr.openSession("imap", "rose-pc", "cesoo.com:143", 0);
    trace::Recorder rec(&tr, sid);
    using CS = imap::ImapClientState;
    using CI = imap::ImapClientInput;
    const auto table = imap::imapClientTransitions();
    CHECK(util::moveClient(rec, "imap-client", table, CS::Login, CI::Select, CS::Done, 0, "logged in",
                           trace::kNoCause) == CS::Select);
    CHECK(util::moveClient(rec, "imap-client", table, CS::Greeting, CI::Store, CS::Done, 0, "?", trace::kNoCause) ==
          CS::Done);
    std::vector<std::string> changes;
    std::vector<trace::ErrorReport> errors;
    for (const trace::Event& e : tr.events()) {
        if (e.kind == trace::EventKind::StateChanged) changes.push_back(e.fromState + ">" + e.toState);
        if (const auto* r = e.as<trace::ErrorReport>(); r && e.kind == trace::EventKind::Error) errors.push_back(*r);
    }
    CHECK(changes == std::vector<std::string>{"LOGIN>SELECT", "GREETING>DONE"});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].id == trace::ErrorId::ClientNoTransition);
    CHECK(errors[0].names == std::vector<std::string>{"imap-client", "STORE", "GREETING"});
}

namespace {

// Runs an IMAP client task against the engine's server (STARTTLS handshakes done by hand) until the client is done.
void runImapClient(ImapHost& host, imap::ImapClientConfig cfg) {
    const auto sid = host.trace.openSession("imap", "pc", "mx", 0);
    imap::ImapServerSession server(host.ctx, trace::Recorder(&host.trace, sid));
    imap::ImapClientSession client(std::move(cfg), trace::Recorder(&host.trace, sid));
    server.start(kImapT0);
    for (int i = 0; i < 1000 && !client.done(); ++i) {
        client.receive(server.takeOutput(), kImapT0);
        if (client.idling()) client.stopIdle(kImapT0);
        if (client.startTlsPending() && server.startTlsPending()) {
            server.tlsEstablished(kImapT0);
            client.tlsEstablished(kImapT0);
        }
        server.receive(client.takeOutput(), kImapT0);
        if (server.closed() && !server.hasOutput()) client.connectionClosed(kImapT0);
    }
    REQUIRE(client.done());
    INFO((client.problem() ? trace::errorText(*client.problem(), i18n::Lang::En) : std::string("no problem")));
    CHECK(client.ok());
}

}  // namespace

TEST_CASE("tables: the IMAP client moves through its table in every task and records imap-client state changes",
          "[table][client][imap]") {
    ImapHost host;
    host.ctx.config.tlsOffered = true;
    host.deliver(kImapMessage);
    host.deliver("From: Ann <ann@example.org>\r\nSubject: Plan B\r\n\r\nSecond plan.\r\n");
    auto config = [](imap::ImapTask task) {
        imap::ImapClientConfig c;
        c.user = "rose@cesoo.com";
        c.password = "rose123";
        c.task = task;
        c.searchField = "SUBJECT";
        c.searchText = "Plan";
        c.target = "Archive";
        c.folder = "Work";
        c.addFlags = "\\Flagged";
        return c;
    };
    using T = imap::ImapTask;
    auto summary = config(T::Summary);
    summary.open = {1};
    summary.tls = util::ClientTls::Required;  // GREETING -> CAPABILITY? -> STARTTLS -> CAPABILITY -> LOGIN
    runImapClient(host, summary);
    runImapClient(host, config(T::Sync));  // a first visit, no cache: UPLOAD -> FETCH-NEW -> LOGOUT
    for (T task :
         {T::Search, T::Flag, T::Idle, T::CreateFolder, T::DeleteFolder, T::CreateFolder, T::RenameFolder, T::Move})
        runImapClient(host, config(task));
    host.deliver(kImapMessage);
    auto again = config(T::Sync);  // a second visit with a cache: SURVIVORS and FLAGS too
    again.cache.uidValidity = host.ctx.store->uidValidity("rose@cesoo.com", "INBOX");
    again.cache.uidNext = 2;
    again.cache.flags[1] = "()";
    again.cache.pending[1] = "+FLAGS (\\Seen)";
    runImapClient(host, again);
    checkTraceFollowsTable(host.trace, "imap-client", imap::imapClientTransitions(),
                           [](imap::ImapClientState s) { return toString(s); });
    std::set<std::string> reached;
    for (const trace::Event& e : host.trace.events())
        if (e.kind == trace::EventKind::StateChanged && e.machine == "imap-client") reached.insert(e.toState);
    for (imap::ImapClientState s : imap::kAllImapClientStates) {
        INFO(toString(s));
        CHECK((s == imap::ImapClientState::Greeting || reached.contains(std::string(toString(s)))));
    }
}
