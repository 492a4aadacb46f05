#include "sim/serve/ServeRelay.hpp"
#include "sim/serve/ServeText.hpp"

#include "sim/world/Relay.hpp"

#include "mta/TraceHeaders.hpp"
#include "smtp/SmtpClientSession.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mailsim::sim {

using trace::Micros;

struct ServeRelay::HostMta {
    const HostSpec* spec = nullptr;
    smtp::SmtpServerContext* context = nullptr;
    mta::MtaQueue queue;
    std::filesystem::path dir;            // DIR/<host>/queue
    std::set<std::string> inFlight;       // queue ids with an attempt in progress
    std::uint64_t dsnCounter = 0;
};

// One delivery attempt of one queued message: domain by domain, MX by MX, one TCP connection at a time.
struct ServeRelay::Attempt {
    HostMta* mta = nullptr;
    std::string id, messageId, reversePath, content;
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // domain -> recipients
    std::size_t group = 0;
    std::vector<MxTarget> targets;
    std::size_t target = 0;
    // Why the last target could not take the mail: it could not be reached, or its reply deferred every recipient.
    Unreachable lastUnreachable;
    std::string lastReply;
    std::vector<mta::AttemptResult> results;
    trace::EventId cause = trace::kNoCause;
    // The connection to the current target.
    int fd = -1;
    bool connecting = false;
    Micros deadline = 0;
    std::unique_ptr<smtp::SmtpClientSession> client;
    std::string out;
    bool done = false;  // finished: removed after the iteration
};

namespace {

// ---- The durable queue: one file per message, "DIR/<host>/queue/<id>" ----------------------------------------------
// mailsim-queue 1
// id: MAIL-000001
// from: <mike@cesoo.com>
// arrival: 1764505200000000        (µs since the epoch)
// attempts: 1
// rcpt: pending 0 rose@example.org (state, last code, address; one line per recipient)
// <blank line>
// the content, byte for byte

std::string stateName(mta::RecipientState s) {
    return s == mta::RecipientState::Pending ? "pending" : s == mta::RecipientState::Delivered ? "delivered" : "failed";
}

bool syncPath(const std::filesystem::path& p, int flags) {
    int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

std::expected<void, std::string> writeQueueFile(const std::filesystem::path& dir, const mta::QueuedMessage& m) {
    std::string text = fmt::format("mailsim-queue 1\nid: {}\nfrom: <{}>\narrival: {}\nattempts: {}\n", m.id,
                                   m.reversePath, m.arrival, m.attempts);
    for (const auto& r : m.recipients) text += fmt::format("rcpt: {} {} {}\n", stateName(r.state), r.code, r.address);
    text += "\n";
    text += m.content;
    if (auto r = store::writeFileDurably((dir / m.id).string(), text); !r) return std::unexpected(r.error().text());
    return {};
}

void removeQueueFile(const std::filesystem::path& dir, const std::string& id) {
    std::error_code ec;
    std::filesystem::remove(dir / id, ec);
    syncPath(dir, O_RDONLY | O_DIRECTORY);
}

std::optional<mta::QueuedMessage> parseQueueText(const std::string& text, const std::string& fileName);

// nullopt for anything that is not a complete queue file (numbers out of range included).
std::optional<mta::QueuedMessage> readQueueFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream all;
    all << in.rdbuf();
    return parseQueueFile(all.str(), file.filename().string());
}

}  // namespace

std::optional<mta::QueuedMessage> parseQueueFile(const std::string& text, const std::string& fileName) {
    try {
        return parseQueueText(text, fileName);
    } catch (const std::exception&) {  // std::stoll/stoi out of range or not a number
        return std::nullopt;
    }
}

