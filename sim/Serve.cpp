// `mailsim serve`: the SMTP, POP3 and IMAP server sessions on real TCP sockets, sharing one Maildir store and one set
// of users (so mail delivered over SMTP can be fetched over POP3 or IMAP from the same process).
//
// Theory of operation
// - One listening socket per protocol asked for (--smtp, --pop3, --imap, any of them). Connections are
//   protocol-agnostic: each owns a `ServerSession` (ServerSessions.hpp) made for the listener it came from; the loop
//   below never looks at the protocol.
// - One thread, one poll(2) loop (ppoll, so SIGINT/SIGTERM are only delivered while waiting and cannot be lost
//   between the check and the wait). The listening socket and every connection are non-blocking.
// - Each connection owns a server session (sans-I/O: bytes and the wall-clock time in, replies out) and its
//   own `trace::Trace` with one session in it. The loop moves bytes: what `read` returns goes to `receive`, what
//   `takeOutput` returns goes to a per-connection outbound buffer that is written as far as the socket accepts and
//   otherwise waits for POLLOUT (backpressure). While more than kOutputHighWater octets wait to be sent, the
//   connection is not read (a client that pipelines without reading replies cannot grow our memory).
// - `tick(now)` runs for every session at least once a second (the poll timeout), so RFC 5321 4.5.3.2.7 idle
//   timeouts answer 421 and close; and after every loop iteration, so an IMAP session in IDLE pushes a change made
//   by another connection (an APPEND, a delivery over SMTP) as soon as that connection's command was handled.
// - A connection is closed when the session is closed (after SMTP 221/421, POP3's QUIT) or the client sent EOF, once
//   its output is flushed; at once on a read/write error (reset). A client EOF is reported to the session
//   (`connectionLost`: a POP3 session ends without UPDATE and releases the maildrop lock).
// - Every trace event is printed as it is appended (the trace listener and `formatEvent`), prefixed with the
//   connection number, and stdout is flushed once per loop iteration. With --trace-out FILE every event is also
//   written to FILE as one JSON line (sim/LiveTrace.hpp: ids made global across connections, a session described on
//   its first event), flushed with stdout; `mailsim-gui --attach FILE` follows it.
// - Memory is bounded: at most kMaxConnections connections (beyond that new ones wait in the kernel's backlog); per
//   connection the session bounds its own buffers (512-octet command lines, the message size limit), the outbound
//   buffer is bounded as above, and the trace is dropped with its connection. A long-lived connection's trace is
//   also cut back when it exceeds kTraceRotateEvents (outside DATA, so causes inside the current message stay valid):
//   events are printed as they happen, so nothing is lost from the output.
// - SIGINT/SIGTERM: stop listening; sessions that are not busy get their protocol's goodbye at once (SMTP 421,
//   RFC 5321 3.8; POP3 -ERR [SYS/TEMP] without UPDATE), SMTP sessions inside a mail transaction (MAIL/RCPT/DATA) may
//   finish it for kShutdownGrace and get 421 after their reply; then exit 0.
//   A message answered 250 is already durable (the Maildir store fsyncs before `deliver` returns).
// - TLS (sim/TlsSession.hpp): unless --no-tls, every session is wrapped in the TLS decorator with a certificate from
//   the classroom CA: plain listeners offer STARTTLS/STLS, --smtps/--pop3s/--imaps speak TLS from the first byte.
//   Passwords are refused before TLS is up unless --allow-plaintext-auth. The trace records the handshake and the
//   records in both directions, and each session's TCP endpoints, so `mailsim export`-style captures are possible.
// - Abuse limits: at most --max-per-address connections per client address (more get the protocol's goodbye from
//   its catalogue and are closed); failed logins are counted per client address and, from the second one within
//   15 minutes, the reply is held 1, 2, 4, 8, 16 s (the connection is neither read nor written meanwhile).
#include "Cli.hpp"
#include "LiveTrace.hpp"
#include "Transcript.hpp"

