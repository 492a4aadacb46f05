// `mailsim predict`: the transcript line by line; before each server reply the student types a guess, which is
// scored and, when wrong, explained from the reply catalogue (Predict.hpp). --answers gives the guesses up front
// (tests, and instructors checking a key); the end of stdin ends the quiz with the score so far.
#include "sim/world/Api.hpp"
#include "sim/cli/Cli.hpp"
#include "sim/cli/CliText.hpp"
#include "sim/tools/Lang.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/tools/Predict.hpp"
#include "sim/tools/Transcript.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fmt/format.h>
#include <iostream>
#include <optional>
#include <unordered_map>
#include <unistd.h>

namespace mailsim::sim {
namespace {

std::vector<std::string> splitAnswers(std::string_view list) {
    std::vector<std::string> out;
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        out.emplace_back(list.substr(0, comma));
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return out;
}

std::string joinChoices(const std::vector<std::string>& choices) {
    std::string out;
    for (const auto& c : choices) {
        if (!out.empty()) out += '/';
        out += c;
    }
    return out;
}

void printScore(const PredictScore& s, i18n::Lang lang) {
    fmt::print(fmt::runtime(cliText(CliText::PredictScore, lang)), s.correct, s.answered);
    if (s.answered < s.total) fmt::print(fmt::runtime(cliText(CliText::PredictScoreAsked, lang)), s.answered, s.total);
    fmt::print("\n");
}

struct PredictArgs {
    std::string file;
    RunOptions run;
    PredictOptions predict;
    std::optional<std::vector<std::string>> answers;
    i18n::Lang lang = langFromEnvironment();
    std::string from;     // checkpoint name
    std::string session;  // as typed, checked against the trace
};

// 0: parsed; otherwise the exit code (2), the problem already printed.
int parseArgs(std::span<const std::string> args, PredictArgs& o) {
    o.lang = commandLineLang(args);  // so the usage errors before --lang is reached are in its language too
    const auto say = [&](CliText id, auto&&... xs) {
        return fmt::format(fmt::runtime(cliText(id, o.lang)), std::forward<decltype(xs)>(xs)...);
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool takesValue = a == "--answers" || a == "--seed" || a == "--lang" || a == "--from" ||
                                a == "--session" || a == "--protocol";
        if (takesValue && i + 1 >= args.size()) {
            fmt::print(stderr, "{}\n", fmt::format(fmt::runtime(cliText(CliText::PredictNeedsValue, o.lang)), a));
            return 2;
        }
        if (takesValue && looksLikeOption(args[i + 1])) {  // `--from --states`: a value that reads as an option
            const CliText what = a == "--answers" ? CliText::WantGuesses
                                 : a == "--seed"  ? CliText::WantPositive
                                 : a == "--lang"  ? CliText::WantLang
                                 : a == "--from"  ? CliText::WantCheckpoint
                                 : a == "--session" ? CliText::WantSession
                                                    : CliText::WantProtocol;
            std::size_t at = i;
            return usageError("predict", optionValue(args, at, cliText(what, o.lang), o.lang).error(), o.lang);
        }
        if (a == "--answers") {
            o.answers = splitAnswers(args[++i]);
        } else if (a == "--states") {
            o.predict.states = true;
        } else if (a == "--lang") {
            const auto lang = parseLangOption(args[++i]);
            if (!lang) {
                fmt::print(stderr, "{}\n", fmt::format(fmt::runtime(cliText(CliText::LangBad, o.lang)), "predict", args[i]));
                return 2;
            }
            o.lang = *lang;
        } else if (a == "--from") {
            o.from = args[++i];
        } else if (a == "--session") {
            o.session = args[++i];
        } else if (a == "--protocol") {
            o.predict.protocol = args[++i];
            if (o.predict.protocol != "smtp" && o.predict.protocol != "pop3" && o.predict.protocol != "imap") {
                fmt::print(stderr, "{}\n",
                           fmt::format(fmt::runtime(cliText(CliText::PredictProtocolBad, o.lang)), o.predict.protocol));
                return 2;
            }
        } else if (a == "--seed") {
            const std::string& v = args[++i];
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), o.run.seedOverride);
            if (ec != std::errc{} || p != v.data() + v.size() || o.run.seedOverride == 0) {
                return usageError("predict", say(CliText::RunSeedBad, v), o.lang);
            }
        } else if (looksLikeOption(a)) {
            return usageError("predict", say(CliText::PredictUnknownOption, a), o.lang);
        } else if (o.file.empty()) {
            o.file = a;
        } else {
            return usageError("predict", say(CliText::RunOneFile, o.file, a), o.lang);
        }
    }
    if (o.file.empty())
        return usageError("predict", cliText(CliText::PredictNoFile, o.lang), o.lang);
    return 0;
}

