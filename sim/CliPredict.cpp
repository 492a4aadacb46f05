// `mailsim predict`: the transcript line by line; before each server reply the student types a guess, which is
// scored and, when wrong, explained from the reply catalogue (Predict.hpp). --answers gives the guesses up front
// (tests, and instructors checking a key); the end of stdin ends the quiz with the score so far.
#include "Api.hpp"
#include "Cli.hpp"
#include "CliArgs.hpp"
#include "Predict.hpp"
#include "Transcript.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fmt/format.h>
#include <iostream>
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

void printScore(const PredictScore& s) {
    fmt::print("Score: {}/{}", s.correct, s.answered);
    if (s.answered < s.total) fmt::print(" ({} of {} replies asked)", s.answered, s.total);
    fmt::print("\n");
}

}  // namespace

int predictMain(std::span<const std::string> args) {
    std::string file;
    RunOptions ropts;
    PredictOptions popts;
    bool haveAnswers = false;
    std::vector<std::string> answers;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--answers") {
            auto v = optionValue(args, i, "a list of guesses, e.g. --answers 220,250,250");
            if (!v) return usageError("predict", v.error());
            answers = splitAnswers(*v);
            haveAnswers = true;
        } else if (a == "--states") {
            popts.states = true;
        } else if (a == "--seed") {
            auto v = optionValue(args, i, "a positive whole number");
            if (!v) return usageError("predict", v.error());
            auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), ropts.seedOverride);
            if (ec != std::errc{} || p != v->data() + v->size() || ropts.seedOverride == 0)
                return usageError("predict", fmt::format("--seed must be a positive whole number, not '{}'", *v));
        } else if (looksLikeOption(a)) {
            return usageError("predict", fmt::format("unknown option '{}'; expected --answers, --states or --seed", a));
        } else if (file.empty()) {
            file = a;
        } else {
            return usageError("predict", fmt::format("one scenario file at a time ('{}' and '{}')", file, a));
        }
    }
    if (file.empty()) return usageError("predict", "which scenario? expected: mailsim predict FILE [options]");
    auto result = runScenarioFile(file, ropts);
    if (!result) {
        for (const auto& d : result.error()) fmt::print(stderr, "{}\n", d.format());
        fmt::print(stderr, "mailsim predict: {} problem{} in {}; nothing was run\n", result.error().size(),
                   result.error().size() == 1 ? "" : "s", file);
        return 2;
    }
    const trace::Trace& tr = result->trace;
    const std::vector<PredictPoint> points = predictionPoints(tr, popts);
    std::unordered_map<trace::EventId, std::size_t> pointOf;
    for (std::size_t i = 0; i < points.size(); ++i) pointOf.emplace(points[i].event, i);

    fmt::print("{}\n", result->title);
    fmt::print("Predict mode: before each server reply, type the reply you expect ({} questions).\n\n", points.size());
    PredictScore score;
    score.total = points.size();
    std::size_t nextAnswer = 0;
    const TranscriptOptions topts{.times = false, .states = true, .sessionHeaders = true};
    bool ended = false;
    const bool echo = !isatty(STDIN_FILENO);  // piped answers are not echoed by a terminal: show them
    for (const trace::Event& e : tr.events()) {
        const std::string line = formatEvent(tr, e, topts);
        if (line.empty()) continue;
        auto it = pointOf.find(e.id);
        if (it == pointOf.end()) {
            fmt::print("{}\n", line);
            continue;
        }
        const PredictPoint& point = points[it->second];
        const std::string prompt = fmt::format("Your guess for {} [{}]: ", describeQuestion(point),
                                               joinChoices(point.choices));
        std::string guess;
        for (;;) {
            fmt::print("{}", prompt);
            std::fflush(stdout);
            if (haveAnswers) {
                if (nextAnswer >= answers.size()) {
                    ended = true;
                    break;
                }
                guess = answers[nextAnswer++];
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
            fmt::print("  please type one of {}\n", joinChoices(point.choices));
        }
        if (ended) {
            fmt::print("\n(no more answers: the quiz ends here)\n");
            break;
        }
        const PredictFeedback feedback = judge(tr, point, guess);
        ++score.answered;
        if (feedback.correct) ++score.correct;
        fmt::print("{}\n{}", line, formatFeedback(feedback));
    }
    std::fflush(stdout);
    printScore(score);
    return 0;
}

}  // namespace mailsim::sim
