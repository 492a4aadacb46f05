// The POP3 server session (RFC 1939, 2449, 5034): every command in every state as the transition table says, logins,
// the maildrop lock, UPDATE, byte-stuffing, sizes, limits, timeouts, input split in every way, and the trace.
#include "Pop3TestHarness.hpp"

#include "auth/Sasl.hpp"
#include "trace/Errors.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <random>

using namespace mailsim;
using namespace mailsim::test;

namespace {

const std::string kMsg1 = "From: mike@cesoo.com\r\nTo: rose@cesoo.com\r\nSubject: one\r\n\r\nI love you, Rose\r\n";
// Lines that byte-stuffing must protect: a lone dot, a dot-started line, and a line of two dots.
const std::string kDotty = "Subject: dots\r\n\r\nbefore\r\n.\r\n.hidden\r\n..\r\nafter\r\n";

// A command line with valid syntax for each input; logins are made to succeed in AUTHORIZATION.
std::vector<std::string> probe(Pop3Input input, Pop3Conn& c) {
    switch (input) {
    case Pop3Input::User: return {"USER rose@cesoo.com"};
    case Pop3Input::Pass: return {"USER rose@cesoo.com", "PASS rose123"};
    case Pop3Input::Apop:
        return {fmt::format("APOP rose@cesoo.com {}", auth::apopDigest(c.session->timestamp(), "rose123"))};
    case Pop3Input::Auth: return {"AUTH PLAIN " + auth::encodeSaslPlain("rose@cesoo.com", "rose123")};
    case Pop3Input::Capa: return {"CAPA"};
    case Pop3Input::Utf8: return {"UTF8"};
    case Pop3Input::Quit: return {"QUIT"};
    case Pop3Input::Stat: return {"STAT"};
    case Pop3Input::List: return {"LIST"};
    case Pop3Input::Retr: return {"RETR 1"};
    case Pop3Input::Dele: return {"DELE 1"};
    case Pop3Input::Noop: return {"NOOP"};
    case Pop3Input::Rset: return {"RSET"};
    case Pop3Input::Top: return {"TOP 1 0"};
    case Pop3Input::Uidl: return {"UIDL"};
    default: return {};
    }
}

void reach(Pop3Conn& c, Pop3State state) {
    if (state == Pop3State::Transaction) REQUIRE(c.login().ok);
}

}  // namespace

TEST_CASE("pop3: the table's commands all have probes and look-ups", "[pop3][table]") {
    for (const auto& info : pop3Commands()) {
        if (info.verb.front() == '<' || info.verb == "?") continue;
        INFO(info.verb);
        CHECK(findPop3Command(info.verb) == &info);
        CHECK(findPop3Command(fmt::format("{}", info.verb)) != nullptr);
    }
    CHECK(findPop3Command("retr")->input == Pop3Input::Retr);  // keywords are case-insensitive
    CHECK(findPop3Command("HELO") == nullptr);
}

TEST_CASE("pop3: every command in every state: -ERR exactly when the table disallows it", "[pop3][table]") {
    for (Pop3State state : {Pop3State::Authorization, Pop3State::Transaction}) {
        for (const auto& info : pop3Commands()) {
            auto lines = [&] { Pop3Host h; Pop3Conn c(h); return probe(info.input, c); }();
            if (lines.empty()) continue;
            Pop3Host host;
            host.deliver("rose@cesoo.com", kMsg1);
            Pop3Conn c(host);
            reach(c, state);
            REQUIRE(c.session->state() == state);
            auto probeLines = probe(info.input, c);
            Pop3Response r;
            for (const auto& l : probeLines) r = c.cmd(l);
            auto next = pop3NextState(state, info.input);
            INFO(toString(state) << " " << info.verb << " -> " << r.raw.at(0));
            CHECK(r.ok == next.has_value());
            if (next) CHECK(c.session->state() == (*next == Pop3State::Update ? Pop3State::Closed : *next));
            else {
                CHECK(c.session->state() == state);
                CHECK(r.text.find("not allowed in the " + std::string(toString(state))) != std::string::npos);
            }
        }
    }
}

