// The scenario loader: what a teacher sees when a file is wrong. Each problem comes as file:line:col, all of them
// at once, saying what was wrong and what was expected.
#include "LoaderTestHelpers.hpp"
#include "sim/world/Api.hpp"
#include "sim/scenario/Scenario.hpp"
#include "sim/tools/Transcript.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

using namespace mailsim::sim;
using mailsim::test::anyContains;
using mailsim::test::problems;
using mailsim::test::problemsWith;

namespace {

const char* kGood = R"(title: ok
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose, password: r }] }
  - { name: pc }
steps:
  - note: hello
  - session: { from: pc, to: mx:25 }
    script:
      - { expect: 220 }
      - "QUIT"
  - wait: 90s
  - check: { mailbox: rose@cesoo.com, count: 0 }
)";

}  // namespace

TEST_CASE("a valid scenario loads with everything resolved", "[loader]") {
    auto sc = loadScenario(kGood, "t.yaml");
    REQUIRE(sc.has_value());
    CHECK(sc->title.en == "ok");
    REQUIRE(sc->hosts.size() == 2);
    CHECK(sc->hosts[0].users.at(0).address == "rose@cesoo.com");
    REQUIRE(sc->steps.size() == 4);
    const auto& sess = std::get<SessionStep>(sc->steps[1].what);
    CHECK(sess.port == 25);
    CHECK(sess.script.size() == 2);
    CHECK(sess.script[1].send == "QUIT");
    CHECK_FALSE(sess.script[1].expect.has_value());
    CHECK(std::get<WaitStep>(sc->steps[2].what).duration == 90'000'000);
    CHECK(sc->steps[1].pos.line == 7);
}

TEST_CASE("broken YAML is reported with its position", "[loader]") {
    auto p = problems("title: x\nhosts: [\n");
    REQUIRE(p.size() == 1);
    CHECK(p[0].starts_with("t.yaml:3:1: not valid YAML"));
}

TEST_CASE("every problem is reported at once, with did-you-mean", "[loader]") {
    auto p = problems(R"(title: broken
hosts:
  - name: mx
    domian: [cesoo.com]
    services: [smtp, pop4]
  - name: pc
steps:
  - session: { from: pcc, to: mx:99999 }
    script: [ { send: HELO x, expect: 2x0 } ]
  - chek: { mailbox: rose@cesoo.com }
  - wait: 5 minutes
)");
    CHECK(p.size() >= 5);
    CHECK(anyContains(p, "t.yaml:4:5: unknown key 'domian' in a host (did you mean 'domains'?)"));
    CHECK(anyContains(p, "unknown service 'pop4' (did you mean 'pop3'?)"));
    CHECK(anyContains(p, "t.yaml:8:31: 'mx:99999': the port after ':' must be a number from 1 to 65535"));
    CHECK(anyContains(p, "t.yaml:10:5: a step needs exactly one of: session, mua, note, check, wait, fault, checkpoint (did you mean 'check'?)"));
    CHECK(anyContains(p, "wait must be a duration"));
}

TEST_CASE("references to hosts, users and ports are checked", "[loader]") {
    auto p = problems(R"(title: refs
hosts:
  - { name: mx, domains: [cesoo.com], services: ["smtp:2525"], users: [{ name: rose }] }
  - { name: pc }
steps:
  - session: { from: pc2, to: mx:25 }
    script: [ "QUIT" ]
  - check: { mailbox: rosa@cesoo.com, count: 1 }
)");
    CHECK(anyContains(p, "t.yaml:6:22: no host named 'pc2' (did you mean 'pc'?)"));
    CHECK(anyContains(p, "no user 'rosa@cesoo.com' is defined on any host (did you mean 'rose@cesoo.com'?)"));
    auto q = problems(R"(title: port
hosts:
  - { name: mx, domains: [cesoo.com], services: ["smtp:2525"] }
  - { name: pc }
steps:
  - session: { from: pc, to: mx:25 }
    script: [ "QUIT" ]
)");
    REQUIRE(q.size() == 1);
    CHECK(q[0] == "t.yaml:6:5: nothing listens on mx:25 (its smtp service is on port 2525)");
}

