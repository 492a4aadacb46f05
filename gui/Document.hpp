// The loaded scenario: the result of running it headless through the sim API, or the reasons it could not run.
#pragma once

#include "sim/world/Api.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mailsim::gui {

struct Document {
    std::string path;
    std::optional<sim::RunResult> result;       // set when the scenario ran (its expectations may still have failed)
    std::vector<sim::Diagnostic> diagnostics;   // set when the file is unusable
    // Following a live server (--attach/--serve, Live.hpp): `result` holds the trace read so far (no title, lesson
    // or checks), `path` is the trace file.
    bool live = false;
    std::string liveStatus;  // the source's status line (file, listeners, server exit)

    bool loaded() const { return result.has_value(); }
};

// Runs the scenario at `path` to the end. Never throws: unexpected exceptions become diagnostics.
Document loadDocument(const std::string& path);

}  // namespace mailsim::gui
