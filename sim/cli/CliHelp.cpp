// The manuals of the `mailsim` subcommands (`mailsim CMD --help`), the version, and the option-value rules every
// subcommand shares (CliArgs.hpp). The usage texts of serve, sandbox/record and ca live beside their parsers
// (cli/CliServe.cpp, CliSandbox.cpp, CliCa.cpp) and are quoted here as their OPTIONS sections.
#include "sim/tools/CliArgs.hpp"
#include "sim/cli/Cli.hpp"
#include "sim/tools/Lang.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <map>

namespace mailsim::sim {
namespace {

constexpr const char* kOverview = R"(NAME
    mailsim - a laboratory for e-mail protocols (SMTP, POP3, IMAP)

SYNOPSIS
    mailsim COMMAND [ARGUMENTS...]
    mailsim --help | --version

COMMANDS
    mailsim run FILE          run a scenario headless and print its transcript
    mailsim predict FILE      the transcript as a quiz: guess each server reply before it is shown
    mailsim serve ...         SMTP/POP3/IMAP on real sockets (one host, or a scenario network with --config)
    mailsim export FILE       write a scenario's trace as pcap, Mermaid, SVG, JSON or text
    mailsim check [PATH]...   validate scenario files without running them
    mailsim new NAME          write NAME.yaml, a commented starter scenario
    mailsim sandbox FILE      type raw commands to the servers of a scenario's network
    mailsim record ...        the sandbox, saved as a scenario; or a live trace turned into one
    mailsim ca ...            the classroom certificate authority for students' mail clients
    mailsim help [COMMAND]    this overview, or a command's manual

    `mailsim COMMAND --help` prints each command's manual.

EXIT STATUS
    0 success; 1 the command ran and something failed (an expectation, a file it had to write); 2 usage error or
    unusable input (on stderr: what was wrong and what was expected).
)";

constexpr const char* kRun = R"(NAME
    mailsim run - run a scenario headless and print its transcript

SYNOPSIS
    mailsim run FILE [--format text|json] [--times] [--no-states] [--seed N] [--until CHECKPOINT] [--lang en|zh]

DESCRIPTION
    Loads the scenario FILE, runs it in virtual time and prints the transcript on stdout: S:/C: lines with the
    state changes of each session. The count of expectations held goes to stderr, with every failed one.

OPTIONS
    --format text|json   the transcript as text (default) or as the trace in JSON
    --times              prefix each line with its virtual time
    --no-states          leave out the state changes
    --seed N             a positive whole number replacing the scenario's seed (loss, retries)
    --until CHECKPOINT   stop the transcript at the named checkpoint (a '- checkpoint: NAME' step)
    --lang en|zh         the language of the annotations and the title (default: from LC_ALL, LC_MESSAGES, LANG);
                         protocol lines are never translated
    -h, --help           this manual;  --version  the version

EXIT STATUS
    0 every expectation held; 1 an expectation failed; 2 the file is unusable or the arguments are wrong.
)";

constexpr const char* kPredict = R"(NAME
    mailsim predict - the transcript as a quiz: guess each server reply before it is shown

SYNOPSIS
    mailsim predict FILE [--answers A,B,...] [--states] [--seed N] [--from CHECKPOINT] [--session N]
                    [--protocol smtp|pop3|imap] [--lang en|zh]

DESCRIPTION
    Prints the transcript and, before each server reply (SMTP code, POP3 +OK/-ERR, IMAP OK/NO/BAD), asks for your
    guess on stdin; says right or wrong with the reply catalogue's explanation and prints the score. The end of
    stdin ends the quiz with the score so far.

OPTIONS
    --answers A,B,...    the guesses up front, comma-separated (checks a key; nothing is read from stdin)
    --states             ask the state changes too
    --seed N             a positive whole number replacing the scenario's seed
    --from CHECKPOINT    ask only from the named checkpoint on
    --session N          ask only the replies of session N
    --protocol P         ask only the replies of one protocol (smtp, pop3 or imap)
    --lang en|zh         the language of the questions and the feedback (default: from the locale)
    -h, --help           this manual;  --version  the version

EXIT STATUS
    0 the quiz ran (also when stdin ended early); 2 the file is unusable or the arguments are wrong.
)";

constexpr const char* kExport = R"(NAME
    mailsim export - write a scenario's trace for Wireshark, slides or programs

SYNOPSIS
    mailsim export FILE [--pcap OUT] [--mermaid OUT] [--svg OUT] [--json OUT] [--text OUT]

DESCRIPTION
    Runs the scenario headless and writes its trace in every format asked for: a packet capture (synthesised
    Ethernet/IPv4/TCP around the exact bytes, for Wireshark/tshark), a sequence diagram (Mermaid text or SVG),
    JSON, or the text transcript. OUT "-" writes to stdout (one output at a time). At least one output is needed.

OPTIONS
    --pcap OUT, --mermaid OUT, --svg OUT, --json OUT, --text OUT
                         write that format to OUT ("-" for stdout, e.g. `mailsim export F --pcap - | tshark -r -`)
    -h, --help           this manual;  --version  the version

EXIT STATUS
    0 written (also when an expectation of the scenario failed: the export shows what happened); 2 unusable
    scenario, wrong arguments, or a file that could not be written.
)";

constexpr const char* kCheck = R"(NAME
    mailsim check - validate scenario files without running them

SYNOPSIS
    mailsim check [FILE|DIR]... [--lang en|zh]

