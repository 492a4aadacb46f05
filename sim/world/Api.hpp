// The sim API: what the CLI and the GUI use to load and run scenarios (library mailsim_world; see sim/CMakeLists.txt
// for the layers).
#pragma once

#include "sim/scenario/Diagnostic.hpp"

#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <expected>
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace mailsim::sim {

// A checkpoint step (`- checkpoint: name`) is recorded as a Note event with this `machine` and `text` = the name.
inline constexpr std::string_view kCheckpointMachine = trace::kCheckpointMachine;
// The checkpoint event named `name` in `trace`, or nullopt.
std::optional<trace::EventId> findCheckpoint(const trace::Trace& trace, std::string_view name);

// Where an expectation is in the scenario: its step, the part of the step, the file position.
struct ExpectationPlace {
    enum class Part : std::uint8_t { Step, ScriptLine, Message, Action };
    std::size_t step = 0;    // 0-based index of the step
    Part part = Part::Step;
    std::size_t number = 0;  // ScriptLine, Message: 1-based
    std::string action;      // Action: the user agent's action (pop3-fetch, imap-search...)
    std::string file;
    int line = 0;
    int column = 0;
    // "step 3, script line 2 (file.yaml:14:9)" / "第 3 步，脚本第 2 行（file.yaml:14:9）"
    std::string text(i18n::Lang lang) const;
};

struct ExpectationFailure {
    trace::EventId event = trace::kNoCause;  // the Expectation event in the trace: expectedText/gotText in any language
    std::string where;     // place.text(English): "step 3, script line 2 (file.yaml:14:9)"
    std::string expected;  // the event's English (its `text`)
    std::string got;       // likewise (its `detail`)
    ExpectationPlace place;
};

struct RunResult {
    std::string file;         // the scenario file ("" when run from text)
    i18n::LocalText title;        // in English and, when the scenario gives it, Chinese (`{en: ..., zh: ...}`)
    i18n::LocalText description;
    std::string lesson;       // the linked lesson, relative to the scenario file ("" when none)
    std::vector<std::string> includes;  // network files it included (include:), as paths the loader read
    trace::Trace trace;
    // The scenario's own words on trace events, in both languages: a note step's Note event (whose `text` is the
    // English) and a checkpoint's label. Views show scenarioTextOf(result, event, lang).
    std::map<trace::EventId, i18n::LocalText> scenarioText;
    std::size_t expectationsChecked = 0;
    std::vector<ExpectationFailure> failures;
    bool ok() const { return failures.empty(); }
};

// The text of `e` for people in `lang`: the scenario's note or checkpoint label in that language when the scenario
// wrote one, an engine explanation from the notes catalogue (trace/Notes.hpp) in that language, else the event's own
// text.
std::string scenarioTextOf(const RunResult& result, const trace::Event& e, i18n::Lang lang);

struct RunOptions {
    std::uint64_t seedOverride = 0;  // 0: use the scenario's seed
};

// Loads, validates and runs a scenario headless, to the end. Diagnostics when the file is unusable.
std::expected<RunResult, std::vector<Diagnostic>> runScenarioFile(const std::string& path, const RunOptions& options = {});
std::expected<RunResult, std::vector<Diagnostic>> runScenarioText(const std::string& yaml, const std::string& name,
                                                                   const RunOptions& options = {});

}  // namespace mailsim::sim
