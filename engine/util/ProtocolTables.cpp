#include "util/ProtocolTables.hpp"

namespace mailsim::util {

std::string expandTemplate(std::string_view tpl, const TemplateArgs& args) {
    std::string out;
    out.reserve(tpl.size() + 32);
    for (std::size_t i = 0; i < tpl.size();) {
        if (tpl[i] == '{') {
            auto close = tpl.find('}', i);
            if (close != std::string_view::npos) {
                std::string_view name = tpl.substr(i + 1, close - i - 1);
                auto it = std::ranges::find(args, name, &std::pair<std::string_view, std::string>::first);
                if (it != args.end()) {
                    out += it->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += tpl[i++];
    }
    return out;
}

int templateMatchScore(std::string_view tpl, std::string_view text) {
    int score = 0;
    std::size_t at = 0;
    while (!tpl.empty()) {
        const std::size_t open = tpl.find('{');
        const std::string_view literal = tpl.substr(0, open);
        if (!literal.empty()) {
            const std::size_t found = text.find(literal, at);
            if (found == std::string_view::npos) return -1;
            at = found + literal.size();
            score += static_cast<int>(literal.size());
        }
        if (open == std::string_view::npos) break;
        const std::size_t close = tpl.find('}', open);
        if (close == std::string_view::npos) break;
        tpl.remove_prefix(close + 1);
    }
    return score;
}

}  // namespace mailsim::util
