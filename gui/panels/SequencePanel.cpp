// The sequence diagram: one lane per endpoint host, an arrow per C:/S: line with its text, state and store changes
// as marks on the server lane, connection events as dashed arrows, notes across the diagram. Time runs downwards,
// along the event index (even spacing) or the virtual time (true gaps), with zoom (Ctrl+wheel, slider, Fit) and pan
// (wheel, drag). Clicking an item moves the cursor there; when the cursor moves, the view follows it.
//
// Per frame: prepareSequence() binary-searches the visible window and folds items closer than a pixel (see
// SequenceLayout.hpp) into a reused vector, then this file draws only those. Labels are drawn only where there is
// room for a line of text. No allocation once warm.
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
        if (s.rowPixels <= 0.0f) s.rowPixels = std::round(line * 1.75f);
        const SeqAxis axis = s.timeAxis ? SeqAxis::Time : SeqAxis::Index;
        const auto seconds = view.rowSeconds();
        drawToolbar(ctx, seconds);

        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        if (avail.x < 50.0f || avail.y < line * 3.0f) return;
        const float gutter = ImGui::CalcTextSize("00000.000").x;
        // Lanes (their x does not depend on the header's height).
        const auto& lanes = view.sequence().lanes();
        const float left = origin.x + gutter + line;
        const float width = origin.x + avail.x - left;
        float widest = 0.0f;
        for (const auto& lane : lanes) widest = std::max(widest, ImGui::CalcTextSize(lane.c_str()).x);
        const float margin = std::max({width * 0.14f, line * 3.0f, widest * 0.5f + line});
        auto laneX = [&](std::uint16_t k) {
            if (lanes.size() <= 1) return left + width * 0.5f;
            return left + margin + static_cast<float>(k) * (width - 2.0f * margin) / static_cast<float>(lanes.size() - 1);
        };
        // When neighbouring lane names would overlap (many hosts, e.g. a relay with a DNS lane), every other name
        // goes on a second header row.
        bool staggered = false;
        for (std::uint16_t k = 0; k + 1u < lanes.size(); ++k)
            if (laneX(static_cast<std::uint16_t>(k + 1)) - laneX(k) <
                (ImGui::CalcTextSize(lanes[k].c_str()).x + ImGui::CalcTextSize(lanes[k + 1u].c_str()).x) * 0.5f + line * 1.4f)
                staggered = true;
        const float rowH = std::round(line * 1.7f);
        const float headerH = staggered ? std::round(line * 3.1f) : rowH;
        const ImVec2 canvasMin(origin.x, origin.y + headerH);
        const ImVec2 canvasMax(origin.x + avail.x, origin.y + avail.y);
        const float canvasH = canvasMax.y - canvasMin.y;
        const double px = axis == SeqAxis::Index ? s.rowPixels : m_secondPixels;
        const double visibleUnits = canvasH / px;
        const double maxPos = axisPosition(axis, seconds, seconds.size() - 1);

        ImGui::InvisibleButton("##canvas", avail);
        const bool hovered = ImGui::IsItemHovered();
        handleInput(ctx, axis, px, hovered, canvasMin);
        followCursor(ctx, axis, seconds, visibleUnits, canvasH);
        m_top = std::clamp(m_top, -visibleUnits * 0.1, std::max(maxPos - visibleUnits * 0.5, 0.0));

        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->PushClipRect(origin, canvasMax, true);
        dl->AddRectFilled(canvasMin, canvasMax, toU32({0xff, 0xff, 0xff}));
        for (std::uint16_t k = 0; k < lanes.size(); ++k) {
            const float x = laneX(k);
            for (float y = canvasMin.y; y < canvasMax.y; y += 10.0f)
                dl->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 5.0f, canvasMax.y)), toU32(colors::kNote, 0.5f), 1.5f);
            const char* name = lanes[k].c_str();
            const ImVec2 ts = ImGui::CalcTextSize(name);
            const float top = origin.y + 1.0f + (staggered && k % 2 == 1 ? headerH - rowH : 0.0f);
            const ImVec2 a(x - ts.x * 0.5f - line * 0.5f, top), b(x + ts.x * 0.5f + line * 0.5f, top + rowH - 4.0f);
            if (staggered && k % 2 == 0)  // the lane line reaches up to the name on the first row
                dl->AddLine(ImVec2(x, b.y), ImVec2(x, canvasMin.y), toU32(colors::kNote, 0.5f), 1.5f);
            dl->AddRectFilled(a, b, toU32({0xe8, 0xe4, 0xee}), 5.0f);
            dl->AddRect(a, b, toU32(colors::kState, 0.7f), 5.0f, 0, 1.5f);
            dl->AddText(ImVec2(x - ts.x * 0.5f, (a.y + b.y - ts.y) * 0.5f), toU32(colors::kText), name);
        }

        // Items.
        prepareSequence(axis, seconds, m_top, px, canvasH, 1.0f, m_drawn);
        const bool evenLabels = axis == SeqAxis::Index && px >= line * 1.05;
        const std::size_t cursor = ctx.cursor.position();
        float lastLabelY = -1e9f;
        m_hoverRow = kNoRow;
        const float mouseY = ImGui::GetIO().MousePos.y;
        float bestDist = line;
        const std::size_t gate = ctx.predict.gateRow();  // predict mode: the reply to guess is not drawn yet
        for (const DrawnItem& d : m_drawn) {
            if ((ctx.settings.hideFuture && d.row > cursor) || d.row >= gate) break;
            const float y = canvasMin.y + d.y + (axis == SeqAxis::Index ? static_cast<float>(px) * 0.72f : line + 2.0f);
            const bool label = evenLabels || (axis == SeqAxis::Time && y - lastLabelY >= line * 1.05f);
            if (label) lastLabelY = y;
            if (hovered && std::abs(mouseY - (y - line * 0.4f)) < bestDist) {
                bestDist = std::abs(mouseY - (y - line * 0.4f));
                m_hoverRow = d.row;
            }
            drawItem(ctx, dl, d, y, label, laneX, left, canvasMax.x, gutter, canvasMin.x, axis);
        }
        dl->PopClipRect();
        if (hovered && m_hoverRow != kNoRow) {
            const Row& row = view.row(m_hoverRow);
            ImGui::SetTooltip("%zu  %s", m_hoverRow, row.text.c_str());
        }
    }

