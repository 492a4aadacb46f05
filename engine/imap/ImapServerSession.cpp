// The IMAP server session's core: framing, dispatch through the state table, login, IDLE, change reports, output.
// Mailbox commands are in ImapMailboxes.cpp, FETCH/STORE/COPY/MOVE in ImapFetch.cpp, SEARCH in ImapSearch.cpp.
#include "imap/ImapServerSession.hpp"

#include "imap/ImapServerInternal.hpp"

#include "auth/Sasl.hpp"
#include "util/TlsMode.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

namespace mailsim::imap {

using trace::Direction;
using trace::EventId;
using trace::LineRole;
using trace::Micros;

namespace {

constexpr std::size_t kMaxEchoed = 100;

std::string printable(std::string_view s) {
    std::string out(s.substr(0, kMaxEchoed));
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 32 || c == 127) c = '?';
    if (s.size() > kMaxEchoed) out += "...";
    return out;
}

const auth::User* resolveUser(const auth::UserDirectory& dir, std::string_view name) {
    if (name.find('@') != std::string_view::npos) return dir.findUser(name);
    for (const auto& d : dir.domains())
        if (const auto* u = dir.findUser(std::string(name) + "@" + d)) return u;
    return nullptr;
}

}  // namespace

detail::SpanSet::SpanSet(const std::vector<SeqRange>& set, std::uint32_t largest) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
    for (auto r : set) {
        std::uint32_t lo = r.lo ? r.lo : largest, hi = r.hi ? r.hi : largest;
        spans.emplace_back(std::min(lo, hi), std::max(lo, hi));
    }
    std::ranges::sort(spans);
    for (auto sp : spans) {
        if (m_spans.empty() || sp.first > m_spans.back().second) m_spans.push_back(sp);
        else m_spans.back().second = std::max(m_spans.back().second, sp.second);
    }
}

bool detail::SpanSet::contains(std::uint32_t n) const {
    auto it = std::ranges::upper_bound(m_spans, std::pair{n, ~std::uint32_t{0}});
    return it != m_spans.begin() && std::prev(it)->second >= n;
}

ImapServerSession::ImapServerSession(ImapServerContext& context, trace::Recorder recorder)
    : m_ctx(context), m_rec(recorder),
      m_reader(context.config.maxLine, context.config.maxLiteral, context.config.maxLiteral + context.config.maxLine * 4,
               context.config.maxSkip) {}

void ImapServerSession::start(Micros now) {
    m_lastActivity = now;
    m_started = true;
    reply(ReplyId::Greeting, "*", {{"caps", capabilities()}}, now, trace::kNoCause);
}

std::string ImapServerSession::capabilities() const { return capabilityList(m_state); }

std::string ImapServerSession::capabilityList(ImapState state) const {
    std::string caps(kImapBaseCapabilities);
    if (m_ctx.config.tlsOffered && !m_tlsActive && state == ImapState::NotAuthenticated) caps += " STARTTLS";
    caps += " UTF8=ACCEPT";  // RFC 6855 3: UTF-8 names, strings and APPEND once the client ENABLEs it
    caps += loginAllowedNow() ? " AUTH=PLAIN SASL-IR" : " LOGINDISABLED";  // RFC 3501 6.2.3, 7.2.1
    return caps;
}

std::string ImapServerSession::takeOutput() { return std::exchange(m_output, {}); }

void ImapServerSession::receive(std::string_view bytes, Micros now) {
    if (m_closed) return;
    m_lastActivity = now;
    if (m_tlsPending) return noteDiscarded(bytes.size(), now);  // plaintext before the handshake: never read
    m_reader.append(bytes);
    runBuffered(now);
}

void ImapServerSession::runBuffered(Micros now) {
    m_reader.setMaxNonAppendLiteral(m_ctx.config.maxSmallLiteral);
    while (!m_closed && !m_tlsPending && !m_fetch) {
        // Before login every literal is small (APPEND needs a login anyway): nothing big is buffered for a stranger.
        m_reader.setMaxLiteral(loggedIn() ? m_ctx.config.maxLiteral
                                          : std::min(m_ctx.config.maxLiteral, m_ctx.config.maxSmallLiteral));
        auto ev = m_reader.next();
        if (!ev) break;
        handleEvent(*ev, now);
    }
    if (m_tlsPending) {  // what followed the STARTTLS line came in plaintext before TLS (CVE-2011-0411)
        noteDiscarded(m_reader.buffered(), now);
        m_reader.clear();
    }
    if (m_closed) m_reader.clear();
}