TEST_CASE("missing top-level parts and wrong types are explained", "[loader]") {
    auto p = problems("description: nothing else\n");
    CHECK(anyContains(p, "no 'title'"));
    CHECK(anyContains(p, "no 'hosts'"));
    CHECK(anyContains(p, "no 'steps'"));
    auto q = problems("title: t\nhosts: mx\nsteps: []\n");
    CHECK(anyContains(q, "t.yaml:2:8: hosts must be a list"));
    auto r = problems("- just\n- a list\n");
    CHECK(anyContains(r, "the scenario file must be a mapping"));
}

TEST_CASE("durations", "[loader]") {
    CHECK(parseDuration("30m") == 1'800'000'000);
    CHECK(parseDuration("2h") == 7'200'000'000LL);
    CHECK(parseDuration("1500ms") == 1'500'000);
    CHECK(parseDuration("200us") == 200);
    CHECK(parseDuration("1d") == 86'400'000'000LL);
    CHECK_FALSE(parseDuration("5 minutes"));
    CHECK_FALSE(parseDuration("m"));
    CHECK_FALSE(parseDuration("-5s"));
    CHECK_FALSE(parseDuration("99999999999999999999d"));
}

TEST_CASE("mua steps are validated", "[loader]") {
    auto p = problems(R"(title: mua
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
  - { name: pc }
steps:
  - mua: { action: sned, from: pc, server: mx, sender: mike@cesoo.com, to: [rose@cesoo.com] }
  - mua: { action: send, from: pc, server: mx, sender: "mike at cesoo", to: [rose@cesoo.com] }
  - mua: { action: send, from: pc, server: mx, sender: m@cesoo.com, to: [rose@cesoo.com], expect: { rose@cesoo.com: deliverd } }
  - mua: { action: send, from: pc, server: mx, sender: m@cesoo.com, subject: no recipients }
)");
    CHECK(anyContains(p, "t.yaml:6:20: mua action 'sned' is not available; expected 'send', 'pop3-fetch', 'imap-summary', 'imap-search', 'imap-move', 'imap-sync', 'imap-flag', 'imap-create', 'imap-rename' or 'imap-delete' (did you mean 'send'?)"));
    CHECK(anyContains(p, "sender 'mike at cesoo'"));
    CHECK(anyContains(p, "'deliverd' is not an outcome; expected accepted, deferred or refused (did you mean 'delivered'?)"));
    CHECK(anyContains(p, "a message needs recipients"));
}

// ---- checkpoints -------------------------------------------------------------------------------------------------

TEST_CASE("checkpoint names are checked: the alphabet, and unique per scenario", "[loader][checkpoint]") {
    auto p = problems(R"(title: cp
hosts: [ { name: pc } ]
steps:
  - checkpoint: start
  - note: x
  - checkpoint: start
  - checkpoint: Bad_Name
)");
    REQUIRE(p.size() == 2);
    CHECK(p[0] == "t.yaml:6:17: checkpoint 'start' is defined twice: here and at t.yaml:4:17; checkpoint names must "
                  "be unique in a scenario");
    CHECK(p[1] == "t.yaml:7:17: checkpoint name 'Bad_Name' may only use a-z, 0-9 and '-', e.g. 'checkpoint: after-data'");
}

TEST_CASE("a checkpoint is recorded as a note the transcript shows and findCheckpoint finds", "[loader][checkpoint]") {
    auto r = runScenarioText(R"(title: cp
hosts: [ { name: pc } ]
steps:
  - note: first
  - checkpoint: after-first
  - note: second
)", "t.yaml");
    REQUIRE(r.has_value());
    auto id = findCheckpoint(r->trace, "after-first");
    REQUIRE(id.has_value());
    CHECK(r->trace.at(*id).kind == mailsim::trace::EventKind::Note);
    CHECK(r->trace.at(*id).machine == kCheckpointMachine);
    CHECK_FALSE(findCheckpoint(r->trace, "nowhere").has_value());
    std::string text = formatTranscript(r->trace);
    CHECK(text == "   # first\n   == checkpoint: after-first\n   # second\n");
    TranscriptOptions until;
    until.until = *id;
    CHECK(formatTranscript(r->trace, until) == "   # first\n   == checkpoint: after-first\n");
}

// ---- include: --------------------------------------------------------------------------------------------------

namespace {

const char* kNet = R"(hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }
dns:
  cesoo.com: { mx: [mx] }
network: { latency: 7ms }
)";

}  // namespace

TEST_CASE("an included network file brings hosts, DNS and network settings; the scenario adds its own", "[loader][include]") {
    std::map<std::string, std::string> files{{"scenarios/networks/net.yaml", kNet}};
    auto read = [&](const std::string& path) -> std::optional<std::string> {
        auto it = files.find(path);
        return it == files.end() ? std::nullopt : std::optional(it->second);
    };
    auto sc = loadScenario(R"(title: inc
include: [networks/net.yaml]
network: { split: false }
hosts:
  - { name: pc }
steps:
  - session: { from: pc, to: cesoo.com }
    script: [ { expect: 220 }, QUIT ]
)", "scenarios/t.yaml", read);
    if (!sc) for (const auto& d : sc.error()) UNSCOPED_INFO(d.format(mailsim::i18n::Lang::En));
    REQUIRE(sc.has_value());
    REQUIRE(sc->hosts.size() == 2);
    CHECK(sc->hosts[0].name == "mx");
    CHECK(sc->hosts[1].name == "pc");
    REQUIRE(sc->dns.size() == 1);
    CHECK(sc->link.latency == 7'000);
    CHECK_FALSE(sc->link.split);
    CHECK(std::get<SessionStep>(sc->steps[0].what).to == "mx");
    CHECK(sc->includes == std::vector<std::string>{"scenarios/networks/net.yaml"});
}

TEST_CASE("redefining an included host or DNS entry names both places", "[loader][include]") {
    auto p = mailsim::test::problemsWith(R"(title: inc
include: [net.yaml]
hosts:
  - { name: mx }
dns:
  cesoo.com: { mx: [mx] }
steps: [ { note: x } ]
)", {{"net.yaml", kNet}});
    REQUIRE(p.size() == 2);
    CHECK(p[0] == "t.yaml:4:13: host 'mx' is defined twice: here and at net.yaml:2:13 (included by t.yaml:2:11); a "
                  "scenario may add hosts to an included network but not redefine them");
    CHECK(p[1] == "t.yaml:6:3: dns entry 'cesoo.com' is defined twice: here and at net.yaml:4:3 (included by "
                  "t.yaml:2:11); a scenario may add dns entries to an included network but not redefine them");
}

TEST_CASE("two included files may not define the same host either", "[loader][include]") {
    auto p = mailsim::test::problemsWith("title: inc\ninclude: [a.yaml, b.yaml]\nsteps: [ { note: x } ]\n",
                                         {{"a.yaml", "hosts: [ { name: pc } ]\n"}, {"b.yaml", "hosts: [ { name: pc } ]\n"}});
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "b.yaml:1:18: host 'pc' is defined twice: here and at a.yaml:1:18 (included by t.yaml:2:11); a "
                  "scenario may add hosts to an included network but not redefine them");
}

TEST_CASE("problems inside an included file are reported at its own file:line:col", "[loader][include]") {
    auto p = mailsim::test::problemsWith(R"(title: inc
include: [net.yaml]
steps: [ { note: x } ]
)", {{"net.yaml", R"(hosts:
  - { name: mx, domian: [cesoo.com] }
dns:
  cesoo.com: { mx: [mx9] }
steps: []
)"}});
    REQUIRE(p.size() == 3);
    CHECK(p[0].starts_with("net.yaml:2:17: unknown key 'domian' in a host (did you mean 'domains'?)"));
    CHECK(p[1] == "net.yaml:4:21: no host named 'mx9' (did you mean 'mx'?); hosts are: mx");
    CHECK(p[2] == "net.yaml:5:1: unknown key 'steps' in an included network file; expected one of: include, network, "
                  "links, hosts, dns");
}

TEST_CASE("an included file that is not YAML is reported at its position", "[loader][include]") {
    auto p = mailsim::test::problemsWith("title: inc\ninclude: net.yaml\nhosts: [ { name: pc } ]\nsteps: [ { note: x } ]\n",
                                         {{"net.yaml", "hosts: [\n"}});
    REQUIRE(p.size() == 1);
    CHECK(p[0].starts_with("net.yaml:2:1: not valid YAML"));
}

TEST_CASE("a missing included file names the include line and where it was looked for", "[loader][include]") {
    auto p = mailsim::test::problemsWith(R"(title: inc
include: [networks/missing.yaml]
hosts: [ { name: pc } ]
steps: [ { note: x } ]
)", {}, "scenarios/t.yaml");
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "scenarios/t.yaml:2:11: cannot read the included file 'networks/missing.yaml' (looked for "
                  "scenarios/networks/missing.yaml; include paths are relative to the including file)");
}

TEST_CASE("an include cycle is an error, directly or through another file", "[loader][include]") {
    auto direct = mailsim::test::problemsWith("title: inc\ninclude: [t.yaml]\nhosts: [ { name: pc } ]\nsteps: [ { note: x } ]\n", {});
    REQUIRE(direct.size() == 1);
    CHECK(direct[0] == "t.yaml:2:11: include cycle: t.yaml -> t.yaml; a file cannot include itself, directly or not");
    // Nested paths are relative to the file that names them: networks/a.yaml includes b.yaml = networks/b.yaml.
    auto nested = mailsim::test::problemsWith(
        "title: inc\ninclude: [networks/a.yaml]\nhosts: [ { name: pc } ]\nsteps: [ { note: x } ]\n",
        {{"networks/a.yaml", "include: [b.yaml]\n"}, {"networks/b.yaml", "include: [a.yaml]\n"}});
    REQUIRE(nested.size() == 1);
    CHECK(nested[0] == "networks/b.yaml:1:11: include cycle: t.yaml -> networks/a.yaml -> networks/b.yaml -> "
                       "networks/a.yaml; a file cannot include itself, directly or not");
}

TEST_CASE("include must be a list of file names", "[loader][include]") {
    auto p = mailsim::test::problemsWith("title: inc\ninclude: { a: b }\nhosts: [ { name: pc } ]\nsteps: [ { note: x } ]\n", {});
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "t.yaml:2:10: include must be a list of file names, e.g. 'include: [networks/two-domains.yaml]', found "
                  "a mapping");
}

