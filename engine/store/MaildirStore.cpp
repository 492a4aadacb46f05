#include "store/MaildirStore.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <ctime>
#include <map>
#include <utility>
#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailsim::store {
namespace {

constexpr const char* kUidListName = "mailsim-uidlist";

std::string sysError(std::string_view what, const std::string& path, int err = errno) {
    return fmt::format("{} {}: {}", what, path, std::strerror(err));
}

// Closes a file descriptor on scope exit (unless released).
class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (m_fd >= 0) ::close(m_fd);
    }
    int get() const { return m_fd; }
    // Closes now and reports close(2)'s result (a late write error may surface only here).
    int close() { return ::close(std::exchange(m_fd, -1)); }

private:
    int m_fd;
};

std::expected<void, std::string> fsyncDir(const std::string& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return std::unexpected(sysError("cannot open directory", dir));
    if (::fsync(fd.get()) != 0) return std::unexpected(sysError("cannot fsync directory", dir));
    return {};
}

std::string parentOf(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// mkdir -p; each directory created is made durable by fsyncing its parent (a new directory entry is only on disk
// once its parent directory is).
std::expected<void, std::string> makeDirs(const std::string& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) return {};
        return std::unexpected(sysError("cannot use", path, ENOTDIR));
    }
    if (errno != ENOENT) return std::unexpected(sysError("cannot stat", path));
    std::string parent = parentOf(path);
    if (parent != path)
        if (auto r = makeDirs(parent); !r) return r;
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return std::unexpected(sysError("cannot create", path));
    return fsyncDir(parent);
}

std::expected<void, std::string> writeAll(int fd, std::string_view data, const std::string& path) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::unexpected(sysError("cannot write", path));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// `openErrno` (when given) receives errno of a failed open, so callers can tell "missing" from "unreadable".
std::expected<std::string, std::string> readFile(const std::string& path, int* openErrno = nullptr) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (openErrno) *openErrno = errno;
        return std::unexpected(sysError("cannot open", path));
    }
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::unexpected(sysError("cannot read", path));
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

