#include "WebHooks.hpp"

#include "App.hpp"
#include "sim/tools/Export.hpp"
#include "sim/tools/Transcript.hpp"

#include <emscripten.h>
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace mailsim::web {
namespace {

// The page's handlers (page.js), when it set them.
EM_JS(void, pageFirstFrame, (), { if (Module.mailsimFirstFrame) Module.mailsimFirstFrame(); });
EM_JS(void, pageFatal, (const char* message), { if (Module.mailsimFatal) Module.mailsimFatal(UTF8ToString(message)); });

gui::App* g_app = nullptr;
long g_frames = 0;
std::string g_state;   // the last mailsim_state() answer (valid until the next call)
std::string g_export;  // the last mailsim_export() result

// `s` as a JSON string (control characters escaped; the UTF-8 of scenario text passes through).
void appendString(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(u));
        } else {
            out += c;
        }
    }
    out += '"';
}

const char* kindName(gui::RowKind kind) {
    switch (kind) {
    case gui::RowKind::Client: return "client";
    case gui::RowKind::Server: return "server";
    case gui::RowKind::State: return "state";
    case gui::RowKind::Note: return "note";
    case gui::RowKind::Connection: return "connection";
    case gui::RowKind::Store: return "store";
    case gui::RowKind::CheckOk: return "check-ok";
    case gui::RowKind::CheckFailed: return "check-failed";
    case gui::RowKind::Error: return "error";
    }
    return "?";
}

void appendRow(std::string& out, const gui::App& app, std::size_t position) {
    const gui::ViewModel& view = app.view();
    if (view.empty() || position >= view.size()) {
        out += R"("line":"","kind":"","machine":"","state":"")";
        return;
    }
    const gui::Row& row = view.row(position);
    out += R"("line":)";
    appendString(out, row.text);
    out += R"(,"kind":")";
    out += kindName(row.kind);
    out += '"';
    const trace::Event* change =
        row.stateEvent == trace::kNoCause || !view.trace() ? nullptr : &view.trace()->at(row.stateEvent);
    out += R"(,"machine":)";
    appendString(out, change ? change->machine : "");
    out += R"(,"state":)";
    appendString(out, change ? change->toState : "");
}

}  // namespace

void attach(gui::App& app) { g_app = &app; }

void frameDone() {
    if (++g_frames == 1) pageFirstFrame();
}

void reportFatal(const std::string& message) { pageFatal(message.c_str()); }

}  // namespace mailsim::web

using mailsim::web::g_app;

