#include "VirtualNetwork.hpp"

#include <algorithm>

namespace mailsim::sim {

void VirtualConnection::send(Side from, std::string_view bytes) {
    if (bytes.empty() || m_sides[from].finSent) return;
    Side to = from == Client ? Server : Client;
    SideState& dst = m_sides[to];
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        std::size_t len = bytes.size() - pos;
        trace::Micros arrival = std::max(dst.lastArrival, m_sched.now() + m_link.latency);
        if (m_link.split) {
            // Half of the time the rest goes as one segment; otherwise a random cut. A segment either shares its
            // arrival time with the previous one (the receiver gets them merged) or comes a little later.
            if (m_sched.uniform(0, 1) == 0) len = std::min<std::size_t>(len, m_sched.uniform(1, m_link.maxSegment));
            if (m_sched.uniform(0, 2) == 0) arrival += static_cast<trace::Micros>(m_sched.uniform(1, 300));
        }
        dst.lastArrival = arrival;
        dst.inbound.push_back(Segment{arrival, std::string(bytes.substr(pos, len))});
        pos += len;
        m_sched.at(arrival, [self = shared_from_this(), to] { self->deliver(to); });
    }
}

void VirtualConnection::deliver(Side to) {
    SideState& dst = m_sides[to];
    std::string chunk;
    while (!dst.inbound.empty() && dst.inbound.front().arrival <= m_sched.now()) {
        chunk += dst.inbound.front().bytes;
        dst.inbound.pop_front();
    }
    if (!chunk.empty() && dst.receiver && !dst.finReceived) dst.receiver(chunk);
}

void VirtualConnection::close(Side from) {
    if (m_sides[from].finSent) return;
    m_sides[from].finSent = true;
    Side to = from == Client ? Server : Client;
    SideState& dst = m_sides[to];
    trace::Micros arrival = std::max(dst.lastArrival, m_sched.now() + m_link.latency);
    dst.lastArrival = arrival;
    m_sched.at(arrival, [self = shared_from_this(), to] {
        SideState& s = self->m_sides[to];
        self->deliver(to);
        if (s.finReceived) return;
        s.finReceived = true;
        if (s.closeHandler) s.closeHandler();
    });
}

void VirtualConnection::reset() {
    if (m_reset) return;
    m_reset = true;
    for (Side side : {Client, Server}) {
        SideState& s = m_sides[side];
        s.inbound.clear();
        s.finSent = true;
        if (s.finReceived) continue;
        s.finReceived = true;
        m_sched.at(m_sched.now(), [self = shared_from_this(), side] {
            if (self->m_sides[side].closeHandler) self->m_sides[side].closeHandler();
        });
    }
}

const VirtualHost& VirtualNetwork::addHost(std::string name, std::string address) {
    if (address.empty()) address = "10.0.0." + std::to_string(m_nextAddress++);
    m_hosts.push_back(VirtualHost{std::move(name), std::move(address)});
    return m_hosts.back();
}

const VirtualHost* VirtualNetwork::findHost(std::string_view name) const {
    auto it = std::ranges::find(m_hosts, name, &VirtualHost::name);
    return it == m_hosts.end() ? nullptr : &*it;
}

}  // namespace mailsim::sim
