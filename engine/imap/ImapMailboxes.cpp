// IMAP mailbox commands (RFC 3501 6.3, 6.4.2, 6.4.3; RFC 3691 UNSELECT; RFC 4315 UIDPLUS; RFC 6154 SPECIAL-USE).
// LIST, LSUB and STATUS are in ImapList.cpp.
#include "imap/ImapServerInternal.hpp"
#include "imap/ImapServerSession.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace mailsim::imap {

using trace::Micros;

namespace detail {

// Longer keywords are refused (a Maildir keeps each in dovecot-keywords; Dovecot's own limit is 255).
constexpr std::size_t kMaxKeywordLength = 100;

std::optional<ParsedFlags> parseFlags(const Token& t) {
    ParsedFlags out;
    store::Flags& flags = out.flags;
    auto one = [&](const Token& f) {
        if (f.kind != Token::Kind::Atom) return false;
        static constexpr std::pair<std::string_view, store::Flag> kNames[] = {
            {"\\SEEN", store::kSeen}, {"\\ANSWERED", store::kAnswered}, {"\\FLAGGED", store::kFlagged},
            {"\\DELETED", store::kDeleted}, {"\\DRAFT", store::kDraft}};
        for (auto [name, bit] : kNames)
            if (f.isAtom(name)) {
                flags |= bit;
                return true;
            }
        // A keyword (RFC 3501 9: flag-keyword = atom; the tokenizer already refused the other atom-specials).
        if (f.text.empty() || f.text.front() == '\\' || f.text.size() > kMaxKeywordLength ||
            f.text.find_first_of("%*]") != std::string::npos)
            return false;
        if (std::ranges::none_of(out.keywords, [&](const std::string& k) { return store::sameKeyword(k, f.text); }))
            out.keywords.push_back(f.text);
        return true;
    };
    if (t.kind == Token::Kind::List) {
        for (const auto& f : t.children)
            if (!one(f)) return std::nullopt;
        return out;
    }
    if (!one(t)) return std::nullopt;
    return out;
}

std::string quoteName(const std::string& wire) {
    std::string out = "\"";
    for (char c : wire) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string specialUse(const std::string& wire) {
    std::string u;
    for (char c : wire) u += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (u == "sent" || u == "sent messages" || u == "sent items") return "\\Sent";
    if (u == "drafts") return "\\Drafts";
    if (u == "trash" || u == "deleted messages") return "\\Trash";
    if (u == "junk" || u == "spam") return "\\Junk";
    if (u == "archive") return "\\Archive";
    return {};
}

}  // namespace detail

namespace {
constexpr std::string_view kSystemFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";
}

// RFC 3501 7.2.6, 7.1: FLAGS lists the system flags and the folder's keywords; PERMANENTFLAGS adds \* (the client may
// create keywords, kept by the store: Thunderbird's tags, $Junk) unless the mailbox is read-only.
void ImapServerSession::announceFlags(bool readOnly, Micros now, trace::EventId cause) {
    std::string flags(kSystemFlags);
    for (const auto& k : m_ctx.store->keywords(m_user, m_sel.folder())) flags += " " + k;
    untagged(fmt::format("FLAGS ({})", flags), now, cause);
    if (readOnly) reply(ReplyId::PermanentFlagsNone, "*", {}, now, cause);
    else reply(ReplyId::PermanentFlags, "*", {{"flags", flags + " \\*"}}, now, cause);
}

void ImapServerSession::doSelect(Command& cmd, Micros now) {
    const bool readOnly = cmd.info->input == ImapInput::Examine;  // RFC 3501 6.3.2
    if (cmd.args.empty() || cmd.args.size() > 2 || (cmd.args.size() == 2 && cmd.args[1].kind != Token::Kind::List))
        return syntaxError(cmd, now);
    auto name = mailboxArg(cmd, cmd.args[0], now);
    if (!name) return;
    std::optional<QresyncParams> qresync;  // RFC 7162 3.1.7 (CONDSTORE), 3.2.5 (QRESYNC)
    if (cmd.args.size() == 2 && !selectParams(cmd, cmd.args[1], qresync, now)) return;
    bool wasSelected = m_sel.active();
    deselect();  // RFC 3501 6.3.1: the old mailbox is deselected first, even if this SELECT fails
    if (wasSelected && m_qresync) reply(ReplyId::Closed, "*", {}, now, cmd.cause);  // RFC 7162 3.2.11
    if (!mailboxExists(*name)) {
        reply(ReplyId::SelectFailed, cmd.tag, {{"mailbox", *name}}, now, cmd.cause);
        return transition(ImapInput::SelectFailed, now, cmd.cause);
    }
    std::string folder = storeName(*name);
    if (m_ctx.store->uidValidity(m_user, folder) == 0) (void)m_ctx.store->createFolder(m_user, folder);
    m_seen = m_ctx.store->snapshot(m_user, folder);  // shared, not copied; pollChanges compares with it
    m_sel.open(*name, folder, readOnly, m_ctx.store->uidValidity(m_user, folder), m_seen,
               m_ctx.recentHighWater[{m_user, folder}]);
    std::size_t recent = m_sel.recentCount(), firstUnseen = m_sel.firstUnseen();
    announceFlags(readOnly, now, cmd.cause);
    untagged(fmt::format("{} EXISTS", m_sel.size()), now, cmd.cause);
    untagged(fmt::format("{} RECENT", recent), now, cmd.cause);
    if (firstUnseen) reply(ReplyId::Unseen, "*", {{"n", std::to_string(firstUnseen)}}, now, cmd.cause);
    reply(ReplyId::UidValidity, "*", {{"n", std::to_string(m_sel.uidValidity())}}, now, cmd.cause);
    reply(ReplyId::UidNext, "*", {{"n", std::to_string(m_ctx.store->uidNext(m_user, folder))}}, now, cmd.cause);
    selectModSeq(now, cmd.cause);  // RFC 7162 3.1.2.1: with every successful SELECT/EXAMINE
    if (qresync) qresyncSelect(*qresync, now, cmd.cause);
    reply(readOnly ? ReplyId::ExamineDone : ReplyId::SelectDone, cmd.tag, {}, now, cmd.cause);
    transition(readOnly ? ImapInput::Examine : ImapInput::Select, now, cmd.cause);
}

void ImapServerSession::doCreate(Command& cmd, Micros now) {
    if (cmd.args.size() != 1 || !cmd.args[0].isAString()) return syntaxError(cmd, now);
    Token t = cmd.args[0];
    if (t.text.size() > 1 && t.text.back() == '/') t.text.pop_back();  // RFC 3501 6.3.3: a trailing delimiter
    auto name = mailboxArg(cmd, t, now);
    if (!name) return;
    if (mailboxExists(*name)) return reply(ReplyId::AlreadyExists, cmd.tag, {{"mailbox", *name}}, now, cmd.cause);
    // The levels above it too (RFC 3501 6.3.3: "SHOULD create ... superior hierarchical names").
    for (std::size_t slash = name->find('/'); ; slash = name->find('/', slash + 1)) {
        std::string level = name->substr(0, slash);
        if (level != "INBOX" && !mailboxExists(level)) {
            if (auto r = m_ctx.store->createFolder(m_user, storeName(level)); !r) {
                m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::ImapCreateFailed, r.error(), {level}), cmd.cause);
                return reply(ReplyId::CreateFailed, cmd.tag, {}, now, cmd.cause);
            }
            m_rec.storeChanged(now, {.user = m_user, .folder = level, .action = trace::StoreAction::FolderCreated,
                                     .fileId = storeName(level)}, cmd.cause);
        }
        if (slash == std::string::npos) break;
    }
    reply(ReplyId::CreateDone, cmd.tag, {}, now, cmd.cause);
}

