#include "sim/world/Relay.hpp"

#include "i18n/Duration.hpp"
#include "sim/world/ClientWiring.hpp"

#include "mta/TraceHeaders.hpp"
#include "trace/Errors.hpp"
#include "smtp/SmtpClientSession.hpp"
#include "util/DateTime.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mailsim::sim {

struct RelayNetwork::HostMta {
    const HostSpec* spec = nullptr;
    mta::MtaQueue queue;
    std::set<std::string> inFlight;       // queue ids with an attempt in progress
    std::optional<trace::Micros> timerAt; // the pending queue-run timer
    std::uint64_t timerGeneration = 0;
    std::uint64_t dsnCounter = 0;
    // Queue id -> next hops that deferred it (no connection, or 4xx): when a queue run opens a connection to one of
    // them, the message goes along ahead of its retry time (as Exim's "waiting-for" hints do).
    std::map<std::string, std::set<std::string>> waitingFor;
};

// One delivery attempt of one queued message: domain by domain, MX by MX.
struct RelayNetwork::Attempt {
    HostMta* mta = nullptr;
    std::string host;
    std::string id;
    std::string messageId;
    std::string reversePath;
    std::string content;
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // domain -> recipients
    std::size_t group = 0;
    std::vector<MxTarget> targets;
    std::size_t target = 0;
    // Why the last target could not take the mail: it could not be reached, or its reply deferred every recipient.
    Unreachable lastUnreachable;
    std::string lastReply;
    std::vector<mta::AttemptResult> results;
    trace::EventId cause = trace::kNoCause;
};

// Runs `f`; the hops its attempts want are gathered (tryTarget) and opened afterwards, one connection per next hop.
// Connection reuse: once a hop is known to be reachable, the messages of the same MTA that wait for that host (it
// deferred them before) go along on the same connection, ahead of their retry time.
template <typename F>
void RelayNetwork::batched(F&& f) {
    if (m_batching) return f();
    m_batching = true;
    f();
    for (std::size_t i = 0; i < m_batches.size(); ++i) {  // take-alongs may add batches: they are checked in turn
        m_batches[i].why = hopFailure(m_batches[i].from, m_batches[i].to);
        if (m_batches[i].why) continue;
        const std::string from = m_batches[i].from, to = m_batches[i].to;
        HostMta& mta = *m_mtas.at(from);
        for (const auto& [id, hosts] : std::map(mta.waitingFor))
            if (hosts.contains(to) && !mta.inFlight.contains(id) && mta.queue.find(id)) startAttempt(mta, id, to);
    }
    m_batching = false;
    auto batches = std::exchange(m_batches, {});
    for (auto& batch : batches) openHop(batch.from, batch.to, std::move(batch.attempts), batch.why);
}

RelayNetwork::RelayNetwork(const Scenario& sc, Scheduler& scheduler, VirtualNetwork& network, trace::Trace& trace,
                           RelayHooks hooks)
    : m_sc(sc), m_sched(scheduler), m_net(network), m_trace(trace), m_hooks(std::move(hooks)), m_dns(sc, network) {
    for (const auto& h : sc.hosts) {
        if (!h.smtp) continue;
        auto mta = std::make_unique<HostMta>();
        mta->spec = &h;
        mta::QueuePolicy policy;
        if (!h.queue.retry.empty()) policy.retry = h.queue.retry;
        if (h.queue.lifetime) policy.lifetime = *h.queue.lifetime;
        policy.durable = h.queue.durable;
        // Queue ids carry the host's first letters so two hosts' ids differ in a shared trace.
        std::string prefix;
        for (char c : h.name.substr(0, h.name.find('.') == std::string::npos ? h.name.size() : h.name.find('.')))
            if (std::isalnum(static_cast<unsigned char>(c)) && prefix.size() < 6) prefix += static_cast<char>(std::toupper(c));
        mta->queue = mta::MtaQueue(policy, prefix + "-");
        m_mtas.emplace(h.name, std::move(mta));
    }
}

RelayNetwork::~RelayNetwork() = default;

std::size_t RelayNetwork::queued() const {
    std::size_t n = 0;
    for (const auto& [name, m] : m_mtas) n += m->queue.size();
    return n;
}

