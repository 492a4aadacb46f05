// The indexed Maildir store (issue #16): line ends and sizes, the index against the files after random operation
// sequences (also with a crash at every step), flag deltas from two sessions, the lock against another process,
// UIDVALIDITY after DELETE + CREATE, keywords, MODSEQ, read-only Maildirs, tmp/ hygiene, and python's mailbox module
// reading what mailsim wrote.
#include "ChildProcess.hpp"
#include "TempDir.hpp"
#include "ImapTestHarness.hpp"
#include "maildir/MaildirFormat.hpp"
#include "maildir/MaildirStore.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "util/Lines.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mailsim;
using namespace mailsim::store;

using mailsim::test::Ack;
using mailsim::test::ChildRun;
using mailsim::test::runInChild;
using mailsim::test::TempDir;
using mailsim::test::slurp;
using mailsim::test::writeFile;

namespace {

const std::string kUser = "rose@cesoo.com";

// base name -> file name, as found in new/ and cur/
std::map<std::string, std::string> filesOf(const fs::path& box) {
    std::map<std::string, std::string> out;
    for (const char* sub : {"new", "cur"})
        if (fs::exists(box / sub))
            for (const auto& e : fs::directory_iterator(box / sub)) {
                std::string n = e.path().filename().string();
                out.emplace(std::string(maildir::baseOf(n)), n);
            }
    return out;
}

// ---- the model of the property tests ---------------------------------------------------------------------------

struct ModelMessage {
    std::string wire;
    Flags flags = 0;
    std::set<std::string> keywords;
};
struct Model {
    std::map<std::uint32_t, ModelMessage> messages;
    std::uint32_t nextUid = 1;
};

struct Op {
    enum class Kind { Deliver, Flags, Remove, Reopen } kind = Kind::Deliver;
    std::string message;
    FlagDelta delta;
    std::size_t pick = 0;  // which message (index into the live ones, modulo their number)
    std::size_t count = 0;
};

std::vector<Op> randomOps(std::uint32_t seed, std::size_t n) {
    std::mt19937 rng(seed);
    const std::vector<std::string> pool{"$Junk", "Work", "$Forwarded", "todo"};
    std::vector<Op> ops;
    for (std::size_t i = 0; i < n; ++i) {
        Op op;
        unsigned r = rng() % 10;
        op.pick = rng();
        if (r < 4 || i < 2) {
            op.kind = Op::Kind::Deliver;
            std::string eol = rng() % 2 ? "\r\n" : "\n";
            op.message = fmt::format("From: m{}@cesoo.com{}Subject: message {}{}{}line one{}line {}{}", i, eol, i, eol,
                                     eol, eol, rng() % 1000, eol);
        } else if (r < 7) {
            op.kind = Op::Kind::Flags;
            op.delta.op = static_cast<FlagDelta::Op>(rng() % 3);
            op.delta.flags = static_cast<Flags>(rng() & kAllFlags);
            for (const auto& k : pool)
                if (rng() % 3 == 0) op.delta.keywords.push_back(k);
        } else if (r < 9) {
            op.kind = Op::Kind::Remove;
            op.count = 1 + rng() % 2;
        } else {
            op.kind = Op::Kind::Reopen;
        }
        ops.push_back(std::move(op));
    }
    return ops;
}

std::vector<std::uint32_t> targets(const Model& m, const Op& op) {
    std::vector<std::uint32_t> live;
    for (const auto& [uid, msg] : m.messages) live.push_back(uid);
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < std::min(op.count ? op.count : 1, live.size()); ++i) {
        auto uid = live[(op.pick + i * 7) % live.size()];
        if (std::ranges::find(out, uid) == out.end()) out.push_back(uid);
    }
    return out;
}

// The model after `op` (what the store must show once the operation returned).
Model applied(Model m, const Op& op) {
    switch (op.kind) {
    case Op::Kind::Deliver: m.messages[m.nextUid++] = {util::toCrlf(op.message), 0, {}}; break;
    case Op::Kind::Flags:
        for (auto uid : targets(m, op)) {
            auto& msg = m.messages[uid];
            std::vector<std::string> kw(msg.keywords.begin(), msg.keywords.end());
            applyFlagDelta(op.delta, msg.flags, kw);
            msg.keywords = {kw.begin(), kw.end()};
        }
        break;
    case Op::Kind::Remove:
        for (auto uid : targets(m, op)) m.messages.erase(uid);
        break;
    case Op::Kind::Reopen: break;
    }
    return m;
}

