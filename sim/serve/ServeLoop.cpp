// The loop of `mailsim serve` (ServeLoop.hpp): the SMTP, POP3 and IMAP server sessions of one or more hosts on real
// TCP sockets. Each host's protocols share its Maildir store and users (mail delivered over SMTP can be fetched over
// POP3 or IMAP from the same process); with --config (ServeConfig.cpp) every host of a scenario is served at once and
// their MTAs relay to each other over real TCP (ServeRelay.cpp) from this same loop.
//
// Theory of operation
// - One listening socket per protocol asked for (--smtp, --pop3, --imap, any of them), per host. A listener knows its
//   host (`ServedHost`: its contexts, store and certificate). Connections are protocol-agnostic: each owns a
//   `ServerSession` (ServerSessions.hpp) made for the listener it came from; the loop never looks at the protocol.
// - A `LoopAgent` (the scenario network's MTAs, ServeRelay.cpp) adds its outbound sockets to the same poll set and
//   does its timed work (queue runs, connect deadlines) after every iteration; on shutdown it starts nothing new,
//   its in-flight deliveries may finish within the grace period, and queued mail stays on disk.
// - One thread, one poll(2) loop (ppoll, so SIGINT/SIGTERM are only delivered while waiting and cannot be lost
//   between the check and the wait). The listening socket and every connection are non-blocking.
// - Each connection owns a server session (sans-I/O: bytes and the wall-clock time in, replies out) and its
//   own `trace::Trace` with one session in it. The loop moves bytes: what `read` returns goes to `receive`, what
//   `takeOutput` returns goes to a per-connection outbound buffer that is written as far as the socket accepts and
//   otherwise waits for POLLOUT (backpressure). While more than kOutputHighWater octets wait to be sent, the
//   connection is not read (a client that pipelines without reading replies cannot grow our memory).
// - A response made in slices (an IMAP FETCH, `producing()`): the loop asks for the next slice whenever less than
//   kSliceOctets wait to be sent, and does not read the connection until the response is done, so a FETCH 1:* of a
//   large mailbox starts at once, overlaps with the client's reading, and holds about two slices in memory.
// - `tick(now)` runs for every session at least once a second (the poll timeout), so RFC 5321 4.5.3.2.7 idle
//   timeouts answer 421 and close; and after every loop iteration, so an IMAP session in IDLE pushes a change made
//   by another connection (an APPEND, a delivery over SMTP) as soon as that connection's command was handled.
// - A connection is closed when the session is closed (after SMTP 221/421, POP3's QUIT) or the client sent EOF, once
//   its output is flushed; at once on a read/write error (reset). A client EOF is reported to the session
//   (`connectionLost`: a POP3 session ends without UPDATE and releases the maildrop lock).
// - Every trace event is printed as it is appended (the trace listener and `formatEvent`), prefixed with the
//   connection number, and stdout is flushed once per loop iteration; when stdout is /dev/null nothing is formatted
//   (stdoutDiscarded), and without --trace-out the traces then have no listener at all (Trace::observed). With --trace-out FILE every event of the
//   server connections is also written to FILE as one JSON line (sim/tools/LiveTrace.hpp: ids made global across
//   connections, a session described on its first event), flushed with stdout; `mailsim-gui --attach FILE` follows
//   it. (The MTAs' outbound sessions of --config are printed, not streamed.)
// - Memory is bounded: at most --max-connections served connections per listener (more get the protocol's "too many
//   connections" goodbye; the other listeners keep their share) and at most what the file-descriptor limit allows in
//   all (beyond that new ones wait in the kernel's backlog); SMTP DATA content is recorded in the trace only up to the
//   session's traceContentOctets/Lines (then counted in one note); per
//   connection the session bounds its own buffers (512-octet command lines, the message size limit), the outbound
//   buffer is bounded as above. A connection's trace keeps no events (makeConnectionTrace): each is printed and
//   streamed as it is appended and dropped, so a response of one line per message (FETCH 1:*, LIST, RETR of a big
//   message) costs no memory per line beyond its output. Its ids start again at 0 once they pass kTraceRotateEvents
//   between commands (outside DATA, so causes inside the current message stay valid), which bounds the --trace-out
//   writer's map of the connection's ids.
// - SIGINT/SIGTERM: stop listening; sessions that are not busy get their protocol's goodbye at once (SMTP 421,
//   RFC 5321 3.8; POP3 -ERR [SYS/TEMP] without UPDATE), SMTP sessions inside a mail transaction (MAIL/RCPT/DATA) may
//   finish it for kShutdownGrace and get 421 after their reply; then exit 0.
//   A message answered 250 is already durable (the session answers only once its store request completed).
// - Store work is off the protocol path (park-and-resume, engine/store/StoreRequest.hpp): an SMTP session that ends
//   DATA parks on a delivery request; at the end of the iteration the loop hands every new request to the store
//   worker (sim/serve/StoreWorker.hpp), which runs all the requests waiting as one batch on its own thread (group commit: each
//   file fsync'ed, one fsync per new/ directory and one UID-list append per folder for the whole batch). The loop
//   keeps serving the other connections meanwhile; the worker's eventfd wakes it when a batch is durable, and each
//   parked session is resumed with its own result and answers 250 (or 451/452). A parked connection is not read
//   (pipelined commands wait in the kernel), so parking cannot grow our buffers.
// - TLS (sim/tls/TlsSession.hpp): unless --no-tls, every session is wrapped in the TLS decorator with a certificate from
//   the classroom CA: plain listeners offer STARTTLS/STLS, --smtps/--pop3s/--imaps speak TLS from the first byte.
//   Passwords are refused before TLS is up unless --allow-plaintext-auth. The trace records the handshake and the
//   records in both directions, and each session's TCP endpoints, so `mailsim export`-style captures are possible.
// - Abuse limits: at most --max-per-address connections per client address (more get the protocol's goodbye from
//   its catalogue and are closed); failed logins are counted per client address and, from the second one within
//   15 minutes, the reply is held 1, 2, 4, 8, 16 s (the connection is neither read nor written meanwhile); a POP3,
//   IMAP or submission client that has not logged in after --login-timeout gets the protocol's "login timeout"
//   goodbye; a command (line, DATA content, IMAP command with literals) must be complete within --command-timeout
//   plus one second per --min-data-rate octets received from its first octet (`inputPending`), else the protocol's
//   timeout goodbye: a trickle of bytes cannot keep a session alive (slowloris); a client that pipelines without reading replies is not read while 256 KiB of
//   replies wait for it (so the pipelined commands it can have pending are bounded).
#include "sim/serve/ServeLoop.hpp"
#include "sim/tools/Transcript.hpp"

