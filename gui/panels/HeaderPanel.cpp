// The header: the scenario's title and description, the classroom toggles (sandbox mode, predict mode, language,
// presenter mode, full screen), the playback controls (step by line, by state change or, when the scenario relays, by relay hop,
// play/pause with speed, "pause at every state change"),
// and the timeline scrubber: the whole trace as one bar with the state changes as ticks; click or drag to move the
// cursor. The ticks are folded per pixel column by binary search over the state rows, so a million rows cost
// O(width * log n) per frame.
#include "Panel.hpp"
#include "Theme.hpp"
#include "i18n/Duration.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace mailsim::gui {
namespace {

class HeaderPanel final : public Panel {
public:
    const char* id() const override { return "header"; }
    const char* title(const PanelContext&) const override { return "##header"; }
    Slot slot(const PanelContext&) const override { return Slot::Header; }
    ImGuiWindowFlags windowFlags() const override {
        return ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }

    void draw(PanelContext& ctx) override {
        const Document& doc = ctx.doc;
        const float togglesX = drawToggles(ctx);  // right-aligned on the title line
        // Presenter mode: the title in the (already large) UI font, so it fits beside the toggles and the panels keep
        // the height (issue #14: at 1280x720 the diagram showed 4-5 rows).
        ImGui::PushFont(ctx.settings.presenter ? ctx.fonts.ui() : ctx.fonts.heading());
        if (doc.live) {
            ImGui::SetCursorPos(m_titlePos);  // "LIVE: N sessions" is short: beside the toggles
            drawLiveTitle(ctx);
        } else {
            const char* title = doc.loaded() && !doc.result->title.empty() ? doc.result->title.in(uiLang()).c_str() : doc.path.c_str();
            // Beside the toggles when it fits, else on the line below them (a narrow window, presenter mode).
            if (m_titlePos.x + ImGui::CalcTextSize(title).x + ImGui::GetStyle().ItemSpacing.x <= togglesX)
                ImGui::SetCursorPos(m_titlePos);
            ImGui::TextUnformatted(title);
        }
        ImGui::PopFont();
        if (doc.loaded() && !doc.result->description.empty() && !ctx.settings.presenter) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
            ImGui::TextWrapped("%s", doc.result->description.in(uiLang()).c_str());
            ImGui::PopStyleColor();
        }
        if (!doc.loaded()) return;
        drawControls(ctx);
        drawTimeline(ctx);
    }

private:
    std::string m_timeText;  // the header's time, formatted when the row or the language changes
    double m_timeSeconds = -1.0;
    i18n::Lang m_timeLang = i18n::Lang::En;

