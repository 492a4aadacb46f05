#include "smtp/SmtpServerSession.hpp"

#include "auth/Sasl.hpp"
#include "mta/TraceHeaders.hpp"
#include "util/DateTime.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fmt/format.h>

namespace mailsim::smtp {
namespace {

using trace::Direction;
using trace::EventId;
using trace::LineRole;
using trace::Micros;

constexpr std::size_t kTraceLineCap = 2000;  // longest content line text kept in a trace event
constexpr std::size_t kMaxEchoedArg = 200;   // longest reply argument (see reply())

std::string bracketed(std::string_view path) { return "<" + std::string(path) + ">"; }

std::string_view stripBrackets(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
    return s;
}

}  // namespace

SmtpServerSession::SmtpServerSession(SmtpServerContext& context, PeerInfo peer, trace::Recorder recorder)
    : m_ctx(context), m_peer(std::move(peer)), m_rec(recorder) {}

void SmtpServerSession::start(Micros now) {
    m_lastActivity = now;
    if (!m_ctx.config.acceptConnections) {
        reply(ReplyId::ServiceUnavailable, {}, now, trace::kNoCause);
        transition(SmtpInput::Abort, now, trace::kNoCause);
        return;
    }
    if (applyRule("CONNECT", {}, {}, now, trace::kNoCause)) {
        if (closed()) return;
        m_noService = true;  // RFC 5321 3.1: after a 554 greeting the server waits for QUIT
        transition(SmtpInput::Greeting, now, trace::kNoCause);
        return;
    }
    reply(ReplyId::Greeting, {}, now, trace::kNoCause);
    transition(SmtpInput::Greeting, now, trace::kNoCause);
    m_greetedAt = now;
}

std::string SmtpServerSession::takeOutput() { return std::exchange(m_output, {}); }

void SmtpServerSession::tick(Micros now) {
    if (closed() || m_state == SmtpState::Connect || m_parked) return;
    const Micros firstBy = m_ctx.config.firstCommandTimeout;
    if (firstBy > 0 && !m_commandSeen && m_greetedAt > 0 && now - m_greetedAt >= firstBy) {
        m_rec.explain(now, {.id = trace::NoteId::GreetingTimeout, .numbers = {static_cast<std::uint64_t>(firstBy / 1'000'000)}});
        reply(ReplyId::Timeout, {}, now, trace::kNoCause);
        transition(SmtpInput::Abort, now, trace::kNoCause);
        return;
    }
    if (now - m_lastActivity >= m_ctx.config.idleTimeout) {
        reply(ReplyId::Timeout, {}, now, trace::kNoCause);
        transition(SmtpInput::Abort, now, trace::kNoCause);
    }
}

void SmtpServerSession::receive(std::string_view bytes, Micros now) {
    if (closed()) return;
    m_lastActivity = now;
    if (m_tlsPending) {  // plaintext between the 220 and the handshake: never read (CVE-2011-0411)
        noteDiscarded(bytes.size(), now, m_startTlsCause);
        return;
    }
    m_input.append(bytes);
    if (!m_parked) processInput(now);  // while parked the input waits (the transport stops reading meanwhile)
}

void SmtpServerSession::processInput(Micros now) {
    std::size_t pos = 0;
    while (pos < m_input.size() && !closed() && !m_tlsPending && !m_parked) {
        if (m_state == SmtpState::Data) {
            // Content: only CRLF ends a line, and only CRLF "." CRLF ends the content (RFC 5321 4.1.1.4).
            if (m_atLineStart && m_input[pos] == '.') {
                std::string_view rest(m_input.data() + pos, m_input.size() - pos);
                if (rest.size() < 3 && std::string_view(".\r\n").starts_with(rest)) break;  // need more bytes
                if (rest.starts_with(".\r\n")) {
                    EventId ev = m_rec.line(now, Direction::ClientToServer, LineRole::Data, ".", ".\r\n");
                    pos += 3;
                    finishMessage(now, ev);
                    continue;
                }
                m_lineStuffed = true;  // dot-stuffed line: the first dot is removed (RFC 5321 4.5.2)
                ++pos;
            }
            m_atLineStart = false;
            auto crlf = m_input.find("\r\n", pos);
            std::size_t end = crlf;
            if (crlf == std::string::npos) {
                end = m_input.size();
                if (m_input.back() == '\r') --end;  // could be the first half of a CRLF
            }
            appendContent(std::string_view(m_input.data() + pos, end - pos));
            pos = end;
            if (crlf == std::string::npos) break;
            pos += 2;
            endContentLine(now);
            continue;
        }
        auto lf = m_input.find('\n', pos);
        if (lf == std::string::npos) {
            if (m_input.size() - pos > kMaxCommandLine) {
                // Too long already: stop buffering it; the reply comes when the line ends.
                if (!m_discardingLine) m_discardedHead = m_input.substr(pos, 80);
                m_discardingLine = true;
                pos = m_input.size();
            }
            break;
        }
        std::string_view raw(m_input.data() + pos, lf + 1 - pos);
        pos = lf + 1;
        if (m_discardingLine) {
            m_discardingLine = false;
            EventId ev = m_rec.line(now, Direction::ClientToServer, LineRole::Command, m_discardedHead + "...",
                                    m_discardedHead);
            reply(ReplyId::LineTooLong, {{"limit", std::to_string(kMaxCommandLine)}}, now, ev);
            countError(now, ev);
            continue;
        }
        std::string_view line = raw.substr(0, raw.size() - 1);
        bool crlf = !line.empty() && line.back() == '\r';
        if (crlf) line.remove_suffix(1);
        handleCommandLine(line, raw, crlf, now);
    }
    if (m_tlsPending) {
        // Whatever followed the STARTTLS line came in plaintext before TLS: drop it unread (CVE-2011-0411).
        noteDiscarded(m_input.size() - pos, now, m_startTlsCause);
        m_input.clear();
        m_discardingLine = false;
    } else if (closed()) {
        m_input.clear();  // whatever followed QUIT or a 421 is never read: do not keep it
    } else {
        m_input.erase(0, pos);
    }
}

void SmtpServerSession::appendContent(std::string_view chunk) {
    // Runs of plain octets (no bare CR or LF) are taken as one block, found with memchr: counted, capped for the
    // trace, appended up to the size limit. A bare CR or LF, and the octet after a bare LF (where a lenient server
    // looks for a stuffed dot), go through appendSpecialOctet one by one. Each memchr starts past the last hit, so a
    // chunk is scanned in linear time however many bare line ends it holds.
    auto next = [chunk](char c, std::size_t from) {
        const void* hit = std::memchr(chunk.data() + from, c, chunk.size() - from);
        return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - chunk.data()) : chunk.size();
    };
    std::size_t cr = next('\r', 0), lf = next('\n', 0), pos = 0;
    while (pos < chunk.size()) {
        if (!m_lineAfterBareLf && !m_dotAfterBareLf) {
            const std::size_t stop = std::min(cr, lf);
            appendPlainRun(chunk.substr(pos, stop - pos));
            pos = stop;
            if (pos == chunk.size()) return;
        }
        appendSpecialOctet(chunk[pos++]);
        if (cr < pos) cr = next('\r', pos);
        if (lf < pos) lf = next('\n', pos);
    }
}

