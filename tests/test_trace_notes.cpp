// The notes and errors catalogues (engine/trace/Notes.hpp, Errors.hpp) and the Chinese transcript (issue #13, #14):
// every explanation, error and connect failure the engine and the simulator record exists in English and Chinese,
// and `mailsim run --lang zh` prints no English prose outside the wire lines.
#include "sim/world/Api.hpp"
#include "sim/tools/Transcript.hpp"
#include "sim/tools/TraceJson.hpp"
#include "smtp/SmtpClientSession.hpp"
#include "trace/Errors.hpp"
#include "trace/Notes.hpp"
#include "trace/Render.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

using namespace mailsim;
using i18n::Lang;

namespace {

// True when `s` holds a CJK ideograph or full-width punctuation (U+3000-U+9FFF, U+FF00-U+FFEF).
bool hasCjk(std::string_view s) {
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0xe3 || (c >= 0xe4 && c <= 0xe9) || c == 0xef) return true;
    }
    return false;
}

trace::Explanation sample(trace::NoteId id) {
    trace::Explanation x{.id = id, .names = {"alpha", "beta", "gamma", "delta"}, .numbers = {2, 3, 4, 5, 6, 7, 8, 1},
                         .rfc = "RFC 0000 1"};
    x.items.push_back({.name = "rose@cesoo.com", .number = 7, .outcome = trace::Outcome::Accepted, .code = 250,
                       .text = "OK", .fate = trace::Fate::Relayed, .host = "mail.cesoo.com"});
    return x;
}

// The annotation lines of a transcript that read as English prose. A line is an annotation when it is not a wire
// line ("C: ", "S: ") nor a session header; it must hold Chinese, unless it is one of the purely technical renderings
// below. Within a line that holds Chinese, a run of three or more lower-case English words outside quotes and outside
// protocol text (a reply: a 3-digit code or an enhanced status code and its text) is English prose too. Nothing else
// is allowed: connect failures and errors are typed and rendered by the catalogues.
std::vector<std::string> englishAnnotations(const std::string& transcript) {
    // Renderings with no words to translate: a state change whose cause is the command itself is
    // "   [SMTP A -> B]（起因：MAIL）" and holds Chinese already; nothing needs allowing today but a bare separator.
    static const std::regex kTechnical(R"(^\s*(---.*---)?\s*$)");
    static const std::regex kQuoted(R"(“[^”]*”|"[^"]*"|'[^']*')");
    static const std::regex kReply(R"(\b([2-5]\d\d[ -]|[245]\.\d{1,3}\.\d{1,3} )[^（）；]*)");
    static const std::regex kProse(R"(\b[a-z]{2,}([\s,:]+[a-z]{2,}){2,}\b)");
    std::vector<std::string> bad;
    std::istringstream in(transcript);
    for (std::string line; std::getline(in, line);) {
        std::string_view body = line;
        // "12:00:00.000  " with --times is not used here; the wire lines:
        if (body.starts_with("C: ") || body.starts_with("S: ")) continue;
        if (std::regex_match(line, kTechnical)) continue;
        if (!hasCjk(line)) {
            bad.push_back(line);
            continue;
        }
        std::string stripped = std::regex_replace(std::regex_replace(line, kQuoted, ""), kReply, "");
        if (std::regex_search(stripped, kProse)) bad.push_back(line);
    }
    return bad;
}

}  // namespace

TEST_CASE("every note of the catalogue renders in English and Chinese", "[notes][i18n]") {
    const auto ids = trace::names(trace::NoteId{});
    REQUIRE(trace::noteCount() == ids.size());  // the catalogue has an entry per id, in order
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto id = static_cast<trace::NoteId>(i);
        INFO(ids[i]);
        const auto x = sample(id);
        const std::string en = trace::explain(x, Lang::En);
        const std::string zh = trace::explain(x, Lang::Zh);
        CHECK(!en.empty());
        CHECK(!hasCjk(en));
        CHECK(!zh.empty());
        CHECK(zh != en);
        CHECK(hasCjk(zh));
        if (!x.rfc.empty() && en.find(x.rfc) != std::string::npos) CHECK(zh.find(x.rfc) != std::string::npos);
        // A short explanation (from a JSON trace that lost its arguments) renders without crashing.
        const trace::Explanation bare{.id = id};
        CHECK(!trace::explain(bare, Lang::En).empty());
        CHECK(!trace::explain(bare, Lang::Zh).empty());
    }
    // The RFC citation is data, and both languages cite it.
    const trace::Explanation tls{.id = trace::NoteId::StartTlsAccepted, .names = {"STARTTLS"}, .rfc = "RFC 3207 4"};
    CHECK(trace::explain(tls, Lang::En) ==
          "STARTTLS accepted: the next bytes on this connection are the TLS handshake (RFC 3207 4)");
    CHECK(trace::explain(tls, Lang::Zh) == "STARTTLS 已接受：这条连接上接下来的字节就是 TLS 握手（RFC 3207 4）");
    // English plurals follow the numbers; the client's problem is appended in both languages.
    trace::Explanation fetched{.id = trace::NoteId::UaFetchedKeep, .numbers = {1, 120, 1}, .detail = "timeout"};
    CHECK(trace::explain(fetched, Lang::En) == "the user agent fetched 1 message (120 octets) in keep mode; it now "
                                               "remembers 1 unique id for next time; problem: timeout");
    CHECK(trace::explain(fetched, Lang::Zh).ends_with("；问题：timeout"));
}