namespace {

std::optional<mta::QueuedMessage> parseQueueText(const std::string& text, const std::string& fileName) {
    auto end = text.find("\n\n");
    if (!text.starts_with("mailsim-queue 1\n") || end == std::string::npos) return std::nullopt;
    mta::QueuedMessage m;
    std::istringstream head(text.substr(0, end));
    std::string line;
    while (std::getline(head, line)) {
        auto colon = line.find(": ");
        if (colon == std::string::npos) continue;
        std::string key = line.substr(0, colon), value = line.substr(colon + 2);
        if (key == "id") m.id = value;
        else if (key == "from" && value.size() >= 2) m.reversePath = value.substr(1, value.size() - 2);
        else if (key == "arrival") m.arrival = std::stoll(value);
        else if (key == "attempts") m.attempts = std::stoi(value);
        else if (key == "rcpt") {
            std::istringstream r(value);
            std::string state, address;
            int code = 0;
            r >> state >> code >> address;
            if (address.empty()) return std::nullopt;
            mta::QueuedRecipient q{address, mta::RecipientState::Pending, code, {}, {}};
            if (state == "delivered") q.state = mta::RecipientState::Delivered;
            else if (state == "failed") q.state = mta::RecipientState::Failed;
            m.recipients.push_back(std::move(q));
        }
    }
    if (m.id.empty() || m.id != fileName || m.recipients.empty()) return std::nullopt;
    m.content = text.substr(end + 2);
    return m;
}

}  // namespace

ServeRelay::ServeRelay(const Scenario& sc, const std::vector<ServeAddress>& addresses, i18n::Lang lang)
    : m_sc(sc), m_net(m_sched), m_lang(lang) {
    for (const auto& a : addresses) {
        m_net.addHost(a.host, a.address);
        m_addresses[a.host] = a.address;
    }
    for (const auto& h : sc.hosts)
        if (!m_net.findHost(h.name)) m_net.addHost(h.name, h.address);  // hosts without services: as in the scenario
    m_dns = std::make_unique<DnsService>(sc, m_net);
    m_trace.setListener([lang](const trace::Trace& t, const trace::Event& e) {
        printTraceEvent("mta", t, e, lang);
    });
}

ServeRelay::~ServeRelay() {
    for (auto& a : m_attempts) closeSocket(*a);
    for (const auto& [name, mta] : m_mtas)
        if (mta->queue.size())
            printError(serveSay(m_lang, ServeText::StaysQueued, mta->queue.size(), mta->queue.size() == 1 ? "" : "s",
                                name, mta->queue.size() == 1 ? "s" : "", mta->dir.string()));
}

std::size_t ServeRelay::queued() const {
    std::size_t n = 0;
    for (const auto& [name, m] : m_mtas) n += m->queue.size();
    return n;
}

std::expected<smtp::RelayHandler, std::string> ServeRelay::addHost(const HostSpec& h, smtp::SmtpServerContext* context,
                                                                   const std::filesystem::path& queueDir) {
    auto mta = std::make_unique<HostMta>();
    mta->spec = &h;
    mta->context = context;
    mta->dir = queueDir;
    mta::QueuePolicy policy;
    if (!h.queue.retry.empty()) policy.retry = h.queue.retry;
    if (h.queue.lifetime) policy.lifetime = *h.queue.lifetime;
    policy.durable = true;  // on disk, whatever the scenario says about its virtual crashes
    std::string prefix;  // the host's first letters, as in the simulator: "MAIL-000001"
    for (char c : h.name.substr(0, h.name.find('.') == std::string::npos ? h.name.size() : h.name.find('.')))
        if (std::isalnum(static_cast<unsigned char>(c)) && prefix.size() < 6) prefix += static_cast<char>(std::toupper(c));
    mta->queue = mta::MtaQueue(policy, prefix + "-");
    std::error_code ec;
    std::filesystem::create_directories(queueDir, ec);
    if (ec || !std::filesystem::is_directory(queueDir))
        return std::unexpected(serveSay(m_lang, ServeText::QueueDir, queueDir.string(), h.name,
                                        ec ? ec.message() : std::string(serveText(ServeText::NotADirectory, m_lang))));
    HostMta* raw = mta.get();
    m_mtas.emplace(h.name, std::move(mta));
    return [this, raw](const smtp::RelayRequest& req) -> std::expected<std::string, std::string> {
        return enqueue(*raw, req.reversePath, req.recipients, req.content, req.cause, req.now ? req.now : wallMicros());
    };
}

