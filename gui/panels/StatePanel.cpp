// The protocol state at the cursor: the session the cursor is in, the states of its protocol (from the engine's
// transition table) with the current one highlighted, the command that led there, and what the table allows next.
// The state is derived from the StateChanged events of that session at or before the cursor (see ViewModel). A
// server/client switch shows the client's machine instead ("smtp-client", from the client's transition table): its
// moves are recorded by the engine's clients and, in the simulator, by every client (user agents, relay MTAs and
// scripted sessions, sim/world/ScriptedStates.hpp); before its first move the client is in its table's first state.
#include "Panel.hpp"
#include "ProtocolModel.hpp"
#include "Theme.hpp"

#include <cstdio>

#include <algorithm>

namespace mailsim::gui {
namespace {

class StatePanel final : public Panel {
public:
    const char* id() const override { return "state"; }
    const char* title(const PanelContext&) const override { return gui::tr(S::TitleState); }
    Slot slot(const PanelContext& ctx) const override { return ctx.doc.loaded() ? Slot::Side : Slot::Hidden; }

    void draw(PanelContext& ctx) override {
        const ViewModel& view = ctx.view;
        const trace::Trace* tr = view.trace();
        if (view.empty() || !tr) {
            ImGui::TextDisabled("%s", gui::tr(S::NothingToShow));
            return;
        }
        const Row& row = view.row(ctx.cursor.position());
        const trace::SessionInfo* session = tr->session(row.focus);
        if (!session) {
            ImGui::TextWrapped("%s", gui::tr(S::NoSessionYet));
            return;
        }
        const std::string machine = clientMachine(session->protocol);
        const ProtocolModel& clientSide = clientModel(machine);
        const bool client = m_clientSide && !clientSide.states.empty();
        const ProtocolModel& model = client ? clientSide : protocolModel(session->protocol);
        // O(log n) for the client's side, O(1) for the server's (ViewModel).
        const trace::EventId changeId = client ? view.clientStateAt(row.focus, ctx.cursor.position()) : row.stateEvent;
        const trace::Event* change = changeId == trace::kNoCause ? nullptr : &tr->at(changeId);

        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
        // Host names are never broken inside (ImGui wraps at '.'): "session 1 (smtp):" then the hosts on the same
        // line when they fit, else on their own line, else a line per host.
        char head[256];
        std::snprintf(head, sizeof head, gui::tr(S::SessionLineFmt), session->id, session->protocol.c_str());
        ImGui::TextUnformatted(head);
        const float avail = ImGui::GetContentRegionAvail().x;
        std::snprintf(head, sizeof head, "%s \xe2\x86\x92 %s", session->client.c_str(), session->server.c_str());
        const float whole = ImGui::CalcTextSize(head).x;
        if (ImGui::GetItemRectSize().x + ImGui::GetStyle().ItemSpacing.x + whole <= avail) {
            ImGui::SameLine();
            ImGui::TextUnformatted(head);
        } else if (whole <= avail) {
            ImGui::TextUnformatted(head);
        } else {
            ImGui::Text("%s \xe2\x86\x92", session->client.c_str());
            ImGui::TextUnformatted(session->server.c_str());
        }
        ImGui::PopStyleColor();
        if (!clientSide.states.empty()) {  // which side of the dialogue: the server's machine or the client's
            if (ImGui::RadioButton(gui::tr(S::ServerSide), !m_clientSide)) m_clientSide = false;
            ImGui::SameLine();
            if (ImGui::RadioButton(gui::tr(S::ClientSide), m_clientSide)) m_clientSide = true;
        }

        // Before the first StateChanged the session is in the protocol's first state.
        const char* current = change ? change->toState.c_str()
                                     : (model.states.empty() ? "?" : model.states.front().name.c_str());
        ImGui::PushFont(ctx.fonts.heading());
        ImGui::TextUnformatted(current);
        ImGui::PopFont();

        if (!model.states.empty()) drawStates(ctx, model, model.indexOf(current));

        ImGui::Spacing();
        if (change) {
            ImGui::TextDisabled(gui::tr(S::EnteredFromFmt), change->fromState.c_str());
            ImGui::SameLine();
            ImGui::PushFont(ctx.fonts.mono());
            // A client command in the client colour; an event of the session ("<greeting>") in the note colour.
            const bool isEvent = change->text.empty() || change->text.front() == '<';
            ImGui::TextColored(toVec4(isEvent ? colors::kNote : colors::kClient), "%s", change->text.c_str());
            ImGui::PopFont();
            if (change->id != m_hintEvent) {  // looked up when the state changes, not per frame (it allocates)
                m_hintEvent = change->id;
                m_hint = model.hintFor(change->text);
            }
            if (m_hint) {
                ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
                char hint[512];  // wrapped at spaces: "RFC 5321 4.1.1.3" is never broken after a dot
                std::snprintf(hint, sizeof hint, "%s: %s (%s)", m_hint->verb.c_str(), m_hint->explain.c_str(), m_hint->rfc.c_str());
                wrappedText(hint);
                ImGui::PopStyleColor();
            }
        } else {
            ImGui::TextDisabled("%s", gui::tr(S::NoStateChangeYet));
        }
        int index = model.indexOf(current);
        if (index >= 0 && !model.states[static_cast<std::size_t>(index)].commands.empty()) {
            ImGui::TextDisabled("%s", gui::tr(S::CommandsAllowed));
            ImGui::PushFont(ctx.fonts.mono());
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kText));
            const auto& commands = model.states[static_cast<std::size_t>(index)].commands;
            const float right = ImGui::GetContentRegionAvail().x + ImGui::GetCursorPosX();
            for (std::size_t i = 0; i < commands.size(); ++i) {
                if (i > 0) {
                    ImGui::SameLine();
                    float w = ImGui::CalcTextSize(commands[i].c_str()).x;
                    if (ImGui::GetCursorPosX() + w > right) ImGui::NewLine();
                }
                ImGui::TextUnformatted(commands[i].c_str());
            }
            ImGui::PopStyleColor();
            ImGui::PopFont();
        } else if (index >= 0) {
            ImGui::TextDisabled("%s", gui::tr(S::NoCommandsAccepted));
        }
    }

private:
    // The states as a column of boxes, grouped by phase, with the current one filled.
    void drawStates(const PanelContext& ctx, const ProtocolModel& model, int currentIndex) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImGuiStyle& style = ImGui::GetStyle();
        const float line = ImGui::GetTextLineHeight();
        const float boxHeight = line * 1.25f;
        const float gap = line * 0.32f;
        float phaseWidth = 0.0f;
        for (const auto& s : model.states) phaseWidth = std::max(phaseWidth, ImGui::CalcTextSize(phaseLabel(s.phase)).x);
        phaseWidth += style.ItemSpacing.x * 2.0f;
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const float avail = ImGui::GetContentRegionAvail().x;
        ImGui::PushFont(ctx.fonts.mono());
        float widestName = 0.0f;
        for (const auto& s : model.states) widestName = std::max(widestName, ImGui::CalcTextSize(s.name.c_str()).x);
        // As wide as the room allows up to 9 lines, never narrower than the longest state name (nothing cut).
        const float boxWidth = std::max(std::min(avail - phaseWidth - line * 0.6f, line * 9.0f), widestName + line * 0.6f);
        const float boxX = origin.x + phaseWidth;

