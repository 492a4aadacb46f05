// The mail store interface: where accepted mail lives. Every protocol session (SMTP delivery, POP3, later IMAP) reads
// and writes mail only through it, and holds no copy of the store's state that another session could change behind
// its back: the store is the single source of truth, so several sessions on one mailbox see each other's changes.
//
// Contract
// - `deliver` is durable when it returns a value: for the Maildir store the message is fsync'ed in tmp/, renamed into
//   new/ and the directory fsync'ed (the Maildir protocol), so an SMTP server may answer 250 only after it returns.
//   On error nothing is left in any mailbox (a partial file may remain only in tmp/, which readers never see).
// - Mailboxes are keyed by the user's canonical address (lower-case, e.g. "rose@cesoo.com"); folders by name.
//   "INBOX" is the folder every user has: it exists without being created and is always listed first.
// - UIDs are assigned in delivery order per folder, starting at 1, and never reused within one UIDVALIDITY (RFC 3501
//   2.3.1.1 semantics); the Maildir store keeps them, with the UIDVALIDITY, across restarts (see MaildirStore.hpp).
// - Every message has flags (RFC 3501 2.3.2's system flags \Seen \Answered \Flagged \Deleted \Draft; \Recent is a
//   session property, not stored) and an internal date (microseconds, given at delivery: the time the server got it).
// - `removeMany` is all-or-nothing as seen through this interface: either every named message is gone or (on error)
//   none is. For the memory store that is trivially so. For the Maildir store the commit point is one atomic rename
//   of the UID list that records the removal; see MaildirStore.hpp for exactly what a crash can leave behind.
// - The maildrop lock (`tryLock`/`unlock`, RFC 1939 8 "exclusive-access lock") is advisory and per process: a POP3
//   session takes it on login and gives it back when it ends; a second session for the same user is refused while it
//   is held. Deliveries and readers do not take it (RFC 1939 lets new mail arrive during a session).
// - Flags change only through `updateFlags`, a delta (add, remove or replace) that the store applies to the message's
//   CURRENT flags in one step under the folder's lock, and that returns the flags that result. A session never writes
//   back a copy it cached, so two sessions storing +FLAGS and -FLAGS on one message never undo each other (no lost
//   update). Keywords (RFC 3501 2.3.2 custom flags, e.g. "$Junk") are stored like system flags, persistently.
// - Sizes: `MessageInfo::size` is the message's size on the wire, with CRLF line ends: what IMAP RFC822.SIZE and POP3
//   LIST/STAT announce, and exactly the length of what `read` returns (`read` always gives CRLF line ends, whatever
//   the store keeps on disk).
// - MODSEQ (RFC 7162 3.1): every message has one, and the folder a HIGHESTMODSEQ; each delivery, each flag change
//   that changes something and each expunge takes the next value, so a client can ask "what changed since N"
//   (CONDSTORE). A folder that exists has a HIGHESTMODSEQ of at least 1 (RFC 7162 7: mod-sequence values are
//   positive), so its first change gets 2. Expunged UIDs are remembered with the MODSEQ of their expunge
//   (`expungedSince`), which QRESYNC's VANISHED (EARLIER) needs (RFC 7162 3.2.5.2).
// - Errors are typed (`StoreError`, store/StoreError.hpp): a code where a protocol must choose its answer from it
//   (`deliver`: SMTP 452 for NoSpace, 450 for Busy, 451 otherwise; `updateFlags`: IMAP NO for ReadOnly), and what
//   failed as data, so the trace words it per language; `text()` is the English the wire replies quote.
#pragma once

#include "store/StoreError.hpp"

#include <array>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::store {

struct DeliveryRequest;
struct DeliveryFailure;

// System flags (RFC 3501 2.3.2) as a bit set.
enum Flag : std::uint8_t {
    kSeen = 1 << 0,
    kAnswered = 1 << 1,
    kFlagged = 1 << 2,
    kDeleted = 1 << 3,
    kDraft = 1 << 4,
};
using Flags = std::uint8_t;
inline constexpr Flags kAllFlags = kSeen | kAnswered | kFlagged | kDeleted | kDraft;

// "\Seen \Deleted" (IMAP spelling, in bit order); "" for none.
std::string flagsToString(Flags flags);

// A flag change as a delta (RFC 3501 6.4.6 STORE FLAGS / +FLAGS / -FLAGS), applied by the store to the current flags.
// Replace sets both the system flags and the keywords to exactly these.
struct FlagDelta {
    enum class Op : std::uint8_t { Add, Remove, Replace };
    Op op = Op::Add;
    Flags flags = 0;
    std::vector<std::string> keywords;  // RFC 3501 flag-keyword atoms (no backslash), e.g. "$Junk", "Work"
};

