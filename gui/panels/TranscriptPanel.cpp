// The transcript: the textbook C:/S: lines with state transitions and notes, coloured by kind. The cursor line is
// highlighted and kept in view; lines after the cursor are dimmed (or hidden). Clicking a line moves the cursor.
// Only the visible rows are submitted (ImGuiListClipper), and a frame allocates nothing: the filtered row list is
// rebuilt only when the filter or the document changes.
// A filter bar picks one session (its lines, plus the notes that belong to it) and finds text: Enter moves the
// cursor to the next row containing it (case-insensitive), wrapping around.
// Lines sent inside TLS carry a small lock tag ("TLS") before their text. The time column reads for people ("1 h 46 min
// 30 s", shown where the second changes); presenter mode drops it and wraps long lines instead of clipping them.
#include "Panel.hpp"
#include "Theme.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace mailsim::gui {
namespace {

class TranscriptPanel final : public Panel {
public:
    const char* id() const override { return "transcript"; }
    const char* title(const PanelContext&) const override { return tr(S::TitleTranscript); }
    Slot slot(const PanelContext& ctx) const override { return ctx.doc.loaded() ? Slot::Main : Slot::Hidden; }

    void draw(PanelContext& ctx) override {
        const ViewModel& view = ctx.view;
        if (view.empty()) {
            ImGui::TextDisabled("%s", tr(S::NoRows));
            return;
        }
        drawFilterBar(ctx);
        refreshFilter(ctx);
        const std::size_t cursor = ctx.cursor.position();
        // Rows [0, shown) of the filtered list: all of it, or up to the cursor when later lines are hidden.
        // In predict mode the rows stop at the reply to guess, shown as "?".
        const std::size_t gate = ctx.predict.gateRow();
        const std::size_t last =
            ctx.settings.hideFuture ? (gate != kNoRow && cursor + 1 >= gate ? gate : cursor) : gate;
        const std::size_t shown =
            last == kNoRow ? m_rows.size()
                           : static_cast<std::size_t>(std::upper_bound(m_rows.begin(), m_rows.end(), last) - m_rows.begin());
        // Presenter mode (issue #14: nothing essential clipped): no time column, and long lines wrap inside the line
        // column; rows then have their own heights, so every shown row is laid out (a classroom scenario has a few
        // hundred). Otherwise one line per row, clipped to the visible rows (ImGuiListClipper) for any trace size.
        const bool wrap = ctx.settings.presenter && shown <= kMaxWrappedRows;
        const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                      ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
        const int columns = ctx.settings.presenter ? 2 : 3;
        if (!ImGui::BeginTable("transcript", columns, flags)) return;
        const float digit = ImGui::CalcTextSize("0").x;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, digit * 4.6f);
        if (columns == 3) ImGui::TableSetupColumn(tr(S::ColumnTime), ImGuiTableColumnFlags_WidthFixed, digit * 10.0f);
        ImGui::TableSetupColumn(tr(S::ColumnLine), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();

        const float rowHeight = ImGui::GetTextLineHeight() + 2.0f * ImGui::GetStyle().CellPadding.y;
        ImGui::PushFont(ctx.fonts.mono());
        if (wrap) {
            const bool follow = cursorMoved(ctx);
            for (std::size_t k = 0; k < shown; ++k) {
                drawRow(ctx, m_rows[k], 0.0f, true);
                if (follow && m_rows[k] == cursor) ImGui::SetScrollHereY(0.4f);
            }
        } else {
            keepCursorInView(ctx, rowHeight);
            ImGuiListClipper clipper;
            clipper.Begin(static_cast<int>(shown), rowHeight);
            while (clipper.Step()) {
                for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
                    drawRow(ctx, m_rows[static_cast<std::size_t>(i)], rowHeight, false);
            }
            clipper.End();
        }
        ImGui::PopFont();
        ImGui::EndTable();
    }

private:
    static constexpr std::size_t kMaxWrappedRows = 5000;

