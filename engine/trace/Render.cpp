#include "trace/Render.hpp"

#include "i18n/Duration.hpp"
#include "trace/Errors.hpp"
#include "trace/Expectations.hpp"
#include "trace/Notes.hpp"

#include "util/DateTime.hpp"
#include "util/Idna.hpp"

#include <fmt/format.h>

namespace mailsim::trace {
namespace {

using i18n::Lang;

constexpr Micros kMinute = 60'000'000;

// "s" after a count other than one (English only; Chinese has no plural).
std::string_view plural(std::uint64_t n) { return n == 1 ? "" : "s"; }

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string endpointText(const std::string& name, const Endpoint& ep) {
    return ep.address.empty() ? name : fmt::format("{} ({}:{})", name, ep.address, ep.port);
}

std::string store(const StoreChange& c, Lang lang) {
    const bool zh = lang == Lang::Zh;
    const std::string who = fmt::format("{} {}", c.user, c.folder);
    const std::string msg = fmt::format("{} uid {}", who, c.uid);
    switch (c.action) {
    case StoreAction::Appended:
        return zh ? fmt::format("{} 已存入（{} 字节）{}", msg, c.size, c.why == StoreCause::Bounce ? "：来自 MAILER-DAEMON 的退信" : "")
                  : fmt::format("{} appended ({} octets){}", msg, c.size,
                                c.why == StoreCause::Bounce ? ": the bounce from MAILER-DAEMON" : "");
    case StoreAction::FlagsSet:
        if (c.why == StoreCause::BodyFetched)
            return zh ? fmt::format("{} 标记 {}（正文已读取）", msg, c.flags) : fmt::format("{} flags {} (body fetched)", msg, c.flags);
        if (c.why == StoreCause::Downloaded)
            return zh ? fmt::format("{} 标记 {}（已下载）", msg, c.flags) : fmt::format("{} flags {} (downloaded)", msg, c.flags);
        return zh ? fmt::format("{} 标记改为（{}）", msg, c.flags) : fmt::format("{} flags ({})", msg, c.flags);
    case StoreAction::Expunged:
        return zh ? fmt::format("{} 已彻底删除{}", msg, c.why == StoreCause::Pop3Update ? "（POP3 UPDATE 阶段）" : "")
                  : fmt::format("{} expunged{}", msg, c.why == StoreCause::Pop3Update ? " (POP3 UPDATE)" : "");
    case StoreAction::Copied:
        return zh ? fmt::format("{} 已复制到 {}（uid {}）", msg, c.target, c.targetUid)
                  : fmt::format("{} copied to {} uid {}", msg, c.target, c.targetUid);
    case StoreAction::MovedOut: return zh ? msg + " 已移出" : msg + " moved out";
    case StoreAction::FolderCreated:
        return zh ? fmt::format("{} 创建了文件夹 {}", c.user, c.folder) : who + " created";
    case StoreAction::FolderDeleted:
        return zh ? fmt::format("{} 删除了文件夹 {}（连同其中的邮件）", c.user, c.folder) : who + " deleted with its messages";
    case StoreAction::FolderRenamed:
        return zh ? fmt::format("{} 将文件夹 {} 重命名为 {}", c.user, c.folder, c.target)
                  : fmt::format("{} renamed to {}", who, c.target);
    }
    return who;
}

// Times for people (issue #14): "2 h", "1 h 30 min", "15 min" / "2 小时", "1 小时 30 分".
std::string retryIn(Micros delay, Lang lang) { return i18n::formatDuration(delay, lang); }

std::string bounceWhy(const QueueAction& q, Lang lang) {
    if (q.bounce == BounceReason::NoSmtpUtf8)
        return lang == Lang::Zh ? fmt::format("需要 SMTPUTF8，但主机 {} 没有提供（RFC 6531 3.7.5）", q.alongTo)
                                : fmt::format("SMTPUTF8 is required, but was not offered by host {}", q.alongTo);
    if (lang == Lang::Zh)
        return q.bounce == BounceReason::Expired ? fmt::format("在队列有效期（{} 小时）内未能投递", q.lifetimeHours)
                                                 : std::string("接收服务器永久拒绝（5xx）");
    return q.bounce == BounceReason::Expired
               ? fmt::format("the message could not be delivered within the queue lifetime ({} hours)", q.lifetimeHours)
               : std::string("the receiving server refused it permanently (5xx)");
}

// A deferral's cause: the connect failure when no connection came up (schema 1.2), else the reply as written.
std::string deferredWhy(const QueueAction& q, Lang lang) {
    if (q.clientReason != ClientReason::None) return clientReasonText(q.clientReason, q.reason, lang);  // 1.3
    return q.failure == ConnectFailure::None ? q.reason : connectFailureText(q.failure, q.failureHost, q.reason, lang);
}

std::string queueZh(const QueueAction& q) {
    const std::string first = q.recipients.empty() ? std::string() : q.recipients.front();
    switch (q.action) {
    case QueueOp::Enqueued:
        return fmt::format("{} 入队：{}，发件人 <{}>，收件人 {}（远程：按 MX 查询转发）{}", q.queueId,
                           q.messageId.empty() ? "一封邮件" : q.messageId, q.reversePath, joined(q.recipients),
                           q.path.empty() ? "" : "；已写入磁盘 " + q.path);
    case QueueOp::Attempt:
        return (q.attempt <= 1 ? fmt::format("{} 第 1 次投递尝试", q.queueId)
                               : fmt::format("{} 重试：第 {} 次尝试（{} 个收件人待投递）", q.queueId, q.attempt, q.count)) +
               (q.alongTo.empty() ? "" : fmt::format("，提前于重试时间：它在等 {}，本轮队列正要连接该主机", q.alongTo));
    case QueueOp::Delivered: return fmt::format("{} 已投递给 {}（下一台服务器已接手负责）", q.queueId, first);
    case QueueOp::Deferred:
        return fmt::format("{} 推迟：{} 个收件人仍待投递（{}）；第 {} 次尝试失败，{}后重试", q.queueId, q.count,
                           deferredWhy(q, Lang::Zh), q.attempt, retryIn(q.retryIn, Lang::Zh));
    case QueueOp::Bounced:
        return fmt::format("{} 退信，收件人 {}：{}；投递状态通知（RFC 3464）退回给 <{}>", q.queueId, joined(q.recipients),
                           bounceWhy(q, Lang::Zh), q.reversePath);
    case QueueOp::BounceDropped:
        return fmt::format("{} 投递给 {} 失败；它本身就是退信（反向路径 <>），所以不再发通知，直接丢弃", q.queueId,
                           joined(q.recipients));
    case QueueOp::NoticeDropped: return fmt::format("退信通知无法投递：本机没有邮箱 {}；已丢弃", first);
    case QueueOp::Removed: return fmt::format("{} 已移出队列（没有待投递的收件人了）", q.queueId);
    case QueueOp::Survived: return fmt::format("队列保存在持久存储上：{} 封邮件在崩溃后保留", q.count);
    case QueueOp::Lost: return fmt::format("队列只在内存中：{} 封邮件在崩溃中丢失", q.count);
    case QueueOp::Reloaded:
        return fmt::format("{} 重启后从 {} 重新载入：发件人 <{}>，{} 个收件人待投递，已尝试 {} 次；立即到期", q.queueId,
                           q.path, q.reversePath, q.count, q.attempt);
    case QueueOp::NotQueued: return "未能入队：" + q.reason;
    case QueueOp::Abandoned: return fmt::format("{} 的投递尝试因关机而放弃；邮件仍留在磁盘队列中", q.queueId);
    case QueueOp::DomainFallback:
        return fmt::format("场景的 dns 中没有 {} 的 MX 记录：{} 拥有该域", q.domain, q.alongTo);
    }
    return q.queueId;
}

std::string queueEn(const QueueAction& q) {
    const std::string first = q.recipients.empty() ? std::string() : q.recipients.front();
    switch (q.action) {
    case QueueOp::Enqueued:
        return fmt::format("{} enqueued {} from <{}> for {} (remote: relay by MX look-up){}", q.queueId,
                           q.messageId.empty() ? "a message" : q.messageId, q.reversePath, joined(q.recipients),
                           q.path.empty() ? "" : "; on disk in " + q.path);
    case QueueOp::Attempt:
        return (q.attempt <= 1 ? fmt::format("{} delivery attempt 1", q.queueId)
                               : fmt::format("{} retry: attempt {} ({} recipient{} pending)", q.queueId, q.attempt,
                                             q.count, plural(q.count))) +
               (q.alongTo.empty() ? ""
                                  : fmt::format(", ahead of its retry time: it waits for {}, to which this queue run "
                                                "connects now", q.alongTo));
    case QueueOp::Delivered:
        return fmt::format("{} delivered to {} (the next server took responsibility)", q.queueId, first);
    case QueueOp::Deferred:
        return fmt::format("{} deferred: {} recipient{} still pending ({}); attempt {} failed, retry in {}", q.queueId,
                           q.count, plural(q.count), deferredWhy(q, Lang::En), q.attempt, retryIn(q.retryIn, Lang::En));
    case QueueOp::Bounced:
        return fmt::format("{} bounced for {}: {}; a delivery-status notification (RFC 3464) goes back to <{}>",
                           q.queueId, joined(q.recipients), bounceWhy(q, Lang::En), q.reversePath);
    case QueueOp::BounceDropped:
        return fmt::format("{} failed for {}; it is itself a bounce (reverse-path <>), so no notification is sent - it "
                           "is dropped", q.queueId, joined(q.recipients));
    case QueueOp::NoticeDropped:
        return fmt::format("the notification cannot be delivered: no mailbox {} here; dropped", first);
    case QueueOp::Removed: return fmt::format("{} removed from the queue (nothing left to deliver)", q.queueId);
    case QueueOp::Survived:
        return fmt::format("the queue is on durable storage: {} message{} survive the crash", q.count, plural(q.count));
    case QueueOp::Lost:
        return fmt::format("the queue was in memory only: {} message{} lost in the crash", q.count, plural(q.count));
    case QueueOp::Reloaded:
        return fmt::format("{} reloaded from {} after a restart: from <{}>, {} recipient{} pending, {} attempt{} so far; "
                           "due at once", q.queueId, q.path, q.reversePath, q.count, plural(q.count), q.attempt,
                           plural(q.attempt));
    case QueueOp::NotQueued: return "not queued: " + q.reason;
    case QueueOp::Abandoned: return fmt::format("{} attempt abandoned at shutdown; it stays queued on disk", q.queueId);
    case QueueOp::DomainFallback:
        return fmt::format("no MX record for {} in the scenario's dns: {} has that domain", q.domain, q.alongTo);
    }
    return q.queueId;
}

std::string hopResult(const RelayHop& h, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (h.result) {
    case HopResult::Summary: {
        std::string detail;
        // The first failure's reply as written, or the client's own reason in `lang` (1.3).
        const std::string why =
            h.clientReason == ClientReason::None ? h.reason : clientReasonText(h.clientReason, h.reason, lang);
        if (h.refused + h.deferred > 0)
            detail = h.code ? fmt::format(fmt::runtime(zh ? "（{} {}）" : " ({} {})"), h.code, why)
                            : fmt::format(fmt::runtime(zh ? "（{}）" : " ({})"), why);
        return zh ? fmt::format("{} 个已投递，{} 个被拒，{} 个推迟{}", h.delivered, h.refused, h.deferred, detail)
                  : fmt::format("{} delivered, {} refused, {} deferred{}", h.delivered, h.refused, h.deferred, detail);
    }
    case HopResult::ConnectFailed:
        return (zh ? "连接失败：" : "connection failed: ") + connectFailureText(h.failure, h.failureHost, h.reason, lang);
    case HopResult::NxDomain: return zh ? "未发送：该域不存在（NXDOMAIN）" : "not sent: the domain does not exist (NXDOMAIN)";
    case HopResult::NoUsableMx: return zh ? "未发送：没有可用的 MX" : "not sent: no usable MX";
    case HopResult::Loop: return zh ? "未发送：MX 指回本机（环路）" : "not sent: the MX points back to this host (loop)";
    case HopResult::NoReply: return zh ? "未按时应答：连接已关闭" : "no reply in time: connection closed";
    case HopResult::Connecting:
        return zh ? fmt::format("正在连接 {}:{}（MX 优先级 {}）", h.address, h.port, h.preference)
                  : fmt::format("connecting to {}:{} (MX preference {})", h.address, h.port, h.preference);
    }
    return {};
}

std::string fault(const Fault& f, Lang lang) {
    const bool zh = lang == Lang::Zh;
    const Micros minutes = f.downFor / kMinute;
    const std::string span = !f.until ? std::string()
                             : zh     ? fmt::format("，持续 {} 分钟", minutes)
                                      : fmt::format(" for {} minutes", minutes);
    switch (f.kind) {
    case FaultKind::HostDown:
        return zh ? fmt::format("{} 宕机{}（断电：连接被重置，不再应答）", f.host, span)
                  : fmt::format("{} goes down{} (powered off: its connections are reset, it answers nothing)", f.host, span);
    case FaultKind::LinkDown:
        return zh ? fmt::format("{} 的网络链路中断{}（主机仍在运行，但无法到达）", f.host, span)
                  : fmt::format("the network link of {} goes down{} (the host keeps running, unreachable)", f.host, span);
    case FaultKind::Crash:
        return zh ? fmt::format("{} 崩溃{}", f.host, f.until ? span : "并立即重启")
                  : fmt::format("{} crashes{}", f.host, f.until ? span : " and restarts at once");
    case FaultKind::HostUp:
        return zh ? fmt::format("{} 恢复运行（已重启；立即处理队列）", f.host)
                  : fmt::format("{} is back up (restarted; it runs its queue at once)", f.host);
    case FaultKind::LinkUp:
        return zh ? fmt::format("{} 的网络链路恢复", f.host) : fmt::format("the network link of {} is back up", f.host);
    case FaultKind::ConnectionReset: {
        const std::string_view why = f.cause == FaultKind::LinkDown ? (zh ? "链路中断" : "link down")
                                     : f.cause == FaultKind::Crash  ? (zh ? "崩溃" : "crash")
                                                                    : (zh ? "主机宕机" : "host down");
        return zh ? fmt::format("连接 {} -> {} 被重置（{}）", f.host, f.peer, why)
                  : fmt::format("connection {} -> {} reset ({})", f.host, f.peer, why);
    }
    }
    return f.host;
}

std::string dnsAnswer(const DnsAnswer& a, Lang lang) {
    const bool zh = lang == Lang::Zh;
    const std::string name = util::domainBothForms(a.name);  // IDNA: U-label and A-label side by side
    if (a.nxdomain) return zh ? fmt::format("NXDOMAIN：{} 不存在", name) : fmt::format("NXDOMAIN: {} does not exist", name);
    if (a.records.empty())
        return zh ? fmt::format("{} 没有 {} 记录", name, enumName(a.type))
                  : fmt::format("no {} record for {}", enumName(a.type), name);
    std::string out;
    for (const auto& r : a.records) {
        if (!out.empty()) out += ", ";
        if (r.type == DnsType::A) {
            out += "A " + r.address;
            if (a.implicitMx)
                out += zh ? "（没有 MX：使用该域自己的地址，RFC 5321 5.1）" : " (no MX: the domain's own address is used, RFC 5321 5.1)";
            continue;
        }
        out += fmt::format("MX {} {}", r.preference, r.host);
        out += !r.address.empty() ? fmt::format(fmt::runtime(zh ? "（{}）" : " ({})"), r.address)
               : zh               ? "（无 A 记录：跳过）"
                                  : " (no A record: skipped)";
    }
    return out;
}

std::string tls(const TlsHandshake& t, bool ok, Lang lang) {
    const bool zh = lang == Lang::Zh;
    if (!ok) return t.error;
    std::string out = t.version + " " + t.cipher;
    if (!t.peerSubject.empty()) {
        const std::string verified = t.side != TlsSide::Client ? ""
                                     : zh                      ? (t.verified ? "，已验证" : "，未验证")
                                                               : (t.verified ? ", verified" : ", NOT verified");
        out += zh ? fmt::format("（证书 {}，签发者 {}{}）", t.peerSubject, t.peerIssuer, verified)
                  : fmt::format(" (certificate {}, issued by {}{})", t.peerSubject, t.peerIssuer, verified);
    }
    return out;
}

std::string closed(const Connection& c, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (c.reason) {
    case CloseReason::None: return zh ? "已关闭" : "closed";
    case CloseReason::ClientClosed: return zh ? "客户端关闭了连接" : "the client closed the connection";
    case CloseReason::ServerClosed: return zh ? "服务器关闭了连接" : "the server closed the connection";
    case CloseReason::ConnectFailed:
        return (zh ? "连接失败：" : "connection failed: ") + connectFailureText(c.failure, c.failureHost, c.detail, lang);
    case CloseReason::TlsUnavailable: return zh ? "连接已关闭：TLS 不可用" : "connection closed: TLS is not available";
    case CloseReason::WriteFailed: return (zh ? "写入失败：" : "write failed: ") + c.detail;
    case CloseReason::ConnectionLost:
        return (zh ? "连接丢失" : "connection lost") + (c.detail.empty() ? "" : (zh ? "：" : ": ") + c.detail);
    case CloseReason::Shutdown: return zh ? "服务器关闭" : "server shutdown";
    case CloseReason::ShutdownUnflushed: return zh ? "服务器关闭（输出未能及时发出）" : "server shutdown (output not flushed in time)";
    case CloseReason::TooManyConnections:
        return zh ? fmt::format("{} 的连接过多", c.detail) : "too many connections: " + c.detail;
    case CloseReason::LoginDeadline: return zh ? "登录期限已过" : "login deadline";
    case CloseReason::CommandDeadline: return zh ? "命令未在期限内完成" : "command deadline";
    }
    return {};
}

std::string opened(const Connection& c, Lang lang) {
    return fmt::format("{} -> {}{}", endpointText(c.client, c.clientEndpoint), endpointText(c.server, c.serverEndpoint),
                       !c.implicitTls ? "" : lang == Lang::Zh ? "（隐式 TLS）" : " (implicit TLS)");
}

std::string handover(const Handover& h, Lang lang) {
    return lang == Lang::Zh ? fmt::format("网关：邮件在这里离开 SMTP 世界，作为一条帖子交给“{}”系统的 {}", h.system, h.mailbox)
                            : fmt::format("gateway: the message leaves the SMTP world here and is handed to the {} system "
                                          "as a post in {}", h.system, h.mailbox);
}

}  // namespace

std::string_view label(QueueOp op, Lang lang) {
    if (lang == Lang::En) return enumName(op);
    static constexpr std::string_view kZh[] = {"入队", "尝试", "已投递", "推迟", "退信", "丢弃退信", "丢弃通知",
                                               "移出队列", "保留", "丢失", "重新载入", "未入队", "放弃", "按域转交"};
    return kZh[static_cast<std::size_t>(op)];
}

std::string_view label(FaultKind kind, Lang lang) {
    if (lang == Lang::En) return enumName(kind);
    static constexpr std::string_view kZh[] = {"宕机", "恢复", "链路中断", "链路恢复", "崩溃", "连接重置"};
    return kZh[static_cast<std::size_t>(kind)];
}

std::string_view label(TlsSide side, Lang lang) {
    if (lang == Lang::En) return enumName(side);
    return side == TlsSide::Client ? "客户端" : "服务器";
}

std::string describe(const Event& e, Lang lang) {
    const bool zh = lang == Lang::Zh;
    if (const auto* c = e.as<StoreChange>()) return store(*c, lang);
    if (const auto* q = e.as<QueueAction>()) return zh ? queueZh(*q) : queueEn(*q);
    if (const auto* h = e.as<RelayHop>()) return fmt::format(fmt::runtime(zh ? "{}：{} -> {}：{}" : "{}: {} -> {}: {}"), h->messageId, h->from, h->to, hopResult(*h, lang));
    if (const auto* f = e.as<Fault>()) return fault(*f, lang);
    if (const auto* d = e.as<DnsQuery>()) return fmt::format("{} {}", enumName(d->type), util::domainBothForms(d->name));
    if (const auto* a = e.as<DnsAnswer>()) return dnsAnswer(*a, lang);
    if (const auto* t = e.as<TlsHandshake>()) return tls(*t, e.ok, lang);
    if (const auto* h = e.as<Handover>()) return handover(*h, lang);
    if (const auto* c = e.as<Connection>())
        return e.kind == EventKind::ConnectionOpened ? opened(*c, lang) : closed(*c, lang);
    if (const auto* x = e.as<Explanation>()) return explain(*x, lang);
    if (const auto* r = e.as<ErrorReport>()) return errorText(*r, lang);
    if (const auto* c = e.as<ExpectationCheck>()) return expectedText(*c, lang);
    if (const auto* n = e.as<Narration>(); n && zh && !n->zh.empty()) return n->zh;
    return e.text;
}

std::string renderEvent(const Trace& trace, const Event& e, const RenderOptions& options) {
    const bool zh = options.lang == Lang::Zh;
    const std::string body = describe(e, options.lang);
    switch (e.kind) {
    case EventKind::Line: return (e.direction == Direction::ServerToClient ? "S: " : "C: ") + e.text;
    case EventKind::TlsHandshake: {
        const auto* t = e.as<TlsHandshake>();
        const std::string_view side = t ? label(t->side, options.lang) : std::string_view();
        if (zh) return fmt::format("   [TLS] {}握手{}：{}", side, e.ok ? "完成" : "失败", body);
        return fmt::format("   [tls] {} handshake {}: {}", side, e.ok ? "done" : "failed", body);
    }
    case EventKind::TlsRecords: return {};  // ciphertext: the transcript shows the plaintext Lines instead
    case EventKind::StateChanged:
        if (!options.states) return {};
        return zh ? fmt::format("   [{} {} -> {}]（起因：{}）", e.machine, e.fromState, e.toState, e.text)
                  : fmt::format("   [{} {} -> {}] ({})", e.machine, e.fromState, e.toState, e.text);
    case EventKind::StoreChanged: return (zh ? "   [存储] " : "   [store] ") + body;
    case EventKind::Note:
        if (e.machine == kCheckpointMachine) return (zh ? "   == 检查点：" : "   == checkpoint: ") + e.text;
        return "   # " + body;
    case EventKind::Handover: return "   # " + body;
    case EventKind::Error: return "   !! " + body;
    case EventKind::Expectation:
        if (e.ok) return {};
        return fmt::format(fmt::runtime(zh ? "   !! 预期 {}，实际 {}" : "   !! expected {}, got {}"), expectedText(e, options.lang),
                           gotText(e, options.lang));
    case EventKind::ConnectionOpened: {
        const SessionInfo* s = trace.session(e.session);
        return fmt::format(fmt::runtime(zh ? "   [{} 连接已建立] {}" : "   [{} connection opened] {}"), s ? s->protocol : "tcp", body);
    }
    case EventKind::ConnectionClosed: return (zh ? "   [连接已关闭] " : "   [connection closed] ") + body;
    case EventKind::DnsQuery: {
        const auto* d = e.as<DnsQuery>();
        const std::string host = d ? d->host : std::string();
        return zh ? fmt::format("   [DNS] {} 查询：{}", host, body) : fmt::format("   [dns] {} asks: {}", host, body);
    }
    case EventKind::DnsAnswer: return (zh ? "   [DNS] 应答：" : "   [dns] answer: ") + body;
    case EventKind::QueueAction: {
        const auto* q = e.as<QueueAction>();
        std::string line = fmt::format(fmt::runtime(zh ? "   [队列 {}] {}" : "   [queue {}] {}"), q ? q->host : std::string(), body);
        if (q && q->nextRetry)
            line += fmt::format(fmt::runtime(zh ? "（下次重试 {}）" : " (next retry {})"), util::isoTime(*q->nextRetry));
        return line;
    }
    case EventKind::RelayHop: return (zh ? "   [转发] " : "   [relay hop] ") + body;
    case EventKind::FaultInjected: return (zh ? "   [故障] " : "   [fault] ") + body;
    }
    return body;
}

std::string shortLabel(const Event& e, Lang lang) {
    const bool zh = lang == Lang::Zh;
    if (const auto* c = e.as<StoreChange>()) {
        static constexpr std::string_view kEn[] = {"appended", "flags", "expunged", "copied", "moved out", "created",
                                                   "deleted", "renamed"};
        static constexpr std::string_view kZh[] = {"已存入", "标记", "已删除", "已复制", "已移出", "已创建",
                                                   "已删除", "已重命名"};
        const std::string_view action = (zh ? kZh : kEn)[static_cast<std::size_t>(c->action)];
        if (c->uid == 0) return fmt::format("{} {} {}", c->user, c->folder, action);
        return fmt::format("{} {} uid {} {}", c->user, c->folder, c->uid, action);
    }
    if (const auto* h = e.as<RelayHop>()) return fmt::format("{}  {}", hopResult(*h, lang), h->messageId);
    return describe(e, lang);
}

std::string sessionHeader(const SessionInfo& s, Lang lang) {
    return lang == Lang::Zh ? fmt::format("--- 会话 {}：{}，{} -> {} ---", s.id, s.protocol, s.client, s.server)
                            : fmt::format("--- session {}: {}, {} -> {} ---", s.id, s.protocol, s.client, s.server);
}

}  // namespace mailsim::trace
