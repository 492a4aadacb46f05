// One incremental trace source for the GUI (issue #13). A file run, the sandbox and a live server all feed the App's
// Document the same way: the document's trace is appended to, never replaced while it continues, and the view model
// extends from the last event it folded (ViewModel::extend), so a growing trace costs O(new events) per refresh
// instead of a copy and a rebuild of the whole trace several times a second.
//
// Contract
// - appendNew(into, from): `into` must hold a prefix of `from` (the same sessions and events, as the previous calls
//   left it). Appends the sessions `from` opened since (protocol, hosts, opening time, endpoints), then its events
//   beyond `into`'s, each with the TLS mark it had, and leaves every session's TLS state as in `from`. Returns the
//   number of events appended, or nullopt (and changes nothing) when `into` is not a prefix of `from` (a live file
//   that started over, a sandbox that was opened again): the caller then starts a new document.
// - appendNew(into, from) for whole results does the same for the trace and also takes the checks' outcome
//   (failures appended since, the count of checks) and any scenario text of the new events.
#pragma once

#include "sim/world/Api.hpp"
#include "trace/Trace.hpp"

#include <cstddef>
#include <optional>

namespace mailsim::gui {

// `upTo`: append at most up to this many events in all (the sessions they need, not more); for tests that grow a
// trace in steps.
std::optional<std::size_t> appendNew(trace::Trace& into, const trace::Trace& from, std::size_t upTo = ~std::size_t{0});
std::optional<std::size_t> appendNew(sim::RunResult& into, const sim::RunResult& from);

}  // namespace mailsim::gui
