// Scenario rules for an SMTP server: deterministic, chosen replies, so a classroom demonstration repeats exactly
// ("451 on the 2nd RCPT", "552 on DATA", "421 and close after EHLO", "greylist the first attempt").
//
// Contract
// - A rule names the point where it fires: a command verb (HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, EXPN,
//   HELP, QUIT), CONNECT (instead of the greeting) or DOT (the end of the message content).
// - It fires on the nth occurrence of that point in a session (`occurrence`, 1-based; 0 = every time), optionally
//   only when the transaction's sender / the command's recipient is one of those listed.
// - When it fires, the server answers `code` (4xx or 5xx) instead of doing the command: nothing changes state and
//   nothing is stored; a refused RCPT counts as refused; a refused DOT ends the transaction without storing; a 421
//   closes the connection (RFC 5321 3.8); a 554 at CONNECT leaves a session that accepts only QUIT (RFC 5321 3.1).
// - A greylisting rule fires only for the first attempt of a (client address, sender, recipient) triple; the
//   server host remembers the triples it has seen (`SmtpRuleMemory`), so a retry later is accepted.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::smtp {

struct SmtpRule {
    std::string at;            // upper-case verb, "CONNECT" or "DOT"
    int occurrence = 0;        // 0 = every time
    int code = 451;
    std::string enhanced;      // e.g. "4.7.1"; sent only after EHLO, as for every reply
    std::string text;          // empty: the RFC 5321 meaning of the code (from the reply catalogue)
    std::vector<std::string> senders;     // canonical addresses; empty = any
    std::vector<std::string> recipients;  // canonical addresses; empty = any
    bool greylist = false;

    std::string describe() const;  // e.g. "451 on the 2nd RCPT", for the trace
};

// The points a rule may name, for validation and the docs.
const std::vector<std::string>& smtpRulePoints();

struct SmtpRuleMemory {
    std::set<std::string> greylistSeen;  // "client|sender|recipient"
};

}  // namespace mailsim::smtp
