// IMAP extensions (issue #17), each with its RFC's examples: ESEARCH (RFC 4731), LIST-EXTENDED (RFC 5258),
// LIST-STATUS (RFC 5819), MULTIAPPEND (RFC 3502), SORT and THREAD (RFC 5256); their catalogue entries (en and zh)
// and state-table rows.
#include "ForwardingStore.hpp"
#include "ImapTestHarness.hpp"

#include "imap/ImapServerInternal.hpp"

#include <cerrno>

using namespace mailsim;
using namespace mailsim::test;

namespace {

bool has(const std::string& out, const std::string& what) { return out.find(what) != std::string::npos; }

std::string mail(const std::string& from, const std::string& subject, const std::string& date,
                 const std::string& extra = "") {
    return "From: " + from + "\r\nTo: rose@cesoo.com\r\nSubject: " + subject + "\r\nDate: " + date + "\r\n" + extra +
           "\r\nbody of " + subject + "\r\n";
}

// A store that refuses the n-th delivery (to show MULTIAPPEND's all-or-nothing); everything else is a MemoryStore.
class RefusingStore final : public ForwardingStore {
public:
    int refuseAt = 0;  // 1-based delivery count to refuse; 0: never
    std::expected<store::MessageInfo, store::StoreError> deliver(const std::string& u, const std::string& f,
                                                                 std::string_view m, std::int64_t d) override {
        if (++m_count == refuseAt) return std::unexpected(store::systemError(store::StoreStep::Create, "/m/tmp/x", ENOSPC));
        return ForwardingStore::deliver(u, f, m, d);
    }
    std::string describe() const override { return "refusing"; }

private:
    int m_count = 0;
};

}  // namespace

TEST_CASE("imap extensions: CAPABILITY advertises them; the state table and the catalogues know SORT and THREAD",
          "[imap][extensions]") {
    ImapHost host;
    ImapConn c(host);
    auto caps = c.ok("CAPABILITY");
    for (auto cap : {" ESEARCH", " LIST-EXTENDED", " LIST-STATUS", " MULTIAPPEND", " SORT", " THREAD=REFERENCES",
                     " THREAD=ORDEREDSUBJECT", " BINARY", " CONDSTORE", " QRESYNC"})
        CHECK(has(caps, cap));
    for (ImapInput in : {ImapInput::Sort, ImapInput::Thread}) {
        CHECK(imapNextState(ImapState::Selected, in) == ImapState::Selected);
        CHECK_FALSE(imapNextState(ImapState::Authenticated, in));
        CHECK(commandExplanation(in).complete());
    }
    CHECK(findImapCommand("sort") != nullptr);
    CHECK(findImapCommand("THREAD") != nullptr);
    for (ImapInput in : {ImapInput::List, ImapInput::Search, ImapInput::Append})
        CHECK(commandExplanation(in).complete());
    for (ReplyId id : {ReplyId::ExpungeIssued, ReplyId::SearchExpungeIssued, ReplyId::SortDone, ReplyId::ThreadDone,
                       ReplyId::BadThreadAlgorithm, ReplyId::MultiAppendDone, ReplyId::UnknownCte}) {
        INFO(static_cast<int>(id));
        CHECK(replyExplanation(id).complete());
        CHECK(replyInfo(id).id == id);
    }
}

