#include "NetworkModel.hpp"

#include <algorithm>
#include <deque>

namespace mailsim::gui {
namespace {

constexpr std::size_t kNpos = ~std::size_t{0};

std::string_view hostPart(std::string_view endpoint) {
    // "mail.cesoo.com:25" -> "mail.cesoo.com"; "[::1]:25" -> "::1"; a bare IPv6 address stays as it is.
    if (!endpoint.empty() && endpoint.front() == '[') {
        auto close = endpoint.find(']');
        return close == std::string_view::npos ? endpoint : endpoint.substr(1, close - 1);
    }
    auto colon = endpoint.rfind(':');
    if (colon == std::string_view::npos || endpoint.find(':') != colon) return endpoint;
    return endpoint.substr(0, colon);
}

template <typename Events>
trace::EventId lastEventAt(const std::vector<std::size_t>& rows, const Events& events, std::size_t k) {
    std::size_t i = lastAtOrBefore(rows, k);
    return i == kNpos ? trace::kNoCause : events[i];
}

bool inSpans(const std::vector<RowSpan>& spans, std::size_t k) {
    auto it = std::upper_bound(spans.begin(), spans.end(), k, [](std::size_t v, const RowSpan& s) { return v < s.from; });
    return it != spans.begin() && (it - 1)->contains(k);
}

}  // namespace

std::size_t lastAtOrBefore(const std::vector<std::size_t>& rows, std::size_t k) {
    auto it = std::upper_bound(rows.begin(), rows.end(), k);
    return it == rows.begin() ? kNpos : static_cast<std::size_t>(it - rows.begin()) - 1;
}

std::string_view toString(HostRole role) {
    switch (role) {
    case HostRole::Client: return "client";
    case HostRole::MailServer: return "mail server";
    case HostRole::Mta: return "MTA";
    case HostRole::Gateway: return "gateway";
    case HostRole::Dns: return "DNS";
    }
    return "client";
}

std::uint16_t NetworkModel::find(std::string_view name) const {
    const std::string_view host = hostPart(name);
    for (std::size_t i = 0; i < m_hosts.size(); ++i)
        if (m_hosts[i].name == host) return static_cast<std::uint16_t>(i);
    return kNone;
}

std::uint16_t NetworkModel::hostOf(std::string_view name, std::size_t row) {
    if (std::uint16_t h = find(name); h != kNone) return h;
    if (m_hosts.size() >= kNone - 1) return static_cast<std::uint16_t>(m_hosts.size() - 1);  // absurd; stay in range
    NetHost h;
    h.name = std::string(hostPart(name));
    h.firstRow = row;
    m_hosts.push_back(std::move(h));
    m_mta.push_back(false);
    m_served.push_back(false);
    m_gateway.push_back(false);
    return static_cast<std::uint16_t>(m_hosts.size() - 1);
}

std::uint16_t NetworkModel::linkOf(std::uint16_t a, std::uint16_t b, std::size_t row) {
    if (a > b) std::swap(a, b);
    for (std::size_t i = 0; i < m_links.size(); ++i)
        if (m_links[i].a == a && m_links[i].b == b) return static_cast<std::uint16_t>(i);
    NetLink l;
    l.a = a;
    l.b = b;
    l.firstRow = row;
    m_links.push_back(std::move(l));
    return static_cast<std::uint16_t>(m_links.size() - 1);
}

void NetworkModel::spanStart(std::vector<RowSpan>& spans, std::size_t row) {
    if (!spans.empty() && spans.back().to == kNpos) return;  // already down
    if (!spans.empty() && spans.back().to == row) {          // up and down again at the same row: one span
        spans.back().to = kNpos;
        return;
    }
    spans.push_back(RowSpan{row, kNpos});
}

void NetworkModel::spanEnd(std::vector<RowSpan>& spans, std::size_t row) {
    if (spans.empty() || spans.back().to != kNpos) return;
    if (spans.back().from == row) spans.pop_back();  // down and up within one row: never visible
    else spans.back().to = row;
}

void NetworkModel::start(const trace::Trace& trace) {
    *this = NetworkModel{};
    m_trace = &trace;
    m_sessionIndex.assign(trace.sessions().size() + 1, kNpos);
}

void NetworkModel::observe(const trace::Event& e, std::size_t row) {
    using trace::EventKind;
    if (e.session != trace::kNoSession && e.session >= m_sessionIndex.size())
        m_sessionIndex.resize(e.session + 1, kNpos);  // a session opened after start() (a growing trace)
    NetSession* session = nullptr;
    if (e.session != trace::kNoSession && m_sessionIndex[e.session] != kNpos) session = &m_sessions[m_sessionIndex[e.session]];
    switch (e.kind) {
    case EventKind::ConnectionOpened: observeOpened(e, row); break;
    case EventKind::ConnectionClosed:
        if (session && session->open.to == kNpos) session->open.to = std::max(row, session->open.from);
        break;
    case EventKind::Line:
        if (session) {
            session->lineRows.push_back(row);
            session->lineEvents.push_back(e.id);
        }
        break;
    case EventKind::TlsHandshake:
        if (session && e.ok) {
            session->tlsEvent = e.id;
            session->tlsRow = row;
        }
        break;
    case EventKind::Handover:
        if (session) m_gateway[session->server] = true;
        break;
    case EventKind::DnsQuery:
    case EventKind::DnsAnswer: observeDns(e, row); break;
    case EventKind::RelayHop: observeHop(e, row); break;
    case EventKind::QueueAction:
        if (const auto* q = e.as<trace::QueueAction>(); q && !q->host.empty()) observeQueue(e, *q, row);
        break;
    case EventKind::FaultInjected: observeFault(e, row); break;
    default: break;
    }
}

void NetworkModel::observeOpened(const trace::Event& e, std::size_t row) {
    const trace::SessionInfo* info = m_trace ? m_trace->session(e.session) : nullptr;
    if (!info || e.session >= m_sessionIndex.size() || m_sessionIndex[e.session] != kNpos) return;
    NetSession s;
    s.id = e.session;
    s.protocol = info->protocol;
    s.client = hostOf(info->client, row);
    s.server = hostOf(info->server, row);
    s.link = linkOf(s.client, s.server, row);
    s.open.from = row;
    m_served[s.server] = true;
    if (NetHost& c = m_hosts[s.client]; c.address.empty()) c.address = info->clientEndpoint.address;
    if (NetHost& v = m_hosts[s.server]; v.address.empty()) v.address = info->serverEndpoint.address;
    m_sessionIndex[e.session] = m_sessions.size();
    m_sessions.push_back(std::move(s));
}

void NetworkModel::observeDns(const trace::Event& e, std::size_t row) {
    const auto* q = e.as<trace::DnsQuery>();
    const auto* a = e.as<trace::DnsAnswer>();
    const std::string empty;
    const std::string& who = q ? q->host : a ? a->host : empty;
    const std::uint16_t asking = who.empty() ? kNone : hostOf(who, row);
    if (m_dns == kNone) {
        m_dns = hostOf("DNS", row);
        m_hosts[m_dns].role = HostRole::Dns;
    }
    if (asking != kNone) linkOf(asking, m_dns, row);
    NetHost& d = m_hosts[m_dns];
    if (e.kind == trace::EventKind::DnsQuery) {
        d.queryRows.push_back(row);
        d.queryEvents.push_back(e.id);
    } else {
        d.answerRows.push_back(row);
        d.answerEvents.push_back(e.id);
    }
}

void NetworkModel::observeHop(const trace::Event& e, std::size_t row) {
    const auto* hop = e.as<trace::RelayHop>();
    if (!hop || hop->from.empty() || hop->to.empty()) return;
    const std::uint16_t from = hostOf(hop->from, row), to = hostOf(hop->to, row);
    m_mta[from] = true;
    NetLink& l = m_links[linkOf(from, to, row)];
    l.hopRows.push_back(row);
    l.hopEvents.push_back(e.id);
    l.hopFailures.push_back(hop->failure);
    if (from != to && std::ranges::find(m_relayEdges, std::pair{from, to}) == m_relayEdges.end())
        m_relayEdges.emplace_back(from, to);
}

void NetworkModel::observeQueue(const trace::Event& e, const trace::QueueAction& q, std::size_t row) {
    const std::uint16_t host = hostOf(q.host, row);
    m_mta[host] = true;
    if (q.action == trace::QueueOp::Lost) {  // a crash of an in-memory queue: every entry of the host ends
        for (auto it = m_liveQueue.begin(); it != m_liveQueue.end();) {
            QueueEntry& entry = m_queue[it->second];
            if (entry.host != host) { ++it; continue; }
            entry.alive.to = std::max(row, entry.alive.from);
            it = m_liveQueue.erase(it);
        }
        return;
    }
    if (q.queueId.empty()) return;
    std::string key = q.host;
    key += ' ';
    key += q.queueId;
    auto live = std::ranges::find_if(m_liveQueue, [&](const auto& p) { return p.first == key; });
    if (q.action == trace::QueueOp::Enqueued) {
        if (live != m_liveQueue.end()) {  // an id reused while alive: end the old entry
            m_queue[live->second].alive.to = row;
            m_liveQueue.erase(live);
        }
        QueueEntry entry;
        entry.host = host;
        entry.id = q.queueId;
        entry.messageId = q.messageId;
        entry.alive.from = row;
        entry.steps.push_back(QueueStep{row, e.id, QueueStatus::Queued, -1});
        m_liveQueue.emplace_back(std::move(key), m_queue.size());
        m_queue.push_back(std::move(entry));
        return;
    }
    if (live == m_liveQueue.end()) return;
    QueueEntry& entry = m_queue[live->second];
    QueueStep step{row, e.id, entry.steps.back().status, entry.steps.back().nextRetry};
    switch (q.action) {
    case trace::QueueOp::Attempt: step.status = QueueStatus::InFlight; step.nextRetry = -1; break;
    case trace::QueueOp::Delivered: step.status = QueueStatus::Delivered; break;
    case trace::QueueOp::Bounced:
    case trace::QueueOp::BounceDropped: step.status = QueueStatus::Bounced; break;
    case trace::QueueOp::Deferred:
        step.status = QueueStatus::Deferred;
        if (q.nextRetry) step.nextRetry = *q.nextRetry;
        break;
    case trace::QueueOp::Removed:
        entry.alive.to = std::max(row, entry.alive.from);
        m_liveQueue.erase(live);
        break;
    default: return;  // reloaded, abandoned...: no change of status
    }
    entry.steps.push_back(step);
}

void NetworkModel::observeFault(const trace::Event& e, std::size_t row) {
    const auto* f = e.as<trace::Fault>();
    if (!f || f->host.empty() || f->kind == trace::FaultKind::ConnectionReset) return;  // a reset closes by itself
    if (f->kind == trace::FaultKind::Crash && !f->until) return;  // crashes and restarts at once: never down
    NetHost& h = m_hosts[hostOf(f->host, row)];
    switch (f->kind) {
    case trace::FaultKind::HostDown:
    case trace::FaultKind::Crash: spanStart(h.down, row); break;
    case trace::FaultKind::HostUp: spanEnd(h.down, row); break;
    case trace::FaultKind::LinkDown: spanStart(h.linkDown, row); break;
    case trace::FaultKind::LinkUp: spanEnd(h.linkDown, row); break;
    case trace::FaultKind::ConnectionReset: break;
    }
}

void NetworkModel::finish() {
    const std::size_t n = m_hosts.size();
    for (std::size_t i = 0; i < n; ++i) {
        NetHost& h = m_hosts[i];
        if (h.role == HostRole::Dns) continue;
        h.role = m_gateway[i] ? HostRole::Gateway
                 : m_mta[i]   ? HostRole::Mta
                 : m_served[i] ? HostRole::MailServer
                               : HostRole::Client;
    }
    // Layers: servers in relay order (breadth-first from the servers no relay hop reaches), clients beside them.
    auto isServer = [&](std::size_t i) {
        return m_hosts[i].role != HostRole::Client && m_hosts[i].role != HostRole::Dns;
    };
    std::vector<int> layer(n, -1);
    std::deque<std::size_t> todo;
    for (std::size_t i = 0; i < n; ++i) {
        if (!isServer(i)) continue;
        const bool reached = std::ranges::any_of(m_relayEdges, [&](const auto& e) { return e.second == i && e.first != i; });
        if (!reached) {
            layer[i] = 1;
            todo.push_back(i);
        }
    }
    auto bfs = [&] {
        while (!todo.empty()) {
            const std::size_t i = todo.front();
            todo.pop_front();
            for (const auto& [from, to] : m_relayEdges)
                if (from == i && layer[to] < 0) {
                    layer[to] = layer[i] + 1;
                    todo.push_back(to);
                }
        }
    };
    bfs();
    for (std::size_t i = 0; i < n; ++i)  // servers on a loop no source reaches: start there, in order of appearance
        if (layer[i] < 0 && (isServer(i) || std::ranges::any_of(m_relayEdges, [&](const auto& e) { return e.second == i; }))) {
            layer[i] = 1;
            todo.push_back(i);
            bfs();
        }
    int maxServer = 1;
    for (std::size_t i = 0; i < n; ++i) maxServer = std::max(maxServer, layer[i]);
    for (const NetSession& s : m_sessions) {
        if (layer[s.client] >= 0 && isServer(s.client)) continue;
        // A client that talks to a first-layer server (or submits by SMTP) is a sender, on the left; one that only
        // reads mail from a later server is a reader, on the right.
        const bool sender = s.protocol == "smtp" || layer[s.server] <= 1;
        if (sender) layer[s.client] = 0;
        else if (layer[s.client] != 0) layer[s.client] = maxServer + 1;
    }
    for (std::size_t i = 0; i < n; ++i)
        if (layer[i] < 0 && m_hosts[i].role != HostRole::Dns) layer[i] = 0;
    // Compress: drop empty columns.
    std::vector<int> used;
    for (std::size_t i = 0; i < n; ++i)
        if (m_hosts[i].role != HostRole::Dns && std::ranges::find(used, layer[i]) == used.end()) used.push_back(layer[i]);
    std::ranges::sort(used);
    m_layers = std::max<int>(static_cast<int>(used.size()), 1);
    std::vector<int> perLayer(used.size(), 0), placed(used.size(), 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (m_hosts[i].role == HostRole::Dns) continue;
        m_hosts[i].layer = static_cast<int>(std::ranges::find(used, layer[i]) - used.begin());
        ++perLayer[static_cast<std::size_t>(m_hosts[i].layer)];
    }
    const bool dns = m_dns != kNone;
    const float top = dns ? 0.36f : 0.0f;  // the DNS node has the top band to itself
    for (std::size_t i = 0; i < n; ++i) {
        NetHost& h = m_hosts[i];
        if (h.role == HostRole::Dns) {
            h.layer = -1;
            h.x = 0.5f / static_cast<float>(m_layers);  // above the first column: its texts run to the right
            h.y = 0.08f;
            continue;
        }
        const auto l = static_cast<std::size_t>(h.layer);
        h.x = (static_cast<float>(h.layer) + 0.5f) / static_cast<float>(m_layers);
        h.y = top + (1.0f - top) * (static_cast<float>(placed[l]) + 0.5f) / static_cast<float>(perLayer[l]);
        ++placed[l];
    }
}

void NetworkModel::at(std::size_t k, NetworkAt& out) const {
    out.clear();
    out.hosts.resize(m_hosts.size());
    for (std::size_t i = 0; i < m_hosts.size(); ++i) {
        const NetHost& h = m_hosts[i];
        NetworkAt::Host& o = out.hosts[i];
        o.down = inSpans(h.down, k);
        o.linkDown = inSpans(h.linkDown, k);
        o.lastDnsQuery = lastEventAt(h.queryRows, h.queryEvents, k);
        o.lastDnsAnswer = lastEventAt(h.answerRows, h.answerEvents, k);
    }
    out.links.resize(m_links.size());
    for (std::size_t i = 0; i < m_links.size(); ++i) {
        const NetLink& l = m_links[i];
        NetworkAt::Link& o = out.links[i];
        o.talked = l.firstRow <= k;
        if (std::size_t j = lastAtOrBefore(l.hopRows, k); j != kNpos) {
            o.lastHop = l.hopEvents[j];
            o.lastHopRow = l.hopRows[j];
            o.lastHopFailure = l.hopFailures[j];
        }
    }
    // Intervals sorted by start: stop at the first that starts after k.
    for (std::size_t i = 0; i < m_sessions.size() && m_sessions[i].open.from <= k; ++i) {
        const NetSession& s = m_sessions[i];
        if (!s.open.contains(k)) continue;
        NetworkAt::Open o{i, lastEventAt(s.lineRows, s.lineEvents, k), s.tlsRow <= k, 0.0f};
        if (s.protocol == "smtp" && !s.lineRows.empty()) {
            const std::size_t seen = static_cast<std::size_t>(std::upper_bound(s.lineRows.begin(), s.lineRows.end(), k) -
                                                              s.lineRows.begin());
            o.progress = static_cast<float>(std::max<std::size_t>(seen, 1)) / static_cast<float>(s.lineRows.size());
        }
        out.open.push_back(o);
    }
    for (std::size_t i = 0; i < m_queue.size() && m_queue[i].alive.from <= k; ++i) {
        const QueueEntry& q = m_queue[i];
        if (!q.alive.contains(k)) continue;
        auto it = std::upper_bound(q.steps.begin(), q.steps.end(), k,
                                   [](std::size_t v, const QueueStep& s) { return v < s.row; });
        out.queued.push_back(NetworkAt::Queued{i, it == q.steps.begin() ? q.steps.front() : *(it - 1)});
    }
}

void placeLabels(std::span<MapLabel> labels, std::span<const MapRect> obstacles, MapRect bounds, float step) {
    const float boundsW = bounds.x1 - bounds.x0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        MapLabel& l = labels[i];
        l.w = std::min(l.w, boundsW);
        l.shown = false;
        auto fits = [&](const MapRect& r) {
            if (!r.inside(bounds)) return false;
            for (const MapRect& o : obstacles)
                if (r.intersects(o)) return false;
            for (std::size_t j = 0; j < i; ++j)
                if (labels[j].shown && r.intersects(labels[j].placed)) return false;
            return true;
        };
        // Candidates: vertical offsets 0, -1, +1, -2, +2 ... steps from just above the anchor, each centred on it,
        // then half and a whole width to either side; x clamped into the bounds.
        for (int k = 0; k <= 16 && !l.shown; ++k) {
            const float dy = static_cast<float>((k + 1) / 2) * step * (k % 2 == 1 ? -1.0f : 1.0f);
            for (float shift : {0.0f, -0.5f, 0.5f, -1.0f, 1.0f}) {
                float x0 = l.anchorX - l.w * 0.5f + shift * l.w;
                x0 = std::clamp(x0, bounds.x0, std::max(bounds.x1 - l.w, bounds.x0));
                const float y0 = l.anchorY - l.h - step * 0.25f + dy;
                const MapRect r{x0, y0, x0 + l.w, y0 + l.h};
                if (fits(r)) {
                    l.placed = r;
                    l.shown = true;
                    break;
                }
            }
        }
    }
}

}  // namespace mailsim::gui
