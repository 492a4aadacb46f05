// `mailsim serve --config SCENARIO.yaml`: a live classroom network. Every host of the scenario that has services is
// served on real sockets from one process and one loop (ServeLoop.hpp), each over its own Maildir store, and their
// MTAs relay to each other over real TCP through the scenario's DNS (ServeRelay.hpp). The scenario's steps are
// ignored: students play them with real clients.
//
// Addresses and ports
// - Default: the n-th server host (scenario order, from 0) listens on 127.0.0.(n+1) - Linux routes all of 127.0.0.0/8
//   to the loopback interface - on the scenario's ports plus --port-offset (default 10000: 25 -> 10025, 587 ->
//   10587, 993 -> 10993). `--port-offset 0` gives the real ports (as root).
// - `--bind ADDR`: every host on ADDR instead; host n's ports are shifted by --port-offset + 100 * n so they do not
//   collide (mail.cesoo.com 25 -> 10025, mx.example.org 25 -> 10125).
// - One "listening HOST SERVICE ADDR:PORT" line per listener on stdout, before anything else.
// - Mail: DIR/<host name>/<address>/{tmp,new,cur} (MaildirStore); the host's queue in DIR/<host name>/queue/.
// - TLS: a host that uses TLS (`tls: {starttls: true}` or an implicit TLS port) gets a certificate from the classroom
//   CA for its name, its domains and its address. --no-tls turns TLS off (implicit TLS listeners are skipped);
//   --allow-plaintext-auth lets every host accept passwords before TLS.
#include "sim/serve/ServeConfig.hpp"

#include "sim/tools/CliArgs.hpp"

#include "sim/scenario/Scenario.hpp"
#include "sim/serve/ServeLoop.hpp"
#include "sim/serve/ServeRelay.hpp"
#include "sim/world/ServerHost.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace mailsim::sim {

const char* const kServeConfigUsage =
    "mailsim serve --config SCENARIO.yaml --maildir DIR [--port-offset N] [--bind ADDR] [--no-tls]\n"
    "              [--allow-plaintext-auth] [--ca-dir DIR] [--max-per-address N] [--login-timeout S]\n"
    "              [--trace-out FILE]\n"
    "  Serves every host of the scenario that has services (its users, DNS, TLS settings; steps are ignored), each\n"
    "  with its own listeners and Maildir store (DIR/<host>/), and relays mail between them over real TCP through\n"
    "  the scenario's MX records, with a durable queue in DIR/<host>/queue/ (reloaded and run at start).\n"
    "  --port-offset N    added to the scenario's ports (default 10000: 25 -> 10025; 0 for the real ports, as root)\n"
    "  --bind ADDR        every host on ADDR; host n (from 0) then adds n*100 to its ports. Default: host n on\n"
    "                     127.0.0.(n+1)\n"
    "  Prints `listening HOST SERVICE ADDR:PORT` per listener, e.g. `listening mail.cesoo.com smtp 127.0.0.1:10025`.\n";

