// The network map: the scenario's hosts as boxes (name, address, role) in the NetworkModel's deterministic layout,
// and, as they are at the cursor: the links that have talked (thin grey), the open connections (thick, in the
// colour of their last line, labelled with the protocol and that line), the latest relay hop of each link (a pink
// arrow labelled with the message and its result), each MTA's queue with the next-retry times, hosts and links that
// are down (greyed and crossed out), and the DNS node with the latest question and answer.
//
// Per frame: nothing is folded here. The state at the cursor (NetworkAt) is asked of the model only when the cursor
// or the document changes (binary searches, see NetworkModel.hpp), into a reused struct; drawing walks the hosts and
// links, formatting into fixed buffers.
#include "Panel.hpp"
#include "Theme.hpp"
#include "i18n/Duration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mailsim::gui {
namespace {

const char* roleText(HostRole role) {
    switch (role) {
    case HostRole::Client: return tr(S::RoleClient);
    case HostRole::MailServer: return tr(S::RoleMailServer);
    case HostRole::Mta: return tr(S::RoleMta);
    case HostRole::Gateway: return tr(S::RoleGateway);
    case HostRole::Dns: return tr(S::RoleDns);
    }
    return "";
}

const char* statusText(QueueStatus s) {
    switch (s) {
    case QueueStatus::Queued: return tr(S::StatusQueued);
    case QueueStatus::InFlight: return tr(S::StatusInFlight);
    case QueueStatus::Deferred: return tr(S::StatusDeferred);
    case QueueStatus::Delivered: return tr(S::StatusDelivered);
    case QueueStatus::Bounced: return tr(S::StatusBounced);
    }
    return "";
}

// Draws `t` at `at`, cut with "..." to `room` pixels (UTF-8 safe, no allocation).
void textFit(ImDrawList* dl, ImVec2 at, unsigned color, std::string_view t, float room) {
    const char* end = t.data() + t.size();
    if (room <= 0.0f) return;
    if (ImGui::CalcTextSize(t.data(), end).x <= room) {
        dl->AddText(at, color, t.data(), end);
        return;
    }
    const float dots = ImGui::CalcTextSize("...").x;
    const char* cut = t.data();
    while (cut < end) {
        const char* next = cut + 1;
        while (next < end && (static_cast<unsigned char>(*next) & 0xc0) == 0x80) ++next;
        if (ImGui::CalcTextSize(t.data(), next).x + dots > room) break;
        cut = next;
    }
    dl->AddText(at, color, t.data(), cut);
    dl->AddText(ImVec2(at.x + ImGui::CalcTextSize(t.data(), cut).x, at.y), color, "...");
}

class NetworkPanel final : public Panel {
public:
    const char* id() const override { return "network"; }
    const char* title(const PanelContext&) const override { return tr(S::TitleNetwork); }
    Slot slot(const PanelContext& ctx) const override {
        return ctx.doc.loaded() && !ctx.view.network().hosts().empty() ? Slot::Main : Slot::Hidden;
    }
    ImGuiWindowFlags windowFlags() const override {
        return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }

    void draw(PanelContext& ctx) override {
        const ViewModel& view = ctx.view;
        const NetworkModel& net = view.network();
        if (net.hosts().empty() || view.empty()) {
            ImGui::TextDisabled("%s", tr(S::NoHosts));
            return;
        }
        refresh(ctx);
        const float line0 = ImGui::GetTextLineHeight();
        if (!ctx.settings.presenter) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
            ImGui::TextUnformatted(tr(S::NetworkLegend));
            ImGui::PopStyleColor();
        }
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        if (avail.x < 100.0f || avail.y < line0 * 6.0f) return;
        ImGui::InvisibleButton("##map", avail);
        const bool hovered = ImGui::IsItemHovered();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 max(origin.x + avail.x, origin.y + avail.y);
        dl->PushClipRect(origin, max, true);
        dl->AddRectFilled(origin, max, toU32({0xff, 0xff, 0xff}));

