// A problem found in a scenario or network file, at a position: what the loader (Scenario.cpp), `mailsim check` and
// the GUI's editor show as `file:line:col: message`. Line and column are 1-based; 0 means the whole file.
//
// Contract
// - A diagnostic is typed data: a `DiagnosticId` and its arguments. The words are rendered by one catalogue
//   (DiagnosticText.cpp) in English and Chinese; `message(lang)` and `format(lang)` are the only renderers.
// - Arguments are read by position ({0}, {1}, ... in the catalogue's texts). A `std::string` argument is shown as
//   given (a name, a value from the file, a path); a number as digits; a `What` (the thing a sentence is about: "a
//   host", a key name, "the scenario file"), a `Suggestion` (" (did you mean 'x'?)"), an `smtp::MailboxReason`
//   (why an address is not a mailbox, smtp::mailboxError) and a `YamlMessage` (what yaml-cpp could not read) in the
//   chosen language.
// - Every DiagnosticId and every Noun has an English and a Chinese text (tests/test_i18n.cpp).
#pragma once

#include "i18n/Lang.hpp"
#include "sim/scenario/YamlMessage.hpp"
#include "smtp/MailboxReason.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mailsim::sim {

// The things a diagnostic talks about. `Key` is a YAML key, shown as written in both languages; `DnsEntry` and
// `MuaAction` carry a name.
enum class Noun : std::uint8_t {
    Key, DnsEntry, MuaAction,
    ScenarioFile, NetworkFile, IncludedNetworkFile, IncludedFileName,
    Host, HostName, AHostName, User, UserName, MailingList, ListName, Rule, MxRecord, MxHost,
    NoteStep, WaitStep, CheckpointStep, CheckpointLabel, CheckStep, SessionStep, FaultStep, MuaStep,
    ScriptLine, Server, Attachment, Message, Link, RetryDelay,
    // what a YAML node turned out to be ("found a list")
    Mapping, List, SingleValue, Nothing, Undefined,
};
inline constexpr std::size_t kNounCount = static_cast<std::size_t>(Noun::Undefined) + 1;

// A noun with its name, if it has one. Implicit from a key name, so the loader writes `string(n, "lesson")`. `in`:
// the language of a text given as {en: ..., zh: ...} ("title (en)").
struct What {
    Noun noun = Noun::Key;
    std::string name;
    std::optional<i18n::Lang> in;

    What() = default;
    What(const char* key) : name(key) {}                                   // NOLINT: a key, as written
    What(Noun n, std::string nm = {}) : noun(n), name(std::move(nm)) {}
    static What key(std::string_view k) { return What(Noun::Key, std::string(k)); }
};

// A close match for a misspelt name; empty when there is none (renders as nothing).
struct Suggestion {
    std::string name;
};

using DiagArg = std::variant<std::string, long long, What, Suggestion, smtp::MailboxReason, YamlMessage>;

enum class DiagnosticId : std::uint16_t {
    // the loader's value helpers (ScenarioLoader.hpp)
    NotAMapping, UnknownKey, TextNeitherLang, NotTextOrLocal, NotText, HeaderLineBreak, NumberOutOfRange, NotANumber,
    NotBoolean, NotNameList,
    // the document and hosts (Scenario.cpp)
    NoTitle, StartNotUtc, HostsNotList, NoHosts, StepsNotList, NoSteps, HostNoName,
    HostTwice, HostTwiceAt, HostTwiceIncluded, DnsTwice, DnsTwiceAt, DnsTwiceIncluded,
    NotADomain, ForwardNotUser, UsersNoService, ServiceBadPort, UnknownService, UsersNotList, UserAddressBad,
    UserNoDomain, UserBad, UserNoName, AddressBad, RecipientAddressBad, ListsNotList, ListNeedsName, RelayNetworkBad,
    RulesNotList, RuleNeedsAt, RuleNeedsReply, RuleReplyClass, EnhancedBad, RuleTextOneLine, DnsNotMap, MxNotList,
    // steps
    StepNotMap, StepNeedsOne, StepTwoKinds, WaitBad, CheckpointNameBad, CheckpointTwice, CheckNeedsMailbox,
    CheckNeedsWhat, SessionNeedsEnds, ProtocolBad, SessionNeedsScript, InjectNeedsSend, ScriptLineEmpty, SendOneLine,
    ToPortBad, ImapExpectBad, Pop3ExpectBad, SmtpExpectBad, DurationBad, RetryNotList, GatewayNeedsMailbox,
    GatewayNeedsSmtp, StoreFaultUnknown, StoreFaultNoMailboxes, FaultHostOrLink, CrashNotLink, DownForBad,
    FaultNeedsDuration,
    // references
    NoSuchUser, NotHostNorMx, NoSuchHost, NoService, NothingListens,
    // the file as a whole (ScenarioNetwork.cpp, the runner, the sandbox)
    UnexpectedStructure, CannotReadFile, CannotReadFileExists, TooLarge, TooDeep, NotYaml, TooManyValues,
    DuplicateKey, InternalError, CouldNotRun, ServeDidNotStart,
    // network keys and includes
    LossBad, LatencyBad, LinksNotList, LinkNeedsBetween, LinkSelf, LinkLatencyBad, LinkLossBad, LinkNeedsSetting,
    IncludeNotList, IncludeAbsolute, IncludeOutside, IncludeSymlink, IncludeCycle, IncludeUnreadable,
    // user-agent steps (ScenarioMua.cpp)
    MessageNeedsRecipients, AttachmentsNotList, ExpectNotMap, OutcomeBad, NotRecipient, AttachmentNeedsName,
    AttachmentNameBad, AttachmentTextOrBase64, Base64Bad, ContentTypeBad, MuaActionBad, MuaSendNeeds, SmtpAuthBad,
    PasswordNeedsUser, MessagesAndDirect, MessagesNotList, MuaLoginNeeds, NumbersNotList, FlagUidsOrText,
    FlagAddOrRemove, FlagsNotList, NotSystemFlag, FolderActionNeedsFolder, RenameNeedsTarget, SearchNeedsText,
    SearchFieldBad, MoveNeedsTarget, ClientTlsBad, Pop3ModeBad, Pop3AuthBad, ExpectNeedsFetched,
};
inline constexpr std::size_t kDiagnosticCount = static_cast<std::size_t>(DiagnosticId::ExpectNeedsFetched) + 1;

struct Diagnostic {
    std::string file;
    int line = 0;
    int column = 0;
    DiagnosticId id{};
    std::vector<DiagArg> args;

    // The sentence alone, in `lang`.
    std::string message(i18n::Lang lang) const;
    // `file:line:col: message` (`file: message` for the whole file), in `lang`.
    std::string format(i18n::Lang lang) const;
};

// The catalogue's rows, in enum order (tests check both languages of every row).
struct DiagnosticRow {
    DiagnosticId id;
    i18n::LocalView text;
};
struct NounRow {
    Noun id;
    i18n::LocalView text;  // {0} = the name, for the nouns that carry one
};
std::span<const DiagnosticRow> diagnosticTexts();
std::span<const NounRow> nounTexts();  // every noun but Key

// A noun in `lang` ("a host" / "主机"); a key as written.
std::string nounText(const What& what, i18n::Lang lang);

}  // namespace mailsim::sim
