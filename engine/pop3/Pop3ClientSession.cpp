#include "pop3/Pop3ClientSession.hpp"

#include "auth/Sasl.hpp"
#include "pop3/Pop3States.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

namespace mailsim::pop3 {
namespace {

using trace::Direction;
using trace::LineRole;
using trace::Micros;

}  // namespace

Pop3ClientSession::Pop3ClientSession(Pop3ClientConfig config, trace::Recorder recorder)
    : m_config(std::move(config)), m_rec(recorder), m_machine(pop3ClientMachine(recorder)) {
    m_parser.expectMultiLine(false);  // the greeting
}

std::string Pop3ClientSession::takeOutput() { return std::exchange(m_output, {}); }

std::uint64_t Pop3ClientSession::bytesFetched() const {
    std::uint64_t n = 0;
    for (const auto& m : m_fetched) n += m.content.size();
    return n;
}

void Pop3ClientSession::receive(std::string_view bytes, Micros now) {
    if (done()) return;
    if (m_tlsPending) return noteDiscarded(bytes.size(), now);  // plaintext before the handshake: never read
    m_parser.feed(bytes);
    while (!done() && !m_tlsPending) {
        auto r = m_parser.next();
        if (!r) break;
        bool body = phase() == Phase::Retr;
        for (std::size_t i = 0; i < r->raw.size(); ++i) {
            std::string_view raw = r->raw[i];
            std::string_view text = raw;
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
            LineRole role = (body && i > 0 && i + 1 < r->raw.size()) ? LineRole::Data : LineRole::Reply;
            m_lastReceived = m_rec.line(now, Direction::ServerToClient, role, std::string(text), std::string(raw), m_lastSent);
        }
        onResponse(*r, now);
    }
    if (m_tlsPending) return noteDiscarded(m_parser.discard(), now);  // response injection after +OK to STLS
    if (!done() && m_parser.error())
        fail({.id = trace::ErrorId::NotAReply, .names = {"POP3"}, .rfc = "RFC 1939 3", .detail = *m_parser.error()}, now);
}

void Pop3ClientSession::connectionClosed(Micros now) {
    if (done()) return;
    if (phase() != Phase::Quit) report({.id = trace::ErrorId::Pop3ClientClosed, .names = {std::string(toString(phase()))}}, now);
    advance(Pop3ClientInput::Close, now, std::string(util::kWhyClosed), trace::kNoCause);
}

void Pop3ClientSession::send(std::string line, Micros now) {
    m_parser.expectMultiLine(pop3ResponseIsMultiLine(line));
    m_lastSent = m_rec.line(now, Direction::ClientToServer, LineRole::Command, line, line + "\r\n", m_lastReceived);
    m_output += line + "\r\n";
}

// The client moves only as its table (Pop3States.cpp) allows (util/ClientMachine.hpp: a move the table lacks is
// recorded as an error and the session ends).
void Pop3ClientSession::advance(Pop3ClientInput input, Micros now, std::string why, trace::EventId cause) {
    m_machine.advance(input, now, std::move(why), cause);
}

void Pop3ClientSession::report(trace::ErrorReport problem, Micros now) {
    m_rec.error(now, problem, m_lastReceived);
    if (!m_problem) m_problem = std::move(problem);
}

// The move's why is the response that made the client give up ("-ERR", or util::kWhyNotAReply for a line that is no
// POP3 response).
void Pop3ClientSession::fail(trace::ErrorReport problem, Micros now) {
    const std::string why(problem.id == trace::ErrorId::NotAReply ? util::kWhyNotAReply : std::string_view(m_why));
    report(std::move(problem), now);
    if (phase() == Phase::Quit || phase() == Phase::Greeting) {
        advance(Pop3ClientInput::Close, now, why, m_lastReceived);
        return;
    }
    send("QUIT", now);
    advance(Pop3ClientInput::Quit, now, why, m_lastReceived);
}

void Pop3ClientSession::onResponse(const Pop3Response& r, Micros now) {
    m_why = r.ok ? "+OK" : "-ERR";
    const std::string why = m_why;
    // The server said -ERR to `verb` (message `number`): its words are kept as received.
    auto refused = [&r](trace::ErrorId id, std::string verb, std::uint64_t number = 0) {
        trace::ErrorReport out{.id = id, .names = {std::move(verb)}, .detail = r.text};
        if (number) out.numbers.push_back(number);
        return out;
    };
    switch (phase()) {
    case Phase::Greeting:
        if (!r.ok) return fail({.id = trace::ErrorId::Pop3ClientGreeting, .detail = r.text}, now);
        m_greeting = r.text;
        if (util::wantsStartTls(m_config.tls) && !m_tlsActive) {
            send("CAPA", now);  // RFC 2449 5: does the server offer STLS?
            return advance(Pop3ClientInput::Capa, now, why, m_lastReceived);
        }
        return startLogin(now, why);
    case Phase::Capa: {
        bool stls = r.ok && std::ranges::any_of(r.lines, [](const std::string& l) {
            return l == "STLS" || l.starts_with("STLS ");
        });
        if (m_tlsActive || !util::wantsStartTls(m_config.tls)) return startLogin(now, why);
        if (stls) {
            send("STLS", now);  // RFC 2595 4
            return advance(Pop3ClientInput::Stls, now, why, m_lastReceived);
        }
        if (m_config.tls == util::ClientTls::Required)
            return fail({.id = trace::ErrorId::Pop3ClientNoStls, .rfc = "RFC 2595"}, now);
        m_rec.explain(now, {.id = trace::NoteId::StartTlsNotOffered, .names = {"STLS"}}, m_lastReceived);
        return startLogin(now, why);
    }
    case Phase::Stls:
        if (r.ok) {
            m_tlsPending = true;
            m_rec.explain(now, {.id = trace::NoteId::StartTlsWaiting, .names = {"STLS"}, .rfc = "RFC 2595 4"}, m_lastReceived);
            return;
        }
        if (m_config.tls == util::ClientTls::Required)
            return fail({.id = trace::ErrorId::Pop3ClientStlsRefused, .detail = r.text}, now);
        m_rec.explain(now, {.id = trace::NoteId::StartTlsRefused, .names = {"STLS"}}, m_lastReceived);
        return startLogin(now, why);
    case Phase::User:
        if (!r.ok) return fail(refused(trace::ErrorId::Pop3ClientRefused, "USER"), now);
        send("PASS " + m_config.password, now);
        return advance(Pop3ClientInput::Pass, now, why, m_lastReceived);
    case Phase::Pass:
    case Phase::Apop:
        if (!r.ok) return fail(refused(trace::ErrorId::Pop3ClientLoginRefused, std::string(toString(phase()))), now);
        if (m_config.mode == FetchMode::Keep) {
            send("UIDL", now);
            return advance(Pop3ClientInput::Uidl, now, why, m_lastReceived);
        }
        send("LIST", now);
        return advance(Pop3ClientInput::List, now, why, m_lastReceived);
    case Phase::List:
    case Phase::Uidl: {
        if (!r.ok) return fail(refused(trace::ErrorId::Pop3ClientRefused, std::string(toString(phase()))), now);
        queueListing(r);
        return next(now);
    }
    case Phase::Retr: {
        auto& [number, uid] = m_queue[m_queuePos];
        if (r.ok) {
            m_fetched.push_back(FetchedMessage{number, uid, r.body()});
            if (!uid.empty()) m_known.insert(uid);
            if (m_config.mode == FetchMode::Delete) {
                send(fmt::format("DELE {}", number), now);
                return advance(Pop3ClientInput::Dele, now, why, m_lastReceived);
            }
        } else {
            report(refused(trace::ErrorId::Pop3ClientRefused, "RETR", number), now);
        }
        ++m_queuePos;
        return next(now);
    }
    case Phase::Dele:
        if (r.ok) ++m_deleted;
        else report(refused(trace::ErrorId::Pop3ClientRefused, "DELE", m_queue[m_queuePos].first), now);
        ++m_queuePos;
        return next(now);
    case Phase::Quit:
        m_quitOk = r.ok;
        if (!r.ok) report(refused(trace::ErrorId::Pop3ClientRefused, "QUIT"), now);
        return advance(Pop3ClientInput::Close, now, why, m_lastReceived);
    case Phase::Done: return;
    }
}

// The LIST or UIDL listing (RFC 1939 5, 7): each message to fetch is queued; in keep mode a unique id seen before is
// only remembered as still there. Lines that are not "number [uid]" are skipped.
void Pop3ClientSession::queueListing(const Pop3Response& r) {
    for (const auto& line : r.lines) {
        auto [num, rest] = splitCommand(line);
        auto n = parseNumber(num);
        if (!n) continue;
        if (phase() != Phase::Uidl) {
            m_queue.emplace_back(*n, std::string());
            continue;
        }
        std::string uid(rest);
        if (!validUniqueId(uid)) continue;
        if (m_config.knownUids.contains(uid)) {
            m_known.insert(uid);  // seen before and still there
            continue;
        }
        m_queue.emplace_back(*n, uid);
    }
}

void Pop3ClientSession::startLogin(Micros now, const std::string& why) {
    if (m_config.login == LoginMethod::Apop) {
        auto open = m_greeting.find('<');
        auto close = m_greeting.find('>', open);
        if (open == std::string::npos || close == std::string::npos) {
            report({.id = trace::ErrorId::Pop3ClientNoTimestamp, .rfc = "RFC 1939 7"}, now);
            send("QUIT", now);
            return advance(Pop3ClientInput::Quit, now, why, m_lastReceived);
        }
        std::string stamp = m_greeting.substr(open, close - open + 1);
        send(fmt::format("APOP {} {}", m_config.user, auth::apopDigest(stamp, m_config.password)), now);
        return advance(Pop3ClientInput::Apop, now, why, m_lastReceived);
    }
    send("USER " + m_config.user, now);
    advance(Pop3ClientInput::User, now, why, m_lastReceived);
}

void Pop3ClientSession::tlsEstablished(Micros now) {
    bool wasPending = std::exchange(m_tlsPending, false);
    m_tlsActive = true;
    if (!wasPending) return;  // implicit TLS (POP3S): before the greeting, nothing else changes
    // RFC 2595 4: the client MUST discard cached capabilities after TLS; it asks again.
    send("CAPA", now);
    advance(Pop3ClientInput::Capa, now, std::string(util::kWhyTlsEstablished), m_lastReceived);
}

void Pop3ClientSession::noteDiscarded(std::size_t count, Micros now) {
    util::noteDiscardedPlaintext(m_rec, count, now, m_lastReceived, "STLS", "+OK");
}

void Pop3ClientSession::next(Micros now) {
    const std::string why = m_why;  // the answer to the listing, RETR or DELE
    if (m_queuePos < m_queue.size()) {
        send(fmt::format("RETR {}", m_queue[m_queuePos].first), now);
        return advance(Pop3ClientInput::Retr, now, why, m_lastReceived);
    }
    send("QUIT", now);
    advance(Pop3ClientInput::Quit, now, why, m_lastReceived);
}

}  // namespace mailsim::pop3
