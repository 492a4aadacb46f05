// Typed store errors (engine/store/StoreError.hpp, issue #14): every step and every catalogued errno is worded in
// English and Chinese; the English is byte for byte what the store always wrote (wire replies and logs quote it); a
// real failure of the Maildir store (a read-only Maildir, a missing directory) comes back typed, and its Chinese names
// the file and the reason; store warnings and the delivery journal's refusal are worded per language too.
#include "ChildProcess.hpp"
#include "I18nCheck.hpp"
#include "TempDir.hpp"
#include "maildir/FileIo.hpp"
#include "maildir/MaildirStore.hpp"
#include "sim/serve/ServeText.hpp"
#include "store/MemoryStore.hpp"
#include "store/StoreError.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <regex>

#include <sys/wait.h>
#include <unistd.h>

using namespace mailsim;
using namespace mailsim::store;
using i18n::Lang;
using mailsim::test::TempDir;
using mailsim::testing::hasCjk;

namespace {

// `zh` without the given arguments (data: paths, names), then: does a lower-case English word remain?
bool hasEnglishWords(std::string zh, const std::vector<std::string>& arguments) {
    for (const auto& a : arguments)
        for (auto at = zh.find(a); !a.empty() && at != std::string::npos; at = zh.find(a)) zh.erase(at, a.size());
    static const std::regex kWord("[a-z]{2,}");
    return std::regex_search(zh, kWord);
}

StoreError sample(StoreStep step) {
    StoreError e;
    e.step = step;
    e.path = "/m/rose/.Work/new/1.M2P3";
    e.name = "Work";
    e.number = 7;
    if (isSystemStep(step)) {
        e.sysErrno = ENOSPC;
        e.code = errcOf(ENOSPC);
    }
    if (step == StoreStep::InvalidName) e.problem = NameProblem::Slash;
    if (step == StoreStep::JournalReplay) e.cause = std::make_shared<const StoreError>(sample(StoreStep::Create));
    return e;
}

}  // namespace

TEST_CASE("store errors: every step renders in English and Chinese, the Chinese without English words",
          "[store][errors][i18n]") {
    const auto steps = names(StoreStep{});
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const StoreError e = sample(static_cast<StoreStep>(i));
        const std::string en = storeErrorText(e, Lang::En), zh = storeErrorText(e, Lang::Zh);
        INFO(steps[i] << ": " << en << " / " << zh);
        CHECK(en == e.text());
        CHECK(!en.empty());
        CHECK(!hasCjk(en));
        CHECK(hasCjk(zh));
        CHECK_FALSE(hasEnglishWords(zh, {e.path, e.name}));
        // The facts are kept: the file or name the English gives is in the Chinese too.
        if (en.find(e.path) != std::string::npos) CHECK(zh.find(e.path) != std::string::npos);
        if (en.find("'" + e.name + "'") != std::string::npos) CHECK(zh.find(e.name) != std::string::npos);
        if (en.find(" 7") != std::string::npos) CHECK(zh.find('7') != std::string::npos);
    }
    for (std::size_t p = 1; p < names(NameProblem{}).size(); ++p) {
        StoreError e = sample(StoreStep::InvalidName);
        e.problem = static_cast<NameProblem>(p);
        INFO(names(NameProblem{})[p]);
        CHECK(storeErrorText(e, Lang::En).find(": it ") != std::string::npos);
        CHECK_FALSE(hasEnglishWords(storeErrorText(e, Lang::Zh), {e.name}));
    }
    for (auto code : {StoreErrc::NoSpace, StoreErrc::Busy, StoreErrc::Io}) {
        StoreError e = sample(StoreStep::Injected);
        e.code = code;
        CHECK(storeErrorText(e, Lang::Zh).find("场景注入") != std::string::npos);
        CHECK(storeErrorText(e, Lang::En).ends_with("(injected by the scenario)"));
    }
}

TEST_CASE("store errors: every catalogued errno has Chinese words; others fall back to the number and strerror",
          "[store][errors][i18n]") {
    for (int err : catalogueErrnos()) {
        const std::string zh = errnoText(err, Lang::Zh);
        INFO(err << " " << std::strerror(err) << " / " << zh);
        CHECK(hasCjk(zh));
        CHECK_FALSE(hasEnglishWords(zh, {}));
        CHECK(zh.find("错误号") == std::string::npos);
        CHECK(errnoText(err, Lang::En) == std::strerror(err));
    }
    CHECK(errnoText(ENOSPC, Lang::Zh) == "设备上没有空间");
    CHECK(errnoText(EROFS, Lang::Zh) == "只读文件系统");
    CHECK(errnoText(EACCES, Lang::Zh) == "权限不够");
    CHECK(errnoText(ENOENT, Lang::Zh) == "没有那个文件或目录");
    CHECK(errnoText(ECHILD, Lang::Zh) == fmt::format("错误号 {}（{}）", ECHILD, std::strerror(ECHILD)));
}

