#include "imap/ImapClientSession.hpp"

#include "imap/ImapSyntax.hpp"
#include "util/ClientMachine.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <set>
#include <utility>

namespace mailsim::imap {

using trace::Direction;
using trace::LineRole;
using trace::Micros;
using In = ImapClientInput;

namespace {

constexpr std::size_t kMaxLiteral = 64u << 20;

std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::optional<std::uint32_t> number(std::string_view s) {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p == s.data()) return std::nullopt;
    return v;
}

// "[CODE n]" anywhere in a status line.
std::optional<std::uint32_t> codeNumber(const std::string& line, std::string_view code) {
    auto at = line.find("[" + std::string(code) + " ");
    if (at == std::string::npos) return std::nullopt;
    return number(std::string_view(line).substr(at + code.size() + 2));
}

// The flags as "(\Seen \Flagged)", without \Recent (a property of the session, not of the message).
std::string flagText(const Token& t) {
    std::string out;
    for (const auto& f : t.children)
        if (!f.isAtom("\\RECENT")) out += (out.empty() ? "" : " ") + f.text;
    return "(" + out + ")";
}

}  // namespace

ImapClientSession::ImapClientSession(ImapClientConfig config, trace::Recorder recorder)
    : m_config(std::move(config)), m_rec(recorder), m_machine(imapClientMachine(recorder)), m_cache(m_config.cache) {}

std::string ImapClientSession::takeOutput() { return std::exchange(m_output, {}); }

void ImapClientSession::receive(std::string_view bytes, Micros now) {
    m_bytesIn += bytes.size();
    if (m_tlsPending) return noteDiscarded(bytes.size(), now);  // plaintext before the handshake: never read
    m_in.append(bytes);
    while (!done() && !m_tlsPending) {
        if (m_literal > 0) {
            std::size_t n = std::min(m_literal, m_in.size());
            m_cur.append(m_in, 0, n);
            m_in.erase(0, n);
            m_literal -= n;
            if (m_literal > 0) return;
        }
        auto nl = m_in.find('\n');
        if (nl == std::string::npos) return;
        std::string line = m_in.substr(0, nl);
        m_in.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        bool first = m_cur.empty();
        auto id = m_rec.line(now, Direction::ServerToClient, first ? LineRole::Reply : LineRole::Data, line, line + "\r\n",
                             m_lastSent);
        m_cur += line;
        if (auto lit = trailingLiteral(line); lit && lit->size <= kMaxLiteral) {
            m_cur += "\r\n";  // kept, so the tokenizer reads the literal
            m_literal = static_cast<std::size_t>(lit->size);
            continue;
        }
        onLine(std::exchange(m_cur, {}), now, id);
    }
    if (m_tlsPending) {  // whatever came after the OK in plaintext is never used (response injection)
        noteDiscarded(m_in.size() + m_cur.size(), now);
        m_in.clear();
        m_cur.clear();
        m_literal = 0;
    }
}

void ImapClientSession::tlsEstablished(Micros now) {
    bool wasPending = std::exchange(m_tlsPending, false);
    m_tlsActive = true;
    if (!wasPending) return;  // implicit TLS (IMAPS): before the greeting, nothing else changes
    m_caps.clear();  // RFC 3501 6.2.1: the client MUST discard cached capabilities and ask again
    advance(In::Capability, now, util::kWhyTlsEstablished);
    send("CAPABILITY", now);
}

void ImapClientSession::noteDiscarded(std::size_t count, Micros now) {
    util::noteDiscardedPlaintext(m_rec, count, now, m_lastSent, "STARTTLS", "OK");
}

void ImapClientSession::readCapabilities(std::string_view list) {
    m_caps.clear();
    while (!list.empty()) {
        auto sp = list.find(' ');
        std::string_view word = list.substr(0, sp);
        std::string cap;
        for (char c : word) cap += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!cap.empty()) m_caps.push_back(std::move(cap));
        list = sp == std::string_view::npos ? std::string_view{} : list.substr(sp + 1);
    }
}

void ImapClientSession::login(Micros now) {
    advance(In::Login, now);
    send("LOGIN " + quoted(m_config.user) + " " + quoted(m_config.password), now);
}

void ImapClientSession::decideTls(Micros now) {
    if (!util::wantsStartTls(m_config.tls) || m_tlsActive) return login(now);
    if (std::ranges::find(m_caps, "STARTTLS") != m_caps.end()) {
        advance(In::StartTls, now);
        return send("STARTTLS", now);  // RFC 3501 6.2.1
    }
    if (m_config.tls == util::ClientTls::Required)
        return refuse({.id = trace::ErrorId::ImapClientNoStartTls}, now);
    m_rec.explain(now, {.id = trace::NoteId::StartTlsNotOffered, .names = {"STARTTLS"}}, m_lastSent);
    login(now);
}

