// The MIME tree (engine/message/MimeMessage.*): nested multiparts, message/rfc822, decoding on demand, malformed
// input degrading to literal text, the nesting and header caps, and stability on every prefix of a message.
#include "message/MimeMessage.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace mailsim::message;

namespace {

const std::string kNested =
    "From: =?GBK?B?wO7D9w==?= <liming@example.cn>\r\n"
    "To: Rose <rose@cesoo.com>\r\n"
    "Subject: =?gb2312?B?1tDOxA==?=\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed;\r\n"
    " boundary=\"outer\"\r\n"
    "\r\n"
    "preamble, ignored\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "=E4=B8=AD=E6=96=87 soft=\r\n"
    "break\r\n"
    "--inner\r\n"
    "Content-Type: text/html; charset=gbk\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "PGI+1tDOxDwvYj4=\r\n"
    "--inner--\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: jack@cesoo.com\r\n"
    "Subject: inner message\r\n"
    "Content-Type: multipart/mixed; boundary=deep\r\n"
    "\r\n"
    "--deep\r\n"
    "\r\n"
    "default text/plain\r\n"
    "--deep--\r\n"
    "--outer\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Content-Disposition: attachment; filename*=utf-8''%E4%B8%AD.bin\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "AAEC/w\r\n"
    "--outer--\r\n"
    "epilogue\r\n";

// Parse results compared field by field (what a reader of the tree relies on).
std::string shape(const Message& m, const MimePart& p) {
    std::string s = p.contentType.mimeType() + "[" + std::to_string(p.body.offset) + "+" + std::to_string(p.body.length) + "]";
    if (!p.children.empty()) {
        s += "(";
        for (const auto& c : p.children) s += shape(m, c) + ",";
        s += ")";
    }
    return s;
}

}  // namespace

TEST_CASE("nested multiparts and message/rfc822 form the expected tree", "[message][mime]") {
    Message m = Message::parse(kNested);
    CHECK_FALSE(m.degraded());
    for (const auto& p : m.problems()) INFO(p);
    CHECK(m.subject() == "中文");
    REQUIRE(m.addresses("From").mailboxes().size() == 1);
    CHECK(m.addresses("From").mailboxes()[0].displayName() == "李明");
    const MimePart& root = m.root();
    CHECK(root.kind == MimePart::Kind::Multipart);
    REQUIRE(root.children.size() == 3);
    const MimePart& alt = root.children[0];
    CHECK(alt.contentType.mimeType() == "multipart/alternative");
    REQUIRE(alt.children.size() == 2);
    CHECK(m.text(alt.children[0]) == "中文 softbreak");
    CHECK(m.bytes(alt.children[0].body) == "=E4=B8=AD=E6=96=87 soft=\r\nbreak");
    CHECK(alt.children[0].lines == 2);
    CHECK(m.text(alt.children[1]) == "<b>中文</b>");
    const MimePart& embedded = root.children[1];
    CHECK(embedded.kind == MimePart::Kind::Message);
    REQUIRE(embedded.children.size() == 1);
    const MimePart& inner = embedded.children[0];
    CHECK(inner.headerValue("Subject") == "inner message");
    REQUIRE(inner.children.size() == 1);
    CHECK(inner.children[0].contentType.mimeType() == "text/plain");
    CHECK(m.text(inner.children[0]) == "default text/plain");
    CHECK(inner.depth == 2);
    const MimePart& attachment = root.children[2];
    CHECK(attachment.isAttachment());
    CHECK(attachment.filename() == "中.bin");
    CHECK(m.decodedBody(attachment) == std::string("\x00\x01\x02\xff", 4));
    CHECK(m.parts().size() == 8);
    // Header fields keep their place in the raw bytes.
    const HeaderField* ct = root.field("content-type");
    REQUIRE(ct);
    CHECK(ct->value == "multipart/mixed; boundary=\"outer\"");
    CHECK(m.bytes(ct->range) == "Content-Type: multipart/mixed;\r\n boundary=\"outer\"\r\n");
}

TEST_CASE("decodeBody streams in chunks with the same result", "[message][mime]") {
    Message m = Message::parse(kNested);
    for (const MimePart* p : m.parts()) {
        std::string whole = m.decodedBody(*p);
        for (std::size_t chunk : {1u, 2u, 3u, 5u, 64u}) {
            std::string pieces;
            std::size_t calls = 0;
            m.decodeBody(*p, [&](std::string_view s) { pieces += s; ++calls; }, chunk);
            CHECK(pieces == whole);
        }
    }
}

TEST_CASE("every prefix of a message parses, and the whole parses the same each time", "[message][mime][prefix]") {
    const std::string first = shape(Message::parse(kNested), Message::parse(kNested).root());
    for (std::size_t n = 0; n <= kNested.size(); ++n) {
        Message m = Message::parse(kNested.substr(0, n));
        for (const MimePart* p : m.parts()) {
            CHECK(p->whole.end() <= n);
            (void)m.decodedBody(*p);
            (void)m.text(*p);
            (void)p->filename();
        }
        (void)m.subject();
    }
    CHECK(shape(Message::parse(kNested), Message::parse(kNested).root()) == first);
    // Line ends given as bare LF give the same tree shape (types and counts).
    std::string lf;
    for (char c : kNested)
        if (c != '\r') lf += c;
    Message l = Message::parse(lf);
    CHECK_FALSE(l.degraded());
    CHECK(l.parts().size() == 8);
    CHECK(l.text(l.root().children[0].children[0]) == "中文 softbreak");
}

