#include "Strings.hpp"

#include "UsageText.hpp"
#include "i18n/Duration.hpp"

#include <array>
#include <cmath>
#include <unordered_map>
#include <cstdio>
#include <string>

namespace mailsim::gui {
namespace {

using Entry = UiText;

// Kept in the order of the enum; a static_assert below checks the count and lookups check the id.
constexpr Entry kStrings[] = {
    {S::TitleTranscript, "Transcript###transcript", "对话记录###transcript"},
    {S::TitleSequence, "Sequence diagram###sequence", "时序图###sequence"},
    {S::TitleNarration, "Narration###narration", "讲解###narration"},
    {S::TitleState, "Protocol state###state", "协议状态###state"},
    {S::TitleChecks, "Checks###checks", "检查###checks"},
    {S::TitleChecksFailed, "The scenario could not be loaded###checks", "场景无法加载###checks"},
    {S::TitleInspector, "Inspector###inspector", "事件详情###inspector"},
    {S::TitleMailboxes, "Mailboxes###mailboxes", "邮箱###mailboxes"},
    {S::TitleLesson, "Lesson###lesson", "课文###lesson"},
    {S::TitleScenarios, "Scenarios###scenarios", "场景列表###scenarios"},
    {S::First, "|< First", "|< 开头"},
    {S::Back, "< Back", "< 上一步"},
    {S::Play, "Play", "播放"},
    {S::Pause, "Pause", "暂停"},
    {S::Next, "Next >", "下一步 >"},
    {S::Last, "Last >|", "结尾 >|"},
    {S::PrevState, "<< State", "<< 状态"},
    {S::NextState, "State >>", "状态 >>"},
    {S::StepOfFmt, "step %d of %d", "第 %d 步，共 %d 步"},
    {S::TimeFmt, "t = %s", "t = %s"},
    {S::HideLater, "Hide later lines", "隐藏后续行"},
    {S::BreakOnState, "Pause at state changes", "状态变化时暂停"},
    {S::Speed, "speed", "速度"},
    {S::Presenter, "Presenter (F11)", "演示模式 (F11)"},
    {S::FullScreen, "Full screen", "全屏"},
    {S::OtherLanguage, "中文", "English"},
    {S::AutoReload, "Auto-reload", "自动重新加载"},
    {S::Reload, "Reload (F5)", "重新加载 (F5)"},
    {S::AxisIndex, "by step", "按步骤"},
    {S::AxisTime, "by time", "按时间"},
    {S::Zoom, "zoom", "缩放"},
    {S::Fit, "Fit", "适应窗口"},
    {S::FoldedFmt, "+%zu", "+%zu"},
    {S::NoRows, "The scenario produced no transcript lines.", "该场景没有产生任何对话记录。"},
    {S::AllSessions, "all sessions", "全部会话"},
    {S::FindHint, "find text (Enter: next match)", "查找文字（回车：下一处）"},
    {S::NoMatch, "no match", "没有找到"},
    {S::Explanation, "What it means", "含义"},
    {S::RawBytes, "Bytes on the wire", "线路上的字节"},
    {S::NoRawBytes, "(this event carries no bytes)", "（此事件不含字节）"},
    {S::EventFmt, "step %zu, event %llu, session %u", "第 %zu 步，事件 %llu，会话 %u"},
    {S::NoMailYet, "No mail has been stored yet at this step.", "到这一步为止还没有存储任何邮件。"},
    {S::FolderEmpty, "(empty at this step)", "（这一步时为空）"},
    {S::MessagesFmt, "%s (%zu)", "%s（%zu 封）"},
    {S::MessageFmt, "uid %llu %s", "uid %llu %s"},
    {S::ContentAsSent, "Content as the client sent it (DATA lines, dot-stuffing undone). The server adds Return-Path "
                       "and Received headers at delivery.",
     "客户端发送的内容（DATA 行，已去掉点填充）。服务器投递时还会加上 Return-Path 和 Received 头。"},
    {S::PickMessage, "Click a message to see its content.", "点击一封邮件查看内容。"},
    {S::StoredBySessionFmt, "stored by session %u at step %zu (go there)", "由会话 %u 在第 %zu 步存储（跳转）"},
    {S::MimeStructure, "MIME structure", "MIME 结构"},
    {S::MimeHeaders, "Headers", "头部"},
    {S::MimeSource, "Source", "源码"},
    {S::MimeSubject, "Subject", "主题"},
    {S::MimeFromTo, "From \xe2\x86\x92 To", "发件人 \xe2\x86\x92 收件人"},
    {S::MimeContainerFmt, "A container: its parts are listed below it, separated on the wire by the boundary line "
                          "\"--%s\".",
     "容器：它的各个部分列在下面，在线路上用边界行 \"--%s\" 分隔。"},
    {S::MimeOmittedFmt, "... %zu more octets not shown", "……另有 %zu 字节未显示"},
    {S::MimeProblems, "Repaired while parsing:", "解析时修复的问题："},
    {S::MimeRawValue, "on the wire:", "线路上："},
    {S::NoLesson, "This scenario has no lesson.", "这个场景没有课文。"},
    {S::LessonMissingFmt, "No lesson at %s", "找不到课文：%s"},
    {S::GoToCheckpointFmt, "Click: move the cursor to checkpoint '%.*s'", "点击：把光标移到检查点“%.*s”"},
    {S::OpenAtCheckpointFmt, "Click: open %.*s at checkpoint '%.*s'", "点击：打开 %.*s 并跳到检查点“%.*s”"},
    {S::NoCheckpointFmt, "This scenario has no checkpoint '%.*s'", "这个场景没有检查点“%.*s”"},
    {S::OpenScenario, "Open", "打开"},
    {S::CurrentScenario, "(open)", "（当前）"},
    {S::NoScenarios, "No scenario files next to this one.", "同目录下没有其他场景文件。"},
    {S::NoNarration, "(no narration for this step)", "（这一步没有讲解）"},
    {S::NoSessionYet, "No session has started yet at this step.", "到这一步为止还没有会话开始。"},
    {S::NothingToShow, "Nothing to show.", "没有可显示的内容。"},
    {S::EnteredFromFmt, "entered from %s by", "从 %s 进入，原因"},
    {S::NoStateChangeYet, "connection open, no state change yet", "连接已打开，尚无状态变化"},
    {S::CommandsAllowed, "commands allowed here:", "此状态下允许的命令："},
    {S::NoCommandsAccepted, "no commands are accepted in this state", "此状态下不接受任何命令"},
    {S::ServerSide, "server", "服务器"},
    {S::ClientSide, "client", "客户端"},
    {S::AllHeldFmt, "%zu expectations checked, all held", "检查了 %zu 项预期，全部满足"},
    {S::FailedFmt, "%zu of %zu expectations failed", "%zu 项预期失败（共 %zu 项）"},
    {S::ExpectedFmt, "expected %s", "预期 %s"},
    {S::GotFmt, "got %s", "实际 %s"},
    {S::SessionsFmt, "%zu sessions, %zu events", "%zu 个会话，%zu 个事件"},
    {S::KeysHelp, "keys: \xe2\x86\x90 \xe2\x86\x92 step, [ ] state, H / Shift+H hop, Home/End, Space play, F5 reload, "
                  "F11 presenter",
     "按键：\xe2\x86\x90 \xe2\x86\x92 单步，[ ] 状态，H / Shift+H 转发，Home/End，空格 播放，F5 重新加载，F11 演示模式"},
    {S::FixAndReload, "Fix the file and press F5 to load it again.", "修改文件后按 F5 重新加载。"},
    {S::TitlePredict, "Predict###predict", "预测###predict"},
    {S::Predict, "Predict replies", "预测应答"},
    {S::PredictScoreFmt, "Score: %zu/%zu  (%zu questions in this run)", "得分：%zu/%zu（本次运行共 %zu 个问题）"},
    {S::ResetScore, "Reset score", "重置得分"},
    {S::PredictGreeting, "How will the server greet the client?", "服务器会如何问候客户端？"},
    {S::PredictReplyFmt, "What will the server answer to \"%s\"?", "服务器对“%s”会作何应答？"},
    {S::PredictEndOfData, "What will the server answer to the end of data \".\" ?",
     "服务器对数据结束标记“.”会作何应答？"},
    {S::PredictStateFmt, "Which state comes after \"%s\"?", "“%s”之后会进入哪个状态？"},
    {S::PredictChoose, "Choose before the reply is revealed:", "在应答揭晓之前做出选择："},
    {S::PredictStepFmt, "Step forward: the next question comes at step %zu.", "请继续前进：下一个问题在第 %zu 步。"},
    {S::PredictDone, "Every reply of this run has been answered.", "本次运行的所有应答都已预测过。"},
    {S::PredictRightFmt, "Right: %s", "正确：%s"},
    {S::PredictWrongFmt, "Wrong: you chose %s, the server answered %s", "错误：你选了 %s，服务器的应答是 %s"},
    {S::PredictCame, "what came", "实际的应答"},
    {S::PredictWouldMean, "your guess would mean", "你的猜测意味着"},
    {S::PredictHidden, "?  (make your prediction)", "?  （请先预测）"},
    {S::PredictStates, "Ask state changes too (starts over)", "也预测状态变化（重新开始）"},
    {S::PredictOnly, "Ask only (starts over)", "只问（重新开始）"},
    {S::PredictAllProtocols, "every protocol", "所有协议"},
    {S::PrevHop, "<< Hop", "<< 转发"},
    {S::NextHop, "Hop >>", "转发 >>"},
    {S::HopKeysHelp, "previous / next relay hop (Shift+H / H)", "上一个 / 下一个转发（Shift+H / H）"},
    {S::TlsProtected, "sent inside TLS (encrypted on the wire)", "在 TLS 内发送（线路上已加密）"},
    {S::TitleNetwork, "Network map###network", "网络拓扑###network"},
    {S::RoleClient, "client", "客户端"},
    {S::RoleMailServer, "mail server", "邮件服务器"},
    {S::RoleMta, "MTA", "MTA 转发"},
    {S::RoleGateway, "gateway", "网关"},
    {S::RoleDns, "resolver", "域名解析"},
    {S::HostDown, "DOWN", "已关机"},
    {S::LinkDown, "LINK DOWN", "网络断开"},
    {S::QueueFmt, "queue: %zu", "队列：%zu 封"},
    {S::QueueEmpty, "queue: empty", "队列：空"},
    {S::QueueMoreFmt, "... %zu more", "……另有 %zu 封"},
    {S::StatusQueued, "queued", "排队中"},
    {S::StatusInFlight, "sending", "正在投递"},
    {S::StatusDeferred, "deferred", "已推迟"},
    {S::StatusDelivered, "delivered", "已投递"},
    {S::StatusBounced, "bounced", "已退信"},
    {S::RetryInFmt, "retry in %s", "%s 后重试"},
    {S::RetryDue, "retry due", "应当重试"},
    {S::DnsAskedFmt, "%s asks: %s", "%s 查询：%s"},
    {S::DnsAnswerFmt, "answer: %s", "应答：%s"},
    {S::DnsIdle, "(no question yet)", "（尚无查询）"},
    {S::NoHosts, "No hosts have talked yet.", "还没有主机通信。"},
    {S::OpenConnectionsFmt, "%zu open connections", "%zu 个打开的连接"},
    {S::LatestHopFmt, "latest hop: %s", "最近一次转发：%s"},
    {S::NetworkLegend, "thick line: open connection (protocol, last line)   pink arrow: latest relay hop   grey: down",
     "粗线：打开的连接（协议、最后一行）   粉色箭头：最近一次转发   灰色：故障"},
    {S::LiveSessionsFmt, "LIVE: %zu sessions", "实时：%zu 个会话"},
    {S::WindowLive, "live: ", "实时："},  // the window title's prefix while following a live server
    {S::LiveFollowing, "following the newest line (step back to stay put)", "跟随最新一行（后退一步即停止跟随）"},
    {S::LiveWaiting, "Waiting for clients: connect a mail client to the server and its session appears here.",
     "等待客户端：让邮件客户端连接服务器，会话就会出现在这里。"},
    {S::LiveExitedFmt, "mailsim serve exited with status %d", "mailsim serve 已退出，状态 %d"},
    {S::LiveSignalFmt, "mailsim serve was stopped by signal %d", "mailsim serve 被信号 %d 终止"},
    {S::LiveBadLinesFmt, "%zu bad lines", "%zu 行无法读取"},
    {S::LiveNeedsDesktop, "mailsim serve and following a live server need real sockets: they run in the desktop build "
                          "(mailsim-gui --serve / --attach), not in the browser. Everything else works here.",
     "mailsim serve 与实时跟踪服务器需要真实的套接字：请在桌面版中使用（mailsim-gui --serve / --attach），"
     "浏览器中不可用。其余功能都可在此使用。"},
    {S::EavesTitle, "What an eavesdropper sees", "窃听者看到的内容"},
    {S::EavesTlsLine, "This line was protected by TLS. On the wire it travelled inside the TLS records below, as "
                      "ciphertext: this is all a packet capture shows. Only the client and the server see the "
                      "plaintext above.",
     "这一行受 TLS 保护。在线路上它装在下面的 TLS 记录里，是密文：抓包能看到的只有这些。只有客户端和服务器能看到上面的明文。"},
    {S::EavesRecordsFmt, "The TLS records that carried it (%s), first %zu of %zu bytes:",
     "承载它的 TLS 记录（%s），前 %zu 字节，共 %zu 字节："},
    {S::EavesNoRecords, "(the TLS records that carried it are not in the trace)", "（追踪中没有承载它的 TLS 记录）"},
    {S::EavesPlainLine, "Not encrypted: anyone on the path (a packet capture, the Wi-Fi, a router) reads this line "
                        "exactly as shown.",
     "未加密：路径上的任何人（抓包、Wi-Fi、路由器）都能原样读到这一行。"},
    {S::EavesPlainAuth, "Base64 is an encoding, not encryption: an eavesdropper decodes these credentials in one "
                        "step.",
     "Base64 只是编码，不是加密：窃听者一步就能解码出这些凭据。"},
    {S::EavesRecordsRow, "These are TLS records exactly as they crossed the wire: this is what a packet capture "
                         "shows. Only each record's 5-byte header (type, version, length) is readable; the rest is "
                         "ciphertext.",
     "这些是线路上原样传输的 TLS 记录，也就是抓包看到的内容。每条记录只有 5 字节的头部（类型、版本、长度）可读，其余都是密文。"},
    {S::TitleSandbox, "Sandbox###sandbox", "沙盒###sandbox"},
    {S::Sandbox, "Sandbox", "沙盒"},
    {S::SandboxFrom, "from", "客户端"},
    {S::SandboxTo, "to", "服务器"},
    {S::SandboxConnect, "Connect", "连接"},
    {S::SandboxHangUp, "Hang up", "挂断"},
    {S::SandboxInputHint, "type a command, Enter sends (Up: the previous line)", "输入命令，回车发送（上方向键：上一行）"},
    {S::SandboxSave, "Save as scenario...", "另存为场景..."},
    {S::SandboxSavedFmt, "Saved: %s", "已保存：%s"},
    {S::SandboxSaveFailedFmt, "Cannot save: %s", "无法保存：%s"},
    {S::SandboxNotConnected, "Not connected: choose a server and press Connect.", "未连接：请选择服务器，然后点击“连接”。"},
    {S::SandboxOpenFailed, "The sandbox could not be opened:", "沙盒无法打开："},
    {S::SandboxNoServers, "This scenario has no mail server to connect to.", "该场景没有可以连接的邮件服务器。"},
    {S::SandboxHelp, "Type your own commands into the scenario's network (after its steps); every panel shows them.",
     "在场景的网络中输入你自己的命令（在场景步骤之后）；所有面板都会实时显示。"},
    {S::SandboxConnectedFmt, "(connected: %s)", "（已连接：%s）"},
    {S::SandboxHungUp, "(hung up)", "（已挂断）"},
    {S::SandboxClosed, "(the server closed the connection)", "（服务器关闭了连接）"},
    {S::LaterFmt, "\xe2\x80\xa6 %s later \xe2\x80\xa6", "\xe2\x80\xa6\xe2\x80\xa6 %s后 \xe2\x80\xa6\xe2\x80\xa6"},
    {S::ColumnTime, "time", "时间"},
    {S::ColumnLine, "transcript", "对话记录"},
    {S::MessageOnLinkFmt, "message on its way: %s", "邮件正在传送：%s"},
    {S::SessionLineFmt, "session %u (%s):", "会话 %u（%s）："},
    {S::PhaseSetUp, "connection set-up", "连接建立"},
    {S::PhaseTransfer, "mail transfer", "邮件传送"},
    {S::PhaseRelease, "release", "连接释放"},
    {S::PhaseGreeting, "greeting", "问候"},
    {S::PhaseLogIn, "log in", "登录"},
    {S::PhaseReadMark, "read, mark", "读取、标记"},
    {S::PhaseDeleteMarked, "delete marked", "删除已标记"},
    {S::PhaseFolders, "folders", "文件夹"},
    {S::PhaseMessages, "messages", "邮件"},
    {S::Usage, kUsageEn, kUsageZh},
    {S::ErrorLineFmt, "mailsim-gui: %s", "mailsim-gui：%s"},
    {S::NoDisplay, "mailsim-gui: no display (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                   "  Run the scenario headless with `mailsim run FILE`, or under a virtual display with\n"
                   "  `xvfb-run -a mailsim-gui FILE --screenshot out.png`.\n",
     "mailsim-gui：没有显示器（DISPLAY 和 WAYLAND_DISPLAY 都没有设置）。\n"
     "  请用 `mailsim run 文件` 在后台运行场景，或在虚拟显示器中运行：\n"
     "  `xvfb-run -a mailsim-gui 文件 --screenshot out.png`。\n"},
    {S::HeadlessInstead, "  Run the scenario headless with `mailsim run FILE` instead.\n",
     "  请改用 `mailsim run 文件` 在后台运行场景。\n"},
    {S::NoDisplayOpenFmt, "cannot open a display (%s)", "无法打开显示器（%s）"},
    {S::NoWindowFmt, "cannot create an OpenGL 3.3 core window (%s)", "无法创建 OpenGL 3.3 核心模式窗口（%s）"},
    {S::NoGlFunctions, "cannot load the OpenGL 3.3 functions", "无法加载 OpenGL 3.3 函数"},
    {S::NoFramebufferFmt, "cannot create an off-screen framebuffer of %dx%d", "无法创建 %dx%d 的离屏帧缓冲区"},
    {S::NoFrameToRead, "no off-screen frame to read", "没有可读取的离屏帧"},
    {S::ReadPixelsFailedFmt, "glReadPixels failed (GL error %u)", "glReadPixels 失败（GL 错误 %u）"},
    {S::CannotWriteFmt, "cannot write %s", "无法写入 %s"},
    {S::PngDesktopOnlyFmt, "cannot write %s: PNG screenshots are a desktop feature (the page is captured by the "
                           "browser)",
     "无法写入 %s：PNG 截图只在桌面版中可用（网页由浏览器截图）"},
    {S::SettingsNotWrittenFmt, "cannot write the settings to %s", "无法把设置写入 %s"},
    {S::NoPredictionLeft, "no prediction point left to answer", "已经没有可以回答的预测点"},
    {S::SandboxErrorFmt, "sandbox: %s", "沙盒：%s"},
    {S::NoPanelFmt, "no panel named '%s'", "没有名为“%s”的面板"},
    {S::ServeStartedFmt, "started mailsim serve (pid %d) in %s (trace.jsonl, serve.log)",
     "已启动 mailsim serve（pid %d），目录 %s（trace.jsonl、serve.log）"},
    {S::ServeStartedMaildirFmt, "started mailsim serve (pid %d) in %s (trace.jsonl, serve.log, maildir/)",
     "已启动 mailsim serve（pid %d），目录 %s（trace.jsonl、serve.log、maildir/）"},
    {S::WebDataMissing, "the preloaded data (/mailsim) is missing", "缺少预加载的数据（/mailsim）"},
    {S::WebNoWebGl2, "this browser gives the page no WebGL 2 context (it needs WebGL 2: a recent Chrome, Firefox, Edge "
                     "or Safari with hardware acceleration allowed)",
     "这个浏览器没有给本页提供 WebGL 2 上下文（本页需要 WebGL 2：请使用较新的 Chrome、Firefox、Edge 或 Safari，"
     "并允许硬件加速）"},
    {S::OptScreenshot, "--screenshot needs a PNG file name", "--screenshot 需要一个 PNG 文件名"},
    {S::OptScreenshotDelay, "--screenshot-delay needs 0..600 seconds", "--screenshot-delay 需要 0..600 秒"},
    {S::OptFrames, "--frames needs a positive number", "--frames 需要一个正整数"},
    {S::OptStep, "--step needs a step number (0 = the first line)", "--step 需要一个步骤编号（0 = 第一行）"},
    {S::OptCursor, "--cursor needs 'start', 'end' or a step number", "--cursor 需要 start、end 或一个步骤编号"},
    {S::OptSize, "--size needs WxH, e.g. 1280x800 (at least 320x240)", "--size 需要 宽x高，例如 1280x800（至少 320x240）"},
    {S::OptFontSize, "--font-size needs 8..96 pixels", "--font-size 需要 8..96 像素"},
    {S::OptShow, "--show needs a panel name, e.g. inspector", "--show 需要一个面板名称，例如 inspector"},
    {S::OptLang, "--lang needs 'en' or 'zh'", "--lang 需要 en 或 zh"},
    {S::OptPredictAnswer, "--predict-answer needs a reply, e.g. 250 or +OK", "--predict-answer 需要一个应答，例如 250 或 +OK"},
    {S::OptAttach, "--attach needs the trace file of `mailsim serve --trace-out FILE`",
     "--attach 需要 `mailsim serve --trace-out 文件` 写出的跟踪记录文件"},
    {S::OptDashDash, "'--' passes arguments to `mailsim serve`: give --serve before it",
     "“--”把后面的参数传给 `mailsim serve`：请在它前面给出 --serve"},
    {S::OptSandbox, "--sandbox needs a server, e.g. mail.cesoo.com:25", "--sandbox 需要一台服务器，例如 mail.cesoo.com:25"},
    {S::OptSandboxFrom, "--sandbox-from needs a client host of the scenario", "--sandbox-from 需要场景中的一台客户端主机"},
    {S::OptSandboxSend, "--sandbox-send needs a line to type (\"\" for an empty one)",
     "--sandbox-send 需要一行要输入的文字（\"\" 表示空行）"},
    {S::OptUnknownFmt, "unknown option '%s'", "未知选项“%s”"},
    {S::OptTwoScenariosFmt, "only one scenario file can be given (got '%s' and '%s')",
     "只能给出一个场景文件（收到了“%s”和“%s”）"},
    {S::OptServeAndAttach, "--serve and --attach cannot be combined", "--serve 和 --attach 不能同时使用"},
    {S::OptLiveScenarioFmt, "--attach/--serve follow a live server: no scenario file (got '%s')",
     "--attach/--serve 跟随运行中的服务器：不需要场景文件（收到了“%s”）"},
    {S::OptLivePredict, "predict mode needs a scenario, not a live server", "预测模式需要场景，不能用于运行中的服务器"},
    {S::OptSandboxOnly, "--sandbox-from and --sandbox-send need --sandbox HOST[:PORT]",
     "--sandbox-from 和 --sandbox-send 需要 --sandbox 主机[:端口]"},
};
static_assert(std::size(kStrings) == static_cast<std::size_t>(S::Count), "one entry per string id");

constexpr bool inOrder() {
    for (std::size_t i = 0; i < std::size(kStrings); ++i)
        if (static_cast<std::size_t>(kStrings[i].id) != i) return false;
    return true;
}
static_assert(inOrder(), "kStrings must follow the order of enum S");

Language g_language = Language::English;
Language g_messageLanguage = Language::English;

// The rows drawn in the UI (the font atlas needs their characters), without what is only printed.
std::span<const Entry> drawnTexts() {
    return std::span<const Entry>(kStrings).first(static_cast<std::size_t>(kFirstPrinted));
}

}  // namespace

void setUiLanguage(Language language) { g_language = language; }
Language uiLanguage() { return g_language; }
void setMessageLanguage(Language language) { g_messageLanguage = language; }
Language messageLanguage() { return g_messageLanguage; }

const char* tr(S id, Language language) {
    const Entry& e = kStrings[static_cast<std::size_t>(id)];
    return language == Language::Chinese ? e.zh : e.en;
}
const char* tr(S id) { return tr(id, g_language); }

std::span<const UiText> uiTexts() { return kStrings; }

void printError(const std::string& message) {
    std::fprintf(stderr, "%s\n", say(S::ErrorLineFmt, message.c_str()).c_str());
}

namespace {
i18n::Lang langOf(Language language) { return language == Language::Chinese ? i18n::Lang::Zh : i18n::Lang::En; }
}  // namespace

i18n::Lang uiLang() { return langOf(uiLanguage()); }
i18n::Lang messageLang() { return langOf(messageLanguage()); }

const char* chineseUiText() {
    static const std::string all = [] {
        std::string s;
        for (const Entry& e : drawnTexts()) s += e.zh;
        s += "天小时分钟秒毫后";  // the units of i18n::formatDuration / formatAfter
        return s;
    }();
    return all.c_str();
}

const char* allUiText() {
    static const std::string all = [] {
        std::string s = chineseUiText();
        for (const Entry& e : drawnTexts()) s += e.en;
        return s;
    }();
    return all.c_str();
}

}  // namespace mailsim::gui

