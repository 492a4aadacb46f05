// The notes catalogue: the sentence of every engine and simulator explanation (trace::Explanation), in English and
// Chinese, rendered from its typed arguments. One entry per NoteId; trace/Render.hpp's describe() and renderEvent()
// call it for a Note that carries an Explanation.
//
// Contract
// - Every NoteId has an English and a Chinese sentence (tests/test_trace_notes.cpp renders each in both languages and
//   fails when the Chinese is missing or equals the English). The Chinese uses lessons/glossary.md's terms.
// - The arguments are read by position as Trace.hpp's NoteId comments list them; a missing argument renders as empty
//   or 0 (a trace read from JSON may be short), never as a crash.
// - RFC citations are data (`rfc`) and appear in both languages; protocol tokens (verbs, reply codes, flags, state
//   names such as NOT AUTHENTICATED) stay as on the wire.
// - An explanation's `detail` (a lower layer's own words) is appended as "; problem: ..." / "；问题：...".
// - Pure functions: no clock, no I/O.
#pragma once

#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <string>

namespace mailsim::trace {

// The sentence of `x` in `lang`.
std::string explain(const Explanation& x, i18n::Lang lang);

// One recipient's result as the user agent saw it ("accepted (250 OK); delivered to the mailbox"), for UaSent and
// for the scenario expectations that compare it.
std::string recipientResult(const NoteItem& item, i18n::Lang lang);

// The number of entries in the catalogue (every NoteId has one).
std::size_t noteCount();

}  // namespace mailsim::trace