// Reads a host's queue back (a restart): every message is due at once. Done in the loop's first iteration, so the
// "reloaded" lines follow the "listening" lines.
void ServeRelay::reload(HostMta& mta) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(mta.dir, ec)) files.push_back(entry.path());
    std::ranges::sort(files);
    const Micros now = wallMicros();
    for (const auto& f : files) {
        if (f.filename().string().starts_with(".")) {  // a temporary file of writeFileDurably: never acknowledged
            std::filesystem::remove(f, ec);
            continue;
        }
        auto m = readQueueFile(f);
        if (!m) {
            printError(serveSay(m_lang, ServeText::NotQueueFile, f.string()));
            continue;
        }
        std::size_t pending = std::ranges::count(m->recipients, mta::RecipientState::Pending, &mta::QueuedRecipient::state);
        appendQueueEvent(m_trace, now, {.host = mta.spec->name, .action = trace::QueueOp::Reloaded, .queueId = m->id,
                                        .reversePath = m->reversePath, .attempt = static_cast<std::uint64_t>(m->attempts),
                                        .count = static_cast<std::uint64_t>(pending), .path = f.string()});
        m->nextAttempt = now;
        mta.queue.restore(std::move(*m));
    }
}

void ServeRelay::setSmtpEndpoint(const std::string& host, std::string address, int port) {
    m_smtpEndpoints[host] = {std::move(address), port};
}

std::expected<std::string, std::string> ServeRelay::enqueue(HostMta& mta, std::string reversePath,
                                                            const std::vector<std::string>& recipients,
                                                            std::string content, trace::EventId cause, Micros now) {
    std::string messageId = mta::messageIdOf(content);
    std::string rp = reversePath;
    std::string id = mta.queue.enqueue(std::move(reversePath), recipients, std::move(content), now);
    if (auto written = writeQueueFile(mta.dir, *mta.queue.find(id)); !written) {
        mta.queue.remove(id);
        appendQueueEvent(m_trace, now, {.host = mta.spec->name, .action = trace::QueueOp::NotQueued, .reason = written.error()},
                         cause);
        return std::unexpected(written.error());
    }
    appendQueueEvent(m_trace, now,
                     {.host = mta.spec->name, .action = trace::QueueOp::Enqueued, .queueId = id, .messageId = messageId,
                      .reversePath = rp, .recipients = recipients, .path = (mta.dir / id).string()},
                     cause);
    return id;
}

void ServeRelay::step(Micros now, bool stopping, bool graceOver) {
    for (auto& a : m_attempts) {
        if (a->done) continue;
        if (graceOver) {  // shutdown: the message stays queued on disk as it was before this attempt
            closeSocket(*a);
            a->mta->inFlight.erase(a->id);
            appendQueueEvent(m_trace, now, {.host = a->mta->spec->name, .action = trace::QueueOp::Abandoned, .queueId = a->id},
                             a->cause);
            a->done = true;
            continue;
        }
        if (a->fd >= 0 && now >= a->deadline) {
            if (a->connecting) {
                connectFailed(*a, {trace::ConnectFailure::TimedOut, {}, {}}, now);
            } else {
                appendHopEvent(m_trace, now, {.messageId = a->messageId, .from = a->mta->spec->name,
                                              .to = a->targets[a->target].host, .result = trace::HopResult::NoReply});
                closeSocket(*a);
                a->client->connectionClosed(now);
                hopDone(*a, now);
            }
        }
    }
    std::erase_if(m_attempts, [](const auto& a) { return a->done; });
    if (!stopping) {
        for (auto& [name, mta] : m_mtas)
            for (const auto& id : mta->queue.due(now))
                if (!mta->inFlight.contains(id)) startAttempt(*mta, id, now);
        std::erase_if(m_attempts, [](const auto& a) { return a->done; });
    }
    // Everything was printed as it was appended; between attempts no cause can dangle.
    if (m_attempts.empty() && m_trace.size() > 4096) m_trace.clear();
}