#include "sim/serve/ServeText.hpp"
#include "sim/serve/StoreWorker.hpp"

#include "sim/tls/TlsSession.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailsim::sim {

using trace::Micros;

std::string endpointText(const sockaddr_storage& ss) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(ss);
        ::inet_ntop(AF_INET6, &a.sin6_addr, buf, sizeof buf);
        return fmt::format("[{}]:{}", buf, ntohs(a.sin6_port));
    }
    const auto& a = reinterpret_cast<const sockaddr_in&>(ss);
    ::inet_ntop(AF_INET, &a.sin_addr, buf, sizeof buf);
    return fmt::format("{}:{}", buf, ntohs(a.sin_port));
}

// The address alone (for PeerInfo and the Received: header).
std::string addressText(const sockaddr_storage& ss) {
    std::string ep = endpointText(ss);
    ep.erase(ep.rfind(':'));
    if (ep.starts_with('[')) ep = ep.substr(1, ep.size() - 2);
    return ep;
}

int portOf(const sockaddr_storage& ss) {
    return ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<const sockaddr_in6&>(ss).sin6_port)
                                    : ntohs(reinterpret_cast<const sockaddr_in&>(ss).sin_port);
}

bool isLoopback(const sockaddr_storage& ss) {
    if (ss.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(ss);
        return IN6_IS_ADDR_LOOPBACK(&a.sin6_addr);
    }
    const auto& a = reinterpret_cast<const sockaddr_in&>(ss);
    return (ntohl(a.sin_addr.s_addr) >> 24) == 127;
}

std::string errnoText(int err) { return std::strerror(err); }

// Opens the listening socket; the error names the address and the reason.
std::expected<int, std::string> openListener(const ListenSpec& o, i18n::Lang lang) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    if (int rc = ::getaddrinfo(o.host.c_str(), o.port.c_str(), &hints, &res); rc != 0)
        return std::unexpected(serveSay(lang, ServeText::ResolveFailed, o.host, ::gai_strerror(rc)));
    std::string lastError(serveText(ServeText::NoAddress, lang));
    int fd = -1;
    for (addrinfo* ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            lastError = "socket: " + errnoText();
            continue;
        }
        int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
            lastError = errnoText();
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(res);
    if (fd < 0) return std::unexpected(serveSay(lang, ServeText::ListenFailed, o.host, o.port, lastError));
    return fd;
}

std::expected<Listener, std::string> makeListener(const ListenSpec& spec, std::string name, std::string label,
                                                  ServedHost* host, i18n::Lang lang) {
    auto fd = openListener(spec, lang);
    if (!fd) return std::unexpected(fd.error());
    sockaddr_storage bound{};
    socklen_t len = sizeof bound;
    ::getsockname(*fd, reinterpret_cast<sockaddr*>(&bound), &len);
    return Listener{*fd, std::move(name), std::move(label), spec.protocol, endpointText(bound), spec.implicitTls,
                    spec.submission, host, addressText(bound), portOf(bound)};
}

