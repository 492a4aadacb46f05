#include "SequenceLayout.hpp"

#include "NetworkModel.hpp"

#include <algorithm>
#include <cmath>

namespace mailsim::gui {
namespace {

std::string hostOf(const std::string& endpoint) {
    // "mail.cesoo.com:25" -> "mail.cesoo.com"; "[::1]:25" and bare IPv6 stay as they are unless bracketed.
    if (!endpoint.empty() && endpoint.front() == '[') {
        auto close = endpoint.find(']');
        return close == std::string::npos ? endpoint : endpoint.substr(1, close - 1);
    }
    auto colon = endpoint.rfind(':');
    if (colon == std::string::npos || endpoint.find(':') != colon) return endpoint;
    return endpoint.substr(0, colon);
}

}  // namespace

std::uint16_t SequenceModel::laneOf(const std::string& endpoint) {
    std::string host = hostOf(endpoint);
    for (std::size_t i = 0; i < m_lanes.size(); ++i)
        if (m_lanes[i] == host) return static_cast<std::uint16_t>(i);
    m_lanes.push_back(std::move(host));
    m_laneCounts.push_back(0);
    return static_cast<std::uint16_t>(m_lanes.size() - 1);
}

void SequenceModel::start(const trace::Trace& trace) {
    m_lanes.clear();
    m_items.clear();
    m_laneCounts.clear();
    m_items.reserve(trace.size());
    m_clientLane.assign(1, 0);
    m_serverLane.assign(1, 0);
    addSessions(trace);
}

void SequenceModel::addSessions(const trace::Trace& trace) {
    const std::size_t known = m_clientLane.size() - 1;  // sessions 1..known have their lanes
    m_clientLane.resize(trace.sessions().size() + 1, 0);
    m_serverLane.resize(trace.sessions().size() + 1, 0);
    for (std::size_t i = known; i < trace.sessions().size(); ++i) {
        const trace::SessionInfo& s = trace.sessions()[i];
        if (s.id >= m_clientLane.size()) continue;
        // A client on the server's own machine (loopback, `mailsim serve` followed live) gets a lane of its own.
        const std::string clientHost = hostOf(s.client);
        m_clientLane[s.id] = clientHost == hostOf(s.server) && !clientHost.empty() ? laneOf(clientHost + " (client)")
                                                                                   : laneOf(s.client);
        m_serverLane[s.id] = laneOf(s.server);
    }
}

void SequenceModel::observe(const trace::Event& e, bool checkFailed) {
    using trace::EventKind;
    const bool known = e.session != trace::kNoSession && e.session < m_clientLane.size();
    const std::uint16_t client = known ? m_clientLane[e.session] : 0;
    const std::uint16_t server = known ? m_serverLane[e.session] : 0;
    SeqItem item;
    switch (e.kind) {
    case EventKind::Line:
        if (e.direction == trace::Direction::ServerToClient) item = {SeqItemKind::ServerToClient, 0, server, client};
        else item = {SeqItemKind::ClientToServer, 0, client, server};
        if (e.tls) item.flags |= SeqItem::kTls;
        break;
    case EventKind::StateChanged: item = {SeqItemKind::State, 0, server, server}; break;
    case EventKind::StoreChanged: item = {SeqItemKind::Store, 0, server, server}; break;
    case EventKind::ConnectionOpened:
    case EventKind::ConnectionClosed: item = {SeqItemKind::Connection, 0, client, server}; break;
    case EventKind::Expectation: item = {checkFailed ? SeqItemKind::Error : SeqItemKind::Check, 0, client, client}; break;
    case EventKind::Error: item = {SeqItemKind::Error, 0, server, server}; break;
    case EventKind::Note:
    case EventKind::Handover: item = {SeqItemKind::Note, 0, 0, 0}; break;
    // Relay events belong to hosts rather than to one session: arrows and marks between the hosts' lanes.
    case EventKind::DnsQuery:
    case EventKind::DnsAnswer: {
        const auto* q = e.as<trace::DnsQuery>();
        const auto* a = e.as<trace::DnsAnswer>();
        const std::string* asking = q ? &q->host : a ? &a->host : nullptr;
        if (!asking || asking->empty()) {
            item = {SeqItemKind::Note, 0, 0, 0};
            break;
        }
        const std::uint16_t host = laneOf(*asking), dns = laneOf(kDnsLane);
        item = e.kind == EventKind::DnsQuery ? SeqItem{SeqItemKind::DnsQuery, 0, host, dns}
                                             : SeqItem{SeqItemKind::DnsAnswer, 0, dns, host};
        break;
    }
    case EventKind::QueueAction: {
        const auto* q = e.as<trace::QueueAction>();
        if (!q || q->host.empty()) item = {SeqItemKind::Note, 0, 0, 0};
        else item = {SeqItemKind::Queue, 0, laneOf(q->host), laneOf(q->host)};
        break;
    }
    case EventKind::RelayHop: {
        const auto* h = e.as<trace::RelayHop>();
        if (!h || h->from.empty() || h->to.empty()) item = {SeqItemKind::Note, 0, 0, 0};
        else item = {SeqItemKind::RelayHop, 0, laneOf(h->from), laneOf(h->to)};
        break;
    }
    case EventKind::FaultInjected: {  // on the lane of the host that failed or recovered (not for a connection reset)
        const auto* f = e.as<trace::Fault>();
        const bool onHost = f && !f->host.empty() && f->kind != trace::FaultKind::ConnectionReset &&
                            (f->kind != trace::FaultKind::Crash || f->until);
        const std::uint16_t lane = onHost ? laneOf(f->host) : 0;
        item = {SeqItemKind::Error, 0, lane, lane};
        break;
    }
    case EventKind::TlsHandshake: item = {e.ok ? SeqItemKind::TlsHandshake : SeqItemKind::Error, 0, client, server}; break;
    case EventKind::TlsRecords: item = {SeqItemKind::Connection, 0, client, server}; break;
    }
    if (item.kind != SeqItemKind::Note) {
        if (item.from < m_laneCounts.size()) ++m_laneCounts[item.from];
        if (item.to != item.from && item.to < m_laneCounts.size()) ++m_laneCounts[item.to];
    }
    m_items.push_back(item);
}

double timeAxisAdvance(double gapSeconds) { return 1.0 + 0.4 * std::log2(1.0 + std::max(gapSeconds, 0.0)); }

TimeAxis compressTime(std::span<const double> seconds, double idleGap) {
    TimeAxis axis;
    extendTime(axis, seconds, idleGap);
    return axis;
}

void extendTime(TimeAxis& axis, std::span<const double> seconds, double idleGap) {
    axis.positions.reserve(seconds.size());
    for (std::size_t i = axis.positions.size(); i < seconds.size(); ++i) {
        if (i == 0) {
            axis.positions.push_back(0.0);
            continue;
        }
        const double gap = seconds[i] - seconds[i - 1];
        axis.positions.push_back(axis.positions.back() + timeAxisAdvance(gap));
        if (gap > idleGap) axis.gaps.push_back(IdleGap{i, gap});
    }
}

void laneLayout(std::span<const std::size_t> counts, float left, float width, float minLane, std::vector<float>& out) {
    const std::size_t n = counts.size();
    out.resize(n);
    if (n == 0) return;
    if (n == 1) {
        out[0] = left + width * 0.5f;
        return;
    }
    // The outer lanes keep half a minimum lane outside them (their names); the n - 1 gaps between neighbours share
    // the rest, each at least `minLane`, the spare in proportion to sqrt(count) of its two lanes.
    const float lane = std::min(minLane, width / static_cast<float>(n));
    const float gaps = static_cast<float>(n - 1);
    const float spare = std::max(width - lane - lane * gaps, 0.0f);
    double total = 0.0;
    for (std::size_t k = 0; k + 1 < n; ++k)
        total += std::sqrt(static_cast<double>(counts[k])) + std::sqrt(static_cast<double>(counts[k + 1]));
    float x = left + lane * 0.5f;
    out[0] = x;
    for (std::size_t k = 0; k + 1 < n; ++k) {
        const double weight = std::sqrt(static_cast<double>(counts[k])) + std::sqrt(static_cast<double>(counts[k + 1]));
        const float share = total > 0.0 ? static_cast<float>(weight / total) : 1.0f / gaps;
        x += lane + spare * share;
        out[k + 1] = x;
    }
}

RowWindow visibleWindow(SeqAxis axis, std::span<const double> seconds, double lo, double hi) {
    const std::size_t n = seconds.size();
    if (n == 0 || hi <= lo) return {0, 0};
    if (axis == SeqAxis::Index) {
        double first = std::clamp(std::ceil(lo), 0.0, static_cast<double>(n));
        double last = std::clamp(std::ceil(hi), 0.0, static_cast<double>(n));
        return {static_cast<std::size_t>(first), static_cast<std::size_t>(last)};
    }
    auto a = std::lower_bound(seconds.begin(), seconds.end(), lo);
    auto b = std::lower_bound(a, seconds.end(), hi);
    return {static_cast<std::size_t>(a - seconds.begin()), static_cast<std::size_t>(b - seconds.begin())};
}

void prepareSequence(SeqAxis axis, std::span<const double> seconds, double top, double pxPerUnit, float heightPx,
                     float minGapPx, std::vector<DrawnItem>& out) {
    out.clear();
    if (seconds.empty() || pxPerUnit <= 0.0 || heightPx <= 0.0f) return;
    const double bottom = top + heightPx / pxPerUnit;
    RowWindow w = visibleWindow(axis, seconds, top, bottom);
    const double gapUnits = std::max(minGapPx, 0.01f) / pxPerUnit;
    std::size_t i = w.first;
    while (i < w.last) {
        const double pos = axisPosition(axis, seconds, i);
        DrawnItem d;
        d.row = i;
        d.y = static_cast<float>((pos - top) * pxPerUnit);
        // The next drawn item is the first one at least one gap further down: binary search, not a walk.
        std::size_t next = 0;
        if (axis == SeqAxis::Index) {
            next = static_cast<std::size_t>(std::ceil(pos + gapUnits));
        } else {
            auto it = std::lower_bound(seconds.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                       seconds.begin() + static_cast<std::ptrdiff_t>(w.last), pos + gapUnits);
            next = static_cast<std::size_t>(it - seconds.begin());
        }
        next = std::clamp(next, i + 1, w.last);
        d.folded = next - i - 1;
        out.push_back(d);
        i = next;
    }
}

}  // namespace mailsim::gui
