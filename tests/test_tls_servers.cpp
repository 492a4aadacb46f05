// STARTTLS/STLS on the SMTP, POP3 and IMAP server sessions (RFC 3207, RFC 2595, RFC 3501 6.2.1): the sans-I/O half.
// The "transport" here is the test itself: it flushes the positive answer, then calls tlsEstablished() as if the
// handshake had completed. What is checked: plaintext injected after STARTTLS is never executed (CVE-2011-0411), the
// session state after the handshake, refusals (not offered, twice, wrong state, with an argument), plaintext-login
// policy with the exact reply texts, and implicit TLS (tlsEstablished before start).
#include "trace/Render.hpp"
#include "ImapTestHarness.hpp"
#include "Pop3TestHarness.hpp"
#include "SmtpTestHarness.hpp"

#include "auth/Sasl.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace mailsim;
using namespace mailsim::test;

namespace {

// Any Line event of `session` (client to server, role Command) whose text is `text`.
bool commandTraced(const trace::Trace& t, trace::SessionId session, std::string_view text) {
    return std::ranges::any_of(t.events(), [&](const trace::Event& e) {
        return e.session == session && e.kind == trace::EventKind::Line &&
               e.direction == trace::Direction::ClientToServer && e.role == trace::LineRole::Command && e.text == text;
    });
}

// The Note events of `session` that contain `part`.
std::size_t notesContaining(const trace::Trace& t, trace::SessionId session, std::string_view part) {
    return std::ranges::count_if(t.events(), [&](const trace::Event& e) {
        return e.session == session && e.kind == trace::EventKind::Note &&
               trace::describe(e, i18n::Lang::En).find(part) != std::string::npos;
    });
}

// An SMTP session on the submission port (AUTH offered there, RFC 6409) of a host whose transport can do TLS.
struct SmtpTls {
    ServerHost host;
    trace::SessionId sid;
    std::unique_ptr<SmtpServerSession> session;
    trace::Micros now = kT0;

    explicit SmtpTls(bool offered = true, bool plaintextAuth = true, bool implicit = false) {
        host.ctx.config.tlsOffered = offered;
        host.ctx.config.plaintextAuthAllowed = plaintextAuth;
        sid = host.trace.openSession("smtp", "mike-pc", "cesoo.com:587", kT0);
        session = std::make_unique<SmtpServerSession>(host.ctx, PeerInfo{"mike-pc", "10.0.0.2", true},
                                                      trace::Recorder(&host.trace, sid));
        if (implicit) session->tlsEstablished(now);
        session->start(now);
    }
    std::string send(std::string_view bytes) {
        session->receive(bytes, now);
        return session->takeOutput();
    }
    std::string cmd(std::string_view line) { return send(std::string(line) + "\r\n"); }
};

const std::string kMikePlain = auth::encodeSaslPlain("mike@cesoo.com", "mike123");

}  // namespace

// ---- SMTP (RFC 3207) -------------------------------------------------------------------------------------------

TEST_CASE("smtp STARTTLS: pipelined plaintext after STARTTLS is discarded, never executed (CVE-2011-0411)",
          "[smtp][server][tls]") {
    SmtpTls s;
    CHECK(s.session->takeOutput().starts_with("220 cesoo.com"));
    std::string ehlo = s.cmd("EHLO mike-pc");
    CHECK(ehlo.find("250-STARTTLS\r\n") != std::string::npos);
    CHECK_FALSE(s.session->startTlsPending());

    CHECK(s.send("STARTTLS\r\nRSET\r\n") == "220 2.0.0 Ready to start TLS\r\n");
    CHECK(s.session->startTlsPending());
    CHECK_FALSE(s.session->tlsActive());
    CHECK_FALSE(commandTraced(s.host.trace, s.sid, "RSET"));
    CHECK(notesContaining(s.host.trace, s.sid,
                          "discarded 6 bytes sent in plaintext after STARTTLS, before TLS (CVE-2011-0411: never "
                          "executed)") == 1);
    // More plaintext while the handshake is pending: dropped as well, no reply.
    CHECK(s.send("MAIL FROM:<evil@example.org>\r\n").empty());
    CHECK_FALSE(commandTraced(s.host.trace, s.sid, "MAIL FROM:<evil@example.org>"));
    CHECK(notesContaining(s.host.trace, s.sid, "discarded 30 bytes") == 1);

    s.session->tlsEstablished(s.now);
    CHECK_FALSE(s.session->startTlsPending());
    CHECK(s.session->tlsActive());
    CHECK(s.session->state() == SmtpState::Initial);  // RFC 3207 4.2: the client must EHLO again
    auto changed = std::ranges::find_if(s.host.trace.events(), [&](const trace::Event& e) {
        return e.session == s.sid && e.kind == trace::EventKind::StateChanged && e.toState == "INITIAL" &&
               e.fromState == "READY";
    });
    REQUIRE(changed != s.host.trace.events().end());
    CHECK(changed->text.find("TLS") != std::string::npos);
    CHECK(s.cmd("MAIL FROM:<mike@cesoo.com>").starts_with("503"));  // the EHLO before TLS is forgotten
    std::string again = s.cmd("EHLO mike-pc");
    CHECK(again.find("STARTTLS") == std::string::npos);
    CHECK(again.find("250 AUTH PLAIN LOGIN CRAM-MD5\r\n") != std::string::npos);
    CHECK(s.cmd("AUTH PLAIN " + kMikePlain) == "235 2.7.0 Authentication successful\r\n");
    CHECK(s.cmd("MAIL FROM:<mike@cesoo.com>") == "250 2.1.0 <mike@cesoo.com>... Sender OK\r\n");
}

