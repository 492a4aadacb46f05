// The view model: the trace folded into what the panels draw. Built once per loaded scenario, without ImGui (the
// gui_viewmodel tests link it alone); nothing here is recomputed per frame.
//
// Contract
// - One Row per event that the textbook transcript shows (sim::formatEvent non-empty), in trace order. A "step" of the
//   cursor is one row; "the cursor is at row k" means every event up to and including row k's event has happened.
// - Each row knows its focus session (the row's own session, or for scenario-level rows such as notes, the latest
//   session before it), the last StateChanged event of that session's server machine at or before the row, and the
//   narration note that belongs to it (see "Narration" below): the state at the cursor is O(1).
// - A session has two machines: the server's ("smtp") and the client's ("smtp-client", trace::isClientMachine), both
//   recorded in the simulator. The rows, "the state" (stateEvent, stateAt, stepping by state transition, the
//   narration's phases, pause at a state change) and the sequence diagram are the server's, as they always were;
//   the client's moves are no rows (the transcript shows the dialogue and the server's states), and clientStateAt
//   answers for the client's side of the state panel: its last move among the events up to the row.
// - Narration (issue #14: no stale notes). A row shows the most recent of these that still holds, or none:
//   * a session's own note (an engine's, e.g. "AUTH: logged in ...") on the rows of that session only, so it is not
//     shown on another session's rows (a server-to-server hop) nor after its session ended;
//   * a scenario note (session 0, the scenario's `note:` steps) from its row until the story moves on: the next
//     scenario note, an idle gap (kIdleGapSeconds without events: "2 h later", a retry or a wait), or the first
//     state change into another phase than the one the note introduced (the phase of the first state change after
//     it, from the protocol's table: SMTP connection set-up / mail transfer / release, POP3 and IMAP likewise).
// - For any session, stateAt(session, k) answers "which StateChanged of that session was last at or before row k" by
//   binary search over that session's state-change rows (O(log n)), clientStateAt the same for its client's machine;
//   nextStateRow/previousStateRow step the cursor by (server) state transition the same way.
// - Mailboxes (Mailboxes.hpp), the network map (NetworkModel.hpp) and the sequence diagram layout
//   (SequenceLayout.hpp) are built from the same rows. nextHopRow/previousHopRow step by relay hop like the states.
// - The Cursor is the one piece of shared, mutable navigation state; panels read it and ask it to move.
#pragma once

#include "sim/world/Api.hpp"
#include "Mailboxes.hpp"
#include "NetworkModel.hpp"
#include "SequenceLayout.hpp"
#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsim::gui {

enum class RowKind : std::uint8_t { Client, Server, State, Note, Connection, Store, CheckOk, CheckFailed, Error };

struct Row {
    trace::EventId event = 0;
    trace::SessionId session = trace::kNoSession;  // the event's own session
    trace::SessionId focus = trace::kNoSession;    // session whose state is shown when the cursor is here
    trace::EventId stateEvent = trace::kNoCause;   // last StateChanged of `focus`'s server machine at or before this row
    trace::EventId noteEvent = trace::kNoCause;    // the narration Note that belongs to this row, or kNoCause
    RowKind kind = RowKind::Note;
    double seconds = 0.0;                          // seconds since the first event of the trace
    std::string text;                              // the transcript line
};

inline constexpr std::size_t kNoRow = ~std::size_t{0};

// A pause in the trace longer than this is an idle gap: it ends a scenario note and the time axis compresses it.
inline constexpr double kIdleGapSeconds = 30.0;

class ViewModel {
public:
    ViewModel();
    // Rows and labels in `lang` (trace/Render.hpp; protocol lines are never translated). `result` must outlive the
    // model and stay where it is; its trace may grow (see extend()).
    explicit ViewModel(const sim::RunResult& result, i18n::Lang lang = i18n::Lang::En);
    ~ViewModel();
    ViewModel(ViewModel&&) noexcept;
    ViewModel& operator=(ViewModel&&) noexcept;
    i18n::Lang lang() const { return m_lang; }

    // One incremental source (issue #13): the result's trace gained events and sessions at its end (nothing before
    // them changed). Rows, labels, narration, the time axis and the mailbox, network and sequence models extend from
    // the last event folded: O(new events), not a rebuild. Returns the number of rows added.
    std::size_t extend();
    // The events of the trace folded so far.
    std::size_t eventsSeen() const;

    std::span<const Row> rows() const { return m_rows; }
    std::size_t size() const { return m_rows.size(); }
    bool empty() const { return m_rows.empty(); }
    const Row& row(std::size_t index) const { return m_rows[index]; }
    const trace::Trace* trace() const { return m_trace; }
    // The seconds of every row, contiguous (for binary search along the time axis).
    std::span<const double> rowSeconds() const { return m_seconds; }
    // The time axis with idle gaps compressed (SequenceLayout.hpp): positions per row and the pauses.
    std::span<const double> timePositions() const { return m_timeAxis.positions; }
    std::span<const IdleGap> idleGaps() const { return m_timeAxis.gaps; }