TEST_CASE("an explanation is a Note whose words come from the renderer, in both languages", "[notes][render]") {
    trace::Trace tr;
    const auto sid = tr.openSession("smtp", "mike-pc", "mail.cesoo.com:25", 0);
    trace::Recorder rec(&tr, sid);
    const auto id = rec.explain(5, {.id = trace::NoteId::AuthOk, .names = {"mike@cesoo.com"}});
    const trace::Event& e = tr.at(id);
    CHECK(e.kind == trace::EventKind::Note);
    CHECK(e.text.empty());  // no sentence in the event: the facts only
    REQUIRE(e.as<trace::Explanation>());
    CHECK(trace::renderEvent(tr, e, {Lang::En}) ==
          "   # AUTH: logged in as mike@cesoo.com; this session may now relay to other domains");
    CHECK(trace::renderEvent(tr, e, {Lang::Zh}) == "   # AUTH：已作为 mike@cesoo.com 登录；本会话现在可以向其他域中继邮件");
    CHECK(trace::shortLabel(e, Lang::Zh) == trace::describe(e, Lang::Zh));
}

TEST_CASE("an explanation survives the JSON form (schema 1.1)", "[notes][json]") {
    trace::Explanation x = sample(trace::NoteId::UaSent);
    x.detail = "connection lost";
    trace::Payload written = x;
    std::string json = "{\"x\":0";
    sim::appendPayloadJson(json, written);
    json += "}";
    const YAML::Node node = YAML::Load(json);
    trace::Payload read;
    std::string error;
    REQUIRE(sim::readPayloadJson(node["data"], trace::EventKind::Note, read, error));
    REQUIRE(std::get_if<trace::Explanation>(&read));
    const auto& back = std::get<trace::Explanation>(read);
    CHECK(back.id == x.id);
    CHECK(back.names == x.names);
    CHECK(back.numbers == x.numbers);
    CHECK(back.rfc == x.rfc);
    CHECK(back.detail == x.detail);
    REQUIRE(back.items.size() == 1);
    CHECK(back.items[0].fate == trace::Fate::Relayed);
    CHECK(trace::explain(back, Lang::Zh) == trace::explain(x, Lang::Zh));
    // A 1.0 note (scenario narration) still reads as narration.
    const YAML::Node old = YAML::Load(R"({"step": 3, "zh": "你好"})");
    REQUIRE(sim::readPayloadJson(old, trace::EventKind::Note, read, error));
    REQUIRE(std::get_if<trace::Narration>(&read));
    CHECK(std::get<trace::Narration>(read).zh == "你好");
    // An unknown note id is refused with the field named.
    const YAML::Node wrong = YAML::Load(R"({"note": "made-up"})");
    error.clear();
    CHECK_FALSE(sim::readPayloadJson(wrong, trace::EventKind::Note, read, error));
    CHECK(error.find("'note'") != std::string::npos);
}

TEST_CASE("the English-prose check catches an English annotation", "[notes][dialogue]") {
    trace::Trace tr;
    trace::Recorder scenario(&tr, trace::kNoSession);
    scenario.narration(0, 0, "Mike connects to port 25 and types SMTP by hand.", "Mike 连到 25 端口，手工输入 SMTP 命令。");
    scenario.explain(1, {.id = trace::NoteId::DnsMx, .names = {"cesoo.com", "mail.cesoo.com", "10.0.0.1"}});
    const auto sid = tr.openSession("smtp", "mike-pc", "mail.cesoo.com:25", 2);
    trace::Recorder rec(&tr, sid);
    rec.line(3, trace::Direction::ServerToClient, trace::LineRole::Reply, "220 mail.cesoo.com ready to serve you",
             "220 mail.cesoo.com ready to serve you\r\n");
    sim::TranscriptOptions zh;
    zh.lang = Lang::Zh;
    CHECK(englishAnnotations(sim::formatTranscript(tr, zh)).empty());  // wire lines may be English

    // A scenario note without Chinese, an English error (as a 1.1 trace has it: text only) and a note with an English
    // tail are caught.
    scenario.narration(4, 1, "the server now accepts the message");
    trace::Event untyped;
    untyped.time = 5;
    untyped.session = sid;
    untyped.kind = trace::EventKind::Error;
    untyped.ok = false;
    untyped.text = "delivery to rose failed: disk full";
    tr.append(untyped);
    trace::Trace mixed;
    trace::Recorder m(&mixed, trace::kNoSession);
    m.narration(0, 0, "x", "服务器接受了邮件, but the queue is still waiting for the next hop");
    const auto bad = englishAnnotations(sim::formatTranscript(tr, zh));
    REQUIRE(bad.size() == 2);
    CHECK(bad[0] == "   # the server now accepts the message");
    CHECK(bad[1] == "   !! delivery to rose failed: disk full");
    CHECK(englishAnnotations(sim::formatTranscript(mixed, zh)).size() == 1);
    // ... while the same trace in English is, of course, all English.
    CHECK(englishAnnotations(sim::formatTranscript(tr, {})).size() >= 3);
}

TEST_CASE("every shipped scenario's transcript in Chinese has no English annotation", "[notes][dialogue][scenario]") {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(MAILSIM_SOURCE_DIR) / "scenarios"))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 27);
    std::size_t explanations = 0;
    for (const auto& path : files) {
        INFO(path.filename().string());
        auto run = sim::runScenarioFile(path.string());
        if (!run) continue;  // a network file for include:, not a scenario
        for (const auto& e : run->trace.events()) explanations += e.as<trace::Explanation>() != nullptr;
        sim::TranscriptOptions zh;
        zh.lang = Lang::Zh;
        for (const auto& line : englishAnnotations(sim::formatTranscript(run->trace, zh))) FAIL_CHECK(line);
    }
    CHECK(explanations > 20);  // the scenarios do exercise the catalogue
}

namespace {

// `zh` without the arguments it was given (they are data: names, hosts, the lower layer's words, the RFC cited).
std::string withoutArguments(std::string zh, const std::vector<std::string>& arguments) {
    for (const auto& a : arguments)
        for (auto at = zh.find(a); !a.empty() && at != std::string::npos; at = zh.find(a)) zh.erase(at, a.size());
    return zh;
}

// A Chinese sentence holds no English words of its own: no lower-case ASCII word (protocol tokens such as STARTTLS,
// UID, INBOX and IMAP are upper case).
bool hasEnglishWords(const std::string& s) {
    static const std::regex kWord("[a-z]{2,}");
    return std::regex_search(s, kWord);
}

}  // namespace

