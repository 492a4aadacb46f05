// The page's program (issue #15): the same App as mailsim-gui, driven by the browser's animation frames.
// index.html turns the URL (?scenario=NAME&step=K&lang=zh&presenter=1&predict=1&show=PANEL) into mailsim-gui's own
// command line (Module.arguments), so a deep link means exactly what the same options mean on the desktop.
// The scenarios and lessons are preloaded at /mailsim (the working directory), the CJK font subset at the path
// gui/Fonts.hpp looks for.
#include "App.hpp"
#include "Options.hpp"
#include "Platform.hpp"
#include "Strings.hpp"
#include "SyntheticTrace.hpp"
#include "WebHooks.hpp"

#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <unistd.h>

namespace {

using namespace mailsim::gui;

std::unique_ptr<Platform> g_platform;
std::unique_ptr<App> g_app;
int g_width = 0;
int g_height = 0;

// The canvas fills the page: follow its CSS size (the browser window) before each frame.
void followCanvasSize() {
    double w = 0.0, h = 0.0;
    if (emscripten_get_element_css_size("#canvas", &w, &h) != EMSCRIPTEN_RESULT_SUCCESS) return;
    const int iw = static_cast<int>(w), ih = static_cast<int>(h);
    if (iw < 16 || ih < 16 || (iw == g_width && ih == g_height)) return;
    g_width = iw;
    g_height = ih;
    if (GLFWwindow* window = glfwGetCurrentContext()) glfwSetWindowSize(window, iw, ih);
}

void frame() {
    followCanvasSize();
    g_platform->pumpEvents(true);
    g_app->frame();
    mailsim::web::frameDone();
}

void fail(const std::string& message) {
    std::fprintf(stderr, "mailsim: %s\n", message.c_str());
    mailsim::web::reportFatal(message);
}

}  // namespace

int main(int argc, char** argv) {
    // The page passes --lang (page.js): what this program says on failure is in the page's language, as mailsim-gui
    // chooses it (Options.hpp: commandLineLanguage).
    setMessageLanguage(commandLineLanguage(std::vector<std::string>(argv + 1, argv + argc)));
    if (::chdir("/mailsim") != 0) {
        fail(say(S::WebDataMissing));
        return 1;
    }
    // --bench N (the page's ?bench=N): show the GUI benchmark's synthetic trace of about N events instead of a
    // scenario, to measure the UI build time per frame in the browser (web/tests/browser_test.py bench).
    std::size_t benchEvents = 0;
    std::vector<char*> args;
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--bench" && i + 1 < argc) benchEvents = std::strtoul(argv[++i], nullptr, 10);
        else args.push_back(argv[i]);
    }
    auto parsed = parseOptions(static_cast<int>(args.size()), args.data());
    if (auto* error = std::get_if<std::string>(&parsed)) {
        fail(*error);
        return 2;
    }
    Options options = std::get<Options>(std::move(parsed));
    followCanvasSize();
    if (g_width > 0) {
        options.width = g_width;
        options.height = g_height;
    }
    PlatformConfig config;
    config.width = options.width;
    config.height = options.height;
    config.title = "mailsim";
    PlatformStatus status = PlatformStatus::Ok;
    std::string message;
    g_platform = Platform::create(config, status, message);
    if (!g_platform) {
        std::fprintf(stderr, "mailsim: %s\n", message.c_str());  // the window system's own words, for the console
        fail(say(S::WebNoWebGl2));
        return 3;
    }
    if (benchEvents > 0) {
        Document doc;
        doc.path = "(synthetic)";
        doc.result = mailsim::bench::syntheticRun(benchEvents);
        g_app = std::make_unique<App>(*g_platform, std::move(options), std::move(doc));
    } else {
        g_app = std::make_unique<App>(*g_platform, std::move(options));
    }
    mailsim::web::attach(*g_app);
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
