#include "message/Codecs.hpp"

#include <cctype>
#include <cerrno>
#include <iconv.h>
#include <openssl/evp.h>

namespace mailsim::message {
namespace {

int base64Value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one (RFC 3629 4: no overlongs, no surrogates).
std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? (c <= 0xEF ? 3 : 0) : c >= 0xC2 ? 2 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xE0 && c1 < 0xA0) return 0;
    if (c == 0xED && c1 >= 0xA0) return 0;
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 >= 0x90) return 0;
    return n;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool isAscii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

std::string toLower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::string sanitizeUtf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = utf8SequenceLength(s, i);
        if (n == 0) {
            out += kReplacement;
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

// ---- base64 (RFC 2045 6.8) ----

void Base64Decoder::flushQuantum(std::string& out) {
    // 2 sextets carry 1 octet, 3 carry 2; a lone sextet carries nothing (and is not clean).
    if (m_count == 2) out += static_cast<char>((m_bits >> 4) & 0xFF);
    if (m_count == 3) {
        out += static_cast<char>((m_bits >> 10) & 0xFF);
        out += static_cast<char>((m_bits >> 2) & 0xFF);
    }
    if (m_count == 1) m_clean = false;
    m_bits = 0;
    m_count = 0;
}

void Base64Decoder::feed(std::string_view in, std::string& out) {
    for (unsigned char c : in) {
        int v = base64Value(c);
        if (v < 0) {
            if (c == '=') {
                flushQuantum(out);
            } else if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                m_clean = false;
            }
            continue;
        }
        m_bits = (m_bits << 6) | static_cast<unsigned>(v);
        if (++m_count == 4) {
            out += static_cast<char>((m_bits >> 16) & 0xFF);
            out += static_cast<char>((m_bits >> 8) & 0xFF);
            out += static_cast<char>(m_bits & 0xFF);
            m_bits = 0;
            m_count = 0;
        }
    }
}

void Base64Decoder::finish(std::string& out) {
    if (m_count != 0) m_clean = m_clean && m_count != 1;  // missing padding alone is tolerated silently
    flushQuantum(out);
}

std::string decodeBase64(std::string_view in, bool* clean) {
    Base64Decoder d;
    std::string out;
    out.reserve(in.size() / 4 * 3 + 3);
    d.feed(in, out);
    d.finish(out);
    if (clean) *clean = d.clean();
    return out;
}