// Fields that FETCH ENVELOPE and SEARCH FROM/TO/CC/BCC/SUBJECT need, computed once from the message (a store with an
// index keeps them, so those commands do not read and parse every message again). The six values are kept back to
// back in one buffer, so a message's cache is one allocation plus the shared block (the index keeps one per message:
// issue #16 asks for under 1 KiB per message in all).
class CachedFields {
public:
    enum Field : std::uint8_t { Envelope, From, To, Cc, Bcc, Subject };
    static constexpr std::size_t kFields = 6;
    CachedFields() = default;
    // The values in Field order. Envelope: the RFC 3501 7.4.2 ENVELOPE string, exactly as message::imapEnvelope gives
    // it. The others: each field of that name, its encoded words decoded (RFC 2047), each occurrence preceded by '\0'
    // (so an empty value means "no such field", "\0" a field with an empty value, and no needle can match across two
    // fields).
    explicit CachedFields(const std::array<std::string_view, kFields>& values);
    std::string_view get(Field f) const {
        return std::string_view(m_data).substr(f ? m_end[f - 1] : 0, m_end[f] - (f ? m_end[f - 1] : 0));
    }
    std::string_view envelope() const { return get(Envelope); }
    // The decoded values of the named field (case-insensitive FROM/TO/CC/BCC/SUBJECT), or nullopt for any other name.
    std::optional<std::string_view> header(std::string_view name) const;
    // Heap bytes held (for the index's memory figure).
    std::size_t heapBytes() const { return m_data.capacity() > 15 ? m_data.capacity() + 1 : 0; }

private:
    std::string m_data;
    std::array<std::uint32_t, kFields> m_end{};
};
// True for an RFC 3501 flag-keyword: an atom (no space, control, "(){%*\\]) of at most 128 octets.
bool isValidKeyword(std::string_view keyword);
// Keywords compare case-insensitively (RFC 3501 2.3.2 leaves case to servers; Dovecot and Cyrus ignore it).
bool sameKeyword(std::string_view a, std::string_view b);
// Applies `delta` to (flags, keywords); true when anything changed. Added keywords go at the end, in delta order.
bool applyFlagDelta(const FlagDelta& delta, Flags& flags, std::vector<std::string>& keywords);

// Computes the cached fields from a message's bytes (any line ends).
std::shared_ptr<const CachedFields> computeCachedFields(std::string_view message);

struct MessageInfo {
    std::uint32_t uid = 0;
    std::uint64_t size = 0;        // octets on the wire, CRLF line ends (RFC822.SIZE, POP3 octets) = read().size()
    std::int64_t internalDate = 0; // microseconds (virtual or wall clock)
    std::string storageId;         // e.g. the Maildir file name's base; unique within the folder
    Flags flags = 0;
    std::vector<std::string> keywords;  // custom flags, in the order the folder defined them
    std::uint64_t modSeq = 0;      // RFC 7162 mod-sequence of the last change to this message
    std::shared_ptr<const CachedFields> cached;  // null when the store keeps no cache (compute on demand)
};

// A folder's messages as one immutable object (`MailStore::snapshot`), with the figures that SELECT and a POP3 login
// announce computed once, when the store builds it: a session that takes the snapshot does not walk the messages.
struct FolderSnapshot {
    std::vector<MessageInfo> messages;  // in UID order
    std::size_t firstUnseen = 0;        // sequence number (1-based) of the first message without \Seen; 0: none
    std::uint64_t octets = 0;           // the sum of the messages' sizes (POP3 STAT, the login's maildrop listing)

    // The snapshot of `messages` (in UID order) with its figures.
    static std::shared_ptr<const FolderSnapshot> make(std::vector<MessageInfo> messages);
};

class MailStore {
public:
    virtual ~MailStore() = default;

