// The MTAs of a scenario network served on real sockets (`mailsim serve --config`): what sim/world/Relay.hpp does in virtual
// time, in wall-clock time over real TCP, driven by the serve loop (a LoopAgent, ServeLoop.hpp).
//
// Theory of operation
// - Each server host with SMTP has an engine mta::MtaQueue (the scenario's `queue:` retry schedule and lifetime). Its
//   SMTP server hands mail for other domains to the host's RelayHandler: the message is queued and written to
//   DIR/<host>/queue/<queue id> (envelope header, blank line, content; written to a temporary file, fsync'ed, renamed,
//   directory fsync'ed) before the handler returns, so the client's 250 means the message is on disk. A write failure
//   takes it out of the queue again and the client gets 451. After each attempt the file is rewritten (recipient
//   states, attempts, next attempt) or removed when nothing is left to deliver.
// - At start every queue file is read back (in the loop's first iteration) and is due at once: a restart runs the queue, as
//   `sendmail -q` at boot does (a half-written temporary file is ignored and removed).
// - `step` (after every loop iteration) starts an attempt for each due message. An attempt groups the pending
//   recipients by domain and resolves each domain through the scenario's `dns` (DnsService: MX records in
//   preference order, implicit MX; when DNS knows nothing, the host that has the domain in its `domains`), drops
//   this host and worse MXs (RFC 5321 5.1), and tries the exchangers in order: a non-blocking TCP connection from
//   this host's address to the exchanger's real SMTP listener, with a deadline (kConnectDeadline), then the engine's
//   SmtpClientSession (plain SMTP, EHLO with the host's name) over it, each reply awaited at most kReplyDeadline.
//   A refused or timed-out connection, or an answer that defers every recipient, moves on to the next MX.
// - The per-recipient results go to the queue (2xx delivered, 4xx/none deferred with the queue's backoff, 5xx
//   failed) and through `reportAttempt` (Relay.hpp, shared with the simulator): the QueueAction events and the RFC
//   3464 bounce, delivered locally or queued (durably) with the null reverse-path.
// - Trace: one trace for all MTAs, printed live with the acting host's name as the label: DnsQuery/DnsAnswer,
//   QueueAction (enqueued, reloaded, attempt, deferred, delivered, bounced, removed) and RelayHop events. It is cut
//   back between attempts when it grows long (everything was printed already).
// - Shutdown: no new attempts; attempts in flight may finish within the loop's grace period, then their connections
//   are closed and their messages stay queued on disk, untouched (at-least-once: a message whose 250 was lost with
//   the connection may be delivered twice, as with any MTA).
#pragma once

#include "sim/world/Dns.hpp"
#include "sim/scenario/Scenario.hpp"
#include "sim/net/Scheduler.hpp"
#include "sim/serve/ServeLoop.hpp"
#include "sim/net/VirtualNetwork.hpp"

#include "mta/MtaQueue.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "trace/Trace.hpp"

#include <expected>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mailsim::sim {

struct Unreachable;  // sim/world/Relay.hpp: why a connection cannot be made

inline constexpr trace::Micros kConnectDeadline = 30'000'000;  // a relay's TCP connection attempt
inline constexpr trace::Micros kReplyDeadline = 300'000'000;   // RFC 5321 4.5.3.2: at least 5 minutes per reply

// Where a host serves, as the other hosts' MTAs and the DNS see it.
struct ServeAddress {
    std::string host;     // scenario host name
    std::string address;  // e.g. "127.0.0.2"
};

class ServeRelay : public LoopAgent {
public:
    // `lang`: the language of what the relay prints (the MTAs' trace annotations, warnings).
    ServeRelay(const Scenario& scenario, const std::vector<ServeAddress>& addresses, i18n::Lang lang);
    ~ServeRelay() override;

    // A host's MTA: its queue directory is created and read back. Returns the handler for its SMTP context, or why
    // the queue directory cannot be used. `context` delivers bounces for local senders.
    std::expected<smtp::RelayHandler, std::string> addHost(const HostSpec& host, smtp::SmtpServerContext* context,
                                                           const std::filesystem::path& queueDir);
    // The host's SMTP listener (port 25 shifted), where the other MTAs deliver.
    void setSmtpEndpoint(const std::string& host, std::string address, int port);

    void collect(std::vector<pollfd>& fds, trace::Micros& wake, trace::Micros now) override;
    void dispatch(std::span<const pollfd> fds, trace::Micros now) override;
    void step(trace::Micros now, bool stopping, bool graceOver) override;
    bool idle() const override;

    std::size_t queued() const;

private:
    struct HostMta;
    struct Attempt;
    std::expected<std::string, std::string> enqueue(HostMta& mta, std::string reversePath,
                                                    const std::vector<std::string>& recipients, std::string content,
                                                    trace::EventId cause, trace::Micros now);
    void reload(HostMta& mta);
    void startAttempt(HostMta& mta, const std::string& id, trace::Micros now);
    void nextDomain(Attempt& a, trace::Micros now);
    void tryTarget(Attempt& a, trace::Micros now);
    // The current target could not be reached (`why.host` is set to it here): a hop event, then the next MX.
    void connectFailed(Attempt& a, const Unreachable& why, trace::Micros now);
    void pump(Attempt& a, trace::Micros now);
    void hopDone(Attempt& a, trace::Micros now);
    void closeSocket(Attempt& a);
    void finishAttempt(Attempt& a, trace::Micros now);

    const Scenario& m_sc;
    Scheduler m_sched;      // only for the VirtualNetwork the DNS is built from (no virtual time passes)
    VirtualNetwork m_net;   // the hosts with their real addresses, for DnsService's A records
    std::unique_ptr<DnsService> m_dns;
    trace::Trace m_trace;
    std::map<std::string, std::unique_ptr<HostMta>> m_mtas;
    std::map<std::string, std::pair<std::string, int>> m_smtpEndpoints;  // host -> (address, port)
    std::map<std::string, std::string> m_addresses;                      // host -> its address (source of its connections)
    std::vector<std::unique_ptr<Attempt>> m_attempts;
    std::vector<Attempt*> m_polled;
    i18n::Lang m_lang;
    bool m_reloaded = false;  // the queues were read back (in the first iteration)  // the attempts `collect` added, in order
};

// A queue file's text (the format is at the top of ServeRelay.cpp) as read back at start: nullopt for anything that
// is not a complete queue file named `fileName` (its id), numbers out of range included. Never throws (fuzzed:
// tests/fuzz/fuzz_mta_queue_file.cpp).
std::optional<mta::QueuedMessage> parseQueueFile(const std::string& text, const std::string& fileName);

}  // namespace mailsim::sim