#include "ServerSessions.hpp"
#include "Tls.hpp"
#include "TlsSession.hpp"

#include "auth/UserDirectory.hpp"
#include "pop3/Pop3ServerSession.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "store/MaildirStore.hpp"
#include "trace/Trace.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <expected>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mailsim::sim {
namespace {

using trace::Micros;

constexpr std::size_t kMaxConnections = 256;
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kOutputHighWater = 256 * 1024;
constexpr std::size_t kTraceRotateEvents = 4096;
constexpr Micros kShutdownGrace = 5'000'000;   // in-flight transactions may finish for this long after SIGTERM
constexpr Micros kFlushGrace = 2'000'000;      // after the final 421, time to flush before closing anyway
constexpr Micros kAcceptPause = 1'000'000;     // after EMFILE/ENFILE, stop accepting for this long

constexpr const char* kServeUsage =
    "usage: mailsim serve [--smtp|--submission|--pop3|--imap|--smtps|--pop3s|--imaps ADDR:PORT]... --maildir DIR\n"
    "                     [--user ADDRESS:PASSWORD]... [--strict] [--domain NAME] [--idle-timeout S]\n"
    "                     [--no-tls] [--allow-plaintext-auth] [--ca-dir DIR] [--tls-name NAME]...\n"
    "                     [--max-per-address N] [--trace-out FILE]\n"
    "  --smtp ADDR:PORT   SMTP on this address, e.g. 127.0.0.1:2525 or [::1]:2525 (port 0 picks a free port)\n"
    "  --submission A:P   mail submission (RFC 6409, like port 587): SMTP AUTH offered and required\n"
    "  --pop3 ADDR:PORT   POP3 on this address, e.g. 127.0.0.1:1100\n"
    "  --imap ADDR:PORT   IMAP on this address, e.g. 127.0.0.1:1430 (at least one listener is required)\n"
    "  --smtps, --pop3s, --imaps ADDR:PORT\n"
    "                     implicit TLS (RFC 8314: submission like 465, POP3 like 995, IMAP like 993)\n"
    "  --no-tls           no TLS at all: STARTTLS/STLS not offered (and no --smtps/--pop3s/--imaps)\n"
    "  --allow-plaintext-auth\n"
    "                     accept passwords before TLS is up (default: refused until STARTTLS, RFC 8314 / 2595)\n"
    "  --ca-dir DIR       the classroom CA (default: see `mailsim ca show`); students trust `mailsim ca export`\n"
    "  --tls-name NAME    a name the certificate must carry (repeatable; default localhost, 127.0.0.1, ::1)\n"
    "  --max-per-address N\n"
    "                     connections one client address may hold at once (default 20); more get the protocol's\n"
    "                     goodbye (SMTP 421, POP3 -ERR [SYS/TEMP], IMAP BYE) and are closed\n"
    "  --trace-out FILE   also write every trace event to FILE as one JSON line (JSON Lines, flushed as it happens;\n"
    "                     the file is truncated first), for `mailsim-gui --attach FILE`\n"
    "  --maildir DIR      where mail is stored: DIR/<address>/{tmp,new,cur} (Maildir)\n"
    "  --user A:P         a local user and password (repeatable); the users' domains are the local domains;\n"
    "                     default: mike@cesoo.com:mike123 and rose@cesoo.com:rose123\n"
    "  --strict           refuse what RFC 5321 forbids (bare LF, MAIL FROM without <>, over-long lines)\n"
    "  --domain NAME      the server's name in the greeting (default: the first user's domain)\n"
    "  --idle-timeout S   close idle sessions after S seconds (default: SMTP 300, RFC 5321 4.5.3.2.7; POP3 600,\n"
    "                     RFC 1939 3; IMAP 1800, RFC 3501 5.4)\n";

volatile std::sig_atomic_t g_stopSignal = 0;
extern "C" void onStopSignal(int sig) { g_stopSignal = sig; }

Micros wallMicros() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<Micros>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

struct ListenSpec {
    std::string protocol;  // "smtp", "pop3" or "imap"
    std::string host;
    std::string port;
    bool implicitTls = false;  // --smtps/--pop3s/--imaps: TLS from the first byte (RFC 8314)
    bool submission = false;   // --submission/--smtps: SMTP AUTH offered and required (RFC 6409)
    std::string option;        // as given, e.g. "--smtps", for messages
};

struct ServeOptions {
    std::vector<ListenSpec> listen;
    std::string maildir;
    std::vector<std::pair<std::string, std::string>> users;
    bool strict = false;
    std::string domain;
    Micros idleTimeout = 0;  // 0: the session's default (RFC 5321 4.5.3.2.7: 5 minutes)
    bool tls = true;               // STARTTLS offered, implicit TLS listeners allowed
    bool allowPlaintextAuth = false;
    std::string caDir;
    std::vector<std::string> tlsNames;
    std::size_t maxPerAddress = 20;
    std::string traceOut;  // --trace-out FILE: every event as a JSON line
};

// "--smtp 127.0.0.1:2525", "--pop3 [::1]:1100".
std::expected<ListenSpec, std::string> parseListen(const std::string& option, std::string_view s) {
    ListenSpec o;
    o.option = option;
    std::string name = option.substr(2);
    o.implicitTls = name == "smtps" || name == "pop3s" || name == "imaps";
    if (o.implicitTls) name.pop_back();
    o.submission = name == "submission" || option == "--smtps";
    o.protocol = name == "submission" ? "smtp" : name;
    const std::string opt = option + " " + std::string(s);
    std::size_t colon;
    if (s.starts_with('[')) {  // [IPv6]:port
        auto close = s.find(']');
        if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':')
            return std::unexpected(opt + ": expected [IPV6]:PORT, e.g. [::1]:2525");
        o.host = std::string(s.substr(1, close - 1));
        colon = close + 1;
    } else {
        colon = s.rfind(':');
        if (colon == std::string_view::npos || colon == 0)
            return std::unexpected(opt + ": expected ADDR:PORT, e.g. 127.0.0.1:2525");
        o.host = std::string(s.substr(0, colon));
        if (o.host.find(':') != std::string::npos)
            return std::unexpected(opt + ": write an IPv6 address in brackets, e.g. [::1]:2525");
    }
    o.port = std::string(s.substr(colon + 1));
    if (o.port.empty() || o.port.size() > 5 || !std::ranges::all_of(o.port, [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(o.port) > 65535)
        return std::unexpected(opt + ": the port must be a number from 0 to 65535");
    return o;
}

std::expected<ServeOptions, std::string> parseServeArgs(std::span<const std::string> args) {
    ServeOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::expected<std::string, std::string> {
            if (i + 1 >= args.size()) return std::unexpected(a + " needs a value");
            return args[++i];
        };
        if (a == "--smtp" || a == "--pop3" || a == "--imap" || a == "--submission" || a == "--smtps" ||
            a == "--pop3s" || a == "--imaps") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            auto spec = parseListen(a, *v);
            if (!spec) return std::unexpected(spec.error());
            if (std::ranges::any_of(o.listen, [&](const ListenSpec& l) { return l.option == spec->option; }))
                return std::unexpected(a + " given twice");
            o.listen.push_back(*spec);
        } else if (a == "--no-tls") {
            o.tls = false;
        } else if (a == "--allow-plaintext-auth") {
            o.allowPlaintextAuth = true;
        } else if (a == "--ca-dir" || a == "--tls-name") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty()) return std::unexpected(a + " needs a value");
            if (a == "--ca-dir") o.caDir = *v;
            else o.tlsNames.push_back(*v);
        } else if (a == "--max-per-address") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty() || v->size() > 4 || !std::ranges::all_of(*v, [](char c) { return c >= '0' && c <= '9'; }) ||
                std::stoi(*v) == 0)
                return std::unexpected("--max-per-address " + *v + ": expected a number from 1 to 9999");
            o.maxPerAddress = static_cast<std::size_t>(std::stoi(*v));
        } else if (a == "--trace-out") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty()) return std::unexpected("--trace-out needs a file name");
            o.traceOut = *v;
        } else if (a == "--maildir") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty()) return std::unexpected("--maildir needs a directory");
            o.maildir = *v;
        } else if (a == "--user") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            auto colon = v->find(':');
            auto at = v->find('@');
            if (colon == std::string::npos || at == std::string::npos || at > colon || at == 0 || at + 1 == colon)
                return std::unexpected("--user " + *v + ": expected ADDRESS:PASSWORD, e.g. rose@cesoo.com:rose123");
            o.users.emplace_back(v->substr(0, colon), v->substr(colon + 1));
        } else if (a == "--strict") {
            o.strict = true;
        } else if (a == "--idle-timeout") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty() || v->size() > 6 || !std::ranges::all_of(*v, [](char c) { return c >= '0' && c <= '9'; }) ||
                std::stoi(*v) == 0)
                return std::unexpected("--idle-timeout " + *v + ": expected a number of seconds from 1 to 999999");
            o.idleTimeout = Micros{std::stoi(*v)} * 1'000'000;
        } else if (a == "--domain") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty()) return std::unexpected("--domain needs a name");
            o.domain = *v;
        } else {
            return std::unexpected("unknown argument '" + a + "'");
        }
    }
    if (o.listen.empty())
        return std::unexpected("at least one listener (--smtp, --submission, --pop3, --imap, --smtps, --pop3s, "
                               "--imaps ADDR:PORT) is required");
    for (const auto& l : o.listen)
        if (l.implicitTls && !o.tls) return std::unexpected(l.option + " needs TLS, which --no-tls turned off");
    if (!o.tls) o.allowPlaintextAuth = true;  // without TLS there is nothing to wait for
    if (o.tlsNames.empty()) o.tlsNames = {"localhost", "127.0.0.1", "::1"};
    if (o.maildir.empty()) return std::unexpected("--maildir DIR is required");
    if (o.users.empty()) o.users = {{"mike@cesoo.com", "mike123"}, {"rose@cesoo.com", "rose123"}};
    if (o.domain.empty()) o.domain = std::string(auth::UserDirectory::domainOf(o.users.front().first));
    return o;
}

