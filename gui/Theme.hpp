// Colours and style of mailsim-gui: a light theme, because dark text on a light background survives a classroom
// projector best. The transcript colours are plain bytes so the screenshot checker (tests/ShotCheck.cpp) can look for
// them without linking ImGui.
//
// Contract (issue #14, readable from the back of a classroom): every colour text is drawn in (kTextColours) has a
// contrast ratio of at least 7:1 (WCAG 2.x AAA, kMinContrast) against every background text is drawn on
// (kTextBackgrounds); gui_viewmodel checks it with contrastRatio(). Presenter mode's text is at least
// kPresenterMinFontPx pixels high (presenterFontSize).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

struct ImVec4;

namespace mailsim::gui {

struct Rgb {
    std::uint8_t r, g, b;
};

namespace colors {
inline constexpr Rgb kClient{0x0f, 0x47, 0x95};      // C: lines (blue)
inline constexpr Rgb kServer{0x07, 0x55, 0x28};      // S: lines (green)
inline constexpr Rgb kState{0x71, 0x25, 0x8c};       // state transitions (purple)
inline constexpr Rgb kNote{0x4a, 0x4a, 0x4a};        // narration (grey)
inline constexpr Rgb kConnection{0x67, 0x43, 0x00};  // connection opened/closed (brown)
inline constexpr Rgb kStore{0x00, 0x52, 0x59};       // mail store changes (teal)
inline constexpr Rgb kCheckOk{0x1f, 0x54, 0x21};     // expectation held
inline constexpr Rgb kError{0x90, 0x1d, 0x1d};       // failed expectation, error, diagnostics
inline constexpr Rgb kText{0x1e, 0x1e, 0x1e};
inline constexpr Rgb kBackground{0xf7, 0xf7, 0xf4};
inline constexpr Rgb kCursorRow{0xff, 0xf4, 0xc4};   // the line at the cursor
inline constexpr Rgb kAccent{0xe0, 0x8a, 0x00};      // cursor bar, current state
inline constexpr Rgb kStateBox{0xe8, 0xe4, 0xee};    // states that are not current
inline constexpr Rgb kLineEnd{0x86, 0x2c, 0x00};     // CR and LF bytes in the inspector's hex dump
inline constexpr Rgb kHeading{0x10, 0x3a, 0x6e};     // lesson headings (navy)
inline constexpr Rgb kRelay{0x91, 0x10, 0x49};       // relay hops and MTA queues (deep pink)
inline constexpr Rgb kQueued{0xfc, 0xe4, 0xec};     // the fill of an MTA's queue while it holds mail (light pink)
inline constexpr Rgb kDns{0x3b, 0x4d, 0x55};         // DNS questions and answers (blue grey)
inline constexpr Rgb kTls{0x3f, 0x50, 0x23};         // TLS: handshakes and the lock on protected lines (olive)
inline constexpr Rgb kDown{0x9e, 0x9e, 0x9e};        // a host or link that is down (greyed out)
inline constexpr Rgb kTableHead{0xdb, 0xe5, 0xf1};   // the head row of a lesson table (light navy)
inline constexpr Rgb kNoteBand{0xf3, 0xf1, 0xe6};   // a note across the sequence diagram
inline constexpr Rgb kHostBox{0xfb, 0xfa, 0xf6};     // a host's box on the network map
inline constexpr Rgb kWhite{0xff, 0xff, 0xff};
// Presenter mode (high contrast): black text, a dark grey for disabled text, a white background.
inline constexpr Rgb kPresenterText{0x00, 0x00, 0x00};
inline constexpr Rgb kPresenterDisabled{0x40, 0x40, 0x40};
}  // namespace colors

struct NamedRgb {
    const char* name;
    Rgb rgb;
};
// The colours text is drawn in, and the backgrounds it is drawn on (pills with white text are checked the other way
// round: white text on the pill's colour, see the test).
inline constexpr NamedRgb kTextColours[] = {
    {"client", colors::kClient}, {"server", colors::kServer}, {"state", colors::kState}, {"note", colors::kNote},
    {"connection", colors::kConnection}, {"store", colors::kStore}, {"check ok", colors::kCheckOk},
    {"error", colors::kError}, {"text", colors::kText}, {"line end", colors::kLineEnd}, {"heading", colors::kHeading},
    {"relay", colors::kRelay}, {"dns", colors::kDns}, {"tls", colors::kTls}, {"presenter text", colors::kPresenterText},
    {"presenter disabled", colors::kPresenterDisabled}};
inline constexpr NamedRgb kTextBackgrounds[] = {
    {"white", colors::kWhite}, {"background", colors::kBackground}, {"cursor row", colors::kCursorRow},
    {"queued", colors::kQueued}, {"note band", colors::kNoteBand}, {"host box", colors::kHostBox}};
inline constexpr double kMinContrast = 7.0;
inline constexpr float kPresenterMinFontPx = 28.0f;

// WCAG 2.x relative luminance and contrast ratio ((L1 + 0.05) / (L2 + 0.05), lighter over darker).
inline double relativeLuminance(Rgb c) {
    auto channel = [](std::uint8_t v) {
        const double s = v / 255.0;
        return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}
inline double contrastRatio(Rgb a, Rgb b) {
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The text size of presenter mode for a base size: 30% larger, and never below kPresenterMinFontPx.
inline float presenterFontSize(float base) { return std::max(base * 1.3f, kPresenterMinFontPx); }

ImVec4 toVec4(Rgb c, float alpha = 1.0f);
unsigned toU32(Rgb c, float alpha = 1.0f);

// Applies the light style, scaled for `fontSize` pixels; `highContrast` (presenter mode) makes the background white,
// the text black and the frames and borders stronger.
void applyTheme(float fontSize, bool highContrast = false);

}  // namespace mailsim::gui