void SmtpServerSession::appendPlainRun(std::string_view run) {
    if (run.empty()) return;
    m_dataLineLength += run.size();
    if (m_traceLine.size() < kTraceLineCap && m_rec.observed())
        m_traceLine.append(run.substr(0, kTraceLineCap - m_traceLine.size()));
    // RFC 5321 4.5.3.1.6: a text line is at most 1000 octets including its CRLF.
    if (m_dataLineLength + 2 > kMaxTextLine) m_longDataLine = true;
    const std::size_t max = m_ctx.config.maxMessageSize;
    if (m_contentSize < max) m_content.append(run.substr(0, max - m_contentSize));  // content past the limit: counted
    m_contentSize += run.size();
}

void SmtpServerSession::appendSpecialOctet(char c) {
    ++m_dataLineLength;
    if (m_traceLine.size() < kTraceLineCap && m_rec.observed()) m_traceLine += c;
    if (m_dotAfterBareLf) {
        // A dot that began a line after a bare LF: a lenient server treats that LF as a line end for
        // dot-stuffing (clients that send LF-only lines, such as python's smtplib with bytes, stuff such dots),
        // so the dot is removed, unless the line is only "." - which never ends the message here.
        m_dotAfterBareLf = false;
        if (c == '\n' || c == '\r') addContentOctet('.');
    }
    // A CR or LF here is bare: CRLF pairs never reach this function.
    if (c == '\n' || c == '\r') {
        (c == '\n' ? m_bareLf : m_bareCr) = true;
        m_dataLineLength = 0;
        m_contentSize += 2;
        if (m_contentSize <= m_ctx.config.maxMessageSize) m_content += "\r\n";  // lenient: normalised
        m_lineAfterBareLf = c == '\n';
        return;
    }
    if (std::exchange(m_lineAfterBareLf, false) && c == '.' && m_ctx.config.lenient) {
        m_dotAfterBareLf = true;
        return;
    }
    if (m_dataLineLength + 2 > kMaxTextLine) m_longDataLine = true;
    addContentOctet(c);
}

