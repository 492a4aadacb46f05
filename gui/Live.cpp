#include "Live.hpp"
#include "Strings.hpp"

#include "sim/tools/ServeReady.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mailsim::gui {

std::string findMailsimProgram(const std::string& self) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path dir = fs::path(self).parent_path();
    for (const fs::path& candidate : {dir / "mailsim", dir / ".." / "sim" / "mailsim"})
        if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    return "mailsim";
}

LiveSource::~LiveSource() {
    if (m_child <= 0) return;
    ::kill(m_child, SIGTERM);
    // serve says goodbye to its sessions and exits; busy SMTP transactions get a short grace.
    for (int i = 0; i < 300; ++i) {
        if (::waitpid(m_child, nullptr, WNOHANG) == m_child) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(m_child, SIGKILL);
    ::waitpid(m_child, nullptr, 0);
}

void LiveSource::attach(std::string path) {
    m_path = std::move(path);
    m_reader = std::make_unique<sim::LiveTraceReader>(m_path);
    m_trace.clear();
    updateStatus();
}

bool LiveSource::startServer(std::vector<std::string> args, const std::string& mailsim, std::string& error) {
#ifdef __EMSCRIPTEN__
    // The page (issue #15) has no processes and no sockets.
    (void)args;
    (void)mailsim;
    error = tr(S::LiveNeedsDesktop);
    return false;
#else
    char dirTemplate[] = "/tmp/mailsim-gui-XXXXXX";
    if (!::mkdtemp(dirTemplate)) {
        error = std::string("cannot create a temporary directory: ") + std::strerror(errno);
        return false;
    }
    m_dir = dirTemplate;
    const bool hasMaildir = std::ranges::find(args, "--maildir") != args.end();
    const bool hasListener = std::ranges::any_of(args, [](const std::string& a) {
        return a == "--smtp" || a == "--submission" || a == "--pop3" || a == "--imap" || a == "--smtps" ||
               a == "--pop3s" || a == "--imaps";
    });
    if (!hasListener)
        args.insert(args.begin(), {"--smtp", "127.0.0.1:2525", "--pop3", "127.0.0.1:1100", "--imap", "127.0.0.1:1430"});
    if (!hasMaildir) args.insert(args.end(), {"--maildir", m_dir + "/maildir"});
    const std::string tracePath = m_dir + "/trace.jsonl";
    args.insert(args.end(), {"--trace-out", tracePath, "--ready-file", m_dir + "/ready.json"});
    const std::string logPath = m_dir + "/serve.log";
    const std::string program = mailsim.empty() ? findMailsimProgram(std::filesystem::read_symlink("/proc/self/exe").string())
                                                : mailsim;
    std::vector<std::string> argv{program, "serve"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);

    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        error = std::string("cannot start mailsim serve: ") + std::strerror(errno);
        return false;
    }
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(127);  // the GUI is already gone
        int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (log >= 0) {
            ::dup2(log, STDOUT_FILENO);
            ::dup2(log, STDERR_FILENO);
        }
        int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, STDIN_FILENO);
        ::execvp(cargv[0], cargv.data());
        const std::string msg = std::string("cannot run ") + cargv[0] + ": " + std::strerror(errno) + "\n";
        [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg.data(), msg.size());
        ::_exit(127);
    }
    m_child = pid;
    printError(say(hasMaildir ? S::ServeStartedFmt : S::ServeStartedMaildirFmt, static_cast<int>(pid), m_dir.c_str()));
    attach(tracePath);
    return true;
#endif
}

void LiveSource::reread() {
    if (!m_reader) return;
    m_reader = std::make_unique<sim::LiveTraceReader>(m_path);
    m_trace.clear();
}

bool LiveSource::poll() {
    if (!m_reader) return false;
    bool changed = false;
    if (m_reader->grown() || m_trace.size() == 0) {
        const auto p = m_reader->poll(m_trace);
        changed = p.appended > 0 || p.restarted;
    }
    const std::string before = m_status;
    updateStatus();
    return changed || m_status != before;
}

void LiveSource::updateStatus() {
    if (m_child > 0) {
        int status = 0;
        if (::waitpid(m_child, &status, WNOHANG) == m_child) {
            m_child = -1;
            char said[160];  // in the UI language when it happened (Strings.hpp)
            if (WIFEXITED(status)) std::snprintf(said, sizeof said, tr(S::LiveExitedFmt), WEXITSTATUS(status));
            else std::snprintf(said, sizeof said, tr(S::LiveSignalFmt), WTERMSIG(status));
            m_exited = said;
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                std::ifstream log(m_dir + "/serve.log");  // why it failed: the log's last line that is not a session's
                std::string line, last;
                while (std::getline(log, line))
                    if (!line.empty() && !line.starts_with("[")) last = line;
                if (!last.empty()) m_exited += ": " + last;
            }
        }
        if (m_listening.empty()) {
            // The machine channel (sim/tools/ServeReady.hpp), not the log's `listening` lines (in the server's language).
            if (auto ready = sim::readReadyFile(m_dir + "/ready.json")) {
                const bool hosts = std::ranges::any_of(ready->listeners, [&](const sim::ReadyListener& l) {
                    return l.host != ready->listeners.front().host;
                });
                for (const auto& l : ready->listeners)
                    m_listening += (m_listening.empty() ? "" : ", ") + (hosts ? l.host + " " : std::string()) +
                                   l.service + " " + l.endpoint();
            }
        }
    }
    m_status = m_path;
    if (!m_listening.empty()) m_status += "  |  " + m_listening;
    if (!m_exited.empty()) m_status += "  |  " + m_exited;
    if (m_reader && m_reader->refused()) m_status += "  |  " + m_reader->refusedText(uiLang());
    if (m_reader && m_reader->badLines() > 0) {
        char bad[96];
        std::snprintf(bad, sizeof bad, tr(S::LiveBadLinesFmt), m_reader->badLines());
        m_status += "  |  ";
        m_status += bad;
    }
}

}  // namespace mailsim::gui
