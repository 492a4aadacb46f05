#include "sim/tls/Tls.hpp"

#include "maildir/FileIo.hpp"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>
#include <ctime>
#include <fstream>
#include <sstream>

namespace mailsim::sim {
namespace {

namespace fs = std::filesystem;

constexpr int kCaDays = 3650;
constexpr int kHostDays = 825;        // the longest validity some clients accept for a server certificate
constexpr long kRenewBefore = 30L * 86400;  // reissue a host certificate that expires within 30 days
constexpr const char* kCaName = "mailsim classroom CA";

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

std::string errorText(unsigned long code) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    return buf;
}

// What one OpenSSL error code means to us, by its library and reason (not its words); Other when nothing known.
TlsReasonKind classify(unsigned long code) {
    const int lib = ERR_GET_LIB(code), reason = ERR_GET_REASON(code);
    switch (lib) {
    case ERR_LIB_SYS: return TlsReasonKind::System;  // the reason is the errno
    case ERR_LIB_PEM:
        if (reason == PEM_R_NO_START_LINE || reason == PEM_R_BAD_BASE64_DECODE || reason == PEM_R_BAD_END_LINE ||
            reason == PEM_R_SHORT_HEADER)
            return TlsReasonKind::NotPem;
        if (reason == PEM_R_BAD_DECRYPT || reason == PEM_R_BAD_PASSWORD_READ || reason == PEM_R_PROBLEMS_GETTING_PASSWORD)
            return TlsReasonKind::BadPassword;
        break;
    case ERR_LIB_OSSL_DECODER:  // no decoder took the input: no PEM block of the kind asked for (OpenSSL 3)
        if (reason == ERR_R_UNSUPPORTED) return TlsReasonKind::NotPem;
        break;
    case ERR_LIB_X509:
        if (reason == X509_R_KEY_VALUES_MISMATCH || reason == X509_R_KEY_TYPE_MISMATCH) return TlsReasonKind::KeyMismatch;
        break;
    case ERR_LIB_SSL:
        if (reason == SSL_R_PRIVATE_KEY_MISMATCH) return TlsReasonKind::KeyMismatch;
        break;
    case ERR_LIB_EVP:
        if (reason == EVP_R_BAD_DECRYPT) return TlsReasonKind::BadPassword;
        break;
    default: break;
    }
    return TlsReasonKind::Other;
}

// The reason of the failure OpenSSL just reported, and its error queue cleared: the first error (the cause; later
// ones are the callers' "and so I failed too") of a known kind, else Other with OpenSSL's words of the first error;
// None when the queue is empty.
TlsReason takeTlsReason() {
    TlsReason out;
    std::string first;
    while (unsigned long code = ERR_get_error()) {
        if (first.empty()) first = errorText(code);
        const TlsReasonKind kind = classify(code);
        if (out.kind != TlsReasonKind::None || kind == TlsReasonKind::Other) continue;
        out = kind == TlsReasonKind::System ? systemReason(ERR_GET_REASON(code)) : TlsReason{kind, 0, errorText(code)};
    }
    if (out.kind == TlsReasonKind::None && !first.empty()) out = TlsReason{TlsReasonKind::Other, 0, first};
    return out;
}

// OpenSSL's reason in its words after `what` (and the queue cleared), for a channel's error (the trace's detail).
std::string opensslError(std::string_view what) {
    const TlsReason reason = takeTlsReason();
    return reason.text.empty() ? std::string(what) : fmt::format("{}: {}", what, reason.text);
}

// A password callback that has none: an encrypted key fails (BadPassword) instead of prompting on the terminal.
int noPassword(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return -1; }

std::string bioText(BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string certPem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    return bioText(bio.get());
}

std::string keyPem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    return bioText(bio.get());
}

X509Ptr readCert(std::string_view pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

KeyPtr readKey(std::string_view pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return KeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr));
}

std::string nameText(const X509_NAME* name) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN | (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB));
    return bioText(bio.get());
}

