// The on-disk formats of the Maildir store, as pure functions (no I/O), so they are tested on their own.
//
// File names (https://cr.yp.to/proto/maildir.html, Maildir++ and Dovecot conventions)
//   <seconds>.M<micros>P<pid>Q<counter>.<host>,S=<disk size>,W=<wire size>[:2,<info>]
//   The base (before ":") never changes; the info letters are the flags: system flags D F P R S T (upper case) and
//   keywords a..z (letter i = line i of "dovecot-keywords"), all in ASCII order. Letters this store does not know
//   (e.g. P "passed") are kept when it renames the file.
//
// mailsim-uidlist (one per folder; the first line is rewritten only by compaction, the rest is appended)
//   v2 <uidvalidity> <nextuid>          header ("v1" of older mailsim versions is read the same way)
//   <uid> <base>                        a message (UIDs strictly increasing; nextuid = max(header, last uid + 1))
//   D <base>                            a removal (commit point of removeMany); the file may still exist
//
// mailsim-index (a cache of what FETCH/SEARCH/POP3 need; rebuilt from the files when missing or damaged)
//   mailsim-index v1 <uidvalidity>
//   M <uid> <modseq> <disk> <wire> <internal date us>\t<envelope>\t<from>\t<to>\t<cc>\t<bcc>\t<subject>
//   F <uid> <modseq>                    the message's flags changed (the flags themselves are in its file name)
//   X <modseq> <uid ranges>             an expunge: the UIDs removed by the change with that MODSEQ, as "4:7,9"
//                                       (remembered for QRESYNC's VANISHED (EARLIER), RFC 7162 3.2.5.2)
//   X <modseq>                          an expunge whose UIDs are not known (older mailsim versions, or a rebuilt
//                                       index): expunges up to that MODSEQ cannot be listed
//   Text fields escape \ TAB LF CR NUL as \\ \t \n \r \0. A last line without LF (a torn append) is ignored.
//
// dovecot-keywords: "<index> <keyword>" per line, index 0..25 = letters a..z (Dovecot's format, so Dovecot and
// mailsim agree on the letters of a shared Maildir).
#pragma once

#include "store/MailStore.hpp"

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::store::maildir {

inline constexpr std::size_t kMaxKeywords = 26;

std::string_view baseOf(std::string_view fileName);
// The info letters after ":2," ("" when the name has no info).
std::string_view infoOf(std::string_view fileName);
Flags flagsOfInfo(std::string_view letters);
std::uint32_t keywordMaskOfInfo(std::string_view letters);
// ":2," + the letters for these flags and keywords, plus the letters of `old` this store does not manage, sorted.
std::string infoFor(Flags flags, std::uint32_t keywordMask, std::string_view old);
// The value of ",S=" or ",W=" in a base name (Maildir++ / Dovecot size fields).
std::optional<std::uint64_t> sizeField(std::string_view base, char key);

struct UidListLine {
    enum class Kind { Message, Removed } kind = Kind::Message;
    std::uint32_t uid = 0;
    std::string base;
};
struct UidListHeader {
    std::uint32_t uidValidity = 0;
    std::uint32_t nextUid = 1;
};
// Parses the header line; the error says what was expected.
std::expected<UidListHeader, std::string> parseUidListHeader(std::string_view line);
// Parses one body line; `prevUid` is the last message UID seen (UIDs must increase).
std::expected<UidListLine, std::string> parseUidListLine(std::string_view line, std::uint32_t prevUid);
std::string uidListHeader(std::uint32_t uidValidity, std::uint32_t nextUid);
std::string uidListLine(const UidListLine& line);

struct IndexRecord {
    enum class Kind { Message, Flags, Expunge } kind = Kind::Message;
    std::uint32_t uid = 0;
    std::uint64_t modSeq = 0;
    std::uint64_t diskSize = 0, wireSize = 0;
    std::int64_t internalDate = 0;
    std::shared_ptr<const CachedFields> cached;  // Message records only
    std::vector<std::uint32_t> uids;             // Expunge records: the UIDs removed (ascending; empty: unknown)
};
std::expected<std::uint32_t, std::string> parseIndexHeader(std::string_view line);  // the UIDVALIDITY
std::expected<IndexRecord, std::string> parseIndexRecord(std::string_view line);
std::string indexHeader(std::uint32_t uidValidity);
std::string indexRecord(const IndexRecord& record);

// "4:7,9" for the ascending UIDs 4 5 6 7 9; parseUidRanges is its inverse (nullopt when malformed or unordered).
std::string uidRanges(const std::vector<std::uint32_t>& ascending);
std::optional<std::vector<std::uint32_t>> parseUidRanges(std::string_view text);

// "dovecot-keywords": the keyword of each letter (index), or an error naming the line.
std::expected<std::vector<std::string>, std::string> parseKeywords(std::string_view text);
std::string keywordsText(const std::vector<std::string>& keywords);

// Splits `text` into complete lines (without "\n"); `consumed` receives the length up to the last "\n".
std::vector<std::string_view> completeLines(std::string_view text, std::size_t& consumed);

}  // namespace mailsim::store::maildir
