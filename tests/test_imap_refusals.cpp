// The IMAP server's refusals with a typed reason (issue #13): the tokenizer's, mailbox names', LIST's, the search
// keys' and SELECT's parameters' errors are each an entry of the reply catalogue (engine/imap/ImapReplies.*). For
// each entry a session is sent the bad input; the answer must be
// - byte for byte what the general entry (SyntaxError "syntax: {syntax}", BadName "mailbox name refused: {why}")
//   sent with that English detail before the entries existed (where that answer was over 100 characters - LIST's
//   syntax, SELECT's parameters - it was cut there with "..."; the server's own text now goes out whole), and
// - recognisably that entry: the catalogue entry whose text matches the traced line best (as the GUI's inspector and
//   predict mode pick it) is the one the server used, so the trace's line carries the id, and with it the
//   explanation in English and Chinese.
#include "ImapTestHarness.hpp"

#include "imap/ImapReplies.hpp"
#include "imap/ImapSyntax.hpp"
#include "util/ProtocolTables.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace mailsim;
using namespace mailsim::test;
using R = imap::ReplyId;

namespace {

enum class Setup { NotAuthenticated, LoggedIn, Utf8, Qresync, Selected };

struct Sample {
    R id;
    Setup setup;
    std::string command;  // after the tag, without CRLF (literals inline)
    R general;            // the entry the server used before, with ...
    std::string detail;   // ... this value of its one placeholder
};

const std::string kSelectSyntax =
    " mailbox [(CONDSTORE) | (QRESYNC (uidvalidity modseq [known-uids [(seqs uids)]]))] (";
const std::string kListSyntax = "LIST [(SUBSCRIBED RECURSIVEMATCH)] reference pattern|(pattern...) "
                                "[RETURN (SUBSCRIBED CHILDREN STATUS (item...))]";

std::vector<Sample> samples() {
    using S = Setup;
    const std::string tooDeep = std::string(17, '(') + "a" + std::string(17, ')');
    std::string notNot;
    for (int i = 0; i < 40; ++i) notNot += "NOT ";
    return {
        // The tokenizer, on a command whose syntax is short ("NOOP"): it runs before the state gate.
        {R::TokenControlChar, S::NotAuthenticated, "NOOP a\x01" "b", R::SyntaxError, "NOOP (control character in an atom)"},
        {R::TokenSectionOpen, S::NotAuthenticated, "NOOP BODY[HEADER", R::SyntaxError, "NOOP ('[' without ']')"},
        {R::TokenUnexpected, S::NotAuthenticated, "NOOP a  b", R::SyntaxError, "NOOP (unexpected character ' ')"},
        {R::TokenQuotedBreak, S::NotAuthenticated, std::string("NOOP \"a\0b\"", 10), R::SyntaxError,
         "NOOP (CR, LF or NUL in a quoted string)"},
        {R::TokenBadEscape, S::NotAuthenticated, "NOOP \"a\\b\"", R::SyntaxError,
         "NOOP (only \\\" and \\\\ may be escaped)"},
        {R::TokenUnterminated, S::NotAuthenticated, "NOOP \"abc", R::SyntaxError, "NOOP (unterminated quoted string)"},
        {R::TokenLiteralOpen, S::NotAuthenticated, "NOOP {abc", R::SyntaxError, "NOOP ('{' without '}')"},
        {R::TokenLiteralSize, S::NotAuthenticated, "NOOP {abc}", R::SyntaxError, "NOOP (bad literal size)"},
        {R::TokenLiteralNotLast, S::NotAuthenticated, "NOOP {3}abc", R::SyntaxError,
         "NOOP (a literal announcement must end the line)"},
        {R::TokenMissingArgument, S::NotAuthenticated, "NOOP a ", R::SyntaxError, "NOOP (missing argument)"},
        {R::TokenTooDeep, S::NotAuthenticated, "NOOP " + tooDeep, R::SyntaxError, "NOOP (lists nested deeper than 16)"},
        {R::TokenMissingClose, S::NotAuthenticated, "NOOP (a", R::SyntaxError, "NOOP (missing ')')"},
        {R::TokenUnbalanced, S::NotAuthenticated, "NOOP a)", R::SyntaxError, "NOOP (unbalanced ')')"},
        {R::TokenNoSpace, S::NotAuthenticated, "NOOP (a)b", R::SyntaxError, "NOOP (expected a space between arguments)"},
        {R::TokenSpaceBeforeClose, S::NotAuthenticated, "NOOP (a )", R::SyntaxError, "NOOP (space before ')')"},
        // Mailbox names (RFC 3501 5.1).
        {R::NameEmpty, S::LoggedIn, "CREATE \"\"", R::BadName, "the name is empty"},
        {R::NameTooLong, S::LoggedIn, "CREATE " + std::string(201, 'a'), R::BadName,
         "it is 201 octets long (the limit is 200)"},
        {R::NameNul, S::LoggedIn, std::string("CREATE {3+}\r\na\0b", 16), R::BadName, "it contains NUL"},
        {R::NameControl, S::LoggedIn, "CREATE {3+}\r\na\x01" "b", R::BadName, "it contains a control character"},
        {R::Name8Bit, S::LoggedIn, "CREATE \"caf\xc3\xa9\"", R::BadName,
         "it contains 8-bit characters (send modified UTF-7, RFC 3501 5.1.3)"},
        {R::NameLeadingSlash, S::LoggedIn, "CREATE /etc", R::BadName, "it starts with the hierarchy delimiter /"},
        {R::NameTrailingSlash, S::LoggedIn, "SUBSCRIBE a/", R::BadName, "it ends with the hierarchy delimiter /"},
        {R::NameEmptyLevel, S::LoggedIn, "CREATE a//b", R::BadName, "it has an empty level (//)"},
        {R::NameDotDot, S::LoggedIn, "CREATE a..b", R::BadName, "it contains .."},
        {R::NameTilde, S::LoggedIn, "CREATE ~rose", R::BadName, "it contains ~"},
        {R::NameDot, S::LoggedIn, "CREATE a.b", R::BadName, "'.' is reserved (the store's Maildir++ level separator)"},
        {R::NameWildcard, S::LoggedIn, "CREATE a%", R::BadName, "it contains a LIST wildcard (* or %)"},
        {R::NameNotMutf7, S::LoggedIn, "CREATE &Jjo", R::BadName, "it is not valid modified UTF-7 (RFC 3501 5.1.3)"},
        {R::NameNotUtf8, S::Utf8, "CREATE \"caf\xe9\"", R::BadName,
         "octet 4 is not well-formed UTF-8 (RFC 3629, RFC 6855 3)"},
        // LIST and LSUB.
        {R::ListSelection, S::LoggedIn, "LIST (FANCY) \"\" \"%\"", R::SyntaxError,
         kListSyntax + " (unknown selection option (RFC 5258 3: SUBSCRIBED REMOTE RECURSIVEMATCH))"},
        {R::ListRecursive, S::LoggedIn, "LIST (RECURSIVEMATCH) \"\" \"%\"", R::SyntaxError,
         kListSyntax + " (RECURSIVEMATCH needs SUBSCRIBED (RFC 5258 3))"},
        {R::ListArguments, S::LoggedIn, "LSUB \"\"", R::SyntaxError, "LSUB reference pattern (a reference name and a pattern)"},
        {R::ListPatternStrings, S::LoggedIn, "LIST \"\" ((a))", R::SyntaxError, kListSyntax + " (patterns are strings)"},
        {R::ListNoPattern, S::LoggedIn, "LIST \"\" ()", R::SyntaxError, kListSyntax + " (at least one pattern)"},
        {R::ListPattern, S::LoggedIn, "LSUB \"\" (a)", R::SyntaxError, "LSUB reference pattern (a pattern)"},
        {R::ListReturnPlace, S::LoggedIn, "LSUB \"\" % RETURN (CHILDREN)", R::SyntaxError,
         "LSUB reference pattern (RETURN (options) after the pattern)"},
        {R::ListReturnOption, S::LoggedIn, "LIST \"\" % RETURN (FANCY)", R::SyntaxError,
         kListSyntax + " (unknown return option (RFC 5258 3, RFC 5819: SUBSCRIBED CHILDREN STATUS (items)))"},
        // Search keys, in SEARCH, UID SEARCH and SORT ({verb} is the command without UID).
        {R::SearchTooDeep, S::Selected, "SEARCH " + notNot + "ALL", R::SyntaxError, "SEARCH: search keys nested too deeply"},
        {R::SearchMissingKey, S::Selected, "SEARCH NOT", R::SyntaxError, "SEARCH: missing search key"},
        {R::SearchEmptyList, S::Selected, "UID SEARCH ()", R::SyntaxError, "SEARCH: empty parentheses"},
        {R::SearchKeyNotAtom, S::Selected, "SEARCH \"x\"", R::SyntaxError, "SEARCH: a search key must be an atom"},
        {R::SearchNeedsString, S::Selected, "SORT (ARRIVAL) UTF-8 subject", R::SyntaxError,
         "SORT: SUBJECT needs a string"},
        {R::SearchHeaderArgs, S::Selected, "SEARCH HEADER X-Foo", R::SyntaxError,
         "SEARCH: HEADER needs a field name and a string"},
        {R::SearchNeedsFlag, S::Selected, "SEARCH UNKEYWORD", R::SyntaxError, "SEARCH: UNKEYWORD needs a flag"},
        {R::SearchNeedsNumber, S::Selected, "SEARCH MODSEQ x", R::SyntaxError, "SEARCH: MODSEQ needs a number"},
        {R::SearchNeedsDate, S::Selected, "SEARCH SINCE yesterday", R::SyntaxError,
         "SEARCH: SINCE needs a date like 1-Feb-1994"},
        {R::SearchModSeqEntry, S::Selected, "SEARCH MODSEQ \"/flags/\\\\draft\" nobody 5", R::SyntaxError,
         "SEARCH: MODSEQ's entry type is priv, shared or all"},
        {R::SearchNeedsSet, S::Selected, "SEARCH UID x", R::SyntaxError, "SEARCH: UID needs a sequence set"},
        {R::SearchUnknownKey, S::Selected, "SEARCH FANCY", R::SyntaxError, "SEARCH: unknown search key FANCY"},
        // SELECT/EXAMINE parameters (the old answer cut this text at 100 characters; the entry sends it whole).
        {R::SelectParam, S::LoggedIn, "EXAMINE INBOX (FANCY)", R::SyntaxError,
         "EXAMINE" + kSelectSyntax + "unknown select parameter)"},
        {R::SelectQresyncList, S::Qresync, "SELECT INBOX (QRESYNC)", R::SyntaxError,
         "SELECT" + kSelectSyntax + "QRESYNC needs a list)"},
        {R::SelectQresyncNumbers, S::Qresync, "SELECT INBOX (QRESYNC (0 1))", R::SyntaxError,
         "SELECT" + kSelectSyntax + "uidvalidity and modseq are positive numbers)"},
        {R::SelectKnownUids, S::Qresync, "SELECT INBOX (QRESYNC (1 1 x))", R::SyntaxError,
         "SELECT" + kSelectSyntax + "known-uids is a UID set)"},
        {R::SelectSeqMatch, S::Qresync, "SELECT INBOX (QRESYNC (1 1 1:5 (x)))", R::SyntaxError,
         "SELECT" + kSelectSyntax + "seq-match-data is (sequence-set uid-set))"},
    };
}

void prepare(ImapConn& c, Setup setup) {
    if (setup == Setup::NotAuthenticated) return;
    c.login();
    if (setup == Setup::Utf8) c.ok("ENABLE UTF8=ACCEPT");
    if (setup == Setup::Qresync) c.ok("ENABLE QRESYNC");
    if (setup == Setup::Selected) c.ok("SELECT INBOX");
}

// The last line of `out`, without CRLF.
std::string lastLine(const std::string& out) {
    const auto end = out.size() - 2;
    const auto nl = out.rfind("\r\n", end - 1);
    const auto start = nl == std::string::npos ? 0 : nl + 2;
    return out.substr(start, end - start);
}

// The catalogue entry a tagged status line came from, as the inspector finds it: same condition, the text (after
// the response code) matching the entry's template best. nullopt when two entries match equally well.
std::optional<R> entryOf(std::string_view line) {
    std::string_view rest = line.substr(line.find(' ') + 1);
    const std::string_view condition = rest.substr(0, rest.find(' '));
    rest.remove_prefix(std::min(rest.size(), condition.size() + 1));
    if (rest.starts_with('[')) rest.remove_prefix(std::min(rest.size(), rest.find("] ") + 2));
    std::optional<R> best;
    int bestScore = -1;
    bool tie = false;
    for (const imap::ReplyInfo& r : imap::imapReplies()) {
        if (!r.tagged || imap::toString(r.condition) != condition) continue;
        const int score = util::templateMatchScore(r.text, rest);
        if (score == bestScore) tie = true;
        if (score > bestScore) best = r.id, bestScore = score, tie = false;
    }
    return tie ? std::nullopt : best;
}

}  // namespace

