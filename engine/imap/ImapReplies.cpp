#include "imap/ImapReplies.hpp"

#include "util/ProtocolTables.hpp"

namespace mailsim::imap {
namespace {

using R = ReplyId;
using C = Condition;

constexpr ReplyInfo kReplies[] = {
    {R::Greeting, C::Ok, false, "CAPABILITY {caps}", "{domain} IMAP4rev1 server ready", "RFC 3501 7.1.1, 7.2.1",
     {"The server is ready; the capability list comes with the greeting so the client need not ask", "服务器已就绪；能力列表随问候一起发来，客户端不必再问"}},
    {R::CapabilityDone, C::Ok, true, "", "CAPABILITY completed", "RFC 3501 6.1.1",
     {"The untagged * CAPABILITY line before this lists the extensions", "前面那行无标签的 * CAPABILITY 列出了扩展"}},
    {R::NoopDone, C::Ok, true, "", "NOOP completed", "RFC 3501 6.1.2",
     {"Any changes to the selected mailbox were reported as untagged responses before this", "所选邮箱的变化已在此之前以无标签响应报告"}},
    {R::LogoutBye, C::Bye, false, "", "{domain} IMAP4rev1 server logging out", "RFC 3501 6.1.3, 7.1.5",
     {"The server is about to close the connection", "服务器即将关闭连接"}},
    {R::LogoutDone, C::Ok, true, "", "LOGOUT completed", "RFC 3501 6.1.3", {"The session is over", "会话结束"}},
    {R::IdDone, C::Ok, true, "", "ID completed", "RFC 2971 3.1", {"The server told the client its name (* ID ...)", "服务器把自己的名称告诉了客户端（* ID ...）"}},
    {R::LoginDone, C::Ok, true, "CAPABILITY {caps}", "{user} logged in", "RFC 3501 6.2.3, 7.2.1",
     {"Logged in: the AUTHENTICATED state begins (the code repeats the capabilities, which may change at login)", "已登录：进入 AUTHENTICATED（已认证）状态（响应码重复了能力列表，登录后能力可能变化）"}},
    {R::AuthFailed, C::No, true, "AUTHENTICATIONFAILED", "invalid user name or password", "RFC 3501 6.2.3, RFC 5530 3",
     {"Login failed; the session stays NOT AUTHENTICATED and the client may try again", "登录失败；会话仍是 NOT AUTHENTICATED（未认证），客户端可以再试"}},
    {R::AuthCancelled, C::Bad, true, "", "AUTHENTICATE cancelled", "RFC 3501 6.2.2",
     {"The client answered \"*\" to the SASL challenge", "客户端对 SASL 质询回答了 \"*\""}},
    {R::AuthMechanism, C::No, true, "", "unsupported authentication mechanism {mech} (this server offers PLAIN)",
     "RFC 3501 6.2.2", {"The client asked for a SASL mechanism the server does not implement", "客户端要求的 SASL 机制服务器没有实现"}},
    {R::AuthContinue, C::Continue, false, "", "", "RFC 3501 6.2.2, 7.5",
     {"SASL continuation (\"+ \"): the server waits for the client's base64 response", "SASL 继续（\"+ \"）：服务器等待客户端的 base64 回答"}},
    {R::NoTls, C::Bad, true, "", "STARTTLS is not offered here", "RFC 3501 6.2.1",
     {"The capability list has no STARTTLS: this listener cannot do TLS", "能力列表里没有 STARTTLS：这个监听端口不能使用 TLS"}},
    {R::SelectDone, C::Ok, true, "READ-WRITE", "SELECT completed", "RFC 3501 6.3.1",
     {"The mailbox is selected read-write: flags may be changed and messages expunged", "邮箱以读写方式选中：可以修改标志、清除邮件"}},
    {R::ExamineDone, C::Ok, true, "READ-ONLY", "EXAMINE completed", "RFC 3501 6.3.2",
     {"The mailbox is selected read-only: nothing in it can be changed in this session", "邮箱以只读方式选中：本会话中不能修改其中任何内容"}},
    {R::SelectFailed, C::No, true, "NONEXISTENT", "no mailbox \"{mailbox}\"; no mailbox is selected now",
     "RFC 3501 6.3.1, RFC 5530 3", {"SELECT of a mailbox that does not exist; the previous one is deselected too", "SELECT 了一个不存在的邮箱；原先选中的邮箱也被取消选中"}},
    {R::UidValidity, C::Ok, false, "UIDVALIDITY {n}", "UIDs valid", "RFC 3501 2.3.1.1, 7.1",
     {"If this number changed since the client's last visit, every UID it cached is void", "如果这个数字和客户端上次访问时不同，它缓存的所有 UID 都作废"}},
    {R::UidNext, C::Ok, false, "UIDNEXT {n}", "predicted next UID", "RFC 3501 2.3.1.1, 7.1",
     {"The UID the next message will get: everything at or above it is new to a caching client", "下一封邮件将得到的 UID：对有缓存的客户端来说，大于等于它的都是新邮件"}},
    {R::Unseen, C::Ok, false, "UNSEEN {n}", "message {n} is the first unseen", "RFC 3501 7.1",
     {"Sequence number of the first message without \\Seen", "第一封没有 \\Seen 标志的邮件的序号"}},
    {R::PermanentFlags, C::Ok, false, "PERMANENTFLAGS ({flags})", "flags the client can change permanently",
     "RFC 3501 7.1",
     {"The flags the client can change for good; \\* means it may also create keywords of its own (custom flags "
      "such as $Junk or a mail program's tags), which the store keeps",
      "客户端可以永久修改的标志；\\* 表示它还可以自己创建关键字（自定义标志，例如 $Junk 或邮件程序的标签），存储会保存它们"}},
    {R::PermanentFlagsNone, C::Ok, false, "PERMANENTFLAGS ()", "read-only mailbox, no flags can be changed",
     "RFC 3501 6.3.2, 7.1", {"EXAMINE: nothing can be changed", "EXAMINE：什么都不能改"}},
    {R::CreateDone, C::Ok, true, "", "CREATE completed", "RFC 3501 6.3.3", {"The folder now exists on the server", "这个文件夹现在已在服务器上"}},
    {R::AlreadyExists, C::No, true, "ALREADYEXISTS", "mailbox \"{mailbox}\" already exists",
     "RFC 3501 6.3.3, RFC 5530 3", {"CREATE or RENAME to a name that is taken", "CREATE 或 RENAME 用了一个已被占用的名字"}},
    {R::DeleteDone, C::Ok, true, "", "DELETE completed", "RFC 3501 6.3.4",
     {"The folder and every message in it are gone from the server", "文件夹及其中所有邮件都已从服务器上删除"}},
    {R::DeleteInbox, C::No, true, "CANNOT", "INBOX cannot be deleted", "RFC 3501 6.3.4, RFC 5530 3",
     {"Every user always has an INBOX", "每个用户总有一个 INBOX（收件箱）"}},
    {R::RenameDone, C::Ok, true, "", "RENAME completed", "RFC 3501 6.3.5",
     {"The folder (and those below it) has its new name; messages keep their UIDs", "文件夹（及其子文件夹）已改名；邮件的 UID 不变"}},
    {R::SubscribeDone, C::Ok, true, "", "SUBSCRIBE completed", "RFC 3501 6.3.6", {"The folder is in the LSUB list", "文件夹已在 LSUB 列表中"}},
    {R::UnsubscribeDone, C::Ok, true, "", "UNSUBSCRIBE completed", "RFC 3501 6.3.7",
     {"The folder is no longer in the LSUB list", "文件夹已不在 LSUB 列表中"}},
    {R::ListDone, C::Ok, true, "", "LIST completed", "RFC 3501 6.3.8", {"One * LIST line per matching folder came first", "前面每个匹配的文件夹各有一行 * LIST"}},
    {R::LsubDone, C::Ok, true, "", "LSUB completed", "RFC 3501 6.3.9", {"One * LSUB line per subscribed folder", "每个已订阅的文件夹一行 * LSUB"}},
    {R::StatusDone, C::Ok, true, "", "STATUS completed", "RFC 3501 6.3.10", {"The * STATUS line has the counts", "* STATUS 行给出了各项计数"}},
    {R::AppendDone, C::Ok, true, "APPENDUID {uidvalidity} {uid}", "APPEND completed", "RFC 3501 6.3.11, RFC 4315 3",
     {"The message is stored; the code tells its UID so the client need not search for it", "邮件已保存；响应码给出了它的 UID，客户端不必再去查找"}},
    {R::AppendContinue, C::Continue, false, "", "Ready for literal data", "RFC 3501 7.5",
     {"Continuation: the server accepts the announced literal, the client now sends its octets", "继续：服务器接受预告的文字量（literal），客户端现在发送这些字节"}},
    {R::LiteralContinue, C::Continue, false, "", "Ready for literal data", "RFC 3501 7.5",
     {"Continuation: the server accepts the announced literal, the client now sends its octets", "继续：服务器接受预告的文字量（literal），客户端现在发送这些字节"}},
    {R::TryCreate, C::No, true, "TRYCREATE", "no mailbox \"{mailbox}\" (create it first)", "RFC 3501 6.3.11, 7.1",
     {"The target folder does not exist; the client may CREATE it and try again", "目标文件夹不存在；客户端可以先 CREATE 再重试"}},
    {R::NoSuchMailbox, C::No, true, "NONEXISTENT", "no mailbox \"{mailbox}\"", "RFC 5530 3",
     {"The named folder does not exist", "指定的文件夹不存在"}},
    {R::BadName, C::No, true, "CANNOT", "mailbox name refused: {why}", "RFC 3501 5.1, RFC 5530 3",
     {"Names must be modified UTF-7 (UTF-8 after ENABLE UTF8=ACCEPT), / separates levels; names that could leave the "
      "store are refused",
      "名字必须是修改过的 UTF-7（ENABLE UTF8=ACCEPT 之后用 UTF-8），用 / 分隔层级；可能跑出邮件存储范围的名字会被拒绝"}},
    {R::NamespaceDone, C::Ok, true, "", "NAMESPACE completed", "RFC 2342 5",
     {"Personal folders have no prefix and use / as delimiter; no shared folders", "个人文件夹没有前缀，用 / 作分隔符；没有共享文件夹"}},
    {R::EnableDone, C::Ok, true, "", "ENABLE completed", "RFC 5161 3.1",
     {"The * ENABLED line lists what this command turned on (CONDSTORE, QRESYNC: from now on FETCH shows MODSEQ, "
      "QRESYNC reports VANISHED instead of EXPUNGE; UTF8=ACCEPT: mailbox names and strings are UTF-8, RFC 6855)",
      "* ENABLED 行列出了这条命令启用的功能（CONDSTORE、QRESYNC：此后 FETCH 会带上 MODSEQ，QRESYNC 用 VANISHED 代替 EXPUNGE；"
      "UTF8=ACCEPT：从此邮箱名和字符串都用 UTF-8，RFC 6855）"}},
    {R::CheckDone, C::Ok, true, "", "CHECK completed", "RFC 3501 6.4.1", {"The store is always up to date here", "这里的邮件存储总是最新的"}},
    {R::CloseDone, C::Ok, true, "", "CLOSE completed", "RFC 3501 6.4.2",
     {"Messages marked \\Deleted were removed (without * EXPUNGE lines); no mailbox is selected now", "标记了 \\Deleted 的邮件已删除（不发 * EXPUNGE 行）；现在没有选中的邮箱"}},
    {R::UnselectDone, C::Ok, true, "", "UNSELECT completed", "RFC 3691 2",
     {"No mailbox is selected now; nothing was expunged", "现在没有选中的邮箱；没有清除任何邮件"}},
    {R::ExpungeDone, C::Ok, true, "", "EXPUNGE completed", "RFC 3501 6.4.3",
     {"Each removed message was reported by * n EXPUNGE (numbers shift down after each)", "每封被删除的邮件都用 * n EXPUNGE 报告（每删一封，后面的序号依次减一）"}},
    {R::SearchDone, C::Ok, true, "", "SEARCH completed", "RFC 3501 6.4.4",
     {"The * SEARCH line lists the matching message numbers (or UIDs for UID SEARCH)", "* SEARCH 行列出匹配的邮件序号（UID SEARCH 则是 UID）"}},
    {R::BadCharset, C::No, true, "BADCHARSET (UTF-8 US-ASCII)", "unsupported charset {charset}", "RFC 3501 6.4.4, 7.1",
     {"SEARCH supports UTF-8 and US-ASCII", "SEARCH 支持 UTF-8 和 US-ASCII"}},
    {R::FetchDone, C::Ok, true, "", "FETCH completed", "RFC 3501 6.4.5", {"The * n FETCH lines carried the data", "数据在 * n FETCH 行中"}},
    {R::StoreDone, C::Ok, true, "", "STORE completed", "RFC 3501 6.4.6",
     {"The flags changed; the * n FETCH lines show the new flags (unless .SILENT)", "标志已修改；* n FETCH 行显示新的标志（.SILENT 时不显示）"}},
    {R::ReadOnly, C::No, true, "READ-ONLY", "the mailbox is selected read-only (EXAMINE)", "RFC 3501 6.3.2",
     {"Nothing may be changed in a mailbox opened with EXAMINE", "用 EXAMINE 打开的邮箱中什么都不能改"}},
    {R::CopyDone, C::Ok, true, "COPYUID {uidvalidity} {from} {to}", "COPY completed", "RFC 3501 6.4.7, RFC 4315 3",
     {"Copied; the code maps the source UIDs to the UIDs in the target folder", "已复制；响应码给出源 UID 与目标文件夹中 UID 的对应关系"}},
    {R::MoveDone, C::Ok, true, "", "MOVE completed", "RFC 6851 3",
     {"Moved: the copies are in the target, the originals were expunged here", "已移动：副本在目标文件夹中，这里的原件已清除"}},
    {R::MoveCopyUid, C::Ok, false, "COPYUID {uidvalidity} {from} {to}", "moved", "RFC 6851 4.3, RFC 4315 3",
     {"Sent before the * EXPUNGE lines of a MOVE: which UIDs the moved messages got", "在 MOVE 的 * EXPUNGE 行之前发送：被移动的邮件得到了哪些 UID"}},
    {R::UidNoMatch, C::Ok, true, "", "{verb} completed (no messages matched)", "RFC 3501 6.4.8",
     {"UID ranges that match no message are not an error", "不匹配任何邮件的 UID 范围不算错误"}},
    {R::IdleContinue, C::Continue, false, "", "idling", "RFC 2177 3",
     {"The server now pushes changes as they happen; the client ends IDLE by sending DONE", "服务器现在会在变化发生时主动推送；客户端发送 DONE 结束 IDLE"}},
    {R::IdleDone, C::Ok, true, "", "IDLE terminated", "RFC 2177 3", {"The client sent DONE", "客户端发送了 DONE"}},
    {R::Unknown, C::Bad, true, "", "unknown command \"{command}\"", "RFC 3501 6", {"The server does not know this command", "服务器不认识这个命令"}},
    {R::NotAllowed, C::Bad, true, "", "{verb} is not allowed in the {state} state", "RFC 3501 3",
     {"Each command belongs to states: LOGIN before login, SELECT after it, FETCH only with a mailbox selected", "每个命令只属于某些状态：登录前用 LOGIN，登录后用 SELECT，选中邮箱后才能用 FETCH"}},
    {R::SyntaxError, C::Bad, true, "", "syntax: {syntax}", "RFC 3501 9", {"The command's arguments are not as expected", "命令的参数不符合要求"}},
    {R::LineTooLong, C::Bad, true, "", "command line too long (limit {limit} octets)", "RFC 7162 4",
     {"A command line longer than the server's limit is refused and discarded", "超过服务器限制的命令行被拒绝并丢弃"}},
    {R::LiteralTooBig, C::Bad, true, "TOOBIG", "literal of {size} octets refused (limit {limit})",
     "RFC 7888 4, RFC 4469 5", {"The server refused the literal before asking for it; the command is discarded", "服务器在请求文字量之前就拒绝了它；该命令被丢弃"}},
    {R::AppendTooBig, C::No, true, "TOOBIG", "message of {size} octets refused (limit {limit})", "RFC 7889 4",
     {"APPEND of a message larger than the server accepts; nothing was stored", "APPEND 的邮件超过服务器允许的大小；什么也没有保存"}},
    {R::TooManyErrors, C::Bye, false, "", "too many errors, closing connection", "RFC 3501 7.1.5",
     {"The client sent too many bad commands or logins", "客户端发来的错误命令或失败登录太多"}},
    {R::Autologout, C::Bye, false, "", "autologout; idle for too long", "RFC 3501 5.4",
     {"No command for at least 30 minutes: the server ends the session", "至少 30 分钟没有命令：服务器结束会话"}},
    {R::ShuttingDown, C::Bye, false, "", "server shutting down", "RFC 3501 7.1.5", {"The server stops", "服务器停止运行"}},
    {R::TooManyConnections, C::Bye, false, "UNAVAILABLE", "too many connections, try again later",
     "RFC 3501 7.1.5, RFC 5530 3",
     {"The server (or this client address) has as many connections as it allows; the client retries later",
      "服务器（或这个客户端地址）的连接数已达上限；客户端稍后再试"}},
    {R::LoginTimeout, C::Bye, false, "", "login timeout, closing connection", "RFC 3501 7.1.5",
     {"The client did not log in within the server's deadline", "客户端没有在服务器规定的期限内登录"}},
    {R::CommandTimeout, C::Bye, false, "", "command not completed in time, closing connection", "RFC 3501 7.1.5",
     {"The client sent a command or literal too slowly (slowloris defence)",
      "客户端发送命令或文字量太慢（防御 slowloris 慢速攻击）"}},
    {R::StoreError, C::No, true, "SERVERBUG", "{detail}", "RFC 5530 3", {"A problem on the server's side", "服务器端的问题"}},
    {R::NoSuchMessage, C::Bad, true, "", "no message {msg} (the mailbox has {count})", "RFC 3501 6.4.5, 9",
     {"Sequence numbers run from 1 to the number of messages (* is the last one)", "序号从 1 到邮件数（* 表示最后一封）"}},
    {R::StartTlsReady, C::Ok, true, "", "Begin TLS negotiation now", "RFC 3501 6.2.1",
     {"The next bytes on this connection are the TLS handshake; the client then asks CAPABILITY again and logs in", "这条连接上接下来的字节是 TLS 握手；之后客户端重新询问 CAPABILITY 再登录"}},
    {R::TlsAlreadyActive, C::Bad, true, "", "TLS is already active", "RFC 3501 6.2.1",
     {"STARTTLS works once: this connection is already encrypted", "STARTTLS 只能用一次：这条连接已经加密"}},
    {R::PrivacyRequired, C::No, true, "PRIVACYREQUIRED", "plaintext authentication disallowed on non-secure connection; "
     "use STARTTLS first", "RFC 3501 6.2.3, RFC 5530 3",
     {"The server announced LOGINDISABLED: passwords are taken only inside TLS", "服务器宣布了 LOGINDISABLED：只在 TLS 内接收口令"}},
    {R::ExpungeIssued, C::No, true, "EXPUNGEISSUED", "{verb}: some of the messages were expunged by another session "
     "(NOOP reports which)", "RFC 5530 3, RFC 2180 4.1.2",
     {"Another session removed a message this session still numbers; the others were answered, NOOP brings the news",
      "另一个会话删除了本会话仍在编号的邮件；其余邮件已照常回答，发送 NOOP 可得知被删除的是哪几封"}},
    {R::SearchExpungeIssued, C::Ok, true, "EXPUNGEISSUED", "{verb} completed; messages expunged by another session "
     "were left out", "RFC 5530 3, RFC 2180 4.1",
     {"The result is complete except for messages another session removed meanwhile; NOOP reports them as EXPUNGE",
      "结果完整，只是不含其他会话刚刚删除的邮件；发送 NOOP 时服务器会以 EXPUNGE 报告它们"}},
    {R::SortDone, C::Ok, true, "", "SORT completed", "RFC 5256 3",
     {"The * SORT line lists the matching messages in the requested order (the server sorted, not the client)",
      "* SORT 行按要求的顺序列出匹配的邮件（由服务器排序，客户端无需下载邮件）"}},
    {R::ThreadDone, C::Ok, true, "", "THREAD completed", "RFC 5256 3",
     {"The * THREAD line groups the matching messages into conversations: (parent child (reply)(reply))",
      "* THREAD 行把匹配的邮件按会话分组：(父邮件 子邮件 (回复)(回复))"}},
    {R::BadThreadAlgorithm, C::Bad, true, "", "unknown threading algorithm {algorithm} (this server offers "
     "REFERENCES and ORDEREDSUBJECT)", "RFC 5256 3",
     {"THREAD needs an algorithm the CAPABILITY list names", "THREAD 需要 CAPABILITY 列出的线索算法（REFERENCES 或 ORDEREDSUBJECT）"}},
    {R::MultiAppendDone, C::Ok, true, "APPENDUID {uidvalidity} {uid}", "APPEND completed ({count} messages)",
     "RFC 3502 3, RFC 4315 3",
     {"MULTIAPPEND: every message was stored, or none; the code lists the UIDs they got, in order",
      "MULTIAPPEND：所有邮件要么全部保存，要么一封也不保存；响应码按顺序列出它们得到的 UID"}},
    {R::UnknownCte, C::No, true, "UNKNOWN-CTE", "a part's content-transfer-encoding is unknown: BINARY cannot decode "
     "it (use BODY[])", "RFC 3516 4.2, 5",
     {"BINARY asks the server to undo base64 or quoted-printable; for an encoding it does not know it must refuse",
      "BINARY 要求服务器解除 base64 或 quoted-printable 编码；遇到不认识的传送编码时必须拒绝（可改用 BODY[]）"}},
    {R::KeywordLimit, C::No, true, "LIMIT", "this mailbox has no room for another keyword", "RFC 3501 2.3.2, RFC 5530 3",
     {"Every keyword the folder can hold is taken (a Maildir names keywords by the letters a-z, so 26); nothing changed",
      "这个文件夹能保存的关键字已经用完（Maildir 用字母 a-z 表示关键字，所以最多 26 个）；什么都没有改变"}},
    {R::StoreReadOnly, C::No, true, "NOPERM", "the mailbox's files are read-only: the flags were not saved",
     "RFC 3501 6.4.6, RFC 5530 3",
     {"The store could not write the change (e.g. a read-only Maildir); nothing changed, so the server says NO",
      "邮件存储无法写入这次修改（例如只读的 Maildir）；什么都没有改变，所以服务器回答 NO"}},
    {R::HighestModSeq, C::Ok, false, "HIGHESTMODSEQ {n}", "highest", "RFC 7162 3.1.2.1",
     {"Every change in this mailbox got a number (a mod-sequence); this is the largest. A client that remembers it "
      "can later ask only for what changed after it",
      "这个邮箱里的每次修改都有一个编号（修改序号，mod-sequence）；这是最大的一个。客户端记住它，下次就可以只问此后的变化"}},
    {R::NoModSeq, C::Ok, false, "NOMODSEQ", "this mailbox keeps no mod-sequences", "RFC 7162 3.1.2.2",
     {"The store cannot number changes for this mailbox: CHANGEDSINCE and UNCHANGEDSINCE cannot be used here",
      "邮件存储不能为这个邮箱的修改编号：这里不能使用 CHANGEDSINCE 和 UNCHANGEDSINCE"}},
    {R::StoreModified, C::Ok, true, "MODIFIED {set}", "conditional STORE failed for these messages", "RFC 7162 3.1.3",
     {"STORE (UNCHANGEDSINCE n): the listed messages changed after n (someone else was quicker), so they were not "
      "touched; the others were. The client fetches them again and decides",
      "STORE (UNCHANGEDSINCE n)：列出的邮件在 n 之后已被修改（别人抢先了一步），所以没有改动它们；其余邮件已修改。"
      "客户端应重新获取这些邮件再决定"}},
    {R::Closed, C::Ok, false, "CLOSED", "previous mailbox closed", "RFC 7162 3.2.11",
     {"QRESYNC: from here on the responses are about the newly selected mailbox, not the one before",
      "QRESYNC：从这里起，响应说的是新选中的邮箱，而不是之前那个"}},
    {R::QresyncNotEnabled, C::Bad, true, "", "{what} needs ENABLE QRESYNC first", "RFC 7162 3.2.5, 3.2.6",
     {"The QRESYNC parameter of SELECT and the VANISHED modifier of UID FETCH are allowed only after ENABLE QRESYNC",
      "SELECT 的 QRESYNC 参数和 UID FETCH 的 VANISHED 修饰符只能在 ENABLE QRESYNC 之后使用"}},
    {R::Utf8NotEnabled, C::Bad, true, "", "the UTF8 APPEND data item needs ENABLE UTF8=ACCEPT first", "RFC 6855 4",
     {"A message with UTF-8 headers (RFC 6532) is appended as UTF8 (~{n}...) only by a client that enabled "
      "UTF8=ACCEPT; nothing was stored",
      "只有先用 ENABLE UTF8=ACCEPT 启用了 UTF-8 的客户端，才能用 UTF8 (~{n}...) 追加首部含 UTF-8 的邮件（RFC 6532）；"
      "什么也没有保存"}},
    {R::SearchCharsetUtf8, C::Bad, true, "", "no CHARSET after ENABLE UTF8=ACCEPT: search strings are UTF-8",
     "RFC 6855 3",
     {"Once UTF-8 is enabled every string is UTF-8, so a CHARSET in SEARCH would contradict it",
      "启用 UTF-8 之后所有字符串都是 UTF-8，SEARCH 里再写 CHARSET 就自相矛盾了"}},
    {R::NoStore, C::No, true, "SERVERBUG", "no mail store configured", "RFC 5530 3",
     {"The server has nowhere to keep mail (a configuration error), so the login cannot go on",
      "服务器没有存放邮件的地方（配置错误），所以登录无法继续"}},
    {R::CreateFailed, C::No, true, "SERVERBUG", "the folder cannot be created", "RFC 3501 6.3.3, RFC 5530 3",
     {"The store could not make the folder (a file system error); the folders above it made so far stay",
      "邮件存储无法建立这个文件夹（文件系统出错）；此前已建好的上级文件夹仍然保留"}},
    {R::DeleteFailed, C::No, true, "SERVERBUG", "the folder cannot be deleted", "RFC 3501 6.3.4, RFC 5530 3",
     {"The store could not remove the folder (a file system error); it is still there",
      "邮件存储无法删除这个文件夹（文件系统出错）；它仍然存在"}},
    {R::RenameFailed, C::No, true, "SERVERBUG", "the folder cannot be renamed", "RFC 3501 6.3.5, RFC 5530 3",
     {"The store could not give the folder its new name (a file system error)",
      "邮件存储无法给文件夹改名（文件系统出错）"}},
    {R::AppendFailed, C::No, true, "SERVERBUG", "the message cannot be stored", "RFC 3501 6.3.11, RFC 5530 3",
     {"The store could not write the message; with MULTIAPPEND the ones stored before it were removed again "
      "(all or none, RFC 3502 3)",
      "邮件存储无法写入这封邮件；如果是 MULTIAPPEND，之前已保存的几封也被删掉了（要么全部保存，要么一封不留，RFC 3502 3）"}},
    {R::ExpungeFailed, C::No, true, "SERVERBUG", "the messages cannot be removed", "RFC 3501 6.4.3, RFC 5530 3",
     {"The store could not delete the messages marked \\Deleted; they are still in the mailbox",
      "邮件存储无法删除标记了 \\Deleted 的邮件；它们仍在邮箱中"}},
    {R::FlagsNotSaved, C::No, true, "SERVERBUG", "the flags cannot be saved", "RFC 3501 6.4.6, RFC 5530 3",
     {"The store could not write a message's new flags; the changes made before it stay, and FETCH shows which",
      "邮件存储无法写入某封邮件的新标志；在它之前的修改仍然有效，用 FETCH 可以看到哪些改了"}},
    {R::CopyFailed, C::No, true, "SERVERBUG", "the messages cannot be copied", "RFC 3501 6.4.7, RFC 5530 3",
     {"The store could not write a copy; the copies made so far were removed, so the target is as it was",
      "邮件存储无法写入副本；已经做好的副本被删掉了，目标文件夹保持原样"}},
    {R::MoveIncomplete, C::No, true, "SERVERBUG", "copied but the originals cannot be removed",
     "RFC 6851 3.3, RFC 5530 3",
     {"MOVE copied the messages (the COPYUID above says where) but could not delete them here: they are in both "
      "folders now",
      "MOVE 已经复制了邮件（上面的 COPYUID 说明了复制到哪里），但无法在这里删除原件：现在两个文件夹里都有它们"}},
    {R::NotACommand, C::Bad, false, "", "syntax: tag SP command [SP arguments]", "RFC 3501 2.2.1, 7.1.3, 9",
     {"Every command line starts with a tag the client chose, then the command; this line has no tag or no command, "
      "so the answer is untagged",
      "每个命令行都以客户端选定的标签开头，然后是命令；这一行没有标签或没有命令，所以应答不带标签"}},
    {R::IdleNotDone, C::Bad, true, "", "syntax: DONE ends IDLE (RFC 2177 3)", "RFC 2177 3",
     {"While idling the client may send only DONE; anything else ends the IDLE with BAD",
      "IDLE 期间客户端只能发送 DONE；发送别的内容会以 BAD 结束 IDLE"}},
    {R::SearchReturnSyntax, C::Bad, true, "", "syntax: SEARCH RETURN (MIN MAX ALL COUNT) (RFC 4731 3.1)",
     "RFC 4731 3.1",
     {"SEARCH RETURN takes the options MIN, MAX, ALL and COUNT; this server knows no others",
      "SEARCH RETURN 接受 MIN、MAX、ALL 和 COUNT 这几个选项；本服务器不认识其他选项"}},
};

}  // namespace

std::span<const ReplyInfo> imapReplies() { return kReplies; }

const ReplyInfo& replyInfo(ReplyId id) {
    for (const auto& r : kReplies)
        if (r.id == id) return r;
    return kReplies[0];
}

i18n::LocalText replyExplanation(ReplyId id) {
    const auto& explain = replyInfo(id).explain;
    return {std::string(explain.en), std::string(explain.zh)};
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

namespace {

constexpr ResponseMeaning kResponseMeanings[] = {
    {"OK", {"success (RFC 3501 7.1.1)", "成功（RFC 3501 7.1.1）"}},
    {"NO", {"the command failed: a normal, expected failure such as a wrong password (RFC 3501 7.1.2)",
            "命令失败：正常的、预料之中的失败，例如口令错误（RFC 3501 7.1.2）"}},
    {"BAD", {"a protocol error: the command was not understood or not allowed in this state (RFC 3501 7.1.3)",
             "协议错误：命令无法理解，或在当前状态下不允许（RFC 3501 7.1.3）"}},
    {"BYE", {"the server is closing the connection (RFC 3501 7.1.5)", "服务器正在关闭连接（RFC 3501 7.1.5）"}},
    {"PREAUTH", {"the connection is already authenticated (RFC 3501 7.1.4)", "连接已经通过认证（RFC 3501 7.1.4）"}},
    {"EXISTS", {"The mailbox now holds this many messages (RFC 3501 7.3.1).", "邮箱中现在有这么多封邮件（RFC 3501 7.3.1）。"}},
    {"EXPUNGE", {"This message number was removed; later numbers shift down (RFC 3501 7.4.1).",
                 "这个编号的邮件被删除了；后面的编号依次减一（RFC 3501 7.4.1）。"}},
    {"FETCH", {"Data about one message: flags, envelope, body parts (RFC 3501 7.4.2).",
               "一封邮件的数据：标志、信封、正文各部分（RFC 3501 7.4.2）。"}},
    {"RECENT", {"Messages new to this session (\\Recent, RFC 3501 7.3.2).", "对本会话来说是新的邮件（\\Recent，RFC 3501 7.3.2）。"}},
    {"+", {"\"+\" invites the client to send the rest: a literal, a SASL response, or (after IDLE) nothing until DONE "
           "(RFC 3501 7.5, RFC 2177).",
           "“+”请客户端发送其余部分：文字量、SASL 响应，或者（在 IDLE 之后）什么都不发，直到 DONE（RFC 3501 7.5、RFC 2177）。"}},
};

}  // namespace

std::span<const ResponseMeaning> responseMeanings() { return kResponseMeanings; }

const ResponseMeaning* findResponseMeaning(std::string_view word) {
    for (const ResponseMeaning& m : kResponseMeanings)
        if (m.word == word) return &m;
    return nullptr;
}

}  // namespace mailsim::imap
