// The sequence diagram: one lane per endpoint host, an arrow per C:/S: line with its text, state and store changes
// as marks on the server lane, connection events as dashed arrows, notes across the diagram. Time runs downwards,
// along the event index (even spacing) or the virtual time (idle gaps compressed, each marked "... 2 h later ...";
// SequenceLayout.hpp), with zoom (Ctrl+wheel, slider, Fit) and pan (wheel, drag). Clicking an item moves the cursor
// there; when the cursor moves, the view follows it. Idle hosts' lanes are narrow (laneLayout); an arrow's text stays
// between its two lanes (wrapped onto a second line when the rows are far enough apart, else elided; the tooltip
// shows the whole row), a mark's between its neighbouring lanes.
//
// Per frame: prepareSequence() binary-searches the visible window and folds items closer than a pixel (see
// SequenceLayout.hpp) into a reused vector, then this file draws only those. Labels are drawn only where there is
// room for a line of text. No allocation once warm (the idle gaps' labels are cached, Strings.hpp).
#include "Panel.hpp"
#include "Theme.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mailsim::gui {
namespace {

std::string_view lineText(const Row& row) {
    std::string_view t = row.text;
    if (t.size() > 3 && (t.starts_with("C: ") || t.starts_with("S: "))) t.remove_prefix(3);
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    if (t.starts_with("# ")) t.remove_prefix(2);
    return t;
}

class SequencePanel final : public Panel {
public:
    SequencePanel() { m_drawn.reserve(8192); }
    const char* id() const override { return "sequence"; }
    const char* title(const PanelContext&) const override { return tr(S::TitleSequence); }
    Slot slot(const PanelContext& ctx) const override { return ctx.doc.loaded() ? Slot::Main : Slot::Hidden; }
    ImGuiWindowFlags windowFlags() const override {
        return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }

    void draw(PanelContext& ctx) override {
        const ViewModel& view = ctx.view;
        if (view.empty()) {
            ImGui::TextDisabled("%s", tr(S::NoRows));
            return;
        }
        ViewSettings& s = ctx.settings;
        const float line = ImGui::GetTextLineHeight();
        if (s.rowPixels <= 0.0f) s.rowPixels = std::round(line * (s.presenter ? 2.05f : 1.75f));
        const SeqAxis axis = s.timeAxis ? SeqAxis::Time : SeqAxis::Index;
        // Both axes count in rows: the index axis one per row, the time axis with idle gaps compressed.
        const auto positions = axis == SeqAxis::Time ? view.timePositions() : view.rowSeconds();
        drawToolbar(ctx, axis, positions);

        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        if (avail.x < 50.0f || avail.y < line * 3.0f) return;
        m_gutter = ImGui::CalcTextSize(axis == SeqAxis::Index ? "00000" : "00:00:00").x;
        m_left = origin.x + m_gutter + line * 0.5f;
        m_right = origin.x + avail.x;
        const bool staggered = layoutLanes(view, line);
        const float rowH = std::round(line * 1.7f);
        const float headerH = staggered ? std::round(line * 3.1f) : rowH;
        const ImVec2 canvasMin(origin.x, origin.y + headerH);
        const ImVec2 canvasMax(origin.x + avail.x, origin.y + avail.y);
        const float canvasH = canvasMax.y - canvasMin.y;
        const double px = s.rowPixels;
        const double visibleUnits = canvasH / px;
        const double maxPos = axisPosition(axis, positions, positions.size() - 1);

        ImGui::InvisibleButton("##canvas", avail);
        const bool hovered = ImGui::IsItemHovered();
        handleInput(ctx, px, hovered, canvasMin);
        followCursor(ctx, axis, positions, visibleUnits, canvasH);
        m_top = std::clamp(m_top, -visibleUnits * 0.1, std::max(maxPos - visibleUnits * 0.5, 0.0));

        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->PushClipRect(origin, canvasMax, true);
        dl->AddRectFilled(canvasMin, canvasMax, toU32(colors::kWhite));
        drawLanes(view, dl, origin, canvasMin, canvasMax, staggered, rowH, headerH);
        const float offset = static_cast<float>(px) * 0.72f;  // an item's baseline below its axis position
        if (axis == SeqAxis::Time) drawIdleGaps(view, dl, canvasMin.y + offset, px, canvasMin.y, canvasMax.y);

        prepareSequence(axis, positions, m_top, px, canvasH, 1.0f, m_drawn);
        m_twoLines = px >= line * 2.0;  // room for a label line above and one below each arrow
        const std::size_t cursor = ctx.cursor.position();
        float lastLabelY = -1e9f;
        m_hoverRow = kNoRow;
        m_lastGutter = -1;
        const float mouseY = ImGui::GetIO().MousePos.y;
        float bestDist = line;
        const std::size_t gate = ctx.predict.gateRow();  // predict mode: the reply to guess is not drawn yet
        for (const DrawnItem& d : m_drawn) {
            if ((ctx.settings.hideFuture && d.row > cursor) || d.row >= gate) break;
            const float y = canvasMin.y + d.y + offset;
            const bool label = y - lastLabelY >= line * 1.05f;
            if (label) lastLabelY = y;
            if (hovered && std::abs(mouseY - (y - line * 0.4f)) < bestDist) {
                bestDist = std::abs(mouseY - (y - line * 0.4f));
                m_hoverRow = d.row;
            }
            drawItem(ctx, dl, d, y, label, canvasMin.x, axis);
        }
        dl->PopClipRect();
        if (hovered && m_hoverRow != kNoRow) {  // the whole row, whatever was elided
            const Row& row = view.row(m_hoverRow);
            ImGui::SetTooltip("%zu  %s", m_hoverRow, row.text.c_str());
        }
    }

private:
    float laneX(std::uint16_t k) const { return k < m_laneX.size() ? m_laneX[k] : m_left; }

