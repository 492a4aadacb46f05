// The words of the `mailsim` commands in English and Chinese: one catalogue, looked up by the language of `--lang`
// (default: sim::langFromEnvironment()). Texts are fmt format strings; positional arguments ({0}, {1}) let a
// translation reorder them. Protocol text and file names are arguments, never translated. What sim/serve prints is in
// its own catalogue below this layer (sim/serve/ServeText.hpp); the manuals are in CliHelp.cpp.
#pragma once

#include "sim/tools/Lang.hpp"

#include <cstdint>
#include <span>
#include <string>
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
    WantOutputFile, SandboxUsage,
    // `mailsim export`
    ExportUnknownOption, ExportNoFile, ExportNothing, ExportOneStdout, ExportNeedsOutput, WantOutputOrStdout,
    ExportProblems, ExportCannotWriteStdout, ExportWroteStdout, ExportCannotWrite, ExportWrote, ExportFailedNote,
    // `mailsim ca`
    CaUsage, WantCaDir, CaDirBad, CaUnknownAction, CaUnexpected, CaNoAction, CaError, CaNone, CaShow, CaCannotWrite,
    CaWrote,
    // `mailsim new`, the rest of `mailsim check`, `mailsim` itself
    NewNoName, NewUnknownOption, NewOneName, NewExists, NewCannotWrite, NewWrote, CheckUnknownOption, CheckNoYaml,
    HelpNoManual, UnknownCommand,
    // what every command shares (CliArgs.hpp): an option without its value, a usage error
    OptionNeeds, OptionNeedsGotOption, UsageError,
};

using CliTextInfo = TextRow<CliText>;

std::span<const CliTextInfo> cliTexts();
std::string_view cliText(CliText id, i18n::Lang lang);

// cliText(id, lang) with its arguments.
template <class... Args>
std::string cliSay(i18n::Lang lang, CliText id, Args&&... args) {
    return formatText(cliText(id, lang), std::forward<Args>(args)...);
}

}  // namespace mailsim::sim