void SmtpServerSession::addContentOctet(char c) {
    ++m_contentSize;
    if (m_contentSize <= m_ctx.config.maxMessageSize) m_content += c;
}

void SmtpServerSession::endContentLine(Micros now) {
    if (std::exchange(m_dotAfterBareLf, false)) addContentOctet('.');  // "<LF>.<CRLF>": the dot is content
    m_lineAfterBareLf = false;
    m_contentSize += 2;
    if (m_contentSize <= m_ctx.config.maxMessageSize) m_content += "\r\n";
    if (m_rec.observed()) recordContentLine(now);  // else nobody sees the trace: no Data line to build or count
    m_traceLine.clear();
    m_lineStuffed = false;
    m_dataLineLength = 0;
    m_atLineStart = true;
}

void SmtpServerSession::recordContentLine(Micros now) {
    const auto& cfg = m_ctx.config;
    std::string raw = (m_lineStuffed ? "." : "") + m_traceLine;
    if (m_untracedLines == 0 && m_tracedOctets + raw.size() + 2 <= cfg.traceContentOctets &&
        m_tracedLines < cfg.traceContentLines) {
        m_tracedOctets += raw.size() + 2;
        ++m_tracedLines;
        std::string text = raw;
        if (m_traceLine.size() >= kTraceLineCap) text += " [line cut in the trace]";
        m_rec.line(now, Direction::ClientToServer, LineRole::Data, std::move(text), raw + "\r\n", m_dataStart);
    } else {
        // Past the trace's share of the message: counted only (reported when the content ends).
        ++m_untracedLines;
        m_untracedOctets += m_dataLineLength + (m_lineStuffed ? 1 : 0) + 2;
    }
}

void SmtpServerSession::handleCommandLine(std::string_view line, std::string_view raw, bool crlf, Micros now) {
    m_commandSeen = true;
    EventId ev = m_rec.line(now, Direction::ClientToServer, LineRole::Command, std::string(line), std::string(raw));
    if (!crlf && !m_ctx.config.lenient) {
        reply(ReplyId::BareLfCommand, {}, now, ev);
        countError(now, ev);
        return;
    }
    if (raw.size() + (crlf ? 0 : 1) > kMaxCommandLine) {
        reply(ReplyId::LineTooLong, {{"limit", std::to_string(kMaxCommandLine)}}, now, ev);
        countError(now, ev);
        return;
    }
    if (!m_saslMechanism.empty()) return continueAuth(line, now, ev);  // a SASL response, not a command
    auto [verb, arg] = splitCommand(line);  // the verb runs up to the first SP (RFC 5321 4.1.1), any length
    const SmtpCommandInfo* info = findSmtpCommand(verb);
    if (!info) {
        reply(ReplyId::Unrecognized, {{"command", std::string(verb.substr(0, 40))}}, now, ev);
        countError(now, ev);
        return;
    }
    if (!gate(*info, arg, now, ev)) return;
    if (Handler handler = handlerFor(info->input)) return (this->*handler)(arg, now, ev);
    reply(ReplyId::NotImplemented, {{"verb", std::string(info->verb)}}, now, ev);
}

// The one gate before dispatch: everything it checks comes from the command's row and the transition table.
bool SmtpServerSession::gate(const SmtpCommandInfo& info, std::string_view arg, Micros now, EventId cause) {
    if (info.removed) {
        reply(ReplyId::RemovedCommand, {{"verb", std::string(info.verb)}}, now, cause);
        return false;
    }
    if (m_noService && info.input != SmtpInput::Quit) {
        reply(ReplyId::OnlyQuit, {}, now, cause);
        return false;
    }
    if (!m_ctx.config.rules.empty() && smtpNextState(m_state, info.input)) {
        std::string sender = m_reversePath, recipient;
        if (info.input == SmtpInput::Mail || info.input == SmtpInput::Rcpt) {
            auto parsed = parsePathArgument(arg, info.input == SmtpInput::Mail ? "FROM:" : "TO:", true, true);
            (info.input == SmtpInput::Mail ? sender : recipient) = parsed ? parsed->path : std::string();
        }
        if (applyRule(info.verb, sender, recipient, now, cause)) {
            if (info.input == SmtpInput::Rcpt) m_rcptRefused = true;
            return false;
        }
    }
    if (info.flags.offered && !m_ctx.config.tlsOffered) {  // STARTTLS where the transport cannot: as before TLS
        reply(ReplyId::NotImplemented, {{"verb", std::string(info.verb)}}, now, cause);
        return false;
    }
    const bool argOk = util::argumentFits(info.flags.arg, arg);
    if (info.flags.syntaxFirst && !argOk) return refuseSyntax(info, now, cause);
    if (!smtpNextState(m_state, info.input)) return refuseSequence(info.input, now, cause);
    if (!argOk) return refuseSyntax(info, now, cause);
    return true;
}

