#include "Scenarios.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

namespace mailsim::gui {

std::string scenarioTitle(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    for (int n = 0; n < 200 && std::getline(in, line); ++n) {
        if (!line.starts_with("title:")) continue;
        std::string t = line.substr(6);
        t.erase(0, t.find_first_not_of(" \t"));
        while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.pop_back();
        if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) t = t.substr(1, t.size() - 2);
        return t;
    }
    return {};
}

std::vector<ScenarioEntry> listScenarios(const std::string& directory) {
    std::vector<ScenarioEntry> out;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(directory.empty() ? "." : directory, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const auto& p = it->path();
        if (p.extension() != ".yaml" && p.extension() != ".yml") continue;
        out.push_back({p.string(), p.filename().string(), scenarioTitle(p.string())});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

std::int64_t fileStamp(const std::filesystem::path& path) {
    std::error_code ec;
    auto t = std::filesystem::last_write_time(path, ec);
    if (ec) return 0;
    auto size = std::filesystem::file_size(path, ec);
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count() ^
           static_cast<std::int64_t>(ec ? 0 : size);
}

}  // namespace mailsim::gui
