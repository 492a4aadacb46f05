#include "Strings.hpp"
#include "ProtocolModel.hpp"

#include "Explain.hpp"
#include "imap/ImapStates.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpStates.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace mailsim::gui {
namespace {

void addUnique(std::vector<std::string>& list, std::string_view verb) {
    for (const auto& c : list)
        if (c == verb) return;
    list.emplace_back(verb);
}

// Session events ("<greeting>", "<end of data>") and the unknown command ("?") are not commands a client types.
bool isCommandVerb(std::string_view verb) { return !verb.empty() && verb.front() != '<' && verb != "?"; }


// One builder for every protocol: the states in order with the commands each allows (from the transition table),
// and the command hints (verb, explanation, RFC section) from the command table.
template <typename States, typename Transitions, typename Commands, typename InfoOf, typename NameOf, typename PhaseOf>
ProtocolModel buildModel(std::string protocol, std::string title, const States& states, Transitions transitions,
                         Commands commands, InfoOf infoOf, NameOf nameOf, PhaseOf phaseOf, i18n::Lang lang) {
    ProtocolModel model;
    model.protocol = std::move(protocol);
    model.title = std::move(title);
    for (auto state : states) {
        ProtocolState ps;
        ps.name = std::string(nameOf(state));
        ps.phase = phaseOf(state, lang);
        for (const auto& t : transitions) {
            if (t.from != state) continue;
            const auto& info = infoOf(t.input);
            if (isCommandVerb(info.verb)) addUnique(ps.commands, info.verb);
        }
        model.states.push_back(std::move(ps));
    }
    for (const auto& info : commands)
        if (isCommandVerb(info.verb))
            model.commands.push_back({std::string(info.verb), std::string(info.explain.in(lang)), std::string(info.rfc)});
    return model;
}

ProtocolModel buildSmtp(i18n::Lang lang) {
    return buildModel("smtp", i18n::pick(lang, "SMTP server state", "SMTP 服务器状态"), smtp::kAllSmtpStates,
                      smtp::smtpTransitions(), smtp::smtpCommands(), smtp::smtpCommandInfo,
                      [](smtp::SmtpState s) { return smtp::toString(s); },
                      [](smtp::SmtpState s, i18n::Lang l) { return std::string(smtp::phaseName(smtp::phaseOf(s), l)); },
                      lang);
}

// POP3 has no named phases in RFC 1939; these say what each state is for.
std::string pop3Phase(pop3::Pop3State state, i18n::Lang lang) {
    switch (state) {
    case pop3::Pop3State::Connect: return i18n::pick(lang, "greeting", "问候");
    case pop3::Pop3State::Authorization: return i18n::pick(lang, "log in", "登录");
    case pop3::Pop3State::Transaction: return i18n::pick(lang, "read, mark", "阅读、标记");
    case pop3::Pop3State::Update: return i18n::pick(lang, "delete marked", "删除已标记的邮件");
    case pop3::Pop3State::Closed: return i18n::pick(lang, "release", "连接释放");
    }
    return "";
}

ProtocolModel buildPop3(i18n::Lang lang) {
    return buildModel("pop3", i18n::pick(lang, "POP3 server state", "POP3 服务器状态"), pop3::kAllPop3States,
                      pop3::pop3Transitions(), pop3::pop3Commands(), pop3::pop3CommandInfo,
                      [](pop3::Pop3State s) { return pop3::toString(s); }, pop3Phase, lang);
}

// RFC 3501 3 names the states; these say what each is for.
std::string imapPhase(imap::ImapState state, i18n::Lang lang) {
    switch (state) {
    case imap::ImapState::NotAuthenticated: return i18n::pick(lang, "log in", "登录");
    case imap::ImapState::Authenticated: return i18n::pick(lang, "folders", "文件夹");
    case imap::ImapState::Selected: return i18n::pick(lang, "messages", "邮件");
    case imap::ImapState::Logout: return i18n::pick(lang, "release", "连接释放");
    }
    return "";
}

ProtocolModel buildImap(i18n::Lang lang) {
    return buildModel("imap", i18n::pick(lang, "IMAP server state", "IMAP 服务器状态"), imap::kAllImapStates,
                      imap::imapTransitions(), imap::imapCommands(), imap::imapCommandInfo,
                      [](imap::ImapState s) { return imap::toString(s); }, imapPhase, lang);
}

// The clients' machines (the machine names of their StateChanged events), from the clients' transition tables: the
// states in order, and in each the commands the client may send next (its table's inputs from that state).
template <typename States, typename Rows, typename NameOf, typename PhaseOf>
ProtocolModel buildClientModel(std::string machine, std::string title, const States& states, Rows rows, NameOf nameOf,
                               PhaseOf phaseOf, i18n::Lang lang) {
    ProtocolModel model;
    model.protocol = std::move(machine);
    model.title = std::move(title);
    for (auto state : states) {
        ProtocolState ps;
        ps.name = std::string(nameOf(state));
        ps.phase = phaseOf(state, lang);
        for (const auto& t : rows)
            if (t.from == state && isCommandVerb(toString(t.input))) addUnique(ps.commands, toString(t.input));
        model.states.push_back(std::move(ps));
    }
    return model;
}

ProtocolModel buildSmtpClient(i18n::Lang lang) {
    using CS = smtp::SmtpClientState;
    auto phase = [](CS s, i18n::Lang l) {
        const smtp::SmtpPhase p = s == CS::Greeting || s == CS::Ehlo || s == CS::Helo || s == CS::StartTls || s == CS::Auth
                                      ? smtp::SmtpPhase::SetUp
                                  : s == CS::Quit || s == CS::Done ? smtp::SmtpPhase::Release
                                                                   : smtp::SmtpPhase::Transfer;
        return std::string(smtp::phaseName(p, l));
    };
    return buildClientModel("smtp-client", i18n::pick(lang, "SMTP client state", "SMTP 客户端状态"),
                            smtp::kAllSmtpClientStates, smtp::smtpClientTransitions(),
                            [](CS s) { return smtp::toString(s); }, phase, lang);
}

ProtocolModel buildPop3Client(i18n::Lang lang) {
    using CS = pop3::Pop3ClientState;
    using pop3::Pop3State;
    auto phase = [](CS s, i18n::Lang l) {
        return pop3Phase(s == CS::Greeting                                   ? Pop3State::Connect
                         : s == CS::Quit || s == CS::Done                    ? Pop3State::Closed
                         : s == CS::Uidl || s == CS::List || s == CS::Retr || s == CS::Dele ? Pop3State::Transaction
                                                                                             : Pop3State::Authorization,
                         l);
    };
    return buildClientModel("pop3-client", i18n::pick(lang, "POP3 client state", "POP3 客户端状态"),
                            pop3::kAllPop3ClientStates, pop3::pop3ClientTransitions(),
                            [](CS s) { return pop3::toString(s); }, phase, lang);
}

// The IMAP client's phases by the server state it works in (RFC 3501 3): before the login, with folders (the folder
// tasks and choosing one), with the selected mailbox's messages, and the release.
ProtocolModel buildImapClient(i18n::Lang lang) {
    using CS = imap::ImapClientState;
    using imap::ImapState;
    auto phase = [](CS s, i18n::Lang l) {
        switch (s) {
        case CS::Greeting:
        case CS::Capability:
        case CS::StartTls:
        case CS::Login: return imapPhase(ImapState::NotAuthenticated, l);
        case CS::Create:
        case CS::Delete:
        case CS::Rename:
        case CS::Select: return imapPhase(ImapState::Authenticated, l);
        case CS::Logout:
        case CS::Done: return imapPhase(ImapState::Logout, l);
        default: return imapPhase(ImapState::Selected, l);
        }
    };
    return buildClientModel("imap-client", i18n::pick(lang, "IMAP client state", "IMAP 客户端状态"),
                            imap::kAllImapClientStates, imap::imapClientTransitions(),
                            [](CS s) { return imap::toString(s); }, phase, lang);
}

constexpr std::pair<std::string_view, ProtocolModel (*)(i18n::Lang)> kClientModels[] = {
    {"smtp-client", buildSmtpClient},
    {"pop3-client", buildPop3Client},
    {"imap-client", buildImapClient},
};

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

const ProtocolModel& protocolModel(std::string_view protocol) { return protocolModel(protocol, uiLang()); }

std::string clientMachine(std::string_view protocol) { return trace::clientMachineOf(protocol); }

const ProtocolModel& clientModel(std::string_view machine) {
    static const auto kModels = [] {
        std::array<std::array<ProtocolModel, std::size(kClientModels)>, std::size(i18n::kAllLangs)> models;
        for (i18n::Lang l : i18n::kAllLangs)
            for (std::size_t i = 0; i < std::size(kClientModels); ++i)
                models[static_cast<std::size_t>(l)][i] = kClientModels[i].second(l);
        return models;
    }();
    static const ProtocolModel kNone{};
    const auto& models = kModels[static_cast<std::size_t>(uiLang())];
    for (std::size_t i = 0; i < models.size(); ++i)
        if (kClientModels[i].first == machine) return models[i];
    return kNone;
}

const ProtocolModel& protocolModel(std::string_view protocol, i18n::Lang lang) {
    // Built once per language (phase labels and command explanations are the catalogue's en or zh).
    static const auto kModels = [] {
        std::array<std::array<ProtocolModel, std::size(kProtocols)>, std::size(i18n::kAllLangs)> models;
        for (i18n::Lang l : i18n::kAllLangs)
            for (std::size_t i = 0; i < std::size(kProtocols); ++i)
                models[static_cast<std::size_t>(l)][i] = kProtocols[i].buildModel(l);
        return models;
    }();
    static const ProtocolModel kNone{};
    const auto& models = kModels[static_cast<std::size_t>(lang)];
    for (std::size_t i = 0; i < models.size(); ++i)
        if (kProtocols[i].name == protocol) return models[i];
    return kNone;
}

}  // namespace mailsim::gui
