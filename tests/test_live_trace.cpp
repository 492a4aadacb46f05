// The live trace stream (sim/tools/LiveTrace.hpp): what `mailsim serve --trace-out` writes, read back while it grows.
#include "sim/serve/ServeAnnounce.hpp"
#include "sim/serve/ServeConfig.hpp"
#include "sim/serve/ServeLoop.hpp"
#include "sim/tools/LiveTrace.hpp"
#include "sim/tools/TraceJson.hpp"

#include "ImapTestHarness.hpp"
#include "TempDir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <unistd.h>

using namespace mailsim;

namespace {

std::filesystem::path tempDir() {
    return std::filesystem::temp_directory_path() / ("mailsim-livetrace-" + std::to_string(::getpid()));
}

// Removes this process's temporary directory when the test case ends.
struct TempDirGuard {
    ~TempDirGuard() {
        std::error_code ec;
        std::filesystem::remove_all(tempDir(), ec);
    }
};

std::string tempFile(const char* name) {
    std::filesystem::create_directories(tempDir());
    return (tempDir() / name).string();
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeRaw(const std::string& path, const std::string& bytes, bool append = true) {
    std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
    out << bytes;
}

// One connection as `mailsim serve` has it: its own Trace, listened to by the writer.
struct Conn {
    trace::Trace trace;
    sim::LiveTraceWriter::Stream stream;
    trace::Recorder rec;
    Conn(sim::LiveTraceWriter& w, const char* protocol, const char* client) {
        trace.setListener([this, &w](const trace::Trace& t, const trace::Event& e) { w.write(stream, t, e); });
        auto sid = trace.openSession(protocol, client, "127.0.0.1:2525", 1000);
        trace.setEndpoints(sid, {"127.0.0.1", 50000}, {"127.0.0.1", 2525});
        rec = trace::Recorder(&trace, sid);
    }
};

}  // namespace

TEST_CASE("live trace: interleaved connections get global ids, sessions are described once") {
    TempDirGuard cleanup;
    const std::string path = tempFile("interleaved.jsonl");
    sim::LiveTraceWriter w;
    REQUIRE(w.open(path));
    Conn a(w, "smtp", "127.0.0.1:50000");
    Conn b(w, "pop3", "127.0.0.1:50001");
    a.rec.connectionOpened(1000, {.client = "a", .server = "server"});
    b.rec.connectionOpened(1100, {.client = "b", .server = "server"});
    auto helo = a.rec.line(1200, trace::Direction::ClientToServer, trace::LineRole::Command, "HELO x", "HELO x\r\n");
    b.rec.line(1300, trace::Direction::ServerToClient, trace::LineRole::Reply, "+OK", "+OK\r\n");
    a.rec.line(1400, trace::Direction::ServerToClient, trace::LineRole::Reply, "250 ok", "250 ok\r\n", helo);
    // TLS: the records' bytes are binary (hex in the file), later lines are marked tls.
    trace::Event records;
    records.time = 1500;
    records.kind = trace::EventKind::TlsRecords;
    records.direction = trace::Direction::ClientToServer;
    records.raw = std::string("\x17\x03\x03\x00\x05\xff\x00\x80\x81\x0a", 10);
    records.text = "application data 5 B";
    records.session = a.rec.session();
    a.trace.setTls(a.rec.session(), true);
    a.trace.append(records);
    a.rec.line(1600, trace::Direction::ClientToServer, trace::LineRole::Command, "AUTH PLAIN AG1pa2UA", "AUTH PLAIN AG1pa2UA\r\n");
    w.flush();

    const std::string text = slurp(path);
    CHECK(std::count(text.begin(), text.end(), '\n') == 7);
    CHECK(text.find("\"session_info\"") != std::string::npos);

    sim::LiveTraceReader reader(path);
    trace::Trace t;
    auto p = reader.poll(t);
    CHECK(p.appended == 7);
    CHECK(reader.badLines() == 0);
    REQUIRE(t.sessions().size() == 2);
    CHECK(t.sessions()[0].protocol == "smtp");
    CHECK(t.sessions()[1].protocol == "pop3");
    CHECK(t.sessions()[0].clientEndpoint.port == 50000);
    CHECK(t.sessions()[0].serverEndpoint.address == "127.0.0.1");
    REQUIRE(t.size() == 7);
    CHECK(t.at(1).session == 2);  // b's connection event: the second session to appear
    CHECK(t.at(2).raw == "HELO x\r\n");
    CHECK(t.at(4).text == "250 ok");
    CHECK(t.at(4).cause == 2);  // a's local cause (its event 1) mapped to the global id
    CHECK(t.at(5).kind == trace::EventKind::TlsRecords);
    CHECK(t.at(5).raw == records.raw);
    CHECK(t.at(5).direction == trace::Direction::ClientToServer);
    CHECK_FALSE(t.at(4).tls);
    CHECK(t.at(6).tls);
    CHECK(t.at(6).session == 1);
}

TEST_CASE("live trace: only complete lines are read, a partial last line waits for its newline") {
    TempDirGuard cleanup;
    // Three lines as the writer makes them, then fed to the file piece by piece.
    const std::string scratch = tempFile("partial-source.jsonl");
    std::vector<std::string> lines;
    {
        sim::LiveTraceWriter w;
        REQUIRE(w.open(scratch));
        Conn a(w, "smtp", "c1");
        a.rec.connectionOpened(1, {.client = "c1", .server = "server"});
        a.rec.line(2, trace::Direction::ServerToClient, trace::LineRole::Reply, "220 hi", "220 hi\r\n");
        a.rec.connectionClosed(3, trace::CloseReason::ClientClosed);
        w.flush();
        const std::string all = slurp(scratch);
        for (std::size_t start = 0, nl; (nl = all.find('\n', start)) != std::string::npos; start = nl + 1)
            lines.push_back(all.substr(start, nl + 1 - start));
    }
    REQUIRE(lines.size() == 3);

    const std::string path = tempFile("partial.jsonl");
    writeRaw(path, "", false);
    sim::LiveTraceReader reader(path);
    trace::Trace t;
    CHECK(reader.poll(t).appended == 0);

    writeRaw(path, lines[0].substr(0, 10));  // a writer caught mid-line
    CHECK(reader.poll(t).appended == 0);
    CHECK(t.size() == 0);
    writeRaw(path, lines[0].substr(10));
    CHECK(reader.poll(t).appended == 1);
    CHECK(t.sessions().size() == 1);
    writeRaw(path, lines[1].substr(0, lines[1].size() - 1));  // all but the newline
    CHECK(reader.poll(t).appended == 0);
    CHECK_FALSE(reader.grown());
    writeRaw(path, "\n");
    CHECK(reader.grown());
    CHECK(reader.poll(t).appended == 1);
    REQUIRE(t.size() == 2);
    CHECK(t.at(1).text == "220 hi");
    CHECK(t.at(1).role == trace::LineRole::Reply);

    // Growth: more lines; a garbage line is skipped and counted.
    writeRaw(path, "this is not json {\n" + lines[2]);
    auto p = reader.poll(t);
    CHECK(p.appended == 1);
    CHECK(reader.badLines() == 1);
    CHECK(t.at(2).kind == trace::EventKind::ConnectionClosed);
    REQUIRE(t.at(2).as<trace::Connection>());
    CHECK(t.at(2).as<trace::Connection>()->reason == trace::CloseReason::ClientClosed);  // read from the typed field

    // Truncated (the server started again): the reader starts over.
    writeRaw(path, lines[0], false);
    p = reader.poll(t);
    CHECK(p.restarted);
    CHECK(p.appended == 1);
    CHECK(t.size() == 1);
    CHECK(t.sessions().size() == 1);
}

TEST_CASE("live trace: a missing file is reported, then read once it appears") {
    TempDirGuard cleanup;
    const std::string path = tempFile("later.jsonl");
    std::filesystem::remove(path);
    sim::LiveTraceReader reader(path);
    trace::Trace t;
    CHECK(reader.poll(t).missing);
    sim::LiveTraceWriter w;
    REQUIRE(w.open(path));
    Conn a(w, "imap", "c1");
    a.rec.connectionOpened(5, {.client = "c1", .server = "server"});
    w.flush();
    auto p = reader.poll(t);
    CHECK_FALSE(p.missing);
    CHECK(p.appended == 1);
    CHECK(t.sessions().at(0).protocol == "imap");
}

TEST_CASE("live trace: typed events come back with their fields, not their sentences") {
    TempDirGuard cleanup;
    const std::string path = tempFile("typed.jsonl");
    sim::LiveTraceWriter w;
    REQUIRE(w.open(path));
    Conn a(w, "smtp", "c1");
    a.rec.storeChanged(2, {.user = "rose@cesoo.com", .folder = "INBOX", .uid = 7, .action = trace::StoreAction::Appended,
                           .size = 42, .fileId = "1.M2P3Q4.host"}, trace::kNoCause);
    trace::Recorder(&a.trace, trace::kNoSession)
        .queueAction(3, {.host = "mx", .action = trace::QueueOp::Deferred, .queueId = "MX-1", .recipients = {"a@b", "c@d"},
                         .attempt = 2, .count = 2, .nextRetry = 900, .retryIn = 897, .reason = "451 busy"});
    a.rec.tlsHandshake(4, false, {.side = trace::TlsSide::Server, .error = "no shared cipher"});
    w.flush();
    sim::LiveTraceReader reader(path);
    trace::Trace t;
    REQUIRE(reader.poll(t).appended == 3);
    CHECK(reader.badLines() == 0);
    const auto* c = t.at(0).as<trace::StoreChange>();
    REQUIRE(c);
    CHECK(c->user == "rose@cesoo.com");
    CHECK(c->uid == 7);
    CHECK(c->size == 42);
    CHECK(c->fileId == "1.M2P3Q4.host");
    CHECK(c->action == trace::StoreAction::Appended);
    const auto* q = t.at(1).as<trace::QueueAction>();
    REQUIRE(q);
    CHECK(q->action == trace::QueueOp::Deferred);
    CHECK(q->recipients == std::vector<std::string>{"a@b", "c@d"});
    CHECK(q->nextRetry == 900);
    CHECK(q->reason == "451 busy");
    CHECK(t.at(1).text.empty());  // the sentence is the renderers' business, not data
    const auto* h = t.at(2).as<trace::TlsHandshake>();
    REQUIRE(h);
    CHECK(h->side == trace::TlsSide::Server);
    CHECK(h->error == "no shared cipher");
    CHECK_FALSE(t.at(2).ok);
}

TEST_CASE("live trace: a file of another schema major version is refused with a clear message") {
    TempDirGuard cleanup;
    const std::string path = tempFile("future.jsonl");
    // A line as a 1.x writer makes it, then the same with a newer minor version (accepted), then major 2 (refused).
    std::string line1;
    {
        sim::LiveTraceWriter w;
        REQUIRE(w.open(path));
        Conn a(w, "smtp", "c1");
        a.rec.line(2, trace::Direction::ServerToClient, trace::LineRole::Reply, "220 hi", "220 hi\r\n");
        w.flush();
        line1 = slurp(path);
    }
    const std::string current = "\"" + std::string(sim::kTraceSchemaVersion) + "\"";
    REQUIRE(line1.find("\"schemaVersion\":" + current) != std::string::npos);
    auto withVersion = [&](const std::string& version, int id) {
        std::string l = line1;
        l.replace(l.find(current), current.size(), "\"" + version + "\"");
        l.replace(l.find("\"id\":0"), 6, "\"id\":" + std::to_string(id));
        return l;
    };
    writeRaw(path, withVersion("1.7", 1));
    sim::LiveTraceReader reader(path);
    trace::Trace t;
    CHECK(reader.poll(t).appended == 2);  // 1.0 and 1.7: same major version
    CHECK(!reader.refused());

    writeRaw(path, withVersion("2.0", 2) + withVersion("1.0", 3));
    CHECK(reader.poll(t).appended == 0);
    CHECK(t.size() == 2);
    CHECK(reader.refused());
    CHECK(reader.refusedVersion() == "2.0");
    CHECK(reader.refusedText(i18n::Lang::En).find("trace schema version 2.0 is not supported") != std::string::npos);
    CHECK(reader.refusedText(i18n::Lang::En).find("reads 1.x") != std::string::npos);
    CHECK(reader.refusedText(i18n::Lang::Zh).find("不支持跟踪记录格式版本 2.0；本 mailsim 只能读取 1.x 版") !=
          std::string::npos);
    writeRaw(path, withVersion("1.0", 4));
    CHECK(reader.poll(t).appended == 0);  // nothing more is read from a refused file
    CHECK(t.size() == 2);

    // No version at all (a file from before schema 1.0) is refused too, and says so.
    const std::string old = tempFile("old.jsonl");
    std::string unversioned = line1;
    const std::string versionField = "\"schemaVersion\":" + current + ",";
    unversioned.erase(unversioned.find(versionField), versionField.size());
    writeRaw(old, unversioned, false);
    sim::LiveTraceReader oldReader(old);
    trace::Trace t2;
    CHECK(oldReader.poll(t2).appended == 0);
    CHECK(oldReader.refused());
    CHECK(oldReader.refusedVersion().empty());
    CHECK(oldReader.refusedText(i18n::Lang::En).find("no schemaVersion") != std::string::npos);
    CHECK(oldReader.refusedText(i18n::Lang::Zh).find("跟踪记录没有 schemaVersion") != std::string::npos);
}

TEST_CASE("live trace: errors and connect failures come back typed (schema 1.2); a 1.1 error keeps its text") {
    TempDirGuard cleanup;
    const std::string path = tempFile("errors.jsonl");
    sim::LiveTraceWriter w;
    REQUIRE(w.open(path));
    Conn a(w, "smtp", "c1");
    a.rec.error(2, {.id = trace::ErrorId::DeliveryFailed, .names = {"rose"}, .detail = "disk full"});
    trace::Recorder relay(&a.trace, trace::kNoSession);
    relay.relayHop(3, {.messageId = "<1@c>", .from = "mail", .to = "mx", .result = trace::HopResult::ConnectFailed,
                       .reason = "Connection refused", .failure = trace::ConnectFailure::SystemError,
                       .failureHost = "mx"}, trace::kNoCause);
    relay.queueAction(4, {.host = "mail", .action = trace::QueueOp::Deferred, .queueId = "Q1", .count = 1,
                          .nextRetry = 900, .retryIn = 896, .failure = trace::ConnectFailure::TimedOut,
                          .failureHost = "mx"});
    a.rec.connectFailed(5, trace::ConnectFailure::HostDown, "mx");
    w.flush();
    // A line as a 1.1 writer made it: an error with its English sentence and no data.
    writeRaw(path, R"({"schemaVersion":"1.1","id":4,"time":6,"session":0,"cause":null,"kind":"error",)"
                   R"("iso_time":"x","text":"delivery to rose failed: disk full","ok":false})" "\n");
    sim::LiveTraceReader reader(path);
    trace::Trace t;
    REQUIRE(reader.poll(t).appended == 5);
    CHECK(reader.badLines() == 0);
    const auto* r = t.at(0).as<trace::ErrorReport>();
    REQUIRE(r);
    CHECK(r->id == trace::ErrorId::DeliveryFailed);
    CHECK(r->names == std::vector<std::string>{"rose"});
    CHECK(r->detail == "disk full");
    CHECK(t.at(0).text.empty());  // the sentence is the renderers' business
    CHECK_FALSE(t.at(0).ok);
    const auto* h = t.at(1).as<trace::RelayHop>();
    REQUIRE(h);
    CHECK(h->failure == trace::ConnectFailure::SystemError);
    CHECK(h->failureHost == "mx");
    CHECK(h->reason == "Connection refused");
    const auto* q = t.at(2).as<trace::QueueAction>();
    REQUIRE(q);
    CHECK(q->failure == trace::ConnectFailure::TimedOut);
    CHECK(q->failureHost == "mx");
    const auto* c = t.at(3).as<trace::Connection>();
    REQUIRE(c);
    CHECK(c->reason == trace::CloseReason::ConnectFailed);
    CHECK(c->failure == trace::ConnectFailure::HostDown);
    CHECK(c->failureHost == "mx");
    CHECK(t.at(4).kind == trace::EventKind::Error);
    CHECK(std::holds_alternative<std::monostate>(t.at(4).payload));
    CHECK(t.at(4).text == "delivery to rose failed: disk full");
}

// `mailsim serve` keeps no event of a connection's trace (makeConnectionTrace): one FETCH 1:* over thousands of
// messages is one response line per message, printed and streamed as it is appended and then dropped, so the trace
// held by the loop stays empty however long the response; the --trace-out stream still has every event, with each
// response line's cause pointing at the FETCH command.
TEST_CASE("live trace: serve's connection trace keeps no event of a long response; the stream has them all") {
    TempDirGuard cleanup;
    const std::string path = tempFile("fetch.jsonl");
    sim::LiveTraceWriter writer;
    REQUIRE(writer.open(path));
    sim::LiveTraceWriter::Stream stream;
    std::size_t heard = 0, mostKept = 0;
    auto connTrace = sim::makeConnectionTrace([&](const trace::Trace& t, const trace::Event& e) {
        ++heard;
        mostKept = std::max(mostKept, t.size());
        writer.write(stream, t, e);
    });
    constexpr int kMessages = 3000;
    test::ImapHost host;
    for (int i = 0; i < kMessages; ++i)
        host.deliver("From: a" + std::to_string(i) + "@example.org\r\nSubject: " + std::to_string(i) + "\r\n\r\nx\r\n");
    auto sid = connTrace->openSession("imap", "127.0.0.1:50000", "127.0.0.1:143", test::kImapT0);
    imap::ImapServerSession session(host.ctx, trace::Recorder(connTrace.get(), sid));
    session.start(test::kImapT0);
    session.receive("a LOGIN rose rose123\r\nb SELECT INBOX\r\nc FETCH 1:* (FLAGS ENVELOPE)\r\n", test::kImapT0);
    const std::string out = session.takeOutput();
    REQUIRE(out.find("c OK") != std::string::npos);

    CHECK(heard > static_cast<std::size_t>(kMessages));  // every response line was an event
    CHECK(connTrace->appended() == heard);
    CHECK(connTrace->size() == 0);  // none kept, at any point of the response
    CHECK(mostKept == 0);
    CHECK(connTrace->events().empty());

    writer.flush();
    trace::Trace back;
    sim::LiveTraceReader reader(path);
    CHECK(reader.poll(back).appended == heard);
    const trace::Event* fetch = nullptr;
    std::size_t answers = 0;
    for (const auto& e : back.events()) {
        if (e.kind != trace::EventKind::Line) continue;
        if (e.raw.starts_with("c FETCH")) fetch = &e;
        else if (fetch && e.raw.starts_with("* ") && e.raw.find(" FETCH (") != std::string::npos) {
            CHECK(e.cause == fetch->id);
            ++answers;
        }
    }
    REQUIRE(fetch);
    CHECK(answers == static_cast<std::size_t>(kMessages));
}

// `mailsim serve --ready-file`: the machine channel's document (sim/tools/ServeReady.hpp) and how serve describes its
// listeners in it (sim/serve/ServeAnnounce.hpp).
TEST_CASE("the ready file lists the bound listeners as JSON, written whole", "[serve][ready]") {
    sim::ReadyInfo info;
    info.pid = 4242;
    info.listeners.push_back({"mail.cesoo.com", "smtps", "smtp", "::1", 10465, true, true, false});
    info.listeners.push_back({"cesoo.com", "imap", "imap", "127.0.0.1", 1430, false, false, true});
    const std::string json = sim::readyJson(info);
    CHECK(json.starts_with(R"({"format":"mailsim-serve-ready","version":1,"pid":4242,"listeners":[)"));
    CHECK(json.find(R"("endpoint":"[::1]:10465","implicitTls":true,"submission":true,"starttls":false)") !=
          std::string::npos);
    CHECK(json.ends_with("]}\n"));
    auto back = sim::parseReadyJson(json);
    REQUIRE(back);
    CHECK(back->pid == 4242);
    REQUIRE(back->listeners.size() == 2);
    CHECK(back->listeners[0].host == "mail.cesoo.com");
    CHECK(back->listeners[0].endpoint() == "[::1]:10465");
    CHECK(back->listeners[0].implicitTls);
    CHECK(back->listeners[1].service == "imap");
    CHECK(back->listeners[1].port == 1430);
    CHECK(back->listeners[1].starttls);
    // A later version may add members; what is not this format, or lacks a port, is refused with a reason.
    CHECK(sim::parseReadyJson(R"({"format":"mailsim-serve-ready","version":2,"pid":1,"extra":true,"listeners":[]})"));
    CHECK(!sim::parseReadyJson(R"({"format":"other","version":1,"listeners":[]})"));
    CHECK(!sim::parseReadyJson(R"({"format":"mailsim-serve-ready","version":1,"listeners":[{"service":"smtp"}]})"));
    CHECK(!sim::parseReadyJson("{not json"));
    // A listener that is not an object is refused, not thrown (found by tests/fuzz/fuzz_serve_ready.cpp).
    auto scalar = sim::parseReadyJson(R"({"format":"mailsim-serve-ready","version":1,"listeners":[1]})");
    REQUIRE(!scalar);
    CHECK(scalar.error() == "a listener that is not an object");

    test::TempDir dir("mailsim-ready");
    const std::string path = (dir.path / "ready.json").string();
    CHECK(sim::readReadyFile(path).error().empty());  // not there (yet): no error to show
    REQUIRE(sim::writeReadyFile(path, info));
    CHECK(test::slurp(path) == json);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path), {}) == 1);  // no temporary file left
    CHECK(sim::readReadyFile(path)->listeners.size() == 2);
    CHECK(sim::writeReadyFile((dir.path / "none" / "ready.json").string(), info).error() == ENOENT);
}

