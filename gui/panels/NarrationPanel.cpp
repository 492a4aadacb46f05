// The narration: the scenario's latest note at or before the cursor ("# Connection set-up: ..."), wrapped and
// large, so the class reads what the current phase is about while the transcript advances.
#include "Panel.hpp"
#include "Theme.hpp"

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
        const trace::Event& note = view.trace()->at(row.noteEvent);
        const std::string& text = ctx.doc.loaded() ? sim::scenarioTextOf(*ctx.doc.result, note, uiLang()) : note.text;
        const bool fresh = row.event == row.noteEvent;  // the cursor is on the note itself
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(fresh ? colors::kText : colors::kNote));
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(text.data(), text.data() + text.size());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
};

}  // namespace

std::unique_ptr<Panel> makeNarrationPanel() { return std::make_unique<NarrationPanel>(); }

}  // namespace mailsim::gui
