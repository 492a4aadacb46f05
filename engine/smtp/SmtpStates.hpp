// SMTP server states and the one transition table that the server session, the GUI's state diagram and the docs read.
//
// Theory of operation (RFC 5321 3.1-3.3, 4.1.1, 4.1.4)
// An SMTP session has three phases (the textbook's names): connection set-up, mail transfer, and release.
//
//   CONNECT --greeting 220--> INITIAL --HELO/EHLO--> READY --MAIL--> MAIL --RCPT--> RCPT --DATA 354--> DATA
//                                                     ^                                                 |
//                                                     +------------- "." (end of data, 250) -----------+
//
// - CONNECT: the TCP connection is open and the server has not yet greeted (set-up phase). The server answers
//   220 (ready) or 421 (not available, and closes).
// - INITIAL: greeted; the client must introduce itself with HELO or EHLO (RFC 5321 4.1.4: a session must start
//   with EHLO/HELO before a mail transaction).
// - READY: introduced; no mail transaction in progress. MAIL starts one.
// - MAIL: a reverse-path was accepted; RCPT adds forward-paths.
// - RCPT: at least one recipient accepted; more RCPTs, or DATA. A refused RCPT does not leave this state nor abort
//   the transaction (RFC 5321 3.3).
// - DATA: the server is reading message content; only <CRLF>.<CRLF> ends it (RFC 5321 4.1.1.4; bare LF never does:
//   CVE-2023-51764, "SMTP smuggling"). The transaction then ends and the session is READY for the next message
//   (persistent connection: several messages before QUIT).
// - CLOSED: QUIT was answered with 221, or the server sent 421 (timeout, too many errors, shutdown): release phase.
//
// AUTH (RFC 4954 4) is allowed only in READY after EHLO, once per session, and never inside a transaction; the
// SASL exchange that follows (334 challenges, base64 responses) does not change the state.
// STARTTLS (RFC 3207 4) is allowed only in READY after EHLO (outside a transaction) and only where the transport can
// do TLS. After "220 Ready to start TLS" the transport runs the handshake; when it completes (input TlsEstablished)
// the server forgets everything the client said before (RFC 3207 4.2: EHLO name, transaction, AUTH) and goes back to
// INITIAL: the client must say EHLO again.
//
//   READY --STARTTLS 220--> READY (TLS pending) --<TLS established>--> INITIAL --EHLO--> READY (inside TLS)
// RSET (RFC 5321 4.1.1.5) and a new HELO/EHLO (4.1.4) abort a transaction and return to READY; NOOP, VRFY, EXPN and
// HELP never change the state. A command that the table does not allow in the current state is answered 503
// ("bad sequence of commands", RFC 5321 4.3.2) and the state does not change. The RFC 821 commands SEND, SOML, SAML
// and TURN were removed by RFC 5321 (Appendix F) and are answered 502 in every state.
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

