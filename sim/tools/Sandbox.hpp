// The sandbox: a scenario's network, live, with a telnet-like client the student types into.
//
// Theory of operation
// - `Sandbox::open` loads a scenario and (unless `fresh`) runs its steps, so the mailboxes are as the scenario leaves
//   them; then nothing happens until the student connects. The world keeps running afterwards: every line typed goes
//   over the virtual network to the real server session of that host, the scheduler runs until the world is idle,
//   and what the server answered comes back. The trace grows with every line, so any view of it (the transcript,
//   the GUI's panels) shows the new lines, state changes and store changes.
// - One connection at a time; `connect` opens it (the greeting is the first answer), `disconnect` hangs up (as
//   closing telnet: no QUIT is sent for you). A line that asks for TLS (STARTTLS, STLS, "tag STARTTLS") and is
//   accepted starts the TLS handshake, after which the lines travel inside TLS; an implicit TLS port (465/995/993)
//   is TLS from the start.
// - Every typed line is remembered with the answer it got, so the sessions can be saved as a scenario
//   (`scenarioYaml`): the original file with one `session` step per connection appended, each line with the reply
//   it got as its expectation, so replaying the file checks that the server still answers the same way.
#pragma once

#include "sim/world/Api.hpp"

#include <expected>
#include <memory>
#include <string>
#include <vector>

namespace mailsim::sim {

struct SandboxLine {
    std::string sent;    // as typed (without CRLF; may be empty: a blank line of message content)
    std::string answer;  // what the server sent back (lines joined with "\n"); "" when it answered nothing
    bool greeting = false;  // the greeting: nothing was sent
};

struct SandboxSession {
    std::string from, to, protocol;
    int port = 0;
    std::vector<SandboxLine> lines;
};

class Sandbox {
public:
    // `fresh`: do not run the scenario's steps first (empty mailboxes, hosts as defined).
    static std::expected<std::unique_ptr<Sandbox>, std::vector<Diagnostic>> open(const std::string& path,
                                                                                 bool fresh = false);
    ~Sandbox();

    const RunResult& result() const;
    // "mail.cesoo.com: smtp 25, submission 587, pop3 110" for every host with services, and the client hosts.
    std::vector<std::string> servers() const;
    std::vector<std::string> clients() const;

    // Connects `from` (a host of the scenario; default: the first host without services) to `target` (HOST or
    // HOST:PORT) with `protocol` (smtp, pop3, imap; default from the port). Returns the greeting, or why not.
    std::expected<std::string, std::string> connect(const std::string& from, const std::string& target,
                                                    const std::string& protocol);
    bool connected() const;
    // Sends one line (CRLF added) and returns the server's answer ("" when it says nothing: message content after
    // 354, a line of a literal). After the server closed, returns an error text starting with "(".
    std::string send(const std::string& line);
    void disconnect();

    const std::vector<SandboxSession>& sessions() const;
    // The scenario file with the recorded sessions appended as steps (see the theory of operation).
    std::expected<std::string, std::string> scenarioYaml() const;

private:
    struct Impl;
    explicit Sandbox(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The expectation a recorded answer turns into, in scenario syntax: "250", "+OK", "-ERR", "OK", "NO", "BAD", "\"+\""
// (IMAP continuation), or "" (nothing to check).
std::string expectationFor(const std::string& protocol, const std::string& sent, const std::string& answer);

}  // namespace mailsim::sim
