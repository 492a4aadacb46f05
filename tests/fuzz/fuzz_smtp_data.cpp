// libFuzzer target: SMTP DATA framing (RFC 5321 4.5.2, 4.1.1.4) on its own: a session is brought to DATA by a
// fixed prefix, then the input is the message content as a client sends it, cut into chunks by the input. This is
// where a large input matters (run with -max_len of 1 MiB or more): the 10 MB message limit, long lines, and lines
// that end a message (".\r\n") or only look like it ("\n.\n", "\r.\r\n", "..").
//
// Input layout: byte 0 picks the chunk size (FuzzSplit.hpp), byte 1 the configuration (lenient or strict, a small
// message-size limit). Checked, beyond the sanitizers:
// - the session keeps at most one command line buffered whatever the content (bounded memory while in DATA);
// - a message is stored only after a line that is exactly "." (CRLF-ended; in lenient mode a bare-LF "." too), and
//   at most one per such line;
// - a stored message never exceeds the size limit (plus the trace headers).
#include "FuzzSplit.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "store/MemoryStore.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint8_t selector = data[0], flags = data[1];
    std::string_view content(reinterpret_cast<const char*>(data + 2), size - 2);

    store::MemoryStore store;
    smtp::SmtpServerContext ctx;
    ctx.config.domain = "cesoo.com";
    ctx.config.lenient = (flags & 1) == 0;
    ctx.config.maxMessageSize = (flags & 2) ? 300 : 10 * 1024 * 1024;
    ctx.directory.addUser("rose@cesoo.com", "x");
    ctx.store = &store;
    trace::Trace trace;
    smtp::SmtpServerSession session(ctx, smtp::PeerInfo{"fuzz", "192.0.2.1", false},
                                    trace::Recorder(&trace, trace.openSession("smtp", "fuzz", "cesoo.com:25", 0)));
    session.start(0);
    session.receive("EHLO pc\r\nMAIL FROM:<mike@x.org>\r\nRCPT TO:<rose@cesoo.com>\r\nDATA\r\n", 1);
    std::string out = session.takeOutput();
    check(out.find("354 ") != std::string::npos);
    trace::Micros now = 2;
    fuzz::feedInChunks(selector, content, [&](std::string_view chunk) {
        session.receive(chunk, ++now);
        check(session.bufferedBytes() <= smtp::kMaxCommandLine);
    });
    const auto stored = store.list("rose@cesoo.com", "INBOX");
    std::size_t ends = content.starts_with(".\r\n") ? 1 : 0;
    for (std::size_t at = 0; (at = content.find("\r\n.\r\n", at)) != std::string_view::npos; ++at) ++ends;
    if (ctx.config.lenient)
        for (std::size_t at = 0; (at = content.find("\n.\n", at)) != std::string_view::npos; ++at) ++ends;
    check(session.messagesAccepted() <= ends + (content.starts_with(".\n") ? 1 : 0));
    check(stored.size() == session.messagesAccepted());
    for (const auto& info : stored) check(info.size <= ctx.config.maxMessageSize + 1024);
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {"Subject: hi\r\n", "\r\n", ".\r\n", "..\r\n", "\r\n.\r\n", "\n.\n",
                                               "\r.\r\n", ".", "\n", "\r", "MAIL FROM:<a@b>\r\n", "QUIT\r\n",
                                               "RCPT TO:<rose@cesoo.com>\r\n", "DATA\r\n", "\x00"};
    *tokens = kTokens;
    return std::size(kTokens);
}
