// The SMTP client session (RFC 5321), against the real server session wired in memory and against tiny scripted
// fake servers for the replies a mailsim server never gives (5xx to EHLO, garbage, 421 mid-session).
#include "SmtpTestHarness.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

using namespace mailsim;
using namespace mailsim::test;
using Status = DeliveryStatus;

namespace {

OutgoingMessage message(std::vector<std::string> to, std::string content = "Subject: hi\r\n\r\nHello.\r\n",
                        std::string from = "mike@cesoo.com") {
    return OutgoingMessage{std::move(from), std::move(to), std::move(content)};
}

SmtpClientConfig clientConfig() {
    SmtpClientConfig c;
    c.heloName = "mike-pc";
    return c;
}

// Moves bytes both ways until neither side has anything more to say. Each direction may be split (FeedMode).
void pump(SmtpClientSession& client, SmtpServerSession& server, trace::Micros now, FeedMode mode = FeedMode::Whole,
          unsigned seed = 0) {
    for (int round = 0; round < 100000; ++round) {
        std::string s2c = server.takeOutput();
        for (auto part : splitInput(s2c, mode, seed + round)) client.receive(part, now);
        if (server.closed()) client.connectionClosed(now);  // the transport closes after flushing
        std::string c2s = client.takeOutput();
        for (auto part : splitInput(c2s, mode, seed + 7 * round)) server.receive(part, now);
        if (s2c.empty() && c2s.empty() && !server.hasOutput()) return;
    }
    FAIL("the dialogue did not end");
}

// A client against the cesoo.com server; the client records into the host's trace as its own session.
struct Wired {
    ServerHost host;
    std::unique_ptr<ServerConn> conn;
    trace::SessionId clientSid = 0;
    std::unique_ptr<SmtpClientSession> client;

    void connect(std::vector<OutgoingMessage> messages, SmtpClientConfig cfg = clientConfig()) {
        conn = std::make_unique<ServerConn>(host);
        clientSid = host.trace.openSession("smtp-client", "mike-pc", "cesoo.com:25", kT0);
        client = std::make_unique<SmtpClientSession>(cfg, std::move(messages),
                                                     trace::Recorder(&host.trace, clientSid));
    }
    void run(FeedMode mode = FeedMode::Whole, unsigned seed = 0) { pump(*client, conn->session, conn->now, mode, seed); }
    const RecipientResult& result(std::size_t msg, std::size_t rcpt) const {
        return client->results().at(msg).recipients.at(rcpt);
    }
};

// A scripted server: the greeting, then one reply per command line; after a 354 it swallows content until ".".
struct FakeServer {
    std::vector<std::string> replies;  // [0] is the greeting
    std::size_t next = 0;
    bool inData = false;
    std::string buffer;
    std::vector<std::string> received;  // command lines (content not included)
    std::string output;

    explicit FakeServer(std::vector<std::string> script) : replies(std::move(script)) { say(); }
    void say() {
        if (next >= replies.size()) return;
        output += replies[next];
        inData = replies[next].starts_with("354");
        ++next;
    }
    void receive(std::string_view bytes) {
        buffer += bytes;
        for (std::size_t pos; (pos = buffer.find("\r\n")) != std::string::npos;) {
            std::string line = buffer.substr(0, pos);
            buffer.erase(0, pos + 2);
            if (inData) {
                if (line == ".") say();
                continue;
            }
            received.push_back(line);
            say();
        }
    }
};

void pump(SmtpClientSession& client, FakeServer& server) {
    for (int round = 0; round < 1000 && !client.done(); ++round) {
        std::string s2c = std::exchange(server.output, {});
        client.receive(s2c, kT0);
        std::string c2s = client.takeOutput();
        server.receive(c2s);
        if (s2c.empty() && c2s.empty()) break;
    }
    server.receive(client.takeOutput());  // a last QUIT sent without waiting for its reply
}

// Content as the server must store it: every line end CRLF, and a CRLF after a last unterminated line.
std::string normalised(std::string_view content) {
    std::string out;
    for (std::size_t i = 0; i < content.size(); ++i) {
        if (content[i] == '\r' || content[i] == '\n') {
            if (content[i] == '\r' && i + 1 < content.size() && content[i + 1] == '\n') ++i;
            out += "\r\n";
        } else {
            out += content[i];
        }
    }
    if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
    return out;
}

}  // namespace