// ---- STARTTLS (RFC 3501 6.2.1) ---------------------------------------------------------------------------------

void ImapServerSession::doStartTls(Command& cmd, Micros now) {
    if (!m_ctx.config.tlsOffered) return reply(ReplyId::NoTls, cmd.tag, {}, now, cmd.cause);
    if (!cmd.args.empty()) return syntaxError(cmd, now);
    if (m_tlsActive) return reply(ReplyId::TlsAlreadyActive, cmd.tag, {}, now, cmd.cause);
    reply(ReplyId::StartTlsReady, cmd.tag, {}, now, cmd.cause);
    m_tlsPending = true;
    m_startTlsCause = cmd.cause;
    m_rec.explain(now, {.id = trace::NoteId::StartTlsAccepted, .names = {"STARTTLS"}, .rfc = "RFC 3501 6.2.1"}, cmd.cause);
}

void ImapServerSession::tlsEstablished(Micros now) {
    bool wasPending = std::exchange(m_tlsPending, false);
    m_tlsActive = true;
    if (!wasPending) {
        if (m_started) m_rec.error(now, {.id = trace::ErrorId::TlsWithoutStartTls, .names = {"STARTTLS"}});
        return;  // implicit TLS (IMAPS): the greeting follows as usual
    }
    m_reader.clear();
    m_rec.explain(now, {.id = trace::NoteId::TlsEstablishedImap, .rfc = "RFC 3501 6.2.1"}, m_startTlsCause);
}

void ImapServerSession::noteDiscarded(std::size_t count, Micros now) {
    util::noteDiscardedPlaintext(m_rec, count, now, m_startTlsCause, "STARTTLS");
}

void ImapServerSession::tick(Micros now) {
    if (m_closed) return;
    if (!m_idleTag.empty() && m_state == ImapState::Selected) pollChanges(true, now, trace::kNoCause);
    if (now - m_lastActivity >= m_ctx.config.idleTimeout) {
        m_rec.explain(now, {.id = trace::NoteId::ImapAutologout,
                            .numbers = {static_cast<std::uint64_t>((now - m_lastActivity) / 1'000'000)},
                            .rfc = "RFC 3501 5.4"});
        bye(ReplyId::Autologout, now, trace::kNoCause);
    }
}

void ImapServerSession::connectionLost(Micros now) {
    if (m_closed) return;
    m_rec.explain(now, {.id = trace::NoteId::ImapNoLogout});
    deselect();
    transition(ImapInput::Abort, now, trace::kNoCause);
    m_closed = true;
}

void ImapServerSession::shutdown(Micros now, util::Goodbye why) {
    if (m_closed) return;
    using G = util::Goodbye;
    bye(why == G::TooManyConnections ? ReplyId::TooManyConnections
        : why == G::LoginTimeout     ? ReplyId::LoginTimeout
        : why == G::Timeout          ? ReplyId::CommandTimeout
                                     : ReplyId::ShuttingDown,
        now, trace::kNoCause);
}

void ImapServerSession::bye(ReplyId id, Micros now, EventId cause) {
    reply(id, "*", {}, now, cause);
    deselect();
    transition(ImapInput::Abort, now, cause);
    m_closed = true;
}

