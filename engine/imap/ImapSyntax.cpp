#include "imap/ImapSyntax.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <expected>
#include <fmt/format.h>

namespace mailsim::imap {
namespace {

constexpr std::size_t kKeptHead = 200;  // octets of a discarded line kept for the trace and the tag

bool upperEquals(std::string_view a, std::string_view upper) {
    return a.size() == upper.size() && std::ranges::equal(a, upper, [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) == y;
           });
}

std::optional<std::uint64_t> parseU64(std::string_view s) {
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

// ---- framing ---------------------------------------------------------------------------------------------------

std::optional<LiteralSpec> trailingLiteral(std::string_view line) {
    if (line.size() < 3 || line.back() != '}') return std::nullopt;
    auto open = line.rfind('{');
    if (open == std::string_view::npos) return std::nullopt;
    std::string_view inner = line.substr(open + 1, line.size() - open - 2);
    LiteralSpec spec;
    if (!inner.empty() && inner.back() == '+') {
        spec.nonSync = true;
        inner.remove_suffix(1);
    }
    if (inner.empty() || !std::ranges::all_of(inner, [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    if (inner.size() > 19) {  // absurdly large: report it as the largest number, still refused
        spec.size = ~std::uint64_t{0};
        return spec;
    }
    auto v = parseU64(inner);
    if (!v) return std::nullopt;
    spec.size = *v;
    return spec;
}

void CommandReader::append(std::string_view bytes) {
    if (m_pos > 0 && (m_pos == m_in.size() || m_pos > 65536)) {
        m_in.erase(0, m_pos);
        m_pos = 0;
    }
    m_in.append(bytes);
}

void CommandReader::clear() {
    m_in.clear();
    m_pos = 0;
    m_command.clear();
    m_lines.clear();
    m_literalLeft = m_skipLeft = 0;
    m_discardLine = m_discardCommand = false;
    m_discardHead.clear();
}

// Copies the octets of the literal being read into the command, or counts away those of a refused LITERAL+ literal;
// false while more are needed.
bool CommandReader::takeLiteralOctets() {
    const std::size_t avail = m_in.size() - m_pos;
    if (m_skipLeft > 0) {  // a refused LITERAL+ literal: count the octets away, keep none
        std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(avail, m_skipLeft));
        m_pos += n;
        m_skipLeft -= n;
        return m_skipLeft == 0;
    }
    if (m_literalLeft > 0) {
        std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(avail, m_literalLeft));
        m_command.append(m_in, m_pos, n);
        m_pos += n;
        m_literalLeft -= n;
        return m_literalLeft == 0;
    }
    return true;
}

// The event for a line over maxLine (`line` is its end when it was being discarded); the command it began is dropped.
ReaderEvent CommandReader::lineTooLong(std::string_view line) {
    ReaderEvent ev;
    ev.kind = ReaderEvent::Kind::LineTooLong;
    ev.firstLine = !m_lines.empty() ? m_lines.front()
                                    : (m_discardLine ? m_discardHead : std::string(line.substr(0, kKeptHead)));
    m_discardLine = false;
    m_discardHead.clear();
    m_command.clear();
    m_lines.clear();
    m_discardCommand = false;
    return ev;
}

// A line of a refused command's rest: its LITERAL+ octets are skipped too (RFC 7888 4), unless there are more than
// maxSkip of them (SkipTooBig: the session closes). Empty when reading goes on.
std::optional<ReaderEvent> CommandReader::discardLine(std::string_view line, const std::optional<LiteralSpec>& lit) {
    if (!lit || !lit->nonSync) {
        m_discardCommand = false;
        return std::nullopt;
    }
    if (lit->size <= m_maxSkip) {
        m_skipLeft = lit->size;
        return std::nullopt;
    }
    ReaderEvent ev;
    ev.kind = ReaderEvent::Kind::SkipTooBig;
    ev.literalLimit = m_maxLiteral;
    ev.literalSize = lit->size;
    ev.firstLine = std::string(line.substr(0, kKeptHead));
    m_discardCommand = false;
    return ev;
}

// The line just added ends in a literal announcement: refused when over the command's limit (LiteralTooBig, or
// SkipTooBig for a LITERAL+ one too big to skip), else read next, after a "+" for a synchronising one
// (NeedContinuation, RFC 3501 7.5). Empty when reading goes on at once (LITERAL+).
std::optional<ReaderEvent> CommandReader::literalAnnounced(const LiteralSpec& lit) {
    const std::uint64_t total = m_command.size();
    auto head = splitHead(m_lines.front());
    const std::uint64_t limit =
        head && head->verb == "APPEND" ? m_maxLiteral : std::min(m_maxLiteral, m_maxNonAppendLiteral);
    ReaderEvent ev;
    ev.firstLine = m_lines.front();
    ev.literalSize = lit.size;
    if (lit.size > limit || total + lit.size > m_maxCommand) {
        ev.kind = ReaderEvent::Kind::LiteralTooBig;
        ev.literalLimit = limit;
        if (lit.nonSync) {
            if (lit.size > m_maxSkip) ev.kind = ReaderEvent::Kind::SkipTooBig;
            else m_skipLeft = lit.size, m_discardCommand = true;
        }
        m_command.clear();
        m_lines.clear();
        return ev;
    }
    m_command.append("\r\n");
    m_literalLeft = lit.size;
    if (lit.nonSync) return std::nullopt;
    ev.kind = ReaderEvent::Kind::NeedContinuation;
    return ev;
}

std::optional<ReaderEvent> CommandReader::next() {
    for (;;) {
        if (!takeLiteralOctets()) return std::nullopt;
        auto nl = m_in.find('\n', m_pos);
        if (nl == std::string::npos) {
            if (m_in.size() - m_pos > m_maxLine || m_discardLine) {  // too long: keep only its head
                if (!m_discardLine) m_discardHead = m_in.substr(m_pos, kKeptHead);
                m_discardLine = true;
                m_pos = m_in.size();
            }
            return std::nullopt;
        }
        std::string_view line(m_in.data() + m_pos, nl - m_pos);
        m_pos = nl + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (m_discardLine || line.size() > m_maxLine) return lineTooLong(line);
        auto lit = trailingLiteral(line);
        if (m_discardCommand) {  // the rest of a refused command
            if (auto ev = discardLine(line, lit)) return ev;
            continue;
        }
        m_lines.emplace_back(line);
        m_command.append(line);
        if (lit) {
            if (auto ev = literalAnnounced(*lit)) return ev;
            continue;
        }
        ReaderEvent ev;
        ev.kind = ReaderEvent::Kind::Command;
        ev.text = std::move(m_command);
        ev.lines = std::move(m_lines);
        ev.firstLine = ev.lines.front();
        m_command.clear();
        m_lines.clear();
        return ev;
    }
}

// ---- tokens ----------------------------------------------------------------------------------------------------

bool Token::isAtom(std::string_view upper) const { return kind == Kind::Atom && upperEquals(text, upper); }

namespace {

// '[' starts a section only after a FETCH attribute that takes one (RFC 3501 9 "section", RFC 3516 4.1 BINARY);
// elsewhere it is an ordinary atom character, e.g. in the mailbox name "[Gmail]/Sent" or a LIST pattern "[a%".
bool opensSection(std::string_view atomSoFar) {
    static constexpr std::string_view kNames[] = {"BODY", "BODY.PEEK", "BINARY", "BINARY.PEEK", "BINARY.SIZE"};
    return std::ranges::any_of(kNames, [&](std::string_view n) { return upperEquals(atomSoFar, n); });
}

struct Tokenizer {
    std::string_view s;
    std::size_t i = 0;
    std::optional<Refusal> error;

    bool fail(ReplyId why, ReplyArgs args = {}) {
        if (!error) error = Refusal{why, std::move(args)};
        return false;
    }

    bool atom(Token& t) {
        std::size_t start = i;
        while (i < s.size()) {
            char c = s[i];
            if (c == ' ' || c == '(' || c == ')' || c == '\r' || c == '\n' || c == '"' || c == '{') break;
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return fail(ReplyId::TokenControlChar);
            if (c == '[' && opensSection(s.substr(start, i - start))) {  // a section: up to its ']', spaces and
                auto close = s.find(']', i);                                 // parentheses included
                if (close == std::string_view::npos) return fail(ReplyId::TokenSectionOpen);
                i = close + 1;
                continue;
            }
            ++i;
        }
        if (i == start) return fail(ReplyId::TokenUnexpected, {{"char", std::string(1, i < s.size() ? s[i] : '?')}});
        t.kind = Token::Kind::Atom;
        t.text.assign(s.substr(start, i - start));
        return true;
    }

    bool quoted(Token& t) {
        ++i;  // opening DQUOTE
        t.kind = Token::Kind::String;
        while (i < s.size()) {
            char c = s[i++];
            if (c == '"') return true;
            if (c == '\r' || c == '\n' || c == '\0') return fail(ReplyId::TokenQuotedBreak);
            if (c == '\\') {
                if (i >= s.size() || (s[i] != '"' && s[i] != '\\')) return fail(ReplyId::TokenBadEscape);
                c = s[i++];
            }
            t.text += c;
        }
        return fail(ReplyId::TokenUnterminated);
    }

    bool literal(Token& t) {
        auto close = s.find('}', i);
        if (close == std::string_view::npos) return fail(ReplyId::TokenLiteralOpen);
        auto spec = trailingLiteral(s.substr(i, close + 1 - i));
        if (!spec) return fail(ReplyId::TokenLiteralSize);
        i = close + 1;
        if (s.substr(i, 2) != "\r\n") return fail(ReplyId::TokenLiteralNotLast);
        i += 2;
        if (spec->size > s.size() - i) return fail(ReplyId::TokenLiteralShort);
        t.kind = Token::Kind::String;
        t.literal = true;
        t.text.assign(s.substr(i, static_cast<std::size_t>(spec->size)));
        i += static_cast<std::size_t>(spec->size);
        return true;
    }

    bool one(Token& t, std::size_t depth) {
        if (i >= s.size()) return fail(ReplyId::TokenMissingArgument);
        char c = s[i];
        if (c == '"') return quoted(t);
        if (c == '{') return literal(t);
        if (c == '~' && i + 1 < s.size() && s[i + 1] == '{') {  // literal8 (RFC 3516 4.4): any octets, NUL included
            ++i;
            return literal(t);
        }
        if (c == '(') {
            if (depth >= kMaxNesting) return fail(ReplyId::TokenTooDeep, {{"depth", std::to_string(kMaxNesting)}});
            ++i;
            t.kind = Token::Kind::List;
            return list(t.children, depth + 1, true);
        }
        return atom(t);
    }

    bool list(std::vector<Token>& out, std::size_t depth, bool inParens) {
        bool first = true;
        for (;;) {
            if (i >= s.size()) return inParens ? fail(ReplyId::TokenMissingClose) : true;
            if (s[i] == ')') {
                if (!inParens) return fail(ReplyId::TokenUnbalanced);
                ++i;
                return true;
            }
            if (!first) {
                if (s[i] != ' ') return fail(ReplyId::TokenNoSpace);
                ++i;
                if (i < s.size() && s[i] == ')' && inParens) return fail(ReplyId::TokenSpaceBeforeClose);
            }
            first = false;
            Token t;
            if (!one(t, depth)) return false;
            out.push_back(std::move(t));
        }
    }
};

}  // namespace

Tokenized tokenize(std::string_view text) {
    Tokenized out;
    Tokenizer tz;
    tz.s = text;
    if (!text.empty() && !tz.list(out.tokens, 0, false)) out.error = tz.error.value_or(Refusal{});
    return out;
}

std::optional<CommandHead> splitHead(std::string_view command) {
    auto sp = command.find(' ');
    if (sp == 0 || sp == std::string_view::npos) return std::nullopt;
    CommandHead h;
    std::string_view tag = command.substr(0, sp);
    for (char c : tag)
        if (c == '+' || c == '(' || c == ')' || c == '{' || c == '"' || c == '%' || c == '*' || c == '\\' ||
            static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return std::nullopt;
    h.tag.assign(tag);
    std::string_view rest = command.substr(sp + 1);
    auto sp2 = rest.find(' ');
    std::string_view verb = rest.substr(0, sp2);
    if (verb.empty()) return std::nullopt;
    for (char c : verb) h.verb += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    h.rest = sp2 == std::string_view::npos ? std::string_view{} : rest.substr(sp2 + 1);
    return h;
}

// ---- sequence sets ---------------------------------------------------------------------------------------------

std::optional<std::vector<SeqRange>> parseSequenceSet(std::string_view text) {
    std::vector<SeqRange> out;
    if (text.empty()) return std::nullopt;
    auto number = [](std::string_view s) -> std::optional<std::uint32_t> {
        if (s == "*") return 0;
        auto v = parseU64(s);
        if (!v || *v == 0 || *v > 0xffffffffu || s.front() == '0') return std::nullopt;
        return static_cast<std::uint32_t>(*v);
    };
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        auto colon = item.find(':');
        auto lo = number(item.substr(0, colon));
        auto hi = colon == std::string_view::npos ? lo : number(item.substr(colon + 1));
        if (!lo || !hi) return std::nullopt;
        out.push_back({*lo, *hi});
        if (out.size() > kMaxSequenceRanges) return std::nullopt;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

bool inSequenceSet(const std::vector<SeqRange>& set, std::uint32_t n, std::uint32_t largest) {
    for (auto r : set) {
        std::uint32_t a = r.lo ? r.lo : largest, b = r.hi ? r.hi : largest;
        if (a > b) std::swap(a, b);
        if (n >= a && n <= b) return true;
    }
    return false;
}

std::string formatSequenceSet(const std::vector<std::uint32_t>& sorted) {
    std::string out;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(sorted[i]);
        if (j > i) out += ":" + std::to_string(sorted[j]);
        i = j + 1;
    }
    return out;
}

// ---- modified UTF-7 --------------------------------------------------------------------------------------------

namespace {

constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

// Decodes one UTF-8 sequence at `i` (advances it); U+FFFD for an invalid one.
char32_t nextCodePoint(std::string_view s, std::size_t& i) {
    auto b = static_cast<unsigned char>(s[i++]);
    if (b < 0x80) return b;
    int extra = b >= 0xf0 && b < 0xf5 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
    if (extra < 0 || b >= 0xf5) return 0xfffd;
    char32_t cp = b & (0x3f >> extra);
    for (int k = 0; k < extra; ++k) {
        if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) return 0xfffd;
        cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3f);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp < 0xe000))
        return 0xfffd;
    return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) out += static_cast<char>(0xc0 | (cp >> 6)), out += static_cast<char>(0x80 | (cp & 0x3f));
    else if (cp < 0x10000)
        out += static_cast<char>(0xe0 | (cp >> 12)), out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)),
            out += static_cast<char>(0x80 | (cp & 0x3f));
    else
        out += static_cast<char>(0xf0 | (cp >> 18)), out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f)),
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)), out += static_cast<char>(0x80 | (cp & 0x3f));
}

}  // namespace