TEST_CASE("encodeContent: dot-stuffing, CRLF line ends, terminator", "[smtp][client][encode]") {
    using C = SmtpClientSession;
    CHECK(C::encodeContent("a\r\n.b\r\n.\r\n") == "a\r\n..b\r\n..\r\n.\r\n");
    CHECK(C::encodeContent(".") == "..\r\n.\r\n");
    CHECK(C::encodeContent("..") == "...\r\n.\r\n");
    CHECK(C::encodeContent("a\nb") == "a\r\nb\r\n.\r\n");               // bare LF, no final line end
    CHECK(C::encodeContent("a\rb\r\n") == "a\r\nb\r\n.\r\n");           // bare CR
    CHECK(C::encodeContent("a\r\r\n") == "a\r\n\r\n.\r\n");             // CR then CRLF: two line ends
    CHECK(C::encodeContent("x\n.\nMAIL FROM:<a@b>\n") == "x\r\n..\r\nMAIL FROM:<a@b>\r\n.\r\n");  // no smuggling
    CHECK(C::encodeContent("x\r.\r\n") == "x\r\n..\r\n.\r\n");
    CHECK(C::encodeContent("a\r\n") == "a\r\n.\r\n");
    CHECK(C::encodeContent("\r\n") == "\r\n.\r\n");
    CHECK(C::encodeContent("") == ".\r\n");  // the DATA command's CRLF is the terminator's first CRLF
    CHECK(C::encodeContent("a.\r\n x.") == "a.\r\n x.\r\n.\r\n");   // only a leading dot is stuffed
    CHECK(C::contentSize("a\nb") == 6);
    CHECK(C::contentSize(".x\r\n") == 4);
    CHECK(C::contentSize("") == 0);
}

TEST_CASE("one message, client against server: delivered, bytes and phases traced", "[smtp][client][wired]") {
    Wired w;
    w.connect({message({"rose@cesoo.com"})});
    w.run();
    REQUIRE(w.client->done());
    CHECK(w.conn->session.closed());
    CHECK(w.result(0, 0).status == Status::Delivered);
    CHECK(w.result(0, 0).code == 250);
    CHECK(w.result(0, 0).reply == "2.0.0 Message accepted for delivery");
    auto inbox = w.host.inbox("rose@cesoo.com");
    REQUIRE(inbox.size() == 1);
    CHECK(bodyOf(inbox[0]) == "Subject: hi\r\n\r\nHello.\r\n");

    // The client's view in the trace: what it sent is exactly what the server received, and vice versa.
    std::string clientSent, clientGot, serverGot, serverSent;
    std::vector<std::string> phases;
    for (const auto& e : w.host.trace.events()) {
        if (e.kind == trace::EventKind::Line) {
            bool c2s = e.direction == trace::Direction::ClientToServer;
            if (e.session == w.clientSid) (c2s ? clientSent : clientGot) += e.raw;
            else (c2s ? serverGot : serverSent) += e.raw;
            if (e.session == w.clientSid && e.role == trace::LineRole::Reply) {
                // A reply line answers the command sent before it (none for the greeting).
                if (e.cause != trace::kNoCause)
                    CHECK(w.host.trace.at(e.cause).direction == trace::Direction::ClientToServer);
            }
        }
        if (e.kind == trace::EventKind::StateChanged && e.session == w.clientSid) {
            CHECK(e.machine == "smtp-client");
            phases.push_back(e.fromState + ">" + e.toState);
            REQUIRE(e.cause != trace::kNoCause);
            const auto& cause = w.host.trace.at(e.cause);
            CHECK(cause.session == w.clientSid);
            CHECK(cause.direction == trace::Direction::ServerToClient);  // a reply moved the client on
            CHECK(cause.text.starts_with(e.text.substr(0, 3)));
        }
    }
    CHECK(clientSent == serverGot);
    CHECK(clientGot == serverSent);
    CHECK(clientSent == "EHLO mike-pc\r\nMAIL FROM:<mike@cesoo.com> SIZE=23\r\nRCPT TO:<rose@cesoo.com>\r\nDATA\r\n"
                        "Subject: hi\r\n\r\nHello.\r\n.\r\nQUIT\r\n");
    CHECK(phases == std::vector<std::string>{"GREETING>EHLO", "EHLO>MAIL", "MAIL>RCPT", "RCPT>DATA", "DATA>CONTENT",
                                             "CONTENT>QUIT", "QUIT>DONE"});
    auto dataLines = std::ranges::count_if(w.host.trace.events(), [&](const trace::Event& e) {
        return e.session == w.clientSid && e.kind == trace::EventKind::Line && e.role == trace::LineRole::Data;
    });
    CHECK(dataLines == 4);  // three content lines and "."
}