bool SmtpServerSession::refuseSyntax(const SmtpCommandInfo& info, Micros now, EventId cause) {
    reply(ReplyId::SyntaxError, {{"syntax", std::string(info.syntax)}}, now, cause);
    countError(now, cause);
    return false;
}

// RFC 5321 4.3.2: 503 "bad sequence of commands", with what to do instead; 554 for DATA after only refused RCPTs.
bool SmtpServerSession::refuseSequence(SmtpInput input, Micros now, EventId cause) {
    ReplyId id = ReplyId::NotInState;
    if (m_state == SmtpState::Connect) {
        id = ReplyId::NeedGreeting;
    } else if (input == SmtpInput::StartTls && m_tlsActive) {
        reply(ReplyId::TlsAlreadyActive, {}, now, cause);
        return false;
    } else if (m_state == SmtpState::Initial) {
        id = ReplyId::NeedHelo;
    } else if (input == SmtpInput::Mail) {
        id = ReplyId::NestedMail;
    } else if (input == SmtpInput::Rcpt) {
        id = ReplyId::NeedMail;
    } else if (input == SmtpInput::Data && m_state == SmtpState::Mail && m_rcptRefused) {
        reply(ReplyId::NoValidRecipients, {}, now, cause);
        return false;
    } else if (input == SmtpInput::Data) {
        id = m_state == SmtpState::Ready ? ReplyId::NeedMailBeforeData : ReplyId::NeedRcpt;
    }
    reply(id, {{"verb", std::string(smtpCommandInfo(input).verb)}, {"state", std::string(toString(m_state))}}, now, cause);
    countError(now, cause);
    return false;
}

// The handler of each command row; nullptr for a row without one (the RFC 821 commands, answered 502).
SmtpServerSession::Handler SmtpServerSession::handlerFor(SmtpInput input) {
    using S = SmtpServerSession;
    static constexpr std::pair<SmtpInput, Handler> kHandlers[] = {
        {SmtpInput::Helo, &S::doHelo},     {SmtpInput::Ehlo, &S::doEhlo},   {SmtpInput::Mail, &S::doMail},
        {SmtpInput::Rcpt, &S::doRcpt},     {SmtpInput::Data, &S::doData},   {SmtpInput::Rset, &S::doRset},
        {SmtpInput::Noop, &S::doNoop},     {SmtpInput::Quit, &S::doQuit},   {SmtpInput::Vrfy, &S::doVrfy},
        {SmtpInput::Expn, &S::doExpn},     {SmtpInput::Help, &S::doHelp},   {SmtpInput::Auth, &S::doAuth},
        {SmtpInput::StartTls, &S::doStartTls},
    };
    for (const auto& [in, handler] : kHandlers)
        if (in == input) return handler;
    return nullptr;
}

bool SmtpServerSession::hasHandler(SmtpInput input) { return handlerFor(input) != nullptr; }

void SmtpServerSession::doRset(std::string_view, Micros now, EventId cause) {
    resetTransaction();
    reply(ReplyId::ResetOk, {}, now, cause);
    transition(SmtpInput::Rset, now, cause);
}

void SmtpServerSession::doNoop(std::string_view, Micros now, EventId cause) {
    reply(ReplyId::Ok, {}, now, cause);  // NOOP may carry a string, which is ignored (RFC 5321 4.1.1.9)
}

void SmtpServerSession::doQuit(std::string_view, Micros now, EventId cause) {
    reply(ReplyId::Closing, {}, now, cause);
    transition(SmtpInput::Quit, now, cause);
}

void SmtpServerSession::doEhlo(std::string_view arg, Micros now, EventId cause) { introduce(true, arg, now, cause); }

void SmtpServerSession::doHelo(std::string_view arg, Micros now, EventId cause) { introduce(false, arg, now, cause); }

