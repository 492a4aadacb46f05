// The message model: an RFC 5322 message as a tree of MIME parts (RFC 2045, 2046), each with its header fields,
// content type, disposition and transfer encoding, located by offsets into the raw bytes the Message owns.
//
// Contract
// - `Message::parse` takes any bytes and never throws or crashes. Malformed structure degrades to literal text
//   (a multipart whose boundary never occurs is one text part; a header line without a colon starts the body) and
//   is reported: `degraded()` and `problems()` say what was repaired.
// - Work and memory are bounded on hostile input: nesting deeper than kMaxMimeDepth is not parsed further
//   (CVE-2020-12100: deep MIME nesting exhausted Dovecot), at most kMaxMimeParts parts are made, at most
//   kMaxHeaderFields fields are kept per header (CVE-2024-23184: many address headers cost Dovecot quadratic
//   time). Parsing is linear in the size times the nesting depth.
// - Offsets stay valid for the Message's lifetime (it owns the bytes; copies carry their own).
// - Bodies are not decoded while parsing. `decodeBody` decodes one part on demand, streaming it in chunks to a
//   sink; `decodedBody` / `text` collect it for convenience.
#pragma once

#include "message/Address.hpp"
#include "message/HeaderText.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::message {

inline constexpr int kMaxMimeDepth = 100;             // message/rfc822 and multipart levels below the top
inline constexpr std::size_t kMaxMimeParts = 10000;   // parts in one message, all levels
inline constexpr std::size_t kMaxHeaderFields = 1000; // fields kept per header block
inline constexpr std::size_t kMaxProblems = 32;       // distinct problems recorded

struct Range {
    std::size_t offset = 0;
    std::size_t length = 0;
    std::size_t end() const { return offset + length; }
};

struct HeaderField {
    std::string name;   // as written (compare case-insensitively)
    std::string value;  // unfolded (RFC 5322 2.2.3: CRLF before white space removed), outer white space trimmed
    Range range;        // the whole field in the raw bytes, line end included
};

enum class TransferEncoding { SevenBit, EightBit, Binary, Base64, QuotedPrintable, Unknown };

struct MimePart {
    enum class Kind { Leaf, Multipart, Message };
    Kind kind = Kind::Leaf;
    Range whole;   // header and body
    Range header;  // the header block, with the blank line that ends it
    Range body;    // for a part inside a multipart, without the line end that belongs to the next boundary
    std::vector<HeaderField> headers;
    ContentType contentType;          // as declared, or the default (RFC 2045 5.2; message/rfc822 in a digest)
    ContentDisposition disposition;   // RFC 2183
    std::string transferEncoding = "7bit";  // lower case, as declared (RFC 2045 6.1)
    std::size_t lines = 0;            // lines in the body (line ends, plus a last line without one)
    int depth = 0;                    // 0 for the message itself
    std::vector<MimePart> children;   // Multipart: its parts; Message: the one embedded message

    const HeaderField* field(std::string_view name) const;  // the first one with that name
    std::string headerValue(std::string_view name) const;   // its unfolded value, empty when absent
    TransferEncoding encoding() const;
    std::string charset() const;   // the charset parameter, lower case; "us-ascii" for text without one
    std::string filename() const;  // disposition filename or content-type name, decoded to UTF-8
    bool isAttachment() const;     // disposition "attachment", or a filename on a non-text part
};

class Message {
public:
    Message() = default;  // an empty message (what parse("") gives, less the default content type)
    static Message parse(std::string raw);

    const std::string& raw() const { return m_raw; }
    const MimePart& root() const { return m_root; }
    bool degraded() const { return !m_problems.empty(); }
    const std::vector<std::string>& problems() const { return m_problems; }

    // Convenience on the top-level header (the same functions serve an embedded message's part).
    std::string subject() const { return decodeHeaderText(m_root.headerValue("Subject")); }
    AddressList addresses(std::string_view fieldName) const { return parseAddressList(m_root.headerValue(fieldName)); }
    std::optional<std::int64_t> date() const { return parseDate(m_root.headerValue("Date")); }

    std::string_view bytes(Range r) const { return std::string_view(m_raw).substr(r.offset, r.length); }
    // The transfer-decoded body of a leaf (base64, quoted-printable; others as they are), in chunks of at most
    // `chunk` input octets: the decoder keeps only its small state between chunks.
    void decodeBody(const MimePart& part, const std::function<void(std::string_view)>& sink,
                    std::size_t chunk = 64 * 1024) const;
    std::string decodedBody(const MimePart& part) const;
    // decodedBody converted from the part's charset to UTF-8 (invalid sequences → U+FFFD; unknown charset: as is).
    std::string text(const MimePart& part) const;
    // Every part in depth-first order (the root first).
    std::vector<const MimePart*> parts() const;

private:
    std::string m_raw;
    MimePart m_root;
    std::vector<std::string> m_problems;
};

std::string_view toString(TransferEncoding encoding);

}  // namespace mailsim::message
