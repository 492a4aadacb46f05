// libFuzzer target: arbitrary bytes into a POP3 server session (RFC 1939, RFC 2449, RFC 5034), split once at a
// point the input chooses, against a maildrop of three messages (one holding a "." line).
//
// Input layout: the first two bytes (little-endian) pick the split point modulo the rest's length; the first byte
// also picks whether APOP is offered. The rest is what a client sends after the greeting. Checked on every input,
// beyond the sanitizers:
// - the input buffer stays bounded (RFC 2449 4 command lines; RFC 5034 SASL lines);
// - output is CRLF-terminated lines; every line outside a multi-line body starts "+OK", "-ERR" or "+ " (a SASL
//   continuation), and no body line is a lone "." except the terminator (byte-stuffing holds);
// - messages leave the maildrop only through UPDATE: without a QUIT in the input, all three remain, and never
//   more are removed than DELE commands were sent;
// - the maildrop lock is released when the session ends, whatever happened.
#include "pop3/Pop3ServerSession.hpp"
#include "pop3/Pop3Syntax.hpp"
#include "store/MemoryStore.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim;

namespace {

std::size_t countWord(std::string_view text, std::string_view word) {
    std::string upper(text);
    std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::size_t n = 0;
    for (std::size_t pos = 0; (pos = upper.find(word, pos)) != std::string::npos; ++pos) ++n;
    return n;
}

// A line that may start a response: the status indicators of RFC 1939 3 and the SASL continuation of RFC 5034.
bool isStatusLine(std::string_view line) {
    return line.starts_with("+OK") || line.starts_with("-ERR") || line.starts_with("+ ") || line == "+";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const unsigned flags = data[0];
    const std::size_t splitSeed = data[0] | (std::size_t{data[1]} << 8);
    std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);
    const std::size_t split = input.empty() ? 0 : splitSeed % (input.size() + 1);

    store::MemoryStore store;
    const std::string rose = "rose@cesoo.com";
    (void)store.deliver(rose, "INBOX", "Subject: one\r\n\r\nfirst\r\n", 0);
    (void)store.deliver(rose, "INBOX", "Subject: dots\r\n\r\n.\r\n..\r\n.x\r\n", 0);
    (void)store.deliver(rose, "INBOX", "Subject: three\r\n\r\nthird\r\n", 0);
    pop3::Pop3ServerContext ctx;
    ctx.config.domain = "cesoo.com";
    ctx.config.allowApop = (flags & 1) == 0;
    ctx.config.maxErrors = (flags & 2) ? 3 : 1000;
    ctx.directory.addUser(rose, "rose123");
    ctx.store = &store;

    std::string out;
    {
        trace::Trace trace;
        pop3::Pop3ServerSession session(ctx, trace::Recorder(&trace, trace.openSession("pop3", "fuzz", "cesoo.com:110", 0)));
        session.start(0);
        out = session.takeOutput();
        session.receive(input.substr(0, split), 1);
        check(session.bufferedBytes() <= pop3::kMaxSaslLine);
        session.receive(input.substr(split), 2);
        check(session.bufferedBytes() <= pop3::kMaxSaslLine);
        out += session.takeOutput();
        if (!session.closed()) session.connectionLost(3);
        out += session.takeOutput();
    }
    check(!store.isLocked(rose));

    check(out.empty() || out.ends_with("\r\n"));
    // Walk the output: status lines, and after a "+OK" that opens a multi-line body, lines until the lone ".".
    // Whether a "+OK" opens a body depends on the command, so a line that is not a status line is only allowed
    // after some "+OK", and a lone "." only ever ends such a body.
    bool mayBeBody = false;
    for (std::size_t start = 0; start < out.size();) {
        std::size_t end = out.find("\r\n", start);
        check(end != std::string::npos);
        std::string_view line(out.data() + start, end - start);
        check(line.find('\n') == std::string_view::npos && line.find('\r') == std::string_view::npos);
        if (line.starts_with("+OK")) mayBeBody = true;
        else if (line.starts_with("-ERR")) mayBeBody = false;
        else if (line == ".") mayBeBody = false;
        else check(mayBeBody || isStatusLine(line));
        start = end + 2;
    }

    const std::size_t left = store.list(rose, "INBOX").size();
    if (countWord(input, "QUIT") == 0) check(left == 3);
    check(3 - left <= countWord(input, "DELE"));
    return 0;
}

// Tokens for the replay runner's generated inputs (FuzzReplayMain.cpp): POP3 commands that get past AUTHORIZATION
// and into TRANSACTION, so the generated inputs reach RETR/TOP/DELE/UPDATE.
extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "USER rose@cesoo.com\r\n", "PASS rose123\r\n", "PASS wrong\r\n", "STAT\r\n", "LIST\r\n", "LIST 2\r\n",
        "UIDL\r\n", "UIDL 3\r\n", "TOP 2 0\r\n", "TOP 2 5\r\n", "RETR 1\r\n", "RETR 2\r\n", "DELE 1\r\n", "DELE 2\r\n",
        "RSET\r\n", "NOOP\r\n", "CAPA\r\n", "QUIT\r\n", "AUTH PLAIN\r\n", "AHJvc2VAY2Vzb28uY29tAHJvc2UxMjM=\r\n",
        "AUTH PLAIN AHJvc2VAY2Vzb28uY29tAHJvc2UxMjM=\r\n", "*\r\n", "APOP rose@cesoo.com 00\r\n", "\r\n", "\n", "\r",
        "RETR 99999999999999999999\r\n", "TOP 1 -1\r\n", "LIST 0\r\n"};
    *tokens = kTokens;
    return std::size(kTokens);
}
