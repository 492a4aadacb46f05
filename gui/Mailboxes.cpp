#include "Mailboxes.hpp"

#include <algorithm>

namespace mailsim::gui {
FolderRecord& MailboxModel::folderFor(std::string_view user, std::string_view folder) {
    auto u = std::find_if(m_users.begin(), m_users.end(), [&](const UserRecord& r) { return r.name == user; });
    if (u == m_users.end()) {
        m_users.push_back(UserRecord{std::string(user), {}});
        u = m_users.end() - 1;
    }
    auto f = std::find_if(u->folders.begin(), u->folders.end(), [&](const FolderRecord& r) { return r.name == folder; });
    if (f == u->folders.end()) {
        u->folders.push_back(FolderRecord{std::string(folder), {}, {}, {}});
        f = u->folders.end() - 1;
    }
    return *f;
}

void MailboxModel::observe(const trace::Event& e, std::size_t row) {
    if (e.session >= m_data.size()) m_data.resize(e.session + 1);
    if (e.kind == trace::EventKind::Line && e.direction == trace::Direction::ClientToServer) {
        DataRange& d = m_data[e.session];
        if (e.role == trace::LineRole::Data) {
            if (!d.open) d = DataRange{e.id, e.id, true};
            d.last = e.id;
        } else {
            d.open = false;  // a command ends the content (the "." line is itself a Data line)
        }
        return;
    }
    const auto* change = e.kind == trace::EventKind::StoreChanged ? e.as<trace::StoreChange>() : nullptr;
    if (!change || change->uid == 0) return;  // folder-level actions hold no message
    const trace::StoreChange& c = *change;
    FolderRecord& folder = folderFor(c.user, c.folder);
    if (c.action == trace::StoreAction::Expunged || c.action == trace::StoreAction::MovedOut) {
        for (std::size_t i : folder.messages) {
            MessageRecord& m = m_messages[i];
            if (m.uid == c.uid && m.removedRow == ~std::size_t{0}) {
                m.removedRow = row;
                folder.removedRows.push_back(row);
                break;
            }
        }
        return;
    }
    if (c.action != trace::StoreAction::Appended) return;  // flag changes do not change what the folder holds
    MessageRecord m;
    m.user = c.user;
    m.folder = c.folder;
    m.uid = c.uid;
    m.size = c.size;
    m.appearedRow = row;
    m.session = e.session;
    m.storeEvent = e.id;
    if (e.session != trace::kNoSession) {
        m.dataFirst = m_data[e.session].first;
        m.dataLast = m_data[e.session].last;
    }
    folder.messages.push_back(m_messages.size());
    folder.appearedRows.push_back(row);
    m_messages.push_back(std::move(m));
}

std::size_t MailboxModel::countAt(const FolderRecord& folder, std::size_t k) const {
    auto appeared = std::upper_bound(folder.appearedRows.begin(), folder.appearedRows.end(), k) -
                    folder.appearedRows.begin();
    auto removed = std::upper_bound(folder.removedRows.begin(), folder.removedRows.end(), k) -
                   folder.removedRows.begin();
    return static_cast<std::size_t>(appeared - removed);
}

void MailboxModel::visibleAt(const FolderRecord& folder, std::size_t k, std::vector<std::size_t>& out) const {
    out.clear();
    auto end = std::upper_bound(folder.appearedRows.begin(), folder.appearedRows.end(), k) - folder.appearedRows.begin();
    for (std::ptrdiff_t i = 0; i < end; ++i) {
        std::size_t m = folder.messages[static_cast<std::size_t>(i)];
        if (aliveAt(m, k)) out.push_back(m);
    }
}

std::string reassembleMessage(const trace::Trace& trace, const MessageRecord& m) {
    std::string out;
    if (m.dataFirst == trace::kNoCause || m.dataLast >= trace.size()) return out;
    for (trace::EventId id = m.dataFirst; id <= m.dataLast; ++id) {
        const trace::Event& e = trace.at(id);
        if (e.kind != trace::EventKind::Line || e.session != m.session || e.role != trace::LineRole::Data) continue;
        if (id == m.dataLast && e.text == ".") break;  // the end-of-data marker, not content
        std::string_view line = e.text;
        if (line.starts_with('.')) line.remove_prefix(1);  // RFC 5321 4.5.2: undo dot-stuffing
        out.append(line);
        out += "\r\n";
    }
    return out;
}

}  // namespace mailsim::gui