void ImapServerSession::doDelete(Command& cmd, Micros now) {
    if (cmd.args.size() != 1) return syntaxError(cmd, now);
    auto name = mailboxArg(cmd, cmd.args[0], now);
    if (!name) return;
    if (*name == "INBOX") return reply(ReplyId::DeleteInbox, cmd.tag, {}, now, cmd.cause);
    if (!mailboxExists(*name)) return reply(ReplyId::NoSuchMailbox, cmd.tag, {{"mailbox", *name}}, now, cmd.cause);
    if (auto r = m_ctx.store->deleteFolder(m_user, storeName(*name)); !r) {
        m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::ImapDeleteFailed, r.error(), {*name}), cmd.cause);
        return reply(ReplyId::DeleteFailed, cmd.tag, {}, now, cmd.cause);
    }
    m_rec.storeChanged(now, {.user = m_user, .folder = *name, .action = trace::StoreAction::FolderDeleted,
                             .fileId = storeName(*name)}, cmd.cause);
    m_ctx.recentHighWater.erase({m_user, storeName(*name)});
    if (m_sel.mailbox() == *name) {  // deleting the selected mailbox leaves nothing selected
        deselect();
        transition(ImapInput::SelectFailed, now, cmd.cause);
    }
    reply(ReplyId::DeleteDone, cmd.tag, {}, now, cmd.cause);
}

