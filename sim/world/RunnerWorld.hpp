// The runner's world (internal to sim/): the virtual network, the server hosts and the scheduler of one scenario
// run, shared by Runner.cpp (user-agent steps, connections, the run API) and ScriptedSession.cpp (raw sessions).
// See Runner.cpp for the theory of operation.
#pragma once

#include "sim/world/Api.hpp"
#include "sim/world/Relay.hpp"
#include "sim/scenario/Scenario.hpp"
#include "sim/world/ServerHost.hpp"
#include "sim/tls/ServerSessions.hpp"
#include "sim/tls/Tls.hpp"
#include "sim/tls/TlsSession.hpp"

#include "imap/ImapClientSession.hpp"
#include "store/MemoryStore.hpp"
#include "trace/Expectations.hpp"
#include "trace/Trace.hpp"

#include <expected>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>

namespace mailsim::sim::detail {

using trace::Direction;
using trace::EventId;
using trace::EventKind;

ExpectationPlace where(const Scenario& sc, std::size_t stepIndex, const SourcePos& pos,
                       ExpectationPlace::Part part = ExpectationPlace::Part::Step, std::size_t number = 0,
                       std::string action = {});

// The store error a scenario's `store: { fault: ... }` injects.
inline store::StoreErrc storeErrc(StoreFault fault) {
    switch (fault) {
    case StoreFault::Full: return store::StoreErrc::NoSpace;
    case StoreFault::Busy: return store::StoreErrc::Busy;
    case StoreFault::Error: return store::StoreErrc::Io;
    }
    return store::StoreErrc::Io;
}

class World {
public:
    World(const Scenario& sc, const RunOptions& options, RunResult& result)
        : m_sc(sc), m_result(result), m_trace(result.trace),
          m_sched(sc.start, options.seedOverride ? options.seedOverride : sc.seed), m_net(m_sched) {
        m_net.setLink(sc.link);
        m_net.setLinks(sc.links);
        for (const auto& h : sc.hosts) {
            m_net.addHost(h.name, h.address);
            if (!h.smtp && !h.pop3 && !h.imap) continue;
            auto mailboxes = std::make_unique<store::MemoryStore>();
            if (h.storeFault) mailboxes->injectDeliveryFault(storeErrc(h.storeFault->fault), h.storeFault->after);
            m_servers.emplace(h.name, makeServerHost(h, std::move(mailboxes), 1));
        }
        RelayHooks hooks;
        hooks.open = [this](const ConnectionSpec& spec) {
            Opened o = open(spec);
            return RelayConnection{o.conn, o.session, o.tls};
        };
        hooks.close = [this](const RelayConnection& rc) { close(Opened{rc.conn, rc.session, nullptr}); };
        hooks.context = [this](const std::string& host) -> smtp::SmtpServerContext* {
            auto it = m_servers.find(host);
            return it == m_servers.end() || !it->second->spec->smtp ? nullptr : &it->second->context;
        };
        m_relay = std::make_unique<RelayNetwork>(sc, m_sched, m_net, m_trace, std::move(hooks));
        for (auto& [name, server] : m_servers)
            if (server->spec->smtp) server->context.relay = m_relay->handlerFor(*server->spec);
    }

    void run() {
        for (std::size_t i = 0; i < m_sc.steps.size(); ++i) {
            const Step& step = m_sc.steps[i];
            std::visit([&](const auto& s) { runStep(i, step, s); }, step.what);
            m_sched.runUntilIdle();
        }
    }

    trace::Micros now() const { return m_sched.now(); }

private:
    void runStep(std::size_t index, const Step&, const NoteStep& note) {
        const trace::EventId id =
            trace::Recorder(&m_trace, trace::kNoSession).narration(now(), index, note.text.en, note.text.zh);
        m_result.scenarioText.emplace(id, note.text);
    }

    void runStep(std::size_t, const Step&, const CheckpointStep& checkpoint) {
        trace::Event e;
        e.time = now();
        e.kind = trace::EventKind::Note;
        e.machine = std::string(kCheckpointMachine);
        e.text = checkpoint.name;
        const trace::EventId id = m_trace.append(std::move(e));
        if (!checkpoint.label.empty()) m_result.scenarioText.emplace(id, checkpoint.label);
    }

    void runStep(std::size_t, const Step&, const WaitStep& wait) {
        // Virtual time passes: queue retries and repairs due in the meantime happen now, in time order.
        m_sched.runUntil(now() + wait.duration);
    }

    void runStep(std::size_t, const Step&, const FaultStep& fault) { m_relay->injectFault(fault); }

    void runStep(std::size_t index, const Step& step, const CheckStep& check) {
        const ServerHost* host = nullptr;
        for (const auto& [name, s] : m_servers)
            if (s->context.directory.findUser(check.mailbox)) host = s.get();
        auto messages = host ? host->store->list(check.mailbox, check.folder) : std::vector<store::MessageInfo>{};
        trace::ExpectationCheck c{.kind = trace::ExpectKind::Mailbox, .contains = check.contains, .name = check.mailbox,
                                  .folder = check.folder, .gotCount = messages.size()};
        if (check.count) c.count = *check.count;
        bool ok = !check.count || *check.count == messages.size();
        if (!check.contains.empty()) {
            for (const auto& m : messages)
                if (auto bytes = host->store->read(check.mailbox, check.folder, m.uid);
                    bytes && bytes->find(check.contains) != std::string::npos)
                    c.gotFlag = true;
            ok = ok && c.gotFlag;
        }
        expectation(trace::kNoSession, std::move(c), ok, trace::kNoCause, where(m_sc, index, step.pos));
    }

