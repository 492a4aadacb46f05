// The transcript: the textbook C:/S: lines with state transitions and notes, coloured by kind. The cursor line is
// highlighted and kept in view; lines after the cursor are dimmed (or hidden). Clicking a line moves the cursor.
// Only the visible rows are submitted (ImGuiListClipper), and a frame allocates nothing.
#include "Panel.hpp"
#include "Theme.hpp"

#include <cstdio>

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
        const std::size_t cursor = ctx.cursor.position();
        const std::size_t shown = ctx.settings.hideFuture ? cursor + 1 : view.size();
        const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                      ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable("transcript", 3, flags)) return;
        const float digit = ImGui::CalcTextSize("0").x;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, digit * 4.6f);
        ImGui::TableSetupColumn("time (s)", ImGuiTableColumnFlags_WidthFixed, digit * 8.0f);
        ImGui::TableSetupColumn("transcript", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();

        const float rowHeight = ImGui::GetTextLineHeight() + 2.0f * ImGui::GetStyle().CellPadding.y;
        keepCursorInView(ctx, rowHeight);

        ImGui::PushFont(ctx.fonts.mono());
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(shown), rowHeight);
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) drawRow(ctx, static_cast<std::size_t>(i), rowHeight);
        }
        clipper.End();
        ImGui::PopFont();
        ImGui::EndTable();
    }

private:
    void drawRow(PanelContext& ctx, std::size_t i, float rowHeight) {
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

        ImGui::TableSetColumnIndex(1);
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote, alpha));
        ImGui::Text("%7.3f", row.seconds);
        ImGui::PopStyleColor();

        ImGui::TableSetColumnIndex(2);
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(rowColor(row.kind), alpha));
        ImGui::TextUnformatted(row.text.data(), row.text.data() + row.text.size());
        ImGui::PopStyleColor();
        // Long lines are clipped by the column; hovering shows them whole.
        if (ImGui::IsItemHovered() && ImGui::GetItemRectMax().x > ImGui::GetWindowPos().x + ImGui::GetWindowWidth())
            ImGui::SetTooltip("%s", row.text.c_str());
    }

    // When the cursor moved, scroll just enough that the cursor line and a few lines of context are visible.
    void keepCursorInView(const PanelContext& ctx, float rowHeight) {
        if (ctx.cursor.generation() != m_seenGeneration || m_seenHide != ctx.settings.hideFuture) {
            m_seenGeneration = ctx.cursor.generation();
            m_seenHide = ctx.settings.hideFuture;
            m_pendingFrames = 3;  // the scroll range is known only after the rows were laid out once: retry
        }
        if (m_pendingFrames == 0) return;
        --m_pendingFrames;
        const float header = rowHeight;  // the frozen header row
        const float visible = ImGui::GetWindowHeight() - header;
        const float margin = rowHeight * 3.0f;
        const float top = static_cast<float>(ctx.cursor.position()) * rowHeight;
        const float scroll = ImGui::GetScrollY();
        if (top - margin < scroll) ImGui::SetScrollY(top - margin < 0.0f ? 0.0f : top - margin);
        else if (top + rowHeight + margin > scroll + visible) ImGui::SetScrollY(top + rowHeight + margin - visible);
    }

    std::uint64_t m_seenGeneration = ~std::uint64_t{0};
    bool m_seenHide = false;
    int m_pendingFrames = 0;
};

}  // namespace

std::unique_ptr<Panel> makeTranscriptPanel() { return std::make_unique<TranscriptPanel>(); }

}  // namespace mailsim::gui
