#include "smtp/SmtpClientSession.hpp"

#include "trace/Errors.hpp"

#include "auth/Sasl.hpp"
#include "util/Lines.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mailsim::smtp {
namespace {

using trace::Direction;
using trace::EventId;
using trace::LineRole;
using trace::Micros;

DeliveryStatus failureOf(const Reply& reply) {
    return reply.klass() == 5 ? DeliveryStatus::PermFailed : DeliveryStatus::TempFailed;
}

// RFC 5321 4.2: 2yz positive completion, 3yz positive intermediate; both let the client go on.
bool positive(const Reply& reply) { return reply.klass() == 2 || reply.klass() == 3; }

std::string replyTextOf(const Reply& reply) {
    std::string out;
    for (const auto& l : reply.lines) {
        if (!out.empty()) out += '\n';
        out += l;
    }
    return out;
}

}  // namespace

std::string SmtpClientSession::encodeContent(std::string_view content) { return util::dotStuff(content); }

std::size_t SmtpClientSession::contentSize(std::string_view content) { return util::crlfSize(content); }

SmtpClientSession::SmtpClientSession(SmtpClientConfig config, std::vector<OutgoingMessage> messages,
                                     trace::Recorder recorder)
    : m_config(std::move(config)), m_messages(std::move(messages)), m_rec(recorder), m_machine(smtpClientMachine(recorder)) {
    m_results.reserve(m_messages.size());
    for (const auto& m : m_messages) {
        MessageResult r;
        for (const auto& rcpt : m.recipients) r.recipients.push_back(RecipientResult{rcpt, DeliveryStatus::Pending, 0, {}});
        m_results.push_back(std::move(r));
    }
}

std::string SmtpClientSession::takeOutput() { return std::exchange(m_output, {}); }

void SmtpClientSession::receive(std::string_view bytes, Micros now) {
    if (done()) return;
    if (m_tlsPending) return noteDiscarded(bytes.size(), now);  // plaintext before the handshake: never read
    m_parser.feed(bytes);
    while (!done() && !m_tlsPending) {
        auto reply = m_parser.next();
        if (!reply) break;
        // Record each line of the reply as received, answering the last command sent.
        std::size_t start = 0;
        while (start < reply->raw.size()) {
            auto nl = reply->raw.find('\n', start);
            std::size_t end = nl == std::string::npos ? reply->raw.size() : nl + 1;
            std::string_view raw(reply->raw.data() + start, end - start);
            std::string_view text = raw;
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
            m_lastReceived = m_rec.line(now, Direction::ServerToClient, LineRole::Reply, std::string(text),
                                        std::string(raw), m_lastSent);
            start = end;
        }
        onReply(*reply, now);
    }
    if (m_tlsPending) {  // whatever came after the 220 in plaintext is never used (STARTTLS response injection)
        noteDiscarded(m_parser.discard(), now);
        return;
    }
    if (!done() && m_parser.error()) {
        // Not SMTP (RFC 5321 4.2): nothing more the server says can be trusted. Fail what is left and say QUIT
        // without waiting for its answer.
        std::string bad = m_parser.error()->substr(0, 80);
        m_lastReceived = m_rec.line(now, Direction::ServerToClient, LineRole::Reply, bad, bad, m_lastSent);
        m_rec.error(now, {.id = trace::ErrorId::NotAReply, .names = {"SMTP"}, .rfc = "RFC 5321 4.2", .detail = bad}, m_lastReceived);
        failRemaining(DeliveryStatus::TempFailed, 0, trace::ClientReason::NotAReply, bad);
        if (phase() != Phase::Quit) send("QUIT", now);
        advance(SmtpClientInput::Close, now, util::kWhyNotAReply, m_lastReceived);
    }
}

void SmtpClientSession::connectionClosed(Micros now) {
    if (done()) return;
    failRemaining(DeliveryStatus::TempFailed, 0, trace::ClientReason::ClosedEarly);
    advance(SmtpClientInput::Close, now, util::kWhyClosed, trace::kNoCause);
}