// A path component that stays inside its directory: not empty, no "/", no NUL or control characters, no "..", and
// not starting with "." (which would also collide with Maildir++ folders and tmp files).
std::expected<void, std::string> checkComponent(std::string_view kind, std::string_view name) {
    auto bad = [&](std::string_view why) {
        return std::unexpected(fmt::format("refusing {} name '{}': {}", kind, name, why));
    };
    if (name.empty()) return bad("it is empty");
    if (name.find('/') != std::string_view::npos) return bad("it contains '/'");
    if (name.find("..") != std::string_view::npos) return bad("it contains '..'");
    if (name.front() == '.') return bad("it starts with '.'");
    if (std::ranges::any_of(name, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        return bad("it contains a control character");
    return {};
}

std::string baseOf(std::string_view fileName) {
    auto colon = fileName.find(':');  // ":2,<flags>" (Maildir info)
    return std::string(fileName.substr(0, colon));
}

struct Found {
    std::string path;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
    Flags flags = 0;
};

// Maildir info flags (https://cr.yp.to/proto/maildir.html), in the ASCII order the spec requires.
constexpr std::pair<char, Flag> kMaildirFlags[] = {
    {'D', kDraft}, {'F', kFlagged}, {'R', kAnswered}, {'S', kSeen}, {'T', kDeleted}};

Flags flagsOf(std::string_view fileName) {
    auto info = fileName.find(":2,");
    if (info == std::string_view::npos) return 0;
    Flags out = 0;
    for (char c : fileName.substr(info + 3))
        for (auto [letter, bit] : kMaildirFlags)
            if (c == letter) out |= bit;
    return out;
}

std::string maildirInfo(Flags flags) {
    std::string out = ":2,";
    for (auto [letter, bit] : kMaildirFlags)
        if (flags & bit) out += letter;
    return out;
}

// Adds the messages of <dir>/<sub> to `out` (base name -> file). A missing directory is simply empty.
std::expected<void, std::string> scanDir(const std::string& dir, std::string_view sub,
                                        std::map<std::string, Found>& out) {
    std::string path = dir + "/" + std::string(sub);
    DIR* d = ::opendir(path.c_str());
    if (!d) {
        if (errno == ENOENT) return {};
        return std::unexpected(sysError("cannot read directory", path));
    }
    while (dirent* e = ::readdir(d)) {
        std::string_view name = e->d_name;
        if (name.empty() || name.front() == '.') continue;
        std::string file = path + "/" + std::string(name);
        struct stat st{};
        if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        Found f{file, static_cast<std::uint64_t>(st.st_size),
                static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000 + st.st_mtim.tv_nsec / 1000, flagsOf(name)};
        out.emplace(baseOf(name), std::move(f));  // the same base in new/ and cur/: the first one found wins
    }
    ::closedir(d);
    return {};
}

template <typename T>
bool parseNumber(std::string_view s, T& value) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
}

struct ParsedList {
    std::uint32_t uidValidity = 0;
    std::uint32_t nextUid = 1;
    std::vector<std::pair<std::uint32_t, std::string>> entries;
    std::vector<std::string> tombstones;  // "D <base>": removed, file maybe not yet unlinked
};

// Parses a UID list; the error says where and what was expected.
std::expected<ParsedList, std::string> parseUidList(std::string_view text, const std::string& path) {
    ParsedList out;
    std::size_t lineNo = 0;
    std::uint32_t prevUid = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++lineNo;
        auto fail = [&](std::string_view expected) {
            return std::unexpected(fmt::format("{}:{}: expected {}, found '{}'", path, lineNo, expected,
                                               line.substr(0, 80)));
        };
        auto sp = line.find(' ');
        if (lineNo == 1) {
            auto sp2 = sp == std::string_view::npos ? sp : line.find(' ', sp + 1);
            if (line.substr(0, sp) != "v1" || sp2 == std::string_view::npos ||
                !parseNumber(line.substr(sp + 1, sp2 - sp - 1), out.uidValidity) ||
                !parseNumber(line.substr(sp2 + 1), out.nextUid) || out.uidValidity == 0 || out.nextUid == 0)
                return fail("the header 'v1 <uidvalidity> <nextuid>' with non-zero numbers");
            continue;
        }
        if (line.empty() && text.empty()) break;  // final newline
        if (line.starts_with("D ")) {
            std::string_view base = line.substr(2);
            if (base.empty() || base.find('/') != std::string_view::npos || base.front() == '.')
                return fail("'D <file name>' (a removed message)");
            out.tombstones.emplace_back(base);
            continue;
        }
        std::uint32_t uid = 0;
        if (sp == std::string_view::npos || !parseNumber(line.substr(0, sp), uid))
            return fail("'<uid> <file name>'");
        std::string_view base = line.substr(sp + 1);
        if (uid <= prevUid || uid >= out.nextUid)
            return fail(fmt::format("a UID greater than {} and below nextuid {}", prevUid, out.nextUid));
        if (base.empty() || base.find('/') != std::string_view::npos || base.find(' ') != std::string_view::npos ||
            base.front() == '.')
            return fail("a Maildir file name (no '/', no space, not starting with '.') after the UID");
        out.entries.emplace_back(uid, std::string(base));
        prevUid = uid;
    }
    if (lineNo == 0)
        return std::unexpected(path + ":1: expected the header 'v1 <uidvalidity> <nextuid>', found an empty file");
    return out;
}

std::uint32_t freshUidValidity() { return static_cast<std::uint32_t>(std::time(nullptr)); }

std::uint64_t g_deliveryCounter = 0;  // process-wide, so two stores on one root never produce the same name

}  // namespace

MaildirStore::MaildirStore(std::string root) : m_root(std::move(root)) {
    while (m_root.size() > 1 && m_root.back() == '/') m_root.pop_back();
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::strcpy(host, "localhost");
    // Maildir: "/" becomes \057 and ":" becomes \072 in the host part of the unique name.
    for (const char* p = host; *p; ++p) {
        if (*p == '/') m_host += "\\057";
        else if (*p == ':') m_host += "\\072";
        else m_host += *p;
    }
}

