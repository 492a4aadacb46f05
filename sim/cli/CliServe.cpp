// `mailsim serve`: one mail host from the command line (--smtp/--pop3/--imap/... listeners, --user accounts, one
// Maildir store), or with --config every host of a scenario network (ServeConfig.cpp). Both run in the same
// real-socket loop (ServeLoop.hpp; its theory of operation is at the top of ServeLoop.cpp).
#include "sim/cli/Cli.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/serve/ServeConfig.hpp"
#include "sim/serve/ServeLoop.hpp"

#include "auth/UserDirectory.hpp"

#include <algorithm>
#include <cstdio>
#include <expected>
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

namespace mailsim::sim {
namespace {

using trace::Micros;

constexpr const char* kServeUsage =
    "usage: mailsim serve --config SCENARIO.yaml --maildir DIR [--port-offset N] [--bind ADDR] [options]\n"
    "       mailsim serve [--smtp|--submission|--pop3|--imap|--smtps|--pop3s|--imaps ADDR:PORT]... --maildir DIR\n"
    "                     [--user ADDRESS:PASSWORD]... [--strict] [--no-smtputf8] [--domain NAME] [--idle-timeout S]\n"
    "                     [--no-tls] [--allow-plaintext-auth] [--ca-dir DIR] [--tls-name NAME]...\n"
    "                     [--max-per-address N] [--login-timeout S] [limits] [--trace-out FILE]\n"
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
    "                     \"too many connections\" goodbye (SMTP 421, POP3 -ERR [SYS/TEMP], IMAP BYE) and are closed\n"
    "  --login-timeout S  POP3, IMAP and submission clients must log in within S seconds (default 60), or get the\n"
    "                     protocol's \"login timeout\" goodbye\n"
    "%s"    "  --trace-out FILE   also write every trace event to FILE as one JSON line (JSON Lines, flushed as it happens;\n"
    "                     the file is truncated first), for `mailsim-gui --attach FILE` and `mailsim record`;\n"
    "                     FILE - writes them to stdout (the human-readable trace then goes to stderr)\n"
    "  --maildir DIR      where mail is stored: DIR/<address>/{tmp,new,cur} (Maildir)\n"
    "  --user A:P         a local user and password (repeatable); the users' domains are the local domains;\n"
    "                     default: mike@cesoo.com:mike123 and rose@cesoo.com:rose123\n"
    "  --strict           refuse what RFC 5321 forbids (bare LF, MAIL FROM without <>, over-long lines)\n"
    "  --no-smtputf8      do not offer SMTPUTF8 (RFC 6531): ASCII addresses only, like an older MTA\n"
    "  --domain NAME      the server's name in the greeting (default: the first user's domain)\n"
    "  --idle-timeout S   close idle sessions after S seconds (default: SMTP 300, RFC 5321 4.5.3.2.7; POP3 600,\n"
    "                     RFC 1939 3; IMAP 1800, RFC 3501 5.4)\n"
    "  --config FILE      serve every host of a scenario network on real ports (a live classroom network): see\n"
    "                     below\n"
    "%s";

struct ServeOptions {
    std::vector<ListenSpec> listen;
    std::string maildir;
    std::vector<std::pair<std::string, std::string>> users;
    bool strict = false;
    bool smtpUtf8 = true;  // EHLO offers SMTPUTF8 (RFC 6531)
    std::string domain;
    Micros idleTimeout = 0;  // 0: the session's default (RFC 5321 4.5.3.2.7: 5 minutes)
    bool tls = true;               // STARTTLS offered, implicit TLS listeners allowed
    bool allowPlaintextAuth = false;
    std::string caDir;
    std::vector<std::string> tlsNames;
    std::string traceOut;  // --trace-out FILE: every event as a JSON line
    LoopLimits limits;     // --max-per-address, --max-connections, --login-timeout, ... (parseLimitOption)
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


// What an option's value is, for "--maildir needs a directory, got the option --no-tls".
std::string_view serveValueName(std::string_view option) {
    if (option == "--maildir" || option == "--ca-dir") return "a directory";
    if (option == "--trace-out") return "a file name (or - for stdout)";
    if (option == "--user") return "ADDRESS:PASSWORD";
    if (option == "--domain" || option == "--tls-name") return "a name";
    if (option == "--max-per-address") return "a number";
    if (option == "--idle-timeout" || option == "--login-timeout") return "a number of seconds";
    return "ADDR:PORT";
}

std::expected<ServeOptions, std::string> parseServeArgs(std::span<const std::string> args) {
    ServeOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (auto error = parseLimitOption(args, i, o.limits)) {
            if (!error->empty()) return std::unexpected(*error);
            continue;
        }
        const std::string& a = args[i];
        auto value = [&]() { return optionValue(args, i, serveValueName(a)); };
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
        } else if (a == "--no-smtputf8") {
            o.smtpUtf8 = false;
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


// The single host of the command line: its users, contexts and store.
struct OneHost {
    explicit OneHost(const ServeOptions& options) : store(options.maildir) {
        // Passwords wait for TLS unless the operator allows plaintext (RFC 8314 encourages refusing them).
        for (bool* allowed : {&ctx.config.plaintextAuthAllowed, &pop3.config.plaintextAuthAllowed,
                              &imap.config.plaintextAuthAllowed})
            *allowed = options.allowPlaintextAuth;
        ctx.config.domain = options.domain;
        ctx.config.lenient = !options.strict;
        ctx.config.smtpUtf8 = options.smtpUtf8;
        if (options.idleTimeout > 0) ctx.config.idleTimeout = options.idleTimeout;
        ctx.config.firstCommandTimeout = options.limits.greetingTimeout;
        ctx.config.maxRecipients = options.limits.maxRecipients;
        for (const auto& [address, password] : options.users) ctx.directory.addUser(address, password);
        ctx.store = &store;
        ctx.transportCompletesStore = true;  // park-and-resume: the serve loop's store worker runs the deliveries
        pop3.config.domain = options.domain;
        if (options.idleTimeout > 0) pop3.config.idleTimeout = options.idleTimeout;
        pop3.directory = ctx.directory;  // the same users (addUser also makes their domains local)
        pop3.store = &store;
        pop3.processId = static_cast<std::uint64_t>(::getpid());  // RFC 1939 7's timestamp "pid"
        imap.config.domain = options.domain;
        if (options.idleTimeout > 0) imap.config.idleTimeout = options.idleTimeout;
        imap.directory = ctx.directory;
        imap.store = &store;
        served = ServedHost{options.domain, &ctx, &pop3, &imap, nullptr, &store};
        setTls(nullptr);
    }
    // TLS (RFC 3207, 2595, 3501 6.2.1): offered on every plain listener when the server has a certificate.
    void setTls(const TlsContext* tls) {
        served.tls = tls;
        for (bool* offered : {&ctx.config.tlsOffered, &pop3.config.tlsOffered, &imap.config.tlsOffered})
            *offered = tls != nullptr;
    }

    store::MaildirStore store;
    smtp::SmtpServerContext ctx;
    pop3::Pop3ServerContext pop3;
    imap::ImapServerContext imap;
    ServedHost served;
};

}  // namespace

std::string serveUsageText() {
    // Two placeholders: the limits (one block shared with --config, ServeLoop.cpp), then the --config usage.
    std::string text = kServeUsage;
    if (auto at = text.find("%s"); at != std::string::npos) text.replace(at, 2, kLimitOptionsUsage);
    if (auto at = text.find("%s"); at != std::string::npos) text.replace(at, 2, kServeConfigUsage);
    return text;
}

int serveMain(std::span<const std::string> args) {
    if (std::ranges::find(args, std::string("--config")) != args.end()) return serveConfigMain(args, kServeUsage);
    auto opts = parseServeArgs(args);
    if (!opts) return usageError("serve", opts.error());
    std::error_code ec;
    std::filesystem::create_directories(opts->maildir, ec);
    if (ec || !std::filesystem::is_directory(opts->maildir)) {
        std::fprintf(stderr, "mailsim serve: cannot use %s as the Maildir root: %s\n", opts->maildir.c_str(),
                     ec ? ec.message().c_str() : "not a directory");
        return 1;
    }
    warnIfReadOnly(opts->maildir);
    StopSignals signals;  // from here on a stop request is never lost
    OneHost host(*opts);
    useDeliveryJournal(host.store);
    std::vector<Listener> listeners;
    for (const auto& spec : opts->listen) {
        auto l = makeListener(spec, spec.option.substr(2), spec.option.substr(2), &host.served);
        if (!l) {
            std::fprintf(stderr, "mailsim serve: %s\n", l.error().c_str());
            for (auto& open : listeners) ::close(open.fd);
            return 1;
        }
        listeners.push_back(std::move(*l));
    }

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
    if (tls) host.setTls(&*tls);
    LiveTraceWriter traceOut;
    if (std::string error; !opts->traceOut.empty() && !openTraceOut(traceOut, opts->traceOut, error)) {
        std::fprintf(stderr, "mailsim serve: --trace-out: %s\n", error.c_str());
        for (auto& l : listeners) ::close(l.fd);
        return 1;
    }
    return runServeLoop(std::move(listeners), opts->limits, nullptr, signals,
                        traceOut.isOpen() ? &traceOut : nullptr);
}

}  // namespace mailsim::sim
