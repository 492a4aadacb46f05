// Why a store operation failed, as data: the code a protocol chooses its answer from, the step that failed, the
// file or name it concerns and the system's errno. The words are made from it by one renderer per language
// (`storeErrorText`): English is exactly the text the store always wrote (it goes on the wire in IMAP
// `NO [SERVERBUG] ...` and POP3 `-ERR ... (...)` replies and into logs, and stays byte for byte), Chinese is for the
// trace and the operator (issue #14).
//
// Contract
// - Header-only data plus two pure functions (StoreError.cpp, no I/O): the trace library, which has no dependencies,
//   carries a StoreError in an ErrorReport (trace/Trace.hpp).
// - Each StoreStep documents which fields it uses; the others stay at their defaults. `sysErrno` is 0 unless the
//   step is a system call (isSystemStep).
// - `text()` is storeErrorText(*this, En).
#pragma once

#include "i18n/Lang.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace mailsim::store {

// Why a store operation failed, so the protocol can pick its answer.
enum class StoreErrc : std::uint8_t {
    NotFound,         // no such message or folder
    Invalid,          // a name or argument the store refuses (unsafe user/folder name, keyword syntax)
    ReadOnly,         // the mailbox cannot be changed (read-only file system or permissions)
    NoSpace,          // the disk or a quota is full (ENOSPC, EDQUOT): SMTP 452
    Busy,             // the folder's lock is held by someone else for too long: SMTP 450, try again later
    TooManyKeywords,  // the folder has no room for another keyword (Maildir: 26 letters a-z)
    Io,               // any other system error
};
constexpr std::array<std::string_view, 7> names(StoreErrc) {
    return {"not-found", "invalid", "read-only", "no-space", "busy", "too-many-keywords", "io"};
}

// What failed. The system steps (up to Lock) are a call on `path` that failed with `sysErrno`; English
// "cannot <verb> <path>: <strerror>".
enum class StoreStep : std::uint8_t {
    Create,           // create a file or directory
    Open,             // open a file
    OpenDir,          // open a directory (to fsync it)
    Read,             // read a file
    ReadDir,          // list a directory
    Write,            // write a file
    Close,            // close a file (a late write error)
    Fsync,            // fsync a file
    FsyncDir,         // fsync a directory
    Syncfs,           // syncfs the file system of `path`
    Stat,             // stat a file
    Use,              // use `path` as a directory (it is something else)
    SetDate,          // set a file's modification time (the internal date)
    Rename,           // rename `path` (a message file, a folder)
    RenameInto,       // rename a file to `path`
    RenameIntoPlace,  // rename a temporary file to `path` (a durable write)
    Remove,           // remove a file
    Truncate,         // cut a torn last line off the log `path`
    Lock,             // flock `path`
    // The store's own reasons (sysErrno 0):
    LockTimeout,      // `path` is locked by another process for more than `number` ms
    NoSuchMessage,    // no message with UID `number` in `path` (the folder)
    NoSuchFolder,     // no folder `path` for the user `name`
    InvalidName,      // `name` refused as a user name (`number` 0) or folder name (`number` 1): `problem`
    EmptyFolderName,  // a folder name that is empty
    FolderExists,     // folder `path` already exists
    InboxNotDeleted,  // INBOX cannot be deleted
    InboxNotRenamed,  // INBOX is not renamed by the store (the caller moves its messages)
    CannotDelete,     // this store cannot delete folders (`path`)
    CannotRename,     // this store cannot rename folders (`path`)
    InvalidKeyword,   // `name` is not an RFC 3501 flag-keyword
    TooManyKeywords,  // `path` (the folder) already has `number` keywords
    FolderReadOnly,   // `path` is read-only (its lock file cannot be created)
    Injected,         // `path` (user/folder): a fault the scenario injected; `code` says which (NoSpace, Busy, Io)
    JournalNoMemory,  // no memory for the delivery journal's buffer
    JournalTooBig,    // the journal `path` cannot take a record of `number` bytes
    JournalPending,   // markSettled called while appends are pending (a programming error)
    JournalTooSmall,  // `path` is too small for a delivery journal
    JournalInUse,     // the journal `path` is locked by another mailsim process
    JournalNoSuperblock,  // `path` has no valid superblock (not a delivery journal)
    JournalReplay,    // replaying record `number` of the journal `path` failed: `cause`
    DeliveryFailed,   // a delivery batch failed without naming its copy's error (not expected to happen)
};
constexpr std::array<std::string_view, 41> names(StoreStep) {
    return {"create", "open", "open-dir", "read", "read-dir", "write", "close", "fsync", "fsync-dir", "syncfs",
            "stat", "use", "set-date", "rename", "rename-into", "rename-into-place", "remove", "truncate", "lock",
            "lock-timeout", "no-such-message", "no-such-folder", "invalid-name", "empty-folder-name", "folder-exists",
            "inbox-not-deleted", "inbox-not-renamed", "cannot-delete", "cannot-rename", "invalid-keyword",
            "too-many-keywords", "folder-read-only", "injected", "journal-no-memory", "journal-too-big",
            "journal-pending", "journal-too-small", "journal-in-use", "journal-no-superblock", "journal-replay",
            "delivery-failed"};
}
inline constexpr bool isSystemStep(StoreStep s) { return s <= StoreStep::Lock; }

