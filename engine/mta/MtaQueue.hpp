// The MTA's queue (RFC 5321 4.5.4, 3.6-3.9): mail a host has accepted for other hosts, and the decisions about it.
//
// Theory of operation
// - Routing first (`isLocal`): a recipient in one of the host's own domains is delivered to its mailbox at once; any
//   other recipient is queued for relay. The queue never sees local recipients.
// - `enqueue` stores a message with its envelope (reverse-path, recipients) and content, due at once. The owner (the
//   simulator's World, or a real-socket loop) asks `nextDue`/`due` when to run the queue, looks up MX records, opens
//   the connections, and reports each recipient's reply with `recordAttempt`. The queue itself does no I/O and reads
//   no clock: time comes in as an argument, so the same decisions happen in virtual and in wall time.
// - Per recipient (RFC 5321 4.2.1, 4.5.4.1): a 2xx reply delivers it; a 4xx (or no connection at all, code 0) leaves
//   it pending and the message is retried after the next delay of the backoff schedule (`QueuePolicy::retry`, the
//   last delay repeating); a 5xx fails it at once, and so does code 0 with a permanent enhanced status at the start
//   of its text ("5.6.7 SMTPUTF8 is required, but was not offered by host ...": the client refused to send).
//   Only the failed recipients bounce; the others go on (partial
//   failure). When the message has been queued longer than `QueuePolicy::lifetime`, every pending recipient fails
//   (RFC 5321 4.5.4.1: "give up", typically after 4-5 days).
// - A failure produces a delivery-status notification (`makeDsn`, RFC 3464) for the reverse-path, sent from
//   MAILER-DAEMON with the null reverse-path `<>` (RFC 5321 4.5.5) - and a message whose reverse-path is already null
//   is never bounced (that would let two servers bounce a bounce forever); it is dropped and the drop is reported.
// - A durable queue (on a host with durable storage) survives a crash; `clear` models the loss of an in-memory one.
#pragma once

#include "auth/UserDirectory.hpp"
#include "trace/Trace.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::mta {

inline constexpr trace::Micros kMinute = 60'000'000;
inline constexpr trace::Micros kHour = 60 * kMinute;
// The backoff schedule: delays after the 1st, 2nd, ... failed attempt (RFC 5321 4.5.4.1 asks for at least 30
// minutes between retries; the first retry comes sooner here so that a class sees it, as many MTAs do for a fresh
// message). The last delay repeats.
inline constexpr trace::Micros kRetrySchedule[] = {15 * kMinute, 30 * kMinute, kHour, 2 * kHour, 4 * kHour};
// RFC 5321 4.5.4.1: "the give-up time generally needs to be at least 4-5 days".
inline constexpr trace::Micros kDefaultQueueLifetime = 5 * 24 * kHour;

struct QueuePolicy {
    std::vector<trace::Micros> retry{std::begin(kRetrySchedule), std::end(kRetrySchedule)};
    trace::Micros lifetime = kDefaultQueueLifetime;
    bool durable = true;  // survives a crash of the host
};

enum class RecipientState { Pending, Delivered, Failed };

struct QueuedRecipient {
    std::string address;
    RecipientState state = RecipientState::Pending;
    int code = 0;             // the last reply's code (0: no SMTP reply, e.g. no connection)
    std::string reply;        // its text, or why there was none
    std::string remoteMta;    // the host that answered
};

struct QueuedMessage {
    std::string id;           // queue id, unique per host
    std::string reversePath;  // "" = the null reverse-path (a bounce)
    std::vector<QueuedRecipient> recipients;
    std::string content;      // with this host's Received field already on top
    trace::Micros arrival = 0;
    trace::Micros nextAttempt = 0;
    int attempts = 0;
};

