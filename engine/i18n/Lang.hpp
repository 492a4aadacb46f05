// The languages every word a user reads exists in: English and Simplified Chinese (the class is Chinese-speaking).
// Protocol text on the wire is never translated; everything around it (explanations, annotations, labels, scenario
// narration) is looked up in a catalogue by `Lang`.
//
// Contract
// - `Lang` is the one language type of every layer (engine catalogues, trace renderers, sim CLI, GUI).
// - `LocalText` is a text given in both languages (catalogue entries, scenario titles and notes); `in(lang)` falls
//   back to English when the requested language is empty, so a missing translation shows English, never nothing.
//   Tests check completeness with `complete()`.
// - Header-only and dependency-free, so the trace library (which has no dependencies) can use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailsim::i18n {

enum class Lang : std::uint8_t { En, Zh };

inline constexpr Lang kAllLangs[] = {Lang::En, Lang::Zh};

inline constexpr std::string_view langCode(Lang lang) { return lang == Lang::Zh ? "zh" : "en"; }

// "en", "zh", and locale names as in LANG/LC_MESSAGES ("zh_CN.UTF-8", "zh-CN", "en_US", "C", "POSIX": English).
// nullopt for anything else, so a command line can say what it expected.
inline std::optional<Lang> parseLang(std::string_view code) {
    if (code.starts_with("zh")) return Lang::Zh;
    if (code.starts_with("en") || code == "C" || code.starts_with("C.") || code == "POSIX") return Lang::En;
    return std::nullopt;
}

struct LocalText {
    std::string en;
    std::string zh;

    const std::string& in(Lang lang) const { return lang == Lang::Zh && !zh.empty() ? zh : en; }
    bool complete() const { return !en.empty() && !zh.empty(); }
    bool empty() const { return en.empty() && zh.empty(); }
};

// The same for compile-time catalogues (constexpr tables of string_views): reply catalogues, command and state
// tables. A row written with one string only (brace elision) has `zh` empty, which the completeness tests catch.
struct LocalView {
    std::string_view en;
    std::string_view zh;

    constexpr std::string_view in(Lang lang) const { return lang == Lang::Zh && !zh.empty() ? zh : en; }
    constexpr bool complete() const { return !en.empty() && !zh.empty(); }
    constexpr bool empty() const { return en.empty() && zh.empty(); }
};

// One text in two languages at the place it is used (short labels of a view); same fallback as LocalText.
inline std::string pick(Lang lang, std::string_view en, std::string_view zh) {
    return std::string(lang == Lang::Zh && !zh.empty() ? zh : en);
}

}  // namespace mailsim::i18n
