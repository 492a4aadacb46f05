#include "smtp/SmtpSyntax.hpp"
#include "util/Ascii.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace mailsim::smtp {
namespace {

using P = MailboxProblem;

bool isAtext(unsigned char c) {
    return std::isalnum(c) || (c != 0 && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr);
}

bool isLetDig(unsigned char c) { return std::isalnum(c) != 0; }

// Length of the well-formed UTF-8 sequence (RFC 3629 4: UTF8-2/3/4, no overlongs, no surrogates) that starts at
// s[i] with a non-ASCII octet, or 0 when it is not one.
std::size_t utf8SequenceAt(std::string_view s, std::size_t i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((b(i + k) & 0xC0) != 0x80) return 0;
    unsigned char c1 = b(i + 1);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F))
        return 0;
    return n;
}

// Checks the non-ASCII octets of `text`: nullopt when they are well-formed UTF-8 and UTF-8 is allowed.
std::optional<MailboxReason> nonAsciiError(std::string_view text, MailboxPart part, bool allowUtf8) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (static_cast<unsigned char>(text[i]) < 128) continue;
        if (!allowUtf8) return MailboxReason{.problem = P::NonAsciiNotOffered, .part = part};
        std::size_t n = utf8SequenceAt(text, i);
        if (n == 0) return MailboxReason{.problem = P::NotUtf8, .part = part};
        i += n - 1;
    }
    return std::nullopt;
}

std::optional<MailboxReason> localPartError(std::string_view local, bool allowUtf8) {
    if (local.empty()) return MailboxReason{P::LocalPartEmpty};
    if (local.size() > kMaxLocalPart) return MailboxReason{P::LocalPartTooLong};
    if (local.front() == '"') {
        if (local.size() < 2 || local.back() != '"') return MailboxReason{P::QuotedUnterminated};
        for (std::size_t i = 1; i + 1 < local.size(); ++i) {
            unsigned char c = local[i];
            if (c == '\\') {
                if (i + 2 >= local.size() || local[i + 1] < 32 || local[i + 1] > 126)
                    return MailboxReason{P::QuotedPairBad};
                ++i;
            } else if (c < 32 || c > 126 || c == '"') {
                return MailboxReason{P::QuotedCharBad};
            }
        }
        return std::nullopt;
    }
    bool lastDot = true;  // a dot may not start the local part
    for (unsigned char c : local) {
        if (c == '.') {
            if (lastDot) return MailboxReason{P::EmptyAtom};
            lastDot = true;
        } else if (isAtext(c)) {
            lastDot = false;
        } else if (c >= 128) {
            lastDot = false;  // RFC 6531 3.3: atext =/ UTF8-non-ascii (checked as a whole below)
        } else {
            return MailboxReason{.problem = P::LocalPartCharBad, .character = static_cast<char>(c)};
        }
    }
    if (lastDot) return MailboxReason{P::LocalPartEndsWithDot};
    return nonAsciiError(local, MailboxPart::LocalPart, allowUtf8);
}

std::optional<MailboxReason> domainError(std::string_view domain, bool allowUtf8) {
    if (domain.empty()) return MailboxReason{P::DomainEmpty};
    if (domain.size() > kMaxDomain) return MailboxReason{P::DomainTooLong};
    if (domain.front() == '[') {
        if (domain.size() < 3 || domain.back() != ']') return MailboxReason{P::LiteralUnterminated};
        // RFC 5321 4.1.3: the literal is dcontent = %d33-90 / %d94-126 (printable, no "[", "\\", "]"); its form
        // (IPv4, "IPv6:", tag) is not checked further, it is only ever shown.
        for (unsigned char c : domain.substr(1, domain.size() - 2))
            if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']')
                return MailboxReason{P::LiteralCharBad};
        return std::nullopt;
    }
    std::size_t start = 0;
    while (start <= domain.size()) {
        auto dot = domain.find('.', start);
        std::string_view label = domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (label.empty()) return MailboxReason{P::LabelEmpty};
        // RFC 6531 3.3: sub-domain =/ U-label; a label's non-ASCII octets must be UTF-8 (IDNA2008's further rules on
        // U-labels, RFC 5891, are not checked here).
        auto edgeOk = [](unsigned char c) { return isLetDig(c) || c >= 128; };
        if (!edgeOk(label.front()) || !edgeOk(label.back()))
            return MailboxReason{P::LabelEdge};
        for (unsigned char c : label)
            if (!isLetDig(c) && c != '-' && c < 128)
                return MailboxReason{.problem = P::DomainCharBad, .character = static_cast<char>(c)};
        if (auto e = nonAsciiError(label, MailboxPart::Domain, allowUtf8)) return e;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return std::nullopt;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::ranges::equal(a, b, [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
           });
}

