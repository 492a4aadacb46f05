#include "smtp/SmtpReplies.hpp"

#include "util/ProtocolTables.hpp"

#include <algorithm>

namespace mailsim::smtp {
namespace {

using R = ReplyId;

constexpr ReplyInfo kReplies[] = {
    {R::Greeting, 220, "", "{domain} Service ready", "RFC 5321 4.2, 3.1",
     "The server is ready: the connection set-up phase succeeded"},
    {R::ServiceUnavailable, 421, "4.3.2", "{domain} Service not available, closing transmission channel",
     "RFC 5321 3.1, 4.2.3", "The server cannot take mail now and closes the connection; the client retries later"},
    {R::Timeout, 421, "4.4.2", "{domain} Error: timeout exceeded, closing connection", "RFC 5321 4.5.3.2",
     "The client was silent too long; the server closes the connection"},
    {R::TooManyErrors, 421, "4.7.0", "{domain} Error: too many errors, closing connection", "RFC 5321 4.2.3",
     "The client sent too many bad commands; the server gives up on it"},
    {R::Closing, 221, "2.0.0", "{domain} closing connection", "RFC 5321 4.1.1.10",
     "Answer to QUIT: the release phase; the server closes the connection"},
    {R::HeloOk, 250, "", "{domain} Hello {client}, pleased to meet you", "RFC 5321 4.1.1.1",
     "The server accepted the client's introduction"},
    {R::EhloOk, 250, "", "{domain} Hello {client}, pleased to meet you", "RFC 5321 4.1.1.1",
     "EHLO accepted; the following lines list the extensions this server supports"},
    {R::SenderOk, 250, "2.1.0", "{path}... Sender OK", "RFC 5321 4.1.1.2",
     "The envelope sender was accepted: a mail transaction has begun"},
    {R::RecipientOk, 250, "2.1.5", "{path}... Recipient OK", "RFC 5321 4.1.1.3", "This recipient was accepted"},
    {R::StartData, 354, "", "Enter mail, end with \".\" on a line by itself", "RFC 5321 4.1.1.4",
     "Go ahead: send the message content, then a line holding a single dot"},
    {R::MessageAccepted, 250, "2.0.0", "Message accepted for delivery", "RFC 5321 4.1.1.4",
     "The server has taken responsibility for the message (it is safely stored)"},
    {R::Ok, 250, "2.0.0", "OK", "RFC 5321 4.1.1.9", "Requested action completed"},
    {R::ResetOk, 250, "2.0.0", "Reset state", "RFC 5321 4.1.1.5",
     "The transaction was aborted: sender, recipients and content are forgotten"},
    {R::VrfyOk, 250, "2.1.5", "{name} <{address}>", "RFC 5321 4.1.1.6, 3.5.2", "The mailbox exists here"},
    {R::CannotVrfy, 252, "2.1.5", "Cannot VRFY user, but will accept message and attempt delivery",
     "RFC 5321 3.5.3", "The server will not confirm the address (it is not local), but mail to it is not refused"},
    {R::ExpnOk, 250, "2.1.5", "{member}", "RFC 5321 4.1.1.7, 3.5.2", "One member of the mailing list per line"},
    {R::HelpList, 214, "2.0.0", "Commands: {commands}", "RFC 5321 4.1.1.8", "Help message for humans"},
    {R::HelpTopic, 214, "2.0.0", "{verb}: {syntax} -- {explain}", "RFC 5321 4.1.1.8",
     "Help on one command for humans"},
    {R::SystemStatus, 211, "2.0.0", "{domain} system status: {status}", "RFC 5321 4.2.2",
     "System status, or system help reply"},
    {R::UserNotLocalWillForward, 251, "2.1.5", "User not local; will forward to {path}", "RFC 5321 3.4",
     "Accepted, but the server will forward the mail to another address"},
    {R::UserNotLocalTryElsewhere, 551, "5.1.6", "User not local; please try {path}", "RFC 5321 3.4",
     "Refused: the user has moved; the client should try the given address"},
    {R::MailboxBusy, 450, "4.2.1", "{path}... Mailbox busy, try again later", "RFC 5321 4.2.3",
     "Temporary: the mailbox is unavailable right now; the sender will retry"},
    {R::LocalError, 451, "4.3.0", "Requested action aborted: local error in processing ({detail})",
     "RFC 5321 4.2.3", "Temporary: the server failed (e.g. could not write to disk); nothing was kept"},
    {R::InsufficientStorage, 452, "4.3.1", "Insufficient system storage", "RFC 5321 4.2.3",
     "Temporary: the server is out of space"},
    {R::TooManyRecipients, 452, "4.5.3", "Too many recipients (this server takes {limit} per message)",
     "RFC 5321 4.5.3.1.10", "Temporary: send the remaining recipients in another transaction"},
    {R::Unrecognized, 500, "5.5.2", "Command unrecognized: \"{command}\"", "RFC 5321 4.2.4",
     "The server does not know this command"},
    {R::LineTooLong, 500, "5.5.2", "Line too long (limit {limit} octets including CRLF)", "RFC 5321 4.5.3.1.4",
     "A command line may be at most 512 octets; the line was discarded"},
    {R::DataLineTooLong, 500, "5.5.2", "Message line too long (limit {limit} octets including CRLF)",
     "RFC 5321 4.5.3.1.6", "A text line may be at most 1000 octets; this (strict) server refused the message"},
    {R::SyntaxError, 501, "5.5.4", "Syntax: {syntax}", "RFC 5321 4.2.3",
     "The command is known but its arguments are wrong"},
    {R::NotImplemented, 502, "5.5.1", "{verb}: command not implemented", "RFC 5321 4.2.3",
     "The command exists but this server does not do it"},
    {R::RemovedCommand, 502, "5.5.1", "{verb} was removed by RFC 5321 (it existed in RFC 821); not implemented",
     "RFC 5321 F.3-F.6", "An old RFC 821 command that modern servers no longer support"},
    {R::ParamNotImplemented, 504, "5.5.4", "{detail}: command parameter not implemented", "RFC 5321 4.2.3",
     "The command is known, but not with this parameter"},
    {R::HelpUnknownTopic, 504, "5.5.4", "HELP topic \"{topic}\" unknown", "RFC 5321 4.1.1.8",
     "There is no help on that topic"},
    {R::BadSequence, 503, "5.5.1", "Bad sequence of commands: {detail}", "RFC 5321 4.1.4, 4.3.2",
     "The command is valid, but not now (e.g. RCPT before MAIL)"},
    {R::UnknownUser, 550, "5.1.1", "{path}... User unknown", "RFC 5321 3.3, 4.2.3",
     "Refused: no such mailbox here; other recipients of the same mail are not affected"},
    {R::NotAList, 550, "5.1.1", "{path}... Not a mailing list", "RFC 5321 3.5.2",
     "EXPN works on mailing lists only"},
    {R::BadAddress, 553, "5.1.3", "{path}... Mailbox name not allowed: {detail}", "RFC 5321 4.1.2, 4.2.3",
     "Refused: the address is not valid mailbox syntax"},
    {R::MessageTooBig, 552, "5.3.4", "Message size exceeds fixed limit of {limit} octets", "RFC 1870, RFC 5321 4.2.3",
     "Refused: the message is larger than this server accepts"},
    {R::RelayDenied, 554, "5.7.1", "{path}: Relay access denied", "RFC 5321 3.6.2, 7.1",
     "Refused: this server is not the destination and will not relay for you (no open relay)"},
    {R::NoValidRecipients, 554, "5.5.1", "No valid recipients", "RFC 5321 3.3",
     "DATA refused: every recipient was rejected"},
    {R::BareLineEnding, 554, "5.6.0", "Message contains a bare {what}; only CRLF ends a line (RFC 5321 2.3.8)",
     "RFC 5321 2.3.8, 4.1.1.4", "Strict server: bare CR or LF in content can smuggle a second message"},
    {R::BareLfCommand, 500, "5.5.2", "Command line ended by a bare LF; end it with CRLF (RFC 5321 2.3.8)",
     "RFC 5321 2.3.8", "Strict server: commands must end with CR LF, as the standard says"},
    {R::ParamUnrecognized, 555, "5.5.4", "{param}: MAIL FROM/RCPT TO parameter not recognized", "RFC 5321 4.1.1.11",
     "The server does not support this ESMTP parameter"},
    {R::AuthChallenge, 334, "", "{challenge}", "RFC 4954 4",
     "SASL challenge (base64): the client answers with one base64 line, or \"*\" to cancel"},
    {R::AuthOk, 235, "2.7.0", "Authentication successful", "RFC 4954 6",
     "Logged in: this client may now relay mail to other domains"},
    {R::AuthFailed, 535, "5.7.8", "Authentication credentials invalid", "RFC 4954 6",
     "Wrong user name or password; the client stays unauthenticated"},
    {R::AuthCancelled, 501, "5.7.0", "Authentication cancelled", "RFC 4954 4",
     "The client answered a challenge with \"*\": the AUTH command is abandoned"},
    {R::AuthNotOffered, 502, "5.5.1", "AUTH is not offered here (log in on the submission port, 587)", "RFC 4954 4, RFC 6409",
     "This listener did not announce AUTH in its EHLO reply"},
    {R::AlreadyAuthenticated, 503, "5.5.1", "Already authenticated", "RFC 4954 4",
     "AUTH may succeed only once per session"},
    {R::AuthMechanismUnknown, 504, "5.5.4", "Unrecognized authentication type {mechanism}", "RFC 4954 4",
     "The server does not support this SASL mechanism (see the AUTH line of the EHLO reply)"},
    {R::AuthBadResponse, 501, "5.5.2", "Cannot decode the response ({detail})", "RFC 4954 4",
     "The client's answer was not valid base64 or not valid for the mechanism"},
    {R::AuthRequired, 530, "5.7.0", "Authentication required", "RFC 4954 6, RFC 6409 4.3",
     "The submission port takes mail only from logged-in users: send AUTH first"},
    {R::LoopDetected, 554, "5.4.6", "Too many hops ({hops} Received: headers): mail loop detected", "RFC 5321 6.3, RFC 3463",
     "The message has passed through too many servers; it is probably going round in a loop"},
    {R::StartTlsReady, 220, "2.0.0", "Ready to start TLS", "RFC 3207 4",
     "The next bytes on this connection are the TLS handshake; afterwards the client starts again with EHLO"},
    {R::TlsAlreadyActive, 503, "5.5.1", "TLS already active", "RFC 3207 4",
     "STARTTLS works once: this connection is already encrypted"},
    {R::EncryptionRequired, 538, "5.7.11", "Encryption required for requested authentication mechanism", "RFC 4954 6",
     "This server takes passwords only inside TLS: send STARTTLS first, then AUTH"},
    {R::MustStartTls, 530, "5.7.0", "Must issue a STARTTLS command first", "RFC 3207 4",
     "Mail is taken only from logged-in users, and logging in needs TLS here: STARTTLS, EHLO, AUTH, then MAIL"},
    {R::NonAsciiSender, 553, "5.6.7", "{path}... Non-ASCII addresses not permitted for that sender (no SMTPUTF8 in MAIL)",
     "RFC 6531 3.7.4.1, RFC 5248",
     "A UTF-8 address may travel only in a transaction that declared it: MAIL FROM:<...> SMTPUTF8"},
    {R::NonAsciiRecipient, 553, "5.6.7",
     "{path}... Non-ASCII addresses not permitted for that recipient (no SMTPUTF8 in MAIL)", "RFC 6531 3.7.4.1, RFC 5248",
     "This recipient's address is UTF-8, but the transaction did not declare SMTPUTF8 in its MAIL command"},
};

// Chinese explanations, by reply. Entries missing here show the English one (i18n::LocalText::in).
constexpr std::pair<ReplyId, std::string_view> kExplainZh[] = {
    {R::BadAddress, "拒绝：地址不符合邮箱语法（服务器未提供 SMTPUTF8 时，非 ASCII 地址也在此列）"},
    {R::ParamUnrecognized, "服务器不支持这个 ESMTP 参数（例如未在 EHLO 中宣告的 SMTPUTF8）"},
    {R::NonAsciiSender, "UTF-8 地址只能在声明过的事务中传送：MAIL FROM:<...> SMTPUTF8"},
    {R::NonAsciiRecipient, "收件人地址是 UTF-8 的，但本事务的 MAIL 命令没有声明 SMTPUTF8"},
};

constexpr CodeInfo kCodes[] = {
    {211, "System status, or system help reply", true},
    {214, "Help message", true},
    {220, "<domain> Service ready", true},
    {221, "<domain> Service closing transmission channel", true},
    {250, "Requested mail action okay, completed", true},
    {251, "User not local; will forward to <forward-path>", true},
    {252, "Cannot VRFY user, but will accept message and attempt delivery", false},
    {354, "Start mail input; end with <CRLF>.<CRLF>", true},
    {421, "<domain> Service not available, closing transmission channel", true},
    {450, "Requested mail action not taken: mailbox unavailable (busy)", true},
    {451, "Requested action aborted: local error in processing", true},
    {452, "Requested action not taken: insufficient system storage", true},
    {455, "Server unable to accommodate parameters", false},
    {500, "Syntax error, command unrecognized", true},
    {501, "Syntax error in parameters or arguments", true},
    {502, "Command not implemented", true},
    {503, "Bad sequence of commands", true},
    {504, "Command parameter not implemented", true},
    {530, "Authentication required (or: must issue STARTTLS first)", false},
    {538, "Encryption required for requested authentication mechanism", false},
    {550, "Requested action not taken: mailbox unavailable (not found, no access, or policy)", true},
    {551, "User not local; please try <forward-path>", true},
    {552, "Requested mail action aborted: exceeded storage allocation", true},
    {553, "Requested action not taken: mailbox name not allowed", true},
    {554, "Transaction failed (or, at connection time, no SMTP service here)", true},
    {555, "MAIL FROM/RCPT TO parameters not recognized or not implemented", false},
};

}  // namespace

std::span<const ReplyInfo> smtpReplies() { return kReplies; }

const ReplyInfo& replyInfo(ReplyId id) {
    for (const auto& r : kReplies)
        if (r.id == id) return r;
    return kReplies[0];
}

i18n::LocalText replyExplanation(ReplyId id) {
    i18n::LocalText text{std::string(replyInfo(id).explain), {}};
    for (const auto& [which, zh] : kExplainZh)
        if (which == id) text.zh = zh;
    return text;
}

std::span<const CodeInfo> smtpCodes() { return kCodes; }

const CodeInfo* explainCode(int code) {
    auto it = std::ranges::find(kCodes, code, &CodeInfo::code);
    return it == std::end(kCodes) ? nullptr : &*it;
}

std::string replyText(ReplyId id, const ReplyArgs& args) { return util::expandTemplate(replyInfo(id).text, args); }

std::string formatReply(ReplyId id, const ReplyArgs& args, bool enhanced, std::span<const std::string> extraLines) {
    const ReplyInfo& info = replyInfo(id);
    std::string prefix = std::to_string(info.code);
    std::string status = (enhanced && !info.enhanced.empty()) ? std::string(info.enhanced) + " " : std::string();
    std::vector<std::string> lines;
    lines.push_back(replyText(id, args));
    lines.insert(lines.end(), extraLines.begin(), extraLines.end());
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += prefix;
        out += (i + 1 < lines.size()) ? '-' : ' ';
        out += status;
        out += lines[i];
        out += "\r\n";
    }
    return out;
}

}  // namespace mailsim::smtp
