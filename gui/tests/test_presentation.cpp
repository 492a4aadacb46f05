// gui_viewmodel, issue #14 (the teacher's review): what the GUI presents, without GL. The narration that belongs to
// the cursor's step (no stale notes), the time axis with idle gaps compressed, lanes that narrow when idle, the
// network map's labels laid out without overlaps, the message moving hop by hop, times for people, and the theme's
// contrast and presenter font size.
#include "FontPath.hpp"
#include "NetworkModel.hpp"
#include "ProtocolModel.hpp"
#include "Strings.hpp"
#include "Theme.hpp"
#include "ViewModel.hpp"
#include "i18n/Duration.hpp"

#include <catch2/catch.hpp>
#include <stb_truetype.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace mailsim;
using namespace mailsim::gui;

namespace {

sim::RunResult runFile(const char* name) {
    auto r = sim::runScenarioFile(std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name);
    REQUIRE(r.has_value());
    return std::move(*r);
}

std::size_t firstRow(const ViewModel& v, std::string_view text, std::size_t from = 0) {
    for (std::size_t i = from; i < v.size(); ++i)
        if (v.row(i).text.find(text) != std::string::npos) return i;
    FAIL("no row holds " << text);
    return 0;
}

std::string noteAt(const ViewModel& v, std::size_t k) {
    const trace::EventId id = v.row(k).noteEvent;
    return id == trace::kNoCause ? std::string() : v.trace()->at(id).text;
}

}  // namespace

TEST_CASE("narration: the textbook's set-up note is not shown during mail transfer; the release note at the end") {
    const auto r = runFile("smtp-textbook.yaml");
    const ViewModel v(r);
    const std::size_t greeting = firstRow(v, "S: 220");
    CHECK(noteAt(v, greeting).starts_with("Connection set-up"));
    // From MAIL FROM to the end of the content the session is in the mail transfer phase: not "Connection set-up".
    const std::size_t mail = firstRow(v, "C: MAIL FROM");
    const std::size_t dot = firstRow(v, "C: .", mail);
    for (std::size_t k = mail; k <= dot; ++k) CHECK_FALSE(noteAt(v, k).starts_with("Connection set-up"));
    CHECK(noteAt(v, v.size() - 1).starts_with("Release"));
}

TEST_CASE("narration: 'the next retry is not due yet' is gone once the retry happens and the mail is delivered") {
    const auto r = runFile("relay-receiver-down-retry.yaml");
    const ViewModel v(r);
    const std::size_t note = firstRow(v, "not due yet");
    CHECK(noteAt(v, note).find("not due yet") != std::string::npos);
    const std::size_t delivered = firstRow(v, "delivered", note + 1);
    for (std::size_t k = delivered; k < v.size(); ++k) CHECK(noteAt(v, k).find("not due yet") == std::string::npos);
}

TEST_CASE("narration: a session's own note is shown only on that session's rows, in every shipped scenario") {
    for (const char* name : {"submission-auth.yaml", "relay-two-domains.yaml", "smtp-starttls.yaml",
                             "relay-starttls.yaml", "pop3-delete-vs-keep.yaml", "relay-receiver-down-retry.yaml"}) {
        INFO(name);
        const auto r = runFile(name);
        const ViewModel v(r);
        std::size_t sessionNotes = 0;
        for (std::size_t k = 0; k < v.size(); ++k) {
            const Row& row = v.row(k);
            if (row.noteEvent == trace::kNoCause) continue;
            const trace::Event& note = v.trace()->at(row.noteEvent);
            CHECK(note.id <= row.event);  // never a note from the future
            if (note.session == trace::kNoSession) continue;
            ++sessionNotes;
            CHECK(note.session == row.session);
        }
        if (std::string(name) == "submission-auth.yaml") CHECK(sessionNotes > 0);
    }
}

TEST_CASE("narration: a scenario note does not survive an idle gap or a change of phase") {
    for (const char* name : {"smtp-textbook.yaml", "relay-receiver-down-retry.yaml", "relay-two-domains.yaml",
                             "pop3-delete-vs-keep.yaml", "imap-folders-search-move.yaml"}) {
        INFO(name);
        const auto r = runFile(name);
        const ViewModel v(r);
        for (std::size_t k = 1; k < v.size(); ++k) {
            const Row& row = v.row(k);
            if (row.noteEvent == trace::kNoCause) continue;
            const trace::Event& note = v.trace()->at(row.noteEvent);
            if (note.session != trace::kNoSession) continue;
            // No pause longer than an idle gap between the note and this row.
            const auto at = v.rowOfEvent(note.id);
            REQUIRE(at);
            for (std::size_t j = *at + 1; j <= k; ++j) CHECK(v.row(j).seconds - v.row(j - 1).seconds <= kIdleGapSeconds);
        }
    }
}