TEST_CASE("smtp STARTTLS: plaintext AUTH refused with 538 and MAIL with 530 until TLS", "[smtp][server][tls]") {
    SmtpTls s(true, false);
    s.session->takeOutput();
    std::string ehlo = s.cmd("EHLO mike-pc");
    CHECK(ehlo.find("STARTTLS") != std::string::npos);
    CHECK(ehlo.find("AUTH") == std::string::npos);  // RFC 4954 6: not announced before TLS
    CHECK(s.cmd("AUTH PLAIN " + kMikePlain) ==
          "538 5.7.11 Encryption required for requested authentication mechanism\r\n");
    CHECK(s.cmd("MAIL FROM:<mike@cesoo.com>") == "530 5.7.0 Must issue a STARTTLS command first\r\n");
    CHECK(s.cmd("STARTTLS") == "220 2.0.0 Ready to start TLS\r\n");
    s.session->tlsEstablished(s.now);
    CHECK(s.cmd("EHLO mike-pc").find("AUTH PLAIN") != std::string::npos);
    CHECK(s.cmd("AUTH PLAIN " + auth::encodeSaslPlain("mike@cesoo.com", "wrong")).starts_with("535 5.7.8"));
    CHECK(s.session->failedLogins() == 1);
    CHECK(s.cmd("AUTH PLAIN " + kMikePlain).starts_with("235"));
    CHECK(s.session->failedLogins() == 1);
    CHECK(s.cmd("MAIL FROM:<mike@cesoo.com>").starts_with("250"));
}

TEST_CASE("smtp STARTTLS refusals: not offered, twice, before EHLO, in a transaction, with an argument",
          "[smtp][server][tls]") {
    SECTION("not offered: 502 and not announced") {
        SmtpTls s(false);
        s.session->takeOutput();
        CHECK(s.cmd("EHLO mike-pc").find("STARTTLS") == std::string::npos);
        CHECK(s.cmd("STARTTLS") == "502 5.5.1 STARTTLS: command not implemented\r\n");
        CHECK_FALSE(s.session->startTlsPending());
        CHECK(s.cmd("NOOP").starts_with("250"));
    }
    SECTION("twice: 503 5.5.1 inside TLS") {
        SmtpTls s;
        s.session->takeOutput();
        s.cmd("EHLO mike-pc");
        CHECK(s.cmd("STARTTLS").starts_with("220"));
        s.session->tlsEstablished(s.now);
        s.cmd("EHLO mike-pc");
        CHECK(s.cmd("STARTTLS") == "503 5.5.1 TLS already active\r\n");
        CHECK_FALSE(s.session->startTlsPending());
    }
    SECTION("before EHLO, after HELO, inside a transaction: 503") {
        SmtpTls s;
        s.session->takeOutput();
        CHECK(s.cmd("STARTTLS").starts_with("503"));
        s.cmd("HELO mike-pc");
        CHECK(s.cmd("STARTTLS").starts_with("503"));
        s.cmd("EHLO mike-pc");
        s.cmd("AUTH PLAIN " + kMikePlain);
        CHECK(s.cmd("MAIL FROM:<mike@cesoo.com>").starts_with("250"));
        CHECK(s.cmd("STARTTLS").starts_with("503 5.5.1"));
        CHECK_FALSE(s.session->startTlsPending());
        CHECK(s.session->state() == SmtpState::Mail);
    }
    SECTION("with an argument: 501") {
        SmtpTls s;
        s.session->takeOutput();
        s.cmd("EHLO mike-pc");
        CHECK(s.cmd("STARTTLS now").starts_with("501 5.5.4"));
        CHECK_FALSE(s.session->startTlsPending());
    }
}

