// The GUI benchmark's synthetic trace (issue 6), shared by bench/gui_bench.cpp and the browser build's bench page
// (web/main.cpp, `index.html?bench=1000000`), so both measure the same one million events.
#pragma once

#include "sim/world/Api.hpp"

#include <cstddef>

namespace mailsim::bench {

// About `target` events: SMTP sessions of ~40 events each (one or two messages), 8 clients, 50 users, a gap of ten
// virtual minutes between sessions. Deterministic.
sim::RunResult syntheticRun(std::size_t target);

}  // namespace mailsim::bench
