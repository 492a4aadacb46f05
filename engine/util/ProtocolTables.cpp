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

namespace {

// The position of the next placeholder "{name}" (a name of letters, digits and '_') in `tpl` from `from`, or npos:
// a brace around anything else ("'{' without '}'") is literal text.
std::size_t nextPlaceholder(std::string_view tpl, std::size_t from) {
    for (std::size_t open = tpl.find('{', from); open != std::string_view::npos; open = tpl.find('{', open + 1)) {
        const std::size_t close = tpl.find('}', open);
        if (close == std::string_view::npos) return std::string_view::npos;
        const std::string_view name = tpl.substr(open + 1, close - open - 1);
        if (!name.empty() && std::ranges::all_of(name, [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
            }))
            return open;
    }
    return std::string_view::npos;
}

}  // namespace

int templateMatchScore(std::string_view tpl, std::string_view text) {
    int score = 0;
    std::size_t at = 0;
    while (!tpl.empty()) {
        const std::size_t open = nextPlaceholder(tpl, 0);
        const std::string_view literal = tpl.substr(0, open);
        if (!literal.empty()) {
            const std::size_t found = text.find(literal, at);
            if (found == std::string_view::npos) return -1;
            at = found + literal.size();
            score += static_cast<int>(literal.size());
        }
        if (open == std::string_view::npos) break;
        tpl.remove_prefix(tpl.find('}', open) + 1);
    }
    return score;
}

}  // namespace mailsim::util
