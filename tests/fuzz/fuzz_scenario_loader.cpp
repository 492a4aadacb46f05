// libFuzzer target: arbitrary bytes as a scenario file into the scenario loader (sim/scenario/Scenario.hpp): yaml-cpp, then
// every key of the format, includes (served from memory), references and the duplicate-key/depth/size checks.
//
// Input layout: the text is the scenario; an included file named "net.yaml" (or "networks/net.yaml") has the same
// text, so includes, cycles and fragments are reached. Checked, beyond the sanitizers:
// - loading never throws out of loadScenario, and either gives a scenario or at least one diagnostic;
// - every diagnostic names a file that was read (the scenario or an included one), has a message, and a position
//   inside that file's lines (0:0 only for whole-file problems);
// - a loaded scenario's hosts have names and its includes were all read;
// - loading twice gives the same result (no hidden state).
#include "sim/scenario/Scenario.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim::sim;

namespace {

std::size_t lineCount(std::string_view s) { return static_cast<std::size_t>(std::ranges::count(s, '\n')) + 1; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto read = [&](const std::string& path) -> std::optional<std::string> {
        if (path == "net.yaml" || path == "networks/net.yaml" || path == "networks/b.yaml") return text;
        return std::nullopt;
    };
    auto first = loadScenario(text, "t.yaml", read);
    auto second = loadScenario(text, "t.yaml", read);
    check(first.has_value() == second.has_value());
    if (!first) {
        check(!first.error().empty());
        check(first.error().size() == second.error().size());
        for (const auto& d : first.error()) {
            check(!d.message(mailsim::i18n::Lang::En).empty() && !d.message(mailsim::i18n::Lang::Zh).empty());
            check(d.file == "t.yaml" || read(d.file).has_value());
            check(d.line <= static_cast<int>(lineCount(text)) + 1);
        }
        return 0;
    }
    for (const auto& h : first->hosts) check(!h.name.empty());
    for (const auto& inc : first->includes) check(read(inc).has_value());
    check(first->hosts.size() == second->hosts.size() && first->steps.size() == second->steps.size());
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "title: t\n", "hosts:\n", "  - { name: mx, domains: [cesoo.com], services: [smtp, pop3, imap] }\n",
        "  - { name: pc }\n", "steps:\n", "  - session: { from: pc, to: mx:25 }\n", "    script:\n",
        "      - { expect: 220 }\n", "      - { send: \"HELO x\", expect: 250 }\n", "include: [net.yaml]\n",
        "include: [networks/net.yaml]\n", "dns:\n  cesoo.com: { mx: [mx] }\n", "network: { latency: 5ms }\n",
        "  - mua: { action: send, from: pc, server: mx, sender: a@cesoo.com, to: [b@cesoo.com], subject: hi }\n",
        "  - check: { mailbox: b@cesoo.com, count: 1 }\n", "  - wait: 30s\n", "  - checkpoint: c\n",
        "users: [{ name: rose, password: r, display_name: Rose }]\n", "&a ", "*a", "[", "]", "{", "}", "- ", ": ",
        "\"\\r\\n\"", "\t", "\n", "<<: *a\n", "!!binary", "---\n", "..."};
    *tokens = kTokens;
    return std::size(kTokens);
}
