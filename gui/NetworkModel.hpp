// The network map's data: the scenario's hosts, the links between hosts that talked, and what is true of them at
// the cursor (open connections, the latest relay hop per link, MTA queues with their next-retry times, hosts and
// links that are down, the latest DNS question and answer), derived from the trace alone, without ImGui.
//
// Contract
// - Hosts come from the trace's typed fields (the RunResult has no host list): each session's client and server
//   (port dropped, with the address from SessionInfo's endpoints), RelayHop's from/to, QueueAction's and DNS events'
//   host, and a Fault's host. Roles: an MTA queued something (QueueAction) or relayed (RelayHop from it); a gateway
//   handed a message over (a Handover event in its session); a mail server served a session; anything else is a
//   client. One extra node "DNS" stands for the resolver when any DnsQuery exists.
// - Everything that changes along the trace is stored as rows (the cursor's unit, as in Mailboxes.hpp): intervals
//   [from, to) for open sessions, queue entries and down periods, and ascending row lists for hops, lines and DNS
//   events. at(k) answers with binary searches per host/link and one pass over the intervals that started at or
//   before k (sorted by start, so the pass stops at the first later one); nothing scans the events again. Stepping
//   the cursor back undoes everything, because nothing is folded destructively.
// - The layout is deterministic, in unit coordinates (0..1 both ways): clients that submit mail on the left, then the
//   servers in relay order (a server that receives a relay hop from layer L is in layer L+1), clients that only read
//   mail from a later server on the right, the DNS node at the top above the first column. Hosts of a layer are spread evenly
//   from top to bottom in order of first appearance.
#pragma once

#include "trace/Trace.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::gui {

enum class HostRole : std::uint8_t { Client, MailServer, Mta, Gateway, Dns };

// [from, to): rows where something holds; `to` = kOpenEnd while it never ended.
struct RowSpan {
    std::size_t from = 0;
    std::size_t to = ~std::size_t{0};
    bool contains(std::size_t k) const { return from <= k && k < to; }
};

struct NetHost {
    std::string name;
    std::string address;      // "10.0.0.2", or "" when the trace never said
    HostRole role = HostRole::Client;
    std::size_t firstRow = 0;
    int layer = 0;            // column of the layout
    float x = 0.5f, y = 0.5f; // layout position, unit coordinates
    std::vector<RowSpan> down;      // powered off (or crashed for a while), ascending
    std::vector<RowSpan> linkDown;  // its network link is down, ascending
    // Only on the DNS node: the DnsQuery and DnsAnswer rows and events, ascending.
    std::vector<std::size_t> queryRows, answerRows;
    std::vector<trace::EventId> queryEvents, answerEvents;
};

// A pair of hosts that talked (a session, a relay hop or a DNS query), unordered: a < b.
struct NetLink {
    std::uint16_t a = 0, b = 0;
    std::size_t firstRow = 0;
    std::vector<std::size_t> hopRows;          // RelayHop rows on this link, ascending
    std::vector<trace::EventId> hopEvents;
    std::vector<trace::ConnectFailure> hopFailures;  // per hop: why its connection could not be made (None: it came up)
};

struct NetSession {
    trace::SessionId id = trace::kNoSession;
    std::uint16_t client = 0, server = 0, link = 0;
    std::string protocol;
    RowSpan open;                              // from ConnectionOpened to ConnectionClosed
    std::vector<std::size_t> lineRows;         // its Line rows, ascending
    std::vector<trace::EventId> lineEvents;
    trace::EventId tlsEvent = trace::kNoCause; // the (last) TlsHandshake of the session
    std::size_t tlsRow = ~std::size_t{0};
};

enum class QueueStatus : std::uint8_t { Queued, InFlight, Deferred, Delivered, Bounced };

struct QueueStep {
    std::size_t row = 0;
    trace::EventId event = trace::kNoCause;
    QueueStatus status = QueueStatus::Queued;
    trace::Micros nextRetry = -1;  // virtual µs of the next retry, -1 when none
};

struct QueueEntry {
    std::uint16_t host = 0;
    std::string id;                // the queue id ("Q1")
    std::string messageId;         // "<...@...>" when the message had one
    RowSpan alive;                 // enqueued .. removed (or lost in a crash)
    std::vector<QueueStep> steps;  // ascending rows
};

