// IMAP SEARCH (RFC 3501 6.4.4): every search key of RFC 3501, nested OR/NOT/lists, sequence and UID sets, and
// CHARSET UTF-8, and ESEARCH's RETURN options (RFC 4731). Strings match as substrings, ASCII letters
// case-insensitively, against decoded text: header values with their encoded words decoded (RFC 2047), bodies
// transfer-decoded and converted to UTF-8 from their charset, so a Chinese subject written as =?UTF-8?B?...?= or
// =?GB2312?...?= is found by the UTF-8 string the client sends.
#include "imap/ImapServerInternal.hpp"
#include "imap/ImapServerSession.hpp"

#include "message/Address.hpp"
#include "message/HeaderText.hpp"
#include "message/MimeMessage.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>

namespace mailsim::imap {

using trace::Micros;

namespace {

constexpr int kMaxSearchDepth = 32;

struct Key {
    enum class Op { All, FlagSet, FlagClear, Recent, New, Old, Header, Address, Body, Text, Larger, Smaller, Before,
                    On, Since, SentBefore, SentOn, SentSince, Uid, Seq, Not, Or, And, Never, ModSeq, Keyword, Unkeyword };
    Op op = Op::All;
    store::Flags flag = 0;
    std::string field, value;
    std::int64_t number = 0;
    std::vector<SeqRange> set;
    std::optional<detail::SpanSet> spans;  // `set` with "*" resolved, made by resolveSets before matching
    std::vector<Key> kids;
};

// Resolves "*" in the sequence and UID sets of a key tree (the largest sequence number and UID of this search) into
// SpanSets, so that each membership test is a binary search.
void resolveSets(Key& k, std::uint32_t largestSeq, std::uint32_t largestUid) {
    if (k.op == Key::Op::Seq) k.spans.emplace(k.set, largestSeq);
    if (k.op == Key::Op::Uid) k.spans.emplace(k.set, largestUid);
    for (auto& kid : k.kids) resolveSets(kid, largestSeq, largestUid);
}

// Parses search keys (RFC 3501 6.4.4) into a Key tree; on failure `error` is the Search* entry that says what is
// wrong, with {key}: the key in upper case (an unknown one as the client wrote it, at most 40 characters).
struct KeyParser {
    using O = Key::Op;
    explicit KeyParser(const std::vector<Token>& tokens) : t(tokens) {}
    const std::vector<Token>& t;
    std::size_t i = 0;
    std::optional<Refusal> error;
    bool usedModSeq = false;  // a MODSEQ key was used (RFC 7162 3.1.5)

    const Token* take() { return i < t.size() ? &t[i++] : nullptr; }
    bool str(std::string& out) {
        const Token* x = take();
        if (!x || !x->isAString()) return false;
        out = x->text;
        return true;
    }
    bool fail(ReplyId why, std::string_view key = {}) {
        error = Refusal{why, {{"key", std::string(key)}}};
        return false;
    }

    // One key: a parenthesised list of keys, or an atom with what it takes after it.
    bool one(Key& k, int depth) {
        if (depth > kMaxSearchDepth) return fail(ReplyId::SearchTooDeep);
        const Token* x = take();
        if (!x) return fail(ReplyId::SearchMissingKey);
        if (x->kind == Token::Kind::List) {
            k.op = O::And;
            KeyParser sub(x->children);
            while (sub.i < sub.t.size()) {
                Key kid;
                if (!sub.one(kid, depth + 1)) return error = std::move(sub.error), false;
                k.kids.push_back(std::move(kid));
            }
            // A MODSEQ key anywhere in the command counts, inside a list too (RFC 7162 3.1.5: the SEARCH enables
            // CONDSTORE and its response carries the highest MODSEQ of the matches).
            usedModSeq = usedModSeq || sub.usedModSeq;
            return !k.kids.empty() || fail(ReplyId::SearchEmptyList);
        }
        if (x->kind != Token::Kind::Atom) return fail(ReplyId::SearchKeyNotAtom);
        std::string u = x->text;
        for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (std::optional<bool> done = flagOrText(k, u)) return *done;
        if (std::optional<bool> done = numberOrDate(k, u)) return *done;
        if (u == "UID") {
            std::string s;
            auto set = str(s) ? parseSequenceSet(s) : std::nullopt;
            if (!set) return fail(ReplyId::SearchNeedsSet, u);
            k.op = O::Uid;
            k.set = *set;
            return true;
        }
        if (u == "NOT") {
            k.op = O::Not;
            k.kids.resize(1);
            return one(k.kids[0], depth + 1);
        }
        if (u == "OR") {
            k.op = O::Or;
            k.kids.resize(2);
            return one(k.kids[0], depth + 1) && one(k.kids[1], depth + 1);
        }
        if (auto set = parseSequenceSet(x->text)) {
            k.op = O::Seq;
            k.set = *set;
            return true;
        }
        return fail(ReplyId::SearchUnknownKey, x->text.substr(0, 40));
    }