namespace {

struct ConfigOptions {
    std::string config;
    std::string maildir;
    int portOffset = 10000;
    std::string bind;
    bool tls = true;
    bool allowPlaintextAuth = false;
    std::string caDir;
    std::string traceOut;
    LoopLimits limits;  // --max-per-address, --login-timeout, ... (parseLimitOption)
};

std::expected<int, std::string> number(const std::string& option, const std::string& v, int max) {
    if (v.empty() || v.size() > 6 || !std::ranges::all_of(v, [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(v) > max)
        return std::unexpected(fmt::format("{} {}: expected a number from 0 to {}", option, v, max));
    return std::stoi(v);
}

std::expected<ConfigOptions, std::string> parseConfigArgs(std::span<const std::string> args) {
    ConfigOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (auto error = parseLimitOption(args, i, o.limits)) {
            if (!error->empty()) return std::unexpected(*error);
            continue;
        }
        const std::string& a = args[i];
        auto value = [&]() -> std::expected<std::string, std::string> {
            auto v = optionValue(args, i, a == "--config"    ? "a scenario file"
                                          : a == "--maildir" || a == "--ca-dir" ? "a directory"
                                          : a == "--bind"      ? "an address"
                                          : a == "--trace-out" ? "a file name (or - for stdout)"
                                                               : "a number");
            if (v && v->empty()) return std::unexpected(a + " needs a value, got ''");
            return v;
        };
        if (a == "--config" || a == "--maildir" || a == "--bind" || a == "--ca-dir" || a == "--trace-out") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            (a == "--config"    ? o.config
             : a == "--maildir" ? o.maildir
             : a == "--bind"    ? o.bind
             : a == "--ca-dir"  ? o.caDir
                                : o.traceOut) = *v;
        } else if (a == "--port-offset") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            auto n = number(a, *v, 65535);
            if (!n) return std::unexpected(n.error());
            o.portOffset = *n;
        } else if (a == "--no-tls") {
            o.tls = false;
        } else if (a == "--allow-plaintext-auth") {
            o.allowPlaintextAuth = true;
        } else if (a == "--smtp" || a == "--submission" || a == "--pop3" || a == "--imap" || a == "--smtps" ||
                   a == "--pop3s" || a == "--imaps" || a == "--user" || a == "--domain") {
            return std::unexpected(a + " cannot be combined with --config: the scenario names the hosts, services and users");
        } else {
            return std::unexpected("unknown argument '" + a + "'");
        }
    }
    if (o.maildir.empty()) return std::unexpected("--maildir DIR is required");
    return o;
}

// One served host: its contexts (makeServerHost over a MaildirStore) and where it listens.
struct Served {
    const HostSpec* spec = nullptr;
    std::unique_ptr<ServerHost> host;
    store::MaildirStore* store = nullptr;
    ServedHost served;
    std::string address;
    int portShift = 0;
};

bool hasServices(const HostSpec& h) { return h.smtp || h.pop3 || h.imap; }

// The scenario's hosts with services, in scenario order, each with its address (127.0.0.N, or --bind with ports
// shifted by 100 per host) and its port shift; `addresses` gets the name -> address map the relay resolves with.
std::expected<std::deque<Served>, std::string> placeHosts(const Scenario& sc, const ConfigOptions& o,
                                                          std::vector<ServeAddress>& addresses) {
    std::deque<Served> hosts;  // stable addresses: listeners point at their ServedHost
    for (const auto& h : sc.hosts) {
        if (!hasServices(h)) continue;
        const int n = static_cast<int>(hosts.size());
        if (o.bind.empty() && n >= 254) return std::unexpected("more than 254 server hosts; use --bind");
        Served s;
        s.spec = &h;
        s.address = o.bind.empty() ? fmt::format("127.0.0.{}", n + 1) : o.bind;
        s.portShift = o.portOffset + (o.bind.empty() ? 0 : 100 * n);
        addresses.push_back(ServeAddress{h.name, s.address});
        hosts.push_back(std::move(s));
    }
    if (hosts.empty())
        return std::unexpected(fmt::format("{} has no host with services (smtp, pop3, imap)", o.config));
    return hosts;
}

// TLS material shared by the served hosts: the classroom CA (opened on first use) and one context per host.
struct TlsMaterial {
    std::optional<ClassroomCa> ca;
    std::deque<TlsContext> contexts;  // stable addresses: ServedHost::tls points here
};

