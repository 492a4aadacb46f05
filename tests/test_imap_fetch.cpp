// IMAP FETCH and SEARCH: body sections of a nested message (golden), ENVELOPE/BODYSTRUCTURE, \Seen by non-PEEK
// fetches, SEARCH keys with nested OR/NOT and CHARSET UTF-8.
#include "ImapTestHarness.hpp"

#include "imap/ImapMessageView.hpp"
#include "message/ImapStructure.hpp"

using namespace mailsim;
using namespace mailsim::test;

namespace {

// Subject: 中文主题 (RFC 2047 B encoding of UTF-8).
const std::string kNested = "From: Mike <mike@cesoo.com>\r\n"
                            "To: Rose <rose@cesoo.com>\r\n"
                            "Subject: =?UTF-8?B?5Lit5paH5Li76aKY?=\r\n"
                            "Date: Mon, 4 Mar 2024 09:00:00 +0000\r\n"
                            "MIME-Version: 1.0\r\n"
                            "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                            "\r\n"
                            "--b1\r\n"
                            "Content-Type: text/plain; charset=utf-8\r\n"
                            "\r\n"
                            "Hello Rose\r\n"
                            "--b1\r\n"
                            "Content-Type: message/rfc822\r\n"
                            "\r\n"
                            "From: Ann <ann@example.org>\r\n"
                            "Subject: inner\r\n"
                            "\r\n"
                            "Inner body\r\n"
                            "--b1--\r\n";
const std::string kLunch = "From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: lunch\r\n"
                           "Date: Mon, 4 Mar 2024 10:00:00 +0000\r\n\r\nNoodles at noon?\r\n";
const std::string kReport = "From: Ann <ann@example.org>\r\nTo: rose@cesoo.com\r\nSubject: report\r\n\r\n" +
                            std::string(600, 'x') + "\r\n";

std::string section(const std::string& raw, const std::string& spec) {
    auto msg = message::Message::parse(raw);
    auto s = imap::parseSection(spec);
    REQUIRE(s);
    auto bytes = imap::sectionBytes(msg, *s);
    return bytes ? *bytes : "<none>";
}

struct Mailbox {
    ImapHost host;
    ImapConn c{host};
    Mailbox() {
        host.deliver(kNested);
        host.deliver(kLunch);
        host.deliver(kReport);
        c.login();
        c.ok("SELECT INBOX");
    }
    std::string search(const std::string& args) {
        auto out = c.ok(args);
        auto at = out.find("* SEARCH");
        REQUIRE(at != std::string::npos);
        return out.substr(at, out.find("\r\n", at) - at);
    }
};

}  // namespace

TEST_CASE("imap sections of a nested message (golden)", "[imap][fetch]") {
    CHECK(section(kNested, "1") == "Hello Rose");
    CHECK(section(kNested, "1.MIME") == "Content-Type: text/plain; charset=utf-8\r\n\r\n");
    CHECK(section(kNested, "2.HEADER") == "From: Ann <ann@example.org>\r\nSubject: inner\r\n\r\n");
    CHECK(section(kNested, "2.TEXT") == "Inner body");
    CHECK(section(kNested, "2.1") == "Inner body");
    CHECK(section(kNested, "2") == "From: Ann <ann@example.org>\r\nSubject: inner\r\n\r\nInner body");
    CHECK(section(kNested, "HEADER.FIELDS (SUBJECT from)") ==
          "From: Mike <mike@cesoo.com>\r\nSubject: =?UTF-8?B?5Lit5paH5Li76aKY?=\r\n\r\n");
    CHECK(section(kNested, "HEADER.FIELDS.NOT (Content-Type MIME-Version Date To)") ==
          "From: Mike <mike@cesoo.com>\r\nSubject: =?UTF-8?B?5Lit5paH5Li76aKY?=\r\n\r\n");
    CHECK(section(kNested, "TEXT").starts_with("--b1\r\nContent-Type: text/plain"));
    CHECK(section(kNested, "") == kNested);
    CHECK(section(kNested, "3") == "<none>");
    CHECK(section(kNested, "1.2") == "<none>");
    CHECK(section(kNested, "1.HEADER") == "<none>");  // HEADER only for message/rfc822 parts
    CHECK(section(kLunch, "1") == "Noodles at noon?\r\n");  // part 1 of a non-multipart message is its body
}

