// `mailsim ca`: the classroom certificate authority (sim/tls/Tls.hpp) for students' mail clients.
#include "sim/cli/Cli.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/tls/Tls.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>

namespace mailsim::sim {
namespace {

constexpr const char* kCaUsage =
    "usage: mailsim ca export [FILE] [--dir DIR]   write the classroom CA certificate (PEM) to FILE or stdout\n"
    "       mailsim ca show [--dir DIR]            print where the CA lives and its subject\n"
    "  --dir DIR   the CA directory (default: $MAILSIM_CA_DIR, else $XDG_DATA_HOME/mailsim/ca,\n"
    "              else ~/.local/share/mailsim/ca); created with a new CA on first use\n"
    "Students import the exported certificate into their mail client (or pass it to curl --cacert,\n"
    "python's ssl.create_default_context(cafile=...)) to trust `mailsim serve` and the virtual network.\n";

}  // namespace

std::string caUsageText() { return kCaUsage; }

int caMain(std::span<const std::string> args) {
    std::string action, file, dir;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--dir") {
            auto v = optionValue(args, i, "the CA directory");
            if (!v) return usageError("ca", v.error());
            if (v->empty() || *v == "-") return usageError("ca", "--dir needs the CA directory, got '" + *v + "'");
            dir = *v;
        } else if (action.empty() && (a == "export" || a == "show")) {
            action = a;
        } else if (action == "export" && file.empty() && (a == "-" || !looksLikeOption(a))) {
            file = a;
        } else if (action.empty() && !looksLikeOption(a)) {
            return usageError("ca", fmt::format("unknown action '{}'; expected export or show", a));
        } else {
            return usageError("ca", fmt::format("unexpected argument '{}'; expected: mailsim ca export [FILE] [--dir "
                                                "DIR] or mailsim ca show [--dir DIR]", a));
        }
    }
    if (action.empty()) return usageError("ca", "which action? expected export or show");
    const std::filesystem::path where = dir.empty() ? ClassroomCa::defaultDirectory() : std::filesystem::path(dir);
    if (action == "show") {  // looks only: creates no directory, key or lock file
        auto found = ClassroomCa::load(where);
        if (!found) {
            std::fprintf(stderr, "mailsim ca: %s\n", found.error().c_str());
            return 1;
        }
        if (!*found) {
            std::printf("directory: %s\nno classroom CA there yet: `mailsim ca export` or `mailsim serve` creates it\n",
                        where.c_str());
            return 0;
        }
        std::printf("directory: %s\nsubject:   %s\n", (*found)->directory().c_str(), (*found)->subject().c_str());
        return 0;
    }
    auto ca = ClassroomCa::open(where);
    if (!ca) {
        std::fprintf(stderr, "mailsim ca: %s\n", ca.error().c_str());
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
        std::fprintf(stderr, "mailsim ca: cannot write %s\n", file.c_str());
        return 1;
    }
    std::fprintf(stderr, "wrote the classroom CA certificate (%s) to %s\n", ca->subject().c_str(), file.c_str());
    return 0;
}

}  // namespace mailsim::sim
