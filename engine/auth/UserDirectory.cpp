#include "auth/UserDirectory.hpp"

#include <algorithm>
#include <cctype>

namespace mailsim::auth {

std::string UserDirectory::canonical(std::string_view address) {
    std::string out(address);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view UserDirectory::domainOf(std::string_view address) {
    auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

void UserDirectory::addDomain(std::string_view domain) { m_domains.insert(canonical(domain)); }

void UserDirectory::addUser(std::string_view address, std::string password, std::string displayName) {
    User u;
    u.address = canonical(address);
    u.password = std::move(password);
    u.displayName = std::move(displayName);
    addDomain(domainOf(u.address));
    m_users[u.address] = std::move(u);
}

void UserDirectory::addList(std::string_view address, std::vector<std::string> members) {
    for (auto& m : members) m = canonical(m);
    addDomain(domainOf(address));
    m_lists[canonical(address)] = std::move(members);
}

bool UserDirectory::setForward(std::string_view address, std::string_view target) {
    auto it = m_users.find(canonical(address));
    if (it == m_users.end()) return false;
    it->second.forwardTo = canonical(target);
    return true;
}

bool UserDirectory::setMoved(std::string_view address, std::string_view target) {
    auto it = m_users.find(canonical(address));
    if (it == m_users.end()) return false;
    it->second.movedTo = canonical(target);
    return true;
}

bool UserDirectory::isLocalDomain(std::string_view domain) const { return m_domains.contains(canonical(domain)); }

const User* UserDirectory::findUser(std::string_view address) const {
    auto it = m_users.find(canonical(address));
    return it == m_users.end() ? nullptr : &it->second;
}

const std::vector<std::string>* UserDirectory::findList(std::string_view address) const {
    auto it = m_lists.find(canonical(address));
    return it == m_lists.end() ? nullptr : &it->second;
}

}  // namespace mailsim::auth
