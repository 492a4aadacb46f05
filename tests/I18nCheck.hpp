// The checks of a Chinese text that test_i18n (the CLI's and serve's catalogues and manuals) and gui_viewmodel (the
// GUI's string table and manual) share: is it Chinese at all, and is an English sentence left in it.
#pragma once

#include <regex>
#include <string>
#include <string_view>

namespace mailsim::testing {

// True when `s` holds a CJK ideograph (U+4E00..U+9FFF: UTF-8 lead byte E4..E9).
inline bool hasCjk(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0xE4 && c <= 0xE9) return true;
    return false;
}

// A Chinese text left (partly) in English: the first run of four English words in a row ("SMTP on this address"),
// or "". Option names, file names, commands and protocol words stay as typed and never make such a run.
inline std::string englishRun(std::string_view zh) {
    static const std::regex run(R"([A-Za-z']{2,}( [A-Za-z']{2,}){3})");
    std::smatch m;
    const std::string s(zh);
    return std::regex_search(s, m, run) ? m.str() : std::string();
}

}  // namespace mailsim::testing
