// The SMTP server session, command by command (RFC 5321 4.1, 4.2, 4.3.2, 4.5.3): every command in every state as
// the transition table says, the sequence and syntax errors, the policy refusals, limits, timeouts and the trace.
// Content (DATA) is tested in test_smtp_server_data.cpp.
#include "SmtpTestHarness.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

using namespace mailsim;
using namespace mailsim::test;

namespace {

// One instance of each command with valid syntax, for driving the table.
struct Probe {
    SmtpInput input;
    const char* line;
};
constexpr Probe kProbes[] = {
    {SmtpInput::Helo, "HELO pc"},           {SmtpInput::Ehlo, "EHLO pc"},
    {SmtpInput::Mail, "MAIL FROM:<mike@cesoo.com>"}, {SmtpInput::Rcpt, "RCPT TO:<rose@cesoo.com>"},
    {SmtpInput::Data, "DATA"},              {SmtpInput::Rset, "RSET"},
    {SmtpInput::Noop, "NOOP"},              {SmtpInput::Quit, "QUIT"},
    {SmtpInput::Vrfy, "VRFY rose"},         {SmtpInput::Expn, "EXPN staff"},
    {SmtpInput::Help, "HELP"},              {SmtpInput::Send, "SEND FROM:<mike@cesoo.com>"},
    {SmtpInput::Soml, "SOML FROM:<mike@cesoo.com>"}, {SmtpInput::Saml, "SAML FROM:<mike@cesoo.com>"},
    {SmtpInput::Turn, "TURN"},              {SmtpInput::Auth, "AUTH PLAIN AG1pa2UAbWlrZTEyMw=="},
};

// Brings a fresh connection into `state` with valid commands (Connect: not even greeted).
void reach(ServerConn& c, SmtpState state) {
    if (state == SmtpState::Connect) return;
    c.session.start(c.now);
    if (state == SmtpState::Initial) return;
    c.cmd("EHLO pc");
    if (state == SmtpState::Ready) return;
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    if (state == SmtpState::Mail) return;
    c.cmd("RCPT TO:<rose@cesoo.com>");
    if (state == SmtpState::Rcpt) return;
    c.cmd("DATA");
    if (state == SmtpState::Data) return;
    c.send(".\r\nQUIT\r\n");
}

}  // namespace

TEST_CASE("the probes cover every command verb of the table", "[smtp][server][table]") {
    for (const auto& c : smtpCommands()) {
        if (c.verb.size() != 4) continue;  // <greeting>, <421>, ...: events, not commands
        INFO(c.verb);
        CHECK(std::ranges::any_of(kProbes, [&](const Probe& p) { return p.input == c.input; }));
    }
}

TEST_CASE("every command in every state: 503 exactly when the table disallows it", "[smtp][server][table]") {
    for (SmtpState state : {SmtpState::Connect, SmtpState::Initial, SmtpState::Ready, SmtpState::Mail,
                            SmtpState::Rcpt}) {
        for (const auto& probe : kProbes) {
            ServerHost host;
            ServerConn c(host, false);
            reach(c, state);
            REQUIRE(c.session.state() == state);
            c.session.takeOutput();
            std::string out = c.cmd(probe.line);
            INFO("state " << toString(state) << ", command " << probe.line << " -> " << out);
            auto codes = replyCodes(out);
            REQUIRE(codes.size() == 1);
            auto next = smtpNextState(state, probe.input);
            if (smtpCommandInfo(probe.input).removed) {
                CHECK(codes[0] == 502);
                CHECK(c.session.state() == state);
            } else if (!next) {
                CHECK(codes[0] == 503);
                CHECK(c.session.state() == state);
            } else {
                CHECK(codes[0] != 503);
                // AUTH is in the table, but this harness is a port-25 listener, which does not offer it (502).
                CHECK((codes[0] / 100 <= 3 || (probe.input == SmtpInput::Auth && codes[0] == 502)));
                CHECK(c.session.state() == *next);
            }
        }
    }
}

