// Checks: the scenario's expectations (how many were checked, each failure with a link to its place in the
// transcript), the sessions of the run; or, when the file could not be used, its diagnostics as
// `file:line:col: message`, filling the window so the instructor sees what to fix.
//
// The session list is clipped (ImGuiListClipper): a trace may hold tens of thousands of sessions, and formatting and
// measuring every one of them each frame was most of an idle frame's cost (the 1M-event bench: ~27,000 sessions).
#include "Panel.hpp"
#include "Theme.hpp"
#include "trace/Render.hpp"

namespace mailsim::gui {
namespace {

class ChecksPanel final : public Panel {
public:
    const char* id() const override { return "checks"; }
    const char* title(const PanelContext& ctx) const override {
        return ctx.doc.loaded() ? tr(S::TitleChecks) : tr(S::TitleChecksFailed);
    }
    bool secondary() const override { return true; }
    Slot slot(const PanelContext& ctx) const override { return ctx.doc.loaded() ? Slot::SideBottom : Slot::Full; }

    void draw(PanelContext& ctx) override {
        if (!ctx.doc.loaded()) drawDiagnostics(ctx);
        else drawChecks(ctx);
    }

private:
    void drawDiagnostics(PanelContext& ctx) {
        ImGui::PushFont(ctx.fonts.mono());
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kError));
        for (const auto& d : ctx.doc.diagnostics) {
            m_line = d.format(uiLang());  // only drawn when loading failed; not an idle-frame path worth caching
            ImGui::TextWrapped("%s", m_line.c_str());
        }
        ImGui::PopStyleColor();
        ImGui::PopFont();
        ImGui::Spacing();
        ImGui::TextDisabled("%s", tr(S::FixAndReload));
        if (ImGui::Button(tr(S::Reload))) ctx.request(ReloadRequest{});
    }

    void drawChecks(PanelContext& ctx) {
        const sim::RunResult& run = *ctx.doc.result;
        if (run.ok()) {
            ImGui::TextColored(toVec4(colors::kCheckOk), tr(S::AllHeldFmt), run.expectationsChecked);
        } else {
            ImGui::TextColored(toVec4(colors::kError), tr(S::FailedFmt), run.failures.size(),
                               run.expectationsChecked);
            for (std::size_t i = 0; i < run.failures.size(); ++i) {
                const auto& f = run.failures[i];
                ImGui::PushID(static_cast<int>(i));
                ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kError));
                m_line = f.place.text(uiLang());
                if (ImGui::Selectable(m_line.c_str())) {
                    if (auto row = ctx.view.rowOfEvent(f.event)) ctx.cursor.set(*row);
                }
                ImGui::PopStyleColor();
                ImGui::Indent();
                // The event's typed facts in the UI's language (`f.expected`/`f.got` are their English).
                const trace::Event& e = run.trace.at(f.event);
                ImGui::TextWrapped(tr(S::ExpectedFmt), trace::expectedText(e, uiLang()).c_str());
                ImGui::TextWrapped(tr(S::GotFmt), trace::gotText(e, uiLang()).c_str());
                ImGui::Unindent();
                ImGui::PopID();
            }
        }
        ImGui::Spacing();
        const trace::Trace& tr = run.trace;
        ImGui::TextDisabled(gui::tr(S::SessionsFmt), tr.sessions().size(), tr.size());
        const auto& sessions = tr.sessions();
        ImGuiListClipper clipper;  // only the visible lines are formatted and laid out
        clipper.Begin(static_cast<int>(sessions.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto& s = sessions[static_cast<std::size_t>(i)];
                ImGui::BulletText("%u %s: %s \xe2\x86\x92 %s", s.id, s.protocol.c_str(), s.client.c_str(),
                                  s.server.c_str());
            }
        }
        ImGui::Spacing();
        ImGui::TextWrapped("%s", gui::tr(S::KeysHelp));
    }

    std::string m_line;
};

}  // namespace

std::unique_ptr<Panel> makeChecksPanel() { return std::make_unique<ChecksPanel>(); }

}  // namespace mailsim::gui
