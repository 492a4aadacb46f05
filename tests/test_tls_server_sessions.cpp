// The transports' interface (sim/tls/ServerSessions.hpp) carries the TLS half of the sessions: startTlsPending,
// tlsEstablished, tlsActive and failedLogins reach the SMTP, POP3 and IMAP sessions behind the adapters.
#include "sim/tls/ServerSessions.hpp"

#include "auth/Sasl.hpp"
#include "store/MemoryStore.hpp"

#include <catch2/catch.hpp>

using namespace mailsim;

namespace {

constexpr trace::Micros kT = 1'709'542'800'000'000;

void addUsers(auth::UserDirectory& dir) {
    dir.addDomain("cesoo.com");
    dir.addUser("rose@cesoo.com", "rose123", "Rose");
}

}  // namespace

TEST_CASE("ServerSession forwards the TLS calls to all three protocols", "[sim][tls]") {
    store::MemoryStore store;
    trace::Trace t;

    SECTION("smtp") {
        smtp::SmtpServerContext ctx;
        ctx.config.domain = "cesoo.com";
        ctx.config.tlsOffered = true;
        addUsers(ctx.directory);
        ctx.store = &store;
        auto s = sim::makeSmtpServerSession(ctx, smtp::PeerInfo{"pc", "10.0.0.2", true},
                                            trace::Recorder(&t, t.openSession("smtp", "pc", "mx:587", kT)));
        s->start(kT);
        s->receive("EHLO pc\r\nAUTH PLAIN " + auth::encodeSaslPlain("rose", "nope") + "\r\nSTARTTLS\r\nNOOP\r\n", kT);
        std::string out = s->takeOutput();
        CHECK(out.ends_with("220 2.0.0 Ready to start TLS\r\n"));
        CHECK(s->failedLogins() == 1);
        CHECK(s->startTlsPending());
        CHECK_FALSE(s->tlsActive());
        s->tlsEstablished(kT);
        CHECK(s->tlsActive());
        CHECK_FALSE(s->startTlsPending());
        s->receive("EHLO pc\r\n", kT);
        CHECK(s->takeOutput().find("STARTTLS") == std::string::npos);
    }
    SECTION("pop3") {
        pop3::Pop3ServerContext ctx;
        ctx.config.tlsOffered = true;
        addUsers(ctx.directory);
        ctx.store = &store;
        auto s = sim::makePop3ServerSession(ctx, trace::Recorder(&t, t.openSession("pop3", "pc", "mx:110", kT)));
        s->start(kT);
        s->takeOutput();
        s->receive("USER rose\r\nPASS nope\r\nSTLS\r\nQUIT\r\n", kT);
        CHECK(s->takeOutput().ends_with("+OK Begin TLS negotiation\r\n"));
        CHECK(s->failedLogins() == 1);
        CHECK(s->startTlsPending());
        s->tlsEstablished(kT);
        CHECK(s->tlsActive());
        CHECK_FALSE(s->closed());
    }
    SECTION("imap, implicit TLS") {
        imap::ImapServerContext ctx;
        ctx.config.tlsOffered = true;
        addUsers(ctx.directory);
        ctx.store = &store;
        auto s = sim::makeImapServerSession(ctx, trace::Recorder(&t, t.openSession("imap", "pc", "mx:993", kT)));
        s->tlsEstablished(kT);
        s->start(kT);
        CHECK(s->tlsActive());
        CHECK(s->takeOutput().find("STARTTLS") == std::string::npos);
        s->receive("a LOGIN rose nope\r\n", kT);
        CHECK(s->failedLogins() == 1);
        CHECK_FALSE(s->startTlsPending());
    }
}