    // True on the frames after the cursor moved (the wrapped table scrolls to it while it is laid out).
    bool cursorMoved(const PanelContext& ctx) {
        if (ctx.cursor.generation() != m_seenGeneration || m_seenHide != ctx.settings.hideFuture) {
            m_seenGeneration = ctx.cursor.generation();
            m_seenHide = ctx.settings.hideFuture;
            m_pendingFrames = 3;
        }
        if (m_pendingFrames == 0) return false;
        --m_pendingFrames;
        return true;
    }

    void drawRow(PanelContext& ctx, std::size_t i, float rowHeight, bool wrap) {
        const Row& row = ctx.view.row(i);
        const std::size_t cursor = ctx.cursor.position();
        const bool current = i == cursor;
        const float alpha = i > cursor ? ctx.settings.dimAlpha : 1.0f;

        ImGui::TableNextRow(ImGuiTableRowFlags_None, rowHeight);
        ImGui::TableSetColumnIndex(0);
        char label[32];
        std::snprintf(label, sizeof label, "%4zu##row", i);  // right-aligned, room for the bar
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote, alpha));
        if (ImGui::Selectable(label, current, ImGuiSelectableFlags_SpanAllColumns)) ctx.cursor.set(i);
        ImGui::PopStyleColor();
        if (current) {
            // An accent bar at the left edge of the cursor line, visible even on a washed-out projector.
            ImVec2 min = ImGui::GetItemRectMin();
            ImVec2 max = ImGui::GetItemRectMax();
            ImDrawList* dl = ImGui::GetWindowDrawList();
            float bar = ImGui::GetFontSize() * 0.22f;
            dl->AddRectFilled(min, ImVec2(min.x + bar, max.y), toU32(colors::kAccent));
        }

