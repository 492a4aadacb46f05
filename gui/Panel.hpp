// The panel interface. Each panel lives in its own file under panels/ and is registered in Panels.cpp, the one
// place that lists them (ImHex style). A panel holds UI state only (scroll positions, what it last reacted to); it
// reads the document and the view model through the PanelContext and moves the shared Cursor.
#pragma once

#include "Document.hpp"
#include "Fonts.hpp"
#include "ViewModel.hpp"

#include <imgui.h>

#include <memory>
#include <vector>

namespace mailsim::gui {

// Where the App places a panel's window. The layout is fixed (ImGui 1.86 from Debian has no docking).
enum class Slot { Hidden, Header, Main, MainBottom, Side, SideBottom, Full };

// Display settings shared by several panels.
struct ViewSettings {
    bool hideFuture = false;  // hide the lines after the cursor instead of dimming them
    float dimAlpha = 0.32f;   // opacity of the lines after the cursor
};

struct PanelContext {
    const Document& doc;
    const ViewModel& view;
    Cursor& cursor;
    const FontSet& fonts;
    ViewSettings& settings;
    double now = 0.0;
    bool reloadRequested = false;
};

class Panel {
public:
    virtual ~Panel() = default;
    virtual const char* title(const PanelContext& ctx) const = 0;  // window title (also its ImGui id)
    virtual Slot slot(const PanelContext& ctx) const = 0;
    virtual ImGuiWindowFlags windowFlags() const { return 0; }
    // Draws the window's content (the App has already called ImGui::Begin).
    virtual void draw(PanelContext& ctx) = 0;
};

// All panels, in drawing order. Defined in Panels.cpp.
std::vector<std::unique_ptr<Panel>> createPanels();

// Factories, one per panel file.
std::unique_ptr<Panel> makeHeaderPanel();
std::unique_ptr<Panel> makeTranscriptPanel();
std::unique_ptr<Panel> makeNarrationPanel();
std::unique_ptr<Panel> makeStatePanel();
std::unique_ptr<Panel> makeChecksPanel();

}  // namespace mailsim::gui
