// IMAP message commands: FETCH (RFC 3501 6.4.5; BINARY, BINARY.PEEK and BINARY.SIZE of RFC 3516), STORE (6.4.6),
// COPY (6.4.7, RFC 4315 COPYUID), MOVE (RFC 6851), and the body sections they address (ImapMessageView.hpp).
#include "imap/ImapMessageView.hpp"
#include "imap/ImapServerInternal.hpp"
#include "imap/ImapServerSession.hpp"

#include "message/Downgrade.hpp"
#include "message/ImapStructure.hpp"
#include "util/Ascii.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <functional>
#include <map>

namespace mailsim::imap {

using trace::EventId;
using trace::Micros;

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::ranges::equal(a, b, [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

// ---- sections --------------------------------------------------------------------------------------------------

std::optional<Section> parseSection(std::string_view inside) {
    Section s;
    std::size_t i = 0;
    while (i < inside.size() && std::isdigit(static_cast<unsigned char>(inside[i]))) {
        unsigned n = 0;
        auto [p, ec] = std::from_chars(inside.data() + i, inside.data() + inside.size(), n);
        if (ec != std::errc{} || n == 0 || s.path.size() >= 64) return std::nullopt;
        s.path.push_back(n);
        i = static_cast<std::size_t>(p - inside.data());
        if (i < inside.size() && inside[i] == '.') ++i;
        else break;
    }
    std::string_view rest = inside.substr(i);
    if (rest.empty()) return s;
    auto sp = rest.find(' ');
    std::string spec = util::asciiUpper(rest.substr(0, sp));
    if (spec == "HEADER" || spec == "TEXT" || spec == "MIME") {
        if (sp != std::string_view::npos) return std::nullopt;
        if (spec == "MIME" && s.path.empty()) return std::nullopt;
        s.specifier = spec;
        return s;
    }
    if (spec != "HEADER.FIELDS" && spec != "HEADER.FIELDS.NOT") return std::nullopt;
    if (sp == std::string_view::npos) return std::nullopt;
    auto list = tokenize(rest.substr(sp + 1));
    if (list.error || list.tokens.size() != 1 || list.tokens[0].kind != Token::Kind::List ||
        list.tokens[0].children.empty())
        return std::nullopt;
    for (const auto& f : list.tokens[0].children) {
        if (!f.isAString()) return std::nullopt;
        s.fields.push_back(f.text);
    }
    s.specifier = spec;
    return s;
}

const message::MimePart* locatePart(const message::Message& msg, const std::vector<unsigned>& path) {
    using message::MimePart;
    const MimePart* part = &msg.root();
    for (std::size_t k = 0; k < path.size(); ++k) {
        unsigned n = path[k];
        const MimePart* container = part;
        if (k > 0 && container->kind == MimePart::Kind::Message && !container->children.empty())
            container = &container->children[0];  // go inside the embedded message
        if (container->kind == MimePart::Kind::Multipart) {
            if (n > container->children.size()) return nullptr;
            part = &container->children[n - 1];
        } else if (n == 1 && (k == 0 || part->kind == MimePart::Kind::Message)) {
            part = container;  // part 1 of a non-multipart message is its body
        } else {
            return nullptr;
        }
    }
    return part;
}

std::optional<std::string> sectionBytes(const message::Message& msg, const Section& section) {
    using message::MimePart;
    // `part` is the part reached; HEADER and TEXT apply to a whole message (the top, or the embedded message of a
    // message/rfc822 part).
    const MimePart* part = locatePart(msg, section.path);
    if (!part) return std::nullopt;
    const std::string& spec = section.specifier;
    if (spec == "MIME") return std::string(msg.bytes(part->header));
    // HEADER / TEXT / HEADER.FIELDS apply to a message: the top, or the message inside a message/rfc822 part.
    const MimePart* m = part;
    if (!section.path.empty() && !spec.empty()) {
        if (part->kind != MimePart::Kind::Message || part->children.empty()) return std::nullopt;
        m = &part->children[0];
    }
    if (spec.empty()) return std::string(section.path.empty() ? std::string_view(msg.raw()) : msg.bytes(part->body));
    if (spec == "HEADER") return std::string(msg.bytes(m->header));
    if (spec == "TEXT") return std::string(msg.bytes(m->body));
    bool negate = spec == "HEADER.FIELDS.NOT";
    std::string out;
    for (const auto& f : m->headers) {
        bool listed = std::ranges::any_of(section.fields, [&](const std::string& n) { return iequals(n, f.name); });
        if (listed != negate) out += msg.bytes(f.range);
    }
    return out + "\r\n";
}

// ---- FETCH -----------------------------------------------------------------------------------------------------

// Sequence numbers above the number of messages are an error (RFC 3501 9, "seq-number": tagged BAD); "*" is always
// valid - a range with "*" means "up to the last message", and in an empty mailbox it matches nothing.
bool ImapServerSession::sequenceNumbersValid(const Command& cmd, const std::vector<SeqRange>& set, Micros now) {
    for (auto r : set) {
        if (r.lo == 0 || r.hi == 0) continue;
        if (std::max(r.lo, r.hi) <= m_sel.size()) continue;
        reply(ReplyId::NoSuchMessage, cmd.tag,
              {{"msg", std::to_string(std::max(r.lo, r.hi))}, {"count", std::to_string(m_sel.size())}}, now, cmd.cause);
        return false;
    }
    return true;
}

namespace detail {

// One data item of a FETCH (RFC 3501 6.4.5), parsed.
struct FetchItem {
    enum class Kind { Flags, InternalDate, Size, Envelope, Body, BodyStructure, Uid, Section, Rfc822, Rfc822Header,
                      Rfc822Text, Binary, BinarySize, ModSeq };
    explicit FetchItem(Kind k) : kind(k) {}
    Kind kind;
    Section section;
    std::string sectionText;  // as echoed in the response, e.g. "HEADER.FIELDS (From)"
    bool peek = false;
    bool partial = false;
    std::uint64_t origin = 0, count = 0;
};

}  // namespace detail

namespace {

using detail::FetchItem;

bool parseFetchAtom(std::string_view atom, std::vector<FetchItem>& out) {
    using K = FetchItem::Kind;
    std::string u = util::asciiUpper(atom);
    static constexpr std::pair<std::string_view, K> kSimple[] = {
        {"FLAGS", K::Flags}, {"INTERNALDATE", K::InternalDate}, {"RFC822.SIZE", K::Size}, {"ENVELOPE", K::Envelope},
        {"BODY", K::Body}, {"BODYSTRUCTURE", K::BodyStructure}, {"UID", K::Uid}, {"RFC822", K::Rfc822},
        {"RFC822.HEADER", K::Rfc822Header}, {"RFC822.TEXT", K::Rfc822Text}, {"MODSEQ", K::ModSeq}};
    for (auto [name, kind] : kSimple)
        if (u == name) return out.push_back(FetchItem{kind}), true;
    if (u == "ALL" || u == "FAST" || u == "FULL") {  // macros (RFC 3501 6.4.5)
        out.push_back(FetchItem{K::Flags});
        out.push_back(FetchItem{K::InternalDate});
        out.push_back(FetchItem{K::Size});
        if (u != "FAST") out.push_back(FetchItem{K::Envelope});
        if (u == "FULL") out.push_back(FetchItem{K::Body});
        return true;
    }
    FetchItem item{K::Section};
    std::string_view rest;
    if (u.starts_with("BODY.PEEK[")) item.peek = true, rest = atom.substr(10);
    else if (u.starts_with("BODY[")) rest = atom.substr(5);
    else if (u.starts_with("BINARY.PEEK[")) item.kind = K::Binary, item.peek = true, rest = atom.substr(12);
    else if (u.starts_with("BINARY.SIZE[")) item.kind = K::BinarySize, item.peek = true, rest = atom.substr(12);
    else if (u.starts_with("BINARY[")) item.kind = K::Binary, rest = atom.substr(7);
    else return false;
    auto close = rest.find(']');
    if (close == std::string_view::npos) return false;
    auto section = parseSection(rest.substr(0, close));
    if (!section) return false;
    // RFC 3516 4.1: section-binary is a part number only (no HEADER, TEXT, MIME); BINARY.SIZE has no <partial>.
    if (item.kind != K::Section && !section->specifier.empty()) return false;
    if (item.kind == K::BinarySize && close + 1 != rest.size()) return false;
    item.section = *section;
    item.sectionText = util::asciiUpper(rest.substr(0, close));
    rest = rest.substr(close + 1);
    if (!rest.empty()) {  // <origin.count>
        if (rest.front() != '<' || rest.back() != '>') return false;
        std::string_view nums = rest.substr(1, rest.size() - 2);
        auto dot = nums.find('.');
        if (dot == std::string_view::npos) return false;
        auto a = std::from_chars(nums.data(), nums.data() + dot, item.origin);
        auto b = std::from_chars(nums.data() + dot + 1, nums.data() + nums.size(), item.count);
        if (a.ec != std::errc{} || b.ec != std::errc{} || a.ptr != nums.data() + dot ||
            b.ptr != nums.data() + nums.size() || item.count == 0)
            return false;
        item.partial = true;
    }
    out.push_back(std::move(item));
    return true;
}

// A mod-sequence value (RFC 7162 7: 0 allowed here, as in CHANGEDSINCE 0 and UNCHANGEDSINCE 0).
std::optional<std::uint64_t> modSeqValue(const Token& t) {
    std::uint64_t n = 0;
    if (t.kind != Token::Kind::Atom || t.text.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n);
    if (ec != std::errc{} || p != t.text.data() + t.text.size()) return std::nullopt;
    return n;
}

// FETCH's modifiers (RFC 7162 3.1.4.1, 3.2.6): "(CHANGEDSINCE modseq [VANISHED])"; false when malformed.
bool parseFetchModifiers(const Token& list, std::optional<std::uint64_t>& changedSince, bool& vanished) {
    if (list.kind != Token::Kind::List) return false;
    const auto& m = list.children;
    for (std::size_t i = 0; i < m.size(); ++i) {
        if (m[i].isAtom("VANISHED")) {
            vanished = true;
            continue;
        }
        if (!m[i].isAtom("CHANGEDSINCE") || i + 1 >= m.size()) return false;
        changedSince = modSeqValue(m[++i]);
        if (!changedSince) return false;
    }
    return true;
}

std::string literal(std::string_view bytes) { return fmt::format("{{{}}}\r\n", bytes.size()) + std::string(bytes); }

// RFC 3516 4.3: decoded content with a NUL goes out as literal8 ("~{n}"); anything else as an ordinary literal.
std::string literal8(std::string_view bytes) {
    return (bytes.find('\0') != std::string_view::npos ? "~" : "") + literal(bytes);
}

// BINARY[section] (RFC 3516 4.2): a leaf part with its content-transfer-encoding undone; a multipart or message
// part, and the whole message (empty section), as they are. nullopt: no such part. (An unknown encoding is refused
// by the caller before: NO [UNKNOWN-CTE].)
std::optional<std::string> binaryBytes(const message::Message& msg, const Section& section) {
    if (section.path.empty()) return msg.raw();
    const message::MimePart* part = locatePart(msg, section.path);
    if (!part) return std::nullopt;
    if (part->kind != message::MimePart::Kind::Leaf) return std::string(msg.bytes(part->body));
    return msg.decodedBody(*part);
}

// What one FETCH item shows of one message (RFC 3501 7.4.2, RFC 3516 4.2): "NAME value".
struct FetchSource {
    const store::MessageInfo& info;
    std::string flags;  // the parenthesised flag list
    std::function<const std::string&()> bytes;
    std::function<const message::Message&()> msg;
    std::function<bool()> downgraded;  // served downgraded (RFC 6858): size and envelope come from `bytes`
};

std::string renderItem(const FetchItem& item, const FetchSource& src) {
    using K = FetchItem::Kind;
    const auto& msg = src.msg;
    // <origin.count> (RFC 3501 6.4.5, RFC 3516 4.2): an origin past the end gives "".
    auto partial = [&](std::string& name, std::string_view view) {
        if (!item.partial) return view;
        name += fmt::format("<{}>", item.origin);
        return item.origin >= view.size() ? std::string_view{} : view.substr(item.origin, item.count);
    };
    switch (item.kind) {
    case K::Flags: return "FLAGS " + src.flags;
    case K::InternalDate: return "INTERNALDATE \"" + formatInternalDate(src.info.internalDate) + "\"";
    case K::Size: return fmt::format("RFC822.SIZE {}", src.downgraded() ? src.bytes().size() : src.info.size);
    case K::Uid: return fmt::format("UID {}", src.info.uid);
    case K::ModSeq: return fmt::format("MODSEQ ({})", src.info.modSeq);  // RFC 7162 3.1.4.1
    case K::Envelope:  // the store's index caches it (issue #16)
        return "ENVELOPE " + (src.info.cached && !src.downgraded() ? std::string(src.info.cached->envelope())
                                                                   : message::imapEnvelope(msg()));
    case K::Body: return "BODY " + message::imapBodyStructure(msg(), false);
    case K::BodyStructure: return "BODYSTRUCTURE " + message::imapBodyStructure(msg(), true);
    case K::Rfc822: return "RFC822 " + literal(src.bytes());
    case K::Rfc822Header: return "RFC822.HEADER " + literal(msg().bytes(msg().root().header));
    case K::Rfc822Text: return "RFC822.TEXT " + literal(msg().bytes(msg().root().body));
    case K::Section: {
        auto data = sectionBytes(msg(), item.section);
        std::string name = "BODY[" + item.sectionText + "]";
        if (!data) return name + " NIL";
        std::string_view view = partial(name, *data);
        return name + " " + literal(view);
    }
    case K::Binary:
    case K::BinarySize: {
        auto data = binaryBytes(msg(), item.section);
        std::string name = (item.kind == K::Binary ? "BINARY[" : "BINARY.SIZE[") + item.sectionText + "]";
        if (!data) return name + " NIL";
        if (item.kind == K::BinarySize) return fmt::format("{} {}", name, data->size());
        std::string_view view = partial(name, *data);
        return name + " " + literal8(view);
    }
    }
    return {};
}

}  // namespace

namespace {

// FETCH's sequence set and data items (RFC 3501 6.4.5): "set item" or "set (item ...)".
struct FetchRequest {
    std::vector<SeqRange> set;
    std::vector<FetchItem> items;
    bool modSeqAsked = false;  // MODSEQ named, or implied by CHANGEDSINCE (RFC 7162 3.1.4.1)
};

// nullopt when malformed. UID FETCH always returns the UID (RFC 3501 6.4.8); CHANGEDSINCE implies MODSEQ.
std::optional<FetchRequest> parseFetchRequest(const Token& setArg, const Token& itemsArg, bool uid, bool changedSince) {
    using K = FetchItem::Kind;
    auto set = parseSequenceSet(setArg.text);
    if (!set) return std::nullopt;
    FetchRequest r{std::move(*set), {}, false};
    bool ok = true;
    if (itemsArg.kind == Token::Kind::List) {
        for (const auto& t : itemsArg.children) ok = ok && t.kind == Token::Kind::Atom && parseFetchAtom(t.text, r.items);
        ok = ok && !itemsArg.children.empty();
    } else {
        ok = itemsArg.kind == Token::Kind::Atom && parseFetchAtom(itemsArg.text, r.items);
    }
    if (!ok) return std::nullopt;
    auto has = [&](K kind) { return std::ranges::any_of(r.items, [&](const FetchItem& i) { return i.kind == kind; }); };
    if (uid && !has(K::Uid)) r.items.insert(r.items.begin(), FetchItem{K::Uid});
    r.modSeqAsked = has(K::ModSeq) || changedSince;
    if (changedSince && !has(K::ModSeq)) r.items.push_back(FetchItem{K::ModSeq});
    return r;
}

}  // namespace

// A FETCH being answered: what it asked, the messages it resolved to when it began, and how far it got.
struct ImapServerSession::FetchJob {
    std::string tag;
    EventId cause = trace::kNoCause;
    std::vector<FetchItem> items;
    std::optional<std::uint64_t> changedSince;
    std::vector<std::size_t> indices;                       // view positions, ascending
    std::size_t next = 0;                                   // the first of `indices` not answered yet
    bool expungedMeanwhile = false;
    bool unknownCte = false;
};

void ImapServerSession::FetchJobDelete::operator()(FetchJob* job) const { delete job; }

void ImapServerSession::doFetch(Command& cmd, Micros now) {
    const auto& a = cmd.args;
    if (a.size() < 2 || a.size() > 3 || a[0].kind != Token::Kind::Atom) return syntaxError(cmd, now);
    // Modifiers (RFC 7162 3.1.4.1, 3.2.6): (CHANGEDSINCE modseq [VANISHED])
    std::optional<std::uint64_t> changedSince;
    bool vanished = false;
    if (a.size() == 3) {
        if (!parseFetchModifiers(a[2], changedSince, vanished)) return syntaxError(cmd, now);
        if (vanished && !m_qresync)
            return reply(ReplyId::QresyncNotEnabled, cmd.tag, {{"what", "UID FETCH (VANISHED)"}}, now, cmd.cause);
        if (vanished && (!cmd.uid || !changedSince)) return syntaxError(cmd, now);  // RFC 7162 3.2.6
    }
    auto request = parseFetchRequest(a[0], a[1], cmd.uid, changedSince.has_value());
    if (!request) return syntaxError(cmd, now);
    if (!cmd.uid && !sequenceNumbersValid(cmd, request->set, now)) return;
    if (request->modSeqAsked) enableCondStore(now, cmd.cause);
    if (vanished) {  // RFC 7162 3.2.6: the UIDs of the set expunged after CHANGEDSINCE, before the FETCH responses
        auto gone = vanishedSince(*changedSince, &request->set, 0);
        if (!gone.empty()) untagged("VANISHED (EARLIER) " + formatSequenceSet(gone), now, cmd.cause);
    }
    std::unique_ptr<FetchJob, FetchJobDelete> job(new FetchJob);
    job->tag = cmd.tag;
    job->cause = cmd.cause;
    job->items = std::move(request->items);
    job->changedSince = changedSince;
    job->indices = m_sel.resolve(request->set, cmd.uid);
    m_fetch = std::move(job);
    continueFetch(now);
}

void ImapServerSession::continueFetch(Micros now) {
    FetchJob& job = *m_fetch;
    const std::size_t slice = m_ctx.config.fetchSlice;
    const std::size_t before = m_output.size();
    // Each slice reads the store as it is now (shared, not copied): other sessions run between slices.
    const auto snapshot = m_ctx.store->snapshot(m_user, m_sel.folder());
    while (job.next < job.indices.size() && (slice == 0 || m_output.size() - before < slice)) {
        const std::size_t idx = job.indices[job.next++];
        const store::MessageInfo* found = detail::findUid(snapshot->messages, m_sel.uid(idx));
        if (!found) {  // expunged by another session, not yet reported (RFC 3501 7.4.1): the tagged
            job.expungedMeanwhile = true;  // NO [EXPUNGEISSUED] says so (RFC 2180 4.1.2, RFC 5530 3), never silence
            continue;
        }
        if (job.changedSince && found->modSeq <= *job.changedSince) continue;  // RFC 7162 3.1.4.1
        if (!fetchMessage(idx, *found, job.items, now, job.cause)) job.unknownCte = true;
    }
    if (job.next < job.indices.size()) return;  // the next slice on produce()
    const std::unique_ptr<FetchJob, FetchJobDelete> done = std::move(m_fetch);
    pollChanges(false, now, done->cause);
    if (done->unknownCte) return reply(ReplyId::UnknownCte, done->tag, {}, now, done->cause);
    if (done->expungedMeanwhile) return reply(ReplyId::ExpungeIssued, done->tag, {{"verb", "FETCH"}}, now, done->cause);
    reply(ReplyId::FetchDone, done->tag, {}, now, done->cause);
}

void ImapServerSession::produce(Micros now) {
    if (!m_fetch || m_closed) return;
    m_lastActivity = now;  // a client reading a long response is not idle (RFC 3501 5.4)
    continueFetch(now);
    if (!m_fetch) runBuffered(now);  // the commands pipelined behind the FETCH, in order
}

void ImapServerSession::endFetch() { m_fetch.reset(); }

bool ImapServerSession::fetchMessage(std::size_t idx, const store::MessageInfo& info,
                                     const std::vector<FetchItem>& items, Micros now, EventId cause) {
    using K = FetchItem::Kind;
    const std::string folder = m_sel.folder();
    const std::uint32_t uid = info.uid;
    std::optional<message::Message> parsed;
    std::optional<std::string> raw;
    bool downgradedRaw = false;
    auto bytes = [&]() -> const std::string& {  // read, and parsed below, only when an item needs it
        if (!raw) {
            auto r = m_ctx.store->read(m_user, folder, uid);
            raw = r ? *r : std::string{};
            if (needsDowngrade(info, *raw))
                if (auto d = message::downgradeHeader(*raw)) raw = std::move(*d), downgradedRaw = true;
        }
        return *raw;
    };
    auto downgraded = [&] {
        if (m_utf8Accept) return false;
        if (info.cached) return needsDowngrade(info, {});  // no read when the index answers
        bytes();
        return downgradedRaw;
    };
    auto msg = [&]() -> const message::Message& {
        if (!parsed) parsed = message::Message::parse(bytes());
        return *parsed;
    };
    auto wants = [&](K kind) { return std::ranges::any_of(items, [&](const FetchItem& i) { return i.kind == kind; }); };
    // RFC 3516 4.2: a part whose encoding cannot be undone fails the request, before anything changes.
    if (std::ranges::any_of(items, [&](const FetchItem& i) {
            if (i.kind != K::Binary && i.kind != K::BinarySize) return false;
            const auto* part = i.section.path.empty() ? nullptr : locatePart(msg(), i.section.path);
            return part && part->kind == message::MimePart::Kind::Leaf &&
                   part->encoding() == message::TransferEncoding::Unknown;
        }))
        return false;
    // A non-PEEK body fetch sets \Seen first, so the FLAGS in this response show it (RFC 3501 6.4.5).
    const bool setsSeen = std::ranges::any_of(items, [](const FetchItem& i) {
        return ((i.kind == K::Section || i.kind == K::Binary) && !i.peek) || i.kind == K::Rfc822 ||
               i.kind == K::Rfc822Text;
    });
    // The store's flags: another session may have changed them (the view copies only when they differ).
    if (wants(K::Flags) || setsSeen) m_sel.takeOver(idx, info);
    const bool flagsChanged = setsSeen && markSeen(idx, uid, now, cause);
    std::vector<std::string> parts;
    FetchSource src{info, m_sel.flagList(idx), bytes, msg, downgraded};
    for (const auto& item : items) parts.push_back(renderItem(item, src));
    if (flagsChanged && !wants(K::Flags)) parts.push_back("FLAGS " + m_sel.flagList(idx));
    if (flagsChanged && m_condStore && !wants(K::ModSeq)) parts.push_back(fmt::format("MODSEQ ({})", m_sel.modSeq(idx)));
    std::string line = fmt::format("* {} FETCH (", idx + 1);
    for (std::size_t k = 0; k < parts.size(); ++k) line += (k ? " " : "") + parts[k];
    sendRaw(line + ")\r\n", now, cause);
    return true;
}

// A body fetch's \Seen (RFC 3501 6.4.5), unless read-only or already set: a delta on the store's current flags, so
// nothing another session set meanwhile is undone (issue #16). True when the flags changed.
bool ImapServerSession::markSeen(std::size_t idx, std::uint32_t uid, Micros now, EventId cause) {
    if (m_sel.readOnly() || (m_sel.flags(idx) & store::kSeen)) return false;
    auto r = m_ctx.store->updateFlags(m_user, m_sel.folder(), uid, {store::FlagDelta::Op::Add, store::kSeen, {}});
    if (!r) return false;
    m_sel.takeOver(idx, *r);
    m_rec.storeChanged(now, {.user = m_user, .folder = m_sel.mailbox(), .uid = uid, .action = trace::StoreAction::FlagsSet,
                             .flags = "\\Seen", .why = trace::StoreCause::BodyFetched}, cause);
    return true;
}

// ---- STORE -----------------------------------------------------------------------------------------------------

void ImapServerSession::doStore(Command& cmd, Micros now) {
    auto a = cmd.args;
    // STORE set (UNCHANGEDSINCE modseq) ... (RFC 7162 3.1.3): only messages not changed after modseq are changed.
    std::optional<std::uint64_t> unchangedSince;
    if (a.size() >= 2 && a[1].kind == Token::Kind::List) {
        const auto& m = a[1].children;
        if (m.size() == 2 && m[0].isAtom("UNCHANGEDSINCE")) unchangedSince = modSeqValue(m[1]);
        if (!unchangedSince) return syntaxError(cmd, now);
        a.erase(a.begin() + 1);
    }
    if (a.size() < 3 || a[0].kind != Token::Kind::Atom || a[1].kind != Token::Kind::Atom) return syntaxError(cmd, now);
    auto set = parseSequenceSet(a[0].text);
    std::string what = util::asciiUpper(a[1].text);
    bool silent = what.ends_with(".SILENT");
    if (silent) what.resize(what.size() - 7);
    int mode = what == "FLAGS" ? 0 : what == "+FLAGS" ? 1 : what == "-FLAGS" ? -1 : 2;
    std::optional<detail::ParsedFlags> flags;
    if (a.size() == 3) {
        flags = detail::parseFlags(a[2]);
    } else {  // flags without parentheses: STORE 1 +FLAGS \Seen \Deleted
        Token list;
        list.kind = Token::Kind::List;
        list.children.assign(a.begin() + 2, a.end());
        flags = detail::parseFlags(list);
    }
    if (!set || mode == 2 || !flags) return syntaxError(cmd, now);
    if (m_sel.readOnly()) return reply(ReplyId::ReadOnly, cmd.tag, {}, now, cmd.cause);
    if (!cmd.uid && !sequenceNumbersValid(cmd, *set, now)) return;
    std::string folder = m_sel.folder();
    using Op = store::FlagDelta::Op;
    const store::FlagDelta delta{mode == 0 ? Op::Replace : mode > 0 ? Op::Add : Op::Remove, flags->flags,
                                 flags->keywords};
    std::size_t keywordsBefore = flags->keywords.empty() ? 0 : m_ctx.store->keywords(m_user, folder).size();
    bool expungedMeanwhile = false;
    std::map<std::uint32_t, std::uint64_t> modSeqs;  // for UNCHANGEDSINCE: each message's MODSEQ in the store now
    std::vector<std::uint32_t> modified;             // RFC 7162 3.1.3: [MODIFIED] numbers (UIDs for UID STORE)
    if (unchangedSince) {
        enableCondStore(now, cmd.cause);
        for (const auto& info : m_ctx.store->list(m_user, folder)) modSeqs.emplace(info.uid, info.modSeq);
    }
    for (std::size_t idx : m_sel.resolve(*set, cmd.uid)) {
        const std::uint32_t uid = m_sel.uid(idx);
        if (unchangedSince) {
            auto it = modSeqs.find(uid);
            if (it != modSeqs.end() && it->second > *unchangedSince) {
                modified.push_back(cmd.uid ? uid : static_cast<std::uint32_t>(idx + 1));
                continue;
            }
        }
        // The store applies the delta to the message's current flags under its lock (no lost update, issue #16).
        auto r = m_ctx.store->updateFlags(m_user, folder, uid, delta);
        if (!r && r.error().code == store::StoreErrc::NotFound) {
            expungedMeanwhile = true;  // expunged by another session (RFC 2180 4.2.1): NO [EXPUNGEISSUED] at the end
            continue;
        }
        if (!r) {
            m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::ImapStoreFailed, r.error(), {m_sel.mailbox()},
                                                           {uid}), cmd.cause);
            pollChanges(false, now, cmd.cause);
            if (r.error().code == store::StoreErrc::ReadOnly)
                return reply(ReplyId::StoreReadOnly, cmd.tag, {}, now, cmd.cause);
            if (r.error().code == store::StoreErrc::TooManyKeywords)
                return reply(ReplyId::KeywordLimit, cmd.tag, {}, now, cmd.cause);
            return reply(ReplyId::FlagsNotSaved, cmd.tag, {}, now, cmd.cause);
        }
        if (r->flags != m_sel.flags(idx) || r->keywords != m_sel.keywords(idx)) {
            std::string shown = store::flagsToString(r->flags);
            for (const auto& k : r->keywords) shown += (shown.empty() ? "" : " ") + k;
            m_rec.storeChanged(now, {.user = m_user, .folder = m_sel.mailbox(), .uid = uid,
                                     .action = trace::StoreAction::FlagsSet, .flags = shown},
                               cmd.cause);
        }
        // RFC 3501 7.2.6: a keyword new to the folder changes its FLAGS (and PERMANENTFLAGS), sent before the FETCH.
        if (!flags->keywords.empty())
            if (auto known = m_ctx.store->keywords(m_user, folder).size(); known > keywordsBefore) {
                announceFlags(false, now, cmd.cause);
                keywordsBefore = known;
            }
        bool changed = r->modSeq != m_sel.modSeq(idx);
        m_sel.takeOver(idx, *r);
        // With CONDSTORE the new MODSEQ is reported even with .SILENT (RFC 7162 3.1.3).
        if (!silent) untagged(flagsFetch(idx, cmd.uid), now, cmd.cause);
        else if (m_condStore && changed) untagged(flagsFetch(idx, cmd.uid, false), now, cmd.cause);
    }
    pollChanges(false, now, cmd.cause);
    if (expungedMeanwhile) return reply(ReplyId::ExpungeIssued, cmd.tag, {{"verb", "STORE"}}, now, cmd.cause);
    if (!modified.empty()) {
        std::ranges::sort(modified);
        return reply(ReplyId::StoreModified, cmd.tag, {{"set", formatSequenceSet(modified)}}, now, cmd.cause);
    }
    reply(ReplyId::StoreDone, cmd.tag, {}, now, cmd.cause);
}

// ---- COPY / MOVE -----------------------------------------------------------------------------------------------

void ImapServerSession::doCopy(Command& cmd, Micros now) {
    const bool move = cmd.info->input == ImapInput::Move;  // RFC 6851 3
    const auto& a = cmd.args;
    if (a.size() != 2 || a[0].kind != Token::Kind::Atom) return syntaxError(cmd, now);
    auto set = parseSequenceSet(a[0].text);
    if (!set) return syntaxError(cmd, now);
    auto target = mailboxArg(cmd, a[1], now);
    if (!target) return;
    if (!cmd.uid && !sequenceNumbersValid(cmd, *set, now)) return;
    if (!mailboxExists(*target)) return reply(ReplyId::TryCreate, cmd.tag, {{"mailbox", *target}}, now, cmd.cause);
    if (move && m_sel.readOnly()) return reply(ReplyId::ReadOnly, cmd.tag, {}, now, cmd.cause);
    std::string from = m_sel.folder(), to = storeName(*target);
    if (m_ctx.store->uidValidity(m_user, to) == 0) (void)m_ctx.store->createFolder(m_user, to);
    std::map<std::uint32_t, store::MessageInfo> infos;
    for (const auto& info : m_ctx.store->list(m_user, from)) infos.emplace(info.uid, info);
    std::vector<std::uint32_t> srcUids, dstUids;
    auto chosen = m_sel.resolve(*set, cmd.uid);
    // RFC 2180 4.4.1: a message expunged by another session cannot be copied: NO [EXPUNGEISSUED], nothing copied.
    if (std::ranges::any_of(chosen, [&](std::size_t idx) { return !infos.contains(m_sel.uid(idx)); }))
        return reply(ReplyId::ExpungeIssued, cmd.tag, {{"verb", move ? "MOVE" : "COPY"}}, now, cmd.cause);
    for (std::size_t idx : chosen) {
        const std::uint32_t uid = m_sel.uid(idx);
        auto it = infos.find(uid);
        if (it == infos.end()) continue;  // expunged
        auto bytes = m_ctx.store->read(m_user, from, uid);
        if (!bytes) continue;
        auto copy = m_ctx.store->deliver(m_user, to, *bytes, it->second.internalDate);
        if (!copy) {
            m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::ImapCopyFailed, copy.error(),
                                                           {move ? "MOVE" : "COPY", *target}), cmd.cause);
            // RFC 3501 6.4.7: a failed COPY should leave the target as it was: undo the copies made so far.
            (void)m_ctx.store->removeMany(m_user, to, dstUids);
            return reply(ReplyId::CopyFailed, cmd.tag, {}, now, cmd.cause);
        }
        if (store::Flags flags = m_sel.flags(idx)) (void)m_ctx.store->setFlags(m_user, to, copy->uid, flags);
        m_rec.storeChanged(now, {.user = m_user, .folder = m_sel.mailbox(), .uid = uid, .action = trace::StoreAction::Copied,
                                 .target = *target, .targetUid = copy->uid, .fileId = copy->storageId}, cmd.cause);
        srcUids.push_back(uid);
        dstUids.push_back(copy->uid);
    }
    ReplyArgs code{{"uidvalidity", std::to_string(m_ctx.store->uidValidity(m_user, to))},
                   {"from", formatSequenceSet(srcUids)}, {"to", formatSequenceSet(dstUids)}};
    if (srcUids.empty()) {
        if (!move) pollChanges(true, now, cmd.cause);
        return reply(ReplyId::UidNoMatch, cmd.tag, {{"verb", move ? "MOVE" : "COPY"}}, now, cmd.cause);
    }
    if (!move) {
        pollChanges(true, now, cmd.cause);
        return reply(ReplyId::CopyDone, cmd.tag, code, now, cmd.cause);
    }
    // MOVE (RFC 6851 3.3): COPYUID in an untagged OK, then the EXPUNGEs, then the tagged OK.
    reply(ReplyId::MoveCopyUid, "*", code, now, cmd.cause);
    if (auto r = m_ctx.store->removeMany(m_user, from, srcUids); !r) {
        m_rec.error(now, trace::ErrorReport::fromStore(trace::ErrorId::ImapMoveRemoveFailed, r.error()), cmd.cause);
        return reply(ReplyId::MoveIncomplete, cmd.tag, {}, now, cmd.cause);
    }
    std::vector<ImapViewChanges::Expunged> gone;
    for (std::size_t i = m_sel.size(); i-- > 0;) {
        if (std::ranges::find(srcUids, m_sel.uid(i)) == srcUids.end()) continue;
        m_rec.storeChanged(now, {.user = m_user, .folder = m_sel.mailbox(), .uid = m_sel.uid(i),
                                 .action = trace::StoreAction::MovedOut}, cmd.cause);
        gone.push_back({static_cast<std::uint32_t>(i + 1), m_sel.uid(i)});
        m_sel.erase(i);
    }
    reportExpunged(gone, now, cmd.cause);
    pollChanges(true, now, cmd.cause);
    reply(ReplyId::MoveDone, cmd.tag, {}, now, cmd.cause);
}

// RFC 6858 (as far as this server goes): a session that did not ENABLE UTF8=ACCEPT gets a message whose ENVELOPE
// would carry UTF-8 (From, Subject, To... in raw UTF-8, RFC 6532) with its header downgraded (message/Downgrade.hpp):
// BODY[], BODY[HEADER...], RFC822*, ENVELOPE, BODYSTRUCTURE and RFC822.SIZE all describe the downgraded message.
// The decision uses the envelope alone, so the index's cached envelope answers it without reading the file.
bool ImapServerSession::needsDowngrade(const store::MessageInfo& info, std::string_view raw) const {
    if (m_utf8Accept) return false;
    auto ascii = [](std::string_view s) {
        return std::ranges::none_of(s, [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    };
    if (info.cached) return !ascii(info.cached->envelope());
    auto blank = raw.find("\r\n\r\n");  // the envelope needs the header only
    std::string_view header = raw.substr(0, blank == std::string_view::npos ? raw.size() : blank + 4);
    return !ascii(message::imapEnvelope(message::Message::parse(std::string(header))));
}

}  // namespace mailsim::imap