// What the map draws at one cursor position; caller-owned and reused (cleared, capacity kept).
struct NetworkAt {
    struct Host {
        bool down = false, linkDown = false;
        trace::EventId lastDnsQuery = trace::kNoCause, lastDnsAnswer = trace::kNoCause;
    };
    struct Link {
        bool talked = false;                     // firstRow <= k
        trace::EventId lastHop = trace::kNoCause;
        std::size_t lastHopRow = 0;
        trace::ConnectFailure lastHopFailure = trace::ConnectFailure::None;  // the map draws a failed hop as an error
    };
    struct Open {
        std::size_t session = 0;                 // index into NetworkModel::sessions()
        trace::EventId lastLine = trace::kNoCause;
        bool tls = false;                        // its TLS handshake has happened
        // SMTP carries a message from client to server: how far along the link it is at the cursor, in (0, 1]
        // (the session's lines so far over all its lines), so the map shows it moving hop by hop. 0 for POP3/IMAP.
        float progress = 0.0f;
    };
    struct Queued {
        std::size_t entry = 0;                   // index into NetworkModel::queue()
        QueueStep step;                          // its status at the cursor
    };
    std::vector<Host> hosts;
    std::vector<Link> links;
    std::vector<Open> open;
    std::vector<Queued> queued;
    void clear() { hosts.clear(); links.clear(); open.clear(); queued.clear(); }
};

class NetworkModel {
public:
    // Called once per trace, then observe() with every event in order and the row the cursor is on once it happened.
    void start(const trace::Trace& trace);
    void observe(const trace::Event& e, std::size_t row);
    // After the last event: roles and layout. A growing trace calls it again after each extension: it only derives
    // roles and positions from what observe() gathered, so calling it again is safe.
    void finish();

    const std::vector<NetHost>& hosts() const { return m_hosts; }
    const std::vector<NetLink>& links() const { return m_links; }
    const std::vector<NetSession>& sessions() const { return m_sessions; }
    const std::vector<QueueEntry>& queue() const { return m_queue; }
    bool hasDns() const { return m_dns != kNone; }
    std::uint16_t dnsHost() const { return m_dns; }
    int layers() const { return m_layers; }
    // The host called `name` (port dropped), or kNone.
    std::uint16_t find(std::string_view name) const;

    // Fills `out` with the state at row `k`.
    void at(std::size_t k, NetworkAt& out) const;

    static constexpr std::uint16_t kNone = 0xffff;

private:
    void observeOpened(const trace::Event& e, std::size_t row);
    void observeDns(const trace::Event& e, std::size_t row);
    void observeHop(const trace::Event& e, std::size_t row);
    void observeQueue(const trace::Event& e, const trace::QueueAction& q, std::size_t row);
    void observeFault(const trace::Event& e, std::size_t row);
    std::uint16_t hostOf(std::string_view name, std::size_t row);
    std::uint16_t linkOf(std::uint16_t a, std::uint16_t b, std::size_t row);
    void spanStart(std::vector<RowSpan>& spans, std::size_t row);
    void spanEnd(std::vector<RowSpan>& spans, std::size_t row);

    const trace::Trace* m_trace = nullptr;
    std::vector<NetHost> m_hosts;
    std::vector<NetLink> m_links;
    std::vector<NetSession> m_sessions;          // in order of ConnectionOpened (ascending open.from)
    std::vector<std::size_t> m_sessionIndex;     // per session id: index into m_sessions, or ~0
    std::vector<QueueEntry> m_queue;             // in order of enqueueing (ascending alive.from)
    std::vector<bool> m_mta, m_served, m_gateway;
    std::vector<std::pair<std::uint16_t, std::uint16_t>> m_relayEdges;  // directed, unique: from -> to
    std::vector<std::pair<std::string, std::size_t>> m_liveQueue;      // "host id" -> entry index, while alive
    std::uint16_t m_dns = kNone;
    int m_layers = 1;
};

// The map's label layout (issue #14: no label over another or over a host), in pixels, without ImGui.
struct MapRect {
    float x0 = 0.0f, y0 = 0.0f, x1 = 0.0f, y1 = 0.0f;
    bool intersects(const MapRect& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
    bool inside(const MapRect& o) const { return x0 >= o.x0 && y0 >= o.y0 && x1 <= o.x1 && y1 <= o.y1; }
};
struct MapLabel {
    float anchorX = 0.0f, anchorY = 0.0f;  // what it labels (an edge's midpoint)
    float w = 0.0f, h = 0.0f;              // its plate's size
    MapRect placed;                        // where it went
    bool shown = false;                    // false: no free place (the panel shows it on hover only)
};
// Places the labels in order (earlier ones win): each at the first candidate near its anchor (above it first, then
// below, then shifted sideways, `step` pixels apart, up to 8 steps away) that lies in `bounds` and intersects no
// obstacle (host boxes, queue boxes, texts) and no label placed before it. A label wider than `bounds` is narrowed to
// it (the panel elides the text).
void placeLabels(std::span<MapLabel> labels, std::span<const MapRect> obstacles, MapRect bounds, float step);

// Search helpers shared with the view model: the last element of ascending `rows` at or before k (npos when none).
std::size_t lastAtOrBefore(const std::vector<std::size_t>& rows, std::size_t k);

std::string_view toString(HostRole role);

}  // namespace mailsim::gui
