// What the SMTP, POP3 and IMAP tables share: a transition table searched for (state, input), a command table
// searched by verb (case-insensitive, RFC 5321 2.4 / RFC 1939 3 / RFC 3501 9) or by input, and reply texts written
// as templates with {placeholders}. Each protocol keeps its own tables (one file each); these functions only read
// them, so the three protocols cannot drift apart in how they look things up.
#pragma once

#include <algorithm>
#include <cctype>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::util {

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
        if (c.verb.empty() || c.verb.front() == '<' || c.verb == "?" || c.verb.size() != verb.size()) continue;
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
// in order, or -1 when a literal part is missing. Used to find the catalogue entry a received line came from.
int templateMatchScore(std::string_view tpl, std::string_view text);

}  // namespace mailsim::util