TEST_CASE("smtp implicit TLS: tlsEstablished before start, then the plain dialogue", "[smtp][server][tls]") {
    SmtpTls s(true, false, true);
    CHECK(s.session->tlsActive());
    CHECK(s.session->takeOutput().starts_with("220 cesoo.com"));
    CHECK(s.session->state() == SmtpState::Initial);
    std::string ehlo = s.cmd("EHLO mike-pc");
    CHECK(ehlo.find("STARTTLS") == std::string::npos);
    CHECK(ehlo.find("AUTH PLAIN") != std::string::npos);  // plaintext logins are not needed: TLS is up
    CHECK(s.cmd("AUTH PLAIN " + kMikePlain).starts_with("235"));
}

// ---- POP3 (RFC 2595 4) -----------------------------------------------------------------------------------------

namespace {

struct Pop3Tls {
    Pop3Host host;
    trace::SessionId sid;
    std::unique_ptr<Pop3ServerSession> session;
    trace::Micros now = kPopT0;

    explicit Pop3Tls(bool offered = true, bool plaintextAuth = true, bool implicit = false) {
        host.ctx.config.tlsOffered = offered;
        host.ctx.config.plaintextAuthAllowed = plaintextAuth;
        sid = host.trace.openSession("pop3", "rose-pc", "cesoo.com:110", kPopT0);
        session = std::make_unique<Pop3ServerSession>(host.ctx, trace::Recorder(&host.trace, sid));
        if (implicit) session->tlsEstablished(now);
        session->start(now);
        session->takeOutput();
    }
    std::string send(std::string_view bytes) {
        session->receive(bytes, now);
        return session->takeOutput();
    }
    std::string cmd(std::string_view line) { return send(std::string(line) + "\r\n"); }
};

}  // namespace

TEST_CASE("pop3 STLS: pipelined plaintext after STLS is discarded, never executed (CVE-2011-0411)",
          "[pop3][server][tls]") {
    Pop3Tls p;
    p.host.deliver("rose@cesoo.com", "Subject: a\r\n\r\nhello\r\n");
    CHECK(p.cmd("CAPA").find("\r\nSTLS\r\n") != std::string::npos);
    CHECK(p.send("STLS\r\nQUIT\r\n") == "+OK Begin TLS negotiation\r\n");
    CHECK(p.session->startTlsPending());
    CHECK_FALSE(p.session->closed());
    CHECK_FALSE(commandTraced(p.host.trace, p.sid, "QUIT"));
    CHECK(notesContaining(p.host.trace, p.sid,
                          "discarded 6 bytes sent in plaintext after STLS, before TLS (CVE-2011-0411: never "
                          "executed)") == 1);
    CHECK(p.send("USER rose\r\n").empty());
    CHECK(notesContaining(p.host.trace, p.sid, "discarded 11 bytes") == 1);

    p.session->tlsEstablished(p.now);
    CHECK(p.session->tlsActive());
    CHECK_FALSE(p.session->startTlsPending());
    CHECK(p.session->state() == Pop3State::Authorization);
    std::string capa = p.cmd("CAPA");
    CHECK(capa.find("STLS") == std::string::npos);
    CHECK(capa.find("\r\nUSER\r\n") != std::string::npos);
    CHECK(p.cmd("USER rose") == "+OK send PASS\r\n");
    CHECK(p.cmd("PASS rose123").starts_with("+OK rose@cesoo.com has 1 message"));
    CHECK(p.session->state() == Pop3State::Transaction);
}

