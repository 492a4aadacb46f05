// IMAP server session: the state table drives every command in every state; login; mailboxes; IDLE across sessions.
#include "ImapTestHarness.hpp"

#include "auth/Sasl.hpp"
#include "imap/ImapStates.hpp"

#include <map>

using namespace mailsim;
using namespace mailsim::test;
using namespace std::string_literals;

namespace {

const std::string kMsg1 = "From: Mike <mike@cesoo.com>\r\nTo: rose@cesoo.com\r\nSubject: lunch\r\n"
                          "Date: Mon, 4 Mar 2024 09:00:00 +0000\r\n\r\nNoodles at noon?\r\n";
const std::string kMsg2 = "From: Ann <ann@example.org>\r\nTo: rose@cesoo.com\r\nSubject: report\r\n\r\nSee attached.\r\n";

// A plausible argument list per command, so that a command the table allows is not refused for its syntax.
const std::map<ImapInput, std::string> kArgs = {
    {ImapInput::Capability, ""}, {ImapInput::Noop, ""}, {ImapInput::Logout, ""}, {ImapInput::Id, " NIL"},
    {ImapInput::Login, " rose rose123"}, {ImapInput::Authenticate, " PLAIN AHJvc2UAcm9zZTEyMw=="},
    {ImapInput::StartTls, ""}, {ImapInput::Select, " INBOX"}, {ImapInput::Examine, " INBOX"},
    {ImapInput::Create, " Work"}, {ImapInput::Delete, " Nope"}, {ImapInput::Rename, " Nope Other"},
    {ImapInput::Subscribe, " INBOX"}, {ImapInput::Unsubscribe, " INBOX"}, {ImapInput::List, " \"\" *"},
    {ImapInput::Lsub, " \"\" *"}, {ImapInput::Status, " INBOX (MESSAGES)"}, {ImapInput::Append, " INBOX {2+}\r\nhi"},
    {ImapInput::Namespace, ""}, {ImapInput::Enable, " UTF8=ACCEPT"}, {ImapInput::Check, ""}, {ImapInput::Close, ""},
    {ImapInput::Unselect, ""}, {ImapInput::Expunge, ""}, {ImapInput::Search, " ALL"}, {ImapInput::Fetch, " 1 FLAGS"},
    {ImapInput::Store, " 1 +FLAGS (\\Flagged)"}, {ImapInput::Copy, " 1 INBOX"}, {ImapInput::Move, " 1 INBOX"},
    {ImapInput::Uid, ""}, {ImapInput::Idle, ""}, {ImapInput::Sort, " (DATE) UTF-8 ALL"},
    {ImapInput::Thread, " REFERENCES UTF-8 ALL"},
};

}  // namespace

TEST_CASE("imap server: every command in every state, as the transition table says", "[imap][server]") {
    for (ImapState state : {ImapState::NotAuthenticated, ImapState::Authenticated, ImapState::Selected}) {
        for (const auto& info : imapCommands()) {
            if (info.verb.front() == '<' || info.verb == "?" || info.input == ImapInput::Uid) continue;
            ImapHost host;
            host.deliver(kMsg1);
            ImapConn c(host);
            if (state != ImapState::NotAuthenticated) c.login();
            if (state == ImapState::Selected) c.ok("SELECT INBOX");
            REQUIRE(c.session->state() == state);
            std::string line = std::string(info.verb) + kArgs.at(info.input);
            INFO(toString(state) << ": " << line);
            std::string out = c.raw("t " + line + "\r\n");
            if (info.input == ImapInput::Idle && imapNextState(state, info.input)) {
                CHECK(out.starts_with("+ "));
                out += c.raw("DONE\r\n");
            }
            INFO(out);
            bool allowed = imapNextState(state, info.input).has_value();
            CHECK((out.find(" is not allowed in the ") == std::string::npos) == allowed);
            if (allowed && info.input != ImapInput::StartTls && info.input != ImapInput::Delete &&
                info.input != ImapInput::Rename)
            {
                bool tagOk = out.find("\r\nt OK") != std::string::npos || out.starts_with("t OK");
                CHECK(tagOk);
            }
            auto next = imapNextState(state, info.input);
            if (next) CHECK(c.session->state() == *next);
            else CHECK(c.session->state() == state);
        }
    }
}