TEST_CASE("time axis: dialogues keep a row each, idle gaps are compressed and listed, backoff stays visible") {
    const auto r = runFile("relay-receiver-down-retry.yaml");
    const ViewModel v(r);
    const auto pos = v.timePositions();
    const auto sec = v.rowSeconds();
    REQUIRE(pos.size() == v.size());
    for (std::size_t i = 1; i < pos.size(); ++i) CHECK(pos[i] - pos[i - 1] >= 1.0 - 1e-9);  // never collapsed into one row
    // Every pause over the idle gap is listed, with its length, and nothing else is.
    std::size_t listed = 0;
    for (std::size_t i = 1; i < sec.size(); ++i) {
        if (sec[i] - sec[i - 1] <= kIdleGapSeconds) continue;
        REQUIRE(listed < v.idleGaps().size());
        CHECK(v.idleGaps()[listed].row == i);
        CHECK(v.idleGaps()[listed].seconds == Approx(sec[i] - sec[i - 1]));
        ++listed;
    }
    CHECK(listed == v.idleGaps().size());
    CHECK(listed >= 3);  // the retries: 15 min, 30 min, 1 h ...
    // The whole four-hour trace spans a few rows per pause, not hours of pixels.
    CHECK(pos.back() < static_cast<double>(v.size()) + 8.0 * static_cast<double>(listed));
    // A longer pause is drawn longer: the growing backoff is visible.
    CHECK(timeAxisAdvance(1800.0) > timeAxisAdvance(900.0) + 0.3);
    CHECK(timeAxisAdvance(3600.0) > timeAxisAdvance(1800.0) + 0.3);
    CHECK(timeAxisAdvance(7200.0) < 8.0);  // a pause of hours is a few rows
    CHECK(timeAxisAdvance(0.001) < 1.01);
}

TEST_CASE("sequence diagram: an idle host's lane gets narrow gaps, busy lanes wide ones, all inside the band") {
    std::vector<float> x;
    const std::size_t counts[] = {40, 40, 2};
    laneLayout(counts, 100.0f, 900.0f, 120.0f, x);
    REQUIRE(x.size() == 3);
    CHECK(x[0] == Approx(160.0f));                 // half a minimum lane inside the band: room for its name
    CHECK(x[2] == Approx(1000.0f - 60.0f));
    CHECK(x[1] - x[0] > x[2] - x[1]);              // the idle host's gap is the narrow one
    CHECK(x[2] - x[1] >= 120.0f - 0.01f);          // but at least a name wide
    // Not enough room for every lane's minimum: even spacing, still inside the band.
    laneLayout(counts, 0.0f, 200.0f, 120.0f, x);
    CHECK(x[0] > 0.0f);
    CHECK(x[2] < 200.0f);
    CHECK(x[0] < x[1]);
    CHECK(x[1] < x[2]);
}

