// MaildirStore, part 1: the MailStore operations. Each one takes the folder's lock, syncs the in-memory index with
// the disk (MaildirSync.cpp), does its work and records its own changes, so the next operation needs no rescan.
#include "maildir/MaildirStore.hpp"

#include "maildir/MaildirFormat.hpp"
#include "message/Codecs.hpp"
#include "util/Lines.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <utility>
#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailsim::store {

using namespace maildir;

namespace {

constexpr std::size_t kMaxComponent = kMaxNameOctets;  // NAME_MAX on Linux file systems

// A path component that stays inside its directory: not empty, no "/", no NUL or control characters, no "..", and
// not starting with "." (which would also collide with Maildir++ folders and tmp files).
// `isFolder`: a folder name (else a user name).
std::expected<void, StoreError> checkComponent(bool isFolder, std::string_view name) {
    auto bad = [&](NameProblem why) {
        StoreError e = storeFault(StoreErrc::Invalid, StoreStep::InvalidName, {}, std::string(name), isFolder ? 1 : 0);
        e.problem = why;
        return std::unexpected(std::move(e));
    };
    if (name.empty()) return bad(NameProblem::Empty);
    if (name.find('/') != std::string_view::npos) return bad(NameProblem::Slash);
    if (name.find("..") != std::string_view::npos) return bad(NameProblem::DotDot);
    if (name.front() == '.') return bad(NameProblem::LeadingDot);
    if (std::ranges::any_of(name, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        return bad(NameProblem::Control);
    // UTF-8 names (张三@cesoo.com, RFC 6531): well-formed only (an overlong "\xC0\xAE" is not a '.', but no byte
    // soup gets a directory), no C1 controls, no bidirectional overrides that make a name read as another
    // (CVE-2021-42574), and one directory entry must fit NAME_MAX.
    if (message::sanitizeUtf8(name) != name) return bad(NameProblem::NotUtf8);
    for (std::size_t i = 0; i + 1 < name.size(); ++i) {
        auto b0 = static_cast<unsigned char>(name[i]), b1 = static_cast<unsigned char>(name[i + 1]);
        if (b0 == 0xc2 && b1 >= 0x80 && b1 <= 0x9f) return bad(NameProblem::C1Control);
        if (b0 == 0xe2 && i + 2 < name.size()) {
            auto b2 = static_cast<unsigned char>(name[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae) || (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9))
                return bad(NameProblem::Bidi);
        }
    }
    if (name.size() > kMaxComponent) return bad(NameProblem::TooLong);
    return {};
}

StoreError notFound(std::uint32_t uid, const std::string& dir) {
    return storeFault(StoreErrc::NotFound, StoreStep::NoSuchMessage, dir, {}, uid);
}

}  // namespace

MaildirStore::Access::~Access() {
    if (folder) folder->lock.release();
}

MaildirStore::MaildirStore(std::string root) : m_root(std::move(root)) {
    while (m_root.size() > 1 && m_root.back() == '/') m_root.pop_back();
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::strcpy(host, "localhost");
    // Maildir: "/" becomes \057 and ":" becomes \072 in the host part of the unique name (and "," \054, since the
    // size fields follow it).
    for (const char* p = host; *p; ++p) {
        if (*p == '/') m_host += "\\057";
        else if (*p == ':') m_host += "\\072";
        else if (*p == ',') m_host += "\\054";
        else m_host += *p;
    }
}

MaildirStore::~MaildirStore() = default;

std::expected<std::string, StoreError> MaildirStore::folderPath(const std::string& user,
                                                                 const std::string& folder) const {
    if (auto ok = checkComponent(false, user); !ok) return std::unexpected(ok.error());
    std::string dir = m_root + "/" + user;
    if (folder == "INBOX") return dir;
    if (auto ok = checkComponent(true, folder); !ok) return std::unexpected(ok.error());
    return dir + "/." + folder;  // Maildir++ subfolder
}

std::vector<StoreWarning> MaildirStore::takeWarnings() {
    // `mailsim serve` asks on every turn of its loop: it must never wait for a delivery batch that holds the lock
    // (its journal write, or the synced steps), so a busy store answers "nothing yet" and is asked again next turn.
    std::unique_lock lock(m_mutex, std::try_to_lock);
    if (!lock.owns_lock()) return {};
    auto out = std::exchange(m_warnings, {});
    if (m_journal)  // the checkpoint thread's (it never takes the store's lock)
        for (auto& w : m_journal->takeWarnings()) out.push_back(std::move(w));
    return out;
}

MaildirStore::Folder& MaildirStore::folderFor(const std::string& user, const std::string& folder,
                                              const std::string& dir) const {
    auto& slot = m_folders[{user, folder}];
    if (!slot) {
        slot = std::make_unique<Folder>();
        slot->user = user;
        slot->name = folder;
        slot->dir = dir;
    }
    return *slot;
}

void MaildirStore::forget(const std::string& user, const std::string& folder) { m_folders.erase({user, folder}); }

std::expected<MaildirStore::Access, StoreError> MaildirStore::access(const std::string& user,
                                                                     const std::string& folder) const {
    auto dir = folderPath(user, folder);
    if (!dir) return std::unexpected(dir.error());
    Folder& f = folderFor(user, folder, *dir);
    if (!f.lock.usable()) f.lock = FolderLock(f.dir + "/mailsim-uidlist.lock");  // the directory may exist now
    if (auto r = f.lock.acquire(m_lockTimeoutMs); !r) return std::unexpected(r.error());
    Access a;
    a.folder = &f;
    if (auto r = sync(f); !r) return std::unexpected(r.error());
    if (f.uidValidity != 0 && f.highestModSeq == 0) f.highestModSeq = 1;  // positive once it exists (RFC 7162 7)
    return a;
}

std::string MaildirStore::pathOf(const Folder& f, const Message& m) const {
    return f.dir + (m.inCur ? "/cur/" : "/new/") + m.fileName;
}

MessageInfo MaildirStore::messageInfo(const Folder& f, std::uint32_t uid, const Message& m) const {
    MessageInfo info;
    info.uid = uid;
    info.size = m.wireSize;
    info.internalDate = m.internalDate;
    info.storageId = std::string(baseOf(m.fileName));
    info.flags = m.flags;
    info.modSeq = m.modSeq;
    info.cached = m.cached;
    for (std::size_t i = 0; i < kMaxKeywords && m.keywordMask >> i; ++i)
        if ((m.keywordMask >> i & 1u) && i < f.keywords.size() && !f.keywords[i].empty())
            info.keywords.push_back(f.keywords[i]);
    return info;
}

// Our own change of new/ or cur/: if nobody else changed the directory since we last read it, remember its new
// mtime, so the next sync does not read it again; otherwise leave the old stamp (the next sync rescans).
void MaildirStore::noteDirChange(Folder& f, bool cur, const FileStamp& before) const {
    FileStamp& seen = cur ? f.curDir : f.newDir;
    if (before == seen) seen = stampOf(f.dir + (cur ? "/cur" : "/new"));
}

std::vector<MessageInfo> MaildirStore::list(const std::string& user, const std::string& folder) const {
    std::lock_guard lock(m_mutex);
    std::vector<MessageInfo> out;
    auto a = access(user, folder);
    if (!a) {
        if (a.error().code != StoreErrc::NotFound) m_warnings.push_back(fileWarning(a.error()));
        return out;
    }
    const Folder& f = *a->folder;
    out.reserve(f.messages.size());
    for (const auto& [uid, m] : f.messages) out.push_back(messageInfo(f, uid, m));
    return out;
}

std::shared_ptr<const FolderSnapshot> MaildirStore::snapshot(const std::string& user, const std::string& folder) const {
    std::lock_guard lock(m_mutex);
    auto a = access(user, folder);
    if (!a) {
        if (a.error().code != StoreErrc::NotFound) m_warnings.push_back(fileWarning(a.error()));
        return FolderSnapshot::make({});
    }
    Folder& f = *a->folder;
    if (!f.snapshot || f.snapshotVersion != f.version) {
        std::vector<MessageInfo> fresh;
        fresh.reserve(f.messages.size());
        for (const auto& [uid, m] : f.messages) fresh.push_back(messageInfo(f, uid, m));
        f.snapshot = FolderSnapshot::make(std::move(fresh));
        f.snapshotVersion = f.version;
    }
    return f.snapshot;
}

std::expected<std::string, StoreError> MaildirStore::read(const std::string& user, const std::string& folder,
                                                           std::uint32_t uid) const {
    std::lock_guard lock(m_mutex);
    // Fast path (POP3 RETR of every message, FETCH BODY[]): a loaded folder's index names the file, and a Maildir
    // file's content never changes under its name, so opening it by that name needs neither the folder's file lock nor
    // a sync. A stale name (renamed or removed by someone else) or a UID the index does not know yet takes the slow path.
    if (auto known = m_folders.find({user, folder}); known != m_folders.end() && known->second->loaded) {
        const Folder& f = *known->second;
        if (auto it = f.messages.find(uid); it != f.messages.end() && !it->second.fileName.empty())
            if (auto bytes = readFile(pathOf(f, it->second))) return util::toCrlf(*bytes);
    }
    auto a = access(user, folder);
    if (!a) return std::unexpected(a.error());
    Folder& f = *a->folder;
    for (int attempt = 0;; ++attempt) {
        auto it = f.messages.find(uid);
        if (it == f.messages.end()) return std::unexpected(notFound(uid, f.dir));
        int openErrno = 0;
        auto bytes = readFile(pathOf(f, it->second), &openErrno);
        if (bytes) return util::toCrlf(*bytes);
        // Renamed or removed by another program since the directories were read: read them again, once.
        if (openErrno != ENOENT || attempt > 0) return std::unexpected(bytes.error());
        f.rescan = true;
        if (auto r = scanDirs(f); !r) return std::unexpected(r.error());
    }
}

std::expected<void, StoreError> MaildirStore::remove(const std::string& user, const std::string& folder,
                                                      std::uint32_t uid) {
    std::lock_guard lock(m_mutex);
    std::uint32_t one[] = {uid};
    return removeMany(user, folder, one);
}

std::expected<void, StoreError> MaildirStore::removeMany(const std::string& user, const std::string& folder,
                                                          std::span<const std::uint32_t> uids) {
    std::lock_guard lock(m_mutex);
    settleJournal();  // a removed message must never come back from the journal
    auto a = access(user, folder);
    if (!a) return std::unexpected(a.error());
    Folder& f = *a->folder;
    std::string lines;
    for (auto uid : uids) {
        auto it = f.messages.find(uid);
        if (it == f.messages.end()) return std::unexpected(notFound(uid, f.dir));
        lines += uidListLine({UidListLine::Kind::Removed, 0, std::string(baseOf(it->second.fileName))});
    }
    if (uids.empty()) return {};
    // 1. Commit: the "D <base>" lines, appended in one write and fdatasync'ed. Before it nothing is removed; after it
    //    every reader through a MaildirStore sees all of them gone (the sync hides and unlinks tombstoned files).
    if (auto r = appendUidList(f, lines); !r) return std::unexpected(r.error());
    // 2. Unlink the files and make that durable; a failure keeps the tombstone, and the next scan retries.
    ++f.version;
    FileStamp newBefore = stampOf(f.dir + "/new"), curBefore = stampOf(f.dir + "/cur");
    bool inNew = false, inCur = false;
    for (auto uid : uids) {
        auto it = f.messages.find(uid);
        if (it == f.messages.end()) continue;  // named twice
        std::string path = pathOf(f, it->second);
        std::string base(baseOf(it->second.fileName));
        crashPoint();
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
            m_warnings.push_back(fileWarning(systemError(StoreStep::Remove, path, errno)));
            f.tombstones.insert(base);
        }
        (it->second.inCur ? inCur : inNew) = true;
        f.messages.erase(it);
    }
    for (bool cur : {false, true})
        if (cur ? inCur : inNew)
            if (auto r = fsyncDir(f.dir + (cur ? "/cur" : "/new")); !r) m_warnings.push_back(fileWarning(r.error()));
    noteDirChange(f, false, newBefore);
    noteDirChange(f, true, curBefore);
    std::vector<std::uint32_t> gone(uids.begin(), uids.end());
    std::ranges::sort(gone);
    gone.erase(std::ranges::unique(gone).begin(), gone.end());
    ++f.highestModSeq;  // one change for the whole expunge, remembered per UID (RFC 7162 3.2.5.2 VANISHED (EARLIER))
    for (auto uid : gone) f.expunged[uid] = f.highestModSeq;
    appendIndex(f, indexRecord({IndexRecord::Kind::Expunge, 0, f.highestModSeq, 0, 0, 0, nullptr, std::move(gone)}));
    if (f.uidListLines > 2 * f.messages.size() + 256 || f.indexLines > 3 * f.messages.size() + 256) compact(f);
    return {};
}

std::expected<MessageInfo, StoreError> MaildirStore::updateFlags(const std::string& user, const std::string& folder,
                                                                 std::uint32_t uid, const FlagDelta& delta) {
    std::lock_guard lock(m_mutex);
    for (const auto& k : delta.keywords)
        if (!isValidKeyword(k)) return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::InvalidKeyword, {}, k));
    auto a = access(user, folder);
    if (!a) return std::unexpected(a.error());
    Folder& f = *a->folder;
    auto it = f.messages.find(uid);
    if (it == f.messages.end()) return std::unexpected(notFound(uid, f.dir));
    Message& m = it->second;
    MessageInfo now = messageInfo(f, uid, m);
    Flags flags = m.flags;
    std::vector<std::string> names = now.keywords;
    if (!applyFlagDelta(delta, flags, names)) return now;  // nothing changes: nothing is written

    // Keywords -> letters; a keyword new to the folder takes the first free letter (dovecot-keywords).
    std::uint32_t mask = 0;
    bool defined = false;
    for (const auto& k : names) {
        auto known = std::ranges::find_if(f.keywords, [&](const std::string& x) { return sameKeyword(x, k); });
        if (known == f.keywords.end()) {
            known = std::ranges::find(f.keywords, std::string());
            if (known == f.keywords.end()) {
                if (f.keywords.size() >= kMaxKeywords)
                    return std::unexpected(storeFault(StoreErrc::TooManyKeywords, StoreStep::TooManyKeywords, f.dir,
                                                      {}, kMaxKeywords));
                known = f.keywords.insert(f.keywords.end(), k);
            } else {
                *known = k;
            }
            defined = true;
        }
        mask |= 1u << (known - f.keywords.begin());
    }
    if (defined) {
        ++f.version;
        if (auto r = writeFileDurably(f.dir + "/dovecot-keywords", keywordsText(f.keywords)); !r) {
            readKeywords(f);  // back to what is on disk
            StoreError e = r.error();
            e.code = StoreErrc::ReadOnly;  // the keyword file cannot be written: the folder cannot take new keywords
            return std::unexpected(std::move(e));
        }
        f.keywordFile = stampOf(f.dir + "/dovecot-keywords");
    }

    // Flags live in the name's ":2,<letters>" suffix, which only files in cur/ carry, so the message moves new/ ->
    // cur/ if needed. The base name, and so the UID, stays. One rename, then the directories are fsync'ed.
    std::string target = f.dir + "/cur/" + std::string(baseOf(m.fileName)) + infoFor(flags, mask, infoOf(m.fileName));
    FileStamp newBefore = stampOf(f.dir + "/new"), curBefore = stampOf(f.dir + "/cur");
    if (auto r = makeDirs(f.dir + "/cur"); !r) return std::unexpected(r.error());
    crashPoint();
    if (::rename(pathOf(f, m).c_str(), target.c_str()) != 0) {
        int err = errno;
        if (err == ENOENT) {  // renamed by another program meanwhile: find it and apply the delta to what it has now
            f.rescan = true;
            if (auto r = scanDirs(f); !r) return std::unexpected(r.error());
            if (!f.messages.contains(uid)) return std::unexpected(notFound(uid, f.dir));
            a->folder->lock.release();
            a->folder = nullptr;
            return updateFlags(user, folder, uid, delta);
        }
        return std::unexpected(systemError(StoreStep::Rename, pathOf(f, m), err));
    }
    bool wasInNew = !m.inCur;
    ++f.version;
    m.fileName = target.substr(f.dir.size() + 5);
    m.inCur = true;
    m.flags = flags;
    m.keywordMask = mask;
    m.modSeq = ++f.highestModSeq;
    if (auto r = fsyncDir(f.dir + "/cur"); !r) m_warnings.push_back(fileWarning(r.error()));
    if (wasInNew)
        if (auto r = fsyncDir(f.dir + "/new"); !r) m_warnings.push_back(fileWarning(r.error()));
    noteDirChange(f, true, curBefore);
    if (wasInNew) noteDirChange(f, false, newBefore);
    appendIndex(f, indexRecord({IndexRecord::Kind::Flags, uid, m.modSeq, 0, 0, 0, nullptr, {}}));
    return messageInfo(f, uid, m);
}

