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
// - One "listening HOST SERVICE ADDR:PORT" line per listener on stdout (in the operator's language), before anything
//   else; with --ready-file FILE the same listeners as JSON for scripts (ServeAnnounce.hpp).
// - Mail: DIR/<host name>/<address>/{tmp,new,cur} (MaildirStore); the host's queue in DIR/<host name>/queue/.
// - TLS: a host that uses TLS (`tls: {starttls: true}` or an implicit TLS port) gets a certificate from the classroom
//   CA for its name, its domains and its address. --no-tls turns TLS off (implicit TLS listeners are skipped);
//   --allow-plaintext-auth lets every host accept passwords before TLS.
#include "sim/serve/ServeConfig.hpp"

#include "sim/tools/CliArgs.hpp"

#include "sim/scenario/Scenario.hpp"
#include "sim/serve/ServeAnnounce.hpp"
#include "sim/serve/ServeLoop.hpp"
#include "sim/serve/ServeRelay.hpp"
#include "sim/serve/ServeText.hpp"
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
    std::string readyFile;  // --ready-file FILE (sim/tools/ServeReady.hpp)
    LoopLimits limits;  // --max-per-address, --login-timeout, ... (parseLimitOption)
    i18n::Lang lang = i18n::Lang::En;  // --lang (checked by serveMain), else the locale's
};

std::expected<int, std::string> number(const std::string& option, const std::string& v, int max, i18n::Lang lang) {
    if (v.empty() || v.size() > 6 || !std::ranges::all_of(v, [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(v) > max)
        return std::unexpected(serveSay(lang, ServeText::NumberRange, option, v, 0, max));
    return std::stoi(v);
}

std::expected<ConfigOptions, std::string> parseConfigArgs(std::span<const std::string> args, i18n::Lang lang) {
    ConfigOptions o;
    o.lang = lang;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (auto error = parseLimitOption(args, i, o.limits, lang)) {
            if (!error->empty()) return std::unexpected(*error);
            continue;
        }
        const std::string& a = args[i];
        auto value = [&]() -> std::expected<std::string, std::string> {
            const ServeText what = a == "--config"                       ? ServeText::ValueScenarioFile
                                   : a == "--maildir" || a == "--ca-dir" ? ServeText::ValueDirectory
                                   : a == "--bind"                       ? ServeText::ValueAddress
                                   : a == "--trace-out"                  ? ServeText::ValueTraceFile
                                   : a == "--ready-file"                 ? ServeText::ValueFile
                                                                         : ServeText::ValueNumber;
            auto v = optionValue(args, i, serveText(what, lang), lang);
            if (v && v->empty()) return std::unexpected(serveSay(lang, ServeText::NeedsValueGotEmpty, a));
            return v;
        };
        if (a == "--config" || a == "--maildir" || a == "--bind" || a == "--ca-dir" || a == "--trace-out" ||
            a == "--ready-file") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            (a == "--config"      ? o.config
             : a == "--maildir"   ? o.maildir
             : a == "--bind"      ? o.bind
             : a == "--ca-dir"    ? o.caDir
             : a == "--ready-file" ? o.readyFile
                                  : o.traceOut) = *v;
        } else if (a == "--port-offset") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            auto n = number(a, *v, 65535, lang);
            if (!n) return std::unexpected(n.error());
            o.portOffset = *n;
        } else if (a == "--no-tls") {
            o.tls = false;
        } else if (a == "--allow-plaintext-auth") {
            o.allowPlaintextAuth = true;
        } else if (a == "--lang") {
            ++i;  // its value was checked by serveMain
        } else if (a == "--smtp" || a == "--submission" || a == "--pop3" || a == "--imap" || a == "--smtps" ||
                   a == "--pop3s" || a == "--imaps" || a == "--user" || a == "--domain") {
            return std::unexpected(serveSay(lang, ServeText::NotWithConfig, a));
        } else {
            return std::unexpected(serveSay(lang, ServeText::UnknownArgument, a));
        }
    }
    if (o.maildir.empty()) return std::unexpected(std::string(serveText(ServeText::MaildirRequired, lang)));
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
        if (o.bind.empty() && n >= 254) return std::unexpected(std::string(serveText(ServeText::TooManyHosts, o.lang)));
        Served s;
        s.spec = &h;
        s.address = o.bind.empty() ? fmt::format("127.0.0.{}", n + 1) : o.bind;
        s.portShift = o.portOffset + (o.bind.empty() ? 0 : 100 * n);
        addresses.push_back(ServeAddress{h.name, s.address});
        hosts.push_back(std::move(s));
    }
    if (hosts.empty())
        return std::unexpected(serveSay(o.lang, ServeText::NoServedHost, o.config));
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
        return std::unexpected(serveSay(o.lang, ServeText::MaildirRootOfHost, root.string(), h.name,
                                        ec ? ec.message() : std::string(serveText(ServeText::NotADirectory, o.lang))));
    warnIfReadOnly(root.string(), o.lang);
    auto store = std::make_unique<store::MaildirStore>(root.string());
    useDeliveryJournal(*store, o.lang);
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
            if (!opened) return std::unexpected(serveSay(o.lang, ServeText::TlsFailed, caErrorText(opened.error(), o.lang)));
            tls.ca = std::move(*opened);
        }
        std::vector<std::string> names = h.domains;
        names.push_back(s.address);
        auto key = tls.ca->hostCertificate(h.name, names);
        if (!key) return std::unexpected(serveSay(o.lang, ServeText::TlsFailedFor, h.name, caErrorText(key.error(), o.lang)));
        auto context = TlsContext::server(*key);
        if (!context)
            return std::unexpected(
                serveSay(o.lang, ServeText::TlsFailedFor, h.name, tlsContextErrorText(context.error(), o.lang)));
        tls.contexts.push_back(std::move(*context));
        s.served.tls = &tls.contexts.back();
        printError(serveSay(o.lang, ServeText::TlsCertificate, h.name, tls.ca->directory().string()));
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
std::expected<void, std::string> listenOnHost(Served& s, ServeRelay& relay, std::vector<Listener>& listeners,
                                              i18n::Lang lang) {
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
            printError(serveSay(lang, ServeText::TlsSkipped, h.name, svc.name));
            continue;
        }
        const int port = svc.port + s.portShift;
        if (port > 65535)
            return std::unexpected(serveSay(lang, ServeText::PortBeyond, h.name, svc.name, svc.port, s.portShift));
        ListenSpec spec{svc.protocol, s.address, std::to_string(port), svc.implicitTls, svc.submission,
                        fmt::format("{} {}", h.name, svc.name)};
        auto l = makeListener(spec, svc.name, fmt::format("{} {}", h.name, svc.name), &s.served, lang);
        if (!l) return std::unexpected(l.error());
        if (std::string(svc.name) == "smtp") relay.setSmtpEndpoint(h.name, s.address, port);
        listeners.push_back(std::move(*l));
    }
    return {};
}

}  // namespace

