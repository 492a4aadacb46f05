// A MailStore that forwards the required interface to a MemoryStore, for tests that change one behaviour (refuse a
// delivery, forget mod-sequences) and keep the rest. The optional members (snapshot, expungedSince, deliverBatch,
// deleteFolder, renameFolder, locking) keep MailStore's defaults, so a subclass is a store that offers only the
// minimum the interface promises.
#pragma once

#include "store/MailStore.hpp"
#include "store/MemoryStore.hpp"

namespace mailsim::test {

class ForwardingStore : public store::MailStore {
public:
    std::expected<store::MessageInfo, store::StoreError> deliver(const std::string& u, const std::string& f,
                                                                 std::string_view m, std::int64_t d) override {
        return m_inner.deliver(u, f, m, d);
    }
    std::vector<store::MessageInfo> list(const std::string& u, const std::string& f) const override {
        return m_inner.list(u, f);
    }
    std::expected<std::string, store::StoreError> read(const std::string& u, const std::string& f,
                                                 std::uint32_t uid) const override {
        return m_inner.read(u, f, uid);
    }
    std::expected<void, store::StoreError> remove(const std::string& u, const std::string& f, std::uint32_t uid) override {
        return m_inner.remove(u, f, uid);
    }
    std::expected<void, store::StoreError> removeMany(const std::string& u, const std::string& f,
                                                std::span<const std::uint32_t> uids) override {
        return m_inner.removeMany(u, f, uids);
    }
    std::expected<store::MessageInfo, store::StoreError> updateFlags(const std::string& u, const std::string& f,
                                                                     std::uint32_t uid,
                                                                     const store::FlagDelta& d) override {
        return m_inner.updateFlags(u, f, uid, d);
    }
    std::vector<std::string> keywords(const std::string& u, const std::string& f) const override {
        return m_inner.keywords(u, f);
    }
    std::uint64_t highestModSeq(const std::string& u, const std::string& f) const override {
        return m_inner.highestModSeq(u, f);
    }
    std::expected<void, store::StoreError> createFolder(const std::string& u, const std::string& f) override {
        return m_inner.createFolder(u, f);
    }
    std::vector<std::string> listFolders(const std::string& u) const override { return m_inner.listFolders(u); }
    std::uint32_t uidValidity(const std::string& u, const std::string& f) const override {
        return m_inner.uidValidity(u, f);
    }
    std::uint32_t uidNext(const std::string& u, const std::string& f) const override {
        return m_inner.uidNext(u, f);
    }

protected:
    store::MemoryStore m_inner;
};

}  // namespace mailsim::test
