// Test harness for the SMTP engine: a server host (users, lists, memory store, trace) and helpers that drive a
// server session with bytes, split in different ways, and read back the replies and the stored messages.
#pragma once

#include "smtp/SmtpClientSession.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "store/MemoryStore.hpp"
#include "trace/Trace.hpp"

#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::test {

using namespace mailsim::smtp;

inline constexpr trace::Micros kT0 = 1'709'542'800'000'000;  // Mon, 04 Mar 2024 09:00:00 +0000

// The cesoo.com host of the textbook: mike and rose, and the list staff@ = {mike, rose}.
struct ServerHost {
    store::MemoryStore store;
    trace::Trace trace;
    SmtpServerContext ctx;

    ServerHost() {
        ctx.config.domain = "cesoo.com";
        ctx.directory.addUser("mike@cesoo.com", "mike123", "Mike");
        ctx.directory.addUser("rose@cesoo.com", "rose123", "Rose");
        ctx.directory.addList("staff@cesoo.com", {"mike@cesoo.com", "rose@cesoo.com"});
        ctx.store = &store;
    }

    // Stored messages of `user`'s INBOX, in UID order.
    std::vector<std::string> inbox(const std::string& user) const {
        std::vector<std::string> out;
        for (const auto& info : store.list(user, "INBOX")) out.push_back(*store.read(user, "INBOX", info.uid));
        return out;
    }
    std::size_t totalStored() const { return inbox("mike@cesoo.com").size() + inbox("rose@cesoo.com").size(); }
};

// One server session on a host; `send` feeds bytes (whole) and returns what the server answered to them.
struct ServerConn {
    ServerHost& host;
    trace::SessionId sid;
    SmtpServerSession session;
    trace::Micros now = kT0;

    explicit ServerConn(ServerHost& h, bool start = true)
        : host(h), sid(h.trace.openSession("smtp", "mike-pc", "cesoo.com:25", kT0)),
          session(h.ctx, PeerInfo{"mike-pc", "10.0.0.2"}, trace::Recorder(&h.trace, sid)) {
        if (start) session.start(now);
    }
    std::string greeting() { return session.takeOutput(); }
    std::string send(std::string_view bytes) {
        session.receive(bytes, now);
        return session.takeOutput();
    }
    std::string cmd(std::string_view line) { return send(std::string(line) + "\r\n"); }
};

// The 3-digit codes of the complete replies in `wire`, in order (one per reply, taken from its last line).
inline std::vector<int> replyCodes(std::string_view wire) {
    ReplyParser p;
    p.feed(wire);
    std::vector<int> codes;
    while (auto r = p.next()) codes.push_back(r->code);
    return codes;
}
inline int lastCode(std::string_view wire) {
    auto c = replyCodes(wire);
    return c.empty() ? 0 : c.back();
}

// How a byte string is handed to a session: whole, one byte at a time, or in random chunks (seeded).
enum class FeedMode { Whole, ByteByByte, RandomChunks };

inline std::vector<std::string_view> splitInput(std::string_view input, FeedMode mode, unsigned seed = 0) {
    std::vector<std::string_view> parts;
    if (mode == FeedMode::Whole) {
        parts.push_back(input);
    } else if (mode == FeedMode::ByteByByte) {
        for (std::size_t i = 0; i < input.size(); ++i) parts.push_back(input.substr(i, 1));
    } else {
        std::mt19937 rng(seed);
        std::uniform_int_distribution<std::size_t> len(1, 17);
        for (std::size_t i = 0; i < input.size();) {
            std::size_t n = std::min(len(rng), input.size() - i);
            parts.push_back(input.substr(i, n));
            i += n;
        }
    }
    return parts;
}

// Runs a whole client dialogue (`input`) against a fresh host in one feed mode; returns all server output and the
// host (for its store and trace). With `observed` false the host's trace keeps no events and has no listener, as
// `mailsim serve` with its output discarded (the session then builds no Data lines; Trace::observed).
struct FeedRun {
    std::unique_ptr<ServerHost> host = std::make_unique<ServerHost>();
    std::string output;
    SmtpState finalState = SmtpState::Connect;
};
inline FeedRun runFeed(std::string_view input, FeedMode mode, unsigned seed = 0, bool lenient = true,
                       bool observed = true) {
    FeedRun run;
    run.host->ctx.config.lenient = lenient;
    run.host->trace.keepEvents(observed);
    ServerConn conn(*run.host);
    run.output = conn.greeting();
    for (auto part : splitInput(input, mode, seed)) run.output += conn.send(part);
    run.finalState = conn.session.state();
    return run;
}

// Content of a stored message after the trace headers this server adds (Return-Path, Received).
inline std::string bodyOf(const std::string& stored) {
    auto pos = stored.find("\r\n\t");  // Received: continuation lines
    pos = stored.find("+0000\r\n", pos);
    return pos == std::string::npos ? stored : stored.substr(pos + 7);
}

}  // namespace mailsim::test
