// Where the GUI's font is (fonts-wqy-microhei: Latin and Chinese in one file) and the symbols the panels draw besides
// the UI strings, without ImGui, so gui_viewmodel can check that the font has a glyph for every character the UI uses.
#pragma once

namespace mailsim::gui {

inline constexpr const char* kDefaultFontPath = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
inline constexpr const char* kPanelSymbols = "\xe2\x86\x92\xe2\x86\x90\xe2\x80\xa6\xc2\xb7";  // → ← … ·

}  // namespace mailsim::gui
