// `mailsim export`: runs a scenario headless and writes its trace in the formats asked for.
#include "sim/world/Api.hpp"
#include "sim/cli/Cli.hpp"
#include "sim/cli/CliText.hpp"
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
    const auto chosen = commandLang(args, "export");
    if (!chosen) return 2;
    const i18n::Lang lang = *chosen;  // the messages, the text transcript's annotations, the diagrams' titles
    auto usage = [lang](CliText id, auto&&... a) {
        return usageError("export", cliSay(lang, id, std::forward<decltype(a)>(a)...), lang);
    };
    std::string file;
    std::vector<std::pair<std::string, std::string>> outputs;  // format, path
    static const std::vector<std::string> kFormats{"--pcap", "--mermaid", "--svg", "--json", "--text"};
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--lang") {
            ++i;  // checked by commandLang
        } else if (std::ranges::find(kFormats, a) != kFormats.end()) {
            auto v = optionValue(args, i, cliText(CliText::WantOutputOrStdout, lang), lang);
            if (!v) return usageError("export", v.error(), lang);
            if (v->empty()) return usage(CliText::ExportNeedsOutput, a);
            outputs.emplace_back(a.substr(2), *v);
        } else if (looksLikeOption(a)) {
            return usage(CliText::ExportUnknownOption, a);
        } else if (file.empty()) {
            file = a;
        } else {
            return usage(CliText::RunOneFile, file, a);
        }
    }
    if (file.empty()) return usage(CliText::ExportNoFile);
    if (outputs.empty()) return usage(CliText::ExportNothing);
    if (std::ranges::count(outputs, std::string("-"), &std::pair<std::string, std::string>::second) > 1)
        return usage(CliText::ExportOneStdout);
    auto result = runScenarioFile(file);
    if (!result) {
        for (const auto& d : result.error()) fmt::print(stderr, "{}\n", d.format(lang));
        fmt::print(stderr, "{}\n", cliSay(lang, CliText::ExportProblems, result.error().size(), file,
                                          result.error().size() == 1 ? "" : "s"));
        return 2;
    }
    TranscriptOptions text;
    text.lang = lang;
    text.scenarioText = &result->scenarioText;
    const std::string& title = result->title.in(lang);
    for (const auto& [format, path] : outputs) {
        std::string bytes = format == "pcap"      ? exportPcap(result->trace)
                            : format == "mermaid" ? exportMermaid(result->trace, title, lang)
                            : format == "svg"     ? exportSvg(result->trace, title)
                            : format == "json"    ? formatJson(result->trace)
                                                  : formatTranscript(result->trace, text);
        if (path == "-") {  // stdout, e.g. `mailsim export F --pcap - | tshark -r -`
            if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
                fmt::print(stderr, "{}\n", cliSay(lang, CliText::ExportCannotWriteStdout, format));
                return 2;
            }
            fmt::print(stderr, "{}\n", cliSay(lang, CliText::ExportWroteStdout, format, bytes.size()));
            continue;
        }
        std::ofstream out(path, std::ios::binary);
        out << bytes;
        out.close();
        if (!out) {
            fmt::print(stderr, "{}\n", cliSay(lang, CliText::ExportCannotWrite, path, format));
            return 2;
        }
        fmt::print(stderr, "{}\n", cliSay(lang, CliText::ExportWrote, path, format, bytes.size()));
    }
    if (!result->ok())
        fmt::print(stderr, "{}\n", cliSay(lang, CliText::ExportFailedNote, result->failures.size(), file));
    return 0;
}

}  // namespace mailsim::sim
