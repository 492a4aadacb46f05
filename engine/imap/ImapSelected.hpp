// The selected mailbox of one IMAP session (RFC 3501 3.3 "Selected State"): which mailbox, whether read-only, its
// UIDVALIDITY, and the session's view of it, as plain data without I/O (the session turns changes into responses).
//
// Contract
// - The view is the list of messages as the client last heard of them, in sequence-number order (UIDs ascending):
//   UID, system flags, \Recent, and the MODSEQ (RFC 7162 3.1) the client last heard of. Sequence number = index + 1.
// - `open` fills the view from the store's list. \Recent (RFC 3501 2.3.2): messages above the caller's high-water
//   mark are recent in this view; a read-write selection moves the mark to the highest UID (EXAMINE does not).
// - `sync` compares the view with the store's current list and applies the differences: expunged messages leave the
//   view (only when `allowExpunge`; RFC 3501 7.4.1 forbids EXPUNGE responses during FETCH, STORE and SEARCH), flags
//   and MODSEQs are taken over, messages above the highest UID of the view are appended. It returns what changed, so
//   the caller can report it: expunges highest sequence number first (so that no number shifts under the client).
// - `resolve` maps a sequence set (UIDs with `uid`) to view indices in ascending order; "*" is the last message
//   (RFC 3501 9); membership is a binary search per message.
#pragma once

#include "imap/ImapSyntax.hpp"
#include "store/MailStore.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mailsim::imap {

struct ImapViewMsg {
    std::uint32_t uid = 0;
    store::Flags flags = 0;
    bool recent = false;
    std::uint64_t modSeq = 0;  // RFC 7162: the MODSEQ the client last heard of for this message
    std::vector<std::string> keywords;  // RFC 3501 2.3.2 keywords the client last heard of, as the store spells them
};

struct ImapViewChanges {
    struct Expunged {
        std::uint32_t seq = 0;  // the sequence number it had when reported (highest first)
        std::uint32_t uid = 0;
    };
    struct Changed {
        std::size_t index = 0;      // index in the view after the expunges
        bool flagsDiffer = false;   // the flags or keywords changed (else only the MODSEQ did)
    };
    std::vector<Expunged> expunged;
    std::vector<Changed> changed;  // ascending index
    std::size_t added = 0;         // messages appended at the end
};

class ImapSelected {
public:
    bool active() const { return !m_mailbox.empty(); }
    const std::string& mailbox() const { return m_mailbox; }  // wire name, "" when nothing is selected
    const std::string& folder() const { return m_folder; }    // the store's folder name
    bool readOnly() const { return m_readOnly; }
    std::uint32_t uidValidity() const { return m_uidValidity; }

    void open(std::string mailbox, std::string folder, bool readOnly, std::uint32_t uidValidity,
              const std::vector<store::MessageInfo>& messages, std::uint32_t& recentMark);
    void close();
    // RENAME of the selected mailbox: same view, new names.
    void renamed(std::string mailbox, std::string folder);

    std::size_t size() const { return m_view.size(); }
    bool empty() const { return m_view.empty(); }
    ImapViewMsg& operator[](std::size_t index) { return m_view[index]; }
    const ImapViewMsg& operator[](std::size_t index) const { return m_view[index]; }
    const std::vector<ImapViewMsg>& messages() const { return m_view; }
    std::uint32_t largestUid() const { return m_view.empty() ? 0 : m_view.back().uid; }
    std::size_t recentCount() const;
    // The sequence number of the first message without \Seen, 0 when all are seen (RFC 3501 7.1 UNSEEN).
    std::size_t firstUnseen() const;
    std::optional<std::size_t> indexOfUid(std::uint32_t uid) const;

    std::vector<std::size_t> resolve(const std::vector<SeqRange>& set, bool uid) const;
    // "(\Seen $Junk \Recent)": the flags and keywords of one message as FETCH FLAGS shows them.
    std::string flagList(std::size_t index) const;
    // Removes one message from the view (the session reported its expunge).
    void erase(std::size_t index);
    ImapViewChanges sync(const std::vector<store::MessageInfo>& current, bool allowExpunge, std::uint32_t& recentMark);

private:
    std::string m_mailbox, m_folder;
    bool m_readOnly = false;
    std::uint32_t m_uidValidity = 0;
    std::vector<ImapViewMsg> m_view;
};

}  // namespace mailsim::imap
