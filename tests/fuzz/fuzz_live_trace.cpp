// libFuzzer target: arbitrary bytes as a `mailsim serve --trace-out` file read by the live-trace reader
// (sim/tools/LiveTrace.hpp) that `mailsim-gui --attach` and `mailsim record --from-trace` use.
//
// Input layout: byte 0 picks where the file is cut in two; the reader polls after the first part is written and
// again after the rest is appended (a server still writing). Checked, beyond the sanitizers:
// - reading in two polls gives the same events as reading the whole file in one poll (the partial last line is
//   kept until its newline);
// - every event's cause and session refer to earlier events and known sessions; bad lines are counted, not fatal.
#include "sim/tools/LiveTrace.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <unistd.h>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim;

namespace {

// One file per process, rewritten for every input: in /dev/shm (memory) when there is one, else the working
// directory (the build tree).
const std::string& tracePath() {
    static const std::string path = std::string(::access("/dev/shm", W_OK) == 0 ? "/dev/shm/" : "") +
                                    "fuzz-live-trace-" + std::to_string(::getpid()) + ".jsonl";
    return path;
}

void writeFile(std::string_view bytes, const char* mode) {
    std::FILE* f = std::fopen(tracePath().c_str(), mode);
    check(f != nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
}

std::size_t eventsOf(trace::Trace& t) { return t.events().size(); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    std::string_view file(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t cut = file.empty() ? 0 : data[0] % (file.size() + 1);

    writeFile(file, "wb");
    trace::Trace whole;
    sim::LiveTraceReader oneShot(tracePath());
    oneShot.poll(whole);

    writeFile(file.substr(0, cut), "wb");
    trace::Trace twice;
    sim::LiveTraceReader reader(tracePath());
    reader.poll(twice);
    writeFile(file.substr(cut), "ab");
    reader.poll(twice);

    check(eventsOf(whole) == eventsOf(twice));
    check(oneShot.badLines() == reader.badLines());
    for (std::size_t i = 0; i < whole.events().size(); ++i) {
        const trace::Event& e = whole.events()[i];
        check(e.kind == twice.events()[i].kind && e.text == twice.events()[i].text);
        check(e.cause == trace::kNoCause || e.cause < e.id);
        check(e.session == trace::kNoSession || whole.session(e.session) != nullptr);
    }
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "{\"id\":0,\"kind\":\"line\",\"session\":1,\"direction\":\"c2s\",\"text\":\"HELO x\",\"raw\":\"HELO x\\r\\n\"}\n",
        "{\"id\":1,\"kind\":\"note\",\"text\":\"hi\",\"cause\":0}\n", "\"session_info\":{\"protocol\":\"smtp\"}",
        "{", "}", "[", "]", ",", ":", "\"", "\\u0000", "\\ud800", "null", "true", "1e999", "-1", "\n"};
    *tokens = kTokens;
    return std::size(kTokens);
}
