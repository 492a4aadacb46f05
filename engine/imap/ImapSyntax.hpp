// IMAP command syntax (RFC 3501 9, RFC 7888 LITERAL+): framing commands with literals, a tokenizer for the
// arguments, sequence sets, modified UTF-7 mailbox names (RFC 3501 5.1.3), LIST wildcards, and dates.
//
// Contract
// - `CommandReader` takes bytes in any split and hands out events in order. A command is one line, except that a line
//   ending in a literal announcement "{n}" (synchronising) or "{n+}" (LITERAL+, RFC 7888) continues with exactly n
//   octets (any octets, NUL included) and then more of the command line. For "{n}" the reader asks the session to
//   send the "+" continuation (RFC 3501 7.5) before it reads the octets.
// - Memory is bounded: a line over `maxLine` octets is discarded as it arrives (event LineTooLong once it ends); a
//   literal announcement over `maxLiteral` (or one that would make the command exceed `maxCommand`) is refused
//   *before* any "+" is sent and before anything is allocated for it: event LiteralTooBig, and the rest of that
//   command is discarded. For a LITERAL+ literal the client sends the octets anyway (RFC 7888 4): they are counted
//   and skipped, never stored; one that announces more than `maxSkip` makes the session close the connection.
//   Commands other than APPEND have their own, smaller cap (`setMaxNonAppendLiteral`); the session also lowers
//   `maxLiteral` itself before login, so an unauthenticated client cannot make the server buffer megabytes.
// - `tokenize` turns a framed command into tokens: atoms (including fetch attributes such as
//   "BODY.PEEK[HEADER.FIELDS (From To)]<0.100>", whose bracketed part may hold spaces and parentheses; '[' opens such
//   a part only after BODY, BODY.PEEK, BINARY, BINARY.PEEK or BINARY.SIZE, elsewhere it is an atom character), quoted
//   strings (with \" and \\ escapes), literals (also literal8 "~{n}", RFC 3516 4.4), NIL-as-atom, and
//   parenthesised lists nested at most kMaxNesting deep.
// - Sequence sets (RFC 3501 9 "sequence-set"): "1", "2:4", "*", "5:*", "1,3:5,9"; "*" is the largest number in use;
//   "n:m" and "m:n" mean the same.
#pragma once

