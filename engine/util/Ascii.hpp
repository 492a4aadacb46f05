// ASCII case folding for protocol keywords (SMTP verbs and parameters, IMAP atoms and fetch items, MIME type names):
// RFC 5321 2.4 and RFC 3501 9 make them case-insensitive in ASCII only, so this never depends on the C locale and
// leaves every octet >= 0x80 (UTF-8) as it is. Header-only, no dependencies.
#pragma once

#include <string>
#include <string_view>

namespace mailsim::util {

inline std::string asciiUpper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

}  // namespace mailsim::util
