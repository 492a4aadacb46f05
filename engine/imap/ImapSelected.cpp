#include "imap/ImapSelected.hpp"

#include "imap/ImapServerInternal.hpp"

#include <algorithm>

namespace mailsim::imap {

void ImapSelected::open(std::string mailbox, std::string folder, bool readOnly, std::uint32_t uidValidity,
                        const std::vector<store::MessageInfo>& messages, std::uint32_t& recentMark) {
    close();
    m_mailbox = std::move(mailbox);
    m_folder = std::move(folder);
    m_readOnly = readOnly;
    m_uidValidity = uidValidity;
    m_view.reserve(messages.size());
    for (const auto& info : messages)  // new since the last session that selected it (EXAMINE does not take them)
        m_view.push_back({info.uid, info.flags, info.uid > recentMark, info.modSeq, info.keywords});
    if (!readOnly && !m_view.empty()) recentMark = std::max(recentMark, m_view.back().uid);
}

void ImapSelected::close() {
    m_mailbox.clear();
    m_folder.clear();
    m_view.clear();
    m_readOnly = false;
    m_uidValidity = 0;
}

void ImapSelected::renamed(std::string mailbox, std::string folder) {
    m_mailbox = std::move(mailbox);
    m_folder = std::move(folder);
}

std::size_t ImapSelected::recentCount() const {
    return static_cast<std::size_t>(std::ranges::count_if(m_view, &ImapViewMsg::recent));
}

std::size_t ImapSelected::firstUnseen() const {
    auto it = std::ranges::find_if(m_view, [](const ImapViewMsg& m) { return !(m.flags & store::kSeen); });
    return it == m_view.end() ? 0 : static_cast<std::size_t>(it - m_view.begin()) + 1;
}

std::optional<std::size_t> ImapSelected::indexOfUid(std::uint32_t uid) const {
    auto it = std::ranges::lower_bound(m_view, uid, {}, &ImapViewMsg::uid);
    if (it == m_view.end() || it->uid != uid) return std::nullopt;
    return static_cast<std::size_t>(it - m_view.begin());
}

std::vector<std::size_t> ImapSelected::resolve(const std::vector<SeqRange>& set, bool uid) const {
    std::vector<std::size_t> out;
    if (m_view.empty()) return out;
    std::uint32_t largest = uid ? m_view.back().uid : static_cast<std::uint32_t>(m_view.size());
    detail::SpanSet spans(set, largest);  // a binary search per message, however long the set
    for (std::size_t i = 0; i < m_view.size(); ++i)
        if (spans.contains(uid ? m_view[i].uid : static_cast<std::uint32_t>(i + 1))) out.push_back(i);
    return out;
}

std::string ImapSelected::flagList(std::size_t index) const {
    const ImapViewMsg& m = m_view[index];
    std::string f = store::flagsToString(m.flags);
    for (const auto& k : m.keywords) f += (f.empty() ? "" : " ") + k;
    if (m.recent) f += f.empty() ? "\\Recent" : " \\Recent";
    return "(" + f + ")";
}

void ImapSelected::erase(std::size_t index) { m_view.erase(m_view.begin() + static_cast<std::ptrdiff_t>(index)); }

ImapViewChanges ImapSelected::sync(const std::vector<store::MessageInfo>& current, bool allowExpunge,
                                   std::uint32_t& recentMark) {
    ImapViewChanges out;
    // Expunged: in the view, not in the store. From the highest number down so no number shifts.
    if (allowExpunge) {
        for (std::size_t i = m_view.size(); i-- > 0;) {
            if (std::ranges::binary_search(current, m_view[i].uid, {}, &store::MessageInfo::uid)) continue;
            out.expunged.push_back({static_cast<std::uint32_t>(i + 1), m_view[i].uid});
            erase(i);
        }
    }
    // Flags (or only the MODSEQ) changed by someone else.
    for (std::size_t i = 0; i < m_view.size(); ++i) {
        auto it = std::ranges::lower_bound(current, m_view[i].uid, {}, &store::MessageInfo::uid);
        if (it == current.end() || it->uid != m_view[i].uid) continue;
        bool flagsDiffer = it->flags != m_view[i].flags || it->keywords != m_view[i].keywords;
        if (!flagsDiffer && it->modSeq == m_view[i].modSeq) continue;
        m_view[i].flags = it->flags;
        m_view[i].keywords = it->keywords;
        m_view[i].modSeq = it->modSeq;
        out.changed.push_back({i, flagsDiffer});
    }
    // New messages: above the highest UID in the view.
    std::uint32_t highest = largestUid();
    for (auto it = std::ranges::upper_bound(current, highest, {}, &store::MessageInfo::uid); it != current.end(); ++it) {
        const store::MessageInfo& info = *it;
        ImapViewMsg m{info.uid, info.flags, false, info.modSeq, info.keywords};
        if (!m_readOnly && info.uid > recentMark) {
            m.recent = true;
            recentMark = info.uid;
        }
        m_view.push_back(m);
        ++out.added;
    }
    return out;
}

}  // namespace mailsim::imap