        // Node geometry: a column per layer; each box as wide as its name and address need, at most 86% of its
        // column, so the gaps between columns keep room for the arrows (their labels go above the boxes). When the
        // widest host does not fit (presenter mode's larger text in a small window), the map's text shrinks, down to
        // 75%, rather than cut host names.
        m_colW = avail.x / static_cast<float>(std::max(net.layers(), 1));
        float widest = 0.0f;
        for (const NetHost& h : net.hosts())
            widest = std::max({widest, ImGui::CalcTextSize(h.name.c_str()).x, ImGui::CalcTextSize(h.address.c_str()).x,
                               ImGui::CalcTextSize(roleText(h.role)).x});
        // The same when the map is short: it needs about 15 lines (DNS, label room, host, DOWN tag, an MTA's queue).
        const float line1 = ImGui::GetTextLineHeight();
        const float tall = (net.hasDns() ? 4.0f : 0.0f) + 1.8f + 3.4f + 1.4f + 4.6f + 1.6f;
        const float scale = std::clamp(std::min(m_colW * 0.86f / (widest + line1 * 0.8f + 3.0f), avail.y / (tall * line1)),
                                       0.75f, 1.0f);
        if (scale < 1.0f) ImGui::SetWindowFontScale(scale);
        const float line = ImGui::GetTextLineHeight();
        const float boxH = line * 3.4f;  // name, address, role
        const float padY = line * 0.8f;
        m_centers.resize(net.hosts().size());
        m_boxW.resize(net.hosts().size());
        for (std::size_t i = 0; i < net.hosts().size(); ++i) {
            const NetHost& h = net.hosts()[i];
            const float content = std::max({ImGui::CalcTextSize(h.name.c_str()).x, ImGui::CalcTextSize(h.address.c_str()).x,
                                            ImGui::CalcTextSize(roleText(h.role)).x}) + line * 0.8f + 3.0f;
            m_boxW[i] = std::round(std::clamp(content, line * 4.0f, std::max(m_colW * 0.86f, line * 4.0f)));
        }
        placeHosts(net, origin, avail, boxH, padY);
        m_left = origin.x;
        m_right = max.x;

        m_labelCount = 0;
        collectObstacles(net, boxH);
        drawLinks(ctx, dl, boxH);
        for (std::size_t i = 0; i < net.hosts().size(); ++i) drawHost(ctx, dl, i, boxH);
        drawEdgeLabels(dl, origin, max);
        drawEnvelopes(ctx, dl, boxH);
        dl->PopClipRect();
        if (scale < 1.0f) ImGui::SetWindowFontScale(1.0f);

