// Durations and times for people: "6390.066 s" reads as "1 h 46 min 30 s" (English) or "1 小时 46 分 30 秒"
// (Chinese). One place for the CLI (transcripts with --times, next-retry times) and the GUI (time axis, narration).
//
// Contract
// - formatDuration(µs, lang) rounds to the nearest second and prints the non-zero units from days down to seconds
//   ("1 d 2 h", "2 h", "1 h 46 min 30 s"; zh: "1 天 2 小时", "2 小时", "1 小时 46 分 30 秒"). Below one second it prints
//   milliseconds ("250 ms", "250 毫秒"); zero is "0 s" / "0 秒". A negative duration gets a leading "-".
// - formatAfter(µs, lang) is a relative time for a next retry: "in 30 min" / "30 分钟后"; formatAt(µs, lang) a time on
//   the scenario's clock: "t = 1 h 46 min 30 s" / "t = 1 小时 46 分 30 秒".
// - Pure functions (engine/ has no clock): the caller passes the difference of two virtual or wall times.
#pragma once

#include "i18n/Lang.hpp"

#include <cstdint>
#include <string>

namespace mailsim::i18n {

std::string formatDuration(std::int64_t micros, Lang lang);
std::string formatAfter(std::int64_t micros, Lang lang);
std::string formatAt(std::int64_t micros, Lang lang);

}  // namespace mailsim::i18n
