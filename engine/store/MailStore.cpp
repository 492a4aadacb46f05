#include "store/MailStore.hpp"

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
