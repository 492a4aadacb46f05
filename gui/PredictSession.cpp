#include "Strings.hpp"
#include "PredictSession.hpp"

#include <algorithm>

namespace mailsim::gui {

PredictSession::PredictSession(const ViewModel& view, sim::PredictOptions options)
    : m_view(&view), m_trace(view.trace()), m_options(options) {
    build();
}

void PredictSession::build() {
    m_points.clear();
    m_rows.clear();
    m_gateRows.clear();
    if (m_trace) {
        for (sim::PredictPoint& p : sim::predictionPoints(*m_trace, m_options)) {
            const auto row = m_view->rowOfEvent(p.event);
            if (!row || m_view->row(*row).event != p.event) continue;  // every reply line is shown; be safe anyway
            m_rows.push_back(*row);
            // The reply's effects (e.g. the store line before a 250) stay behind the gate too.
            const auto hide = m_view->rowOfEvent(p.hideFrom());
            m_gateRows.push_back(hide && *hide <= *row ? *hide : *row);
            m_points.push_back(std::move(p));
        }
    }
    m_status.assign(m_points.size(), Status::Open);
    m_lastFeedback.reset();
    m_lastAnswered = kNoRow;
}

void PredictSession::setIncludeStates(bool on, Cursor& cursor) {
    if (on == m_options.states) return;
    m_options.states = on;
    build();
    if (m_enabled) {
        for (std::size_t i = 0; i < m_points.size(); ++i)
            if (m_rows[i] <= cursor.position()) m_status[i] = Status::Skipped;
    }
    cursor.setLimit(cursorLimit());
}

void PredictSession::setProtocol(std::string protocol, Cursor& cursor) {
    if (protocol == m_options.protocol) return;
    m_options.protocol = std::move(protocol);
    build();
    if (m_enabled) {
        for (std::size_t i = 0; i < m_points.size(); ++i)
            if (m_rows[i] <= cursor.position()) m_status[i] = Status::Skipped;
    }
    cursor.setLimit(cursorLimit());
}

void PredictSession::setEnabled(bool on, Cursor& cursor) {
    if (on == m_enabled) return;
    m_enabled = on;
    if (on) {
        for (std::size_t i = 0; i < m_points.size(); ++i)
            if (m_status[i] == Status::Open && m_rows[i] <= cursor.position()) m_status[i] = Status::Skipped;
    }
    cursor.setLimit(cursorLimit());
}

std::size_t PredictSession::gatePoint() const {
    if (!m_enabled) return kNoRow;
    for (std::size_t i = 0; i < m_status.size(); ++i)
        if (m_status[i] == Status::Open) return i;
    return kNoRow;
}

std::size_t PredictSession::gateRow() const {
    const std::size_t p = gatePoint();
    return p == kNoRow ? kNoRow : m_gateRows[p];
}

std::size_t PredictSession::cursorLimit() const {
    const std::size_t row = gateRow();
    if (row == kNoRow) return kNoRow;
    return row == 0 ? 0 : row - 1;
}

std::size_t PredictSession::question(const Cursor& cursor) const {
    const std::size_t p = gatePoint();
    if (p == kNoRow) return kNoRow;
    return cursor.position() + 1 >= m_gateRows[p] ? p : kNoRow;
}

bool PredictSession::answer(std::string_view choice, Cursor& cursor) {
    const std::size_t p = gatePoint();
    if (p == kNoRow || !m_trace) return false;
    m_feedbackLang = uiLang();
    m_lastChoice = std::string(choice);
    m_lastFeedback = sim::judge(*m_trace, m_points[p], choice, m_feedbackLang);
    m_status[p] = m_lastFeedback->correct ? Status::Right : Status::Wrong;
    m_lastAnswered = p;
    cursor.setLimit(cursorLimit());
    cursor.set(m_rows[p]);
    return true;
}

const std::optional<sim::PredictFeedback>& PredictSession::lastFeedback() const {
    if (m_lastFeedback && m_feedbackLang != uiLang() && m_trace && m_lastAnswered < m_points.size()) {
        m_feedbackLang = uiLang();
        m_lastFeedback = sim::judge(*m_trace, m_points[m_lastAnswered], m_lastChoice, m_feedbackLang);
    }
    return m_lastFeedback;
}

sim::PredictScore PredictSession::score() const {
    sim::PredictScore s;
    s.total = m_points.size();
    for (Status st : m_status) {
        if (st == Status::Right || st == Status::Wrong) ++s.answered;
        if (st == Status::Right) ++s.correct;
    }
    return s;
}

void PredictSession::resetScore(Cursor& cursor) {
    std::ranges::fill(m_status, Status::Open);
    m_lastFeedback.reset();
    m_lastAnswered = kNoRow;
    cursor.setLimit(kNoRow);
    cursor.home();
    if (m_enabled) {
        for (std::size_t i = 0; i < m_points.size(); ++i)
            if (m_rows[i] <= cursor.position()) m_status[i] = Status::Skipped;
    }
    cursor.setLimit(cursorLimit());
}

}  // namespace mailsim::gui
