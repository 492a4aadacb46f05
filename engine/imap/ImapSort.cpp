// IMAP SORT and THREAD (RFC 5256): the server orders or threads the messages that match search keys, so a webmail
// shows one sorted page or a conversation view without downloading every header.
//
// Contract
// - SORT (criteria) charset key...: criteria ARRIVAL (internal date), CC, FROM, TO (the local part of the field's
//   first address, RFC 5256 3), DATE (the Date: header in UTC, the internal date when it is missing or broken),
//   SIZE, SUBJECT (the base subject, 2.1), each optionally after REVERSE. Strings compare with i;ascii-casemap
//   (ASCII letters case-insensitively, octet order otherwise); ties go to the lower sequence number (3).
// - THREAD ORDEREDSUBJECT (3): messages grouped by base subject, each group ordered by sent date; the first is the
//   parent of the others; groups ordered by their first message's date.
// - THREAD REFERENCES (3): the algorithm of RFC 5256 3 ("REFERENCES" steps 1-6, after J. Zawinski): links from
//   References (or the first In-Reply-To id) without creating loops, dummy containers pruned, roots with the same
//   base subject gathered, siblings ordered by sent date. A chain deeper than kMaxThreadDepth (1000) is cut: the
//   message that would go deeper starts a thread of its own (the tree is walked recursively).
// - Output as "* SORT n..." and "* THREAD (a b (c)(d))..." (RFC 5256 4: a parent with one child continues the list,
//   with several children they follow as parenthesised lists); UID SORT/THREAD give UIDs.
#include "imap/ImapServerInternal.hpp"
#include "imap/ImapServerSession.hpp"

#include "message/Address.hpp"
#include "message/HeaderText.hpp"
#include "message/MimeMessage.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>

