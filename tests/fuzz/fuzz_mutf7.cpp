// libFuzzer target: modified UTF-7 mailbox names (RFC 3501 5.1.3) and the mailbox-name rules around them.
//
// Input: the first byte splits the rest into a LIST pattern and a name. Checked, beyond the sanitizers:
// - decodeMailboxName accepts only the canonical encoding: whatever it decodes encodes back to the same bytes;
// - encoding any (sanitised) UTF-8 and decoding gives the text back, and the encoding is 7-bit printable ASCII;
// - mailboxNameProblem and normaliseMailboxName never fail; a name without a problem decodes;
// - listMatch terminates (it is bounded) and "*" matches everything;
// - mailboxNameFromUtf8 (RFC 6855) accepts only well-formed UTF-8 without control characters, and what it returns
//   decodes back to its input;
// - util::domainForms (IDNA through libidn2) never fails; an answer converts back to the same A-label.
#include "imap/ImapSyntax.hpp"
#include "message/Codecs.hpp"
#include "util/Idna.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    std::string_view all(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t cut = all.empty() ? 0 : data[0] % (all.size() + 1);
    const std::string_view pattern = all.substr(0, cut), name = all.substr(cut);

    if (auto decoded = imap::decodeMailboxName(all)) {
        check(imap::encodeMailboxName(*decoded) == all);
    }
    const std::string text = message::sanitizeUtf8(all);
    const std::string encoded = imap::encodeMailboxName(text);
    for (unsigned char c : encoded) check(c >= 0x20 && c < 0x7f);
    auto back = imap::decodeMailboxName(encoded);
    check(back && *back == text);

    const auto problem = imap::mailboxNameProblem(name);
    if (!problem) check(imap::decodeMailboxName(name).has_value());
    else check(imap::replyInfo(problem->id).respCode == "CANNOT");  // a Name* entry of the catalogue
    (void)imap::normaliseMailboxName(name);
    (void)imap::listMatch(pattern, name);
    check(imap::listMatch("*", name));

    if (auto wire = imap::mailboxNameFromUtf8(name)) {
        check(message::sanitizeUtf8(name) == name);
        auto utf8 = imap::decodeMailboxName(*wire);
        check(utf8 && *utf8 == name);
    } else {
        check(imap::replyInfo(wire.error().id).respCode == "CANNOT");
    }
    if (auto forms = util::domainForms(name)) {
        auto again = util::domainForms(forms->alabel);
        check(again && again->alabel == forms->alabel);
    }
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {"&", "&-", "&AGQ-", "&ZeVnLIqe-", "INBOX", "/", "%", "*", "..",
                                               "~", "&U,BTFw-", "&Jjo-", "-", "Work/Projects", "\xe6\x97\xa5",
                                               "xn--", "xn--fiqs8s", ".", "\xe4\xbe\x8b\xe5\xad\x90"};
    *tokens = kTokens;
    return std::size(kTokens);
}