// The gate has checked the name (ArgRule::Printable): it goes into the Received: header of every message of the
// session (RFC 5321 4.4), so no control characters (a bare CR there could start a forged header line).
void SmtpServerSession::introduce(bool extended, std::string_view arg, Micros now, EventId cause) {
    resetTransaction();
    m_heloName.assign(arg.substr(0, arg.find(' ')));
    m_extended = extended;
    ReplyArgs args{{"client", m_heloName}};
    if (extended) {
        // Only what this server really implements (RFC 5321 4.1.1.1; RFC 1870, 6152, 2920, 2034).
        std::vector<std::string> ext{fmt::format("SIZE {}", m_ctx.config.maxMessageSize), "8BITMIME", "PIPELINING",
                                     "ENHANCEDSTATUSCODES"};
        if (m_ctx.config.smtpUtf8) ext.push_back("SMTPUTF8");  // RFC 6531 3.2 (8BITMIME, which it needs, is above)
        if (offersStartTls()) ext.push_back("STARTTLS");  // RFC 3207 4; never inside TLS (4.2)
        if (authUsableNow()) ext.push_back(fmt::format("AUTH {}", auth::kSmtpAuthMechanisms));  // RFC 4954 3, 6
        reply(ReplyId::EhloOk, args, now, cause, ext);
    } else {
        reply(ReplyId::HeloOk, args, now, cause);
    }
    transition(extended ? SmtpInput::Ehlo : SmtpInput::Helo, now, cause);
}

void SmtpServerSession::doMail(std::string_view arg, Micros now, EventId cause) {
    if (offersAuth() && m_authUser.empty()) {  // RFC 6409 4.3: submission takes mail from logged-in users only
        // RFC 3207 4: when logging in needs TLS first, say so.
        reply(offersStartTls() && !authUsableNow() ? ReplyId::MustStartTls : ReplyId::AuthRequired, {}, now, cause);
        return;
    }
    auto parsed = parsePathArgument(arg, "FROM:", m_ctx.config.lenient, m_ctx.config.smtpUtf8);
    if (!parsed) {
        if (parsed.error().kind == PathErrorKind::Syntax)
            reply(ReplyId::SyntaxError, {{"syntax", parsed.error().detail}}, now, cause);
        else
            reply(ReplyId::BadAddress, {{"path", std::string(stripBrackets(arg.substr(5)))},
                                        {"detail", parsed.error().detail}}, now, cause);
        countError(now, cause);
        return;
    }
    bool smtpUtf8 = false;
    for (const auto& [key, value] : parsed->params) {
        if (!m_extended) {  // parameters exist only once EHLO has announced the extensions
            reply(ReplyId::ParamUnrecognized, {{"param", key}}, now, cause);
            return;
        }
        if (key == "SMTPUTF8" && m_ctx.config.smtpUtf8) {  // RFC 6531 3.4: a keyword without a value
            if (!value.empty()) {
                reply(ReplyId::SmtpUtf8NoValue, {}, now, cause);
                return;
            }
            smtpUtf8 = true;
            continue;
        }
        if (key == "SIZE") {
            std::size_t size = 0;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), size);
            if (ec != std::errc{} || p != value.data() + value.size()) {
                reply(ReplyId::SizeSyntax, {}, now, cause);
                return;
            }
            if (size > m_ctx.config.maxMessageSize) {
                reply(ReplyId::MessageTooBig, {{"limit", std::to_string(m_ctx.config.maxMessageSize)}}, now, cause);
                return;
            }
        } else if (key == "BODY") {
            std::string body = toUpper(value);
            if (body == "BINARYMIME") {
                reply(ReplyId::BinaryMimeUnsupported, {}, now, cause);
                return;
            }
            if (body != "7BIT" && body != "8BITMIME") {
                reply(ReplyId::BodySyntax, {}, now, cause);
                return;
            }
        } else {
            reply(ReplyId::ParamUnrecognized, {{"param", key}}, now, cause);
            return;
        }
    }
    if (!smtpUtf8 && !isAscii(parsed->path)) {  // RFC 6531 3.7.4.1
        reply(ReplyId::NonAsciiSender, {{"path", bracketed(parsed->path)}}, now, cause);
        return;
    }
    m_reversePath = parsed->path;
    m_smtpUtf8 = smtpUtf8;
    reply(ReplyId::SenderOk, {{"path", bracketed(m_reversePath)}}, now, cause);
    transition(SmtpInput::Mail, now, cause);
}