TEST_CASE("store errors: the English is exactly the store's former text (wire replies and logs keep their bytes)",
          "[store][errors]") {
    CHECK(systemError(StoreStep::Create, "/m/x", ENOSPC).text() == "cannot create /m/x: No space left on device");
    CHECK(systemError(StoreStep::RenameIntoPlace, "/m/u", EIO).text() ==
          "cannot rename into place /m/u: Input/output error");
    CHECK(systemError(StoreStep::Truncate, "/m/l", EROFS).text() ==
          "cannot cut the torn last line of /m/l: Read-only file system");
    CHECK(systemError(StoreStep::Create, "/m/x", ENOSPC).code == StoreErrc::NoSpace);
    CHECK(systemError(StoreStep::Open, "/m/x", EACCES).code == StoreErrc::ReadOnly);
    CHECK(systemError(StoreStep::Open, "/m/x", ENOENT).code == StoreErrc::NotFound);
    CHECK(systemError(StoreStep::Open, "/m/x", EBADF).code == StoreErrc::Io);
    CHECK(storeFault(StoreErrc::Busy, StoreStep::LockTimeout, "/m/l", {}, 10000).text() ==
          "/m/l is locked by another process for more than 10000 ms");
    CHECK(storeFault(StoreErrc::TooManyKeywords, StoreStep::TooManyKeywords, "/m/f", {}, 26).text() ==
          "/m/f already has 26 keywords");
    CHECK(storeFault(StoreErrc::NotFound, StoreStep::NoSuchFolder, "Work", "rose").text() == "no folder Work for rose");

    // The memory store (the simulator's), its errors typed and worded as before.
    MemoryStore mem;
    mem.injectDeliveryFault(StoreErrc::NoSpace);
    auto full = mem.deliver("alice", "INBOX", "Subject: x\r\n\r\ny\r\n", 1);
    REQUIRE_FALSE(full);
    CHECK(full.error().step == StoreStep::Injected);
    CHECK(full.error().text() == "alice/INBOX: no space left on the device (injected by the scenario)");
    CHECK(storeErrorText(full.error(), Lang::Zh) == "alice/INBOX：设备上没有空间（场景注入的故障）");
    auto missing = mem.read("alice", "INBOX", 9);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().text() == "no folder INBOX for alice");
    REQUIRE(mem.createFolder("alice", "Work"));
    auto gone = mem.removeMany("alice", "Work", std::vector<std::uint32_t>{3});
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == StoreErrc::NotFound);
    CHECK(gone.error().text() == "no message with UID 3 in alice/Work");
    CHECK(mem.deleteFolder("alice", "INBOX").error().text() == "INBOX cannot be deleted");
    CHECK(mem.renameFolder("alice", "INBOX", "x").error().text() == "INBOX is not renamed by the store");
    MemoryStore ok;
    auto one = ok.deliver("alice", "INBOX", "Subject: x\r\n\r\ny\r\n", 1);
    REQUIRE(one);
    auto keyword = ok.updateFlags("alice", "INBOX", one->uid, {FlagDelta::Op::Add, 0, {"a b"}});
    REQUIRE_FALSE(keyword);
    CHECK(keyword.error().step == StoreStep::InvalidKeyword);
    CHECK(keyword.error().text() == "not a keyword: a b");
    CHECK(storeErrorText(keyword.error(), Lang::Zh) == "不是合法的关键字：a b");
}