        if (!ctx.settings.presenter) {  // the time for people ("1 h 46 min 30 s"), only where it changes
            ImGui::TableSetColumnIndex(1);
            const std::int64_t now = std::llround(row.seconds), before = i == 0 ? -1 : std::llround(ctx.view.row(i - 1).seconds);
            if (now != before) {
                ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote, alpha));
                ImGui::TextUnformatted(durationText(now).c_str());  // cached: no allocation per frame
                ImGui::PopStyleColor();
            }
        }

        ImGui::TableSetColumnIndex(ctx.settings.presenter ? 1 : 2);
        if (ctx.view.sequence().item(i).tls()) {  // a line inside TLS: the lock tag before it
            const ImVec2 at = ImGui::GetCursorScreenPos();
            drawTlsTag(ImGui::GetWindowDrawList(), at, alpha);
            ImGui::Dummy(ImVec2(tlsTagWidth(), ImGui::GetTextLineHeight()));
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::TlsProtected));
            ImGui::SameLine();
        }
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(rowColor(row.kind), alpha));
        if (i == ctx.predict.gateRow()) {  // the reply to guess: "?", not dimmed
            ImGui::PopStyleColor();
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(rowColor(row.kind)));
            ImGui::Text("%s %s", row.kind == RowKind::Server ? "S:" : "  ", tr(S::PredictHidden));
            ImGui::PopStyleColor();
            return;
        }
        if (wrap) ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(row.text.data(), row.text.data() + row.text.size());
        if (wrap) ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        // Long lines are clipped by the column; hovering shows them whole.
        if (ImGui::IsItemHovered() && ImGui::GetItemRectMax().x > ImGui::GetWindowPos().x + ImGui::GetWindowWidth())
            ImGui::SetTooltip("%s", row.text.c_str());
    }

    // When the cursor moved, scroll just enough that the cursor line and a few lines of context are visible.
    // (The scroll range is known only after the rows were laid out once: cursorMoved() says so for three frames.)
    void keepCursorInView(const PanelContext& ctx, float rowHeight) {
        if (!cursorMoved(ctx)) return;
        const float header = rowHeight;  // the frozen header row
        const float visible = ImGui::GetWindowHeight() - header;
        const float margin = rowHeight * 3.0f;
        const auto at = std::lower_bound(m_rows.begin(), m_rows.end(), ctx.cursor.position());
        const float top = static_cast<float>(at - m_rows.begin()) * rowHeight;
        const float scroll = ImGui::GetScrollY();
        if (top - margin < scroll) ImGui::SetScrollY(top - margin < 0.0f ? 0.0f : top - margin);
        else if (top + rowHeight + margin > scroll + visible) ImGui::SetScrollY(top + rowHeight + margin - visible);
    }

    void drawFilterBar(PanelContext& ctx) {
        const ViewModel& view = ctx.view;
        const auto& sessions = ctx.doc.result->trace.sessions();  // drawn only when loaded()
        char preview[96];
        if (m_session == trace::kNoSession || m_session > sessions.size()) {
            std::snprintf(preview, sizeof preview, "%s", tr(S::AllSessions));
        } else {
            const auto& s = sessions[m_session - 1];
            std::snprintf(preview, sizeof preview, "%u %s: %s", s.id, s.protocol.c_str(), s.client.c_str());
        }
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12.0f);
        if (ImGui::BeginCombo("##session", preview)) {
            if (ImGui::Selectable(tr(S::AllSessions), m_session == trace::kNoSession)) m_session = trace::kNoSession;
            for (const auto& s : sessions) {
                char label[160];
                std::snprintf(label, sizeof label, "%u %s: %s -> %s", s.id, s.protocol.c_str(), s.client.c_str(),
                              s.server.c_str());
                if (ImGui::Selectable(label, m_session == s.id)) m_session = s.id;
            }
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        ImGui::SetNextItemWidth(-1.0f);
        if (ImGui::InputTextWithHint("##find", tr(S::FindHint), m_find, sizeof m_find,
                                     ImGuiInputTextFlags_EnterReturnsTrue)) {
            m_noMatch = !findNext(ctx);
            ImGui::SetKeyboardFocusHere(-1);  // keep typing / pressing Enter for the next match
        }
        if (m_noMatch && m_find[0]) ImGui::TextDisabled("%s", tr(S::NoMatch));
        (void)view;
    }

    // Moves the cursor to the next shown row after it whose text contains m_find (case-insensitive), wrapping.
    bool findNext(PanelContext& ctx) {
        std::string_view needle(m_find);
        if (needle.empty() || m_rows.empty()) return true;
        auto contains = [&](const std::string& text) {
            auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            });
            return it != text.end();
        };
        const std::size_t start =
            static_cast<std::size_t>(std::upper_bound(m_rows.begin(), m_rows.end(), ctx.cursor.position()) - m_rows.begin());
        for (std::size_t k = 0; k < m_rows.size(); ++k) {
            std::size_t row = m_rows[(start + k) % m_rows.size()];
            if (contains(ctx.view.row(row).text)) {
                ctx.cursor.set(row);
                return true;
            }
        }
        return false;
    }

    // The rows the filter lets through, in order; rebuilt only when the filter or the document changed.
    void refreshFilter(const PanelContext& ctx) {
        const ViewModel& view = ctx.view;
        if (m_filteredFor == &view && m_filteredSession == m_session && m_filteredSize == view.size()) return;
        m_filteredFor = &view;
        m_filteredSession = m_session;
        m_filteredSize = view.size();
        m_rows.clear();
        for (std::size_t i = 0; i < view.size(); ++i) {
            const Row& row = view.row(i);
            if (m_session == trace::kNoSession || row.session == m_session || row.focus == m_session) m_rows.push_back(i);
        }
    }

    trace::SessionId m_session = trace::kNoSession;  // kNoSession: every session
    char m_find[128] = {};
    bool m_noMatch = false;
    std::vector<std::size_t> m_rows;  // indices into the view model
    const ViewModel* m_filteredFor = nullptr;
    trace::SessionId m_filteredSession = trace::kNoSession;
    std::size_t m_filteredSize = 0;
    std::uint64_t m_seenGeneration = ~std::uint64_t{0};
    bool m_seenHide = false;
    int m_pendingFrames = 0;
};

}  // namespace

std::unique_ptr<Panel> makeTranscriptPanel() { return std::make_unique<TranscriptPanel>(); }

}  // namespace mailsim::gui
