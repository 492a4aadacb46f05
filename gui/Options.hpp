// Command-line options of mailsim-gui.
#pragma once

#include <cstddef>
#include <optional>
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

inline constexpr const char* kUsage = R"(mailsim-gui - step through a mail scenario's trace

usage:
  mailsim-gui [FILE] [--size WxH] [--font-size PX]
              [--step K | --cursor end] [--screenshot PNG [--frames N]]
              [--show PANEL] [--lang en|zh] [--presenter] [--time-axis]
              [--predict [--predict-states] [--predict-answer REPLY]]
  mailsim-gui --attach TRACE.jsonl [options]
  mailsim-gui --serve [options] [-- SERVE-ARGS...]
  mailsim-gui --help | --version
              [--sandbox HOST[:PORT] [--sandbox-from HOST] [--sandbox-send LINE]...]

  FILE              scenario to load (default: scenarios/smtp-textbook.yaml, looked up in the current directory,
                    then in the source tree)
  --attach FILE     follow a live server: FILE is what `mailsim serve --trace-out FILE` writes; every panel shows
                    the real clients' sessions as they happen (the cursor follows the end while it is there)
  --serve [-- ARGS] start `mailsim serve ARGS --trace-out <temp dir>/trace.jsonl` and follow it (default ARGS:
                    --smtp 127.0.0.1:2525 --pop3 127.0.0.1:1100 --imap 127.0.0.1:1430; the Maildir in the temp
                    dir unless --maildir is given); the server is stopped when the window closes
  --step K          place the cursor K steps in (0 = the first line)
  --cursor end      place the cursor on the last step
  --screenshot PNG  render N frames (--frames, default 5) off-screen, write the window as PNG, exit 0
  --screenshot-delay S
                    with --screenshot: keep rendering for S seconds first (a live server's sessions arrive meanwhile)
  --size WxH        window (or screenshot) size, default 1280x800
  --font-size PX    text size in pixels, default 22 (times the monitor's content scale)
  --show PANEL      bring a panel to the front of its slot: sequence, transcript, state, inspector, mailboxes,
                    lesson, checks, scenarios, predict, sandbox
  --lang en|zh      user interface and lesson language (default: as last time, else English)
  --presenter       presenter mode: larger text (at least 28 px), high contrast, long lines wrapped, secondary
                    panels hidden (F11 toggles)
  --time-axis       sequence diagram along virtual time instead of one row per event (idle gaps compressed and
                    marked "... 2 h later ...")
  --predict         predict mode: the cursor stops before each server reply until you choose it (the Predict
                    panel); starts at the first reply after --step
  --predict-states  predict mode asks the next protocol state at each state change too
  --predict-answer REPLY
                    answer that first question with REPLY (e.g. 550), to show the feedback (tests, slides)
  --sandbox HOST[:PORT]
                    sandbox mode: the scenario's network, live, after its steps; connect to HOST (e.g.
                    mail.cesoo.com:25) from the first client host (--sandbox-from HOST: that one) and type each
                    --sandbox-send LINE (repeatable; tests, slides). The header's "Sandbox" toggle does it by hand.

keys: Right/Left (or Down/Up) step, [ ] previous/next state change, Home/End first/last, Space play/pause,
      PageUp/PageDown 10 steps, F5 reload the file, F11 presenter mode, Shift+F11 full screen
settings (languages, panel sizes, tabs, playback) are kept in $XDG_CONFIG_HOME/mailsim/gui.ini (screenshots ignore it)

exit status: 0 ok, 2 bad arguments, 3 no display or no OpenGL 3.3 window (use `mailsim run FILE` headless),
             4 no off-screen framebuffer for the screenshot, 5 the screenshot could not be written
)";

// Parses argv (without the program name). On error returns the message to print.
std::variant<Options, std::string> parseOptions(int argc, const char* const* argv);

// The scenario to load: the one given, else the default looked up in the working directory, then the source tree.
std::string resolveScenarioPath(const Options& options);

}  // namespace mailsim::gui