TEST_CASE("imap server: greeting, CAPABILITY, LOGIN failure then success, state changes traced", "[imap][server]") {
    ImapHost host;
    ImapConn c(host);
    CHECK(c.greeting.starts_with("* OK [CAPABILITY IMAP4rev1 "));
    auto caps = c.ok("CAPABILITY");
    for (auto cap : {"LITERAL+", "UIDPLUS", "MOVE", "IDLE", "NAMESPACE", "ID", "UNSELECT", "ENABLE", "SPECIAL-USE"})
        CHECK(caps.find(cap) != std::string::npos);
    auto bad = c.cmd("LOGIN rose wrong");
    CHECK(bad.find("NO [AUTHENTICATIONFAILED]") != std::string::npos);
    CHECK(c.session->state() == ImapState::NotAuthenticated);
    c.login();
    CHECK(c.session->state() == ImapState::Authenticated);
    c.ok("SELECT INBOX");
    auto out = c.ok("LOGOUT");
    CHECK(out.starts_with("* BYE"));
    CHECK(c.session->closed());
    std::vector<std::string> changes;
    for (const auto& e : host.trace.events())
        if (e.kind == trace::EventKind::StateChanged) {
            changes.push_back(e.text);
            CHECK(e.cause != trace::kNoCause);
        }
    CHECK(changes.size() == 3);
}

TEST_CASE("imap server: AUTHENTICATE PLAIN with a continuation and with SASL-IR", "[imap][server]") {
    ImapHost host;
    ImapConn c(host);
    CHECK(c.raw("a1 AUTHENTICATE PLAIN\r\n") == "+ \r\n");
    auto out = c.raw(auth::encodeSaslPlain("rose@cesoo.com", "rose123") + "\r\n");
    CHECK(out.starts_with("a1 OK"));
    ImapConn d(host);
    CHECK(d.raw("b1 AUTHENTICATE PLAIN\r\n") == "+ \r\n");
    CHECK(d.raw("*\r\n").starts_with("b1 BAD"));
    CHECK(d.cmd("AUTHENTICATE PLAIN " + auth::encodeSaslPlain("rose", "nope")).find("NO [AUTH") != std::string::npos);
    d.ok("AUTHENTICATE PLAIN " + auth::encodeSaslPlain("mike", "mike123"));
}

TEST_CASE("imap server: SELECT reports counts, UIDVALIDITY, UIDNEXT; \\Recent goes to the first session", "[imap][server]") {
    ImapHost host;
    host.deliver(kMsg1);
    host.deliver(kMsg2);
    ImapConn a(host);
    a.login();
    auto sel = a.ok("SELECT INBOX");
    CHECK(sel.find("* 2 EXISTS") != std::string::npos);
    CHECK(sel.find("* 2 RECENT") != std::string::npos);
    CHECK(sel.find("[UIDVALIDITY ") != std::string::npos);
    CHECK(sel.find("[UIDNEXT 3]") != std::string::npos);
    CHECK(sel.find("[UNSEEN 1]") != std::string::npos);
    CHECK(sel.find("OK [READ-WRITE]") != std::string::npos);
    CHECK(a.ok("FETCH 1:* FLAGS").find("(FLAGS (\\Recent))") != std::string::npos);
    ImapConn b(host);
    b.login();
    auto sel2 = b.ok("EXAMINE INBOX");
    CHECK(sel2.find("* 0 RECENT") != std::string::npos);
    CHECK(sel2.find("[READ-ONLY]") != std::string::npos);
    CHECK(b.cmd("STORE 1 +FLAGS (\\Seen)").find("NO [READ-ONLY]") != std::string::npos);
    auto fail = a.cmd("SELECT Nope");
    CHECK(ImapConn::status(fail) == "NO");
    CHECK(a.session->state() == ImapState::Authenticated);  // RFC 3501 6.3.1
}

