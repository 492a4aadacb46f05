// The scenario loader, part 1 (see Scenario.hpp for the contract): the top level, hosts, DNS, steps and the
// reference checks. Network keys and includes are in ScenarioNetwork.cpp, user-agent steps in ScenarioMua.cpp.
#include "sim/scenario/Scenario.hpp"
#include "sim/scenario/ScenarioLoader.hpp"

#include "auth/UserDirectory.hpp"
#include "message/Codecs.hpp"
#include "message/HeaderText.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "smtp/SmtpSyntax.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <fmt/format.h>
#include <set>
#include <yaml-cpp/yaml.h>


namespace mailsim::sim {
namespace detail {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours count 1 each
// (so the typo "domian" is 2 away from "domains").
std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The candidate close to `name` (rendered " (did you mean 'x'?)"), else an empty suggestion.
Suggestion didYouMean(std::string_view name, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t bestDist = std::max<std::size_t>(2, name.size() / 3) + 1;
    for (const auto& c : candidates) {
        std::size_t d = editDistance(name, c);
        if (d < bestDist) bestDist = d, best = c;
    }
    return Suggestion{best};
}

std::string joinQuoted(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

What typeName(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Map: return Noun::Mapping;
    case YAML::NodeType::Sequence: return Noun::List;
    case YAML::NodeType::Scalar: return Noun::SingleValue;
    case YAML::NodeType::Null: return Noun::Nothing;
    default: return Noun::Undefined;
    }
}

DiagArg foundText(const YAML::Node& n) {
    if (n.IsScalar() && !n.Scalar().empty()) return n.Scalar();
    return typeName(n);
}




const std::vector<std::string> kTopKeys{"title", "description", "lesson", "seed", "start", "include", "network", "links",
                                        "hosts", "dns", "steps"};
const std::vector<std::string> kHostKeys{"name",  "address", "domains", "services", "users",
                                         "lists", "smtp",    "queue",   "gateway",  "tls", "store"};
const std::vector<std::string> kStepKeys{"session", "mua", "note", "check", "wait", "fault", "checkpoint"};

Scenario Loader::load(const YAML::Node& root) {
    Scenario sc;
    sc.file = m_file;
    m_mainFile = m_file;
    if (!checkMap(root, Noun::ScenarioFile, kTopKeys)) return sc;
    if (auto n = root["title"]) sc.title = localText(n, "title");
    else error(root, D::NoTitle);
    if (auto n = root["description"]) sc.description = localText(n, "description");
    if (auto n = root["lesson"]) sc.lesson = string(n, "lesson").value_or("");
    if (auto n = root["seed"]) sc.seed = static_cast<std::uint64_t>(integer(n, "seed", 0, 1LL << 62).value_or(1));
    sc.start = 1709542800LL * 1'000'000;  // 2024-03-04T09:00:00Z: a fixed start keeps traces reproducible
    if (auto n = root["start"]) {
        std::tm tm{};
        auto s = string(n, "start");
        if (s && strptime(s->c_str(), "%Y-%m-%dT%H:%M:%S", &tm) && (s->size() == 19 || (*s)[19] == 'Z'))
            sc.start = static_cast<trace::Micros>(timegm(&tm)) * 1'000'000;
        else if (s)
            error(n, D::StartNotUtc, {*s});
    }
    if (auto inc = root["include"]) loadIncludes(inc, sc);
    if (auto net = root["network"]) loadNetworkKeys(net, sc);
    if (auto links = root["links"]) loadLinks(links, sc);
    if (auto hosts = root["hosts"]) {
        if (!hosts.IsSequence()) error(hosts, D::HostsNotList);
        else for (const auto& h : hosts) loadHost(h, sc);
    } else if (sc.hosts.empty()) {
        error(root, D::NoHosts);
    }
    if (auto dns = root["dns"]) loadDns(dns, sc);
    if (auto steps = root["steps"]) {
        if (!steps.IsSequence()) error(steps, D::StepsNotList);
        else for (const auto& s : steps) loadStep(s, sc);
    } else {
        error(root, D::NoSteps);
    }
    checkReferences(sc);
    return sc;
}

void Loader::loadHost(const YAML::Node& n, Scenario& sc) {
    if (!checkMap(n, Noun::Host, kHostKeys)) return;
    HostSpec host;
    host.pos = pos(n);
    if (auto name = n["name"]) host.name = string(name, Noun::HostName).value_or("");
    else return error(n, D::HostNoName);
    if (sc.findHost(host.name)) return definedTwice(n["name"], false, host.name, m_hostOrigins);
    m_hostOrigins[host.name] = {where(n["name"]), m_includedBy.empty() ? "" : m_includedBy.back()};
    if (auto a = n["address"]) host.address = string(a, "address").value_or("");
    if (auto d = n["domains"]) {
        for (auto& dom : stringList(d, "domains")) {
            if (smtp::mailboxError("x@" + dom)) error(d, D::NotADomain, {dom});
            host.domains.push_back(auth::UserDirectory::canonical(dom));
        }
    }
    if (auto s = n["services"]) loadServices(s, host);
    if (auto sm = n["smtp"]) loadSmtpService(sm, host);
    if (auto t = n["tls"]; t && checkMap(t, "tls", {"starttls", "plaintext_auth"})) {
        if (auto v = t["starttls"]) host.tls.starttls = boolean(v, "starttls").value_or(false);
        if (auto v = t["plaintext_auth"]) host.tls.plaintextAuth = boolean(v, "plaintext_auth").value_or(true);
    }
    loadStoreFault(n, host);
    loadRelayHostKeys(n, host);
    if (auto users = n["users"]) loadUsers(users, host);
    if (auto lists = n["lists"]) loadLists(lists, host);
    for (const auto& u : host.users)  // a forward to another domain is relayed; within the host it must be a user
        if (!u.forwardTo.empty() && std::ranges::find(host.users, u.forwardTo, &UserSpec::address) == host.users.end() &&
            std::ranges::find(host.domains, std::string(auth::UserDirectory::domainOf(u.forwardTo))) != host.domains.end())
            error(n["users"], D::ForwardNotUser, {u.address, u.forwardTo, host.name});
    if ((!host.users.empty() || !host.lists.empty()) && !host.smtp && !host.pop3 && !host.imap)
        error(n, D::UsersNoService, {host.name});
    sc.hosts.push_back(std::move(host));
}

// `services: [smtp, pop3, imap:1143, ...]`: each service on its well-known port unless `name:port` gives one.
void Loader::loadServices(const YAML::Node& s, HostSpec& host) {
    for (const auto& svc : stringList(s, "services")) {
        auto colon = svc.find(':');
        std::string name = svc.substr(0, colon);
        int port = name == "pop3"         ? 110
                   : name == "imap"       ? 143
                   : name == "submission" ? 587
                   : name == "smtps"      ? 465
                   : name == "pop3s"      ? 995
                   : name == "imaps"      ? 993
                                          : 25;
        if (colon != std::string::npos) {
            auto [p, ec] = std::from_chars(svc.data() + colon + 1, svc.data() + svc.size(), port);
            if (ec != std::errc{} || p != svc.data() + svc.size() || port < 1 || port > 65535) {
                error(s, D::ServiceBadPort, {svc});
                continue;
            }
        }
        if (name == "smtp") {
            if (!host.smtp) host.smtp.emplace();
            host.smtp->port = port;
        } else if (name == "submission") {  // RFC 6409: mail submission with AUTH
            if (!host.smtp) {
                host.smtp.emplace();
                host.smtp->port = 0;  // no port 25 unless 'smtp' is listed too
            }
            host.smtp->submissionPort = port;
        } else if (name == "smtps") {  // RFC 8314: submission over implicit TLS
            if (!host.smtp) {
                host.smtp.emplace();
                host.smtp->port = 0;
            }
            host.smtp->tlsPort = port;
        } else if (name == "pop3" || name == "pop3s") {
            bool fresh = !host.pop3;
            if (fresh) host.pop3.emplace();
            if (name == "pop3") host.pop3->port = port;
            else {
                if (fresh) host.pop3->port = 0;  // no plain port unless 'pop3' is listed too
                host.pop3->tlsPort = port;
            }
        } else if (name == "imap" || name == "imaps") {
            bool fresh = !host.imap;
            if (fresh) host.imap.emplace();
            if (name == "imap") host.imap->port = port;
            else {
                if (fresh) host.imap->port = 0;
                host.imap->tlsPort = port;
            }
        } else {
            static const std::vector<std::string> known{"smtp", "submission", "smtps", "pop3", "pop3s", "imap", "imaps"};
            error(s, D::UnknownService, {name, didYouMean(name, known)});
        }
    }
}

// `users:` of a host: `{ name | address, password, display_name, forward_to, moved_to }` each.
void Loader::loadUsers(const YAML::Node& users, HostSpec& host) {
    if (!users.IsSequence()) error(users, D::UsersNotList);
    else for (const auto& u : users) {
        if (!checkMap(u, Noun::User, {"name", "address", "password", "display_name", "forward_to", "moved_to"})) continue;
        UserSpec user;
        if (auto a = u["address"]) {
            user.address = auth::UserDirectory::canonical(string(a, "address").value_or(""));
            if (auto e = smtp::mailboxError(user.address, true)) error(a, D::UserAddressBad, {user.address, *e});
        } else if (auto nm = u["name"]) {
            if (host.domains.empty()) { error(nm, D::UserNoDomain, {nm.Scalar()}); continue; }
            user.address = auth::UserDirectory::canonical(string(nm, Noun::UserName).value_or("") + "@" + host.domains.front());
            if (auto e = smtp::mailboxError(user.address, true)) error(nm, D::UserBad, {user.address, *e});
        } else {
            error(u, D::UserNoName);
            continue;
        }
        if (auto p = u["password"]) user.password = string(p, "password").value_or("");
        if (auto d = u["display_name"]) user.displayName = headerText(d, "display_name").value_or("");
        for (const char* key : {"forward_to", "moved_to"}) {
            auto v = u[key];
            if (!v) continue;
            std::string target = auth::UserDirectory::canonical(string(v, key).value_or(""));
            if (auto e = smtp::mailboxError(target, true)) error(v, D::AddressBad, {What::key(key), target, *e});
            (key[0] == 'f' ? user.forwardTo : user.movedTo) = target;
        }
        host.users.push_back(std::move(user));
    }
}

// `lists:` of a host: `{ name, members }` each; names without a domain take the host's first domain.
void Loader::loadLists(const YAML::Node& lists, HostSpec& host) {
    if (!lists.IsSequence()) error(lists, D::ListsNotList);
    else for (const auto& l : lists) {
        if (!checkMap(l, Noun::MailingList, {"name", "members"})) continue;
        ListSpec list;
        std::string name = l["name"] ? string(l["name"], Noun::ListName).value_or("") : "";
        if (name.empty() || host.domains.empty()) { error(l, D::ListNeedsName); continue; }
        list.address = auth::UserDirectory::canonical(name.find('@') == std::string::npos ? name + "@" + host.domains.front() : name);
        if (auto m = l["members"])
            for (auto& member : stringList(m, "members"))
                list.members.push_back(auth::UserDirectory::canonical(member.find('@') == std::string::npos ? member + "@" + host.domains.front() : member));
        host.lists.push_back(std::move(list));
    }
}

void Loader::loadSmtpService(const YAML::Node& n, HostSpec& host) {
    if (!checkMap(n, "smtp", {"lenient", "max_message_size", "max_recipients", "refuse_connections", "port", "rules",
                              "relay_networks", "relay_domains", "smtputf8"})) return;
    if (!host.smtp) host.smtp.emplace();
    auto& s = *host.smtp;
    if (auto v = n["relay_domains"])
        for (auto& d : stringList(v, "relay_domains")) s.relayDomains.push_back(auth::UserDirectory::canonical(d));
    if (auto v = n["relay_networks"])
        for (auto& p : stringList(v, "relay_networks")) {
            if (!smtp::ipv4PrefixContains(p, p.substr(0, p.find('/'))))
                error(v, D::RelayNetworkBad, {p});
            s.relayNetworks.push_back(p);
        }
    if (auto v = n["lenient"]) s.lenient = boolean(v, "lenient").value_or(true);
    if (auto v = n["max_message_size"]) s.maxMessageSize = static_cast<std::size_t>(integer(v, "max_message_size", 1000, 1LL << 40).value_or(s.maxMessageSize));
    if (auto v = n["max_recipients"]) s.maxRecipients = static_cast<std::size_t>(integer(v, "max_recipients", 1, 100000).value_or(100));
    if (auto v = n["refuse_connections"]) s.refuseConnections = boolean(v, "refuse_connections").value_or(false);
    if (auto v = n["smtputf8"]) s.smtpUtf8 = boolean(v, "smtputf8").value_or(true);
    if (auto v = n["port"]) s.port = static_cast<int>(integer(v, "port", 1, 65535).value_or(25));
    if (auto rules = n["rules"]) {
        if (!rules.IsSequence()) return error(rules, D::RulesNotList);
        for (const auto& r : rules) {
            if (!checkMap(r, Noun::Rule, {"at", "occurrence", "reply", "enhanced", "text", "senders", "recipients", "greylist"})) continue;
            smtp::SmtpRule rule;
            const auto& points = smtp::smtpRulePoints();
            std::string at = r["at"] ? smtp::toUpper(string(r["at"], "at").value_or("")) : "";
            if (std::ranges::find(points, at) == points.end()) {
                error(r["at"] ? r["at"] : r, D::RuleNeedsAt, {joinQuoted(points), didYouMean(at, points)});
                continue;
            }
            rule.at = at;
            if (auto v = r["occurrence"]) rule.occurrence = static_cast<int>(integer(v, "occurrence", 1, 1000000).value_or(1));
            if (!r["reply"]) { error(r, D::RuleNeedsReply); continue; }
            rule.code = static_cast<int>(integer(r["reply"], "reply", 200, 599).value_or(451));
            bool informational = (rule.code == 211 || rule.code == 214) && (at == "HELP" || at == "NOOP");
            if (rule.code / 100 != 4 && rule.code / 100 != 5 && !informational)
                error(r["reply"], D::RuleReplyClass);
            if (auto v = r["enhanced"]) {
                rule.enhanced = string(v, "enhanced").value_or("");
                bool ok = rule.enhanced.size() >= 5 && rule.enhanced[0] - '0' == rule.code / 100 && rule.enhanced[1] == '.';
                if (!ok) error(v, D::EnhancedBad, {rule.enhanced, static_cast<long long>(rule.code / 100)});
            }
            if (auto v = r["text"]) rule.text = string(v, "text").value_or("");
            if (rule.text.find_first_of("\r\n") != std::string::npos) error(r["text"], D::RuleTextOneLine);
            for (const char* key : {"senders", "recipients"})
                if (auto v = r[key])
                    for (auto& a : stringList(v, key)) (key[0] == 's' ? rule.senders : rule.recipients).push_back(auth::UserDirectory::canonical(a));
            if (auto v = r["greylist"]) rule.greylist = boolean(v, "greylist").value_or(false);
            s.rules.push_back(std::move(rule));
        }
    }
}

void Loader::loadDns(const YAML::Node& n, Scenario& sc) {
    if (!n.IsMap()) return error(n, D::DnsNotMap);
    for (const auto& kv : n) {
        DnsSpec rec;
        rec.domain = auth::UserDirectory::canonical(kv.first.Scalar());
        rec.pos = pos(kv.first);
        if (std::ranges::find(sc.dns, rec.domain, &DnsSpec::domain) != sc.dns.end()) {
            definedTwice(kv.first, true, rec.domain, m_dnsOrigins);
            continue;
        }
        m_dnsOrigins[rec.domain] = {where(kv.first), m_includedBy.empty() ? "" : m_includedBy.back()};
        if (!checkMap(kv.second, What(Noun::DnsEntry, rec.domain), {"mx", "a"})) continue;
        if (auto a = kv.second["a"]) {
            rec.a = string(a, "a").value_or("");
            if (!smtp::ipv4PrefixContains(rec.a, rec.a)) m_pendingHostRefs.emplace_back(a, rec.a);  // a host name
        }
        if (auto mx = kv.second["mx"]) {
            if (!mx.IsSequence()) { error(mx, D::MxNotList); continue; }
            int nextPref = 10;
            for (const auto& m : mx) {
                MxRecord r;
                if (m.IsMap()) {
                    if (!checkMap(m, Noun::MxRecord, {"host", "preference"})) continue;
                    r.host = m["host"] ? string(m["host"], "host").value_or("") : "";
                    r.preference = m["preference"] ? static_cast<int>(integer(m["preference"], "preference", 0, 65535).value_or(10)) : nextPref;
                } else {
                    r.host = string(m, Noun::MxHost).value_or("");
                    r.preference = nextPref;
                }
                nextPref = r.preference + 10;
                m_pendingHostRefs.emplace_back(m, r.host);
                rec.mx.push_back(r);
            }
            std::ranges::stable_sort(rec.mx, {}, &MxRecord::preference);
        }
        sc.dns.push_back(std::move(rec));
    }
}

void Loader::loadStep(const YAML::Node& n, Scenario& sc) {
    if (!n.IsMap()) return error(n, D::StepNotMap, {typeName(n)});
    Step step;
    step.pos = pos(n);
    std::vector<std::string> kinds;
    for (const auto& kv : n)
        if (std::ranges::find(kStepKeys, kv.first.Scalar()) != kStepKeys.end()) kinds.push_back(kv.first.Scalar());
    if (kinds.size() != 1) {
        if (kinds.empty()) {
            std::string first = n.begin() != n.end() ? n.begin()->first.Scalar() : "";
            return error(n, D::StepNeedsOne, {joinQuoted(kStepKeys), didYouMean(first, kStepKeys)});
        }
        return error(n, D::StepTwoKinds, {kinds[0], kinds[1]});
    }
    const std::string& kind = kinds[0];
    if (kind == "session") {
        if (!loadSession(n, step)) return;
    } else if (kind == "mua") {
        if (!loadMua(n, step)) return;
    } else if (kind == "fault") {
        if (!loadFault(n, step)) return;
    } else if (kind == "note") {
        checkMap(n, Noun::NoteStep, {"note"});
        step.what = NoteStep{localText(n["note"], "note")};
    } else if (kind == "wait") {
        checkMap(n, Noun::WaitStep, {"wait"});
        auto d = parseDurationOf(string(n["wait"], "wait"));
        if (!d) return error(n["wait"], D::WaitBad);
        step.what = WaitStep{*d};
    } else if (kind == "checkpoint") {
        checkMap(n, Noun::CheckpointStep, {"checkpoint", "label"});
        const YAML::Node c = n["checkpoint"];
        std::string name = string(c, "checkpoint").value_or("");
        bool valid = !name.empty() && std::ranges::all_of(name, [](char ch) {
            return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
        });
        if (!valid)
            return error(c, D::CheckpointNameBad, {name});
        if (auto it = m_checkpoints.find(name); it != m_checkpoints.end())
            return error(c, D::CheckpointTwice, {name, m_file, static_cast<long long>(it->second.line),
                                                 static_cast<long long>(it->second.column)});
        m_checkpoints[name] = pos(c);
        // Without a label the class sees the name (an identifier, in no language): `check` warns as for a label
        // that lacks its zh text.
        if (!n["label"]) gaps.push_back(TextGap{m_file, pos(c), What(Noun::CheckpointLabel), i18n::Lang::Zh});
        step.what = CheckpointStep{name, n["label"] ? localText(n["label"], Noun::CheckpointLabel) : i18n::LocalText{}};
    } else {
        checkMap(n, Noun::CheckStep, {"check"});
        const YAML::Node c = n["check"];
        if (!checkMap(c, "check", {"mailbox", "folder", "count", "contains"})) return;
        CheckStep chk;
        if (!c["mailbox"]) return error(c, D::CheckNeedsMailbox);
        chk.mailbox = auth::UserDirectory::canonical(string(c["mailbox"], "mailbox").value_or(""));
        m_pendingHostRefs.emplace_back(c["mailbox"], "@" + chk.mailbox);
        if (auto f = c["folder"]) chk.folder = string(f, "folder").value_or("INBOX");
        if (auto v = c["count"]) chk.count = static_cast<std::size_t>(integer(v, "count", 0, 1'000'000).value_or(0));
        if (auto v = c["contains"]) chk.contains = string(v, "contains").value_or("");
        if (!chk.count && chk.contains.empty()) return error(c, D::CheckNeedsWhat);
        step.what = chk;
    }
    sc.steps.push_back(std::move(step));
}

bool Loader::loadSession(const YAML::Node& step, Step& out) {
    if (!checkMap(step, Noun::SessionStep, {"session", "script"})) return false;
    const YAML::Node s = step["session"];
    if (!checkMap(s, "session", {"from", "to", "protocol"})) return false;
    SessionStep sess;
    auto fail = [&](const YAML::Node& at, DiagnosticId id, std::vector<DiagArg> args = {}) {
        error(at, id, std::move(args));
        return false;
    };
    if (!s["from"] || !s["to"]) return fail(s, D::SessionNeedsEnds);
    if (auto p = s["protocol"]) {
        sess.protocol = string(p, "protocol").value_or("smtp");
        if (sess.protocol != "smtp" && sess.protocol != "pop3" && sess.protocol != "imap")
            return fail(p, D::ProtocolBad, {sess.protocol, didYouMean(sess.protocol, {"smtp", "pop3", "imap"})});
    }
    if (!loadConnection(s["from"], s["to"], sess)) return false;
    const YAML::Node script = step["script"];
    if (!script || !script.IsSequence() || script.size() == 0)
        return fail(script ? script : step, D::SessionNeedsScript);
    for (const auto& item : script) {
        ScriptLine line;
        line.pos = pos(item);
        if (item.IsScalar()) {
            line.send = item.Scalar();
        } else {
            if (!checkMap(item, Noun::ScriptLine, {"send", "expect", "contains", "inject"})) continue;
            if (auto v = item["send"]) line.send = string(v, "send");
            if (auto v = item["inject"]) {
                line.inject = string(v, "inject").value_or("");
                if (!item["send"]) error(v, D::InjectNeedsSend);
            }
            if (item["expect"] || item["contains"])
                line.expect = loadExpect(item["expect"], item["contains"], sess.protocol);
            if (!item["send"] && !item["expect"] && !item["contains"]) { error(item, D::ScriptLineEmpty); continue; }
        }
        if (line.send && line.send->find_first_of("\r\n") != std::string::npos)
            error(item, D::SendOneLine);
        sess.script.push_back(std::move(line));
    }
    out.what = std::move(sess);
    return true;
}

bool Loader::loadConnection(const YAML::Node& fromNode, const YAML::Node& toNode, ConnectionSpec& c) {
    c.from = string(fromNode, "from").value_or("");
    std::string to = string(toNode, Noun::Server).value_or("");
    auto colon = to.rfind(':');
    c.to = to.substr(0, colon);
    c.port = -1;  // resolved against the host's service in checkReferences
    if (colon != std::string::npos) {
        auto [p, ec] = std::from_chars(to.data() + colon + 1, to.data() + to.size(), c.port);
        if (ec != std::errc{} || p != to.data() + to.size() || c.port < 1 || c.port > 65535) {
            error(toNode, D::ToPortBad, {to});
            return false;
        }
    }
    m_pendingHostRefs.emplace_back(fromNode, c.from);
    m_pendingHostRefs.emplace_back(toNode, "?" + c.to);  // host, or a domain with MX records
    return true;
}

std::optional<ExpectSpec> Loader::loadExpect(const YAML::Node& n, const YAML::Node& contains,
                                             const std::string& protocol) {
    ExpectSpec e;
    if (contains) e.contains = string(contains, "contains").value_or("");
    if (!n) return e;
    std::string s = n.IsScalar() ? n.Scalar() : "";
    if (protocol == "imap") {  // RFC 3501 7.1: the tagged completion's condition, or a "+" continuation (7.5)
        if (s == "OK" || s == "NO" || s == "BAD" || s == "+") {
            e.imapStatus = s;
            return e;
        }
        error(n, D::ImapExpectBad, {foundText(n), didYouMean(s, {"OK", "NO", "BAD"})});
        return std::nullopt;
    }
    if (protocol == "pop3") {  // RFC 1939 3: only two status indicators
        if (s == "+OK" || s == "-ERR") {
            e.pop3Ok = s == "+OK";
            return e;
        }
        error(n, D::Pop3ExpectBad, {foundText(n), didYouMean(s, {"+OK", "-ERR"})});
        return std::nullopt;
    }
    bool ok = s.size() == 3 && s[0] >= '1' && s[0] <= '5';
    if (ok && s[1] == 'x' && s[2] == 'x') {
        e.klass = s[0] - '0';
    } else if (ok && std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[2]))) {
        e.code = std::stoi(s);
        e.klass = e.code / 100;
    } else {
        error(n, D::SmtpExpectBad, {foundText(n)});
        return std::nullopt;
    }
    return e;
}

