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

}  // namespace mailsim::util