void ImapServerSession::handleEvent(ReaderEvent& ev, Micros now) {
    using K = ReaderEvent::Kind;
    auto tagOf = [](std::string_view line) {
        auto h = splitHead(line);
        return h ? h->tag : std::string("*");
    };
    switch (ev.kind) {
    case K::NeedContinuation: {
        EventId c = m_rec.line(now, Direction::ClientToServer, LineRole::Command, ev.firstLine, ev.firstLine + "\r\n");
        reply(ReplyId::LiteralContinue, "", {}, now, c);
        return;
    }
    case K::LineTooLong: {
        EventId c = m_rec.line(now, Direction::ClientToServer, LineRole::Command, ev.firstLine + "...", ev.firstLine);
        reply(ReplyId::LineTooLong, tagOf(ev.firstLine), {{"limit", std::to_string(m_ctx.config.maxLine)}}, now, c);
        return countError(now, c);
    }
    case K::LiteralTooBig:
    case K::SkipTooBig: {
        EventId c = m_rec.line(now, Direction::ClientToServer, LineRole::Command, ev.firstLine, ev.firstLine + "\r\n");
        auto head = splitHead(ev.firstLine);
        ReplyArgs args{{"size", std::to_string(ev.literalSize)}, {"limit", std::to_string(ev.literalLimit)}};
        bool append = head && head->verb == "APPEND";
        reply(append ? ReplyId::AppendTooBig : ReplyId::LiteralTooBig, tagOf(ev.firstLine), args, now, c);
        if (ev.kind == K::SkipTooBig) bye(ReplyId::TooManyErrors, now, c);  // cannot skip that much: give up
        return;
    }
    case K::Command: handleCommand(ev, now); return;
    }
}

void ImapServerSession::handleCommand(const ReaderEvent& ev, Micros now) {
    // Trace every physical line (literal octets are data, traced as one Data event).
    EventId cause = trace::kNoCause;
    for (std::size_t i = 0; i < ev.lines.size(); ++i) {
        EventId id = m_rec.line(now, Direction::ClientToServer, i == 0 ? LineRole::Command : LineRole::Data,
                                ev.lines[i], ev.lines[i] + "\r\n", cause);
        if (i == 0) cause = id;
    }
    if (!m_saslTag.empty()) return saslResponse(ev.text, now, cause);
    if (!m_idleTag.empty()) return idleLine(ev.text, now, cause);
    auto head = splitHead(ev.text);
    if (!head) {
        reply(ReplyId::NotACommand, "*", {}, now, cause);
        return countError(now, cause);
    }
    Command cmd;
    cmd.tag = head->tag;
    cmd.verb = head->verb;
    cmd.cause = cause;
    std::string_view rest = head->rest;
    if (cmd.verb == "UID") {  // RFC 3501 6.4.8: UID COPY|FETCH|SEARCH|STORE (and MOVE, EXPUNGE, SORT, THREAD)
        cmd.uid = true;
        auto sp = rest.find(' ');
        cmd.verb.clear();
        for (char c : rest.substr(0, sp)) cmd.verb += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    }
    cmd.info = findImapCommand(cmd.verb);
    if (!cmd.info || (cmd.uid && !cmd.info->flags.sequenceNumbers)) {  // RFC 3501 6.4.8 (and RFC 4315, 6851, 5256)
        reply(ReplyId::Unknown, cmd.tag, {{"command", printable((cmd.uid ? "UID " : "") + cmd.verb)}}, now, cause);
        return countError(now, cause);
    }
    auto tokens = tokenize(rest);
    if (tokens.error) return refuse(cmd, std::move(*tokens.error), now);
    cmd.args = std::move(tokens.tokens);
    if (!gate(cmd, now)) return;
    if (Handler handler = handlerFor(cmd.info->input)) return (this->*handler)(cmd, now);
    syntaxError(cmd, now);  // a row without a handler: none reaches here (see handlerFor)
}

// The one gate before dispatch, from the command's row and the transition table: the state (tagged BAD, RFC 3501
// 6), a login where plaintext logins are refused (NO [PRIVACYREQUIRED], RFC 5530 3), the argument count.
bool ImapServerSession::gate(const Command& cmd, Micros now) {
    if (!imapNextState(m_state, cmd.uid ? ImapInput::Uid : cmd.info->input)) {
        reply(ReplyId::NotAllowed, cmd.tag, {{"verb", (cmd.uid ? "UID " : "") + cmd.verb},
                                             {"state", std::string(toString(m_state))}}, now, cmd.cause);
        countError(now, cmd.cause);
        return false;
    }
    if (cmd.info->flags.login && !loginAllowedNow()) {
        reply(ReplyId::PrivacyRequired, cmd.tag, {}, now, cmd.cause);
        return false;
    }
    const util::ArgRule rule = cmd.info->flags.arg;
    if ((rule == util::ArgRule::None && !cmd.args.empty()) || (rule == util::ArgRule::Required && cmd.args.empty())) {
        syntaxError(cmd, now);
        return false;
    }
    return true;
}

