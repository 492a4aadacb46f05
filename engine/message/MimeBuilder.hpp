// Composing MIME: header encoders (RFC 2047 encoded words, RFC 2231 parameters) and a builder of entities and
// multiparts (RFC 2045, 2046). The parsing side is in HeaderText.hpp / MimeMessage.hpp; whatever is built here
// parses back to the same text (tests check the round trip).
//
// Contract
// - Output is 7-bit ASCII (unless HeaderStyle::Utf8 is asked for, RFC 6532) with CRLF line ends,
//   every header line at most 78 characters (RFC 5322 2.1.1) given
//   the `used` width of the field name on the first line; continuation lines start with one space.
// - Text is put in canonical form (CRLF line ends, RFC 2045 2.10) before it is encoded.
// - A multipart's boundary never occurs in any of its parts (RFC 2046 5.1.1); it is derived from the content, so
//   building is deterministic (no randomness, no clock).
// - Header injection is refused, never repaired (RFC 5322 2.2: a header field is one logical line, so a CR or LF
//   inside a value would end the field and start another, e.g. a `Bcc:` smuggled in through a subject):
//   - encodeHeaderText, encodePhrase and formatMailbox return std::unexpected(reason) when the text or address
//     holds CR or LF, and write nothing;
//   - MimeEntity::addHeader returns false and adds nothing when the name is not a field name (RFC 5322 2.2:
//     printable ASCII except ":") or the value holds CR or LF other than folding (CRLF followed by SP or HTAB);
//   - formatParameter encodes CR and LF like any other octet (RFC 2231 %0D%0A), so its output is always safe.
//   headerValueError says why a text cannot be a header value; the scenario loader uses it to report the problem
//   at the scenario's file:line:col before anything is built.
#pragma once

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::message {

// How non-ASCII header text is written: RFC 2047 encoded words (7-bit, for any transport), or raw UTF-8 as RFC 6532
// 3.2 allows in a message that travels only with SMTPUTF8 (RFC 6531) - e.g. one whose addresses are UTF-8 anyway.
enum class HeaderStyle { EncodedWords, Utf8 };

// Why `text` cannot be (unfolded) header text: it holds a CR or LF; nullopt when it can.
std::optional<std::string> headerValueError(std::string_view text);

// Unstructured text (Subject): ASCII without "=?" stays as it is (folded at spaces when long); otherwise UTF-8
// encoded words, B or Q (whichever is shorter), never splitting a character, each at most 75 characters (2047 2).
// HeaderStyle::Utf8: text without "=?" stays as it is (UTF-8), folded at spaces like ASCII (RFC 6532 3.2).
// Text with CR or LF is refused (the reason from headerValueError).
std::expected<std::string, std::string> encodeHeaderText(std::string_view utf8, std::size_t used,
                                                         HeaderStyle style = HeaderStyle::EncodedWords);
// A display name (RFC 5322 phrase): atoms as they are, other ASCII as a quoted-string, non-ASCII as encoded words
// (Q restricted to the characters RFC 2047 5(3) allows in a phrase). HeaderStyle::Utf8: UTF-8 characters count as
// atext and qtext (RFC 6532 3.2), so "张三" stays an atom. CR or LF: refused.
std::expected<std::string, std::string> encodePhrase(std::string_view utf8, std::size_t used,
                                                     HeaderStyle style = HeaderStyle::EncodedWords);
// `name <address>` with the name encoded, or just the address when there is no name. CR or LF in either: refused.
std::expected<std::string, std::string> formatMailbox(std::string_view displayName, std::string_view address,
                                                      std::size_t used, HeaderStyle style = HeaderStyle::EncodedWords);
// ";" CRLF SP and one parameter: name="value" for ASCII, else RFC 2231 name*=utf-8''%XX..., split into
// name*0*=, name*1*=... sections (each on its own line) when it would not fit in 78 characters.
std::string formatParameter(std::string_view name, std::string_view utf8Value);

// One MIME entity, ready to serialize: its header fields and its body, already transfer-encoded.
struct MimeEntity {
    std::vector<std::pair<std::string, std::string>> headers;  // name, value (values may contain folding)
    std::string body;
    std::string serialize() const;  // header lines, blank line, body (no line end added after the body)
    // False, and nothing added, for a name that is not a field name or a value with CR/LF other than folding.
    bool addHeader(std::string name, std::string value);
};

// How a text should travel: 7bit when it is ASCII with lines of at most 998 octets (RFC 5322 2.1.1),
// quoted-printable when it is mostly ASCII, base64 otherwise (e.g. Chinese text: 4/3 instead of 3 per octet).
std::string chooseTextEncoding(std::string_view canonicalText);
std::string canonicalLineEnds(std::string_view text);  // LF or lone CR → CRLF

// text/<subtype>; charset=utf-8 (us-ascii when it is ASCII), encoded as chooseTextEncoding says.
MimeEntity textEntity(std::string_view utf8Text, std::string_view subtype = "plain");
// An attachment: Content-Type with an RFC 2231 name, Content-Disposition: attachment with an RFC 2231 filename.
// text/* content is encoded as text (and given charset=utf-8 if it has none); anything else as base64.
MimeEntity attachmentEntity(std::string_view filename, std::string_view contentType, std::string_view bytes);
// multipart/<subtype> of the entities, with a boundary that occurs in none of them.
MimeEntity multipartEntity(std::string_view subtype, const std::vector<MimeEntity>& parts);
// The boundary multipartEntity uses for these serialized parts.
std::string chooseBoundary(const std::vector<std::string>& serializedParts);

}  // namespace mailsim::message