std::string encodeMailboxName(std::string_view utf8) {
    std::string out;
    std::size_t i = 0;
    while (i < utf8.size()) {
        auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c <= 0x7e) {
            out += c == '&' ? std::string("&-") : std::string(1, static_cast<char>(c));
            ++i;
            continue;
        }
        // A run of characters outside printable ASCII: UTF-16BE in modified base64 between '&' and '-'.
        std::vector<std::uint8_t> bytes;
        while (i < utf8.size()) {
            auto d = static_cast<unsigned char>(utf8[i]);
            if (d >= 0x20 && d <= 0x7e) break;
            char32_t cp = nextCodePoint(utf8, i);
            auto unit = [&](std::uint16_t u) { bytes.push_back(u >> 8), bytes.push_back(u & 0xff); };
            if (cp >= 0x10000) {
                cp -= 0x10000;
                unit(static_cast<std::uint16_t>(0xd800 + (cp >> 10)));
                unit(static_cast<std::uint16_t>(0xdc00 + (cp & 0x3ff)));
            } else {
                unit(static_cast<std::uint16_t>(cp));
            }
        }
        out += '&';
        std::uint32_t acc = 0;
        int bits = 0;
        for (auto b : bytes) {
            acc = (acc << 8) | b;
            bits += 8;
            while (bits >= 6) out += kB64[(acc >> (bits -= 6)) & 0x3f];
        }
        if (bits > 0) out += kB64[(acc << (6 - bits)) & 0x3f];
        out += '-';
    }
    return out;
}