TEST_CASE("every error of the catalogue renders in English and Chinese", "[notes][errors][i18n]") {
    const auto ids = trace::names(trace::ErrorId{});
    REQUIRE(trace::errorCount() == ids.size());  // the catalogue has an entry per id, in order
    for (std::size_t i = 0; i < ids.size(); ++i) {
        INFO(ids[i]);
        const trace::ErrorReport r{.id = static_cast<trace::ErrorId>(i), .names = {"alpha", "beta", "gamma"},
                                   .numbers = {7}, .rfc = "RFC 0000 1", .detail = "no space left on device"};
        const std::string en = trace::errorText(r, Lang::En);
        const std::string zh = trace::errorText(r, Lang::Zh);
        INFO(en << " / " << zh);
        CHECK(!en.empty());
        CHECK(!hasCjk(en));
        CHECK(hasCjk(zh));
        CHECK(zh != en);
        CHECK_FALSE(hasEnglishWords(withoutArguments(zh, {"alpha", "beta", "gamma", "RFC 0000 1", r.detail})));
        // The lower layer's words are shown as given, in both languages, when the sentence uses them.
        if (en.find(r.detail) != std::string::npos) CHECK(zh.find(r.detail) != std::string::npos);
        if (en.find(r.rfc) != std::string::npos) CHECK(zh.find(r.rfc) != std::string::npos);
        // A short report (from a JSON trace that lost its arguments) renders without crashing.
        const trace::ErrorReport bare{.id = r.id};
        CHECK(!trace::errorText(bare, Lang::En).empty());
        CHECK(!trace::errorText(bare, Lang::Zh).empty());
    }
    // The English wording of the old free-text errors is kept (tests and lessons quote it).
    CHECK(trace::errorText({.id = trace::ErrorId::TlsWithoutStartTls, .names = {"STARTTLS"}}, Lang::En) ==
          "TLS established without a pending STARTTLS");
    CHECK(trace::errorText({.id = trace::ErrorId::NotAReply, .names = {"SMTP"}, .rfc = "RFC 5321 4.2", .detail = "hello"},
                           Lang::En) == "the client received a line that is not an SMTP reply (RFC 5321 4.2): \"hello\"");
    CHECK(trace::errorText({.id = trace::ErrorId::DeliveryFailed, .names = {"rose"}, .detail = "disk full"}, Lang::Zh) ==
          "投递到 rose 失败：disk full");
    CHECK(trace::errorText({.id = trace::ErrorId::ImapClientRefused, .names = {"LOGIN"}, .detail = "NO [AUTH] no"},
                           Lang::Zh) == "IMAP 客户端：LOGIN 被拒绝：“NO [AUTH] no”");
}

TEST_CASE("every connect failure renders in English and Chinese", "[notes][errors][i18n][relay]") {
    const auto values = trace::names(trace::ConnectFailure{});
    for (std::size_t i = 1; i < values.size(); ++i) {  // None renders the detail alone (a 1.x trace's text)
        INFO(values[i]);
        const auto f = static_cast<trace::ConnectFailure>(i);
        const std::string en = trace::connectFailureText(f, "mx.example.org", "Connection refused", Lang::En);
        const std::string zh = trace::connectFailureText(f, "mx.example.org", "Connection refused", Lang::Zh);
        INFO(en << " / " << zh);
        CHECK(!en.empty());
        CHECK(!hasCjk(en));
        CHECK(hasCjk(zh));
        CHECK_FALSE(hasEnglishWords(withoutArguments(zh, {"mx.example.org", "Connection refused"})));
    }
    CHECK(trace::connectFailureText(trace::ConnectFailure::None, "", "as written", Lang::Zh) == "as written");
    CHECK(trace::connectFailureText(trace::ConnectFailure::HostDown, "mx", "", Lang::En) ==
          "mx is down: no answer, connection timed out");
}

TEST_CASE("an error and a connect failure survive the JSON form (schema 1.2)", "[notes][errors][json]") {
    const trace::ErrorReport x{.id = trace::ErrorId::ImapStoreFailed, .names = {"INBOX"}, .numbers = {4},
                               .detail = "read-only"};
    std::string json = "{\"x\":0";
    sim::appendPayloadJson(json, trace::Payload{x});
    json += "}";
    trace::Payload read;
    std::string error;
    REQUIRE(sim::readPayloadJson(YAML::Load(json)["data"], trace::EventKind::Error, read, error));
    REQUIRE(std::get_if<trace::ErrorReport>(&read));
    const auto& back = std::get<trace::ErrorReport>(read);
    CHECK(back.id == x.id);
    CHECK(back.names == x.names);
    CHECK(back.numbers == x.numbers);
    CHECK(back.detail == x.detail);
    // A 1.1 error has no data: it stays text only.
    read = std::monostate{};
    REQUIRE(sim::readPayloadJson(YAML::Node(), trace::EventKind::Error, read, error));
    CHECK(std::holds_alternative<std::monostate>(read));
    // An unknown error id is refused with the field named.
    error.clear();
    CHECK_FALSE(sim::readPayloadJson(YAML::Load(R"({"error": "made-up"})"), trace::EventKind::Error, read, error));
    CHECK(error.find("'error'") != std::string::npos);

    trace::RelayHop hop{.messageId = "<1@cesoo.com>", .from = "mail.cesoo.com", .to = "mx.example.org",
                        .result = trace::HopResult::ConnectFailed, .failure = trace::ConnectFailure::LinkDown,
                        .failureHost = "mail.cesoo.com"};
    json = "{\"x\":0";
    sim::appendPayloadJson(json, trace::Payload{hop});
    json += "}";
    error.clear();
    REQUIRE(sim::readPayloadJson(YAML::Load(json)["data"], trace::EventKind::RelayHop, read, error));
    REQUIRE(std::get_if<trace::RelayHop>(&read));
    CHECK(std::get<trace::RelayHop>(read).failure == trace::ConnectFailure::LinkDown);
    CHECK(std::get<trace::RelayHop>(read).failureHost == "mail.cesoo.com");
    // A 1.1 hop (reason as text, no failure) reads with failure none and renders its reason.
    REQUIRE(sim::readPayloadJson(YAML::Load(R"({"result": "connect-failed", "to": "mx", "reason": "mx is gone"})"),
                                 trace::EventKind::RelayHop, read, error));
    trace::Event old;
    old.kind = trace::EventKind::RelayHop;
    old.payload = read;
    CHECK(std::get<trace::RelayHop>(read).failure == trace::ConnectFailure::None);
    CHECK(trace::describe(old, Lang::En).ends_with("connection failed: mx is gone"));
}