// "127.0.0.1:2525" or "[::1]:2525".
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

std::string errnoText(int err = errno) { return std::strerror(err); }

// Opens the listening socket; the error names the address and the reason.
std::expected<int, std::string> openListener(const ListenSpec& o) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    if (int rc = ::getaddrinfo(o.host.c_str(), o.port.c_str(), &hints, &res); rc != 0)
        return std::unexpected(fmt::format("cannot resolve {}: {}", o.host, ::gai_strerror(rc)));
    std::string lastError = "no address";
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
    if (fd < 0) return std::unexpected(fmt::format("cannot listen on {}:{}: {}", o.host, o.port, lastError));
    return fd;
}

struct Listener {
    int fd = -1;
    std::string name;  // what the operator asked for: "smtp", "submission", "smtps", "pop3", "pop3s", "imap", "imaps"
    std::string protocol;
    std::string text;  // "127.0.0.1:2525"
    bool implicitTls = false;
    bool submission = false;
};

struct Connection {
    int fd = -1;
    std::uint64_t number = 0;  // printed before each trace line
    std::string peer;          // "127.0.0.1:53122"
    std::string peerAddress;   // "127.0.0.1"
    std::string local;         // "127.0.0.1:2525"
    int failedSeen = 0;        // the session's failed logins already counted for its address
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
    std::string closeReason;
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
    Server(const ServeOptions& options, std::vector<Listener> listeners, std::optional<TlsContext> tls,
           LiveTraceWriter* traceOut)
        : m_listeners(std::move(listeners)), m_store(options.maildir), m_tls(std::move(tls)),
          m_maxPerAddress(options.maxPerAddress), m_traceOut(traceOut) {
        // TLS (RFC 3207, 2595, 3501 6.2.1): offered on every plain listener when the server has a certificate;
        // passwords wait for it unless the operator allows plaintext (RFC 8314 encourages refusing them).
        for (bool* offered : {&m_ctx.config.tlsOffered, &m_pop3.config.tlsOffered, &m_imap.config.tlsOffered})
            *offered = m_tls.has_value();
        for (bool* allowed : {&m_ctx.config.plaintextAuthAllowed, &m_pop3.config.plaintextAuthAllowed,
                              &m_imap.config.plaintextAuthAllowed})
            *allowed = options.allowPlaintextAuth;
        m_ctx.config.domain = options.domain;
        m_ctx.config.lenient = !options.strict;
        if (options.idleTimeout > 0) m_ctx.config.idleTimeout = options.idleTimeout;
        for (const auto& [address, password] : options.users) m_ctx.directory.addUser(address, password);
        m_ctx.store = &m_store;
        m_pop3.config.domain = options.domain;
        if (options.idleTimeout > 0) m_pop3.config.idleTimeout = options.idleTimeout;
        m_pop3.directory = m_ctx.directory;  // the same users (addUser also makes their domains local)
        m_pop3.store = &m_store;
        m_pop3.processId = static_cast<std::uint64_t>(::getpid());  // RFC 1939 7's timestamp "pid"
        m_imap.config.domain = options.domain;
        if (options.idleTimeout > 0) m_imap.config.idleTimeout = options.idleTimeout;
        m_imap.directory = m_ctx.directory;
        m_imap.store = &m_store;
    }
    ~Server() {
        m_conns.clear();  // sessions first: they release maildrop locks in the store
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
    void closeConnection(Connection& c, Micros now);
    void rotateTrace(Connection& c);
    void printWarnings();

    std::vector<Listener> m_listeners;
    store::MaildirStore m_store;
    smtp::SmtpServerContext m_ctx;
    pop3::Pop3ServerContext m_pop3;
    imap::ImapServerContext m_imap;
    std::optional<TlsContext> m_tls;
    std::size_t m_maxPerAddress;
    LiveTraceWriter* m_traceOut = nullptr;  // --trace-out, or null
    std::map<std::string, std::size_t> m_perAddress;      // open connections per client address
    std::map<std::string, LoginFailures> m_loginFailures;  // per client address
    std::vector<std::unique_ptr<Connection>> m_conns;
    std::uint64_t m_nextNumber = 1;
    bool m_stopping = false;
    Micros m_graceEnd = 0;
    Micros m_acceptPausedUntil = 0;
};

void printEvent(std::uint64_t number, const trace::Trace& trace, const trace::Event& event) {
    TranscriptOptions options;
    options.sessionHeaders = false;  // the connection number says which session a line belongs to
    std::string text = formatEvent(trace, event, options);
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        // fwrite, not fmt::print: a closed stdout (`mailsim serve | head`) must not throw through the session.
        std::string line = fmt::format("[{}] {}\n", number, std::string_view(text).substr(start, nl - start));
        std::fwrite(line.data(), 1, line.size(), stdout);
        start = nl + 1;
    }
}