// Runs `op` on the store; false when the store refused it.
bool run(std::unique_ptr<MaildirStore>& store, const std::string& root, const Model& m, const Op& op) {
    switch (op.kind) {
    case Op::Kind::Deliver: return store->deliver(kUser, "INBOX", op.message, 1'700'000'000'000'000).has_value();
    case Op::Kind::Flags: {
        auto t = targets(m, op);
        return t.empty() || store->updateFlags(kUser, "INBOX", t[0], op.delta).has_value();
    }
    case Op::Kind::Remove: {
        auto t = targets(m, op);
        return store->removeMany(kUser, "INBOX", t).has_value();
    }
    case Op::Kind::Reopen: store = std::make_unique<MaildirStore>(root); return true;
    }
    return false;
}

// What the store shows, as a model (content read through the store).
Model observed(const MaildirStore& store) {
    Model out;
    for (const auto& info : store.list(kUser, "INBOX")) {
        auto bytes = store.read(kUser, "INBOX", info.uid);
        ModelMessage m{bytes ? *bytes : "<unreadable>", info.flags, {info.keywords.begin(), info.keywords.end()}};
        if (info.size != m.wire.size()) m.wire += fmt::format("<size {} != {}>", info.size, m.wire.size());
        out.messages[info.uid] = std::move(m);
    }
    return out;
}

std::string describe(const Model& m) {
    std::string out;
    for (const auto& [uid, msg] : m.messages) {
        out += fmt::format("uid {} flags {} kw", uid, msg.flags);
        for (const auto& k : msg.keywords) out += " " + k;
        out += fmt::format(" {} octets\n", msg.wire.size());
    }
    return out;
}

bool sameMessages(const Model& a, const Model& b) {
    if (a.messages.size() != b.messages.size()) return false;
    for (const auto& [uid, msg] : a.messages) {
        auto it = b.messages.find(uid);
        if (it == b.messages.end() || it->second.wire != msg.wire || it->second.flags != msg.flags) return false;
        std::set<std::string> ka, kb;  // keywords compare case-insensitively; the pool has distinct names
        for (const auto& k : msg.keywords) ka.insert(k);
        for (const auto& k : it->second.keywords) kb.insert(k);
        if (ka != kb) return false;
    }
    return true;
}

// The files agree with the index: one file per message, its info letters are the message's flags, no CR on disk.
void checkFiles(const fs::path& box, const MaildirStore& store) {
    auto files = filesOf(box);
    auto listed = store.list(kUser, "INBOX");
    CHECK(files.size() == listed.size());
    for (const auto& info : listed) {
        auto it = files.find(info.storageId);
        REQUIRE(it != files.end());
        CHECK(maildir::flagsOfInfo(maildir::infoOf(it->second)) == info.flags);
        std::string disk = slurp(box / (it->second.find(":2,") != std::string::npos ? "cur" : "new") / it->second);
        CHECK(disk.find('\r') == std::string::npos);
        CHECK(util::crlfLength(disk) == info.size);
    }
}

}  // namespace

TEST_CASE("maildir index: random operation sequences keep the index, the files and a model in step", "[maildir][index]") {
    auto seed = GENERATE(1u, 2u, 3u, 4u);
    TempDir tmp;
    const std::string root = tmp.path.string();
    auto store = std::make_unique<MaildirStore>(root);
    Model model;
    for (const auto& op : randomOps(seed, 60)) {
        REQUIRE(run(store, root, model, op));
        model = applied(model, op);
        Model seen = observed(*store);
        INFO("seed " << seed << "\nexpected:\n" << describe(model) << "store:\n" << describe(seen));
        REQUIRE(sameMessages(model, seen));
    }
    checkFiles(tmp.path / kUser, *store);
    CHECK(store->takeWarnings().empty());
    // A fresh store object (empty memory) reads the same from the disk, through the persisted index.
    MaildirStore again(root);
    CHECK(sameMessages(model, observed(again)));
    CHECK(again.takeWarnings().empty());
    // ... and so does one whose index was deleted (rebuilt from the files, with a warning).
    fs::remove(tmp.path / kUser / "mailsim-index");
    MaildirStore rebuilt(root);
    CHECK(sameMessages(model, observed(rebuilt)));
    auto warnings = rebuilt.takeWarnings();
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].kind == StoreWarningKind::IndexMissing);
    CHECK(warnings[0].path == (tmp.path / kUser / "mailsim-index").string());
}

