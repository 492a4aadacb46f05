// The mail store interface: where accepted mail lives.
//
// Contract
// - `deliver` is durable when it returns a value: for the Maildir store the message is fsync'ed in tmp/, renamed into
//   new/ and the directory fsync'ed (the Maildir protocol), so an SMTP server may answer 250 only after it returns.
//   On error nothing is left in any mailbox (a partial file may remain only in tmp/, which readers never see).
// - Mailboxes are keyed by the user's canonical address (lower-case, e.g. "rose@cesoo.com"); folders by name,
//   "INBOX" being the one every user has.
// - UIDs are assigned in delivery order per folder, starting at 1 (RFC 3501 2.3.1.1 semantics); the Maildir store
//   keeps them, with a UIDVALIDITY, across restarts (see MaildirStore.hpp).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::store {

struct MessageInfo {
    std::uint32_t uid = 0;
    std::uint64_t size = 0;       // octets as stored (CRLF line endings)
    std::int64_t internalDate = 0; // microseconds (virtual or wall clock)
    std::string storageId;        // e.g. the Maildir file name; unique within the folder
};

class MailStore {
public:
    virtual ~MailStore() = default;

    virtual std::expected<MessageInfo, std::string> deliver(const std::string& user, const std::string& folder,
                                                            std::string_view message, std::int64_t internalDate) = 0;
    virtual std::vector<MessageInfo> list(const std::string& user, const std::string& folder) const = 0;
    virtual std::expected<std::string, std::string> read(const std::string& user, const std::string& folder,
                                                         std::uint32_t uid) const = 0;
    // Removes one message (POP3 UPDATE, IMAP EXPUNGE, and rolling back a delivery that failed for another
    // recipient of the same message, so a refused message leaves no trace).
    virtual std::expected<void, std::string> remove(const std::string& user, const std::string& folder,
                                                    std::uint32_t uid) = 0;
    // Human-readable description, e.g. "memory" or "maildir:/tmp/mail".
    virtual std::string describe() const = 0;
};

}  // namespace mailsim::store
