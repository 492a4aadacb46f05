// The tables drive (engine/util/ProtocolTables.hpp): every command row of every server has a handler, the one gate
// per protocol answers each command in each state as the row's flags and the transition table say, verbs of any
// length are parsed, and the reply codes each RFC allows live in the rows (predict mode reads them there).
#include "Pop3TestHarness.hpp"
#include "SmtpTestHarness.hpp"

#include "imap/ImapReplies.hpp"
#include "pop3/Pop3ClientSession.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpStates.hpp"
#include "util/Ascii.hpp"

#include <catch2/catch.hpp>

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
