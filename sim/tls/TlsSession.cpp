#include "sim/tls/TlsSession.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace mailsim::sim {

trace::EventId recordHandshake(trace::Recorder& rec, const TlsChannel& channel, trace::Micros now) {
    if (!rec.trace()) return trace::kNoCause;
    trace::TlsHandshake h;
    h.side = channel.isClient() ? trace::TlsSide::Client : trace::TlsSide::Server;
    const bool ok = channel.handshakeDone() && !channel.failed();
    if (ok) {
        const TlsInfo& info = channel.info();
        h.version = info.version;
        h.cipher = info.cipher;
        h.peerSubject = info.peerSubject;
        h.peerIssuer = info.peerIssuer;
        h.verified = channel.isClient() && info.verified;
    } else {
        h.error = channel.error();
    }
    return rec.tlsHandshake(now, ok, std::move(h));
}

trace::EventId recordRecords(trace::Recorder& rec, trace::Direction direction, std::string_view wire,
                             std::string& carry, trace::Micros now) {
    std::string summary = describeRecords(wire, carry);
    if (!rec.trace() || wire.empty()) return trace::kNoCause;
    trace::Event e;
    e.time = now;
    e.session = rec.session();
    e.kind = trace::EventKind::TlsRecords;
    e.direction = direction;
    e.text = std::move(summary);
    e.raw = std::string(wire);
    return rec.trace()->append(std::move(e));
}

bool asksForTls(std::string_view protocol, std::string_view line) {
    if (protocol == "imap") {
        auto sp = line.find(' ');
        if (sp == std::string_view::npos) return false;
        line.remove_prefix(sp + 1);
    }
    std::string_view command = protocol == "pop3" ? "STLS" : "STARTTLS";
    return line.size() == command.size() &&
           std::equal(line.begin(), line.end(), command.begin(), [](char a, char b) {
               return std::toupper(static_cast<unsigned char>(a)) == b;
           });
}

namespace {

class TlsServerSession final : public ServerSession {
public:
    TlsServerSession(std::unique_ptr<ServerSession> inner, TlsContext context, bool implicitTls, bool recordIncoming,
                     trace::Recorder rec)
        : m_inner(std::move(inner)), m_context(std::move(context)), m_implicit(implicitTls),
          m_recordIncoming(recordIncoming), m_rec(rec) {}

    void start(trace::Micros now) override {
        m_now = now;
        m_handshakeDeadline = now + kHandshakeTimeout;
        if (m_implicit) m_channel = TlsChannel::server(m_context);  // waits for the ClientHello
        else m_inner->start(now);
        collect(now);
    }

    void receive(std::string_view bytes, trace::Micros now) override {
        m_now = now;
        if (m_failed) return;
        if (!m_channel) {
            m_inner->receive(bytes, now);
            collect(now);
            return;
        }
        if (m_recordIncoming) recordRecords(m_rec, trace::Direction::ClientToServer, bytes, m_carryIn, now);
        const bool wasDone = m_channel->handshakeDone();
        m_channel->receiveWire(bytes);
        if (m_channel->failed()) {
            recordHandshake(m_rec, *m_channel, now);
            m_failed = true;
            m_wireOut += m_channel->takeWire();  // the alert, if OpenSSL produced one
            m_inner->connectionLost(now);
            return;
        }
        if (!wasDone && m_channel->handshakeDone()) {
            recordHandshake(m_rec, *m_channel, now);
            if (m_rec.trace()) m_rec.trace()->setTls(m_rec.session(), true);
            m_inner->tlsEstablished(now);
            if (m_implicit) m_inner->start(now);
            m_innerStarted = true;
        }
        if (std::string plain = m_channel->takePlaintext(); !plain.empty()) m_inner->receive(plain, now);
        if (m_channel->peerClosed() && !m_peerClosed) {
            // RFC 8446 6.1 / RFC 5246 7.2.1: the client's close_notify ends its side; answer with ours and close.
            m_peerClosed = true;
            m_rec.explain(now, {.id = trace::NoteId::TlsCloseNotify, .rfc = "RFC 8446 6.1"});
            m_inner->connectionLost(now);
            if (!m_closeSent) m_channel->close();
            m_closeSent = true;
        }
        collect(now);
    }