TEST_CASE("in DATA every command is content; after QUIT nothing is answered", "[smtp][server][table]") {
    for (const auto& probe : kProbes) {
        ServerHost host;
        ServerConn c(host, false);
        reach(c, SmtpState::Data);
        c.session.takeOutput();
        INFO(probe.line);
        CHECK(c.cmd(probe.line).empty());
        CHECK(c.session.state() == SmtpState::Data);
        CHECK(lastCode(c.send(".\r\n")) == 250);
        CHECK(bodyOf(host.inbox("rose@cesoo.com").at(0)) == std::string(probe.line) + "\r\n");
    }
    for (const auto& probe : kProbes) {
        ServerHost host;
        ServerConn c(host, false);
        reach(c, SmtpState::Closed);
        REQUIRE(c.session.closed());
        CHECK(c.cmd(probe.line).empty());
    }
}

TEST_CASE("greeting, EHLO and HELO: exact bytes, enhanced codes only after EHLO", "[smtp][server]") {
    ServerHost host;
    ServerConn c(host);
    CHECK(c.greeting() == "220 cesoo.com Service ready\r\n");
    CHECK(c.cmd("HELO mike-pc") == "250 cesoo.com Hello mike-pc, pleased to meet you\r\n");
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com>") == "250 <mike@cesoo.com>... Sender OK\r\n");
    CHECK(c.cmd("RCPT TO:<nobody@cesoo.com>") == "550 <nobody@cesoo.com>... User unknown\r\n");
    // RFC 5321 4.1.1.1: the EHLO reply lists exactly the extensions implemented, one per line.
    CHECK(c.cmd("EHLO mike-pc") == "250-cesoo.com Hello mike-pc, pleased to meet you\r\n"
                                   "250-SIZE 10485760\r\n"
                                   "250-8BITMIME\r\n"
                                   "250-PIPELINING\r\n"
                                   "250-ENHANCEDSTATUSCODES\r\n"
                                   "250 SMTPUTF8\r\n");
    CHECK(c.session.state() == SmtpState::Ready);  // EHLO aborted the transaction (RFC 5321 4.1.4)
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com>") == "250 2.1.0 <mike@cesoo.com>... Sender OK\r\n");
    CHECK(c.cmd("RCPT TO:<rose@cesoo.com>") == "250 2.1.5 <rose@cesoo.com>... Recipient OK\r\n");
    CHECK(c.cmd("HELO again") == "250 cesoo.com Hello again, pleased to meet you\r\n");
    CHECK(c.cmd("NOOP") == "250 OK\r\n");  // HELO switched the enhanced codes off again
}

TEST_CASE("sequence errors are 503 and change nothing", "[smtp][server][sequence]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com>") == "503 Bad sequence of commands: send HELO or EHLO first\r\n");
    CHECK(c.session.state() == SmtpState::Initial);
    c.cmd("EHLO pc");
    CHECK(c.cmd("RCPT TO:<rose@cesoo.com>") == "503 5.5.1 Bad sequence of commands: need MAIL before RCPT\r\n");
    CHECK(c.cmd("DATA") == "503 5.5.1 Bad sequence of commands: need MAIL before DATA\r\n");
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    CHECK(c.cmd("DATA") == "503 5.5.1 Bad sequence of commands: need RCPT before DATA\r\n");
    CHECK(c.cmd("MAIL FROM:<rose@cesoo.com>") ==
          "503 5.5.1 Bad sequence of commands: nested MAIL command (a transaction is already open; send RSET to "
          "abort it)\r\n");
    CHECK(c.session.state() == SmtpState::Mail);
    CHECK(host.totalStored() == 0);
}

TEST_CASE("argument syntax errors are 501; unknown verbs 500; RFC 821 relics 502", "[smtp][server][syntax]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    CHECK(c.cmd("HELO") == "501 Syntax: HELO <domain>\r\n");
    CHECK(c.cmd("EHLO") == "501 Syntax: EHLO <domain>\r\n");
    c.cmd("EHLO pc");
    CHECK(c.cmd("MAIL mike@cesoo.com") == "501 5.5.4 Syntax: expected \"FROM:<address>\"\r\n");
    CHECK(c.cmd("MAIL TO:<mike@cesoo.com>") == "501 5.5.4 Syntax: expected \"FROM:<address>\"\r\n");
    CHECK(c.cmd("RSET now") == "501 5.5.4 Syntax: RSET\r\n");
    CHECK(c.cmd("QUIT now") == "501 5.5.4 Syntax: QUIT\r\n");
    CHECK_FALSE(c.session.closed());
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    c.cmd("RCPT TO:<rose@cesoo.com>");
    CHECK(c.cmd("DATA now") == "501 5.5.4 Syntax: DATA\r\n");
    CHECK(c.session.state() == SmtpState::Rcpt);
    CHECK(c.cmd("FOOB bar") == "500 5.5.2 Command unrecognized: \"FOOB\"\r\n");
    CHECK(c.cmd("") == "500 5.5.2 Command unrecognized: \"\"\r\n");
    for (const char* verb : {"SEND", "SOML", "SAML", "TURN"}) {
        std::string out = c.cmd(std::string(verb) + " FROM:<mike@cesoo.com>");
        CHECK(out == fmt::format("502 5.5.1 {} was removed by RFC 5321 (it existed in RFC 821); not implemented\r\n",
                                 verb));
    }
    CHECK(c.session.state() == SmtpState::Rcpt);
}

