// Raw scripted sessions: the client side types the script's lines exactly as written (see Runner.cpp's theory of
// operation), through TLS once a STARTTLS/STLS line was accepted or from the start on an implicit TLS port.
#include "sim/world/RunnerWorld.hpp"
#include "sim/world/ScriptedStates.hpp"

#include "imap/ImapSyntax.hpp"
#include "pop3/Pop3Syntax.hpp"
#include "smtp/SmtpSyntax.hpp"

#include <fmt/format.h>

namespace mailsim::sim::detail {
namespace {

// The client side of a scripted session: types lines, reads replies, checks expectations, and follows the client's
// state machine through its transition table from what it types and reads (ScriptedStates.hpp).
class ScriptedClient {
public:
    ScriptedClient(World& world, const SessionStep& sess, std::size_t stepIndex, trace::SessionId session,
                   std::shared_ptr<VirtualConnection> conn, std::shared_ptr<TlsClientPipe> tls)
        : m_world(world), m_sess(sess), m_step(stepIndex), m_session(session), m_conn(std::move(conn)),
          m_pop3(sess.protocol == "pop3"), m_imap(sess.protocol == "imap"), m_tls(std::move(tls)),
          m_states(makeScriptedStates(sess.protocol, trace::Recorder(&world.trace(), session))) {
        m_tlsHandshaking = m_tls && m_tls->active();  // implicit TLS: the greeting comes after the handshake
        m_popParser.expectMultiLine(false);  // the greeting
        // The first reply is the greeting; it is checked when the script starts with a line that only expects.
        m_waiting = true;
        m_target = m_sess.script.front().send ? -1 : 0;
        if (m_target == 0) m_index = 0;
    }

    // Implicit TLS: the ClientHello goes out as soon as the connection is there.
    void start() { sendWire(""); }

    // Wire bytes from the server: through TLS once it is active, then as protocol text.
    void onBytes(std::string_view wire) {
        if (!m_tls || !m_tls->active()) return onPlain(wire);
        std::string plain = m_tls->fromWire(wire, m_world.now());
        if (m_tls->failed()) {
            failRemaining({.reason = trace::ExpectReason::TlsFailed, .detail = m_tls->error()});
            m_serverClosed = true;
            hangUp();
            return;
        }
        if (m_tls->justEstablished()) m_tlsHandshaking = false;
        sendWire("");  // handshake messages (the client's Finished)
        if (!plain.empty()) onPlain(plain);
        else pump();
    }

    void onPlain(std::string_view bytes) {
        if (m_imap) {
            m_imapIn.append(bytes);
            while (auto line = nextImapLine()) onImapLine(*line);
            return;
        }
        if (m_pop3) {
            m_popParser.feed(bytes);
            while (auto r = m_popParser.next()) {
                m_lastWasContinuation = r->continuation;
                onReply(Reply{0, r->ok, r->text + (r->lines.empty() ? "" : "\n") + joinLines(r->lines), {}});
            }
        } else {
            m_parser.feed(bytes);
            while (auto reply = m_parser.next()) {
                m_smtpChallenged = reply->code == 334;  // RFC 4954 4: the next line answers the challenge
                onReply(Reply{reply->code, reply->klass() <= 3, joinLines(reply->lines), {}});
            }
        }
        const auto& garbage = m_pop3 ? m_popParser.error() : m_parser.error();
        if (garbage && !m_reportedGarbage) {
            m_reportedGarbage = true;
            trace::Recorder(&m_world.trace(), m_session)
                .error(m_world.now(), {.id = trace::ErrorId::NotAReply, .names = {m_pop3 ? "POP3" : "SMTP"},
                                       .detail = *garbage});
        }
    }

    void onServerClosed() {
        m_serverClosed = true;
        failRemaining(closedReason());
        hangUp();
    }

    // Called when the world is idle after the step: whatever is still awaited never came.
    void finish() {
        if (m_index < m_sess.script.size())
            failRemaining(m_inData ? trace::ExpectReason::StillReading : trace::ExpectReason::Waiting);
    }

