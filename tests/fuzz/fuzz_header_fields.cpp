// libFuzzer target: header field values through every parser of engine/message that reads them - RFC 2047
// encoded words (decodeHeaderText), RFC 2045/2231 parameters (parseContentType, parseContentDisposition,
// parseParameters), RFC 5322 addresses (parseAddressList) and dates (parseDate) - and the matching encoders.
//
// Checked, beyond the sanitizers:
// - decoded text is valid UTF-8 (sanitizeUtf8 changes nothing);
// - parameters stay within kMaxParameters, address lists within their cap (else `truncated`);
// - a parsed date lies within years 1900..9999;
// - encoders: text without CR/LF encodes and decodes back to itself (encodeHeaderText, encodePhrase via an
//   address list); text with CR/LF is refused (header injection).
#include "message/Address.hpp"
#include "message/Codecs.hpp"
#include "message/HeaderText.hpp"
#include "message/MimeBuilder.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim::message;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view value(reinterpret_cast<const char*>(data), size);

    const std::string decoded = decodeHeaderText(value);
    check(sanitizeUtf8(decoded) == decoded);

    bool clean = true;
    const ParameterList params = parseParameters(value, &clean);
    check(params.items.size() <= kMaxParameters);
    for (const auto& p : params.items) (void)params.get(p.name);
    const ContentType type = parseContentType(value);
    check(type.mimeType() == type.type + "/" + type.subtype);
    (void)parseContentDisposition(value);

    const AddressList list = parseAddressList(value);
    for (const auto& m : list.mailboxes()) (void)m.displayName();

    if (auto when = parseDate(value)) {
        check(*when >= -2208988800LL * 1'000'000 && *when <= 253402300799LL * 1'000'000);
    }

    const std::string text = sanitizeUtf8(value);
    auto encoded = encodeHeaderText(text, 9);
    if (text.find_first_of("\r\n") != std::string::npos) {
        check(!encoded.has_value());
        check(!encodePhrase(text, 6).has_value());
    } else {
        check(encoded.has_value());
        check(encoded->find_first_of("\r\n") == std::string::npos || encoded->find("\r\n ") != std::string::npos);
        std::string unfolded;
        for (std::size_t i = 0; i < encoded->size(); ++i) {
            if (encoded->compare(i, 2, "\r\n") == 0) {
                ++i;
                continue;
            }
            unfolded += (*encoded)[i];
        }
        if (text.find("  ") == std::string::npos && text.find('\t') == std::string::npos &&
            !text.starts_with(' ') && !text.ends_with(' '))
            check(decodeHeaderText(unfolded) == text);
    }
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "=?UTF-8?B?5ZGo5pyr?=", "=?utf-8?Q?caf=C3=A9?=", "=?gb2312?B?", "?=", " ", "text/plain", "; charset=utf-8",
        "; name*0*=utf-8''%E6%8A", "; name*1*=%A5", "multipart/mixed; boundary=\"x\"", "attachment; filename=",
        "Mike <mike@cesoo.com>", "\"Smith, Mike\" <m@x>", "Friends: a@x, b@y;", "(comment)", "<>",
        "Mon, 4 Mar 2024 09:00:00 +0800", "4 Mar 24 09:00 EST", "31 Feb 1999 25:61:61 -9999", ",", "\\"};
    *tokens = kTokens;
    return std::size(kTokens);
}
