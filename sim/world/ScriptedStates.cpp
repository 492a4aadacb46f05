// The client's side of scripted sessions: one follower over any client table, one description per protocol (see
// ScriptedStates.hpp).
#include "sim/world/ScriptedStates.hpp"

#include "pop3/Pop3States.hpp"
#include "smtp/SmtpStates.hpp"

#include <optional>
#include <string>

namespace mailsim::sim::detail {
namespace {

using LineKind = ScriptedStates::LineKind;

// RFC 5321: the client's machine, the command a line is, content after 354, and the replies that end the dialogue.
struct SmtpScript {
    using Machine = smtp::SmtpClientMachine;
    using State = smtp::SmtpClientState;
    using Input = smtp::SmtpClientInput;
    static Machine machine(trace::Recorder rec) { return smtp::smtpClientMachine(rec); }
    static std::optional<Input> input(std::string_view line, LineKind kind) {
        if (kind == LineKind::Content) return Input::Content;  // DATA -> CONTENT; later lines stay there
        if (kind == LineKind::Continuation) return std::nullopt;
        return smtp::smtpClientInputOf(line);
    }
    // RFC 5321 3.8: 421 closes from anywhere; whatever answers QUIT is the last reply (RFC 5321 4.1.1.10).
    static bool ends(const ScriptedReply& reply, State state) { return reply.code == 421 || state == State::Quit; }
    static std::string why(const ScriptedReply& reply) { return std::to_string(reply.code); }
    static constexpr Input kClose = Input::Close;
};

// RFC 1939: the same for POP3 (no message content is sent by a client).
struct Pop3Script {
    using Machine = pop3::Pop3ClientMachine;
    using State = pop3::Pop3ClientState;
    using Input = pop3::Pop3ClientInput;
    static Machine machine(trace::Recorder rec) { return pop3::pop3ClientMachine(rec); }
    static std::optional<Input> input(std::string_view line, LineKind kind) {
        if (kind != LineKind::Command) return std::nullopt;
        return pop3::pop3ClientInputOf(line);
    }
    // The answer to QUIT ends the session (RFC 1939 6); a -ERR greeting is followed by the server closing.
    static bool ends(const ScriptedReply&, State state) { return state == State::Quit; }
    static std::string why(const ScriptedReply& reply) { return reply.ok ? "+OK" : "-ERR"; }
    static constexpr Input kClose = Input::Close;
};

template <typename Protocol>
class TableStates final : public ScriptedStates {
public:
    explicit TableStates(trace::Recorder recorder) : m_machine(Protocol::machine(recorder)) {}

    void sent(std::string_view line, LineKind kind, trace::Micros now, trace::EventId cause) override {
        if (auto input = Protocol::input(line, kind)) m_machine.follow(*input, now, m_why, cause);
    }

    void replied(const ScriptedReply& reply, trace::Micros now, trace::EventId cause) override {
        m_why = Protocol::why(reply);
        if (Protocol::ends(reply, m_machine.state())) m_machine.follow(Protocol::kClose, now, m_why, cause);
    }

    void closed(trace::Micros now, trace::EventId cause) override {
        m_machine.follow(Protocol::kClose, now, "connection closed", cause);
    }

private:
    typename Protocol::Machine m_machine;
    std::string m_why;  // the last reply read, the reason of the client's next move
};

}  // namespace

std::unique_ptr<ScriptedStates> makeScriptedStates(std::string_view protocol, trace::Recorder recorder) {
    if (protocol == "smtp") return std::make_unique<TableStates<SmtpScript>>(recorder);
    if (protocol == "pop3") return std::make_unique<TableStates<Pop3Script>>(recorder);
    return nullptr;  // IMAP: its client keeps its own enum until it has a table (see ScriptedStates.hpp)
}

}  // namespace mailsim::sim::detail