// Opens host `s`'s Maildir store under --maildir/NAME, builds its server contexts with the command line's limits,
// its TLS context (when the host uses TLS and --no-tls is not given) and its relay queue.
std::expected<void, std::string> openHost(Served& s, const ConfigOptions& o, ServeRelay& relay, TlsMaterial& tls) {
    const HostSpec& h = *s.spec;
    const std::filesystem::path root = std::filesystem::path(o.maildir) / h.name;
    std::error_code ec;
    std::filesystem::create_directories(root, ec);
    if (ec || !std::filesystem::is_directory(root))
        return std::unexpected(fmt::format("cannot use {} as the Maildir root of {}: {}", root.string(), h.name,
                                           ec ? ec.message() : "not a directory"));
    warnIfReadOnly(root.string());
    auto store = std::make_unique<store::MaildirStore>(root.string());
    useDeliveryJournal(*store);
    s.store = store.get();
    s.host = makeServerHost(h, std::move(store), static_cast<std::uint64_t>(::getpid()));
    ServerHost& sh = *s.host;
    s.served = ServedHost{h.name, &sh.context, &sh.pop3, &sh.imap, nullptr, s.store};
    if (o.allowPlaintextAuth || !o.tls)
        sh.context.config.plaintextAuthAllowed = sh.pop3.config.plaintextAuthAllowed =
            sh.imap.config.plaintextAuthAllowed = true;
    sh.context.config.firstCommandTimeout = o.limits.greetingTimeout;
    sh.context.config.maxRecipients = o.limits.maxRecipients;
    if (!o.tls) sh.context.config.tlsOffered = sh.pop3.config.tlsOffered = sh.imap.config.tlsOffered = false;
    if (o.tls && h.usesTls()) {
        if (!tls.ca) {
            auto opened = ClassroomCa::open(o.caDir.empty() ? ClassroomCa::defaultDirectory()
                                                            : std::filesystem::path(o.caDir));
            if (!opened) return std::unexpected("TLS: " + opened.error() + " (use --no-tls to serve without it)");
            tls.ca = std::move(*opened);
        }
        std::vector<std::string> names = h.domains;
        names.push_back(s.address);
        auto key = tls.ca->hostCertificate(h.name, names);
        auto context = key ? TlsContext::server(*key) : std::expected<TlsContext, std::string>(std::unexpected(key.error()));
        if (!context)
            return std::unexpected(fmt::format("TLS for {}: {} (use --no-tls to serve without it)", h.name, context.error()));
        tls.contexts.push_back(std::move(*context));
        s.served.tls = &tls.contexts.back();
        std::fprintf(stderr, "mailsim serve: TLS certificate for %s from the classroom CA in %s\n", h.name.c_str(),
                     tls.ca->directory().c_str());
    }
    if (h.smtp) {
        auto handler = relay.addHost(h, &sh.context, root / "queue");
        if (!handler) return std::unexpected(handler.error());
        sh.context.relay = std::move(*handler);
    }
    return {};
}

// Listens on every service of host `s` (the scenario's ports plus its shift); implicit-TLS services are skipped with
// a message when TLS is off. The SMTP endpoint is given to the relay, which delivers to it from other hosts.
std::expected<void, std::string> listenOnHost(Served& s, ServeRelay& relay, std::vector<Listener>& listeners) {
    const HostSpec& h = *s.spec;
    struct Service {  // name, protocol, scenario port, implicit TLS, submission
        const char* name;
        const char* protocol;
        int port;
        bool implicitTls, submission;
    };
    std::vector<Service> services;
    if (h.smtp) {
        services.push_back({"smtp", "smtp", h.smtp->port, false, false});
        services.push_back({"submission", "smtp", h.smtp->submissionPort, false, true});
        services.push_back({"smtps", "smtp", h.smtp->tlsPort, true, true});
    }
    if (h.pop3) {
        services.push_back({"pop3", "pop3", h.pop3->port, false, false});
        services.push_back({"pop3s", "pop3", h.pop3->tlsPort, true, false});
    }
    if (h.imap) {
        services.push_back({"imap", "imap", h.imap->port, false, false});
        services.push_back({"imaps", "imap", h.imap->tlsPort, true, false});
    }
    for (const auto& svc : services) {
        if (svc.port <= 0) continue;
        if (svc.implicitTls && !s.served.tls) {
            std::fprintf(stderr, "mailsim serve: %s %s skipped: TLS is off (--no-tls)\n", h.name.c_str(), svc.name);
            continue;
        }
        const int port = svc.port + s.portShift;
        if (port > 65535)
            return std::unexpected(fmt::format("{} {}: port {} + {} is beyond 65535 (choose a smaller --port-offset)",
                                               h.name, svc.name, svc.port, s.portShift));
        ListenSpec spec{svc.protocol, s.address, std::to_string(port), svc.implicitTls, svc.submission,
                        fmt::format("{} {}", h.name, svc.name)};
        auto l = makeListener(spec, svc.name, fmt::format("{} {}", h.name, svc.name), &s.served);
        if (!l) return std::unexpected(l.error());
        if (std::string(svc.name) == "smtp") relay.setSmtpEndpoint(h.name, s.address, port);
        listeners.push_back(std::move(*l));
    }
    return {};
}

}  // namespace

