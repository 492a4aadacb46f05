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
//
// With the delivery journal (MaildirStore::enableJournal, at the end of this file) the same steps run without any
// fsync, and, still under the store's lock, every request that succeeded is written to the journal in ONE durable
// write (step 4, DeliveryJournal.hpp); only then does the batch return. The files, new/ and the UID lists are made
// durable later by the journal's checkpoint, which settles the records. Messages too large for the journal take the
// synced way.
#include "maildir/MaildirStore.hpp"

#include "maildir/DeliveryJournal.hpp"
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
// A copy that comes with its name (a journal record being replayed) gets one attempt under that name.
void MaildirStore::writeTemporary(BatchCopy& c, bool startWriteBack) const {
    const bool named = !c.name.empty();
    for (int attempt = 0; attempt < (named ? 1 : 5) && c.fd.get() < 0; ++attempt) {
        if (!named) c.name = uniqueName(c.disk->size(), c.wireSize);
        c.tmpPath = c.dir + "/tmp/" + c.name;
        crashPoint();
        c.fd = Fd(::open(c.tmpPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (c.fd.get() < 0 && errno != EEXIST) break;
    }
    if (c.fd.get() < 0) {
        c.error = systemError(StoreStep::Create, c.tmpPath, errno);
        return;
    }
    if (auto r = writeAll(c.fd.get(), *c.disk, c.tmpPath); !r) {
        c.error = r.error();
        return;
    }
    if (c.internalDate > 0 && setDate(c.fd.get(), c.internalDate) != 0) {
        c.error = systemError(StoreStep::SetDate, c.tmpPath, errno);
        return;
    }
    struct stat st{};
    ::fstat(c.fd.get(), &st);
    c.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000 + st.st_mtim.tv_nsec / 1000;
    // Start write-back now; the fsync comes once every copy is written (they then share journal commits).
    if (startWriteBack) (void)::sync_file_range(c.fd.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
}

// Step 2 for the copies of one folder (all without error so far), under the folder's lock. With `later` (journal
// mode) new/ and the UID list are not synced here but listed for the journal's checkpoint.
void MaildirStore::commitFolder(std::span<BatchCopy*> copies, PendingSync* later) {
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
        if (::rename(c->tmpPath.c_str(), newPath.c_str()) != 0) c->error = systemError(StoreStep::RenameInto, newPath, errno);
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
    if (later) {
        later->dirs.insert(newDir);
        later->dataFiles.insert(uidListPath(f));
    } else if (auto r = fsyncDir(newDir); !r) {
        return undo(r.error());  // the group commit: one fsync for every copy
    }
    if (auto r = appendUidList(f, uidLines, !later); !r) return undo(r.error());
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

// Step 4 (journal mode): the records of the requests that succeeded, in one durable write, with the work that settles
// them; if the write fails, their copies are removed again and the requests fail.
void MaildirStore::journalBatch(std::span<const DeliveryRequest* const> requests, std::vector<BatchCopy>& copies,
                                std::vector<bool>& requestFailed, PendingSync later) {
    constexpr std::size_t kNone = ~std::size_t{0};
    std::vector<JournalRecord> records;
    std::vector<std::size_t> recordOf(requests.size(), kNone);
    for (BatchCopy& c : copies) {
        if (requestFailed[c.request] || !c.renamed) continue;
        if (recordOf[c.request] == kNone) {
            recordOf[c.request] = records.size();
            JournalRecord& r = records.emplace_back();
            r.internalDate = requests[c.request]->internalDate;
            r.disk = *c.disk;
        }
        records[recordOf[c.request]].copies.push_back({c.user, c.folder, c.name});
        later.files.push_back(std::move(c.fd));
    }
    if (records.empty()) return;
    auto written = m_journal->append(records, std::move(later));
    if (written) return;
    for (BatchCopy& c : copies)
        if (!requestFailed[c.request] && c.renamed) {
            c.error = written.error();
            requestFailed[c.request] = true;
            (void)remove(c.user, c.folder, c.info.uid);
        }
}

std::vector<DeliveryResult> MaildirStore::deliverBatch(std::span<const DeliveryRequest* const> requests) {
    if (!m_journal) return deliverGroup(requests, false);
    // Journal mode: what fits in the journal goes through it, larger messages the synced way; results in order.
    std::vector<const DeliveryRequest*> journaled, synced;
    for (const DeliveryRequest* r : requests)
        (m_journal->fits(r->message.size(), r->targets.size()) ? journaled : synced).push_back(r);
    if (synced.empty()) return deliverGroup(requests, true);
    auto viaJournal = deliverGroup(journaled, true);
    auto viaSync = deliverGroup(synced, false);
    std::vector<DeliveryResult> out;
    std::size_t j = 0, s = 0;
    for (const DeliveryRequest* r : requests)
        out.push_back(m_journal->fits(r->message.size(), r->targets.size()) ? std::move(viaJournal[j++])
                                                                             : std::move(viaSync[s++]));
    return out;
}

// Per request: the bytes on disk (LF) and on the wire (CRLF, for the size and the cached fields), made once and
// shared by its copies.
struct MaildirStore::PreparedMessage {
    std::string disk;
    std::size_t wireSize = 0;
    std::shared_ptr<const CachedFields> cached;
};

std::vector<DeliveryResult> MaildirStore::deliverGroup(std::span<const DeliveryRequest* const> requests, bool journaled) {
    if (requests.empty()) return {};
    std::vector<PreparedMessage> prepared(requests.size());
    std::vector<BatchCopy> copies;
    std::vector<bool> requestFailed(requests.size(), false);  // a request with a copy that failed is not made at all
    prepareCopies(requests, prepared, copies, requestFailed);
    writeCopies(copies, requestFailed, journaled);
    commitCopies(requests, copies, requestFailed, journaled);
    for (BatchCopy& c : copies)
        if (!c.renamed && !c.tmpPath.empty() && (c.error || requestFailed[c.request])) ::unlink(c.tmpPath.c_str());
    return collectResults(requests, copies, requestFailed);
}

// The copies of every request, each with its folder's directories made (tmp/, new/, cur/).
void MaildirStore::prepareCopies(std::span<const DeliveryRequest* const> requests,
                                 std::vector<PreparedMessage>& prepared, std::vector<BatchCopy>& copies,
                                 std::vector<bool>& requestFailed) const {
    for (std::size_t i = 0; i < requests.size(); ++i) {
        PreparedMessage& p = prepared[i];
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
    for (BatchCopy& c : copies) {
        auto dir = folderPath(c.user, c.folder);
        if (!dir) {
            c.error = dir.error();
        } else {
            c.dir = *dir;
            for (std::string_view sub : {"tmp", "new", "cur"})
                if (auto r = makeDirs(c.dir + "/" + std::string(sub)); !r && !c.error) c.error = r.error();
        }
        if (c.error) requestFailed[c.request] = true;
    }
}

// Step 1: tmp/ files, written, then (not journaled) fsync'ed. No store state is touched: other threads may use the
// store meanwhile.
void MaildirStore::writeCopies(std::vector<BatchCopy>& copies, std::vector<bool>& requestFailed, bool journaled) const {
    for (BatchCopy& c : copies)
        if (!requestFailed[c.request]) {
            writeTemporary(c, !journaled);
            if (c.error) requestFailed[c.request] = true;
        }
    if (journaled) return;  // no fsync now: the journal record makes the copy durable, the checkpoint the files
    // The fsyncs run side by side (up to kSyncThreads at once): the file system merges concurrent fsyncs into one
    // journal commit (ext4's jbd2 does), where one after the other each would wait for a commit of its own.
    std::vector<BatchCopy*> toSync;
    for (BatchCopy& c : copies)
        if (!requestFailed[c.request] && c.fd.get() >= 0) toSync.push_back(&c);
    auto syncSome = [&toSync](std::size_t first, std::size_t step) {
        for (std::size_t i = first; i < toSync.size(); i += step) {
            BatchCopy& c = *toSync[i];
            if (auto r = fsyncFile(c.fd.get(), c.tmpPath); !r) c.error = r.error();
            else if (c.fd.close() != 0) c.error = systemError(StoreStep::Close, c.tmpPath, errno);
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
    for (const BatchCopy* c : toSync)
        if (c->error) requestFailed[c->request] = true;
}

// Steps 2-4 under the store's lock: per folder, in order of first appearance, rename, one directory fsync, one
// UID-list append; all or nothing per request; (journal) one durable write for every request that succeeded.
void MaildirStore::commitCopies(std::span<const DeliveryRequest* const> requests, std::vector<BatchCopy>& copies,
                                std::vector<bool>& requestFailed, bool journaled) {
    std::lock_guard lock(m_mutex);  // the store's state, shared with other threads
    PendingSync later;
    std::map<std::pair<std::string, std::string>, std::vector<BatchCopy*>> byFolder;
    std::vector<std::pair<std::string, std::string>> order;
    for (BatchCopy& c : copies) {
        if (requestFailed[c.request]) continue;
        auto key = std::make_pair(c.user, c.folder);
        auto& list = byFolder[key];
        if (list.empty()) order.push_back(key);
        list.push_back(&c);
    }
    for (const auto& key : order) commitFolder(byFolder[key], journaled ? &later : nullptr);
    for (const BatchCopy& c : copies)
        if (c.error) requestFailed[c.request] = true;
    // 3. All or nothing per request: remove the copies of a request that failed elsewhere.
    for (BatchCopy& c : copies)
        if (requestFailed[c.request] && c.renamed) (void)remove(c.user, c.folder, c.info.uid);
    // 4. (journal) One durable write for every request that succeeded, still under the lock: a removal (which
    // settles the journal first) cannot come between a copy's commit and its record.
    if (journaled) journalBatch(requests, copies, requestFailed, std::move(later));
}

// One result per request, in order: the MessageInfo of each copy, or the first copy that failed.
std::vector<DeliveryResult> MaildirStore::collectResults(std::span<const DeliveryRequest* const> requests,
                                                         std::vector<BatchCopy>& copies,
                                                         const std::vector<bool>& requestFailed) {
    std::vector<std::vector<MessageInfo>> infos(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) infos[i].resize(requests[i]->targets.size());
    std::vector<std::optional<DeliveryFailure>> failures(requests.size());
    for (BatchCopy& c : copies) {
        if (c.error && !failures[c.request]) failures[c.request] = DeliveryFailure{c.target, *c.error};
        infos[c.request][c.target] = std::move(c.info);
    }
    std::vector<DeliveryResult> out;
    out.reserve(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (requestFailed[i]) {
            // A request can fail only through one of its copies; name the first that failed.
            out.emplace_back(std::unexpected(failures[i].value_or(DeliveryFailure{0, storeFault(StoreErrc::Io, StoreStep::DeliveryFailed)})));
        } else {
            out.emplace_back(std::move(infos[i]));
        }
    }
    return out;
}

// --- The delivery journal: settling before removals, and the replay at start.

void MaildirStore::settleJournal() const {
    if (m_journal) m_journal->settle();
}

// One copy of an unsettled journal record, made whole: nothing to do when its file holds the message (a crash of the
// process loses nothing), rewritten when the file lost its content, delivered again under its name when missing
// (power cuts); left alone when the UID list says it was removed since. True when something had to be redone.
std::expected<bool, StoreError> MaildirStore::replayCopy(const JournalCopy& copy, const JournalRecord& record) {
    std::lock_guard lock(m_mutex);
    std::string foundPath;
    {
        auto a = access(copy.user, copy.folder);
        if (!a) return std::unexpected(a.error());
        Folder& f = *a->folder;
        if (f.tombstones.contains(copy.name)) return false;
        for (const auto& [uid, m] : f.messages)
            if (baseOf(m.fileName) == copy.name) {
                foundPath = pathOf(f, m);
                break;
            }
    }
    if (!foundPath.empty()) {
        if (auto bytes = readFile(foundPath); bytes && *bytes == record.disk) return false;
        if (auto r = writeFileDurably(foundPath, record.disk); !r) return std::unexpected(r.error());
        Fd fd(::open(foundPath.c_str(), O_RDONLY | O_CLOEXEC));
        if (fd.get() >= 0 && record.internalDate > 0 && setDate(fd.get(), record.internalDate) == 0)
            (void)fsyncFile(fd.get(), foundPath);
        return true;
    }
    const std::string wire = util::toCrlf(record.disk);
    BatchCopy c;
    c.user = copy.user;
    c.folder = copy.folder;
    c.name = copy.name;
    c.disk = &record.disk;
    c.wireSize = wire.size();
    c.cached = computeCachedFields(wire);
    c.internalDate = record.internalDate;
    auto dir = folderPath(c.user, c.folder);
    if (!dir) return std::unexpected(dir.error());
    c.dir = *dir;
    for (std::string_view sub : {"tmp", "new", "cur"})
        if (auto r = makeDirs(c.dir + "/" + std::string(sub)); !r) return std::unexpected(r.error());
    writeTemporary(c, false);
    if (!c.error) {
        if (auto r = fsyncFile(c.fd.get(), c.tmpPath); !r) c.error = r.error();
        else if (c.fd.close() != 0) c.error = systemError(StoreStep::Close, c.tmpPath, errno);
    }
    if (!c.error) {
        BatchCopy* one[] = {&c};
        commitFolder(one, nullptr);
    }
    if (c.error) {
        if (!c.renamed && !c.tmpPath.empty()) ::unlink(c.tmpPath.c_str());
        return std::unexpected(*c.error);
    }
    return true;
}

std::expected<std::size_t, StoreError> MaildirStore::enableJournal(DeliveryJournal::Options options) {
    if (auto r = makeDirs(m_root); !r) return std::unexpected(r.error());
    const std::string path = m_root + "/mailsim-journal";
    std::vector<JournalRecord> unsettled;
    auto journal = DeliveryJournal::open(path, options, unsettled);
    if (!journal) return std::unexpected(journal.error());
    std::size_t redone = 0;
    for (const auto& record : unsettled)
        for (const auto& copy : record.copies) {
            auto done = replayCopy(copy, record);
            if (!done) {  // the journal is kept as it is: the next start tries again
                StoreError e = storeFault(done.error().code, StoreStep::JournalReplay, path, {}, record.seq);
                e.cause = std::make_shared<const StoreError>(done.error());
                return std::unexpected(std::move(e));
            }
            redone += *done ? 1 : 0;
        }
    if (!unsettled.empty()) {
        // What a crash of the process left in the page cache (files, new/, UID lists) is made durable before the
        // records are settled: one syncfs for the whole file system, once, at startup.
        Fd root(::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (root.get() < 0 || ::syncfs(root.get()) != 0) return std::unexpected(systemError(StoreStep::Syncfs, m_root, errno));
        if (auto r = (*journal)->markSettled(unsettled.back().seq); !r) return std::unexpected(r.error());
        std::lock_guard lock(m_mutex);
        auto w = storeWarning(StoreWarningKind::JournalReplayed, path);
        w.count = unsettled.size();
        w.redone = redone;
        m_warnings.push_back(std::move(w));
    }
    m_journal = std::move(*journal);
    return redone;
}

}  // namespace mailsim::store
