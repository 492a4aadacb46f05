// The manuals of the `mailsim` subcommands (`mailsim CMD --help`) in English and Chinese, the version, and the
// option-value rules every subcommand shares (CliArgs.hpp). One table, keyed by command, holds each manual in both
// languages: the same sections in the same order, the glossary's terms (lessons/glossary.md); option names, commands
// and file names stay as typed. The OPTIONS sections of serve, sandbox/record and ca are their usage texts, kept
// beside their parsers (CliServe.cpp with sim/serve/ServeText.cpp, CliSandbox.cpp, CliCa.cpp) in both languages.
#include "sim/tools/CliArgs.hpp"
#include "sim/cli/Cli.hpp"
#include "sim/cli/CliText.hpp"
#include "sim/tools/Lang.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace mailsim::sim {
namespace {

constexpr i18n::LocalView kOverview{
    R"(NAME
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

    `mailsim COMMAND --help` prints each command's manual; --lang en|zh chooses the language of the manuals and
    messages (default: from LC_ALL, LC_MESSAGES, LANG).

EXIT STATUS
    0 success; 1 the command ran and something failed (an expectation, a file it had to write); 2 usage error or
    unusable input (on stderr: what was wrong and what was expected).
)",
    R"(名称
    mailsim - 电子邮件协议（SMTP、POP3、IMAP）实验室

用法
    mailsim 命令 [参数...]
    mailsim --help | --version

命令
    mailsim run 文件          在后台运行一个场景，打印它的运行记录
    mailsim predict 文件      把运行记录变成测验：在每个服务器应答显示之前先猜
    mailsim serve ...         在真实套接字上提供 SMTP/POP3/IMAP（一台主机，或用 --config 提供整个场景网络）
    mailsim export 文件       把场景的跟踪记录写成 pcap、Mermaid、SVG、JSON 或文本
    mailsim check [路径]...   检查场景文件而不运行
    mailsim new 名称          写出 名称.yaml：一个带注释的入门场景
    mailsim sandbox 文件      向场景网络中的服务器直接输入命令
    mailsim record ...        把沙盒里的操作保存为场景；或把实时跟踪记录转成场景
    mailsim ca ...            课堂证书颁发机构，供学生的邮件客户端使用
    mailsim help [命令]       本概览，或某个命令的手册

    `mailsim 命令 --help` 打印各命令的手册；加 --lang en|zh 选择语言（默认取自 LC_ALL、LC_MESSAGES、LANG）。

退出状态
    0 成功；1 命令运行了但有失败（某个预期、某个要写的文件）；2 用法错误或输入无法使用（stderr 上说明错在哪里、
    应该是什么）。
)"};

constexpr i18n::LocalView kRun{
    R"(NAME
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
)",
    R"(名称
    mailsim run - 在后台运行一个场景，打印它的运行记录

用法
    mailsim run 文件 [--format text|json] [--times] [--no-states] [--seed N] [--until 检查点] [--lang en|zh]

说明
    载入场景文件，在虚拟时间中运行，把运行记录打印到 stdout：S:/C: 行以及每个会话的状态变化。成立的预期个数
    以及每个失败的预期打印到 stderr。

选项
    --format text|json   运行记录为文本（默认），或为 JSON 格式的跟踪记录
    --times              每行前面加上它的虚拟时间
    --no-states          不显示状态变化
    --seed N             用一个正整数替换场景的随机种子（丢包、重试）
    --until 检查点       运行记录在指定的检查点（'- checkpoint: 名称' 步骤）处停止
    --lang en|zh         注释和标题的语言（默认取自 LC_ALL、LC_MESSAGES、LANG）；协议行从不翻译
    -h, --help           本手册；  --version  版本

退出状态
    0 所有预期都成立；1 有预期失败；2 文件无法使用或参数错误。
)"};

constexpr i18n::LocalView kPredict{
    R"(NAME
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
)",
    R"(名称
    mailsim predict - 把运行记录变成测验：在每个服务器应答显示之前先猜

用法
    mailsim predict 文件 [--answers A,B,...] [--states] [--seed N] [--from 检查点] [--session N]
                    [--protocol smtp|pop3|imap] [--lang en|zh]

说明
    打印运行记录，并在每个服务器应答（SMTP 应答码、POP3 +OK/-ERR、IMAP OK/NO/BAD）之前从 stdin 读取你的猜测；
    用应答目录的解释告诉你对错，最后打印得分。stdin 结束时测验也结束，并给出当时的得分。

