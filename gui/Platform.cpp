#include "Platform.hpp"

#include "Strings.hpp"
#include "Theme.hpp"

#ifdef __EMSCRIPTEN__
// The browser build (issue #15): WebGL 2 through emscripten's GLFW, OpenGL ES 3.0 entry points, GLSL 300 es.
#define GLFW_INCLUDE_ES3
#include <GLES3/gl3.h>
#else
#include <glad/gl.h>  // before GLFW, so GLFW does not pull in the system GL header
#endif
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#ifndef __EMSCRIPTEN__
#include <stb_image_write.h>
#endif

#include <cstdio>
#include <vector>

namespace mailsim::gui {
namespace {

std::string g_glfwError;

void onGlfwError(int code, const char* description) {
    g_glfwError = "GLFW error " + std::to_string(code) + ": " + (description ? description : "?");
}

}  // namespace

std::unique_ptr<Platform> Platform::create(const PlatformConfig& config, PlatformStatus& status, std::string& message) {
    glfwSetErrorCallback(onGlfwError);
    if (!glfwInit()) {
        status = PlatformStatus::NoDisplay;
        message = say(S::NoDisplayOpenFmt, g_glfwError.c_str());
        return nullptr;
    }
    std::unique_ptr<Platform> p(new Platform());
#ifdef __EMSCRIPTEN__
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
#else
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
#endif
    glfwWindowHint(GLFW_VISIBLE, config.visible ? GLFW_TRUE : GLFW_FALSE);
    p->m_window = glfwCreateWindow(config.width, config.height, config.title.c_str(), nullptr, nullptr);
    if (!p->m_window) {
        status = PlatformStatus::NoOpenGL;
        message = say(S::NoWindowFmt, g_glfwError.c_str());
        return nullptr;  // the destructor terminates GLFW
    }
    glfwMakeContextCurrent(p->m_window);
    glfwSwapInterval(1);
#ifndef __EMSCRIPTEN__
    if (gladLoadGL(glfwGetProcAddress) == 0) {
        status = PlatformStatus::NoOpenGL;
        message = say(S::NoGlFunctions);
        return nullptr;
    }
#endif

    // Installed before the ImGui backend, which chains to it; reserved so a frame allocates nothing.
    p->m_navKeys.reserve(64);
    p->m_navKeysTaken.reserve(64);
    glfwSetWindowUserPointer(p->m_window, p.get());
    glfwSetKeyCallback(p->m_window, &Platform::onKey);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; do not drop imgui.ini into the working directory
    ImGui_ImplGlfw_InitForOpenGL(p->m_window, true);
#ifdef __EMSCRIPTEN__
    ImGui_ImplOpenGL3_Init("#version 300 es");
#else
    ImGui_ImplOpenGL3_Init("#version 330 core");
#endif
    ImGui_ImplOpenGL3_CreateDeviceObjects();  // now, so reloadFontTexture() never races the backend's lazy creation
    p->m_imguiReady = true;
    status = PlatformStatus::Ok;
    return p;
}

Platform::~Platform() {
    if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
    if (m_colorBuffer) glDeleteRenderbuffers(1, &m_colorBuffer);
    if (m_imguiReady) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    if (m_window) glfwDestroyWindow(m_window);
    glfwTerminate();
}

bool Platform::shouldClose() const { return glfwWindowShouldClose(m_window); }

void Platform::pumpEvents(bool animating, double idleTimeout) {
    if (animating) glfwPollEvents();
    else glfwWaitEventsTimeout(idleTimeout);  // idle: sleep until input instead of redrawing at 60 Hz
}

void Platform::newFrame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    if (m_fbo) {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(static_cast<float>(m_offscreenWidth), static_cast<float>(m_offscreenHeight));
        io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    }
    ImGui::NewFrame();
}

void Platform::render() {
    ImGui::Render();
    ImVec4 bg = toVec4(colors::kBackground);
    if (m_fbo) {
        glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
        glViewport(0, 0, m_offscreenWidth, m_offscreenHeight);
    } else {
        int w = 0, h = 0;
        glfwGetFramebufferSize(m_window, &w, &h);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glViewport(0, 0, w, h);
    }
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (m_fbo) glFinish();
    else glfwSwapBuffers(m_window);
}