void ImapClientSession::connectionClosed(Micros now) {
    if (!done()) fail({.id = trace::ErrorId::ImapClientClosed}, now, util::kWhyClosed);
}

void ImapClientSession::send(const std::string& command, Micros now) {
    m_tag = fmt::format("c{}", m_nextTag++);
    std::string wire = m_tag + " " + command + "\r\n";
    m_output += wire;
    std::string shown = phase() == Phase::Login ? m_tag + " LOGIN " + quoted(m_config.user) + " ****" : m_tag + " " + command;
    m_lastSent = m_rec.line(now, Direction::ClientToServer, LineRole::Command, shown.substr(0, shown.find('\r')), wire);
}

void ImapClientSession::advance(In input, Micros now, std::string_view why) {
    if (!imapClientNextState(phase(), input) && !m_problem)  // this client's bug: the session ends failed
        m_problem = trace::ErrorReport{.id = trace::ErrorId::ClientNoTransition,
                                       .names = {"imap-client", std::string(toString(input)), std::string(toString(phase()))}};
    m_machine.advance(input, now, std::string(why.empty() ? std::string_view(m_why) : why), m_lastReceived);
}

// RFC 2177 3: "DONE" on a line of its own, untagged; the IDLE command's tag still waits for its completion.
void ImapClientSession::sendDone(Micros now) {
    m_output += "DONE\r\n";
    m_lastSent = m_rec.line(now, Direction::ClientToServer, LineRole::Command, "DONE", "DONE\r\n");
    advance(In::IdleDone, now);
}

void ImapClientSession::stopIdle(Micros now) {
    if (m_config.task != ImapTask::Idle || done()) return;
    if (phase() == Phase::Idling) return sendDone(now);
    if (phase() != Phase::IdleDone && phase() != Phase::Logout) m_stopIdle = true;  // DONE once the "+" arrives
}

void ImapClientSession::logout(Micros now) {
    advance(In::Logout, now);
    send("LOGOUT", now);
}

// The server said NO to the task itself (the session is fine): the error is kept, the session still logs out.
void ImapClientSession::refuse(trace::ErrorReport problem, Micros now) {
    m_rec.error(now, problem, m_lastSent);
    m_problem = std::move(problem);
    logout(now);
}

void ImapClientSession::fail(trace::ErrorReport problem, Micros now, std::string_view why) {
    m_rec.error(now, problem, m_lastSent);
    m_problem = std::move(problem);
    advance(In::Close, now, why);
}

// One response line (`id`: its trace event). Its status is the why of the client's next move (see advance): the "+"
// of IDLE, the greeting's condition, BYE, a tagged completion's status (onCompletion), a pushed update (onPush).
void ImapClientSession::onLine(const std::string& line, Micros now, trace::EventId id) {
    m_lastReceived = id;
    if (line.starts_with("+")) {  // a continuation request: only IDLE waits for one here
        if (phase() != Phase::Idle) return;
        m_why = "+";
        advance(In::Idling, now);
        if (m_stopIdle) sendDone(now);
        return;
    }
    if (line.starts_with("* ")) {
        if (line.starts_with("* BYE") && phase() != Phase::Logout)
            return fail({.id = trace::ErrorId::ImapClientBye, .detail = line}, now, "BYE");
        if (phase() == Phase::Greeting) {
            m_why = line.substr(2, line.find(' ', 2) - 2);  // OK, PREAUTH, BAD ... (RFC 3501 7.1)
            if (line.starts_with("* PREAUTH") && m_config.tls == util::ClientTls::Required && !m_tlsActive)
                // A PREAUTH greeting puts the session straight into AUTHENTICATED, where STARTTLS is not allowed:
                // accepting it would skip TLS altogether (RFC 9051 7.1.4; USENIX Security 2021).
                return refuse({.id = trace::ErrorId::ImapClientPreauth, .rfc = "RFC 9051 7.1.4"}, now);
            if (!line.starts_with("* OK")) return fail({.id = trace::ErrorId::ImapClientGreeting, .detail = line}, now);
            if (!util::wantsStartTls(m_config.tls) || m_tlsActive) return login(now);
            if (auto at = line.find("[CAPABILITY "); at != std::string::npos) {  // RFC 3501 7.1: in the greeting
                auto end = line.find(']', at);
                readCapabilities(std::string_view(line).substr(at + 12, end == std::string::npos ? std::string::npos
                                                                                                  : end - at - 12));
                return decideTls(now);
            }
            advance(In::Capability, now);
            return send("CAPABILITY", now);
        }
        if (line.starts_with("* CAPABILITY ")) readCapabilities(std::string_view(line).substr(13));
        if (auto v = codeNumber(line, "UIDVALIDITY")) m_uidValidity = *v;
        if (auto v = codeNumber(line, "UIDNEXT")) m_uidNext = *v;
        std::string_view rest = std::string_view(line).substr(2);
        if (rest.starts_with("SEARCH")) {
            m_found.clear();
            std::string_view nums = rest.substr(6);
            while (!nums.empty()) {
                while (!nums.empty() && nums.front() == ' ') nums.remove_prefix(1);
                if (auto n = number(nums)) m_found.push_back(*n);
                auto sp = nums.find(' ');
                nums = sp == std::string_view::npos ? std::string_view{} : nums.substr(sp);
            }
            return;
        }
        auto sp = rest.find(' ');
        auto n = number(rest.substr(0, sp));
        if (phase() == Phase::Idling || phase() == Phase::IdleDone) onPush(line, now);
        if (n && rest.substr(sp + 1).starts_with("EXISTS")) m_exists = *n;
        if (n && rest.substr(sp + 1).starts_with("FETCH ")) onFetch(line);
        return;
    }
    if (!m_tag.empty() && line.starts_with(m_tag + " ")) {
        std::string status = line.substr(m_tag.size() + 1, line.find(' ', m_tag.size() + 1) - m_tag.size() - 1);
        return onCompletion(status, line, now);
    }
}

