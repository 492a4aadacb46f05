#include "maildir/DeliveryJournal.hpp"

#include <algorithm>
#include <atomic>
#include <utility>
#include <cstdio>
#include <optional>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailsim::store {

namespace {

constexpr std::uint64_t kBlock = 4096;
constexpr std::uint64_t kFirstRecord = 2 * kBlock;
constexpr std::uint64_t kRecordMagic = 0x3130524a53534d4dull;  // "MMSSJR01"
constexpr std::uint64_t kSuperMagic = 0x3130534a53534d4dull;   // "MMSSJS01"
constexpr std::size_t kHeader = 32;
constexpr std::size_t kSyncThreads = 8;

std::uint64_t roundUp(std::uint64_t n) { return (n + kBlock - 1) / kBlock * kBlock; }

std::uint64_t fnv(const void* data, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ull) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

std::uint64_t recordHash(std::uint64_t payloadHash, std::uint64_t seq, std::uint64_t length) {
    std::uint64_t both[2] = {seq, length};
    return fnv(both, sizeof both, payloadHash);
}

std::uint64_t steadyMs() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

// A zeroed buffer aligned for O_DIRECT.
struct Aligned {
    explicit Aligned(std::uint64_t bytes)
        : size(bytes), data(static_cast<char*>(std::aligned_alloc(kBlock, bytes)), &std::free) {
        if (data) std::memset(data.get(), 0, bytes);
    }
    std::uint64_t size;
    std::unique_ptr<char, decltype(&std::free)> data;
};

void put64(char* at, std::uint64_t v) { std::memcpy(at, &v, 8); }
std::uint64_t get64(const char* at) {
    std::uint64_t v;
    std::memcpy(&v, at, 8);
    return v;
}

void putString(std::string& out, std::string_view s) {
    auto n = static_cast<std::uint32_t>(s.size());
    out.append(reinterpret_cast<const char*>(&n), 4);
    out.append(s);
}

std::string payloadOf(const JournalRecord& r) {
    std::string out;
    out.reserve(r.disk.size() + 64 + r.copies.size() * 96);
    out.append(reinterpret_cast<const char*>(&r.internalDate), 8);
    auto copies = static_cast<std::uint32_t>(r.copies.size());
    out.append(reinterpret_cast<const char*>(&copies), 4);
    for (const auto& c : r.copies) {
        putString(out, c.user);
        putString(out, c.folder);
        putString(out, c.name);
    }
    std::uint64_t n = r.disk.size();
    out.append(reinterpret_cast<const char*>(&n), 8);
    out.append(r.disk);
    return out;
}

std::optional<JournalRecord> parsePayload(std::string_view p) {
    JournalRecord r;
    auto take = [&p](void* to, std::size_t n) {
        if (p.size() < n) return false;
        std::memcpy(to, p.data(), n);
        p.remove_prefix(n);
        return true;
    };
    auto takeString = [&](std::string& s) {
        std::uint32_t n = 0;
        if (!take(&n, 4) || p.size() < n) return false;
        s.assign(p.substr(0, n));
        p.remove_prefix(n);
        return true;
    };
    std::uint32_t copies = 0;
    if (!take(&r.internalDate, 8) || !take(&copies, 4)) return std::nullopt;
    for (std::uint32_t i = 0; i < copies; ++i) {
        JournalCopy& c = r.copies.emplace_back();
        if (!takeString(c.user) || !takeString(c.folder) || !takeString(c.name)) return std::nullopt;
    }
    std::uint64_t n = 0;
    if (!take(&n, 8) || p.size() != n) return std::nullopt;
    r.disk.assign(p);
    return r;
}

std::string superblockBytes(std::uint64_t generation, std::uint64_t settled, std::uint64_t start) {
    std::string b(40, '\0');
    put64(b.data(), kSuperMagic);
    put64(b.data() + 8, generation);
    put64(b.data() + 16, settled);
    put64(b.data() + 24, start);
    put64(b.data() + 32, fnv(b.data(), 32));
    return b;
}

std::expected<void, StoreError> pwriteAll(int fd, const char* data, std::uint64_t n, std::uint64_t at,
                                          const std::string& path) {
    while (n > 0) {
        ssize_t w = ::pwrite(fd, data, n, static_cast<off_t>(at));
        if (w < 0) {
            if (errno == EINTR) continue;
            return std::unexpected(systemError(StoreStep::Write, path, errno));
        }
        data += w;
        n -= static_cast<std::uint64_t>(w);
        at += static_cast<std::uint64_t>(w);
    }
    return {};
}

std::expected<std::string, StoreError> preadExact(int fd, std::uint64_t n, std::uint64_t at, const std::string& path) {
    std::string out(n, '\0');
    std::uint64_t got = 0;
    while (got < n) {
        ssize_t r = ::pread(fd, out.data() + got, n - got, static_cast<off_t>(at + got));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return std::unexpected(systemError(StoreStep::Read, path, errno));
        if (r == 0) break;
        got += static_cast<std::uint64_t>(r);
    }
    out.resize(got);
    return out;
}

// A new journal: zeros, a superblock, fsync'ed under a temporary name, then renamed into place.
std::expected<void, StoreError> create(const std::string& path, std::uint64_t size) {
    const std::string tmp = path + ".new";
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (fd.get() < 0) return std::unexpected(systemError(StoreStep::Create, tmp, errno));
    std::string chunk(1 << 20, '\0');
    for (std::uint64_t at = 0; at < size; at += chunk.size())
        if (auto r = writeAll(fd.get(), std::string_view(chunk).substr(0, std::min<std::uint64_t>(chunk.size(), size - at)), tmp); !r)
            return r;
    std::string super = superblockBytes(1, 0, kFirstRecord);
    if (auto r = pwriteAll(fd.get(), super.data(), super.size(), 0, tmp); !r) return r;
    if (auto r = fsyncFile(fd.get(), tmp); !r) return r;
    fd.close();
    if (::rename(tmp.c_str(), path.c_str()) != 0) return std::unexpected(systemError(StoreStep::RenameInto, path, errno));
    return fsyncDir(parentOf(path));
}

}  // namespace

