// MaildirStore, part 3: delivery, one message or a batch of them with group commit.
//
// A batch goes in three steps (the Maildir protocol, https://cr.yp.to/proto/maildir.html, for each copy):
//   1. Without the store's lock: every copy is written to tmp/<unique> (O_EXCL), dated, and fsync'ed. Write-back of
//      all of them is started first (sync_file_range), and the fsyncs run on up to 8 threads at once, so they wait
//      for I/O already running and share the file system's journal commits.
//   2. Per folder touched, under its lock: every copy is renamed into new/, then new/ is fsync'ed ONCE, then the UIDs
//      of all of them are appended to the UID list in one write and ONE fdatasync, and the index records in one
//      write. A copy is durable (file and its new/ entry on disk) only after that directory fsync; its delivery
//      returns success only after the UID list is durable too.
//   3. Per request, all or nothing: if any copy of a request failed, its other copies are removed again.
// With one request of one copy this is exactly the single delivery MaildirStore.hpp describes.
#include "maildir/MaildirStore.hpp"

#include "maildir/MaildirFormat.hpp"
#include "store/StoreRequest.hpp"
#include "util/Lines.hpp"

#include <atomic>
#include <cerrno>
#include <ctime>
#include <map>
#include <thread>
#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailsim::store {

using namespace maildir;

namespace {

std::atomic<std::uint64_t> g_deliveryCounter{0};
constexpr std::size_t kSyncThreads = 8;  // concurrent file fsyncs in one batch  // process-wide, so two stores on one root never produce the same name

}  // namespace

// One copy of one request's message, through the steps above.
struct MaildirStore::BatchCopy {
    std::size_t request = 0, target = 0;
    std::string user, folder, dir, name, tmpPath;
    const std::string* disk = nullptr;
    std::size_t wireSize = 0;
    std::shared_ptr<const CachedFields> cached;
    std::int64_t internalDate = 0;
    std::int64_t mtime = 0;
    Fd fd;
    bool renamed = false;
    std::optional<StoreError> error;
    MessageInfo info;
};

namespace {

int setDate(int fd, std::int64_t internalDate) {
    // The internal date (IMAP INTERNALDATE) is the file's mtime, as in other Maildir servers; atime now, since tmp/
    // hygiene goes by the latest of atime and mtime.
    timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_NOW;
    times[1].tv_sec = internalDate / 1'000'000;
    times[1].tv_nsec = (internalDate % 1'000'000) * 1000;
    return ::futimens(fd, times);
}

}  // namespace

std::string MaildirStore::uniqueName(std::size_t diskSize, std::size_t wireSize) const {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    // Microseconds and the counter are zero-padded so that, within one process, names sort in delivery order (UIDs
    // for files found without a UID-list entry are assigned in name order).
    return fmt::format("{}.M{:06}P{}Q{:08}.{},S={},W={}", ts.tv_sec, ts.tv_nsec / 1000, ::getpid(), ++g_deliveryCounter,
                       m_host, diskSize, wireSize);
}

std::expected<MessageInfo, StoreError> MaildirStore::deliver(const std::string& user, const std::string& folder,
                                                             std::string_view message, std::int64_t internalDate) {
    DeliveryRequest request{{{user, folder}}, std::string(message), internalDate};
    const DeliveryRequest* one = &request;
    auto results = deliverBatch(std::span<const DeliveryRequest* const>(&one, 1));
    if (!results.front()) return std::unexpected(std::move(results.front().error().error));
    return std::move(results.front()->front());
}