std::optional<std::string> decodeMailboxName(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c > 0x7e) return std::nullopt;
        if (c != '&') {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        auto dash = s.find('-', i);
        if (dash == std::string_view::npos) return std::nullopt;
        std::string_view b64 = s.substr(i + 1, dash - i - 1);
        i = dash + 1;
        if (b64.empty()) {
            out += '&';
            continue;
        }
        std::vector<std::uint16_t> units;
        std::uint32_t acc = 0;
        int bits = 0;
        std::vector<std::uint8_t> bytes;
        for (char ch : b64) {
            auto pos = kB64.find(ch);
            if (pos == std::string_view::npos) return std::nullopt;
            acc = (acc << 6) | static_cast<std::uint32_t>(pos);
            bits += 6;
            if (bits >= 8) bytes.push_back(static_cast<std::uint8_t>((acc >> (bits -= 8)) & 0xff));
        }
        if (bytes.size() % 2 != 0 || (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
        for (std::size_t k = 0; k < bytes.size(); k += 2) units.push_back(static_cast<std::uint16_t>(bytes[k] << 8 | bytes[k + 1]));
        for (std::size_t k = 0; k < units.size(); ++k) {
            char32_t u = units[k];
            if (u >= 0xd800 && u < 0xdc00) {
                if (k + 1 >= units.size() || units[k + 1] < 0xdc00 || units[k + 1] >= 0xe000) return std::nullopt;
                u = 0x10000 + ((u - 0xd800) << 10) + (units[++k] - 0xdc00);
            } else if (u >= 0xdc00 && u < 0xe000) {
                return std::nullopt;
            }
            appendUtf8(out, u);
        }
    }
    if (encodeMailboxName(out) != s) return std::nullopt;  // only the canonical form (RFC 3501 5.1.3)
    return out;
}

std::expected<std::string, Refusal> mailboxNameFromUtf8(std::string_view utf8) {
    for (std::size_t i = 0; i < utf8.size();) {
        auto b = static_cast<unsigned char>(utf8[i]);
        if (b < 0x20 || b == 0x7f) return std::unexpected(Refusal{b == 0 ? ReplyId::NameNul : ReplyId::NameControl, {}});
        std::size_t at = i;
        bool replacement = utf8.substr(i, 3) == "\xEF\xBF\xBD";  // U+FFFD written as such is valid
        if (nextCodePoint(utf8, i) == 0xfffd && !replacement)
            return std::unexpected(Refusal{ReplyId::NameNotUtf8, {{"octet", std::to_string(at + 1)}}});
    }
    return encodeMailboxName(utf8);
}

std::optional<Refusal> mailboxNameProblem(std::string_view wire) {
    using R = ReplyId;
    if (wire.empty()) return Refusal{R::NameEmpty, {}};
    if (wire.size() > kMaxMailboxName)
        return Refusal{R::NameTooLong, {{"size", std::to_string(wire.size())}, {"limit", std::to_string(kMaxMailboxName)}}};
    for (char c : wire) {
        auto u = static_cast<unsigned char>(c);
        if (u == 0) return Refusal{R::NameNul, {}};
        if (u < 0x20 || u == 0x7f) return Refusal{R::NameControl, {}};
        if (u >= 0x80) return Refusal{R::Name8Bit, {}};
    }
    auto has = [&](std::string_view part) { return wire.find(part) != std::string_view::npos; };
    if (wire.front() == '/') return Refusal{R::NameLeadingSlash, {}};
    if (wire.back() == '/') return Refusal{R::NameTrailingSlash, {}};
    if (has("//")) return Refusal{R::NameEmptyLevel, {}};
    if (has("..")) return Refusal{R::NameDotDot, {}};
    if (has("~")) return Refusal{R::NameTilde, {}};
    if (has(".")) return Refusal{R::NameDot, {}};
    if (wire.find_first_of("*%") != std::string_view::npos) return Refusal{R::NameWildcard, {}};
    if (!decodeMailboxName(wire)) return Refusal{R::NameNotMutf7, {}};
    return std::nullopt;
}

std::string normaliseMailboxName(std::string_view wire) {
    if (upperEquals(wire, "INBOX")) return "INBOX";
    if (wire.size() > 6 && upperEquals(wire.substr(0, 6), "INBOX/")) return "INBOX/" + std::string(wire.substr(6));
    return std::string(wire);
}

bool listMatch(std::string_view pattern, std::string_view name) {
    // Dynamic programming over (pattern position, name position): linear memory, no exponential backtracking.
    std::vector<char> cur(name.size() + 1, 0), nxt(name.size() + 1, 0);
    cur[0] = 1;
    for (char p : pattern) {
        std::ranges::fill(nxt, 0);
        for (std::size_t j = 0; j <= name.size(); ++j) {
            if (!cur[j]) continue;
            if (p == '*' || p == '%') {
                nxt[j] = 1;
                for (std::size_t k = j; k < name.size() && (p == '*' || name[k] != '/'); ++k) nxt[k + 1] = 1;
            } else if (j < name.size() && (p == name[j] || false)) {
                nxt[j + 1] = 1;
            }
        }
        std::swap(cur, nxt);
    }
    return cur[name.size()] != 0;
}

// ---- dates -----------------------------------------------------------------------------------------------------

namespace {

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {  // H. Hinnant's algorithm
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "d-Mon-yyyy" (day one or two digits, or space-padded) at the start of `s`; returns days and the length consumed.
std::optional<std::pair<std::int64_t, std::size_t>> parseDatePart(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && s[i] == ' ') ++i;
    std::size_t dayStart = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - dayStart < 2) ++i;
    if (i == dayStart || i >= s.size() || s[i] != '-') return std::nullopt;
    unsigned day = 0;
    std::from_chars(s.data() + dayStart, s.data() + i, day);
    ++i;
    if (s.size() < i + 8) return std::nullopt;
    std::string_view mon = s.substr(i, 3);
    auto it = std::ranges::find_if(kMonths, [&](std::string_view m) {
        return std::ranges::equal(m, mon, [](char a, char b) { return std::tolower(a) == std::tolower(b); });
    });
    if (it == kMonths.end() || s[i + 3] != '-') return std::nullopt;
    unsigned year = 0;
    auto [p, ec] = std::from_chars(s.data() + i + 4, s.data() + i + 8, year);
    if (ec != std::errc{} || p != s.data() + i + 8 || day < 1 || day > 31) return std::nullopt;
    return std::pair{daysFromCivil(year, static_cast<unsigned>(it - kMonths.begin()) + 1, day), i + 8};
}

}  // namespace

