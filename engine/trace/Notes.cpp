#include "trace/Notes.hpp"

#include "trace/Catalogue.hpp"
#include "trace/Errors.hpp"

#include <fmt/format.h>

#include <array>

namespace mailsim::trace {
namespace {

using i18n::Lang;
using X = Explanation;

// The arguments by position; a missing one reads as empty / 0 (a trace read from JSON may be short).
std::string_view nm(const X& x, std::size_t i) { return i < x.names.size() ? std::string_view(x.names[i]) : ""; }
std::uint64_t num(const X& x, std::size_t i) { return i < x.numbers.size() ? x.numbers[i] : 0; }
std::string_view s(std::uint64_t n) { return n == 1 ? "" : "s"; }

// A POP3 session that ends without UPDATE: what happens to the messages marked deleted (numbers[0]).
std::string markedEn(const X& x) {
    const auto m = num(x, 0);
    return m ? fmt::format("; {} message{} marked deleted stay{} on the server", m, s(m), m == 1 ? "s" : "") : "";
}
std::string markedZh(const X& x) {
    const auto m = num(x, 0);
    return m ? fmt::format("；{} 封标记为删除的邮件仍留在服务器上", m) : "";
}
// An SMTP goodbye (421): whether an open mail transaction was abandoned (numbers[0]).
std::string abandonedEn(const X& x) { return num(x, 0) ? "; the open transaction is abandoned" : ""; }
std::string abandonedZh(const X& x) { return num(x, 0) ? "；未完成的邮件事务被放弃" : ""; }

std::string ordinal(std::uint64_t n) {
    const auto mod100 = n % 100;
    const char* suffix = (mod100 >= 11 && mod100 <= 13) ? "th"
                         : n % 10 == 1                  ? "st"
                         : n % 10 == 2                  ? "nd"
                         : n % 10 == 3                  ? "rd"
                                                        : "th";
    return fmt::format("{}{}", n, suffix);
}

// ScenarioRule: names point, senders, recipients; numbers code, occurrence, greylist.
std::string ruleEn(const X& x) {
    const auto point = nm(x, 0);
    const std::string where = point == "CONNECT" ? "connection" : point == "DOT" ? "end of data" : std::string(point);
    const auto code = num(x, 0), nth = num(x, 1);
    std::string out = num(x, 2) ? fmt::format("greylisting ({} on the first {} of each client/sender/recipient)", code, where)
                      : nth     ? fmt::format("{} on the {} {}", code, ordinal(nth), where)
                                : fmt::format("{} on every {}", code, where);
    if (!nm(x, 1).empty()) out += fmt::format(" from {}", nm(x, 1));
    if (!nm(x, 2).empty()) out += fmt::format(" to {}", nm(x, 2));
    return "scenario rule: " + out;
}
std::string ruleZh(const X& x) {
    const auto point = nm(x, 0);
    const std::string where = point == "CONNECT" ? "连接时" : point == "DOT" ? "数据结束时" : fmt::format("{} 命令", point);
    const auto code = num(x, 0), nth = num(x, 1);
    std::string out = num(x, 2) ? fmt::format("灰名单（每个客户端/发件人/收件人组合第一次{}应答 {}）", where, code)
                      : nth     ? fmt::format("第 {} 次{}应答 {}", nth, where, code)
                                : fmt::format("每次{}都应答 {}", where, code);
    if (!nm(x, 1).empty()) out += fmt::format("，发件人 {}", nm(x, 1));
    if (!nm(x, 2).empty()) out += fmt::format("，收件人 {}", nm(x, 2));
    return "场景规则：" + out;
}

// SegmentLost: "after 200 ms", or for a segment lost again "after 200 + 400 ms" (the timeout doubles, RFC 6298 5.5).
std::string retransmitAfter(const X& x) {
    std::string after;
    const auto rto = num(x, 2);
    for (std::uint64_t i = 0; i < std::max<std::uint64_t>(num(x, 0), 1) && i < 16; ++i)
        after += fmt::format("{}{}", i ? " + " : "", (rto << i) / 1000);
    return after;
}

std::string flaggedEn(const X& x) {
    const auto n = num(x, 0);
    std::string out = fmt::format("{} message{} now flagged", n, s(n));
    if (!nm(x, 0).empty()) out += fmt::format(" +{}", nm(x, 0));
    if (!nm(x, 1).empty()) out += fmt::format(" -{}", nm(x, 1));
    for (const auto& item : x.items) out += fmt::format("; UID {} {}", item.number, item.text);
    if (num(x, 2)) out += fmt::format(" (the search {} {} found {})", nm(x, 2), nm(x, 3), num(x, 1));
    return out;
}
std::string flaggedZh(const X& x) {
    std::string out = fmt::format("现在有 {} 封邮件带标志", num(x, 0));
    if (!nm(x, 0).empty()) out += fmt::format(" +{}", nm(x, 0));
    if (!nm(x, 1).empty()) out += fmt::format(" -{}", nm(x, 1));
    for (const auto& item : x.items) out += fmt::format("；UID {} {}", item.number, item.text);
    if (num(x, 2)) out += fmt::format("（搜索 {} {} 找到 {} 封）", nm(x, 2), nm(x, 3), num(x, 1));
    return out;
}

std::string sentEn(const X& x) {
    std::string summary;
    for (const auto& r : x.items) summary += fmt::format("{}{}: {}", summary.empty() ? "" : "; ", r.name, recipientResult(r, Lang::En));
    return fmt::format("the user agent's result for message {} (\"{}\"): {}", num(x, 0), nm(x, 0), summary);
}
std::string sentZh(const X& x) {
    std::string summary;
    for (const auto& r : x.items) summary += fmt::format("{}{}：{}", summary.empty() ? "" : "；", r.name, recipientResult(r, Lang::Zh));
    return fmt::format("用户代理对第 {} 封邮件（“{}”）的结果：{}", num(x, 0), nm(x, 0), summary);
}

std::string resyncEn(const X& x) {
    const auto up = num(x, 3);
    return fmt::format("resynchronised{}: {} new, {} vanished, {} with changed flags, {} offline change{} uploaded; the "
                       "cache now holds {} UIDs (UIDVALIDITY {}, UIDNEXT {})",
                       num(x, 7) ? " after a UIDVALIDITY change (cache discarded)" : "", num(x, 0), num(x, 1), num(x, 2),
                       up, s(up), num(x, 4), num(x, 5), num(x, 6));
}
std::string resyncZh(const X& x) {
    return fmt::format("已重新同步{}：{} 封新邮件，{} 封已消失，{} 封标志有变化，上传了 {} 项离线修改；缓存现有 {} 个 UID"
                       "（UIDVALIDITY {}，UIDNEXT {}）",
                       num(x, 7) ? "（UIDVALIDITY 已改变，缓存已丢弃）" : "", num(x, 0), num(x, 1), num(x, 2), num(x, 3),
                       num(x, 4), num(x, 5), num(x, 6));
}

std::string_view accepted(const X& x, Lang lang) {
    return num(x, 0) ? (lang == Lang::Zh ? "已接受" : "accepted") : (lang == Lang::Zh ? "被拒绝" : "refused");
}

// The catalogue, in NoteId order (checked below and by tests/test_trace_notes.cpp).
const std::array<CatalogueRow<NoteId, X>, names(NoteId{}).size()> kNotes{{
    {NoteId::DiscardedPlaintextServer,
     [](const X& x) {
         return fmt::format("discarded {} byte{} sent in plaintext after {}, before TLS (CVE-2011-0411: never executed)",
                            num(x, 0), s(num(x, 0)), nm(x, 0));
     },
     [](const X& x) {
         return fmt::format("丢弃了 {} 字节：在 {} 之后、TLS 之前以明文发来（CVE-2011-0411：决不执行）", num(x, 0), nm(x, 0));
     }},
    {NoteId::DiscardedPlaintextClient,
     [](const X& x) {
         return fmt::format("discarded {} byte{} received in plaintext after the {} to {}, before TLS (STARTTLS response "
                            "injection: never used)", num(x, 0), s(num(x, 0)), nm(x, 0), nm(x, 1));
     },
     [](const X& x) {
         return fmt::format("丢弃了 {} 字节：在对 {} 的应答 {} 之后、TLS 之前以明文收到（STARTTLS 应答注入：决不使用）",
                            num(x, 0), nm(x, 1), nm(x, 0));
     }},
    {NoteId::StartTlsAccepted,
     [](const X& x) {
         return fmt::format("{} accepted: the next bytes on this connection are the TLS handshake ({})", nm(x, 0), x.rfc);
     },
     [](const X& x) { return fmt::format("{} 已接受：这条连接上接下来的字节就是 TLS 握手（{}）", nm(x, 0), x.rfc); }},
    {NoteId::StartTlsWaiting,
     [](const X& x) { return fmt::format("{} accepted: waiting for the TLS handshake ({})", nm(x, 0), x.rfc); },
     [](const X& x) { return fmt::format("{} 已接受：等待 TLS 握手（{}）", nm(x, 0), x.rfc); }},
    {NoteId::StartTlsRefused,
     [](const X& x) { return fmt::format("{} refused: opportunistic TLS goes on in plaintext", nm(x, 0)); },
     [](const X& x) { return fmt::format("{} 被拒绝：机会性 TLS 改以明文继续", nm(x, 0)); }},
    {NoteId::StartTlsNotOffered,
     [](const X& x) { return fmt::format("the server does not offer {}: opportunistic TLS goes on in plaintext", nm(x, 0)); },
     [](const X& x) { return fmt::format("服务器没有提供 {}：机会性 TLS 改以明文继续", nm(x, 0)); }},
    {NoteId::StartTlsRequired,
     [](const X& x) {
         return fmt::format("TLS required but the server does not offer {}: nothing more is sent in plaintext", nm(x, 0));
     },
     [](const X& x) { return fmt::format("要求 TLS，但服务器没有提供 {}：不再以明文发送任何内容", nm(x, 0)); }},
    {NoteId::TlsEstablishedImap,
     [](const X& x) {
         return fmt::format("TLS established: still NOT AUTHENTICATED; the client must ask CAPABILITY again ({})", x.rfc);
     },
     [](const X& x) {
         return fmt::format("TLS 已建立：仍处于 NOT AUTHENTICATED 状态；客户端必须重新发送 CAPABILITY（{}）", x.rfc);
     }},
    {NoteId::TlsEstablishedPop3,
     [](const X& x) {
         return fmt::format("TLS established: still AUTHORIZATION; the client logs in inside TLS ({})", x.rfc);
     },
     [](const X& x) { return fmt::format("TLS 已建立：仍处于 AUTHORIZATION（认证）状态；客户端在 TLS 之内登录（{}）", x.rfc); }},
    {NoteId::TlsCloseNotify,
     [](const X& x) {
         return fmt::format("the client sent a TLS close_notify alert: the server answers with its own and closes the "
                            "connection ({})", x.rfc);
     },
     [](const X& x) {
         return fmt::format("客户端发送了 TLS close_notify 告警：服务器回以自己的 close_notify 并关闭连接（{}）", x.rfc);
     }},
    {NoteId::TlsHandshakeTimeout,
     [](const X& x) { return fmt::format("no TLS handshake within {} s: closing", num(x, 0)); },
     [](const X& x) { return fmt::format("{} 秒内没有完成 TLS 握手：关闭连接", num(x, 0)); }},
    {NoteId::Utf8NotOffered,
     [](const X& x) {
         return fmt::format("message {} not sent: SMTPUTF8 is required, but was not offered by host {} ({})", num(x, 0),
                            nm(x, 0).empty() ? "(unnamed)" : nm(x, 0), x.rfc);
     },
     [](const X& x) {
         return fmt::format("第 {} 封邮件未发送：需要 SMTPUTF8，但主机 {} 没有提供（{}）", num(x, 0),
                            nm(x, 0).empty() ? "（未命名）" : nm(x, 0), x.rfc);
     }},
    {NoteId::AuthFailed,
     [](const X& x) { return fmt::format("AUTH: the credentials given for '{}' are wrong", nm(x, 0)); },
     [](const X& x) { return fmt::format("AUTH：为“{}”提供的用户名或口令不正确", nm(x, 0)); }},
    {NoteId::AuthOk,
     [](const X& x) {
         return fmt::format("AUTH: logged in as {}; this session may now relay to other domains", nm(x, 0));
     },
     [](const X& x) { return fmt::format("AUTH：已作为 {} 登录；本会话现在可以向其他域中继邮件", nm(x, 0)); }},
    {NoteId::GreetingTimeout,
     [](const X& x) { return fmt::format("no command within {} s of the greeting: closing", num(x, 0)); },
     [](const X& x) { return fmt::format("问候之后 {} 秒内没有收到命令：关闭连接", num(x, 0)); }},
    {NoteId::ContentNotRecorded,
     [](const X& x) {
         return fmt::format("{} more content line{} ({} octets) not recorded in the trace (it keeps the first {} lines "
                            "or {} octets of a message)", num(x, 0), s(num(x, 0)), num(x, 1), num(x, 2), num(x, 3));
     },
     [](const X& x) {
         return fmt::format("另有 {} 行内容（{} 字节）没有记入跟踪记录（每封邮件只保留前 {} 行或前 {} 字节）", num(x, 0),
                            num(x, 1), num(x, 2), num(x, 3));
     }},
    {NoteId::BareLineEndStored,
     [](const X& x) {
         return fmt::format("the content held a bare {} (not part of CRLF); stored as CRLF, so it cannot end the message "
                            "anywhere downstream", nm(x, 0));
     },
     [](const X& x) {
         return fmt::format("内容中有单独的 {}（不属于 CRLF）；已按 CRLF 保存，因此在下游任何地方都不能提前结束邮件", nm(x, 0));
     }},
    {NoteId::BareLineEndRefused,
     [](const X& x) {
         return fmt::format("the content held a bare {} (not part of CRLF); a strict server refuses it (SMTP smuggling "
                            "defence)", nm(x, 0));
     },
     [](const X& x) {
         return fmt::format("内容中有单独的 {}（不属于 CRLF）；严格的服务器拒绝它（防御 SMTP 走私）", nm(x, 0));
     }},
    {NoteId::GreylistPassed,
     [](const X& x) {
         return fmt::format("greylisting: {} / {} / {} was tried before, so it passes now", nm(x, 0),
                            nm(x, 1).empty() ? "<>" : nm(x, 1), nm(x, 2).empty() ? "-" : nm(x, 2));
     },
     [](const X& x) {
         return fmt::format("灰名单：{} / {} / {} 之前已尝试过，所以这次放行", nm(x, 0), nm(x, 1).empty() ? "<>" : nm(x, 1),
                            nm(x, 2).empty() ? "-" : nm(x, 2));
     }},
    {NoteId::ScenarioRule, ruleEn, ruleZh},
    {NoteId::GoodbyeTooMany, [](const X& x) { return "too many connections" + abandonedEn(x); },
     [](const X& x) { return "连接过多" + abandonedZh(x); }},
    {NoteId::GoodbyeLoginTimeout, [](const X& x) { return "login timeout" + abandonedEn(x); },
     [](const X& x) { return "登录超时" + abandonedZh(x); }},
    {NoteId::GoodbyeSlowClient, [](const X& x) { return "the client is too slow" + abandonedEn(x); },
     [](const X& x) { return "客户端太慢" + abandonedZh(x); }},
    {NoteId::GoodbyeShutdown, [](const X& x) { return "server shutting down" + abandonedEn(x); },
     [](const X& x) { return "服务器正在关闭" + abandonedZh(x); }},
    {NoteId::ImapAutologout,
     [](const X& x) { return fmt::format("autologout: no command for {} s ({})", num(x, 0), x.rfc); },
     [](const X& x) { return fmt::format("自动注销：{} 秒没有收到命令（{}）", num(x, 0), x.rfc); }},
    {NoteId::ImapNoLogout, [](const X&) { return std::string("the connection ended without LOGOUT"); },
     [](const X&) { return std::string("连接在没有 LOGOUT 的情况下结束"); }},
    {NoteId::SelectedMailboxDeleted, [](const X&) { return std::string("the selected mailbox was deleted by another session"); },
     [](const X&) { return std::string("选中的邮箱被另一个会话删除了"); }},
    {NoteId::Pop3TooManyErrors, [](const X& x) { return "too many errors" + markedEn(x); },
     [](const X& x) { return "错误过多" + markedZh(x); }},
    {NoteId::Pop3Autologout,
     [](const X& x) {
         return fmt::format("autologout: idle for {} s ({}); the server closes without a response and without entering "
                            "UPDATE", num(x, 1), x.rfc) + markedEn(x);
     },
     [](const X& x) {
         return fmt::format("自动注销：空闲 {} 秒（{}）；服务器不发应答就关闭连接，也不进入 UPDATE（更新）状态", num(x, 1),
                            x.rfc) + markedZh(x);
     }},
    {NoteId::Pop3NoQuit, [](const X& x) { return "the connection ended without QUIT: no UPDATE state" + markedEn(x); },
     [](const X& x) { return "连接在没有 QUIT 的情况下结束：不进入 UPDATE（更新）状态" + markedZh(x); }},
    {NoteId::Pop3Shutdown, [](const X& x) { return "server shutdown: no UPDATE state" + markedEn(x); },
     [](const X& x) { return "服务器关闭：不进入 UPDATE（更新）状态" + markedZh(x); }},
    {NoteId::Pop3ServerEnds, [](const X& x) { return "the server ends the session: no UPDATE state" + markedEn(x); },
     [](const X& x) { return "服务器结束会话：不进入 UPDATE（更新）状态" + markedZh(x); }},
    {NoteId::RelaySharedConnection,
     [](const X& x) {
         return fmt::format("{} messages for {} share this connection: one mail transaction each, then QUIT", num(x, 0),
                            nm(x, 0));
     },
     [](const X& x) {
         return fmt::format("发往 {} 的 {} 封邮件共用这条连接：每封一次邮件事务，然后 QUIT", nm(x, 0), num(x, 0));
     }},
    {NoteId::SandboxReady, [](const X&) { return std::string("sandbox: the network is ready; type your own commands"); },
     [](const X&) { return std::string("沙盒：网络已就绪；请输入你自己的命令"); }},
    {NoteId::SandboxAfterSteps,
     [](const X&) {
         return std::string("sandbox: the scenario's steps have run; from here on, type your own commands");
     },
     [](const X&) { return std::string("沙盒：场景的步骤已经运行完毕；从这里开始，请输入你自己的命令"); }},
    {NoteId::CapPerAddress,
     [](const X& x) {
         return fmt::format("{} already has {} connections (the cap is {}, --max-per-address): refused", nm(x, 0),
                            num(x, 0), num(x, 1));
     },
     [](const X& x) {
         return fmt::format("{} 已有 {} 个连接（上限为 {}，--max-per-address）：拒绝", nm(x, 0), num(x, 0), num(x, 1));
     }},
    {NoteId::CapPerListener,
     [](const X& x) {
         return fmt::format("{} {} already serves {} connections (the cap is {}, --max-connections): refused", nm(x, 0),
                            nm(x, 1), num(x, 0), num(x, 1));
     },
     [](const X& x) {
         return fmt::format("{} {} 已在服务 {} 个连接（上限为 {}，--max-connections）：拒绝", nm(x, 0), nm(x, 1), num(x, 0),
                            num(x, 1));
     }},
    {NoteId::LoginDelay,
     [](const X& x) {
         return fmt::format("failed login #{} from {}: the reply is held for {} s", num(x, 0), nm(x, 0), num(x, 1));
     },
     [](const X& x) {
         return fmt::format("来自 {} 的第 {} 次登录失败：应答推迟 {} 秒发送", nm(x, 0), num(x, 0), num(x, 1));
     }},
    {NoteId::LoginTimeout,
     [](const X& x) { return fmt::format("no login within {} s (--login-timeout): closing", num(x, 0)); },
     [](const X& x) { return fmt::format("{} 秒内没有登录（--login-timeout）：关闭连接", num(x, 0)); }},
    {NoteId::CommandDeadline,
     [](const X& x) {
         return fmt::format("a command (or message content) still incomplete after {:.1f} s with {} octets received (the "
                            "limit is {} s + 1 s per {} octets, --command-timeout and --min-data-rate): closing",
                            static_cast<double>(num(x, 0)) / 1e3, num(x, 1), num(x, 2), num(x, 3));
     },
     [](const X& x) {
         return fmt::format("一条命令（或邮件内容）在 {:.1f} 秒后仍未完成，已收到 {} 字节（限制为 {} 秒 + 每 {} 字节 1 秒，"
                            "--command-timeout 和 --min-data-rate）：关闭连接",
                            static_cast<double>(num(x, 0)) / 1e3, num(x, 1), num(x, 2), num(x, 3));
     }},
    {NoteId::DnsMx,
     [](const X& x) { return fmt::format("DNS: the MX record of {} names {} ({})", nm(x, 0), nm(x, 1), nm(x, 2)); },
     [](const X& x) { return fmt::format("DNS：{} 的 MX 记录指向 {}（{}）", nm(x, 0), nm(x, 1), nm(x, 2)); }},
    {NoteId::SegmentLost,
     [](const X& x) {
         return fmt::format("segment lost{} ({} bytes {} -> {}), retransmitted after {} ms",
                            num(x, 0) > 1 ? fmt::format(" {} times", num(x, 0)) : "", num(x, 1), nm(x, 0), nm(x, 1),
                            retransmitAfter(x));
     },
     [](const X& x) {
         return fmt::format("报文段丢失{}（{} -> {} 的 {} 字节），{} 毫秒后重传",
                            num(x, 0) > 1 ? fmt::format(" {} 次", num(x, 0)) : "", nm(x, 0), nm(x, 1), num(x, 1),
                            retransmitAfter(x));
     }},
    {NoteId::UaSent, sentEn, sentZh},
    {NoteId::UaFetchedKeep,
     [](const X& x) {
         return fmt::format("the user agent fetched {} message{} ({} octets) in keep mode; it now remembers {} unique "
                            "id{} for next time", num(x, 0), s(num(x, 0)), num(x, 1), num(x, 2), s(num(x, 2)));
     },
     [](const X& x) {
         return fmt::format("用户代理以保留模式取回了 {} 封邮件（{} 字节）；它现在记住了 {} 个唯一标识，供下次使用",
                            num(x, 0), num(x, 1), num(x, 2));
     }},
    {NoteId::UaFetchedDeleted,
     [](const X& x) {
         return fmt::format("the user agent fetched {} message{} ({} octets) in delete mode; {} marked deleted, removed "
                            "by the server's UPDATE after QUIT", num(x, 0), s(num(x, 0)), num(x, 1), num(x, 2));
     },
     [](const X& x) {
         return fmt::format("用户代理以删除模式取回了 {} 封邮件（{} 字节）；{} 封标记为删除，QUIT 之后由服务器在 UPDATE"
                            "（更新）状态删除", num(x, 0), num(x, 1), num(x, 2));
     }},
    {NoteId::UaFetchedNotDeleted,
     [](const X& x) {
         return fmt::format("the user agent fetched {} message{} ({} octets) in delete mode; {} marked deleted, NOT "
                            "removed (no UPDATE: the session did not end with QUIT +OK)", num(x, 0), s(num(x, 0)),
                            num(x, 1), num(x, 2));
     },
     [](const X& x) {
         return fmt::format("用户代理以删除模式取回了 {} 封邮件（{} 字节）；{} 封标记为删除，但没有被删除（没有 UPDATE："
                            "会话不是以 QUIT +OK 结束的）", num(x, 0), num(x, 1), num(x, 2));
     }},
    {NoteId::UaImapListed,
     [](const X& x) {
         return fmt::format("the user agent listed {} messages ({} octets in all) and opened {}; {} octets crossed the "
                            "network", num(x, 0), num(x, 1), num(x, 2), num(x, 3));
     },
     [](const X& x) {
         return fmt::format("用户代理列出了 {} 封邮件（共 {} 字节），打开了其中 {} 封；{} 字节经过了网络", num(x, 0),
                            num(x, 1), num(x, 2), num(x, 3));
     }},
    {NoteId::UaImapFound,
     [](const X& x) { return fmt::format("the server found {} message{} ({} {})", num(x, 0), s(num(x, 0)), nm(x, 0), nm(x, 1)); },
     [](const X& x) { return fmt::format("服务器找到了 {} 封邮件（{} {}）", num(x, 0), nm(x, 0), nm(x, 1)); }},
    {NoteId::UaImapMoved,
     [](const X& x) {
         return fmt::format("the server found {} message{} ({} {}); {} moved to {}", num(x, 0), s(num(x, 0)), nm(x, 0),
                            nm(x, 1), num(x, 1), nm(x, 2));
     },
     [](const X& x) {
         return fmt::format("服务器找到了 {} 封邮件（{} {}）；{} 封已移到 {}", num(x, 0), nm(x, 0), nm(x, 1), num(x, 1), nm(x, 2));
     }},
    {NoteId::UaImapFlagged, flaggedEn, flaggedZh},
    {NoteId::UaImapCreate, [](const X& x) { return fmt::format("create {}: {}", nm(x, 0), accepted(x, Lang::En)); },
     [](const X& x) { return fmt::format("创建文件夹 {}：{}", nm(x, 0), accepted(x, Lang::Zh)); }},
    {NoteId::UaImapDelete,
     [](const X& x) { return fmt::format("delete {} with its messages: {}", nm(x, 0), accepted(x, Lang::En)); },
     [](const X& x) { return fmt::format("删除文件夹 {}（连同其中的邮件）：{}", nm(x, 0), accepted(x, Lang::Zh)); }},
    {NoteId::UaImapRename,
     [](const X& x) { return fmt::format("rename {} to {}: {}", nm(x, 0), nm(x, 1), accepted(x, Lang::En)); },
     [](const X& x) { return fmt::format("将文件夹 {} 重命名为 {}：{}", nm(x, 0), nm(x, 1), accepted(x, Lang::Zh)); }},
    {NoteId::UaImapResync, resyncEn, resyncZh},
}};

}  // namespace

std::string recipientResult(const NoteItem& r, Lang lang) {
    const bool zh = lang == Lang::Zh;
    static constexpr std::string_view kOutcomeZh[] = {"已接受", "被拒绝", "推迟"};
    const std::string_view outcome = zh ? kOutcomeZh[static_cast<std::size_t>(r.outcome) % 3] : enumName(r.outcome);
    // The reply as written, or the client's own reason in `lang` (schema 1.3; `text` is then its argument).
    const std::string why = r.reason != ClientReason::None ? clientReasonText(r.reason, r.text, lang)
                            : r.text.empty()               ? std::string(zh ? "无应答" : "no reply")
                                                           : r.text;
    std::string out = r.code ? fmt::format(fmt::runtime(zh ? "{}（{} {}）" : "{} ({} {})"), outcome, r.code, why)
                             : fmt::format(fmt::runtime(zh ? "{}（{}）" : "{} ({})"), outcome, why);
    switch (r.fate) {
    case Fate::None: break;
    case Fate::Mailbox: out += zh ? "；已存入邮箱" : "; delivered to the mailbox"; break;
    case Fate::Queued:
        out += fmt::format(fmt::runtime(zh ? "；已在 {} 排队等待中继" : "; queued at {} for relay"), r.host);
        break;
    case Fate::QueuedDeferred:
        out += fmt::format(fmt::runtime(zh ? "；已在 {} 排队，推迟（下一台服务器暂时还不能接收）"
                                           : "; queued at {}, deferred (the next server could not take it yet)"),
                           r.host);
        break;
    case Fate::Relayed:
        out += fmt::format(fmt::runtime(zh ? "；已由 {} 中继（下一台服务器已接手负责）"
                                           : "; relayed by {} (the next server took responsibility)"),
                           r.host);
        break;
    case Fate::Bounced: out += fmt::format(fmt::runtime(zh ? "；被 {} 退信" : "; bounced by {}"), r.host); break;
    case Fate::Accepted: out += fmt::format(fmt::runtime(zh ? "；已被 {} 接受" : "; accepted by {}"), r.host); break;
    }
    return out;
}

std::string explain(const Explanation& x, Lang lang) {
    auto out = renderRow(kNotes, x.id, x, lang);
    if (!out) return std::string(enumName(x.id));
    if (!x.detail.empty()) *out += (lang == Lang::Zh ? "；问题：" : "; problem: ") + x.detail;
    return *out;
}

std::size_t noteCount() { return inOrder(kNotes); }

}  // namespace mailsim::trace
