// The virtual network: hosts with names and addresses, and TCP-like byte streams between them.
//
// Contract
// - A VirtualConnection is a reliable, ordered byte stream in each direction, as TCP is: what one side sends
//   arrives at the other side in order, after the link latency, and never out of order or duplicated.
// - Like TCP, it keeps no message boundaries: each `send` is cut into segments of random size (seeded), and
//   segments that arrive at the same virtual time are handed over together. So a parser reading from it sees half
//   lines, several lines at once, and a command glued to the start of the next one — the cases that break naive
//   line readers. `LinkConfig::split = false` turns the cutting off (one send = one segment).
// - Segment loss (`LinkConfig::segmentLoss`, a per-link `loss` in a scenario): each segment is lost with that
//   probability (seeded). TCP retransmits it after a retransmission timeout (RTO: 200 ms, doubled for every further
//   loss of the same segment, RFC 6298 5.5), so a lost segment arrives late but complete and in order - the bytes
//   after it wait for it, as a receiver's TCP holds them back. A loss shows as delay plus a trace note (onLoss).
// - `close(side)` is a FIN: it reaches the peer after every byte sent before it. Bytes sent after close are dropped.
// - Callbacks run inside scheduler actions; they may send, close or schedule more work.
#pragma once

#include "sim/net/Scheduler.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>
#include <string>
#include <string_view>

namespace mailsim::sim {

struct VirtualHost {
    std::string name;     // e.g. "mail.cesoo.com"
    std::string address;  // IPv4, e.g. "10.0.0.2"
};

struct LinkConfig {
    trace::Micros latency = 5'000;  // one way
    std::size_t maxSegment = 64;    // largest segment when splitting
    bool split = true;
    double loss = 0.0;              // probability that a connection attempt is lost (seeded; the client retries later)
    double segmentLoss = 0.0;       // probability that a segment is lost (seeded; TCP retransmits it after the RTO)
    trace::Micros rto = 200'000;    // the first retransmission timeout; doubled per further loss of one segment
};

inline constexpr int kMaxRetransmissions = 8;  // a segment is lost at most this often (then it gets through)

// Per-link settings between two hosts (both directions), over the network-wide LinkConfig.
struct LinkSpec {
    std::string a, b;
    std::optional<trace::Micros> latency;
    std::optional<double> loss;  // per segment
};

class VirtualConnection : public std::enable_shared_from_this<VirtualConnection> {
public:
    enum Side : int { Client = 0, Server = 1 };
    using Receiver = std::function<void(std::string_view bytes)>;
    using CloseHandler = std::function<void()>;
    // A segment from `from` was lost `losses` times; called when TCP retransmits it for the last time, `waited`
    // after it was first sent.
    using LossHandler = std::function<void(Side from, std::size_t bytes, int losses, trace::Micros waited)>;

    VirtualConnection(Scheduler& scheduler, LinkConfig link) : m_sched(scheduler), m_link(link) {}

    void onReceive(Side side, Receiver receiver) { m_sides[side].receiver = std::move(receiver); }
    void onClose(Side side, CloseHandler handler) { m_sides[side].closeHandler = std::move(handler); }
    void onLoss(LossHandler handler) { m_lossHandler = std::move(handler); }
    const LinkConfig& link() const { return m_link; }
    std::uint64_t segmentsLost() const { return m_segmentsLost; }

    void send(Side from, std::string_view bytes);
    void close(Side from);
    // A TCP reset (a host crashed, a link failed): bytes in flight are lost and both sides see the connection end now.
    void reset();
    bool isReset() const { return m_reset; }
    bool closedBy(Side side) const { return m_sides[side].finSent; }
    // True once both sides have closed or the peer's FIN reached `side`.
    bool peerClosed(Side side) const { return m_sides[side].finReceived; }

private:
    struct Segment {
        trace::Micros arrival;
        std::string bytes;
    };
    struct SideState {
        Receiver receiver;
        CloseHandler closeHandler;
        std::deque<Segment> inbound;      // segments in flight towards this side
        trace::Micros lastArrival = 0;    // arrival time of the last segment towards this side
        bool finSent = false;
        bool finReceived = false;
    };
    void deliver(Side to);

    Scheduler& m_sched;
    LinkConfig m_link;
    SideState m_sides[2];
    LossHandler m_lossHandler;
    std::uint64_t m_segmentsLost = 0;
    bool m_reset = false;
};

class VirtualNetwork {
public:
    explicit VirtualNetwork(Scheduler& scheduler) : m_sched(scheduler) {}

    // Adds a host; an empty address gets the next free 10.0.0.x.
    const VirtualHost& addHost(std::string name, std::string address = {});
    const VirtualHost* findHost(std::string_view name) const;
    const std::deque<VirtualHost>& hosts() const { return m_hosts; }

    void setLink(LinkConfig link) { m_link = link; }
    const LinkConfig& link() const { return m_link; }
    // Per-link settings between two hosts (both directions); a later entry for the same pair overrides.
    void setLinks(std::vector<LinkSpec> links) { m_links = std::move(links); }
    // The settings of the link between two hosts: the network's, with the per-link latency and loss over them.
    LinkConfig linkBetween(std::string_view from, std::string_view to) const;
    std::shared_ptr<VirtualConnection> connect() {
        return std::make_shared<VirtualConnection>(m_sched, m_link);
    }
    std::shared_ptr<VirtualConnection> connect(std::string_view from, std::string_view to) {
        return std::make_shared<VirtualConnection>(m_sched, linkBetween(from, to));
    }
    // A client port number for a new connection (49152 upwards, as ephemeral ports are).
    int nextEphemeralPort() { return m_nextPort++; }

private:
    Scheduler& m_sched;
    LinkConfig m_link;
    std::vector<LinkSpec> m_links;
    std::deque<VirtualHost> m_hosts;  // deque: references stay valid
    int m_nextAddress = 1;
    int m_nextPort = 49152;
};

}  // namespace mailsim::sim
