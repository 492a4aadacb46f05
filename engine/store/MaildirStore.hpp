// The durable mail store: one Maildir per user (https://cr.yp.to/proto/maildir.html), UIDs kept in a small list file.
//
// Layout under the root directory
//   <root>/<user-address>/              the user's INBOX, a Maildir: tmp/ new/ cur/
//   <root>/<user-address>/.<Folder>/    any other folder, as a Maildir++ subfolder (same tmp/ new/ cur/)
//   <folder>/mailsim-uidlist            "v1 <uidvalidity> <nextuid>" then one "<uid> <file-base>" line per message,
//                                       and "D <file-base>" for a removed message whose file may still exist
// A message file is named `<seconds>.M<micros>P<pid>Q<counter>.<host>,S=<size>` (the Maildir unique name plus the
// Maildir++ size field); in cur/ a reader may append ":2,<flags>". The part before ":2," is the message's base name,
// which is what the UID list records, so flag changes (renames within cur/) keep the UID.
//
// Contract (in addition to MailStore's)
// - `deliver` writes the message to tmp/ (O_EXCL), fsyncs it, renames it into new/ and fsyncs new/ before it records
//   the UID; it returns success only after all of that, so a crash after an SMTP 250 never loses the message. A crash
//   before the UID list is rewritten leaves the file in new/; the next access gives it a UID (nothing is lost).
// - The UID list is replaced atomically (write a temporary file, fsync, rename, fsync the folder), so a crash leaves
//   either the old or the new list, never a torn one.
// - Every operation re-reads the folder: files that appeared in new/ or cur/ without a UID (dropped in by hand, or
//   delivered just before a crash) get the next UIDs in name order (names start with the delivery time); entries
//   whose files vanished are dropped. UIDs are never reused within one UIDVALIDITY (RFC 3501 2.3.1.1).
// - A UID list that cannot be parsed is not trusted: a warning names the file, the line and what was expected, and
//   the list is rebuilt from the directory with a new UIDVALIDITY (so IMAP clients resynchronise). No mail is lost.
// - User names and folder names that could leave the root (containing "/", "..", NUL, or starting with ".") are
//   refused with an error.
// - Flags are the Maildir info suffix ":2,<letters>" (D draft, F flagged, R answered, S seen, T deleted); setting
//   flags renames the file into cur/ with the new suffix (one rename, then both directories fsync'ed).
// - Folders: INBOX is the user's directory; `createFolder` makes a Maildir++ ".<Name>/" with tmp/ new/ cur/ and the
//   "maildirfolder" marker, and gives it a UIDVALIDITY at once.
// - `removeMany` (POP3 UPDATE) guarantees, through this store: all or nothing. Its commit point is the atomic rename
//   of the UID list that drops the messages' entries and records a "D <base>" tombstone for each. A failure before
//   that rename removes nothing (error returned). After it, every access through a MaildirStore hides the
//   tombstoned files and unlinks any that remain, so a crash between the rename and the unlinks is rolled forward:
//   no reader through the store ever sees a subset of the removal. What is NOT guaranteed: a program that lists
//   new/ and cur/ directly (another Maildir reader) sees the files disappear one unlink at a time, because POSIX
//   has no multi-file atomic unlink.
// - Single process, single thread: there is no locking against a second process writing the same Maildir's UID list;
//   the maildrop lock (MailStore::tryLock) is in-process only.
#pragma once

#include "store/MailStore.hpp"

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::store {

class MaildirStore final : public MailStore {
public:
    // The root is created (with its parents) on first delivery if it does not exist.
    explicit MaildirStore(std::string root);

    std::expected<MessageInfo, std::string> deliver(const std::string& user, const std::string& folder,
                                                    std::string_view message, std::int64_t internalDate) override;
    std::vector<MessageInfo> list(const std::string& user, const std::string& folder) const override;
    std::expected<std::string, std::string> read(const std::string& user, const std::string& folder,
                                                 std::uint32_t uid) const override;
    std::expected<void, std::string> remove(const std::string& user, const std::string& folder,
                                            std::uint32_t uid) override;
    std::expected<void, std::string> removeMany(const std::string& user, const std::string& folder,
                                                std::span<const std::uint32_t> uids) override;
    std::expected<void, std::string> setFlags(const std::string& user, const std::string& folder, std::uint32_t uid,
                                              Flags flags) override;
    std::expected<void, std::string> createFolder(const std::string& user, const std::string& folder) override;
    std::vector<std::string> listFolders(const std::string& user) const override;
    std::uint32_t uidNext(const std::string& user, const std::string& folder) const override;
    std::expected<void, std::string> deleteFolder(const std::string& user, const std::string& folder) override;
    std::expected<void, std::string> renameFolder(const std::string& user, const std::string& from,
                                                  const std::string& to) override;
    std::string describe() const override { return "maildir:" + m_root; }

    // The folder's directory (e.g. "<root>/rose@cesoo.com" for INBOX), or an error for an unsafe user/folder name.
    std::expected<std::string, std::string> folderPath(const std::string& user, const std::string& folder) const;
    // UIDVALIDITY of a folder (0 when it has none yet).
    std::uint32_t uidValidity(const std::string& user, const std::string& folder) const override;
    // Problems found while reading folders (corrupt UID list, unreadable file) since the last call; `list`, which
    // cannot fail by interface, reports through here. `mailsim serve` prints them.
    std::vector<std::string> takeWarnings();

    const std::string& root() const { return m_root; }

private:
    struct Entry {
        std::uint32_t uid = 0;
        std::string base;      // file name before ":2,"
        std::string path;      // full path of the file as found (new/ or cur/), empty when it vanished
        std::uint64_t size = 0;
        std::int64_t mtime = 0;  // microseconds
        Flags flags = 0;         // from the ":2,<letters>" suffix
    };
    struct FolderState {
        std::string dir;
        std::uint32_t uidValidity = 0;
        std::uint32_t nextUid = 1;
        std::vector<Entry> entries;  // ascending UID
        std::vector<std::string> tombstones;  // bases removed by removeMany whose files may still exist
    };

    // Reads the UID list and the directory and reconciles them (rewriting the list when it changed).
    std::expected<FolderState, std::string> load(const std::string& user, const std::string& folder) const;
    std::expected<void, std::string> saveUidList(const FolderState& state) const;
    std::string uniqueName(std::size_t size) const;

    std::string m_root;
    std::string m_host;  // for unique names, with "/" and ":" escaped as the Maildir spec says
    mutable std::vector<std::string> m_warnings;
};

// Writes `data` to `path` so that a crash leaves either the old file or the whole new one: a temporary file in the
// same directory (`mode` permissions), fsync, rename over `path`, fsync of the directory. The Maildir's UID lists, the
// real-socket MTA's queue files and the classroom CA's keys and certificates are written this way.
std::expected<void, std::string> writeFileDurably(const std::string& path, std::string_view data, unsigned mode = 0600);

}  // namespace mailsim::store