    bool scriptDone() const { return m_index >= m_sess.script.size(); }

private:
    // A reply as the script sees it: the SMTP code (0 for POP3), positive or not, and every line's text.
    struct Reply {
        int code;
        bool ok;
        std::string text;
        std::string status;  // IMAP: OK, NO, BAD, BYE (the greeting), or "+"
    };

    // One IMAP response line, with any literal it announces ("{n}" then n octets) folded in; nullopt until complete.
    std::optional<std::string> nextImapLine() {
        for (;;) {
            if (m_imapLiteral > 0) {
                std::size_t n = std::min<std::size_t>(m_imapLiteral, m_imapIn.size());
                m_imapCur.append(m_imapIn, 0, n);
                m_imapIn.erase(0, n);
                m_imapLiteral -= n;
                if (m_imapLiteral > 0) return std::nullopt;
            }
            auto nl = m_imapIn.find('\n');
            if (nl == std::string::npos) return std::nullopt;
            std::string line = m_imapIn.substr(0, nl);
            m_imapIn.erase(0, nl + 1);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            m_imapCur += line;
            if (auto lit = imap::trailingLiteral(line); lit && lit->size <= (64u << 20)) {
                m_imapCur += "\n";
                m_imapLiteral = static_cast<std::size_t>(lit->size);
                continue;
            }
            return std::exchange(m_imapCur, {});
        }
    }

    void onImapLine(const std::string& line) {
        auto word = [&](std::size_t n) {  // the n-th space-separated word
            std::size_t start = 0;
            for (std::size_t i = 0; i < n && start != std::string::npos; ++i) {
                start = line.find(' ', start);
                if (start != std::string::npos) ++start;
            }
            if (start == std::string::npos) return std::string();
            return line.substr(start, line.find(' ', start) - start);
        };
        if (line.starts_with("+")) {
            m_lastWasContinuation = true;
            onReply(Reply{0, true, std::exchange(m_imapUntagged, {}) + line, "+"});
        } else if (line.starts_with("* ")) {
            m_imapUntagged += line + "\n";
            if (m_imapTag.empty() && !m_imapGreeted) {  // the greeting
                m_imapGreeted = true;
                onReply(Reply{0, word(1) == "OK", std::exchange(m_imapUntagged, {}), word(1)});
            }
        } else if (!m_imapTag.empty() && line.starts_with(m_imapTag + " ")) {
            m_imapTag.clear();
            onReply(Reply{0, word(1) == "OK", std::exchange(m_imapUntagged, {}) + line, word(1)});
        } else if (!m_reportedGarbage) {
            m_reportedGarbage = true;
            trace::Recorder(&m_world.trace(), m_session)
                .error(m_world.now(), {.id = trace::ErrorId::NotAReply, .names = {"IMAP"}, .detail = line.substr(0, 100)});
        }
    }
    static std::string joinLines(const std::vector<std::string>& lines) {
        std::string text;
        for (const auto& l : lines) text += (text.empty() ? "" : "\n") + l;
        return text;
    }

    void onReply(const Reply& reply) {
        if (m_states)
            m_states->replied({reply.code, reply.ok, reply.status}, m_world.now(), m_world.lastReply(m_session));
        if (m_target >= 0 && static_cast<std::size_t>(m_target) < m_sess.script.size()) {
            const ScriptLine& line = m_sess.script[m_target];
            if (line.expect) check(line, reply, reply.text);
            m_index = static_cast<std::size_t>(m_target) + 1;
            if (line.send && m_tls && !m_tls->active() && acceptsStartTls(*line.send, reply)) {
                // RFC 3207 4 / RFC 2595 4 / RFC 3501 6.2.1: the handshake starts now. Anything the server sent after
                // its reply in clear is dropped (STARTTLS response injection), and nothing is typed until TLS is up.
                m_parser = smtp::ReplyParser();
                m_popParser = pop3::Pop3ResponseParser();
                m_imapIn.clear();
                m_tls->begin(m_world.now());
                m_tlsHandshaking = true;
                sendWire("");
            }
        }
        if (reply.code == 354) m_inData = true;
        m_waiting = false;
        m_target = -1;
        pump();
    }

