#include "maildir/MaildirFormat.hpp"

#include <array>

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace mailsim::store::maildir {
namespace {

// Maildir info flags, in the ASCII order the spec requires.
constexpr std::pair<char, Flag> kLetters[] = {
    {'D', kDraft}, {'F', kFlagged}, {'R', kAnswered}, {'S', kSeen}, {'T', kDeleted}};

template <typename T>
bool parseNumber(std::string_view s, T& value) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
}

std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\0': out += "\\0"; break;
        default: out += c;
        }
    }
    return out;
}

std::optional<std::string> unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
            continue;
        }
        if (++i == s.size()) return std::nullopt;
        switch (s[i]) {
        case '\\': out += '\\'; break;
        case 't': out += '\t'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case '0': out += '\0'; break;
        default: return std::nullopt;
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        auto at = s.find(sep, start);
        out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) return out;
        start = at + 1;
    }
}

bool validBase(std::string_view base) {
    return !base.empty() && base.front() != '.' && base.find('/') == std::string_view::npos &&
           base.find(' ') == std::string_view::npos && base.find(':') == std::string_view::npos;
}

}  // namespace

std::string_view baseOf(std::string_view fileName) { return fileName.substr(0, fileName.find(':')); }

std::string_view infoOf(std::string_view fileName) {
    auto at = fileName.find(":2,");
    return at == std::string_view::npos ? std::string_view{} : fileName.substr(at + 3);
}

Flags flagsOfInfo(std::string_view letters) {
    Flags out = 0;
    for (char c : letters)
        for (auto [letter, bit] : kLetters)
            if (c == letter) out |= bit;
    return out;
}

std::uint32_t keywordMaskOfInfo(std::string_view letters) {
    std::uint32_t out = 0;
    for (char c : letters)
        if (c >= 'a' && c <= 'z') out |= 1u << (c - 'a');
    return out;
}

std::string infoFor(Flags flags, std::uint32_t keywordMask, std::string_view old) {
    std::string letters;
    for (char c : old) {
        bool managed = (c >= 'a' && c <= 'z') || std::ranges::any_of(kLetters, [&](auto p) { return p.first == c; });
        if (!managed && letters.find(c) == std::string::npos) letters += c;
    }
    for (auto [letter, bit] : kLetters)
        if (flags & bit) letters += letter;
    for (std::size_t i = 0; i < kMaxKeywords; ++i)
        if (keywordMask & (1u << i)) letters += static_cast<char>('a' + i);
    std::ranges::sort(letters);
    return ":2," + letters;
}

std::optional<std::uint64_t> sizeField(std::string_view base, char key) {
    const char tag[] = {',', key, '=', '\0'};
    auto at = base.find(tag);
    if (at == std::string_view::npos) return std::nullopt;
    auto rest = base.substr(at + 3);
    rest = rest.substr(0, rest.find_first_of(",:"));
    std::uint64_t v = 0;
    if (!parseNumber(rest, v)) return std::nullopt;
    return v;
}

std::expected<UidListHeader, std::string> parseUidListHeader(std::string_view line) {
    auto f = split(line, ' ');
    UidListHeader h;
    if (f.size() != 3 || (f[0] != "v1" && f[0] != "v2") || !parseNumber(f[1], h.uidValidity) ||
        !parseNumber(f[2], h.nextUid) || h.uidValidity == 0 || h.nextUid == 0)
        return std::unexpected(fmt::format("expected the header 'v2 <uidvalidity> <nextuid>' with non-zero numbers, "
                                           "found '{}'", line.substr(0, 80)));
    return h;
}

std::expected<UidListLine, std::string> parseUidListLine(std::string_view line, std::uint32_t prevUid) {
    UidListLine out;
    auto sp = line.find(' ');
    if (line.starts_with("D ")) {
        out.kind = UidListLine::Kind::Removed;
        out.base = line.substr(2);
        if (!validBase(out.base))
            return std::unexpected(fmt::format("expected 'D <file name>' (a removed message), found '{}'",
                                               line.substr(0, 80)));
        return out;
    }
    if (sp == std::string_view::npos || !parseNumber(line.substr(0, sp), out.uid))
        return std::unexpected(fmt::format("expected '<uid> <file name>', found '{}'", line.substr(0, 80)));
    if (out.uid <= prevUid)
        return std::unexpected(fmt::format("expected a UID greater than {}, found '{}'", prevUid, line.substr(0, 80)));
    out.base = line.substr(sp + 1);
    if (!validBase(out.base))
        return std::unexpected(fmt::format("expected a Maildir file name (no '/', ':' or space, not starting with "
                                           "'.') after the UID, found '{}'", line.substr(0, 80)));
    return out;
}

std::string uidListHeader(std::uint32_t uidValidity, std::uint32_t nextUid) {
    return fmt::format("v2 {} {}\n", uidValidity, nextUid);
}

std::string uidListLine(const UidListLine& line) {
    return line.kind == UidListLine::Kind::Removed ? fmt::format("D {}\n", line.base)
                                                   : fmt::format("{} {}\n", line.uid, line.base);
}

std::expected<std::uint32_t, std::string> parseIndexHeader(std::string_view line) {
    auto f = split(line, ' ');
    std::uint32_t v = 0;
    if (f.size() != 3 || f[0] != "mailsim-index" || f[1] != "v1" || !parseNumber(f[2], v) || v == 0)
        return std::unexpected(fmt::format("expected the header 'mailsim-index v1 <uidvalidity>', found '{}'",
                                           line.substr(0, 80)));
    return v;
}