void ImapServerSession::syntaxError(const Command& cmd, Micros now) { refuse(cmd, Refusal{ReplyId::SyntaxError, {}}, now); }

// The refusal's entry with the command's {syntax} (its row's) and {verb} added; a BAD counts as an error (a NO,
// such as a refused mailbox name, is a normal failure).
void ImapServerSession::refuse(const Command& cmd, Refusal refusal, Micros now) {
    refusal.args.emplace_back("syntax", std::string(cmd.info->syntax));
    refusal.args.emplace_back("verb", cmd.verb);
    reply(refusal.id, cmd.tag, refusal.args, now, cmd.cause);
    if (replyInfo(refusal.id).condition == Condition::Bad) countError(now, cmd.cause);
}

// The handler of each command row (ImapStates.cpp); nullptr for the session's own events (greeting, abort, a failed
// SELECT) and for the UID prefix, which handleCommand resolves to the row of the command it prefixes (RFC 3501 6.4.8).
ImapServerSession::Handler ImapServerSession::handlerFor(ImapInput input) {
    using S = ImapServerSession;
    using I = ImapInput;
    static constexpr std::pair<ImapInput, Handler> kHandlers[] = {
        {I::Capability, &S::doCapability}, {I::Noop, &S::doNoop},         {I::Logout, &S::doLogout},
        {I::Id, &S::doId},                 {I::Login, &S::doLogin},       {I::Authenticate, &S::doAuthenticate},
        {I::StartTls, &S::doStartTls},     {I::Select, &S::doSelect},     {I::Examine, &S::doSelect},
        {I::Create, &S::doCreate},         {I::Delete, &S::doDelete},     {I::Rename, &S::doRename},
        {I::Subscribe, &S::doSubscribe},   {I::Unsubscribe, &S::doSubscribe}, {I::List, &S::doList},
        {I::Lsub, &S::doList},             {I::Status, &S::doStatus},     {I::Append, &S::doAppend},
        {I::Namespace, &S::doNamespace},   {I::Enable, &S::doEnable},     {I::Check, &S::doNoop},
        {I::Close, &S::doClose},           {I::Unselect, &S::doClose},    {I::Expunge, &S::doExpunge},
        {I::Search, &S::doSearch},         {I::Fetch, &S::doFetch},       {I::Store, &S::doStore},
        {I::Copy, &S::doCopy},             {I::Move, &S::doCopy},         {I::Idle, &S::doIdle},
        {I::Sort, &S::doSort},             {I::Thread, &S::doThread},
    };
    for (const auto& [in, handler] : kHandlers)
        if (in == input) return handler;
    return nullptr;
}

bool ImapServerSession::hasHandler(ImapInput input) { return handlerFor(input) != nullptr; }

// ---- the commands of any state (RFC 3501 6.1, RFC 2971) and the small ones after login --------------------------
// The gate has checked the state, a login's permission and an empty or required argument (the row's ArgRule).

void ImapServerSession::doCapability(Command& cmd, Micros now) {
    untagged("CAPABILITY " + capabilities(), now, cmd.cause);
    reply(ReplyId::CapabilityDone, cmd.tag, {}, now, cmd.cause);
}

// NOOP (6.1.2) and CHECK (6.4.1): the store is always up to date, so both only report the changes.
void ImapServerSession::doNoop(Command& cmd, Micros now) {
    if (m_state == ImapState::Selected) pollChanges(true, now, cmd.cause);
    reply(cmd.info->input == ImapInput::Noop ? ReplyId::NoopDone : ReplyId::CheckDone, cmd.tag, {}, now, cmd.cause);
}

