// STARTTLS/STLS in the SMTP, POP3 and IMAP client sessions (RFC 3207, RFC 2595, RFC 3501 6.2.1): the sans-I/O half.
// Each client runs against the engine's own server (the test plays the transport and "handshakes" when both sides
// are pending) and against scripted servers, with the server's bytes handed over whole, byte by byte and in random
// chunks. Checked: EHLO/CAPA/CAPABILITY again inside TLS, response injection after 220/+OK/OK discarded, Required
// refusing a server without STARTTLS (and an IMAP PREAUTH greeting), Opportunistic falling back to plaintext,
// implicit TLS, and SMTP AUTH CRAM-MD5.
#include "trace/Errors.hpp"
#include "trace/Render.hpp"
#include "ImapTestHarness.hpp"
#include "Pop3TestHarness.hpp"
#include "SmtpTestHarness.hpp"

#include "auth/Sasl.hpp"
#include "imap/ImapClientSession.hpp"
#include "util/TlsMode.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <fmt/ranges.h>

using namespace mailsim;
using namespace mailsim::test;
using util::ClientTls;

namespace {

constexpr trace::Micros kNow = kT0;

// A server that answers each command line with the next scripted reply ("{tag}" becomes the line's first word, for
// IMAP); after a reply starting "354" it swallows message content until ".", which gets the next reply.
struct ScriptedServer {
    struct Step {
        std::string expect;  // a part of the command line expected
        std::string reply;
    };
    std::vector<Step> steps;
    std::size_t next = 0;
    std::string buffer, output;
    std::vector<std::string> received;  // command lines, in order
    std::vector<std::string> mismatches;
    bool inData = false;

    ScriptedServer(std::string greeting, std::vector<Step> script) : steps(std::move(script)), output(std::move(greeting)) {}
    void receive(std::string_view bytes) {
        buffer += bytes;
        for (std::size_t pos; (pos = buffer.find("\r\n")) != std::string::npos;) {
            std::string line = buffer.substr(0, pos);
            buffer.erase(0, pos + 2);
            if (inData && line != ".") continue;
            inData = false;
            received.push_back(line);
            if (next >= steps.size()) {
                mismatches.push_back("unexpected: " + line);
                continue;
            }
            const Step& s = steps[next++];
            if (line.find(s.expect) == std::string::npos) mismatches.push_back(line + " (expected " + s.expect + ")");
            std::string reply = s.reply;
            std::string tag = line.substr(0, line.find(' '));
            for (std::size_t at; (at = reply.find("{tag}")) != std::string::npos;) reply.replace(at, 5, tag);
            output += reply;
            inData = reply.starts_with("354");
        }
    }
    std::string takeOutput() { return std::exchange(output, {}); }
    bool finished() const { return next == steps.size() && mismatches.empty(); }
};

// Runs `client` against a scripted server; the client "handshakes" whenever it is pending (after all the bytes the
// server had sent in that round reached it, as in a real transport). Returns the number of handshakes.
template <typename Client>
int drive(Client& client, ScriptedServer& server, FeedMode mode, unsigned seed) {
    int handshakes = 0;
    for (int round = 0; round < 10000 && !client.done(); ++round) {
        std::string s2c = server.takeOutput();
        for (auto part : splitInput(s2c, mode, seed + round)) client.receive(part, kNow);
        if (client.startTlsPending()) {
            client.tlsEstablished(kNow);
            ++handshakes;
        }
        std::string c2s = client.takeOutput();
        server.receive(c2s);
        if (s2c.empty() && c2s.empty() && server.output.empty()) {
            client.connectionClosed(kNow);
            break;
        }
    }
    return handshakes;
}

// Runs `client` against a real server session; both handshake when both are pending.
template <typename Client, typename Server>
int pumpTls(Client& client, Server& server, FeedMode mode, unsigned seed) {
    int handshakes = 0;
    for (int round = 0; round < 100000 && !client.done(); ++round) {
        std::string s2c = server.takeOutput();
        for (auto part : splitInput(s2c, mode, seed + round)) client.receive(part, kNow);
        if (server.startTlsPending() && client.startTlsPending()) {
            server.tlsEstablished(kNow);
            client.tlsEstablished(kNow);
            ++handshakes;
        }
        std::string c2s = client.takeOutput();
        for (auto part : splitInput(c2s, mode, seed + 7 * round)) server.receive(part, kNow);
        if (server.closed() && !server.hasOutput()) {
            client.connectionClosed(kNow);
            break;
        }
        if (s2c.empty() && c2s.empty() && !server.hasOutput()) break;
    }
    return handshakes;
}

// The sum of N over the trace's notes "discarded N byte(s) ..." (the explanation's first number).
std::size_t discardedBytes(const trace::Trace& t) {
    std::size_t sum = 0;
    for (const auto& e : t.events()) {
        const auto* x = e.as<trace::Explanation>();
        if (!x || (x->id != trace::NoteId::DiscardedPlaintextClient && x->id != trace::NoteId::DiscardedPlaintextServer))
            continue;
        REQUIRE(trace::describe(e, i18n::Lang::En).starts_with("discarded "));
        sum += x->numbers.at(0);
    }
    return sum;
}

bool lineContains(const trace::Trace& t, std::string_view part) {
    return std::ranges::any_of(t.events(), [&](const trace::Event& e) {
        return e.kind == trace::EventKind::Line && e.text.find(part) != std::string::npos;
    });
}

struct Mode {
    FeedMode mode;
    unsigned seed;
};
const Mode kModes[] = {{FeedMode::Whole, 0}, {FeedMode::ByteByByte, 0}, {FeedMode::RandomChunks, 1},
                       {FeedMode::RandomChunks, 2}, {FeedMode::RandomChunks, 3}};

SmtpClientConfig smtpConfig(ClientTls tls) {
    SmtpClientConfig c;
    c.heloName = "mike-pc";
    c.user = "mike@cesoo.com";
    c.password = "mike123";
    c.tls = tls;
    return c;
}

std::vector<OutgoingMessage> oneMessage() {
    return {OutgoingMessage{"mike@cesoo.com", {"rose@cesoo.com"}, "Subject: hi\r\n\r\nHello.\r\n"}};
}

const std::string kEhloTls = "250-mx.example.org\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n";
const std::string kEhloPlain = "250-mx.example.org\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n";

std::vector<ScriptedServer::Step> smtpAfterLogin() {
    return {{"MAIL FROM:<mike@cesoo.com>", "250 ok\r\n"},
            {"RCPT TO:<rose@cesoo.com>", "250 ok\r\n"},
            {"DATA", "354 go\r\n"},
            {".", "250 queued\r\n"},
            {"QUIT", "221 bye\r\n"}};
}

}  // namespace

