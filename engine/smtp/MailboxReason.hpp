// Why a string is not a mailbox (RFC 5321 4.1.2 Local-part "@" Domain, the 4.5.3.1 length limits, RFC 6531 3.3's
// UTF-8 extension): typed, so each place that shows it picks its words.
//
// Contract
// - `smtp::mailboxError` (SmtpSyntax.hpp) returns a `MailboxReason`: one `MailboxProblem` per distinct reason, with
//   its arguments (the offending character; which part of the address).
// - `mailboxReasonWords` gives the English words the server sends on the wire (553 "Mailbox name not allowed: ...");
//   they never change with the language. `mailboxReasonText(r, lang)` gives the same sentence for a person (the
//   scenario diagnostics of `mailsim check`, the GUI, the web page) in English (identical to the wire words) or
//   Chinese. One catalogue row per problem holds both (MailboxReason.cpp; terms as in lessons/glossary.md).
#pragma once

#include "i18n/Lang.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace mailsim::smtp {

enum class MailboxProblem : std::uint8_t {
    MoreThanOneAt, NoAtDomain,
    // the local part (RFC 5321 4.1.2 Local-part, 4.5.3.1.1)
    LocalPartEmpty, LocalPartTooLong, QuotedUnterminated, QuotedPairBad, QuotedCharBad, EmptyAtom, LocalPartCharBad,
    LocalPartEndsWithDot,
    // either part: `part` says which (RFC 6531 3.3, RFC 3629)
    NonAsciiNotOffered, NotUtf8,
    // the domain (RFC 5321 4.1.2 Domain, 4.1.3 address literals, 4.5.3.1.2)
    DomainEmpty, DomainTooLong, LiteralUnterminated, LiteralCharBad, LabelEmpty, LabelEdge, DomainCharBad,
};
inline constexpr std::size_t kMailboxProblemCount = static_cast<std::size_t>(MailboxProblem::DomainCharBad) + 1;

enum class MailboxPart : std::uint8_t { LocalPart, Domain };

struct MailboxReason {
    MailboxProblem problem{};
    MailboxPart part = MailboxPart::LocalPart;  // NonAsciiNotOffered, NotUtf8
    char character = 0;                          // LocalPartCharBad, DomainCharBad: the octet as found

    friend bool operator==(const MailboxReason&, const MailboxReason&) = default;
};

// The English words, exactly as sent on the wire.
std::string mailboxReasonWords(const MailboxReason& reason);
// The words for a person in `lang` (English: the wire words).
std::string mailboxReasonText(const MailboxReason& reason, i18n::Lang lang);

// The catalogue's rows, in enum order (tests check both languages of every row). {0}: the character, or the part's
// name ("local part" / "邮箱名", "domain" / "域名").
struct MailboxProblemRow {
    MailboxProblem id;
    i18n::LocalView text;
};
std::span<const MailboxProblemRow> mailboxProblemTexts();

}  // namespace mailsim::smtp