// RFC 3501 6.1.3: the untagged BYE, then the tagged OK, then the server closes.
void ImapServerSession::doLogout(Command& cmd, Micros now) {
    reply(ReplyId::LogoutBye, "*", {}, now, cmd.cause);
    reply(ReplyId::LogoutDone, cmd.tag, {}, now, cmd.cause);
    deselect();
    transition(ImapInput::Logout, now, cmd.cause);
    m_closed = true;
}

// RFC 2971 3.1: one argument, a parenthesised list of field-value pairs or NIL.
void ImapServerSession::doId(Command& cmd, Micros now) {
    const auto& a = cmd.args;
    if (a.size() != 1 || !(a[0].isNil() || a[0].kind == Token::Kind::List)) return syntaxError(cmd, now);
    untagged("ID (\"name\" \"mailsim\" \"vendor\" \"mailsim teaching lab\" \"support-url\" \"RFC 3501\")", now,
             cmd.cause);
    reply(ReplyId::IdDone, cmd.tag, {}, now, cmd.cause);
}

// RFC 2342 5: personal folders without a prefix, "/" as the delimiter, no other users' or shared folders.
void ImapServerSession::doNamespace(Command& cmd, Micros now) {
    untagged("NAMESPACE ((\"\" \"/\")) NIL NIL", now, cmd.cause);
    reply(ReplyId::NamespaceDone, cmd.tag, {}, now, cmd.cause);
}

// RFC 5161 3.1: atoms only; * ENABLED lists what this command turned on (3.2), unknown names are ignored.
void ImapServerSession::doEnable(Command& cmd, Micros now) {
    std::string enabled;
    for (const auto& t : cmd.args) {
        if (t.kind != Token::Kind::Atom) return syntaxError(cmd, now);
        // RFC 6855 3: UTF8=ACCEPT (UTF8=ONLY is not offered). Listed once, and only when it was off.
        if (t.isAtom("UTF8=ACCEPT")) {
            if (!std::exchange(m_utf8Accept, true)) enabled += " UTF8=ACCEPT";
        } else {
            enabled += enableExtension(t, now, cmd.cause);  // CONDSTORE, QRESYNC (RFC 7162)
        }
    }
    untagged("ENABLED" + enabled, now, cmd.cause);
    reply(ReplyId::EnableDone, cmd.tag, {}, now, cmd.cause);
}

// RFC 2177 3: "+ idling", then changes are pushed (tick) until the client sends DONE (idleLine).
void ImapServerSession::doIdle(Command& cmd, Micros now) {
    m_idleTag = cmd.tag;
    reply(ReplyId::IdleContinue, "", {}, now, cmd.cause);
    if (m_state == ImapState::Selected) pollChanges(true, now, cmd.cause);
}

// ---- login -----------------------------------------------------------------------------------------------------

void ImapServerSession::doLogin(Command& cmd, Micros now) {
    if (cmd.args.size() != 2 || !cmd.args[0].isAString() || !cmd.args[1].isAString()) return syntaxError(cmd, now);
    const auth::User* user = resolveUser(m_ctx.directory, cmd.args[0].text);
    if (!user || user->password.empty() || user->password != cmd.args[1].text) {
        ++m_failedLogins;
        reply(ReplyId::AuthFailed, cmd.tag, {}, now, cmd.cause);
        return countError(now, cmd.cause);
    }
    loggedIn(user->address, ImapInput::Login, cmd.tag, now, cmd.cause);
}

void ImapServerSession::doAuthenticate(Command& cmd, Micros now) {
    if (cmd.args.empty() || cmd.args.size() > 2 || cmd.args[0].kind != Token::Kind::Atom) return syntaxError(cmd, now);
    if (!cmd.args[0].isAtom("PLAIN"))
        return reply(ReplyId::AuthMechanism, cmd.tag, {{"mech", printable(cmd.args[0].text)}}, now, cmd.cause);
    m_saslTag = cmd.tag;
    if (cmd.args.size() == 2)  // SASL-IR (RFC 4959): the initial response on the command line, "=" for empty
        return saslResponse(cmd.args[1].text == "=" ? "" : cmd.args[1].text, now, cmd.cause);
    reply(ReplyId::AuthContinue, "", {}, now, cmd.cause);
}

