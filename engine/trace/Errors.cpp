#include "trace/Errors.hpp"

#include "smtp/SmtpClientSession.hpp"
#include "trace/Catalogue.hpp"

#include <fmt/format.h>

#include <array>

namespace mailsim::trace {
namespace {

using i18n::Lang;
using R = ErrorReport;

// The arguments by position; a missing one reads as empty / 0 (a trace read from JSON may be short).
std::string_view nm(const R& r, std::size_t i) { return i < r.names.size() ? std::string_view(r.names[i]) : ""; }
std::uint64_t num(const R& r, std::size_t i) { return i < r.numbers.size() ? r.numbers[i] : 0; }
// The lower layer's words after the sentence, when there are any. A store failure (schema 1.4) is worded in the
// sentence's language; `detail` keeps its English (what a 1.3 trace has, shown as given).
std::string tailEn(const R& r) {
    if (r.store) return ": " + store::storeErrorText(*r.store, Lang::En);
    return r.detail.empty() ? std::string() : ": " + r.detail;
}
std::string tailZh(const R& r) {
    if (r.store) return "：" + store::storeErrorText(*r.store, Lang::Zh);
    return r.detail.empty() ? std::string() : "：" + r.detail;
}
// The server's words as received, quoted in a Chinese sentence (they stay as on the wire).
std::string saidZh(const R& r) { return r.detail.empty() ? std::string() : "：“" + r.detail + "”"; }
std::string citeEn(const R& r) { return r.rfc.empty() ? std::string() : " (" + r.rfc + ")"; }
std::string citeZh(const R& r) { return r.rfc.empty() ? std::string() : "（" + r.rfc + "）"; }

std::string notAReplyEn(const R& r) {
    const auto proto = nm(r, 0);
    const bool vowel = !proto.empty() && (proto[0] == 'I' || proto[0] == 'S');  // "an IMAP", "an SMTP"
    return fmt::format("the client received a line that is not {} {} reply{}: \"{}\"", vowel ? "an" : "a", proto,
                       citeEn(r), r.detail);
}
std::string notAReplyZh(const R& r) {
    return fmt::format("客户端收到的一行不是 {} 应答{}：“{}”", nm(r, 0), citeZh(r), r.detail);
}

std::string refusedEn(const R& r) {
    if (nm(r, 0) == "SELECT") return fmt::format("cannot select {}", nm(r, 1)) + tailEn(r);
    return fmt::format("{} refused", nm(r, 0)) + tailEn(r);
}
std::string refusedZh(const R& r) {
    if (nm(r, 0) == "SELECT") return fmt::format("无法选择邮箱 {}", nm(r, 1)) + saidZh(r);
    return fmt::format("{} 被拒绝", nm(r, 0)) + saidZh(r);
}

// The catalogue, in ErrorId order (checked by errorCount() and tests/test_trace_notes.cpp). The IMAP user agent's
// entries get their "imap client: " / "IMAP 客户端：" prefix in errorText().
const std::array<CatalogueRow<ErrorId, R>, names(ErrorId{}).size()> kErrors{{
    {ErrorId::TlsWithoutStartTls,
     [](const R& r) { return fmt::format("TLS established without a pending {}", nm(r, 0)); },
     [](const R& r) { return fmt::format("TLS 已建立，但此前并没有待处理的 {} 命令", nm(r, 0)); }},
    {ErrorId::TlsUnavailable, [](const R& r) { return "TLS is not available" + tailEn(r); },
     [](const R& r) { return "TLS 不可用" + tailZh(r); }},
    {ErrorId::NotAReply, notAReplyEn, notAReplyZh},
    {ErrorId::ClientNoTransition,
     [](const R& r) {
         return fmt::format("{}: {} after {} is not in the client's transition table", nm(r, 0), nm(r, 1), nm(r, 2));
     },
     [](const R& r) {
         return fmt::format("{}：客户端的状态转换表中没有这一步（状态 {} 之后发生 {}）", nm(r, 0), nm(r, 2), nm(r, 1));
     }},
    {ErrorId::DeliveryFailed, [](const R& r) { return fmt::format("delivery to {} failed", nm(r, 0)) + tailEn(r); },
     [](const R& r) { return fmt::format("投递到 {} 失败", nm(r, 0)) + tailZh(r); }},
    {ErrorId::RelayQueueRefused, [](const R& r) { return "the relay queue did not take the message" + tailEn(r); },
     [](const R& r) { return "中继队列没有接收这封邮件" + tailZh(r); }},
    {ErrorId::ImapCreateFailed, [](const R& r) { return fmt::format("CREATE {} failed", nm(r, 0)) + tailEn(r); },
     [](const R& r) { return fmt::format("CREATE {} 失败", nm(r, 0)) + tailZh(r); }},
    {ErrorId::ImapDeleteFailed, [](const R& r) { return fmt::format("DELETE {} failed", nm(r, 0)) + tailEn(r); },
     [](const R& r) { return fmt::format("DELETE {} 失败", nm(r, 0)) + tailZh(r); }},
    {ErrorId::ImapRenameFailed,
     [](const R& r) { return fmt::format("RENAME {} {} failed", nm(r, 0), nm(r, 1)) + tailEn(r); },
     [](const R& r) { return fmt::format("RENAME {} {} 失败", nm(r, 0), nm(r, 1)) + tailZh(r); }},
    {ErrorId::ImapAppendFailed, [](const R& r) { return fmt::format("APPEND to {} failed", nm(r, 0)) + tailEn(r); },
     [](const R& r) { return fmt::format("APPEND 到 {} 失败", nm(r, 0)) + tailZh(r); }},
    {ErrorId::ImapExpungeFailed, [](const R& r) { return "EXPUNGE failed, nothing removed" + tailEn(r); },
     [](const R& r) { return "EXPUNGE 失败，没有删除任何邮件" + tailZh(r); }},
    {ErrorId::ImapStoreFailed,
     [](const R& r) { return fmt::format("STORE {} uid {} failed", nm(r, 0), num(r, 0)) + tailEn(r); },
     [](const R& r) { return fmt::format("STORE {} UID {} 失败", nm(r, 0), num(r, 0)) + tailZh(r); }},
    {ErrorId::ImapCopyFailed,
     [](const R& r) { return fmt::format("{} to {} failed", nm(r, 0), nm(r, 1)) + tailEn(r); },
     [](const R& r) { return fmt::format("{} 到 {} 失败", nm(r, 0), nm(r, 1)) + tailZh(r); }},
    {ErrorId::ImapMoveRemoveFailed, [](const R& r) { return "MOVE: the originals cannot be removed" + tailEn(r); },
     [](const R& r) { return "MOVE：原邮件无法删除" + tailZh(r); }},
    {ErrorId::Pop3ReadFailed,
     [](const R& r) { return fmt::format("cannot read {} INBOX uid {}", nm(r, 0), num(r, 0)) + tailEn(r); },
     [](const R& r) { return fmt::format("无法读取 {} 的 INBOX 中 UID {} 的邮件", nm(r, 0), num(r, 0)) + tailZh(r); }},
    {ErrorId::Pop3UpdateFailed, [](const R& r) { return "UPDATE failed, nothing removed" + tailEn(r); },
     [](const R& r) { return "UPDATE（更新）失败，没有删除任何邮件" + tailZh(r); }},
    {ErrorId::ImapClientClosed, [](const R&) { return std::string("the server closed the connection"); },
     [](const R&) { return std::string("服务器关闭了连接"); }},
    {ErrorId::ImapClientBye, [](const R& r) { return "the server said " + r.detail; },
     [](const R& r) { return "服务器说" + saidZh(r); }},
    {ErrorId::ImapClientGreeting, [](const R& r) { return "the greeting is not OK" + tailEn(r); },
     [](const R& r) { return "问候不是 OK" + saidZh(r); }},
    {ErrorId::ImapClientRefused, refusedEn, refusedZh},
    {ErrorId::ImapClientIdleEnded, [](const R& r) { return "IDLE ended with " + r.detail; },
     [](const R& r) { return "IDLE 以此结束" + saidZh(r); }},
    {ErrorId::ImapClientNoStartTls,
     [](const R&) { return std::string("the server does not offer STARTTLS; refusing to log in in plaintext"); },
     [](const R&) { return std::string("服务器没有提供 STARTTLS；拒绝以明文登录"); }},
    {ErrorId::ImapClientStartTlsRefused,
     [](const R& r) {
         return fmt::format("the server refused STARTTLS ({}); refusing to log in in plaintext", r.detail);
     },
     [](const R& r) { return fmt::format("服务器拒绝了 STARTTLS（“{}”）；拒绝以明文登录", r.detail); }},
    {ErrorId::ImapClientPreauth,
     [](const R& r) { return fmt::format("PREAUTH before TLS would skip encryption{}; refusing to continue", citeEn(r)); },
     [](const R& r) { return fmt::format("TLS 之前的 PREAUTH 会跳过加密{}；拒绝继续", citeZh(r)); }},
    // The POP3 user agent: the English of its former free-text errors (tests and lessons quote it).
    {ErrorId::Pop3ClientGreeting, [](const R& r) { return "the server refused the connection" + tailEn(r); },
     [](const R& r) { return "服务器拒绝了连接" + saidZh(r); }},
    {ErrorId::Pop3ClientNoStls,
     [](const R& r) { return fmt::format("the server does not offer STLS{}; refusing to log in in plaintext", citeEn(r)); },
     [](const R& r) { return fmt::format("服务器没有提供 STLS{}；拒绝以明文登录", citeZh(r)); }},
    {ErrorId::Pop3ClientStlsRefused,
     [](const R& r) { return fmt::format("the server refused STLS ({}); refusing to log in in plaintext", r.detail); },
     [](const R& r) { return fmt::format("服务器拒绝了 STLS（“{}”）；拒绝以明文登录", r.detail); }},
    {ErrorId::Pop3ClientNoTimestamp,
     [](const R& r) { return fmt::format("the server's greeting has no APOP timestamp <...>{}", citeEn(r)); },
     [](const R& r) { return fmt::format("服务器的问候中没有 APOP 时间戳 <...>{}", citeZh(r)); }},
    {ErrorId::Pop3ClientLoginRefused, [](const R& r) { return "login refused" + tailEn(r); },
     [](const R& r) { return "登录被拒绝" + saidZh(r); }},
    {ErrorId::Pop3ClientRefused,
     [](const R& r) {
         return (num(r, 0) ? fmt::format("{} {} refused", nm(r, 0), num(r, 0)) : fmt::format("{} refused", nm(r, 0))) +
                tailEn(r);
     },
     [](const R& r) {
         return (num(r, 0) ? fmt::format("{} {} 被拒绝", nm(r, 0), num(r, 0)) : fmt::format("{} 被拒绝", nm(r, 0))) +
                saidZh(r);
     }},
    {ErrorId::Pop3ClientClosed, [](const R& r) { return fmt::format("the connection closed during {}", nm(r, 0)); },
     [](const R& r) { return fmt::format("连接在 {} 期间关闭", nm(r, 0)); }},
}};

bool imapClient(ErrorId id) { return id >= ErrorId::ImapClientClosed && id <= ErrorId::ImapClientPreauth; }

}  // namespace

std::string errorText(const ErrorReport& report, Lang lang) {
    auto out = renderRow(kErrors, report.id, report, lang);
    if (!out) return std::string(enumName(report.id));
    if (imapClient(report.id)) out->insert(0, lang == Lang::Zh ? "IMAP 客户端：" : "imap client: ");
    return *out;
}

std::string connectFailureText(ConnectFailure failure, std::string_view host, std::string_view detail, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (failure) {
    case ConnectFailure::None: break;
    case ConnectFailure::NoSmtpService:
        return zh ? fmt::format("{} 没有运行 SMTP 服务：连接被拒绝", host)
                  : fmt::format("{} runs no SMTP service: connection refused", host);
    case ConnectFailure::HostDown:
        return zh ? fmt::format("{} 已宕机：没有应答，连接超时", host)
                  : fmt::format("{} is down: no answer, connection timed out", host);
    case ConnectFailure::LinkDown:
        return zh ? fmt::format("{} 的网络链路中断：连接超时", host)
                  : fmt::format("the network link of {} is down: connection timed out", host);
    case ConnectFailure::PacketLoss:
        return zh ? std::string("连接请求在网络中丢失（丢包）：连接超时")
                  : std::string("the connection attempt was lost in the network (packet loss): connection timed out");
    case ConnectFailure::TimedOut:
        return zh ? fmt::format("{}：连接超时", host) : fmt::format("{}: connection timed out", host);
    case ConnectFailure::BadAddress:
        return zh ? fmt::format("{}：{} 不是数字形式的地址", host, detail)
                  : fmt::format("{}: {} is not a numeric address", host, detail);
    case ConnectFailure::SystemError:
        return zh ? fmt::format("{}：{}", host, detail) : fmt::format("{}: {}", host, detail);
    }
    return std::string(detail);
}

std::string clientReasonText(ClientReason reason, std::string_view detail, Lang lang) {
    if (lang != Lang::Zh) return smtp::clientReasonWords(reason, detail);
    switch (reason) {
    case ClientReason::None: break;
    case ClientReason::NotAReply: return fmt::format("服务器的应答不是 SMTP 应答：{}", detail);
    case ClientReason::ClosedEarly: return "服务器确认之前连接就关闭了";
    case ClientReason::StartTlsRefused: return fmt::format("服务器拒绝了 STARTTLS（{}），客户端拒绝以明文继续", detail);
    case ClientReason::StartTlsNotOffered: return "服务器没有提供 STARTTLS，客户端拒绝以明文继续";
    case ClientReason::NoSmtpUtf8: return fmt::format("5.6.7 需要 SMTPUTF8，但主机 {} 没有提供", detail);
    case ClientReason::NoAuth: return "服务器没有提供 AUTH（RFC 4954），客户端无法登录";
    }
    return std::string(detail);
}

std::size_t errorCount() { return inOrder(kErrors); }

}  // namespace mailsim::trace
