// The inspector's explanation of a POP3 line, from the engine's POP3 command table (pop3/Pop3States.hpp) and reply
// catalogue (pop3/Pop3Replies.hpp). See Explain.hpp for the contract.
#include "Explain.hpp"

#include "pop3/Pop3Replies.hpp"
#include "pop3/Pop3States.hpp"

#include <cctype>

namespace mailsim::gui {
namespace {
// The text in the explanation's language.
inline std::string T(const Explanation& x, std::string_view en, std::string_view zh) { return i18n::pick(x.lang, en, zh); }
}  // namespace
namespace {

std::string_view firstWord(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
    return s.substr(0, n);
}

std::string_view skipSpaces(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s;
}

// RFC 2449 8 and RFC 3206 response codes.
std::string explainResponseCode(std::string_view code, i18n::Lang lang) {
    using i18n::pick;
    if (code == "IN-USE") return pick(lang, "the maildrop is locked by another session (RFC 2449 8.1.1)", "邮箱被另一个会话锁定（RFC 2449 8.1.1）");
    if (code == "LOGIN-DELAY") return pick(lang, "logging in again so soon is not allowed (RFC 2449 8.1.2)", "不允许这么快再次登录（RFC 2449 8.1.2）");
    if (code == "SYS/TEMP") return pick(lang, "a temporary problem on the server; try again later (RFC 3206 5)", "服务器的暂时性问题，请稍后再试（RFC 3206 5）");
    if (code == "SYS/PERM") return pick(lang, "a permanent problem on the server (RFC 3206 5)", "服务器的永久性问题（RFC 3206 5）");
    if (code == "AUTH") return pick(lang, "the credentials were wrong; retrying with others may work (RFC 3206 4)", "登录信息错误；换一组可能成功（RFC 3206 4）");
    return pick(lang, "an extended response code (RFC 2449 8)", "扩展响应码（RFC 2449 8）");
}

void explainCommand(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    const trace::Event* prev = previousLine(trace, e);
    if (prev && prev->direction == trace::Direction::ServerToClient && prev->text.starts_with("+ ")) {
        x.heading = T(x, "SASL response", "SASL 响应");
        addDecoded(x, T(x, "decoded", "解码后"), skipSpaces(e.text));
        return;
    }
    const std::string_view verb = firstWord(e.text);
    const pop3::Pop3CommandInfo* info = verb.empty() ? nullptr : pop3::findPop3Command(verb);
    if (!info || info->input == pop3::Pop3Input::Unknown) {
        x.heading = T(x, "Command", "命令");
        x.notes.push_back(verb.empty() ? T(x, "An empty or non-alphabetic command line.", "一个空的或不以字母开头的命令行。")
                                       : T(x, "Not a command this POP3 server knows: it answers -ERR.", "不是这台 POP3 服务器认识的命令：它应答 -ERR。"));
        return;
    }
    x.heading = T(x, "Command ", "命令 ") + std::string(info->verb);
    x.facts.push_back({T(x, "syntax", "语法"), std::string(info->syntax)});
    x.facts.push_back({T(x, "defined in", "定义于"), std::string(info->rfc)});
    x.facts.push_back({T(x, "meaning", "含义"), std::string(info->explain.in(x.lang))});
    std::string_view args = skipSpaces(std::string_view(e.text).substr(verb.size()));
    if (info->input == pop3::Pop3Input::Auth) {
        const auto sp = args.find(' ');
        x.facts.push_back({T(x, "mechanism", "机制"), std::string(args.substr(0, sp))});
        if (sp != std::string_view::npos) addDecoded(x, T(x, "initial response", "初始响应"), skipSpaces(args.substr(sp + 1)));
    }
    if (pop3::pop3ResponseIsMultiLine(e.text))
        x.notes.push_back(T(x, "The +OK answer is multi-line: lines follow until one holding a single \".\" (RFC 1939 3).", "+OK 应答是多行的：后面各行一直到只含一个“.”的那一行为止（RFC 1939 3）。"));
    if (info->input == pop3::Pop3Input::Pass)
        x.notes.push_back(T(x, "The password crosses the network in clear text; APOP, or POP3 inside TLS, avoids that.", "口令以明文在网络上传送；用 APOP，或在 TLS 内使用 POP3，可以避免这一点。"));
    if (info->input == pop3::Pop3Input::Dele)
        x.notes.push_back(T(x, "Nothing is removed yet: the message is only marked. The server removes marked messages in "
                          "the UPDATE state, after QUIT; a session that ends any other way deletes nothing.", "现在还什么都没删：邮件只是做了标记。服务器在 QUIT 之后的 UPDATE 状态才删除标记过的邮件；以其他方式结束的会话什么都不删。"));
    if (info->input == pop3::Pop3Input::Quit)
        x.notes.push_back(T(x, "From TRANSACTION, QUIT enters UPDATE: the one moment POP3 changes the mailbox.", "在 TRANSACTION 状态发出 QUIT 就进入 UPDATE：这是 POP3 唯一修改邮箱的时刻。"));
    if (info->optional) x.notes.push_back(T(x, "Optional in RFC 1939, or an extension: a server may not offer it.", "在 RFC 1939 中是可选的，或是扩展：服务器可能不提供。"));
}

void explainStatus(const trace::Event& e, Explanation& x) {
    std::string_view text = e.text;
    const bool ok = text.starts_with("+OK");
    x.heading = ok ? T(x, "Reply +OK", "应答 +OK") : T(x, "Reply -ERR", "应答 -ERR");
    text.remove_prefix(ok ? 3 : 4);
    text = skipSpaces(text);
    x.facts.push_back({T(x, "status", "状态"), ok ? T(x, "+OK: the command succeeded", "+OK：命令成功") : T(x, "-ERR: the command failed", "-ERR：命令失败")});
    std::string_view code;
    if (text.starts_with('[')) {
        if (auto close = text.find(']'); close != std::string_view::npos) {
            code = text.substr(1, close - 1);
            text = skipSpaces(text.substr(close + 1));
            x.facts.push_back({"[" + std::string(code) + "]", explainResponseCode(code, x.lang)});
        }
    }
    const pop3::ReplyInfo* best = nullptr;
    int bestScore = -1;
    for (const pop3::ReplyInfo& r : pop3::pop3Replies()) {
        if (r.ok != ok || r.respCode != code || r.id == pop3::ReplyId::AuthContinue) continue;
        const int s = templateScore(r.text, text);
        if (s > bestScore) best = &r, bestScore = s;
    }
    if (best && bestScore >= 0) {
        x.facts.push_back({T(x, "this reply", "这条应答"), std::string(best->explain.in(x.lang))});
        x.facts.push_back({T(x, "defined in", "定义于"), std::string(best->rfc)});
    }
    x.notes.push_back(T(x, "POP3 has two status indicators only, +OK and -ERR (RFC 1939 3); the text after them is for "
                      "people. SMTP's three-digit codes have no POP3 counterpart.", "POP3 只有两种状态指示：+OK 和 -ERR（RFC 1939 3）；后面的文字是给人看的。SMTP 的三位数应答码在 POP3 中没有对应物。"));
}

}  // namespace

void explainPop3Line(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    if (e.direction == trace::Direction::ClientToServer) {
        explainCommand(trace, e, x);
        return;
    }
    if (e.text == ".") {
        x.heading = T(x, "End of the multi-line answer", "多行应答结束");
        x.notes.push_back(T(x, "A line holding a single \".\" ends a multi-line answer (RFC 1939 3).", "只含一个“.”的行结束多行应答（RFC 1939 3）。"));
        return;
    }
    if (e.role == trace::LineRole::Data) {
        x.heading = T(x, "Multi-line answer (content)", "多行应答（内容）");
        if (e.text.starts_with("..")) {
            x.facts.push_back({T(x, "on the wire", "线路上"), e.text});
            x.facts.push_back({T(x, "the client keeps", "客户端保留"), e.text.substr(1)});
            x.notes.push_back(T(x, "Byte-stuffing (RFC 1939 3): a line of the answer that starts with \".\" gets one more "
                              "\".\", so it cannot be taken for the end; the client removes it.", "字节填充（RFC 1939 3）：应答中以“.”开头的行前面再加一个“.”，以免被当成结束；客户端会把它去掉。"));
        } else {
            x.notes.push_back(T(x, "A line of the multi-line answer (a message, a listing): no status indicator of its own.", "多行应答中的一行（邮件或列表的内容）：它自己没有状态指示。"));
        }
        return;
    }
    if (e.text.starts_with("+OK") || e.text.starts_with("-ERR")) {
        explainStatus(e, x);
        return;
    }
    if (e.text.starts_with("+ ") || e.text == "+") {
        const pop3::ReplyInfo& info = pop3::replyInfo(pop3::ReplyId::AuthContinue);
        x.heading = T(x, "SASL continuation", "SASL 继续");
        x.facts.push_back({T(x, "this reply", "这条应答"), std::string(info.explain.in(x.lang))});
        x.facts.push_back({T(x, "defined in", "定义于"), std::string(info.rfc)});
        return;
    }
    x.heading = T(x, "Reply", "应答");
    x.notes.push_back(T(x, "Not a well-formed POP3 status line: it starts with neither +OK nor -ERR.", "不是格式正确的 POP3 状态行：它既不以 +OK 开头，也不以 -ERR 开头。"));
}

}  // namespace mailsim::gui