std::expected<IndexRecord, std::string> parseIndexRecord(std::string_view line) {
    IndexRecord r;
    auto bad = [&](std::string_view what) {
        return std::unexpected(fmt::format("expected {}, found '{}'", what, line.substr(0, 80)));
    };
    if (line.starts_with("X ")) {
        r.kind = IndexRecord::Kind::Expunge;
        auto f = split(line.substr(2), ' ');
        auto uids = f.size() == 2 ? parseUidRanges(f[1]) : std::optional<std::vector<std::uint32_t>>{};
        if (f.size() > 2 || !parseNumber(f[0], r.modSeq) || (f.size() == 2 && !uids))
            return bad("'X <modseq> [<uid ranges>]'");
        if (uids) r.uids = std::move(*uids);
        return r;
    }
    if (line.starts_with("F ")) {
        r.kind = IndexRecord::Kind::Flags;
        auto f = split(line.substr(2), ' ');
        if (f.size() != 2 || !parseNumber(f[0], r.uid) || !parseNumber(f[1], r.modSeq)) return bad("'F <uid> <modseq>'");
        return r;
    }
    if (!line.starts_with("M ")) return bad("a record M, F or X");
    auto tabs = split(line.substr(2), '\t');
    auto nums = split(tabs[0], ' ');
    if (tabs.size() != 7 || nums.size() != 5 || !parseNumber(nums[0], r.uid) || !parseNumber(nums[1], r.modSeq) ||
        !parseNumber(nums[2], r.diskSize) || !parseNumber(nums[3], r.wireSize) || !parseNumber(nums[4], r.internalDate))
        return bad("'M <uid> <modseq> <disk> <wire> <date>' and six tab-separated fields");
    std::array<std::string, CachedFields::kFields> fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        auto v = unescape(tabs[i + 1]);
        if (!v) return bad("fields escaped with \\\\ \\t \\n \\r \\0");
        fields[i] = std::move(*v);
    }
    std::array<std::string_view, CachedFields::kFields> views;
    for (std::size_t i = 0; i < views.size(); ++i) views[i] = fields[i];
    r.cached = std::make_shared<const CachedFields>(views);
    return r;
}

std::string indexHeader(std::uint32_t uidValidity) { return fmt::format("mailsim-index v1 {}\n", uidValidity); }

std::string indexRecord(const IndexRecord& r) {
    switch (r.kind) {
    case IndexRecord::Kind::Expunge:
        return r.uids.empty() ? fmt::format("X {}\n", r.modSeq) : fmt::format("X {} {}\n", r.modSeq, uidRanges(r.uids));
    case IndexRecord::Kind::Flags: return fmt::format("F {} {}\n", r.uid, r.modSeq);
    case IndexRecord::Kind::Message: break;
    }
    static const CachedFields kEmpty;
    const CachedFields& c = r.cached ? *r.cached : kEmpty;
    return fmt::format("M {} {} {} {} {}\t{}\t{}\t{}\t{}\t{}\t{}\n", r.uid, r.modSeq, r.diskSize, r.wireSize,
                       r.internalDate, escape(c.get(CachedFields::Envelope)), escape(c.get(CachedFields::From)),
                       escape(c.get(CachedFields::To)), escape(c.get(CachedFields::Cc)), escape(c.get(CachedFields::Bcc)),
                       escape(c.get(CachedFields::Subject)));
}

std::string uidRanges(const std::vector<std::uint32_t>& ascending) {
    std::string out;
    for (std::size_t i = 0; i < ascending.size();) {
        std::size_t j = i;
        while (j + 1 < ascending.size() && ascending[j + 1] == ascending[j] + 1) ++j;
        out += (out.empty() ? "" : ",") + (i == j ? fmt::format("{}", ascending[i])
                                                  : fmt::format("{}:{}", ascending[i], ascending[j]));
        i = j + 1;
    }
    return out;
}

std::optional<std::vector<std::uint32_t>> parseUidRanges(std::string_view text) {
    std::vector<std::uint32_t> out;
    for (auto part : split(text, ',')) {
        auto colon = part.find(':');
        std::uint32_t lo = 0, hi = 0;
        if (!parseNumber(part.substr(0, colon), lo) ||
            !parseNumber(colon == std::string_view::npos ? part : part.substr(colon + 1), hi) || lo == 0 || hi < lo ||
            (!out.empty() && lo <= out.back()) || hi - lo > (1u << 24))
            return std::nullopt;
        for (std::uint64_t u = lo; u <= hi; ++u) out.push_back(static_cast<std::uint32_t>(u));
    }
    return out;
}

std::expected<std::vector<std::string>, std::string> parseKeywords(std::string_view text) {
    std::vector<std::string> out;
    std::size_t consumed = 0;
    int lineNo = 0;
    for (auto line : completeLines(text, consumed)) {
        ++lineNo;
        if (line.empty()) continue;
        auto sp = line.find(' ');
        std::size_t idx = 0;
        if (sp == std::string_view::npos || !parseNumber(line.substr(0, sp), idx) || idx >= kMaxKeywords ||
            !isValidKeyword(line.substr(sp + 1)))
            return std::unexpected(fmt::format("line {}: expected '<0..25> <keyword>', found '{}'", lineNo,
                                               line.substr(0, 80)));
        if (out.size() <= idx) out.resize(idx + 1);
        out[idx] = line.substr(sp + 1);
    }
    return out;
}

std::string keywordsText(const std::vector<std::string>& keywords) {
    std::string out;
    for (std::size_t i = 0; i < keywords.size(); ++i)
        if (!keywords[i].empty()) out += fmt::format("{} {}\n", i, keywords[i]);
    return out;
}

std::vector<std::string_view> completeLines(std::string_view text, std::size_t& consumed) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string_view::npos; start = nl + 1)
        out.push_back(text.substr(start, nl - start));
    consumed = start;
    return out;
}

}  // namespace mailsim::store::maildir
