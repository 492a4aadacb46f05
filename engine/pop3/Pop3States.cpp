#include "pop3/Pop3States.hpp"

#include "util/ProtocolTables.hpp"

#include <algorithm>
#include <cctype>

namespace mailsim::pop3 {
namespace {

using S = Pop3State;
using I = Pop3Input;

// The transition table: every row is one allowed (state, input) pair and the state its success leads to.
constexpr Pop3Transition kTable[] = {
    // greeting
    {S::Connect, I::Greeting, S::Authorization},
    {S::Connect, I::Abort, S::Closed},
    // AUTHORIZATION (RFC 1939 4, 7; RFC 5034)
    {S::Authorization, I::User, S::Authorization},
    {S::Authorization, I::Pass, S::Transaction},
    {S::Authorization, I::Apop, S::Transaction},
    {S::Authorization, I::Auth, S::Transaction},
    {S::Authorization, I::Capa, S::Authorization},
    {S::Authorization, I::Stls, S::Authorization},  // RFC 2595 4: TLS, then the login, still in AUTHORIZATION
    {S::Authorization, I::Utf8, S::Authorization},  // RFC 6856 3: only before the login
    {S::Authorization, I::Quit, S::Closed},
    {S::Authorization, I::Abort, S::Closed},
    // TRANSACTION (RFC 1939 5, 7)
    {S::Transaction, I::Stat, S::Transaction},
    {S::Transaction, I::List, S::Transaction},
    {S::Transaction, I::Retr, S::Transaction},
    {S::Transaction, I::Dele, S::Transaction},
    {S::Transaction, I::Noop, S::Transaction},
    {S::Transaction, I::Rset, S::Transaction},
    {S::Transaction, I::Top, S::Transaction},
    {S::Transaction, I::Uidl, S::Transaction},
    {S::Transaction, I::Capa, S::Transaction},
    {S::Transaction, I::Quit, S::Update},
    {S::Transaction, I::Abort, S::Closed},  // no UPDATE: deletions are not applied
    // UPDATE (RFC 1939 6)
    {S::Update, I::UpdateDone, S::Closed},
};

constexpr Pop3CommandInfo kCommands[] = {
    {I::User, "USER", "USER name", "RFC 1939 7", {"Names the mailbox to log in to (then PASS)", "给出要登录的邮箱名（接着发 PASS）"}, false, true, {.arg = util::ArgRule::Required, .login = true}},
    {I::Pass, "PASS", "PASS string", "RFC 1939 7", {"Gives the password for the name sent with USER (in clear text)", "给出 USER 所发用户名的口令（明文）"},
     false, true, {.login = true}},
    {I::Apop, "APOP", "APOP name digest", "RFC 1939 7",
     {"Logs in without sending the password: digest = MD5(greeting timestamp + password)", "不发送口令就登录：摘要 = MD5(问候中的时间戳 + 口令)"}, false, true, {.login = true}},
    {I::Auth, "AUTH", "AUTH PLAIN [initial-response]", "RFC 5034 4",
     {"Logs in with a SASL mechanism (PLAIN: base64 of NUL user NUL password)", "用 SASL 机制登录（PLAIN：NUL 用户名 NUL 口令 的 base64）"}, false, true, {.login = true}},
    {I::Capa, "CAPA", "CAPA", "RFC 2449 5", {"Asks which optional commands and extensions the server supports", "询问服务器支持哪些可选命令和扩展"}, true,
     true, {.arg = util::ArgRule::None}},
    {I::Stls, "STLS", "STLS", "RFC 2595 4",
     {"Switches the connection to TLS before logging in, so the password never crosses the network in clear text", "登录之前把连接切换到 TLS，这样口令不会以明文在网络上传送"},
     false, true, {.arg = util::ArgRule::None, .offered = true}},
    {I::Utf8, "UTF8", "UTF8", "RFC 6856 3",
     {"Says the client understands UTF-8: user names like 张三@cesoo.com and messages with UTF-8 header fields",
      "告诉服务器客户端能处理 UTF-8：像 张三@cesoo.com 这样的用户名，以及首部字段含 UTF-8 的邮件"},
     false, true, {.arg = util::ArgRule::None}},
    {I::Quit, "QUIT", "QUIT", "RFC 1939 5, 6",
     {"Ends the session; from TRANSACTION it enters UPDATE, where deleted messages are really removed", "结束会话；从 TRANSACTION 进入 UPDATE，在那里标记删除的邮件才真正被删除"}, false, false, {.arg = util::ArgRule::None}},
    {I::Stat, "STAT", "STAT", "RFC 1939 5", {"Number of messages and their total size in octets", "邮件数和总字节数"}, false, false, {.arg = util::ArgRule::None}},
    {I::List, "LIST", "LIST [msg]", "RFC 1939 5", {"Size of one message, or a list of all of them", "一封邮件的大小，或所有邮件的列表"}, true, false, {}},
    {I::Retr, "RETR", "RETR msg", "RFC 1939 5", {"Downloads a whole message", "下载整封邮件"}, true, false, {}},
    {I::Dele, "DELE", "DELE msg", "RFC 1939 5",
     {"Marks a message as deleted; it is removed only when QUIT enters UPDATE", "把邮件标记为删除；要到 QUIT 进入 UPDATE 时才真正删除"}, false, false, {}},
    {I::Noop, "NOOP", "NOOP", "RFC 1939 5", {"Does nothing; the server answers +OK (keeps the session alive)", "什么也不做，服务器应答 +OK（保持会话活跃）"}, false,
     false, {.arg = util::ArgRule::None}},
    {I::Rset, "RSET", "RSET", "RFC 1939 5", {"Unmarks every message marked as deleted in this session", "取消本会话中所有的删除标记"}, false, false, {.arg = util::ArgRule::None}},
    {I::Top, "TOP", "TOP msg n", "RFC 1939 7", {"The header and the first n lines of the body of a message", "邮件的首部和正文的前 n 行"}, true,
     true, {}},
    {I::Uidl, "UIDL", "UIDL [msg]", "RFC 1939 7",
     {"A unique id per message that stays the same across sessions (how keep-mode clients know what is new)", "每封邮件一个唯一标识，跨会话不变（保留模式的客户端靠它知道哪些是新邮件）"}, true,
     true, {}},
    {I::Greeting, "<greeting>", "", "RFC 1939 4", {"The server's +OK greeting when the connection opens", "连接建立时服务器发出的 +OK 问候"}, false, false, {}},
    {I::UpdateDone, "<update>", "", "RFC 1939 6", {"The UPDATE state removed the deleted messages", "UPDATE 状态删除了标记删除的邮件"}, false, false, {}},
    {I::Abort, "<abort>", "", "RFC 1939 3",
     {"The session ends without QUIT (hang-up, idle timeout): no UPDATE, nothing is deleted", "会话没有 QUIT 就结束（挂断、空闲超时）：不进入 UPDATE，什么都不删除"}, false, false, {}},
    {I::Unknown, "?", "", "RFC 1939 3", {"An unrecognised command (-ERR)", "无法识别的命令（-ERR）"}, false, false, {}},
};

using CS = Pop3ClientState;
using CI = Pop3ClientInput;
constexpr util::Transition<CS, CI> kClientTable[] = {
    // before the login: ask for STLS (RFC 2449 5, RFC 2595 4), CAPA again inside TLS
    {CS::Greeting, CI::Capa, CS::Capa}, {CS::Capa, CI::Stls, CS::Stls}, {CS::Stls, CI::Capa, CS::Capa},
    // the login (RFC 1939 7): USER then PASS, or APOP
    {CS::Greeting, CI::User, CS::User}, {CS::Capa, CI::User, CS::User}, {CS::Stls, CI::User, CS::User},
    {CS::Greeting, CI::Apop, CS::Apop}, {CS::Capa, CI::Apop, CS::Apop}, {CS::Stls, CI::Apop, CS::Apop},
    {CS::User, CI::Pass, CS::Pass},
    // a refused login may be tried again (RFC 1939 7: the server stays in AUTHORIZATION after a failed PASS or APOP);
    // the engine's client gives up with QUIT instead, a person at the keyboard (a scripted session) tries again
    {CS::Pass, CI::User, CS::User}, {CS::Pass, CI::Apop, CS::Apop}, {CS::Apop, CI::User, CS::User},
    {CS::Apop, CI::Apop, CS::Apop},
    // the listing (keep mode: UIDL, RFC 1939 7), then each message, deleted after it arrived in delete mode
    {CS::Pass, CI::Uidl, CS::Uidl}, {CS::Pass, CI::List, CS::List}, {CS::Apop, CI::Uidl, CS::Uidl},
    {CS::Apop, CI::List, CS::List},
    {CS::Uidl, CI::Retr, CS::Retr}, {CS::List, CI::Retr, CS::Retr}, {CS::Retr, CI::Retr, CS::Retr},
    {CS::Retr, CI::Dele, CS::Dele}, {CS::Dele, CI::Retr, CS::Retr},
    // QUIT: when all is done, or after an error (RFC 1939 6: only QUIT from TRANSACTION applies the deletions)
    {CS::Greeting, CI::Quit, CS::Quit}, {CS::Capa, CI::Quit, CS::Quit}, {CS::Stls, CI::Quit, CS::Quit},
    {CS::User, CI::Quit, CS::Quit},     {CS::Pass, CI::Quit, CS::Quit}, {CS::Apop, CI::Quit, CS::Quit},
    {CS::Uidl, CI::Quit, CS::Quit},     {CS::List, CI::Quit, CS::Quit}, {CS::Retr, CI::Quit, CS::Quit},
    {CS::Dele, CI::Quit, CS::Quit},
    // the end: the answer to QUIT, a refused greeting, a closed connection
    {CS::Greeting, CI::Close, CS::Done}, {CS::Capa, CI::Close, CS::Done}, {CS::Stls, CI::Close, CS::Done},
    {CS::User, CI::Close, CS::Done},     {CS::Pass, CI::Close, CS::Done}, {CS::Apop, CI::Close, CS::Done},
    {CS::Uidl, CI::Close, CS::Done},     {CS::List, CI::Close, CS::Done}, {CS::Retr, CI::Close, CS::Done},
    {CS::Dele, CI::Close, CS::Done},     {CS::Quit, CI::Close, CS::Done},
};

}  // namespace

std::string_view toString(Pop3ClientState state) {
    switch (state) {
    case CS::Greeting: return "GREETING";
    case CS::User: return "USER";
    case CS::Pass: return "PASS";
    case CS::Apop: return "APOP";
    case CS::List: return "LIST";
    case CS::Uidl: return "UIDL";
    case CS::Retr: return "RETR";
    case CS::Dele: return "DELE";
    case CS::Quit: return "QUIT";
    case CS::Done: return "DONE";
    case CS::Capa: return "CAPA";
    case CS::Stls: return "STLS";
    }
    return "?";
}

std::string_view toString(Pop3ClientInput input) {
    switch (input) {
    case CI::Capa: return "CAPA";
    case CI::Stls: return "STLS";
    case CI::User: return "USER";
    case CI::Pass: return "PASS";
    case CI::Apop: return "APOP";
    case CI::List: return "LIST";
    case CI::Uidl: return "UIDL";
    case CI::Retr: return "RETR";
    case CI::Dele: return "DELE";
    case CI::Quit: return "QUIT";
    case CI::Close: return "<close>";
    }
    return "?";
}

std::span<const util::Transition<CS, CI>> pop3ClientTransitions() { return kClientTable; }

std::optional<Pop3ClientState> pop3ClientNextState(Pop3ClientState from, Pop3ClientInput input) {
    return util::nextState(std::span<const util::Transition<CS, CI>>(kClientTable), from, input);
}

Pop3ClientMachine pop3ClientMachine(trace::Recorder recorder) {
    return Pop3ClientMachine("pop3-client", kClientTable, CS::Greeting, CS::Done, recorder);
}

std::optional<Pop3ClientInput> pop3ClientInputOf(std::string_view line) {
    const Pop3CommandInfo* command = findPop3Command(line.substr(0, line.find(' ')));
    if (!command) return std::nullopt;
    switch (command->input) {
    case I::Capa: return CI::Capa;
    case I::Stls: return CI::Stls;
    case I::User: return CI::User;
    case I::Pass: return CI::Pass;
    case I::Apop: return CI::Apop;
    case I::List: return CI::List;
    case I::Uidl: return CI::Uidl;
    case I::Retr: return CI::Retr;
    case I::Dele: return CI::Dele;
    case I::Quit: return CI::Quit;
    default: return std::nullopt;
    }
}

std::string_view toString(Pop3State state) {
    switch (state) {
    case S::Connect: return "CONNECT";
    case S::Authorization: return "AUTHORIZATION";
    case S::Transaction: return "TRANSACTION";
    case S::Update: return "UPDATE";
    case S::Closed: return "CLOSED";
    }
    return "?";
}

std::span<const Pop3Transition> pop3Transitions() { return kTable; }

std::optional<Pop3State> pop3NextState(Pop3State from, Pop3Input input) {
    return util::nextState(std::span<const Pop3Transition>(kTable), from, input);
}

std::span<const Pop3CommandInfo> pop3Commands() { return kCommands; }

const Pop3CommandInfo* findPop3Command(std::string_view verb) {
    return util::findCommand(std::span<const Pop3CommandInfo>(kCommands), verb);
}

const Pop3CommandInfo& pop3CommandInfo(Pop3Input input) {
    return util::commandInfo(std::span<const Pop3CommandInfo>(kCommands), input);
}

bool pop3ResponseIsMultiLine(std::string_view line) {
    auto sp = line.find(' ');
    std::string_view verb = line.substr(0, sp);
    std::string_view arg = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
    while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
    const Pop3CommandInfo* info = findPop3Command(verb);
    if (!info || !info->multiLine) return false;
    if (info->input == I::List || info->input == I::Uidl) return arg.empty();
    return true;
}

}  // namespace mailsim::pop3
