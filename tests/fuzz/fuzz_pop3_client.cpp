// libFuzzer target: arbitrary bytes as the server's side of a POP3 session into the POP3 client (RFC 1939
// responses, multi-line bodies with byte-stuffing, RFC 2449 CAPA and response codes, APOP timestamps, UIDL).
//
// Input layout: byte 0 picks the chunk size (FuzzSplit.hpp), byte 1 the configuration (login method, delete or
// keep mode, STLS). The rest is what the server sends. Checked, beyond the sanitizers:
// - the response parser (every response multi-line, or none) gives the same responses whatever the split;
// - every line the client sends is CRLF-terminated, at most 255 octets with its CRLF (RFC 2449 4), without CR/LF;
// - the client fetched at most as many messages as the server sent body terminators (".\r\n").
#include "FuzzSplit.hpp"
#include "pop3/Pop3ClientSession.hpp"
#include "pop3/Pop3Syntax.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim;

namespace {

std::vector<std::string> parseAll(std::string_view bytes, std::uint8_t selector, bool multi) {
    pop3::Pop3ResponseParser p;
    for (int i = 0; i < 64; ++i) p.expectMultiLine(multi && i > 0);
    std::vector<std::string> out;
    fuzz::feedInChunks(selector, bytes, [&](std::string_view chunk) {
        p.feed(chunk);
        while (auto r = p.next()) out.push_back((r->ok ? "+" : "-") + r->text + "|" + r->body());
    });
    if (p.error()) out.push_back("error");
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint8_t selector = data[0], flags = data[1];
    std::string_view server(reinterpret_cast<const char*>(data + 2), size - 2);

    check(parseAll(server, 0, flags & 1) == parseAll(server, selector, flags & 1));

    pop3::Pop3ClientConfig config;
    config.user = "rose";
    config.password = "rose123";
    config.login = (flags & 2) ? pop3::LoginMethod::Apop : pop3::LoginMethod::UserPass;
    config.mode = (flags & 4) ? pop3::FetchMode::Keep : pop3::FetchMode::Delete;
    if (flags & 8) config.knownUids = {"uid-1", "uid-2"};
    config.tls = (flags & 16) ? util::ClientTls::Required : util::ClientTls::None;
    pop3::Pop3ClientSession client(config);
    std::string out;
    trace::Micros now = 0;
    fuzz::feedInChunks(selector, server, [&](std::string_view chunk) {
        client.receive(chunk, ++now);
        if (client.startTlsPending()) client.tlsEstablished(++now);
        out += client.takeOutput();
    });
    client.connectionClosed(++now);
    out += client.takeOutput();
    for (std::size_t start = 0; start < out.size();) {
        const std::size_t end = out.find("\r\n", start);
        check(end != std::string::npos);
        check(end + 2 - start <= 255);
        check(std::string_view(out).substr(start, end - start).find_first_of("\r\n") == std::string_view::npos);
        start = end + 2;
    }
    std::size_t terminators = 0;
    for (std::size_t at = 0; (at = server.find(".\r\n", at)) != std::string_view::npos; ++at) ++terminators;
    check(client.fetched().size() <= terminators);
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n", "+OK\r\n", "-ERR no\r\n", "-ERR [IN-USE] locked\r\n",
        "+OK 2 messages\r\n", "1 120\r\n", "2 200\r\n", "1 uid-1\r\n", "2 uid-3\r\n", ".\r\n", "..\r\n", "+ \r\n",
        "CAPA\r\n", "STLS\r\n", "UIDL\r\n", "SASL PLAIN\r\n", "Subject: x\r\n", "\r\n", "\n", "+OK Begin TLS\r\n"};
    *tokens = kTokens;
    return std::size(kTokens);
}
