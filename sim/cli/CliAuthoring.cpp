// Authoring commands for instructors: `mailsim check` validates scenario files without running them, and
// `mailsim new` writes a commented starter scenario.
#include "sim/cli/Cli.hpp"
#include "sim/cli/CliText.hpp"
#include "sim/tools/Lang.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/scenario/Scenario.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace mailsim::sim {
namespace {

namespace fs = std::filesystem;

// The starter scenario: every line commented, valid as written (a test runs it).
constexpr const char* kStarter = R"(# {title}: a mailsim scenario. Run it with `mailsim run {file}`; check it with `mailsim check {file}`.
# The format is described in docs/scenario-format.md.
# Text for people is written in English and Chinese (a plain string is English only; `mailsim check` warns).
title:
  en: {title}
  zh: {title}
description:
  en: >-
    One or two sentences for the students: what happens here and what to watch for.
  zh: 用一两句话告诉学生：这里发生了什么，要注意看什么。
# lesson: ../lessons/en/{name}.md      # the Markdown lesson that goes with this scenario
# include: [networks/two-domains.yaml]  # hosts and DNS shared with other scenarios (a network file)

hosts:
  - name: mail.cesoo.com               # a mail server...
    domains: [cesoo.com]               # ...final destination for these domains
    services: [smtp]                   # SMTP on port 25 ("smtp:2525" for another port)
    users:
      - {{ name: mike, password: mike123, display_name: Mike }}
      - {{ name: rose, password: rose123, display_name: Rose }}
    # smtp: {{ lenient: false }}        # strict RFC 5321: MAIL FROM:<...> needs angle brackets
  - name: mike-pc                      # a client machine: no services

steps:
  - note: {{ en: "Mike connects to port 25 and types SMTP by hand.", zh: "Mike 连到 25 端口，手工输入 SMTP 命令。" }}
  - session: {{ from: mike-pc, to: mail.cesoo.com:25 }}
    script:
      - {{ expect: 220 }}                                 # the greeting
      - {{ send: "HELO mike-pc", expect: 250 }}
      - {{ send: "MAIL FROM:<mike@cesoo.com>", expect: 250 }}
      - {{ send: "RCPT TO:<rose@cesoo.com>", expect: 250 }}
      - {{ send: "DATA", expect: 354 }}
      - {{ send: "Subject: Hello" }}                      # the message: header lines,
      - {{ send: "" }}                                    # an empty line,
      - {{ send: "Hello Rose!" }}                         # the body,
      - {{ send: ".", expect: 250 }}                      # and a line holding only "."
      - {{ send: "QUIT", expect: 221 }}
  # - checkpoint: message-sent        # a named point; a lesson links to it with [text](checkpoint:message-sent)
  - check: {{ mailbox: rose@cesoo.com, count: 1, contains: "Hello Rose!" }}
)";

// Files under a directory named `networks` are network fragments for `include:` (docs/scenario-format.md), not
// scenarios: they are checked on their own as fragments.
bool isNetworkFragment(const fs::path& path) {
    for (const auto& part : path.parent_path())
        if (part == "networks") return true;
    return false;
}

int checkOne(const fs::path& path, int& bad, i18n::Lang lang) {
    if (isNetworkFragment(path)) {
        auto diags = checkNetworkFragment(path.string());
        for (const auto& d : diags) fmt::print(stderr, "{}\n", d.format(lang));
        if (!diags.empty()) {
            ++bad;
            return 2;
        }
        fmt::print("{}\n", cliSay(lang, CliText::CheckOkNetwork, path.string()));
        return 0;
    }
    auto text = readFileFromDisk(path.string());
    if (!text) {
        fmt::print(stderr, "{}\n", cliSay(lang, CliText::CheckCannotRead, path.string()));
        ++bad;
        return 2;
    }
    auto sc = loadScenario(*text, path.string());
    if (!sc) {
        for (const auto& d : sc.error()) fmt::print(stderr, "{}\n", d.format(lang));
        ++bad;
        return 2;
    }
    // Texts for people in one language only: a warning each (the file is still valid).
    for (const TextGap& g : sc->textGaps) {
        // Chinese sets a noun against the next word without a space ("检查点标签缺少"), a YAML key with one ("title 缺少").
        std::string what = nounText(g.what, lang);
        if (lang == i18n::Lang::Zh && !what.empty() && static_cast<unsigned char>(what.back()) < 0x80) what += ' ';
        fmt::print(stderr, "{}\n", cliSay(lang, CliText::CheckMissingLang, g.file, g.pos.line, g.pos.column, what,
                                       i18n::langCode(g.missing)));
    }
    fmt::print("{}\n", cliSay(lang, CliText::CheckOk, path.string(), sc->hosts.size(), sc->steps.size(),
                             sc->hosts.size() == 1 ? "" : "s", sc->steps.size() == 1 ? "" : "s"));
    return 0;
}

}  // namespace

