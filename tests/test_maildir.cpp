// The Maildir store: layout, durability order, UID persistence, recovery from hand edits and corruption, and the
// SMTP server answering 250 only after the file is in new/.
#include "TempDir.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "maildir/FileIo.hpp"
#include "maildir/MaildirStore.hpp"
#include "sim/serve/ServeText.hpp"
#include "store/MemoryStore.hpp"
#include "store/StoreRequest.hpp"
#include "trace/Trace.hpp"
#include "util/Lines.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using mailsim::store::MaildirStore;

using mailsim::test::TempDir;
using mailsim::test::slurp;
using mailsim::test::writeFile;

namespace {

std::vector<std::string> filesIn(const fs::path& dir) {
    std::vector<std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::ranges::sort(out);
    return out;
}

const std::string kUser = "rose@cesoo.com";
const std::string kMsg1 = "Subject: one\r\n\r\nfirst\r\n";
const std::string kMsg2 = "Subject: two\r\n\r\nsecond\r\n";

}  // namespace

TEST_CASE("maildir: deliver, list, read, remove", "[maildir]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    CHECK(store.describe() == "maildir:" + tmp.path.string());
    CHECK(store.list(kUser, "INBOX").empty());

    auto a = store.deliver(kUser, "INBOX", kMsg1, 1'700'000'000'000'000);
    REQUIRE(a.has_value());
    auto b = store.deliver(kUser, "INBOX", kMsg2, 1'700'000'001'000'000);
    REQUIRE(b.has_value());
    CHECK(a->uid == 1);
    CHECK(b->uid == 2);
    CHECK(a->size == kMsg1.size());

    const fs::path box = tmp.path / kUser;
    CHECK(fs::is_directory(box / "tmp"));
    CHECK(fs::is_directory(box / "cur"));
    CHECK(filesIn(box / "tmp").empty());
    auto inNew = filesIn(box / "new");
    REQUIRE(inNew.size() == 2);
    // <seconds>.M<micros>P<pid>Q<counter>.<host>,S=<disk size>,W=<wire size> (Dovecot's convention; LF on disk)
    CHECK(inNew[0].find(".M") != std::string::npos);
    CHECK(inNew[0].find("P" + std::to_string(::getpid()) + "Q") != std::string::npos);
    // Names sort by time text, not numerically, so find each message's file rather than assuming an order.
    for (const auto& msg : {kMsg1, kMsg2}) {
        std::string suffix = fmt::format(",S={},W={}", msg.size() - 3, msg.size());  // three CRLF become LF
        CHECK(std::ranges::count_if(inNew, [&](const std::string& n) { return n.ends_with(suffix); }) == 1);
    }

    auto listed = store.list(kUser, "INBOX");
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].uid == 1);
    CHECK(listed[1].uid == 2);
    CHECK(listed[0].size == kMsg1.size());
    CHECK(listed[0].internalDate == 1'700'000'000'000'000);  // kept as the file's mtime
    CHECK(listed[0].storageId == a->storageId);

    CHECK(store.read(kUser, "INBOX", 1).value() == kMsg1);
    CHECK(store.read(kUser, "INBOX", 2).value() == kMsg2);
    CHECK_FALSE(store.read(kUser, "INBOX", 3).has_value());

    REQUIRE(store.remove(kUser, "INBOX", 1).has_value());
    CHECK_FALSE(store.read(kUser, "INBOX", 1).has_value());
    CHECK(filesIn(box / "new").size() == 1);
    CHECK_FALSE(store.remove(kUser, "INBOX", 1).has_value());

    // A message a reader moved to cur/ with flags keeps its UID.
    fs::rename(box / "new" / b->storageId, box / "cur" / (b->storageId + ":2,S"));
    CHECK(store.read(kUser, "INBOX", 2).value() == kMsg2);

    // UIDs are not reused after removal.
    auto c = store.deliver(kUser, "INBOX", kMsg1, 0);
    REQUIRE(c.has_value());
    CHECK(c->uid == 3);

    // Maildir++ folder.
    auto d = store.deliver(kUser, "Sent", kMsg1, 0);
    REQUIRE(d.has_value());
    CHECK(d->uid == 1);
    CHECK(filesIn(box / ".Sent" / "new").size() == 1);
    CHECK(store.takeWarnings().empty());
}

TEST_CASE("maildir: UIDs and UIDVALIDITY persist across reopening", "[maildir]") {
    TempDir tmp;
    std::uint32_t validity = 0;
    {
        MaildirStore store(tmp.path.string());
        REQUIRE(store.deliver(kUser, "INBOX", kMsg1, 0));
        REQUIRE(store.deliver(kUser, "INBOX", kMsg2, 0));
        REQUIRE(store.remove(kUser, "INBOX", 1));
        validity = store.uidValidity(kUser, "INBOX");
        CHECK(validity != 0);
    }
    MaildirStore again(tmp.path.string());
    auto listed = again.list(kUser, "INBOX");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].uid == 2);
    CHECK(again.read(kUser, "INBOX", 2).value() == kMsg2);
    CHECK(again.uidValidity(kUser, "INBOX") == validity);
    CHECK(again.deliver(kUser, "INBOX", kMsg1, 0)->uid == 3);
    auto list = slurp(tmp.path / kUser / "mailsim-uidlist");
    CHECK(list.starts_with("v2 " + std::to_string(validity) + " "));
    CHECK(list.find("\n3 ") != std::string::npos);  // appended, not rewritten
}

