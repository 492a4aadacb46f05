// The relaying MTAs of the virtual world: one queue per mail host, DNS look-ups, delivery attempts over virtual TCP
// to the next hop, retries in virtual time, bounces, and the faults that make all of that necessary.
//
// Theory of operation
// - A host's SMTP server hands mail for other domains to `handlerFor(host)` (engine RelayHandler). The message is
//   queued (engine mta::MtaQueue: the decisions) and a queue run is scheduled at once as foreground work, so the
//   first attempt belongs to the scenario step that submitted the mail.
// - A queue run takes every due message; an attempt groups the pending recipients by domain and, per domain, asks
//   DNS for the MX list (DnsService: preference order, implicit MX, NXDOMAIN) and tries the exchangers in order. A
//   connection that cannot be made (host down, link down, a lost connection attempt) costs kConnectTimeout of
//   virtual time and moves on to the next MX (RFC 5321 5.1), as does an answer that defers every recipient (4xx or
//   421). Otherwise the engine's SmtpClientSession speaks to the exchanger's SmtpServerSession over a direct
//   VirtualConnection - the TCP connection of a hop is always between the two mail servers of that hop. The client
//   side is wired by wireClient (ClientWiring.hpp), as the World wires user agents; when the next hop has
//   `tls: { starttls: true }` the MTA's client uses STARTTLS opportunistically through the connection's TlsClientPipe.
// - Connection reuse: a queue run gathers the hops its attempts want (`batched`) and opens one connection per next
//   hop, with one mail transaction per message and one QUIT. Once a hop is reachable, messages of the same MTA that
//   wait for that host (deferred there before, `waitingFor`) go along ahead of their retry time.
// - The per-recipient results go back to the queue (2xx delivered, 4xx/none deferred, 5xx failed; lifetime -> give
//   up). Failed recipients of a message with a reverse-path get one DSN (RFC 3464), delivered locally when the
//   sender is local, otherwise queued with the null reverse-path; a bounce is never bounced.
// - Retries are background timers (Scheduler::atBackground): they fire only while a scenario `wait` lets virtual
//   time pass. A down host runs no queue; when it comes back it runs its queue at once.
// - Faults: host down for a while (its connections reset; with `crash` its in-memory state is lost: a non-durable
//   queue is emptied), link down (unreachable, state kept), and seeded loss of connection attempts. (Per-link
//   latency and segment loss live in the VirtualNetwork: `links:`.)
// - Trace: DnsQuery/DnsAnswer, QueueAction (enqueued, deferred with the next retry time, delivered, bounced, lost),
//   RelayHop (message id, from host, to host, result) and FaultInjected events.
#pragma once

#include "sim/world/Dns.hpp"
#include "sim/scenario/Scenario.hpp"
#include "sim/tls/TlsSession.hpp"

#include "auth/UserDirectory.hpp"
#include "mta/MtaQueue.hpp"
#include "smtp/SmtpClientSession.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "store/MailStore.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>

namespace mailsim::sim {

inline constexpr trace::Micros kConnectTimeout = 30'000'000;  // a connection attempt to an unreachable host

struct RelayConnection {
    std::shared_ptr<VirtualConnection> conn;
    trace::SessionId session = trace::kNoSession;
    std::shared_ptr<TlsClientPipe> tls;  // the client's TLS when the next hop has TLS (STARTTLS: begun on its 220)
};

// What the relay needs from the World that owns the hosts.
struct RelayHooks {
    std::function<RelayConnection(const ConnectionSpec&)> open;  // a traced connection to a host's SMTP service
    std::function<void(const RelayConnection&)> close;           // breaks the handlers' reference cycles
    std::function<smtp::SmtpServerContext*(const std::string& host)> context;  // nullptr: no SMTP service
};

// The pieces of a relaying MTA that do no I/O, shared by the simulator's RelayNetwork (virtual time) and the real-socket
// MTA of `mailsim serve --config` (ServeRelay.cpp, wall-clock time), so both trace and bounce alike.
// A QueueAction event (`action.host`: whose queue).
trace::EventId appendQueueEvent(trace::Trace& trace, trace::Micros now, trace::QueueAction action,
                                trace::EventId cause = trace::kNoCause);
// A RelayHop event (message id, from, to, result).
trace::EventId appendHopEvent(trace::Trace& trace, trace::Micros now, trace::RelayHop hop,
                              trace::EventId cause = trace::kNoCause);

// Why a connection cannot be made, as the trace records it: the failure, the host it concerns, the system's own words
// (serve). `failure` None: the connection can be made.
struct Unreachable {
    trace::ConnectFailure failure = trace::ConnectFailure::None;
    std::string host{};
    std::string detail{};
    explicit operator bool() const { return failure != trace::ConnectFailure::None; }
};
// A recipient's result when no exchanger took the mail (RFC 5321 4.5.4.1: retry later): code 0 with the last connect
// failure (its English sentence as the reply, for a bounce's text), or with `reply` (the last hop's deferral).
mta::AttemptResult unreachedResult(const std::string& recipient, const Unreachable& why, const std::string& reply);
// A ConnectFailed hop event's facts.
trace::RelayHop connectFailedHop(const std::string& messageId, const std::string& from, const std::string& to,
                                 const Unreachable& why);

// RFC 5321 5.1: a host that finds itself in the MX list drops itself and every MX as preferred or less preferred (a
// backup MX sends only to better ones); if nothing is left, only the host itself stays (the caller reports the loop).
void pruneSelfFromMx(std::vector<MxTarget>& targets, const std::string& self);

// One SMTP client dialogue with one exchanger, summarised: the per-recipient results for the queue, the hop's result
// (counts and the first failure's reply), and whether every recipient was only deferred (then RFC 5321 5.1 tries the
// next MX).
struct HopSummary {
    std::vector<mta::AttemptResult> results;
    trace::RelayHop hop;  // result Summary: delivered/refused/deferred, code and reason of the first failure
    std::string detail;   // " (451 ...)" of the first recipient not delivered (the queue's reason for a retry)
    bool allTemporary = false;
    // The hop event of message `messageId` from `from` (the summary's `to` is the target host).
    trace::RelayHop hopOf(const std::string& messageId, const std::string& from) const;
};
HopSummary summarizeHop(const smtp::MessageResult& message, const std::string& targetHost);

// What a delivery attempt of queued message `id` sets out to do: the message id for hop events (its Message-ID, else
// the queue id), the pending recipients grouped by domain (one hop each), and the queue's Attempt event (attempt
// number, recipients pending; the caller sets its host).
struct AttemptPlan {
    std::string messageId;
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    trace::QueueAction action;
};
AttemptPlan planAttempt(const mta::QueuedMessage& message, const std::string& id);

// After `queue.recordAttempt`: the QueueAction events (delivered, deferred with the next retry, removed) and the
// bounce of the failed recipients (RFC 3464 DSN; never a bounce of a bounce, RFC 5321 4.5.5). A DSN for a sender of
// this host's own domains is delivered into their mailbox through `ctx`; a DSN for a remote sender is returned, for
// the caller to enqueue with the null reverse-path. `before` is the message as it was before the attempt.
struct AttemptReport {
    const HostSpec* host = nullptr;
    const mta::QueuePolicy* policy = nullptr;
    smtp::SmtpServerContext* context = nullptr;  // the host's SMTP service (its users and store), or nullptr
    trace::Trace* trace = nullptr;
    trace::Micros now = 0;
    trace::EventId cause = trace::kNoCause;
};
// `enqueueDsn(dsn, cause)` queues a notification for a remote sender (from <>, to before.reversePath).
void reportAttempt(const AttemptReport& r, const mta::QueuedMessage& before, const mta::AttemptOutcome& outcome,
                   std::span<const mta::AttemptResult> results, std::uint64_t dsnNumber,
                   const std::function<void(std::string dsn, trace::EventId cause)>& enqueueDsn);

class RelayNetwork {
public:
    RelayNetwork(const Scenario& scenario, Scheduler& scheduler, VirtualNetwork& network, trace::Trace& trace,
                 RelayHooks hooks);
    ~RelayNetwork();

