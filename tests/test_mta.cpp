// The MTA's decisions without any network: routing, the queue and its backoff, partial failure, give-up, DSNs,
// loop detection by hop count, trace headers; and SMTP AUTH / relay permission on the server and in the client.
#include "SmtpTestHarness.hpp"

#include "auth/Sasl.hpp"
#include "message/MimeMessage.hpp"
#include "mta/MtaQueue.hpp"
#include "mta/TraceHeaders.hpp"

#include <catch2/catch.hpp>

using namespace mailsim;
using namespace mailsim::test;
using mta::kMinute;
using mta::kHour;

namespace {

const std::string kContent = "From: mike@cesoo.com\r\nTo: rose@example.org\r\nSubject: Hi\r\nMessage-ID: <1@cesoo.com>\r\n\r\nHello\r\n";

std::vector<std::string> rcpts(std::initializer_list<const char*> l) { return {l.begin(), l.end()}; }

// A submission-port connection: AUTH offered, the host relays into `relayed`.
struct SubmissionConn {
    ServerHost& host;
    SmtpServerSession session;
    explicit SubmissionConn(ServerHost& h, bool submission = true, std::string address = "10.0.0.2")
        : host(h), session(h.ctx, PeerInfo{"mike-pc", std::move(address), submission},
                           trace::Recorder(&h.trace, h.trace.openSession("smtp", "mike-pc", "cesoo.com:587", kT0))) {
        session.start(kT0);
        session.takeOutput();
    }
    std::string cmd(std::string_view line) {
        session.receive(std::string(line) + "\r\n", kT0);
        return session.takeOutput();
    }
};

struct RelayingHost : ServerHost {
    std::vector<RelayRequest> relayed;
    RelayingHost() {
        ctx.relay = [this](const RelayRequest& r) -> std::expected<std::string, std::string> {
            relayed.push_back(r);
            return std::string("Q1");
        };
    }
};

}  // namespace

TEST_CASE("routing: local domains are delivered, others are grouped by domain for relay", "[mta]") {
    auth::UserDirectory dir;
    dir.addDomain("cesoo.com");
    CHECK(mta::isLocal(dir, "rose@cesoo.com"));
    CHECK(mta::isLocal(dir, "Rose@CESOO.com"));
    CHECK_FALSE(mta::isLocal(dir, "rose@example.org"));
    auto groups = mta::groupByDomain(rcpts({"a@x.org", "b@y.org", "c@X.org"}));
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].first == "x.org");
    CHECK(groups[0].second == rcpts({"a@x.org", "c@X.org"}));
    CHECK(groups[1].first == "y.org");
}

TEST_CASE("queue: 2xx delivers, 4xx defers on the backoff schedule, 5xx fails only that recipient", "[mta][queue]") {
    mta::MtaQueue q;
    auto id = q.enqueue("mike@cesoo.com", rcpts({"rose@example.org", "jack@example.org", "nobody@example.org"}), kContent, kT0);
    CHECK(q.nextDue() == kT0);
    CHECK(q.due(kT0) == std::vector<std::string>{id});
    std::vector<mta::AttemptResult> results{{"rose@example.org", 250, "2.0.0 OK", "mx"},
                                            {"jack@example.org", 451, "4.3.0 try later", "mx"},
                                            {"nobody@example.org", 550, "5.1.1 User unknown", "mx"}};
    auto out = q.recordAttempt(id, results, kT0);
    CHECK(out.delivered == rcpts({"rose@example.org"}));
    REQUIRE(out.failed.size() == 1);
    CHECK(out.failed[0].address == "nobody@example.org");
    CHECK(out.deferred == rcpts({"jack@example.org"}));
    CHECK(out.nextAttempt == kT0 + mta::kRetrySchedule[0]);
    CHECK_FALSE(out.finished);
    CHECK(q.due(kT0 + 1).empty());
    // The next failures follow the schedule, and the last delay repeats.
    trace::Micros t = *out.nextAttempt;
    std::vector<mta::AttemptResult> noAnswer{{"jack@example.org", 0, "connection timed out", ""}};
    for (std::size_t i = 1; i < std::size(mta::kRetrySchedule) + 2; ++i) {
        auto o = q.recordAttempt(id, noAnswer, t);
        trace::Micros expected = mta::kRetrySchedule[std::min(i, std::size(mta::kRetrySchedule) - 1)];
        REQUIRE(o.nextAttempt);
        CHECK(*o.nextAttempt - t == expected);
        t = *o.nextAttempt;
    }
    auto last = q.recordAttempt(id, std::vector<mta::AttemptResult>{{"jack@example.org", 250, "ok", "mx"}}, t);
    CHECK(last.finished);
    CHECK(q.size() == 0);
}