TEST_CASE("imap refusals: each typed reason is sent for its bad input, with the old wire text", "[imap][refusal]") {
    std::set<R> reached;
    for (const Sample& s : samples()) {
        ImapHost host;
        ImapConn c(host);
        prepare(c, s.setup);
        const std::string out = c.raw("t1 " + s.command + "\r\n");
        const std::string line = lastLine(out);
        INFO(s.command << "\n" << out);
        const imap::ReplyArgs general{{s.general == R::BadName ? "why" : "syntax", s.detail}};
        CHECK(line == imap::statusLine(s.general, "t1", general));  // the bytes the general entry sent
        CHECK(entryOf(line) == s.id);                                // the line names its entry
        const auto& events = host.trace.events();
        const auto traced = std::find_if(events.rbegin(), events.rend(), [](const trace::Event& e) {
            return e.kind == trace::EventKind::Line && e.direction == trace::Direction::ServerToClient;
        });
        REQUIRE(traced != events.rend());
        CHECK(traced->text == line);
        CHECK(imap::replyInfo(s.id).explain.complete());
        reached.insert(s.id);
        // The same answer whatever the split: byte by byte, and in random chunks.
        const std::string bytes = "t1 " + s.command + "\r\n";
        for (int split = 0; split < 2; ++split) {
            ImapHost h2;
            ImapConn c2(h2);
            prepare(c2, s.setup);
            std::string got;
            std::size_t seed = bytes.size() * 7919 + static_cast<std::size_t>(s.id);
            for (std::size_t at = 0; at < bytes.size();) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                const std::size_t n = split == 0 ? 1 : 1 + (seed >> 33) % 9;
                got += c2.raw(std::string_view(bytes).substr(at, n));
                at += n;
            }
            CHECK(lastLine(got) == line);
        }
    }
    // A literal is always complete by the time the tokenizer sees it (the reader counts its octets), so "shorter than
    // announced" is the tokenizer's own guard: reached by calling it directly.
    const auto shortLiteral = imap::tokenize("{5}\r\nab");
    REQUIRE(shortLiteral.error);
    CHECK(shortLiteral.error->id == R::TokenLiteralShort);
    CHECK(imap::statusLine(R::TokenLiteralShort, "t1", {{"syntax", "NOOP"}}) ==
          imap::statusLine(R::SyntaxError, "t1", {{"syntax", "NOOP (literal shorter than announced)"}}));
    CHECK(entryOf(imap::statusLine(R::TokenLiteralShort, "t1", {{"syntax", "NOOP"}})) == R::TokenLiteralShort);
    reached.insert(R::TokenLiteralShort);
    // Every typed reason from the tokenizer's first to the catalogue's last is reached above.
    for (auto v = static_cast<unsigned>(R::TokenControlChar); v <= static_cast<unsigned>(imap::kLastReplyId); ++v) {
        INFO("reply id " << v << ": " << imap::replyInfo(static_cast<R>(v)).text);
        CHECK(reached.contains(static_cast<R>(v)));
    }
}

