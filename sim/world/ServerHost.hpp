// A scenario host's mail services: one context per protocol over one store, configured from its HostSpec. Shared by
// the simulator (RunnerWorld.hpp, over a MemoryStore) and anything else that serves a scenario's hosts.
#pragma once

#include "sim/scenario/Scenario.hpp"

#include "imap/ImapServerSession.hpp"
#include "pop3/Pop3ServerSession.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "store/MailStore.hpp"

#include <cstdint>
#include <memory>

namespace mailsim::sim {

struct ServerHost {
    const HostSpec* spec = nullptr;
    smtp::SmtpServerContext context;
    pop3::Pop3ServerContext pop3;
    imap::ImapServerContext imap;
    std::unique_ptr<store::MailStore> store;
};

// The host's domains, users, lists, SMTP settings, gateway and TLS policy, over `store` (mail delivered by SMTP is
// what POP3 and IMAP serve). `processId` is RFC 1939 7's "pid" in the APOP timestamp (fixed in the simulator, so
// runs are reproducible). The relay handler is left to the caller.
std::unique_ptr<ServerHost> makeServerHost(const HostSpec& h, std::unique_ptr<store::MailStore> store,
                                           std::uint64_t processId);

}  // namespace mailsim::sim
