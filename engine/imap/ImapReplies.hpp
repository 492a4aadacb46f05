// The IMAP reply catalogue: every status response the server can send, in one place.
//
// An IMAP status response (RFC 3501 7.1) is tagged (completes the client's command with that tag) or untagged ("*"),
// with a condition OK, NO (the command failed), BAD (the command was not understood / not allowed now), PREAUTH or
// BYE (the server closes), an optional response code in brackets (7.1: [ALERT], [TRYCREATE], [UIDVALIDITY n] ...;
// RFC 4315 [APPENDUID] [COPYUID]; RFC 5530 [AUTHENTICATIONFAILED] [CANNOT] [NONEXISTENT] [ALREADYEXISTS]
// [TOOBIG] ...) and a human-readable text. Each entry gives the condition, the code (with `{name}` placeholders,
// e.g. "UIDVALIDITY {n}"), the text, the RFC section and a one-line explanation for students. The server builds
// status responses only from here; the GUI and the docs read the same table.
#pragma once

#include "i18n/Lang.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::imap {

enum class ReplyId : std::uint8_t {
    Greeting, CapabilityDone, NoopDone, LogoutBye, LogoutDone, IdDone, LoginDone, AuthFailed, AuthCancelled,
    AuthMechanism, AuthContinue, NoTls, SelectDone, ExamineDone, SelectFailed, UidValidity, UidNext, Unseen,
    PermanentFlags, PermanentFlagsNone, CreateDone, AlreadyExists, DeleteDone, DeleteInbox, RenameDone, SubscribeDone,
    UnsubscribeDone, ListDone, LsubDone, StatusDone, AppendDone, AppendContinue, LiteralContinue, TryCreate,
    NoSuchMailbox, BadName, NamespaceDone, EnableDone, CheckDone, CloseDone, UnselectDone, ExpungeDone, SearchDone,
    BadCharset, FetchDone, StoreDone, ReadOnly, CopyDone, MoveDone, MoveCopyUid, UidNoMatch, IdleContinue, IdleDone,
    Unknown, NotAllowed, SyntaxError, LineTooLong, LiteralTooBig, AppendTooBig, TooManyErrors, Autologout,
    ShuttingDown, TooManyConnections, LoginTimeout, CommandTimeout, StoreError, NoSuchMessage,
    // STARTTLS (RFC 3501 6.2.1) and logins that need TLS (RFC 5530 [PRIVACYREQUIRED])
    StartTlsReady, TlsAlreadyActive, PrivacyRequired,
    // messages expunged by another session and not yet reported to this one (RFC 2180 4.1, RFC 5530 3)
    ExpungeIssued, SearchExpungeIssued,
    // SORT and THREAD (RFC 5256), ESEARCH (RFC 4731), MULTIAPPEND (RFC 3502)
    SortDone, ThreadDone, BadThreadAlgorithm, MultiAppendDone,
    // BINARY (RFC 3516)
    UnknownCte,
    // The store refused a change (issue #16): a read-only Maildir
    StoreReadOnly,
    // Keywords (RFC 3501 2.3.2): the folder has no room for another one (a Maildir: 26)
    KeywordLimit,
    // CONDSTORE and QRESYNC (RFC 7162)
    HighestModSeq, NoModSeq, StoreModified, Closed, QresyncNotEnabled,
    // UTF8=ACCEPT (RFC 6855): the UTF8 APPEND data item without ENABLE; SEARCH CHARSET after it
    Utf8NotEnabled, SearchCharsetUtf8,
    // The store failed a change (NO [SERVERBUG], RFC 5530 3): the text says which; StoreError's wording, one per case
    NoStore, CreateFailed, DeleteFailed, RenameFailed, AppendFailed, ExpungeFailed, FlagsNotSaved, CopyFailed,
    MoveIncomplete,
    // BAD syntax answers with a fixed text (SyntaxError's wording): a line that is no command, IDLE ended by another
    // line than DONE, an unknown SEARCH RETURN option
    NotACommand, IdleNotDone, SearchReturnSyntax,
    // The tokenizer's BAD answers (ImapSyntax.cpp, RFC 3501 9): "syntax: {syntax} (what is wrong)", SyntaxError's
    // wording with the command's syntax and one fixed detail each
    TokenControlChar, TokenSectionOpen, TokenUnexpected, TokenQuotedBreak, TokenBadEscape, TokenUnterminated,
    TokenLiteralOpen, TokenLiteralSize, TokenLiteralNotLast, TokenLiteralShort, TokenMissingArgument, TokenTooDeep,
    TokenMissingClose, TokenUnbalanced, TokenNoSpace, TokenSpaceBeforeClose,
    // Mailbox names refused (NO [CANNOT], RFC 3501 5.1, RFC 5530 3): BadName's wording, one per reason
    NameEmpty, NameTooLong, NameNul, NameControl, Name8Bit, NameLeadingSlash, NameTrailingSlash, NameEmptyLevel,
    NameDotDot, NameTilde, NameDot, NameWildcard, NameNotMutf7, NameNotUtf8,
    // LIST/LSUB arguments (RFC 3501 6.3.8, RFC 5258 3, RFC 5819): "syntax: {syntax} (what is wrong)"
    ListSelection, ListRecursive, ListArguments, ListPatternStrings, ListNoPattern, ListPattern, ListReturnPlace,
    ListReturnOption,
    // Search keys (RFC 3501 6.4.4, RFC 7162 3.1.5; SEARCH, SORT, THREAD): "syntax: {verb}: what is wrong"
    SearchTooDeep, SearchMissingKey, SearchEmptyList, SearchKeyNotAtom, SearchNeedsString, SearchHeaderArgs,
    SearchNeedsFlag, SearchNeedsNumber, SearchNeedsDate, SearchModSeqEntry, SearchNeedsSet, SearchUnknownKey,
    // SELECT/EXAMINE parameters (RFC 7162 3.1.8, 3.2.5): "syntax: {verb} mailbox [...] (what is wrong)"
    SelectParam, SelectQresyncList, SelectQresyncNumbers, SelectKnownUids, SelectSeqMatch,
};
// The last id: every id up to it has its own catalogue entry (tests check it).
inline constexpr ReplyId kLastReplyId = ReplyId::SelectSeqMatch;

