// The inspector's explanation of an IMAP line, from the engine's IMAP command table (imap/ImapStates.hpp) and
// response catalogue (imap/ImapReplies.hpp). See Explain.hpp for the contract.
//
// IMAP lines (RFC 3501 2.2): a client command is `tag SP command [args]`; the server answers with untagged data
// (`* ...`), continuation requests (`+ ...`) and finally the tagged completion (`tag OK|NO|BAD [code] text`).
#include "Explain.hpp"

#include "imap/ImapReplies.hpp"
#include "imap/ImapStates.hpp"

#include <cctype>

namespace mailsim::gui {
namespace {
// The text in the explanation's language.
inline std::string T(const Explanation& x, std::string_view en, std::string_view zh) { return i18n::pick(x.lang, en, zh); }
}  // namespace
namespace {

std::string_view nextWord(std::string_view& s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    std::size_t n = s.find(' ');
    std::string_view w = s.substr(0, n);
    s = n == std::string_view::npos ? std::string_view{} : s.substr(n + 1);
    return w;
}

// Reads a status word (OK/NO/BAD/BYE/PREAUTH) and an optional [response code] from `rest`.
void explainStatus(std::string_view word, std::string_view rest, bool tagged, Explanation& x) {
    if (const imap::ResponseMeaning* m = imap::findResponseMeaning(word))  // the engine's catalogue (ImapReplies)
        x.facts.push_back({T(x, "status", "状态"), std::string(word) + ": " + std::string(m->meaning.in(x.lang))});
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.starts_with("[")) {
        auto close = rest.find(']');
        std::string code(rest.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
        x.facts.push_back({T(x, "response code", "响应码"), code + " (RFC 3501 7.1)"});
    }
    x.notes.push_back(tagged ? T(x, "A tagged line completes the command that carried the same tag.", "带标签的行结束带同一标签的那条命令。")
                             : T(x, "An untagged line (\"*\") is data or status the client did not have to ask for.", "无标签的行（“*”）是客户端不必专门请求的数据或状态。"));
    // The catalogue's explanation of the first entry whose condition and text this line matches best.
    const imap::ReplyInfo* best = nullptr;
    int bestScore = -1;
    for (const imap::ReplyInfo& r : imap::imapReplies()) {
        if (r.tagged != tagged || imap::toString(r.condition) != word) continue;
        int score = templateScore(r.text, rest);
        if (score > bestScore) bestScore = score, best = &r;
    }
    if (best && bestScore > 0) {
        x.facts.push_back({T(x, "this reply", "这条应答"), std::string(best->explain.in(x.lang))});
        x.facts.push_back({T(x, "defined in", "定义于"), std::string(best->rfc)});
    }
}

void explainClientLine(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    const trace::Event* prev = previousLine(trace, e);
    if (prev && prev->direction == trace::Direction::ServerToClient && prev->text.starts_with("+")) {
        x.heading = e.text == "DONE" ? T(x, "DONE (ends IDLE)", "DONE（结束 IDLE）") : T(x, "Continuation data", "继续发送的数据");
        x.notes.push_back(e.text == "DONE" ? T(x, "DONE ends IDLE; the server then completes the IDLE command (RFC 2177).", "DONE 结束 IDLE；随后服务器完成 IDLE 命令（RFC 2177）。")
                                           : T(x, "Sent after the server's \"+\": a literal's bytes or a SASL response.", "在服务器的“+”之后发送：文字量的字节或 SASL 响应。"));
        if (e.text != "DONE") addDecoded(x, T(x, "if base64", "若为 base64"), e.text);
        return;
    }
    std::string_view rest = e.text;
    std::string_view tag = nextWord(rest);
    std::string_view verb = nextWord(rest);
    if (verb == "UID" || verb == "uid") verb = nextWord(rest);
    const imap::ImapCommandInfo* info = verb.empty() ? nullptr : imap::findImapCommand(verb);
    x.facts.push_back({T(x, "tag", "标签"), std::string(tag)});
    if (!info) {
        x.heading = T(x, "Command", "命令");
        x.notes.push_back(T(x, "Not a command this IMAP server knows: it answers BAD.", "不是这台 IMAP 服务器认识的命令：它应答 BAD。"));
        return;
    }
    x.heading = T(x, "Command ", "命令 ") + std::string(info->verb);
    x.facts.push_back({T(x, "syntax", "语法"), std::string(info->syntax)});
    x.facts.push_back({T(x, "defined in", "定义于"), std::string(info->rfc)});
    x.facts.push_back({T(x, "meaning", "含义"), std::string(info->explain.in(x.lang))});
    if (rest.find("(QRESYNC") != std::string_view::npos || rest.find("(CHANGEDSINCE") != std::string_view::npos ||
        rest.find("(UNCHANGEDSINCE") != std::string_view::npos)
        x.notes.push_back(T(x, "It carries mod-sequences (RFC 7162): QRESYNC resynchronises inside SELECT, CHANGEDSINCE asks only for what changed, UNCHANGEDSINCE changes only what nobody else changed.", "它带有修改序号（RFC 7162）：QRESYNC 在 SELECT 中完成重新同步，CHANGEDSINCE 只问变化了的邮件，UNCHANGEDSINCE 只修改没被别人改过的邮件。"));
    if (e.text.find('{') != std::string::npos && e.text.back() == '}')
        x.notes.push_back(T(x, "It ends with a literal {n}: the next n octets follow as data (RFC 3501 4.3; "
                          "{n+} is LITERAL+, RFC 7888, sent without waiting for \"+\").", "它以文字量 {n} 结尾：接下来的 n 个字节作为数据发送（RFC 3501 4.3；{n+} 是 LITERAL+，RFC 7888，不必等“+”就发送）。"));
}

void explainServerLine(const trace::Event& e, Explanation& x) {
    std::string_view rest = e.text;
    if (rest.starts_with("+")) {
        x.heading = T(x, "Continuation request", "继续请求");
        x.notes.emplace_back(imap::findResponseMeaning("+")->meaning.in(x.lang));
        rest.remove_prefix(1);
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        if (!rest.empty() && rest.find(' ') == std::string_view::npos) addDecoded(x, T(x, "if base64", "若为 base64"), rest);
        return;
    }
    std::string_view tag = nextWord(rest);
    std::string_view word = nextWord(rest);
    bool tagged = tag != "*";
    if (!tagged && !word.empty() && std::isdigit(static_cast<unsigned char>(word.front()))) {
        std::string_view what = nextWord(rest);
        x.heading = T(x, "Untagged ", "无标签 ") + std::string(what);
        x.facts.push_back({T(x, "message", "邮件"), std::string(word)});
        if (const imap::ResponseMeaning* m = imap::findResponseMeaning(what))  // the engine's catalogue (ImapReplies)
            x.notes.emplace_back(m->meaning.in(x.lang));
        if (what == "FETCH" && rest.find("MODSEQ (") != std::string_view::npos)
            x.notes.push_back(T(x, "MODSEQ is the mod-sequence of the message's last change: a client that remembers the mailbox's HIGHESTMODSEQ later asks only for changes after it (CONDSTORE, RFC 7162 3.1.4).", "MODSEQ 是这封邮件最后一次修改的修改序号：记住邮箱 HIGHESTMODSEQ 的客户端，以后只问这之后的变化（CONDSTORE，RFC 7162 3.1.4）。"));
        return;
    }
    x.heading = (tagged ? T(x, "Tagged ", "带标签 ") : T(x, "Untagged ", "无标签 ")) + std::string(word);
    if (word == "OK" || word == "NO" || word == "BAD" || word == "BYE" || word == "PREAUTH") {
        explainStatus(word, rest, tagged, x);
        return;
    }
    if (word == "VANISHED")
        x.notes.push_back(rest.starts_with("(EARLIER)")
                              ? T(x, "These UIDs the client knew were expunged since the mod-sequence it gave: the resynchronising client drops them from its cache (QRESYNC, RFC 7162 3.2.5, 3.2.6).", "这些客户端知道的 UID 在它给出的修改序号之后被清除了：正在重新同步的客户端把它们从缓存中去掉（QRESYNC，RFC 7162 3.2.5、3.2.6）。")
                              : T(x, "These UIDs were just expunged; once QRESYNC is enabled this replaces the * n EXPUNGE lines (RFC 7162 3.2.10).", "这些 UID 刚刚被清除；启用 QRESYNC 后，它代替一行行的 * n EXPUNGE（RFC 7162 3.2.10）。"));
    else if (word == "ENABLED")
        x.notes.push_back(T(x, "The extensions this ENABLE turned on; from now on the server's responses follow them (RFC 5161 3.2).", "这条 ENABLE 启用的扩展；此后服务器的响应按它们的规则发送（RFC 5161 3.2）。"));
    x.notes.push_back(T(x, "Untagged data answering the command in progress (RFC 3501 7.2-7.4): ", "回答正在执行的命令的无标签数据（RFC 3501 7.2-7.4）：") + std::string(word) + ".");
}

}  // namespace

void explainImapLine(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    if (e.direction == trace::Direction::ServerToClient) explainServerLine(e, x);
    else explainClientLine(trace, e, x);
}

}  // namespace mailsim::gui
