// Header field text: the lexer for structured fields (RFC 5322 3.2, RFC 2045 5.1), encoded words (RFC 2047),
// MIME parameters with RFC 2231 continuations and charsets, Content-Type and Content-Disposition, the parsing side.
//
// Contract
// - Parsing never throws and never fails: malformed text gives the best reading possible (an unterminated quoted
//   string runs to the end; a parameter without "=" is skipped; an unknown charset leaves the encoded word as
//   written). Decoded text is always valid UTF-8 (invalid sequences become U+FFFD).
// - The matching encoders (composing) are in MimeBuilder.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::message {

// Caps on parameters (bounded work on hostile input): parameters per field, RFC 2231 sections per parameter.
inline constexpr std::size_t kMaxParameters = 64;
inline constexpr std::size_t kMaxParameterSections = 100;

struct Token {
    enum Kind { Atom, Quoted, Special, DomainLiteral, End } kind = End;
    std::string text;  // Quoted: without the quotes, quoted-pairs resolved; Special: the one character
};

// Splits a structured field body into tokens, skipping white space and comments (nested, with quoted-pairs).
// `mime` selects RFC 2045 tspecials (so "." is part of a token and "/", "=", "?" are specials) instead of the
// RFC 5322 specials. The text of the last comment skipped is kept (an address's name in "rose@x (Rose)").
class HeaderLexer {
public:
    HeaderLexer(std::string_view text, bool mime) : m_text(text), m_mime(mime) {}
    Token next();
    Token peek();
    const std::string& lastComment() const { return m_comment; }
    bool whitespaceBefore() const { return m_space; }  // white space or a comment preceded the last token
    void clearComment() { m_comment.clear(); }

private:
    bool special(char c) const;
    std::string_view m_text;
    std::size_t m_pos = 0;
    bool m_mime;
    bool m_space = false;
    std::string m_comment;
};

// RFC 2047: decodes the encoded words in unstructured text (Subject, or a display name once unquoted), joining
// adjacent encoded words without the white space between them (6.2) and their bytes before charset conversion,
// so a character split across two words decodes. Unknown charset: the words stay as written. Text outside
// encoded words is taken as UTF-8.
std::string decodeHeaderText(std::string_view text);

// One MIME parameter after RFC 2231 reassembly. `name` is lower case without "*" or section numbers.
struct Parameter {
    std::string name;
    std::string value;      // decoded to UTF-8 (2231 charset; a quoted RFC 2047 word is decoded too)
    std::string wireValue;  // as written, sections joined; for an extended value "charset'lang'%XX..."
    bool extended = false;  // written as name*= or name*0*=
    std::string charset;    // of an extended value
    std::string language;
};

struct ParameterList {
    std::vector<Parameter> items;
    const Parameter* find(std::string_view name) const;  // case-insensitive
    std::string get(std::string_view name) const;        // decoded value, empty when absent
};

// Parses `; a=b; c*0*=...` (the text after the type). Sections are joined in number order; the first section of
// an extended value carries charset'language'. Returns false through `clean` when something was skipped.
ParameterList parseParameters(std::string_view text, bool* clean = nullptr);

// RFC 2045 5: "type/subtype; params". Missing or malformed: text/plain; charset=us-ascii (5.2), `valid` false.
struct ContentType {
    std::string type = "text";  // lower case
    std::string subtype = "plain";
    ParameterList params;
    bool valid = true;
    bool present = false;  // a Content-Type field was there
    std::string mimeType() const { return type + "/" + subtype; }
    bool isMultipart() const { return type == "multipart"; }
    bool isMessage() const { return type == "message" && (subtype == "rfc822" || subtype == "global"); }
};
ContentType parseContentType(std::string_view value);
ContentType defaultContentType(bool inDigest);

// RFC 2183: "attachment; filename=...".
struct ContentDisposition {
    std::string type;  // lower case; empty when absent
    ParameterList params;
};
ContentDisposition parseContentDisposition(std::string_view value);

}  // namespace mailsim::message
