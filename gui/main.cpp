// mailsim-gui: the desktop front-end. Loads a scenario through the sim API, runs it headless to the end, and lets a
// class step through its trace. See Options.hpp for the command line and exit codes.
#include "App.hpp"
#include "sim/tools/CliArgs.hpp"
#include "Options.hpp"
#include "Platform.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    using namespace mailsim::gui;
    auto parsed = parseOptions(argc - 1, argv + 1);
    if (auto* error = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "mailsim-gui: %s\n\n%s", error->c_str(), kUsage);
        return 2;
    }
    Options options = std::get<Options>(std::move(parsed));
    if (options.help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (options.version) {
        std::printf("mailsim-gui %s\n", std::string(mailsim::sim::versionNumber()).c_str());
        return 0;
    }

    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        std::fputs("mailsim-gui: no display (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                   "  Run the scenario headless with `mailsim run FILE`, or under a virtual display with\n"
                   "  `xvfb-run -a mailsim-gui FILE --screenshot out.png`.\n",
                   stderr);
        return 3;
    }

    PlatformConfig config;
    config.width = options.width;
    config.height = options.height;
    config.visible = options.screenshot.empty();
    config.title = "mailsim";
    PlatformStatus status = PlatformStatus::Ok;
    std::string message;
    auto platform = Platform::create(config, status, message);
    if (!platform) {
        std::fprintf(stderr, "mailsim-gui: %s\n", message.c_str());
        // No display and no usable OpenGL window are the same for the caller: fall back to `mailsim run`.
        std::fputs("  Run the scenario headless with `mailsim run FILE` instead.\n", stderr);
        return 3;
    }
    App app(*platform, std::move(options));
    return app.run();
}
