// `mailsim serve`: one mail host from the command line (--smtp/--pop3/--imap/... listeners, --user accounts, one
// Maildir store), or with --config every host of a scenario network (ServeConfig.cpp). Both run in the same
// real-socket loop (ServeLoop.hpp; its theory of operation is at the top of ServeLoop.cpp).
#include "sim/cli/Cli.hpp"
#include "sim/cli/CliText.hpp"
#include "sim/tools/CliArgs.hpp"
#include "sim/serve/ServeAnnounce.hpp"
#include "sim/serve/ServeConfig.hpp"
#include "sim/serve/ServeLoop.hpp"
#include "sim/serve/ServeText.hpp"

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
    std::string readyFile; // --ready-file FILE: the listeners as JSON once bound (sim/tools/ServeReady.hpp)
    LoopLimits limits;     // --max-per-address, --max-connections, --login-timeout, ... (parseLimitOption)
};

// "--smtp 127.0.0.1:2525", "--pop3 [::1]:1100".
std::expected<ListenSpec, std::string> parseListen(const std::string& option, std::string_view s, i18n::Lang lang) {
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
            return std::unexpected(serveSay(lang, ServeText::ListenBracket, opt));
        o.host = std::string(s.substr(1, close - 1));
        colon = close + 1;
    } else {
        colon = s.rfind(':');
        if (colon == std::string_view::npos || colon == 0)
            return std::unexpected(serveSay(lang, ServeText::ListenAddrPort, opt));
        o.host = std::string(s.substr(0, colon));
        if (o.host.find(':') != std::string::npos)
            return std::unexpected(serveSay(lang, ServeText::ListenIpv6, opt));
    }
    o.port = std::string(s.substr(colon + 1));
    if (o.port.empty() || o.port.size() > 5 || !std::ranges::all_of(o.port, [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(o.port) > 65535)
        return std::unexpected(serveSay(lang, ServeText::ListenPort, opt));
    return o;
}


// What an option's value is, for "--maildir needs a directory, got the option --no-tls".
ServeText serveValueName(std::string_view option) {
    if (option == "--maildir" || option == "--ca-dir") return ServeText::ValueDirectory;
    if (option == "--trace-out") return ServeText::ValueTraceFile;
    if (option == "--ready-file") return ServeText::ValueFile;
    if (option == "--user") return ServeText::ValueUser;
    if (option == "--domain" || option == "--tls-name") return ServeText::ValueName;
    if (option == "--idle-timeout") return ServeText::ValueSeconds;
    return ServeText::ValueListen;
}

std::expected<ServeOptions, std::string> parseServeArgs(std::span<const std::string> args, i18n::Lang lang) {
    ServeOptions o;
    auto say = [lang](ServeText id, auto&&... a) { return serveSay(lang, id, std::forward<decltype(a)>(a)...); };
    auto needs = [lang](const std::string& option) {  // an empty value
        return cliSay(lang, CliText::OptionNeeds, option, serveText(serveValueName(option), lang));
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (auto error = parseLimitOption(args, i, o.limits, lang)) {
            if (!error->empty()) return std::unexpected(*error);
            continue;
        }
        const std::string& a = args[i];
        auto value = [&]() { return optionValue(args, i, serveText(serveValueName(a), lang), lang); };
        if (a == "--smtp" || a == "--pop3" || a == "--imap" || a == "--submission" || a == "--smtps" ||
            a == "--pop3s" || a == "--imaps") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            auto spec = parseListen(a, *v, lang);
            if (!spec) return std::unexpected(spec.error());
            if (std::ranges::any_of(o.listen, [&](const ListenSpec& l) { return l.option == spec->option; }))
                return std::unexpected(say(ServeText::GivenTwice, a));
            o.listen.push_back(*spec);
        } else if (a == "--no-tls") {
            o.tls = false;
        } else if (a == "--allow-plaintext-auth") {
            o.allowPlaintextAuth = true;
        } else if (a == "--ca-dir" || a == "--tls-name") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty()) return std::unexpected(needs(a));
            if (a == "--ca-dir") o.caDir = *v;
            else o.tlsNames.push_back(*v);
        } else if (a == "--trace-out" || a == "--ready-file") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty()) return std::unexpected(needs(a));
            (a == "--trace-out" ? o.traceOut : o.readyFile) = *v;
        } else if (a == "--maildir") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty()) return std::unexpected(needs(a));
            o.maildir = *v;
        } else if (a == "--user") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            auto colon = v->find(':');
            auto at = v->find('@');
            if (colon == std::string::npos || at == std::string::npos || at > colon || at == 0 || at + 1 == colon)
                return std::unexpected(say(ServeText::UserBad, *v));
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
                return std::unexpected(say(ServeText::SecondsRange, a, *v, 1, 999999));
            o.idleTimeout = Micros{std::stoi(*v)} * 1'000'000;
        } else if (a == "--domain") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            if (v->empty()) return std::unexpected(needs(a));
            o.domain = *v;
        } else if (a == "--lang") {
            ++i;  // its value was checked by serveMain
        } else {
            return std::unexpected(say(ServeText::UnknownArgument, a));
        }
    }
    if (o.listen.empty()) return std::unexpected(say(ServeText::NeedListener));
    for (const auto& l : o.listen)
        if (l.implicitTls && !o.tls) return std::unexpected(say(ServeText::NeedsTls, l.option));
    if (!o.tls) o.allowPlaintextAuth = true;  // without TLS there is nothing to wait for
    if (o.tlsNames.empty()) o.tlsNames = {"localhost", "127.0.0.1", "::1"};
    if (o.maildir.empty()) return std::unexpected(say(ServeText::MaildirRequired));
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

