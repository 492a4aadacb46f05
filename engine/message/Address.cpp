#include "message/Address.hpp"

#include "message/Codecs.hpp"
#include "message/HeaderText.hpp"

#include <algorithm>
#include <cctype>

namespace mailsim::message {

std::string Mailbox::displayName() const { return decodeHeaderText(name); }

std::string Mailbox::address() const {
    // RFC 5322 3.4.1: a local part that is not a dot-atom is written as a quoted-string.
    static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~";
    bool dotAtom = !local.empty() && local.front() != '.' && local.back() != '.' && local.find("..") == std::string::npos;
    for (unsigned char c : local)
        if (!(std::isalnum(c) || c == '.' || c >= 0x80 || kAtext.find(static_cast<char>(c)) != std::string_view::npos))
            dotAtom = false;
    std::string out;
    if (dotAtom) {
        out = local;
    } else {
        out.push_back('"');
        for (char c : local) {
            if (c == '"' || c == '\\') out += '\\';
            out.push_back(c);
        }
        out.push_back('"');
    }
    if (!domain.empty()) out += "@" + domain;
    return out;
}

std::vector<Mailbox> AddressList::mailboxes() const {
    std::vector<Mailbox> out;
    for (const auto& e : entries) out.insert(out.end(), e.members.begin(), e.members.end());
    return out;
}

namespace {

bool isSpecial(const Token& t, char c) { return t.kind == Token::Special && t.text.size() == 1 && t.text[0] == c; }

class AddressParser {
public:
    explicit AddressParser(std::string_view value) : m_lex(value, false) {}

    AddressList run() {
        while (true) {
            Token t = m_lex.peek();
            if (t.kind == Token::End) break;
            if (isSpecial(t, ',')) {
                m_lex.next();
                continue;
            }
            m_lex.clearComment();
            std::vector<Token> words = readWords();
            Token after = m_lex.peek();
            if (isSpecial(after, ':')) {
                m_lex.next();
                AddressEntry group;
                group.group = true;
                group.groupName = phrase(words);
                readGroupMembers(group);
                m_out.entries.push_back(std::move(group));
                continue;
            }
            Mailbox m;
            if (readMailbox(words, m)) {
                if (keep()) m_out.entries.push_back(AddressEntry{false, {}, {std::move(m)}});
            } else {
                m_out.clean = false;
                m_lex.next();  // skip what cannot start an address, so the loop always makes progress
            }
        }
        return std::move(m_out);
    }

private:
    bool keep() {
        if (m_kept >= kMaxAddressesPerField) {
            m_out.truncated = true;
            m_out.clean = false;
            return false;
        }
        ++m_kept;
        return true;
    }

    void readGroupMembers(AddressEntry& group) {
        while (true) {
            Token t = m_lex.peek();
            if (t.kind == Token::End) {
                m_out.clean = false;  // the group's ";" is missing
                return;
            }
            if (isSpecial(t, ';')) {
                m_lex.next();
                return;
            }
            if (isSpecial(t, ',')) {
                m_lex.next();
                continue;
            }
            m_lex.clearComment();
            std::vector<Token> words = readWords();
            Mailbox m;
            if (readMailbox(words, m)) {
                if (keep()) group.members.push_back(std::move(m));
            } else {
                m_out.clean = false;
                m_lex.next();
            }
        }
    }

    // Atoms, quoted strings and dots: a phrase or a local part, decided by what follows.
    std::vector<Token> readWords() {
        std::vector<Token> words;
        while (true) {
            Token t = m_lex.peek();
            if (t.kind == Token::Atom || t.kind == Token::Quoted || isSpecial(t, '.')) words.push_back(m_lex.next());
            else return words;
        }
    }

    std::string readDomain() {
        std::string domain;
        while (true) {
            Token t = m_lex.peek();
            if (t.kind == Token::Atom || t.kind == Token::DomainLiteral || isSpecial(t, '.')) domain += m_lex.next().text;
            else return domain;
        }
    }

    static std::string phrase(const std::vector<Token>& words) {
        std::string out;
        for (const auto& w : words) {
            if (w.kind != Token::Special && !out.empty()) out += ' ';
            out += w.text;
        }
        return out;
    }

    static std::string localPart(const std::vector<Token>& words) {
        std::string out;
        for (const auto& w : words) out += w.text;
        return out;
    }

    bool readMailbox(const std::vector<Token>& words, Mailbox& m) {
        Token t = m_lex.peek();
        if (isSpecial(t, '<')) {
            m_lex.next();
            m.name = phrase(words);
            if (isSpecial(m_lex.peek(), '@')) {
                // Obsolete route: "@a,@b:" (RFC 5322 4.4).
                while (isSpecial(m_lex.peek(), '@') || isSpecial(m_lex.peek(), ',')) {
                    Token r = m_lex.next();
                    m.route += r.text;
                    if (r.text == "@") m.route += readDomain();
                }
                if (isSpecial(m_lex.peek(), ':')) m_lex.next();
                else m_out.clean = false;
            }
            m.local = localPart(readWords());
            if (isSpecial(m_lex.peek(), '@')) {
                m_lex.next();
                m.domain = readDomain();
            } else if (!m.local.empty()) {
                m_out.clean = false;
            }
            if (isSpecial(m_lex.peek(), '>')) m_lex.next();
            else m_out.clean = false;
            return true;
        }
        if (isSpecial(t, '@') && !words.empty()) {
            m_lex.next();
            m.local = localPart(words);
            m.domain = readDomain();
            m_lex.peek();  // reaches a trailing comment, the name of "rose@x (Rose)"
            m.name = m_lex.lastComment();
            return true;
        }
        if (!words.empty()) {
            // Obsolete or broken: a bare local part, or a phrase with no address.
            m.local = localPart(words);
            m.name = m_lex.lastComment();
            m_out.clean = false;
            return true;
        }
        return false;
    }

