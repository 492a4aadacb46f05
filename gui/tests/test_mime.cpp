// gui_viewmodel, continued: the message inspector's MIME model (MimeView, over engine/message).
#include "MimeView.hpp"
#include "ViewModel.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mailsim;
using namespace mailsim::gui;

namespace {

sim::RunResult runScenario(const char* name) {
    auto r = sim::runScenarioFile(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name);
    REQUIRE(r.has_value());
    return std::move(*r);
}

}  // namespace

TEST_CASE("MIME inspector: Chinese subject, name, body and file name are decoded; the tree has every part") {
    const auto r = runScenario("mime-attachment-chinese-subject.yaml");
    const ViewModel v(r);
    REQUIRE(v.mailboxes().messages().size() == 1);
    const MimeInspection m = inspectMessage(reassembleMessage(r.trace, v.mailboxes().message(0)));
    CHECK(m.problems.empty());
    CHECK(m.subject == "会议纪要");
    CHECK(m.from.find("迈克") != std::string::npos);
    CHECK(m.from.find("<mike@cesoo.com>") != std::string::npos);
    CHECK(m.to == "rose@cesoo.com");
    bool subjectEncoded = false;
    for (const MimeHeaderRow& h : m.headers)
        if (h.name == "Subject") subjectEncoded = h.encoded && h.raw.find("=?UTF-8?B?") != std::string::npos;
    CHECK(subjectEncoded);

    REQUIRE(m.parts.size() == 4);
    CHECK(m.parts[0].mimeType == "multipart/mixed");
    CHECK(m.parts[0].multipart);
    CHECK_FALSE(m.parts[0].boundary.empty());
    CHECK(m.parts[0].depth == 0);
    // The body: UTF-8 text in base64.
    const MimePartView& body = m.parts[1];
    CHECK(body.depth == 1);
    CHECK(body.text);
    CHECK(body.charset == "utf-8");
    CHECK(body.encoding == "base64");
    CHECK(body.content.find("附件是今天会议的纪要") != std::string::npos);
    CHECK(body.decodedSize < body.wireSize);
    // The text attachment with an RFC 2231 file name.
    const MimePartView& report = m.parts[2];
    CHECK(report.filename == "报告.txt");
    CHECK(report.attachment);
    CHECK(report.content.find("下次会议") != std::string::npos);
    CHECK(report.label.find("报告.txt") != std::string::npos);
    // The binary attachment: a hex dump of the decoded octets (a PNG signature).
    const MimePartView& logo = m.parts[3];
    CHECK(logo.mimeType == "image/png");
    CHECK(logo.filename == "logo.png");
    CHECK_FALSE(logo.text);
    CHECK(logo.decodedSize == 16);
    REQUIRE(logo.hex.size() == 1);
    CHECK(logo.hex[0].starts_with("0000  89 50 4e 47"));
    CHECK(logo.hex[0].find("|.PNG") != std::string::npos);
    REQUIRE(logo.hexNarrow.size() == 2);
    CHECK(logo.hexNarrow[0] == "0000  89 50 4e 47  0d 0a 1a 0a  |.PNG....|");
    CHECK(m.firstShownPart() == 1);
    CHECK(m.raw.find("Content-Type: multipart/mixed;") != std::string::npos);
    // Everything the inspector can show goes into the font atlas.
    const std::string glyphs = m.glyphText();
    for (const char* s : {"会议纪要", "迈克", "报告", "附件", "周五"}) CHECK(glyphs.find(s) != std::string::npos);
}

TEST_CASE("MIME inspector: hex dump layout, sizes, and malformed input degrades instead of failing") {
    const auto lines = hexDump(std::string_view("Hello, world!\r\n\x01\xff", 17));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "0000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0d 0a 01  |Hello, world!...|");
    CHECK(lines[1].starts_with("0010  ff "));
    CHECK(lines[1].ends_with("|.|"));
    CHECK(formatSize(87) == "87 B");
    CHECK(formatSize(2048) == "2.0 KiB");

    const MimeInspection plain = inspectMessage("Subject: plain\r\n\r\nhello\r\n");
    REQUIRE(plain.parts.size() == 1);
    CHECK(plain.parts[0].text);
    CHECK(plain.parts[0].content == "hello\r\n");
    CHECK(plain.headers.size() == 1);

    const MimeInspection broken = inspectMessage(
        "Content-Type: multipart/mixed; boundary=nowhere\r\n\r\nno boundary ever appears\r\n");
    REQUIRE_FALSE(broken.parts.empty());
    CHECK_FALSE(broken.problems.empty());
    CHECK(inspectMessage("").parts.size() == 1);
}