int serveConfigMain(std::span<const std::string> args, i18n::Lang lang) {
    auto opts = parseConfigArgs(args, lang);
    if (!opts) return usageError("serve", opts.error(), lang);
    auto text = readFileFromDisk(opts->config);  // bounded by kMaxScenarioBytes
    if (!text) {
        printError(serveSay(lang, ServeText::CannotRead, opts->config));
        return 1;
    }
    auto sc = loadScenario(*text, opts->config);
    if (!sc) {
        for (const auto& d : sc.error()) std::fprintf(stderr, "%s\n", d.format(lang).c_str());
        return 1;
    }
    std::vector<ServeAddress> addresses;
    auto hosts = placeHosts(*sc, *opts, addresses);
    if (!hosts) {
        printError(serveSay(lang, ServeText::Failed, hosts.error()));
        return 1;
    }

    ReadyAnnouncer ready(opts->readyFile);  // a stale ready file goes before anything is bound
    StopSignals signals;  // from here on a stop request is never lost
    ServeRelay relay(*sc, addresses, lang);
    TlsMaterial tls;
    std::vector<Listener> listeners;
    auto fail = [&](const std::string& why) {
        printError(serveSay(lang, ServeText::Failed, why));
        for (auto& l : listeners) ::close(l.fd);
        return 1;
    };
    for (auto& s : *hosts) {
        if (auto opened = openHost(s, *opts, relay, tls); !opened) return fail(opened.error());
        if (auto listening = listenOnHost(s, relay, listeners, lang); !listening) return fail(listening.error());
    }
    LiveTraceWriter traceOut;
    if (std::string error; !opts->traceOut.empty() && !openTraceOut(traceOut, opts->traceOut, error, lang))
        return fail(serveSay(lang, ServeText::TraceOut, error));
    if (auto announced = ready.announce(listeners, lang); !announced) return fail(announced.error());
    return runServeLoop(std::move(listeners),
                        opts->limits, &relay, signals,
                        traceOut.isOpen() ? &traceOut : nullptr, lang);
}

bool openTraceOut(LiveTraceWriter& writer, const std::string& path, std::string& error, i18n::Lang lang) {
    if (path != "-") {
        auto opened = writer.open(path);
        if (!opened) error = serveSay(lang, ServeText::CannotWrite, path, std::strerror(opened.error()));
        return opened.has_value();
    }
    std::fflush(stdout);
    const int copy = ::dup(STDOUT_FILENO);
    const auto opened = copy < 0 ? std::expected<void, int>(std::unexpected(errno)) : writer.openDescriptor(copy);
    if (!opened) {
        if (copy >= 0) ::close(copy);
        error = serveSay(lang, ServeText::CannotUseStdout, std::strerror(opened.error()));
        return false;
    }
    ::dup2(STDERR_FILENO, STDOUT_FILENO);  // the loop's own printing (stdout) now goes to stderr
    return true;
}

void useDeliveryJournal(store::MaildirStore& store, i18n::Lang lang) {
    auto replayed = store.enableJournal();
    for (const auto& w : store.takeWarnings())
        printError(serveSay(lang, ServeText::Warning, storeWarningText(w, lang)));
    if (!replayed) printError(serveSay(lang, ServeText::JournalNotUsed, store::storeErrorText(replayed.error(), lang)));
}

void warnIfReadOnly(const std::string& dir, i18n::Lang lang) {
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
    printError(serveSay(lang, ServeText::ReadOnly, dir, found.front(),
                        found.size() > 1 ? serveSay(lang, ServeText::ReadOnlyMore, found.size() - 1) : ""));
}

}  // namespace mailsim::sim
