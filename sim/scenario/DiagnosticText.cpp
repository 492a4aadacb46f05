// The words of the scenario diagnostics (Diagnostic.hpp): one row per DiagnosticId and per Noun, in English and
// Chinese (terms as in lessons/glossary.md). YAML keys, values from the file, protocol tokens and examples of what to
// write stay as typed; the Chinese says the rest the way a teacher would.
#include "sim/scenario/Diagnostic.hpp"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace mailsim::sim {
namespace {

using D = DiagnosticId;
using i18n::Lang;

// Every noun but Key (a key is shown as written), in enum order.
constexpr std::array<NounRow, kNounCount - 1> kNouns{{
    {Noun::DnsEntry, {"dns entry '{0}'", "DNS 条目 '{0}'"}},
    {Noun::MuaAction, {"mua {0}", "mua {0} 步骤"}},
    {Noun::ScenarioFile, {"the scenario file", "场景文件"}},
    {Noun::NetworkFile, {"a network file", "网络文件"}},
    {Noun::IncludedNetworkFile, {"an included network file", "被包含的网络文件"}},
    {Noun::IncludedFileName, {"an included file name", "被包含的文件名"}},
    {Noun::Host, {"a host", "主机"}},
    {Noun::HostName, {"host name", "主机名"}},
    {Noun::AHostName, {"a host name", "主机名"}},
    {Noun::User, {"a user", "用户"}},
    {Noun::UserName, {"user name", "用户名"}},
    {Noun::MailingList, {"a mailing list", "邮件列表"}},
    {Noun::ListName, {"list name", "列表名"}},
    {Noun::Rule, {"a rule", "规则"}},
    {Noun::MxRecord, {"an MX record", "MX 记录"}},
    {Noun::MxHost, {"MX host", "MX 主机"}},
    {Noun::NoteStep, {"a note step", "note 步骤"}},
    {Noun::WaitStep, {"a wait step", "wait 步骤"}},
    {Noun::CheckpointStep, {"a checkpoint step", "checkpoint 步骤"}},
    {Noun::CheckpointLabel, {"checkpoint label", "检查点标签"}},
    {Noun::CheckStep, {"a check step", "check 步骤"}},
    {Noun::SessionStep, {"a session step", "session 步骤"}},
    {Noun::FaultStep, {"a fault step", "fault 步骤"}},
    {Noun::MuaStep, {"an mua step", "mua 步骤"}},
    {Noun::ScriptLine, {"a script line", "脚本行"}},
    {Noun::Server, {"the server", "服务器"}},
    {Noun::Attachment, {"an attachment", "附件"}},
    {Noun::Message, {"a message", "邮件"}},
    {Noun::Link, {"a link", "链路"}},
    {Noun::RetryDelay, {"a retry delay", "重试间隔"}},
    {Noun::Mapping, {"a mapping", "映射"}},
    {Noun::List, {"a list", "列表"}},
    {Noun::SingleValue, {"a single value", "单个值"}},
    {Noun::Nothing, {"nothing", "空值"}},
    {Noun::Undefined, {"an undefined value", "未定义的值"}},
}};

constexpr std::array<DiagnosticRow, kDiagnosticCount> kTexts{{
    {D::NotAMapping, {"{0} must be a mapping (key: value lines), found {1}",
                      "{0}必须是映射（“键: 值”形式的若干行），这里却是{1}"}},
    {D::UnknownKey, {"unknown key '{0}' in {1}{2}; expected one of: {3}",
                     "{1}中有未知的键 '{0}'{2}；可用的键有：{3}"}},
    {D::TextNeitherLang, {"{0} has neither 'en' nor 'zh' text", "{0}既没有 'en' 文本，也没有 'zh' 文本"}},
    {D::NotTextOrLocal, {"{0} must be text or {{en: ..., zh: ...}}, found {1}",
                         "{0}必须是文本或 {{en: ..., zh: ...}}，这里却是{1}"}},
    {D::NotText, {"{0} must be text, found {1}", "{0}必须是文本，这里却是{1}"}},
    {D::HeaderLineBreak,
     {"{0} cannot be used as a header value: it holds a line break ({1} at octet {2}), which would end the header field "
      "and start another (header injection); a header value is one line (RFC 5322 2.2)",
      "{0}不能用作首部字段的值：其中第 {2} 个字节是换行符 {1}，它会结束这个首部字段并开始另一个（首部注入）；"
      "首部字段的值只能是一行（RFC 5322 2.2）"}},
    {D::NumberOutOfRange, {"{0} is {1}, expected a whole number from {2} to {3}",
                           "{0}的值是 {1}，应为 {2} 到 {3} 之间的整数"}},
    {D::NotANumber, {"{0} must be a whole number from {1} to {2}, found '{3}'",
                     "{0}必须是 {1} 到 {2} 之间的整数，这里却是 '{3}'"}},
    {D::NotBoolean, {"{0} must be true or false", "{0}必须是 true 或 false"}},
    {D::NotNameList, {"{0} must be a list of names, found {1}", "{0}必须是名称列表，这里却是{1}"}},

    {D::NoTitle, {"the scenario has no 'title'; expected e.g. 'title: The textbook love letter'",
                  "场景没有 'title'；应写成例如 'title: 课本里的那封情书'"}},
    {D::StartNotUtc, {"start '{0}' is not a UTC time; expected e.g. 2024-03-04T09:00:00Z",
                      "start '{0}' 不是 UTC 时间；应写成例如 2024-03-04T09:00:00Z"}},
    {D::HostsNotList, {"hosts must be a list (each host starts with '- name: ...')",
                       "hosts 必须是列表（每台主机以 '- name: ...' 开头）"}},
    {D::NoHosts, {"the scenario has no 'hosts'; expected a list of machines, e.g. '- name: mail.cesoo.com' (or an "
                  "'include:' of a network file that has them)",
                  "场景没有 'hosts'；应给出主机列表，例如 '- name: mail.cesoo.com'（或者用 'include:' 包含一个定义了"
                  "主机的网络文件）"}},
    {D::StepsNotList, {"steps must be a list (each step starts with '- ')", "steps 必须是列表（每个步骤以 '- ' 开头）"}},
    {D::NoSteps, {"the scenario has no 'steps'; expected a list of what happens, e.g. '- session: ...'",
                  "场景没有 'steps'；应按发生的顺序列出各个步骤，例如 '- session: ...'"}},
    {D::HostNoName, {"a host needs a 'name', e.g. 'name: mail.cesoo.com'", "主机需要 'name'，例如 'name: mail.cesoo.com'"}},
    {D::HostTwice, {"host '{0}' is defined twice", "主机 '{0}' 定义了两次"}},
    {D::HostTwiceAt, {"host '{0}' is defined twice: here and at {1}", "主机 '{0}' 定义了两次：这里一次，{1} 一次"}},
    {D::HostTwiceIncluded,
     {"host '{0}' is defined twice: here and at {1} (included by {2}); a scenario may add hosts to an included "
      "network but not redefine them",
      "主机 '{0}' 定义了两次：这里一次，{1} 一次（由 {2} 包含进来）；场景可以在被包含的网络中增加主机，但不能重新定义"
      "已有的主机"}},
    {D::DnsTwice, {"dns entry '{0}' is defined twice", "DNS 条目 '{0}' 定义了两次"}},
    {D::DnsTwiceAt, {"dns entry '{0}' is defined twice: here and at {1}", "DNS 条目 '{0}' 定义了两次：这里一次，{1} 一次"}},
    {D::DnsTwiceIncluded,
     {"dns entry '{0}' is defined twice: here and at {1} (included by {2}); a scenario may add dns entries to an "
      "included network but not redefine them",
      "DNS 条目 '{0}' 定义了两次：这里一次，{1} 一次（由 {2} 包含进来）；场景可以在被包含的网络中增加 DNS 条目，"
      "但不能重新定义已有的条目"}},
    {D::NotADomain, {"'{0}' is not a domain name (expected e.g. cesoo.com)", "'{0}' 不是域名（应写成例如 cesoo.com）"}},
    {D::ForwardNotUser, {"{0} forwards to {1}, which is not a user of host '{2}'",
                         "{0} 转发到 {1}，但 {1} 不是主机 '{2}' 上的用户"}},
    {D::UsersNoService, {"host '{0}' has users but no mail service; add 'services: [smtp]' (and pop3 to fetch mail)",
                         "主机 '{0}' 有用户，却没有邮件服务；请加上 'services: [smtp]'（要收取邮件，再加上 pop3）"}},
    {D::ServiceBadPort, {"service '{0}': the port must be a number from 1 to 65535",
                         "服务 '{0}'：端口必须是 1 到 65535 之间的数"}},
    {D::UnknownService, {"unknown service '{0}'{1}; expected smtp, submission, smtps, pop3, pop3s, imap or imaps",
                         "未知的服务 '{0}'{1}；可用的服务有 smtp、submission、smtps、pop3、pop3s、imap 和 imaps"}},
    {D::UsersNotList, {"users must be a list, e.g. '- {{ name: rose, password: rose123 }}'",
                       "users 必须是列表，例如 '- {{ name: rose, password: rose123 }}'"}},
    {D::UserAddressBad, {"user address '{0}': {1}", "用户地址 '{0}' 有误：{1}"}},
    {D::UserNoDomain, {"user '{0}' has no domain: give the host 'domains:' or the user an 'address:'",
                       "用户 '{0}' 没有域名：请给主机写上 'domains:'，或者给用户写上 'address:'"}},
    {D::UserBad, {"user '{0}': {1}", "用户 '{0}' 有误：{1}"}},
    {D::UserNoName, {"a user needs a 'name' (the part before @) or an 'address'",
                     "用户需要 'name'（@ 前面的部分）或 'address'"}},
    {D::AddressBad, {"{0} '{1}': {2}", "{0}的地址 '{1}' 有误：{2}"}},
    {D::RecipientAddressBad, {"{0} address '{1}': {2}", "{0}的地址 '{1}' 有误：{2}"}},
    {D::ListsNotList, {"lists must be a list, e.g. '- {{ name: staff, members: [mike, rose] }}'",
                       "lists 必须是列表，例如 '- {{ name: staff, members: [mike, rose] }}'"}},
    {D::ListNeedsName, {"a mailing list needs a 'name' and its host needs 'domains:'",
                        "邮件列表需要 'name'，它所在的主机也需要 'domains:'"}},
    {D::RelayNetworkBad, {"relay network '{0}' is not an IPv4 prefix such as 10.0.0.0/24",
                          "中继网络 '{0}' 不是 IPv4 前缀（应写成例如 10.0.0.0/24）"}},
    {D::RulesNotList, {"rules must be a list, e.g. '- {{ at: RCPT, occurrence: 2, reply: 451 }}'",
                       "rules 必须是列表，例如 '- {{ at: RCPT, occurrence: 2, reply: 451 }}'"}},
    {D::RuleNeedsAt, {"a rule needs 'at': one of {0}{1}", "规则需要 'at'，取值为以下之一：{0}{1}"}},
    {D::RuleNeedsReply, {"a rule needs 'reply': the code to answer, e.g. 451", "规则需要 'reply'：要回复的应答码，例如 451"}},
    {D::RuleReplyClass, {"a rule's reply must be a 4xx (temporary) or 5xx (permanent) code (or 211/214 at HELP or NOOP)",
                         "规则的 reply 必须是 4xx（暂时性）或 5xx（永久性）应答码（在 HELP 或 NOOP 处也可以是 211/214）"}},
    {D::EnhancedBad, {"enhanced status '{0}' must look like {1}.X.Y and match the reply's class (RFC 3463)",
                      "增强状态码 '{0}' 必须形如 {1}.X.Y，并与应答码的类别一致（RFC 3463）"}},
    {D::RuleTextOneLine, {"a rule's text must be one line", "规则的 text 只能是一行"}},
    {D::DnsNotMap, {"dns must be a mapping of domain names, e.g. 'cesoo.com: {{ mx: [mail.cesoo.com] }}'",
                    "dns 必须是以域名为键的映射，例如 'cesoo.com: {{ mx: [mail.cesoo.com] }}'"}},
    {D::MxNotList, {"mx must be a list of host names, or of {{ host: NAME, preference: N }}",
                    "mx 必须是主机名的列表，或 {{ host: NAME, preference: N }} 的列表"}},

    {D::StepNotMap, {"a step must be a mapping such as 'note: ...' or 'session: ...', found {0}",
                     "步骤必须是映射，例如 'note: ...' 或 'session: ...'，这里却是{0}"}},
    {D::StepNeedsOne, {"a step needs exactly one of: {0}{1}", "每个步骤必须有且只有以下之一：{0}{1}"}},
    {D::StepTwoKinds, {"a step has both '{0}' and '{1}'; split it into two steps",
                       "一个步骤里同时有 '{0}' 和 '{1}'；请拆成两个步骤"}},
    {D::WaitBad, {"wait must be a duration such as 30s, 5m, 2h or 1d", "wait 必须是时长，例如 30s、5m、2h 或 1d"}},
    {D::CheckpointNameBad, {"checkpoint name '{0}' may only use a-z, 0-9 and '-', e.g. 'checkpoint: after-data'",
                            "检查点名 '{0}' 只能使用 a-z、0-9 和 '-'，例如 'checkpoint: after-data'"}},
    {D::CheckpointTwice, {"checkpoint '{0}' is defined twice: here and at {1}:{2}:{3}; checkpoint names must be unique "
                          "in a scenario",
                          "检查点 '{0}' 定义了两次：这里一次，{1}:{2}:{3} 一次；同一场景中的检查点名不能重复"}},
    {D::CheckNeedsMailbox, {"check needs a 'mailbox', e.g. 'mailbox: rose@cesoo.com'",
                            "check 需要 'mailbox'，例如 'mailbox: rose@cesoo.com'"}},
    {D::CheckNeedsWhat, {"check needs 'count:' and/or 'contains:' to have something to check",
                         "check 至少需要 'count:' 或 'contains:' 之一，否则没有可检查的内容"}},
    {D::SessionNeedsEnds, {"session needs 'from' (the client host) and 'to' (the server, HOST:PORT)",
                           "session 需要 'from'（客户端所在的主机）和 'to'（服务器，HOST:PORT）"}},
    {D::ProtocolBad, {"protocol '{0}' is not available; expected smtp, pop3 or imap{1}",
                      "没有协议 '{0}'；应为 smtp、pop3 或 imap{1}"}},
    {D::SessionNeedsScript, {"a session needs a 'script': a list of lines, e.g. '- {{ send: \"HELO mike-pc\", expect: 250 }}'",
                             "会话需要 'script'：由若干行组成的列表，例如 '- {{ send: \"HELO mike-pc\", expect: 250 }}'"}},
    {D::InjectNeedsSend, {"'inject' goes with a 'send' line: its bytes follow that line in the same segment",
                          "'inject' 要和 'send' 行一起用：它的字节紧跟在那一行后面，在同一个报文段中发出"}},
    {D::ScriptLineEmpty, {"a script line needs 'send' and/or 'expect'", "脚本行至少需要 'send' 或 'expect' 之一"}},
    {D::SendOneLine, {"a 'send' line must be one line; write each line as its own script entry",
                      "'send' 只能是一行；每一行请写成单独的脚本条目"}},
    {D::ToPortBad, {"'{0}': the port after ':' must be a number from 1 to 65535",
                    "'{0}'：':' 后面的端口必须是 1 到 65535 之间的数"}},
    {D::ImapExpectBad, {"in an imap session expect must be OK, NO, BAD or +, found '{0}'{1}",
                        "在 imap 会话中，expect 必须是 OK、NO、BAD 或 +，这里却是 '{0}'{1}"}},
    {D::Pop3ExpectBad, {"in a pop3 session expect must be +OK or -ERR, found '{0}'{1}",
                        "在 pop3 会话中，expect 必须是 +OK 或 -ERR，这里却是 '{0}'{1}"}},
    {D::SmtpExpectBad, {"expect must be a reply code such as 250 or a class such as 2xx, found '{0}'",
                        "expect 必须是应答码（例如 250）或应答码的类别（例如 2xx），这里却是 '{0}'"}},
    {D::DurationBad, {"{0} must be a duration such as 15m, 2h or 5d", "{0}必须是时长，例如 15m、2h 或 5d"}},
    {D::RetryNotList, {"retry must be a list of delays, e.g. [15m, 30m, 1h]",
                       "retry 必须是重试间隔的列表，例如 [15m, 30m, 1h]"}},
    {D::GatewayNeedsMailbox, {"a gateway needs 'mailbox' (where posts go) and its host needs 'domains:'",
                              "网关需要 'mailbox'（帖子投递到哪个邮箱），它所在的主机也需要 'domains:'"}},
    {D::GatewayNeedsSmtp, {"a gateway accepts mail by SMTP: add 'services: [smtp]'",
                           "网关通过 SMTP 接收邮件：请加上 'services: [smtp]'"}},
    {D::StoreFaultUnknown, {"store fault '{0}' unknown{1}; expected full (SMTP 452), busy (450) or error (451)",
                            "没有存储故障 '{0}'{1}；应为 full（SMTP 452）、busy（450）或 error（451）"}},
    {D::StoreFaultNoMailboxes, {"a store fault needs a host with mailboxes: add 'services: [smtp]'",
                                "存储故障只能用在有邮箱的主机上：请加上 'services: [smtp]'"}},
    {D::FaultHostOrLink, {"a fault needs exactly one of 'host: NAME' (the machine fails) and 'link: NAME' (its network "
                          "link fails)",
                          "故障必须有且只有 'host: NAME'（主机出故障）和 'link: NAME'（它的网络链路出故障）之一"}},
    {D::CrashNotLink, {"'crash' is for a host, not a link", "'crash' 只能用于主机，不能用于链路"}},
    {D::DownForBad, {"down_for must be a duration such as 30m or 2h", "down_for 必须是时长，例如 30m 或 2h"}},
    {D::FaultNeedsDuration, {"a fault needs 'down_for: DURATION' (e.g. 2h), or 'crash: true' for a crash and restart",
                             "故障需要 'down_for: DURATION'（例如 2h），崩溃后重启则写 'crash: true'"}},

    {D::NoSuchUser, {"no user '{0}' is defined on any host{1}", "没有任何主机定义了用户 '{0}'{1}"}},
    {D::NotHostNorMx, {"'{0}' is neither a host nor a domain with MX records{1}",
                       "'{0}' 既不是主机，也不是有 MX 记录的域名{1}"}},
    {D::NoSuchHost, {"no host named '{0}'{1}; hosts are: {2}", "没有名为 '{0}' 的主机{1}；已有的主机：{2}"}},
    {D::NoService, {"host '{0}' runs no {1} service; add '{1}' to its services",
                    "主机 '{0}' 没有运行 {1} 服务；请把 '{1}' 加到它的 services 中"}},
    {D::NothingListens, {"nothing listens on {0}:{1} (its {2} service is on port {3})",
                         "{0}:{1} 上没有服务在监听（它的 {2} 服务在端口 {3} 上）"}},

    {D::UnexpectedStructure, {"unexpected structure: {0}", "结构不符合要求：{0}"}},
    {D::CannotReadFile, {"cannot read the file", "无法读取该文件"}},
    {D::CannotReadFileExists, {"cannot read the file (does it exist?)", "无法读取该文件（文件存在吗？）"}},
    {D::TooLarge, {"the file is larger than {0} octets (4 MiB), the limit for a scenario or network file; it was not "
                   "parsed",
                   "文件超过 {0} 字节（4 MiB），这是场景文件和网络文件的上限；没有解析它"}},
    {D::TooDeep, {"nested deeper than {0} levels at {1}:{2}; a scenario needs only a few levels",
                  "在 {1}:{2} 处嵌套超过了 {0} 层；场景只需要几层嵌套"}},
    {D::NotYaml, {"not valid YAML: {0}", "不是有效的 YAML：{0}"}},
    {D::TooManyValues, {"the document expands to more than {0} values (aliases?); it was not loaded",
                        "文档展开后超过 {0} 个值（用了别名？）；没有加载它"}},
    {D::DuplicateKey, {"duplicate key \"{0}\" (first at {1}:{2}); a key may appear once in a mapping",
                       "键 \"{0}\" 重复了（第一次出现在 {1}:{2}）；同一个映射中每个键只能出现一次"}},
    {D::InternalError, {"internal error while running the scenario: {0}", "运行场景时发生内部错误：{0}"}},
    {D::CouldNotRun, {"the scenario could not be run (no diagnostics were given)", "场景无法运行（也没有给出任何诊断信息）"}},
    {D::ServeDidNotStart, {"did not start: {0}", "没有启动：{0}"}},

    {D::LossBad, {"loss must be a probability from 0 to 1, e.g. 0.1 (one connection attempt in ten is lost)",
                  "loss 必须是 0 到 1 之间的概率，例如 0.1（十次连接尝试中丢失一次）"}},
    {D::LatencyBad, {"latency must be a duration such as 5ms, 200us or 1s", "latency 必须是时长，例如 5ms、200us 或 1s"}},
    {D::LinksNotList, {"links must be a list, e.g. '- {{ between: [mail.cesoo.com, mx.example.org], latency: 80ms }}'",
                       "links 必须是列表，例如 '- {{ between: [mail.cesoo.com, mx.example.org], latency: 80ms }}'"}},
    {D::LinkNeedsBetween, {"a link needs 'between: [HOST, HOST]': the two hosts it joins, e.g. 'between: "
                           "[mail.cesoo.com, mx.example.org]'",
                           "链路需要 'between: [HOST, HOST]'：它连接的两台主机，例如 'between: [mail.cesoo.com, "
                           "mx.example.org]'"}},
    {D::LinkSelf, {"a link joins two different hosts, not '{0}' with itself",
                   "链路连接的是两台不同的主机，不能把 '{0}' 和它自己相连"}},
    {D::LinkLatencyBad, {"latency must be a duration such as 80ms, 200us or 1s (one way)",
                         "latency 必须是时长（单向），例如 80ms、200us 或 1s"}},
    {D::LinkLossBad, {"loss must be a probability from 0 to below 1, e.g. 0.05 (one segment in twenty is lost and "
                      "retransmitted)",
                      "loss 必须是大于等于 0、小于 1 的概率，例如 0.05（二十个报文段中有一个丢失并重传）"}},
    {D::LinkNeedsSetting, {"a link needs 'latency', 'loss' or both (otherwise the network's settings apply)",
                           "链路至少需要 'latency' 或 'loss' 之一（否则沿用 network 的设置）"}},
    {D::IncludeNotList, {"include must be a list of file names, e.g. 'include: [networks/two-domains.yaml]', found {0}",
                         "include 必须是文件名列表，例如 'include: [networks/two-domains.yaml]'，这里却是{0}"}},
    {D::IncludeAbsolute, {"include '{0}' is an absolute path; include paths are relative to the including file and stay "
                          "inside the scenario's folder",
                          "include '{0}' 是绝对路径；包含路径是相对于发起包含的文件而言的，并且不能离开场景所在的文件夹"}},
    {D::IncludeOutside, {"include '{0}' leaves the scenario's folder{1}; included files must stay inside it (e.g. "
                         "networks/two-domains.yaml)",
                         "include '{0}' 离开了场景所在的文件夹{1}；被包含的文件必须在这个文件夹之内（例如 "
                         "networks/two-domains.yaml）"}},
    {D::IncludeSymlink, {"include '{0}' resolves to {1}, outside the scenario's folder {2} (through a symbolic link?); "
                         "included files must stay inside it",
                         "include '{0}' 实际指向 {1}，在场景所在的文件夹 {2} 之外（经过了符号链接？）；被包含的文件必须"
                         "在这个文件夹之内"}},
    {D::IncludeCycle, {"include cycle: {0} -> {1}; a file cannot include itself, directly or not",
                       "循环包含：{0} -> {1}；文件不能直接或间接地包含它自己"}},
    {D::IncludeUnreadable, {"cannot read the included file '{0}' (looked for {1}; include paths are relative to the "
                            "including file)",
                            "无法读取被包含的文件 '{0}'（找的是 {1}；包含路径是相对于发起包含的文件而言的）"}},

    {D::MessageNeedsRecipients, {"a message needs recipients: 'to: [rose@cesoo.com]'",
                                 "邮件需要收件人：'to: [rose@cesoo.com]'"}},
    {D::AttachmentsNotList, {"attachments must be a list of '{{ name: ..., text: ... }}' or '{{ name: ..., base64: ... }}'",
                             "attachments 必须是由 '{{ name: ..., text: ... }}' 或 '{{ name: ..., base64: ... }}' "
                             "组成的列表"}},
    {D::ExpectNotMap, {"expect must map recipients to accepted, deferred or refused, e.g. '{{ rose@cesoo.com: accepted }}'",
                       "expect 必须把每个收件人对应到 accepted、deferred 或 refused，例如 '{{ rose@cesoo.com: accepted }}'"}},
    {D::OutcomeBad, {"'{0}' is not an outcome; expected accepted, deferred or refused{1}",
                     "'{0}' 不是投递结果；应为 accepted、deferred 或 refused{1}"}},
    {D::NotRecipient, {"'{0}' is not a recipient of this message", "'{0}' 不是这封邮件的收件人"}},
    {D::AttachmentNeedsName, {"an attachment needs 'name' (the file name, e.g. \"报告.txt\")",
                              "附件需要 'name'（文件名，例如 \"报告.txt\"）"}},
    {D::AttachmentNameBad, {"an attachment's name must be non-empty text without control characters",
                            "附件名必须是非空文本，且不含控制字符"}},
    {D::AttachmentTextOrBase64, {"an attachment needs exactly one of 'text' (the content as text) and 'base64' (binary "
                                 "content)",
                                 "附件必须有且只有 'text'（文本内容）和 'base64'（二进制内容）之一"}},
    {D::Base64Bad, {"base64 content holds characters outside the base64 alphabet (A-Z a-z 0-9 + / =)",
                    "base64 内容中有 base64 字母表（A-Z a-z 0-9 + / =）以外的字符"}},
    {D::ContentTypeBad, {"content_type '{0}' is not a MIME type; expected type/subtype, e.g. text/plain or "
                         "application/pdf (not multipart/* or message/*)",
                         "content_type '{0}' 不是 MIME 类型；应写成“类型/子类型”，例如 text/plain 或 application/pdf"
                         "（不能是 multipart/* 或 message/*）"}},
    {D::MuaActionBad, {"mua action '{0}' is not available; expected 'send', 'pop3-fetch', 'imap-summary', "
                       "'imap-search', 'imap-move', 'imap-sync', 'imap-flag', 'imap-create', 'imap-rename' or "
                       "'imap-delete'{1}",
                       "用户代理没有动作 '{0}'；应为 'send'、'pop3-fetch'、'imap-summary'、'imap-search'、"
                       "'imap-move'、'imap-sync'、'imap-flag'、'imap-create'、'imap-rename' 或 'imap-delete'{1}"}},
    {D::MuaSendNeeds, {"mua send needs 'from' (the client host), 'server' (HOST[:PORT] or a domain) and 'sender' (an "
                       "address)",
                       "mua send 需要 'from'（客户端所在的主机）、'server'（HOST[:PORT] 或域名）和 'sender'（一个地址）"}},
    {D::SmtpAuthBad, {"auth '{0}' is not an SMTP AUTH mechanism the user agent speaks; expected plain, login or "
                      "cram-md5{1}",
                      "auth '{0}' 不是用户代理支持的 SMTP AUTH 机制；应为 plain、login 或 cram-md5{1}"}},
    {D::PasswordNeedsUser, {"'password' and 'auth' need 'user' (who logs in)", "'password' 和 'auth' 需要 'user'（谁登录）"}},
    {D::MessagesAndDirect, {"give either 'messages:' (a list) or one message's 'to/subject/body' directly, not both",
                            "'messages:'（列表）和直接写出的一封邮件的 'to/subject/body' 只能二选一，不能同时写"}},
    {D::MessagesNotList, {"messages must be a list of '{{ to: [...], subject: ..., body: ... }}'",
                          "messages 必须是由 '{{ to: [...], subject: ..., body: ... }}' 组成的列表"}},
    {D::MuaLoginNeeds, {"mua {0} needs 'from' (the client host), 'server' (HOST[:PORT]) and 'user' (an address)",
                        "mua {0} 需要 'from'（客户端所在的主机）、'server'（HOST[:PORT]）和 'user'（一个地址）"}},
    {D::NumbersNotList, {"{0} must be a list of numbers, e.g. [1, 3]", "{0}必须是数字列表，例如 [1, 3]"}},
    {D::FlagUidsOrText, {"mua imap-flag needs either 'uids' (a list) or 'text' (a search), not both",
                         "mua imap-flag 需要 'uids'（列表）或 'text'（搜索），二者只能选一个"}},
    {D::FlagAddOrRemove, {"mua imap-flag needs 'add' and/or 'remove' (flags, e.g. [seen, flagged])",
                          "mua imap-flag 至少需要 'add' 或 'remove' 之一（标志，例如 [seen, flagged]）"}},
    {D::FlagsNotList, {"{0} must be a list of flags, e.g. [seen]", "{0}必须是标志列表，例如 [seen]"}},
    {D::NotSystemFlag, {"'{0}' is not an IMAP system flag; expected seen, answered, flagged, deleted or draft{1}",
                        "'{0}' 不是 IMAP 系统标志；应为 seen、answered、flagged、deleted 或 draft{1}"}},
    {D::FolderActionNeedsFolder, {"mua {0} needs 'folder' (the folder's name)", "mua {0} 需要 'folder'（文件夹名）"}},
    {D::RenameNeedsTarget, {"mua imap-rename needs 'target' (the folder's new name)",
                            "mua imap-rename 需要 'target'（文件夹的新名字）"}},
    {D::SearchNeedsText, {"mua {0} needs 'text' (what to search for)", "mua {0} 需要 'text'（要搜索的内容）"}},
    {D::SearchFieldBad, {"field '{0}' is not an IMAP search field; expected one of from, to, cc, bcc, subject, body, "
                         "text{1}",
                         "field '{0}' 不是 IMAP 的搜索字段；应为 from、to、cc、bcc、subject、body、text 之一{1}"}},
    {D::MoveNeedsTarget, {"mua imap-move needs 'target' (the folder to move into)",
                          "mua imap-move 需要 'target'（移入哪个文件夹）"}},
    {D::ClientTlsBad, {"tls '{0}' is not a user agent's TLS policy; expected starttls (insist on it), opportunistic "
                       "(use it when offered) or none - implicit TLS comes from the port (smtps 465, pop3s 995, imaps "
                       "993){1}",
                       "tls '{0}' 不是用户代理的 TLS 策略；应为 starttls（必须使用）、opportunistic（服务器提供时才用）"
                       "或 none——隐式 TLS 由端口决定（smtps 465、pop3s 995、imaps 993）{1}"}},
    {D::Pop3ModeBad, {"mode '{0}' is not a POP3 working mode; expected delete or keep{1}",
                      "mode '{0}' 不是 POP3 的工作方式；应为 delete 或 keep{1}"}},
    {D::Pop3AuthBad, {"auth '{0}' is not a POP3 login method; expected user (USER/PASS) or apop{1}",
                      "auth '{0}' 不是 POP3 的登录方式；应为 user（USER/PASS）或 apop{1}"}},
    {D::ExpectNeedsFetched, {"expect needs 'fetched: N' (how many messages the user agent downloads)",
                             "expect 需要 'fetched: N'（用户代理下载多少封邮件）"}},
}};

constexpr bool inOrder() {
    for (std::size_t i = 0; i < kTexts.size(); ++i)
        if (static_cast<std::size_t>(kTexts[i].id) != i) return false;
    for (std::size_t i = 0; i < kNouns.size(); ++i)
        if (static_cast<std::size_t>(kNouns[i].id) != i + 1) return false;
    return true;
}
static_assert(inOrder(), "the rows follow the enums' order");

bool ascii(char c) { return static_cast<unsigned char>(c) < 0x80; }

// In Chinese a noun stands next to the words without a space ("主机中有"), a key or other Latin text with one
// ("session 中有"): the noun's Latin edges get a space here, and tidyZh() removes the ones the sentence does not need.
std::string argText(const DiagArg& arg, Lang lang) {
    if (const auto* s = std::get_if<std::string>(&arg)) return *s;
    if (const auto* n = std::get_if<long long>(&arg)) return std::to_string(*n);
    if (const auto* w = std::get_if<What>(&arg)) {
        std::string text = nounText(*w, lang);
        if (lang == Lang::Zh && !text.empty()) {
            if (ascii(text.front())) text.insert(0, " ");
            if (ascii(text.back())) text += ' ';
        }
        return text;
    }
    if (const auto* r = std::get_if<smtp::MailboxReason>(&arg)) return smtp::mailboxReasonText(*r, lang);
    if (const auto* y = std::get_if<YamlMessage>(&arg)) return yamlMessageText(*y, lang);
    const auto& s = std::get<Suggestion>(arg);
    if (s.name.empty()) return {};
    return lang == Lang::Zh ? fmt::format("（是不是想写 '{}'？）", s.name) : fmt::format(" (did you mean '{}'?)", s.name);
}

// No space at either end, none doubled, none next to full-width punctuation.
std::string tidyZh(std::string text) {
    static constexpr std::string_view kPunct[] = {"，", "；", "：", "。", "、", "（", "）", "‘", "’", "“", "”"};
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ' ') {
            const std::string_view rest(text.data() + i + 1, text.size() - i - 1);
            const bool nextPunct = std::ranges::any_of(kPunct, [&](std::string_view p) { return rest.starts_with(p); });
            const bool prevPunct = std::ranges::any_of(kPunct, [&](std::string_view p) {
                return std::string_view(out).ends_with(p);
            });
            if (out.empty() || out.back() == ' ' || rest.empty() || nextPunct || prevPunct) continue;
        }
        out += text[i];
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

std::span<const DiagnosticRow> diagnosticTexts() { return kTexts; }
std::span<const NounRow> nounTexts() { return kNouns; }

std::string nounText(const What& what, Lang lang) {
    const auto i = static_cast<std::size_t>(what.noun);
    std::string text = what.noun == Noun::Key || i > kNouns.size()
                           ? what.name
                           : fmt::format(fmt::runtime(kNouns[i - 1].text.in(lang)), what.name);
    if (what.in) {
        const bool zh = *what.in == Lang::Zh;
        text += lang == Lang::Zh ? (zh ? "（中文）" : "（英文）") : (zh ? " (zh)" : " (en)");
    }
    return text;
}

std::string Diagnostic::message(Lang lang) const {
    const auto i = static_cast<std::size_t>(id);
    if (i >= kTexts.size()) return {};
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    std::size_t used = 0;
    for (const auto& a : args) store.push_back(argText(a, lang)), ++used;
    for (; used < 8; ++used) store.push_back(std::string());  // a short argument list renders as empty, never throws
    std::string text = fmt::vformat(kTexts[i].text.in(lang), store);
    return lang == Lang::Zh ? tidyZh(std::move(text)) : text;
}

std::string Diagnostic::format(Lang lang) const {
    if (line <= 0) return fmt::format("{}: {}", file, message(lang));
    return fmt::format("{}:{}:{}: {}", file, line, column, message(lang));
}

}  // namespace mailsim::sim