enum class Condition : std::uint8_t { Ok, No, Bad, Bye, Continue };

struct ReplyInfo {
    ReplyId id;
    Condition condition;
    bool tagged;                // completes a command (tag) or untagged ("*")
    std::string_view respCode;  // template, without brackets; "" when none
    std::string_view text;      // template with {placeholders}
    std::string_view rfc;
    i18n::LocalView explain;
};

std::span<const ReplyInfo> imapReplies();
const ReplyInfo& replyInfo(ReplyId id);
// The entry's explanation in English and Chinese (zh empty where not yet translated: `in(lang)` shows English).
i18n::LocalText replyExplanation(ReplyId id);
std::string_view toString(Condition condition);

using ReplyArgs = std::vector<std::pair<std::string_view, std::string>>;

// The response line without CRLF: "{tag} OK [code] text", "* BYE text", "+ text". `tag` is used for tagged replies.
std::string statusLine(ReplyId id, std::string_view tag, const ReplyArgs& args = {});

// What a parser found wrong with a command (the tokenizer, mailbox names, LIST, SEARCH and SELECT arguments): the
// catalogue entry that answers it and the values of that entry's placeholders. The values are data - a character, a
// number, a search key as the client wrote it - never English; the session adds the command's own ({syntax},
// {verb}) and sends the entry, so the trace's line is the entry's text and its explanation exists in en and zh.
struct Refusal {
    ReplyId id = ReplyId::SyntaxError;
    ReplyArgs args;
};

// What a server line's leading word means (RFC 3501 7): the status conditions (OK, NO, BAD, BYE, PREAUTH), the
// message data that starts with a number (EXISTS, EXPUNGE, FETCH, RECENT) and the continuation request ("+"). The
// inspector and predict mode read these; the text names its RFC section.
struct ResponseMeaning {
    std::string_view word;    // as it appears on the line, upper case
    i18n::LocalView meaning;  // one line for students, in English and Chinese
};
std::span<const ResponseMeaning> responseMeanings();
// The meaning of `word` ("OK", "EXISTS", "+"), case-sensitive as servers send it; nullptr when none.
const ResponseMeaning* findResponseMeaning(std::string_view word);

}  // namespace mailsim::imap