void ImapServerSession::saslResponse(const std::string& line, Micros now, EventId cause) {
    std::string tag = std::exchange(m_saslTag, {});
    if (line == "*") return reply(ReplyId::AuthCancelled, tag, {}, now, cause);
    auto decoded = auth::base64Decode(line);
    auto creds = decoded ? auth::parseSaslPlain(*decoded) : std::nullopt;
    const auth::User* user = creds ? resolveUser(m_ctx.directory, creds->authcid) : nullptr;
    bool authzOk = creds && (creds->authzid.empty() ||
                             (user && auth::UserDirectory::canonical(creds->authzid) == user->address));
    if (!user || !authzOk || user->password.empty() || user->password != creds->password) {
        ++m_failedLogins;
        reply(ReplyId::AuthFailed, tag, {}, now, cause);
        return countError(now, cause);
    }
    loggedIn(user->address, ImapInput::Authenticate, tag, now, cause);
}

void ImapServerSession::loggedIn(const std::string& user, ImapInput via, const std::string& tag, Micros now,
                                 EventId cause) {
    if (!m_ctx.store) return reply(ReplyId::NoStore, tag, {}, now, cause);
    m_user = user;
    reply(ReplyId::LoginDone, tag, {{"caps", capabilityList(ImapState::Authenticated)}, {"user", user}}, now, cause);
    transition(via, now, cause);
}

// ---- IDLE (RFC 2177) -------------------------------------------------------------------------------------------

void ImapServerSession::idleLine(const std::string& line, Micros now, EventId cause) {
    std::string tag = std::exchange(m_idleTag, {});
    if (line.size() != 4 || std::toupper(static_cast<unsigned char>(line[0])) != 'D' ||
        std::toupper(static_cast<unsigned char>(line[1])) != 'O' ||
        std::toupper(static_cast<unsigned char>(line[2])) != 'N' ||
        std::toupper(static_cast<unsigned char>(line[3])) != 'E') {
        reply(ReplyId::IdleNotDone, tag, {}, now, cause);
        return countError(now, cause);
    }
    if (m_state == ImapState::Selected) pollChanges(true, now, cause);
    reply(ReplyId::IdleDone, tag, {}, now, cause);
}

// ---- the selected mailbox's view -------------------------------------------------------------------------------

std::string ImapServerSession::storeName(const std::string& wire) const {
    std::string s = wire;
    std::ranges::replace(s, '/', '.');
    return s;
}

std::string ImapServerSession::wireName(const std::string& store) const {
    std::string s = store;
    std::ranges::replace(s, '.', '/');
    return s;
}

bool ImapServerSession::mailboxExists(const std::string& wire) const {
    if (wire == "INBOX") return true;
    auto folders = m_ctx.store->listFolders(m_user);
    return std::ranges::find(folders, storeName(wire)) != folders.end();
}

std::optional<std::string> ImapServerSession::mailboxArg(const Command& cmd, const Token& t, Micros now) {
    if (!t.isAString()) {
        syntaxError(cmd, now);
        return std::nullopt;
    }
    std::string name = normaliseMailboxName(t.text);
    if (name == "INBOX") return name;
    if (m_utf8Accept) {  // RFC 6855 3: the name is UTF-8 (never read as modified UTF-7); the store keeps mUTF-7
        auto wire = mailboxNameFromUtf8(name);
        if (!wire) {
            refuse(cmd, std::move(wire.error()), now);
            return std::nullopt;
        }
        name = std::move(*wire);
    }
    if (auto problem = mailboxNameProblem(name)) {
        refuse(cmd, std::move(*problem), now);
        return std::nullopt;
    }
    return name;
}

void ImapServerSession::deselect() {
    endFetch();
    m_sel.close();
    m_seen.reset();
}

