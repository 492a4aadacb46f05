#include "util/TlsMode.hpp"

#include <fmt/format.h>

namespace mailsim::util {

void noteDiscardedPlaintext(trace::Recorder& rec, std::size_t count, trace::Micros now, trace::EventId cause,
                            std::string_view after, bool server) {
    if (count == 0) return;
    rec.note(now,
             fmt::format("discarded {} byte{} {} in plaintext after {}, before TLS ({})", count, count == 1 ? "" : "s",
                         server ? "sent" : "received", after,
                         server ? "CVE-2011-0411: never executed" : "STARTTLS response injection: never used"),
             cause);
}

}  // namespace mailsim::util
