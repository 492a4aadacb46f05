#include "Options.hpp"

#include "Settings.hpp"
#include "Strings.hpp"
#include "sim/tools/Lang.hpp"

#include <charconv>
#include <optional>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace mailsim::gui {
namespace {

template <typename T>
bool parseNumber(std::string_view text, T& out) {
    if (text.empty()) return false;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && ptr == text.data() + text.size();
}

// The arguments, read one option at a time. An option's value never looks like an option (`--attach --presenter` is
// refused, not a file name), except for --sandbox-send, whose value is a line typed to a server.
struct Args {
    int argc;
    const char* const* argv;
    int i = 0;
    std::optional<std::string_view> value(bool anyText = false) {
        if (i + 1 >= argc) return std::nullopt;
        std::string_view next = argv[i + 1];
        if (!anyText && next.size() >= 2 && next[0] == '-') return std::nullopt;
        return std::string_view(argv[++i]);
    }
};

// One option's outcome: not this group's (nullopt), taken (""), or why it was refused.
using Taken = std::optional<std::string>;
const Taken kTaken = std::string();

// What is shown and how: the screenshot, the cursor, the window, the panel, the language.
Taken displayOption(std::string_view arg, Args& args, Options& options) {
    if (arg == "--screenshot") {
        auto v = args.value();
        if (!v || v->empty()) return say(S::OptScreenshot);
        options.screenshot = std::string(*v);
    } else if (arg == "--screenshot-delay") {
        auto v = args.value();
        int seconds = 0;
        if (!v || !parseNumber(*v, seconds) || seconds < 0 || seconds > 600)
            return say(S::OptScreenshotDelay);
        options.screenshotDelay = seconds;
    } else if (arg == "--frames") {
        auto v = args.value();
        if (!v || !parseNumber(*v, options.frames) || options.frames < 1) return say(S::OptFrames);
    } else if (arg == "--step") {
        auto v = args.value();
        std::size_t k = 0;
        if (!v || !parseNumber(*v, k)) return say(S::OptStep);
        options.cursor = k;
    } else if (arg == "--cursor") {
        auto v = args.value();
        std::size_t k = 0;
        if (v && *v == "end") options.cursor = CursorAtEnd{};
        else if (v && *v == "start") options.cursor = std::size_t{0};
        else if (v && parseNumber(*v, k)) options.cursor = k;
        else return say(S::OptCursor);
    } else if (arg == "--size") {
        auto v = args.value();
        auto x = v ? v->find('x') : std::string_view::npos;
        if (x == std::string_view::npos || !parseNumber(v->substr(0, x), options.width) ||
            !parseNumber(v->substr(x + 1), options.height) || options.width < 320 || options.height < 240 ||
            options.width > 8192 || options.height > 8192)
            return say(S::OptSize);
        options.sizeGiven = true;
    } else if (arg == "--font-size") {
        auto v = args.value();
        int px = 0;
        if (!v || !parseNumber(*v, px) || px < 8 || px > 96) return say(S::OptFontSize);
        options.fontSize = static_cast<float>(px);
        options.fontSizeGiven = true;
    } else if (arg == "--show") {
        auto v = args.value();
        if (!v || v->empty()) return say(S::OptShow);
        options.show = std::string(*v);
    } else if (arg == "--lang") {
        auto v = args.value();
        if (!v || (*v != "en" && *v != "zh")) return say(S::OptLang);
        options.language = std::string(*v);
    } else if (arg == "--presenter") {
        options.presenter = true;
    } else if (arg == "--time-axis") {
        options.timeAxis = true;
    } else {
        return std::nullopt;
    }
    return kTaken;
}

// The modes: predict, a live server (attach, serve and its arguments), the sandbox.
Taken modeOption(std::string_view arg, Args& args, Options& options) {
    if (arg == "--predict") {
        options.predict = true;
    } else if (arg == "--predict-states") {
        options.predictStates = true;
        options.predict = true;
    } else if (arg == "--predict-answer") {
        auto v = args.value();
        if (!v || v->empty()) return say(S::OptPredictAnswer);
        options.predictAnswer = std::string(*v);
        options.predict = true;
    } else if (arg == "--attach") {
        auto v = args.value();
        if (!v || v->empty()) return say(S::OptAttach);
        options.attach = std::string(*v);
    } else if (arg == "--serve") {
        options.serve = true;
    } else if (arg == "--") {
        if (!options.serve) return say(S::OptDashDash);
        for (++args.i; args.i < args.argc; ++args.i) options.serveArgs.emplace_back(args.argv[args.i]);
    } else if (arg == "--sandbox") {
        auto v = args.value();
        if (!v || v->empty()) return say(S::OptSandbox);
        options.sandbox = std::string(*v);
    } else if (arg == "--sandbox-from") {
        auto v = args.value();
        if (!v || v->empty()) return say(S::OptSandboxFrom);
        options.sandboxFrom = std::string(*v);
    } else if (arg == "--sandbox-send") {
        auto v = args.value(true);
        if (!v) return say(S::OptSandboxSend);
        options.sandboxSend.emplace_back(*v);
    } else {
        return std::nullopt;
    }
    return kTaken;
}

// Options that cannot go together; "" when they can.
std::string refusedCombination(const Options& options) {
    if (options.serve && !options.attach.empty()) return say(S::OptServeAndAttach);
    if (options.live() && !options.scenario.empty())
        return say(S::OptLiveScenarioFmt, options.scenario.c_str());
    if (options.live() && options.predict) return say(S::OptLivePredict);
    if ((!options.sandboxFrom.empty() || !options.sandboxSend.empty()) && options.sandbox.empty())
        return say(S::OptSandboxOnly);
    return {};
}

}  // namespace

