// mailsim-gui-bench: the GUI's performance figures (issue 6), printed, not asserted.
//
// 1. Startup to first frame for the textbook scenario (GLFW + GL context + run the scenario + view model + font
//    atlas + one frame).
// 2. A synthetic trace of about 1,000,000 events (many SMTP sessions from several clients: lines, state changes,
//    store changes, long virtual-time gaps between sessions): view-model build time.
// 3. Frames while scrolling the sequence diagram (zoomed in, and zoomed out to ~1000 rows per pixel) and the
//    transcript: median and p95 frame time. A frame here is the whole of App::frame(): ImGui build, draw-list
//    generation and Mesa llvmpipe's software rasterisation of a 1280x800 off-screen target, so it is an upper
//    bound on the UI's CPU cost.
// 4. Cursor jumps to random rows: the O(log n) queries alone (state at cursor for the focus session, message count
//    of every folder at the cursor) and the frame that follows the jump.
// 5. Idle frames (nothing changes): allocations counted by a global operator new and by ImGui's allocator hooks.
// 6. A growing trace (a live server, the sandbox; issue #13): one refresh that appends 100 events to a trace of about
//    1,000,000, as the App does it now (TraceSource.hpp's appendNew + ViewModel::extend) and as it did before (copy the
//    whole trace, rebuild the view model).
//
// Run: cmake --build build --target mailsim-gui-bench && xvfb-run -a build/bench/mailsim-gui-bench
#include "App.hpp"
#include "TraceSource.hpp"
#include "SyntheticTrace.hpp"
#include "Options.hpp"
#include "Platform.hpp"

#include <fmt/format.h>

#include <execinfo.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

namespace {

std::atomic<long> g_news{0};
std::atomic<int> g_traceNews{0};  // MAILSIM_BENCH_TRACE_ALLOC=1: print a backtrace of the first idle allocations
std::atomic<long> g_imguiAllocs{0};

void* imguiAlloc(std::size_t size, void*) {
    ++g_imguiAllocs;
    return std::malloc(size);
}
void imguiFree(void* p, void*) { std::free(p); }

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

struct Stats {
    double median = 0, p95 = 0, max = 0;
};
Stats stats(std::vector<double> v) {
    Stats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.median = v[v.size() / 2];
    s.p95 = v[std::min(v.size() - 1, v.size() * 95 / 100)];
    s.max = v.back();
    return s;
}

using namespace mailsim;

}  // namespace