TEST_CASE("times for people: the header's time and the retry times") {
    CHECK(i18n::formatDuration(6'390'066'000, i18n::Lang::En) == "1 h 46 min 30 s");
    CHECK(i18n::formatDuration(6'390'066'000, i18n::Lang::Zh) == "1 小时 46 分 30 秒");
    setUiLanguage(Language::Chinese);
    CHECK(uiLang() == i18n::Lang::Zh);
    CHECK(formatLater(7200.0) == "…… 2 小时后 ……");
    CHECK(formatClock(6390.066) == "t = 1 小时 46 分 30 秒");
    CHECK(std::string(phaseLabel("mail transfer")) == "邮件传送");  // the state diagram's phases, in the glossary's words
    setUiLanguage(Language::English);
    CHECK(formatLater(7200.0) == "… 2 h later …");
    CHECK(formatClock(6390.066) == "t = 1 h 46 min 30 s");
    CHECK(clockText(6390.066) == "t = 1 h 46 min 30 s");  // the cached form the header draws
    CHECK(&clockText(6390.066) == &clockText(6390.066));
    CHECK(durationText(6390) == "1 h 46 min 30 s");
    CHECK(laterText(7200.0) == "… 2 h later …");
    CHECK(std::string(phaseLabel("mail transfer")) == "mail transfer");
    CHECK(std::string(phaseLabel("no such phase")) == "no such phase");
}

TEST_CASE("theme: every text colour has a contrast of at least 7:1 on every background it is drawn on") {
    for (const auto& fg : kTextColours) {
        for (const auto& bg : kTextBackgrounds) {
            INFO(fg.name << " on " << bg.name << ": " << contrastRatio(fg.rgb, bg.rgb));
            CHECK(contrastRatio(fg.rgb, bg.rgb) >= kMinContrast);
        }
    }
    // Pills filled with a colour carry white text.
    for (Rgb fill : {colors::kState, colors::kStore, colors::kError}) CHECK(contrastRatio(colors::kWhite, fill) >= kMinContrast);
    CHECK(contrastRatio(colors::kWhite, colors::kPresenterText) == Approx(21.0));
    // The current state's name: black on the accent colour.
    CHECK(contrastRatio(colors::kPresenterText, colors::kAccent) >= kMinContrast);
}

TEST_CASE("presenter mode: text of at least 28 pixels whatever the base size") {
    for (float base : {12.0f, 16.0f, 22.0f, 30.0f}) CHECK(presenterFontSize(base) >= 28.0f);
    CHECK(presenterFontSize(30.0f) > 30.0f);
}

TEST_CASE("network map: labels are placed clear of hosts and of each other, in real and crowded layouts") {
    // The hosts of the two-domain relay in a 760 x 520 map (the panel's geometry: unit layout times the canvas), boxes
    // 150 x 70; then one label per link at its midpoint, 260 px wide, plus a crowd of labels on the same point.
    const auto r = runFile("relay-two-domains.yaml");
    const ViewModel v(r);
    const NetworkModel& net = v.network();
    const MapRect bounds{0.0f, 0.0f, 760.0f, 520.0f};
    std::vector<MapRect> boxes;
    for (const NetHost& h : net.hosts()) {
        const float cx = h.x * 760.0f, cy = h.y * 520.0f;
        boxes.push_back({cx - 75.0f, cy - 35.0f, cx + 75.0f, cy + 35.0f});
    }
    std::vector<MapLabel> labels;
    for (const NetLink& l : net.links()) {
        const MapRect& a = boxes[l.a];
        const MapRect& b = boxes[l.b];
        MapLabel m;
        m.anchorX = (a.x0 + a.x1 + b.x0 + b.x1) * 0.25f;
        m.anchorY = (a.y0 + a.y1 + b.y0 + b.y1) * 0.25f;
        m.w = 260.0f;
        m.h = 30.0f;
        labels.push_back(m);
    }
    for (int i = 0; i < 6; ++i) labels.push_back(MapLabel{380.0f, 260.0f, 200.0f, 30.0f, {}, false});
    placeLabels(labels, boxes, bounds, 18.0f);
    std::size_t shown = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (!labels[i].shown) continue;
        ++shown;
        CHECK(labels[i].placed.inside(bounds));
        for (const MapRect& box : boxes) CHECK_FALSE(labels[i].placed.intersects(box));
        for (std::size_t j = 0; j < i; ++j)
            if (labels[j].shown) CHECK_FALSE(labels[i].placed.intersects(labels[j].placed));
    }
    CHECK(shown >= net.links().size());  // every link's label found a place; some of the crowd too
}

TEST_CASE("network map: the message moves hop by hop along the links as the cursor advances") {
    const auto r = runFile("relay-two-domains.yaml");
    const ViewModel v(r);
    const NetworkModel& net = v.network();
    NetworkAt at;
    std::vector<std::pair<std::string, std::string>> hops;  // the links an envelope was seen on, in order
    std::vector<float> last(net.sessions().size(), 0.0f);
    for (std::size_t k = 0; k < v.size(); ++k) {
        net.at(k, at);
        for (const auto& o : at.open) {
            const NetSession& s = net.sessions()[o.session];
            if (s.protocol != "smtp") {
                CHECK(o.progress == 0.0f);
                continue;
            }
            CHECK(o.progress > 0.0f);
            CHECK(o.progress <= 1.0f);
            CHECK(o.progress >= last[o.session]);  // never backwards while the cursor advances
            last[o.session] = o.progress;
            std::pair hop{net.hosts()[s.client].name, net.hosts()[s.server].name};
            if (hops.empty() || hops.back() != hop) hops.push_back(hop);
        }
    }
    REQUIRE(hops.size() >= 2);
    CHECK(hops[0] == std::pair<std::string, std::string>{"mike-pc", "mail.cesoo.com"});
    CHECK(hops[1] == std::pair<std::string, std::string>{"mail.cesoo.com", "mx.example.org"});
}

TEST_CASE("fonts: WenQuanYi Micro Hei has a glyph for every character of the Chinese UI and the panels' symbols") {
    std::ifstream in(kDefaultFontPath, std::ios::binary);
    REQUIRE(in);  // fonts-wqy-microhei (scripts/install-deps.sh)
    const std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    stbtt_fontinfo font;
    REQUIRE(stbtt_InitFont(&font, data.data(), stbtt_GetFontOffsetForIndex(data.data(), 0)) != 0);
    setUiLanguage(Language::Chinese);
    const std::string text = std::string(chineseUiText()) + kPanelSymbols + formatLater(7200.0) + formatClock(6390.066);
    setUiLanguage(Language::English);
    std::string missing;
    for (std::size_t i = 0; i < text.size();) {  // UTF-8 to code points
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        unsigned cp = len == 1 ? c : c & (0xffu >> (len + 1));
        for (std::size_t k = 1; k < len && i + k < text.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3fu);
        if (cp >= 0x20 && stbtt_FindGlyphIndex(&font, static_cast<int>(cp)) == 0) missing += text.substr(i, len);
        i += len;
    }
    CHECK(missing == "");
}

TEST_CASE("state diagram: every phase of every protocol has its Chinese label") {
    setUiLanguage(Language::Chinese);
    for (const ProtocolSupport& p : supportedProtocols())
        for (const ProtocolState& st : protocolModel(p.name).states) {
            INFO(p.name << ": " << st.phase);
            const std::string label = phaseLabel(st.phase);
            CHECK(std::ranges::any_of(label, [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
        }
    setUiLanguage(Language::English);
}