TEST_CASE("a relay with a host down and a link down reads in Chinese", "[notes][dialogue][relay]") {
    const std::string yaml = R"(title: { en: faults, zh: 故障 }
hosts:
  - name: mail.cesoo.com
    domains: [cesoo.com]
    services: [smtp, submission]
    users: [{ name: mike, password: mike123 }]
  - name: mx1.example.org
    domains: [example.org]
    services: [smtp]
    users: [{ name: rose, password: rose123 }]
  - name: mx2.example.org
    services: [smtp]
    smtp: { relay_domains: [example.org] }
  - name: mike-pc
dns:
  cesoo.com: { mx: [mail.cesoo.com] }
  example.org:
    mx:
      - { host: mx1.example.org, preference: 10 }
      - { host: mx2.example.org, preference: 20 }
steps:
  - fault: { host: mx1.example.org, down_for: 1h }
  - fault: { link: mx2.example.org, down_for: 30m }
  - mua:
      action: send
      from: mike-pc
      server: mail.cesoo.com
      user: mike@cesoo.com
      sender: mike@cesoo.com
      to: [rose@example.org]
      subject: Both down
      body: "Nobody answers."
  - wait: 3h
)";
    auto run = sim::runScenarioText(yaml, "faults.yaml");
    REQUIRE(run);
    // The facts: both failures are typed, with the host each concerns.
    std::size_t hostDown = 0, linkDown = 0, deferred = 0;
    for (const auto& e : run->trace.events()) {
        if (const auto* h = e.as<trace::RelayHop>(); h && h->result == trace::HopResult::ConnectFailed) {
            CHECK(h->reason.empty());  // no sentence in the event
            hostDown += h->failure == trace::ConnectFailure::HostDown && h->failureHost == "mx1.example.org";
            linkDown += h->failure == trace::ConnectFailure::LinkDown && h->failureHost == "mx2.example.org";
        }
        const auto* q = e.as<trace::QueueAction>();
        if (q && q->action == trace::QueueOp::Deferred && q->host == "mail.cesoo.com") {
            CHECK(q->failure == trace::ConnectFailure::LinkDown);  // the last MX tried was mx2
            CHECK(q->failureHost == "mx2.example.org");
            CHECK(q->reason.empty());
            ++deferred;
        }
    }
    CHECK(hostDown >= 1);
    CHECK(linkDown >= 1);
    CHECK(deferred >= 1);
    // The words: the relay and queue lines of the Chinese transcript are Chinese, with no English prose.
    sim::TranscriptOptions zh;
    zh.lang = Lang::Zh;
    const std::string transcript = sim::formatTranscript(run->trace, zh);
    CHECK(englishAnnotations(transcript).empty());
    for (const auto& line : englishAnnotations(transcript)) FAIL_CHECK(line);
    CHECK(transcript.find("连接失败：mx1.example.org 已宕机：没有应答，连接超时") != std::string::npos);
    CHECK(transcript.find("连接失败：mx2.example.org 的网络链路中断：连接超时") != std::string::npos);
    CHECK(transcript.find("（mx2.example.org 的网络链路中断：连接超时）") != std::string::npos);  // the deferral
    // ... and the English transcript keeps its wording.
    const std::string en = sim::formatTranscript(run->trace, {});
    CHECK(en.find("connection failed: mx1.example.org is down: no answer, connection timed out") != std::string::npos);
    CHECK(en.find("(the network link of mx2.example.org is down: connection timed out)") != std::string::npos);
}

TEST_CASE("an SMTP user agent that fails recipients on its own account says why in Chinese", "[notes][dialogue][errors]") {
    // No server reply decides these: the client quits because STARTTLS is not offered, or because AUTH is not.
    const std::string yaml = R"(title: { en: client reasons, zh: 客户端自己的原因 }
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose, password: rose123 }] }
  - { name: pc }
