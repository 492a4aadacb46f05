// The durable mail store: one Maildir per user (https://cr.yp.to/proto/maildir.html), with a per-folder index kept in
// memory, shared by every session that uses this store object, and persisted beside the UID list.
//
// Layout under the root directory
//   <root>/<user-address>/                the user's INBOX, a Maildir: tmp/ new/ cur/
//   <root>/<user-address>/.<Folder>/      any other folder, as a Maildir++ subfolder (same tmp/ new/ cur/)
//   <root>/<user-address>/mailsim-uidvalidity   the last UIDVALIDITY given to any folder of the user
//   <folder>/mailsim-uidlist, mailsim-index, dovecot-keywords, mailsim-uidlist.lock   (formats: MaildirFormat.hpp)
// Messages are stored with LF line ends, as other Maildir programs (Dovecot, mutt, procmail, python's mailbox) write
// them, named "<unique>,S=<disk size>,W=<wire size>" (Dovecot's convention); flags and keywords are the ":2,"
// info letters. Files written by other programs, with LF or CRLF (older mailsim stores), are read as they are.
//
// Contract (in addition to MailStore's)
// - `read` returns CRLF line ends whatever is on disk; `MessageInfo::size` is that size (the W= value when the name
//   has it, else counted from the file once and kept in the index).
// - `deliver` (a batch of one) writes the message to tmp/ (O_EXCL), fsyncs it, renames it into new/, fsyncs new/,
//   then appends its UID to the UID list and fdatasyncs it; `deliverBatch` does the same for many copies with one
//   fsync of each new/ and one UID-list append per folder (group commit, MaildirDeliver.cpp); it returns success only after all of that, so a crash after an SMTP 250 never
//   loses the message or its UID. A crash before the UID is appended leaves the file in new/; the next access gives
//   it the next UID (nothing is lost). Its cost does not depend on the number of messages in the folder.
// - Costs: the index is loaded once per folder and store object; after that every operation costs O(log n) plus, per
//   sync, a few stat(2) calls: new/ and cur/ are read again only when their mtime changed (another program delivered
//   or renamed), the UID list and the index only from the offset read last (other processes append to them). `list`
//   is O(n); FETCH ENVELOPE and SEARCH FROM/TO/CC/BCC/SUBJECT are answered from the index (`MessageInfo::cached`).
//   `snapshot` hands out the same shared list until the folder changes (rebuilt in O(n) after a change), so sessions
//   polling for changes compare pointers. `read` of a message the loaded index knows opens its file by name without
//   the lock or a sync (a Maildir file's content never changes under its name); a name gone stale (renamed or
//   removed by another program) falls back to the locked path, which rescans.
// - The index (mailsim-index) is a cache: missing, damaged or of another UIDVALIDITY, it is rebuilt from the files
//   with a warning and no mail is lost. The UID list is the record of UIDs: damaged, it is rebuilt from the directory
//   with a new UIDVALIDITY (so IMAP clients resynchronise), with a warning naming the file, line and expectation.
// - Locking: every operation holds an exclusive flock(2) on <folder>/mailsim-uidlist.lock while it syncs and changes
//   the folder, so a second process (or a second store object) on the same Maildir never interleaves its appends,
//   renames or flag changes with ours: flag deltas, UID assignment and removals are atomic between processes. flock
//   is released by the kernel when a process dies (no stale locks) but does not work over NFS. A lock held by someone
//   else for more than 10 s gives StoreErrc::Busy. A Maildir where the lock file cannot be created is read-only:
//   reading works, changes fail with StoreErrc::ReadOnly.
// - Known limit: programs that do not take the lock (an MDA writing new/, a mail reader renaming in cur/) are seen
//   through the directories' mtimes; a change within the same kernel timestamp tick as one of our own renames in
//   that directory is noticed at the next change of the directory (or when a read finds the file gone).
// - UIDVALIDITY: strictly increasing per user (max(last + 1, current time)), saved in mailsim-uidvalidity, so a
//   folder deleted and created again, even within one second, never gets a value it had (RFC 3501 2.3.1.1).
// - Keywords: up to 26 per folder (Dovecot's letters a..z, listed in dovecot-keywords); a 27th is TooManyKeywords.
// - MODSEQ: per message in the index, HIGHESTMODSEQ per folder (raised by deliveries, flag changes, expunges, and
//   flag changes and removals made by other programs when noticed). A rebuilt index starts the MODSEQs again above 0
//   (documented limit: a CONDSTORE client must then resynchronise, as after a UIDVALIDITY change). Flag changes
//   another program made while no MaildirStore had the folder open are not noticed as changes (the index does not
//   record the flags themselves), so they get no new MODSEQ; loading a folder never gives MODSEQs away.
// - Expunged UIDs are remembered with the MODSEQ of their expunge ("X <modseq> <uids>" in the index, kept by
//   compaction), for QRESYNC's VANISHED (EARLIER). After the index was rebuilt (or was written by an older mailsim
//   without the UIDs) the expunges up to that point are unknown: `expungedSince` a MODSEQ below it is nullopt.
// - `removeMany` commits by appending "D <base>" lines to the UID list (one write, fdatasync); any reader through a
//   MaildirStore then hides those files and unlinks any that remain, so a crash between the commit and the unlinks
//   is rolled forward. A program listing new/ and cur/ itself sees the files disappear one by one.
// - Hygiene when a folder is first opened: files in tmp/ older than 36 hours (the Maildir rule) and this store's own
//   leftover temporary files (".mailsim-uidlist.tmp.<pid>" ...) are removed.
// - With the delivery journal (`enableJournal`; `mailsim serve` uses it): a delivery is durable when its record is in
//   <root>/mailsim-journal (one O_DSYNC write per batch, DeliveryJournal.hpp); the Maildir steps above run before
//   that write but without their fsyncs, and the journal's checkpoint (within 50 ms, or 64 records) fsyncs the files,
//   new/ and the UID lists, then settles the records. So `deliver` still returns only once the message is durable,
//   and the message, its UID and its index record are visible as soon as it returns. After a crash of the process
//   (kill -9) nothing is lost at all: the page cache holds every step. After a power cut, `enableJournal` replays the
//   unsettled records before anything else: a copy whose file is missing is delivered again under its recorded name
//   (with the next UID), a copy whose file lost its content is rewritten. Its UID is the same unless the power cut
//   also lost the end of the UID list (then the file gets the next UID; names sort in delivery order, so the order is
//   kept). Removing, deleting or renaming a folder settles the journal first, so a removed message never comes back;
//   a file that another program deletes within the checkpoint window before a power cut can. Until the checkpoint,
//   a program reading the Maildir after a power cut (before mailsim replays) may find such a file empty.
// - User names and folder names that could leave the root (containing "/", "..", NUL, or starting with ".") are
//   refused.
#pragma once