选项
    --answers A,B,...    事先给出全部猜测，用逗号分隔（用来核对答案；不从 stdin 读取）
    --states             也问状态变化
    --seed N             用一个正整数替换场景的随机种子
    --from 检查点        只从指定的检查点开始提问
    --session N          只问第 N 个会话的应答
    --protocol P         只问一种协议的应答（smtp、pop3 或 imap）
    --lang en|zh         问题和反馈的语言（默认取自区域设置）
    -h, --help           本手册；  --version  版本

退出状态
    0 测验已运行（stdin 提前结束也是）；2 文件无法使用或参数错误。
)"};

constexpr i18n::LocalView kExport{
    R"(NAME
    mailsim export - write a scenario's trace for Wireshark, slides or programs

SYNOPSIS
    mailsim export FILE [--pcap OUT] [--mermaid OUT] [--svg OUT] [--json OUT] [--text OUT] [--lang en|zh]

DESCRIPTION
    Runs the scenario headless and writes its trace in every format asked for: a packet capture (synthesised
    Ethernet/IPv4/TCP around the exact bytes, for Wireshark/tshark), a sequence diagram (Mermaid text or SVG),
    JSON, or the text transcript. OUT "-" writes to stdout (one output at a time). At least one output is needed.

OPTIONS
    --pcap OUT, --mermaid OUT, --svg OUT, --json OUT, --text OUT
                         write that format to OUT ("-" for stdout, e.g. `mailsim export F --pcap - | tshark -r -`)
    --lang en|zh         the language of the messages, the text transcript's annotations, the diagrams' titles and
                         notes (default: from the locale); protocol lines are never translated
    -h, --help           this manual;  --version  the version

EXIT STATUS
    0 written (also when an expectation of the scenario failed: the export shows what happened); 2 unusable
    scenario, wrong arguments, or a file that could not be written.
)",
    R"(名称
    mailsim export - 为 Wireshark、幻灯片或程序写出场景的跟踪记录

用法
    mailsim export 文件 [--pcap 输出] [--mermaid 输出] [--svg 输出] [--json 输出] [--text 输出] [--lang en|zh]

说明
    在后台运行场景，按要求的每种格式写出它的跟踪记录：抓包文件（在原样字节外合成 Ethernet/IPv4/TCP，供
    Wireshark/tshark 使用）、时序图（Mermaid 文本或 SVG）、JSON，或文本运行记录。输出为 "-" 时写到 stdout
    （一次只能一个）。至少需要一个输出。

选项
    --pcap 输出, --mermaid 输出, --svg 输出, --json 输出, --text 输出
                         把该格式写到“输出”（"-" 表示 stdout，例如 `mailsim export F --pcap - | tshark -r -`）
    --lang en|zh         消息、文本运行记录的注释、时序图的标题和注解的语言（默认取自区域设置）；协议行从不翻译
    -h, --help           本手册；  --version  版本

退出状态
    0 已写出（场景的某个预期失败时也是：导出显示实际发生的事）；2 场景无法使用、参数错误，或文件无法写入。
)"};

constexpr i18n::LocalView kCheck{
    R"(NAME
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
)",
    R"(名称
    mailsim check - 检查场景文件而不运行

用法
    mailsim check [文件|目录]... [--lang en|zh]

说明
    载入每个文件，以及每个目录（默认：scenarios/）下的每个 .yaml/.yml 文件，打印 'ok'，或把每个问题打印为
    文件:行:列: 消息。名为 'networks' 的目录中的文件是供 'include:' 使用的网络文件，按网络文件检查。只用一种
    语言写的文本（标题、描述、讲解、标签）会得到一个警告。

选项
    --lang en|zh         消息的语言（默认取自区域设置）
    -h, --help           本手册；  --version  版本

退出状态
    0 所有文件都有效；2 有文件无效，或什么也没找到。
)"};

constexpr i18n::LocalView kNew{
    R"(NAME
    mailsim new - write a commented starter scenario

SYNOPSIS
    mailsim new NAME [--lang en|zh]

DESCRIPTION
    Writes NAME.yaml (".yaml" added when missing): a small valid scenario with every line commented, to edit, then
    `mailsim check NAME.yaml` and `mailsim run NAME.yaml`. An existing file is never overwritten.

OPTIONS
    --lang en|zh         the language of the messages (default: from the locale)
    -h, --help           this manual;  --version  the version

EXIT STATUS
    0 written; 2 the file exists, cannot be written, or the arguments are wrong.
)",
    R"(名称
    mailsim new - 写出一个带注释的入门场景

