#include "pop3/Pop3Replies.hpp"

#include "util/ProtocolTables.hpp"

namespace mailsim::pop3 {
namespace {

using R = ReplyId;

constexpr ReplyInfo kReplies[] = {
    {R::Greeting, true, "", "{domain} POP3 server ready {timestamp}", "RFC 1939 4, 7",
     {"The server is ready; the <...> part is the APOP timestamp, unique to this session", "服务器已就绪；<...> 部分是 APOP 时间戳，每个会话都不同"}},
    {R::Capabilities, true, "", "Capability list follows", "RFC 2449 5",
     {"One capability per line, then a line holding a single dot", "每行一项能力，最后单独一行只有一个点"}},
    {R::UserOk, true, "", "send PASS", "RFC 1939 7",
     {"The name was noted; the server says the same for unknown names, so it does not reveal who has a mailbox", "用户名已记下；对不存在的用户名服务器也这样回答，因此不会泄露谁有邮箱"}},
    {R::LoggedIn, true, "", "{user} has {count} message{s} ({octets} octets)", "RFC 1939 7, 4",
     {"Logged in: the maildrop is locked for this session and the TRANSACTION state begins", "已登录：邮箱被本会话锁定，进入 TRANSACTION（事务）状态"}},
    {R::AuthContinue, true, "", "", "RFC 5034 4",
     {"SASL continuation (\"+ \"): the server waits for the client's base64 response", "SASL 继续（\"+ \"）：服务器等待客户端的 base64 回答"}},
    {R::AuthFailed, false, "AUTH", "invalid user name or password", "RFC 1939 7, RFC 3206 4",
     {"Login failed; the session stays in AUTHORIZATION and the client may try again", "登录失败；会话仍处于 AUTHORIZATION（认证）状态，客户端可以再试"}},
    {R::AuthCancelled, false, "", "authentication cancelled", "RFC 5034 4",
     {"The client answered \"*\" to the SASL challenge", "客户端对 SASL 质询回答了 \"*\""}},
    {R::AuthMechanism, false, "", "unsupported authentication mechanism {mech} (this server offers PLAIN)",
     "RFC 5034 4", {"The client asked for a SASL mechanism the server does not implement", "客户端要求的 SASL 机制服务器没有实现"}},
    {R::InUse, false, "IN-USE", "maildrop already locked by another session", "RFC 1939 8, RFC 2449 8.1.1",
     {"Another POP3 session holds this mailbox's lock; the password was right, try again later", "另一个 POP3 会话持有这个邮箱的锁；口令是对的，请稍后再试"}},
    {R::NeedUser, false, "", "send USER first", "RFC 1939 7", {"PASS must follow a successful USER", "PASS 必须跟在成功的 USER 之后"}},
    {R::Stat, true, "", "{count} {octets}", "RFC 1939 5",
     {"Drop listing: number of messages and total size in octets (deleted ones not counted)", "邮箱概况：邮件数和总字节数（已标记删除的不计）"}},
    {R::ListAll, true, "", "{count} message{s} ({octets} octets)", "RFC 1939 5",
     {"Scan listing follows: \"number size\" per message, then a line holding a single dot", "下面是扫描列表：每封邮件一行“编号 大小”，最后单独一行只有一个点"}},
    {R::ListOne, true, "", "{msg} {size}", "RFC 1939 5", {"Scan listing of one message: its number and size in octets", "一封邮件的扫描列表：编号和字节数"}},
    {R::Retr, true, "", "{size} octets", "RFC 1939 5",
     {"The message follows, byte-stuffed (a line starting with \".\" gets one more), ended by a single dot", "下面是邮件内容，做了字节填充（以 \".\" 开头的行前面再加一个点），以单独一个点结束"}},
    {R::Top, true, "", "top of message follows", "RFC 1939 7",
     {"The header, a blank line and the first lines of the body follow, ended by a single dot", "下面是首部、一个空行和正文的前几行，以单独一个点结束"}},
    {R::Dele, true, "", "message {msg} deleted", "RFC 1939 5",
     {"Marked as deleted: gone from this session's view, removed from the server only in UPDATE (after QUIT)", "已标记删除：本会话中看不到了，但要到 UPDATE 状态（QUIT 之后）才真正从服务器删除"}},
    {R::AlreadyDeleted, false, "", "message {msg} already deleted", "RFC 1939 5",
     {"That message was marked deleted in this session (RSET unmarks it)", "这封邮件在本会话中已标记删除（RSET 可取消标记）"}},
    {R::NoSuchMessage, false, "", "no such message, only {count} message{s} in maildrop", "RFC 1939 5",
     {"Message numbers run from 1 to the count given at login", "邮件编号从 1 到登录时给出的邮件数"}},
    {R::Noop, true, "", "", "RFC 1939 5", {"Nothing done", "什么也没做"}},
    {R::Rset, true, "", "maildrop has {count} message{s} ({octets} octets)", "RFC 1939 5",
     {"Every deletion mark of this session was removed", "本会话的所有删除标记都已取消"}},
    {R::UidlAll, true, "", "unique-id listing follows", "RFC 1939 7",
     {"\"number unique-id\" per message, then a line holding a single dot", "每封邮件一行“编号 唯一标识”，最后单独一行只有一个点"}},
    {R::UidlOne, true, "", "{msg} {uid}", "RFC 1939 7", {"The unique id of one message", "一封邮件的唯一标识"}},
    {R::SignOff, true, "", "{domain} POP3 server signing off", "RFC 1939 6",
     {"QUIT before logging in: nothing changes, the connection closes", "登录前就 QUIT：什么都不变，连接关闭"}},
    {R::SignOffUpdate, true, "", "{domain} POP3 server signing off ({removed} deleted, {left} left)", "RFC 1939 6",
     {"UPDATE done: the messages marked deleted are removed from the server, the lock is released", "UPDATE（更新）完成：标记删除的邮件已从服务器删除，锁已释放"}},
    {R::UpdateFailed, false, "SYS/TEMP", "some deleted messages not removed ({detail})", "RFC 1939 6, RFC 2449 8.1.3",
     {"UPDATE could not remove the messages; none were removed (all or nothing), the lock is released", "UPDATE 无法删除邮件；一封也没有删除（要么全删，要么全不删），锁已释放"}},
    {R::Unknown, false, "", "unknown command \"{command}\"", "RFC 1939 3", {"The server does not know this command", "服务器不认识这个命令"}},
    {R::BadSequence, false, "", "{verb} is not allowed in the {state} state", "RFC 1939 3",
     {"Each command belongs to a state: USER/PASS/APOP before login, STAT/LIST/RETR/DELE... after", "每个命令只属于某个状态：登录前用 USER/PASS/APOP，登录后用 STAT/LIST/RETR/DELE 等"}},
    {R::SyntaxError, false, "", "syntax: {syntax}", "RFC 1939 3", {"The command's arguments are not as expected", "命令的参数不符合要求"}},
    {R::LineTooLong, false, "", "line too long (limit {limit} octets including CRLF)", "RFC 2449 4",
     {"A command line may be at most 255 octets; the line was discarded", "一个命令行最多 255 个字节，这一行被丢弃"}},
    {R::TooManyErrors, false, "", "too many errors, closing connection", "RFC 1939 3",
     {"The client sent too many bad commands or logins; the server gives up without UPDATE", "客户端发来的错误命令或失败登录太多；服务器放弃会话，不进入 UPDATE"}},
    {R::ShuttingDown, false, "SYS/TEMP", "server shutting down, nothing deleted", "RFC 2449 8.1.3",
     {"The server stops; the session ends without UPDATE, so no message is removed", "服务器停止运行；会话没有经过 UPDATE 就结束，因此不删除任何邮件"}},
    {R::TooManyConnections, false, "SYS/TEMP", "too many connections, try again later", "RFC 2449 8.1.3",
     {"The server (or this client address) has as many connections as it allows; the client retries later",
      "服务器（或这个客户端地址）的连接数已达上限；客户端稍后再试"}},
    {R::LoginTimeout, false, "", "login timeout, closing connection", "RFC 1939 3",
     {"The client did not log in within the server's deadline; nothing was changed",
      "客户端没有在服务器规定的期限内登录；什么都没有改变"}},
    {R::CommandTimeout, false, "", "command not completed in time, closing connection", "RFC 1939 3",
     {"The client sent a command too slowly (slowloris defence); the session ends without UPDATE",
      "客户端发送命令太慢（防御 slowloris 慢速攻击）；会话不经过 UPDATE 就结束"}},
    {R::StoreError, false, "SYS/TEMP", "cannot read the maildrop ({detail})", "RFC 2449 8.1.3",
     {"A temporary problem on the server's side", "服务器端的暂时性问题"}},
    {R::StlsReady, true, "", "Begin TLS negotiation", "RFC 2595 4",
     {"The next bytes on this connection are the TLS handshake; the client then logs in inside TLS", "这条连接上接下来的字节是 TLS 握手；之后客户端在 TLS 内登录"}},
    {R::TlsAlreadyActive, false, "", "command not permitted when TLS active", "RFC 2595 4",
     {"STLS works once: this connection is already encrypted", "STLS 只能用一次：这条连接已经加密"}},
    {R::PlaintextDisallowed, false, "AUTH", "Plaintext authentication disallowed on non-secure connection",
     "RFC 2595 4, RFC 3206 4", {"This server takes logins only inside TLS: send STLS first", "本服务器只接受 TLS 内的登录：请先发 STLS"}},
    // The specific forms of SyntaxError, StoreError and UpdateFailed (kept after the general ones).
    {R::ApopSyntax, false, "", "syntax: APOP name digest (32 hex digits)", "RFC 1939 7",
     {"APOP takes the user name and the 32 hex digits of MD5(timestamp + password)", "APOP 后面是用户名和 MD5(时间戳 + 口令) 的 32 位十六进制数字"}},
    {R::SaslPlainMalformed, false, "", "syntax: base64 of [authzid] NUL user NUL password (RFC 4616)", "RFC 4616 2",
     {"PLAIN sends authzid, user and password separated by NUL bytes, in base64", "PLAIN 发送用 NUL 字节隔开的授权身份、用户名和口令，再做 base64 编码"}},
    {R::NoStore, false, "SYS/TEMP", "cannot read the maildrop (no mail store configured)", "RFC 2449 8.1.3",
     {"Temporary: this server has no mailbox store", "暂时性错误：这台服务器没有邮箱存储"}},
    {R::MessageUnreadable, false, "SYS/TEMP", "cannot read the maildrop (the message cannot be read)", "RFC 2449 8.1.3",
     {"Temporary: the store could not read this message; try again later", "暂时性错误：存储读不出这封邮件；请稍后再试"}},
    {R::UpdateStoreError, false, "SYS/TEMP", "some deleted messages not removed (store error)", "RFC 1939 6, RFC 2449 8.1.3",
     {"The store failed in UPDATE: nothing was removed, the messages stay", "UPDATE 时存储出错：什么都没有删除，邮件仍然保留"}},
    {R::Utf8Enabled, true, "", "UTF8 enabled", "RFC 6856 3",
     {"UTF-8 mode: the user name may be UTF-8 and messages are sent as stored, UTF-8 header fields included "
      "(RFC 6532)",
      "UTF-8 模式：用户名可以是 UTF-8，邮件按原样发送，包括含 UTF-8 的首部字段（RFC 6532）"}},
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
