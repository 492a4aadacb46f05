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

}  // namespace mailsim::store