// Relay keys of a host: `queue: { retry: [15m, 30m], lifetime: 4h, durable: false }` and
// `gateway: { system: campus bulletin, mailbox: board }`.
void Loader::loadRelayHostKeys(const YAML::Node& n, HostSpec& host) {
    if (auto q = n["queue"]; q && checkMap(q, "queue", {"retry", "lifetime", "durable"})) {
        auto duration = [&](const YAML::Node& v, const What& what) -> std::optional<trace::Micros> {
            auto d = parseDurationOf(string(v, what));
            if (!d || *d <= 0) error(v, D::DurationBad, {what});
            return d;
        };
        if (auto r = q["retry"]) {
            if (!r.IsSequence() || r.size() == 0) error(r, D::RetryNotList);
            else for (const auto& d : r) if (auto v = duration(d, Noun::RetryDelay)) host.queue.retry.push_back(*v);
        }
        if (auto l = q["lifetime"]) host.queue.lifetime = duration(l, "lifetime");
        if (auto d = q["durable"]) host.queue.durable = boolean(d, "durable").value_or(true);
    }
    if (auto g = n["gateway"]; g && checkMap(g, "gateway", {"system", "mailbox"})) {
        GatewaySpec gw;
        if (auto v = g["system"]) gw.system = string(v, "system").value_or("bulletin");
        std::string mb = g["mailbox"] ? string(g["mailbox"], "mailbox").value_or("") : "";
        if (mb.empty() || host.domains.empty()) return error(g, D::GatewayNeedsMailbox);
        gw.mailbox = auth::UserDirectory::canonical(mb.find('@') == std::string::npos ? mb + "@" + host.domains.front() : mb);
        if (!host.smtp) error(g, D::GatewayNeedsSmtp);
        host.gateway = gw;
    }
}

