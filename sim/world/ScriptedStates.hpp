// The client's side of a scripted session (a `session` step: a person's lines typed as written, ScriptedSession.cpp;
// the sandbox's typed sessions, sim/tools/Sandbox.cpp, alike).
//
// Theory of operation
// A scripted session runs no client engine, so nothing would say which state the client is in. ScriptedStates
// follows the protocol's client transition table (smtp::SmtpClientMachine, pop3::Pop3ClientMachine: the same
// util::ClientMachine the engine's client sessions walk, not a second state machine) from what the script does, and
// records each move as a StateChanged event of the client's machine ("smtp-client", "pop3-client") in the session,
// as the engine's clients do; the GUI's state panel shows it on its client side.
// - A command line sent moves the client by the table's row for that command (`smtpClientInputOf`,
//   `pop3ClientInputOf`); a line the table has no move for from here (NOOP, STAT, MAIL before HELO, RETR without
//   LIST) leaves the state as it is: a person may type what the textbook client never would, and the server's
//   answer shows what it made of it (util::ClientMachine::follow).
// - SMTP message content (lines sent after 354, the final "." included) is the input Content; a line answering a
//   SASL challenge (after 334 / "+ ") is no command.
// - A reply that ends the dialogue closes the machine (SMTP: 421 anywhere, RFC 5321 3.8; any answer to QUIT), and so
//   does the end of the connection (either side hung up).
// - Each move's `why` is the reply the client had last read (SMTP: its code; POP3: "+OK" or "-ERR"), its cause
//   that reply's last line, as with the engine's clients.
// IMAP plugs in the same way once its client has a transition table: one more protocol description in
// ScriptedStates.cpp (its table's machine, the input of a tagged command line, the replies that end it) and one more
// entry in makeScriptedStates.
#pragma once

#include "trace/Trace.hpp"

#include <cstdint>
#include <memory>
#include <string_view>

namespace mailsim::sim::detail {

// A whole reply as the scripted client read it.
struct ScriptedReply {
    int code = 0;           // SMTP: the reply code; 0 otherwise
    bool ok = false;        // SMTP: 2xx/3xx; POP3: +OK; IMAP: OK
};

class ScriptedStates {
public:
    enum class LineKind : std::uint8_t {
        Command,       // a command line
        Content,       // SMTP message content after 354, the final "." included
        Continuation,  // a line answering a SASL challenge (334, "+ ")
    };

    virtual ~ScriptedStates() = default;
    // A line the script typed; `cause` = the reply line it follows (kNoCause before any).
    virtual void sent(std::string_view line, LineKind kind, trace::Micros now, trace::EventId cause) = 0;
    // A whole reply read; `cause` = its last line.
    virtual void replied(const ScriptedReply& reply, trace::Micros now, trace::EventId cause) = 0;
    // The connection ended (the server closed it, the script hung up, TLS failed). Idempotent.
    virtual void closed(trace::Micros now, trace::EventId cause) = 0;
};

// The client's side of a scripted session of `protocol`, recording through `recorder`; nullptr for a protocol whose
// client has no transition table (IMAP, for now).
std::unique_ptr<ScriptedStates> makeScriptedStates(std::string_view protocol, trace::Recorder recorder);

}  // namespace mailsim::sim::detail