TEST_CASE("imap refusals: a refused name is NO and not counted as an error, a syntax refusal is BAD and counted",
          "[imap][refusal]") {
    ImapHost host;
    host.ctx.config.maxErrors = 3;
    ImapConn c(host);
    c.login();
    for (int i = 0; i < 5; ++i) CHECK(ImapConn::status(c.cmd("CREATE a.b", "n" + std::to_string(i))) == "NO");
    CHECK_FALSE(c.session->closed());
    c.cmd("NOOP (a", "b1");
    c.cmd("LIST (FANCY) \"\" %", "b2");
    const std::string third = c.raw("b3 SEARCH ALL\r\n");  // not selected: BAD, the third error
    CHECK(third.find("* BYE too many errors") != std::string::npos);
    CHECK(c.session->closed());
}

TEST_CASE("imap refusals: a brace that names no placeholder is literal text in a template", "[imap][refusal][table]") {
    // "'{' without '}'" holds braces that are not a placeholder: the match must require them, or the entry would
    // claim any "syntax: X ('...')" line.
    CHECK(util::templateMatchScore("syntax: {syntax} ('{' without '}')", "syntax: NOOP ('{' without '}')") ==
          static_cast<int>(std::string_view("syntax:  ('{' without '}')").size()));
    CHECK(util::templateMatchScore("syntax: {syntax} ('{' without '}')", "syntax: NOOP ('[' without ']')") == -1);
    CHECK(util::templateMatchScore("a {x} b", "a 1 b") == 4);
}
