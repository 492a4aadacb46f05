// Turning a recorded trace (e.g. a live `mailsim serve` session, read back from `serve --trace-out`) into a scenario
// file that replays the same dialogue against the simulator.
//
// Theory of operation
// - Each traced SMTP, POP3 or IMAP session becomes a `session` step typed from one client host ("student-pc") to one
//   server host named after the domain in the greetings ("mail.cesoo.com"). Every client line is a `send`, and the
//   server's answer to it becomes its `expect` (the same rule as the sandbox: SMTP code, +OK/-ERR, the IMAP tagged
//   status), so `mailsim run` checks that the simulator answers as the live server did.
// - The host is reconstructed from what the dialogue shows: its services (the standard port of each protocol seen;
//   587 when the client logged in with SMTP AUTH; 465/995/993 when TLS came before the greeting), STARTTLS when a
//   client used it, users from successful logins (USER/PASS, LOGIN, AUTH PLAIN decoded - their passwords are in the
//   trace because the server saw them) and from accepted local recipients (password "secret").
// - What cannot be known (the server's other settings, mail already stored before the recording) is not invented:
//   the file starts with a comment saying what to check. Challenge-response logins cannot be replayed byte for byte
//   (the challenge differs): APOP is replayed as USER/PASS when the password is known; an SMTP AUTH CRAM-MD5 exchange
//   is kept as recorded and will be refused on replay.
#pragma once

#include "trace/Trace.hpp"

#include <string>

namespace mailsim::sim {

struct RecordOptions {
    std::string title = "Recorded from a live session";
    std::string source;  // where the trace came from, for the file's comment
};

// The scenario YAML, or an empty string when the trace holds no protocol session.
std::string scenarioFromTrace(const trace::Trace& trace, const RecordOptions& options = {});

// A YAML double-quoted scalar for any text (quotes, backslashes and control characters escaped).
std::string yamlQuoted(std::string_view text);

struct SandboxSession;
// One `session` step in scenario syntax (two-space list indent, as under `steps:`): every line typed, each with the
// expectation its answer gives (expectationFor, Sandbox.hpp); the greeting is awaited when it gives one.
std::string sessionStepYaml(const SandboxSession& session);

}  // namespace mailsim::sim