    // Following a live server: "LIVE: N sessions" in the error colour with a dot, then (below) the source.
    void drawLiveTitle(PanelContext& ctx) {
        const Document& doc = ctx.doc;
        const std::size_t sessions = doc.loaded() ? doc.result->trace.sessions().size() : 0;
        const float r = ImGui::GetFontSize() * 0.25f;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + r, p.y + ImGui::GetFontSize() * 0.55f), r,
                                                    toU32(colors::kError));
        ImGui::SetCursorScreenPos(ImVec2(p.x + r * 3.0f, p.y));
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kError));
        ImGui::Text(tr(S::LiveSessionsFmt), sessions);
        ImGui::PopStyleColor();
        ImGui::PopFont();
        ImGui::PushFont(ctx.fonts.ui());
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
        if (!ctx.settings.presenter) ImGui::TextWrapped("%s", doc.liveStatus.c_str());
        if (ctx.cursor.count() == 0) ImGui::TextWrapped("%s", tr(S::LiveWaiting));
        else if (ctx.cursor.atEnd()) ImGui::TextUnformatted(tr(S::LiveFollowing));
        ImGui::PopStyleColor();
    }

    // Returns where the toggles begin (x in window coordinates).
    float drawToggles(PanelContext& ctx) {
        ViewSettings& s = ctx.settings;
        m_titlePos = ImGui::GetCursorPos();
        const ImGuiStyle& style = ImGui::GetStyle();
        const char* labels[] = {tr(S::Predict), tr(S::OtherLanguage), tr(S::Presenter), tr(S::FullScreen),
                                tr(S::Sandbox)};
        float width = 0.0f;
        for (const char* l : labels) width += ImGui::CalcTextSize(l).x + style.FramePadding.x * 2.0f + style.ItemSpacing.x;
        const float togglesX = ImGui::GetWindowContentRegionMax().x - width + style.ItemSpacing.x;
        ImGui::SetCursorPosX(togglesX);
        if (toggleButton(labels[4], ctx.sandbox && ctx.sandbox->active())) ctx.request(ToggleSandboxRequest{});
        ImGui::SameLine();
        if (toggleButton(labels[0], ctx.predict.enabled())) ctx.request(TogglePredictRequest{});
        ImGui::SameLine();
        if (ImGui::Button(labels[1])) {
            const Language next = s.uiLanguage == Language::English ? Language::Chinese : Language::English;
            s.uiLanguage = next;
            if (s.lessonLanguage != next) {
                s.lessonLanguage = next;
                ctx.request(LessonLanguageChanged{});
            }
        }
        ImGui::SameLine();
        if (toggleButton(labels[2], s.presenter)) ctx.request(TogglePresenterRequest{});
        ImGui::SameLine();
        if (toggleButton(labels[3], s.fullScreen)) ctx.request(ToggleFullScreenRequest{});
        return togglesX;
    }

    static bool toggleButton(const char* label, bool on) {
        if (on) ImGui::PushStyleColor(ImGuiCol_Button, toVec4(colors::kAccent, 0.55f));
        bool pressed = ImGui::Button(label);
        if (on) ImGui::PopStyleColor();
        return pressed;
    }

    void drawControls(PanelContext& ctx) {
        Cursor& cursor = ctx.cursor;
        const ViewModel& view = ctx.view;
        const bool empty = cursor.count() == 0;
        ImGui::BeginDisabled(empty);
        if (ImGui::Button(tr(S::First))) cursor.home();
        ImGui::SameLine();
        if (ImGui::Button(tr(S::PrevState))) {
            if (std::size_t r = view.previousStateRow(cursor.position()); r != kNoRow) cursor.set(r);
        }
        ImGui::SameLine();
        if (ImGui::Button(tr(S::Back))) cursor.step(-1);
        ImGui::SameLine();
        // One width for both labels, so the row does not jump when playback starts.
        const float playWidth = std::max(ImGui::CalcTextSize(tr(S::Play)).x, ImGui::CalcTextSize(tr(S::Pause)).x) +
                                ImGui::GetStyle().FramePadding.x * 2.0f;
        if (cursor.playing()) ImGui::PushStyleColor(ImGuiCol_Button, toVec4(colors::kAccent, 0.55f));
        const bool toggle = ImGui::Button(cursor.playing() ? tr(S::Pause) : tr(S::Play), ImVec2(playWidth, 0.0f));
        if (cursor.playing()) ImGui::PopStyleColor();
        if (toggle) cursor.togglePlaying(ctx.now);
        ImGui::SameLine();
        if (ImGui::Button(tr(S::Next))) cursor.step(1);
        ImGui::SameLine();
        if (ImGui::Button(tr(S::NextState))) {
            if (std::size_t r = view.nextStateRow(cursor.position()); r != kNoRow) cursor.set(r);
        }
        ImGui::SameLine();
        if (ImGui::Button(tr(S::Last))) cursor.end();
        ImGui::EndDisabled();
        if (!view.hopRows().empty()) {  // step by relay hop, only when the scenario relays
            ImGui::SameLine();
            ImGui::BeginDisabled(view.previousHopRow(cursor.position()) == kNoRow);
            if (ImGui::Button(tr(S::PrevHop))) cursor.set(view.previousHopRow(cursor.position()));
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr(S::HopKeysHelp));
            ImGui::EndDisabled();
            ImGui::SameLine();
            ImGui::BeginDisabled(view.nextHopRow(cursor.position()) == kNoRow);
            if (ImGui::Button(tr(S::NextHop))) cursor.set(view.nextHopRow(cursor.position()));
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr(S::HopKeysHelp));
            ImGui::EndDisabled();
        }

        // Speed as steps per second, 0.5 .. 10, stored as the interval between steps.
        float rate = 1.0f / ctx.settings.interval;
        // Presenter mode: the speed only when it fits on the controls' line (the panels keep the height).
        if (ctx.settings.presenter && !fitsOnLine(ImGui::GetFontSize() * 6.0f)) return;
        sameLineIfFits(ImGui::GetFontSize() * 6.0f);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
        if (ImGui::SliderFloat("##speed", &rate, 0.5f, 10.0f, "%.1f/s", ImGuiSliderFlags_Logarithmic))
            ctx.settings.interval = 1.0f / std::clamp(rate, 0.5f, 10.0f);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::Speed));
        if (!ctx.settings.presenter) {  // presenter mode keeps the row to the playback controls (settings still apply)
            sameLineIfFits(checkboxWidth(tr(S::BreakOnState)));
            ImGui::Checkbox(tr(S::BreakOnState), &ctx.settings.breakOnState);
            sameLineIfFits(checkboxWidth(tr(S::HideLater)));
            ImGui::Checkbox(tr(S::HideLater), &ctx.settings.hideFuture);
            sameLineIfFits(checkboxWidth(tr(S::AutoReload)));
            ImGui::Checkbox(tr(S::AutoReload), &ctx.settings.autoReload);
        }
    }

    // The controls wrap to a second line when the window is too narrow for them (the header grows to fit).
    static float checkboxWidth(const char* label) {
        return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
    }
    static bool fitsOnLine(float width) {
        const float x = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
        return x + width <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    }
    static void sameLineIfFits(float width) {
        if (fitsOnLine(width)) ImGui::SameLine();
    }

    void drawTimeline(PanelContext& ctx) {
        Cursor& cursor = ctx.cursor;
        const ViewModel& view = ctx.view;
        const std::size_t n = view.size();
        char label[96];
        std::snprintf(label, sizeof label, tr(S::StepOfFmt), static_cast<int>(cursor.position()),
                      n == 0 ? 0 : static_cast<int>(n - 1));
        const std::string& time = clockText(n == 0 ? 0.0 : view.row(cursor.position()).seconds);  // for people, cached
        const float textWidth = ImGui::GetFontSize() * 13.0f;
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(label);
        // After the step label even when a translation makes it longer than its usual share.
        // SameLine's offset is from the window's left edge.
        const float spacing = ImGui::GetStyle().ItemSpacing.x * 2.0f;
        ImGui::SameLine(std::max(textWidth * 0.62f, ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + spacing));
        ImGui::TextDisabled("%s", time.c_str());
        ImGui::SameLine(std::max(textWidth, ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + spacing));

        const float height = ImGui::GetFrameHeight();
        const float width = ImGui::GetContentRegionAvail().x;
        const ImVec2 a = ImGui::GetCursorScreenPos();
        const ImVec2 b(a.x + width, a.y + height);
        ImGui::InvisibleButton("##timeline", ImVec2(std::max(width, 1.0f), height));
        if (n > 0 && ImGui::IsItemActive()) {
            const float t = std::clamp((ImGui::GetIO().MousePos.x - a.x) / width, 0.0f, 1.0f);
            cursor.set(static_cast<std::size_t>(t * static_cast<float>(n - 1) + 0.5f));
        }
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(a, b, toU32({0xe4, 0xe4, 0xde}), 4.0f);
        if (n == 0) return;
        const float pos = n > 1 ? static_cast<float>(cursor.position()) / static_cast<float>(n - 1) : 0.0f;
        dl->AddRectFilled(a, ImVec2(a.x + pos * width, b.y), toU32(colors::kAccent, 0.25f), 4.0f);
        // State changes as ticks, one per pixel column at most.
        const auto states = view.stateRows();
        const unsigned tick = toU32(colors::kState, 0.8f);
        const float columns = std::max(width, 1.0f);
        auto it = states.begin();
        for (int x = 0; x < static_cast<int>(columns) && it != states.end(); ++x) {
            const double rowEnd = (static_cast<double>(x) + 1.0) / columns * static_cast<double>(n - 1);
            if (static_cast<double>(*it) > rowEnd) continue;  // no state change in this column
            const float px = a.x + static_cast<float>(x) + 0.5f;
            dl->AddLine(ImVec2(px, a.y + height * 0.25f), ImVec2(px, b.y - height * 0.25f), tick, 2.0f);
            it = std::upper_bound(it, states.end(), static_cast<std::size_t>(rowEnd));
        }
        const float cx = a.x + pos * width;
        dl->AddRectFilled(ImVec2(cx - 3.0f, a.y), ImVec2(cx + 3.0f, b.y), toU32(colors::kAccent), 2.0f);
    }

    ImVec2 m_titlePos{};
};

}  // namespace

std::unique_ptr<Panel> makeHeaderPanel() { return std::make_unique<HeaderPanel>(); }

}  // namespace mailsim::gui