// ---- TlsMode ---------------------------------------------------------------------------------------------------

TEST_CASE("ClientTls names parse and print", "[tls][util]") {
    CHECK(util::parseClientTls("none") == ClientTls::None);
    CHECK(util::parseClientTls("opportunistic") == ClientTls::Opportunistic);
    CHECK(util::parseClientTls("starttls") == ClientTls::Required);
    CHECK(util::parseClientTls("required") == ClientTls::Required);
    CHECK(util::parseClientTls("implicit") == ClientTls::Implicit);
    CHECK_FALSE(util::parseClientTls("tls"));
    CHECK_FALSE(util::parseClientTls(""));
    for (auto t : {ClientTls::None, ClientTls::Opportunistic, ClientTls::Required, ClientTls::Implicit})
        CHECK(util::parseClientTls(util::toString(t)) == t);
}

// ---- SMTP client -----------------------------------------------------------------------------------------------

TEST_CASE("smtp client Required against the engine's server: STARTTLS, EHLO again, AUTH only inside TLS",
          "[smtp][client][tls]") {
    for (const auto& [mode, seed] : kModes) {
        ServerHost host;
        host.ctx.config.tlsOffered = true;
        host.ctx.config.plaintextAuthAllowed = false;
        auto sid = host.trace.openSession("smtp", "mike-pc", "cesoo.com:587", kNow);
        SmtpServerSession server(host.ctx, PeerInfo{"mike-pc", "10.0.0.2", true}, trace::Recorder(&host.trace, sid));
        trace::Trace ct;
        SmtpClientSession client(smtpConfig(ClientTls::Required), oneMessage(),
                                 trace::Recorder(&ct, ct.openSession("smtp", "c", "s", kNow)));
        server.start(kNow);
        INFO("mode " << static_cast<int>(mode) << " seed " << seed);
        CHECK(pumpTls(client, server, mode, seed) == 1);
        CHECK(client.done());
        CHECK(client.tlsActive());
        CHECK(server.tlsActive());
        REQUIRE(client.results().at(0).recipients.at(0).status == DeliveryStatus::Delivered);
        CHECK(host.inbox("rose@cesoo.com").size() == 1);
        // C: EHLO, STARTTLS, EHLO (inside TLS), AUTH, MAIL ...
        std::vector<std::string> commands;
        for (const auto& e : ct.events())
            if (e.kind == trace::EventKind::Line && e.direction == trace::Direction::ClientToServer &&
                e.role == trace::LineRole::Command)
                commands.push_back(e.text.substr(0, e.text.find(' ')));
        REQUIRE(commands.size() >= 5);
        CHECK(commands[0] == "EHLO");
        CHECK(commands[1] == "STARTTLS");
        CHECK(commands[2] == "EHLO");
        CHECK(commands[3] == "AUTH");
        CHECK(commands[4] == "MAIL");
        auto phase = std::ranges::find_if(ct.events(), [](const trace::Event& e) {
            return e.kind == trace::EventKind::StateChanged && e.machine == "smtp-client" && e.fromState == "STARTTLS";
        });
        REQUIRE(phase != ct.events().end());
        CHECK(phase->toState == "EHLO");
        CHECK(phase->text == "<TLS established>");
    }
}

