// IMAP server states and the one transition table that the server session, the GUI's state diagram and the docs read.
//
// Theory of operation (RFC 3501 3, 6; RFC 2177 IDLE; RFC 3691 UNSELECT)
// An IMAP connection is in one of four states; each command belongs to the states in which the table allows it:
//
//   connect --* OK greeting--> NOT AUTHENTICATED --LOGIN / AUTHENTICATE ok--> AUTHENTICATED --SELECT/EXAMINE ok-->
//                                     |                                        ^    |            SELECTED
//                                     |                                        |    |              |
//                                     |                     CLOSE / UNSELECT --+----+-- a failed SELECT leaves
//                                     |                     (CLOSE expunges \Deleted first)       the mailbox
//                                     +-- LOGOUT (any state) --> LOGOUT --> the server closes the connection
//
// - NOT AUTHENTICATED (RFC 3501 3.1): the client must identify itself: LOGIN user password, or AUTHENTICATE PLAIN
//   (SASL, RFC 4616). A failed login answers tagged NO [AUTHENTICATIONFAILED] and stays here.
// - AUTHENTICATED (3.2): the client works with mailboxes as a whole: LIST/LSUB, CREATE/DELETE/RENAME,
//   (UN)SUBSCRIBE, STATUS, APPEND, and picks one with SELECT (read-write) or EXAMINE (read-only).
// - SELECTED (3.3): commands on the messages of the selected mailbox, addressed by sequence number (1..n, they shift
//   when messages are expunged) or, with the UID prefix, by UID (stable, RFC 3501 2.3.1.1): FETCH, STORE, SEARCH,
//   COPY, MOVE (RFC 6851), EXPUNGE, CHECK, IDLE (RFC 2177), SORT and THREAD (RFC 5256). SELECT/EXAMINE of another
//   mailbox stays here (the old one is deselected without expunging); a SELECT that fails drops back to
//   AUTHENTICATED (6.3.1). CLOSE expunges and deselects; UNSELECT deselects without expunging.
// - LOGOUT (3.4): entered by the LOGOUT command in any state, the server's autologout timer (at least 30 minutes,
//   5.4), too many errors, a shutdown, or the client hanging up. The server answers "* BYE" and closes.
//
// STARTTLS (6.2.1) is valid only in NOT AUTHENTICATED and only when the transport can do TLS (otherwise BAD). The
// tagged "OK Begin TLS negotiation now" is followed by the handshake; the state stays NOT AUTHENTICATED, and the
// client must ask CAPABILITY again: STARTTLS and LOGINDISABLED are no longer listed inside TLS.
//
// CAPABILITY, NOOP and LOGOUT are valid in every state (6.1); ID (RFC 2971) too. A command the table does not allow
// in the current state is answered tagged BAD and changes nothing. Like the POP3 table, only success paths are rows;
// commands that succeed without changing the state are rows from a state to itself.
#pragma once

#include "i18n/Lang.hpp"
#include "util/ClientMachine.hpp"
#include "util/ProtocolTables.hpp"

#include <array>
#include <vector>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mailsim::imap {

enum class ImapState : std::uint8_t { NotAuthenticated, Authenticated, Selected, Logout };
inline constexpr std::array kAllImapStates{ImapState::NotAuthenticated, ImapState::Authenticated, ImapState::Selected,
                                           ImapState::Logout};

enum class ImapInput : std::uint8_t {
    // any state (RFC 3501 6.1; RFC 2971)
    Capability, Noop, Logout, Id,
    // not authenticated (6.2)
    Login, Authenticate, StartTls,
    // authenticated (6.3; RFC 2342, 5161)
    Select, Examine, Create, Delete, Rename, Subscribe, Unsubscribe, List, Lsub, Status, Append, Namespace, Enable,
    // selected (6.4; RFC 3691, 6851, 2177)
    Check, Close, Unselect, Expunge, Search, Fetch, Store, Copy, Move, Uid, Idle,
    // selected, extensions (RFC 5256 SORT and THREAD)
    Sort, Thread,
    // events that are not commands
    Greeting,      // the server sent its greeting
    SelectFailed,  // SELECT/EXAMINE of a mailbox that cannot be opened: the old one is deselected (6.3.1)
    Abort,         // the connection ends: autologout, too many errors, hang-up, shutdown
    Unknown,
};

struct ImapTransition {
    ImapState from;
    ImapInput input;
    ImapState to;
};

struct ImapCommandInfo {
    ImapInput input;
    std::string_view verb;     // e.g. "FETCH"
    std::string_view syntax;   // shown in BAD replies and the GUI
    std::string_view rfc;
    i18n::LocalView explain;  // one line for students
    // The tagged completions RFC 3501 6 (or the extension's RFC) lists under "Result:" for this command: OK and BAD
    // always, NO where the command can fail normally. Predict mode offers these as the choices.
    std::array<std::string_view, 3> replies;
    util::CommandFlags flags;  // what the server's gate checks before dispatch (ProtocolTables.hpp)
};

std::string_view toString(ImapState state);

std::span<const ImapTransition> imapTransitions();
// The state reached when `input` succeeds in `from`; empty when the table does not allow it (answer BAD).
std::optional<ImapState> imapNextState(ImapState from, ImapInput input);

