// The client's side of a scripted session (a `session` step: a person's lines typed as written, ScriptedSession.cpp;
// the sandbox's typed sessions, sim/tools/Sandbox.cpp, alike).
//
// Theory of operation
// A scripted session runs no client engine, so nothing would say which state the client is in. ScriptedStates
// follows the protocol's client transition table (smtp::SmtpClientMachine, pop3::Pop3ClientMachine,
// imap::ImapClientMachine: the same util::ClientMachine the engine's client sessions walk, not a second state
// machine) from what the script does, and records each move as a StateChanged event of the client's machine
// ("smtp-client", "pop3-client", "imap-client") in the session, as the engine's clients do; the GUI's state panel
// shows it on its client side. One description per protocol in ScriptedStates.cpp says what its lines and replies are.
// - A command line sent moves the client by the table's row for that command (`smtpClientInputOf`,
//   `pop3ClientInputOf`; IMAP: the tagged command after its tag, `imapClientInputsOf`, whose first input with a row
//   wins); a line the table has no move for from here (NOOP, STAT, MAIL before HELO, RETR without LIST, IMAP's LIST
//   or EXPUNGE) leaves the state as it is: a person may type what the textbook client never would, and the server's
//   answer shows what it made of it (util::ClientMachine::follow).
// - SMTP message content (lines sent after 354, the final "." included) is the input Content; a line answering a
//   SASL challenge or a literal's "+" (after 334 / "+ ") is no command, except IMAP's DONE after the "+" of IDLE.
// - A reply may move the client without a command (IMAP: the "+" to IDLE, RFC 2177 3); untagged data moves nothing.
// - A reply that ends the dialogue closes the machine (SMTP: 421 anywhere, RFC 5321 3.8; any answer to QUIT or
//   LOGOUT; an IMAP BYE greeting), and so does the end of the connection (either side hung up).
// - Each move's `why` is the reply the client had last read (SMTP: its code; POP3: "+OK" or "-ERR"; IMAP: the
//   status of the greeting or the tagged completion, or "+"), its cause that reply's last line, as with the engine's
//   clients (util/ClientMachine.hpp: protocol tokens, never prose).
#pragma once

#include "trace/Trace.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace mailsim::sim::detail {

// A whole reply as the scripted client read it.
struct ScriptedReply {
    int code = 0;        // SMTP: the reply code; 0 otherwise
    bool ok = false;     // SMTP: 2xx/3xx; POP3: +OK; IMAP: OK
    std::string status;  // IMAP: the greeting's or the tagged completion's status (OK, NO, BAD, PREAUTH, BYE), or "+"
};

class ScriptedStates {
public:
    enum class LineKind : std::uint8_t {
        Command,       // a command line
        Content,       // SMTP message content after 354, the final "." included
        Continuation,  // a line answering a SASL challenge or a literal's "+" (334, "+ "); IMAP: DONE after IDLE's "+"
    };

    virtual ~ScriptedStates() = default;
    // A line the script typed; `cause` = the reply line it follows (kNoCause before any).
    virtual void sent(std::string_view line, LineKind kind, trace::Micros now, trace::EventId cause) = 0;
    // A whole reply read; `cause` = its last line.
    virtual void replied(const ScriptedReply& reply, trace::Micros now, trace::EventId cause) = 0;
    // The connection ended (the server closed it, the script hung up, TLS failed). Idempotent.
    virtual void closed(trace::Micros now, trace::EventId cause) = 0;
};

// The client's side of a scripted session of `protocol` ("smtp", "pop3", "imap"), recording through `recorder`;
// nullptr for a protocol whose client has no transition table.
std::unique_ptr<ScriptedStates> makeScriptedStates(std::string_view protocol, trace::Recorder recorder);

}  // namespace mailsim::sim::detail