void SmtpClientSession::onReply(const Reply& reply, Micros now) {
    m_lastCode = reply.code;
    const std::string why = std::to_string(reply.code);
    if (reply.code == 421) {
        // RFC 5321 3.8: the server is closing; the client must not send anything more (not even QUIT).
        failRemaining(DeliveryStatus::TempFailed, reply);
        advance(SmtpClientInput::Close, now, why, m_lastReceived);
        return;
    }
    switch (phase()) {
    case Phase::Greeting: return onGreeting(reply, now, why);
    case Phase::Ehlo: return onEhloReply(reply, now, why);
    case Phase::Helo:
        if (positive(reply)) {
            m_serverName = reply.lines.empty() ? std::string() : std::string(splitCommand(reply.lines[0]).first);
            return afterHello(now);
        }
        failRemaining(failureOf(reply), reply);
        return quit(now);
    case Phase::Mail:
        if (positive(reply)) return sendNextRcpt(now);
        finishMessage(failureOf(reply), reply);  // no transaction was opened: go straight to the next message
        return startMessage(now);
    case Phase::Rcpt: return onRcptReply(reply, now, why);
    case Phase::Data:
        if (positive(reply)) {
            sendContent(now);
            return advance(SmtpClientInput::Content, now, why, m_lastReceived);
        }
        finishMessage(failureOf(reply), reply);
        send("RSET", now);
        return advance(SmtpClientInput::Rset, now, why, m_lastReceived);
    case Phase::Content:
        // The reply to "." decides the message for every accepted recipient (RFC 5321 4.1.1.4).
        finishMessage(positive(reply) ? DeliveryStatus::Delivered : failureOf(reply), reply);
        return startMessage(now);
    case Phase::Rset:
        if (positive(reply)) return startMessage(now);
        failRemaining(DeliveryStatus::TempFailed, reply);
        return quit(now);
    case Phase::StartTls: return onStartTlsReply(reply, now);
    case Phase::Auth: return onAuthReply(reply, now);
    case Phase::Quit:
        return advance(SmtpClientInput::Close, now, why, m_lastReceived);
    case Phase::Done:
        return;
    }
}

void SmtpClientSession::onGreeting(const Reply& reply, Micros now, const std::string& why) {
    if (reply.klass() != 2) {  // 554 "no SMTP service here" (RFC 5321 3.1) or some 4xx: give up politely
        failRemaining(failureOf(reply), reply);
        return quit(now);
    }
    send((m_config.useEhlo ? "EHLO " : "HELO ") + m_config.heloName, now);
    advance(m_config.useEhlo ? SmtpClientInput::Ehlo : SmtpClientInput::Helo, now, why, m_lastReceived);
}

void SmtpClientSession::onEhloReply(const Reply& reply, Micros now, const std::string& why) {
    if (positive(reply)) {
        m_serverName = reply.lines.empty() ? std::string() : std::string(splitCommand(reply.lines[0]).first);
        // The first line is the greeting; each further line names one extension (RFC 5321 4.1.1.1).
        for (std::size_t i = 1; i < reply.lines.size(); ++i) {
            std::string keyword = toUpper(splitCommand(reply.lines[i]).first);
            if (keyword == "SIZE") m_serverSize = true;
            if (keyword == "8BITMIME") m_server8bit = true;
            if (keyword == "SMTPUTF8") m_serverUtf8 = true;
            if (keyword == "AUTH") m_serverAuth = true;
            if (keyword == "STARTTLS") m_serverStartTls = true;
        }
        return afterHello(now);
    }
    if (reply.klass() == 5) {  // an RFC 821 server that does not know EHLO (RFC 5321 4.1.4, 3.2)
        send("HELO " + m_config.heloName, now);
        return advance(SmtpClientInput::Helo, now, why, m_lastReceived);
    }
    failRemaining(failureOf(reply), reply);
    quit(now);
}