TEST_CASE("a network file is checked on its own", "[loader][include]") {
    std::map<std::string, std::string> files{{"net.yaml", kNet}, {"bad.yaml", "hosts: [ { name: mx } ]\ndns:\n  cesoo.com: { mx: [mx2] }\n"}};
    auto read = [&](const std::string& path) -> std::optional<std::string> {
        auto it = files.find(path);
        return it == files.end() ? std::nullopt : std::optional(it->second);
    };
    CHECK(checkNetworkFragment("net.yaml", read).empty());
    auto d = checkNetworkFragment("bad.yaml", read);
    REQUIRE(d.size() == 1);
    CHECK(d[0].format(mailsim::i18n::Lang::En) == "bad.yaml:3:21: no host named 'mx2' (did you mean 'mx'?); hosts are: mx");
}

// ---- hardening (issue #12): include confinement, header injection, duplicate keys, size and depth limits --------

namespace {

namespace fs = std::filesystem;

// A fresh directory under the system's temp directory, removed at the end of the test.
struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name) {
        path = fs::temp_directory_path() / fmt::format("mailsim-loader-{}-{}", name, ::getpid());
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    void write(const fs::path& rel, const std::string& text) const {
        fs::create_directories((path / rel).parent_path());
        std::ofstream(path / rel, std::ios::binary) << text;
    }
};

