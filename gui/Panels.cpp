// The one place where panels are registered. Add a panel: write panels/NamePanel.cpp with a makeNamePanel()
// factory, declare it in Panel.hpp, list it here. Panels sharing a slot become tabs in this order.
#include "Panel.hpp"
#include "Theme.hpp"

namespace mailsim::gui {

std::vector<std::unique_ptr<Panel>> createPanels() {
    std::vector<std::unique_ptr<Panel>> panels;
    panels.push_back(makeHeaderPanel());      // header: title, playback controls, timeline
    panels.push_back(makeSequencePanel());    // main: the sequence diagram (lanes, arrows, state marks)
    panels.push_back(makeTranscriptPanel());  // main: the C:/S: transcript with the cursor
    panels.push_back(makeSandboxPanel());     // main bottom, while sandbox mode is on (first: the tab shown)
    panels.push_back(makeNarrationPanel());   // main bottom: the scenario's narration at the cursor
    panels.push_back(makeStatePanel());       // side: the protocol state at the cursor
    panels.push_back(makeInspectorPanel());   // side: what the cursor line means, its bytes
    panels.push_back(makeMailboxesPanel());   // side: folders and messages at the cursor
    panels.push_back(makeNetworkPanel());     // side: hosts, links, queues and faults at the cursor
    panels.push_back(makeLessonPanel());      // side: the scenario's lesson (Markdown)
    panels.push_back(makePredictPanel());     // side, while predict mode is on: the question, the score
    panels.push_back(makeChecksPanel());      // side bottom: expectations and load diagnostics
    panels.push_back(makeScenariosPanel());   // side bottom: the scenario browser
    return panels;
}

Rgb rowColor(RowKind kind) {
    switch (kind) {
    case RowKind::Client: return colors::kClient;
    case RowKind::Server: return colors::kServer;
    case RowKind::State: return colors::kState;
    case RowKind::Note: return colors::kNote;
    case RowKind::Connection: return colors::kConnection;
    case RowKind::Store: return colors::kStore;
    case RowKind::CheckOk: return colors::kCheckOk;
    case RowKind::CheckFailed:
    case RowKind::Error: return colors::kError;
    }
    return colors::kText;
}

namespace {
bool isCjkLead(unsigned char c) { return c >= 0xe3 && c <= 0xef; }  // U+3000..U+FFFF: CJK, fullwidth punctuation
std::size_t utf8Length(unsigned char c) { return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1; }
// Chinese punctuation that must not begin a line (it stays with the character before it).
bool closesLine(std::string_view s) {
    for (std::string_view p : {"\xef\xbc\x8c", "\xe3\x80\x82", "\xe3\x80\x81", "\xef\xbc\x9b", "\xef\xbc\x9a",
                               "\xef\xbc\x9f", "\xef\xbc\x81", "\xef\xbc\x89", "\xe2\x80\x9d", "\xe3\x80\x8d"})
        if (s.starts_with(p)) return true;  // ， 。 、 ； ： ？ ！ ） ” 」
    return false;
}
}  // namespace

void wrappedText(std::string_view t) {
    const float width = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize());
    const char* p = t.data();
    const char* end = p + t.size();
    while (p < end) {
        const char* start = p;
        const char* q = p;
        while (q < end && *q != '\n') {
            const auto c = static_cast<unsigned char>(*q);
            const char* next = q + 1;
            if (isCjkLead(c)) {
                next = std::min(q + utf8Length(c), end);
                while (next < end && closesLine(std::string_view(next, static_cast<std::size_t>(end - next))))
                    next = std::min(next + utf8Length(static_cast<unsigned char>(*next)), end);
            } else if (c != ' ') {
                while (next < end && *next != ' ' && *next != '\n' && !isCjkLead(static_cast<unsigned char>(*next))) ++next;
            }
            if (q > start && ImGui::CalcTextSize(start, next).x > width) break;
            q = next;
        }
        const char* stop = q;
        while (stop > start && stop[-1] == ' ') --stop;
        ImGui::TextUnformatted(start, stop);
        p = q;
        if (p < end && *p == '\n') ++p;
        while (p < end && *p == ' ') ++p;
    }
}

float tlsTagWidth() {
    const float line = ImGui::GetTextLineHeight();
    return line * 0.75f + ImGui::CalcTextSize("TLS").x + line * 0.35f;
}

void drawTlsTag(ImDrawList* dl, ImVec2 at, float alpha) {
    const float line = ImGui::GetTextLineHeight();
    const unsigned c = toU32(colors::kTls, alpha);
    const ImVec2 b(at.x + tlsTagWidth(), at.y + line);
    dl->AddRectFilled(at, b, toU32({0xff, 0xff, 0xff}, alpha), line * 0.25f);
    dl->AddRect(at, b, c, line * 0.25f, 0, 1.5f);
    // The padlock: a shackle (an arc) over a filled body.
    const float lx = at.x + line * 0.2f, lw = line * 0.4f;
    const ImVec2 bodyA(lx, at.y + line * 0.45f), bodyB(lx + lw, at.y + line * 0.85f);
    dl->PathArcTo(ImVec2(lx + lw * 0.5f, bodyA.y), lw * 0.32f, 3.14159f, 2.0f * 3.14159f, 8);
    dl->PathStroke(c, 0, line * 0.09f);
    dl->AddRectFilled(bodyA, bodyB, c, line * 0.06f);
    dl->AddText(ImVec2(at.x + line * 0.75f, at.y), c, "TLS");
}

}  // namespace mailsim::gui
