#include "sim/tools/Record.hpp"

#include "sim/tools/Sandbox.hpp"
#include "sim/tls/TlsSession.hpp"

#include "message/Codecs.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace mailsim::sim {

std::string yamlQuoted(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
    return out + "\"";
}

std::string sessionStepYaml(const SandboxSession& session) {
    std::string out = fmt::format("  - session: {{ from: {}, to: \"{}:{}\", protocol: {} }}\n    script:\n",
                                  session.from, session.to, session.port, session.protocol);
    std::size_t written = 0;
    for (const auto& l : session.lines) {
        std::string expect = expectationFor(session.protocol, l.greeting ? "" : l.sent, l.answer);
        if (l.greeting && expect.empty()) continue;
        if (l.greeting) out += fmt::format("      - {{ expect: {} }}\n", expect);
        else if (expect.empty()) out += fmt::format("      - {{ send: {} }}\n", yamlQuoted(l.sent));
        else out += fmt::format("      - {{ send: {}, expect: {} }}\n", yamlQuoted(l.sent), expect);
        ++written;
    }
    if (written == 0)  // nothing was typed and the greeting never came: at least wait for one
        out += session.protocol == "pop3" ? "      - { expect: +OK }\n"
               : session.protocol == "imap" ? "      - { expect: OK }\n"
                                            : "      - { expect: 2xx }\n";
    return out;
}

