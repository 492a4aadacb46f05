#include "sim/world/ServerHost.hpp"

namespace mailsim::sim {

std::unique_ptr<ServerHost> makeServerHost(const HostSpec& h, std::unique_ptr<store::MailStore> store,
                                           std::uint64_t processId) {
    auto server = std::make_unique<ServerHost>();
    server->spec = &h;
    server->store = std::move(store);
    auto& cfg = server->context.config;
    cfg.domain = h.domains.empty() ? h.name : h.domains.front();
    if (h.smtp) {
        cfg.lenient = h.smtp->lenient;
        cfg.maxMessageSize = h.smtp->maxMessageSize;
        cfg.maxRecipients = h.smtp->maxRecipients;
        cfg.acceptConnections = !h.smtp->refuseConnections;
        cfg.smtpUtf8 = h.smtp->smtpUtf8;
        cfg.rules = h.smtp->rules;
        cfg.relayNetworks = h.smtp->relayNetworks;
        cfg.relayDomains = h.smtp->relayDomains;
    }
    if (h.gateway) {
        cfg.gatewayMailbox = h.gateway->mailbox;
        cfg.gatewaySystem = h.gateway->system;
    }
    auth::UserDirectory& dir = server->context.directory;
    for (const auto& d : h.domains) dir.addDomain(d);
    for (const auto& u : h.users) {
        dir.addUser(u.address, u.password, u.displayName);
        if (!u.forwardTo.empty()) dir.setForward(u.address, u.forwardTo);
        if (!u.movedTo.empty()) dir.setMoved(u.address, u.movedTo);
    }
    for (const auto& l : h.lists) dir.addList(l.address, l.members);
    if (h.gateway) dir.addUser(h.gateway->mailbox, "", h.gateway->system);
    server->context.store = server->store.get();
    server->context.transportCompletesStore = true;  // park-and-resume: the Runner or the serve loop completes them
    server->context.hostName = h.name;  // Received: "by" names the host (RFC 5321 4.4)
    server->pop3.config.domain = cfg.domain;
    server->pop3.directory = dir;
    server->pop3.store = server->store.get();
    server->pop3.processId = processId;
    server->imap.config.domain = cfg.domain;
    server->imap.directory = dir;
    server->imap.store = server->store.get();
    // TLS (RFC 3207, 2595, 3501 6.2.1): offered when the host says so; passwords may wait for it.
    cfg.tlsOffered = server->pop3.config.tlsOffered = server->imap.config.tlsOffered = h.tls.starttls;
    cfg.plaintextAuthAllowed = server->pop3.config.plaintextAuthAllowed = server->imap.config.plaintextAuthAllowed =
        h.tls.plaintextAuth;
    return server;
}

}  // namespace mailsim::sim