    smtp::RelayHandler handlerFor(const HostSpec& host);
    void injectFault(const FaultStep& fault);
    // Why `from` cannot open a connection to `to` now (none when it can); draws from the seeded loss.
    Unreachable unreachable(const std::string& from, const std::string& to);
    // Remembers a connection so a fault on either host can reset it.
    void track(const std::string& from, const std::string& to, const std::shared_ptr<VirtualConnection>& conn);

    std::size_t queued() const;       // messages in all queues
    std::uint64_t hops() const { return m_hops; }
    const DnsService& dns() const { return m_dns; }

private:
    struct HostMta;
    struct Attempt;
    void enqueue(HostMta& mta, std::string reversePath, const std::vector<std::string>& recipients, std::string content,
                 trace::EventId cause);
    void runQueue(HostMta& mta);
    void scheduleTimer(HostMta& mta);
    // `alongTo`: the message goes along on a connection to that next hop, ahead of its retry time.
    void startAttempt(HostMta& mta, const std::string& id, const std::string& alongTo = {});
    void nextDomain(const std::shared_ptr<Attempt>& a);
    void tryTarget(const std::shared_ptr<Attempt>& a);
    void finishAttempt(const std::shared_ptr<Attempt>& a);
    // Why `from` cannot deliver to `to` now (none when it can); draws from the seeded connection loss.
    Unreachable hopFailure(const std::string& from, const std::string& to);
    // `failure`: hopFailure already asked (a batch), so the seeded loss is drawn once per connection.
    void openHop(const std::string& from, const std::string& to, std::vector<std::shared_ptr<Attempt>> attempts,
                 std::optional<Unreachable> failure = std::nullopt);
    void hopDone(const std::shared_ptr<Attempt>& a, const std::string& host, const std::vector<smtp::RecipientResult>& results);
    // Runs `f`; the hops its attempts want are gathered and opened after it, one connection per next hop.
    template <typename F>
    void batched(F&& f);
    void resetConnections(const std::string& host, trace::FaultKind why);
    trace::EventId queueEvent(const HostMta& mta, trace::QueueAction action, trace::EventId cause = trace::kNoCause);
    trace::EventId hopEvent(trace::RelayHop hop, trace::EventId cause = trace::kNoCause);
    trace::EventId faultEvent(trace::Fault fault);
    trace::Micros now() const { return m_sched.now(); }

    const Scenario& m_sc;
    Scheduler& m_sched;
    VirtualNetwork& m_net;
    trace::Trace& m_trace;
    RelayHooks m_hooks;
    DnsService m_dns;
    std::map<std::string, std::unique_ptr<HostMta>> m_mtas;
    std::set<std::string> m_hostDown;
    std::set<std::string> m_linkDown;
    std::map<std::string, int> m_faultGeneration;  // a repair only undoes the fault that scheduled it
    struct Tracked {
        std::string from, to;
        std::weak_ptr<VirtualConnection> conn;
    };
    std::vector<Tracked> m_connections;
    std::uint64_t m_hops = 0;
    struct Batch {
        std::string from, to;
        std::vector<std::shared_ptr<Attempt>> attempts;
        Unreachable why;  // hopFailure, once asked
    };
    bool m_batching = false;
    std::vector<Batch> m_batches;  // in the order the next hops were first wanted (deterministic)
};

}  // namespace mailsim::sim