trace::EventId appendQueueEvent(trace::Trace& trace, trace::Micros now, trace::QueueAction action, trace::EventId cause) {
    return trace::Recorder(&trace, trace::kNoSession).queueAction(now, std::move(action), cause);
}

trace::EventId appendHopEvent(trace::Trace& trace, trace::Micros now, trace::RelayHop hop, trace::EventId cause) {
    return trace::Recorder(&trace, trace::kNoSession).relayHop(now, std::move(hop), cause);
}

trace::RelayHop HopSummary::hopOf(const std::string& messageId, const std::string& from) const {
    trace::RelayHop h = hop;
    h.messageId = messageId;
    h.from = from;
    return h;
}

void pruneSelfFromMx(std::vector<MxTarget>& targets, const std::string& self) {
    auto it = std::ranges::find(targets, self, &MxTarget::host);
    if (it == targets.end()) return;
    int pref = it->preference;
    std::erase_if(targets, [pref](const MxTarget& t) { return t.preference >= pref; });
    if (targets.empty()) targets.push_back(MxTarget{pref, self, {}});
}

AttemptPlan planAttempt(const mta::QueuedMessage& m, const std::string& id) {
    AttemptPlan plan;
    plan.messageId = mta::messageIdOf(m.content);
    if (plan.messageId.empty()) plan.messageId = id;
    std::vector<std::string> pending;
    for (const auto& r : m.recipients)
        if (r.state == mta::RecipientState::Pending) pending.push_back(r.address);
    plan.groups = mta::groupByDomain(pending);
    plan.action.action = trace::QueueOp::Attempt;
    plan.action.queueId = id;
    plan.action.attempt = static_cast<std::uint64_t>(m.attempts) + 1;
    plan.action.count = pending.size();
    return plan;
}

HopSummary summarizeHop(const smtp::MessageResult& message, const std::string& targetHost) {
    HopSummary s;
    const auto& results = message.recipients;
    s.allTemporary = std::ranges::all_of(results, [](const smtp::RecipientResult& r) {
        return r.status != smtp::DeliveryStatus::Delivered && r.status != smtp::DeliveryStatus::PermFailed;
    });
    s.hop.to = targetHost;
    bool first = true;
    for (const auto& r : results) {
        (r.status == smtp::DeliveryStatus::Delivered    ? s.hop.delivered
         : r.status == smtp::DeliveryStatus::PermFailed ? s.hop.refused
                                                        : s.hop.deferred)++;
        if (r.status != smtp::DeliveryStatus::Delivered && first) {
            first = false;
            s.hop.code = r.code;
            s.hop.clientReason = r.reason;
            s.hop.reason = r.reason != trace::ClientReason::None ? r.detail
                           : r.code                              ? r.reply.substr(0, r.reply.find('\n'))
                                                                 : r.reply;
            s.detail = r.code ? fmt::format(" ({} {})", r.code, s.hop.reason) : " (" + r.reply + ")";
        }
        int code = r.code;
        // A permanent failure the client decided itself keeps code 0 when its text carries the status (5.6.7 for a
        // hop without SMTPUTF8): the DSN then says why, not "host X said".
        if (r.status == smtp::DeliveryStatus::PermFailed && code / 100 != 5 &&
            !(code == 0 && mta::enhancedStatusOf(r.reply).starts_with('5')))
            code = 554;
        if (r.status == smtp::DeliveryStatus::TempFailed && code / 100 != 4) code = 0;
        s.results.push_back(mta::AttemptResult{.recipient = r.recipient, .code = code, .reply = r.reply,
                                               .remoteMta = targetHost, .clientReason = r.reason,
                                               .clientDetail = r.detail});
    }
    return s;
}

mta::AttemptResult unreachedResult(const std::string& recipient, const Unreachable& why, const std::string& reply) {
    if (!why) return mta::AttemptResult{recipient, 0, reply, {}};
    return mta::AttemptResult{recipient, 0, trace::connectFailureText(why.failure, why.host, why.detail, i18n::Lang::En),
                              {}, why.failure, why.host, why.detail};
}

trace::RelayHop connectFailedHop(const std::string& messageId, const std::string& from, const std::string& to,
                                 const Unreachable& why) {
    return {.messageId = messageId, .from = from, .to = to, .result = trace::HopResult::ConnectFailed,
            .reason = why.detail, .failure = why.failure, .failureHost = why.host};
}