        for (std::size_t i = 0; i < model.states.size(); ++i) {
            const auto& s = model.states[i];
            const float y = origin.y + static_cast<float>(i) * (boxHeight + gap);
            const ImVec2 a(boxX, y), b(boxX + boxWidth, y + boxHeight);
            const bool isCurrent = static_cast<int>(i) == currentIndex;
            dl->AddRectFilled(a, b, toU32(isCurrent ? colors::kAccent : colors::kStateBox), 4.0f);
            if (isCurrent) dl->AddRect(a, b, toU32({0x9a, 0x5c, 0x00}), 4.0f, 0, 2.0f);
            const ImVec2 ts = ImGui::CalcTextSize(s.name.c_str());
            dl->AddText(ImVec2(a.x + (boxWidth - ts.x) * 0.5f, a.y + (boxHeight - ts.y) * 0.5f),
                        toU32(isCurrent ? colors::kPresenterText : colors::kNote), s.name.c_str());  // 7.6:1 on the accent
            if (i + 1 < model.states.size()) {  // arrow down to the next state
                const float cx = boxX + boxWidth * 0.5f;
                dl->AddTriangleFilled(ImVec2(cx - gap * 0.7f, b.y + gap * 0.15f), ImVec2(cx + gap * 0.7f, b.y + gap * 0.15f),
                                      ImVec2(cx, b.y + gap * 0.9f), toU32(colors::kNote, 0.6f));
            }
        }
        ImGui::PopFont();
        // Phase labels, once per run of states in the same phase, with a bracket.
        std::size_t start = 0;
        for (std::size_t i = 1; i <= model.states.size(); ++i) {
            if (i < model.states.size() && model.states[i].phase == model.states[start].phase) continue;
            const float y0 = origin.y + static_cast<float>(start) * (boxHeight + gap);
            const float y1 = origin.y + static_cast<float>(i) * (boxHeight + gap) - gap;
            const bool holdsCurrent = currentIndex >= static_cast<int>(start) && currentIndex < static_cast<int>(i);
            const Rgb c = holdsCurrent ? colors::kText : colors::kNote;
            const char* label = phaseLabel(model.states[start].phase);
            const ImVec2 ls = ImGui::CalcTextSize(label);
            dl->AddText(ImVec2(origin.x, (y0 + y1 - ls.y) * 0.5f), toU32(c, holdsCurrent ? 1.0f : 0.7f), label);
            const float bx = boxX - style.ItemSpacing.x;
            dl->AddLine(ImVec2(bx, y0 + 2.0f), ImVec2(bx, y1 - 2.0f), toU32(c, 0.5f), 2.0f);
            start = i;
        }
        const float height = static_cast<float>(model.states.size()) * (boxHeight + gap);
        ImGui::Dummy(ImVec2(phaseWidth + boxWidth, height));
    }

    bool m_clientSide = false;  // show the client's machine (when the session has one)
    trace::EventId m_hintEvent = trace::kNoCause;
    std::optional<CommandHint> m_hint;
};

}  // namespace

std::unique_ptr<Panel> makeStatePanel() { return std::make_unique<StatePanel>(); }

}  // namespace mailsim::gui
