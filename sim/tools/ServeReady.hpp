// The machine channel of `mailsim serve` (issue #14): `--ready-file PATH` announces the bound listeners as one JSON
// document, so scripts, the interop tests and mailsim-gui never parse the human `listening` lines (which are printed
// in the operator's language). The writer is sim/serve; the readers are the GUI (gui/Live.cpp) and the Python
// harnesses (tests/interop/mailsim_server.py, tests/cli/test_cli.py, gui/tests/live_attach_test.py).
//
// Contract
// - The file appears once, after every listener is bound (connections queue in the kernel's backlog from then on),
//   TLS is set up and the --trace-out stream is open: the whole document is written to "PATH.tmp.<pid>" and renamed
//   to PATH, so a reader sees either no file or the complete document, never a part of it.
// - serve removes a stale PATH before it binds anything, and removes its own PATH when it exits normally (SIGINT,
//   SIGTERM); after a crash or SIGKILL the file stays, which `pid` lets a harness notice.
// - The document (format "mailsim-serve-ready", version 1; later versions only add members):
//     {"format": "mailsim-serve-ready", "version": 1, "pid": 4242,
//      "listeners": [{"host": "cesoo.com", "service": "smtp", "protocol": "smtp", "address": "127.0.0.1",
//                     "port": 2525, "endpoint": "127.0.0.1:2525", "implicitTls": false, "submission": false,
//                     "starttls": true}, ...]}
//   in the order the listeners were given (--config: scenario order, per host smtp, submission, smtps, pop3, pop3s,
//   imap, imaps). `host` is the served host (the single host: its --domain), `service` the listener's name (smtp,
//   submission, smtps, pop3, pop3s, imap, imaps), `address` without brackets, `starttls` whether STARTTLS/STLS is
//   offered on a plain listener.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::sim {

inline constexpr std::string_view kReadyFormat = "mailsim-serve-ready";
inline constexpr int kReadyVersion = 1;

struct ReadyListener {
    std::string host;
    std::string service;
    std::string protocol;  // "smtp", "pop3" or "imap"
    std::string address;   // "127.0.0.1", "::1"
    int port = 0;
    bool implicitTls = false;
    bool submission = false;
    bool starttls = false;
    // "127.0.0.1:2525" or "[::1]:2525"
    std::string endpoint() const;
};

struct ReadyInfo {
    long pid = 0;
    std::vector<ReadyListener> listeners;
};

// The document, one line with a final newline.
std::string readyJson(const ReadyInfo& info);
// Parses a document of this format (any version >= 1: unknown members are ignored); the error says what is wrong.
std::expected<ReadyInfo, std::string> parseReadyJson(std::string_view text);
// Writes the document to `path` atomically (a temporary file beside it, then rename). The error is errno.
std::expected<void, int> writeReadyFile(const std::string& path, const ReadyInfo& info);
// Reads and parses `path`; the error is "" when it does not exist (yet), else what is wrong.
std::expected<ReadyInfo, std::string> readReadyFile(const std::string& path);

}  // namespace mailsim::sim
