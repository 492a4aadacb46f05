// What mailsim-gui remembers between runs: languages, presenter mode, panel sizes and tabs, playback settings.
// Stored as `key = value` lines in $XDG_CONFIG_HOME/mailsim/gui.ini (else ~/.config/mailsim/gui.ini). Unknown keys
// and bad values are ignored, so an old or hand-edited file never stops the program. Screenshot runs neither read
// nor write it (they must not depend on who ran them).
#pragma once

#include "Lesson.hpp"

#include <string>

namespace mailsim::gui {

struct GuiSettings {
    Language uiLanguage = Language::English;
    Language lessonLanguage = Language::English;
    bool presenter = false;
    int windowWidth = 1280, windowHeight = 800;
    float mainWidth = 0.60f;     // fraction of the window for the left column
    float sideSplit = 0.70f;     // fraction of the right column for its upper slot
    float bottomHeight = 0.20f;  // fraction of the left column for the narration
    int mainTab = 0, sideTab = 0, bottomTab = 0;  // selected tab per slot
    bool timeAxis = false;       // sequence diagram along virtual time instead of event index
    float rowPixels = 0.0f;      // sequence diagram zoom (pixels per row; 0 = fit to font)
    bool breakOnState = false;   // playback pauses at every state change
    float interval = 0.7f;       // playback: seconds per step
    bool hideFuture = false;
    bool autoReload = true;
};

// The settings file's path ("" when neither XDG_CONFIG_HOME nor HOME is set).
std::string settingsPath();
// Reads `path`; missing file or keys keep the defaults.
GuiSettings loadSettings(const std::string& path);
// Writes `path`, creating its directory; false on failure (the GUI carries on).
bool saveSettings(const std::string& path, const GuiSettings& settings);

}  // namespace mailsim::gui