Micros wallMicros() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<Micros>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

std::optional<std::string> parseLimitOption(std::span<const std::string> args, std::size_t& i, LoopLimits& limits,
                                            i18n::Lang lang) {
    struct Spec {
        std::string_view name;
        std::uint64_t max;
        bool seconds;
    };
    static constexpr Spec kSpecs[] = {
        {"--max-per-address", 9999, false}, {"--max-connections", 60000, false}, {"--login-timeout", 999999, true},
        {"--greeting-timeout", 999999, true}, {"--command-timeout", 999999, true}, {"--min-data-rate", 1u << 30, false},
        {"--max-recipients", 100000, false},
    };
    const std::string& a = args[i];
    const auto* spec = std::ranges::find(kSpecs, std::string_view(a), &Spec::name);
    if (spec == std::end(kSpecs)) return std::nullopt;
    if (i + 1 >= args.size()) return serveSay(lang, ServeText::NeedsValue, a);
    const std::string& v = args[++i];
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    const std::uint64_t min = a == "--max-recipients" ? 100 : 1;  // RFC 5321 4.5.3.1.8: at least 100
    if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || n < min || n > spec->max)
        return serveSay(lang, spec->seconds ? ServeText::SecondsRange : ServeText::NumberRange, a, v, min, spec->max);
    const Micros us = static_cast<Micros>(n) * 1'000'000;
    if (a == "--max-per-address") limits.maxPerAddress = n;
    else if (a == "--max-connections") limits.maxPerListener = n;
    else if (a == "--login-timeout") limits.loginTimeout = us;
    else if (a == "--greeting-timeout") limits.greetingTimeout = us;
    else if (a == "--command-timeout") limits.commandTimeout = us;
    else if (a == "--min-data-rate") limits.minDataRate = n;
    else limits.maxRecipients = n;
    return std::string();
}

std::unique_ptr<trace::Trace> makeConnectionTrace(trace::Trace::Listener listener) {
    auto t = std::make_unique<trace::Trace>();
    t->keepEvents(false);
    t->setListener(std::move(listener));
    return t;
}

bool stdoutDiscarded() {
    struct stat out{}, null{};
    return ::fstat(STDOUT_FILENO, &out) == 0 && S_ISCHR(out.st_mode) && ::stat("/dev/null", &null) == 0 &&
           S_ISCHR(null.st_mode) && out.st_rdev == null.st_rdev;
}

void printTraceEvent(std::string_view label, const trace::Trace& trace, const trace::Event& event, i18n::Lang lang) {
    TranscriptOptions options;
    options.sessionHeaders = false;  // the label says which session a line belongs to
    options.lang = lang;
    const std::string text = formatEvent(trace, event, options);
    // One fwrite for the event, its lines prefixed, built in a buffer kept between calls (one per thread).
    // fwrite, not fmt::print: a closed stdout (`mailsim serve | head`) must not throw through the session.
    thread_local std::string out;
    out.clear();
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        out += '[';
        out += label;
        out += "] ";
        out.append(text, start, nl - start);
        out += '\n';
        start = nl + 1;
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
}

namespace {

volatile std::sig_atomic_t g_stopSignal = 0;
extern "C" void onStopSignal(int sig) { g_stopSignal = sig; }

}  // namespace

StopSignals::StopSignals() {
    // Blocked except inside ppoll, so a stop request is seen at the next wait, never lost.
    sigset_t stopSet;
    sigemptyset(&stopSet);
    sigaddset(&stopSet, SIGINT);
    sigaddset(&stopSet, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &stopSet, &m_origMask);
    struct sigaction sa{};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &m_oldInt);
    ::sigaction(SIGTERM, &sa, &m_oldTerm);
    struct sigaction ignore{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &m_oldPipe);  // stdout may be a closed pipe; sockets use MSG_NOSIGNAL
    g_stopSignal = 0;
    m_waitMask = m_origMask;
    sigdelset(&m_waitMask, SIGINT);
    sigdelset(&m_waitMask, SIGTERM);
}

StopSignals::~StopSignals() {
    ::sigaction(SIGINT, &m_oldInt, nullptr);
    ::sigaction(SIGTERM, &m_oldTerm, nullptr);
    ::sigaction(SIGPIPE, &m_oldPipe, nullptr);
    ::sigprocmask(SIG_SETMASK, &m_origMask, nullptr);
}

