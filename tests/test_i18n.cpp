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
#include "sim/scenario/YamlMessage.hpp"
#include "i18n/Duration.hpp"
#include "imap/ImapReplies.hpp"
#include "imap/ImapStates.hpp"
#include "pop3/Pop3Replies.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpStates.hpp"
#include "smtp/SmtpSyntax.hpp"
#include "I18nCheck.hpp"

#include <catch2/catch.hpp>
#include <yaml-cpp/exceptions.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

using namespace mailsim;
using i18n::Lang;
using testing::englishRun;
using testing::hasCjk;

namespace {

constexpr std::int64_t kSecond = 1'000'000;

std::string scenarioPath(const std::string& name) { return std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name; }

// The positional arguments a catalogue text uses: {0}, {1}, ...
std::set<std::string> placeholders(std::string_view text) {
    static const std::regex arg(R"(\{[0-9]\})");
    std::set<std::string> found;
    const std::string s(text);
    for (auto it = std::sregex_iterator(s.begin(), s.end(), arg); it != std::sregex_iterator(); ++it)
        found.insert(it->str());
    return found;
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

// A Chinese sentence with no English word of its own: no lower-case ASCII word once the arguments (values from the
// file, yaml-cpp's English in the fallback frame) and the few names kept as written are taken out.
bool noEnglishWords(std::string zh, const std::vector<std::string>& arguments = {}) {
    for (std::string a : arguments)
        for (auto at = zh.find(a); !a.empty() && at != std::string::npos; at = zh.find(a)) zh.erase(at, a.size());
    static const std::regex word("[a-z]{2,}");
    return !std::regex_search(zh, word);
}

TEST_CASE("why an address is not a mailbox: typed, the wire's English words unchanged, Chinese for people",
          "[i18n][loader][smtp]") {
    std::set<smtp::MailboxProblem> ids;
    for (const auto& row : smtp::mailboxProblemTexts()) {
        INFO(row.text.en);
        CHECK(row.text.complete());
        CHECK(row.text.zh != row.text.en);
        CHECK(hasCjk(row.text.zh));
        CHECK(noEnglishWords(std::string(row.text.zh)));
        for (const auto& arg : placeholders(row.text.zh)) CHECK(placeholders(row.text.en).contains(arg));
        CHECK(static_cast<std::size_t>(row.id) == ids.size());
        ids.insert(row.id);
    }
    CHECK(ids.size() == smtp::kMailboxProblemCount);
    // Each reason as mailboxError finds it: the English words as they always were (the 553 reply sends them).
    const std::vector<std::pair<std::string, std::string>> cases{
        {"a@b@c.example", "more than one '@'"},
        {"rose", "no '@domain' (a mailbox is local-part@domain, RFC 5321 4.1.2)"},
        {"@cesoo.com", "empty local part before '@'"},
        {std::string(65, 'a') + "@cesoo.com", "local part longer than 64 octets (RFC 5321 4.5.3.1.1)"},
        {"\"rose@cesoo.com", "no '@domain' (a mailbox is local-part@domain, RFC 5321 4.1.2)"},
        {"\"ro\\\x01se\"@cesoo.com", "bad quoted-pair in local part"},
        {"\"ro\x01se\"@cesoo.com", "character not allowed in quoted local part"},
        {".rose@cesoo.com", "empty atom in local part (leading or doubled '.')"},
        {"ro(se@cesoo.com", "character '(' not allowed in local part"},
        {"rose.@cesoo.com", "local part ends with '.'"},
        {"rose@", "empty domain after '@'"},
        {"rose@" + std::string(256, 'a'), "domain longer than 255 octets (RFC 5321 4.5.3.1.2)"},
        {"rose@[1.2.3.4", "unterminated address literal"},
        {"rose@[1 2]", "character not allowed in address literal (RFC 5321 4.1.3)"},
        {"rose@cesoo..com", "empty label in domain"},
        {"rose@-cesoo.com", "domain label must start and end with a letter or digit"},
        {"rose@ces_oo.com", "character '_' not allowed in domain"},
        {"rose@\xE4\xBE.cn", "domain is not valid UTF-8 (RFC 6531 3.3, RFC 3629)"},
    };
    for (const auto& [address, words] : cases) {
        INFO(address);
        const auto reason = smtp::mailboxError(address, true);
        REQUIRE(reason);
        CHECK(smtp::mailboxReasonWords(*reason) == words);
        CHECK(smtp::mailboxReasonText(*reason, Lang::En) == words);
        const std::string zh = smtp::mailboxReasonText(*reason, Lang::Zh);
        CHECK(hasCjk(zh));
        CHECK(noEnglishWords(zh));
    }
    CHECK(smtp::mailboxReasonText(*smtp::mailboxError("rose@例子.中国"), Lang::Zh) == "域名中有非 ASCII 字符（服务器没有提供 SMTPUTF8）");
    CHECK(smtp::mailboxReasonText(*smtp::mailboxError("ro(se@cesoo.com"), Lang::Zh) == "邮箱名中不允许出现字符 '('");
    // In a scenario: the diagnostic carries the typed reason and renders it in the chosen language.
    auto bad = sim::loadScenario("title: t\nhosts:\n  - name: m\n    domains: [cesoo.com]\n    services: [smtp]\n"
                                 "    users:\n      - { address: rose@cesoo..com }\n      - { name: ro(se }\n"
                                 "steps:\n  - wait: 5m\n",
                                 "bad.yaml");
    REQUIRE_FALSE(bad);
    REQUIRE(bad.error().size() == 2);
    CHECK(bad.error()[0].format(Lang::En) == "bad.yaml:7:20: user address 'rose@cesoo..com': empty label in domain");
    CHECK(bad.error()[0].format(Lang::Zh) == "bad.yaml:7:20: 用户地址 'rose@cesoo..com' 有误：域名中有空的标签");
    CHECK(bad.error()[1].format(Lang::En) == "bad.yaml:8:17: user 'ro(se@cesoo.com': character '(' not allowed in local part");
    CHECK(bad.error()[1].format(Lang::Zh) == "bad.yaml:8:17: 用户 'ro(se@cesoo.com' 有误：邮箱名中不允许出现字符 '('");
}

TEST_CASE("yaml-cpp's messages: each constant has Chinese, found by comparing with the constants", "[i18n][loader]") {
    const auto rows = sim::yamlMessageTexts();
    REQUIRE(rows.size() == sim::kYamlProblemCount);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        INFO(row.constant);
        CHECK(static_cast<std::size_t>(row.id) == i);
        CHECK(hasCjk(row.zh));
        CHECK(noEnglishWords(std::string(row.zh), {"Unicode"}));
        CHECK(placeholders(row.zh).contains("{0}") == row.takesValue);
        // The constant alone, and with its value, is found and renders back to yaml-cpp's words in English.
        CHECK(sim::classifyYamlMessage(row.constant) == sim::YamlMessage{row.id, ""});
        CHECK(sim::yamlMessageText(sim::classifyYamlMessage(row.constant), Lang::En) == row.constant);
        if (!row.takesValue) continue;
        const std::string msg = std::string(row.constant) + std::string(row.lead) + "q7" + std::string(row.tail);
        CHECK(sim::classifyYamlMessage(msg) == sim::YamlMessage{row.id, "q7"});
        CHECK(sim::yamlMessageText(sim::classifyYamlMessage(msg), Lang::En) == msg);
        CHECK(sim::yamlMessageText(sim::classifyYamlMessage(msg), Lang::Zh).find("'q7'") != std::string::npos);
    }
    CHECK(sim::classifyYamlMessage(YAML::ErrorMsg::KEY_NOT_FOUND_WITH_KEY(std::string("rose"))) ==
          sim::YamlMessage{sim::YamlProblem::KeyNotFound, "rose"});
    CHECK(sim::yamlMessageText({sim::YamlProblem::InvalidEscape, "q"}, Lang::Zh) == "未知的转义字符 'q'");
    // A message that is none of the constants: yaml-cpp's English, quoted in a Chinese frame.
    const auto other = sim::classifyYamlMessage("end of map not found, and more");
    CHECK(other.problem == sim::YamlProblem::Other);
    CHECK(sim::yamlMessageText(other, Lang::En) == "end of map not found, and more");
    CHECK(sim::yamlMessageText(other, Lang::Zh) == "YAML 解析器报告：“end of map not found, and more”");
}

TEST_CASE("a file that is not YAML is explained in Chinese, with its line and column", "[i18n][loader]") {
    const std::vector<std::string> broken{
        "title: t\nhosts:\n\t- name: m\n",                       // a tab in the indentation
        "title: t\nsteps: []\ndescription: \"never closed",   // an unclosed quote at the end of the file
        "title: \"never closed\n---\nhosts: []\n",               // an unclosed quote running into a document marker
        "title: t\ndescription: |0\n  x\n",                     // a block scalar indented by 0
        "title: t\nhosts: [a, b\nsteps: []\n",                   // an unclosed flow sequence
        "title: t\nhosts: {a: 1\n",                              // an unclosed flow mapping
        "title: t\n  hosts: x\n",                                // a bad mapping (a value indented under a scalar)
        "title: t\nhosts:\n  - name: m\n   bad: x\n",            // a key out of line
        "title: \"a\\qb\"\n",                                    // an unknown escape
        "title: t\nsteps: ]\n",                                  // a flow end with no start
        "title: *nowhere\n",                                     // an alias to nothing
    };
    for (const auto& text : broken) {
        INFO(text);
        auto r = sim::loadScenario(text, "bad.yaml");
        REQUIRE_FALSE(r);
        REQUIRE_FALSE(r.error().empty());
        const auto& d = r.error().front();
        INFO(d.format(Lang::En));
        INFO(d.format(Lang::Zh));
        CHECK(d.id == sim::DiagnosticId::NotYaml);
        CHECK(d.line > 0);
        CHECK(d.column > 0);
        const auto* m = std::get_if<sim::YamlMessage>(&d.args.at(0));
        REQUIRE(m);
        CHECK(m->problem != sim::YamlProblem::Other);
        CHECK(hasCjk(d.message(Lang::Zh)));
        CHECK(noEnglishWords(d.message(Lang::Zh), {"Unicode", m->rest}));
        CHECK(d.message(Lang::En).starts_with("not valid YAML: "));
    }
    auto dup = sim::loadScenario("title: t\ntitle: u\nhosts: []\nsteps: []\n", "dup.yaml");
    REQUIRE_FALSE(dup);
    CHECK(dup.error().front().format(Lang::Zh).starts_with("dup.yaml:2:1: 键 \"title\" 重复了"));
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
                                 kept ? "/ca" : "", {}};
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
    CHECK(sim::caErrorText({sim::CaProblem::Missing, "/ca/ca.key", "/ca/ca.pem", "", "", {}}, Lang::Zh) ==
          "/ca/ca.key：缺失，而 /ca/ca.pem 存在");
}