    // The row showing event `id`, or the last row before it when that event is not shown.
    std::optional<std::size_t> rowOfEvent(trace::EventId id) const;

    // The last StateChanged event of `session`'s server machine at or before row `k` (kNoCause when none yet). O(log n).
    trace::EventId stateAt(trace::SessionId session, std::size_t k) const;
    // The last StateChanged event of `session`'s client machine ("smtp-client") among the events up to row `k`'s
    // (kNoCause when none yet: the client is in its table's first state). O(log n).
    trace::EventId clientStateAt(trace::SessionId session, std::size_t k) const;
    // The first state-change row after `k` / the last one before `k`; kNoRow when there is none.
    std::size_t nextStateRow(std::size_t k) const;
    std::size_t previousStateRow(std::size_t k) const;
    std::span<const std::size_t> stateRows() const { return m_stateRows; }
    // The same for relay hops (RelayHop rows): "step by hop". O(log n).
    std::size_t nextHopRow(std::size_t k) const;
    std::size_t previousHopRow(std::size_t k) const;
    std::span<const std::size_t> hopRows() const { return m_hopRows; }

    const MailboxModel& mailboxes() const { return m_mailboxes; }
    const SequenceModel& sequence() const { return m_sequence; }
    const NetworkModel& network() const { return m_network; }

    // The short label of a row's typed event (store change, relay hop, queue action, DNS; trace::shortLabel), made once
    // at build time so drawing allocates nothing; "" for other rows. O(log n).
    std::string_view label(std::size_t row) const;

    // The narration of a Note or Handover event in the view's language: the scenario's own text ({en, zh}) when it
    // has one, else the trace's renderer (trace::describe); made once at build time. "" for another event. O(log n).
    std::string_view noteText(trace::EventId note) const;

    // Every character the rows use, for the font atlas.
    const std::string& allText() const { return m_allText; }

private:
    struct Progress;
    void observe(const trace::Event& e);

    const sim::RunResult* m_result = nullptr;
    const trace::Trace* m_trace = nullptr;
    i18n::Lang m_lang = i18n::Lang::En;
    std::vector<Row> m_rows;
    std::vector<std::pair<std::size_t, std::string>> m_labels;  // (row, label), ascending rows
    std::vector<std::pair<trace::EventId, std::string>> m_notes;  // (note event, narration), ascending events
    std::vector<double> m_seconds;
    TimeAxis m_timeAxis;
    std::vector<std::size_t> m_stateRows;                     // rows of the servers' StateChanged events, ascending
    std::vector<std::vector<std::size_t>> m_sessionStateRows;  // per session id, ascending
    std::vector<std::vector<trace::EventId>> m_sessionClientStates;  // the clients' moves (events), per session id, ascending
    std::vector<std::size_t> m_hopRows;                       // rows of RelayHop events, ascending
    MailboxModel m_mailboxes;
    NetworkModel m_network;
    SequenceModel m_sequence;
    std::string m_allText;
    std::unique_ptr<Progress> m_progress;  // the fold's state between extend() calls
};

// The position in the trace, plus playback. Positions are row indices; an empty model has position 0.
class Cursor {
public:
    void reset(std::size_t count, std::size_t position);
    std::size_t position() const { return m_position; }
    std::size_t count() const { return m_count; }
    bool atEnd() const { return m_count == 0 || m_position + 1 >= m_count || m_position >= m_limit; }
    // The last position the cursor may take (predict mode keeps it before an unanswered reply); kNoRow: none.
    // A position beyond the new limit is pulled back to it.
    void setLimit(std::size_t limit);
    // The model grew (a live trace): the count changes, the position stays, or moves to the new end when `follow`.
    // Playback goes on; the generation changes only when the position does.
    void grow(std::size_t count, bool follow);
    std::size_t limit() const { return m_limit; }

    void set(std::size_t position);
    void step(long delta);
    void home() { set(0); }
    void end() { set(m_count == 0 ? 0 : m_count - 1); }

    // Bumped whenever the position changes, so views can react once (e.g. scroll the cursor line into view).
    std::uint64_t generation() const { return m_generation; }

    bool playing() const { return m_playing; }
    void setPlaying(bool playing, double now);
    void togglePlaying(double now) { setPlaying(!m_playing, now); }
    double interval() const { return m_interval; }
    void setInterval(double seconds) { m_interval = seconds; }
    // Advances one step per interval while playing; stops at the end. Returns true when it moved.
    bool tick(double now);

private:
    std::size_t m_position = 0;
    std::size_t m_count = 0;
    std::size_t m_limit = kNoRow;
    std::uint64_t m_generation = 0;
    bool m_playing = false;
    double m_interval = 0.7;
    double m_nextStepAt = 0.0;
};

}  // namespace mailsim::gui