TEST_CASE("pop3 STLS: plaintext logins refused with -ERR [AUTH] until TLS", "[pop3][server][tls]") {
    Pop3Tls p(true, false);
    const std::string refused = "-ERR [AUTH] Plaintext authentication disallowed on non-secure connection\r\n";
    std::string capa = p.cmd("CAPA");
    CHECK(capa.find("USER") == std::string::npos);
    CHECK(capa.find("SASL") == std::string::npos);
    CHECK(capa.find("UTF8\r\n") != std::string::npos);  // RFC 6856 3: UTF8 without USER while USER is refused
    CHECK(capa.find("STLS") != std::string::npos);
    CHECK(p.cmd("USER rose") == refused);
    CHECK(p.cmd("PASS rose123") == refused);
    CHECK(p.cmd("APOP rose 0123456789abcdef0123456789abcdef") == refused);
    CHECK(p.cmd("AUTH PLAIN " + auth::encodeSaslPlain("rose", "rose123")) == refused);
    CHECK(p.session->state() == Pop3State::Authorization);
    CHECK(p.session->failedLogins() == 0);  // refused by policy: no password was checked
    CHECK(p.cmd("STLS") == "+OK Begin TLS negotiation\r\n");
    p.session->tlsEstablished(p.now);
    CHECK(p.cmd("USER rose") == "+OK send PASS\r\n");
    CHECK(p.cmd("PASS nope").starts_with("-ERR [AUTH] invalid"));
    CHECK(p.session->failedLogins() == 1);
    CHECK(p.cmd("USER rose") == "+OK send PASS\r\n");
    CHECK(p.cmd("PASS rose123").starts_with("+OK"));
}

TEST_CASE("pop3 STLS refusals: not offered, twice, in TRANSACTION, with an argument", "[pop3][server][tls]") {
    SECTION("not offered: unknown command, as before") {
        Pop3Tls p(false);
        CHECK(p.cmd("CAPA").find("STLS") == std::string::npos);
        CHECK(p.cmd("STLS") == "-ERR unknown command \"STLS\"\r\n");
        CHECK_FALSE(p.session->startTlsPending());
    }
    SECTION("twice") {
        Pop3Tls p;
        CHECK(p.cmd("STLS").starts_with("+OK"));
        p.session->tlsEstablished(p.now);
        CHECK(p.cmd("STLS") == "-ERR command not permitted when TLS active\r\n");
        CHECK_FALSE(p.session->startTlsPending());
    }
    SECTION("in TRANSACTION") {
        Pop3Tls p;
        p.cmd("USER rose");
        CHECK(p.cmd("PASS rose123").starts_with("+OK"));
        CHECK(p.cmd("STLS") == "-ERR STLS is not allowed in the TRANSACTION state\r\n");
        CHECK_FALSE(p.session->startTlsPending());
    }
    SECTION("with an argument") {
        Pop3Tls p;
        CHECK(p.cmd("STLS now") == "-ERR syntax: STLS\r\n");
        CHECK_FALSE(p.session->startTlsPending());
    }
}

TEST_CASE("pop3 implicit TLS: tlsEstablished before start", "[pop3][server][tls]") {
    Pop3Tls p(true, false, true);
    CHECK(p.session->tlsActive());
    CHECK(p.session->state() == Pop3State::Authorization);
    CHECK(p.cmd("CAPA").find("STLS") == std::string::npos);
    CHECK(p.cmd("USER rose") == "+OK send PASS\r\n");
    CHECK(p.cmd("PASS rose123").starts_with("+OK"));
}

// ---- IMAP (RFC 3501 6.2.1) -------------------------------------------------------------------------------------

namespace {

struct ImapTls {
    ImapHost host;
    trace::SessionId sid;
    std::unique_ptr<ImapServerSession> session;
    trace::Micros now = kImapT0;
    std::string greeting;

    explicit ImapTls(bool offered = true, bool plaintextAuth = true, bool implicit = false) {
        host.ctx.config.tlsOffered = offered;
        host.ctx.config.plaintextAuthAllowed = plaintextAuth;
        sid = host.trace.openSession("imap", "rose-pc", "cesoo.com:143", kImapT0);
        session = std::make_unique<ImapServerSession>(host.ctx, trace::Recorder(&host.trace, sid));
        if (implicit) session->tlsEstablished(now);
        session->start(now);
        greeting = session->takeOutput();
    }
    std::string send(std::string_view bytes) {
        session->receive(bytes, now);
        return session->takeOutput();
    }
};

}  // namespace

TEST_CASE("imap STARTTLS: pipelined plaintext after STARTTLS is discarded, never executed (CVE-2011-0411)",
          "[imap][server][tls]") {
    ImapTls i;
    CHECK(i.greeting.find(" STARTTLS") != std::string::npos);
    CHECK(i.send("a STARTTLS\r\nb LOGOUT\r\n") == "a OK Begin TLS negotiation now\r\n");
    CHECK(i.session->startTlsPending());
    CHECK_FALSE(i.session->closed());
    CHECK_FALSE(commandTraced(i.host.trace, i.sid, "b LOGOUT"));
    CHECK(notesContaining(i.host.trace, i.sid,
                          "discarded 10 bytes sent in plaintext after STARTTLS, before TLS (CVE-2011-0411: never "
                          "executed)") == 1);
    CHECK(i.send("c LOGIN rose rose123\r\n").empty());
    CHECK(i.session->state() == ImapState::NotAuthenticated);

    i.session->tlsEstablished(i.now);
    CHECK(i.session->tlsActive());
    CHECK(i.session->state() == ImapState::NotAuthenticated);
    std::string caps = i.send("d CAPABILITY\r\n");
    CHECK(caps.find("STARTTLS") == std::string::npos);
    CHECK(caps.find("LOGINDISABLED") == std::string::npos);
    CHECK(caps.find("AUTH=PLAIN") != std::string::npos);
    CHECK(i.send("e LOGIN rose rose123\r\n").find("e OK [CAPABILITY") != std::string::npos);
    CHECK(i.session->state() == ImapState::Authenticated);
}