TEST_CASE("smtp client: replies injected after the 220 to STARTTLS are discarded", "[smtp][client][tls]") {
    const std::string injected = "250-mx.example.org\r\n250 INJECTED\r\n";
    for (const auto& [mode, seed] : kModes) {
        std::vector<ScriptedServer::Step> steps{{"EHLO mike-pc", kEhloTls},
                                                {"STARTTLS", "220 2.0.0 Ready to start TLS\r\n" + injected},
                                                {"EHLO mike-pc", kEhloPlain},
                                                {"AUTH PLAIN", "235 ok\r\n"}};
        for (auto& s : smtpAfterLogin()) steps.push_back(s);
        ScriptedServer server("220 mx.example.org ESMTP\r\n", steps);
        trace::Trace ct;
        SmtpClientSession client(smtpConfig(ClientTls::Required), oneMessage(),
                                 trace::Recorder(&ct, ct.openSession("smtp", "c", "s", kNow)));
        INFO("mode " << static_cast<int>(mode) << " seed " << seed);
        CHECK(drive(client, server, mode, seed) == 1);
        INFO(fmt::format("{}", fmt::join(server.mismatches, "; ")));
        CHECK(server.finished());
        CHECK(client.results().at(0).recipients.at(0).status == DeliveryStatus::Delivered);
        CHECK_FALSE(lineContains(ct, "INJECTED"));
        CHECK(discardedBytes(ct) == injected.size());
    }
}

TEST_CASE("smtp client Required: no STARTTLS offered, or refused: QUIT, nothing sensitive sent",
          "[smtp][client][tls]") {
    SECTION("not offered") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("220 mx ESMTP\r\n", {{"EHLO mike-pc", kEhloPlain}, {"QUIT", "221 bye\r\n"}});
            SmtpClientSession client(smtpConfig(ClientTls::Required), oneMessage());
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
            CHECK(server.received == std::vector<std::string>{"EHLO mike-pc", "QUIT"});
            const auto& r = client.results().at(0).recipients.at(0);
            CHECK(r.status == DeliveryStatus::TempFailed);
            CHECK(r.reply == "server does not offer STARTTLS; refusing to continue in plaintext");
            CHECK_FALSE(client.tlsActive());
        }
    }
    SECTION("refused") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("220 mx ESMTP\r\n", {{"EHLO mike-pc", kEhloTls},
                                                       {"STARTTLS", "454 4.7.0 TLS not available due to temporary reason\r\n"},
                                                       {"QUIT", "221 bye\r\n"}});
            SmtpClientSession client(smtpConfig(ClientTls::Required), oneMessage());
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
            CHECK(server.received == std::vector<std::string>{"EHLO mike-pc", "STARTTLS", "QUIT"});
            const auto& r = client.results().at(0).recipients.at(0);
            CHECK(r.status == DeliveryStatus::TempFailed);
            CHECK(r.reply.find("refusing to continue in plaintext") != std::string::npos);
        }
    }
}