TEST_CASE("imap server: CREATE, LIST with wildcards, a Chinese folder name round-trips, bad names refused",
          "[imap][server]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    std::string sent = encodeMailboxName("已发送");
    c.ok("CREATE \"" + sent + "\"");
    c.ok("CREATE Work/Projects/");
    c.ok("CREATE Trash");
    CHECK(c.cmd("CREATE Work").find("NO [ALREADYEXISTS]") != std::string::npos);
    auto all = c.ok("LIST \"\" *");
    CHECK(all.find("* LIST (\\HasNoChildren) \"/\" \"INBOX\"") != std::string::npos);
    CHECK(all.find("\"" + sent + "\"") != std::string::npos);
    CHECK(all.find("* LIST (\\HasChildren) \"/\" \"Work\"") != std::string::npos);
    CHECK(all.find("\"Work/Projects\"") != std::string::npos);
    CHECK(all.find("(\\HasNoChildren \\Trash) \"/\" \"Trash\"") != std::string::npos);
    auto top = c.ok("LIST \"\" %");
    CHECK(top.find("Work/Projects") == std::string::npos);
    // The reference and the pattern are concatenated as written (RFC 3501 6.3.8): "Work/" + "%" lists below Work,
    // "Work" + "%" is the pattern "Work%" (Work itself).
    CHECK(c.ok("LIST Work/ %").find("\"Work/Projects\"") != std::string::npos);
    CHECK(c.ok("LIST Work %").find("\"Work/Projects\"") == std::string::npos);
    CHECK(c.ok("LIST Work %").find("\"Work\"") != std::string::npos);
    CHECK(c.ok("LIST \"\" \"\"").find("* LIST (\\Noselect) \"/\" \"\"") != std::string::npos);
    CHECK(c.ok("LIST \"\" inbox").find("\"INBOX\"") != std::string::npos);
    for (std::string bad : {"../etc", "/abs", "a//b", "~rose", "a.b", "caf\xc3\xa9"}) {
        auto out = c.cmd("CREATE \"" + bad + "\"");
        INFO(bad << "\n" << out);
        CHECK(out.find("NO [CANNOT]") != std::string::npos);
    }
    auto nul = c.raw("z CREATE {3+}\r\na\0b\r\n"s);
    CHECK(nul.find("z NO [CANNOT]") != std::string::npos);
    // The store holds the name as sent (modified UTF-7), "/" as ".".
    auto folders = host.memory.listFolders("rose@cesoo.com");
    CHECK(std::ranges::find(folders, sent) != folders.end());
    CHECK(std::ranges::find(folders, "Work.Projects") != folders.end());
}

TEST_CASE("imap server: RENAME moves the levels below, DELETE, INBOX rules, STATUS, SUBSCRIBE/LSUB", "[imap][server]") {
    ImapHost host;
    host.deliver(kMsg1);
    ImapConn c(host);
    c.login();
    c.ok("CREATE Work/Old");
    host.deliver(kMsg2, "Work.Old");
    c.ok("RENAME Work Jobs");
    auto list = c.ok("LIST \"\" *");
    CHECK(list.find("\"Jobs/Old\"") != std::string::npos);
    CHECK(list.find("\"Work") == std::string::npos);
    CHECK(c.ok("STATUS Jobs/Old (MESSAGES UIDNEXT UNSEEN)").find("* STATUS \"Jobs/Old\" (MESSAGES 1 UIDNEXT 2 UNSEEN 1)") !=
          std::string::npos);
    CHECK(c.cmd("DELETE INBOX").find("NO [CANNOT]") != std::string::npos);
    CHECK(c.cmd("DELETE Nope").find("NO [NONEXISTENT]") != std::string::npos);
    c.ok("DELETE Jobs/Old");
    CHECK(c.ok("LIST \"\" *").find("Jobs/Old") == std::string::npos);
    c.ok("RENAME INBOX Saved");  // RFC 3501 6.3.5: INBOX's messages move, INBOX stays
    CHECK(host.memory.list("rose@cesoo.com", "INBOX").empty());
    CHECK(host.memory.list("rose@cesoo.com", "Saved").size() == 1);
    c.ok("SUBSCRIBE Saved");
    CHECK(c.ok("LSUB \"\" *").find("* LSUB (\\HasNoChildren) \"/\" \"Saved\"") != std::string::npos);
    c.ok("UNSUBSCRIBE Saved");
    CHECK(c.ok("LSUB \"\" *").find("* LSUB") == std::string::npos);
}

TEST_CASE("imap server: APPEND with flags and date, synchronising literal, TRYCREATE, size limit", "[imap][server]") {
    ImapHost host;
    host.ctx.config.maxLiteral = 1000;
    ImapConn c(host);
    c.login();
    CHECK(c.raw("a1 APPEND INBOX (\\Seen \\Flagged) \"17-Jul-1996 02:44:25 -0700\" {" + std::to_string(kMsg1.size()) +
                "}\r\n") == "+ Ready for literal data\r\n");
    auto out = c.raw(kMsg1 + "\r\n");
    CHECK(out.find("a1 OK [APPENDUID ") != std::string::npos);
    auto info = host.memory.list("rose@cesoo.com", "INBOX");
    REQUIRE(info.size() == 1);
    CHECK(info[0].flags == (store::kSeen | store::kFlagged));
    c.ok("SELECT INBOX");
    CHECK(c.ok("FETCH 1 INTERNALDATE").find("INTERNALDATE \"17-Jul-1996 09:44:25 +0000\"") != std::string::npos);
    CHECK(c.cmd("APPEND Nope {2+}\r\nhi").find("NO [TRYCREATE]") != std::string::npos);
    // Over the limit: refused before the continuation, nothing buffered.
    auto big = c.raw("a9 APPEND INBOX {5000}\r\n");
    CHECK(big.starts_with("a9 NO [TOOBIG]"));
    CHECK(big.find("+ ") == std::string::npos);
    CHECK(c.session->bufferedBytes() == 0);
    // Appending to the selected mailbox reports EXISTS.
    CHECK(c.cmd("APPEND INBOX {2+}\r\nhi").find("* 2 EXISTS") != std::string::npos);
}

