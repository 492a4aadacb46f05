// POP3 server states and the one transition table that the server session, the GUI's state diagram and the docs read.
//
// Theory of operation (RFC 1939 3, 4, 5, 6; RFC 2449 CAPA; RFC 5034 AUTH)
// A POP3 session walks through three states; what the client may say depends on the state it is in:
//
//   CONNECT --greeting +OK--> AUTHORIZATION --USER+PASS / APOP / AUTH ok--> TRANSACTION --QUIT--> UPDATE --> CLOSED
//                                  |  (a failed login stays here: -ERR [AUTH])                         (deletions
//                                  +--QUIT--> CLOSED  (nothing changes)                                 applied)
//
// - CONNECT: the TCP connection is open and the server has not yet greeted. It greets with +OK and, for APOP, a
//   timestamp banner "<pid.clock@host>" (RFC 1939 7).
// - AUTHORIZATION: the client identifies itself: USER name then PASS secret, or APOP name digest, or AUTH PLAIN
//   (SASL, RFC 5034). On success the server locks the maildrop exclusively (RFC 1939 8; a second session for the same
//   user gets -ERR [IN-USE], RFC 2449 8.1.1), takes a snapshot of it (message numbers 1..n stay fixed for the whole
//   session) and enters TRANSACTION. A failed login answers -ERR [AUTH] (RFC 3206) and stays here.
// - TRANSACTION: STAT, LIST, RETR, TOP, UIDL read; DELE only marks a message as deleted (it disappears from the
//   session's view at once, but nothing is removed yet); RSET unmarks them all; NOOP does nothing. Nothing here
//   changes the maildrop on the server.
// - UPDATE: entered only by QUIT from TRANSACTION. The server removes the messages marked deleted, all of them or
//   none (MailStore::removeMany), releases the lock, answers and closes. This is the one moment POP3 changes the
//   server's mailbox.
// - CLOSED: the session is over. A connection that ends any other way (the client hangs up, the idle timer of at least
//   10 minutes fires, RFC 1939 3) never enters UPDATE: the deletions are forgotten and the mail stays.
//
// STLS (RFC 2595 4) is allowed only in AUTHORIZATION, only when the transport can do TLS and TLS is not active yet.
// "+OK Begin TLS negotiation" is followed by the handshake; the session stays in AUTHORIZATION (no row changes the
// state), the client logs in inside TLS and a later CAPA no longer lists STLS.
//
// UTF8 (RFC 6856 3) is allowed only in AUTHORIZATION: the client says it can take UTF-8 (user names, header fields
// of RFC 6532 messages); the state does not change.
//
// CAPA (RFC 2449 5) is allowed in AUTHORIZATION and TRANSACTION; QUIT in both. A command the table does not allow in
// the current state is answered -ERR and changes nothing. Success paths are what the table records: a PASS, APOP or
// AUTH that fails stays in AUTHORIZATION without a transition.
#pragma once

#include "i18n/Lang.hpp"
#include "util/ClientMachine.hpp"
#include "util/ProtocolTables.hpp"

#include <array>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mailsim::pop3 {

enum class Pop3State : std::uint8_t { Connect, Authorization, Transaction, Update, Closed };
inline constexpr std::array kAllPop3States{Pop3State::Connect, Pop3State::Authorization, Pop3State::Transaction,
                                           Pop3State::Update, Pop3State::Closed};

enum class Pop3Input : std::uint8_t {
    User, Pass, Apop, Auth, Capa, Quit, Stls, Utf8,         // AUTHORIZATION (STLS: RFC 2595 4; UTF8: RFC 6856 3)
    Stat, List, Retr, Dele, Noop, Rset, Top, Uidl,          // TRANSACTION
    Greeting,     // the server sent its +OK greeting
    UpdateDone,   // the UPDATE state removed the deleted messages and the server signs off
    Abort,        // the connection ends without QUIT: idle timeout, too many errors, hang-up, shutdown
    Unknown,
};

struct Pop3Transition {
    Pop3State from;
    Pop3Input input;
    Pop3State to;
};