    void runStep(std::size_t index, const Step& step, const SessionStep& sess);
    void runStep(std::size_t index, const Step& step, const MuaSendStep& mua);
    void runStep(std::size_t index, const Step& step, const MuaFetchStep& fetch);
    void runStep(std::size_t index, const Step& step, const MuaImapStep& imap);

public:
    // A connection from a client host to a server host's SMTP service, traced as a new session. The server side
    // is wired and its greeting scheduled; the caller wires the client side before running the scheduler.
    // (Public for the sandbox, which types into such a connection line by line.)
    struct Opened {
        std::shared_ptr<VirtualConnection> conn;
        trace::SessionId session;
        std::shared_ptr<TlsClientPipe> tls;  // the client's TLS, when the server host has TLS (begun for implicit TLS)
    };
    // The host's TLS server context and the clients' context (trusting the classroom CA), made on first use; an
    // error says why TLS is unavailable (the connection then fails).
    std::expected<TlsContext, std::string> serverTls(const HostSpec& host);
    std::expected<TlsContext, std::string> clientTls();
    Opened open(const ConnectionSpec& spec);
    void close(const Opened& opened);

    // The recorder of a client session on `opened` (a user agent, a scripted session): its state machine only, since
    // the server records the dialogue into the same trace (trace::Recorder::Scope::States).
    trace::Recorder clientStates(const Opened& opened) {
        return trace::Recorder(&m_trace, opened.session, trace::Recorder::Scope::States);
    }

private:
    template <typename Client>
    void drive(const Opened& opened, const std::shared_ptr<Client>& client);
    // A user agent's problem (its session's typed report, none when it succeeded): recorded as an Error event of the
    // session, since the agent's own recorder keeps only its states (the catalogue renders it in the reader's
    // language). The expectations carry the same typed report.
    void reportProblem(const Opened& opened, const std::optional<trace::ErrorReport>& problem);
    std::string composeMessage(const std::string& sender, const MailSpec& mail, std::uint64_t number) const;
    std::uint64_t m_messageCounter = 0;
    // Keep mode: the unique ids each user agent has seen, per (client host, user, server).
    std::map<std::tuple<std::string, std::string, std::string>, std::set<std::string>> m_seenUids;
    // Disconnected IMAP: each user agent's cache, per (client host, user, server, mailbox).
    std::map<std::tuple<std::string, std::string, std::string, std::string>, imap::ImapCache> m_imapCaches;

public:
    // Records an Expectation event: the typed facts (rendered per language by trace/Expectations.hpp) and their
    // English as the event's text and detail.
    void expectation(trace::SessionId session, trace::ExpectationCheck check, bool ok, EventId cause,
                     ExpectationPlace place) {
        trace::Event e;
        e.time = now();
        e.session = session;
        e.kind = EventKind::Expectation;
        e.cause = cause;
        e.ok = ok;
        e.text = trace::expectedText(check, i18n::Lang::En);
        e.detail = trace::gotText(check, i18n::Lang::En);
        std::string expected = e.text, got = e.detail;
        e.payload = std::move(check);
        EventId id = m_trace.append(std::move(e));
        ++m_result.expectationsChecked;
        if (!ok)
            m_result.failures.push_back(
                ExpectationFailure{id, place.text(i18n::Lang::En), std::move(expected), std::move(got), std::move(place)});
    }
    // The id of the last reply line the server sent in `session` (what an expectation is about).
    EventId lastReply(trace::SessionId session) const { return m_trace.lastLine(session, Direction::ServerToClient); }
    Scheduler& scheduler() { return m_sched; }
    // Why the session's connection could not be made ("" when it was), in English (the sandbox's answer).
    const std::string& connectFailure(trace::SessionId session) const {
        static const std::string none;
        auto it = m_connectFailures.find(session);
        return it == m_connectFailures.end() ? none : it->second;
    }
    trace::Trace& trace() { return m_trace; }
    const Scenario& scenario() const { return m_sc; }
    VirtualNetwork& network() { return m_net; }
    ServerHost& server(const std::string& name) { return *m_servers.at(name); }

private:
    const Scenario& m_sc;
    RunResult& m_result;
    trace::Trace& m_trace;
    Scheduler m_sched;
    VirtualNetwork m_net;
    std::map<std::string, std::unique_ptr<ServerHost>> m_servers;
    std::unique_ptr<RelayNetwork> m_relay;  // after m_servers: its handlers refer to them
    std::map<trace::SessionId, std::string> m_connectFailures;  // sessions whose connection could not be made
    std::optional<std::expected<ClassroomCa, CaError>> m_ca;
    std::map<std::string, TlsContext> m_serverTls;  // per host
    std::optional<TlsContext> m_clientTls;
};

}  // namespace mailsim::sim::detail