bool isIpAddress(const std::string& s) {
    unsigned char buf[16];
    return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::optional<std::string> readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// An exclusive lock on the CA directory for as long as it lives (flock on ".lock").
class DirLock {
public:
    explicit DirLock(const fs::path& dir) {
        m_fd = ::open((dir / ".lock").c_str(), O_RDWR | O_CREAT, 0600);
        if (m_fd >= 0) ::flock(m_fd, LOCK_EX);
    }
    ~DirLock() {
        if (m_fd >= 0) ::close(m_fd);  // closing releases the lock
    }
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;

private:
    int m_fd = -1;
};

bool addExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A new certificate for `key` named `cn`, signed by `issuerKey` (issuer = `issuer`, or itself when null).
std::expected<X509Ptr, TlsReason> makeCertificate(EVP_PKEY* key, const std::string& cn, X509* issuer,
                                                  EVP_PKEY* issuerKey, int days,
                                                  const std::vector<std::pair<int, std::string>>& extensions) {
    X509Ptr cert(X509_new());
    if (!cert) return std::unexpected(takeTlsReason());
    X509_set_version(cert.get(), 2);  // v3
    std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> serial(BN_new());
    BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
    BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -86400);  // a day of slack for clocks that are behind
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("mailsim"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : extensions)
        if (!addExtension(cert.get(), &ctx, nid, value.c_str()))
            return std::unexpected(takeTlsReason());
    if (X509_sign(cert.get(), issuerKey, EVP_sha256()) == 0) return std::unexpected(takeTlsReason());
    return cert;
}

std::string sanitizeFileName(const std::string& host) {
    std::string out;
    for (char c : host) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
    return out.empty() ? "host" : out;
}

}  // namespace

fs::path ClassroomCa::defaultDirectory() {
    if (const char* d = std::getenv("MAILSIM_CA_DIR"); d && *d) return d;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return fs::path(x) / "mailsim" / "ca";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".local" / "share" / "mailsim" / "ca";
    return fs::temp_directory_path() / "mailsim-ca";
}

namespace {

// A file of the CA, read whole; the error names the file and what is wrong with it (errno's text for what the system
// refused: permissions, a directory in its place, ...).
std::expected<std::string, CaError> readCaFile(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return std::unexpected(CaError{CaProblem::IsDirectory, path.string(), {}, {}, {}, {}});
    auto unreadable = [&](int err) {
        return std::unexpected(CaError{CaProblem::Unreadable, path.string(), {}, {}, {}, systemReason(err)});
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return unreadable(errno);
    std::string text;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return unreadable(err);
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > 1024 * 1024) {
            ::close(fd);
            return std::unexpected(CaError{CaProblem::TooLarge, path.string(), {}, {}, {}, {}});
        }
    }
    ::close(fd);
    return text;
}

// Whether anything at all is at `path` (a file, a directory, a dangling symlink): if so, it is never replaced.
bool present(const fs::path& path) {
    std::error_code ec;
    return fs::symlink_status(path, ec).type() != fs::file_type::not_found || (ec && ec != std::errc::no_such_file_or_directory);
}

CaError caError(CaProblem problem, std::string path, std::string detail = {}) {
    return CaError{problem, std::move(path), {}, std::move(detail), {}, {}};
}

CaError caError(CaProblem problem, std::string path, TlsReason reason) {
    return CaError{problem, std::move(path), {}, {}, {}, std::move(reason)};
}

}  // namespace

std::string_view caProblemName(CaProblem problem) {
    static constexpr std::string_view kNames[] = {"is-directory",      "unreadable",   "too-large",
                                                  "missing",           "not-a-certificate", "not-a-private-key",
                                                  "key-mismatch",      "cannot-create", "cannot-write",
                                                  "openssl",           "unusable"};
    static_assert(std::size(kNames) == static_cast<std::size_t>(kLastCaProblem) + 1);
    return kNames[static_cast<std::size_t>(problem)];
}

std::string caErrorFacts(const CaError& e) {
    std::string out(caProblemName(e.problem));
    for (const std::string* part : {&e.path, &e.other})
        if (!part->empty()) out += " " + *part;
    if (e.reason.kind != TlsReasonKind::None) out += ": " + tlsReasonFacts(e.reason);
    if (!e.detail.empty()) out += ": " + e.detail;
    return out;
}

std::string_view tlsReasonKindName(TlsReasonKind kind) {
    static constexpr std::string_view kNames[] = {"none", "system", "not-pem", "key-mismatch", "bad-password", "other"};
    static_assert(std::size(kNames) == static_cast<std::size_t>(kLastTlsReasonKind) + 1);
    return kNames[static_cast<std::size_t>(kind)];
}

std::string tlsReasonFacts(const TlsReason& reason) {
    std::string out(tlsReasonKindName(reason.kind));
    if (reason.kind == TlsReasonKind::System) out += fmt::format(" {} ({})", reason.sysErrno, reason.text);
    if (reason.kind == TlsReasonKind::Other) out += ": " + reason.text;
    return out;
}

