// `mailsim export`: runs a scenario headless and writes its trace in the formats asked for.
#include "Api.hpp"
#include "Cli.hpp"
#include "Export.hpp"
#include "Transcript.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <functional>

namespace mailsim::sim {

int exportMain(std::span<const std::string> args) {
    std::string file;
    std::vector<std::pair<std::string, std::string>> outputs;  // format, path
    static const std::vector<std::string> kFormats{"--pcap", "--mermaid", "--svg", "--json", "--text"};
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (std::ranges::find(kFormats, a) != kFormats.end()) {
            if (i + 1 >= args.size()) {
                fmt::print(stderr, "mailsim export: {} needs an output file\n", a);
                return 2;
            }
            outputs.emplace_back(a.substr(2), args[++i]);
        } else if (a.starts_with("-")) {
            fmt::print(stderr, "mailsim export: unknown option '{}'; expected --pcap, --mermaid, --svg, --json or --text\n", a);
            return 2;
        } else if (file.empty()) {
            file = a;
        } else {
            fmt::print(stderr, "mailsim export: one scenario file at a time ('{}' and '{}')\n", file, a);
            return 2;
        }
    }
    if (file.empty() || outputs.empty()) {
        fmt::print(stderr, "usage: mailsim export SCENARIO [--pcap F] [--mermaid F] [--svg F] [--json F] [--text F]\n");
        return 2;
    }
    auto result = runScenarioFile(file);
    if (!result) {
        for (const auto& d : result.error()) fmt::print(stderr, "{}\n", d.format());
        return 2;
    }
    for (const auto& [format, path] : outputs) {
        std::string bytes = format == "pcap"      ? exportPcap(result->trace)
                            : format == "mermaid" ? exportMermaid(result->trace, result->title.en)
                            : format == "svg"     ? exportSvg(result->trace, result->title.en)
                            : format == "json"    ? formatJson(result->trace)
                                                  : formatTranscript(result->trace);
        std::ofstream out(path, std::ios::binary);
        out << bytes;
        out.close();
        if (!out) {
            fmt::print(stderr, "mailsim export: cannot write {} ({})\n", path, format);
            return 2;
        }
        fmt::print(stderr, "wrote {} ({}, {} octets)\n", path, format, bytes.size());
    }
    if (!result->ok())
        fmt::print(stderr, "note: {} expectation(s) of {} failed; the export shows what happened\n",
                   result->failures.size(), file);
    return 0;
}

}  // namespace mailsim::sim
