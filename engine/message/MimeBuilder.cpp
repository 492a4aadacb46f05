#include "message/MimeBuilder.hpp"

#include "message/Codecs.hpp"

#include <algorithm>
#include <cstdint>
#include <fmt/format.h>

namespace mailsim::message {
namespace {

constexpr std::size_t kMaxLine = 78;      // RFC 5322 2.1.1 "SHOULD"
constexpr std::size_t kMaxWord = 75;      // RFC 2047 2
constexpr char kHex[] = "0123456789ABCDEF";

// RFC 2047 5(3): in a phrase a Q-encoded word may hold only letters, digits and "!*+-/" literally (and "_" for
// space). Using this set for all header text keeps one encoder valid everywhere.
bool qLiteral(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' || c == '*' ||
           c == '+' || c == '-' || c == '/';
}

std::size_t utf8Length(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return std::min(n, s.size() - i);
}

std::size_t qLength(std::string_view bytes) {
    std::size_t n = 0;
    for (unsigned char c : bytes) n += (qLiteral(c) || c == ' ') ? 1 : 3;
    return n;
}

std::size_t bLength(std::size_t octets) { return (octets + 2) / 3 * 4; }

std::string qEncode(std::string_view bytes) {
    std::string out;
    for (unsigned char c : bytes) {
        if (c == ' ') out += '_';
        else if (qLiteral(c)) out += static_cast<char>(c);
        else out += {'=', kHex[c >> 4], kHex[c & 15]};
    }
    return out;
}

// Encoded words for the whole of `utf8`, folded. `used`: columns already taken on the first line.
std::string encodedWords(std::string_view utf8, std::size_t used) {
    const bool useQ = qLength(utf8) < bLength(utf8.size());
    const std::string_view prefix = useQ ? "=?UTF-8?Q?" : "=?UTF-8?B?";
    auto encodedSize = [&](std::string_view chunk) {
        return prefix.size() + 2 + (useQ ? qLength(chunk) : bLength(chunk.size()));
    };
    auto encode = [&](std::string_view chunk) {
        return std::string(prefix) + (useQ ? qEncode(chunk) : encodeBase64(chunk, 0)) + "?=";
    };
    std::string out;
    std::size_t limit = std::max<std::size_t>(std::min(kMaxWord, kMaxLine > used ? kMaxLine - used : 0), 20);
    std::size_t start = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        std::size_t n = utf8Length(utf8, i);
        if (i > start && encodedSize(utf8.substr(start, i + n - start)) > limit) {
            out += encode(utf8.substr(start, i - start)) + "\r\n ";
            start = i;
            limit = std::min(kMaxWord, kMaxLine - 1);
        }
        i += n;
    }
    out += encode(utf8.substr(start));
    return out;
}

// Folds ASCII text at spaces so lines stay within 78 where a space allows it (RFC 5322 2.2.3).
std::string foldAscii(std::string_view text, std::size_t used) {
    std::string out;
    std::size_t column = used;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t space = text.find(' ', start + 1);
        std::string_view word = text.substr(start, space == std::string_view::npos ? text.npos : space - start);
        if (column + word.size() > kMaxLine && !out.empty() && word.front() == ' ') {
            out += "\r\n";
            column = 0;
        }
        out += word;
        column += word.size();
        start += word.size();
    }
    return out;
}

bool isAtext(unsigned char c) {
    static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~";
    return std::isalnum(c) || kAtext.find(static_cast<char>(c)) != std::string_view::npos;
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

}  // namespace

std::optional<std::string> headerValueError(std::string_view text) {
    const std::size_t at = text.find_first_of("\r\n");
    if (at == std::string_view::npos) return std::nullopt;
    return fmt::format("it holds a line break ({} at octet {}), which would end the header field and start another "
                       "(header injection); a header value is one line (RFC 5322 2.2)",
                       text[at] == '\r' ? "CR" : "LF", at + 1);
}

