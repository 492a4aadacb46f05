// `mailsim run`: loads a scenario, runs it headless and prints the transcript.
#include "sim/world/Api.hpp"
#include "sim/cli/Cli.hpp"
#include "sim/tools/Lang.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/tools/Transcript.hpp"

#include <charconv>
#include <cstdio>
#include <fmt/format.h>

namespace mailsim::sim {

int runMain(std::span<const std::string> args) {
    std::string file;
    std::string format = "text";
    TranscriptOptions topts;
    topts.lang = langFromEnvironment();
    RunOptions ropts;
    std::string until;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--format" || a == "--until" || a == "--seed") {
            auto v = optionValue(args, i, a == "--format" ? "text or json" : a == "--until" ? "a checkpoint name"
                                                                                              : "a positive whole number");
            if (!v) return usageError("run", v.error());
            if (a == "--format") {
                format = *v;
                if (format != "text" && format != "json")
                    return usageError("run", fmt::format("--format must be text or json, not '{}'", format));
            } else if (a == "--until") {
                until = *v;
            } else {
                auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), ropts.seedOverride);
                if (ec != std::errc{} || p != v->data() + v->size() || ropts.seedOverride == 0)
                    return usageError("run", fmt::format("--seed must be a positive whole number, not '{}'", *v));
            }
        } else if (a == "--lang") {
            auto v = optionValue(args, i, "en or zh");
            if (!v) return usageError("run", v.error());
            auto lang = i18n::parseLang(*v);
            if (!lang) return usageError("run", fmt::format("--lang must be en or zh, not '{}'", *v));
            topts.lang = *lang;
        } else if (a == "--times") {
            topts.times = true;
        } else if (a == "--no-states") {
            topts.states = false;
        } else if (looksLikeOption(a)) {
            return usageError("run", fmt::format("unknown option '{}'; expected --format, --times, --no-states, --seed, "
                                                 "--until or --lang", a));
        } else if (file.empty()) {
            file = a;
        } else {
            return usageError("run", fmt::format("one scenario file at a time ('{}' and '{}')", file, a));
        }
    }
    if (file.empty()) return usageError("run", "which scenario? expected: mailsim run FILE [--format text|json] [--times] [--until CHECKPOINT] [--lang en|zh]");
    auto result = runScenarioFile(file, ropts);
    if (!result) {
        for (const auto& d : result.error()) fmt::print(stderr, "{}\n", d.format());
        fmt::print(stderr, "mailsim run: {} problem{} in {}; nothing was run\n", result.error().size(),
                   result.error().size() == 1 ? "" : "s", file);
        return 2;
    }
    if (!until.empty()) {
        auto id = findCheckpoint(result->trace, until);
        if (!id) {
            fmt::print(stderr, "mailsim run: {} has no checkpoint '{}'\n", file, until);
            return 2;
        }
        topts.until = *id;
    }
    if (format == "json") {
        std::fputs(formatJson(result->trace).c_str(), stdout);
    } else {
        const i18n::Lang lang = langFromEnvironment();
        fmt::print("{}\n", result->title.in(lang));
        if (!result->description.empty()) fmt::print("{}\n", result->description.in(lang));
        fmt::print("\n{}", formatTranscript(result->trace, topts));
    }
    std::fflush(stdout);
    for (const auto& f : result->failures)
        fmt::print(stderr, "FAILED {}: expected {}, got {}\n", f.where, f.expected, f.got);
    fmt::print(stderr, "{}: {} of {} expectations held\n", file, result->expectationsChecked - result->failures.size(),
               result->expectationsChecked);
    return result->ok() ? 0 : 1;
}

}  // namespace mailsim::sim
