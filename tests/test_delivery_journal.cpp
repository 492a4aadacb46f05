// The delivery journal (sim/store/maildir/DeliveryJournal.hpp, MaildirStore::enableJournal): a delivery is durable after
// one journal write, the Maildir's fsyncs come later at the checkpoint; after a crash of the process (at every crash
// point) every acknowledged delivery is found exactly once with the UID it was given, and after a simulated power cut
// (files and UID-list lines lost) the replay makes them whole again. Also the ring's wrap-around and its recovery.
#include "ChildProcess.hpp"
#include "TempDir.hpp"
#include "maildir/DeliveryJournal.hpp"
#include "maildir/MaildirStore.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mailsim::store;
using mailsim::test::Ack;
using mailsim::test::ChildRun;
using mailsim::test::runInChild;
using mailsim::test::TempDir;

namespace {

const std::string kUser = "rose@cesoo.com";

std::string message(int i) { return fmt::format("Subject: journal {}\r\n\r\nbody of message {}\r\n", i, i); }

// The subject number of every message the store lists, with its UID; a number seen twice fails the test.
std::map<int, std::uint32_t> stored(MaildirStore& store) {
    std::map<int, std::uint32_t> out;
    for (const auto& info : store.list(kUser, "INBOX")) {
        auto text = store.read(kUser, "INBOX", info.uid);
        REQUIRE(text);
        int n = -1;
        REQUIRE(std::sscanf(text->c_str(), "Subject: journal %d", &n) == 1);
        CHECK(*text == message(n));  // whole, byte for byte
        INFO("message " << n);
        CHECK_FALSE(out.contains(n));  // no duplicates
        out[n] = info.uid;
    }
    return out;
}

DeliveryJournal::Options noCheckpoints() {
    DeliveryJournal::Options o;
    o.checkpointRecords = 1'000'000;
    o.checkpointMs = 3'600'000;
    return o;
}

}  // namespace

TEST_CASE("journal: a delivery costs one journal write; the checkpoint fsyncs the Maildir later", "[journal]") {
    TempDir tmp;
    auto owner = std::make_unique<MaildirStore>(tmp.path.string());
    MaildirStore& store = *owner;
    REQUIRE(store.enableJournal(noCheckpoints()));
    REQUIRE(store.journal());
    std::vector<DeliveryRequest> requests;
    for (int i = 0; i < 5; ++i) requests.push_back({{{kUser, "INBOX"}}, message(i), 0});
    std::vector<const DeliveryRequest*> pointers;
    for (const auto& r : requests) pointers.push_back(&r);
    const SyncStats before = syncStats();
    auto results = store.deliverBatch(pointers);
    const SyncStats after = syncStats();
    // The folder's directories were created (makeDirs fsyncs their parents); no message file, no new/ and no UID
    // list was synced before the batch returned.
    CHECK(after.files == before.files);
    CHECK(after.logs == before.logs);
    for (std::size_t i = 0; i < results.size(); ++i) {
        REQUIRE(results[i]);
        CHECK(results[i]->at(0).uid == i + 1);
    }
    CHECK(stored(store).size() == 5);  // visible at once
    CHECK(store.journal()->checkpoints() == 0);
    store.journal()->settle();
    CHECK(store.journal()->checkpoints() == 1);  // one syncfs for the files, new/ and the UID list
    // A removal settles first (nothing left to settle here), and the message stays removed after a restart.
    REQUIRE(store.remove(kUser, "INBOX", 3));
    // A second store on the same root (another server process) cannot take the journal while this one has it.
    MaildirStore second(tmp.path.string());
    auto refused = second.enableJournal();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().text().find("in use by another mailsim process") != std::string::npos);
    CHECK_FALSE(second.journal());
    owner.reset();
    MaildirStore again(tmp.path.string());
    REQUIRE(again.enableJournal() == std::size_t{0});
    CHECK(stored(again).size() == 4);
}

TEST_CASE("journal: while other programs have much unwritten data, a checkpoint fsyncs its own files one by one",
          "[journal]") {
    // foreignDirtyLimit 0 stands for "another program's gigabytes are in the page cache": syncfs(2) would write all
    // of them first, so the checkpoint makes only its own work durable, file by file (and still all of it).
    TempDir tmp;
    DeliveryJournal::Options options = noCheckpoints();
    options.foreignDirtyLimit = 0;
    {
        MaildirStore store(tmp.path.string());
        REQUIRE(store.enableJournal(options));
        for (int i = 0; i < 6; ++i) REQUIRE(store.deliver(kUser, "INBOX", message(i), 0));
        const SyncStats before = syncStats();
        store.journal()->settle();
        const SyncStats after = syncStats();
        CHECK(store.journal()->checkpoints() == 1);
        CHECK(store.journal()->checkpointsOneByOne() == 1);
        CHECK(after.files - before.files == 6);  // each message file, and nothing else's
        CHECK(after.dirs - before.dirs >= 1);    // new/
        CHECK(store.takeWarnings().empty());
    }
    // Settled: nothing to replay, every message there.
    MaildirStore again(tmp.path.string());
    REQUIRE(again.enableJournal() == std::size_t{0});
    CHECK(again.list(kUser, "INBOX").size() == 6);
}