DeliveryJournal::DeliveryJournal(std::string path, Options options, int fd, bool direct)
    : m_path(std::move(path)), m_options(options), m_fd(fd), m_direct(direct) {}

std::expected<std::unique_ptr<DeliveryJournal>, StoreError> DeliveryJournal::open(
    const std::string& path, Options options, std::vector<JournalRecord>& unsettled) {
    unsettled.clear();
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT) return std::unexpected(systemError(StoreStep::Stat, path, errno));
        options.size = std::max(roundUp(options.size), kFirstRecord + 16 * kBlock);
        if (auto r = create(path, options.size); !r) return std::unexpected(r.error());
        if (::stat(path.c_str(), &st) != 0) return std::unexpected(systemError(StoreStep::Stat, path, errno));
    }
    const auto size = static_cast<std::uint64_t>(st.st_size) / kBlock * kBlock;
    if (size < kFirstRecord + kBlock) return std::unexpected(storeFault(StoreErrc::Io, StoreStep::JournalTooSmall, path));
    // The writer, locked for this process alone (two servers on one Maildir root would overwrite each other's
    // records: the second one works without the journal). The kernel drops the lock when the process dies.
    const int flags = O_RDWR | O_DSYNC | O_CLOEXEC;
    bool direct = true;
    Fd writer(::open(path.c_str(), flags | O_DIRECT));
    if (writer.get() < 0 && errno == EINVAL) {  // tmpfs and a few others refuse O_DIRECT
        direct = false;
        writer = Fd(::open(path.c_str(), flags));
    }
    if (writer.get() < 0) return std::unexpected(systemError(StoreStep::Open, path, errno));
    if (::flock(writer.get(), LOCK_EX | LOCK_NB) != 0)
        return std::unexpected(errno == EWOULDBLOCK ? storeFault(StoreErrc::Busy, StoreStep::JournalInUse, path)
                                                    : systemError(StoreStep::Lock, path, errno));
    // Recovery reads through the page cache; the records are written with O_DIRECT (see the header).
    Fd reader(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (reader.get() < 0) return std::unexpected(systemError(StoreStep::Open, path, errno));
    std::uint64_t generation = 0, settled = 0, start = kFirstRecord;
    for (std::uint64_t slot = 0; slot < 2; ++slot) {
        auto b = preadExact(reader.get(), 40, slot * kBlock, path);
        if (!b) return std::unexpected(b.error());
        if (b->size() < 40 || get64(b->data()) != kSuperMagic || fnv(b->data(), 32) != get64(b->data() + 32)) continue;
        if (get64(b->data() + 8) > generation) {
            generation = get64(b->data() + 8);
            settled = get64(b->data() + 16);
            start = get64(b->data() + 24);
        }
    }
    if (generation == 0) return std::unexpected(storeFault(StoreErrc::Io, StoreStep::JournalNoSuperblock, path));
    // The unsettled records: consecutive sequence numbers from `start`, wrapping to the first record once.
    std::uint64_t at = start, expect = settled + 1;
    bool wrapped = false;
    std::deque<Placed> placed;
    for (;;) {
        std::optional<JournalRecord> record;
        std::uint64_t length = 0;
        if (at >= kFirstRecord && at + kHeader <= size) {
            auto h = preadExact(reader.get(), kHeader, at, path);
            if (!h) return std::unexpected(h.error());
            length = h->size() == kHeader ? get64(h->data() + 16) : ~0ull;
            if (h->size() == kHeader && get64(h->data()) == kRecordMagic && get64(h->data() + 8) == expect &&
                length <= size - at - kHeader) {
                auto p = preadExact(reader.get(), length, at + kHeader, path);
                if (!p) return std::unexpected(p.error());
                if (recordHash(fnv(p->data(), p->size()), expect, length) == get64(h->data() + 24))
                    record = parsePayload(*p);
            }
        }
        if (!record) {
            if (wrapped || at == kFirstRecord) break;
            wrapped = true;
            at = kFirstRecord;
            continue;
        }
        record->seq = expect++;
        const std::uint64_t end = at + roundUp(kHeader + length);
        placed.push_back({record->seq, at, end});
        unsettled.push_back(std::move(*record));
        at = end;
    }
    std::unique_ptr<DeliveryJournal> j(new DeliveryJournal(path, options, -1, direct));
    j->m_fd = std::move(writer);
    j->m_size = size;
    j->m_generation = generation;
    j->m_settledSeq = settled;
    j->m_nextSeq = expect;
    j->m_placed = std::move(placed);
    j->m_head = j->m_placed.empty() ? start : j->m_placed.back().end;
    if (j->m_head < kFirstRecord || j->m_head >= size) j->m_head = kFirstRecord;
    j->m_thread = std::thread([p = j.get()] { p->run(); });
    return j;
}

