// Predict mode: before a server reply is revealed, the student guesses it; the run is scored and every miss is
// explained from the reply catalogues (engine/smtp/SmtpReplies.hpp, engine/pop3/Pop3Replies.hpp,
// engine/imap/ImapReplies.hpp). One implementation for `mailsim predict` (sim/cli/CliPredict.cpp) and the GUI's Predict
// panel (gui/panels/PredictPanel.cpp, through gui/PredictSession.hpp). Works on any trace: no scenario authoring.
//
// Contract
// - predictionPoints(trace) lists, in trace order, every server Line that is the first line of a reply:
//   SMTP: a reply line ("250 ...", "250-..."), multi-line replies counted once (a line after "NNN-" is not a point);
//         the answer is the 3-digit code.
//   POP3: a status line; the answer is "+OK" or "-ERR" (continuations "+ ..." and multi-line content are not points).
//   IMAP: a tagged completion; the answer is "OK", "NO" or "BAD" (untagged data and "+" are not points).
//   With `states`, also every StateChanged event of a server's machine; the answer is the state entered (a client's
//   machine, "smtp-client", asks nothing: what a client sends next is its user's choice, not the protocol's answer).
// - Each point names the client line it answers (SMTP/POP3: commands are answered in order, so the oldest
//   unanswered command of the session; the end-of-data "." counts as one; IMAP: the command with the same tag);
//   none for a greeting.
// - Choices: the correct answer plus distractors, 2..5 in all, in a fixed order (SMTP: ascending codes). SMTP
//   distractors are drawn from the codes RFC 5321 4.3.2 lists for the command answered (and the catalogue's codes
//   for others), picked by a hash of the event's id and text: the same trace always gives the same choices, so a
//   class sees the same questions. POP3 always offers +OK/-ERR, IMAP OK/NO/BAD (all the protocol has).
// - judge() compares a guess (case and surrounding blanks ignored) with the answer and, right or wrong, explains
//   both from the catalogue: the correct reply's catalogue entry matched on the actual line (meaning, RFC section),
//   and what the chosen answer would have meant (its catalogue entry for that command, or the generic meaning),
//   in the language asked for (the catalogues carry English and Chinese).
// - A point's `effects` (what the reply causes that the trace records before the reply line: the store change of
//   an accepted message, queue actions, the server's state change) stay hidden until it is answered (CLI and GUI).
#pragma once

#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::sim {

enum class PredictKind : std::uint8_t { Reply, State };

struct PredictPoint {
    trace::EventId event = 0;                      // the reply line (or the StateChanged event)
    trace::SessionId session = trace::kNoSession;
    PredictKind kind = PredictKind::Reply;
    std::string protocol;                          // "smtp", "pop3", "imap"
    std::string answer;                            // "250", "+OK", "NO", or the state entered
    std::vector<std::string> choices;              // includes `answer`
    trace::EventId prompt = trace::kNoCause;       // the client line it answers (kNoCause: the connection itself)
    std::string promptText;                        // that line's text ("" for a greeting); for states, the cause
    // Events between `prompt` and `event` that reveal the answer (the store line of an accepted message, queue
    // actions, the server's state change when states are not asked): shown only once the point is answered.
    std::vector<trace::EventId> effects;
    // The first event to keep hidden while the point is open: the first effect, else the reply itself.
    trace::EventId hideFrom() const { return effects.empty() ? event : effects.front(); }
};

struct PredictOptions {
    bool states = false;  // the servers' state changes are points too
    // Which points to ask (the others are shown as they are): only after this event (a checkpoint's, see
    // sim::findCheckpoint), only of this session, only of this protocol ("smtp", "pop3", "imap"). Defaults: all.
    std::optional<trace::EventId> from = std::nullopt;
    trace::SessionId session = trace::kNoSession;
    std::string protocol = {};
};

std::vector<PredictPoint> predictionPoints(const trace::Trace& trace, const PredictOptions& options = {});

// What one answer means, from the catalogue.
struct AnswerMeaning {
    std::string answer;   // "250", "-ERR", ...
    std::string meaning;  // the protocol's generic meaning (RFC 5321 4.2 wording, RFC 1939 3, RFC 3501 7.1.x)
    std::string explain;  // the catalogue entry's one-line explanation ("" when none fits)
    std::string rfc;      // that entry's RFC section ("" when none)
};

struct PredictFeedback {
    bool correct = false;
    std::string chosen;      // as normalised ("250", "+OK", "NO")
    std::string question;    // 'the server's reply to "RCPT TO:<rose@cesoo.com>"', 'the greeting', ...
    AnswerMeaning right;     // the reply that came
    AnswerMeaning wrong;     // what the chosen one would have meant (empty when correct)
};

// "250", " +ok " -> "+OK", "no" -> "NO"; state names are matched case-insensitively against the choices.
std::string normaliseGuess(const PredictPoint& point, std::string_view guess);
PredictFeedback judge(const trace::Trace& trace, const PredictPoint& point, std::string_view guess,
                      i18n::Lang lang = i18n::Lang::En);

// For the terminal: "Wrong: ... " / "Right: ..." ("答错了：" / "答对了：") and the reasons, one fact per line.
std::string formatFeedback(const PredictFeedback& feedback, i18n::Lang lang = i18n::Lang::En);
// 'the server's reply to "MAIL FROM:<mike@cesoo.com>"' / 'the server's greeting' / 'the next state of smtp'.
std::string describeQuestion(const PredictPoint& point, i18n::Lang lang = i18n::Lang::En);

struct PredictScore {
    std::size_t correct = 0;
    std::size_t answered = 0;
    std::size_t total = 0;  // points in the run
};

}  // namespace mailsim::sim