void ImapServerSession::doRename(Command& cmd, Micros now) {
    if (cmd.args.size() != 2) return syntaxError(cmd, now);
    auto from = mailboxArg(cmd, cmd.args[0], now);
    if (!from) return;
    auto to = mailboxArg(cmd, cmd.args[1], now);
    if (!to) return;
    if (!mailboxExists(*from)) return reply(ReplyId::NoSuchMailbox, cmd.tag, {{"mailbox", *from}}, now, cmd.cause);
    if (mailboxExists(*to)) return reply(ReplyId::AlreadyExists, cmd.tag, {{"mailbox", *to}}, now, cmd.cause);
    auto fail = [&](const store::StoreError& why) {
        m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::ImapRenameFailed, why, {*from, *to}), cmd.cause);
        reply(ReplyId::RenameFailed, cmd.tag, {}, now, cmd.cause);
    };
    std::string src = storeName(*from), dst = storeName(*to);
    if (*from == "INBOX") {  // RFC 3501 6.3.5: the messages move to the new folder, INBOX stays (empty)
        if (auto r = m_ctx.store->createFolder(m_user, dst); !r) return fail(r.error());
        std::vector<std::uint32_t> moved;
        for (const auto& info : m_ctx.store->list(m_user, "INBOX")) {
            auto bytes = m_ctx.store->read(m_user, "INBOX", info.uid);
            if (!bytes) continue;
            auto copy = m_ctx.store->deliver(m_user, dst, *bytes, info.internalDate);
            if (!copy) return fail(copy.error());
            (void)m_ctx.store->setFlags(m_user, dst, copy->uid, info.flags);
            moved.push_back(info.uid);
        }
        if (auto r = m_ctx.store->removeMany(m_user, "INBOX", moved); !r) return fail(r.error());
    } else {
        std::vector<std::string> below;  // the folders under it are renamed with it
        for (const auto& f : m_ctx.store->listFolders(m_user))
            if (f.starts_with(src + ".")) below.push_back(f);
        if (auto r = m_ctx.store->renameFolder(m_user, src, dst); !r) return fail(r.error());
        for (const auto& f : below)
            if (auto r = m_ctx.store->renameFolder(m_user, f, dst + f.substr(src.size())); !r) return fail(r.error());
        if (m_sel.mailbox() == *from) m_sel.renamed(*to, dst);
    }
    m_rec.storeChanged(now, {.user = m_user, .folder = *from, .action = trace::StoreAction::FolderRenamed, .target = *to,
                             .fileId = dst}, cmd.cause);
    reply(ReplyId::RenameDone, cmd.tag, {}, now, cmd.cause);
}

