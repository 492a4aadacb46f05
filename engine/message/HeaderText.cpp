#include "message/HeaderText.hpp"

#include "message/Codecs.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace mailsim::message {

// ---- lexer (RFC 5322 3.2.2 CFWS, 3.2.4 quoted strings; RFC 2045 5.1 tspecials) ----

bool HeaderLexer::special(char c) const {
    static constexpr std::string_view kRfc5322 = "()<>[]:;@\\,.\"";
    static constexpr std::string_view kMime = "()<>@,;:\\\"/[]?=";
    return (m_mime ? kMime : kRfc5322).find(c) != std::string_view::npos;
}

Token HeaderLexer::peek() {
    // Comments skipped while peeking stay recorded: they were passed over either way.
    auto saved = m_pos;
    auto space = m_space;
    Token t = next();
    m_pos = saved;
    m_space = space;
    return t;
}

Token HeaderLexer::next() {
    m_space = false;
    // White space and comments (nested; "\" quotes the next character; unterminated runs to the end).
    while (m_pos < m_text.size()) {
        char c = m_text[m_pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            m_space = true;
            ++m_pos;
        } else if (c == '(') {
            m_space = true;
            int depth = 0;
            std::string comment;
            while (m_pos < m_text.size()) {
                char d = m_text[m_pos++];
                if (d == '\\' && m_pos < m_text.size()) {
                    comment += m_text[m_pos++];
                } else if (d == '(') {
                    if (depth++ > 0) comment += d;
                } else if (d == ')') {
                    if (--depth == 0) break;
                    comment += d;
                } else {
                    comment += d;
                }
            }
            m_comment = std::move(comment);
        } else {
            break;
        }
    }
    Token t;
    if (m_pos >= m_text.size()) return t;
    char c = m_text[m_pos];
    if (c == '"') {
        t.kind = Token::Quoted;
        ++m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
            if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size()) ++m_pos;
            char d = m_text[m_pos++];
            if (d != '\r' && d != '\n') t.text += d;  // folding inside a quoted string is removed
        }
        if (m_pos < m_text.size()) ++m_pos;
        return t;
    }
    if (c == '[' && !m_mime) {
        t.kind = Token::DomainLiteral;
        std::size_t end = m_text.find(']', m_pos);
        end = end == std::string_view::npos ? m_text.size() : end + 1;
        t.text = std::string(m_text.substr(m_pos, end - m_pos));
        m_pos = end;
        return t;
    }
    if (special(c)) {
        t.kind = Token::Special;
        t.text = std::string(1, c);
        ++m_pos;
        return t;
    }
    t.kind = Token::Atom;
    std::size_t start = m_pos;
    while (m_pos < m_text.size()) {
        char d = m_text[m_pos];
        if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == '"' || d == '(' || special(d)) break;
        ++m_pos;
    }
    t.text = std::string(m_text.substr(start, m_pos - start));
    return t;
}

// ---- RFC 2047 decoding ----

namespace {

struct EncodedWord {
    std::size_t end = 0;  // one past "?="
    std::string charset;  // lower case, RFC 2231 language suffix removed
    std::string bytes;
};

// Parses "=?charset?B|Q?text?=" at `pos` (RFC 2047 2); the text may not contain "?" or white space.
std::optional<EncodedWord> parseEncodedWord(std::string_view s, std::size_t pos) {
    if (s.substr(pos, 2) != "=?") return std::nullopt;
    std::size_t q1 = s.find('?', pos + 2);
    if (q1 == std::string_view::npos || q1 == pos + 2 || q1 + 3 > s.size() || s[q1 + 2] != '?') return std::nullopt;
    char enc = s[q1 + 1];
    if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') return std::nullopt;
    std::size_t textStart = q1 + 3;
    std::size_t end = s.find("?=", textStart);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view charset = s.substr(pos + 2, q1 - pos - 2);
    std::string_view text = s.substr(textStart, end - textStart);
    for (char c : charset)
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return std::nullopt;
    for (char c : text)
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return std::nullopt;
    EncodedWord w;
    w.end = end + 2;
    w.charset = toLower(charset.substr(0, charset.find('*')));
    if (enc == 'B' || enc == 'b') {
        w.bytes = decodeBase64(text);
    } else {
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '_') {
                w.bytes += ' ';
            } else if (text[i] == '=' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
                w.bytes += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
                i += 2;
            } else {
                w.bytes += text[i];
            }
        }
    }
    return w;
}

