// What the GUI knows about each protocol, read from the engine's tables (data and pure functions only): the states of
// its transition table in order, the phase each belongs to, the commands the table allows in each state, the command
// table for hints, and how the inspector explains one of its lines. The state panel and the inspector draw from this.
//
// Adding a protocol is one entry in kProtocols (ProtocolModel.cpp): a function that builds its
// ProtocolModel from its engine/<proto>/<Proto>States.hpp table, and one that explains a line (Explain.hpp).
#pragma once

#include "trace/Trace.hpp"

#include "i18n/Lang.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::gui {

struct Explanation;

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
    std::string title;     // "SMTP server state"
    std::vector<ProtocolState> states;
    std::vector<CommandHint> commands;  // the command table (client commands only, not session events)

    // Index of `state` in `states`, or -1.
    int indexOf(std::string_view state) const;
    // What the command that starts `line` (e.g. "MAIL FROM:<a@b>") means, when the protocol knows it.
    std::optional<CommandHint> hintFor(std::string_view line) const;
};

// One supported protocol: its name as sessions spell it ("smtp"), its model and its line explainer.
struct ProtocolSupport {
    std::string_view name;
    ProtocolModel (*buildModel)(i18n::Lang);
    // Fills `x` for a Line event of a session of this protocol (command, reply or content line).
    void (*explainLine)(const trace::Trace& trace, const trace::Event& e, Explanation& x);
};

// Every supported protocol, in registration order.
std::span<const ProtocolSupport> supportedProtocols();
// The entry for `protocol` (case-sensitive, as in SessionInfo::protocol); nullptr when it has none yet.
const ProtocolSupport* findProtocol(std::string_view protocol);

// The model for `protocol` ("smtp", "pop3"), built once; an empty model (no states) for a protocol without a table.
// The model in the UI's language (uiLang()), or in the one given; empty for an unknown protocol.
const ProtocolModel& protocolModel(std::string_view protocol);
const ProtocolModel& protocolModel(std::string_view protocol, i18n::Lang lang);

// The clients' side: the machine name a protocol's client records its StateChanged events under ("smtp" ->
// "smtp-client"), and that machine's model from the client's transition table (engine/<proto>/<Proto>States.hpp) in
// the UI's language; an empty model (no states) for a machine without a table.
std::string clientMachine(std::string_view protocol);
const ProtocolModel& clientModel(std::string_view machine);

}  // namespace mailsim::gui
