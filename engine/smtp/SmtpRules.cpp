#include "smtp/SmtpRules.hpp"

#include <fmt/format.h>

namespace mailsim::smtp {

const std::vector<std::string>& smtpRulePoints() {
    static const std::vector<std::string> points{"CONNECT", "HELO", "EHLO", "MAIL", "RCPT", "DATA", "DOT",
                                                 "RSET",    "NOOP", "VRFY", "EXPN", "HELP", "QUIT"};
    return points;
}

std::string SmtpRule::describe() const {
    auto ordinal = [](int n) {
        int mod100 = n % 100;
        const char* suffix = (mod100 >= 11 && mod100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
        return fmt::format("{}{}", n, suffix);
    };
    std::string where = at == "CONNECT" ? "connection" : at == "DOT" ? "end of data" : at;
    std::string out = greylist ? fmt::format("greylisting ({} on the first {} of each client/sender/recipient)", code, where)
                      : occurrence ? fmt::format("{} on the {} {}", code, ordinal(occurrence), where)
                                   : fmt::format("{} on every {}", code, where);
    if (!senders.empty()) out += " from " + fmt::format("{}", fmt::join(senders, ", "));
    if (!recipients.empty()) out += " to " + fmt::format("{}", fmt::join(recipients, ", "));
    return out;
}

}  // namespace mailsim::smtp
