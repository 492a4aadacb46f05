// A main() for fuzz targets built without libFuzzer: replays every file of the corpus directories given as
// arguments, then a fixed set of pseudo-random inputs (seeded, so a failure is reproducible). Exit status 0 when
// the target neither crashed nor aborted. This keeps each target compiled and exercised by the normal test run.
//   fuzz_x_replay [--seconds N] [--seed S] corpus-dir...
// --seconds N keeps generating random inputs for N seconds (a blind random fuzz, not coverage-guided); the input
// being run is written to ./fuzz-current-input first, so after a crash it is the reproducer.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Optional, defined by a target that wants its own vocabulary for the generated inputs (the default is SMTP's):
// returns the number of tokens and points `tokens` at them. Such a target also gets mutated copies of its corpus
// files (bytes cut, copied, overwritten, tokens spliced in) among the generated inputs.
extern "C" __attribute__((weak)) std::size_t mailsimFuzzTokens(const std::string_view** tokens);

namespace {
void run(const std::string& bytes) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}
}  // namespace

int main(int argc, char** argv) {
    std::size_t files = 0;
    std::vector<std::string> corpus;
    long seconds = 0;
    unsigned seed = 20240304;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--seconds" && i + 1 < argc) {
            seconds = std::strtol(argv[++i], nullptr, 10);
            continue;
        }
        if (arg == "--seed" && i + 1 < argc) {
            seed = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
            continue;
        }
        std::filesystem::path dir(arg);
        if (!std::filesystem::is_directory(dir)) {
            std::fprintf(stderr, "not a directory: %s\n", argv[i]);
            return 2;
        }
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (!entry.is_regular_file()) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
            run(corpus.back());
            ++files;
        }
    }
    // Random inputs built from SMTP-ish tokens, so they get past the greeting and into the transaction.
    static const std::string_view kTokens[] = {"EHLO pc\r\n", "HELO pc\r\n", "MAIL FROM:<mike@cesoo.com>\r\n",
                                          "MAIL FROM:<> SIZE=100\r\n", "RCPT TO:<rose@cesoo.com>\r\n",
                                          "RCPT TO:<staff@cesoo.com>\r\n", "RCPT TO:<x@elsewhere.org>\r\n",
                                          "DATA\r\n", ".\r\n", "..\r\n", "\n.\n", "\r.\r\n", "\r\n", "\n", "\r",
                                          "RSET\r\n", "NOOP\r\n", "QUIT\r\n", "VRFY rose\r\n", "EXPN staff\r\n",
                                          "HELP MAIL\r\n", "TURN\r\n", "text line\r\n", std::string_view("\x00\xff", 2), "."};
    const std::string_view* tokens = kTokens;
    std::size_t tokenCount = std::size(kTokens);
    const bool ownTokens = mailsimFuzzTokens != nullptr;
    if (ownTokens) tokenCount = mailsimFuzzTokens(&tokens);
    std::mt19937 rng(seed);
    std::size_t randoms = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (int i = 0; i < 3000 || std::chrono::steady_clock::now() < deadline; ++i, ++randoms) {
        std::string input;
        if (ownTokens && !corpus.empty() && rng() % 2 == 0) {
            input = corpus[rng() % corpus.size()];
            for (int edits = 1 + static_cast<int>(rng() % 8); edits > 0 && !input.empty(); --edits) {
                std::size_t at = rng() % input.size();
                switch (rng() % 4) {
                case 0: input.erase(at, rng() % 64); break;
                case 1: input.insert(at, input.substr(rng() % input.size(), rng() % 256)); break;
                case 2: input[at] = static_cast<char>(rng()); break;
                default: input.insert(at, tokens[rng() % tokenCount]); break;
                }
            }
            if (seconds > 0) std::ofstream("fuzz-current-input", std::ios::binary) << input;
            run(input);
            continue;
        }
        input += static_cast<char>(rng());
        input += static_cast<char>(rng());
        int n = static_cast<int>(rng() % 24);
        for (int t = 0; t < n; ++t) {
            switch (rng() % 10) {
            case 0: input += static_cast<char>(rng()); break;
            case 1: input.append(rng() % 700, static_cast<char>('a' + rng() % 26)); break;  // long words
            default: input += tokens[rng() % tokenCount]; break;
            }
        }
        if (seconds > 0) std::ofstream("fuzz-current-input", std::ios::binary) << input;
        run(input);
    }
    std::printf("replayed %zu corpus files and %zu generated inputs\n", files, randoms);
    return 0;
}
