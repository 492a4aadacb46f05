// Test harness for the IMAP engine: a server host (users, a store, trace) and a connection helper that feeds a server
// session command lines and collects everything up to the tagged completion.
#pragma once

#include "imap/ImapServerSession.hpp"
#include "store/MemoryStore.hpp"
#include "trace/Trace.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace mailsim::test {

using namespace mailsim::imap;

inline constexpr trace::Micros kImapT0 = 1'709'542'800'000'000;  // 2024-03-04 09:00:00 UTC

struct ImapHost {
    store::MemoryStore memory;
    trace::Trace trace;
    ImapServerContext ctx;
    explicit ImapHost(store::MailStore* storeOverride = nullptr) {
        ctx.config.domain = "cesoo.com";
        ctx.directory.addDomain("cesoo.com");
        ctx.directory.addUser("mike@cesoo.com", "mike123", "Mike");
        ctx.directory.addUser("rose@cesoo.com", "rose123", "Rose");
        ctx.store = storeOverride ? storeOverride : &memory;
    }
    void deliver(const std::string& msg, const std::string& folder = "INBOX", const std::string& user = "rose@cesoo.com") {
        REQUIRE(ctx.store->deliver(user, folder, msg, kImapT0));
    }
};

struct ImapConn {
    ImapHost& host;
    trace::SessionId sid;
    std::unique_ptr<ImapServerSession> session;
    trace::Micros now = kImapT0;
    std::string greeting;
    int nextTag = 1;

    explicit ImapConn(ImapHost& h)
        : host(h), sid(h.trace.openSession("imap", "rose-pc", "cesoo.com:143", kImapT0)),
          session(std::make_unique<ImapServerSession>(h.ctx, trace::Recorder(&h.trace, sid))) {
        session->start(now);
        greeting = session->takeOutput();
    }
    // Sends raw bytes and returns what the server answered.
    std::string raw(std::string_view bytes) {
        session->receive(bytes, now);
        return session->takeOutput();
    }
    // Sends "tag line" and returns the whole answer; REQUIREs that it ends with the tagged completion.
    std::string cmd(const std::string& line, const std::string& tag = "") {
        std::string t = tag.empty() ? "a" + std::to_string(nextTag++) : tag;
        std::string out = raw(t + " " + line + "\r\n");
        INFO(t + " " + line + "\n" + out);
        auto last = out.rfind(t + " ");
        REQUIRE(last != std::string::npos);
        REQUIRE(out.ends_with("\r\n"));
        return out;
    }
    // The tagged line's condition: "OK", "NO" or "BAD".
    static std::string status(const std::string& out) {
        auto nl = out.rfind("\r\n", out.size() - 3);
        std::string last = out.substr(nl == std::string::npos ? 0 : nl + 2);
        auto sp = last.find(' ');
        return last.substr(sp + 1, 2) == "OK" ? "OK" : last.substr(sp + 1, 2) == "NO" ? "NO" : "BAD";
    }
    std::string ok(const std::string& line, const std::string& tag = "") {
        auto out = cmd(line, tag);
        INFO(line + "\n" + out);
        REQUIRE(status(out) == "OK");
        return out;
    }
    void login(const std::string& user = "rose", const std::string& pass = "rose123") { ok("LOGIN " + user + " " + pass); }
};

}  // namespace mailsim::test
