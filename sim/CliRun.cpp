// `mailsim run`: loads a scenario, runs it headless and prints the transcript.
#include "Api.hpp"
#include "Cli.hpp"
#include "Lang.hpp"
#include "Transcript.hpp"

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
        auto value = [&](std::string_view flag) -> const std::string* {
            if (i + 1 < args.size()) return &args[++i];
            fmt::print(stderr, "mailsim run: {} needs a value\n", flag);
            return nullptr;
        };
        if (a == "--format") {
            auto v = value(a);
            if (!v) return 2;
            format = *v;
            if (format != "text" && format != "json") {
                fmt::print(stderr, "mailsim run: --format must be text or json, not '{}'\n", format);
                return 2;
            }
        } else if (a == "--until") {
            auto v = value(a);
            if (!v) return 2;
            until = *v;
        } else if (a == "--lang") {
            auto v = value(a);
            if (!v) return 2;
            auto lang = i18n::parseLang(*v);
            if (!lang) {
                fmt::print(stderr, "mailsim run: --lang must be en or zh, not '{}'\n", *v);
                return 2;
            }
            topts.lang = *lang;
        } else if (a == "--times") {
            topts.times = true;
        } else if (a == "--no-states") {
            topts.states = false;
        } else if (a == "--seed") {
            auto v = value(a);
            if (!v) return 2;
            auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), ropts.seedOverride);
            if (ec != std::errc{} || p != v->data() + v->size() || ropts.seedOverride == 0) {
                fmt::print(stderr, "mailsim run: --seed must be a positive whole number, not '{}'\n", *v);
                return 2;
            }
        } else if (a.starts_with("-")) {
            fmt::print(stderr, "mailsim run: unknown option '{}' (see 'mailsim help')\n", a);
            return 2;
        } else if (file.empty()) {
            file = a;
        } else {
            fmt::print(stderr, "mailsim run: one scenario file at a time ('{}' and '{}')\n", file, a);
            return 2;
        }
    }
    if (file.empty()) {
        fmt::print(stderr, "mailsim run: which scenario? usage: mailsim run FILE [--format text|json] [--times] [--until CHECKPOINT] [--lang en|zh]\n");
        return 2;
    }
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
