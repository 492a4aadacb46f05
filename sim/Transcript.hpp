// Renders a trace as text (the textbook `S:`/`C:` form with state transitions interleaved) or JSON.
#pragma once

#include "trace/Trace.hpp"

#include <string>

namespace mailsim::sim {

struct TranscriptOptions {
    bool times = false;        // prefix each line with its time
    bool states = true;        // show state transitions
    bool sessionHeaders = true;  // a header line when the session changes
    trace::EventId until = trace::kNoCause;  // stop after this event (mailsim run --until CHECKPOINT)
};

// One event as a transcript line ("S: 220 cesoo.com Service ready", "   [smtp] INITIAL -> READY (HELO)", ...);
// empty for events the transcript does not show.
std::string formatEvent(const trace::Trace& trace, const trace::Event& event, const TranscriptOptions& options = {});
std::string formatTranscript(const trace::Trace& trace, const TranscriptOptions& options = {});
// The whole trace as one JSON document: {"sessions":[...],"events":[...]}.
std::string formatJson(const trace::Trace& trace);

}  // namespace mailsim::sim