steps:
  - mua: { action: send, from: pc, server: mx, sender: mike@cesoo.com, tls: starttls, to: [rose@cesoo.com],
           subject: sealed, body: hi }
  - mua: { action: send, from: pc, server: "mx:25", sender: mike@cesoo.com, user: rose@cesoo.com, password: rose123,
           to: [rose@cesoo.com], subject: login, body: hi }
)";
    auto run = sim::runScenarioText(yaml, "client-reasons.yaml");
    REQUIRE(run);
    // The facts: each recipient's item carries the typed reason, and its text no English sentence.
    std::vector<trace::ClientReason> reasons;
    for (const auto& e : run->trace.events())
        if (const auto* x = e.as<trace::Explanation>(); x && x->id == trace::NoteId::UaSent)
            for (const auto& item : x->items) {
                reasons.push_back(item.reason);
                CHECK(item.text.empty());
            }
    CHECK(reasons == std::vector<trace::ClientReason>{trace::ClientReason::StartTlsNotOffered, trace::ClientReason::NoAuth});
    sim::TranscriptOptions zh;
    zh.lang = Lang::Zh;
    const std::string transcript = sim::formatTranscript(run->trace, zh);
    for (const auto& line : englishAnnotations(transcript)) FAIL_CHECK(line);
    CHECK(transcript.find("rose@cesoo.com：推迟（服务器没有提供 STARTTLS，客户端拒绝以明文继续）") != std::string::npos);
    CHECK(transcript.find("rose@cesoo.com：被拒绝（服务器没有提供 AUTH（RFC 4954），客户端无法登录）") != std::string::npos);
    const std::string en = sim::formatTranscript(run->trace, {});
    CHECK(en.find("rose@cesoo.com: deferred (server does not offer STARTTLS; refusing to continue in plaintext)") !=
          std::string::npos);
    // Every reason has both languages, and the English is the DSN's wording.
    for (std::size_t i = 1; i < trace::names(trace::ClientReason{}).size(); ++i) {
        const auto reason = static_cast<trace::ClientReason>(i);
        INFO(trace::enumName(reason));
        CHECK(trace::clientReasonText(reason, "x.example", Lang::En) == smtp::clientReasonWords(reason, "x.example"));
        const std::string z = trace::clientReasonText(reason, "x.example", Lang::Zh);
        CHECK(z != trace::clientReasonText(reason, "x.example", Lang::En));
        CHECK(std::ranges::any_of(z, [](char c) {  // holds Chinese: a UTF-8 lead byte of U+4000..U+9FFF
            const auto u = static_cast<unsigned char>(c);
            return u >= 0xE4 && u <= 0xE9;
        }));
    }
    // A relay hop and a queue deferral the client decided itself render the reason, and keep it through JSON.
    trace::Event hop;
    hop.kind = trace::EventKind::RelayHop;
    hop.payload = trace::RelayHop{.from = "mail.cesoo.com", .to = "mx.example.org", .deferred = 1,
                                  .clientReason = trace::ClientReason::ClosedEarly};
    CHECK(trace::describe(hop, Lang::Zh).find("推迟（服务器确认之前连接就关闭了）") != std::string::npos);
    CHECK(trace::describe(hop, Lang::En).find("deferred (connection closed before the server confirmed)") !=
          std::string::npos);
    trace::Event queued;
    queued.kind = trace::EventKind::QueueAction;
    queued.payload = trace::QueueAction{.host = "mail.cesoo.com", .action = trace::QueueOp::Deferred, .queueId = "Q-1",
                                        .attempt = 1, .count = 1, .nextRetry = 60'000'000, .retryIn = 60'000'000,
                                        .reason = "451 busy", .clientReason = trace::ClientReason::NotAReply};
    CHECK(trace::describe(queued, Lang::Zh).find("服务器的应答不是 SMTP 应答：451 busy") != std::string::npos);
    std::string json = "{\"x\":0";
    sim::appendPayloadJson(json, queued.payload);
    json += "}";
    trace::Payload read;
    std::string error;
    REQUIRE(sim::readPayloadJson(YAML::Load(json)["data"], trace::EventKind::QueueAction, read, error));
    CHECK(std::get<trace::QueueAction>(read).clientReason == trace::ClientReason::NotAReply);
}

TEST_CASE("user agents whose server refuses them say why in Chinese", "[notes][dialogue][errors]") {
    const std::string yaml = R"(title: { en: refused, zh: 被拒绝 }
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp, pop3, imap], users: [{ name: rose, password: rose123 }] }
  - { name: pc }
steps:
  - mua: { action: pop3-fetch, from: pc, server: mx, user: rose@cesoo.com, password: wrong }
  - mua: { action: imap-summary, from: pc, server: mx, user: rose@cesoo.com, password: wrong }
)";
    auto run = sim::runScenarioText(yaml, "refused.yaml");
    REQUIRE(run);
    // The facts: each agent's problem is an Error event of its session with a typed report; the notes carry no words.
    std::vector<trace::ErrorId> errors;
    for (const auto& e : run->trace.events()) {
        if (const auto* r = e.as<trace::ErrorReport>()) errors.push_back(r->id);
        if (const auto* x = e.as<trace::Explanation>()) CHECK(x->detail.empty());
    }
    CHECK(errors == std::vector<trace::ErrorId>{trace::ErrorId::Pop3ClientLoginRefused, trace::ErrorId::ImapClientRefused});
    // The words: Chinese, with the server's own words as received.
    sim::TranscriptOptions zh;
    zh.lang = Lang::Zh;
    const std::string transcript = sim::formatTranscript(run->trace, zh);
    for (const auto& line : englishAnnotations(transcript)) FAIL_CHECK(line);
    CHECK(transcript.find("!! 登录被拒绝：“[AUTH] ") != std::string::npos);
    CHECK(transcript.find("!! IMAP 客户端：LOGIN 被拒绝：“c1 NO [AUTHENTICATIONFAILED] ") != std::string::npos);
    CHECK(transcript.find("[pop3-client PASS -> QUIT]（起因：-ERR）") != std::string::npos);
    CHECK(transcript.find("[imap-client LOGIN -> DONE]（起因：NO）") != std::string::npos);
    const std::string en = sim::formatTranscript(run->trace, {});
    CHECK(en.find("!! login refused: ") != std::string::npos);
    CHECK(en.find("!! imap client: LOGIN refused: ") != std::string::npos);
}