std::expected<std::string, std::string> MaildirStore::folderPath(const std::string& user,
                                                                 const std::string& folder) const {
    if (auto ok = checkComponent("user", user); !ok) return std::unexpected(ok.error());
    std::string dir = m_root + "/" + user;
    if (folder == "INBOX") return dir;
    if (auto ok = checkComponent("folder", folder); !ok) return std::unexpected(ok.error());
    return dir + "/." + folder;  // Maildir++ subfolder
}

std::vector<std::string> MaildirStore::takeWarnings() { return std::exchange(m_warnings, {}); }

std::expected<MaildirStore::FolderState, std::string> MaildirStore::load(const std::string& user,
                                                                         const std::string& folder) const {
    auto dir = folderPath(user, folder);
    if (!dir) return std::unexpected(dir.error());
    FolderState st;
    st.dir = *dir;
    const std::string listPath = st.dir + "/" + kUidListName;

    bool changed = false;
    std::vector<std::pair<std::uint32_t, std::string>> listed;
    std::vector<std::string> tombstones;
    int openErrno = 0;
    if (auto text = readFile(listPath, &openErrno); text) {
        if (auto parsed = parseUidList(*text, listPath); parsed) {
            st.uidValidity = parsed->uidValidity;
            st.nextUid = parsed->nextUid;
            listed = std::move(parsed->entries);
            tombstones = std::move(parsed->tombstones);
        } else {
            m_warnings.push_back(parsed.error() +
                                 "; the UID list is rebuilt from the directory (no mail lost, UIDVALIDITY changes)");
            changed = true;
        }
    } else if (openErrno != ENOENT) {
        m_warnings.push_back(text.error() + "; the UID list is rebuilt from the directory");
        changed = true;
    }
    if (st.uidValidity == 0) st.uidValidity = freshUidValidity();

    std::map<std::string, Found> files;
    for (std::string_view sub : {"new", "cur"})
        if (auto r = scanDir(st.dir, sub, files); !r) return std::unexpected(r.error());

    // Removals committed by removeMany but not finished (a crash, or an unlink that failed): finish them now.
    for (const auto& base : tombstones) {
        changed = true;
        auto it = files.find(base);
        if (it == files.end()) continue;
        if (::unlink(it->second.path.c_str()) != 0 && errno != ENOENT) {
            m_warnings.push_back(sysError("cannot remove", it->second.path));
            st.tombstones.push_back(base);  // still hidden; try again next time
        } else {
            (void)fsyncDir(parentOf(it->second.path));
        }
        files.erase(it);
    }
    for (auto& [uid, base] : listed) {
        auto it = files.find(base);
        if (it == files.end()) {  // deleted behind our back (or by a crash after unlink): the UID is gone
            changed = true;
            continue;
        }
        st.entries.push_back({uid, base, it->second.path, it->second.size, it->second.mtime, it->second.flags});
        files.erase(it);
    }
    for (auto& [base, f] : files) {  // unknown files, in name (= delivery time) order
        st.entries.push_back({st.nextUid++, base, f.path, f.size, f.mtime, f.flags});
        changed = true;
    }
    struct stat listStat{};
    if (changed && (!st.entries.empty() || ::stat(listPath.c_str(), &listStat) == 0))
        if (auto r = saveUidList(st); !r) m_warnings.push_back(r.error());
    return st;
}

std::expected<void, std::string> MaildirStore::saveUidList(const FolderState& state) const {
    std::string text = fmt::format("v1 {} {}\n", state.uidValidity, state.nextUid);
    for (const auto& e : state.entries) text += fmt::format("{} {}\n", e.uid, e.base);
    for (const auto& base : state.tombstones) text += fmt::format("D {}\n", base);
    return writeFileDurably(state.dir + "/" + kUidListName, text);
}

