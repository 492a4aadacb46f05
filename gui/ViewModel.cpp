#include "ViewModel.hpp"

#include "ProtocolModel.hpp"
#include "sim/tools/Transcript.hpp"
#include "trace/Render.hpp"

#include <algorithm>

namespace mailsim::gui {
namespace {

RowKind kindOf(const trace::Event& e) {
    using trace::EventKind;
    switch (e.kind) {
    case EventKind::Line:
        return e.direction == trace::Direction::ServerToClient ? RowKind::Server : RowKind::Client;
    case EventKind::StateChanged: return RowKind::State;
    case EventKind::ConnectionOpened:
    case EventKind::ConnectionClosed: return RowKind::Connection;
    case EventKind::StoreChanged: return RowKind::Store;
    case EventKind::Expectation: return e.ok ? RowKind::CheckOk : RowKind::CheckFailed;
    case EventKind::Error: return RowKind::Error;
    case EventKind::Note:
    case EventKind::Handover: return RowKind::Note;
    // Relaying: DNS look-ups, queue decisions and hops are network events; a fault is shown as an error.
    case EventKind::DnsQuery:
    case EventKind::DnsAnswer:
    case EventKind::QueueAction:
    case EventKind::RelayHop: return RowKind::Connection;
    case EventKind::FaultInjected: return RowKind::Error;
    case EventKind::TlsHandshake: return e.ok ? RowKind::Connection : RowKind::Error;
    case EventKind::TlsRecords: return RowKind::Connection;
    }
    return RowKind::Note;
}

// Which narration note belongs to each row (the contract is in ViewModel.hpp, "Narration"). Fed every event in order;
// noteFor() answers for the row of the event just seen.
class NarrationTracker {
public:
    explicit NarrationTracker(const trace::Trace& tr) : m_trace(tr), m_sessionNote(tr.sessions().size() + 1, trace::kNoCause) {}

    void observe(const trace::Event& e) {
        if (m_seenAny && static_cast<double>(e.time - m_lastTime) / 1e6 > kIdleGapSeconds) m_scenarioNote = trace::kNoCause;
        m_seenAny = true;
        m_lastTime = e.time;
        if (e.kind == trace::EventKind::Note && e.machine != sim::kCheckpointMachine) {
            if (e.session == trace::kNoSession) {
                m_scenarioNote = e.id;
                m_phase.clear();
            } else {
                if (e.session >= m_sessionNote.size()) m_sessionNote.resize(e.session + 1, trace::kNoCause);
                m_sessionNote[e.session] = e.id;
            }
        }
        if (e.kind == trace::EventKind::StateChanged && m_scenarioNote != trace::kNoCause) {
            const std::string phase = phaseOf(e);
            if (m_phase.empty()) m_phase = phase;
            else if (phase != m_phase) m_scenarioNote = trace::kNoCause;  // the story left the note's phase
        }
    }

    trace::EventId noteFor(trace::SessionId session) const {
        const trace::EventId own = session != trace::kNoSession && session < m_sessionNote.size() ? m_sessionNote[session]
                                                                                                   : trace::kNoCause;
        if (own == trace::kNoCause) return m_scenarioNote;
        if (m_scenarioNote == trace::kNoCause) return own;
        return std::max(own, m_scenarioNote);  // ids grow with time: the more recent one
    }

private:
    std::string phaseOf(const trace::Event& e) const {
        const trace::SessionInfo* info = m_trace.session(e.session);
        if (info) {
            const ProtocolModel& model = protocolModel(info->protocol);
            if (int i = model.indexOf(e.toState); i >= 0) return model.states[static_cast<std::size_t>(i)].phase;
        }
        return e.toState;  // no table: every state is its own phase
    }