void SmtpServerSession::doRcpt(std::string_view arg, Micros now, EventId cause) {
    auto parsed = parsePathArgument(arg, "TO:", m_ctx.config.lenient, m_ctx.config.smtpUtf8);
    if (parsed && parsed->path.empty()) parsed = std::unexpected(PathError{PathErrorKind::Syntax, "TO:<address> (the null path <> is only for MAIL)"});
    if (!parsed) {
        if (parsed.error().kind == PathErrorKind::Syntax)
            reply(ReplyId::SyntaxError, {{"syntax", parsed.error().detail}}, now, cause);
        else
            reply(ReplyId::BadAddress, {{"path", std::string(stripBrackets(arg.substr(std::min<std::size_t>(3, arg.size()))))},
                                        {"detail", parsed.error().detail}}, now, cause);
        m_rcptRefused = true;
        countError(now, cause);
        return;
    }
    std::string path = bracketed(parsed->path);
    if (!m_smtpUtf8 && !isAscii(parsed->path)) {  // RFC 6531 3.7.4.1
        reply(ReplyId::NonAsciiRecipient, {{"path", path}}, now, cause);
        m_rcptRefused = true;
        return;
    }
    if (!parsed->params.empty()) {
        reply(ReplyId::ParamUnrecognized, {{"param", parsed->params.front().first}}, now, cause);
        m_rcptRefused = true;
        return;
    }
    if (m_recipients.size() >= m_ctx.config.maxRecipients) {
        reply(ReplyId::TooManyRecipients, {{"limit", std::to_string(m_ctx.config.maxRecipients)}}, now, cause);
        return;
    }
    const auto& dir = m_ctx.directory;
    if (!dir.isLocalDomain(auth::UserDirectory::domainOf(parsed->path))) {
        // RFC 5321 3.6.2, 7.1: relay only for clients we know (logged in, or from a trusted network).
        bool backupFor = std::ranges::find(m_ctx.config.relayDomains, auth::UserDirectory::canonical(
                                               auth::UserDirectory::domainOf(parsed->path))) != m_ctx.config.relayDomains.end();
        if (!mayRelay() && !(backupFor && m_ctx.relay)) {
            reply(ReplyId::RelayDenied, {{"path", path}}, now, cause);
            m_rcptRefused = true;
            return;
        }
        std::string remote = auth::UserDirectory::canonical(parsed->path);
        if (std::ranges::find(m_recipients, remote, &Recipient::path) == m_recipients.end())
            m_recipients.push_back({remote, {}});
        reply(ReplyId::RecipientOk, {{"path", path}}, now, cause);
        transition(SmtpInput::Rcpt, now, cause);
        return;
    }
    if (!m_ctx.config.gatewayMailbox.empty()) {  // a gateway takes any local part and hands it on
        if (std::ranges::find(m_recipients, m_ctx.config.gatewayMailbox, &Recipient::mailbox) == m_recipients.end())
            m_recipients.push_back({parsed->path, m_ctx.config.gatewayMailbox});
        reply(ReplyId::RecipientOk, {{"path", path}}, now, cause);
        transition(SmtpInput::Rcpt, now, cause);
        return;
    }
    std::vector<std::string> mailboxes;
    ReplyId accepted = ReplyId::RecipientOk;
    ReplyArgs acceptedArgs{{"path", path}};
    if (const auto* members = dir.findList(parsed->path)) {
        mailboxes = *members;
    } else if (const auto* user = dir.findUser(parsed->path)) {
        if (!user->movedTo.empty()) {  // RFC 5321 3.4: the server knows the new address and will not forward
            reply(ReplyId::UserNotLocalTryElsewhere, {{"path", bracketed(user->movedTo)}}, now, cause);
            m_rcptRefused = true;
            return;
        }
        if (!user->forwardTo.empty() && dir.findUser(user->forwardTo)) {  // RFC 5321 3.4: accept and forward
            mailboxes.push_back(user->forwardTo);
            accepted = ReplyId::UserNotLocalWillForward;
            acceptedArgs = {{"path", bracketed(user->forwardTo)}};
        } else if (!user->forwardTo.empty() && m_ctx.relay && !dir.isLocalDomain(auth::UserDirectory::domainOf(user->forwardTo))) {
            // RFC 5321 3.4: forwarded to another domain - this server relays it (the reverse-path stays the sender's)
            if (std::ranges::find(m_recipients, user->forwardTo, &Recipient::path) == m_recipients.end())
                m_recipients.push_back({user->forwardTo, {}});
            reply(ReplyId::UserNotLocalWillForward, {{"path", bracketed(user->forwardTo)}}, now, cause);
            transition(SmtpInput::Rcpt, now, cause);
            return;
        } else {
            mailboxes.push_back(user->address);
        }
    } else {
        reply(ReplyId::UnknownUser, {{"path", path}}, now, cause);
        m_rcptRefused = true;
        return;
    }
    for (auto& mb : mailboxes)
        if (std::ranges::find(m_recipients, mb, &Recipient::mailbox) == m_recipients.end())
            m_recipients.push_back({parsed->path, std::move(mb)});
    reply(accepted, acceptedArgs, now, cause);
    transition(SmtpInput::Rcpt, now, cause);
}

