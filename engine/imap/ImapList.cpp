// IMAP LIST and LSUB (RFC 3501 6.3.8, 6.3.9), the extended LIST (RFC 5258 LIST-EXTENDED: selection options
// SUBSCRIBED, REMOTE, RECURSIVEMATCH; return options SUBSCRIBED, CHILDREN; several patterns), LIST-STATUS (RFC 5819:
// RETURN (STATUS (...))), and STATUS (6.3.10), whose counts LIST-STATUS shares.
//
// Contract
// - The reference and the pattern are concatenated as they are (RFC 3501 6.3.8: "LIST "INBOX" *" means "INBOX*",
//   which lists INBOX and everything below it, as curl's imap://host/INBOX asks). "*" matches any characters, "%"
//   any but the delimiter "/"; INBOX matches case-insensitively.
// - A hierarchy level that is not a mailbox itself but has mailboxes below it is listed only when the pattern stops
//   at it (a "%" cut the descendants off), with \Noselect (RFC 3501 6.3.8); for LSUB an unsubscribed parent of a
//   subscribed mailbox the same way (6.3.9).
// - \NonExistent (RFC 5258 3.4) appears only in answers to the extended LIST (selection SUBSCRIBED); the base LIST and
//   LSUB say \Noselect. \HasChildren / \HasNoChildren (RFC 5258 4, formerly RFC 3348 CHILDREN) are given for every
//   existing mailbox. SPECIAL-USE attributes (RFC 6154) for well-known names.
// - RECURSIVEMATCH (RFC 5258 3) also lists a parent that matches the pattern but not the selection when a descendant
//   matches the selection, with the extended data ("CHILDINFO" ("SUBSCRIBED")); without SUBSCRIBED it is BAD.
// - RETURN (STATUS (...)) (RFC 5819) sends one * STATUS after the * LIST line of each selectable mailbox listed.
#include "imap/ImapServerInternal.hpp"
#include "imap/ImapServerSession.hpp"
#include "util/Ascii.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>