std::vector<std::string> MaildirStore::keywords(const std::string& user, const std::string& folder) const {
    std::lock_guard lock(m_mutex);
    auto a = access(user, folder);
    if (!a) return {};
    std::vector<std::string> out;
    for (const auto& k : a->folder->keywords)
        if (!k.empty()) out.push_back(k);
    return out;
}

std::optional<std::vector<std::uint32_t>> MaildirStore::expungedSince(const std::string& user,
                                                                      const std::string& folder,
                                                                      std::uint64_t sinceModSeq) const {
    std::lock_guard lock(m_mutex);
    auto a = access(user, folder);
    if (!a) return std::vector<std::uint32_t>{};  // no such folder: nothing was ever expunged from it
    const Folder& f = *a->folder;
    if (sinceModSeq < f.expungesKnownAbove) return std::nullopt;
    std::vector<std::uint32_t> out;
    for (auto [uid, modSeq] : f.expunged)
        if (modSeq > sinceModSeq) out.push_back(uid);
    return out;
}

std::uint64_t MaildirStore::highestModSeq(const std::string& user, const std::string& folder) const {
    std::lock_guard lock(m_mutex);
    auto a = access(user, folder);
    return a ? a->folder->highestModSeq : 0;
}

std::expected<void, StoreError> MaildirStore::createFolder(const std::string& user, const std::string& folder) {
    std::lock_guard lock(m_mutex);
    auto dir = folderPath(user, folder);
    if (!dir) return std::unexpected(dir.error());
    for (std::string_view sub : {"tmp", "new", "cur"})
        if (auto r = makeDirs(*dir + "/" + std::string(sub)); !r) return std::unexpected(r.error());
    if (folder != "INBOX") {  // Maildir++ marks subfolders with an empty "maildirfolder" file
        std::string marker = *dir + "/maildirfolder";
        Fd fd(::open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        if (fd.get() < 0) return std::unexpected(systemError(StoreStep::Create, marker, errno));
    }
    auto a = access(user, folder);
    if (!a) return std::unexpected(a.error());
    if (auto r = ensureUidValidity(*a->folder); !r) return std::unexpected(r.error());  // its UIDVALIDITY now
    indexPending(*a->folder);
    return {};
}

std::vector<std::string> MaildirStore::listFolders(const std::string& user) const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out{"INBOX"};
    auto dir = folderPath(user, "INBOX");
    if (!dir) return out;
    DIR* d = ::opendir(dir->c_str());
    if (!d) return out;
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
        std::string_view name = e->d_name;
        if (name.size() < 2 || name.front() != '.' || name == "..") continue;
        struct stat st{};
        if (::stat((*dir + "/" + std::string(name) + "/cur").c_str(), &st) == 0 && S_ISDIR(st.st_mode))
            names.emplace_back(name.substr(1));
    }
    ::closedir(d);
    std::ranges::sort(names);
    out.insert(out.end(), names.begin(), names.end());
    return out;
}