    // The flag keys, the keys without an argument and those that take a string; nullopt when `u` is none of them.
    std::optional<bool> flagOrText(Key& k, const std::string& u) {
        static constexpr std::pair<std::string_view, store::Flag> kFlags[] = {
            {"ANSWERED", store::kAnswered}, {"DELETED", store::kDeleted}, {"DRAFT", store::kDraft},
            {"FLAGGED", store::kFlagged}, {"SEEN", store::kSeen}};
        for (auto [name, bit] : kFlags) {
            if (u == name) return k.op = O::FlagSet, k.flag = bit, true;
            if (u == "UN" + std::string(name)) return k.op = O::FlagClear, k.flag = bit, true;
        }
        static constexpr std::pair<std::string_view, Key::Op> kPlain[] = {
            {"ALL", O::All}, {"RECENT", O::Recent}, {"NEW", O::New}, {"OLD", O::Old}};
        for (auto [name, op] : kPlain)
            if (u == name) return k.op = op, true;
        static constexpr std::pair<std::string_view, Key::Op> kStrings[] = {
            {"FROM", O::Address}, {"TO", O::Address}, {"CC", O::Address}, {"BCC", O::Address},
            {"SUBJECT", O::Header}, {"BODY", O::Body}, {"TEXT", O::Text}};
        for (auto [name, op] : kStrings)
            if (u == name) {
                k.op = op;
                if (op == O::Address || op == O::Header) k.field = u;
                return str(k.value) || fail(ReplyId::SearchNeedsString, u);
            }
        if (u == "HEADER") {
            k.op = O::Header;
            return (str(k.field) && str(k.value)) || fail(ReplyId::SearchHeaderArgs, u);
        }
        if (u == "KEYWORD" || u == "UNKEYWORD") {  // RFC 3501 6.4.4: messages with (without) that keyword
            k.op = u == "KEYWORD" ? O::Keyword : O::Unkeyword;
            return str(k.value) || fail(ReplyId::SearchNeedsFlag, u);
        }
        return std::nullopt;
    }

    // The keys that take a number or a date; nullopt when `u` is none of them.
    std::optional<bool> numberOrDate(Key& k, const std::string& u) {
        if (u == "LARGER" || u == "SMALLER") {
            std::string n;
            if (!str(n) || n.empty() || n.size() > 18 || !std::ranges::all_of(n, ::isdigit))
                return fail(ReplyId::SearchNeedsNumber, u);
            k.op = u == "LARGER" ? O::Larger : O::Smaller;
            k.number = std::stoll(n);
            return true;
        }
        static constexpr std::pair<std::string_view, Key::Op> kDates[] = {
            {"BEFORE", O::Before}, {"ON", O::On}, {"SINCE", O::Since}, {"SENTBEFORE", O::SentBefore},
            {"SENTON", O::SentOn}, {"SENTSINCE", O::SentSince}};
        for (auto [name, op] : kDates)
            if (u == name) {
                std::string d;
                auto days = str(d) ? parseSearchDate(d) : std::nullopt;
                if (!days) return fail(ReplyId::SearchNeedsDate, u);
                k.op = op;
                k.number = *days;
                return true;
            }
        if (u == "MODSEQ") return modSeq(k, u);
        return std::nullopt;
    }

