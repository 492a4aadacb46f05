// The panel interface. Each panel lives in its own file under panels/ and is registered in Panels.cpp, the one
// place that lists them (ImHex style). A panel holds UI state only (scroll positions, zoom, what it last reacted
// to); it reads the document and the view model through the PanelContext, moves the shared Cursor, and asks the App
// for anything global (open a file, reload, toggle presenter mode) with a typed request (PanelRequest.hpp).
#pragma once

#include "Document.hpp"
#include "Fonts.hpp"
#include "Lesson.hpp"
#include "PanelRequest.hpp"
#include "PredictSession.hpp"
#include "SandboxConsole.hpp"
#include "Scenarios.hpp"
#include "Settings.hpp"
#include "Strings.hpp"
#include "ViewModel.hpp"

#include <imgui.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::gui {

// Where the App places a panel's window. The layout is fixed (ImGui 1.86 from Debian has no docking); the split
// fractions can be dragged and are remembered. Several panels in one slot share it as tabs.
enum class Slot { Hidden, Header, Main, MainBottom, Side, SideBottom, Full };

// Display settings shared by several panels: the remembered ones plus a few that are not saved.
struct ViewSettings : GuiSettings {
    float dimAlpha = 0.32f;  // opacity of the lines after the cursor
    bool fullScreen = false;
};

struct PanelContext {
    const Document& doc;
    const ViewModel& view;
    Cursor& cursor;
    const FontSet& fonts;
    ViewSettings& settings;
    const Lesson& lesson;
    const std::vector<ScenarioEntry>& scenarios;
    PredictSession& predict;  // predict mode: the gate before the next unanswered reply, the answers, the score
    double now = 0.0;
    // Requests to the App (PanelRequest.hpp), typed events carried out between frames in the order asked.
    std::vector<PanelRequest> requests;
    // Sandbox mode: the console (doc and view above are its run while it is open).
    SandboxConsole* sandbox = nullptr;

    void request(PanelRequest r) { requests.push_back(std::move(r)); }
};

class Panel {
public:
    virtual ~Panel() = default;
    virtual const char* id() const = 0;                            // short name, for --show and the tests
    virtual const char* title(const PanelContext& ctx) const = 0;  // window or tab title ("Shown###id")
    virtual Slot slot(const PanelContext& ctx) const = 0;
    // Secondary panels are hidden in presenter mode, unless they ask for the Full slot.
    virtual bool secondary() const { return false; }
    virtual ImGuiWindowFlags windowFlags() const { return 0; }
    // Draws the content (the App has already begun the window, or the tab's child region).
    virtual void draw(PanelContext& ctx) = 0;
};

// All panels, in drawing (and tab) order. Defined in Panels.cpp.
std::vector<std::unique_ptr<Panel>> createPanels();

// Factories, one per panel file.
std::unique_ptr<Panel> makeHeaderPanel();
std::unique_ptr<Panel> makeSequencePanel();
std::unique_ptr<Panel> makeTranscriptPanel();
std::unique_ptr<Panel> makeNarrationPanel();
std::unique_ptr<Panel> makeStatePanel();
std::unique_ptr<Panel> makeInspectorPanel();
std::unique_ptr<Panel> makeMailboxesPanel();
std::unique_ptr<Panel> makeLessonPanel();
std::unique_ptr<Panel> makeChecksPanel();
std::unique_ptr<Panel> makeScenariosPanel();
std::unique_ptr<Panel> makePredictPanel();
std::unique_ptr<Panel> makeNetworkPanel();
std::unique_ptr<Panel> makeSandboxPanel();

// Text wrapped to the available width at spaces and between Chinese characters (ImGui's own wrap breaks only at
// spaces and after '.', so Chinese text ran to the first space), never before Chinese closing punctuation.
void wrappedText(std::string_view text);

// Colour of a transcript row kind (shared by the transcript and the sequence diagram).
struct Rgb;
Rgb rowColor(RowKind kind);

// The tag on a line protected by TLS (a small padlock and "TLS", olive on white), one line of the current font high,
// with its top-left corner at `at`; shared by the transcript and the sequence diagram. Width in pixels:
float tlsTagWidth();
void drawTlsTag(ImDrawList* dl, ImVec2 at, float alpha = 1.0f);

}  // namespace mailsim::gui
