// The transports' view of a server session: one small interface over the SMTP, POP3 and IMAP server sessions, so the
// simulator (Runner.cpp) and the real-socket loop (Serve.cpp) wire any protocol the same way, without knowing it.
//
// Contract
// - The methods mirror the sans-I/O sessions: `start`, `receive`, `tick`, `takeOutput`, `closed`.
// - `connectionLost`: the transport saw the peer go away without the protocol's goodbye (POP3: no UPDATE, the
//   maildrop lock is released).
// - `shutdown`: the server is stopping; the session queues its protocol's last words (SMTP 421, RFC 5321 3.8; POP3
//   -ERR [SYS/TEMP], no UPDATE; IMAP * BYE, RFC 3501 7.1.5), records them in the trace, and is closed afterwards.
// - `busy`: in the middle of something worth finishing during a shutdown grace period (an SMTP mail transaction).
// - `traceCuttable`: the session's trace may be cut back now (no cause inside the current unit of work would dangle:
//   not inside SMTP DATA).
#pragma once

#include "imap/ImapServerSession.hpp"
#include "pop3/Pop3ServerSession.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "trace/Trace.hpp"

#include <memory>
#include <string>

namespace mailsim::sim {

class ServerSession {
public:
    virtual ~ServerSession() = default;
    virtual void start(trace::Micros now) = 0;
    virtual void receive(std::string_view bytes, trace::Micros now) = 0;
    virtual void tick(trace::Micros now) = 0;
    virtual std::string takeOutput() = 0;
    virtual bool hasOutput() const = 0;
    virtual bool closed() const = 0;
    virtual void connectionLost(trace::Micros now) = 0;
    virtual void shutdown(trace::Micros now) = 0;
    virtual bool busy() const = 0;
    virtual bool traceCuttable() const = 0;
    // TLS (the protocol half; sim/TlsSession.hpp does the records): the positive reply to STARTTLS/STLS is queued
    // and the transport must start the handshake after sending it; the handshake finished; TLS is up; how many
    // logins failed in this session (for progressive delays).
    virtual bool startTlsPending() const { return false; }
    virtual void tlsEstablished(trace::Micros) {}
    virtual bool tlsActive() const { return false; }
    virtual int failedLogins() const { return 0; }
};

std::unique_ptr<ServerSession> makeSmtpServerSession(smtp::SmtpServerContext& context, smtp::PeerInfo peer,
                                                     trace::Recorder recorder);
std::unique_ptr<ServerSession> makePop3ServerSession(pop3::Pop3ServerContext& context, trace::Recorder recorder);
// IMAP: `tick` also pushes other sessions' changes to a client in IDLE (RFC 2177), so a transport should tick every
// session after any session's input, not only once a second.
std::unique_ptr<ServerSession> makeImapServerSession(imap::ImapServerContext& context, trace::Recorder recorder);

}  // namespace mailsim::sim
