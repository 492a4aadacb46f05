#include "sim/tools/Lang.hpp"

#include <cstdlib>

namespace mailsim::sim {

std::optional<i18n::Lang> localeLang() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* v = std::getenv(name);
        if (!v || !*v) continue;
        return i18n::parseLang(v).value_or(i18n::Lang::En);
    }
    return std::nullopt;
}

i18n::Lang langFromEnvironment() { return localeLang().value_or(i18n::Lang::En); }

std::optional<i18n::Lang> langOptionOf(std::span<const std::string> args) {
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "--") break;
        if (args[i] == "--lang")
            if (auto lang = i18n::parseLang(args[i + 1])) return lang;
    }
    return std::nullopt;
}

std::optional<i18n::Lang> parseLangOption(std::string_view value) { return i18n::parseLang(value); }

}  // namespace mailsim::sim