    void tick(trace::Micros now) override {
        m_now = now;
        if (m_failed) return;
        if (m_implicit && !m_innerStarted) {
            // Implicit TLS: the protocol session has not started (its idle clock has not either); a client that
            // never finishes the handshake is dropped after kHandshakeTimeout.
            if (now >= m_handshakeDeadline) {
                m_rec.explain(now, {.id = trace::NoteId::TlsHandshakeTimeout,
                                    .numbers = {static_cast<std::uint64_t>(kHandshakeTimeout / 1'000'000)}});
                m_failed = true;
            }
            return;
        }
        m_inner->tick(now);
        collect(now);
    }
    std::string takeOutput() override {
        collect(m_now);
        return std::exchange(m_wireOut, {});
    }
    bool hasOutput() const override {
        return !m_wireOut.empty() || m_inner->hasOutput() || (m_channel && m_channel->hasWire());
    }
    bool closed() const override { return m_failed || m_peerClosed || m_inner->closed(); }
    void connectionLost(trace::Micros now) override { m_inner->connectionLost(now); }
    void shutdown(trace::Micros now, util::Goodbye why) override {
        m_now = now;
        m_inner->shutdown(now, why);
        collect(now);
    }
    // While the handshake runs the protocol session waits; the handshake has its own deadline (kHandshakeTimeout).
    bool inputPending() const override { return (!m_channel || m_channel->handshakeDone()) && m_inner->inputPending(); }
    bool busy() const override { return m_inner->busy(); }
    bool traceCuttable() const override { return m_inner->traceCuttable(); }
    // The decorator runs the handshake itself: to its own transport it never asks for one.
    bool startTlsPending() const override { return false; }
    void tlsEstablished(trace::Micros) override {}
    bool tlsActive() const override { return m_channel && m_channel->handshakeDone(); }
    int failedLogins() const override { return m_inner->failedLogins(); }
    bool loggedIn() const override { return m_inner->loggedIn(); }
    bool parked() const override { return m_inner->parked(); }
    std::optional<store::StoreRequest> takeStoreRequest() override { return m_inner->takeStoreRequest(); }
    void storeCompleted(store::StoreResult result, trace::Micros now) override {
        m_inner->storeCompleted(std::move(result), now);
    }
    bool producing() const override { return !m_failed && m_inner->producing(); }
    void produce(trace::Micros now) override {
        m_now = now;
        if (m_failed) return;
        m_inner->produce(now);
        collect(now);
    }

private:
    // Moves the protocol session's output to the wire: in clear before TLS, through the channel after it.
    void collect(trace::Micros now) {
        if (m_failed) return;
        std::string out = m_inner->takeOutput();
        if (!out.empty()) {
            if (m_channel && m_channel->handshakeDone()) m_channel->sendPlaintext(out);
            else if (!m_channel) m_wireOut += out;
            // (output while the handshake is in progress cannot happen: the protocol session is waiting for it)
        }
        // The positive reply to STARTTLS went out in clear just above; from here on the wire speaks TLS.
        if (!m_channel && m_inner->startTlsPending()) m_channel = TlsChannel::server(m_context);
        if (m_channel && m_inner->closed() && m_channel->handshakeDone() && !m_closeSent) {
            m_channel->close();
            m_closeSent = true;
        }
        if (m_channel) {
            std::string wire = m_channel->takeWire();
            if (!wire.empty()) {
                recordRecords(m_rec, trace::Direction::ServerToClient, wire, m_carryOut, now);
                m_wireOut += wire;
            }
        }
    }

    std::unique_ptr<ServerSession> m_inner;
    TlsContext m_context;
    bool m_implicit;
    bool m_recordIncoming;
    trace::Recorder m_rec;
    std::unique_ptr<TlsChannel> m_channel;
    std::string m_wireOut;
    std::string m_carryIn, m_carryOut;
    static constexpr trace::Micros kHandshakeTimeout = 60'000'000;
    trace::Micros m_now = 0;
    trace::Micros m_handshakeDeadline = 0;
    bool m_innerStarted = false;  // implicit TLS: the protocol session starts after the handshake
    bool m_failed = false;
    bool m_peerClosed = false;  // the client's close_notify arrived
    bool m_closeSent = false;
};

}  // namespace

std::unique_ptr<ServerSession> makeTlsServerSession(std::unique_ptr<ServerSession> inner, TlsContext context,
                                                    bool implicitTls, bool recordIncoming, trace::Recorder recorder) {
    return std::make_unique<TlsServerSession>(std::move(inner), std::move(context), implicitTls, recordIncoming,
                                              recorder);
}

TlsClientPipe::TlsClientPipe(TlsContext context, std::string hostName, trace::Recorder recorder)
    : m_context(std::move(context)), m_host(std::move(hostName)), m_rec(recorder) {}

const std::string& TlsClientPipe::error() const {
    static const std::string none;
    return m_channel ? m_channel->error() : none;
}

void TlsClientPipe::begin(trace::Micros) {
    if (!m_channel) m_channel = TlsChannel::client(m_context, m_host);
}

std::string TlsClientPipe::drain(trace::Micros now) {
    std::string wire = m_channel->takeWire();
    if (!wire.empty()) recordRecords(m_rec, trace::Direction::ClientToServer, wire, m_carryOut, now);
    return wire;
}

std::string TlsClientPipe::fromWire(std::string_view wire, trace::Micros now) {
    if (!m_channel) return std::string(wire);
    const bool wasDone = m_channel->handshakeDone();
    m_channel->receiveWire(wire);
    if (m_channel->failed()) {
        if (!m_reported) recordHandshake(m_rec, *m_channel, now);
        m_reported = true;
        return {};
    }
    if (!wasDone && m_channel->handshakeDone()) {
        recordHandshake(m_rec, *m_channel, now);
        m_reported = true;
        m_justEstablished = true;
    }
    return m_channel->takePlaintext();
}

std::string TlsClientPipe::toWire(std::string_view plain, trace::Micros now) {
    if (!m_channel) return std::string(plain);
    if (!plain.empty() && !m_channel->failed()) m_channel->sendPlaintext(plain);
    return drain(now);
}

std::string TlsClientPipe::close(trace::Micros now) {
    if (!m_channel || m_channel->failed()) return {};
    m_channel->close();
    return drain(now);
}

}  // namespace mailsim::sim
