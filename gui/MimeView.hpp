// What the message inspector shows about one stored message, computed without ImGui from engine/message's MIME model
// (Message::parse: pure functions over the bytes, no I/O). Built once when a message is selected, never per frame:
// the panel only draws the strings prepared here.
//
// Contract
// - inspectMessage(raw) never throws: malformed input gives what Message::parse repaired, listed in `problems`.
// - Header fields are listed in order, each with its value as written and decoded (RFC 2047 encoded words, so a
//   Chinese subject or display name reads as Chinese); `encoded` says whether decoding changed anything.
// - `parts` is the MIME tree in depth-first order (the message itself first), each with its depth, content type,
//   charset, transfer encoding, sizes (octets on the wire and decoded), line count, disposition and file name
//   (RFC 2231 / RFC 2047 decoded). Text leaves carry their text decoded to UTF-8 (capped at kMaxShownBytes);
//   other leaves a hex dump (16 or 8 octets per line, offset, hex, ASCII; capped the same way).
// - `glyphText()` is every character the inspector can show that the font atlas may not have yet.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::gui {

inline constexpr std::size_t kMaxShownBytes = 64 * 1024;  // per part: decoded text or hex-dumped octets

struct MimeHeaderRow {
    std::string name;
    std::string raw;      // as written (unfolded)
    std::string decoded;  // RFC 2047 decoded, UTF-8
    bool encoded = false; // decoded differs from raw
};

struct MimePartView {
    int depth = 0;
    std::string mimeType;     // "multipart/mixed"
    std::string charset;      // text parts: lower case ("utf-8")
    std::string encoding;     // "base64", "quoted-printable", "7bit", ...
    std::string disposition;  // "attachment", "inline" or ""
    std::string filename;     // decoded to UTF-8
    std::string boundary;     // multipart: the boundary parameter
    std::size_t wireSize = 0;     // body octets as they travel
    std::size_t decodedSize = 0;  // after the transfer decoding (leaves)
    std::size_t lines = 0;
    bool multipart = false;
    bool message = false;   // message/rfc822
    bool text = false;      // a text/* leaf shown as text
    bool attachment = false;
    std::vector<MimeHeaderRow> headers;  // this part's own header fields
    std::string label;                   // one line for the tree: "text/plain  utf-8  base64  120 B -> 87 B"
    std::string content;                 // text leaves: the decoded text (UTF-8)
    std::vector<std::string> hex;        // other leaves: hex dump lines, 16 octets each
    std::vector<std::string> hexNarrow;  // the same, 8 octets each (for a narrow panel)
    std::size_t omitted = 0;             // octets not shown (over kMaxShownBytes)
};

struct MimeInspection {
    std::string subject;  // decoded
    std::string from;     // decoded
    std::string to;       // decoded
    std::vector<MimeHeaderRow> headers;  // the message's header fields
    std::vector<MimePartView> parts;     // depth-first, the message itself first
    std::vector<std::string> problems;   // what the parser repaired
    std::string raw;                     // the source

    // Index of the part to show first: the first text leaf, else the first leaf, else 0.
    std::size_t firstShownPart() const;
    // The decoded characters (headers, file names, text), for the font atlas.
    std::string glyphText() const;
};

MimeInspection inspectMessage(std::string raw);

// A classic hex dump of `bytes`: "0000  48 65 6c ...  |Hel...|", `perLine` octets per line.
std::vector<std::string> hexDump(std::string_view bytes, std::size_t perLine = 16);

// "87 B", "12.3 KiB", "4.0 MiB".
std::string formatSize(std::size_t octets);

}  // namespace mailsim::gui
