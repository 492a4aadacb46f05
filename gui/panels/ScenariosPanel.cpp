// The scenario browser: the *.yaml files next to the open scenario, each with its title; clicking one opens it
// (the App loads it between frames). The list is read when a document is loaded, not per frame.
#include "Panel.hpp"
#include "Theme.hpp"

namespace mailsim::gui {
namespace {

class ScenariosPanel final : public Panel {
public:
    const char* id() const override { return "scenarios"; }
    const char* title(const PanelContext&) const override { return tr(S::TitleScenarios); }
    Slot slot(const PanelContext& ctx) const override { return ctx.doc.loaded() ? Slot::SideBottom : Slot::Hidden; }
    bool secondary() const override { return true; }

    void draw(PanelContext& ctx) override {
        if (ctx.scenarios.empty()) {
            ImGui::TextDisabled("%s", tr(S::NoScenarios));
            return;
        }
        for (std::size_t i = 0; i < ctx.scenarios.size(); ++i) {
            const ScenarioEntry& s = ctx.scenarios[i];
            const bool current = s.path == ctx.doc.path;
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Selectable("##open", current, 0, ImVec2(0.0f, ImGui::GetTextLineHeight() * 2.0f)) && !current)
                ctx.request(OpenRequest{s.path, {}});
            ImGui::SameLine(ImGui::GetStyle().ItemSpacing.x);
            ImGui::BeginGroup();
            ImGui::TextUnformatted(s.title.empty() ? s.name.c_str() : s.title.in(uiLang()).c_str());
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
            ImGui::Text("%s %s", s.name.c_str(), current ? tr(S::CurrentScenario) : "");
            ImGui::PopStyleColor();
            ImGui::EndGroup();
            ImGui::PopID();
        }
    }
};

}  // namespace

std::unique_ptr<Panel> makeScenariosPanel() { return std::make_unique<ScenariosPanel>(); }

}  // namespace mailsim::gui
