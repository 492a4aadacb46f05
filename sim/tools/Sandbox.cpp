#include "sim/tools/Sandbox.hpp"

#include "sim/tools/Record.hpp"
#include "sim/world/RunnerWorld.hpp"
#include "sim/world/ScriptedStates.hpp"

#include <fmt/format.h>

#include <charconv>

namespace mailsim::sim {

using detail::World;

struct Sandbox::Impl {
    std::string path;
    std::string text;  // the scenario file as read
    Scenario scenario;
    RunResult result;
    std::unique_ptr<World> world;  // refers to scenario and result: declared after them

    // the open connection
    std::optional<World::Opened> opened;
    std::string received;  // plaintext from the server not yet returned
    bool serverClosed = false;
    std::vector<SandboxSession> sessions;
    // The typed session's client machine, followed as a scripted session's is (sim/world/ScriptedStates.hpp).
    std::unique_ptr<detail::ScriptedStates> states;
    bool inData = false;      // SMTP: lines after 354 are message content, up to the "." line
    bool challenged = false;  // the last answer was a SASL challenge (334, "+ "): the next line answers it

    void pump() { world->scheduler().runUntilIdle(); }
    std::string take() {
        std::string out = std::exchange(received, {});
        while (out.ends_with("\r\n")) out.resize(out.size() - 2);
        std::string joined;
        for (char c : out)
            if (c != '\r') joined += c;
        return joined;
    }
    // The client's machine reads an answer (as take() returned it; "" for none) and, when the server hung up, ends.
    // IMAP: the answer's last line is the one that completes it (the greeting, the tagged completion or a "+").
    void observeAnswer(const std::string& protocol, const std::string& answer) {
        if (!states) return;
        if (!answer.empty()) {
            int code = 0;
            if (protocol == "smtp" && answer.size() >= 3) std::from_chars(answer.data(), answer.data() + 3, code);
            std::string status;
            if (protocol == "imap") {
                const std::string_view last = std::string_view(answer).substr(answer.rfind('\n') + 1);
                const std::string_view rest = last.substr(std::min(last.size(), last.find(' ') + 1));
                status = last.starts_with("+") ? "+" : std::string(rest.substr(0, rest.find(' ')));
            }
            const bool ok = protocol == "smtp" ? code >= 200 && code < 400
                            : protocol == "imap" ? status == "OK"
                                                 : answer.starts_with("+OK");
            inData = inData || code == 354;
            challenged = code == 334 || (protocol == "pop3" && answer.starts_with("+ ")) || status == "+";
            states->replied({code, ok, status}, world->now(), world->lastReply(opened->session));
        }
        if (serverClosed) states->closed(world->now(), world->lastReply(opened->session));
    }

