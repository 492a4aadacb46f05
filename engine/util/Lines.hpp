// Line handling shared by the text protocols (SMTP, POP3, later IMAP): a bounded line splitter for command input,
// and the dot-stuffing that SMTP DATA (RFC 5321 4.5.2) and POP3 multi-line responses (RFC 1939 3) both use.
//
// Contract
// - `LineBuffer` takes bytes in any split and hands out complete lines in order. A line ends at LF; a CR before that
//   LF is removed and reported (`crlf`), so a strict protocol can refuse LF-only lines. Memory is bounded: a line
//   longer than the limit (counted with its line end) is not kept while it arrives; when it finally ends it comes
//   out once with `tooLong` set and only its first octets in `text`.
// - `dotStuff` turns content with any line ends (CRLF, bare LF, bare CR) into CRLF lines, doubling a leading dot,
//   and appends the terminating ".\r\n". `crlfSize` is the size of the same content with CRLF line ends, before
//   stuffing: the octet count that SMTP SIZE (RFC 1870) and POP3 LIST/STAT (RFC 1939 5) announce.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mailsim::util {

struct Line {
    std::string text;      // without the line end (for a too-long line: its first octets)
    std::string raw;       // as received, with the line end (for a too-long line: its first octets)
    bool crlf = false;     // ended by CRLF (not a bare LF)
    bool tooLong = false;  // longer than the limit: discarded while it arrived
};

class LineBuffer {
public:
    explicit LineBuffer(std::size_t maxLine) : m_max(maxLine) {}

    void append(std::string_view bytes);
    std::optional<Line> next();
    // Octets held that do not yet form a line (bounded by the limit).
    std::size_t buffered() const { return m_buffer.size() - m_pos; }
    // A line has begun and not ended (including an over-long one being discarded).
    bool partial() const { return buffered() > 0 || m_discarding; }
    void setLimit(std::size_t maxLine) { m_max = maxLine; }
    void clear();

private:
    std::string m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_max;
    bool m_discarding = false;
    std::string m_discardedHead;
};

// Calls `line(text)` for each line of `content` as split by CRLF, bare LF or bare CR. A last line without any line
// end is reported too.
template <typename F>
void forEachLine(std::string_view content, F&& line) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < content.size(); ++i) {
        char c = content[i];
        if (c != '\r' && c != '\n') continue;
        line(content.substr(start, i - start));
        if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') ++i;
        start = i + 1;
    }
    if (start < content.size()) line(content.substr(start));
}

std::string dotStuff(std::string_view content);
std::size_t crlfSize(std::string_view content);

// Line-end conversion for stores (Maildir keeps LF on disk, the protocols carry CRLF). `toCrlf` turns every line end
// (CRLF, bare LF, bare CR) into CRLF, `toLf` into LF; a last line without a line end stays without one, so
// toCrlf(toLf(x)) == toCrlf(x). `crlfLength` is toCrlf(content).size() without building it.
std::string toCrlf(std::string_view content);
std::string toLf(std::string_view content);
std::size_t crlfLength(std::string_view content);

}  // namespace mailsim::util
