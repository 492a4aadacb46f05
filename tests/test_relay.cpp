// Relay in the simulator: DNS resolution order and fallback, the next MX on connection failure, outages and
// retries in virtual time, crashes with durable and in-memory queues, background timers, and the loader's checks
// of the relay keys.
#include "trace/Render.hpp"
#include "sim/world/Api.hpp"
#include "sim/world/Dns.hpp"
#include "sim/world/Relay.hpp"
#include "sim/scenario/Scenario.hpp"
#include "sim/net/Scheduler.hpp"
#include "sim/tools/Transcript.hpp"

#include <catch2/catch.hpp>

using namespace mailsim;
using trace::EventKind;

namespace {

// Two domains; `extra` is appended to the host list, `dns` replaces example.org's record, `steps` follow a send.
std::string world(const std::string& exampleHosts, const std::string& exampleDns, const std::string& steps,
                  const std::string& cesooExtra = "") {
    return "title: t\nhosts:\n"
           "  - name: mail.cesoo.com\n    domains: [cesoo.com]\n    services: [smtp, submission]\n"
           "    users: [{ name: mike, password: mike123 }]\n" + cesooExtra +
           exampleHosts + "  - name: mike-pc\n"
           "dns:\n  cesoo.com: { mx: [mail.cesoo.com] }\n" + exampleDns +
           "steps:\n" + steps;
}

const std::string kSend =
    "  - mua: { action: send, from: mike-pc, server: mail.cesoo.com, user: mike@cesoo.com, sender: mike@cesoo.com,\n"
    "           to: [rose@example.org], subject: s, body: b }\n";

std::vector<const trace::Event*> eventsOf(const sim::RunResult& r, EventKind kind, std::string_view containing = {}) {
    std::vector<const trace::Event*> out;
    for (const auto& e : r.trace.events())
        if (e.kind == kind && trace::describe(e, i18n::Lang::En).find(containing) != std::string::npos) out.push_back(&e);
    return out;
}

sim::RunResult run(const std::string& yaml) {
    auto r = sim::runScenarioText(yaml, "t.yaml");
    if (!r)
        for (const auto& d : r.error()) UNSCOPED_INFO(d.format(mailsim::i18n::Lang::En));
    REQUIRE(r.has_value());
    for (const auto& f : r->failures) UNSCOPED_INFO(f.where << ": expected " << f.expected << ", got " << f.got);
    return std::move(*r);
}

}  // namespace

TEST_CASE("DNS: MX in preference order, implicit MX from the A record, NXDOMAIN; every query traced", "[relay][dns]") {
    std::string yaml = world("  - name: mx1.example.org\n    services: [smtp]\n  - name: mx2.example.org\n    services: [smtp]\n"
                             "  - name: example.net\n    services: [smtp]\n",
                             "  example.org: { mx: [{ host: mx2.example.org, preference: 20 }, { host: mx1.example.org, preference: 10 }] }\n"
                             "  alias.example: { a: mx2.example.org }\n",
                             "  - note: x\n");
    auto sc = sim::loadScenario(yaml, "t.yaml");
    REQUIRE(sc.has_value());
    sim::Scheduler sched;
    sim::VirtualNetwork net(sched);
    for (const auto& h : sc->hosts) net.addHost(h.name, h.address);
    sim::DnsService dns(*sc, net);
    trace::Trace tr;
    auto a = dns.resolveMx("example.org", "mail.cesoo.com", 0, tr);
    REQUIRE(a.targets.size() == 2);
    CHECK(a.targets[0].host == "mx1.example.org");
    CHECK(a.targets[1].host == "mx2.example.org");
    CHECK(tr.size() == 2);
    CHECK(tr.at(0).kind == EventKind::DnsQuery);
    REQUIRE(tr.at(0).as<trace::DnsQuery>());
    CHECK(tr.at(0).as<trace::DnsQuery>()->type == trace::DnsType::MX);
    CHECK(tr.at(0).as<trace::DnsQuery>()->name == "example.org");
    CHECK(trace::describe(tr.at(0), i18n::Lang::En) == "MX example.org");
    CHECK(tr.at(1).kind == EventKind::DnsAnswer);
    CHECK(tr.at(1).cause == 0);
    auto implicit = dns.resolveMx("example.net", "mail.cesoo.com", 0, tr);
    CHECK(implicit.implicit);
    REQUIRE(implicit.targets.size() == 1);
    CHECK(implicit.targets[0].host == "example.net");
    auto alias = dns.resolveMx("alias.example", "mail.cesoo.com", 0, tr);
    REQUIRE(alias.targets.size() == 1);
    CHECK(alias.targets[0].host == "mx2.example.org");
    auto none = dns.resolveMx("nowhere.example", "mail.cesoo.com", 0, tr);
    CHECK(none.nxdomain);
    CHECK(none.targets.empty());
    REQUIRE(tr.events().back().as<trace::DnsAnswer>());
    CHECK(tr.events().back().as<trace::DnsAnswer>()->nxdomain);
    CHECK(trace::describe(tr.events().back(), i18n::Lang::En).find("NXDOMAIN") != std::string::npos);
}

