// The scenario runner: builds the virtual world from a loaded Scenario and executes its steps headless.
//
// Theory of operation
// - Each host with an smtp and/or pop3 service gets one in-memory store and one context per protocol (its domains,
//   users and lists) over that store, so mail delivered by SMTP is what POP3 serves.
// - Steps run one after the other; each runs until the scheduler is idle (every byte delivered, every reply
//   read), so a step never overlaps the next. Virtual time only moves through the scheduler.
// - A session step opens a VirtualConnection from the client host to the server host. The server side is the
//   engine's SMTP or POP3 server session (through the ServerSession adapter); the client side is a ScriptedClient that types the script's lines exactly as
//   written, as a student in a telnet lab would: no dot-stuffing, no waiting for a reply to content lines between
//   354 and the final ".". The server records every line it receives and sends, so the trace shows the
//   dialogue as the server saw it; the client records expectation results and its own state machine, followed
//   through the client's transition table from what it types and reads (ScriptedStates.hpp).
// - A line with `expect` is checked against the complete reply (all lines of a multi-line reply). A line the
//   server never answers is reported once the world is idle ("no reply"); a reply after which the server
//   closed fails the expectations that were still waiting. In a POP3 session the client reads +OK/-ERR status lines,
//   and the multi-line answers of LIST/UIDL without argument, RETR, TOP and CAPA up to their "." line. In an IMAP
//   session a line's reply is everything up to the tagged completion with the line's tag (RFC 3501 2.2.2: untagged
//   data, then "tag OK|NO|BAD"), or a "+" continuation (a synchronising literal, AUTHENTICATE, IDLE); a line sent
//   after a continuation (the literal, the SASL response, DONE) belongs to the command that asked for it.
// - Relay (Relay.hpp): every SMTP host has an MTA queue; its server hands mail for other domains to it, and the
//   RelayNetwork delivers hop by hop through DNS/MX over the same virtual connections. Retries are background
//   timers: a step runs until no foreground work is left, a `wait` step lets virtual time pass (Scheduler::runUntil)
//   so queued retries happen, and a `fault` step breaks a host or a link at the current virtual time.
// - mua steps run the engine's own clients: `send` the SMTP client, `pop3-fetch` the POP3 client, `imap-*` the IMAP
//   client. The SMTP and POP3 clients record only their state machines (`clientStates`: trace::Recorder::Scope::
//   States), since the server records the dialogue; the IMAP client records nothing yet (no client table). Keep
//   mode's memory of seen unique ids lives in the World, per (client host, user, server), so it persists across
//   steps of a run.
// - TLS (TlsSession.hpp): a host with `tls: { starttls: true }` or an implicit TLS port wraps its server sessions in
//   the TLS decorator; the client side gets a TlsClientPipe, begun at once on an implicit TLS port (smtps/pop3s/imaps)
//   or when the client's STARTTLS/STLS was accepted. Certificates come from the classroom CA (opened on first use).
// - Files: RunnerWorld.hpp declares the World; ScriptedSession.cpp holds the raw scripted sessions (ScriptedStates.*
//   their client's state machine); ServerHost.cpp configures a host's protocol contexts from its HostSpec.
#include "sim/world/RunnerWorld.hpp"
#include "sim/world/ClientWiring.hpp"

#include "auth/UserDirectory.hpp"
#include "message/Codecs.hpp"
#include "message/MimeBuilder.hpp"
#include "imap/ImapClientSession.hpp"
#include "imap/ImapSyntax.hpp"
#include "pop3/Pop3ClientSession.hpp"
#include "pop3/Pop3Syntax.hpp"
#include "smtp/SmtpClientSession.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "util/DateTime.hpp"
#include "smtp/SmtpSyntax.hpp"
#include "trace/Errors.hpp"
#include "trace/Notes.hpp"
#include "trace/Render.hpp"
#include "store/MemoryStore.hpp"

#include <algorithm>
#include <expected>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