TEST_CASE("commands are case-insensitive", "[smtp][server][syntax]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    CHECK(lastCode(c.cmd("ehlo pc")) == 250);
    CHECK(c.cmd("mail from:<mike@cesoo.com>") == "250 2.1.0 <mike@cesoo.com>... Sender OK\r\n");
    CHECK(c.cmd("rcpt to:<ROSE@cesoo.com>") == "250 2.1.5 <ROSE@cesoo.com>... Recipient OK\r\n");
}

TEST_CASE("RCPT refusals: 550 unknown user, 553 malformed, 554 relay denied", "[smtp][server][rcpt]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO pc");
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    CHECK(c.cmd("RCPT TO:<nobody@cesoo.com>") == "550 5.1.1 <nobody@cesoo.com>... User unknown\r\n");
    CHECK(c.cmd("RCPT TO:<rose@@cesoo.com>") ==
          "553 5.1.3 rose@@cesoo.com... Mailbox name not allowed: more than one '@'\r\n");
    CHECK(lastCode(c.cmd("RCPT TO:<rose@cesoo..com>")) == 553);
    CHECK(c.cmd("RCPT TO:<bob@example.org>") == "554 5.7.1 <bob@example.org>: Relay access denied\r\n");
    CHECK(c.cmd("RCPT TO:<>") == "501 5.5.4 Syntax: TO:<address> (the null path <> is only for MAIL)\r\n");
    CHECK(c.session.state() == SmtpState::Mail);
    CHECK(c.cmd("DATA") == "554 5.5.1 No valid recipients\r\n");
    CHECK(c.session.state() == SmtpState::Mail);
}

TEST_CASE("MAIL: malformed sender is 553; the null reverse-path is accepted", "[smtp][server][mail]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO pc");
    CHECK(c.cmd("MAIL FROM:<mike@>") == "553 5.1.3 mike@... Mailbox name not allowed: empty domain after '@'\r\n");
    CHECK(c.cmd("MAIL FROM:<>") == "250 2.1.0 <>... Sender OK\r\n");
}

TEST_CASE("lenient accepts MAIL FROM:Mike@cesoo.com, strict answers 501", "[smtp][server][mail]") {
    for (bool lenient : {true, false}) {
        ServerHost host;
        host.ctx.config.lenient = lenient;
        ServerConn c(host);
        c.greeting();
        c.cmd("EHLO pc");
        std::string out = c.cmd("MAIL FROM:Mike@cesoo.com");
        if (lenient) {
            CHECK(out == "250 2.1.0 <Mike@cesoo.com>... Sender OK\r\n");
            CHECK(c.session.state() == SmtpState::Mail);
        } else {
            CHECK(out == "501 5.5.4 Syntax: FROM:<address> (angle brackets are required)\r\n");
            CHECK(c.session.state() == SmtpState::Ready);
        }
    }
}

TEST_CASE("lenient accepts LF-only command lines, strict answers 500", "[smtp][server][syntax]") {
    for (bool lenient : {true, false}) {
        ServerHost host;
        host.ctx.config.lenient = lenient;
        ServerConn c(host);
        c.greeting();
        std::string out = c.send("EHLO pc\n");
        CHECK(lastCode(out) == (lenient ? 250 : 500));
    }
}