void Server::acceptAll(Listener& listener, Micros now) {
    while (m_conns.size() < kMaxConnections) {
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        int fd = ::accept4(listener.fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                std::fprintf(stderr, "mailsim serve: cannot accept: %s (pausing for a second)\n", errnoText().c_str());
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
        c->trace = std::make_unique<trace::Trace>();
        c->trace->setListener([number = c->number, conn = c.get(), out = m_traceOut](const trace::Trace& t,
                                                                                       const trace::Event& e) {
            printEvent(number, t, e);
            if (out) out->write(conn->traceOut, t, e);
        });
        c->peerAddress = addressText(peer);
        auto sid = c->trace->openSession(listener.protocol, c->peer, c->local, now);
        c->trace->setEndpoints(sid, {c->peerAddress, portOf(peer)}, {addressText(local), portOf(local)});
        c->recorder = trace::Recorder(c->trace.get(), sid);
        c->recorder.connection(now, true, c->peer + " -> " + c->local + (listener.implicitTls ? " (implicit TLS)" : ""));
        if (listener.protocol == "pop3") {
            c->session = makePop3ServerSession(m_pop3, c->recorder);
        } else if (listener.protocol == "imap") {
            c->session = makeImapServerSession(m_imap, c->recorder);
        } else {
            smtp::PeerInfo info{isLoopback(peer) ? "localhost" : c->peerAddress, c->peerAddress, listener.submission};
            c->session = makeSmtpServerSession(m_ctx, std::move(info), c->recorder);
        }
        if (m_tls) c->session = makeTlsServerSession(std::move(c->session), *m_tls, listener.implicitTls, true, c->recorder);
        if (++m_perAddress[c->peerAddress] > m_maxPerAddress) {
            // Over the cap: the protocol's goodbye from its catalogue, then close (no greeting, no TLS).
            c->recorder.note(now, fmt::format("{} already has {} connections (the cap is {}): refused",
                                              c->peerAddress, m_perAddress[c->peerAddress] - 1, m_maxPerAddress));
            c->session->shutdown(now);
            c->shutdownSent = true;
            c->closeBy = now + kFlushGrace;
            c->closeReason = "too many connections from " + c->peerAddress;
        } else {
            c->session->start(now);
        }
        pump(*c, now);
        m_conns.push_back(std::move(c));
    }
}

void Server::pump(Connection& c, Micros now) {
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
            c.recorder.note(now, fmt::format("failed login #{} from {}: the reply is held for {} s", f.count,
                                             c.peerAddress, delay / 1'000'000));
        }
    }
    if (now < c.holdUntil) return;  // sent when the hold ends (the loop wakes up for it)
    flush(c);
    if (c.session->closed() && c.closeReason.empty()) c.closeReason = "server closed the connection";
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
        if (c.closeReason.empty()) c.closeReason = "write failed: " + errnoText();
    }
}