namespace {

void bounce(const AttemptReport& r, const mta::QueuedMessage& message, const std::vector<mta::QueuedRecipient>& failed,
            bool expired, std::uint64_t dsnNumber, const std::function<void(std::string, trace::EventId)>& enqueueDsn) {
    const std::string& host = r.host->name;
    trace::QueueAction q{.host = host, .action = trace::QueueOp::BounceDropped, .queueId = message.id,
                         .reversePath = message.reversePath};
    for (const auto& f : failed) q.recipients.push_back(f.address);
    if (message.reversePath.empty()) {  // RFC 5321 4.5.5, 6.1: never bounce a bounce
        appendQueueEvent(*r.trace, r.now, std::move(q), r.cause);
        return;
    }
    // The DSN's own text (message content, in English like the rest of the report); the trace gets the facts.
    // Code 0 with a 5.x.x text: this MTA decided it could never send (e.g. no SMTPUTF8 on the next hop).
    bool ownDecision = std::ranges::all_of(failed, [](const mta::QueuedRecipient& f) { return f.code == 0; });
    std::string reason = expired ? fmt::format("the message could not be delivered within the queue lifetime ({} hours)",
                                               r.policy->lifetime / mta::kHour)
                         : ownDecision && !failed.empty()
                             ? failed.front().reply.substr(std::min(failed.front().reply.size(),
                                                                    failed.front().reply.find(' ') + 1))
                             : "the receiving server refused it permanently (5xx)";
    q.action = trace::QueueOp::Bounced;
    q.bounce = expired ? trace::BounceReason::Expired : trace::BounceReason::Refused;
    if (!expired && ownDecision && !failed.empty() && mta::enhancedStatusOf(failed.front().reply) == "5.6.7") {
        q.bounce = trace::BounceReason::NoSmtpUtf8;  // the client's own decision (RFC 6531 3.7.5)
        q.alongTo = failed.front().remoteMta;
    }
    q.lifetimeHours = static_cast<std::uint64_t>(r.policy->lifetime / mta::kHour);
    const std::string& domain = r.host->domains.empty() ? host : r.host->domains.front();
    std::string dsn = mta::makeDsn(message, failed, mta::DsnInfo{host, domain, reason}, r.now, dsnNumber);
    auto ev = appendQueueEvent(*r.trace, r.now, std::move(q), r.cause);
    smtp::SmtpServerContext* ctx = r.context;
    std::string sender = auth::UserDirectory::canonical(message.reversePath);
    if (ctx && ctx->directory.isLocalDomain(auth::UserDirectory::domainOf(sender))) {
        if (!ctx->directory.findUser(sender) || !ctx->store) {
            appendQueueEvent(*r.trace, r.now, {.host = host, .action = trace::QueueOp::NoticeDropped, .recipients = {sender}}, ev);
            return;
        }
        auto res = ctx->store->deliver(sender, "INBOX", mta::returnPathHeader("") + dsn, r.now);
        if (res)
            trace::Recorder(r.trace, trace::kNoSession)
                .storeChanged(r.now, {.user = sender, .folder = "INBOX", .uid = res->uid, .action = trace::StoreAction::Appended,
                                      .size = res->size, .why = trace::StoreCause::Bounce, .fileId = res->storageId}, ev);
        return;
    }
    enqueueDsn(std::move(dsn), ev);  // RFC 5321 4.5.5: sent with the null reverse-path
}

}  // namespace