// `store: { fault: full|busy|error, after: N }` (docs/scenario-format.md "store").
void Loader::loadStoreFault(const YAML::Node& n, HostSpec& host) {
    auto st = n["store"];
    if (!st || !checkMap(st, "store", {"fault", "after"})) return;
    StoreFaultSpec spec;
    const std::string kind = st["fault"] ? string(st["fault"], "fault").value_or("") : "";
    static const std::vector<std::string> kinds{"full", "busy", "error"};
    if (kind == "full") spec.fault = StoreFault::Full;
    else if (kind == "busy") spec.fault = StoreFault::Busy;
    else if (kind == "error") spec.fault = StoreFault::Error;
    else error(st, D::StoreFaultUnknown, {kind, didYouMean(kind, kinds)});
    if (auto a = st["after"]) spec.after = static_cast<std::size_t>(integer(a, "after", 0, 1000000).value_or(0));
    if (!host.smtp && !host.pop3 && !host.imap) error(st, D::StoreFaultNoMailboxes);
    host.storeFault = spec;
}

// `fault: { host: X, down_for: 2h }`, `fault: { link: X, down_for: 30m }`, `fault: { host: X, crash: true }`.
bool Loader::loadFault(const YAML::Node& step, Step& out) {
    if (!checkMap(step, Noun::FaultStep, {"fault"})) return false;
    const YAML::Node f = step["fault"];
    if (!checkMap(f, "fault", {"host", "link", "down_for", "crash"})) return false;
    FaultStep fault;
    if (static_cast<bool>(f["host"]) == static_cast<bool>(f["link"])) {
        error(f, D::FaultHostOrLink);
        return false;
    }
    const YAML::Node who = f["host"] ? f["host"] : f["link"];
    fault.host = string(who, "host").value_or("");
    m_pendingHostRefs.emplace_back(who, fault.host);
    fault.kind = f["link"] ? FaultKind::LinkDown : FaultKind::HostDown;
    if (auto c = f["crash"]; c && boolean(c, "crash").value_or(false)) {
        if (f["link"]) error(c, D::CrashNotLink);
        fault.kind = FaultKind::Crash;
    }
    if (auto d = f["down_for"]) {
        auto v = parseDurationOf(string(d, "down_for"));
        if (!v || *v <= 0) error(d, D::DownForBad);
        fault.downFor = v;
    } else if (fault.kind != FaultKind::Crash) {
        error(f, D::FaultNeedsDuration);
    }
    out.what = fault;
    return true;
}

