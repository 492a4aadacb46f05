// Credentials on the wire: the digests and encodings that POP3 (and later IMAP/SMTP AUTH) logins use.
//
// Pure functions (OpenSSL's MD5 and base64, no I/O, no state), kept out of the protocol sessions so that the
// sessions stay free of OpenSSL calls and the functions can be tested against the RFCs' examples.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mailsim::auth {

// MD5 (RFC 1321) of `data` as 32 lower-case hex digits.
std::string md5Hex(std::string_view data);

// The APOP digest (RFC 1939 7): MD5 of the server's timestamp banner (with its angle brackets) followed by the
// shared secret. RFC 1939's example: apopDigest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf") ==
// "c4c9334bac560ecc979e58001b3e22fb".
std::string apopDigest(std::string_view timestamp, std::string_view secret);

// Base64 (RFC 4648 4) with padding; decoding refuses anything that is not canonical base64 (nullopt).
std::string base64Encode(std::string_view data);
std::optional<std::string> base64Decode(std::string_view text);

// SASL PLAIN (RFC 4616 2): message = [authzid] NUL authcid NUL passwd.
struct PlainCredentials {
    std::string authzid;  // empty: act as authcid
    std::string authcid;
    std::string password;
};
std::optional<PlainCredentials> parseSaslPlain(std::string_view decoded);
std::string encodeSaslPlain(std::string_view authcid, std::string_view password);  // base64, no authzid

// HMAC-MD5 (RFC 2104) of `data` with `key`, as 32 lower-case hex digits. CRAM-MD5 (RFC 2195) answers a challenge
// with "user " + hmacMd5Hex(password, challenge). RFC 2195's example: hmacMd5Hex("tanstaaftanstaaf",
// "<1896.697170952@postoffice.reston.mci.net>") == "b913a602c7eda7a495b4e6e7334d3890".
std::string hmacMd5Hex(std::string_view key, std::string_view data);

// The SASL mechanisms SMTP AUTH (RFC 4954) offers here, in the order the EHLO reply lists them.
inline constexpr std::string_view kSmtpAuthMechanisms = "PLAIN LOGIN CRAM-MD5";
// SASL LOGIN's two prompts (not in an RFC; draft-murchison-sasl-login), base64 of "Username:" and "Password:".
inline constexpr std::string_view kLoginUserPrompt = "VXNlcm5hbWU6";
inline constexpr std::string_view kLoginPasswordPrompt = "UGFzc3dvcmQ6";

}  // namespace mailsim::auth
