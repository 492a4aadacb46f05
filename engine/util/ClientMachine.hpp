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

// A client's move names its cause (the StateChanged `text`) in protocol tokens, never in prose: the server's response
// the client had last read (SMTP: its code, "250"; POP3: "+OK" or "-ERR"; IMAP: its status, "OK", "NO", "BYE",
// "PREAUTH", the "+" of IDLE, a pushed "EXISTS"), and for the events that are no response these, written like the
// servers' pseudo-commands ("<greeting>", "<TLS established>"):
inline constexpr std::string_view kWhyTlsEstablished = "<TLS established>";  // the handshake after STARTTLS/STLS
inline constexpr std::string_view kWhyClosed = "<closed>";                   // the connection ended
inline constexpr std::string_view kWhyNotAReply = "<not a reply>";           // the server's line is not the protocol's

// The state the client reaches when it does `input` in `from` (its table's row), recorded when it differs from
// `from`. A move the table lacks is the client's bug: it is recorded as an Error event and the client ends in `done`.
// `toString` of the state and of the input name them (found by argument-dependent lookup).
template <typename State, typename Input>
State moveClient(trace::Recorder& rec, std::string_view machine, std::span<const Transition<State, Input>> table,
                 State from, Input input, State done, trace::Micros now, std::string why, trace::EventId cause) {
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

// A client's machine as an object: its table, its state and its recorder, walked with moveClient. The engine's client
// sessions (SmtpClientSession, Pop3ClientSession) move with `advance`: the client chose the input itself, so a move
// the table lacks is its own bug (an error, and the machine ends; moveClient). The simulator's scripted sessions (a
// person's lines typed as written, sim/world/ScriptedStates.hpp) move with `follow`, from the command each line is
// (the protocol's `...ClientInputOf`): a person may type what the textbook client never sends (MAIL before HELO,
// RETR without LIST); such a line leaves the state as it is, and the server's answer shows what it made of it. The
// state names the answer the client waits for; it moves when the client sends its next command, or when the
// dialogue ends (the table's Close input).
template <typename StateT, typename InputT>
class ClientMachine {
public:
    using State = StateT;
    using Input = InputT;
    using Row = Transition<State, Input>;

    // `start`: the state before the server's greeting; `end`: the final state (after Close).
    ClientMachine(std::string_view machine, std::span<const Row> table, State start, State end, trace::Recorder recorder)
        : m_machine(machine), m_table(table), m_state(start), m_end(end), m_rec(recorder) {}

    State state() const { return m_state; }
    bool ended() const { return m_state == m_end; }
    std::string_view machine() const { return m_machine; }

    // The engine client's move (see above): the table's row for `input` from here; without one, an error and the end.
    void advance(Input input, trace::Micros now, std::string why, trace::EventId cause) {
        m_state = moveClient(m_rec, m_machine, m_table, m_state, input, m_end, now, std::move(why), cause);
    }

    // A scripted client's move (see above): the table's row for `input` from here when there is one; otherwise the
    // state stays. Nothing moves after the end. True when the state changed.
    bool follow(Input input, trace::Micros now, std::string why, trace::EventId cause) {
        const std::optional<State> found = ended() ? std::nullopt : nextState(m_table, m_state, input);
        if (!found || *found == m_state) return false;
        advance(input, now, std::move(why), cause);
        return true;
    }

private:
    std::string_view m_machine;  // a literal: "smtp-client"
    std::span<const Row> m_table;
    State m_state;
    State m_end;
    trace::Recorder m_rec;
};

}  // namespace mailsim::util
