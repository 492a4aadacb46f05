// A client's moves along its transition table (rows {from, input, to}, ProtocolTables.hpp), recorded as
// StateChanged events of the client's machine ("imap-client"), so the GUI's state panel can show the client's side
// of a session beside the server's.
#pragma once

#include "trace/Trace.hpp"
#include "util/ProtocolTables.hpp"

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace mailsim::util {

// The state the client reaches when it does `input` in `from` (its table's row), recorded when it differs from
// `from`. A move the table lacks is the client's bug: it is recorded as an Error event and the client ends in `done`.
// `toString` of the state and of the input name them (found by argument-dependent lookup).
template <typename Row, typename State, typename Input>
State moveClient(trace::Recorder& rec, std::string_view machine, std::span<const Row> table, State from, Input input,
                 State done, trace::Micros now, std::string why, trace::EventId cause) {
    const std::optional<State> found = nextState(table, from, input);
    if (!found)
        rec.error(now, {.id = trace::ErrorId::ClientNoTransition,
                        .names = {std::string(machine), std::string(toString(input)), std::string(toString(from))}},
                  cause);
    const State next = found.value_or(done);
    if (next != from)
        rec.stateChanged(now, std::string(machine), std::string(toString(from)), std::string(toString(next)),
                         std::move(why), cause);
    return next;
}

}  // namespace mailsim::util