TEST_CASE("maildir: a failed delivery leaves nothing in the mailbox and says why", "[maildir]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    REQUIRE(store.deliver(kUser, "INBOX", kMsg1, 0));
    const fs::path box = tmp.path / kUser;
    // Make the rename into new/ impossible: new/ is replaced by a plain file.
    fs::remove_all(box / "new");
    writeFile(box / "new", "not a directory");
    auto r = store.deliver(kUser, "INBOX", kMsg2, 0);
    REQUIRE_FALSE(r.has_value());
    INFO(r.error().text());
    CHECK(r.error().text().find((box / "new").string()) != std::string::npos);
    CHECK(r.error().text().find("Not a directory") != std::string::npos);
    CHECK(filesIn(box / "tmp").empty());  // the partial file is removed
}

TEST_CASE("maildir: files dropped in by hand get UIDs, vanished files lose theirs", "[maildir]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    auto a = store.deliver(kUser, "INBOX", kMsg1, 0);
    REQUIRE(a);
    const fs::path box = tmp.path / kUser;
    writeFile(box / "new" / "1999999999.handmade.host", "Subject: by hand\r\n\r\nhi\r\n");
    writeFile(box / "cur" / "1999999999.second.host:2,S", "Subject: seen\r\n\r\nhi\r\n");
    fs::remove(box / "new" / a->storageId);

    auto listed = store.list(kUser, "INBOX");
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].uid == 2);
    CHECK(listed[0].storageId == "1999999999.handmade.host");
    CHECK(listed[1].uid == 3);
    CHECK(listed[1].storageId == "1999999999.second.host");
    CHECK(store.read(kUser, "INBOX", 3).value() == "Subject: seen\r\n\r\nhi\r\n");
    // The assignment was persisted: a new store sees the same UIDs.
    MaildirStore again(tmp.path.string());
    auto relisted = again.list(kUser, "INBOX");
    REQUIRE(relisted.size() == 2);
    CHECK(relisted[0].uid == 2);
    CHECK(relisted[1].uid == 3);
}

