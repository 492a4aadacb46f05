#include "sim/serve/ServeText.hpp"

#include <cerrno>
#include <cstdio>
#include <fmt/format.h>

namespace mailsim::sim {
namespace {

using T = ServeText;

constexpr ServeTextInfo kTexts[] = {
    {T::UsageListeners,
     {R"(usage: mailsim serve --config SCENARIO.yaml --maildir DIR [--port-offset N] [--bind ADDR] [options]
       mailsim serve [--smtp|--submission|--pop3|--imap|--smtps|--pop3s|--imaps ADDR:PORT]... --maildir DIR
                     [--user ADDRESS:PASSWORD]... [--strict] [--no-smtputf8] [--domain NAME] [--idle-timeout S]
                     [--no-tls] [--allow-plaintext-auth] [--ca-dir DIR] [--tls-name NAME]...
                     [--max-per-address N] [--login-timeout S] [limits] [--trace-out FILE]
                     [--ready-file FILE] [--lang en|zh]
  --smtp ADDR:PORT   SMTP on this address, e.g. 127.0.0.1:2525 or [::1]:2525 (port 0 picks a free port)
  --submission A:P   mail submission (RFC 6409, like port 587): SMTP AUTH offered and required
  --pop3 ADDR:PORT   POP3 on this address, e.g. 127.0.0.1:1100
  --imap ADDR:PORT   IMAP on this address, e.g. 127.0.0.1:1430 (at least one listener is required)
  --smtps, --pop3s, --imaps ADDR:PORT
                     implicit TLS (RFC 8314: submission like 465, POP3 like 995, IMAP like 993)
  --no-tls           no TLS at all: STARTTLS/STLS not offered (and no --smtps/--pop3s/--imaps)
  --allow-plaintext-auth
                     accept passwords before TLS is up (default: refused until STARTTLS, RFC 8314 / 2595)
  --ca-dir DIR       the classroom CA (default: see `mailsim ca show`); students trust `mailsim ca export`
  --tls-name NAME    a name the certificate must carry (repeatable; default localhost, 127.0.0.1, ::1)
  --max-per-address N
                     connections one client address may hold at once (default 20); more get the protocol's
                     "too many connections" goodbye (SMTP 421, POP3 -ERR [SYS/TEMP], IMAP BYE) and are closed
  --login-timeout S  POP3, IMAP and submission clients must log in within S seconds (default 60), or get the
                     protocol's "login timeout" goodbye
)",
      R"(用法：mailsim serve --config 场景.yaml --maildir 目录 [--port-offset N] [--bind 地址] [选项]
      mailsim serve [--smtp|--submission|--pop3|--imap|--smtps|--pop3s|--imaps 地址:端口]... --maildir 目录
                    [--user 地址:密码]... [--strict] [--no-smtputf8] [--domain 名称] [--idle-timeout 秒]
                    [--no-tls] [--allow-plaintext-auth] [--ca-dir 目录] [--tls-name 名称]...
                    [--max-per-address N] [--login-timeout 秒] [限制] [--trace-out 文件]
                    [--ready-file 文件] [--lang en|zh]
  --smtp 地址:端口   在这个地址上提供 SMTP，例如 127.0.0.1:2525 或 [::1]:2525（端口 0 表示任选一个空闲端口）
  --submission 地址:端口
                     邮件提交（RFC 6409，类似 587 端口）：提供并要求 SMTP AUTH
  --pop3 地址:端口   在这个地址上提供 POP3，例如 127.0.0.1:1100
  --imap 地址:端口   在这个地址上提供 IMAP，例如 127.0.0.1:1430（至少需要一个监听）
  --smtps, --pop3s, --imaps 地址:端口
                     隐式 TLS（RFC 8314：提交类似 465，POP3 类似 995，IMAP 类似 993）
  --no-tls           完全不用 TLS：不提供 STARTTLS/STLS（也不能用 --smtps/--pop3s/--imaps）
  --allow-plaintext-auth
                     在 TLS 建立之前就接受密码（默认：STARTTLS 之前拒绝，RFC 8314 / 2595）
  --ca-dir 目录      课堂 CA（默认：见 `mailsim ca show`）；学生信任 `mailsim ca export` 导出的证书
  --tls-name 名称    证书必须包含的名称（可重复；默认 localhost、127.0.0.1、::1）
  --max-per-address N
                     一个客户端地址同时最多可占用的连接数（默认 20）；超出的连接收到协议的“连接过多”告别应答
                     （SMTP 421、POP3 -ERR [SYS/TEMP]、IMAP BYE）后被关闭
  --login-timeout 秒 POP3、IMAP 和提交服务的客户端必须在这么多秒内登录（默认 60），否则收到协议的“登录超时”
                     告别应答
)"}},
    {T::UsageLimits,
     {R"(  limits (docs/security.md): --max-per-address N (20), --max-connections N per listener (500),
    --login-timeout S (60), --greeting-timeout S (60, port 25: first command), --command-timeout S (60: a
    command line, or DATA content, plus 1 s per --min-data-rate N octets (500)), --max-recipients N (1000)
)",
      R"(  限制（docs/security.md）：--max-per-address N（20），--max-connections N 每个监听（500），
    --login-timeout 秒（60），--greeting-timeout 秒（60，25 端口：第一条命令），--command-timeout 秒（60：一条
    命令行或 DATA 内容，每收到 --min-data-rate N 个字节（500）再加 1 秒），--max-recipients N（1000）
)"}},
    {T::UsageStore,
     {R"(  --trace-out FILE   also write every trace event to FILE as one JSON line (JSON Lines, flushed as it happens;
                     the file is truncated first), for `mailsim-gui --attach FILE` and `mailsim record`;
                     FILE - writes them to stdout (the human-readable trace then goes to stderr)
  --ready-file FILE  once every listener is bound, write FILE (atomically: it appears whole or not at all) with
                     one JSON document for scripts and tests: {"format": "mailsim-serve-ready", "version": 1,
                     "pid": N, "listeners": [{"host", "service", "protocol", "address", "port", "endpoint",
                     "implicitTls", "submission", "starttls"}, ...]}; a stale FILE is removed at start, this one
                     at exit. Read it, not the `listening` lines, to find the ports
  --maildir DIR      where mail is stored: DIR/<address>/{tmp,new,cur} (Maildir)
  --user A:P         a local user and password (repeatable); the users' domains are the local domains;
                     default: mike@cesoo.com:mike123 and rose@cesoo.com:rose123
  --strict           refuse what RFC 5321 forbids (bare LF, MAIL FROM without <>, over-long lines)
  --no-smtputf8      do not offer SMTPUTF8 (RFC 6531): ASCII addresses only, like an older MTA
  --domain NAME      the server's name in the greeting (default: the first user's domain)
  --idle-timeout S   close idle sessions after S seconds (default: SMTP 300, RFC 5321 4.5.3.2.7; POP3 600,
                     RFC 1939 3; IMAP 1800, RFC 3501 5.4)
  --lang en|zh       the language of these messages, the `listening` lines and the trace's annotations (default:
                     from LC_ALL, LC_MESSAGES, LANG); protocol lines, --trace-out and --ready-file stay as they are
  --config FILE      serve every host of a scenario network on real ports (a live classroom network): see
                     below
)",
      R"(  --trace-out 文件   同时把每个跟踪事件作为一行 JSON 写到文件（JSON Lines，随发生随刷新；文件先被清空），
                     供 `mailsim-gui --attach 文件` 和 `mailsim record` 使用；文件为 - 时写到 stdout
                     （这时人读的跟踪记录改到 stderr）
  --ready-file 文件  所有监听都绑定好之后写出这个文件（原子地：要么完整出现，要么不出现），内容是给脚本和测试
                     读的一个 JSON 文档：{"format": "mailsim-serve-ready", "version": 1, "pid": N,
                     "listeners": [{"host", "service", "protocol", "address", "port", "endpoint",
                     "implicitTls", "submission", "starttls"}, ...]}；启动时删除旧的文件，退出时删除本次的文件。
                     要找端口请读它，不要解析 `listening` 行
  --maildir 目录     邮件存放的位置：目录/<地址>/{tmp,new,cur}（Maildir）
  --user 地址:密码   一个本地用户及其密码（可重复）；这些用户的域就是本地域；
                     默认：mike@cesoo.com:mike123 和 rose@cesoo.com:rose123
  --strict           拒绝 RFC 5321 禁止的内容（单独的 LF、没有 <> 的 MAIL FROM、过长的行）
  --no-smtputf8      不提供 SMTPUTF8（RFC 6531）：只接受 ASCII 地址，像较旧的 MTA 一样
  --domain 名称      问候语中服务器的名称（默认：第一个用户的域）
  --idle-timeout 秒  空闲这么多秒后关闭会话（默认：SMTP 300，RFC 5321 4.5.3.2.7；POP3 600，RFC 1939 3；
                     IMAP 1800，RFC 3501 5.4）
  --lang en|zh       这些消息、“正在监听”行和跟踪注释的语言（默认取自 LC_ALL、LC_MESSAGES、LANG）；协议行、
                     --trace-out 和 --ready-file 保持原样
  --config 文件      在真实端口上提供一个场景网络中的每台主机（实时的课堂网络）：见下文
)"}},
    {T::UsageConfig,
     {R"(mailsim serve --config SCENARIO.yaml --maildir DIR [--port-offset N] [--bind ADDR] [--no-tls]
              [--allow-plaintext-auth] [--ca-dir DIR] [--max-per-address N] [--login-timeout S]
              [--trace-out FILE] [--ready-file FILE] [--lang en|zh]
  Serves every host of the scenario that has services (its users, DNS, TLS settings; steps are ignored), each
  with its own listeners and Maildir store (DIR/<host>/), and relays mail between them over real TCP through
  the scenario's MX records, with a durable queue in DIR/<host>/queue/ (reloaded and run at start).
  --port-offset N    added to the scenario's ports (default 10000: 25 -> 10025; 0 for the real ports, as root)
  --bind ADDR        every host on ADDR; host n (from 0) then adds n*100 to its ports. Default: host n on
                     127.0.0.(n+1)
  Prints `listening HOST SERVICE ADDR:PORT` per listener, e.g. `listening mail.cesoo.com smtp 127.0.0.1:10025`;
  --ready-file FILE lists them for scripts (each with its "host" and "service").
)",
      R"(mailsim serve --config 场景.yaml --maildir 目录 [--port-offset N] [--bind 地址] [--no-tls]
              [--allow-plaintext-auth] [--ca-dir 目录] [--max-per-address N] [--login-timeout 秒]
              [--trace-out 文件] [--ready-file 文件] [--lang en|zh]
  提供场景中每台有服务的主机（它的用户、DNS、TLS 设置；步骤被忽略），每台主机有自己的监听和 Maildir 存储
  （目录/<主机>/），并按场景的 MX 记录在它们之间通过真实的 TCP 转发邮件，持久队列在 目录/<主机>/queue/
  （启动时重新载入并运行）。
  --port-offset N    加到场景的端口上（默认 10000：25 -> 10025；0 表示真实端口，需要 root）
  --bind 地址        所有主机都在这个地址上；第 n 台主机（从 0 起）的端口再加 n*100。默认：第 n 台主机在
                     127.0.0.(n+1)
  每个监听打印一行 `正在监听 主机 服务 地址:端口`，例如 `正在监听 mail.cesoo.com smtp 127.0.0.1:10025`；
  --ready-file 文件 为脚本列出这些监听（每个都带 "host" 和 "service"）。
)"}},
    {T::ValueScenarioFile, {"a scenario file", "一个场景文件"}},
    {T::ValueDirectory, {"a directory", "一个目录"}},
    {T::ValueAddress, {"an address", "一个地址"}},
    {T::ValueTraceFile, {"a file name (or - for stdout)", "一个文件名（或用 - 表示 stdout）"}},
    {T::ValueNumber, {"a number", "一个数"}},
    {T::ValueSeconds, {"a number of seconds", "一个秒数"}},
    {T::ValueName, {"a name", "一个名称"}},
    {T::ValueUser, {"ADDRESS:PASSWORD", "地址:密码"}},
    {T::ValueListen, {"ADDR:PORT", "地址:端口"}},
    {T::ValueFile, {"a file name", "一个文件名"}},
    {T::NeedsValue, {"{0} needs a value", "{0} 后面需要一个值"}},
    {T::NeedsValueGotEmpty, {"{0} needs a value, got ''", "{0} 后面需要一个值，却是空的"}},
    {T::NumberRange, {"{0} {1}: expected a number from {2} to {3}", "{0} {1}：应为 {2} 到 {3} 之间的数"}},
    {T::SecondsRange, {"{0} {1}: expected a number of seconds from {2} to {3}", "{0} {1}：应为 {2} 到 {3} 之间的秒数"}},
    {T::UnknownArgument, {"unknown argument '{0}'", "未知的参数“{0}”"}},
    {T::NotWithConfig,
     {"{0} cannot be combined with --config: the scenario names the hosts, services and users",
      "{0} 不能与 --config 一起使用：主机、服务和用户由场景给出"}},
    {T::MaildirRequired, {"--maildir DIR is required", "需要 --maildir 目录"}},
    {T::ListenBracket, {"{0}: expected [IPV6]:PORT, e.g. [::1]:2525", "{0}：应为 [IPv6 地址]:端口，例如 [::1]:2525"}},
    {T::ListenAddrPort, {"{0}: expected ADDR:PORT, e.g. 127.0.0.1:2525", "{0}：应为 地址:端口，例如 127.0.0.1:2525"}},
    {T::ListenIpv6,
     {"{0}: write an IPv6 address in brackets, e.g. [::1]:2525", "{0}：IPv6 地址要写在方括号里，例如 [::1]:2525"}},
    {T::ListenPort, {"{0}: the port must be a number from 0 to 65535", "{0}：端口必须是 0 到 65535 之间的数"}},
    {T::GivenTwice, {"{0} given twice", "{0} 给了两次"}},
    {T::UserBad,
     {"--user {0}: expected ADDRESS:PASSWORD, e.g. rose@cesoo.com:rose123",
      "--user {0}：应为 地址:密码，例如 rose@cesoo.com:rose123"}},
    {T::NeedListener,
     {"at least one listener (--smtp, --submission, --pop3, --imap, --smtps, --pop3s, --imaps ADDR:PORT) is required",
      "至少需要一个监听（--smtp、--submission、--pop3、--imap、--smtps、--pop3s、--imaps 地址:端口）"}},
    {T::NeedsTls, {"{0} needs TLS, which --no-tls turned off", "{0} 需要 TLS，而 --no-tls 关掉了它"}},
    {T::Failed, {"mailsim serve: {0}", "mailsim serve：{0}"}},
    {T::CannotRead, {"mailsim serve: cannot read {0}", "mailsim serve：无法读取 {0}"}},
    {T::MaildirRoot,
     {"mailsim serve: cannot use {0} as the Maildir root: {1}", "mailsim serve：无法把 {0} 用作 Maildir 根目录：{1}"}},
    {T::MaildirRootOfHost,
     {"cannot use {0} as the Maildir root of {1}: {2}", "无法把 {0} 用作 {1} 的 Maildir 根目录：{2}"}},
    {T::NotADirectory, {"not a directory", "不是目录"}},
    {T::TooManyHosts, {"more than 254 server hosts; use --bind", "服务器主机超过 254 台；请用 --bind"}},
    {T::NoServedHost,
     {"{0} has no host with services (smtp, pop3, imap)", "{0} 中没有提供服务（smtp、pop3、imap）的主机"}},
    {T::TlsFailed, {"TLS: {0} (use --no-tls to serve without it)", "TLS：{0}（用 --no-tls 可以不用 TLS 提供服务）"}},
    {T::TlsFailedFor,
     {"TLS for {0}: {1} (use --no-tls to serve without it)", "{0} 的 TLS：{1}（用 --no-tls 可以不用 TLS 提供服务）"}},
    {T::TlsCertificate,
     {"mailsim serve: TLS certificate for {0} from the classroom CA in {1}",
      "mailsim serve：{0} 的 TLS 证书由 {1} 中的课堂 CA 签发"}},
    {T::TlsSkipped,
     {"mailsim serve: {0} {1} skipped: TLS is off (--no-tls)", "mailsim serve：跳过 {0} {1}：TLS 已关闭（--no-tls）"}},
    {T::PortBeyond,
     {"{0} {1}: port {2} + {3} is beyond 65535 (choose a smaller --port-offset)",
      "{0} {1}：端口 {2} + {3} 超过 65535（请选一个更小的 --port-offset）"}},
    {T::TraceOut, {"--trace-out: {0}", "--trace-out：{0}"}},
    {T::CannotWrite, {"cannot write {0}: {1}", "无法写入 {0}：{1}"}},
    {T::CannotUseStdout, {"cannot use stdout: {0}", "无法使用 stdout：{0}"}},
    {T::ReadOnly,
     {"mailsim serve: warning: the Maildir {0} is read-only ({1}{2}): mail cannot be delivered there and IMAP flags "
      "(STORE) cannot be saved; make it writable (chmod u+w) or serve another --maildir",
      "mailsim serve：警告：Maildir {0} 是只读的（{1}{2}）：邮件无法投递到这里，IMAP 标志（STORE）也无法保存；"
      "请让它可写（chmod u+w），或换一个 --maildir"}},
    {T::ReadOnlyMore, {" and {0} more folder(s)", "以及另外 {0} 个文件夹"}},
    {T::ResolveFailed, {"cannot resolve {0}: {1}", "无法解析 {0}：{1}"}},
    {T::ListenFailed, {"cannot listen on {0}:{1}: {2}", "无法在 {0}:{1} 上监听：{2}"}},
    {T::NoAddress, {"no address", "没有地址"}},
    {T::QueueDir, {"cannot use {0} as the queue of {1}: {2}", "无法把 {0} 用作 {1} 的队列：{2}"}},
    {T::JournalNotUsed,
     {"mailsim serve: delivery journal not used: {0} (every delivery fsyncs before its 250)",
      "mailsim serve：未使用投递日志：{0}（每次投递都在回答 250 之前 fsync）"}},
    {T::ReadyFile, {"--ready-file: cannot write {0}: {1}", "--ready-file：无法写入 {0}：{1}"}},
    // For people, in their language; machines read --ready-file (sim/tools/ServeReady.hpp).
    {T::Listening, {"listening {0} {1}", "正在监听 {0} {1}"}},
    {T::Warning, {"mailsim serve: warning: {0}", "mailsim serve：警告：{0}"}},
    {T::AcceptPaused,
     {"mailsim serve: cannot accept: {0} (pausing for a second)", "mailsim serve：无法接受连接：{0}（暂停一秒）"}},
    {T::PollFailed, {"mailsim serve: poll failed: {0}", "mailsim serve：poll 失败：{0}"}},
    {T::StopReceived,
     {"mailsim serve: {0} received, closing {1} session(s)", "mailsim serve：收到 {0}，正在关闭 {1} 个会话"}},
    {T::NotQueueFile,
     {"mailsim serve: warning: {0} is not a queue file; left alone", "mailsim serve：警告：{0} 不是队列文件；未做改动"}},
    {T::BounceNotQueued,
     {"mailsim serve: warning: a bounce could not be queued: {0}", "mailsim serve：警告：退信无法放入队列：{0}"}},
    {T::StoreUidListDamaged,
     {"{0}: {1}; the UID list is rebuilt from the directory (no mail lost, UIDVALIDITY changes)",
      "{0}：{1}；UID 列表按目录重建（邮件没有丢失，UIDVALIDITY 会改变）"}},
    {T::StoreUidListUnreadable, {"{0}; the UID list is rebuilt from the directory", "{0}；UID 列表按目录重建"}},
    {T::StoreIndexMissing,
     {"{0} is missing; the index is rebuilt from the message files (no mail lost)",
      "{0} 不见了；索引按邮件文件重建（邮件没有丢失）"}},
    {T::StoreIndexDamaged,
     {"{0}: {1}; the index is rebuilt from the message files (no mail lost)",
      "{0}：{1}；索引按邮件文件重建（邮件没有丢失）"}},
    {T::StoreKeywordsIgnored, {"{0}: {1}; keywords of that file are ignored", "{0}：{1}；忽略这个文件中的关键字"}},
    {T::StoreUidsInMemoryOnly, {"{0} (UIDs kept in memory only)", "{0}（UID 只保存在内存中）"}},
    {T::StoreTmpRemoved,
     {"{0}: removed, untouched in tmp/ for more than 36 hours (Maildir rule)",
      "{0}：已删除，它在 tmp/ 中超过 36 小时没有变动（Maildir 规则）"}},
    {T::StoreJournalReplayed,
     {"{0}: {1} unsettled deliveries found after a crash; {2} copies redone",
      "{0}：崩溃后发现 {1} 个未完成的投递；重做了 {2} 份副本"}},
    {T::StoreJournalNotSettled,
     {"the delivery journal: a checkpoint failed ({0}); its records are kept and the checkpoint is retried",
      "投递日志：一次检查点失败（{0}）；日志记录保留，稍后重试检查点"}},
    {T::StoreFileError, {"the Maildir store: {0}", "Maildir 存储：{0}"}},
    {T::CaIsDirectory, {"{0}: is a directory, not a file", "{0}：是一个目录，不是文件"}},
    {T::CaUnreadable, {"{0}: cannot be read: {1}", "{0}：无法读取：{1}"}},
    {T::CaTooLarge, {"{0}: larger than 1 MiB, not a CA file", "{0}：大于 1 MiB，不是 CA 文件"}},
    {T::CaMissing, {"{0}: missing, while {1} exists", "{0}：缺失，而 {1} 存在"}},
    {T::CaNotCertificate, {"{0}: not a PEM certificate (corrupt?)", "{0}：不是 PEM 证书（已损坏？）"}},
    {T::CaNotPrivateKey, {"{0}: not a PEM private key (corrupt?)", "{0}：不是 PEM 私钥（已损坏？）"}},
    {T::CaKeyMismatch,
     {"{0}: ca.pem and ca.key are not a matching certificate and key", "{0}：ca.pem 和 ca.key 不是相互匹配的证书和私钥"}},
    {T::CaCannotCreate, {"cannot create the CA directory {0}: {1}", "无法创建 CA 目录 {0}：{1}"}},
    {T::CaCannotWrite, {"cannot write {0}: {1}", "无法写入 {0}：{1}"}},
    {T::CaOpenSsl, {"making a key or certificate failed: {1}", "生成密钥或证书时出错：{1}"}},
    {T::CaUnusable, {"the classroom CA in {0} could not be read", "无法读取 {0} 中的课堂 CA"}},
    {T::CaKept,
     {"{0}; the classroom CA is never replaced, because students already trust its ca.pem: fix the file, or remove "
      "the directory {1} to start a new CA (students must then trust the new one)",
      "{0}；课堂 CA 从不替换，因为学生已经信任它的 ca.pem：请修复这个文件，或者删除目录 {1} 来建立新的 CA"
      "（之后学生必须改为信任新的 CA）"}},
    {T::TlsCreateContext, {"cannot create the TLS context: {0}", "无法创建 TLS 上下文：{0}"}},
    {T::TlsSetVersions, {"cannot set the lowest TLS version: {0}", "无法设置最低的 TLS 版本：{0}"}},
    {T::TlsSetCiphers, {"cannot set the TLS 1.2 cipher suites: {0}", "无法设置 TLS 1.2 的密码套件：{0}"}},
    {T::TlsLoadCertificate, {"cannot load the server certificate: {0}", "无法加载服务器证书：{0}"}},
    {T::TlsLoadChain, {"cannot load a CA certificate of the chain: {0}", "无法加载证书链中的 CA 证书：{0}"}},
    {T::TlsLoadKey, {"cannot load the server's private key: {0}", "无法加载服务器私钥：{0}"}},
    {T::TlsCheckKey, {"checking the private key against the certificate: {0}", "核对私钥与证书时出错：{0}"}},
    {T::TlsTrustCa, {"cannot trust the CA certificate: {0}", "无法信任 CA 证书：{0}"}},
    {T::TlsInFile, {"{0}: {1}", "{0}：{1}"}},
    {T::ReasonNone, {"no reason given", "原因不明"}},
    {T::ReasonSystem, {"{0}", "系统报告：{0}"}},
    {T::ReasonNotPem, {"not PEM of this kind (no matching -----BEGIN line, or a block that does not decode)",
                       "不是这种 PEM 格式（没有相应的 -----BEGIN 行，或者内容无法解码）"}},
    {T::ReasonKeyMismatch, {"the private key does not match the certificate", "私钥与证书不匹配"}},
    {T::ReasonBadPassword, {"an encrypted private key: no or a wrong password", "私钥已加密：没有密码或者密码错误"}},
    {T::ReasonOther, {"OpenSSL: {0}", "OpenSSL 报告：“{0}”"}},
    {T::ReasonNoSuchFile, {"{0}", "文件不存在"}},
    {T::ReasonDenied, {"{0}", "没有权限"}},
    {T::ReasonIsDirectory, {"{0}", "是一个目录"}},
    {T::StaysQueued,
     {"mailsim serve: {0} message{1} of {2} stay{3} queued on disk in {4}",
      "mailsim serve：{2} 有 {0} 封邮件留在磁盘上的队列里：{4}"}},
};

}  // namespace