TEST_CASE("maildir index: a crash at any step loses nothing acknowledged; the next open is stable", "[maildir][index]") {
    const auto ops = randomOps(7, 14);
    int crashes = 0;
    for (int step = 1; step < 400; ++step) {
        TempDir tmp;
        const std::string root = tmp.path.string();
        // The child runs the operations, acknowledging each one, and dies at crash point `step`.
        const ChildRun child = runInChild([&](Ack ack) {
            auto store = std::make_unique<MaildirStore>(root);
            Model m;
            armCrashAfter(step);
            for (std::size_t i = 0; i < ops.size(); ++i) {
                if (!run(store, root, m, ops[i])) ::_exit(3);
                m = applied(m, ops[i]);
                ack("a", 1);
            }
            ::_exit(0);  // no destructor: the store is left as a crash would leave it
        });
        const std::size_t acked = child.acks.size();
        INFO("crash at step " << step << " after " << acked << " acknowledged operations");
        REQUIRE((child.exitCode == 77 || child.exitCode == 0));
        Model before;
        for (std::size_t i = 0; i < acked; ++i) before = applied(before, ops[i]);
        Model after = acked < ops.size() ? applied(before, ops[acked]) : before;
        MaildirStore store(root);
        Model seen = observed(store);
        INFO("acknowledged:\n" << describe(before) << "in flight applied:\n" << describe(after) << "store:\n"
                               << describe(seen));
        CHECK((sameMessages(before, seen) || sameMessages(after, seen)));
        MaildirStore again(root);
        CHECK(sameMessages(seen, observed(again)));  // the same UIDs and flags at the next open
        if (child.exitCode == 0) break;  // every crash point was tried
        ++crashes;
    }
    CHECK(crashes > 20);
}

