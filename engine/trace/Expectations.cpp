#include "trace/Expectations.hpp"

#include "trace/Errors.hpp"
#include "trace/Notes.hpp"

#include <fmt/format.h>

namespace mailsim::trace {
namespace {

using i18n::Lang;

std::string_view outcomeText(Outcome o, Lang lang) {
    static constexpr std::string_view kZh[] = {"已接受", "被拒绝", "推迟"};
    return lang == Lang::Zh ? kZh[static_cast<std::size_t>(o) % 3] : enumName(o);
}

// An imap-* action's count: "found 2" / "找到 2 封邮件". Keys the table lacks read "key N" in both languages.
std::string imapCount(std::string_view key, std::uint64_t n, Lang lang) {
    struct Row {
        std::string_view key;
        std::string_view zh;
    };
    static constexpr Row kRows[] = {
        {"listed", "列出 {} 封邮件"},    {"opened", "打开 {} 封邮件"},        {"found", "找到 {} 封邮件"},
        {"moved", "移动了 {} 封邮件"},   {"flagged", "{} 封邮件设置了标志"},  {"new", "{} 封新邮件"},
        {"vanished", "{} 封已消失"},     {"changed", "{} 封标志有变化"},      {"uploaded", "上传了 {} 项离线修改"},
    };
    if (lang == Lang::Zh)
        for (const Row& r : kRows)
            if (r.key == key) return fmt::format(fmt::runtime(r.zh), n);
    return fmt::format("{} {}", key, n);
}

// Why no reply came (a script line), or why the connection failed.
std::string reasonText(const ExpectationCheck& c, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (c.reason) {
    case ExpectReason::None: break;
    case ExpectReason::SentAsContent:
        return zh ? "没有应答：这一行是作为邮件内容发出的（354 之后，服务器要等到只含 \".\" 的一行才应答）"
                  : "no reply: the line was sent as message content (after 354 the server answers nothing until a line "
                    "holding only \".\")";
    case ExpectReason::StillReading:
        return zh ? "没有应答：服务器还在读取邮件内容（只含 \".\" 的一行才结束内容）"
                  : "no reply: the server is still reading the message content (a line holding only \".\" ends it)";
    case ExpectReason::Waiting:
        return zh ? "没有应答：服务器在等待更多输入" : "no reply: the server is waiting for more input";
    case ExpectReason::ServerClosed: return zh ? "服务器关闭了连接" : "the server closed the connection";
    case ExpectReason::ConnectFailed:
        return (zh ? "无法连接：" : "could not connect: ") + connectFailureText(c.failure, c.failureHost, c.detail, lang);
    case ExpectReason::TlsUnavailable: return zh ? "无法连接：TLS 不可用" : "could not connect: TLS is not available";
    case ExpectReason::TlsFailed: return (zh ? "TLS 握手失败：" : "the TLS handshake failed: ") + c.detail;
    }
    return c.reply;
}

// A client's problem after the count or the refusal: " (why)" / "（why）"; the typed report in `lang`, else the
// lower layer's words.
std::string problem(const ExpectationCheck& c, Lang lang) {
    const std::string why = !c.problem.empty() ? errorText(c.problem.front(), lang) : c.detail;
    if (why.empty()) return {};
    return lang == Lang::Zh ? "（" + why + "）" : " (" + why + ")";
}

}  // namespace

std::string expectedText(const ExpectationCheck& c, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (c.kind) {
    case ExpectKind::Reply: {
        std::string out = !c.status.empty() ? c.status
                          : c.code          ? std::to_string(c.code)
                          : c.klass         ? fmt::format("{}xx", c.klass)
                                            : std::string(zh ? "任意应答" : "any reply");
        if (!c.contains.empty())
            out += zh ? fmt::format("（应包含“{}”）", c.contains) : fmt::format(" containing \"{}\"", c.contains);
        return out;
    }
    case ExpectKind::Recipient: return fmt::format("{} {}", c.name, outcomeText(c.outcome, lang));
    case ExpectKind::Fetched: {
        const std::uint64_t n = c.count.value_or(0);
        return zh ? fmt::format("下载 {} 封邮件", n) : fmt::format("{} message{} fetched", n, n == 1 ? "" : "s");
    }
    case ExpectKind::ImapCount: return imapCount(c.name, c.count.value_or(0), lang);
    case ExpectKind::FolderAction: return std::string(outcomeText(c.flag ? Outcome::Accepted : Outcome::Refused, lang));
    case ExpectKind::Mailbox: {
        std::string out = !c.count ? fmt::format(fmt::runtime(zh ? "{} 的 {} 中有邮件" : "a message in {} {}"), c.name, c.folder)
                          : zh     ? fmt::format("{} 的 {} 中有 {} 封邮件", c.name, c.folder, *c.count)
                                   : fmt::format("{} message{} in {} {}", *c.count, *c.count == 1 ? "" : "s", c.name, c.folder);
        if (!c.contains.empty())
            out += zh ? fmt::format("（应包含“{}”）", c.contains) : fmt::format(" containing \"{}\"", c.contains);
        return out;
    }
    }
    return {};
}

std::string gotText(const ExpectationCheck& c, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (c.kind) {
    case ExpectKind::Reply: return reasonText(c, lang);
    case ExpectKind::Recipient:
        if (c.recipient.empty()) return fmt::format("{} {}", c.name, reasonText(c, lang));
        return fmt::format("{} {}", c.name, recipientResult(c.recipient.front(), lang));
    case ExpectKind::Fetched:
        return (zh ? fmt::format("下载了 {} 封邮件", c.gotCount)
                   : fmt::format("{} message{} fetched", c.gotCount, c.gotCount == 1 ? "" : "s")) +
               problem(c, lang);
    case ExpectKind::ImapCount: return imapCount(c.name, c.gotCount, lang) + problem(c, lang);
    case ExpectKind::FolderAction:
        return std::string(outcomeText(c.gotFlag ? Outcome::Accepted : Outcome::Refused, lang)) +
               (c.gotFlag ? std::string() : problem(c, lang));
    case ExpectKind::Mailbox: {
        std::string out = zh ? fmt::format("{} 的 {} 中有 {} 封邮件", c.name, c.folder, c.gotCount)
                             : fmt::format("{} message{} in {} {}", c.gotCount, c.gotCount == 1 ? "" : "s", c.name, c.folder);
        if (!c.contains.empty() && !c.gotFlag)
            out += zh ? fmt::format("，没有一封包含“{}”", c.contains) : fmt::format(", none containing \"{}\"", c.contains);
        return out;
    }
    }
    return {};
}

std::string expectedText(const Event& e, Lang lang) {
    if (const auto* c = e.as<ExpectationCheck>()) return expectedText(*c, lang);
    return e.text;
}

std::string gotText(const Event& e, Lang lang) {
    if (const auto* c = e.as<ExpectationCheck>()) return gotText(*c, lang);
    return e.detail;
}

}  // namespace mailsim::trace
