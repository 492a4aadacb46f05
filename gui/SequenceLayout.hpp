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
// - Items are placed along an axis: the row index (even spacing) or the virtual time in seconds (true gaps, which
//   can be huge). Positions are ascending in both, so the visible window is two binary searches.
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
    // Called once per trace, then observe() once per row in order.
    void start(const trace::Trace& trace);
    void observe(const trace::Event& e, bool checkFailed);

    const std::vector<std::string>& lanes() const { return m_lanes; }
    std::span<const SeqItem> items() const { return m_items; }
    const SeqItem& item(std::size_t row) const { return m_items[row]; }

private:
    std::uint16_t laneOf(const std::string& endpoint);
    std::vector<std::string> m_lanes;
    std::vector<SeqItem> m_items;                   // one per row
    std::vector<std::uint16_t> m_clientLane, m_serverLane;  // per session id
};

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
