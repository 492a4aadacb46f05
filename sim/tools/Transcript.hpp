// Renders a trace as text (the textbook `S:`/`C:` form with state transitions interleaved) or JSON.
#pragma once

#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <map>
#include <string>

namespace mailsim::sim {

struct TranscriptOptions {
    bool times = false;        // prefix each line with its time
    bool states = true;        // show state transitions
    bool sessionHeaders = true;  // a header line when the session changes
    trace::EventId until = trace::kNoCause;  // stop after this event (mailsim run --until CHECKPOINT)
    i18n::Lang lang = i18n::Lang::En;        // the annotations' language (protocol lines are never translated)
    // The run's scenario texts (RunResult::scenarioText), when the trace comes from a scenario: a checkpoint's label
    // is shown after its name ("== checkpoint: message-sent (Sent with angle brackets)"), in `lang`.
    const std::map<trace::EventId, i18n::LocalText>* scenarioText = nullptr;
};

// One event as a transcript line ("S: 220 cesoo.com Service ready", "   [smtp] INITIAL -> READY (HELO)", ...);
// empty for events the transcript does not show.
std::string formatEvent(const trace::Trace& trace, const trace::Event& event, const TranscriptOptions& options = {});
std::string formatTranscript(const trace::Trace& trace, const TranscriptOptions& options = {});
// The whole trace as one JSON document: {"sessions":[...],"events":[...]}, each event as appendEventJson writes it.
std::string formatJson(const trace::Trace& trace);

// The ids an event is written with: its own, or (`mailsim serve --trace-out`, one Trace per connection) ids made
// global across connections by the writer.
struct JsonEventIds {
    trace::EventId id = 0;
    trace::SessionId session = trace::kNoSession;
    trace::EventId cause = trace::kNoCause;
};
// One event as a JSON object on one line (no newline): id, time, session, cause (null when none), kind, iso_time,
// text, and per kind direction/role/tls, the bytes (`raw` when they are UTF-8 text, else `raw_hex`; TLS records are
// always `raw_hex`), machine/from/to, host/from_host/to_host, detail, ok. With `sessionInfo`, the session's
// description is embedded as "session_info" (the trace-out stream does this on a session's first event).
// The one event encoder of formatJson and of `mailsim serve --trace-out`; sim/tools/LiveTrace.hpp reads it back.
void appendEventJson(std::string& out, const trace::Event& event, const JsonEventIds& ids,
                     const trace::SessionInfo* sessionInfo = nullptr);
// A session's description as a JSON object: id, opened, protocol, client, server[, client_endpoint, server_endpoint].
void appendSessionJson(std::string& out, const trace::SessionInfo& session, trace::SessionId id);

}  // namespace mailsim::sim