// One recipient's result of one attempt.
struct AttemptResult {
    std::string recipient;
    int code = 0;             // 0: never got an answer (connection failed or lost)
    std::string reply;        // the reply's text; for a connect failure its English sentence (for the DSN: mail content)
    std::string remoteMta;
    // Code 0 because no connection came up: why, the host it concerns and the system's own words (for the trace,
    // which renders them per language; trace/Errors.hpp).
    trace::ConnectFailure failure = trace::ConnectFailure::None;
    std::string failureHost{};
    std::string failureDetail{};
    // Code 0 because the client decided itself (STARTTLS required, the connection lost, ...): why and its argument.
    trace::ClientReason clientReason = trace::ClientReason::None;
    std::string clientDetail{};
};

// What `recordAttempt` decided.
struct AttemptOutcome {
    std::vector<std::string> delivered;
    std::vector<QueuedRecipient> failed;   // failed during this attempt (5xx, or given up): these bounce
    std::vector<std::string> deferred;     // still pending
    std::optional<trace::Micros> nextAttempt;  // when pending ones are retried
    bool expired = false;                  // the queue lifetime ran out during this attempt
    bool finished = false;                 // nothing is pending: the message left the queue
};

class MtaQueue {
public:
    explicit MtaQueue(QueuePolicy policy = {}, std::string idPrefix = "Q") : m_policy(std::move(policy)), m_prefix(std::move(idPrefix)) {}

    // Queues a message, due at `now`; returns its queue id.
    std::string enqueue(std::string reversePath, std::span<const std::string> recipients, std::string content,
                        trace::Micros now);
    // Puts back a message read from durable storage (a restart): id, envelope, states and times as they were. Ids
    // handed out later stay unique (the counter moves past a restored id with this queue's prefix).
    void restore(QueuedMessage message);
    // Takes a message out without an attempt (its durable copy could not be written, so it was never accepted).
    bool remove(std::string_view id);
    std::optional<trace::Micros> nextDue() const;
    // Ids of the messages due at `now`, oldest first.
    std::vector<std::string> due(trace::Micros now) const;
    const QueuedMessage* find(std::string_view id) const;
    // Applies one attempt's per-recipient results; removes the message when nothing is left pending.
    AttemptOutcome recordAttempt(std::string_view id, std::span<const AttemptResult> results, trace::Micros now);
    // The delay before retry number `attempts` (1 = after the first failed attempt).
    trace::Micros retryDelay(int attempts) const;

    std::size_t size() const { return m_messages.size(); }
    const std::map<std::string, QueuedMessage>& messages() const { return m_messages; }
    const QueuePolicy& policy() const { return m_policy; }
    void setPolicy(QueuePolicy policy) { m_policy = std::move(policy); }
    // The host lost its in-memory state (crash of a non-durable queue): every message is gone.
    std::size_t clear();

private:
    QueuePolicy m_policy;
    std::string m_prefix;
    std::uint64_t m_next = 1;
    std::map<std::string, QueuedMessage> m_messages;
};

// Routing (RFC 5321 5.1 starts here): is the recipient's domain one this host receives mail for?
bool isLocal(const auth::UserDirectory& directory, std::string_view recipient);
// Recipients grouped by domain, in first-seen order (one connection per destination domain).
std::vector<std::pair<std::string, std::vector<std::string>>> groupByDomain(std::span<const std::string> recipients);

// The enhanced status code (RFC 3463) in a reply text such as "5.1.1 <x>... User unknown"; "" when there is none.
std::string enhancedStatusOf(std::string_view replyText);

// A delivery-status notification (RFC 3464) for the failed recipients of `message`, as a complete message
// (header and MIME body: multipart/report; report-type=delivery-status, with a human-readable part, a
// message/delivery-status part with one per-recipient block each, and the original header as text/rfc822-headers).
// From MAILER-DAEMON@<reportingDomain>, to the message's reverse-path; the caller sends it with the null reverse-path.
struct DsnInfo {
    std::string reportingMta;     // this host's name
    std::string reportingDomain;  // for MAILER-DAEMON@ and the Message-ID
    std::string reason;           // one line for the human-readable part, e.g. "the queue lifetime (5d) ran out"
};
std::string makeDsn(const QueuedMessage& message, std::span<const QueuedRecipient> failed, const DsnInfo& info,
                     trace::Micros now, std::uint64_t number);

}  // namespace mailsim::mta
