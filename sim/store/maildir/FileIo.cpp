#include "maildir/FileIo.hpp"

#include <atomic>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>
#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailsim::store {

namespace {
std::atomic<int> g_crashCountdown{0};  // atomic: a delivery batch fsyncs its files on several threads
}

void armCrashAfter(int steps) { g_crashCountdown = steps; }

void crashPoint() {
    if (g_crashCountdown.load(std::memory_order_relaxed) > 0 && --g_crashCountdown == 0) ::_exit(77);
}

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = std::exchange(o.m_fd, -1);
    }
    return *this;
}

Fd::~Fd() {
    if (m_fd >= 0) ::close(m_fd);
}

int Fd::close() { return m_fd < 0 ? 0 : ::close(std::exchange(m_fd, -1)); }

std::string parentOf(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

namespace {
std::atomic<std::uint64_t> g_fileSyncs{0}, g_dirSyncs{0}, g_logSyncs{0};
}  // namespace

SyncStats syncStats() { return {g_fileSyncs.load(), g_dirSyncs.load(), g_logSyncs.load()}; }

std::expected<void, StoreError> fsyncFile(int fd, const std::string& path) {
    crashPoint();
    ++g_fileSyncs;
    if (::fsync(fd) != 0) return std::unexpected(systemError(StoreStep::Fsync, path, errno));
    return {};
}

std::expected<void, StoreError> fsyncDir(const std::string& dir) {
    crashPoint();
    ++g_dirSyncs;
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return std::unexpected(systemError(StoreStep::OpenDir, dir, errno));
    if (::fsync(fd.get()) != 0) return std::unexpected(systemError(StoreStep::FsyncDir, dir, errno));
    return {};
}

std::expected<void, StoreError> makeDirs(const std::string& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) return {};
        return std::unexpected(systemError(StoreStep::Use, path, ENOTDIR));
    }
    if (errno != ENOENT) return std::unexpected(systemError(StoreStep::Stat, path, errno));
    std::string parent = parentOf(path);
    if (parent != path)
        if (auto r = makeDirs(parent); !r) return r;
    crashPoint();
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
        return std::unexpected(systemError(StoreStep::Create, path, errno));
    return fsyncDir(parent);
}

std::expected<void, StoreError> writeAll(int fd, std::string_view data, const std::string& path) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::unexpected(systemError(StoreStep::Write, path, errno));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

std::expected<std::string, StoreError> readFrom(const std::string& path, std::uint64_t offset) {
    // O_NOATIME: reading a message must not dirty its inode (with relatime the first read after delivery would), or
    // indexing 100,000 messages leaves 100,000 inodes for the next write-back (the journal's checkpoint syncfs) to
    // write. Refused (EPERM) for files of another owner: then the plain open.
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOATIME));
    if (fd.get() < 0 && errno == EPERM) fd = Fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return std::unexpected(systemError(StoreStep::Open, path, errno));
    std::string out;
    struct stat st{};
    if (::fstat(fd.get(), &st) == 0 && static_cast<std::uint64_t>(st.st_size) > offset)
        out.reserve(static_cast<std::size_t>(static_cast<std::uint64_t>(st.st_size) - offset));
    char buf[65536];
    auto pos = static_cast<off_t>(offset);
    for (;;) {
        ssize_t n = ::pread(fd.get(), buf, sizeof buf, pos);
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::unexpected(systemError(StoreStep::Read, path, errno));
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
        pos += n;
    }
    return out;
}

std::expected<std::string, StoreError> readFile(const std::string& path, int* openErrno) {
    auto r = readFrom(path, 0);
    if (!r && openErrno) *openErrno = r.error().code == StoreErrc::NotFound ? ENOENT : EIO;
    return r;
}

std::expected<void, StoreError> writeFileDurably(const std::string& path, std::string_view text, unsigned mode) {
    const std::string dir = parentOf(path);
    const std::string tmp = fmt::format("{}/.{}.tmp.{}", dir, path.substr(path.find_last_of('/') + 1), ::getpid());
    {
        crashPoint();
        Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode)));
        if (fd.get() < 0) return std::unexpected(systemError(StoreStep::Create, tmp, errno));
        auto fail = [&](StoreError e) {
            fd.close();
            ::unlink(tmp.c_str());
            return std::unexpected(std::move(e));
        };
        if (auto r = writeAll(fd.get(), text, tmp); !r) return fail(r.error());
        crashPoint();
        if (::fsync(fd.get()) != 0) return fail(systemError(StoreStep::Fsync, tmp, errno));
        if (fd.close() != 0) return fail(systemError(StoreStep::Close, tmp, errno));
    }
    crashPoint();
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto msg = systemError(StoreStep::RenameIntoPlace, path, errno);
        ::unlink(tmp.c_str());
        return std::unexpected(msg);
    }
    if (auto r = fsyncDir(dir); !r) return std::unexpected(r.error());
    return {};
}

std::expected<void, StoreError> appendDurably(const std::string& path, std::string_view lines, bool sync,
                                              std::uint64_t validSize) {
    crashPoint();
    Fd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0) return std::unexpected(systemError(StoreStep::Open, path, errno));
    struct stat st{};
    if (::fstat(fd.get(), &st) == 0 && static_cast<std::uint64_t>(st.st_size) > validSize &&
        ::ftruncate(fd.get(), static_cast<off_t>(validSize)) != 0)
        return std::unexpected(systemError(StoreStep::Truncate, path, errno));
    if (auto r = writeAll(fd.get(), lines, path); !r) return r;
    if (sync) {
        crashPoint();
        ++g_logSyncs;
        if (::fdatasync(fd.get()) != 0) return std::unexpected(systemError(StoreStep::Fsync, path, errno));
    }
    if (fd.close() != 0) return std::unexpected(systemError(StoreStep::Close, path, errno));
    return {};
}

FileStamp stampOf(const std::string& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return {};
    return FileStamp{true, static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                     static_cast<std::uint64_t>(st.st_size),
                     static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

FolderLock::FolderLock(std::string path) : m_path(std::move(path)) {
    m_fd = Fd(::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (m_fd.get() < 0) m_fd = Fd(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));  // read-only Maildir, lock exists
}

std::expected<void, StoreError> FolderLock::acquire(int timeoutMs) {
    if (m_held || m_fd.get() < 0) return {};
    for (int waited = 0;; ++waited) {
        if (::flock(m_fd.get(), LOCK_EX | LOCK_NB) == 0) {
            m_held = true;
            return {};
        }
        if (errno != EWOULDBLOCK && errno != EINTR) return std::unexpected(systemError(StoreStep::Lock, m_path, errno));
        if (waited >= timeoutMs)
            return std::unexpected(storeFault(StoreErrc::Busy, StoreStep::LockTimeout, m_path, {},
                                              static_cast<std::uint64_t>(timeoutMs)));
        timespec ms{0, 1'000'000};
        ::nanosleep(&ms, nullptr);
    }
}

void FolderLock::release() {
    if (!m_held) return;
    ::flock(m_fd.get(), LOCK_UN);
    m_held = false;
}

}  // namespace mailsim::store