// --from and --session checked against the run: 0, or 2 with the problem printed.
int resolveFilters(const RunResult& run, PredictArgs& o) {
    const trace::Trace& tr = run.trace;
    if (!o.from.empty()) {
        o.predict.from = findCheckpoint(tr, o.from);
        if (!o.predict.from) {
            std::string names;
            for (const trace::Event& e : tr.events())
                if (e.kind == trace::EventKind::Note && e.machine == kCheckpointMachine)
                    names += (names.empty() ? "" : ", ") + e.text;
            fmt::print(stderr, "{}\n", fmt::format(fmt::runtime(cliText(CliText::PredictNoCheckpoint, o.lang)), o.from,
                                                   o.file, names.empty() ? "-" : names));
            return 2;
        }
    }
    if (!o.session.empty()) {
        std::uint32_t n = 0;
        auto [p, ec] = std::from_chars(o.session.data(), o.session.data() + o.session.size(), n);
        if (ec != std::errc{} || p != o.session.data() + o.session.size() || n == 0 || n > tr.sessions().size()) {
            fmt::print(stderr, "{}\n", fmt::format(fmt::runtime(cliText(CliText::PredictSessionBad, o.lang)),
                                                   tr.sessions().size(), o.session));
            return 2;
        }
        o.predict.session = n;
    }
    return 0;
}

}  // namespace

int predictMain(std::span<const std::string> args) {
    PredictArgs o;
    if (const int rc = parseArgs(args, o)) return rc;
    const i18n::Lang lang = o.lang;
    auto result = runScenarioFile(o.file, o.run);
    if (!result) {
        for (const auto& d : result.error()) fmt::print(stderr, "{}\n", d.format(lang));
        fmt::print(stderr, "{}\n",
                   fmt::format(fmt::runtime(cliText(CliText::PredictProblems, lang)), result.error().size(), o.file,
                               result.error().size() == 1 ? "" : "s"));
        return 2;
    }
    if (const int rc = resolveFilters(*result, o)) return rc;
    const trace::Trace& tr = result->trace;
    const std::vector<PredictPoint> points = predictionPoints(tr, o.predict);
    std::unordered_map<trace::EventId, std::size_t> pointOf;
    for (std::size_t i = 0; i < points.size(); ++i) pointOf.emplace(points[i].event, i);
    // Effects of a reply (the store line of an accepted message, ...) wait until the reply is answered.
    std::unordered_map<trace::EventId, std::size_t> effectOf;
    for (std::size_t i = 0; i < points.size(); ++i)
        for (trace::EventId id : points[i].effects) effectOf.emplace(id, i);

    fmt::print("{}\n", result->title.in(lang));
    fmt::print("{}\n\n", fmt::format(fmt::runtime(cliText(CliText::PredictIntro, lang)), points.size()));
    if (points.empty()) fmt::print("{}\n\n", cliText(CliText::PredictNoQuestions, lang));
    PredictScore score;
    score.total = points.size();
    std::size_t nextAnswer = 0;
    const TranscriptOptions topts{.times = false, .states = true, .sessionHeaders = true, .lang = lang,
                                  .scenarioText = &result->scenarioText};
    bool ended = false;
    const bool echo = !isatty(STDIN_FILENO);  // piped answers are not echoed by a terminal: show them
    std::vector<std::string> held;            // effects printed once their reply is answered
    std::size_t skipped = 0;
    for (const trace::Event& e : tr.events()) {
        if (o.predict.from && e.id < *o.predict.from) {  // --from: start at the checkpoint
            ++skipped;
            continue;
        }
        if (skipped) {
            fmt::print("{}\n", fmt::format(fmt::runtime(cliText(CliText::PredictSkipped, lang)), skipped, o.from));
            skipped = 0;
        }
        const std::string line = formatEvent(tr, e, topts);
        if (line.empty()) continue;
        if (effectOf.contains(e.id)) {
            held.push_back(line);
            continue;
        }
        auto it = pointOf.find(e.id);
        if (it == pointOf.end()) {
            fmt::print("{}\n", line);
            continue;
        }
        const PredictPoint& point = points[it->second];
        const std::string prompt = fmt::format(fmt::runtime(cliText(CliText::PredictPrompt, lang)),
                                               describeQuestion(point, lang), joinChoices(point.choices));
        std::string guess;
        for (;;) {
            fmt::print("{}", prompt);
            std::fflush(stdout);
            if (o.answers) {
                if (nextAnswer >= o.answers->size()) {
                    ended = true;
                    break;
                }
                guess = (*o.answers)[nextAnswer++];
                fmt::print("{}\n", guess);
                break;
            }
            if (!std::getline(std::cin, guess)) {
                ended = true;
                break;
            }
            if (echo) fmt::print("{}\n", guess);
            const std::string normal = normaliseGuess(point, guess);
            if (std::ranges::find(point.choices, normal) != point.choices.end()) break;
            fmt::print("{}\n", fmt::format(fmt::runtime(cliText(CliText::PredictPleaseType, lang)), joinChoices(point.choices)));
        }
        if (ended) {
            fmt::print("\n{}\n", cliText(CliText::PredictNoMore, lang));
            break;
        }
        const PredictFeedback feedback = judge(tr, point, guess, lang);
        ++score.answered;
        if (feedback.correct) ++score.correct;
        fmt::print("{}\n", line);
        for (const std::string& h : held) fmt::print("{}\n", h);
        held.clear();
        fmt::print("{}", formatFeedback(feedback, lang));
    }
    std::fflush(stdout);
    printScore(score, lang);
    return 0;
}

}  // namespace mailsim::sim
