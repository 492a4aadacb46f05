// What every `mailsim` subcommand shares on its command line (a Unix tool's conventions, issue #12):
// - `--help`/`-h` prints the subcommand's manual (man-page-like: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS)
//   on stdout and exits 0; `--version` prints "mailsim VERSION" (CMake's project VERSION) and exits 0. Both are
//   handled in cli/main.cpp before the subcommand parses anything (arguments after a lone "--" are not looked at).
// - A usage error goes to stderr with what was wrong and what was expected, then "see 'mailsim CMD --help'", exit 2.
// - An option's value never looks like an option: `--maildir --no-tls` is refused ("--maildir needs a directory,
//   got the option --no-tls") instead of creating a directory named "--no-tls". A lone "-" is a value (stdout).
#pragma once

#include "i18n/Lang.hpp"

#include <cstddef>
#include <expected>
#include <span>
#include <string>
#include <string_view>

namespace mailsim::sim {

// "0.1.0": CMake's project(VERSION), compiled in as MAILSIM_VERSION (mailsim-gui prints it too).
std::string_view versionNumber();

// The manual of `mailsim COMMAND` (COMMAND "" = the overview) in `lang`, or "" for an unknown command. The manuals in
// both languages are one table (sim/cli/CliHelp.cpp, sim::manuals()).
std::string_view helpText(std::string_view command, i18n::Lang lang = i18n::Lang::En);

// The language of a command line's messages and manual: the value of its `--lang` (before a lone "--"), else the
// locale (sim::langFromEnvironment: LC_ALL, LC_MESSAGES, LANG).
i18n::Lang commandLineLang(std::span<const std::string> args);

// True for "--help" and "-h".
bool isHelpOption(std::string_view arg);

// True when `arg` reads as an option ("--x", "-x"), not as a value; "-" (stdin/stdout) and "" are values.
bool looksLikeOption(std::string_view arg);

// The value after args[i] (the option), advancing i: "OPTION needs WHAT" when it is missing, "OPTION needs WHAT, got
// the option X" when the next argument looks like an option.
std::expected<std::string, std::string> optionValue(std::span<const std::string> args, std::size_t& i,
                                                    std::string_view what, i18n::Lang lang = i18n::Lang::En);

// Prints "mailsim COMMAND: MESSAGE" and the pointer to the manual on stderr, in `lang` (default: the locale's);
// returns 2 (the usage-error exit code).
int usageError(std::string_view command, std::string_view message);
int usageError(std::string_view command, std::string_view message, i18n::Lang lang);

}  // namespace mailsim::sim