TEST_CASE("ESMTP parameters: SIZE limit 552 at MAIL, unknown 555, none after HELO", "[smtp][server][mail]") {
    ServerHost host;
    host.ctx.config.maxMessageSize = 1000;
    ServerConn c(host);
    c.greeting();
    c.cmd("HELO pc");
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com> SIZE=10") ==
          "555 SIZE: MAIL FROM/RCPT TO parameter not recognized\r\n");
    c.cmd("EHLO pc");
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com> SIZE=1001") ==
          "552 5.3.4 Message size exceeds fixed limit of 1000 octets\r\n");
    CHECK(c.session.state() == SmtpState::Ready);
    CHECK(lastCode(c.cmd("MAIL FROM:<mike@cesoo.com> SIZE=99999999999999999999999")) == 501);
    CHECK(lastCode(c.cmd("MAIL FROM:<mike@cesoo.com> FOO=1")) == 555);
    CHECK(lastCode(c.cmd("MAIL FROM:<mike@cesoo.com> BODY=BINARYMIME")) == 504);
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com> SIZE=1000 BODY=8BITMIME") == "250 2.1.0 <mike@cesoo.com>... Sender OK\r\n");
    CHECK(lastCode(c.cmd("RCPT TO:<rose@cesoo.com> NOTIFY=NEVER")) == 555);
}

TEST_CASE("452 too many recipients: limit from the config, 1000 by default (Postfix; RFC 5321 asks >= 100)",
          "[smtp][server][rcpt]") {
    CHECK(SmtpServerConfig{}.maxRecipients == 1000);
    SECTION("configured limit of 2") {
        ServerHost host;
        host.ctx.directory.addUser("tom@cesoo.com", "t");
        host.ctx.config.maxRecipients = 2;
        ServerConn c(host);
        c.greeting();
        c.cmd("EHLO pc");
        c.cmd("MAIL FROM:<mike@cesoo.com>");
        CHECK(lastCode(c.cmd("RCPT TO:<rose@cesoo.com>")) == 250);
        CHECK(lastCode(c.cmd("RCPT TO:<mike@cesoo.com>")) == 250);
        CHECK(c.cmd("RCPT TO:<tom@cesoo.com>") == "452 4.5.3 Too many recipients (this server takes 2 per message)\r\n");
        CHECK(lastCode(c.cmd("DATA")) == 354);
        CHECK(lastCode(c.send("hi\r\n.\r\n")) == 250);
        CHECK(host.inbox("rose@cesoo.com").size() == 1);
        CHECK(host.inbox("tom@cesoo.com").empty());
    }
    SECTION("default: the 1001st recipient is refused") {
        ServerHost host;
        for (int i = 0; i < 1001; ++i) host.ctx.directory.addUser(fmt::format("u{}@cesoo.com", i), "x");
        ServerConn c(host);
        c.greeting();
        c.cmd("EHLO pc");
        c.cmd("MAIL FROM:<mike@cesoo.com>");
        std::string pipelined;
        for (int i = 0; i < 1001; ++i) pipelined += fmt::format("RCPT TO:<u{}@cesoo.com>\r\n", i);
        auto codes = replyCodes(c.send(pipelined));
        REQUIRE(codes.size() == 1001);
        CHECK(std::count(codes.begin(), codes.end(), 250) == 1000);
        CHECK(codes.back() == 452);
    }
}

TEST_CASE("an over-long command line is 500 and is not buffered", "[smtp][server][limits]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    SECTION("exactly 512 octets with CRLF is allowed, 513 is not") {
        std::string ok = "NOOP " + std::string(512 - 7, 'x');
        REQUIRE(ok.size() + 2 == 512);
        CHECK(lastCode(c.cmd(ok)) == 250);
        CHECK(c.cmd(ok + "x") == "500 Line too long (limit 512 octets including CRLF)\r\n");
    }
    SECTION("10 MB without a line end: memory stays bounded, one 500 when it ends") {
        std::string chunk(4096, 'x');
        for (int i = 0; i < 2560; ++i) {
            CHECK(c.send(chunk).empty());
            REQUIRE(c.session.bufferedBytes() <= 2 * kMaxCommandLine + chunk.size());
        }
        CHECK(c.send("\r\n") == "500 Line too long (limit 512 octets including CRLF)\r\n");
        CHECK(c.session.bufferedBytes() == 0);
        CHECK(lastCode(c.cmd("EHLO pc")) == 250);  // the session goes on
        for (const auto& e : host.trace.events()) CHECK(e.raw.size() <= kMaxCommandLine);
    }
}

