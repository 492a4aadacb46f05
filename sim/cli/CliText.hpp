// The words of the CLI commands `run`, `predict`, `sandbox` and `check` in English and Chinese: one catalogue, looked up by
// the language of `--lang` (default: sim::langFromEnvironment()). Texts are fmt format strings; positional
// arguments ({0}, {1}) let a translation reorder them. Protocol text and file names are arguments, never translated.
#pragma once

#include "i18n/Lang.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace mailsim::sim {

enum class CliText : std::uint8_t {
    LangBad,
    PredictIntro, PredictPrompt, PredictPleaseType, PredictNoMore, PredictScore, PredictScoreAsked,
    PredictNeedsValue, PredictNoCheckpoint, PredictSessionBad, PredictProtocolBad, PredictSkipped, PredictNoQuestions,
    PredictRevealed,
    SandboxTitle, SandboxServer, SandboxHelpHint, SandboxUnknownCommand, SandboxNotConnected, SandboxWrote,
    SandboxCannotWrite,
    CheckOk, CheckOkNetwork, CheckCannotRead, CheckMissingLang, CheckSummary,
    // `mailsim run` (usage errors, problems, the expectations' summary on stderr) and the option values they name
    RunFormatBad, RunSeedBad, RunUnknownOption, RunOneFile, RunNoFile, RunProblems, RunNoCheckpoint, RunFailed,
    RunSummary, LangValueBad, WantTextOrJson, WantCheckpoint, WantPositive, WantLang,
    PredictUnknownOption, PredictNoFile, PredictProblems, WantGuesses, WantSession, WantProtocol,
    SandboxUnknownOption, RecordUnknownOption, SandboxNoFile, RecordFileOrTrace, RecordNeedsOut, RecordCannotRead,
    RecordSkipped, RecordNoSession, RecordCannotWrite, RecordWrote, WantClientHost, WantServer, WantTraceFile,
    WantOutputFile,
};

struct CliTextInfo {
    CliText id;
    i18n::LocalView text;
};

std::span<const CliTextInfo> cliTexts();
std::string_view cliText(CliText id, i18n::Lang lang);

}  // namespace mailsim::sim
