// Helpers shared by the scenario-loader tests: the problems a document has, as `file:line:col: message` lines.
#pragma once

#include "sim/scenario/Scenario.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mailsim::test {

// Every diagnostic of loading `yaml` as "t.yaml", formatted; empty when the document is valid.
inline std::vector<std::string> problems(const std::string& yaml) {
    auto sc = sim::loadScenario(yaml, "t.yaml");
    std::vector<std::string> out;
    if (!sc)
        for (const auto& d : sc.error()) out.push_back(d.format(mailsim::i18n::Lang::En));
    return out;
}

// The same with included files served from `files` (path -> text) instead of the disk.
inline std::vector<std::string> problemsWith(const std::string& yaml, const std::map<std::string, std::string>& files,
                                             const std::string& name = "t.yaml") {
    auto read = [&](const std::string& path) -> std::optional<std::string> {
        auto it = files.find(path);
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
    auto sc = sim::loadScenario(yaml, name, read);
    std::vector<std::string> out;
    if (!sc)
        for (const auto& d : sc.error()) out.push_back(d.format(mailsim::i18n::Lang::En));
    return out;
}

inline bool anyContains(const std::vector<std::string>& v, const std::string& needle) {
    for (const auto& s : v)
        if (s.find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace mailsim::test