void ImapClientSession::onFetch(const std::string& line) {
    auto at = line.find(" FETCH ");
    auto seq = number(std::string_view(line).substr(2));
    auto tokens = tokenize(std::string_view(line).substr(at + 7));
    if (!seq || tokens.error || tokens.tokens.size() != 1 || tokens.tokens[0].kind != Token::Kind::List) return;
    const auto& items = tokens.tokens[0].children;
    ImapSummaryEntry e;
    e.seq = *seq;
    std::string body;
    bool hasBody = false, hasFlags = false;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
        const Token& name = items[i];
        const Token& value = items[i + 1];
        if (name.isAtom("UID")) e.uid = number(value.text).value_or(0);
        else if (name.isAtom("FLAGS")) e.flags = flagText(value), hasFlags = true;
        else if (name.isAtom("RFC822.SIZE")) e.size = number(value.text).value_or(0);
        else if (name.isAtom("ENVELOPE") && value.kind == Token::Kind::List && value.children.size() > 1)
            e.subject = value.children[1].isNil() ? "" : value.children[1].text;
        else if (name.isAtom("BODY[]")) body = value.text, hasBody = true;
    }
    if (phase() == Phase::List) m_summaries.push_back(e);
    if (hasBody && e.uid) m_bodies[e.uid] = body;
    if (phase() == Phase::FetchNew && e.uid && e.uid >= m_cache.uidNext) {
        ++m_report.fetchedNew;
        m_cache.flags[e.uid] = e.flags;
    }
    if (phase() == Phase::Flags && e.uid && hasFlags) m_fetchedFlags[e.uid] = e.flags;
    if (phase() == Phase::Store && e.uid && hasFlags) m_flagged[e.uid] = e.flags;  // RFC 3501 6.4.6: the new FLAGS
}

// RFC 2177 3 / RFC 3501 7.3.1, 7.4.1, 7.4.2: what the server reports while the client idles.
void ImapClientSession::onPush(const std::string& line, Micros now) {
    std::string_view rest = std::string_view(line).substr(2);
    auto sp = rest.find(' ');
    auto n = number(rest.substr(0, sp));
    if (!n || sp == std::string_view::npos) return;
    std::string_view what = rest.substr(sp + 1);
    std::string kind = what.starts_with("EXISTS")    ? "EXISTS"
                       : what.starts_with("EXPUNGE") ? "EXPUNGE"
                       : what.starts_with("FETCH")   ? "FETCH"
                                                     : "";
    if (kind.empty()) return;  // RECENT and the like: not a change the user sees
    m_pushed.push_back(ImapPush{kind, *n, line});
    m_why = kind;
    if (phase() == Phase::Idling && m_config.idleUpdates > 0 && m_pushed.size() >= m_config.idleUpdates) sendDone(now);
}

