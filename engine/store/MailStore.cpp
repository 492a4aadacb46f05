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

template <typename Fields>
auto* fieldNamed(Fields& f, std::string_view name) {
    auto is = [&](std::string_view n) { return sameKeyword(name, n); };
    return is("FROM") ? &f.from : is("TO") ? &f.to : is("CC") ? &f.cc : is("BCC") ? &f.bcc
         : is("SUBJECT") ? &f.subject : nullptr;
}

}  // namespace

std::shared_ptr<const std::vector<MessageInfo>> MailStore::snapshot(const std::string& user,
                                                                    const std::string& folder) const {
    return std::make_shared<const std::vector<MessageInfo>>(list(user, folder));
}

const std::string* CachedFields::header(std::string_view name) const { return fieldNamed(*this, name); }

std::shared_ptr<const CachedFields> computeCachedFields(std::string_view bytes) {
    auto out = std::make_shared<CachedFields>();
    auto msg = message::Message::parse(std::string(bytes));
    out->envelope = message::imapEnvelope(msg);
    for (const auto& f : msg.root().headers)
        if (std::string* field = fieldNamed(*out, f.name)) {
            *field += '\0';
            *field += message::decodeHeaderText(f.value);
        }
    return out;
}

std::expected<void, std::string> MailStore::setFlags(const std::string& user, const std::string& folder,
                                                     std::uint32_t uid, Flags flags) {
    auto r = updateFlags(user, folder, uid, FlagDelta{FlagDelta::Op::Replace, flags, {}});
    if (!r) return std::unexpected(r.error().text);
    return {};
}

std::uint32_t MailStore::uidNext(const std::string& user, const std::string& folder) const {
    auto msgs = list(user, folder);
    return msgs.empty() ? 1 : msgs.back().uid + 1;
}

std::expected<void, std::string> MailStore::deleteFolder(const std::string&, const std::string& folder) {
    return std::unexpected("this store cannot delete folders (" + folder + ")");
}

std::expected<void, std::string> MailStore::renameFolder(const std::string&, const std::string& from,
                                                         const std::string&) {
    return std::unexpected("this store cannot rename folders (" + from + ")");
}

}  // namespace mailsim::store