std::span<const ServeTextInfo> serveTexts() { return kTexts; }

std::string_view serveText(ServeText id, i18n::Lang lang) { return textOf(serveTexts(), id, lang); }

std::string storeWarningText(const store::StoreWarning& w, i18n::Lang lang) {
    using K = store::StoreWarningKind;
    static_assert(static_cast<int>(store::kLastStoreWarningKind) ==
                  static_cast<int>(T::StoreFileError) - static_cast<int>(T::StoreUidListDamaged));
    const auto id = static_cast<T>(static_cast<int>(T::StoreUidListDamaged) + static_cast<int>(w.kind));
    switch (w.kind) {
        case K::UidListDamaged:
            return serveSay(lang, id, w.line ? fmt::format("{}:{}", w.path, w.line) : w.path, w.detail);
        case K::UidListUnreadable:
        case K::UidsInMemoryOnly:
        case K::JournalNotSettled:
        case K::FileError: return serveSay(lang, id, w.error ? store::storeErrorText(*w.error, lang) : w.detail);
        case K::IndexMissing:
        case K::TmpRemoved: return serveSay(lang, id, w.path);
        case K::IndexDamaged:
        case K::KeywordsIgnored: return serveSay(lang, id, w.path, w.detail);
        case K::JournalReplayed: return serveSay(lang, id, w.path, w.count, w.redone);
    }
    return serveSay(lang, T::StoreFileError, w.detail);
}