TEST_CASE("journal: records wrap around the ring and are found again after a crash", "[journal]") {
    TempDir tmp;
    const std::string path = (tmp.path / "j").string();
    DeliveryJournal::Options small = noCheckpoints();
    small.size = 8192 + 16 * 4096;  // 16 one-block records
    const ChildRun run = runInChild([&](Ack) {
        std::vector<JournalRecord> unsettled;
        auto j = DeliveryJournal::open(path, small, unsettled);
        if (!j || !unsettled.empty()) ::_exit(2);
        for (int i = 0; i < 22; ++i) {
            std::vector<JournalRecord> one(1);
            one[0].copies.push_back({kUser, "INBOX", fmt::format("name{}", i)});
            one[0].disk = fmt::format("record {}\n", i);
            if (!(*j)->append(one, {})) ::_exit(3);
            if (i == 11) (*j)->settle();  // 0..11 settled; 12..21 wrap past the end of the ring
        }
        ::_exit(0);  // a crash: no destructor, no last checkpoint
    });
    REQUIRE(run.exitCode == 0);
    std::vector<JournalRecord> unsettled;
    auto j = DeliveryJournal::open(path, small, unsettled);
    REQUIRE(j);
    REQUIRE(unsettled.size() == 10);
    for (std::size_t k = 0; k < unsettled.size(); ++k) {
        CHECK(unsettled[k].seq == 13 + k);
        CHECK(unsettled[k].disk == fmt::format("record {}\n", 12 + k));
        CHECK(unsettled[k].copies.at(0).name == fmt::format("name{}", 12 + k));
    }
    REQUIRE((*j)->markSettled(22));
    j->reset();
    auto again = DeliveryJournal::open(path, small, unsettled);
    REQUIRE(again);
    CHECK(unsettled.empty());
}

TEST_CASE("journal: a power cut's losses (files, their content, UID-list lines) are replayed", "[journal]") {
    TempDir tmp;
    const std::string root = tmp.path.string();
    const ChildRun run = runInChild([&](Ack) {
        MaildirStore store(root);
        if (!store.enableJournal(noCheckpoints())) ::_exit(2);
        for (int i = 0; i < 5; ++i)
            if (!store.deliver(kUser, "INBOX", message(i), 0)) ::_exit(3);
        ::_exit(0);  // no checkpoint ran: the journal holds all five
    });
    REQUIRE(run.exitCode == 0);
    // What a power cut could do to what was never fsync'ed: message 0's file gone, message 1's file empty, the last
    // UID-list line (message 4) lost.
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(tmp.path / kUser / "new")) files.push_back(e.path());
    std::sort(files.begin(), files.end());  // names sort in delivery order
    REQUIRE(files.size() == 5);
    fs::remove(files[0]);
    fs::resize_file(files[1], 0);
    const fs::path uidList = tmp.path / kUser / "mailsim-uidlist";
    std::ifstream in(uidList);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string list = ss.str();
    list.erase(list.rfind('\n', list.size() - 2) + 1);
    std::ofstream(uidList, std::ios::trunc) << list;
    fs::remove(tmp.path / kUser / "mailsim-index");

    std::map<int, std::uint32_t> seen;
    {
        MaildirStore store(root);
        auto redone = store.enableJournal();
        REQUIRE(redone);
        CHECK(*redone == 2);  // message 0 delivered again, message 1 rewritten; 4's file was whole
        seen = stored(store);
        REQUIRE(seen.size() == 5);
        CHECK(seen[1] == 2);
        CHECK(seen[2] == 3);
        CHECK(seen[3] == 4);
    }  // the journal's lock goes with its store
    MaildirStore again(root);
    REQUIRE(again.enableJournal() == std::size_t{0});  // settled: nothing replayed twice
    CHECK(stored(again) == seen);
}

TEST_CASE("journal: a crash at any step loses no acknowledged delivery, duplicates none, keeps UIDs", "[journal]") {
    int crashes = 0;
    for (int step = 1; step < 300; step += 3) {
        TempDir tmp;
        const std::string root = tmp.path.string();
        // The child delivers (alone and in batches), acknowledging each message with its UID.
        const ChildRun run = runInChild([&](Ack ack) {
            DeliveryJournal::Options o;
            o.size = 8192 + 24 * 4096;  // a small ring: wraps during the run
            o.checkpointRecords = 4;
            o.checkpointMs = 1;
            MaildirStore store(root);
            if (!store.enableJournal(o)) ::_exit(2);
            armCrashAfter(step);
            for (int i = 0; i < 40; i += 4) {
                std::vector<DeliveryRequest> requests;
                for (int k = i; k < i + 4; ++k) requests.push_back({{{kUser, "INBOX"}}, message(k), 0});
                std::vector<const DeliveryRequest*> pointers;
                for (const auto& r : requests) pointers.push_back(&r);
                auto results = store.deliverBatch(pointers);
                for (int k = 0; k < 4; ++k) {
                    if (!results[static_cast<std::size_t>(k)]) ::_exit(3);
                    std::uint32_t pair[2] = {static_cast<std::uint32_t>(i + k), results[static_cast<std::size_t>(k)]->at(0).uid};
                    ack(pair, sizeof pair);
                }
            }
            ::_exit(0);  // the end of the run is a crash too: no destructor, no last checkpoint
        });
        std::map<int, std::uint32_t> acked;
        for (std::size_t at = 0; at + 8 <= run.acks.size(); at += 8) {
            std::uint32_t pair[2];
            std::memcpy(pair, run.acks.data() + at, sizeof pair);
            acked[static_cast<int>(pair[0])] = pair[1];
        }
        INFO("crash at step " << step << " after " << acked.size() << " acknowledged deliveries");
        REQUIRE((run.exitCode == 77 || run.exitCode == 0));
        std::map<int, std::uint32_t> seen;
        {
            MaildirStore store(root);
            REQUIRE(store.enableJournal());
            seen = stored(store);
        }
        for (const auto& [n, uid] : acked) {
            INFO("message " << n);
            REQUIRE(seen.contains(n));
            CHECK(seen[n] == uid);
        }
        MaildirStore again(root);
        REQUIRE(again.enableJournal());
        CHECK(stored(again) == seen);
        if (run.exitCode == 0) break;
        ++crashes;
    }
    CHECK(crashes > 10);
}
