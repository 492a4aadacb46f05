#include "store/MemoryStore.hpp"

#include "util/Lines.hpp"

#include <algorithm>

namespace mailsim::store {

namespace {
StoreError noMessage(const std::string& user, const std::string& folder, std::uint32_t uid) {
    return storeFault(StoreErrc::NotFound, StoreStep::NoSuchMessage, user + "/" + folder, {}, uid);
}
}  // namespace

MemoryStore::Folder& MemoryStore::folderFor(const std::string& user, const std::string& folder) {
    Folder& f = m_folders[{user, folder}];
    if (f.uidValidity == 0) {
        f.uidValidity = m_nextUidValidity++;
        f.highestModSeq = 1;  // an existing folder's HIGHESTMODSEQ is positive (RFC 7162 7); the first change gets 2
    }
    return f;
}

MemoryStore::Stored* MemoryStore::find(const std::string& user, const std::string& folder, std::uint32_t uid) {
    auto it = m_folders.find({user, folder});
    if (it == m_folders.end()) return nullptr;
    for (auto& s : it->second.messages)
        if (s.info.uid == uid) return &s;
    return nullptr;
}

std::expected<MessageInfo, StoreError> MemoryStore::deliver(const std::string& user, const std::string& folder,
                                                            std::string_view message, std::int64_t internalDate) {
    if (m_fault && m_fault->after-- == 0) {
        m_fault->after = 0;
        return std::unexpected(storeFault(m_fault->code, StoreStep::Injected, user + "/" + folder));
    }
    Folder& f = folderFor(user, folder);
    Stored s;
    s.info.uid = f.nextUid++;
    s.bytes = util::toCrlf(message);
    s.info.size = s.bytes.size();
    s.info.internalDate = internalDate;
    s.info.storageId = "mem-" + std::to_string(s.info.uid);
    s.info.modSeq = ++f.highestModSeq;
    f.messages.push_back(std::move(s));
    return f.messages.back().info;
}

std::vector<MessageInfo> MemoryStore::list(const std::string& user, const std::string& folder) const {
    std::vector<MessageInfo> out;
    if (auto it = m_folders.find({user, folder}); it != m_folders.end())
        for (const auto& s : it->second.messages) out.push_back(s.info);
    return out;
}

std::expected<std::string, StoreError> MemoryStore::read(const std::string& user, const std::string& folder,
                                                         std::uint32_t uid) const {
    auto it = m_folders.find({user, folder});
    if (it == m_folders.end()) return std::unexpected(storeFault(StoreErrc::NotFound, StoreStep::NoSuchFolder, folder, user));
    for (const auto& s : it->second.messages)
        if (s.info.uid == uid) return s.bytes;
    return std::unexpected(noMessage(user, folder, uid));
}

std::expected<void, StoreError> MemoryStore::remove(const std::string& user, const std::string& folder,
                                                     std::uint32_t uid) {
    std::uint32_t one[] = {uid};
    return removeMany(user, folder, one);
}

std::expected<void, StoreError> MemoryStore::removeMany(const std::string& user, const std::string& folder,
                                                         std::span<const std::uint32_t> uids) {
    for (auto uid : uids)  // check everything first: all or nothing
        if (!find(user, folder, uid))
            return std::unexpected(noMessage(user, folder, uid));
    if (uids.empty()) return {};
    Folder& f = m_folders.at({user, folder});
    ++f.highestModSeq;  // RFC 7162 3.2.10 (QRESYNC): an expunge is a change too, remembered for VANISHED (EARLIER)
    for (auto uid : uids) f.expunged[uid] = f.highestModSeq;
    auto& msgs = f.messages;
    std::erase_if(msgs, [&](const Stored& s) { return std::ranges::find(uids, s.info.uid) != uids.end(); });
    return {};
}

std::expected<MessageInfo, StoreError> MemoryStore::updateFlags(const std::string& user, const std::string& folder,
                                                                std::uint32_t uid, const FlagDelta& delta) {
    Stored* s = find(user, folder, uid);
    if (!s)
        return std::unexpected(noMessage(user, folder, uid));
    for (const auto& k : delta.keywords)
        if (!isValidKeyword(k)) return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::InvalidKeyword, {}, k));
    Folder& f = m_folders.at({user, folder});
    if (!applyFlagDelta(delta, s->info.flags, s->info.keywords)) return s->info;
    for (auto& k : s->info.keywords) {  // spelled as first defined in the folder
        auto known = std::ranges::find_if(f.keywords, [&](const std::string& x) { return sameKeyword(x, k); });
        if (known == f.keywords.end()) f.keywords.push_back(k);
        else k = *known;
    }
    s->info.modSeq = ++f.highestModSeq;
    return s->info;
}

std::vector<std::string> MemoryStore::keywords(const std::string& user, const std::string& folder) const {
    auto it = m_folders.find({user, folder});
    return it == m_folders.end() ? std::vector<std::string>{} : it->second.keywords;
}

std::uint64_t MemoryStore::highestModSeq(const std::string& user, const std::string& folder) const {
    auto it = m_folders.find({user, folder});
    return it == m_folders.end() ? 0 : it->second.highestModSeq;
}

std::optional<std::vector<std::uint32_t>> MemoryStore::expungedSince(const std::string& user, const std::string& folder,
                                                                     std::uint64_t sinceModSeq) const {
    std::vector<std::uint32_t> out;
    if (auto it = m_folders.find({user, folder}); it != m_folders.end())
        for (auto [uid, modSeq] : it->second.expunged)
            if (modSeq > sinceModSeq) out.push_back(uid);
    return out;
}

std::expected<void, StoreError> MemoryStore::createFolder(const std::string& user, const std::string& folder) {
    if (folder.empty()) return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::EmptyFolderName));
    folderFor(user, folder);
    return {};
}

std::vector<std::string> MemoryStore::listFolders(const std::string& user) const {
    std::vector<std::string> out{"INBOX"};
    for (const auto& [key, f] : m_folders)
        if (key.first == user && key.second != "INBOX") out.push_back(key.second);
    return out;
}

std::uint32_t MemoryStore::uidValidity(const std::string& user, const std::string& folder) const {
    auto it = m_folders.find({user, folder});
    return it == m_folders.end() ? 0 : it->second.uidValidity;
}

std::uint32_t MemoryStore::uidNext(const std::string& user, const std::string& folder) const {
    auto it = m_folders.find({user, folder});
    return it == m_folders.end() ? 1 : it->second.nextUid;
}

std::expected<void, StoreError> MemoryStore::deleteFolder(const std::string& user, const std::string& folder) {
    if (folder == "INBOX") return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::InboxNotDeleted));
    if (m_folders.erase({user, folder}) == 0)
        return std::unexpected(storeFault(StoreErrc::NotFound, StoreStep::NoSuchFolder, folder, user));
    return {};
}

std::expected<void, StoreError> MemoryStore::renameFolder(const std::string& user, const std::string& from,
                                                           const std::string& to) {
    if (from == "INBOX" || to == "INBOX")
        return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::InboxNotRenamed));
    if (to.empty()) return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::EmptyFolderName));
    auto it = m_folders.find({user, from});
    if (it == m_folders.end())
        return std::unexpected(storeFault(StoreErrc::NotFound, StoreStep::NoSuchFolder, from, user));
    if (m_folders.contains({user, to})) return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::FolderExists, to));
    Folder f = std::move(it->second);
    m_folders.erase(it);
    m_folders.emplace(std::make_pair(user, to), std::move(f));
    return {};
}

}  // namespace mailsim::store
