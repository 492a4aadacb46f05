// Predict mode (issue #7): the question for the next server reply with one button per choice, then right/wrong
// with the reply catalogue's explanation, and the score. The state lives in the App's PredictSession (GL-free,
// tested in gui_viewmodel); this panel only draws it and forwards the clicks. Shown in the side slot while predict
// mode is on (the header's "Predict replies" toggle, or --predict).
#include "Panel.hpp"
#include "Theme.hpp"

#include <cstdio>

namespace mailsim::gui {
namespace {

class PredictPanel final : public Panel {
public:
    const char* id() const override { return "predict"; }
    const char* title(const PanelContext&) const override { return tr(S::TitlePredict); }
    Slot slot(const PanelContext& ctx) const override {
        return ctx.doc.loaded() && ctx.predict.enabled() ? Slot::Side : Slot::Hidden;
    }

    void draw(PanelContext& ctx) override {
        PredictSession& predict = ctx.predict;
        const sim::PredictScore score = predict.score();
        char line[160];
        std::snprintf(line, sizeof line, tr(S::PredictScoreFmt), score.correct, score.answered, score.total);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(line);
        // The reset button beside the score when it fits (Chinese and presenter mode are wider), else below it.
        const float buttonWidth = ImGui::CalcTextSize(tr(S::ResetScore)).x + ImGui::GetStyle().FramePadding.x * 2.0f;
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < buttonWidth) ImGui::NewLine();
        if (ImGui::Button(tr(S::ResetScore))) predict.resetScore(ctx.cursor);
        bool states = predict.includesStates();
        if (ImGui::Checkbox(tr(S::PredictStates), &states)) predict.setIncludeStates(states, ctx.cursor);
        // Which protocol's replies are asked (a POP3 lesson need not ask the SMTP dialogue before it first).
        static constexpr const char* kProtocols[] = {"", "smtp", "pop3", "imap"};
        static constexpr const char* kNames[] = {nullptr, "SMTP", "POP3", "IMAP"};
        std::size_t current = 0;
        for (std::size_t i = 0; i < std::size(kProtocols); ++i)
            if (predict.protocol() == kProtocols[i]) current = i;
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(tr(S::PredictOnly));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::CalcTextSize(tr(S::PredictAllProtocols)).x + ImGui::GetFrameHeight() * 2.0f);
        if (ImGui::BeginCombo("##protocol", current == 0 ? tr(S::PredictAllProtocols) : kNames[current])) {
            for (std::size_t i = 0; i < std::size(kProtocols); ++i)
                if (ImGui::Selectable(i == 0 ? tr(S::PredictAllProtocols) : kNames[i], i == current) && i != current)
                    predict.setProtocol(kProtocols[i], ctx.cursor);
            ImGui::EndCombo();
        }
        ImGui::Separator();

        // The question first when there is one; otherwise the last answer's explanation, then where the next is.
        const std::size_t q = predict.question(ctx.cursor);
        if (q != kNoRow) {
            drawQuestion(ctx, q);
            if (predict.lastFeedback()) {
                ImGui::Spacing();
                ImGui::Separator();
                drawFeedback(*predict.lastFeedback());
            }
            return;
        }
        if (predict.lastFeedback()) {
            drawFeedback(*predict.lastFeedback());
            ImGui::Spacing();
            ImGui::Separator();
        }
        if (const std::size_t gate = predict.gateRow(); gate != kNoRow) {
            std::snprintf(line, sizeof line, tr(S::PredictStepFmt), gate);
            ImGui::TextDisabled("%s", line);
        } else {
            ImGui::TextDisabled("%s", tr(S::PredictDone));
        }
    }

private:
    void drawQuestion(PanelContext& ctx, std::size_t q) {
        const sim::PredictPoint& p = ctx.predict.point(q);
        char text[512];
        if (p.kind == sim::PredictKind::State) {
            std::snprintf(text, sizeof text, tr(S::PredictStateFmt), p.promptText.c_str());
        } else if (p.prompt == trace::kNoCause) {
            std::snprintf(text, sizeof text, "%s", tr(S::PredictGreeting));
        } else if (p.protocol == "smtp" && p.promptText == ".") {
            std::snprintf(text, sizeof text, "%s", tr(S::PredictEndOfData));
        } else {
            std::snprintf(text, sizeof text, tr(S::PredictReplyFmt), p.promptText.c_str());
        }
        ImGui::PushFont(ctx.fonts.heading());
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kHeading));
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        ImGui::PopFont();
        ImGui::TextDisabled("%s", tr(S::PredictChoose));
        // One large button per choice, in the server's colour; they wrap when the panel is narrow.
        const ImGuiStyle& style = ImGui::GetStyle();
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        const float height = ImGui::GetFrameHeight() * 1.6f;
        ImGui::PushFont(ctx.fonts.mono());
        ImGui::PushStyleColor(ImGuiCol_Button, toVec4(colors::kServer, 0.16f));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, toVec4(colors::kServer, 0.35f));
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, toVec4(colors::kServer, 0.55f));
        std::string chosen;
        for (std::size_t i = 0; i < p.choices.size(); ++i) {
            const std::string& c = p.choices[i];
            const float width = ImGui::CalcTextSize(c.c_str()).x + style.FramePadding.x * 4.0f;
            if (i > 0) {
                ImGui::SameLine();
                if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
            }
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Button(c.c_str(), ImVec2(width, height))) chosen = c;
            ImGui::PopID();
        }
        ImGui::PopStyleColor(3);
        ImGui::PopFont();
        if (!chosen.empty()) ctx.predict.answer(chosen, ctx.cursor);
    }

    static void drawMeaning(const char* label, const sim::AnswerMeaning& m) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::Text("%s (%s):", m.answer.c_str(), label);
        ImGui::Indent();
        if (!m.meaning.empty()) ImGui::TextWrapped("%s", m.meaning.c_str());
        if (!m.explain.empty()) ImGui::TextWrapped("%s", m.explain.c_str());
        if (!m.rfc.empty()) ImGui::TextDisabled("%s", m.rfc.c_str());
        ImGui::Unindent();
        ImGui::PopTextWrapPos();
    }

    static void drawFeedback(const sim::PredictFeedback& f) {
        char text[256];
        if (f.correct) std::snprintf(text, sizeof text, tr(S::PredictRightFmt), f.right.answer.c_str());
        else std::snprintf(text, sizeof text, tr(S::PredictWrongFmt), f.chosen.c_str(), f.right.answer.c_str());
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(f.correct ? colors::kCheckOk : colors::kError));
        ImGui::TextWrapped("%s", text);
        ImGui::PopStyleColor();
        drawMeaning(tr(S::PredictCame), f.right);
        if (!f.correct) drawMeaning(tr(S::PredictWouldMean), f.wrong);
    }
};

}  // namespace

std::unique_ptr<Panel> makePredictPanel() { return std::make_unique<PredictPanel>(); }

}  // namespace mailsim::gui