void Loader::checkReferences(Scenario& sc) {
    std::vector<std::string> hostNames;
    for (const auto& h : sc.hosts) hostNames.push_back(h.name);
    std::set<std::string> addresses;
    for (const auto& h : sc.hosts) for (const auto& u : h.users) addresses.insert(u.address);
    for (const auto& h : sc.hosts) for (const auto& l : h.lists) addresses.insert(l.address);
    for (const auto& h : sc.hosts) if (h.gateway) addresses.insert(h.gateway->mailbox);
    for (const auto& [node, ref, file] : m_pendingHostRefs) {
        m_file = file.empty() ? m_mainFile : file;  // report where the name was written
        if (ref.starts_with("@")) {  // a mailbox
            std::string mb = ref.substr(1);
            if (!addresses.contains(mb))
                error(node, D::NoSuchUser, {mb, didYouMean(mb, {addresses.begin(), addresses.end()})});
        } else if (ref.starts_with("?")) {  // session target: host or MX domain
            std::string name = ref.substr(1);
            if (sc.findHost(name)) continue;
            auto dns = std::ranges::find(sc.dns, name, &DnsSpec::domain);
            if (dns == sc.dns.end() || dns->mx.empty())
                error(node, D::NotHostNorMx, {name, didYouMean(name, hostNames)});
        } else if (!sc.findHost(ref)) {
            error(node, D::NoSuchHost, {ref, didYouMean(ref, hostNames), joinQuoted(hostNames)});
        }
    }
    m_file = m_mainFile;
    if (!diags.empty()) return;
    for (auto& step : sc.steps) {
        ConnectionSpec* sess = std::visit([](auto& s) -> ConnectionSpec* {
            if constexpr (std::is_base_of_v<ConnectionSpec, std::decay_t<decltype(s)>>) return &s;
            else return nullptr;
        }, step.what);
        if (!sess) continue;
        if (!sc.findHost(sess->to)) {
            auto dns = std::ranges::find(sc.dns, sess->to, &DnsSpec::domain);
            sess->viaMx = sess->to;
            sess->to = dns->mx.front().host;
        }
        const HostSpec* server = sc.findHost(sess->to);
        std::optional<int> servicePort;
        int tlsPort = 0;  // the service's implicit TLS port, if any
        if (sess->protocol == "pop3" && server->pop3) servicePort = server->pop3->port, tlsPort = server->pop3->tlsPort;
        if (sess->protocol == "imap" && server->imap) servicePort = server->imap->port, tlsPort = server->imap->tlsPort;
        if (sess->protocol == "smtp" && server->smtp) servicePort = server->smtp->port, tlsPort = server->smtp->tlsPort;
        if (sess->protocol == "smtp" && server->smtp && server->smtp->submissionPort) {
            auto* send = std::get_if<MuaSendStep>(&step.what);
            // Submission is the default for a user agent that logs in, or when the host has no port 25.
            if ((sess->port < 0 && ((send && !send->user.empty()) || !server->smtp->port)) ||
                sess->port == server->smtp->submissionPort)
                servicePort = server->smtp->submissionPort;
            if (send && !send->user.empty() && send->password.empty())
                for (const auto& u : server->users)
                    if (u.address == send->user) send->password = u.password;
        }
        if (!servicePort) {
            diags.push_back(Diagnostic{m_file, step.pos.line, step.pos.column, D::NoService,
                                       {server->name, sess->protocol}});
            continue;
        }
        if (sess->protocol == "smtp" && server->smtp && tlsPort && sess->port < 0 && !server->smtp->port &&
            !server->smtp->submissionPort)
            servicePort = tlsPort;  // smtps only
        if (servicePort == 0 && tlsPort) servicePort = tlsPort;  // only the TLS port (pop3s/imaps without pop3/imap)
        if (tlsPort && (sess->port == tlsPort || (sess->port < 0 && *servicePort == tlsPort))) {
            sess->port = tlsPort;
            sess->implicitTls = true;
            servicePort = tlsPort;
        }
        if (sess->port < 0) sess->port = *servicePort;
        if (sess->port != *servicePort)
            diags.push_back(Diagnostic{m_file, step.pos.line, step.pos.column, D::NothingListens,
                                       {server->name, static_cast<long long>(sess->port), sess->protocol,
                                        static_cast<long long>(*servicePort)}});
        if (auto* fetch = std::get_if<MuaFetchStep>(&step.what); fetch && fetch->password.empty())
            for (const auto& u : server->users)
                if (u.address == fetch->user) fetch->password = u.password;
        if (auto* imap = std::get_if<MuaImapStep>(&step.what); imap && imap->password.empty())
            for (const auto& u : server->users)
                if (u.address == imap->user) imap->password = u.password;
    }
}

}  // namespace detail