TEST_CASE("maildir index: LF on disk, CRLF on the wire; LF and CRLF files of other programs read correctly",
          "[maildir][index]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    const std::string wire = "Subject: crlf\r\n\r\nline\r\n";
    auto a = store.deliver(kUser, "INBOX", wire, 1'700'000'000'000'000);
    REQUIRE(a);
    const fs::path box = tmp.path / kUser;
    std::string name = filesOf(box).at(a->storageId);
    CHECK(name.ends_with(",S=20,W=23"));
    CHECK(slurp(box / "new" / name) == "Subject: crlf\n\nline\n");
    CHECK(a->size == wire.size());
    // An older mailsim file (CRLF on disk) and another program's file (LF, no size fields).
    writeFile(box / "cur" / "1700000001.old.host,S=22:2,S", "Subject: old\r\n\r\nbody\r\n");
    writeFile(box / "new" / "1700000002.procmail.host", "Subject: lf\n\nbody\nmore\n");
    auto listed = store.list(kUser, "INBOX");
    REQUIRE(listed.size() == 3);
    CHECK(listed[1].size == 22);
    CHECK(store.read(kUser, "INBOX", listed[1].uid).value() == "Subject: old\r\n\r\nbody\r\n");
    CHECK(listed[1].flags == kSeen);
    CHECK(listed[2].size == 27);
    CHECK(store.read(kUser, "INBOX", listed[2].uid).value() == "Subject: lf\r\n\r\nbody\r\nmore\r\n");
    // POP3 announces the same octets as IMAP's RFC822.SIZE.
    test::ImapHost host(&store);
    test::ImapConn conn(host);
    conn.login();
    conn.ok("SELECT INBOX");
    auto out = conn.ok("FETCH 1:3 (RFC822.SIZE ENVELOPE)");
    CHECK(out.find("RFC822.SIZE 23 ") != std::string::npos);
    CHECK(out.find("RFC822.SIZE 22 ") != std::string::npos);
    CHECK(out.find("RFC822.SIZE 27 ") != std::string::npos);
    CHECK(out.find("\"lf\"") != std::string::npos);
    CHECK(conn.ok("UID SEARCH SUBJECT old").find("* SEARCH " + std::to_string(listed[1].uid) + "\r\n") !=
          std::string::npos);
}

TEST_CASE("maildir index: two sessions storing +FLAGS and -FLAGS on the same messages lose no update",
          "[maildir][index][imap]") {
    TempDir tmp;
    MaildirStore maildir(tmp.path.string());
    MemoryStore memory;
    for (MailStore* s : {static_cast<MailStore*>(&maildir), static_cast<MailStore*>(&memory)}) {
        INFO(s->describe());
        test::ImapHost host(s);
        for (int i = 0; i < 3; ++i) host.deliver(fmt::format("Subject: {}\r\n\r\nx\r\n", i));
        test::ImapConn one(host), two(host);
        one.login();
        two.login();
        one.ok("SELECT INBOX");
        two.ok("SELECT INBOX");
        // Each session changes flags the other one has not seen yet.
        one.ok("STORE 1:3 +FLAGS.SILENT (\\Seen)");
        two.ok("STORE 1:3 +FLAGS.SILENT (\\Flagged)");
        one.ok("STORE 2 -FLAGS.SILENT (\\Seen)");
        two.ok("STORE 1:3 +FLAGS.SILENT (\\Answered)");
        one.ok("STORE 3 -FLAGS.SILENT (\\Flagged)");
        auto msgs = s->list(kUser, "INBOX");
        REQUIRE(msgs.size() == 3);
        CHECK(msgs[0].flags == (kSeen | kFlagged | kAnswered));
        CHECK(msgs[1].flags == (kFlagged | kAnswered));
        CHECK(msgs[2].flags == (kSeen | kAnswered));
        // A non-PEEK FETCH adds \Seen as a delta too.
        two.ok("FETCH 2 BODY[TEXT]");
        CHECK(s->list(kUser, "INBOX")[1].flags == (kSeen | kFlagged | kAnswered));
        CHECK(s->highestModSeq(kUser, "INBOX") >= 3 + 8);
    }
}

TEST_CASE("maildir index: flag deltas from two store objects (two processes) are applied under the lock",
          "[maildir][index]") {
    TempDir tmp;
    MaildirStore a(tmp.path.string()), b(tmp.path.string());
    auto m = a.deliver(kUser, "INBOX", "Subject: x\r\n\r\ny\r\n", 1);
    REQUIRE(m);
    REQUIRE(b.updateFlags(kUser, "INBOX", m->uid, {FlagDelta::Op::Add, kSeen, {"Work"}}));
    auto r = a.updateFlags(kUser, "INBOX", m->uid, {FlagDelta::Op::Add, kFlagged, {"$Junk"}});
    REQUIRE(r);
    CHECK(r->flags == (kSeen | kFlagged));
    CHECK(r->keywords == std::vector<std::string>{"Work", "$Junk"});
    auto s = b.updateFlags(kUser, "INBOX", m->uid, {FlagDelta::Op::Remove, kSeen, {"work"}});
    REQUIRE(s);
    CHECK(s->flags == kFlagged);
    CHECK(s->keywords == std::vector<std::string>{"$Junk"});
    CHECK(s->modSeq > r->modSeq);
    CHECK(a.list(kUser, "INBOX").at(0).keywords == std::vector<std::string>{"$Junk"});
}

TEST_CASE("maildir index: snapshot is the same object until the folder changes, whoever changes it",
          "[maildir][index]") {
    TempDir tmp;
    MaildirStore a(tmp.path.string()), b(tmp.path.string());  // b: another process on the same Maildir
    auto m1 = a.deliver(kUser, "INBOX", "Subject: one\r\n\r\nx\r\n", 1);
    REQUIRE(m1);
    auto s1 = a.snapshot(kUser, "INBOX");
    REQUIRE(s1->messages.size() == 1);
    CHECK(s1->messages.at(0).uid == m1->uid);
    CHECK(s1->messages.at(0).cached);
    CHECK(a.snapshot(kUser, "INBOX") == s1);  // nothing changed: the same object
    auto expectNew = [&](const std::shared_ptr<const FolderSnapshot>& before, std::size_t size) {
        auto now = a.snapshot(kUser, "INBOX");
        CHECK(now != before);
        CHECK(now->messages.size() == size);
        CHECK(a.snapshot(kUser, "INBOX") == now);
        auto listed = a.list(kUser, "INBOX");  // the same content as list()
        REQUIRE(listed.size() == now->messages.size());
        for (std::size_t i = 0; i < listed.size(); ++i) {
            CHECK(listed[i].uid == now->messages[i].uid);
            CHECK(listed[i].flags == now->messages[i].flags);
            CHECK(listed[i].keywords == now->messages[i].keywords);
            CHECK(listed[i].size == now->messages[i].size);
        }
        // The figures SELECT and a POP3 login announce, computed when the snapshot was built, match the list.
        std::size_t firstUnseen = 0;
        std::uint64_t octets = 0;
        for (std::size_t i = 0; i < listed.size(); ++i) {
            if (!firstUnseen && !(listed[i].flags & kSeen)) firstUnseen = i + 1;
            octets += listed[i].size;
        }
        CHECK(now->firstUnseen == firstUnseen);
        CHECK(now->octets == octets);
        return now;
    };
    auto m2 = a.deliver(kUser, "INBOX", "Subject: two\r\n\r\ny\r\n", 2);  // our delivery
    REQUIRE(m2);
    auto s2 = expectNew(s1, 2);
    CHECK(s1->messages.size() == 1);  // a snapshot never changes once handed out
    REQUIRE(b.updateFlags(kUser, "INBOX", m1->uid, {FlagDelta::Op::Add, kSeen, {"Work"}}));  // the other process
    auto s3 = expectNew(s2, 2);
    CHECK(s3->messages.at(0).flags == kSeen);
    CHECK(s3->messages.at(0).keywords == std::vector<std::string>{"Work"});
    REQUIRE(b.deliver(kUser, "INBOX", "Subject: three\r\n\r\nz\r\n", 3));
    auto s4 = expectNew(s3, 3);
    REQUIRE(a.remove(kUser, "INBOX", m2->uid));
    auto s5 = expectNew(s4, 2);
    // A program that does not lock (a mail reader renaming in cur/): seen through the directory's mtime.
    const fs::path box = tmp.path / kUser;
    std::string name = filesOf(box).at(m1->storageId);
    fs::rename(box / "cur" / name, box / "cur" / (std::string(maildir::baseOf(name)) + ":2,FSa"));
    // (A rename within the kernel's timestamp tick of our last look would be noticed only at the next change: give
    // cur/ a distinct mtime, as a later tick would.)
    timespec times[2] = {{0, UTIME_OMIT}, {1'600'000'000, 0}};
    REQUIRE(::utimensat(AT_FDCWD, (box / "cur").c_str(), times, 0) == 0);
    auto s6 = expectNew(s5, 2);
    CHECK(s6->messages.at(0).flags == (kSeen | kFlagged));
    CHECK(s6->messages.at(0).keywords == std::vector<std::string>{"Work"});
}

TEST_CASE("maildir index: read() of a file renamed or removed by another program finds it again or says so",
          "[maildir][index]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    auto m = store.deliver(kUser, "INBOX", "Subject: r\r\n\r\nbody\r\n", 1);
    REQUIRE(m);
    CHECK(store.read(kUser, "INBOX", m->uid).value() == "Subject: r\r\n\r\nbody\r\n");
    const fs::path box = tmp.path / kUser;
    std::string name = filesOf(box).at(m->storageId);
    fs::rename(box / "new" / name, box / "cur" / (name + ":2,S"));  // another program moved it (no lock, no index)
    CHECK(store.read(kUser, "INBOX", m->uid).value() == "Subject: r\r\n\r\nbody\r\n");
    CHECK(store.list(kUser, "INBOX").at(0).flags == kSeen);
    fs::remove(box / "cur" / (name + ":2,S"));
    auto gone = store.read(kUser, "INBOX", m->uid);
    REQUIRE_FALSE(gone);
    CHECK(gone.error().text().find(std::to_string(m->uid)) != std::string::npos);
    CHECK(store.list(kUser, "INBOX").empty());
}

TEST_CASE("maildir index: keywords are Dovecot's letters and dovecot-keywords, kept across reopening",
          "[maildir][index]") {
    TempDir tmp;
    const fs::path box = tmp.path / kUser;
    std::uint32_t uid = 0;
    {
        MaildirStore store(tmp.path.string());
        auto m = store.deliver(kUser, "INBOX", "Subject: k\r\n\r\nk\r\n", 1);
        REQUIRE(m);
        uid = m->uid;
        REQUIRE(store.updateFlags(kUser, "INBOX", uid, {FlagDelta::Op::Add, kSeen | kDraft, {"$Junk", "Work"}}));
        CHECK(store.keywords(kUser, "INBOX") == std::vector<std::string>{"$Junk", "Work"});
        CHECK(slurp(box / "dovecot-keywords") == "0 $Junk\n1 Work\n");
        CHECK(filesOf(box).at(m->storageId).ends_with(":2,DSab"));
        CHECK_FALSE(store.updateFlags(kUser, "INBOX", uid, {FlagDelta::Op::Add, 0, {"bad keyword"}}));
        for (int i = 0; i < 24; ++i)
            REQUIRE(store.updateFlags(kUser, "INBOX", uid, {FlagDelta::Op::Add, 0, {fmt::format("k{}", i)}}));
        auto full = store.updateFlags(kUser, "INBOX", uid, {FlagDelta::Op::Add, 0, {"one-too-many"}});
        REQUIRE_FALSE(full);
        CHECK(full.error().code == StoreErrc::TooManyKeywords);
        REQUIRE(store.updateFlags(kUser, "INBOX", uid, {FlagDelta::Op::Replace, kSeen, {"Work"}}));
    }
    MaildirStore again(tmp.path.string());
    auto listed = again.list(kUser, "INBOX");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].flags == kSeen);
    CHECK(listed[0].keywords == std::vector<std::string>{"Work"});
}

TEST_CASE("maildir index: DELETE + CREATE twice in one second never repeats a UIDVALIDITY", "[maildir][index]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    std::vector<std::uint32_t> seen;
    for (int i = 0; i < 3; ++i) {
        REQUIRE(store.createFolder(kUser, "Work"));
        seen.push_back(store.uidValidity(kUser, "Work"));
        REQUIRE(store.deleteFolder(kUser, "Work"));
    }
    REQUIRE(store.createFolder(kUser, "Other"));
    seen.push_back(store.uidValidity(kUser, "Other"));
    for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i] > seen[i - 1]);
    MaildirStore again(tmp.path.string());  // saved: a restarted server continues from there
    REQUIRE(again.createFolder(kUser, "Work"));
    CHECK(again.uidValidity(kUser, "Work") > seen.back());
}