void reportAttempt(const AttemptReport& r, const mta::QueuedMessage& before, const mta::AttemptOutcome& out,
                   std::span<const mta::AttemptResult> results, std::uint64_t dsnNumber,
                   const std::function<void(std::string, trace::EventId)>& enqueueDsn) {
    const std::string& host = r.host->name;
    for (const auto& d : out.delivered)
        appendQueueEvent(*r.trace, r.now, {.host = host, .action = trace::QueueOp::Delivered, .queueId = before.id, .recipients = {d}},
                         r.cause);
    if (!out.deferred.empty()) {
        trace::QueueAction q{.host = host, .action = trace::QueueOp::Deferred, .queueId = before.id,
                             .attempt = static_cast<std::uint64_t>(before.attempts) + 1, .count = out.deferred.size(),
                             .nextRetry = out.nextAttempt, .retryIn = *out.nextAttempt - r.now};
        // Why: the first deferred recipient's reply as written, or the connect failure as typed facts.
        auto first = std::ranges::find_if(results, [&](const mta::AttemptResult& res) {
            return std::ranges::find(out.deferred, res.recipient) != out.deferred.end();
        });
        if (first != results.end() && first->failure != trace::ConnectFailure::None) {
            q.failure = first->failure;
            q.failureHost = first->failureHost;
            q.reason = first->failureDetail;
        } else if (first != results.end() && first->clientReason != trace::ClientReason::None) {
            q.clientReason = first->clientReason;
            q.reason = first->clientDetail;
        } else if (first != results.end()) {
            q.reason = first->code ? fmt::format("{} {}", first->code, first->reply.substr(0, first->reply.find('\n')))
                                   : first->reply;
        }
        appendQueueEvent(*r.trace, r.now, std::move(q), r.cause);
    }
    if (!out.failed.empty()) bounce(r, before, out.failed, out.expired, dsnNumber, enqueueDsn);
    if (out.finished)
        appendQueueEvent(*r.trace, r.now, {.host = host, .action = trace::QueueOp::Removed, .queueId = before.id}, r.cause);
}

trace::EventId RelayNetwork::queueEvent(const HostMta& mta, trace::QueueAction action, trace::EventId cause) {
    action.host = mta.spec->name;
    return appendQueueEvent(m_trace, now(), std::move(action), cause);
}

trace::EventId RelayNetwork::hopEvent(trace::RelayHop hop, trace::EventId cause) {
    return appendHopEvent(m_trace, now(), std::move(hop), cause);
}

trace::EventId RelayNetwork::faultEvent(trace::Fault fault) {
    return trace::Recorder(&m_trace, trace::kNoSession).fault(now(), std::move(fault));
}

smtp::RelayHandler RelayNetwork::handlerFor(const HostSpec& host) {
    HostMta* mta = m_mtas.at(host.name).get();
    return [this, mta](const smtp::RelayRequest& req) -> std::expected<std::string, std::string> {
        enqueue(*mta, req.reversePath, req.recipients, req.content, req.cause);
        return std::string("queued");
    };
}

void RelayNetwork::enqueue(HostMta& mta, std::string reversePath, const std::vector<std::string>& recipients,
                           std::string content, trace::EventId cause) {
    std::string messageId = mta::messageIdOf(content);
    std::string rp = reversePath;
    std::string id = mta.queue.enqueue(std::move(reversePath), recipients, std::move(content), now());
    queueEvent(mta, {.action = trace::QueueOp::Enqueued, .queueId = id, .messageId = messageId, .reversePath = rp,
                     .recipients = recipients}, cause);
    scheduleTimer(mta);
}

void RelayNetwork::scheduleTimer(HostMta& mta) {
    std::optional<trace::Micros> next;
    for (const auto& [id, m] : mta.queue.messages())
        if (!mta.inFlight.contains(id) && (!next || m.nextAttempt < *next)) next = m.nextAttempt;
    if (!next || (mta.timerAt && *mta.timerAt <= *next)) return;
    mta.timerAt = next;
    std::uint64_t generation = ++mta.timerGeneration;
    auto fire = [this, &mta, generation] {
        if (generation != mta.timerGeneration) return;  // superseded by an earlier timer
        mta.timerAt.reset();
        runQueue(mta);
    };
    // Due now: part of the current step's work. Later: a timer that fires only while virtual time passes.
    if (*next <= now()) m_sched.at(now(), fire);
    else m_sched.atBackground(*next, fire);
}

void RelayNetwork::runQueue(HostMta& mta) {
    if (m_hostDown.contains(mta.spec->name)) return;  // a host that is off runs nothing; it resumes when back up
    batched([&] {
        for (const auto& id : mta.queue.due(now()))
            if (!mta.inFlight.contains(id)) startAttempt(mta, id);
    });
    scheduleTimer(mta);
}

void RelayNetwork::startAttempt(HostMta& mta, const std::string& id, const std::string& alongTo) {
    const mta::QueuedMessage* m = mta.queue.find(id);
    if (!m) return;
    auto a = std::make_shared<Attempt>();
    a->mta = &mta;
    a->host = mta.spec->name;
    a->id = id;
    AttemptPlan plan = planAttempt(*m, id);
    a->messageId = std::move(plan.messageId);
    a->reversePath = m->reversePath;
    a->content = m->content;
    a->groups = std::move(plan.groups);
    mta.inFlight.insert(id);
    plan.action.alongTo = alongTo;
    a->cause = queueEvent(mta, std::move(plan.action));
    nextDomain(a);
}