std::string toUpper(std::string_view s) { return util::asciiUpper(s); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::pair<std::string_view, std::string_view> splitCommand(std::string_view line) {
    auto sp = line.find_first_of(" \t");
    if (sp == std::string_view::npos) return {line, {}};
    return {line.substr(0, sp), trim(line.substr(sp + 1))};
}

bool isAscii(std::string_view text) {
    return std::ranges::all_of(text, [](unsigned char c) { return c < 128; });
}

std::optional<MailboxReason> mailboxError(std::string_view mailbox, bool allowUtf8) {
    // The '@' that separates local part and domain is the last one outside a quoted local part.
    std::size_t at = std::string_view::npos;
    if (!mailbox.empty() && mailbox.front() == '"') {
        std::size_t i = 1;
        while (i < mailbox.size() && mailbox[i] != '"') i += (mailbox[i] == '\\') ? 2 : 1;
        if (i + 1 < mailbox.size()) at = (mailbox[i + 1] == '@') ? i + 1 : std::string_view::npos;
    } else {
        at = mailbox.find('@');
        if (at != std::string_view::npos && mailbox.find('@', at + 1) != std::string_view::npos)
            return MailboxReason{P::MoreThanOneAt};
    }
    if (at == std::string_view::npos) return MailboxReason{P::NoAtDomain};
    if (auto e = localPartError(mailbox.substr(0, at), allowUtf8)) return e;
    return domainError(mailbox.substr(at + 1), allowUtf8);
}

std::expected<PathArgument, PathError> parsePathArgument(std::string_view argument, std::string_view keyword,
                                                         bool lenient, bool allowUtf8) {
    std::string usage = std::string(keyword) + "<address>";
    if (argument.size() < keyword.size() || !iequals(argument.substr(0, keyword.size()), keyword))
        return std::unexpected(PathError{PathErrorKind::Syntax, "expected \"" + usage + "\""});
    std::string_view rest = trim(argument.substr(keyword.size()));
    PathArgument out;
    std::string_view path;
    if (!rest.empty() && rest.front() == '<') {
        // Find the closing bracket, skipping a quoted local part.
        std::size_t i = 1;
        bool quoted = false;
        for (; i < rest.size(); ++i) {
            if (rest[i] == '\\' && quoted) { ++i; continue; }
            if (rest[i] == '"') quoted = !quoted;
            if (rest[i] == '>' && !quoted) break;
        }
        if (i >= rest.size()) return std::unexpected(PathError{PathErrorKind::Syntax, "missing '>' in " + usage});
        if (i + 1 > kMaxPath)
            return std::unexpected(PathError{PathErrorKind::BadMailbox, "path longer than 256 octets (RFC 5321 4.5.3.1.3)"});
        path = rest.substr(1, i - 1);
        rest = trim(rest.substr(i + 1));
        out.bracketed = true;
    } else {
        if (!lenient)
            return std::unexpected(PathError{PathErrorKind::Syntax, usage + " (angle brackets are required)"});
        auto sp = rest.find_first_of(" \t");
        path = rest.substr(0, sp);
        rest = sp == std::string_view::npos ? std::string_view{} : trim(rest.substr(sp));
        if (path.empty()) return std::unexpected(PathError{PathErrorKind::Syntax, "expected \"" + usage + "\""});
        if (path.size() > kMaxPath)
            return std::unexpected(PathError{PathErrorKind::BadMailbox, "path longer than 256 octets (RFC 5321 4.5.3.1.3)"});
    }
    // A source route (<@relay1,@relay2:user@host>) is accepted and ignored (RFC 5321 4.1.1.3, Appendix C).
    if (!path.empty() && path.front() == '@') {
        auto colon = path.find(':');
        if (colon == std::string_view::npos)
            return std::unexpected(PathError{PathErrorKind::BadMailbox, "source route without ':'"});
        path = path.substr(colon + 1);
    }
    out.path.assign(path);
    if (!out.path.empty())
        if (auto e = mailboxError(out.path, allowUtf8))
            return std::unexpected(PathError{PathErrorKind::BadMailbox, mailboxReasonWords(*e)});
    while (!rest.empty()) {
        auto sp = rest.find_first_of(" \t");
        std::string_view param = rest.substr(0, sp);
        rest = sp == std::string_view::npos ? std::string_view{} : trim(rest.substr(sp));
        auto eq = param.find('=');
        std::string key = toUpper(param.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string() : std::string(param.substr(eq + 1));
        if (key.empty()) return std::unexpected(PathError{PathErrorKind::Syntax, "empty ESMTP parameter"});
        out.params.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

void ReplyParser::feed(std::string_view bytes) {
    if (m_error) return;  // after garbage nothing can be matched to a command any more
    m_buffer.append(bytes);
    std::size_t start = 0;
    for (;;) {
        auto nl = m_buffer.find('\n', start);
        if (nl == std::string::npos) break;
        std::string_view line(m_buffer.data() + start, nl - start);
        std::string_view rawLine(m_buffer.data() + start, nl + 1 - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        start = nl + 1;
        // RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39, then SP or "-" and text, or nothing.
        bool valid = line.size() >= 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' && line[1] <= '5' &&
                     std::isdigit(static_cast<unsigned char>(line[2])) &&
                     (line.size() == 3 || line[3] == ' ' || line[3] == '-');
        int code = valid ? (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0') : 0;
        // RFC 5321 4.2.1: every line of a multi-line reply carries the same code.
        if (valid && !m_current.lines.empty() && code != m_current.code) valid = false;
        if (!valid) {
            m_error = std::string(line);
            m_current = {};
            m_buffer.clear();
            return;
        }
        m_current.raw.append(rawLine);
        m_current.code = code;
        m_current.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
        if (line.size() == 3 || line[3] == ' ') {
            m_ready.push_back(std::move(m_current));
            m_current = {};
        }
    }
    m_buffer.erase(0, start);
    // A reply line longer than the RFC limit with no end in sight is cut, so a broken peer cannot grow the buffer.
    if (m_buffer.size() > 4 * kMaxReplyLine) {
        m_error = m_buffer.substr(0, 80);
        m_buffer.clear();
    }
}

std::size_t ReplyParser::discard() {
    std::size_t n = m_buffer.size() + m_current.raw.size() + (m_error ? m_error->size() : 0);
    for (std::size_t i = m_readyPos; i < m_ready.size(); ++i) n += m_ready[i].raw.size();
    m_buffer.clear();
    m_current = {};
    m_ready.clear();
    m_readyPos = 0;
    m_error.reset();
    return n;
}

std::optional<Reply> ReplyParser::next() {
    if (m_readyPos >= m_ready.size()) {
        m_ready.clear();
        m_readyPos = 0;
        return std::nullopt;
    }
    return std::move(m_ready[m_readyPos++]);
}

}  // namespace mailsim::smtp