TEST_CASE("smtp client Opportunistic falls back to plaintext; Implicit never sends STARTTLS", "[smtp][client][tls]") {
    SECTION("opportunistic, not offered") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            std::vector<ScriptedServer::Step> steps{{"EHLO mike-pc", kEhloPlain}, {"AUTH PLAIN", "235 ok\r\n"}};
            for (auto& s : smtpAfterLogin()) steps.push_back(s);
            ScriptedServer server("220 mx ESMTP\r\n", steps);
            SmtpClientSession client(smtpConfig(ClientTls::Opportunistic), oneMessage());
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
            CHECK(client.results().at(0).recipients.at(0).status == DeliveryStatus::Delivered);
        }
    }
    SECTION("opportunistic, refused") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            std::vector<ScriptedServer::Step> steps{{"EHLO mike-pc", kEhloTls},
                                                    {"STARTTLS", "454 4.7.0 TLS not available\r\n"},
                                                    {"AUTH PLAIN", "235 ok\r\n"}};
            for (auto& s : smtpAfterLogin()) steps.push_back(s);
            ScriptedServer server("220 mx ESMTP\r\n", steps);
            SmtpClientSession client(smtpConfig(ClientTls::Opportunistic), oneMessage());
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
            CHECK(client.results().at(0).recipients.at(0).status == DeliveryStatus::Delivered);
            CHECK_FALSE(client.tlsActive());
        }
    }
    SECTION("implicit") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            std::vector<ScriptedServer::Step> steps{{"EHLO mike-pc", kEhloTls}, {"AUTH PLAIN", "235 ok\r\n"}};
            for (auto& s : smtpAfterLogin()) steps.push_back(s);
            ScriptedServer server("220 mx ESMTP\r\n", steps);
            SmtpClientSession client(smtpConfig(ClientTls::Implicit), oneMessage());
            client.tlsEstablished(kNow);
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
            CHECK(client.tlsActive());
            CHECK(client.results().at(0).recipients.at(0).status == DeliveryStatus::Delivered);
        }
    }
    SECTION("none: STARTTLS offered but not used") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            std::vector<ScriptedServer::Step> steps{{"EHLO mike-pc", kEhloTls}, {"AUTH PLAIN", "235 ok\r\n"}};
            for (auto& s : smtpAfterLogin()) steps.push_back(s);
            ScriptedServer server("220 mx ESMTP\r\n", steps);
            SmtpClientSession client(smtpConfig(ClientTls::None), oneMessage());
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
        }
    }
}

TEST_CASE("smtp client AUTH CRAM-MD5 answers the challenge (RFC 2195 example)", "[smtp][client][auth]") {
    auto cfg = smtpConfig(ClientTls::None);
    cfg.user = "tim";
    cfg.password = "tanstaaftanstaaf";
    cfg.authMechanism = "CRAM-MD5";
    std::string challenge = auth::base64Encode("<1896.697170952@postoffice.reston.mci.net>");
    std::vector<ScriptedServer::Step> steps{{"EHLO mike-pc", "250-mx\r\n250 AUTH CRAM-MD5\r\n"},
                                            {"AUTH CRAM-MD5", "334 " + challenge + "\r\n"},
                                            {"dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw", "235 ok\r\n"}};
    for (auto& s : smtpAfterLogin()) steps.push_back(s);
    ScriptedServer server("220 mx ESMTP\r\n", steps);
    SmtpClientSession client(cfg, oneMessage());
    drive(client, server, FeedMode::Whole, 0);
    INFO(fmt::format("{}", fmt::join(server.mismatches, "; ")));
    CHECK(server.finished());
    CHECK(client.results().at(0).recipients.at(0).status == DeliveryStatus::Delivered);
}

TEST_CASE("smtp client CRAM-MD5 against the engine's server inside TLS", "[smtp][client][auth][tls]") {
    ServerHost host;
    host.ctx.config.tlsOffered = true;
    auto sid = host.trace.openSession("smtp", "mike-pc", "cesoo.com:587", kNow);
    SmtpServerSession server(host.ctx, PeerInfo{"mike-pc", "10.0.0.2", true}, trace::Recorder(&host.trace, sid));
    auto cfg = smtpConfig(ClientTls::Required);
    cfg.authMechanism = "CRAM-MD5";
    SmtpClientSession client(cfg, oneMessage());
    server.start(kNow);
    CHECK(pumpTls(client, server, FeedMode::Whole, 0) == 1);
    CHECK(client.results().at(0).recipients.at(0).status == DeliveryStatus::Delivered);
    CHECK(server.failedLogins() == 0);
}

// ---- POP3 client -----------------------------------------------------------------------------------------------

