// Command-line options of mailsim-gui.
#pragma once

#include "Lesson.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace mailsim::gui {

// Where the trace cursor starts: a step index, or the last step.
struct CursorAtEnd {};
using StartCursor = std::variant<std::size_t, CursorAtEnd>;

struct Options {
    std::string scenario;            // empty: the default scenario (see resolveScenarioPath)
    std::string screenshot;          // non-empty: render `frames` frames, write this PNG and exit
    int frames = 5;                  // frames to render in screenshot mode
    double screenshotDelay = 0.0;    // and keep rendering (10 frames a second) this many seconds first (live tests)
    int width = 1280;
    int height = 800;
    bool sizeGiven = false;
    float fontSize = 22.0f;          // pixels; large enough for a classroom projector
    bool fontSizeGiven = false;
    StartCursor cursor = std::size_t{0};
    std::string show;                // a panel id to bring to front (its tab selected), e.g. "inspector"
    std::string language;            // "en" or "zh": UI and lesson language ("" = remembered / English)
    bool presenter = false;          // start in presenter mode
    bool timeAxis = false;           // sequence diagram along virtual time
    bool predict = false;            // start in predict mode, stopped before the first reply after the cursor
    std::string predictAnswer;       // answer that first question (screenshot tests of the feedback)
    bool predictStates = false;      // predict mode asks the next state at state changes too
    std::string attach;              // --attach FILE: follow a live trace (mailsim serve --trace-out FILE)
    bool serve = false;              // --serve [-- ARGS]: start mailsim serve and follow it
    std::vector<std::string> serveArgs;
    std::string sandbox;             // start in sandbox mode connected to this HOST[:PORT]
    std::string sandboxFrom;         // from this client host ("" = the scenario's first)
    std::vector<std::string> sandboxSend;  // then type these lines
    bool help = false;
    bool version = false;            // --version: print "mailsim-gui VERSION" and exit 0

    bool live() const { return serve || !attach.empty(); }
};


// Parses argv (without the program name). On error returns the message to print (in the message language,
// Strings.hpp). The manual (--help) is the string table's S::Usage (UsageText.hpp).
std::variant<Options, std::string> parseOptions(int argc, const char* const* argv);

// The language of what mailsim-gui prints (args without the program name), as the mailsim command line chooses it
// (sim/tools/Lang.hpp): the first `--lang` naming a language before a lone "--", else the locale (LC_ALL,
// LC_MESSAGES, LANG), else the UI language remembered in the settings (not for --screenshot runs, which never read
// them), else English. Scanned before parsing, so the parser's errors are already in it.
Language commandLineLanguage(std::span<const std::string> args);

// The scenario to load: the one given, else the default looked up in the working directory, then the source tree.
std::string resolveScenarioPath(const Options& options);

}  // namespace mailsim::gui
