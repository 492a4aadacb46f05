// `mailsim ca`: the classroom certificate authority (sim/tls/Tls.hpp) for students' mail clients.
#include "sim/cli/Cli.hpp"
#include "sim/cli/CliText.hpp"
#include "sim/serve/ServeText.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/tls/Tls.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>

namespace mailsim::sim {

std::string caUsageText(i18n::Lang lang) { return std::string(cliText(CliText::CaUsage, lang)); }

int caMain(std::span<const std::string> args) {
    const auto chosen = commandLang(args, "ca");
    if (!chosen) return 2;
    const i18n::Lang lang = *chosen;
    auto usage = [lang](CliText id, auto&&... a) {
        return usageError("ca", cliSay(lang, id, std::forward<decltype(a)>(a)...), lang);
    };
    std::string action, file, dir;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--lang") {
            ++i;  // checked by commandLang
        } else if (a == "--dir") {
            auto v = optionValue(args, i, cliText(CliText::WantCaDir, lang), lang);
            if (!v) return usageError("ca", v.error(), lang);
            if (v->empty() || *v == "-") return usage(CliText::CaDirBad, *v);
            dir = *v;
        } else if (action.empty() && (a == "export" || a == "show")) {
            action = a;
        } else if (action == "export" && file.empty() && (a == "-" || !looksLikeOption(a))) {
            file = a;
        } else if (action.empty() && !looksLikeOption(a)) {
            return usage(CliText::CaUnknownAction, a);
        } else {
            return usage(CliText::CaUnexpected, a);
        }
    }
    if (action.empty()) return usage(CliText::CaNoAction);
    const std::filesystem::path where = dir.empty() ? ClassroomCa::defaultDirectory() : std::filesystem::path(dir);
    if (action == "show") {  // looks only: creates no directory, key or lock file
        auto found = ClassroomCa::load(where);
        if (!found) {
            fmt::print(stderr, "{}\n", cliSay(lang, CliText::CaError, caErrorText(found.error(), lang)));
            return 1;
        }
        if (!*found) {
            fmt::print("{}\n", cliSay(lang, CliText::CaNone, where.string()));
            return 0;
        }
        fmt::print("{}\n", cliSay(lang, CliText::CaShow, (*found)->directory().string(), (*found)->subject()));
        return 0;
    }
    auto ca = ClassroomCa::open(where);
    if (!ca) {
        fmt::print(stderr, "{}\n", cliSay(lang, CliText::CaError, caErrorText(ca.error(), lang)));
        return 1;
    }
    if (file.empty() || file == "-") {
        std::fputs(ca->certificatePem().c_str(), stdout);
        return 0;
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << ca->certificatePem();
    out.close();
    if (!out) {
        fmt::print(stderr, "{}\n", cliSay(lang, CliText::CaCannotWrite, file));
        return 1;
    }
    fmt::print(stderr, "{}\n", cliSay(lang, CliText::CaWrote, ca->subject(), file));
    return 0;
}

}  // namespace mailsim::sim