#include "imap/ImapReplies.hpp"

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::imap {

inline constexpr std::size_t kMaxNesting = 16;  // parenthesised lists inside each other
// Ranges in one sequence set: as many as a 64 KiB command line can hold ("1,3,5,..."), no more.
inline constexpr std::size_t kMaxSequenceRanges = 32768;
// Longest mailbox name (modified UTF-7 wire form): the Maildir++ folder ".<name>" must fit NAME_MAX (255) with
// room for the store's temporary prefixes.
inline constexpr std::size_t kMaxMailboxName = 200;

struct ReaderEvent {
    enum class Kind { Command, NeedContinuation, LineTooLong, LiteralTooBig, SkipTooBig };
    Kind kind = Kind::Command;
    std::string text;           // Command: the whole command, literals inline after their "{n}\r\n"
    std::string firstLine;      // Command and the refusals: the first line (for the trace and the tag)
    std::uint64_t literalSize = 0;  // LiteralTooBig / SkipTooBig: the size announced
    std::uint64_t literalLimit = 0; // LiteralTooBig / SkipTooBig: the limit that applied to this command
    std::vector<std::string> lines;  // Command: each physical line as received (for the trace), literals excluded
};

// The literal announced at the end of a line (without CRLF): size and whether it is LITERAL+ ("{n+}").
struct LiteralSpec {
    std::uint64_t size = 0;
    bool nonSync = false;
};
std::optional<LiteralSpec> trailingLiteral(std::string_view line);

class CommandReader {
public:
    CommandReader(std::size_t maxLine, std::uint64_t maxLiteral, std::uint64_t maxCommand, std::uint64_t maxSkip)
        : m_maxLine(maxLine), m_maxLiteral(maxLiteral), m_maxCommand(maxCommand), m_maxSkip(maxSkip) {}

    void append(std::string_view bytes);
    std::optional<ReaderEvent> next();
    std::size_t buffered() const { return m_in.size() - m_pos + m_command.size(); }
    // A command has begun and not ended (a partial line, a line being discarded, a literal being read or skipped).
    bool partial() const { return buffered() > 0 || m_discardLine || m_skipLeft > 0 || m_literalLeft > 0; }
    void clear();
    void setMaxLiteral(std::uint64_t n) { m_maxLiteral = n; }
    // Literals of every command except APPEND are capped at `n` as well (RFC 7888 5: LITERAL- allows 4096).
    void setMaxNonAppendLiteral(std::uint64_t n) { m_maxNonAppendLiteral = n; }

private:
    // the steps of next()
    bool takeLiteralOctets();
    ReaderEvent lineTooLong(std::string_view line);
    std::optional<ReaderEvent> discardLine(std::string_view line, const std::optional<LiteralSpec>& lit);
    std::optional<ReaderEvent> literalAnnounced(const LiteralSpec& lit);

    std::string m_in;
    std::size_t m_pos = 0;
    std::string m_command;        // the command assembled so far
    std::vector<std::string> m_lines;
    std::uint64_t m_literalLeft = 0;  // octets of the current literal still to copy
    std::uint64_t m_skipLeft = 0;     // octets of a refused LITERAL+ literal still to skip
    bool m_discardLine = false;       // inside a too-long line
    bool m_discardCommand = false;    // the rest of the command after a refusal
    std::string m_discardHead;
    std::size_t m_maxLine;
    std::uint64_t m_maxLiteral;
    std::uint64_t m_maxNonAppendLiteral = UINT64_MAX;
    std::uint64_t m_maxCommand;
    std::uint64_t m_maxSkip;
};

struct Token {
    enum class Kind { Atom, String, List };
    Kind kind = Kind::Atom;
    std::string text;            // Atom: as written; String: the value (quoted or literal)
    bool literal = false;        // String given as a literal
    std::vector<Token> children; // List
    bool isAtom(std::string_view upper) const;  // case-insensitive compare for atoms
    bool isNil() const { return isAtom("NIL"); }
    // An astring (RFC 3501 9): atom or string.
    bool isAString() const { return kind != Kind::List; }
};

struct Tokenized {
    std::vector<Token> tokens;
    // Set when the syntax is broken: a Token* entry ("syntax: {syntax} (...)"; the caller supplies {syntax}).
    std::optional<Refusal> error;
};
Tokenized tokenize(std::string_view text);

// "tag verb rest"; the tag is any run of atom characters except "+" (RFC 3501 9 "tag").
struct CommandHead {
    std::string tag;
    std::string verb;  // upper case
    std::string_view rest;
};
std::optional<CommandHead> splitHead(std::string_view command);

struct SeqRange {
    std::uint32_t lo = 0;  // 0 stands for "*"
    std::uint32_t hi = 0;
};
std::optional<std::vector<SeqRange>> parseSequenceSet(std::string_view text);
// Whether `n` is in the set, with "*" standing for `largest`.
bool inSequenceSet(const std::vector<SeqRange>& set, std::uint32_t n, std::uint32_t largest);
// A compact sequence set for a sorted list: 1:3,7,9:10.
std::string formatSequenceSet(const std::vector<std::uint32_t>& sorted);

// Modified UTF-7 (RFC 3501 5.1.3). decode returns nullopt for anything that is not the canonical encoding.
std::string encodeMailboxName(std::string_view utf8);
std::optional<std::string> decodeMailboxName(std::string_view mutf7);
// A mailbox name sent as UTF-8 by a client that enabled UTF8=ACCEPT (RFC 6855 3) -> the modified UTF-7 wire form
// the store keeps (so "&" becomes "&-" and nothing in it is read as modified UTF-7). The refusal (a Name* entry) for
// octets that are not well-formed UTF-8 (RFC 3629) or a control character (refused before encoding, since modified
// UTF-7 would hide it in base64).
std::expected<std::string, Refusal> mailboxNameFromUtf8(std::string_view utf8);
// Why a mailbox name (wire form) is refused (a Name* entry of the reply catalogue), or nullopt when acceptable:
// empty, too long, NUL, control or 8-bit characters, a leading "/", a trailing "/", "//", "..", "~", ".", a LIST
// wildcard, or invalid modified UTF-7.
std::optional<Refusal> mailboxNameProblem(std::string_view wire);
// "inbox" in any case (and "inbox/..." prefixes) normalised to "INBOX" (RFC 3501 5.1).
std::string normaliseMailboxName(std::string_view wire);
// LIST pattern match: "*" any characters, "%" any characters but '/' (RFC 3501 6.3.8).
bool listMatch(std::string_view pattern, std::string_view name);

// IMAP date-time (RFC 3501 9 "date-time"): "17-Jul-1996 02:44:25 -0700" <-> microseconds since the epoch (UTC).
std::string formatInternalDate(std::int64_t micros);
std::optional<std::int64_t> parseDateTime(std::string_view text);
// IMAP date (SEARCH BEFORE/ON/SINCE, RFC 3501 9 "date"): "1-Feb-1994" -> days since the epoch.
std::optional<std::int64_t> parseSearchDate(std::string_view text);

}  // namespace mailsim::imap