DESCRIPTION
    Loads each FILE, and every .yaml/.yml file under each DIR (default: scenarios/), and prints 'ok' or every
    problem as file:line:col: message. Files in a directory named 'networks' are network files for 'include:' and
    are checked as such. A text given in one language only (title, description, note, label) gets a warning.

OPTIONS
    --lang en|zh         the language of the messages (default: from the locale)
    -h, --help           this manual;  --version  the version

EXIT STATUS
    0 every file is valid; 2 some file is not, or nothing was found.
)";

constexpr const char* kNew = R"(NAME
    mailsim new - write a commented starter scenario

SYNOPSIS
    mailsim new NAME

DESCRIPTION
    Writes NAME.yaml (".yaml" added when missing): a small valid scenario with every line commented, to edit, then
    `mailsim check NAME.yaml` and `mailsim run NAME.yaml`. An existing file is never overwritten.

OPTIONS
    -h, --help           this manual;  --version  the version

EXIT STATUS
    0 written; 2 the file exists, cannot be written, or the arguments are wrong.
)";

constexpr const char* kServeHead = R"(NAME
    mailsim serve - SMTP, POP3 and IMAP on real sockets, for real mail clients

DESCRIPTION
    Serves one mail host from the command line, or with --config every host of a scenario network, printing the
    trace live on stdout. SIGINT/SIGTERM: idle sessions get the protocol's goodbye, open transactions may finish
    (5 s), exit 0. --trace-out - writes the JSON lines to stdout; the human-readable trace and the 'listening'
    lines then go to stderr. A Maildir that cannot be written is reported at start.

SYNOPSIS AND OPTIONS
)";

constexpr const char* kServeTail = R"(
EXIT STATUS
    0 stopped by SIGINT/SIGTERM; 1 cannot listen, use the Maildir, or set up TLS; 2 wrong arguments.
)";

constexpr const char* kSandboxHead = R"(NAME
    mailsim sandbox, mailsim record - type raw commands to the servers of a scenario's network

DESCRIPTION
    The scenario's network, live and telnet-style: the answers, state changes and mailbox changes are printed as
    they happen. `record` saves what was typed as a scenario that replays and checks it.

SYNOPSIS AND OPTIONS
)";

constexpr const char* kSandboxTail = R"(
EXIT STATUS
    0 done; 1 saving failed; 2 unusable scenario or wrong arguments.
)";

constexpr const char* kCaHead = R"(NAME
    mailsim ca - the classroom certificate authority

DESCRIPTION
    `mailsim serve` and the virtual network use certificates from a classroom CA that is created on first use.
    An existing CA is never replaced: when its ca.pem or ca.key cannot be read or is corrupt, the command stops
    and names the file. `show` only looks: it creates nothing when there is no CA.

SYNOPSIS AND OPTIONS
)";

constexpr const char* kCaTail = R"(
EXIT STATUS
    0 done; 1 the CA cannot be created or read, or FILE written; 2 wrong arguments.
)";

constexpr const char* kHelp = R"(NAME
    mailsim help - the overview, or a command's manual

SYNOPSIS
    mailsim help [COMMAND]

EXIT STATUS
    0 printed; 2 unknown command.
)";

}  // namespace

std::string_view helpText(std::string_view command, i18n::Lang lang) {
    if (lang == i18n::Lang::Zh) return helpTextZh(command);
    static const std::map<std::string, std::string, std::less<>> manuals{
        {"", kOverview},
        {"run", kRun},
        {"predict", kPredict},
        {"export", kExport},
        {"check", kCheck},
        {"new", kNew},
        {"help", kHelp},
        {"serve", std::string(kServeHead) + serveUsageText() + kServeTail},
        {"sandbox", std::string(kSandboxHead) + sandboxUsageText() + kSandboxTail},
        {"record", std::string(kSandboxHead) + sandboxUsageText() + kSandboxTail},
        {"ca", std::string(kCaHead) + caUsageText() + kCaTail},
    };
    auto it = manuals.find(command);
    return it == manuals.end() ? std::string_view() : std::string_view(it->second);
}

bool isHelpOption(std::string_view arg) { return arg == "--help" || arg == "-h"; }

bool looksLikeOption(std::string_view arg) { return arg.size() >= 2 && arg[0] == '-'; }

std::expected<std::string, std::string> optionValue(std::span<const std::string> args, std::size_t& i,
                                                    std::string_view what, i18n::Lang lang) {
    const std::string& option = args[i];
    const bool zh = lang == i18n::Lang::Zh;
    if (i + 1 >= args.size())
        return std::unexpected(fmt::format(fmt::runtime(zh ? "{} 后面需要{}" : "{} needs {}"), option, what));
    if (looksLikeOption(args[i + 1]))
        return std::unexpected(fmt::format(fmt::runtime(zh ? "{} 后面需要{}，却是选项 {}" : "{} needs {}, got the option {}"),
                                           option, what, args[i + 1]));
    return args[++i];
}

int usageError(std::string_view command, std::string_view message) {
    return usageError(command, message, langFromEnvironment());
}

int usageError(std::string_view command, std::string_view message, i18n::Lang lang) {
    fmt::print(stderr, fmt::runtime(lang == i18n::Lang::Zh ? "mailsim {0}：{1}\n（参见 'mailsim {0} --help'）\n"
                                                           : "mailsim {0}: {1}\n(see 'mailsim {0} --help')\n"),
               command, message);
    return 2;
}

i18n::Lang commandLineLang(std::span<const std::string> args) {
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "--") break;
        if (args[i] == "--lang")
            if (auto lang = i18n::parseLang(args[i + 1])) return *lang;
    }
    return langFromEnvironment();
}

}  // namespace mailsim::sim
