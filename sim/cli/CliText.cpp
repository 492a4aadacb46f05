#include "sim/cli/CliText.hpp"

namespace mailsim::sim {
namespace {

using T = CliText;

constexpr CliTextInfo kTexts[] = {
    {T::LangBad, {"mailsim {0}: --lang must be en or zh, not '{1}'", "mailsim {0}：--lang 只能是 en 或 zh，不能是“{1}”"}},
    {T::PredictIntro,
     {"Predict mode: before each server reply, type the reply you expect ({0} questions).",
      "预测模式：在服务器每次应答之前，输入你预计的应答（共 {0} 题）。"}},
    {T::PredictPrompt, {"Your guess for {0} [{1}]: ", "请猜{0} [{1}]："}},
    {T::PredictPleaseType, {"  please type one of {0}", "  请输入其中之一：{0}"}},
    {T::PredictNoMore, {"(no more answers: the quiz ends here)", "（没有更多答案了：测验到此结束）"}},
    {T::PredictScore, {"Score: {0}/{1}", "得分：{0}/{1}"}},
    {T::PredictScoreAsked, {" ({0} of {1} replies asked)", "（共 {1} 个应答，问了 {0} 个）"}},
    {T::PredictNeedsValue, {"mailsim predict: {0} needs a value", "mailsim predict：{0} 后面需要一个值"}},
    {T::PredictNoCheckpoint,
     {"mailsim predict: no checkpoint '{0}' in {1} (its checkpoints: {2})",
      "mailsim predict：{1} 中没有检查点“{0}”（它的检查点有：{2}）"}},
    {T::PredictSessionBad,
     {"mailsim predict: --session must be a session number from 1 to {0}, not '{1}'",
      "mailsim predict：--session 必须是 1 到 {0} 之间的会话编号，不能是“{1}”"}},
    {T::PredictProtocolBad,
     {"mailsim predict: --protocol must be smtp, pop3 or imap, not '{0}'",
      "mailsim predict：--protocol 只能是 smtp、pop3 或 imap，不能是“{0}”"}},
    {T::PredictSkipped,
     {"({0} events before checkpoint '{1}' not shown)", "（检查点“{1}”之前的 {0} 个事件未显示）"}},
    {T::PredictNoQuestions,
     {"No question matches these options (--from, --session, --protocol).",
      "没有符合这些选项（--from、--session、--protocol）的题目。"}},
    {T::PredictRevealed, {"  (now revealed)", "  （现在揭晓）"}},
    {T::SandboxTitle, {"sandbox: {0}", "沙盒：{0}"}},
    {T::SandboxServer, {"  server {0}", "  服务器 {0}"}},
    {T::SandboxHelpHint, {"type /help for commands", "输入 /help 查看命令"}},
    {T::SandboxUnknownCommand,
     {"!! unknown sandbox command '{0}' (type /help)", "!! 未知的沙盒命令“{0}”（输入 /help 查看）"}},
    {T::SandboxNotConnected,
     {"!! not connected: /connect HOST[:PORT] first (/servers lists them)",
      "!! 尚未连接：请先 /connect 主机[:端口]（/servers 列出各服务器）"}},
    {T::SandboxWrote,
     {"wrote {0} ({1} recorded session{2}); replay it with: mailsim run {0}",
      "已写入 {0}（记录了 {1} 个会话）；重放：mailsim run {0}"}},
    {T::SandboxCannotWrite, {"mailsim sandbox: cannot write {0}", "mailsim sandbox：无法写入 {0}"}},
    {T::CheckOk, {"{0}: ok ({1} host{3}, {2} step{4})", "{0}：正确（{1} 台主机，{2} 个步骤）"}},
    {T::CheckOkNetwork, {"{0}: ok (network file for include:)", "{0}：正确（供 include: 使用的网络文件）"}},
    {T::CheckCannotRead, {"{0}: cannot read the file", "{0}：无法读取文件"}},
    {T::CheckMissingLang,
     {"{0}:{1}:{2}: warning: {3} has no {4} text; write it as {{en: ..., zh: ...}} so the class sees it in both "
      "languages",
      "{0}:{1}:{2}: 警告：{3}缺少 {4} 文本；请写成 {{en: ..., zh: ...}}，让两种语言的课堂都能看到"}},
    {T::CheckSummary, {"{0} of {1} scenario files are valid", "{1} 个场景文件中有 {0} 个有效"}},
    {T::RunFormatBad, {"--format must be text or json, not '{0}'", "--format 只能是 text 或 json，不能是“{0}”"}},
    {T::RunSeedBad, {"--seed must be a positive whole number, not '{0}'", "--seed 必须是正整数，不能是“{0}”"}},
    {T::RunUnknownOption,
     {"unknown option '{0}'; expected --format, --times, --no-states, --seed, --until or --lang",
      "未知的选项“{0}”；应为 --format、--times、--no-states、--seed、--until 或 --lang"}},
    {T::RunOneFile, {"one scenario file at a time ('{0}' and '{1}')", "一次只能运行一个场景文件（“{0}”和“{1}”）"}},
    {T::RunNoFile,
     {"which scenario? expected: mailsim run FILE [--format text|json] [--times] [--until CHECKPOINT] [--lang en|zh]",
      "运行哪个场景？应为：mailsim run 文件 [--format text|json] [--times] [--until 检查点] [--lang en|zh]"}},
    {T::RunProblems,
     {"mailsim run: {0} problem{2} in {1}; nothing was run", "mailsim run：{1} 中有 {0} 个问题；没有运行任何内容"}},
    {T::RunNoCheckpoint, {"mailsim run: {0} has no checkpoint '{1}'", "mailsim run：{0} 中没有检查点“{1}”"}},
    {T::RunFailed, {"FAILED {0}: expected {1}, got {2}", "失败 {0}：预期 {1}，实际 {2}"}},
    {T::RunSummary, {"{0}: {1} of {2} expectations held", "{0}：{2} 个预期中有 {1} 个成立"}},
    {T::LangValueBad, {"--lang must be en or zh, not '{0}'", "--lang 只能是 en 或 zh，不能是“{0}”"}},
    {T::WantTextOrJson, {"text or json", "text 或 json"}},
    {T::WantCheckpoint, {"a checkpoint name", "一个检查点名称"}},
    {T::WantPositive, {"a positive whole number", "一个正整数"}},
    {T::WantLang, {"en or zh", "en 或 zh"}},
    {T::PredictUnknownOption,
     {"unknown option '{0}'; expected --answers, --states, --from, --session, --protocol, --lang or --seed",
      "未知的选项“{0}”；应为 --answers、--states、--from、--session、--protocol、--lang 或 --seed"}},
    {T::PredictNoFile,
     {"which scenario? expected: mailsim predict FILE [--answers A,B,...] [--states] [--from CHECKPOINT] [--session N] "
      "[--protocol smtp|pop3|imap] [--lang en|zh]",
      "预测哪个场景？应为：mailsim predict 文件 [--answers A,B,...] [--states] [--from 检查点] [--session N] "
      "[--protocol smtp|pop3|imap] [--lang en|zh]"}},
    {T::PredictProblems,
     {"mailsim predict: {0} problem{2} in {1}; nothing was run", "mailsim predict：{1} 中有 {0} 个问题；没有运行任何内容"}},
    {T::WantGuesses, {"a list of guesses, e.g. --answers 220,250,250", "一串猜测，例如 --answers 220,250,250"}},
    {T::WantSession, {"a session number", "一个会话编号"}},
    {T::WantProtocol, {"smtp, pop3 or imap", "smtp、pop3 或 imap"}},
    {T::SandboxUnknownOption,
     {"unknown option '{0}'; expected --fresh, --from, --connect, --protocol, --save",
      "未知的选项“{0}”；应为 --fresh、--from、--connect、--protocol、--save"}},
    {T::RecordUnknownOption,
     {"unknown option '{0}'; expected --fresh, --from, --connect, --protocol, --save, --out or --from-trace",
      "未知的选项“{0}”；应为 --fresh、--from、--connect、--protocol、--save、--out 或 --from-trace"}},
    {T::SandboxNoFile, {"a scenario FILE is required", "需要一个场景文件"}},
    {T::RecordFileOrTrace,
     {"give a scenario FILE or --from-trace, not both", "请给出场景文件或 --from-trace，不能两者都给"}},
    {T::RecordNeedsOut, {"mailsim record needs --out OUT", "mailsim record 需要 --out 输出文件"}},
    {T::RecordCannotRead, {"mailsim record: cannot read {0}", "mailsim record：无法读取 {0}"}},
    {T::RecordSkipped,
     {"mailsim record: {0} line(s) of {1} are not trace events and were skipped",
      "mailsim record：{1} 中有 {0} 行不是跟踪事件，已跳过"}},
    {T::RecordNoSession,
     {"mailsim record: {0} holds no SMTP, POP3 or IMAP session", "mailsim record：{0} 中没有 SMTP、POP3 或 IMAP 会话"}},
    {T::RecordCannotWrite, {"mailsim record: cannot write {0}", "mailsim record：无法写入 {0}"}},
    {T::RecordWrote,
     {"wrote {0} ({1} session{2} from {3}); replay it with: mailsim run {0}",
      "已写入 {0}（来自 {3} 的 {1} 个会话）；重放：mailsim run {0}"}},
    {T::WantClientHost, {"a client host of the scenario", "场景中的一台客户端主机"}},
    {T::WantServer, {"a server, HOST[:PORT]", "一台服务器，主机[:端口]"}},
    {T::WantTraceFile, {"a trace file of `mailsim serve --trace-out`", "`mailsim serve --trace-out` 写出的跟踪文件"}},
    {T::WantOutputFile, {"an output file", "一个输出文件"}},
    {T::SandboxUsage,
     {R"(usage: mailsim sandbox FILE [--fresh] [--from HOST] [--connect HOST[:PORT]] [--protocol smtp|pop3|imap]
                            [--save OUT] [--lang en|zh]
       mailsim record FILE --out OUT [same options]
       mailsim record --from-trace TRACE.jsonl --out OUT   (a live `mailsim serve --trace-out` recording)
Runs the scenario (unless --fresh), then reads lines from stdin and sends each to the connected server of the
virtual network, printing the server's answers, state changes and mailbox changes. Lines starting with '/'
are sandbox commands:
  /connect HOST[:PORT] [PROTOCOL]   open a connection (closes the current one, without QUIT)
  /from HOST                        the client host for the next /connect
  /close                            hang up
  /servers                          the scenario's servers and ports
  /save OUT                         write the scenario with the typed sessions appended as steps
  /help, /quit
`mailsim record` is the same, and saves to OUT at the end (each line with the reply it got as its
expectation, so `mailsim run OUT` replays and checks it). With --from-trace it turns the sessions real
clients had with `mailsim serve --trace-out TRACE.jsonl` into such a scenario (host, services, TLS and users
reconstructed from the dialogue; check the comment at the top of OUT).
)",
      R"(用法：mailsim sandbox 文件 [--fresh] [--from 主机] [--connect 主机[:端口]] [--protocol smtp|pop3|imap]
                             [--save 输出] [--lang en|zh]
      mailsim record 文件 --out 输出 [同样的选项]
      mailsim record --from-trace 跟踪.jsonl --out 输出   （`mailsim serve --trace-out` 的实时记录）
先运行场景（除非 --fresh），然后从 stdin 逐行读取，发给虚拟网络中已连接的服务器，并打印服务器的应答、状态变化
和邮箱变化。以 '/' 开头的行是沙盒命令：
  /connect 主机[:端口] [协议]       打开一个连接（关闭当前连接，不发 QUIT）
  /from 主机                        下一次 /connect 使用的客户端主机
  /close                            挂断
  /servers                          场景中的服务器和端口
  /save 输出                        写出场景，把输入的会话追加为步骤
  /help, /quit
`mailsim record` 也一样，并在结束时保存到“输出”（每一行都以它得到的应答作为预期，所以 `mailsim run 输出` 会
重放并检查它）。加 --from-trace 时，它把真实客户端与 `mailsim serve --trace-out 跟踪.jsonl` 之间的会话转成这样
的场景（主机、服务、TLS 和用户从对话中重建；请看“输出”顶部的注释）。
)"}},
    {T::ExportUnknownOption,
     {"unknown option '{0}'; expected --pcap, --mermaid, --svg, --json, --text or --lang",
      "未知的选项“{0}”；应为 --pcap、--mermaid、--svg、--json、--text 或 --lang"}},
    {T::ExportNoFile,
     {"which scenario? expected: mailsim export FILE --pcap OUT ...", "导出哪个场景？应为：mailsim export 文件 --pcap 输出 ..."}},
    {T::ExportNothing,
     {"nothing to write: expected at least one of --pcap, --mermaid, --svg, --json, --text OUT",
      "没有要写的内容：至少需要 --pcap、--mermaid、--svg、--json、--text 输出 之一"}},
    {T::ExportOneStdout, {"only one output can go to stdout ('-')", "只能有一个输出写到 stdout（'-'）"}},
    {T::ExportNeedsOutput,
     {"{0} needs an output file (or - for stdout), got ''", "{0} 后面需要一个输出文件（或用 - 表示 stdout），却是空的"}},
    {T::WantOutputOrStdout, {"an output file (or - for stdout)", "一个输出文件（或用 - 表示 stdout）"}},
    {T::ExportProblems,
     {"mailsim export: {0} problem{2} in {1}; nothing was written", "mailsim export：{1} 中有 {0} 个问题；没有写出任何内容"}},
    {T::ExportCannotWriteStdout, {"mailsim export: cannot write to stdout ({0})", "mailsim export：无法写到 stdout（{0}）"}},
    {T::ExportWroteStdout, {"wrote stdout ({0}, {1} octets)", "已写到 stdout（{0}，{1} 字节）"}},
    {T::ExportCannotWrite, {"mailsim export: cannot write {0} ({1})", "mailsim export：无法写入 {0}（{1}）"}},
    {T::ExportWrote, {"wrote {0} ({1}, {2} octets)", "已写入 {0}（{1}，{2} 字节）"}},
    {T::ExportFailedNote,
     {"note: {0} expectation(s) of {1} failed; the export shows what happened",
      "注意：{1} 有 {0} 个预期不成立；导出的是实际发生的事"}},
    {T::CaUsage,
     {R"(usage: mailsim ca export [FILE] [--dir DIR] [--lang en|zh]   write the classroom CA certificate (PEM) to FILE
                                                               or stdout
       mailsim ca show [--dir DIR] [--lang en|zh]            print where the CA lives and its subject
  --dir DIR      the CA directory (default: $MAILSIM_CA_DIR, else $XDG_DATA_HOME/mailsim/ca,
                 else ~/.local/share/mailsim/ca); created with a new CA on first use
  --lang en|zh   the language of the messages (default: from LC_ALL, LC_MESSAGES, LANG)
Students import the exported certificate into their mail client (or pass it to curl --cacert,
python's ssl.create_default_context(cafile=...)) to trust `mailsim serve` and the virtual network.
)",
      R"(用法：mailsim ca export [文件] [--dir 目录] [--lang en|zh]   把课堂 CA 证书（PEM）写到文件或 stdout
      mailsim ca show [--dir 目录] [--lang en|zh]            打印 CA 所在的位置和它的主体名称
  --dir 目录     CA 目录（默认：$MAILSIM_CA_DIR，否则 $XDG_DATA_HOME/mailsim/ca，
                 否则 ~/.local/share/mailsim/ca）；第一次使用时在那里创建一个新的 CA
  --lang en|zh   消息的语言（默认取自 LC_ALL、LC_MESSAGES、LANG）
学生把导出的证书导入自己的邮件客户端（或交给 curl --cacert、python 的
ssl.create_default_context(cafile=...)），从而信任 `mailsim serve` 和虚拟网络。
)"}},
    {T::WantCaDir, {"the CA directory", "CA 目录"}},
    {T::CaDirBad, {"--dir needs the CA directory, got '{0}'", "--dir 后面需要 CA 目录，却是“{0}”"}},
    {T::CaUnknownAction, {"unknown action '{0}'; expected export or show", "未知的操作“{0}”；应为 export 或 show"}},
    {T::CaUnexpected,
     {"unexpected argument '{0}'; expected: mailsim ca export [FILE] [--dir DIR] or mailsim ca show [--dir DIR]",
      "多余的参数“{0}”；应为：mailsim ca export [文件] [--dir 目录] 或 mailsim ca show [--dir 目录]"}},
    {T::CaNoAction, {"which action? expected export or show", "做什么操作？应为 export 或 show"}},
    {T::CaError, {"mailsim ca: {0}", "mailsim ca：{0}"}},
    {T::CaNone,
     {"directory: {0}\nno classroom CA there yet: `mailsim ca export` or `mailsim serve` creates it",
      "目录：{0}\n那里还没有课堂 CA：`mailsim ca export` 或 `mailsim serve` 会创建它"}},
    {T::CaShow, {"directory: {0}\nsubject:   {1}", "目录：{0}\n主体：{1}"}},
    {T::CaCannotWrite, {"mailsim ca: cannot write {0}", "mailsim ca：无法写入 {0}"}},
    {T::CaWrote, {"wrote the classroom CA certificate ({0}) to {1}", "已把课堂 CA 证书（{0}）写到 {1}"}},
    {T::NewNoName,
     {"which name? expected: mailsim new NAME (writes NAME.yaml)", "叫什么名字？应为：mailsim new 名称（写出 名称.yaml）"}},
    {T::NewUnknownOption,
     {"unknown option '{0}'; expected a NAME for NAME.yaml or --lang",
      "未知的选项“{0}”；应为 名称.yaml 的名称，或 --lang"}},
    {T::NewOneName, {"one NAME at a time ('{0}' and '{1}')", "一次只能给一个名称（“{0}”和“{1}”）"}},
    {T::NewExists, {"mailsim new: {0} already exists; not overwriting it", "mailsim new：{0} 已存在；不会覆盖它"}},
    {T::NewCannotWrite, {"mailsim new: cannot write {0}", "mailsim new：无法写入 {0}"}},
    {T::NewWrote,
     {"wrote {0}: edit it, then `mailsim check {0}` and `mailsim run {0}`",
      "已写出 {0}：编辑它，然后运行 `mailsim check {0}` 和 `mailsim run {0}`"}},
    {T::CheckUnknownOption,
     {"unknown option '{0}'; expected scenario files or directories", "未知的选项“{0}”；应为场景文件或目录"}},
    {T::CheckNoYaml, {"mailsim check: no .yaml files in {0}", "mailsim check：{0} 中没有 .yaml 文件"}},
    {T::HelpNoManual,
     {"mailsim help: no manual for '{0}'; expected one of run, predict, serve, export, check, new, sandbox, record, ca",
      "mailsim help：没有“{0}”的手册；应为 run、predict、serve、export、check、new、sandbox、record、ca 之一"}},
    {T::UnknownCommand,
     {"mailsim: unknown command '{0}'; expected one of run, predict, serve, export, check, new, sandbox, record, ca, "
      "help (see 'mailsim --help')",
      "mailsim：未知的命令“{0}”；应为 run、predict、serve、export、check、new、sandbox、record、ca、help 之一"
      "（参见 'mailsim --help'）"}},
    {T::OptionNeeds, {"{0} needs {1}", "{0} 后面需要{1}"}},
    {T::OptionNeedsGotOption, {"{0} needs {1}, got the option {2}", "{0} 后面需要{1}，却是选项 {2}"}},
    {T::UsageError, {"mailsim {0}: {1}\n(see 'mailsim {0} --help')", "mailsim {0}：{1}\n（参见 'mailsim {0} --help'）"}},
};

}  // namespace

std::span<const CliTextInfo> cliTexts() { return kTexts; }

std::string_view cliText(CliText id, i18n::Lang lang) { return textOf(cliTexts(), id, lang); }

}  // namespace mailsim::sim
