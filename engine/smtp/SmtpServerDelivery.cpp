// SmtpServerSession, part 4: the end of a message - the checks at the final dot, the store request the session
// parks on (park-and-resume, store/StoreRequest.hpp), and the answer once the transport completed it (RFC 5321
// 4.1.1.4: 250 only when the message is durable for every recipient; 4.2.3: 452/450/451 otherwise).
#include "smtp/SmtpServerSession.hpp"

#include "mta/TraceHeaders.hpp"

#include <fmt/format.h>

namespace mailsim::smtp {

using trace::EventId;
using trace::Micros;

void SmtpServerSession::finishMessage(Micros now, EventId cause) {
    const auto& cfg = m_ctx.config;
    if (m_untracedLines > 0)
        m_rec.explain(now,
                      {.id = trace::NoteId::ContentNotRecorded,
                       .numbers = {m_untracedLines, m_untracedOctets, cfg.traceContentLines, cfg.traceContentOctets}},
                      cause);
    auto done = [&](ReplyId id, const ReplyArgs& args) { endMessage(id, args, now, cause); };
    if (m_bareLf || m_bareCr)
        m_rec.explain(now,
                      {.id = cfg.lenient ? trace::NoteId::BareLineEndStored : trace::NoteId::BareLineEndRefused,
                       .names = {m_bareLf ? "LF" : "CR"}},
                      cause);
    if (applyRule("DOT", m_reversePath, {}, now, cause)) {
        if (!closed()) transition(SmtpInput::EndOfData, now, cause);
        resetTransaction();
        return;
    }
    if (m_contentSize > cfg.maxMessageSize) return done(ReplyId::MessageTooBig, {{"limit", std::to_string(cfg.maxMessageSize)}});
    if (!cfg.lenient && (m_bareLf || m_bareCr)) return done(ReplyId::BareLineEnding, {{"what", m_bareLf ? "LF" : "CR"}});
    if (!cfg.lenient && m_longDataLine) return done(ReplyId::DataLineTooLong, {{"limit", std::to_string(kMaxTextLine)}});
    if (!m_ctx.store) return done(ReplyId::NoStore, {});

    if (int hops = mta::countReceived(m_content); hops >= mta::kMaxHops)
        return done(ReplyId::LoopDetected, {{"hops", std::to_string(hops)}});

    // RFC 5321 4.4: Received at every hop; Return-Path only where the mail reaches its mailbox.
    m_received = receivedField(now);
    m_parkCause = cause;
    m_parkedFor = ParkedFor::Delivery;
    store::DeliveryRequest request;
    request.internalDate = now;
    for (const auto& r : m_recipients)
        if (!r.mailbox.empty()) request.targets.push_back({r.mailbox, "INBOX"});
    if (request.targets.empty()) return onStoreResult(std::vector<store::MessageInfo>{}, now);  // relay only
    request.message = mta::returnPathHeader(m_reversePath) + m_received + m_content;
    park(std::move(request), now);
}

void SmtpServerSession::park(store::StoreRequest request, Micros now) {
    if (!m_ctx.transportCompletesStore) {
        // No transport in between: the same request, run at once, resumed through the same path.
        auto results = store::runStoreRequests(*m_ctx.store, std::span<const store::StoreRequest>(&request, 1));
        return onStoreResult(std::move(results.front()), now);
    }
    m_parked = true;
    m_request = std::move(request);
}

void SmtpServerSession::storeCompleted(store::StoreResult result, Micros now) {
    if (!m_parked) return;
    m_parked = false;
    m_request.reset();
    m_lastActivity = now;
    onStoreResult(std::move(result), now);
    if (!m_parked && !closed() && !m_tlsPending) processInput(now);  // commands pipelined behind the message
}

void SmtpServerSession::endMessage(ReplyId id, const ReplyArgs& args, Micros now, EventId cause) {
    m_parkedFor = ParkedFor::None;
    reply(id, args, now, cause);
    transition(SmtpInput::EndOfData, now, cause);
    resetTransaction();
}

void SmtpServerSession::onStoreResult(store::StoreResult result, Micros now) {
    const EventId cause = m_parkCause;
    if (m_parkedFor == ParkedFor::Rollback)  // the local copies are gone again; the relay queue had refused
        return endMessage(ReplyId::RelayQueueFailed, {}, now, cause);
    std::vector<const Recipient*> local;
    for (const auto& r : m_recipients)
        if (!r.mailbox.empty()) local.push_back(&r);
    if (!result) {
        const auto& failure = result.error();
        const Recipient& r = *local.at(failure.target);
        m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::DeliveryFailed, failure.error, {r.mailbox}), cause);
        // RFC 5321 4.2.3: 452 out of space, 450 mailbox busy (its lock), 451 any other local error.
        if (failure.error.code == store::StoreErrc::NoSpace) return endMessage(ReplyId::InsufficientStorage, {}, now, cause);
        if (failure.error.code == store::StoreErrc::Busy) return endMessage(ReplyId::MailboxBusy, {{"path", r.path}}, now, cause);
        return endMessage(ReplyId::StoreFailed, {}, now, cause);
    }
    const std::vector<store::MessageInfo>& delivered = *result;
    std::vector<std::string> remote;
    for (const auto& r : m_recipients)
        if (r.mailbox.empty()) remote.push_back(r.path);
    if (!remote.empty()) {
        auto queued = m_ctx.relay ? m_ctx.relay(RelayRequest{m_reversePath, remote, m_received + m_content, now, cause})
                                  : std::unexpected(std::string("no relay queue on this host"));
        if (!queued) {
            m_rec.error(now, {.id = trace::ErrorId::RelayQueueRefused, .detail = queued.error()}, cause);
            if (delivered.empty())
                return endMessage(ReplyId::RelayQueueFailed, {}, now, cause);
            store::RemovalRequest undo;
            for (std::size_t i = 0; i < delivered.size(); ++i)
                undo.copies.push_back({{local[i]->mailbox, "INBOX"}, delivered[i].uid});
            m_parkedFor = ParkedFor::Rollback;
            return park(std::move(undo), now);
        }
    }
    if (!m_ctx.config.gatewayMailbox.empty() && !delivered.empty())
        m_rec.handover(now, {m_ctx.config.gatewaySystem, m_ctx.config.gatewayMailbox}, cause);
    for (std::size_t i = 0; i < delivered.size(); ++i) {
        const auto& info = delivered[i];
        m_rec.storeChanged(now, {.user = local[i]->mailbox, .folder = "INBOX", .uid = info.uid,
                                 .action = trace::StoreAction::Appended, .size = info.size, .fileId = info.storageId},
                           cause);
    }
    ++m_messagesAccepted;
    endMessage(ReplyId::MessageAccepted, {}, now, cause);
}

}  // namespace mailsim::smtp