用法
    mailsim new 名称 [--lang en|zh]

说明
    写出 名称.yaml（缺少时补上 ".yaml"）：一个小而有效、每行都有注释的场景，编辑之后运行
    `mailsim check 名称.yaml` 和 `mailsim run 名称.yaml`。已有的文件从不覆盖。

选项
    --lang en|zh         消息的语言（默认取自区域设置）
    -h, --help           本手册；  --version  版本

退出状态
    0 已写出；2 文件已存在、无法写入，或参数错误。
)"};

constexpr i18n::LocalView kServeHead{
    R"(NAME
    mailsim serve - SMTP, POP3 and IMAP on real sockets, for real mail clients

DESCRIPTION
    Serves one mail host from the command line, or with --config every host of a scenario network, printing the
    trace live on stdout. SIGINT/SIGTERM: idle sessions get the protocol's goodbye, open transactions may finish
    (5 s), exit 0. Once every listener is bound it prints one 'listening' line per listener, in the language of
    --lang; scripts and tests find the ports in the JSON of --ready-file FILE instead. --trace-out - writes the
    JSON lines to stdout; the human-readable trace and the 'listening' lines then go to stderr. When that output
    is /dev/null the trace is not formatted at all (less CPU per message). A Maildir that cannot be written is
    reported at start.

SYNOPSIS AND OPTIONS
)",
    R"(名称
    mailsim serve - 在真实套接字上提供 SMTP、POP3 和 IMAP，供真实的邮件客户端使用

说明
    从命令行提供一台邮件主机，或用 --config 提供一个场景网络中的每台主机，并把跟踪记录实时打印到 stdout。
    SIGINT/SIGTERM：空闲的会话收到协议的告别应答，进行中的事务可以完成（5 秒），退出码 0。所有监听都绑定好之后，
    每个监听按 --lang 的语言打印一行“正在监听”；脚本和测试应从 --ready-file 文件 的 JSON 中找端口。
    --trace-out - 把 JSON 行写到 stdout；这时人读的跟踪记录和“正在监听”行改到 stderr。这份输出是 /dev/null
    时，跟踪记录根本不排版（每封信花的 CPU 更少）。无法写入的 Maildir 在启动时报告。

用法和选项
)"};

constexpr i18n::LocalView kServeTail{
    R"(
EXIT STATUS
    0 stopped by SIGINT/SIGTERM; 1 cannot listen, use the Maildir, set up TLS or write --ready-file; 2 wrong
    arguments.
)",
    R"(
退出状态
    0 被 SIGINT/SIGTERM 停止；1 无法监听、无法使用 Maildir、无法设置 TLS 或无法写入 --ready-file；2 参数错误。
)"};

constexpr i18n::LocalView kSandboxHead{
    R"(NAME
    mailsim sandbox, mailsim record - type raw commands to the servers of a scenario's network

DESCRIPTION
    The scenario's network, live and telnet-style: the answers, state changes and mailbox changes are printed as
    they happen. `record` saves what was typed as a scenario that replays and checks it.

SYNOPSIS AND OPTIONS
)",
    R"(名称
    mailsim sandbox, mailsim record - 向场景网络中的服务器直接输入命令

说明
    场景的网络，实时、像 telnet 一样：应答、状态变化和邮箱变化随发生随打印。`record` 把输入的内容保存为一个
    场景，重放时会检查它。

用法和选项
)"};

constexpr i18n::LocalView kSandboxTail{
    R"(
EXIT STATUS
    0 done; 1 saving failed; 2 unusable scenario or wrong arguments.
)",
    R"(
退出状态
    0 完成；1 保存失败；2 场景无法使用或参数错误。
)"};

constexpr i18n::LocalView kCaHead{
    R"(NAME
    mailsim ca - the classroom certificate authority

DESCRIPTION
    `mailsim serve` and the virtual network use certificates from a classroom CA that is created on first use.
    An existing CA is never replaced: when its ca.pem or ca.key cannot be read or is corrupt, the command stops
    and names the file. `show` only looks: it creates nothing when there is no CA.

SYNOPSIS AND OPTIONS
)",
    R"(名称
    mailsim ca - 课堂证书颁发机构

说明
    `mailsim serve` 和虚拟网络使用课堂 CA 签发的证书，CA 在第一次使用时创建。已有的 CA 从不替换：它的 ca.pem
    或 ca.key 无法读取或已损坏时，命令停止并指出是哪个文件。`show` 只查看：没有 CA 时什么也不创建。

