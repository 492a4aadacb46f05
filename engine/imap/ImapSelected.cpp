#include "imap/ImapSelected.hpp"

#include "imap/ImapServerInternal.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

namespace mailsim::imap {

namespace {
const std::vector<store::MessageInfo> kNoMessages;
}

const std::vector<store::MessageInfo>& ImapSelected::base() const { return m_base ? m_base->messages : kNoMessages; }

void ImapSelected::open(std::string mailbox, std::string folder, bool readOnly, std::uint32_t uidValidity,
                        Snapshot messages, std::uint32_t& recentMark) {
    close();
    m_mailbox = std::move(mailbox);
    m_folder = std::move(folder);
    m_readOnly = readOnly;
    m_uidValidity = uidValidity;
    m_base = std::move(messages);
    // New since the last session that selected it are \Recent here (EXAMINE does not take them).
    m_recentAbove = recentMark;
    if (!readOnly && !base().empty()) recentMark = std::max(recentMark, base().back().uid);
}

void ImapSelected::close() {
    m_mailbox.clear();
    m_folder.clear();
    m_base.reset();
    m_owned = false;
    m_own = {};
    m_recentAbove = 0;
    m_readOnly = false;
    m_uidValidity = 0;
}

void ImapSelected::renamed(std::string mailbox, std::string folder) {
    m_mailbox = std::move(mailbox);
    m_folder = std::move(folder);
}

void ImapSelected::own() {
    if (m_owned) return;
    const auto& list = base();
    m_own.reserve(list.size());
    for (const auto& info : list)
        m_own.push_back({info.uid, info.flags, info.uid > m_recentAbove, info.modSeq, info.keywords});
    m_owned = true;
}

ImapViewMsg& ImapSelected::edit(std::size_t index) {
    own();
    return m_own[index];
}

void ImapSelected::takeOver(std::size_t index, const store::MessageInfo& info) {
    if (flags(index) == info.flags && modSeq(index) == info.modSeq && keywords(index) == info.keywords) return;
    ImapViewMsg& m = edit(index);
    m.flags = info.flags;
    m.keywords = info.keywords;
    m.modSeq = info.modSeq;
}

std::size_t ImapSelected::recentCount() const {
    if (m_owned) return static_cast<std::size_t>(std::ranges::count_if(m_own, &ImapViewMsg::recent));
    const auto& list = base();
    auto firstRecent = std::ranges::upper_bound(list, m_recentAbove, {}, &store::MessageInfo::uid);
    return static_cast<std::size_t>(list.end() - firstRecent);
}

std::size_t ImapSelected::firstUnseen() const {
    if (!m_owned) return m_base ? m_base->firstUnseen : 0;  // counted once, when the store built the snapshot
    auto it = std::ranges::find_if(m_own, [](const ImapViewMsg& m) { return !(m.flags & store::kSeen); });
    return it == m_own.end() ? 0 : static_cast<std::size_t>(it - m_own.begin()) + 1;
}

std::optional<std::size_t> ImapSelected::indexOfUid(std::uint32_t uid) const {
    std::size_t lo = 0, hi = size();
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (this->uid(mid) < uid) lo = mid + 1;
        else hi = mid;
    }
    if (lo == size() || this->uid(lo) != uid) return std::nullopt;
    return lo;
}

std::vector<std::size_t> ImapSelected::resolve(const std::vector<SeqRange>& set, bool byUid) const {
    std::vector<std::size_t> out;
    if (empty()) return out;
    std::uint32_t largest = byUid ? largestUid() : static_cast<std::uint32_t>(size());
    detail::SpanSet spans(set, largest);  // a binary search per message, however long the set
    for (std::size_t i = 0; i < size(); ++i)
        if (spans.contains(byUid ? uid(i) : static_cast<std::uint32_t>(i + 1))) out.push_back(i);
    return out;
}

std::string ImapSelected::flagList(std::size_t index) const {
    std::string f = store::flagsToString(flags(index));
    for (const auto& k : keywords(index)) f += (f.empty() ? "" : " ") + k;
    if (recent(index)) f += f.empty() ? "\\Recent" : " \\Recent";
    return "(" + f + ")";
}

void ImapSelected::erase(std::size_t index) {
    own();
    m_own.erase(m_own.begin() + static_cast<std::ptrdiff_t>(index));
}

