// The header: the scenario's title and description, and the playback controls for the trace cursor.
#include "Panel.hpp"
#include "Theme.hpp"

#include <cstdio>

namespace mailsim::gui {
namespace {

class HeaderPanel final : public Panel {
public:
    const char* title(const PanelContext&) const override { return "##header"; }
    Slot slot(const PanelContext&) const override { return Slot::Header; }
    ImGuiWindowFlags windowFlags() const override {
        return ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }

    void draw(PanelContext& ctx) override {
        const Document& doc = ctx.doc;
        ImGui::PushFont(ctx.fonts.heading());
        if (doc.loaded() && !doc.result->title.empty()) ImGui::TextUnformatted(doc.result->title.c_str());
        else ImGui::TextUnformatted(doc.path.c_str());
        ImGui::PopFont();
        if (doc.loaded() && !doc.result->description.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
            ImGui::TextWrapped("%s", doc.result->description.c_str());
            ImGui::PopStyleColor();
        }
        if (!doc.loaded()) return;
        drawControls(ctx);
    }

private:
    void drawControls(PanelContext& ctx) {
        Cursor& cursor = ctx.cursor;
        const bool empty = cursor.count() == 0;
        ImGui::BeginDisabled(empty);
        if (ImGui::Button("|< First")) cursor.home();
        ImGui::SameLine();
        if (ImGui::Button("< Back")) cursor.step(-1);
        ImGui::SameLine();
        if (ImGui::Button(cursor.playing() ? "Pause" : "Play", ImVec2(ImGui::GetFontSize() * 4.0f, 0.0f)))
            cursor.togglePlaying(ctx.now);
        ImGui::SameLine();
        if (ImGui::Button("Next >")) cursor.step(1);
        ImGui::SameLine();
        if (ImGui::Button("Last >|")) cursor.end();
        ImGui::SameLine();

        int position = static_cast<int>(cursor.position());
        int last = empty ? 0 : static_cast<int>(cursor.count()) - 1;
        char format[48];
        std::snprintf(format, sizeof format, "step %%d of %d", last);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14.0f);
        if (ImGui::SliderInt("##cursor", &position, 0, last, format, ImGuiSliderFlags_AlwaysClamp))
            cursor.set(static_cast<std::size_t>(position));
        ImGui::EndDisabled();

        if (!empty) {
            ImGui::SameLine();
            ImGui::AlignTextToFramePadding();
            ImGui::TextDisabled("t = %.3f s", ctx.view.row(cursor.position()).seconds);
        }
        ImGui::SameLine();
        ImGui::Checkbox("Hide later lines", &ctx.settings.hideFuture);
    }
};

}  // namespace

std::unique_ptr<Panel> makeHeaderPanel() { return std::make_unique<HeaderPanel>(); }

}  // namespace mailsim::gui