DeliveryJournal::~DeliveryJournal() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
    checkpoint();
}

bool DeliveryJournal::fits(std::size_t messageBytes, std::size_t copies) const {
    const std::uint64_t bytes = kHeader + 64 + messageBytes + copies * 1024;  // names are far shorter than 1 KiB
    return roundUp(bytes) <= (m_size - kFirstRecord) / 4;
}

std::optional<std::uint64_t> DeliveryJournal::place(std::uint64_t bytes) const {
    if (m_placed.empty()) {
        if (m_head + bytes <= m_size) return m_head;
        if (kFirstRecord + bytes <= m_size) return kFirstRecord;
        return std::nullopt;
    }
    const Placed& front = m_placed.front();
    const Placed& back = m_placed.back();
    if (back.offset >= front.offset) {  // not wrapped: free after the newest and before the oldest
        if (back.end + bytes <= m_size) return back.end;
        if (kFirstRecord + bytes <= front.offset) return kFirstRecord;
        return std::nullopt;
    }
    if (back.end + bytes <= front.offset) return back.end;  // wrapped: free between the newest and the oldest
    return std::nullopt;
}

std::expected<void, StoreError> DeliveryJournal::append(std::vector<JournalRecord>& records, PendingSync sync) {
    if (records.empty()) return {};
    // Serialised outside the lock; the headers (sequence numbers) are filled in under it.
    std::vector<std::string> payloads;
    std::vector<std::uint64_t> hashes, offsets;
    std::uint64_t total = 0;
    for (const auto& r : records) {
        payloads.push_back(payloadOf(r));
        hashes.push_back(fnv(payloads.back().data(), payloads.back().size()));
        offsets.push_back(total);
        total += roundUp(kHeader + payloads.back().size());
    }
    Aligned buffer(total);
    if (!buffer.data) return std::unexpected(storeFault(StoreErrc::Io, StoreStep::JournalNoMemory));
    for (std::size_t i = 0; i < records.size(); ++i)
        std::memcpy(buffer.data.get() + offsets[i] + kHeader, payloads[i].data(), payloads[i].size());

    std::unique_lock lock(m_mutex);
    std::optional<std::uint64_t> at;
    for (;;) {
        at = place(total);
        if (!at && m_placed.empty())
            return std::unexpected(storeFault(StoreErrc::Io, StoreStep::JournalTooBig, m_path, {}, total));
        if (at && (m_pendingFiles + sync.files.size() <= m_options.maxPendingFiles || m_pending.empty())) break;
        m_wantCheckpoint = true;  // full: wait for the checkpoint to free space
        m_cv.notify_all();
        m_cv.wait(lock);
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        char* h = buffer.data.get() + offsets[i];
        const std::uint64_t seq = m_nextSeq + i;
        put64(h, kRecordMagic);
        put64(h + 8, seq);
        put64(h + 16, payloads[i].size());
        put64(h + 24, recordHash(hashes[i], seq, payloads[i].size()));
    }
    crashPoint();
    if (auto r = pwriteAll(m_fd.get(), buffer.data.get(), total, *at, m_path); !r) return r;
    const bool wasIdle = m_pending.empty();
    for (std::size_t i = 0; i < records.size(); ++i) {
        records[i].seq = m_nextSeq++;
        m_placed.push_back({records[i].seq, *at + offsets[i],
                            *at + offsets[i] + roundUp(kHeader + payloads[i].size())});
    }
    m_head = m_placed.back().end;
    m_pendingFiles += sync.files.size();
    m_pending.push_back(std::move(sync));
    if (wasIdle) m_pendingSince = steadyMs();
    if (wasIdle || m_placed.size() >= m_options.checkpointRecords) m_cv.notify_all();
    return {};
}

