#include "pop3/Pop3ServerSession.hpp"

#include "auth/Sasl.hpp"
#include "pop3/Pop3Syntax.hpp"
#include "util/TlsMode.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

namespace mailsim::pop3 {
namespace {

using trace::Direction;
using trace::EventId;
using trace::LineRole;
using trace::Micros;

constexpr std::size_t kMaxEchoedArg = 100;  // a status line stays within RFC 2449 4's 512 octets

std::string plural(std::size_t n) { return n == 1 ? "" : "s"; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

Pop3ServerSession::Pop3ServerSession(Pop3ServerContext& context, trace::Recorder recorder)
    : m_ctx(context), m_rec(recorder) {}

Pop3ServerSession::~Pop3ServerSession() { releaseLock(); }

void Pop3ServerSession::start(Micros now) {
    m_lastActivity = now;
    if (m_ctx.config.allowApop)  // RFC 1939 7: "<process-ID.clock@hostname>", unique per session
        m_timestamp = fmt::format("<{}.{}.{}@{}>", m_ctx.processId, now, m_ctx.nextSessionNumber++, m_ctx.config.domain);
    reply(ReplyId::Greeting, {{"timestamp", m_timestamp}}, now, trace::kNoCause);
    transition(Pop3Input::Greeting, now, trace::kNoCause);
}

std::string Pop3ServerSession::takeOutput() { return std::exchange(m_output, {}); }

void Pop3ServerSession::receive(std::string_view bytes, Micros now) {
    if (closed()) return;
    m_lastActivity = now;
    if (m_tlsPending) return noteDiscarded(bytes.size(), now);  // plaintext before the handshake: never read
    m_lines.append(bytes);
    while (!closed() && !m_tlsPending) {
        auto line = m_lines.next();
        if (!line) break;
        handleLine(*line, now);
    }
    if (m_tlsPending) {  // what followed the STLS line came in plaintext before TLS (CVE-2011-0411)
        noteDiscarded(m_lines.buffered(), now);
        m_lines.clear();
    }
    if (closed()) m_lines.clear();  // whatever followed QUIT is never read
}

void Pop3ServerSession::doStls(std::string_view, Micros now, EventId cause) {
    if (m_tlsActive) return reply(ReplyId::TlsAlreadyActive, {}, now, cause);
    reply(ReplyId::StlsReady, {}, now, cause);
    m_tlsPending = true;
    m_stlsCause = cause;
    m_userArg.clear();  // a USER given in plaintext is not carried into TLS
    m_rec.explain(now, {.id = trace::NoteId::StartTlsAccepted, .names = {"STLS"}, .rfc = "RFC 2595 4"}, cause);
}

void Pop3ServerSession::tlsEstablished(Micros now) {
    bool wasPending = std::exchange(m_tlsPending, false);
    m_tlsActive = true;
    if (m_state == Pop3State::Connect) return;  // implicit TLS (POP3S): the greeting follows as usual
    if (!wasPending) {
        m_rec.error(now, {.id = trace::ErrorId::TlsWithoutStartTls, .names = {"STLS"}});
        return;
    }
    m_lines.clear();
    m_rec.explain(now, {.id = trace::NoteId::TlsEstablishedPop3, .rfc = "RFC 2595 4"}, m_stlsCause);
}

void Pop3ServerSession::noteDiscarded(std::size_t count, Micros now) {
    util::noteDiscardedPlaintext(m_rec, count, now, m_stlsCause, "STLS");
}

void Pop3ServerSession::tick(Micros now) {
    if (closed() || m_state == Pop3State::Connect) return;
    if (now - m_lastActivity >= m_ctx.config.idleTimeout)
        endWithoutUpdate(trace::NoteId::Pop3Autologout, now, trace::kNoCause,
                         static_cast<std::uint64_t>((now - m_lastActivity) / 1'000'000));
}

void Pop3ServerSession::connectionLost(Micros now) {
    if (closed()) return;
    endWithoutUpdate(trace::NoteId::Pop3NoQuit, now, trace::kNoCause);
}

void Pop3ServerSession::shutdown(Micros now, util::Goodbye why) {
    if (closed()) return;
    using G = util::Goodbye;
    reply(why == G::TooManyConnections ? ReplyId::TooManyConnections
          : why == G::LoginTimeout     ? ReplyId::LoginTimeout
          : why == G::Timeout          ? ReplyId::CommandTimeout
                                       : ReplyId::ShuttingDown,
          {}, now, trace::kNoCause);
    endWithoutUpdate(why == G::ShuttingDown ? trace::NoteId::Pop3Shutdown : trace::NoteId::Pop3ServerEnds, now,
                     trace::kNoCause);
}

void Pop3ServerSession::handleLine(const util::Line& line, Micros now) {
    EventId ev = m_rec.line(now, Direction::ClientToServer, LineRole::Command, line.tooLong ? line.text + "..." : line.text,
                            line.raw);
    if (line.tooLong) {
        std::size_t limit = m_saslPending ? kMaxSaslLine : kMaxCommandLine;
        m_saslPending = false;
        m_lines.setLimit(kMaxCommandLine);
        reply(ReplyId::LineTooLong, {{"limit", std::to_string(limit)}}, now, ev);
        countError(now, ev);
        return;
    }
    if (m_saslPending) return saslResponse(line.text, now, ev);
    auto [verb, arg] = splitCommand(line.text);
    const Pop3CommandInfo* info = findPop3Command(verb);
    if (info && info->flags.offered && !m_ctx.config.tlsOffered) info = nullptr;  // STLS: unknown, as before TLS
    if (!info) {
        reply(ReplyId::Unknown, {{"command", std::string(verb.substr(0, 40))}}, now, ev);
        countError(now, ev);
        return;
    }
    if (!gate(*info, arg, now, ev)) return;
    if (Handler handler = handlerFor(info->input)) return (this->*handler)(arg, now, ev);
    reply(ReplyId::SyntaxError, {{"syntax", std::string(info->syntax)}}, now, ev);
    countError(now, ev);
}

// The one gate before dispatch, from the command's row and the transition table: the state (-ERR, RFC 1939 3),
// then a login where plaintext logins are refused (-ERR [SYS/PERM], RFC 3206 4), then the argument's form.
bool Pop3ServerSession::gate(const Pop3CommandInfo& info, std::string_view arg, Micros now, EventId cause) {
    if (!pop3NextState(m_state, info.input)) {
        reply(ReplyId::BadSequence, {{"verb", std::string(info.verb)}, {"state", std::string(toString(m_state))}}, now,
              cause);
        countError(now, cause);
        return false;
    }
    if (info.flags.login && !loginAllowedNow()) {
        reply(ReplyId::PlaintextDisallowed, {}, now, cause);
        return false;
    }
    if (!util::argumentFits(info.flags.arg, arg)) {
        reply(ReplyId::SyntaxError, {{"syntax", std::string(info.syntax)}}, now, cause);
        countError(now, cause);
        return false;
    }
    return true;
}

// The handler of each command row; nullptr for the session's own events (greeting, UPDATE, abort).
Pop3ServerSession::Handler Pop3ServerSession::handlerFor(Pop3Input input) {
    using S = Pop3ServerSession;
    using I = Pop3Input;
    static constexpr std::pair<Pop3Input, Handler> kHandlers[] = {
        {I::User, &S::doUser}, {I::Pass, &S::doPass}, {I::Apop, &S::doApop}, {I::Auth, &S::doAuth},
        {I::Capa, &S::doCapa}, {I::Stls, &S::doStls}, {I::Utf8, &S::doUtf8}, {I::Quit, &S::doQuit}, {I::Stat, &S::doStat},
        {I::List, &S::doList}, {I::Uidl, &S::doUidl}, {I::Retr, &S::doRetr}, {I::Top, &S::doTop},
        {I::Dele, &S::doDele}, {I::Noop, &S::doNoop}, {I::Rset, &S::doRset},
    };
    for (const auto& [in, handler] : kHandlers)
        if (in == input) return handler;
    return nullptr;
}

bool Pop3ServerSession::hasHandler(Pop3Input input) { return handlerFor(input) != nullptr; }

void Pop3ServerSession::doUser(std::string_view arg, Micros now, EventId cause) {
    m_userArg.assign(arg);
    reply(ReplyId::UserOk, {}, now, cause);
}

void Pop3ServerSession::doCapa(std::string_view, Micros now, EventId cause) {
    reply(ReplyId::Capabilities, {}, now, cause);
    // Only what this server implements (RFC 2449 6), and only what is usable now: STLS before TLS (RFC 2595 4),
    // USER and SASL only when a login would be accepted.
    std::string caps = "TOP\r\n";
    if (loginAllowedNow()) caps += "USER\r\n";
    caps += "UIDL\r\n";
    if (loginAllowedNow()) caps += "SASL PLAIN\r\n";
    if (m_ctx.config.tlsOffered && !m_tlsActive && m_state == Pop3State::Authorization) caps += "STLS\r\n";
    // RFC 6856 3: UTF8, with the USER argument when USER and PASS are usable now (they take UTF-8 after UTF8,
    // leniently before as well)
    caps += loginAllowedNow() ? "UTF8 USER\r\n" : "UTF8\r\n";
    caps += "RESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nIMPLEMENTATION mailsim\r\n";
    sendBody(util::dotStuff(caps), LineRole::Reply, now, cause);
}

void Pop3ServerSession::doQuit(std::string_view, Micros now, EventId cause) {
    if (m_state == Pop3State::Transaction) return enterUpdate(now, cause);
    reply(ReplyId::SignOff, {}, now, cause);
    transition(Pop3Input::Quit, now, cause);
}

void Pop3ServerSession::doStat(std::string_view, Micros now, EventId cause) {
    auto [count, octets] = dropListing();
    reply(ReplyId::Stat, {{"count", std::to_string(count)}, {"octets", std::to_string(octets)}}, now, cause);
}

void Pop3ServerSession::doNoop(std::string_view, Micros now, EventId cause) { reply(ReplyId::Noop, {}, now, cause); }

// RFC 6856 3: no argument (the gate checked); enabling twice is harmless.
void Pop3ServerSession::doUtf8(std::string_view, Micros now, EventId cause) {
    m_utf8 = true;
    reply(ReplyId::Utf8Enabled, {}, now, cause);
}

void Pop3ServerSession::doRset(std::string_view, Micros now, EventId cause) {
    for (std::size_t i = 0; m_deletedCount > 0 && i < m_marks.size(); ++i) markDeleted(i, false);
    auto [count, octets] = dropListing();
    reply(ReplyId::Rset, {{"count", std::to_string(count)}, {"s", plural(count)}, {"octets", std::to_string(octets)}},
          now, cause);
}

void Pop3ServerSession::doList(std::string_view arg, Micros now, EventId cause) { listing(false, arg, now, cause); }
void Pop3ServerSession::doUidl(std::string_view arg, Micros now, EventId cause) { listing(true, arg, now, cause); }
void Pop3ServerSession::doRetr(std::string_view arg, Micros now, EventId cause) { retrieve(false, arg, now, cause); }
void Pop3ServerSession::doTop(std::string_view arg, Micros now, EventId cause) { retrieve(true, arg, now, cause); }

// The user a client names: a full address, or a bare local part in one of the host's domains.
static const auth::User* resolveUser(const auth::UserDirectory& dir, std::string_view name) {
    if (name.find('@') != std::string_view::npos) return dir.findUser(name);
    for (const auto& d : dir.domains())
        if (const auto* u = dir.findUser(std::string(name) + "@" + d)) return u;
    return nullptr;
}

void Pop3ServerSession::doPass(std::string_view arg, Micros now, EventId cause) {
    if (m_userArg.empty()) {
        reply(ReplyId::NeedUser, {}, now, cause);
        countError(now, cause);
        return;
    }
    const auth::User* user = resolveUser(m_ctx.directory, m_userArg);
    m_userArg.clear();
    if (!user || user->password.empty() || user->password != arg) return loginFailed(now, cause);
    login(user->address, Pop3Input::Pass, now, cause);
}

void Pop3ServerSession::doApop(std::string_view arg, Micros now, EventId cause) {
    auto args = splitArgs(arg);
    if (args.size() != 2 || args[1].size() != 32) {
        reply(ReplyId::ApopSyntax, {}, now, cause);
        countError(now, cause);
        return;
    }
    const auth::User* user = resolveUser(m_ctx.directory, args[0]);
    if (!m_ctx.config.allowApop || !user || user->password.empty() ||
        auth::apopDigest(m_timestamp, user->password) != lower(args[1]))
        return loginFailed(now, cause);
    login(user->address, Pop3Input::Apop, now, cause);
}

void Pop3ServerSession::doAuth(std::string_view arg, Micros now, EventId cause) {
    auto args = splitArgs(arg);
    if (args.empty() || args.size() > 2) {
        reply(ReplyId::SyntaxError, {{"syntax", std::string(pop3CommandInfo(Pop3Input::Auth).syntax)}}, now, cause);
        countError(now, cause);
        return;
    }
    if (lower(args[0]) != "plain") {
        reply(ReplyId::AuthMechanism, {{"mech", std::string(args[0])}}, now, cause);
        return;
    }
    if (args.size() == 2) return saslResponse(args[1] == "=" ? "" : args[1], now, cause);  // RFC 5034 4: "=" is empty
    m_saslPending = true;
    m_lines.setLimit(kMaxSaslLine);
    reply(ReplyId::AuthContinue, {}, now, cause);
}

void Pop3ServerSession::saslResponse(std::string_view line, Micros now, EventId cause) {
    m_saslPending = false;
    m_lines.setLimit(kMaxCommandLine);
    if (line == "*") return reply(ReplyId::AuthCancelled, {}, now, cause);
    auto decoded = auth::base64Decode(line);
    auto creds = decoded ? auth::parseSaslPlain(*decoded) : std::nullopt;
    if (!creds) {
        reply(ReplyId::SaslPlainMalformed, {}, now, cause);
        countError(now, cause);
        return;
    }
    const auth::User* user = resolveUser(m_ctx.directory, creds->authcid);
    bool authzOk = creds->authzid.empty() || (user && auth::UserDirectory::canonical(creds->authzid) == user->address);
    if (!user || !authzOk || user->password.empty() || user->password != creds->password) return loginFailed(now, cause);
    login(user->address, Pop3Input::Auth, now, cause);
}

void Pop3ServerSession::loginFailed(Micros now, EventId cause) {
    ++m_failedLogins;
    reply(ReplyId::AuthFailed, {}, now, cause);
    countError(now, cause);
}

void Pop3ServerSession::login(const std::string& user, Pop3Input via, Micros now, EventId cause) {
    if (!m_ctx.store) return reply(ReplyId::NoStore, {}, now, cause);
    if (!m_ctx.store->tryLock(user)) return reply(ReplyId::InUse, {}, now, cause);  // RFC 1939 8; stay in AUTHORIZATION
    m_locked = true;
    m_user = user;
    m_drop = m_ctx.store->snapshot(user, "INBOX");  // sizes from the store's index: no message is read or copied
    m_marks.assign(m_drop->messages.size(), 0);
    m_deletedCount = 0;
    m_deletedOctets = 0;
    m_uidValidity = m_ctx.store->uidValidity(user, "INBOX");
    auto [count, octets] = dropListing();
    reply(ReplyId::LoggedIn, {{"user", user}, {"count", std::to_string(count)}, {"s", plural(count)},
                              {"octets", std::to_string(octets)}}, now, cause);
    transition(via, now, cause);
}

std::optional<std::size_t> Pop3ServerSession::message(std::string_view arg, std::string_view syntax, Micros now,
                                                      EventId cause) {
    auto n = parseNumber(arg);
    if (!n) {
        reply(ReplyId::SyntaxError, {{"syntax", std::string(syntax)}}, now, cause);
        countError(now, cause);
        return std::nullopt;
    }
    if (*n == 0 || *n > dropSize()) {
        reply(ReplyId::NoSuchMessage, {{"count", std::to_string(dropSize())}, {"s", plural(dropSize())}},
              now, cause);
        return std::nullopt;
    }
    const std::size_t index = *n - 1;
    if (m_marks[index] & kMarkDeleted) {
        reply(ReplyId::AlreadyDeleted, {{"msg", std::to_string(*n)}}, now, cause);
        return std::nullopt;
    }
    return index;
}

void Pop3ServerSession::markDeleted(std::size_t index, bool deleted) {
    if (static_cast<bool>(m_marks[index] & kMarkDeleted) == deleted) return;
    m_marks[index] ^= kMarkDeleted;
    if (deleted) {
        ++m_deletedCount;
        m_deletedOctets += info(index).size;
    } else {
        --m_deletedCount;
        m_deletedOctets -= info(index).size;
    }
}

void Pop3ServerSession::listing(bool uidl, std::string_view arg, Micros now, EventId cause) {
    if (!arg.empty()) {
        auto m = message(arg, uidl ? "UIDL [msg]" : "LIST [msg]", now, cause);
        if (!m) return;
        std::string n = std::to_string(*m + 1);
        if (uidl) reply(ReplyId::UidlOne, {{"msg", n}, {"uid", uniqueId(*m)}}, now, cause);
        else reply(ReplyId::ListOne, {{"msg", n}, {"size", std::to_string(info(*m).size)}}, now, cause);
        return;
    }
    std::string body;
    for (std::size_t i = 0; i < dropSize(); ++i) {
        if (m_marks[i] & kMarkDeleted) continue;
        body += fmt::format("{} {}\r\n", i + 1, uidl ? uniqueId(i) : std::to_string(info(i).size));
    }
    auto [count, octets] = dropListing();
    if (uidl) reply(ReplyId::UidlAll, {}, now, cause);
    else reply(ReplyId::ListAll, {{"count", std::to_string(count)}, {"s", plural(count)}, {"octets", std::to_string(octets)}},
               now, cause);
    sendBody(util::dotStuff(body), LineRole::Reply, now, cause);
}

void Pop3ServerSession::retrieve(bool top, std::string_view arg, Micros now, EventId cause) {
    auto args = splitArgs(arg);
    std::string_view syntax = top ? "TOP msg n" : "RETR msg";
    std::optional<std::uint64_t> lines;
    if (args.size() != (top ? 2u : 1u) || (top && !(lines = parseNumber(args[1])))) {
        reply(ReplyId::SyntaxError, {{"syntax", std::string(syntax)}}, now, cause);
        countError(now, cause);
        return;
    }
    auto index = message(args[0], syntax, now, cause);
    if (!index) return;
    const store::MessageInfo& m = info(*index);
    auto bytes = m_ctx.store->read(m_user, "INBOX", m.uid);
    if (!bytes) {
        m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::Pop3ReadFailed, bytes.error(), {m_user}, {m.uid}), cause);
        return reply(ReplyId::MessageUnreadable, {}, now, cause);
    }
    if (!top) {
        reply(ReplyId::Retr, {{"size", std::to_string(m.size)}}, now, cause);
        sendBody(util::dotStuff(*bytes), LineRole::Data, now, cause);
        if (!(m.flags & store::kSeen) && !(m_marks[*index] & kMarkSeen) &&
            m_ctx.store->updateFlags(m_user, "INBOX", m.uid, {store::FlagDelta::Op::Add, store::kSeen, {}})) {
            m_marks[*index] |= kMarkSeen;
            m_rec.storeChanged(now, {.user = m_user, .folder = "INBOX", .uid = m.uid, .action = trace::StoreAction::FlagsSet,
                                     .flags = "\\Seen", .why = trace::StoreCause::Downloaded}, cause);
        }
        return;
    }
    // TOP (RFC 1939 7): the header, the blank line, then at most n lines of the body.
    std::string out;
    bool inBody = false;
    std::uint64_t bodyLines = 0;
    util::forEachLine(*bytes, [&](std::string_view l) {
        if (inBody && bodyLines++ >= *lines) return;
        if (!inBody && l.empty()) inBody = true;
        out += l;
        out += "\r\n";
    });
    reply(ReplyId::Top, {}, now, cause);
    sendBody(util::dotStuff(out), LineRole::Data, now, cause);
}

void Pop3ServerSession::doDele(std::string_view arg, Micros now, EventId cause) {
    auto index = message(arg, "DELE msg", now, cause);
    if (!index) return;
    markDeleted(*index, true);  // only a mark: the store changes in UPDATE
    reply(ReplyId::Dele, {{"msg", std::to_string(*index + 1)}}, now, cause);
}

void Pop3ServerSession::enterUpdate(Micros now, EventId cause) {
    transition(Pop3Input::Quit, now, cause);  // TRANSACTION -> UPDATE
    std::vector<std::uint32_t> uids;
    for (std::size_t i = 0; m_deletedCount > 0 && i < m_marks.size(); ++i)
        if (m_marks[i] & kMarkDeleted) uids.push_back(info(i).uid);
    auto removed = m_ctx.store->removeMany(m_user, "INBOX", uids);
    if (removed) {
        for (auto uid : uids)
            m_rec.storeChanged(now, {.user = m_user, .folder = "INBOX", .uid = uid, .action = trace::StoreAction::Expunged,
                                     .why = trace::StoreCause::Pop3Update}, cause);
        std::size_t left = m_ctx.store->snapshot(m_user, "INBOX")->messages.size();
        reply(ReplyId::SignOffUpdate, {{"removed", std::to_string(uids.size())}, {"left", std::to_string(left)}}, now,
              cause);
    } else {
        m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::Pop3UpdateFailed, removed.error()), cause);
        reply(ReplyId::UpdateStoreError, {}, now, cause);
    }
    releaseLock();
    transition(Pop3Input::UpdateDone, now, cause);
}