using detail::Loader;
using D = DiagnosticId;

std::string ExpectSpec::describe() const {
    std::string out = !imapStatus.empty() ? imapStatus
                      : pop3Ok ? std::string(*pop3Ok ? "+OK" : "-ERR")
                      : code ? std::to_string(code) : klass ? fmt::format("{}xx", klass) : "any reply";
    if (!contains.empty()) out += fmt::format(" containing \"{}\"", contains);
    return out;
}

bool ExpectSpec::matchesPop3(bool ok, std::string_view replyText) const {
    if (pop3Ok && *pop3Ok != ok) return false;
    return contains.empty() || replyText.find(contains) != std::string_view::npos;
}

bool ExpectSpec::matchesImap(std::string_view status, std::string_view replyText) const {
    if (!imapStatus.empty() && imapStatus != status) return false;
    return contains.empty() || replyText.find(contains) != std::string_view::npos;
}

bool ExpectSpec::matches(int replyCode, std::string_view replyText) const {
    if (code && replyCode != code) return false;
    if (klass && replyCode / 100 != klass) return false;
    return contains.empty() || replyText.find(contains) != std::string_view::npos;
}

const HostSpec* Scenario::findHost(std::string_view name) const {
    auto it = std::ranges::find(hosts, name, &HostSpec::name);
    return it == hosts.end() ? nullptr : &*it;
}

