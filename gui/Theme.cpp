#include "Theme.hpp"

#include <imgui.h>

namespace mailsim::gui {

ImVec4 toVec4(Rgb c, float alpha) { return ImVec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, alpha); }

unsigned toU32(Rgb c, float alpha) { return ImGui::ColorConvertFloat4ToU32(toVec4(c, alpha)); }

void applyTheme(float fontSize, bool highContrast) {
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();  // start from the defaults: ScaleAllSizes multiplies
    ImGui::StyleColorsLight(&style);
    style.ScaleAllSizes(fontSize / 16.0f);
    style.WindowRounding = 4.0f;
    style.FrameRounding = 4.0f;
    style.GrabRounding = 4.0f;
    style.WindowBorderSize = 1.0f;
    style.ItemSpacing.y *= 0.8f;
    style.CellPadding.y = 2.0f;
    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = toVec4(colors::kText);
    c[ImGuiCol_WindowBg] = toVec4(colors::kBackground);
    c[ImGuiCol_ChildBg] = toVec4({0xff, 0xff, 0xff});
    c[ImGuiCol_TitleBg] = toVec4({0xdd, 0xdd, 0xd8});
    c[ImGuiCol_TitleBgActive] = toVec4({0xdd, 0xdd, 0xd8});
    c[ImGuiCol_TableRowBg] = toVec4({0xff, 0xff, 0xff});
    c[ImGuiCol_TableRowBgAlt] = toVec4({0xf6, 0xf6, 0xf2});
    c[ImGuiCol_Header] = toVec4(colors::kCursorRow);
    c[ImGuiCol_HeaderHovered] = toVec4({0xff, 0xf3, 0xc4});
    c[ImGuiCol_HeaderActive] = toVec4(colors::kCursorRow);
    c[ImGuiCol_FrameBg] = toVec4({0xe4, 0xe4, 0xde});
    c[ImGuiCol_FrameBgHovered] = toVec4({0xf0, 0xe6, 0xc8});
    c[ImGuiCol_FrameBgActive] = toVec4({0xf0, 0xe6, 0xc8});
    c[ImGuiCol_Button] = toVec4({0xe4, 0xe4, 0xde});
    c[ImGuiCol_ButtonHovered] = toVec4({0xff, 0xe0, 0xa8});
    c[ImGuiCol_ButtonActive] = toVec4(colors::kAccent);
    c[ImGuiCol_SliderGrab] = toVec4(colors::kAccent);
    c[ImGuiCol_SliderGrabActive] = toVec4(colors::kAccent);
    c[ImGuiCol_CheckMark] = toVec4(colors::kAccent);
    c[ImGuiCol_Tab] = toVec4({0xe4, 0xe4, 0xde});
    c[ImGuiCol_TabHovered] = toVec4({0xff, 0xe0, 0xa8});
    c[ImGuiCol_TabActive] = toVec4({0xff, 0xff, 0xff});
    c[ImGuiCol_TabUnfocused] = toVec4({0xe4, 0xe4, 0xde});
    c[ImGuiCol_TabUnfocusedActive] = toVec4({0xff, 0xff, 0xff});
    if (highContrast) {
        c[ImGuiCol_Text] = toVec4(colors::kPresenterText);
        c[ImGuiCol_WindowBg] = toVec4(colors::kWhite);
        c[ImGuiCol_Border] = toVec4({0x40, 0x40, 0x40});
        c[ImGuiCol_TextDisabled] = toVec4(colors::kPresenterDisabled);
        c[ImGuiCol_FrameBg] = toVec4({0xd8, 0xd8, 0xd0});
        c[ImGuiCol_Button] = toVec4({0xd8, 0xd8, 0xd0});
        style.WindowBorderSize = 2.0f;
        style.FrameBorderSize = 1.0f;
    }
}

}  // namespace mailsim::gui