namespace {

constexpr std::size_t kReservedFds = 64;      // for listeners, the store, the relay's sockets, stdio
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kOutputHighWater = 256 * 1024;
constexpr std::size_t kSliceOctets = 64 * 1024;  // an IMAP FETCH's slice (fetchSlice), made when less than this waits
constexpr std::size_t kTraceRotateEvents = 4096;
constexpr Micros kShutdownGrace = 5'000'000;   // in-flight transactions may finish for this long after SIGTERM
constexpr Micros kFlushGrace = 2'000'000;      // after the final 421, time to flush before closing anyway
constexpr Micros kAcceptPause = 1'000'000;     // after EMFILE/ENFILE, stop accepting for this long

struct Connection {
    int fd = -1;
    std::uint64_t number = 0;  // printed before each trace line
    std::string peer;          // "127.0.0.1:53122"
    std::string peerAddress;   // "127.0.0.1"
    std::string local;         // "127.0.0.1:2525"
    Listener* listener = nullptr;
    bool served = false;       // counted in its listener's share (false: refused over a cap, only saying goodbye)
    int failedSeen = 0;        // the session's failed logins already counted for its address
    Micros unitStart = 0;      // the current command (or DATA content) began then; 0: none pending
    std::uint64_t unitOctets = 0;  // octets received since unitStart
    Micros loginBy = 0;        // POP3, IMAP, submission: the client must have logged in by then (0: no deadline)
    Micros holdUntil = 0;      // a failed login's reply is held until then (progressive delay)
    std::unique_ptr<trace::Trace> trace;  // owned here so its address (held by the Recorder) stays stable
    LiveTraceWriter::Stream traceOut;     // this connection's ids in the --trace-out stream
    trace::Recorder recorder;
    std::unique_ptr<ServerSession> session;
    std::string out;           // replies not yet accepted by the socket
    bool peerEof = false;      // the client closed its side
    bool dead = false;         // close now, without flushing (reset, write error)
    bool shutdownSent = false; // the session's shutdown goodbye is queued
    Micros closeBy = 0;        // after shutdownSent: close even if unflushed
    trace::CloseReason closeReason = trace::CloseReason::None;  // why it closes, once known
    std::string closeDetail;
};

// Failed logins per client address, for progressive delays: the n-th failure within kFailureMemory holds the reply
// min(2^(n-2), 16) seconds (the first is answered at once), so guessing passwords gets slow while a typo costs nothing.
struct LoginFailures {
    int count = 0;
    Micros last = 0;
};
constexpr Micros kFailureMemory = 15LL * 60 * 1'000'000;
constexpr Micros kMaxLoginDelay = 16'000'000;

class Server {
public:
    Server(std::vector<Listener> listeners, LoopLimits limits, LoopAgent* agent, LiveTraceWriter* traceOut,
           i18n::Lang lang)
        : m_listeners(std::move(listeners)), m_limits(limits), m_maxPerAddress(limits.maxPerAddress),
          m_loginTimeout(limits.loginTimeout), m_agent(agent), m_traceOut(traceOut), m_maxTotal(fdBudget()),
          m_lang(lang), m_printTrace(!stdoutDiscarded()) {
        for (const auto& l : m_listeners) {
            if (l.host && l.host->store && std::ranges::find(m_stores, l.host->store) == m_stores.end())
                m_stores.push_back(l.host->store);
            // This loop sends a FETCH as it is made, slice by slice (pump): the first octets leave at once, the
            // client reads while the server makes the rest, and a response is never held whole in memory.
            if (l.host && l.host->imap) l.host->imap->config.fetchSlice = kSliceOctets;
        }
    }
    ~Server() {
        m_conns.clear();  // sessions first: they release maildrop locks in the store (the worker finishes later)
        for (auto& l : m_listeners)
            if (l.fd >= 0) ::close(l.fd);
    }

    // Runs until a stop signal and all sessions are gone. `origMask` is the signal mask to wait with.
    int run(const sigset_t& origMask);

private:
    void acceptAll(Listener& listener, Micros now);
    void readFrom(Connection& c, Micros now);
    void flush(Connection& c);
    void pump(Connection& c, Micros now);
    void beginShutdown(Micros now);
    void shutdownStep(Connection& c, Micros now);
    // The protocol's last words from its catalogue (SMTP 421, POP3 -ERR [SYS/TEMP], IMAP BYE); the connection closes
    // once they are flushed, or after kFlushGrace.
    void sayGoodbye(Connection& c, Micros now, util::Goodbye why, trace::CloseReason reason, std::string detail = {});
    // Applies the login deadline and the per-command deadline after the session's tick.
    void checkDeadlines(Connection& c, Micros now);
    // Park-and-resume: hands a parked session's new request to the worker; resumes sessions whose requests completed.
    void submitStoreWork(Connection& c);
    void completeStoreWork(Micros now);
    // Raises RLIMIT_NOFILE to its hard limit; the connections that fit in it (the hard cap over all listeners).
    static std::size_t fdBudget();
    void closeConnection(Connection& c, Micros now);
    void rotateTrace(Connection& c);
    void printWarnings();