const char* kOutsideNet = "hosts:\n  - { name: evil, domains: [evil.org], services: [smtp] }\n";

std::vector<std::string> problemsOnDisk(const fs::path& file) {
    auto text = readFileFromDisk(file.string());
    REQUIRE(text.has_value());
    auto sc = loadScenario(*text, file.string());
    std::vector<std::string> out;
    if (!sc)
        for (const auto& d : sc.error()) out.push_back(d.format(mailsim::i18n::Lang::En));
    return out;
}

std::string scenarioIncluding(const std::string& path) {
    return "title: inc\ninclude: [\"" + path + "\"]\nhosts: [ { name: pc } ]\nsteps: [ { note: x } ]\n";
}

}  // namespace

TEST_CASE("include: an absolute path is refused, even to a file that exists", "[loader][include][security]") {
    TempDir dir("abs");
    dir.write("outside.yaml", kOutsideNet);
    dir.write("class/t.yaml", scenarioIncluding((dir.path / "outside.yaml").string()));
    auto p = problemsOnDisk(dir.path / "class/t.yaml");
    REQUIRE(p.size() == 1);
    CHECK(p[0].starts_with((dir.path / "class/t.yaml").string() + ":2:11: include '"));
    CHECK(anyContains(p, "is an absolute path; include paths are relative to the including file"));
    auto etc = problemsWith(scenarioIncluding("/etc/passwd"), {});
    REQUIRE(etc.size() == 1);
    CHECK(etc[0] == "t.yaml:2:11: include '/etc/passwd' is an absolute path; include paths are relative to the "
                    "including file and stay inside the scenario's folder");
}

