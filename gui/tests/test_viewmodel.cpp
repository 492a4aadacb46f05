// gui_viewmodel: the view model without GL. Folding the trace to the state at the cursor and back, mailboxes at the
// cursor (deliveries appear and disappear when stepping), the sequence diagram's visible-window search and folding,
// the inspector's explanations and the lesson parser.
#include "Explain.hpp"
#include "Lesson.hpp"
#include "ViewModel.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mailsim;
using namespace mailsim::gui;

namespace {

std::string scenario(const char* name) { return std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name; }

sim::RunResult run(const char* name) {
    auto r = sim::runScenarioFile(scenario(name));
    REQUIRE(r.has_value());
    return std::move(*r);
}

// The state of the focus session at row k, folded the slow way: every StateChanged up to k.
std::string foldedState(const sim::RunResult& r, const ViewModel& v, std::size_t k) {
    trace::SessionId s = v.row(k).focus;
    std::string state;
    for (const auto& e : r.trace.events()) {
        if (e.id > v.row(k).event) break;
        if (e.session == s && e.kind == trace::EventKind::StateChanged) state = e.toState;
    }
    return state;
}

std::size_t rowWithText(const ViewModel& v, std::string_view text) {
    for (std::size_t i = 0; i < v.size(); ++i)
        if (v.row(i).text.find(text) != std::string::npos) return i;
    FAIL("no row holds " << text);
    return 0;
}

}  // namespace

TEST_CASE("state at the cursor equals the fold from the start, forwards and backwards") {
    const auto r = run("smtp-persistent-connection.yaml");
    const ViewModel v(r);
    REQUIRE(v.size() > 10);
    auto check = [&](std::size_t k) {
        const Row& row = v.row(k);
        std::string fast = row.stateEvent == trace::kNoCause ? "" : r.trace.at(row.stateEvent).toState;
        CHECK(fast == foldedState(r, v, k));
        std::string logn = v.stateAt(row.focus, k) == trace::kNoCause ? "" : r.trace.at(v.stateAt(row.focus, k)).toState;
        CHECK(logn == fast);
    };
    for (std::size_t k = 0; k < v.size(); ++k) check(k);
    for (std::size_t k = v.size(); k-- > 0;) check(k);
}

TEST_CASE("stepping by state transition visits exactly the state rows") {
    const auto r = run("smtp-textbook.yaml");
    const ViewModel v(r);
    std::vector<std::string> seen;
    for (std::size_t k = 0; (k = v.nextStateRow(k)) != kNoRow;) seen.push_back(r.trace.at(v.row(k).event).toState);
    CHECK(seen == std::vector<std::string>{"INITIAL", "READY", "MAIL", "RCPT", "DATA", "READY", "CLOSED"});
    std::size_t last = v.stateRows().back();
    CHECK(v.previousStateRow(last) == v.stateRows()[v.stateRows().size() - 2]);
    CHECK(v.previousStateRow(v.stateRows().front()) == kNoRow);
    CHECK(v.nextStateRow(v.size() - 1) == kNoRow);
}

TEST_CASE("mailboxes at the cursor: deliveries appear when stepping forward and disappear when stepping back") {
    const auto r = run("smtp-persistent-connection.yaml");
    const ViewModel v(r);
    const MailboxModel& mb = v.mailboxes();
    REQUIRE(!mb.users().empty());
    REQUIRE(mb.users().size() == 2);  // rose gets message 1, jack message 2 (nobody@ was refused)
    const FolderRecord& rose = mb.users()[0].folders.at(0);
    const FolderRecord& jack = mb.users()[1].folders.at(0);
    CHECK(mb.users()[0].name == "rose@cesoo.com");
    CHECK(rose.name == "INBOX");
    REQUIRE(rose.messages.size() == 1);
    REQUIRE(jack.messages.size() == 1);
    const std::size_t first = mb.message(rose.messages[0]).appearedRow;
    const std::size_t second = mb.message(jack.messages[0]).appearedRow;
    REQUIRE(first < second);
    CHECK(mb.countAt(rose, 0) == 0);
    CHECK(mb.countAt(rose, first - 1) == 0);
    CHECK(mb.countAt(rose, first) == 1);
    CHECK(mb.countAt(jack, first) == 0);
    CHECK(mb.countAt(jack, second - 1) == 0);
    CHECK(mb.countAt(jack, second) == 1);
    CHECK(mb.countAt(rose, second) == 1);
    CHECK(mb.countAt(jack, first) == 0);  // back again: the second delivery is undone
    CHECK(mb.countAt(rose, first - 1) == 0);  // and the first
    std::vector<std::size_t> visible;
    mb.visibleAt(rose, v.size() - 1, visible);
    CHECK(visible.size() == 1);
    mb.visibleAt(jack, first, visible);
    CHECK(visible.empty());
    CHECK(reassembleMessage(r.trace, mb.message(jack.messages[0])).find("Subject:") != std::string::npos);
    CHECK(v.row(first).kind == RowKind::Store);
}

