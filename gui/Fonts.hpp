// The fonts: a proportional UI face, a monospaced transcript face and a larger heading face, all from
// WenQuanYi Micro Hei (fonts-wqy-microhei: Latin and Chinese in one file) when it is installed, else ImGui's
// built-in font scaled up. The glyph ranges are Latin plus the text given (Glyphs.hpp's atlasText: every catalogue
// and everything the loaded scenario shows), and the UI face also the common Chinese characters.
#pragma once

#include "FontPath.hpp"

#include <imgui.h>

#include <string>
#include <string_view>

namespace mailsim::gui {

class FontSet {
public:
    // Rebuilds ImGui's font atlas (call between frames; the platform must upload the texture again afterwards).
    void build(float size, std::string_view text);

    ImFont* ui() const { return m_ui; }
    ImFont* mono() const { return m_mono; }
    ImFont* heading() const { return m_heading; }
    float size() const { return m_size; }
    bool fromFile() const { return m_fromFile; }

private:
    ImVector<ImWchar> m_ranges;  // must outlive the atlas build
    ImFont* m_ui = nullptr;
    ImFont* m_mono = nullptr;
    ImFont* m_heading = nullptr;
    float m_size = 22.0f;
    bool m_fromFile = false;
};

}  // namespace mailsim::gui
