// TLS for the simulator and `mailsim serve`: the classroom certificate authority and a TLS endpoint over memory
// buffers (OpenSSL 3 memory BIOs), shared by the virtual network and real sockets.
//
// Theory of operation
// - A TlsChannel never touches a socket. Bytes from the peer go in with `receiveWire`; bytes for the peer come out
//   of `takeWire` (handshake messages, then records). Application data goes in with `sendPlaintext` (held until the
//   handshake is done) and comes out of `takePlaintext`. The transport moves the bytes; the channel only
//   transforms them, so the same code runs over the virtual network (where segments can be split and merged
//   arbitrarily) and over TCP.
// - Handshake: the client sends its ClientHello when created (`takeWire` right away); the server answers when the
//   ClientHello arrives. `handshakeDone()` becomes true once keys are agreed (RFC 8446 4); `failed()` when OpenSSL
//   gives up (bad certificate, garbage on the wire: plaintext sent to a TLS port shows up here), with `error()`.
// - Verification: a client context trusts the classroom CA (and, optionally, the system store). The server's
//   certificate must chain to it and name the host the client asked for (RFC 6125 via X509_check_host/IP).
//
// The classroom CA (`ClassroomCa`)
// - On first use a CA key and self-signed certificate are created in a directory (default: $MAILSIM_CA_DIR, else
//   $XDG_DATA_HOME/mailsim/ca, else ~/.local/share/mailsim/ca) and reused afterwards, so students trust it once
//   (`mailsim ca export`). Host certificates are issued per host name with DNS/IP subject alternative names, saved
//   under `hosts/`, reused while they cover the requested names, chain to the current CA and are not about to
//   expire, and reissued otherwise. Creation is serialised with a lock file, so parallel processes (tests) agree.
// - Keys are ECDSA P-256; private keys are written 0600.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <optional>
#include <vector>

namespace mailsim::sim {

struct CertifiedKey {
    std::string certificatePem;  // the host certificate followed by the CA certificate (the chain to send)
    std::string privateKeyPem;
};

// Why the classroom CA could not be opened, loaded or asked for a host certificate: typed data, worded by the layer
// that prints it in its user's language (sim/serve/ServeText.hpp: caErrorText; `mailsim serve` and `mailsim ca`).
// `detail` holds only a lower layer's own words: the system's reason (strerror), OpenSSL's error, or FileIo's error
// of a failed write.
enum class CaProblem : std::uint8_t {
    IsDirectory,      // `path` is a directory, not a file
    Unreadable,       // `path` cannot be read: `detail`
    TooLarge,         // `path` is larger than 1 MiB: not a CA file
    Missing,          // `path` is missing while `other` exists
    NotCertificate,   // `path` is not a PEM certificate
    NotPrivateKey,    // `path` is not a PEM private key
    KeyMismatch,      // ca.pem and ca.key in `path` (the directory) do not match
    CannotCreate,     // the CA directory `path` cannot be created: `detail`
    CannotWrite,      // a CA or host file could not be written: `detail`
    OpenSsl,          // OpenSSL failed while making a key or certificate: `detail`
    Unusable,         // the loaded CA's certificate or key cannot be used
};
inline constexpr CaProblem kLastCaProblem = CaProblem::Unusable;
// "is-directory", "unreadable", ...: the problem as data (for a trace's detail, which has no language).
std::string_view caProblemName(CaProblem problem);

struct CaError {
    CaProblem problem = CaProblem::Unusable;
    std::string path;
    std::string other;
    std::string detail;
    // Set when an existing CA is kept as it is (never replaced: students trust its ca.pem): the directory to remove
    // to start a new one, which the message tells.
    std::string keptDirectory;
};
// The error as data in one line, language-free: "not-a-private-key /x/ca.key" (+ ": detail").
std::string caErrorFacts(const CaError& error);

class ClassroomCa {
public:
    static std::filesystem::path defaultDirectory();
    // Loads the CA from `directory`, creating it (and the directory) when there is none: neither ca.pem nor ca.key
    // exists. An existing CA is never replaced: when either file is there but missing its partner, unreadable
    // (permissions, a directory in its place), corrupt or not matching, the error names the file and the problem.
    static std::expected<ClassroomCa, CaError> open(const std::filesystem::path& directory);
    // The same without creating anything (no directory, no key, no lock file): nullopt when there is no CA.
    static std::expected<std::optional<ClassroomCa>, CaError> load(const std::filesystem::path& directory);