    // MODSEQ [entry-name entry-type-req] mod-sequence-valzer (RFC 7162 3.1.5). The entry name ("/flags/\\seen")
    // narrows to one flag's MODSEQ; the store keeps one per message, which the RFC allows to stand for every entry
    // (3.1.5), so the name and type are checked and not used.
    bool modSeq(Key& k, const std::string& u) {
        if (i + 2 < t.size() && t[i].kind == Token::Kind::String) {
            if (!t[i + 1].isAtom("PRIV") && !t[i + 1].isAtom("SHARED") && !t[i + 1].isAtom("ALL"))
                return fail(ReplyId::SearchModSeqEntry, u);
            i += 2;
        }
        std::string n;
        if (!str(n) || n.empty() || n.size() > 19 || !std::ranges::all_of(n, ::isdigit))
            return fail(ReplyId::SearchNeedsNumber, u);
        k.op = O::ModSeq;
        k.number = static_cast<std::int64_t>(std::min<unsigned long long>(std::stoull(n), INT64_MAX));
        return usedModSeq = true;
    }
};

bool containsFolded(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != hay.end();
}

// What a key looks at in one message, fetched and parsed only when a key needs it.
struct Candidate {
    std::uint32_t seq = 0, uid = 0;
    store::Flags flags = 0;
    const std::vector<std::string>* keywords = nullptr;
    bool recent = false;
    const store::MessageInfo* info = nullptr;
    std::function<const message::Message&()> message;
};

bool headerMatches(const message::Message& msg, const std::string& field, const std::string& value) {
    for (const auto& f : msg.root().headers) {
        if (f.name.size() != field.size() ||
            !std::ranges::equal(f.name, field, [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
            continue;
        if (value.empty() || containsFolded(message::decodeHeaderText(f.value), value)) return true;
    }
    return false;
}

// FROM, TO, CC, BCC (RFC 3501 6.4.4 "contains the specified string in the envelope structure's ... field"): the field
// as written, or one of its addresses as the envelope shows it, without the comments RFC 5322 3.2.2 allows inside
// an address ("mike(the boss)@cesoo.com" is found by "mike@cesoo.com").
bool addressMatches(const message::Message& msg, const std::string& field, const std::string& value) {
    if (headerMatches(msg, field, value)) return true;
    for (const auto& f : msg.root().headers) {
        if (f.name.size() != field.size() ||
            !std::ranges::equal(f.name, field, [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
            continue;
        for (const auto& mb : message::parseAddressList(f.value).mailboxes())
            if (containsFolded(mb.displayName() + " <" + mb.address() + ">", value)) return true;
    }
    return false;
}

// The same as addressMatches on the store's cached, decoded values of one field ('\0' before each occurrence).
bool cachedAddressMatches(std::string_view cached, const std::string& value) {
    if (containsFolded(cached, value)) return true;
    std::size_t pos = 0;
    while (pos < cached.size()) {
        std::size_t next = cached.find('\0', pos + 1);
        if (next == std::string::npos) next = cached.size();
        std::string_view one(cached.data() + pos, next - pos);
        if (!one.empty() && one.front() == '\0') one.remove_prefix(1);
        for (const auto& mb : message::parseAddressList(one).mailboxes())
            if (containsFolded(mb.displayName() + " <" + mb.address() + ">", value)) return true;
        pos = next;
    }
    return false;
}

bool bodyMatches(const message::Message& msg, const std::string& value) {
    for (const auto* p : msg.parts())
        if (p->kind == message::MimePart::Kind::Leaf && p->contentType.type == "text" &&
            containsFolded(msg.text(*p), value))
            return true;
    return false;
}

bool matches(const Key& k, const Candidate& c) {
    using O = Key::Op;
    constexpr std::int64_t kDay = 86'400'000'000;
    auto days = [&](std::int64_t micros) { return micros >= 0 ? micros / kDay : (micros - kDay + 1) / kDay; };
    // RFC 3501 6.4.4: SENTBEFORE/SENTON/SENTSINCE look at the date of the Date: header "disregarding time and
    // timezone": the calendar date as the sender wrote it, not that date converted to UTC.
    auto sentDays = [&]() -> std::optional<std::int64_t> {
        auto d = message::parseZonedDate(c.message().root().headerValue("Date"));
        if (!d) return std::nullopt;
        return days(d->micros + std::int64_t{d->offsetMinutes} * 60'000'000);
    };
    switch (k.op) {
    case O::All: return true;
    case O::Never: return false;
    case O::Keyword:
    case O::Unkeyword: {
        const bool has = c.keywords && std::ranges::any_of(*c.keywords, [&](const std::string& x) {
            return store::sameKeyword(x, k.value);
        });
        return has == (k.op == O::Keyword);
    }
    case O::FlagSet: return (c.flags & k.flag) != 0;
    case O::FlagClear: return (c.flags & k.flag) == 0;
    case O::Recent: return c.recent;
    case O::New: return c.recent && !(c.flags & store::kSeen);
    case O::Old: return !c.recent;
    case O::Header:
        if (auto cached = c.info->cached ? c.info->cached->header(k.field) : std::nullopt)
            return k.value.empty() ? !cached->empty() : containsFolded(*cached, k.value);  // the store's index
        return headerMatches(c.message(), k.field, k.value);
    case O::Address:
        if (auto cached = c.info->cached ? c.info->cached->header(k.field) : std::nullopt)
            return cachedAddressMatches(*cached, k.value);  // the store's index: no message parse
        return addressMatches(c.message(), k.field, k.value);
    case O::Body: return bodyMatches(c.message(), k.value);
    case O::Text: {
        const auto& m = c.message();
        // "in the header or body of the message" (RFC 3501 6.4.4): the headers of every MIME part count too
        // (a Content-Disposition filename, an attached message's Subject).
        for (const auto* p : m.parts())
            for (const auto& f : p->headers)
                if (containsFolded(f.name + ": " + message::decodeHeaderText(f.value), k.value)) return true;
        return bodyMatches(m, k.value);
    }
    case O::Larger: return c.info->size > static_cast<std::uint64_t>(k.number);
    case O::Smaller: return c.info->size < static_cast<std::uint64_t>(k.number);
    case O::Before: return days(c.info->internalDate) < k.number;
    case O::On: return days(c.info->internalDate) == k.number;
    case O::Since: return days(c.info->internalDate) >= k.number;
    case O::SentBefore: { auto d = sentDays(); return d && *d < k.number; }
    case O::SentOn: { auto d = sentDays(); return d && *d == k.number; }
    case O::SentSince: { auto d = sentDays(); return d && *d >= k.number; }
    case O::Uid: return k.spans->contains(c.uid);
    case O::ModSeq: return c.info->modSeq >= static_cast<std::uint64_t>(k.number);
    case O::Seq: return k.spans->contains(c.seq);
    case O::Not: return !matches(k.kids[0], c);
    case O::Or: return matches(k.kids[0], c) || matches(k.kids[1], c);
    case O::And:
        return std::ranges::all_of(k.kids, [&](const Key& kid) { return matches(kid, c); });
    }
    return false;
}

}  // namespace

std::optional<ImapServerSession::SearchResult> ImapServerSession::runSearch(const Command& cmd,
                                                                          std::span<const Token> keys, Micros now) {
    std::vector<Token> rest(keys.begin(), keys.end());
    KeyParser parser(rest);
    Key all;
    all.op = Key::Op::And;
    while (parser.i < rest.size()) {
        Key k;
        if (!parser.one(k, 0)) {
            refuse(cmd, std::move(*parser.error), now);
            return std::nullopt;
        }
        all.kids.push_back(std::move(k));
    }
    if (all.kids.empty()) {
        syntaxError(cmd, now);
        return std::nullopt;
    }
    if (!m_sel.empty()) resolveSets(all, static_cast<std::uint32_t>(m_sel.size()), m_sel.largestUid());
    std::string folder = m_sel.folder();
    const auto snapshot = m_ctx.store->snapshot(m_user, folder);  // shared, not copied
    SearchResult result;
    result.modSeqKey = parser.usedModSeq;
    if (parser.usedModSeq) enableCondStore(now, cmd.cause);
    for (std::size_t i = 0; i < m_sel.size(); ++i) {
        const store::MessageInfo* found = detail::findUid(snapshot->messages, m_sel.uid(i));
        if (!found) {  // expunged by another session: left out, and the tagged OK says so (RFC 5530 3)
            result.expungedMeanwhile = true;
            continue;
        }
        std::optional<message::Message> parsed;
        Candidate c;
        c.seq = static_cast<std::uint32_t>(i + 1);
        c.uid = m_sel.uid(i);
        c.flags = m_sel.flags(i);
        c.keywords = &m_sel.keywords(i);
        c.recent = m_sel.recent(i);
        c.info = found;
        c.message = [&, uid = c.uid]() -> const message::Message& {
            if (!parsed) {
                auto bytes = m_ctx.store->read(m_user, folder, uid);
                parsed = message::Message::parse(bytes ? *bytes : std::string{});
            }
            return *parsed;
        };
        if (matches(all, c)) result.hits.push_back({i, *found});
    }
    return result;
}

// Whether `a[start]` names a supported charset (RFC 3501 6.4.4); answers NO [BADCHARSET] itself when not.
bool ImapServerSession::charsetSupported(const Command& cmd, const Token& t, Micros now) {
    std::string cs = t.text;
    for (char& c : cs) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (t.isAString() && (cs == "UTF-8" || cs == "US-ASCII")) return true;
    reply(ReplyId::BadCharset, cmd.tag, {{"charset", t.text}}, now, cmd.cause);
    return false;
}

// SEARCH [RETURN (options)] [CHARSET name] keys (RFC 3501 6.4.4; RETURN is ESEARCH, RFC 4731 3.1: MIN MAX ALL COUNT,
// "RETURN ()" meaning ALL; the answer is then one * ESEARCH (TAG "tag") [UID] ... line instead of * SEARCH).
void ImapServerSession::doSearch(Command& cmd, Micros now) {
    std::size_t start = 0;
    const auto& a = cmd.args;
    bool esearch = false, wantMin = false, wantMax = false, wantAll = false, wantCount = false;
    if (a.size() >= 2 && a[0].isAtom("RETURN") && a[1].kind == Token::Kind::List) {
        esearch = true;
        for (const auto& o : a[1].children) {
            if (o.isAtom("MIN")) wantMin = true;
            else if (o.isAtom("MAX")) wantMax = true;
            else if (o.isAtom("ALL")) wantAll = true;
            else if (o.isAtom("COUNT")) wantCount = true;
            else {
                reply(ReplyId::SearchReturnSyntax, cmd.tag, {}, now, cmd.cause);
                return countError(now, cmd.cause);
            }
        }
        if (a[1].children.empty()) wantAll = true;  // RFC 4731 3.1: "RETURN ()" is "RETURN (ALL)"
        start = 2;
    }
    if (a.size() >= start + 2 && a[start].isAtom("CHARSET")) {
        if (m_utf8Accept) {  // RFC 6855 3: "SHOULD reject the command with a BAD response"
            reply(ReplyId::SearchCharsetUtf8, cmd.tag, {}, now, cmd.cause);
            return countError(now, cmd.cause);
        }
        if (!charsetSupported(cmd, a[start + 1], now)) return;
        start += 2;
    }
    auto result = runSearch(cmd, std::span<const Token>(a).subspan(start), now);
    if (!result) return;
    std::vector<std::uint32_t> numbers;
    std::uint64_t highest = 0;  // RFC 7162 3.1.5: the highest MODSEQ of the matches, when MODSEQ was searched
    for (const auto& hit : result->hits) {
        numbers.push_back(cmd.uid ? hit.info.uid : static_cast<std::uint32_t>(hit.index + 1));
        highest = std::max(highest, hit.info.modSeq);
    }
    std::string modSeq = result->modSeqKey && !numbers.empty() ? fmt::format("MODSEQ {}", highest) : "";
    if (!esearch) {
        std::string hits;
        for (auto n : numbers) hits += fmt::format(" {}", n);
        untagged("SEARCH" + hits + (modSeq.empty() ? "" : " (" + modSeq + ")"), now, cmd.cause);
    } else {
        std::string line = fmt::format("ESEARCH (TAG {}){}", detail::quoteName(cmd.tag), cmd.uid ? " UID" : "");
        if (wantMin && !numbers.empty()) line += fmt::format(" MIN {}", numbers.front());
        if (wantMax && !numbers.empty()) line += fmt::format(" MAX {}", numbers.back());
        if (wantCount) line += fmt::format(" COUNT {}", numbers.size());
        if (wantAll && !numbers.empty()) line += " ALL " + formatSequenceSet(numbers);
        if (!modSeq.empty()) line += " " + modSeq;  // RFC 7162 3.1.10 (ESEARCH)
        untagged(line, now, cmd.cause);
    }
    pollChanges(false, now, cmd.cause);
    reply(result->expungedMeanwhile ? ReplyId::SearchExpungeIssued : ReplyId::SearchDone, cmd.tag,
          {{"verb", cmd.uid ? "UID SEARCH" : "SEARCH"}}, now, cmd.cause);
}

}  // namespace mailsim::imap