TEST_CASE("a removal ends a message's interval") {
    trace::Trace t;
    auto s = t.openSession("pop3", "pc", "mail:110", 0);
    trace::Recorder rec(&t, s);
    rec.storeChanged(1, "rose INBOX uid 1 appended (10 octets)", "", trace::kNoCause);
    rec.storeChanged(2, "rose INBOX uid 2 appended (10 octets)", "", trace::kNoCause);
    rec.storeChanged(3, "rose INBOX uid 1 expunged", "", trace::kNoCause);
    sim::RunResult r;
    r.trace = std::move(t);
    const ViewModel v(r);
    const auto& inbox = v.mailboxes().users().at(0).folders.at(0);
    CHECK(v.mailboxes().countAt(inbox, 0) == 1);
    CHECK(v.mailboxes().countAt(inbox, 1) == 2);
    CHECK(v.mailboxes().countAt(inbox, 2) == 1);
    std::vector<std::size_t> visible;
    v.mailboxes().visibleAt(inbox, 2, visible);
    REQUIRE(visible.size() == 1);
    CHECK(v.mailboxes().message(visible[0]).uid == 2);
    CHECK(parseStoreChange("rose INBOX uid x appended").valid == false);
}

TEST_CASE("the stored message is reassembled from the DATA lines of its session") {
    const auto r = run("smtp-textbook.yaml");
    const ViewModel v(r);
    REQUIRE(v.mailboxes().messages().size() == 1);
    const MessageRecord& m = v.mailboxes().message(0);
    CHECK(m.uid == 1);
    CHECK(reassembleMessage(r.trace, m) == "I love you, Rose\r\n");
}

TEST_CASE("dot-stuffed content lines are unstuffed when reassembled") {
    trace::Trace t;
    auto s = t.openSession("smtp", "pc", "mail:25", 0);
    trace::Recorder rec(&t, s);
    using trace::Direction;
    using trace::LineRole;
    rec.line(0, Direction::ClientToServer, LineRole::Command, "DATA", "DATA\r\n");
    rec.line(0, Direction::ClientToServer, LineRole::Data, "Subject: x", "Subject: x\r\n");
    rec.line(0, Direction::ClientToServer, LineRole::Data, "..", "..\r\n");
    rec.line(0, Direction::ClientToServer, LineRole::Data, ".", ".\r\n");
    rec.storeChanged(0, "rose INBOX uid 7 appended (20 octets)", "", trace::kNoCause);
    sim::RunResult r;
    r.trace = std::move(t);
    const ViewModel v(r);
    REQUIRE(v.mailboxes().messages().size() == 1);
    CHECK(reassembleMessage(r.trace, v.mailboxes().message(0)) == "Subject: x\r\n.\r\n");
    Explanation x = explainEvent(r.trace, r.trace.at(2));
    CHECK(x.heading.find("DATA") != std::string::npos);
    REQUIRE(x.facts.size() == 2);
    CHECK(x.facts[1].value == ".");
}

TEST_CASE("sequence diagram: lanes per endpoint and an item per row") {
    const auto r = run("smtp-textbook.yaml");
    const ViewModel v(r);
    const SequenceModel& seq = v.sequence();
    REQUIRE(seq.lanes().size() == 2);
    CHECK(seq.lanes()[0] == "mike-pc");
    CHECK(seq.lanes()[1] == "mail.cesoo.com");
    REQUIRE(seq.items().size() == v.size());
    const std::size_t helo = rowWithText(v, "C: HELO");
    CHECK(seq.item(helo).kind == SeqItemKind::ClientToServer);
    CHECK(seq.item(helo).from == 0);
    CHECK(seq.item(helo).to == 1);
    CHECK(seq.item(helo + 1).kind != SeqItemKind::ClientToServer);
}

