#include "App.hpp"

#include "Theme.hpp"

#include <algorithm>
#include <cstdio>

namespace mailsim::gui {

App::App(Platform& platform, Options options)
    : m_platform(platform), m_options(std::move(options)), m_panels(createPanels()) {
    load(resolveScenarioPath(m_options));
    if (std::holds_alternative<CursorAtEnd>(m_options.cursor)) m_cursor.end();
    else m_cursor.set(std::get<std::size_t>(m_options.cursor));
}

void App::load(const std::string& path) {
    m_view = ViewModel();  // drop the pointer into the old trace before the document is replaced
    m_doc = loadDocument(path);
    std::string text;
    if (m_doc.loaded()) {
        m_view = ViewModel(*m_doc.result);
        text = m_view.allText();
    }
    for (const auto& d : m_doc.diagnostics) text += d.message + d.file;
    std::size_t keep = m_cursor.position();
    m_cursor.reset(m_view.size(), keep);

    m_fonts.build(m_options.fontSize, text);
    m_platform.reloadFontTexture();
    applyTheme(m_options.fontSize);

    std::string title = "mailsim - ";
    title += m_doc.loaded() && !m_doc.result->title.empty() ? m_doc.result->title : path;
    m_platform.setTitle(title);
    if (!m_doc.loaded()) {
        for (const auto& d : m_doc.diagnostics) std::fprintf(stderr, "%s\n", d.format().c_str());
    }
}

int App::run() {
    if (!m_options.screenshot.empty()) {
        if (!m_platform.useOffscreen(m_options.width, m_options.height)) {
            std::fprintf(stderr, "mailsim-gui: cannot create an off-screen framebuffer of %dx%d\n", m_options.width,
                         m_options.height);
            return 4;
        }
        for (int i = 0; i < m_options.frames; ++i) {
            m_platform.pumpEvents(true);
            frame();
        }
        std::string error;
        if (!m_platform.writePng(m_options.screenshot, error)) {
            std::fprintf(stderr, "mailsim-gui: %s\n", error.c_str());
            return 5;
        }
        return 0;
    }
    while (!m_platform.shouldClose()) {
        m_platform.pumpEvents(m_cursor.playing());
        frame();
    }
    return 0;
}

void App::frame() {
    if (m_reloadPending) {  // between frames: the font atlas may be rebuilt
        m_reloadPending = false;
        load(m_doc.path);
    }
    m_platform.newFrame();
    PanelContext ctx{m_doc, m_view, m_cursor, m_fonts, m_settings, m_platform.time()};
    m_cursor.tick(ctx.now);
    handleKeys(ctx);
    ImGui::PushFont(m_fonts.ui());
    drawPanels(ctx);
    ImGui::PopFont();
    if (ctx.reloadRequested) m_reloadPending = true;
    m_platform.render();
}

void App::handleKeys(PanelContext& ctx) {
    for (NavKey key : m_platform.takeNavKeys()) {
        switch (key) {
        case NavKey::Next: m_cursor.step(1); break;
        case NavKey::Previous: m_cursor.step(-1); break;
        case NavKey::NextPage: m_cursor.step(10); break;
        case NavKey::PreviousPage: m_cursor.step(-10); break;
        case NavKey::First: m_cursor.home(); break;
        case NavKey::Last: m_cursor.end(); break;
        case NavKey::PlayPause: m_cursor.togglePlaying(ctx.now); break;
        case NavKey::Reload: ctx.reloadRequested = true; break;
        }
    }
}

void App::drawPanels(PanelContext& ctx) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const ImVec2 origin = vp->WorkPos;
    const ImVec2 size = vp->WorkSize;
    if (m_headerHeight <= 0.0f) m_headerHeight = m_fonts.size() * 5.5f;
    const float top = origin.y + m_headerHeight;
    const float bodyHeight = size.y - m_headerHeight;
    const float mainWidth = size.x * 0.62f;
    const float narrationHeight = std::min(bodyHeight * 0.3f, m_fonts.size() * 5.4f);
    const float mainHeight = bodyHeight - narrationHeight;
    const float sideHeight = bodyHeight * 0.74f;

    for (auto& panel : m_panels) {
        Slot slot = panel->slot(ctx);
        ImVec2 pos, extent;
        switch (slot) {
        case Slot::Hidden: continue;
        case Slot::Header: pos = origin; extent = ImVec2(size.x, m_headerHeight); break;
        case Slot::Main: pos = ImVec2(origin.x, top); extent = ImVec2(mainWidth, mainHeight); break;
        case Slot::MainBottom:
            pos = ImVec2(origin.x, top + mainHeight);
            extent = ImVec2(mainWidth, narrationHeight);
            break;
        case Slot::Side: pos = ImVec2(origin.x + mainWidth, top); extent = ImVec2(size.x - mainWidth, sideHeight); break;
        case Slot::SideBottom:
            pos = ImVec2(origin.x + mainWidth, top + sideHeight);
            extent = ImVec2(size.x - mainWidth, bodyHeight - sideHeight);
            break;
        case Slot::Full: pos = ImVec2(origin.x, top); extent = ImVec2(size.x, bodyHeight); break;
        }
        ImGui::SetNextWindowPos(pos);
        ImGui::SetNextWindowSize(extent);
        ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 panel->windowFlags();
        if (ImGui::Begin(panel->title(ctx), nullptr, flags)) {
            panel->draw(ctx);
            if (slot == Slot::Header) {
                float wanted = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y +
                               ImGui::GetStyle().WindowPadding.y;
                if (wanted > 0.0f) m_headerHeight = wanted;
            }
        }
        ImGui::End();
    }
}

}  // namespace mailsim::gui