int serveConfigMain(std::span<const std::string> args, const char* usage) {
    (void)usage;  // the manual is `mailsim serve --help`
    auto opts = parseConfigArgs(args);
    if (!opts) return usageError("serve", opts.error());
    auto text = readFileFromDisk(opts->config);  // bounded by kMaxScenarioBytes
    if (!text) {
        std::fprintf(stderr, "mailsim serve: cannot read %s\n", opts->config.c_str());
        return 1;
    }
    auto sc = loadScenario(*text, opts->config);
    if (!sc) {
        for (const auto& d : sc.error()) std::fprintf(stderr, "%s\n", d.format().c_str());
        return 1;
    }
    std::vector<ServeAddress> addresses;
    auto hosts = placeHosts(*sc, *opts, addresses);
    if (!hosts) {
        std::fprintf(stderr, "mailsim serve: %s\n", hosts.error().c_str());
        return 1;
    }

    StopSignals signals;  // from here on a stop request is never lost
    ServeRelay relay(*sc, addresses);
    TlsMaterial tls;
    std::vector<Listener> listeners;
    auto fail = [&](const std::string& why) {
        std::fprintf(stderr, "mailsim serve: %s\n", why.c_str());
        for (auto& l : listeners) ::close(l.fd);
        return 1;
    };
    for (auto& s : *hosts) {
        if (auto opened = openHost(s, *opts, relay, tls); !opened) return fail(opened.error());
        if (auto listening = listenOnHost(s, relay, listeners); !listening) return fail(listening.error());
    }
    LiveTraceWriter traceOut;
    if (std::string error; !opts->traceOut.empty() && !openTraceOut(traceOut, opts->traceOut, error))
        return fail("--trace-out: " + error);
    return runServeLoop(std::move(listeners),
                        opts->limits, &relay, signals,
                        traceOut.isOpen() ? &traceOut : nullptr);
}

bool openTraceOut(LiveTraceWriter& writer, const std::string& path, std::string& error) {
    if (path != "-") return writer.open(path, error);
    std::fflush(stdout);
    const int copy = ::dup(STDOUT_FILENO);
    if (copy < 0 || !writer.openDescriptor(copy, error)) {
        if (copy >= 0) ::close(copy);
        if (error.empty()) error = std::string("cannot use stdout: ") + std::strerror(errno);
        return false;
    }
    ::dup2(STDERR_FILENO, STDOUT_FILENO);  // the loop's own printing (stdout) now goes to stderr
    return true;
}

void useDeliveryJournal(store::MaildirStore& store) {
    auto replayed = store.enableJournal();
    for (const auto& w : store.takeWarnings()) std::fprintf(stderr, "mailsim serve: %s\n", w.c_str());
    if (!replayed)
        std::fprintf(stderr, "mailsim serve: delivery journal not used: %s (every delivery fsyncs before its 250)\n",
                     replayed.error().c_str());
}

void warnIfReadOnly(const std::string& dir) {
    namespace fs = std::filesystem;
    auto readOnly = [](const fs::path& p) {
        struct stat st{};
        if (::stat(p.c_str(), &st) != 0) return false;
        return (st.st_mode & 0222) == 0 || ::access(p.c_str(), W_OK) != 0;
    };
    std::vector<std::string> found;
    std::size_t visited = 0;
    if (readOnly(dir)) found.push_back(dir);
    std::error_code ec;
    // A Maildir root holds <address>/{tmp,new,cur} and <address>/.Folder/{...} (or <host>/... with --config): three
    // levels below the root cover them; at most 10000 folders are looked at.
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator() && visited < 10000; it.increment(ec)) {
        ++visited;
        if (it.depth() >= 3) it.disable_recursion_pending();
        std::error_code tec;
        if (it->is_directory(tec) && !it->is_symlink(tec) && readOnly(it->path())) found.push_back(it->path().string());
    }
    if (found.empty()) return;
    std::fprintf(stderr,
                 "mailsim serve: warning: the Maildir %s is read-only (%s%s): mail cannot be delivered there and IMAP "
                 "flags (STORE) cannot be saved; make it writable (chmod u+w) or serve another --maildir\n",
                 dir.c_str(), found.front().c_str(),
                 found.size() > 1 ? fmt::format(" and {} more folder(s)", found.size() - 1).c_str() : "");
}

}  // namespace mailsim::sim