void Server::readFrom(Connection& c, Micros now) {
    char buf[kReadChunk];
    ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n > 0) {
        c.session->receive(std::string_view(buf, static_cast<std::size_t>(n)), now);
        pump(c, now);
        rotateTrace(c);
    } else if (n == 0) {
        c.peerEof = true;
        if (c.closeReason.empty()) c.closeReason = "client closed the connection";
        c.session->connectionLost(now);
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        c.dead = true;
        if (c.closeReason.empty()) c.closeReason = "connection lost: " + errnoText();
    }
}

void Server::rotateTrace(Connection& c) {
    if (c.trace->size() <= kTraceRotateEvents || !c.session->traceCuttable()) return;
    // The events were printed when they were appended; keep the session description so the Recorder's id stays valid.
    trace::SessionInfo info = *c.trace->session(c.recorder.session());
    c.trace->clear();
    LiveTraceWriter::restart(c.traceOut);
    [[maybe_unused]] auto sid = c.trace->openSession(info.protocol, info.client, info.server, info.opened);
}

void Server::beginShutdown(Micros now) {
    m_stopping = true;
    m_graceEnd = now + kShutdownGrace;
    for (auto& l : m_listeners) {
        if (l.fd >= 0) ::close(l.fd);
        l.fd = -1;
    }
    std::fprintf(stderr, "mailsim serve: %s received, closing %zu session(s)\n",
                 g_stopSignal == SIGINT ? "SIGINT" : "SIGTERM", m_conns.size());
}

