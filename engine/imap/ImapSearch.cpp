// IMAP SEARCH (RFC 3501 6.4.4): every search key of RFC 3501, nested OR/NOT/lists, sequence and UID sets, and
// CHARSET UTF-8. Strings match as substrings, ASCII letters case-insensitively, against decoded text: header values
// with their encoded words decoded (RFC 2047), bodies transfer-decoded and converted to UTF-8 from their charset, so a
// Chinese subject written as =?UTF-8?B?...?= or =?GB2312?...?= is found by the UTF-8 string the client sends.
#include "imap/ImapServerInternal.hpp"
#include "imap/ImapServerSession.hpp"

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
    enum class Op { All, FlagSet, FlagClear, Recent, New, Old, Header, Body, Text, Larger, Smaller, Before, On, Since,
                    SentBefore, SentOn, SentSince, Uid, Seq, Not, Or, And, Never };
    Op op = Op::All;
    store::Flags flag = 0;
    std::string field, value;
    std::int64_t number = 0;
    std::vector<SeqRange> set;
    std::vector<Key> kids;
};

struct KeyParser {
    explicit KeyParser(const std::vector<Token>& tokens) : t(tokens) {}
    const std::vector<Token>& t;
    std::size_t i = 0;
    std::string error;

    const Token* take() { return i < t.size() ? &t[i++] : nullptr; }
    bool str(std::string& out) {
        const Token* x = take();
        if (!x || !x->isAString()) return false;
        out = x->text;
        return true;
    }
    bool one(Key& k, int depth) {
        using O = Key::Op;
        if (depth > kMaxSearchDepth) return error = "search keys nested too deeply", false;
        const Token* x = take();
        if (!x) return error = "missing search key", false;
        if (x->kind == Token::Kind::List) {
            k.op = O::And;
            KeyParser sub(x->children);
            while (sub.i < sub.t.size()) {
                Key kid;
                if (!sub.one(kid, depth + 1)) return error = sub.error, false;
                k.kids.push_back(std::move(kid));
            }
            return !k.kids.empty() || (error = "empty parentheses", false);
        }
        if (x->kind != Token::Kind::Atom) return error = "a search key must be an atom", false;
        std::string u = x->text;
        for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        static constexpr std::pair<std::string_view, store::Flag> kFlags[] = {
            {"ANSWERED", store::kAnswered}, {"DELETED", store::kDeleted}, {"DRAFT", store::kDraft},
            {"FLAGGED", store::kFlagged}, {"SEEN", store::kSeen}};
        for (auto [name, bit] : kFlags) {
            if (u == name) return k.op = O::FlagSet, k.flag = bit, true;
            if (u == "UN" + std::string(name)) return k.op = O::FlagClear, k.flag = bit, true;
        }
        if (u == "ALL") return k.op = O::All, true;
        if (u == "RECENT") return k.op = O::Recent, true;
        if (u == "NEW") return k.op = O::New, true;
        if (u == "OLD") return k.op = O::Old, true;
        static constexpr std::string_view kHeaders[] = {"FROM", "TO", "CC", "BCC", "SUBJECT"};
        for (auto h : kHeaders)
            if (u == h) {
                k.op = O::Header;
                k.field = u;
                return str(k.value) || (error = u + " needs a string", false);
            }
        if (u == "HEADER") {
            k.op = O::Header;
            return (str(k.field) && str(k.value)) || (error = "HEADER needs a field name and a string", false);
        }
        if (u == "BODY" || u == "TEXT") {
            k.op = u == "BODY" ? O::Body : O::Text;
            return str(k.value) || (error = u + " needs a string", false);
        }
        if (u == "KEYWORD" || u == "UNKEYWORD") {  // keywords are not kept: nothing has one
            std::string ignored;
            k.op = u == "KEYWORD" ? O::Never : O::All;
            return str(ignored) || (error = u + " needs a flag", false);
        }
        if (u == "LARGER" || u == "SMALLER") {
            std::string n;
            if (!str(n) || n.empty() || n.size() > 18 || !std::ranges::all_of(n, ::isdigit))
                return error = u + " needs a number", false;
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
                if (!days) return error = u + " needs a date like 1-Feb-1994", false;
                k.op = op;
                k.number = *days;
                return true;
            }
        if (u == "UID") {
            std::string s;
            auto set = str(s) ? parseSequenceSet(s) : std::nullopt;
            if (!set) return error = "UID needs a sequence set", false;
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
        return error = "unknown search key " + x->text.substr(0, 40), false;
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
    std::uint32_t seq = 0, uid = 0, largestSeq = 0, largestUid = 0;
    store::Flags flags = 0;
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
    auto sentDays = [&]() -> std::optional<std::int64_t> {
        auto d = c.message().date();
        if (!d) return std::nullopt;
        return days(*d);
    };
    switch (k.op) {
    case O::All: return true;
    case O::Never: return false;
    case O::FlagSet: return (c.flags & k.flag) != 0;
    case O::FlagClear: return (c.flags & k.flag) == 0;
    case O::Recent: return c.recent;
    case O::New: return c.recent && !(c.flags & store::kSeen);
    case O::Old: return !c.recent;
    case O::Header:
        if (const std::string* cached = c.info->cached ? c.info->cached->header(k.field) : nullptr)
            return k.value.empty() ? !cached->empty() : containsFolded(*cached, k.value);  // the store's index
        return headerMatches(c.message(), k.field, k.value);
    case O::Body: return bodyMatches(c.message(), k.value);
    case O::Text: {
        const auto& m = c.message();
        for (const auto& f : m.root().headers)
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
    case O::Uid: return inSequenceSet(k.set, c.uid, c.largestUid);
    case O::Seq: return inSequenceSet(k.set, c.seq, c.largestSeq);
    case O::Not: return !matches(k.kids[0], c);
    case O::Or: return matches(k.kids[0], c) || matches(k.kids[1], c);
    case O::And:
        return std::ranges::all_of(k.kids, [&](const Key& kid) { return matches(kid, c); });
    }
    return false;
}

}  // namespace

void ImapServerSession::doSearch(Command& cmd, Micros now) {
    std::size_t start = 0;
    const auto& a = cmd.args;
    if (a.size() >= 2 && a[0].isAtom("CHARSET")) {
        std::string cs = a[1].text;
        for (char& c : cs) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (cs != "UTF-8" && cs != "US-ASCII")
            return reply(ReplyId::BadCharset, cmd.tag, {{"charset", a[1].text}}, now, cmd.cause);
        start = 2;
    }
    std::vector<Token> rest(a.begin() + static_cast<std::ptrdiff_t>(start), a.end());
    KeyParser parser(rest);
    Key all;
    all.op = Key::Op::And;
    while (parser.i < rest.size()) {
        Key k;
        if (!parser.one(k, 0)) {
            reply(ReplyId::SyntaxError, cmd.tag, {{"syntax", "SEARCH: " + parser.error}}, now, cmd.cause);
            return countError(now, cmd.cause);
        }
        all.kids.push_back(std::move(k));
    }
    if (all.kids.empty()) return syntaxError(cmd, now);
    std::string folder = storeName(m_mailbox);
    std::map<std::uint32_t, store::MessageInfo> infos;
    for (const auto& info : m_ctx.store->list(m_user, folder)) infos.emplace(info.uid, info);
    std::string hits;
    for (std::size_t i = 0; i < m_view.size(); ++i) {
        auto it = infos.find(m_view[i].uid);
        if (it == infos.end()) continue;
        std::optional<message::Message> parsed;
        Candidate c;
        c.seq = static_cast<std::uint32_t>(i + 1);
        c.uid = m_view[i].uid;
        c.largestSeq = static_cast<std::uint32_t>(m_view.size());
        c.largestUid = m_view.back().uid;
        c.flags = m_view[i].flags;
        c.recent = m_view[i].recent;
        c.info = &it->second;
        c.message = [&, uid = c.uid]() -> const message::Message& {
            if (!parsed) {
                auto bytes = m_ctx.store->read(m_user, folder, uid);
                parsed = message::Message::parse(bytes ? *bytes : std::string{});
            }
            return *parsed;
        };
        if (matches(all, c)) hits += fmt::format(" {}", cmd.uid ? c.uid : c.seq);
    }
    untagged("SEARCH" + hits, now, cmd.cause);
    pollChanges(false, now, cmd.cause);
    reply(ReplyId::SearchDone, cmd.tag, {}, now, cmd.cause);
}

}  // namespace mailsim::imap