TlsReason systemReason(int err) { return TlsReason{TlsReasonKind::System, err, std::strerror(err)}; }

std::string_view tlsStepName(TlsStep step) {
    static constexpr std::string_view kNames[] = {"create-context",   "set-versions", "set-ciphers", "load-certificate",
                                                  "load-chain",       "load-key",     "check-key",   "trust-ca"};
    static_assert(std::size(kNames) == static_cast<std::size_t>(kLastTlsStep) + 1);
    return kNames[static_cast<std::size_t>(step)];
}

std::string tlsContextErrorFacts(const TlsContextError& e) {
    std::string out(tlsStepName(e.step));
    if (!e.file.empty()) out += " " + e.file;
    return out + ": " + tlsReasonFacts(e.reason);
}

std::expected<std::optional<ClassroomCa>, CaError> ClassroomCa::load(const fs::path& directory) {
    const fs::path certPath = directory / "ca.pem", keyPath = directory / "ca.key";
    const bool haveCert = present(certPath), haveKey = present(keyPath);
    if (!haveCert && !haveKey) return std::optional<ClassroomCa>{};
    // An existing CA is never replaced (students already trust its ca.pem): the message says how to start anew.
    auto fail = [&](CaError e) {
        e.keptDirectory = directory.string();
        return std::unexpected(std::move(e));
    };
    if (!haveCert) return fail({CaProblem::Missing, certPath.string(), keyPath.string(), {}, {}, {}});
    if (!haveKey) return fail({CaProblem::Missing, keyPath.string(), certPath.string(), {}, {}, {}});
    auto certText = readCaFile(certPath);
    if (!certText) return fail(certText.error());
    auto keyText = readCaFile(keyPath);
    if (!keyText) return fail(keyText.error());
    X509Ptr cert = readCert(*certText);
    if (!cert) return fail(caError(CaProblem::NotCertificate, certPath.string(), takeTlsReason()));
    KeyPtr key = readKey(*keyText);
    if (!key) return fail(caError(CaProblem::NotPrivateKey, keyPath.string(), takeTlsReason()));
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        return fail(caError(CaProblem::KeyMismatch, directory.string(), takeTlsReason()));
    ClassroomCa ca;
    ca.m_dir = directory;
    ca.m_certPem = *certText;
    ca.m_keyPem = *keyText;
    return std::optional<ClassroomCa>(std::move(ca));
}

std::expected<ClassroomCa, CaError> ClassroomCa::open(const fs::path& directory) {
    std::error_code ec;
    fs::create_directories(directory / "hosts", ec);
    if (ec) return std::unexpected(caError(CaProblem::CannotCreate, directory.string(), systemReason(ec.value())));
    DirLock lock(directory);
    auto existing = load(directory);
    if (!existing) return std::unexpected(existing.error());
    if (*existing) return std::move(**existing);
    ClassroomCa ca;
    ca.m_dir = directory;
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key) return std::unexpected(caError(CaProblem::OpenSsl, {}, takeTlsReason()));
    auto cert = makeCertificate(key.get(), kCaName, nullptr, key.get(), kCaDays,
                                {{NID_basic_constraints, "critical,CA:TRUE"},
                                 {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                 {NID_subject_key_identifier, "hash"},
                                 {NID_authority_key_identifier, "keyid:always"}});
    if (!cert) return std::unexpected(caError(CaProblem::OpenSsl, {}, cert.error()));
    ca.m_certPem = certPem(cert->get());
    ca.m_keyPem = keyPem(key.get());
    if (auto w = store::writeFileDurably((directory / "ca.key").string(), ca.m_keyPem, 0600); !w)
        return std::unexpected(caError(CaProblem::CannotWrite, (directory / "ca.key").string(), w.error().text()));
    if (auto w = store::writeFileDurably((directory / "ca.pem").string(), ca.m_certPem, 0644); !w)
        return std::unexpected(caError(CaProblem::CannotWrite, (directory / "ca.pem").string(), w.error().text()));
    return ca;
}

std::string ClassroomCa::subject() const {
    X509Ptr cert = readCert(m_certPem);
    return cert ? nameText(X509_get_subject_name(cert.get())) : std::string();
}

