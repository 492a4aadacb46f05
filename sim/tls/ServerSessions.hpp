// The transports' view of a server session: one small interface over the SMTP, POP3 and IMAP server sessions, so the
// simulator (Runner.cpp) and the real-socket loop (cli/CliServe.cpp) wire any protocol the same way, without knowing it.
//
// Contract
// - The methods mirror the sans-I/O sessions: `start`, `receive`, `tick`, `takeOutput`, `closed`.
// - `connectionLost`: the transport saw the peer go away without the protocol's goodbye (POP3: no UPDATE, the
//   maildrop lock is released).
// - `shutdown`: the server ends the session on its own (`util::Goodbye`: stopping, a connection cap, the login
//   deadline, a slow command); the session queues its protocol's last words for that reason from its catalogue
//   (SMTP 421, RFC 5321 3.8; POP3 -ERR, no UPDATE; IMAP * BYE, RFC 3501 7.1.5), records them in the trace, and is
//   closed afterwards.
// - `inputPending`: a command (or SMTP DATA content, or an IMAP literal) has begun and not ended; the transport's
//   per-command deadline runs while it is true (a trickle of bytes does not reset it).
// - `busy`: in the middle of something worth finishing during a shutdown grace period (an SMTP mail transaction).
// - `traceCuttable`: the session's trace may be cut back now (no cause inside the current unit of work would dangle:
//   not inside SMTP DATA).
// - TLS (the protocol half; the transport owns the handshake): `startTlsPending` is true once the session queued its
//   positive answer to STARTTLS/STLS: the transport sends `takeOutput()` in the clear, then starts the server-side
//   handshake, and calls `tlsEstablished(now)` when it completes. Until then the session discards any input unread
//   (CVE-2011-0411). For implicit TLS (465/995/993) the transport handshakes first and calls `tlsEstablished` before
//   `start`. `tlsActive` tells whether TLS is up; `failedLogins` counts this session's failed authentications (the
//   transport may delay replies progressively per client address).
// - Park-and-resume (engine/store/StoreRequest.hpp): `parked` is true while the session waits for store work (SMTP
//   at the end of DATA); `takeStoreRequest` hands the request over once; the transport runs it (at once, or batched
//   on a worker) and calls `storeCompleted`. While parked the transport should not read the connection (the session
//   buffers whatever it is given unread). Sessions that never park (POP3, IMAP) keep the defaults.
// - Output in slices (an IMAP FETCH with `fetchSlice`, ImapServerSession.hpp): while `producing` is true the session
//   has more to say than it queued; the transport calls `produce(now)` whenever it has sent what it took (its
//   buffer ran low) and does not read the connection meanwhile (the session buffers input unread). Sessions that
//   never slice keep the defaults.
#pragma once

#include "imap/ImapServerSession.hpp"
#include "pop3/Pop3ServerSession.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "trace/Trace.hpp"

#include "store/StoreRequest.hpp"

#include <memory>
#include <optional>
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
    virtual void shutdown(trace::Micros now, util::Goodbye why) = 0;
    virtual bool inputPending() const = 0;
    virtual bool busy() const = 0;
    virtual bool traceCuttable() const = 0;
    virtual bool startTlsPending() const = 0;
    virtual void tlsEstablished(trace::Micros now) = 0;
    virtual bool tlsActive() const = 0;
    virtual int failedLogins() const = 0;
    // The client has logged in (SMTP AUTH, POP3 TRANSACTION, IMAP AUTHENTICATED/SELECTED): the login deadline of
    // `mailsim serve` no longer applies.
    virtual bool loggedIn() const = 0;
    virtual bool parked() const { return false; }
    virtual std::optional<store::StoreRequest> takeStoreRequest() { return std::nullopt; }
    virtual void storeCompleted(store::StoreResult, trace::Micros) {}
    virtual bool producing() const { return false; }
    virtual void produce(trace::Micros) {}
};

// The simulator's transport: runs every request `session` is parked on at once on `store` and resumes it (the
// session may park again on a message pipelined behind the first; each is completed in turn).
void completeStoreRequestsNow(ServerSession& session, store::MailStore& store, trace::Micros now);

std::unique_ptr<ServerSession> makeSmtpServerSession(smtp::SmtpServerContext& context, smtp::PeerInfo peer,
                                                     trace::Recorder recorder);
std::unique_ptr<ServerSession> makePop3ServerSession(pop3::Pop3ServerContext& context, trace::Recorder recorder);
// IMAP: `tick` also pushes other sessions' changes to a client in IDLE (RFC 2177), so a transport should tick every
// session after any session's input, not only once a second.
std::unique_ptr<ServerSession> makeImapServerSession(imap::ImapServerContext& context, trace::Recorder recorder);

}  // namespace mailsim::sim