bool ServeRelay::idle() const {
    return std::ranges::all_of(m_attempts, [](const auto& a) { return a->done; });
}

void ServeRelay::collect(std::vector<pollfd>& fds, Micros& wake, Micros now) {
    if (!std::exchange(m_reloaded, true))
        for (auto& [name, mta] : m_mtas) reload(*mta);
    m_polled.clear();
    for (auto& a : m_attempts) {
        if (a->done || a->fd < 0) continue;
        short events = a->connecting ? POLLOUT : static_cast<short>(POLLIN | (a->out.empty() ? 0 : POLLOUT));
        fds.push_back({a->fd, events, 0});
        m_polled.push_back(a.get());
        wake = std::min(wake, a->deadline);
    }
    for (const auto& [name, mta] : m_mtas) {
        for (const auto& [id, m] : mta->queue.messages())
            if (!mta->inFlight.contains(id)) wake = std::min(wake, std::max(m.nextAttempt, now));
    }
}

void ServeRelay::dispatch(std::span<const pollfd> fds, Micros now) {
    for (std::size_t i = 0; i < m_polled.size() && i < fds.size(); ++i) {
        Attempt& a = *m_polled[i];
        short re = fds[i].revents;
        if (a.done || a.fd != fds[i].fd || re == 0) continue;
        if (a.connecting) {
            int err = 0;
            socklen_t len = sizeof err;
            ::getsockopt(a.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0 || (re & (POLLERR | POLLHUP | POLLNVAL))) {
                connectFailed(a, {trace::ConnectFailure::SystemError, {}, errnoText(err ? err : ECONNREFUSED)}, now);
                continue;
            }
            a.connecting = false;
            a.deadline = now + kReplyDeadline;
            smtp::SmtpClientConfig config;
            config.heloName = a.mta->spec->name;
            const auto& rcpts = a.groups[a.group].second;
            // The receiving server records the dialogue (its connection's trace); the client stays quiet.
            a.client = std::make_unique<smtp::SmtpClientSession>(
                config, std::vector<smtp::OutgoingMessage>{smtp::OutgoingMessage{a.reversePath, rcpts, a.content}});
            continue;
        }
        const int fd = a.fd;
        if (re & POLLOUT) pump(a, now);
        if (a.fd == fd && !a.connecting && a.client && (re & (POLLIN | POLLHUP | POLLERR))) {
            char buf[16 * 1024];
            ssize_t n = ::recv(a.fd, buf, sizeof buf, 0);
            if (n > 0) {
                a.deadline = now + kReplyDeadline;
                a.client->receive(std::string_view(buf, static_cast<std::size_t>(n)), now);
                pump(a, now);
            } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                closeSocket(a);
                a.client->connectionClosed(now);
                hopDone(a, now);
            }
        }
    }
}

void ServeRelay::startAttempt(HostMta& mta, const std::string& id, Micros now) {
    const mta::QueuedMessage* m = mta.queue.find(id);
    if (!m) return;
    auto a = std::make_unique<Attempt>();
    a->mta = &mta;
    a->id = id;
    AttemptPlan plan = planAttempt(*m, id);
    a->messageId = std::move(plan.messageId);
    a->reversePath = m->reversePath;
    a->content = m->content;
    a->groups = std::move(plan.groups);
    mta.inFlight.insert(id);
    plan.action.host = mta.spec->name;
    a->cause = appendQueueEvent(m_trace, now, std::move(plan.action));
    Attempt& ref = *a;
    m_attempts.push_back(std::move(a));
    nextDomain(ref, now);
}

