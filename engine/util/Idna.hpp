// Internationalised domain names (IDNA2008, RFC 5890-5893, with UTS #46 mapping of the input): a domain's A-label
// form ("xn--fsqu00a.xn--fiqs8s", what DNS and an ASCII-only SMTP hop see) and U-label form ("例子.中国", what people
// read), so the trace and the explanations can show both side by side (RFC 6531 3.2, RFC 6532).
//
// Contract
// - Pure functions over GNU libidn2 (Debian's libidn2): no I/O, no global state besides the library's tables.
// - `domainForms` accepts either form (or a mix of labels) and returns both, the U-label form in NFC; nullopt with a
//   reason (libidn2's own message) when the name is not a valid IDNA2008 domain. An all-ASCII name without "xn--"
//   labels is returned unchanged in both fields (`international` false).
// - `asciiDomain` is the A-label form, or the input unchanged when it cannot be converted (for look-ups and labels
//   where an invalid name should stay visible as it was written).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mailsim::util {

struct DomainForms {
    std::string alabel;          // "xn--fsqu00a.xn--fiqs8s"
    std::string ulabel;          // "例子.中国"
    bool international = false;  // some label is not plain ASCII (a U-label, or an "xn--" A-label)
};

// Both forms of `domain`; nullopt (and `why` set when given) when it is not a valid IDNA2008 name.
std::optional<DomainForms> domainForms(std::string_view domain, std::string* why = nullptr);
std::string asciiDomain(std::string_view domain);
// "例子.中国 (xn--fsqu00a.xn--fiqs8s)" for an international domain, written the way it was given first and the
// other form in parentheses; the name unchanged for a plain ASCII one or an invalid one.
std::string domainBothForms(std::string_view domain);
// The domain part of "local@domain" (after the last '@'; angle brackets and a trailing '>' ignored), "" when none.
std::string_view domainOfAddress(std::string_view address);

}  // namespace mailsim::util
