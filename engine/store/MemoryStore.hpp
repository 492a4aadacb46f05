// In-memory mail store: what the simulator uses by default. Not durable by design (a simulated crash loses it).
#pragma once

#include "store/MailStore.hpp"

#include <map>

namespace mailsim::store {

class MemoryStore final : public MailStore {
public:
    std::expected<MessageInfo, std::string> deliver(const std::string& user, const std::string& folder,
                                                    std::string_view message, std::int64_t internalDate) override;
    std::vector<MessageInfo> list(const std::string& user, const std::string& folder) const override;
    std::expected<std::string, std::string> read(const std::string& user, const std::string& folder,
                                                 std::uint32_t uid) const override;
    std::expected<void, std::string> remove(const std::string& user, const std::string& folder,
                                            std::uint32_t uid) override;
    std::string describe() const override { return "memory"; }

private:
    struct Stored {
        MessageInfo info;
        std::string bytes;
    };
    struct Folder {
        std::uint32_t nextUid = 1;
        std::vector<Stored> messages;
    };
    std::map<std::pair<std::string, std::string>, Folder> m_folders;
};

}  // namespace mailsim::store