namespace mailsim::sim {
namespace detail {

// A scenario's recipient outcome as the trace names it (a 2xx is "accepted": the server took it, issue #14).
trace::Outcome outcomeOf(RecipientOutcome o) {
    return o == RecipientOutcome::Delivered ? trace::Outcome::Accepted
           : o == RecipientOutcome::Refused ? trace::Outcome::Refused
                                            : trace::Outcome::Deferred;
}

ExpectationPlace where(const Scenario& sc, std::size_t stepIndex, const SourcePos& pos, ExpectationPlace::Part part,
                       std::size_t number, std::string action) {
    return {.step = stepIndex, .part = part, .number = number, .action = std::move(action), .file = sc.file,
            .line = pos.line, .column = pos.column};
}


World::Opened World::open(const ConnectionSpec& spec) {
    const VirtualHost& client = *m_net.findHost(spec.from);
    const VirtualHost& serverHost = *m_net.findHost(spec.to);
    ServerHost& server = *m_servers.at(spec.to);
    int clientPort = m_net.nextEphemeralPort();
    trace::Recorder scenarioRec(&m_trace, trace::kNoSession);
    if (!spec.viaMx.empty())
        scenarioRec.explain(now(), {.id = trace::NoteId::DnsMx, .names = {spec.viaMx, spec.to, serverHost.address}});
    trace::SessionId sid = m_trace.openSession(spec.protocol, spec.from, fmt::format("{}:{}", spec.to, spec.port), now());
    m_trace.setEndpoints(sid, {client.address, clientPort}, {serverHost.address, spec.port});
    trace::Recorder rec(&m_trace, sid);
    rec.connectionOpened(now(), {.client = client.name, .clientEndpoint = {client.address, clientPort},
                                 .server = serverHost.name, .serverEndpoint = {serverHost.address, spec.port}});

    auto conn = m_net.connect(spec.from, spec.to);
    const trace::Micros latency = conn->link().latency;
    if (conn->link().segmentLoss > 0)
        conn->onLoss([this, rec, rto = conn->link().rto, client = client.name, server = serverHost.name](VirtualConnection::Side from, std::size_t bytes,
                                                                                int losses, trace::Micros) mutable {
            const bool fromClient = from == VirtualConnection::Client;
            // The catalogue adds the doubled timeouts of a segment lost again (RFC 6298 5.5).
            rec.explain(now(), {.id = trace::NoteId::SegmentLost,
                                .names = {fromClient ? client : server, fromClient ? server : client},
                                .numbers = {static_cast<std::uint64_t>(losses), bytes, static_cast<std::uint64_t>(rto)}});
        });
    // A fault (host or link down, a lost attempt) stops user agents and scripted clients too, not only MTAs: the
    // attempt times out after kConnectTimeout and the client sees the connection fail.
    if (Unreachable why = m_relay ? m_relay->unreachable(spec.from, spec.to) : Unreachable{}; why) {
        // The sandbox's own account of it is English; the trace keeps the facts (a script's expectations read them).
        m_connectFailures[sid] = trace::connectFailureText(why.failure, why.host, why.detail, i18n::Lang::En);
        m_sched.after(kConnectTimeout, [this, conn, rec, why]() mutable {
            rec.connectFailed(now(), why.failure, why.host, why.detail);
            conn->close(VirtualConnection::Server);
        });
        return Opened{conn, sid, nullptr};
    }
    const bool submission = server.spec->smtp && (spec.port == server.spec->smtp->submissionPort ||
                                                  spec.port == server.spec->smtp->tlsPort);  // RFC 8314: 465 is submission
    std::unique_ptr<ServerSession> plain =
        spec.protocol == "pop3"   ? makePop3ServerSession(server.pop3, rec)
        : spec.protocol == "imap" ? makeImapServerSession(server.imap, rec)
                                  : makeSmtpServerSession(server.context,
                                                          smtp::PeerInfo{client.name, client.address, submission}, rec);
    std::shared_ptr<TlsClientPipe> clientPipe;
    if (spec.implicitTls || server.spec->tls.starttls) {
        auto serverContext = serverTls(*server.spec);
        auto clientContext = clientTls();
        if (!serverContext || !clientContext) {
            rec.error(now(), {.id = trace::ErrorId::TlsUnavailable,
                              .detail = serverContext ? clientContext.error() : serverContext.error()});
            m_connectFailures[sid] = "TLS is not available";
            m_sched.after(latency, [this, conn, rec]() mutable {
                rec.connectionClosed(now(), trace::CloseReason::TlsUnavailable);
                conn->close(VirtualConnection::Server);
            });
            return Opened{conn, sid, nullptr};
        }
        plain = makeTlsServerSession(std::move(plain), *serverContext, spec.implicitTls, false, rec);
        // (each side records the TLS records it sends, so every record is in the trace once)
        clientPipe = std::make_shared<TlsClientPipe>(*clientContext, serverHost.name, rec);
        if (spec.implicitTls) clientPipe->begin(now());
    }
    std::shared_ptr<ServerSession> session = std::move(plain);
    if (m_relay) m_relay->track(spec.from, spec.to, conn);
    auto closedRecorded = std::make_shared<bool>(false);
    auto recordClose = [this, rec, closedRecorded](trace::CloseReason why) mutable {
        if (*closedRecorded) return;
        *closedRecorded = true;
        rec.connectionClosed(now(), why);
    };
    // Server side: bytes in -> session -> bytes out; after 221/421 the server closes.
    auto flush = [this, conn, session, recordClose]() mutable {
        if (session->hasOutput()) conn->send(VirtualConnection::Server, session->takeOutput());
        if (session->closed() && !conn->closedBy(VirtualConnection::Server)) {
            recordClose(trace::CloseReason::ServerClosed);
            conn->close(VirtualConnection::Server);
        }
    };
    conn->onReceive(VirtualConnection::Server, [this, session, flush, store = server.context.store](std::string_view bytes) mutable {
        session->receive(bytes, now());
        // Park-and-resume: the simulated store completes a request at once (no simulated disk time).
        if (store) completeStoreRequestsNow(*session, *store, now());
        flush();
    });
    conn->onClose(VirtualConnection::Server, [this, conn, session, recordClose]() mutable {
        session->connectionLost(now());  // POP3: no UPDATE, the maildrop lock is released
        recordClose(trace::CloseReason::ClientClosed);
        conn->close(VirtualConnection::Server);
    });
    // The TCP handshake takes one round trip; the server greets when the connection is established.
    m_sched.after(latency, [this, session, flush]() mutable {
        session->start(now());
        flush();
    });
    return Opened{conn, sid, clientPipe};
}

std::expected<TlsContext, std::string> World::clientTls() {
    if (m_clientTls) return *m_clientTls;
    if (!m_ca) m_ca = ClassroomCa::open(ClassroomCa::defaultDirectory());
    if (!*m_ca) return std::unexpected(caErrorFacts(m_ca->error()));  // the trace's detail: data, no language
    auto context = TlsContext::client((*m_ca)->certificatePem(), false, ((*m_ca)->directory() / "ca.pem").string());
    if (!context) return std::unexpected(tlsContextErrorFacts(context.error()));  // the trace's detail: data
    m_clientTls = *context;
    return *context;
}

std::expected<TlsContext, std::string> World::serverTls(const HostSpec& host) {
    if (auto it = m_serverTls.find(host.name); it != m_serverTls.end()) return it->second;
    if (!m_ca) m_ca = ClassroomCa::open(ClassroomCa::defaultDirectory());
    if (!*m_ca) return std::unexpected(caErrorFacts(m_ca->error()));
    // The certificate names the host, its mail domains and its address, so a client may use any of them.
    std::vector<std::string> names = host.domains;
    if (const VirtualHost* vh = m_net.findHost(host.name)) names.push_back(vh->address);
    auto key = (*m_ca)->hostCertificate(host.name, names);
    if (!key) return std::unexpected(caErrorFacts(key.error()));
    auto context = TlsContext::server(*key);
    if (!context) return std::unexpected(tlsContextErrorFacts(context.error()));
    m_serverTls.emplace(host.name, *context);
    return *context;
}

// Wires a sans-I/O client session (SMTP, POP3, ...) to the client side of `opened` (with its TLS pipe: see
// ClientWiring.hpp, shared with the relay's MTAs), runs the world until it is idle, then unwires it.
template <typename Client>
void World::drive(const Opened& opened, const std::shared_ptr<Client>& client) {
    wireClient(m_sched, opened.conn, opened.tls, client);
    m_sched.runUntilIdle();
    close(opened);
}

void World::reportProblem(const Opened& opened, const std::optional<trace::ErrorReport>& problem) {
    if (!problem) return;
    trace::Recorder(&m_trace, opened.session).error(now(), *problem, lastReply(opened.session));
}

void World::close(const Opened& opened) {
    // Break the reference cycles between the connection's handlers and their owners.
    for (auto side : {VirtualConnection::Server, VirtualConnection::Client}) {
        opened.conn->onReceive(side, nullptr);
        opened.conn->onClose(side, nullptr);
    }
}


namespace {

// What became of a recipient the server accepted (2xx), as the trace knows it after the step: delivered to a local
// mailbox (a StoreChanged "<recipient> <folder> uid N appended" in the session), or queued for relay and then
// relayed, deferred or bounced (the server's QueueAction events since `since`). A 2xx alone is "accepted", never
// "delivered": the mail may still wait in a queue while the destination is down (issue #14).
trace::Fate fateOf(const trace::Trace& tr, trace::SessionId session, trace::EventId since, const std::string& server,
                   const std::string& recipient) {
    using trace::Fate;
    for (trace::EventId id = since; id < tr.size(); ++id) {
        const trace::Event& e = tr.at(id);
        if (e.kind != trace::EventKind::StoreChanged || e.session != session) continue;
        if (const auto* c = e.as<trace::StoreChange>(); c && c->action == trace::StoreAction::Appended &&
                                                        auth::UserDirectory::canonical(c->user) ==
                                                            auth::UserDirectory::canonical(recipient))
            return Fate::Mailbox;
    }
    Fate fate = Fate::None;
    for (trace::EventId id = since; id < tr.size(); ++id) {
        const trace::Event& e = tr.at(id);
        const auto* q = e.kind == trace::EventKind::QueueAction ? e.as<trace::QueueAction>() : nullptr;
        if (!q || q->host != server) continue;
        const bool forRecipient = std::ranges::find(q->recipients, recipient) != q->recipients.end();
        if (q->action == trace::QueueOp::Enqueued && fate == Fate::None) fate = Fate::Queued;
        else if (q->action == trace::QueueOp::Deferred) fate = Fate::QueuedDeferred;
        else if (q->action == trace::QueueOp::Delivered && forRecipient) fate = Fate::Relayed;
        else if (q->action == trace::QueueOp::Bounced && forRecipient) fate = Fate::Bounced;
    }
    return fate == Fate::None ? Fate::Accepted : fate;
}

}  // namespace

void World::runStep(std::size_t index, const Step& step, const MuaSendStep& mua) {
    const trace::EventId since = m_trace.size();
    std::vector<smtp::OutgoingMessage> messages;
    for (const auto& mail : mua.messages) {
        smtp::OutgoingMessage out;
        out.reversePath = mua.sender;
        out.recipients = mail.to;
        out.recipients.insert(out.recipients.end(), mail.cc.begin(), mail.cc.end());
        out.content = composeMessage(mua.sender, mail, ++m_messageCounter);
        messages.push_back(std::move(out));
    }
    Opened opened = open(mua);
    smtp::SmtpClientConfig config;
    config.heloName = mua.from;
    config.user = mua.user;
    config.password = mua.password;
    config.authMechanism = mua.authMechanism;
    config.tls = mua.implicitTls ? util::ClientTls::Implicit : mua.tls;
    // The server records the dialogue; the client records only its own state machine, so each line appears once.
    auto client = std::make_shared<smtp::SmtpClientSession>(config, std::move(messages), clientStates(opened));
    drive(opened, client);

    trace::Recorder rec(&m_trace, opened.session);
    const auto& results = client->results();
    for (std::size_t i = 0; i < mua.messages.size() && i < results.size(); ++i) {
        const MailSpec& mail = mua.messages[i];
        trace::Explanation result{.id = trace::NoteId::UaSent, .names = {mail.subject}, .numbers = {i + 1}};
        for (const auto& r : results[i].recipients) {
            RecipientOutcome got = r.status == smtp::DeliveryStatus::Delivered  ? RecipientOutcome::Delivered
                                   : r.status == smtp::DeliveryStatus::PermFailed ? RecipientOutcome::Refused
                                                                                   : RecipientOutcome::Deferred;
            trace::NoteItem item{.name = r.recipient,
                                 .outcome = outcomeOf(got),
                                 .code = r.code,
                                 .text = r.reason != trace::ClientReason::None ? r.detail : r.reply,
                                 .reason = r.reason};
            if (got == RecipientOutcome::Delivered) {
                item.fate = fateOf(m_trace, opened.session, since, mua.to, auth::UserDirectory::canonical(r.recipient));
                item.host = mua.to;
            }
            std::string who = auth::UserDirectory::canonical(r.recipient);
            for (const auto& [expectedWho, expected] : mail.expect)
                if (expectedWho == who)
                    expectation(opened.session,
                                {.kind = trace::ExpectKind::Recipient, .name = who, .outcome = outcomeOf(expected),
                                 .recipient = {item}},
                                expected == got, trace::kNoCause,
                                where(m_sc, index, mail.pos, ExpectationPlace::Part::Message, i + 1));
            result.items.push_back(std::move(item));
        }
        rec.explain(now(), std::move(result));
    }
    (void)step;
}

void World::runStep(std::size_t index, const Step& step, const MuaFetchStep& fetch) {
    auto key = std::make_tuple(fetch.from, fetch.user, fetch.to);
    pop3::Pop3ClientConfig config;
    config.user = fetch.user;
    config.password = fetch.password;
    config.login = fetch.auth == FetchAuth::Apop ? pop3::LoginMethod::Apop : pop3::LoginMethod::UserPass;
    config.mode = fetch.mode == FetchMode::Keep ? pop3::FetchMode::Keep : pop3::FetchMode::Delete;
    config.knownUids = m_seenUids[key];
    config.tls = fetch.implicitTls ? util::ClientTls::Implicit : fetch.tls;
    Opened opened = open(fetch);
    // The server records the dialogue; the client records only its own state machine, so each line appears once.
    auto client = std::make_shared<pop3::Pop3ClientSession>(std::move(config), clientStates(opened));
    drive(opened, client);

    if (fetch.mode == FetchMode::Keep) m_seenUids[key] = client->knownUids();
    const bool keep = fetch.mode == FetchMode::Keep;
    trace::Explanation summary{
        .id = keep                     ? trace::NoteId::UaFetchedKeep
              : client->quitAccepted() ? trace::NoteId::UaFetchedDeleted
                                       : trace::NoteId::UaFetchedNotDeleted,
        .numbers = {client->fetched().size(), static_cast<std::uint64_t>(client->bytesFetched()),
                    keep ? client->knownUids().size() : static_cast<std::uint64_t>(client->deleted())}};
    reportProblem(opened, client->problem());
    trace::Recorder rec(&m_trace, opened.session);
    rec.explain(now(), std::move(summary));
    if (fetch.expectFetched)
        expectation(opened.session,
                    {.kind = trace::ExpectKind::Fetched, .count = *fetch.expectFetched,
                     .gotCount = client->fetched().size(),
                     .problem = client->problem() ? std::vector<trace::ErrorReport>{*client->problem()}
                                                  : std::vector<trace::ErrorReport>{}},
                    *fetch.expectFetched == client->fetched().size() && client->ok(), trace::kNoCause,
                    where(m_sc, index, fetch.expectPos.line ? fetch.expectPos : step.pos, ExpectationPlace::Part::Action, 0,
                          "pop3-fetch"));
}

namespace {

std::string joinFlags(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& f : v) out += (out.empty() ? "" : " ") + f;
    return out;
}

// The IMAP user agent's configuration for a step (the disconnected cache of `imap-sync` is the caller's).
imap::ImapClientConfig imapClientConfig(const MuaImapStep& mua) {
    imap::ImapClientConfig config;
    config.user = mua.user;
    config.password = mua.password;
    config.mailbox = mua.mailbox;
    config.open = mua.open;
    config.searchField = mua.field;
    config.searchText = mua.text;
    config.target = mua.target;
    config.uids = mua.uids;
    config.folder = mua.folder;
    config.tls = mua.implicitTls ? util::ClientTls::Implicit : mua.tls;
    config.addFlags = joinFlags(mua.addFlags);
    config.removeFlags = joinFlags(mua.removeFlags);
    static const std::map<std::string, imap::ImapTask> tasks{
        {"imap-summary", imap::ImapTask::Summary},     {"imap-search", imap::ImapTask::Search},
        {"imap-move", imap::ImapTask::Move},           {"imap-sync", imap::ImapTask::Sync},
        {"imap-flag", imap::ImapTask::Flag},           {"imap-create", imap::ImapTask::CreateFolder},
        {"imap-rename", imap::ImapTask::RenameFolder}, {"imap-delete", imap::ImapTask::DeleteFolder}};
    config.task = tasks.at(mua.action);
    return config;
}

// What the IMAP user agent's step did: its note, and the counts its `expect:` keys compare (`got`).
trace::Explanation imapSummary(const MuaImapStep& mua, const imap::ImapClientSession& session,
                               std::map<std::string, std::size_t>& got) {
    using U = std::uint64_t;
    trace::Explanation summary;
    if (mua.action == "imap-summary") {
        std::uint64_t listedOctets = 0;
        for (const auto& e : session.summaries()) listedOctets += e.size;
        got["listed"] = session.summaries().size();
        got["opened"] = session.bodies().size();
        summary = {.id = trace::NoteId::UaImapListed,
                   .numbers = {got["listed"], listedOctets, got["opened"], session.bytesReceived()}};
    } else if (mua.action == "imap-search" || mua.action == "imap-move") {
        got["found"] = session.found().size();
        got["moved"] = session.moved();
        summary = mua.action == "imap-move"
                      ? trace::Explanation{.id = trace::NoteId::UaImapMoved, .names = {mua.field, mua.text, mua.target},
                                           .numbers = {got["found"], got["moved"]}}
                      : trace::Explanation{.id = trace::NoteId::UaImapFound, .names = {mua.field, mua.text},
                                           .numbers = {got["found"]}};
    } else if (mua.action == "imap-flag") {
        got["found"] = session.found().size();
        got["flagged"] = session.flagged().size();
        summary = {.id = trace::NoteId::UaImapFlagged,
                   .names = {joinFlags(mua.addFlags), joinFlags(mua.removeFlags), mua.field, mua.text},
                   .numbers = {got["flagged"], got["found"], mua.uids.empty() ? U{1} : U{0}}};
        for (const auto& [uid, flags] : session.flagged())
            summary.items.push_back({.number = static_cast<U>(uid), .text = flags});
    } else if (mua.action == "imap-create" || mua.action == "imap-rename" || mua.action == "imap-delete") {
        got["ok"] = session.ok() ? 1 : 0;
        summary = {.id = mua.action == "imap-create"   ? trace::NoteId::UaImapCreate
                         : mua.action == "imap-delete" ? trace::NoteId::UaImapDelete
                                                       : trace::NoteId::UaImapRename,
                   .names = {mua.folder, mua.target},
                   .numbers = {got["ok"]}};
    } else {
        const auto& r = session.syncReport();
        got["new"] = r.fetchedNew;
        got["vanished"] = r.vanished;
        got["changed"] = r.flagsChanged;
        got["uploaded"] = r.uploaded;
        summary = {.id = trace::NoteId::UaImapResync,
                   .numbers = {static_cast<U>(r.fetchedNew), static_cast<U>(r.vanished), static_cast<U>(r.flagsChanged),
                               static_cast<U>(r.uploaded), session.cache().flags.size(),
                               static_cast<U>(session.cache().uidValidity), static_cast<U>(session.cache().uidNext),
                               r.cacheInvalidated ? U{1} : U{0}}};
    }
    return summary;
}

}  // namespace

void World::runStep(std::size_t index, const Step& step, const MuaImapStep& mua) {
    auto key = std::make_tuple(mua.from, mua.user, mua.to, mua.mailbox);
    imap::ImapClientConfig config = imapClientConfig(mua);
    if (config.task == imap::ImapTask::Sync) {
        config.cache = m_imapCaches[key];
        for (auto uid : mua.flagOffline) config.cache.pending[uid] = "+FLAGS (\\Flagged)";
    }
    Opened opened = open(mua);
    // The server records the dialogue; the client records only its own state machine, so each line appears once.
    auto client = std::make_shared<imap::ImapClientSession>(std::move(config), clientStates(opened));
    drive(opened, client);

    std::map<std::string, std::size_t> got;
    trace::Explanation summary = imapSummary(mua, *client, got);
    if (mua.action == "imap-sync" && client->ok()) m_imapCaches[key] = client->cache();
    reportProblem(opened, client->problem());
    trace::Recorder(&m_trace, opened.session).explain(now(), std::move(summary));
    std::vector<trace::ErrorReport> problems;  // the expectations render it in each language
    if (client->problem()) problems.push_back(*client->problem());
    for (const auto& [name, want] : mua.expect) {
        if (name == "ok") {  // the folder actions: accepted (true) or refused (false) is the expectation itself
            expectation(opened.session,
                        {.kind = trace::ExpectKind::FolderAction, .flag = want != 0, .gotFlag = client->ok(),
                         .problem = problems},
                        got[name] == want, trace::kNoCause,
                        where(m_sc, index, mua.expectPos.line ? mua.expectPos : step.pos, ExpectationPlace::Part::Action, 0,
                              mua.action));
            continue;
        }
        expectation(opened.session,
                    {.kind = trace::ExpectKind::ImapCount, .name = name, .count = want, .gotCount = got[name],
                     .problem = problems},
                    got[name] == want && client->ok(), trace::kNoCause,
                    where(m_sc, index, mua.expectPos.line ? mua.expectPos : step.pos, ExpectationPlace::Part::Action, 0,
                              mua.action));
    }
}

// The message as the user agent writes it (RFC 5322 3.6): From, To, Cc, Subject, Date, Message-ID, then the body.
// Non-ASCII header text becomes RFC 2047 encoded words (the subject, the sender's display name) - except in a
// message whose addresses are UTF-8: it can travel only with SMTPUTF8 anyway, so its header is raw UTF-8 (RFC 6532
// 3.2), as RFC 6530 mail is meant to be. The body:
// - text only: as written; when it is not ASCII it is declared UTF-8 and sent 8bit (RFC 2045, with BODY=8BITMIME
//   when the server offers it), as mail programs do for plain text;
// - with `html` and/or attachments: built with the engine's MIME builder (RFC 2046) - multipart/mixed of the text
//   (multipart/alternative with the HTML when there is some) and one part per attachment with Content-Disposition:
//   attachment and an RFC 2231 filename; text parts travel as 7bit, quoted-printable or base64 as fits them.
std::string World::composeMessage(const std::string& sender, const MailSpec& mail, std::uint64_t number) const {
    auto join = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& a : v) out += (out.empty() ? "" : ", ") + a;
        return out;
    };
    std::string displayName;
    for (const auto& h : m_sc.hosts)
        for (const auto& u : h.users)
            if (u.address == auth::UserDirectory::canonical(sender)) displayName = u.displayName;
    // The loader refused CR/LF in the subject, display names and addresses (header injection); the builder refuses
    // them too, and a refused field is left out rather than written raw. UTF-8 addresses: raw UTF-8 headers (RFC 6532).
    bool eai = !smtp::isAscii(sender) || std::ranges::any_of(mail.to, [](const auto& a) { return !smtp::isAscii(a); }) ||
               std::ranges::any_of(mail.cc, [](const auto& a) { return !smtp::isAscii(a); });
    auto style = eai ? message::HeaderStyle::Utf8 : message::HeaderStyle::EncodedWords;
    std::string out = fmt::format("From: {}\r\n", message::formatMailbox(displayName, sender, 6, style).value_or(sender));
    if (!mail.to.empty()) out += fmt::format("To: {}\r\n", join(mail.to));
    if (!mail.cc.empty()) out += fmt::format("Cc: {}\r\n", join(mail.cc));
    if (auto subject = message::encodeHeaderText(mail.subject, 9, style)) out += fmt::format("Subject: {}\r\n", *subject);
    out += fmt::format("Date: {}\r\n", util::rfc5322Date(now()));
    std::string domain(auth::UserDirectory::domainOf(sender));
    out += fmt::format("Message-ID: <{}.{}@{}>\r\n", now() / 1'000'000, number, domain.empty() ? "localhost" : domain);
    if (mail.attachments.empty() && mail.html.empty()) {
        if (!message::isAscii(mail.body))
            out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n";
        out += "\r\n";
        out += mail.body;
        return out;
    }
    message::MimeEntity text = message::textEntity(mail.body);
    if (!mail.html.empty()) text = message::multipartEntity("alternative", {text, message::textEntity(mail.html, "html")});
    std::vector<message::MimeEntity> parts{std::move(text)};
    for (const auto& a : mail.attachments) parts.push_back(message::attachmentEntity(a.name, a.contentType, a.bytes));
    message::MimeEntity whole = parts.size() == 1 ? std::move(parts.front()) : message::multipartEntity("mixed", parts);
    out += "MIME-Version: 1.0\r\n";
    out += whole.serialize();
    return out;
}