    void sendWire(std::string_view plain) {
        auto& o = *opened;
        std::string wire = o.tls && o.tls->active() ? o.tls->toWire(plain, world->now()) : std::string(plain);
        if (!wire.empty()) o.conn->send(VirtualConnection::Client, wire);
    }
};

Sandbox::Sandbox(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

Sandbox::~Sandbox() {
    if (m_impl && m_impl->opened) m_impl->world->close(*m_impl->opened);
}

std::expected<std::unique_ptr<Sandbox>, std::vector<Diagnostic>> Sandbox::open(const std::string& path, bool fresh) {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    auto text = readFileFromDisk(path);
    if (!text) return std::unexpected(std::vector<Diagnostic>{Diagnostic{path, 0, 0, DiagnosticId::CannotReadFile, {}}});
    impl->text = *text;
    auto sc = loadScenario(*text, path);
    if (!sc) return std::unexpected(std::move(sc.error()));
    impl->scenario = std::move(*sc);
    impl->result.file = path;
    impl->result.title = impl->scenario.title;
    impl->result.description = impl->scenario.description;
    impl->result.lesson = impl->scenario.lesson;
    impl->result.includes = impl->scenario.includes;
    impl->world = std::make_unique<World>(impl->scenario, RunOptions{}, impl->result);
    if (!fresh) impl->world->run();
    trace::Recorder(&impl->result.trace, trace::kNoSession)
        .explain(impl->world->now(), {.id = fresh ? trace::NoteId::SandboxReady : trace::NoteId::SandboxAfterSteps});
    return std::unique_ptr<Sandbox>(new Sandbox(std::move(impl)));
}

const RunResult& Sandbox::result() const { return m_impl->result; }
const std::vector<SandboxSession>& Sandbox::sessions() const { return m_impl->sessions; }
bool Sandbox::connected() const { return m_impl->opened.has_value() && !m_impl->serverClosed; }

namespace {

struct Service {
    std::string name, protocol;
    int port;
    bool implicitTls;
};

std::vector<Service> servicesOf(const HostSpec& h) {
    std::vector<Service> out;
    if (h.smtp && h.smtp->port) out.push_back({"smtp", "smtp", h.smtp->port, false});
    if (h.smtp && h.smtp->submissionPort) out.push_back({"submission", "smtp", h.smtp->submissionPort, false});
    if (h.smtp && h.smtp->tlsPort) out.push_back({"smtps", "smtp", h.smtp->tlsPort, true});
    if (h.pop3 && h.pop3->port) out.push_back({"pop3", "pop3", h.pop3->port, false});
    if (h.pop3 && h.pop3->tlsPort) out.push_back({"pop3s", "pop3", h.pop3->tlsPort, true});
    if (h.imap && h.imap->port) out.push_back({"imap", "imap", h.imap->port, false});
    if (h.imap && h.imap->tlsPort) out.push_back({"imaps", "imap", h.imap->tlsPort, true});
    return out;
}

}  // namespace

std::vector<std::string> Sandbox::servers() const {
    std::vector<std::string> out;
    for (const auto& h : m_impl->scenario.hosts) {
        auto services = servicesOf(h);
        if (services.empty()) continue;
        std::string line = h.name + ":";
        for (std::size_t i = 0; i < services.size(); ++i)
            line += fmt::format("{} {} {}", i ? "," : "", services[i].name, services[i].port);
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> Sandbox::clients() const {
    std::vector<std::string> out;
    for (const auto& h : m_impl->scenario.hosts)
        if (servicesOf(h).empty()) out.push_back(h.name);
    return out;
}

std::expected<std::string, std::string> Sandbox::connect(const std::string& fromArg, const std::string& target,
                                                         const std::string& protocolArg) {
    Impl& s = *m_impl;
    if (s.opened) disconnect();
    std::string from = fromArg;
    if (from.empty()) {
        auto c = clients();
        if (c.empty()) return std::unexpected("the scenario has no client host (a host without services) to type from");
        from = c.front();
    }
    if (!s.scenario.findHost(from)) return std::unexpected(fmt::format("no host named '{}'", from));
    auto colon = target.rfind(':');
    std::string hostName = target.substr(0, colon);
    int port = 0;
    if (colon != std::string::npos) {
        auto [p, ec] = std::from_chars(target.data() + colon + 1, target.data() + target.size(), port);
        if (ec != std::errc{} || p != target.data() + target.size() || port < 1 || port > 65535)
            return std::unexpected(fmt::format("'{}': the port after ':' must be a number from 1 to 65535", target));
    }
    const HostSpec* host = s.scenario.findHost(hostName);
    if (!host || servicesOf(*host).empty()) {
        std::string list;
        for (const auto& line : servers()) list += "\n  " + line;
        return std::unexpected(fmt::format("'{}' is not a mail server of this scenario; servers:{}", hostName, list));
    }
    const Service* chosen = nullptr;
    auto services = servicesOf(*host);
    for (const auto& svc : services)
        if ((port && svc.port == port) || (!port && (protocolArg.empty() ? svc.protocol == "smtp" : svc.protocol == protocolArg)))
            if (!chosen) chosen = &svc;
    if (!chosen) return std::unexpected(fmt::format("nothing listens there; {} runs {}", host->name, servers().front()));
    if (!protocolArg.empty() && protocolArg != chosen->protocol)
        return std::unexpected(fmt::format("port {} of {} speaks {}, not {}", chosen->port, host->name, chosen->protocol,
                                           protocolArg));
    ConnectionSpec spec;
    spec.from = from;
    spec.to = host->name;
    spec.port = chosen->port;
    spec.protocol = chosen->protocol;
    spec.implicitTls = chosen->implicitTls;
    s.opened = s.world->open(spec);
    s.serverClosed = false;
    s.received.clear();
    auto conn = s.opened->conn;
    auto tls = s.opened->tls;
    Impl* impl = &s;
    conn->onReceive(VirtualConnection::Client, [impl, tls, conn](std::string_view bytes) {
        if (tls && tls->active()) {
            impl->received += tls->fromWire(bytes, impl->world->now());
            tls->justEstablished();
            std::string wire = tls->toWire("", impl->world->now());  // the client's Finished
            if (!wire.empty()) conn->send(VirtualConnection::Client, wire);
        } else {
            impl->received.append(bytes);
        }
    });
    conn->onClose(VirtualConnection::Client, [impl, conn] {
        impl->serverClosed = true;
        conn->close(VirtualConnection::Client);
    });
    if (tls && tls->active()) s.sendWire("");  // implicit TLS: the ClientHello first
    s.pump();
    std::string greeting = s.take();
    s.states = detail::makeScriptedStates(chosen->protocol, trace::Recorder(&s.result.trace, s.opened->session));
    s.inData = s.challenged = false;
    s.observeAnswer(chosen->protocol, greeting);
    s.sessions.push_back(SandboxSession{from, host->name, chosen->protocol, chosen->port, {{"", greeting, true}}});
    if (greeting.empty()) {
        const std::string& why = s.world->connectFailure(s.opened->session);
        return std::unexpected(why.empty() ? "no greeting: the server said nothing" : "could not connect: " + why);
    }
    return greeting;
}

std::string Sandbox::send(const std::string& line) {
    Impl& s = *m_impl;
    if (!s.opened) return "(not connected)";
    if (s.serverClosed) return "(the server closed the connection)";
    SandboxSession& session = s.sessions.back();
    if (s.states) {
        using Kind = detail::ScriptedStates::LineKind;
        s.states->sent(line, s.inData ? Kind::Content : std::exchange(s.challenged, false) ? Kind::Continuation : Kind::Command,
                       s.world->now(), s.world->lastReply(s.opened->session));
    }
    if (s.inData && line == ".") s.inData = false;
    s.sendWire(line + "\r\n");
    s.pump();
    std::string answer = s.take();
    s.observeAnswer(session.protocol, answer);
    const std::string status = expectationFor(session.protocol, line, answer);
    if (s.opened->tls && !s.opened->tls->active() && asksForTls(session.protocol, line) &&
        (status == "220" || status == "+OK" || status == "OK")) {
        s.received.clear();  // anything after the positive reply in clear is dropped (STARTTLS response injection)
        s.opened->tls->begin(s.world->now());
        s.sendWire("");
        s.pump();
        if (s.opened->tls->failed()) answer += "\n(TLS handshake failed: " + s.opened->tls->error() + ")";
    }
    session.lines.push_back({line, answer, false});
    if (answer.empty() && s.serverClosed) return "(the server closed the connection)";
    return answer;
}

void Sandbox::disconnect() {
    Impl& s = *m_impl;
    if (!s.opened) return;
    if (!s.serverClosed) {
        if (s.states) s.states->closed(s.world->now(), s.world->lastReply(s.opened->session));
        s.opened->conn->close(VirtualConnection::Client);
        s.pump();
    }
    s.world->close(*s.opened);
    s.opened.reset();
}

std::string expectationFor(const std::string& protocol, const std::string& sent, const std::string& answer) {
    if (answer.empty() || answer.starts_with("(")) return "";
    std::string last = answer.substr(answer.rfind('\n') == std::string::npos ? 0 : answer.rfind('\n') + 1);
    if (protocol == "pop3") {
        if (answer.starts_with("+OK")) return "+OK";
        if (answer.starts_with("-ERR")) return "-ERR";
        return "";
    }
    if (protocol == "imap") {
        if (sent.empty()) return answer.starts_with("* OK") ? "OK" : "";
        std::string tag = sent.substr(0, sent.find(' '));
        std::size_t start = 0;
        while (start < answer.size()) {
            auto end = answer.find('\n', start);
            std::string_view l(answer.data() + start, (end == std::string::npos ? answer.size() : end) - start);
            if (l.starts_with(tag + " ")) {
                auto word = l.substr(tag.size() + 1, l.find(' ', tag.size() + 1) - tag.size() - 1);
                if (word == "OK" || word == "NO" || word == "BAD") return std::string(word);
            }
            if (l.starts_with("+")) return "\"+\"";
            if (end == std::string::npos) break;
            start = end + 1;
        }
        return "";
    }
    if (last.size() >= 3 && std::isdigit(static_cast<unsigned char>(last[0])) && std::isdigit(static_cast<unsigned char>(last[1])) &&
        std::isdigit(static_cast<unsigned char>(last[2])))
        return last.substr(0, 3);
    return "";
}

std::expected<std::string, std::string> Sandbox::scenarioYaml() const {
    const Impl& s = *m_impl;
    std::string steps;
    for (const auto& session : s.sessions) {
        steps += "  - note: \"Typed in the sandbox\"\n";
        steps += sessionStepYaml(session);
    }
    // The recorded steps go at the end of the file's `steps:` list, which must be its last top-level key.
    std::string lastKey;
    std::size_t pos = 0;
    while (pos < s.text.size()) {
        auto end = s.text.find('\n', pos);
        std::string_view line(s.text.data() + pos, (end == std::string::npos ? s.text.size() : end) - pos);
        if (!line.empty() && line[0] != ' ' && line[0] != '#' && line[0] != '-' && line.find(':') != std::string_view::npos)
            lastKey = std::string(line.substr(0, line.find(':')));
        if (end == std::string::npos) break;
        pos = end + 1;
    }
    if (lastKey != "steps")
        return std::unexpected("the scenario's last top-level key is not 'steps:', so the sessions cannot be appended; "
                               "add these steps to its 'steps:' list by hand:\n" + steps);
    std::string out = s.text;
    if (!out.empty() && out.back() != '\n') out += '\n';
    return out + steps;
}

}  // namespace mailsim::sim