    std::vector<Listener> m_listeners;
    std::vector<store::MaildirStore*> m_stores;  // of the listeners' hosts, for their warnings
    LoopLimits m_limits;
    std::size_t m_maxPerAddress;
    Micros m_loginTimeout;
    LoopAgent* m_agent;
    LiveTraceWriter* m_traceOut = nullptr;  // --trace-out, or null
    std::size_t m_maxTotal;                               // connections of all listeners (file descriptors)
    i18n::Lang m_lang;                                    // of what the loop prints (ServeText, the annotations)
    bool m_printTrace;                                    // stdout is not /dev/null: the connections' events are printed
    std::map<const Listener*, std::size_t> m_perListener; // served connections per listener
    std::map<std::string, std::size_t> m_perAddress;      // open connections per client address
    std::map<std::string, LoginFailures> m_loginFailures;  // per client address
    std::vector<std::unique_ptr<Connection>> m_conns;
    std::uint64_t m_nextNumber = 1;
    bool m_stopping = false;
    Micros m_graceEnd = 0;
    Micros m_acceptPausedUntil = 0;
    StoreWorker m_worker;  // park-and-resume: the store requests of parked sessions, run off the loop
};

std::size_t Server::fdBudget() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 256;
    if (lim.rlim_cur < lim.rlim_max) {
        rlimit raised = lim;
        raised.rlim_cur = std::min<rlim_t>(lim.rlim_max, 65536);
        if (raised.rlim_cur > lim.rlim_cur && ::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
    }
    return lim.rlim_cur > kReservedFds * 2 ? static_cast<std::size_t>(lim.rlim_cur) - kReservedFds : kReservedFds;
}

void Server::acceptAll(Listener& listener, Micros now) {
    while (m_conns.size() < m_maxTotal) {
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        int fd = ::accept4(listener.fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                printError(serveSay(m_lang, ServeText::AcceptPaused, errnoText()));
                m_acceptPausedUntil = now + kAcceptPause;
            }
            return;  // EAGAIN: no more pending; ECONNABORTED and friends: the client gave up
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_storage local{};
        socklen_t llen = sizeof local;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen);

        auto c = std::make_unique<Connection>();
        c->fd = fd;
        c->number = m_nextNumber++;
        c->peer = endpointText(peer);
        c->local = endpointText(local);
        trace::Trace::Listener onEvent;  // none when nobody reads the trace: the session then skips its Data lines
        if (m_printTrace || m_traceOut)
            onEvent = [number = c->number, conn = c.get(), out = m_traceOut, print = m_printTrace,
                        lang = m_lang](const trace::Trace& t, const trace::Event& e) {
                if (print) printTraceEvent(std::to_string(number), t, e, lang);
                if (out) out->write(conn->traceOut, t, e);
            };
        c->trace = makeConnectionTrace(std::move(onEvent));
        c->peerAddress = addressText(peer);
        auto sid = c->trace->openSession(listener.protocol, c->peer, c->local, now);
        c->trace->setEndpoints(sid, {c->peerAddress, portOf(peer)}, {addressText(local), portOf(local)});
        c->recorder = trace::Recorder(c->trace.get(), sid);
        c->recorder.connectionOpened(now, {.client = c->peer, .server = c->local, .implicitTls = listener.implicitTls});
        ServedHost& host = *listener.host;
        if (listener.protocol == "pop3") {
            c->session = makePop3ServerSession(*host.pop3, c->recorder);
        } else if (listener.protocol == "imap") {
            c->session = makeImapServerSession(*host.imap, c->recorder);
        } else {
            smtp::PeerInfo info{isLoopback(peer) ? "localhost" : c->peerAddress, c->peerAddress, listener.submission};
            c->session = makeSmtpServerSession(*host.smtp, std::move(info), c->recorder);
        }
        if (host.tls) c->session = makeTlsServerSession(std::move(c->session), *host.tls, listener.implicitTls, true, c->recorder);
        c->listener = &listener;
        std::size_t& onListener = m_perListener[&listener];
        if (++m_perAddress[c->peerAddress] > m_maxPerAddress) {
            // Over a cap: the protocol's goodbye from its catalogue, then close (no greeting, no TLS).
            c->recorder.explain(now, {.id = trace::NoteId::CapPerAddress, .names = {c->peerAddress},
                                      .numbers = {m_perAddress[c->peerAddress] - 1, m_maxPerAddress}});
            sayGoodbye(*c, now, util::Goodbye::TooManyConnections, trace::CloseReason::TooManyConnections, c->peerAddress);
        } else if (onListener >= m_limits.maxPerListener) {
            // This listener's share is used up; the other listeners keep theirs (a flood on port 25 does not stop
            // POP3/IMAP clients from being greeted).
            c->recorder.explain(now, {.id = trace::NoteId::CapPerListener, .names = {listener.name, listener.text},
                                      .numbers = {onListener, m_limits.maxPerListener}});
            sayGoodbye(*c, now, util::Goodbye::TooManyConnections, trace::CloseReason::TooManyConnections, listener.text);
        } else {
            ++onListener;
            c->served = true;
            c->session->start(now);
            // A mailbox or submission service is for users who log in; port 25 (server to server) is not.
            if (listener.protocol != "smtp" || listener.submission) c->loginBy = now + m_loginTimeout;
        }
        pump(*c, now);
        m_conns.push_back(std::move(c));
    }
}

