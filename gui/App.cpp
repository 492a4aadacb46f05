#include "App.hpp"
#include "Glyphs.hpp"
#include "Strings.hpp"
#include "TraceSource.hpp"
#include "Theme.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <type_traits>
#include <variant>

namespace mailsim::gui {
namespace {

constexpr ImGuiWindowFlags kSlotFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                        ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus;

}  // namespace

App::App(Platform& platform, Options options) : m_platform(platform), m_options(std::move(options)) {
    init();
    if (m_options.live()) startLive();
    else load(resolveScenarioPath(m_options));
    if (std::holds_alternative<CursorAtEnd>(m_options.cursor)) m_cursor.end();
    else m_cursor.set(std::get<std::size_t>(m_options.cursor));
    applyPredictOptions();
    applySandboxOptions();
    applyShowOption();
}

App::App(Platform& platform, Options options, Document document)
    : m_platform(platform), m_options(std::move(options)) {
    init();
    adopt(std::move(document));
    applyShowOption();
}

App::~App() {
    if (m_settingsPath.empty()) return;
    if (m_sandbox.active()) setSandbox(false);  // the remembered bottom split is the user's, not the console's
    saveSettingsNow();
}

void App::saveSettingsNow() {
    if (m_settingsPath.empty()) return;
    if (!m_settings.fullScreen) m_platform.windowSize(m_settings.windowWidth, m_settings.windowHeight);
    if (!saveSettings(m_settingsPath, m_settings))
        printError(say(S::SettingsNotWrittenFmt, m_settingsPath.c_str()));
}

void App::init() {
    m_panels = createPanels();
    for (auto& list : m_slotPanels) list.reserve(m_panels.size());
    const bool screenshot = !m_options.screenshot.empty();
    if (!screenshot) {
        m_settingsPath = settingsPath();
        static_cast<GuiSettings&>(m_settings) = loadSettings(m_settingsPath);
    }
    if (!m_options.language.empty()) {
        m_settings.uiLanguage = m_settings.lessonLanguage =
            m_options.language == "zh" ? Language::Chinese : Language::English;
    }
    if (m_options.presenter) m_settings.presenter = true;
    setUiLanguage(m_settings.uiLanguage);  // the view model is built in it (annotations, labels)
    m_sandbox.setLanguage(uiLang());
    if (m_options.timeAxis) m_settings.timeAxis = true;
    m_baseFontSize = m_options.fontSize * (screenshot || m_options.fontSizeGiven ? 1.0f : m_platform.contentScale());
    m_applyTab.fill(true);
}

// --predict: predict mode on (--predict-states: state changes asked too), the cursor stepped forward to the first question after the --step position;
// --predict-answer X then answers it (for screenshot tests of the feedback).
void App::applyPredictOptions() {
    if (!m_options.predict) return;
    m_predict.setIncludeStates(m_options.predictStates, m_cursor);
    setPredict(true);
    m_cursor.end();  // stops before the first unanswered reply
    if (!m_options.predictAnswer.empty() && !m_predict.answer(m_options.predictAnswer, m_cursor))
        printError(say(S::NoPredictionLeft));
}

void App::setPredict(bool on) {
    if (on && m_sandbox.active()) setSandbox(false);
    if (on && m_doc.live && m_doc.loaded()) m_predict = PredictSession(m_view, {});  // the points of the trace so far
    m_predict.setEnabled(on, m_cursor);
    if (on) showPanel("predict");
}

// --- sandbox mode (issue #7) ----------------------------------------------------------------------------------------
// On: a sim::Sandbox on the current file after its steps; every panel shows its growing run (shownDoc/shownView)
// and the cursor stands on its last row. Off: the scenario's own run again, the cursor where it was clamped.

void App::setSandbox(bool on) {
    if (on == m_sandbox.active()) return;
    if (on && m_doc.live) return;  // a live server has no scenario to open a sandbox on
    if (on) {
        if (m_predict.enabled()) setPredict(false);
        m_sandbox.open(m_doc.path);  // a failure is shown in the Sandbox panel
        m_bottomBeforeSandbox = m_settings.bottomHeight;
        m_settings.bottomHeight = std::max(m_settings.bottomHeight, m_settings.presenter ? 0.5f : 0.42f);
        m_cursor.reset(shownView().size(), kNoRow);
        showPanel("sandbox");
    } else {
        m_sandbox.close();
        if (m_bottomBeforeSandbox > 0.0f) m_settings.bottomHeight = m_bottomBeforeSandbox;
        m_bottomBeforeSandbox = -1.0f;
        m_cursor.reset(m_view.size(), m_cursor.position());
    }
}

// --sandbox HOST[:PORT] connects (from --sandbox-from, else the first client host), then types each --sandbox-send.
void App::applySandboxOptions() {
    if (m_options.sandbox.empty()) return;
    setSandbox(true);
    if (!m_sandbox.isOpen()) return;
    if (!m_sandbox.connectTo(m_options.sandboxFrom, m_options.sandbox))
        printError(say(S::SandboxErrorFmt, m_sandbox.lines().back().text.c_str()));
    for (const auto& line : m_options.sandboxSend) m_sandbox.send(line);
    m_cursor.reset(shownView().size(), kNoRow);
}

const Document& App::shownDoc() const { return m_sandbox.isOpen() ? m_sandbox.document() : m_doc; }
const ViewModel& App::shownView() const { return m_sandbox.isOpen() ? m_sandbox.view() : m_view; }
// --- end of sandbox mode -------------------------------------------------------------------------------------------

void App::applyShowOption() {
    if (!m_options.show.empty() && !showPanel(m_options.show))
        printError(say(S::NoPanelFmt, m_options.show.c_str()));
}

bool App::showPanel(const std::string& id) {
    // Tab order within a slot is registration order; slots are fixed per panel for a loaded document.
    std::array<int, 7> counts{};
    for (auto& p : m_panels) {
        PanelContext probe{shownDoc(), shownView(), m_cursor, m_fonts, m_settings, m_lesson, m_scenarios, m_predict, 0.0, {}, nullptr};
        probe.sandbox = &m_sandbox;
        Slot slot = p->slot(probe);
        if (slot == Slot::Hidden) continue;
        const int s = static_cast<int>(slot);
        if (id == p->id()) {
            if (slot == Slot::Main) m_settings.mainTab = counts[s];
            else if (slot == Slot::Side) m_settings.sideTab = counts[s];
            else if (slot == Slot::SideBottom) m_settings.bottomTab = counts[s];
            m_applyTab[s] = true;
            return true;
        }
        ++counts[s];
    }
    return false;
}

void App::load(const std::string& path) {
    if (m_sandbox.active()) setSandbox(false);  // another file, or this one edited: the sandbox was of the old one
    adopt(loadDocument(path));
}

void App::startLive() {
    m_live = std::make_unique<LiveSource>();
    Document doc;
    doc.live = true;
    if (m_options.serve) {
        std::string error;
        if (!m_live->startServer(m_options.serveArgs, "", error)) {
            doc.path = "mailsim serve";
            doc.diagnostics.push_back({doc.path, 0, 0, sim::DiagnosticId::ServeDidNotStart, {error}});
            adopt(std::move(doc));
            return;
        }
    } else {
        m_live->attach(m_options.attach);
    }
    m_live->poll();
    doc.path = m_live->path();
    doc.result.emplace();
    doc.result->trace = m_live->trace();
    doc.liveStatus = m_live->status();
    adopt(std::move(doc));
}

// Between frames, at most every 100 ms: read what the trace file gained; extend the view at most 5 times a second.
void App::pollLive(double now) {
    if (!m_live || !m_doc.live || !m_doc.loaded()) return;
    if (now >= m_nextLivePoll) {
        m_nextLivePoll = now + 0.1;
        if (m_live->poll()) m_liveChanged = true;
    }
    if (m_liveChanged && now >= m_nextLiveRebuild) {
        m_liveChanged = false;
        m_nextLiveRebuild = now + 0.2;
        refreshLive(now);
    }
}

// The live trace grew: its new events are appended to the document and the view extends over them (TraceSource.hpp);
// a file that started over (or F5) starts a new document.
void App::refreshLive(double) {
    // Follow mode: the cursor was on the last row (or there was none), so it stays on the last row.
    const bool follow = m_cursor.count() == 0 || m_cursor.position() + 1 >= m_cursor.count();
    m_doc.liveStatus = m_live->status();
    if (appendNew(m_doc.result->trace, m_live->trace())) {
        m_view.extend();
    } else {
        m_predict = PredictSession();  // it and the view point into the document's trace, which is replaced
        m_view = ViewModel();
        m_doc.result->trace = m_live->trace();
        m_view = ViewModel(*m_doc.result, uiLang());
    }
    if (m_predict.enabled()) {  // the new replies are questions too (answers so far start over)
        m_predict = PredictSession(m_view, {});
        m_predict.setEnabled(true, m_cursor);
    }
    m_cursor.setLimit(m_predict.cursorLimit());
    m_cursor.grow(m_view.size(), follow);
    if (newGlyphs()) m_fontsPending = true;  // a client wrote characters the atlas lacks
}

// True when `text` has a character that the font atlas was not built with; remembers them.
// True when the view's text gained a character the font atlas was not built with. Only what was appended since the
// last look is read (the view's text only grows while it is extended; a new view starts over).
bool App::newGlyphs() {
    const std::string& text = m_view.allText();
    if (text.size() < m_glyphsSeen) m_glyphsSeen = 0;
    const bool added = m_liveGlyphs.add(std::string_view(text).substr(m_glyphsSeen));
    m_glyphsSeen = text.size();
    return added;
}

void App::adopt(Document document) {
    const bool predicting = m_predict.enabled();
    sim::PredictOptions predictOptions;
    predictOptions.states = m_predict.includesStates();
    m_predict = PredictSession();  // it points into the old trace too
    m_cursor.setLimit(kNoRow);
    m_view = ViewModel();  // drop the pointer into the old trace before the document is replaced
    m_doc = std::move(document);
    if (m_doc.loaded()) m_view = ViewModel(*m_doc.result, uiLang());
    const std::size_t keep = m_cursor.position();
    m_cursor.reset(m_view.size(), keep);
    m_predict = PredictSession(m_view, predictOptions);
    if (predicting) m_predict.setEnabled(true, m_cursor);  // a reload keeps predict mode (points seen are skipped)
    loadLesson();
    m_scenarios = m_doc.live ? std::vector<ScenarioEntry>{}
                             : listScenarios(std::filesystem::path(m_doc.path).parent_path().string());
    m_watched.assign(1, std::filesystem::path(m_doc.path));
    if (m_doc.loaded())
        for (const auto& inc : m_doc.result->includes) m_watched.emplace_back(inc);
    m_fileStamp = watchedStamp();
    rebuildFonts();

    std::string title = "mailsim - ";
    if (m_doc.live) title += tr(S::WindowLive);
    title += m_doc.loaded() && !m_doc.result->title.empty() ? m_doc.result->title.in(uiLang()) : m_doc.path;
    m_platform.setTitle(title);
    if (!m_doc.loaded()) {
        for (const auto& d : m_doc.diagnostics) std::fprintf(stderr, "%s\n", d.format(messageLang()).c_str());
    }
}

void App::loadLesson() {
    m_lesson = Lesson();
    if (!m_doc.loaded() || m_doc.result->lesson.empty()) return;
    m_lesson = gui::loadLesson(lessonPath(m_doc.path, m_doc.result->lesson, m_settings.lessonLanguage));
}

void App::rebuildFonts() {
    const std::string text = atlasText(m_doc, m_view, m_scenarios);  // Glyphs.hpp: the catalogues and the document
    m_liveGlyphs = GlyphSet(text);
    m_glyphsSeen = m_view.allText().size();
    const float size = m_settings.presenter ? presenterFontSize(m_baseFontSize) : m_baseFontSize;
    m_fonts.build(size, text);
    m_platform.reloadFontTexture();
    applyTheme(size, m_settings.presenter);
    m_headerHeight = 0.0f;
}

int App::run() {
    if (!m_options.screenshot.empty()) {
        if (!m_platform.useOffscreen(m_options.width, m_options.height)) {
            printError(say(S::NoFramebufferFmt, m_options.width, m_options.height));
            return 4;
        }
        const double until = m_platform.time() + m_options.screenshotDelay;
        for (int i = 0; i < m_options.frames || m_platform.time() < until; ++i) {
            m_platform.pumpEvents(true);
            if (m_live) m_nextLivePoll = m_nextLiveRebuild = 0.0;  // a screenshot shows the file as it is now
            frame();
            if (m_platform.time() < until) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        std::string error;
        if (!m_platform.writePng(m_options.screenshot, error)) {
            printError(error);
            return 5;
        }
        return 0;
    }
    while (!m_platform.shouldClose()) {
        // Following a live server: wake up at least every 100 ms to read the trace file (no busy loop).
        m_platform.pumpEvents(m_cursor.playing() || m_dragging >= 0, m_live && m_doc.live ? 0.1 : 0.25);
        frame();
    }
    return 0;
}

void App::frame() {
    // Between frames: these may replace the document or rebuild the font atlas.
    if (!m_openPending.empty()) {
        std::string path = std::move(m_openPending);
        m_openPending.clear();
        m_cursor.reset(0, 0);
        load(path);
        if (!m_checkpointPending.empty() && m_doc.loaded()) {  // opened from a lesson link: go to its checkpoint
            if (auto id = sim::findCheckpoint(m_doc.result->trace, m_checkpointPending))
                if (auto row = m_view.rowOfEvent(*id)) m_cursor.set(*row);
        }
        m_checkpointPending.clear();
    } else if (m_reloadPending) {
        m_reloadPending = false;
        if (m_doc.live && m_live) {
            m_live->reread();  // F5 on a live trace: read the file again from the start
            m_liveChanged = true;
            m_nextLivePoll = m_nextLiveRebuild = 0.0;
        } else {
            load(m_doc.path);
        }
    }
    pollLive(m_platform.time());
    setUiLanguage(m_settings.uiLanguage);
    if (m_doc.loaded() && m_view.lang() != uiLang()) relanguage();
    if (m_fontsPending) {
        m_fontsPending = false;
        rebuildFonts();
    }
    const auto start = std::chrono::steady_clock::now();
    m_platform.newFrame();
    PanelContext ctx{shownDoc(), shownView(), m_cursor, m_fonts, m_settings, m_lesson, m_scenarios, m_predict, m_platform.time(), {}, nullptr};
    ctx.sandbox = &m_sandbox;
    m_cursor.setInterval(m_settings.interval);
    if (m_cursor.tick(ctx.now) && m_settings.breakOnState && !ctx.view.empty() &&
        ctx.view.row(m_cursor.position()).kind == RowKind::State)
        m_cursor.setPlaying(false, ctx.now);  // the "pause at every state change" breakpoint
    handleKeys(ctx);
    pollFile(ctx.now);
    ImGui::PushFont(m_fonts.ui());
    drawPanels(ctx);
    ImGui::PopFont();
    handleRequests(ctx);
    const auto built = std::chrono::steady_clock::now();
    m_platform.render();
    m_lastUiMs = std::chrono::duration<double, std::milli>(built - start).count();
    m_lastRenderMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - built).count();
}

// The UI language changed (the header's switch): every event is rendered again in it (rows, labels, the sandbox's
// run), in place, so the cursor, predict mode and the panels keep their positions; the atlas gets its characters.
void App::relanguage() {
    m_view = ViewModel(*m_doc.result, uiLang());
    m_sandbox.setLanguage(uiLang());
    m_fontsPending = true;
}

void App::pollFile(double now) {
    if (!m_settings.autoReload || now < m_nextPoll || m_doc.path.empty() || m_doc.live) return;
    m_nextPoll = now + 1.0;
    const std::int64_t stamp = watchedStamp();
    if (stamp != 0 && stamp != m_fileStamp) m_reloadPending = true;
}

// The scenario file's stamp mixed with those of the network files it includes (an edit to either reloads).
std::int64_t App::watchedStamp() const {
    std::uint64_t stamp = 0;  // unsigned: the mix may wrap around
    for (std::size_t i = 0; i < m_watched.size(); ++i) {
        const std::int64_t s = fileStamp(m_watched[i]);
        if (i == 0 && s == 0) return 0;  // the scenario itself is gone (being saved): wait
        stamp ^= static_cast<std::uint64_t>(s) * (2 * i + 1);
    }
    return static_cast<std::int64_t>(stamp);
}

void App::handleKeys(PanelContext& ctx) {
    const bool typing = m_sandbox.takeTyping();  // into the sandbox console: its keys are not the main window's
    for (NavKey key : m_platform.takeNavKeys()) {
        if (typing) continue;
        switch (key) {
        case NavKey::Next: m_cursor.step(1); break;
        case NavKey::Previous: m_cursor.step(-1); break;
        case NavKey::NextPage: m_cursor.step(10); break;
        case NavKey::PreviousPage: m_cursor.step(-10); break;
        case NavKey::First: m_cursor.home(); break;
        case NavKey::Last: m_cursor.end(); break;
        case NavKey::PlayPause: m_cursor.togglePlaying(ctx.now); break;
        case NavKey::Reload: ctx.request(ReloadRequest{}); break;
        case NavKey::NextState:
            if (std::size_t r = ctx.view.nextStateRow(m_cursor.position()); r != kNoRow) m_cursor.set(r);
            break;
        case NavKey::NextHop:
            if (std::size_t r = ctx.view.nextHopRow(m_cursor.position()); r != kNoRow) m_cursor.set(r);
            break;
        case NavKey::PreviousHop:
            if (std::size_t r = ctx.view.previousHopRow(m_cursor.position()); r != kNoRow) m_cursor.set(r);
            break;
        case NavKey::PreviousState:
            if (std::size_t r = ctx.view.previousStateRow(m_cursor.position()); r != kNoRow) m_cursor.set(r);
            break;
        case NavKey::Presenter: ctx.request(TogglePresenterRequest{}); break;
        case NavKey::FullScreen: ctx.request(ToggleFullScreenRequest{}); break;
        }
    }
}

void App::handleRequests(PanelContext& ctx) {
    for (PanelRequest& request : ctx.requests) {
        std::visit(
            [&](auto& r) {
                using R = std::decay_t<decltype(r)>;
                if constexpr (std::is_same_v<R, ReloadRequest>) {
                    m_reloadPending = true;
                } else if constexpr (std::is_same_v<R, OpenRequest>) {
                    m_openPending = std::move(r.path);
                    m_checkpointPending = std::move(r.checkpoint);
                } else if constexpr (std::is_same_v<R, TogglePresenterRequest>) {
                    m_settings.presenter = !m_settings.presenter;
                    m_fontsPending = true;
                } else if constexpr (std::is_same_v<R, ToggleFullScreenRequest>) {
                    m_settings.fullScreen = !m_settings.fullScreen;
                    m_platform.setFullScreen(m_settings.fullScreen);
                } else if constexpr (std::is_same_v<R, LessonLanguageChanged>) {
                    loadLesson();
                } else if constexpr (std::is_same_v<R, TogglePredictRequest>) {
                    setPredict(!m_predict.enabled());
                } else if constexpr (std::is_same_v<R, ToggleSandboxRequest>) {
                    setSandbox(!m_sandbox.active());
                }
            },
            request);
    }
    ctx.requests.clear();
}

int App::slotIndex(Slot slot) const { return static_cast<int>(slot); }

void App::drawPanels(PanelContext& ctx) {
    for (auto& list : m_slotPanels) list.clear();
    for (auto& panel : m_panels) {
        Slot slot = panel->slot(ctx);
        // A panel that fills the window (the diagnostics of a file that could not be used) stays in presenter mode:
        // hiding it would leave the class an empty window and no word of what to fix.
        if (m_settings.presenter && panel->secondary() && slot != Slot::Full) slot = Slot::Hidden;
        m_slotPanels[static_cast<std::size_t>(slotIndex(slot))].push_back(panel.get());
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const ImVec2 origin = vp->WorkPos;
    const ImVec2 size = vp->WorkSize;
    if (m_headerHeight <= 0.0f) m_headerHeight = m_fonts.size() * 5.5f;
    const float top = origin.y + m_headerHeight;
    dragSplits(origin, size, top);

    const float bodyHeight = size.y - m_headerHeight;
    const float mainWidth = std::round(size.x * m_settings.mainWidth);
    const bool hasBottom = !m_slotPanels[static_cast<std::size_t>(Slot::MainBottom)].empty();
    const float bottomHeight = hasBottom ? std::round(bodyHeight * m_settings.bottomHeight) : 0.0f;
    const float mainHeight = bodyHeight - bottomHeight;
    const bool hasSideBottom = !m_slotPanels[static_cast<std::size_t>(Slot::SideBottom)].empty();
    const float sideHeight = hasSideBottom ? std::round(bodyHeight * m_settings.sideSplit) : bodyHeight;

    drawSlot(ctx, Slot::Header, origin, ImVec2(size.x, m_headerHeight));
    drawSlot(ctx, Slot::Main, ImVec2(origin.x, top), ImVec2(mainWidth, mainHeight));
    drawSlot(ctx, Slot::MainBottom, ImVec2(origin.x, top + mainHeight), ImVec2(mainWidth, bottomHeight));
    drawSlot(ctx, Slot::Side, ImVec2(origin.x + mainWidth, top), ImVec2(size.x - mainWidth, sideHeight));
    drawSlot(ctx, Slot::SideBottom, ImVec2(origin.x + mainWidth, top + sideHeight),
             ImVec2(size.x - mainWidth, bodyHeight - sideHeight));
    drawSlot(ctx, Slot::Full, ImVec2(origin.x, top), ImVec2(size.x, bodyHeight));
}

void App::drawSlot(PanelContext& ctx, Slot slot, ImVec2 pos, ImVec2 size) {
    const int index = slotIndex(slot);
    const auto& list = m_slotPanels[static_cast<std::size_t>(index)];
    if (list.empty() || size.x < 1.0f || size.y < 1.0f) return;
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    if (list.size() == 1) {
        Panel* panel = list.front();
        if (ImGui::Begin(panel->title(ctx), nullptr, kSlotFlags | panel->windowFlags())) {
            panel->draw(ctx);
            if (slot == Slot::Header) {
                float wanted = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y +
                               ImGui::GetStyle().WindowPadding.y;
                if (wanted > 0.0f) m_headerHeight = wanted;
            }
        }
        ImGui::End();
        return;
    }
    int* selected = slot == Slot::Main ? &m_settings.mainTab
                    : slot == Slot::Side ? &m_settings.sideTab
                    : slot == Slot::SideBottom ? &m_settings.bottomTab
                                               : nullptr;
    static constexpr const char* kNames[] = {"##hidden", "##header", "##main", "##mainbottom", "##side",
                                             "##sidebottom", "##full"};
    if (ImGui::Begin(kNames[index], nullptr, kSlotFlags | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar |
                                                 ImGuiWindowFlags_NoScrollWithMouse)) {
        if (ImGui::BeginTabBar("##tabs", ImGuiTabBarFlags_FittingPolicyScroll)) {  // titles never cut
            for (std::size_t i = 0; i < list.size(); ++i) {
                Panel* panel = list[i];
                ImGuiTabItemFlags flags = 0;
                if (selected && m_applyTab[static_cast<std::size_t>(index)] && static_cast<int>(i) == *selected)
                    flags |= ImGuiTabItemFlags_SetSelected;
                if (ImGui::BeginTabItem(panel->title(ctx), nullptr, flags)) {
                    if (selected && !m_applyTab[static_cast<std::size_t>(index)]) *selected = static_cast<int>(i);
                    ImGui::BeginChild(panel->id(), ImVec2(0.0f, 0.0f), false, panel->windowFlags());
                    panel->draw(ctx);
                    ImGui::EndChild();
                    ImGui::EndTabItem();
                }
            }
            ImGui::EndTabBar();
        }
    }
    ImGui::End();
    m_applyTab[static_cast<std::size_t>(index)] = false;
}

void App::dragSplits(ImVec2 origin, ImVec2 size, float top) {
    // Three splits: 0 = left column | right column, 1 = right top | right bottom, 2 = left top | narration.
    const ImGuiIO& io = ImGui::GetIO();
    const float bodyHeight = size.y - (top - origin.y);
    const float splitX = origin.x + std::round(size.x * m_settings.mainWidth);
    const float splitSide = top + std::round(bodyHeight * m_settings.sideSplit);
    const float splitBottom = top + bodyHeight - std::round(bodyHeight * m_settings.bottomHeight);
    const bool hasSideBottom = !m_slotPanels[static_cast<std::size_t>(Slot::SideBottom)].empty();
    const bool hasBottom = !m_slotPanels[static_cast<std::size_t>(Slot::MainBottom)].empty();
    const ImVec2 m = io.MousePos;
    const float grip = 5.0f;
    int hover = -1;
    if (m.y > top) {
        if (std::abs(m.x - splitX) <= grip) hover = 0;
        else if (hasSideBottom && m.x > splitX && std::abs(m.y - splitSide) <= grip) hover = 1;
        else if (hasBottom && m.x < splitX && std::abs(m.y - splitBottom) <= grip) hover = 2;
    }
    if (m_dragging < 0 && hover >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) m_dragging = hover;
    if (m_dragging >= 0 && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) m_dragging = -1;
    const int active = m_dragging >= 0 ? m_dragging : hover;
    if (active >= 0) ImGui::SetMouseCursor(active == 0 ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
    if (m_dragging == 0) m_settings.mainWidth = std::clamp((m.x - origin.x) / size.x, 0.25f, 0.8f);
    if (m_dragging == 1) m_settings.sideSplit = std::clamp((m.y - top) / bodyHeight, 0.2f, 0.9f);
    if (m_dragging == 2) m_settings.bottomHeight = std::clamp((top + bodyHeight - m.y) / bodyHeight, 0.06f, 0.5f);
}

}  // namespace mailsim::gui