std::expected<CertifiedKey, CaError> ClassroomCa::hostCertificate(const std::string& hostName,
                                                                  const std::vector<std::string>& altNames) const {
    std::vector<std::string> names{hostName};
    for (const auto& n : altNames)
        if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    X509Ptr caCert = readCert(m_certPem);
    KeyPtr caKey = readKey(m_keyPem);
    if (!caCert || !caKey) return std::unexpected(caError(CaProblem::Unusable, m_dir.string()));
    fs::path base = m_dir / "hosts" / sanitizeFileName(hostName);
    fs::path certPath = base, keyPath = base;
    certPath += ".pem";
    keyPath += ".key";

    DirLock lock(m_dir);
    // Reuse a saved certificate that still fits: signed by this CA, names every requested name, not expiring.
    if (auto c = readFile(certPath), k = readFile(keyPath); c && k) {
        X509Ptr cert = readCert(*c);
        KeyPtr key = readKey(*k);
        bool fits = cert && key && X509_check_private_key(cert.get(), key.get()) == 1 &&
                    X509_verify(cert.get(), caKey.get()) == 1;
        std::time_t soon = std::time(nullptr) + kRenewBefore;
        if (fits) fits = X509_cmp_time(X509_get0_notAfter(cert.get()), &soon) > 0;
        for (const auto& n : names) {
            if (!fits) break;
            fits = isIpAddress(n) ? X509_check_ip_asc(cert.get(), n.c_str(), 0) == 1
                                  : X509_check_host(cert.get(), n.c_str(), n.size(), 0, nullptr) == 1;
        }
        ERR_clear_error();  // a saved file that did not fit is simply reissued
        if (fits) return CertifiedKey{*c + m_certPem, *k, certPath.string(), keyPath.string()};
    }
    std::string san;
    for (const auto& n : names) san += fmt::format("{}{}:{}", san.empty() ? "" : ",", isIpAddress(n) ? "IP" : "DNS", n);
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key) return std::unexpected(caError(CaProblem::OpenSsl, {}, takeTlsReason()));
    auto cert = makeCertificate(key.get(), hostName, caCert.get(), caKey.get(), kHostDays,
                                {{NID_basic_constraints, "critical,CA:FALSE"},
                                 {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                                 {NID_ext_key_usage, "serverAuth"},
                                 {NID_subject_key_identifier, "hash"},
                                 {NID_authority_key_identifier, "keyid:always"},
                                 {NID_subject_alt_name, san}});
    if (!cert) return std::unexpected(caError(CaProblem::OpenSsl, {}, cert.error()));
    CertifiedKey out{certPem(cert->get()), keyPem(key.get()), certPath.string(), keyPath.string()};
    if (auto w = store::writeFileDurably(keyPath.string(), out.privateKeyPem, 0600); !w)
        return std::unexpected(caError(CaProblem::CannotWrite, keyPath.string(), w.error().text()));
    if (auto w = store::writeFileDurably(certPath.string(), out.certificatePem, 0644); !w)
        return std::unexpected(caError(CaProblem::CannotWrite, certPath.string(), w.error().text()));
    out.certificatePem += m_certPem;
    return out;
}

// ---- contexts and channels ----

struct TlsContext::Impl {
    SSL_CTX* ctx = nullptr;
    ~Impl() {
        if (ctx) SSL_CTX_free(ctx);
    }
};

namespace {

// The error of `step` on `file`, with the reason OpenSSL just reported (its queue cleared).
std::unexpected<TlsContextError> contextError(TlsStep step, std::string file = {}) {
    return std::unexpected(TlsContextError{step, std::move(file), takeTlsReason()});
}

}  // namespace

