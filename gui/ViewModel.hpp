// The view model: the trace folded into what the panels draw. Built once per loaded scenario (no work per frame).
//
// - One Row per event that the textbook transcript shows (sim::formatEvent non-empty), in trace order. A "step" of the
//   cursor is one row.
// - Each row knows its focus session (the row's own session, or for scenario-level rows such as notes, the latest
//   session before it) and the last StateChanged event of that session at or before the row, so the state at the
//   cursor is an O(1) look-up.
// - Each row also knows the last narration note at or before it, so the story so far is one look-up too.
// - The Cursor is the one piece of shared, mutable navigation state; panels read it and ask it to move.
#pragma once

#include "Api.hpp"
#include "trace/Trace.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mailsim::gui {

enum class RowKind : std::uint8_t { Client, Server, State, Note, Connection, Store, CheckOk, CheckFailed, Error };

struct Row {
    trace::EventId event = 0;
    trace::SessionId session = trace::kNoSession;  // the event's own session
    trace::SessionId focus = trace::kNoSession;    // session whose state is shown when the cursor is here
    trace::EventId stateEvent = trace::kNoCause;   // last StateChanged of `focus` at or before this row
    trace::EventId noteEvent = trace::kNoCause;    // last narration Note at or before this row
    RowKind kind = RowKind::Note;
    double seconds = 0.0;                          // seconds since the first event of the trace
    std::string text;                              // the transcript line
};

class ViewModel {
public:
    ViewModel() = default;
    explicit ViewModel(const sim::RunResult& result);

    std::span<const Row> rows() const { return m_rows; }
    std::size_t size() const { return m_rows.size(); }
    bool empty() const { return m_rows.empty(); }
    const Row& row(std::size_t index) const { return m_rows[index]; }
    const trace::Trace* trace() const { return m_trace; }

    // The row showing event `id`, or the last row before it when that event is not shown.
    std::optional<std::size_t> rowOfEvent(trace::EventId id) const;
    // Every character the rows use, for the font atlas.
    const std::string& allText() const { return m_allText; }

private:
    const trace::Trace* m_trace = nullptr;
    std::vector<Row> m_rows;
    std::string m_allText;
};

// The position in the trace, plus playback. Positions are row indices; an empty model has position 0.
class Cursor {
public:
    void reset(std::size_t count, std::size_t position);
    std::size_t position() const { return m_position; }
    std::size_t count() const { return m_count; }
    bool atEnd() const { return m_count == 0 || m_position + 1 >= m_count; }

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
    std::uint64_t m_generation = 0;
    bool m_playing = false;
    double m_interval = 0.7;
    double m_nextStepAt = 0.0;
};

}  // namespace mailsim::gui