TEST_CASE("every expectation kind and reason renders in English and Chinese", "[notes][expect][i18n]") {
    using trace::ExpectKind;
    using trace::ExpectReason;
    const trace::ErrorReport refused{.id = trace::ErrorId::ImapClientRefused, .names = {"CREATE"}, .detail = "NO exists"};
    const trace::NoteItem item{.name = "rose@cesoo.com", .outcome = trace::Outcome::Refused, .code = 550,
                               .text = "5.1.1 no such user"};
    // One check of each kind, and the English the runner has always written for it (scenario tests quote it).
    struct Case {
        trace::ExpectationCheck c;
        std::string expectedEn, gotEn;
    };
    const std::vector<Case> cases{
        {{.kind = ExpectKind::Reply, .code = 250, .contains = "OK", .reply = "550 5.1.1 no"}, "250 containing \"OK\"",
         "550 5.1.1 no"},
        {{.kind = ExpectKind::Reply, .klass = 2}, "2xx", ""},
        {{.kind = ExpectKind::Reply, .status = "+OK"}, "+OK", ""},
        {{.kind = ExpectKind::Reply}, "any reply", ""},
        {{.kind = ExpectKind::Recipient, .name = "rose@cesoo.com", .outcome = trace::Outcome::Accepted,
          .recipient = {item}},
         "rose@cesoo.com accepted", "rose@cesoo.com refused (550 5.1.1 no such user)"},
        {{.kind = ExpectKind::Fetched, .count = 1, .gotCount = 0, .detail = "-ERR [AUTH] bad"}, "1 message fetched",
         "0 messages fetched (-ERR [AUTH] bad)"},
        {{.kind = ExpectKind::ImapCount, .name = "found", .count = 2, .gotCount = 3}, "found 2", "found 3"},
        {{.kind = ExpectKind::FolderAction, .flag = true, .gotFlag = false, .problem = {refused}}, "accepted",
         "refused (imap client: CREATE refused: NO exists)"},
        {{.kind = ExpectKind::Mailbox, .contains = "hello", .name = "rose@cesoo.com", .folder = "INBOX", .count = 1},
         "1 message in rose@cesoo.com INBOX containing \"hello\"", "0 messages in rose@cesoo.com INBOX, none containing \"hello\""},
        {{.kind = ExpectKind::Mailbox, .name = "rose@cesoo.com", .folder = "INBOX", .gotCount = 2, .gotFlag = true},
         "a message in rose@cesoo.com INBOX", "2 messages in rose@cesoo.com INBOX"},
    };
    std::set<ExpectKind> kinds;
    const std::vector<std::string> data{"rose@cesoo.com", "INBOX", "hello", "OK", "+OK", "550 5.1.1 no such user",
                                        "-ERR [AUTH] bad", "NO exists", "CREATE", "5.1.1 no such user"};
    for (const auto& [c, expectedEn, gotEn] : cases) {
        INFO(expectedEn << " / " << gotEn);
        kinds.insert(c.kind);
        CHECK(trace::expectedText(c, Lang::En) == expectedEn);
        if (!gotEn.empty()) CHECK(trace::gotText(c, Lang::En) == gotEn);
        const std::string zhExpected = trace::expectedText(c, Lang::Zh);
        INFO(zhExpected << " / " << trace::gotText(c, Lang::Zh));
        if (c.kind != ExpectKind::Reply || (c.code == 0 && c.klass == 0 && c.status.empty())) {
            CHECK(hasCjk(zhExpected));  // a bare code or status is protocol text in both languages
            CHECK_FALSE(hasEnglishWords(withoutArguments(zhExpected, data)));
        }
        if (c.kind != ExpectKind::Reply) {
            const std::string zhGot = trace::gotText(c, Lang::Zh);
            CHECK(hasCjk(zhGot));
            CHECK_FALSE(hasEnglishWords(withoutArguments(zhGot, data)));
        }
    }
    CHECK(kinds.size() == trace::names(ExpectKind{}).size());
    // Every reason a script line saw no reply, in both languages; a reply itself stays as received.
    const auto reasons = trace::names(ExpectReason{});
    for (std::size_t i = 1; i < reasons.size(); ++i) {
        INFO(reasons[i]);
        const trace::ExpectationCheck c{.kind = ExpectKind::Reply, .code = 250,
                                        .reason = static_cast<ExpectReason>(i),
                                        .failure = trace::ConnectFailure::HostDown, .failureHost = "mx.example.org",
                                        .detail = "alert handshake failure"};
        const std::string en = trace::gotText(c, Lang::En), zh = trace::gotText(c, Lang::Zh);
        INFO(en << " / " << zh);
        CHECK(!en.empty());
        CHECK(!hasCjk(en));
        CHECK(hasCjk(zh));
        CHECK_FALSE(hasEnglishWords(withoutArguments(zh, {"mx.example.org", "alert handshake failure"})));
    }
    const trace::ExpectationCheck reply{.kind = ExpectKind::Reply, .code = 250, .reply = "550 5.1.1 no such user"};
    CHECK(trace::gotText(reply, Lang::Zh) == "550 5.1.1 no such user");
    CHECK(trace::expectedText({.kind = ExpectKind::Reply, .code = 250, .contains = "OK"}, Lang::Zh) == "250（应包含“OK”）");
}

