// The application: owns the loaded document, its view model, the cursor and the panels; lays the panels out and
// handles the global keys. Frame-agnostic: the same code draws interactive frames and screenshot frames.
#pragma once

#include "Document.hpp"
#include "Fonts.hpp"
#include "Options.hpp"
#include "Panel.hpp"
#include "Platform.hpp"
#include "ViewModel.hpp"

#include <memory>
#include <vector>

namespace mailsim::gui {

class App {
public:
    App(Platform& platform, Options options);
    // Interactive: runs until the window closes. Screenshot mode: renders the frames, writes the PNG.
    int run();

private:
    void load(const std::string& path);
    void frame();
    void handleKeys(PanelContext& ctx);
    void drawPanels(PanelContext& ctx);

    Platform& m_platform;
    Options m_options;
    Document m_doc;
    ViewModel m_view;
    Cursor m_cursor;
    FontSet m_fonts;
    ViewSettings m_settings;
    std::vector<std::unique_ptr<Panel>> m_panels;
    float m_headerHeight = 0.0f;  // measured on the previous frame
    bool m_reloadPending = false;
};

}  // namespace mailsim::gui