TEST_CASE("include: ../ may not leave the scenario's folder, lexically or on disk", "[loader][include][security]") {
    TempDir dir("dotdot");
    dir.write("outside.yaml", kOutsideNet);
    dir.write("class/t.yaml", scenarioIncluding("../outside.yaml"));
    auto p = problemsOnDisk(dir.path / "class/t.yaml");
    REQUIRE(p.size() == 1);
    CHECK(anyContains(p, ":2:11: include '../outside.yaml' leaves the scenario's folder"));
    // The same through a subfolder and back out, and from a nested include: the root stays the scenario's folder.
    dir.write("class/t2.yaml", scenarioIncluding("networks/../../outside.yaml"));
    CHECK(anyContains(problemsOnDisk(dir.path / "class/t2.yaml"), "leaves the scenario's folder"));
    dir.write("class/networks/a.yaml", "include: [../../outside.yaml]\n");
    dir.write("class/t3.yaml", scenarioIncluding("networks/a.yaml"));
    auto nested = problemsOnDisk(dir.path / "class/t3.yaml");
    REQUIRE(nested.size() == 1);
    CHECK(nested[0].starts_with((dir.path / "class/networks/a.yaml").string() + ":1:11: include '../../outside.yaml' "
                                "leaves the scenario's folder"));
    // Going up and back down inside the folder is fine.
    dir.write("class/networks/b.yaml", "include: [../networks/c.yaml]\n");
    dir.write("class/networks/c.yaml", kOutsideNet);
    dir.write("class/t4.yaml", scenarioIncluding("networks/b.yaml"));
    CHECK(problemsOnDisk(dir.path / "class/t4.yaml").empty());
    // Files read through a reader that is not the disk get the same lexical check.
    CHECK(anyContains(problemsWith(scenarioIncluding("../x.yaml"), {{"../x.yaml", kOutsideNet}}),
                      "t.yaml:2:11: include '../x.yaml' leaves the scenario's folder"));
}