TEST_CASE("queue: the lifetime runs out and every pending recipient fails, no retry after the give-up time", "[mta][queue]") {
    mta::QueuePolicy policy;
    policy.retry = {10 * kMinute, 20 * kMinute};
    policy.lifetime = kHour;
    mta::MtaQueue q(policy);
    auto id = q.enqueue("mike@cesoo.com", rcpts({"rose@example.org"}), kContent, kT0);
    std::vector<mta::AttemptResult> none{{"rose@example.org", 0, "connection timed out", ""}};
    trace::Micros t = kT0;
    int attempts = 0;
    mta::AttemptOutcome out;
    do {
        out = q.recordAttempt(id, none, t);
        ++attempts;
        if (out.nextAttempt) {
            CHECK(*out.nextAttempt <= kT0 + kHour);
            t = *out.nextAttempt;
        }
    } while (!out.finished && attempts < 20);
    CHECK(out.expired);
    REQUIRE(out.failed.size() == 1);
    CHECK(out.failed[0].reply.find("gave up") != std::string::npos);
    CHECK(attempts == 5);  // 0, 10m, 30m, 50m, 60m (the end of the lifetime)
    CHECK(q.size() == 0);
}

TEST_CASE("queue: a restored message keeps its id, states and attempts; later ids stay unique; remove", "[mta][queue]") {
    mta::MtaQueue q({}, "MAIL-");
    mta::QueuedMessage m;
    m.id = "MAIL-000007";
    m.reversePath = "mike@cesoo.com";
    m.recipients = {{"rose@example.org", mta::RecipientState::Pending, 451, {}, {}},
                    {"jack@example.org", mta::RecipientState::Delivered, 250, {}, {}}};
    m.content = kContent;
    m.arrival = kT0;
    m.nextAttempt = kT0 + kMinute;
    m.attempts = 1;
    q.restore(m);
    REQUIRE(q.size() == 1);
    CHECK(q.find("MAIL-000007")->attempts == 1);
    CHECK(q.due(kT0).empty());
    CHECK(q.due(kT0 + kMinute) == std::vector<std::string>{"MAIL-000007"});
    // The next id comes after the restored one.
    CHECK(q.enqueue("mike@cesoo.com", rcpts({"x@example.net"}), kContent, kT0) == "MAIL-000008");
    // The retry counts from the restored attempts: the 2nd failure waits the 2nd delay of the schedule.
    std::vector<mta::AttemptResult> deferred{{"rose@example.org", 451, "4.7.1 try later", "mx.example.org"}};
    auto out = q.recordAttempt("MAIL-000007", deferred, kT0 + kMinute);
    REQUIRE(out.nextAttempt);
    CHECK(*out.nextAttempt == kT0 + kMinute + mta::kRetrySchedule[1]);
    CHECK(out.deferred == std::vector<std::string>{"rose@example.org"});
    CHECK(q.remove("MAIL-000008"));
    CHECK_FALSE(q.remove("MAIL-000008"));
    CHECK(q.size() == 1);
}

TEST_CASE("DSN: RFC 3464 multipart/report from MAILER-DAEMON with the failed recipients and the original header", "[mta][dsn]") {
    mta::MtaQueue q;
    auto id = q.enqueue("mike@cesoo.com", rcpts({"nobody@example.org"}), kContent, kT0);
    mta::QueuedMessage m = *q.find(id);
    auto out = q.recordAttempt(id, std::vector<mta::AttemptResult>{{"nobody@example.org", 550, "5.1.1 <nobody@example.org>... User unknown", "mx.example.org"}}, kT0);
    std::string dsn = mta::makeDsn(m, out.failed, {"mail.cesoo.com", "cesoo.com", "refused"}, kT0, 1);
    auto msg = message::Message::parse(dsn);
    const auto& root = msg.root();
    CHECK(root.contentType.type == "multipart");
    CHECK(root.contentType.subtype == "report");
    CHECK(root.contentType.params.get("report-type") == "delivery-status");
    REQUIRE(root.children.size() == 3);
    CHECK(root.children[1].contentType.subtype == "delivery-status");
    CHECK(root.children[2].contentType.subtype == "rfc822-headers");
    CHECK(dsn.find("From: Mail Delivery System <MAILER-DAEMON@cesoo.com>") != std::string::npos);
    CHECK(dsn.find("To: <mike@cesoo.com>") != std::string::npos);
    CHECK(dsn.find("Reporting-MTA: dns; mail.cesoo.com") != std::string::npos);
    CHECK(dsn.find("Final-Recipient: rfc822; nobody@example.org") != std::string::npos);
    CHECK(dsn.find("Action: failed") != std::string::npos);
    CHECK(dsn.find("Status: 5.1.1") != std::string::npos);
    CHECK(dsn.find("Diagnostic-Code: smtp; 550 5.1.1") != std::string::npos);
    CHECK(dsn.find("Subject: Hi") != std::string::npos);     // the original header
    CHECK(dsn.find("\r\nHello\r\n") == std::string::npos);   // not the original body
    CHECK(mta::enhancedStatusOf("4.4.7 timed out") == "4.4.7");
    CHECK(mta::enhancedStatusOf("User unknown") == "");
}