    // Lane centres (laneLayout: idle lanes narrow, each at least as wide as its name when the panel allows). True when
    // neighbouring names would still overlap: every other name then goes on a second header row.
    bool layoutLanes(const ViewModel& view, float line) {
        const auto& lanes = view.sequence().lanes();
        const auto& counts = view.sequence().laneCounts();
        float widest = 0.0f;
        for (const auto& lane : lanes) widest = std::max(widest, ImGui::CalcTextSize(lane.c_str()).x);
        // A name's width each, but never more than 60% of an even share: the rest always follows the activity.
        const float even = (m_right - m_left) / static_cast<float>(std::max<std::size_t>(lanes.size(), 1));
        laneLayout(counts, m_left, m_right - m_left, std::min(widest + line * 1.2f, even * 0.6f), m_laneX);
        for (std::size_t k = 0; k + 1 < lanes.size(); ++k)
            if (m_laneX[k + 1] - m_laneX[k] <
                (ImGui::CalcTextSize(lanes[k].c_str()).x + ImGui::CalcTextSize(lanes[k + 1].c_str()).x) * 0.5f + line)
                return true;
        return false;
    }

    // The lanes' dashed lines and their names in pills; a name is elided only when even two header rows cannot hold
    // it (the tooltip of an item names the hosts in full).
    void drawLanes(const ViewModel& view, ImDrawList* dl, ImVec2 origin, ImVec2 canvasMin, ImVec2 canvasMax,
                   bool staggered, float rowH, float headerH) {
        const auto& lanes = view.sequence().lanes();
        const float line = ImGui::GetTextLineHeight();
        for (std::uint16_t k = 0; k < lanes.size(); ++k) {
            const float x = laneX(k);
            for (float y = canvasMin.y; y < canvasMax.y; y += 10.0f)
                dl->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 5.0f, canvasMax.y)), toU32(colors::kNote, 0.5f), 1.5f);
            // Room: half the way to each neighbour on the same header row (all the way to the panel's edge for the outer
            // lanes); the pill is centred on its lane when it can be, else shifted inside that room.
            const std::uint16_t step = staggered ? 2 : 1;
            const float leftRoom = k >= step ? (x - laneX(static_cast<std::uint16_t>(k - step))) * 0.5f : x - origin.x;
            const float rightRoom = k + step < lanes.size() ? (laneX(static_cast<std::uint16_t>(k + step)) - x) * 0.5f
                                                            : canvasMax.x - x;
            const float room = std::max(leftRoom + rightRoom - line * 1.2f, line * 2.0f);
            const char* name = lanes[k].c_str();
            const float w = std::min(ImGui::CalcTextSize(name).x, room);
            const float top = origin.y + 1.0f + (staggered && k % 2 == 1 ? headerH - rowH : 0.0f);
            const float cx = std::clamp(x, x - leftRoom + w * 0.5f + line * 0.6f,
                                        std::max(x + rightRoom - w * 0.5f - line * 0.6f, x - leftRoom + w * 0.5f + line * 0.6f));
            const ImVec2 a(cx - w * 0.5f - line * 0.5f, top), b(cx + w * 0.5f + line * 0.5f, top + rowH - 4.0f);
            if (staggered && k % 2 == 0)  // the lane line reaches up to the name on the first row
                dl->AddLine(ImVec2(x, b.y), ImVec2(x, canvasMin.y), toU32(colors::kNote, 0.5f), 1.5f);
            dl->AddRectFilled(a, b, toU32(colors::kStateBox), 5.0f);
            dl->AddRect(a, b, toU32(colors::kState, 0.7f), 5.0f, 0, 1.5f);
            drawElided(dl, ImVec2(cx - w * 0.5f, (a.y + b.y - ImGui::GetTextLineHeight()) * 0.5f), toU32(colors::kText),
                       lanes[k], w + 0.5f);
        }
    }

    // The time axis's idle gaps: a band "... 2 h later ..." between the rows before and after each pause in view.
    void drawIdleGaps(const ViewModel& view, ImDrawList* dl, float baseY, double px, float canvasTop, float canvasBottom) {
        const float line = ImGui::GetTextLineHeight();
        const auto pos = view.timePositions();
        for (const IdleGap& g : view.idleGaps()) {
            const float y0 = std::max(baseY + static_cast<float>((pos[g.row - 1] - m_top) * px) + line * 0.4f, canvasTop);
            const float y1 = std::min(baseY + static_cast<float>((pos[g.row] - m_top) * px) - line * 1.1f, canvasBottom);
            if (y1 - y0 < line * 0.8f) continue;  // out of view, or zoomed far out: no room for the words
            dl->AddRectFilled(ImVec2(m_left - m_gutter, y0), ImVec2(m_right, y1), toU32(colors::kNoteBand));
            const std::string& text = laterText(g.seconds);  // cached: no allocation per frame
            const float w = ImGui::CalcTextSize(text.c_str()).x;
            dl->AddText(ImVec2((m_left + m_right - w) * 0.5f, (y0 + y1 - line) * 0.5f), toU32(colors::kNote), text.c_str());
        }
    }

    void drawToolbar(PanelContext& ctx, SeqAxis axis, std::span<const double> positions) {
        ViewSettings& s = ctx.settings;
        if (ImGui::RadioButton(tr(S::AxisIndex), !s.timeAxis)) s.timeAxis = false;
        ImGui::SameLine();
        if (ImGui::RadioButton(tr(S::AxisTime), s.timeAxis)) s.timeAxis = true;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
        ImGui::SliderFloat("##zoom", &s.rowPixels, 0.001f, 200.0f, "%.3g px", ImGuiSliderFlags_Logarithmic);
        s.rowPixels = std::clamp(s.rowPixels, 0.001f, 200.0f);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (Ctrl+wheel)", tr(S::Zoom));
        ImGui::SameLine();
        if (ImGui::Button(tr(S::Fit))) {
            // Fit: the whole trace in the canvas (roughly: the toolbar and lane header are about 4 lines).
            const float h = std::max(ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeight() * 2.0f, 50.0f);
            const double span = positions.empty() ? 1.0 : std::max(axisPosition(axis, positions, positions.size() - 1), 1.0);
            s.rowPixels = std::clamp(static_cast<float>(h / span), 0.001f, 200.0f);
            m_top = 0.0;
        }
    }

    void handleInput(PanelContext& ctx, double px, bool hovered, ImVec2 canvasMin) {
        const ImGuiIO& io = ImGui::GetIO();
        ViewSettings& s = ctx.settings;
        if (hovered && io.MouseWheel != 0.0f) {
            if (io.KeyCtrl) {
                // Zoom around the mouse: the axis position under it stays put.
                const double anchor = m_top + (io.MousePos.y - canvasMin.y) / px;
                s.rowPixels = std::clamp(static_cast<float>(px * std::pow(1.25, io.MouseWheel)), 0.001f, 200.0f);
                m_top = anchor - (io.MousePos.y - canvasMin.y) / s.rowPixels;
            } else {
                m_top -= io.MouseWheel * 3.0 * ImGui::GetTextLineHeight() / px;
            }
        }
        if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f)) {
            m_top -= io.MouseDelta.y / px;
            m_dragged = true;
        }
        if (ImGui::IsItemDeactivated()) {
            if (!m_dragged && m_hoverRow != kNoRow) ctx.cursor.set(m_hoverRow);
            m_dragged = false;
        }
    }

    // When the cursor moves (or the axis or the canvas changes), scroll so the cursor is in view, centred if needed.
    void followCursor(const PanelContext& ctx, SeqAxis axis, std::span<const double> positions, double visibleUnits,
                      float canvasH) {
        if (ctx.cursor.generation() == m_seenGeneration && axis == m_seenAxis && canvasH == m_seenCanvasH) return;
        const bool axisChanged = axis != m_seenAxis || canvasH != m_seenCanvasH;
        m_seenCanvasH = canvasH;
        m_seenGeneration = ctx.cursor.generation();
        m_seenAxis = axis;
        const double pos = axisPosition(axis, positions, ctx.cursor.position());
        const double margin = visibleUnits * 0.15;
        if (axisChanged || pos < m_top + margin || pos > m_top + visibleUnits - margin)
            m_top = pos - visibleUnits * 0.5;
    }

    // One row of the diagram: the cursor highlight, the gutter (step number, or the time for people where it
    // changes), then the item by kind.
    void drawItem(const PanelContext& ctx, ImDrawList* dl, const DrawnItem& d, float y, bool label, float canvasLeft,
                  SeqAxis axis) {
        const ViewModel& view = ctx.view;
        const Row& row = view.row(d.row);
        const SeqItem& item = view.sequence().item(d.row);
        m_rowLabel = view.label(d.row);  // the typed event rendered in the UI language (relay, DNS, queue, store, TLS)
        const std::size_t cursor = ctx.cursor.position();
        const float alpha = d.row > cursor ? ctx.settings.dimAlpha : 1.0f;
        const float line = ImGui::GetTextLineHeight();
        if (d.row == cursor || (d.folded > 0 && cursor > d.row && cursor <= d.row + d.folded)) {
            const float top = y - line - 3.0f, bottom = y + line * 0.35f;
            dl->AddRectFilled(ImVec2(canvasLeft, top), ImVec2(m_right, bottom), toU32(colors::kCursorRow));
            dl->AddRectFilled(ImVec2(canvasLeft, top), ImVec2(canvasLeft + 4.0f, bottom), toU32(colors::kAccent));
        }
        if (label) drawGutter(dl, d.row, row, y, canvasLeft, axis, alpha);
        const trace::Event& e = view.trace()->at(row.event);
        const unsigned color = toU32(rowColor(row.kind), alpha);
        switch (item.kind) {
        case SeqItemKind::ClientToServer:
        case SeqItemKind::ServerToClient:
        case SeqItemKind::Connection:
        case SeqItemKind::RelayHop:
        case SeqItemKind::DnsQuery:
        case SeqItemKind::DnsAnswer: drawArrow(ctx, dl, row, item, e, y, label, alpha, color); break;
        case SeqItemKind::TlsHandshake: drawHandshake(dl, item, e, y, label, alpha); break;
        case SeqItemKind::Queue: drawQueue(dl, row, item, y, label, alpha); break;
        case SeqItemKind::State:
        case SeqItemKind::Store:
        case SeqItemKind::Error:
        case SeqItemKind::Check: drawMark(dl, row, item, e, y, label, alpha, color); break;
        case SeqItemKind::Note:
            if (!label) break;
            dl->AddRectFilled(ImVec2(m_left, y - line - 3.0f), ImVec2(m_right, y + 2.0f), toU32(colors::kNoteBand, alpha));
            drawElided(dl, ImVec2(m_left + line * 0.3f, y - line - 1.0f), toU32(colors::kNote, alpha), lineText(row),
                       m_right - m_left - line * 0.6f);
            break;
        }
    }

    void drawGutter(ImDrawList* dl, std::size_t index, const Row& row, float y, float canvasLeft, SeqAxis axis, float alpha) {
        const float line = ImGui::GetTextLineHeight();
        char text[32];
        if (axis == SeqAxis::Index) {
            std::snprintf(text, sizeof text, "%zu", index);
        } else {  // the clock since the start, "1:46:30", only where it changes from the label above
            const long long t = std::llround(row.seconds);
            if (t == m_lastGutter) return;
            m_lastGutter = t;
            std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", t / 3600, (t / 60) % 60, t % 60);
        }
        const float w = ImGui::CalcTextSize(text).x;
        drawElided(dl, ImVec2(std::max(canvasLeft + m_gutter - w, canvasLeft), y - line), toU32(colors::kNote, alpha * 0.8f),
                   text, m_gutter);
    }

    // An arrow between two lanes with its text. The text stays between the two lanes (issue #14): centred when it
    // fits, otherwise wrapped onto a second line below the arrow when the rows are far enough apart, and elided with
    // "..." at the far lane (the tooltip shows the whole row).
    void drawArrow(const PanelContext& ctx, ImDrawList* dl, const Row& row, const SeqItem& item, const trace::Event& /*e*/,
                   float y, bool label, float alpha, unsigned color) {
        const float line = ImGui::GetTextLineHeight();
        const float x0 = laneX(item.from), x1 = laneX(item.to);
        const bool relay = item.kind == SeqItemKind::RelayHop;
        const bool dns = item.kind == SeqItemKind::DnsQuery || item.kind == SeqItemKind::DnsAnswer;
        const unsigned c = relay ? toU32(colors::kRelay, alpha) : dns ? toU32(colors::kDns, alpha) : color;
        if (item.from == item.to) {  // a hop to itself (a loop): a ring on the lane
            dl->AddCircle(ImVec2(x0, y - line * 0.4f), line * 0.45f, c, 0, 2.5f);
        } else {
            const float dir = x1 >= x0 ? 1.0f : -1.0f;
            const float head = line * (relay ? 0.6f : 0.45f);
            if (item.kind == SeqItemKind::Connection || dns) {
                for (float x = std::min(x0, x1); x < std::max(x0, x1) - head; x += 12.0f)
                    dl->AddLine(ImVec2(x, y), ImVec2(std::min(x + 6.0f, std::max(x0, x1) - head), y), c, 1.5f);
            } else {
                dl->AddLine(ImVec2(x0, y), ImVec2(x1 - dir * head, y), c, relay ? 3.5f : 2.0f);
            }
            dl->AddTriangleFilled(ImVec2(x1, y), ImVec2(x1 - dir * head, y - head * 0.5f),
                                  ImVec2(x1 - dir * head, y + head * 0.5f), c);
        }
        if (!label) return;
        std::string_view t = lineText(row);
        if (relay || dns) t = m_rowLabel;  // a hop: the result, then the message (the arrow shows the hosts)
        // Between the lanes; a ring (same lane) gets its lane's share on the right.
        float lo = std::min(x0, x1) + line * 0.4f, hi = std::max(x0, x1) - line * 0.4f;
        if (item.from == item.to) {
            lo = x0 + line * 0.6f;
            hi = item.from + 1u < m_laneX.size() ? laneX(static_cast<std::uint16_t>(item.from + 1)) - line * 0.4f : m_right - line * 0.2f;
        }
        ImGui::PushFont(relay || dns ? ImGui::GetFont() : ctx.fonts.mono());
        const float tag = item.tls() ? tlsTagWidth() + line * 0.3f : 0.0f;  // in the label's font
        const float room = std::max(hi - lo - tag, line);
        const char* begin = t.data();
        const char* end = t.data() + t.size();
        const float full = ImGui::CalcTextSize(begin, end).x;
        const float tx = full <= room ? (lo + hi - full - tag) * 0.5f : lo;
        if (tag > 0.0f) drawTlsTag(dl, ImVec2(tx, y - line - 2.0f), alpha);
        if (full > room && m_twoLines) {
            const char* cut = breakAtSpace(begin, end, room);
            dl->AddText(ImVec2(tx + tag, y - line - 2.0f), c, begin, cut);
            while (cut < end && *cut == ' ') ++cut;
            drawElided(dl, ImVec2(tx + tag, y + 2.0f), c, std::string_view(cut, static_cast<std::size_t>(end - cut)), room);
        } else {
            drawElided(dl, ImVec2(tx + tag, y - line - 2.0f), c, t, room);
        }
        ImGui::PopFont();
    }

    void drawHandshake(ImDrawList* dl, const SeqItem& item, const trace::Event& /*e*/, float y, bool label, float alpha) {
        // A band across the session's two lanes: everything below it on this session is encrypted.
        const float line = ImGui::GetTextLineHeight();
        const unsigned c = toU32(colors::kTls, alpha);
        const float lo = std::min(laneX(item.from), laneX(item.to)), hi = std::max(laneX(item.from), laneX(item.to));
        const ImVec2 a(lo, y - line - 2.0f), b(hi, y + 2.0f);
        dl->AddRectFilled(a, b, toU32(colors::kTls, 0.16f * alpha), line * 0.3f);
        dl->AddLine(ImVec2(lo, a.y), ImVec2(hi, a.y), c, 2.0f);
        dl->AddLine(ImVec2(lo, b.y), ImVec2(hi, b.y), c, 2.0f);
        if (!label) return;
        drawTlsTag(dl, ImVec2(lo + line * 0.3f, a.y + 1.0f), alpha);
        const float tx = lo + line * 0.6f + tlsTagWidth();
        drawElided(dl, ImVec2(tx, a.y + 1.0f), c, m_rowLabel, hi - line * 0.2f - tx);
    }

    // The room a mark on lane k may take: up to the middle of the gaps to its neighbours (or the canvas edges).
    void markRoom(std::uint16_t k, float& lo, float& hi) const {
        lo = k > 0 ? (laneX(static_cast<std::uint16_t>(k - 1)) + laneX(k)) * 0.5f : m_left;
        hi = k + 1u < m_laneX.size() ? (laneX(k) + laneX(static_cast<std::uint16_t>(k + 1))) * 0.5f : m_right;
    }

    // A pill centred on its lane, kept between the neighbouring lanes, elided to fit.
    void drawPill(ImDrawList* dl, std::uint16_t lane, float y, std::string_view t, unsigned fill, unsigned edge,
                  unsigned text) const {
        const float line = ImGui::GetTextLineHeight();
        const float pad = line * 0.3f;
        float lo = 0.0f, hi = 0.0f;
        markRoom(lane, lo, hi);
        const float w = std::min(ImGui::CalcTextSize(t.data(), t.data() + t.size()).x, std::max(hi - lo - 2.0f * pad - 4.0f, line));
        const float ax = std::clamp(laneX(lane) - w * 0.5f - pad, lo + 2.0f, std::max(hi - 2.0f - w - 2.0f * pad, lo + 2.0f));
        const ImVec2 a(ax, y - line - 2.0f), b(ax + w + 2.0f * pad, y + 1.0f);
        dl->AddRectFilled(a, b, fill, line * 0.5f);
        if (edge) dl->AddRect(a, b, edge, line * 0.5f, 0, 1.5f);
        drawElided(dl, ImVec2(a.x + pad, a.y + 1.0f), text, t, w + 1.0f);
    }

    void drawQueue(ImDrawList* dl, const Row& /*row*/, const SeqItem& item, float y, bool label, float alpha) const {
        // A pill on the MTA's lane in the relay colour: what its queue did (and when it retries).
        const float line = ImGui::GetTextLineHeight();
        if (!label) {
            dl->AddCircleFilled(ImVec2(laneX(item.from), y - line * 0.4f), line * 0.22f, toU32(colors::kRelay, alpha));
            return;
        }
        const std::string_view t = m_rowLabel;
        drawPill(dl, item.from, y, t, toU32(colors::kWhite, alpha), toU32(colors::kRelay, alpha), toU32(colors::kRelay, alpha));
    }

    void drawMark(ImDrawList* dl, const Row& row, const SeqItem& item, const trace::Event& e, float y, bool label,
                  float alpha, unsigned color) {
        const float line = ImGui::GetTextLineHeight();
        if (!label) {
            dl->AddCircleFilled(ImVec2(laneX(item.from), y - line * 0.4f), line * 0.22f, color);
            return;
        }
        if (item.kind == SeqItemKind::State) {
            std::snprintf(m_label, sizeof m_label, "%s", e.toState.c_str());
        } else if (item.kind == SeqItemKind::Store) {
            std::snprintf(m_label, sizeof m_label, "%.*s", static_cast<int>(m_rowLabel.size()), m_rowLabel.data());
        } else {
            const std::string_view t = lineText(row);
            std::snprintf(m_label, sizeof m_label, "%.*s", static_cast<int>(t.size()), t.data());
        }
        const bool solid = item.kind == SeqItemKind::State || item.kind == SeqItemKind::Store;
        const unsigned white = toU32(colors::kWhite, alpha);
        drawPill(dl, item.from, y, m_label, solid ? color : white, solid ? 0u : color, solid ? white : color);
    }

    // Where to end the first line of `[begin, end)` in `room` pixels: after the last space that fits, so an address or
    // a host name is never broken inside (ImGui's own wrap breaks after '.'); a first word too long is cut.
    static const char* breakAtSpace(const char* begin, const char* end, float room) {
        const char* best = nullptr;
        for (const char* p = begin; p < end; ++p)
            if (*p == ' ' && p > begin) {
                if (ImGui::CalcTextSize(begin, p).x > room) break;
                best = p;
            }
        if (best) return best;
        const char* cut = begin;
        while (cut < end) {
            const char* next = cut + 1;
            while (next < end && (static_cast<unsigned char>(*next) & 0xc0) == 0x80) ++next;
            if (ImGui::CalcTextSize(begin, next).x > room) break;
            cut = next;
        }
        return cut == begin ? std::min(begin + 1, end) : cut;
    }

    // The text from `t` that fits in `room` pixels, with "..." when it had to be cut (UTF-8 safe; no allocation).
    static void drawElided(ImDrawList* dl, ImVec2 at, unsigned color, std::string_view t, float room) {
        const char* end = t.data() + t.size();
        if (ImGui::CalcTextSize(t.data(), end).x <= room) {
            dl->AddText(at, color, t.data(), end);
            return;
        }
        static constexpr const char* kEllipsis = "...";
        const float dots = ImGui::CalcTextSize(kEllipsis).x;
        // ImGui's own word-wrap helper finds the longest prefix that fits in room - dots.
        const char* cut = ImGui::GetFont()->CalcWordWrapPositionA(1.0f, t.data(), end, std::max(room - dots, 1.0f));
        // CalcWordWrapPositionA breaks at spaces when it can; a character cut is fine for a label, so walk on.
        while (cut < end) {
            const char* next = cut + 1;
            while (next < end && (static_cast<unsigned char>(*next) & 0xc0) == 0x80) ++next;
            if (ImGui::CalcTextSize(t.data(), next).x + dots > room) break;
            cut = next;
        }
        dl->AddText(at, color, t.data(), cut);
        const float w = ImGui::CalcTextSize(t.data(), cut).x;
        dl->AddText(ImVec2(at.x + w, at.y), color, kEllipsis);
    }

    std::vector<DrawnItem> m_drawn;
    std::vector<float> m_laneX;      // lane centres (layoutLanes)
    float m_left = 0.0f, m_right = 0.0f, m_gutter = 0.0f;
    bool m_twoLines = false;         // labels may wrap onto a second line (the rows are far enough apart)
    long long m_lastGutter = -1;     // the time (s) labelled last in this frame
    char m_label[256] = {};
    std::string_view m_rowLabel;     // view.label() of the row being drawn
    double m_top = 0.0;              // axis position at the top of the canvas
    std::uint64_t m_seenGeneration = ~std::uint64_t{0};
    SeqAxis m_seenAxis = SeqAxis::Index;
    float m_seenCanvasH = 0.0f;
    std::size_t m_hoverRow = kNoRow;
    bool m_dragged = false;
};

}  // namespace

std::unique_ptr<Panel> makeSequencePanel() { return std::make_unique<SequencePanel>(); }

}  // namespace mailsim::gui