TEST_CASE("DNS: a U-label domain finds the zone written with A-labels, and the trace shows both (IDNA)",
          "[relay][dns][utf8]") {
    std::string yaml = world("  - name: mx1.example.org\n    services: [smtp]\n",
                             "  xn--fsqu00a.xn--fiqs8s: { mx: [{ host: mx1.example.org, preference: 10 }] }\n",
                             "  - note: x\n");
    auto sc = sim::loadScenario(yaml, "t.yaml");
    REQUIRE(sc.has_value());
    sim::Scheduler sched;
    sim::VirtualNetwork net(sched);
    for (const auto& h : sc->hosts) net.addHost(h.name, h.address);
    sim::DnsService dns(*sc, net);
    trace::Trace tr;
    auto a = dns.resolveMx("例子.中国", "mail.cesoo.com", 0, tr);
    REQUIRE(a.targets.size() == 1);
    CHECK(a.targets[0].host == "mx1.example.org");
    CHECK(trace::describe(tr.at(0), i18n::Lang::En) == "MX 例子.中国 (xn--fsqu00a.xn--fiqs8s)");
    auto same = dns.resolveMx("XN--FSQU00A.xn--fiqs8s", "mail.cesoo.com", 0, tr);
    REQUIRE(same.targets.size() == 1);
    CHECK(trace::describe(tr.at(2), i18n::Lang::En) == "MX xn--fsqu00a.xn--fiqs8s (例子.中国)");
}

TEST_CASE("relay: the next MX is tried when the first cannot be reached", "[relay][mx]") {
    // Both exchangers are final for example.org (two servers of one domain): the mail lands on mx2.
    std::string hosts = "  - name: mx1.example.org\n    domains: [example.org]\n    services: [smtp]\n    users: [{ name: rose }]\n"
                        "  - name: mx2.example.org\n    domains: [example.org]\n    services: [smtp]\n    users: [{ name: rose }]\n";
    auto r = run(world(hosts, "  example.org: { mx: [mx1.example.org, mx2.example.org] }\n",
                       "  - fault: { link: mx1.example.org, down_for: 1h }\n" + kSend));
    auto hops = eventsOf(r, EventKind::RelayHop);
    REQUIRE(hops.size() == 2);
    CHECK(hops[0]->as<trace::RelayHop>()->to == "mx1.example.org");
    CHECK(hops[0]->as<trace::RelayHop>()->result == trace::HopResult::ConnectFailed);
    CHECK(hops[1]->as<trace::RelayHop>()->to == "mx2.example.org");
    CHECK(hops[1]->as<trace::RelayHop>()->result == trace::HopResult::Summary);
    CHECK(hops[1]->as<trace::RelayHop>()->delivered == 1);
    CHECK(hops[1]->time - hops[0]->time >= sim::kConnectTimeout);
}