TEST_CASE("pop3: greeting carries a deterministic APOP timestamp <pid.clock.n@host>", "[pop3][apop]") {
    Pop3Host host;
    host.ctx.processId = 1896;
    Pop3Conn a(host);
    Pop3Conn b(host);
    CHECK(a.greetingLine == fmt::format("+OK cesoo.com POP3 server ready <1896.{}.1@cesoo.com>\r\n", kPopT0));
    CHECK(b.session->timestamp() == fmt::format("<1896.{}.2@cesoo.com>", kPopT0));  // unique per session
}

TEST_CASE("pop3: APOP digest matches RFC 1939's example, and APOP logs in", "[pop3][apop]") {
    CHECK(auth::apopDigest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf") == "c4c9334bac560ecc979e58001b3e22fb");
    Pop3Host host;
    Pop3Conn c(host);
    auto bad = c.cmd("APOP rose@cesoo.com c4c9334bac560ecc979e58001b3e22fb");
    CHECK_FALSE(bad.ok);
    CHECK(bad.respCode == "AUTH");
    auto digest = auth::apopDigest(c.session->timestamp(), "rose123");
    for (char& ch : digest) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));  // hex case-insensitive
    auto ok = c.cmd("APOP rose " + digest);
    CHECK(ok.ok);
    CHECK(c.session->state() == Pop3State::Transaction);
}

TEST_CASE("pop3: a failed login answers -ERR [AUTH] and stays in AUTHORIZATION", "[pop3][auth]") {
    Pop3Host host;
    Pop3Conn c(host);
    CHECK(c.cmd("USER nobody@cesoo.com").ok);  // unknown users are not revealed at USER
    auto r = c.cmd("PASS whatever");
    CHECK_FALSE(r.ok);
    CHECK(r.respCode == "AUTH");
    CHECK(c.session->state() == Pop3State::Authorization);
    CHECK_FALSE(c.login("rose@cesoo.com", "wrong").ok);
    CHECK(c.cmd("PASS rose123").text.find("USER first") != std::string::npos);  // PASS needs a fresh USER
    CHECK(c.login().ok);
}

TEST_CASE("pop3: AUTH PLAIN with an initial response, with a continuation, and cancelled", "[pop3][auth]") {
    Pop3Host host;
    {
        Pop3Conn c(host);
        auto cont = c.cmd("AUTH PLAIN");
        CHECK(cont.continuation);
        CHECK(c.cmd("*").text.find("cancelled") != std::string::npos);
        CHECK_FALSE(c.cmd("AUTH CRAM-MD5").ok);
        CHECK(c.cmd("AUTH PLAIN").continuation);
        CHECK_FALSE(c.cmd(auth::encodeSaslPlain("rose@cesoo.com", "nope")).ok);
        CHECK(c.cmd("AUTH PLAIN").continuation);
        CHECK(c.cmd(auth::encodeSaslPlain("rose@cesoo.com", "rose123")).ok);
        CHECK(c.session->state() == Pop3State::Transaction);
        c.cmd("QUIT");
    }
    Pop3Conn d(host);
    CHECK(d.cmd("AUTH PLAIN " + auth::encodeSaslPlain("rose", "rose123")).ok);
}

TEST_CASE("pop3: a second session for the same maildrop gets -ERR [IN-USE] until the first ends", "[pop3][lock]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kMsg1);
    auto first = std::make_unique<Pop3Conn>(host);
    REQUIRE(first->login().ok);
    Pop3Conn second(host);
    auto r = second.login();
    CHECK_FALSE(r.ok);
    CHECK(r.respCode == "IN-USE");
    CHECK(second.session->state() == Pop3State::Authorization);
    Pop3Conn mike(host);
    CHECK(mike.login("mike@cesoo.com", "mike123").ok);  // another user's maildrop is not affected
    first->cmd("QUIT");
    CHECK(second.login().ok);
    second.cmd("QUIT");
    // A session that is destroyed without QUIT (connection dropped) releases the lock too.
    {
        Pop3Conn third(host);
        REQUIRE(third.login().ok);
    }
    CHECK_FALSE(host.store.isLocked("rose@cesoo.com"));
}

