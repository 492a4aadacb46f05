// How a client session uses TLS, shared by the SMTP, POP3 and IMAP clients.
//
// - None: plain connection; STARTTLS/STLS is never sent.
// - Opportunistic: use STARTTLS (RFC 3207) / STLS (RFC 2595 4) / STARTTLS (RFC 3501 6.2.1) when the server offers
//   it; otherwise, or when the server refuses it, go on in plaintext (protects against a passive eavesdropper only).
// - Required ("starttls" in scenario files): the same, but a server that does not offer it or refuses it gets nothing
//   sensitive: the client says goodbye (QUIT / LOGOUT) and fails (a STRIPTLS attacker cannot downgrade it).
// - Implicit: the transport handshakes before the first byte (SMTPS 465, RFC 8314; POP3S 995; IMAPS 993) and calls
//   the session's tlsEstablished() before any input; the session then behaves as on a plain connection.
// The sessions only raise the request and react to tlsEstablished(); the handshake itself belongs to the transport.
#pragma once

#include "trace/Trace.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace mailsim::util {

enum class ClientTls { None, Opportunistic, Required, Implicit };

inline std::string_view toString(ClientTls tls) {
    switch (tls) {
    case ClientTls::None: return "none";
    case ClientTls::Opportunistic: return "opportunistic";
    case ClientTls::Required: return "required";
    case ClientTls::Implicit: return "implicit";
    }
    return "?";
}

// "none", "opportunistic", "starttls" (= Required), "required", "implicit"; nullopt for anything else (case matters:
// scenario keys are lower-case).
inline std::optional<ClientTls> parseClientTls(std::string_view text) {
    if (text == "none") return ClientTls::None;
    if (text == "opportunistic") return ClientTls::Opportunistic;
    if (text == "starttls" || text == "required") return ClientTls::Required;
    if (text == "implicit") return ClientTls::Implicit;
    return std::nullopt;
}

// Records (as a Note caused by `cause`) that `count` bytes that arrived in plaintext around a STARTTLS exchange were
// dropped unread: on a server, bytes after the STARTTLS/STLS command (CVE-2011-0411: never executed); on a client,
// bytes after the server's positive reply (STARTTLS response injection: never used). `verb` is STARTTLS or STLS;
// `reply` is empty on a server, the positive reply on a client ("220", "OK", "+OK"). Nothing is recorded for 0 bytes.
void noteDiscardedPlaintext(trace::Recorder& rec, std::size_t count, trace::Micros now, trace::EventId cause,
                            std::string_view verb, std::string_view reply = {});

// True when the client asks the server for STARTTLS/STLS on a plain connection.
inline bool wantsStartTls(ClientTls tls) { return tls == ClientTls::Opportunistic || tls == ClientTls::Required; }

}  // namespace mailsim::util