// While stopping: a session that is not busy (or past the grace period) gets its protocol's goodbye and is closed
// once that is flushed.
void Server::shutdownStep(Connection& c, Micros now) {
    if (c.dead) return;
    if (c.shutdownSent) {
        if (now >= c.closeBy) {
            c.dead = true;
            c.closeReason = "server shutdown (output not flushed in time)";
        }
        return;
    }
    if (c.session->closed() || c.peerEof) return;  // closing anyway
    if (c.session->busy() && now < m_graceEnd) return;
    c.session->shutdown(now);
    c.out += c.session->takeOutput();
    c.shutdownSent = true;
    c.closeBy = now + kFlushGrace;
    c.closeReason = "server shutdown";
    flush(c);
}

void Server::closeConnection(Connection& c, Micros now) {
    c.recorder.connection(now, false, c.closeReason.empty() ? "closed" : c.closeReason);
    if (auto it = m_perAddress.find(c.peerAddress); it != m_perAddress.end() && --it->second == 0) m_perAddress.erase(it);
    ::shutdown(c.fd, SHUT_RDWR);
    ::close(c.fd);
    c.fd = -1;
}

void Server::printWarnings() {
    for (const auto& w : m_store.takeWarnings()) std::fprintf(stderr, "mailsim serve: warning: %s\n", w.c_str());
}