std::string caErrorText(const CaError& e, i18n::Lang lang) {
    static_assert(static_cast<int>(kLastCaProblem) == static_cast<int>(T::CaUnusable) - static_cast<int>(T::CaIsDirectory));
    const auto id = static_cast<T>(static_cast<int>(T::CaIsDirectory) + static_cast<int>(e.problem));
    const std::string second = e.problem == CaProblem::Missing        ? e.other
                               : e.reason.kind != TlsReasonKind::None ? tlsReasonText(e.reason, lang)
                                                                      : e.detail;
    std::string text = serveSay(lang, id, e.path, second);
    return e.keptDirectory.empty() ? text : serveSay(lang, T::CaKept, text, e.keptDirectory);
}

std::string tlsReasonText(const TlsReason& reason, i18n::Lang lang) {
    static_assert(static_cast<int>(kLastTlsReasonKind) == static_cast<int>(T::ReasonOther) - static_cast<int>(T::ReasonNone));
    auto id = static_cast<T>(static_cast<int>(T::ReasonNone) + static_cast<int>(reason.kind));
    if (reason.kind == TlsReasonKind::System) {
        switch (reason.sysErrno) {
        case ENOENT: id = T::ReasonNoSuchFile; break;
        case EACCES:
        case EPERM: id = T::ReasonDenied; break;
        case EISDIR: id = T::ReasonIsDirectory; break;
        default: break;
        }
    }
    return serveSay(lang, id, reason.text);
}

std::string tlsContextErrorText(const TlsContextError& e, i18n::Lang lang) {
    static_assert(static_cast<int>(kLastTlsStep) == static_cast<int>(T::TlsTrustCa) - static_cast<int>(T::TlsCreateContext));
    const auto id = static_cast<T>(static_cast<int>(T::TlsCreateContext) + static_cast<int>(e.step));
    std::string text = serveSay(lang, id, tlsReasonText(e.reason, lang));
    return e.file.empty() ? text : serveSay(lang, T::TlsInFile, e.file, text);
}

void printError(std::string_view line) {
    std::string text(line);
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace mailsim::sim
