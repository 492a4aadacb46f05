#include "auth/Sasl.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace mailsim::auth {

std::string md5Hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr) != 1) return {};
    std::string out;
    for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", digest[i]);
    return out;
}

std::string hmacMd5Hex(std::string_view key, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_md5(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
              data.size(), digest, &len))
        return {};
    std::string out;
    for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", digest[i]);
    return out;
}

std::string apopDigest(std::string_view timestamp, std::string_view secret) {
    std::string input(timestamp);
    input += secret;
    return md5Hex(input);
}

std::string base64Encode(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
    if (text.size() % 4 != 0 || text.size() > (1u << 20)) return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
                  (c == '=' && i + 2 >= text.size() && (i + 1 == text.size() || text.back() == '='));
        if (!ok) return std::nullopt;
    }
    std::string out(text.size() / 4 * 3 + 1, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    std::size_t len = static_cast<std::size_t>(n);
    if (text.ends_with("==")) len -= 2;  // EVP_DecodeBlock counts the padding as zero octets
    else if (text.ends_with("=")) len -= 1;
    out.resize(len);
    return out;
}

std::optional<PlainCredentials> parseSaslPlain(std::string_view decoded) {
    auto first = decoded.find('\0');
    if (first == std::string_view::npos) return std::nullopt;
    auto second = decoded.find('\0', first + 1);
    if (second == std::string_view::npos || decoded.find('\0', second + 1) != std::string_view::npos)
        return std::nullopt;
    PlainCredentials c{std::string(decoded.substr(0, first)), std::string(decoded.substr(first + 1, second - first - 1)),
                       std::string(decoded.substr(second + 1))};
    if (c.authcid.empty()) return std::nullopt;
    return c;
}

std::string encodeSaslPlain(std::string_view authcid, std::string_view password) {
    std::string msg;
    msg += '\0';
    msg += authcid;
    msg += '\0';
    msg += password;
    return base64Encode(msg);
}

}  // namespace mailsim::auth