namespace {

// The view is the shared snapshot `old` with \Recent above `recentAbove`; `current` is the store's list now. When the
// view after the sync is exactly `current` with \Recent above one UID, the changes and that UID; otherwise nullopt (the
// caller syncs its own copy). O(n), no copy.
struct SharedSync {
    ImapViewChanges changes;
    std::uint32_t recentAbove = 0;
};
std::optional<SharedSync> syncShared(const std::vector<store::MessageInfo>& old, std::uint32_t recentAbove,
                                     const std::vector<store::MessageInfo>& current, bool allowExpunge, bool readOnly,
                                     std::uint32_t recentMark) {
    SharedSync out;
    std::size_t j = 0;
    for (std::size_t i = 0; i < old.size(); ++i) {
        if (j < current.size() && current[j].uid < old[i].uid) return std::nullopt;  // a UID the view never had
        if (j < current.size() && current[j].uid == old[i].uid) {
            const auto& a = old[i];
            const auto& b = current[j];
            bool flagsDiffer = a.flags != b.flags || a.keywords != b.keywords;
            if (flagsDiffer || a.modSeq != b.modSeq) out.changes.changed.push_back({j, flagsDiffer});
            ++j;
        } else {
            if (!allowExpunge) return std::nullopt;  // the view must keep it for now
            out.changes.expunged.push_back({static_cast<std::uint32_t>(i + 1), old[i].uid});
        }
    }
    std::reverse(out.changes.expunged.begin(), out.changes.expunged.end());  // highest sequence number first
    out.changes.added = current.size() - j;
    // \Recent as one threshold: the old view's (above recentAbove) and the added messages' (above the mark, unless
    // read-only). When the two do not make one threshold, the caller keeps its own copy.
    const std::uint32_t largest = old.empty() ? 0 : old.back().uid;
    const bool oldRecent = !old.empty() && largest > recentAbove;
    if (out.changes.added == 0) out.recentAbove = recentAbove;
    else if (!oldRecent) out.recentAbove = readOnly ? std::numeric_limits<std::uint32_t>::max() : std::max(recentMark, largest);
    else if (!readOnly && recentMark <= largest) out.recentAbove = recentAbove;
    else return std::nullopt;
    return out;
}

}  // namespace

ImapViewChanges ImapSelected::sync(const Snapshot& current, bool allowExpunge, std::uint32_t& recentMark) {
    const auto& now = current ? current->messages : kNoMessages;
    if (!m_owned) {
        if (auto shared = syncShared(base(), m_recentAbove, now, allowExpunge, m_readOnly, recentMark)) {
            if (shared->changes.added && !m_readOnly) recentMark = std::max(recentMark, now.back().uid);
            m_base = current;
            m_recentAbove = shared->recentAbove;
            return std::move(shared->changes);
        }
        own();
    }
    ImapViewChanges out;
    // Expunged: in the view, not in the store. From the highest number down so no number shifts.
    if (allowExpunge) {
        for (std::size_t i = m_own.size(); i-- > 0;) {
            if (std::ranges::binary_search(now, m_own[i].uid, {}, &store::MessageInfo::uid)) continue;
            out.expunged.push_back({static_cast<std::uint32_t>(i + 1), m_own[i].uid});
            m_own.erase(m_own.begin() + static_cast<std::ptrdiff_t>(i));
        }
    }
    // Flags (or only the MODSEQ) changed by someone else.
    for (std::size_t i = 0; i < m_own.size(); ++i) {
        auto it = std::ranges::lower_bound(now, m_own[i].uid, {}, &store::MessageInfo::uid);
        if (it == now.end() || it->uid != m_own[i].uid) continue;
        bool flagsDiffer = it->flags != m_own[i].flags || it->keywords != m_own[i].keywords;
        if (!flagsDiffer && it->modSeq == m_own[i].modSeq) continue;
        m_own[i].flags = it->flags;
        m_own[i].keywords = it->keywords;
        m_own[i].modSeq = it->modSeq;
        out.changed.push_back({i, flagsDiffer});
    }
    // New messages: above the highest UID in the view.
    std::uint32_t highest = largestUid();
    for (auto it = std::ranges::upper_bound(now, highest, {}, &store::MessageInfo::uid); it != now.end(); ++it) {
        const store::MessageInfo& info = *it;
        ImapViewMsg m{info.uid, info.flags, false, info.modSeq, info.keywords};
        if (!m_readOnly && info.uid > recentMark) {
            m.recent = true;
            recentMark = info.uid;
        }
        m_own.push_back(std::move(m));
        ++out.added;
    }
    shareIfSame(current);
    return out;
}

// After a sync of the own copy: when it holds exactly the store's messages (same UIDs; the flags and MODSEQs were just
// taken over) and \Recent is one threshold (the recent messages are the last ones), the view shares the list again.
void ImapSelected::shareIfSame(const Snapshot& current) {
    const auto& now = current ? current->messages : kNoMessages;
    if (m_own.size() != now.size()) return;
    for (std::size_t i = 0; i < now.size(); ++i)
        if (m_own[i].uid != now[i].uid || m_own[i].flags != now[i].flags || m_own[i].modSeq != now[i].modSeq ||
            m_own[i].keywords != now[i].keywords)
            return;
    auto firstRecent = std::ranges::find_if(m_own, &ImapViewMsg::recent);
    if (!std::all_of(firstRecent, m_own.end(), [](const ImapViewMsg& m) { return m.recent; })) return;
    m_recentAbove = firstRecent == m_own.end()   ? std::numeric_limits<std::uint32_t>::max()
                    : firstRecent == m_own.begin() ? 0
                                                   : std::prev(firstRecent)->uid;
    m_base = current;
    m_owned = false;
    m_own = {};
}

}  // namespace mailsim::imap
