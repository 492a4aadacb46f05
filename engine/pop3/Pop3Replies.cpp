#include "pop3/Pop3Replies.hpp"

#include "util/ProtocolTables.hpp"

namespace mailsim::pop3 {
namespace {

using R = ReplyId;

constexpr ReplyInfo kReplies[] = {
    {R::Greeting, true, "", "{domain} POP3 server ready {timestamp}", "RFC 1939 4, 7",
     "The server is ready; the <...> part is the APOP timestamp, unique to this session"},
    {R::Capabilities, true, "", "Capability list follows", "RFC 2449 5",
     "One capability per line, then a line holding a single dot"},
    {R::UserOk, true, "", "send PASS", "RFC 1939 7",
     "The name was noted; the server says the same for unknown names, so it does not reveal who has a mailbox"},
    {R::LoggedIn, true, "", "{user} has {count} message{s} ({octets} octets)", "RFC 1939 7, 4",
     "Logged in: the maildrop is locked for this session and the TRANSACTION state begins"},
    {R::AuthContinue, true, "", "", "RFC 5034 4",
     "SASL continuation (\"+ \"): the server waits for the client's base64 response"},
    {R::AuthFailed, false, "AUTH", "invalid user name or password", "RFC 1939 7, RFC 3206 4",
     "Login failed; the session stays in AUTHORIZATION and the client may try again"},
    {R::AuthCancelled, false, "", "authentication cancelled", "RFC 5034 4",
     "The client answered \"*\" to the SASL challenge"},
    {R::AuthMechanism, false, "", "unsupported authentication mechanism {mech} (this server offers PLAIN)",
     "RFC 5034 4", "The client asked for a SASL mechanism the server does not implement"},
    {R::InUse, false, "IN-USE", "maildrop already locked by another session", "RFC 1939 8, RFC 2449 8.1.1",
     "Another POP3 session holds this mailbox's lock; the password was right, try again later"},
    {R::NeedUser, false, "", "send USER first", "RFC 1939 7", "PASS must follow a successful USER"},
    {R::Stat, true, "", "{count} {octets}", "RFC 1939 5",
     "Drop listing: number of messages and total size in octets (deleted ones not counted)"},
    {R::ListAll, true, "", "{count} message{s} ({octets} octets)", "RFC 1939 5",
     "Scan listing follows: \"number size\" per message, then a line holding a single dot"},
    {R::ListOne, true, "", "{msg} {size}", "RFC 1939 5", "Scan listing of one message: its number and size in octets"},
    {R::Retr, true, "", "{size} octets", "RFC 1939 5",
     "The message follows, byte-stuffed (a line starting with \".\" gets one more), ended by a single dot"},
    {R::Top, true, "", "top of message follows", "RFC 1939 7",
     "The header, a blank line and the first lines of the body follow, ended by a single dot"},
    {R::Dele, true, "", "message {msg} deleted", "RFC 1939 5",
     "Marked as deleted: gone from this session's view, removed from the server only in UPDATE (after QUIT)"},
    {R::AlreadyDeleted, false, "", "message {msg} already deleted", "RFC 1939 5",
     "That message was marked deleted in this session (RSET unmarks it)"},
    {R::NoSuchMessage, false, "", "no such message, only {count} message{s} in maildrop", "RFC 1939 5",
     "Message numbers run from 1 to the count given at login"},
    {R::Noop, true, "", "", "RFC 1939 5", "Nothing done"},
    {R::Rset, true, "", "maildrop has {count} message{s} ({octets} octets)", "RFC 1939 5",
     "Every deletion mark of this session was removed"},
    {R::UidlAll, true, "", "unique-id listing follows", "RFC 1939 7",
     "\"number unique-id\" per message, then a line holding a single dot"},
    {R::UidlOne, true, "", "{msg} {uid}", "RFC 1939 7", "The unique id of one message"},
    {R::SignOff, true, "", "{domain} POP3 server signing off", "RFC 1939 6",
     "QUIT before logging in: nothing changes, the connection closes"},
    {R::SignOffUpdate, true, "", "{domain} POP3 server signing off ({removed} deleted, {left} left)", "RFC 1939 6",
     "UPDATE done: the messages marked deleted are removed from the server, the lock is released"},
    {R::UpdateFailed, false, "SYS/TEMP", "some deleted messages not removed ({detail})", "RFC 1939 6, RFC 2449 8.1.3",
     "UPDATE could not remove the messages; none were removed (all or nothing), the lock is released"},
    {R::Unknown, false, "", "unknown command \"{command}\"", "RFC 1939 3", "The server does not know this command"},
    {R::BadSequence, false, "", "{verb} is not allowed in the {state} state", "RFC 1939 3",
     "Each command belongs to a state: USER/PASS/APOP before login, STAT/LIST/RETR/DELE... after"},
    {R::SyntaxError, false, "", "syntax: {syntax}", "RFC 1939 3", "The command's arguments are not as expected"},
    {R::LineTooLong, false, "", "line too long (limit {limit} octets including CRLF)", "RFC 2449 4",
     "A command line may be at most 255 octets; the line was discarded"},
    {R::TooManyErrors, false, "", "too many errors, closing connection", "RFC 1939 3",
     "The client sent too many bad commands or logins; the server gives up without UPDATE"},
    {R::ShuttingDown, false, "SYS/TEMP", "server shutting down, nothing deleted", "RFC 2449 8.1.3",
     "The server stops; the session ends without UPDATE, so no message is removed"},
    {R::TooManyConnections, false, "SYS/TEMP", "too many connections, try again later", "RFC 2449 8.1.3",
     "The server (or this client address) has as many connections as it allows; the client retries later"},
    {R::LoginTimeout, false, "", "login timeout, closing connection", "RFC 1939 3",
     "The client did not log in within the server's deadline; nothing was changed"},
    {R::CommandTimeout, false, "", "command not completed in time, closing connection", "RFC 1939 3",
     "The client sent a command too slowly (slowloris defence); the session ends without UPDATE"},
    {R::StoreError, false, "SYS/TEMP", "cannot read the maildrop ({detail})", "RFC 2449 8.1.3",
     "A temporary problem on the server's side"},
    {R::StlsReady, true, "", "Begin TLS negotiation", "RFC 2595 4",
     "The next bytes on this connection are the TLS handshake; the client then logs in inside TLS"},
    {R::TlsAlreadyActive, false, "", "command not permitted when TLS active", "RFC 2595 4",
     "STLS works once: this connection is already encrypted"},
    {R::PlaintextDisallowed, false, "AUTH", "Plaintext authentication disallowed on non-secure connection",
     "RFC 2595 4, RFC 3206 4", "This server takes logins only inside TLS: send STLS first"},
};

}  // namespace

std::span<const ReplyInfo> pop3Replies() { return kReplies; }

const ReplyInfo& replyInfo(ReplyId id) {
    for (const auto& r : kReplies)
        if (r.id == id) return r;
    return kReplies[0];
}

std::string statusLine(ReplyId id, const ReplyArgs& args) {
    const ReplyInfo& info = replyInfo(id);
    if (id == ReplyId::AuthContinue) return "+ ";
    std::string text = util::expandTemplate(info.text, args);
    std::string out = info.ok ? "+OK" : "-ERR";
    if (!info.respCode.empty()) out += " [" + std::string(info.respCode) + "]";
    if (!text.empty()) out += " " + text;
    return out;
}

}  // namespace mailsim::pop3
