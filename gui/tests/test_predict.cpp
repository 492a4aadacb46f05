// Predict mode: the prediction points, choices and catalogue explanations of sim/tools/Predict.hpp on real scenarios, and
// the GUI flow of PredictSession (ask -> answer -> reveal -> score) with the cursor gate.
#include "sim/tools/Predict.hpp"
#include "PredictSession.hpp"
#include "Strings.hpp"
#include "ViewModel.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <filesystem>
#include <string>

using namespace mailsim;
using namespace mailsim::gui;

namespace {

sim::RunResult runScenario(const char* name) {
    auto r = sim::runScenarioFile(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name);
    REQUIRE(r.has_value());
    return std::move(*r);
}

std::vector<std::string> answers(const std::vector<sim::PredictPoint>& points) {
    std::vector<std::string> out;
    for (const auto& p : points) out.push_back(p.answer);
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& s) {
    return std::ranges::find(list, s) != list.end();
}

}  // namespace

TEST_CASE("predict: smtp-textbook has one point per reply: 220 250 250 250 354 250 221") {
    const auto r = runScenario("smtp-textbook.yaml");
    const auto points = sim::predictionPoints(r.trace);
    CHECK(answers(points) == std::vector<std::string>{"220", "250", "250", "250", "354", "250", "221"});
    REQUIRE(points.size() == 7);
    CHECK(points[0].prompt == trace::kNoCause);  // the greeting answers the connection
    CHECK(sim::describeQuestion(points[0]) == "the server's greeting");
    CHECK(points[1].promptText == "HELO Mike");
    CHECK(points[3].promptText == "RCPT TO: rose@cesoo.com");
    CHECK(points[5].promptText == ".");
    CHECK(sim::describeQuestion(points[5]) == "the server's reply to the end of data \".\"");
    for (const auto& p : points) {
        CHECK(p.kind == sim::PredictKind::Reply);
        CHECK(p.protocol == "smtp");
        CHECK(p.choices.size() >= 3);
        CHECK(p.choices.size() <= 5);
        CHECK(has(p.choices, p.answer));
        CHECK(std::ranges::is_sorted(p.choices));
        CHECK(r.trace.at(p.event).text.starts_with(p.answer));
    }
    // RCPT's distractors come from RFC 5321 4.3.2's list for RCPT.
    for (const auto& c : points[3].choices)
        CHECK(has({"250", "251", "550", "551", "552", "553", "450", "451", "452", "503", "455", "555", "501"}, c));
    // Deterministic: a second run of the same scenario offers the same choices.
    const auto again = sim::predictionPoints(runScenario("smtp-textbook.yaml").trace);
    for (std::size_t i = 0; i < points.size(); ++i) CHECK(again[i].choices == points[i].choices);
}

TEST_CASE("predict: a multi-line SMTP reply (EHLO) is one point") {
    const auto r = runScenario("smtp-persistent-connection.yaml");
    const auto points = sim::predictionPoints(r.trace);
    REQUIRE(!points.empty());
    std::size_t continued = 0;
    for (const auto& e : r.trace.events()) {
        if (e.kind != trace::EventKind::Line || e.direction != trace::Direction::ServerToClient) continue;
        const bool isPoint = std::ranges::any_of(points, [&](const auto& p) { return p.event == e.id; });
        const trace::Event* prev = nullptr;
        for (trace::EventId id = e.id; id-- > 0;) {
            const auto& p = r.trace.at(id);
            if (p.session == e.session && p.kind == trace::EventKind::Line &&
                p.direction == trace::Direction::ServerToClient) {
                prev = &p;
                break;
            }
        }
        const bool afterDash = prev && prev->text.size() > 3 && prev->text[3] == '-';
        if (afterDash) ++continued;
        CHECK(isPoint == !afterDash);
    }
    CHECK(continued > 0);  // the scenario has multi-line replies at all
}

