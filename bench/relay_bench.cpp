// Relay at scale: a generated scenario of 10,000 messages among 100 domains runs headless to completion, beside the
// single-host textbook scenario. Prints simulated (trace) events per second of wall time and trace bytes per event
// (JSON and text transcript), so a change that slows the simulator or bloats the trace shows up in the figures.
// A second relay run adds per-link latency and segment loss between neighbouring MXs (`links:`).
//
//   cmake --build build --target mailsim-relay-bench && build/bench/mailsim-relay-bench [messages] [domains]
// Build it without the sanitizers (e.g. -DCMAKE_BUILD_TYPE=Release) for meaningful numbers.
#include "sim/world/Api.hpp"
#include "sim/tools/Transcript.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

using namespace mailsim;

namespace {

// Every domain dN.example has one mail host mx.dN.example (users u0..u9) and one client pc-N; the office network
// 10.0.0.0/8 may relay, so the user agents submit on port 25 without AUTH. Each pc sends `perHost` messages over
// one connection, each to a random user of another domain.
// `links`: every MX has a link to the next one (80 ms, 5 % segment loss), so lost segments and their
// retransmissions are part of the run.
std::string generate(int messages, int domains, std::uint64_t seed, bool links = false) {
    std::mt19937_64 rng(seed);
    std::ostringstream y;
    y << "title: Relay benchmark\nseed: 7\nnetwork: { split: false }\n";
    if (links) {
        y << "links:\n";
        for (int d = 0; d < domains; ++d)
            y << "  - { between: [mx.d" << d << ".example, mx.d" << (d + 1) % domains << ".example], latency: 80ms, loss: 0.05 }\n";
    }
    y << "hosts:\n";
    for (int d = 0; d < domains; ++d) {
        y << "  - name: mx.d" << d << ".example\n    domains: [d" << d << ".example]\n    services: [smtp]\n"
          << "    smtp: { relay_networks: [10.0.0.0/8] }\n    users: [";
        for (int u = 0; u < 10; ++u) y << (u ? ", " : "") << "{ name: u" << u << " }";
        y << "]\n  - name: pc-" << d << "\n";
    }
    y << "dns:\n";
    for (int d = 0; d < domains; ++d) y << "  d" << d << ".example: { mx: [mx.d" << d << ".example] }\n";
    y << "steps:\n";
    int perHost = messages / domains;
    for (int d = 0; d < domains; ++d) {
        y << "  - mua:\n      action: send\n      from: pc-" << d << "\n      server: mx.d" << d << ".example:25\n"
          << "      sender: u0@d" << d << ".example\n      messages:\n";
        for (int i = 0; i < perHost; ++i) {
            int to = static_cast<int>(rng() % (domains - 1));
            if (to >= d) ++to;
            y << "        - { to: [u" << rng() % 10 << "@d" << to << ".example], subject: m" << i << ", body: \"hello " << i
              << "\" }\n";
        }
    }
    y << "  - wait: 1h\n";
    return y.str();
}

struct Figures {
    double seconds = 0;
    std::size_t events = 0;
    std::size_t jsonBytes = 0;
    std::size_t textBytes = 0;
    std::size_t delivered = 0;
    std::size_t hops = 0;
};

Figures measure(const std::string& yaml, const std::string& name, int repeat) {
    Figures f;
    for (int r = 0; r < repeat; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        auto result = sim::runScenarioText(yaml, name);
        auto t1 = std::chrono::steady_clock::now();
        if (!result) {
            for (const auto& d : result.error()) std::fprintf(stderr, "%s\n", d.format().c_str());
            std::exit(2);
        }
        f.seconds += std::chrono::duration<double>(t1 - t0).count();
        f.events += result->trace.size();
        if (r == 0) {
            f.jsonBytes = sim::formatJson(result->trace).size();
            f.textBytes = sim::formatTranscript(result->trace, {}).size();
            for (const auto& e : result->trace.events()) {
                if (const auto* c = e.as<trace::StoreChange>(); c && c->action == trace::StoreAction::Appended) ++f.delivered;
                if (e.kind == trace::EventKind::RelayHop) ++f.hops;
            }
        }
    }
    return f;
}

void print(const char* label, const Figures& f, int repeat) {
    std::size_t perRun = f.events / repeat;
    std::printf("%-34s %9zu events/run %10.3f ms/run %12.0f events/s %7.1f JSON B/event %7.1f text B/event\n", label,
                perRun, 1000 * f.seconds / repeat, f.events / f.seconds, double(f.jsonBytes) / perRun, double(f.textBytes) / perRun);
}

}  // namespace

int main(int argc, char** argv) {
    int messages = argc > 1 ? std::atoi(argv[1]) : 10'000;
    int domains = argc > 2 ? std::atoi(argv[2]) : 100;
    std::string yaml = generate(messages, domains, 42);
    Figures relay = measure(yaml, "relay-bench.yaml", 1);
    Figures lossy = measure(generate(messages, domains, 42, true), "relay-bench-links.yaml", 1);

    std::ifstream in(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/smtp-textbook.yaml");
    std::stringstream textbook;
    textbook << in.rdbuf();
    const int repeat = 200;
    Figures single = measure(textbook.str(), "smtp-textbook.yaml", repeat);

    std::printf("relay: %d messages among %d domains: %zu delivered into mailboxes, %zu relay hops\n", messages, domains,
                relay.delivered, relay.hops);
    print("relay (10k messages, 100 domains)", relay, 1);
    print("relay + links (80 ms, 5 % loss)", lossy, 1);
    print("single-host textbook (x200)", single, repeat);
    const auto all = static_cast<std::size_t>(messages / domains * domains);
    return relay.delivered == all && lossy.delivered == all ? 0 : 1;
}