TEST_CASE("VRFY, EXPN, HELP, NOOP", "[smtp][server]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO pc");
    CHECK(c.cmd("VRFY rose") == "250 2.1.5 Rose <rose@cesoo.com>\r\n");
    CHECK(c.cmd("VRFY <mike@cesoo.com>") == "250 2.1.5 Mike <mike@cesoo.com>\r\n");
    CHECK(c.cmd("VRFY nobody") == "550 5.1.1 <nobody>... User unknown\r\n");
    CHECK(c.cmd("VRFY bob@example.org") ==
          "252 2.1.5 Cannot VRFY user, but will accept message and attempt delivery\r\n");
    CHECK(c.cmd("VRFY") == "501 5.5.4 Syntax: VRFY <user or mailbox>\r\n");
    CHECK(c.cmd("EXPN staff") == "250-2.1.5 <mike@cesoo.com>\r\n250 2.1.5 <rose@cesoo.com>\r\n");
    CHECK(c.cmd("EXPN staff@cesoo.com") == "250-2.1.5 <mike@cesoo.com>\r\n250 2.1.5 <rose@cesoo.com>\r\n");
    CHECK(c.cmd("EXPN rose@cesoo.com") == "550 5.1.1 <rose@cesoo.com>... Not a mailing list\r\n");
    CHECK(c.cmd("EXPN rose") == "550 5.1.1 <rose>... Not a mailing list\r\n");
    CHECK(c.cmd("EXPN nobody") == "550 5.1.1 <nobody>... User unknown\r\n");
    CHECK(c.cmd("HELP") == "214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY EXPN HELP\r\n");
    CHECK(c.cmd("HELP rcpt") ==
          "214 2.0.0 RCPT: RCPT TO:<forward-path> -- Names one envelope recipient; repeat for each recipient\r\n");
    CHECK(c.cmd("HELP FOO") == "504 5.5.4 HELP topic \"FOO\" unknown\r\n");
    CHECK(c.cmd("NOOP") == "250 2.0.0 OK\r\n");
    CHECK(c.cmd("NOOP anything at all") == "250 2.0.0 OK\r\n");  // RFC 5321 4.1.1.9: the string is ignored
    CHECK(c.session.state() == SmtpState::Ready);
}

TEST_CASE("idle timeout: 421 after 5 minutes of silence, not before", "[smtp][server][timeout]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    c.now += 200'000'000;
    c.cmd("EHLO pc");  // activity restarts the clock
    c.session.tick(c.now + 299'999'999);
    CHECK_FALSE(c.session.hasOutput());
    CHECK_FALSE(c.session.closed());
    c.session.tick(c.now + 300'000'000);
    CHECK(c.session.takeOutput() == "421 4.4.2 cesoo.com Error: timeout exceeded, closing connection\r\n");
    CHECK(c.session.closed());
    c.session.tick(c.now + 900'000'000);
    CHECK_FALSE(c.session.hasOutput());  // said once
}

TEST_CASE("too many errors: 421 and the connection closes", "[smtp][server][errors]") {
    ServerHost host;
    host.ctx.config.maxErrors = 3;
    ServerConn c(host);
    c.greeting();
    std::string out = c.send("FOOB\r\nBARB\r\nBAZZ\r\nEHLO pc\r\n");
    CHECK(out == "500 Command unrecognized: \"FOOB\"\r\n"
                 "500 Command unrecognized: \"BARB\"\r\n"
                 "500 Command unrecognized: \"BAZZ\"\r\n"
                 "421 cesoo.com Error: too many errors, closing connection\r\n");
    CHECK(c.session.closed());
}

TEST_CASE("a server refusing connections greets with 421 and closes", "[smtp][server]") {
    ServerHost host;
    host.ctx.config.acceptConnections = false;
    ServerConn c(host);
    CHECK(c.greeting() == "421 cesoo.com Service not available, closing transmission channel\r\n");
    CHECK(c.session.closed());
    CHECK(c.cmd("EHLO pc").empty());
}