TEST_CASE("predict: POP3 status lines are points with +OK/-ERR") {
    const auto r = runScenario("pop3-delete-vs-keep.yaml");
    const auto points = sim::predictionPoints(r.trace);
    std::size_t pop3 = 0;
    for (const auto& p : points) {
        if (p.protocol != "pop3") continue;
        ++pop3;
        CHECK((p.answer == "+OK" || p.answer == "-ERR"));
        CHECK(p.choices == std::vector<std::string>{"+OK", "-ERR"});
        CHECK(r.trace.at(p.event).text.starts_with(p.answer));
    }
    CHECK(pop3 > 5);
    // A miss on a POP3 point is explained from the POP3 catalogue.
    const auto it = std::ranges::find_if(points, [](const auto& p) {
        return p.protocol == "pop3" && p.promptText.starts_with("PASS");
    });
    REQUIRE(it != points.end());
    const auto f = sim::judge(r.trace, *it, it->answer == "+OK" ? "-err" : "+ok");
    CHECK(!f.correct);
    CHECK(f.right.meaning.find("RFC 1939 3") != std::string::npos);
    CHECK(f.right.rfc.find("RFC 1939") != std::string::npos);
    CHECK(!f.wrong.meaning.empty());
}

TEST_CASE("predict: IMAP tagged completions are points with the row's OK/NO/BAD, matched to their command by tag") {
    const auto r = runScenario("imap-folders-search-move.yaml");
    const auto points = sim::predictionPoints(r.trace);
    std::size_t imap = 0;
    for (const auto& p : points) {
        if (p.protocol != "imap") continue;
        ++imap;
        // The choices are the command row's completions (RFC 3501 "Result:"): OK and BAD always, NO where the
        // command can fail normally (LOGOUT: no NO).
        const bool logout = p.promptText.ends_with(" LOGOUT");
        CHECK(p.choices == (logout ? std::vector<std::string>{"OK", "BAD"} : std::vector<std::string>{"OK", "NO", "BAD"}));
        const std::string& line = r.trace.at(p.event).text;
        CHECK(!line.starts_with("*"));
        REQUIRE(p.prompt != trace::kNoCause);
        const std::string tag = line.substr(0, line.find(' '));
        CHECK(p.promptText.starts_with(tag + " "));
    }
    CHECK(imap > 5);
}

TEST_CASE("predict: a wrong SMTP guess is explained with the catalogue meaning and RFC section") {
    const auto r = runScenario("smtp-textbook.yaml");
    const auto points = sim::predictionPoints(r.trace);
    const sim::PredictPoint& rcpt = points[3];
    const auto f = sim::judge(r.trace, rcpt, " 550 ");
    CHECK(!f.correct);
    CHECK(f.chosen == "550");
    CHECK(f.right.answer == "250");
    CHECK(f.right.explain == "This recipient was accepted");
    CHECK(f.right.rfc == "RFC 5321 4.1.1.3");
    CHECK(f.right.meaning == "Requested mail action okay, completed");
    CHECK(f.wrong.meaning.find("mailbox unavailable") != std::string::npos);
    CHECK(f.wrong.rfc.find("RFC 5321") != std::string::npos);
    const std::string text = sim::formatFeedback(f);
    CHECK(text.find("Wrong: you chose 550") != std::string::npos);
    CHECK(text.find("RCPT TO: rose@cesoo.com") != std::string::npos);
    CHECK(text.find("RFC 5321 4.1.1.3") != std::string::npos);
    const auto right = sim::judge(r.trace, rcpt, "250");
    CHECK(right.correct);
    CHECK(sim::formatFeedback(right).starts_with("Right: 250"));
}

TEST_CASE("predict: state changes are points when asked for") {
    const auto r = runScenario("smtp-textbook.yaml");
    const auto points = sim::predictionPoints(r.trace, {.states = true});
    const auto states = std::ranges::count_if(points, [](const auto& p) { return p.kind == sim::PredictKind::State; });
    CHECK(states > 3);
    for (const auto& p : points) {
        if (p.kind != sim::PredictKind::State) continue;
        CHECK(has(p.choices, p.answer));
        CHECK(p.choices.size() >= 2);
        CHECK(sim::judge(r.trace, p, p.answer).correct);
    }
}