TEST_CASE("maildir index: a lock held by another process gives Busy, and SMTP answers 450", "[maildir][index][smtp]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    REQUIRE(store.deliver(kUser, "INBOX", "Subject: 1\r\n\r\n1\r\n", 1));
    store.setLockTimeout(30);
    int go[2], held[2];
    REQUIRE(::pipe(go) == 0);
    REQUIRE(::pipe(held) == 0);
    const std::string lockPath = (tmp.path / kUser / "mailsim-uidlist.lock").string();
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // another process holding the folder's lock until the parent says so
        int fd = ::open(lockPath.c_str(), O_RDWR);
        if (fd < 0 || ::flock(fd, LOCK_EX) != 0) ::_exit(1);
        char c = 'h';
        if (::write(held[1], &c, 1) != 1) ::_exit(2);
        (void)::read(go[0], &c, 1);
        ::_exit(0);
    }
    char c;
    REQUIRE(::read(held[0], &c, 1) == 1);
    auto r = store.deliver(kUser, "INBOX", "Subject: 2\r\n\r\n2\r\n", 2);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == StoreErrc::Busy);
    CHECK(fs::is_empty(tmp.path / kUser / "tmp"));

    smtp::SmtpServerContext ctx;
    ctx.config.domain = "cesoo.com";
    ctx.directory.addUser(kUser, "rose123");
    ctx.store = &store;
    trace::Trace trace;
    smtp::SmtpServerSession session(ctx, {"localhost", "127.0.0.1"},
                                    trace::Recorder(&trace, trace.openSession("smtp", "a", "b", 0)));
    session.start(0);
    session.receive("EHLO c\r\nMAIL FROM:<m@x.org>\r\nRCPT TO:<rose@cesoo.com>\r\nDATA\r\n", 0);
    (void)session.takeOutput();
    session.receive("Subject: 3\r\n\r\n3\r\n.\r\n", 0);
    CHECK(session.takeOutput().starts_with("450 4.2.1 "));

    REQUIRE(::write(go[1], "x", 1) == 1);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WEXITSTATUS(status) == 0);
    REQUIRE(store.deliver(kUser, "INBOX", "Subject: 4\r\n\r\n4\r\n", 4));
    CHECK(store.list(kUser, "INBOX").size() == 2);
}

