// What the Maildir store tells its operator besides a failed operation (MaildirStore::takeWarnings): typed data, so
// the layer that prints it words it in the operator's language (sim/serve/ServeText.hpp: storeWarningText). The store
// writes no sentence of its own here; a file error is the typed StoreError `error` (worded per language by
// store::storeErrorText), and `detail` holds only a format parser's diagnostic (MaildirFormat, e.g. "expected the
// header 'v2 <uidvalidity> <nextuid>'"), which names the file format's own syntax.
#pragma once

#include "store/StoreError.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace mailsim::store {

enum class StoreWarningKind : std::uint8_t {
    UidListDamaged,     // `path`:`line` (0: a line appended later, its number unknown): `detail`; the UID list is rebuilt from the directory (UIDVALIDITY changes)
    UidListUnreadable,  // `error` (the file error); the UID list is rebuilt from the directory
    IndexMissing,       // `path` is missing; the index is rebuilt from the message files
    IndexDamaged,       // `path`: `detail`; the index is rebuilt from the message files
    KeywordsIgnored,    // `path`: `detail`; that file's keywords are ignored
    UidsInMemoryOnly,   // `error` (the file error): new UIDs are kept in memory only
    TmpRemoved,         // `path` removed: untouched in tmp/ for more than 36 hours (Maildir rule)
    JournalReplayed,    // `path`: `count` unsettled deliveries found after a crash, `redone` copies redone
    JournalNotSettled,  // `error`: a checkpoint of the delivery journal failed; its records stay, it is retried
    FileError,          // `error`: a file operation failed (reading or tidying; nothing was lost)
};
inline constexpr StoreWarningKind kLastStoreWarningKind = StoreWarningKind::FileError;

struct StoreWarning {
    StoreWarningKind kind = StoreWarningKind::FileError;
    std::string path;
    std::uint64_t line = 0;
    std::uint64_t count = 0;
    std::uint64_t redone = 0;
    std::string detail;                // a format parser's diagnostic (UidListDamaged, IndexDamaged, KeywordsIgnored)
    std::optional<StoreError> error;   // the file error (UidListUnreadable, UidsInMemoryOnly, JournalNotSettled, FileError)
};

// A warning of `kind` about `path` (may be empty) with a lower layer's `detail` (may be empty).
inline StoreWarning storeWarning(StoreWarningKind kind, std::string path, std::string detail = {}) {
    StoreWarning w;
    w.kind = kind;
    w.path = std::move(path);
    w.detail = std::move(detail);
    return w;
}
// A file operation that failed (`kind`: FileError, UidListUnreadable, UidsInMemoryOnly or JournalNotSettled).
inline StoreWarning fileWarning(StoreError error, StoreWarningKind kind = StoreWarningKind::FileError) {
    StoreWarning w = storeWarning(kind, {});
    w.error = std::move(error);
    return w;
}

}  // namespace mailsim::store