TEST_CASE("QUIT: 221 and closed; RSET aborts the transaction", "[smtp][server]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO pc");
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    c.cmd("RCPT TO:<rose@cesoo.com>");
    CHECK(c.cmd("RSET") == "250 2.0.0 Reset state\r\n");
    CHECK(c.session.state() == SmtpState::Ready);
    CHECK(c.cmd("DATA") == "503 5.5.1 Bad sequence of commands: need MAIL before DATA\r\n");
    CHECK(lastCode(c.cmd("MAIL FROM:<rose@cesoo.com>")) == 250);
    CHECK(c.cmd("QUIT") == "221 2.0.0 cesoo.com closing connection\r\n");
    CHECK(c.session.closed());
    CHECK(host.totalStored() == 0);
}

TEST_CASE("trace: each transition is caused by the command line; lines carry their raw bytes", "[smtp][server][trace]") {
    ServerHost host;
    ServerConn c(host);
    const std::string input = "EHLO pc\r\nMAIL FROM:<mike@cesoo.com>\r\nRCPT TO:<rose@cesoo.com>\r\nDATA\r\n"
                              "Subject: hi\r\n\r\n..dot\r\n.\r\nRSET\r\nQUIT\r\n";
    std::string output = c.greeting() + c.send(input);
    const auto& events = host.trace.events();
    std::string fromClient, fromServer;
    std::vector<std::pair<std::string, std::string>> transitions;
    for (const auto& e : events) {
        CHECK(e.session == c.sid);
        if (e.kind == trace::EventKind::Line) {
            (e.direction == trace::Direction::ClientToServer ? fromClient : fromServer) += e.raw;
            CHECK(e.raw.starts_with(e.text));
            if (e.direction == trace::Direction::ServerToClient) {
                CHECK(e.role == trace::LineRole::Reply);
            }
        }
        if (e.kind != trace::EventKind::StateChanged) continue;
        CHECK(e.machine == "smtp");
        transitions.emplace_back(e.fromState, e.toState);
        if (e.fromState == "CONNECT") {
            CHECK(e.cause == trace::kNoCause);  // the greeting has no command
            continue;
        }
        REQUIRE(e.cause != trace::kNoCause);
        const auto& cause = host.trace.at(e.cause);
        CHECK(cause.kind == trace::EventKind::Line);
        CHECK(cause.direction == trace::Direction::ClientToServer);
        if (e.toState == "READY" && e.fromState == "DATA") {
            CHECK(cause.role == trace::LineRole::Data);
            CHECK(cause.raw == ".\r\n");
        } else {
            CHECK(cause.role == trace::LineRole::Command);
            CHECK(cause.text.starts_with(e.text));  // the verb
        }
    }
    CHECK(fromClient == input);  // every byte of the dialogue, dot-stuffing included, is in the trace
    CHECK(fromServer == output);
    using P = std::pair<std::string, std::string>;
    CHECK(transitions == std::vector<P>{{"CONNECT", "INITIAL"}, {"INITIAL", "READY"}, {"READY", "MAIL"},
                                        {"MAIL", "RCPT"}, {"RCPT", "DATA"}, {"DATA", "READY"}, {"READY", "CLOSED"}});
    // Content lines are Data, and each is caused by the DATA command.
    std::size_t dataLines = 0;
    for (const auto& e : events)
        if (e.kind == trace::EventKind::Line && e.role == trace::LineRole::Data && e.raw != ".\r\n") {
            ++dataLines;
            CHECK(host.trace.at(e.cause).text == "DATA");
        }
    CHECK(dataLines == 3);
    auto stored = std::ranges::find(events, trace::EventKind::StoreChanged, &trace::Event::kind);
    REQUIRE(stored != events.end());
    REQUIRE(stored->as<trace::StoreChange>());
    CHECK(stored->as<trace::StoreChange>()->user == "rose@cesoo.com");
    CHECK(stored->as<trace::StoreChange>()->folder == "INBOX");
    CHECK(stored->as<trace::StoreChange>()->uid == 1);
    CHECK(stored->as<trace::StoreChange>()->action == trace::StoreAction::Appended);
}