TEST_CASE("predict session: ask, answer, reveal, score; stepping back does not ask again") {
    const auto r = runScenario("smtp-textbook.yaml");
    const ViewModel v(r);
    PredictSession predict(v);
    REQUIRE(predict.size() == 7);
    Cursor cursor;
    cursor.reset(v.size(), 0);
    predict.setEnabled(true, cursor);
    // Stepping forward stops just before the greeting: the question is asked there.
    cursor.end();
    const std::size_t greetingRow = predict.rowOf(0);
    CHECK(cursor.position() + 1 == greetingRow);
    CHECK(cursor.atEnd());
    REQUIRE(predict.question(cursor) == 0);
    CHECK(predict.gateRow() == greetingRow);
    // Right answer: revealed, the cursor on the line, the gate moves to HELO's reply.
    CHECK(predict.answer("220", cursor));
    CHECK(cursor.position() == greetingRow);
    CHECK(predict.lastFeedback()->correct);
    CHECK(predict.question(cursor) == kNoRow);  // the next one is asked only when the cursor stands before it
    CHECK(predict.gateRow() == predict.rowOf(1));
    cursor.end();
    REQUIRE(predict.question(cursor) == 1);
    // A miss: explained, counted.
    CHECK(predict.answer("500", cursor));
    CHECK(!predict.lastFeedback()->correct);
    CHECK(predict.lastFeedback()->wrong.meaning.find("command unrecognized") != std::string::npos);
    CHECK(predict.score().correct == 1);
    CHECK(predict.score().answered == 2);
    CHECK(predict.score().total == 7);
    // Back to the start and forward again: the answered points are not gates any more.
    cursor.home();
    CHECK(predict.question(cursor) == kNoRow);
    cursor.end();
    CHECK(cursor.position() + 1 == predict.rowOf(2));
    CHECK(predict.question(cursor) == 2);
    // Answer the rest; the score is kept; then the gate is gone and the cursor reaches the end.
    for (std::size_t i = 2; i < predict.size(); ++i) {
        cursor.end();
        REQUIRE(predict.question(cursor) == i);
        CHECK(predict.answer(predict.point(i).answer, cursor));
    }
    CHECK(predict.score().correct == 6);
    CHECK(predict.score().answered == 7);
    CHECK(predict.gateRow() == kNoRow);
    cursor.end();
    CHECK(cursor.position() + 1 == v.size());
    // Reset: everything is asked again from the start.
    predict.resetScore(cursor);
    CHECK(predict.score().answered == 0);
    CHECK(cursor.position() == 0);
    cursor.end();
    CHECK(predict.question(cursor) == 0);
    // Off: the gate opens; on again at the end: every point behind the cursor is skipped.
    predict.setEnabled(false, cursor);
    cursor.end();
    CHECK(cursor.position() + 1 == v.size());
    predict.setEnabled(true, cursor);
    CHECK(predict.gateRow() == kNoRow);
    CHECK(predict.score().answered == 0);
}

