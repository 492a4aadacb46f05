// Who receives mail here: the local domains, the users (address + password) and mailing lists of one mail host.
//
// Addresses are compared case-insensitively (RFC 5321 2.4 allows a server to treat local parts case-sensitively; in
// practice, and here, they are not), and are stored canonical: lower-case "local@domain".
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::auth {

struct User {
    std::string address;   // canonical
    std::string password;
    std::string displayName;
    std::string forwardTo;  // mail is accepted and forwarded there (SMTP 251, RFC 5321 3.4); a user of this host
    std::string movedTo;    // the user has moved: RCPT is refused with 551 naming this address (RFC 5321 3.4)
};

class UserDirectory {
public:
    void addDomain(std::string_view domain);
    void addUser(std::string_view address, std::string password, std::string displayName = {});
    void addList(std::string_view address, std::vector<std::string> members);
    // Sets where an existing user's mail goes instead (false when there is no such user).
    bool setForward(std::string_view address, std::string_view target);
    bool setMoved(std::string_view address, std::string_view target);

    bool isLocalDomain(std::string_view domain) const;
    const User* findUser(std::string_view address) const;
    const std::vector<std::string>* findList(std::string_view address) const;
    const std::set<std::string>& domains() const { return m_domains; }
    const std::map<std::string, User>& users() const { return m_users; }

    static std::string canonical(std::string_view address);
    static std::string_view domainOf(std::string_view address);

private:
    std::set<std::string> m_domains;
    std::map<std::string, User> m_users;
    std::map<std::string, std::vector<std::string>> m_lists;
};

}  // namespace mailsim::auth