TEST_CASE("an expectation survives the JSON form (schema 1.3); a 1.2 one keeps its text", "[notes][expect][json]") {
    const trace::ExpectationCheck x{.kind = trace::ExpectKind::Recipient, .name = "rose@cesoo.com",
                                    .outcome = trace::Outcome::Deferred,
                                    .recipient = {{.name = "rose@cesoo.com", .outcome = trace::Outcome::Refused,
                                                   .code = 550, .text = "no"}}};
    std::string json = "{\"x\":0";
    sim::appendPayloadJson(json, trace::Payload{x});
    json += "}";
    trace::Payload read;
    std::string error;
    REQUIRE(sim::readPayloadJson(YAML::Load(json)["data"], trace::EventKind::Expectation, read, error));
    REQUIRE(std::get_if<trace::ExpectationCheck>(&read));
    const auto& back = std::get<trace::ExpectationCheck>(read);
    CHECK(back.kind == x.kind);
    CHECK(back.name == x.name);
    CHECK(back.outcome == trace::Outcome::Deferred);
    REQUIRE(back.recipient.size() == 1);
    CHECK(back.recipient[0].code == 550);
    CHECK(trace::gotText(back, Lang::Zh) == "rose@cesoo.com 被拒绝（550 no）");
    // A count of 0 is a count (optional), not "no count".
    const trace::ExpectationCheck zero{.kind = trace::ExpectKind::Fetched, .count = 0, .gotCount = 1};
    json = "{\"x\":0";
    sim::appendPayloadJson(json, trace::Payload{zero});
    json += "}";
    REQUIRE(sim::readPayloadJson(YAML::Load(json)["data"], trace::EventKind::Expectation, read, error));
    CHECK(std::get<trace::ExpectationCheck>(read).count == std::optional<std::uint64_t>(0));
    // A 1.2 expectation has no data: the readers show its English text and detail.
    read = std::monostate{};
    REQUIRE(sim::readPayloadJson(YAML::Node(), trace::EventKind::Expectation, read, error));
    trace::Event old;
    old.kind = trace::EventKind::Expectation;
    old.ok = false;
    old.text = "250";
    old.detail = "550 no";
    old.payload = read;
    CHECK(trace::expectedText(old, Lang::Zh) == "250");
    CHECK(trace::gotText(old, Lang::Zh) == "550 no");
    error.clear();
    CHECK_FALSE(sim::readPayloadJson(YAML::Load(R"({"expect": "made-up"})"), trace::EventKind::Expectation, read, error));
    CHECK(error.find("'expect'") != std::string::npos);
}

TEST_CASE("failed expectations read in Chinese in the transcript, with their place", "[notes][expect][dialogue]") {
    const std::string yaml = R"(title: { en: checks, zh: 检查 }
hosts:
  - name: mail.cesoo.com
    domains: [cesoo.com]
    services: [smtp, pop3]
    users: [{ name: rose, password: rose123 }]
  - name: mike-pc
steps:
  - session: { from: mike-pc, to: "mail.cesoo.com:25" }
    script:
      - { expect: 220 }
      - { send: "HELO mike-pc", expect: 250 }
      - { send: "MAIL FROM:<mike@cesoo.com>", expect: 2xx }
      - { send: "RCPT TO:<nobody@cesoo.com>", expect: 250 }
      - { send: "QUIT", expect: 221 }
      - { expect: 250 }
  - mua:
      action: send
      from: mike-pc
      server: mail.cesoo.com
      sender: mike@cesoo.com
      to: [nobody@cesoo.com]
      subject: hi
      body: hello
      expect: { nobody@cesoo.com: accepted }
  - check: { mailbox: rose@cesoo.com, count: 1, contains: hello }
  - mua: { action: pop3-fetch, from: mike-pc, server: mail.cesoo.com, user: rose@cesoo.com, expect: { fetched: 2 } }
)";
    auto run = sim::runScenarioText(yaml, "checks.yaml");
    REQUIRE(run);
    REQUIRE(run->failures.size() == 5);
    CHECK(run->failures[0].expected == "250");  // the English of the event, as before 1.3
    CHECK(run->failures[0].got.starts_with("550 "));
    CHECK(run->failures[0].where == "step 1, script line 4 (checks.yaml:14:9)");
    CHECK(run->failures[0].place.text(Lang::Zh) == "第 1 步，脚本第 4 行（checks.yaml:14:9）");
    CHECK(run->failures[1].got == "the server closed the connection");
    CHECK(run->failures[2].expected == "nobody@cesoo.com accepted");
    CHECK(run->failures[3].got == "0 messages in rose@cesoo.com INBOX, none containing \"hello\"");
    CHECK(run->failures[4].expected == "2 messages fetched");
    for (const auto& f : run->failures) {
        const trace::Event& e = run->trace.at(f.event);
        REQUIRE(e.as<trace::ExpectationCheck>());
        CHECK(trace::expectedText(e, Lang::En) == f.expected);
        CHECK(trace::gotText(e, Lang::En) == f.got);
    }
    sim::TranscriptOptions zh;
    zh.lang = Lang::Zh;
    const std::string transcript = sim::formatTranscript(run->trace, zh);
    for (const auto& line : englishAnnotations(transcript)) FAIL_CHECK(line);
    std::size_t failed = 0;
    for (std::size_t at = transcript.find("   !! 预期 "); at != std::string::npos; at = transcript.find("   !! 预期 ", at + 1))
        ++failed;
    CHECK(failed == 5);
    CHECK(transcript.find("   !! 预期 250，实际 服务器关闭了连接") != std::string::npos);
    CHECK(transcript.find("   !! 预期 nobody@cesoo.com 已接受，实际 nobody@cesoo.com 被拒绝（550 ") != std::string::npos);
    CHECK(transcript.find("   !! 预期 rose@cesoo.com 的 INBOX 中有 1 封邮件（应包含“hello”），实际 rose@cesoo.com 的 "
                          "INBOX 中有 0 封邮件，没有一封包含“hello”") != std::string::npos);
    CHECK(transcript.find("   !! 预期 下载 2 封邮件，实际 下载了 0 封邮件") != std::string::npos);
    // ... and in English the lines read as they always have.
    const std::string en = sim::formatTranscript(run->trace, {});
    CHECK(en.find("   !! expected 250, got the server closed the connection") != std::string::npos);
    CHECK(en.find("   !! expected 2 messages fetched, got 0 messages fetched") != std::string::npos);
}