    const trace::Trace& m_trace;
    std::vector<trace::EventId> m_sessionNote;  // per session: its latest own note
    trace::EventId m_scenarioNote = trace::kNoCause;
    std::string m_phase;                        // the phase the scenario note introduced ("" = not known yet)
    trace::Micros m_lastTime = 0;
    bool m_seenAny = false;
};

}  // namespace

// What the fold of the trace into rows carries from one event to the next, kept between extend() calls.
struct ViewModel::Progress {
    explicit Progress(const trace::Trace& tr) : narration(tr) {}
    std::vector<trace::EventId> lastState;  // per session: its last StateChanged so far
    trace::SessionId focus = trace::kNoSession;
    NarrationTracker narration;
    trace::Micros start = 0;
    std::size_t events = 0;    // events folded so far
    std::size_t sessions = 0;  // sessions whose names are in the atlas text and lanes
    std::size_t failures = 0;  // failures whose text is in the atlas text
};

ViewModel::ViewModel(const sim::RunResult& result, i18n::Lang lang)
    : m_result(&result), m_trace(&result.trace), m_lang(lang), m_progress(std::make_unique<Progress>(result.trace)) {
    const trace::Trace& tr = result.trace;
    m_rows.reserve(tr.size());
    m_seconds.reserve(tr.size());
    m_sequence.start(tr);
    m_network.start(tr);
    m_allText = result.title.en + result.title.zh + result.description.en + result.description.zh;
    for (const auto& [id, text] : result.scenarioText) m_allText += text.en + text.zh;  // glyphs for both languages
    extend();
}

ViewModel::ViewModel() = default;
ViewModel::~ViewModel() = default;
ViewModel::ViewModel(ViewModel&&) noexcept = default;
ViewModel& ViewModel::operator=(ViewModel&&) noexcept = default;

std::size_t ViewModel::eventsSeen() const { return m_progress ? m_progress->events : 0; }

std::size_t ViewModel::extend() {
    if (!m_progress) return 0;
    const trace::Trace& tr = *m_trace;
    Progress& p = *m_progress;
    const std::size_t rowsBefore = m_rows.size();
    if (p.events == 0 && !tr.events().empty()) p.start = tr.events().front().time;
    if (p.lastState.size() < tr.sessions().size() + 1) {
        p.lastState.resize(tr.sessions().size() + 1, trace::kNoCause);
        m_sessionStateRows.resize(tr.sessions().size() + 1);
        m_sessionClientStates.resize(tr.sessions().size() + 1);
    }
    m_sequence.addSessions(tr);
    const auto& events = tr.events();
    for (; p.events < events.size(); ++p.events) observe(events[p.events]);
    m_network.finish();
    extendTime(m_timeAxis, m_seconds, kIdleGapSeconds);
    for (; p.sessions < tr.sessions().size(); ++p.sessions) {
        const auto& s = tr.sessions()[p.sessions];
        m_allText += s.client + s.server + s.protocol;
    }
    for (; p.failures < m_result->failures.size(); ++p.failures) {
        const auto& f = m_result->failures[p.failures];
        const trace::Event& e = tr.at(f.event);
        m_allText += f.place.text(m_lang) + trace::expectedText(e, m_lang) + trace::gotText(e, m_lang);
    }
    return m_rows.size() - rowsBefore;
}

// Folds one event into the rows and the models (the contract is in ViewModel.hpp).
void ViewModel::observe(const trace::Event& e) {
    Progress& p = *m_progress;
    if (e.kind == trace::EventKind::StateChanged && trace::isClientMachine(e.machine)) {
        // The state panel's client side, and nothing else: no row, no model sees it (see ViewModel.hpp).
        if (e.session >= m_sessionClientStates.size()) m_sessionClientStates.resize(e.session + 1);
        m_sessionClientStates[e.session].push_back(e.id);
        return;
    }
    if (e.session != trace::kNoSession) {
        p.focus = e.session;
        if (e.session >= p.lastState.size()) {
            p.lastState.resize(e.session + 1, trace::kNoCause);
            m_sessionStateRows.resize(e.session + 1);
        }
        if (e.kind == trace::EventKind::StateChanged) p.lastState[e.session] = e.id;
    }
    p.narration.observe(e);
    if ((e.kind == trace::EventKind::Note && e.machine != sim::kCheckpointMachine) || e.kind == trace::EventKind::Handover) {
        auto it = m_result->scenarioText.find(e.id);
        m_notes.emplace_back(e.id, it != m_result->scenarioText.end() && !it->second.empty() ? it->second.in(m_lang)
                                                                                             : trace::describe(e, m_lang));
        if (m_allText.size() < (1u << 20)) m_allText += m_notes.back().second;
    }
    sim::TranscriptOptions options;
    options.lang = m_lang;
    options.times = false;
    options.states = true;
    options.sessionHeaders = false;
    if (m_result) options.scenarioText = &m_result->scenarioText;
    std::string text = sim::formatEvent(*m_trace, e, options);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) {
        // Not shown (e.g. a check that held), but it may still shape what is true at the previous row.
        m_mailboxes.observe(e, m_rows.empty() ? 0 : m_rows.size() - 1);
        m_network.observe(e, m_rows.empty() ? 0 : m_rows.size() - 1);
        return;
    }
    const std::size_t index = m_rows.size();
    m_mailboxes.observe(e, index);
    m_network.observe(e, index);
    if (e.kind == trace::EventKind::RelayHop) m_hopRows.push_back(index);
    Row row;
    row.event = e.id;
    row.session = e.session;
    row.focus = p.focus;
    row.stateEvent = p.focus == trace::kNoSession ? trace::kNoCause : p.lastState[p.focus];
    row.kind = kindOf(e);
    row.noteEvent = p.narration.noteFor(e.session);
    row.seconds = static_cast<double>(e.time - p.start) / 1e6;
    if (row.kind == RowKind::State) {
        m_stateRows.push_back(index);
        m_sessionStateRows[e.session].push_back(index);
    }
    m_sequence.observe(e, row.kind == RowKind::CheckFailed);
    if (e.kind == trace::EventKind::StoreChanged || e.kind == trace::EventKind::RelayHop ||
        e.kind == trace::EventKind::QueueAction || e.kind == trace::EventKind::DnsQuery ||
        e.kind == trace::EventKind::DnsAnswer || e.kind == trace::EventKind::TlsHandshake)
        m_labels.emplace_back(index, trace::shortLabel(e, m_lang));
    m_seconds.push_back(row.seconds);
    if (m_allText.size() < (1u << 20)) m_allText += text;  // the font atlas needs each character once, not 1e6 lines
    row.text = std::move(text);
    m_rows.push_back(std::move(row));
}

