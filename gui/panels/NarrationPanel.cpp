// The narration: the note that belongs to the cursor's step and session (ViewModel.hpp, "Narration": a note is not
// shown once the story moved on), wrapped and large, so the class reads what the current phase is about while the
// transcript advances. In presenter mode the pane grows until the whole note is in view (issue #14: never clipped).
#include "Panel.hpp"
#include "Theme.hpp"

#include <algorithm>

namespace mailsim::gui {
namespace {

class NarrationPanel final : public Panel {
public:
    const char* id() const override { return "narration"; }
    const char* title(const PanelContext&) const override { return tr(S::TitleNarration); }
    Slot slot(const PanelContext& ctx) const override { return ctx.doc.loaded() ? Slot::MainBottom : Slot::Hidden; }

    void draw(PanelContext& ctx) override {
        const ViewModel& view = ctx.view;
        if (view.empty() || !view.trace()) return;
        const Row& row = view.row(ctx.cursor.position());
        if (row.noteEvent == trace::kNoCause) {
            ImGui::TextDisabled("%s", tr(S::NoNarration));
            return;
        }
        const std::string_view text = view.noteText(row.noteEvent);  // in the UI's language, made with the view
        const bool fresh = row.event == row.noteEvent;  // the cursor is on the note itself
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(fresh ? colors::kText : colors::kNote));
        wrappedText(text);  // Chinese narration wraps between characters too
        ImGui::PopStyleColor();
        if (ctx.settings.presenter) {
            const float needed = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
            const float have = ImGui::GetWindowHeight();
            if (needed > have + 1.0f && have > 0.0f)
                ctx.settings.bottomHeight = std::min(0.5f, ctx.settings.bottomHeight * needed / have);
        }
    }
};

}  // namespace

std::unique_ptr<Panel> makeNarrationPanel() { return std::make_unique<NarrationPanel>(); }

}  // namespace mailsim::gui
