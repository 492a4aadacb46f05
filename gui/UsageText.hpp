// The manual of mailsim-gui (`--help`, and after a usage error) in English and Chinese: the rows S::Usage of the
// string table (Strings.cpp). The Chinese one uses the glossary's terms (lessons/glossary.md); options, file names,
// key names and commands stay as typed. Kept here, out of Strings.cpp, because they are long.
#pragma once

namespace mailsim::gui {

inline constexpr const char* kUsageEn = R"(mailsim-gui - step through a mail scenario's trace

usage:
  mailsim-gui [FILE] [--size WxH] [--font-size PX]
              [--step K | --cursor end] [--screenshot PNG [--frames N]]
              [--show PANEL] [--lang en|zh] [--presenter] [--time-axis]
              [--predict [--predict-states] [--predict-answer REPLY]]
              [--sandbox HOST[:PORT] [--sandbox-from HOST] [--sandbox-send LINE]...]
  mailsim-gui --attach TRACE.jsonl [options]
  mailsim-gui --serve [options] [-- SERVE-ARGS...]
  mailsim-gui --help | --version

  FILE              scenario to load (default: scenarios/smtp-textbook.yaml, looked up in the current directory,
                    then in the source tree)
  --attach FILE     follow a live server: FILE is what `mailsim serve --trace-out FILE` writes; every panel shows
                    the real clients' sessions as they happen (the cursor follows the end while it is there)
  --serve [-- ARGS] start `mailsim serve ARGS --trace-out <temp dir>/trace.jsonl` and follow it (default ARGS:
                    --smtp 127.0.0.1:2525 --pop3 127.0.0.1:1100 --imap 127.0.0.1:1430; the Maildir in the temp
                    dir unless --maildir is given); the server is stopped when the window closes
  --step K          place the cursor K steps in (0 = the first line)
  --cursor end      place the cursor on the last step
  --screenshot PNG  render N frames (--frames, default 5) off-screen, write the window as PNG, exit 0
  --screenshot-delay S
                    with --screenshot: keep rendering for S seconds first (a live server's sessions arrive meanwhile)
  --size WxH        window (or screenshot) size, default 1280x800
  --font-size PX    text size in pixels, default 22 (times the monitor's content scale)
  --show PANEL      bring a panel to the front of its slot: sequence, transcript, state, inspector, mailboxes,
                    lesson, checks, scenarios, predict, sandbox, network
  --lang en|zh      user interface and lesson language (default: as last time, else English); the language of
                    what is printed on stdout and stderr: this option, else LC_ALL, LC_MESSAGES, LANG, else the
                    user interface's as last time
  --presenter       presenter mode: larger text (at least 28 px), high contrast, long lines wrapped, secondary
                    panels hidden (F11 toggles)
  --time-axis       sequence diagram along virtual time instead of one row per event (idle gaps compressed and
                    marked "... 2 h later ...")
  --predict         predict mode: the cursor stops before each server reply until you choose it (the Predict
                    panel); starts at the first reply after --step
  --predict-states  predict mode asks the next protocol state at each state change too
  --predict-answer REPLY
                    answer that first question with REPLY (e.g. 550), to show the feedback (tests, slides)
  --sandbox HOST[:PORT]
                    sandbox mode: the scenario's network, live, after its steps; connect to HOST (e.g.
                    mail.cesoo.com:25) from the first client host (--sandbox-from HOST: that one) and type each
                    --sandbox-send LINE (repeatable; tests, slides). The header's "Sandbox" toggle does it by hand.

keys: Right/Left (or Down/Up) step, [ ] previous/next state change, Home/End first/last, Space play/pause,
      PageUp/PageDown 10 steps, F5 reload the file, F11 presenter mode, Shift+F11 full screen
settings (languages, panel sizes, tabs, playback) are kept in $XDG_CONFIG_HOME/mailsim/gui.ini (screenshots ignore it)

exit status: 0 ok, 2 bad arguments, 3 no display or no OpenGL 3.3 window (use `mailsim run FILE` headless),
             4 no off-screen framebuffer for the screenshot, 5 the screenshot could not be written
)";

inline constexpr const char* kUsageZh = R"(mailsim-gui - 逐步查看邮件场景的跟踪记录

用法：
  mailsim-gui [文件] [--size 宽x高] [--font-size 像素]
              [--step K | --cursor end] [--screenshot PNG [--frames N]]
              [--show 面板] [--lang en|zh] [--presenter] [--time-axis]
              [--predict [--predict-states] [--predict-answer 应答]]
              [--sandbox 主机[:端口] [--sandbox-from 主机] [--sandbox-send 行]...]
  mailsim-gui --attach TRACE.jsonl [选项]
  mailsim-gui --serve [选项] [-- SERVE-参数...]
  mailsim-gui --help | --version

