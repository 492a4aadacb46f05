// The renderers of engine/trace/Render.hpp: typed events become the transcript's English (unchanged wording, which
// lessons and tests quote) and Chinese; protocol lines stay as sent.
#include "trace/Render.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace mailsim;
using i18n::Lang;

namespace {

bool hasCjk(const std::string& s) {
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0xe4 && c <= 0xe9) return true;  // U+4000..U+9FFF in UTF-8
    }
    return false;
}

// One event of each kind with a typed payload, appended to `t` (session 1 is open).
trace::Trace sampleTrace() {
    trace::Trace t;
    const auto sid = t.openSession("smtp", "mike-pc", "mail.cesoo.com:25", 0);
    trace::Recorder rec(&t, sid);
    trace::Recorder world(&t, trace::kNoSession);
    rec.connectionOpened(1, {.client = "mike-pc", .clientEndpoint = {"10.0.0.2", 49152}, .server = "mail.cesoo.com",
                             .serverEndpoint = {"10.0.0.1", 25}});
    rec.line(2, trace::Direction::ServerToClient, trace::LineRole::Reply, "220 cesoo.com ready", "220 cesoo.com ready\r\n");
    rec.storeChanged(3, {.user = "rose@cesoo.com", .folder = "INBOX", .uid = 1, .action = trace::StoreAction::Appended,
                         .size = 24}, trace::kNoCause);
    world.queueAction(4, {.host = "mail.cesoo.com", .action = trace::QueueOp::Deferred, .queueId = "MAIL-1", .attempt = 1,
                          .count = 1, .nextRetry = 4 + 15 * 60'000'000LL, .retryIn = 15 * 60'000'000LL,
                          .reason = "451 try later"});
    world.relayHop(5, {.messageId = "<1@cesoo.com>", .from = "mail.cesoo.com", .to = "mx.example.org",
                       .result = trace::HopResult::Summary, .delivered = 1}, trace::kNoCause);
    world.fault(6, {.kind = trace::FaultKind::HostDown, .host = "mx.example.org", .until = 6 + 7'200'000'000LL,
                    .downFor = 7'200'000'000LL});
    const auto q = world.dnsQuery(7, {"mail.cesoo.com", trace::DnsType::MX, "example.org"}, trace::kNoCause);
    world.dnsAnswer(8, {"mail.cesoo.com", trace::DnsType::MX, "example.org",
                        {{trace::DnsType::MX, 10, "mx.example.org", "10.0.0.3"}}, false, false}, q);
    rec.tlsHandshake(9, true, {.side = trace::TlsSide::Client, .version = "TLSv1.3", .cipher = "TLS_AES_256_GCM_SHA384",
                               .peerSubject = "CN=mail.cesoo.com", .peerIssuer = "CN=mailsim classroom CA",
                               .verified = true});
    rec.handover(10, {"campus bulletin", "board"}, trace::kNoCause);
    rec.connectionClosed(11, trace::CloseReason::ServerClosed);
    world.narration(12, 3, "Rose reads her mail.", "Rose 读取她的邮件。");
    return t;
}

}  // namespace

TEST_CASE("render: English keeps the transcript's wording, built from the typed fields") {
    const trace::Trace t = sampleTrace();
    const std::vector<std::string> expected = {
        "   [smtp connection opened] mike-pc (10.0.0.2:49152) -> mail.cesoo.com (10.0.0.1:25)",
        "S: 220 cesoo.com ready",
        "   [store] rose@cesoo.com INBOX uid 1 appended (24 octets)",
        "   [queue mail.cesoo.com] MAIL-1 deferred: 1 recipient still pending (451 try later); attempt 1 failed, retry "
        "in 15 min (next retry 1970-01-01T00:15:00.000Z)",
        "   [relay hop] <1@cesoo.com>: mail.cesoo.com -> mx.example.org: 1 delivered, 0 refused, 0 deferred",
        "   [fault] mx.example.org goes down for 120 minutes (powered off: its connections are reset, it answers nothing)",
        "   [dns] mail.cesoo.com asks: MX example.org",
        "   [dns] answer: MX 10 mx.example.org (10.0.0.3)",
        "   [tls] client handshake done: TLSv1.3 TLS_AES_256_GCM_SHA384 (certificate CN=mail.cesoo.com, issued by "
        "CN=mailsim classroom CA, verified)",
        "   # gateway: the message leaves the SMTP world here and is handed to the campus bulletin system as a post in board",
        "   [connection closed] the server closed the connection",
        "   # Rose reads her mail.",
    };
    REQUIRE(t.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(trace::renderEvent(t, t.at(i)) == expected[i]);
}

TEST_CASE("render: Chinese for every annotation, protocol lines unchanged") {
    const trace::Trace t = sampleTrace();
    for (const auto& e : t.events()) {
        const std::string zh = trace::renderEvent(t, e, {Lang::Zh});
        INFO(zh);
        if (e.kind == trace::EventKind::Line) {
            CHECK(zh == trace::renderEvent(t, e, {Lang::En}));
        } else {
            CHECK(hasCjk(zh));
        }
    }
    CHECK(trace::renderEvent(t, t.at(2), {Lang::Zh}) == "   [存储] rose@cesoo.com INBOX uid 1 已存入（24 字节）");
    CHECK(trace::renderEvent(t, t.at(11), {Lang::Zh}) == "   # Rose 读取她的邮件。");
}

TEST_CASE("render: every enum value has words in both languages") {
    trace::Trace t;
    trace::Recorder world(&t, trace::kNoSession);
    for (std::size_t i = 0; i < trace::names(trace::QueueOp{}).size(); ++i)
        world.queueAction(0, {.host = "h", .action = static_cast<trace::QueueOp>(i), .queueId = "Q-1", .recipients = {"a@b"}});
    for (std::size_t i = 0; i < trace::names(trace::HopResult{}).size(); ++i)
        world.relayHop(0, {.messageId = "m", .from = "a", .to = "b", .result = static_cast<trace::HopResult>(i), .refused = 1},
                       trace::kNoCause);
    for (std::size_t i = 0; i < trace::names(trace::FaultKind{}).size(); ++i)
        world.fault(0, {.kind = static_cast<trace::FaultKind>(i), .host = "h", .peer = "p"});
    for (std::size_t i = 0; i < trace::names(trace::StoreAction{}).size(); ++i)
        world.storeChanged(0, {.user = "u", .folder = "F", .uid = 1, .action = static_cast<trace::StoreAction>(i)},
                           trace::kNoCause);
    for (std::size_t i = 0; i < trace::names(trace::CloseReason{}).size(); ++i)
        world.connectionClosed(0, static_cast<trace::CloseReason>(i), "x");
    std::set<std::string> en;
    for (const auto& e : t.events()) {
        const std::string body = trace::describe(e, Lang::En), zh = trace::describe(e, Lang::Zh);
        INFO(body);
        CHECK_FALSE(body.empty());
        CHECK(hasCjk(zh));
        CHECK(zh != body);
        en.insert(body);
    }
    CHECK(en.size() == t.size());  // no two values share a sentence
}

TEST_CASE("render: enum names round-trip (the JSON form writes them)") {
    for (std::size_t i = 0; i < trace::names(trace::QueueOp{}).size(); ++i) {
        const auto op = static_cast<trace::QueueOp>(i);
        CHECK(trace::parseEnum<trace::QueueOp>(trace::enumName(op)) == op);
    }
    CHECK_FALSE(trace::parseEnum<trace::FaultKind>("teleported"));
    CHECK(trace::enumName(static_cast<trace::TlsSide>(7)) == "unknown");
}

// A trace that keeps no events (`mailsim serve`'s per connection): the listener sees each event numbered and
// time-ordered exactly as a keeping trace would number it, and nothing stays behind.
TEST_CASE("trace: keepEvents(false) hands every event to the listener with the same ids, and keeps none") {
    std::vector<trace::Event> heard;
    trace::Trace kept, dropped;
    dropped.keepEvents(false);
    CHECK(kept.keepsEvents());
    CHECK_FALSE(dropped.keepsEvents());
    dropped.setListener([&](const trace::Trace&, const trace::Event& e) { heard.push_back(e); });
    for (trace::Trace* t : {&kept, &dropped}) {
        auto sid = t->openSession("imap", "c", "s", 100);
        t->setTls(sid, true);
        trace::Recorder rec(t, sid);
        auto cmd = rec.line(200, trace::Direction::ClientToServer, trace::LineRole::Command, "a FETCH 1:*", "a FETCH 1:*\r\n");
        for (int i = 1; i <= 5; ++i)  // a clock going backwards is clamped in both
            rec.line(300 - i * 10, trace::Direction::ServerToClient, trace::LineRole::Reply, "* FETCH", "* FETCH\r\n", cmd);
    }
    REQUIRE(kept.size() == 6);
    CHECK(dropped.size() == 0);
    CHECK(dropped.events().empty());
    CHECK(dropped.appended() == 6);
    CHECK(kept.appended() == 6);
    REQUIRE(heard.size() == 6);
    for (std::size_t i = 0; i < heard.size(); ++i) {
        CHECK(heard[i].id == kept.at(i).id);
        CHECK(heard[i].time == kept.at(i).time);
        CHECK(heard[i].cause == kept.at(i).cause);
        CHECK(heard[i].tls == kept.at(i).tls);
        CHECK(heard[i].raw == kept.at(i).raw);
    }
    CHECK(heard.back().time == 290);  // clamped to the previous event's time, not 250
    dropped.clear();  // ids start again at 0
    CHECK(dropped.appended() == 0);
    auto sid = dropped.openSession("imap", "c", "s", 400);
    CHECK(trace::Recorder(&dropped, sid).error(10, {.id = trace::ErrorId::TlsUnavailable}) == 0);
    CHECK(heard.back().time == 10);  // no clamp across a clear
}
