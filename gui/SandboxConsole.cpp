#include "SandboxConsole.hpp"
#include "TraceSource.hpp"

#include "sim/tools/Sandbox.hpp"

#include <charconv>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>

namespace mailsim::gui {

std::vector<SandboxTarget> parseServers(const std::vector<std::string>& servers) {
    std::vector<SandboxTarget> out;
    for (const std::string& line : servers) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string host = line.substr(0, colon);
        std::string_view rest = std::string_view(line).substr(colon + 1);
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            while (item.starts_with(' ')) item.remove_prefix(1);
            while (item.ends_with(' ')) item.remove_suffix(1);
            const auto space = item.rfind(' ');
            if (space == std::string_view::npos) continue;
            SandboxTarget t;
            t.host = host;
            t.service = std::string(item.substr(0, space));
            const std::string_view port = item.substr(space + 1);
            if (std::from_chars(port.data(), port.data() + port.size(), t.port).ec != std::errc{}) continue;
            t.label = host + " " + std::to_string(t.port) + " (" + t.service + ")";
            t.target = host + ":" + std::to_string(t.port);
            out.push_back(std::move(t));
        }
    }
    return out;
}

std::string sandboxSavePath(const std::string& scenarioPath) {
    const std::filesystem::path p(scenarioPath);
    return (p.parent_path() / (p.stem().string() + "-sandbox.yaml")).string();
}

SandboxConsole::SandboxConsole() = default;
SandboxConsole::~SandboxConsole() = default;

bool SandboxConsole::open(const std::string& scenarioPath) {
    close();
    m_active = true;
    ++m_openCount;
    m_path = scenarioPath;
    try {
        auto box = sim::Sandbox::open(scenarioPath);
        if (!box) {
            for (const auto& d : box.error()) m_openError += d.format(m_lang) + "\n";
            return false;
        }
        m_box = std::move(*box);
    } catch (const std::exception& e) {
        m_openError = std::string("internal error while opening the sandbox: ") + e.what();
        return false;
    }
    m_clients = m_box->clients();
    m_targets = parseServers(m_box->servers());
    rebuild();
    return true;
}

void SandboxConsole::close() {
    m_active = false;
    m_view = ViewModel();  // drop the pointer into the document first
    m_doc = Document();
    m_box.reset();
    m_path.clear();
    m_openError.clear();
    m_clients.clear();
    m_targets.clear();
    m_lines.clear();
    m_history.clear();
}

void SandboxConsole::setLanguage(i18n::Lang lang) {
    if (lang == m_lang) return;
    m_lang = lang;
    if (m_box && m_doc.loaded()) {
        m_view = ViewModel();
        m_view = ViewModel(*m_doc.result, m_lang);
        ++m_generation;
    }
}

// The sandbox's run grew: its new events are appended to the document and the view extends over them (TraceSource.hpp);
// the first time (just opened) the document is a copy of the run.
void SandboxConsole::rebuild() {
    const auto start = std::chrono::steady_clock::now();
    const sim::RunResult& run = m_box->result();
    if (!m_doc.loaded() || !appendNew(*m_doc.result, run)) {
        m_view = ViewModel();
        m_doc.path = m_path;
        m_doc.diagnostics.clear();
        m_doc.result = run;
        m_view = ViewModel(*m_doc.result, m_lang);
    } else {
        m_view.extend();
    }
    m_lastRebuildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ++m_generation;
}

void SandboxConsole::addAnswer(const std::string& answer) {
    std::size_t at = 0;
    while (at <= answer.size() && !answer.empty()) {
        const auto nl = answer.find('\n', at);
        m_lines.push_back({ConsoleLine::Kind::Server, answer.substr(at, nl == std::string::npos ? nl : nl - at)});
        if (nl == std::string::npos) break;
        at = nl + 1;
    }
}

bool SandboxConsole::connect(std::size_t client, std::size_t target) {
    if (!m_box || target >= m_targets.size()) return false;
    return connectTo(client < m_clients.size() ? m_clients[client] : std::string(), m_targets[target].target);
}

bool SandboxConsole::connectTo(const std::string& fromArg, const std::string& target) {
    if (!m_box) return false;
    const std::string from = fromArg.empty() && !m_clients.empty() ? m_clients.front() : fromArg;
    std::string label = target;
    m_connectedClient = m_connectedTarget = 0;
    for (std::size_t i = 0; i < m_clients.size(); ++i)
        if (m_clients[i] == from) m_connectedClient = i;
    for (std::size_t i = 0; i < m_targets.size(); ++i)
        if (m_targets[i].target == target || m_targets[i].host == target) {
            label = m_targets[i].label;
            m_connectedTarget = i;
            break;
        }
    m_lines.push_back({ConsoleLine::Kind::Connected, from + " -> " + label});
    auto greeting = m_box->connect(from, target, "");
    if (greeting) addAnswer(*greeting);
    else m_lines.push_back({ConsoleLine::Kind::Error, greeting.error()});
    rebuild();
    return greeting.has_value();
}

bool SandboxConsole::connected() const { return m_box && m_box->connected(); }
std::size_t SandboxConsole::sessions() const { return m_box ? m_box->sessions().size() : 0; }

void SandboxConsole::send(const std::string& line) {
    if (!m_box) return;
    if (!line.empty() && (m_history.empty() || m_history.back() != line)) m_history.push_back(line);
    m_lines.push_back({ConsoleLine::Kind::Client, line});
    const bool wasConnected = m_box->connected();
    const std::string answer = m_box->send(line);
    if (answer.starts_with("(")) m_lines.push_back({ConsoleLine::Kind::Error, answer});
    else addAnswer(answer);
    if (wasConnected && !m_box->connected()) m_lines.push_back({ConsoleLine::Kind::Closed, {}});
    rebuild();
}

void SandboxConsole::hangUp() {
    if (!m_box || !m_box->connected()) return;
    m_box->disconnect();
    m_lines.push_back({ConsoleLine::Kind::HungUp, {}});
    rebuild();
}

std::expected<std::string, std::string> SandboxConsole::save() const {
    if (!m_box) return std::unexpected(std::string("the sandbox is not open"));
    auto yaml = m_box->scenarioYaml();
    if (!yaml) return std::unexpected(yaml.error());
    const std::string path = sandboxSavePath(m_path);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << *yaml;
    out.close();
    if (!out) return std::unexpected("cannot write " + path);
    return path;
}

}  // namespace mailsim::gui