用法和选项
)"};

constexpr i18n::LocalView kCaTail{
    R"(
EXIT STATUS
    0 done; 1 the CA cannot be created or read, or FILE written; 2 wrong arguments.
)",
    R"(
退出状态
    0 完成；1 无法创建或读取 CA，或无法写入文件；2 参数错误。
)"};

constexpr i18n::LocalView kHelp{
    R"(NAME
    mailsim help - the overview, or a command's manual

SYNOPSIS
    mailsim help [COMMAND]

EXIT STATUS
    0 printed; 2 unknown command.
)",
    R"(名称
    mailsim help - 概览，或某个命令的手册

用法
    mailsim help [命令]

退出状态
    0 已打印；2 未知的命令。
)"};

// A manual's parts: its text before the usage text (or all of it), the usage text of its parser, the rest.
struct ManualParts {
    std::string_view command;  // "" for the overview
    i18n::LocalView head;
    std::string (*usage)(i18n::Lang) = nullptr;
    i18n::LocalView tail = {};
};

constexpr ManualParts kManuals[] = {
    {"", kOverview},
    {"run", kRun},
    {"predict", kPredict},
    {"export", kExport},
    {"check", kCheck},
    {"new", kNew},
    {"help", kHelp},
    {"serve", kServeHead, serveUsageText, kServeTail},
    {"sandbox", kSandboxHead, sandboxUsageText, kSandboxTail},
    {"record", kSandboxHead, sandboxUsageText, kSandboxTail},
    {"ca", kCaHead, caUsageText, kCaTail},
};

// One language's manual, without falling back to English (so a missing translation shows up in manuals()).
std::string assemble(const ManualParts& parts, i18n::Lang lang) {
    auto own = [lang](const i18n::LocalView& v) { return lang == i18n::Lang::Zh ? v.zh : v.en; };
    std::string text(own(parts.head));
    if (parts.usage) text += parts.usage(lang);
    text += own(parts.tail);
    return text;
}

}  // namespace

std::span<const Manual> manuals() {
    static const std::vector<Manual> all = [] {
        std::vector<Manual> built;
        for (const ManualParts& parts : kManuals)
            built.push_back({parts.command, {assemble(parts, i18n::Lang::En), assemble(parts, i18n::Lang::Zh)}});
        return built;
    }();
    return all;
}

std::string_view helpText(std::string_view command, i18n::Lang lang) {
    const auto all = manuals();
    const auto found = std::ranges::find(all, command, &Manual::command);
    return found == all.end() ? std::string_view() : std::string_view(found->text.in(lang));
}

std::optional<i18n::Lang> commandLang(std::span<const std::string> args, std::string_view command) {
    i18n::Lang lang = commandLineLang(args);
    for (std::size_t i = 0; i < args.size() && args[i] != "--"; ++i) {
        if (args[i] != "--lang") continue;
        auto v = optionValue(args, i, cliText(CliText::WantLang, lang), lang);
        if (!v) {
            usageError(command, v.error(), lang);
            return std::nullopt;
        }
        if (!i18n::parseLang(*v)) {
            usageError(command, cliSay(lang, CliText::LangValueBad, *v), lang);
            return std::nullopt;
        }
    }
    return lang;
}

bool isHelpOption(std::string_view arg) { return arg == "--help" || arg == "-h"; }

bool looksLikeOption(std::string_view arg) { return arg.size() >= 2 && arg[0] == '-'; }

std::expected<std::string, std::string> optionValue(std::span<const std::string> args, std::size_t& i,
                                                    std::string_view what, i18n::Lang lang) {
    const std::string& option = args[i];
    if (i + 1 >= args.size()) return std::unexpected(cliSay(lang, CliText::OptionNeeds, option, what));
    if (looksLikeOption(args[i + 1]))
        return std::unexpected(cliSay(lang, CliText::OptionNeedsGotOption, option, what, args[i + 1]));
    return args[++i];
}

int usageError(std::string_view command, std::string_view message) {
    return usageError(command, message, langFromEnvironment());
}

int usageError(std::string_view command, std::string_view message, i18n::Lang lang) {
    fmt::print(stderr, "{}\n", cliSay(lang, CliText::UsageError, command, message));
    return 2;
}

i18n::Lang commandLineLang(std::span<const std::string> args) {
    return langOptionOf(args).value_or(langFromEnvironment());
}

}  // namespace mailsim::sim