TEST_CASE("maildir: a corrupt UID list is reported and rebuilt without losing mail", "[maildir]") {
    TempDir tmp;
    const fs::path list = tmp.path / kUser / "mailsim-uidlist";
    std::uint32_t validity = 0;
    {
        MaildirStore store(tmp.path.string());
        REQUIRE(store.deliver(kUser, "INBOX", kMsg1, 0));
        REQUIRE(store.deliver(kUser, "INBOX", kMsg2, 0));
        validity = store.uidValidity(kUser, "INBOX");
    }
    auto [text, expected] = GENERATE(table<std::string, std::string>({
        {"garbage\n", ":1: expected the header 'v2 <uidvalidity> <nextuid>'"},
        {"", ":1: expected the header"},
        {"v1 5 3\n2 a\n1 b\n", ": expected a UID greater than 2, found '1 b'"},
        {"v2 5 3\nx y\n", ": expected '<uid> <file name>'"},
        {"v2 5 3\n7 a/b\n", ": expected a Maildir file name"},
    }));
    writeFile(list, text);
    MaildirStore store(tmp.path.string());
    auto listed = store.list(kUser, "INBOX");
    auto warnings = store.takeWarnings();
    REQUIRE(warnings.size() == 1);
    INFO(warnings[0].detail);
    CHECK(warnings[0].kind == mailsim::store::StoreWarningKind::UidListDamaged);
    CHECK(warnings[0].path == list.string());
    // "<file>:1: why" names the header line; a damaged line further down is reported by the file alone
    CHECK(warnings[0].line == (expected.starts_with(":1: ") ? 1u : 0u));
    CHECK(warnings[0].detail.find(expected.substr(expected.find(": ") + 2)) != std::string::npos);
    CHECK(mailsim::sim::storeWarningText(warnings[0], mailsim::i18n::Lang::En) ==
          fmt::format("{}{}; the UID list is rebuilt from the directory (no mail lost, UIDVALIDITY changes)",
                      list.string(), expected.substr(0, expected.find(": ") + 2) + warnings[0].detail));
    REQUIRE(listed.size() == 2);  // no mail lost
    CHECK(store.read(kUser, "INBOX", listed[0].uid).value().size() == kMsg1.size());
    CHECK(store.read(kUser, "INBOX", listed[1].uid).value().size() == kMsg2.size());
    // The rebuilt list is valid again and stable.
    MaildirStore again(tmp.path.string());
    CHECK(again.list(kUser, "INBOX").size() == 2);
    CHECK(again.takeWarnings().empty());
    CHECK(slurp(list).starts_with("v2 "));
    (void)validity;
}

TEST_CASE("maildir: user and folder names cannot escape the root", "[maildir]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string() + "/root");
    const std::vector<std::string> badUsers{"../evil", "a/b", "..", ".", "", ".hidden", std::string("a\0b", 3), "x\n"};
    for (const std::string& bad : badUsers) {
        INFO(bad);
        auto r = store.deliver(bad, "INBOX", kMsg1, 0);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().text().find("refusing user name") != std::string::npos);
        CHECK_FALSE(store.read(bad, "INBOX", 1).has_value());
        CHECK_FALSE(store.remove(bad, "INBOX", 1).has_value());
        CHECK(store.list(bad, "INBOX").empty());
    }
    for (const std::string& bad : std::vector<std::string>{"../x", "a/b", ".x", "a..b"}) {
        INFO(bad);
        auto r = store.deliver(kUser, bad, kMsg1, 0);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().text().find("refusing folder name") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(tmp.path / "evil"));
    CHECK(filesIn(tmp.path).size() <= 1);
}

TEST_CASE("maildir: UTF-8 user directories (张三) work, and UTF-8 tricks cannot escape or disguise a name",
          "[maildir][utf8]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string() + "/root");
    const std::string zhang = "张三@cesoo.com";
    auto r = store.deliver(zhang, "INBOX", kMsg1, 0);
    REQUIRE(r.has_value());
    CHECK(filesIn(tmp.path / "root" / zhang / "new").size() == 1);
    CHECK(store.read(zhang, "INBOX", r->uid).value() == kMsg1);
    // A UTF-8 folder (the IMAP server stores modified UTF-7, but the store itself takes UTF-8 too).
    REQUIRE(store.deliver(zhang, "收件箱", kMsg2, 0).has_value());
    CHECK(fs::is_directory(tmp.path / "root" / zhang / ".收件箱" / "new"));
    std::string longName;  // 86 characters, 258 octets: over NAME_MAX
    for (int i = 0; i < 86; ++i) longName += "张";
    const std::vector<std::pair<std::string, std::string>> badUsers{
        {"\xc0\xae\xc0\xae", "not well-formed UTF-8"},              // overlong "..": a byte soup, not ".."
        {"\xc0\xaf" "etc", "not well-formed UTF-8"},                  // overlong "/"
        {"张三\xe4\xb8", "not well-formed UTF-8"},                     // cut in the middle of a character
        {"\xed\xa0\x80x", "not well-formed UTF-8"},                  // a UTF-16 surrogate
        {"张三/../evil", "contains '/'"},
        {"..／evil", "contains '..'"},
        {"张\xc2\x85三", "C1 control"},                               // NEL
        {"rose\xe2\x80\xaemoc.ooseC@", "bidirectional control"},   // U+202E RIGHT-TO-LEFT OVERRIDE
        {"a\xe2\x81\xa6" "b", "bidirectional control"},               // U+2066 LEFT-TO-RIGHT ISOLATE
        {longName, "longer than 255 octets"},
    };
    for (const auto& [bad, why] : badUsers) {
        INFO(bad);
        auto refused = store.deliver(bad, "INBOX", kMsg1, 0);
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().text().find("refusing user name") != std::string::npos);
        CHECK(refused.error().text().find(why) != std::string::npos);
        CHECK(store.list(bad, "INBOX").empty());
    }
    // Look-alikes of the separators are ordinary characters on Linux: they stay one directory inside the root.
    for (const std::string& lookAlike : {std::string("．．"), std::string("张三∕．．∕x"), std::string("＼．．")}) {
        INFO(lookAlike);
        REQUIRE(store.deliver(lookAlike, "INBOX", kMsg1, 0).has_value());
        CHECK(fs::is_directory(tmp.path / "root" / lookAlike / "new"));
    }
    std::size_t outside = 0;
    for (const auto& e : fs::directory_iterator(tmp.path))
        if (e.path().filename() != "root") ++outside;
    CHECK(outside == 0);
}