TEST_CASE("serve announces its listeners: the ready file for machines, the human line in the operator's language",
          "[serve][ready]") {
    test::TempDir dir("mailsim-ready");
    const std::string path = (dir.path / "ready.json").string();
    { std::ofstream(path) << "stale"; }
    sim::ServedHost host{.name = "cesoo.com"};
    auto l = sim::makeListener({.protocol = "smtp", .host = "127.0.0.1", .port = "0", .option = "--smtp"}, "smtp",
                               "smtp", &host, i18n::Lang::En);
    REQUIRE(l);
    CHECK(l->address == "127.0.0.1");
    CHECK(l->port > 0);
    CHECK(l->text == fmt::format("127.0.0.1:{}", l->port));
    std::vector<sim::Listener> listeners{*l};
    {
        sim::ReadyAnnouncer ready(path);
        CHECK(!std::filesystem::exists(path));  // a stale file goes before anything is announced
        REQUIRE(ready.announce(listeners, i18n::Lang::Zh));
        auto doc = sim::readReadyFile(path);
        REQUIRE(doc);
        CHECK(doc->pid == ::getpid());
        REQUIRE(doc->listeners.size() == 1);
        CHECK(doc->listeners[0].host == "cesoo.com");
        CHECK(doc->listeners[0].port == l->port);
        CHECK(!doc->listeners[0].starttls);  // no TLS context
    }
    CHECK(!std::filesystem::exists(path));  // removed when serve is done
    sim::ReadyAnnouncer unwritable((dir.path / "none" / "ready.json").string());
    auto failed = unwritable.announce(listeners, i18n::Lang::Zh);
    REQUIRE(!failed);
    CHECK(failed.error().starts_with("--ready-file：无法写入 "));
    ::close(l->fd);
}