std::string readFile(const std::string& path, bool& ok) {
    auto text = readFileFromDisk(path);  // bounded: a file over kMaxScenarioBytes is refused by the loader
    ok = text.has_value();
    return text.value_or("");
}

}  // namespace detail

using detail::World;
using detail::readFile;

std::string ExpectationPlace::text(i18n::Lang lang) const {
    const bool zh = lang == i18n::Lang::Zh;
    std::string within;
    switch (part) {
    case Part::Step: break;
    case Part::ScriptLine: within = fmt::format(fmt::runtime(zh ? "，脚本第 {} 行" : ", script line {}"), number); break;
    case Part::Message: within = fmt::format(fmt::runtime(zh ? "，第 {} 封邮件" : ", message {}"), number); break;
    case Part::Action: within = (zh ? "，" : ", ") + action; break;
    }
    return fmt::format(fmt::runtime(zh ? "第 {} 步{}（{}:{}:{}）" : "step {}{} ({}:{}:{})"), step + 1, within, file, line,
                       column);
}

std::optional<trace::EventId> findCheckpoint(const trace::Trace& trace, std::string_view name) {
    for (const auto& e : trace.events())
        if (e.kind == trace::EventKind::Note && e.machine == kCheckpointMachine && e.text == name) return e.id;
    return std::nullopt;
}

