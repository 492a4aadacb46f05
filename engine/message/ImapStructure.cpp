#include "message/ImapStructure.hpp"

#include "message/Codecs.hpp"
#include "util/Ascii.hpp"

#include <fmt/format.h>

namespace mailsim::message {
namespace {

std::string addressList(const MimePart& part, std::string_view fieldName, std::string_view fallback = {}) {
    const HeaderField* f = part.field(fieldName);
    if ((!f || f->value.empty()) && !fallback.empty()) f = part.field(fallback);
    if (!f) return "NIL";
    AddressList list = parseAddressList(f->value);
    std::string out;
    auto mailbox = [&out](const Mailbox& m) {
        out += fmt::format("({} {} {} {})", imapNString(m.name), imapNString(m.route), imapString(m.local),
                           imapString(m.domain));
    };
    for (const auto& e : list.entries) {
        if (e.group) {
            out += fmt::format("(NIL NIL {} NIL)", imapString(e.groupName));
            for (const auto& m : e.members) mailbox(m);
            out += "(NIL NIL NIL NIL)";
        } else {
            for (const auto& m : e.members) mailbox(m);
        }
    }
    return out.empty() ? "NIL" : "(" + out + ")";
}

std::string parameters(const ParameterList& params) {
    if (params.items.empty()) return "NIL";
    std::string out = "(";
    for (const auto& p : params.items) {
        if (out.size() > 1) out += ' ';
        out += imapString(util::asciiUpper(p.name) + (p.extended ? "*" : "")) + " " + imapString(p.wireValue);
    }
    return out + ")";
}

std::string disposition(const MimePart& part) {
    if (part.disposition.type.empty()) return "NIL";
    return fmt::format("({} {})", imapString(util::asciiUpper(part.disposition.type)), parameters(part.disposition.params));
}

// Content-Language (RFC 3282): one tag as a string, several as a list.
std::string language(const MimePart& part) {
    std::string value = part.headerValue("Content-Language");
    std::vector<std::string> tags;
    HeaderLexer lex(value, true);
    for (Token t = lex.next(); t.kind != Token::End; t = lex.next())
        if (t.kind == Token::Atom) tags.push_back(t.text);
    if (tags.empty()) return "NIL";
    if (tags.size() == 1) return imapString(tags[0]);
    std::string out = "(";
    for (const auto& t : tags) out += (out.size() > 1 ? " " : "") + imapString(t);
    return out + ")";
}

std::string extension(const MimePart& part) {
    return fmt::format("{} {} {}", disposition(part), language(part), imapNString(part.headerValue("Content-Location")));
}

}  // namespace

std::string imapString(std::string_view s) {
    bool quotable = true;
    for (unsigned char c : s)
        if (c == 0 || c == '\r' || c == '\n' || c >= 0x80) quotable = false;
    if (!quotable) return fmt::format("{{{}}}\r\n{}", s.size(), s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string imapNString(std::string_view s) { return s.empty() ? std::string("NIL") : imapString(s); }

std::string imapEnvelope(const Message&, const MimePart& part) {
    return fmt::format("({} {} {} {} {} {} {} {} {} {})", imapNString(part.headerValue("Date")),
                       imapNString(part.headerValue("Subject")), addressList(part, "From"),
                       addressList(part, "Sender", "From"), addressList(part, "Reply-To", "From"),
                       addressList(part, "To"), addressList(part, "Cc"), addressList(part, "Bcc"),
                       imapNString(part.headerValue("In-Reply-To")), imapNString(part.headerValue("Message-ID")));
}

std::string imapEnvelope(const Message& message) { return imapEnvelope(message, message.root()); }

std::string imapBodyStructure(const Message& message, const MimePart& part, bool extensible) {
    if (part.kind == MimePart::Kind::Multipart) {
        std::string out = "(";
        for (const auto& child : part.children) out += imapBodyStructure(message, child, extensible);
        out += " " + imapString(util::asciiUpper(part.contentType.subtype));
        if (extensible) out += " " + parameters(part.contentType.params) + " " + extension(part);
        return out + ")";
    }
    std::string out = fmt::format("({} {} {} {} {} {} {}", imapString(util::asciiUpper(part.contentType.type)),
                                  imapString(util::asciiUpper(part.contentType.subtype)), parameters(part.contentType.params),
                                  imapNString(part.headerValue("Content-ID")),
                                  imapNString(part.headerValue("Content-Description")),
                                  imapString(util::asciiUpper(part.transferEncoding)), part.body.length);
    if (part.kind == MimePart::Kind::Message) {
        const MimePart& inner = part.children.front();
        out += fmt::format(" {} {} {}", imapEnvelope(message, inner), imapBodyStructure(message, inner, extensible),
                           part.lines);
    } else if (part.contentType.type == "text") {
        out += fmt::format(" {}", part.lines);
    }
    if (extensible) out += " " + imapNString(part.headerValue("Content-MD5")) + " " + extension(part);
    return out + ")";
}

std::string imapBodyStructure(const Message& message, bool extensible) {
    return imapBodyStructure(message, message.root(), extensible);
}

}  // namespace mailsim::message
