#include "Strings.hpp"
#include "ProtocolModel.hpp"

#include "Explain.hpp"
#include "imap/ImapStates.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpStates.hpp"

#include <array>
#include <cctype>

namespace mailsim::gui {
namespace {

void addUnique(std::vector<std::string>& list, std::string_view verb) {
    for (const auto& c : list)
        if (c == verb) return;
    list.emplace_back(verb);
}

// Session events ("<greeting>", "<end of data>") and the unknown command ("?") are not commands a client types.
bool isCommandVerb(std::string_view verb) { return !verb.empty() && verb.front() != '<' && verb != "?"; }

std::string phaseName(smtp::SmtpPhase phase) {
    switch (phase) {
    case smtp::SmtpPhase::SetUp: return "connection set-up";
    case smtp::SmtpPhase::Transfer: return "mail transfer";
    case smtp::SmtpPhase::Release: return "release";
    }
    return "";
}

// One builder for every protocol: the states in order with the commands each allows (from the transition table),
// and the command hints (verb, explanation, RFC section) from the command table.
template <typename States, typename Transitions, typename Commands, typename InfoOf, typename NameOf, typename PhaseOf>
ProtocolModel buildModel(std::string protocol, std::string title, const States& states, Transitions transitions,
                         Commands commands, InfoOf infoOf, NameOf nameOf, PhaseOf phaseOf) {
    ProtocolModel model;
    model.protocol = std::move(protocol);
    model.title = std::move(title);
    for (auto state : states) {
        ProtocolState ps;
        ps.name = std::string(nameOf(state));
        ps.phase = phaseOf(state);
        for (const auto& t : transitions) {
            if (t.from != state) continue;
            const auto& info = infoOf(t.input);
            if (isCommandVerb(info.verb)) addUnique(ps.commands, info.verb);
        }
        model.states.push_back(std::move(ps));
    }
    for (const auto& info : commands)
        if (isCommandVerb(info.verb))
            model.commands.push_back({std::string(info.verb), std::string(info.explain.in(uiLang())), std::string(info.rfc)});
    return model;
}

ProtocolModel buildSmtp() {
    return buildModel("smtp", "SMTP server state", smtp::kAllSmtpStates, smtp::smtpTransitions(), smtp::smtpCommands(),
                      smtp::smtpCommandInfo, [](smtp::SmtpState s) { return smtp::toString(s); },
                      [](smtp::SmtpState s) { return phaseName(smtp::phaseOf(s)); });
}

// POP3 has no named phases in RFC 1939; these say what each state is for.
std::string pop3Phase(pop3::Pop3State state) {
    switch (state) {
    case pop3::Pop3State::Connect: return "greeting";
    case pop3::Pop3State::Authorization: return "log in";
    case pop3::Pop3State::Transaction: return "read, mark";
    case pop3::Pop3State::Update: return "delete marked";
    case pop3::Pop3State::Closed: return "release";
    }
    return "";
}

ProtocolModel buildPop3() {
    return buildModel("pop3", "POP3 server state", pop3::kAllPop3States, pop3::pop3Transitions(), pop3::pop3Commands(),
                      pop3::pop3CommandInfo, [](pop3::Pop3State s) { return pop3::toString(s); }, pop3Phase);
}

// RFC 3501 3 names the states; these say what each is for.
std::string imapPhase(imap::ImapState state) {
    switch (state) {
    case imap::ImapState::NotAuthenticated: return "log in";
    case imap::ImapState::Authenticated: return "folders";
    case imap::ImapState::Selected: return "messages";
    case imap::ImapState::Logout: return "release";
    }
    return "";
}

ProtocolModel buildImap() {
    return buildModel("imap", "IMAP server state", imap::kAllImapStates, imap::imapTransitions(), imap::imapCommands(),
                      imap::imapCommandInfo, [](imap::ImapState s) { return imap::toString(s); }, imapPhase);
}

// The registry: one entry per protocol the GUI understands.
constexpr ProtocolSupport kProtocols[] = {
    {"smtp", buildSmtp, explainSmtpLine},
    {"pop3", buildPop3, explainPop3Line},
    {"imap", buildImap, explainImapLine},
};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

}  // namespace

int ProtocolModel::indexOf(std::string_view state) const {
    for (std::size_t i = 0; i < states.size(); ++i)
        if (states[i].name == state) return static_cast<int>(i);
    return -1;
}

std::optional<CommandHint> ProtocolModel::hintFor(std::string_view line) const {
    std::size_t n = 0;
    while (n < line.size() && std::isalpha(static_cast<unsigned char>(line[n]))) ++n;
    if (n == 0) return std::nullopt;
    for (const CommandHint& c : commands)
        if (iequals(c.verb, line.substr(0, n))) return c;
    return std::nullopt;
}

std::span<const ProtocolSupport> supportedProtocols() { return kProtocols; }

const ProtocolSupport* findProtocol(std::string_view protocol) {
    for (const ProtocolSupport& p : kProtocols)
        if (p.name == protocol) return &p;
    return nullptr;
}

const ProtocolModel& protocolModel(std::string_view protocol) {
    static const auto kModels = [] {
        std::array<ProtocolModel, std::size(kProtocols)> models;
        for (std::size_t i = 0; i < models.size(); ++i) models[i] = kProtocols[i].buildModel();
        return models;
    }();
    static const ProtocolModel kNone{};
    for (std::size_t i = 0; i < kModels.size(); ++i)
        if (kProtocols[i].name == protocol) return kModels[i];
    return kNone;
}

}  // namespace mailsim::gui