TEST_CASE("a store fault the scenario injects reads in Chinese, the wire as it was (schema 1.4)",
          "[notes][errors][store][dialogue]") {
    // docs/scenario-format.md `store: { fault, after }`: the second message hits a full disk.
    const std::string yaml = R"(
title: { en: the disk fills up, zh: 磁盘满了 }
hosts:
  - name: mx
    domains: [cesoo.com]
    services: [smtp]
    store: { fault: full, after: 1 }
    users: [{ name: rose }]
  - name: pc
steps:
  - session: { from: pc, to: mx:25 }
    script:
      - { send: "HELO pc", expect: 250 }
      - { send: "MAIL FROM:<mike@pc>", expect: 250 }
      - { send: "RCPT TO:<rose@cesoo.com>", expect: 250 }
      - { send: "DATA", expect: 354 }
      - { send: "Subject: one" }
      - { send: ".", expect: 250 }
      - { send: "MAIL FROM:<mike@pc>", expect: 250 }
      - { send: "RCPT TO:<rose@cesoo.com>", expect: 250 }
      - { send: "DATA", expect: 354 }
      - { send: "Subject: two" }
      - { send: ".", expect: 452 }
      - { send: "QUIT", expect: 221 }
)";
    auto run = sim::runScenarioText(yaml, "store-fault.yaml");
    REQUIRE(run.has_value());
    CHECK(run->failures.empty());
    const trace::ErrorReport* report = nullptr;
    for (const auto& e : run->trace.events())
        if (const auto* r = e.as<trace::ErrorReport>(); r && r->id == trace::ErrorId::DeliveryFailed) report = r;
    REQUIRE(report);
    REQUIRE(report->store);
    CHECK(report->store->step == store::StoreStep::Injected);
    CHECK(report->store->code == store::StoreErrc::NoSpace);
    // The English (and a 1.3 reader's detail) as before the store errors were typed.
    CHECK(report->detail == "rose@cesoo.com/INBOX: no space left on the device (injected by the scenario)");
    CHECK(trace::errorText(*report, Lang::En) ==
          "delivery to rose@cesoo.com failed: rose@cesoo.com/INBOX: no space left on the device (injected by the scenario)");
    CHECK(trace::errorText(*report, Lang::Zh) == "投递到 rose@cesoo.com 失败：rose@cesoo.com/INBOX：设备上没有空间（场景注入的故障）");

    sim::TranscriptOptions zh;
    zh.lang = Lang::Zh;
    const std::string transcript = sim::formatTranscript(run->trace, zh);
    INFO(transcript);
    for (const auto& line : englishAnnotations(transcript)) FAIL_CHECK(line);
    CHECK(transcript.find("场景注入的故障") != std::string::npos);
    // The wire keeps its bytes: the reply to the end of DATA is RFC 5321 4.2.3's 452, in English.
    CHECK(transcript.find("S: 452 ") != std::string::npos);
    CHECK(sim::formatTranscript(run->trace, {}).find("no space left on the device (injected by the scenario)") !=
          std::string::npos);
}

TEST_CASE("an error's store failure survives the JSON form (schema 1.4); a 1.3 error keeps its detail",
          "[notes][errors][store][json]") {
    store::StoreError fault = store::systemError(store::StoreStep::Create, "/m/rose/tmp/1.M2P3", ENOSPC);
    const auto x = trace::ErrorReport::fromStore(trace::ErrorId::ImapAppendFailed, fault, {"Work"});
    CHECK(x.detail == "cannot create /m/rose/tmp/1.M2P3: No space left on device");
    std::string json = "{\"x\":0";
    sim::appendPayloadJson(json, trace::Payload{x});
    json += "}";
    INFO(json);
    trace::Payload read;
    std::string error;
    REQUIRE(sim::readPayloadJson(YAML::Load(json)["data"], trace::EventKind::Error, read, error));
    const auto& back = std::get<trace::ErrorReport>(read);
    REQUIRE(back.store);
    CHECK(back.store->code == store::StoreErrc::NoSpace);
    CHECK(back.store->step == store::StoreStep::Create);
    CHECK(back.store->path == fault.path);
    CHECK(back.store->sysErrno == ENOSPC);
    CHECK(back.detail == x.detail);
    CHECK(trace::errorText(back, Lang::Zh) == "APPEND 到 Work 失败：无法创建 /m/rose/tmp/1.M2P3：设备上没有空间");
    CHECK(trace::errorText(back, Lang::En) == trace::errorText(x, Lang::En));
    // A name refused: the problem is kept.
    store::StoreError name = store::storeFault(store::StoreErrc::Invalid, store::StoreStep::InvalidName, {}, "a/b", 1);
    name.problem = store::NameProblem::Slash;
    json = "{\"x\":0";
    sim::appendPayloadJson(json, trace::Payload{trace::ErrorReport::fromStore(trace::ErrorId::ImapCreateFailed, name)});
    json += "}";
    REQUIRE(sim::readPayloadJson(YAML::Load(json)["data"], trace::EventKind::Error, read, error));
    REQUIRE(std::get<trace::ErrorReport>(read).store);
    CHECK(std::get<trace::ErrorReport>(read).store->problem == store::NameProblem::Slash);
    CHECK(std::get<trace::ErrorReport>(read).store->text() == "refusing folder name 'a/b': it contains '/'");
    // A 1.3 error: detail only, shown as given.
    REQUIRE(sim::readPayloadJson(YAML::Load(R"({"error": "delivery-failed", "names": ["rose"], "detail": "disk full"})"),
                                 trace::EventKind::Error, read, error));
    CHECK_FALSE(std::get<trace::ErrorReport>(read).store);
    CHECK(trace::errorText(std::get<trace::ErrorReport>(read), Lang::Zh) == "投递到 rose 失败：disk full");
    // An unknown step is refused with the field named.
    error.clear();
    CHECK_FALSE(sim::readPayloadJson(YAML::Load(R"({"error": "delivery-failed", "store": {"step": "made-up"}})"),
                                     trace::EventKind::Error, read, error));
    CHECK(error.find("'step'") != std::string::npos);
}
