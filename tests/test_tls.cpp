// The TLS layer (sim/tls/Tls.hpp, sim/tls/TlsSession.hpp): the classroom CA, handshakes over memory buffers split at random
// points, verification failures, and a protocol session behind implicit TLS.
#include "sim/tls/ServerSessions.hpp"
#include "store/MemoryStore.hpp"
#include "sim/tls/Tls.hpp"
#include "sim/tls/TlsSession.hpp"
#include "sim/serve/ServeText.hpp"

#include <catch2/catch.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

using namespace mailsim;
using namespace mailsim::sim;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "mailsim-tls-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Moves bytes between two channels until neither has anything to say, cutting every transfer into random pieces.
void exchange(TlsChannel& a, TlsChannel& b, std::mt19937& rng) {
    for (int round = 0; round < 50 && (a.hasWire() || b.hasWire()); ++round) {
        for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
            std::string wire = from->takeWire();
            std::size_t pos = 0;
            while (pos < wire.size()) {
                std::size_t n = std::uniform_int_distribution<std::size_t>(1, 64)(rng);
                to->receiveWire(std::string_view(wire).substr(pos, n));
                pos += n;
            }
        }
    }
}

struct Pki {
    TempDir dir;
    ClassroomCa ca = *ClassroomCa::open(dir.path);
    TlsContext server = *TlsContext::server(*ca.hostCertificate("mail.cesoo.com", {"cesoo.com", "10.0.0.1"}));
    TlsContext client = *TlsContext::client(ca.certificatePem());
};

}  // namespace

TEST_CASE("the classroom CA is created once and reused; host certificates are saved and reissued when names change") {
    TempDir dir;
    auto first = ClassroomCa::open(dir.path);
    REQUIRE(first);
    CHECK(fs::exists(dir.path / "ca.pem"));
    CHECK((fs::status(dir.path / "ca.key").permissions() & fs::perms::others_read) == fs::perms::none);
    CHECK(first->subject().find("CN=mailsim classroom CA") != std::string::npos);
    auto again = ClassroomCa::open(dir.path);
    REQUIRE(again);
    CHECK(again->certificatePem() == first->certificatePem());

    auto a = first->hostCertificate("mail.cesoo.com", {"10.0.0.1"});
    REQUIRE(a);
    auto b = again->hostCertificate("mail.cesoo.com", {"10.0.0.1"});
    REQUIRE(b);
    CHECK(a->certificatePem == b->certificatePem);  // reused
    auto c = again->hostCertificate("mail.cesoo.com", {"smtp.cesoo.com"});
    REQUIRE(c);
    CHECK(c->certificatePem != a->certificatePem);  // a new name: reissued
}

TEST_CASE("a broken CA directory is reported, not silently replaced") {
    TempDir dir;
    REQUIRE(ClassroomCa::open(dir.path));
    {
        std::ofstream out(dir.path / "ca.key");
        out << "not a key\n";
    }
    const std::string pemBefore = [&] {
        std::ifstream in(dir.path / "ca.pem");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    auto broken = ClassroomCa::open(dir.path);
    REQUIRE_FALSE(broken);
    CHECK(caErrorText(broken.error(), i18n::Lang::En).find((dir.path / "ca.key").string() + ": not a PEM private key (corrupt?)") != std::string::npos);
    CHECK(caErrorText(broken.error(), i18n::Lang::En).find("never replaced") != std::string::npos);
    CHECK(broken.error().problem == CaProblem::NotPrivateKey);
    CHECK(broken.error().keptDirectory == dir.path.string());
    CHECK(caErrorText(broken.error(), i18n::Lang::Zh) ==
          (dir.path / "ca.key").string() + "：不是 PEM 私钥（已损坏？）；课堂 CA 从不替换，因为学生已经信任它的 ca.pem：" +
              "请修复这个文件，或者删除目录 " + dir.path.string() + " 来建立新的 CA（之后学生必须改为信任新的 CA）");
    CHECK(caErrorFacts(broken.error()) == "not-a-private-key " + (dir.path / "ca.key").string() + ": not-pem");
    std::ifstream in(dir.path / "ca.pem");
    CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == pemBefore);  // the trusted certificate is untouched
}

