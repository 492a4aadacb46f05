// libFuzzer target: arbitrary bytes as a durable MTA queue file (DIR/<host>/queue/<id>, written by
// `mailsim serve --config` and read back at start: sim/serve/ServeRelay.hpp parseQueueFile).
//
// Checked, beyond the sanitizers: parsing never throws (numbers out of range are refused, not thrown); a parsed
// message has its file name as id, at least one recipient with an address, and content that is exactly what follows
// the header's blank line.
#include "sim/serve/ServeRelay.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto m = mailsim::sim::parseQueueFile(text, "MAIL-000001");
    if (!m) return 0;
    check(m->id == "MAIL-000001");
    check(!m->recipients.empty());
    for (const auto& r : m->recipients) check(!r.address.empty());
    const std::size_t blank = text.find("\n\n");
    check(blank != std::string::npos && m->content == text.substr(blank + 2));
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "mailsim-queue 1\n", "id: MAIL-000001\n", "from: <mike@cesoo.com>\n", "from: <>\n",
        "arrival: 1764505200000000\n", "arrival: 99999999999999999999999\n", "attempts: 1\n", "attempts: -5\n",
        "rcpt: pending 0 rose@example.org\n", "rcpt: delivered 250 li@x.cn\n", "rcpt: failed 550 \n", "\n\n",
        "Subject: x\r\n\r\nbody\r\n", ": ", "\n"};
    *tokens = kTokens;
    return std::size(kTokens);
}