void ImapClientSession::onCompletion(const std::string& status, const std::string& text, Micros now) {
    m_tag.clear();
    m_why = status;
    bool ok = status == "OK";
    // The server said NO/BAD to `verb`: its text is kept as received.
    auto refused = [&](std::string verb, std::string mailbox = {}) {
        trace::ErrorReport r{.id = trace::ErrorId::ImapClientRefused, .names = {std::move(verb)}, .detail = text};
        if (!mailbox.empty()) r.names.push_back(std::move(mailbox));
        return r;
    };
    switch (phase()) {
    case Phase::Capability:
        if (!ok) return fail(refused("CAPABILITY"), now);
        return decideTls(now);
    case Phase::StartTls:
        if (ok) {
            m_tlsPending = true;
            m_rec.explain(now, {.id = trace::NoteId::StartTlsWaiting, .names = {"STARTTLS"}, .rfc = "RFC 3501 6.2.1"},
                          m_lastSent);
            return;
        }
        if (m_config.tls == util::ClientTls::Required) {  // the sentence quotes the words after tag and status
            const auto sp = text.find(' ', text.find(' ') + 1);
            return refuse({.id = trace::ErrorId::ImapClientStartTlsRefused,
                           .detail = sp == std::string::npos ? std::string() : text.substr(sp + 1)},
                          now);
        }
        m_rec.explain(now, {.id = trace::NoteId::StartTlsRefused, .names = {"STARTTLS"}}, m_lastSent);
        return login(now);
    case Phase::Login:
        if (!ok) return fail(refused("LOGIN"), now);
        switch (m_config.task) {
        case ImapTask::Move:
            advance(In::Create, now);
            return send("CREATE " + quoted(m_config.target), now);
        case ImapTask::CreateFolder:  // RFC 3501 6.3.3
            advance(In::Create, now);
            return send("CREATE " + quoted(m_config.folder), now);
        case ImapTask::DeleteFolder:  // RFC 3501 6.3.4
            advance(In::Delete, now);
            return send("DELETE " + quoted(m_config.folder), now);
        case ImapTask::RenameFolder:  // RFC 3501 6.3.5
            advance(In::Rename, now);
            return send("RENAME " + quoted(m_config.folder) + " " + quoted(m_config.target), now);
        default: break;
        }
        advance(In::Select, now);
        return send("SELECT " + quoted(m_config.mailbox), now);
    case Phase::Create:  // NO [ALREADYEXISTS] is fine for Move
        if (m_config.task == ImapTask::CreateFolder) {
            return ok ? logout(now) : refuse(refused("CREATE"), now);
        }
        advance(In::Select, now);  // NO [ALREADYEXISTS] included
        return send("SELECT " + quoted(m_config.mailbox), now);
    case Phase::Select:
        if (!ok) return fail(refused("SELECT", m_config.mailbox), now);
        return afterSelect(now);
    case Phase::List:
        advance(In::Open, now);
        return nextOpen(now);
    case Phase::Open: return nextOpen(now);
    case Phase::Search:
        if (!ok) return fail(refused("SEARCH"), now);
        if (m_config.task == ImapTask::Flag && !m_found.empty()) return startStore(m_found, now);
        if (m_config.task == ImapTask::Move && !m_found.empty()) {
            advance(In::Move, now);
            std::vector<std::uint32_t> sorted = m_found;
            std::ranges::sort(sorted);
            return send("UID MOVE " + formatSequenceSet(sorted) + " " + quoted(m_config.target), now);
        }
        break;
    case Phase::Move:
        if (!ok) return fail(refused("MOVE"), now);
        m_moved = m_found.size();
        break;
    case Phase::Store:
        if (!ok) return fail(refused("STORE"), now);
        return storeStep(now);
    case Phase::Delete:
    case Phase::Rename:
        if (ok) return logout(now);
        return refuse(refused(phase() == Phase::Delete ? "DELETE" : "RENAME"), now);
    case Phase::Idle:  // completed without a "+": the server refused IDLE
        return fail(refused("IDLE"), now);
    case Phase::Idling:  // the server ended the IDLE itself
    case Phase::IdleDone:
        if (!ok) return fail({.id = trace::ErrorId::ImapClientIdleEnded, .detail = text}, now);
        break;
    case Phase::Upload:
        if (ok) ++m_report.uploaded;
        return syncStep(now);
    case Phase::FetchNew:
    case Phase::Survivors:
    case Phase::Flags: return syncStep(now);
    case Phase::Logout: return advance(In::Close, now);
    default: break;
    }
    logout(now);
}