TEST_CASE("maildir index: a read-only Maildir is read, and STORE is refused with NO", "[maildir][index][imap]") {
    TempDir tmp;
    {
        MaildirStore store(tmp.path.string());
        REQUIRE(store.deliver(kUser, "INBOX", "Subject: ro\r\n\r\nx\r\n", 1));
    }
    // Everything readable and nothing writable for an unprivileged user.
    const ChildRun child = test::runReadOnly(tmp.path, [&](Ack ack) {
        MaildirStore store(tmp.path.string());
        std::string report;
        auto r = store.updateFlags(kUser, "INBOX", 1, {FlagDelta::Op::Add, kSeen, {}});
        report += r ? "stored" : (r.error().code == StoreErrc::ReadOnly ? "readonly" : "other:" + r.error().text());
        report += "|" + std::to_string(store.list(kUser, "INBOX").size());
        test::ImapHost host(&store);
        test::ImapConn conn(host);
        conn.raw("a LOGIN rose rose123\r\n");
        conn.raw("b SELECT INBOX\r\n");
        report += "|" + conn.raw("c STORE 1 +FLAGS (\\Seen)\r\n");
        ack(report.data(), report.size());
        ::_exit(0);
    });
    const std::string& report = child.acks;
    INFO(report);
    REQUIRE(child.exitCode == 0);
    CHECK(report.starts_with("readonly|1|"));
    CHECK(report.find("c NO [NOPERM]") != std::string::npos);
    MaildirStore store(tmp.path.string());
    CHECK(store.list(kUser, "INBOX").at(0).flags == 0);  // nothing was saved
}