void ServeRelay::nextDomain(Attempt& a, Micros now) {
    if (a.group >= a.groups.size()) return finishAttempt(a, now);
    const std::string& host = a.mta->spec->name;
    const auto& [domain, rcpts] = a.groups[a.group];
    MxAnswer answer = m_dns->resolveMx(domain, host, now, m_trace, a.cause);
    if (answer.nxdomain || answer.targets.empty()) {
        // The scenario's `dns` does not know the domain: the host that has it in its `domains` takes its mail.
        for (const auto& h : m_sc.hosts)
            if (h.smtp && std::ranges::find(h.domains, domain) != h.domains.end()) {
                answer = MxAnswer{{MxTarget{0, h.name, m_dns->addressOf(h.name)}}, false, true};
                appendQueueEvent(m_trace, now, {.host = host, .action = trace::QueueOp::DomainFallback, .alongTo = h.name,
                                                .domain = domain}, a.cause);
                break;
            }
    }
    a.targets = answer.targets;
    a.target = 0;
    pruneSelfFromMx(a.targets, host);
    a.lastUnreachable = {};
    a.lastReply.clear();
    if (answer.nxdomain || answer.targets.empty()) {
        bool permanent = answer.nxdomain;
        for (const auto& r : rcpts)
            a.results.push_back(mta::AttemptResult{
                r, permanent ? 550 : 0,
                permanent ? fmt::format("5.1.2 <{}>: host or domain name not found (DNS: NXDOMAIN for {})", r, domain)
                          : fmt::format("4.4.3 no mail exchanger of {} has an address", domain),
                {}});
        appendHopEvent(m_trace, now, {.messageId = a.messageId, .from = host, .to = domain,
                                      .result = permanent ? trace::HopResult::NxDomain : trace::HopResult::NoUsableMx},
                       a.cause);
        ++a.group;
        return nextDomain(a, now);
    }
    tryTarget(a, now);
}