std::uint32_t MaildirStore::uidValidity(const std::string& user, const std::string& folder) const {
    std::lock_guard lock(m_mutex);
    auto a = access(user, folder);
    return a ? a->folder->uidValidity : 0;
}

std::uint32_t MaildirStore::uidNext(const std::string& user, const std::string& folder) const {
    std::lock_guard lock(m_mutex);
    auto a = access(user, folder);
    return a ? a->folder->nextUid : 1;
}

// Deleting: the folder directory is first renamed to "mailsim-deleted.<pid>.<time>.<n>" in the user's directory (one
// atomic rename: readers see the folder gone at once), then removed with its files. A crash in between leaves only
// that directory, which is neither a Maildir++ folder (no leading ".") nor part of INBOX (not new/ or cur/), so no
// reader through the store shows it. The user's UIDVALIDITY counter is untouched, so a folder created again under the
// same name gets a greater UIDVALIDITY.
std::expected<void, StoreError> MaildirStore::deleteFolder(const std::string& user, const std::string& folder) {
    std::lock_guard lock(m_mutex);
    settleJournal();
    if (folder == "INBOX") return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::InboxNotDeleted));
    auto dir = folderPath(user, folder);
    if (!dir) return std::unexpected(dir.error());
    struct stat s{};
    if (::stat((*dir + "/cur").c_str(), &s) != 0)
        return std::unexpected(storeFault(StoreErrc::NotFound, StoreStep::NoSuchFolder, folder, user));
    forget(user, folder);
    std::string parent = parentOf(*dir);
    static std::uint64_t deletions = 0;
    std::string doomed = fmt::format("{}/mailsim-deleted.{}.{}.{}", parent, ::getpid(), std::time(nullptr), ++deletions);
    crashPoint();
    if (::rename(dir->c_str(), doomed.c_str()) != 0) return std::unexpected(systemError(StoreStep::Rename, *dir, errno));
    if (auto r = fsyncDir(parent); !r) return std::unexpected(r.error());
    std::error_code ec;
    std::filesystem::remove_all(doomed, ec);
    if (ec) m_warnings.push_back(fileWarning(systemError(StoreStep::Remove, doomed, ec.value())));
    return {};
}