TEST_CASE("imap extensions: ESEARCH (RFC 4731 examples: MIN COUNT, RETURN (), UID MIN MAX, no match)",
          "[imap][extensions]") {
    ImapHost host;
    for (int i = 1; i <= 11; ++i)
        host.deliver(mail(i == 5 ? "John Smith <smith@example.org>" : "Ann <ann@example.org>", "m" + std::to_string(i),
                          "Mon, 4 Mar 2024 09:00:00 +0000"));
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    c.ok("STORE 2,5,10:11 +FLAGS.SILENT (\\Flagged)");
    auto a = c.ok("SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"", "A282");
    CHECK(has(a, "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n"));
    CHECK(has(a, "A282 OK"));
    CHECK(has(c.ok("SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"", "A283"),
              "* ESEARCH (TAG \"A283\") ALL 2,10:11\r\n"));
    CHECK(has(c.ok("UID SEARCH RETURN (MIN MAX) FLAGGED", "A285"), "* ESEARCH (TAG \"A285\") UID MIN 2 MAX 11\r\n"));
    CHECK(has(c.ok("SEARCH RETURN (MAX ALL COUNT) CHARSET UTF-8 FROM nobody", "A286"),
              "* ESEARCH (TAG \"A286\") COUNT 0\r\n"));
    CHECK(has(c.ok("SEARCH RETURN (MIN) FROM nobody", "A287"), "* ESEARCH (TAG \"A287\")\r\n"));
    CHECK(ImapConn::status(c.cmd("SEARCH RETURN (SAVE) ALL")) == "BAD");  // SEARCHRES (RFC 5182) is not offered
    CHECK(has(c.ok("SEARCH FLAGGED"), "* SEARCH 2 5 10 11\r\n"));           // without RETURN: as before
}

TEST_CASE("imap extensions: LIST-EXTENDED (RFC 5258 5 examples: SUBSCRIBED, RETURN (CHILDREN), RECURSIVEMATCH, "
          "several patterns)", "[imap][extensions]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    for (auto box : {"Fruit", "Fruit/apple", "Fruit/banana", "Tofu", "Vegetable", "Vegetable/broccoli",
                     "Vegetable/corn"})
        c.ok(std::string("CREATE ") + box);
    for (auto box : {"INBOX", "Fruit/banana", "Fruit/peach", "Vegetable", "Vegetable/broccoli"})
        c.ok(std::string("SUBSCRIBE ") + box);
    // Example 2: the subscribed mailboxes, \NonExistent for the one that does not exist.
    auto sub = c.ok("LIST (SUBSCRIBED) \"\" \"*\"");
    CHECK(has(sub, "\\Subscribed) \"/\" \"INBOX\"\r\n"));
    CHECK(has(sub, "\\Subscribed) \"/\" \"Fruit/banana\"\r\n"));
    CHECK(has(sub, "* LIST (\\NonExistent \\Subscribed) \"/\" \"Fruit/peach\"\r\n"));
    CHECK(has(sub, "\\Subscribed) \"/\" \"Vegetable\"\r\n"));
    CHECK(has(sub, "\\Subscribed) \"/\" \"Vegetable/broccoli\"\r\n"));
    CHECK_FALSE(has(sub, "\"Tofu\""));
    CHECK_FALSE(has(sub, "\"Fruit\"\r\n"));
    // Example 3: RETURN (CHILDREN).
    auto children = c.ok("LIST () \"\" \"%\" RETURN (CHILDREN)");
    CHECK(has(children, "* LIST (\\HasChildren) \"/\" \"Fruit\"\r\n"));
    CHECK(has(children, "* LIST (\\HasNoChildren) \"/\" \"Tofu\"\r\n"));
    CHECK(has(children, "* LIST (\\HasChildren) \"/\" \"Vegetable\"\r\n"));
    // Example 5 style: RECURSIVEMATCH reports parents whose children are subscribed, with CHILDINFO.
    auto rec = c.ok("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)");
    CHECK(has(rec, "* LIST (\\HasChildren) \"/\" \"Fruit\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n"));
    CHECK(has(rec, "* LIST (\\HasChildren \\Subscribed) \"/\" \"Vegetable\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n"));
    CHECK_FALSE(has(rec, "\"Tofu\""));
    CHECK_FALSE(has(rec, "Fruit/banana"));
    // RETURN (SUBSCRIBED) on a plain selection; several patterns.
    auto both = c.ok("LIST \"\" (\"Tofu\" \"Vegetable/*\") RETURN (SUBSCRIBED)");
    CHECK(has(both, "* LIST () \"/\" \"Tofu\"\r\n"));
    CHECK(has(both, "* LIST (\\Subscribed) \"/\" \"Vegetable/broccoli\"\r\n"));
    CHECK(has(both, "* LIST () \"/\" \"Vegetable/corn\"\r\n"));
    CHECK_FALSE(has(both, "\"Fruit"));
    // Errors: RECURSIVEMATCH alone, an unknown option (RFC 5258 3: BAD).
    CHECK(ImapConn::status(c.cmd("LIST (RECURSIVEMATCH) \"\" \"%\"")) == "BAD");
    CHECK(ImapConn::status(c.cmd("LIST (FANCY) \"\" \"%\"")) == "BAD");
    CHECK(ImapConn::status(c.cmd("LIST \"\" \"%\" RETURN (FANCY)")) == "BAD");
    CHECK(has(c.ok("LIST (REMOTE) \"\" Tofu"), "\"Tofu\""));
}

