// IMAP's views of a message (RFC 3501 7.4.2): ENVELOPE, BODY and BODYSTRUCTURE, computed from the message model.
//
// Contract (the exact syntax of RFC 3501 9, "envelope" and "body"):
// - Strings are quoted when they hold only 7-bit characters other than CR, LF and NUL ("\" and DQUOTE escaped),
//   otherwise sent as a literal {n}CRLF...; absent values are NIL.
// - ENVELOPE shows header values as written (unfolded; encoded words are not decoded: the client does that).
//   Sender and Reply-To default to From (7.4.2). Groups are (NIL NIL "name" NIL) ... (NIL NIL NIL NIL). A mailbox
//   without a domain (obsolete "To: rose") gets the host "" so it cannot be mistaken for a group marker.
// - Types, subtypes, parameter names, encodings and disposition types are upper case; parameter values as written.
//   RFC 2231 sections are given joined, as one parameter ("FILENAME*" "utf-8''%E4%B8%AD.txt").
// - body-fld-octets is the size of the body as stored (encoded); body-fld-lines (text/* and message/rfc822) counts
//   its lines. body-fld-md5 is the Content-MD5 value or NIL.
// - BODYSTRUCTURE adds the extension data (md5, disposition, language, location for single parts; parameters,
//   disposition, language, location for multiparts); BODY leaves it out.
#pragma once

#include "message/MimeMessage.hpp"

#include <string>
#include <string_view>

namespace mailsim::message {

std::string imapString(std::string_view s);   // quoted or literal
std::string imapNString(std::string_view s);  // NIL when empty, else imapString

// `part` is the root, or the child of a message/rfc822 part (an embedded message).
std::string imapEnvelope(const Message& message, const MimePart& part);
std::string imapEnvelope(const Message& message);
std::string imapBodyStructure(const Message& message, const MimePart& part, bool extensible = true);
std::string imapBodyStructure(const Message& message, bool extensible = true);

}  // namespace mailsim::message
