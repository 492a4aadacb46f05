// libFuzzer target: arbitrary bytes as a `mailsim serve --ready-file` document read by parseReadyJson
// (sim/tools/ServeReady.hpp), which the GUI reads (gui/Live.cpp) to find the ports of a server it attaches to.
//
// Checked, beyond the sanitizers: parsing never throws out (any exception ends the process: std::terminate); a
// parsed document has listeners with a service, an address and a port in 1..65535; and what it parsed survives
// the writer: readyJson of it parses back to the same pid and listeners (their strings the same where they are
// well-formed UTF-8).
#include "sim/tools/ServeReady.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using mailsim::sim::ReadyInfo;
using mailsim::sim::ReadyListener;

namespace {

// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF): what the writer keeps as it is
// (it writes any other byte as the code point of the same number, so such a string comes back different).
bool wellFormed(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        std::uint32_t cp = len == 1 ? c : c & (0xff >> (len + 1));
        for (std::size_t k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3f);
        }
        static constexpr std::uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kLeast[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += len;
    }
    return true;
}

bool wellFormed(const ReadyListener& l) {
    return wellFormed(l.host) && wellFormed(l.service) && wellFormed(l.protocol) && wellFormed(l.address);
}

bool same(const ReadyListener& a, const ReadyListener& b) {
    return a.host == b.host && a.service == b.service && a.protocol == b.protocol && a.address == b.address &&
           a.port == b.port && a.implicitTls == b.implicitTls && a.submission == b.submission && a.starttls == b.starttls;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto info = mailsim::sim::parseReadyJson(text);
    if (!info) {
        check(!info.error().empty());
        return 0;
    }
    for (const ReadyListener& l : info->listeners) {
        check(!l.service.empty() && !l.address.empty());
        check(l.port >= 1 && l.port <= 65535);
        check(!l.endpoint().empty());
    }
    auto again = mailsim::sim::parseReadyJson(mailsim::sim::readyJson(*info));
    check(again.has_value());
    check(again->pid == info->pid);
    check(again->listeners.size() == info->listeners.size());
    for (std::size_t i = 0; i < info->listeners.size(); ++i)
        if (wellFormed(info->listeners[i])) check(same(again->listeners[i], info->listeners[i]));
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "{\"format\":\"mailsim-serve-ready\",\"version\":1,\"pid\":42,\"listeners\":[", "]}\n",
        "{\"host\":\"cesoo.com\",\"service\":\"smtp\",\"protocol\":\"smtp\",\"address\":\"127.0.0.1\",\"port\":2525,"
        "\"endpoint\":\"127.0.0.1:2525\",\"implicitTls\":false,\"submission\":false,\"starttls\":true}",
        "\"port\":", "65536", "-1", "99999999999999999999", "1e3", "0x19", "\"address\":\"::1\"", "\"version\":0",
        "\"pid\":", "true", "null", "[", "]", "{", "}", ",", ":", "\"", "\\u0000", "\\ud800", "&a", "*a", "!!str ",
        "? ", "- ", "\n", "'", "#", "%YAML 1.2\n---\n", "..."};
    *tokens = kTokens;
    return std::size(kTokens);
}