// Step 1 for one copy: tmp/<unique>, written and dated; the fd stays open for the fsync.
void MaildirStore::writeTemporary(BatchCopy& c) const {
    for (int attempt = 0; attempt < 5 && c.fd.get() < 0; ++attempt) {
        c.name = uniqueName(c.disk->size(), c.wireSize);
        c.tmpPath = c.dir + "/tmp/" + c.name;
        crashPoint();
        c.fd = Fd(::open(c.tmpPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (c.fd.get() < 0 && errno != EEXIST) break;
    }
    if (c.fd.get() < 0) {
        c.error = storeError("cannot create", c.tmpPath, errno);
        return;
    }
    if (auto r = writeAll(c.fd.get(), *c.disk, c.tmpPath); !r) {
        c.error = r.error();
        return;
    }
    if (c.internalDate > 0 && setDate(c.fd.get(), c.internalDate) != 0) {
        c.error = storeError("cannot set the date of", c.tmpPath, errno);
        return;
    }
    struct stat st{};
    ::fstat(c.fd.get(), &st);
    c.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000 + st.st_mtim.tv_nsec / 1000;
    // Start write-back now; the fsync comes once every copy is written (they then share journal commits).
    (void)::sync_file_range(c.fd.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
}

// Step 2 for the copies of one folder (all without error so far), under the folder's lock.
void MaildirStore::commitFolder(std::span<BatchCopy*> copies) {
    BatchCopy& first = *copies.front();
    auto failAll = [&](const StoreError& e) {
        for (BatchCopy* c : copies)
            if (!c->error) c->error = e;
    };
    auto a = access(first.user, first.folder);
    if (!a) return failAll(a.error());
    Folder& f = *a->folder;
    if (auto r = ensureUidValidity(f); !r) return failAll(r.error());
    const std::string newDir = f.dir + "/new";
    FileStamp newBefore = stampOf(newDir);
    for (BatchCopy* c : copies) {
        std::string newPath = newDir + "/" + c->name;
        crashPoint();
        if (::rename(c->tmpPath.c_str(), newPath.c_str()) != 0) c->error = storeError("cannot rename into", newPath, errno);
        else c->renamed = true;
    }
    std::string uidLines, indexLines;
    std::uint32_t uid = f.nextUid;
    for (BatchCopy* c : copies)
        if (c->renamed) uidLines += uidListLine({UidListLine::Kind::Message, uid++, c->name});
    auto undo = [&](const StoreError& e) {
        for (BatchCopy* c : copies)
            if (c->renamed) {
                ::unlink((newDir + "/" + c->name).c_str());
                c->renamed = false;
            }
        (void)fsyncDir(newDir);
        failAll(e);
    };
    if (uidLines.empty()) return;
    if (auto r = fsyncDir(newDir); !r) return undo(r.error());  // the group commit: one fsync for every copy
    if (auto r = appendUidList(f, uidLines); !r) return undo(r.error());
    noteDirChange(f, false, newBefore);
    ++f.version;  // the folder changed: its shared snapshot is rebuilt on the next look
    for (BatchCopy* c : copies) {
        if (!c->renamed) continue;
        const std::uint32_t u = f.nextUid++;
        f.lastListedUid = u;
        Message& m = f.messages[u];
        m.fileName = c->name;
        m.located = true;
        m.diskSize = c->disk->size();
        m.wireSize = c->wireSize;
        m.internalDate = c->mtime;
        m.modSeq = ++f.highestModSeq;
        m.cached = c->cached;
        indexLines += indexRecord({IndexRecord::Kind::Message, u, m.modSeq, m.diskSize, m.wireSize, m.internalDate,
                                   m.cached, {}});
        c->info = messageInfo(f, u, m);
    }
    appendIndex(f, indexLines);
}

std::vector<DeliveryResult> MaildirStore::deliverBatch(std::span<const DeliveryRequest* const> requests) {
    // Per request: the bytes on disk (LF) and on the wire (CRLF, for the size and the cached fields), once.
    struct Prepared {
        std::string disk;
        std::size_t wireSize = 0;
        std::shared_ptr<const CachedFields> cached;
    };
    std::vector<Prepared> prepared(requests.size());
    std::vector<BatchCopy> copies;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        Prepared& p = prepared[i];
        p.disk = util::toLf(requests[i]->message);
        std::string wire = util::toCrlf(requests[i]->message);
        p.wireSize = wire.size();
        p.cached = computeCachedFields(wire);
        for (std::size_t t = 0; t < requests[i]->targets.size(); ++t) {
            BatchCopy& c = copies.emplace_back();
            c.request = i;
            c.target = t;
            c.user = requests[i]->targets[t].user;
            c.folder = requests[i]->targets[t].folder;
            c.disk = &p.disk;
            c.wireSize = p.wireSize;
            c.cached = p.cached;
            c.internalDate = requests[i]->internalDate;
        }
    }
    // 1. tmp/ files, written, then fsync'ed (no store state is touched: other threads may use the store meanwhile).
    // A request with a copy that cannot be made is not written nor committed at all.
    std::vector<bool> requestFailed(requests.size(), false);
    auto check = [&](const BatchCopy& c) {
        if (c.error) requestFailed[c.request] = true;
    };
    for (BatchCopy& c : copies) {
        auto dir = folderPath(c.user, c.folder);
        if (!dir) {
            c.error = StoreError{StoreErrc::Invalid, dir.error()};
        } else {
            c.dir = *dir;
            for (std::string_view sub : {"tmp", "new", "cur"})
                if (auto r = makeDirs(c.dir + "/" + std::string(sub)); !r && !c.error) c.error = r.error();
        }
        check(c);
    }
    for (BatchCopy& c : copies)
        if (!requestFailed[c.request]) {
            writeTemporary(c);
            check(c);
        }
    // The fsyncs run side by side (up to kSyncThreads at once): the file system merges concurrent fsyncs into one
    // journal commit (ext4's jbd2 does), where one after the other each would wait for a commit of its own.
    std::vector<BatchCopy*> toSync;
    for (BatchCopy& c : copies)
        if (!requestFailed[c.request] && c.fd.get() >= 0) toSync.push_back(&c);
    auto syncSome = [&toSync](std::size_t first, std::size_t step) {
        for (std::size_t i = first; i < toSync.size(); i += step) {
            BatchCopy& c = *toSync[i];
            if (auto r = fsyncFile(c.fd.get(), c.tmpPath); !r) c.error = r.error();
            else if (c.fd.close() != 0) c.error = storeError("cannot close", c.tmpPath, errno);
        }
    };
    const std::size_t threads = std::min(toSync.size(), kSyncThreads);
    if (threads <= 1) {
        syncSome(0, 1);
    } else {
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(syncSome, t, threads);
        syncSome(0, threads);
        for (auto& t : pool) t.join();
    }
    for (const BatchCopy* c : toSync) check(*c);
    // 2. Per folder, in order of first appearance: rename, one directory fsync, one UID-list append.
    {
        std::lock_guard lock(m_mutex);  // the store's state, shared with other threads
        std::map<std::pair<std::string, std::string>, std::vector<BatchCopy*>> byFolder;
        std::vector<std::pair<std::string, std::string>> order;
        for (BatchCopy& c : copies) {
            if (requestFailed[c.request]) continue;
            auto key = std::make_pair(c.user, c.folder);
            auto& list = byFolder[key];
            if (list.empty()) order.push_back(key);
            list.push_back(&c);
        }
        for (const auto& key : order) commitFolder(byFolder[key]);
        for (const BatchCopy& c : copies)
            if (c.error) requestFailed[c.request] = true;
        // 3. All or nothing per request: remove the copies of a request that failed elsewhere.
        for (BatchCopy& c : copies)
            if (requestFailed[c.request] && c.renamed) (void)remove(c.user, c.folder, c.info.uid);
    }
    for (BatchCopy& c : copies)
        if (!c.renamed && !c.tmpPath.empty() && (c.error || requestFailed[c.request])) ::unlink(c.tmpPath.c_str());
    std::vector<DeliveryResult> out;
    out.reserve(requests.size());
    std::vector<std::vector<MessageInfo>> infos(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) infos[i].resize(requests[i]->targets.size());
    std::vector<std::optional<DeliveryFailure>> failures(requests.size());
    for (BatchCopy& c : copies) {
        if (c.error && !failures[c.request]) failures[c.request] = DeliveryFailure{c.target, *c.error};
        infos[c.request][c.target] = std::move(c.info);
    }
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (requestFailed[i]) {
            // A request can fail only through one of its copies; name the first that failed.
            out.emplace_back(std::unexpected(failures[i].value_or(DeliveryFailure{0, {StoreErrc::Io, "delivery failed"}})));
        } else {
            out.emplace_back(std::move(infos[i]));
        }
    }
    return out;
}

}  // namespace mailsim::store