        // Hovering a host shows its full name, address and role; hovering an edge label its whole text.
        if (hovered) {
            const ImVec2 m = ImGui::GetIO().MousePos;
            for (std::size_t i = 0; i < m_labelCount; ++i) {  // a plate, or the dot of a label that found no room
                const EdgeLabel& l = m_labels[i];
                const MapLabel& p = m_mapLabels[i];
                const bool onPlate = p.shown && m.x >= p.placed.x0 && m.x <= p.placed.x1 && m.y >= p.placed.y0 && m.y <= p.placed.y1;
                if (onPlate || (std::abs(m.x - l.mid.x) <= line * 0.5f && std::abs(m.y - l.mid.y) <= line * 0.5f))
                    ImGui::SetTooltip("%s", l.text);
            }
            for (std::size_t i = 0; i < net.hosts().size(); ++i) {
                const ImVec2 c = m_centers[i];
                if (std::abs(m.x - c.x) <= m_boxW[i] * 0.5f && std::abs(m.y - c.y) <= boxH * 0.5f) {
                    const NetHost& h = net.hosts()[i];
                    ImGui::SetTooltip("%s\n%s\n%s", h.name.c_str(), h.address.c_str(), roleText(h.role));
                }
            }
        }
    }

private:
    // Vertical placement: the model gives the column (x) and the order within it (y); here each host gets the height
    // it needs (its box, room for a "DOWN" tag if it ever goes down, an MTA's queue box, labels above), and a column's
    // hosts are stacked and centred in the band below the DNS node. Fixed per document, so nothing jumps while
    // stepping; squeezed only when a column has more hosts than fit.
    void placeHosts(const NetworkModel& net, ImVec2 origin, ImVec2 avail, float boxH, float padY) {
        const float line = ImGui::GetTextLineHeight();
        const std::size_t n = net.hosts().size();
        const float labelRoom = line * 1.8f;  // room for edge labels above the boxes (placeLabels finds their place)
        float bandTop = origin.y + padY;
        if (net.hasDns()) {
            const std::uint16_t d = net.dnsHost();
            m_centers[d] = ImVec2(std::round(origin.x + net.hosts()[d].x * avail.x), std::round(bandTop + boxH * 0.5f));
            bandTop += boxH + line * 0.6f;
        }
        bandTop += labelRoom;
        const float bandH = std::max(origin.y + avail.y - padY - bandTop, line);
        m_need.assign(n, 0.0f);
        for (std::size_t i = 0; i < n; ++i) {
            const NetHost& h = net.hosts()[i];
            m_need[i] = boxH + (h.down.empty() && h.linkDown.empty() ? 0.0f : line * 1.4f) +
                        (h.role == HostRole::Mta ? line * 4.6f : 0.0f);
        }
        // Every column starts at the same height (so single hosts line up), below a margin shared by all.
        auto column = [&](int layer) {
            m_order.clear();
            for (std::size_t i = 0; i < n; ++i)
                if (net.hosts()[i].layer == layer && net.hosts()[i].role != HostRole::Dns) m_order.push_back(i);
            std::ranges::sort(m_order, [&](std::size_t a, std::size_t b) {  // sort, not stable_sort: no buffer
                return net.hosts()[a].y != net.hosts()[b].y ? net.hosts()[a].y < net.hosts()[b].y : a < b;
            });
            float total = 0.0f;
            for (std::size_t i : m_order) total += m_need[i];
            return total + labelRoom * static_cast<float>(m_order.empty() ? 0 : m_order.size() - 1);
        };
        float tallest = 0.0f;
        for (int layer = 0; layer < net.layers(); ++layer) tallest = std::max(tallest, column(layer));
        const float start = bandTop + std::max(bandH - tallest, 0.0f) * 0.35f;
        for (int layer = 0; layer < net.layers(); ++layer) {
            const float total = column(layer);
            const float squeeze = total > bandH ? bandH / total : 1.0f;
            float y = total > bandH ? bandTop : start;
            for (std::size_t i : m_order) {
                m_centers[i] = ImVec2(std::round(origin.x + net.hosts()[i].x * avail.x), std::round(y + boxH * 0.5f));
                y += (m_need[i] + labelRoom) * squeeze;
            }
        }
    }

    // An edge label, drawn after the hosts so nothing covers it: a plate near the edge's midpoint, placed by
    // placeLabels (NetworkModel.hpp) clear of every host, queue box and other label, joined to the edge by a leader.
    struct EdgeLabel {
        ImVec2 mid;           // the edge's midpoint
        unsigned color = 0;
        float alpha = 1.0f;
        char text[200] = {};
    };

    void addLabel(ImVec2 mid, unsigned color, float alpha) {
        if (m_labelCount == m_labels.size()) m_labels.emplace_back();
        EdgeLabel& l = m_labels[m_labelCount++];
        l.mid = mid;
        l.color = color;
        l.alpha = alpha;
    }

    // What labels must not cover: the host boxes with the room below them (DOWN tag, an MTA's queue) and the DNS
    // node's question and answer to its right.
    void collectObstacles(const NetworkModel& net, float boxH) {
        const float line = ImGui::GetTextLineHeight();
        m_obstacles.clear();
        for (std::size_t i = 0; i < net.hosts().size(); ++i) {
            const ImVec2 c = m_centers[i];
            const float w = net.hosts()[i].role == HostRole::Mta ? std::max(m_boxW[i], m_colW - 6.0f) : m_boxW[i];
            m_obstacles.push_back({c.x - w * 0.5f - 2.0f, c.y - boxH * 0.5f - 2.0f, c.x + w * 0.5f + 2.0f,
                                   c.y - boxH * 0.5f + m_need[i] + 2.0f});
            if (net.hosts()[i].role == HostRole::Dns)
                m_obstacles.push_back({c.x + m_boxW[i] * 0.5f, c.y - line * 1.1f, m_right, c.y + line * 1.1f});
        }
    }