namespace mailsim::gui {

namespace {
std::string withDuration(S fmt, double seconds) {
    const std::string d = i18n::formatDuration(static_cast<std::int64_t>(std::llround(seconds * 1e6)), uiLang());
    char buf[160];
    std::snprintf(buf, sizeof buf, tr(fmt), d.c_str());
    return buf;
}
}  // namespace

std::string formatClock(double seconds) { return withDuration(S::TimeFmt, seconds); }
std::string formatLater(double seconds) { return withDuration(S::LaterFmt, seconds); }

namespace {
// key: value * 8 + kind * 2 + language.
template <typename Make>
const std::string& cached(std::int64_t value, int kind, Make make) {
    static std::unordered_map<std::int64_t, std::string> cache;
    const std::int64_t key = value * 8 + kind * 2 + (g_language == Language::Chinese ? 1 : 0);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    if (cache.size() >= 4096) cache.clear();
    return cache.emplace(key, make()).first->second;
}
}  // namespace

const std::string& durationText(std::int64_t seconds) {
    return cached(seconds, 0, [&] { return i18n::formatDuration(seconds * 1'000'000, uiLang()); });
}
const std::string& clockText(double seconds) {  // to the millisecond: formatDuration shows ms under half a second
    const std::int64_t ms = std::llround(seconds * 1000.0);
    return cached(ms, 2, [&] { return formatClock(static_cast<double>(ms) / 1000.0); });
}
const std::string& laterText(double seconds) {
    return cached(std::llround(seconds), 1, [&] { return formatLater(static_cast<double>(std::llround(seconds))); });
}

}  // namespace mailsim::gui

namespace mailsim::gui {

const char* phaseLabel(const std::string& phase) {
    for (S id : {S::PhaseSetUp, S::PhaseTransfer, S::PhaseRelease, S::PhaseGreeting, S::PhaseLogIn, S::PhaseReadMark,
                 S::PhaseDeleteMarked, S::PhaseFolders, S::PhaseMessages})
        if (phase == kStrings[static_cast<std::size_t>(id)].en) return tr(id);
    return phase.c_str();
}

}  // namespace mailsim::gui
