// Predict mode: prediction points, choices and catalogue explanations. See Predict.hpp for the contract.
#include "sim/tools/Predict.hpp"

#include "imap/ImapReplies.hpp"
#include "imap/ImapStates.hpp"
#include "pop3/Pop3Replies.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpStates.hpp"
#include "util/ProtocolTables.hpp"

using mailsim::i18n::Lang;
using mailsim::i18n::pick;

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <map>
#include <span>

namespace mailsim::sim {
namespace {

using trace::Direction;
using trace::Event;
using trace::EventKind;
using trace::LineRole;

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string_view nextWord(std::string_view& s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    const std::size_t n = s.find(' ');
    const std::string_view w = s.substr(0, n);
    s = n == std::string_view::npos ? std::string_view{} : s.substr(n + 1);
    return w;
}

std::string_view firstAlphaWord(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
    return s.substr(0, n);
}

bool containsIgnoreCase(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return false;
    return std::ranges::search(hay, needle, [](char a, char b) {
               return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
           }).begin() != hay.end();
}

int smtpCode(std::string_view text) {
    if (text.size() < 3) return 0;
    for (int i = 0; i < 3; ++i)
        if (!std::isdigit(static_cast<unsigned char>(text[static_cast<std::size_t>(i)]))) return 0;
    return (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
}

// A deterministic 64-bit mix (splitmix64), so the choices depend on the trace only.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

std::uint64_t seedOf(const Event& e) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the text, then the id
    for (unsigned char c : e.text) h = (h ^ c) * 1099511628211ull;
    return mix(h ^ mix(e.id));
}

// --- SMTP: the codes RFC 5321 4.3.2 lists for each command (success and error) are the command rows' `replies`
// (engine/smtp/SmtpStates.cpp); when a row offers too few, these fill the choices up.
constexpr int kSmtpFallback[] = {250, 500, 501, 503, 421, 550, 451, 354, 221};

bool smtpCodeKnown(int code) {
    if (smtp::explainCode(code)) return true;
    return std::ranges::any_of(smtp::smtpReplies(), [&](const smtp::ReplyInfo& r) { return r.code == code; });
}

std::vector<std::string> smtpChoices(const Event& e, const smtp::SmtpCommandInfo& row, int answer) {
    std::vector<int> candidates;
    for (int code : smtp::allowedReplyCodes(row))
        if (code != answer && smtpCodeKnown(code) && std::ranges::find(candidates, code) == candidates.end())
            candidates.push_back(code);
    // Fisher-Yates with the event's seed: the same trace gives the same distractors.
    std::uint64_t seed = seedOf(e);
    for (std::size_t i = candidates.size(); i > 1; --i) {
        seed = mix(seed);
        std::swap(candidates[i - 1], candidates[seed % i]);
    }
    constexpr std::size_t kDistractors = 4;
    if (candidates.size() > kDistractors) candidates.resize(kDistractors);
    for (int code : kSmtpFallback) {
        if (candidates.size() >= kDistractors) break;
        if (code != answer && std::ranges::find(candidates, code) == candidates.end()) candidates.push_back(code);
    }
    candidates.push_back(answer);
    std::ranges::sort(candidates);
    std::vector<std::string> out;
    for (int code : candidates) out.push_back(std::to_string(code));
    return out;
}

// The command row a client line is answered under: the end of data, a SASL response, or the command's verb.
const smtp::SmtpCommandInfo& smtpRow(const Event& client, bool afterChallenge) {
    if (client.role == LineRole::Data) return smtp::smtpCommandInfo(smtp::SmtpInput::EndOfData);
    if (afterChallenge) return smtp::smtpCommandInfo(smtp::SmtpInput::SaslResponse);
    const std::string_view verb = firstAlphaWord(client.text);
    const smtp::SmtpCommandInfo* row = smtp::findSmtpCommand(verb);
    return row ? *row : smtp::smtpCommandInfo(smtp::SmtpInput::Unknown);
}

// IMAP: the completions the command's row allows (RFC 3501 "Result:"), always with the one that came.
std::vector<std::string> imapChoices(const Event* command, std::string_view answer) {
    std::vector<std::string> out;
    std::string_view line = command ? std::string_view(command->text) : std::string_view{};
    nextWord(line);  // the tag
    std::string verb = upper(nextWord(line));
    const imap::ImapCommandInfo* row = imap::findImapCommand(verb);
    if (row)
        for (std::string_view r : imap::allowedCompletions(*row)) out.emplace_back(r);
    if (out.empty()) out = {"OK", "NO", "BAD"};
    if (std::ranges::find(out, answer) == out.end()) out.emplace_back(answer);
    std::ranges::sort(out, {}, [](const std::string& c) { return c == "OK" ? 0 : c == "NO" ? 1 : 2; });
    return out;
}

struct Pending {
    const Event* line = nullptr;
    const smtp::SmtpCommandInfo* row = nullptr;  // SMTP: the command row that lists the codes
};

struct SessionScan {
    std::deque<Pending> waiting;  // SMTP/POP3: commands not answered yet, oldest first
    bool continuing = false;      // SMTP: the last reply line was "NNN-"
    bool challenged = false;      // a SASL challenge was the last server line: the next client line answers it
    std::vector<const Event*> commands;  // IMAP: client lines, for the tag look-up
};

void setPrompt(PredictPoint& p, const Pending& pending) {
    if (!pending.line) return;
    p.prompt = pending.line->id;
    p.promptText = pending.line->text;
}

// The events between a reply's command and the reply that show what the reply will be: the store change of an
// accepted message ("rose@cesoo.com INBOX uid 1 appended" comes before the 250 that acknowledges it), the relay's
// queue actions, the server's state change (unless state changes are questions themselves), the engine's notes.
// Only events of the point's session or of no session; lines are never effects (the client's DATA lines come
// before "." and stay visible). The scan is bounded so a long IDLE costs little.
std::vector<trace::EventId> replyEffects(const trace::Trace& trace, const PredictPoint& p, const PredictOptions& options) {
    std::vector<trace::EventId> out;
    if (p.kind != PredictKind::Reply || p.prompt == trace::kNoCause) return out;
    constexpr trace::EventId kMaxScan = 4096;
    for (trace::EventId id = p.prompt + 1; id < p.event && id - p.prompt < kMaxScan; ++id) {
        const Event& e = trace.at(id);
        if (e.session != p.session && e.session != trace::kNoSession) continue;
        switch (e.kind) {
        case EventKind::StoreChanged:
        case EventKind::QueueAction:
        case EventKind::RelayHop:
        case EventKind::Note: out.push_back(id); break;
        case EventKind::StateChanged:
            if (!options.states) out.push_back(id);
            break;
        default: break;
        }
    }
    return out;
}

bool selected(const trace::Trace& trace, const PredictPoint& p, const PredictOptions& options) {
    if (options.from && p.event <= *options.from) return false;
    if (options.session != trace::kNoSession && p.session != options.session) return false;
    if (!options.protocol.empty()) {
        const trace::SessionInfo* info = trace.session(p.session);
        if (!info || info->protocol != options.protocol) return false;
    }
    return true;
}

// For state questions: the states each server machine was seen in, in order of first appearance. The clients'
// machines ("smtp-client") ask nothing: what a client does next is its user's or its program's choice, not the
// protocol's answer.
std::map<std::string, std::vector<std::string>> serverMachineStates(const trace::Trace& trace) {
    std::map<std::string, std::vector<std::string>> out;
    for (const Event& e : trace.events()) {
        if (e.kind != EventKind::StateChanged || trace::isClientMachine(e.machine)) continue;
        auto& list = out[e.machine];
        for (const std::string* s : {&e.fromState, &e.toState})
            if (!s->empty() && std::ranges::find(list, *s) == list.end()) list.push_back(*s);
    }
    return out;
}

// A state question: the state entered, the one left and up to two other states of the machine (`all`, in the order
// the machine met them, so the right one is not always first), chosen by the event's seed.
PredictPoint statePoint(const Event& e, const std::string& protocol, const std::vector<std::string>& all) {
    PredictPoint p{e.id, e.session, PredictKind::State, protocol, e.toState, {}, e.cause, e.text, {}};
    std::vector<std::string> others;
    for (const auto& s : all)
        if (s != e.toState && s != e.fromState) others.push_back(s);
    std::uint64_t seed = seedOf(e);
    for (std::size_t i = others.size(); i > 1; --i) {
        seed = mix(seed);
        std::swap(others[i - 1], others[seed % i]);
    }
    p.choices.push_back(e.toState);
    if (!e.fromState.empty() && e.fromState != e.toState) p.choices.push_back(e.fromState);
    for (const auto& s : others)
        if (p.choices.size() < 4) p.choices.push_back(s);
    std::ranges::sort(p.choices, {}, [&](const std::string& s) { return std::ranges::find(all, s) - all.begin(); });
    return p;
}

// A client line: a command waiting for its answer (SMTP: not message content but its final "."), or IMAP's tagged
// command for the tag look-up.
void noteClientLine(SessionScan& scan, const Event& e, const std::string& protocol) {
    if (protocol == "imap") {
        scan.commands.push_back(&e);
    } else if (protocol == "smtp") {
        if (e.role != LineRole::Data || e.text == ".") scan.waiting.push_back({&e, &smtpRow(e, scan.challenged)});
    } else if (e.role != LineRole::Data) {
        scan.waiting.push_back({&e, nullptr});
    }
    scan.challenged = false;
}

// The oldest command not answered yet (for a greeting: none, answered under the greeting's row).
Pending popAnswered(SessionScan& scan) {
    if (scan.waiting.empty()) return {nullptr, &smtp::smtpCommandInfo(smtp::SmtpInput::Greeting)};
    Pending answered = scan.waiting.front();
    scan.waiting.pop_front();
    return answered;
}

// SMTP: the first line of each reply (a continuation line "NNN-" asks nothing more).
std::optional<PredictPoint> smtpReplyPoint(const Event& e, SessionScan& scan) {
    const int code = smtpCode(e.text);
    const bool first = !scan.continuing;
    scan.continuing = e.text.size() > 3 && e.text[3] == '-';
    if (!first || code == 0) return std::nullopt;
    const Pending answered = popAnswered(scan);
    scan.challenged = code == 334;
    PredictPoint p{e.id, e.session, PredictKind::Reply, "smtp", e.text.substr(0, 3), {}, trace::kNoCause, {}, {}};
    setPrompt(p, answered);
    p.choices = smtpChoices(e, answered.row ? *answered.row : smtp::smtpCommandInfo(smtp::SmtpInput::Greeting), code);
    return p;
}

// POP3: each status line (+OK/-ERR); a SASL continuation "+ " answers AUTH (or the previous response) and asks nothing.
std::optional<PredictPoint> pop3ReplyPoint(const Event& e, SessionScan& scan) {
    if (e.role == LineRole::Data || e.text == ".") return std::nullopt;
    const bool ok = e.text.starts_with("+OK");
    const bool err = e.text.starts_with("-ERR");
    if (!ok && !err) {
        if (e.text.starts_with("+")) {
            popAnswered(scan);
            scan.challenged = true;
        }
        return std::nullopt;
    }
    const Pending answered = popAnswered(scan);
    PredictPoint p{e.id, e.session, PredictKind::Reply, "pop3", ok ? "+OK" : "-ERR", {"+OK", "-ERR"}, trace::kNoCause,
                   {}, {}};
    setPrompt(p, answered);
    return p;
}

// IMAP: each tagged completion (OK/NO/BAD), answering the command with its tag.
std::optional<PredictPoint> imapReplyPoint(const Event& e, const SessionScan& scan) {
    std::string_view rest = e.text;
    const std::string_view tag = nextWord(rest);
    const std::string word = upper(nextWord(rest));
    if (tag == "*" || tag.starts_with("+") || (word != "OK" && word != "NO" && word != "BAD")) return std::nullopt;
    PredictPoint p{e.id, e.session, PredictKind::Reply, "imap", word, {}, trace::kNoCause, {}, {}};
    const Event* command = nullptr;
    for (auto it = scan.commands.rbegin(); it != scan.commands.rend(); ++it) {
        std::string_view line = (*it)->text;
        if (nextWord(line) == tag) {
            command = *it;
            p.prompt = (*it)->id;
            p.promptText = (*it)->text;
            break;
        }
    }
    p.choices = imapChoices(command, word);
    return p;
}

std::optional<PredictPoint> replyPoint(const Event& e, const std::string& protocol, SessionScan& scan) {
    if (protocol == "smtp") return smtpReplyPoint(e, scan);
    if (protocol == "pop3") return pop3ReplyPoint(e, scan);
    if (protocol == "imap") return imapReplyPoint(e, scan);
    return std::nullopt;
}

}  // namespace

std::vector<PredictPoint> predictionPoints(const trace::Trace& trace, const PredictOptions& options) {
    std::vector<PredictPoint> points;
    std::map<trace::SessionId, SessionScan> scans;
    const auto machineStates = options.states ? serverMachineStates(trace) : decltype(serverMachineStates(trace)){};
    for (const Event& e : trace.events()) {
        const trace::SessionInfo* info = trace.session(e.session);
        if (!info) continue;
        if (e.kind == EventKind::StateChanged && options.states) {
            if (auto it = machineStates.find(e.machine); it != machineStates.end())
                points.push_back(statePoint(e, info->protocol, it->second));
            continue;
        }
        if (e.kind != EventKind::Line) continue;
        SessionScan& scan = scans[e.session];
        if (e.direction == Direction::ClientToServer) noteClientLine(scan, e, info->protocol);
        else if (e.direction == Direction::ServerToClient)
            if (auto p = replyPoint(e, info->protocol, scan)) points.push_back(std::move(*p));
    }
    for (PredictPoint& p : points) p.effects = replyEffects(trace, p, options);
    std::erase_if(points, [&](const PredictPoint& p) { return !selected(trace, p, options); });
    return points;
}

std::string normaliseGuess(const PredictPoint& point, std::string_view guess) {
    guess = trim(guess);
    if (point.kind == PredictKind::State) {
        for (const auto& c : point.choices)
            if (upper(c) == upper(guess)) return c;
        return std::string(guess);
    }
    std::string g = upper(guess);
    if (point.protocol == "pop3") {
        if (g == "OK") return "+OK";
        if (g == "ERR") return "-ERR";
    }
    return g;
}

namespace {

// The first RFC reference of a command ("RFC 5321 4.1.1.3" of "RFC 5321 4.1.1.3, 3.3").
std::string_view firstReference(std::string_view rfc) { return rfc.substr(0, rfc.find(',')); }

// The rest of an SMTP reply line after the code and an optional enhanced status code.
std::string_view smtpReplyText(std::string_view text) {
    std::string_view rest = text.size() > 4 ? text.substr(4) : std::string_view{};
    const std::size_t sp = rest.find(' ');
    const std::string_view first = rest.substr(0, sp);
    if (first.size() >= 5 && (first[0] == '2' || first[0] == '4' || first[0] == '5') && first[1] == '.' &&
        std::ranges::all_of(first, [](char c) { return c == '.' || std::isdigit(static_cast<unsigned char>(c)); }))
        rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    return rest;
}

// Which catalogue entry fits a command best: its text names the verb (IMAP "SELECT completed"), or its RFC
// reference contains the command's; 0 when neither.
template <typename Entry>
int commandFit(const Entry& r, std::string_view verb, std::string_view commandRfc) {
    int fit = 0;
    if (!verb.empty() && containsIgnoreCase(r.text, verb)) fit += 2;
    if (!commandRfc.empty() && r.rfc.find(commandRfc) != std::string_view::npos) fit += 1;
    return fit;
}

void smtpMeaning(const trace::Trace& trace, const PredictPoint& point, std::string_view answer, const Event* actual,
                 AnswerMeaning& m, Lang lang) {
    m.answer = std::string(answer);
    const int code = smtpCode(answer);
    if (answer.size() != 3 || code == 0) {
        m.meaning = pick(lang, "not an SMTP reply code: replies start with three digits (RFC 5321 4.2)",
                         "不是 SMTP 应答码：应答以三位数字开头（RFC 5321 4.2）");
        return;
    }
    if (const smtp::CodeInfo* ci = smtp::explainCode(code)) {
        m.meaning = std::string(ci->meaning.in(lang));
    } else if (code / 100 >= 2 && code / 100 <= 5) {  // not in RFC 5321's list (e.g. AUTH's 334, 235, 535)
        static constexpr i18n::LocalView kFirstDigit[] = {
            {"2yz: done (positive completion)", "2yz：已完成（肯定完成应答）"},
            {"3yz: go on (positive intermediate)", "3yz：请继续（肯定中间应答）"},
            {"4yz: failed for now (transient negative completion)", "4yz：暂时失败（暂时性否定完成应答）"},
            {"5yz: failed for good (permanent negative completion)", "5yz：永久失败（永久性否定完成应答）"}};
        m.meaning = std::string(kFirstDigit[code / 100 - 2].in(lang)) + pick(lang, ", ", "，") + "RFC 5321 4.2.1";
    }
    const smtp::ReplyInfo* best = nullptr;
    int bestScore = -1;
    if (actual) {  // the entry the line came from
        const std::string_view rest = smtpReplyText(actual->text);
        for (const smtp::ReplyInfo& r : smtp::smtpReplies()) {
            if (r.code != code) continue;
            const int s = util::templateMatchScore(r.text, rest);
            if (s > bestScore) best = &r, bestScore = s;
        }
    } else {  // the entry this code would most likely have come from, for this command
        std::string_view verb, rfc;
        if (point.prompt != trace::kNoCause) {
            verb = firstAlphaWord(trace.at(point.prompt).text);
            if (const smtp::SmtpCommandInfo* c = verb.empty() ? nullptr : smtp::findSmtpCommand(verb))
                rfc = firstReference(c->rfc);
        }
        for (const smtp::ReplyInfo& r : smtp::smtpReplies()) {
            if (r.code != code) continue;
            const int s = commandFit(r, "", rfc);
            if (s > bestScore) best = &r, bestScore = s;
        }
    }
    if (best) {
        m.explain = std::string(best->explain.in(lang));
        m.rfc = std::string(best->rfc);
    }
    if (m.meaning.empty() && !best)
        m.meaning = pick(lang, "a code this server's catalogue does not know", "本服务器的应答目录里没有这个应答码");
}

void pop3Meaning(const trace::Trace& trace, const PredictPoint& point, std::string_view answer, const Event* actual,
                 AnswerMeaning& m, Lang lang) {
    m.answer = std::string(answer);
    const bool ok = answer == "+OK";
    if (!ok && answer != "-ERR") {
        m.meaning = pick(lang, "not a POP3 status: POP3 has only +OK and -ERR (RFC 1939 3)",
                         "不是 POP3 状态：POP3 只有 +OK 和 -ERR（RFC 1939 3）");
        return;
    }
    m.meaning = ok ? pick(lang, "+OK: the command succeeded (RFC 1939 3)", "+OK：命令成功（RFC 1939 3）")
                   : pick(lang, "-ERR: the command failed (RFC 1939 3)", "-ERR：命令失败（RFC 1939 3）");
    const pop3::ReplyInfo* best = nullptr;
    int bestScore = actual ? -1 : 0;
    std::string_view text, code, verb, rfc;
    if (actual) {
        text = actual->text;
        text.remove_prefix(ok ? 3 : 4);
        text = trim(text);
        if (text.starts_with('[')) {
            if (auto close = text.find(']'); close != std::string_view::npos) {
                code = text.substr(1, close - 1);
                text = trim(text.substr(close + 1));
            }
        }
    } else if (point.prompt != trace::kNoCause) {
        verb = firstAlphaWord(trace.at(point.prompt).text);
        if (const pop3::Pop3CommandInfo* c = verb.empty() ? nullptr : pop3::findPop3Command(verb))
            rfc = firstReference(c->rfc);
    } else {
        verb = "ready";  // the greeting
    }
    for (const pop3::ReplyInfo& r : pop3::pop3Replies()) {
        if (r.ok != ok || r.id == pop3::ReplyId::AuthContinue) continue;
        if (actual && r.respCode != code) continue;
        const int s = actual ? util::templateMatchScore(r.text, text) : commandFit(r, verb, rfc);
        if (s > bestScore) best = &r, bestScore = s;
    }
    if (best) {
        m.explain = std::string(best->explain.in(lang));
        m.rfc = std::string(best->rfc);
    }
}

void imapMeaning(const trace::Trace& trace, const PredictPoint& point, std::string_view answer, const Event* actual,
                 AnswerMeaning& m, Lang lang) {
    m.answer = std::string(answer);
    if (answer == "OK") m.meaning = pick(lang, "OK: the command succeeded (RFC 3501 7.1.1)", "OK：命令成功（RFC 3501 7.1.1）");
    else if (answer == "NO")
        m.meaning = pick(lang, "NO: the command failed, a normal failure such as a wrong password (RFC 3501 7.1.2)",
                         "NO：命令失败，属于正常的失败，例如口令错误（RFC 3501 7.1.2）");
    else if (answer == "BAD")
        m.meaning = pick(lang, "BAD: a protocol error, the command was not understood or not allowed now (RFC 3501 7.1.3)",
                         "BAD：协议错误，命令无法理解或现在不允许使用（RFC 3501 7.1.3）");
    else {
        m.meaning = pick(lang, "not a completion: a tagged IMAP completion is OK, NO or BAD (RFC 3501 7.1)",
                         "不是完成应答：IMAP 带标签的完成应答只有 OK、NO 或 BAD（RFC 3501 7.1）");
        return;
    }
    const imap::ReplyInfo* best = nullptr;
    int bestScore = actual ? 0 : -1;
    std::string_view rest, verb, rfc;
    if (actual) {
        rest = actual->text;
        nextWord(rest);
        nextWord(rest);
    } else if (point.prompt != trace::kNoCause) {
        std::string_view line = trace.at(point.prompt).text;
        nextWord(line);
        verb = nextWord(line);
        if (upper(verb) == "UID") verb = nextWord(line);
        if (const imap::ImapCommandInfo* c = verb.empty() ? nullptr : imap::findImapCommand(verb))
            rfc = firstReference(c->rfc);
    }
    for (const imap::ReplyInfo& r : imap::imapReplies()) {
        if (!r.tagged || imap::toString(r.condition) != answer) continue;
        // A NO the user only predicted is explained by the command's usual failure, not by a server fault.
        if (!actual && r.respCode == "SERVERBUG") continue;
        int s;
        if (actual) {
            std::string_view text = rest;
            if (text.starts_with('[')) text = trim(text.substr(std::min(text.find(']') + 1, text.size())));
            s = util::templateMatchScore(r.text, text);
        } else {
            s = commandFit(r, verb, rfc);
        }
        if (s > bestScore) best = &r, bestScore = s;
    }
    if (best) {
        m.explain = std::string(best->explain.in(lang));
        m.rfc = std::string(best->rfc);
    }
}

void meaningOf(const trace::Trace& trace, const PredictPoint& point, std::string_view answer, bool actual,
               AnswerMeaning& m, Lang lang) {
    const Event* line = actual ? &trace.at(point.event) : nullptr;
    if (point.kind == PredictKind::State) {
        const Event& e = trace.at(point.event);
        m.answer = std::string(answer);
        const bool zh = lang == Lang::Zh;
        if (actual)
            m.meaning = zh ? e.machine + " 在 " + e.text + " 时从 " + e.fromState + " 进入 " + e.toState
                           : e.machine + " moves from " + e.fromState + " to " + e.toState + " on " + e.text;
        else if (answer == e.fromState)
            m.meaning = zh ? "状态机会停留在 " + e.fromState : "the machine would have stayed in " + e.fromState;
        else
            m.meaning = zh ? e.text + " 不会从 " + e.fromState + " 进入 " + std::string(answer)
                           : e.text + " does not lead from " + e.fromState + " to " + std::string(answer);
        return;
    }
    if (point.protocol == "smtp") smtpMeaning(trace, point, answer, line, m, lang);
    else if (point.protocol == "pop3") pop3Meaning(trace, point, answer, line, m, lang);
    else imapMeaning(trace, point, answer, line, m, lang);
}

}  // namespace

std::string describeQuestion(const PredictPoint& point, Lang lang) {
    const bool zh = lang == Lang::Zh;
    if (point.kind == PredictKind::State)
        return zh ? "“" + point.promptText + "”之后的状态" : "the state after \"" + point.promptText + "\"";
    if (point.prompt == trace::kNoCause) return zh ? "服务器的问候" : "the server's greeting";
    if (point.protocol == "smtp" && point.promptText == ".")
        return zh ? "服务器对数据结束符“.”的应答" : "the server's reply to the end of data \".\"";
    return zh ? "服务器对“" + point.promptText + "”的应答" : "the server's reply to \"" + point.promptText + "\"";
}

PredictFeedback judge(const trace::Trace& trace, const PredictPoint& point, std::string_view guess, Lang lang) {
    PredictFeedback f;
    f.chosen = normaliseGuess(point, guess);
    f.correct = f.chosen == point.answer;
    f.question = describeQuestion(point, lang);
    meaningOf(trace, point, point.answer, true, f.right, lang);
    if (!f.correct) meaningOf(trace, point, f.chosen, false, f.wrong, lang);
    return f;
}

namespace {

std::string describe(const AnswerMeaning& m, Lang lang) {
    const bool zh = lang == Lang::Zh;
    std::string out = m.meaning;
    if (!m.explain.empty()) {
        if (!out.empty()) out += zh ? "。" : ". ";
        out += m.explain;
    }
    if (!m.rfc.empty()) out += zh ? "（" + m.rfc + "）" : " (" + m.rfc + ")";
    return out;
}

}  // namespace

std::string formatFeedback(const PredictFeedback& f, Lang lang) {
    std::string out;
    if (lang == Lang::Zh) {
        if (f.correct) {
            out = "答对了：" + f.question + "就是 " + f.right.answer + "。\n";
            out += "  " + f.right.answer + "：" + describe(f.right, lang) + "\n";
        } else {
            out = "答错了：你选的是 " + (f.chosen.empty() ? std::string("（空）") : f.chosen) + "，" + f.question +
                  "是 " + f.right.answer + "。\n";
            out += "  " + f.right.answer + "（实际的应答）：" + describe(f.right, lang) + "\n";
            if (!f.chosen.empty()) out += "  " + f.chosen + "（你的猜测）表示：" + describe(f.wrong, lang) + "\n";
        }
        return out;
    }
    if (f.correct) {
        out = "Right: " + f.right.answer + " is " + f.question + ".\n";
        out += "  " + f.right.answer + ": " + describe(f.right, lang) + "\n";
    } else {
        out = "Wrong: you chose " + (f.chosen.empty() ? std::string("nothing") : f.chosen) + "; " + f.question +
              " was " + f.right.answer + ".\n";
        out += "  " + f.right.answer + " (what came): " + describe(f.right, lang) + "\n";
        if (!f.chosen.empty()) out += "  " + f.chosen + " (your guess) would mean: " + describe(f.wrong, lang) + "\n";
    }
    return out;
}

}  // namespace mailsim::sim
