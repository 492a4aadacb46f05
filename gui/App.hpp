// The application: owns the loaded document, its view model, the lesson, the cursor and the panels; lays the panels
// out (slots, tabs, draggable splits) and handles the global keys, auto-reload and the remembered settings.
// Frame-agnostic: the same code draws interactive frames, screenshot frames and the benchmark's frames.
#pragma once

#include "Document.hpp"
#include "Fonts.hpp"
#include "Glyphs.hpp"
#include "Lesson.hpp"
#include "Live.hpp"
#include "Options.hpp"
#include "Panel.hpp"
#include "Platform.hpp"
#include "PredictSession.hpp"
#include "SandboxConsole.hpp"
#include "Scenarios.hpp"
#include "ViewModel.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace mailsim::gui {

class App {
public:
    // Loads the scenario named by the options.
    App(Platform& platform, Options options);
    // Shows an already-run document (the benchmark's synthetic trace).
    App(Platform& platform, Options options, Document document);
    ~App();
    // Interactive: runs until the window closes. Screenshot mode: renders the frames, writes the PNG.
    int run();

    // For the benchmark: one frame, and the state it drives.
    void frame();
    Cursor& cursor() { return m_cursor; }
    const ViewModel& view() const { return m_view; }
    ViewSettings& settings() { return m_settings; }
    // Brings panel `id` to the front of its slot (selects its tab). False when there is no such panel.
    bool showPanel(const std::string& id);
    // Wall time of the last frame's parts: building the UI (panels, ImGui) and rendering it (draw data + GL).
    double lastUiMs() const { return m_lastUiMs; }
    double lastRenderMs() const { return m_lastRenderMs; }

    // For the browser page (web/WebHooks.cpp), which has no destructor run and no command line after start:
    // the document the panels show, predict mode, opening a file (between frames), saving the settings now.
    const Document& document() const { return shownDoc(); }
    PredictSession& predict() { return m_predict; }
    void setPredictMode(bool on) { setPredict(on); }
    void open(std::string path) { m_openPending = std::move(path); }
    void saveSettingsNow();

private:
    void init();
    void applyShowOption();
    void applyPredictOptions();
    void setPredict(bool on);
    // Sandbox mode (issue #7): while on, the panels show the sandbox's run instead of the document's.
    void setSandbox(bool on);
    void applySandboxOptions();
    const Document& shownDoc() const;
    const ViewModel& shownView() const;
    void load(const std::string& path);
    void adopt(Document document);
    void loadLesson();
    void rebuildFonts();
    void relanguage();
    void handleKeys(PanelContext& ctx);
    void handleRequests(PanelContext& ctx);
    void pollFile(double now);
    void startLive();
    void pollLive(double now);
    void refreshLive(double now);
    bool newGlyphs();
    std::int64_t watchedStamp() const;
    void drawPanels(PanelContext& ctx);
    void drawSlot(PanelContext& ctx, Slot slot, ImVec2 pos, ImVec2 size);
    void dragSplits(ImVec2 origin, ImVec2 size, float top);
    int slotIndex(Slot slot) const;

    Platform& m_platform;
    Options m_options;
    Document m_doc;
    ViewModel m_view;
    Lesson m_lesson;
    std::vector<ScenarioEntry> m_scenarios;
    Cursor m_cursor;
    PredictSession m_predict;
    SandboxConsole m_sandbox;
    float m_bottomBeforeSandbox = -1.0f;  // the console needs room: the bottom split is restored when it closes
    FontSet m_fonts;
    ViewSettings m_settings;
    std::string m_settingsPath;  // "" in screenshot mode: nothing is read or written
    float m_baseFontSize = 22.0f;
    std::vector<std::unique_ptr<Panel>> m_panels;
    std::array<std::vector<Panel*>, 7> m_slotPanels;  // per Slot, rebuilt each frame into reserved storage
    std::array<bool, 7> m_applyTab{};                 // select the remembered tab on the next frame
    float m_headerHeight = 0.0f;                      // measured on the previous frame
    int m_dragging = -1;                              // which split is being dragged (-1 none)
    bool m_reloadPending = false;
    std::string m_openPending;
    bool m_fontsPending = false;
    std::int64_t m_fileStamp = 0;                  // of the scenario file and the network files it includes
    std::string m_checkpointPending;               // move the cursor here once m_openPending is open
    std::vector<std::filesystem::path> m_watched;  // those files, built on load (polling must not allocate)
    double m_nextPoll = 0.0;
    // Following a live server (--attach/--serve): the source, when to read it next, when the view may be extended next
    // (at most 5 times a second), and the characters the font atlas already has.
    std::unique_ptr<LiveSource> m_live;
    double m_nextLivePoll = 0.0;
    double m_nextLiveRebuild = 0.0;
    bool m_liveChanged = false;
    GlyphSet m_liveGlyphs;        // the characters the atlas was built with
    std::size_t m_glyphsSeen = 0;  // how much of the view's text m_liveGlyphs has read
    double m_lastUiMs = 0.0, m_lastRenderMs = 0.0;
};

}  // namespace mailsim::gui
