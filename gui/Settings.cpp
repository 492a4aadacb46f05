#include "Settings.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace mailsim::gui {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

void readFloat(std::string_view v, float& out, float lo, float hi) {
    try {
        float f = std::stof(std::string(v));
        if (f >= lo && f <= hi) out = f;
    } catch (...) {
    }
}

void readInt(std::string_view v, int& out, int lo, int hi) {
    try {
        int i = std::stoi(std::string(v));
        if (i >= lo && i <= hi) out = i;
    } catch (...) {
    }
}

void readBool(std::string_view v, bool& out) {
    if (v == "1" || v == "true") out = true;
    else if (v == "0" || v == "false") out = false;
}

void readLanguage(std::string_view v, Language& out) {
    if (v == "en") out = Language::English;
    else if (v == "zh") out = Language::Chinese;
}

const char* lang(Language l) { return l == Language::Chinese ? "zh" : "en"; }

}  // namespace

std::string settingsPath() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg) return std::string(xdg) + "/mailsim/gui.ini";
    const char* home = std::getenv("HOME");
    if (home && *home) return std::string(home) + "/.config/mailsim/gui.ini";
    return {};
}

GuiSettings loadSettings(const std::string& path) {
    GuiSettings s;
    if (path.empty()) return s;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::string_view l = trim(line);
        if (l.empty() || l.front() == '#' || l.front() == ';' || l.front() == '[') continue;
        auto eq = l.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view key = trim(l.substr(0, eq)), value = trim(l.substr(eq + 1));
        if (key == "ui_language") readLanguage(value, s.uiLanguage);
        else if (key == "lesson_language") readLanguage(value, s.lessonLanguage);
        else if (key == "presenter") readBool(value, s.presenter);
        else if (key == "window_width") readInt(value, s.windowWidth, 320, 16384);
        else if (key == "window_height") readInt(value, s.windowHeight, 240, 16384);
        else if (key == "main_width") readFloat(value, s.mainWidth, 0.2f, 0.85f);
        else if (key == "side_split") readFloat(value, s.sideSplit, 0.15f, 0.9f);
        else if (key == "bottom_height") readFloat(value, s.bottomHeight, 0.05f, 0.6f);
        else if (key == "main_tab") readInt(value, s.mainTab, 0, 16);
        else if (key == "side_tab") readInt(value, s.sideTab, 0, 16);
        else if (key == "bottom_tab") readInt(value, s.bottomTab, 0, 16);
        else if (key == "time_axis") readBool(value, s.timeAxis);
        else if (key == "row_pixels") readFloat(value, s.rowPixels, 0.0f, 400.0f);
        else if (key == "break_on_state") readBool(value, s.breakOnState);
        else if (key == "interval") readFloat(value, s.interval, 0.05f, 10.0f);
        else if (key == "hide_future") readBool(value, s.hideFuture);
        else if (key == "auto_reload") readBool(value, s.autoReload);
    }
    return s;
}

bool saveSettings(const std::string& path, const GuiSettings& s) {
    if (path.empty()) return false;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    std::ofstream out(path, std::ios::trunc);
    if (!out) return false;
    out << "# mailsim-gui settings, written on exit\n"
        << "ui_language = " << lang(s.uiLanguage) << "\n"
        << "lesson_language = " << lang(s.lessonLanguage) << "\n"
        << "presenter = " << s.presenter << "\n"
        << "window_width = " << s.windowWidth << "\n"
        << "window_height = " << s.windowHeight << "\n"
        << "main_width = " << s.mainWidth << "\n"
        << "side_split = " << s.sideSplit << "\n"
        << "bottom_height = " << s.bottomHeight << "\n"
        << "main_tab = " << s.mainTab << "\n"
        << "side_tab = " << s.sideTab << "\n"
        << "bottom_tab = " << s.bottomTab << "\n"
        << "time_axis = " << s.timeAxis << "\n"
        << "row_pixels = " << s.rowPixels << "\n"
        << "break_on_state = " << s.breakOnState << "\n"
        << "interval = " << s.interval << "\n"
        << "hide_future = " << s.hideFuture << "\n"
        << "auto_reload = " << s.autoReload << "\n";
    return static_cast<bool>(out);
}

}  // namespace mailsim::gui
