// The inspector's explanation of a POP3 line, from the engine's POP3 command table (pop3/Pop3States.hpp) and reply
// catalogue (pop3/Pop3Replies.hpp). See Explain.hpp for the contract.
#include "Strings.hpp"
#include "Explain.hpp"

#include "pop3/Pop3Replies.hpp"
#include "pop3/Pop3States.hpp"

#include <cctype>

namespace mailsim::gui {
namespace {

std::string_view firstWord(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
    return s.substr(0, n);
}

std::string_view skipSpaces(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s;
}

// RFC 2449 8 and RFC 3206 response codes.
const char* explainResponseCode(std::string_view code) {
    if (code == "IN-USE") return "the maildrop is locked by another session (RFC 2449 8.1.1)";
    if (code == "LOGIN-DELAY") return "logging in again so soon is not allowed (RFC 2449 8.1.2)";
    if (code == "SYS/TEMP") return "a temporary problem on the server; try again later (RFC 3206 5)";
    if (code == "SYS/PERM") return "a permanent problem on the server (RFC 3206 5)";
    if (code == "AUTH") return "the credentials were wrong; retrying with others may work (RFC 3206 4)";
    return "an extended response code (RFC 2449 8)";
}

void explainCommand(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    const trace::Event* prev = previousLine(trace, e);
    if (prev && prev->direction == trace::Direction::ServerToClient && prev->text.starts_with("+ ")) {
        x.heading = "SASL response";
        addDecoded(x, "decoded", skipSpaces(e.text));
        return;
    }
    const std::string_view verb = firstWord(e.text);
    const pop3::Pop3CommandInfo* info = verb.empty() ? nullptr : pop3::findPop3Command(verb);
    if (!info || info->input == pop3::Pop3Input::Unknown) {
        x.heading = "Command";
        x.notes.push_back(verb.empty() ? "An empty or non-alphabetic command line."
                                       : "Not a command this POP3 server knows: it answers -ERR.");
        return;
    }
    x.heading = "Command " + std::string(info->verb);
    x.facts.push_back({"syntax", std::string(info->syntax)});
    x.facts.push_back({"defined in", std::string(info->rfc)});
    x.facts.push_back({"meaning", std::string(info->explain.in(uiLang()))});
    std::string_view args = skipSpaces(std::string_view(e.text).substr(verb.size()));
    if (info->input == pop3::Pop3Input::Auth) {
        const auto sp = args.find(' ');
        x.facts.push_back({"mechanism", std::string(args.substr(0, sp))});
        if (sp != std::string_view::npos) addDecoded(x, "initial response", skipSpaces(args.substr(sp + 1)));
    }
    if (pop3::pop3ResponseIsMultiLine(e.text))
        x.notes.push_back("The +OK answer is multi-line: lines follow until one holding a single \".\" (RFC 1939 3).");
    if (info->input == pop3::Pop3Input::Pass)
        x.notes.push_back("The password crosses the network in clear text; APOP, or POP3 inside TLS, avoids that.");
    if (info->input == pop3::Pop3Input::Dele)
        x.notes.push_back("Nothing is removed yet: the message is only marked. The server removes marked messages in "
                          "the UPDATE state, after QUIT; a session that ends any other way deletes nothing.");
    if (info->input == pop3::Pop3Input::Quit)
        x.notes.push_back("From TRANSACTION, QUIT enters UPDATE: the one moment POP3 changes the mailbox.");
    if (info->optional) x.notes.push_back("Optional in RFC 1939, or an extension: a server may not offer it.");
}

void explainStatus(const trace::Event& e, Explanation& x) {
    std::string_view text = e.text;
    const bool ok = text.starts_with("+OK");
    x.heading = ok ? "Reply +OK" : "Reply -ERR";
    text.remove_prefix(ok ? 3 : 4);
    text = skipSpaces(text);
    x.facts.push_back({"status", ok ? "+OK: the command succeeded" : "-ERR: the command failed"});
    std::string_view code;
    if (text.starts_with('[')) {
        if (auto close = text.find(']'); close != std::string_view::npos) {
            code = text.substr(1, close - 1);
            text = skipSpaces(text.substr(close + 1));
            x.facts.push_back({"[" + std::string(code) + "]", explainResponseCode(code)});
        }
    }
    const pop3::ReplyInfo* best = nullptr;
    int bestScore = -1;
    for (const pop3::ReplyInfo& r : pop3::pop3Replies()) {
        if (r.ok != ok || r.respCode != code || r.id == pop3::ReplyId::AuthContinue) continue;
        const int s = templateScore(r.text, text);
        if (s > bestScore) best = &r, bestScore = s;
    }
    if (best && bestScore >= 0) {
        x.facts.push_back({"this reply", std::string(best->explain.in(uiLang()))});
        x.facts.push_back({"defined in", std::string(best->rfc)});
    }
    x.notes.push_back("POP3 has two status indicators only, +OK and -ERR (RFC 1939 3); the text after them is for "
                      "people. SMTP's three-digit codes have no POP3 counterpart.");
}

}  // namespace

void explainPop3Line(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    if (e.direction == trace::Direction::ClientToServer) {
        explainCommand(trace, e, x);
        return;
    }
    if (e.text == ".") {
        x.heading = "End of the multi-line answer";
        x.notes.push_back("A line holding a single \".\" ends a multi-line answer (RFC 1939 3).");
        return;
    }
    if (e.role == trace::LineRole::Data) {
        x.heading = "Multi-line answer (content)";
        if (e.text.starts_with("..")) {
            x.facts.push_back({"on the wire", e.text});
            x.facts.push_back({"the client keeps", e.text.substr(1)});
            x.notes.push_back("Byte-stuffing (RFC 1939 3): a line of the answer that starts with \".\" gets one more "
                              "\".\", so it cannot be taken for the end; the client removes it.");
        } else {
            x.notes.push_back("A line of the multi-line answer (a message, a listing): no status indicator of its own.");
        }
        return;
    }
    if (e.text.starts_with("+OK") || e.text.starts_with("-ERR")) {
        explainStatus(e, x);
        return;
    }
    if (e.text.starts_with("+ ") || e.text == "+") {
        const pop3::ReplyInfo& info = pop3::replyInfo(pop3::ReplyId::AuthContinue);
        x.heading = "SASL continuation";
        x.facts.push_back({"this reply", std::string(info.explain.in(uiLang()))});
        x.facts.push_back({"defined in", std::string(info.rfc)});
        return;
    }
    x.heading = "Reply";
    x.notes.push_back("Not a well-formed POP3 status line: it starts with neither +OK nor -ERR.");
}

}  // namespace mailsim::gui
