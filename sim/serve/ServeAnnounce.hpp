// How `mailsim serve` says it is ready (issue #14): one human line per listener on stdout, in the operator's language
// (ServeText::Listening: "listening mail.cesoo.com smtp 127.0.0.1:10025", "正在监听 ..."), and for machines the
// `--ready-file PATH` document (sim/tools/ServeReady.hpp: the format, when it appears, when it is removed). Scripts,
// tests and mailsim-gui read the ready file, never the human lines.
#pragma once

#include "sim/serve/ServeLoop.hpp"
#include "sim/tools/ServeReady.hpp"

#include "i18n/Lang.hpp"

#include <expected>
#include <string>
#include <vector>

namespace mailsim::sim {

// The ready-file description of `listeners` (this process's pid).
ReadyInfo readyInfoOf(const std::vector<Listener>& listeners);

// --ready-file PATH for both forms of serve. Built before anything is bound: a stale PATH (an earlier server's) is
// removed, so a harness waiting for PATH cannot read old ports. Destroyed when serve exits: removes PATH if this
// process wrote it. An empty path does nothing but the human lines.
class ReadyAnnouncer {
public:
    explicit ReadyAnnouncer(std::string path);
    ~ReadyAnnouncer();
    ReadyAnnouncer(const ReadyAnnouncer&) = delete;
    ReadyAnnouncer& operator=(const ReadyAnnouncer&) = delete;

    // Prints the `listening` line of every listener on stdout (flushed) and then writes the ready file. The error (in
    // `lang`) names the file and the system's reason; serve then stops, since whoever asked for the file waits for it.
    std::expected<void, std::string> announce(const std::vector<Listener>& listeners, i18n::Lang lang);

private:
    std::string m_path;
    bool m_written = false;
};

}  // namespace mailsim::sim
