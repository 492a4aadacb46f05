#include "Fonts.hpp"

#include <filesystem>
#include <system_error>

namespace mailsim::gui {

void FontSet::build(float size, std::string_view text) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    m_size = size;

    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(atlas->GetGlyphRangesDefault());
    builder.AddText(kPanelSymbols);
    if (!text.empty()) builder.AddText(text.data(), text.data() + text.size());
    m_ranges.clear();
    builder.BuildRanges(&m_ranges);

    std::error_code ec;
    m_fromFile = std::filesystem::exists(kDefaultFontPath, ec);
    if (m_fromFile) {
        ImFontConfig cfg;
        cfg.OversampleH = 2;
        cfg.FontNo = 0;  // WenQuanYi Micro Hei
        m_ui = atlas->AddFontFromFileTTF(kDefaultFontPath, size, &cfg, m_ranges.Data);
        // The common Chinese characters (about 2500 + 1000) beside what the UI can show, for text nobody wrote in
        // advance (a sandbox line, a live client's subject): merged into the UI face without oversampling, which keeps
        // the atlas small; glyphs already in the face are skipped.
        ImFontConfig common;
        common.MergeMode = true;
        common.OversampleH = 1;
        common.FontNo = 0;
        if (m_ui) atlas->AddFontFromFileTTF(kDefaultFontPath, size, &common, atlas->GetGlyphRangesChineseSimplifiedCommon());
        cfg.FontNo = 1;  // WenQuanYi Micro Hei Mono
        m_mono = atlas->AddFontFromFileTTF(kDefaultFontPath, size, &cfg, m_ranges.Data);
        cfg.FontNo = 0;
        m_heading = atlas->AddFontFromFileTTF(kDefaultFontPath, size * 1.4f, &cfg, m_ranges.Data);
        m_fromFile = m_ui && m_mono && m_heading;
    }
    if (!m_fromFile) {
        atlas->Clear();
        ImFontConfig cfg;
        cfg.SizePixels = size;
        m_ui = m_mono = atlas->AddFontDefault(&cfg);
        cfg.SizePixels = size * 1.4f;
        m_heading = atlas->AddFontDefault(&cfg);
    }
    atlas->Build();
}

}  // namespace mailsim::gui
