#include "Scenarios.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

namespace mailsim::gui {

namespace {

std::string unquote(std::string t) {
    t.erase(0, t.find_first_not_of(" \t"));
    while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.pop_back();
    if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) t = t.substr(1, t.size() - 2);
    return t;
}

}  // namespace

// `title: text`, `title: {en: text, zh: text}` (quoted values must not hold ", " then a key) or the block form
// (`title:` then indented `en:` and `zh:` lines).
i18n::LocalText scenarioTitle(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    for (int n = 0; n < 200 && std::getline(in, line); ++n) {
        if (!line.starts_with("title:")) continue;
        std::string t = unquote(line.substr(6));
        i18n::LocalText out;
        if (t.empty()) {  // block mapping
            while (std::getline(in, line) && (line.starts_with(" ") || line.starts_with("\t"))) {
                const std::string item = unquote(line);
                if (item.starts_with("en:")) out.en = unquote(item.substr(3));
                else if (item.starts_with("zh:")) out.zh = unquote(item.substr(3));
            }
        } else if (t.front() == '{' && t.back() == '}') {  // flow mapping
            t = t.substr(1, t.size() - 2);
            for (const char* key : {"en:", "zh:"}) {
                const std::size_t at = t.find(key);
                if (at == std::string::npos) continue;
                std::size_t end = t.find(std::string(", ") + (key[0] == 'e' ? "zh:" : "en:"), at);
                (key[0] == 'e' ? out.en : out.zh) = unquote(t.substr(at + 3, end == std::string::npos ? end : end - at - 3));
            }
        } else {
            out.en = t;
        }
        if (out.en.empty()) out.en = out.zh;
        return out;
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