TEST_CASE("imap server: STORE, EXPUNGE, UID EXPUNGE, CLOSE", "[imap][server]") {
    ImapHost host;
    for (int i = 0; i < 4; ++i) host.deliver(kMsg1);
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    CHECK(c.ok("STORE 1:2 +FLAGS (\\Deleted)").find("* 2 FETCH (FLAGS (\\Deleted \\Recent))") != std::string::npos);
    CHECK(c.ok("STORE 2 -FLAGS.SILENT (\\Deleted)").find("FETCH") == std::string::npos);
    CHECK(c.ok("UID STORE 3 FLAGS (\\Deleted \\Seen)").find("* 3 FETCH (UID 3 FLAGS (\\Seen \\Deleted \\Recent))") !=
          std::string::npos);
    auto ex = c.ok("UID EXPUNGE 3");
    CHECK(ex.find("* 3 EXPUNGE") != std::string::npos);
    CHECK(ex.find("* 1 EXPUNGE") == std::string::npos);
    ex = c.ok("EXPUNGE");
    CHECK(ex.find("* 1 EXPUNGE") != std::string::npos);
    CHECK(host.memory.list("rose@cesoo.com", "INBOX").size() == 2);
    c.ok("STORE 1 +FLAGS \\Deleted");
    auto closed = c.ok("CLOSE");
    CHECK(closed.find("EXPUNGE") == std::string::npos);  // silently
    CHECK(host.memory.list("rose@cesoo.com", "INBOX").size() == 1);
    CHECK(c.session->state() == ImapState::Authenticated);
    CHECK(c.cmd("STORE 1 +FLAGS (\\Bogus)").find(" BAD ") != std::string::npos);
}

TEST_CASE("imap server: COPY with COPYUID, MOVE with untagged COPYUID and EXPUNGE, TRYCREATE", "[imap][server]") {
    ImapHost host;
    host.deliver(kMsg1);
    host.deliver(kMsg2);
    host.deliver(kMsg1);
    ImapConn c(host);
    c.login();
    c.ok("CREATE Archive");
    c.ok("SELECT INBOX");
    c.ok("STORE 2 +FLAGS (\\Flagged)");
    CHECK(c.cmd("COPY 1 Nope").find("NO [TRYCREATE]") != std::string::npos);
    auto copy = c.ok("COPY 1:2 Archive");
    CHECK(copy.find("OK [COPYUID ") != std::string::npos);
    CHECK(copy.find(" 1:2 1:2]") != std::string::npos);
    auto archived = host.memory.list("rose@cesoo.com", "Archive");
    REQUIRE(archived.size() == 2);
    CHECK(archived[1].flags == store::kFlagged);
    auto move = c.ok("UID MOVE 2:3 Archive");
    CHECK(move.find("* OK [COPYUID ") != std::string::npos);
    CHECK(move.find(" 2:3 3:4]") != std::string::npos);
    CHECK(move.find("* 3 EXPUNGE\r\n* 2 EXPUNGE") != std::string::npos);
    CHECK(host.memory.list("rose@cesoo.com", "INBOX").size() == 1);
    CHECK(host.memory.list("rose@cesoo.com", "Archive").size() == 4);
    CHECK(c.cmd("COPY 7 Archive").find(" BAD ") != std::string::npos);
    CHECK(c.ok("UID COPY 99 Archive").find("no messages matched") != std::string::npos);
}