TEST_CASE("trace headers: Received counting, Message-ID, Return-Path", "[mta][headers]") {
    std::string m;
    for (int i = 0; i < 3; ++i) m += "Received: from a\r\n\tby b; date\r\n";
    m += "Message-ID: <x@y>\r\nSubject: Received: not a field\r\n\r\nReceived: in the body\r\n";
    CHECK(mta::countReceived(m) == 3);
    CHECK(mta::messageIdOf(m) == "<x@y>");
    CHECK(mta::returnPathHeader("") == "Return-Path: <>\r\n");
}

TEST_CASE("server: Return-Path only at final delivery, Received at every hop, relayed mail goes to the queue", "[mta][server]") {
    RelayingHost host;
    SubmissionConn c(host);
    c.cmd("EHLO mike-pc");
    CHECK(lastCode(c.cmd("AUTH PLAIN " + auth::encodeSaslPlain("mike@cesoo.com", "mike123"))) == 235);
    c.cmd("MAIL FROM:<mike@cesoo.com>");
    CHECK(lastCode(c.cmd("RCPT TO:<rose@cesoo.com>")) == 250);
    CHECK(lastCode(c.cmd("RCPT TO:<rose@example.org>")) == 250);
    c.cmd("DATA");
    CHECK(lastCode(c.cmd("Subject: x\r\n\r\nhi\r\n.")) == 250);
    auto local = host.inbox("rose@cesoo.com");
    REQUIRE(local.size() == 1);
    CHECK(local[0].starts_with("Return-Path: <mike@cesoo.com>\r\nReceived: from mike-pc"));
    CHECK(local[0].find("with ESMTPA") != std::string::npos);  // RFC 3848: authenticated
    REQUIRE(host.relayed.size() == 1);
    CHECK(host.relayed[0].recipients == rcpts({"rose@example.org"}));
    CHECK(host.relayed[0].reversePath == "mike@cesoo.com");
    CHECK(host.relayed[0].content.starts_with("Received: from mike-pc"));
    CHECK(host.relayed[0].content.find("Return-Path") == std::string::npos);
}

TEST_CASE("server: a message with 25 Received fields is refused as a loop (554 5.4.6)", "[mta][server][loop]") {
    RelayingHost host;
    ServerConn c(host);
    c.greeting();
    c.cmd("EHLO relay.example");
    c.cmd("MAIL FROM:<mike@example.org>");
    c.cmd("RCPT TO:<rose@cesoo.com>");
    c.cmd("DATA");
    std::string content;
    for (int i = 0; i < mta::kMaxHops; ++i) content += "Received: from x by y; date\r\n";
    std::string reply = c.cmd(content + "\r\nhi\r\n.");
    CHECK(lastCode(reply) == 554);
    CHECK(reply.find("5.4.6") != std::string::npos);
    CHECK(host.inbox("rose@cesoo.com").empty());
}