namespace mailsim::imap {

using trace::Micros;

namespace {

// What is known of one name in the listing: a mailbox, a subscription, or a level above either.
struct Box {
    bool exists = false;
    bool subscribed = false;
    bool hasChild = false;            // an existing mailbox below it
    bool hasSubscribedChild = false;  // a subscribed name below it
};

struct ListRequest {
    bool lsub = false;
    bool extended = false;           // any RFC 5258 syntax was used
    bool selectSubscribed = false;   // selection SUBSCRIBED
    bool recursive = false;          // selection RECURSIVEMATCH
    bool returnSubscribed = false;   // \Subscribed attributes
    bool returnChildren = true;      // \HasChildren / \HasNoChildren
    const Token* statusItems = nullptr;  // RETURN (STATUS (items)), RFC 5819
    std::string ref;
    std::vector<std::string> patterns;
};

// Parses "[(selection)] reference (pattern | (patterns)) [RETURN (options)]"; nullopt when fine, else the List*
// entry that says what is wrong.
std::optional<ReplyId> parseListArgs(const std::vector<Token>& a, ListRequest& req) {
    std::size_t i = 0;
    if (!req.lsub && i < a.size() && a[i].kind == Token::Kind::List) {
        req.extended = true;
        bool base = false;
        for (const auto& o : a[i].children) {
            if (o.isAtom("SUBSCRIBED")) req.selectSubscribed = base = true;
            else if (o.isAtom("RECURSIVEMATCH")) req.recursive = true;
            else if (!o.isAtom("REMOTE"))
                return ReplyId::ListSelection;
        }
        if (req.recursive && !base) return ReplyId::ListRecursive;
        ++i;
    }
    if (i + 2 > a.size() || !a[i].isAString()) return ReplyId::ListArguments;
    req.ref = a[i++].text;
    if (a[i].kind == Token::Kind::List && !req.lsub) {
        req.extended = true;
        for (const auto& p : a[i].children) {
            if (!p.isAString()) return ReplyId::ListPatternStrings;
            req.patterns.push_back(p.text);
        }
        if (req.patterns.empty()) return ReplyId::ListNoPattern;
    } else if (a[i].isAString()) {
        req.patterns.push_back(a[i].text);
    } else {
        return ReplyId::ListPattern;
    }
    ++i;
    if (i == a.size()) return std::nullopt;
    if (req.lsub || i + 2 != a.size() || !a[i].isAtom("RETURN") || a[i + 1].kind != Token::Kind::List)
        return ReplyId::ListReturnPlace;
    req.extended = true;
    const auto& opts = a[i + 1].children;
    req.returnChildren = false;
    for (std::size_t k = 0; k < opts.size(); ++k) {
        if (opts[k].isAtom("SUBSCRIBED")) req.returnSubscribed = true;
        else if (opts[k].isAtom("CHILDREN")) req.returnChildren = true;
        else if (opts[k].isAtom("STATUS") && k + 1 < opts.size() && opts[k + 1].kind == Token::Kind::List &&
                 !opts[k + 1].children.empty())
            req.statusItems = &opts[++k];
        else return ReplyId::ListReturnOption;
    }
    return std::nullopt;
}

bool matchesName(const std::string& pattern, const std::string& name) {
    if (name == "INBOX") return listMatch(util::asciiUpper(pattern), "INBOX") || listMatch(pattern, name);
    return listMatch(pattern, name);
}

}  // namespace

std::optional<std::string> ImapServerSession::statusItems(const std::string& name, const Token& list) const {
    std::string folder = storeName(name);
    auto msgs = m_ctx.store->list(m_user, folder);
    std::uint32_t mark = 0;
    if (auto it = m_ctx.recentHighWater.find({m_user, folder}); it != m_ctx.recentHighWater.end()) mark = it->second;
    std::string items;
    for (const auto& item : list.children) {
        std::uint64_t value = 0;
        if (item.isAtom("MESSAGES")) value = msgs.size();
        else if (item.isAtom("RECENT"))
            value = std::ranges::count_if(msgs, [&](const auto& m) { return m.uid > mark; });
        else if (item.isAtom("UIDNEXT")) value = m_ctx.store->uidNext(m_user, folder);
        else if (item.isAtom("UIDVALIDITY")) value = m_ctx.store->uidValidity(m_user, folder);
        else if (item.isAtom("HIGHESTMODSEQ")) value = m_ctx.store->highestModSeq(m_user, folder);  // RFC 7162 3.1.6
        else if (item.isAtom("UNSEEN"))
            value = std::ranges::count_if(msgs, [](const auto& m) { return !(m.flags & store::kSeen); });
        else return std::nullopt;
        items += fmt::format("{}{} {}", items.empty() ? "" : " ", util::asciiUpper(item.text), value);
    }
    return "STATUS " + detail::quoteName(shownName(name)) + " (" + items + ")";
}

void ImapServerSession::doStatus(Command& cmd, Micros now) {
    if (cmd.args.size() != 2 || cmd.args[1].kind != Token::Kind::List || cmd.args[1].children.empty())
        return syntaxError(cmd, now);
    auto name = mailboxArg(cmd, cmd.args[0], now);
    if (!name) return;
    if (!mailboxExists(*name)) return reply(ReplyId::NoSuchMailbox, cmd.tag, {{"mailbox", *name}}, now, cmd.cause);
    auto line = statusItems(*name, cmd.args[1]);
    if (!line) return syntaxError(cmd, now);
    untagged(*line, now, cmd.cause);
    if (std::ranges::any_of(cmd.args[1].children, [](const Token& t) { return t.isAtom("HIGHESTMODSEQ"); }))
        enableCondStore(now, cmd.cause);  // a CONDSTORE-enabling command (RFC 7162 3.1)
    reply(ReplyId::StatusDone, cmd.tag, {}, now, cmd.cause);
}

void ImapServerSession::doList(Command& cmd, Micros now) {
    ListRequest req;
    const bool lsub = cmd.info->input == ImapInput::Lsub;
    req.lsub = lsub;
    if (auto why = parseListArgs(cmd.args, req)) return refuse(cmd, Refusal{*why, {}}, now);
    if (req.statusItems) {  // RFC 5819: the items are checked before anything is listed
        Token probe = *req.statusItems;
        if (!statusItems("INBOX", probe)) return syntaxError(cmd, now);
    }
    std::string_view verb = lsub ? "LSUB" : "LIST";
    ReplyId done = lsub ? ReplyId::LsubDone : ReplyId::ListDone;
    if (req.patterns.size() == 1 && req.patterns[0].empty() && !req.selectSubscribed) {
        // RFC 3501 6.3.8: the hierarchy delimiter and the root of the reference
        untagged(fmt::format("{} (\\Noselect) \"/\" \"\"", verb), now, cmd.cause);
        return reply(done, cmd.tag, {}, now, cmd.cause);
    }
    std::vector<std::string> patterns;
    for (const auto& p : req.patterns)  // concatenated as written (RFC 3501 6.3.8)
        patterns.push_back(normaliseMailboxName(!p.empty() && p.front() == '/' ? p : req.ref + p));
    auto matches = [&](const std::string& name) {
        // After ENABLE UTF8=ACCEPT the patterns are UTF-8: they match the names as the client reads them.
        return std::ranges::any_of(patterns, [&](const std::string& p) { return matchesName(p, shownName(name)); });
    };
    std::map<std::string, Box> boxes;
    auto mark = [&](const std::string& name, bool subscription) {
        Box& b = boxes[name];
        (subscription ? b.subscribed : b.exists) = true;
        for (auto slash = name.rfind('/'); slash != std::string::npos && slash > 0;
             slash = name.rfind('/', slash - 1)) {
            Box& parent = boxes[name.substr(0, slash)];
            (subscription ? parent.hasSubscribedChild : parent.hasChild) = true;
        }
    };
    for (const auto& f : m_ctx.store->listFolders(m_user)) mark(wireName(f), false);
    mark("INBOX", false);
    for (const auto& s : m_ctx.subscriptions[m_user]) mark(s, true);
    // Whether a descendant (existing, or subscribed) is cut off by the pattern: then this level stands for it.
    auto cutOffBelow = [&](const std::string& name, bool subscription) {
        for (auto it = boxes.upper_bound(name + "/"); it != boxes.end() && it->first.starts_with(name + "/"); ++it)
            if ((subscription ? it->second.subscribed : it->second.exists) && !matches(it->first)) return true;
        return false;
    };
    std::vector<std::string> order;  // INBOX first, then by name (RFC 3501 gives no order; clients like this one)
    if (boxes.contains("INBOX")) order.push_back("INBOX");
    for (const auto& [name, box] : boxes)
        if (name != "INBOX") order.push_back(name);
    for (const auto& name : order) {
        const Box& b = boxes[name];
        if (!matches(name)) continue;
        std::vector<std::string> attrs;
        std::string childInfo;
        auto children = [&] {
            if (req.returnChildren) attrs.push_back(b.hasChild ? "\\HasChildren" : "\\HasNoChildren");
        };
        if (lsub) {
            if (b.subscribed) {
                if (!b.exists) attrs.push_back("\\Noselect");
                else children();
            } else if (b.hasSubscribedChild && cutOffBelow(name, true)) {
                attrs.push_back("\\Noselect");  // RFC 3501 6.3.9: "foo" for a subscribed "foo/bar" and "%"
            } else {
                continue;
            }
        } else if (req.selectSubscribed) {
            bool viaChild = req.recursive && b.hasSubscribedChild;
            if (!b.subscribed && !viaChild) continue;
            if (!b.exists) attrs.push_back(b.subscribed ? "\\NonExistent" : "\\Noselect");
            else children();
            if (b.subscribed) attrs.push_back("\\Subscribed");
            if (viaChild) childInfo = " (\"CHILDINFO\" (\"SUBSCRIBED\"))";
        } else {
            if (b.exists) children();
            else if (b.hasChild && cutOffBelow(name, false)) attrs.insert(attrs.end(), {"\\Noselect", "\\HasChildren"});
            else continue;
            if (req.returnSubscribed && b.subscribed) attrs.push_back("\\Subscribed");
        }
        if (auto use = detail::specialUse(name); !use.empty() && b.exists) attrs.push_back(use);
        std::string joined;
        for (const auto& x : attrs) joined += (joined.empty() ? "" : " ") + x;
        untagged(fmt::format("{} ({}) \"/\" {}{}", verb, joined, detail::quoteName(shownName(name)), childInfo), now,
                           cmd.cause);
        if (req.statusItems && b.exists)
            if (auto line = statusItems(name, *req.statusItems)) untagged(*line, now, cmd.cause);
    }
    reply(done, cmd.tag, {}, now, cmd.cause);
}

}  // namespace mailsim::imap
