// Parsing of SMTP command arguments and replies: pure functions, shared by the server, the client and the tools.
#pragma once

#include "smtp/MailboxReason.hpp"

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::smtp {

// RFC 5321 4.5.3.1 size limits, in octets.
inline constexpr std::size_t kMaxLocalPart = 64;         // 4.5.3.1.1
inline constexpr std::size_t kMaxDomain = 255;           // 4.5.3.1.2
inline constexpr std::size_t kMaxPath = 256;             // 4.5.3.1.3 (including the angle brackets)
inline constexpr std::size_t kMaxCommandLine = 512;      // 4.5.3.1.4 (including CRLF)
inline constexpr std::size_t kMaxReplyLine = 512;        // 4.5.3.1.5 (including CRLF)
inline constexpr std::size_t kMaxTextLine = 1000;        // 4.5.3.1.6 (including CRLF)
inline constexpr std::size_t kMinMessageContent = 65536; // 4.5.3.1.7: the least a server must accept
inline constexpr std::size_t kMinRecipients = 100;       // 4.5.3.1.8: the least a server must buffer

struct PathArgument {
    std::string path;  // the mailbox without angle brackets; empty for the null reverse-path <>
    bool bracketed = false;
    std::vector<std::pair<std::string, std::string>> params;  // ESMTP parameters, keys upper-cased
};

// `detail`: English words for the wire only (the 501 "Syntax: ..." / 553 "...: <detail>" reply text, never translated);
// a bad mailbox's words are mailboxReasonWords(mailboxError(...)). Nothing else shows them.
enum class PathErrorKind { Syntax, BadMailbox };
struct PathError {
    PathErrorKind kind;
    std::string detail;
};

// Parses the argument of MAIL ("FROM:") or RCPT ("TO:"). `keyword` includes the colon. In lenient mode the angle
// brackets may be missing (`MAIL FROM: Mike@cesoo.com`, as Postfix accepts by default); in strict mode they are
// required (RFC 5321 4.1.1.2/4.1.1.3). Whitespace after the colon is accepted in both modes, as most servers do.
// `allowUtf8`: the server offers SMTPUTF8, so UTF-8 local parts and domains parse (RFC 6531 3.3); whether this
// transaction may use them (the MAIL parameter SMTPUTF8) is the server's decision, not the parser's.
std::expected<PathArgument, PathError> parsePathArgument(std::string_view argument, std::string_view keyword,
                                                         bool lenient, bool allowUtf8 = false);

// Checks `mailbox` against RFC 5321 4.1.2 (Local-part "@" Domain) and the 4.5.3.1 length limits; returns the
// reason when it is not a valid mailbox (typed, MailboxReason.hpp: mailboxReasonWords gives the wire words,
// mailboxReasonText the words in a language). With `allowUtf8`, RFC 6531 3.3's extended syntax: well-formed UTF-8
// (RFC 3629) in the local part and U-labels in the domain; without it a non-ASCII octet is refused with
// NonAsciiNotOffered ("(SMTPUTF8 is not offered)"). Lengths stay in octets.
std::optional<MailboxReason> mailboxError(std::string_view mailbox, bool allowUtf8 = false);

// True when every octet is US-ASCII: a path or header that is not needs SMTPUTF8 (RFC 6531 3.4).
bool isAscii(std::string_view text);

// Splits a command line into its verb and the rest ("MAIL FROM:<a@b>" -> "MAIL", "FROM:<a@b>").
std::pair<std::string_view, std::string_view> splitCommand(std::string_view line);

bool iequals(std::string_view a, std::string_view b);
std::string toUpper(std::string_view s);
std::string_view trim(std::string_view s);

// One reply as a client sees it (RFC 5321 4.2.1): the code and every line's text.
struct Reply {
    int code = 0;
    std::vector<std::string> lines;  // text after "ddd-" / "ddd "
    std::string raw;                 // as received
    int klass() const { return code / 100; }
};

// Incremental reply parser for clients. Feed bytes in any split; complete replies come out in order.
// A line that is not an SMTP reply line (RFC 5321 4.2: code 2yz-5yz with second digit 0-5, then SP, "-" or
// nothing), or a multi-line reply whose lines carry different codes (4.2.1), sets `error()`; the parser then stops:
// replies completed before the bad line still come out of `next()`, nothing after it does.
class ReplyParser {
public:
    void feed(std::string_view bytes);
    std::optional<Reply> next();
    // Set when the peer sent something that is not an SMTP reply line; the line is kept for the message.
    const std::optional<std::string>& error() const { return m_error; }
    // Drops everything fed but not yet taken with next() (complete replies, a partial one, an error) and returns
    // how many octets that was: after "220 Ready to start TLS" nothing received in plaintext may be used
    // (STARTTLS response injection).
    std::size_t discard();

private:
    std::string m_buffer;
    Reply m_current;
    std::vector<Reply> m_ready;
    std::size_t m_readyPos = 0;
    std::optional<std::string> m_error;
};

}  // namespace mailsim::smtp