int checkMain(std::span<const std::string> args) {
    std::vector<fs::path> files;
    std::vector<std::string> inputs;
    i18n::Lang lang = langFromEnvironment();
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] != "--lang") {
            inputs.push_back(args[i]);
            continue;
        }
        const auto chosen = i + 1 < args.size() ? parseLangOption(args[i + 1]) : std::nullopt;
        if (!chosen) {
            fmt::print(stderr, "{}\n", cliSay(lang, CliText::LangBad, "check", i + 1 < args.size() ? args[i + 1] : ""));
            return 2;
        }
        lang = *chosen;
        ++i;
    }
    if (inputs.empty()) inputs.push_back("scenarios");
    for (const auto& a : inputs) {
        if (looksLikeOption(a))
            return usageError("check", cliSay(lang, CliText::CheckUnknownOption, a), lang);
        std::error_code ec;
        if (fs::is_directory(a, ec)) {
            std::vector<fs::path> found;
            for (const auto& e : fs::recursive_directory_iterator(a, ec))
                if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml"))
                    found.push_back(e.path());
            std::ranges::sort(found);
            if (found.empty()) fmt::print(stderr, "{}\n", cliSay(lang, CliText::CheckNoYaml, a));
            files.insert(files.end(), found.begin(), found.end());
        } else {
            files.emplace_back(a);
        }
    }
    int bad = 0;
    for (const auto& f : files) checkOne(f, bad, lang);
    if (files.size() > 1) fmt::print("{}\n", cliSay(lang, CliText::CheckSummary, files.size() - bad, files.size()));
    return bad || files.empty() ? 2 : 0;
}

int newMain(std::span<const std::string> args) {
    const auto chosen = commandLang(args, "new");
    if (!chosen) return 2;
    const i18n::Lang lang = *chosen;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--lang") {
            ++i;  // checked by commandLang
        } else if (looksLikeOption(args[i]) || args[i] == "-") {
            return usageError("new", cliSay(lang, CliText::NewUnknownOption, args[i]), lang);
        } else {
            names.push_back(args[i]);
        }
    }
    if (names.empty()) return usageError("new", cliSay(lang, CliText::NewNoName), lang);
    if (names.size() != 1) return usageError("new", cliSay(lang, CliText::NewOneName, names[0], names[1]), lang);
    fs::path file = names[0];
    if (file.extension() != ".yaml") file += ".yaml";
    std::error_code ec;
    if (fs::exists(file, ec)) {
        fmt::print(stderr, "{}\n", cliSay(lang, CliText::NewExists, file.string()));
        return 2;
    }
    std::string name = file.stem().string();
    std::string title = name;
    for (char& c : title)
        if (c == '-' || c == '_') c = ' ';
    if (!title.empty()) title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    std::string text = fmt::format(fmt::runtime(kStarter), fmt::arg("title", title), fmt::arg("file", file.string()),
                                   fmt::arg("name", name));
    std::ofstream out(file, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
        fmt::print(stderr, "{}\n", cliSay(lang, CliText::NewCannotWrite, file.string()));
        return 2;
    }
    fmt::print("{}\n", cliSay(lang, CliText::NewWrote, file.string()));
    return 0;
}

}  // namespace mailsim::sim
