// The real-socket loop of `mailsim serve`: listeners of one or more server hosts, their connections, and (for a
// scenario network, `--config`) the MTAs' outbound relay connections, all in one thread and one poll(2) loop.
// The theory of operation is at the top of ServeLoop.cpp; cli/CliServe.cpp (one host from the command line) and
// ServeConfig.cpp (every host of a scenario) build the hosts and listeners and hand them to `runServeLoop`.
#pragma once

#include "sim/tools/LiveTrace.hpp"
#include "sim/tls/ServerSessions.hpp"
#include "sim/tls/Tls.hpp"

#include "i18n/Lang.hpp"
#include "imap/ImapServerSession.hpp"
#include "pop3/Pop3ServerSession.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "maildir/MaildirStore.hpp"
#include "trace/Trace.hpp"

#include <csignal>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <poll.h>
#include <sys/socket.h>

namespace mailsim::sim {

// What a listener serves: one host's protocol contexts over its store (not owned).
struct ServedHost {
    std::string name;
    smtp::SmtpServerContext* smtp = nullptr;
    pop3::Pop3ServerContext* pop3 = nullptr;
    imap::ImapServerContext* imap = nullptr;
    const TlsContext* tls = nullptr;  // nullptr: no TLS (no STARTTLS, no implicit TLS listener)
    store::MaildirStore* store = nullptr;
};

struct ListenSpec {
    std::string protocol;  // "smtp", "pop3" or "imap"
    std::string host;      // the address to bind, e.g. "127.0.0.1" or "::1"
    std::string port;
    bool implicitTls = false;  // --smtps/--pop3s/--imaps: TLS from the first byte (RFC 8314)
    bool submission = false;   // --submission/--smtps: SMTP AUTH offered and required (RFC 6409)
    std::string option;        // as given, e.g. "--smtps", for messages
};

struct Listener {
    int fd = -1;
    std::string name;   // the service: "smtp", "submission", "smtps", "pop3", "pop3s", "imap", "imaps"
    std::string label;  // in the `listening` line (ServeAnnounce.hpp): "smtp", or "mail.cesoo.com smtp" for a network
    std::string protocol;
    std::string text;   // "127.0.0.1:2525"
    bool implicitTls = false;
    bool submission = false;
    ServedHost* host = nullptr;
    std::string address;  // the bound address alone ("127.0.0.1", "::1") and port, for the ready file
    int port = 0;
};

// Something else the loop drives besides the server connections (the MTAs' outbound connections): it adds its
// sockets to the poll set, handles their events, and does its timed work after every iteration.
class LoopAgent {
public:
    virtual ~LoopAgent() = default;
    // Appends the sockets to poll; lowers `wake` to the next time `step` has work.
    virtual void collect(std::vector<pollfd>& fds, trace::Micros& wake, trace::Micros now) = 0;
    // The same sockets with their revents, in the order `collect` appended them.
    virtual void dispatch(std::span<const pollfd> fds, trace::Micros now) = 0;
    // After every iteration. `stopping`: start nothing new; `graceOver`: abandon what is in flight.
    virtual void step(trace::Micros now, bool stopping, bool graceOver) = 0;
    // Nothing in flight: the loop may exit once it is stopping.
    virtual bool idle() const = 0;
};

trace::Micros wallMicros();
std::string errnoText(int err = errno);
// "127.0.0.1:2525" or "[::1]:2525"; the address alone; the port.
std::string endpointText(const sockaddr_storage& ss);
std::string addressText(const sockaddr_storage& ss);
int portOf(const sockaddr_storage& ss);
// Opens a non-blocking listening socket; the error (in `lang`) names the address and the reason.
std::expected<int, std::string> openListener(const ListenSpec& spec, i18n::Lang lang);
// Opens `spec` and fills a Listener (the bound address in `text`).
std::expected<Listener, std::string> makeListener(const ListenSpec& spec, std::string name, std::string label,
                                                  ServedHost* host, i18n::Lang lang);
// A connection's trace as the loop keeps it: every event goes to `listener` (printed, streamed) as it is appended and
// is not kept (trace::Trace::keepEvents(false)), so a long response does not hold one event per line it sent.
std::unique_ptr<trace::Trace> makeConnectionTrace(trace::Trace::Listener listener);
// Whether stdout is /dev/null (`mailsim serve >/dev/null`): then nobody reads the printed trace, and the loop neither
// formats it nor gives the connections' traces a listener unless --trace-out streams them (the sessions then skip
// building what only the trace would show, e.g. SMTP DATA lines; Trace::observed).
bool stdoutDiscarded();
// Prints one trace event as it is appended, each line prefixed with "[label] ", its annotations in `lang` (protocol
// lines as they were sent).
void printTraceEvent(std::string_view label, const trace::Trace& trace, const trace::Event& event, i18n::Lang lang);

// SIGINT/SIGTERM: blocked from construction (a stop request is never lost), delivered only while the loop waits;
// SIGPIPE ignored. The destructor restores the previous dispositions and mask.
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;
    const sigset_t& waitMask() const { return m_waitMask; }

private:
    sigset_t m_origMask{}, m_waitMask{};
    struct sigaction m_oldInt{}, m_oldTerm{}, m_oldPipe{};
};

// Limits that keep one misbehaving client from stalling a classroom server.
// The defaults and the peers they follow are listed in docs/security.md.
struct LoopLimits {
    std::size_t maxPerAddress = 20;          // connections per client address (Postfix smtpd_client_connection_count_limit)
    trace::Micros loginTimeout = 60'000'000; // POP3, IMAP and submission: log in within this long, or goodbye
    std::size_t maxPerListener = 500;        // connections served per listener (others still get their own share)
    // A command (line, or SMTP DATA content, or IMAP command with its literals) must arrive within
    // commandTimeout + octets received / minDataRate of its first octet; a trickle of bytes does not extend it
    // (Apache mod_reqtimeout's "header=20-40,MinRate=500"; Postfix 3.7 smtpd_min_data_rate = 500).
    trace::Micros commandTimeout = 60'000'000;
    std::size_t minDataRate = 500;           // octets per second
    // Applied to the hosts' SMTP contexts by cli/CliServe.cpp / ServeConfig.cpp:
    trace::Micros greetingTimeout = 60'000'000;  // no command this long after the 220 greeting -> 421
    std::size_t maxRecipients = 1000;            // RCPTs per message (RFC 5321 4.5.3.1.8: at least 100)
};

// The limit options shared by `serve` and `serve --config` (docs/security.md has the table): --max-per-address N,
// --max-connections N, --login-timeout S, --greeting-timeout S, --command-timeout S, --min-data-rate N,
// --max-recipients N. Returns nullopt when args[i] is none of them; otherwise consumes its value (i advances) and
// returns "" or the error message (in `lang`). Their usage text is ServeText::UsageLimits.
std::optional<std::string> parseLimitOption(std::span<const std::string> args, std::size_t& i, LoopLimits& limits,
                                            i18n::Lang lang);

// Runs until a stop signal, then until every session is gone and the agent is idle (or its grace is over). The caller
// has announced the listeners (ServeAnnounce.hpp). Returns the exit status (0, or 1 when poll fails).
// `traceOut` (optional): every server connection's events as JSON lines (serve --trace-out). `lang`: the language of
// what the loop prints besides protocol text (the log's annotations, warnings, the shutdown line).
int runServeLoop(std::vector<Listener> listeners, LoopLimits limits, LoopAgent* agent, const StopSignals& signals,
                 LiveTraceWriter* traceOut, i18n::Lang lang);

}  // namespace mailsim::sim