std::optional<trace::Micros> parseDuration(std::string_view text) {
    long long value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || value < 0 || p == text.data()) return std::nullopt;
    std::string_view unit(p, text.data() + text.size() - p);
    long long scale = 0;
    if (unit == "us") scale = 1;
    else if (unit == "ms") scale = 1'000;
    else if (unit == "s") scale = 1'000'000;
    else if (unit == "m" || unit == "min") scale = 60'000'000;
    else if (unit == "h") scale = 3'600'000'000LL;
    else if (unit == "d") scale = 86'400'000'000LL;
    else return std::nullopt;
    if (value > (1LL << 62) / scale) return std::nullopt;
    return value * scale;
}

std::string_view toString(RecipientOutcome outcome) {
    switch (outcome) {
    case RecipientOutcome::Delivered: return "accepted";  // 2xx: the server took it; not yet "delivered" (issue #14)
    case RecipientOutcome::Deferred: return "deferred";
    case RecipientOutcome::Refused: return "refused";
    }
    return "?";
}

std::optional<std::string> readFileFromDisk(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    // At most one octet more than the loader accepts: a larger file is refused by its size, not read into memory.
    std::string text;
    std::array<char, 65536> chunk;
    while (text.size() <= kMaxScenarioBytes && (in.read(chunk.data(), chunk.size()) || in.gcount() > 0))
        text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return std::nullopt;
    return text;
}