    void drawEdgeLabels(ImDrawList* dl, ImVec2 origin, ImVec2 max) {
        const float line = ImGui::GetTextLineHeight();
        m_mapLabels.resize(m_labelCount);
        for (std::size_t i = 0; i < m_labelCount; ++i) {
            MapLabel& p = m_mapLabels[i];
            p.anchorX = m_labels[i].mid.x;
            p.anchorY = m_labels[i].mid.y;
            p.w = ImGui::CalcTextSize(m_labels[i].text).x + 8.0f;
            p.h = line + 2.0f;
        }
        placeLabels(m_mapLabels, m_obstacles, MapRect{origin.x + 2.0f, origin.y + 2.0f, max.x - 2.0f, max.y - 2.0f},
                    line * 0.6f);
        for (std::size_t i = 0; i < m_labelCount; ++i) {
            const EdgeLabel& l = m_labels[i];
            const MapLabel& p = m_mapLabels[i];
            dl->AddCircleFilled(l.mid, 3.0f, l.color);
            if (!p.shown) continue;  // no free place: the tooltip on the dot shows it
            const ImVec2 a(p.placed.x0, p.placed.y0), b(p.placed.x1, p.placed.y1);
            const ImVec2 near(std::clamp(l.mid.x, a.x, b.x), l.mid.y < a.y ? a.y : b.y);
            dl->AddLine(l.mid, near, l.color, 1.0f);
            dl->AddRectFilled(a, b, toU32(colors::kWhite, 0.95f * l.alpha), 3.0f);
            dl->AddRect(a, b, l.color, 3.0f, 0, 1.0f);
            textFit(dl, ImVec2(a.x + 4.0f, a.y + 1.0f), l.color, l.text, b.x - a.x - 6.0f);
        }
    }

    // A small envelope: the message on its way along an SMTP connection (NetworkAt::Open::progress).
    static void drawEnvelope(ImDrawList* dl, ImVec2 at, unsigned color) {
        const float h = ImGui::GetTextLineHeight() * 0.7f, w = h * 1.45f;
        const ImVec2 a(at.x - w * 0.5f, at.y - h * 0.5f), b(at.x + w * 0.5f, at.y + h * 0.5f);
        dl->AddRectFilled(a, b, toU32(colors::kWhite));
        dl->AddRect(a, b, color, 0.0f, 0, 2.0f);
        dl->AddLine(a, ImVec2(at.x, at.y + h * 0.1f), color, 2.0f);
        dl->AddLine(ImVec2(b.x, a.y), ImVec2(at.x, at.y + h * 0.1f), color, 2.0f);
    }

    // The state at the cursor, asked again only when the cursor or the document changed.
    void refresh(const PanelContext& ctx) {
        const NetworkModel* model = &ctx.view.network();
        if (ctx.cursor.generation() == m_seenGeneration && model == m_seenModel && ctx.view.size() == m_seenSize) return;
        m_seenGeneration = ctx.cursor.generation();
        m_seenModel = model;
        m_seenSize = ctx.view.size();
        model->at(ctx.cursor.position(), m_at);
    }

    // Where the segment from the centre of box a towards b leaves the box (so arrows end at the box's edge).
    static ImVec2 boxExit(ImVec2 a, ImVec2 b, float w, float h) {
        const float dx = b.x - a.x, dy = b.y - a.y;
        if (dx == 0.0f && dy == 0.0f) return a;
        const float tx = dx != 0.0f ? (w * 0.5f + 4.0f) / std::abs(dx) : 1e9f;
        const float ty = dy != 0.0f ? (h * 0.5f + 4.0f) / std::abs(dy) : 1e9f;
        const float t = std::min({tx, ty, 1.0f});
        return ImVec2(a.x + dx * t, a.y + dy * t);
    }

    static void arrowHead(ImDrawList* dl, ImVec2 from, ImVec2 to, float size, unsigned color) {
        const float dx = to.x - from.x, dy = to.y - from.y, len = std::sqrt(dx * dx + dy * dy);
        if (len < 1.0f) return;
        const float ux = dx / len, uy = dy / len;
        dl->AddTriangleFilled(to, ImVec2(to.x - ux * size - uy * size * 0.5f, to.y - uy * size + ux * size * 0.5f),
                              ImVec2(to.x - ux * size + uy * size * 0.5f, to.y - uy * size - ux * size * 0.5f), color);
    }

