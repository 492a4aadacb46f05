#include "Explain.hpp"

#include "sim/world/Api.hpp"
#include "ProtocolModel.hpp"
#include "i18n/Duration.hpp"
#include "imap/ImapReplies.hpp"
#include "imap/ImapStates.hpp"
#include "pop3/Pop3Replies.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpStates.hpp"
#include "trace/Render.hpp"
#include "util/DateTime.hpp"
#include "util/Idna.hpp"
#include "util/ProtocolTables.hpp"

#include <cctype>
#include <cstdio>
#include <vector>

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

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

bool isEnhanced(std::string_view w) {
    // c.s.d: class 2/4/5, subject 1-3 digits, detail 1-3 digits (RFC 3463 2).
    if (w.size() < 5 || (w[0] != '2' && w[0] != '4' && w[0] != '5') || w[1] != '.') return false;
    std::size_t dots = 0, digits = 0;
    for (std::size_t i = 2; i < w.size(); ++i) {
        if (w[i] == '.') {
            if (digits == 0 || digits > 3) return false;
            ++dots;
            digits = 0;
        } else if (std::isdigit(static_cast<unsigned char>(w[i]))) {
            ++digits;
        } else {
            return false;
        }
    }
    return dots == 1 && digits >= 1 && digits <= 3;
}

}  // namespace

// How well the catalogue template (with {placeholders}) matches `text` (one implementation, shared with the
// predict model: util/ProtocolTables.hpp).
int templateScore(std::string_view tmpl, std::string_view text) { return util::templateMatchScore(tmpl, text); }

// The previous line of the same session before event `id` (bounded look-back), or nullptr.
const trace::Event* previousLine(const trace::Trace& trace, const trace::Event& e) {
    for (trace::EventId id = e.id, steps = 0; id > 0 && steps < 256; ++steps) {
        --id;
        const trace::Event& p = trace.at(id);
        if (p.session == e.session && p.kind == trace::EventKind::Line) return &p;
    }
    return nullptr;
}

void addDecoded(Explanation& x, std::string_view label, std::string_view b64) {
    std::string decoded;
    if (!decodeBase64(b64, decoded)) return;
    x.facts.push_back({std::string(label), escapeBytes(decoded)});
    x.notes.push_back(T(x, "SASL data travels base64-encoded; it is an encoding, not encryption: anyone who sees the line "
                      "can decode it (PLAIN is \\0user\\0password). Use it only inside TLS.", "SASL 数据以 base64 编码传送；这只是编码，不是加密：看到这一行的任何人都能解码（PLAIN 就是 \\0用户名\\0口令）。只应在 TLS 内使用。"));
}