// Issue #14: an OpenSSL context's errors and OpenSSL's or the system's reasons, typed by sim/tls and worded by serve's
// catalogue: every step with every kind of reason in both languages; the common reasons in our own Chinese words (no
// English left), the rest quoted as OpenSSL or the system gave them inside a Chinese frame.
TEST_CASE("every TLS context error and every OpenSSL reason is worded in English and Chinese", "[i18n][serve]") {
    std::vector<sim::TlsReason> reasons;
    for (int k = 0; k <= static_cast<int>(sim::kLastTlsReasonKind); ++k)
        reasons.push_back({static_cast<sim::TlsReasonKind>(k), 0, "OPENSSL-TEXT"});
    for (int err : {ENOENT, EACCES, EPERM, EISDIR, EIO}) reasons.push_back(sim::systemReason(err));
    for (int step = 0; step <= static_cast<int>(sim::kLastTlsStep); ++step) {
        for (const sim::TlsReason& reason : reasons) {
            for (const std::string file : {"", "/ca/hosts/m.pem"}) {
                const sim::TlsContextError e{static_cast<sim::TlsStep>(step), file, reason};
                const std::string en = sim::tlsContextErrorText(e, Lang::En), zh = sim::tlsContextErrorText(e, Lang::Zh);
                INFO(sim::tlsContextErrorFacts(e) << ": " << en << " / " << zh);
                CHECK(hasCjk(zh));
                CHECK(!hasCjk(en));
                const bool ownWords = reason.sysErrno == ENOENT || reason.sysErrno == EACCES ||
                                      reason.sysErrno == EPERM || reason.sysErrno == EISDIR;
                const bool quoted = reason.kind == sim::TlsReasonKind::Other ||
                                    (reason.kind == sim::TlsReasonKind::System && !ownWords);
                CHECK((zh.find(reason.text) != std::string::npos) == quoted);  // OpenSSL's or the system's own words
                if (!quoted) CHECK(englishRun(zh).empty());
                CHECK((zh.find(file) != std::string::npos) == (en.find(file) != std::string::npos));
            }
        }
        CHECK(!sim::tlsStepName(static_cast<sim::TlsStep>(step)).empty());
    }
    for (const sim::TlsReason& reason : reasons) CHECK(!sim::tlsReasonKindName(reason.kind).empty());
    CHECK(sim::tlsReasonText(sim::systemReason(ENOENT), Lang::Zh) == "文件不存在");
    CHECK(sim::tlsReasonText(sim::systemReason(ENOENT), Lang::En) == "No such file or directory");
    CHECK(sim::tlsReasonText({sim::TlsReasonKind::Other, 0, "error:X:SSL routines::bad thing"}, Lang::Zh) ==
          "OpenSSL 报告：“error:X:SSL routines::bad thing”");
    // The CA's errors take the same reasons: the directory that cannot be created, in Chinese.
    sim::CaError cannot{sim::CaProblem::CannotCreate, "/ca", "", "", "", sim::systemReason(EACCES)};
    CHECK(sim::caErrorText(cannot, Lang::Zh) == "无法创建 CA 目录 /ca：没有权限");
}