TEST_CASE("include: a symbolic link pointing outside the folder is refused", "[loader][include][security]") {
    TempDir dir("symlink");
    dir.write("outside.yaml", kOutsideNet);
    dir.write("class/t.yaml", scenarioIncluding("net.yaml"));
    fs::create_symlink(dir.path / "outside.yaml", dir.path / "class/net.yaml");
    auto p = problemsOnDisk(dir.path / "class/t.yaml");
    REQUIRE(p.size() == 1);
    CHECK(anyContains(p, ":2:11: include 'net.yaml' resolves to " + fs::canonical(dir.path / "outside.yaml").string() +
                             ", outside the scenario's folder"));
    // A linked folder too.
    fs::create_directories(dir.path / "elsewhere");
    dir.write("elsewhere/n.yaml", kOutsideNet);
    fs::create_directory_symlink(dir.path / "elsewhere", dir.path / "class/networks");
    dir.write("class/t2.yaml", scenarioIncluding("networks/n.yaml"));
    CHECK(anyContains(problemsOnDisk(dir.path / "class/t2.yaml"), "outside the scenario's folder"));
    // A link that stays inside is fine.
    dir.write("class/real/n.yaml", kOutsideNet);
    fs::create_symlink(dir.path / "class/real/n.yaml", dir.path / "class/inside.yaml");
    dir.write("class/t3.yaml", scenarioIncluding("inside.yaml"));
    CHECK(problemsOnDisk(dir.path / "class/t3.yaml").empty());
}

TEST_CASE("include: the folder check compares whole path components", "[loader][include][security]") {
    // /tmp/x/class-evil starts with the characters of /tmp/x/class but is not inside it.
    TempDir dir("prefix");
    dir.write("class-evil/net.yaml", kOutsideNet);
    dir.write("class/t.yaml", scenarioIncluding("../class-evil/net.yaml"));
    CHECK(anyContains(problemsOnDisk(dir.path / "class/t.yaml"), "leaves the scenario's folder"));
    fs::create_symlink(dir.path / "class-evil/net.yaml", dir.path / "class/net.yaml");
    dir.write("class/t2.yaml", scenarioIncluding("net.yaml"));
    CHECK(anyContains(problemsOnDisk(dir.path / "class/t2.yaml"), "outside the scenario's folder"));
}

TEST_CASE("header injection: CR or LF in a subject or display name is refused at its position", "[loader][security]") {
    const std::string doc = R"(title: inject
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp],
      users: [{ name: rose }, { name: mike, display_name: "Mike\r\nBcc: eve@evil.org" }] }
  - { name: pc }
steps:
  - mua: { action: send, from: pc, server: mx, sender: mike@cesoo.com, to: [rose@cesoo.com],
           subject: "Hi\nX-Injected: yes", body: "hello" }
)";
    auto p = problems(doc);
    REQUIRE(p.size() == 2);
    CHECK(p[0].starts_with("t.yaml:4:59: display_name cannot be used as a header value: it holds a line break (CR at "
                           "octet 5), which would end the header field and start another (header injection)"));
    CHECK(p[1].starts_with("t.yaml:8:21: subject cannot be used as a header value: it holds a line break (LF at octet "
                           "3)"));
    // A recipient with a line break is not an address either.
    auto to = problems(R"(title: inject
hosts: [ { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }] }, { name: pc } ]
steps:
  - mua: { action: send, from: pc, server: mx, sender: rose@cesoo.com, to: ["rose@cesoo.com\r\nBcc: x@y.z"] }
)");
    CHECK(anyContains(to, "t.yaml:4:"));
}

TEST_CASE("header injection never reaches the wire: the message sent has only the fields asked for", "[loader][security]") {
    // The same scenario with a clean subject runs, and its DATA carries exactly one Subject line.
    const std::string doc = R"(title: clean
hosts:
  - { name: mx, domains: [cesoo.com], services: [smtp], users: [{ name: rose }, { name: mike, display_name: Mike }] }
  - { name: pc }
steps:
  - mua: { action: send, from: pc, server: mx, sender: mike@cesoo.com, to: [rose@cesoo.com], subject: "Hi there" }
)";
    auto run = runScenarioText(doc, "t.yaml");
    REQUIRE(run.has_value());
    std::string data;
    for (const auto& e : run->trace.events())
        if (e.kind == mailsim::trace::EventKind::Line) data += e.text + "\n";
    CHECK(data.find("Subject: Hi there") != std::string::npos);
    CHECK(data.find("Bcc:") == std::string::npos);
}

