// The SMTP reply catalogue: every reply the server can send, in one place.
//
// Each entry has the 3-digit code (RFC 5321 4.2), the enhanced status code (RFC 3463, sent only when the client
// used EHLO, as RFC 2034 requires), the default text with `{name}` placeholders, the RFC section that defines the
// reply, and a one-line explanation for students. The server builds replies only from here; the GUI and the docs
// read the same table, and `explainCode` explains any code, including ones received from other servers.
#pragma once

#include "i18n/Lang.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::smtp {

enum class ReplyId : std::uint8_t {
    Greeting, ServiceUnavailable, Timeout, TooManyErrors, TooManyConnections, LoginTimeout, Closing,
    HeloOk, EhloOk, SenderOk, RecipientOk, StartData, MessageAccepted, Ok, ResetOk,
    VrfyOk, CannotVrfy, ExpnOk, HelpList, HelpTopic, SystemStatus,
    UserNotLocalWillForward, UserNotLocalTryElsewhere,
    MailboxBusy, LocalError, InsufficientStorage, TooManyRecipients,
    Unrecognized, LineTooLong, DataLineTooLong, SyntaxError, NotImplemented, RemovedCommand, ParamNotImplemented,
    HelpUnknownTopic, BadSequence, UnknownUser, NotAList, BadAddress, MessageTooBig, RelayDenied, NoValidRecipients,
    BareLineEnding, BareLfCommand, ParamUnrecognized,
    // relay and SMTP AUTH (RFC 4954)
    AuthChallenge, AuthOk, AuthFailed, AuthCancelled, AuthNotOffered, AlreadyAuthenticated, AuthMechanismUnknown,
    AuthBadResponse, AuthRequired, LoopDetected,
    // STARTTLS (RFC 3207) and AUTH that needs encryption (RFC 4954 6)
    StartTlsReady, TlsUnavailable, TlsAlreadyActive, EncryptionRequired, MustStartTls,
    // internationalised mail (RFC 6531)
    NonAsciiSender, NonAsciiRecipient,
    // the specific forms of BadSequence, SyntaxError, ParamNotImplemented, LocalError and AuthBadResponse
    NeedGreeting, NeedHelo, NestedMail, NeedMail, NeedMailBeforeData, NeedRcpt, NotInState, OnlyQuit, StartTlsNeedsEhlo,
    SmtpUtf8NoValue, SizeSyntax, BodySyntax, BinaryMimeUnsupported, NoStore, StoreFailed, RelayQueueFailed,
    AuthNotBase64, AuthPlainMalformed, AuthCramMalformed,
};

struct ReplyInfo {
    ReplyId id;
    int code;
    std::string_view enhanced;  // "" when none applies
    std::string_view text;      // template with {placeholders}
    std::string_view rfc;
    i18n::LocalView explain;
};

std::span<const ReplyInfo> smtpReplies();
const ReplyInfo& replyInfo(ReplyId id);
// The entry's explanation in English and Chinese (Chinese falls back to English where it is still missing).
i18n::LocalText replyExplanation(ReplyId id);

// The explanation of a bare reply code (RFC 5321 4.2.2/4.2.3), for codes the server itself never sends too.
struct CodeInfo {
    int code;
    i18n::LocalView meaning;  // RFC 5321 4.2.3 wording
    bool rfc821;               // one of the 21 codes of RFC 821
};
std::span<const CodeInfo> smtpCodes();
const CodeInfo* explainCode(int code);

using ReplyArgs = std::vector<std::pair<std::string_view, std::string>>;

// Replaces each `{name}` in the entry's text with the matching argument (missing names stay as written).
std::string replyText(ReplyId id, const ReplyArgs& args = {});

// Formats the reply as it goes on the wire: one line, or a multi-line reply when `extraLines` is not empty
// ("250-first", ..., "250 last"). `enhanced` prefixes every line with the enhanced status code when there is one.
std::string formatReply(ReplyId id, const ReplyArgs& args, bool enhanced,
                        std::span<const std::string> extraLines = {});

}  // namespace mailsim::smtp
