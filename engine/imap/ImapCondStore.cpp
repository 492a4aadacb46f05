// CONDSTORE and QRESYNC (RFC 7162): enabling them, the MODSEQ responses of SELECT, the QRESYNC parameter of
// SELECT/EXAMINE with VANISHED (EARLIER), and how expunges and flag changes are reported once they are on. The
// MODSEQ items of FETCH, STORE and SEARCH are in ImapFetch.cpp and ImapSearch.cpp.
//
// Contract
// - MODSEQs come from the store (MailStore: per message, strictly increasing per folder, persisted by the Maildir
//   store); the session never makes one up. HIGHESTMODSEQ is sent with every successful SELECT/EXAMINE (RFC 7162
//   3.1.2.1), NOMODSEQ when the store has none for the folder.
// - CONDSTORE is on after ENABLE CONDSTORE or the first CONDSTORE-enabling command (SELECT ... (CONDSTORE), FETCH
//   MODSEQ or CHANGEDSINCE, STORE UNCHANGEDSINCE, SEARCH MODSEQ, STATUS HIGHESTMODSEQ; RFC 7162 3.1); from then on
//   unsolicited FETCH responses carry MODSEQ, also when only the MODSEQ changed (a keyword). If it is turned on while
//   a mailbox is selected, * OK [HIGHESTMODSEQ n] is sent first.
// - QRESYNC is on only after ENABLE QRESYNC (RFC 7162 3.2.3), and implies CONDSTORE. Then: expunges are reported as
//   one * VANISHED uid-set instead of * n EXPUNGE lines (3.2.10); unsolicited FETCH responses carry the UID; a SELECT
//   or EXAMINE while a mailbox is selected first says * OK [CLOSED] (3.2.11); SELECT's QRESYNC parameter and UID
//   FETCH's VANISHED modifier are allowed (else BAD).
// - SELECT mailbox (QRESYNC (uidvalidity modseq [known-uids [(seqs uids)]])) (3.2.5): when the UIDVALIDITY matches,
//   after the usual responses come * VANISHED (EARLIER) with the known UIDs expunged after modseq, then one
//   * n FETCH (UID FLAGS MODSEQ) per known message changed after modseq. When the store does not remember the
//   expunges that far back, every known UID below UIDNEXT that is not in the mailbox is reported (3.2.5.2 allows
//   it), starting above the last (seq, uid) pair of the client's seq-match data that still holds.
#include "imap/ImapServerInternal.hpp"
#include "imap/ImapServerSession.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace mailsim::imap {

using trace::EventId;
using trace::Micros;

namespace {

template <typename T>
std::optional<T> positive(const Token& t) {
    if (t.kind != Token::Kind::Atom) return std::nullopt;
    T v = 0;
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (ec != std::errc{} || p != t.text.data() + t.text.size() || v == 0) return std::nullopt;
    if constexpr (sizeof(T) == 8)
        if (v > (std::uint64_t{1} << 63) - 1) return std::nullopt;  // RFC 7162 7: mod-sequence-value is 63-bit
    return v;
}

// The numbers of a set in ascending order ("*" = `largest`), at most kMaxExpanded of them.
std::vector<std::uint32_t> expand(const std::vector<SeqRange>& set, std::uint32_t largest) {
    constexpr std::size_t kMaxExpanded = 100'000;
    std::vector<std::uint32_t> out;
    for (auto r : set) {
        std::uint32_t lo = r.lo ? r.lo : largest, hi = r.hi ? r.hi : largest;
        if (lo > hi) std::swap(lo, hi);
        for (std::uint64_t n = lo; n <= hi && out.size() < kMaxExpanded; ++n) out.push_back(static_cast<std::uint32_t>(n));
    }
    std::ranges::sort(out);
    out.erase(std::ranges::unique(out).begin(), out.end());
    return out;
}

}  // namespace

std::string ImapServerSession::enableExtension(const Token& t, Micros now, EventId cause) {
    if (t.isAtom("CONDSTORE")) {
        if (m_condStore) return {};
        enableCondStore(now, cause);
        return " CONDSTORE";
    }
    if (t.isAtom("QRESYNC")) {
        if (m_qresync) return {};
        m_qresync = true;
        enableCondStore(now, cause);  // RFC 7162 3.2.3: QRESYNC implies CONDSTORE
        return " QRESYNC";
    }
    return {};
}

void ImapServerSession::enableCondStore(Micros now, EventId cause) {
    if (std::exchange(m_condStore, true)) return;
    if (m_state == ImapState::Selected && m_sel.active()) selectModSeq(now, cause);  // RFC 7162 3.1
}

void ImapServerSession::selectModSeq(Micros now, EventId cause) {
    std::uint64_t highest = m_ctx.store->highestModSeq(m_user, m_sel.folder());
    if (highest == 0) return reply(ReplyId::NoModSeq, "*", {}, now, cause);
    reply(ReplyId::HighestModSeq, "*", {{"n", std::to_string(highest)}}, now, cause);
}