std::expected<void, std::string> writeFileDurably(const std::string& path, std::string_view text, unsigned mode) {
    const std::string dir = parentOf(path);
    const std::string tmp = fmt::format("{}/.{}.tmp.{}", dir, path.substr(path.find_last_of('/') + 1), ::getpid());
    {
        Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode)));
        if (fd.get() < 0) return std::unexpected(sysError("cannot create", tmp));
        auto fail = [&](std::string msg) {
            fd.close();
            ::unlink(tmp.c_str());
            return std::unexpected(std::move(msg));
        };
        if (auto r = writeAll(fd.get(), text, tmp); !r) return fail(r.error());
        if (::fsync(fd.get()) != 0) return fail(sysError("cannot fsync", tmp));
        if (fd.close() != 0) return fail(sysError("cannot close", tmp));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto msg = sysError("cannot rename into place", path);
        ::unlink(tmp.c_str());
        return std::unexpected(msg);
    }
    return fsyncDir(dir);
}

// Microseconds and the counter are zero-padded so that, within one process, file names sort in delivery order (UIDs
// for files found without a UID-list entry are assigned in name order).
std::string MaildirStore::uniqueName(std::size_t size) const {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return fmt::format("{}.M{:06}P{}Q{:08}.{},S={}", ts.tv_sec, ts.tv_nsec / 1000, ::getpid(), ++g_deliveryCounter, m_host,
                       size);
}

