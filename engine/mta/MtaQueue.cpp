#include "mta/MtaQueue.hpp"

#include "message/MimeBuilder.hpp"
#include "mta/TraceHeaders.hpp"
#include "util/DateTime.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace mailsim::mta {

std::string MtaQueue::enqueue(std::string reversePath, std::span<const std::string> recipients, std::string content,
                              trace::Micros now) {
    QueuedMessage m;
    m.id = fmt::format("{}{:06}", m_prefix, m_next++);
    m.reversePath = std::move(reversePath);
    for (const auto& r : recipients) m.recipients.push_back(QueuedRecipient{r, RecipientState::Pending, 0, {}, {}});
    m.content = std::move(content);
    m.arrival = now;
    m.nextAttempt = now;
    std::string id = m.id;
    m_messages.emplace(id, std::move(m));
    return id;
}

void MtaQueue::restore(QueuedMessage message) {
    if (message.id.starts_with(m_prefix)) {
        std::uint64_t n = 0;
        bool digits = message.id.size() > m_prefix.size();
        for (char c : std::string_view(message.id).substr(m_prefix.size())) {
            if (c < '0' || c > '9') digits = false;
            else n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (digits && n >= m_next) m_next = n + 1;
    }
    std::string id = message.id;
    m_messages.insert_or_assign(id, std::move(message));
}

bool MtaQueue::remove(std::string_view id) {
    auto it = m_messages.find(std::string(id));
    if (it == m_messages.end()) return false;
    m_messages.erase(it);
    return true;
}

std::optional<trace::Micros> MtaQueue::nextDue() const {
    std::optional<trace::Micros> best;
    for (const auto& [id, m] : m_messages)
        if (!best || m.nextAttempt < *best) best = m.nextAttempt;
    return best;
}

std::vector<std::string> MtaQueue::due(trace::Micros now) const {
    std::vector<const QueuedMessage*> ready;
    for (const auto& [id, m] : m_messages)
        if (m.nextAttempt <= now) ready.push_back(&m);
    std::ranges::stable_sort(ready, {}, &QueuedMessage::arrival);
    std::vector<std::string> out;
    for (const auto* m : ready) out.push_back(m->id);
    return out;
}

const QueuedMessage* MtaQueue::find(std::string_view id) const {
    auto it = m_messages.find(std::string(id));
    return it == m_messages.end() ? nullptr : &it->second;
}

trace::Micros MtaQueue::retryDelay(int attempts) const {
    if (m_policy.retry.empty()) return kRetrySchedule[0];
    std::size_t i = static_cast<std::size_t>(std::max(1, attempts) - 1);
    return m_policy.retry[std::min(i, m_policy.retry.size() - 1)];
}

AttemptOutcome MtaQueue::recordAttempt(std::string_view id, std::span<const AttemptResult> results, trace::Micros now) {
    AttemptOutcome out;
    auto it = m_messages.find(std::string(id));
    if (it == m_messages.end()) return out;
    QueuedMessage& m = it->second;
    ++m.attempts;
    for (const auto& r : results) {
        auto rcpt = std::ranges::find(m.recipients, r.recipient, &QueuedRecipient::address);
        if (rcpt == m.recipients.end() || rcpt->state != RecipientState::Pending) continue;
        rcpt->code = r.code;
        rcpt->reply = r.reply;
        rcpt->remoteMta = r.remoteMta;
        if (r.code / 100 == 2) {
            rcpt->state = RecipientState::Delivered;
            out.delivered.push_back(rcpt->address);
        } else if (r.code / 100 == 5 || (r.code == 0 && enhancedStatusOf(r.reply).starts_with('5'))) {
            // RFC 5321 4.2.1: permanent - do not repeat the same request. Code 0 with a 5.x.x status: this MTA
            // itself decided it can never send (e.g. SMTPUTF8 not offered by the next hop, RFC 6531 3.7.5).
            rcpt->state = RecipientState::Failed;
            out.failed.push_back(*rcpt);
        }
    }
    bool expired = now - m.arrival >= m_policy.lifetime;
    for (auto& r : m.recipients) {
        if (r.state != RecipientState::Pending) continue;
        if (expired) {
            r.state = RecipientState::Failed;
            r.reply = fmt::format("{} (gave up: the message stayed in the queue longer than {} minutes)",
                                  r.reply.empty() ? "no answer" : r.reply, m_policy.lifetime / kMinute);
            out.failed.push_back(r);
            out.expired = true;
        } else {
            out.deferred.push_back(r.address);
        }
    }
    if (out.deferred.empty()) {
        out.finished = true;
        m_messages.erase(it);
        return out;
    }
    // Never retry after the give-up time: the last attempt happens at the end of the lifetime at the latest.
    m.nextAttempt = std::min(now + retryDelay(m.attempts), m.arrival + m_policy.lifetime);
    out.nextAttempt = m.nextAttempt;
    return out;
}

std::size_t MtaQueue::clear() {
    std::size_t n = m_messages.size();
    m_messages.clear();
    return n;
}

bool isLocal(const auth::UserDirectory& directory, std::string_view recipient) {
    return directory.isLocalDomain(auth::UserDirectory::domainOf(recipient));
}

std::vector<std::pair<std::string, std::vector<std::string>>> groupByDomain(std::span<const std::string> recipients) {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (const auto& r : recipients) {
        std::string domain = auth::UserDirectory::canonical(auth::UserDirectory::domainOf(r));
        auto it = std::ranges::find(out, domain, &std::pair<std::string, std::vector<std::string>>::first);
        if (it == out.end()) it = out.insert(out.end(), {domain, {}});
        it->second.push_back(r);
    }
    return out;
}

std::string enhancedStatusOf(std::string_view text) {
    // RFC 3463 2: class "." subject "." detail, at the start of the text.
    std::size_t i = 0;
    if (text.empty() || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text.size() < 5 || text[1] != '.')
        return {};
    i = 2;
    auto digits = [&] {
        std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        return i > start && i - start <= 3;
    };
    if (!digits() || i >= text.size() || text[i] != '.') return {};
    ++i;
    if (!digits()) return {};
    if (i < text.size() && text[i] != ' ') return {};
    return std::string(text.substr(0, i));
}

std::string makeDsn(const QueuedMessage& message, std::span<const QueuedRecipient> failed, const DsnInfo& info,
                    trace::Micros now, std::uint64_t number) {
    std::string human = fmt::format(
        "This is the mail system at host {}.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.\r\n"
        "Reason: {}\r\n\r\n",
        info.reportingMta, info.reason);
    for (const auto& r : failed)
        human += fmt::format("<{}>: {}\r\n", r.address,
                             r.code ? fmt::format("host {} said: {} {}", r.remoteMta, r.code, r.reply) : r.reply);
    message::MimeEntity text = message::textEntity(human);

    // RFC 3464 2.2 per-message fields, then 2.3 per-recipient fields (each block preceded by an empty line).
    message::MimeEntity status;
    status.addHeader("Content-Type", "message/delivery-status");
    status.body = fmt::format("Reporting-MTA: dns; {}\r\nArrival-Date: {}\r\n", info.reportingMta,
                              util::rfc5322Date(message.arrival));
    for (const auto& r : failed) {
        std::string enhanced = enhancedStatusOf(r.reply);
        if (enhanced.empty()) enhanced = r.code / 100 == 5 ? "5.0.0" : "4.4.7";  // 4.4.7: delivery time expired
        if (enhanced[0] == '4') enhanced[0] = '5';  // given up: the failure is now permanent (RFC 3464 2.3.4)
        status.body += fmt::format("\r\nFinal-Recipient: rfc822; {}\r\nAction: failed\r\nStatus: {}\r\n", r.address, enhanced);
        if (!r.remoteMta.empty()) status.body += fmt::format("Remote-MTA: dns; {}\r\n", r.remoteMta);
        if (r.code) status.body += fmt::format("Diagnostic-Code: smtp; {} {}\r\n", r.code, r.reply);
        status.body += fmt::format("Last-Attempt-Date: {}\r\n", util::rfc5322Date(now));
    }
    message::MimeEntity headers;
    headers.addHeader("Content-Type", "text/rfc822-headers");  // RFC 6522: the original header only
    headers.addHeader("Content-Description", "Undelivered Message Headers");
    headers.body = headerBlock(message.content);

    message::MimeEntity report = message::multipartEntity("report", {text, status, headers});
    for (auto& [name, value] : report.headers)
        if (name == "Content-Type" && value.starts_with("multipart/report;"))
            value.insert(17, " report-type=delivery-status;");  // RFC 6522 3
    std::string out = fmt::format("From: Mail Delivery System <MAILER-DAEMON@{}>\r\n", info.reportingDomain);
    out += fmt::format("To: <{}>\r\n", message.reversePath);
    out += "Subject: Undelivered Mail Returned to Sender\r\n";
    out += fmt::format("Date: {}\r\n", util::rfc5322Date(now));
    out += fmt::format("Message-ID: <{}.dsn{}@{}>\r\n", now / 1'000'000, number, info.reportingDomain);
    out += "Auto-Submitted: auto-replied\r\n";  // RFC 3834 5: an automatic answer, not to be answered again
    out += "MIME-Version: 1.0\r\n";
    out += report.serialize();
    return out;
}

}  // namespace mailsim::mta
