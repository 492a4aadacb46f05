// The sandbox console (issue #7): the student types raw commands, telnet-style, to any server of the scenario's
// network. A client-host combo, a server/port combo, Connect / Hang up, the scroll-back (C:/S: coloured as in the
// transcript), a single-line input (Enter sends and keeps the focus; Up/Down recall the previous lines) and "Save as
// scenario...". The sandbox itself and the run the other panels show live in the App's SandboxConsole (GL-free,
// tested in gui_viewmodel); this panel only draws it, forwards what is typed and moves the cursor to the end after
// every line so the state diagram and the mailboxes show the effect at once. Shown in the main-bottom slot (first
// tab) while sandbox mode is on (the header's "Sandbox" toggle, or --sandbox).
#include "Panel.hpp"
#include "Theme.hpp"

#include <cstdio>
#include <algorithm>
#include <cstring>

namespace mailsim::gui {
namespace {

class SandboxPanel final : public Panel {
public:
    const char* id() const override { return "sandbox"; }
    const char* title(const PanelContext&) const override { return tr(S::TitleSandbox); }
    Slot slot(const PanelContext& ctx) const override {
        return ctx.sandbox && ctx.sandbox->active() ? Slot::MainBottom : Slot::Hidden;
    }

    void draw(PanelContext& ctx) override {
        SandboxConsole& console = *ctx.sandbox;
        if (!console.isOpen()) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kError));
            ImGui::TextWrapped("%s", tr(S::SandboxOpenFailed));
            ImGui::TextWrapped("%s", console.openError().c_str());
            ImGui::PopStyleColor();
            return;
        }
        if (console.openCount() != m_seenOpen) {  // a new sandbox (the mode was turned off and on, another file)
            m_seenOpen = console.openCount();
            reset();
        }
        m_console = &console;
        drawControls(ctx, console);
        drawScrollBack(ctx, console);
        drawInput(ctx, console);
    }

