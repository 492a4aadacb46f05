// `mailsim sandbox` and `mailsim record`: type raw commands to any server of a scenario's network, telnet-style, and
// save what was typed as a scenario (Sandbox.hpp).
#include "sim/cli/Cli.hpp"
#include "sim/cli/CliText.hpp"
#include "sim/tools/Lang.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/tools/LiveTrace.hpp"
#include "sim/tools/Record.hpp"
#include "sim/tools/Sandbox.hpp"
#include "sim/tools/Transcript.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

namespace mailsim::sim {
namespace {

struct Options {
    std::string file, from, connect, protocol, save, fromTrace;
    bool fresh = false;
    i18n::Lang lang = langFromEnvironment();
};

std::string say(i18n::Lang lang, CliText id, auto&&... args) {
    return fmt::format(fmt::runtime(cliText(id, lang)), std::forward<decltype(args)>(args)...);
}

void printNewEvents(const Sandbox& box, std::size_t& shown, bool echoCommands, i18n::Lang lang) {
    const auto& events = box.result().trace.events();
    TranscriptOptions opt;
    opt.lang = lang;
    opt.scenarioText = &box.result().scenarioText;
    for (; shown < events.size(); ++shown) {
        const trace::Event& e = events[shown];
        if (!echoCommands && e.kind == trace::EventKind::Line && e.direction == trace::Direction::ClientToServer)
            continue;  // the student sees what they typed
        std::string line = formatEvent(box.result().trace, e, opt);
        if (!line.empty()) std::printf("%s\n", line.c_str());
    }
    std::fflush(stdout);
}

bool save(const Sandbox& box, const std::string& out, i18n::Lang lang) {
    auto yaml = box.scenarioYaml();
    if (!yaml) {
        std::fprintf(stderr, "mailsim sandbox: %s\n", yaml.error().c_str());
        return false;
    }
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    f << *yaml;
    f.close();
    if (!f) {
        std::fprintf(stderr, "%s\n", say(lang, CliText::SandboxCannotWrite, out).c_str());
        return false;
    }
    std::fprintf(stderr, "%s\n", say(lang, CliText::SandboxWrote, out, box.sessions().size(), box.sessions().size() == 1 ? "" : "s").c_str());
    return true;
}

int sandboxLoop(const Options& o) {
    auto opened = Sandbox::open(o.file, o.fresh);
    if (!opened) {
        for (const auto& d : opened.error()) std::fprintf(stderr, "%s\n", d.format(o.lang).c_str());
        return 2;
    }
    Sandbox& box = **opened;
    const bool interactive = ::isatty(STDIN_FILENO);
    std::size_t shown = box.result().trace.size();  // the scenario's own run is not repeated here
    std::string from = o.from;
    const i18n::Lang lang = o.lang;
    std::printf("%s\n", say(lang, CliText::SandboxTitle, box.result().title.in(lang)).c_str());
    for (const auto& s : box.servers()) std::printf("%s\n", say(lang, CliText::SandboxServer, s).c_str());
    std::printf("%s\n", say(lang, CliText::SandboxHelpHint).c_str());
    auto connectTo = [&](const std::string& target, const std::string& protocol) {
        auto greeting = box.connect(from, target, protocol);
        if (!greeting) std::printf("!! %s\n", greeting.error().c_str());
        printNewEvents(box, shown, !interactive, lang);
    };
    if (!o.connect.empty()) connectTo(o.connect, o.protocol);
    std::string line;
    int rc = 0;
    while (true) {
        if (interactive) {
            std::printf(box.connected() ? "C: " : "sandbox> ");
            std::fflush(stdout);
        }
        if (!std::getline(std::cin, line)) break;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.starts_with("/")) {
            std::string cmd = line.substr(0, line.find(' '));
            std::string rest = line.size() > cmd.size() ? line.substr(cmd.size() + 1) : "";
            if (cmd == "/quit" || cmd == "/exit") break;
            if (cmd == "/help") std::fputs(sandboxUsageText(lang).c_str(), stdout);
            else if (cmd == "/servers")
                for (const auto& s : box.servers()) std::printf("%s\n", say(lang, CliText::SandboxServer, s).c_str());
            else if (cmd == "/from") from = rest;
            else if (cmd == "/close") box.disconnect(), printNewEvents(box, shown, !interactive, lang);
            else if (cmd == "/save") rc = save(box, rest, lang) ? rc : 1;
            else if (cmd == "/connect") {
                auto sp = rest.find(' ');
                connectTo(rest.substr(0, sp), sp == std::string::npos ? "" : rest.substr(sp + 1));
            } else std::printf("%s\n", say(lang, CliText::SandboxUnknownCommand, cmd).c_str());
            continue;
        }
        if (!box.connected()) {
            std::printf("%s\n", say(lang, CliText::SandboxNotConnected).c_str());
            continue;
        }
        std::string answer = box.send(line);
        printNewEvents(box, shown, !interactive, lang);
        if (answer.starts_with("(")) std::printf("   %s\n", answer.c_str());
    }
    box.disconnect();
    printNewEvents(box, shown, !interactive, lang);
    if (!o.save.empty() && !save(box, o.save, lang)) rc = 1;
    return rc;
}

int recordFromTrace(const Options& o) {
    LiveTraceReader reader(o.fromTrace);
    trace::Trace trace;
    auto polled = reader.poll(trace);
    if (polled.missing) {
        std::fprintf(stderr, "%s\n", say(o.lang, CliText::RecordCannotRead, o.fromTrace).c_str());
        return 2;
    }
    if (reader.refused()) {
        std::fprintf(stderr, "mailsim record: %s\n", reader.refusedText(o.lang).c_str());
        return 2;
    }
    if (reader.badLines() > 0)
        std::fprintf(stderr, "%s\n", say(o.lang, CliText::RecordSkipped, reader.badLines(), o.fromTrace).c_str());
    std::string yaml = scenarioFromTrace(trace, {"Recorded from a live session", o.fromTrace});
    if (yaml.empty()) {
        std::fprintf(stderr, "%s\n", say(o.lang, CliText::RecordNoSession, o.fromTrace).c_str());
        return 2;
    }
    std::ofstream f(o.save, std::ios::binary | std::ios::trunc);
    f << yaml;
    f.close();
    if (!f) {
        std::fprintf(stderr, "%s\n", say(o.lang, CliText::RecordCannotWrite, o.save).c_str());
        return 1;
    }
    std::fprintf(stderr, "%s\n",
                 say(o.lang, CliText::RecordWrote, o.save, trace.sessions().size(), trace.sessions().size() == 1 ? "" : "s",
                     o.fromTrace).c_str());
    return 0;
}

std::expected<Options, std::string> parse(std::span<const std::string> args, bool record) {
    Options o;
    o.lang = commandLineLang(args);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() {
            return optionValue(args, i,
                               cliText(a == "--from"         ? CliText::WantClientHost
                                       : a == "--connect"    ? CliText::WantServer
                                       : a == "--protocol"   ? CliText::WantProtocol
                                       : a == "--from-trace" ? CliText::WantTraceFile
                                       : a == "--lang"       ? CliText::WantLang
                                                             : CliText::WantOutputFile, o.lang),
                               o.lang);
        };
        if (a == "--fresh") o.fresh = true;
        else if (a == "--lang") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            const auto lang = parseLangOption(*v);
            if (!lang) return std::unexpected(say(o.lang, CliText::LangBad, record ? "record" : "sandbox", *v));
            o.lang = *lang;
        }
        else if (a == "--from" || a == "--connect" || a == "--protocol" || a == "--save" || a == "--out" ||
                 (record && a == "--from-trace")) {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            (a == "--from"         ? o.from
             : a == "--connect"    ? o.connect
             : a == "--protocol"   ? o.protocol
             : a == "--from-trace" ? o.fromTrace
                                   : o.save) = *v;
        } else if (a == "--help" || a == "-h") return std::unexpected("");
        else if (o.file.empty() && !looksLikeOption(a)) o.file = a;
        else if (looksLikeOption(a))
            return std::unexpected(say(o.lang, record ? CliText::RecordUnknownOption : CliText::SandboxUnknownOption, a));
        else return std::unexpected(say(o.lang, CliText::RunOneFile, o.file, a));
    }
    if (o.file.empty() && o.fromTrace.empty()) return std::unexpected(std::string(cliText(CliText::SandboxNoFile, o.lang)));
    if (!o.file.empty() && !o.fromTrace.empty())
        return std::unexpected(std::string(cliText(CliText::RecordFileOrTrace, o.lang)));
    if (record && o.save.empty()) return std::unexpected(std::string(cliText(CliText::RecordNeedsOut, o.lang)));
    return o;
}

int sandboxOrRecord(std::span<const std::string> args, bool record) {
    auto o = parse(args, record);
    if (!o) {
        if (o.error().empty()) {
            std::fputs(sandboxUsageText(commandLineLang(args)).c_str(), stdout);
            return 0;
        }
        return usageError(record ? "record" : "sandbox", o.error(), commandLineLang(args));
    }
    if (!o->fromTrace.empty()) return recordFromTrace(*o);
    return sandboxLoop(*o);
}

}  // namespace

std::string sandboxUsageText(i18n::Lang lang) { return std::string(cliText(CliText::SandboxUsage, lang)); }

int sandboxMain(std::span<const std::string> args) { return sandboxOrRecord(args, false); }
int recordMain(std::span<const std::string> args) { return sandboxOrRecord(args, true); }

}  // namespace mailsim::sim