void ImapServerSession::doSubscribe(Command& cmd, Micros now) {
    const bool subscribe = cmd.info->input == ImapInput::Subscribe;
    if (cmd.args.size() != 1) return syntaxError(cmd, now);
    auto name = mailboxArg(cmd, cmd.args[0], now);
    if (!name) return;
    auto& subs = m_ctx.subscriptions[m_user];
    if (subscribe) subs.insert(*name);
    else subs.erase(*name);
    reply(subscribe ? ReplyId::SubscribeDone : ReplyId::UnsubscribeDone, cmd.tag, {}, now, cmd.cause);
}

// APPEND mailbox [(flags)] [date-time] message, and MULTIAPPEND (RFC 3502 3): several such groups in one command,
// stored all or nothing (what was stored before a failure is removed again) with one APPENDUID uid-set (RFC 4315).
void ImapServerSession::doAppend(Command& cmd, Micros now) {
    const auto& a = cmd.args;
    struct Part {
        detail::ParsedFlags flags;
        std::optional<std::int64_t> date;
        const std::string* bytes = nullptr;
    };
    std::vector<Part> parts;
    for (std::size_t i = 1; i < a.size();) {
        Part p;
        if (a[i].kind == Token::Kind::List) {
            auto f = detail::parseFlags(a[i++]);
            if (!f) return syntaxError(cmd, now);
            p.flags = *f;
        }
        if (i + 1 < a.size() && a[i].kind == Token::Kind::String && !a[i].literal) {
            p.date = parseDateTime(a[i++].text);
            if (!p.date) return syntaxError(cmd, now);
        }
        if (i + 1 < a.size() && a[i].isAtom("UTF8") && a[i + 1].kind == Token::Kind::List) {
            // RFC 6855 4: append-data =/ "UTF8" SP "(" literal8 ")", a message with UTF-8 headers (RFC 6532)
            const auto& inner = a[i + 1].children;
            if (inner.size() != 1 || inner[0].kind != Token::Kind::String || !inner[0].literal)
                return syntaxError(cmd, now);
            if (!m_utf8Accept) {
                reply(ReplyId::Utf8NotEnabled, cmd.tag, {}, now, cmd.cause);
                return countError(now, cmd.cause);
            }
            p.bytes = &inner[0].text;
            i += 2;
            parts.push_back(p);
            continue;
        }
        if (i >= a.size() || a[i].kind != Token::Kind::String) return syntaxError(cmd, now);
        p.bytes = &a[i++].text;
        parts.push_back(p);
    }
    if (parts.empty()) return syntaxError(cmd, now);
    auto name = mailboxArg(cmd, a[0], now);
    if (!name) return;
    if (!mailboxExists(*name)) return reply(ReplyId::TryCreate, cmd.tag, {{"mailbox", *name}}, now, cmd.cause);
    std::string folder = storeName(*name);
    std::vector<std::uint32_t> uids;
    for (const auto& p : parts) {
        auto info = m_ctx.store->deliver(m_user, folder, *p.bytes, p.date.value_or(now));
        if (!info) {
            m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::ImapAppendFailed, info.error(), {*name}), cmd.cause);
            if (!uids.empty()) {  // RFC 3502 3: none of them is kept
                (void)m_ctx.store->removeMany(m_user, folder, uids);
                for (std::uint32_t uid : uids)  // removed again: MULTIAPPEND failed
                    m_rec.storeChanged(now, {.user = m_user, .folder = *name, .uid = uid,
                                             .action = trace::StoreAction::Expunged}, cmd.cause);
            }
            return reply(ReplyId::AppendFailed, cmd.tag, {}, now, cmd.cause);
        }
        if (p.flags.flags || !p.flags.keywords.empty())
            (void)m_ctx.store->updateFlags(m_user, folder, info->uid,
                                           {store::FlagDelta::Op::Add, p.flags.flags, p.flags.keywords});
        m_rec.storeChanged(now, {.user = m_user, .folder = *name, .uid = info->uid,
                                 .action = trace::StoreAction::Appended, .size = info->size,
                                 .fileId = info->storageId}, cmd.cause);
        uids.push_back(info->uid);
    }
    pollChanges(true, now, cmd.cause);  // appending to the selected mailbox: * n EXISTS
    ReplyArgs code{{"uidvalidity", std::to_string(m_ctx.store->uidValidity(m_user, folder))},
                   {"uid", formatSequenceSet(uids)}, {"count", std::to_string(uids.size())}};
    reply(uids.size() == 1 ? ReplyId::AppendDone : ReplyId::MultiAppendDone, cmd.tag, code, now, cmd.cause);
}