std::expected<void, StoreError> DeliveryJournal::writeSuperblock(std::uint64_t settledSeq, std::uint64_t start) {
    Aligned block(kBlock);
    if (!block.data) return std::unexpected(storeFault(StoreErrc::Io, StoreStep::JournalNoMemory));
    const std::uint64_t generation = m_generation + 1;
    std::string b = superblockBytes(generation, settledSeq, start);
    std::memcpy(block.data.get(), b.data(), b.size());
    crashPoint();
    if (auto r = pwriteAll(m_fd.get(), block.data.get(), kBlock, (generation % 2) * kBlock, m_path); !r) return r;
    m_generation = generation;
    return {};
}

namespace {

// The machine's dirty page cache in octets (/proc/meminfo "Dirty:"), or nullopt when it cannot be read.
std::optional<std::uint64_t> systemDirtyOctets() {
    Fd fd(::open("/proc/meminfo", O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return std::nullopt;
    char buf[4096];
    const ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
    if (n <= 0) return std::nullopt;
    buf[n] = '\0';
    const char* at = std::strstr(buf, "\nDirty:");
    if (!at) return std::nullopt;
    return std::strtoull(at + 7, nullptr, 10) * 1024;  // "Dirty:   1234 kB"
}

}  // namespace

// Whether syncfs(2) serves this checkpoint: not while other programs have more than the limit unwritten (a build, a
// copy). syncfs writes back every dirty page of the file system before its flush, and the journal's own O_DSYNC
// writes wait behind that traffic: with 1.5 GB just written by `dd` beside it, one syncfs took 0.87 s and the
// journal writes meanwhile 29-191 ms each instead of 0.12 ms (2026-12-06), where Postfix's fsync of its one file
// was unaffected.
bool DeliveryJournal::syncWholeFileSystem(const std::vector<PendingSync>& work) const {
    if (m_options.foreignDirtyLimit == 0) return false;
    auto dirty = systemDirtyOctets();
    if (!dirty) return true;
    std::uint64_t own = 0;
    for (const auto& w : work)
        for (const auto& f : w.files) {
            struct stat st{};
            if (::fstat(f.get(), &st) == 0) own += static_cast<std::uint64_t>(st.st_size);
        }
    return *dirty <= own + m_options.foreignDirtyLimit;
}

void DeliveryJournal::checkpoint() {
    std::lock_guard one(m_checkpointMutex);
    std::vector<PendingSync> work;
    std::uint64_t upTo = 0;
    {
        std::lock_guard lock(m_mutex);
        work.swap(m_pending);
        m_pendingFiles = 0;
        m_wantCheckpoint = false;
        if (m_placed.empty()) return;
        upTo = m_placed.back().seq;
    }
    // One syncfs(2) of the journal's file system makes every file, directory and UID list on it durable with one
    // cache flush (a file's own fsync also syncs its parent directory on ext4 without a journal: 64 of them took
    // 70-250 ms here, one syncfs 1-3 ms). Whatever lives on another file system (a folder symlinked elsewhere), or
    // everything if syncfs fails or other programs have much unwritten data (syncWholeFileSystem), is fsync'ed one
    // by one, files side by side.
    struct stat journalStat{};
    ::fstat(m_fd.get(), &journalStat);
    crashPoint();
    const bool whole = syncWholeFileSystem(work) && ::syncfs(m_fd.get()) == 0;
    if (!whole) ++m_checkpointsOneByOne;
    auto elsewhere = [&](int fd) {
        struct stat st{};
        return !whole || ::fstat(fd, &st) != 0 || st.st_dev != journalStat.st_dev;
    };
    std::vector<Fd*> files;
    for (auto& w : work)
        for (auto& f : w.files)
            if (elsewhere(f.get())) files.push_back(&f);
    std::atomic<bool> failed{false};
    std::atomic<int> firstErrno{0};  // the first failure's errno, for the warning
    auto fail = [&](int err) {
        int none = 0;
        firstErrno.compare_exchange_strong(none, err);
        failed = true;
    };
    auto syncSome = [&](std::size_t first, std::size_t step) {
        for (std::size_t i = first; i < files.size(); i += step)
            if (auto r = fsyncFile(files[i]->get(), m_path); !r) fail(r.error().sysErrno);
    };
    const std::size_t threads = std::min(files.size(), kSyncThreads);
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(syncSome, t, threads);
    syncSome(0, std::max<std::size_t>(threads, 1));
    for (auto& t : pool) t.join();
    std::set<std::string> dirs, dataFiles;
    for (auto& w : work) {
        dirs.insert(w.dirs.begin(), w.dirs.end());
        dataFiles.insert(w.dataFiles.begin(), w.dataFiles.end());
    }
    for (const auto& d : dirs) {
        Fd fd(::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (fd.get() < 0) fail(errno);
        else if (elsewhere(fd.get()))
            if (auto r = fsyncDir(d); !r) fail(r.error().sysErrno);
    }
    for (const auto& path : dataFiles) {
        Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (fd.get() < 0 || (elsewhere(fd.get()) && ::fdatasync(fd.get()) != 0)) fail(errno);
    }
    if (failed) {
        // Not settled: the records stay (and are replayed at the next start); keep trying with the next checkpoint.
        std::lock_guard lock(m_mutex);
        m_warnings.push_back(fileWarning(systemError(StoreStep::Syncfs, m_path, firstErrno.load()),
                                         StoreWarningKind::JournalNotSettled));
        m_pendingSince = steadyMs();  // the thread tries again after checkpointMs
        for (auto& w : work) {
            m_pendingFiles += w.files.size();
            m_pending.push_back(std::move(w));
        }
        return;
    }
    std::lock_guard lock(m_mutex);
    while (!m_placed.empty() && m_placed.front().seq <= upTo) m_placed.pop_front();
    if (m_placed.empty()) m_head = kFirstRecord;
    const std::uint64_t start = m_placed.empty() ? m_head : m_placed.front().offset;
    if (auto r = writeSuperblock(upTo, start); !r) {
        m_warnings.push_back(fileWarning(r.error(), StoreWarningKind::JournalNotSettled));
        // Space is reused only after a durable superblock: keep the records as placed.
        return;
    }
    m_settledSeq = upTo;
    ++m_checkpoints;
    m_cv.notify_all();
}

void DeliveryJournal::settle() { checkpoint(); }

std::expected<void, StoreError> DeliveryJournal::markSettled(std::uint64_t seq) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_pending.empty()) return std::unexpected(storeFault(StoreErrc::Io, StoreStep::JournalPending));
        while (!m_placed.empty() && m_placed.front().seq <= seq) m_placed.pop_front();
        if (m_placed.empty()) m_head = kFirstRecord;
        if (auto r = writeSuperblock(seq, m_placed.empty() ? m_head : m_placed.front().offset); !r) return r;
        m_settledSeq = seq;
    }
    m_cv.notify_all();
    return {};
}

std::vector<StoreWarning> DeliveryJournal::takeWarnings() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_warnings, {});
}

std::uint64_t DeliveryJournal::checkpoints() const {
    std::lock_guard lock(m_mutex);
    return m_checkpoints;
}

void DeliveryJournal::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_stop) return;
        if (m_pending.empty()) {
            m_cv.wait(lock);
            continue;
        }
        const std::uint64_t now = steadyMs();
        const std::uint64_t due = m_pendingSince + static_cast<std::uint64_t>(m_options.checkpointMs);
        if (m_wantCheckpoint || m_placed.size() >= m_options.checkpointRecords || now >= due) {
            lock.unlock();
            checkpoint();
            lock.lock();
            continue;
        }
        m_cv.wait_for(lock, std::chrono::milliseconds(due - now));
    }
}

}  // namespace mailsim::store
