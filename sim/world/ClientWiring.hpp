// Wires a sans-I/O client session (SMTP, POP3, IMAP: receive/takeOutput/done/connectionClosed, startTlsPending/
// tlsEstablished) to the client side of a VirtualConnection. One function for every client of the simulator: the
// user agents and scripted clients the World drives, and the MTAs' SMTP clients in the relay (Relay.cpp).
//
// TLS (sim/tls/TlsSession.hpp): with a TlsClientPipe, bytes pass through it once it is active - from the start for
// implicit TLS, or after the client's STARTTLS/STLS was accepted (`startTlsPending`). When the handshake finishes
// the client is told (`tlsEstablished`) and goes on (SMTP: EHLO again, RFC 3207 4.2). A failed handshake (e.g. a
// certificate the client cannot verify) ends the connection: the client treats it as lost.
//
// `finished` (optional) is called when the client is done (its last bytes and the FIN are on their way), when the
// peer closed or reset the connection, or when the TLS handshake failed; it may be called more than once.
#pragma once

#include "sim/net/Scheduler.hpp"
#include "sim/tls/TlsSession.hpp"
#include "sim/net/VirtualNetwork.hpp"

#include <functional>
#include <memory>
#include <string>

namespace mailsim::sim {

template <typename Client>
void wireClient(Scheduler& sched, const std::shared_ptr<VirtualConnection>& conn, const std::shared_ptr<TlsClientPipe>& tls,
                const std::shared_ptr<Client>& client, std::function<void()> finished = {}) {
    auto flush = [&sched, client, conn, tls, finished] {
        std::string out = client->takeOutput();
        std::string wire = tls && tls->active() ? tls->toWire(out, sched.now()) : out;
        if (tls && !tls->active() && client->startTlsPending()) {
            tls->begin(sched.now());  // the STARTTLS reply arrived: the ClientHello follows
            wire += tls->toWire("", sched.now());
        }
        if (!wire.empty()) conn->send(VirtualConnection::Client, wire);
        if (client->done()) {
            if (tls && tls->established()) conn->send(VirtualConnection::Client, tls->close(sched.now()));
            conn->close(VirtualConnection::Client);
            if (finished) finished();
        }
    };
    conn->onReceive(VirtualConnection::Client, [&sched, client, flush, tls, conn, finished](std::string_view bytes) {
        if (tls && tls->active()) {
            std::string plain = tls->fromWire(bytes, sched.now());
            if (tls->failed()) {
                client->connectionClosed(sched.now());
                conn->close(VirtualConnection::Client);
                if (finished) finished();
                return;
            }
            if (tls->justEstablished()) client->tlsEstablished(sched.now());
            if (!plain.empty()) client->receive(plain, sched.now());
        } else {
            client->receive(bytes, sched.now());
        }
        flush();
    });
    if (tls && tls->active()) conn->send(VirtualConnection::Client, tls->toWire("", sched.now()));  // implicit: ClientHello
    conn->onClose(VirtualConnection::Client, [&sched, client, conn, finished] {
        client->connectionClosed(sched.now());
        conn->close(VirtualConnection::Client);
        if (finished) finished();
    });
}

}  // namespace mailsim::sim