TEST_CASE("imap FETCH: ENVELOPE, BODYSTRUCTURE, sizes, partial bodies, UID", "[imap][fetch]") {
    Mailbox mb;
    auto out = mb.c.ok("FETCH 1 (UID RFC822.SIZE ENVELOPE BODYSTRUCTURE)");
    auto msg = message::Message::parse(kNested);
    CHECK(out.find("* 1 FETCH (UID 1 RFC822.SIZE " + std::to_string(kNested.size()) + " ENVELOPE " +
                   message::imapEnvelope(msg) + " BODYSTRUCTURE " + message::imapBodyStructure(msg) + ")\r\n") !=
          std::string::npos);
    CHECK(out.find("(\"Mike\" NIL \"mike\" \"cesoo.com\")") != std::string::npos);
    CHECK(out.find("\"=?UTF-8?B?5Lit5paH5Li76aKY?=\"") != std::string::npos);
    CHECK(out.find("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 10 1") != std::string::npos);
    CHECK(out.find("\"MESSAGE\" \"RFC822\"") != std::string::npos);
    CHECK(out.find("\"MIXED\" (\"BOUNDARY\" \"b1\")") != std::string::npos);
    auto part = mb.c.ok("FETCH 1 (BODY.PEEK[2.HEADER.FIELDS (Subject)] BODY.PEEK[]<0.4> BODY.PEEK[1]<6.100>)");
    CHECK(part.find("BODY[2.HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: inner\r\n\r\n") != std::string::npos);
    CHECK(part.find("BODY[]<0> {4}\r\nFrom") != std::string::npos);
    CHECK(part.find("BODY[1]<6> {4}\r\nRose") != std::string::npos);
    auto uid = mb.c.ok("UID FETCH 2:* FLAGS");
    CHECK(uid.find("* 2 FETCH (UID 2 FLAGS (\\Recent))") != std::string::npos);
    CHECK(uid.find("* 3 FETCH (UID 3 FLAGS (\\Recent))") != std::string::npos);
    CHECK(mb.c.ok("FETCH 2 FAST").find("INTERNALDATE \" 4-Mar-2024 09:00:00 +0000\"") != std::string::npos);
    CHECK(mb.c.cmd("FETCH 9 FLAGS").find(" BAD ") != std::string::npos);
    CHECK(mb.c.cmd("FETCH 1 (BODY[BOGUS])").find(" BAD ") != std::string::npos);
    CHECK(mb.c.ok("FETCH 1 RFC822.HEADER").find("RFC822.HEADER {") != std::string::npos);
}

TEST_CASE("imap FETCH: BODY[] sets \\Seen, BODY.PEEK[] and EXAMINE do not", "[imap][fetch]") {
    Mailbox mb;
    auto flags = [&](std::uint32_t uid) {
        for (const auto& m : mb.host.memory.list("rose@cesoo.com", "INBOX"))
            if (m.uid == uid) return m.flags;
        return store::Flags{0xff};
    };
    mb.c.ok("FETCH 2 BODY.PEEK[]");
    CHECK(flags(2) == 0);
    auto out = mb.c.ok("FETCH 2 BODY[TEXT]");
    CHECK(out.find("FLAGS (\\Seen \\Recent)") != std::string::npos);
    CHECK(flags(2) == store::kSeen);
    mb.c.ok("EXAMINE INBOX");
    mb.c.ok("FETCH 3 RFC822");
    CHECK(flags(3) == 0);
}

TEST_CASE("imap SEARCH: keys, nested OR/NOT, sets, dates, CHARSET UTF-8 with a Chinese subject", "[imap][search]") {
    Mailbox mb;
    CHECK(mb.search("SEARCH FROM mike") == "* SEARCH 1 2");
    CHECK(mb.search("SEARCH CHARSET UTF-8 SUBJECT {12+}\r\n中文主题") == "* SEARCH 1");
    CHECK(mb.search("SEARCH CHARSET UTF-8 TEXT {6+}\r\n主题") == "* SEARCH 1");
    CHECK(mb.search("SEARCH OR SUBJECT lunch NOT FROM mike") == "* SEARCH 2 3");
    CHECK(mb.search("SEARCH NOT (OR FROM ann SUBJECT LUNCH)") == "* SEARCH 1");
    CHECK(mb.search("SEARCH BODY \"inner BODY\"") == "* SEARCH 1");
    CHECK(mb.search("SEARCH TEXT noodles") == "* SEARCH 2");
    CHECK(mb.search("SEARCH LARGER 500") == "* SEARCH 3");
    CHECK(mb.search("SEARCH SMALLER 500 2:*") == "* SEARCH 2");
    CHECK(mb.search("UID SEARCH 2:*") == "* SEARCH 2 3");
    CHECK(mb.search("SEARCH UID 3") == "* SEARCH 3");
    CHECK(mb.search("SEARCH SINCE 1-Mar-2024") == "* SEARCH 1 2 3");
    CHECK(mb.search("SEARCH BEFORE 1-Mar-2024") == "* SEARCH");
    CHECK(mb.search("SEARCH ON 4-Mar-2024 SENTON 4-Mar-2024") == "* SEARCH 1 2");
    CHECK(mb.search("SEARCH HEADER To rose") == "* SEARCH 1 2 3");
    CHECK(mb.search("SEARCH HEADER X-Nope \"\"") == "* SEARCH");
    CHECK(mb.search("SEARCH RECENT NEW UNSEEN") == "* SEARCH 1 2 3");
    mb.c.ok("STORE 2 +FLAGS (\\Seen \\Answered)");
    CHECK(mb.search("SEARCH SEEN ANSWERED") == "* SEARCH 2");
    CHECK(mb.search("SEARCH UNSEEN") == "* SEARCH 1 3");
    CHECK(mb.search("SEARCH KEYWORD $Forwarded") == "* SEARCH");
    CHECK(mb.c.cmd("SEARCH CHARSET KOI8-R ALL").find("NO [BADCHARSET (UTF-8 US-ASCII)]") != std::string::npos);
    std::string deep = "SEARCH";
    for (int i = 0; i < 40; ++i) deep += " NOT";
    CHECK(mb.c.cmd(deep + " ALL").find(" BAD ") != std::string::npos);
    CHECK(mb.c.cmd("SEARCH FROM").find(" BAD ") != std::string::npos);
}