struct Pop3CommandInfo {
    Pop3Input input;
    std::string_view verb;     // e.g. "RETR"
    std::string_view syntax;   // shown in -ERR syntax replies and the GUI
    std::string_view rfc;
    i18n::LocalView explain;  // one line for students
    bool multiLine;            // the +OK answer is followed by lines ended by "." (RFC 1939 3); LIST/UIDL only
                               // without an argument, CAPA always
    bool optional;             // optional in RFC 1939 (TOP, UIDL, USER/PASS, APOP) or an extension (CAPA, AUTH)
    util::CommandFlags flags;  // what the server's gate checks before the handler (ProtocolTables.hpp)
};

std::string_view toString(Pop3State state);

std::span<const Pop3Transition> pop3Transitions();
// The state reached when `input` succeeds in `from`; empty when the table does not allow it (answer -ERR).
std::optional<Pop3State> pop3NextState(Pop3State from, Pop3Input input);

std::span<const Pop3CommandInfo> pop3Commands();
// Case-insensitive look-up of a command keyword (RFC 1939 3: keywords are case-insensitive); nullptr when unknown.
const Pop3CommandInfo* findPop3Command(std::string_view verb);
const Pop3CommandInfo& pop3CommandInfo(Pop3Input input);

// Whether the server's +OK answer to `line` (a command as typed) is multi-line: RETR, TOP, CAPA, and LIST/UIDL
// without an argument (RFC 1939 5, 7; RFC 2449 5). Clients (the engine's and the scripted one) use it to read replies.
bool pop3ResponseIsMultiLine(std::string_view line);

// ---- the client's side (Pop3ClientSession) ----------------------------------------------------------------------
// The client's state names the response it waits for (RETR: the message). It moves when it sends its next command;
// the table lists which command may follow which response (RFC 1939 4-7, RFC 2449 5, RFC 2595 4: CAPA again after
// TLS; RFC 1939 7: a refused PASS/APOP may be followed by a new USER or APOP), QUIT ends from anywhere after the
// greeting, Close (the answer to QUIT, a closed connection) ends it.
// Recorded as StateChanged events of the machine "pop3-client".
//
//   GREETING --[CAPA --STLS--> STLS --TLS--> CAPA]--USER--> USER --PASS--> PASS --UIDL|LIST--> listing
//   --RETR--> RETR [--DELE--> DELE] --RETR ... --QUIT--> QUIT --Close--> DONE          (or APOP instead of USER/PASS)
enum class Pop3ClientState : std::uint8_t { Greeting, User, Pass, Apop, List, Uidl, Retr, Dele, Quit, Done, Capa, Stls };
inline constexpr std::array kAllPop3ClientStates{
    Pop3ClientState::Greeting, Pop3ClientState::Capa, Pop3ClientState::Stls, Pop3ClientState::User,
    Pop3ClientState::Pass,     Pop3ClientState::Apop, Pop3ClientState::Uidl, Pop3ClientState::List,
    Pop3ClientState::Retr,     Pop3ClientState::Dele, Pop3ClientState::Quit, Pop3ClientState::Done};
enum class Pop3ClientInput : std::uint8_t { Capa, Stls, User, Pass, Apop, List, Uidl, Retr, Dele, Quit, Close };

std::string_view toString(Pop3ClientState state);
std::string_view toString(Pop3ClientInput input);
std::span<const util::Transition<Pop3ClientState, Pop3ClientInput>> pop3ClientTransitions();
// The state reached when the client does `input` in `from`; empty when the table does not allow it.
std::optional<Pop3ClientState> pop3ClientNextState(Pop3ClientState from, Pop3ClientInput input);

// The client's machine (util/ClientMachine.hpp) at GREETING, recording its moves as "pop3-client" through `recorder`:
// the engine's client and the simulator's scripted POP3 sessions walk the same table with it.
using Pop3ClientMachine = util::ClientMachine<Pop3ClientState, Pop3ClientInput>;
Pop3ClientMachine pop3ClientMachine(trace::Recorder recorder);
// The client's input for a command line as a person types it (a scripted session), found through the command table
// (keywords ignore case): CAPA, STLS, USER, PASS, APOP, LIST, UIDL, RETR, DELE, QUIT. Empty for any other line
// (STAT, NOOP, RSET, TOP, AUTH and its SASL lines, an unknown keyword): the client's table has no move for it.
std::optional<Pop3ClientInput> pop3ClientInputOf(std::string_view line);

}  // namespace mailsim::pop3