TEST_CASE("imap server: IDLE pushes another session's APPEND, flag change and EXPUNGE", "[imap][server][idle]") {
    ImapHost host;
    host.deliver(kMsg1);
    ImapConn a(host), b(host);
    a.login();
    b.login();
    a.ok("SELECT INBOX");
    b.ok("SELECT INBOX");
    CHECK(a.raw("i1 IDLE\r\n").starts_with("+ idling"));
    CHECK(a.session->idling());
    b.ok("APPEND INBOX {" + std::to_string(kMsg2.size()) + "+}\r\n" + kMsg2);
    a.session->tick(a.now + 1000);
    auto pushed = a.session->takeOutput();
    CHECK(pushed.find("* 2 EXISTS") != std::string::npos);
    b.ok("STORE 1 +FLAGS (\\Flagged)");
    a.session->tick(a.now + 2000);
    CHECK(a.session->takeOutput().find("* 1 FETCH (FLAGS (\\Flagged") != std::string::npos);
    b.ok("STORE 1 +FLAGS (\\Deleted)");
    b.ok("EXPUNGE");
    a.session->tick(a.now + 3000);
    auto gone = a.session->takeOutput();
    CHECK(gone.find("* 1 EXPUNGE") != std::string::npos);
    a.session->tick(a.now + 4000);
    CHECK(a.session->takeOutput().empty());  // reported once
    CHECK(a.raw("DONE\r\n").starts_with("i1 OK"));
    CHECK_FALSE(a.session->idling());
    // Without IDLE, NOOP reports changes too (RFC 3501 6.1.2).
    b.ok("APPEND INBOX {2+}\r\nhi");
    CHECK(a.ok("NOOP").find("* 2 EXISTS") != std::string::npos);
}

TEST_CASE("imap server: NAMESPACE, ID, ENABLE, UNSELECT, too many errors, autologout", "[imap][server]") {
    ImapHost host;
    ImapConn c(host);
    CHECK(c.ok("ID (\"name\" \"test\")").find("* ID (\"name\" \"mailsim\"") != std::string::npos);
    c.login();
    CHECK(c.ok("NAMESPACE").find("* NAMESPACE ((\"\" \"/\")) NIL NIL") != std::string::npos);
    CHECK(c.ok("ENABLE CONDSTORE").find("* ENABLED") != std::string::npos);
    c.ok("SELECT INBOX");
    c.ok("UNSELECT");
    CHECK(c.session->state() == ImapState::Authenticated);
    c.session->tick(c.now + host.ctx.config.idleTimeout);
    CHECK(c.session->takeOutput().starts_with("* BYE"));
    CHECK(c.session->closed());
    ImapConn d(host);
    std::string out;
    for (int i = 0; i < host.ctx.config.maxErrors; ++i) out += d.raw("x BOGUS\r\n");
    CHECK(out.find("* BYE too many errors") != std::string::npos);
    CHECK(d.session->closed());
}

TEST_CASE("imap server: the same answers whether commands come whole, byte by byte or in random chunks",
          "[imap][server]") {
    const std::string stream = "a1 LOGIN rose rose123\r\na2 CREATE {4}\r\nWork\r\na3 APPEND Work (\\Seen) {" +
                               std::to_string(kMsg2.size()) + "+}\r\n" + kMsg2 +
                               "\r\na4 SELECT Work\r\na5 FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (Subject)])\r\n"
                               "a6 SEARCH CHARSET UTF-8 TEXT {8+}\r\nattached\r\na7 LOGOUT\r\n";
    auto runWith = [&](const std::vector<std::size_t>& cuts) {
        ImapHost host;
        ImapConn c(host);
        std::string out;
        std::size_t at = 0;
        for (std::size_t n : cuts) {
            if (at >= stream.size()) break;
            out += c.raw(stream.substr(at, n));
            at += n;
        }
        if (at < stream.size()) out += c.raw(stream.substr(at));
        return out;
    };
    std::string whole = runWith({});
    INFO(whole);
    CHECK(whole.find("a7 OK") != std::string::npos);
    CHECK(whole.find("* SEARCH 1") != std::string::npos);
    CHECK(whole.find("+ Ready for literal data") != std::string::npos);
    CHECK(runWith(std::vector<std::size_t>(stream.size(), 1)) == whole);
    std::uint32_t seed = 7;
    for (int round = 0; round < 20; ++round) {
        std::vector<std::size_t> cuts;
        for (std::size_t total = 0; total < stream.size();) {
            seed = seed * 1103515245 + 12345;
            std::size_t n = 1 + (seed >> 16) % 13;
            cuts.push_back(n);
            total += n;
        }
        CHECK(runWith(cuts) == whole);
    }
}

TEST_CASE("imap server: sequence numbers past the end are BAD, ranges with * are not", "[imap][server]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    CHECK(c.ok("FETCH 1:* FLAGS").find("FETCH (") == std::string::npos);  // an empty mailbox: nothing, no error
    CHECK(c.cmd("FETCH 1 FLAGS").find("BAD no message 1 (the mailbox has 0)") != std::string::npos);
    host.deliver(kMsg1);
    CHECK(c.ok("NOOP").find("* 1 EXISTS") != std::string::npos);
    CHECK(c.ok("FETCH 1:* FLAGS").find("* 1 FETCH (FLAGS (\\Recent))") != std::string::npos);
    CHECK(c.cmd("STORE 2 +FLAGS (\\Seen)").find(" BAD ") != std::string::npos);
}