TEST_CASE("malformed structure degrades to literal text and says so", "[message][mime][malformed]") {
    SECTION("a boundary that never occurs") {
        Message m = Message::parse("Content-Type: multipart/mixed; boundary=xyz\r\n\r\nJust text.\r\n");
        CHECK(m.degraded());
        CHECK(m.root().kind == MimePart::Kind::Leaf);
        CHECK(m.root().contentType.mimeType() == "text/plain");
        CHECK(m.text(m.root()) == "Just text.\r\n");
    }
    SECTION("no boundary parameter") {
        Message m = Message::parse("Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nbody\r\n--x--\r\n");
        CHECK(m.degraded());
        CHECK(m.root().kind == MimePart::Kind::Leaf);
    }
    SECTION("an unterminated multipart: the last part runs to the end") {
        Message m = Message::parse("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\nthree");
        CHECK(m.degraded());
        REQUIRE(m.root().children.size() == 2);
        CHECK(m.text(m.root().children[1]) == "two\r\nthree");
    }
    SECTION("an inner multipart without its close cannot swallow the outer boundary") {
        Message m = Message::parse("Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: multipart/mixed; "
                                   "boundary=i\r\n\r\n--i\r\n\r\ninner\r\n--o\r\n\r\nsecond\r\n--o--\r\n");
        REQUIRE(m.root().children.size() == 2);
        CHECK(m.text(m.root().children[1]) == "second");
        CHECK(m.text(m.root().children[0].children.at(0)) == "inner");
    }
    SECTION("a header line without a colon starts the body") {
        Message m = Message::parse("Subject: hi\r\nthis is not a header\r\nFrom: x@y\r\n\r\nbody");
        CHECK(m.degraded());
        CHECK(m.root().headers.size() == 1);
        CHECK(m.bytes(m.root().body) == "this is not a header\r\nFrom: x@y\r\n\r\nbody");
    }
    SECTION("8-bit garbage in headers and body") {
        std::string junk = "Subject: \xff\xfe\x80 caf\xe9\r\nContent-Type: text/plain; charset=\xff\r\n\r\n\xff\x00\xc3";
        junk[junk.size() - 2] = '\0';
        Message m = Message::parse(junk);
        CHECK(m.subject() == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD caf\xEF\xBF\xBD");
        CHECK(m.text(m.root()).size() > 0);
    }
    SECTION("a header with no body, an empty message") {
        CHECK(Message::parse("Subject: only").root().body.length == 0);
        CHECK(Message::parse("").parts().size() == 1);
        CHECK(Message::parse("\r\n").root().headers.empty());
    }
    SECTION("multipart with a base64 encoding stays one part") {
        Message m = Message::parse("Content-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: base64\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n");
        CHECK(m.degraded());
        CHECK(m.root().kind == MimePart::Kind::Leaf);
    }
}

TEST_CASE("a 10000-deep nesting attempt is cut at kMaxMimeDepth", "[message][mime][limits]") {
    // CVE-2020-12100: deeply nested MIME parts made Dovecot's parser exhaust the stack / CPU.
    constexpr int kDepth = 10000;
    std::string multi, rfc822;
    for (int i = 0; i < kDepth; ++i) multi += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
    multi += "\r\ninnermost\r\n";
    for (int i = 0; i < kDepth; ++i) rfc822 += "Subject: level " + std::to_string(i) + "\r\nContent-Type: message/rfc822\r\n\r\n";
    rfc822 += "innermost\r\n";
    for (const std::string& raw : {multi, rfc822}) {
        Message m = Message::parse(raw);
        CHECK(m.degraded());
        int depth = 0;
        for (const MimePart* p : m.parts()) depth = std::max(depth, p->depth);
        CHECK(depth == kMaxMimeDepth);
        CHECK(m.parts().size() <= static_cast<std::size_t>(kMaxMimeDepth) + 1);
    }
}

TEST_CASE("100000 To: headers are capped at kMaxHeaderFields", "[message][mime][limits]") {
    // CVE-2024-23184: many address headers cost Dovecot quadratic time.
    std::string raw;
    for (int i = 0; i < 100000; ++i) raw += "To: user" + std::to_string(i) + "@example.org\r\n";
    raw += "Subject: many\r\n\r\nbody\r\n";
    Message m = Message::parse(raw);
    CHECK(m.degraded());
    CHECK(m.root().headers.size() == kMaxHeaderFields);
    CHECK(m.bytes(m.root().body) == "body\r\n");
    CHECK(m.addresses("To").mailboxes().size() == 1);
}

TEST_CASE("random chunks of real messages never break the parser", "[message][mime][random]") {
    std::mt19937 rng(7);
    for (int round = 0; round < 300; ++round) {
        std::string raw = kNested;
        int edits = std::uniform_int_distribution<int>(1, 8)(rng);
        for (int e = 0; e < edits; ++e) {
            std::size_t at = std::uniform_int_distribution<std::size_t>(0, raw.size() - 1)(rng);
            int kind = std::uniform_int_distribution<int>(0, 2)(rng);
            if (kind == 0) raw.erase(at, std::uniform_int_distribution<std::size_t>(1, 40)(rng));
            else if (kind == 1) raw.insert(at, raw.substr(std::uniform_int_distribution<std::size_t>(0, raw.size() - 1)(rng), 30));
            else raw[at] = static_cast<char>(rng());
            if (raw.empty()) raw = "x";
        }
        Message m = Message::parse(raw);
        for (const MimePart* p : m.parts()) {
            CHECK(p->whole.end() <= raw.size());
            CHECK(p->body.offset >= p->whole.offset);
            (void)m.text(*p);
        }
    }
}
