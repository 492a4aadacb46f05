// Transfer encodings and charsets for MIME (RFC 2045 6.7, 6.8) as pure functions and small streaming decoders.
//
// Contract
// - Decoders never fail and never throw: they are lenient, as a mail reader must be. What they had to skip or
//   guess is reported through `clean()` (false once something was not as the RFC says).
// - Decoders stream: `feed` any split of the input, then `finish`. Their own memory is bounded (a few bytes for
//   base64; one line, capped at kMaxQpLine, for quoted-printable), so a caller can decode a large body in chunks
//   without holding the whole decoded copy.
// - Encoders produce what RFC 2045 asks: base64 in lines of at most 76 characters, quoted-printable with soft line
//   breaks so no encoded line exceeds 76 characters; lines end in CRLF.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mailsim::message {

// Quoted-printable lines longer than this are decoded as they are, without waiting for their end (memory bound).
inline constexpr std::size_t kMaxQpLine = 64 * 1024;

// RFC 2045 6.8. Characters outside the alphabet (line ends, garbage) are skipped; "=" ends a quantum (so several
// concatenated base64 blobs decode too); a final quantum without padding is decoded as far as it goes.
class Base64Decoder {
public:
    void feed(std::string_view in, std::string& out);
    void finish(std::string& out);
    bool clean() const { return m_clean; }

private:
    void flushQuantum(std::string& out);
    unsigned m_bits = 0;
    int m_count = 0;  // sextets in m_bits
    bool m_clean = true;
};

// RFC 2045 6.7. "=XX" (hex, either case) is an octet, "=" at a line end is a soft line break, trailing white
// space on a line is removed (rule 3); a "=" not followed by two hex digits is kept literally (not clean).
class QuotedPrintableDecoder {
public:
    void feed(std::string_view in, std::string& out);
    void finish(std::string& out);
    bool clean() const { return m_clean; }

private:
    void decodeLine(std::string_view line, bool hasLineEnd, std::string& out);
    std::string m_line;
    bool m_clean = true;
};

std::string decodeBase64(std::string_view in, bool* clean = nullptr);
std::string decodeQuotedPrintable(std::string_view in, bool* clean = nullptr);

// Base64 of `in`, lines of `lineLength` characters (0: one line) separated by CRLF; no final CRLF.
std::string encodeBase64(std::string_view in, std::size_t lineLength = 76);
// Quoted-printable of text: LF or CRLF in the input are hard line breaks (written CRLF); "=", control characters
// and 8-bit octets are escaped; white space before a line end is escaped; lines are soft-broken at 76.
std::string encodeQuotedPrintable(std::string_view in);

// `bytes` in `charset` converted to UTF-8 with glibc's iconv. us-ascii and utf-8 are checked, not converted;
// gb2312 and gbk are read as GB18030 (their superset, which is what mislabelled mail needs). Invalid sequences
// become U+FFFD. nullopt when the charset is unknown to iconv.
std::optional<std::string> toUtf8(std::string_view charset, std::string_view bytes);

bool isAscii(std::string_view s);
// Replaces invalid UTF-8 sequences by U+FFFD.
std::string sanitizeUtf8(std::string_view s);
std::string toLower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
int hexValue(char c);  // -1 when not a hex digit

}  // namespace mailsim::message
