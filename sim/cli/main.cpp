// mailsim: the command-line program. See `mailsim --help` and `mailsim COMMAND --help` (sim/cli/CliHelp.cpp).
#include "sim/cli/Cli.hpp"
#include "sim/cli/CliText.hpp"
#include "sim/tools/CliArgs.hpp"

#include <cstdio>
#include <span>
#include <string>
#include <vector>

namespace {

using Main = int (*)(std::span<const std::string>);

struct Command {
    const char* name;
    Main main;
};

constexpr Command kCommands[] = {
    {"run", mailsim::sim::runMain},         {"predict", mailsim::sim::predictMain},
    {"serve", mailsim::sim::serveMain},     {"export", mailsim::sim::exportMain},
    {"check", mailsim::sim::checkMain},     {"ca", mailsim::sim::caMain},
    {"sandbox", mailsim::sim::sandboxMain}, {"record", mailsim::sim::recordMain},
    {"new", mailsim::sim::newMain},
};

// The manual in the language of the command line's --lang, else of the locale.
int printManual(std::string_view command, std::span<const std::string> args) {
    std::fputs(std::string(mailsim::sim::helpText(command, mailsim::sim::commandLineLang(args))).c_str(), stdout);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace mailsim::sim;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::fputs(std::string(helpText("", commandLineLang(args))).c_str(), stderr);
        return 2;
    }
    const std::string& cmd = args[0];
    if (isHelpOption(cmd)) return printManual("", args);
    if (cmd == "--version") {
        std::printf("mailsim %s\n", std::string(versionNumber()).c_str());
        return 0;
    }
    if (cmd == "help") {
        // `mailsim help [COMMAND] [--lang en|zh]`: the topic is what is left without --lang and its value.
        std::vector<std::string> topic;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (args[i] == "--lang" && i + 1 < args.size()) ++i;
            else topic.push_back(args[i]);
        }
        if (topic.empty()) return printManual("", args);
        if (topic.size() == 1 && isHelpOption(topic[0])) return printManual("help", args);
        if (topic.size() == 1 && topic[0] == "--version") {
            std::printf("mailsim %s\n", std::string(versionNumber()).c_str());
            return 0;
        }
        if (topic.size() == 1 && !helpText(topic[0]).empty()) return printManual(topic[0], args);
        std::fprintf(stderr, "%s\n", cliSay(commandLineLang(args), CliText::HelpNoManual, topic.back()).c_str());
        return 2;
    }
    for (const Command& c : kCommands) {
        if (cmd != c.name) continue;
        std::span<const std::string> rest(args.data() + 1, args.size() - 1);
        // --help/-h and --version anywhere among the command's own arguments (not after a lone "--").
        for (const std::string& a : rest) {
            if (a == "--") break;
            if (isHelpOption(a)) return printManual(cmd, args);
            if (a == "--version") {
                std::printf("mailsim %s\n", std::string(versionNumber()).c_str());
                return 0;
            }
        }
        return c.main(rest);
    }
    std::fprintf(stderr, "%s\n", cliSay(commandLineLang(args), CliText::UnknownCommand, cmd).c_str());
    return 2;
}