TEST_CASE("duplicate keys are reported with where the first one is", "[loader][yaml]") {
    auto p = problems("title: one\nhosts: [ { name: pc } ]\ntitle: two\nnetwork: { latency: 5ms, latency: 7ms }\n"
                      "steps: [ { note: x } ]\n");
    REQUIRE(p.size() == 2);
    CHECK(p[0] == "t.yaml:3:1: duplicate key \"title\" (first at 1:1); a key may appear once in a mapping");
    CHECK(p[1] == "t.yaml:4:26: duplicate key \"latency\" (first at 4:12); a key may appear once in a mapping");
    // In an included file, at that file's position.
    auto inc = problemsWith(scenarioIncluding("net.yaml"),
                            {{"net.yaml", "hosts:\n  - { name: a, name: b }\nhosts: []\n"}});
    REQUIRE(inc.size() == 2);
    CHECK(inc[0] == "net.yaml:2:16: duplicate key \"name\" (first at 2:7); a key may appear once in a mapping");
    CHECK(inc[1] == "net.yaml:3:1: duplicate key \"hosts\" (first at 1:1); a key may appear once in a mapping");
}

TEST_CASE("a scenario file over 4 MiB is refused before parsing", "[loader][yaml]") {
    std::string big = "title: big\nhosts: [ { name: pc } ]\nsteps: [ { note: x } ]\ndescription: \"";
    big.append(2 * kMaxScenarioBytes, 'a');
    big += "\"\n";
    auto p = problems(big);
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "t.yaml: the file is larger than 4194304 octets (4 MiB), the limit for a scenario or network file; "
                  "it was not parsed");
    // From the disk, the reader stops just past the limit instead of reading the whole file.
    TempDir dir("big");
    dir.write("big.yaml", big);
    auto text = readFileFromDisk((dir.path / "big.yaml").string());
    REQUIRE(text.has_value());
    CHECK(text->size() > kMaxScenarioBytes);
    CHECK(text->size() < big.size());
    auto run = runScenarioFile((dir.path / "big.yaml").string());
    REQUIRE_FALSE(run.has_value());
    CHECK(run.error().at(0).message(mailsim::i18n::Lang::En).find("larger than 4194304 octets") != std::string::npos);
}

TEST_CASE("deep nesting gets a clear message with its position", "[loader][yaml]") {
    // Deeper than the loader's limit but within yaml-cpp's own guard: reported by the loader's walk.
    std::string flow = "title: deep\nhosts: [ { name: pc } ]\nsteps: [ { note: x } ]\nx: " + std::string(100, '[') +
                       std::string(100, ']') + "\n";
    auto p = problems(flow);
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "t.yaml:4:67: nested deeper than 64 levels at 4:67; a scenario needs only a few levels");
    // Far deeper: yaml-cpp's guard stops the parser; the same message instead of "not valid YAML: bad file".
    std::string deeper = "x: " + std::string(5000, '[') + "\n";
    auto q = problems(deeper);
    REQUIRE(q.size() == 1);
    CHECK(q[0] == "t.yaml:2:1: nested deeper than 64 levels at 2:1; a scenario needs only a few levels");
    CHECK(q[0].find("bad file") == std::string::npos);
}

TEST_CASE("aliases that expand to a huge tree are refused", "[loader][yaml]") {
    // "Billion laughs": each level doubles ten times; the walk stops at its budget instead of running for ever.
    std::string doc = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i) {
        doc += fmt::format("a{0}: &a{0} [*a{1}", i, i - 1);
        for (int k = 1; k < 10; ++k) doc += fmt::format(", *a{}", i - 1);
        doc += "]\n";
    }
    auto p = problems(doc);
    REQUIRE_FALSE(p.empty());
    CHECK(anyContains(p, "the document expands to more than 1000000 values (aliases?)"));
}
