// Shared by the fuzz targets that feed a session or an incremental parser: the input's first byte picks how the rest
// is cut into chunks (1 to 256 octets, or whole), so one input checks the parser's "any split gives the same result"
// contract and libFuzzer can explore the split points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mailsim::fuzz {

// Calls feed(chunk) for consecutive chunks of `rest`; `selector` 0 = whole, else chunks of `selector` octets.
template <class F>
void feedInChunks(std::uint8_t selector, std::string_view rest, F&& feed) {
    const std::size_t size = selector == 0 ? (rest.empty() ? 1 : rest.size()) : selector;
    for (std::size_t at = 0; at < rest.size(); at += size) feed(rest.substr(at, size));
    if (rest.empty()) feed(rest);
}

}  // namespace mailsim::fuzz