void ImapServerSession::doClose(Command& cmd, Micros now) {
    const bool expunge = cmd.info->input == ImapInput::Close;  // UNSELECT (RFC 3691 2) does not expunge
    if (!cmd.args.empty()) return syntaxError(cmd, now);
    if (expunge && !m_sel.readOnly()) expungeDeleted(nullptr, false, now, cmd.cause);  // RFC 3501 6.4.2: silently
    deselect();
    reply(expunge ? ReplyId::CloseDone : ReplyId::UnselectDone, cmd.tag, {}, now, cmd.cause);
    transition(expunge ? ImapInput::Close : ImapInput::Unselect, now, cmd.cause);
}

void ImapServerSession::doExpunge(Command& cmd, Micros now) {
    std::optional<std::vector<SeqRange>> set;
    if (cmd.uid) {  // UID EXPUNGE set (RFC 4315 2.1): only those of the set that are \Deleted
        if (cmd.args.size() != 1 || cmd.args[0].kind != Token::Kind::Atom) return syntaxError(cmd, now);
        set = parseSequenceSet(cmd.args[0].text);
        if (!set) return syntaxError(cmd, now);
    } else if (!cmd.args.empty()) {
        return syntaxError(cmd, now);
    }
    if (m_sel.readOnly()) return reply(ReplyId::ReadOnly, cmd.tag, {}, now, cmd.cause);
    pollChanges(true, now, cmd.cause);
    if (!expungeDeleted(set ? &*set : nullptr, true, now, cmd.cause))
        return reply(ReplyId::ExpungeFailed, cmd.tag, {}, now, cmd.cause);
    reply(ReplyId::ExpungeDone, cmd.tag, {}, now, cmd.cause);
}

bool ImapServerSession::expungeDeleted(const std::vector<SeqRange>* uidSet, bool report, Micros now,
                                       trace::EventId cause) {
    std::string folder = m_sel.folder();
    std::vector<std::uint32_t> uids;
    std::uint32_t largest = m_sel.largestUid();
    for (std::size_t i = 0; i < m_sel.size(); ++i)
        if ((m_sel.flags(i) & store::kDeleted) && (!uidSet || inSequenceSet(*uidSet, m_sel.uid(i), largest)))
            uids.push_back(m_sel.uid(i));
    if (uids.empty()) return true;
    // Only what is still in the store (another session may have expunged some already).
    auto current = m_ctx.store->list(m_user, folder);
    std::erase_if(uids, [&](auto uid) { return !std::ranges::binary_search(current, uid, {}, &store::MessageInfo::uid); });
    if (auto r = m_ctx.store->removeMany(m_user, folder, uids); !r) {
        m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::ImapExpungeFailed, r.error()), cause);
        return false;
    }
    std::vector<ImapViewChanges::Expunged> gone;
    for (std::size_t i = m_sel.size(); i-- > 0;) {
        if (std::ranges::find(uids, m_sel.uid(i)) == uids.end()) continue;
        m_rec.storeChanged(now, {.user = m_user, .folder = m_sel.mailbox(), .uid = m_sel.uid(i),
                                 .action = trace::StoreAction::Expunged}, cause);
        gone.push_back({static_cast<std::uint32_t>(i + 1), m_sel.uid(i)});
        m_sel.erase(i);
    }
    if (report) reportExpunged(gone, now, cause);  // * n EXPUNGE, or * VANISHED with QRESYNC
    return true;
}

}  // namespace mailsim::imap
