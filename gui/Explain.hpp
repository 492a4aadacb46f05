// What the event inspector says about one trace event, computed without ImGui from the engine's tables: per protocol
// (the registry in ProtocolModel.hpp) its command table and reply catalogue: SMTP (smtp/SmtpStates.hpp,
// smtp/SmtpReplies.hpp) and POP3 (pop3/Pop3States.hpp, pop3/Pop3Replies.hpp).
//
// Contract
// - explainEvent() is called when the cursor moves (not per frame); its result is plain text for the panel.
// - Commands: verb, syntax, RFC section, explanation, RFC 821 / removed flags. Replies: the code's RFC 5321 meaning,
//   the catalogue entry whose text template matches the line (RFC section, explanation, enhanced code), and the
//   enhanced status code (RFC 3463) explained by class and subject.
// - DATA content lines that begin with "." are flagged as dot-stuffed (RFC 5321 4.5.2), with the unstuffed text.
// - POP3: commands from the command table (syntax, RFC section, multi-line answer), +OK/-ERR status lines matched
//   against the reply catalogue (RFC section, explanation) with their RFC 2449/3206 response code explained, lines of
//   a multi-line answer with byte-stuffing undone, and the terminating ".".
// - AUTH exchanges (AUTH PLAIN/LOGIN initial responses, 334 challenges and the client's answers to them) are shown
//   base64-decoded, NUL bytes as "\0".
#pragma once

#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mailsim::gui {

struct Fact {
    std::string label;
    std::string value;
};

struct Explanation {
    std::string heading;            // "Command MAIL", "Reply 250", "State change", ...
    std::vector<Fact> facts;        // label: value pairs, in display order
    std::vector<std::string> notes; // sentences for students (dot-stuffing, base64, ...)
    i18n::Lang lang = i18n::Lang::En;  // the language of labels and notes (wire text stays as it was)
};

// Labels, headings and notes in `lang` (the catalogues carry English and Chinese).
Explanation explainEvent(const trace::Trace& trace, const trace::Event& e, i18n::Lang lang = i18n::Lang::En);

// The eavesdropper's view of a Line (issue #6): whether it crossed the wire inside TLS and, if so, the TlsRecords
// event that carried it (same session and direction: the records sent right after a line the session wrote, the
// records received right before a line the session read; nullptr when the trace has none, e.g. not yet in a live
// trace), and whether it carries credentials (an AUTH command or a SASL response to a 334 / "+" challenge).
struct WireView {
    bool tls = false;
    const trace::Event* records = nullptr;
    bool credentials = false;
};
WireView wireViewOf(const trace::Trace& trace, const trace::Event& line);

// The line explainers, one per protocol (registered in ProtocolModel.cpp).
void explainSmtpLine(const trace::Trace& trace, const trace::Event& e, Explanation& x);
void explainPop3Line(const trace::Trace& trace, const trace::Event& e, Explanation& x);
void explainImapLine(const trace::Trace& trace, const trace::Event& e, Explanation& x);

// Shared by the explainers: how well a catalogue template with {placeholders} matches `text` (literal characters
// matched in order; -1 when a literal part is missing), the previous line of the same session (bounded look-back),
// and a fact with base64-decoded SASL data plus the note that base64 is not encryption.
int templateScore(std::string_view tmpl, std::string_view text);
const trace::Event* previousLine(const trace::Trace& trace, const trace::Event& e);
void addDecoded(Explanation& x, std::string_view label, std::string_view b64);

// Every character the Chinese explanations may need, for the font atlas (built once per load, not per frame): the
// Chinese of the reply catalogues and command tables, plus the Chinese explanations of the first `maxEvents` events.
std::string explanationGlyphText(const trace::Trace& trace, std::size_t maxEvents);

// Standard base64 (RFC 4648) decoding; false when `text` is not valid base64.
bool decodeBase64(std::string_view text, std::string& out);
// Bytes made printable: control bytes as \0, \r, \n, \t or \xNN.
std::string escapeBytes(std::string_view bytes);
// The meaning of an RFC 3463 enhanced status code "c.s.d" ("" when `code` is not one).
std::string explainEnhancedCode(std::string_view code, i18n::Lang lang = i18n::Lang::En);

}  // namespace mailsim::gui
