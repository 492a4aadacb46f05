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
      "{0}:{1}:{2}: 警告：{3} 缺少 {4} 文本；请写成 {{en: ..., zh: ...}}，让两种语言的课堂都能看到"}},
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
};

}  // namespace

std::span<const CliTextInfo> cliTexts() { return kTexts; }

std::string_view cliText(CliText id, i18n::Lang lang) {
    for (const CliTextInfo& t : kTexts)
        if (t.id == id) return t.text.in(lang);
    return {};
}

}  // namespace mailsim::sim