std::variant<Options, std::string> parseOptions(int argc, const char* const* argv) {
    Options options;
    for (Args args{argc, argv, 0}; args.i < argc; ++args.i) {
        std::string_view arg = argv[args.i];
        if (arg == "-h" || arg == "--help") {
            options.help = true;
        } else if (arg == "--version") {
            options.version = true;
        } else if (Taken t = displayOption(arg, args, options)) {
            if (!t->empty()) return *t;
        } else if (Taken m = modeOption(arg, args, options)) {
            if (!m->empty()) return *m;
        } else if (arg.starts_with("-")) {
            return say(S::OptUnknownFmt, std::string(arg).c_str());
        } else if (options.scenario.empty()) {
            options.scenario = std::string(arg);
        } else {
            return say(S::OptTwoScenariosFmt, options.scenario.c_str(), std::string(arg).c_str());
        }
    }
    if (std::string refused = refusedCombination(options); !refused.empty()) return refused;
    return options;
}

Language commandLineLanguage(std::span<const std::string> args) {
    const auto fromLang = [](i18n::Lang lang) { return lang == i18n::Lang::Zh ? Language::Chinese : Language::English; };
    if (auto lang = sim::langOptionOf(args)) return fromLang(*lang);
    if (auto lang = sim::localeLang()) return fromLang(*lang);
    for (const std::string& arg : args) {
        if (arg == "--") break;
        if (arg == "--screenshot") return Language::English;  // screenshots do not depend on who ran them
    }
    const std::string path = settingsPath();
    return path.empty() ? Language::English : loadSettings(path).uiLanguage;
}

std::string resolveScenarioPath(const Options& options) {
    if (!options.scenario.empty()) return options.scenario;
    constexpr const char* kDefault = "scenarios/smtp-textbook.yaml";
    std::error_code ec;
    if (std::filesystem::exists(kDefault, ec)) return kDefault;
#ifdef MAILSIM_SOURCE_DIR
    std::string fromSource = std::string(MAILSIM_SOURCE_DIR) + "/" + kDefault;
    if (std::filesystem::exists(fromSource, ec)) return fromSource;
#endif
    return kDefault;  // let the loader report that it is missing
}

}  // namespace mailsim::gui