std::string_view ViewModel::label(std::size_t row) const {
    auto it = std::lower_bound(m_labels.begin(), m_labels.end(), row,
                               [](const auto& entry, std::size_t value) { return entry.first < value; });
    return it != m_labels.end() && it->first == row ? std::string_view(it->second) : std::string_view("");
}

std::string_view ViewModel::noteText(trace::EventId note) const {
    auto it = std::lower_bound(m_notes.begin(), m_notes.end(), note,
                               [](const auto& entry, trace::EventId value) { return entry.first < value; });
    return it != m_notes.end() && it->first == note ? std::string_view(it->second) : std::string_view("");
}

std::optional<std::size_t> ViewModel::rowOfEvent(trace::EventId id) const {
    auto it = std::upper_bound(m_rows.begin(), m_rows.end(), id,
                               [](trace::EventId value, const Row& r) { return value < r.event; });
    if (it == m_rows.begin()) return m_rows.empty() ? std::nullopt : std::optional<std::size_t>(0);
    return static_cast<std::size_t>(it - m_rows.begin()) - 1;
}

trace::EventId ViewModel::stateAt(trace::SessionId session, std::size_t k) const {
    if (session >= m_sessionStateRows.size()) return trace::kNoCause;
    const auto& rows = m_sessionStateRows[session];
    auto it = std::upper_bound(rows.begin(), rows.end(), k);
    if (it == rows.begin()) return trace::kNoCause;
    return m_rows[*(it - 1)].event;
}

trace::EventId ViewModel::clientStateAt(trace::SessionId session, std::size_t k) const {
    if (session >= m_sessionClientStates.size() || k >= m_rows.size()) return trace::kNoCause;
    const auto& events = m_sessionClientStates[session];
    auto it = std::upper_bound(events.begin(), events.end(), m_rows[k].event);
    return it == events.begin() ? trace::kNoCause : *(it - 1);
}

std::size_t ViewModel::nextStateRow(std::size_t k) const {
    auto it = std::upper_bound(m_stateRows.begin(), m_stateRows.end(), k);
    return it == m_stateRows.end() ? kNoRow : *it;
}

std::size_t ViewModel::previousStateRow(std::size_t k) const {
    auto it = std::lower_bound(m_stateRows.begin(), m_stateRows.end(), k);
    return it == m_stateRows.begin() ? kNoRow : *(it - 1);
}

std::size_t ViewModel::nextHopRow(std::size_t k) const {
    auto it = std::upper_bound(m_hopRows.begin(), m_hopRows.end(), k);
    return it == m_hopRows.end() ? kNoRow : *it;
}

std::size_t ViewModel::previousHopRow(std::size_t k) const {
    auto it = std::lower_bound(m_hopRows.begin(), m_hopRows.end(), k);
    return it == m_hopRows.begin() ? kNoRow : *(it - 1);
}

void Cursor::reset(std::size_t count, std::size_t position) {
    m_count = count;
    m_position = count == 0 ? 0 : std::min({position, count - 1, m_limit});
    m_playing = false;
    ++m_generation;
}

void Cursor::grow(std::size_t count, bool follow) {
    m_count = count;
    const std::size_t position = m_position;
    m_position = count == 0 ? 0 : std::min({position, count - 1, m_limit});
    if (m_position != position) ++m_generation;
    if (follow) end();
}

void Cursor::setLimit(std::size_t limit) {
    m_limit = limit;
    if (m_position > limit) set(limit);
}

void Cursor::set(std::size_t position) {
    std::size_t clamped = m_count == 0 ? 0 : std::min({position, m_count - 1, m_limit});
    if (clamped != m_position) {
        m_position = clamped;
        ++m_generation;
    }
}

void Cursor::step(long delta) {
    if (delta < 0) {
        std::size_t back = static_cast<std::size_t>(-delta);
        set(back > m_position ? 0 : m_position - back);
    } else {
        set(m_position + static_cast<std::size_t>(delta));
    }
}

void Cursor::setPlaying(bool playing, double now) {
    if (playing && (m_count == 0 || m_position + 1 >= m_count)) home();  // play from the start again (not at a limit)
    m_playing = playing && m_count > 0;
    m_nextStepAt = now + m_interval;
}

bool Cursor::tick(double now) {
    if (!m_playing || now < m_nextStepAt) return false;
    step(1);
    m_nextStepAt = now + m_interval;
    if (atEnd()) m_playing = false;
    return true;
}

}  // namespace mailsim::gui
