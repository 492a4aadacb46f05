#include "Strings.hpp"
#include "Explain.hpp"

#include "Api.hpp"
#include "ProtocolModel.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpStates.hpp"
#include "util/ProtocolTables.hpp"

#include <cctype>
#include <cstdio>
#include <vector>

namespace mailsim::gui {
namespace {

std::string_view firstWord(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
    return s.substr(0, n);
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

bool isEnhanced(std::string_view w) {
    // c.s.d: class 2/4/5, subject 1-3 digits, detail 1-3 digits (RFC 3463 2).
    if (w.size() < 5 || (w[0] != '2' && w[0] != '4' && w[0] != '5') || w[1] != '.') return false;
    std::size_t dots = 0, digits = 0;
    for (std::size_t i = 2; i < w.size(); ++i) {
        if (w[i] == '.') {
            if (digits == 0 || digits > 3) return false;
            ++dots;
            digits = 0;
        } else if (std::isdigit(static_cast<unsigned char>(w[i]))) {
            ++digits;
        } else {
            return false;
        }
    }
    return dots == 1 && digits >= 1 && digits <= 3;
}

}  // namespace

// How well the catalogue template (with {placeholders}) matches `text` (one implementation, shared with the
// predict model: util/ProtocolTables.hpp).
int templateScore(std::string_view tmpl, std::string_view text) { return util::templateMatchScore(tmpl, text); }

// The previous line of the same session before event `id` (bounded look-back), or nullptr.
const trace::Event* previousLine(const trace::Trace& trace, const trace::Event& e) {
    for (trace::EventId id = e.id, steps = 0; id > 0 && steps < 256; ++steps) {
        --id;
        const trace::Event& p = trace.at(id);
        if (p.session == e.session && p.kind == trace::EventKind::Line) return &p;
    }
    return nullptr;
}

void addDecoded(Explanation& x, std::string_view label, std::string_view b64) {
    std::string decoded;
    if (!decodeBase64(b64, decoded)) return;
    x.facts.push_back({std::string(label), escapeBytes(decoded)});
    x.notes.push_back("SASL data travels base64-encoded; it is an encoding, not encryption: anyone who sees the line "
                      "can decode it (PLAIN is \\0user\\0password). Use it only inside TLS.");
}

namespace {

void explainCommand(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    const trace::Event* prev = previousLine(trace, e);
    if (prev && prev->direction == trace::Direction::ServerToClient && prev->text.starts_with("334")) {
        x.heading = "SASL response";
        addDecoded(x, "decoded", e.text);
        return;
    }
    std::string_view verb = firstWord(e.text);
    const smtp::SmtpCommandInfo* info = verb.empty() ? nullptr : smtp::findSmtpCommand(verb);
    if (!info) {
        x.heading = "Command";
        x.notes.push_back(verb.empty() ? "An empty or non-alphabetic command line."
                                       : "Not a command this SMTP server knows: it answers 500.");
    } else {
        x.heading = "Command " + std::string(info->verb);
        x.facts.push_back({"syntax", std::string(info->syntax)});
        x.facts.push_back({"defined in", std::string(info->rfc)});
        x.facts.push_back({"meaning", std::string(info->explain.in(uiLang()))});
        if (info->removed) x.notes.push_back("Removed by RFC 5321 (Appendix F): servers answer 502.");
        else if (info->rfc821) x.notes.push_back("One of the original RFC 821 commands.");
        else x.notes.push_back("Not in RFC 821: added later.");
    }
    if (iequals(verb, "AUTH")) {  // RFC 4954: AUTH mechanism [initial-response], the response in base64
        std::string_view rest = std::string_view(e.text).substr(4);
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        auto sp = rest.find(' ');
        x.facts.push_back({"mechanism", std::string(rest.substr(0, sp))});
        if (sp != std::string_view::npos) addDecoded(x, "initial response", rest.substr(sp + 1));
        x.heading = "Command AUTH";
    }
}

void explainReply(const trace::Event& e, Explanation& x) {
    std::string_view text = e.text;
    int code = 0;
    if (text.size() >= 3 && std::isdigit(static_cast<unsigned char>(text[0])) &&
        std::isdigit(static_cast<unsigned char>(text[1])) && std::isdigit(static_cast<unsigned char>(text[2])))
        code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
    x.heading = code ? "Reply " + std::string(text.substr(0, 3)) : "Reply";
    if (!code) {
        x.notes.push_back("Not a well-formed reply: it does not start with a three-digit code.");
        return;
    }
    const bool continued = text.size() > 3 && text[3] == '-';
    std::string_view rest = text.size() > 4 ? text.substr(4) : std::string_view{};
    static constexpr const char* kFirst[] = {"", "1yz positive preliminary", "2yz done (positive completion)",
                                             "3yz go on (positive intermediate)", "4yz failed for now (transient)",
                                             "5yz failed for good (permanent)"};
    if (code / 100 >= 1 && code / 100 <= 5) x.facts.push_back({"first digit", kFirst[code / 100]});
    if (const smtp::CodeInfo* ci = smtp::explainCode(code)) {
        x.facts.push_back({"RFC 5321 meaning", std::string(ci->meaning.in(uiLang()))});
        if (ci->rfc821) x.notes.push_back("One of the 21 reply codes of RFC 821.");
    }
    std::string_view enhanced;
    if (auto sp = rest.find(' '); isEnhanced(rest.substr(0, sp))) {
        enhanced = rest.substr(0, sp);
        rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    }
    const smtp::ReplyInfo* best = nullptr;
    int bestScore = -1;
    for (const smtp::ReplyInfo& r : smtp::smtpReplies()) {
        if (r.code != code) continue;
        int s = templateScore(r.text, rest);
        if (s > bestScore) best = &r, bestScore = s;
    }
    if (best && bestScore >= 0) {
        x.facts.push_back({"this reply", std::string(best->explain.in(uiLang()))});
        x.facts.push_back({"defined in", std::string(best->rfc)});
        if (enhanced.empty() && !best->enhanced.empty())
            x.notes.push_back("The catalogue's enhanced status code is " + std::string(best->enhanced) +
                              "; it is sent only after EHLO (RFC 2034), so this HELO session does not see it.");
    }
    if (!enhanced.empty()) x.facts.push_back({"enhanced code " + std::string(enhanced), explainEnhancedCode(enhanced)});
    if (continued) x.notes.push_back("A '-' after the code: more lines of this reply follow (RFC 5321 4.2.1).");
    if (code == 334) addDecoded(x, "challenge decoded", rest);
}

}  // namespace

bool decodeBase64(std::string_view text, std::string& out) {
    out.clear();
    unsigned buffer = 0;
    int bits = 0, pad = 0, count = 0;
    for (char c : text) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+') v = 62;
        else if (c == '/') v = 63;
        else if (c == '=') { ++pad; ++count; continue; }
        else return false;
        if (pad) return false;  // data after padding
        ++count;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return count > 0 && count % 4 == 0 && pad <= 2;
}

std::string escapeBytes(std::string_view bytes) {
    std::string out;
    for (unsigned char c : bytes) {
        switch (c) {
        case 0: out += "\\0"; break;
        case '\r': out += "\\r"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out;
}

std::string explainEnhancedCode(std::string_view code) {
    if (!isEnhanced(code)) return {};
    std::string out = code[0] == '2' ? "success" : code[0] == '4' ? "persistent transient failure" : "permanent failure";
    static constexpr const char* kSubject[] = {"other or undefined status", "addressing status", "mailbox status",
                                               "mail system status", "network and routing status",
                                               "mail delivery protocol status", "message content or media status",
                                               "security or policy status"};
    std::size_t dot = code.find('.', 2);
    std::string_view subject = code.substr(2, dot - 2);
    if (subject.size() == 1 && subject[0] >= '0' && subject[0] <= '7') {
        out += ", ";
        out += kSubject[subject[0] - '0'];
    }
    out += " (RFC 3463)";
    return out;
}

void explainSmtpLine(const trace::Trace& trace, const trace::Event& e, Explanation& x) {
    if (e.role == trace::LineRole::Data) {
        x.heading = "Message content (DATA)";
        x.notes.push_back("Content, not a command: the server does not answer it. Only a line holding a single "
                          "\".\" ends the content (RFC 5321 4.1.1.4).");
        if (e.text == ".") {
            x.heading = "End of data";
            x.notes = {"CR LF . CR LF: the end-of-data marker. The server now stores the message and answers "
                       "250 only once it is safely kept."};
        } else if (e.text.starts_with('.')) {
            x.facts.push_back({"on the wire", e.text});
            x.facts.push_back({"stored as", e.text.substr(1)});
            x.notes.push_back("Dot-stuffing (RFC 5321 4.5.2): the client doubled the leading dot so this line "
                              "cannot be mistaken for the end of the message; the server removes one dot.");
        }
    } else if (e.direction == trace::Direction::ServerToClient) {
        explainReply(e, x);
    } else {
        explainCommand(trace, e, x);
    }
}

Explanation explainEvent(const trace::Trace& trace, const trace::Event& e) {
    Explanation x;
    using trace::EventKind;
    switch (e.kind) {
    case EventKind::Line: {
        // The session's protocol decides how a line reads (ProtocolModel.hpp's registry).
        const trace::SessionInfo* session = trace.session(e.session);
        const ProtocolSupport* protocol = session ? findProtocol(session->protocol) : nullptr;
        if (protocol) {
            protocol->explainLine(trace, e, x);
        } else {
            x.heading = e.direction == trace::Direction::ServerToClient ? "Server line" : "Client line";
            x.notes.push_back("No command table for this protocol yet.");
        }
        break;
    }
    case EventKind::StateChanged:
        x.heading = "State change";
        x.facts.push_back({"machine", e.machine});
        x.facts.push_back({"from", e.fromState});
        x.facts.push_back({"to", e.toState});
        x.facts.push_back({"caused by", e.text});
        break;
    case EventKind::StoreChanged:
        x.heading = "Mail store change";
        x.facts.push_back({"change", e.text});
        if (!e.detail.empty()) x.facts.push_back({"store id", e.detail});
        x.notes.push_back("See the Mailboxes panel for the folder as it is at this step.");
        break;
    case EventKind::ConnectionOpened: x.heading = "Connection opened"; x.facts.push_back({"endpoints", e.text}); break;
    case EventKind::ConnectionClosed: x.heading = "Connection closed"; x.facts.push_back({"how", e.text}); break;
    case EventKind::Note:
        if (e.machine == sim::kCheckpointMachine) {
            x.heading = "Checkpoint";
            x.facts.push_back({"name", e.text});
            x.notes.push_back("A named point of the scenario ('- checkpoint: " + e.text +
                              "'); lessons link here with [text](checkpoint:" + e.text + ").");
        } else {
            x.heading = "Narration";
            x.notes.push_back(e.text);
        }
        break;
    case EventKind::Expectation:
        x.heading = e.ok ? "Check held" : "Check failed";
        x.facts.push_back({"expected", e.text});
        x.facts.push_back({"got", e.detail});
        break;
    case EventKind::Error: x.heading = "Error"; x.notes.push_back(e.text); break;
    case EventKind::DnsQuery:
        x.heading = "DNS query";
        x.facts.push_back({"resolver", e.machine});
        x.facts.push_back({"question", e.text});
        x.notes.push_back("A sending server looks up the MX records of the recipient's domain (RFC 5321 5.1), "
                          "then the address of the chosen host.");
        break;
    case EventKind::DnsAnswer:
        x.heading = "DNS answer";
        x.facts.push_back({"answer", e.text});
        x.notes.push_back("MX records are tried in order of preference, lowest first; without MX the domain's own "
                          "A record is used (RFC 5321 5.1).");
        break;
    case EventKind::QueueAction:
        x.heading = "Mail queue";
        x.facts.push_back({"host", e.machine});
        x.facts.push_back({"action", e.text});
        if (!e.detail.empty()) x.facts.push_back({"detail", e.detail});
        x.notes.push_back("A 4xx reply or no connection keeps the mail queued for a later retry; a 5xx reply or a "
                          "queue lifetime exceeded returns it to the sender as a bounce (RFC 5321 4.5.4.1, 6.1).");
        break;
    case EventKind::RelayHop:
        x.heading = "Relay hop";
        x.facts.push_back({"hop", e.text});
        x.notes.push_back("Each hop is a direct TCP connection between two mail servers (RFC 5321 2.1).");
        break;
    case EventKind::FaultInjected: x.heading = "Fault"; x.notes.push_back(e.text); break;
    case EventKind::TlsHandshake:
        x.heading = e.ok ? "TLS handshake" : "TLS handshake failed";
        x.facts.push_back({"side", e.machine});
        x.facts.push_back({e.ok ? "negotiated" : "error", e.text});
        if (!e.detail.empty()) x.facts.push_back({"certificate", e.detail});
        x.notes.push_back("From here on every line travels inside TLS records: an eavesdropper sees only record "
                          "headers and lengths (RFC 8446 5.1), not the commands, passwords or mail.");
        break;
    case EventKind::TlsRecords:
        x.heading = "TLS records on the wire";
        x.facts.push_back({"records", e.text});
        x.notes.push_back("This is what a packet capture shows of a protected session: encrypted records.");
        break;
    }
    return x;
}

}  // namespace mailsim::gui

namespace mailsim::gui {
namespace {

bool sameStream(const trace::Event& a, const trace::Event& b) {
    return a.session == b.session && a.direction == b.direction;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

}  // namespace

WireView wireViewOf(const trace::Trace& trace, const trace::Event& line) {
    WireView w;
    if (line.kind != trace::EventKind::Line) return w;
    w.tls = line.tls;
    if (line.direction == trace::Direction::ClientToServer) {
        const trace::Event* prev = previousLine(trace, line);
        w.credentials = startsWithNoCase(line.text, "AUTH ") || startsWithNoCase(line.text, "AUTHENTICATE ") ||
                        (prev && prev->direction == trace::Direction::ServerToClient &&
                         (prev->text.starts_with("334") || prev->text.starts_with("+ ") || prev->text == "+"));
    }
    if (!w.tls) return w;
    // Which records carried it depends on who recorded them: a sender records its records after the lines it wrote
    // (server replies), a receiver before the lines it decrypted from them (the server recording what clients send,
    // in scenarios and in `mailsim serve`). So: the same session's and direction's records just before and just after
    // the line are the candidates, the lines between them are the group one of them carried; the one whose
    // application data is as long as the group's bytes wins (TLS 1.3 adds 17 octets per record, TLS 1.2 GCM 24,
    // ChaCha20 16); without an exact match, the direction decides (client to server: before, else after).
    constexpr std::size_t kLookAround = 512;  // events, so a huge trace costs a bounded scan
    const auto& events = trace.events();
    const trace::Event* before = nullptr;
    const trace::Event* after = nullptr;
    std::size_t group = 0, single = line.raw.size();
    for (std::size_t i = line.id, steps = 0; i > 0 && steps < kLookAround; --i, ++steps) {
        const trace::Event& e = events[i - 1];
        if (!sameStream(e, line)) continue;
        if (e.kind == trace::EventKind::TlsRecords) {
            before = &e;
            break;
        }
        if (e.kind == trace::EventKind::Line) group += e.raw.size();
    }
    group += line.raw.size();
    for (std::size_t i = line.id + 1, steps = 0; i < events.size() && steps < kLookAround; ++i, ++steps) {
        const trace::Event& e = events[i];
        if (!sameStream(e, line)) continue;
        if (e.kind == trace::EventKind::TlsRecords) {
            after = &e;
            break;
        }
        if (e.kind == trace::EventKind::Line) group += e.raw.size();
    }
    auto carries = [&](const trace::Event* r) {
        if (!r) return false;
        std::vector<std::size_t> lengths;  // application data records' payload lengths
        for (std::size_t at = 0; at + 5 <= r->raw.size();) {
            const auto type = static_cast<unsigned char>(r->raw[at]);
            const std::size_t len = (static_cast<unsigned char>(r->raw[at + 3]) << 8) | static_cast<unsigned char>(r->raw[at + 4]);
            if (type == 0x17) lengths.push_back(len);
            at += 5 + len;
        }
        for (std::size_t overhead : {17u, 24u, 16u}) {
            std::size_t total = 0;
            for (std::size_t len : lengths) {
                if (len >= overhead && len - overhead == single) return true;
                total += len >= overhead ? len - overhead : 0;
            }
            if (!lengths.empty() && total == group) return true;
        }
        return false;
    };
    const bool receiverFirst = line.direction == trace::Direction::ClientToServer;
    const trace::Event* preferred = receiverFirst ? before : after;
    const trace::Event* other = receiverFirst ? after : before;
    w.records = carries(preferred) ? preferred : carries(other) ? other : preferred ? preferred : other;
    return w;
}

}  // namespace mailsim::gui
