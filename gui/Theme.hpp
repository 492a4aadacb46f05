// Colours and style of mailsim-gui: a light theme, because dark text on a light background survives a classroom
// projector best. The transcript colours are plain bytes so the screenshot checker (tests/ShotCheck.cpp) can look for
// them without linking ImGui.
#pragma once

#include <cstdint>

struct ImVec4;

namespace mailsim::gui {

struct Rgb {
    std::uint8_t r, g, b;
};

namespace colors {
inline constexpr Rgb kClient{0x15, 0x5f, 0xc8};      // C: lines (blue)
inline constexpr Rgb kServer{0x0b, 0x80, 0x3c};      // S: lines (green)
inline constexpr Rgb kState{0x8e, 0x2f, 0xb0};       // state transitions (purple)
inline constexpr Rgb kNote{0x6b, 0x6b, 0x6b};        // narration (grey)
inline constexpr Rgb kConnection{0x8a, 0x5a, 0x00};  // connection opened/closed (brown)
inline constexpr Rgb kStore{0x00, 0x7a, 0x84};       // mail store changes (teal)
inline constexpr Rgb kCheckOk{0x2e, 0x7d, 0x32};     // expectation held
inline constexpr Rgb kError{0xc6, 0x28, 0x28};       // failed expectation, error, diagnostics
inline constexpr Rgb kText{0x1e, 0x1e, 0x1e};
inline constexpr Rgb kBackground{0xf7, 0xf7, 0xf4};
inline constexpr Rgb kCursorRow{0xff, 0xe9, 0x8a};   // the line at the cursor
inline constexpr Rgb kAccent{0xe0, 0x8a, 0x00};      // cursor bar, current state
inline constexpr Rgb kStateBox{0xe8, 0xe4, 0xee};    // states that are not current
inline constexpr Rgb kLineEnd{0xb3, 0x3c, 0x00};     // CR and LF bytes in the inspector's hex dump
inline constexpr Rgb kHeading{0x10, 0x3a, 0x6e};     // lesson headings (navy)
inline constexpr Rgb kRelay{0xad, 0x14, 0x57};       // relay hops and MTA queues (deep pink)
inline constexpr Rgb kQueued{0xfc, 0xe4, 0xec};     // the fill of an MTA's queue while it holds mail (light pink)
inline constexpr Rgb kDns{0x45, 0x5a, 0x64};         // DNS questions and answers (blue grey)
inline constexpr Rgb kTls{0x55, 0x6b, 0x2f};         // TLS: handshakes and the lock on protected lines (olive)
inline constexpr Rgb kDown{0x9e, 0x9e, 0x9e};        // a host or link that is down (greyed out)
inline constexpr Rgb kTableHead{0xdb, 0xe5, 0xf1};   // the head row of a lesson table (light navy)
}  // namespace colors

ImVec4 toVec4(Rgb c, float alpha = 1.0f);
unsigned toU32(Rgb c, float alpha = 1.0f);

// Applies the light style, scaled for `fontSize` pixels; `highContrast` (presenter mode) makes the background white,
// the text black and the frames and borders stronger.
void applyTheme(float fontSize, bool highContrast = false);

}  // namespace mailsim::gui