namespace mailsim::smtp {

enum class SmtpState : std::uint8_t { Connect, Initial, Ready, Mail, Rcpt, Data, Closed };
inline constexpr std::array kAllSmtpStates{SmtpState::Connect, SmtpState::Initial, SmtpState::Ready, SmtpState::Mail,
                                           SmtpState::Rcpt,    SmtpState::Data,    SmtpState::Closed};

enum class SmtpPhase : std::uint8_t { SetUp, Transfer, Release };

// What drives a transition: a client command, or an event of the session itself.
enum class SmtpInput : std::uint8_t {
    Helo, Ehlo, Mail, Rcpt, Data, Rset, Noop, Quit, Vrfy, Expn, Help,
    Send, Soml, Saml, Turn,  // RFC 821 only; removed by RFC 5321
    Greeting,                // the server sent its 220
    EndOfData,               // the client sent <CRLF>.<CRLF>
    Abort,                   // the server sent 421 and closes
    Auth,                    // RFC 4954 SMTP AUTH (after EHLO, outside a transaction)
    StartTls,                // RFC 3207 STARTTLS (after EHLO, outside a transaction)
    TlsEstablished,          // the transport's TLS handshake completed after STARTTLS (RFC 3207 4.2)
    SaslResponse,            // a line answering a 334 challenge during AUTH (RFC 4954 4); never changes the state
    Unknown,
};

struct SmtpTransition {
    SmtpState from;
    SmtpInput input;
    SmtpState to;
};

struct SmtpCommandInfo {
    SmtpInput input;
    std::string_view verb;    // as typed, e.g. "MAIL"
    std::string_view syntax;  // usage shown in 501 replies and the GUI
    std::string_view rfc;     // section that defines it
    i18n::LocalView explain; // one line for students
    bool rfc821;              // one of RFC 821's 14 commands
    bool removed;             // removed by RFC 5321: answered 502
    // The reply codes RFC 5321 4.3.2 (RFC 4954 for AUTH, RFC 3207 for STARTTLS) lists for this command, success
    // first where the RFC orders them; 0 ends the list. Predict mode draws its wrong answers from here.
    std::array<std::uint16_t, 12> replies;
    util::CommandFlags flags;  // what the server's gate checks before the handler (ProtocolTables.hpp)
};

std::string_view toString(SmtpState state);
std::string_view toString(SmtpPhase phase);
// The phase as the textbook names it: "connection set-up" / "连接建立", "mail transfer" / "邮件传送", "release" / "连接释放".
std::string_view phaseName(SmtpPhase phase, i18n::Lang lang);
SmtpPhase phaseOf(SmtpState state);

// The table itself, for the GUI and the docs.
std::span<const SmtpTransition> smtpTransitions();
// The state reached when `input` is accepted in `from`; empty when the table does not allow it (answer 503).
std::optional<SmtpState> smtpNextState(SmtpState from, SmtpInput input);

std::span<const SmtpCommandInfo> smtpCommands();
// Case-insensitive look-up of a command verb; nullptr for an unknown verb.
const SmtpCommandInfo* findSmtpCommand(std::string_view verb);
const SmtpCommandInfo& smtpCommandInfo(SmtpInput input);
// The row's reply codes without the terminating zeros.
std::vector<int> allowedReplyCodes(const SmtpCommandInfo& info);

// ---- the client's side (SmtpClientSession) ----------------------------------------------------------------------
// The client's state names the reply it waits for (EHLO: the answer to its EHLO). It moves when it sends its next
// command, chosen from that reply; the table lists which command may follow which reply (RFC 5321 3.3, 4.1.4;
// RFC 3207 4.2: EHLO again after TLS; RFC 4954 4: AUTH after EHLO), and Close (421, a closed connection, an invalid
// reply) ends it from anywhere. Recorded as StateChanged events of the machine "smtp-client".
//
//   GREETING --EHLO/HELO--> EHLO|HELO --STARTTLS--> STARTTLS --EHLO--> EHLO --AUTH--> AUTH --MAIL--> MAIL --RCPT-->
//   RCPT --DATA--> DATA --content--> CONTENT --MAIL (next message) | QUIT--> QUIT --Close--> DONE
enum class SmtpClientState : std::uint8_t { Greeting, Ehlo, Helo, Mail, Rcpt, Data, Content, Rset, Quit, Done, Auth, StartTls };
inline constexpr std::array kAllSmtpClientStates{
    SmtpClientState::Greeting, SmtpClientState::Ehlo, SmtpClientState::Helo,    SmtpClientState::StartTls,
    SmtpClientState::Auth,     SmtpClientState::Mail, SmtpClientState::Rcpt,    SmtpClientState::Data,
    SmtpClientState::Content,  SmtpClientState::Rset, SmtpClientState::Quit,    SmtpClientState::Done};

// What the client does next: the command it sends (Content: the message and its final dot), or Close.
enum class SmtpClientInput : std::uint8_t { Ehlo, Helo, StartTls, Auth, Mail, Rcpt, Data, Content, Rset, Quit, Close };

std::string_view toString(SmtpClientState state);
std::string_view toString(SmtpClientInput input);
std::span<const util::Transition<SmtpClientState, SmtpClientInput>> smtpClientTransitions();
// The state reached when the client does `input` in `from`; empty when the table does not allow it.
std::optional<SmtpClientState> smtpClientNextState(SmtpClientState from, SmtpClientInput input);

// The client's machine (util/ClientMachine.hpp) at GREETING, recording its moves as "smtp-client" through `recorder`:
// the engine's client and the simulator's scripted SMTP sessions walk the same table with it.
using SmtpClientMachine = util::ClientMachine<SmtpClientState, SmtpClientInput>;
SmtpClientMachine smtpClientMachine(trace::Recorder recorder);
// The client's input for a command line as a person types it (a scripted session), found through the command table
// (verbs ignore case): HELO, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, RSET, QUIT. Empty for any other line (NOOP,
// VRFY, EXPN, HELP, an RFC 821 command, an unknown verb): the client's table has no move for it. Message content
// is the caller's to recognise (after 354): SmtpClientInput::Content.
std::optional<SmtpClientInput> smtpClientInputOf(std::string_view line);

}  // namespace mailsim::smtp
