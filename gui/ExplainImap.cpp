// The inspector's explanation of an IMAP line, from the engine's IMAP command table (imap/ImapStates.hpp) and
// response catalogue (imap/ImapReplies.hpp). See Explain.hpp for the contract.
//
// IMAP lines (RFC 3501 2.2): a client command is `tag SP command [args]`; the server answers with untagged data
// (`* ...`), continuation requests (`+ ...`) and finally the tagged completion (`tag OK|NO|BAD [code] text`).
#include "Strings.hpp"
#include "Explain.hpp"

#include "imap/ImapReplies.hpp"
#include "imap/ImapStates.hpp"

#include <cctype>

namespace mailsim::gui {
namespace {

std::string_view nextWord(std::string_view& s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    std::size_t n = s.find(' ');
    std::string_view w = s.substr(0, n);
    s = n == std::string_view::npos ? std::string_view{} : s.substr(n + 1);
    return w;
}

// Reads a status word (OK/NO/BAD/BYE/PREAUTH) and an optional [response code] from `rest`.
void explainStatus(std::string_view word, std::string_view rest, bool tagged, Explanation& x) {
    struct Meaning {
        std::string_view word, text;
    };
    static constexpr Meaning kMeanings[] = {
        {"OK", "success (RFC 3501 7.1.1)"},
        {"NO", "the command failed: a normal, expected failure such as a wrong password (RFC 3501 7.1.2)"},
        {"BAD", "a protocol error: the command was not understood or not allowed in this state (RFC 3501 7.1.3)"},
        {"BYE", "the server is closing the connection (RFC 3501 7.1.5)"},
        {"PREAUTH", "the connection is already authenticated (RFC 3501 7.1.4)"},
    };
    for (const auto& m : kMeanings)
        if (m.word == word) x.facts.push_back({"status", std::string(word) + ": " + std::string(m.text)});
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.starts_with("[")) {
        auto close = rest.find(']');
        std::string code(rest.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
        x.facts.push_back({"response code", code + " (RFC 3501 7.1)"});
    }
    x.notes.push_back(tagged ? "A tagged line completes the command that carried the same tag."
                             : "An untagged line (\"*\") is data or status the client did not have to ask for.");
    // The catalogue's explanation of the first entry whose condition and text this line matches best.
    const imap::ReplyInfo* best = nullptr;
    int bestScore = -1;
    for (const imap::ReplyInfo& r : imap::imapReplies()) {
        if (r.tagged != tagged || imap::toString(r.condition) != word) continue;
        int score = templateScore(r.text, rest);
        if (score > bestScore) bestScore = score, best = &r;
    }
    if (best && bestScore > 0) {
        x.facts.push_back({"this reply", std::string(best->explain.in(uiLang()))});
        x.facts.push_back({"defined in", std::string(best->rfc)});
    }
}

void explainClientLine(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    const trace::Event* prev = previousLine(trace, e);
    if (prev && prev->direction == trace::Direction::ServerToClient && prev->text.starts_with("+")) {
        x.heading = e.text == "DONE" ? "DONE (ends IDLE)" : "Continuation data";
        x.notes.push_back(e.text == "DONE" ? "DONE ends IDLE; the server then completes the IDLE command (RFC 2177)."
                                           : "Sent after the server's \"+\": a literal's bytes or a SASL response.");
        if (e.text != "DONE") addDecoded(x, "if base64", e.text);
        return;
    }
    std::string_view rest = e.text;
    std::string_view tag = nextWord(rest);
    std::string_view verb = nextWord(rest);
    if (verb == "UID" || verb == "uid") verb = nextWord(rest);
    const imap::ImapCommandInfo* info = verb.empty() ? nullptr : imap::findImapCommand(verb);
    x.facts.push_back({"tag", std::string(tag)});
    if (!info) {
        x.heading = "Command";
        x.notes.push_back("Not a command this IMAP server knows: it answers BAD.");
        return;
    }
    x.heading = "Command " + std::string(info->verb);
    x.facts.push_back({"syntax", std::string(info->syntax)});
    x.facts.push_back({"defined in", std::string(info->rfc)});
    x.facts.push_back({"meaning", std::string(info->explain.in(uiLang()))});
    if (e.text.find('{') != std::string::npos && e.text.back() == '}')
        x.notes.push_back("It ends with a literal {n}: the next n octets follow as data (RFC 3501 4.3; "
                          "{n+} is LITERAL+, RFC 7888, sent without waiting for \"+\").");
}

void explainServerLine(const trace::Event& e, Explanation& x) {
    std::string_view rest = e.text;
    if (rest.starts_with("+")) {
        x.heading = "Continuation request";
        x.notes.push_back("\"+\" invites the client to send the rest: a literal, a SASL response, or (after IDLE) "
                          "nothing until DONE (RFC 3501 7.5, RFC 2177).");
        rest.remove_prefix(1);
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        if (!rest.empty() && rest.find(' ') == std::string_view::npos) addDecoded(x, "if base64", rest);
        return;
    }
    std::string_view tag = nextWord(rest);
    std::string_view word = nextWord(rest);
    bool tagged = tag != "*";
    if (!tagged && !word.empty() && std::isdigit(static_cast<unsigned char>(word.front()))) {
        std::string_view what = nextWord(rest);
        x.heading = "Untagged " + std::string(what);
        x.facts.push_back({"message", std::string(word)});
        if (what == "EXISTS") x.notes.push_back("The mailbox now holds this many messages (RFC 3501 7.3.1).");
        else if (what == "EXPUNGE") x.notes.push_back("This message number was removed; later numbers shift down (RFC 3501 7.4.1).");
        else if (what == "FETCH") x.notes.push_back("Data about one message: flags, envelope, body parts (RFC 3501 7.4.2).");
        else if (what == "RECENT") x.notes.push_back("Messages new to this session (\\Recent, RFC 3501 7.3.2).");
        return;
    }
    x.heading = (tagged ? "Tagged " : "Untagged ") + std::string(word);
    if (word == "OK" || word == "NO" || word == "BAD" || word == "BYE" || word == "PREAUTH") {
        explainStatus(word, rest, tagged, x);
        return;
    }
    x.notes.push_back("Untagged data answering the command in progress (RFC 3501 7.2-7.4): " + std::string(word) + ".");
}

}  // namespace

void explainImapLine(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    if (e.direction == trace::Direction::ServerToClient) explainServerLine(e, x);
    else explainClientLine(trace, e, x);
}

}  // namespace mailsim::gui