std::string encodeBase64(std::string_view in, std::size_t lineLength) {
    std::string encoded(4 * ((in.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                            reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
    encoded.resize(static_cast<std::size_t>(n < 0 ? 0 : n));
    if (lineLength == 0 || encoded.size() <= lineLength) return encoded;
    std::string out;
    out.reserve(encoded.size() + encoded.size() / lineLength * 2);
    for (std::size_t i = 0; i < encoded.size(); i += lineLength) {
        if (i) out += "\r\n";
        out.append(encoded, i, lineLength);
    }
    return out;
}

// ---- quoted-printable (RFC 2045 6.7) ----

void QuotedPrintableDecoder::decodeLine(std::string_view line, bool hasLineEnd, std::string& out) {
    std::string_view ending;
    if (hasLineEnd) {
        // `line` includes its LF; keep the line end as written (CRLF or LF).
        ending = line.ends_with("\r\n") ? std::string_view("\r\n") : std::string_view("\n");
        line.remove_suffix(ending.size());
    }
    // Rule 3: trailing white space is transport padding. Only known at the line's end (or the input's end).
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    bool soft = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c != '=') {
            out += c;
            continue;
        }
        if (i + 1 == line.size()) {
            soft = true;  // rule 5: soft line break
            break;
        }
        int hi = i + 2 < line.size() ? hexValue(line[i + 1]) : -1;
        int lo = i + 2 < line.size() ? hexValue(line[i + 2]) : -1;
        if (hi >= 0 && lo >= 0) {
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            m_clean = false;
            out += '=';
        }
    }
    if (!soft) out.append(ending);
}

void QuotedPrintableDecoder::feed(std::string_view in, std::string& out) {
    while (!in.empty()) {
        std::size_t lf = in.find('\n');
        if (lf == std::string_view::npos) {
            m_line.append(in);
            if (m_line.size() > kMaxQpLine) {
                // Too long to wait for its end: decode all but a tail that could hold a split "=XX" escape.
                m_clean = false;
                std::size_t keep = 2;
                std::string head = m_line.substr(0, m_line.size() - keep);
                while (!head.empty() && (head.back() == ' ' || head.back() == '\t' || head.back() == '=')) {
                    head.pop_back();
                    ++keep;
                }
                std::string tail = m_line.substr(m_line.size() - keep);
                for (std::size_t i = 0; i < head.size(); ++i) {
                    int hi = head[i] == '=' && i + 2 < head.size() ? hexValue(head[i + 1]) : -1;
                    int lo = hi >= 0 ? hexValue(head[i + 2]) : -1;
                    if (lo >= 0) {
                        out += static_cast<char>(hi * 16 + lo);
                        i += 2;
                    } else {
                        out += head[i];
                    }
                }
                m_line = std::move(tail);
            }
            return;
        }
        if (m_line.empty()) {
            decodeLine(in.substr(0, lf + 1), true, out);
        } else {
            m_line.append(in.substr(0, lf + 1));
            decodeLine(m_line, true, out);
            m_line.clear();
        }
        in.remove_prefix(lf + 1);
    }
}

void QuotedPrintableDecoder::finish(std::string& out) {
    if (!m_line.empty()) decodeLine(m_line, false, out);
    m_line.clear();
}

std::string decodeQuotedPrintable(std::string_view in, bool* clean) {
    QuotedPrintableDecoder d;
    std::string out;
    out.reserve(in.size());
    d.feed(in, out);
    d.finish(out);
    if (clean) *clean = d.clean();
    return out;
}

std::string encodeQuotedPrintable(std::string_view in) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    std::size_t column = 0;
    auto emit = [&](std::string_view token) {
        // Rule 5: a soft break ("=" + CRLF) keeps every encoded line at most 76 characters.
        if (column + token.size() > 75) {
            out += "=\r\n";
            column = 0;
        }
        out += token;
        column += token.size();
    };
    for (std::size_t i = 0; i < in.size(); ++i) {
        auto c = static_cast<unsigned char>(in[i]);
        bool lineEnd = c == '\n' || (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n');
        if (lineEnd) {
            if (c == '\r') ++i;
            out += "\r\n";
            column = 0;
            continue;
        }
        bool atLineEnd = i + 1 == in.size() || in[i + 1] == '\n' || (in[i + 1] == '\r' && i + 2 < in.size() && in[i + 2] == '\n');
        bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !atLineEnd);
        if (literal) {
            char one[1] = {static_cast<char>(c)};
            emit(std::string_view(one, 1));
        } else {
            char esc[3] = {'=', kHex[c >> 4], kHex[c & 15]};
            emit(std::string_view(esc, 3));
        }
    }
    return out;
}

// ---- charsets ----

std::optional<std::string> toUtf8(std::string_view charset, std::string_view bytes) {
    std::string cs = toLower(charset);
    if (cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii") return sanitizeUtf8(bytes);
    if (cs == "gb2312" || cs == "gbk" || cs == "x-gbk" || cs == "cp936" || cs == "euc-cn") cs = "gb18030";
    if (cs.empty() || cs.size() > 40) return std::nullopt;
    for (char c : cs)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':')) return std::nullopt;
    iconv_t cd = iconv_open("UTF-8", cs.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out;
    out.reserve(bytes.size() * 3 / 2 + 8);
    char buffer[1024];
    char* in = const_cast<char*>(bytes.data());
    std::size_t inLeft = bytes.size();
    while (inLeft > 0) {
        char* o = buffer;
        std::size_t oLeft = sizeof buffer;
        std::size_t r = iconv(cd, &in, &inLeft, &o, &oLeft);
        out.append(buffer, static_cast<std::size_t>(o - buffer));
        if (r == static_cast<std::size_t>(-1)) {
            if (errno == E2BIG) continue;
            // EILSEQ / EINVAL: an invalid or truncated sequence; replace one octet and go on.
            out += kReplacement;
            ++in;
            --inLeft;
            iconv(cd, nullptr, nullptr, nullptr, nullptr);
        }
    }
    char* o = buffer;
    std::size_t oLeft = sizeof buffer;
    iconv(cd, nullptr, nullptr, &o, &oLeft);  // flush shift state
    out.append(buffer, static_cast<std::size_t>(o - buffer));
    iconv_close(cd);
    return out;
}

}  // namespace mailsim::message
