// The errors catalogue: the sentence of every Error event (trace::ErrorReport) and of every reason why a connection
// could not be made (trace::ConnectFailure), in English and Chinese, rendered from their typed arguments. One entry
// per ErrorId and per ConnectFailure; trace/Render.hpp's describe() and renderEvent() call it, and the simulator
// renders a connect failure's English here for the text of a bounce (DSN content is mail, in English).
//
// Contract
// - Every ErrorId and every ConnectFailure has an English and a Chinese sentence (tests/test_trace_notes.cpp renders
//   each in both languages; the Chinese holds no English words besides its arguments and protocol tokens).
// - The arguments are read by position as Trace.hpp's ErrorId comments list them; a missing argument renders as
//   empty or 0 (a trace read from JSON may be short), never as a crash.
// - `detail` (a store's errno text, a malformed line as received, a server's reply text) is shown as given, never
//   translated; protocol tokens (verbs, states, the RFC citation) stay as on the wire.
// - Pure functions: no clock, no I/O.
#pragma once

#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <string>
#include <string_view>

namespace mailsim::trace {

// The sentence of an Error event's report in `lang`.
std::string errorText(const ErrorReport& report, i18n::Lang lang);

// Why a connection could not be made: "mx.example.org is down: no answer, connection timed out" /
// "mx.example.org 已宕机：没有应答，连接超时". `detail`: the lower layer's words (SystemError, BadAddress); with
// ConnectFailure::None (a 1.x trace) the detail alone.
std::string connectFailureText(ConnectFailure failure, std::string_view host, std::string_view detail, i18n::Lang lang);
// Why the SMTP client failed a recipient itself (trace::ClientReason), with its argument (`detail`: the line received,
// the server's refusal, the server's name), in `lang`. The English is the client's own wording of old, which the DSN
// of a relay still carries as mail content.
std::string clientReasonText(ClientReason reason, std::string_view detail, i18n::Lang lang);

// The number of entries in the catalogue (every ErrorId has one, in order).
std::size_t errorCount();

}  // namespace mailsim::trace