void Server::pump(Connection& c, Micros now) {
    // A response made in slices (an IMAP FETCH): the next slice once the last one is nearly sent (backpressure: a
    // client that reads slowly holds at most about two slices here, not the whole response).
    if (c.session->producing() && c.out.size() < kSliceOctets && !c.dead && !c.shutdownSent) c.session->produce(now);
    if (c.session->hasOutput()) c.out += c.session->takeOutput();
    if (int failed = c.session->failedLogins(); failed > c.failedSeen) {
        LoginFailures& f = m_loginFailures[c.peerAddress];
        if (now - f.last > kFailureMemory) f.count = 0;
        f.count += failed - c.failedSeen;
        f.last = now;
        c.failedSeen = failed;
        if (f.count >= 2) {
            Micros delay = std::min<Micros>(Micros{1'000'000} << std::min(f.count - 2, 5), kMaxLoginDelay);
            c.holdUntil = now + delay;
            c.recorder.explain(now, {.id = trace::NoteId::LoginDelay, .names = {c.peerAddress},
                                     .numbers = {static_cast<std::uint64_t>(f.count),
                                                 static_cast<std::uint64_t>(delay / 1'000'000)}});
        }
    }
    if (now < c.holdUntil) return;  // sent when the hold ends (the loop wakes up for it)
    flush(c);
    if (c.session->closed() && c.closeReason == trace::CloseReason::None) c.closeReason = trace::CloseReason::ServerClosed;
}

void Server::flush(Connection& c) {
    while (!c.out.empty() && !c.dead) {
        ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n > 0) {
            c.out.erase(0, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // wait for POLLOUT
        c.dead = true;
        if (c.closeReason == trace::CloseReason::None) {
            c.closeReason = trace::CloseReason::WriteFailed;
            c.closeDetail = errnoText();
        }
    }
}

void Server::readFrom(Connection& c, Micros now) {
    char buf[kReadChunk];
    ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n > 0) {
        c.session->receive(std::string_view(buf, static_cast<std::size_t>(n)), now);
        // The per-command deadline runs from the first octet of a command (or from DATA's 354) and only grows
        // with the octets that arrive (minDataRate), so a trickle cannot keep a session alive.
        if (!c.session->inputPending()) {
            c.unitStart = 0;
            c.unitOctets = 0;
        } else {
            if (c.unitStart == 0) c.unitStart = now;
            c.unitOctets += static_cast<std::uint64_t>(n);
        }
        pump(c, now);
        rotateTrace(c);
    } else if (n == 0) {
        c.peerEof = true;
        if (c.closeReason == trace::CloseReason::None) c.closeReason = trace::CloseReason::ClientClosed;
        c.session->connectionLost(now);
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        c.dead = true;
        if (c.closeReason == trace::CloseReason::None) {
            c.closeReason = trace::CloseReason::ConnectionLost;
            c.closeDetail = errnoText();
        }
    }
}

void Server::rotateTrace(Connection& c) {
    if (c.trace->appended() <= kTraceRotateEvents || !c.session->traceCuttable()) return;
    // The trace keeps no events (makeConnectionTrace); starting its ids again at 0 bounds the --trace-out writer's
    // map of this connection's ids (LiveTraceWriter::Stream). Keep the session description so the Recorder's id stays
    // valid.
    trace::SessionInfo info = *c.trace->session(c.recorder.session());
    c.trace->clear();
    LiveTraceWriter::restart(c.traceOut);
    [[maybe_unused]] auto sid = c.trace->openSession(info.protocol, info.client, info.server, info.opened);
    c.trace->setTls(sid, info.tls);  // lines after the cut are still inside TLS
}