TEST_CASE("sequence diagram: the visible window is found by binary search on either axis") {
    std::vector<double> seconds;
    for (int i = 0; i < 1000; ++i) seconds.push_back(i < 500 ? i * 0.001 : 3600.0 + i * 0.001);  // a one-hour gap
    RowWindow w = visibleWindow(SeqAxis::Index, seconds, 10.0, 20.0);
    CHECK(w.first == 10);
    CHECK(w.last == 20);
    w = visibleWindow(SeqAxis::Index, seconds, -5.0, 2000.0);
    CHECK(w.first == 0);
    CHECK(w.last == 1000);
    w = visibleWindow(SeqAxis::Time, seconds, 0.0105, 0.0205);
    CHECK(w.first == 11);
    CHECK(w.last == 21);
    w = visibleWindow(SeqAxis::Time, seconds, 1.0, 3600.0);  // inside the gap: nothing
    CHECK(w.first == w.last);
    w = visibleWindow(SeqAxis::Time, seconds, 1.0, 3600.6);
    CHECK(w.first == 500);
    CHECK(w.last == 600);
}

TEST_CASE("sequence diagram: items closer than a pixel are folded") {
    std::vector<double> seconds(100000);
    for (std::size_t i = 0; i < seconds.size(); ++i) seconds[i] = static_cast<double>(i) * 0.001;
    std::vector<DrawnItem> out;
    // Index axis, 0.01 px per row: 1000 px show every row, folded 100 to a pixel.
    prepareSequence(SeqAxis::Index, seconds, 0.0, 0.01, 1000.0f, 1.0f, out);
    REQUIRE(out.size() == 1000);
    std::size_t total = 0;
    for (const auto& d : out) total += 1 + d.folded;
    CHECK(total == seconds.size());
    CHECK(out[1].row == 100);
    // Zoomed in: 30 px per row, 300 px tall from row 50: rows 50..59, nothing folded.
    prepareSequence(SeqAxis::Index, seconds, 50.0, 30.0, 300.0f, 1.0f, out);
    REQUIRE(out.size() == 10);
    CHECK(out.front().row == 50);
    CHECK(out.front().folded == 0);
    CHECK(out[1].y == Approx(30.0f));
    // Time axis, 10 px per second over 10 s: 100 rows per second, 10 per pixel.
    prepareSequence(SeqAxis::Time, seconds, 0.0, 10.0, 100.0f, 1.0f, out);
    REQUIRE(out.size() == 100);
    CHECK(out[1].row == 100);  // 1000 rows per second, 100 per pixel
    const std::size_t capacity = out.capacity();
    prepareSequence(SeqAxis::Time, seconds, 5.0, 10.0, 100.0f, 1.0f, out);
    CHECK(out.capacity() == capacity);  // warm: no reallocation
}

TEST_CASE("inspector: commands and replies are explained from the engine's tables") {
    const auto r = run("smtp-textbook.yaml");
    const ViewModel v(r);
    Explanation mail = explainEvent(r.trace, r.trace.at(v.row(rowWithText(v, "C: MAIL FROM")).event));
    CHECK(mail.heading == "Command MAIL");
    bool rfc = false;
    for (const auto& f : mail.facts) rfc = rfc || (f.label == "defined in" && f.value.find("4.1.1.2") != std::string::npos);
    CHECK(rfc);
    Explanation reply = explainEvent(r.trace, r.trace.at(v.row(rowWithText(v, "S: 354")).event));
    CHECK(reply.heading == "Reply 354");
    bool meaning = false;
    for (const auto& f : reply.facts) meaning = meaning || f.label == "RFC 5321 meaning";
    CHECK(meaning);
    CHECK(explainEnhancedCode("5.1.1").find("addressing") != std::string::npos);
    CHECK(explainEnhancedCode("250").empty());
}

