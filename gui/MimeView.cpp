#include "MimeView.hpp"

#include "message/HeaderText.hpp"
#include "message/MimeMessage.hpp"

#include <algorithm>
#include <cstdio>

namespace mailsim::gui {
namespace {

std::vector<MimeHeaderRow> headerRows(const std::vector<message::HeaderField>& fields) {
    std::vector<MimeHeaderRow> rows;
    rows.reserve(fields.size());
    for (const message::HeaderField& f : fields) {
        MimeHeaderRow r;
        r.name = f.name;
        r.raw = f.value;
        r.decoded = message::decodeHeaderText(f.value);
        r.encoded = r.decoded != r.raw;
        rows.push_back(std::move(r));
    }
    return rows;
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::size_t utf8Cut(std::string_view s, std::size_t max) {
    if (s.size() <= max) return s.size();
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
    return n;
}

std::string labelOf(const MimePartView& p) {
    // Type and file name first: the rest may be clipped in a narrow panel.
    std::string label = p.mimeType;
    if (!p.filename.empty()) label += "  \"" + p.filename + "\"";
    if (!p.charset.empty()) label += "  " + p.charset;
    if (!p.multipart && !p.message) {
        label += "  " + p.encoding + "  " + formatSize(p.wireSize);
        if (p.decodedSize != p.wireSize) label += " \xe2\x86\x92 " + formatSize(p.decodedSize);  // →
    } else if (p.multipart) {
        label += "  " + formatSize(p.wireSize);
    }
    if (p.attachment) label += "  (attachment)";
    return label;
}

}  // namespace

std::string formatSize(std::size_t octets) {
    char buf[32];
    if (octets < 1024) std::snprintf(buf, sizeof buf, "%zu B", octets);
    else if (octets < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(octets) / 1024.0);
    else std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(octets) / (1024.0 * 1024.0));
    return buf;
}

std::vector<std::string> hexDump(std::string_view bytes, std::size_t perLine) {
    std::vector<std::string> lines;
    if (perLine == 0) return lines;
    lines.reserve((bytes.size() + perLine - 1) / perLine);
    for (std::size_t at = 0; at < bytes.size(); at += perLine) {
        std::string line;
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04zx ", at);
        line += buf;
        for (std::size_t i = 0; i < perLine; ++i) {
            if (i == perLine / 2) line += ' ';
            if (at + i < bytes.size()) {
                std::snprintf(buf, sizeof buf, " %02x", static_cast<unsigned char>(bytes[at + i]));
                line += buf;
            } else {
                line += "   ";
            }
        }
        line += "  |";
        for (std::size_t i = 0; i < perLine && at + i < bytes.size(); ++i) {
            const unsigned char c = static_cast<unsigned char>(bytes[at + i]);
            line += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.';
        }
        line += '|';
        lines.push_back(std::move(line));
    }
    return lines;
}

std::size_t MimeInspection::firstShownPart() const {
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (parts[i].text) return i;
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (!parts[i].multipart && !parts[i].message) return i;
    return 0;
}

std::string MimeInspection::glyphText() const {
    std::string text = subject + from + to;
    for (const MimeHeaderRow& h : headers)
        if (h.encoded) text += h.decoded;
    for (const MimePartView& p : parts) {
        text += p.label;
        text += p.content;
        for (const MimeHeaderRow& h : p.headers)
            if (h.encoded) text += h.decoded;
    }
    return text;
}

MimeInspection inspectMessage(std::string raw) {
    MimeInspection out;
    const message::Message m = message::Message::parse(std::move(raw));
    out.raw = m.raw();
    out.problems = m.problems();
    out.subject = m.subject();
    out.from = message::decodeHeaderText(m.root().headerValue("From"));
    out.to = message::decodeHeaderText(m.root().headerValue("To"));
    out.headers = headerRows(m.root().headers);
    for (const message::MimePart* part : m.parts()) {
        MimePartView p;
        p.depth = part->depth;
        p.mimeType = part->contentType.mimeType();
        p.multipart = part->kind == message::MimePart::Kind::Multipart;
        p.message = part->kind == message::MimePart::Kind::Message;
        p.encoding = part->transferEncoding;
        p.disposition = part->disposition.type;
        p.filename = part->filename();
        p.attachment = part->isAttachment();
        p.wireSize = part->body.length;
        p.lines = part->lines;
        if (p.multipart) p.boundary = part->contentType.params.get("boundary");
        // Only the message's own header goes into `headers`; a part lists its fields here.
        if (part != &m.root()) p.headers = headerRows(part->headers);
        if (!p.multipart && !p.message) {
            const bool isText = part->contentType.type == "text";
            if (isText) {
                p.charset = part->charset();
                p.text = true;
                p.decodedSize = m.decodedBody(*part).size();
                std::string text = m.text(*part);
                const std::size_t cut = utf8Cut(text, kMaxShownBytes);
                p.omitted = text.size() - cut;
                text.resize(cut);
                p.content = std::move(text);
            } else {
                std::string body = m.decodedBody(*part);
                p.decodedSize = body.size();
                const std::size_t shown = std::min(body.size(), kMaxShownBytes);
                p.omitted = body.size() - shown;
                p.hex = hexDump(std::string_view(body).substr(0, shown), 16);
                p.hexNarrow = hexDump(std::string_view(body).substr(0, shown), 8);
            }
        }
        p.label = labelOf(p);
        out.parts.push_back(std::move(p));
    }
    return out;
}

}  // namespace mailsim::gui
