// `mailsim export`: runs a scenario headless and writes its trace in the formats asked for.
#include "sim/world/Api.hpp"
#include "sim/cli/Cli.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/tools/Export.hpp"
#include "sim/tools/Transcript.hpp"

#include <algorithm>
#include <cstdio>
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
            auto v = optionValue(args, i, "an output file (or - for stdout)");
            if (!v) return usageError("export", v.error());
            if (v->empty()) return usageError("export", a + " needs an output file (or - for stdout), got ''");
            outputs.emplace_back(a.substr(2), *v);
        } else if (looksLikeOption(a)) {
            return usageError("export", fmt::format("unknown option '{}'; expected --pcap, --mermaid, --svg, --json or "
                                                    "--text", a));
        } else if (file.empty()) {
            file = a;
        } else {
            return usageError("export", fmt::format("one scenario file at a time ('{}' and '{}')", file, a));
        }
    }
    if (file.empty()) return usageError("export", "which scenario? expected: mailsim export FILE --pcap OUT ...");
    if (outputs.empty())
        return usageError("export", "nothing to write: expected at least one of --pcap, --mermaid, --svg, --json, "
                                    "--text OUT");
    if (std::ranges::count(outputs, std::string("-"), &std::pair<std::string, std::string>::second) > 1)
        return usageError("export", "only one output can go to stdout ('-')");
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
        if (path == "-") {  // stdout, e.g. `mailsim export F --pcap - | tshark -r -`
            if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
                fmt::print(stderr, "mailsim export: cannot write to stdout ({})\n", format);
                return 2;
            }
            fmt::print(stderr, "wrote stdout ({}, {} octets)\n", format, bytes.size());
            continue;
        }
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
