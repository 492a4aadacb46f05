// MaildirStore, part 2: keeping the in-memory index in step with the disk (load, tails of the logs, directory scans,
// indexing new files, compaction, hygiene). Everything here runs with the folder's lock held when it is usable.
#include "maildir/MaildirFormat.hpp"
#include "maildir/MaildirStore.hpp"

#include "util/Lines.hpp"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <string_view>
#include <unordered_map>
#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailsim::store {

using namespace maildir;

namespace {

constexpr const char* kUidList = "/mailsim-uidlist";
constexpr const char* kIndex = "/mailsim-index";
constexpr const char* kKeywords = "/dovecot-keywords";
constexpr std::int64_t kTmpMaxAgeSeconds = 36 * 3600;  // Maildir: tmp/ files untouched for 36 hours are garbage

struct Found {
    std::string name;
    bool inCur = false;
};

// Adds the file names of <dir>/<sub> to `out` (base -> name). A missing directory is empty.
std::expected<void, StoreError> listDir(const std::string& dir, bool cur, std::map<std::string, Found>& out) {
    std::string path = dir + (cur ? "/cur" : "/new");
    DIR* d = ::opendir(path.c_str());
    if (!d) {
        if (errno == ENOENT) return {};
        return std::unexpected(systemError(StoreStep::ReadDir, path, errno));
    }
    while (dirent* e = ::readdir(d)) {
        std::string_view name = e->d_name;
        if (name.empty() || name.front() == '.') continue;
        if (e->d_type == DT_DIR) continue;
        if (e->d_type == DT_UNKNOWN) {
            struct stat st{};
            if (::stat((path + "/" + std::string(name)).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        }
        out.emplace(std::string(baseOf(name)), Found{std::string(name), cur});  // same base in both: first wins
    }
    ::closedir(d);
    return {};
}

}  // namespace

std::expected<void, StoreError> MaildirStore::sync(Folder& f) const {
    FileStamp list = stampOf(f.dir + kUidList);
    bool replaced = !f.loaded || list.exists != f.uidList.exists || list.dev != f.uidList.dev ||
                    list.ino != f.uidList.ino || list.size < f.uidListRead ||
                    (list.size == f.uidList.size && list.mtimeNs != f.uidList.mtimeNs);
    if (replaced) return fullLoad(f);
    if (list.size != f.uidList.size) {
        readUidListTail(f);
        if (f.uidValidity == 0) return fullLoad(f);  // a damaged line: rebuild
    }
    if (FileStamp idx = stampOf(f.dir + kIndex); !(idx == f.index))
        readIndex(f, !idx.exists || idx.ino != f.index.ino || idx.size < f.indexRead);
    if (FileStamp kw = stampOf(f.dir + kKeywords); !(kw == f.keywordFile)) readKeywords(f);
    if (f.rescan || !(stampOf(f.dir + "/new") == f.newDir) || !(stampOf(f.dir + "/cur") == f.curDir))
        if (auto r = scanDirs(f); !r) return r;
    indexPending(f);
    return {};
}

std::expected<void, StoreError> MaildirStore::fullLoad(Folder& f) const {
    if (f.loaded) {  // the folder was replaced (deleted and created again, or compacted by another process)
        f.lock.release();
        f.lock = FolderLock(f.dir + "/mailsim-uidlist.lock");
        if (auto r = f.lock.acquire(m_lockTimeoutMs); !r) return r;
    }
    const std::string listPath = f.dir + kUidList;
    ++f.version;
    f.messages.clear();
    f.tombstones.clear();
    f.unindexed.clear();
    f.keywords.clear();
    f.uidValidity = 0;
    f.nextUid = 1;
    f.lastListedUid = 0;
    f.highestModSeq = 0;
    f.expunged.clear();
    f.expungesKnownAbove = 0;
    f.uidListRead = f.indexRead = 0;
    f.uidListLines = f.indexLines = 0;
    f.uidList = f.index = f.keywordFile = f.newDir = f.curDir = FileStamp{};
    f.loaded = true;
    if (f.lock.held()) cleanTemporaryFiles(f);

    f.uidList = stampOf(listPath);
    bool rebuild = false;
    int openErrno = 0;
    if (auto text = readFile(listPath, &openErrno); text) {
        std::size_t consumed = 0;
        auto lines = completeLines(*text, consumed);
        auto header = lines.empty() ? std::unexpected(std::string("expected the header 'v2 <uidvalidity> <nextuid>', "
                                                                  "found an empty file"))
                                    : parseUidListHeader(lines[0]);
        if (!header) {
            auto w = storeWarning(StoreWarningKind::UidListDamaged, listPath, header.error());
            w.line = 1;  // the header
            m_warnings.push_back(std::move(w));
            rebuild = true;
        } else {
            f.uidValidity = header->uidValidity;
            f.nextUid = header->nextUid;
            f.uidListRead = lines[0].size() + 1;
            readUidListTail(f);
            if (f.uidValidity == 0) rebuild = true;  // a damaged line: readUidListTail warned and reset
        }
    } else if (openErrno != ENOENT) {
        m_warnings.push_back(fileWarning(text.error(), StoreWarningKind::UidListUnreadable));
        rebuild = true;
    }
    if (rebuild) {
        f.messages.clear();
        f.tombstones.clear();
        f.unindexed.clear();
        f.uidValidity = 0;
        f.nextUid = 1;
    } else if (f.uidValidity != 0) {
        readIndex(f, true);
    }
    readKeywords(f);
    if (auto r = scanDirs(f); !r) return r;
    if (rebuild && f.lock.usable())
        if (auto r = ensureUidValidity(f); !r) m_warnings.push_back(fileWarning(r.error()));
    indexPending(f);
    return {};
}

// Applies the lines appended to the UID list since the last read. A damaged line means the list cannot be trusted:
// the folder is rebuilt (uidValidity set to 0 tells fullLoad).
void MaildirStore::readUidListTail(Folder& f) const {
    ++f.version;
    const std::string path = f.dir + kUidList;
    FileStamp before = stampOf(path);
    auto text = readFrom(path, f.uidListRead);
    if (!text) {
        m_warnings.push_back(fileWarning(text.error()));
        return;
    }
    std::size_t consumed = 0;
    auto lines = completeLines(*text, consumed);
    // Base name -> UID, built only when there are lines to apply (another process appended, or a first load); the
    // views point into the messages' names, which stay put while this runs. Not kept between calls: it would cost
    // about 130 bytes per message for lookups that only a change by another process needs.
    std::unordered_map<std::string_view, std::uint32_t> byBase;
    if (!lines.empty()) {
        byBase.reserve(f.messages.size() + lines.size());
        for (const auto& [uid, m] : f.messages) byBase.emplace(baseOf(m.fileName), uid);
    }
    std::size_t lineNo = 0;
    for (auto line : lines) {
        ++lineNo;
        auto parsed = parseUidListLine(line, f.lastListedUid);
        if (!parsed) {
            m_warnings.push_back(storeWarning(StoreWarningKind::UidListDamaged, path, parsed.error()));
            f.uidValidity = 0;
            return;
        }
        ++f.uidListLines;
        if (parsed->kind == UidListLine::Kind::Removed) {
            if (auto it = byBase.find(parsed->base); it != byBase.end()) {
                std::uint32_t uid = it->second;
                byBase.erase(it);  // before the name it points into goes
                f.messages.erase(uid);
            }
            f.tombstones.insert(parsed->base);
            f.rescan = true;
            continue;
        }
        f.lastListedUid = parsed->uid;
        f.nextUid = std::max(f.nextUid, parsed->uid + 1);
        if (byBase.contains(parsed->base)) continue;
        Message& m = f.messages[parsed->uid];
        m.fileName = parsed->base;  // located by the next scan
        byBase.emplace(baseOf(m.fileName), parsed->uid);
        f.unindexed.push_back(parsed->uid);
        f.rescan = true;
    }
    f.uidListRead += consumed;
    f.uidList = before;
}

// Reads the index from the start (`whole`) or from where it was read last, filling what the messages lack.
void MaildirStore::readIndex(Folder& f, bool whole) const {
    ++f.version;
    const std::string path = f.dir + kIndex;
    FileStamp stamp = stampOf(path);
    f.index = stamp;
    if (!stamp.exists) {
        f.indexRead = 0;
        if (!f.messages.empty() && whole) {
            m_warnings.push_back(storeWarning(StoreWarningKind::IndexMissing, path));
            f.expungesKnownAbove = kUnknownYet;  // what was expunged before is lost with it
        }
        return;
    }
    auto text = readFrom(path, whole ? 0 : f.indexRead);
    if (!text) {
        m_warnings.push_back(fileWarning(text.error()));
        return;
    }
    std::size_t consumed = 0;
    auto lines = completeLines(*text, consumed);
    auto damaged = [&](const std::string& why) {
        m_warnings.push_back(storeWarning(StoreWarningKind::IndexDamaged, path, why));
        for (auto& [uid, m] : f.messages)
            if (m.cached) {
                m.cached.reset();
                f.unindexed.push_back(uid);
            }
        f.indexRead = 0;
        f.indexLines = 0;
        f.index.exists = false;  // indexPending rewrites it
        f.expunged.clear();
        f.expungesKnownAbove = kUnknownYet;
    };
    std::size_t first = 0;
    if (whole) {
        f.indexLines = 0;
        if (lines.empty()) return damaged("expected the header 'mailsim-index v1 <uidvalidity>', found nothing");
        auto v = parseIndexHeader(lines[0]);
        if (!v) return damaged(v.error());
        if (*v != f.uidValidity) return damaged(fmt::format("it is for UIDVALIDITY {}, the folder has {}", *v,
                                                            f.uidValidity));
        first = 1;
    }
    for (std::size_t i = first; i < lines.size(); ++i) {
        auto r = parseIndexRecord(lines[i]);
        if (!r) return damaged(fmt::format("line {}: {}", i + 1, r.error()));
        ++f.indexLines;
        f.highestModSeq = std::max(f.highestModSeq, r->modSeq);
        if (r->kind == IndexRecord::Kind::Expunge && r->uids.empty())  // which UIDs is not known
            f.expungesKnownAbove = std::max(f.expungesKnownAbove, r->modSeq);
        for (std::uint32_t uid : r->uids) f.expunged[uid] = r->modSeq;
        auto it = f.messages.find(r->uid);
        if (r->kind == IndexRecord::Kind::Expunge || it == f.messages.end()) continue;
        it->second.modSeq = r->modSeq;
        if (r->kind == IndexRecord::Kind::Message) {
            it->second.diskSize = r->diskSize;
            it->second.wireSize = r->wireSize;
            it->second.internalDate = r->internalDate;
            it->second.cached = std::move(r->cached);
        }
    }
    f.indexRead = (whole ? 0 : f.indexRead) + consumed;
    std::erase_if(f.unindexed, [&](std::uint32_t uid) {
        auto it = f.messages.find(uid);
        return it == f.messages.end() || it->second.cached;
    });
}

void MaildirStore::readKeywords(Folder& f) const {
    ++f.version;
    const std::string path = f.dir + kKeywords;
    f.keywordFile = stampOf(path);
    f.keywords.clear();
    if (!f.keywordFile.exists) return;
    auto text = readFile(path);
    if (!text) return m_warnings.push_back(fileWarning(text.error()));
    auto parsed = parseKeywords(*text);
    if (!parsed)
        return m_warnings.push_back(storeWarning(StoreWarningKind::KeywordsIgnored, path, parsed.error()));
    f.keywords = std::move(*parsed);
}

// Reads new/ and cur/ and reconciles them with the index: where each message is and its flags, messages that
// vanished, tombstoned files (unlinked: a removal rolled forward), and new files (given the next UIDs in name order,
// which starts with the delivery time).
std::expected<void, StoreError> MaildirStore::scanDirs(Folder& f) const {
    ++f.version;
    f.newDir = stampOf(f.dir + "/new");
    f.curDir = stampOf(f.dir + "/cur");
    f.rescan = false;
    std::map<std::string, Found> found;
    for (bool cur : {false, true})
        if (auto r = listDir(f.dir, cur, found); !r) return r;
    for (auto it = f.messages.begin(); it != f.messages.end();) {
        std::string base(baseOf(it->second.fileName));
        auto hit = found.find(base);
        if (hit == found.end()) {  // removed behind our back (or by a crash after an unlink): the UID is gone
            f.expunged[it->first] = ++f.highestModSeq;  // kept in the index at the next compaction
            it = f.messages.erase(it);
            continue;
        }
        Message& m = it->second;
        Flags flags = flagsOfInfo(infoOf(hit->second.name));
        std::uint32_t mask = keywordMaskOfInfo(infoOf(hit->second.name));
        // Another program changed the flags (not: the first scan after loading, which learns where the file is).
        if (m.located && m.cached && (flags != m.flags || mask != m.keywordMask) && m.fileName != hit->second.name)
            m.modSeq = ++f.highestModSeq;
        m.located = true;
        m.fileName = hit->second.name;
        m.inCur = hit->second.inCur;
        m.flags = flags;
        m.keywordMask = mask;
        found.erase(hit);
        ++it;
    }
    for (auto it = found.begin(); it != found.end();) {
        if (!f.tombstones.contains(it->first)) {
            ++it;
            continue;
        }
        std::string path = f.dir + (it->second.inCur ? "/cur/" : "/new/") + it->second.name;
        crashPoint();
        if (::unlink(path.c_str()) != 0 && errno != ENOENT)
            m_warnings.push_back(fileWarning(systemError(StoreStep::Remove, path, errno)));
        it = found.erase(it);
    }
    if (found.empty()) return {};
    if (auto r = ensureUidValidity(f); !r) m_warnings.push_back(fileWarning(r.error()));
    std::string lines;
    for (auto& [base, file] : found) {
        std::uint32_t uid = f.nextUid++;
        lines += uidListLine({UidListLine::Kind::Message, uid, base});
        Message& m = f.messages[uid];
        m.fileName = file.name;
        m.located = true;
        m.inCur = file.inCur;
        m.flags = flagsOfInfo(infoOf(file.name));
        m.keywordMask = keywordMaskOfInfo(infoOf(file.name));
        f.unindexed.push_back(uid);
        f.lastListedUid = uid;
    }
    if (auto r = appendUidList(f, lines); !r)
        m_warnings.push_back(fileWarning(r.error(), StoreWarningKind::UidsInMemoryOnly));
    return {};
}

// Reads the files of messages the index does not describe yet and appends their records.
void MaildirStore::indexPending(Folder& f) const {
    if (f.unindexed.empty() && f.index.exists) return;
    ++f.version;
    std::string records;
    for (std::uint32_t uid : f.unindexed) {
        auto it = f.messages.find(uid);
        if (it == f.messages.end() || it->second.cached) continue;
        Message& m = it->second;
        std::string path = pathOf(f, m);
        auto bytes = readFile(path);
        if (!bytes) {
            m_warnings.push_back(fileWarning(bytes.error()));
            continue;
        }
        struct stat st{};
        m.internalDate = ::stat(path.c_str(), &st) == 0
                             ? static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000 + st.st_mtim.tv_nsec / 1000
                             : 0;
        m.diskSize = bytes->size();
        std::string wire = util::toCrlf(*bytes);
        m.wireSize = wire.size();
        m.cached = computeCachedFields(wire);
        m.modSeq = ++f.highestModSeq;
        records += indexRecord({IndexRecord::Kind::Message, uid, m.modSeq, m.diskSize, m.wireSize, m.internalDate,
                                m.cached, {}});
    }
    f.unindexed.clear();
    if (f.uidValidity == 0) return;  // nothing on disk to index against yet
    if (!f.index.exists) {
        compact(f);  // writes the whole index (and a clean UID list)
        return;
    }
    if (!records.empty()) appendIndex(f, records);
}

std::expected<void, StoreError> MaildirStore::ensureUidValidity(Folder& f) const {
    if (f.uidValidity != 0) return {};
    ++f.version;
    auto v = newUidValidity(f.user);
    if (!v) return std::unexpected(v.error());
    f.uidValidity = *v;
    std::string text = uidListHeader(f.uidValidity, f.nextUid);
    for (const auto& [uid, m] : f.messages) text += uidListLine({UidListLine::Kind::Message, uid,
                                                                 std::string(baseOf(m.fileName))});
    if (auto r = writeFileDurably(f.dir + kUidList, text); !r) {
        StoreError e = r.error();
        e.code = StoreErrc::Io;  // as before the errors were typed: a failed rewrite is an I/O error whatever the errno
        return std::unexpected(std::move(e));
    }
    f.uidList = stampOf(f.dir + kUidList);
    f.uidListRead = f.uidList.size;
    f.uidListLines = f.messages.size();
    f.index.exists = false;  // an index of another UIDVALIDITY is worthless: indexPending writes a new one
    for (const auto& [uid, m] : f.messages) f.lastListedUid = uid;
    return {};
}

std::string MaildirStore::uidListPath(const Folder& f) const { return f.dir + kUidList; }

std::expected<void, StoreError> MaildirStore::appendUidList(Folder& f, std::string_view lines, bool sync) const {
    if (lines.empty()) return {};
    if (!f.lock.usable()) return std::unexpected(storeFault(StoreErrc::ReadOnly, StoreStep::FolderReadOnly, f.dir));
    if (auto r = appendDurably(f.dir + kUidList, lines, sync, f.uidListRead); !r) return r;
    f.uidListRead += lines.size();
    f.uidListLines += static_cast<std::size_t>(std::ranges::count(lines, '\n'));
    f.uidList = stampOf(f.dir + kUidList);
    return {};
}

// Index records are a cache: appended without fsync (a crash can only lose the last ones, rebuilt from the files).
void MaildirStore::appendIndex(Folder& f, std::string_view lines) const {
    if (lines.empty() || !f.lock.usable()) return;
    if (!f.index.exists) return compact(f);  // a new index starts with its header and holds every message
    if (auto r = appendDurably(f.dir + kIndex, lines, false, f.indexRead); !r)
        return m_warnings.push_back(fileWarning(r.error()));
    f.indexRead += lines.size();
    f.indexLines += static_cast<std::size_t>(std::ranges::count(lines, '\n'));
    f.index = stampOf(f.dir + kIndex);
}

// Rewrites the UID list and the index with only the live messages (tombstones of files still present are kept).
void MaildirStore::compact(Folder& f) const {
    if (!f.lock.usable() || f.uidValidity == 0) return;
    std::string list = uidListHeader(f.uidValidity, f.nextUid);
    std::string index = indexHeader(f.uidValidity);
    for (const auto& [uid, m] : f.messages) {
        list += uidListLine({UidListLine::Kind::Message, uid, std::string(baseOf(m.fileName))});
        if (m.cached)
            index += indexRecord({IndexRecord::Kind::Message, uid, m.modSeq, m.diskSize, m.wireSize, m.internalDate,
                                  m.cached, {}});
    }
    if (f.expungesKnownAbove == kUnknownYet) f.expungesKnownAbove = f.highestModSeq;
    if (f.expungesKnownAbove) index += indexRecord({IndexRecord::Kind::Expunge, 0, f.expungesKnownAbove, 0, 0, 0, {}, {}});
    std::map<std::uint64_t, std::vector<std::uint32_t>> byModSeq;  // the expunges, one record per change
    for (auto [uid, modSeq] : f.expunged) byModSeq[modSeq].push_back(uid);
    for (auto& [modSeq, uids] : byModSeq)
        index += indexRecord({IndexRecord::Kind::Expunge, 0, modSeq, 0, 0, 0, {}, std::move(uids)});
    for (const auto& base : f.tombstones) list += uidListLine({UidListLine::Kind::Removed, 0, base});
    if (auto r = writeFileDurably(f.dir + kUidList, list); !r) return m_warnings.push_back(fileWarning(r.error()));
    f.uidList = stampOf(f.dir + kUidList);
    f.uidListRead = f.uidList.size;
    f.uidListLines = f.messages.size() + f.tombstones.size();
    if (auto r = writeFileDurably(f.dir + kIndex, index); !r) return m_warnings.push_back(fileWarning(r.error()));
    f.index = stampOf(f.dir + kIndex);
    f.indexRead = f.index.size;
    f.indexLines = f.messages.size() + 1;
}

void MaildirStore::cleanTemporaryFiles(Folder& f) const {
    const std::int64_t now = std::time(nullptr);
    if (DIR* d = ::opendir((f.dir + "/tmp").c_str())) {
        while (dirent* e = ::readdir(d)) {
            std::string path = f.dir + "/tmp/" + e->d_name;
            struct stat st{};
            if (e->d_name[0] == '.' || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
            // atime too: a delivery in progress has already set its mtime to the internal date (and atime to now).
            if (now - std::max(st.st_mtim.tv_sec, st.st_atim.tv_sec) > kTmpMaxAgeSeconds && ::unlink(path.c_str()) == 0)
                m_warnings.push_back(storeWarning(StoreWarningKind::TmpRemoved, path));
        }
        ::closedir(d);
    }
    // Our own temporary files (writeFileDurably): we hold the lock, so none of them is being written now.
    if (DIR* d = ::opendir(f.dir.c_str())) {
        while (dirent* e = ::readdir(d)) {
            std::string_view n = e->d_name;
            bool ours = n.starts_with(".mailsim-uidlist.tmp.") || n.starts_with(".mailsim-index.tmp.") ||
                        n.starts_with(".dovecot-keywords.tmp.");
            struct stat st{};
            std::string path = f.dir + "/" + std::string(n);
            if (ours && ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ::unlink(path.c_str());
        }
        ::closedir(d);
    }
}

// max(last + 1, now): strictly increasing per user, saved before it is used. The counter file is flock'ed so two
// processes creating folders of one user at once still get different values.
std::expected<std::uint32_t, StoreError> MaildirStore::newUidValidity(const std::string& user) const {
    auto userDir = folderPath(user, "INBOX");
    if (!userDir) return std::unexpected(userDir.error());
    if (auto r = makeDirs(*userDir); !r) return std::unexpected(r.error());
    const std::string path = *userDir + "/mailsim-uidvalidity";
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0) return std::unexpected(systemError(StoreStep::Open, path, errno));
    if (::flock(fd.get(), LOCK_EX) != 0) return std::unexpected(systemError(StoreStep::Lock, path, errno));
    char buf[32] = {};
    ssize_t n = ::pread(fd.get(), buf, sizeof buf - 1, 0);
    std::uint64_t last = n > 0 ? std::strtoull(buf, nullptr, 10) : 0;
    auto now = static_cast<std::uint64_t>(std::time(nullptr));
    std::uint64_t next = std::max(last + 1, now);
    if (next > 0xffffffffu) next = last + 1;  // after 2106: keep counting
    std::string text = fmt::format("{:010}\n", next);
    crashPoint();
    if (::pwrite(fd.get(), text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()) ||
        ::fdatasync(fd.get()) != 0)
        return std::unexpected(systemError(StoreStep::Write, path, errno));
    return static_cast<std::uint32_t>(next);
}

}  // namespace mailsim::store