std::expected<TlsContext, TlsContextError> TlsContext::server(const CertifiedKey& key) {
    ERR_clear_error();
    TlsContext out;
    out.m_impl = std::make_shared<Impl>();
    SSL_CTX* ctx = out.m_impl->ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) return contextError(TlsStep::CreateContext);
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) return contextError(TlsStep::SetVersions);
    // TLS 1.2: forward-secret AEAD suites only (RFC 7525 4.2, RFC 9325 4.2; Mozilla "intermediate"): no CBC, no
    // SHA-1 MAC, no static RSA key exchange. TLS 1.3's suites are all AEAD already.
    if (SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1) return contextError(TlsStep::SetCiphers);
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
    BioPtr bio(BIO_new_mem_buf(key.certificatePem.data(), static_cast<int>(key.certificatePem.size())));
    X509Ptr leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1)
        return contextError(TlsStep::LoadCertificate, key.certificateFile);
    // The rest of the file is the chain; it ends where no further PEM block starts (any other error is one).
    while (X509* extra = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
        if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) {  // takes ownership only when it succeeds
            X509_free(extra);
            return contextError(TlsStep::LoadChain, key.certificateFile);
        }
    if (const unsigned long end = ERR_peek_last_error();
        end != 0 && !(ERR_GET_LIB(end) == ERR_LIB_PEM && ERR_GET_REASON(end) == PEM_R_NO_START_LINE))
        return contextError(TlsStep::LoadChain, key.certificateFile);
    ERR_clear_error();
    KeyPtr pkey = readKey(key.privateKeyPem);
    if (!pkey) return contextError(TlsStep::LoadKey, key.privateKeyFile);
    if (X509_check_private_key(leaf.get(), pkey.get()) != 1) return contextError(TlsStep::CheckKey, key.privateKeyFile);
    if (SSL_CTX_use_PrivateKey(ctx, pkey.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
        return contextError(TlsStep::LoadKey, key.privateKeyFile);
    return out;
}

std::expected<TlsContext, TlsContextError> TlsContext::client(const std::string& caPem, bool systemRoots,
                                                              const std::string& caFile) {
    ERR_clear_error();
    TlsContext out;
    out.m_impl = std::make_shared<Impl>();
    SSL_CTX* ctx = out.m_impl->ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) return contextError(TlsStep::CreateContext);
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) return contextError(TlsStep::SetVersions);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    X509Ptr ca = readCert(caPem);
    if (!ca || X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca.get()) != 1)
        return contextError(TlsStep::TrustCa, caFile);
    if (systemRoots) SSL_CTX_set_default_verify_paths(ctx);
    ERR_clear_error();  // a system store that is missing or partly unreadable leaves only the classroom CA trusted
    return out;
}

struct TlsChannel::State {
    std::shared_ptr<TlsContext::Impl> context;  // keeps the SSL_CTX alive
    SSL* ssl = nullptr;  // owns both memory BIOs
    BIO* in = nullptr;   // wire bytes from the peer: the transport writes, OpenSSL reads
    BIO* out = nullptr;  // wire bytes for the peer: OpenSSL writes, the transport reads
    ~State() {
        if (ssl) SSL_free(ssl);
    }
};

TlsChannel::TlsChannel(std::unique_ptr<State> state, bool client) : m_state(std::move(state)), m_client(client) {}
TlsChannel::~TlsChannel() = default;

struct TlsChannelFactory {
    static std::unique_ptr<TlsChannel::State> make(const TlsContext& context) {
        auto state = std::make_unique<TlsChannel::State>();
        state->context = context.impl();
        state->ssl = SSL_new(context.impl()->ctx);
        state->in = BIO_new(BIO_s_mem());
        state->out = BIO_new(BIO_s_mem());
        BIO_set_mem_eof_return(state->in, -1);  // empty means "wait for more", not end of stream
        SSL_set_bio(state->ssl, state->in, state->out);
        return state;
    }
};

std::unique_ptr<TlsChannel> TlsChannel::server(const TlsContext& context) {
    auto state = TlsChannelFactory::make(context);
    SSL_set_accept_state(state->ssl);
    return std::unique_ptr<TlsChannel>(new TlsChannel(std::move(state), false));
}

std::unique_ptr<TlsChannel> TlsChannel::client(const TlsContext& context, const std::string& hostName) {
    auto state = TlsChannelFactory::make(context);
    SSL_set_connect_state(state->ssl);
    if (isIpAddress(hostName)) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(state->ssl), hostName.c_str());
    } else {
        // SNI (RFC 6066 3). SSL_set_tlsext_host_name is a macro with a C cast (-Wold-style-cast): its expansion.
        SSL_ctrl(state->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(hostName.c_str()));
        SSL_set1_host(state->ssl, hostName.c_str());
    }
    auto channel = std::unique_ptr<TlsChannel>(new TlsChannel(std::move(state), true));
    channel->pump();  // the ClientHello
    return channel;
}

void TlsChannel::fail(std::string why) {
    m_failed = true;
    m_error = std::move(why);
}