std::string serveUsageText(i18n::Lang lang) {
    // The limits are one block shared with --config; the --config form comes last.
    std::string text(serveText(ServeText::UsageListeners, lang));
    for (ServeText part : {ServeText::UsageLimits, ServeText::UsageStore, ServeText::UsageConfig})
        text += serveText(part, lang);
    return text;
}

int serveMain(std::span<const std::string> args) {
    const auto lang = commandLang(args, "serve");
    if (!lang) return 2;
    if (std::ranges::find(args, std::string("--config")) != args.end()) return serveConfigMain(args, *lang);
    auto opts = parseServeArgs(args, *lang);
    if (!opts) return usageError("serve", opts.error(), *lang);
    std::error_code ec;
    std::filesystem::create_directories(opts->maildir, ec);
    if (ec || !std::filesystem::is_directory(opts->maildir)) {
        printError(serveSay(*lang, ServeText::MaildirRoot, opts->maildir,
                            ec ? ec.message() : std::string(serveText(ServeText::NotADirectory, *lang))));
        return 1;
    }
    warnIfReadOnly(opts->maildir, *lang);
    ReadyAnnouncer ready(opts->readyFile);  // a stale ready file goes before anything is bound
    StopSignals signals;  // from here on a stop request is never lost
    OneHost host(*opts);
    useDeliveryJournal(host.store, *lang);
    std::vector<Listener> listeners;
    for (const auto& spec : opts->listen) {
        auto l = makeListener(spec, spec.option.substr(2), spec.option.substr(2), &host.served, *lang);
        if (!l) {
            printError(serveSay(*lang, ServeText::Failed, l.error()));
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
                      : std::expected<CertifiedKey, CaError>(std::unexpected(ca.error()));
        std::expected<TlsContext, std::string> context = std::unexpected(std::string());
        if (!key)
            context = std::unexpected(caErrorText(key.error(), *lang));
        else if (auto built = TlsContext::server(*key))
            context = std::move(*built);
        else
            context = std::unexpected(tlsContextErrorText(built.error(), *lang));
        if (!context) {
            printError(serveSay(*lang, ServeText::Failed, serveSay(*lang, ServeText::TlsFailed, context.error())));
            for (auto& l : listeners) ::close(l.fd);
            return 1;
        }
        tls = std::move(*context);
        printError(serveSay(*lang, ServeText::TlsCertificate, opts->tlsNames.front(), ca->directory().string()));
    }
    if (tls) host.setTls(&*tls);
    LiveTraceWriter traceOut;
    if (std::string error; !opts->traceOut.empty() && !openTraceOut(traceOut, opts->traceOut, error, *lang)) {
        printError(serveSay(*lang, ServeText::Failed, serveSay(*lang, ServeText::TraceOut, error)));
        for (auto& l : listeners) ::close(l.fd);
        return 1;
    }
    if (auto announced = ready.announce(listeners, *lang); !announced) {
        printError(serveSay(*lang, ServeText::Failed, announced.error()));
        for (auto& l : listeners) ::close(l.fd);
        return 1;
    }
    return runServeLoop(std::move(listeners), opts->limits, nullptr, signals,
                        traceOut.isOpen() ? &traceOut : nullptr, *lang);
}

}  // namespace mailsim::sim