void Pop3ServerSession::reply(ReplyId id, const ReplyArgs& args, Micros now, EventId cause) {
    ReplyArgs all = args;
    for (auto& [name, value] : all) {  // arguments may echo the client: printable, bounded
        if (value.size() > kMaxEchoedArg) value = value.substr(0, kMaxEchoedArg - 3) + "...";
        for (char& ch : value)
            if (static_cast<unsigned char>(ch) < 32 || ch == 127) ch = '?';
    }
    all.emplace_back("domain", m_ctx.config.domain);
    all.emplace_back("s", "");
    std::string line = statusLine(id, all);
    if (id != ReplyId::AuthContinue)
        while (line.ends_with(' ')) line.pop_back();  // an empty {timestamp}
    m_output += line + "\r\n";
    m_rec.line(now, Direction::ServerToClient, LineRole::Reply, line, line + "\r\n", cause);
}

void Pop3ServerSession::sendBody(std::string_view stuffed, LineRole role, Micros now, EventId cause) {
    m_output.append(stuffed);
    std::size_t start = 0;
    while (start < stuffed.size()) {
        auto end = stuffed.find("\r\n", start);  // dotStuff leaves only CRLF line ends
        std::string_view text = stuffed.substr(start, end - start);
        m_rec.line(now, Direction::ServerToClient, text == "." ? LineRole::Reply : role, std::string(text),
                   std::string(stuffed.substr(start, end + 2 - start)), cause);
        start = end + 2;
    }
}