void SmtpClientSession::onRcptReply(const Reply& reply, Micros now, const std::string& why) {
    auto& r = m_results[m_message].recipients[m_rcpt - 1];
    r.code = reply.code;
    r.reply = replyTextOf(reply);
    if (positive(reply))
        ++m_accepted;  // stays Pending until the final reply to the content
    else
        r.status = failureOf(reply);  // RFC 5321 3.3: the other recipients go on
    if (m_rcpt < m_messages[m_message].recipients.size()) return sendNextRcpt(now);
    if (m_accepted > 0) {
        send("DATA", now);
        return advance(SmtpClientInput::Data, now, why, m_lastReceived);
    }
    finishMessage(DeliveryStatus::PermFailed, reply);  // nothing is pending; just move on
    send("RSET", now);
    advance(SmtpClientInput::Rset, now, why, m_lastReceived);
}

void SmtpClientSession::onStartTlsReply(const Reply& reply, Micros now) {
    if (reply.code == 220) {  // RFC 3207 4: the handshake starts now; the transport takes over
        m_tlsPending = true;
        m_rec.explain(now, {.id = trace::NoteId::StartTlsWaiting, .names = {"STARTTLS"}, .rfc = "RFC 3207 4"}, m_lastReceived);
        return;
    }
    if (m_config.tls == util::ClientTls::Required) {
        failRemaining(DeliveryStatus::TempFailed, reply.code, trace::ClientReason::StartTlsRefused, replyTextOf(reply));
        return quit(now);
    }
    m_tlsDeclined = true;  // opportunistic: carry on without TLS
    m_rec.explain(now, {.id = trace::NoteId::StartTlsRefused, .names = {"STARTTLS"}}, m_lastReceived);
    login(now);
}

void SmtpClientSession::onAuthReply(const Reply& reply, Micros now) {
    if (reply.code == 334 && m_config.authMechanism == "LOGIN" && m_authStep < 2) {
        // The prompts are base64 "Username:" and "Password:"; each answer is one base64 line.
        send(auth::base64Encode(m_authStep++ == 0 ? m_config.user : m_config.password), now);
        return;
    }
    if (reply.code == 334 && m_config.authMechanism == "CRAM-MD5" && m_authStep == 0) {
        // RFC 2195 2: the challenge is base64; the answer is base64 of "user HMAC-MD5(password, challenge)".
        auto challenge = reply.lines.empty() ? std::nullopt : auth::base64Decode(reply.lines.front());
        if (challenge) {
            ++m_authStep;
            send(auth::base64Encode(m_config.user + " " + auth::hmacMd5Hex(m_config.password, *challenge)), now);
            return;
        }
    }
    if (reply.klass() == 2) return startMessage(now);  // 235: logged in
    failRemaining(reply.klass() == 4 ? DeliveryStatus::TempFailed : DeliveryStatus::PermFailed, reply);
    if (reply.code == 334) send("*", now);  // an unexpected challenge: cancel the exchange (RFC 4954 4)
    quit(now);
}

void SmtpClientSession::send(std::string line, Micros now) {
    std::string raw = line + "\r\n";
    m_output += raw;
    m_lastSent = m_rec.line(now, Direction::ClientToServer, LineRole::Command, std::move(line), std::move(raw),
                            m_lastReceived);
}

void SmtpClientSession::sendContent(Micros now) {
    std::string wire = encodeContent(m_messages[m_message].content);
    m_output += wire;
    const EventId cause = m_lastReceived;  // the 354
    std::size_t start = 0;
    while (start < wire.size()) {
        auto end = wire.find("\r\n", start);  // encodeContent leaves no bare CR or LF
        m_lastSent = m_rec.line(now, Direction::ClientToServer, LineRole::Data, wire.substr(start, end - start),
                                wire.substr(start, end + 2 - start), cause);
        start = end + 2;
    }
}