    // `reply` with its text, or none and `why` none came.
    void check(const ScriptLine& line, const std::optional<Reply>& reply, const std::string& text,
               trace::ExpectReason why = trace::ExpectReason::None) {
        bool ok = reply && (m_imap   ? line.expect->matchesImap(reply->status, text)
                            : m_pop3 ? line.expect->matchesPop3(reply->ok, text)
                                     : line.expect->matches(reply->code, text));
        std::string firstLine = text.substr(0, text.find('\n'));
        std::string lastLine = text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
        trace::ExpectationCheck c = expected(line);
        c.reason = why;
        if (reply)
            c.reply = m_imap ? lastLine
                      : m_pop3 ? fmt::format("{}{}{}", reply->ok ? "+OK" : "-ERR", firstLine.empty() ? "" : " ", firstLine)
                               : fmt::format("{} {}", reply->code, firstLine);
        m_world.expectation(m_session, std::move(c), ok, m_world.lastReply(m_session),
                            where(m_world.scenario(), m_step, line.pos, ExpectationPlace::Part::ScriptLine, m_index + 1));
    }

    // What a script line expects, as the trace records it.
    static trace::ExpectationCheck expected(const ScriptLine& line) {
        const ExpectSpec& x = *line.expect;
        return {.kind = trace::ExpectKind::Reply,
                .code = x.code,
                .klass = x.code ? 0 : x.klass,
                .status = !x.imapStatus.empty() ? x.imapStatus
                          : x.pop3Ok            ? std::string(*x.pop3Ok ? "+OK" : "-ERR")
                                                : std::string(),
                .contains = x.contains};
    }

    // True when `sent` asked for TLS and `reply` agreed to it.
    bool acceptsStartTls(const std::string& sent, const Reply& reply) const {
        const bool agreed = m_imap ? reply.status == "OK" : m_pop3 ? reply.ok : reply.code == 220;
        return agreed && asksForTls(m_sess.protocol, sent);
    }

    void sendWire(std::string_view plain) {
        std::string wire = m_tls && m_tls->active() ? m_tls->toWire(plain, m_world.now()) : std::string(plain);
        if (!wire.empty()) m_conn->send(VirtualConnection::Client, wire);
    }

    void pump() {
        if (m_tlsHandshaking) return;
        while (!m_waiting && m_index < m_sess.script.size() && !m_serverClosed) {
            const ScriptLine& line = m_sess.script[m_index];
            if (!line.send) {  // only wait for (another) reply
                m_waiting = true;
                m_target = static_cast<int>(m_index);
                return;
            }
            sendWire(*line.send + "\r\n" + line.inject);
            if (m_states) m_states->sent(*line.send, lineKind(), m_world.now(), m_world.lastReply(m_session));
            if (m_imap) {  // a new command's tag; a line after a "+" continues the command that asked for it
                if (!std::exchange(m_lastWasContinuation, false) || m_imapTag.empty())
                    m_imapTag = line.send->substr(0, line.send->find(' '));
                m_imapGreeted = true;
            }
            if (m_pop3 && !std::exchange(m_lastWasContinuation, false))  // a SASL response answers the "+ " instead
                m_popParser.expectMultiLine(pop3::pop3ResponseIsMultiLine(*line.send));
            if (m_inData && *line.send != ".") {  // message content: no reply until the final "."
                if (line.expect) check(line, std::nullopt, {}, trace::ExpectReason::SentAsContent);
                ++m_index;
                continue;
            }
            if (m_inData) m_inData = false;
            m_waiting = true;
            m_target = static_cast<int>(m_index);
        }
        if (m_index >= m_sess.script.size() && !m_waiting && !m_serverClosed)
            hangUp();  // the script is over: hang up, as a user closing telnet
    }

    // What the line being sent is to the client's machine: message content after 354, the answer to a SASL challenge
    // (SMTP 334, a POP3/IMAP "+"), or a command.
    ScriptedStates::LineKind lineKind() {
        if (m_inData) return ScriptedStates::LineKind::Content;
        if (m_lastWasContinuation || std::exchange(m_smtpChallenged, false)) return ScriptedStates::LineKind::Continuation;
        return ScriptedStates::LineKind::Command;
    }