TEST_CASE("maildir: the SMTP server answers 250 only after the message is in new/", "[maildir][smtp]") {
    using namespace mailsim;
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    smtp::SmtpServerContext ctx;
    ctx.config.domain = "cesoo.com";
    ctx.directory.addUser("rose@cesoo.com", "rose123");
    ctx.directory.addUser("mike@cesoo.com", "mike123");
    ctx.store = &store;

    trace::Trace trace;
    const fs::path newDir = tmp.path / "rose@cesoo.com" / "new";
    int checked250 = 0;
    bool fileBefore250 = false;
    trace.setListener([&](const trace::Trace&, const trace::Event& e) {
        // Called synchronously when the session records its reply, i.e. when the 250 is emitted.
        if (e.kind == trace::EventKind::Line && e.direction == trace::Direction::ServerToClient &&
            e.text.starts_with("250 ") && e.text.find("accepted for delivery") != std::string::npos) {
            ++checked250;
            fileBefore250 = filesIn(newDir).size() == 1 && filesIn(newDir.parent_path() / "tmp").empty();
        }
    });
    auto sid = trace.openSession("smtp", "127.0.0.1:40000", "127.0.0.1:2525", 0);
    smtp::SmtpServerSession session(ctx, {"localhost", "127.0.0.1"}, trace::Recorder(&trace, sid));
    const trace::Micros now = 1'700'000'000'000'000;
    session.start(now);
    session.receive("EHLO client\r\nMAIL FROM:<mike@cesoo.com>\r\nRCPT TO:<rose@cesoo.com>\r\nDATA\r\n", now);
    CHECK(filesIn(newDir).empty());
    session.receive("Subject: hi\r\n\r\n..dot line\r\n", now);
    std::string before = session.takeOutput();
    CHECK(before.find("354") != std::string::npos);
    CHECK(filesIn(newDir).empty());
    session.receive(".\r\n", now);
    std::string after = session.takeOutput();
    INFO(after);
    REQUIRE(after.starts_with("250"));
    auto files = filesIn(newDir);
    REQUIRE(files.size() == 1);
    auto listed = store.list("rose@cesoo.com", "INBOX");
    REQUIRE(listed.size() == 1);
    std::string body = store.read("rose@cesoo.com", "INBOX", listed[0].uid).value();
    CHECK(body.find("Received: from client") != std::string::npos);
    CHECK(body.ends_with("Subject: hi\r\n\r\n.dot line\r\n"));  // dot-unstuffed
    CHECK(slurp(newDir / files[0]) == mailsim::util::toLf(body));  // LF on disk, as other Maildir programs write
    // The session's store-changed event names the Maildir file.
    bool sawStore = false;
    for (const auto& e : trace.events())
        if (const auto* c = e.as<trace::StoreChange>()) sawStore = c->fileId == files[0];
    CHECK(sawStore);
    CHECK(checked250 == 1);
    CHECK(fileBefore250);
}

