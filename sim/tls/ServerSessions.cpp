#include "sim/tls/ServerSessions.hpp"

#include "smtp/SmtpReplies.hpp"

#include <fmt/format.h>

namespace mailsim::sim {
namespace {

class SmtpAdapter final : public ServerSession {
public:
    SmtpAdapter(smtp::SmtpServerContext& ctx, smtp::PeerInfo peer, trace::Recorder rec)
        : m_ctx(ctx), m_rec(rec), m_session(ctx, std::move(peer), rec) {}
    void start(trace::Micros now) override { m_session.start(now); }
    void receive(std::string_view bytes, trace::Micros now) override {
        if (!m_shutdown) m_session.receive(bytes, now);
    }
    void tick(trace::Micros now) override {
        if (!m_shutdown) m_session.tick(now);
    }
    std::string takeOutput() override { return m_session.takeOutput() + std::exchange(m_extra, {}); }
    bool hasOutput() const override { return m_session.hasOutput() || !m_extra.empty(); }
    bool closed() const override { return m_session.closed() || m_shutdown; }
    void connectionLost(trace::Micros) override {}
    void shutdown(trace::Micros now, util::Goodbye why) override {
        if (closed()) return;
        // The session has no shutdown entry point; the catalogue's 421 is sent and recorded here (with the enhanced
        // code once the client used EHLO, RFC 2034).
        using G = util::Goodbye;
        const auto id = why == G::TooManyConnections ? smtp::ReplyId::TooManyConnections
                        : why == G::LoginTimeout     ? smtp::ReplyId::LoginTimeout
                        : why == G::Timeout          ? smtp::ReplyId::Timeout
                                                     : smtp::ReplyId::ServiceUnavailable;
        const auto note = why == G::TooManyConnections ? trace::NoteId::GoodbyeTooMany
                          : why == G::LoginTimeout     ? trace::NoteId::GoodbyeLoginTimeout
                          : why == G::Timeout          ? trace::NoteId::GoodbyeSlowClient
                                                       : trace::NoteId::GoodbyeShutdown;
        std::string wire = smtp::formatReply(id, {{"domain", m_ctx.config.domain}}, m_session.extended());
        auto ev = m_rec.explain(now, {.id = note, .numbers = {busy() ? 1u : 0u}});
        m_rec.line(now, trace::Direction::ServerToClient, trace::LineRole::Reply, wire.substr(0, wire.size() - 2), wire, ev);
        m_extra += wire;
        m_shutdown = true;
    }
    bool busy() const override {
        auto st = m_session.state();
        return st == smtp::SmtpState::Mail || st == smtp::SmtpState::Rcpt || st == smtp::SmtpState::Data ||
               m_session.parked();
    }
    bool traceCuttable() const override { return m_session.state() != smtp::SmtpState::Data; }
    bool inputPending() const override { return m_session.inputPending(); }
    bool startTlsPending() const override { return m_session.startTlsPending(); }
    void tlsEstablished(trace::Micros now) override { m_session.tlsEstablished(now); }
    bool tlsActive() const override { return m_session.tlsActive(); }
    int failedLogins() const override { return m_session.failedLogins(); }
    bool loggedIn() const override { return m_session.loggedIn(); }
    bool parked() const override { return m_session.parked(); }
    std::optional<store::StoreRequest> takeStoreRequest() override { return m_session.takeStoreRequest(); }
    void storeCompleted(store::StoreResult result, trace::Micros now) override {
        m_session.storeCompleted(std::move(result), now);
        // After our 421 the session's answer is not sent (the connection is closing); the trace keeps it.
        if (m_shutdown) (void)m_session.takeOutput();
    }

private:
    smtp::SmtpServerContext& m_ctx;
    trace::Recorder m_rec;
    smtp::SmtpServerSession m_session;
    std::string m_extra;
    bool m_shutdown = false;
};

// POP3 and IMAP sessions have the whole ServerSession shape themselves (including connectionLost and shutdown), so
// one adapter forwards to either.
template <typename Session, typename Context>
class ForwardingAdapter final : public ServerSession {
public:
    ForwardingAdapter(Context& ctx, trace::Recorder rec) : m_session(ctx, rec) {}
    void start(trace::Micros now) override { m_session.start(now); }
    void receive(std::string_view bytes, trace::Micros now) override { m_session.receive(bytes, now); }
    void tick(trace::Micros now) override { m_session.tick(now); }
    std::string takeOutput() override { return m_session.takeOutput(); }
    bool hasOutput() const override { return m_session.hasOutput(); }
    bool closed() const override { return m_session.closed(); }
    void connectionLost(trace::Micros now) override { m_session.connectionLost(now); }
    void shutdown(trace::Micros now, util::Goodbye why) override { m_session.shutdown(now, why); }
    bool inputPending() const override { return m_session.inputPending(); }
    bool busy() const override { return false; }
    bool traceCuttable() const override { return !producing(); }  // a FETCH in slices keeps its command's id
    bool startTlsPending() const override { return m_session.startTlsPending(); }
    void tlsEstablished(trace::Micros now) override { m_session.tlsEstablished(now); }
    bool tlsActive() const override { return m_session.tlsActive(); }
    int failedLogins() const override { return m_session.failedLogins(); }
    bool loggedIn() const override { return m_session.loggedIn(); }
    bool producing() const override {
        if constexpr (requires { m_session.producing(); }) return m_session.producing();
        else return false;
    }
    void produce(trace::Micros now) override {
        if constexpr (requires { m_session.produce(now); }) m_session.produce(now);
    }

private:
    Session m_session;
};

using Pop3Adapter = ForwardingAdapter<pop3::Pop3ServerSession, pop3::Pop3ServerContext>;
using ImapAdapter = ForwardingAdapter<imap::ImapServerSession, imap::ImapServerContext>;

}  // namespace

void completeStoreRequestsNow(ServerSession& session, store::MailStore& store, trace::Micros now) {
    while (auto request = session.takeStoreRequest()) {
        auto results = store::runStoreRequests(store, std::span<const store::StoreRequest>(&*request, 1));
        session.storeCompleted(std::move(results.front()), now);
    }
}

std::unique_ptr<ServerSession> makeSmtpServerSession(smtp::SmtpServerContext& context, smtp::PeerInfo peer,
                                                     trace::Recorder recorder) {
    return std::make_unique<SmtpAdapter>(context, std::move(peer), recorder);
}

std::unique_ptr<ServerSession> makePop3ServerSession(pop3::Pop3ServerContext& context, trace::Recorder recorder) {
    return std::make_unique<Pop3Adapter>(context, recorder);
}

std::unique_ptr<ServerSession> makeImapServerSession(imap::ImapServerContext& context, trace::Recorder recorder) {
    return std::make_unique<ImapAdapter>(context, recorder);
}

}  // namespace mailsim::sim