TEST_CASE("predict: every shipped scenario has points whose answer is among 2-5 choices and matches the line") {
    for (const auto& entry : std::filesystem::directory_iterator(std::string(MAILSIM_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        INFO(entry.path().filename().string());
        auto r = sim::runScenarioFile(entry.path().string());
        REQUIRE(r.has_value());
        const auto points = sim::predictionPoints(r->trace, {.states = true});
        CHECK(points.size() > 3);
        for (const auto& p : points) {
            CHECK(has(p.choices, p.answer));
            CHECK(p.choices.size() >= 2);
            CHECK(p.choices.size() <= 5);
            const trace::Event& e = r->trace.at(p.event);
            if (p.kind == sim::PredictKind::State) {
                CHECK(e.kind == trace::EventKind::StateChanged);
                continue;
            }
            CHECK(e.direction == trace::Direction::ServerToClient);
            if (p.protocol == "imap") CHECK(e.text.find(" " + p.answer) != std::string::npos);
            else CHECK(e.text.starts_with(p.answer));
            const auto f = sim::judge(r->trace, p, p.answer);
            CHECK(f.correct);
            CHECK(!f.right.meaning.empty());
        }
    }
}

TEST_CASE("predict session: with state changes, the state after the greeting is asked right after it") {
    const auto r = runScenario("smtp-textbook.yaml");
    const ViewModel v(r);
    PredictSession predict(v);
    Cursor cursor;
    cursor.reset(v.size(), 0);
    predict.setEnabled(true, cursor);
    predict.setIncludeStates(true, cursor);
    CHECK(predict.includesStates());
    CHECK(predict.size() > 7);
    cursor.end();
    REQUIRE(predict.question(cursor) == 0);
    CHECK(predict.point(0).answer == "220");
    CHECK(predict.answer("220", cursor));
    cursor.end();  // the state change follows the greeting at once
    const std::size_t q = predict.question(cursor);
    REQUIRE(q == 1);
    CHECK(predict.point(q).kind == sim::PredictKind::State);
    CHECK(predict.point(q).answer == "INITIAL");
    CHECK(predict.answer("initial", cursor));
    CHECK(predict.lastFeedback()->correct);
    CHECK(predict.score().correct == 2);
    // Switching states off again starts over.
    predict.setIncludeStates(false, cursor);
    CHECK(predict.score().answered == 0);
    CHECK(predict.size() == 7);
}

TEST_CASE("predict session: the store line of the message stays hidden until the reply to '.' is answered") {
    const auto r = runScenario("smtp-textbook.yaml");
    const ViewModel v(r);
    PredictSession predict(v);
    REQUIRE(predict.size() == 7);
    Cursor cursor;
    cursor.reset(v.size(), 0);
    predict.setEnabled(true, cursor);
    for (std::size_t i = 0; i < 5; ++i) {  // 220 250 250 250 354
        cursor.end();
        REQUIRE(predict.question(cursor) == i);
        REQUIRE(predict.answer(predict.point(i).answer, cursor));
    }
    REQUIRE(predict.point(5).promptText == ".");
    std::optional<std::size_t> storeRow;
    for (std::size_t row = 0; row < v.size(); ++row)
        if (r.trace.at(v.row(row).event).kind == trace::EventKind::StoreChanged) storeRow = row;
    REQUIRE(storeRow);
    CHECK(*storeRow < predict.rowOf(5));
    cursor.end();
    REQUIRE(predict.question(cursor) == 5);
    CHECK(predict.gateRow() == *storeRow);
    CHECK(cursor.position() < *storeRow);  // "rose@cesoo.com INBOX uid 1 appended" is not on screen yet
    CHECK(predict.answer("250", cursor));
    CHECK(cursor.position() == predict.rowOf(5));  // answered: the reply and the store line are revealed
    CHECK(cursor.position() > *storeRow);
}

TEST_CASE("predict session: only one protocol's replies are asked when chosen") {
    const auto r = runScenario("pop3-delete-vs-keep.yaml");
    const ViewModel v(r);
    PredictSession predict(v);
    const std::size_t all = predict.size();
    Cursor cursor;
    cursor.reset(v.size(), 0);
    predict.setEnabled(true, cursor);
    predict.setProtocol("pop3", cursor);
    CHECK(predict.protocol() == "pop3");
    REQUIRE(predict.size() > 0);
    CHECK(predict.size() < all);
    for (std::size_t i = 0; i < predict.size(); ++i) CHECK(predict.point(i).protocol == "pop3");
    // The first question is POP3's greeting: the SMTP dialogue before it plays without questions.
    cursor.end();
    REQUIRE(predict.question(cursor) == 0);
    CHECK(predict.point(0).answer == "+OK");
    CHECK(cursor.position() + 1 == predict.gateRow());
    CHECK(r.trace.session(predict.point(0).session)->protocol == "pop3");
    predict.setProtocol("", cursor);
    CHECK(predict.size() == all);
}

TEST_CASE("predict session: the feedback follows the UI language") {
    const auto r = runScenario("smtp-textbook.yaml");
    const ViewModel v(r);
    PredictSession predict(v);
    Cursor cursor;
    cursor.reset(v.size(), 0);
    predict.setEnabled(true, cursor);
    cursor.end();
    setUiLanguage(Language::English);
    REQUIRE(predict.answer("421", cursor));
    CHECK(predict.lastFeedback()->right.explain == "The server is ready: the connection set-up phase succeeded");
    setUiLanguage(Language::Chinese);
    CHECK(predict.lastFeedback()->right.explain == "服务器已就绪：连接建立阶段成功");
    CHECK(predict.lastFeedback()->chosen == "421");
    setUiLanguage(Language::English);
    CHECK(predict.lastFeedback()->right.explain.starts_with("The server is ready"));
}