std::expected<void, StoreError> MaildirStore::renameFolder(const std::string& user, const std::string& from,
                                                            const std::string& to) {
    std::lock_guard lock(m_mutex);
    settleJournal();
    if (from == "INBOX" || to == "INBOX")
        return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::InboxNotRenamed));
    auto src = folderPath(user, from);
    if (!src) return std::unexpected(src.error());
    auto dst = folderPath(user, to);
    if (!dst) return std::unexpected(dst.error());
    struct stat s{};
    if (::stat((*src + "/cur").c_str(), &s) != 0)
        return std::unexpected(storeFault(StoreErrc::NotFound, StoreStep::NoSuchFolder, from, user));
    if (::lstat(dst->c_str(), &s) == 0) return std::unexpected(storeFault(StoreErrc::Invalid, StoreStep::FolderExists, to));
    forget(user, from);
    forget(user, to);
    crashPoint();
    if (::rename(src->c_str(), dst->c_str()) != 0) return std::unexpected(systemError(StoreStep::Rename, *src, errno));
    if (auto r = fsyncDir(parentOf(*src)); !r) return std::unexpected(r.error());
    return {};  // the UID list and index move with the directory: UIDs and UIDVALIDITY are kept
}

std::size_t MaildirStore::indexMemoryBytes(const std::string& user, const std::string& folder) const {
    std::lock_guard lock(m_mutex);
    auto it = m_folders.find({user, folder});
    if (it == m_folders.end()) return 0;
    const Folder& f = *it->second;
    constexpr std::size_t kMapNode = 4 * sizeof(void*);      // red-black tree node header
    constexpr std::size_t kSharedBlock = 2 * sizeof(void*);   // make_shared's counts
    std::size_t total = sizeof(Folder);
    for (const auto& [uid, m] : f.messages) {
        total += kMapNode + sizeof(uid) + sizeof(Message);
        if (m.fileName.capacity() > 15) total += m.fileName.capacity() + 1;
        if (m.cached) {
            total += kSharedBlock + sizeof(CachedFields) + m.cached->heapBytes();
        }
    }
    return total;
}

}  // namespace mailsim::store