TEST_CASE("relay: an outage defers, retries happen only while time passes, delivery after the repair", "[relay][fault]") {
    std::string hosts = "  - name: mx.example.org\n    domains: [example.org]\n    services: [smtp]\n    users: [{ name: rose }]\n";
    std::string dns = "  example.org: { mx: [mx.example.org] }\n";
    auto noWait = run(world(hosts, dns, "  - fault: { host: mx.example.org, down_for: 2h }\n" + kSend));
    CHECK(eventsOf(noWait, EventKind::QueueAction, "retry: attempt").empty());  // no wait: the retry timer never fires
    CHECK(eventsOf(noWait, EventKind::QueueAction, "deferred").size() == 1);

    auto r = run(world(hosts, dns, "  - fault: { host: mx.example.org, down_for: 2h }\n" + kSend +
                                       "  - wait: 5h\n  - check: { mailbox: rose@example.org, count: 1 }\n"));
    CHECK(r.ok());
    auto deferred = eventsOf(r, EventKind::QueueAction, "deferred");
    REQUIRE(deferred.size() == 4);  // 09:00, 09:15, 09:46, 10:46 fail; 12:46 delivers
    for (const auto* e : deferred) CHECK(e->as<trace::QueueAction>()->nextRetry.has_value());  // the next retry
    auto up = eventsOf(r, EventKind::FaultInjected, "back up");
    auto delivered = eventsOf(r, EventKind::QueueAction, "delivered to rose@example.org");
    REQUIRE(up.size() == 1);
    REQUIRE(delivered.size() == 1);
    CHECK(delivered[0]->time > up[0]->time);
    std::string json = sim::formatJson(r.trace);
    CHECK(json.find("\"kind\":\"queue-action\"") != std::string::npos);
    CHECK(json.find("\"nextRetry\":") != std::string::npos);
    CHECK(json.find("\"kind\":\"relay-hop\"") != std::string::npos);
    CHECK(json.find("\"kind\":\"dns-query\"") != std::string::npos);
    CHECK(json.find("\"kind\":\"fault-injected\"") != std::string::npos);
    std::string text = sim::formatTranscript(r.trace);
    CHECK(text.find("[relay hop]") != std::string::npos);
    CHECK(text.find("(next retry 2024-03-04T09:15:30") != std::string::npos);
}

TEST_CASE("relay: a crash loses an in-memory queue, a durable queue survives it", "[relay][fault][crash]") {
    std::string hosts = "  - name: mx.example.org\n    domains: [example.org]\n    services: [smtp]\n    users: [{ name: rose }]\n";
    std::string dns = "  example.org: { mx: [mx.example.org] }\n";
    std::string steps = "  - fault: { link: mx.example.org, down_for: 1h }\n" + kSend +
                        "  - fault: { host: mail.cesoo.com, crash: true }\n  - wait: 3h\n";
    for (bool durable : {true, false}) {
        auto r = run(world(hosts, dns, steps, durable ? "" : "    queue: { durable: false }\n"));
        auto inbox = eventsOf(r, EventKind::StoreChanged, "rose@example.org INBOX uid 1 appended");
        INFO("durable " << durable);
        CHECK(inbox.size() == (durable ? 1u : 0u));
        CHECK(eventsOf(r, EventKind::QueueAction, durable ? "survive the crash" : "lost in the crash").size() == 1);
    }
}

TEST_CASE("relay: NXDOMAIN fails at once and the DSN lands in the sender's INBOX", "[relay][dsn]") {
    auto r = run(world("", "", "  - mua: { action: send, from: mike-pc, server: mail.cesoo.com, user: mike@cesoo.com,\n"
                               "           sender: mike@cesoo.com, to: [rose@nowhere.example], subject: s, body: b }\n"
                               "  - check: { mailbox: mike@cesoo.com, count: 1, contains: \"Status: 5.1.2\" }\n"));
    CHECK(r.ok());
    CHECK(eventsOf(r, EventKind::DnsAnswer, "NXDOMAIN").size() == 1);
}

