// The language of the CLI's words (`mailsim run|predict|sandbox|check --lang en|zh`): from the option, else from the
// environment. Protocol text on the wire is never translated.
//
// Contract
// - langFromEnvironment(): the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty decides (POSIX
//   precedence); "zh..." is Chinese, anything else (unset, "C", "POSIX", "en_US.UTF-8", "de_DE") English.
// - localeLang(): the same, or nullopt when none of the three is set (the GUI then asks its remembered setting).
// - langOptionOf(args): the value of the first `--lang` before a lone "--" that names a language, or nullopt; the
//   scan every command line does before its parser (whose errors are then already in that language).
// - parseLangOption(value): the value of `--lang` ("en", "zh", or a locale name such as zh_CN.UTF-8), or nullopt
//   with nothing printed; the caller says what was expected.
// - The catalogues of the command line's words (sim/cli/CliText.hpp, sim/serve/ServeText.hpp) are tables of
//   `TextRow`s: an id and its text in both languages, looked up with `textOf`, filled in with `formatText` (fmt
//   format strings; positional arguments {0}, {1} let a translation reorder them).
#pragma once

#include "i18n/Lang.hpp"

#include <fmt/format.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mailsim::sim {

i18n::Lang langFromEnvironment();
std::optional<i18n::Lang> localeLang();
std::optional<i18n::Lang> langOptionOf(std::span<const std::string> args);
std::optional<i18n::Lang> parseLangOption(std::string_view value);

template <class Id>
struct TextRow {
    Id id;
    i18n::LocalView text;
};

// The text of `id` in `lang` (English when that language's text is empty); "" when `rows` has no row for it.
template <class Id>
constexpr std::string_view textOf(std::span<const TextRow<Id>> rows, Id id, i18n::Lang lang) {
    for (const TextRow<Id>& row : rows)
        if (row.id == id) return row.text.in(lang);
    return {};
}

// A catalogue text with its arguments.
template <class... Args>
std::string formatText(std::string_view text, Args&&... args) {
    return fmt::format(fmt::runtime(text), std::forward<Args>(args)...);
}

}  // namespace mailsim::sim
