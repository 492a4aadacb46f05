#include "sim/tools/Lang.hpp"

#include <cstdlib>

namespace mailsim::sim {

i18n::Lang langFromEnvironment() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* v = std::getenv(name);
        if (!v || !*v) continue;
        return i18n::parseLang(v).value_or(i18n::Lang::En);
    }
    return i18n::Lang::En;
}

std::optional<i18n::Lang> parseLangOption(std::string_view value) { return i18n::parseLang(value); }

}  // namespace mailsim::sim
