// Theory of operation
//
// The parser works on the complete message, which the Message owns, and records only offsets into it; it decodes
// no body while parsing. `parsePart(range, depth)` reads one entity (RFC 2045 2.4): its header block, then its
// body, and recurses:
//
//   header   Lines up to the first empty line. A line starting with white space continues the previous field
//            (unfolding, RFC 5322 2.2.3). A line with no colon, or with a name that is not printable ASCII without
//            spaces (RFC 5322 2.2), is not a header field: the header ends there and that line starts the body,
//            so the text stays visible instead of being lost. Line ends may be CRLF or a bare LF. Only the first
//            kMaxHeaderFields fields are kept; the rest are skipped over without being unfolded.
//   multipart  The body is cut at delimiter lines "--boundary" (RFC 2046 5.1.1): at the start of a line, followed
//            by optional white space and the line end, or by "--" for the close delimiter. The line end before a
//            delimiter belongs to the delimiter. What precedes the first delimiter is the preamble, what follows
//            the close delimiter the epilogue; both are ignored. No close delimiter: the last part runs to the end
//            of the body (problem recorded). No delimiter at all, or no boundary parameter: the part is treated as
//            one text/plain leaf. Each part is parsed in its own range, so a broken inner multipart can never
//            swallow its parent's delimiters. Parts of multipart/digest default to message/rfc822 (5.1.5).
//   message  message/rfc822 (and message/global) in 7bit/8bit/binary: the body is parsed as a message, the one
//            child of the part (RFC 2046 5.2.1). Encoded with base64 or quoted-printable (not allowed) it stays
//            a leaf.
//   limits   Deeper than kMaxMimeDepth, or past kMaxMimeParts parts, a multipart or message is not opened: it
//            becomes a text/plain leaf (as every container that is not opened does) and the problem is recorded.
//            So a Multipart part always has children and a Message part always has its one child.
//
// Each level scans its own range once, so the cost is linear in the size for each level of nesting.
#include "message/MimeMessage.hpp"

#include "message/Codecs.hpp"

#include <algorithm>

namespace mailsim::message {

const HeaderField* MimePart::field(std::string_view name) const {
    for (const auto& f : headers)
        if (iequals(f.name, name)) return &f;
    return nullptr;
}

std::string MimePart::headerValue(std::string_view name) const {
    const HeaderField* f = field(name);
    return f ? f->value : std::string();
}

TransferEncoding MimePart::encoding() const {
    if (transferEncoding == "7bit") return TransferEncoding::SevenBit;
    if (transferEncoding == "8bit") return TransferEncoding::EightBit;
    if (transferEncoding == "binary") return TransferEncoding::Binary;
    if (transferEncoding == "base64") return TransferEncoding::Base64;
    if (transferEncoding == "quoted-printable") return TransferEncoding::QuotedPrintable;
    return TransferEncoding::Unknown;
}

std::string_view toString(TransferEncoding encoding) {
    switch (encoding) {
        case TransferEncoding::SevenBit: return "7bit";
        case TransferEncoding::EightBit: return "8bit";
        case TransferEncoding::Binary: return "binary";
        case TransferEncoding::Base64: return "base64";
        case TransferEncoding::QuotedPrintable: return "quoted-printable";
        case TransferEncoding::Unknown: break;
    }
    return "unknown";
}

std::string MimePart::charset() const {
    std::string cs = toLower(contentType.params.get("charset"));
    if (cs.empty() && contentType.type == "text") cs = "us-ascii";
    return cs;
}

std::string MimePart::filename() const {
    std::string name = disposition.params.get("filename");
    return name.empty() ? contentType.params.get("name") : name;
}

bool MimePart::isAttachment() const {
    if (disposition.type == "attachment") return true;
    return disposition.type != "inline" && kind == Kind::Leaf && contentType.type != "text" && !filename().empty();
}

namespace {

class Parser {
public:
    Parser(std::string_view raw, std::vector<std::string>& problems) : m_raw(raw), m_problems(problems) {}

