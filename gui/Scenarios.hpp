// The scenario browser's model: the *.yaml files next to the open scenario, each with its title, and file
// modification times for auto-reload. Plain file reads, no YAML parsing (the title is the top-level `title:` line).
#pragma once

#include "i18n/Lang.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mailsim::gui {

struct ScenarioEntry {
    std::string path;   // full path
    std::string name;   // file name
    i18n::LocalText title;  // the `title:` value (both languages when given), or empty when there is none
};

// The scenarios in `directory`, sorted by file name. Empty when the directory cannot be read.
std::vector<ScenarioEntry> listScenarios(const std::string& directory);
// The title of one scenario file ("" when unreadable or absent).
i18n::LocalText scenarioTitle(const std::string& path);
// Modification time of `path` in nanoseconds since the epoch; 0 when it cannot be read.
std::int64_t fileStamp(const std::filesystem::path& path);  // no allocation: polled while idle

}  // namespace mailsim::gui