std::expected<MessageInfo, std::string> MaildirStore::deliver(const std::string& user, const std::string& folder,
                                                              std::string_view message, std::int64_t internalDate) {
    auto st = load(user, folder);
    if (!st) return std::unexpected(st.error());
    for (std::string_view sub : {"tmp", "new", "cur"})
        if (auto r = makeDirs(st->dir + "/" + std::string(sub)); !r) return std::unexpected(r.error());

    // 1. tmp/<unique>: created exclusively, written, dated, fsync'ed.
    std::string name;
    std::string tmpPath;
    int raw = -1;
    for (int attempt = 0; attempt < 5 && raw < 0; ++attempt) {
        name = uniqueName(message.size());
        tmpPath = st->dir + "/tmp/" + name;
        raw = ::open(tmpPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (raw < 0 && errno != EEXIST) break;
    }
    if (raw < 0) return std::unexpected(sysError("cannot create", tmpPath));
    Fd fd(raw);
    auto fail = [&](std::string msg) -> std::unexpected<std::string> {
        if (fd.get() >= 0) fd.close();
        ::unlink(tmpPath.c_str());
        return std::unexpected(std::move(msg));
    };
    if (auto r = writeAll(fd.get(), message, tmpPath); !r) return fail(r.error());
    if (internalDate > 0) {  // the internal date (IMAP INTERNALDATE) is the file's mtime, as in other Maildir servers
        timespec times[2];
        times[0].tv_sec = times[1].tv_sec = internalDate / 1'000'000;
        times[0].tv_nsec = times[1].tv_nsec = (internalDate % 1'000'000) * 1000;
        if (::futimens(fd.get(), times) != 0) return fail(sysError("cannot set the date of", tmpPath));
    }
    if (::fsync(fd.get()) != 0) return fail(sysError("cannot fsync", tmpPath));
    if (fd.close() != 0) return fail(sysError("cannot close", tmpPath));

    // 2. rename into new/ and make the rename durable.
    std::string newPath = st->dir + "/new/" + name;
    if (::rename(tmpPath.c_str(), newPath.c_str()) != 0) return fail(sysError("cannot rename into", newPath));
    auto unlinkNew = [&](std::string msg) -> std::unexpected<std::string> {
        ::unlink(newPath.c_str());
        (void)fsyncDir(st->dir + "/new");
        return std::unexpected(std::move(msg));
    };
    if (auto r = fsyncDir(st->dir + "/new"); !r) return unlinkNew(r.error());

    // 3. the UID.
    MessageInfo info;
    info.uid = st->nextUid++;
    info.size = message.size();
    info.internalDate = internalDate;
    info.storageId = name;
    st->entries.push_back({info.uid, name, newPath, info.size, internalDate});
    if (auto r = saveUidList(*st); !r) return unlinkNew(r.error());
    return info;
}

std::vector<MessageInfo> MaildirStore::list(const std::string& user, const std::string& folder) const {
    std::vector<MessageInfo> out;
    auto st = load(user, folder);
    if (!st) {
        m_warnings.push_back(st.error());
        return out;
    }
    for (const auto& e : st->entries) out.push_back({e.uid, e.size, e.mtime, e.base, e.flags});
    return out;
}

std::expected<std::string, std::string> MaildirStore::read(const std::string& user, const std::string& folder,
                                                           std::uint32_t uid) const {
    auto st = load(user, folder);
    if (!st) return std::unexpected(st.error());
    for (const auto& e : st->entries)
        if (e.uid == uid) return readFile(e.path);
    return std::unexpected(fmt::format("no message with UID {} in {}", uid, st->dir));
}

std::expected<void, std::string> MaildirStore::remove(const std::string& user, const std::string& folder,
                                                      std::uint32_t uid) {
    std::uint32_t one[] = {uid};
    return removeMany(user, folder, one);
}

std::expected<void, std::string> MaildirStore::removeMany(const std::string& user, const std::string& folder,
                                                          std::span<const std::uint32_t> uids) {
    auto st = load(user, folder);
    if (!st) return std::unexpected(st.error());
    std::vector<Entry> doomed;
    for (auto uid : uids) {
        auto it = std::ranges::find(st->entries, uid, &Entry::uid);
        if (it == st->entries.end()) return std::unexpected(fmt::format("no message with UID {} in {}", uid, st->dir));
        doomed.push_back(*it);
    }
    if (doomed.empty()) return {};
    // 1. Commit: one atomic rename of the UID list that drops the entries and records tombstones. Before it nothing
    //    is removed; after it every reader through this store sees all of them gone (load() hides tombstoned files).
    std::erase_if(st->entries, [&](const Entry& e) { return std::ranges::find(uids, e.uid) != uids.end(); });
    for (const auto& e : doomed) st->tombstones.push_back(e.base);
    if (auto r = saveUidList(*st); !r) return std::unexpected(r.error());
    // 2. Unlink the files and make that durable; a failure leaves the tombstone, and the next load() retries.
    std::vector<std::string> keep;
    for (const auto& e : doomed) {
        if (::unlink(e.path.c_str()) != 0 && errno != ENOENT) {
            m_warnings.push_back(sysError("cannot remove", e.path));
            keep.push_back(e.base);
            continue;
        }
        if (auto r = fsyncDir(parentOf(e.path)); !r) m_warnings.push_back(r.error());
    }
    // 3. Drop the tombstones of the files that are gone.
    st->tombstones = std::move(keep);
    if (auto r = saveUidList(*st); !r) m_warnings.push_back(r.error());
    return {};
}

std::expected<void, std::string> MaildirStore::setFlags(const std::string& user, const std::string& folder,
                                                        std::uint32_t uid, Flags flags) {
    auto st = load(user, folder);
    if (!st) return std::unexpected(st.error());
    auto it = std::ranges::find(st->entries, uid, &Entry::uid);
    if (it == st->entries.end()) return std::unexpected(fmt::format("no message with UID {} in {}", uid, st->dir));
    // Flags live in the name's ":2,<letters>" suffix, which only files in cur/ carry (a message with info has been
    // seen by a mail reader), so the message moves new/ -> cur/. The base name, and so the UID, stays.
    std::string target = st->dir + "/cur/" + it->base + maildirInfo(flags & kAllFlags);
    if (target == it->path) return {};
    if (auto r = makeDirs(st->dir + "/cur"); !r) return std::unexpected(r.error());
    if (::rename(it->path.c_str(), target.c_str()) != 0) return std::unexpected(sysError("cannot rename", it->path));
    if (auto r = fsyncDir(st->dir + "/cur"); !r) m_warnings.push_back(r.error());
    if (parentOf(it->path) != st->dir + "/cur")
        if (auto r = fsyncDir(parentOf(it->path)); !r) m_warnings.push_back(r.error());
    return {};
}

std::expected<void, std::string> MaildirStore::createFolder(const std::string& user, const std::string& folder) {
    auto dir = folderPath(user, folder);
    if (!dir) return std::unexpected(dir.error());
    for (std::string_view sub : {"tmp", "new", "cur"})
        if (auto r = makeDirs(*dir + "/" + std::string(sub)); !r) return std::unexpected(r.error());
    if (folder != "INBOX") {  // Maildir++ marks subfolders with an empty "maildirfolder" file
        std::string marker = *dir + "/maildirfolder";
        Fd fd(::open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        if (fd.get() < 0) return std::unexpected(sysError("cannot create", marker));
    }
    auto st = load(user, folder);
    if (!st) return std::unexpected(st.error());
    struct stat s{};
    if (::stat((st->dir + "/" + kUidListName).c_str(), &s) != 0)  // give the new folder its UIDVALIDITY now
        if (auto r = saveUidList(*st); !r) return std::unexpected(r.error());
    return {};
}

std::vector<std::string> MaildirStore::listFolders(const std::string& user) const {
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
    auto st = load(user, folder);
    if (!st) return 0;
    struct stat s{};
    return ::stat((st->dir + "/" + kUidListName).c_str(), &s) == 0 ? st->uidValidity : 0;
}

std::uint32_t MaildirStore::uidNext(const std::string& user, const std::string& folder) const {
    auto st = load(user, folder);
    return st ? st->nextUid : 1;
}

// Deleting: the folder directory is first renamed to "mailsim-deleted.<pid>.<time>.<n>" in the user's directory (one
// atomic rename: readers see the folder gone at once), then removed with its files. A crash in between leaves only
// that directory, which is neither a Maildir++ folder (no leading ".") nor part of INBOX (not new/ or cur/), so no
// reader through the store shows it.
std::expected<void, std::string> MaildirStore::deleteFolder(const std::string& user, const std::string& folder) {
    if (folder == "INBOX") return std::unexpected(std::string("INBOX cannot be deleted"));
    auto dir = folderPath(user, folder);
    if (!dir) return std::unexpected(dir.error());
    struct stat s{};
    if (::stat((*dir + "/cur").c_str(), &s) != 0) return std::unexpected("no folder " + folder + " for " + user);
    std::string parent = parentOf(*dir);
    static std::uint64_t deletions = 0;  // single-threaded store (see the header)
    std::string doomed = fmt::format("{}/mailsim-deleted.{}.{}.{}", parent, ::getpid(), std::time(nullptr), ++deletions);
    if (::rename(dir->c_str(), doomed.c_str()) != 0) return std::unexpected(sysError("cannot rename", *dir));
    if (auto r = fsyncDir(parent); !r) return std::unexpected(r.error());
    std::error_code ec;
    std::filesystem::remove_all(doomed, ec);
    if (ec) m_warnings.push_back("cannot remove " + doomed + ": " + ec.message());
    return {};
}

std::expected<void, std::string> MaildirStore::renameFolder(const std::string& user, const std::string& from,
                                                            const std::string& to) {
    if (from == "INBOX" || to == "INBOX") return std::unexpected(std::string("INBOX is not renamed by the store"));
    auto src = folderPath(user, from);
    if (!src) return std::unexpected(src.error());
    auto dst = folderPath(user, to);
    if (!dst) return std::unexpected(dst.error());
    struct stat s{};
    if (::stat((*src + "/cur").c_str(), &s) != 0) return std::unexpected("no folder " + from + " for " + user);
    if (::lstat(dst->c_str(), &s) == 0) return std::unexpected("folder " + to + " already exists");
    if (::rename(src->c_str(), dst->c_str()) != 0) return std::unexpected(sysError("cannot rename", *src));
    if (auto r = fsyncDir(parentOf(*src)); !r) return std::unexpected(r.error());
    return {};  // the UID list moves with the directory: UIDs and UIDVALIDITY are kept
}

}  // namespace mailsim::store