TEST_CASE("several messages over one connection", "[smtp][client][wired]") {
    Wired w;
    w.connect({message({"rose@cesoo.com"}, "Subject: 1\r\n\r\none\r\n"),
               message({"mike@cesoo.com"}, "Subject: 2\r\n\r\ntwo\r\n", "rose@cesoo.com"),
               message({}, "no recipients: skipped"),
               message({"staff@cesoo.com"}, "Subject: 3\r\n\r\nthree\r\n", "")});
    w.run();
    REQUIRE(w.client->done());
    CHECK(w.conn->session.messagesAccepted() == 3);
    CHECK(w.result(0, 0).status == Status::Delivered);
    CHECK(w.result(1, 0).status == Status::Delivered);
    CHECK(w.client->results().at(2).recipients.empty());
    CHECK(w.result(3, 0).status == Status::Delivered);
    auto rose = w.host.inbox("rose@cesoo.com");
    auto mike = w.host.inbox("mike@cesoo.com");
    REQUIRE(rose.size() == 2);
    REQUIRE(mike.size() == 2);
    CHECK(bodyOf(rose[0]) == "Subject: 1\r\n\r\none\r\n");
    CHECK(bodyOf(mike[0]) == "Subject: 2\r\n\r\ntwo\r\n");
    CHECK(bodyOf(rose[1]) == "Subject: 3\r\n\r\nthree\r\n");
    CHECK(rose[1].starts_with("Return-Path: <>\r\n"));  // the null reverse-path of a bounce
}

TEST_CASE("a refused recipient among accepted ones; only refused ones means RSET, not DATA", "[smtp][client][wired]") {
    Wired w;
    w.connect({message({"rose@cesoo.com", "nobody@cesoo.com", "bob@example.org", "mike@cesoo.com"}),
               message({"nobody@cesoo.com", "bad@@cesoo.com"}), message({"rose@cesoo.com"}, "second\r\n")});
    w.run();
    REQUIRE(w.client->done());
    CHECK(w.result(0, 0).status == Status::Delivered);
    CHECK(w.result(0, 1).status == Status::PermFailed);
    CHECK(w.result(0, 1).code == 550);
    CHECK(w.result(0, 2).status == Status::PermFailed);
    CHECK(w.result(0, 2).code == 554);
    CHECK(w.result(0, 2).reply == "5.7.1 <bob@example.org>: Relay access denied");
    CHECK(w.result(0, 3).status == Status::Delivered);
    CHECK(w.result(1, 0).status == Status::PermFailed);
    CHECK(w.result(1, 1).status == Status::PermFailed);
    CHECK(w.result(1, 1).code == 553);
    CHECK(w.result(2, 0).status == Status::Delivered);
    CHECK(w.host.inbox("rose@cesoo.com").size() == 2);
    CHECK(w.host.inbox("mike@cesoo.com").size() == 1);
    // The second message never reached DATA: the server saw RSET after its two RCPTs.
    std::vector<std::string> commands;
    for (const auto& e : w.host.trace.events())
        if (e.session == w.clientSid && e.kind == trace::EventKind::Line && e.role == trace::LineRole::Command)
            commands.push_back(e.text.substr(0, 4));
    CHECK(commands == std::vector<std::string>{"EHLO", "MAIL", "RCPT", "RCPT", "RCPT", "RCPT", "DATA", "MAIL", "RCPT",
                                               "RCPT", "RSET", "MAIL", "RCPT", "DATA", "QUIT"});
}