TEST_CASE("AUTH: PLAIN and LOGIN succeed, bad credentials 535, before EHLO 503, relaying only after AUTH", "[mta][auth]") {
    RelayingHost host;
    SECTION("relay refused before AUTH on port 25, and on 587 MAIL needs AUTH") {
        ServerConn c25(host);
        c25.greeting();
        CHECK(c25.cmd("EHLO mike-pc").find("AUTH") == std::string::npos);  // not offered on 25
        c25.cmd("MAIL FROM:<mike@cesoo.com>");
        std::string r = c25.cmd("RCPT TO:<rose@example.org>");
        CHECK(lastCode(r) == 554);
        CHECK(r.find("5.7.1") != std::string::npos);
        CHECK(lastCode(c25.cmd("AUTH PLAIN " + auth::encodeSaslPlain("mike@cesoo.com", "mike123"))) == 503);  // in a transaction
        SubmissionConn c(host);
        CHECK(c.cmd("EHLO mike-pc").find("AUTH PLAIN LOGIN CRAM-MD5") != std::string::npos);
        CHECK(lastCode(c.cmd("MAIL FROM:<mike@cesoo.com>")) == 530);
    }
    SECTION("AUTH before EHLO is a bad sequence") {
        SubmissionConn c(host);
        CHECK(lastCode(c.cmd("AUTH PLAIN " + auth::encodeSaslPlain("mike", "mike123"))) == 503);
    }
    SECTION("PLAIN with a wrong password, then the right one, then once more") {
        SubmissionConn c(host);
        c.cmd("EHLO mike-pc");
        std::string r = c.cmd("AUTH PLAIN " + auth::encodeSaslPlain("mike", "nope"));
        CHECK(lastCode(r) == 535);
        CHECK(r.find("5.7.8") != std::string::npos);
        CHECK(lastCode(c.cmd("AUTH PLAIN")) == 334);  // empty challenge, response on its own line
        CHECK(lastCode(c.cmd(auth::encodeSaslPlain("mike", "mike123"))) == 235);
        CHECK(lastCode(c.cmd("AUTH PLAIN " + auth::encodeSaslPlain("mike", "mike123"))) == 503);
        c.cmd("MAIL FROM:<mike@cesoo.com>");
        CHECK(lastCode(c.cmd("RCPT TO:<rose@example.org>")) == 250);
    }
    SECTION("LOGIN, cancel, garbage, unknown mechanism") {
        SubmissionConn c(host);
        c.cmd("EHLO mike-pc");
        CHECK(c.cmd("AUTH LOGIN") == "334 VXNlcm5hbWU6\r\n");
        CHECK(lastCode(c.cmd("*")) == 501);
        CHECK(lastCode(c.cmd("AUTH X-UNKNOWN")) == 504);
        c.cmd("AUTH LOGIN");
        CHECK(lastCode(c.cmd("not base64!")) == 501);
        c.cmd("AUTH LOGIN");
        CHECK(c.cmd(auth::base64Encode("mike")) == "334 UGFzc3dvcmQ6\r\n");
        CHECK(lastCode(c.cmd(auth::base64Encode("mike123"))) == 235);
    }
    SECTION("CRAM-MD5 answers the challenge with an HMAC-MD5 digest") {
        SubmissionConn c(host);
        c.cmd("EHLO mike-pc");
        std::string challengeLine = c.cmd("AUTH CRAM-MD5");
        REQUIRE(lastCode(challengeLine) == 334);
        std::string challenge = *auth::base64Decode(challengeLine.substr(4, challengeLine.size() - 6));
        CHECK(lastCode(c.cmd(auth::base64Encode("mike " + auth::hmacMd5Hex("mike123", challenge)))) == 235);
    }
    SECTION("a trusted network may relay without AUTH") {
        host.ctx.config.relayNetworks = {"10.0.0.0/24"};
        SubmissionConn c(host, false, "10.0.0.9");
        c.cmd("EHLO relay-client");
        c.cmd("MAIL FROM:<x@cesoo.com>");
        CHECK(lastCode(c.cmd("RCPT TO:<rose@example.org>")) == 250);
        CHECK(smtp::ipv4PrefixContains("10.0.0.0/24", "10.0.0.9"));
        CHECK_FALSE(smtp::ipv4PrefixContains("10.0.0.0/24", "10.0.1.9"));
    }
}

TEST_CASE("HMAC-MD5 matches RFC 2195's example", "[auth]") {
    CHECK(auth::hmacMd5Hex("tanstaaftanstaaf", "<1896.697170952@postoffice.reston.mci.net>") ==
          "b913a602c7eda7a495b4e6e7334d3890");
}

TEST_CASE("client: AUTH PLAIN and LOGIN against the server, and a refused login fails every message", "[mta][auth][client]") {
    for (std::string mech : {"PLAIN", "LOGIN"}) {
        for (std::string password : {"mike123", "wrong"}) {
            RelayingHost host;
            SubmissionConn server(host);
            SmtpClientConfig cfg;
            cfg.heloName = "mike-pc";
            cfg.user = "mike@cesoo.com";
            cfg.password = password;
            cfg.authMechanism = mech;
            SmtpClientSession client(cfg, {OutgoingMessage{"mike@cesoo.com", {"rose@example.org"}, "Subject: x\r\n\r\nhi\r\n"}});
            // Drive the two sessions against each other until the client is done.
            SmtpServerSession& s = server.session;
            client.receive("220 cesoo.com Service ready\r\n", kT0);
            for (int i = 0; i < 50 && !client.done(); ++i) {
                s.receive(client.takeOutput(), kT0);
                client.receive(s.takeOutput(), kT0);
            }
            INFO(mech << " " << password);
            REQUIRE(client.done());
            auto status = client.results()[0].recipients[0].status;
            CHECK(status == (password == "mike123" ? DeliveryStatus::Delivered : DeliveryStatus::PermFailed));
            CHECK(host.relayed.size() == (password == "mike123" ? 1u : 0u));
        }
    }
}