TEST_CASE("pop3: STAT, LIST and RETR sizes are the octets the client receives", "[pop3][sizes]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kMsg1);
    host.deliver("rose@cesoo.com", kDotty);
    host.deliver("rose@cesoo.com", "Subject: lf only\n\nbare LF lines\n");  // a hand-dropped file: sizes count CRLF
    Pop3Conn c(host);
    REQUIRE(c.login().ok);
    auto list = c.cmd("LIST");
    REQUIRE(list.lines.size() == 3);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        auto retr = c.cmd(fmt::format("RETR {}", i + 1));
        REQUIRE(retr.ok);
        std::string got = retr.body();
        INFO(i);
        CHECK(list.lines[i] == fmt::format("{} {}", i + 1, got.size()));
        CHECK(retr.text == fmt::format("{} octets", got.size()));
        CHECK(c.cmd(fmt::format("LIST {}", i + 1)).text == fmt::format("{} {}", i + 1, got.size()));
        total += got.size();
    }
    CHECK(c.cmd("STAT").text == fmt::format("3 {}", total));
    CHECK(c.cmd("RETR 2").body() == kDotty);
    CHECK(c.cmd("RETR 3").body() == "Subject: lf only\r\n\r\nbare LF lines\r\n");
}

TEST_CASE("pop3: RETR and TOP byte-stuff lines that start with a dot", "[pop3][stuffing]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kDotty);
    Pop3Conn c(host);
    REQUIRE(c.login().ok);
    host.trace.clear();
    auto retr = c.cmd("RETR 1");
    std::vector<std::string> wire(retr.raw.begin() + 1, retr.raw.end());
    CHECK(wire == std::vector<std::string>{"Subject: dots\r\n", "\r\n", "before\r\n", "..\r\n", "..hidden\r\n",
                                           "...\r\n", "after\r\n", ".\r\n"});
    CHECK(retr.body() == kDotty);
    auto top = c.cmd("TOP 1 2");
    std::vector<std::string> topWire(top.raw.begin() + 1, top.raw.end());
    CHECK(topWire == std::vector<std::string>{"Subject: dots\r\n", "\r\n", "before\r\n", "..\r\n", ".\r\n"});
    CHECK(c.cmd("TOP 1 0").body() == "Subject: dots\r\n\r\n");
    CHECK(c.cmd("TOP 1 100").body() == kDotty);
    CHECK_FALSE(c.cmd("TOP 1").ok);
    CHECK_FALSE(c.cmd("TOP 1 x").ok);
}

TEST_CASE("pop3: DELE marks, RSET unmarks, and only QUIT's UPDATE removes", "[pop3][update]") {
    Pop3Host host;
    for (int i = 0; i < 3; ++i) host.deliver("rose@cesoo.com", kMsg1);
    {
        Pop3Conn c(host);
        REQUIRE(c.login().ok);
        CHECK(c.cmd("DELE 2").ok);
        CHECK(c.cmd("DELE 2").text == "message 2 already deleted");
        CHECK_FALSE(c.cmd("RETR 2").ok);
        CHECK_FALSE(c.cmd("LIST 2").ok);
        CHECK(c.cmd("LIST").lines.size() == 2);
        CHECK(c.cmd("STAT").text.starts_with("2 "));
        CHECK(host.store.list("rose@cesoo.com", "INBOX").size() == 3);  // nothing removed yet
        CHECK(c.cmd("RSET").text.starts_with("maildrop has 3 messages"));
        CHECK(c.cmd("DELE 1").ok);
        CHECK(c.cmd("DELE 3").ok);
        CHECK_FALSE(c.cmd("DELE 4").ok);
        CHECK_FALSE(c.cmd("DELE 0").ok);
        auto quit = c.cmd("QUIT");
        CHECK(quit.text == "cesoo.com POP3 server signing off (2 deleted, 1 left)");
        CHECK(c.session->closed());
    }
    auto left = host.store.list("rose@cesoo.com", "INBOX");
    REQUIRE(left.size() == 1);
    CHECK(left[0].uid == 2);
}

