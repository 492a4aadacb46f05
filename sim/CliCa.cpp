// `mailsim ca`: the classroom certificate authority (sim/Tls.hpp) for students' mail clients.
#include "Cli.hpp"
#include "Tls.hpp"

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

int caMain(std::span<const std::string> args) {
    std::string action, file, dir;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--dir" && i + 1 < args.size()) {
            dir = args[++i];
        } else if (a == "--help" || a == "-h") {
            std::fputs(kCaUsage, stdout);
            return 0;
        } else if (action.empty() && (a == "export" || a == "show")) {
            action = a;
        } else if (action == "export" && file.empty() && (a == "-" || !a.starts_with("-"))) {
            file = a;
        } else {
            std::fprintf(stderr, "mailsim ca: unexpected argument '%s'\n%s", a.c_str(), kCaUsage);
            return 2;
        }
    }
    if (action.empty()) {
        std::fputs(kCaUsage, stderr);
        return 2;
    }
    auto ca = ClassroomCa::open(dir.empty() ? ClassroomCa::defaultDirectory() : std::filesystem::path(dir));
    if (!ca) {
        std::fprintf(stderr, "mailsim ca: %s\n", ca.error().c_str());
        return 1;
    }
    if (action == "show") {
        std::printf("directory: %s\nsubject:   %s\n", ca->directory().c_str(), ca->subject().c_str());
        return 0;
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
