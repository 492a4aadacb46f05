#include "message/Downgrade.hpp"

#include "message/Codecs.hpp"
#include "message/HeaderText.hpp"
#include "message/MimeBuilder.hpp"
#include "message/MimeMessage.hpp"

#include <array>

namespace mailsim::message {

namespace {

bool isAddressField(std::string_view name) {
    static constexpr std::array<std::string_view, 6> kNames{"From", "Sender", "Reply-To", "To", "Cc", "Bcc"};
    std::string_view base = name;
    if (base.size() > 7 && iequals(base.substr(0, 7), "Resent-")) base.remove_prefix(7);
    for (auto n : kNames)
        if (iequals(base, n)) return true;
    return false;
}

bool isUnstructured(std::string_view name) {
    return iequals(name, "Subject") || iequals(name, "Comments") || iequals(name, "Keywords") ||
           iequals(name, "Content-Description") || (name.size() > 2 && iequals(name.substr(0, 2), "X-"));
}

// Encoded words for `text` as the value of a field named `name` (the fallback for anything that cannot be encoded
// is the sanitised text itself, which cannot happen: the value has no CR or LF once unfolded).
std::string words(std::string_view text, std::size_t used) {
    auto enc = encodeHeaderText(sanitizeUtf8(text), used);
    return enc ? *enc : std::string(text);
}

std::string phrase(std::string_view text, std::size_t used) {
    auto enc = encodePhrase(sanitizeUtf8(text), used);
    return enc ? *enc : std::string(text);
}

std::string mailbox(const Mailbox& m, std::size_t used) {
    std::string addr = m.address();
    std::string name = m.displayName();
    if (isAscii(addr)) {
        auto f = formatMailbox(sanitizeUtf8(name), addr, used);
        if (f) return *f;
    }
    // A UTF-8 address: the whole mailbox as the name of an empty group (RFC 6857 3.1.10).
    return phrase(name.empty() ? addr : name + " <" + addr + ">", used) + " :;";
}

// nullopt when the list does not parse cleanly (then the caller keeps the text under a Downgraded- name).
std::optional<std::string> addressValue(std::string_view value, std::size_t used) {
    AddressList list = parseAddressList(value);
    if (!list.clean || list.truncated || list.entries.empty()) return std::nullopt;
    std::string out;
    for (const auto& entry : list.entries) {
        if (!out.empty()) out += ", ";
        if (entry.group) {
            out += phrase(decodeHeaderText(entry.groupName), used) + ":";
            for (std::size_t i = 0; i < entry.members.size(); ++i)
                out += (i ? ", " : " ") + mailbox(entry.members[i], used);
            out += ";";
        } else if (!entry.members.empty()) {
            out += mailbox(entry.members.front(), used);
        }
    }
    return out;
}

}  // namespace

std::optional<std::string> downgradeHeader(std::string_view raw) {
    Message msg = Message::parse(std::string(raw));
    const MimePart& root = msg.root();
    if (isAscii(msg.bytes(root.header))) return std::nullopt;
    std::string out;
    std::size_t cursor = 0;
    for (const auto& field : root.headers) {
        std::string_view original = msg.bytes(field.range);
        out += raw.substr(cursor, field.range.offset - cursor);
        cursor = field.range.end();
        if (isAscii(original)) {
            out += original;
            continue;
        }
        std::string_view eol = original.ends_with("\r\n") ? "\r\n" : "\n";
        std::string name = field.name;
        std::string value;
        auto addresses = isAddressField(name) ? addressValue(field.value, name.size() + 2) : std::nullopt;
        if (addresses) {
            value = std::move(*addresses);
        } else if (isUnstructured(name)) {
            value = words(field.value, name.size() + 2);
        } else {
            name = "Downgraded-" + name;
            value = words(field.value, name.size() + 2);
        }
        out += name + ": " + value;
        out += eol;
    }
    out += raw.substr(cursor);
    return out;
}

}  // namespace mailsim::message