extern "C" {

// The page's state as JSON, for the toolbar and the tests: the scenario, the cursor and its line, the protocol
// state shown there, the language, presenter and predict mode, the scenario's checks and diagnostics.
EMSCRIPTEN_KEEPALIVE const char* mailsim_state() {
    using namespace mailsim;
    std::string& out = web::g_state;
    out = fmt::format(R"({{"frames":{},"ready":{})", web::g_frames, g_app ? "true" : "false");
    if (!g_app) {
        out += '}';
        return out.c_str();
    }
    gui::App& app = *g_app;
    const gui::Document& doc = app.document();
    const gui::Cursor& cursor = app.cursor();
    out += R"(,"scenario":)";
    web::appendString(out, doc.path);
    const i18n::Lang lang = app.settings().uiLanguage == gui::Language::Chinese ? i18n::Lang::Zh : i18n::Lang::En;
    out += R"(,"title":)";
    web::appendString(out, doc.loaded() ? doc.result->title.in(lang) : "");
    out += fmt::format(R"(,"loaded":{},"cursor":{},"count":{},)", doc.loaded(), cursor.position(), cursor.count());
    web::appendRow(out, app, cursor.position());
    out += fmt::format(R"(,"uiMs":{:.3f},"renderMs":{:.3f})", app.lastUiMs(), app.lastRenderMs());
    out += fmt::format(R"(,"language":"{}","presenter":{})",
                       app.settings().uiLanguage == gui::Language::Chinese ? "zh" : "en", app.settings().presenter);
    gui::PredictSession& predict = app.predict();
    const auto score = predict.score();
    const auto& feedback = predict.lastFeedback();
    out += fmt::format(R"(,"predict":{{"enabled":{},"question":{},"answered":{},"correct":{},"total":{},)",
                       predict.enabled(), predict.question(cursor) != gui::kNoRow, score.answered, score.correct,
                       score.total);
    out += R"("last":)";
    if (feedback) {
        out += fmt::format(R"({{"correct":{},"chosen":)", feedback->correct);
        web::appendString(out, feedback->chosen);
        out += '}';
    } else {
        out += "null";
    }
    out += '}';
    out += fmt::format(R"(,"expectationsChecked":{},"failures":{})", doc.loaded() ? doc.result->expectationsChecked : 0,
                       doc.loaded() ? doc.result->failures.size() : 0);
    out += R"(,"diagnostics":[)";
    for (std::size_t i = 0; i < doc.diagnostics.size(); ++i) {
        if (i) out += ',';
        web::appendString(out, doc.diagnostics[i].format(lang));
    }
    out += "]}";
    return out.c_str();
}

EMSCRIPTEN_KEEPALIVE int mailsim_set_cursor(int position) {
    if (!g_app || position < 0) return -1;
    g_app->cursor().set(static_cast<std::size_t>(position));
    return static_cast<int>(g_app->cursor().position());
}

EMSCRIPTEN_KEEPALIVE int mailsim_step(int delta) {
    if (!g_app) return -1;
    g_app->cursor().step(delta);
    return static_cast<int>(g_app->cursor().position());
}

// Opens a scenario file (already written to the page's file system) before the next frame.
EMSCRIPTEN_KEEPALIVE void mailsim_open(const char* path) {
    if (g_app && path) g_app->open(path);
}

EMSCRIPTEN_KEEPALIVE int mailsim_show(const char* panel) { return g_app && panel && g_app->showPanel(panel) ? 1 : 0; }

EMSCRIPTEN_KEEPALIVE void mailsim_set_predict(int on) {
    if (g_app) g_app->setPredictMode(on != 0);
}

// Answers the question predict mode is asking; 1 when it was taken.
EMSCRIPTEN_KEEPALIVE int mailsim_predict_answer(const char* choice) {
    if (!g_app || !choice) return 0;
    return g_app->predict().answer(choice, g_app->cursor()) ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE void mailsim_save_settings() {
    if (g_app) g_app->saveSettingsNow();
}

// Renders an export of the shown run: "transcript", "json", "pcap" or "svg". Returns its size in bytes (-1: no run
// or unknown kind); the bytes are at mailsim_export_data() until the next call.
EMSCRIPTEN_KEEPALIVE int mailsim_export(const char* kind) {
    using namespace mailsim;
    if (!g_app || !kind || !g_app->document().loaded()) return -1;
    const gui::Document& doc = g_app->document();
    const trace::Trace& trace = doc.result->trace;
    const std::string_view k = kind;
    sim::TranscriptOptions options;
    options.lang = g_app->settings().uiLanguage == gui::Language::Chinese ? i18n::Lang::Zh : i18n::Lang::En;
    const i18n::Lang lang = options.lang;
    options.scenarioText = &doc.result->scenarioText;
    if (k == "transcript") web::g_export = sim::formatTranscript(trace, options);
    else if (k == "json") web::g_export = sim::formatJson(trace);
    else if (k == "pcap") web::g_export = sim::exportPcap(trace);
    else if (k == "svg") web::g_export = sim::exportSvg(trace, doc.result->title.in(lang));
    else return -1;
    return static_cast<int>(web::g_export.size());
}

EMSCRIPTEN_KEEPALIVE const char* mailsim_export_data() { return mailsim::web::g_export.data(); }

}  // extern "C"
