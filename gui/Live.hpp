// Following a live server (issue #8): the GUI tails the JSON Lines trace that `mailsim serve --trace-out FILE` writes
// (sim/tools/LiveTrace.hpp), or starts that server itself as a child process and tails its trace.
//
// Contract
// - GL-free, like the view model. The App polls it between frames (at most every 100 ms); poll() reads only what was
//   appended since the last call, into the source's own trace. Between frames (at most 5 times a second) the App
//   appends what it gained to its document's trace and extends the view model over it (TraceSource.hpp); panels keep
//   ids and row indices, never pointers into the trace, across frames.
// - A started server runs in its own temporary directory (trace.jsonl, serve.log, ready.json - its --ready-file, where
//   the status finds the listeners - and maildir/ unless --maildir was given); it is sent SIGTERM when the source is destroyed (SIGKILL if it has not exited within 3 s), and
//   PR_SET_PDEATHSIG stops it if the GUI dies first.
#pragma once

#include "sim/tools/LiveTrace.hpp"
#include "trace/Trace.hpp"

#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace mailsim::gui {

class LiveSource {
public:
    LiveSource() = default;
    LiveSource(const LiveSource&) = delete;
    LiveSource& operator=(const LiveSource&) = delete;
    ~LiveSource();

    // Follows `path` (it may not exist yet).
    void attach(std::string path);
    // Starts `mailsim serve <args> --trace-out DIR/trace.jsonl --ready-file DIR/ready.json` (adding --maildir
    // DIR/maildir when `args` has none, and the three plain listeners on 127.0.0.1:2525/1100/1430 when `args` has no
    // listener) and follows it. `mailsim` is the program to run ("" = next to this executable, then the build
    // tree's sim/, then $PATH).
    bool startServer(std::vector<std::string> args, const std::string& mailsim, std::string& error);

    // Reads what the file gained. True when the trace changed (grew, or started over).
    bool poll();
    // Reads the file again from the start.
    void reread();

    const trace::Trace& trace() const { return m_trace; }
    const std::string& path() const { return m_path; }
    // One line for the header: the file, the server's listeners and whether it is still running.
    const std::string& status() const { return m_status; }
    bool serving() const { return m_child > 0; }

private:
    void updateStatus();

    std::string m_path;
    std::unique_ptr<sim::LiveTraceReader> m_reader;
    trace::Trace m_trace;
    pid_t m_child = -1;
    std::string m_dir;        // the temporary directory of a started server
    std::string m_listening;  // "smtp 127.0.0.1:2525, pop3 ..." from the server's ready file
    std::string m_exited;     // "the server exited with status 1" once it has
    std::string m_status;
};

// The mailsim CLI to start: next to `self` (this executable), then ../sim/mailsim (the build tree), else "mailsim".
std::string findMailsimProgram(const std::string& self);

}  // namespace mailsim::gui
