// The `mailsim` subcommands. Each takes its arguments (after the subcommand name) and returns the exit code.
#pragma once

#include "sim/tools/Lang.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mailsim::sim {

// mailsim run FILE [--format text|json] [--times] [--seed N] [--lang en|zh]: exit 0 all expectations hold, 1 one failed,
// 2 unusable scenario file or bad arguments.
int runMain(std::span<const std::string> args);
// mailsim serve --smtp ADDR:PORT --maildir DIR [--user ADDRESS:PASSWORD]... [--strict] [--domain NAME]
// [--idle-timeout SECONDS]: runs until SIGINT/SIGTERM, then exit 0; 1 when it cannot listen or use DIR;
// 2 bad arguments (usage on stderr).
int serveMain(std::span<const std::string> args);
// mailsim export SCENARIO [--pcap F] [--mermaid F] [--svg F] [--json F] [--text F]: exit 0 written, 2 unusable
// scenario, bad arguments or a file that could not be written.
int exportMain(std::span<const std::string> args);
// mailsim check [FILE|DIR]...: validates scenario files without running them (default: scenarios/); exit 0 all
// valid, 2 some file is not (its problems on stderr as file:line:col: message).
int checkMain(std::span<const std::string> args);
// mailsim predict FILE [--answers A,B,...] [--states] [--seed N]: the transcript with a guess asked before each
// server reply (from stdin, or the list), scored and explained; exit 0 (also at the end of stdin), 2 unusable
// scenario file or bad arguments.
int predictMain(std::span<const std::string> args);
// mailsim new NAME: writes NAME.yaml, a commented starter scenario; exit 0, or 2 when it exists or cannot be written.
int newMain(std::span<const std::string> args);
// mailsim ca export [FILE] | show [--dir DIR]: the classroom CA (created on first use); exit 0, 1 when the CA cannot
// be created or read or FILE written, 2 bad arguments.
int caMain(std::span<const std::string> args);
// mailsim sandbox FILE [...] / mailsim record FILE --out OUT [...]: type raw commands to the scenario's servers
// (Sandbox.hpp); exit 0, 1 when saving failed, 2 unusable scenario or bad arguments.
int sandboxMain(std::span<const std::string> args);
int recordMain(std::span<const std::string> args);

// The usage texts kept beside their parsers, in `lang`, quoted by the manuals (CliHelp.cpp) as their OPTIONS.
std::string serveUsageText(i18n::Lang lang);
std::string sandboxUsageText(i18n::Lang lang);
std::string caUsageText(i18n::Lang lang);

// Every manual of `mailsim COMMAND --help` (command "" = the overview) in English and Chinese: one table, built once;
// helpText (CliArgs.hpp) looks it up. A text is never filled in from the other language here, so a missing
// translation is seen (tests/test_i18n.cpp).
struct Manual {
    std::string_view command;
    i18n::LocalText text;
};
std::span<const Manual> manuals();

// The language of a subcommand's words: the value of its `--lang` (en, zh or a locale name; every occurrence before
// a lone "--" is checked), else the locale's (sim::langFromEnvironment). nullopt after printing the usage error
// ("--lang needs en or zh", "--lang must be en or zh, not 'fr'") for `command`: the caller exits 2.
std::optional<i18n::Lang> commandLang(std::span<const std::string> args, std::string_view command);

}  // namespace mailsim::sim
