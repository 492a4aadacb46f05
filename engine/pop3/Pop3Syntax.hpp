// POP3 syntax shared by the server, the client and the simulator's scripted client: command arguments, unique ids,
// and an incremental response parser (RFC 1939 3; RFC 2449 8 response codes).
#pragma once

#include "util/Lines.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::pop3 {

inline constexpr std::size_t kMaxCommandLine = 255;   // RFC 2449 4: command lines, including CRLF
inline constexpr std::size_t kMaxSaslLine = 2048;     // RFC 5034 4: SASL responses may be longer than commands
inline constexpr std::size_t kMaxResponseLine = 65536; // what the client parser keeps of one line (bounded memory)

// "RETR 1" -> {"RETR", "1"}; the argument with surrounding spaces removed.
std::pair<std::string_view, std::string_view> splitCommand(std::string_view line);
// Splits arguments at spaces (RFC 1939 3: keywords and arguments are separated by a single space).
std::vector<std::string_view> splitArgs(std::string_view args);
// A message number or a count (RFC 1939: decimal, no sign); nullopt when not.
std::optional<std::uint64_t> parseNumber(std::string_view s);
// RFC 1939 7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E.
bool validUniqueId(std::string_view uid);

// One response as a client sees it.
struct Pop3Response {
    bool ok = false;            // +OK (or a SASL "+ " continuation)
    bool continuation = false;  // "+ " (RFC 5034 4)
    std::string respCode;       // RFC 2449 8 code without brackets, e.g. "IN-USE"; "" when none
    std::string text;           // after "+OK " / "-ERR " (the response code included)
    std::vector<std::string> lines;  // multi-line body, byte-unstuffed, without CRLF
    std::vector<std::string> raw;    // every line as received, with CRLF (status, body, terminator)
    // The body as octets: every line followed by CRLF (what RETR's size counts).
    std::string body() const;
};

// Incremental response parser. Feed bytes in any split; call `expectMultiLine` once per command sent, in order,
// with whether its +OK answer is multi-line (`pop3ResponseIsMultiLine`); the greeting and unannounced responses are
// single-line. A line that does not start with "+OK", "-ERR" or "+ " sets `error()` and the parser stops.
class Pop3ResponseParser {
public:
    Pop3ResponseParser() : m_lines(kMaxResponseLine) {}
    void expectMultiLine(bool multiLine) { m_expect.push_back(multiLine); }
    void feed(std::string_view bytes);
    std::optional<Pop3Response> next();
    const std::optional<std::string>& error() const { return m_error; }
    // Drops everything fed but not yet taken with next() and every expectation; returns how many octets were dropped
    // (after "+OK Begin TLS negotiation" nothing received in plaintext may be used: response injection).
    std::size_t discard();

private:
    util::LineBuffer m_lines;
    std::deque<bool> m_expect;
    std::optional<Pop3Response> m_current;  // a multi-line response being read
    std::deque<Pop3Response> m_ready;
    std::optional<std::string> m_error;
};

}  // namespace mailsim::pop3
