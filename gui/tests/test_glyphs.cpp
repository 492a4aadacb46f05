// gui_viewmodel, issues #14 and #13 (every word on screen in the class's language): the font atlas holds every character the
// panels can show in Chinese, for every shipped scenario; the view model renders the trace in the UI's language and
// again when it changes. The atlas's text is Glyphs.hpp's atlasText, the one App::rebuildFonts bakes; what the panels
// show is collected here independently (rows, labels, narration, inspector explanations, predict feedback, the state
// diagram, the scenario's texts, the lesson, the time axis's gaps).
#include "Explain.hpp"
#include "FontPath.hpp"
#include "Glyphs.hpp"
#include "Lesson.hpp"
#include "PredictSession.hpp"
#include "ProtocolModel.hpp"
#include "SandboxConsole.hpp"
#include "Strings.hpp"
#include "TraceSource.hpp"
#include "ViewModel.hpp"
#include "trace/Render.hpp"

#include <catch2/catch.hpp>
#include <stb_truetype.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace mailsim;
using namespace mailsim::gui;

namespace {

const std::string kScenarios = std::string(MAILSIM_SOURCE_DIR) + "/scenarios";

std::vector<std::string> shippedScenarios() {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(kScenarios))
        if (entry.path().extension() == ".yaml") out.push_back(entry.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

// Every text a panel shows for this document in Chinese, each with where it came from.
class Shown {
public:
    void add(std::string where, std::string text) { m_texts.emplace_back(std::move(where), std::move(text)); }
    const std::vector<std::pair<std::string, std::string>>& texts() const { return m_texts; }

private:
    std::vector<std::pair<std::string, std::string>> m_texts;
};

void collectRowsAndExplanations(const ViewModel& view, Shown& shown) {
    const trace::Trace& tr = *view.trace();
    for (std::size_t k = 0; k < view.size(); ++k) {
        shown.add(fmt::format("row {}", k), view.row(k).text);
        shown.add(fmt::format("label of row {}", k), std::string(view.label(k)));
        if (view.row(k).noteEvent != trace::kNoCause)
            shown.add(fmt::format("narration at row {}", k), std::string(view.noteText(view.row(k).noteEvent)));
    }
    for (const trace::Event& e : tr.events()) {
        const Explanation x = explainEvent(tr, e, i18n::Lang::Zh);
        std::string all = x.heading;
        for (const Fact& f : x.facts) all += f.label + f.value;
        for (const std::string& n : x.notes) all += n;
        shown.add(fmt::format("inspector on event {}", e.id), all);
    }
    for (const IdleGap& gap : view.idleGaps()) shown.add("time axis gap", laterText(gap.seconds));
}

void collectPredict(const ViewModel& view, Shown& shown) {
    PredictSession predict(view, {});
    for (std::size_t i = 0; i < predict.size(); ++i) {
        const sim::PredictPoint& p = predict.point(i);
        for (const std::string& choice : p.choices) {
            const sim::PredictFeedback f = sim::judge(*view.trace(), p, choice, i18n::Lang::Zh);
            for (const sim::AnswerMeaning* m : {&f.right, &f.wrong})
                shown.add(fmt::format("predict point {} answered {}", i, choice), m->meaning + m->explain + m->rfc);
        }
    }
}

void collectScenarioTexts(const Document& doc, Shown& shown) {
    const sim::RunResult& r = *doc.result;
    shown.add("title", r.title.zh);
    shown.add("description", r.description.zh);
    for (const auto& [id, text] : r.scenarioText) shown.add(fmt::format("scenario text of event {}", id), text.zh);
    for (const auto& s : r.trace.sessions())
        for (const ProtocolState& st : protocolModel(s.protocol, i18n::Lang::Zh).states)
            shown.add("state diagram " + s.protocol, std::string(phaseLabel(st.phase)));
    if (!r.lesson.empty())
        shown.add("lesson", loadLesson(lessonPath(doc.path, r.lesson, Language::Chinese)).allText());
}

// Up to 40 characters of `text` around the first `c` (whole characters only).
std::string excerpt(const std::string& text, char32_t c) {
    std::vector<char32_t> cps;
    std::size_t at = 0, hit = 0;
    char32_t cp = 0;
    while (nextCodePoint(text, at, cp)) {
        if (cp == c && hit == 0) hit = cps.size() + 1;
        cps.push_back(cp);
    }
    const std::size_t from = hit > 20 ? hit - 20 : 0;
    std::string out;
    for (std::size_t i = from; i < cps.size() && i < from + 40; ++i) out += encodeUtf8(cps[i] == U'\n' ? U' ' : cps[i]);
    return out;
}

std::string codePoint(char32_t c) { return fmt::format("'{}' U+{:04X}", encodeUtf8(c), static_cast<unsigned>(c)); }

}  // namespace

TEST_CASE("glyphs: UTF-8 decoding and the set's missing characters") {
    std::size_t at = 0;
    char32_t c = 0;
    const std::string text = "a\xe4\xb8\xad\xff\xe6";  // a, 中, an invalid byte, a cut sequence
    REQUIRE(nextCodePoint(text, at, c));
    CHECK(c == U'a');
    REQUIRE(nextCodePoint(text, at, c));
    CHECK(c == U'\u4e2d');
    CHECK_FALSE(nextCodePoint(text, at, c));
    CHECK(encodeUtf8(U'\u4e2d') == "\xe4\xb8\xad");
    GlyphSet set("abc中");
    CHECK(set.contains(U'中'));
    CHECK(set.missing("a中文字文") == std::vector<char32_t>{U'文', U'字'});
    CHECK_FALSE(set.add("cab"));
    CHECK(set.add("文"));
}

TEST_CASE("glyphs: the font has a glyph for every character of every catalogue") {
    std::ifstream in(kDefaultFontPath, std::ios::binary);
    REQUIRE(in);  // fonts-wqy-microhei (scripts/install-deps.sh)
    const std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    stbtt_fontinfo font;
    REQUIRE(stbtt_InitFont(&font, data.data(), stbtt_GetFontOffsetForIndex(data.data(), 0)) != 0);
    const std::string& text = catalogueGlyphText();
    CHECK(text.find("应答") != std::string::npos);  // the catalogues' Chinese is in
    CHECK(text.find("邮件传送") != std::string::npos);
    std::string missing;
    std::size_t at = 0;
    char32_t c = 0;
    while (nextCodePoint(text, at, c))
        if (c >= 0x20 && stbtt_FindGlyphIndex(&font, static_cast<int>(c)) == 0 && missing.find(encodeUtf8(c)) == std::string::npos)
            missing += codePoint(c) + " ";
    CHECK(missing == "");
}

TEST_CASE("glyphs: the atlas holds every character the panels show in Chinese, for every shipped scenario") {
    setUiLanguage(Language::Chinese);
    const std::vector<ScenarioEntry> beside = listScenarios(kScenarios);
    for (const std::string& path : shippedScenarios()) {
        auto r = sim::runScenarioFile(path);
        INFO(path);
        REQUIRE(r.has_value());
        Document doc;
        doc.path = path;
        doc.result = std::move(*r);
        const ViewModel view(*doc.result, i18n::Lang::Zh);
        // The atlas as FontSet::build makes it, without the common Chinese characters (what is shown must be in it
        // by itself): Latin-1, the panels' symbols and atlasText.
        GlyphSet atlas(atlasText(doc, view, beside));
        atlas.addRange(0x20, 0xff);
        atlas.add(kPanelSymbols);
        Shown shown;
        collectRowsAndExplanations(view, shown);
        collectPredict(view, shown);
        collectScenarioTexts(doc, shown);
        // Every character the atlas lacks, once, with the first text that needs it.
        std::map<char32_t, std::string> lacks;
        for (const auto& [where, text] : shown.texts())
            for (char32_t c : atlas.missing(text))
                if (c >= 0x20) lacks.emplace(c, where + ": " + excerpt(text, c));
        std::string report;
        for (const auto& [c, where] : lacks) report += codePoint(c) + " in " + where + "\n";
        CHECK(report == "");
    }
    setUiLanguage(Language::English);
}

TEST_CASE("view model: rows, labels and narration in the language given; the sandbox re-renders on a switch") {
    auto r = sim::runScenarioFile(kScenarios + "/smtp-textbook.yaml");
    REQUIRE(r.has_value());
    const ViewModel en(*r, i18n::Lang::En), zh(*r, i18n::Lang::Zh);
    REQUIRE(en.size() == zh.size());  // the same rows: the cursor and predict mode survive a switch
    bool storeZh = false, noteZh = false;
    for (std::size_t k = 0; k < zh.size(); ++k) {
        CHECK(en.row(k).event == zh.row(k).event);
        const trace::Event& e = r->trace.at(zh.row(k).event);
        if (e.kind == trace::EventKind::Line) CHECK(en.row(k).text == zh.row(k).text);  // wire text as it was
        if (e.kind == trace::EventKind::StoreChanged) {
            CHECK(zh.row(k).text.find("[存储]") != std::string::npos);
            CHECK(en.row(k).text.find("[store]") != std::string::npos);
            CHECK(zh.label(k).find("已存入") != std::string_view::npos);
            storeZh = true;
        }
        if (zh.row(k).noteEvent != trace::kNoCause && zh.row(k).noteEvent == zh.row(k).event) {
            const std::string_view note = zh.noteText(zh.row(k).noteEvent);
            INFO(note);
            CHECK(std::ranges::any_of(note, [](char c) { return static_cast<unsigned char>(c) >= 0xe4; }));  // CJK
            CHECK(note.find("Connection set-up") == std::string_view::npos);
            CHECK(en.noteText(en.row(k).noteEvent) != note);
            noteZh = true;
        }
    }
    CHECK(storeZh);
    CHECK(noteZh);

    SandboxConsole box;
    REQUIRE(box.open(kScenarios + "/smtp-textbook.yaml"));
    REQUIRE(box.connectTo("", "mail.cesoo.com:25"));
    box.send("HELO student");
    const auto generation = box.generation();
    const std::size_t rows = box.view().size();
    CHECK(box.view().lang() == i18n::Lang::En);
    box.setLanguage(i18n::Lang::Zh);
    CHECK(box.view().lang() == i18n::Lang::Zh);
    CHECK(box.view().size() == rows);
    CHECK(box.generation() > generation);
    bool connectionZh = false;
    for (const Row& row : box.view().rows())
        if (row.text.find("连接已建立") != std::string::npos) connectionZh = true;
    CHECK(connectionZh);
}

// Issue #13: one incremental trace source. A view extended over a trace that grows in steps (as the sandbox and a
// live server grow it) is the view built over the whole trace at once.
namespace {

void checkSameView(const ViewModel& whole, const ViewModel& grown) {
    REQUIRE(grown.size() == whole.size());
    for (std::size_t k = 0; k < whole.size(); ++k) {
        const Row &a = whole.row(k), &b = grown.row(k);
        CHECK(a.event == b.event);
        CHECK(a.focus == b.focus);
        CHECK(a.stateEvent == b.stateEvent);
        CHECK(a.noteEvent == b.noteEvent);
        CHECK(a.kind == b.kind);
        CHECK(a.seconds == b.seconds);
        CHECK(a.text == b.text);
        CHECK(whole.label(k) == grown.label(k));
        if (a.noteEvent != trace::kNoCause) CHECK(whole.noteText(a.noteEvent) == grown.noteText(b.noteEvent));
    }
    CHECK(std::ranges::equal(whole.stateRows(), grown.stateRows()));
    CHECK(std::ranges::equal(whole.hopRows(), grown.hopRows()));
    CHECK(std::ranges::equal(whole.timePositions(), grown.timePositions()));
    REQUIRE(whole.idleGaps().size() == grown.idleGaps().size());
    for (std::size_t i = 0; i < whole.idleGaps().size(); ++i) CHECK(whole.idleGaps()[i].row == grown.idleGaps()[i].row);
    const auto& ma = whole.mailboxes().messages();
    const auto& mb = grown.mailboxes().messages();
    REQUIRE(ma.size() == mb.size());
    for (std::size_t i = 0; i < ma.size(); ++i) {
        CHECK(ma[i].appearedRow == mb[i].appearedRow);
        CHECK(ma[i].removedRow == mb[i].removedRow);
    }
    const NetworkModel &na = whole.network(), &nb = grown.network();
    REQUIRE(na.hosts().size() == nb.hosts().size());
    for (std::size_t i = 0; i < na.hosts().size(); ++i) {
        INFO("host " << na.hosts()[i].name);
        CHECK(na.hosts()[i].name == nb.hosts()[i].name);
        CHECK(na.hosts()[i].role == nb.hosts()[i].role);
        CHECK(na.hosts()[i].layer == nb.hosts()[i].layer);
        CHECK(na.hosts()[i].y == nb.hosts()[i].y);
    }
    CHECK(na.sessions().size() == nb.sessions().size());
    CHECK(na.queue().size() == nb.queue().size());
    // Lanes: the same hosts (a lane opened by a later session may come later when the trace grows), the same arrows.
    const auto &la = whole.sequence().lanes(), &lb = grown.sequence().lanes();
    CHECK(std::set<std::string>(la.begin(), la.end()) == std::set<std::string>(lb.begin(), lb.end()));
    REQUIRE(whole.sequence().items().size() == grown.sequence().items().size());
    for (std::size_t k = 0; k < whole.size(); ++k) {
        const SeqItem &a = whole.sequence().item(k), &b = grown.sequence().item(k);
        CHECK(a.kind == b.kind);
        // Notes have no lane (drawn across the diagram, lanes 0/0); a scenario-level event (no session: a final
        // mailbox check, a bounce stored by the MTA) sits on the first lane, which is whichever host appeared first
        // in what was seen so far: neither depends on a host.
        if (a.kind == SeqItemKind::Note || (whole.rows()[k].session == trace::kNoSession && a.from == 0 && a.to == 0))
            continue;
        CHECK(la[a.from] == lb[b.from]);
        CHECK(la[a.to] == lb[b.to]);
    }
}

}  // namespace

TEST_CASE("view model: extended over a growing trace, it is the view of the whole trace (every shipped scenario)") {
    std::mt19937 rng(14);
    for (const std::string& path : shippedScenarios()) {
        INFO(path);
        auto r = sim::runScenarioFile(path);
        REQUIRE(r.has_value());
        const ViewModel whole(*r, i18n::Lang::Zh);
        sim::RunResult growing;
        growing.title = r->title;
        growing.description = r->description;
        growing.scenarioText = r->scenarioText;
        ViewModel grown(growing, i18n::Lang::Zh);
        std::size_t extended = 0;
        while (growing.trace.size() < r->trace.size()) {
            const std::size_t step = std::uniform_int_distribution<std::size_t>(1, 40)(rng);
            REQUIRE(appendNew(growing.trace, r->trace, growing.trace.size() + step));
            extended += grown.extend();
            CHECK(grown.eventsSeen() == growing.trace.size());
        }
        CHECK(extended == whole.size());
        for (std::size_t i = 0; i < r->trace.size(); ++i) CHECK(growing.trace.at(i).tls == r->trace.at(i).tls);
        checkSameView(whole, grown);
    }
}

TEST_CASE("trace source: a trace that is not a continuation is refused and left as it was") {
    auto r = sim::runScenarioFile(kScenarios + "/smtp-starttls.yaml");
    auto other = sim::runScenarioFile(kScenarios + "/smtp-textbook.yaml");
    REQUIRE(r.has_value());
    REQUIRE(other.has_value());
    trace::Trace copy;
    REQUIRE(appendNew(copy, r->trace, 10) == std::optional<std::size_t>(10));
    CHECK_FALSE(appendNew(copy, other->trace).has_value());  // another file (a live trace that started over)
    CHECK(copy.size() == 10);
    REQUIRE(appendNew(copy, r->trace) == std::optional<std::size_t>(r->trace.size() - 10));
    CHECK(appendNew(copy, r->trace) == std::optional<std::size_t>(0));
    CHECK(copy.sessions().size() == r->trace.sessions().size());
    trace::Trace shorter;
    REQUIRE(appendNew(shorter, r->trace, 5));
    CHECK_FALSE(appendNew(copy, shorter).has_value());  // longer than the source
}