std::vector<Diagnostic> checkNetworkFragment(const std::string& file, const FileReader& read) {
    Loader loader(file, read);
    try {
        loader.loadFragmentAlone();
    } catch (const YAML::Exception& e) {
        loader.diags.push_back(Diagnostic{file, e.mark.line + 1, e.mark.column + 1, D::UnexpectedStructure,
                                          {classifyYamlMessage(e.msg)}});
    }
    return std::move(loader.diags);
}

std::expected<Scenario, std::vector<Diagnostic>> loadScenario(const std::string& yaml, const std::string& file,
                                                               const FileReader& read) {
    Loader loader(file, read);
    auto root = loader.parse(yaml, file);
    if (!root) return std::unexpected(std::move(loader.diags));
    Scenario sc;
    try {
        sc = loader.load(*root);
    } catch (const YAML::Exception& e) {
        loader.diags.push_back(Diagnostic{file, e.mark.line + 1, e.mark.column + 1, D::UnexpectedStructure,
                                          {classifyYamlMessage(e.msg)}});
    }
    if (!loader.diags.empty()) {
        // The scenario's own problems first, then each included file's, each in line order.
        std::ranges::stable_sort(loader.diags, [&](const Diagnostic& a, const Diagnostic& b) {
            return std::tuple(a.file != file, a.file, a.line, a.column) < std::tuple(b.file != file, b.file, b.line, b.column);
        });
        return std::unexpected(std::move(loader.diags));
    }
    sc.textGaps = std::move(loader.gaps);
    return sc;
}

}  // namespace mailsim::sim
