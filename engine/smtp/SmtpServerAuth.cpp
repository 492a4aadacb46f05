// SMTP AUTH on the server side (RFC 4954) and the relay permission it grants.
//
// Theory of operation
//   READY --"AUTH PLAIN <b64>"--------------------------------------------------> 235 | 535
//   READY --"AUTH PLAIN"--> 334 "" --<b64 authzid\0user\0password>---------------> 235 | 535   (RFC 4616)
//   READY --"AUTH LOGIN"--> 334 "Username:" --<b64 user>--> 334 "Password:" --<b64 password>--> 235 | 535
//   READY --"AUTH CRAM-MD5"--> 334 <b64 challenge> --<b64 "user hmac-md5-hex">---> 235 | 535   (RFC 2195)
// - While a mechanism is in progress every line is a SASL response, never a command; "*" cancels (501).
// - AUTH needs EHLO first (the table: INITIAL answers 503), is refused inside a transaction (503), succeeds at most
//   once per session (503), and is offered only on the submission port (elsewhere 502). With plaintext logins
//   disallowed it is neither announced nor accepted before TLS (538 5.7.11, RFC 4954 6).
// - The checks (base64, SASL PLAIN parsing, HMAC-MD5) are the pure functions of auth/Sasl; this file holds no
//   cryptography of its own.
#include "smtp/SmtpServerSession.hpp"

#include "auth/Sasl.hpp"

#include <fmt/format.h>