int Server::run(const sigset_t& origMask) {
    for (const auto& l : m_listeners) {
        std::string listening = fmt::format("listening {} {}\n", l.name, l.text);
        std::fwrite(listening.data(), 1, listening.size(), stdout);
    }
    std::fflush(stdout);
    std::vector<pollfd> fds;
    for (;;) {
        Micros now = wallMicros();
        if (g_stopSignal && !m_stopping) beginShutdown(now);
        if (m_stopping && m_conns.empty()) break;

        fds.clear();
        bool pollListeners = !m_stopping && m_conns.size() < kMaxConnections && now >= m_acceptPausedUntil;
        if (pollListeners)
            for (const auto& l : m_listeners) fds.push_back({l.fd, POLLIN, 0});
        const std::size_t firstConn = fds.size();
        Micros wake = now + 1'000'000;  // tick() at least once a second
        for (const auto& c : m_conns) {
            short events = 0;
            const bool held = now < c->holdUntil;  // a failed login's reply is being delayed: neither read nor write
            if (held) wake = std::min(wake, c->holdUntil);
            if (!held && !c->peerEof && !c->session->closed() && !c->shutdownSent && c->out.size() < kOutputHighWater)
                events |= POLLIN;
            if (!held && !c->out.empty()) events |= POLLOUT;
            fds.push_back({c->fd, events, 0});
        }
        timespec timeout{(wake - now) / 1'000'000, static_cast<long>((wake - now) % 1'000'000) * 1000};
        if (m_stopping) timeout = {0, 100'000'000};
        int rc = ::ppoll(fds.data(), fds.size(), &timeout, &origMask);
        if (rc < 0 && errno != EINTR) {
            std::fprintf(stderr, "mailsim serve: poll failed: %s\n", errnoText().c_str());
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
                        if (c.closeReason.empty()) c.closeReason = "connection lost";
                    }
                }
            }
            if (pollListeners)
                for (std::size_t i = 0; i < m_listeners.size(); ++i)
                    if (fds[i].revents & POLLIN) acceptAll(m_listeners[i], now);
        }
        for (auto& cp : m_conns) {
            Connection& c = *cp;
            if (!c.dead && !c.shutdownSent) {
                c.session->tick(now);
                pump(c, now);
            }
            if (m_stopping) shutdownStep(c, now);
            bool finished = c.session->closed() || c.peerEof || c.shutdownSent;
            if (c.dead || (finished && c.out.empty() && now >= c.holdUntil)) closeConnection(c, now);
        }
        std::erase_if(m_conns, [](const auto& c) { return c->fd < 0; });
        printWarnings();
        std::fflush(stdout);
        if (m_traceOut) m_traceOut->flush();
    }
    std::fflush(stdout);
    if (m_traceOut) m_traceOut->flush();
    return 0;
}

}  // namespace

