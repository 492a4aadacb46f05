#include "store/MemoryStore.hpp"

namespace mailsim::store {

std::expected<MessageInfo, std::string> MemoryStore::deliver(const std::string& user, const std::string& folder,
                                                             std::string_view message, std::int64_t internalDate) {
    Folder& f = m_folders[{user, folder}];
    Stored s;
    s.info.uid = f.nextUid++;
    s.info.size = message.size();
    s.info.internalDate = internalDate;
    s.info.storageId = "mem-" + std::to_string(s.info.uid);
    s.bytes.assign(message);
    f.messages.push_back(std::move(s));
    return f.messages.back().info;
}

std::vector<MessageInfo> MemoryStore::list(const std::string& user, const std::string& folder) const {
    std::vector<MessageInfo> out;
    if (auto it = m_folders.find({user, folder}); it != m_folders.end())
        for (const auto& s : it->second.messages) out.push_back(s.info);
    return out;
}

std::expected<std::string, std::string> MemoryStore::read(const std::string& user, const std::string& folder,
                                                         std::uint32_t uid) const {
    auto it = m_folders.find({user, folder});
    if (it == m_folders.end()) return std::unexpected("no folder " + folder + " for " + user);
    for (const auto& s : it->second.messages)
        if (s.info.uid == uid) return s.bytes;
    return std::unexpected("no message with UID " + std::to_string(uid) + " in " + user + "/" + folder);
}

std::expected<void, std::string> MemoryStore::remove(const std::string& user, const std::string& folder,
                                                     std::uint32_t uid) {
    auto it = m_folders.find({user, folder});
    if (it != m_folders.end()) {
        auto& msgs = it->second.messages;
        for (auto m = msgs.begin(); m != msgs.end(); ++m)
            if (m->info.uid == uid) {
                msgs.erase(m);
                return {};
            }
    }
    return std::unexpected("no message with UID " + std::to_string(uid) + " in " + user + "/" + folder);
}

}  // namespace mailsim::store