namespace mailsim::imap {

using trace::Micros;

namespace {

std::string casemap(std::string_view s) {  // i;ascii-casemap (RFC 4790 9.2)
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool startsCi(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && casemap(s.substr(0, prefix.size())) == casemap(prefix);
}

// A leading subj-blob "[" *BLOBCHAR "]" *WSP at `pos`: the position after it, or npos.
std::size_t skipBlob(std::string_view s, std::size_t pos) {
    if (pos >= s.size() || s[pos] != '[') return std::string_view::npos;
    auto close = s.find_first_of("[]", pos + 1);
    if (close == std::string_view::npos || s[close] != ']') return std::string_view::npos;
    pos = close + 1;
    while (pos < s.size() && s[pos] == ' ') ++pos;
    return pos;
}

// A leading subj-refwd ("re" / "fw" / "fwd") *WSP [subj-blob] ":" after any subj-blobs: its end, or npos.
std::size_t skipLeader(std::string_view s) {
    std::size_t pos = 0;
    for (std::size_t next; (next = skipBlob(s, pos)) != std::string_view::npos;) pos = next;
    std::string_view rest = s.substr(pos);
    if (startsCi(rest, "re")) pos += 2;
    else if (startsCi(rest, "fwd")) pos += 3;
    else if (startsCi(rest, "fw")) pos += 2;
    else return std::string_view::npos;
    while (pos < s.size() && s[pos] == ' ') ++pos;
    if (auto next = skipBlob(s, pos); next != std::string_view::npos) pos = next;
    return pos < s.size() && s[pos] == ':' ? pos + 1 : std::string_view::npos;
}

}  // namespace

// RFC 5256 2.1 (steps 1-6; step 6, the base subject, is what is left).
std::string detail::baseSubject(std::string_view decoded, bool& replyOrForward) {
    std::string s;  // (1) runs of white space become one space
    for (char c : decoded) {
        if (c == '\t' || c == ' ' || c == '\r' || c == '\n') {
            if (s.empty() || s.back() != ' ') s += ' ';
        } else {
            s += c;
        }
    }
    replyOrForward = false;
    for (;;) {
        for (bool changed = true; changed;) {  // (2) trailing "(fwd)" and white space
            changed = false;
            while (!s.empty() && s.back() == ' ') s.pop_back();
            if (s.size() >= 5 && casemap(s.substr(s.size() - 5)) == "(FWD)") {
                s.resize(s.size() - 5);
                replyOrForward = changed = true;
            }
        }
        for (std::string before; before != s;) {  // (3) and (4) until nothing changes
            before = s;
            std::size_t lead = 0;
            while (lead < s.size() && s[lead] == ' ') ++lead;
            s.erase(0, lead);
            if (auto end = skipLeader(s); end != std::string::npos) {
                s.erase(0, end);
                replyOrForward = true;
                continue;
            }
            if (auto end = skipBlob(s, 0); end != std::string::npos && end < s.size()) s.erase(0, end);
        }
        // (5) "[fwd:" subject "]"
        if (s.size() >= 6 && startsCi(s, "[fwd:") && s.back() == ']') {
            s = s.substr(5, s.size() - 6);
            replyOrForward = true;
            continue;
        }
        break;
    }
    return casemap(s);
}

namespace {

// What SORT and THREAD need of one message.
struct Entry {
    std::uint32_t seq = 0, uid = 0;
    std::int64_t arrival = 0, sent = 0;
    std::uint64_t size = 0;
    std::string from, to, cc, subject;  // case-mapped
    bool reply = false;
    std::string messageId;
    std::vector<std::string> references;
};

std::vector<std::string> messageIds(std::string_view value) {
    std::vector<std::string> out;
    for (std::size_t pos = 0; (pos = value.find('<', pos)) != std::string_view::npos;) {
        auto close = value.find('>', pos);
        if (close == std::string_view::npos) break;
        std::string id;
        for (char c : value.substr(pos, close + 1 - pos))
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') id += c;
        if (id.size() > 2 && out.size() < 1000) out.push_back(id);
        pos = close + 1;
    }
    return out;
}

Entry makeEntry(std::uint32_t seq, const store::MessageInfo& info, const message::Message& msg) {
    Entry e;
    e.seq = seq;
    e.uid = info.uid;
    e.arrival = info.internalDate;
    e.sent = msg.date().value_or(info.internalDate);
    e.size = info.size;
    auto firstLocal = [&](std::string_view field) {
        auto boxes = msg.addresses(field).mailboxes();
        return boxes.empty() ? std::string{} : casemap(boxes.front().local);
    };
    e.from = firstLocal("From");
    e.to = firstLocal("To");
    e.cc = firstLocal("Cc");
    e.subject = detail::baseSubject(msg.subject(), e.reply);
    auto ids = messageIds(msg.root().headerValue("Message-ID"));
    if (!ids.empty()) e.messageId = ids.front();
    e.references = messageIds(msg.root().headerValue("References"));
    if (e.references.empty()) {
        auto irt = messageIds(msg.root().headerValue("In-Reply-To"));
        if (!irt.empty()) e.references.push_back(irt.front());
    }
    return e;
}

std::vector<Entry> entriesOf(const store::MailStore& store, const std::string& user, const std::string& folder,
                             const ImapSearchResult& found) {
    std::vector<Entry> out;
    for (const auto& hit : found.hits) {
        auto bytes = store.read(user, folder, hit.info.uid);
        auto msg = message::Message::parse(bytes ? *bytes : std::string{});
        out.push_back(makeEntry(static_cast<std::uint32_t>(hit.index + 1), hit.info, msg));
    }
    return out;
}

enum class SortKey { Arrival, Cc, Date, From, Size, Subject, To };

int compareBy(SortKey key, const Entry& a, const Entry& b) {
    auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : y < x ? 1 : 0; };
    switch (key) {
    case SortKey::Arrival: return cmp(a.arrival, b.arrival);
    case SortKey::Cc: return cmp(a.cc, b.cc);
    case SortKey::Date: return cmp(a.sent, b.sent);
    case SortKey::From: return cmp(a.from, b.from);
    case SortKey::Size: return cmp(a.size, b.size);
    case SortKey::Subject: return cmp(a.subject, b.subject);
    case SortKey::To: return cmp(a.to, b.to);
    }
    return 0;
}

// A node of a thread tree: a message (entry index) or a dummy (-1), and its children.
struct Node {
    int entry = -1;
    int parent = -1;
    std::vector<int> kids;
};

void writeThread(const std::vector<Node>& nodes, const std::vector<Entry>& entries, int n, bool uid, std::string& out) {
    bool first = true;
    for (;;) {
        const Node& node = nodes[static_cast<std::size_t>(n)];
        if (node.entry >= 0) {
            const Entry& e = entries[static_cast<std::size_t>(node.entry)];
            out += fmt::format("{}{}", first ? "" : " ", uid ? e.uid : e.seq);
            first = false;
        }
        if (node.kids.size() == 1) {
            n = node.kids.front();
            continue;
        }
        if (!node.kids.empty() && !first) out += ' ';
        for (int k : node.kids) {
            out += '(';
            writeThread(nodes, entries, k, uid, out);
            out += ')';
        }
        return;
    }
}

}  // namespace

namespace {

// Siblings in sent-date order, ties by sequence number; a dummy sorts by its first child (RFC 5256 3, step 6).
void sortSiblings(std::vector<Node>& nodes, const std::vector<Entry>& entries, std::vector<int>& list) {
    for (int n : list) sortSiblings(nodes, entries, nodes[static_cast<std::size_t>(n)].kids);
    auto key = [&](int n) {
        while (nodes[static_cast<std::size_t>(n)].entry < 0 && !nodes[static_cast<std::size_t>(n)].kids.empty())
            n = nodes[static_cast<std::size_t>(n)].kids.front();
        int e = nodes[static_cast<std::size_t>(n)].entry;
        if (e < 0) return std::pair<std::int64_t, std::uint32_t>{0, 0};
        return std::pair{entries[static_cast<std::size_t>(e)].sent, entries[static_cast<std::size_t>(e)].seq};
    };
    std::ranges::stable_sort(list, [&](int a, int b) { return key(a) < key(b); });
}

std::vector<int> orderedSubject(std::vector<Node>& nodes, const std::vector<Entry>& entries) {
    std::vector<int> order(entries.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::ranges::stable_sort(order, [&](int a, int b) {
        const Entry &x = entries[static_cast<std::size_t>(a)], &y = entries[static_cast<std::size_t>(b)];
        return std::tie(x.subject, x.sent, x.seq) < std::tie(y.subject, y.sent, y.seq);
    });
    std::vector<int> roots;
    for (std::size_t i = 0; i < order.size(); ++i) {
        nodes.push_back(Node{order[i], -1, {}});
        int n = static_cast<int>(nodes.size() - 1);
        if (i > 0 && entries[static_cast<std::size_t>(order[i])].subject ==
                         entries[static_cast<std::size_t>(order[i - 1])].subject) {
            nodes[static_cast<std::size_t>(roots.back())].kids.push_back(n);  // a child of the group's first
        } else {
            roots.push_back(n);
        }
    }
    sortSiblings(nodes, entries, roots);
    return roots;
}

constexpr std::size_t kMaxThreadDepth = 1000;  // levels of replies kept in one thread (deeper ones start a new one)

class ReferencesThreader {
public:
    ReferencesThreader(std::vector<Node>& nodes, const std::vector<Entry>& entries) : m_n(nodes), m_e(entries) {}

    std::vector<int> run() {
        link();
        std::vector<int> roots;  // (2) the root set
        for (std::size_t i = 0; i < m_n.size(); ++i)
            if (m_n[i].parent < 0) roots.push_back(static_cast<int>(i));
        roots = prune(roots, true);  // (4)
        for (int r : roots) at(r).parent = -1;
        gather(roots);  // (5)
        sortSiblings(m_n, m_e, roots);  // (6)
        return roots;
    }

private:
    Node& at(int n) { return m_n[static_cast<std::size_t>(n)]; }
    int container(const std::string& id) {
        auto [it, inserted] = m_ids.try_emplace(id, static_cast<int>(m_n.size()));
        if (inserted) m_n.push_back(Node{});
        return it->second;
    }
    // Whether `child` may go below `parent`: no loop (child is not parent nor above it), and no chain deeper than
    // kMaxThreadDepth (the tree is walked recursively; a mailbox of replies to replies must not exhaust the stack).
    bool canLink(int parent, int child) {
        std::size_t depth = 0;
        for (int x = parent; x >= 0; x = at(x).parent)
            if (x == child || ++depth > kMaxThreadDepth) return false;
        return true;
    }
    void detach(int child) {
        if (int p = at(child).parent; p >= 0) std::erase(at(p).kids, child);
        at(child).parent = -1;
    }
    void attach(int parent, int child) {
        detach(child);
        at(child).parent = parent;
        at(parent).kids.push_back(child);
    }
    // (1) A-C: a container per Message-ID (a missing or repeated one gets its own), References linked in order.
    void link() {
        for (std::size_t i = 0; i < m_e.size(); ++i) {
            const Entry& e = m_e[i];
            std::string id = e.messageId;
            if (id.empty() || (m_ids.contains(id) && at(m_ids[id]).entry >= 0))
                id = fmt::format("<{}@mailsim.unique>", i);  // missing or repeated: a container of its own
            int c = container(id);
            at(c).entry = static_cast<int>(i);
            for (std::size_t k = 1; k < e.references.size(); ++k) {
                int p = container(e.references[k - 1]), ch = container(e.references[k]);
                if (at(ch).parent < 0 && canLink(p, ch)) attach(p, ch);  // existing links stay, no loops
            }
            if (e.references.empty()) {
                detach(c);
            } else if (int p = container(e.references.back()); canLink(p, c)) {
                attach(p, c);
            }
        }
    }
    std::vector<int> prune(const std::vector<int>& list, bool root) {
        std::vector<int> out;
        for (int c : list) {
            at(c).kids = prune(at(c).kids, false);
            for (int k : at(c).kids) at(k).parent = c;
            if (at(c).entry < 0) {
                if (at(c).kids.empty()) continue;  // an empty dummy goes
                if (!root || at(c).kids.size() == 1) {  // its children take its place (not several at the root)
                    out.insert(out.end(), at(c).kids.begin(), at(c).kids.end());
                    continue;
                }
            }
            out.push_back(c);
        }
        return out;
    }
    const Entry* entryOf(int n) {
        if (at(n).entry < 0 && !at(n).kids.empty()) n = at(n).kids.front();
        return at(n).entry >= 0 ? &m_e[static_cast<std::size_t>(at(n).entry)] : nullptr;
    }
    void gather(std::vector<int>& roots) {
        std::map<std::string, int> table;  // (5) A-C: one root per base subject, the most original one
        for (int r : roots) {
            const Entry* e = entryOf(r);
            if (!e || e->subject.empty()) continue;
            auto it = table.find(e->subject);
            if (it == table.end()) { table.emplace(e->subject, r); continue; }
            int old = it->second;
            bool replace = (at(r).entry < 0 && at(old).entry >= 0) ||
                           (at(old).entry >= 0 && at(r).entry >= 0 && entryOf(old)->reply && !e->reply);
            if (replace) it->second = r;
        }
        std::vector<int> kept;
        for (int r : roots) {  // (5) D-E: merge the others into it
            const Entry* e = entryOf(r);
            auto it = e && !e->subject.empty() ? table.find(e->subject) : table.end();
            if (it == table.end() || it->second == r) {
                kept.push_back(r);
                continue;
            }
            int t = it->second;
            if (at(t).entry < 0 && at(r).entry < 0) {
                for (int k : at(r).kids) at(k).parent = t, at(t).kids.push_back(k);
                at(r).kids.clear();
            } else if (at(t).entry < 0 || (!entryOf(t)->reply && e->reply)) {
                attach(t, r);  // into the dummy's children, or a reply below the original
            } else {
                // Both originals or both replies: under a new dummy. The table's root keeps its place (and index):
                // its message moves to a new node, and it becomes the dummy.
                m_n.push_back(Node{at(t).entry, t, at(t).kids});
                int moved = static_cast<int>(m_n.size() - 1);
                for (int k : at(moved).kids) at(k).parent = moved;
                at(t).entry = -1;
                at(t).kids = {moved};
                attach(t, r);
            }
        }
        roots = std::move(kept);
    }

    std::vector<Node>& m_n;
    const std::vector<Entry>& m_e;
    std::map<std::string, int> m_ids;
};

}  // namespace


// SORT (criteria) charset key... (RFC 5256 3)
void ImapServerSession::doSort(Command& cmd, Micros now) {
    const auto& a = cmd.args;
    if (a.size() < 3 || a[0].kind != Token::Kind::List || a[0].children.empty()) return syntaxError(cmd, now);
    std::vector<std::pair<SortKey, bool>> criteria;
    bool reverse = false;
    static constexpr std::pair<std::string_view, SortKey> kKeys[] = {
        {"ARRIVAL", SortKey::Arrival}, {"CC", SortKey::Cc}, {"DATE", SortKey::Date}, {"FROM", SortKey::From},
        {"SIZE", SortKey::Size}, {"SUBJECT", SortKey::Subject}, {"TO", SortKey::To}};
    for (const auto& t : a[0].children) {
        if (t.isAtom("REVERSE") && !reverse) {
            reverse = true;
            continue;
        }
        auto k = std::ranges::find_if(kKeys, [&](const auto& p) { return t.isAtom(p.first); });
        if (k == std::end(kKeys)) return syntaxError(cmd, now);
        criteria.emplace_back(k->second, std::exchange(reverse, false));
    }
    if (reverse) return syntaxError(cmd, now);  // REVERSE must precede a key
    if (!charsetSupported(cmd, a[1], now)) return;
    auto found = runSearch(cmd, std::span<const Token>(a).subspan(2), now);
    if (!found) return;
    auto entries = entriesOf(*m_ctx.store, m_user, m_sel.folder(), *found);
    std::ranges::stable_sort(entries, [&](const auto& x, const auto& y) {
        for (auto [key, rev] : criteria)
            if (int c = compareBy(key, x, y); c != 0) return rev ? c > 0 : c < 0;
        return x.seq < y.seq;  // RFC 5256 3: ties in sequence order
    });
    std::string line = "SORT";
    for (const auto& e : entries) line += fmt::format(" {}", cmd.uid ? e.uid : e.seq);
    untagged(line, now, cmd.cause);
    pollChanges(false, now, cmd.cause);
    reply(found->expungedMeanwhile ? ReplyId::SearchExpungeIssued : ReplyId::SortDone, cmd.tag,
          {{"verb", cmd.uid ? "UID SORT" : "SORT"}}, now, cmd.cause);
}

// THREAD algorithm charset key... (RFC 5256 3)
void ImapServerSession::doThread(Command& cmd, Micros now) {
    const auto& a = cmd.args;
    if (a.size() < 3 || a[0].kind != Token::Kind::Atom) return syntaxError(cmd, now);
    bool references = a[0].isAtom("REFERENCES");
    if (!references && !a[0].isAtom("ORDEREDSUBJECT")) {
        reply(ReplyId::BadThreadAlgorithm, cmd.tag, {{"algorithm", a[0].text}}, now, cmd.cause);
        return countError(now, cmd.cause);
    }
    if (!charsetSupported(cmd, a[1], now)) return;
    auto found = runSearch(cmd, std::span<const Token>(a).subspan(2), now);
    if (!found) return;
    auto entries = entriesOf(*m_ctx.store, m_user, m_sel.folder(), *found);
    std::vector<Node> nodes;
    std::vector<int> roots = references ? ReferencesThreader(nodes, entries).run() : orderedSubject(nodes, entries);
    std::string line = "THREAD";
    if (!roots.empty()) line += ' ';
    for (int r : roots) {
        line += '(';
        writeThread(nodes, entries, r, cmd.uid, line);
        line += ')';
    }
    untagged(line, now, cmd.cause);
    pollChanges(false, now, cmd.cause);
    reply(found->expungedMeanwhile ? ReplyId::SearchExpungeIssued : ReplyId::ThreadDone, cmd.tag,
          {{"verb", cmd.uid ? "UID THREAD" : "THREAD"}}, now, cmd.cause);
}

}  // namespace mailsim::imap
