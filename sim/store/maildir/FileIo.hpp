// File helpers of the store library: the only code of mailsim that reads and writes mail files. POSIX calls with
// their errors turned into typed StoreErrors that name the file and keep the errno, and the durability steps the
// Maildir protocol needs.
//
// Contract
// - `writeFileDurably` leaves either the old file or the whole new one after a crash (temporary file, fsync, rename,
//   fsync of the directory). The temporary file is "<dir>/.<name>.tmp.<pid>": a dot file that Maildir readers skip.
// - `appendDurably` appends whole lines to a log file with one write(2) (O_APPEND) and, when asked, fdatasync; a crash
//   can leave only a last line without its newline, which the readers of those logs ignore. Bytes past `validSize`
//   (such a torn line; the caller holds the log's lock, so nobody is writing them) are cut off first, so the new
//   lines never join a torn one.
// - `FolderLock` is an exclusive flock(2) on a lock file; it excludes other processes and other open file
//   descriptions in this process (so two MaildirStore objects on one Maildir exclude each other too), and is released
//   by the kernel if the holder dies, so a crash never leaves a stale lock. flock does not work across NFS.
// - `crashPoint()` is the fault-injection hook of the crash tests: every step that changes the disk calls it first;
//   when a test armed it with `armCrashAfter(n)`, the n-th call ends the process at once (_exit), as a power cut would
//   between two system calls. Unarmed, it is one comparison.
#pragma once

#include "store/MailStore.hpp"

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace mailsim::store {

// The errors are typed (store/StoreError.hpp: systemError(step, path, errno)), worded where they are shown.

// Closes a file descriptor on scope exit (unless closed before).
class Fd {
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& o) noexcept : m_fd(o.m_fd) { o.m_fd = -1; }
    Fd& operator=(Fd&& o) noexcept;
    ~Fd();
    int get() const { return m_fd; }
    // Closes now and reports close(2)'s result (a late write error may surface only here).
    int close();

private:
    int m_fd;
};

std::string parentOf(const std::string& path);
std::expected<void, StoreError> fsyncDir(const std::string& dir);
// fsync(2) of an open file, counted in syncStats().
std::expected<void, StoreError> fsyncFile(int fd, const std::string& path);
// How many fsyncs this process made so far, by kind (files, directories, appended logs), for the group-commit tests
// and the benchmarks. Thread-safe.
struct SyncStats {
    std::uint64_t files = 0, dirs = 0, logs = 0;
};
SyncStats syncStats();
// mkdir -p with 0700; each directory created is made durable by fsyncing its parent.
std::expected<void, StoreError> makeDirs(const std::string& path);
std::expected<void, StoreError> writeAll(int fd, std::string_view data, const std::string& path);
// The whole file; `openErrno` (when given) receives errno of a failed open ("missing" vs "unreadable").
std::expected<std::string, StoreError> readFile(const std::string& path, int* openErrno = nullptr);
// Bytes [offset, end) of a file.
std::expected<std::string, StoreError> readFrom(const std::string& path, std::uint64_t offset);

std::expected<void, StoreError> writeFileDurably(const std::string& path, std::string_view data, unsigned mode = 0600);
std::expected<void, StoreError> appendDurably(const std::string& path, std::string_view lines, bool sync,
                                              std::uint64_t validSize);

// Modification time in nanoseconds and identity of a file or directory; `exists` false when stat failed.
struct FileStamp {
    bool exists = false;
    std::uint64_t dev = 0, ino = 0, size = 0;
    std::int64_t mtimeNs = 0;
    bool operator==(const FileStamp&) const = default;
};
FileStamp stampOf(const std::string& path);

class FolderLock {
public:
    FolderLock() = default;
    // Opens (creating) the lock file. A lock file that cannot be created (read-only Maildir) leaves the lock unusable:
    // `usable()` is false and `acquire` succeeds without locking, so readers still work.
    explicit FolderLock(std::string path);
    bool usable() const { return m_fd.get() >= 0; }
    // Waits up to `timeoutMs` for the lock; Busy after that.
    std::expected<void, StoreError> acquire(int timeoutMs = 10'000);
    void release();
    bool held() const { return m_held; }

private:
    std::string m_path;
    Fd m_fd;
    bool m_held = false;
};

void armCrashAfter(int steps);
void crashPoint();

}  // namespace mailsim::store