TEST_CASE("store errors: the Maildir store's refusals are typed; a name it refuses is worded in Chinese",
          "[store][errors][maildir]") {
    TempDir tmp;
    MaildirStore store(tmp.path.string());
    auto bad = store.deliver("rose", ".hidden", "Subject: x\r\n\r\ny\r\n", 1);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == StoreErrc::Invalid);
    CHECK(bad.error().step == StoreStep::InvalidName);
    CHECK(bad.error().problem == NameProblem::LeadingDot);
    CHECK(bad.error().text() == "refusing folder name '.hidden': it starts with '.'");
    CHECK(storeErrorText(bad.error(), Lang::Zh) == "拒绝文件夹名“.hidden”：以“.”开头");
    auto noFolder = store.deleteFolder("rose", "Nowhere");
    REQUIRE_FALSE(noFolder);
    CHECK(noFolder.error().step == StoreStep::NoSuchFolder);
    CHECK(noFolder.error().text() == "no folder Nowhere for rose");
    REQUIRE(store.deliver("rose", "INBOX", "Subject: x\r\n\r\ny\r\n", 1));
    auto noMessage = store.read("rose", "INBOX", 42);
    REQUIRE_FALSE(noMessage);
    CHECK(noMessage.error().step == StoreStep::NoSuchMessage);
    CHECK(noMessage.error().number == 42);
    CHECK(storeErrorText(noMessage.error(), Lang::Zh).find("UID 为 42") != std::string::npos);
}

TEST_CASE("store errors: a file error keeps its errno; its Chinese names the file and the reason",
          "[store][errors][maildir]") {
    TempDir tmp;
    const std::string path = (tmp.path / "no-such-dir" / "file").string();
    auto r = writeFileDurably(path, "x");
    REQUIRE_FALSE(r);
    CHECK(r.error().step == StoreStep::Create);
    CHECK(r.error().sysErrno == ENOENT);
    CHECK(r.error().code == StoreErrc::NotFound);
    CHECK(r.error().path.starts_with((tmp.path / "no-such-dir").string()));
    CHECK(r.error().text() == fmt::format("cannot create {}: No such file or directory", r.error().path));
    const std::string zh = storeErrorText(r.error(), Lang::Zh);
    CHECK(zh == fmt::format("无法创建 {}：没有那个文件或目录", r.error().path));

    // A store warning about a file error is worded per language (serve's catalogue frames it).
    const auto w = fileWarning(systemError(StoreStep::Remove, "/m/x", EACCES));
    CHECK(sim::storeWarningText(w, Lang::En) == "the Maildir store: cannot remove /m/x: Permission denied");
    CHECK(sim::storeWarningText(w, Lang::Zh) == "Maildir 存储：无法删除 /m/x：权限不够");
}

TEST_CASE("store errors: delivering into a read-only Maildir fails typed, and the Chinese says so and names the file",
          "[store][errors][maildir]") {
    TempDir tmp;
    {
        MaildirStore store(tmp.path.string());
        REQUIRE(store.deliver("rose", "INBOX", "Subject: one\r\n\r\nx\r\n", 1));
    }
    // Nothing writable for an unprivileged user.
    const test::ChildRun child = test::runReadOnly(tmp.path, [&](test::Ack ack) {
        MaildirStore store(tmp.path.string());
        auto r = store.deliver("rose", "INBOX", "Subject: two\r\n\r\ny\r\n", 2);
        std::string report = r ? "delivered" : fmt::format("{}|{}|{}", names(StoreErrc{})[static_cast<std::size_t>(r.error().code)],
                                                            r.error().path, storeErrorText(r.error(), Lang::Zh));
        ack(report.data(), report.size());
        ::_exit(0);
    });
    const std::string& report = child.acks;
    INFO(report);
    REQUIRE(child.exitCode == 0);
    REQUIRE(report.starts_with("read-only|"));
    const auto bar = report.find('|', 10);
    const std::string path = report.substr(10, bar - 10), zh = report.substr(bar + 1);
    CHECK(path.starts_with(tmp.path.string()));
    CHECK(zh.find(path) != std::string::npos);
    CHECK((zh.find("只读") != std::string::npos || zh.find("权限") != std::string::npos));
    CHECK_FALSE(hasEnglishWords(zh, {path}));
}

TEST_CASE("store errors: the delivery journal's refusal is typed and worded per language", "[store][errors][maildir]") {
    TempDir tmp;
    // A journal file that is too small to be one.
    {
        std::FILE* f = std::fopen((tmp.path / "mailsim-journal").c_str(), "w");
        REQUIRE(f);
        std::fputs("not a journal", f);
        std::fclose(f);
    }
    MaildirStore store(tmp.path.string());
    auto r = store.enableJournal();
    REQUIRE_FALSE(r);
    CHECK(r.error().step == StoreStep::JournalTooSmall);
    CHECK(r.error().text() == (tmp.path / "mailsim-journal").string() + ": too small for a delivery journal");
    const std::string zh = storeErrorText(r.error(), Lang::Zh);
    CHECK(zh.find((tmp.path / "mailsim-journal").string()) != std::string::npos);
    CHECK_FALSE(hasEnglishWords(zh, {(tmp.path / "mailsim-journal").string()}));
}