std::string ImapServerSession::shownName(const std::string& wire) const {
    if (!m_utf8Accept) return wire;
    auto utf8 = decodeMailboxName(wire);  // the store's names are canonical mUTF-7 (checked on the way in)
    // A legacy client may have encoded a control character ("&AAo-" is LF): that name stays in its 7-bit form, so
    // nothing but printable text ever goes into a quoted string.
    if (!utf8 || std::ranges::any_of(*utf8, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        return wire;
    return *utf8;
}

void ImapServerSession::pollChanges(bool allowExpunge, Micros now, EventId cause) {
    if (m_state != ImapState::Selected || !m_sel.active()) return;
    const std::string& folder = m_sel.folder();
    if (m_ctx.store->uidValidity(m_user, folder) != m_sel.uidValidity() && m_sel.mailbox() != "INBOX" &&
        !mailboxExists(m_sel.mailbox())) {
        // The mailbox was deleted by another session: RFC 3501 gives no way but to end the session.
        m_rec.explain(now, {.id = trace::NoteId::SelectedMailboxDeleted}, cause);
        return bye(ReplyId::ShuttingDown, now, cause);
    }
    auto snapshot = m_ctx.store->snapshot(m_user, folder);
    if (snapshot == m_seen) return;  // the store handed out the same list: nothing changed since the last look
    auto changes = m_sel.sync(snapshot, allowExpunge, m_ctx.recentHighWater[{m_user, folder}]);
    // While expunges must wait (allowExpunge false) the view still holds them: the snapshot is not remembered, so the
    // next look reports them.
    m_seen = m_sel.size() == snapshot->messages.size() ? snapshot : nullptr;
    reportExpunged(changes.expunged, now, cause);
    for (const auto& c : changes.changed)  // with CONDSTORE also a change of the MODSEQ alone (RFC 7162 3.1.4)
        if (c.flagsDiffer || m_condStore) untagged(flagsFetch(c.index, false), now, cause);
    if (changes.added) {
        untagged(fmt::format("{} EXISTS", m_sel.size()), now, cause);
        untagged(fmt::format("{} RECENT", m_sel.recentCount()), now, cause);
    }
}

// ---- output ----------------------------------------------------------------------------------------------------

void ImapServerSession::transition(ImapInput input, Micros now, EventId cause) {
    auto next = imapNextState(m_state, input);
    if (!next || *next == m_state) return;
    m_rec.stateChanged(now, "imap", std::string(toString(m_state)), std::string(toString(*next)),
                       std::string(imapCommandInfo(input).verb), cause);
    m_state = *next;
}

void ImapServerSession::reply(ReplyId id, const std::string& tag, const ReplyArgs& args, Micros now, EventId cause) {
    ReplyArgs all = args;
    // Values that may echo the client are made printable and cut at kMaxEchoed; the capabilities and a command's
    // {syntax} (its row's text) are the server's own and go out whole.
    for (auto& [name, value] : all)
        if (name != "caps" && name != "syntax") value = printable(value);
    all.emplace_back("domain", m_ctx.config.domain);
    std::string line = statusLine(id, tag, all);
    m_output += line + "\r\n";
    m_rec.line(now, Direction::ServerToClient, LineRole::Reply, line, line + "\r\n", cause);
}

void ImapServerSession::untagged(const std::string& text, Micros now, EventId cause) {
    std::string line = "* " + text;
    m_output += line + "\r\n";
    m_rec.line(now, Direction::ServerToClient, LineRole::Reply, line, line + "\r\n", cause);
}

void ImapServerSession::sendRaw(const std::string& wire, Micros now, EventId cause) {
    m_output += wire;
    // Traced per line; a literal's octets are traced as Data lines (they follow a line ending in "{n}").
    std::size_t start = 0;
    bool first = true;
    while (start < wire.size()) {
        auto end = wire.find("\r\n", start);
        std::size_t stop = end == std::string::npos ? wire.size() : end + 2;
        std::string_view raw(wire.data() + start, stop - start);
        std::string_view text = raw.substr(0, end == std::string::npos ? raw.size() : raw.size() - 2);
        m_rec.line(now, Direction::ServerToClient, first ? LineRole::Reply : LineRole::Data, std::string(text),
                   std::string(raw), cause);
        first = false;
        start = stop;
    }
}

void ImapServerSession::countError(Micros now, EventId cause) {
    if (++m_errors < m_ctx.config.maxErrors || m_closed) return;
    bye(ReplyId::TooManyErrors, now, cause);
}

}  // namespace mailsim::imap
