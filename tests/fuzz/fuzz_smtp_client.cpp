// libFuzzer target: arbitrary bytes as the server's side of an SMTP session into the SMTP client (RFC 5321 4.2
// reply parsing: multi-line replies, codes, enhanced status codes; EHLO keywords; AUTH and STARTTLS answers).
//
// Input layout: byte 0 picks the chunk size (FuzzSplit.hpp), byte 1 the configuration (EHLO or HELO, AUTH
// mechanism, STARTTLS required or opportunistic). The rest is what the server sends. Checked, beyond the
// sanitizers:
// - the reply parser gives the same replies (codes, lines) whatever the split, and its error is the same;
// - everything the client writes is CRLF-terminated lines of at most 1000 octets outside DATA content (RFC 5321
//   4.5.3.1.4), with no bare CR or LF;
// - results never exceed the recipients.
#include "FuzzSplit.hpp"
#include "smtp/SmtpClientSession.hpp"
#include "smtp/SmtpSyntax.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim;

namespace {

std::vector<std::string> parseAll(std::string_view bytes, std::uint8_t selector, std::string& error) {
    smtp::ReplyParser p;
    std::vector<std::string> out;
    fuzz::feedInChunks(selector, bytes, [&](std::string_view chunk) {
        p.feed(chunk);
        while (auto r = p.next()) out.push_back(std::to_string(r->code) + ":" + std::to_string(r->lines.size()));
    });
    error = p.error().value_or("");
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint8_t selector = data[0], flags = data[1];
    std::string_view server(reinterpret_cast<const char*>(data + 2), size - 2);

    std::string wholeError, splitError;
    const auto whole = parseAll(server, 0, wholeError);
    const auto split = parseAll(server, selector, splitError);
    check(whole == split);
    check(wholeError.empty() == splitError.empty());

    smtp::SmtpClientConfig config;
    config.useEhlo = (flags & 1) == 0;
    if (flags & 2) {
        config.user = "mike@cesoo.com";
        config.password = "mike123";
        config.authMechanism = (flags & 4) ? "CRAM-MD5" : (flags & 8) ? "LOGIN" : "PLAIN";
    }
    config.tls = (flags & 16) ? util::ClientTls::Required : (flags & 32) ? util::ClientTls::Opportunistic
                                                                          : util::ClientTls::None;
    smtp::OutgoingMessage message{"mike@cesoo.com", {"rose@cesoo.com", "li@x.cn"}, "Subject: hi\r\n\r\n.hello\r\n"};
    smtp::SmtpClientSession client(config, {message});
    std::string out;
    trace::Micros now = 0;
    fuzz::feedInChunks(selector, server, [&](std::string_view chunk) {
        client.receive(chunk, ++now);
        if (client.startTlsPending()) client.tlsEstablished(++now);
        out += client.takeOutput();
    });
    client.connectionClosed(++now);
    out += client.takeOutput();

    bool inData = false;
    for (std::size_t start = 0; start < out.size();) {
        const std::size_t end = out.find("\r\n", start);
        check(end != std::string::npos);
        const std::string_view line(out.data() + start, end - start);
        check(line.find_first_of("\r\n") == std::string_view::npos);
        if (!inData) check(line.size() + 2 <= 1000);
        if (line == "DATA") inData = true;
        else if (line == ".") inData = false;
        start = end + 2;
    }
    std::size_t results = 0;
    for (const auto& m : client.results()) results += m.recipients.size();
    check(results <= message.recipients.size());
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "220 cesoo.com ESMTP\r\n", "250-cesoo.com\r\n", "250-PIPELINING\r\n", "250-STARTTLS\r\n",
        "250-AUTH PLAIN LOGIN CRAM-MD5\r\n", "250-SIZE 100\r\n", "250 8BITMIME\r\n", "250 OK\r\n",
        "250 2.1.5 Recipient OK\r\n", "354 Go ahead\r\n", "334 \r\n", "334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+\r\n",
        "235 2.7.0 Authenticated\r\n", "421 Bye\r\n", "450 Try later\r\n", "550 5.1.1 No such user\r\n",
        "221 Bye\r\n", "220 Ready to start TLS\r\n", "250-", "\r\n", "\n", "999 ", "25"};
    *tokens = kTokens;
    return std::size(kTokens);
}
