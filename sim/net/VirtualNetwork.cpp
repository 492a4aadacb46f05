#include "sim/net/VirtualNetwork.hpp"

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
        if (m_link.segmentLoss > 0) {
            // Lost segments: TCP retransmits after the RTO, doubled per further loss (RFC 6298 5.5). The bytes that
            // follow wait for it (in order), since `lastArrival` only grows.
            int losses = 0;
            trace::Micros waited = 0;
            while (losses < kMaxRetransmissions &&
                   static_cast<double>(m_sched.uniform(0, 999'999)) < m_link.segmentLoss * 1'000'000) {
                waited += m_link.rto << losses;
                ++losses;
            }
            if (losses) {
                m_segmentsLost += static_cast<std::uint64_t>(losses);
                arrival = std::max(arrival, m_sched.now() + waited + m_link.latency);
                if (m_lossHandler)
                    m_sched.at(m_sched.now() + waited, [self = shared_from_this(), from, len, losses, waited] {
                        if (self->m_lossHandler && !self->m_reset) self->m_lossHandler(from, len, losses, waited);
                    });
            }
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

LinkConfig VirtualNetwork::linkBetween(std::string_view from, std::string_view to) const {
    LinkConfig link = m_link;
    for (const auto& l : m_links) {
        if (!((l.a == from && l.b == to) || (l.a == to && l.b == from))) continue;
        if (l.latency) link.latency = *l.latency;
        if (l.loss) link.segmentLoss = *l.loss;
    }
    return link;
}

const VirtualHost* VirtualNetwork::findHost(std::string_view name) const {
    auto it = std::ranges::find(m_hosts, name, &VirtualHost::name);
    return it == m_hosts.end() ? nullptr : &*it;
}

}  // namespace mailsim::sim