TEST_CASE("pop3: without QUIT there is no UPDATE: hang-up and idle timeout keep the mail", "[pop3][update]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kMsg1);
    {
        Pop3Conn c(host);
        REQUIRE(c.login().ok);
        CHECK(c.cmd("DELE 1").ok);
        c.session->connectionLost(c.now);
        CHECK(c.session->closed());
    }
    CHECK(host.store.list("rose@cesoo.com", "INBOX").size() == 1);
    Pop3Conn c(host);
    REQUIRE(c.login().ok);
    CHECK(c.cmd("DELE 1").ok);
    c.session->tick(c.now + 599'000'000);
    CHECK_FALSE(c.session->closed());  // RFC 1939 3: at least 10 minutes
    c.session->tick(c.now + 600'000'000);
    CHECK(c.session->closed());
    CHECK(c.session->takeOutput().empty());  // the autologout timer closes without a response
    CHECK(host.store.list("rose@cesoo.com", "INBOX").size() == 1);
    CHECK_FALSE(host.store.isLocked("rose@cesoo.com"));
}

namespace {
// A store whose removeMany fails, to prove that a failed UPDATE removes nothing and says so.
class FailingRemoveStore final : public store::MailStore {
public:
    store::MemoryStore inner;
    std::expected<store::MessageInfo, store::StoreError> deliver(const std::string& u, const std::string& f,
                                                                 std::string_view m, std::int64_t d) override {
        return inner.deliver(u, f, m, d);
    }
    std::vector<store::MessageInfo> list(const std::string& u, const std::string& f) const override { return inner.list(u, f); }
    std::expected<std::string, store::StoreError> read(const std::string& u, const std::string& f,
                                                       std::uint32_t id) const override {
        return inner.read(u, f, id);
    }
    std::expected<void, store::StoreError> remove(const std::string&, const std::string&, std::uint32_t) override {
        return std::unexpected(store::systemError(store::StoreStep::Remove, "/m/rose/cur/1", EIO));
    }
    std::expected<void, store::StoreError> removeMany(const std::string&, const std::string&,
                                                      std::span<const std::uint32_t>) override {
        return std::unexpected(store::systemError(store::StoreStep::Remove, "/m/rose/cur/1", EIO));
    }
    std::expected<store::MessageInfo, store::StoreError> updateFlags(const std::string& u, const std::string& f,
                                                                     std::uint32_t id,
                                                                     const store::FlagDelta& d) override {
        return inner.updateFlags(u, f, id, d);
    }
    std::vector<std::string> keywords(const std::string& u, const std::string& f) const override {
        return inner.keywords(u, f);
    }
    std::uint64_t highestModSeq(const std::string& u, const std::string& f) const override {
        return inner.highestModSeq(u, f);
    }
    std::expected<void, store::StoreError> createFolder(const std::string& u, const std::string& f) override {
        return inner.createFolder(u, f);
    }
    std::vector<std::string> listFolders(const std::string& u) const override { return inner.listFolders(u); }
    std::uint32_t uidValidity(const std::string& u, const std::string& f) const override { return inner.uidValidity(u, f); }
    std::string describe() const override { return "failing"; }
};
}  // namespace

TEST_CASE("pop3: a failed UPDATE answers -ERR [SYS/TEMP], removes nothing and releases the lock", "[pop3][update]") {
    FailingRemoveStore failing;
    Pop3Host host(&failing);
    host.deliver("rose@cesoo.com", kMsg1);
    host.deliver("rose@cesoo.com", kMsg1);
    Pop3Conn c(host);
    REQUIRE(c.login().ok);
    c.cmd("DELE 1");
    c.cmd("DELE 2");
    auto quit = c.cmd("QUIT");
    CHECK_FALSE(quit.ok);
    CHECK(quit.respCode == "SYS/TEMP");
    CHECK(c.session->closed());
    CHECK(failing.list("rose@cesoo.com", "INBOX").size() == 2);
    CHECK_FALSE(failing.isLocked("rose@cesoo.com"));
    // The wire as before the store errors were typed; the trace has the failure as data, worded per language.
    REQUIRE(!quit.raw.empty());
    CHECK(quit.raw[0] == "-ERR [SYS/TEMP] some deleted messages not removed (store error)\r\n");
    const trace::ErrorReport* report = nullptr;
    for (const auto& e : host.trace.events())
        if (const auto* r = e.as<trace::ErrorReport>()) report = r;
    REQUIRE(report);
    REQUIRE(report->store);
    CHECK(report->store->step == store::StoreStep::Remove);
    CHECK(report->detail == "cannot remove /m/rose/cur/1: Input/output error");
    CHECK(trace::errorText(*report, i18n::Lang::Zh) ==
          "UPDATE（更新）失败，没有删除任何邮件：无法删除 /m/rose/cur/1：输入/输出错误");
}