    // `message` may have any line ends; the store serves it with CRLF (see `read`). On error nothing was delivered.
    virtual std::expected<MessageInfo, StoreError> deliver(const std::string& user, const std::string& folder,
                                                           std::string_view message, std::int64_t internalDate) = 0;
    // Runs several all-or-nothing delivery requests (store/StoreRequest.hpp), one result per request in order. The
    // results are those of running them one by one; a store may share work between them (the Maildir store's group
    // commit: one fsync per directory touched for the whole batch). The default runs them one by one.
    virtual std::vector<std::expected<std::vector<MessageInfo>, DeliveryFailure>> deliverBatch(
        std::span<const DeliveryRequest* const> requests);
    // The folder's messages in UID order (empty for a folder that does not exist).
    virtual std::vector<MessageInfo> list(const std::string& user, const std::string& folder) const = 0;
    // The same list as an immutable shared object, with its figures (FolderSnapshot). A store with an index
    // (MaildirStore) hands out the SAME object until something in the folder changes (a delivery, a flag change, an
    // expunge, a change another program made), so a session that keeps the last snapshot it saw learns "nothing
    // changed" by comparing pointers, in O(1), and SELECT, a POP3 login and commands over all messages use it without
    // copying. The default makes a new object per call (from `list`).
    virtual std::shared_ptr<const FolderSnapshot> snapshot(const std::string& user, const std::string& folder) const;
    virtual std::expected<std::string, StoreError> read(const std::string& user, const std::string& folder,
                                                         std::uint32_t uid) const = 0;
    // Removes one message (IMAP EXPUNGE of one, and rolling back a delivery that failed for another recipient of the
    // same message, so a refused message leaves no trace).
    virtual std::expected<void, StoreError> remove(const std::string& user, const std::string& folder,
                                                    std::uint32_t uid) = 0;
    // Removes several messages at once, all or nothing (POP3 UPDATE, RFC 1939 6). A UID that is not in the folder
    // is an error and nothing is removed.
    virtual std::expected<void, StoreError> removeMany(const std::string& user, const std::string& folder,
                                                        std::span<const std::uint32_t> uids) = 0;
    // Applies a flag delta to one message's current flags, atomically with respect to every other session and
    // process using the store (see the contract above), and returns the message as it is afterwards. When nothing
    // changes, nothing is written and the MODSEQ stays. Errors: NotFound (expunged meanwhile), ReadOnly, Invalid (a
    // keyword that is not an atom), TooManyKeywords, Busy, Io.
    virtual std::expected<MessageInfo, StoreError> updateFlags(const std::string& user, const std::string& folder,
                                                               std::uint32_t uid, const FlagDelta& delta) = 0;
    // Shorthand for updateFlags with Replace and no keywords; for setting up a fresh copy (APPEND, COPY) and tests.
    // A session changing flags a client asked for must send the delta instead.
    std::expected<void, StoreError> setFlags(const std::string& user, const std::string& folder, std::uint32_t uid,
                                              Flags flags);
    // The keywords defined in the folder (what IMAP lists in FLAGS), in definition order.
    virtual std::vector<std::string> keywords(const std::string& user, const std::string& folder) const = 0;
    // The folder's HIGHESTMODSEQ (RFC 7162 3.1.2.1): the largest MODSEQ any change in it got; 0 for an empty folder
    // that has never changed.
    virtual std::uint64_t highestModSeq(const std::string& user, const std::string& folder) const = 0;
    // The UIDs expunged from the folder (in this UIDVALIDITY) by a change with a MODSEQ above `sinceModSeq`, in
    // ascending order (RFC 7162 3.2.5.2, 3.2.6). nullopt when the store cannot tell for that MODSEQ (it does not
    // remember expunges, or not that far back): the caller must then treat any UID it cannot see as expunged.
    virtual std::optional<std::vector<std::uint32_t>> expungedSince(const std::string& user, const std::string& folder,
                                                                    std::uint64_t sinceModSeq) const;

    // Folders. Creating one that exists (or INBOX) succeeds and changes nothing.
    virtual std::expected<void, StoreError> createFolder(const std::string& user, const std::string& folder) = 0;
    // INBOX first, then the others by name.
    virtual std::vector<std::string> listFolders(const std::string& user) const = 0;
    // The folder's UIDVALIDITY (RFC 3501 2.3.1.1); 0 while the folder has never held a message nor been created.
    virtual std::uint32_t uidValidity(const std::string& user, const std::string& folder) const = 0;
    // The UID the next message delivered to the folder will get (RFC 3501 2.3.1.1 "next unique identifier value"):
    // greater than every UID the folder ever held in this UIDVALIDITY, kept across restarts by durable stores.
    // The default (for stores that do not track it) is one more than the highest UID present.
    virtual std::uint32_t uidNext(const std::string& user, const std::string& folder) const;
    // Removes a folder and every message in it (IMAP DELETE, RFC 3501 6.3.4). INBOX cannot be deleted; a folder
    // that does not exist is an error. Its UIDVALIDITY is not reused if a folder of that name is created again.
    virtual std::expected<void, StoreError> deleteFolder(const std::string& user, const std::string& folder);
    // Renames a folder with its messages, UIDs and UIDVALIDITY (IMAP RENAME, RFC 3501 6.3.5). Only that folder:
    // the caller renames the folders below it in the hierarchy. `to` must not exist; INBOX is not renamed here
    // (IMAP's RENAME INBOX moves the messages, which the caller does with deliver/remove).
    virtual std::expected<void, StoreError> renameFolder(const std::string& user, const std::string& from,
                                                          const std::string& to);

    // Human-readable description, e.g. "memory" or "maildir:/tmp/mail".
    virtual std::string describe() const = 0;

    // The maildrop lock: true when it was free and is now held by the caller; false when it is already held.
    virtual bool tryLock(const std::string& user) { return m_locked.insert(user).second; }
    virtual void unlock(const std::string& user) { m_locked.erase(user); }
    bool isLocked(const std::string& user) const { return m_locked.contains(user); }

private:
    std::set<std::string> m_locked;
};

}  // namespace mailsim::store