private:
    void reset() {
        m_client = m_target = 0;
        m_input[0] = '\0';
        m_saved.clear();
        m_saveError.clear();
        m_seenLines = ~std::size_t{0};
        m_historyPos = -1;
        m_focusInput = false;
    }

    // After every line: the other panels show the new run with the cursor on its last row.
    static void showEnd(PanelContext& ctx) { ctx.cursor.reset(ctx.view.size(), kNoRow); }

    void drawControls(PanelContext& ctx, SandboxConsole& console) {
        const auto& clients = console.clients();
        const auto& targets = console.targets();
        if (targets.empty()) {
            ImGui::TextDisabled("%s", tr(S::SandboxNoServers));
            return;
        }
        if (console.generation() != m_seenGeneration) {  // a connection made elsewhere (--sandbox): show it
            m_seenGeneration = console.generation();
            if (console.connected()) {
                m_client = console.connectedClient();
                m_target = console.connectedTarget();
            }
        }
        if (m_client >= clients.size()) m_client = 0;
        if (m_target >= targets.size()) m_target = 0;
        const bool connected = console.connected();
        const float em = ImGui::GetFontSize();
        ImGui::BeginDisabled(connected);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(tr(S::SandboxFrom));
        ImGui::SameLine();
        float fromWidth = em * 3.0f;
        for (const auto& c : clients) fromWidth = std::max(fromWidth, comboWidth(c.c_str()));
        ImGui::SetNextItemWidth(fromWidth);
        if (ImGui::BeginCombo("##from", clients.empty() ? "" : clients[m_client].c_str())) {
            for (std::size_t i = 0; i < clients.size(); ++i)
                if (ImGui::Selectable(clients[i].c_str(), i == m_client)) m_client = i;
            ImGui::EndCombo();
        }
        float toWidth = em * 3.0f;
        for (const auto& t : targets) toWidth = std::max(toWidth, comboWidth(t.label.c_str()));
        toWidth = std::min(toWidth, ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(tr(S::SandboxTo)).x -
                                        ImGui::GetStyle().ItemSpacing.x);
        sameLineIfFits(ImGui::CalcTextSize(tr(S::SandboxTo)).x + ImGui::GetStyle().ItemSpacing.x + toWidth);
        ImGui::TextUnformatted(tr(S::SandboxTo));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(toWidth);
        if (ImGui::BeginCombo("##to", targets[m_target].label.c_str())) {
            for (std::size_t i = 0; i < targets.size(); ++i)
                if (ImGui::Selectable(targets[i].label.c_str(), i == m_target)) m_target = i;
            ImGui::EndCombo();
        }
        ImGui::EndDisabled();
        const char* button = connected ? tr(S::SandboxHangUp) : tr(S::SandboxConnect);
        sameLineIfFits(ImGui::CalcTextSize(button).x + ImGui::GetStyle().FramePadding.x * 2.0f);
        if (!connected) {
            ImGui::PushStyleColor(ImGuiCol_Button, toVec4(colors::kAccent, 0.55f));
            if (ImGui::Button(tr(S::SandboxConnect))) {
                console.connect(m_client, m_target);
                showEnd(ctx);
                m_focusInput = true;
            }
            ImGui::PopStyleColor();
        } else if (ImGui::Button(tr(S::SandboxHangUp))) {
            console.hangUp();
            showEnd(ctx);
        }
        sameLineIfFits(ImGui::CalcTextSize(tr(S::SandboxSave)).x + ImGui::GetStyle().FramePadding.x * 2.0f);
        ImGui::BeginDisabled(console.sessions() == 0);
        if (ImGui::Button(tr(S::SandboxSave))) {
            auto written = console.save();
            if (written) {
                m_saved = *written;
                m_saveError.clear();
            } else {
                m_saved.clear();
                m_saveError = written.error();
            }
        }
        ImGui::EndDisabled();
        char text[1024];
        if (!m_saved.empty() || !m_saveError.empty()) {
            if (!m_saved.empty()) std::snprintf(text, sizeof text, tr(S::SandboxSavedFmt), m_saved.c_str());
            else std::snprintf(text, sizeof text, tr(S::SandboxSaveFailedFmt), m_saveError.c_str());
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(m_saved.empty() ? colors::kError : colors::kCheckOk));
            ImGui::TextWrapped("%s", text);
            ImGui::PopStyleColor();
        }
    }

    void drawScrollBack(PanelContext& ctx, const SandboxConsole& console) {
        // The rest of the panel above the input line, at least three lines (a small window, presenter mode: then
        // the panel scrolls).
        const float height = std::max(ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing(),
                                      ImGui::GetTextLineHeightWithSpacing() * 3.5f);
        ImGui::BeginChild("##scrollback", ImVec2(0.0f, height), true);
        const auto& lines = console.lines();
        if (lines.empty()) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextDisabled("%s", tr(S::SandboxHelp));
            ImGui::TextDisabled("%s", tr(S::SandboxNotConnected));
            ImGui::PopTextWrapPos();
        }
        ImGui::PushFont(ctx.fonts.mono());
        char text[512];
        for (const ConsoleLine& line : lines) {
            switch (line.kind) {
            case ConsoleLine::Kind::Client: coloured(colors::kClient, "C: ", line.text); break;
            case ConsoleLine::Kind::Server: coloured(colors::kServer, "S: ", line.text); break;
            case ConsoleLine::Kind::Connected:
                std::snprintf(text, sizeof text, tr(S::SandboxConnectedFmt), line.text.c_str());
                coloured(colors::kConnection, "", text);
                break;
            case ConsoleLine::Kind::HungUp: coloured(colors::kConnection, "", tr(S::SandboxHungUp)); break;
            case ConsoleLine::Kind::Closed: coloured(colors::kConnection, "", tr(S::SandboxClosed)); break;
            case ConsoleLine::Kind::Error: coloured(colors::kError, "", line.text); break;
            }
        }
        ImGui::PopFont();
        // Something new, or the region resized (the "Saved:" line above it): keep the latest line in view.
        if (lines.size() != m_seenLines || ImGui::GetWindowHeight() != m_seenHeight) {
            m_seenLines = lines.size();
            m_seenHeight = ImGui::GetWindowHeight();
            ImGui::SetScrollHereY(1.0f);
        }
        ImGui::EndChild();
    }

    static float comboWidth(const char* label) {
        return ImGui::CalcTextSize(label).x + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2.0f;
    }
    // Wraps to the next line when the window is too narrow (Chinese, presenter mode, a narrow column).
    static void sameLineIfFits(float width) {
        const float x = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
        if (x + width <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
    }

    static void coloured(Rgb color, const char* prefix, std::string_view text) {
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(color));
        ImGui::PushTextWrapPos(0.0f);
        ImGui::Text("%s%.*s", prefix, static_cast<int>(text.size()), text.data());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }

    void drawInput(PanelContext& ctx, SandboxConsole& console) {
        const bool connected = console.connected();
        ImGui::BeginDisabled(!connected);
        ImGui::PushFont(ctx.fonts.mono());
        ImGui::SetNextItemWidth(-1.0f);
        bool refocus = m_focusInput && connected;  // after Connect
        if (refocus) ImGui::SetKeyboardFocusHere();
        m_focusInput = false;
        const ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackHistory;
        if (ImGui::InputTextWithHint("##line", tr(S::SandboxInputHint), m_input, sizeof m_input, flags, &history,
                                     this)) {
            // Enter: send the line (an empty one too: a blank line of message content), keep typing.
            console.send(m_input);
            m_input[0] = '\0';
            m_historyPos = -1;
            showEnd(ctx);
            // ImGui 1.86 lets go of the field on Enter: take it back now, so the next frame (woken by the next key)
            // already types into it; a deferred request would lose what is typed in between.
            ImGui::SetKeyboardFocusHere(-1);
            refocus = true;
        }
        if (ImGui::IsItemActive() || refocus) console.setTyping();
        ImGui::PopFont();
        ImGui::EndDisabled();
    }

    // Up: the previous line typed (again: the one before); Down: forward, past the last one an empty field.
    static int history(ImGuiInputTextCallbackData* data) {
        auto* self = static_cast<SandboxPanel*>(data->UserData);
        if (!self->m_console || data->EventFlag != ImGuiInputTextFlags_CallbackHistory) return 0;
        const auto& lines = self->m_console->history();
        if (lines.empty()) return 0;
        const int n = static_cast<int>(lines.size());
        int& pos = self->m_historyPos;
        if (data->EventKey == ImGuiKey_UpArrow) pos = pos < 0 ? n - 1 : std::max(pos - 1, 0);
        else if (data->EventKey == ImGuiKey_DownArrow && pos >= 0) pos = pos + 1 >= n ? -1 : pos + 1;
        else return 0;
        data->DeleteChars(0, data->BufTextLen);
        if (pos >= 0) data->InsertChars(0, lines[static_cast<std::size_t>(pos)].c_str());
        return 0;
    }

    std::size_t m_client = 0, m_target = 0;
    char m_input[1000] = {};
    int m_historyPos = -1;  // -1: not browsing the history
    bool m_focusInput = false;
    std::string m_saved, m_saveError;
    std::size_t m_seenLines = ~std::size_t{0};
    float m_seenHeight = 0.0f;
    std::uint64_t m_seenOpen = 0;
    std::uint64_t m_seenGeneration = 0;
    const SandboxConsole* m_console = nullptr;  // for the history callback
};

}  // namespace

std::unique_ptr<Panel> makeSandboxPanel() { return std::make_unique<SandboxPanel>(); }

}  // namespace mailsim::gui
