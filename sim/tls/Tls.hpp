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
    // Where they are kept (ClassroomCa: hosts/NAME.pem and .key), for errors; "" when not from files.
    std::string certificateFile;
    std::string privateKeyFile;
};

// Why OpenSSL, or the system beneath it, refused: typed data, detected from OpenSSL's error codes (ERR_GET_LIB,
// ERR_GET_REASON), never from its words, so the layer that prints it words the common reasons in its user's language
// (sim/serve/ServeText.hpp: tlsReasonText) and quotes OpenSSL's own text only for the rest.
enum class TlsReasonKind : std::uint8_t {
    None,         // no reason known: OpenSSL left no error
    System,       // the system refused (a file missing, unreadable, ...): `sysErrno`
    NotPem,       // not PEM of the kind asked for: no such "-----BEGIN" line, or a PEM block that does not decode
    KeyMismatch,  // the private key does not belong to the certificate
    BadPassword,  // an encrypted private key: no or a wrong password (bad decrypt)
    Other,        // anything else: OpenSSL's own `text`
};
inline constexpr TlsReasonKind kLastTlsReasonKind = TlsReasonKind::Other;

struct TlsReason {
    TlsReasonKind kind = TlsReasonKind::None;
    int sysErrno = 0;  // System: the errno
    std::string text;  // OpenSSL's own text of its first error ("error:0480006C:PEM routines::no start line"), or
                       // strerror for System: the reason in the lower layer's words, for facts and for Other
};
// "none", "system", "not-pem", ...: the kind as data.
std::string_view tlsReasonKindName(TlsReasonKind kind);
// The reason as data in one line, language-free: "system 2 (No such file or directory)", "not-pem", "other: error:...".
std::string tlsReasonFacts(const TlsReason& reason);
// The reason for the system's `err` (an errno), as OpenSSL's ERR_LIB_SYS errors are typed.
TlsReason systemReason(int err);

// Why the classroom CA could not be opened, loaded or asked for a host certificate: typed data, worded by the layer
// that prints it in its user's language (sim/serve/ServeText.hpp: caErrorText; `mailsim serve` and `mailsim ca`).
// `reason` is the system's or OpenSSL's reason, typed (Unreadable, CannotCreate, OpenSsl); `detail` holds only
// FileIo's own words for a failed write (CannotWrite).
enum class CaProblem : std::uint8_t {
    IsDirectory,      // `path` is a directory, not a file
    Unreadable,       // `path` cannot be read: `reason`
    TooLarge,         // `path` is larger than 1 MiB: not a CA file
    Missing,          // `path` is missing while `other` exists
    NotCertificate,   // `path` is not a PEM certificate
    NotPrivateKey,    // `path` is not a PEM private key
    KeyMismatch,      // ca.pem and ca.key in `path` (the directory) do not match
    CannotCreate,     // the CA directory `path` cannot be created: `reason`
    CannotWrite,      // a CA or host file could not be written: `detail`
    OpenSsl,          // OpenSSL failed while making a key or certificate: `reason`
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
    TlsReason reason;
};
// The error as data in one line, language-free: "not-a-private-key /x/ca.key" (+ ": reason facts", ": detail").
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

// The step of building an OpenSSL context that failed.
enum class TlsStep : std::uint8_t {
    CreateContext,    // SSL_CTX_new
    SetVersions,      // the lowest protocol version (TLS 1.2)
    SetCiphers,       // the TLS 1.2 cipher suites
    LoadCertificate,  // the server's certificate (`file`)
    LoadChain,        // a CA certificate of the server's chain (`file`)
    LoadKey,          // the server's private key (`file`)
    CheckKey,         // the private key (`file`) against the certificate
    TrustCa,          // the CA certificate the client trusts (`file`)
};
inline constexpr TlsStep kLastTlsStep = TlsStep::TrustCa;
// "create-context", "load-certificate", ...: the step as data.
std::string_view tlsStepName(TlsStep step);

// Why an OpenSSL context could not be built: the step, the file its PEM came from ("" when none is known) and the
// reason. Worded by the layer that prints it (sim/serve/ServeText.hpp: tlsContextErrorText).
struct TlsContextError {
    TlsStep step = TlsStep::CreateContext;
    std::string file;
    TlsReason reason;
};
// The error as data in one line, language-free (the simulator's trace): "load-key /ca/hosts/m.key: not-pem".
std::string tlsContextErrorFacts(const TlsContextError& error);

// OpenSSL contexts, shared by many channels (an SSL_CTX behind a shared pointer; opaque here).
class TlsContext {
public:
    // A server context for `key`: its certificate, the chain after it, its private key (never asks for a password:
    // an encrypted key fails with BadPassword). Errors name `key`'s files when it has them.
    static std::expected<TlsContext, TlsContextError> server(const CertifiedKey& key);
    // Trusts `caPem` (read from `caFile`, named in errors); with `systemRoots` also the system's trust store.
    static std::expected<TlsContext, TlsContextError> client(const std::string& caPem, bool systemRoots = false,
                                                             const std::string& caFile = {});
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
