// The POP3 reply catalogue: every status line the server can send, in one place.
//
// POP3 has only two status indicators (RFC 1939 3): "+OK" and "-ERR". Each entry has that indicator, an optional
// extended response code in brackets (RFC 2449 8: [IN-USE], [LOGIN-DELAY], [SYS/TEMP], [SYS/PERM]; RFC 3206:
// [AUTH]), the text with `{name}` placeholders, the RFC section that defines the reply, and a one-line explanation
// for students. The server builds status lines only from here; the GUI and the docs read the same table.
#pragma once

#include "i18n/Lang.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::pop3 {

enum class ReplyId : std::uint8_t {
    Greeting, Capabilities, UserOk, LoggedIn, AuthContinue, AuthFailed, AuthCancelled, AuthMechanism, InUse,
    NeedUser, Stat, ListAll, ListOne, Retr, Top, Dele, AlreadyDeleted, NoSuchMessage, Noop, Rset, UidlAll, UidlOne,
    SignOff, SignOffUpdate, UpdateFailed, Unknown, BadSequence, SyntaxError, LineTooLong, TooManyErrors,
    ShuttingDown, TooManyConnections, LoginTimeout, CommandTimeout, StoreError,
    // STLS (RFC 2595 4) and logins that need TLS (RFC 3206 4 [AUTH])
    StlsReady, TlsAlreadyActive, PlaintextDisallowed,
    // the specific forms of SyntaxError, StoreError and UpdateFailed
    ApopSyntax, SaslPlainMalformed, NoStore, MessageUnreadable, UpdateStoreError,
    // UTF8 (RFC 6856 3)
    Utf8Enabled,
};

struct ReplyInfo {
    ReplyId id;
    bool ok;                    // +OK or -ERR
    std::string_view respCode;  // RFC 2449 8 response code without brackets; "" when none
    std::string_view text;      // template with {placeholders}
    std::string_view rfc;
    i18n::LocalView explain;
};

std::span<const ReplyInfo> pop3Replies();
const ReplyInfo& replyInfo(ReplyId id);

using ReplyArgs = std::vector<std::pair<std::string_view, std::string>>;

// The status line without CRLF, e.g. "-ERR [IN-USE] maildrop already locked by another session".
std::string statusLine(ReplyId id, const ReplyArgs& args = {});

}  // namespace mailsim::pop3
