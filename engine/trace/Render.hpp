// The words of the trace: the one place where events become sentences, per kind and per language (en, zh).
//
// Contract
// - Producers record facts (trace/Trace.hpp's typed payloads); everything a person reads about an event is made
//   here: the transcript of `mailsim run`/`serve`/`predict`/`sandbox`, the GUI's rows and labels, the exports'
//   text, the JSON's human-readable `text`. No reader composes or parses event sentences itself.
// - Protocol lines (Line events) are never translated: "C: "/"S: " and the bytes as sent.
// - The English rendering of every kind is stable (tests and lessons quote it); the Chinese one follows it.
// - Pure functions: no clock, no I/O (the time of a retry is formatted from the event's own data).
#pragma once

#include "i18n/Lang.hpp"
#include "trace/Expectations.hpp"  // expectedText, gotText: an Expectation's two sides
#include "trace/Trace.hpp"

#include <string>

namespace mailsim::trace {

struct RenderOptions {
    i18n::Lang lang = i18n::Lang::En;
    bool states = true;  // StateChanged lines are shown
};

// The sentence of `e` without the transcript's tag ("rose@cesoo.com INBOX uid 1 appended (24 octets)", "MX-1
// delivered to ..."), for labels and inspectors. For Line, StateChanged and TlsRecords (and an
// Error of a 1.x trace, which has no report): their `text`.
std::string describe(const Event& e, i18n::Lang lang);

// The transcript line of `e` without its time ("   [store] ...", "S: 250 OK"), or "" for an event the transcript
// does not show (TLS records, a check that held, a state change when `states` is off).
std::string renderEvent(const Trace& trace, const Event& e, const RenderOptions& options = {});

// The short form for a diagram's label: a store change as "user folder uid N action", a relay hop as "result  message
// id" (the arrow shows from and to), a queue action or DNS event as its sentence; else describe().
std::string shortLabel(const Event& e, i18n::Lang lang);

// "--- session 2: smtp, mike-pc -> mail.cesoo.com:25 ---"
std::string sessionHeader(const SessionInfo& s, i18n::Lang lang);

// The names a reader shows for a kind's enum values (e.g. a fault's kind, a queue action), in `lang`.
std::string_view label(QueueOp op, i18n::Lang lang);
std::string_view label(FaultKind kind, i18n::Lang lang);
std::string_view label(TlsSide side, i18n::Lang lang);

}  // namespace mailsim::trace