std::string formatInternalDate(std::int64_t micros) {
    std::time_t t = static_cast<std::time_t>(micros / 1'000'000);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return fmt::format("{:2}-{}-{:04} {:02}:{:02}:{:02} +0000", tm.tm_mday, kMonths[static_cast<std::size_t>(tm.tm_mon)],
                       tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::optional<std::int64_t> parseDateTime(std::string_view s) {
    auto date = parseDatePart(s);
    if (!date) return std::nullopt;
    std::string_view rest = s.substr(date->second);  // " hh:mm:ss +zzzz"
    if (rest.size() != 15 || rest[0] != ' ' || rest[3] != ':' || rest[6] != ':' || rest[9] != ' ' ||
        (rest[10] != '+' && rest[10] != '-'))
        return std::nullopt;
    auto num = [&](std::size_t at, std::size_t len) -> std::optional<int> {
        int v = 0;
        auto [p, ec] = std::from_chars(rest.data() + at, rest.data() + at + len, v);
        if (ec != std::errc{} || p != rest.data() + at + len) return std::nullopt;
        return v;
    };
    auto hh = num(1, 2), mm = num(4, 2), ss = num(7, 2), zh = num(11, 2), zm = num(13, 2);
    if (!hh || !mm || !ss || !zh || !zm || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
    std::int64_t offset = (*zh * 60 + *zm) * 60 * (rest[10] == '-' ? -1 : 1);
    std::int64_t secs = date->first * 86400 + *hh * 3600 + *mm * 60 + *ss - offset;
    return secs * 1'000'000;
}

std::optional<std::int64_t> parseSearchDate(std::string_view text) {
    auto date = parseDatePart(text);
    if (!date || date->second != text.size()) return std::nullopt;
    return date->first;
}

}  // namespace mailsim::imap
