// gui_viewmodel: the view model without GL. Folding the trace to the state at the cursor and back, mailboxes at the
// cursor (deliveries appear and disappear when stepping), the sequence diagram's visible-window search and folding,
// the inspector's explanations and the lesson parser.
#include "Explain.hpp"
#include "Lesson.hpp"
#include "ProtocolModel.hpp"
#include "ViewModel.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>

using namespace mailsim;
using namespace mailsim::gui;

namespace {

std::string scenario(const char* name) { return std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name; }

sim::RunResult run(const char* name) {
    auto r = sim::runScenarioFile(scenario(name));
    REQUIRE(r.has_value());
    return std::move(*r);
}

// The state of the focus session at row k, folded the slow way: every StateChanged of the server's machine (or, with
// `client`, of the client's) up to k.
std::string foldedState(const sim::RunResult& r, const ViewModel& v, std::size_t k, bool client = false) {
    trace::SessionId s = v.row(k).focus;
    std::string state;
    for (const auto& e : r.trace.events()) {
        if (e.id > v.row(k).event) break;
        if (e.session == s && e.kind == trace::EventKind::StateChanged && trace::isClientMachine(e.machine) == client)
            state = e.toState;
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
        const trace::EventId client = v.clientStateAt(row.focus, k);
        CHECK((client == trace::kNoCause ? "" : r.trace.at(client).toState) == foldedState(r, v, k, true));
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

TEST_CASE("the client's side: the state panel's client machine moves with the cursor in simulated runs") {
    // The textbook's scripted client (issue #13): stepping row by row, clientStateAt goes through the client's states
    // in its order; its moves are no rows (the transcript and the server's stepping, above, are as before).
    const auto r = run("smtp-textbook.yaml");
    const ViewModel v(r);
    std::vector<std::string> client;
    trace::SessionId session = trace::kNoSession;
    for (std::size_t k = 0; k < v.size(); ++k) {
        const trace::Event& shown = r.trace.at(v.row(k).event);
        CHECK(!(shown.kind == trace::EventKind::StateChanged && trace::isClientMachine(shown.machine)));
        if (v.row(k).focus == trace::kNoSession) continue;
        const trace::EventId id = v.clientStateAt(v.row(k).focus, k);
        if (id == trace::kNoCause) continue;
        const trace::Event& e = r.trace.at(id);
        CHECK(e.machine == "smtp-client");
        CHECK(e.id < v.row(k).event);  // a move already made at this row
        session = v.row(k).focus;
        if (client.empty() || client.back() != e.toState) client.push_back(e.toState);
    }
    CHECK(client == std::vector<std::string>{"HELO", "MAIL", "RCPT", "DATA", "CONTENT", "QUIT", "DONE"});
    for (const auto& name : client) CHECK(clientModel("smtp-client").indexOf(name) >= 0);
    REQUIRE(session != trace::kNoSession);
    CHECK(v.clientStateAt(session, 0) == trace::kNoCause);  // before its first move: the table's first state
    CHECK(r.trace.at(v.stateAt(session, v.size() - 1)).toState == "CLOSED");

    // POP3 and IMAP, the same way: their user agents' and scripted sessions' clients, each state one of the panel's
    // model, shown on the panel's client side from the next row of the session on.
    for (const auto& [file, machine] : {std::pair{"pop3-delete-vs-keep.yaml", "pop3-client"},
                                        std::pair{"imap-summary-browsing.yaml", "imap-client"}}) {
        INFO(file);
        const auto p = run(file);
        const ViewModel pv(p);
        std::size_t moves = 0;
        for (const auto& e : p.trace.events()) {
            if (e.kind != trace::EventKind::StateChanged || !trace::isClientMachine(e.machine)) continue;
            CHECK(e.machine == trace::clientMachineOf(p.trace.session(e.session)->protocol));
            CHECK(clientModel(e.machine).indexOf(e.toState) >= 0);
            if (e.machine == machine) ++moves;
            auto row = pv.rowOfEvent(e.id);
            REQUIRE(row);
            if (*row + 1 < pv.size() && pv.row(*row + 1).focus == e.session)
                CHECK(pv.clientStateAt(e.session, *row + 1) == e.id);
        }
        CHECK(moves > 10);
    }
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
    rec.storeChanged(1, {.user = "rose", .folder = "INBOX", .uid = 1, .action = trace::StoreAction::Appended, .size = 10}, trace::kNoCause);
    rec.storeChanged(2, {.user = "rose", .folder = "INBOX", .uid = 2, .action = trace::StoreAction::Appended, .size = 10}, trace::kNoCause);
    rec.storeChanged(3, {.user = "rose", .folder = "INBOX", .uid = 1, .action = trace::StoreAction::Expunged, .size = 10}, trace::kNoCause);
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
    rec.storeChanged(0, {.user = "rose", .folder = "INBOX", .uid = 7, .action = trace::StoreAction::Appended, .size = 10}, trace::kNoCause);
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

TEST_CASE("inspector: the eavesdropper's view of TLS and plaintext lines (smtp-starttls)") {
    sim::RunResult r = run("smtp-starttls.yaml");
    const trace::Trace& t = r.trace;
    const trace::Event* plainAuth = nullptr;
    const trace::Event* tlsAuth = nullptr;
    const trace::Event* tlsReply = nullptr;
    const trace::Event* tlsMail = nullptr;
    for (const auto& e : t.events()) {
        if (e.kind != trace::EventKind::Line || e.session != 1) continue;
        if (e.text.starts_with("AUTH PLAIN")) (e.tls ? tlsAuth : plainAuth) = &e;
        if (e.tls && e.text.starts_with("235")) tlsReply = &e;
        if (e.tls && e.text.starts_with("MAIL FROM")) tlsMail = &e;
    }
    REQUIRE(plainAuth);
    REQUIRE(tlsAuth);
    REQUIRE(tlsReply);
    REQUIRE(tlsMail);

    WireView plain = wireViewOf(t, *plainAuth);
    CHECK_FALSE(plain.tls);
    CHECK(plain.credentials);  // base64 is not encryption
    CHECK(plain.records == nullptr);

    // Client to server: the server records what it received before the line it decrypted; 33 octets + 22 of TLS 1.3.
    WireView auth = wireViewOf(t, *tlsAuth);
    CHECK(auth.tls);
    CHECK(auth.credentials);
    REQUIRE(auth.records);
    CHECK(auth.records->kind == trace::EventKind::TlsRecords);
    CHECK(auth.records->direction == trace::Direction::ClientToServer);
    CHECK(auth.records->text == "application data 55 B");
    CHECK(auth.records->id < tlsAuth->id);
    CHECK(static_cast<unsigned char>(auth.records->raw[0]) == 0x17);
    // Server to client: recorded by the sender, after its reply.
    WireView reply = wireViewOf(t, *tlsReply);
    REQUIRE(reply.records);
    CHECK(reply.records->direction == trace::Direction::ServerToClient);
    CHECK(reply.records->id > tlsReply->id);
    CHECK(reply.records->text == "application data 59 B");
    CHECK_FALSE(reply.credentials);
    WireView mail = wireViewOf(t, *tlsMail);
    REQUIRE(mail.records);
    CHECK(mail.records->text == "application data 50 B");
}

TEST_CASE("lesson: pipe tables become Table blocks with a head row and cells, en and zh") {
    Lesson l = parseLesson("Before.\n\n| service | plain port | upgraded with |\n|---|:---:|--:|\n"
                           "| SMTP relay | 25 | `STARTTLS` (RFC 3207) |\n| POP3 | 110 | **`STLS`** |\n\nAfter.\n");
    REQUIRE(l.error.empty());
    REQUIRE(l.blocks.size() == 3);
    CHECK(l.blocks[0].kind == BlockKind::Paragraph);
    CHECK(l.blocks[2].kind == BlockKind::Paragraph);
    CHECK(l.blocks[2].spans[0].text == "After.");
    const LessonBlock& t = l.blocks[1];
    REQUIRE(t.kind == BlockKind::Table);
    CHECK(t.spans.empty());  // the text is in the cells, not in the block
    CHECK(t.columns == 3);
    CHECK(t.align == std::vector<CellAlign>{CellAlign::Default, CellAlign::Center, CellAlign::Right});
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0].header);
    CHECK_FALSE(t.rows[1].header);
    CHECK_FALSE(t.rows[2].header);
    for (const auto& row : t.rows) CHECK(row.cells.size() == 3);
    CHECK(cellText(t.rows[0].cells[0]) == "service");
    CHECK(cellText(t.rows[0].cells[2]) == "upgraded with");
    CHECK(cellText(t.rows[1].cells[1]) == "25");
    REQUIRE(t.rows[1].cells[2].size() == 2);
    CHECK(t.rows[1].cells[2][0].text == "STARTTLS");
    CHECK(t.rows[1].cells[2][0].style == kCode);
    CHECK(t.rows[1].cells[2][1].text == " (RFC 3207)");
    CHECK(t.rows[2].cells[2][0].style == (kCode | kStrong));
    CHECK(l.allText().find("SMTP relay") != std::string::npos);  // cells reach the font atlas

    // The shipped lessons that use tables, in both languages: no raw pipes left in the text.
    for (const char* lang : {"en", "zh"}) {
        for (const char* name : {"ports-at-a-glance.md", "tls-starttls.md", "smtp-reply-codes.md"}) {
            Lesson real = loadLesson(std::string(MAILSIM_SOURCE_DIR) + "/lessons/" + lang + "/" + name);
            INFO(lang << "/" << name);
            REQUIRE(real.error.empty());
            CHECK(std::ranges::count_if(real.blocks, [](const LessonBlock& b) { return b.kind == BlockKind::Table; }) >= 1);
            for (const auto& b : real.blocks) {
                for (const auto& sp : b.spans) CHECK(sp.text.find("|---") == std::string::npos);
                if (b.kind == BlockKind::Table) {
                    CHECK(b.rows.front().header);
                    for (const auto& row : b.rows) CHECK(static_cast<int>(row.cells.size()) == b.columns);
                }
            }
        }
    }
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
    CHECK(v.row(*row).text == "   == checkpoint: message-sent (Sent with angle brackets)");  // the label follows the name
    CHECK(v.row(*row).noteEvent != *id);  // a checkpoint is not narration
}

// --- network map, step by hop, relay arrows, TLS ------------------------------------------------------------------

namespace {

std::size_t rowOfKind(const ViewModel& v, trace::EventKind kind, std::string_view text = {}, std::size_t from = 0) {
    for (std::size_t i = from; i < v.size(); ++i) {
        const trace::Event& e = v.trace()->at(v.row(i).event);
        if (e.kind == kind && v.row(i).text.find(text) != std::string::npos) return i;
    }
    FAIL("no row of that kind holds " << text);
    return 0;
}

const QueueEntry* queuedAt(const NetworkModel& net, const NetworkAt& at, std::string_view host, QueueStep* step = nullptr) {
    for (const auto& q : at.queued)
        if (net.hosts()[net.queue()[q.entry].host].name == host) {
            if (step) *step = q.step;
            return &net.queue()[q.entry];
        }
    return nullptr;
}

}  // namespace

TEST_CASE("network map: hosts, roles and layout of a relay scenario") {
    const auto r = run("relay-two-domains.yaml");
    const ViewModel v(r);
    const NetworkModel& net = v.network();
    auto role = [&](const char* name) {
        const std::uint16_t h = net.find(name);
        REQUIRE(h != NetworkModel::kNone);
        return net.hosts()[h].role;
    };
    CHECK(role("mike-pc") == HostRole::Client);
    CHECK(role("rose-pc") == HostRole::Client);
    CHECK(role("mail.cesoo.com") == HostRole::Mta);
    CHECK(role("mx.example.org") == HostRole::MailServer);
    CHECK(role("DNS") == HostRole::Dns);
    CHECK(net.hosts()[net.find("mail.cesoo.com:587")].address.starts_with("10."));
    // Left to right: the sender, its server, the receiving server, the reader.
    const auto x = [&](const char* name) { return net.hosts()[net.find(name)].x; };
    CHECK(x("mike-pc") < x("mail.cesoo.com"));
    CHECK(x("mail.cesoo.com") < x("mx.example.org"));
    CHECK(x("mx.example.org") < x("rose-pc"));
    CHECK(net.hosts()[net.dnsHost()].y < net.hosts()[net.find("mail.cesoo.com")].y);
    for (const NetHost& h : net.hosts()) {
        CHECK(h.x > 0.0f);
        CHECK(h.x < 1.0f);
        CHECK(h.y >= 0.0f);
        CHECK(h.y <= 1.0f);
    }
    const ViewModel again(r);  // deterministic
    for (std::size_t i = 0; i < net.hosts().size(); ++i) {
        CHECK(again.network().hosts()[i].x == net.hosts()[i].x);
        CHECK(again.network().hosts()[i].y == net.hosts()[i].y);
    }
}

TEST_CASE("network map: open connections, hops and DNS at the cursor, undone when stepping back") {
    const auto r = run("relay-two-domains.yaml");
    const ViewModel v(r);
    const NetworkModel& net = v.network();
    const std::size_t hop = rowOfKind(v, trace::EventKind::RelayHop);
    const std::uint16_t cesoo = net.find("mail.cesoo.com"), mx = net.find("mx.example.org");
    std::size_t link = net.links().size();
    for (std::size_t i = 0; i < net.links().size(); ++i)
        if (std::min(cesoo, mx) == net.links()[i].a && std::max(cesoo, mx) == net.links()[i].b) link = i;
    REQUIRE(link < net.links().size());
    NetworkAt at;
    net.at(hop, at);
    REQUIRE(at.links[link].lastHop != trace::kNoCause);
    REQUIRE(r.trace.at(at.links[link].lastHop).as<trace::RelayHop>());
    CHECK(r.trace.at(at.links[link].lastHop).as<trace::RelayHop>()->delivered == 1);
    net.at(hop - 1, at);
    CHECK(at.links[link].lastHop == trace::kNoCause);
    // In the middle of the relay session: it is open and its last line is the one at the cursor.
    std::size_t rcpt = rowOfKind(v, trace::EventKind::DnsQuery);  // the relay session's RCPT, not Mike's own
    while (rcpt < v.size() && v.row(rcpt).text.find("C: RCPT TO:<rose@example.org>") == std::string::npos) ++rcpt;
    REQUIRE(rcpt < v.size());
    net.at(rcpt, at);
    bool found = false;
    for (const auto& o : at.open)
        if (net.sessions()[o.session].client == cesoo && net.sessions()[o.session].server == mx) {
            found = true;
            CHECK(o.lastLine == v.row(rcpt).event);
        }
    CHECK(found);
    net.at(v.size() - 1, at);
    CHECK(at.open.empty());
    // DNS: the MX question of example.org is the latest at the hop.
    net.at(hop, at);
    const auto& dns = at.hosts[net.dnsHost()];
    REQUIRE(dns.lastDnsQuery != trace::kNoCause);
    REQUIRE(r.trace.at(dns.lastDnsQuery).as<trace::DnsQuery>());
    CHECK(r.trace.at(dns.lastDnsQuery).as<trace::DnsQuery>()->name == "example.org");
    net.at(0, at);
    CHECK(at.hosts[net.dnsHost()].lastDnsQuery == trace::kNoCause);
}

TEST_CASE("network map: a host down and a deferred message with its next retry, folded either way") {
    const auto r = run("relay-receiver-down-retry.yaml");
    const ViewModel v(r);
    const NetworkModel& net = v.network();
    const std::uint16_t mx = net.find("mx.example.org");
    REQUIRE(mx != NetworkModel::kNone);
    const std::size_t down = rowOfKind(v, trace::EventKind::FaultInjected, "goes down");
    const std::size_t up = rowOfKind(v, trace::EventKind::FaultInjected, "is back up");
    const std::size_t deferred = rowOfKind(v, trace::EventKind::QueueAction, "deferred");
    NetworkAt at;
    net.at(down, at);
    CHECK(at.hosts[mx].down);
    net.at(up, at);
    CHECK_FALSE(at.hosts[mx].down);
    net.at(deferred, at);
    CHECK(at.hosts[mx].down);
    QueueStep step;
    const QueueEntry* q = queuedAt(net, at, "mail.cesoo.com", &step);
    REQUIRE(q != nullptr);
    CHECK(step.status == QueueStatus::Deferred);
    CHECK(step.nextRetry == r.trace.at(v.row(deferred).event).as<trace::QueueAction>()->nextRetry.value());
    CHECK(step.nextRetry > r.trace.at(v.row(deferred).event).time);
    // Before the message was enqueued: nothing queued; at the end: delivered and removed.
    net.at(down, at);
    CHECK(queuedAt(net, at, "mail.cesoo.com") == nullptr);
    net.at(v.size() - 1, at);
    CHECK(queuedAt(net, at, "mail.cesoo.com") == nullptr);
    // The fast answer equals a slow fold from the start at every row (down flag and queue size).
    for (std::size_t k = 0; k < v.size(); ++k) {
        bool slowDown = false;
        int slowQueued = 0;
        for (const auto& e : r.trace.events()) {
            if (e.id > v.row(k).event) break;
            if (const auto* f = e.as<trace::Fault>(); f && f->host == "mx.example.org") {
                if (f->kind == trace::FaultKind::HostDown) slowDown = true;
                if (f->kind == trace::FaultKind::HostUp) slowDown = false;
            }
            if (const auto* qa = e.as<trace::QueueAction>()) {
                if (qa->action == trace::QueueOp::Enqueued) ++slowQueued;
                if (qa->action == trace::QueueOp::Removed) --slowQueued;
            }
        }
        net.at(k, at);
        CHECK(at.hosts[mx].down == slowDown);
        CHECK(static_cast<int>(at.queued.size()) == slowQueued);
    }
}

TEST_CASE("inspector: a connection that could not be made and an error are read from their typed fields, in Chinese") {
    const auto r = run("relay-receiver-down-retry.yaml");
    const trace::Event* failed = nullptr;
    for (const auto& e : r.trace.events())
        if (const auto* h = e.as<trace::RelayHop>(); h && h->result == trace::HopResult::ConnectFailed) {
            failed = &e;
            break;
        }
    REQUIRE(failed != nullptr);
    REQUIRE(failed->as<trace::RelayHop>()->failure == trace::ConnectFailure::HostDown);
    const Explanation hop = explainEvent(r.trace, *failed, i18n::Lang::Zh);
    auto fact = [](const Explanation& x, std::string_view label) {
        auto it = std::ranges::find(x.facts, label, &Fact::label);
        return it == x.facts.end() ? std::string() : it->value;
    };
    CHECK(fact(hop, "无法到达") == "mx.example.org");
    // The network map knows the link's last hop failed, and why.
    const ViewModel v(r);
    NetworkAt at;
    std::size_t failedRow = 0;
    while (failedRow < v.size() && v.row(failedRow).event != failed->id) ++failedRow;
    REQUIRE(failedRow < v.size());
    v.network().at(failedRow, at);
    const auto& links = v.network().links();
    const std::uint16_t mail = v.network().find("mail.cesoo.com"), mx = v.network().find("mx.example.org");
    auto link = std::ranges::find_if(links, [&](const NetLink& l) {
        return (l.a == mail && l.b == mx) || (l.a == mx && l.b == mail);
    });
    REQUIRE(link != links.end());
    CHECK(at.links[static_cast<std::size_t>(link - links.begin())].lastHopFailure == trace::ConnectFailure::HostDown);
    v.network().at(v.size() - 1, at);  // the hop that delivered it at last came up
    CHECK(at.links[static_cast<std::size_t>(link - links.begin())].lastHopFailure == trace::ConnectFailure::None);
    CHECK(fact(hop, "这一跳").find("连接失败：mx.example.org 已宕机：没有应答，连接超时") != std::string::npos);
    CHECK(std::ranges::any_of(hop.notes, [](const std::string& n) { return n.find("连接超时后放弃") != std::string::npos; }));

    trace::Trace t;
    trace::Recorder rec(&t, t.openSession("smtp", "mike-pc", "mail.cesoo.com:25", 0));
    rec.error(1, {.id = trace::ErrorId::DeliveryFailed, .names = {"rose"}, .detail = "No space left on device"});
    const Explanation error = explainEvent(t, t.at(0), i18n::Lang::Zh);
    CHECK(error.heading == "错误");
    REQUIRE(!error.notes.empty());
    CHECK(error.notes[0] == "投递到 rose 失败：No space left on device");
    CHECK(fact(error, "原文") == "No space left on device");  // the store's own words, untranslated
    CHECK(explainEvent(t, t.at(0)).notes[0] == "delivery to rose failed: No space left on device");
}

TEST_CASE("stepping by relay hop visits exactly the RelayHop rows") {
    const auto r = run("relay-receiver-down-retry.yaml");
    const ViewModel v(r);
    std::vector<std::size_t> seen;
    for (std::size_t k = 0; (k = v.nextHopRow(k)) != kNoRow;) seen.push_back(k);
    std::vector<std::size_t> expected;
    for (std::size_t k = 0; k < v.size(); ++k)
        if (r.trace.at(v.row(k).event).kind == trace::EventKind::RelayHop) expected.push_back(k);
    REQUIRE(expected.size() >= 2);  // the failed attempt(s) and the delivery
    CHECK(seen == expected);
    CHECK(v.previousHopRow(expected.back()) == expected[expected.size() - 2]);
    CHECK(v.previousHopRow(expected.front()) == kNoRow);
    CHECK(v.nextHopRow(expected.back()) == kNoRow);
    CHECK(v.previousHopRow(v.size() - 1) == expected.back());
    const ViewModel none(run("smtp-textbook.yaml"));
    CHECK(none.hopRows().empty());
    CHECK(none.nextHopRow(0) == kNoRow);
}

TEST_CASE("sequence diagram: relay hops, DNS and queue actions are drawn between host lanes") {
    const auto r = run("relay-two-domains.yaml");
    const ViewModel v(r);
    const SequenceModel& seq = v.sequence();
    auto lane = [&](std::string_view name) {
        for (std::size_t i = 0; i < seq.lanes().size(); ++i)
            if (seq.lanes()[i] == name) return i;
        FAIL("no lane " << name);
        return std::size_t{0};
    };
    const std::size_t hop = rowOfKind(v, trace::EventKind::RelayHop);
    CHECK(seq.item(hop).kind == SeqItemKind::RelayHop);
    CHECK(seq.item(hop).from == lane("mail.cesoo.com"));
    CHECK(seq.item(hop).to == lane("mx.example.org"));
    const std::size_t query = rowOfKind(v, trace::EventKind::DnsQuery);
    CHECK(seq.item(query).kind == SeqItemKind::DnsQuery);
    CHECK(seq.item(query).from == lane("mail.cesoo.com"));
    CHECK(seq.item(query).to == lane(kDnsLane));
    const std::size_t answer = rowOfKind(v, trace::EventKind::DnsAnswer);
    CHECK(seq.item(answer).kind == SeqItemKind::DnsAnswer);
    CHECK(seq.item(answer).from == lane(kDnsLane));
    CHECK(seq.item(answer).to == lane("mail.cesoo.com"));
    const std::size_t queue = rowOfKind(v, trace::EventKind::QueueAction);
    CHECK(seq.item(queue).kind == SeqItemKind::Queue);
    CHECK(seq.item(queue).from == lane("mail.cesoo.com"));
}

TEST_CASE("TLS: protected lines are tagged, the handshake is its own item, the map knows the session is encrypted") {
    trace::Trace t;
    auto s = t.openSession("smtp", "mike-pc", "mail.cesoo.com:587", 0);
    t.setEndpoints(s, {"10.0.0.2", 49152}, {"10.0.0.1", 587});
    trace::Recorder rec(&t, s);
    using trace::Direction;
    using trace::LineRole;
    rec.connectionOpened(0, {.client = "mike-pc", .server = "mail.cesoo.com"});
    rec.line(1, Direction::ClientToServer, LineRole::Command, "STARTTLS", "STARTTLS\r\n");
    rec.line(2, Direction::ServerToClient, LineRole::Reply, "220 2.0.0 Ready to start TLS", "220 2.0.0 Ready\r\n");
    trace::Event hs;
    hs.time = 3;
    hs.session = s;
    hs.kind = trace::EventKind::TlsHandshake;
    hs.machine = "server";
    hs.text = "TLSv1.3 TLS_AES_256_GCM_SHA384";
    t.append(hs);
    t.setTls(s, true);
    trace::Event records;
    records.time = 3;
    records.session = s;
    records.kind = trace::EventKind::TlsRecords;
    records.direction = Direction::ClientToServer;
    records.text = "application data 41 B";
    t.append(records);
    rec.line(4, Direction::ClientToServer, LineRole::Command, "EHLO mike-pc", "EHLO mike-pc\r\n");
    rec.line(5, Direction::ServerToClient, LineRole::Reply, "250 mail.cesoo.com", "250 mail.cesoo.com\r\n");
    sim::RunResult r;
    r.trace = std::move(t);
    const ViewModel v(r);
    const SequenceModel& seq = v.sequence();
    const std::size_t starttls = rowWithText(v, "C: STARTTLS");
    const std::size_t handshake = rowOfKind(v, trace::EventKind::TlsHandshake);
    const std::size_t ehlo = rowWithText(v, "C: EHLO");
    CHECK_FALSE(seq.item(starttls).tls());
    CHECK_FALSE(seq.item(starttls + 1).tls());
    CHECK(seq.item(handshake).kind == SeqItemKind::TlsHandshake);
    CHECK(seq.item(handshake).from == 0);
    CHECK(seq.item(handshake).to == 1);
    CHECK(seq.item(ehlo).tls());
    CHECK(seq.item(ehlo).kind == SeqItemKind::ClientToServer);
    CHECK(seq.item(ehlo + 1).tls());
    // The network map: the session is open throughout; encrypted from the handshake on.
    NetworkAt at;
    v.network().at(starttls, at);
    REQUIRE(at.open.size() == 1);
    CHECK_FALSE(at.open[0].tls);
    v.network().at(ehlo, at);
    REQUIRE(at.open.size() == 1);
    CHECK(at.open[0].tls);
    CHECK(at.open[0].lastLine == v.row(ehlo).event);
    CHECK(v.network().hosts()[v.network().find("mike-pc")].address == "10.0.0.2");
}

TEST_CASE("network map: a gateway is recognised by its note") {
    const auto r = run("relay-gateway-bulletin.yaml");
    const ViewModel v(r);
    const std::uint16_t gw = v.network().find("news.campus.example");
    REQUIRE(gw != NetworkModel::kNone);
    CHECK(v.network().hosts()[gw].role == HostRole::Gateway);
}

TEST_CASE("network map: open sessions in a long synthetic trace match a slow fold at sampled rows") {
    // 2000 sessions, each open for 50 lines, overlapping in pairs: at(k) must agree with counting by hand.
    trace::Trace t;
    std::vector<trace::SessionId> ids;
    for (int i = 0; i < 2000; ++i)
        ids.push_back(t.openSession("smtp", "pc" + std::to_string(i % 7), "mail:25", i));
    using trace::Direction;
    using trace::LineRole;
    for (int i = 0; i < 2000; ++i) {
        trace::Recorder a(&t, ids[static_cast<std::size_t>(i)]);
        a.connectionOpened(i, {});
        for (int j = 0; j < 50; ++j) a.line(i, Direction::ClientToServer, LineRole::Command, "NOOP", "NOOP\r\n");
        if (i % 2 == 1) {  // close the previous one and this one
            trace::Recorder(&t, ids[static_cast<std::size_t>(i - 1)]).connectionClosed(i, trace::CloseReason::ClientClosed);
            a.connectionClosed(i, trace::CloseReason::ClientClosed);
        }
    }
    sim::RunResult r;
    r.trace = std::move(t);
    const ViewModel v(r);
    REQUIRE(v.size() > 100000);
    NetworkAt at;
    for (std::size_t k = 0; k < v.size(); k += 997) {
        std::vector<int> open(2001, 0);
        for (const auto& e : r.trace.events()) {
            if (e.id > v.row(k).event) break;
            if (e.kind == trace::EventKind::ConnectionOpened) open[e.session] = 1;
            if (e.kind == trace::EventKind::ConnectionClosed) open[e.session] = 0;
        }
        std::size_t slow = 0;
        for (int o : open) slow += static_cast<std::size_t>(o);
        v.network().at(k, at);
        CHECK(at.open.size() == slow);
        for (const auto& o : at.open) CHECK((o.lastLine == trace::kNoCause || o.lastLine <= v.row(k).event));
    }
    CHECK(v.network().hosts().size() == 8);  // pc0..pc6 and mail
}