void TlsChannel::pump() {
    if (m_failed) return;
    SSL* ssl = m_state->ssl;
    ERR_clear_error();
    if (!m_done) {
        int r = SSL_do_handshake(ssl);
        if (r == 1) {
            m_done = true;
            m_info.version = SSL_get_version(ssl);
            m_info.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
            X509* cert = m_client ? SSL_get1_peer_certificate(ssl) : SSL_get_certificate(ssl);
            if (cert) {
                m_info.peerSubject = nameText(X509_get_subject_name(cert));
                m_info.peerIssuer = nameText(X509_get_issuer_name(cert));
                if (m_client) X509_free(cert);
            }
            m_info.verified = m_client && SSL_get_verify_result(ssl) == X509_V_OK;
        } else {
            int e = SSL_get_error(ssl, r);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
                long verify = SSL_get_verify_result(ssl);
                if (m_client && verify != X509_V_OK)
                    fail(fmt::format("certificate verification failed: {}", X509_verify_cert_error_string(verify)));
                else
                    fail(opensslError("handshake failed"));
                return;
            }
        }
    }
    if (!m_done) return;
    if (!m_pendingPlain.empty()) {
        // A memory BIO takes everything: SSL_write only fails on a broken session.
        std::size_t written = 0;
        if (SSL_write_ex(ssl, m_pendingPlain.data(), m_pendingPlain.size(), &written) != 1) {
            fail(opensslError("TLS write failed"));
            return;
        }
        m_pendingPlain.erase(0, written);
    }
    char buf[16384];
    for (;;) {
        std::size_t n = 0;
        int r = SSL_read_ex(ssl, buf, sizeof buf, &n);
        if (r == 1) {
            m_plainIn.append(buf, n);
            continue;
        }
        int e = SSL_get_error(ssl, 0);
        if (e == SSL_ERROR_ZERO_RETURN) m_peerClosed = true;  // close_notify received
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_ZERO_RETURN) break;
        fail(opensslError("TLS record error"));
        break;
    }
    ERR_clear_error();
}

void TlsChannel::receiveWire(std::string_view bytes) {
    if (m_failed || bytes.empty()) return;
    BIO_write(m_state->in, bytes.data(), static_cast<int>(bytes.size()));
    pump();
}

bool TlsChannel::hasWire() const { return BIO_ctrl_pending(m_state->out) > 0; }

std::string TlsChannel::takeWire() {
    std::string out(BIO_ctrl_pending(m_state->out), '\0');
    int n = out.empty() ? 0 : BIO_read(m_state->out, out.data(), static_cast<int>(out.size()));
    out.resize(static_cast<std::size_t>(std::max(n, 0)));
    return out;
}

void TlsChannel::sendPlaintext(std::string_view bytes) {
    m_pendingPlain.append(bytes);
    if (m_done) pump();
}

std::string TlsChannel::takePlaintext() { return std::exchange(m_plainIn, {}); }

void TlsChannel::close() {
    if (m_done && !m_failed) {
        ERR_clear_error();
        SSL_shutdown(m_state->ssl);
        ERR_clear_error();
    }
}

std::string describeRecords(std::string_view wire, std::string& carry) {
    std::string buf = std::exchange(carry, {});
    buf.append(wire);
    std::string out;
    std::size_t pos = 0;
    auto add = [&out](std::string_view what) {
        if (!out.empty()) out += ", ";
        out += what;
    };
    while (buf.size() - pos >= 5) {
        auto type = static_cast<unsigned char>(buf[pos]);
        auto major = static_cast<unsigned char>(buf[pos + 1]);
        std::size_t len = (static_cast<unsigned char>(buf[pos + 3]) << 8) | static_cast<unsigned char>(buf[pos + 4]);
        if (type < 20 || type > 24 || major != 3) {
            add(fmt::format("not TLS: {} B", buf.size() - pos));
            return out;
        }
        if (buf.size() - pos < 5 + len) break;
        std::string name;
        switch (type) {
        case 20: name = "change cipher spec"; break;
        case 21: name = "alert"; break;
        case 22: {
            auto hs = len > 0 ? static_cast<unsigned char>(buf[pos + 5]) : 0;
            name = hs == 1 ? "handshake (ClientHello)" : hs == 2 ? "handshake (ServerHello)" : "handshake";
            break;
        }
        case 23: name = "application data"; break;
        default: name = "heartbeat"; break;
        }
        add(fmt::format("{} {} B", name, 5 + len));
        pos += 5 + len;
    }
    if (pos < buf.size()) {
        carry = buf.substr(pos);
        if (out.empty()) out = fmt::format("part of a record, {} B", wire.size());
    }
    return out;
}

}  // namespace mailsim::sim
