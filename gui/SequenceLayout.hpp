// The sequence diagram's data and its visible-window search, without ImGui (Tracy's "prepare, then draw").
//
// Contract
// - One lane per endpoint host: a session's client ("mike-pc") and its server ("mail.cesoo.com", the port dropped),
//   in order of first appearance. Every row is one item: a C:/S: line is an arrow between its session's two lanes,
//   a state change or store change is a mark on the server lane, a connection event a mark on the client lane,
//   notes and checks span the diagram. Relay events belong to hosts: a RelayHop is an arrow from the lane of its
//   `machine` to the lane of its `toState` host, a DnsQuery an arrow from the asking host's lane to a "DNS" lane and
//   a DnsAnswer one back, a QueueAction a mark on its host's lane; hosts without a lane get one (appended).
// - TLS: a Line with `tls` set carries SeqItem::kTls (the diagram tags it with a lock); a TlsHandshake is its own
//   kind, a band across the session's two lanes.
// - Items are placed along an axis: the row index (even spacing) or the virtual time (compressTime: idle gaps
//   compressed, see below). Positions are ascending in both, so the visible window is two binary searches.
// - The time axis (issue #14: "the time axis hides the dialogues"): consecutive rows are timeAxisAdvance(gap) units
//   apart, 1 + 0.4 * log2(1 + gap / 1 s): a dialogue's lines (milliseconds apart) about one unit each, as on the
//   index axis, so a session never collapses into one row; a pause grows with the logarithm of its length (30 s: 3
//   rows, 2 h: 6), so a retry backoff (15 min, 30 min, 1 h, 2 h) stays visible, each doubling 0.4 row more, and the
//   whole trace fits a screen or two. Every pause longer than an idle gap (kIdleGapSeconds) is listed with its length for the diagram's
//   "... 2 h later ..." band.
// - Lanes (laneLayout): a lane's share of the width grows with the number of items on it, so idle hosts' lanes are
//   narrow and busy ones wide; every lane keeps a minimum width (its name, elided if need be).
// - prepare() fills a caller-owned vector (cleared, capacity kept: no allocation once warm) with at most one item
//   per `minGapPx` pixels: items closer than that are folded into the previous drawn item and counted, so a million
//   rows zoomed out cost O(pixels * log n), not O(n).
#pragma once

#include "trace/Trace.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mailsim::gui {

enum class SeqAxis : std::uint8_t { Index, Time };
enum class SeqItemKind : std::uint8_t {
    ClientToServer, ServerToClient, State, Store, Connection, Note, Check, Error,
    RelayHop, DnsQuery, DnsAnswer, Queue, TlsHandshake
};

struct SeqItem {
    static constexpr std::uint8_t kTls = 1;  // a Line inside TLS
    SeqItemKind kind = SeqItemKind::Note;
    std::uint8_t flags = 0;
    std::uint16_t from = 0;  // lane of the arrow's tail, or of the mark
    std::uint16_t to = 0;    // lane of the arrow's head (== from for marks)
    bool tls() const { return (flags & kTls) != 0; }
};

// The name of the lane DNS queries go to.
inline constexpr const char* kDnsLane = "DNS";

class SequenceModel {
public:
    // Called once per trace, then observe() once per row in order. When the trace grows, addSessions() gives the
    // sessions opened since (their lanes) before their events are observed.
    void start(const trace::Trace& trace);
    void addSessions(const trace::Trace& trace);
    void observe(const trace::Event& e, bool checkFailed);

    const std::vector<std::string>& lanes() const { return m_lanes; }
    std::span<const SeqItem> items() const { return m_items; }
    const SeqItem& item(std::size_t row) const { return m_items[row]; }
    // Items per lane (an arrow counts for both of its lanes, a note for none).
    const std::vector<std::size_t>& laneCounts() const { return m_laneCounts; }

private:
    std::uint16_t laneOf(const std::string& endpoint);
    std::vector<std::string> m_lanes;
    std::vector<SeqItem> m_items;                   // one per row
    std::vector<std::size_t> m_laneCounts;
    std::vector<std::uint16_t> m_clientLane, m_serverLane;  // per session id
};

// A pause between two rows longer than an idle gap.
struct IdleGap {
    std::size_t row = 0;      // the first row after the pause
    double seconds = 0.0;     // how long nothing happened
};
struct TimeAxis {
    std::vector<double> positions;  // per row, ascending, in axis units (about one per dialogue line)
    std::vector<IdleGap> gaps;      // ascending by row
};
double timeAxisAdvance(double gapSeconds);
// `seconds`: per row, ascending. `idleGap`: the shortest pause listed in `gaps`.
TimeAxis compressTime(std::span<const double> seconds, double idleGap);
// The same for rows appended since: positions and gaps for seconds[axis.positions.size()...]. O(new rows).
void extendTime(TimeAxis& axis, std::span<const double> seconds, double idleGap);

// Lane centres for `counts[k]` items on lane k, in a band [left, left + width): the outer lanes sit half a `minLane`
// (room for a name) inside the band, neighbouring lanes at least `minLane` apart, and the spare width goes to the
// gaps in proportion to sqrt(count) of their two lanes (so an idle host's gaps stay narrow, and one very busy lane
// does not starve the others). Lanes in order; `out` is resized to counts.size().
void laneLayout(std::span<const std::size_t> counts, float left, float width, float minLane, std::vector<float>& out);

// The rows whose positions fall in [lo, hi): first and one past the last. `seconds` is used for the time axis.
struct RowWindow {
    std::size_t first = 0, last = 0;
};
RowWindow visibleWindow(SeqAxis axis, std::span<const double> seconds, double lo, double hi);

// Position of row `i` on the axis.
inline double axisPosition(SeqAxis axis, std::span<const double> seconds, std::size_t i) {
    return axis == SeqAxis::Index ? static_cast<double>(i) : seconds[i];
}

struct DrawnItem {
    std::size_t row = 0;
    std::size_t folded = 0;  // rows after `row` that fall within the same pixel gap and are not drawn
    float y = 0.0f;          // pixels from the top of the view
};

// Fills `out` with the items to draw for the view whose top is at axis position `top`, `pxPerUnit` pixels per axis
// unit, `heightPx` tall. Items closer than `minGapPx` to the previous drawn item are folded into it.
void prepareSequence(SeqAxis axis, std::span<const double> seconds, double top, double pxPerUnit, float heightPx,
                     float minGapPx, std::vector<DrawnItem>& out);

}  // namespace mailsim::gui