// Group commit (MaildirDeliver.cpp): a batch fsyncs every file, but each new/ directory and each UID list only once,
// and gives each request its own all-or-nothing result.
TEST_CASE("maildir: a batch of deliveries shares its directory fsyncs and stays all or nothing per request",
          "[maildir][group-commit]") {
    using namespace mailsim::store;
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    const std::string mike = "mike@cesoo.com";
    // The folders exist first, so the batch below creates no directory (makeDirs fsyncs those too).
    REQUIRE(store.deliver(kUser, "INBOX", kMsg1, 0));
    REQUIRE(store.deliver(mike, "INBOX", kMsg1, 0));

    std::vector<DeliveryRequest> requests;
    for (int i = 0; i < 10; ++i)
        requests.push_back({{{kUser, "INBOX"}}, fmt::format("Subject: batch {}\r\n\r\nbody {}\r\n", i, i), 0});
    requests.push_back({{{kUser, "INBOX"}, {mike, "INBOX"}}, "Subject: to both\r\n\r\nhello\r\n", 0});
    // A request with an invalid second target: nothing of it may stay, and the others are not affected.
    requests.push_back({{{mike, "INBOX"}, {"../escape", "INBOX"}}, "Subject: refused\r\n\r\nno\r\n", 0});
    std::vector<const DeliveryRequest*> pointers;
    for (const auto& r : requests) pointers.push_back(&r);

    const SyncStats before = syncStats();
    auto results = store.deliverBatch(pointers);
    const SyncStats after = syncStats();
    REQUIRE(results.size() == requests.size());
    // 12 files written and fsync'ed (10 + 2 copies of "to both"); the refused request's valid copy is never written
    // past tmp/ because its other target was refused before anything was committed.
    CHECK(after.files - before.files == 12);
    CHECK(after.dirs - before.dirs == 2);  // one fsync of rose's new/ and one of mike's, for the whole batch
    CHECK(after.logs - before.logs == 2);  // one UID-list append (fdatasync) per folder
    for (int i = 0; i < 10; ++i) {
        REQUIRE(results[static_cast<std::size_t>(i)]);
        CHECK(results[static_cast<std::size_t>(i)]->at(0).uid == static_cast<std::uint32_t>(i + 2));  // in request order
    }
    REQUIRE(results[10]);
    CHECK(results[10]->at(0).uid == 12);
    CHECK(results[10]->at(1).uid == 2);
    REQUIRE_FALSE(results[11]);
    CHECK(results[11].error().target == 1);
    CHECK(results[11].error().error.code == StoreErrc::Invalid);

    CHECK(store.list(kUser, "INBOX").size() == 12);
    CHECK(store.list(mike, "INBOX").size() == 2);
    CHECK(filesIn(tmp.path / kUser / "new").size() == 12);
    CHECK(filesIn(tmp.path / mike / "new").size() == 2);
    CHECK(filesIn(tmp.path / mike / "tmp").empty());
    CHECK(store.read(kUser, "INBOX", 5).value() == "Subject: batch 3\r\n\r\nbody 3\r\n");
    // The UIDs are durable: a fresh store object reading the same Maildir gives the same ones.
    MaildirStore again(tmp.path.string());
    CHECK(again.read(kUser, "INBOX", 12).value() == "Subject: to both\r\n\r\nhello\r\n");
    CHECK(again.uidNext(kUser, "INBOX") == 13);
}

TEST_CASE("maildir: a batch whose commit fails for one folder fails only the requests with a copy there",
          "[maildir][group-commit]") {
    using namespace mailsim::store;
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    const std::string mike = "mike@cesoo.com";
    REQUIRE(store.deliver(kUser, "INBOX", kMsg1, 0));
    REQUIRE(store.deliver(mike, "INBOX", kMsg1, 0));
    // mike's new/ is replaced by a file: the rename into it fails at commit time, after the tmp/ files were written.
    fs::remove_all(tmp.path / mike / "new");
    writeFile(tmp.path / mike / "new", "not a directory");
    DeliveryRequest toRose{{{kUser, "INBOX"}}, kMsg2, 0};
    DeliveryRequest toBoth{{{kUser, "INBOX"}, {mike, "INBOX"}}, kMsg2, 0};
    std::vector<const DeliveryRequest*> pointers{&toRose, &toBoth};
    auto results = store.deliverBatch(pointers);
    REQUIRE(results.size() == 2);
    CHECK(results[0]);
    REQUIRE_FALSE(results[1]);
    CHECK(results[1].error().target == 1);
    // rose keeps the first message and the one of the first request; the copy of the failed request is removed.
    CHECK(store.list(kUser, "INBOX").size() == 2);
    CHECK(filesIn(tmp.path / mike / "tmp").empty());
}