namespace {

// The domain an EHLO/HELO names, or of the path in MAIL FROM:<...> / RCPT TO:<...>: an internationalised one gets
// its U-label and A-label forms side by side (RFC 5890 2.3.2; IDNA through libidn2, util/Idna.hpp).
void addDomainForms(std::string_view line, std::string_view verb, Explanation& x) {
    std::string_view domain;
    if (iequals(verb, "EHLO") || iequals(verb, "HELO")) {
        domain = line.substr(std::min(line.size(), verb.size()));
        while (!domain.empty() && domain.front() == ' ') domain.remove_prefix(1);
        domain = domain.substr(0, domain.find(' '));
    } else if (iequals(verb, "MAIL") || iequals(verb, "RCPT")) {
        auto open = line.find('<'), close = line.find('>', open == std::string_view::npos ? 0 : open);
        if (open == std::string_view::npos || close == std::string_view::npos) return;
        domain = util::domainOfAddress(line.substr(open + 1, close - open - 1));
    }
    auto forms = domain.empty() ? std::nullopt : util::domainForms(domain);
    if (!forms || !forms->international) return;
    x.facts.push_back({T(x, "domain (IDNA)", "域名（IDNA）"), forms->ulabel + "  =  " + forms->alabel});
    x.notes.push_back(T(x, "An internationalised domain name: people read the U-label form, DNS and ASCII-only hosts "
                           "use the A-label (xn--, Punycode) form of the same name (RFC 5890, 3492). With SMTPUTF8 the "
                           "U-label may travel as it is (RFC 6531 3.2).",
                        "国际化域名：人读的是 U-label 形式，DNS 和只认 ASCII 的主机用同一名字的 A-label 形式（xn--，"
                        "Punycode）（RFC 5890、3492）。使用 SMTPUTF8 时 U-label 可以原样传送（RFC 6531 3.2）。"));
}

void explainCommand(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    const trace::Event* prev = previousLine(trace, e);
    if (prev && prev->direction == trace::Direction::ServerToClient && prev->text.starts_with("334")) {
        x.heading = T(x, "SASL response", "SASL 响应");
        addDecoded(x, T(x, "decoded", "解码后"), e.text);
        return;
    }
    std::string_view verb = firstWord(e.text);
    const smtp::SmtpCommandInfo* info = verb.empty() ? nullptr : smtp::findSmtpCommand(verb);
    if (!info) {
        x.heading = T(x, "Command", "命令");
        x.notes.push_back(verb.empty() ? T(x, "An empty or non-alphabetic command line.", "一个空的或不以字母开头的命令行。")
                                       : T(x, "Not a command this SMTP server knows: it answers 500.", "不是这台 SMTP 服务器认识的命令：它应答 500。"));
    } else {
        x.heading = T(x, "Command ", "命令 ") + std::string(info->verb);
        x.facts.push_back({T(x, "syntax", "语法"), std::string(info->syntax)});
        x.facts.push_back({T(x, "defined in", "定义于"), std::string(info->rfc)});
        x.facts.push_back({T(x, "meaning", "含义"), std::string(info->explain.in(x.lang))});
        if (info->removed) x.notes.push_back(T(x, "Removed by RFC 5321 (Appendix F): servers answer 502.", "已被 RFC 5321（附录 F）删除：服务器应答 502。"));
        else if (info->rfc821) x.notes.push_back(T(x, "One of the original RFC 821 commands.", "RFC 821 最初的命令之一。"));
        else x.notes.push_back(T(x, "Not in RFC 821: added later.", "RFC 821 中没有：是后来加入的。"));
    }
    addDomainForms(e.text, verb, x);
    if (iequals(verb, "AUTH")) {  // RFC 4954: AUTH mechanism [initial-response], the response in base64
        std::string_view rest = std::string_view(e.text).substr(4);
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        auto sp = rest.find(' ');
        x.facts.push_back({T(x, "mechanism", "机制"), std::string(rest.substr(0, sp))});
        if (sp != std::string_view::npos) addDecoded(x, T(x, "initial response", "初始响应"), rest.substr(sp + 1));
        x.heading = T(x, "Command AUTH", "命令 AUTH");
    }
}

void explainReply(const trace::Event& e, Explanation& x) {
    std::string_view text = e.text;
    int code = 0;
    if (text.size() >= 3 && std::isdigit(static_cast<unsigned char>(text[0])) &&
        std::isdigit(static_cast<unsigned char>(text[1])) && std::isdigit(static_cast<unsigned char>(text[2])))
        code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
    x.heading = code ? T(x, "Reply ", "应答 ") + std::string(text.substr(0, 3)) : T(x, "Reply", "应答");
    if (!code) {
        x.notes.push_back(T(x, "Not a well-formed reply: it does not start with a three-digit code.", "不是格式正确的应答：它不以三位数字开头。"));
        return;
    }
    const bool continued = text.size() > 3 && text[3] == '-';
    std::string_view rest = text.size() > 4 ? text.substr(4) : std::string_view{};
    static constexpr i18n::LocalView kFirst[] = {{"", ""},
                                                 {"1yz positive preliminary", "1yz 肯定初步应答"},
                                                 {"2yz done (positive completion)", "2yz 已完成（肯定完成应答）"},
                                                 {"3yz go on (positive intermediate)", "3yz 请继续（肯定中间应答）"},
                                                 {"4yz failed for now (transient)", "4yz 暂时失败（暂时性错误）"},
                                                 {"5yz failed for good (permanent)", "5yz 永久失败（永久性错误）"}};
    if (code / 100 >= 1 && code / 100 <= 5)
        x.facts.push_back({T(x, "first digit", "第一位数字"), std::string(kFirst[code / 100].in(x.lang))});
    if (const smtp::CodeInfo* ci = smtp::explainCode(code)) {
        x.facts.push_back({T(x, "RFC 5321 meaning", "RFC 5321 中的含义"), std::string(ci->meaning.in(x.lang))});
        if (ci->rfc821) x.notes.push_back(T(x, "One of the 21 reply codes of RFC 821.", "RFC 821 的 21 个应答码之一。"));
    }
    std::string_view enhanced;
    if (auto sp = rest.find(' '); isEnhanced(rest.substr(0, sp))) {
        enhanced = rest.substr(0, sp);
        rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    }
    const smtp::ReplyInfo* best = nullptr;
    int bestScore = -1;
    for (const smtp::ReplyInfo& r : smtp::smtpReplies()) {
        if (r.code != code) continue;
        int s = templateScore(r.text, rest);
        if (s > bestScore) best = &r, bestScore = s;
    }
    if (best && bestScore >= 0) {
        x.facts.push_back({T(x, "this reply", "这条应答"), std::string(best->explain.in(x.lang))});
        x.facts.push_back({T(x, "defined in", "定义于"), std::string(best->rfc)});
        if (enhanced.empty() && !best->enhanced.empty())
            x.notes.push_back(T(x, "The catalogue's enhanced status code is ", "应答目录中的增强状态码是 ") +
                              std::string(best->enhanced) +
                              T(x, "; it is sent only after EHLO (RFC 2034), so this HELO session does not see it.",
                                "；它只在 EHLO 之后才发送（RFC 2034），所以这个用 HELO 的会话看不到它。"));
    }
    if (!enhanced.empty())
        x.facts.push_back({T(x, "enhanced code ", "增强状态码 ") + std::string(enhanced), explainEnhancedCode(enhanced, x.lang)});
    if (continued) x.notes.push_back(T(x, "A '-' after the code: more lines of this reply follow (RFC 5321 4.2.1).", "应答码后面是“-”：这条应答后面还有更多行（RFC 5321 4.2.1）。"));
    if (code == 334) addDecoded(x, T(x, "challenge decoded", "质询解码后"), rest);
}

}  // namespace

