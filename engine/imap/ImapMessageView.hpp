// What FETCH shows of one message (RFC 3501 6.4.5, 7.4.2): body sections located in the message model.
//
// Contract
// - A section is "[part.part...][.specifier]" (RFC 3501 6.4.5 "section"): the part path numbers the parts of a
//   multipart from 1; part 1 of a non-multipart message is its body; a path that goes through a message/rfc822 part
//   continues inside the embedded message. Specifiers: HEADER, HEADER.FIELDS (names), HEADER.FIELDS.NOT (names), TEXT
//   (only at the top or on a message/rfc822 part), MIME (only with a part path: that part's own header).
// - `sectionBytes` returns the octets of the section, exactly as stored (never decoded), or nullopt when the path
//   names no part. HEADER.FIELDS returns the matching fields as written, in message order, followed by the blank
//   line (RFC 3501 6.4.5); names compare case-insensitively.
#pragma once

#include "message/MimeMessage.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::imap {

struct Section {
    std::vector<unsigned> path;
    std::string specifier;            // "", "HEADER", "HEADER.FIELDS", "HEADER.FIELDS.NOT", "TEXT", "MIME"
    std::vector<std::string> fields;  // for HEADER.FIELDS(.NOT)
};

// Parses the text between the brackets of BODY[...]; nullopt when malformed.
std::optional<Section> parseSection(std::string_view inside);
std::optional<std::string> sectionBytes(const message::Message& message, const Section& section);
// The part a part path names (RFC 3501 6.4.5 rules above; the root for an empty path); nullptr when none.
const message::MimePart* locatePart(const message::Message& message, const std::vector<unsigned>& path);

}  // namespace mailsim::imap
