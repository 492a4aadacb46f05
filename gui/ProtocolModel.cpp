#include "ProtocolModel.hpp"

#include "smtp/SmtpStates.hpp"

#include <cctype>

namespace mailsim::gui {
namespace {

std::string phaseName(smtp::SmtpPhase phase) {
    switch (phase) {
    case smtp::SmtpPhase::SetUp: return "connection set-up";
    case smtp::SmtpPhase::Transfer: return "mail transfer";
    case smtp::SmtpPhase::Release: return "release";
    }
    return "";
}

ProtocolModel buildSmtp() {
    ProtocolModel model;
    model.protocol = "smtp";
    model.title = "SMTP server state";
    for (smtp::SmtpState state : smtp::kAllSmtpStates) {
        ProtocolState ps;
        ps.name = std::string(smtp::toString(state));
        ps.phase = phaseName(smtp::phaseOf(state));
        for (const smtp::SmtpTransition& t : smtp::smtpTransitions()) {
            if (t.from != state) continue;
            const smtp::SmtpCommandInfo& info = smtp::smtpCommandInfo(t.input);
            if (info.verb.empty() || info.verb.front() == '<' || info.verb == "?") continue;  // events, not commands
            std::string verb(info.verb);
            bool seen = false;
            for (const auto& c : ps.commands) seen = seen || c == verb;
            if (!seen) ps.commands.push_back(std::move(verb));
        }
        model.states.push_back(std::move(ps));
    }
    return model;
}

}  // namespace

int ProtocolModel::indexOf(std::string_view state) const {
    for (std::size_t i = 0; i < states.size(); ++i)
        if (states[i].name == state) return static_cast<int>(i);
    return -1;
}

std::optional<CommandHint> ProtocolModel::hintFor(std::string_view line) const {
    if (protocol != "smtp") return std::nullopt;
    std::size_t n = 0;
    while (n < line.size() && std::isalpha(static_cast<unsigned char>(line[n]))) ++n;
    if (n == 0) return std::nullopt;
    const smtp::SmtpCommandInfo* info = smtp::findSmtpCommand(line.substr(0, n));
    if (!info) return std::nullopt;
    return CommandHint{std::string(info->verb), std::string(info->explain), std::string(info->rfc)};
}

const ProtocolModel& protocolModel(std::string_view protocol) {
    static const ProtocolModel kSmtp = buildSmtp();
    static const ProtocolModel kNone{};
    if (protocol == "smtp") return kSmtp;
    return kNone;
}

}  // namespace mailsim::gui