#include "maildir/DeliveryJournal.hpp"
#include "maildir/StoreWarning.hpp"
#include "maildir/FileIo.hpp"
#include "store/MailStore.hpp"
#include "store/StoreRequest.hpp"

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mailsim::store {

class MaildirStore final : public MailStore {
public:
    // The root is created (with its parents) on first delivery if it does not exist.
    explicit MaildirStore(std::string root);
    ~MaildirStore() override;

    std::expected<MessageInfo, StoreError> deliver(const std::string& user, const std::string& folder,
                                                   std::string_view message, std::int64_t internalDate) override;
    // Group commit (MaildirDeliver.cpp): every file fsync'ed, then one fsync of each new/ touched and one UID-list
    // append per folder for the whole batch.
    std::vector<std::expected<std::vector<MessageInfo>, DeliveryFailure>> deliverBatch(
        std::span<const DeliveryRequest* const> requests) override;
    std::vector<MessageInfo> list(const std::string& user, const std::string& folder) const override;
    // Kept per folder and rebuilt (O(n)) only after the folder changed: between changes every call returns the same
    // object, so sessions polling for changes compare pointers.
    std::shared_ptr<const FolderSnapshot> snapshot(const std::string& user, const std::string& folder) const override;
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
    std::uint32_t uidValidity(const std::string& user, const std::string& folder) const override;
    std::expected<void, StoreError> deleteFolder(const std::string& user, const std::string& folder) override;
    std::expected<void, StoreError> renameFolder(const std::string& user, const std::string& from,
                                                  const std::string& to) override;
    std::string describe() const override { return "maildir:" + m_root; }

    // The folder's directory (e.g. "<root>/rose@cesoo.com" for INBOX), or an error for an unsafe user/folder name.
    std::expected<std::string, StoreError> folderPath(const std::string& user, const std::string& folder) const;
    // Problems found while reading folders (damaged UID list or index, unreadable file) since the last call; `list`,
    // which cannot fail by interface, reports through here. Typed (StoreWarning.hpp): `mailsim serve` words them in
    // its operator's language. Never waits: while another thread holds the store (a delivery batch), it returns
    // nothing and the warnings wait for the next call.
    std::vector<StoreWarning> takeWarnings();
    // Heap bytes the in-memory index of one folder holds (for the benchmark's bytes-per-message figure).
    std::size_t indexMemoryBytes(const std::string& user, const std::string& folder) const;

    const std::string& root() const { return m_root; }
    // Turns the delivery journal on (<root>/mailsim-journal, created if missing) after replaying what a crash left
    // unsettled in it; returns how many copies the replay had to deliver again or rewrite. Call before any other use.
    std::expected<std::size_t, StoreError> enableJournal(DeliveryJournal::Options options = {});
    DeliveryJournal* journal() const { return m_journal.get(); }
    // How long an operation waits for a folder lock another process holds before failing with Busy (default 10 s).
    void setLockTimeout(int milliseconds) { m_lockTimeoutMs = milliseconds; }

private:
    struct Message {
        std::string fileName;  // current name in new/ or cur/ (base plus any ":2,<info>")
        bool inCur = false;
        bool located = false;  // found in new/ or cur/ by a scan (until then fileName is the UID list's base)
        Flags flags = 0;
        std::uint32_t keywordMask = 0;  // bit i = keyword i of the folder (letter 'a' + i)
        std::uint64_t diskSize = 0, wireSize = 0;
        std::int64_t internalDate = 0;
        std::uint64_t modSeq = 0;
        std::shared_ptr<const CachedFields> cached;  // null until indexed
    };
    static constexpr std::uint64_t kUnknownYet = ~std::uint64_t{0};
    struct Folder {
        std::string user, name, dir;
        FolderLock lock;
        bool loaded = false;
        std::uint32_t uidValidity = 0;  // 0: no UID list yet
        std::uint32_t nextUid = 1;
        std::uint32_t lastListedUid = 0;
        std::uint64_t highestModSeq = 0;
        std::map<std::uint32_t, std::uint64_t> expunged;  // UID -> MODSEQ of its expunge
        // Expunges with a MODSEQ up to this are not known (a rebuilt or old index); kUnknownYet until the rebuilt
        // index is written, when it becomes that moment's HIGHESTMODSEQ.
        std::uint64_t expungesKnownAbove = 0;
        std::map<std::uint32_t, Message> messages;
        std::set<std::string> tombstones;    // removed (D line) but maybe still on disk
        std::vector<std::uint32_t> unindexed;  // messages whose sizes/cache are not known yet
        std::vector<std::string> keywords;   // index = letter - 'a'
        FileStamp uidList, index, keywordFile, newDir, curDir;
        std::uint64_t uidListRead = 0, indexRead = 0;  // bytes consumed
        std::size_t uidListLines = 0, indexLines = 0;  // body lines, to decide when to compact
        bool rescan = false;
        // Bumped by every change to what `list` shows; `snapshot` is rebuilt when it differs from snapshotVersion.
        std::uint64_t version = 0, snapshotVersion = ~std::uint64_t{0};
        std::shared_ptr<const FolderSnapshot> snapshot;
    };
    // A folder, synced and locked for the caller (unlocked when this goes away).
    struct Access {
        Folder* folder = nullptr;
        ~Access();
        Access() = default;
        Access(const Access&) = delete;
        Access& operator=(const Access&) = delete;
        Access(Access&& o) noexcept : folder(std::exchange(o.folder, nullptr)) {}
    };

    std::expected<Access, StoreError> access(const std::string& user, const std::string& folder) const;
    Folder& folderFor(const std::string& user, const std::string& folder, const std::string& dir) const;
    void forget(const std::string& user, const std::string& folder);
    // MaildirSync.cpp: bringing the in-memory index up to date with the disk.
    std::expected<void, StoreError> sync(Folder& f) const;
    std::expected<void, StoreError> fullLoad(Folder& f) const;
    void readUidListTail(Folder& f) const;
    void readIndex(Folder& f, bool whole) const;
    void readKeywords(Folder& f) const;
    std::expected<void, StoreError> scanDirs(Folder& f) const;
    void indexPending(Folder& f) const;
    std::expected<void, StoreError> ensureUidValidity(Folder& f) const;
    std::expected<void, StoreError> appendUidList(Folder& f, std::string_view lines, bool sync = true) const;
    std::string uidListPath(const Folder& f) const;
    void appendIndex(Folder& f, std::string_view lines) const;
    void compact(Folder& f) const;
    void cleanTemporaryFiles(Folder& f) const;
    std::expected<std::uint32_t, StoreError> newUidValidity(const std::string& user) const;
    void noteDirChange(Folder& f, bool cur, const FileStamp& before) const;
    std::string pathOf(const Folder& f, const Message& m) const;
    MessageInfo messageInfo(const Folder& f, std::uint32_t uid, const Message& m) const;
    std::string uniqueName(std::size_t diskSize, std::size_t wireSize) const;
    struct BatchCopy;  // MaildirDeliver.cpp
    void writeTemporary(BatchCopy& c, bool startWriteBack) const;
    void commitFolder(std::span<BatchCopy*> copies, PendingSync* later);
    std::vector<DeliveryResult> deliverGroup(std::span<const DeliveryRequest* const> requests, bool journaled);
    // deliverGroup's steps (MaildirDeliver.cpp has the theory); `requestFailed` marks the requests not to go on with.
    struct PreparedMessage;
    void prepareCopies(std::span<const DeliveryRequest* const> requests, std::vector<PreparedMessage>& prepared,
                       std::vector<BatchCopy>& copies, std::vector<bool>& requestFailed) const;
    void writeCopies(std::vector<BatchCopy>& copies, std::vector<bool>& requestFailed, bool journaled) const;
    void commitCopies(std::span<const DeliveryRequest* const> requests, std::vector<BatchCopy>& copies,
                      std::vector<bool>& requestFailed, bool journaled);
    static std::vector<DeliveryResult> collectResults(std::span<const DeliveryRequest* const> requests,
                                                      std::vector<BatchCopy>& copies,
                                                      const std::vector<bool>& requestFailed);
    void journalBatch(std::span<const DeliveryRequest* const> requests, std::vector<BatchCopy>& copies,
                      std::vector<bool>& requestFailed, PendingSync later);
    // MaildirDeliver.cpp: the replay of one unsettled copy, and settling before a removal.
    std::expected<bool, StoreError> replayCopy(const JournalCopy& copy, const JournalRecord& record);
    void settleJournal() const;

    // Every public operation holds it: `mailsim serve` delivers on a worker thread while its sessions read (a batch's
    // file writes and fsyncs run without it). Recursive: operations call each other.
    mutable std::recursive_mutex m_mutex;
    std::string m_root;
    int m_lockTimeoutMs = 10'000;
    std::string m_host;  // for unique names, with "/" and ":" escaped as the Maildir spec says
    mutable std::map<std::pair<std::string, std::string>, std::unique_ptr<Folder>> m_folders;
    mutable std::vector<StoreWarning> m_warnings;
    std::unique_ptr<DeliveryJournal> m_journal;  // null: every delivery fsyncs before it returns
};

}  // namespace mailsim::store