  文件              要载入的场景（默认：scenarios/smtp-textbook.yaml，先在当前目录中找，再在源代码树中找）
  --attach 文件     跟随一台运行中的服务器：文件是 `mailsim serve --trace-out 文件` 写出的跟踪记录；每个面板
                    实时显示真实客户端的会话（光标停在末尾时跟随末尾）
  --serve [-- 参数] 启动 `mailsim serve 参数 --trace-out <临时目录>/trace.jsonl` 并跟随它（默认参数：
                    --smtp 127.0.0.1:2525 --pop3 127.0.0.1:1100 --imap 127.0.0.1:1430；除非给出 --maildir，
                    Maildir 放在临时目录中）；关闭窗口时服务器随之停止
  --step K          把光标放在第 K 步（0 = 第一行）
  --cursor end      把光标放在最后一步
  --screenshot PNG  在离屏缓冲区中绘制 N 帧（--frames，默认 5），把窗口写成 PNG，退出状态 0
  --screenshot-delay 秒
                    与 --screenshot 一起使用：先持续绘制这么多秒（其间运行中服务器的会话陆续到达）
  --size 宽x高      窗口（或截图）大小，默认 1280x800
  --font-size 像素  文字大小（像素），默认 22（再乘以显示器的内容缩放比例）
  --show 面板       把一个面板切换到所在位置的最前面：sequence、transcript、state、inspector、mailboxes、
                    lesson、checks、scenarios、predict、sandbox、network
  --lang en|zh      界面和课文的语言（默认：与上次相同，否则为英文）；打印到 stdout 和 stderr 的文字的语言：
                    取此选项，否则取 LC_ALL、LC_MESSAGES、LANG，否则取上次的界面语言
  --presenter       演示模式：文字更大（至少 28 像素）、高对比度、长行折行、隐藏次要面板（F11 切换）
  --time-axis       时序图按虚拟时间排列，而不是每个事件一行（空闲间隔被压缩，并标为“…… 2 小时后 ……”）
  --predict         预测模式：光标停在每个服务器应答之前，直到你作出选择（“预测”面板）；从 --step 之后的
                    第一个应答开始
  --predict-states  预测模式在每次状态变化时也要求预测下一个协议状态
  --predict-answer 应答
                    用这个应答（例如 550）回答第一个问题，以显示反馈（用于测试、幻灯片）
  --sandbox 主机[:端口]
                    沙盒模式：在场景的步骤之后实时使用场景的网络；从第一台客户端主机（--sandbox-from 主机：
                    指定的那一台）连接到该主机（例如 mail.cesoo.com:25），并逐行输入每个 --sandbox-send 行
                    （可重复；用于测试、幻灯片）。标题栏的“沙盒”开关可以手动完成这些操作。

按键：Right/Left（或 Down/Up）单步，[ ] 上一个/下一个状态变化，Home/End 第一步/最后一步，Space 播放/暂停，
      PageUp/PageDown 10 步，F5 重新加载文件，F11 演示模式，Shift+F11 全屏
设置（语言、面板大小、标签页、播放）保存在 $XDG_CONFIG_HOME/mailsim/gui.ini 中（截图时不使用）

退出状态：0 正常，2 参数错误，3 没有显示器或无法打开 OpenGL 3.3 窗口（请用 `mailsim run 文件` 在后台运行），
          4 无法为截图创建离屏帧缓冲区，5 截图无法写入
)";

}  // namespace mailsim::gui