TEST_CASE("the live trace writer's failures are typed (errno); serve words them in the operator's language",
          "[serve][i18n]") {
    sim::LiveTraceWriter w;
    auto failed = w.open("/nonexistent-dir/trace.jsonl");
    REQUIRE(!failed);
    CHECK(failed.error() == ENOENT);
    CHECK(!w.isOpen());
    std::string error;
    sim::LiveTraceWriter out;
    CHECK(!sim::openTraceOut(out, "/nonexistent-dir/trace.jsonl", error, i18n::Lang::Zh));
    CHECK(error == "无法写入 /nonexistent-dir/trace.jsonl：" + std::string(std::strerror(ENOENT)));
    CHECK(!sim::openTraceOut(out, "/nonexistent-dir/trace.jsonl", error, i18n::Lang::En));
    CHECK(error == "cannot write /nonexistent-dir/trace.jsonl: " + std::string(std::strerror(ENOENT)));
}

// Nobody reads serve's printed trace when its stdout is /dev/null: then the connection traces get no listener (unless
// --trace-out) and are not observed, so sessions may skip what only the trace would show (SMTP DATA lines).
TEST_CASE("live trace: serve formats nothing when stdout is /dev/null, and a trace without listener is not observed") {
    std::fflush(stdout);
    const int saved = ::dup(STDOUT_FILENO);
    REQUIRE(saved >= 0);
    auto redirect = [](const char* path, int flags) {
        const int fd = ::open(path, flags, 0600);
        REQUIRE(fd >= 0);
        ::dup2(fd, STDOUT_FILENO);
        ::close(fd);
    };
    TempDirGuard cleanup;
    redirect("/dev/null", O_WRONLY);
    const bool toNull = sim::stdoutDiscarded();
    redirect(tempFile("stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC);
    const bool toFile = sim::stdoutDiscarded();
    ::dup2(saved, STDOUT_FILENO);
    ::close(saved);
    CHECK(toNull);
    CHECK_FALSE(toFile);

    auto silent = sim::makeConnectionTrace({});
    CHECK_FALSE(silent->observed());
    trace::Recorder rec(silent.get(), silent->openSession("smtp", "c", "s", 0));
    CHECK_FALSE(rec.observed());
    CHECK(rec.line(1, trace::Direction::ClientToServer, trace::LineRole::Command, "NOOP", "NOOP\r\n") == 0);
    CHECK(silent->appended() == 1);  // ids are still given
    auto heard = sim::makeConnectionTrace([](const trace::Trace&, const trace::Event&) {});
    CHECK(heard->observed());
    trace::Trace kept;
    CHECK(kept.observed());
}
