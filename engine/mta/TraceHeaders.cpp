#include "mta/TraceHeaders.hpp"

#include "util/DateTime.hpp"

#include <cctype>
#include <fmt/format.h>

namespace mailsim::mta {
namespace {

bool startsWithField(std::string_view line, std::string_view name) {
    if (line.size() <= name.size() || line[name.size()] != ':') return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(name[i])))
            return false;
    return true;
}

// Calls `fn(line)` for each physical header line (without its line end) until the empty line.
template <typename Fn>
void forEachHeaderLine(std::string_view message, Fn fn) {
    std::size_t pos = 0;
    while (pos < message.size()) {
        auto nl = message.find('\n', pos);
        std::string_view line = message.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) return;
        if (!fn(line)) return;
        if (nl == std::string_view::npos) return;
        pos = nl + 1;
    }
}

}  // namespace

std::string receivedHeader(const ReceivedInfo& info, trace::Micros now) {
    std::string with = std::string(info.smtpUtf8 ? "UTF8SMTP" : info.esmtp ? "ESMTP" : "SMTP") +
                       (info.authenticated ? "A" : "");
    std::string forClause = info.forPath.empty() ? "" : fmt::format("\r\n\tfor <{}>", info.forPath);
    return fmt::format("Received: from {} ({} [{}])\r\n\tby {} (mailsim) with {} id {}{};\r\n\t{}\r\n", info.heloName,
                       info.peerName, info.peerAddress, info.byDomain, with, info.id, forClause,
                       util::rfc5322Date(now));
}

std::string returnPathHeader(std::string_view reversePath) { return fmt::format("Return-Path: <{}>\r\n", reversePath); }

int countReceived(std::string_view message) {
    int n = 0;
    forEachHeaderLine(message, [&](std::string_view line) {
        if (startsWithField(line, "Received")) ++n;
        return true;
    });
    return n;
}

std::string messageIdOf(std::string_view message) {
    std::string id;
    forEachHeaderLine(message, [&](std::string_view line) {
        if (!startsWithField(line, "Message-ID")) return true;
        std::string_view v = line.substr(11);
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        id = std::string(v);
        return false;
    });
    return id;
}

std::string headerBlock(std::string_view message) {
    std::string out;
    forEachHeaderLine(message, [&](std::string_view line) {
        out.append(line);
        out += "\r\n";
        return true;
    });
    return out;
}

}  // namespace mailsim::mta