std::span<const ImapCommandInfo> imapCommands();
// Case-insensitive look-up of a command name (RFC 3501 9: "case-insensitive"); nullptr when unknown.
const ImapCommandInfo* findImapCommand(std::string_view verb);
const ImapCommandInfo& imapCommandInfo(ImapInput input);
// The row's tagged completions ("OK", "NO", "BAD") without the empty slots.
std::vector<std::string_view> allowedCompletions(const ImapCommandInfo& info);
// The command's explanation in English and Chinese (zh empty where not yet translated: `in(lang)` shows English).
i18n::LocalText commandExplanation(ImapInput input);

// ---- the client's side (ImapClientSession) ----------------------------------------------------------------------
// The client's state names the response it waits for (SELECT: the answer to its SELECT; IDLING: the server's pushes
// after "+ idling"). It moves when it sends its next command, chosen from that response and its task (the inputs are
// named after the state they lead to; LIST is the summary FETCH, OPEN a UID FETCH of one body, UPLOAD / FETCH-NEW /
// SURVIVORS / FLAGS the steps of a disconnected resync, RFC 4549 4.3); the server's "+" to IDLE (<idling>, RFC 2177
// 3) moves it without a command, and Close (the answer to LOGOUT, a BYE, a failure, a closed connection) ends it
// from anywhere. Recorded as StateChanged events of the machine "imap-client".
//
//   GREETING [--CAPABILITY--> CAPABILITY --STARTTLS--> STARTTLS --TLS--> CAPABILITY] --LOGIN--> LOGIN
//   LOGIN --SELECT--> SELECT --> LIST --> OPEN | SEARCH [--> MOVE | STORE] | STORE | IDLE --> IDLING --> IDLE-DONE
//         | UPLOAD --> FETCH-NEW [--> SURVIVORS --> FLAGS]             ... --LOGOUT--> LOGOUT --Close--> DONE
//   LOGIN --CREATE--> CREATE [--SELECT--> (Move task)] | --DELETE--> DELETE | --RENAME--> RENAME  --LOGOUT--> ...
enum class ImapClientState : std::uint8_t {
    Greeting, Capability, StartTls, Login, Create, Delete, Rename, Select, List, Open, Search, Move, Store, Upload,
    FetchNew, Survivors, Flags, Idle, Idling, IdleDone, Logout, Done,
};
inline constexpr std::array kAllImapClientStates{
    ImapClientState::Greeting, ImapClientState::Capability, ImapClientState::StartTls, ImapClientState::Login,
    ImapClientState::Create,   ImapClientState::Delete,     ImapClientState::Rename,   ImapClientState::Select,
    ImapClientState::List,     ImapClientState::Open,       ImapClientState::Search,   ImapClientState::Move,
    ImapClientState::Store,    ImapClientState::Upload,     ImapClientState::FetchNew, ImapClientState::Survivors,
    ImapClientState::Flags,    ImapClientState::Idle,       ImapClientState::Idling,   ImapClientState::IdleDone,
    ImapClientState::Logout,   ImapClientState::Done};

// What the client does next: the command it sends (named after the state it leads to), the server's "+" to IDLE
// (Idling), or Close.
enum class ImapClientInput : std::uint8_t {
    Capability, StartTls, Login, Create, Delete, Rename, Select, List, Open, Search, Move, Store, Upload, FetchNew,
    Survivors, Flags, Idle, Idling, IdleDone, Logout, Close,
};

std::string_view toString(ImapClientState state);
std::string_view toString(ImapClientInput input);
std::span<const util::Transition<ImapClientState, ImapClientInput>> imapClientTransitions();
// The state reached when the client does `input` in `from`; empty when the table does not allow it.
std::optional<ImapClientState> imapClientNextState(ImapClientState from, ImapClientInput input);

// The client's machine (util/ClientMachine.hpp) at GREETING, recording its moves as "imap-client" through `recorder`:
// the engine's client and the simulator's scripted IMAP sessions walk the same table with it.
using ImapClientMachine = util::ClientMachine<ImapClientState, ImapClientInput>;
ImapClientMachine imapClientMachine(trace::Recorder recorder);
// The inputs a command line as a person types it (a scripted session) can be, best first, found through the command
// table after the tag (and after UID; verbs ignore case): CAPABILITY, STARTTLS, LOGIN/AUTHENTICATE, CREATE, DELETE,
// RENAME, SELECT/EXAMINE, FETCH (the summary LIST, a body OPEN, then the resync's FETCH-NEW and FLAGS), SEARCH (then
// the resync's SURVIVORS), MOVE, STORE (then the resync's UPLOAD), IDLE, LOGOUT, and the untagged DONE that ends
// IDLE (RFC 2177 3). The client's table names its inputs after its tasks' steps, so one command may be several of
// them; the follower takes the first the table has a move for from where the client is. Empty for any other line
// (NOOP, LIST, STATUS, APPEND, EXPUNGE, CLOSE, an unknown command, a line without a tag).
std::span<const ImapClientInput> imapClientInputsOf(std::string_view line);

}  // namespace mailsim::imap
