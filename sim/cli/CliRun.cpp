// `mailsim run`: loads a scenario, runs it headless and prints the transcript.
#include "sim/world/Api.hpp"
#include "sim/cli/Cli.hpp"
#include "sim/tools/Lang.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/tools/Transcript.hpp"
#include "sim/cli/CliText.hpp"
#include "trace/Render.hpp"

#include <charconv>
#include <cstdio>
#include <fmt/format.h>

namespace mailsim::sim {
namespace {

// A CLI catalogue text (CliText.hpp) in `lang` with its arguments.
std::string say(i18n::Lang lang, CliText id, auto&&... args) {
    return fmt::format(fmt::runtime(cliText(id, lang)), std::forward<decltype(args)>(args)...);
}

}  // namespace

int runMain(std::span<const std::string> args) {
    std::string file;
    std::string format = "text";
    TranscriptOptions topts;
    // Every word of the command (usage errors, title, annotations, the summary) is in the language of --lang, else
    // of the locale; protocol lines are never translated.
    topts.lang = commandLineLang(args);
    const i18n::Lang lang = topts.lang;
    RunOptions ropts;
    std::string until;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--format" || a == "--until" || a == "--seed") {
            auto v = optionValue(args, i,
                                 cliText(a == "--format"  ? CliText::WantTextOrJson
                                         : a == "--until" ? CliText::WantCheckpoint
                                                          : CliText::WantPositive, lang),
                                 lang);
            if (!v) return usageError("run", v.error(), lang);
            if (a == "--format") {
                format = *v;
                if (format != "text" && format != "json") return usageError("run", say(lang, CliText::RunFormatBad, format), lang);
            } else if (a == "--until") {
                until = *v;
            } else {
                auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), ropts.seedOverride);
                if (ec != std::errc{} || p != v->data() + v->size() || ropts.seedOverride == 0)
                    return usageError("run", say(lang, CliText::RunSeedBad, *v), lang);
            }
        } else if (a == "--lang") {
            auto v = optionValue(args, i, cliText(CliText::WantLang, lang), lang);
            if (!v) return usageError("run", v.error(), lang);
            auto parsed = i18n::parseLang(*v);
            if (!parsed) return usageError("run", say(lang, CliText::LangValueBad, *v), lang);
            topts.lang = *parsed;
        } else if (a == "--times") {
            topts.times = true;
        } else if (a == "--no-states") {
            topts.states = false;
        } else if (looksLikeOption(a)) {
            return usageError("run", say(lang, CliText::RunUnknownOption, a), lang);
        } else if (file.empty()) {
            file = a;
        } else {
            return usageError("run", say(lang, CliText::RunOneFile, file, a), lang);
        }
    }
    if (file.empty()) return usageError("run", cliText(CliText::RunNoFile, lang), lang);
    auto result = runScenarioFile(file, ropts);
    if (!result) {
        for (const auto& d : result.error()) fmt::print(stderr, "{}\n", d.format(lang));
        fmt::print(stderr, "{}\n", say(lang, CliText::RunProblems, result.error().size(), file,
                                       result.error().size() == 1 ? "" : "s"));
        return 2;
    }
    if (!until.empty()) {
        auto id = findCheckpoint(result->trace, until);
        if (!id) {
            fmt::print(stderr, "{}\n", say(lang, CliText::RunNoCheckpoint, file, until));
            return 2;
        }
        topts.until = *id;
    }
    if (format == "json") {
        std::fputs(formatJson(result->trace).c_str(), stdout);
    } else {
        fmt::print("{}\n", result->title.in(lang));
        if (!result->description.empty()) fmt::print("{}\n", result->description.in(lang));
        topts.scenarioText = &result->scenarioText;
        fmt::print("\n{}", formatTranscript(result->trace, topts));
    }
    std::fflush(stdout);
    for (const auto& f : result->failures) {
        const trace::Event& e = result->trace.at(f.event);  // its typed facts, in the chosen language
        fmt::print(stderr, "{}\n", say(lang, CliText::RunFailed, f.place.text(lang), trace::expectedText(e, lang), trace::gotText(e, lang)));
    }
    fmt::print(stderr, "{}\n", say(lang, CliText::RunSummary, file, result->expectationsChecked - result->failures.size(),
                                   result->expectationsChecked));
    return result->ok() ? 0 : 1;
}

}  // namespace mailsim::sim
