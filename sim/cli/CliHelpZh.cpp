// The Chinese manuals of the `mailsim` subcommands (`mailsim CMD --help --lang zh`, or LANG/LC_MESSAGES=zh_*), beside
// the English ones in CliHelp.cpp: the same sections in the same order, the glossary's terms (lessons/glossary.md).
// Option names, commands and file names stay as typed. The OPTIONS sections of serve, sandbox/record and ca are their
// parsers' usage texts (Serve.cpp, CliSandbox.cpp, CliCa.cpp) and are quoted as they are.
#include "sim/tools/CliArgs.hpp"
#include "sim/cli/Cli.hpp"

#include <map>
#include <string>

namespace mailsim::sim {
namespace {

constexpr const char* kOverview = R"(名称
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
)";

constexpr const char* kRun = R"(名称
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
)";

constexpr const char* kPredict = R"(名称
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
)";

constexpr const char* kExport = R"(名称
    mailsim export - 为 Wireshark、幻灯片或程序写出场景的跟踪记录

用法
    mailsim export 文件 [--pcap 输出] [--mermaid 输出] [--svg 输出] [--json 输出] [--text 输出]

说明
    在后台运行场景，按要求的每种格式写出它的跟踪记录：抓包文件（在原样字节外合成 Ethernet/IPv4/TCP，供
    Wireshark/tshark 使用）、时序图（Mermaid 文本或 SVG）、JSON，或文本运行记录。输出为 "-" 时写到 stdout
    （一次只能一个）。至少需要一个输出。

选项
    --pcap 输出, --mermaid 输出, --svg 输出, --json 输出, --text 输出
                         把该格式写到“输出”（"-" 表示 stdout，例如 `mailsim export F --pcap - | tshark -r -`）
    -h, --help           本手册；  --version  版本

退出状态
    0 已写出（场景的某个预期失败时也是：导出显示实际发生的事）；2 场景无法使用、参数错误，或文件无法写入。
)";

constexpr const char* kCheck = R"(名称
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
)";

constexpr const char* kNew = R"(名称
    mailsim new - 写出一个带注释的入门场景

用法
    mailsim new 名称

说明
    写出 名称.yaml（缺少时补上 ".yaml"）：一个小而有效、每行都有注释的场景，编辑之后运行
    `mailsim check 名称.yaml` 和 `mailsim run 名称.yaml`。已有的文件从不覆盖。

选项
    -h, --help           本手册；  --version  版本

退出状态
    0 已写出；2 文件已存在、无法写入，或参数错误。
)";

constexpr const char* kServeHead = R"(名称
    mailsim serve - 在真实套接字上提供 SMTP、POP3 和 IMAP，供真实的邮件客户端使用

说明
    从命令行提供一台邮件主机，或用 --config 提供一个场景网络中的每台主机，并把跟踪记录实时打印到 stdout。
    SIGINT/SIGTERM：空闲的会话收到协议的告别应答，进行中的事务可以完成（5 秒），退出码 0。--trace-out - 把
    JSON 行写到 stdout；这时人读的跟踪记录和 'listening' 行改到 stderr。无法写入的 Maildir 在启动时报告。

用法和选项（选项说明为英文原文）
)";

constexpr const char* kServeTail = R"(
退出状态
    0 被 SIGINT/SIGTERM 停止；1 无法监听、无法使用 Maildir 或无法设置 TLS；2 参数错误。
)";

constexpr const char* kSandboxHead = R"(名称
    mailsim sandbox, mailsim record - 向场景网络中的服务器直接输入命令

说明
    场景的网络，实时、像 telnet 一样：应答、状态变化和邮箱变化随发生随打印。`record` 把输入的内容保存为一个
    场景，重放时会检查它。

用法和选项（选项说明为英文原文）
)";

constexpr const char* kSandboxTail = R"(
退出状态
    0 完成；1 保存失败；2 场景无法使用或参数错误。
)";

constexpr const char* kCaHead = R"(名称
    mailsim ca - 课堂证书颁发机构

说明
    `mailsim serve` 和虚拟网络使用课堂 CA 签发的证书，CA 在第一次使用时创建。已有的 CA 从不替换：它的 ca.pem
    或 ca.key 无法读取或已损坏时，命令停止并指出是哪个文件。`show` 只查看：没有 CA 时什么也不创建。

用法和选项（选项说明为英文原文）
)";

constexpr const char* kCaTail = R"(
退出状态
    0 完成；1 无法创建或读取 CA，或无法写入文件；2 参数错误。
)";

constexpr const char* kHelp = R"(名称
    mailsim help - 概览，或某个命令的手册

用法
    mailsim help [命令]

退出状态
    0 已打印；2 未知的命令。
)";

}  // namespace

std::string_view helpTextZh(std::string_view command) {
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

}  // namespace mailsim::sim