void Platform::onKey(GLFWwindow* window, int key, int, int action, int mods) {
    if (action == GLFW_RELEASE || (mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER))) return;
    auto* self = static_cast<Platform*>(glfwGetWindowUserPointer(window));
    if (!self || (self->m_imguiReady && ImGui::GetIO().WantTextInput)) return;
    const bool repeat = action == GLFW_REPEAT;
    switch (key) {
    case GLFW_KEY_RIGHT: case GLFW_KEY_DOWN: self->m_navKeys.push_back(NavKey::Next); break;
    case GLFW_KEY_LEFT: case GLFW_KEY_UP: self->m_navKeys.push_back(NavKey::Previous); break;
    case GLFW_KEY_PAGE_DOWN: self->m_navKeys.push_back(NavKey::NextPage); break;
    case GLFW_KEY_PAGE_UP: self->m_navKeys.push_back(NavKey::PreviousPage); break;
    case GLFW_KEY_HOME: if (!repeat) self->m_navKeys.push_back(NavKey::First); break;
    case GLFW_KEY_END: if (!repeat) self->m_navKeys.push_back(NavKey::Last); break;
    case GLFW_KEY_SPACE: if (!repeat) self->m_navKeys.push_back(NavKey::PlayPause); break;
    case GLFW_KEY_F5: if (!repeat) self->m_navKeys.push_back(NavKey::Reload); break;
    case GLFW_KEY_RIGHT_BRACKET: self->m_navKeys.push_back(NavKey::NextState); break;
    case GLFW_KEY_LEFT_BRACKET: self->m_navKeys.push_back(NavKey::PreviousState); break;
    case GLFW_KEY_H: self->m_navKeys.push_back((mods & GLFW_MOD_SHIFT) ? NavKey::PreviousHop : NavKey::NextHop); break;
    case GLFW_KEY_F11:
        if (!repeat) self->m_navKeys.push_back((mods & GLFW_MOD_SHIFT) ? NavKey::FullScreen : NavKey::Presenter);
        break;
    default: break;
    }
}

const std::vector<NavKey>& Platform::takeNavKeys() {
    m_navKeysTaken.clear();
    m_navKeys.swap(m_navKeysTaken);
    return m_navKeysTaken;
}

double Platform::time() const { return glfwGetTime(); }

void Platform::setTitle(const std::string& title) { glfwSetWindowTitle(m_window, title.c_str()); }

float Platform::contentScale() const {
#ifdef __EMSCRIPTEN__
    return 1.0f;  // the page sizes the canvas in CSS pixels; emscripten's GLFW has no content scale
#else
    float x = 1.0f, y = 1.0f;
    glfwGetWindowContentScale(m_window, &x, &y);
    return x > 0.5f && x < 8.0f ? x : 1.0f;
#endif
}

void Platform::setFullScreen(bool on) {
    const bool isFull = glfwGetWindowMonitor(m_window) != nullptr;
    if (on == isFull) return;
    if (on) {
        glfwGetWindowPos(m_window, &m_savedX, &m_savedY);
        glfwGetWindowSize(m_window, &m_savedW, &m_savedH);
        GLFWmonitor* monitor = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (!mode) return;
        glfwSetWindowMonitor(m_window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    } else {
        glfwSetWindowMonitor(m_window, nullptr, m_savedX, m_savedY, m_savedW > 0 ? m_savedW : 1280,
                             m_savedH > 0 ? m_savedH : 800, 0);
    }
}

void Platform::windowSize(int& width, int& height) const { glfwGetWindowSize(m_window, &width, &height); }

bool Platform::useOffscreen(int width, int height) {
    glGenFramebuffers(1, &m_fbo);
    glGenRenderbuffers(1, &m_colorBuffer);
    glBindRenderbuffer(GL_RENDERBUFFER, m_colorBuffer);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, m_colorBuffer);
    bool complete = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (!complete) {
        glDeleteFramebuffers(1, &m_fbo);
        glDeleteRenderbuffers(1, &m_colorBuffer);
        m_fbo = m_colorBuffer = 0;
        return false;
    }
    m_offscreenWidth = width;
    m_offscreenHeight = height;
    return true;
}

bool Platform::writePng(const std::string& path, std::string& error) const {
    if (!m_fbo) {
        error = say(S::NoFrameToRead);
        return false;
    }
    const int w = m_offscreenWidth, h = m_offscreenHeight;
    std::vector<unsigned char> rgba(static_cast<std::size_t>(w) * h * 4);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, m_fbo);
    glReadBuffer(GL_COLOR_ATTACHMENT0);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    if (GLenum err = glGetError(); err != GL_NO_ERROR) {
        error = say(S::ReadPixelsFailedFmt, static_cast<unsigned>(err));
        return false;
    }
    // OpenGL's first row is the bottom one; PNG's is the top one. Drop alpha on the way.
    std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y) {
        const unsigned char* src = rgba.data() + static_cast<std::size_t>(h - 1 - y) * w * 4;
        unsigned char* dst = rgb.data() + static_cast<std::size_t>(y) * w * 3;
        for (int x = 0; x < w; ++x) {
            dst[x * 3 + 0] = src[x * 4 + 0];
            dst[x * 3 + 1] = src[x * 4 + 1];
            dst[x * 3 + 2] = src[x * 4 + 2];
        }
    }
#ifdef __EMSCRIPTEN__
    error = say(S::PngDesktopOnlyFmt, path.c_str());
    return false;
#else
    if (!stbi_write_png(path.c_str(), w, h, 3, rgb.data(), w * 3)) {
        error = say(S::CannotWriteFmt, path.c_str());
        return false;
    }
    return true;
#endif
}

void Platform::reloadFontTexture() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

}  // namespace mailsim::gui
