// Why a server ends a session on its own initiative (not because of a protocol command), so each protocol can say
// what happened from its reply catalogue: SMTP 421 (RFC 5321 3.8), POP3 -ERR (RFC 2449 8.1.3 [SYS/TEMP]), IMAP
// untagged BYE (RFC 3501 7.1.5, RFC 5530 [UNAVAILABLE]).
#pragma once

#include <cstdint>

namespace mailsim::util {

enum class Goodbye : std::uint8_t {
    ShuttingDown,        // the server process stops (SIGINT/SIGTERM)
    TooManyConnections,  // a connection cap (per listener or per client address) was reached
    LoginTimeout,        // a login service (POP3, IMAP, submission) was not logged in to in time
    Timeout,             // a command, or DATA content, did not arrive in time (slow client)
};

}  // namespace mailsim::util