TEST_CASE("imap extensions: LIST-STATUS (RFC 5819 example: STATUS after each selectable mailbox)",
          "[imap][extensions]") {
    ImapHost host;
    host.deliver(mail("ann@example.org", "a", "Mon, 4 Mar 2024 09:00:00 +0000"));
    host.deliver(mail("ann@example.org", "b", "Mon, 4 Mar 2024 09:00:00 +0000"));
    host.deliver(mail("ann@example.org", "c", "Mon, 4 Mar 2024 09:00:00 +0000"), "foo");
    REQUIRE(host.ctx.store->createFolder("rose@cesoo.com", "bar.baz"));  // "bar" is only a level
    ImapConn c(host);
    c.login();
    c.ok("EXAMINE INBOX");
    c.ok("FETCH 1 BODY[]");  // read-only: \Seen is not set
    auto out = c.ok("LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))", "A01");
    CHECK(has(out, "* LIST () \"/\" \"INBOX\"\r\n* STATUS \"INBOX\" (MESSAGES 2 UNSEEN 2)\r\n"));
    CHECK(has(out, "* LIST () \"/\" \"foo\"\r\n* STATUS \"foo\" (MESSAGES 1 UNSEEN 1)\r\n"));
    CHECK(has(out, "* LIST (\\Noselect \\HasChildren) \"/\" \"bar\"\r\n"));
    CHECK_FALSE(has(out, "STATUS \"bar\""));
    CHECK(ImapConn::status(c.cmd("LIST \"\" % RETURN (STATUS (BOGUS))")) == "BAD");
}

TEST_CASE("imap extensions: MULTIAPPEND (RFC 3502 example; all or nothing; one APPENDUID set)", "[imap][extensions]") {
    ImapHost host;
    ImapConn c(host);
    c.login();
    c.ok("CREATE saved-messages");
    std::string m1 = mail("Fred Foobar <foobar@Blurdybloop.example.COM>", "afternoon meeting",
                          "Mon, 7 Feb 1994 21:52:25 -0800");
    std::string m2 = mail("Joe Mooch <mooch@OWatagu.siam.edu.example>", "afternoon meeting 2",
                          "Mon, 7 Feb 1994 22:43:04 -0800");
    // Synchronising literals as in the RFC: "+" before each.
    CHECK(c.raw("A003 APPEND saved-messages (\\Seen) {" + std::to_string(m1.size()) + "}\r\n").starts_with("+ "));
    CHECK(c.raw(m1 + " (\\Seen) \" 7-Feb-1994 22:43:04 -0800\" {" + std::to_string(m2.size()) + "}\r\n")
              .starts_with("+ "));
    auto done = c.raw(m2 + "\r\n");
    CHECK(has(done, "A003 OK [APPENDUID "));
    CHECK(has(done, " 1:2] APPEND completed (2 messages)"));
    auto stored = host.ctx.store->list("rose@cesoo.com", "saved-messages");
    REQUIRE(stored.size() == 2);
    CHECK(stored[1].flags == store::kSeen);
    CHECK(has(c.cmd("APPEND bogusname (\\Flagged) {1+}\r\nx {1+}\r\ny"), "NO [TRYCREATE]"));
    // A failure on the second message leaves neither.
    RefusingStore refusing;
    refusing.refuseAt = 2;
    ImapHost host2(&refusing);
    ImapConn d(host2);
    d.login();
    auto failed = d.cmd("APPEND INBOX {" + std::to_string(m1.size()) + "+}\r\n" + m1 + " {" +
                        std::to_string(m2.size()) + "+}\r\n" + m2);
    CHECK(ImapConn::status(failed) == "NO");
    CHECK(refusing.list("rose@cesoo.com", "INBOX").empty());
    // The trace keeps the store's failure as data (schema 1.4); its English is the former detail.
    const trace::ErrorReport* report = nullptr;
    for (const auto& e : host2.trace.events())
        if (const auto* r = e.as<trace::ErrorReport>(); r && r->id == trace::ErrorId::ImapAppendFailed) report = r;
    REQUIRE(report);
    REQUIRE(report->store);
    CHECK(report->store->sysErrno == ENOSPC);
    CHECK(report->detail == "cannot create /m/tmp/x: No space left on device");
    CHECK(ImapConn::status(d.cmd("APPEND INBOX (\\Seen)")) == "BAD");  // flags without a message
}

