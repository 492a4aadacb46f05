// IMAP syntax: framing with literals (whole, byte by byte, random chunks), limits, tokens, sequence sets, modified
// UTF-7 mailbox names, LIST wildcards, dates.
#include "imap/ImapMessageView.hpp"
#include "imap/ImapSyntax.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace mailsim::imap;

namespace {

std::vector<std::string> frame(const std::vector<std::string>& chunks, std::vector<ReaderEvent::Kind>* kinds = nullptr) {
    CommandReader r(1000, 100, 2000, 1000);
    std::vector<std::string> out;
    for (const auto& c : chunks) {
        r.append(c);
        while (auto ev = r.next()) {
            if (kinds) kinds->push_back(ev->kind);
            if (ev->kind == ReaderEvent::Kind::Command) out.push_back(ev->text);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("imap reader: the same commands whole, byte by byte and in random chunks", "[imap][syntax]") {
    std::string stream = std::string("a1 LOGIN rose rose123\r\na2 APPEND INBOX (\\Seen) {11}\r\nHello\r\nWorld\r\n") +
             std::string("a3 APPEND INBOX {5+}\r\nab\0cd\r\n", 29) + "a4 LOGIN {4+}\r\nrose {7}\r\nrose123\r\na5 NOOP\n";
    std::vector<ReaderEvent::Kind> kinds;
    auto whole = frame({stream}, &kinds);
    REQUIRE(whole.size() == 5);
    CHECK(whole[0] == "a1 LOGIN rose rose123");
    CHECK(whole[1] == "a2 APPEND INBOX (\\Seen) {11}\r\nHello\r\nWorld");
    CHECK(whole[2] == std::string("a3 APPEND INBOX {5+}\r\nab\0cd", 27));
    CHECK(whole[4] == "a5 NOOP");
    // Synchronising literals ask for a continuation; LITERAL+ ones do not (RFC 7888).
    CHECK(std::ranges::count(kinds, ReaderEvent::Kind::NeedContinuation) == 2);
    std::vector<std::string> bytes;
    for (char c : stream) bytes.emplace_back(1, c);
    CHECK(frame(bytes) == whole);
    std::mt19937 rng(42);
    for (int round = 0; round < 50; ++round) {
        std::vector<std::string> chunks;
        for (std::size_t i = 0; i < stream.size();) {
            std::size_t n = std::uniform_int_distribution<std::size_t>(1, 9)(rng);
            chunks.push_back(stream.substr(i, n));
            i += n;
        }
        CHECK(frame(chunks) == whole);
    }
    auto tokens = tokenize(whole[3].substr(whole[3].find(' ', 3) + 1));
    REQUIRE_FALSE(tokens.error);
    REQUIRE(tokens.tokens.size() == 2);
    CHECK(tokens.tokens[0].literal);
    CHECK(tokens.tokens[1].text == "rose123");
}

TEST_CASE("imap reader: literal limits are enforced before the continuation and without storing", "[imap][syntax]") {
    CommandReader r(1000, 100, 2000, 1000);
    r.append("a1 APPEND INBOX {101}\r\n");
    auto ev = r.next();
    REQUIRE(ev);
    CHECK(ev->kind == ReaderEvent::Kind::LiteralTooBig);
    CHECK(ev->literalSize == 101);
    CHECK(r.buffered() == 0);
    // A refused LITERAL+ literal is skipped (counted, not kept), then reading goes on.
    r.append("a2 APPEND INBOX {150+}\r\n");
    auto refused = r.next();
    REQUIRE(refused);
    CHECK(refused->kind == ReaderEvent::Kind::LiteralTooBig);
    r.append(std::string(150, 'x') + "\r\na3 NOOP\r\n");
    auto n = r.next();
    REQUIRE(n);
    CHECK(n->text == "a3 NOOP");
    // Absurd sizes never overflow.
    r.append("a4 APPEND INBOX {99999999999999999999999}\r\n");
    CHECK(r.next()->kind == ReaderEvent::Kind::LiteralTooBig);
    r.append("a5 APPEND INBOX {5000+}\r\n");
    CHECK(r.next()->kind == ReaderEvent::Kind::SkipTooBig);
}

TEST_CASE("imap reader: a line longer than the limit is discarded as it arrives", "[imap][syntax]") {
    CommandReader r(100, 100, 2000, 1000);
    r.append("a1 NOOP " + std::string(5000, 'x'));
    CHECK_FALSE(r.next());
    CHECK(r.buffered() <= 200);
    r.append("\r\na2 NOOP\r\n");
    auto ev = r.next();
    REQUIRE(ev);
    CHECK(ev->kind == ReaderEvent::Kind::LineTooLong);
    CHECK(ev->firstLine.starts_with("a1 NOOP"));
    CHECK(r.next()->text == "a2 NOOP");
}

TEST_CASE("imap tokens: atoms, quoted strings, lists, fetch attributes, nesting cap", "[imap][syntax]") {
    auto t = tokenize(R"(1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From To)]<0.100>) "a \"q\" \\ b" NIL)");
    REQUIRE_FALSE(t.error);
    REQUIRE(t.tokens.size() == 4);
    CHECK(t.tokens[1].kind == Token::Kind::List);
    CHECK(t.tokens[1].children[1].text == "BODY.PEEK[HEADER.FIELDS (From To)]<0.100>");
    CHECK(t.tokens[2].text == "a \"q\" \\ b");
    CHECK(t.tokens[3].isNil());
    std::string deep(kMaxNesting, '(');
    deep += "x" + std::string(kMaxNesting, ')');
    CHECK_FALSE(tokenize(deep).error);
    CHECK(tokenize("(" + deep + ")").error);
    CHECK(tokenize("\"unterminated").error);
    CHECK(tokenize("(a b").error);
    CHECK(tokenize("a  b").error);
}

TEST_CASE("imap sequence sets", "[imap][syntax]") {
    auto s = parseSequenceSet("1,3:5,9:*");
    REQUIRE(s);
    CHECK(inSequenceSet(*s, 1, 20));
    CHECK_FALSE(inSequenceSet(*s, 2, 20));
    CHECK(inSequenceSet(*s, 4, 20));
    CHECK(inSequenceSet(*s, 20, 20));
    auto rev = parseSequenceSet("5:3");
    REQUIRE(rev);
    CHECK(inSequenceSet(*rev, 4, 10));
    CHECK(inSequenceSet(*parseSequenceSet("*"), 7, 7));
    CHECK_FALSE(inSequenceSet(*parseSequenceSet("*:5"), 4, 7));
    CHECK_FALSE(parseSequenceSet("0"));
    CHECK_FALSE(parseSequenceSet("1,,2"));
    CHECK_FALSE(parseSequenceSet("a"));
    CHECK_FALSE(parseSequenceSet("99999999999"));
    CHECK(formatSequenceSet({1, 2, 3, 7, 9, 10}) == "1:3,7,9:10");
}

TEST_CASE("imap mailbox names: modified UTF-7 round trips; names that could escape are refused", "[imap][syntax]") {
    // RFC 3501 5.1.3's example.
    CHECK(decodeMailboxName("~peter/mail/&U,BTFw-/&ZeVnLIqe-") == std::optional<std::string>("~peter/mail/台北/日本語"));
    CHECK(encodeMailboxName("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    for (std::string name : {"已发送", "工作/项目 2024", "Tom & Jerry", "emoji 😀", "中"}) {
        INFO(name);
        auto wire = encodeMailboxName(name);
        CHECK(std::ranges::all_of(wire, [](char c) { return c >= 0x20 && c < 0x7f; }));
        CHECK(decodeMailboxName(wire) == std::optional<std::string>(name));
        CHECK_FALSE(mailboxNameProblem(wire));
    }
    CHECK_FALSE(decodeMailboxName("&Jjo"));     // unterminated
    CHECK_FALSE(decodeMailboxName("&AGE-"));    // "a" encoded: not canonical
    CHECK_FALSE(decodeMailboxName("&U,BTFw"));  // no '-'
    for (std::string bad : std::vector<std::string>{"", "/etc", "a//b", "a/", "../x", "a/../b", "~rose", "a.b", std::string("a\0b", 3), "a*",
                            "caf\xc3\xa9"})
        CHECK(mailboxNameProblem(bad));
    CHECK(normaliseMailboxName("inbox") == "INBOX");
    CHECK(normaliseMailboxName("Inbox/Sub") == "INBOX/Sub");
}

TEST_CASE("imap LIST wildcards: * crosses levels, % does not", "[imap][syntax]") {
    CHECK(listMatch("*", "a/b/c"));
    CHECK(listMatch("%", "a"));
    CHECK_FALSE(listMatch("%", "a/b"));
    CHECK(listMatch("a/%", "a/b"));
    CHECK_FALSE(listMatch("a/%", "a/b/c"));
    CHECK(listMatch("a/*", "a/b/c"));
    CHECK(listMatch("*b*", "xxbyy"));
    CHECK_FALSE(listMatch("INBOX", "INBOXX"));
    CHECK(listMatch(std::string(200, '*'), std::string(200, 'a')));  // no exponential backtracking
}

TEST_CASE("imap dates: date-time and search dates", "[imap][syntax]") {
    auto t = parseDateTime("17-Jul-1996 02:44:25 -0700");
    REQUIRE(t);
    CHECK(*t == 837596665LL * 1'000'000);
    CHECK(formatInternalDate(*t) == "17-Jul-1996 09:44:25 +0000");
    CHECK(formatInternalDate(0) == " 1-Jan-1970 00:00:00 +0000");
    CHECK(parseDateTime(" 1-Jan-1970 00:00:00 +0000") == std::optional<std::int64_t>(0));
    CHECK_FALSE(parseDateTime("17-Foo-1996 02:44:25 -0700"));
    CHECK(parseSearchDate("1-Feb-1994") == std::optional<std::int64_t>(8797));
    CHECK_FALSE(parseSearchDate("1-Feb-94"));
}

TEST_CASE("imap sections: parsing", "[imap][syntax]") {
    auto s = parseSection("1.2.HEADER.FIELDS (From Subject)");
    REQUIRE(s);
    CHECK(s->path == std::vector<unsigned>{1, 2});
    CHECK(s->specifier == "HEADER.FIELDS");
    CHECK(s->fields == std::vector<std::string>{"From", "Subject"});
    CHECK(parseSection("")->path.empty());
    CHECK(parseSection("TEXT")->specifier == "TEXT");
    CHECK_FALSE(parseSection("MIME"));  // MIME needs a part
    CHECK_FALSE(parseSection("0"));
    CHECK_FALSE(parseSection("HEADER.FIELDS"));
    CHECK_FALSE(parseSection("BOGUS"));
}
