// Mailboxes as they are at the cursor, derived from the trace's StoreChanged events (no store is consulted).
//
// Contract
// - Each "user folder uid N appended (...)" event creates one MessageRecord alive on rows [appearedRow, removedRow);
//   an "expunged"/"removed"/"deleted" event for the same user/folder/uid ends it. So stepping the cursor back before
//   a delivery makes the message disappear, and forward again makes it reappear.
// - countAt() is O(log n) (two binary searches per folder); visibleAt() is O(messages in the folder).
// - The message content is reassembled from the DATA lines of the session that stored it (dot-stuffing undone, the
//   terminating "." dropped): what the client sent. The server's own trace headers (Return-Path, Received) are added
//   at delivery and are not in the dialogue.
// - MIME seam: when the engine's MIME model (engine/message) lands, the message inspector gets its tree from
//   `mimeTreeOf(content)` in one place (MessageInspector in panels/MailboxesPanel.cpp); until then it shows the raw
//   headers and body only.
#pragma once

#include "trace/Trace.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::gui {

struct MessageRecord {
    std::string user;
    std::string folder;
    std::uint64_t uid = 0;
    std::uint64_t size = 0;                         // octets as stored
    std::size_t appearedRow = 0;
    std::size_t removedRow = ~std::size_t{0};       // kNoRow while never removed
    trace::SessionId session = trace::kNoSession;   // the session that stored it
    trace::EventId storeEvent = trace::kNoCause;
    trace::EventId dataFirst = trace::kNoCause;     // the DATA content lines of that session, incl. the final "."
    trace::EventId dataLast = trace::kNoCause;
};

struct FolderRecord {
    std::string name;
    std::vector<std::size_t> messages;       // indices into MailboxModel::messages(), by appearance
    std::vector<std::size_t> appearedRows;   // ascending (trace order)
    std::vector<std::size_t> removedRows;    // ascending
};

struct UserRecord {
    std::string name;
    std::vector<FolderRecord> folders;       // in order of first appearance
};

class MailboxModel {
public:
    // Fed every event of the trace in order, with the row the cursor is on when that event has just happened.
    void observe(const trace::Event& e, std::size_t row);

    const std::vector<UserRecord>& users() const { return m_users; }
    const std::vector<MessageRecord>& messages() const { return m_messages; }
    const MessageRecord& message(std::size_t index) const { return m_messages[index]; }

    // Messages in the folder at row `k`. O(log n).
    std::size_t countAt(const FolderRecord& folder, std::size_t k) const;
    // Fills `out` (cleared first; keeps its capacity) with the folder's message indices alive at row `k`.
    void visibleAt(const FolderRecord& folder, std::size_t k, std::vector<std::size_t>& out) const;
    bool aliveAt(std::size_t message, std::size_t k) const {
        const MessageRecord& m = m_messages[message];
        return m.appearedRow <= k && k < m.removedRow;
    }

private:
    FolderRecord& folderFor(std::string_view user, std::string_view folder);
    struct DataRange { trace::EventId first = trace::kNoCause, last = trace::kNoCause; bool open = false; };
    std::vector<UserRecord> m_users;
    std::vector<MessageRecord> m_messages;
    std::vector<DataRange> m_data;  // per session id: the latest DATA content
};

// The content of message `m` as the client sent it: the DATA lines joined with CRLF, dot-stuffing undone.
std::string reassembleMessage(const trace::Trace& trace, const MessageRecord& m);

}  // namespace mailsim::gui
