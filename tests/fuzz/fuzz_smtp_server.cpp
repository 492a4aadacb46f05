// libFuzzer target: arbitrary bytes into an SMTP server session (RFC 5321), split once at a point the input chooses.
//
// Input layout: the first two bytes (little-endian) pick the split point modulo the rest's length; the first byte
// also picks the configuration (lenient or strict, small limits so the limit paths are reached). The rest is what a
// client sends after the greeting. Checked on every input, beyond the sanitizers:
// - the session's output is well-formed SMTP replies;
// - at most one message is stored per "." the client sent, and no stored message is larger than the limit plus
//   the trace headers;
// - the input buffer stays bounded (a command line is never buffered beyond the RFC 5321 limit);
// - reply lines are at most 512 octets and printable (see checkReplies);
// - STARTTLS (bits 4-6 of the first byte: TLS offered, plaintext AUTH refused, submission port): while the handshake
//   is pending nothing is buffered (CVE-2011-0411); the "transport" then completes it between the two halves.
#include "smtp/SmtpServerSession.hpp"
#include "store/MemoryStore.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim;

namespace {

// Every reply line is "ddd" [SP/- text] CRLF, at most 512 octets with the CRLF (RFC 5321 4.5.3.1.5), and its text
// is printable (4.2: textstring = 1*(%d09 / %d32-126)): no CR, LF or other control character echoed from the input.
void checkReplies(std::string_view out) {
    smtp::ReplyParser p;
    p.feed(out);
    while (p.next()) {
    }
    check(!p.error());
    check(out.empty() || out.ends_with("\r\n"));
    for (std::size_t start = 0; start < out.size();) {
        std::size_t end = out.find("\r\n", start);
        check(end != std::string_view::npos);
        check(end + 2 - start <= smtp::kMaxReplyLine);
        for (std::size_t i = start; i < end; ++i) {
            unsigned char c = static_cast<unsigned char>(out[i]);
            check(c == '\t' || (c >= 32 && c != 127));
        }
        start = end + 2;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const unsigned flags = data[0];
    const std::size_t splitSeed = data[0] | (std::size_t{data[1]} << 8);
    std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);
    const std::size_t split = input.empty() ? 0 : splitSeed % (input.size() + 1);

    store::MemoryStore store;
    smtp::SmtpServerContext ctx;
    ctx.config.domain = "cesoo.com";
    ctx.config.lenient = (flags & 1) == 0;
    ctx.config.maxMessageSize = (flags & 2) ? 200 : 64 * 1024;
    ctx.config.maxRecipients = (flags & 4) ? 2 : 100;
    ctx.config.maxErrors = (flags & 8) ? 3 : 1000;
    ctx.directory.addUser("mike@cesoo.com", "x");
    ctx.directory.addUser("rose@cesoo.com", "x");
    ctx.directory.addList("staff@cesoo.com", {"mike@cesoo.com", "rose@cesoo.com"});
    ctx.store = &store;
    ctx.config.tlsOffered = (flags & 16) != 0;
    ctx.config.plaintextAuthAllowed = (flags & 32) == 0;

    trace::Trace trace;
    smtp::SmtpServerSession session(ctx, smtp::PeerInfo{"fuzz", "192.0.2.1", (flags & 64) != 0},
                                    trace::Recorder(&trace, trace.openSession("smtp", "fuzz", "cesoo.com:25", 0)));
    session.start(0);
    std::string out = session.takeOutput();
    session.receive(input.substr(0, split), 1);
    check(session.bufferedBytes() <= smtp::kMaxCommandLine);
    if (session.startTlsPending()) {
        check(session.bufferedBytes() == 0);  // nothing sent after STARTTLS is kept for later
        check(ctx.config.tlsOffered);
        session.tlsEstablished(1);
        check(session.tlsActive() && !session.startTlsPending());
        check(session.state() == smtp::SmtpState::Initial);
    }
    session.receive(input.substr(split), 2);
    check(!session.startTlsPending() || session.bufferedBytes() == 0);
    check(session.bufferedBytes() <= smtp::kMaxCommandLine);
    session.tick(3);
    out += session.takeOutput();
    checkReplies(out);

    std::size_t stored = 0;
    for (const char* user : {"mike@cesoo.com", "rose@cesoo.com"})
        for (const auto& info : store.list(user, "INBOX")) {
            ++stored;
            check(info.size <= ctx.config.maxMessageSize + 1024);
        }
    std::size_t dots = 0;
    for (std::size_t pos = 0; (pos = input.find(".\r\n", pos)) != std::string_view::npos; ++pos) ++dots;
    check(session.messagesAccepted() <= dots);
    check(stored <= 2 * session.messagesAccepted());
    return 0;
}
