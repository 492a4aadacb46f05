// The Maildir store at scale (issue #16), mailsim only (the side-by-side run against Postfix and Dovecot is a
// separate harness): delivery into a large mailbox vs an empty one, IMAP FETCH 1:* (FLAGS ENVELOPE) and UID SEARCH
// FROM, POP3 login, over the real MaildirStore on disk, driven through the engine's server sessions (no sockets), and
// the index's bytes per message (in memory and on disk).
//
//   cmake --build build --target mailsim-store-bench && build/bench/mailsim-store-bench [dir] [sizes...]
// The mailboxes are filled by writing files into cur/ directly (as another program would), so the first open also
// measures building the index from the files; deliveries go through MaildirStore::deliver (fsyncs included).
#include "imap/ImapServerSession.hpp"
#include "maildir/MaildirStore.hpp"
#include "pop3/Pop3ServerSession.hpp"
#include "trace/Trace.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>
#include <fmt/format.h>

namespace fs = std::filesystem;
using namespace mailsim;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kUser = "rose@cesoo.com";

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string message(std::size_t i) {
    std::string body;
    for (int l = 0; l < 12; ++l) body += fmt::format("Line {} of message {}: some text to make it about one KiB.\n", l, i);
    return fmt::format("Return-Path: <m{}@example.org>\nReceived: from client by cesoo.com; Mon, 4 Mar 2024 09:00:00 "
                       "+0000\nFrom: Sender {} <m{}@example.org>\nTo: Rose <rose@cesoo.com>\nSubject: Message number "
                       "{}\nDate: Mon, 4 Mar 2024 09:00:00 +0000\nMessage-ID: <{}@example.org>\n\n{}",
                       i, i, i, i, i, body);
}

void fill(const fs::path& box, std::size_t n) {
    for (const char* sub : {"tmp", "new", "cur"}) fs::create_directories(box / sub);
    for (std::size_t i = 0; i < n; ++i) {
        std::ofstream out(box / "cur" / fmt::format("{}.M{:06}P1Q{}.bench:2,{}", 1'700'000'000 + i, i % 1000000, i,
                                                     i % 3 ? "S" : ""), std::ios::binary);
        out << message(i);
    }
}

// Feeds an IMAP command to a session and returns the time and the size of the answer.
std::pair<double, std::size_t> command(imap::ImapServerSession& s, const std::string& line) {
    auto t0 = Clock::now();
    s.receive(line + "\r\n", 0);
    std::string out = s.takeOutput();
    return {secondsSince(t0), out.size()};
}

// Median seconds per delivery into `full` and into `empty`, alternating between the two so that load on the machine
// hits both alike.
std::pair<double, double> deliveries(store::MaildirStore& store, const std::string& full, const std::string& empty,
                                     int n) {
    std::vector<double> a, b;
    for (int i = 0; i < n; ++i)
        for (auto* user : {&full, &empty}) {
            auto t0 = Clock::now();
            if (!store.deliver(*user, "INBOX", message(1'000'000 + static_cast<std::size_t>(i)), 0)) return {-1, -1};
            (user == &full ? a : b).push_back(secondsSince(t0));
        }
    auto median = [](std::vector<double>& v) {
        std::ranges::sort(v);
        return v[v.size() / 2];
    };
    return {median(a), median(b)};
}

}  // namespace

int main(int argc, char** argv) {
    fs::path dir = argc > 1 ? argv[1] : fs::temp_directory_path() / "mailsim-store-bench";
    std::vector<std::size_t> sizes;
    for (int i = 2; i < argc; ++i) sizes.push_back(std::stoul(argv[i]));
    if (sizes.empty()) sizes = {10'000, 100'000};
    std::printf("| messages | index build from files | open from index | FETCH 1:* (FLAGS ENVELOPE) | UID SEARCH FROM | "
                "POP3 login | delivery, empty box (median) | delivery, full box (median) | index in memory / message | "
                "index on disk / message |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (std::size_t n : sizes) {
        fs::remove_all(dir);
        fill(dir / kUser, n);
        double build = 0, open = 0;
        {
            store::MaildirStore first(dir.string());
            auto t0 = Clock::now();
            if (first.list(kUser, "INBOX").size() != n) return std::fprintf(stderr, "wrong count\n"), 1;
            build = secondsSince(t0);
        }
        store::MaildirStore store(dir.string());
        auto t0 = Clock::now();
        (void)store.list(kUser, "INBOX");
        open = secondsSince(t0);
        for (const auto& w : store.takeWarnings())  // typed (maildir/StoreWarning.hpp); the bench shows the raw facts
            std::fprintf(stderr, "warning: kind %d %s %s\n", static_cast<int>(w.kind), w.path.c_str(), w.detail.c_str());

        imap::ImapServerContext ctx;
        ctx.config.domain = "cesoo.com";
        ctx.directory.addDomain("cesoo.com");
        ctx.directory.addUser(kUser, "rose123");
        ctx.store = &store;
        trace::Trace trace;
        imap::ImapServerSession session(ctx, trace::Recorder(&trace, trace.openSession("imap", "c", "s", 0)));
        session.start(0);
        (void)command(session, "a LOGIN rose rose123");
        (void)command(session, "b SELECT INBOX");
        auto [fetch, fetchBytes] = command(session, "c FETCH 1:* (FLAGS ENVELOPE)");
        auto [search, searchBytes] = command(session, fmt::format("d UID SEARCH FROM m{}@", n / 2));
        (void)searchBytes;

        pop3::Pop3ServerContext pctx;
        pctx.config.domain = "cesoo.com";
        pctx.directory.addDomain("cesoo.com");
        pctx.directory.addUser(kUser, "rose123");
        pctx.store = &store;
        double pop3Login = 0;
        {
            pop3::Pop3ServerSession pop(pctx, trace::Recorder(&trace, trace.openSession("pop3", "c", "s", 0)));
            pop.start(0);
            (void)pop.takeOutput();
            auto p0 = Clock::now();
            pop.receive("USER rose\r\nPASS rose123\r\n", 0);
            std::string out = pop.takeOutput();
            pop3Login = secondsSince(p0);
            if (out.find("+OK") == std::string::npos) return std::fprintf(stderr, "pop3: %s\n", out.c_str()), 1;
        }

        (void)store.deliver("empty@cesoo.com", "INBOX", message(0), 0);  // create it: the first delivery sets it up
        auto [full, empty] = deliveries(store, kUser, "empty@cesoo.com", 200);
        double memory = static_cast<double>(store.indexMemoryBytes(kUser, "INBOX")) / static_cast<double>(n + 200);
        double disk = static_cast<double>(fs::file_size(dir / kUser / "mailsim-index")) / static_cast<double>(n + 200);
        std::printf("| %zu | %.2f s | %.3f s | %.3f s (%zu bytes) | %.4f s | %.4f s | %.2f ms | %.2f ms | %.0f B | %.0f B |\n",
                    n, build, open, fetch, fetchBytes, search, pop3Login, empty * 1e3, full * 1e3, memory, disk);
        std::fflush(stdout);
    }
    fs::remove_all(dir);
    return 0;
}
