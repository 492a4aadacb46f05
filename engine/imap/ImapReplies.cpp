#include "imap/ImapReplies.hpp"

#include "util/ProtocolTables.hpp"

namespace mailsim::imap {
namespace {

using R = ReplyId;
using C = Condition;

constexpr ReplyInfo kReplies[] = {
    {R::Greeting, C::Ok, false, "CAPABILITY {caps}", "{domain} IMAP4rev1 server ready", "RFC 3501 7.1.1, 7.2.1",
     "The server is ready; the capability list comes with the greeting so the client need not ask"},
    {R::CapabilityDone, C::Ok, true, "", "CAPABILITY completed", "RFC 3501 6.1.1",
     "The untagged * CAPABILITY line before this lists the extensions"},
    {R::NoopDone, C::Ok, true, "", "NOOP completed", "RFC 3501 6.1.2",
     "Any changes to the selected mailbox were reported as untagged responses before this"},
    {R::LogoutBye, C::Bye, false, "", "{domain} IMAP4rev1 server logging out", "RFC 3501 6.1.3, 7.1.5",
     "The server is about to close the connection"},
    {R::LogoutDone, C::Ok, true, "", "LOGOUT completed", "RFC 3501 6.1.3", "The session is over"},
    {R::IdDone, C::Ok, true, "", "ID completed", "RFC 2971 3.1", "The server told the client its name (* ID ...)"},
    {R::LoginDone, C::Ok, true, "CAPABILITY {caps}", "{user} logged in", "RFC 3501 6.2.3, 7.2.1",
     "Logged in: the AUTHENTICATED state begins (the code repeats the capabilities, which may change at login)"},
    {R::AuthFailed, C::No, true, "AUTHENTICATIONFAILED", "invalid user name or password", "RFC 3501 6.2.3, RFC 5530 3",
     "Login failed; the session stays NOT AUTHENTICATED and the client may try again"},
    {R::AuthCancelled, C::Bad, true, "", "AUTHENTICATE cancelled", "RFC 3501 6.2.2",
     "The client answered \"*\" to the SASL challenge"},
    {R::AuthMechanism, C::No, true, "", "unsupported authentication mechanism {mech} (this server offers PLAIN)",
     "RFC 3501 6.2.2", "The client asked for a SASL mechanism the server does not implement"},
    {R::AuthContinue, C::Continue, false, "", "", "RFC 3501 6.2.2, 7.5",
     "SASL continuation (\"+ \"): the server waits for the client's base64 response"},
    {R::NoTls, C::Bad, true, "", "STARTTLS is not offered here", "RFC 3501 6.2.1",
     "The capability list has no STARTTLS: this listener cannot do TLS"},
    {R::SelectDone, C::Ok, true, "READ-WRITE", "SELECT completed", "RFC 3501 6.3.1",
     "The mailbox is selected read-write: flags may be changed and messages expunged"},
    {R::ExamineDone, C::Ok, true, "READ-ONLY", "EXAMINE completed", "RFC 3501 6.3.2",
     "The mailbox is selected read-only: nothing in it can be changed in this session"},
    {R::SelectFailed, C::No, true, "NONEXISTENT", "no mailbox \"{mailbox}\"; no mailbox is selected now",
     "RFC 3501 6.3.1, RFC 5530 3", "SELECT of a mailbox that does not exist; the previous one is deselected too"},
    {R::UidValidity, C::Ok, false, "UIDVALIDITY {n}", "UIDs valid", "RFC 3501 2.3.1.1, 7.1",
     "If this number changed since the client's last visit, every UID it cached is void"},
    {R::UidNext, C::Ok, false, "UIDNEXT {n}", "predicted next UID", "RFC 3501 2.3.1.1, 7.1",
     "The UID the next message will get: everything at or above it is new to a caching client"},
    {R::Unseen, C::Ok, false, "UNSEEN {n}", "message {n} is the first unseen", "RFC 3501 7.1",
     "Sequence number of the first message without \\Seen"},
    {R::PermanentFlags, C::Ok, false, "PERMANENTFLAGS ({flags})", "flags the client can change permanently",
     "RFC 3501 7.1", "Only the system flags are stored; keywords are not kept"},
    {R::PermanentFlagsNone, C::Ok, false, "PERMANENTFLAGS ()", "read-only mailbox, no flags can be changed",
     "RFC 3501 6.3.2, 7.1", "EXAMINE: nothing can be changed"},
    {R::CreateDone, C::Ok, true, "", "CREATE completed", "RFC 3501 6.3.3", "The folder now exists on the server"},
    {R::AlreadyExists, C::No, true, "ALREADYEXISTS", "mailbox \"{mailbox}\" already exists",
     "RFC 3501 6.3.3, RFC 5530 3", "CREATE or RENAME to a name that is taken"},
    {R::DeleteDone, C::Ok, true, "", "DELETE completed", "RFC 3501 6.3.4",
     "The folder and every message in it are gone from the server"},
    {R::DeleteInbox, C::No, true, "CANNOT", "INBOX cannot be deleted", "RFC 3501 6.3.4, RFC 5530 3",
     "Every user always has an INBOX"},
    {R::RenameDone, C::Ok, true, "", "RENAME completed", "RFC 3501 6.3.5",
     "The folder (and those below it) has its new name; messages keep their UIDs"},
    {R::SubscribeDone, C::Ok, true, "", "SUBSCRIBE completed", "RFC 3501 6.3.6", "The folder is in the LSUB list"},
    {R::UnsubscribeDone, C::Ok, true, "", "UNSUBSCRIBE completed", "RFC 3501 6.3.7",
     "The folder is no longer in the LSUB list"},
    {R::ListDone, C::Ok, true, "", "LIST completed", "RFC 3501 6.3.8", "One * LIST line per matching folder came first"},
    {R::LsubDone, C::Ok, true, "", "LSUB completed", "RFC 3501 6.3.9", "One * LSUB line per subscribed folder"},
    {R::StatusDone, C::Ok, true, "", "STATUS completed", "RFC 3501 6.3.10", "The * STATUS line has the counts"},
    {R::AppendDone, C::Ok, true, "APPENDUID {uidvalidity} {uid}", "APPEND completed", "RFC 3501 6.3.11, RFC 4315 3",
     "The message is stored; the code tells its UID so the client need not search for it"},
    {R::AppendContinue, C::Continue, false, "", "Ready for literal data", "RFC 3501 7.5",
     "Continuation: the server accepts the announced literal, the client now sends its octets"},
    {R::LiteralContinue, C::Continue, false, "", "Ready for literal data", "RFC 3501 7.5",
     "Continuation: the server accepts the announced literal, the client now sends its octets"},
    {R::TryCreate, C::No, true, "TRYCREATE", "no mailbox \"{mailbox}\" (create it first)", "RFC 3501 6.3.11, 7.1",
     "The target folder does not exist; the client may CREATE it and try again"},
    {R::NoSuchMailbox, C::No, true, "NONEXISTENT", "no mailbox \"{mailbox}\"", "RFC 5530 3",
     "The named folder does not exist"},
    {R::BadName, C::No, true, "CANNOT", "mailbox name refused: {why}", "RFC 3501 5.1, RFC 5530 3",
     "Names must be modified UTF-7, / separates levels; names that could leave the store are refused"},
    {R::NamespaceDone, C::Ok, true, "", "NAMESPACE completed", "RFC 2342 5",
     "Personal folders have no prefix and use / as delimiter; no shared folders"},
    {R::EnableDone, C::Ok, true, "", "ENABLE completed", "RFC 5161 3.1",
     "The * ENABLED line lists what was turned on (nothing this server needs enabling)"},
    {R::CheckDone, C::Ok, true, "", "CHECK completed", "RFC 3501 6.4.1", "The store is always up to date here"},
    {R::CloseDone, C::Ok, true, "", "CLOSE completed", "RFC 3501 6.4.2",
     "Messages marked \\Deleted were removed (without * EXPUNGE lines); no mailbox is selected now"},
    {R::UnselectDone, C::Ok, true, "", "UNSELECT completed", "RFC 3691 2",
     "No mailbox is selected now; nothing was expunged"},
    {R::ExpungeDone, C::Ok, true, "", "EXPUNGE completed", "RFC 3501 6.4.3",
     "Each removed message was reported by * n EXPUNGE (numbers shift down after each)"},
    {R::SearchDone, C::Ok, true, "", "SEARCH completed", "RFC 3501 6.4.4",
     "The * SEARCH line lists the matching message numbers (or UIDs for UID SEARCH)"},
    {R::BadCharset, C::No, true, "BADCHARSET (UTF-8 US-ASCII)", "unsupported charset {charset}", "RFC 3501 6.4.4, 7.1",
     "SEARCH supports UTF-8 and US-ASCII"},
    {R::FetchDone, C::Ok, true, "", "FETCH completed", "RFC 3501 6.4.5", "The * n FETCH lines carried the data"},
    {R::StoreDone, C::Ok, true, "", "STORE completed", "RFC 3501 6.4.6",
     "The flags changed; the * n FETCH lines show the new flags (unless .SILENT)"},
    {R::ReadOnly, C::No, true, "READ-ONLY", "the mailbox is selected read-only (EXAMINE)", "RFC 3501 6.3.2",
     "Nothing may be changed in a mailbox opened with EXAMINE"},
    {R::CopyDone, C::Ok, true, "COPYUID {uidvalidity} {from} {to}", "COPY completed", "RFC 3501 6.4.7, RFC 4315 3",
     "Copied; the code maps the source UIDs to the UIDs in the target folder"},
    {R::MoveDone, C::Ok, true, "", "MOVE completed", "RFC 6851 3",
     "Moved: the copies are in the target, the originals were expunged here"},
    {R::MoveCopyUid, C::Ok, false, "COPYUID {uidvalidity} {from} {to}", "moved", "RFC 6851 4.3, RFC 4315 3",
     "Sent before the * EXPUNGE lines of a MOVE: which UIDs the moved messages got"},
    {R::UidNoMatch, C::Ok, true, "", "{verb} completed (no messages matched)", "RFC 3501 6.4.8",
     "UID ranges that match no message are not an error"},
    {R::IdleContinue, C::Continue, false, "", "idling", "RFC 2177 3",
     "The server now pushes changes as they happen; the client ends IDLE by sending DONE"},
    {R::IdleDone, C::Ok, true, "", "IDLE terminated", "RFC 2177 3", "The client sent DONE"},
    {R::Unknown, C::Bad, true, "", "unknown command \"{command}\"", "RFC 3501 6", "The server does not know this command"},
    {R::NotAllowed, C::Bad, true, "", "{verb} is not allowed in the {state} state", "RFC 3501 3",
     "Each command belongs to states: LOGIN before login, SELECT after it, FETCH only with a mailbox selected"},
    {R::SyntaxError, C::Bad, true, "", "syntax: {syntax}", "RFC 3501 9", "The command's arguments are not as expected"},
    {R::LineTooLong, C::Bad, true, "", "command line too long (limit {limit} octets)", "RFC 7162 4",
     "A command line longer than the server's limit is refused and discarded"},
    {R::LiteralTooBig, C::Bad, true, "TOOBIG", "literal of {size} octets refused (limit {limit})",
     "RFC 7888 4, RFC 4469 5", "The server refused the literal before asking for it; the command is discarded"},
    {R::AppendTooBig, C::No, true, "TOOBIG", "message of {size} octets refused (limit {limit})", "RFC 7889 4",
     "APPEND of a message larger than the server accepts; nothing was stored"},
    {R::TooManyErrors, C::Bye, false, "", "too many errors, closing connection", "RFC 3501 7.1.5",
     "The client sent too many bad commands or logins"},
    {R::Autologout, C::Bye, false, "", "autologout; idle for too long", "RFC 3501 5.4",
     "No command for at least 30 minutes: the server ends the session"},
    {R::ShuttingDown, C::Bye, false, "", "server shutting down", "RFC 3501 7.1.5", "The server stops"},
    {R::TooManyConnections, C::Bye, false, "UNAVAILABLE", "too many connections, try again later",
     "RFC 3501 7.1.5, RFC 5530 3",
     "The server (or this client address) has as many connections as it allows; the client retries later"},
    {R::LoginTimeout, C::Bye, false, "", "login timeout, closing connection", "RFC 3501 7.1.5",
     "The client did not log in within the server's deadline"},
    {R::CommandTimeout, C::Bye, false, "", "command not completed in time, closing connection", "RFC 3501 7.1.5",
     "The client sent a command or literal too slowly (slowloris defence)"},
    {R::StoreError, C::No, true, "SERVERBUG", "{detail}", "RFC 5530 3", "A problem on the server's side"},
    {R::NoSuchMessage, C::Bad, true, "", "no message {msg} (the mailbox has {count})", "RFC 3501 6.4.5, 9",
     "Sequence numbers run from 1 to the number of messages (* is the last one)"},
    {R::StartTlsReady, C::Ok, true, "", "Begin TLS negotiation now", "RFC 3501 6.2.1",
     "The next bytes on this connection are the TLS handshake; the client then asks CAPABILITY again and logs in"},
    {R::TlsAlreadyActive, C::Bad, true, "", "TLS is already active", "RFC 3501 6.2.1",
     "STARTTLS works once: this connection is already encrypted"},
    {R::PrivacyRequired, C::No, true, "PRIVACYREQUIRED", "plaintext authentication disallowed on non-secure connection; "
     "use STARTTLS first", "RFC 3501 6.2.3, RFC 5530 3",
     "The server announced LOGINDISABLED: passwords are taken only inside TLS"},
    {R::ExpungeIssued, C::No, true, "EXPUNGEISSUED", "{verb}: some of the messages were expunged by another session "
     "(NOOP reports which)", "RFC 5530 3, RFC 2180 4.1.2",
     "Another session removed a message this session still numbers; the others were answered, NOOP brings the news"},
    {R::SearchExpungeIssued, C::Ok, true, "EXPUNGEISSUED", "{verb} completed; messages expunged by another session "
     "were left out", "RFC 5530 3, RFC 2180 4.1",
     "The result is complete except for messages another session removed meanwhile; NOOP reports them as EXPUNGE"},
    {R::SortDone, C::Ok, true, "", "SORT completed", "RFC 5256 3",
     "The * SORT line lists the matching messages in the requested order (the server sorted, not the client)"},
    {R::ThreadDone, C::Ok, true, "", "THREAD completed", "RFC 5256 3",
     "The * THREAD line groups the matching messages into conversations: (parent child (reply)(reply))"},
    {R::BadThreadAlgorithm, C::Bad, true, "", "unknown threading algorithm {algorithm} (this server offers "
     "REFERENCES and ORDEREDSUBJECT)", "RFC 5256 3", "THREAD needs an algorithm the CAPABILITY list names"},
    {R::MultiAppendDone, C::Ok, true, "APPENDUID {uidvalidity} {uid}", "APPEND completed ({count} messages)",
     "RFC 3502 3, RFC 4315 3",
     "MULTIAPPEND: every message was stored, or none; the code lists the UIDs they got, in order"},
    {R::UnknownCte, C::No, true, "UNKNOWN-CTE", "a part's content-transfer-encoding is unknown: BINARY cannot decode "
     "it (use BODY[])", "RFC 3516 4.2, 5",
     "BINARY asks the server to undo base64 or quoted-printable; for an encoding it does not know it must refuse"},
    {R::StoreReadOnly, C::No, true, "NOPERM", "the mailbox's files are read-only: the flags were not saved",
     "RFC 3501 6.4.6, RFC 5530 3",
     "The store could not write the change (e.g. a read-only Maildir); nothing changed, so the server says NO"},
};

// Chinese explanations, by reply. Entries missing here show the English one (i18n::LocalText::in).
constexpr std::pair<ReplyId, std::string_view> kExplainZh[] = {
    {R::ExpungeIssued, "另一个会话删除了本会话仍在编号的邮件；其余邮件已照常回答，发送 NOOP 可得知被删除的是哪几封"},
    {R::SearchExpungeIssued, "结果完整，只是不含其他会话刚刚删除的邮件；发送 NOOP 时服务器会以 EXPUNGE 报告它们"},
    {R::SortDone, "* SORT 行按要求的顺序列出匹配的邮件（由服务器排序，客户端无需下载邮件）"},
    {R::ThreadDone, "* THREAD 行把匹配的邮件按会话分组：(父邮件 子邮件 (回复)(回复))"},
    {R::BadThreadAlgorithm, "THREAD 需要 CAPABILITY 列出的线索算法（REFERENCES 或 ORDEREDSUBJECT）"},
    {R::UnknownCte, "BINARY 要求服务器解除 base64 或 quoted-printable 编码；遇到不认识的传送编码时必须拒绝（可改用 BODY[]）"},
    {R::MultiAppendDone, "MULTIAPPEND：所有邮件要么全部保存，要么一封也不保存；响应码按顺序列出它们得到的 UID"},
};

}  // namespace

std::span<const ReplyInfo> imapReplies() { return kReplies; }

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

std::string_view toString(Condition condition) {
    switch (condition) {
    case C::Ok: return "OK";
    case C::No: return "NO";
    case C::Bad: return "BAD";
    case C::Bye: return "BYE";
    case C::Continue: return "+";
    }
    return "?";
}

std::string statusLine(ReplyId id, std::string_view tag, const ReplyArgs& args) {
    const ReplyInfo& info = replyInfo(id);
    std::string text = util::expandTemplate(info.text, args);
    if (info.condition == C::Continue) return "+ " + text;
    std::string out = info.tagged ? std::string(tag) : "*";
    out += ' ';
    out += toString(info.condition);
    if (!info.respCode.empty()) out += " [" + util::expandTemplate(info.respCode, args) + "]";
    if (!text.empty()) out += " " + text;
    return out;
}

}  // namespace mailsim::imap