void SmtpServerSession::doData(std::string_view, Micros now, EventId cause) {
    m_content.clear();
    m_contentSize = 0;
    m_dataLineLength = 0;
    m_longDataLine = m_bareLf = m_bareCr = m_lineStuffed = m_lineAfterBareLf = m_dotAfterBareLf = false;
    m_traceLine.clear();
    m_tracedOctets = m_tracedLines = m_untracedOctets = m_untracedLines = 0;
    m_atLineStart = true;
    m_dataStart = cause;
    reply(ReplyId::StartData, {}, now, cause);
    transition(SmtpInput::Data, now, cause);
}

void SmtpServerSession::doVrfy(std::string_view arg, Micros now, EventId cause) {
    std::string_view who = stripBrackets(arg);
    const auto& dir = m_ctx.directory;
    const auth::User* user = nullptr;
    if (who.find('@') != std::string_view::npos) {
        if (!dir.isLocalDomain(auth::UserDirectory::domainOf(who))) return reply(ReplyId::CannotVrfy, {}, now, cause);
        user = dir.findUser(who);
    } else {
        for (const auto& d : dir.domains())
            if ((user = dir.findUser(std::string(who) + "@" + d))) break;
    }
    if (!user) return reply(ReplyId::UnknownUser, {{"path", bracketed(who)}}, now, cause);
    std::string name = user->displayName.empty() ? user->address.substr(0, user->address.find('@')) : user->displayName;
    reply(ReplyId::VrfyOk, {{"name", name}, {"address", user->address}}, now, cause);
}

void SmtpServerSession::doExpn(std::string_view arg, Micros now, EventId cause) {
    std::string_view who = stripBrackets(arg);
    const auto& dir = m_ctx.directory;
    const std::vector<std::string>* members = dir.findList(who);
    if (!members && who.find('@') == std::string_view::npos)
        for (const auto& d : dir.domains())
            if ((members = dir.findList(std::string(who) + "@" + d))) break;
    if (!members || members->empty()) {
        bool isUser = dir.findUser(who) != nullptr;
        if (who.find('@') == std::string_view::npos)  // a bare name, as VRFY takes it: try the local domains
            for (const auto& d : dir.domains()) isUser = isUser || dir.findUser(std::string(who) + "@" + d);
        return reply(isUser ? ReplyId::NotAList : ReplyId::UnknownUser, {{"path", bracketed(who)}}, now, cause);
    }
    std::vector<std::string> rest;
    for (std::size_t i = 1; i < members->size(); ++i) rest.push_back(replyText(ReplyId::ExpnOk, {{"member", bracketed((*members)[i])}}));
    reply(ReplyId::ExpnOk, {{"member", bracketed(members->front())}}, now, cause, rest);
}

void SmtpServerSession::doHelp(std::string_view arg, Micros now, EventId cause) {
    if (arg.empty()) {
        std::string verbs;
        for (const auto& c : smtpCommands())
            if (!util::isPseudoVerb(c.verb) && !c.removed && (!c.flags.offered || offersStartTls()) &&
                (c.input != SmtpInput::Auth || authUsableNow()))
                verbs += (verbs.empty() ? "" : " ") + std::string(c.verb);
        return reply(ReplyId::HelpList, {{"commands", verbs}}, now, cause);
    }
    const SmtpCommandInfo* info = findSmtpCommand(arg);
    if (!info) return reply(ReplyId::HelpUnknownTopic, {{"topic", std::string(arg.substr(0, 40))}}, now, cause);
    reply(ReplyId::HelpTopic, {{"verb", std::string(info->verb)}, {"syntax", std::string(info->syntax)},
                               {"explain", std::string(info->explain.en)}}, now, cause);  // wire text: English
}

void SmtpServerSession::reply(ReplyId id, const ReplyArgs& args, Micros now, EventId cause,
                              std::span<const std::string> extraLines) {
    // Arguments may echo what the client sent; reply text is printable ASCII and TAB only (RFC 5321 4.2:
    // textstring), so control characters become '?' (a CR or ESC must not reach the client's terminal or parser),
    // and each is cut to kMaxEchoedArg octets so a reply line stays within 512 octets (RFC 5321 4.5.3.1.5).
    ReplyArgs all = args;
    for (auto& [name, value] : all) {
        if (value.size() > kMaxEchoedArg) value = value.substr(0, kMaxEchoedArg - 3) + "...";
        for (char& ch : value)
            if ((static_cast<unsigned char>(ch) < 32 && ch != '\t') || ch == 127) ch = '?';
    }
    all.emplace_back("domain", m_ctx.config.domain);
    emit(formatReply(id, all, m_extended, extraLines), now, cause);
}

