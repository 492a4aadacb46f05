#include "Dns.hpp"

#include "auth/UserDirectory.hpp"

#include <fmt/format.h>

namespace mailsim::sim {
namespace {

trace::EventId record(trace::Trace& trace, trace::EventKind kind, trace::Micros now, std::string_view host,
                      std::string text, trace::EventId cause) {
    trace::Event e;
    e.time = now;
    e.kind = kind;
    e.machine = std::string(host);
    e.text = std::move(text);
    e.cause = cause;
    return trace.append(std::move(e));
}

}  // namespace

DnsService::DnsService(const Scenario& scenario, const VirtualNetwork& network) {
    for (const auto& h : network.hosts()) m_a[auth::UserDirectory::canonical(h.name)] = h.address;
    for (const auto& d : scenario.dns) {
        if (!d.mx.empty()) m_mx[d.domain] = d.mx;
        if (!d.a.empty()) {
            if (const VirtualHost* h = network.findHost(d.a)) {
                m_a[d.domain] = h->address;
                m_aliasHost[d.domain] = h->name;
            } else {
                m_a[d.domain] = d.a;  // a literal address
            }
        }
    }
}

std::string DnsService::addressOf(std::string_view name) const {
    auto it = m_a.find(auth::UserDirectory::canonical(name));
    return it == m_a.end() ? std::string() : it->second;
}

MxAnswer DnsService::resolveMx(std::string_view domainIn, std::string_view asking, trace::Micros now,
                               trace::Trace& trace, trace::EventId cause) const {
    std::string domain = auth::UserDirectory::canonical(domainIn);
    MxAnswer out;
    auto q = record(trace, trace::EventKind::DnsQuery, now, asking, fmt::format("MX {}", domain), cause);
    if (auto it = m_mx.find(domain); it != m_mx.end()) {
        std::string text;
        for (const auto& mx : it->second) {
            std::string address = addressOf(mx.host);
            text += fmt::format("{}MX {} {}{}", text.empty() ? "" : ", ", mx.preference, mx.host,
                                address.empty() ? " (no A record: skipped)" : fmt::format(" ({})", address));
            if (!address.empty()) out.targets.push_back(MxTarget{mx.preference, mx.host, address});
        }
        record(trace, trace::EventKind::DnsAnswer, now, asking, text, q);
        return out;
    }
    record(trace, trace::EventKind::DnsAnswer, now, asking, fmt::format("no MX record for {}", domain), q);
    // RFC 5321 5.1: no MX - the domain itself, through its A record, is the implicit MX (preference 0).
    auto qa = record(trace, trace::EventKind::DnsQuery, now, asking, fmt::format("A {}", domain), q);
    std::string address = addressOf(domain);
    if (address.empty()) {
        out.nxdomain = true;
        record(trace, trace::EventKind::DnsAnswer, now, asking, fmt::format("NXDOMAIN: {} does not exist", domain), qa);
        return out;
    }
    auto alias = m_aliasHost.find(domain);
    std::string host = alias != m_aliasHost.end() ? alias->second : domain;
    out.implicit = true;
    out.targets.push_back(MxTarget{0, host, address});
    record(trace, trace::EventKind::DnsAnswer, now, asking,
           fmt::format("A {} (no MX: the domain's own address is used, RFC 5321 5.1)", address), qa);
    return out;
}

}  // namespace mailsim::sim