// ---- FETCH in slices (fetchSlice, as `mailsim serve` answers) ------------------------------------------------------

namespace {

constexpr int kBulk = 120;

// A host whose INBOX holds kBulk small messages; `slice` 0 answers a FETCH whole.
struct BulkHost {
    ImapHost host;
    explicit BulkHost(std::size_t slice) {
        host.ctx.config.fetchSlice = slice;
        for (int i = 1; i <= kBulk; ++i)
            host.deliver("From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: message " + std::to_string(i) +
                         "\r\n\r\nbody " + std::to_string(i) + "\r\n");
    }
};

// The session's slices until it has nothing more to make (bounded); `count` receives how many produce() calls it took.
std::string drain(ImapConn& c, int& count) {
    std::string out;
    for (count = 0; c.session->producing() && count < 100'000; ++count) {
        c.session->produce(c.now);
        out += c.session->takeOutput();
    }
    return out;
}

// The lines the trace recorded for `sid`, as "C: text" / "S: text".
std::vector<std::string> tracedLines(const trace::Trace& t, trace::SessionId sid) {
    std::vector<std::string> out;
    for (const auto& e : t.events())
        if (e.kind == trace::EventKind::Line && e.session == sid)
            out.push_back((e.direction == trace::Direction::ClientToServer ? "C: " : "S: ") + e.text);
    return out;
}

}  // namespace

TEST_CASE("imap FETCH in slices: the same bytes and trace as whole, pipelined commands after it", "[imap][fetch]") {
    BulkHost whole(0), sliced(1500);
    ImapConn w(whole.host), s(sliced.host);
    for (ImapConn* c : {&w, &s}) {
        c->login();
        c->ok("SELECT INBOX");
    }
    // Two FETCHes (the second sets \Seen on every message) and a NOOP, pipelined in one packet.
    const std::string pipelined = "f1 FETCH 1:* (FLAGS ENVELOPE RFC822.SIZE)\r\nf2 FETCH 1:* (BODY[TEXT])\r\nf3 NOOP\r\n";
    const std::string expected = w.raw(pipelined);
    REQUIRE_FALSE(w.session->producing());
    REQUIRE(expected.ends_with("f3 OK NOOP completed\r\n"));

    std::string got = s.raw(pipelined);
    CHECK(s.session->producing());
    CHECK(got.size() >= 1500);
    CHECK(got.find("* 1 FETCH") == 0);
    CHECK(got.find("f1 OK") == std::string::npos);  // the first slice is not the whole answer
    int produced = 0;
    got += drain(s, produced);
    CHECK_FALSE(s.session->producing());
    CHECK(produced > 10);
    CHECK(got == expected);
    CHECK(tracedLines(sliced.host.trace, s.sid) == tracedLines(whole.host.trace, w.sid));
    for (const auto& m : sliced.host.memory.list("rose@cesoo.com", "INBOX")) CHECK(m.flags == store::kSeen);
    CHECK(s.ok("NOOP").ends_with("OK NOOP completed\r\n"));  // input is read again

    // A message expunged by another session between two slices is left out: NO [EXPUNGEISSUED] (RFC 2180 4.1.2).
    std::string partial = s.raw("f4 FETCH 1:* (FLAGS)\r\n");
    REQUIRE(s.session->producing());
    REQUIRE(sliced.host.ctx.store->remove("rose@cesoo.com", "INBOX", kBulk));
    partial += drain(s, produced);
    CHECK(partial.find("* " + std::to_string(kBulk - 1) + " FETCH") != std::string::npos);
    CHECK(partial.find("* " + std::to_string(kBulk) + " FETCH") == std::string::npos);
    CHECK(partial.find("f4 NO [EXPUNGEISSUED]") != std::string::npos);
}

TEST_CASE("imap FETCH in slices: a session that ends meanwhile stops producing", "[imap][fetch]") {
    BulkHost sliced(500);
    ImapConn c(sliced.host);  // Catch2 runs this part again for each SECTION
    c.login();
    c.ok("SELECT INBOX");
    c.raw("f1 FETCH 1:* (FLAGS ENVELOPE)\r\nf2 NOOP\r\n");
    REQUIRE(c.session->producing());
    SECTION("the client goes away") {
        c.session->connectionLost(c.now);
        CHECK_FALSE(c.session->producing());
        CHECK(c.session->closed());
        c.session->produce(c.now);  // harmless
        CHECK(c.session->takeOutput().empty());
    }
    SECTION("the server shuts down: BYE after the slices sent, nothing more") {
        c.session->shutdown(c.now);
        const std::string out = c.session->takeOutput();
        CHECK(out.starts_with("* BYE "));
        CHECK_FALSE(c.session->producing());
        CHECK(c.session->closed());
    }
}
