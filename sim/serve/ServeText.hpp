// The words `mailsim serve` prints to the operator (usage, errors, warnings, shutdown) in English and Chinese: one
// catalogue, looked up in the language of serve's `--lang` (default: sim::langFromEnvironment()). The serve layer's
// counterpart of the CLI's catalogue (sim/cli/CliText.hpp), kept here because sim/serve prints them and sits below
// sim/cli. Texts are fmt format strings (sim/tools/Lang.hpp's formatText); the usage texts are printed as they are.
//
// Not in the catalogue, on purpose: protocol text (the C:/S: lines of the per-connection log, DSN texts on the wire),
// the JSON of --trace-out and of --ready-file (sim/tools/ServeReady.hpp: the machine channel that scripts, the interop
// tests and mailsim-gui read to find the ports; the `listening` lines are for people and translated).
#pragma once

#include "sim/tools/Lang.hpp"

#include "sim/tls/Tls.hpp"

#include "maildir/StoreWarning.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mailsim::sim {

enum class ServeText : std::uint8_t {
    // --help's OPTIONS section: the single host's options, the limits (shared with --config), the rest, --config's
    UsageListeners, UsageLimits, UsageStore, UsageConfig,
    // the values options take (for "--maildir needs a directory")
    ValueScenarioFile, ValueDirectory, ValueAddress, ValueTraceFile, ValueNumber, ValueSeconds, ValueName, ValueUser,
    ValueListen, ValueFile,
    // usage errors
    NeedsValue, NeedsValueGotEmpty, NumberRange, SecondsRange, UnknownArgument, NotWithConfig,
    MaildirRequired, ListenBracket, ListenAddrPort, ListenIpv6, ListenPort, GivenTwice, UserBad, NeedListener, NeedsTls,
    // starting
    Failed, CannotRead, MaildirRoot, MaildirRootOfHost, NotADirectory, TooManyHosts, NoServedHost, TlsFailed,
    TlsFailedFor, TlsCertificate, TlsSkipped, PortBeyond, TraceOut, CannotWrite, CannotUseStdout, ReadOnly, ReadOnlyMore,
    ResolveFailed, ListenFailed, NoAddress, QueueDir, JournalNotUsed, ReadyFile, Listening,
    // running and stopping
    Warning, AcceptPaused, PollFailed, StopReceived, NotQueueFile, BounceNotQueued,
    // the Maildir store's warnings (maildir/StoreWarning.hpp), one per StoreWarningKind, in its order
    StoreUidListDamaged, StoreUidListUnreadable, StoreIndexMissing, StoreIndexDamaged, StoreKeywordsIgnored,
    StoreUidsInMemoryOnly, StoreTmpRemoved, StoreJournalReplayed, StoreJournalNotSettled, StoreFileError,
    // the classroom CA's errors (sim/tls/Tls.hpp), one per CaProblem, in its order; then the "kept" advice
    CaIsDirectory, CaUnreadable, CaTooLarge, CaMissing, CaNotCertificate, CaNotPrivateKey, CaKeyMismatch,
    CaCannotCreate, CaCannotWrite, CaOpenSsl, CaUnusable, CaKept,
    // building an OpenSSL context (sim/tls/Tls.hpp), one per TlsStep, in its order; then "FILE: what failed"
    TlsCreateContext, TlsSetVersions, TlsSetCiphers, TlsLoadCertificate, TlsLoadChain, TlsLoadKey, TlsCheckKey,
    TlsTrustCa, TlsInFile,
    // OpenSSL's or the system's reason (sim/tls/Tls.hpp), one per TlsReasonKind, in its order; then common errnos
    ReasonNone, ReasonSystem, ReasonNotPem, ReasonKeyMismatch, ReasonBadPassword, ReasonOther, ReasonNoSuchFile,
    ReasonDenied, ReasonIsDirectory,
    StaysQueued,
};

using ServeTextInfo = TextRow<ServeText>;

std::span<const ServeTextInfo> serveTexts();
std::string_view serveText(ServeText id, i18n::Lang lang);

template <class... Args>
std::string serveSay(i18n::Lang lang, ServeText id, Args&&... args) {
    return formatText(serveText(id, lang), std::forward<Args>(args)...);
}

// A warning of the Maildir store in `lang` (without serve's "warning:" frame): its facts in our words, the store's
// `detail` (a parser's diagnostic) as the store gave it, a file error (`error`) worded in `lang`.
std::string storeWarningText(const store::StoreWarning& warning, i18n::Lang lang);

// A classroom CA error in `lang` (for `mailsim serve` and `mailsim ca`): the problem in our words, the file named, the
// system's or OpenSSL's reason as they gave it; for a CA kept as it is, how to start a new one.
std::string caErrorText(const CaError& error, i18n::Lang lang);

// OpenSSL's or the system's reason in `lang`: the common ones (a file missing or not readable, not PEM, a key that
// does not match, a bad password) in our words, the system's other reasons and OpenSSL's others in their own words
// inside our frame. Shared by caErrorText and tlsContextErrorText.
std::string tlsReasonText(const TlsReason& reason, i18n::Lang lang);

// Why an OpenSSL context could not be built, in `lang`: the file, the step and the reason (`mailsim serve`).
std::string tlsContextErrorText(const TlsContextError& error, i18n::Lang lang);

// Writes `line` and a newline to stderr; never throws (unlike fmt::print, for a stderr that is a closed pipe).
void printError(std::string_view line);

}  // namespace mailsim::sim