void ImapClientSession::afterSelect(Micros now) {
    switch (m_config.task) {
    case ImapTask::Summary:
        if (m_exists == 0) break;
        advance(In::List, now);
        return send("FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)", now);
    case ImapTask::Flag:
        if (!m_config.uids.empty()) return startStore(m_config.uids, now);
        [[fallthrough]];  // no UIDs given: the search chooses them
    case ImapTask::Search:
    case ImapTask::Move:
        advance(In::Search, now);
        // LITERAL+ (RFC 7888): the UTF-8 text follows at once, no "+" to wait for.
        return send(fmt::format("UID SEARCH CHARSET UTF-8 {} {{{}+}}\r\n{}", m_config.searchField,
                                m_config.searchText.size(), m_config.searchText),
                    now);
    case ImapTask::Idle:  // RFC 2177 3
        advance(In::Idle, now);
        return send("IDLE", now);
    case ImapTask::CreateFolder:
    case ImapTask::RenameFolder:
    case ImapTask::DeleteFolder: break;  // no SELECT for these
    case ImapTask::Sync:
        if (m_cache.uidValidity != 0 && m_cache.uidValidity != m_uidValidity) {
            m_report.cacheInvalidated = true;  // RFC 3501 2.3.1.1: every cached UID is void
            m_cache = ImapCache{};
        }
        advance(In::Upload, now);
        return syncStep(now);
    }
    logout(now);  // nothing to do (an empty mailbox)
}

void ImapClientSession::nextOpen(Micros now) {
    while (m_openPos < m_config.open.size()) {
        std::uint32_t seq = m_config.open[m_openPos++];
        auto it = std::ranges::find(m_summaries, seq, &ImapSummaryEntry::seq);
        if (it == m_summaries.end()) continue;
        return send(fmt::format("UID FETCH {} BODY[]", it->uid), now);  // \Seen: the user reads it
    }
    logout(now);
}

void ImapClientSession::syncStep(Micros now) {
    std::uint32_t oldNext = m_cache.uidValidity ? m_cache.uidNext : 1;
    if (phase() == Phase::Upload && !m_cache.pending.empty()) {
        auto it = m_cache.pending.begin();
        std::string change = it->second;
        std::uint32_t uid = it->first;
        m_cache.pending.erase(it);
        return send(fmt::format("UID STORE {} {}", uid, change), now);
    }
    if (phase() == Phase::Upload) {
        advance(In::FetchNew, now);
        return send(fmt::format("UID FETCH {}:* (UID FLAGS BODY.PEEK[])", oldNext), now);
    }
    if (phase() == Phase::FetchNew && oldNext > 1) {
        advance(In::Survivors, now);
        return send(fmt::format("UID SEARCH UID 1:{}", oldNext - 1), now);
    }
    if (phase() == Phase::Survivors) {
        std::set<std::uint32_t> alive(m_found.begin(), m_found.end());
        for (auto it = m_cache.flags.begin(); it != m_cache.flags.end();) {
            if (it->first < oldNext && !alive.contains(it->first)) {
                ++m_report.vanished;
                m_bodies.erase(it->first);
                it = m_cache.flags.erase(it);
            } else {
                ++it;
            }
        }
        advance(In::Flags, now);
        return send(fmt::format("UID FETCH 1:{} (UID FLAGS)", oldNext - 1), now);
    }
    if (phase() == Phase::Flags) {
        for (const auto& [uid, flags] : m_fetchedFlags) {
            auto it = m_cache.flags.find(uid);
            if (it == m_cache.flags.end() || uid >= oldNext) continue;
            if (it->second != flags) ++m_report.flagsChanged, it->second = flags;
        }
    }
    m_cache.uidValidity = m_uidValidity;
    std::uint32_t highest = m_cache.flags.empty() ? 0 : m_cache.flags.rbegin()->first;
    m_cache.uidNext = std::max({m_uidNext, highest + 1, oldNext});
    logout(now);
}

}  // namespace mailsim::imap

namespace mailsim::imap {

// RFC 3501 6.4.6: UID STORE <uids> +FLAGS (...) then -FLAGS (...), not .SILENT, so each message's new flags come back.
void ImapClientSession::startStore(const std::vector<std::uint32_t>& uids, Micros now) {
    std::vector<std::uint32_t> sorted = uids;
    std::ranges::sort(sorted);
    m_storeSet = formatSequenceSet(sorted);
    if (!m_config.addFlags.empty()) m_storeQueue.push_back("+FLAGS (" + m_config.addFlags + ")");
    if (!m_config.removeFlags.empty()) m_storeQueue.push_back("-FLAGS (" + m_config.removeFlags + ")");
    advance(In::Store, now);
    storeStep(now);
}

void ImapClientSession::storeStep(Micros now) {
    if (m_storeQueue.empty()) return logout(now);
    std::string change = m_storeQueue.front();
    m_storeQueue.erase(m_storeQueue.begin());
    send("UID STORE " + m_storeSet + " " + change, now);
}

}  // namespace mailsim::imap
