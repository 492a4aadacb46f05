#include "smtp/SmtpStates.hpp"

#include "util/ProtocolTables.hpp"

#include <algorithm>
#include <cctype>

namespace mailsim::smtp {
namespace {

using S = SmtpState;
using I = SmtpInput;

// The transition table. Every row is one allowed (state, input) pair and the state it leads to.
constexpr SmtpTransition kTable[] = {
    // connection set-up
    {S::Connect, I::Greeting, S::Initial},
    {S::Connect, I::Abort, S::Closed},
    // introductions (a new HELO/EHLO also aborts any transaction in progress, RFC 5321 4.1.4)
    {S::Initial, I::Helo, S::Ready}, {S::Initial, I::Ehlo, S::Ready},
    {S::Ready, I::Helo, S::Ready},   {S::Ready, I::Ehlo, S::Ready},
    {S::Mail, I::Helo, S::Ready},    {S::Mail, I::Ehlo, S::Ready},
    {S::Rcpt, I::Helo, S::Ready},    {S::Rcpt, I::Ehlo, S::Ready},
    // the mail transaction
    {S::Ready, I::Mail, S::Mail},
    {S::Mail, I::Rcpt, S::Rcpt},
    {S::Rcpt, I::Rcpt, S::Rcpt},
    {S::Rcpt, I::Data, S::Data},
    {S::Data, I::EndOfData, S::Ready},
    // RSET: abort the transaction; before HELO there is nothing to abort
    {S::Initial, I::Rset, S::Initial}, {S::Ready, I::Rset, S::Ready},
    {S::Mail, I::Rset, S::Ready},      {S::Rcpt, I::Rset, S::Ready},
    // commands that never change the state
    {S::Initial, I::Noop, S::Initial}, {S::Ready, I::Noop, S::Ready}, {S::Mail, I::Noop, S::Mail}, {S::Rcpt, I::Noop, S::Rcpt},
    {S::Initial, I::Vrfy, S::Initial}, {S::Ready, I::Vrfy, S::Ready}, {S::Mail, I::Vrfy, S::Mail}, {S::Rcpt, I::Vrfy, S::Rcpt},
    {S::Initial, I::Expn, S::Initial}, {S::Ready, I::Expn, S::Ready}, {S::Mail, I::Expn, S::Mail}, {S::Rcpt, I::Expn, S::Rcpt},
    {S::Initial, I::Help, S::Initial}, {S::Ready, I::Help, S::Ready}, {S::Mail, I::Help, S::Mail}, {S::Rcpt, I::Help, S::Rcpt},
    // RFC 4954 4: AUTH after EHLO, outside a mail transaction
    {S::Ready, I::Auth, S::Ready},
    // RFC 3207 4: STARTTLS after EHLO, outside a transaction; the completed handshake resets the session (4.2)
    {S::Ready, I::StartTls, S::Ready},
    {S::Ready, I::TlsEstablished, S::Initial},
    // release
    {S::Initial, I::Quit, S::Closed}, {S::Ready, I::Quit, S::Closed}, {S::Mail, I::Quit, S::Closed}, {S::Rcpt, I::Quit, S::Closed},
    {S::Initial, I::Abort, S::Closed}, {S::Ready, I::Abort, S::Closed}, {S::Mail, I::Abort, S::Closed},
    {S::Rcpt, I::Abort, S::Closed},    {S::Data, I::Abort, S::Closed},
};

constexpr SmtpCommandInfo kCommands[] = {
    {I::Helo, "HELO", "HELO <domain>", "RFC 5321 4.1.1.1", {"Client introduces itself (basic SMTP)", "客户端自我介绍（基本 SMTP）"}, true, false,
     {250, 504, 550, 502, 501}, {.arg = util::ArgRule::Printable, .syntaxFirst = true}},
    {I::Ehlo, "EHLO", "EHLO <domain>", "RFC 5321 4.1.1.1",
     {"Client introduces itself and asks which extensions (ESMTP) the server supports", "客户端自我介绍，并询问服务器支持哪些扩展（ESMTP）"}, false, false,
     {250, 504, 550, 502, 501}, {.arg = util::ArgRule::Printable, .syntaxFirst = true}},
    {I::Mail, "MAIL", "MAIL FROM:<reverse-path> [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]",
     "RFC 5321 4.1.1.2, RFC 1870, RFC 6152, RFC 6531 3.4",
     {"Starts a mail transaction and gives the envelope sender (where bounces go)", "开始一次邮件事务，给出信封上的发件人（退信发往这里）"}, true, false,
     {250, 552, 451, 452, 550, 553, 503, 455, 555, 501}, {}},
    {I::Rcpt, "RCPT", "RCPT TO:<forward-path>", "RFC 5321 4.1.1.3",
     {"Names one envelope recipient; repeat for each recipient", "给出一个信封收件人；每个收件人各发一次"}, true, false,
     {250, 251, 550, 551, 552, 553, 450, 451, 452, 503, 455, 555}, {}},
    {I::Data, "DATA", "DATA", "RFC 5321 4.1.1.4",
     {"Asks to send the message content, ended by a line holding only \".\"", "请求发送邮件内容，内容以只含 \".\" 的一行结束"}, true, false,
     {354, 503, 554, 451}, {.arg = util::ArgRule::None, .syntaxFirst = true}},
    {I::Rset, "RSET", "RSET", "RFC 5321 4.1.1.5", {"Aborts the current mail transaction", "放弃当前的邮件事务"}, true, false,
     {250, 501, 421}, {.arg = util::ArgRule::None, .syntaxFirst = true}},
    {I::Noop, "NOOP", "NOOP", "RFC 5321 4.1.1.9", {"Does nothing; the server answers 250 (keeps the line alive)", "什么也不做，服务器应答 250（保持连接活跃）"}, true,
     false,
     {250, 501, 421}, {}},
    {I::Quit, "QUIT", "QUIT", "RFC 5321 4.1.1.10", {"Ends the session: the server answers 221 and closes", "结束会话：服务器应答 221 并关闭连接"}, true, false,
     {221, 250, 500, 501}, {.arg = util::ArgRule::None, .syntaxFirst = true}},
    {I::Vrfy, "VRFY", "VRFY <user or mailbox>", "RFC 5321 4.1.1.6", {"Asks whether a mailbox exists here", "询问某个邮箱在这里是否存在"}, true,
     false,
     {250, 251, 252, 550, 551, 553, 502, 504}, {.arg = util::ArgRule::Required, .syntaxFirst = true}},
    {I::Expn, "EXPN", "EXPN <mailing list>", "RFC 5321 4.1.1.7", {"Asks for the members of a mailing list", "询问邮件列表的成员"}, true,
     false,
     {250, 252, 550, 500, 502, 504}, {.arg = util::ArgRule::Required, .syntaxFirst = true}},
    {I::Help, "HELP", "HELP [command]", "RFC 5321 4.1.1.8", {"Asks the server for help text", "向服务器索取帮助信息"}, true, false,
     {211, 214, 502, 504}, {}},
    {I::Send, "SEND", "SEND FROM:<reverse-path>", "RFC 821 3.4",
     {"Delivered to a user's terminal instead of a mailbox; removed by RFC 5321", "送到用户的终端而不是邮箱；已被 RFC 5321 删除"}, true, true,
     {502}, {}},
    {I::Soml, "SOML", "SOML FROM:<reverse-path>", "RFC 821 3.4",
     {"Send to terminal Or MaiL; removed by RFC 5321", "送到终端或邮箱（Send Or MaiL）；已被 RFC 5321 删除"}, true, true,
     {502}, {}},
    {I::Saml, "SAML", "SAML FROM:<reverse-path>", "RFC 821 3.4",
     {"Send to terminal And MaiL; removed by RFC 5321", "同时送到终端和邮箱（Send And MaiL）；已被 RFC 5321 删除"}, true, true,
     {502}, {}},
    {I::Turn, "TURN", "TURN", "RFC 821 3.8",
     {"Swaps client and server roles; removed by RFC 5321 (insecure without authentication)", "交换客户端和服务器的角色；已被 RFC 5321 删除（没有认证时不安全）"}, true, true,
     {502}, {}},
    {I::Greeting, "<greeting>", "", "RFC 5321 3.1", {"The server's 220 greeting when the connection opens", "连接建立时服务器发出的 220 问候"}, false,
     false,
     {220, 554, 421}, {}},
    {I::EndOfData, "<CRLF>.<CRLF>", "", "RFC 5321 4.1.1.4", {"The line with a single dot that ends the content", "只含一个点、用来结束内容的那一行"},
     false, false,
     {250, 552, 554, 451, 452, 450, 550}, {}},
    {I::Abort, "<421>", "", "RFC 5321 3.8", {"The server gives up and closes (timeout, errors or shutdown)", "服务器放弃并关闭连接（超时、错误过多或停机）"}, false,
     false,
     {421}, {}},
    {I::Auth, "AUTH", "AUTH <mechanism> [initial-response]", "RFC 4954 4",
     {"Logs in with a SASL mechanism (PLAIN, LOGIN, CRAM-MD5); only logged-in users may relay mail", "用 SASL 机制登录（PLAIN、LOGIN、CRAM-MD5）；只有已登录的用户才能中继邮件"}, false, false,
     {334, 235, 535, 504, 503, 501}, {}},
    {I::StartTls, "STARTTLS", "STARTTLS", "RFC 3207 4",
     {"Asks to switch this connection to TLS; after the handshake the client starts again with EHLO", "请求把这条连接切换到 TLS；握手之后客户端从 EHLO 重新开始"}, false, false,
     {220, 454, 501, 503}, {.arg = util::ArgRule::None, .syntaxFirst = true, .offered = true}},
    {I::TlsEstablished, "<TLS established>", "", "RFC 3207 4.2",
     {"The TLS handshake completed: the server forgets the EHLO name and the transaction, the client must EHLO again", "TLS 握手完成：服务器忘掉 EHLO 名称和事务，客户端必须重新 EHLO"},
     false, false,
     {}, {}},
    {I::SaslResponse, "<SASL response>", "", "RFC 4954 4",
     {"A base64 line answering the server's 334 challenge during AUTH (not a command)", "在 AUTH 过程中回答服务器 334 质询的一行 base64（不是命令）"},
     false, false,
     {235, 334, 535, 501}, {}},
    {I::Unknown, "?", "", "RFC 5321 4.2.4", {"An unrecognised command (500)", "无法识别的命令（500）"}, false, false,
     {500}, {}},
};

// The client's table (SmtpStates.hpp): after the greeting it introduces itself; after the introduction it may
// secure the connection, log in or start a transaction; RCPT repeats; a refused transaction is reset; QUIT ends.
using CS = SmtpClientState;
using CI = SmtpClientInput;
constexpr util::Transition<CS, CI> kClientTable[] = {
    {CS::Greeting, CI::Ehlo, CS::Ehlo}, {CS::Greeting, CI::Helo, CS::Helo}, {CS::Greeting, CI::Quit, CS::Quit},
    {CS::Ehlo, CI::Helo, CS::Helo},  // an RFC 821 server that does not know EHLO (RFC 5321 4.1.4)
    {CS::Ehlo, CI::StartTls, CS::StartTls}, {CS::Helo, CI::StartTls, CS::StartTls},
    {CS::StartTls, CI::Ehlo, CS::Ehlo},  // RFC 3207 4.2: EHLO again inside TLS
    {CS::Ehlo, CI::Auth, CS::Auth},         {CS::Helo, CI::Auth, CS::Auth},       {CS::StartTls, CI::Auth, CS::Auth},
    {CS::Ehlo, CI::Mail, CS::Mail},         {CS::Helo, CI::Mail, CS::Mail},       {CS::StartTls, CI::Mail, CS::Mail},
    {CS::Auth, CI::Mail, CS::Mail},
    {CS::Mail, CI::Rcpt, CS::Rcpt},         {CS::Mail, CI::Mail, CS::Mail},       // a refused sender: next message
    {CS::Rcpt, CI::Rcpt, CS::Rcpt},         {CS::Rcpt, CI::Data, CS::Data},       {CS::Rcpt, CI::Rset, CS::Rset},
    {CS::Data, CI::Content, CS::Content},   {CS::Data, CI::Rset, CS::Rset},
    {CS::Content, CI::Mail, CS::Mail},      {CS::Rset, CI::Mail, CS::Mail},
    // QUIT after any reply once there is nothing (more) to send, or after a refusal that ends the session
    {CS::Ehlo, CI::Quit, CS::Quit},         {CS::Helo, CI::Quit, CS::Quit},       {CS::StartTls, CI::Quit, CS::Quit},
    {CS::Auth, CI::Quit, CS::Quit},         {CS::Mail, CI::Quit, CS::Quit},       {CS::Content, CI::Quit, CS::Quit},
    {CS::Rset, CI::Quit, CS::Quit},
    // the end: the answer to QUIT, a 421 (RFC 5321 3.8), a closed connection or an invalid reply
    {CS::Greeting, CI::Close, CS::Done},    {CS::Ehlo, CI::Close, CS::Done},      {CS::Helo, CI::Close, CS::Done},
    {CS::StartTls, CI::Close, CS::Done},    {CS::Auth, CI::Close, CS::Done},      {CS::Mail, CI::Close, CS::Done},
    {CS::Rcpt, CI::Close, CS::Done},        {CS::Data, CI::Close, CS::Done},      {CS::Content, CI::Close, CS::Done},
    {CS::Rset, CI::Close, CS::Done},        {CS::Quit, CI::Close, CS::Done},
};

}  // namespace

std::string_view toString(SmtpClientState state) {
    switch (state) {
    case CS::Greeting: return "GREETING";
    case CS::Ehlo: return "EHLO";
    case CS::Helo: return "HELO";
    case CS::Mail: return "MAIL";
    case CS::Rcpt: return "RCPT";
    case CS::Data: return "DATA";
    case CS::Content: return "CONTENT";
    case CS::Rset: return "RSET";
    case CS::Quit: return "QUIT";
    case CS::Done: return "DONE";
    case CS::Auth: return "AUTH";
    case CS::StartTls: return "STARTTLS";
    }
    return "?";
}

std::string_view toString(SmtpClientInput input) {
    switch (input) {
    case CI::Ehlo: return "EHLO";
    case CI::Helo: return "HELO";
    case CI::StartTls: return "STARTTLS";
    case CI::Auth: return "AUTH";
    case CI::Mail: return "MAIL";
    case CI::Rcpt: return "RCPT";
    case CI::Data: return "DATA";
    case CI::Content: return "<content>";
    case CI::Rset: return "RSET";
    case CI::Quit: return "QUIT";
    case CI::Close: return "<close>";
    }
    return "?";
}

std::span<const util::Transition<CS, CI>> smtpClientTransitions() { return kClientTable; }

std::optional<SmtpClientState> smtpClientNextState(SmtpClientState from, SmtpClientInput input) {
    return util::nextState(std::span<const util::Transition<CS, CI>>(kClientTable), from, input);
}

SmtpClientMachine smtpClientMachine(trace::Recorder recorder) {
    return SmtpClientMachine("smtp-client", kClientTable, CS::Greeting, CS::Done, recorder);
}

std::optional<SmtpClientInput> smtpClientInputOf(std::string_view line) {
    const SmtpCommandInfo* command = findSmtpCommand(line.substr(0, line.find(' ')));
    if (!command) return std::nullopt;
    switch (command->input) {
    case SmtpInput::Helo: return CI::Helo;
    case SmtpInput::Ehlo: return CI::Ehlo;
    case SmtpInput::StartTls: return CI::StartTls;
    case SmtpInput::Auth: return CI::Auth;
    case SmtpInput::Mail: return CI::Mail;
    case SmtpInput::Rcpt: return CI::Rcpt;
    case SmtpInput::Data: return CI::Data;
    case SmtpInput::Rset: return CI::Rset;
    case SmtpInput::Quit: return CI::Quit;
    default: return std::nullopt;
    }
}

std::string_view toString(SmtpState state) {
    switch (state) {
    case S::Connect: return "CONNECT";
    case S::Initial: return "INITIAL";
    case S::Ready: return "READY";
    case S::Mail: return "MAIL";
    case S::Rcpt: return "RCPT";
    case S::Data: return "DATA";
    case S::Closed: return "CLOSED";
    }
    return "?";
}

std::string_view toString(SmtpPhase phase) {
    switch (phase) {
    case SmtpPhase::SetUp: return "connection set-up";
    case SmtpPhase::Transfer: return "mail transfer";
    case SmtpPhase::Release: return "release";
    }
    return "?";
}

std::string_view phaseName(SmtpPhase phase, i18n::Lang lang) {
    if (lang == i18n::Lang::En) return toString(phase);
    switch (phase) {
    case SmtpPhase::SetUp: return "连接建立";
    case SmtpPhase::Transfer: return "邮件传送";
    case SmtpPhase::Release: return "连接释放";
    }
    return "?";
}

SmtpPhase phaseOf(SmtpState state) {
    switch (state) {
    case S::Connect:
    case S::Initial: return SmtpPhase::SetUp;
    case S::Closed: return SmtpPhase::Release;
    default: return SmtpPhase::Transfer;
    }
}

std::span<const SmtpTransition> smtpTransitions() { return kTable; }

std::optional<SmtpState> smtpNextState(SmtpState from, SmtpInput input) {
    return util::nextState(std::span<const SmtpTransition>(kTable), from, input);
}

std::span<const SmtpCommandInfo> smtpCommands() { return kCommands; }

const SmtpCommandInfo* findSmtpCommand(std::string_view verb) {
    return util::findCommand(std::span<const SmtpCommandInfo>(kCommands), verb);
}

const SmtpCommandInfo& smtpCommandInfo(SmtpInput input) {
    return util::commandInfo(std::span<const SmtpCommandInfo>(kCommands), input);
}

std::vector<int> allowedReplyCodes(const SmtpCommandInfo& info) {
    std::vector<int> out;
    for (std::uint16_t code : info.replies)
        if (code != 0) out.push_back(code);
    return out;
}

}  // namespace mailsim::smtp