TEST_CASE("maildir index: opening a folder removes tmp/ files older than 36 hours and stale temporary files",
          "[maildir][index]") {
    TempDir tmp;
    {
        MaildirStore store(tmp.path.string());
        REQUIRE(store.deliver(kUser, "INBOX", "Subject: a\r\n\r\nb\r\n", 1));
    }
    const fs::path box = tmp.path / kUser;
    writeFile(box / "tmp" / "old.delivery", "half");
    writeFile(box / "tmp" / "fresh.delivery", "half");
    writeFile(box / ".mailsim-uidlist.tmp.99999", "v2 1 1\n");
    timespec old[2] = {{std::time(nullptr) - 37 * 3600, 0}, {std::time(nullptr) - 37 * 3600, 0}};
    REQUIRE(::utimensat(AT_FDCWD, (box / "tmp" / "old.delivery").c_str(), old, 0) == 0);
    MaildirStore store(tmp.path.string());
    CHECK(store.list(kUser, "INBOX").size() == 1);
    CHECK_FALSE(fs::exists(box / "tmp" / "old.delivery"));
    CHECK(fs::exists(box / "tmp" / "fresh.delivery"));
    CHECK_FALSE(fs::exists(box / ".mailsim-uidlist.tmp.99999"));
}

TEST_CASE("maildir index: python's mailbox.Maildir reads mailsim's Maildir", "[maildir][index][interop]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    std::string expected;
    for (int i = 0; i < 3; ++i) {
        std::string msg = fmt::format("Subject: py{}\r\nFrom: a@b.c\r\n\r\nbody {}\r\nsecond line\r\n", i, i);
        auto m = store.deliver(kUser, "INBOX", msg, 1'700'000'000'000'000);
        REQUIRE(m);
        std::string flags = i == 1 ? "FS" : "";
        if (i == 1) REQUIRE(store.updateFlags(kUser, "INBOX", m->uid, {FlagDelta::Op::Add, kSeen | kFlagged, {}}));
        expected += fmt::format("{{\"subject\": \"py{}\", \"body\": \"body {}\\nsecond line\\n\", \"flags\": \"{}\", "
                                "\"size\": {}}}\n", i, i, flags, m->size);
    }
    writeFile(tmp.path / "expected.json", expected);
    std::string cmd = fmt::format("python3 {}/tests/interop/maildir_python_test.py '{}' '{}'", MAILSIM_SOURCE_DIR,
                                  (tmp.path / kUser).string(), (tmp.path / "expected.json").string());
    CHECK(std::system(cmd.c_str()) == 0);
}

TEST_CASE("maildir index: the formats round-trip, and a torn last line (a crash mid-append) is ignored",
          "[maildir][index]") {
    using namespace maildir;
    const std::string from("\0Mike <m@x.org>", 15), subject("\0\xe4\xbd\xa0\xe5\xa5\xbd\r", 8);
    auto cached = std::make_shared<const CachedFields>(std::array<std::string_view, CachedFields::kFields>{
        "(\"date\" \"tab\there\\\\ and \\n newline\" NIL)", from, "", "", "", subject});
    IndexRecord rec{IndexRecord::Kind::Message, 7, 42, 100, 104, 1'700'000'000'000'000, cached, {}};
    std::string line = indexRecord(rec);
    REQUIRE(std::ranges::count(line, '\n') == 1);
    auto back = parseIndexRecord(std::string_view(line).substr(0, line.size() - 1));
    REQUIRE(back);
    CHECK(back->uid == 7);
    CHECK(back->modSeq == 42);
    CHECK(back->wireSize == 104);
    for (auto f : {CachedFields::Envelope, CachedFields::From, CachedFields::To, CachedFields::Subject})
        CHECK(back->cached->get(f) == cached->get(f));
    CHECK(back->cached->header("from") == from);
    CHECK(back->cached->header("Subject") == subject);
    CHECK(back->cached->header("cc") == std::string_view());
    CHECK_FALSE(back->cached->header("Date"));
    CHECK_FALSE(parseIndexRecord("M 1 2 3"));
    // Unknown upper-case letters are kept; lower-case letters are keywords (x is not set, so it goes); ASCII order.
    CHECK(infoFor(kSeen | kDraft, 0b101, "PSx") == ":2,DPSac");
    CHECK(sizeField("123.M1P2Q3.host,S=20,W=23", 'W') == 23u);
    CHECK_FALSE(sizeField("123.M1P2Q3.host", 'S'));

    TempDir tmp;
    {
        MaildirStore store(tmp.path.string());
        REQUIRE(store.deliver(kUser, "INBOX", "Subject: a\r\n\r\n1\r\n", 1));
        REQUIRE(store.deliver(kUser, "INBOX", "Subject: b\r\n\r\n2\r\n", 2));
    }
    const fs::path box = tmp.path / kUser;
    std::ofstream(box / "mailsim-uidlist", std::ios::app) << "3 12345.M1P9Q9.torn";  // no newline: torn append
    std::ofstream(box / "mailsim-index", std::ios::app) << "F 2 9";
    MaildirStore store(tmp.path.string());
    auto listed = store.list(kUser, "INBOX");
    REQUIRE(listed.size() == 2);
    CHECK(listed[1].uid == 2);
    CHECK(store.takeWarnings().empty());
    CHECK(store.deliver(kUser, "INBOX", "Subject: c\r\n\r\n3\r\n", 3)->uid == 3);  // the torn tail is cut first
    MaildirStore again(tmp.path.string());
    CHECK(again.list(kUser, "INBOX").size() == 3);
    CHECK(again.uidValidity(kUser, "INBOX") == store.uidValidity(kUser, "INBOX"));
    CHECK(again.takeWarnings().empty());
}
