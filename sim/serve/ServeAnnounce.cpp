#include "sim/serve/ServeAnnounce.hpp"

#include "sim/serve/ServeText.hpp"

#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace mailsim::sim {

ReadyInfo readyInfoOf(const std::vector<Listener>& listeners) {
    ReadyInfo info;
    info.pid = static_cast<long>(::getpid());
    for (const Listener& l : listeners) {
        ReadyListener r;
        r.host = l.host ? l.host->name : std::string();
        r.service = l.name;
        r.protocol = l.protocol;
        r.address = l.address;
        r.port = l.port;
        r.implicitTls = l.implicitTls;
        r.submission = l.submission;
        r.starttls = !l.implicitTls && l.host && l.host->tls;
        info.listeners.push_back(std::move(r));
    }
    return info;
}

ReadyAnnouncer::ReadyAnnouncer(std::string path) : m_path(std::move(path)) {
    if (!m_path.empty()) std::remove(m_path.c_str());
}

ReadyAnnouncer::~ReadyAnnouncer() {
    if (m_written) std::remove(m_path.c_str());
}

std::expected<void, std::string> ReadyAnnouncer::announce(const std::vector<Listener>& listeners, i18n::Lang lang) {
    for (const Listener& l : listeners) {
        // fwrite, not fmt::print: a closed stdout (`mailsim serve | head`) must not throw.
        const std::string line = serveSay(lang, ServeText::Listening, l.label, l.text) + "\n";
        std::fwrite(line.data(), 1, line.size(), stdout);
    }
    std::fflush(stdout);
    if (m_path.empty()) return {};
    if (auto w = writeReadyFile(m_path, readyInfoOf(listeners)); !w)
        return std::unexpected(serveSay(lang, ServeText::ReadyFile, m_path, std::strerror(w.error())));
    m_written = true;
    return {};
}

}  // namespace mailsim::sim
