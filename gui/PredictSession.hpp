// The GUI side of predict mode, without ImGui: which prediction points (sim/tools/Predict.hpp, the model the CLI's
// `mailsim predict` uses too) sit at which transcript row, which are answered, the score, and the gate that keeps the
// cursor before the first unanswered reply.
//
// Contract
// - Built once per loaded document (points and their rows); nothing here is recomputed per frame.
// - When enabled, gateRow() is the first row hidden by the first point not yet answered or skipped (the reply's
//   first effect, such as the store line before a 250, else the reply itself); the cursor may not reach it
//   (cursorLimit() = gateRow() - 1, applied with Cursor::setLimit), and the transcript and sequence diagram show
//   nothing from that row on except a "?" for the hidden reply.
// - Turning predict mode on skips the points at or before the cursor (they were already seen). answer() records the
//   guess, judges it from the catalogue (sim::judge), moves the gate past the point and puts the cursor on the
//   revealed line. Stepping back never re-asks an answered point. resetScore() forgets every answer and moves the
//   cursor to the first row. The ViewModel given to the constructor must outlive the session.
#pragma once

#include "sim/tools/Predict.hpp"
#include "ViewModel.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::gui {

class PredictSession {
public:
    enum class Status : std::uint8_t { Open, Right, Wrong, Skipped };

    PredictSession() = default;
    explicit PredictSession(const ViewModel& view, sim::PredictOptions options = {});

    // Ask the next protocol state at state changes too (or not): the points are found again and the score starts
    // over (points behind the cursor are skipped while predict mode is on).
    bool includesStates() const { return m_options.states; }
    void setIncludeStates(bool on, Cursor& cursor);
    // Ask only the replies of one protocol ("smtp", "pop3", "imap"; "" = all), like `mailsim predict --protocol`:
    // the points are found again and the score starts over (points behind the cursor are skipped while on). To start
    // at a checkpoint, move the cursor there first: turning predict mode on skips what is behind it (--from).
    const std::string& protocol() const { return m_options.protocol; }
    void setProtocol(std::string protocol, Cursor& cursor);

    std::size_t size() const { return m_points.size(); }
    const sim::PredictPoint& point(std::size_t i) const { return m_points[i]; }
    std::size_t rowOf(std::size_t i) const { return m_rows[i]; }
    Status status(std::size_t i) const { return m_status[i]; }

    bool enabled() const { return m_enabled; }
    // On: points at or before `cursor` are skipped. Off: the gate opens (answers and score are kept).
    void setEnabled(bool on, Cursor& cursor);

    // The first open point (kNoRow when off or none is left).
    std::size_t gatePoint() const;
    std::size_t gateRow() const;
    // The last position the cursor may take (kNoRow: no limit).
    std::size_t cursorLimit() const;
    // The point asked now: the gate's, when the cursor stands just before it; kNoRow otherwise.
    std::size_t question(const Cursor& cursor) const;

    // Answers the question at the gate with `choice`; reveals the line (the cursor moves onto it). False when
    // there is no question.
    bool answer(std::string_view choice, Cursor& cursor);
    // The feedback of the last answer (nullopt before the first) and which point it belongs to.
    // In the UI's language: judged again (from the kept guess) when the language has changed since.
    const std::optional<sim::PredictFeedback>& lastFeedback() const;
    std::size_t lastAnswered() const { return m_lastAnswered; }

    sim::PredictScore score() const;
    void resetScore(Cursor& cursor);

private:
    void build();

    const ViewModel* m_view = nullptr;
    const trace::Trace* m_trace = nullptr;
    sim::PredictOptions m_options;
    std::vector<sim::PredictPoint> m_points;
    std::vector<std::size_t> m_rows;      // per point, ascending: the reply's row
    std::vector<std::size_t> m_gateRows;  // per point: the first row hidden while it is open (its first effect)
    std::vector<Status> m_status;
    bool m_enabled = false;
    mutable std::optional<sim::PredictFeedback> m_lastFeedback;
    mutable i18n::Lang m_feedbackLang = i18n::Lang::En;
    std::string m_lastChoice;
    std::size_t m_lastAnswered = kNoRow;
};

}  // namespace mailsim::gui