TEST_CASE("pop3: UIDL ids are stable across sessions and RETR marks \\Seen", "[pop3][uidl]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kMsg1);
    host.deliver("rose@cesoo.com", kMsg1);
    std::vector<std::string> ids;
    {
        Pop3Conn c(host);
        REQUIRE(c.login().ok);
        ids = c.cmd("UIDL").lines;
        CHECK(c.cmd("UIDL 2").text == ids[1]);
        CHECK(c.cmd("DELE 1").ok);
        CHECK(c.cmd("RETR 2").ok);
        c.cmd("QUIT");
    }
    REQUIRE(ids.size() == 2);
    Pop3Conn c(host);
    REQUIRE(c.login().ok);
    auto again = c.cmd("UIDL").lines;
    REQUIRE(again.size() == 1);
    CHECK(again[0].substr(2) == ids[1].substr(2));  // message 2 became message 1, same unique id
    CHECK(host.store.list("rose@cesoo.com", "INBOX")[0].flags == store::kSeen);
}

TEST_CASE("pop3: CAPA lists the extensions in both states", "[pop3][capa]") {
    Pop3Host host;
    Pop3Conn c(host);
    auto capa = c.cmd("CAPA");
    CHECK(std::ranges::find(capa.lines, "UIDL") != capa.lines.end());
    CHECK(std::ranges::find(capa.lines, "SASL PLAIN") != capa.lines.end());
    CHECK(std::ranges::find(capa.lines, "RESP-CODES") != capa.lines.end());
    REQUIRE(c.login().ok);
    CHECK(c.cmd("CAPA").lines == capa.lines);
}