std::expected<std::string, std::string> encodeHeaderText(std::string_view utf8, std::size_t used, HeaderStyle style) {
    if (auto e = headerValueError(utf8)) return std::unexpected(*e);
    bool raw = style == HeaderStyle::Utf8 || isAscii(utf8);
    if (raw && utf8.find("=?") == std::string_view::npos) return foldAscii(utf8, used);
    return encodedWords(utf8, used);
}

std::expected<std::string, std::string> encodePhrase(std::string_view utf8, std::size_t used, HeaderStyle style) {
    if (auto e = headerValueError(utf8)) return std::unexpected(*e);
    bool utf8Raw = style == HeaderStyle::Utf8;
    if ((!utf8Raw && !isAscii(utf8)) || utf8.find("=?") != std::string_view::npos) return encodedWords(utf8, used);
    // RFC 6532 3.2: atext =/ UTF8-non-ascii, qtext =/ UTF8-non-ascii.
    auto atext = [&](char c) {
        auto u = static_cast<unsigned char>(c);
        return isAtext(u) || (utf8Raw && u >= 0x80);
    };
    bool atoms = !utf8.empty() && utf8.front() != ' ' && utf8.back() != ' ' &&
                 std::ranges::all_of(utf8, [&](char c) { return c == ' ' || atext(c); });
    if (atoms) return std::string(utf8);
    std::string out = "\"";
    for (char c : utf8) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::expected<std::string, std::string> formatMailbox(std::string_view displayName, std::string_view address,
                                                      std::size_t used, HeaderStyle style) {
    if (auto e = headerValueError(address)) return std::unexpected("the address: " + *e);
    if (displayName.empty()) return std::string(address);
    auto encoded = encodePhrase(displayName, used, style);
    if (!encoded) return std::unexpected("the display name: " + encoded.error());
    const std::string& name = *encoded;
    std::size_t lastLine = name.rfind('\n');
    std::size_t column = lastLine == std::string::npos ? used + name.size() : name.size() - lastLine - 1;
    return name + (column + address.size() + 3 > kMaxLine ? "\r\n <" : " <") + std::string(address) + ">";
}

std::string formatParameter(std::string_view name, std::string_view utf8Value) {
    static constexpr std::string_view kTspecials = "()<>@,;:\\\"/[]?=";
    if (isAscii(utf8Value) && utf8Value.find_first_of("\r\n") == std::string_view::npos) {
        std::string out = fmt::format(";\r\n {}=\"", name);
        for (char c : utf8Value) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        return out + "\"";
    }
    // RFC 2231 4: attribute-char is any CHAR but SPACE, "*", "'", "%" and tspecials; everything else is %XX.
    std::vector<std::string> pieces;  // one percent-escape or character each, so a section never splits them
    for (unsigned char c : utf8Value) {
        bool plain = c > 32 && c < 127 && c != '*' && c != '\'' && c != '%' &&
                     kTspecials.find(static_cast<char>(c)) == std::string_view::npos;
        pieces.push_back(plain ? std::string(1, static_cast<char>(c)) : std::string{'%', kHex[c >> 4], kHex[c & 15]});
    }
    std::string all;
    for (const auto& p : pieces) all += p;
    std::string single = fmt::format(" {}*=utf-8''{}", name, all);
    if (single.size() + 1 <= kMaxLine) return ";\r\n" + single;
    std::string out;
    std::size_t section = 0;
    std::string line;
    auto head = [&] { return fmt::format(" {}*{}*={}", name, section, section == 0 ? "utf-8''" : ""); };
    line = head();
    for (const auto& p : pieces) {
        if (line.size() + p.size() + 1 > kMaxLine) {  // + 1 for the ";" that follows
            out += ";\r\n" + line;
            ++section;
            line = head();
        }
        line += p;
    }
    return out + ";\r\n" + line;
}

bool MimeEntity::addHeader(std::string name, std::string value) {
    // RFC 5322 2.2: field-name = 1*ftext, ftext = %d33-57 / %d59-126.
    if (name.empty() || !std::ranges::all_of(name, [](char c) { return c >= 33 && c <= 126 && c != ':'; }))
        return false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '\n') return false;  // a bare LF
        if (value[i] == '\r') {
            // Folding only: CRLF followed by SP or HTAB (RFC 5322 2.2.3).
            if (i + 2 >= value.size() || value[i + 1] != '\n' || (value[i + 2] != ' ' && value[i + 2] != '\t'))
                return false;
            i += 2;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
    return true;
}

std::string MimeEntity::serialize() const {
    std::string out;
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

std::string canonicalLineEnds(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (text[i] == '\n') {
            out += "\r\n";
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string chooseTextEncoding(std::string_view text) {
    std::size_t eightBit = 0, longest = 0, column = 0;
    for (unsigned char c : text) {
        if (c >= 0x80) ++eightBit;
        column = c == '\n' ? 0 : column + 1;
        longest = std::max(longest, column);
    }
    if (eightBit == 0 && longest <= 998 && text.find('\0') == std::string_view::npos) return "7bit";
    return eightBit * 6 <= text.size() ? "quoted-printable" : "base64";
}

namespace {
void encodeText(MimeEntity& e, std::string_view utf8Text) {
    std::string text = canonicalLineEnds(utf8Text);
    std::string cte = chooseTextEncoding(text);
    e.addHeader("Content-Transfer-Encoding", cte);
    if (cte == "base64") e.body = encodeBase64(text);  // the line end before the next delimiter (or the message end) follows
    else if (cte == "quoted-printable") e.body = encodeQuotedPrintable(text);
    else e.body = text;
}
}  // namespace

MimeEntity textEntity(std::string_view utf8Text, std::string_view subtype) {
    MimeEntity e;
    e.addHeader("Content-Type", fmt::format("text/{}; charset={}", subtype, isAscii(utf8Text) ? "us-ascii" : "utf-8"));
    encodeText(e, utf8Text);
    return e;
}

MimeEntity attachmentEntity(std::string_view filename, std::string_view contentType, std::string_view bytes) {
    MimeEntity e;
    std::string type(contentType.empty() ? "application/octet-stream" : contentType);
    bool text = toLower(type).starts_with("text/");
    if (text && toLower(type).find("charset") == std::string::npos) type += isAscii(bytes) ? "; charset=us-ascii" : "; charset=utf-8";
    e.addHeader("Content-Type", type + formatParameter("name", filename));
    e.addHeader("Content-Disposition", "attachment" + formatParameter("filename", filename));
    if (text) {
        encodeText(e, bytes);
    } else {
        e.addHeader("Content-Transfer-Encoding", "base64");
        e.body = encodeBase64(bytes);
    }
    return e;
}

std::string chooseBoundary(const std::vector<std::string>& parts) {
    std::uint64_t h = fnv1a("mailsim");
    for (const auto& p : parts) h = fnv1a(p, h);
    // "=_" cannot start a quoted-printable escape or appear in base64, so encoded parts never contain it; the
    // check below covers parts written as they are.
    for (unsigned attempt = 0;; ++attempt) {
        std::string boundary = fmt::format("=_mailsim_{:016x}_{}", h, attempt);
        std::string delimiter = "--" + boundary;
        if (std::ranges::none_of(parts, [&](const std::string& p) { return p.find(delimiter) != std::string::npos; }))
            return boundary;
    }
}

MimeEntity multipartEntity(std::string_view subtype, const std::vector<MimeEntity>& parts) {
    std::vector<std::string> serialized;
    for (const auto& p : parts) serialized.push_back(p.serialize());
    std::string boundary = chooseBoundary(serialized);
    MimeEntity e;
    e.addHeader("Content-Type", fmt::format("multipart/{};\r\n boundary=\"{}\"", subtype, boundary));
    e.body = "This is a message in MIME format (RFC 2045).\r\n";
    for (const auto& s : serialized) {
        e.body += "\r\n--" + boundary + "\r\n" + s;
    }
    e.body += "\r\n--" + boundary + "--\r\n";
    return e;
}

}  // namespace mailsim::message