namespace {

Pop3ClientConfig pop3Config(ClientTls tls) {
    Pop3ClientConfig c;
    c.user = "rose";
    c.password = "rose123";
    c.tls = tls;
    return c;
}

}  // namespace

TEST_CASE("pop3 client Required against the engine's server: CAPA, STLS, CAPA again, login inside TLS",
          "[pop3][client][tls]") {
    for (const auto& [mode, seed] : kModes) {
        Pop3Host host;
        host.ctx.config.tlsOffered = true;
        host.ctx.config.plaintextAuthAllowed = false;
        host.deliver("rose@cesoo.com", "Subject: a\r\n\r\nhello\r\n");
        auto sid = host.trace.openSession("pop3", "rose-pc", "cesoo.com:110", kNow);
        Pop3ServerSession server(host.ctx, trace::Recorder(&host.trace, sid));
        Pop3ClientSession client(pop3Config(ClientTls::Required));
        server.start(kNow);
        INFO("mode " << static_cast<int>(mode) << " seed " << seed);
        CHECK(pumpTls(client, server, mode, seed) == 1);
        CHECK(client.done());
        INFO((client.problem() ? trace::errorText(*client.problem(), i18n::Lang::En) : std::string("no problem")));
        CHECK(client.ok());
        CHECK(client.tlsActive());
        CHECK(client.fetched().size() == 1);
        std::vector<std::string> commands;
        for (const auto& e : host.trace.events())
            if (e.kind == trace::EventKind::Line && e.direction == trace::Direction::ClientToServer)
                commands.push_back(e.text.substr(0, e.text.find(' ')));
        REQUIRE(commands.size() >= 5);
        CHECK(commands[0] == "CAPA");
        CHECK(commands[1] == "STLS");
        CHECK(commands[2] == "CAPA");  // RFC 2595 4: capabilities are asked again inside TLS
        CHECK(commands[3] == "USER");
        CHECK(commands[4] == "PASS");
    }
}

TEST_CASE("pop3 client: responses injected after +OK to STLS are discarded", "[pop3][client][tls]") {
    const std::string injected = "+OK INJECTED\r\n";
    for (const auto& [mode, seed] : kModes) {
        ScriptedServer server("+OK POP3 ready\r\n", {{"CAPA", "+OK\r\nUSER\r\nSTLS\r\n.\r\n"},
                                                     {"STLS", "+OK Begin TLS negotiation\r\n" + injected},
                                                     {"CAPA", "+OK\r\nUSER\r\n.\r\n"},
                                                     {"USER rose", "+OK\r\n"},
                                                     {"PASS rose123", "+OK logged in\r\n"},
                                                     {"LIST", "+OK\r\n.\r\n"},
                                                     {"QUIT", "+OK bye\r\n"}});
        trace::Trace ct;
        Pop3ClientSession client(pop3Config(ClientTls::Required), trace::Recorder(&ct, ct.openSession("pop3", "c", "s", kNow)));
        INFO("mode " << static_cast<int>(mode) << " seed " << seed);
        CHECK(drive(client, server, mode, seed) == 1);
        INFO(fmt::format("{}", fmt::join(server.mismatches, "; ")));
        CHECK(server.finished());
        CHECK(client.ok());
        CHECK_FALSE(lineContains(ct, "INJECTED"));
        CHECK(discardedBytes(ct) == injected.size());
    }
}

