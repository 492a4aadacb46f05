// Composing MIME (engine/message/MimeBuilder.*): what is built parses back to what was meant.
#include "message/Codecs.hpp"
#include "message/MimeBuilder.hpp"
#include "message/MimeMessage.hpp"

#include <catch2/catch.hpp>

using namespace mailsim::message;

TEST_CASE("text encodings are chosen by content", "[message][builder]") {
    CHECK(chooseTextEncoding("Hello, Rose\r\n") == "7bit");
    CHECK(chooseTextEncoding(std::string(1200, 'x')) == "quoted-printable");  // a line over 998 octets
    CHECK(chooseTextEncoding("Café au lait, s'il vous plaît, with a long English sentence around it.") == "quoted-printable");
    CHECK(chooseTextEncoding("会议纪要") == "base64");
    CHECK(canonicalLineEnds("a\nb\r\nc\rd") == "a\r\nb\r\nc\r\nd");
}

TEST_CASE("a built multipart parses back: types, filenames, decoded bytes", "[message][builder]") {
    std::string binary;
    for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
    const std::string body = "Rose，你好！\n附件是纪要。\n";
    const std::string longName = "二〇二四年三月四日会议纪要与项目进度报告（最终版）.txt";
    auto mixed = multipartEntity("mixed", {multipartEntity("alternative", {textEntity(body), textEntity("<p>你好</p>", "html")}),
                                           attachmentEntity(longName, "text/plain", "纪要\n第一条\n"),
                                           attachmentEntity("data.bin", "", binary)});
    std::string raw = "Subject: " + encodeHeaderText("会议纪要", 9).value() + "\r\nMIME-Version: 1.0\r\n" + mixed.serialize();
    for (unsigned char c : raw) CHECK(c < 0x80);
    Message m = Message::parse(raw);
    for (const auto& p : m.problems()) UNSCOPED_INFO(p);
    CHECK_FALSE(m.degraded());
    CHECK(m.subject() == "会议纪要");
    REQUIRE(m.root().children.size() == 3);
    const MimePart& alt = m.root().children[0];
    REQUIRE(alt.children.size() == 2);
    CHECK(m.text(alt.children[0]) == canonicalLineEnds(body));
    CHECK(m.text(alt.children[1]) == "<p>你好</p>");
    CHECK(m.root().children[1].filename() == longName);
    CHECK(m.text(m.root().children[1]) == "纪要\r\n第一条\r\n");
    CHECK(m.root().children[2].filename() == "data.bin");
    CHECK(m.root().children[2].contentType.mimeType() == "application/octet-stream");
    CHECK(m.decodedBody(m.root().children[2]) == binary);
    // Every line of the built message is within RFC 5322's 78-character recommendation.
    for (std::size_t start = 0; start < raw.size();) {
        std::size_t end = raw.find("\r\n", start);
        if (end == std::string::npos) end = raw.size();
        CHECK(end - start <= 78);
        start = end + 2;
    }
}

TEST_CASE("the boundary never occurs in the parts", "[message][builder]") {
    MimeEntity hostile;
    hostile.addHeader("Content-Type", "text/plain");
    std::vector<std::string> serialized{hostile.serialize()};
    std::string first = chooseBoundary(serialized);
    // A part that contains the boundary the builder would have chosen forces another one.
    hostile.body = "--" + first + "\r\n";
    std::string second = chooseBoundary({hostile.serialize()});
    CHECK(hostile.serialize().find("--" + second) == std::string::npos);
    auto built = multipartEntity("mixed", {hostile});
    Message m = Message::parse(built.serialize());
    REQUIRE(m.root().children.size() == 1);
    CHECK(m.text(m.root().children[0]) == hostile.body);
    CHECK(chooseBoundary(serialized) == first);  // deterministic
}

// Header injection (RFC 5322 2.2): CR or LF in header text would end the field and start another. The builder
// refuses such text instead of writing it (MimeBuilder.hpp's contract); folding (CRLF SP) stays allowed.
TEST_CASE("the builder refuses CR and LF in header text instead of writing extra header lines", "[message][builder]") {
    for (std::string_view bad : {"Hi\r\nBcc: eve@evil.org", "Hi\nX-Injected: 1", "Hi\rX: 1", "\n"}) {
        INFO(bad);
        auto subject = encodeHeaderText(bad, 9);
        REQUIRE_FALSE(subject.has_value());
        CHECK(subject.error().find("header injection") != std::string::npos);
        CHECK_FALSE(encodePhrase(bad, 6).has_value());
        CHECK_FALSE(formatMailbox(bad, "mike@cesoo.com", 6).has_value());
        CHECK_FALSE(formatMailbox("Mike", std::string("mike@cesoo.com") + std::string(bad), 6).has_value());
        CHECK(headerValueError(bad).has_value());
    }
    CHECK(encodeHeaderText("日程\r\nBcc: x", 9).error().find("CR at octet 7") != std::string::npos);
    CHECK_FALSE(headerValueError("plain subject, no line break").has_value());

    MimeEntity e;
    CHECK_FALSE(e.addHeader("Subject", "Hi\r\nBcc: eve@evil.org"));
    CHECK_FALSE(e.addHeader("Subject", "Hi\nBcc: eve@evil.org"));
    CHECK_FALSE(e.addHeader("Subject", "Hi\r\n"));           // CRLF at the end is not folding
    CHECK_FALSE(e.addHeader("Bcc: eve@evil.org\r\nX", "1"));   // the name too
    CHECK_FALSE(e.addHeader("", "1"));
    CHECK_FALSE(e.addHeader("Sub ject", "1"));
    CHECK(e.headers.empty());
    CHECK(e.addHeader("Content-Type", "multipart/mixed;\r\n boundary=\"x\""));  // folding is fine
    CHECK(e.addHeader("X-Tab", "a\r\n\tb"));
    CHECK(e.headers.size() == 2);
    // Whatever the builder wrote has exactly the header lines asked for.
    Message m = Message::parse(e.serialize() + "body");
    CHECK(m.root().headers.size() == 2);
    // A parameter value with CR/LF is percent-encoded (RFC 2231), never written raw.
    CHECK(formatParameter("filename", "a\r\nb.txt").find("a%0D%0Ab.txt") != std::string::npos);
}