    HeaderLexer m_lex;
    AddressList m_out;
    std::size_t m_kept = 0;
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool allDigits(std::string_view s) { return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; }); }

int number(std::string_view s) {
    int n = 0;
    for (char c : s) n = n * 10 + (c - '0');
    return n;
}

}  // namespace

AddressList parseAddressList(std::string_view value) { return AddressParser(value).run(); }

std::optional<std::int64_t> parseDate(std::string_view value) {
    auto zoned = parseZonedDate(value);
    if (!zoned) return std::nullopt;
    return zoned->micros;
}

std::optional<ZonedDate> parseZonedDate(std::string_view value) {
    // Remove comments, then white space around ":" (obsolete CFWS inside the time), then split at space and ",".
    std::string text;
    int depth = 0;
    for (char c : value) {
        if (c == '(') ++depth;
        else if (c == ')' && depth > 0) --depth;
        else if (depth == 0) text += c;
    }
    std::vector<std::string> tokens;
    std::string current;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
            std::size_t j = i;
            while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) ++j;
            bool colonNext = j < text.size() && text[j] == ':';
            bool colonBefore = !current.empty() && current.back() == ':';
            if (c != ',' && (colonNext || colonBefore)) continue;
            if (!current.empty()) tokens.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) tokens.push_back(std::move(current));
    if (tokens.size() > 8) return std::nullopt;
    std::size_t i = 0;
    static constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    if (i < tokens.size() && std::ranges::find(kDays, toLower(tokens[i].substr(0, 3))) != std::end(kDays) &&
        !allDigits(tokens[i]))
        ++i;
    if (tokens.size() < i + 4) return std::nullopt;
    const std::string& dayText = tokens[i];
    std::string monthText = toLower(tokens[i + 1]);
    const std::string& yearText = tokens[i + 2];
    const std::string& timeText = tokens[i + 3];
    if (!allDigits(dayText) || dayText.size() > 2 || !allDigits(yearText) || yearText.size() < 2 || yearText.size() > 4)
        return std::nullopt;
    auto month = std::ranges::find(kMonths, monthText);
    if (month == std::end(kMonths)) return std::nullopt;
    int day = number(dayText);
    int year = number(yearText);
    if (yearText.size() == 2) year += year < 50 ? 2000 : 1900;  // RFC 5322 4.3
    else if (yearText.size() == 3) year += 1900;
    auto m = static_cast<unsigned>(month - std::begin(kMonths) + 1);
    static constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day < 1 || day > kMonthDays[m - 1] || (m == 2 && day == 29 && !leap)) return std::nullopt;
    // hh:mm[:ss]
    int hms[3] = {0, 0, 0};
    std::size_t part = 0, start = 0;
    for (std::size_t k = 0; k <= timeText.size(); ++k) {
        if (k == timeText.size() || timeText[k] == ':') {
            std::string_view field(timeText.data() + start, k - start);
            if (part >= 3 || field.empty() || field.size() > 2 || !allDigits(field)) return std::nullopt;
            hms[part++] = number(field);
            start = k + 1;
        }
    }
    if (part < 2 || hms[0] > 23 || hms[1] > 59 || hms[2] > 60) return std::nullopt;
    if (hms[2] == 60) hms[2] = 59;  // a leap second: the nearest representable instant
    // Zone: +hhmm / -hhmm, or an obsolete name; military letters and unknown names count as -0000 (4.3).
    int offsetMinutes = 0;
    if (i + 4 < tokens.size()) {
        const std::string& zone = tokens[i + 4];
        if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 5 && allDigits(zone.substr(1))) {
            int hh = number(zone.substr(1, 2)), mm = number(zone.substr(3, 2));
            if (mm > 59) return std::nullopt;
            offsetMinutes = (zone[0] == '-' ? -1 : 1) * (hh * 60 + mm);
        } else {
            static constexpr std::pair<std::string_view, int> kZones[] = {
                {"ut", 0}, {"gmt", 0}, {"z", 0}, {"est", -5}, {"edt", -4}, {"cst", -6},
                {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
            std::string z = toLower(zone);
            for (const auto& [name, hours] : kZones)
                if (z == name) offsetMinutes = hours * 60;
        }
    }
    std::int64_t seconds = daysFromCivil(year, m, static_cast<unsigned>(day)) * 86400 + hms[0] * 3600 + hms[1] * 60 +
                           hms[2] - offsetMinutes * 60;
    return ZonedDate{seconds * 1'000'000, offsetMinutes};
}

}  // namespace mailsim::message