    static void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, unsigned color, float thickness) {
        const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
        for (float t = 0.0f; t < len; t += 12.0f) {
            const float e = std::min(t + 6.0f, len);
            dl->AddLine(ImVec2(a.x + dx * t / len, a.y + dy * t / len), ImVec2(a.x + dx * e / len, a.y + dy * e / len), color,
                        thickness);
        }
    }

    void drawLinks(const PanelContext& ctx, ImDrawList* dl, float boxH) {
        const ViewModel& view = ctx.view;
        const NetworkModel& net = view.network();
        const trace::Trace& trace = *view.trace();
        const float line = ImGui::GetTextLineHeight();
        const std::size_t cursor = ctx.cursor.position();
        auto isDown = [&](std::uint16_t h) { return m_at.hosts[h].down || m_at.hosts[h].linkDown; };
        // Links that have talked: thin; grey and dashed when one end is down.
        for (std::size_t i = 0; i < net.links().size(); ++i) {
            const NetLink& l = net.links()[i];
            if (!m_at.links[i].talked) continue;
            const ImVec2 a = m_centers[l.a], b = m_centers[l.b];
            if (isDown(l.a) || isDown(l.b)) dashed(dl, a, b, toU32(colors::kDown), 2.0f);
            else dl->AddLine(a, b, toU32({0xc8, 0xc8, 0xc8}), 2.0f);
        }
        // The DNS node's edge to the host that asked last, while that question is the latest DNS event.
        if (net.hasDns()) {
            const NetworkAt::Host& d = m_at.hosts[net.dnsHost()];
            if (d.lastDnsQuery != trace::kNoCause) {
                const auto* q = trace.at(d.lastDnsQuery).as<trace::DnsQuery>();
                if (std::uint16_t asker = q ? net.find(q->host) : NetworkModel::kNone; asker != NetworkModel::kNone) {
                    const ImVec2 a = m_centers[asker], b = m_centers[net.dnsHost()];
                    dl->AddLine(boxExit(a, b, m_boxW[asker], boxH), boxExit(b, a, m_boxW[net.dnsHost()], boxH),
                                toU32(colors::kDns), 3.0f);
                }
            }
        }
        // Open connections: thick, in the colour of their last line, with the protocol and that line.
        for (const NetworkAt::Open& o : m_at.open) {
            const NetSession& s = net.sessions()[o.session];
            const ImVec2 a = m_centers[s.client], b = m_centers[s.server];
            const ImVec2 pa = boxExit(a, b, m_boxW[s.client], boxH), pb = boxExit(b, a, m_boxW[s.server], boxH);
            Rgb color = colors::kConnection;
            const trace::Event* last = o.lastLine == trace::kNoCause ? nullptr : &trace.at(o.lastLine);
            if (last) color = last->direction == trace::Direction::ServerToClient ? colors::kServer : colors::kClient;
            dl->AddLine(pa, pb, toU32(color), 5.0f);
            if (last && last->direction == trace::Direction::ServerToClient) arrowHead(dl, pb, pa, line * 0.8f, toU32(color));
            else if (last) arrowHead(dl, pa, pb, line * 0.8f, toU32(color));
            addLabel(ImVec2((pa.x + pb.x) * 0.5f, (pa.y + pb.y) * 0.5f), toU32(color), 1.0f);
            std::snprintf(m_labels[m_labelCount - 1].text, sizeof EdgeLabel::text, "%s%s  %s%s", s.protocol.c_str(),
                          o.tls ? " (TLS)" : "",
                          last ? (last->direction == trace::Direction::ServerToClient ? "S: " : "C: ") : "",
                          last ? last->text.c_str() : "");
        }
        // The latest relay hop of each link: a pink arrow from the sending host (red when its connection could not be
        // made), labelled with the message and result; strong when it is the cursor's own row, lighter once later rows
        // have passed.
        for (std::size_t i = 0; i < net.links().size(); ++i) {
            const NetworkAt::Link& at = m_at.links[i];
            if (at.lastHop == trace::kNoCause) continue;
            const auto* hop = trace.at(at.lastHop).as<trace::RelayHop>();
            if (!hop) continue;
            const std::uint16_t from = net.find(hop->from), to = net.find(hop->to);
            if (from == NetworkModel::kNone || to == NetworkModel::kNone || from == to) continue;
            const float alpha = at.lastHopRow == cursor ? 1.0f : 0.75f;
            const bool failed = at.lastHopFailure != trace::ConnectFailure::None;
            const unsigned c = toU32(failed ? colors::kError : colors::kRelay, alpha);
            const ImVec2 a = m_centers[from], b = m_centers[to];
            // Offset below the connection line, so both can be read.
            const float off = line * 0.55f;
            const ImVec2 pa = boxExit(a, b, m_boxW[from], boxH), pb = boxExit(b, a, m_boxW[to], boxH);
            const ImVec2 qa(pa.x, pa.y + off), qb(pb.x, pb.y + off);
            dl->AddLine(qa, qb, c, at.lastHopRow == cursor ? 4.0f : 3.0f);
            arrowHead(dl, qa, qb, line * 0.9f, c);
            addLabel(ImVec2((qa.x + qb.x) * 0.5f, (qa.y + qb.y) * 0.5f), c, alpha);
            // The result first (what the class looks for), then the message.
            const std::string_view text = ctx.view.label(at.lastHopRow);
            std::snprintf(m_labels[m_labelCount - 1].text, sizeof EdgeLabel::text, "%.*s", static_cast<int>(text.size()),
                          text.data());
        }
    }

    // The messages on their way: an envelope on each open SMTP connection, as far along as the dialogue is.
    void drawEnvelopes(const PanelContext& ctx, ImDrawList* dl, float boxH) {
        const NetworkModel& net = ctx.view.network();
        for (const NetworkAt::Open& o : m_at.open) {
            if (o.progress <= 0.0f) continue;
            const NetSession& s = net.sessions()[o.session];
            const ImVec2 a = m_centers[s.client], b = m_centers[s.server];
            const ImVec2 pa = boxExit(a, b, m_boxW[s.client], boxH), pb = boxExit(b, a, m_boxW[s.server], boxH);
            drawEnvelope(dl, ImVec2(pa.x + (pb.x - pa.x) * o.progress, pa.y + (pb.y - pa.y) * o.progress),
                         toU32(colors::kRelay));
        }
    }

    void drawHost(const PanelContext& ctx, ImDrawList* dl, std::size_t i, float boxH) {
        const ViewModel& view = ctx.view;
        const NetworkModel& net = view.network();
        const NetHost& h = net.hosts()[i];
        const NetworkAt::Host& at = m_at.hosts[i];
        const float line = ImGui::GetTextLineHeight();
        const std::size_t cursor = ctx.cursor.position();
        const bool down = at.down || at.linkDown;
        const bool future = h.firstRow > cursor;  // not seen yet at the cursor: drawn faint
        const float alpha = future ? 0.35f : 1.0f;
        const ImVec2 c = m_centers[i];
        const float boxW = m_boxW[i];
        const ImVec2 a(c.x - boxW * 0.5f, c.y - boxH * 0.5f), b(c.x + boxW * 0.5f, c.y + boxH * 0.5f);
        Rgb edge = h.role == HostRole::Client       ? colors::kClient
                   : h.role == HostRole::Dns        ? colors::kDns
                   : h.role == HostRole::Mta        ? colors::kRelay
                   : h.role == HostRole::Gateway    ? colors::kStore
                                                    : colors::kServer;
        if (down) edge = colors::kDown;
        dl->AddRectFilled(a, b, down ? toU32({0xe6, 0xe6, 0xe6}) : toU32(colors::kHostBox, alpha), line * 0.4f);
        dl->AddRect(a, b, toU32(edge, alpha), line * 0.4f, 0, h.role == HostRole::Client ? 2.0f : 3.0f);
        const float pad = line * 0.4f;
        const unsigned text = down ? toU32(colors::kNote) : toU32(colors::kText, alpha);
        // The name (bold: drawn twice, one pixel apart), then the address and the role in grey.
        const ImVec2 np(a.x + pad, a.y + pad * 0.5f);
        textFit(dl, np, text, h.name, boxW - 2.0f * pad);
        textFit(dl, ImVec2(np.x + 1.0f, np.y), text, h.name, boxW - 2.0f * pad);
        const unsigned grey = down ? text : toU32(colors::kNote, alpha);
        if (!h.address.empty()) textFit(dl, ImVec2(np.x, np.y + line), grey, h.address, boxW - 2.0f * pad);
        textFit(dl, ImVec2(np.x, np.y + line * (h.address.empty() ? 1.0f : 2.0f)), grey, roleText(h.role), boxW - 2.0f * pad);
        if (down) {  // crossed out, with what is down
            dl->AddLine(a, b, toU32(colors::kError, 0.85f), 3.0f);
            dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), toU32(colors::kError, 0.85f), 3.0f);
            const char* what = at.down ? tr(S::HostDown) : tr(S::LinkDown);
            const ImVec2 ts = ImGui::CalcTextSize(what);
            const ImVec2 ta(c.x - ts.x * 0.5f - 4.0f, b.y + 2.0f), tb(c.x + ts.x * 0.5f + 4.0f, b.y + ts.y + 4.0f);  // below
            dl->AddRectFilled(ta, tb, toU32(colors::kError), 3.0f);
            dl->AddText(ImVec2(ta.x + 4.0f, ta.y + 1.0f), toU32({0xff, 0xff, 0xff}), what);
        }
        if (h.role == HostRole::Dns) drawDnsNode(view, dl, at, ImVec2(b.x, c.y), alpha);
        else if (h.role == HostRole::Mta) drawQueue(ctx, dl, i, ImVec2(c.x, b.y + line * (down ? 1.4f : 0.3f)), alpha);
    }

    // The DNS node's latest question and answer, to the right of the node (`at`: its right edge, vertical centre).
    void drawDnsNode(const ViewModel& view, ImDrawList* dl, const NetworkAt::Host& at, ImVec2 edge, float alpha) {
        const trace::Trace& trace = *view.trace();
        const float line = ImGui::GetTextLineHeight();
        const float cy = edge.y;
        const float x = edge.x + line * 0.6f, room = m_right - x - line * 0.3f;
        char q[200];
        if (at.lastDnsQuery == trace::kNoCause) {
            textFit(dl, ImVec2(x, cy - line * 0.5f), toU32(colors::kNote, alpha), tr(S::DnsIdle), room);
            return;
        }
        // The labels were rendered once with the view (trace::shortLabel), so drawing allocates nothing.
        // (a label is a whole std::string, so its data() is NUL-terminated)
        auto labelOf = [&](trace::EventId id) -> const char* {
            const auto row = view.rowOfEvent(id);
            return row ? view.label(*row).data() : "";
        };
        const auto* question = trace.at(at.lastDnsQuery).as<trace::DnsQuery>();
        std::snprintf(q, sizeof q, tr(S::DnsAskedFmt), question ? question->host.c_str() : "", labelOf(at.lastDnsQuery));
        textFit(dl, ImVec2(x, cy - line * 1.05f), toU32(colors::kDns), q, room);
        if (at.lastDnsAnswer != trace::kNoCause && at.lastDnsAnswer > at.lastDnsQuery) {
            std::snprintf(q, sizeof q, tr(S::DnsAnswerFmt), labelOf(at.lastDnsAnswer));
            textFit(dl, ImVec2(x, cy + line * 0.05f), toU32(colors::kDns), q, room);
        }
    }

    // An MTA's queue below its box (`top`: centre x, top y): one line per message at the cursor, with its status and
    // next retry.
    void drawQueue(const PanelContext& ctx, ImDrawList* dl, std::size_t i, ImVec2 top, float alpha) {
        const ViewModel& view = ctx.view;
        const NetworkModel& net = view.network();
        const trace::Trace& trace = *view.trace();
        const float line = ImGui::GetTextLineHeight();
        const float pad = line * 0.4f;
        const std::size_t cursor = ctx.cursor.position();
        const ImVec2 c(top.x, 0.0f);
        const float boxW = m_boxW[i];
        float y = top.y;
        std::size_t count = 0;
        for (const auto& q : m_at.queued) count += net.queue()[q.entry].host == i;
        char buf[200];
        if (count == 0) std::snprintf(buf, sizeof buf, "%s", tr(S::QueueEmpty));
        else std::snprintf(buf, sizeof buf, tr(S::QueueFmt), count);
        std::size_t rows = 0, listed = 0;  // one line for the id, one for the status, one for the retry if any
        for (const auto& q : m_at.queued) {
            if (net.queue()[q.entry].host != i) continue;
            if (++listed > 3) {
                ++rows;  // "... N more"
                break;
            }
            rows += 2 + (q.step.status == QueueStatus::Deferred && q.step.nextRetry >= 0 ? 1 : 0);
        }
        const float qw = std::max(boxW, m_colW - 6.0f);
        const ImVec2 qa(c.x - qw * 0.5f, y), qb(c.x + qw * 0.5f, y + line * (1.2f + static_cast<float>(rows) * 1.05f) + 2.0f);
        dl->AddRectFilled(qa, qb, count > 0 ? toU32(colors::kQueued, alpha) : toU32({0xff, 0xff, 0xff}, alpha), line * 0.3f);
        dl->AddRect(qa, qb, toU32(colors::kRelay, alpha), line * 0.3f, 0, 1.5f);
        dl->AddText(ImVec2(qa.x + pad, y + 1.0f), toU32(colors::kRelay, alpha), buf);
        y += line * 1.15f;
        const trace::Micros now = trace.at(view.row(cursor).event).time;
        std::size_t shown = 0;
        for (const auto& q : m_at.queued) {
            const QueueEntry& entry = net.queue()[q.entry];
            if (entry.host != i) continue;
            if (shown == 3) {
                std::snprintf(buf, sizeof buf, tr(S::QueueMoreFmt), count - shown);
                dl->AddText(ImVec2(qa.x + pad, y), toU32(colors::kNote), buf);
                break;
            }
            char when[64] = "";
            if (q.step.status == QueueStatus::Deferred && q.step.nextRetry >= 0) {
                if (q.step.nextRetry > now) {  // "retry in 1 h 46 min 30 s" (i18n::formatDuration)
                    const std::string d = i18n::formatDuration(q.step.nextRetry - now, uiLang());
                    std::snprintf(when, sizeof when, tr(S::RetryInFmt), d.c_str());
                } else {
                    std::snprintf(when, sizeof when, "%s", tr(S::RetryDue));
                }
            }
            // The queue id, its status, and the next retry when it waits for one.
            const Rgb col = q.step.status == QueueStatus::Bounced ? colors::kError
                            : q.step.status == QueueStatus::Delivered ? colors::kCheckOk
                                                                      : colors::kText;
            textFit(dl, ImVec2(qa.x + pad, y), toU32(colors::kText), entry.id, qw - 2.0f * pad);
            y += line * 1.05f;
            const float indent = line * 0.6f;
            textFit(dl, ImVec2(qa.x + pad + indent, y), toU32(col), statusText(q.step.status), qw - 2.0f * pad - indent);
            if (when[0]) {
                y += line * 1.05f;
                textFit(dl, ImVec2(qa.x + pad + indent, y), toU32(colors::kRelay), when, qw - 2.0f * pad - indent);
            }
            y += line * 1.05f;
            ++shown;
        }
    }

    NetworkAt m_at;
    std::vector<ImVec2> m_centers;
    std::vector<float> m_boxW, m_need;
    std::vector<std::size_t> m_order;
    std::vector<EdgeLabel> m_labels;  // reused: no allocation once warm
    std::vector<MapLabel> m_mapLabels;
    std::vector<MapRect> m_obstacles;
    std::size_t m_labelCount = 0;
    float m_colW = 0.0f, m_left = 0.0f, m_right = 0.0f;
    std::uint64_t m_seenGeneration = ~std::uint64_t{0};
    const NetworkModel* m_seenModel = nullptr;
    std::size_t m_seenSize = ~std::size_t{0};
};

}  // namespace

std::unique_ptr<Panel> makeNetworkPanel() { return std::make_unique<NetworkPanel>(); }

}  // namespace mailsim::gui
