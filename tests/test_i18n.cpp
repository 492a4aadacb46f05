// Issue #14: every word a user reads in English and Chinese. Durations for people, the completeness of every
// catalogue (reply catalogues, command tables, CLI messages), scenario text as {en, zh} in the loader and in every
// shipped scenario, the language from the environment, and predict mode's language, filters and hidden effects.
#include "trace/Render.hpp"
#include "sim/world/Api.hpp"
#include "sim/cli/Cli.hpp"
#include "sim/cli/CliText.hpp"
#include "sim/serve/ServeText.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/tools/Lang.hpp"
#include "sim/tools/Predict.hpp"
#include "sim/scenario/Scenario.hpp"
#include "i18n/Duration.hpp"
#include "imap/ImapReplies.hpp"
#include "imap/ImapStates.hpp"
#include "pop3/Pop3Replies.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpStates.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace mailsim;
using i18n::Lang;

namespace {

constexpr std::int64_t kSecond = 1'000'000;

std::string scenarioPath(const std::string& name) { return std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name; }

bool hasCjk(std::string_view s) {
    // U+4E00..U+9FFF in UTF-8: lead byte E4..E9
    for (unsigned char c : s)
        if (c >= 0xE4 && c <= 0xE9) return true;
    return false;
}

// The positional arguments a catalogue text uses: {0}, {1}, ...
std::set<std::string> placeholders(std::string_view text) {
    static const std::regex arg(R"(\{[0-9]\})");
    std::set<std::string> found;
    const std::string s(text);
    for (auto it = std::sregex_iterator(s.begin(), s.end(), arg); it != std::sregex_iterator(); ++it)
        found.insert(it->str());
    return found;
}

// A Chinese text left (partly) in English: the first run of four English words in a row ("SMTP on this address"),
// or "". Option names, file names, commands and protocol words stay as typed and never make such a run.
std::string englishRun(std::string_view zh) {
    static const std::regex run(R"([A-Za-z']{2,}( [A-Za-z']{2,}){3})");
    std::smatch m;
    const std::string s(zh);
    return std::regex_search(s, m, run) ? m.str() : std::string();
}

// Every row of a CLI catalogue: both languages, the Chinese one not a copy, no argument the English lacks, no
// English sentence left in the Chinese; and every id of the enum has its row (ids 0..last).
template <class Row, class Id>
void checkCatalogue(std::span<const Row> rows, Id first, Id last) {
    std::set<Id> ids;
    for (const auto& t : rows) {
        INFO("text " << t.text.en);
        CHECK(t.text.complete());
        CHECK(t.text.zh != t.text.en);  // "mailsim ca：{0}" has Chinese punctuation only; a copy is no translation
        CHECK(englishRun(t.text.zh).empty());
        for (const auto& arg : placeholders(t.text.zh)) CHECK(placeholders(t.text.en).contains(arg));
        CHECK(ids.insert(t.id).second);
    }
    CHECK(ids.size() == static_cast<std::size_t>(last) - static_cast<std::size_t>(first) + 1);
    CHECK(*ids.begin() == first);
}

}  // namespace

