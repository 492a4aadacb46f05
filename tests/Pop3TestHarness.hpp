// Test harness for the POP3 engine: a server host (users, memory store, trace) and a connection helper that feeds a
// server session bytes and parses what it answers with the engine's own response parser.
#pragma once

#include "pop3/Pop3ClientSession.hpp"
#include "pop3/Pop3ServerSession.hpp"
#include "pop3/Pop3Syntax.hpp"
#include "store/MemoryStore.hpp"
#include "trace/Trace.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mailsim::test {

using namespace mailsim::pop3;

inline constexpr trace::Micros kPopT0 = 1'709'542'800'000'000;

struct Pop3Host {
    store::MemoryStore store;
    trace::Trace trace;
    Pop3ServerContext ctx;
    explicit Pop3Host(store::MailStore* storeOverride = nullptr) {
        ctx.config.domain = "cesoo.com";
        ctx.directory.addDomain("cesoo.com");
        ctx.directory.addUser("mike@cesoo.com", "mike123", "Mike");
        ctx.directory.addUser("rose@cesoo.com", "rose123", "Rose");
        ctx.store = storeOverride ? storeOverride : &store;
    }
    void deliver(const std::string& user, const std::string& msg) { REQUIRE(ctx.store->deliver(user, "INBOX", msg, kPopT0)); }
};

struct Pop3Conn {
    Pop3Host& host;
    trace::SessionId sid;
    std::unique_ptr<Pop3ServerSession> session;
    trace::Micros now = kPopT0;
    Pop3ResponseParser parser;
    std::string greetingLine;

    explicit Pop3Conn(Pop3Host& h)
        : host(h), sid(h.trace.openSession("pop3", "rose-pc", "cesoo.com:110", kPopT0)),
          session(std::make_unique<Pop3ServerSession>(h.ctx, trace::Recorder(&h.trace, sid))) {
        session->start(now);
        parser.expectMultiLine(false);
        parser.feed(session->takeOutput());
        greetingLine = parser.next().value().raw.at(0);
    }
    // Sends one command line and returns the complete response (REQUIREs exactly one).
    Pop3Response cmd(const std::string& line) {
        parser.expectMultiLine(pop3ResponseIsMultiLine(line));
        session->receive(line + "\r\n", now);
        parser.feed(session->takeOutput());
        auto r = parser.next();
        REQUIRE(r);
        REQUIRE_FALSE(parser.next());
        return *r;
    }
    Pop3Response login(const std::string& user = "rose@cesoo.com", const std::string& pass = "rose123") {
        cmd("USER " + user);
        return cmd("PASS " + pass);
    }
};

}  // namespace mailsim::test
