// The language of the CLI's words (`mailsim run|predict|sandbox|check --lang en|zh`): from the option, else from the
// environment. Protocol text on the wire is never translated.
//
// Contract
// - langFromEnvironment(): the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty decides (POSIX
//   precedence); "zh..." is Chinese, anything else (unset, "C", "POSIX", "en_US.UTF-8", "de_DE") English.
// - parseLangOption(value): the value of `--lang` ("en", "zh", or a locale name such as zh_CN.UTF-8), or nullopt
//   with nothing printed; the caller says what was expected.
#pragma once

#include "i18n/Lang.hpp"

#include <optional>
#include <string_view>

namespace mailsim::sim {

i18n::Lang langFromEnvironment();
std::optional<i18n::Lang> parseLangOption(std::string_view value);

}  // namespace mailsim::sim
