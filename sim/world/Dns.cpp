#include "sim/world/Dns.hpp"

#include "auth/UserDirectory.hpp"
#include "util/Idna.hpp"


namespace mailsim::sim {
namespace {

// The name DNS itself holds: lower case, internationalised labels as A-labels (RFC 5890 2.3.2.1), so 例子.中国 and
// xn--fsqu00a.xn--fiqs8s are one zone; a name libidn2 refuses stays as written.
std::string dnsKey(std::string_view name) { return util::asciiDomain(auth::UserDirectory::canonical(name)); }

trace::EventId query(trace::Trace& trace, trace::Micros now, std::string_view host, trace::DnsType type,
                     const std::string& name, trace::EventId cause) {
    return trace::Recorder(&trace, trace::kNoSession).dnsQuery(now, {std::string(host), type, name}, cause);
}

trace::EventId answer(trace::Trace& trace, trace::Micros now, std::string_view host, trace::DnsType type,
                      const std::string& name, std::vector<trace::DnsRecord> records, bool nxdomain, bool implicitMx,
                      trace::EventId q) {
    return trace::Recorder(&trace, trace::kNoSession)
        .dnsAnswer(now, {std::string(host), type, name, std::move(records), nxdomain, implicitMx}, q);
}

}  // namespace

DnsService::DnsService(const Scenario& scenario, const VirtualNetwork& network) {
    for (const auto& h : network.hosts()) m_a[dnsKey(h.name)] = h.address;
    for (const auto& d : scenario.dns) {
        const std::string key = dnsKey(d.domain);
        if (!d.mx.empty()) m_mx[key] = d.mx;
        if (!d.a.empty()) {
            if (const VirtualHost* h = network.findHost(d.a)) {
                m_a[key] = h->address;
                m_aliasHost[key] = h->name;
            } else {
                m_a[key] = d.a;  // a literal address
            }
        }
    }
}

std::string DnsService::addressOf(std::string_view name) const {
    auto it = m_a.find(dnsKey(name));
    return it == m_a.end() ? std::string() : it->second;
}

MxAnswer DnsService::resolveMx(std::string_view domainIn, std::string_view asking, trace::Micros now,
                               trace::Trace& trace, trace::EventId cause) const {
    std::string domain = auth::UserDirectory::canonical(domainIn);  // as asked: the trace shows both forms
    const std::string key = dnsKey(domain);
    MxAnswer out;
    using trace::DnsType;
    auto q = query(trace, now, asking, DnsType::MX, domain, cause);
    if (auto it = m_mx.find(key); it != m_mx.end()) {
        std::vector<trace::DnsRecord> records;
        for (const auto& mx : it->second) {
            std::string address = addressOf(mx.host);
            records.push_back({DnsType::MX, mx.preference, mx.host, address});  // no address: skipped
            if (!address.empty()) out.targets.push_back(MxTarget{mx.preference, mx.host, address});
        }
        answer(trace, now, asking, DnsType::MX, domain, std::move(records), false, false, q);
        return out;
    }
    answer(trace, now, asking, DnsType::MX, domain, {}, false, false, q);  // no MX record
    // RFC 5321 5.1: no MX - the domain itself, through its A record, is the implicit MX (preference 0).
    auto qa = query(trace, now, asking, DnsType::A, domain, q);
    std::string address = addressOf(domain);
    if (address.empty()) {
        out.nxdomain = true;
        answer(trace, now, asking, DnsType::A, domain, {}, true, false, qa);
        return out;
    }
    auto alias = m_aliasHost.find(key);
    std::string host = alias != m_aliasHost.end() ? alias->second : domain;
    out.implicit = true;
    out.targets.push_back(MxTarget{0, host, address});
    answer(trace, now, asking, DnsType::A, domain, {{DnsType::A, 0, domain, address}}, false, true, qa);
    return out;
}

}  // namespace mailsim::sim
