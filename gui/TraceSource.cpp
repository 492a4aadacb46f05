#include "TraceSource.hpp"

#include <algorithm>

namespace mailsim::gui {
namespace {

bool sameEvent(const trace::Event& a, const trace::Event& b) {
    return a.id == b.id && a.time == b.time && a.kind == b.kind && a.session == b.session && a.text == b.text;
}

bool isPrefix(const trace::Trace& into, const trace::Trace& from) {
    if (into.size() > from.size() || into.sessions().size() > from.sessions().size()) return false;
    if (into.size() == 0) return true;
    // The first and the last event in common: a file that started over differs at one of them (O(1), not O(n)).
    return sameEvent(into.events().front(), from.events().front()) &&
           sameEvent(into.events().back(), from.events()[into.size() - 1]);
}

}  // namespace

std::optional<std::size_t> appendNew(trace::Trace& into, const trace::Trace& from, std::size_t upTo) {
    if (!isPrefix(into, from)) return std::nullopt;
    const std::size_t end = std::min(upTo, from.size());
    std::size_t sessions = from.sessions().size();
    if (end < from.size()) {  // only the sessions the events up to `end` name (ids are given in order)
        sessions = into.sessions().size();
        for (std::size_t i = into.size(); i < end; ++i)
            if (from.events()[i].session != trace::kNoSession) sessions = std::max<std::size_t>(sessions, from.events()[i].session);
    }
    for (std::size_t i = into.sessions().size(); i < sessions; ++i) {
        const trace::SessionInfo& s = from.sessions()[i];
        const trace::SessionId id = into.openSession(s.protocol, s.client, s.server, s.opened);
        into.setEndpoints(id, s.clientEndpoint, s.serverEndpoint);
    }
    const std::size_t before = into.size();
    for (std::size_t i = before; i < end; ++i) {
        const trace::Event& e = from.events()[i];
        // Trace::append marks a Line with its session's TLS state: give it the state the line was recorded in.
        if (e.kind == trace::EventKind::Line && e.session != trace::kNoSession) into.setTls(e.session, e.tls);
        into.append(e);
    }
    if (end == from.size())
        for (const trace::SessionInfo& s : from.sessions()) into.setTls(s.id, s.tls);
    return into.size() - before;
}

std::optional<std::size_t> appendNew(sim::RunResult& into, const sim::RunResult& from) {
    const std::size_t before = into.trace.size();
    auto added = appendNew(into.trace, from.trace);
    if (!added) return added;
    for (std::size_t i = into.failures.size(); i < from.failures.size(); ++i) into.failures.push_back(from.failures[i]);
    into.expectationsChecked = from.expectationsChecked;
    for (const auto& [id, text] : from.scenarioText)
        if (id >= before) into.scenarioText.emplace(id, text);
    return added;
}

}  // namespace mailsim::gui
