#include "smtp/SmtpReplies.hpp"

#include "util/ProtocolTables.hpp"

#include <algorithm>

namespace mailsim::smtp {
namespace {

using R = ReplyId;

constexpr ReplyInfo kReplies[] = {
    {R::Greeting, 220, "", "{domain} Service ready", "RFC 5321 4.2, 3.1",
     {"The server is ready: the connection set-up phase succeeded", "服务器已就绪：连接建立阶段成功"}},
    {R::ServiceUnavailable, 421, "4.3.2", "{domain} Service not available, closing transmission channel",
     "RFC 5321 3.1, 4.2.3", {"The server cannot take mail now and closes the connection; the client retries later", "服务器现在不能接收邮件，于是关闭连接；客户端稍后重试"}},
    {R::Timeout, 421, "4.4.2", "{domain} Error: timeout exceeded, closing connection", "RFC 5321 4.5.3.2",
     {"The client was silent too long; the server closes the connection", "客户端沉默太久，服务器关闭连接"}},
    {R::TooManyErrors, 421, "4.7.0", "{domain} Error: too many errors, closing connection", "RFC 5321 4.2.3",
     {"The client sent too many bad commands; the server gives up on it", "客户端发来的错误命令太多，服务器不再理会它"}},
    {R::TooManyConnections, 421, "4.7.0", "{domain} Error: too many connections, try again later",
     "RFC 5321 3.8, 4.2.3",
     {"The server (or this client address) has as many connections as it allows; retry later",
      "服务器（或这个客户端地址）的连接数已达上限；请稍后重试"}},
    {R::LoginTimeout, 421, "4.7.0", "{domain} Error: login timeout, closing connection", "RFC 5321 3.8, RFC 6409",
     {"The submission client did not log in (AUTH) within the server's deadline",
      "邮件提交客户端没有在服务器规定的期限内登录（AUTH）"}},
    {R::Closing, 221, "2.0.0", "{domain} closing connection", "RFC 5321 4.1.1.10",
     {"Answer to QUIT: the release phase; the server closes the connection", "对 QUIT 的应答：连接释放阶段，服务器关闭连接"}},
    {R::HeloOk, 250, "", "{domain} Hello {client}, pleased to meet you", "RFC 5321 4.1.1.1",
     {"The server accepted the client's introduction", "服务器接受了客户端的自我介绍"}},
    {R::EhloOk, 250, "", "{domain} Hello {client}, pleased to meet you", "RFC 5321 4.1.1.1",
     {"EHLO accepted; the following lines list the extensions this server supports", "EHLO 被接受；后面几行列出本服务器支持的扩展"}},
    {R::SenderOk, 250, "2.1.0", "{path}... Sender OK", "RFC 5321 4.1.1.2",
     {"The envelope sender was accepted: a mail transaction has begun", "信封上的发件人被接受：一次邮件事务开始了"}},
    {R::RecipientOk, 250, "2.1.5", "{path}... Recipient OK", "RFC 5321 4.1.1.3", {"This recipient was accepted", "这个收件人被接受"}},
    {R::StartData, 354, "", "Enter mail, end with \".\" on a line by itself", "RFC 5321 4.1.1.4",
     {"Go ahead: send the message content, then a line holding a single dot", "请继续：发送邮件内容，最后单独一行只写一个点"}},
    {R::MessageAccepted, 250, "2.0.0", "Message accepted for delivery", "RFC 5321 4.1.1.4",
     {"The server has taken responsibility for the message (it is safely stored)", "服务器已对这封邮件负责（邮件已安全保存）"}},
    {R::Ok, 250, "2.0.0", "OK", "RFC 5321 4.1.1.9", {"Requested action completed", "请求的操作已完成"}},
    {R::ResetOk, 250, "2.0.0", "Reset state", "RFC 5321 4.1.1.5",
     {"The transaction was aborted: sender, recipients and content are forgotten", "事务被放弃：发件人、收件人和内容都被忘掉"}},
    {R::VrfyOk, 250, "2.1.5", "{name} <{address}>", "RFC 5321 4.1.1.6, 3.5.2", {"The mailbox exists here", "这个邮箱在本服务器上存在"}},
    {R::CannotVrfy, 252, "2.1.5", "Cannot VRFY user, but will accept message and attempt delivery",
     "RFC 5321 3.5.3", {"The server will not confirm the address (it is not local), but mail to it is not refused", "服务器不确认这个地址（它不是本地的），但发往它的邮件不会被拒绝"}},
    {R::ExpnOk, 250, "2.1.5", "{member}", "RFC 5321 4.1.1.7, 3.5.2", {"One member of the mailing list per line", "每行一个邮件列表成员"}},
    {R::HelpList, 214, "2.0.0", "Commands: {commands}", "RFC 5321 4.1.1.8", {"Help message for humans", "给人看的帮助信息"}},
    {R::HelpTopic, 214, "2.0.0", "{verb}: {syntax} -- {explain}", "RFC 5321 4.1.1.8",
     {"Help on one command for humans", "给人看的单条命令帮助"}},
    {R::SystemStatus, 211, "2.0.0", "{domain} system status: {status}", "RFC 5321 4.2.2",
     {"System status, or system help reply", "系统状态或系统帮助应答"}},
    {R::UserNotLocalWillForward, 251, "2.1.5", "User not local; will forward to {path}", "RFC 5321 3.4",
     {"Accepted, but the server will forward the mail to another address", "已接受，但服务器会把邮件转发到另一个地址"}},
    {R::UserNotLocalTryElsewhere, 551, "5.1.6", "User not local; please try {path}", "RFC 5321 3.4",
     {"Refused: the user has moved; the client should try the given address", "拒绝：该用户已搬走，客户端应改用给出的地址"}},
    {R::MailboxBusy, 450, "4.2.1", "{path}... Mailbox busy, try again later", "RFC 5321 4.2.3",
     {"Temporary: the mailbox is unavailable right now; the sender will retry", "暂时性错误：邮箱此刻不可用，发送方会重试"}},
    {R::LocalError, 451, "4.3.0", "Requested action aborted: local error in processing ({detail})",
     "RFC 5321 4.2.3", {"Temporary: the server failed (e.g. could not write to disk); nothing was kept", "暂时性错误：服务器出错（例如写不进磁盘），什么也没有保存"}},
    {R::InsufficientStorage, 452, "4.3.1", "Insufficient system storage", "RFC 5321 4.2.3",
     {"Temporary: the server is out of space", "暂时性错误：服务器存储空间不足"}},
    {R::TooManyRecipients, 452, "4.5.3", "Too many recipients (this server takes {limit} per message)",
     "RFC 5321 4.5.3.1.10", {"Temporary: send the remaining recipients in another transaction", "暂时性错误：其余收件人请在另一次事务中发送"}},
    {R::Unrecognized, 500, "5.5.2", "Command unrecognized: \"{command}\"", "RFC 5321 4.2.4",
     {"The server does not know this command", "服务器不认识这个命令"}},
    {R::LineTooLong, 500, "5.5.2", "Line too long (limit {limit} octets including CRLF)", "RFC 5321 4.5.3.1.4",
     {"A command line may be at most 512 octets; the line was discarded", "一个命令行最多 512 个字节，这一行被丢弃"}},
    {R::DataLineTooLong, 500, "5.5.2", "Message line too long (limit {limit} octets including CRLF)",
     "RFC 5321 4.5.3.1.6", {"A text line may be at most 1000 octets; this (strict) server refused the message", "一个文本行最多 1000 个字节，这台（严格的）服务器拒收了这封邮件"}},
    {R::SyntaxError, 501, "5.5.4", "Syntax: {syntax}", "RFC 5321 4.2.3",
     {"The command is known but its arguments are wrong", "命令认识，但参数不对"}},
    {R::NotImplemented, 502, "5.5.1", "{verb}: command not implemented", "RFC 5321 4.2.3",
     {"The command exists but this server does not do it", "这个命令存在，但本服务器不执行它"}},
    {R::RemovedCommand, 502, "5.5.1", "{verb} was removed by RFC 5321 (it existed in RFC 821); not implemented",
     "RFC 5321 F.3-F.6", {"An old RFC 821 command that modern servers no longer support", "RFC 821 的旧命令，现代服务器已不再支持"}},
    {R::ParamNotImplemented, 504, "5.5.4", "{detail}: command parameter not implemented", "RFC 5321 4.2.3",
     {"The command is known, but not with this parameter", "命令认识，但不支持这个参数"}},
    {R::HelpUnknownTopic, 504, "5.5.4", "HELP topic \"{topic}\" unknown", "RFC 5321 4.1.1.8",
     {"There is no help on that topic", "这个主题没有帮助信息"}},
    {R::BadSequence, 503, "5.5.1", "Bad sequence of commands: {detail}", "RFC 5321 4.1.4, 4.3.2",
     {"The command is valid, but not now (e.g. RCPT before MAIL)", "命令本身有效，但现在不能用（例如在 MAIL 之前发 RCPT）"}},
    {R::UnknownUser, 550, "5.1.1", "{path}... User unknown", "RFC 5321 3.3, 4.2.3",
     {"Refused: no such mailbox here; other recipients of the same mail are not affected", "拒绝：这里没有这个邮箱；同一封邮件的其他收件人不受影响"}},
    {R::NotAList, 550, "5.1.1", "{path}... Not a mailing list", "RFC 5321 3.5.2",
     {"EXPN works on mailing lists only", "EXPN 只能用于邮件列表"}},
    {R::BadAddress, 553, "5.1.3", "{path}... Mailbox name not allowed: {detail}", "RFC 5321 4.1.2, 4.2.3",
     {"Refused: the address is not valid mailbox syntax", "拒绝：地址不符合邮箱的语法"}},
    {R::MessageTooBig, 552, "5.3.4", "Message size exceeds fixed limit of {limit} octets", "RFC 1870, RFC 5321 4.2.3",
     {"Refused: the message is larger than this server accepts", "拒绝：邮件超过了本服务器允许的大小"}},
    {R::RelayDenied, 554, "5.7.1", "{path}: Relay access denied", "RFC 5321 3.6.2, 7.1",
     {"Refused: this server is not the destination and will not relay for you (no open relay)", "拒绝：本服务器不是目的地，也不替你中继（不做开放中继）"}},
    {R::NoValidRecipients, 554, "5.5.1", "No valid recipients", "RFC 5321 3.3",
     {"DATA refused: every recipient was rejected", "DATA 被拒绝：所有收件人都被拒绝了"}},
    {R::BareLineEnding, 554, "5.6.0", "Message contains a bare {what}; only CRLF ends a line (RFC 5321 2.3.8)",
     "RFC 5321 2.3.8, 4.1.1.4", {"Strict server: bare CR or LF in content can smuggle a second message", "严格的服务器：内容中单独的 CR 或 LF 可能被用来夹带第二封邮件"}},
    {R::BareLfCommand, 500, "5.5.2", "Command line ended by a bare LF; end it with CRLF (RFC 5321 2.3.8)",
     "RFC 5321 2.3.8", {"Strict server: commands must end with CR LF, as the standard says", "严格的服务器：命令必须按标准以 CR LF 结尾"}},
    {R::ParamUnrecognized, 555, "5.5.4", "{param}: MAIL FROM/RCPT TO parameter not recognized", "RFC 5321 4.1.1.11",
     {"The server does not support this ESMTP parameter", "服务器不支持这个 ESMTP 参数"}},
    {R::AuthChallenge, 334, "", "{challenge}", "RFC 4954 4",
     {"SASL challenge (base64): the client answers with one base64 line, or \"*\" to cancel", "SASL 质询（base64）：客户端用一行 base64 回答，或用 \"*\" 取消"}},
    {R::AuthOk, 235, "2.7.0", "Authentication successful", "RFC 4954 6",
     {"Logged in: this client may now relay mail to other domains", "已登录：这个客户端现在可以把邮件中继到其他域"}},
    {R::AuthFailed, 535, "5.7.8", "Authentication credentials invalid", "RFC 4954 6",
     {"Wrong user name or password; the client stays unauthenticated", "用户名或口令错误，客户端仍未通过认证"}},
    {R::AuthCancelled, 501, "5.7.0", "Authentication cancelled", "RFC 4954 4",
     {"The client answered a challenge with \"*\": the AUTH command is abandoned", "客户端用 \"*\" 回答质询：AUTH 命令被放弃"}},
    {R::AuthNotOffered, 502, "5.5.1", "AUTH is not offered here (log in on the submission port, 587)", "RFC 4954 4, RFC 6409",
     {"This listener did not announce AUTH in its EHLO reply", "这个监听端口在 EHLO 应答中没有宣布 AUTH"}},
    {R::AlreadyAuthenticated, 503, "5.5.1", "Already authenticated", "RFC 4954 4",
     {"AUTH may succeed only once per session", "每个会话只能成功认证一次"}},
    {R::AuthMechanismUnknown, 504, "5.5.4", "Unrecognized authentication type {mechanism}", "RFC 4954 4",
     {"The server does not support this SASL mechanism (see the AUTH line of the EHLO reply)", "服务器不支持这种 SASL 机制（见 EHLO 应答中的 AUTH 行）"}},
    {R::AuthBadResponse, 501, "5.5.2", "Cannot decode the response ({detail})", "RFC 4954 4",
     {"The client's answer was not valid base64 or not valid for the mechanism", "客户端的回答不是有效的 base64，或不符合该机制"}},
    {R::AuthRequired, 530, "5.7.0", "Authentication required", "RFC 4954 6, RFC 6409 4.3",
     {"The submission port takes mail only from logged-in users: send AUTH first", "提交端口只接收已登录用户的邮件：请先发 AUTH"}},
    {R::LoopDetected, 554, "5.4.6", "Too many hops ({hops} Received: headers): mail loop detected", "RFC 5321 6.3, RFC 3463",
     {"The message has passed through too many servers; it is probably going round in a loop", "邮件经过的服务器太多，很可能在兜圈子（邮件环路）"}},
    {R::StartTlsReady, 220, "2.0.0", "Ready to start TLS", "RFC 3207 4",
     {"The next bytes on this connection are the TLS handshake; afterwards the client starts again with EHLO", "这条连接上接下来的字节是 TLS 握手；之后客户端从 EHLO 重新开始"}},
    {R::TlsUnavailable, 454, "4.7.0", "TLS not available due to temporary reason", "RFC 3207 4",
     {"Temporary: the server cannot start TLS now (e.g. its certificate is missing); try again later or go on without",
      "暂时性错误：服务器现在无法启动 TLS（例如缺少证书）；稍后再试，或者不加密继续"}},
    {R::TlsAlreadyActive, 503, "5.5.1", "TLS already active", "RFC 3207 4",
     {"STARTTLS works once: this connection is already encrypted", "STARTTLS 只能用一次：这条连接已经加密"}},
    {R::EncryptionRequired, 538, "5.7.11", "Encryption required for requested authentication mechanism", "RFC 4954 6",
     {"This server takes passwords only inside TLS: send STARTTLS first, then AUTH", "本服务器只在 TLS 内接收口令：先发 STARTTLS，再发 AUTH"}},
    {R::MustStartTls, 530, "5.7.0", "Must issue a STARTTLS command first", "RFC 3207 4",
     {"Mail is taken only from logged-in users, and logging in needs TLS here: STARTTLS, EHLO, AUTH, then MAIL", "这里只接收已登录用户的邮件，而登录需要 TLS：依次 STARTTLS、EHLO、AUTH，然后 MAIL"}},
    {R::NonAsciiSender, 553, "5.6.7", "{path}... Non-ASCII addresses not permitted for that sender (no SMTPUTF8 in MAIL)",
     "RFC 6531 3.7.4.1, RFC 5248",
     {"A UTF-8 address may travel only in a transaction that declared it: MAIL FROM:<...> SMTPUTF8",
      "UTF-8 地址只能在声明过的事务中传送：MAIL FROM:<...> SMTPUTF8"}},
    {R::NonAsciiRecipient, 553, "5.6.7",
     "{path}... Non-ASCII addresses not permitted for that recipient (no SMTPUTF8 in MAIL)", "RFC 6531 3.7.4.1, RFC 5248",
     {"This recipient's address is UTF-8, but the transaction did not declare SMTPUTF8 in its MAIL command",
      "收件人地址是 UTF-8 的，但本事务的 MAIL 命令没有声明 SMTPUTF8"}},
    // The specific forms of the general entries above: what went wrong, with its own explanation (the inspector and
    // predict mode find them by their text). Kept after the general ones.
    {R::NeedGreeting, 503, "5.5.1", "Bad sequence of commands: wait for the server's greeting", "RFC 5321 3.1, 4.3.2",
     {"The client spoke before the server's 220 greeting", "客户端在服务器发出 220 问候之前就发了命令"}},
    {R::NeedHelo, 503, "5.5.1", "Bad sequence of commands: send HELO or EHLO first", "RFC 5321 4.1.4",
     {"A session starts with HELO or EHLO: the client must introduce itself first", "会话必须以 HELO 或 EHLO 开始：客户端要先自我介绍"}},
    {R::NestedMail, 503, "5.5.1",
     "Bad sequence of commands: nested MAIL command (a transaction is already open; send RSET to abort it)",
     "RFC 5321 4.1.1.2, 4.1.4",
     {"One mail transaction at a time: finish this one or send RSET before the next MAIL", "一次只能有一个邮件事务：先完成当前事务，或者发 RSET，再发下一个 MAIL"}},
    {R::NeedMail, 503, "5.5.1", "Bad sequence of commands: need MAIL before RCPT", "RFC 5321 4.1.1.3, 4.3.2",
     {"Recipients belong to a transaction: MAIL FROM opens it", "收件人属于某个邮件事务：要先用 MAIL FROM 开始事务"}},
    {R::NeedMailBeforeData, 503, "5.5.1", "Bad sequence of commands: need MAIL before DATA", "RFC 5321 4.1.1.4, 4.3.2",
     {"DATA needs a transaction with a sender and recipients", "DATA 需要一个已有发件人和收件人的事务"}},
    {R::NeedRcpt, 503, "5.5.1", "Bad sequence of commands: need RCPT before DATA", "RFC 5321 4.1.1.4, 4.3.2",
     {"DATA needs at least one accepted recipient", "DATA 之前至少要有一个被接受的收件人"}},
    {R::NotInState, 503, "5.5.1", "Bad sequence of commands: {verb} is not allowed in state {state}", "RFC 5321 4.3.2",
     {"The transition table does not allow this command in the session's current state", "状态转换表不允许在会话的当前状态下使用这个命令"}},
    {R::OnlyQuit, 503, "5.5.1",
     "Bad sequence of commands: no SMTP service here (refused at connection time); only QUIT", "RFC 5321 3.1",
     {"The server greeted with 554: it serves no mail here, and waits only for QUIT", "服务器以 554 问候：这里不提供邮件服务，只等客户端发 QUIT"}},
    {R::StartTlsNeedsEhlo, 503, "5.5.1",
     "Bad sequence of commands: send EHLO first (STARTTLS is announced only by EHLO, RFC 3207 4)", "RFC 3207 4",
     {"STARTTLS is an ESMTP extension: the client must learn of it from the EHLO reply", "STARTTLS 是 ESMTP 扩展：客户端必须先从 EHLO 应答中得知它"}},
    {R::SmtpUtf8NoValue, 501, "5.5.4", "Syntax: SMTPUTF8 takes no value (RFC 6531 3.4)", "RFC 6531 3.4",
     {"SMTPUTF8 is a bare keyword on MAIL: SMTPUTF8=... is wrong", "SMTPUTF8 是 MAIL 上不带值的关键字：写成 SMTPUTF8=... 是错的"}},
    {R::SizeSyntax, 501, "5.5.4", "Syntax: SIZE=<octets> (RFC 1870)", "RFC 1870 6",
     {"SIZE takes the message size as a decimal number of octets", "SIZE 的值是邮件大小，用十进制字节数表示"}},
    {R::BodySyntax, 501, "5.5.4", "Syntax: BODY=7BIT|8BITMIME (RFC 6152)", "RFC 6152 2",
     {"BODY says whether the content is 7-bit or 8-bit MIME; nothing else is accepted here", "BODY 说明内容是 7 位还是 8 位 MIME；这里不接受别的值"}},
    {R::BinaryMimeUnsupported, 504, "5.5.4", "BODY=BINARYMIME (needs CHUNKING, RFC 3030): command parameter not implemented",
     "RFC 3030 3",
     {"Binary content needs BDAT (CHUNKING), which this server does not offer", "二进制内容需要 BDAT（CHUNKING），本服务器不提供"}},
    {R::NoStore, 451, "4.3.0", "Requested action aborted: local error in processing (no mail store configured)",
     "RFC 5321 4.2.3", {"Temporary: this server has nowhere to keep mail", "暂时性错误：这台服务器没有地方保存邮件"}},
    {R::StoreFailed, 451, "4.3.0", "Requested action aborted: local error in processing (could not store the message)",
     "RFC 5321 4.2.3",
     {"Temporary: the mailbox store failed; nothing was kept for any recipient", "暂时性错误：邮箱存储出错；没有为任何收件人保存这封邮件"}},
    {R::RelayQueueFailed, 451, "4.3.0",
     "Requested action aborted: local error in processing (could not queue the message for relay)", "RFC 5321 4.2.3",
     {"Temporary: the relay queue did not take the message; nothing was kept", "暂时性错误：中继队列没有接收这封邮件；什么也没有保存"}},
    {R::AuthNotBase64, 501, "5.5.2", "Cannot decode the response (not base64)", "RFC 4954 4",
     {"Each SASL response line must be base64", "每一行 SASL 响应都必须是 base64"}},
    {R::AuthPlainMalformed, 501, "5.5.2", "Cannot decode the response (expected authzid NUL user NUL password)",
     "RFC 4616 2", {"PLAIN sends authzid, user and password separated by NUL bytes", "PLAIN 发送用 NUL 字节隔开的授权身份、用户名和口令"}},
    {R::AuthCramMalformed, 501, "5.5.2", "Cannot decode the response (expected \"user digest\")", "RFC 2195 2",
     {"CRAM-MD5's answer is the user name, a space and the hex digest", "CRAM-MD5 的回答是用户名、一个空格和十六进制摘要"}},
};

constexpr CodeInfo kCodes[] = {
    {211, {"System status, or system help reply", "系统状态或系统帮助应答"}, true},
    {214, {"Help message", "帮助信息"}, true},
    {220, {"<domain> Service ready", "<域名> 服务就绪"}, true},
    {221, {"<domain> Service closing transmission channel", "<域名> 服务关闭传输信道"}, true},
    {250, {"Requested mail action okay, completed", "请求的邮件操作正确完成"}, true},
    {251, {"User not local; will forward to <forward-path>", "用户不在本地，将转发到 <转发路径>"}, true},
    {252, {"Cannot VRFY user, but will accept message and attempt delivery", "无法用 VRFY 确认用户，但会接收邮件并尝试投递"}, false},
    {354, {"Start mail input; end with <CRLF>.<CRLF>", "开始输入邮件内容，以 <CRLF>.<CRLF> 结束"}, true},
    {421, {"<domain> Service not available, closing transmission channel", "<域名> 服务不可用，关闭传输信道"}, true},
    {450, {"Requested mail action not taken: mailbox unavailable (busy)", "请求的邮件操作未执行：邮箱不可用（忙）"}, true},
    {451, {"Requested action aborted: local error in processing", "请求的操作被中止：本地处理出错"}, true},
    {452, {"Requested action not taken: insufficient system storage", "请求的操作未执行：系统存储空间不足"}, true},
    {455, {"Server unable to accommodate parameters", "服务器无法满足这些参数"}, false},
    {500, {"Syntax error, command unrecognized", "语法错误，命令无法识别"}, true},
    {501, {"Syntax error in parameters or arguments", "参数语法错误"}, true},
    {502, {"Command not implemented", "命令未实现"}, true},
    {503, {"Bad sequence of commands", "命令顺序错误"}, true},
    {504, {"Command parameter not implemented", "命令参数未实现"}, true},
    {530, {"Authentication required (or: must issue STARTTLS first)", "需要认证（或：必须先发 STARTTLS）"}, false},
    {538, {"Encryption required for requested authentication mechanism", "所请求的认证机制要求加密"}, false},
    {550, {"Requested action not taken: mailbox unavailable (not found, no access, or policy)", "请求的操作未执行：邮箱不可用（不存在、无权访问或策略不允许）"}, true},
    {551, {"User not local; please try <forward-path>", "用户不在本地，请尝试 <转发路径>"}, true},
    {552, {"Requested mail action aborted: exceeded storage allocation", "请求的邮件操作被中止：超出存储配额"}, true},
    {553, {"Requested action not taken: mailbox name not allowed", "请求的操作未执行：邮箱名不允许"}, true},
    {554, {"Transaction failed (or, at connection time, no SMTP service here)", "事务失败（在连接时则表示：这里没有 SMTP 服务）"}, true},
    {555, {"MAIL FROM/RCPT TO parameters not recognized or not implemented", "MAIL FROM/RCPT TO 的参数无法识别或未实现"}, false},
};

}  // namespace

std::span<const ReplyInfo> smtpReplies() { return kReplies; }

const ReplyInfo& replyInfo(ReplyId id) {
    for (const auto& r : kReplies)
        if (r.id == id) return r;
    return kReplies[0];
}

i18n::LocalText replyExplanation(ReplyId id) {
    const auto& explain = replyInfo(id).explain;
    return {std::string(explain.en), std::string(explain.zh)};
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