// Park-and-resume (SmtpServerSession.hpp, engine/store/StoreRequest.hpp): the session hands its delivery to the
// transport, answers nothing while parked, keeps pipelined commands for after, and answers from the result.
TEST_CASE("smtp: the session parks at the end of DATA and answers from the transport's result", "[smtp][park]") {
    using namespace mailsim;
    store::MemoryStore store;
    smtp::SmtpServerContext ctx;
    ctx.config.domain = "cesoo.com";
    ctx.directory.addUser("rose@cesoo.com", "rose123");
    ctx.directory.addUser("mike@cesoo.com", "mike123");
    ctx.store = &store;
    ctx.transportCompletesStore = true;
    trace::Trace trace;
    auto sid = trace.openSession("smtp", "127.0.0.1:40000", "127.0.0.1:2525", 0);
    smtp::SmtpServerSession session(ctx, {"localhost", "127.0.0.1"}, trace::Recorder(&trace, sid));
    session.start(1);
    (void)session.takeOutput();
    const std::string message = "MAIL FROM:<mike@cesoo.com>\r\nRCPT TO:<rose@cesoo.com>\r\nRCPT TO:<mike@cesoo.com>\r\n"
                                "DATA\r\nSubject: hi\r\n\r\nbody\r\n.\r\n";
    // Everything pipelined, given whole or byte by byte: the session parks at the final dot and keeps the NOOP for
    // after.
    const std::string wire = "EHLO pc\r\n" + message + "NOOP\r\n";
    const bool bytewise = GENERATE(false, true);
    if (bytewise)
        for (char c : wire) session.receive(std::string_view(&c, 1), 2);
    else
        session.receive(wire, 2);
    std::string out = session.takeOutput();
    CHECK(out.find("354") != std::string::npos);
    CHECK(out.find("Message accepted") == std::string::npos);  // no answer to the message yet
    CHECK(out.find("250 2.0.0 OK") == std::string::npos);  // nor to the NOOP behind it
    REQUIRE(session.parked());
    CHECK_FALSE(session.inputPending());  // the server is working: no client deadline runs
    CHECK(store.list("rose@cesoo.com", "INBOX").empty());  // the session wrote nothing itself
    session.receive("RSET\r\n", 3);  // more input while parked: buffered, not read
    CHECK(session.takeOutput().empty());
    session.tick(1'000'000'000'000);  // no idle timeout while parked
    CHECK_FALSE(session.closed());
    auto request = session.takeStoreRequest();
    REQUIRE(request);
    CHECK_FALSE(session.takeStoreRequest());  // handed over once
    auto* delivery = std::get_if<store::DeliveryRequest>(&*request);
    REQUIRE(delivery);
    REQUIRE(delivery->targets.size() == 2);
    CHECK(delivery->targets[0].user == "rose@cesoo.com");
    CHECK(delivery->targets[1].user == "mike@cesoo.com");
    CHECK(delivery->message.find("Received: from pc") != std::string::npos);
    CHECK(delivery->message.ends_with("Subject: hi\r\n\r\nbody\r\n"));

    auto results = store::runStoreRequests(store, std::span<const store::StoreRequest>(&*request, 1));
    session.storeCompleted(std::move(results.front()), 4);
    CHECK_FALSE(session.parked());
    out = session.takeOutput();
    INFO(out);
    // The message's 250, then the NOOP's and the RSET's, in order.
    auto accepted = out.find("250 2.0.0 Message accepted");
    auto noop = out.find("250 2.0.0 OK", accepted == std::string::npos ? 0 : accepted);
    CHECK(accepted != std::string::npos);
    CHECK(noop != std::string::npos);
    CHECK(session.messagesAccepted() == 1);
    CHECK(store.list("rose@cesoo.com", "INBOX").size() == 1);

    // A failed delivery: 452 for a full disk (RFC 5321 4.2.3), and the session goes on.
    session.receive(message, 5);
    (void)session.takeOutput();
    request = session.takeStoreRequest();
    REQUIRE(request);
    session.storeCompleted(std::unexpected(store::DeliveryFailure{0, store::storeFault(store::StoreErrc::NoSpace, store::StoreStep::Injected, "rose/INBOX")}), 6);
    out = session.takeOutput();
    CHECK(out.starts_with("452"));
    CHECK(session.messagesAccepted() == 1);
    session.receive("QUIT\r\n", 7);
    CHECK(session.takeOutput().starts_with("221"));
}
