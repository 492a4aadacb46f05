// The notes catalogue (engine/trace/Notes.hpp) and the Chinese transcript (issue #13, #14): every explanation the
// engine and the simulator record exists in English and Chinese, and `mailsim run --lang zh` prints no English prose
// outside the wire lines.
#include "sim/world/Api.hpp"
#include "sim/tools/Transcript.hpp"
#include "sim/tools/TraceJson.hpp"
#include "trace/Notes.hpp"
#include "trace/Render.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
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
// protocol text (a reply: a 3-digit code or an enhanced status code and its text) is English prose too.
//
// Known gap, allowed explicitly until it is typed: the simulator's own reasons why a connection attempt failed
// (sim/Relay.cpp RelayNetwork::unreachable/hopFailure) travel as text through the MTA's attempt results into relay hops
// and queue deferrals ("mx.example.org is down: no answer, connection timed out").
std::vector<std::string> englishAnnotations(const std::string& transcript) {
    // Renderings with no words to translate: a state change whose cause is the command itself is
    // "   [SMTP A -> B]（起因：MAIL）" and holds Chinese already; nothing needs allowing today but a bare separator.
    static const std::regex kTechnical(R"(^\s*(---.*---)?\s*$)");
    static const std::regex kKnownGap(
        R"(\S+ is down: no answer, connection timed out|the network link of \S+ is down: connection timed out|)"
        R"(the connection attempt was lost in the network \(packet loss\): connection timed out|)"
        R"(\S+ runs no SMTP service on port 25: connection refused)");
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
        std::string stripped =
            std::regex_replace(std::regex_replace(std::regex_replace(line, kKnownGap, ""), kQuoted, ""), kReply, "");
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

    // A scenario note without Chinese, an English error and a note with an English tail are caught.
    scenario.narration(4, 1, "the server now accepts the message");
    rec.error(5, "delivery to rose failed: disk full");
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
