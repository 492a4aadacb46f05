#include "imap/ImapStates.hpp"

#include "util/Ascii.hpp"
#include "util/ProtocolTables.hpp"

#include <algorithm>
#include <cctype>

namespace mailsim::imap {
namespace {

using S = ImapState;
using I = ImapInput;

// The transition table: one row per allowed (state, input) pair and the state its success leads to.
constexpr ImapTransition kTable[] = {
    // any state (RFC 3501 6.1, RFC 2971)
    {S::NotAuthenticated, I::Capability, S::NotAuthenticated},
    {S::NotAuthenticated, I::Noop, S::NotAuthenticated},
    {S::NotAuthenticated, I::Id, S::NotAuthenticated},
    {S::NotAuthenticated, I::Logout, S::Logout},
    {S::NotAuthenticated, I::Abort, S::Logout},
    {S::Authenticated, I::Capability, S::Authenticated},
    {S::Authenticated, I::Noop, S::Authenticated},
    {S::Authenticated, I::Id, S::Authenticated},
    {S::Authenticated, I::Logout, S::Logout},
    {S::Authenticated, I::Abort, S::Logout},
    {S::Selected, I::Capability, S::Selected},
    {S::Selected, I::Noop, S::Selected},
    {S::Selected, I::Id, S::Selected},
    {S::Selected, I::Logout, S::Logout},
    {S::Selected, I::Abort, S::Logout},
    // not authenticated (6.2)
    {S::NotAuthenticated, I::Login, S::Authenticated},
    {S::NotAuthenticated, I::Authenticate, S::Authenticated},
    {S::NotAuthenticated, I::StartTls, S::NotAuthenticated},  // 6.2.1: TLS, then the login, still NOT AUTHENTICATED
    // authenticated (6.3) -- and the same commands in the selected state (RFC 3501 3.3: "In addition to the
    // universal commands ... commands valid in the authenticated state are permitted")
    {S::Authenticated, I::Select, S::Selected},
    {S::Authenticated, I::Examine, S::Selected},
    {S::Authenticated, I::SelectFailed, S::Authenticated},
    {S::Selected, I::Select, S::Selected},
    {S::Selected, I::Examine, S::Selected},
    {S::Selected, I::SelectFailed, S::Authenticated},
    {S::Authenticated, I::Create, S::Authenticated},
    {S::Authenticated, I::Delete, S::Authenticated},
    {S::Authenticated, I::Rename, S::Authenticated},
    {S::Authenticated, I::Subscribe, S::Authenticated},
    {S::Authenticated, I::Unsubscribe, S::Authenticated},
    {S::Authenticated, I::List, S::Authenticated},
    {S::Authenticated, I::Lsub, S::Authenticated},
    {S::Authenticated, I::Status, S::Authenticated},
    {S::Authenticated, I::Append, S::Authenticated},
    {S::Authenticated, I::Namespace, S::Authenticated},
    {S::Authenticated, I::Enable, S::Authenticated},
    {S::Authenticated, I::Idle, S::Authenticated},
    {S::Selected, I::Create, S::Selected},
    {S::Selected, I::Delete, S::Selected},
    {S::Selected, I::Rename, S::Selected},
    {S::Selected, I::Subscribe, S::Selected},
    {S::Selected, I::Unsubscribe, S::Selected},
    {S::Selected, I::List, S::Selected},
    {S::Selected, I::Lsub, S::Selected},
    {S::Selected, I::Status, S::Selected},
    {S::Selected, I::Append, S::Selected},
    {S::Selected, I::Namespace, S::Selected},
    {S::Selected, I::Enable, S::Selected},
    // selected (6.4)
    {S::Selected, I::Check, S::Selected},
    {S::Selected, I::Close, S::Authenticated},
    {S::Selected, I::Unselect, S::Authenticated},
    {S::Selected, I::Expunge, S::Selected},
    {S::Selected, I::Search, S::Selected},
    {S::Selected, I::Fetch, S::Selected},
    {S::Selected, I::Store, S::Selected},
    {S::Selected, I::Copy, S::Selected},
    {S::Selected, I::Move, S::Selected},
    {S::Selected, I::Uid, S::Selected},
    {S::Selected, I::Idle, S::Selected},
    {S::Selected, I::Sort, S::Selected},    // RFC 5256 3
    {S::Selected, I::Thread, S::Selected},  // RFC 5256 3
};

constexpr ImapCommandInfo kCommands[] = {
    {I::Capability, "CAPABILITY", "CAPABILITY", "RFC 3501 6.1.1", {"Asks what the server supports", "询问服务器支持什么"},
     {"OK", "BAD"}, {.arg = util::ArgRule::None}},
    {I::Noop, "NOOP", "NOOP", "RFC 3501 6.1.2",
     {"Does nothing, but lets the server report changes (new mail, flags, expunges) as untagged responses", "什么也不做，但让服务器以无标签响应报告变化（新邮件、标志、清除）"},
     {"OK", "BAD"}, {.arg = util::ArgRule::None}},
    {I::Logout, "LOGOUT", "LOGOUT", "RFC 3501 6.1.3", {"Ends the session: * BYE, then the tagged OK", "结束会话：先 * BYE，再回带标签的 OK"},
     {"OK", "BAD"}, {.arg = util::ArgRule::None}},
    {I::Id, "ID", "ID (\"name\" \"value\" ...) | NIL", "RFC 2971 3.1", {"Client and server tell each other who they are", "客户端和服务器互相告知身份"},
     {"OK", "BAD"}, {}},
    {I::Login, "LOGIN", "LOGIN user password", "RFC 3501 6.2.3", {"Logs in with a user name and a clear-text password", "用用户名和明文口令登录"},
     {"OK", "NO", "BAD"}, {.login = true}},
    {I::Authenticate, "AUTHENTICATE", "AUTHENTICATE PLAIN [initial-response]", "RFC 3501 6.2.2, RFC 4959",
     {"Logs in with a SASL mechanism (PLAIN: base64 of NUL user NUL password)", "用 SASL 机制登录（PLAIN：NUL 用户名 NUL 口令 的 base64）"},
     {"OK", "NO", "BAD"}, {.login = true}},
    {I::StartTls, "STARTTLS", "STARTTLS", "RFC 3501 6.2.1",
     {"Switches the connection to TLS before logging in; the client then asks CAPABILITY again", "登录之前把连接切换到 TLS；之后客户端重新询问 CAPABILITY"},
     {"OK", "BAD"}, {.offered = true}},
    {I::Select, "SELECT", "SELECT mailbox [(CONDSTORE) | (QRESYNC (uidvalidity modseq [known-uids]))]",
     "RFC 3501 6.3.1, RFC 7162 3.1.7, 3.2.5",
     {"Opens a mailbox read-write: the server reports its size, flags, UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ; with "
      "QRESYNC also what vanished and what changed since the client's last visit",
      "以读写方式打开邮箱：服务器报告邮件数、标志、UIDVALIDITY、UIDNEXT 和 HIGHESTMODSEQ；带 QRESYNC 时还报告自客户端上次访问以来哪些邮件已消失、哪些被修改"},
     {"OK", "NO", "BAD"}, {}},
    {I::Examine, "EXAMINE", "EXAMINE mailbox", "RFC 3501 6.3.2", {"Opens a mailbox read-only (no flag changes)", "以只读方式打开邮箱（不能改标志）"},
     {"OK", "NO", "BAD"}, {}},
    {I::Create, "CREATE", "CREATE mailbox", "RFC 3501 6.3.3", {"Creates a folder on the server", "在服务器上创建文件夹"},
     {"OK", "NO", "BAD"}, {}},
    {I::Delete, "DELETE", "DELETE mailbox", "RFC 3501 6.3.4", {"Deletes a folder and the messages in it", "删除文件夹及其中的邮件"},
     {"OK", "NO", "BAD"}, {}},
    {I::Rename, "RENAME", "RENAME old new", "RFC 3501 6.3.5", {"Renames a folder (and the folders below it)", "给文件夹（及其子文件夹）改名"},
     {"OK", "NO", "BAD"}, {}},
    {I::Subscribe, "SUBSCRIBE", "SUBSCRIBE mailbox", "RFC 3501 6.3.6", {"Adds a folder to the client's subscribed list", "把文件夹加入客户端的订阅列表"},
     {"OK", "NO", "BAD"}, {}},
    {I::Unsubscribe, "UNSUBSCRIBE", "UNSUBSCRIBE mailbox", "RFC 3501 6.3.7", {"Removes a folder from the subscribed list", "把文件夹从订阅列表中去掉"},
     {"OK", "NO", "BAD"}, {}},
    {I::List, "LIST", "LIST [(SUBSCRIBED RECURSIVEMATCH)] reference pattern|(pattern...) "
     "[RETURN (SUBSCRIBED CHILDREN STATUS (item...))]", "RFC 3501 6.3.8, RFC 5258, RFC 5819",
     {"Lists folders matching a pattern (* any characters, % any but the hierarchy delimiter /); the extended form "
      "selects subscribed ones and returns their counts too",
      "列出与模式匹配的文件夹（* 匹配任意字符，% 匹配除层级分隔符 / 以外的任意字符）；扩展形式还能只选已订阅的文件夹并同时返回它们的计数"},
     {"OK", "NO", "BAD"}, {}},
    {I::Lsub, "LSUB", "LSUB reference pattern", "RFC 3501 6.3.9", {"Lists subscribed folders matching a pattern", "列出与模式匹配的已订阅文件夹"},
     {"OK", "NO", "BAD"}, {}},
    {I::Status, "STATUS", "STATUS mailbox (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)",
     "RFC 3501 6.3.10, RFC 7162 3.1.6",
     {"Counts of a folder without selecting it", "不选中文件夹就取得它的各项计数"},
     {"OK", "NO", "BAD"}, {}},
    {I::Append, "APPEND", "APPEND mailbox [(flags)] [\"date-time\"] ({size} | UTF8 (~{size})) "
                          "[[(flags)] [\"date-time\"] {size}...]",
     "RFC 3501 6.3.11, RFC 4315, RFC 3502",
     {"Uploads a message into a folder (e.g. a sent message into Sent); MULTIAPPEND: several at once, all or none",
      "把邮件上传到文件夹（例如把已发邮件放进 Sent）；MULTIAPPEND：一次上传多封，要么全部成功，要么全部不保存"},
     {"OK", "NO", "BAD"}, {}},
    {I::Namespace, "NAMESPACE", "NAMESPACE", "RFC 2342 5", {"Where personal folders live and the hierarchy delimiter", "个人文件夹在哪里，层级分隔符是什么"},
     {"OK", "NO", "BAD"}, {.arg = util::ArgRule::None}},
    {I::Enable, "ENABLE", "ENABLE capability... (CONDSTORE, QRESYNC, UTF8=ACCEPT)", "RFC 5161 3.1, RFC 7162 3.2.3, RFC 6855 3",
     {"Turns on extensions that change responses: CONDSTORE adds MODSEQ to FETCH, QRESYNC reports VANISHED UIDs, "
      "UTF8=ACCEPT makes mailbox names and strings UTF-8",
      "启用会改变响应的扩展：CONDSTORE 让 FETCH 带上 MODSEQ，QRESYNC 用 VANISHED 报告被清除的 UID，UTF8=ACCEPT 让邮箱名和字符串使用 UTF-8"},
     {"OK", "BAD"}, {.arg = util::ArgRule::Required}},
    {I::Check, "CHECK", "CHECK", "RFC 3501 6.4.1", {"A checkpoint of the selected mailbox (here: like NOOP)", "为所选邮箱做一个检查点（这里相当于 NOOP）"},
     {"OK", "BAD"}, {.arg = util::ArgRule::None}},
    {I::Close, "CLOSE", "CLOSE", "RFC 3501 6.4.2",
     {"Expunges the messages marked \\Deleted (silently) and leaves the selected state", "（不声不响地）清除标记了 \\Deleted 的邮件，并离开选中状态"},
     {"OK", "BAD"}, {}},
    {I::Unselect, "UNSELECT", "UNSELECT", "RFC 3691 2", {"Leaves the selected state without expunging", "离开选中状态，不清除邮件"},
     {"OK", "BAD"}, {}},
    {I::Expunge, "EXPUNGE", "EXPUNGE", "RFC 3501 6.4.3",
     {"Permanently removes the messages marked \\Deleted; each is reported by * n EXPUNGE", "永久删除标记了 \\Deleted 的邮件；每封都用 * n EXPUNGE 报告"},
     {"OK", "NO", "BAD"}, {.sequenceNumbers = true}},
    {I::Search, "SEARCH", "SEARCH [RETURN (MIN MAX ALL COUNT)] [CHARSET name] key...", "RFC 3501 6.4.4, RFC 4731",
     {"The server finds the matching messages: the client downloads nothing but their numbers (with RETURN: only "
      "the smallest, largest, count or a compact set, in one * ESEARCH line)",
      "由服务器查找匹配的邮件：客户端只下载它们的编号（带 RETURN 时只取最小、最大、个数或紧凑的集合，放在一行 * ESEARCH 中）"},
     {"OK", "NO", "BAD"}, {.sequenceNumbers = true}},
    {I::Fetch, "FETCH", "FETCH sequence-set (item...) [(CHANGEDSINCE modseq [VANISHED])]", "RFC 3501 6.4.5, RFC 7162 3.1.4",
     {"Retrieves parts of messages: flags, size, envelope, structure, any section of the body, or MODSEQ; "
      "CHANGEDSINCE returns only the messages changed after that mod-sequence",
      "取回邮件的某些部分：标志、大小、信封、结构、正文的任意一节或 MODSEQ；CHANGEDSINCE 只返回在该修改序号之后被修改的邮件"},
     {"OK", "NO", "BAD"}, {.sequenceNumbers = true}},
    {I::Store, "STORE", "STORE sequence-set [(UNCHANGEDSINCE modseq)] [+|-]FLAGS[.SILENT] (flag...)",
     "RFC 3501 6.4.6, RFC 7162 3.1.3",
     {"Changes the flags of messages (\\Seen, \\Flagged, \\Deleted ...); with UNCHANGEDSINCE only those nobody "
      "changed after that mod-sequence ([MODIFIED] lists the others)",
      "修改邮件的标志（\\Seen、\\Flagged、\\Deleted 等）；带 UNCHANGEDSINCE 时只修改在该修改序号之后没被别人改过的邮件（[MODIFIED] 列出其余的）"},
     {"OK", "NO", "BAD"}, {.sequenceNumbers = true}},
    {I::Copy, "COPY", "COPY sequence-set mailbox", "RFC 3501 6.4.7, RFC 4315", {"Copies messages to another folder", "把邮件复制到另一个文件夹"},
     {"OK", "NO", "BAD"}, {.sequenceNumbers = true}},
    {I::Move, "MOVE", "MOVE sequence-set mailbox", "RFC 6851 3", {"Moves messages to another folder in one step", "一步把邮件移到另一个文件夹"},
     {"OK", "NO", "BAD"}, {.sequenceNumbers = true}},
    {I::Uid, "UID", "UID FETCH|STORE|SEARCH|COPY|MOVE|EXPUNGE ...", "RFC 3501 6.4.8, RFC 4315",
     {"The same commands with UIDs, which never change, instead of sequence numbers", "同样的命令，但用永不改变的 UID 代替序号"},
     {"OK", "NO", "BAD"}, {}},
    {I::Idle, "IDLE", "IDLE (then DONE)", "RFC 2177 3",
     {"Waits for the server to push changes (new mail) without polling; DONE ends it", "不轮询，等服务器主动推送变化（新邮件）；用 DONE 结束"},
     {"OK", "NO", "BAD"}, {.arg = util::ArgRule::None}},
    {I::Sort, "SORT", "SORT (REVERSE? ARRIVAL|CC|DATE|FROM|SIZE|SUBJECT|TO ...) charset key...", "RFC 5256 3",
     {"The server sorts the matching messages (by date, sender, subject ...) so a webmail shows one page without "
      "downloading every header",
      "由服务器为匹配的邮件排序（按日期、发件人、主题……），网页邮箱不必下载所有首部就能显示一页"},
     {"OK", "NO", "BAD"}, {.sequenceNumbers = true}},
    {I::Thread, "THREAD", "THREAD REFERENCES|ORDEREDSUBJECT charset key...", "RFC 5256 3",
     {"The server groups the matching messages into conversations, by References/In-Reply-To or by subject",
      "由服务器按 References/In-Reply-To 或按主题把匹配的邮件分成会话"},
     {"OK", "NO", "BAD"}, {.sequenceNumbers = true}},
    {I::Greeting, "<greeting>", "", "RFC 3501 7.1.1", {"The server's untagged OK greeting when the connection opens", "连接建立时服务器发出的无标签 OK 问候"},
     {}, {}},
    {I::SelectFailed, "<select failed>", "", "RFC 3501 6.3.1",
     {"A failed SELECT leaves no mailbox selected (back to AUTHENTICATED)", "SELECT 失败后没有选中的邮箱（回到 AUTHENTICATED）"},
     {}, {}},
    {I::Abort, "<abort>", "", "RFC 3501 3.4, 5.4",
     {"The connection ends without LOGOUT: autologout timer, hang-up, too many errors, shutdown", "连接没有 LOGOUT 就结束：自动注销计时器到期、挂断、错误过多或停机"},
     {}, {}},
    {I::Unknown, "?", "", "RFC 3501 6", {"An unrecognised command (tagged BAD)", "无法识别的命令（带标签的 BAD）"},
     {"BAD"}, {}},
};

using CS = ImapClientState;
using CI = ImapClientInput;
constexpr util::Transition<CS, CI> kClientTable[] = {
    // before the login: the capabilities (greeting code or CAPABILITY), STARTTLS and CAPABILITY again inside TLS
    // (RFC 3501 6.2.1), or LOGOUT when TLS is required and not to be had
    {CS::Greeting, CI::Capability, CS::Capability}, {CS::Greeting, CI::StartTls, CS::StartTls},
    {CS::Capability, CI::StartTls, CS::StartTls},   {CS::StartTls, CI::Capability, CS::Capability},
    {CS::Greeting, CI::Login, CS::Login},           {CS::Capability, CI::Login, CS::Login},
    {CS::StartTls, CI::Login, CS::Login},
    {CS::Greeting, CI::Logout, CS::Logout},         {CS::Capability, CI::Logout, CS::Logout},
    {CS::StartTls, CI::Logout, CS::Logout},
    // logged in (6.3): the folder tasks, or SELECT (Move: after CREATE of its target)
    {CS::Login, CI::Create, CS::Create}, {CS::Login, CI::Delete, CS::Delete}, {CS::Login, CI::Rename, CS::Rename},
    {CS::Login, CI::Select, CS::Select}, {CS::Create, CI::Select, CS::Select},
    {CS::Create, CI::Logout, CS::Logout}, {CS::Delete, CI::Logout, CS::Logout}, {CS::Rename, CI::Logout, CS::Logout},
    // selected (6.4): each task's commands
    {CS::Select, CI::List, CS::List},     {CS::List, CI::Open, CS::Open},       {CS::Open, CI::Logout, CS::Logout},
    {CS::Select, CI::Search, CS::Search}, {CS::Search, CI::Move, CS::Move},     {CS::Search, CI::Store, CS::Store},
    {CS::Search, CI::Logout, CS::Logout}, {CS::Move, CI::Logout, CS::Logout},
    {CS::Select, CI::Store, CS::Store},   {CS::Store, CI::Logout, CS::Logout},
    {CS::Select, CI::Idle, CS::Idle},     {CS::Idle, CI::Idling, CS::Idling},
    {CS::Idling, CI::IdleDone, CS::IdleDone},
    {CS::Idling, CI::Logout, CS::Logout}, {CS::IdleDone, CI::Logout, CS::Logout},
    {CS::Select, CI::Upload, CS::Upload}, {CS::Upload, CI::FetchNew, CS::FetchNew},
    {CS::FetchNew, CI::Survivors, CS::Survivors}, {CS::FetchNew, CI::Logout, CS::Logout},
    {CS::Survivors, CI::Flags, CS::Flags}, {CS::Flags, CI::Logout, CS::Logout},
    {CS::Select, CI::Logout, CS::Logout},  // nothing to do (an empty mailbox)
    // the end: the answer to LOGOUT, or a failure (NO to LOGIN or SELECT, BYE, a closed connection) from anywhere
    {CS::Greeting, CI::Close, CS::Done}, {CS::Capability, CI::Close, CS::Done}, {CS::StartTls, CI::Close, CS::Done},
    {CS::Login, CI::Close, CS::Done},    {CS::Create, CI::Close, CS::Done},     {CS::Delete, CI::Close, CS::Done},
    {CS::Rename, CI::Close, CS::Done},   {CS::Select, CI::Close, CS::Done},     {CS::List, CI::Close, CS::Done},
    {CS::Open, CI::Close, CS::Done},     {CS::Search, CI::Close, CS::Done},     {CS::Move, CI::Close, CS::Done},
    {CS::Store, CI::Close, CS::Done},    {CS::Upload, CI::Close, CS::Done},     {CS::FetchNew, CI::Close, CS::Done},
    {CS::Survivors, CI::Close, CS::Done}, {CS::Flags, CI::Close, CS::Done},     {CS::Idle, CI::Close, CS::Done},
    {CS::Idling, CI::Close, CS::Done},   {CS::IdleDone, CI::Close, CS::Done},   {CS::Logout, CI::Close, CS::Done},
};

}  // namespace

std::string_view toString(ImapClientState state) {
    switch (state) {
    case CS::Greeting: return "GREETING";
    case CS::Capability: return "CAPABILITY";
    case CS::StartTls: return "STARTTLS";
    case CS::Login: return "LOGIN";
    case CS::Create: return "CREATE";
    case CS::Delete: return "DELETE";
    case CS::Rename: return "RENAME";
    case CS::Select: return "SELECT";
    case CS::List: return "LIST";
    case CS::Open: return "OPEN";
    case CS::Search: return "SEARCH";
    case CS::Move: return "MOVE";
    case CS::Store: return "STORE";
    case CS::Upload: return "UPLOAD";
    case CS::FetchNew: return "FETCH-NEW";
    case CS::Survivors: return "SURVIVORS";
    case CS::Flags: return "FLAGS";
    case CS::Idle: return "IDLE";
    case CS::Idling: return "IDLING";
    case CS::IdleDone: return "IDLE-DONE";
    case CS::Logout: return "LOGOUT";
    case CS::Done: return "DONE";
    }
    return "?";
}

std::string_view toString(ImapClientInput input) {
    switch (input) {
    case CI::Capability: return "CAPABILITY";
    case CI::StartTls: return "STARTTLS";
    case CI::Login: return "LOGIN";
    case CI::Create: return "CREATE";
    case CI::Delete: return "DELETE";
    case CI::Rename: return "RENAME";
    case CI::Select: return "SELECT";
    case CI::List: return "LIST";            // FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)
    case CI::Open: return "OPEN";            // UID FETCH n BODY[]
    case CI::Search: return "SEARCH";        // UID SEARCH
    case CI::Move: return "MOVE";            // UID MOVE
    case CI::Store: return "STORE";          // UID STORE
    case CI::Upload: return "UPLOAD";        // UID STORE of the offline changes
    case CI::FetchNew: return "FETCH-NEW";   // UID FETCH uidnext:*
    case CI::Survivors: return "SURVIVORS";  // UID SEARCH UID 1:n
    case CI::Flags: return "FLAGS";          // UID FETCH 1:n (UID FLAGS)
    case CI::Idle: return "IDLE";
    case CI::Idling: return "<idling>";      // the server's "+": no command
    case CI::IdleDone: return "IDLE-DONE";   // DONE
    case CI::Logout: return "LOGOUT";
    case CI::Close: return "<close>";
    }
    return "?";
}

std::span<const util::Transition<CS, CI>> imapClientTransitions() { return kClientTable; }

std::optional<ImapClientState> imapClientNextState(ImapClientState from, ImapClientInput input) {
    return util::nextState(std::span<const util::Transition<CS, CI>>(kClientTable), from, input);
}

ImapClientMachine imapClientMachine(trace::Recorder recorder) {
    return ImapClientMachine("imap-client", kClientTable, CS::Greeting, CS::Done, recorder);
}

std::span<const ImapClientInput> imapClientInputsOf(std::string_view line) {
    static constexpr CI kCapability[] = {CI::Capability}, kStartTls[] = {CI::StartTls}, kLogin[] = {CI::Login},
                        kCreate[] = {CI::Create}, kDelete[] = {CI::Delete}, kRename[] = {CI::Rename},
                        kSelect[] = {CI::Select}, kFetch[] = {CI::List, CI::Open, CI::FetchNew, CI::Flags},
                        kSearch[] = {CI::Search, CI::Survivors}, kMove[] = {CI::Move},
                        kStore[] = {CI::Store, CI::Upload}, kIdle[] = {CI::Idle}, kDone[] = {CI::IdleDone},
                        kLogout[] = {CI::Logout};
    auto word = [&line]() {  // the next space-separated word of `line`, consumed
        const std::string_view w = line.substr(0, line.find(' '));
        line.remove_prefix(std::min(line.size(), w.size() + 1));
        return w;
    };
    if (util::asciiUpper(line) == "DONE") return kDone;  // RFC 2177 3: untagged, ends IDLE
    word();                                               // the tag
    std::string_view verb = word();
    if (util::asciiUpper(verb) == "UID") verb = word();  // RFC 3501 6.4.8: UID FETCH, UID SEARCH ...
    const ImapCommandInfo* command = findImapCommand(verb);
    if (!command) return {};
    switch (command->input) {
    case I::Capability: return kCapability;
    case I::StartTls: return kStartTls;
    case I::Login:
    case I::Authenticate: return kLogin;
    case I::Create: return kCreate;
    case I::Delete: return kDelete;
    case I::Rename: return kRename;
    case I::Select:
    case I::Examine: return kSelect;
    case I::Fetch: return kFetch;
    case I::Search: return kSearch;
    case I::Move: return kMove;
    case I::Store: return kStore;
    case I::Idle: return kIdle;
    case I::Logout: return kLogout;
    default: return {};
    }
}

i18n::LocalText commandExplanation(ImapInput input) {
    const auto& explain = imapCommandInfo(input).explain;
    return {std::string(explain.en), std::string(explain.zh)};
}

std::string_view toString(ImapState state) {
    switch (state) {
    case S::NotAuthenticated: return "NOT AUTHENTICATED";
    case S::Authenticated: return "AUTHENTICATED";
    case S::Selected: return "SELECTED";
    case S::Logout: return "LOGOUT";
    }
    return "?";
}

std::span<const ImapTransition> imapTransitions() { return kTable; }

std::optional<ImapState> imapNextState(ImapState from, ImapInput input) {
    return util::nextState(std::span<const ImapTransition>(kTable), from, input);
}

std::span<const ImapCommandInfo> imapCommands() { return kCommands; }

const ImapCommandInfo* findImapCommand(std::string_view verb) {
    return util::findCommand(std::span<const ImapCommandInfo>(kCommands), verb);
}

const ImapCommandInfo& imapCommandInfo(ImapInput input) {
    return util::commandInfo(std::span<const ImapCommandInfo>(kCommands), input);
}

std::vector<std::string_view> allowedCompletions(const ImapCommandInfo& info) {
    std::vector<std::string_view> out;
    for (std::string_view r : info.replies)
        if (!r.empty()) out.push_back(r);
    return out;
}

}  // namespace mailsim::imap