TEST_CASE("imap STARTTLS: LOGINDISABLED and NO [PRIVACYREQUIRED] until TLS", "[imap][server][tls]") {
    ImapTls i(true, false);
    CHECK(i.greeting.find("STARTTLS") != std::string::npos);
    CHECK(i.greeting.find("LOGINDISABLED") != std::string::npos);
    CHECK(i.greeting.find("AUTH=PLAIN") == std::string::npos);
    std::string caps = i.send("a CAPABILITY\r\n");
    CHECK(caps.find("LOGINDISABLED") != std::string::npos);
    CHECK(caps.find("AUTH=PLAIN") == std::string::npos);
    CHECK(i.send("b LOGIN rose rose123\r\n").starts_with("b NO [PRIVACYREQUIRED] "));
    CHECK(i.send("c AUTHENTICATE PLAIN " + auth::encodeSaslPlain("rose", "rose123") + "\r\n")
              .starts_with("c NO [PRIVACYREQUIRED] "));
    CHECK(i.session->state() == ImapState::NotAuthenticated);
    CHECK(i.send("d STARTTLS\r\n") == "d OK Begin TLS negotiation now\r\n");
    i.session->tlsEstablished(i.now);
    caps = i.send("e CAPABILITY\r\n");
    CHECK(caps.find("LOGINDISABLED") == std::string::npos);
    CHECK(caps.find("STARTTLS") == std::string::npos);
    CHECK(i.send("f LOGIN rose wrong\r\n").starts_with("f NO [AUTHENTICATIONFAILED]"));
    CHECK(i.session->failedLogins() == 1);
    CHECK(i.send("g LOGIN rose rose123\r\n").find("g OK") != std::string::npos);
}

TEST_CASE("imap STARTTLS refusals: not offered, twice, after login, with an argument", "[imap][server][tls]") {
    SECTION("not offered: BAD, not announced") {
        ImapTls i(false);
        CHECK(i.greeting.find("STARTTLS") == std::string::npos);
        CHECK(i.send("a STARTTLS\r\n") == "a BAD STARTTLS is not offered here\r\n");
        CHECK_FALSE(i.session->startTlsPending());
    }
    SECTION("twice") {
        ImapTls i;
        CHECK(i.send("a STARTTLS\r\n").starts_with("a OK"));
        i.session->tlsEstablished(i.now);
        CHECK(i.send("b STARTTLS\r\n") == "b BAD TLS is already active\r\n");
        CHECK_FALSE(i.session->startTlsPending());
    }
    SECTION("after login: BAD, STARTTLS no longer announced") {
        ImapTls i;
        std::string login = i.send("a LOGIN rose rose123\r\n");
        CHECK(login.find("STARTTLS") == std::string::npos);
        CHECK(i.send("b STARTTLS\r\n").starts_with("b BAD"));
        CHECK_FALSE(i.session->startTlsPending());
    }
    SECTION("with an argument") {
        ImapTls i;
        CHECK(i.send("a STARTTLS now\r\n").starts_with("a BAD"));
        CHECK_FALSE(i.session->startTlsPending());
    }
}

TEST_CASE("imap implicit TLS: tlsEstablished before start", "[imap][server][tls]") {
    ImapTls i(true, false, true);
    CHECK(i.session->tlsActive());
    CHECK(i.greeting.starts_with("* OK [CAPABILITY "));
    CHECK(i.greeting.find("STARTTLS") == std::string::npos);
    CHECK(i.greeting.find("LOGINDISABLED") == std::string::npos);
    CHECK(i.send("a LOGIN rose rose123\r\n").find("a OK") != std::string::npos);
    CHECK(i.host.trace.events().end() == std::ranges::find_if(i.host.trace.events(), [](const trace::Event& e) {
              return e.kind == trace::EventKind::Error;
          }));
}
