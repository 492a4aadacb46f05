// The one table of UI strings, English and Simplified Chinese, switchable at run time (setUiLanguage). Panels ask
// tr(S::Name) every frame: a table look-up, no allocation. Strings with printf conversions say so in their name
// (...Fmt) and keep the same conversions in both languages. Window titles end in "###id" so a language switch keeps
// ImGui's window identity.
#pragma once

#include "Lesson.hpp"
#include "i18n/Lang.hpp"

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

namespace mailsim::gui {

enum class S : std::uint16_t {
    // panel titles
    TitleTranscript, TitleSequence, TitleNarration, TitleState, TitleChecks, TitleChecksFailed, TitleInspector,
    TitleMailboxes, TitleLesson, TitleScenarios,
    // header and controls
    First, Back, Play, Pause, Next, Last, PrevState, NextState, StepOfFmt, TimeFmt, HideLater, BreakOnState, Speed,
    Presenter, FullScreen, OtherLanguage, AutoReload, Reload,
    // sequence diagram
    AxisIndex, AxisTime, Zoom, Fit, FoldedFmt, NoRows,
    // transcript filter and search
    AllSessions, FindHint, NoMatch,
    // inspector
    Explanation, RawBytes, NoRawBytes, EventFmt,
    // mailboxes
    NoMailYet, FolderEmpty, MessagesFmt, MessageFmt, ContentAsSent, PickMessage, StoredBySessionFmt,
    // message inspector (MIME)
    MimeStructure, MimeHeaders, MimeSource, MimeSubject, MimeFromTo, MimeContainerFmt, MimeOmittedFmt,
    MimeProblems, MimeRawValue,
    // lesson
    NoLesson, LessonMissingFmt, GoToCheckpointFmt, OpenAtCheckpointFmt, NoCheckpointFmt,
    // scenarios
    OpenScenario, CurrentScenario, NoScenarios,
    // narration and state
    NoNarration, NoSessionYet, NothingToShow, EnteredFromFmt, NoStateChangeYet, CommandsAllowed, NoCommandsAccepted,
    ServerSide, ClientSide,
    // checks
    AllHeldFmt, FailedFmt, ExpectedFmt, GotFmt, SessionsFmt, KeysHelp, FixAndReload,
    // predict mode
    TitlePredict, Predict, PredictScoreFmt, ResetScore, PredictGreeting, PredictReplyFmt, PredictEndOfData,
    PredictStateFmt, PredictChoose, PredictStepFmt, PredictDone, PredictRightFmt, PredictWrongFmt, PredictCame,
    PredictWouldMean, PredictHidden, PredictStates, PredictOnly, PredictAllProtocols,
    // step by relay hop (header) and TLS tags
    PrevHop, NextHop, HopKeysHelp, TlsProtected,
    // network map
    TitleNetwork, RoleClient, RoleMailServer, RoleMta, RoleGateway, RoleDns, HostDown, LinkDown, QueueFmt,
    QueueEmpty, QueueMoreFmt, StatusQueued, StatusInFlight, StatusDeferred, StatusDelivered, StatusBounced, RetryInFmt,
    RetryDue, DnsAskedFmt, DnsAnswerFmt, DnsIdle, NoHosts, OpenConnectionsFmt, LatestHopFmt, NetworkLegend,
    // following a live server (--attach / --serve)
    LiveSessionsFmt, WindowLive, LiveFollowing, LiveWaiting, LiveExitedFmt, LiveSignalFmt, LiveBadLinesFmt,
    LiveNeedsDesktop,
    // the eavesdropper's view (inspector)
    EavesTitle, EavesTlsLine, EavesRecordsFmt, EavesNoRecords, EavesPlainLine, EavesPlainAuth, EavesRecordsRow,
    // sandbox mode (the console)
    TitleSandbox, Sandbox, SandboxFrom, SandboxTo, SandboxConnect, SandboxHangUp, SandboxInputHint, SandboxSave,
    SandboxSavedFmt, SandboxSaveFailedFmt, SandboxNotConnected, SandboxOpenFailed, SandboxNoServers, SandboxHelp,
    SandboxConnectedFmt, SandboxHungUp, SandboxClosed,
    // issue #14: the time axis's idle gaps, the transcript's columns, the message on the network map
    LaterFmt, ColumnTime, ColumnLine, MessageOnLinkFmt, SessionLineFmt,
    // the phase labels of the state diagram (ProtocolModel's phase names)
    PhaseSetUp, PhaseTransfer, PhaseRelease, PhaseGreeting, PhaseLogIn, PhaseReadMark, PhaseDeleteMarked, PhaseFolders,
    PhaseMessages,
    // what mailsim-gui prints on stdout and stderr (never drawn, so not in the font atlas): the manual, the line
    // around an error, the command line's errors (Options.cpp), the window system's and the screenshot's failures
    // (main.cpp, Platform.cpp, the page's web/main.cpp), the program's warnings (App.cpp, Live.cpp)
    Usage, ErrorLineFmt, NoDisplay, HeadlessInstead, NoDisplayOpenFmt, NoWindowFmt, NoGlFunctions, NoFramebufferFmt,
    NoFrameToRead, ReadPixelsFailedFmt, CannotWriteFmt, PngDesktopOnlyFmt, SettingsNotWrittenFmt, NoPredictionLeft,
    SandboxErrorFmt, NoPanelFmt, ServeStartedFmt, ServeStartedMaildirFmt, WebDataMissing, WebNoWebGl2,
    OptScreenshot, OptScreenshotDelay, OptFrames, OptStep, OptCursor, OptSize, OptFontSize, OptShow, OptLang,
    OptPredictAnswer, OptAttach, OptDashDash, OptSandbox, OptSandboxFrom, OptSandboxSend, OptUnknownFmt,
    OptTwoScenariosFmt, OptServeAndAttach, OptLiveScenarioFmt, OptLivePredict, OptSandboxOnly,
    Count
};
// The first id of what is printed rather than drawn.
inline constexpr S kFirstPrinted = S::Usage;

void setUiLanguage(Language language);
Language uiLanguage();
// The language of what mailsim-gui prints on stdout and stderr, chosen once by main.cpp as the mailsim command line
// chooses it (Options.hpp: commandLineLanguage); English until set. Independent of the UI language.
void setMessageLanguage(Language language);
Language messageLanguage();
i18n::Lang messageLang();  // the same as the shared language type (a scenario diagnostic's format(lang))
// The same as the shared language type (engine/i18n/Lang.hpp), for catalogue and scenario texts.
i18n::Lang uiLang();
const char* tr(S id);
const char* tr(S id, Language language);
// One row of the table, for the catalogue tests: the id and its text in both languages.
struct UiText {
    S id;
    const char* en;
    const char* zh;
};
std::span<const UiText> uiTexts();
// `id` in the message language, its printf conversions filled in with `args` (numbers and C strings).
template <class... Args>
std::string say(S id, Args... args) {
    const char* format = tr(id, messageLanguage());
    if constexpr (sizeof...(Args) == 0) {
        return format;
    } else {
        std::string out(static_cast<std::size_t>(std::snprintf(nullptr, 0, format, args...)), '\0');
        std::snprintf(out.data(), out.size() + 1, format, args...);
        return out;
    }
}
// Prints "mailsim-gui: MESSAGE" (ErrorLineFmt, in the message language) and a line end on stderr.
void printError(const std::string& message);
// Every character of the Chinese strings, for the font atlas.
const char* chineseUiText();
// Every character of the table in both languages (English has a few beyond Latin-1: arrows, ellipses).
const char* allUiText();
// Times for people in the UI language (i18n::formatDuration): "t = 1 h 46 min 30 s" for a time on the trace's clock,
// "… 2 h later …" / "…… 2 小时后 ……" for an idle gap of the time axis (U+22EF "⋯" is not in WenQuanYi Micro Hei).
std::string formatClock(double seconds);
std::string formatLater(double seconds);
// The same for panels that draw every frame, cached per value and language (an idle frame allocates nothing): a
// duration of whole seconds ("1 h 46 min 30 s"), the clock ("t = ...") and an idle gap's "… 2 h later …". References stay valid until the
// cache is cleared (it holds up to 4096 texts; panels use them at once).
const std::string& durationText(std::int64_t seconds);
const std::string& clockText(double seconds);
const std::string& laterText(double seconds);
// The label of a protocol phase as ProtocolModel names it ("mail transfer") in the UI language ("邮件传送"); a name
// it does not know is returned as it is.
const char* phaseLabel(const std::string& phase);

}  // namespace mailsim::gui
