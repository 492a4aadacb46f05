// The delivery journal: a write-ahead log that makes a delivery durable with ONE write to a preallocated file, so
// that an SMTP 250 (or an IMAP APPEND's OK) no longer waits for the Maildir's own three journal commits (the file's
// fsync, new/'s fsync, the UID list's fdatasync). Used by MaildirStore when `enableJournal` was called
// (`mailsim serve` does); MaildirStore.hpp states the store's contract with it, this file the log's own.
//
// The file (<root>/mailsim-journal, preallocated (8 MiB) and written with zeros once, so an overwrite changes no metadata)
//   [0, 4096)      superblock slot A     \ the valid slot with the higher generation wins; each holds the last
//   [4096, 8192)   superblock slot B     / settled sequence number and the offset where unsettled records start
//   [8192, size)   records, a ring: header (magic, seq, payload length, FNV-1a 64 of seq+length+payload), payload
//                  (internal date, the copies: user, folder, Maildir file name; the message as stored, LF), padded to
//                  4 KiB. Written with O_DIRECT|O_DSYNC (O_DSYNC alone where O_DIRECT is refused, e.g. tmpfs): when
//                  `append` returns, the records are on stable storage, and no file-system journal commit was needed.
//
// Contract
// - `append` writes a batch of records in one write and returns only when it is durable. Sequence numbers are
//   consecutive and never reused (they continue after the highest found when the file is opened).
// - Every record comes with the work that settles it (`PendingSync`: message files written without fsync, new/
//   directories and UID lists changed without fsync). A checkpoint (a thread of its own, at most `checkpointMs` after
//   a record was appended or after `checkpointRecords` records; or `settle` in the caller's thread) makes all of it
//   durable (one syncfs of the journal's file system; fsync one by one for what lives elsewhere, and for everything
//   while other programs have much unwritten data, `foreignDirtyLimit`), then writes the
//   superblock: the records up to there are settled and their space may be written again. Records
//   are settled in sequence order only. Space is never reused before the superblock saying so is durable.
// - `open` returns the records appended and not settled (after a crash), in sequence order; a torn record (a crash
//   during its write) ends them. The caller makes each of them whole in the Maildir, then calls `markSettled`.
// - Records larger than `maxPayload()` are refused by `fits`; the caller delivers such messages the fully synced way.
// - When the ring is full (or too many files wait for their fsync), `append` waits for the checkpoint.
// - One process at a time: `open` takes an flock on the file and fails while another process (or another open in
//   this one) holds it; the kernel drops it when the holder dies.
// - Thread-safe. The destructor runs a last checkpoint.
#pragma once

#include "maildir/FileIo.hpp"
#include "maildir/StoreWarning.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace mailsim::store {

struct JournalCopy {
    std::string user, folder, name;  // name: the Maildir base name the copy was (or is to be) stored under
};

struct JournalRecord {
    std::uint64_t seq = 0;  // given by `append`
    std::int64_t internalDate = 0;
    std::vector<JournalCopy> copies;
    std::string disk;  // the message as stored in the Maildir (LF line ends)
};

// What must be fsync'ed before the records it came with are settled.
struct PendingSync {
    std::vector<Fd> files;           // open message files, written without fsync
    std::set<std::string> dirs;      // directories whose entries changed without fsync
    std::set<std::string> dataFiles; // files appended to without fdatasync (UID lists)
};

class DeliveryJournal {
public:
    struct Options {
        std::uint64_t size = 8ull << 20;    // of a new file; an existing one keeps its size
        std::size_t checkpointRecords = 64; // a checkpoint starts once this many records wait ...
        int checkpointMs = 50;              // ... or this long after the oldest waiting one was appended
        std::size_t maxPendingFiles = 512;  // open files waiting for their fsync before `append` waits
        // When the machine holds more dirty page cache than this beyond our own files (another program's writes,
        // /proc/meminfo), a checkpoint fsyncs its files one by one instead of syncfs(2), which would push all of it
        // out first and hold the journal's writes behind it. 0: always one by one.
        std::uint64_t foreignDirtyLimit = 64ull << 20;
    };
    // Opens (or creates) the journal; `unsettled` receives the records a crash left unsettled.
    static std::expected<std::unique_ptr<DeliveryJournal>, StoreError> open(const std::string& path, Options options,
                                                                              std::vector<JournalRecord>& unsettled);
    ~DeliveryJournal();
    DeliveryJournal(const DeliveryJournal&) = delete;
    DeliveryJournal& operator=(const DeliveryJournal&) = delete;

    // Whether a message of this size with this many copies goes through the journal (a quarter of the ring at most).
    bool fits(std::size_t messageBytes, std::size_t copies) const;
    // Gives each record its sequence number, writes them durably, and keeps `sync` for the checkpoint.
    std::expected<void, StoreError> append(std::vector<JournalRecord>& records, PendingSync sync);
    // A checkpoint now, in this thread: everything appended so far is settled when it returns.
    void settle();
    // After replaying the records `open` returned: they are settled.
    std::expected<void, StoreError> markSettled(std::uint64_t seq);
    const std::string& path() const { return m_path; }
    // Counters for tests and the benchmark notes.
    std::uint64_t checkpoints() const;
    // Checkpoints that fsync'ed file by file instead of one syncfs (foreignDirtyLimit, or syncfs failed).
    std::uint64_t checkpointsOneByOne() const { return m_checkpointsOneByOne; }
    bool direct() const { return m_direct; }
    // What went wrong in the checkpoint thread since the last call (a checkpoint that could not make everything
    // durable is retried; nothing is lost), for MaildirStore::takeWarnings: typed, worded by whoever prints it.
    std::vector<StoreWarning> takeWarnings();

private:
    struct Placed {
        std::uint64_t seq = 0, offset = 0, end = 0;
    };
    DeliveryJournal(std::string path, Options options, int fd, bool direct);
    std::expected<void, StoreError> writeSuperblock(std::uint64_t settledSeq, std::uint64_t start);
    std::optional<std::uint64_t> place(std::uint64_t bytes) const;  // under m_mutex
    void checkpoint();
    bool syncWholeFileSystem(const std::vector<PendingSync>& work) const;
    void run();

    std::string m_path;
    Options m_options;
    Fd m_fd;
    bool m_direct = false;
    std::uint64_t m_size = 0;

    mutable std::mutex m_mutex;  // everything below; held during record and superblock writes
    std::condition_variable m_cv;  // the checkpoint thread's wake-up and `append`'s wait for space
    std::uint64_t m_nextSeq = 1, m_head = 0, m_generation = 0, m_settledSeq = 0, m_checkpoints = 0;
    std::deque<Placed> m_placed;   // unsettled records, in sequence order
    std::vector<PendingSync> m_pending;
    std::uint64_t m_pendingSince = 0;  // steady-clock ms of the oldest pending record
    std::size_t m_pendingFiles = 0;
    bool m_wantCheckpoint = false, m_stop = false;
    std::vector<StoreWarning> m_warnings;
    std::mutex m_checkpointMutex;  // one checkpoint at a time
    std::atomic<std::uint64_t> m_checkpointsOneByOne{0};
    std::thread m_thread;
};

}  // namespace mailsim::store