    // The connection ends on the client's side (the client's machine closes with it).
    void hangUp() {
        if (m_states) m_states->closed(m_world.now(), m_world.lastReply(m_session));
        m_conn->close(VirtualConnection::Client);
    }

    // Every expectation still open fails for `why` (`c`: the reason with its facts).
    void failRemaining(const trace::ExpectationCheck& why) {
        for (; m_index < m_sess.script.size(); ++m_index) {
            const ScriptLine& line = m_sess.script[m_index];
            if (!line.expect) continue;
            trace::ExpectationCheck c = expected(line);
            c.reason = why.reason;
            c.failure = why.failure;
            c.failureHost = why.failureHost;
            c.detail = why.detail;
            m_world.expectation(m_session, std::move(c), false, trace::kNoCause,
                                where(m_world.scenario(), m_step, line.pos, ExpectationPlace::Part::ScriptLine, m_index + 1));
        }
    }
    void failRemaining(trace::ExpectReason why) { failRemaining(trace::ExpectationCheck{.reason = why}); }

    // Why the server side ended: the connection never came up (the session's ConnectionClosed says why), or the
    // server closed it.
    trace::ExpectationCheck closedReason() const {
        const auto& events = m_world.trace().events();
        for (auto it = events.rbegin(); it != events.rend(); ++it) {
            if (it->session != m_session) continue;
            if (it->kind == trace::EventKind::ConnectionOpened) break;
            if (it->kind != trace::EventKind::ConnectionClosed) continue;
            const auto* c = it->as<trace::Connection>();
            if (c && c->reason == trace::CloseReason::ConnectFailed)
                return {.reason = trace::ExpectReason::ConnectFailed, .failure = c->failure,
                        .failureHost = c->failureHost, .detail = c->detail};
            if (c && c->reason == trace::CloseReason::TlsUnavailable) return {.reason = trace::ExpectReason::TlsUnavailable};
            break;
        }
        return {.reason = trace::ExpectReason::ServerClosed};
    }

    World& m_world;
    const SessionStep& m_sess;
    std::size_t m_step;
    trace::SessionId m_session;
    std::shared_ptr<VirtualConnection> m_conn;
    bool m_pop3;
    bool m_imap;
    std::string m_imapIn, m_imapCur, m_imapUntagged, m_imapTag;
    std::size_t m_imapLiteral = 0;
    bool m_imapGreeted = false;
    smtp::ReplyParser m_parser;
    pop3::Pop3ResponseParser m_popParser;
    bool m_lastWasContinuation = false;
    bool m_smtpChallenged = false;  // the last SMTP reply was 334: the next line is a SASL response, not a command
    std::size_t m_index = 0;  // next script line to handle
    int m_target = -1;        // script line the awaited reply belongs to; -1: an unchecked greeting
    bool m_waiting = false;
    bool m_inData = false;
    bool m_serverClosed = false;
    bool m_reportedGarbage = false;
    std::shared_ptr<TlsClientPipe> m_tls;  // set when the server host has TLS; active once begun
    bool m_tlsHandshaking = false;         // nothing is typed while the handshake runs
    std::unique_ptr<ScriptedStates> m_states;  // the client's machine; null for a protocol without a client table
};

}  // namespace

void World::runStep(std::size_t index, const Step&, const SessionStep& sess) {
    Opened opened = open(sess);
    auto scripted = std::make_shared<ScriptedClient>(*this, sess, index, opened.session, opened.conn, opened.tls);
    opened.conn->onReceive(VirtualConnection::Client, [scripted](std::string_view bytes) { scripted->onBytes(bytes); });
    opened.conn->onClose(VirtualConnection::Client, [scripted] { scripted->onServerClosed(); });
    scripted->start();
    m_sched.runUntilIdle();
    scripted->finish();
    close(opened);
}

}  // namespace mailsim::sim::detail