std::string scenarioTextOf(const RunResult& result, const trace::Event& e, i18n::Lang lang) {
    if (auto it = result.scenarioText.find(e.id); it != result.scenarioText.end() && !it->second.empty())
        return it->second.in(lang);
    if (e.as<trace::Explanation>()) return trace::describe(e, lang);  // the engine's explanation, from the catalogue
    return e.text;
}

std::expected<RunResult, std::vector<Diagnostic>> runScenarioText(const std::string& yaml, const std::string& name,
                                                                   const RunOptions& options) {
    auto sc = loadScenario(yaml, name);
    if (!sc) return std::unexpected(std::move(sc.error()));
    RunResult result;
    result.title = sc->title;
    result.description = sc->description;
    result.lesson = sc->lesson;
    result.includes = sc->includes;
    World world(*sc, options, result);
    world.run();
    return result;
}

std::expected<RunResult, std::vector<Diagnostic>> runScenarioFile(const std::string& path, const RunOptions& options) {
    bool ok = false;
    std::string text = readFile(path, ok);
    if (!ok)
        return std::unexpected(std::vector<Diagnostic>{Diagnostic{path, 0, 0, DiagnosticId::CannotReadFileExists, {}}});
    auto result = runScenarioText(text, path, options);
    if (result) result->file = path;
    return result;
}

}  // namespace mailsim::sim