void RelayNetwork::nextDomain(const std::shared_ptr<Attempt>& a) {
    if (a->group >= a->groups.size()) return finishAttempt(a);
    const auto& [domain, rcpts] = a->groups[a->group];
    MxAnswer answer = m_dns.resolveMx(domain, a->host, now(), m_trace, a->cause);
    a->targets = answer.targets;
    a->target = 0;
    pruneSelfFromMx(a->targets, a->host);  // RFC 5321 5.1; an MX pointing back here is reported as a loop below
    a->lastUnreachable = {};
    a->lastReply.clear();
    if (answer.nxdomain || answer.targets.empty()) {
        bool permanent = answer.nxdomain;
        for (const auto& r : rcpts)
            a->results.push_back(mta::AttemptResult{
                r, permanent ? 550 : 0,
                permanent ? fmt::format("5.1.2 <{}>: host or domain name not found (DNS: NXDOMAIN for {})", r, domain)
                          : fmt::format("4.4.3 no mail exchanger of {} has an address", domain),
                {}});
        hopEvent({.messageId = a->messageId, .from = a->host, .to = domain,
                  .result = permanent ? trace::HopResult::NxDomain : trace::HopResult::NoUsableMx}, a->cause);
        ++a->group;
        return nextDomain(a);
    }
    tryTarget(a);
}

