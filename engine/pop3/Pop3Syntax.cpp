#include "pop3/Pop3Syntax.hpp"

#include <algorithm>
#include <charconv>

namespace mailsim::pop3 {

std::pair<std::string_view, std::string_view> splitCommand(std::string_view line) {
    auto sp = line.find(' ');
    if (sp == std::string_view::npos) return {line, {}};
    std::string_view arg = line.substr(sp + 1);
    while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
    while (!arg.empty() && arg.back() == ' ') arg.remove_suffix(1);
    return {line.substr(0, sp), arg};
}

std::vector<std::string_view> splitArgs(std::string_view args) {
    std::vector<std::string_view> out;
    while (!args.empty()) {
        auto sp = args.find(' ');
        if (sp != 0) out.push_back(args.substr(0, sp));
        if (sp == std::string_view::npos) break;
        args.remove_prefix(sp + 1);
    }
    return out;
}

std::optional<std::uint64_t> parseNumber(std::string_view s) {
    if (s.empty() || s.size() > 18 || !std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::uint64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

bool validUniqueId(std::string_view uid) {
    return !uid.empty() && uid.size() <= 70 && std::ranges::all_of(uid, [](char c) { return c >= 0x21 && c <= 0x7e; });
}

std::string Pop3Response::body() const {
    std::string out;
    for (const auto& l : lines) {
        out += l;
        out += "\r\n";
    }
    return out;
}

void Pop3ResponseParser::feed(std::string_view bytes) {
    if (m_error) return;
    m_lines.append(bytes);
    while (auto line = m_lines.next()) {
        if (m_current) {  // inside a multi-line body
            if (line->tooLong) {
                m_error = "a response line longer than " + std::to_string(kMaxResponseLine) + " octets";
                return;
            }
            m_current->raw.push_back(line->raw);
            if (line->text == ".") {
                m_ready.push_back(std::move(*m_current));
                m_current.reset();
            } else {  // byte-stuffing (RFC 1939 3): a leading dot of a body line was doubled
                std::string_view t = line->text;
                if (t.starts_with('.')) t.remove_prefix(1);
                m_current->lines.emplace_back(t);
            }
            continue;
        }
        Pop3Response r;
        std::string_view t = line->text;
        if (t == "+OK" || t.starts_with("+OK ")) {
            r.ok = true;
            t.remove_prefix(std::min<std::size_t>(4, t.size()));
        } else if (t == "-ERR" || t.starts_with("-ERR ")) {
            t.remove_prefix(std::min<std::size_t>(5, t.size()));
        } else if (t == "+" || t.starts_with("+ ")) {
            r.ok = r.continuation = true;
            t.remove_prefix(std::min<std::size_t>(2, t.size()));
        } else {
            m_error = line->text.substr(0, 200);
            return;
        }
        r.text.assign(t);
        if (t.starts_with('[')) {
            auto close = t.find(']');
            if (close != std::string_view::npos) r.respCode.assign(t.substr(1, close - 1));
        }
        r.raw.push_back(line->raw);
        bool multi = false;
        if (!r.continuation && !m_expect.empty()) {
            multi = m_expect.front();
            m_expect.pop_front();
        }
        if (multi && r.ok) m_current = std::move(r);
        else m_ready.push_back(std::move(r));
    }
}

std::size_t Pop3ResponseParser::discard() {
    std::size_t n = m_lines.buffered() + (m_error ? m_error->size() : 0);
    auto count = [&n](const Pop3Response& r) {
        for (const auto& raw : r.raw) n += raw.size();
    };
    for (const auto& r : m_ready) count(r);
    if (m_current) count(*m_current);
    m_lines.clear();
    m_ready.clear();
    m_current.reset();
    m_expect.clear();
    m_error.reset();
    return n;
}

std::optional<Pop3Response> Pop3ResponseParser::next() {
    if (m_ready.empty()) return std::nullopt;
    Pop3Response r = std::move(m_ready.front());
    m_ready.pop_front();
    return r;
}

}  // namespace mailsim::pop3