TEST_CASE("pop3 client Required refuses a server without STLS; Opportunistic logs in in plaintext",
          "[pop3][client][tls]") {
    SECTION("required, not offered") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("+OK ready\r\n", {{"CAPA", "+OK\r\nUSER\r\n.\r\n"}, {"QUIT", "+OK bye\r\n"}});
            Pop3ClientSession client(pop3Config(ClientTls::Required));
            drive(client, server, mode, seed);
            CHECK(server.finished());
            CHECK(server.received == std::vector<std::string>{"CAPA", "QUIT"});
            CHECK_FALSE(client.ok());
            REQUIRE(client.problem());
            CHECK(client.problem()->id == trace::ErrorId::Pop3ClientNoStls);
            CHECK(trace::errorText(*client.problem(), i18n::Lang::En).find("does not offer STLS") != std::string::npos);
        }
    }
    SECTION("required, refused") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("+OK ready\r\n", {{"CAPA", "+OK\r\nSTLS\r\n.\r\n"},
                                                    {"STLS", "-ERR not now\r\n"},
                                                    {"QUIT", "+OK bye\r\n"}});
            Pop3ClientSession client(pop3Config(ClientTls::Required));
            drive(client, server, mode, seed);
            CHECK(server.finished());
            CHECK_FALSE(client.ok());
            REQUIRE(client.problem());
            CHECK(client.problem()->id == trace::ErrorId::Pop3ClientStlsRefused);
            CHECK(client.problem()->detail == "not now");
            CHECK(trace::errorText(*client.problem(), i18n::Lang::En).find("refusing to log in in plaintext") != std::string::npos);
        }
    }
    SECTION("opportunistic, not offered (CAPA unknown)") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("+OK ready\r\n", {{"CAPA", "-ERR unknown command\r\n"},
                                                    {"USER rose", "+OK\r\n"},
                                                    {"PASS rose123", "+OK\r\n"},
                                                    {"LIST", "+OK\r\n.\r\n"},
                                                    {"QUIT", "+OK bye\r\n"}});
            Pop3ClientSession client(pop3Config(ClientTls::Opportunistic));
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
            CHECK(client.ok());
            CHECK_FALSE(client.tlsActive());
        }
    }
    SECTION("implicit: no CAPA, straight to the login") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("+OK ready\r\n", {{"USER rose", "+OK\r\n"},
                                                    {"PASS rose123", "+OK\r\n"},
                                                    {"LIST", "+OK\r\n.\r\n"},
                                                    {"QUIT", "+OK bye\r\n"}});
            Pop3ClientSession client(pop3Config(ClientTls::Implicit));
            client.tlsEstablished(kNow);
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
            CHECK(client.ok());
        }
    }
}

// ---- IMAP client -----------------------------------------------------------------------------------------------

namespace {

ImapClientConfig imapConfig(ClientTls tls) {
    ImapClientConfig c;
    c.user = "rose";
    c.password = "rose123";
    c.task = ImapTask::Summary;
    c.tls = tls;
    return c;
}

const std::string kLogoutReply = "* BYE logging out\r\n{tag} OK LOGOUT completed\r\n";

}  // namespace

TEST_CASE("imap client Required against the engine's server: STARTTLS from the greeting, CAPABILITY again",
          "[imap][client][tls]") {
    for (const auto& [mode, seed] : kModes) {
        ImapHost host;
        host.ctx.config.tlsOffered = true;
        host.ctx.config.plaintextAuthAllowed = false;
        host.deliver("Subject: a\r\n\r\nhello\r\n");
        auto sid = host.trace.openSession("imap", "rose-pc", "cesoo.com:143", kNow);
        ImapServerSession server(host.ctx, trace::Recorder(&host.trace, sid));
        ImapClientSession client(imapConfig(ClientTls::Required));
        server.start(kNow);
        INFO("mode " << static_cast<int>(mode) << " seed " << seed);
        CHECK(pumpTls(client, server, mode, seed) == 1);
        CHECK(client.done());
        INFO((client.ok() ? std::string() : std::string(trace::enumName(client.problem()->id))));
        CHECK(client.ok());
        CHECK(client.tlsActive());
        CHECK(client.summaries().size() == 1);
        CHECK(std::ranges::find(client.capabilities(), "STARTTLS") == client.capabilities().end());
        CHECK(std::ranges::find(client.capabilities(), "AUTH=PLAIN") != client.capabilities().end());
        std::vector<std::string> commands;
        for (const auto& e : host.trace.events())
            if (e.kind == trace::EventKind::Line && e.direction == trace::Direction::ClientToServer &&
                e.role == trace::LineRole::Command) {
                auto sp = e.text.find(' ');
                commands.push_back(e.text.substr(sp + 1, e.text.find(' ', sp + 1) - sp - 1));
            }
        REQUIRE(commands.size() >= 3);
        CHECK(commands[0] == "STARTTLS");
        CHECK(commands[1] == "CAPABILITY");  // RFC 3501 6.2.1: the cached capabilities are void inside TLS
        CHECK(commands[2] == "LOGIN");
    }
}