bool ImapServerSession::selectParams(const Command& cmd, const Token& list, std::optional<QresyncParams>& qresync,
                                     Micros now) {
    auto bad = [&](ReplyId why) {
        refuse(cmd, Refusal{why, {}}, now);
        return false;
    };
    const auto& c = list.children;
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (c[i].isAtom("CONDSTORE")) {
            m_condStore = true;  // the SELECT itself sends HIGHESTMODSEQ
            continue;
        }
        if (!c[i].isAtom("QRESYNC")) return bad(ReplyId::SelectParam);
        if (!m_qresync) {
            reply(ReplyId::QresyncNotEnabled, cmd.tag, {{"what", "SELECT (QRESYNC ...)"}}, now, cmd.cause);
            countError(now, cmd.cause);
            return false;
        }
        if (i + 1 >= c.size() || c[i + 1].kind != Token::Kind::List) return bad(ReplyId::SelectQresyncList);
        const auto& q = c[++i].children;
        QresyncParams p;
        auto v = q.size() >= 2 ? positive<std::uint32_t>(q[0]) : std::nullopt;
        auto m = q.size() >= 2 ? positive<std::uint64_t>(q[1]) : std::nullopt;
        if (!v || !m || q.size() > 4) return bad(ReplyId::SelectQresyncNumbers);
        p.uidValidity = *v;
        p.modSeq = *m;
        if (q.size() >= 3) {
            auto known = q[2].kind == Token::Kind::Atom ? parseSequenceSet(q[2].text) : std::nullopt;
            if (!known) return bad(ReplyId::SelectKnownUids);
            p.knownUids = *known;
        }
        if (q.size() == 4) {
            const Token& match = q[3];
            auto seqs = match.kind == Token::Kind::List && match.children.size() == 2 &&
                                match.children[0].kind == Token::Kind::Atom
                            ? parseSequenceSet(match.children[0].text) : std::nullopt;
            auto uids = seqs && match.children[1].kind == Token::Kind::Atom ? parseSequenceSet(match.children[1].text)
                                                                           : std::nullopt;
            if (!seqs || !uids) return bad(ReplyId::SelectSeqMatch);
            p.seqMatch = *seqs;
            p.uidMatch = *uids;
        }
        qresync = std::move(p);
    }
    return true;
}

std::vector<std::uint32_t> ImapServerSession::vanishedSince(std::uint64_t modSeq, const std::vector<SeqRange>* set,
                                                            std::uint32_t floorUid) const {
    std::uint32_t next = m_ctx.store->uidNext(m_user, m_sel.folder());
    std::optional<detail::SpanSet> spans;
    if (set) spans.emplace(*set, next > 1 ? next - 1 : 1);
    auto wanted = [&](std::uint32_t uid) { return (!spans || spans->contains(uid)) && !m_sel.indexOfUid(uid); };
    std::vector<std::uint32_t> out;
    if (auto known = m_ctx.store->expungedSince(m_user, m_sel.folder(), modSeq)) {
        for (std::uint32_t uid : *known)
            if (uid < next && wanted(uid)) out.push_back(uid);
        return out;
    }
    for (std::uint32_t uid = floorUid + 1; uid < next; ++uid)  // not remembered: whatever is not here
        if (wanted(uid)) out.push_back(uid);
    return out;
}

void ImapServerSession::qresyncSelect(const QresyncParams& p, Micros now, EventId cause) {
    if (p.uidValidity != m_sel.uidValidity()) return;  // RFC 7162 3.2.5.2: a full resynchronisation is needed
    // The last pair of the client's seq-match data that still holds: nothing the client knew below it was expunged.
    std::uint32_t floorUid = 0;
    auto seqs = expand(p.seqMatch, static_cast<std::uint32_t>(m_sel.size()));
    auto uids = expand(p.uidMatch, m_sel.largestUid());
    for (std::size_t k = 0; k < std::min(seqs.size(), uids.size()); ++k) {
        if (seqs[k] == 0 || seqs[k] > m_sel.size() || m_sel.uid(seqs[k] - 1) != uids[k]) break;
        floorUid = uids[k];
    }
    const std::vector<SeqRange>* known = p.knownUids.empty() ? nullptr : &p.knownUids;
    auto gone = vanishedSince(p.modSeq, known, floorUid);
    if (!gone.empty()) untagged("VANISHED (EARLIER) " + formatSequenceSet(gone), now, cause);
    std::optional<detail::SpanSet> knownSpans;
    if (known) knownSpans.emplace(*known, m_sel.largestUid());
    for (std::size_t i = 0; i < m_sel.size(); ++i)
        if (m_sel.modSeq(i) > p.modSeq && (!knownSpans || knownSpans->contains(m_sel.uid(i))))
            untagged(flagsFetch(i, true), now, cause);
}

void ImapServerSession::reportExpunged(const std::vector<ImapViewChanges::Expunged>& gone, Micros now,
                                       EventId cause) {
    if (gone.empty()) return;
    if (!m_qresync) {
        for (const auto& x : gone) untagged(fmt::format("{} EXPUNGE", x.seq), now, cause);
        return;
    }
    std::vector<std::uint32_t> uids;
    for (const auto& x : gone) uids.push_back(x.uid);
    std::ranges::sort(uids);
    untagged("VANISHED " + formatSequenceSet(uids), now, cause);  // RFC 7162 3.2.10: UIDs, no numbers to shift
}

std::string ImapServerSession::flagsFetch(std::size_t index, bool withUid, bool withFlags) const {
    std::string items;
    auto add = [&](const std::string& item) { items += (items.empty() ? "" : " ") + item; };
    if (withUid || m_qresync) add(fmt::format("UID {}", m_sel.uid(index)));
    if (withFlags) add("FLAGS " + m_sel.flagList(index));
    if (m_condStore) add(fmt::format("MODSEQ ({})", m_sel.modSeq(index)));
    return fmt::format("{} FETCH ({})", index + 1, items);
}

}  // namespace mailsim::imap