namespace {

using trace::Direction;
using trace::EventKind;

struct RecordedSession {
    std::string protocol;
    bool implicitTls = false;
    bool startTls = false;
    bool auth = false;  // SMTP AUTH was used: the submission port
    bool plaintextRefused = false;  // a login was refused because TLS was not up yet
    std::vector<SandboxLine> lines;
};

std::string upper(std::string_view s) {
    std::string out;
    for (char c : s) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::istringstream in{std::string(s)};
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// The server's domain as its greeting names it ("220 cesoo.com ...", "+OK cesoo.com POP3 ...", "* OK [...] cesoo.com").
std::string domainFromGreeting(const std::string& protocol, const std::string& greeting) {
    std::string first = greeting.substr(0, greeting.find('\n'));
    std::string rest = first;
    if (protocol == "imap") {
        auto close = first.find(']');
        rest = close == std::string::npos ? first.substr(std::min<std::size_t>(first.size(), 5)) : first.substr(close + 1);
    } else {
        auto sp = first.find(' ');
        rest = sp == std::string::npos ? "" : first.substr(sp + 1);
    }
    auto w = words(rest);
    if (w.empty() || w[0].find('.') == std::string::npos) return "";
    return w[0];
}

// The recorded protocol sessions, in the order they opened, each as (sent line, answer) pairs.
struct RecordedDialogues {
    std::map<trace::SessionId, RecordedSession> sessions;
    std::vector<trace::SessionId> order;
};

// What the dialogues show about the host: its domain, the logins that succeeded, the accepted recipients.
struct LearnedHost {
    std::string domain;
    std::map<std::string, std::string> users;  // address or login -> password
    std::set<std::string> recipients;
};

RecordedDialogues collectDialogues(const trace::Trace& trace) {
    RecordedDialogues d;
    for (const auto& e : trace.events()) {
        const trace::SessionInfo* info = trace.session(e.session);
        if (!info || (info->protocol != "smtp" && info->protocol != "pop3" && info->protocol != "imap")) continue;
        auto [it, fresh] = d.sessions.try_emplace(e.session);
        RecordedSession& s = it->second;
        if (fresh) {
            s.protocol = info->protocol;
            d.order.push_back(e.session);
        }
        if (e.kind == EventKind::TlsHandshake && e.ok && s.lines.empty()) s.implicitTls = true;
        if (e.kind != EventKind::Line) continue;
        if (e.direction == Direction::ServerToClient) {
            if (s.lines.empty()) s.lines.push_back({"", "", true});
            std::string& answer = s.lines.back().answer;
            answer += (answer.empty() ? "" : "\n") + e.text;
            continue;
        }
        if (s.lines.empty()) s.lines.push_back({"", "", true});  // the greeting was not recorded
        s.lines.push_back({e.text, "", false});
    }
    return d;
}

// A login that succeeded, as (user, password): POP3 USER+PASS (`pendingUser` carries USER to its PASS), IMAP LOGIN,
// AUTH/AUTHENTICATE PLAIN with an initial response (\0user\0password, RFC 4616).
void learnLogin(const RecordedSession& s, const std::vector<std::string>& w, const std::string& verb,
                const std::string& status, std::string& pendingUser, std::map<std::string, std::string>& users) {
    if (s.protocol == "pop3" && verb == "USER" && w.size() >= 2) pendingUser = w[1];
    if (s.protocol == "pop3" && verb == "PASS" && w.size() >= 2 && status == "+OK" && !pendingUser.empty())
        users[pendingUser] = w[1];
    if (s.protocol == "imap" && verb == "LOGIN" && w.size() >= 4 && status == "OK") {
        auto unquote = [](std::string v) {  // RFC 3501 quoted strings (no escapes in these logins)
            return v.size() >= 2 && v.front() == '"' && v.back() == '"' ? v.substr(1, v.size() - 2) : v;
        };
        users[unquote(w[2])] = unquote(w[3]);
    }
    if (verb == "AUTH" || verb == "AUTHENTICATE") {
        std::string b64 = w.size() >= (s.protocol == "imap" ? 4u : 3u) ? w.back() : "";
        std::string plain = message::decodeBase64(b64);
        auto a = plain.find('\0'), b = plain.find('\0', a == std::string::npos ? 0 : a + 1);
        bool ok = s.protocol == "smtp" ? status == "235" : s.protocol == "imap" ? status == "OK" : status == "+OK";
        if (ok && a != std::string::npos && b != std::string::npos)
            users[plain.substr(a + 1, b - a - 1)] = plain.substr(b + 1);
    }
}

// Reads the host's domain, users and recipients off the dialogues, and marks each session's STARTTLS, refused
// plaintext login and AUTH.
LearnedHost learnHost(RecordedDialogues& d) {
    LearnedHost h;
    for (auto id : d.order) {
        RecordedSession& s = d.sessions[id];
        if (h.domain.empty() && !s.lines.empty() && s.lines[0].greeting)
            h.domain = domainFromGreeting(s.protocol, s.lines[0].answer);
        std::string pendingUser;
        for (const SandboxLine& x : s.lines) {
            if (x.greeting) continue;
            auto w = words(x.sent);
            std::string verb = w.empty() ? "" : upper(w[0]);
            std::string status = expectationFor(s.protocol, x.sent, x.answer);
            if (s.protocol == "imap" && w.size() >= 2) verb = upper(w[1]);
            if (asksForTls(s.protocol, x.sent)) s.startTls = true;
            if (status == "538" || x.answer.find("[PRIVACYREQUIRED]") != std::string::npos ||
                (s.protocol == "pop3" && x.answer.starts_with("-ERR [AUTH] Plaintext")))
                s.plaintextRefused = true;
            if (s.protocol == "smtp" && verb == "AUTH") s.auth = true;
            learnLogin(s, w, verb, status, pendingUser, h.users);
            if (s.protocol == "smtp" && verb.starts_with("RCPT") && status.starts_with("25")) {
                auto lt = x.sent.find('<'), gt = x.sent.find('>');
                if (lt != std::string::npos && gt != std::string::npos && gt > lt)
                    h.recipients.insert(x.sent.substr(lt + 1, gt - lt - 1));
            }
        }
    }
    if (h.domain.empty()) h.domain = "example.org";
    return h;
}

// The `hosts:` section: the reconstructed server (services seen, TLS settings, users) and the student's PC.
std::string hostsYaml(const RecordedDialogues& d, const LearnedHost& h, const std::string& host) {
    bool smtp = false, submission = false, smtps = false, pop3 = false, pop3s = false, imap = false, imaps = false,
         startTls = false, plaintextRefused = false;
    for (auto id : d.order) {
        const RecordedSession& s = d.sessions.at(id);
        startTls = startTls || s.startTls;
        plaintextRefused = plaintextRefused || s.plaintextRefused;
        if (s.protocol == "smtp") (s.implicitTls ? smtps : s.auth ? submission : smtp) = true;
        if (s.protocol == "pop3") (s.implicitTls ? pop3s : pop3) = true;
        if (s.protocol == "imap") (s.implicitTls ? imaps : imap) = true;
    }
    std::string services;
    for (auto [on, name] : {std::pair{smtp, "smtp"}, {submission, "submission"}, {smtps, "smtps"}, {pop3, "pop3"},
                            {pop3s, "pop3s"}, {imap, "imap"}, {imaps, "imaps"}})
        if (on) services += (services.empty() ? "" : ", ") + std::string(name);
    std::string out = fmt::format("hosts:\n  - name: {}\n    domains: [{}]\n    services: [{}]\n", host, h.domain,
                                  services);
    if (startTls || plaintextRefused)
        out += fmt::format("    tls: {{ starttls: {}{} }}\n", startTls ? "true" : "false",
                           plaintextRefused ? ", plaintext_auth: false" : "");
    std::map<std::string, std::string> accounts;  // local part -> password
    for (const auto& [user, password] : h.users) accounts[user.substr(0, user.find('@'))] = password;
    for (const auto& r : h.recipients)
        if (r.ends_with("@" + h.domain)) accounts.try_emplace(r.substr(0, r.find('@')), "secret");
    if (!accounts.empty()) {
        out += "    users:\n";
        for (const auto& [name, password] : accounts)
            out += fmt::format("      - {{ name: {}, password: {} }}\n", yamlQuoted(name), yamlQuoted(password));
    }
    return out + "  - name: student-pc\n";
}

// One `session:` step per recorded session, from the student's PC to the host on the session's port.
std::string stepsYaml(RecordedDialogues& d, const LearnedHost& h, const std::string& host) {
    std::string out = "steps:\n";
    for (auto id : d.order) {
        RecordedSession& s = d.sessions[id];
        int port = s.protocol == "pop3" ? (s.implicitTls ? 995 : 110)
                   : s.protocol == "imap" ? (s.implicitTls ? 993 : 143)
                                          : (s.implicitTls ? 465 : s.auth ? 587 : 25);
        SandboxSession step{"student-pc", host, s.protocol, port, {}};
        for (auto& x : s.lines) {
            auto w = words(x.sent);
            if (!x.greeting && s.protocol == "pop3" && w.size() == 3 && upper(w[0]) == "APOP" &&
                x.answer.starts_with("+OK")) {
                // APOP's digest answers the greeting's one-time timestamp (RFC 1939 7), which a replay does not
                // repeat: log in with USER/PASS instead when the password is known.
                auto known = h.users.find(w[1]);
                if (known == h.users.end()) known = h.users.find(w[1].substr(0, w[1].find('@')));
                if (known != h.users.end()) {
                    step.lines.push_back({"USER " + w[1], "+OK", false});
                    step.lines.push_back({"PASS " + known->second, "+OK", false});
                    continue;
                }
            }
            step.lines.push_back(std::move(x));
        }
        out += sessionStepYaml(step);
    }
    return out;
}

}  // namespace

std::string scenarioFromTrace(const trace::Trace& trace, const RecordOptions& options) {
    RecordedDialogues d = collectDialogues(trace);
    if (d.order.empty()) return {};
    LearnedHost h = learnHost(d);
    const std::string host = "mail." + h.domain;
    std::string out = fmt::format(
        "# yaml-language-server: $schema=../docs/scenario.schema.json\n"
        "# Recorded by `mailsim record`{}. Check before teaching with it:\n"
        "# - the host, its services and users were reconstructed from the dialogue; other server settings are defaults;\n"
        "# - mail that was already stored before the recording is not here, so answers that depend on it may differ;\n"
        "# - passwords below are the ones typed in the recorded logins (\"secret\" where none was seen);\n"
        "# - an APOP login (a digest of a one-time challenge) is replayed as USER/PASS; CRAM-MD5 cannot be replayed.\n"
        "title: {}\n",
        options.source.empty() ? "" : " from " + options.source, yamlQuoted(options.title));
    out += hostsYaml(d, h, host);
    out += stepsYaml(d, h, host);
    return out;
}

}  // namespace mailsim::sim