void Server::beginShutdown(Micros now) {
    m_stopping = true;
    m_graceEnd = now + kShutdownGrace;
    for (auto& l : m_listeners) {
        if (l.fd >= 0) ::close(l.fd);
        l.fd = -1;
    }
    printError(serveSay(m_lang, ServeText::StopReceived, g_stopSignal == SIGINT ? "SIGINT" : "SIGTERM", m_conns.size()));
}

// While stopping: a session that is not busy (or past the grace period) gets its protocol's goodbye and is closed
// once that is flushed.
void Server::shutdownStep(Connection& c, Micros now) {
    if (c.dead) return;
    if (c.shutdownSent) {
        if (now >= c.closeBy) {
            c.dead = true;
            c.closeReason = trace::CloseReason::ShutdownUnflushed;
        }
        return;
    }
    if (c.session->closed() || c.peerEof) return;  // closing anyway
    if (c.session->busy() && now < m_graceEnd) return;
    sayGoodbye(c, now, util::Goodbye::ShuttingDown, trace::CloseReason::Shutdown);
    c.out += c.session->takeOutput();
    flush(c);
}

// The deadline of the command in progress: commandTimeout, plus one second per minDataRate octets received.
Micros unitDeadline(const Connection& c, const LoopLimits& limits) {
    const auto rate = std::max<std::uint64_t>(limits.minDataRate, 1);
    return c.unitStart + limits.commandTimeout + static_cast<Micros>(c.unitOctets * 1'000'000 / rate);
}

void Server::checkDeadlines(Connection& c, Micros now) {
    if (c.session->closed()) return;
    if (c.loginBy && now >= c.loginBy && !c.session->loggedIn()) {
        // The login deadline: the protocol's "login timeout" goodbye from its catalogue, then close.
        c.recorder.explain(now, {.id = trace::NoteId::LoginTimeout,
                                 .numbers = {static_cast<std::uint64_t>(m_loginTimeout / 1'000'000)}});
        return sayGoodbye(c, now, util::Goodbye::LoginTimeout, trace::CloseReason::LoginDeadline);
    }
    if (c.unitStart == 0 && c.session->inputPending()) c.unitStart = now;  // e.g. DATA entered after a pipelined read
    // While the server is still answering (a FETCH in slices), a command buffered behind it is not the client's delay.
    if (c.unitStart == 0 || !c.session->inputPending() || c.session->producing()) {
        c.unitStart = 0;
        c.unitOctets = 0;
        return;
    }
    if (now < unitDeadline(c, m_limits)) return;
    c.recorder.explain(now, {.id = trace::NoteId::CommandDeadline,
                             .numbers = {static_cast<std::uint64_t>((now - c.unitStart) / 1000), c.unitOctets,
                                         static_cast<std::uint64_t>(m_limits.commandTimeout / 1'000'000),
                                         static_cast<std::uint64_t>(m_limits.minDataRate)}});
    sayGoodbye(c, now, util::Goodbye::Timeout, trace::CloseReason::CommandDeadline);
}

void Server::sayGoodbye(Connection& c, Micros now, util::Goodbye why, trace::CloseReason reason, std::string detail) {
    c.session->shutdown(now, why);
    c.shutdownSent = true;
    c.closeBy = now + kFlushGrace;
    c.closeReason = reason;
    c.closeDetail = std::move(detail);
}

void Server::closeConnection(Connection& c, Micros now) {
    c.recorder.connectionClosed(now, c.closeReason, c.closeDetail);
    if (auto it = m_perAddress.find(c.peerAddress); it != m_perAddress.end() && --it->second == 0) m_perAddress.erase(it);
    if (c.served) --m_perListener[c.listener];
    ::shutdown(c.fd, SHUT_RDWR);
    ::close(c.fd);
    c.fd = -1;
}

void Server::submitStoreWork(Connection& c) {
    if (!c.session->parked() || !c.listener || !c.listener->host || !c.listener->host->store) return;
    if (auto request = c.session->takeStoreRequest())
        m_worker.submit(c.number, *c.listener->host->store, std::move(*request));
}

void Server::completeStoreWork(Micros now) {
    for (auto& done : m_worker.takeCompleted()) {
        // The connection may be gone (reset while its message was being stored): the result is dropped; a delivery
        // that succeeded stays delivered, as when a connection drops right after the 250.
        auto it = std::ranges::find(m_conns, done.ticket, [](const auto& c) { return c->number; });
        if (it == m_conns.end() || (*it)->dead) continue;
        Connection& c = **it;
        c.session->storeCompleted(std::move(done.result), now);
        pump(c, now);
    }
}

void Server::printWarnings() {
    for (auto* store : m_stores)
        for (const auto& w : store->takeWarnings())
            printError(serveSay(m_lang, ServeText::Warning, storeWarningText(w, m_lang)));
}

