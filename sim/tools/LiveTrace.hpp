// The live trace stream: `mailsim serve --trace-out FILE` writes every trace event as one JSON line (JSON Lines),
// and `mailsim-gui --attach FILE` reads the file while it grows.
//
// Format (one object per line, as sim::appendEventJson writes it)
// - Ids are global across connections: `mailsim serve` keeps one Trace per connection, so the writer renumbers
//   events (0, 1, 2, ... in the order they were written), sessions (1, 2, ... in order of first appearance) and
//   causes (through the connection's own id map). A reader that appends every line gets event id == line number.
// - The first event of a session carries its description ("session_info": protocol, client, server, opened,
//   endpoints), so a reader never sees an event of an unknown session.
// - The file is truncated when the writer opens it; a reader that finds it shorter than what it has read starts over.
// - Every line carries "schemaVersion" (sim/tools/TraceJson.hpp, docs/trace-schema-v1.json); the typed facts of an event
//   are in its "data". A reader refuses a file of another major version (refused()) instead of misreading it.
#pragma once

#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <cstdint>
#include <cstdio>
#include <expected>
#include <string>
#include <vector>

namespace mailsim::sim {

class LiveTraceWriter {
public:
    // One connection's trace as the writer knows it: its session's global id, its local event ids mapped to global.
    struct Stream {
        trace::SessionId session = trace::kNoSession;  // global id, 0 until the session's first event is written
        std::vector<trace::EventId> ids;                // local event id -> global id
    };

    LiveTraceWriter() = default;
    LiveTraceWriter(const LiveTraceWriter&) = delete;
    LiveTraceWriter& operator=(const LiveTraceWriter&) = delete;
    ~LiveTraceWriter();

    // Creates (truncates) `path`. The error is errno (the caller words it, in its language, with the path).
    std::expected<void, int> open(const std::string& path);
    // Writes to the open descriptor `fd` instead (taken over: closed with the writer), e.g. a copy of stdout.
    // The error is errno; `fd` then stays the caller's.
    std::expected<void, int> openDescriptor(int fd);
    bool isOpen() const { return m_file != nullptr; }
    // Appends `event` of `trace` (a Trace listener calls this) as one line; buffered until flush().
    void write(Stream& stream, const trace::Trace& trace, const trace::Event& event);
    // The connection's trace was cleared (rotated): later local ids start again at 0; the session keeps its id.
    static void restart(Stream& stream) { stream.ids.clear(); }
    void flush();

    trace::EventId eventsWritten() const { return m_nextEvent; }

private:
    std::FILE* m_file = nullptr;
    std::string m_line;
    trace::EventId m_nextEvent = 0;
    trace::SessionId m_nextSession = 1;
};

// Reads a trace-out file incrementally: each poll() appends the events of the complete lines written since the last
// one to a Trace. It remembers the file offset, keeps a partially written last line until its newline arrives, and
// skips (and counts) lines that are not valid events.
class LiveTraceReader {
public:
    explicit LiveTraceReader(std::string path) : m_path(std::move(path)) {}

    struct Poll {
        std::size_t appended = 0;  // events appended by this call
        bool restarted = false;    // the file was truncated or replaced: `trace` was cleared and read again
        bool missing = false;      // the file does not exist (yet)
    };
    // Reads what was appended to the file since the last call and appends its events to `trace`, which must hold
    // exactly what earlier calls appended (the reader maps global ids to `trace`'s ids).
    Poll poll(trace::Trace& trace);

    const std::string& path() const { return m_path; }
    std::uint64_t offset() const { return m_offset; }
    std::size_t badLines() const { return m_badLines; }
    // True when the file was written with a schema major version this reader does not know (or none): nothing more is
    // read from it. `refusedVersion` is the version it has ("2.0"; empty: none); `refusedText` says why in `lang`
    // (`mailsim record` and the GUI's live status show it).
    bool refused() const { return m_refused; }
    const std::string& refusedVersion() const { return m_refusedVersion; }
    std::string refusedText(i18n::Lang lang) const;
    // The file is bigger than what has been read (cheap: one stat).
    bool grown() const;

private:
    bool appendLine(trace::Trace& trace, const std::string& line);
    void reset(trace::Trace& trace);

    std::string m_path;
    std::uint64_t m_offset = 0;      // bytes consumed, including m_partial
    std::uint64_t m_inode = 0;
    std::string m_partial;           // the last line, still without its newline
    std::size_t m_badLines = 0;
    bool m_refused = false;
    std::string m_refusedVersion;
    std::vector<trace::EventId> m_eventIds;       // global event id -> id in `trace` (kNoCause: skipped)
    std::vector<trace::SessionId> m_sessionIds;   // global session id -> id in `trace`
};

}  // namespace mailsim::sim