TEST_CASE("imap extensions: the base subject (RFC 5256 2.1)", "[imap][extensions]") {
    bool reply = false;
    CHECK(detail::baseSubject("Re: [team]  Fwd: agenda (fwd)", reply) == "AGENDA");
    CHECK(reply);
    CHECK(detail::baseSubject("[fwd: Re: lunch]", reply) == "LUNCH");
    CHECK(reply);
    CHECK(detail::baseSubject("[team] plan", reply) == "PLAN");
    CHECK_FALSE(reply);
    CHECK(detail::baseSubject("[only a blob]", reply) == "[ONLY A BLOB]");  // removing it would leave nothing
    CHECK(detail::baseSubject("RE[2]: re: subject", reply) == "SUBJECT");
    CHECK(reply);
    CHECK(detail::baseSubject("Rest of the week", reply) == "REST OF THE WEEK");
    CHECK_FALSE(reply);
}

TEST_CASE("imap extensions: SORT (RFC 5256 examples: SUBJECT, SUBJECT REVERSE DATE, no match; other keys)",
          "[imap][extensions]") {
    ImapHost host;
    host.deliver(
        mail("Zed <zed@example.org>", "Re: lunch", "Sat, 2 Mar 2024 10:00:00 +0000", "Cc: bob@example.org\r\n"));
    host.deliver(mail("Ann <ann@example.org>", "lunch", "Fri, 1 Mar 2024 10:00:00 +0000"));
    host.deliver(mail("Mike <mike@cesoo.com>", "Fwd: [team] agenda", "Tue, 5 Mar 2024 10:00:00 +0000",
                      "Cc: al@example.org\r\n"));
    host.deliver(mail("Bea <bea@example.org>", "agenda (fwd)", "Mon, 4 Mar 2024 10:00:00 +0000"));
    host.deliver(mail("carl <Carl@example.org>", "AGENDA", "Wed, 6 Mar 2024 10:00:00 +0000"));
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    CHECK(has(c.ok("SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994"), "* SORT 3 4 5 1 2\r\n"));
    CHECK(has(c.ok("SORT (SUBJECT REVERSE DATE) UTF-8 ALL"), "* SORT 5 3 4 1 2\r\n"));
    CHECK(has(c.ok("SORT (SUBJECT) US-ASCII TEXT \"not in mailbox\""), "* SORT\r\n"));
    CHECK(has(c.ok("SORT (FROM) UTF-8 ALL"), "* SORT 2 4 5 3 1\r\n"));  // ann bea carl mike zed
    CHECK(has(c.ok("SORT (DATE) UTF-8 ALL"), "* SORT 2 1 4 3 5\r\n"));
    // All arrived at the same instant: ties go to the lower sequence number, REVERSE or not (RFC 5256 3).
    CHECK(has(c.ok("SORT (REVERSE ARRIVAL) UTF-8 ALL"), "* SORT 1 2 3 4 5\r\n"));
    REQUIRE(host.ctx.store->deliver("rose@cesoo.com", "INBOX", mail("x@y", "later", "Mon, 1 Jan 2024 10:00:00 +0000"),
                                    kImapT0 + 60'000'000));
    c.ok("NOOP");
    CHECK(has(c.ok("SORT (REVERSE ARRIVAL) UTF-8 ALL"), "* SORT 6 1 2 3 4 5\r\n"));
    CHECK(has(c.ok("SORT (DATE) UTF-8 ALL"), "* SORT 6 2 1 4 3 5\r\n"));
    CHECK(has(c.ok("SORT (CC SIZE) UTF-8 ALL"), "* SORT 6 2 5 4 3 1\r\n"));  // "" first (by size), then al, bob
    CHECK(has(c.ok("UID SORT (DATE) UTF-8 SUBJECT agenda"), "* SORT 4 3 5\r\n"));
    CHECK(ImapConn::status(c.cmd("SORT (SUBJECT) KOI8-R ALL")) == "NO");  // NO [BADCHARSET]
    CHECK(ImapConn::status(c.cmd("SORT (WEIGHT) UTF-8 ALL")) == "BAD");
    CHECK(ImapConn::status(c.cmd("SORT (REVERSE) UTF-8 ALL")) == "BAD");
}