TEST_CASE("scheduler: background timers run only when time is made to pass", "[relay][scheduler]") {
    sim::Scheduler s(0);
    int fg = 0, bg = 0;
    s.atBackground(100, [&] { ++bg; });
    s.at(10, [&] { ++fg; });
    s.at(200, [&] { ++fg; });
    s.runUntilIdle();  // runs the foreground work and, on the way, the timer due before it
    CHECK(fg == 2);
    CHECK(bg == 1);
    s.atBackground(1000, [&] { ++bg; });
    CHECK(s.idle());
    s.runUntilIdle();
    CHECK(bg == 1);
    s.runUntil(999);
    CHECK(bg == 1);
    CHECK(s.now() == 999);
    s.runUntil(1000);
    CHECK(bg == 2);
}

TEST_CASE("loader: the relay keys are validated with did-you-mean", "[relay][loader]") {
    auto diag = [](const std::string& yaml) {
        auto r = sim::loadScenario(yaml, "t.yaml");
        REQUIRE_FALSE(r.has_value());
        std::string all;
        for (const auto& d : r.error()) all += d.format(mailsim::i18n::Lang::En) + "\n";
        return all;
    };
    std::string base = "title: t\nhosts:\n  - name: a\n    domains: [a.example]\n    services: [smtp]\n";
    CHECK(diag(base + "steps:\n  - fault: { hots: a, down_for: 1h }\n").find("did you mean 'host'") != std::string::npos);
    CHECK(diag(base + "steps:\n  - fault: { host: b, down_for: 1h }\n").find("no host named 'b'") != std::string::npos);
    CHECK(diag(base + "steps:\n  - fault: { host: a }\n").find("down_for") != std::string::npos);
    CHECK(diag(base + "    queue: { lifetme: 1h }\nsteps:\n  - note: x\n").find("did you mean 'lifetime'") != std::string::npos);
    CHECK(diag(base + "    queue: { retry: [soon] }\nsteps:\n  - note: x\n").find("duration") != std::string::npos);
    CHECK(diag("title: t\nhosts:\n  - name: a\n    services: [submision]\nsteps:\n  - note: x\n").find("did you mean 'submission'") != std::string::npos);
    CHECK(diag(base + "    smtp: { relay_networks: [10.0.0.0/99] }\nsteps:\n  - note: x\n").find("IPv4 prefix") != std::string::npos);
    CHECK(diag(base + "network: { loss: 2 }\nsteps:\n  - note: x\n").find("probability") != std::string::npos);
    CHECK(diag(base + "  - name: pc\nsteps:\n  - mua: { action: send, from: pc, server: a, sender: x@a.example, to: [y@a.example], auth: plian, user: x@a.example }\n")
              .find("did you mean 'plain'") != std::string::npos);
}

namespace {

const std::string kExampleMx = "  - name: mx.example.org\n    domains: [example.org]\n    services: [smtp]\n    users: [{ name: rose }]\n";
const std::string kExampleDns = "  example.org: { mx: [mx.example.org] }\n";

// The relay session: the one whose client is mail.cesoo.com (the sending MTA).
std::vector<trace::SessionId> mtaSessions(const sim::RunResult& r) {
    std::vector<trace::SessionId> out;
    for (const auto& s : r.trace.sessions())
        if (s.client == "mail.cesoo.com") out.push_back(s.id);
    return out;
}

// The time from the server's greeting to the client's first command in `session`: one round trip.
trace::Micros greetingRoundTrip(const sim::RunResult& r, trace::SessionId session) {
    std::optional<trace::Micros> greeting, hello;
    for (const auto& e : r.trace.events()) {
        if (e.session != session || e.kind != EventKind::Line) continue;
        if (!greeting && e.direction == trace::Direction::ServerToClient) greeting = e.time;
        else if (greeting && !hello && e.direction == trace::Direction::ClientToServer) hello = e.time;
    }
    REQUIRE(greeting);
    REQUIRE(hello);
    return *hello - *greeting;
}

}  // namespace