    MimePart parsePart(Range whole, int depth, bool inDigest) {
        ++m_parts;
        MimePart part;
        part.whole = whole;
        part.depth = depth;
        std::size_t bodyStart = parseHeader(part, whole);
        part.header = Range{whole.offset, bodyStart - whole.offset};
        part.body = Range{bodyStart, whole.end() - bodyStart};
        part.lines = countLines(part.body);

        const HeaderField* ct = part.field("Content-Type");
        part.contentType = ct ? parseContentType(ct->value) : defaultContentType(inDigest);
        if (ct && !part.contentType.valid) problem("a Content-Type that could not be read (taken as text/plain)");
        if (const HeaderField* cte = part.field("Content-Transfer-Encoding")) {
            HeaderLexer lex(cte->value, true);
            Token t = lex.next();
            part.transferEncoding = t.kind == Token::Atom ? toLower(t.text) : std::string("7bit");
            if (part.encoding() == TransferEncoding::Unknown) problem("an unknown Content-Transfer-Encoding");
        }
        if (const HeaderField* cd = part.field("Content-Disposition")) part.disposition = parseContentDisposition(cd->value);

        bool identity = part.encoding() == TransferEncoding::SevenBit || part.encoding() == TransferEncoding::EightBit ||
                        part.encoding() == TransferEncoding::Binary;
        bool container = part.contentType.isMultipart() || part.contentType.isMessage();
        if (!container) return part;
        // A container that is not opened becomes a text leaf (its header still says what it claimed to be).
        if (!identity) {
            problem("a multipart or message/rfc822 with a base64 or quoted-printable encoding (kept as one part)");
            degrade(part);
            return part;
        }
        if (depth >= kMaxMimeDepth) {
            problem("MIME nesting deeper than kMaxMimeDepth (the rest is kept as one part)");
            degrade(part);
            return part;
        }
        if (m_parts >= kMaxMimeParts) {
            problem("more than kMaxMimeParts MIME parts (the rest is kept as one part)");
            degrade(part);
            return part;
        }
        if (part.contentType.isMessage()) {
            part.kind = MimePart::Kind::Message;
            part.children.push_back(parsePart(part.body, depth + 1, false));
            return part;
        }
        splitMultipart(part);
        return part;
    }

private:
    void problem(std::string what) {
        if (m_problems.size() < kMaxProblems && std::ranges::find(m_problems, what) == m_problems.end())
            m_problems.push_back(std::move(what));
    }

    std::size_t countLines(Range r) const {
        std::string_view b = m_raw.substr(r.offset, r.length);
        std::size_t n = static_cast<std::size_t>(std::ranges::count(b, '\n'));
        if (!b.empty() && b.back() != '\n') ++n;
        return n;
    }

    // Reads the header block of `whole` into part.headers; returns where the body starts.
    std::size_t parseHeader(MimePart& part, Range whole) {
        std::size_t pos = whole.offset;
        const std::size_t end = whole.end();
        std::size_t fieldCount = 0;
        bool keeping = false;  // the current field is stored (continuations extend it)
        while (pos < end) {
            std::size_t lf = m_raw.find('\n', pos);
            std::size_t next = (lf == std::string_view::npos || lf >= end) ? end : lf + 1;
            std::string_view line = m_raw.substr(pos, next - pos);
            std::string_view content = line;
            if (content.ends_with('\n')) content.remove_suffix(1);
            if (content.ends_with('\r')) content.remove_suffix(1);
            if (content.empty()) {  // the blank line: the body follows
                if (keeping) trimValue(part.headers.back());
                return next;
            }
            if (content[0] == ' ' || content[0] == '\t') {
                if (fieldCount == 0) {
                    problem("a header that starts with a continuation line");
                } else if (keeping) {
                    HeaderField& f = part.headers.back();
                    f.value += content;
                    f.range.length = next - f.range.offset;
                }
                pos = next;
                continue;
            }
            std::size_t colon = content.find(':');
            std::string_view name = colon == std::string_view::npos ? std::string_view() : content.substr(0, colon);
            while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);  // obs-optional
            bool validName = !name.empty() && std::ranges::all_of(name, [](char c) {
                auto u = static_cast<unsigned char>(c);
                return u > 32 && u < 127;
            });
            if (!validName) {
                problem("a header line without a colon (the body starts there)");
                if (keeping) trimValue(part.headers.back());
                return pos;
            }
            if (++fieldCount > kMaxHeaderFields) {
                if (keeping) trimValue(part.headers.back());
                keeping = false;
                problem("more than kMaxHeaderFields header fields (the rest are ignored)");
            } else {
                if (keeping) trimValue(part.headers.back());
                keeping = true;
                part.headers.push_back(HeaderField{std::string(name), std::string(content.substr(colon + 1)),
                                                   Range{pos, next - pos}});
            }
            pos = next;
        }
        if (keeping) trimValue(part.headers.back());
        return end;  // a header with no body
    }

    static void trimValue(HeaderField& f) {
        std::size_t a = f.value.find_first_not_of(" \t");
        std::size_t b = f.value.find_last_not_of(" \t");
        f.value = a == std::string::npos ? std::string() : f.value.substr(a, b - a + 1);
    }

    // RFC 2046 5.1.1: is there a delimiter line at `pos` (a line start)? Sets `close` for "--boundary--" and
    // `next` to the start of the following line.
    bool delimiterAt(std::size_t pos, std::size_t end, std::string_view dashBoundary, bool& close, std::size_t& next) const {
        std::size_t p = pos + dashBoundary.size();
        close = p + 1 < end && m_raw[p] == '-' && m_raw[p + 1] == '-';
        if (close) p += 2;
        while (p < end && (m_raw[p] == ' ' || m_raw[p] == '\t')) ++p;
        if (p < end && m_raw[p] == '\r') ++p;
        if (p < end && m_raw[p] != '\n' && !close) return false;  // "--boundaryX": a longer, different boundary
        std::size_t lf = m_raw.find('\n', p);
        next = (lf == std::string_view::npos || lf >= end) ? end : lf + 1;
        return true;
    }