TEST_CASE("pop3: an over-long command line is refused with a clear -ERR and memory stays bounded", "[pop3][limits]") {
    Pop3Host host;
    Pop3Conn c(host);
    std::string longLine = "USER " + std::string(300, 'x');
    std::string huge(100'000, 'y');
    c.session->receive(huge, c.now);
    CHECK(c.session->bufferedBytes() <= kMaxCommandLine);
    c.parser.expectMultiLine(false);
    c.session->receive("\r\n", c.now);
    c.parser.feed(c.session->takeOutput());
    auto r = c.parser.next();
    REQUIRE(r);
    CHECK(r->text == "line too long (limit 255 octets including CRLF)");
    CHECK(c.cmd(longLine).text.starts_with("line too long"));
    CHECK(c.cmd("USER " + std::string(240, 'x')).ok);  // 250 octets with CRLF: fits
    CHECK(c.session->state() == Pop3State::Authorization);
    CHECK_FALSE(c.cmd("FOO").ok);
}

TEST_CASE("pop3: too many errors end the session without UPDATE", "[pop3][limits]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kMsg1);
    Pop3Conn c(host);
    REQUIRE(c.login().ok);
    c.cmd("DELE 1");
    for (int i = 0; i < 9; ++i) c.cmd("BOGUS");
    CHECK_FALSE(c.session->closed());
    c.session->receive("BOGUS\r\n", c.now);
    CHECK(c.session->takeOutput().ends_with("-ERR too many errors, closing connection\r\n"));
    CHECK(c.session->closed());
    CHECK(host.store.list("rose@cesoo.com", "INBOX").size() == 1);
}

TEST_CASE("pop3: the same dialogue fed whole, byte by byte and in random chunks gives the same output", "[pop3][split]") {
    const std::string input = "CAPA\r\nUSER rose@cesoo.com\r\nPASS rose123\r\nSTAT\r\nLIST\r\nUIDL\r\nTOP 2 1\r\n"
                              "RETR 2\r\nDELE 1\r\nRSET\r\nDELE 2\r\nNOOP\r\nQUIT\r\n";
    auto run = [&](int mode, unsigned seed) {
        Pop3Host host;
        host.deliver("rose@cesoo.com", kMsg1);
        host.deliver("rose@cesoo.com", kDotty);
        Pop3ServerSession s(host.ctx, trace::Recorder(&host.trace, host.trace.openSession("pop3", "c", "s", kPopT0)));
        s.start(kPopT0);
        std::string out = s.takeOutput();
        std::mt19937 rng(seed);
        for (std::size_t i = 0; i < input.size();) {
            std::size_t n = mode == 0 ? input.size() : mode == 1 ? 1 : std::uniform_int_distribution<std::size_t>(1, 13)(rng);
            n = std::min(n, input.size() - i);
            s.receive(std::string_view(input).substr(i, n), kPopT0);
            out += s.takeOutput();
            i += n;
        }
        CHECK(s.closed());
        CHECK(host.store.list("rose@cesoo.com", "INBOX").size() == 1);
        return out;
    };
    std::string whole = run(0, 0);
    CHECK(whole.find("\r\n..hidden\r\n") != std::string::npos);
    CHECK(run(1, 0) == whole);
    for (unsigned seed = 1; seed <= 20; ++seed) CHECK(run(2, seed) == whole);
}

TEST_CASE("pop3: every line is traced and each state change names the command line that caused it", "[pop3][trace]") {
    Pop3Host host;
    host.deliver("rose@cesoo.com", kMsg1);
    Pop3Conn c(host);
    c.login();
    c.cmd("DELE 1");
    c.cmd("QUIT");
    std::vector<std::string> path;
    for (const auto& e : host.trace.events()) {
        if (e.kind != trace::EventKind::StateChanged) continue;
        CHECK(e.machine == "pop3");
        path.push_back(e.fromState + "->" + e.toState);
        if (e.fromState == "CONNECT") continue;
        REQUIRE(e.cause != trace::kNoCause);
        const auto& cause = host.trace.at(e.cause);
        CHECK(cause.kind == trace::EventKind::Line);
        CHECK(cause.direction == trace::Direction::ClientToServer);
    }
    CHECK(path == std::vector<std::string>{"CONNECT->AUTHORIZATION", "AUTHORIZATION->TRANSACTION",
                                           "TRANSACTION->UPDATE", "UPDATE->CLOSED"});
    bool expunged = std::ranges::any_of(host.trace.events(), [](const trace::Event& e) {
        const auto* change = e.as<trace::StoreChange>();
        return change && change->action == trace::StoreAction::Expunged;
    });
    CHECK(expunged);
}

// RFC 6856 3: the UTF8 capability (with USER) and command; a UTF-8 mailbox logs in and gets its UTF-8 mail as stored.
TEST_CASE("pop3: UTF8 (RFC 6856 3) in AUTHORIZATION; 张三 logs in and reads RFC 6532 mail", "[pop3][utf8]") {
    Pop3Host host;
    host.ctx.directory.addUser("张三@cesoo.com", "zs123", "张三");
    const std::string mail = "From: 张三 <张三@cesoo.com>\r\nSubject: 你好\r\n\r\n你好！\r\n";
    host.deliver("张三@cesoo.com", mail);
    Pop3Conn c(host);
    auto capa = c.cmd("CAPA");
    CHECK(std::ranges::find(capa.lines, "UTF8 USER") != capa.lines.end());
    CHECK_FALSE(c.session->utf8Enabled());
    CHECK_FALSE(c.cmd("UTF8 now").ok);  // no argument
    auto on = c.cmd("UTF8");
    CHECK(on.ok);
    CHECK(on.text == "UTF8 enabled");
    CHECK(c.session->utf8Enabled());
    CHECK(c.cmd("utf8").ok);  // keywords are case-insensitive; enabling twice is harmless
    REQUIRE(c.login("张三@cesoo.com", "zs123").ok);
    auto retr = c.cmd("RETR 1");
    REQUIRE(retr.ok);
    CHECK(retr.body() == mail);  // sent as stored, the UTF-8 header fields included
    auto late = c.cmd("UTF8");  // RFC 6856 3: only in AUTHORIZATION
    CHECK_FALSE(late.ok);
    CHECK(late.text.find("TRANSACTION") != std::string::npos);
}

TEST_CASE("pop3: a client that never sends UTF8 can still log in as 张三 (lenient USER)", "[pop3][utf8]") {
    Pop3Host host;
    host.ctx.directory.addUser("张三@cesoo.com", "zs123", "张三");
    Pop3Conn c(host);
    CHECK(c.login("张三@cesoo.com", "zs123").ok);
    CHECK_FALSE(c.session->utf8Enabled());
    CHECK_FALSE(pop3::replyInfo(pop3::ReplyId::Utf8Enabled).explain.zh.empty());
}
