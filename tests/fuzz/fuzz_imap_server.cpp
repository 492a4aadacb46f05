// Fuzz target: arbitrary bytes from a client into an IMAP server session, in chunks whose sizes come from the input,
// against a memory store with one user and two messages (one nested). Checks only that nothing crashes, leaks or
// trips a sanitizer, and that the buffered input stays bounded.
#include "imap/ImapServerSession.hpp"
#include "store/MemoryStore.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mailsim;
    store::MemoryStore store;
    (void)store.deliver("rose@cesoo.com", "INBOX", "From: a@b\r\nSubject: x\r\n\r\nhello\r\n", 0);
    (void)store.deliver("rose@cesoo.com", "INBOX",
                        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b\r\n"
                        "Content-Type: message/rfc822\r\n\r\nSubject: in\r\n\r\ntwo\r\n--b--\r\n",
                        0);
    imap::ImapServerContext ctx;
    ctx.config.maxLiteral = 4096;
    ctx.config.maxLine = 1024;
    ctx.directory.addDomain("cesoo.com");
    ctx.directory.addUser("rose@cesoo.com", "rose123");
    ctx.store = &store;
    imap::ImapServerSession session(ctx, trace::Recorder{});
    session.start(0);
    // A login and a selection first, so the fuzzer reaches the selected state's commands quickly.
    session.receive("p1 LOGIN rose rose123\r\np2 SELECT INBOX\r\n", 1);
    std::string_view in(reinterpret_cast<const char*>(data), size);
    std::int64_t now = 2;
    while (!in.empty() && !session.closed()) {
        std::size_t n = 1 + static_cast<unsigned char>(in.front()) % 64;
        n = std::min(n, in.size());
        session.receive(in.substr(0, n), now++);
        in.remove_prefix(n);
        (void)session.takeOutput();
        session.tick(now);
        if (session.bufferedBytes() > 4096 + 1024 * 8 + 64) std::abort();
    }
    session.connectionLost(now);
    return 0;
}
