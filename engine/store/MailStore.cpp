#include "store/MailStore.hpp"

#include "message/HeaderText.hpp"
#include "message/ImapStructure.hpp"
#include "message/MimeMessage.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace mailsim::store {

std::string flagsToString(Flags flags) {
    static constexpr std::pair<Flag, const char*> kNames[] = {
        {kSeen, "\\Seen"}, {kAnswered, "\\Answered"}, {kFlagged, "\\Flagged"}, {kDeleted, "\\Deleted"}, {kDraft, "\\Draft"}};
    std::string out;
    for (auto [bit, name] : kNames)
        if (flags & bit) out += (out.empty() ? "" : " ") + std::string(name);
    return out;
}

bool isValidKeyword(std::string_view keyword) {
    if (keyword.empty() || keyword.size() > 128) return false;
    return std::ranges::none_of(keyword, [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u >= 0x7f || std::string_view("(){%*\"\\]").find(c) != std::string_view::npos;
    });
}

bool sameKeyword(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::ranges::equal(a, b, [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool applyFlagDelta(const FlagDelta& delta, Flags& flags, std::vector<std::string>& keywords) {
    Flags before = flags;
    std::vector<std::string> old = keywords;
    auto has = [&](std::string_view k) {
        return std::ranges::any_of(keywords, [&](const std::string& x) { return sameKeyword(x, k); });
    };
    switch (delta.op) {
    case FlagDelta::Op::Add:
        flags |= delta.flags & kAllFlags;
        for (const auto& k : delta.keywords)
            if (!has(k)) keywords.push_back(k);
        break;
    case FlagDelta::Op::Remove:
        flags &= static_cast<Flags>(~delta.flags);
        std::erase_if(keywords, [&](const std::string& x) {
            return std::ranges::any_of(delta.keywords, [&](const std::string& k) { return sameKeyword(x, k); });
        });
        break;
    case FlagDelta::Op::Replace:
        flags = delta.flags & kAllFlags;
        keywords.clear();
        for (const auto& k : delta.keywords)
            if (!has(k)) keywords.push_back(k);
        break;
    }
    auto sorted = [](std::vector<std::string> v) {
        std::ranges::sort(v);
        return v;
    };
    return flags != before || sorted(keywords) != sorted(old);
}

namespace {

// FROM/TO/CC/BCC/SUBJECT (any case) -> the field; nullopt for any other name.
std::optional<CachedFields::Field> fieldNamed(std::string_view name) {
    auto is = [&](std::string_view n) { return sameKeyword(name, n); };
    if (is("FROM")) return CachedFields::From;
    if (is("TO")) return CachedFields::To;
    if (is("CC")) return CachedFields::Cc;
    if (is("BCC")) return CachedFields::Bcc;
    if (is("SUBJECT")) return CachedFields::Subject;
    return std::nullopt;
}

}  // namespace

CachedFields::CachedFields(const std::array<std::string_view, kFields>& values) {
    std::size_t total = 0;
    for (auto v : values) total += v.size();
    m_data.reserve(total);
    for (std::size_t i = 0; i < kFields; ++i) {
        m_data += values[i];
        m_end[i] = static_cast<std::uint32_t>(m_data.size());
    }
}

std::optional<std::string_view> CachedFields::header(std::string_view name) const {
    auto f = fieldNamed(name);
    if (!f) return std::nullopt;
    return get(*f);
}

std::shared_ptr<const CachedFields> computeCachedFields(std::string_view bytes) {
    auto msg = message::Message::parse(std::string(bytes));
    std::array<std::string, CachedFields::kFields> values;
    values[CachedFields::Envelope] = message::imapEnvelope(msg);
    for (const auto& f : msg.root().headers)
        if (auto field = fieldNamed(f.name)) {
            values[*field] += '\0';
            values[*field] += message::decodeHeaderText(f.value);
        }
    std::array<std::string_view, CachedFields::kFields> views;
    for (std::size_t i = 0; i < views.size(); ++i) views[i] = values[i];
    return std::make_shared<const CachedFields>(views);
}

std::shared_ptr<const FolderSnapshot> FolderSnapshot::make(std::vector<MessageInfo> messages) {
    auto s = std::make_shared<FolderSnapshot>();
    s->messages = std::move(messages);
    for (std::size_t i = 0; i < s->messages.size(); ++i) {
        const MessageInfo& m = s->messages[i];
        if (s->firstUnseen == 0 && !(m.flags & kSeen)) s->firstUnseen = i + 1;
        s->octets += m.size;
    }
    return s;
}

std::shared_ptr<const FolderSnapshot> MailStore::snapshot(const std::string& user, const std::string& folder) const {
    return FolderSnapshot::make(list(user, folder));
}

std::expected<void, StoreError> MailStore::setFlags(const std::string& user, const std::string& folder,
                                                     std::uint32_t uid, Flags flags) {
    auto r = updateFlags(user, folder, uid, FlagDelta{FlagDelta::Op::Replace, flags, {}});
    if (!r) return std::unexpected(r.error());
    return {};
}

std::uint32_t MailStore::uidNext(const std::string& user, const std::string& folder) const {
    auto msgs = list(user, folder);
    return msgs.empty() ? 1 : msgs.back().uid + 1;
}

std::expected<void, StoreError> MailStore::deleteFolder(const std::string&, const std::string& folder) {
    return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::CannotDelete, folder));
}

std::expected<void, StoreError> MailStore::renameFolder(const std::string&, const std::string& from,
                                                         const std::string&) {
    return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::CannotRename, from));
}

std::optional<std::vector<std::uint32_t>> MailStore::expungedSince(const std::string&, const std::string&,
                                                                   std::uint64_t) const {
    return std::nullopt;  // not remembered: the caller reports every UID it cannot see
}

}  // namespace mailsim::store