// Why a user or folder name is refused (MaildirStore: a name must stay inside its directory).
enum class NameProblem : std::uint8_t {
    None,
    Empty,          // it is empty
    Slash,          // it contains '/'
    DotDot,         // it contains '..'
    LeadingDot,     // it starts with '.'
    Control,        // it contains a control character
    NotUtf8,        // it is not well-formed UTF-8
    C1Control,      // it contains a C1 control character
    Bidi,           // it contains a bidirectional control character
    TooLong,        // it is longer than 255 octets (NAME_MAX)
};
constexpr std::array<std::string_view, 10> names(NameProblem) {
    return {"none", "empty", "slash", "dot-dot", "leading-dot", "control", "not-utf8", "c1-control", "bidi", "too-long"};
}
inline constexpr std::uint64_t kMaxNameOctets = 255;

struct StoreError {
    StoreErrc code = StoreErrc::Io;
    StoreStep step = StoreStep::Open;
    std::string path;        // the file, directory or folder concerned (see the step)
    std::string name;        // a name the step refuses (user, folder, keyword)
    std::uint64_t number = 0;  // a UID, a count, a size, milliseconds (see the step)
    int sysErrno = 0;        // errno of a system step; 0 for the store's own reasons
    NameProblem problem = NameProblem::None;  // InvalidName
    std::shared_ptr<const StoreError> cause;  // JournalReplay: the replay's own error

    // The English words (the text on the wire and in logs).
    std::string text() const;

    // The fields a trace keeps (schema 1.4; `cause` is not traced).
    template <typename S, typename V>
    static void fields(S& s, V&& v) {
        v("code", s.code), v("step", s.step), v("path", s.path), v("name", s.name), v("number", s.number),
            v("errno", s.sysErrno), v("problem", s.problem);
    }
};

// The error of a system call `step` on `path` that failed with `err`; its code from errcOf(err).
StoreError systemError(StoreStep step, std::string path, int err);
// The code for an errno: ENOSPC/EDQUOT -> NoSpace, EROFS/EACCES/EPERM -> ReadOnly, ENOENT -> NotFound, else Io.
StoreErrc errcOf(int err);
// A store error of the store's own (not a system call).
StoreError storeFault(StoreErrc code, StoreStep step, std::string path = {}, std::string name = {},
                      std::uint64_t number = 0);

// The words of `e` in `lang`. English: exactly what the store always wrote. Chinese: the same facts, the path, names
// and numbers as given, the errno worded by errnoText.
std::string storeErrorText(const StoreError& e, i18n::Lang lang);
// The system's words for an errno: English strerror; Chinese from a small catalogue of the errnos a store meets,
// else "错误号 N（strerror）".
std::string errnoText(int err, i18n::Lang lang);
// The errnos that catalogue words (for the completeness tests).
std::span<const int> catalogueErrnos();

}  // namespace mailsim::store
