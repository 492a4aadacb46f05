// Helpers shared by the files of the IMAP server session (not part of the engine's interface).
#pragma once

#include "imap/ImapSyntax.hpp"
#include "store/MailStore.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::imap::detail {

// A flag list of STORE or APPEND (RFC 3501 9 flag-list): the system flags, and keywords (flag-keyword: an atom without
// a backslash and without the list wildcards, RFC 3501 2.3.2), kept as typed (the store compares them ignoring
// case). \Recent may not be set by a client (RFC 3501 2.3.2); any other backslashed name is an error (nullopt).
struct ParsedFlags {
    store::Flags flags = 0;
    std::vector<std::string> keywords;
};
std::optional<ParsedFlags> parseFlags(const Token& t);

// The message with this UID in a store list (UID order, as MailStore::list and snapshot give it), or null.
inline const store::MessageInfo* findUid(const std::vector<store::MessageInfo>& list, std::uint32_t uid) {
    auto it = std::ranges::lower_bound(list, uid, {}, &store::MessageInfo::uid);
    return it != list.end() && it->uid == uid ? &*it : nullptr;
}

// A mailbox name as an IMAP string: quoted (names are 7-bit modified UTF-7).
std::string quoteName(const std::string& wire);

// RFC 6154 attribute for well-known folder names ("" for others).
std::string specialUse(const std::string& wire);

// A sequence set (RFC 3501 9) with "*" resolved to `largest`, as sorted, merged intervals: membership is a binary
// search, so a set of kMaxSequenceRanges ranges costs O(log n) per message, not O(n).
class SpanSet {
public:
    SpanSet(const std::vector<SeqRange>& set, std::uint32_t largest);
    bool contains(std::uint32_t n) const;

private:
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_spans;
};

// RFC 5256 2.1: the base subject of a decoded Subject, case-mapped (i;ascii-casemap) for comparison;
// `replyOrForward` tells whether a "Re:", "Fwd:", "(fwd)" or "[fwd: ...]" was removed (ImapSort.cpp).
std::string baseSubject(std::string_view decoded, bool& replyOrForward);

}  // namespace mailsim::imap::detail