int serveMain(std::span<const std::string> args) {
    auto opts = parseServeArgs(args);
    if (!opts) {
        std::fprintf(stderr, "mailsim serve: %s\n%s", opts.error().c_str(), kServeUsage);
        return 2;
    }
    std::error_code ec;
    std::filesystem::create_directories(opts->maildir, ec);
    if (ec || !std::filesystem::is_directory(opts->maildir)) {
        std::fprintf(stderr, "mailsim serve: cannot use %s as the Maildir root: %s\n", opts->maildir.c_str(),
                     ec ? ec.message().c_str() : "not a directory");
        return 1;
    }
    std::vector<Listener> listeners;
    for (const auto& spec : opts->listen) {
        auto fd = openListener(spec);
        if (!fd) {
            std::fprintf(stderr, "mailsim serve: %s\n", fd.error().c_str());
            for (auto& l : listeners) ::close(l.fd);
            return 1;
        }
        sockaddr_storage bound{};
        socklen_t len = sizeof bound;
        ::getsockname(*fd, reinterpret_cast<sockaddr*>(&bound), &len);
        listeners.push_back(
            Listener{*fd, spec.option.substr(2), spec.protocol, endpointText(bound), spec.implicitTls, spec.submission});
    }

    // Signals: blocked except inside ppoll, so a stop request is seen at the next wait, never lost.
    sigset_t stopSet, origMask;
    sigemptyset(&stopSet);
    sigaddset(&stopSet, SIGINT);
    sigaddset(&stopSet, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &stopSet, &origMask);
    struct sigaction sa{}, oldInt{}, oldTerm{}, oldPipe{};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &oldInt);
    ::sigaction(SIGTERM, &sa, &oldTerm);
    struct sigaction ignore{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &oldPipe);  // stdout may be a closed pipe; sockets use MSG_NOSIGNAL
    g_stopSignal = 0;

    sigset_t waitMask = origMask;
    sigdelset(&waitMask, SIGINT);
    sigdelset(&waitMask, SIGTERM);
    std::optional<TlsContext> tls;
    if (opts->tls) {
        // The classroom CA and this server's certificate (created on first use, then reused).
        auto ca = ClassroomCa::open(opts->caDir.empty() ? ClassroomCa::defaultDirectory() : std::filesystem::path(opts->caDir));
        auto key = ca ? ca->hostCertificate(opts->tlsNames.front(), opts->tlsNames)
                      : std::expected<CertifiedKey, std::string>(std::unexpected(ca.error()));
        auto context = key ? TlsContext::server(*key) : std::expected<TlsContext, std::string>(std::unexpected(key.error()));
        if (!context) {
            std::fprintf(stderr, "mailsim serve: TLS: %s (use --no-tls to serve without it)\n", context.error().c_str());
            for (auto& l : listeners) ::close(l.fd);
            return 1;
        }
        tls = std::move(*context);
        std::fprintf(stderr, "mailsim serve: TLS certificate for %s from the classroom CA in %s\n",
                     opts->tlsNames.front().c_str(), ca->directory().c_str());
    }
    LiveTraceWriter traceOut;
    if (!opts->traceOut.empty()) {
        std::string error;
        if (!traceOut.open(opts->traceOut, error)) {
            std::fprintf(stderr, "mailsim serve: --trace-out: %s\n", error.c_str());
            for (auto& l : listeners) ::close(l.fd);
            return 1;
        }
    }
    int rc;
    {
        Server server(*opts, std::move(listeners), std::move(tls), traceOut.isOpen() ? &traceOut : nullptr);
        rc = server.run(waitMask);
    }
    ::sigaction(SIGINT, &oldInt, nullptr);
    ::sigaction(SIGTERM, &oldTerm, nullptr);
    ::sigaction(SIGPIPE, &oldPipe, nullptr);
    ::sigprocmask(SIG_SETMASK, &origMask, nullptr);
    return rc;
}

}  // namespace mailsim::sim
