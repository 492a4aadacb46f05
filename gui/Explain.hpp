// What the event inspector says about one trace event, computed without ImGui from the engine's tables: the SMTP
// command table (smtp/SmtpStates.hpp) and reply catalogue (smtp/SmtpReplies.hpp).
//
// Contract
// - explainEvent() is called when the cursor moves (not per frame); its result is plain text for the panel.
// - Commands: verb, syntax, RFC section, explanation, RFC 821 / removed flags. Replies: the code's RFC 5321 meaning,
//   the catalogue entry whose text template matches the line (RFC section, explanation, enhanced code), and the
//   enhanced status code (RFC 3463) explained by class and subject.
// - DATA content lines that begin with "." are flagged as dot-stuffed (RFC 5321 4.5.2), with the unstuffed text.
// - AUTH exchanges (AUTH PLAIN/LOGIN initial responses, 334 challenges and the client's answers to them) are shown
//   base64-decoded, NUL bytes as "\0".
#pragma once

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
};

Explanation explainEvent(const trace::Trace& trace, const trace::Event& e);

// Standard base64 (RFC 4648) decoding; false when `text` is not valid base64.
bool decodeBase64(std::string_view text, std::string& out);
// Bytes made printable: control bytes as \0, \r, \n, \t or \xNN.
std::string escapeBytes(std::string_view bytes);
// The meaning of an RFC 3463 enhanced status code "c.s.d" ("" when `code` is not one).
std::string explainEnhancedCode(std::string_view code);

}  // namespace mailsim::gui