// Issue #12: a ca.key that cannot be read made the CA silently regenerate, overwriting the ca.pem students trust.
TEST_CASE("an unreadable, missing or replaced CA file stops with the file named; nothing is overwritten") {
    TempDir dir;
    REQUIRE(ClassroomCa::open(dir.path));
    auto readAll = [](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string pem = readAll(dir.path / "ca.pem");
    const std::string key = readAll(dir.path / "ca.key");
    const fs::path keyPath = dir.path / "ca.key";

    SECTION("a directory in place of ca.key") {
        fs::remove(keyPath);
        fs::create_directory(keyPath);
        auto r = ClassroomCa::open(dir.path);
        REQUIRE_FALSE(r);
        CHECK(caErrorText(r.error(), i18n::Lang::En).find(keyPath.string() + ": is a directory, not a file") != std::string::npos);
        CHECK(fs::is_directory(keyPath));
    }
    SECTION("ca.key missing while ca.pem exists") {
        fs::remove(keyPath);
        auto r = ClassroomCa::open(dir.path);
        REQUIRE_FALSE(r);
        CHECK(caErrorText(r.error(), i18n::Lang::En).find(keyPath.string() + ": missing, while " + (dir.path / "ca.pem").string() + " exists") !=
              std::string::npos);
        CHECK_FALSE(fs::exists(keyPath));
    }
    SECTION("a dangling symbolic link as ca.key") {
        fs::remove(keyPath);
        fs::create_symlink(dir.path / "nowhere.key", keyPath);
        auto r = ClassroomCa::open(dir.path);
        REQUIRE_FALSE(r);
        CHECK(caErrorText(r.error(), i18n::Lang::En).find(keyPath.string() + ": cannot be read: No such file or directory") != std::string::npos);
    }
    SECTION("ca.key without read permission") {
        fs::permissions(keyPath, fs::perms::none);
        auto r = ClassroomCa::open(dir.path);
        if (::geteuid() == 0) {
            // root reads files whatever their permissions: the CA simply loads, and nothing is rewritten.
            REQUIRE(r);
        } else {
            REQUIRE_FALSE(r);
            CHECK(caErrorText(r.error(), i18n::Lang::En).find(keyPath.string() + ": cannot be read: Permission denied") != std::string::npos);
        }
        fs::permissions(keyPath, fs::perms::owner_read | fs::perms::owner_write);
        CHECK(readAll(keyPath) == key);
    }
    CHECK(readAll(dir.path / "ca.pem") == pem);
}

// Issue #14: an OpenSSL context's errors are typed (the step, the file, the reason by OpenSSL's error code), so
// serve words them in the user's language.
TEST_CASE("a TLS context that cannot be built says which step failed, on which file, and why") {
    TempDir dir;
    auto ca = ClassroomCa::open(dir.path);
    REQUIRE(ca);
    auto key = ca->hostCertificate("mail.cesoo.com");
    REQUIRE(key);
    CHECK(key->certificateFile == (dir.path / "hosts" / "mail.cesoo.com.pem").string());
    CHECK(key->privateKeyFile == (dir.path / "hosts" / "mail.cesoo.com.key").string());
    auto failure = [](const std::expected<TlsContext, TlsContextError>& r) {
        REQUIRE_FALSE(r);
        return r.error();
    };

    SECTION("a certificate that is not PEM") {
        CertifiedKey bad = *key;
        bad.certificatePem = "this is no certificate\n";
        const TlsContextError e = failure(TlsContext::server(bad));
        CHECK(e.step == TlsStep::LoadCertificate);
        CHECK(e.file == key->certificateFile);
        CHECK(e.reason.kind == TlsReasonKind::NotPem);
        CHECK(tlsContextErrorFacts(e) == "load-certificate " + key->certificateFile + ": not-pem");
        CHECK(tlsContextErrorText(e, i18n::Lang::En) ==
              key->certificateFile + ": cannot load the server certificate: not PEM of this kind (no matching "
                                     "-----BEGIN line, or a block that does not decode)");
        CHECK(tlsContextErrorText(e, i18n::Lang::Zh) ==
              key->certificateFile + "：无法加载服务器证书：不是这种 PEM 格式（没有相应的 -----BEGIN 行，或者内容无法解码）");
    }
    SECTION("a private key that is not PEM") {
        CertifiedKey bad = *key;
        bad.privateKeyPem = "garbage";
        const TlsContextError e = failure(TlsContext::server(bad));
        CHECK(e.step == TlsStep::LoadKey);
        CHECK(e.file == key->privateKeyFile);
        CHECK(e.reason.kind == TlsReasonKind::NotPem);
    }
    SECTION("a private key of another certificate") {
        auto other = ca->hostCertificate("mail.example.org");
        REQUIRE(other);
        CertifiedKey bad = *key;
        bad.privateKeyPem = other->privateKeyPem;
        const TlsContextError e = failure(TlsContext::server(bad));
        CHECK(e.step == TlsStep::CheckKey);
        CHECK(e.file == key->privateKeyFile);
        CHECK(e.reason.kind == TlsReasonKind::KeyMismatch);
        CHECK(tlsContextErrorText(e, i18n::Lang::Zh) == key->privateKeyFile + "：核对私钥与证书时出错：私钥与证书不匹配");
    }
    SECTION("an encrypted private key: no password is asked for") {
        BIO* in = BIO_new_mem_buf(key->privateKeyPem.data(), static_cast<int>(key->privateKeyPem.size()));
        EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
        REQUIRE(pkey != nullptr);
        BIO* out = BIO_new(BIO_s_mem());
        char password[] = "secret";
        REQUIRE(PEM_write_bio_PKCS8PrivateKey(out, pkey, EVP_aes_128_cbc(), password, 6, nullptr, nullptr) == 1);
        char* data = nullptr;
        const long n = BIO_get_mem_data(out, &data);
        CertifiedKey bad = *key;
        bad.privateKeyPem.assign(data, static_cast<std::size_t>(n));
        BIO_free(out);
        BIO_free(in);
        EVP_PKEY_free(pkey);
        REQUIRE(bad.privateKeyPem.find("ENCRYPTED PRIVATE KEY") != std::string::npos);
        const TlsContextError e = failure(TlsContext::server(bad));
        CHECK(e.step == TlsStep::LoadKey);
        CHECK(e.reason.kind == TlsReasonKind::BadPassword);
        CHECK(tlsContextErrorText(e, i18n::Lang::Zh) == key->privateKeyFile + "：无法加载服务器私钥：私钥已加密：没有密码或者密码错误");
    }
    SECTION("a client trusting a CA file that is not PEM") {
        const TlsContextError e = failure(TlsContext::client("-----BEGIN CERTIFICATE-----\nnot base64!\n", false, "/x/ca.pem"));
        CHECK(e.step == TlsStep::TrustCa);
        CHECK(e.file == "/x/ca.pem");
        CHECK(e.reason.kind == TlsReasonKind::NotPem);
        CHECK(tlsContextErrorText(e, i18n::Lang::En).starts_with("/x/ca.pem: cannot trust the CA certificate: not PEM"));
    }
    SECTION("a sound key builds a context") {
        CHECK(TlsContext::server(*key));
    }
}

TEST_CASE("the system's reason for a CA file is typed: its errno, worded in Chinese by our catalogue") {
    TempDir dir;
    REQUIRE(ClassroomCa::open(dir.path));
    const fs::path certPath = dir.path / "ca.pem";
    fs::remove(certPath);
    fs::create_symlink(dir.path / "nowhere.pem", certPath);  // there, but its file is missing
    auto r = ClassroomCa::open(dir.path);
    REQUIRE_FALSE(r);
    CHECK(r.error().problem == CaProblem::Unreadable);
    CHECK(r.error().reason.kind == TlsReasonKind::System);
    CHECK(r.error().reason.sysErrno == ENOENT);
    CHECK(caErrorFacts(r.error()) == "unreadable " + certPath.string() + ": system 2 (No such file or directory)");
    CHECK(caErrorText(r.error(), i18n::Lang::Zh).starts_with(certPath.string() + "：无法读取：文件不存在；"));
    CHECK(caErrorText(r.error(), i18n::Lang::En).starts_with(certPath.string() + ": cannot be read: No such file or directory;"));
}

TEST_CASE("looking for a CA creates nothing when there is none") {
    TempDir dir;
    const fs::path where = dir.path / "not-yet";
    auto none = ClassroomCa::load(where);
    REQUIRE(none);
    CHECK_FALSE(*none);
    CHECK_FALSE(fs::exists(where));
    REQUIRE(ClassroomCa::open(where));
    auto found = ClassroomCa::load(where);
    REQUIRE(found);
    REQUIRE(*found);
    CHECK((*found)->subject().find("mailsim") != std::string::npos);
}

TEST_CASE("client and server channels agree on TLS 1.3 over randomly split segments and carry data both ways") {
    Pki pki;
    for (unsigned seed = 1; seed <= 5; ++seed) {
        std::mt19937 rng(seed);
        auto server = TlsChannel::server(pki.server);
        auto client = TlsChannel::client(pki.client, "mail.cesoo.com");
        client->sendPlaintext("EHLO mike-pc\r\n");  // held until the handshake is done
        exchange(*client, *server, rng);
        REQUIRE(client->handshakeDone());
        REQUIRE(server->handshakeDone());
        CHECK(client->info().version == "TLSv1.3");
        CHECK(client->info().verified);
        CHECK(client->info().peerSubject.find("CN=mail.cesoo.com") != std::string::npos);
        CHECK(client->info().peerIssuer.find("CN=mailsim classroom CA") != std::string::npos);
        CHECK(server->takePlaintext() == "EHLO mike-pc\r\n");
        std::string big(100000, 'x');
        server->sendPlaintext(big);
        exchange(*client, *server, rng);
        CHECK(client->takePlaintext() == big);
    }
}

TEST_CASE("the client refuses a certificate for another name or from another CA") {
    Pki pki;
    std::mt19937 rng(7);
    SECTION("wrong host name") {
        auto server = TlsChannel::server(pki.server);
        auto client = TlsChannel::client(pki.client, "mail.example.org");
        exchange(*client, *server, rng);
        CHECK(client->failed());
        CHECK_FALSE(client->handshakeDone());
        CHECK(client->error().find("certificate verification failed") != std::string::npos);
        CHECK(client->error().find("mismatch") != std::string::npos);
    }
    SECTION("an IP address in the certificate") {
        auto server = TlsChannel::server(pki.server);
        auto client = TlsChannel::client(pki.client, "10.0.0.1");
        exchange(*client, *server, rng);
        CHECK(client->handshakeDone());
    }
    SECTION("untrusted CA") {
        TempDir other;
        auto otherCa = ClassroomCa::open(other.path);
        REQUIRE(otherCa);
        auto strangerContext = TlsContext::client(otherCa->certificatePem());
        REQUIRE(strangerContext);
        auto server = TlsChannel::server(pki.server);
        auto client = TlsChannel::client(*strangerContext, "mail.cesoo.com");
        exchange(*client, *server, rng);
        CHECK(client->failed());
        CHECK(client->error().find("certificate verification failed") != std::string::npos);
    }
}

TEST_CASE("plaintext sent to a TLS server fails the handshake") {
    Pki pki;
    auto server = TlsChannel::server(pki.server);
    server->receiveWire("EHLO mike-pc\r\n");
    CHECK(server->failed());
    CHECK_FALSE(server->error().empty());
}

TEST_CASE("records are described as an eavesdropper sees them, across split segments") {
    Pki pki;
    auto client = TlsChannel::client(pki.client, "mail.cesoo.com");
    std::string hello = client->takeWire();
    std::string carry;
    CHECK(describeRecords(hello, carry).starts_with("handshake (ClientHello) "));
    CHECK(carry.empty());
    std::string part = describeRecords(std::string_view(hello).substr(0, 10), carry);
    CHECK(part == "part of a record, 10 B");
    CHECK(describeRecords(std::string_view(hello).substr(10), carry).starts_with("handshake (ClientHello)"));
    CHECK(describeRecords("EHLO x\r\n", carry).starts_with("not TLS"));
}

TEST_CASE("an SMTP session behind implicit TLS greets after the handshake; lines are marked protected") {
    Pki pki;
    trace::Trace trace;
    trace::SessionId sid = trace.openSession("smtp", "mike-pc", "mail.cesoo.com:465", 0);
    trace::Recorder rec(&trace, sid);
    smtp::SmtpServerContext ctx;
    ctx.config.domain = "cesoo.com";
    store::MemoryStore store;
    ctx.store = &store;
    auto server = makeTlsServerSession(makeSmtpServerSession(ctx, smtp::PeerInfo{"mike-pc", "10.0.0.2"}, rec),
                                       pki.server, true, true, rec);
    TlsClientPipe client(pki.client, "mail.cesoo.com", trace::Recorder(&trace, sid));
    server->start(0);
    CHECK_FALSE(server->hasOutput());  // nothing in clear on an implicit TLS port
    client.begin(0);
    std::string plain;
    std::mt19937 rng(3);
    auto pump = [&](std::string toSend) {
        std::string wire = client.toWire(toSend, 1);
        for (int i = 0; i < 20; ++i) {
            std::size_t pos = 0;
            while (pos < wire.size()) {
                std::size_t n = std::uniform_int_distribution<std::size_t>(1, 100)(rng);
                server->receive(std::string_view(wire).substr(pos, n), 1);
                pos += n;
            }
            std::string back = server->takeOutput();
            if (back.empty() && wire.empty()) break;
            plain += client.fromWire(back, 1);
            wire = client.toWire("", 1);
        }
    };
    pump("");
    REQUIRE(client.established());
    CHECK(server->tlsActive());
    CHECK(plain.starts_with("220 cesoo.com"));
    pump("EHLO mike-pc\r\n");
    CHECK(plain.find("250-cesoo.com") != std::string::npos);

    int handshakes = 0, protectedLines = 0, records = 0;
    for (const auto& e : trace.events()) {
        if (e.kind == trace::EventKind::TlsHandshake) {
            ++handshakes;
            CHECK(e.ok);
            REQUIRE(e.as<trace::TlsHandshake>());
            CHECK(e.as<trace::TlsHandshake>()->version == "TLSv1.3");
        }
        if (e.kind == trace::EventKind::Line) {
            CHECK(e.tls);
            ++protectedLines;
        }
        if (e.kind == trace::EventKind::TlsRecords) ++records;
    }
    CHECK(handshakes == 2);  // the server's view and the client's
    CHECK(protectedLines >= 3);
    CHECK(records >= 4);
}
