// TLS between a transport and a protocol session: the server side as a ServerSession decorator, the client side
// as a small pipe the transport puts between the wire and a sans-I/O client session. Both the virtual network
// (Runner.cpp, Relay.cpp) and real sockets (cli/CliServe.cpp) use them, so a session is traced the same way everywhere.
//
// Theory of operation (server, `makeTlsServerSession`)
//   PLAIN --inner.startTlsPending() after its positive reply went out in clear--> HANDSHAKE --keys agreed--> TLS
//   (implicit TLS, ports 465/993/995: starts in HANDSHAKE, and the protocol greeting follows the handshake)
// - In PLAIN, bytes pass through untouched. The inner session has already discarded any plaintext that followed
//   STARTTLS (CVE-2011-0411); from HANDSHAKE on, every wire byte goes to the TLS channel and only decrypted bytes
//   reach the protocol session.
// - When the handshake finishes: a TlsHandshake event (version, cipher, certificate), `Trace::setTls` (so every
//   later Line is marked protected), then `inner.tlsEstablished(now)` (and `inner.start(now)` for implicit TLS).
// - Every batch of wire bytes the server sends under TLS (and, on real sockets, receives) is recorded as a TlsRecords event (direction, the exact bytes, a summary),
//   so exports (pcap) and the eavesdropper view show what really crossed the wire.
// - A failed handshake (plaintext sent to a TLS port, an untrusted certificate on the client side) records a failed
//   TlsHandshake and closes the session.
// - When the inner session closes under TLS, a close_notify alert is sent first (RFC 8446 6.1).
#pragma once

#include "sim/tls/ServerSessions.hpp"
#include "sim/tls/Tls.hpp"
#include "trace/Trace.hpp"

#include <memory>
#include <string>
#include <utility>

namespace mailsim::sim {

// `recordIncoming`: also record the records the client sent (real sockets, where the client is not ours). On the
// virtual network each side records what it sends, so every record is in the trace once.
std::unique_ptr<ServerSession> makeTlsServerSession(std::unique_ptr<ServerSession> inner, TlsContext context,
                                                    bool implicitTls, bool recordIncoming, trace::Recorder recorder);

// The client side. The transport calls `begin` when the connection opens (implicit TLS) or after the client
// session's STARTTLS was accepted (`startTlsPending()`), then passes every wire byte through `fromWire` and every
// byte the client wants to send through `toWire`. `established()` turns true once (the transport then calls the
// client's `tlsEstablished`).
class TlsClientPipe {
public:
    TlsClientPipe(TlsContext context, std::string hostName, trace::Recorder recorder);

    void begin(trace::Micros now);
    bool active() const { return m_channel != nullptr; }
    bool established() const { return m_channel && m_channel->handshakeDone(); }
    bool failed() const { return m_channel && m_channel->failed(); }
    const std::string& error() const;

    // Wire bytes in; returns the plaintext for the client session. Sets `justEstablished()` when this call finished
    // the handshake.
    std::string fromWire(std::string_view wire, trace::Micros now);
    bool justEstablished() { return std::exchange(m_justEstablished, false); }
    // Plaintext out; returns the wire bytes to send (including any pending handshake bytes).
    std::string toWire(std::string_view plain, trace::Micros now);
    // Sends close_notify; returns the wire bytes.
    std::string close(trace::Micros now);

private:
    std::string drain(trace::Micros now);

    TlsContext m_context;
    std::string m_host;
    trace::Recorder m_rec;
    std::unique_ptr<TlsChannel> m_channel;
    std::string m_carryOut;
    bool m_justEstablished = false;
    bool m_reported = false;
};

// True when `line`, typed by a client of `protocol` ("smtp", "pop3", "imap"), asks for TLS: STARTTLS (RFC 3207 4),
// STLS (RFC 2595 4), "tag STARTTLS" (RFC 3501 6.2.1). Whether the server agreed is the caller's to check.
bool asksForTls(std::string_view protocol, std::string_view line);

// Records the outcome of `channel`'s handshake as a TlsHandshake event ("client"/"server" view).
trace::EventId recordHandshake(trace::Recorder& rec, const TlsChannel& channel, trace::Micros now);
// Records wire bytes under TLS as a TlsRecords event.
trace::EventId recordRecords(trace::Recorder& rec, trace::Direction direction, std::string_view wire,
                             std::string& carry, trace::Micros now);

}  // namespace mailsim::sim