TEST_CASE("imap extensions: THREAD REFERENCES and ORDEREDSUBJECT (RFC 5256 3, 4)", "[imap][extensions]") {
    ImapHost host;
    host.deliver(mail("a@x", "plan", "Fri, 1 Mar 2024 10:00:00 +0000", "Message-ID: <a@x>\r\n"));
    host.deliver(mail("b@x", "Re: plan", "Sat, 2 Mar 2024 10:00:00 +0000",
                      "Message-ID: <b@x>\r\nIn-Reply-To: <a@x>\r\n"));
    host.deliver(mail("c@x", "Re: plan", "Sun, 3 Mar 2024 10:00:00 +0000",
                      "Message-ID: <c@x>\r\nReferences: <a@x> <b@x>\r\n"));
    host.deliver(
        mail("d@x", "Re: plan", "Mon, 4 Mar 2024 10:00:00 +0000", "Message-ID: <d@x>\r\nReferences: <a@x>\r\n"));
    host.deliver(mail("e@x", "other", "Tue, 5 Mar 2024 10:00:00 +0000", "Message-ID: <e@x>\r\n"));
    host.deliver(mail("f@x", "Re: other", "Wed, 6 Mar 2024 10:00:00 +0000",
                      "Message-ID: <f@x>\r\nReferences: <missing@x>\r\n"));
    host.deliver(mail("g@x", "hello", "Thu, 7 Mar 2024 10:00:00 +0000", "Message-ID: <g@x>\r\n"));
    host.deliver(mail("h@x", "hello", "Fri, 8 Mar 2024 10:00:00 +0000", "Message-ID: <h@x>\r\n"));
    // A loop in References (i says j is its parent, j says i) must not hang nor lose a message: the link that would
    // close the loop is not made (RFC 5256 3, step 1B), so j stays the parent of i.
    host.deliver(mail("i@x", "loop", "Sat, 9 Mar 2024 10:00:00 +0000", "Message-ID: <i@x>\r\nReferences: <j@x>\r\n"));
    host.deliver(mail("j@x", "loop", "Sun, 10 Mar 2024 10:00:00 +0000", "Message-ID: <j@x>\r\nReferences: <i@x>\r\n"));
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    CHECK(has(c.ok("THREAD REFERENCES UTF-8 ALL"), "* THREAD (1 (2 3)(4))(5 6)((7)(8))(10 9)\r\n"));
    CHECK(has(c.ok("THREAD ORDEREDSUBJECT UTF-8 ALL"), "* THREAD (1 (2)(3)(4))(5 6)(7 8)(9 10)\r\n"));
    CHECK(has(c.ok("THREAD ORDEREDSUBJECT UTF-8 SINCE 1-MAR-2030"), "* THREAD\r\n"));
    CHECK(has(c.ok("THREAD REFERENCES US-ASCII TEXT \"gewp\""), "* THREAD\r\n"));
    CHECK(has(c.ok("UID THREAD REFERENCES UTF-8 SUBJECT plan"), "* THREAD (1 (2 3)(4))\r\n"));
    auto bad = c.cmd("THREAD FANCY UTF-8 ALL");
    CHECK(has(bad, "BAD unknown threading algorithm FANCY"));
}