namespace mailsim::smtp {
namespace {

using trace::EventId;
using trace::Micros;

// Parses an IPv4 dotted quad; nullopt when it is not one.
std::optional<std::uint32_t> ipv4(std::string_view s) {
    std::uint32_t out = 0;
    int parts = 0;
    while (parts < 4) {
        std::size_t i = 0;
        unsigned v = 0;
        while (i < s.size() && i < 3 && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
        if (i == 0 || v > 255) return std::nullopt;
        out = (out << 8) | v;
        s.remove_prefix(i);
        if (++parts < 4) {
            if (s.empty() || s.front() != '.') return std::nullopt;
            s.remove_prefix(1);
        }
    }
    return s.empty() ? std::optional(out) : std::nullopt;
}

}  // namespace

// "10.0.0.0/24" contains "10.0.0.7"; a prefix without "/n" is one address.
bool ipv4PrefixContains(std::string_view prefix, std::string_view address) {
    auto slash = prefix.find('/');
    int bits = 32;
    if (slash != std::string_view::npos) {
        bits = 0;
        for (char c : prefix.substr(slash + 1)) {
            if (c < '0' || c > '9') return false;
            bits = bits * 10 + (c - '0');
        }
        if (bits > 32) return false;
    }
    auto net = ipv4(prefix.substr(0, slash));
    auto addr = ipv4(address);
    if (!net || !addr) return false;
    std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (*net & mask) == (*addr & mask);
}

bool SmtpServerSession::mayRelay() const {
    if (!m_ctx.relay) return false;
    if (!m_authUser.empty()) return true;
    for (const auto& p : m_ctx.config.relayNetworks)
        if (ipv4PrefixContains(p, m_peer.address)) return true;
    return false;
}

void SmtpServerSession::doAuth(std::string_view arg, Micros now, EventId cause) {
    if (!offersAuth()) return reply(ReplyId::AuthNotOffered, {}, now, cause);
    if (!authUsableNow()) return reply(ReplyId::EncryptionRequired, {}, now, cause);  // RFC 4954 6: 538
    if (!m_authUser.empty()) return reply(ReplyId::AlreadyAuthenticated, {}, now, cause);
    auto [mech, initial] = splitCommand(arg);
    std::string mechanism = toUpper(mech);
    if (mechanism.empty()) {
        reply(ReplyId::SyntaxError, {{"syntax", std::string(smtpCommandInfo(SmtpInput::Auth).syntax)}}, now, cause);
        countError(now, cause);
        return;
    }
    if (mechanism != "PLAIN" && mechanism != "LOGIN" && mechanism != "CRAM-MD5")
        return reply(ReplyId::AuthMechanismUnknown, {{"mechanism", mechanism}}, now, cause);
    m_saslMechanism = mechanism;
    m_saslUser.clear();
    if (mechanism == "PLAIN") {
        if (!initial.empty()) return continueAuth(initial == "=" ? std::string_view() : initial, now, cause);
        return reply(ReplyId::AuthChallenge, {{"challenge", ""}}, now, cause);  // RFC 4954 4: empty challenge
    }
    if (mechanism == "LOGIN") {
        if (!initial.empty()) return continueAuth(initial, now, cause);
        return reply(ReplyId::AuthChallenge, {{"challenge", std::string(auth::kLoginUserPrompt)}}, now, cause);
    }
    // CRAM-MD5: a unique challenge in msg-id form (RFC 2195 2), from the session's message counter and the time.
    m_cramChallenge = fmt::format("<{}.{}@{}>", m_ctx.nextMessageNumber, now / 1'000'000, m_ctx.config.domain);
    reply(ReplyId::AuthChallenge, {{"challenge", auth::base64Encode(m_cramChallenge)}}, now, cause);
}

void SmtpServerSession::continueAuth(std::string_view line, Micros now, EventId cause) {
    if (line == "*") {
        m_saslMechanism.clear();
        return reply(ReplyId::AuthCancelled, {}, now, cause);
    }
    auto decoded = auth::base64Decode(line);
    if (!decoded) {
        m_saslMechanism.clear();
        reply(ReplyId::AuthNotBase64, {}, now, cause);
        countError(now, cause);
        return;
    }
    if (m_saslMechanism == "PLAIN") {
        m_saslMechanism.clear();
        auto creds = auth::parseSaslPlain(*decoded);
        if (!creds) return reply(ReplyId::AuthPlainMalformed, {}, now, cause);
        return finishAuth(creds->authcid, creds->password, {}, now, cause);
    }
    if (m_saslMechanism == "LOGIN") {
        if (m_saslUser.empty()) {
            m_saslUser = decoded->empty() ? std::string(1, '\0') : *decoded;
            return reply(ReplyId::AuthChallenge, {{"challenge", std::string(auth::kLoginPasswordPrompt)}}, now, cause);
        }
        m_saslMechanism.clear();
        return finishAuth(m_saslUser, *decoded, {}, now, cause);
    }
    m_saslMechanism.clear();  // CRAM-MD5: "user digest"
    auto space = decoded->rfind(' ');
    if (space == std::string::npos) return reply(ReplyId::AuthCramMalformed, {}, now, cause);
    finishAuth(decoded->substr(0, space), {}, decoded->substr(space + 1), now, cause);
}

void SmtpServerSession::finishAuth(std::string_view user, std::string_view password, std::string_view cramDigest,
                                   Micros now, EventId cause) {
    const auth::User* found = m_ctx.directory.findUser(user);
    if (!found && user.find('@') == std::string_view::npos)  // a bare name: try the local domains
        for (const auto& d : m_ctx.directory.domains())
            if ((found = m_ctx.directory.findUser(std::string(user) + "@" + d))) break;
    bool ok = found && (cramDigest.empty() ? found->password == password
                                           : auth::hmacMd5Hex(found->password, m_cramChallenge) == cramDigest);
    if (!ok) {
        ++m_failedLogins;
        m_rec.explain(now, {.id = trace::NoteId::AuthFailed, .names = {std::string(user)}}, cause);
        return reply(ReplyId::AuthFailed, {}, now, cause);
    }
    m_authUser = found->address;
    m_rec.explain(now, {.id = trace::NoteId::AuthOk, .names = {m_authUser}}, cause);
    reply(ReplyId::AuthOk, {}, now, cause);
}

}  // namespace mailsim::smtp