namespace {
// Both forms of operator new: count, print a backtrace of the first idle allocations when asked, allocate.
void* countedNew(std::size_t size, const char* form) {
    ++g_news;
    if (g_traceNews > 0) {
        --g_traceNews;
        void* frames[24];
        int depth = backtrace(frames, 24);
        std::fprintf(stderr, "--- %s(%zu) in an idle frame:\n", form, size);
        backtrace_symbols_fd(frames, depth, 2);
    }
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return countedNew(size, "operator new"); }
void* operator new[](std::size_t size) { return countedNew(size, "operator new[]"); }
// The nothrow forms too (std::stable_sort's temporary buffer uses them): all four pair with the free() below.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return countedNew(size, "operator new(nothrow)");
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return countedNew(size, "operator new[](nothrow)");
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {
using namespace mailsim::gui;

// Frames with the cursor moved by `stride` rows each: the UI build and the whole frame, median/p95/max.
void timedFrames(App& app, const char* what, int count, long stride) {
    const std::size_t n = app.view().size();
    std::vector<double> times, ui;
    for (int i = 0; i < count; ++i) {
        app.cursor().set(static_cast<std::size_t>((static_cast<long>(i) * stride) % static_cast<long>(n)));
        auto t = Clock::now();
        app.frame();
        times.push_back(msSince(t));
        ui.push_back(app.lastUiMs());
    }
    Stats s = stats(times), u = stats(ui);
    std::printf("%s (%d frames)\n  UI build (panels + ImGui):      median %6.2f ms  p95 %6.2f ms  max %6.2f ms\n"
                "  whole frame incl. llvmpipe GL:  median %6.2f ms  p95 %6.2f ms  max %6.2f ms\n",
                what, count, u.median, u.p95, u.max, s.median, s.p95, s.max);
}

// 3. Scrolling the sequence diagram (by step, zoomed out, by time) and the transcript.
void scrolling(App& app) {
    app.showPanel("sequence");
    for (int i = 0; i < 5; ++i) app.frame();
    timedFrames(app, "sequence diagram, by step, scrolling (cursor +997/frame)", 300, 997);
    const float zoom = app.settings().rowPixels;
    app.settings().rowPixels = 0.001f;  // ~1000 rows per pixel: everything folded
    timedFrames(app, "sequence diagram, zoomed out (1000 rows/px), scrolling", 300, 3331);
    app.settings().rowPixels = zoom;
    app.settings().timeAxis = true;
    timedFrames(app, "sequence diagram, by time, scrolling", 300, 997);
    app.settings().timeAxis = false;
    app.showPanel("transcript");
    for (int i = 0; i < 5; ++i) app.frame();
    timedFrames(app, "transcript, scrolling (cursor +997/frame)", 300, 997);
}

// 4. Cursor jumps. Returns a value computed from the queries, so that they are not optimised away.
std::size_t cursorJumps(App& app) {
    const ViewModel& view = app.view();
    const std::size_t n = view.size();
    app.showPanel("sequence");
    app.showPanel("mailboxes");
    for (int i = 0; i < 5; ++i) app.frame();
    std::mt19937_64 rng(6);
    std::vector<double> query, jump, jumpUi;
    std::size_t sink = 0;
    for (int i = 0; i < 300; ++i) {
        const std::size_t k = rng() % n;
        auto tq = Clock::now();
        const Row& row = view.row(k);
        sink += view.stateAt(row.focus, k);
        for (const auto& u : view.mailboxes().users())
            for (const auto& f : u.folders) sink += view.mailboxes().countAt(f, k);
        query.push_back(msSince(tq) * 1000.0);
        auto tf = Clock::now();
        app.cursor().set(k);
        app.frame();
        jump.push_back(msSince(tf));
        jumpUi.push_back(app.lastUiMs());
    }
    Stats q = stats(query), j = stats(jump), ju = stats(jumpUi);
    std::printf("cursor jump, queries only (state at cursor + 50 folders' counts): median %.2f us  p95 %.2f us\n",
                q.median, q.p95);
    std::printf("cursor jump, the frame that shows it (sequence + mailboxes):\n"
                "  UI build:                       median %6.2f ms  p95 %6.2f ms  max %6.2f ms\n"
                "  whole frame incl. llvmpipe GL:  median %6.2f ms  p95 %6.2f ms  max %6.2f ms\n",
                ju.median, ju.p95, ju.max, j.median, j.p95, j.max);

    return sink;
}

// Idle frames with the panels shown: UI build time and the allocations made by them (there should be none).
void idleFrames(App& app, const char* panels) {
    for (int i = 0; i < 10; ++i) app.frame();
    std::vector<double> idle;
    idle.reserve(200);  // before the counters are read: the bench's own vector must not count
    const long news0 = g_news, imgui0 = g_imguiAllocs;
    if (std::getenv("MAILSIM_BENCH_TRACE_ALLOC")) g_traceNews = 3;
    for (int i = 0; i < 200; ++i) {
        app.frame();
        idle.push_back(app.lastUiMs());
    }
    // Read the counters before stats(), which copies `idle` (that copy was once counted as an idle-frame allocation).
    const long idleNews = g_news - news0, idleImgui = g_imguiAllocs - imgui0;
    g_traceNews = 0;
    std::printf("idle frames (%s): UI build median %.2f ms; allocations in 200 idle frames: operator new %ld, "
                "ImGui allocator %ld\n", panels, stats(idle).median, idleNews, idleImgui);
}

// 6. A growing trace. Returns a value computed from the rebuilt views.
std::size_t growingTrace() {
    std::size_t sink = 0;
    {
        const sim::RunResult full = mailsim::bench::syntheticRun(1'000'000);
        const std::size_t total = full.trace.size(), start = total - 2000;
        sim::RunResult growing;
        appendNew(growing.trace, full.trace, start);
        ViewModel grown(growing);
        std::vector<double> extendMs, rebuildMs;
        for (std::size_t at = start; at + 100 <= total && extendMs.size() < 20; at += 100) {
            auto te = Clock::now();
            appendNew(growing.trace, full.trace, at + 100);
            grown.extend();
            extendMs.push_back(msSince(te));
        }
        for (int i = 0; i < 3; ++i) {  // the old way: the whole trace copied, the view model built again
            auto tr = Clock::now();
            sim::RunResult copy;
            copy.trace = full.trace;
            const ViewModel rebuilt(copy);
            sink += rebuilt.size();
            rebuildMs.push_back(msSince(tr));
        }
        std::printf("growing trace (~%zu events, +100 per refresh): append + extend median %.2f ms (max %.2f); "
                    "copy + rebuild median %.0f ms\n",
                    total, stats(extendMs).median, stats(extendMs).max, stats(rebuildMs).median);
    }
    return sink;
}

}  // namespace

int main() {
    ImGui::SetAllocatorFunctions(imguiAlloc, imguiFree, nullptr);

    // 1. Startup to first frame, textbook scenario.
    const auto t0 = Clock::now();
    PlatformConfig config;
    config.visible = false;
    PlatformStatus status{};
    std::string message;
    auto platform = Platform::create(config, status, message);
    if (!platform) {
        std::fprintf(stderr, "mailsim-gui-bench: %s (run it under xvfb-run -a)\n", message.c_str());
        return 3;
    }
    if (!platform->useOffscreen(1280, 800)) return 4;
    Options options;
    options.scenario = std::string(MAILSIM_SOURCE_DIR) + "/scenarios/smtp-textbook.yaml";
    options.screenshot = "(bench)";  // screenshot semantics: no settings file is read or written
    double startup = 0;
    {
        App app(*platform, options);
        app.frame();
        startup = msSince(t0);
    }
    std::printf("startup to first frame (textbook scenario, incl. GLFW/GL init): %.1f ms\n", startup);

    // 2. The synthetic trace and its view model.
    auto tg = Clock::now();
    Document doc;
    doc.path = "(synthetic)";
    doc.result = mailsim::bench::syntheticRun(1'000'000);
    const double genMs = msSince(tg);
    const std::size_t events = doc.result->trace.size();
    const std::size_t sessions = doc.result->trace.sessions().size();
    auto tv = Clock::now();
    App app(*platform, options, std::move(doc));
    const double appMs = msSince(tv);
    std::printf("synthetic trace: %zu events, %zu sessions (generated in %.0f ms)\n", events, sessions, genMs);
    std::printf("view model + fonts + panels for it: %.0f ms\n", appMs);
    scrolling(app);
    std::size_t sink = cursorJumps(app);
    // 5. Idle frames.
    idleFrames(app, "sequence + mailboxes");
    app.showPanel("transcript");
    app.showPanel("state");
    idleFrames(app, "transcript + protocol state");
    sink += growingTrace();
    return sink == 42 ? 1 : 0;
}
