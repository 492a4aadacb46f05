// In-memory mail store: what the simulator uses by default. Not durable by design (a simulated crash loses it).
// UIDVALIDITY values are handed out 1, 2, 3, ... in folder creation order, so a run is reproducible. Messages are kept
// with CRLF line ends (converted at delivery), so `size` is the wire size.
#pragma once

#include "store/MailStore.hpp"

#include <map>
#include <optional>

namespace mailsim::store {

class MemoryStore final : public MailStore {
public:
    std::expected<MessageInfo, StoreError> deliver(const std::string& user, const std::string& folder,
                                                   std::string_view message, std::int64_t internalDate) override;
    std::vector<MessageInfo> list(const std::string& user, const std::string& folder) const override;
    std::expected<std::string, StoreError> read(const std::string& user, const std::string& folder,
                                                 std::uint32_t uid) const override;
    std::expected<void, StoreError> remove(const std::string& user, const std::string& folder,
                                            std::uint32_t uid) override;
    std::expected<void, StoreError> removeMany(const std::string& user, const std::string& folder,
                                                std::span<const std::uint32_t> uids) override;
    std::expected<MessageInfo, StoreError> updateFlags(const std::string& user, const std::string& folder,
                                                       std::uint32_t uid, const FlagDelta& delta) override;
    std::vector<std::string> keywords(const std::string& user, const std::string& folder) const override;
    std::uint64_t highestModSeq(const std::string& user, const std::string& folder) const override;
    std::optional<std::vector<std::uint32_t>> expungedSince(const std::string& user, const std::string& folder,
                                                            std::uint64_t sinceModSeq) const override;
    std::expected<void, StoreError> createFolder(const std::string& user, const std::string& folder) override;
    std::vector<std::string> listFolders(const std::string& user) const override;
    std::uint32_t uidNext(const std::string& user, const std::string& folder) const override;
    std::expected<void, StoreError> deleteFolder(const std::string& user, const std::string& folder) override;
    std::expected<void, StoreError> renameFolder(const std::string& user, const std::string& from,
                                                  const std::string& to) override;
    std::uint32_t uidValidity(const std::string& user, const std::string& folder) const override;
    std::string describe() const override { return "memory"; }

    // A fault a scenario injects (HostSpec `store: { fault: full, after: 1 }`): after `after` more successful
    // deliveries, every delivery fails with `code` (NoSpace: the disk is full, SMTP 452; Busy: the mailbox is locked,
    // 450; anything else: 451, RFC 5321 4.2.3). Reading, flags and removal keep working.
    void injectDeliveryFault(StoreErrc code, std::size_t after = 0) { m_fault = Fault{code, after}; }

private:
    struct Fault {
        StoreErrc code;
        std::size_t after;  // deliveries still allowed before the fault bites
    };
    std::optional<Fault> m_fault;
    struct Stored {
        MessageInfo info;
        std::string bytes;
    };
    struct Folder {
        std::uint32_t uidValidity = 0;
        std::uint32_t nextUid = 1;
        std::uint64_t highestModSeq = 0;
        std::vector<Stored> messages;
        std::vector<std::string> keywords;  // every keyword ever set in the folder, in definition order
        std::map<std::uint32_t, std::uint64_t> expunged;  // UID -> MODSEQ of its expunge (RFC 7162 3.2.5.2)
    };
    Folder& folderFor(const std::string& user, const std::string& folder);
    Stored* find(const std::string& user, const std::string& folder, std::uint32_t uid);

    std::map<std::pair<std::string, std::string>, Folder> m_folders;
    std::uint32_t m_nextUidValidity = 1;
};

}  // namespace mailsim::store
