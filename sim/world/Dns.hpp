// The simulator's DNS: A records (every host's name and address, plus `a:` entries) and MX records (RFC 5321 5.1).
//
// Contract
// - `resolveMx(domain)` answers what a sending MTA needs: the mail exchangers of a domain in the order to try them
//   (lowest preference first; equal preferences keep the scenario's order - deterministic, where real resolvers
//   would shuffle). With no MX record but an A record for the domain itself, the domain is its own exchanger (the
//   "implicit MX", RFC 5321 5.1). A name with neither is NXDOMAIN (empty answer, `nxdomain` set).
// - Every query and every answer is recorded in the trace (DnsQuery, DnsAnswer with the query as cause), naming the
//   host that asked; the fallback to A shows as a second query.
// - An MX target without an A record is skipped (noted in the answer), as RFC 5321 5.1 lets a client do.
#pragma once

#include "sim/scenario/Scenario.hpp"

#include <map>
#include <string>
#include <vector>

namespace mailsim::sim {

struct MxTarget {
    int preference = 0;
    std::string host;     // host name
    std::string address;  // its A record
};

struct MxAnswer {
    std::vector<MxTarget> targets;
    bool nxdomain = false;
    bool implicit = false;  // no MX: the domain's own A record
};

class DnsService {
public:
    DnsService(const Scenario& scenario, const VirtualNetwork& network);

    MxAnswer resolveMx(std::string_view domain, std::string_view askingHost, trace::Micros now, trace::Trace& trace,
                       trace::EventId cause = trace::kNoCause) const;
    // The A record of `name`; "" when there is none (no trace: the caller records what it asks).
    std::string addressOf(std::string_view name) const;

private:
    std::map<std::string, std::string, std::less<>> m_a;  // name -> address
    std::map<std::string, std::vector<MxRecord>, std::less<>> m_mx;
    std::map<std::string, std::string, std::less<>> m_aliasHost;  // `a:` entries naming a host: name -> host
};

}  // namespace mailsim::sim
