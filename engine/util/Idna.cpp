#include "util/Idna.hpp"

#include <idn2.h>

#include <cstdlib>
#include <memory>

namespace mailsim::util {

namespace {

struct FreeDeleter {
    void operator()(char* p) const { idn2_free(p); }
};
using IdnString = std::unique_ptr<char, FreeDeleter>;

bool hasALabel(std::string_view d) {
    for (std::size_t i = 0; i + 4 <= d.size(); ++i) {
        if ((i == 0 || d[i - 1] == '.') && (d[i] == 'x' || d[i] == 'X') && (d[i + 1] == 'n' || d[i + 1] == 'N') &&
            d[i + 2] == '-' && d[i + 3] == '-')
            return true;
    }
    return false;
}

bool isAsciiText(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

}  // namespace

std::optional<DomainForms> domainForms(std::string_view domain, std::string* why) {
    DomainForms f;
    f.international = !isAsciiText(domain) || hasALabel(domain);
    if (!f.international) {
        f.alabel = f.ulabel = std::string(domain);
        return f;
    }
    std::string input(domain);  // NUL-terminated for the C API (an embedded NUL cuts it: refused below)
    if (input.find('\0') != std::string::npos) {
        if (why) *why = "the name contains NUL";
        return std::nullopt;
    }
    char* out = nullptr;
    // IDNA2008 with the UTS #46 non-transitional mapping (what browsers and mail clients do: case folded, NFC).
    int rc = idn2_to_ascii_8z(input.c_str(), &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    IdnString ascii(out);
    if (rc != IDN2_OK) {
        if (why) *why = idn2_strerror(rc);
        return std::nullopt;
    }
    out = nullptr;
    rc = idn2_to_unicode_8z8z(ascii.get(), &out, 0);
    IdnString unicode(out);
    if (rc != IDN2_OK) {
        if (why) *why = idn2_strerror(rc);
        return std::nullopt;
    }
    // idn2_to_ascii_8z checks U-labels; an "xn--" label given as such is only decoded: check that it round-trips.
    out = nullptr;
    rc = idn2_to_ascii_8z(unicode.get(), &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    IdnString again(out);
    if (rc != IDN2_OK) {
        if (why) *why = idn2_strerror(rc);
        return std::nullopt;
    }
    f.alabel = again.get();
    f.ulabel = unicode.get();
    return f;
}

std::string asciiDomain(std::string_view domain) {
    auto f = domainForms(domain);
    return f ? f->alabel : std::string(domain);
}

std::string domainBothForms(std::string_view domain) {
    auto f = domainForms(domain);
    if (!f || !f->international) return std::string(domain);
    bool givenAscii = isAsciiText(domain);
    return givenAscii ? f->alabel + " (" + f->ulabel + ")" : f->ulabel + " (" + f->alabel + ")";
}

std::string_view domainOfAddress(std::string_view address) {
    while (!address.empty() && (address.back() == '>' || address.back() == ' ')) address.remove_suffix(1);
    auto at = address.rfind('@');
    if (at == std::string_view::npos) return {};
    return address.substr(at + 1);
}

}  // namespace mailsim::util
