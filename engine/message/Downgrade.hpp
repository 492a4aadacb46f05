// Downgrading the header of an internationalised message (RFC 6532 raw UTF-8 header fields) for a reader that did
// not ask for UTF-8 (an IMAP session without ENABLE UTF8=ACCEPT, RFC 6855 / RFC 6858), after RFC 6857 3:
//
// - Address fields (From, Sender, Reply-To, To, Cc, Bcc and their Resent- forms): display names become RFC 2047
//   encoded words; a mailbox whose address itself is UTF-8 (张三@cesoo.com) cannot be written in ASCII, so it
//   becomes an empty group whose name is the whole mailbox in encoded words ("=?UTF-8?B?...?= :;", RFC 6857 3.1.10's
//   technique): a reader shows who it was, and nothing replies to an address that would not work. A list that does
//   not parse cleanly is treated like the other structured fields below.
// - Unstructured fields (Subject, Comments, Keywords, Content-Description, X-*): the value becomes encoded words.
// - Any other field with UTF-8 (Received, Return-Path, Message-ID...): renamed "Downgraded-<name>" with the value as
//   encoded words (RFC 6857 3.2's prefix), so its text is kept but no parser reads a broken structured field.
// - Only the top-level header is rewritten; fields without UTF-8, the blank line and the body stay byte for byte
//   (a body in 8bit is 8BITMIME's business, not UTF-8 header's).
//
// Pure function, no I/O. nullopt when the header has no octet >= 0x80 (nothing to downgrade).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mailsim::message {

std::optional<std::string> downgradeHeader(std::string_view raw);

}  // namespace mailsim::message