bool allWhitespace(std::string_view s) {
    return std::ranges::all_of(s, [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

}  // namespace

std::string decodeHeaderText(std::string_view s) {
    std::string out;
    // A run of adjacent encoded words in one charset, joined as bytes, converted once.
    std::string runCharset, runBytes;
    std::size_t runStart = 0, runEnd = 0;
    bool inRun = false;
    auto flush = [&] {
        if (!inRun) return;
        if (auto text = toUtf8(runCharset, runBytes)) {
            out += *text;
        } else {
            out += sanitizeUtf8(s.substr(runStart, runEnd - runStart));  // unknown charset: as written
        }
        inRun = false;
        runBytes.clear();
    };
    std::size_t literalStart = 0;  // text after the last encoded word not yet written
    std::size_t pos = 0;
    while ((pos = s.find("=?", pos)) != std::string_view::npos) {
        auto word = parseEncodedWord(s, pos);
        if (!word) {
            pos += 2;
            continue;
        }
        std::string_view gap = s.substr(literalStart, pos - literalStart);
        bool joined = inRun && allWhitespace(gap);  // 6.2: white space between encoded words is dropped
        if (joined && word->charset == runCharset) {
            runBytes += word->bytes;
        } else {
            flush();
            if (!joined) out += sanitizeUtf8(gap);
            inRun = true;
            runCharset = word->charset;
            runBytes = word->bytes;
            runStart = pos;
        }
        runEnd = word->end;
        pos = literalStart = word->end;
    }
    flush();
    out += sanitizeUtf8(s.substr(literalStart));
    return out;
}

// ---- parameters (RFC 2045 5.1, RFC 2231 3-4) ----

const Parameter* ParameterList::find(std::string_view name) const {
    for (const auto& p : items)
        if (iequals(p.name, name)) return &p;
    return nullptr;
}

std::string ParameterList::get(std::string_view name) const {
    const Parameter* p = find(name);
    return p ? p->value : std::string();
}

namespace {

std::string percentDecode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

struct Section {
    std::string value;  // as written
    bool encoded = false;
};

// The parameters as written, before their sections are joined: in order of first appearance; sections by number (-1:
// no section number).
struct RawParameters {
    std::vector<std::string> order;
    std::map<std::string, std::map<long, Section>> raw;
};

// Files `attribute=value` (the attribute lower case, as written: `name`, `name*`, `name*N`, `name*N*`) under its name
// and section (RFC 2231 3-4). False when it was skipped: a bad or too large section number, a duplicate.
bool addRawParameter(RawParameters& params, std::string attribute, std::string value) {
    bool encoded = attribute.ends_with('*');
    if (encoded) attribute.pop_back();
    long section = -1;
    if (auto star = attribute.find('*'); star != std::string::npos) {
        std::string number = attribute.substr(star + 1);
        attribute.resize(star);
        if (number.empty() || number.size() > 3 || !std::ranges::all_of(number, [](char c) { return c >= '0' && c <= '9'; }) ||
            (number.size() > 1 && number[0] == '0')) {
            return false;
        }
        section = std::stol(number);
        if (static_cast<std::size_t>(section) >= kMaxParameterSections) {
            return false;
        }
    }
    if (!params.raw.contains(attribute)) params.order.push_back(attribute);
    auto& sections = params.raw[attribute];
    auto existing = sections.find(section);
    if (existing == sections.end()) {
        sections[section] = Section{std::move(value), encoded};
    } else if (encoded && !existing->second.encoded) {
        existing->second = Section{std::move(value), encoded};  // name*= beside name=: the extended form wins
    } else {
        return false;  // a duplicate: the first one counts
    }
    return true;
}

// One parameter from its sections, joined in number order and decoded to UTF-8 (RFC 2231 4: the first section of an
// extended value carries charset'language'). Sets `ok` false when that prefix is missing.
Parameter joinSections(const std::string& name, const std::map<long, Section>& sections, bool& ok) {
    Parameter p;
    p.name = name;
    // An unnumbered value beside numbered sections: the sections win (they are the RFC 2231 form).
    bool hasNumbered = sections.rbegin()->first >= 0;
    bool first = true;
    std::string bytes;
    for (const auto& [number, sec] : sections) {
        if (number == -1 && hasNumbered) continue;
        std::string_view v = sec.value;
        p.wireValue += sec.value;
        if (sec.encoded) {
            p.extended = true;
            if (first) {
                // charset'language'value (RFC 2231 4); without the quotes it is taken as plain text.
                std::size_t a = v.find('\'');
                std::size_t b = a == std::string_view::npos ? a : v.find('\'', a + 1);
                if (b != std::string_view::npos) {
                    p.charset = toLower(v.substr(0, a));
                    p.language = std::string(v.substr(a + 1, b - a - 1));
                    v.remove_prefix(b + 1);
                } else {
                    ok = false;
                }
            }
            bytes += percentDecode(v);
        } else {
            bytes += v;
        }
        first = false;
    }
    if (p.extended && !p.charset.empty()) {
        auto converted = toUtf8(p.charset, bytes);
        p.value = converted ? *converted : sanitizeUtf8(bytes);
    } else {
        p.value = bytes.find("=?") != std::string::npos ? decodeHeaderText(bytes) : sanitizeUtf8(bytes);
    }
    return p;
}

}  // namespace

ParameterList parseParameters(std::string_view text, bool* clean) {
    bool ok = true;
    HeaderLexer lex(text, true);
    RawParameters raw;
    std::size_t count = 0;
    for (Token t = lex.next(); t.kind != Token::End;) {
        if (t.kind == Token::Special && t.text == ";") {
            t = lex.next();
            continue;
        }
        if (t.kind != Token::Atom) {
            ok = false;
            t = lex.next();
            continue;
        }
        std::string attribute = toLower(t.text);
        Token eq = lex.next();
        if (eq.kind != Token::Special || eq.text != "=") {
            ok = false;
            t = eq;
            continue;
        }
        // The value: a token or quoted-string; leniently, anything up to the next ";" is glued on.
        std::string value;
        for (t = lex.next(); t.kind != Token::End && !(t.kind == Token::Special && t.text == ";"); t = lex.next()) {
            if (!value.empty() && lex.whitespaceBefore()) value += ' ';
            value += t.text;
        }
        if (++count > kMaxParameters) {
            ok = false;
            continue;
        }
        if (!addRawParameter(raw, std::move(attribute), std::move(value))) ok = false;
    }
    ParameterList list;
    for (const auto& name : raw.order) list.items.push_back(joinSections(name, raw.raw[name], ok));
    if (clean) *clean = ok;
    return list;
}

ContentType defaultContentType(bool inDigest) {
    ContentType ct;
    if (inDigest) {
        ct.type = "message";
        ct.subtype = "rfc822";
    } else {
        ct.params.items.push_back(Parameter{"charset", "us-ascii", "us-ascii", false, {}, {}});
    }
    return ct;
}

ContentType parseContentType(std::string_view value) {
    HeaderLexer lex(value, true);
    Token type = lex.next(), slash = lex.next(), subtype = lex.next();
    if (type.kind != Token::Atom || slash.kind != Token::Special || slash.text != "/" || subtype.kind != Token::Atom) {
        ContentType ct = defaultContentType(false);
        ct.valid = false;
        ct.present = true;
        return ct;
    }
    ContentType ct;
    ct.present = true;
    ct.type = toLower(type.text);
    ct.subtype = toLower(subtype.text);
    std::size_t rest = value.find(';');
    if (rest != std::string_view::npos) ct.params = parseParameters(value.substr(rest));
    return ct;
}

ContentDisposition parseContentDisposition(std::string_view value) {
    ContentDisposition d;
    HeaderLexer lex(value, true);
    Token t = lex.next();
    if (t.kind == Token::Atom) d.type = toLower(t.text);
    std::size_t rest = value.find(';');
    if (rest != std::string_view::npos) d.params = parseParameters(value.substr(rest));
    return d;
}

}  // namespace mailsim::message
