// The MIME scenario end to end: the message the server received (reassembled from the trace's DATA lines) is read
// back with the engine's own MIME parser, and what Mike's user agent meant to send is what arrives.
#include "sim/world/Api.hpp"
#include "sim/scenario/Scenario.hpp"
#include "message/ImapStructure.hpp"
#include "message/MimeBuilder.hpp"
#include "message/MimeMessage.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

using namespace mailsim;

namespace {

const std::string kFile = std::string(MAILSIM_SOURCE_DIR) + "/scenarios/mime-attachment-chinese-subject.yaml";

// The content of the first message in the trace, as the server received it: the client's Data lines up to the
// final ".", with dot-stuffing undone (RFC 5321 4.5.2) and CRLF line ends.
std::string receivedContent(const trace::Trace& trace) {
    std::string content;
    for (const auto& e : trace.events()) {
        if (e.kind != trace::EventKind::Line || e.role != trace::LineRole::Data ||
            e.direction != trace::Direction::ClientToServer)
            continue;
        if (e.text == ".") break;
        std::string_view line = e.text;
        if (line.starts_with('.')) line.remove_prefix(1);
        content += line;
        content += "\r\n";
    }
    return content;
}

}  // namespace

TEST_CASE("the MIME scenario's message decodes back to what was sent", "[scenario][mime]") {
    std::ifstream in(kFile, std::ios::binary);
    REQUIRE(in);
    std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto sc = sim::loadScenario(yaml, kFile);
    REQUIRE(sc.has_value());
    const sim::MailSpec* sent = nullptr;
    for (const auto& step : sc->steps)
        if (auto* mua = std::get_if<sim::MuaSendStep>(&step.what)) sent = &mua->messages.at(0);
    REQUIRE(sent);
    REQUIRE(sent->attachments.size() == 2);

    auto result = sim::runScenarioFile(kFile);
    REQUIRE(result.has_value());
    CHECK(result->ok());
    std::string content = receivedContent(result->trace);
    REQUIRE_FALSE(content.empty());
    // Everything on the wire is 7-bit: MIME made the Chinese text travel as ASCII.
    for (unsigned char c : content) CHECK(c < 0x80);

    auto m = message::Message::parse(content);
    for (const auto& p : m.problems()) UNSCOPED_INFO(p);
    CHECK_FALSE(m.degraded());
    CHECK(m.subject() == "会议纪要");
    auto from = m.addresses("From").mailboxes();
    REQUIRE(from.size() == 1);
    CHECK(from[0].displayName() == "迈克");
    CHECK(from[0].address() == "mike@cesoo.com");
    REQUIRE(m.date());
    CHECK(*m.date() == sc->start);

    const auto& root = m.root();
    REQUIRE(root.kind == message::MimePart::Kind::Multipart);
    CHECK(root.contentType.mimeType() == "multipart/mixed");
    REQUIRE(root.children.size() == 3);
    const auto& text = root.children[0];
    CHECK(text.contentType.mimeType() == "text/plain");
    CHECK(text.charset() == "utf-8");
    CHECK_FALSE(text.isAttachment());
    CHECK(m.text(text) == message::canonicalLineEnds(sent->body));

    const auto& report = root.children[1];
    CHECK(report.isAttachment());
    CHECK(report.filename() == "报告.txt");
    CHECK(report.filename() == sent->attachments[0].name);
    CHECK(m.decodedBody(report) == message::canonicalLineEnds(sent->attachments[0].bytes));

    const auto& logo = root.children[2];
    CHECK(logo.isAttachment());
    CHECK(logo.contentType.mimeType() == "image/png");
    CHECK(logo.filename() == "logo.png");
    CHECK(m.decodedBody(logo) == sent->attachments[1].bytes);
    CHECK(logo.encoding() == message::TransferEncoding::Base64);

    // The IMAP view of the same message (what a later IMAP FETCH BODYSTRUCTURE will send).
    std::string bs = message::imapBodyStructure(m);
    CHECK(bs.find("(\"ATTACHMENT\" (\"FILENAME*\" \"utf-8''%E6%8A%A5%E5%91%8A.txt\"))") != std::string::npos);
    CHECK(bs.find("\"MIXED\" (\"BOUNDARY\" ") != std::string::npos);
}

TEST_CASE("the loader checks attachments", "[scenario][mime][loader]") {
    const std::string head = R"(title: t
hosts:
  - { name: mail, domains: [x.org], services: [smtp], users: [{ name: a }, { name: b }] }
  - name: pc
steps:
  - mua:
      action: send
      from: pc
      server: mail
      sender: a@x.org
      to: [b@x.org]
      subject: s
      body: b
)";
    auto problems = [&](const std::string& tail) {
        std::string all;
        auto sc = sim::loadScenario(head + tail, "t.yaml");
        if (!sc)
            for (const auto& d : sc.error()) all += d.format(mailsim::i18n::Lang::En) + "\n";
        return all;
    };
    CHECK(problems("      attachments: [{ name: a.txt, text: hi }]\n").empty());
    CHECK(problems("      attachments: [{ name: a.bin, base64: \"AAEC\", content_type: application/pdf }]\n").empty());
    CHECK_THAT(problems("      attachments: [{ nmae: a.txt, text: hi }]\n"),
               Catch::Contains("unknown key 'nmae' in an attachment (did you mean 'name'?)"));
    CHECK_THAT(problems("      attachments: [{ name: a.txt, text: hi, base64: AAAA }]\n"),
               Catch::Contains("exactly one of 'text'"));
    CHECK_THAT(problems("      attachments: [{ name: a.bin, base64: \"not base64!\" }]\n"),
               Catch::Contains("outside the base64 alphabet"));
    CHECK_THAT(problems("      attachments: [{ name: a.txt, text: hi, content_type: nonsense }]\n"),
               Catch::Contains("is not a MIME type"));
    CHECK_THAT(problems("      attachment: [{ name: a.txt, text: hi }]\n"),
               Catch::Contains("did you mean 'attachments'?"));
    CHECK_THAT(problems("      attachments: { name: a.txt }\n"), Catch::Contains("attachments must be a list"));
    CHECK(problems("      html: \"<b>hi</b>\"\n      attachments: [{ name: a.txt, text: hi }]\n").empty());
}
