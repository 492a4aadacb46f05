#include "util/Lines.hpp"

#include <utility>

namespace mailsim::util {

void LineBuffer::append(std::string_view bytes) {
    if (m_pos > 0 && m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    }
    m_buffer.append(bytes);
}

void LineBuffer::clear() {
    m_buffer.clear();
    m_pos = 0;
    m_discarding = false;
    m_discardedHead.clear();
}

std::optional<Line> LineBuffer::next() {
    auto lf = m_buffer.find('\n', m_pos);
    if (lf == std::string::npos) {
        if (m_buffer.size() - m_pos > m_max) {  // too long already: stop keeping it
            if (!m_discarding) m_discardedHead = m_buffer.substr(m_pos, 80);
            m_discarding = true;
            m_buffer.clear();
            m_pos = 0;
        } else if (m_pos > 4096) {
            m_buffer.erase(0, m_pos);
            m_pos = 0;
        }
        return std::nullopt;
    }
    std::string_view raw(m_buffer.data() + m_pos, lf + 1 - m_pos);
    m_pos = lf + 1;
    Line out;
    if (m_discarding || raw.size() > m_max) {
        out.tooLong = true;
        out.text = m_discarding ? std::exchange(m_discardedHead, {}) : std::string(raw.substr(0, 80));
        out.raw = out.text;
        out.crlf = true;
        m_discarding = false;
        return out;
    }
    std::string_view text = raw.substr(0, raw.size() - 1);
    out.crlf = !text.empty() && text.back() == '\r';
    if (out.crlf) text.remove_suffix(1);
    out.text.assign(text);
    out.raw.assign(raw);
    return out;
}

std::string dotStuff(std::string_view content) {
    std::string out;
    out.reserve(content.size() + content.size() / 32 + 8);
    forEachLine(content, [&](std::string_view line) {
        if (!line.empty() && line.front() == '.') out += '.';
        out += line;
        out += "\r\n";
    });
    out += ".\r\n";
    return out;
}

std::size_t crlfSize(std::string_view content) {
    std::size_t size = 0;
    forEachLine(content, [&](std::string_view line) { size += line.size() + 2; });
    return size;
}

namespace {

// Calls out(text) for each run of content between line ends and eol() for each line end (CRLF, LF or CR).
template <typename Text, typename Eol>
void splitLineEnds(std::string_view content, Text&& text, Eol&& eol) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < content.size(); ++i) {
        char c = content[i];
        if (c != '\r' && c != '\n') continue;
        text(content.substr(start, i - start));
        eol();
        if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') ++i;
        start = i + 1;
    }
    if (start < content.size()) text(content.substr(start));
}

}  // namespace

std::string toCrlf(std::string_view content) {
    std::string out;
    out.reserve(crlfLength(content));
    splitLineEnds(content, [&](std::string_view t) { out += t; }, [&] { out += "\r\n"; });
    return out;
}

std::string toLf(std::string_view content) {
    std::string out;
    out.reserve(content.size());
    splitLineEnds(content, [&](std::string_view t) { out += t; }, [&] { out += '\n'; });
    return out;
}

std::size_t crlfLength(std::string_view content) {
    std::size_t n = 0;
    splitLineEnds(content, [&](std::string_view t) { n += t.size(); }, [&] { n += 2; });
    return n;
}

}  // namespace mailsim::util