TEST_CASE("imap extensions: BINARY (RFC 3516: decoded parts, literal8 for NUL, BINARY.SIZE, PEEK, UNKNOWN-CTE, "
          "APPEND of a literal8)", "[imap][extensions]") {
    ImapHost host;
    host.deliver("From: mike@cesoo.com\r\nTo: rose@cesoo.com\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                 "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                 "SGVsbG8AV29ybGQ=\r\n"
                 "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                 "caf=C3=A9\r\n"
                 "--b\r\nContent-Type: application/x-odd\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n"
                 "begin 644 x\r\n--b--\r\n");
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    auto peek = c.ok("FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1] BINARY.PEEK[2])");
    CHECK(has(peek, std::string("BINARY[1] ~{11}\r\nHello\0World", 28)));  // a NUL: literal8 (RFC 3516 4.3)
    CHECK(has(peek, "BINARY.SIZE[1] 11"));
    CHECK(has(peek, "BINARY[2] {5}\r\ncaf\xc3\xa9"));  // no NUL: an ordinary literal
    auto unknown = c.cmd("FETCH 1 (FLAGS BINARY[3])");
    CHECK(has(unknown, "NO [UNKNOWN-CTE]"));
    CHECK_FALSE(has(unknown, "* 1 FETCH"));
    CHECK_FALSE(has(c.ok("FETCH 1 FLAGS"), "\\Seen"));  // neither PEEK nor the refused request set \Seen
    CHECK(has(c.ok("FETCH 1 BINARY[1]<0.5>"), "BINARY[1]<0> {5}\r\nHello"));
    CHECK(has(c.ok("FETCH 1 FLAGS"), "\\Seen"));  // BINARY (not PEEK) sets \Seen like BODY[]
    CHECK(has(c.ok("FETCH 1 BINARY.PEEK[9]"), "BINARY[9] NIL"));
    CHECK(ImapConn::status(c.cmd("FETCH 1 BINARY[1.HEADER]")) == "BAD");  // section-binary: part numbers only
    CHECK(ImapConn::status(c.cmd("FETCH 1 BINARY.SIZE[1]<0.2>")) == "BAD");
    // APPEND with a literal8: the octets, NUL included, are stored as sent.
    std::string withNul("From: a@b\r\nSubject: nul\r\n\r\nx\0y\r\n", 32);
    auto appended = c.cmd("APPEND INBOX ~{" + std::to_string(withNul.size()) + "+}\r\n" + withNul);
    CHECK(ImapConn::status(appended) == "OK");
    auto stored = host.ctx.store->list("rose@cesoo.com", "INBOX");
    REQUIRE(stored.size() == 2);
    CHECK(*host.ctx.store->read("rose@cesoo.com", "INBOX", stored[1].uid) == withNul);
}

TEST_CASE("imap extensions: THREAD REFERENCES on a chain of 2500 replies stays bounded (depth cap 1000)",
          "[imap][extensions]") {
    ImapHost host;
    constexpr int kChain = 2500;
    for (int i = 0; i < kChain; ++i) {
        std::string refs = i ? "In-Reply-To: <m" + std::to_string(i - 1) + "@x>\r\n" : "";
        host.deliver("From: a@x\r\nSubject: chain\r\nMessage-ID: <m" + std::to_string(i) + "@x>\r\n" + refs +
                     "Date: Mon, 4 Mar 2024 09:00:00 +0000\r\n\r\nx\r\n");
    }
    ImapConn c(host);
    c.login();
    c.ok("SELECT INBOX");
    auto out = c.ok("THREAD REFERENCES UTF-8 ALL");
    auto line = out.substr(0, out.find("\r\n"));
    REQUIRE(line.starts_with("* THREAD ("));
    int numbers = 0;
    for (std::size_t i = 9; i < line.size(); ++i)
        if (std::isdigit(static_cast<unsigned char>(line[i])) && !std::isdigit(static_cast<unsigned char>(line[i - 1])))
            ++numbers;
    CHECK(numbers == kChain);  // every message is in the answer once
    CHECK(line.starts_with("* THREAD ((1 2 3 4 "));  // one subject: the cut-off parts are gathered under a dummy
}