TEST_CASE("a server refusing connections (421 greeting): everything fails temporarily", "[smtp][client][wired]") {
    Wired w;
    w.host.ctx.config.acceptConnections = false;
    w.connect({message({"rose@cesoo.com", "mike@cesoo.com"}), message({"rose@cesoo.com"})});
    w.run();
    REQUIRE(w.client->done());
    for (std::size_t m = 0; m < 2; ++m)
        for (const auto& r : w.client->results()[m].recipients) {
            CHECK(r.status == Status::TempFailed);
            CHECK(r.code == 421);
        }
    CHECK(w.conn->session.bufferedBytes() == 0);
    CHECK(std::ranges::none_of(w.host.trace.events(), [&](const trace::Event& e) {
        return e.session == w.clientSid && e.direction == trace::Direction::ClientToServer;
    }));  // RFC 5321 3.8: nothing is sent after a 421, not even QUIT
}

TEST_CASE("452 too many recipients is a temporary failure for that recipient only", "[smtp][client][wired]") {
    Wired w;
    w.host.ctx.config.maxRecipients = 1;
    w.connect({message({"rose@cesoo.com", "mike@cesoo.com"})});
    w.run();
    CHECK(w.result(0, 0).status == Status::Delivered);
    CHECK(w.result(0, 1).status == Status::TempFailed);
    CHECK(w.result(0, 1).code == 452);
    CHECK(w.host.inbox("mike@cesoo.com").empty());
}

TEST_CASE("SIZE= is announced; 552 at MAIL fails the message permanently, the next goes on", "[smtp][client][wired]") {
    Wired w;
    w.host.ctx.config.maxMessageSize = 100;
    w.connect({message({"rose@cesoo.com"}, std::string(200, 'x')), message({"rose@cesoo.com"}, "small\r\n")});
    w.run();
    CHECK(w.result(0, 0).status == Status::PermFailed);
    CHECK(w.result(0, 0).code == 552);
    CHECK(w.result(1, 0).status == Status::Delivered);
    REQUIRE(w.host.inbox("rose@cesoo.com").size() == 1);
}

TEST_CASE("8-bit content is sent with BODY=8BITMIME when the server offers it", "[smtp][client][wired]") {
    Wired w;
    w.connect({message({"rose@cesoo.com"}, "Subject: caf\xc3\xa9\r\n\r\n\xe4\xbd\xa0\xe5\xa5\xbd\r\n")});
    w.run();
    CHECK(w.result(0, 0).status == Status::Delivered);
    auto mail = std::ranges::find_if(w.host.trace.events(), [&](const trace::Event& e) {
        return e.session == w.clientSid && e.text.starts_with("MAIL FROM");
    });
    REQUIRE(mail != w.host.trace.events().end());
    // The raw UTF-8 in the Subject makes it an RFC 6532 message: it needs SMTPUTF8 too (RFC 6531 3.4).
    CHECK(mail->text == "MAIL FROM:<mike@cesoo.com> SIZE=26 BODY=8BITMIME SMTPUTF8");
}