Unreachable RelayNetwork::unreachable(const std::string& from, const std::string& to) {
    using trace::ConnectFailure;
    if (m_hostDown.contains(to)) return {ConnectFailure::HostDown, to, {}};
    if (m_linkDown.contains(to)) return {ConnectFailure::LinkDown, to, {}};
    if (m_linkDown.contains(from)) return {ConnectFailure::LinkDown, from, {}};
    const LinkConfig& link = m_net.link();
    if (link.loss > 0 && static_cast<double>(m_sched.uniform(0, 999'999)) < link.loss * 1'000'000)
        return {ConnectFailure::PacketLoss, {}, {}};
    return {};
}

void RelayNetwork::tryTarget(const std::shared_ptr<Attempt>& a) {
    const auto& rcpts = a->groups[a->group].second;
    if (a->target >= a->targets.size()) {  // every MX failed: try again later (RFC 5321 4.5.4.1)
        for (const auto& r : rcpts) a->results.push_back(unreachedResult(r, a->lastUnreachable, a->lastReply));
        ++a->group;
        return nextDomain(a);
    }
    const MxTarget& t = a->targets[a->target];
    if (t.host == a->host) {
        // RFC 5321 5.1: a host that finds itself in the MX list must not send to itself (the mail would loop).
        for (const auto& r : rcpts)
            a->results.push_back(mta::AttemptResult{
                r, 554, fmt::format("5.4.6 mail for {} loops back to myself (the MX record names this host)", a->groups[a->group].first),
                t.host});
        hopEvent({.messageId = a->messageId, .from = a->host, .to = t.host, .result = trace::HopResult::Loop}, a->cause);
        ++a->group;
        return nextDomain(a);
    }
    if (m_batching) {  // a queue run: messages for the same next hop share one connection (see batched)
        auto it = std::ranges::find_if(m_batches, [&](const Batch& b) { return b.from == a->host && b.to == t.host; });
        if (it == m_batches.end()) m_batches.push_back(Batch{a->host, t.host, {a}, {}});
        else it->attempts.push_back(a);
        return;
    }
    openHop(a->host, t.host, {a});
}

// One SMTP connection from `from` to the next hop `to` carrying the current domain group of every attempt: one mail
// transaction per message (RFC 5321 3.3: MAIL, RCPT..., DATA; several transactions on one connection), then QUIT.
// With `tls: { starttls: true }` on the next hop the sending MTA uses STARTTLS opportunistically (RFC 3207: it goes
// on in plaintext when the server does not offer it or refuses it).
Unreachable RelayNetwork::hopFailure(const std::string& from, const std::string& to) {
    smtp::SmtpServerContext* ctx = m_hooks.context(to);
    const HostSpec* target = m_sc.findHost(to);
    if (!ctx || !target || !target->smtp || target->smtp->port == 0)
        return {trace::ConnectFailure::NoSmtpService, to, {}};
    return unreachable(from, to);
}

void RelayNetwork::openHop(const std::string& from, const std::string& to, std::vector<std::shared_ptr<Attempt>> attempts,
                           std::optional<Unreachable> failure) {
    const HostSpec* target = m_sc.findHost(to);
    const Unreachable why = failure ? *failure : hopFailure(from, to);
    if (why) {
        for (const auto& a : attempts) {
            a->mta->waitingFor[a->id].insert(to);
            a->lastUnreachable = why;
            a->lastReply.clear();
            hopEvent(connectFailedHop(a->messageId, a->host, to, why), a->cause);
        }
        m_sched.after(kConnectTimeout, [this, attempts] {
            batched([&] {
                for (const auto& a : attempts) {
                    ++a->target;
                    tryTarget(a);
                }
            });
        });
        return;
    }
    ConnectionSpec spec;
    spec.from = from;
    spec.to = to;
    spec.port = target->smtp->port;
    RelayConnection rc = m_hooks.open(spec);
    track(from, to, rc.conn);
    smtp::SmtpClientConfig config;
    config.heloName = from;
    if (target->tls.starttls && rc.tls) config.tls = util::ClientTls::Opportunistic;
    std::vector<smtp::OutgoingMessage> messages;
    for (const auto& a : attempts) messages.push_back(smtp::OutgoingMessage{a->reversePath, a->groups[a->group].second, a->content});
    if (attempts.size() > 1)
        trace::Recorder(&m_trace, rc.session)
            .explain(now(), {.id = trace::NoteId::RelaySharedConnection, .names = {to}, .numbers = {attempts.size()}});
    // The server records the dialogue; the client records only its own state machine, so each line appears once.
    auto client = std::make_shared<smtp::SmtpClientSession>(
        config, std::move(messages), trace::Recorder(&m_trace, rc.session, trace::Recorder::Scope::States));
    auto finished = std::make_shared<bool>(false);
    auto done = [this, attempts, client, rc, finished, host = to] {
        if (std::exchange(*finished, true)) return;
        // Break the handlers' reference cycles once the last bytes (QUIT, 221, FIN) have crossed.
        m_sched.after(kConnectTimeout, [this, rc] { m_hooks.close(rc); });
        batched([&] {
            for (std::size_t i = 0; i < attempts.size(); ++i) {
                std::vector<smtp::RecipientResult> results;
                if (i < client->results().size()) results = client->results()[i].recipients;
                for (const auto& r : attempts[i]->groups[attempts[i]->group].second)
                    if (std::ranges::find(results, r, &smtp::RecipientResult::recipient) == results.end())
                        results.push_back(smtp::RecipientResult{
                            r, smtp::DeliveryStatus::TempFailed, 0,
                            smtp::clientReasonWords(trace::ClientReason::ClosedEarly, {}),
                            trace::ClientReason::ClosedEarly, {}});
                hopDone(attempts[i], host, results);
            }
        });
    };
    wireClient(m_sched, rc.conn, rc.tls, client, done);
}

void RelayNetwork::hopDone(const std::shared_ptr<Attempt>& a, const std::string& host,
                           const std::vector<smtp::RecipientResult>& results) {
    ++m_hops;
    HopSummary hop = summarizeHop(smtp::MessageResult{results}, host);
    hopEvent(hop.hopOf(a->messageId, a->host), a->cause);
    const bool deferred = std::ranges::any_of(results, [](const smtp::RecipientResult& r) {
        return r.status != smtp::DeliveryStatus::Delivered && r.status != smtp::DeliveryStatus::PermFailed;
    });
    if (deferred) a->mta->waitingFor[a->id].insert(host);
    else a->mta->waitingFor[a->id].erase(host);
    if (hop.allTemporary && a->target + 1 < a->targets.size()) {  // RFC 5321 5.1: try the next MX
        a->lastUnreachable = {};
        a->lastReply = hop.detail;
        ++a->target;
        return tryTarget(a);
    }
    a->results.insert(a->results.end(), hop.results.begin(), hop.results.end());
    ++a->group;
    nextDomain(a);
}

void RelayNetwork::finishAttempt(const std::shared_ptr<Attempt>& a) {
    HostMta& mta = *a->mta;
    mta.inFlight.erase(a->id);
    const mta::QueuedMessage* queued = mta.queue.find(a->id);
    if (!queued) {  // lost while the attempt ran (crash of a non-durable queue)
        mta.waitingFor.erase(a->id);
        scheduleTimer(mta);
        return;
    }
    mta::QueuedMessage before = *queued;
    mta::AttemptOutcome out = mta.queue.recordAttempt(a->id, a->results, now());
    AttemptReport report{mta.spec, &mta.queue.policy(), m_hooks.context(mta.spec->name), &m_trace, now(), a->cause};
    reportAttempt(report, before, out, a->results, out.failed.empty() ? 0 : ++mta.dsnCounter,
                  [this, &mta, &before](std::string dsn, trace::EventId cause) {
                      enqueue(mta, "", {before.reversePath}, std::move(dsn), cause);
                  });
    if (out.finished) mta.waitingFor.erase(a->id);
    scheduleTimer(mta);
}

void RelayNetwork::track(const std::string& from, const std::string& to, const std::shared_ptr<VirtualConnection>& conn) {
    std::erase_if(m_connections, [](const Tracked& t) { return t.conn.expired(); });
    m_connections.push_back(Tracked{from, to, conn});
}

void RelayNetwork::resetConnections(const std::string& host, trace::FaultKind why) {
    for (auto& t : m_connections) {
        if (t.from != host && t.to != host) continue;
        auto conn = t.conn.lock();
        if (!conn || conn->isReset() || (conn->closedBy(VirtualConnection::Client) && conn->closedBy(VirtualConnection::Server)))
            continue;
        faultEvent({.kind = trace::FaultKind::ConnectionReset, .host = t.from, .peer = t.to, .cause = why});
        conn->reset();
    }
}

void RelayNetwork::injectFault(const FaultStep& f) {
    const std::string& host = f.host;
    int generation = ++m_faultGeneration[host];
    auto mtaIt = m_mtas.find(host);
    HostMta* mta = mtaIt == m_mtas.end() ? nullptr : mtaIt->second.get();
    auto loseState = [&] {
        if (!mta) return;
        if (mta->queue.policy().durable) {
            if (mta->queue.size())
                queueEvent(*mta, {.action = trace::QueueOp::Survived, .count = mta->queue.size()});
            return;
        }
        std::size_t lost = mta->queue.clear();
        mta->inFlight.clear();
        mta->waitingFor.clear();
        queueEvent(*mta, {.action = trace::QueueOp::Lost, .count = lost});
    };
    auto restore = [this, host, generation, mta](bool link) {
        if (m_faultGeneration[host] != generation) return;  // a later fault took over
        (link ? m_linkDown : m_hostDown).erase(host);
        faultEvent({.kind = link ? trace::FaultKind::LinkUp : trace::FaultKind::HostUp, .host = host});
        if (mta) m_sched.at(now(), [this, mta] { runQueue(*mta); });
    };
    auto fault = [&](trace::FaultKind kind) {
        trace::Fault out{.kind = kind, .host = host};
        if (f.downFor) {
            out.until = now() + *f.downFor;
            out.downFor = *f.downFor;
        }
        return out;
    };
    switch (f.kind) {
    case FaultKind::HostDown:
        m_hostDown.insert(host);
        faultEvent(fault(trace::FaultKind::HostDown));
        resetConnections(host, trace::FaultKind::HostDown);
        loseState();
        if (f.downFor) m_sched.atBackground(now() + *f.downFor, [restore] { restore(false); });
        break;
    case FaultKind::LinkDown:
        m_linkDown.insert(host);
        faultEvent(fault(trace::FaultKind::LinkDown));
        resetConnections(host, trace::FaultKind::LinkDown);
        if (f.downFor) m_sched.atBackground(now() + *f.downFor, [restore] { restore(true); });
        break;
    case FaultKind::Crash:
        faultEvent(fault(trace::FaultKind::Crash));
        resetConnections(host, trace::FaultKind::Crash);
        loseState();
        if (f.downFor) {
            m_hostDown.insert(host);
            m_sched.atBackground(now() + *f.downFor, [restore] { restore(false); });
        } else if (mta) {
            m_sched.at(now(), [this, mta] { runQueue(*mta); });
        }
        break;
    }
}

}  // namespace mailsim::sim
