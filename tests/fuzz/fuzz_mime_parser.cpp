// libFuzzer target: arbitrary bytes as a message into the MIME parser (engine/message), then every accessor.
//
// Checked on every input, beyond the sanitizers:
// - every part's ranges lie inside its parent's and inside the message; headers follow each other in order;
// - nesting never exceeds kMaxMimeDepth, parts never exceed kMaxMimeParts, header fields kMaxHeaderFields;
// - a Multipart part has children, a Message part exactly one;
// - decoding a part in chunks gives what decoding it whole gives; decoded text is valid UTF-8 (round trip through
//   sanitizeUtf8 changes nothing);
// - IMAP BODYSTRUCTURE/ENVELOPE are computed and BODYSTRUCTURE's parentheses balance outside strings;
// - parsing the same bytes twice gives the same structure.
#include "message/ImapStructure.hpp"
#include "message/Codecs.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim::message;

namespace {

bool inside(Range inner, Range outer) { return inner.offset >= outer.offset && inner.end() <= outer.end(); }

std::size_t checkPart(const Message& m, const MimePart& p, Range parent) {
    check(inside(p.whole, parent));
    check(inside(p.header, p.whole) && inside(p.body, p.whole));
    check(p.header.end() == p.body.offset);
    check(p.depth <= kMaxMimeDepth);
    check(p.headers.size() <= kMaxHeaderFields);
    std::size_t last = p.whole.offset;
    for (const auto& f : p.headers) {
        check(f.range.offset >= last && inside(f.range, p.header));
        last = f.range.end();
    }
    if (p.kind == MimePart::Kind::Multipart) check(!p.children.empty());
    if (p.kind == MimePart::Kind::Message) check(p.children.size() == 1);
    if (p.kind == MimePart::Kind::Leaf) check(p.children.empty());
    std::string whole = m.decodedBody(p);
    std::string pieces;
    m.decodeBody(p, [&](std::string_view s) { pieces += s; }, 5);
    check(pieces == whole);
    std::string text = m.text(p);
    check(sanitizeUtf8(text) == text);
    std::string name = p.filename();
    check(sanitizeUtf8(name) == name);
    std::size_t count = 1;
    for (const auto& c : p.children) count += checkPart(m, c, p.body);
    return count;
}

// Parentheses outside quoted strings and literals.
bool balanced(std::string_view s) {
    long depth = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
            for (++i; i < s.size() && s[i] != '"'; ++i)
                if (s[i] == '\\') ++i;
        } else if (c == '{') {
            std::size_t close = s.find("}\r\n", i);
            if (close == std::string_view::npos) return false;
            i = close + 2 + std::strtoul(std::string(s.substr(i + 1, close - i - 1)).c_str(), nullptr, 10);
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            if (--depth < 0) return false;
        }
    }
    return depth == 0;
}

std::string shape(const MimePart& p) {
    std::string s = p.contentType.mimeType() + ":" + std::to_string(p.body.offset) + "+" + std::to_string(p.body.length);
    for (const auto& c : p.children) s += "(" + shape(c) + ")";
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string raw(reinterpret_cast<const char*>(data), size);
    Message m = Message::parse(raw);
    check(m.raw() == raw);
    std::size_t parts = checkPart(m, m.root(), Range{0, raw.size()});
    check(parts <= kMaxMimeParts);
    check(m.problems().size() <= kMaxProblems);
    std::string subject = m.subject();
    check(sanitizeUtf8(subject) == subject);
    for (const auto& mb : m.addresses("From").mailboxes()) (void)mb.displayName();
    (void)m.date();
    std::string bs = imapBodyStructure(m);
    check(balanced(bs));
    check(balanced(imapBodyStructure(m, false)));
    check(balanced(imapEnvelope(m)));
    check(shape(Message::parse(raw).root()) == shape(m.root()));
    return 0;
}

// Vocabulary for the replay runner's generated inputs (see FuzzReplayMain.cpp).
extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "Content-Type: multipart/mixed; boundary=b\r\n", "Content-Type: multipart/digest; boundary=\"b\"\r\n",
        "Content-Type: message/rfc822\r\n", "Content-Type: text/plain; charset=gbk\r\n",
        "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n",
        "Content-Disposition: attachment; filename*0*=utf-8''%E4%B8; filename*1*=%AD.txt\r\n",
        "Subject: =?gb2312?B?1tDOxA==?= =?utf-8?Q?=E4=B8=AD?=\r\n", "From: \"A, B\" <a@b.c>, G: x@y;, (c) d@e\r\n",
        "Date: Mon, 04 Mar 2024 09:00:00 +0800\r\n", "\r\n", "\n", "--b\r\n", "--b--\r\n", "--b", "=\r\n", "=E4",
        "5Lit5paH\r\n", " folded\r\n", "\t", ":", ";", "\"", "(", ")", "=?", "?=", std::string_view("\x00\xff", 2)};
    *tokens = kTokens;
    return std::size(kTokens);
}
