// STARTTLS on the server side (RFC 3207): the protocol half only; the transport does the handshake.
//
// Theory of operation
//   READY (after EHLO) --"STARTTLS"--> 220 2.0.0 Ready to start TLS        startTlsPending() == true
//        the transport flushes the 220 in the clear, runs the handshake, then calls tlsEstablished(now)
//   --<TLS established>--> INITIAL: everything learnt before is forgotten (RFC 3207 4.2); the client says EHLO again,
//        and that EHLO lists AUTH (now usable) but no longer STARTTLS.
// - Refusals (the gate, from the STARTTLS row): not offered by this transport (`tlsOffered` false) -> 502 as for
//   any unimplemented command; an argument -> 501; TLS already active -> 503 5.5.1; before EHLO or inside a
//   transaction -> 503 (the table).
// - CVE-2011-0411 (plaintext command injection): the bytes after the STARTTLS line in the same read, and anything
//   received while the handshake is pending, were sent before TLS by whoever sits on the path. They are discarded
//   without being parsed and a note records how many; nothing of them is ever executed or answered.
#include "smtp/SmtpServerSession.hpp"
#include "util/TlsMode.hpp"

#include <fmt/format.h>

namespace mailsim::smtp {

using trace::EventId;
using trace::Micros;

void SmtpServerSession::doStartTls(std::string_view arg, Micros now, EventId cause) {
    // The gate answered "not offered here" (502), an argument (501) and the wrong state (503) from the table.
    (void)arg;
    if (m_tlsActive) return reply(ReplyId::TlsAlreadyActive, {}, now, cause);
    if (!m_extended) {  // STARTTLS is an ESMTP extension: announced only in the EHLO reply (RFC 3207 4)
        reply(ReplyId::StartTlsNeedsEhlo, {}, now, cause);
        countError(now, cause);
        return;
    }
    reply(ReplyId::StartTlsReady, {}, now, cause);
    m_tlsPending = true;
    m_startTlsCause = cause;
    m_rec.explain(now, {.id = trace::NoteId::StartTlsAccepted, .names = {"STARTTLS"}, .rfc = "RFC 3207 4"}, cause);
}

void SmtpServerSession::tlsEstablished(Micros now) {
    if (m_state == SmtpState::Connect) {  // implicit TLS (RFC 8314): the handshake came before the greeting
        m_tlsActive = true;
        return;
    }
    if (!m_tlsPending) {
        // Not after a STARTTLS of ours: the transport's bookkeeping is off. Mark TLS active, change nothing else.
        m_rec.error(now, {.id = trace::ErrorId::TlsWithoutStartTls, .names = {"STARTTLS"}});
        m_tlsActive = true;
        return;
    }
    m_tlsPending = false;
    m_tlsActive = true;
    // RFC 3207 4.2: "the server MUST discard any knowledge obtained from the client, such as the argument to the
    // EHLO command, which was not obtained from the TLS negotiation itself."
    m_heloName.clear();
    m_extended = false;
    resetTransaction();
    m_authUser.clear();
    m_saslMechanism.clear();
    m_saslUser.clear();
    m_input.clear();
    m_discardingLine = false;
    transition(SmtpInput::TlsEstablished, now, m_startTlsCause);
}

void SmtpServerSession::noteDiscarded(std::size_t count, Micros now, EventId cause) {
    util::noteDiscardedPlaintext(m_rec, count, now, cause, "STARTTLS");
}

}  // namespace mailsim::smtp