    const std::filesystem::path& directory() const { return m_dir; }
    const std::string& certificatePem() const { return m_certPem; }
    std::string subject() const;  // e.g. "CN=mailsim classroom CA, O=mailsim"
    // A certificate for `hostName` whose subject alternative names include it and every name in `altNames`
    // (a name that parses as an IPv4/IPv6 address becomes an IP entry).
    std::expected<CertifiedKey, CaError> hostCertificate(const std::string& hostName,
                                                         const std::vector<std::string>& altNames = {}) const;

private:
    std::filesystem::path m_dir;
    std::string m_certPem;
    std::string m_keyPem;
};

// What a finished handshake agreed, for the trace.
struct TlsInfo {
    std::string version;       // "TLSv1.3"
    std::string cipher;        // "TLS_AES_256_GCM_SHA384"
    std::string peerSubject;   // client side: the server certificate's subject ("CN=mail.cesoo.com")
    std::string peerIssuer;    // "CN=mailsim classroom CA, O=mailsim"
    bool verified = false;     // client side: the chain and the host name were verified
};

// OpenSSL contexts, shared by many channels (an SSL_CTX behind a shared pointer; opaque here).
class TlsContext {
public:
    static std::expected<TlsContext, std::string> server(const CertifiedKey& key);
    // Trusts `caPem`; with `systemRoots` also the system's trust store.
    static std::expected<TlsContext, std::string> client(const std::string& caPem, bool systemRoots = false);
    struct Impl;
    const std::shared_ptr<Impl>& impl() const { return m_impl; }

private:
    std::shared_ptr<Impl> m_impl;
};

class TlsChannel {
public:
    static std::unique_ptr<TlsChannel> server(const TlsContext& context);
    // `hostName`: what the client connects to; sent as SNI and checked against the certificate.
    static std::unique_ptr<TlsChannel> client(const TlsContext& context, const std::string& hostName);
    ~TlsChannel();
    TlsChannel(const TlsChannel&) = delete;
    TlsChannel& operator=(const TlsChannel&) = delete;

    void receiveWire(std::string_view bytes);
    std::string takeWire();
    bool hasWire() const;
    void sendPlaintext(std::string_view bytes);
    std::string takePlaintext();
    // Sends close_notify (RFC 8446 6.1); the bytes come out of takeWire.
    void close();

    bool handshakeDone() const { return m_done; }
    // The peer sent close_notify (RFC 8446 6.1): it will send nothing more; answer with close() and hang up.
    bool peerClosed() const { return m_peerClosed; }
    bool failed() const { return m_failed; }
    const std::string& error() const { return m_error; }
    const TlsInfo& info() const { return m_info; }
    bool isClient() const { return m_client; }

    struct State;

private:
    friend struct TlsChannelFactory;
    TlsChannel(std::unique_ptr<State> state, bool client);
    void pump();
    void fail(std::string why);

    std::unique_ptr<State> m_state;
    bool m_client;
    bool m_done = false;
    bool m_failed = false;
    bool m_peerClosed = false;
    std::string m_error;
    TlsInfo m_info;
    std::string m_pendingPlain;  // written before the handshake finished
    std::string m_plainIn;
};

// Describes the TLS records in `wire` as an eavesdropper sees them (RFC 8446 5.1: type, version, length; the
// handshake message type while it is still in clear), e.g. "handshake (ClientHello) 517 B". `carry` holds the
// part of a record split across calls, so a stream can be described segment by segment.
std::string describeRecords(std::string_view wire, std::string& carry);

}  // namespace mailsim::sim