bool decodeBase64(std::string_view text, std::string& out) {
    out.clear();
    unsigned buffer = 0;
    int bits = 0, pad = 0, count = 0;
    for (char c : text) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+') v = 62;
        else if (c == '/') v = 63;
        else if (c == '=') { ++pad; ++count; continue; }
        else return false;
        if (pad) return false;  // data after padding
        ++count;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return count > 0 && count % 4 == 0 && pad <= 2;
}

std::string escapeBytes(std::string_view bytes) {
    std::string out;
    for (unsigned char c : bytes) {
        switch (c) {
        case 0: out += "\\0"; break;
        case '\r': out += "\\r"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out;
}

std::string explainEnhancedCode(std::string_view code, i18n::Lang lang) {
    if (!isEnhanced(code)) return {};
    std::string out = code[0] == '2'   ? i18n::pick(lang, "success", "成功")
                      : code[0] == '4' ? i18n::pick(lang, "persistent transient failure", "持续的暂时性失败")
                                       : i18n::pick(lang, "permanent failure", "永久性失败");
    static constexpr i18n::LocalView kSubject[] = {{"other or undefined status", "其他或未定义的状态"},
                                                   {"addressing status", "地址状态"},
                                                   {"mailbox status", "邮箱状态"},
                                                   {"mail system status", "邮件系统状态"},
                                                   {"network and routing status", "网络和路由状态"},
                                                   {"mail delivery protocol status", "邮件投递协议状态"},
                                                   {"message content or media status", "邮件内容或媒体状态"},
                                                   {"security or policy status", "安全或策略状态"}};
    std::size_t dot = code.find('.', 2);
    std::string_view subject = code.substr(2, dot - 2);
    if (subject.size() == 1 && subject[0] >= '0' && subject[0] <= '7') {
        out += lang == i18n::Lang::Zh ? "，" : ", ";
        out += kSubject[subject[0] - '0'].in(lang);
    }
    out += " (RFC 3463)";
    return out;
}

void explainSmtpLine(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    if (e.role == trace::LineRole::Data) {
        x.heading = T(x, "Message content (DATA)", "邮件内容（DATA）");
        x.notes.push_back(T(x, "Content, not a command: the server does not answer it. Only a line holding a single "
                          "\".\" ends the content (RFC 5321 4.1.1.4).", "这是内容，不是命令：服务器不应答它。只有只含一个“.”的行才结束内容（RFC 5321 4.1.1.4）。"));
        if (e.text == ".") {
            x.heading = T(x, "End of data", "数据结束");
            x.notes = {T(x, "CR LF . CR LF: the end-of-data marker. The server now stores the message and answers "
                       "250 only once it is safely kept.", "CR LF . CR LF：数据结束标记。服务器现在保存邮件，只有安全保存之后才应答 250。")};
        } else if (e.text.starts_with('.')) {
            x.facts.push_back({T(x, "on the wire", "线路上"), e.text});
            x.facts.push_back({T(x, "stored as", "保存为"), e.text.substr(1)});
            x.notes.push_back(T(x, "Dot-stuffing (RFC 5321 4.5.2): the client doubled the leading dot so this line "
                              "cannot be mistaken for the end of the message; the server removes one dot.", "点填充（RFC 5321 4.5.2）：客户端把行首的点写成两个，以免这一行被误认为邮件结束；服务器会去掉一个点。"));
        }
    } else if (e.direction == trace::Direction::ServerToClient) {
        explainReply(e, x);
    } else {
        explainCommand(trace, e, x);
    }
}

namespace {

// Relaying: DNS, the queue, hops and faults (explainEvent's cases for the events of hosts rather than sessions).
// A connection that could not be made (the payload's typed `failure`, schema 1.2): the host it concerns and what that
// means for the mail.
void explainConnectFailure(trace::ConnectFailure failure, const std::string& host, Explanation& x) {
    using trace::ConnectFailure;
    if (failure == ConnectFailure::None) return;
    if (!host.empty()) x.facts.push_back({T(x, "unreachable", "无法到达"), host});
    if (failure == ConnectFailure::LinkDown)
        x.notes.push_back(T(x, "The host itself may still run, but its network link is down, so nothing reaches it; to "
                            "the sender this looks like a host that is down.",
                            "主机本身也许仍在运行，但它的网络链路中断了，什么都到不了它；在发送方看来，这和主机宕机一样。"));
    else if (failure == ConnectFailure::NoSmtpService)
        x.notes.push_back(T(x, "The host is there, but no SMTP server listens on it: the connection is refused at once.",
                            "主机存在，但上面没有 SMTP 服务器在监听：连接立即被拒绝。"));
    else
        x.notes.push_back(T(x, "Nothing answered the connection attempt: the sender gives up after its connect timeout, "
                            "tries the next MX, or keeps the mail queued for a retry (RFC 5321 4.5.4.1, 5.1).",
                            "连接请求没有得到应答：发送方在连接超时后放弃，尝试下一个 MX，或把邮件留在队列中稍后重试"
                            "（RFC 5321 4.5.4.1、5.1）。"));
}

void explainRelay(const trace::Event& e, Explanation& x) {
    using trace::EventKind;
    switch (e.kind) {
    case EventKind::DnsQuery:
        x.heading = T(x, "DNS query", "DNS 查询");
        if (const auto* q = e.as<trace::DnsQuery>()) x.facts.push_back({T(x, "resolver", "查询方"), q->host});
        x.facts.push_back({T(x, "question", "问题"), trace::describe(e, x.lang)});
        x.notes.push_back(T(x, "A sending server looks up the MX records of the recipient's domain (RFC 5321 5.1), "
                          "then the address of the chosen host.", "发送方服务器先查询收件人所在域的 MX 记录（RFC 5321 5.1），再查询选中主机的地址。"));
        break;
    case EventKind::DnsAnswer:
        x.heading = T(x, "DNS answer", "DNS 应答");
        x.facts.push_back({T(x, "answer", "回答"), trace::describe(e, x.lang)});
        x.notes.push_back(T(x, "MX records are tried in order of preference, lowest first; without MX the domain's own "
                          "A record is used (RFC 5321 5.1).", "MX 记录按优先级依次尝试，数值小的先试；没有 MX 时使用该域自己的 A 记录（RFC 5321 5.1）。"));
        break;
    case EventKind::QueueAction:
        x.heading = T(x, "Mail queue", "邮件队列");
        if (const auto* q = e.as<trace::QueueAction>()) {
            x.facts.push_back({T(x, "host", "主机"), q->host});
            if (q->nextRetry)  // a time for people, from this event: "in 15 min" / "15 分钟后" (the ISO time beside it)
                x.facts.push_back({T(x, "next retry", "下次重试"),
                                   i18n::formatAfter(*q->nextRetry - e.time, x.lang) + "  (" + util::isoTime(*q->nextRetry) + ")"});
        }
        x.facts.push_back({T(x, "action", "动作"), trace::describe(e, x.lang)});
        if (const auto* q = e.as<trace::QueueAction>()) explainConnectFailure(q->failure, q->failureHost, x);
        x.notes.push_back(T(x, "A 4xx reply or no connection keeps the mail queued for a later retry; a 5xx reply or a "
                          "queue lifetime exceeded returns it to the sender as a bounce (RFC 5321 4.5.4.1, 6.1).", "4xx 应答或连接不上时，邮件留在队列中等待以后重试；5xx 应答或超过队列期限时，邮件作为退信退回发件人（RFC 5321 4.5.4.1、6.1）。"));
        break;
    case EventKind::RelayHop:
        x.heading = T(x, "Relay hop", "中继的一跳");
        x.facts.push_back({T(x, "hop", "这一跳"), trace::describe(e, x.lang)});
        if (const auto* h = e.as<trace::RelayHop>()) explainConnectFailure(h->failure, h->failureHost, x);
        x.notes.push_back(T(x, "Each hop is a direct TCP connection between two mail servers (RFC 5321 2.1).", "每一跳都是两台邮件服务器之间直接的 TCP 连接（RFC 5321 2.1）。"));
        break;
    case EventKind::FaultInjected:
        x.heading = T(x, "Fault", "故障");
        x.notes.push_back(trace::describe(e, x.lang));
        break;
    default: break;
    }
}

void explainTls(const trace::Event& e, Explanation& x) {
    using trace::EventKind;
    switch (e.kind) {
    case EventKind::TlsHandshake:
        x.heading = e.ok ? T(x, "TLS handshake", "TLS 握手") : T(x, "TLS handshake failed", "TLS 握手失败");
        if (const auto* t = e.as<trace::TlsHandshake>()) {
            x.facts.push_back({T(x, "side", "一方"), std::string(trace::label(t->side, x.lang))});
            x.facts.push_back({e.ok ? T(x, "negotiated", "协商结果") : T(x, "error", "错误"),
                               e.ok ? t->version + " " + t->cipher : t->error});
            if (!t->peerSubject.empty()) {
                x.facts.push_back({T(x, "certificate", "证书"), t->peerSubject});
                x.facts.push_back({T(x, "issued by", "颁发者"), t->peerIssuer});
                if (t->side == trace::TlsSide::Client)
                    x.facts.push_back({T(x, "verified", "已验证"), t->verified ? T(x, "yes", "是") : T(x, "NO", "否")});
            }
        }
        x.notes.push_back(T(x, "From here on every line travels inside TLS records: an eavesdropper sees only record "
                          "headers and lengths (RFC 8446 5.1), not the commands, passwords or mail.", "从这里开始，每一行都在 TLS 记录中传送：窃听者只能看到记录的首部和长度（RFC 8446 5.1），看不到命令、口令和邮件。"));
        break;
    case EventKind::TlsRecords:
        x.heading = T(x, "TLS records on the wire", "线路上的 TLS 记录");
        x.facts.push_back({T(x, "records", "记录"), e.text});
        x.notes.push_back(T(x, "This is what a packet capture shows of a protected session: encrypted records.", "这就是抓包时看到的受保护会话：加密的记录。"));
        break;
    default: break;
    }
}

}  // namespace

Explanation explainEvent(const trace::Trace& trace, const trace::Event& e, i18n::Lang lang) {
    Explanation x;
    x.lang = lang;
    using trace::EventKind;
    switch (e.kind) {
    case EventKind::Line: {
        // The session's protocol decides how a line reads (ProtocolModel.hpp's registry).
        const trace::SessionInfo* session = trace.session(e.session);
        const ProtocolSupport* protocol = session ? findProtocol(session->protocol) : nullptr;
        if (protocol) {
            protocol->explainLine(trace, e, x);
        } else {
            x.heading = e.direction == trace::Direction::ServerToClient ? T(x, "Server line", "服务器发出的行") : T(x, "Client line", "客户端发出的行");
            x.notes.push_back(T(x, "No command table for this protocol yet.", "这个协议还没有命令表。"));
        }
        break;
    }
    case EventKind::StateChanged:
        x.heading = T(x, "State change", "状态变化");
        x.facts.push_back({T(x, "machine", "状态机"), e.machine});
        x.facts.push_back({T(x, "from", "从"), e.fromState});
        x.facts.push_back({T(x, "to", "到"), e.toState});
        x.facts.push_back({T(x, "caused by", "原因"), e.text});
        break;
    case EventKind::StoreChanged:
        x.heading = T(x, "Mail store change", "邮件存储变化");
        x.facts.push_back({T(x, "change", "变化"), trace::describe(e, x.lang)});
        if (const auto* c = e.as<trace::StoreChange>(); c && !c->fileId.empty())
            x.facts.push_back({T(x, "store id", "存储标识"), c->fileId});
        x.notes.push_back(T(x, "See the Mailboxes panel for the folder as it is at this step.",
                            "在“邮箱”面板中可以看到这一步时文件夹的样子。"));
        break;
    case EventKind::ConnectionOpened:
        x.heading = T(x, "Connection opened", "连接已建立");
        x.facts.push_back({T(x, "endpoints", "两端"), trace::describe(e, x.lang)});
        break;
    case EventKind::ConnectionClosed:
        x.heading = T(x, "Connection closed", "连接已关闭");
        x.facts.push_back({T(x, "how", "方式"), trace::describe(e, x.lang)});
        if (const auto* c = e.as<trace::Connection>()) explainConnectFailure(c->failure, c->failureHost, x);
        break;
    case EventKind::Handover:
        x.heading = T(x, "Gateway", "网关");
        x.notes.push_back(trace::describe(e, x.lang));
        break;
    case EventKind::Note:
        if (e.machine == sim::kCheckpointMachine) {
            x.heading = T(x, "Checkpoint", "检查点");
            x.facts.push_back({T(x, "name", "名称"), e.text});
            x.notes.push_back(T(x, "A named point of the scenario ('- checkpoint: ", "场景中一个有名字的位置（“- checkpoint: ") +
                              e.text + T(x, "'); lessons link here with [text](checkpoint:", "”）；课文用 [文字](checkpoint:") +
                              e.text + T(x, ").", ") 链接到这里。"));
        } else {
            x.heading = T(x, "Narration", "讲解");
            x.notes.push_back(trace::describe(e, x.lang));  // the scenario's or the engine's note, in the UI's language
        }
        break;
    case EventKind::Expectation:
        x.heading = e.ok ? T(x, "Check held", "检查通过") : T(x, "Check failed", "检查未通过");
        x.facts.push_back({T(x, "expected", "预期"), trace::expectedText(e, x.lang)});
        x.facts.push_back({T(x, "got", "实际"), trace::gotText(e, x.lang)});
        break;
    case EventKind::Error:
        x.heading = T(x, "Error", "错误");
        x.notes.push_back(trace::describe(e, x.lang));  // the errors catalogue's sentence in the UI's language
        if (const auto* r = e.as<trace::ErrorReport>(); r && !r->detail.empty())
            x.facts.push_back({T(x, "as reported", "原文"), r->detail});  // the lower layer's words, untranslated
        break;
    case EventKind::DnsQuery:
    case EventKind::DnsAnswer:
    case EventKind::QueueAction:
    case EventKind::RelayHop:
    case EventKind::FaultInjected: explainRelay(e, x); break;
    case EventKind::TlsHandshake:
    case EventKind::TlsRecords: explainTls(e, x); break;
    }
    return x;
}

}  // namespace mailsim::gui

namespace mailsim::gui {
namespace {

bool sameStream(const trace::Event& a, const trace::Event& b) {
    return a.session == b.session && a.direction == b.direction;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

}  // namespace

WireView wireViewOf(const trace::Trace& trace, const trace::Event& line) {
    WireView w;
    if (line.kind != trace::EventKind::Line) return w;
    w.tls = line.tls;
    if (line.direction == trace::Direction::ClientToServer) {
        const trace::Event* prev = previousLine(trace, line);
        w.credentials = startsWithNoCase(line.text, "AUTH ") || startsWithNoCase(line.text, "AUTHENTICATE ") ||
                        (prev && prev->direction == trace::Direction::ServerToClient &&
                         (prev->text.starts_with("334") || prev->text.starts_with("+ ") || prev->text == "+"));
    }
    if (!w.tls) return w;
    // Which records carried it depends on who recorded them: a sender records its records after the lines it wrote
    // (server replies), a receiver before the lines it decrypted from them (the server recording what clients send,
    // in scenarios and in `mailsim serve`). So: the same session's and direction's records just before and just after
    // the line are the candidates, the lines between them are the group one of them carried; the one whose
    // application data is as long as the group's bytes wins (TLS 1.3 adds 17 octets per record, TLS 1.2 GCM 24,
    // ChaCha20 16); without an exact match, the direction decides (client to server: before, else after).
    constexpr std::size_t kLookAround = 512;  // events, so a huge trace costs a bounded scan
    const auto& events = trace.events();
    const trace::Event* before = nullptr;
    const trace::Event* after = nullptr;
    std::size_t group = 0, single = line.raw.size();
    for (std::size_t i = line.id, steps = 0; i > 0 && steps < kLookAround; --i, ++steps) {
        const trace::Event& e = events[i - 1];
        if (!sameStream(e, line)) continue;
        if (e.kind == trace::EventKind::TlsRecords) {
            before = &e;
            break;
        }
        if (e.kind == trace::EventKind::Line) group += e.raw.size();
    }
    group += line.raw.size();
    for (std::size_t i = line.id + 1, steps = 0; i < events.size() && steps < kLookAround; ++i, ++steps) {
        const trace::Event& e = events[i];
        if (!sameStream(e, line)) continue;
        if (e.kind == trace::EventKind::TlsRecords) {
            after = &e;
            break;
        }
        if (e.kind == trace::EventKind::Line) group += e.raw.size();
    }
    auto carries = [&](const trace::Event* r) {
        if (!r) return false;
        std::vector<std::size_t> lengths;  // application data records' payload lengths
        for (std::size_t at = 0; at + 5 <= r->raw.size();) {
            const auto type = static_cast<unsigned char>(r->raw[at]);
            const std::size_t len = (static_cast<unsigned char>(r->raw[at + 3]) << 8) | static_cast<unsigned char>(r->raw[at + 4]);
            if (type == 0x17) lengths.push_back(len);
            at += 5 + len;
        }
        for (std::size_t overhead : {17u, 24u, 16u}) {
            std::size_t total = 0;
            for (std::size_t len : lengths) {
                if (len >= overhead && len - overhead == single) return true;
                total += len >= overhead ? len - overhead : 0;
            }
            if (!lengths.empty() && total == group) return true;
        }
        return false;
    };
    const bool receiverFirst = line.direction == trace::Direction::ClientToServer;
    const trace::Event* preferred = receiverFirst ? before : after;
    const trace::Event* other = receiverFirst ? after : before;
    w.records = carries(preferred) ? preferred : carries(other) ? other : preferred ? preferred : other;
    return w;
}

}  // namespace mailsim::gui

namespace mailsim::gui {

std::string explanationGlyphText(const trace::Trace& trace, std::size_t maxEvents) {
    std::string out;
    for (const auto& r : smtp::smtpReplies()) out += r.explain.zh;
    for (const auto& c : smtp::smtpCodes()) out += c.meaning.zh;
    for (const auto& c : smtp::smtpCommands()) out += c.explain.zh;
    for (const auto& r : pop3::pop3Replies()) out += r.explain.zh;
    for (const auto& c : pop3::pop3Commands()) out += c.explain.zh;
    for (const auto& r : imap::imapReplies()) out += r.explain.zh;
    for (const auto& c : imap::imapCommands()) out += c.explain.zh;
    for (auto phase : {smtp::SmtpPhase::SetUp, smtp::SmtpPhase::Transfer, smtp::SmtpPhase::Release})
        out += smtp::phaseName(phase, i18n::Lang::Zh);
    const auto& events = trace.events();
    for (std::size_t i = 0; i < events.size() && i < maxEvents; ++i) {
        const Explanation x = explainEvent(trace, events[i], i18n::Lang::Zh);
        out += x.heading;
        for (const Fact& f : x.facts) out += f.label + f.value;  // values too: "已完成（肯定完成应答）"
        for (const std::string& n : x.notes) out += n;
    }
    return out;
}

}  // namespace mailsim::gui