void Pop3ServerSession::transition(Pop3Input input, Micros now, EventId cause) {
    auto next = pop3NextState(m_state, input);
    if (!next || *next == m_state) return;
    m_rec.stateChanged(now, "pop3", std::string(toString(m_state)), std::string(toString(*next)),
                       std::string(pop3CommandInfo(input).verb), cause);
    m_state = *next;
}

void Pop3ServerSession::countError(Micros now, EventId cause) {
    if (++m_errors < m_ctx.config.maxErrors || closed()) return;
    reply(ReplyId::TooManyErrors, {}, now, cause);
    endWithoutUpdate(trace::NoteId::Pop3TooManyErrors, now, cause);
}

void Pop3ServerSession::endWithoutUpdate(trace::NoteId why, Micros now, EventId cause, std::uint64_t idleSeconds) {
    const auto marked = static_cast<std::uint64_t>(m_deletedCount);
    trace::Explanation x{.id = why, .numbers = {marked}};
    if (why == trace::NoteId::Pop3Autologout) {
        x.numbers.push_back(idleSeconds);
        x.rfc = "RFC 1939 3";
    }
    m_rec.explain(now, std::move(x), cause);
    releaseLock();
    transition(Pop3Input::Abort, now, cause);
}

void Pop3ServerSession::releaseLock() {
    if (m_locked && m_ctx.store) m_ctx.store->unlock(m_user);
    m_locked = false;
}

std::string Pop3ServerSession::uniqueId(std::size_t index) const {
    return fmt::format("{}.{}", m_uidValidity, info(index).uid);
}

std::pair<std::size_t, std::uint64_t> Pop3ServerSession::dropListing() const {
    if (!m_drop) return {0, 0};
    return {dropSize() - m_deletedCount, m_drop->octets - m_deletedOctets};  // O(1): the snapshot's total
}

}  // namespace mailsim::pop3