void SmtpServerSession::emit(const std::string& wire, Micros now, EventId cause) {
    m_output += wire;
    std::size_t start = 0;
    while (start < wire.size()) {
        auto end = wire.find("\r\n", start);
        m_rec.line(now, Direction::ServerToClient, LineRole::Reply, wire.substr(start, end - start),
                   wire.substr(start, end + 2 - start), cause);
        start = end + 2;
    }
}

bool SmtpServerSession::applyRule(std::string_view point, std::string_view sender, std::string_view recipient,
                                  Micros now, EventId cause) {
    if (m_ctx.config.rules.empty()) return false;
    auto count = std::ranges::find(m_pointCounts, point, &std::pair<std::string, int>::first);
    if (count == m_pointCounts.end()) count = m_pointCounts.insert(m_pointCounts.end(), {std::string(point), 0});
    int nth = ++count->second;
    std::string from = auth::UserDirectory::canonical(sender);
    std::string to = auth::UserDirectory::canonical(recipient);
    for (const SmtpRule& rule : m_ctx.config.rules) {
        if (rule.at != point || (rule.occurrence && rule.occurrence != nth)) continue;
        if (!rule.senders.empty() && std::ranges::find(rule.senders, from) == rule.senders.end()) continue;
        if (!rule.recipients.empty()) {
            bool hit = std::ranges::find(rule.recipients, to) != rule.recipients.end();
            for (const auto& r : m_recipients) hit = hit || std::ranges::find(rule.recipients, r.mailbox) != rule.recipients.end();
            if (!hit) continue;
        }
        if (rule.greylist) {
            std::string key = fmt::format("{}|{}|{}", m_peer.address, from, to);
            if (!m_ctx.ruleMemory.greylistSeen.insert(key).second) {
                m_rec.explain(now, {.id = trace::NoteId::GreylistPassed, .names = {m_peer.address, from, to}}, cause);
                continue;
            }
        }
        const CodeInfo* meaning = explainCode(rule.code);
        std::string text = rule.text;
        if (text.empty()) {
            text = meaning ? std::string(meaning->meaning.en) : "Requested action not taken";  // on the wire
            if (auto d = text.find("<domain>"); d != std::string::npos) text.replace(d, 8, m_ctx.config.domain);
        }
        std::string status = (m_extended && !rule.enhanced.empty()) ? rule.enhanced + " " : std::string();
        m_rec.explain(now,
                      {.id = trace::NoteId::ScenarioRule,
                       .names = {rule.at, fmt::format("{}", fmt::join(rule.senders, ", ")),
                                 fmt::format("{}", fmt::join(rule.recipients, ", "))},
                       .numbers = {static_cast<std::uint64_t>(rule.code), static_cast<std::uint64_t>(rule.occurrence),
                                   rule.greylist ? 1u : 0u}},
                      cause);
        emit(fmt::format("{} {}{}\r\n", rule.code, status, text), now, cause);
        if (rule.code == 421) transition(SmtpInput::Abort, now, cause);
        return true;
    }
    return false;
}

void SmtpServerSession::transition(SmtpInput input, Micros now, EventId cause) {
    auto next = smtpNextState(m_state, input);
    if (!next || *next == m_state) return;
    m_rec.stateChanged(now, "smtp", std::string(toString(m_state)), std::string(toString(*next)),
                       std::string(smtpCommandInfo(input).verb), cause);
    m_state = *next;
}

void SmtpServerSession::countError(Micros now, EventId cause) {
    if (++m_errors < m_ctx.config.maxErrors || closed()) return;
    reply(ReplyId::TooManyErrors, {}, now, cause);
    transition(SmtpInput::Abort, now, cause);
}

void SmtpServerSession::resetTransaction() {
    m_reversePath.clear();
    m_recipients.clear();
    m_content.clear();
    m_contentSize = 0;
    m_rcptRefused = false;
    m_smtpUtf8 = false;
}

std::string SmtpServerSession::receivedField(Micros now) const {
    mta::ReceivedInfo info;
    info.heloName = m_heloName;
    info.peerName = m_peer.hostName;
    info.peerAddress = m_peer.address;
    info.byDomain = m_ctx.hostName.empty() ? m_ctx.config.domain : m_ctx.hostName;
    info.esmtp = m_extended;
    info.smtpUtf8 = m_smtpUtf8;
    info.authenticated = !m_authUser.empty();
    info.id = fmt::format("{:08X}", m_ctx.nextMessageNumber++);
    if (m_recipients.size() == 1) info.forPath = m_recipients[0].path;
    return mta::receivedHeader(info, now);
}

}  // namespace mailsim::smtp
