#include "Cli.hpp"

#include <cstdlib>

namespace mailsim::sim {

i18n::Lang langFromEnvironment() {
    // POSIX order: LC_ALL overrides LC_MESSAGES, which overrides LANG; the first one set decides.
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (value && *value) return i18n::parseLang(value).value_or(i18n::Lang::En);
    }
    return i18n::Lang::En;
}

}  // namespace mailsim::sim
