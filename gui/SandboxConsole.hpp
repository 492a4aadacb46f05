// The GUI side of the sandbox (issue #7), without ImGui: a sim::Sandbox opened on the current scenario, the
// telnet-like console's scroll-back and history, and the Document + ViewModel the panels show while sandbox mode is on.
//
// Contract
// - open(path) opens sim::Sandbox on the scenario after its steps (the mailboxes as the scenario leaves them) and
//   builds document()/view() from the sandbox's RunResult. While open, the App hands these to every panel instead of
//   the scenario's own run; close() drops them (the App then shows the scenario's run again).
// - Every connect/send/hangUp appends what the sandbox's run gained to document() (TraceSource.hpp: the first time,
//   a copy of it) and extends view() over the new events, in place, so references to them stay valid;
//   generation() is bumped and lastRebuildMs() says how long that took. The caller moves the cursor (to the end, to show the effect at once).
// - targets() are the services of servers() ("mail.cesoo.com 587 (submission)" -> "mail.cesoo.com:587"); clients()
//   the hosts without services. The scroll-back holds the typed lines (C:), the answers (S:), and notes/errors.
// - save() writes scenarioYaml() to "<scenario>-sandbox.yaml" next to the scenario and returns the path, or the error.
#pragma once

#include "Document.hpp"
#include "ViewModel.hpp"

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mailsim::sim {
class Sandbox;
}

namespace mailsim::gui {

struct SandboxTarget {
    std::string host;
    int port = 0;
    std::string service;  // smtp, submission, pop3, imaps, ...
    std::string label;    // "mail.cesoo.com 587 (submission)"
    std::string target;   // "mail.cesoo.com:587", as Sandbox::connect takes it
};

struct ConsoleLine {
    // Connected: text = "FROM -> TARGET LABEL"; HungUp / Closed: no text (the panel words them).
    enum class Kind : std::uint8_t { Client, Server, Connected, HungUp, Closed, Error };
    Kind kind = Kind::Error;
    std::string text;  // one line (answers of several lines are split)
};

// "mail.cesoo.com: smtp 25, submission 587" -> one target per service.
std::vector<SandboxTarget> parseServers(const std::vector<std::string>& servers);
// "<dir>/<stem>-sandbox.yaml" for "<dir>/<stem>.yaml".
std::string sandboxSavePath(const std::string& scenarioPath);

class SandboxConsole {
public:
    SandboxConsole();
    ~SandboxConsole();
    SandboxConsole(const SandboxConsole&) = delete;
    SandboxConsole& operator=(const SandboxConsole&) = delete;

    // Sandbox mode: on while the App shows the sandbox (even when opening failed: the panel shows why).
    bool active() const { return m_active; }
    bool open(const std::string& scenarioPath);  // active() afterwards; false (and openError()) when it failed
    void close();                                // active() false, everything dropped
    bool isOpen() const { return m_box != nullptr; }
    const std::string& openError() const { return m_openError; }
    std::uint64_t openCount() const { return m_openCount; }  // bumped by every open()

    // The language view() renders the events in (the UI's); a change re-renders the open sandbox's run in place.
    void setLanguage(i18n::Lang lang);
    i18n::Lang language() const { return m_lang; }

    const Document& document() const { return m_doc; }
    const ViewModel& view() const { return m_view; }
    std::uint64_t generation() const { return m_generation; }
    double lastRebuildMs() const { return m_lastRebuildMs; }

    const std::vector<std::string>& clients() const { return m_clients; }
    const std::vector<SandboxTarget>& targets() const { return m_targets; }

    bool connect(std::size_t client, std::size_t target);  // false: the error is in the scroll-back
    // The same by name: `from` a client host ("" = the first), `target` "HOST:PORT" or "HOST" (its first service).
    bool connectTo(const std::string& from, const std::string& target);
    bool connected() const;
    // The indices into clients() and targets() of the last connection (0 when not found).
    std::size_t connectedClient() const { return m_connectedClient; }
    std::size_t connectedTarget() const { return m_connectedTarget; }
    void send(const std::string& line);
    void hangUp();
    std::size_t sessions() const;  // connections made so far (what save() would write)

    const std::vector<ConsoleLine>& lines() const { return m_lines; }
    const std::vector<std::string>& history() const { return m_history; }

    // The console's input line has the keyboard focus, or gets it back on the next frame (ImGui drops it for a frame
    // after Enter): set by the panel while drawing, taken (and cleared) by the App before it handles the main
    // window's keys, which must not fire while the student types.
    void setTyping() { m_typing = true; }
    bool takeTyping() { return std::exchange(m_typing, false); }

    // Writes the session as a scenario; the path written, or why not.
    std::expected<std::string, std::string> save() const;

private:
    void rebuild();
    void addAnswer(const std::string& answer);

    bool m_active = false;
    i18n::Lang m_lang = i18n::Lang::En;
    bool m_typing = false;
    std::size_t m_connectedClient = 0, m_connectedTarget = 0;
    std::string m_path;
    std::string m_openError;
    std::unique_ptr<sim::Sandbox> m_box;
    Document m_doc;
    ViewModel m_view;  // points into m_doc.result
    std::uint64_t m_generation = 0;
    std::uint64_t m_openCount = 0;
    double m_lastRebuildMs = 0.0;
    std::vector<std::string> m_clients;
    std::vector<SandboxTarget> m_targets;
    std::vector<ConsoleLine> m_lines;
    std::vector<std::string> m_history;
};

}  // namespace mailsim::gui