TEST_CASE("inspector: base64 in AUTH exchanges is decoded") {
    std::string out;
    REQUIRE(decodeBase64("AHJvc2UAcm9zZTEyMw==", out));
    CHECK(escapeBytes(out) == "\\0rose\\0rose123");
    CHECK_FALSE(decodeBase64("not base64!", out));
    trace::Trace t;
    auto s = t.openSession("smtp", "pc", "mail:25", 0);
    trace::Recorder rec(&t, s);
    rec.line(0, trace::Direction::ClientToServer, trace::LineRole::Command, "AUTH PLAIN AHJvc2UAcm9zZTEyMw==", "");
    rec.line(0, trace::Direction::ServerToClient, trace::LineRole::Reply, "334 VXNlcm5hbWU6", "");
    rec.line(0, trace::Direction::ClientToServer, trace::LineRole::Command, "cm9zZQ==", "");
    Explanation a = explainEvent(t, t.at(0));
    // AUTH is a known command now (RFC 4954): its syntax facts come first, the decoded credentials among them.
    bool decoded = false;
    for (const auto& f : a.facts) decoded = decoded || f.value == "\\0rose\\0rose123";
    CHECK(decoded);
    Explanation c = explainEvent(t, t.at(1));
    CHECK(c.facts.back().value == "Username:");
    Explanation d = explainEvent(t, t.at(2));
    REQUIRE(!d.facts.empty());
    CHECK(d.facts[0].value == "rose");
}

TEST_CASE("lesson: Markdown blocks and spans, Chinese soft breaks, language switch") {
    Lesson l = parseLesson("# Title\n\nSome *em* and **strong** and `code`\nnext line.\n\n- one\n- two\n\n"
                           "1. first\n2. second\n\n```\nHELO x\n```\n\n中文第一行\n第二行\n");
    REQUIRE(l.error.empty());
    REQUIRE(l.blocks.size() == 8);
    CHECK(l.blocks[0].kind == BlockKind::Heading);
    CHECK(l.blocks[0].level == 1);
    CHECK(l.blocks[1].kind == BlockKind::Paragraph);
    REQUIRE(l.blocks[1].spans.size() >= 6);
    CHECK(l.blocks[1].spans[1].text == "em");
    CHECK(l.blocks[1].spans[1].style == kEmphasis);
    CHECK(l.blocks[1].spans[3].style == kStrong);
    CHECK(l.blocks[1].spans[5].style == kCode);
    CHECK(l.blocks[1].spans.back().text == " next line.");
    CHECK(l.blocks[2].kind == BlockKind::ListItem);
    CHECK(l.blocks[2].spans[0].text == "one");
    CHECK(l.blocks[5].marker == "2.");
    CHECK(l.blocks[6].kind == BlockKind::Code);
    CHECK(l.blocks[6].spans[0].text == "HELO x");
    CHECK(l.blocks[7].spans[0].text == "中文第一行第二行");

    const std::string file = scenario("smtp-textbook.yaml");
    const std::string zh = lessonPath(file, "../lessons/en/smtp-textbook.md", Language::Chinese);
    CHECK(zh == std::string(MAILSIM_SOURCE_DIR) + "/lessons/zh/smtp-textbook.md");
    Lesson real = loadLesson(zh);
    CHECK(real.error.empty());
    CHECK(real.blocks.size() > 5);
    CHECK(real.allText().find("教科书") != std::string::npos);
    CHECK(lessonPath(file, "", Language::English).empty());
}

TEST_CASE("lesson: checkpoint links keep their target, and the checkpoint has a row to move the cursor to") {
    Lesson l = parseLesson("See [the dot](checkpoint:message-sent) and [there](smtp-textbook.yaml#greeting) and "
                           "[RFC](https://www.rfc-editor.org/rfc/rfc5321).\n");
    REQUIRE(l.blocks.size() == 1);
    std::vector<std::string> targets;
    for (const auto& s : l.blocks[0].spans)
        if (s.style & kLink) targets.push_back(std::string(checkpointTarget(s.href)));
    CHECK(targets == std::vector<std::string>{"message-sent", "greeting", ""});
    CHECK(checkpointScenario("smtp-textbook.yaml#greeting") == "smtp-textbook.yaml");
    CHECK(checkpointScenario("../scenarios/relay-two-domains.yaml#relayed") == "relay-two-domains.yaml");
    CHECK(checkpointScenario("checkpoint:message-sent").empty());
    CHECK(parseLesson("x").generation != l.generation);  // a reparse is a new lesson for the panel

    const sim::RunResult r = run("smtp-strict-vs-lenient.yaml");
    const ViewModel v(r);
    auto id = sim::findCheckpoint(r.trace, "message-sent");
    REQUIRE(id.has_value());
    auto row = v.rowOfEvent(*id);
    REQUIRE(row.has_value());
    CHECK(v.row(*row).event == *id);
    CHECK(v.row(*row).text == "   == checkpoint: message-sent");
    CHECK(v.row(*row).noteEvent != *id);  // a checkpoint is not narration
}