TEST_CASE("durations read as hours, minutes and seconds in both languages", "[i18n][duration]") {
    CHECK(i18n::formatDuration(6390066000, Lang::En) == "1 h 46 min 30 s");
    CHECK(i18n::formatDuration(6390066000, Lang::Zh) == "1 小时 46 分 30 秒");
    CHECK(i18n::formatDuration(0, Lang::En) == "0 s");
    CHECK(i18n::formatDuration(0, Lang::Zh) == "0 秒");
    CHECK(i18n::formatDuration(250'000, Lang::En) == "250 ms");
    CHECK(i18n::formatDuration(250'000, Lang::Zh) == "250 毫秒");
    CHECK(i18n::formatDuration(400, Lang::En) == "1 ms");
    CHECK(i18n::formatDuration(1'600'000, Lang::En) == "2 s");   // rounded to the second
    CHECK(i18n::formatDuration(30 * 60 * kSecond, Lang::En) == "30 min");
    CHECK(i18n::formatDuration(30 * 60 * kSecond, Lang::Zh) == "30 分钟");
    CHECK(i18n::formatDuration(2 * 3600 * kSecond, Lang::Zh) == "2 小时");
    CHECK(i18n::formatDuration((26 * 3600 + 5) * kSecond, Lang::En) == "1 d 2 h 5 s");
    CHECK(i18n::formatDuration(-90 * kSecond, Lang::En) == "-1 min 30 s");
    CHECK(i18n::formatAfter(15 * 60 * kSecond, Lang::En) == "in 15 min");
    CHECK(i18n::formatAfter(15 * 60 * kSecond, Lang::Zh) == "15 分钟后");
    CHECK(i18n::formatAt(6390066000, Lang::En) == "t = 1 h 46 min 30 s");
}

TEST_CASE("every catalogue entry has English and Chinese", "[i18n][catalogue]") {
    for (const auto& r : smtp::smtpReplies()) {
        INFO("SMTP reply " << r.code << " " << r.text);
        CHECK(r.explain.complete());
        CHECK(hasCjk(r.explain.zh));
    }
    for (const auto& c : smtp::smtpCodes()) {
        INFO("SMTP code " << c.code);
        CHECK(c.meaning.complete());
    }
    for (const auto& r : pop3::pop3Replies()) {
        INFO("POP3 reply " << r.text << " / " << r.explain.en);
        CHECK(r.explain.complete());
    }
    for (const auto& r : imap::imapReplies()) {
        INFO("IMAP reply " << r.text);
        CHECK(r.explain.complete());
        CHECK(hasCjk(r.explain.zh));
    }
    // Every IMAP reply id has its own entry (replyInfo falls back to the first entry for an id without one), so no id
    // is sent without its zh explanation.
    CHECK(imap::imapReplies().size() == static_cast<std::size_t>(imap::kLastReplyId) + 1);
    for (auto v = 0u; v <= static_cast<unsigned>(imap::kLastReplyId); ++v) {
        INFO("IMAP reply id " << v);
        CHECK(imap::replyInfo(static_cast<imap::ReplyId>(v)).id == static_cast<imap::ReplyId>(v));
    }
    for (const auto& c : smtp::smtpCommands()) {
        INFO("SMTP command " << c.verb);
        CHECK(c.explain.complete());
    }
    for (const auto& c : pop3::pop3Commands()) {
        INFO("POP3 command " << c.verb);
        CHECK(c.explain.complete());
    }
    for (const auto& c : imap::imapCommands()) {
        INFO("IMAP command " << c.verb);
        CHECK(c.explain.complete());
    }
    CHECK(smtp::phaseName(smtp::SmtpPhase::SetUp, Lang::Zh) == "连接建立");
    CHECK(smtp::phaseName(smtp::SmtpPhase::Transfer, Lang::Zh) == "邮件传送");
    CHECK(smtp::phaseName(smtp::SmtpPhase::Release, Lang::Zh) == "连接释放");
}

TEST_CASE("every word of the mailsim commands and of serve is in both catalogues' languages", "[i18n][cli]") {
    checkCatalogue(sim::cliTexts(), sim::CliText{}, sim::CliText::UsageError);
    checkCatalogue(sim::serveTexts(), sim::ServeText{}, sim::ServeText::StaysQueued);
    CHECK(sim::serveSay(Lang::Zh, sim::ServeText::StopReceived, "SIGTERM", 2) == "mailsim serve：收到 SIGTERM，正在关闭 2 个会话");
    // The human `listening` line follows the language (machines read --ready-file); English as it always was.
    CHECK(sim::serveSay(Lang::En, sim::ServeText::Listening, "smtp", "127.0.0.1:2525") == "listening smtp 127.0.0.1:2525");
    CHECK(sim::serveSay(Lang::Zh, sim::ServeText::Listening, "mail.cesoo.com smtp", "127.0.0.1:10025") ==
          "正在监听 mail.cesoo.com smtp 127.0.0.1:10025");
    CHECK(sim::cliSay(Lang::En, sim::CliText::ExportWrote, "a.pcap", "pcap", 10) == "wrote a.pcap (pcap, 10 octets)");
}

TEST_CASE("every scenario diagnostic and every noun it names is in English and Chinese", "[i18n][loader]") {
    checkCatalogue(sim::diagnosticTexts(), sim::DiagnosticId{}, sim::DiagnosticId::ExpectNeedsFetched);
    checkCatalogue(sim::nounTexts(), sim::Noun::DnsEntry, sim::Noun::Undefined);
    // The words around the arguments follow the language; the arguments (names, values, keys) stay as written.
    const sim::Diagnostic unknown{"bad.yaml", 3, 5, sim::DiagnosticId::UnknownKey,
                                  {std::string("domian"), sim::What(sim::Noun::Host), sim::Suggestion{"domains"},
                                   std::string("name, domains")}};
    CHECK(unknown.format(Lang::En) ==
          "bad.yaml:3:5: unknown key 'domian' in a host (did you mean 'domains'?); expected one of: name, domains");
    CHECK(unknown.format(Lang::Zh) == "bad.yaml:3:5: 主机中有未知的键 'domian'（是不是想写 'domains'？）；可用的键有：name, domains");
    const sim::Diagnostic number{"a.yaml", 0, 0, sim::DiagnosticId::NotANumber,
                                 {sim::What("seed"), 0LL, 9LL, sim::What(sim::Noun::List)}};
    CHECK(number.format(Lang::En) == "a.yaml: seed must be a whole number from 0 to 9, found 'a list'");
    CHECK(number.format(Lang::Zh) == "a.yaml: seed 必须是 0 到 9 之间的整数，这里却是 '列表'");
    const sim::Diagnostic mapping{"a.yaml", 1, 1, sim::DiagnosticId::NotAMapping,
                                  {sim::What(sim::Noun::ScenarioFile), sim::What(sim::Noun::List)}};
    CHECK(mapping.message(Lang::Zh) == "场景文件必须是映射（“键: 值”形式的若干行），这里却是列表");
    CHECK(sim::Diagnostic{"a.yaml", 1, 1, sim::DiagnosticId::NotBoolean, {sim::What("starttls")}}.message(Lang::Zh) ==
          "starttls 必须是 true 或 false");
    sim::What titleZh("title");
    titleZh.in = Lang::Zh;
    CHECK(sim::nounText(titleZh, Lang::En) == "title (zh)");
    CHECK(sim::nounText(titleZh, Lang::Zh) == "title（中文）");
    // A short argument list (a hand-made diagnostic) renders as empty, never throws.
    CHECK(sim::Diagnostic{"f", 0, 0, sim::DiagnosticId::NoSuchHost, {}}.message(Lang::Zh) == "没有名为 '' 的主机；已有的主机：");
}

TEST_CASE("a broken scenario's diagnostics read in the chosen language", "[i18n][loader]") {
    auto bad = sim::loadScenario("title: t\nhosts:\n  - name: a\n    domian: x.org\nsteps:\n  - wait: 5 minutes\n",
                                 "bad.yaml");
    REQUIRE_FALSE(bad);
    REQUIRE(bad.error().size() == 2);
    CHECK(bad.error()[0].format(Lang::En) ==
          "bad.yaml:4:5: unknown key 'domian' in a host (did you mean 'domains'?); expected one of: name, address, "
          "domains, services, users, lists, smtp, queue, gateway, tls, store");
    CHECK(bad.error()[1].format(Lang::En) == "bad.yaml:6:11: wait must be a duration such as 30s, 5m, 2h or 1d");
    for (const auto& d : bad.error()) {
        INFO(d.format(Lang::Zh));
        CHECK(hasCjk(d.message(Lang::Zh)));
        CHECK(englishRun(d.message(Lang::Zh)).empty());
    }
    CHECK(bad.error()[1].format(Lang::Zh) == "bad.yaml:6:11: wait 必须是时长，例如 30s、5m、2h 或 1d");
}

TEST_CASE("every manual is one table entry with both languages, the Chinese one translated throughout", "[i18n][cli]") {
    std::set<std::string_view> commands;
    for (const auto& m : sim::manuals()) {
        INFO("manual of '" << m.command << "'");
        commands.insert(m.command);
        REQUIRE(m.text.complete());
        CHECK(m.text.en.starts_with("NAME\n"));
        CHECK(m.text.zh.starts_with("名称\n"));
        CHECK(m.text.en.find("EXIT STATUS") != std::string::npos);
        CHECK(m.text.zh.find("退出状态") != std::string::npos);
        CHECK(englishRun(m.text.zh).empty());
        CHECK(sim::helpText(m.command, Lang::En) == m.text.en);
        CHECK(sim::helpText(m.command, Lang::Zh) == m.text.zh);
    }
    CHECK(commands == std::set<std::string_view>{"", "run", "predict", "serve", "export", "check", "new", "sandbox",
                                                 "record", "ca", "help"});
    CHECK(sim::helpText("nonesuch", Lang::Zh).empty());
    // The OPTIONS of serve, sandbox/record and ca are their parsers' usage texts, in the manual's language.
    CHECK(sim::helpText("serve", Lang::Zh).find(sim::serveUsageText(Lang::Zh)) != std::string_view::npos);
    CHECK(sim::helpText("serve", Lang::Zh).find("--smtp 地址:端口   在这个地址上提供 SMTP") != std::string_view::npos);
    CHECK(sim::helpText("record", Lang::Zh).find(sim::sandboxUsageText(Lang::Zh)) != std::string_view::npos);
    CHECK(sim::helpText("ca", Lang::Zh).find(sim::caUsageText(Lang::Zh)) != std::string_view::npos);
    CHECK(sim::helpText("ca", Lang::En).find(sim::caUsageText(Lang::En)) != std::string_view::npos);
    // The English run check itself: it catches an English OPTIONS line in a Chinese manual.
    CHECK(englishRun("  --smtp ADDR:PORT   SMTP on this address, e.g. 127.0.0.1:2525") == "SMTP on this address");
    CHECK(englishRun("  --smtp 地址:端口   在这个地址上提供 SMTP，例如 127.0.0.1:2525").empty());
}

TEST_CASE("scenario text may be {en, zh}; a missing language is a gap, not an error", "[i18n][loader]") {
    const std::string base = R"(
hosts:
  - { name: mail.cesoo.com, domains: [cesoo.com], services: [smtp] }
steps:
)";
    auto both = sim::loadScenario("title: {en: Hello, zh: 你好}\ndescription:\n  en: A.\n  zh: 甲。\n" + base +
                                      "  - note: {en: One, zh: 一}\n  - checkpoint: here\n    label: {en: Here, zh: 这里}\n",
                                  "t.yaml");
    REQUIRE(both);
    CHECK(both->title.en == "Hello");
    CHECK(both->title.zh == "你好");
    CHECK(both->description.in(Lang::Zh) == "甲。");
    CHECK(both->textGaps.empty());
    const auto& note = std::get<sim::NoteStep>(both->steps[0].what);
    CHECK(note.text.in(Lang::Zh) == "一");
    CHECK(std::get<sim::CheckpointStep>(both->steps[1].what).label.zh == "这里");

    auto plain = sim::loadScenario("title: Hello\n" + base + "  - note: One\n", "t.yaml");
    REQUIRE(plain);
    CHECK(plain->title.in(Lang::Zh) == "Hello");  // English stands in
    REQUIRE(plain->textGaps.size() == 2);
    CHECK(plain->textGaps[0].what.name == "title");
    CHECK(plain->textGaps[0].missing == Lang::Zh);
    CHECK(plain->textGaps[0].pos.line == 1);
    CHECK(plain->textGaps[1].what.name == "note");

    auto onlyZh = sim::loadScenario("title: {zh: 你好}\n" + base + "  - note: 一\n", "t.yaml");
    REQUIRE(onlyZh);
    CHECK(onlyZh->title.en == "你好");  // never nothing
    CHECK(onlyZh->textGaps.size() == 2);

    auto bad = sim::loadScenario("title: {en: Hello, fr: Bonjour}\n" + base + "  - note: [a]\n", "t.yaml");
    REQUIRE_FALSE(bad);
    std::string all;
    for (const auto& d : bad.error()) all += d.format(mailsim::i18n::Lang::En) + "\n";
    CHECK(all.find("unknown key 'fr' in title") != std::string::npos);
    CHECK(all.find("note must be text or {en: ..., zh: ...}") != std::string::npos);
}

TEST_CASE("every shipped scenario has its text in English and Chinese", "[i18n][scenarios]") {
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(MAILSIM_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        auto sc = sim::loadScenario(text.str(), entry.path().string());
        INFO(entry.path().string());
        REQUIRE(sc);
        for (const auto& g : sc->textGaps) FAIL_CHECK(g.what.name << " at line " << g.pos.line << " has no " << i18n::langCode(g.missing));
        CHECK(sc->title.complete());
        CHECK(hasCjk(sc->title.zh));
        if (!sc->description.empty()) CHECK(hasCjk(sc->description.zh));
        for (const auto& step : sc->steps)
            if (const auto* n = std::get_if<sim::NoteStep>(&step.what)) CHECK(hasCjk(n->text.zh));
        ++checked;
    }
    CHECK(checked >= 27);
}

TEST_CASE("the run result carries the notes in both languages", "[i18n][runner]") {
    auto run = sim::runScenarioFile(scenarioPath("smtp-textbook.yaml"));
    REQUIRE(run);
    CHECK(run->title.zh == "教材中的情书");
    std::size_t notes = 0;
    for (const auto& e : run->trace.events()) {
        if (e.kind != trace::EventKind::Note || e.session != trace::kNoSession || e.machine == sim::kCheckpointMachine)
            continue;
        if (!run->scenarioText.contains(e.id)) continue;
        ++notes;
        CHECK(sim::scenarioTextOf(*run, e, Lang::En) == e.text);
        CHECK(hasCjk(sim::scenarioTextOf(*run, e, Lang::Zh)));
    }
    CHECK(notes == 2);
}

TEST_CASE("the CLI language comes from LC_ALL, LC_MESSAGES, LANG in that order", "[i18n][lang]") {
    auto set = [](const char* all, const char* messages, const char* lang) {
        for (auto [name, v] : {std::pair{"LC_ALL", all}, std::pair{"LC_MESSAGES", messages}, std::pair{"LANG", lang}}) {
            if (v) ::setenv(name, v, 1);
            else ::unsetenv(name);
        }
    };
    set(nullptr, nullptr, nullptr);
    CHECK(sim::langFromEnvironment() == Lang::En);
    set(nullptr, nullptr, "zh_CN.UTF-8");
    CHECK(sim::langFromEnvironment() == Lang::Zh);
    set(nullptr, "en_US.UTF-8", "zh_CN.UTF-8");
    CHECK(sim::langFromEnvironment() == Lang::En);
    set("zh_TW.UTF-8", "en_US.UTF-8", "C");
    CHECK(sim::langFromEnvironment() == Lang::Zh);
    set("", "", "de_DE.UTF-8");
    CHECK(sim::langFromEnvironment() == Lang::En);
    set("C.UTF-8", nullptr, nullptr);
    CHECK(sim::langFromEnvironment() == Lang::En);
    CHECK(sim::parseLangOption("zh") == Lang::Zh);
    CHECK(sim::parseLangOption("en") == Lang::En);
    CHECK_FALSE(sim::parseLangOption("fr"));
    set(nullptr, nullptr, nullptr);
}

TEST_CASE("predict: the store line of an accepted message is an effect of the reply to '.'", "[i18n][predict]") {
    auto run = sim::runScenarioFile(scenarioPath("smtp-textbook.yaml"));
    REQUIRE(run);
    const auto& tr = run->trace;
    const auto points = sim::predictionPoints(tr);
    const sim::PredictPoint* dot = nullptr;
    for (const auto& p : points)
        if (p.promptText == ".") dot = &p;
    REQUIRE(dot);
    REQUIRE_FALSE(dot->effects.empty());
    bool storeHidden = false;
    for (trace::EventId id : dot->effects) {
        CHECK(id > dot->prompt);
        CHECK(id < dot->event);
        if (tr.at(id).kind == trace::EventKind::StoreChanged) {
            storeHidden = true;
            CHECK(trace::describe(tr.at(id), i18n::Lang::En).find("rose@cesoo.com INBOX uid 1 appended") != std::string::npos);
        }
    }
    CHECK(storeHidden);
    CHECK(dot->hideFrom() == dot->effects.front());
    // Nothing between any prompt and its reply that reveals the answer escapes the effects list.
    for (const auto& p : points) {
        if (p.prompt == trace::kNoCause) continue;
        for (trace::EventId id = p.prompt + 1; id < p.event; ++id)
            if (tr.at(id).kind == trace::EventKind::StoreChanged && tr.at(id).session == p.session)
                CHECK(std::ranges::find(p.effects, id) != p.effects.end());
    }
}

TEST_CASE("predict: --from, --session and --protocol choose the questions", "[i18n][predict]") {
    auto run = sim::runScenarioFile(scenarioPath("pop3-delete-vs-keep.yaml"));
    REQUIRE(run);
    const auto& tr = run->trace;
    const auto all = sim::predictionPoints(tr);
    sim::PredictOptions pop3;
    pop3.protocol = "pop3";
    const auto onlyPop3 = sim::predictionPoints(tr, pop3);
    REQUIRE_FALSE(onlyPop3.empty());
    CHECK(onlyPop3.size() < all.size());
    for (const auto& p : onlyPop3) CHECK(tr.session(p.session)->protocol == "pop3");

    sim::PredictOptions from;
    from.from = sim::findCheckpoint(tr, "by-hand");
    REQUIRE(from.from);
    const auto later = sim::predictionPoints(tr, from);
    REQUIRE_FALSE(later.empty());
    CHECK(later.size() < all.size());
    for (const auto& p : later) CHECK(p.event > *from.from);

    sim::PredictOptions one;
    one.session = later.front().session;
    const auto session = sim::predictionPoints(tr, one);
    REQUIRE_FALSE(session.empty());
    for (const auto& p : session) CHECK(p.session == one.session);
}

TEST_CASE("predict: questions and feedback in Chinese", "[i18n][predict]") {
    auto run = sim::runScenarioFile(scenarioPath("smtp-textbook.yaml"));
    REQUIRE(run);
    const auto points = sim::predictionPoints(run->trace);
    REQUIRE(points.size() >= 2);
    const auto& rcpt = points[3];  // greeting, HELO, MAIL, RCPT
    CHECK(rcpt.promptText.starts_with("RCPT"));
    CHECK(sim::describeQuestion(rcpt, Lang::Zh) == "服务器对“RCPT TO: rose@cesoo.com”的应答");
    const auto f = sim::judge(run->trace, rcpt, "550", Lang::Zh);
    CHECK_FALSE(f.correct);
    CHECK(f.right.explain == "这个收件人被接受");
    CHECK(f.right.meaning == "请求的邮件操作正确完成");
    const std::string text = sim::formatFeedback(f, Lang::Zh);
    CHECK(text.starts_with("答错了：你选的是 550"));
    CHECK(text.find("（你的猜测）表示：") != std::string::npos);
    CHECK(sim::formatFeedback(sim::judge(run->trace, rcpt, "250"), Lang::En).starts_with("Right: 250"));
}

TEST_CASE("a mail queued while the destination is down is reported queued and deferred, never delivered",
          "[i18n][delivery]") {
    auto run = sim::runScenarioFile(scenarioPath("relay-receiver-down-retry.yaml"));
    REQUIRE(run);
    const trace::Event* result = nullptr;
    for (const auto& e : run->trace.events())
        if (const auto* x = e.as<trace::Explanation>(); x && x->id == trace::NoteId::UaSent) result = &e;
    REQUIRE(result);
    const std::string text = trace::describe(*result, Lang::En);
    INFO(text);
    CHECK(text.find("rose@example.org: accepted (250") != std::string::npos);
    CHECK(text.find("queued at mail.cesoo.com, deferred") != std::string::npos);
    CHECK(text.find("delivered") == std::string::npos);
    const auto& item = result->as<trace::Explanation>()->items.at(0);
    CHECK(item.outcome == trace::Outcome::Accepted);
    CHECK(item.fate == trace::Fate::QueuedDeferred);
    CHECK(trace::describe(*result, Lang::Zh).find("推迟") != std::string::npos);
    // The check's wording: the expectation says what the server answered, not that the mail arrived.
    for (const auto& e : run->trace.events())
        if (e.kind == trace::EventKind::Expectation && e.text.starts_with("rose@example.org"))
            CHECK(e.text == "rose@example.org accepted");

    // A local delivery is one.
    auto local = sim::runScenarioFile(scenarioPath("smtp-persistent-connection.yaml"));
    REQUIRE(local);
    bool delivered = false;
    for (const auto& e : local->trace.events())
        if (const auto* x = e.as<trace::Explanation>(); x && x->id == trace::NoteId::UaSent &&
                                                        trace::describe(e, Lang::En).find("delivered to the mailbox") != std::string::npos)
            delivered = true;
    CHECK(delivered);
}

TEST_CASE("predict: the choices come from the command rows' allowed replies (engine/*/…States.cpp)", "[i18n][predict]") {
    auto smtpRun = sim::runScenarioFile(scenarioPath("smtp-reply-codes.yaml"));
    REQUIRE(smtpRun);
    int checked = 0;
    for (const auto& p : sim::predictionPoints(smtpRun->trace)) {
        if (p.protocol != "smtp" || p.prompt == trace::kNoCause) continue;
        const std::string verb = p.promptText.substr(0, p.promptText.find(' '));
        if (verb != "MAIL" && verb != "RCPT") continue;  // rows with more codes than distractors: all from the row
        const auto allowed = smtp::allowedReplyCodes(*smtp::findSmtpCommand(verb));
        INFO(p.promptText);
        for (const auto& c : p.choices) CHECK(std::ranges::find(allowed, std::stoi(c)) != allowed.end());
        ++checked;
    }
    CHECK(checked > 5);
    auto imapRun = sim::runScenarioFile(scenarioPath("imap-folders-search-move.yaml"));
    REQUIRE(imapRun);
    bool sawLogout = false, sawSelect = false;
    for (const auto& p : sim::predictionPoints(imapRun->trace)) {
        if (p.protocol != "imap") continue;
        if (p.promptText.ends_with(" LOGOUT")) {
            sawLogout = true;
            CHECK(p.choices == std::vector<std::string>{"OK", "BAD"});  // RFC 3501 6.1.3: no NO
        }
        if (p.promptText.ends_with(" SELECT INBOX")) {
            sawSelect = true;
            CHECK(p.choices == std::vector<std::string>{"OK", "NO", "BAD"});
        }
    }
    CHECK(sawLogout);
    CHECK(sawSelect);
}

// Issue #14: what the lower layers hand up typed, worded by the layer that prints it, in both languages: every kind
// of the Maildir store's warnings (serve's catalogue), the live trace writer's failure.
TEST_CASE("every warning of the Maildir store is worded in English and Chinese by serve", "[i18n][serve]") {
    using store::StoreWarningKind;
    for (int k = 0; k <= static_cast<int>(store::kLastStoreWarningKind); ++k) {
        const store::StoreWarning w{.kind = static_cast<StoreWarningKind>(k), .path = "/m/rose/mailsim-uidlist",
                                    .line = 1, .count = 3, .redone = 2, .detail = "DETAIL", .error = {}};
        const std::string en = sim::storeWarningText(w, Lang::En), zh = sim::storeWarningText(w, Lang::Zh);
        INFO("kind " << k << ": " << en << " / " << zh);
        CHECK(!en.empty());
        CHECK(hasCjk(zh));
        CHECK(!hasCjk(en));
        CHECK(englishRun(zh).empty());
        // The facts are kept: the file named or the store's own detail, and the numbers.
        CHECK((zh.find("/m/rose/mailsim-uidlist") != std::string::npos || zh.find("DETAIL") != std::string::npos));
        CHECK((en.find("/m/rose/mailsim-uidlist") != std::string::npos || en.find("DETAIL") != std::string::npos));
    }
    auto replayed = store::storeWarning(StoreWarningKind::JournalReplayed, "/m/mailsim-journal");
    replayed.count = 3;
    replayed.redone = 2;
    CHECK(sim::storeWarningText(replayed, Lang::Zh) == "/m/mailsim-journal：崩溃后发现 3 个未完成的投递；重做了 2 份副本");
    auto damaged = store::storeWarning(StoreWarningKind::UidListDamaged, "/m/l", "x");
    CHECK(sim::storeWarningText(damaged, Lang::Zh).starts_with("/m/l：x；"));  // a later line: the file alone
    damaged.line = 1;
    CHECK(sim::storeWarningText(damaged, Lang::En) ==
          "/m/l:1: x; the UID list is rebuilt from the directory (no mail lost, UIDVALIDITY changes)");
    CHECK(sim::storeWarningText(store::fileWarning(store::systemError(store::StoreStep::Remove, "/m/x", EACCES)),
                                Lang::Zh) == "Maildir 存储：无法删除 /m/x：权限不够");
}

TEST_CASE("every classroom CA error is worded in English and Chinese by serve and ca", "[i18n][serve]") {
    for (int k = 0; k <= static_cast<int>(sim::kLastCaProblem); ++k) {
        for (bool kept : {false, true}) {
            const sim::CaError e{static_cast<sim::CaProblem>(k), "/ca/ca.key", "/ca/ca.pem", "DETAIL",
                                 kept ? "/ca" : ""};
            const std::string en = sim::caErrorText(e, Lang::En), zh = sim::caErrorText(e, Lang::Zh);
            INFO("problem " << sim::caProblemName(e.problem) << ": " << en << " / " << zh);
            CHECK(hasCjk(zh));
            CHECK(!hasCjk(en));
            CHECK(englishRun(zh).empty());
            // The file or the lower layer's reason is kept, in both languages alike.
            CHECK((zh.find("/ca/ca.key") != std::string::npos) == (en.find("/ca/ca.key") != std::string::npos));
            CHECK((zh.find("DETAIL") != std::string::npos) == (en.find("DETAIL") != std::string::npos));
            CHECK((zh.find("/ca/ca.key") != std::string::npos || zh.find("DETAIL") != std::string::npos));
            // A CA kept as it is: both say which directory to remove to start a new one.
            CHECK((zh.find("删除目录 /ca 来建立新的 CA") != std::string::npos) == kept);
            CHECK((en.find("remove the directory /ca to start a new CA") != std::string::npos) == kept);
        }
        CHECK(!sim::caProblemName(static_cast<sim::CaProblem>(k)).empty());
    }
    CHECK(sim::caErrorText({sim::CaProblem::Missing, "/ca/ca.key", "/ca/ca.pem", "", ""}, Lang::Zh) ==
          "/ca/ca.key：缺失，而 /ca/ca.pem 存在");
}