TEST_CASE("links: the latency of a link applies to the hop between its two hosts only", "[relay][links]") {
    std::string yaml = world(kExampleMx, kExampleDns, kSend + "  - check: { mailbox: rose@example.org, count: 1 }\n");
    yaml.insert(yaml.find("hosts:"), "network: { split: false }\nlinks:\n  - { between: [mail.cesoo.com, mx.example.org], latency: 80ms }\n");
    auto r = run(yaml);
    CHECK(r.ok());
    auto mta = mtaSessions(r);
    REQUIRE(mta.size() == 1);
    CHECK(greetingRoundTrip(r, mta[0]) == 160'000);  // 80 ms each way
    CHECK(greetingRoundTrip(r, 1) == 10'000);         // the user agent's session: the network's 5 ms
}

TEST_CASE("links: segment loss delays, never corrupts; the same seed gives the same trace", "[relay][links]") {
    std::string steps;
    for (int i = 0; i < 3; ++i) steps += kSend;
    steps += "  - check: { mailbox: rose@example.org, count: 3 }\n";
    std::string yaml = world(kExampleMx, kExampleDns, steps);
    yaml.insert(yaml.find("hosts:"), "seed: 11\nlinks:\n  - { between: [mail.cesoo.com, mx.example.org], loss: 0.2 }\n");
    auto r = run(yaml);
    CHECK(r.ok());
    auto lost = eventsOf(r, EventKind::Note, "segment lost");
    CHECK_FALSE(lost.empty());
    for (const auto* e : lost) {
        CHECK(trace::describe(*e, i18n::Lang::En).find("retransmitted after 200") != std::string::npos);
        CHECK(e->as<trace::Explanation>()->numbers.at(2) == 200'000);  // the first timeout, in µs
        CHECK(r.trace.session(e->session)->client == "mail.cesoo.com");  // only on the lossy link
    }
    auto again = run(yaml);
    CHECK(sim::formatJson(again.trace) == sim::formatJson(r.trace));
    std::string other = yaml;
    other.replace(other.find("seed: 11"), 8, "seed: 12");
    CHECK(sim::formatJson(run(other).trace) != sim::formatJson(r.trace));
}

TEST_CASE("loader: links name known hosts (did-you-mean), a latency and a loss below 1", "[relay][links][loader]") {
    auto diag = [](const std::string& yaml) {
        auto r = sim::loadScenario(yaml, "t.yaml");
        REQUIRE_FALSE(r.has_value());
        std::string all;
        for (const auto& d : r.error()) all += d.format(mailsim::i18n::Lang::En) + "\n";
        return all;
    };
    std::string hosts = "hosts:\n  - name: mail.cesoo.com\n  - name: mx.example.org\nsteps:\n  - note: x\n";
    CHECK(diag("title: t\nlinks:\n  - { between: [mail.cesoo.com, mx.exampel.org], latency: 80ms }\n" + hosts)
              .find("no host named 'mx.exampel.org' (did you mean 'mx.example.org'?)") != std::string::npos);
    CHECK(diag("title: t\nlinks:\n  - { between: [mail.cesoo.com], latency: 80ms }\n" + hosts).find("between: [HOST, HOST]") != std::string::npos);
    CHECK(diag("title: t\nlinks:\n  - { between: [mail.cesoo.com, mx.example.org], latency: soon }\n" + hosts).find("duration") != std::string::npos);
    CHECK(diag("title: t\nlinks:\n  - { between: [mail.cesoo.com, mx.example.org], loss: 1 }\n" + hosts).find("probability") != std::string::npos);
    CHECK(diag("title: t\nlinks:\n  - { between: [mail.cesoo.com, mx.example.org], latncy: 8ms }\n" + hosts).find("did you mean 'latency'") != std::string::npos);
    auto ok = sim::loadScenario("title: t\nlinks:\n  - { between: [mail.cesoo.com, mx.example.org], latency: 80ms, loss: 0.05 }\n" + hosts, "t.yaml");
    REQUIRE(ok.has_value());
    REQUIRE(ok->links.size() == 1);
    CHECK(ok->links[0].latency == 80'000);
    CHECK(ok->links[0].loss == 0.05);
}

TEST_CASE("relay STARTTLS: the sending MTA upgrades the hop when the next hop offers STARTTLS", "[relay][tls]") {
    auto r = run(world("  - name: mx.example.org\n    domains: [example.org]\n    services: [smtp]\n"
                       "    tls: { starttls: true }\n    users: [{ name: rose }]\n",
                       kExampleDns, kSend + "  - check: { mailbox: rose@example.org, count: 1 }\n"));
    CHECK(r.ok());
    auto mta = mtaSessions(r);
    REQUIRE(mta.size() == 1);
    int handshakes = 0, tlsLines = 0;
    bool startTls = false;
    for (const auto& e : r.trace.events()) {
        if (e.session != mta[0]) continue;
        if (e.kind == EventKind::TlsHandshake && e.ok) ++handshakes;
        if (e.kind == EventKind::Line && e.text.starts_with("STARTTLS")) startTls = true;
        if (e.kind == EventKind::Line && e.tls && e.text.starts_with("MAIL FROM")) ++tlsLines;
    }
    CHECK(startTls);
    CHECK(handshakes >= 1);
    CHECK(tlsLines == 1);  // the mail transaction ran inside TLS
    // Without STARTTLS on the next hop, the same hop stays in plaintext.
    auto plain = run(world(kExampleMx, kExampleDns, kSend));
    for (const auto& e : plain.trace.events()) CHECK(e.kind != EventKind::TlsHandshake);
}

TEST_CASE("connection reuse: three queued messages for one next hop go over one SMTP session", "[relay][reuse]") {
    // The link of mx.example.org is down while Mike sends three messages: each is deferred. At the first retry after
    // the repair, the MTA connects once and sends all three: three mail transactions, one QUIT.
    std::string steps = "  - fault: { link: mx.example.org, down_for: 10m }\n" + kSend + kSend + kSend +
                        "  - wait: 1h\n  - check: { mailbox: rose@example.org, count: 3 }\n";
    auto r = run(world(kExampleMx, kExampleDns, steps));
    CHECK(r.ok());
    std::vector<trace::SessionId> connected;
    for (auto s : mtaSessions(r))
        for (const auto& e : r.trace.events())
            if (e.session == s && e.kind == EventKind::Line) {
                connected.push_back(s);
                break;
            }
    REQUIRE(connected.size() == 1);  // one session that got as far as the greeting
    int mailFrom = 0, quit = 0, ok250 = 0;
    for (const auto& e : r.trace.events()) {
        if (e.session != connected[0] || e.kind != EventKind::Line) continue;
        if (e.text.starts_with("MAIL FROM")) ++mailFrom;
        if (e.text.starts_with("QUIT")) ++quit;
    }
    (void)ok250;
    CHECK(mailFrom == 3);
    CHECK(quit == 1);
    CHECK(eventsOf(r, EventKind::QueueAction, "ahead of its retry time").size() == 2);
    CHECK(eventsOf(r, EventKind::Note, "3 messages for mx.example.org share this connection").size() == 1);
}

namespace {

// Zhang San (张三@cesoo.com) writes to Rose; `exampleSmtp` configures the next hop's SMTP service.
std::string zhangWorld(const std::string& exampleSmtp, const std::string& checks) {
    return "title: t\nhosts:\n"
           "  - name: mail.cesoo.com\n    domains: [cesoo.com]\n    services: [smtp, submission]\n"
           "    users: [{ name: mike, password: mike123 }, { name: 张三, password: zs123 }]\n"
           "  - name: mx.example.org\n    domains: [example.org]\n    services: [smtp]\n"
           "    users: [{ name: rose }]\n" + exampleSmtp + "  - name: mike-pc\n"
           "dns:\n  cesoo.com: { mx: [mail.cesoo.com] }\n" + kExampleDns +
           "steps:\n"
           "  - mua: { action: send, from: mike-pc, server: mail.cesoo.com, user: 张三@cesoo.com,\n"
           "           sender: 张三@cesoo.com, to: [rose@example.org], subject: 你好, body: 你好，Rose }\n" + checks;
}

}  // namespace

TEST_CASE("relay SMTPUTF8: UTF-8 mail goes with MAIL ... SMTPUTF8 to a next hop that offers it", "[relay][utf8]") {
    auto r = run(zhangWorld("", "  - check: { mailbox: rose@example.org, count: 1, contains: \"Subject: 你好\\r\\n\" }\n"));
    CHECK(r.ok());
    auto mta = mtaSessions(r);
    REQUIRE(mta.size() == 1);
    int smtpUtf8Mail = 0;
    for (const auto& e : r.trace.events())
        if (e.session == mta[0] && e.kind == EventKind::Line && e.text.starts_with("MAIL FROM:<张三@cesoo.com>") &&
            e.text.ends_with(" SMTPUTF8"))
            ++smtpUtf8Mail;
    CHECK(smtpUtf8Mail == 1);
}

TEST_CASE("relay SMTPUTF8: a next hop without SMTPUTF8 gets nothing; the sender gets a 5.6.7 DSN saying why",
          "[relay][utf8][dsn]") {
    // RFC 6531 3.7.5: the relay may not send the message to a server that does not offer SMTPUTF8 (and mailsim does
    // no downgrade); it bounces it. Postfix's wording: "SMTPUTF8 is required, but was not offered by host ...".
    auto r = run(zhangWorld("    smtp: { smtputf8: false }\n",
                            "  - check: { mailbox: rose@example.org, count: 0 }\n"
                            "  - check: { mailbox: 张三@cesoo.com, count: 1, contains: \"Status: 5.6.7\" }\n"
                            "  - check: { mailbox: 张三@cesoo.com, count: 1,\n"
                            "             contains: \"SMTPUTF8 is required, but was not offered by host example.org\" }\n"));
    CHECK(r.ok());
    auto mta = mtaSessions(r);
    REQUIRE(mta.size() == 1);
    for (const auto& e : r.trace.events())
        if (e.session == mta[0] && e.kind == EventKind::Line) CHECK_FALSE(e.text.starts_with("MAIL FROM"));
    // The queue says why it bounced (the MTA's own client records nothing: the server side records the dialogue).
    // (typed: the bounce reason and the next hop; the DSN's own text names the host as it greeted, example.org)
    const auto bounced = eventsOf(r, EventKind::QueueAction,
                                  "bounced for rose@example.org: SMTPUTF8 is required, but was not offered by host "
                                  "mx.example.org");
    REQUIRE(bounced.size() == 1);
    CHECK(bounced[0]->as<trace::QueueAction>()->bounce == trace::BounceReason::NoSmtpUtf8);
    CHECK(trace::describe(*bounced[0], i18n::Lang::Zh).find("需要 SMTPUTF8，但主机 mx.example.org 没有提供") != std::string::npos);
    // Sent at once, not retried: the failure is permanent.
    CHECK(eventsOf(r, EventKind::QueueAction, " deferred: ").empty());
}

TEST_CASE("relay SMTPUTF8: ASCII mail still goes to a next hop without SMTPUTF8", "[relay][utf8]") {
    auto r = run(world("  - name: mx.example.org\n    domains: [example.org]\n    services: [smtp]\n"
                       "    users: [{ name: rose }]\n    smtp: { smtputf8: false }\n",
                       kExampleDns, kSend + "  - check: { mailbox: rose@example.org, count: 1 }\n"));
    CHECK(r.ok());
}