// The client moves only as its table (SmtpStates.cpp) allows (util/ClientMachine.hpp: a move the table lacks is
// recorded as an error and the session ends).
void SmtpClientSession::advance(SmtpClientInput input, Micros now, std::string_view why, EventId cause) {
    m_machine.advance(input, now, std::string(why), cause);
}

void SmtpClientSession::startMessage(Micros now) {
    while (m_message < m_messages.size() && m_messages[m_message].recipients.empty()) ++m_message;
    if (m_message >= m_messages.size()) return quit(now);
    const OutgoingMessage& msg = m_messages[m_message];
    m_rcpt = 0;
    m_accepted = 0;
    bool utf8 = needsSmtpUtf8(msg);
    if (utf8 && !m_serverUtf8) {  // RFC 6531 3.7.5: never hand a UTF-8 message to a hop that cannot take it
        const std::string host = m_serverName.empty() ? std::string("(unnamed)") : m_serverName;
        m_rec.explain(now,
                      {.id = trace::NoteId::Utf8NotOffered, .names = {m_serverName}, .numbers = {m_message + 1},
                       .rfc = "RFC 6531 3.7.5"},
                      m_lastReceived);
        for (auto& r : m_results[m_message].recipients) {
            r.status = DeliveryStatus::PermFailed;
            r.code = 0;  // no SMTP reply: this client decided
            r.reason = trace::ClientReason::NoSmtpUtf8;
            r.detail = host;
            r.reply = clientReasonWords(r.reason, host);
        }
        ++m_message;
        return startMessage(now);
    }
    std::string line = "MAIL FROM:<" + msg.reversePath + ">";
    if (m_serverSize) line += fmt::format(" SIZE={}", contentSize(msg.content));  // RFC 1870
    if (m_server8bit && std::ranges::any_of(msg.content, [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        line += " BODY=8BITMIME";  // RFC 6152
    if (utf8) line += " SMTPUTF8";  // RFC 6531 3.4
    send(std::move(line), now);
    advance(SmtpClientInput::Mail, now, std::to_string(m_lastCode), m_lastReceived);
}

bool SmtpClientSession::needsSmtpUtf8(const OutgoingMessage& message) {
    if (!isAscii(message.reversePath)) return true;
    if (std::ranges::any_of(message.recipients, [](const std::string& r) { return !isAscii(r); })) return true;
    std::string_view content = message.content;
    std::size_t end = content.size();
    for (std::string_view blank : {"\r\n\r\n", "\n\n"})
        if (auto p = content.find(blank); p != std::string_view::npos) end = std::min(end, p);
    return !isAscii(content.substr(0, end));
}

void SmtpClientSession::sendNextRcpt(Micros now) {
    send("RCPT TO:<" + m_messages[m_message].recipients[m_rcpt++] + ">", now);
    advance(SmtpClientInput::Rcpt, now, std::to_string(m_lastCode), m_lastReceived);
}

void SmtpClientSession::finishMessage(DeliveryStatus status, const Reply& reply) {
    for (auto& r : m_results[m_message].recipients) {
        if (r.status != DeliveryStatus::Pending) continue;
        r.status = status;
        r.code = reply.code;
        r.reply = replyTextOf(reply);
    }
    ++m_message;
}

std::string clientReasonWords(trace::ClientReason reason, std::string_view detail) {
    using R = trace::ClientReason;
    switch (reason) {
    case R::None: break;
    case R::NotAReply: return fmt::format("invalid reply from the server: {}", detail);
    case R::ClosedEarly: return "connection closed before the server confirmed";
    case R::StartTlsRefused: return fmt::format("server refused STARTTLS ({}); refusing to continue in plaintext", detail);
    case R::StartTlsNotOffered: return "server does not offer STARTTLS; refusing to continue in plaintext";
    case R::NoSmtpUtf8: return fmt::format("5.6.7 SMTPUTF8 is required, but was not offered by host {}", detail);
    case R::NoAuth: return "the server does not offer AUTH (RFC 4954), so the client cannot log in";
    }
    return std::string(detail);
}

void SmtpClientSession::failRemaining(DeliveryStatus status, int code, trace::ClientReason reason,
                                      const std::string& detail) {
    const std::string text = clientReasonWords(reason, detail);  // the DSN's words (mail content)
    for (std::size_t i = m_message; i < m_results.size(); ++i)
        for (auto& r : m_results[i].recipients) {
            if (r.status != DeliveryStatus::Pending) continue;
            r.status = status;
            r.code = code;
            r.reply = text;
            r.reason = reason;
            r.detail = detail;
        }
    m_message = m_results.size();
}

void SmtpClientSession::failRemaining(DeliveryStatus status, const Reply& reply) {
    for (std::size_t i = m_message; i < m_results.size(); ++i)
        for (auto& r : m_results[i].recipients) {
            if (r.status != DeliveryStatus::Pending) continue;
            r.status = status;
            r.code = reply.code;
            r.reply = replyTextOf(reply);
        }
    m_message = m_results.size();
}

void SmtpClientSession::afterHello(Micros now) {
    if (util::wantsStartTls(m_config.tls) && !m_tlsActive && !m_tlsDeclined) {
        if (m_serverStartTls) {
            send("STARTTLS", now);  // RFC 3207 4
            return advance(SmtpClientInput::StartTls, now, std::to_string(m_lastCode), m_lastReceived);
        }
        if (m_config.tls == util::ClientTls::Required) {
            m_rec.explain(now, {.id = trace::NoteId::StartTlsRequired, .names = {"STARTTLS"}}, m_lastReceived);
            failRemaining(DeliveryStatus::TempFailed, 0, trace::ClientReason::StartTlsNotOffered);
            return quit(now);
        }
        m_rec.explain(now, {.id = trace::NoteId::StartTlsNotOffered, .names = {"STARTTLS"}}, m_lastReceived);
    }
    login(now);
}

void SmtpClientSession::tlsEstablished(Micros now) {
    bool wasPending = std::exchange(m_tlsPending, false);
    m_tlsActive = true;
    if (!wasPending) return;  // implicit TLS: before the greeting, nothing else changes
    // RFC 3207 4.2: the client MUST discard what it learnt from the server before TLS and send EHLO again.
    m_serverSize = m_server8bit = m_serverUtf8 = m_serverAuth = m_serverStartTls = false;
    send("EHLO " + m_config.heloName, now);
    advance(SmtpClientInput::Ehlo, now, util::kWhyTlsEstablished, m_lastReceived);
}

void SmtpClientSession::noteDiscarded(std::size_t count, Micros now) {
    util::noteDiscardedPlaintext(m_rec, count, now, m_lastReceived, "STARTTLS", "220");
}

void SmtpClientSession::login(Micros now) {
    if (m_config.user.empty()) return startMessage(now);
    if (!m_serverAuth) {
        failRemaining(DeliveryStatus::PermFailed, 0, trace::ClientReason::NoAuth);
        return quit(now);
    }
    if (m_config.authMechanism == "LOGIN" || m_config.authMechanism == "CRAM-MD5") {
        send("AUTH " + m_config.authMechanism, now);
    } else {
        send("AUTH PLAIN " + auth::encodeSaslPlain(m_config.user, m_config.password), now);  // RFC 4954 4 initial response
    }
    m_authStep = 0;
    advance(SmtpClientInput::Auth, now, std::to_string(m_lastCode), m_lastReceived);
}

void SmtpClientSession::quit(Micros now) {
    send("QUIT", now);
    advance(SmtpClientInput::Quit, now, std::to_string(m_lastCode), m_lastReceived);
}

}  // namespace mailsim::smtp