TEST_CASE("imap client: responses injected after the OK to STARTTLS are discarded", "[imap][client][tls]") {
    const std::string injected = "* CAPABILITY IMAP4rev1 AUTH=PLAIN INJECTED\r\n";
    for (const auto& [mode, seed] : kModes) {
        ScriptedServer server("* OK ready\r\n",
                              {{"CAPABILITY", "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n{tag} OK done\r\n"},
                               {"STARTTLS", "{tag} OK Begin TLS negotiation now\r\n" + injected},
                               {"CAPABILITY", "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done\r\n"},
                               {"LOGIN \"rose\"", "{tag} OK logged in\r\n"},
                               {"SELECT \"INBOX\"", "* 0 EXISTS\r\n{tag} OK [READ-WRITE] done\r\n"},
                               {"LOGOUT", kLogoutReply}});
        trace::Trace ct;
        ImapClientSession client(imapConfig(ClientTls::Required), trace::Recorder(&ct, ct.openSession("imap", "c", "s", kNow)));
        INFO("mode " << static_cast<int>(mode) << " seed " << seed);
        CHECK(drive(client, server, mode, seed) == 1);
        INFO(fmt::format("{}", fmt::join(server.mismatches, "; ")));
        CHECK(server.finished());
        INFO((client.ok() ? std::string() : std::string(trace::enumName(client.problem()->id))));
        CHECK(client.ok());
        CHECK(client.capabilities() == std::vector<std::string>{"IMAP4REV1", "AUTH=PLAIN"});
        CHECK_FALSE(lineContains(ct, "INJECTED"));
        CHECK(discardedBytes(ct) == injected.size());
    }
}

TEST_CASE("imap client Required: PREAUTH refused, no STARTTLS refused; Opportunistic goes on in plaintext",
          "[imap][client][tls]") {
    SECTION("PREAUTH greeting under Required") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] logged in as rose\r\n",
                                  {{"LOGOUT", kLogoutReply}});
            ImapClientSession client(imapConfig(ClientTls::Required));
            drive(client, server, mode, seed);
            CHECK(client.done());
            CHECK(server.finished());
            CHECK(server.received == std::vector<std::string>{"c1 LOGOUT"});
            CHECK_FALSE(client.ok());
            REQUIRE(client.problem());
            CHECK(client.problem()->id == trace::ErrorId::ImapClientPreauth);
            CHECK(client.problem()->rfc == "RFC 9051 7.1.4");
        }
    }
    SECTION("required, STARTTLS not in the greeting's capabilities") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n", {{"LOGOUT", kLogoutReply}});
            ImapClientSession client(imapConfig(ClientTls::Required));
            drive(client, server, mode, seed);
            CHECK(server.finished());
            CHECK(server.received == std::vector<std::string>{"c1 LOGOUT"});
            REQUIRE(client.problem());
            CHECK(client.problem()->id == trace::ErrorId::ImapClientNoStartTls);
        }
    }
    SECTION("required, STARTTLS refused") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n",
                                  {{"STARTTLS", "{tag} BAD not now\r\n"}, {"LOGOUT", kLogoutReply}});
            ImapClientSession client(imapConfig(ClientTls::Required));
            drive(client, server, mode, seed);
            CHECK(server.finished());
            REQUIRE(client.problem());
            CHECK(client.problem()->id == trace::ErrorId::ImapClientStartTlsRefused);
            CHECK(client.problem()->detail == "not now");
        }
    }
    SECTION("opportunistic, not offered (asked with CAPABILITY)") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("* OK ready\r\n",
                                  {{"CAPABILITY", "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done\r\n"},
                                   {"LOGIN", "{tag} OK logged in\r\n"},
                                   {"SELECT", "* 0 EXISTS\r\n{tag} OK done\r\n"},
                                   {"LOGOUT", kLogoutReply}});
            ImapClientSession client(imapConfig(ClientTls::Opportunistic));
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
            CHECK(client.ok());
            CHECK_FALSE(client.tlsActive());
        }
    }
    SECTION("implicit: STARTTLS listed but not used") {
        for (const auto& [mode, seed] : kModes) {
            INFO("mode " << static_cast<int>(mode) << " seed " << seed);
            ScriptedServer server("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready\r\n",
                                  {{"LOGIN", "{tag} OK logged in\r\n"},
                                   {"SELECT", "* 0 EXISTS\r\n{tag} OK done\r\n"},
                                   {"LOGOUT", kLogoutReply}});
            ImapClientSession client(imapConfig(ClientTls::Implicit));
            client.tlsEstablished(kNow);
            CHECK(drive(client, server, mode, seed) == 0);
            CHECK(server.finished());
            CHECK(client.ok());
        }
    }
}
