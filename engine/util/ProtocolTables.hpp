// What the SMTP, POP3 and IMAP tables share: a transition table searched for (state, input), a command table
// searched by verb (case-insensitive, RFC 5321 2.4 / RFC 1939 3 / RFC 3501 9) or by input, and reply texts written
// as templates with {placeholders}. Each protocol keeps its own tables (one file each); these functions only read
// them, so the three protocols cannot drift apart in how they look things up.
//
// The tables drive: each server has one gate before dispatch that reads the command's row (its CommandFlags: how
// its argument is checked and whether that comes before the state check) and the transition table (whether the
// command is allowed in the current state), then calls the handler the server registers for the row's input. The
// clients walk their own transition tables (rows of the same {from, input, to} form) and record the changes under
// their machine name ("smtp-client"), so the GUI can show both sides of a session.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::util {

// How the gate checks a command's argument before its handler runs (RFC 5321 4.1.1, RFC 1939 3, RFC 3501 6).
enum class ArgRule : std::uint8_t {
    Any,        // the handler parses it (MAIL FROM:<...>, FETCH ...)
    None,       // no argument allowed (QUIT, RSET, DATA, STAT, CAPABILITY ...)
    Required,   // some argument needed (VRFY, USER, ENABLE)
    Printable,  // needed, and no control characters (HELO/EHLO: the name goes into Received:, RFC 5321 4.4)
};

// What the gate reads in a command row besides the transition table.
struct CommandFlags {
    ArgRule arg = ArgRule::Any;
    bool syntaxFirst = false;      // a bad argument is refused (501/-ERR/BAD) before the state is checked
    bool sequenceNumbers = false;  // IMAP: addresses messages by sequence number, so the UID prefix may precede it
    bool login = false;            // a login command: refused while plaintext logins are not allowed (RFC 3206 4,
                                   // RFC 5530 3)
    bool offered = false;          // exists only where the transport offers it (STARTTLS, STLS)
};

// True when `arg` (trimmed, after the verb) satisfies `rule`.
constexpr bool argumentFits(ArgRule rule, std::string_view arg) {
    switch (rule) {
    case ArgRule::Any: return true;
    case ArgRule::None: return arg.empty();
    case ArgRule::Required: return !arg.empty();
    case ArgRule::Printable:
        return !arg.empty() && std::ranges::none_of(arg, [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u < 32 || u == 127;
        });
    }
    return false;
}

// A pseudo-command row ("<greeting>", "<CRLF>.<CRLF>", "?") names an event of the session, not a verb a client types.
constexpr bool isPseudoVerb(std::string_view verb) { return verb.empty() || verb.front() == '<' || verb == "?"; }

// One row of a client's transition table (SmtpClientState/SmtpClientInput, Pop3..., Imap...): the client in `from`
// doing `input` reaches `to`. The servers' tables have rows of the same form (their own structs, with more beside).
template <typename State, typename Input>
struct Transition {
    State from;
    Input input;
    State to;
};

// The states in which the table accepts `input` (rows with .from, .input), in table order, without repeats.
template <typename Row, typename Input>
auto statesAccepting(std::span<const Row> table, Input input) {
    std::vector<decltype(Row::from)> out;
    for (const Row& t : table)
        if (t.input == input && std::ranges::find(out, t.from) == out.end()) out.push_back(t.from);
    return out;
}

// The state reached when `input` is accepted in `from` (rows with .from, .input, .to); empty when no row allows it.
template <typename Row, typename State, typename Input>
std::optional<State> nextState(std::span<const Row> table, State from, Input input) {
    for (const Row& t : table)
        if (t.from == from && t.input == input) return t.to;
    return std::nullopt;
}

// The command whose verb equals `verb` ignoring case (rows with .verb, upper-case); pseudo-commands ("<greeting>",
// "?") never match. nullptr when none.
template <typename Info>
const Info* findCommand(std::span<const Info> commands, std::string_view verb) {
    for (const Info& c : commands) {
        if (isPseudoVerb(c.verb) || c.verb.size() != verb.size()) continue;
        if (std::ranges::equal(verb, c.verb, [](char a, char b) {
                return std::toupper(static_cast<unsigned char>(a)) == b;
            }))
            return &c;
    }
    return nullptr;
}

// The row for `input` (rows with .input); the last row (the "unknown command" entry) when there is none.
template <typename Info, typename Input>
const Info& commandInfo(std::span<const Info> commands, Input input) {
    for (const Info& c : commands)
        if (c.input == input) return c;
    return commands.back();
}

using TemplateArgs = std::vector<std::pair<std::string_view, std::string>>;

// Replaces each `{name}` in `tpl` with the matching argument; names without an argument stay as written.
std::string expandTemplate(std::string_view tpl, const TemplateArgs& args);

// The reverse: how well the template (with {placeholders}) matches `text`: the number of literal characters matched
// in order, or -1 when a literal part is missing. Used to find the catalogue entry a received line came from. A
// placeholder's name is letters, digits and '_'; other braces ("'{' without '}'") are literal text, as in
// expandTemplate, which leaves a brace without a matching argument as it is.
int templateMatchScore(std::string_view tpl, std::string_view text);

}  // namespace mailsim::util