TEST_CASE("UTF-8 mail to a server offering SMTPUTF8 declares it; to one without, it is not sent (RFC 6531 3.7.5)",
          "[smtp][client][fake][utf8]") {
    const std::string zhang = "\xe5\xbc\xa0\xe4\xb8\x89@cesoo.com";  // 张三@cesoo.com
    auto utf8Message = [&] { return OutgoingMessage{zhang, {"rose@example.org"}, "Subject: hi\r\n\r\nhi\r\n"}; };
    SECTION("offered") {
        FakeServer server({"220 example.org ready\r\n", "250-example.org\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                           "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n", "221 bye\r\n"});
        SmtpClientSession client(clientConfig(), {utf8Message()});
        pump(client, server);
        REQUIRE(server.received.size() >= 2);
        CHECK(server.received[1] == "MAIL FROM:<" + zhang + "> SMTPUTF8");
        CHECK(client.results()[0].recipients[0].status == Status::Delivered);
    }
    SECTION("not offered: no MAIL, a permanent failure with 5.6.7 and the host's name; ASCII mail still goes") {
        FakeServer server({"220 example.org ready\r\n", "250-example.org Hello\r\n250 8BITMIME\r\n",
                           "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n", "221 bye\r\n"});
        SmtpClientSession client(clientConfig(), {utf8Message(), message({"rose@example.org"})});
        pump(client, server);
        REQUIRE(server.received.size() >= 2);
        CHECK(server.received[1] == "MAIL FROM:<mike@cesoo.com>");  // the first message never went out
        const auto& failed = client.results()[0].recipients[0];
        CHECK(failed.status == Status::PermFailed);
        CHECK(failed.code == 0);
        CHECK(failed.reply == "5.6.7 SMTPUTF8 is required, but was not offered by host example.org");
        CHECK(client.results()[1].recipients[0].status == Status::Delivered);
    }
}

TEST_CASE("the connection drops in the middle of the content: temporary failure, nothing stored",
          "[smtp][client][wired]") {
    Wired w;
    w.connect({message({"rose@cesoo.com"}, "Subject: long\r\n\r\n" + std::string(500, 'x') + "\r\n"),
               message({"mike@cesoo.com"})});
    auto& server = w.conn->session;
    for (int i = 0; i < 20 && w.client->phase() != SmtpClientSession::Phase::Content; ++i) {
        w.client->receive(server.takeOutput(), w.conn->now);
        if (w.client->phase() == SmtpClientSession::Phase::Content) break;
        server.receive(w.client->takeOutput(), w.conn->now);
    }
    REQUIRE(w.client->phase() == SmtpClientSession::Phase::Content);
    std::string content = w.client->takeOutput();
    server.receive(std::string_view(content).substr(0, content.size() / 2), w.conn->now);
    w.client->connectionClosed(w.conn->now);
    CHECK(w.client->done());
    CHECK(w.result(0, 0).status == Status::TempFailed);
    CHECK(w.result(1, 0).status == Status::TempFailed);
    CHECK(w.host.totalStored() == 0);
    w.client->receive("250 too late\r\n", w.conn->now);  // ignored once done
    CHECK(w.result(0, 0).status == Status::TempFailed);
}

TEST_CASE("client results and server store do not depend on how either direction is split", "[smtp][client][split]") {
    auto messages = [] {
        return std::vector<OutgoingMessage>{
            message({"rose@cesoo.com", "nobody@cesoo.com"}, "a\n.\nb\r\n..\r\n.x"),
            message({"bob@example.org"}), message({"staff@cesoo.com"}, ".\r\n")};
    };
    Wired whole;
    whole.connect(messages());
    whole.run();
    REQUIRE(whole.client->done());
    for (FeedMode mode : {FeedMode::ByteByByte, FeedMode::RandomChunks}) {
        for (unsigned seed : {1u, 99u, 12345u}) {
            Wired w;
            w.connect(messages());
            w.run(mode, seed);
            REQUIRE(w.client->done());
            for (std::size_t m = 0; m < 3; ++m)
                for (std::size_t r = 0; r < w.client->results()[m].recipients.size(); ++r) {
                    CHECK(w.result(m, r).status == whole.result(m, r).status);
                    CHECK(w.result(m, r).code == whole.result(m, r).code);
                }
            CHECK(w.host.inbox("rose@cesoo.com") == whole.host.inbox("rose@cesoo.com"));
            CHECK(w.host.inbox("mike@cesoo.com") == whole.host.inbox("mike@cesoo.com"));
        }
    }
}

TEST_CASE("round trip client -> server preserves arbitrary content, dot lines included", "[smtp][client][roundtrip]") {
    std::vector<std::string> contents = {".", ".\r\n", "..\r\n.\r\n...", "\r\n.\r\n\r\n", "a\n.\nMAIL FROM:<x@y>\n",
                                         "x\r.\r\ny", "", "\r\n", ".\n.\r.\r\n"};
    std::mt19937 rng(7);
    const char alphabet[] = {'.', '.', 'a', ' ', '\r', '\n', '\n', 'M', '\t', '\xff'};
    for (int i = 0; i < 200; ++i) {
        std::string c;
        int n = static_cast<int>(rng() % 40);
        for (int k = 0; k < n; ++k) c += alphabet[rng() % sizeof alphabet];
        contents.push_back(c);
    }
    for (const auto& content : contents) {
        INFO(fmt::format("{:?}", content));
        Wired w;
        w.host.ctx.config.lenient = false;  // the strict server: a bare CR/LF on the wire would be refused
        w.connect({message({"rose@cesoo.com"}, content)});
        w.run();
        REQUIRE(w.result(0, 0).status == Status::Delivered);
        auto inbox = w.host.inbox("rose@cesoo.com");
        REQUIRE(inbox.size() == 1);
        CHECK(bodyOf(inbox[0]) == normalised(content));
        CHECK(SmtpClientSession::contentSize(content) == normalised(content).size());
    }
}

TEST_CASE("EHLO answered 5xx: the client falls back to HELO and sends no ESMTP parameters", "[smtp][client][fake]") {
    FakeServer server({"220 old.example.org ready\r\n", "500 Command unrecognized\r\n", "250 old.example.org\r\n",
                       "250 ok\r\n", "250 ok\r\n", "354 go ahead\r\n", "250 queued\r\n", "221 bye\r\n"});
    SmtpClientSession client(clientConfig(), {message({"bob@old.example.org"}, "hi\r\n")});
    pump(client, server);
    CHECK(client.done());
    CHECK(server.received == std::vector<std::string>{"EHLO mike-pc", "HELO mike-pc", "MAIL FROM:<mike@cesoo.com>",
                                                      "RCPT TO:<bob@old.example.org>", "DATA", "QUIT"});
    CHECK(client.results()[0].recipients[0].status == Status::Delivered);
}

TEST_CASE("useEhlo=false starts with HELO", "[smtp][client][fake]") {
    FakeServer server({"220 x\r\n", "250 x\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n", "221 x\r\n"});
    auto cfg = clientConfig();
    cfg.useEhlo = false;
    SmtpClientSession client(cfg, {message({"bob@x.org"})});
    pump(client, server);
    CHECK(server.received.front() == "HELO mike-pc");
    CHECK(client.results()[0].recipients[0].status == Status::Delivered);
}

TEST_CASE("421 in the middle of a session: the rest fails temporarily, no QUIT", "[smtp][client][fake]") {
    FakeServer server({"220 x\r\n", "250-x\r\n250 SIZE 1000\r\n", "250 ok\r\n", "250 ok\r\n",
                       "421 4.3.2 x shutting down\r\n"});
    SmtpClientSession client(clientConfig(), {message({"a@x.org", "b@x.org"}), message({"c@x.org"})});
    pump(client, server);
    CHECK(client.done());
    CHECK(server.received.back() == "RCPT TO:<b@x.org>");
    CHECK(server.received.front() == "EHLO mike-pc");
    CHECK(server.received[1] == "MAIL FROM:<mike@cesoo.com> SIZE=23");
    for (const auto& m : client.results())
        for (const auto& r : m.recipients) {
            CHECK(r.status == Status::TempFailed);
            CHECK(r.code == 421);
        }
}

TEST_CASE("a reply that is not SMTP: temporary failure and QUIT", "[smtp][client][fake]") {
    FakeServer server({"220 x\r\n", "HTTP/1.1 400 Bad Request\r\n"});
    SmtpClientSession client(clientConfig(), {message({"a@x.org"})});
    pump(client, server);
    CHECK(client.done());
    CHECK(server.received == std::vector<std::string>{"EHLO mike-pc", "QUIT"});
    CHECK(client.results()[0].recipients[0].status == Status::TempFailed);
    CHECK(client.results()[0].recipients[0].reply.find("HTTP/1.1") != std::string::npos);
}

TEST_CASE("554 greeting: permanent failure, then QUIT (RFC 5321 3.1)", "[smtp][client][fake]") {
    FakeServer server({"554 5.7.1 no SMTP service here\r\n", "221 bye\r\n"});
    SmtpClientSession client(clientConfig(), {message({"a@x.org"})});
    pump(client, server);
    CHECK(client.done());
    CHECK(server.received == std::vector<std::string>{"QUIT"});
    CHECK(client.results()[0].recipients[0].status == Status::PermFailed);
    CHECK(client.results()[0].recipients[0].code == 554);
}

TEST_CASE("DATA refused: the message fails, RSET, and the next message is sent", "[smtp][client][fake]") {
    FakeServer server({"220 x\r\n", "250 x\r\n", "250 ok\r\n", "250 ok\r\n", "451 4.3.0 try later\r\n", "250 reset\r\n",
                       "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n", "221 x\r\n"});
    SmtpClientSession client(clientConfig(), {message({"a@x.org"}), message({"b@x.org"})});
    pump(client, server);
    CHECK(client.done());
    CHECK(server.received == std::vector<std::string>{"EHLO mike-pc", "MAIL FROM:<mike@cesoo.com>", "RCPT TO:<a@x.org>",
                                                      "DATA", "RSET", "MAIL FROM:<mike@cesoo.com>", "RCPT TO:<b@x.org>",
                                                      "DATA", "QUIT"});
    CHECK(client.results()[0].recipients[0].status == Status::TempFailed);
    CHECK(client.results()[0].recipients[0].code == 451);
    CHECK(client.results()[1].recipients[0].status == Status::Delivered);
}

TEST_CASE("EHLO answered 4xx: everything fails temporarily", "[smtp][client][fake]") {
    FakeServer server({"220 x\r\n", "450 busy\r\n", "221 x\r\n"});
    SmtpClientSession client(clientConfig(), {message({"a@x.org"})});
    pump(client, server);
    CHECK(client.done());
    CHECK(server.received == std::vector<std::string>{"EHLO mike-pc", "QUIT"});
    CHECK(client.results()[0].recipients[0].status == Status::TempFailed);
}

TEST_CASE("a multi-line final reply is read whole, even byte by byte", "[smtp][client][fake]") {
    SmtpClientSession client(clientConfig(), {message({"a@x.org"})});
    std::string script = "220-x\r\n220 ready\r\n";
    for (char ch : script) client.receive(std::string_view(&ch, 1), kT0);
    CHECK(client.takeOutput() == "EHLO mike-pc\r\n");
    std::string ehlo = "250-x\r\n250-SIZE\r\n250 8BITMIME\r\n";
    for (char ch : ehlo) client.receive(std::string_view(&ch, 1), kT0);
    CHECK(client.takeOutput() == "MAIL FROM:<mike@cesoo.com> SIZE=23\r\n");
    client.connectionClosed(kT0);
    CHECK(client.done());
    CHECK(client.results()[0].recipients[0].status == Status::TempFailed);
}