private:
    void drawToolbar(PanelContext& ctx, std::span<const double> seconds) {
        ViewSettings& s = ctx.settings;
        if (ImGui::RadioButton(tr(S::AxisIndex), !s.timeAxis)) s.timeAxis = false;
        ImGui::SameLine();
        if (ImGui::RadioButton(tr(S::AxisTime), s.timeAxis)) s.timeAxis = true;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
        if (s.timeAxis) {
            float v = static_cast<float>(m_secondPixels);
            if (ImGui::SliderFloat("##zoom", &v, 0.001f, 1e6f, "%.3g px/s", ImGuiSliderFlags_Logarithmic))
                m_secondPixels = std::clamp(static_cast<double>(v), 1e-3, 1e6);
        } else {
            ImGui::SliderFloat("##zoom", &s.rowPixels, 0.001f, 200.0f, "%.3g px/step", ImGuiSliderFlags_Logarithmic);
            s.rowPixels = std::clamp(s.rowPixels, 0.001f, 200.0f);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (Ctrl+wheel)", tr(S::Zoom));
        ImGui::SameLine();
        if (ImGui::Button(tr(S::Fit))) m_fitRequested = true;
        if (m_fitRequested || m_secondPixels <= 0.0) {
            // Fit: the whole trace in the canvas (roughly: the toolbar and lane header are about 4 lines).
            const float h = std::max(ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeight() * 2.0f, 50.0f);
            const double span = seconds.empty() ? 1.0 : std::max(seconds.back(), 1e-6);
            m_secondPixels = std::clamp(h / span * 0.95, 1e-3, 1e6);
            if (m_fitRequested) {
                if (!s.timeAxis) s.rowPixels = std::clamp(h / static_cast<float>(std::max<std::size_t>(seconds.size(), 1)),
                                                          0.001f, 200.0f);
                m_top = 0.0;
            }
            m_fitRequested = false;
        }
    }

    void handleInput(PanelContext& ctx, SeqAxis axis, double px, bool hovered, ImVec2 canvasMin) {
        const ImGuiIO& io = ImGui::GetIO();
        ViewSettings& s = ctx.settings;
        if (hovered && io.MouseWheel != 0.0f) {
            if (io.KeyCtrl) {
                // Zoom around the mouse: the axis position under it stays put.
                const double anchor = m_top + (io.MousePos.y - canvasMin.y) / px;
                const double factor = std::pow(1.25, io.MouseWheel);
                double newPx = px * factor;
                if (axis == SeqAxis::Index) {
                    s.rowPixels = std::clamp(static_cast<float>(newPx), 0.001f, 200.0f);
                    newPx = s.rowPixels;
                } else {
                    m_secondPixels = std::clamp(newPx, 1e-3, 1e6);
                    newPx = m_secondPixels;
                }
                m_top = anchor - (io.MousePos.y - canvasMin.y) / newPx;
            } else {
                m_top -= io.MouseWheel * 3.0 * ImGui::GetTextLineHeight() / px;
            }
            m_userScrolled = true;
        }
        if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f)) {
            m_top -= io.MouseDelta.y / px;
            m_dragged = true;
            m_userScrolled = true;
        }
        if (ImGui::IsItemDeactivated()) {
            if (!m_dragged && m_hoverRow != kNoRow) ctx.cursor.set(m_hoverRow);
            m_dragged = false;
        }
    }

    // When the cursor moves (or the axis or the canvas changes), scroll so the cursor is in view, centred if needed.
    void followCursor(const PanelContext& ctx, SeqAxis axis, std::span<const double> seconds, double visibleUnits,
                      float canvasH) {
        if (ctx.cursor.generation() == m_seenGeneration && axis == m_seenAxis && canvasH == m_seenCanvasH) return;
        const bool axisChanged = axis != m_seenAxis || canvasH != m_seenCanvasH;
        m_seenCanvasH = canvasH;
        m_seenGeneration = ctx.cursor.generation();
        m_seenAxis = axis;
        const double pos = axisPosition(axis, seconds, ctx.cursor.position());
        const double margin = visibleUnits * 0.15;
        if (axisChanged || pos < m_top + margin || pos > m_top + visibleUnits - margin)
            m_top = pos - visibleUnits * 0.5;
    }

    template <typename LaneX>
    void drawItem(const PanelContext& ctx, ImDrawList* dl, const DrawnItem& d, float y, bool label, LaneX laneX,
                  float left, float right, float gutter, float canvasLeft, SeqAxis axis) {
        const ViewModel& view = ctx.view;
        const Row& row = view.row(d.row);
        const SeqItem& item = view.sequence().item(d.row);
        const std::size_t cursor = ctx.cursor.position();
        const float alpha = d.row > cursor ? ctx.settings.dimAlpha : 1.0f;
        const float line = ImGui::GetTextLineHeight();
        const unsigned color = toU32(rowColor(row.kind), alpha);
        if (d.row == cursor || (d.folded > 0 && cursor > d.row && cursor <= d.row + d.folded)) {
            const float top = y - line - 3.0f, bottom = y + line * 0.35f;
            dl->AddRectFilled(ImVec2(canvasLeft, top), ImVec2(right, bottom), toU32(colors::kCursorRow));
            dl->AddRectFilled(ImVec2(canvasLeft, top), ImVec2(canvasLeft + 4.0f, bottom), toU32(colors::kAccent));
        }
        if (label) {
            char gutterText[32];
            if (axis == SeqAxis::Index) std::snprintf(gutterText, sizeof gutterText, "%zu", d.row);
            else std::snprintf(gutterText, sizeof gutterText, "%.3f", row.seconds);
            const float w = ImGui::CalcTextSize(gutterText).x;
            dl->AddText(ImVec2(canvasLeft + gutter - w, y - line), toU32(colors::kNote, alpha * 0.8f), gutterText);
        }
        const float x0 = laneX(item.from), x1 = laneX(item.to);
        const trace::Event& e = view.trace()->at(row.event);
        switch (item.kind) {
        case SeqItemKind::ClientToServer:
        case SeqItemKind::ServerToClient:
        case SeqItemKind::Connection:
        case SeqItemKind::RelayHop:
        case SeqItemKind::DnsQuery:
        case SeqItemKind::DnsAnswer: {
            const bool relay = item.kind == SeqItemKind::RelayHop;
            const bool dns = item.kind == SeqItemKind::DnsQuery || item.kind == SeqItemKind::DnsAnswer;
            const unsigned c = relay ? toU32(colors::kRelay, alpha) : dns ? toU32(colors::kDns, alpha) : color;
            if (item.from == item.to && (relay || dns)) {  // a hop to itself (a loop): a ring on the lane
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
            if (label) {
                std::string_view t = lineText(row);
                if (relay || dns) t = view.label(d.row);  // a hop: the result, then the message (the arrow shows the hosts)
                // Readable labels: centred between the lanes when they fit, otherwise starting at the arrow's tail
                // and running on over other lanes up to the canvas edge; elided with "..." only there (the
                // tooltip shows the whole row).
                const float lo = std::min(x0, x1) + line * 0.4f, hi = std::max(x0, x1) - line * 0.4f;
                ImGui::PushFont(relay || dns ? ImGui::GetFont() : ctx.fonts.mono());
                const float tag = item.tls() ? tlsTagWidth() + line * 0.3f : 0.0f;  // in the label's font
                const float full = ImGui::CalcTextSize(t.data(), t.data() + t.size()).x + tag;
                float tx = (lo + hi - full) * 0.5f;
                if (full > hi - lo) {
                    const bool rightward = x1 >= x0;
                    tx = rightward ? lo : hi - full;
                    tx = std::clamp(tx, left + line * 0.2f, std::max(right - line * 0.2f - full, left + line * 0.2f));
                }
                const float room = right - line * 0.2f - tx;
                if (tag > 0.0f) drawTlsTag(dl, ImVec2(tx, y - line - 2.0f), alpha);
                drawElided(dl, ImVec2(tx + tag, y - line - 2.0f), c, t, room - tag);
                ImGui::PopFont();
            }
            break;
        }
        case SeqItemKind::TlsHandshake: {
            // A band across the session's two lanes: everything below it on this session is encrypted.
            const unsigned c = toU32(colors::kTls, alpha);
            const float lo = std::min(x0, x1), hi = std::max(x0, x1);
            const ImVec2 a(lo, y - line - 2.0f), b(hi, y + 2.0f);
            dl->AddRectFilled(a, b, toU32(colors::kTls, 0.16f * alpha), line * 0.3f);
            dl->AddLine(ImVec2(lo, a.y), ImVec2(hi, a.y), c, 2.0f);
            dl->AddLine(ImVec2(lo, b.y), ImVec2(hi, b.y), c, 2.0f);
            if (label) {
                drawTlsTag(dl, ImVec2(lo + line * 0.3f, a.y + 1.0f), alpha);
                const float tx = lo + line * 0.6f + tlsTagWidth();
                drawElided(dl, ImVec2(tx, a.y + 1.0f), c, view.label(d.row), right - line * 0.2f - tx);
            }
            break;
        }
        case SeqItemKind::Queue: {
            // A pill on the MTA's lane in the relay colour: what its queue did (and when it retries).
            if (!label) {
                dl->AddCircleFilled(ImVec2(x0, y - line * 0.4f), line * 0.22f, toU32(colors::kRelay, alpha));
                break;
            }
            const std::string_view t = view.label(d.row);
            const float pad = line * 0.3f;
            const float maxW = std::max(right - left - 2.0f * pad - line, line);
            const float w = std::min(ImGui::CalcTextSize(t.data(), t.data() + t.size()).x, maxW);
            float ax = std::clamp(x0 - w * 0.5f - pad, left, std::max(right - 2.0f - w - 2.0f * pad, left));
            const ImVec2 a(ax, y - line - 2.0f), b(ax + w + 2.0f * pad, y + 1.0f);
            dl->AddRectFilled(a, b, toU32({0xff, 0xff, 0xff}, alpha), line * 0.5f);
            dl->AddRect(a, b, toU32(colors::kRelay, alpha), line * 0.5f, 0, 2.0f);
            drawElided(dl, ImVec2(a.x + pad, a.y + 1.0f), toU32(colors::kRelay, alpha), t, w + 1.0f);
            break;
        }
        case SeqItemKind::State:
        case SeqItemKind::Store:
        case SeqItemKind::Error:
        case SeqItemKind::Check: {
            if (!label) {
                dl->AddCircleFilled(ImVec2(x0, y - line * 0.4f), line * 0.22f, color);
                break;
            }
            char text[160];
            if (item.kind == SeqItemKind::State) {
                std::snprintf(text, sizeof text, "%s", e.toState.c_str());
            } else if (item.kind == SeqItemKind::Store) {
                const std::string_view t = view.label(d.row);
                std::snprintf(text, sizeof text, "%.*s", static_cast<int>(t.size()), t.data());
            } else {
                const std::string_view t = lineText(row);
                std::snprintf(text, sizeof text, "%.*s", static_cast<int>(t.size()), t.data());
            }
            const ImVec2 ts = ImGui::CalcTextSize(text);
            const float pad = line * 0.3f;
            float ax = x0 - ts.x * 0.5f - pad;
            if (ax + ts.x + 2.0f * pad > right - 2.0f) ax = right - 2.0f - ts.x - 2.0f * pad;  // keep it in the canvas
            const ImVec2 a(ax, y - line - 2.0f), b(ax + ts.x + 2.0f * pad, y + 1.0f);
            const bool solid = item.kind == SeqItemKind::State || item.kind == SeqItemKind::Store;
            dl->AddRectFilled(a, b, solid ? color : toU32({0xff, 0xff, 0xff}, alpha), line * 0.5f);
            if (!solid) dl->AddRect(a, b, color, line * 0.5f, 0, 1.5f);
            dl->AddText(ImVec2(a.x + pad, a.y + (b.y - a.y - ts.y) * 0.5f),
                        solid ? toU32({0xff, 0xff, 0xff}, alpha) : color, text);
            break;
        }
        case SeqItemKind::Note: {
            if (!label) break;
            const std::string_view t = lineText(row);
            dl->AddRectFilled(ImVec2(left, y - line - 3.0f), ImVec2(right, y + 2.0f), toU32({0xf3, 0xf1, 0xe6}, alpha));
            dl->AddText(ImVec2(left + line * 0.3f, y - line - 1.0f), toU32(colors::kNote, alpha), t.data(),
                        t.data() + t.size());
            break;
        }
        }
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
    double m_top = 0.0;              // axis position at the top of the canvas
    double m_secondPixels = 0.0;     // time-axis zoom; 0 = fit on first use
    std::uint64_t m_seenGeneration = ~std::uint64_t{0};
    SeqAxis m_seenAxis = SeqAxis::Index;
    float m_seenCanvasH = 0.0f;
    std::size_t m_hoverRow = kNoRow;
    bool m_dragged = false;
    bool m_userScrolled = false;
    bool m_fitRequested = false;
};

}  // namespace

std::unique_ptr<Panel> makeSequencePanel() { return std::make_unique<SequencePanel>(); }

}  // namespace mailsim::gui