void ServeRelay::tryTarget(Attempt& a, Micros now) {
    const std::string& host = a.mta->spec->name;
    const auto& rcpts = a.groups[a.group].second;
    if (a.target >= a.targets.size()) {  // every MX failed: try again later (RFC 5321 4.5.4.1)
        for (const auto& r : rcpts) a.results.push_back(unreachedResult(r, a.lastUnreachable, a.lastReply));
        ++a.group;
        return nextDomain(a, now);
    }
    const MxTarget& t = a.targets[a.target];
    if (t.host == host) {  // RFC 5321 5.1: never to itself
        for (const auto& r : rcpts)
            a.results.push_back(mta::AttemptResult{
                r, 554, fmt::format("5.4.6 mail for {} loops back to myself (the MX record names this host)", a.groups[a.group].first),
                t.host});
        appendHopEvent(m_trace, now, {.messageId = a.messageId, .from = host, .to = t.host, .result = trace::HopResult::Loop},
                       a.cause);
        ++a.group;
        return nextDomain(a, now);
    }
    auto ep = m_smtpEndpoints.find(t.host);
    if (ep == m_smtpEndpoints.end())
        return connectFailed(a, {trace::ConnectFailure::NoSmtpService, {}, {}}, now);
    const auto& [address, port] = ep->second;
    sockaddr_storage to{}, from{};
    socklen_t toLen = 0, fromLen = 0;
    auto fill = [](const std::string& addr, int p, sockaddr_storage& ss, socklen_t& len) {
        auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
        if (::inet_pton(AF_INET, addr.c_str(), &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons(static_cast<std::uint16_t>(p));
            len = sizeof(sockaddr_in);
        } else if (::inet_pton(AF_INET6, addr.c_str(), &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons(static_cast<std::uint16_t>(p));
            len = sizeof(sockaddr_in6);
        }
    };
    fill(address, port, to, toLen);
    if (auto self = m_addresses.find(host); self != m_addresses.end()) fill(self->second, 0, from, fromLen);
    if (toLen == 0) return connectFailed(a, {trace::ConnectFailure::BadAddress, {}, address}, now);
    a.out.clear();
    a.client.reset();
    a.fd = ::socket(to.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (a.fd < 0) return connectFailed(a, {trace::ConnectFailure::SystemError, {}, "socket: " + errnoText()}, now);
    int one = 1;
    ::setsockopt(a.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // From this host's own address, so the receiver's Received: line and greylisting see who is calling.
    if (fromLen && from.ss_family == to.ss_family) ::bind(a.fd, reinterpret_cast<sockaddr*>(&from), fromLen);
    appendHopEvent(m_trace, now, {.messageId = a.messageId, .from = host, .to = t.host, .result = trace::HopResult::Connecting,
                                  .address = address, .port = port, .preference = t.preference}, a.cause);
    if (::connect(a.fd, reinterpret_cast<sockaddr*>(&to), toLen) != 0 && errno != EINPROGRESS)
        return connectFailed(a, {trace::ConnectFailure::SystemError, {}, errnoText()}, now);
    a.connecting = true;
    a.deadline = now + kConnectDeadline;
}

void ServeRelay::connectFailed(Attempt& a, const Unreachable& failure, Micros now) {
    closeSocket(a);
    const std::string& target = a.targets[a.target].host;
    Unreachable why = failure;
    why.host = target;
    appendHopEvent(m_trace, now, connectFailedHop(a.messageId, a.mta->spec->name, target, why), a.cause);
    a.lastUnreachable = std::move(why);
    a.lastReply.clear();
    ++a.target;
    tryTarget(a, now);
}

void ServeRelay::pump(Attempt& a, Micros now) {
    if (!a.client || a.fd < 0) return;
    a.out += a.client->takeOutput();
    while (!a.out.empty()) {
        ssize_t n = ::send(a.fd, a.out.data(), a.out.size(), MSG_NOSIGNAL);
        if (n > 0) {
            a.out.erase(0, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // POLLOUT
        closeSocket(a);
        a.client->connectionClosed(now);
        return hopDone(a, now);
    }
    if (a.client->done()) {  // QUIT sent (the 221 is not needed)
        closeSocket(a);
        hopDone(a, now);
    }
}

void ServeRelay::closeSocket(Attempt& a) {
    if (a.fd < 0) return;
    ::close(a.fd);
    a.fd = -1;
    a.connecting = false;
}

void ServeRelay::hopDone(Attempt& a, Micros now) {
    const std::string target = a.targets[a.target].host;
    HopSummary hop = summarizeHop(a.client->results().front(), target);
    a.client.reset();
    appendHopEvent(m_trace, now, hop.hopOf(a.messageId, a.mta->spec->name), a.cause);
    if (hop.allTemporary && a.target + 1 < a.targets.size()) {  // RFC 5321 5.1: try the next MX
        a.lastUnreachable = {};
        a.lastReply = hop.detail;
        ++a.target;
        return tryTarget(a, now);
    }
    a.results.insert(a.results.end(), hop.results.begin(), hop.results.end());
    ++a.group;
    nextDomain(a, now);
}

void ServeRelay::finishAttempt(Attempt& a, Micros now) {
    HostMta& mta = *a.mta;
    a.done = true;
    mta.inFlight.erase(a.id);
    const mta::QueuedMessage* queued = mta.queue.find(a.id);
    if (!queued) return;
    mta::QueuedMessage before = *queued;
    mta::AttemptOutcome out = mta.queue.recordAttempt(a.id, a.results, now);
    AttemptReport report{mta.spec, &mta.queue.policy(), mta.context, &m_trace, now, a.cause};
    reportAttempt(report, before, out, a.results, out.failed.empty() ? 0 : ++mta.dsnCounter,
                  [this, &mta, &before, now](std::string dsn, trace::EventId cause) {
                      if (auto queuedDsn = enqueue(mta, "", {before.reversePath}, std::move(dsn), cause, now); !queuedDsn)
                          printError(serveSay(m_lang, ServeText::BounceNotQueued, queuedDsn.error()));
                  });
    if (const mta::QueuedMessage* after = mta.queue.find(a.id)) {
        if (auto written = writeQueueFile(mta.dir, *after); !written)
            printError(serveSay(m_lang, ServeText::Warning, written.error()));
    } else {
        removeQueueFile(mta.dir, a.id);
    }
}

}  // namespace mailsim::sim
