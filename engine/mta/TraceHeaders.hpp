// The trace header fields a mail server adds (RFC 5321 4.4) and the hop count that detects mail loops.
//
// Contract
// - Every SMTP server that accepts a message prepends one `Received:` field (RFC 5321 4.4: "from" the client's
//   HELO name and address, "by" this host, "with" SMTP or ESMTP (RFC 3848), an id, "for" a single recipient, and the
//   date) - at every hop, relay or final.
// - Only the server that makes the final delivery (into a mailbox, or to a gateway's non-SMTP system) adds
//   `Return-Path:` with the envelope's reverse-path (RFC 5321 4.4); relays never do, and a relay removes none.
// - A message that already carries `kMaxHops` Received fields is in a loop (RFC 5321 6.3): it is refused or bounced
//   with 554 5.4.6 (RFC 3463 "routing loop detected").
// Pure functions: no I/O, no clock.
#pragma once

#include "trace/Trace.hpp"

#include <string>
#include <string_view>

namespace mailsim::mta {

inline constexpr int kMaxHops = 25;  // RFC 5321 6.3 suggests 100 as a large limit; we use Postfix's 50/2 for class

struct ReceivedInfo {
    std::string heloName;    // what the client said in HELO/EHLO
    std::string peerName;    // the client's host name as the transport knows it
    std::string peerAddress; // the client's IP address
    std::string byDomain;    // this server
    bool esmtp = false;      // EHLO was used
    bool smtpUtf8 = false;   // the transaction declared SMTPUTF8: "with UTF8SMTP" (RFC 6531 3.7.3)
    bool authenticated = false;  // RFC 3848: ESMTPA
    std::string id;          // this server's id for the message
    std::string forPath;     // the single recipient, or "" when several
};

// "Received: from ... by ... with ESMTP id ...; date" CRLF (folded with TABs).
std::string receivedHeader(const ReceivedInfo& info, trace::Micros now);
// "Return-Path: <reverse-path>" CRLF; "<>" for the null reverse-path.
std::string returnPathHeader(std::string_view reversePath);
// How many Received fields the message's header holds (the header ends at the first empty line).
int countReceived(std::string_view message);
// The value of the Message-ID field, or "" when there is none.
std::string messageIdOf(std::string_view message);
// The header block of a message (up to, not including, the empty line), with CRLF line ends.
std::string headerBlock(std::string_view message);

}  // namespace mailsim::mta