    void splitMultipart(MimePart& part) {
        const Parameter* b = part.contentType.params.find("boundary");
        std::string boundary = b ? b->wireValue : std::string();
        if (boundary.empty() || boundary.size() > 200) {
            problem("a multipart without a usable boundary parameter (kept as one text part)");
            return degrade(part);
        }
        const std::string dashBoundary = "--" + boundary;
        const bool digest = part.contentType.subtype == "digest";
        const std::size_t begin = part.body.offset, end = part.body.end();
        std::size_t search = begin;
        std::size_t partStart = std::string::npos;  // start of the part being collected
        bool closed = false;
        while (search < end) {
            std::size_t hit = m_raw.substr(0, end).find(dashBoundary, search);
            if (hit == std::string_view::npos) break;
            search = hit + 1;
            if (hit != begin && m_raw[hit - 1] != '\n') continue;
            bool close = false;
            std::size_t next = 0;
            if (!delimiterAt(hit, end, dashBoundary, close, next)) continue;
            if (partStart != std::string::npos) {
                std::size_t partEnd = hit;
                if (partEnd > partStart && m_raw[partEnd - 1] == '\n') --partEnd;
                if (partEnd > partStart && m_raw[partEnd - 1] == '\r') --partEnd;
                if (!addChild(part, Range{partStart, partEnd - partStart}, digest)) return;
            }
            if (close) {
                closed = true;
                break;
            }
            partStart = next;
            search = next;
        }
        if (!closed && partStart != std::string::npos) {
            problem("a multipart without its closing boundary (the last part runs to the end)");
            addChild(part, Range{partStart, end - partStart}, digest);
        }
        if (part.children.empty()) {
            problem("a multipart whose boundary never occurs (kept as one text part)");
            return degrade(part);
        }
        part.kind = MimePart::Kind::Multipart;
    }

    bool addChild(MimePart& part, Range r, bool digest) {
        if (m_parts >= kMaxMimeParts) {
            problem("more than kMaxMimeParts MIME parts (the rest is kept as one part)");
            return false;
        }
        part.children.push_back(parsePart(r, part.depth + 1, digest));
        return true;
    }

    static void degrade(MimePart& part) {
        part.kind = MimePart::Kind::Leaf;
        part.children.clear();
        bool present = part.contentType.present;
        part.contentType = defaultContentType(false);
        part.contentType.valid = false;
        part.contentType.present = present;
    }

    std::string_view m_raw;
    std::vector<std::string>& m_problems;
    std::size_t m_parts = 0;
};

void collect(const MimePart& p, std::vector<const MimePart*>& out) {
    out.push_back(&p);
    for (const auto& c : p.children) collect(c, out);
}

}  // namespace

Message Message::parse(std::string raw) {
    Message m;
    m.m_raw = std::move(raw);
    Parser parser(m.m_raw, m.m_problems);
    m.m_root = parser.parsePart(Range{0, m.m_raw.size()}, 0, false);
    return m;
}

void Message::decodeBody(const MimePart& part, const std::function<void(std::string_view)>& sink,
                         std::size_t chunk) const {
    std::string_view in = bytes(part.body);
    if (chunk == 0) chunk = 64 * 1024;
    std::string out;
    auto run = [&](auto& decoder) {
        for (std::size_t i = 0; i < in.size(); i += chunk) {
            out.clear();
            decoder.feed(in.substr(i, chunk), out);
            if (!out.empty()) sink(out);
        }
        out.clear();
        decoder.finish(out);
        if (!out.empty()) sink(out);
    };
    if (part.kind == MimePart::Kind::Leaf && part.encoding() == TransferEncoding::Base64) {
        Base64Decoder d;
        run(d);
    } else if (part.kind == MimePart::Kind::Leaf && part.encoding() == TransferEncoding::QuotedPrintable) {
        QuotedPrintableDecoder d;
        run(d);
    } else {
        for (std::size_t i = 0; i < in.size(); i += chunk) sink(in.substr(i, chunk));
    }
}

std::string Message::decodedBody(const MimePart& part) const {
    std::string out;
    decodeBody(part, [&out](std::string_view s) { out += s; });
    return out;
}

std::string Message::text(const MimePart& part) const {
    std::string bytes = decodedBody(part);
    std::string cs = part.charset();
    if (auto utf8 = toUtf8(cs.empty() ? "us-ascii" : cs, bytes)) return *utf8;
    return sanitizeUtf8(bytes);
}

std::vector<const MimePart*> Message::parts() const {
    std::vector<const MimePart*> out;
    collect(m_root, out);
    return out;
}

}  // namespace mailsim::message
