// Dates as mail shows them. Pure functions of a microsecond timestamp (no clock reads: sans-I/O).
#pragma once

#include <cstdint>
#include <string>

namespace mailsim::util {

// RFC 5322 3.3 date-time in UTC, e.g. "Mon, 04 Mar 2024 09:00:00 +0000".
std::string rfc5322Date(std::int64_t micros);
// ISO 8601 for transcripts and JSON, e.g. "2024-03-04T09:00:00.052Z".
std::string isoTime(std::int64_t micros);

}  // namespace mailsim::util
