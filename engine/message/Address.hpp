// Addresses and dates in header fields: RFC 5322 3.4 (address lists, with groups, quoted local parts, comments
// and the obsolete forms of 4.4: routes, bare local parts) and 3.3 (date-time, with the obsolete forms of 4.3:
// two- and three-digit years, zone names, military zones).
//
// Contract: parsing never throws; what could not be read is skipped and reported through `clean`. Work is linear
// in the input and the number of addresses kept per field is capped (kMaxAddressesPerField).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::message {

// Mailboxes kept from one field; the rest is skipped (bounded work and memory, cf. CVE-2024-23184).
inline constexpr std::size_t kMaxAddressesPerField = 1000;

struct Mailbox {
    std::string name;    // the display name as written: quotes removed, words joined by one space, encoded
                         // words kept (what IMAP's ENVELOPE shows); from a comment when there is no phrase
    std::string route;   // obsolete source route "@a,@b" (RFC 5322 4.4), usually empty
    std::string local;   // local part, unquoted
    std::string domain;  // empty for an obsolete bare local part ("To: rose")
    std::string displayName() const;  // `name` with RFC 2047 words decoded (UTF-8)
    std::string address() const;      // local@domain, the local part re-quoted when it needs it
};

// One element of an address list: a mailbox, or a group ("Friends: a@x, b@y;") with its members.
struct AddressEntry {
    bool group = false;
    std::string groupName;  // as written, like Mailbox::name
    std::vector<Mailbox> members;  // exactly one for a plain mailbox
};

struct AddressList {
    std::vector<AddressEntry> entries;
    bool clean = true;       // false when something was skipped or repaired
    bool truncated = false;  // more than kMaxAddressesPerField mailboxes
    std::vector<Mailbox> mailboxes() const;  // all mailboxes, groups flattened
};

AddressList parseAddressList(std::string_view value);

// RFC 5322 3.3 date-time (and 4.3 obsolete forms) → µs since the Unix epoch, UTC. nullopt when it is not a date.
std::optional<std::int64_t> parseDate(std::string_view value);

// The same instant with the zone as written (minutes east of UTC; 0 for "-0000" and unknown zones), so that the
// date in the sender's own calendar can be had: micros + offsetMinutes * 60'000'000 (IMAP SENTON, RFC 3501 6.4.4).
struct ZonedDate {
    std::int64_t micros = 0;
    int offsetMinutes = 0;
};
std::optional<ZonedDate> parseZonedDate(std::string_view value);

}  // namespace mailsim::message