int Server::run(const sigset_t& origMask) {
    std::vector<pollfd> fds;
    for (;;) {
        Micros now = wallMicros();
        if (g_stopSignal && !m_stopping) beginShutdown(now);
        // The agent abandons what it has in flight once the grace period is over (its step below), so it is idle then.
        if (m_stopping && m_conns.empty() && (!m_agent || m_agent->idle())) break;

        fds.clear();
        bool pollListeners = !m_stopping && m_conns.size() < m_maxTotal && now >= m_acceptPausedUntil;
        if (pollListeners)
            for (const auto& l : m_listeners) fds.push_back({l.fd, POLLIN, 0});
        const std::size_t firstConn = fds.size();
        Micros wake = now + 1'000'000;  // tick() at least once a second
        for (const auto& c : m_conns) {
            short events = 0;
            const bool held = now < c->holdUntil;  // a failed login's reply is being delayed: neither read nor write
            if (held) wake = std::min(wake, c->holdUntil);
            if (!c->shutdownSent && !c->session->closed()) {
                if (c->unitStart) wake = std::min(wake, unitDeadline(*c, m_limits));
                if (c->loginBy && !c->session->loggedIn()) wake = std::min(wake, c->loginBy);
            }
            if (!held && !c->peerEof && !c->session->closed() && !c->shutdownSent && !c->session->parked() &&
                !c->session->producing() && c->out.size() < kOutputHighWater)
                events |= POLLIN;
            // A session producing slices with nothing waiting: writable now, so the next turn makes the next slice.
            if (!held && (!c->out.empty() || c->session->producing())) events |= POLLOUT;
            fds.push_back({c->fd, events, 0});
        }
        const std::size_t firstAgent = fds.size();
        if (m_agent) m_agent->collect(fds, wake, now);
        const std::size_t workerIndex = fds.size();
        fds.push_back({m_worker.wakeFd(), POLLIN, 0});
        if (wake < now) wake = now;
        timespec timeout{(wake - now) / 1'000'000, static_cast<long>((wake - now) % 1'000'000) * 1000};
        if (m_stopping) timeout = {0, 100'000'000};
        int rc = ::ppoll(fds.data(), fds.size(), &timeout, &origMask);
        if (rc < 0 && errno != EINTR) {
            printError(serveSay(m_lang, ServeText::PollFailed, errnoText()));
            return 1;
        }
        now = wallMicros();
        if (rc > 0) {
            // Connections first (their indices match m_conns), then accept new ones.
            for (std::size_t i = 0; i < m_conns.size(); ++i) {
                Connection& c = *m_conns[i];
                short re = fds[firstConn + i].revents;
                if (re & POLLNVAL) c.dead = true;
                if (re & POLLOUT) flush(c);
                if (re & (POLLIN | POLLHUP | POLLERR)) {
                    if (fds[firstConn + i].events & POLLIN) {
                        readFrom(c, now);
                    } else if (re & (POLLHUP | POLLERR)) {
                        c.dead = true;
                        if (c.closeReason == trace::CloseReason::None) c.closeReason = trace::CloseReason::ConnectionLost;
                    }
                }
            }
            if (fds[workerIndex].revents & POLLIN) completeStoreWork(now);
            if (m_agent) m_agent->dispatch(std::span<const pollfd>(fds).subspan(firstAgent, workerIndex - firstAgent), now);
            if (pollListeners)
                for (std::size_t i = 0; i < m_listeners.size(); ++i)
                    if (fds[i].revents & POLLIN) acceptAll(m_listeners[i], now);
        }
        for (auto& cp : m_conns) {
            Connection& c = *cp;
            if (!c.dead && !c.shutdownSent) {
                c.session->tick(now);
                checkDeadlines(c, now);
                pump(c, now);
            }
            if (!c.dead) submitStoreWork(c);
            if (m_stopping) shutdownStep(c, now);
            bool finished = c.session->closed() || c.peerEof || c.shutdownSent;
            if (c.dead || (finished && c.out.empty() && now >= c.holdUntil)) closeConnection(c, now);
        }
        std::erase_if(m_conns, [](const auto& c) { return c->fd < 0; });
        if (m_agent) m_agent->step(now, m_stopping, m_stopping && now >= m_graceEnd);
        printWarnings();
        std::fflush(stdout);
        if (m_traceOut) m_traceOut->flush();
    }
    std::fflush(stdout);
    if (m_traceOut) m_traceOut->flush();
    return 0;
}

}  // namespace

int runServeLoop(std::vector<Listener> listeners, LoopLimits limits, LoopAgent* agent, const StopSignals& signals,
                 LiveTraceWriter* traceOut, i18n::Lang lang) {
    Server server(std::move(listeners), limits, agent, traceOut, lang);
    return server.run(signals.waitMask());
}

}  // namespace mailsim::sim
