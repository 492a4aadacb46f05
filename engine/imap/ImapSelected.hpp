// The selected mailbox of one IMAP session (RFC 3501 3.3 "Selected State"): which mailbox, whether read-only, its
// UIDVALIDITY, and the session's view of it, as plain data without I/O (the session turns changes into responses).
//
// Contract
// - The view is the list of messages as the client last heard of them, in sequence-number order (UIDs ascending):
//   UID, system flags, \Recent, and the MODSEQ (RFC 7162 3.1) the client last heard of. Sequence number = index + 1.
// - `open` takes the store's snapshot (store::FolderSnapshot) as the view without copying it: SELECT costs O(1) in the
//   number of messages. \Recent (RFC 3501 2.3.2): messages above the caller's high-water mark are recent in this
//   view; a read-write selection moves the mark to the highest UID (EXAMINE does not). EXISTS, RECENT and the first
//   unseen message come from the snapshot's figures (computed once when the store built it) while the view is the
//   snapshot.
// - The view stays the shared snapshot until the session changes one message (`edit`: its own STORE, a body fetch
//   setting \Seen) or must keep a message the store no longer has (an expunge it may not report yet); then it becomes
//   the session's own copy (O(n), once). A `sync` that leaves the view equal to the store's list shares that list
//   again. Readers never see the difference.
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
#include <memory>
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
    using Snapshot = std::shared_ptr<const store::FolderSnapshot>;

    bool active() const { return !m_mailbox.empty(); }
    const std::string& mailbox() const { return m_mailbox; }  // wire name, "" when nothing is selected
    const std::string& folder() const { return m_folder; }    // the store's folder name
    bool readOnly() const { return m_readOnly; }
    std::uint32_t uidValidity() const { return m_uidValidity; }

    void open(std::string mailbox, std::string folder, bool readOnly, std::uint32_t uidValidity, Snapshot messages,
              std::uint32_t& recentMark);
    void close();
    // RENAME of the selected mailbox: same view, new names.
    void renamed(std::string mailbox, std::string folder);

    std::size_t size() const { return m_owned ? m_own.size() : base().size(); }
    bool empty() const { return size() == 0; }
    // One message of the view (index = sequence number - 1).
    std::uint32_t uid(std::size_t index) const { return m_owned ? m_own[index].uid : base()[index].uid; }
    store::Flags flags(std::size_t index) const { return m_owned ? m_own[index].flags : base()[index].flags; }
    bool recent(std::size_t index) const { return m_owned ? m_own[index].recent : base()[index].uid > m_recentAbove; }
    std::uint64_t modSeq(std::size_t index) const { return m_owned ? m_own[index].modSeq : base()[index].modSeq; }
    const std::vector<std::string>& keywords(std::size_t index) const {
        return m_owned ? m_own[index].keywords : base()[index].keywords;
    }
    // The message at `index` for changing: the view becomes the session's own copy first (see the contract).
    ImapViewMsg& edit(std::size_t index);
    // Takes over the store's flags, keywords and MODSEQ for one message (copying the view only if they differ).
    void takeOver(std::size_t index, const store::MessageInfo& info);
    // True when the view is the store's snapshot `s` itself (nothing of the session's own).
    bool shares(const Snapshot& s) const { return !m_owned && m_base == s; }

    std::uint32_t largestUid() const { return empty() ? 0 : uid(size() - 1); }
    std::size_t recentCount() const;
    // The sequence number of the first message without \Seen, 0 when all are seen (RFC 3501 7.1 UNSEEN).
    std::size_t firstUnseen() const;
    std::optional<std::size_t> indexOfUid(std::uint32_t uid) const;

    std::vector<std::size_t> resolve(const std::vector<SeqRange>& set, bool uid) const;
    // "(\Seen $Junk \Recent)": the flags and keywords of one message as FETCH FLAGS shows them.
    std::string flagList(std::size_t index) const;
    // Removes one message from the view (the session reported its expunge).
    void erase(std::size_t index);
    ImapViewChanges sync(const Snapshot& current, bool allowExpunge, std::uint32_t& recentMark);

private:
    const std::vector<store::MessageInfo>& base() const;
    void own();  // copies the shared snapshot into m_own (once)
    void shareIfSame(const Snapshot& current);

    std::string m_mailbox, m_folder;
    bool m_readOnly = false;
    std::uint32_t m_uidValidity = 0;
    Snapshot m_base;                   // the store's list the view is (while !m_owned) or was taken from
    std::uint32_t m_recentAbove = 0;   // while shared: the messages above this UID are \Recent
    bool m_owned = false;
    std::vector<ImapViewMsg> m_own;    // the session's own copy, once it differs from the store's list
};

}  // namespace mailsim::imap