// Regression: the server used to write client-chosen bytes (a bare CR in the HELO name or in an address literal)
// into the stored message's Return-Path:/Received: header, where a bare CR can start a forged header line for
// software that treats CR as a line end.
TEST_CASE("no bare CR reaches a stored header through HELO or an address literal", "[smtp][server][security]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    CHECK(c.cmd("EHLO pc\rX-Injected: yes") == "501 Syntax: EHLO <domain>\r\n");
    CHECK(c.cmd("HELO pc\x01") == "501 Syntax: HELO <domain>\r\n");
    CHECK(c.session.state() == SmtpState::Initial);
    c.cmd("EHLO pc");
    CHECK(lastCode(c.cmd("MAIL FROM:<a@[192.0.2.1\rX-Injected: yes]>")) == 553);
    CHECK(lastCode(c.cmd("MAIL FROM:<a@[a]b]>")) == 553);
    CHECK(lastCode(c.cmd("MAIL FROM:<a@[192.0.2.1]>")) == 250);
    CHECK(lastCode(c.cmd("RCPT TO:<rose@cesoo.com>")) == 250);
    c.send("DATA\r\nhi\r\n.\r\n");
    auto inbox = host.inbox("rose@cesoo.com");
    REQUIRE(inbox.size() == 1);
    CHECK(inbox[0].starts_with("Return-Path: <a@[192.0.2.1]>\r\n"));
}

// Regression: replies echo parts of the command (the unknown verb, the VRFY argument, the path); a control
// character there made the reply itself invalid (RFC 5321 4.2: textstring = 1*(%d09 / %d32-126)).
TEST_CASE("replies never carry control characters echoed from the client", "[smtp][server][security]") {
    ServerHost host;
    ServerConn c(host);
    c.greeting();
    CHECK(c.cmd("FOO\rBAR") == "500 Command unrecognized: \"FOO?BAR\"\r\n");
    c.cmd("EHLO pc");
    CHECK(c.cmd("VRFY ro\rse") == "550 5.1.1 <ro?se>... User unknown\r\n");
    CHECK(c.cmd("HELP x\x1b[2J") == "504 5.5.4 HELP topic \"x?[2J\" unknown\r\n");
}

TEST_CASE("a command before the greeting is told to wait for it", "[smtp][server][sequence]") {
    ServerHost host;
    ServerConn c(host, false);
    CHECK(c.cmd("MAIL FROM:<mike@cesoo.com>") == "503 Bad sequence of commands: wait for the server's greeting\r\n");
    CHECK(c.cmd("DATA") == "503 Bad sequence of commands: wait for the server's greeting\r\n");
}

// Regression: replies echoed client text without a length cap, so "EHLO <400 octets>" or "VRFY <450 octets>"
// produced reply lines over RFC 5321 4.5.3.1.5's 512 octets (found by the fuzz target's reply check).
TEST_CASE("reply lines stay within 512 octets whatever the client sends", "[smtp][server][limits]") {
    ServerHost host;
    ServerConn c(host);
    std::string out = c.greeting();
    out += c.cmd("EHLO " + std::string(400, 'h'));
    out += c.cmd("VRFY " + std::string(450, 'v'));
    out += c.cmd("MAIL FROM:<" + std::string(300, 'm') + "@cesoo.com>");
    out += c.cmd(std::string(300, 'X') + " verb");
    out += c.cmd("HELP " + std::string(450, 'q'));
    CHECK(replyCodes(out) == std::vector<int>{220, 250, 550, 553, 500, 504});
    for (std::size_t start = 0, end; (end = out.find("\r\n", start)) != std::string::npos; start = end + 2) {
        INFO(out.substr(start, end - start));
        CHECK(end + 2 - start <= kMaxReplyLine);
    }
    CHECK(out.find(std::string(100, 'v') + "...") != std::string::npos);  // cut visibly
}

// Regression (found by the fuzz target): input pipelined after QUIT or after a 421 stayed buffered for the life of
// the session, however large the segment was.
TEST_CASE("bytes after QUIT or a 421 are dropped, not kept", "[smtp][server][limits]") {
    ServerHost host;
    host.ctx.config.maxErrors = 1;
    for (const char* last : {"QUIT\r\n", "FOOB\r\n"}) {
        ServerConn c(host);
        c.greeting();
        std::string out = c.send(std::string(last) + std::string(100000, 'z') + "\r\nNOOP\r\n");
        CHECK(c.session.closed());
        CHECK(replyCodes(out).size() == (std::string(last) == "QUIT\r\n" ? 1u : 2u));
        CHECK(c.session.bufferedBytes() == 0);
    }
}
