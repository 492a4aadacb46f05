// What the GUI knows about a protocol's state machine, read from the engine's transition table (data only): the
// states in order, the phase each belongs to, and the commands the table allows in each state. The state panel draws
// from this, so a new protocol only needs a new entry in protocolModel().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::gui {

struct CommandHint {
    std::string verb;     // "MAIL"
    std::string explain;  // one line for students
    std::string rfc;      // "RFC 5321 4.1.1.2"
};

struct ProtocolState {
    std::string name;                   // as StateChanged events spell it, e.g. "READY"
    std::string phase;                  // "connection set-up", "mail transfer", "release"
    std::vector<std::string> commands;  // client commands the table accepts here
};

struct ProtocolModel {
    std::string protocol;  // "smtp"
    std::string title;     // "SMTP server states"
    std::vector<ProtocolState> states;

    // Index of `state` in `states`, or -1.
    int indexOf(std::string_view state) const;
    // What the command that starts `line` (e.g. "MAIL FROM:<a@b>") means, when the protocol knows it.
    std::optional<CommandHint> hintFor(std::string_view line) const;
};

// The model for `protocol` ("smtp"); an empty model (no states) for a protocol without a table yet.
const ProtocolModel& protocolModel(std::string_view protocol);

}  // namespace mailsim::gui
