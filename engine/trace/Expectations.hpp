// The words of the scenario expectations (trace::ExpectationCheck, schema 1.3): what was expected and what happened,
// in English and Chinese, rendered from the typed facts. trace/Render.hpp's describe() and renderEvent() call it; the
// simulator writes the English of both into the event's `text` and `detail`, so a 1.x reader still has them.
//
// Contract
// - Every ExpectKind and every ExpectReason has an English and a Chinese rendering (tests/test_trace_notes.cpp).
// - The English is the wording the runner has always written ("250 containing \"OK\"", "rose@cesoo.com accepted",
//   "2 messages fetched", "found 2"); the Chinese follows it with lessons/glossary.md's terms.
// - What came from the wire (a reply, its code and text) and a lower layer's words (`detail`) are shown as given.
// - Pure functions: no clock, no I/O.
#pragma once

#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <string>

namespace mailsim::trace {

// What was expected: "250 containing \"OK\"" / "250（应包含“OK”）".
std::string expectedText(const ExpectationCheck& c, i18n::Lang lang);
// What happened: the reply as received, or why none came; the outcome or the count the user agent saw.
std::string gotText(const ExpectationCheck& c, i18n::Lang lang);

// The same for an Expectation event: from its payload, or (a 1.x trace) its `text` and `detail` as recorded.
std::string expectedText(const Event& e, i18n::Lang lang);
std::string gotText(const Event& e, i18n::Lang lang);

}  // namespace mailsim::trace
