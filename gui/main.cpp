// mailsim-gui: the desktop front-end. Loads a scenario through the sim API, runs it headless to the end, and lets a
// class step through its trace. See Options.hpp for the command line, UsageText.hpp for the manual and exit codes;
// everything printed is in the message language (Strings.hpp), chosen before the arguments are parsed.
#include "App.hpp"
#include "sim/tools/CliArgs.hpp"
#include "Options.hpp"
#include "Platform.hpp"
#include "Strings.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace mailsim::gui;
    setMessageLanguage(commandLineLanguage(std::vector<std::string>(argv + 1, argv + argc)));
    auto parsed = parseOptions(argc - 1, argv + 1);
    if (auto* error = std::get_if<std::string>(&parsed)) {
        printError(*error);
        std::fprintf(stderr, "\n%s", say(S::Usage).c_str());
        return 2;
    }
    Options options = std::get<Options>(std::move(parsed));
    if (options.help) {
        std::fputs(say(S::Usage).c_str(), stdout);
        return 0;
    }
    if (options.version) {
        std::printf("mailsim-gui %s\n", std::string(mailsim::sim::versionNumber()).c_str());
        return 0;
    }

    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        std::fputs(say(S::NoDisplay).c_str(), stderr);
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
        printError(message);
        // No display and no usable OpenGL window are the same for the caller: fall back to `mailsim run`.
        std::fputs(say(S::HeadlessInstead).c_str(), stderr);
        return 3;
    }
    App app(*platform, std::move(options));
    return app.run();
}
