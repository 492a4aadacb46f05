// The client's side of scripted sessions: one follower over any client table, one description per protocol (see
// ScriptedStates.hpp).
#include "sim/world/ScriptedStates.hpp"

#include "imap/ImapStates.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpStates.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mailsim::sim::detail {
namespace {

using LineKind = ScriptedStates::LineKind;

// RFC 5321: the client's machine, the command a line is, content after 354, and the replies that end the dialogue.
struct SmtpScript {
    using Machine = smtp::SmtpClientMachine;
    using State = smtp::SmtpClientState;
    using Input = smtp::SmtpClientInput;
    static Machine machine(trace::Recorder rec) { return smtp::smtpClientMachine(rec); }
    static std::vector<Input> inputs(std::string_view line, LineKind kind) {
        if (kind == LineKind::Content) return {Input::Content};  // DATA -> CONTENT; later lines stay there
        if (kind == LineKind::Continuation) return {};
        if (auto in = smtp::smtpClientInputOf(line)) return {*in};
        return {};
    }
    // RFC 5321 3.8: 421 closes from anywhere; whatever answers QUIT is the last reply (RFC 5321 4.1.1.10).
    static bool ends(const ScriptedReply& reply, State state) { return reply.code == 421 || state == State::Quit; }
    static std::optional<Input> replyInput(const ScriptedReply&) { return std::nullopt; }
    static std::string why(const ScriptedReply& reply) { return std::to_string(reply.code); }
    static constexpr Input kClose = Input::Close;
};

// RFC 1939: the same for POP3 (no message content is sent by a client).
struct Pop3Script {
    using Machine = pop3::Pop3ClientMachine;
    using State = pop3::Pop3ClientState;
    using Input = pop3::Pop3ClientInput;
    static Machine machine(trace::Recorder rec) { return pop3::pop3ClientMachine(rec); }
    static std::vector<Input> inputs(std::string_view line, LineKind kind) {
        if (kind != LineKind::Command) return {};
        if (auto in = pop3::pop3ClientInputOf(line)) return {*in};
        return {};
    }
    // The answer to QUIT ends the session (RFC 1939 6); a -ERR greeting is followed by the server closing.
    static bool ends(const ScriptedReply&, State state) { return state == State::Quit; }
    static std::optional<Input> replyInput(const ScriptedReply&) { return std::nullopt; }
    static std::string why(const ScriptedReply& reply) { return reply.ok ? "+OK" : "-ERR"; }
    static constexpr Input kClose = Input::Close;
};

// RFC 3501: the client's machine follows tagged commands (after the tag and UID; the inputs a command can be, best
// first, imap::imapClientInputsOf) and the responses: the "+" to IDLE moves it to IDLING (RFC 2177 3), the DONE typed
// after that "+" (a continuation line, like a literal or a SASL answer, which move nothing) to IDLE-DONE; untagged
// data moves nothing. Whatever completes LOGOUT ends it (RFC 3501 6.1.3), and so does a BYE greeting (7.1.5).
struct ImapScript {
    using Machine = imap::ImapClientMachine;
    using State = imap::ImapClientState;
    using Input = imap::ImapClientInput;
    static Machine machine(trace::Recorder rec) { return imap::imapClientMachine(rec); }
    static std::vector<Input> inputs(std::string_view line, LineKind kind) {
        const auto all = imap::imapClientInputsOf(line);
        const bool done = all.size() == 1 && all.front() == Input::IdleDone;
        if (kind == LineKind::Content || (kind == LineKind::Continuation && !done)) return {};
        return {all.begin(), all.end()};
    }
    static bool ends(const ScriptedReply& reply, State state) { return state == State::Logout || reply.status == "BYE"; }
    static std::optional<Input> replyInput(const ScriptedReply& reply) {
        if (reply.status == "+") return Input::Idling;
        return std::nullopt;
    }
    static std::string why(const ScriptedReply& reply) { return reply.status; }
    static constexpr Input kClose = Input::Close;
};

template <typename Protocol>
class TableStates final : public ScriptedStates {
public:
    explicit TableStates(trace::Recorder recorder) : m_machine(Protocol::machine(recorder)) {}

    // The first of the line's inputs the table has a move for from here, if any.
    void sent(std::string_view line, LineKind kind, trace::Micros now, trace::EventId cause) override {
        for (const auto input : Protocol::inputs(line, kind))
            if (m_machine.follow(input, now, m_why, cause)) return;
    }

    void replied(const ScriptedReply& reply, trace::Micros now, trace::EventId cause) override {
        m_why = Protocol::why(reply);
        if (Protocol::ends(reply, m_machine.state())) m_machine.follow(Protocol::kClose, now, m_why, cause);
        else if (auto input = Protocol::replyInput(reply)) m_machine.follow(*input, now, m_why, cause);
    }

    void closed(trace::Micros now, trace::EventId cause) override {
        m_machine.follow(Protocol::kClose, now, std::string(util::kWhyClosed), cause);
    }

private:
    typename Protocol::Machine m_machine;
    std::string m_why;  // the last reply read, the reason of the client's next move
};

}  // namespace

std::unique_ptr<ScriptedStates> makeScriptedStates(std::string_view protocol, trace::Recorder recorder) {
    if (protocol == "smtp") return std::make_unique<TableStates<SmtpScript>>(recorder);
    if (protocol == "pop3") return std::make_unique<TableStates<Pop3Script>>(recorder);
    if (protocol == "imap") return std::make_unique<TableStates<ImapScript>>(recorder);
    return nullptr;
}

}  // namespace mailsim::sim::detail
