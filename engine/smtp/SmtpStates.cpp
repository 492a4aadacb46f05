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
    {I::Helo, "HELO", "HELO <domain>", "RFC 5321 4.1.1.1", {"Client introduces itself (basic SMTP)", "客户端自我介绍（基本 SMTP）"}, true, false},
    {I::Ehlo, "EHLO", "EHLO <domain>", "RFC 5321 4.1.1.1",
     {"Client introduces itself and asks which extensions (ESMTP) the server supports", "客户端自我介绍，并询问服务器支持哪些扩展（ESMTP）"}, false, false},
    {I::Mail, "MAIL", "MAIL FROM:<reverse-path> [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]",
     "RFC 5321 4.1.1.2, RFC 1870, RFC 6152, RFC 6531 3.4",
     {"Starts a mail transaction and gives the envelope sender (where bounces go)", "开始一次邮件事务，给出信封上的发件人（退信发往这里）"}, true, false},
    {I::Rcpt, "RCPT", "RCPT TO:<forward-path>", "RFC 5321 4.1.1.3",
     {"Names one envelope recipient; repeat for each recipient", "给出一个信封收件人；每个收件人各发一次"}, true, false},
    {I::Data, "DATA", "DATA", "RFC 5321 4.1.1.4",
     {"Asks to send the message content, ended by a line holding only \".\"", "请求发送邮件内容，内容以只含 \".\" 的一行结束"}, true, false},
    {I::Rset, "RSET", "RSET", "RFC 5321 4.1.1.5", {"Aborts the current mail transaction", "放弃当前的邮件事务"}, true, false},
    {I::Noop, "NOOP", "NOOP", "RFC 5321 4.1.1.9", {"Does nothing; the server answers 250 (keeps the line alive)", "什么也不做，服务器应答 250（保持连接活跃）"}, true,
     false},
    {I::Quit, "QUIT", "QUIT", "RFC 5321 4.1.1.10", {"Ends the session: the server answers 221 and closes", "结束会话：服务器应答 221 并关闭连接"}, true, false},
    {I::Vrfy, "VRFY", "VRFY <user or mailbox>", "RFC 5321 4.1.1.6", {"Asks whether a mailbox exists here", "询问某个邮箱在这里是否存在"}, true,
     false},
    {I::Expn, "EXPN", "EXPN <mailing list>", "RFC 5321 4.1.1.7", {"Asks for the members of a mailing list", "询问邮件列表的成员"}, true,
     false},
    {I::Help, "HELP", "HELP [command]", "RFC 5321 4.1.1.8", {"Asks the server for help text", "向服务器索取帮助信息"}, true, false},
    {I::Send, "SEND", "SEND FROM:<reverse-path>", "RFC 821 3.4",
     {"Delivered to a user's terminal instead of a mailbox; removed by RFC 5321", "送到用户的终端而不是邮箱；已被 RFC 5321 删除"}, true, true},
    {I::Soml, "SOML", "SOML FROM:<reverse-path>", "RFC 821 3.4",
     {"Send to terminal Or MaiL; removed by RFC 5321", "送到终端或邮箱（Send Or MaiL）；已被 RFC 5321 删除"}, true, true},
    {I::Saml, "SAML", "SAML FROM:<reverse-path>", "RFC 821 3.4",
     {"Send to terminal And MaiL; removed by RFC 5321", "同时送到终端和邮箱（Send And MaiL）；已被 RFC 5321 删除"}, true, true},
    {I::Turn, "TURN", "TURN", "RFC 821 3.8",
     {"Swaps client and server roles; removed by RFC 5321 (insecure without authentication)", "交换客户端和服务器的角色；已被 RFC 5321 删除（没有认证时不安全）"}, true, true},
    {I::Greeting, "<greeting>", "", "RFC 5321 3.1", {"The server's 220 greeting when the connection opens", "连接建立时服务器发出的 220 问候"}, false,
     false},
    {I::EndOfData, "<CRLF>.<CRLF>", "", "RFC 5321 4.1.1.4", {"The line with a single dot that ends the content", "只含一个点、用来结束内容的那一行"},
     false, false},
    {I::Abort, "<421>", "", "RFC 5321 3.8", {"The server gives up and closes (timeout, errors or shutdown)", "服务器放弃并关闭连接（超时、错误过多或停机）"}, false,
     false},
    {I::Auth, "AUTH", "AUTH <mechanism> [initial-response]", "RFC 4954 4",
     {"Logs in with a SASL mechanism (PLAIN, LOGIN, CRAM-MD5); only logged-in users may relay mail", "用 SASL 机制登录（PLAIN、LOGIN、CRAM-MD5）；只有已登录的用户才能中继邮件"}, false, false},
    {I::StartTls, "STARTTLS", "STARTTLS", "RFC 3207 4",
     {"Asks to switch this connection to TLS; after the handshake the client starts again with EHLO", "请求把这条连接切换到 TLS；握手之后客户端从 EHLO 重新开始"}, false, false},
    {I::TlsEstablished, "<TLS established>", "", "RFC 3207 4.2",
     {"The TLS handshake completed: the server forgets the EHLO name and the transaction, the client must EHLO again", "TLS 握手完成：服务器忘掉 EHLO 名称和事务，客户端必须重新 EHLO"},
     false, false},
    {I::Unknown, "?", "", "RFC 5321 4.2.4", {"An unrecognised command (500)", "无法识别的命令（500）"}, false, false},
};

}  // namespace

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
    // Every RFC 5321 command is four letters (4.1.1); STARTTLS (RFC 3207) is the one longer verb known here.
    if (verb.size() != 4 && verb.size() != 8) return nullptr;
    return util::findCommand(std::span<const SmtpCommandInfo>(kCommands), verb);
}

const SmtpCommandInfo& smtpCommandInfo(SmtpInput input) {
    return util::commandInfo(std::span<const SmtpCommandInfo>(kCommands), input);
}

}  // namespace mailsim::smtp
