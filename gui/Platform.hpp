// The platform layer: a GLFW window with an OpenGL 3.3 core context (loaded by glad), Dear ImGui with its GLFW and
// OpenGL3 backends, and an optional off-screen framebuffer for screenshots. Nothing above this file calls GLFW or GL.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct GLFWwindow;

namespace mailsim::gui {

struct PlatformConfig {
    int width = 1280;
    int height = 800;
    bool visible = true;   // false for screenshots: the window stays hidden, frames go to an off-screen target
    std::string title = "mailsim";
};

enum class PlatformStatus { Ok, NoDisplay, NoOpenGL };

// The navigation keys, taken from GLFW's key callback rather than ImGui's per-frame key state: a presenter clicker
// sends press and release within milliseconds, and ImGui 1.86 misses a key that goes down and up between two frames.
enum class NavKey : std::uint8_t {
    Next, Previous, NextPage, PreviousPage, First, Last, PlayPause, Reload, NextState, PreviousState, Presenter,
    FullScreen, NextHop, PreviousHop
};

class Platform {
public:
    // Opens the window; on failure returns null and sets `status` and `message`.
    static std::unique_ptr<Platform> create(const PlatformConfig& config, PlatformStatus& status, std::string& message);
    ~Platform();
    Platform(const Platform&) = delete;
    Platform& operator=(const Platform&) = delete;

    bool shouldClose() const;
    // Processes window events: polls when animating, otherwise sleeps until input (or a short timeout).
    // Animating: poll and return at once; idle: sleep until input or `idleTimeout` seconds.
    void pumpEvents(bool animating, double idleTimeout = 0.25);
    void newFrame();
    // The navigation keys pressed since the last call, in order (cleared by the call).
    const std::vector<NavKey>& takeNavKeys();
    void render();
    double time() const;
    void setTitle(const std::string& title);
    // The monitor's content scale (1 on a normal screen, 2 on a HiDPI one), for the UI scale.
    float contentScale() const;
    // Switches between a window and full screen on the window's monitor (restoring the window's place).
    void setFullScreen(bool on);
    // The window's size in screen coordinates.
    void windowSize(int& width, int& height) const;

    // Renders into an off-screen framebuffer of this size from now on (screenshots are then independent of the
    // screen's size). False when the framebuffer cannot be created.
    bool useOffscreen(int width, int height);
    // Reads the last rendered frame (off-screen target) and writes it as an RGB PNG, top row first.
    bool writePng(const std::string& path, std::string& error) const;
    // Uploads the font atlas again after it was rebuilt (between frames).
    void reloadFontTexture();

private:
    Platform() = default;
    static void onKey(GLFWwindow* window, int key, int scancode, int action, int mods);
    GLFWwindow* m_window = nullptr;
    std::vector<NavKey> m_navKeys;
    std::vector<NavKey> m_navKeysTaken;
    bool m_imguiReady = false;
    unsigned m_fbo = 0;
    unsigned m_colorBuffer = 0;
    int m_offscreenWidth = 0;
    int m_offscreenHeight = 0;
    int m_savedX = 0, m_savedY = 0, m_savedW = 0, m_savedH = 0;  // the window's place before full screen
};

}  // namespace mailsim::gui
