// The IMAP server session (IMAP4rev1, RFC 3501, with LITERAL+ RFC 7888, UIDPLUS RFC 4315, MOVE RFC 6851, IDLE
// RFC 2177, NAMESPACE RFC 2342, ID RFC 2971, UNSELECT RFC 3691, ENABLE RFC 5161, SPECIAL-USE RFC 6154, ESEARCH
// RFC 4731, LIST-EXTENDED RFC 5258, LIST-STATUS RFC 5819, MULTIAPPEND RFC 3502, SORT and THREAD RFC 5256, BINARY
// RFC 3516, CONDSTORE and QRESYNC RFC 7162), sans-I/O.
//
// Contract
// - Bytes in, bytes out, like the SMTP and POP3 sessions: `start(now)` queues the greeting, `receive(bytes, now)`
//   consumes input in any split, `takeOutput()` hands over what to send, `tick(now)` applies the autologout timer
//   and, while the client IDLEs, pushes changes; `closed()` is true after LOGOUT or when the session gave up. No
//   clock, socket or file is touched here: time comes in as an argument, mail goes through the context's MailStore.
// - The state machine is the table in ImapStates.hpp; status responses come only from the catalogue in
//   ImapReplies.hpp. Every line received and sent is traced, every state change with its cause (the command's event
//   id, machine "imap"), every store change.
// - Commands are framed by CommandReader (ImapSyntax.hpp): literals above `maxLiteral` are refused before the "+"
//   continuation and without allocating; lines over `maxLine` are discarded as they arrive.
// - The selected mailbox is a view (ImapSelected.hpp): (UID, flags, \Recent, MODSEQ) in sequence-number order.
//   The store is the single source of truth; the session compares the store with its view after each command (and
//   on `tick` while idling) and reports differences as untagged EXISTS / RECENT / FETCH (FLAGS) / EXPUNGE (RFC 3501
//   7.3, 7.4; 5.2). EXPUNGE responses are not sent during FETCH, STORE and SEARCH (RFC 3501 7.4.1); they wait for
//   the next other command.
// - CONDSTORE and QRESYNC (RFC 7162; ImapCondStore.cpp states the contract): MODSEQs from the store, VANISHED
//   instead of EXPUNGE and the UID in unsolicited FETCH once QRESYNC is enabled.
// - \Recent (RFC 3501 2.3.2): the first read-write SELECT (or the first selected session to notice new mail) owns
//   the messages that arrived since the last such session; the high-water mark per mailbox is kept in the context
//   (per server process, not persistent).
// - A non-PEEK fetch of a body section (BODY[...], RFC822, RFC822.TEXT) sets \Seen in a read-write mailbox and
//   reports the new FLAGS in the same FETCH response (RFC 3501 6.4.5).
// - Mailbox names are modified UTF-7 on the wire with "/" as the delimiter; the store holds them in that form with "/"
//   replaced by "." (Maildir++), which is why "." is refused in names. Names that could leave the store ("..", a
//   leading "/", "~", "//", NUL) are refused with NO [CANNOT].
// - UTF8=ACCEPT (RFC 6855): after "ENABLE UTF8=ACCEPT" mailbox names are UTF-8 both ways (converted to and from the
//   store's modified UTF-7 at the edge: `mailboxArg`, `shownName`), quoted strings may hold UTF-8, APPEND takes
//   "UTF8 (~{n}...)", and SEARCH with CHARSET is BAD (6855 3). Before it, names are modified UTF-7 as in RFC 3501
//   5.1.3; quoted strings with UTF-8 are accepted leniently (a LOGIN as 张三 works); the UTF8 APPEND data item is
//   BAD. A message whose envelope has UTF-8 (RFC 6532 header fields) is served to a session without UTF8=ACCEPT with
//   its top-level header downgraded (RFC 6858, message/Downgrade.hpp), consistently in every FETCH item; SEARCH
//   still matches the stored text. A session that enabled it gets the message as stored.
// - Subscriptions live in the context (per server process).
// - STARTTLS (RFC 3501 6.2.1) is listed in CAPABILITY and accepted in NOT AUTHENTICATED when the transport can do TLS
//   (`tlsOffered`) and TLS is not active. After "<tag> OK Begin TLS negotiation now" `startTlsPending()` is true: the
//   transport sends `takeOutput()` in the clear, runs the handshake and calls `tlsEstablished(now)`; the state stays
//   NOT AUTHENTICATED. Bytes that followed the STARTTLS line, and bytes received while pending, are discarded unread
//   and noted (CVE-2011-0411). Implicit TLS (IMAPS, 993): `tlsEstablished` before `start` only sets the flag.
// - A FETCH may be answered in slices (`fetchSlice` > 0, `mailsim serve`): the command makes its first slice of
//   "* n FETCH" responses (at least `fetchSlice` octets, or all), and while `producing()` is true the transport calls
//   `produce(now)` for the next slice whenever it has sent what it took, until the tagged answer ends the response.
//   Meanwhile input is buffered unread: commands pipelined behind the FETCH run after it, in order (RFC 3501 5.5).
//   The set is resolved to the view's messages when the FETCH begins; each slice reads the store as it is then, so a
//   message another session expunged meanwhile is left out and the answer is NO [EXPUNGEISSUED] (RFC 2180 4.1.2),
//   as for one expunged before the FETCH. With `fetchSlice` 0 (the simulator, most tests) the response is made whole.
// - With `plaintextAuthAllowed` false and no TLS, CAPABILITY lists LOGINDISABLED instead of AUTH=PLAIN, and LOGIN and
//   AUTHENTICATE answer NO [PRIVACYREQUIRED] (RFC 3501 6.2.3, RFC 5530 3).
#pragma once

#include "auth/UserDirectory.hpp"
#include "imap/ImapReplies.hpp"
#include "imap/ImapSelected.hpp"
#include "imap/ImapStates.hpp"
#include "imap/ImapSyntax.hpp"
#include "store/MailStore.hpp"
#include "trace/Trace.hpp"
#include "util/Goodbye.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace mailsim::imap {

namespace detail {
struct FetchItem;  // one FETCH data item (ImapFetch.cpp)
}  // namespace detail

struct ImapServerConfig {
    std::string domain = "localhost";
    trace::Micros idleTimeout = 30LL * 60 * 1'000'000;  // RFC 3501 5.4: at least 30 minutes
    int maxErrors = 20;                    // BAD commands or failed logins before the server says BYE
    // Octets of one command line. RFC 7162 4 asks for at least 8192; 64 KiB (Dovecot's limit) lets a 32 KB ID
    // command or a long UID set through. Literals have their own cap (maxLiteral).
    std::size_t maxLine = 64 * 1024;
    std::uint64_t maxLiteral = 10u << 20;  // largest literal accepted (APPEND's message)
    // Largest literal before login and in any command but APPEND: RFC 7888 5 (LITERAL-) allows 4096 octets.
    std::uint64_t maxSmallLiteral = 4096;
    std::uint64_t maxSkip = 64u << 20;     // largest refused LITERAL+ literal skipped before closing
    bool tlsOffered = false;               // the transport can do TLS: CAPABILITY lists STARTTLS (RFC 3501 6.2.1)
    bool plaintextAuthAllowed = true;      // false: LOGINDISABLED and NO [PRIVACYREQUIRED] until TLS (RFC 5530)
    // A FETCH response is made in slices of about this many octets, one per produce() (see the contract); 0: whole.
    std::size_t fetchSlice = 0;
};

struct ImapServerContext {
    ImapServerConfig config;
    auth::UserDirectory directory;
    store::MailStore* store = nullptr;
    std::map<std::string, std::set<std::string>> subscriptions;                     // user -> wire names
    std::map<std::pair<std::string, std::string>, std::uint32_t> recentHighWater;  // (user, store folder) -> UID
};

// The capabilities in every state; capabilities() adds STARTTLS and AUTH=PLAIN SASL-IR or LOGINDISABLED as TLS and
// policy say (RFC 3501 6.2.1, 6.2.3).
inline constexpr std::string_view kImapBaseCapabilities =
    "IMAP4rev1 LITERAL+ UIDPLUS MOVE IDLE NAMESPACE ID UNSELECT ENABLE SPECIAL-USE ESEARCH LIST-EXTENDED LIST-STATUS "
    "MULTIAPPEND SORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES BINARY CONDSTORE QRESYNC";

// What SEARCH keys matched in the selected mailbox (shared by SEARCH, ESEARCH, SORT and THREAD).
struct ImapSearchHit {
    std::size_t index = 0;  // position in the session's view: sequence number - 1
    store::MessageInfo info;
};
struct ImapSearchResult {
    std::vector<ImapSearchHit> hits;  // in sequence order
    bool expungedMeanwhile = false;   // a message of the view is gone from the store (RFC 5530 EXPUNGEISSUED)
    bool modSeqKey = false;           // the keys used MODSEQ: the answer carries the highest MODSEQ (RFC 7162 3.1.5)
};

class ImapServerSession {
public:
    ImapServerSession(ImapServerContext& context, trace::Recorder recorder);
    ~ImapServerSession() = default;
    ImapServerSession(const ImapServerSession&) = delete;
    ImapServerSession& operator=(const ImapServerSession&) = delete;

    void start(trace::Micros now);
    void receive(std::string_view bytes, trace::Micros now);
    void tick(trace::Micros now);
    void connectionLost(trace::Micros now);
    // The server ends the session on its own (util::Goodbye): the catalogue's untagged BYE for that reason.
    void shutdown(trace::Micros now, util::Goodbye why = util::Goodbye::ShuttingDown);
    // A command is partly received (a line, or a command waiting for its literal), for the transport's deadline.
    bool inputPending() const { return m_reader.partial(); }
    std::string takeOutput();
    bool hasOutput() const { return !m_output.empty(); }
    // A FETCH answered in slices has more to make (fetchSlice): call produce(now) once its output was sent.
    bool producing() const { return m_fetch != nullptr; }
    // The next slice of the FETCH in progress (then the commands buffered behind it, once it is done).
    void produce(trace::Micros now);

    bool closed() const { return m_closed; }
    ImapState state() const { return m_state; }
    bool loggedIn() const { return m_state == ImapState::Authenticated || m_state == ImapState::Selected; }
    bool idling() const { return m_idleTag.size() > 0; }
    std::size_t bufferedBytes() const { return m_reader.buffered(); }
    const std::string& selectedMailbox() const { return m_sel.mailbox(); }  // wire name, "" when none

    // TLS: true from "<tag> OK Begin TLS negotiation now" until tlsEstablished(); input meanwhile is discarded.
    bool startTlsPending() const { return m_tlsPending; }
    // The transport's handshake completed: after STARTTLS (still NOT AUTHENTICATED), or before start() (IMAPS).
    void tlsEstablished(trace::Micros now);
    bool tlsActive() const { return m_tlsActive; }
    // Failed logins (LOGIN or AUTHENTICATE with wrong credentials) in this session, for the transport's login delay.
    int failedLogins() const { return m_failedLogins; }
    // What CAPABILITY lists now (RFC 3501 6.1.1, 6.2.1): STARTTLS before TLS, LOGINDISABLED when logins need TLS.
    std::string capabilities() const;
    // The client sent ENABLE UTF8=ACCEPT (RFC 6855 3): names and quoted strings are UTF-8 both ways.
    bool utf8Accepted() const { return m_utf8Accept; }
    // Whether the server has a handler for the command row `input`: every command a client types but the UID prefix
    // (resolved to the command it prefixes before the gate); the session's own events (greeting, abort) have none.
    static bool hasHandler(ImapInput input);

private:
    struct Command {
        std::string tag;
        std::string verb;
        const ImapCommandInfo* info = nullptr;
        std::vector<Token> args;
        bool uid = false;  // UID prefix (RFC 3501 6.4.8)
        trace::EventId cause = trace::kNoCause;
    };

    // core (ImapServerSession.cpp)
    // Runs the commands buffered in the reader, in order, until one is incomplete (or a FETCH is producing).
    void runBuffered(trace::Micros now);
    void handleEvent(ReaderEvent& ev, trace::Micros now);
    void handleCommand(const ReaderEvent& ev, trace::Micros now);
    // The one gate before dispatch (ProtocolTables.hpp): false when it answered the command itself.
    bool gate(const Command& cmd, trace::Micros now);
    // Each command row's handler; one handler may serve two rows (SELECT/EXAMINE ...) and reads cmd.info->input.
    using Handler = void (ImapServerSession::*)(Command& cmd, trace::Micros now);
    static Handler handlerFor(ImapInput input);
    // the commands of any state (RFC 3501 6.1, RFC 2971) and the small ones of the authenticated state
    void doCapability(Command& cmd, trace::Micros now);
    void doNoop(Command& cmd, trace::Micros now);  // NOOP, and CHECK (RFC 3501 6.4.1: here like NOOP)
    void doLogout(Command& cmd, trace::Micros now);
    void doId(Command& cmd, trace::Micros now);
    void doNamespace(Command& cmd, trace::Micros now);
    void doEnable(Command& cmd, trace::Micros now);
    void doIdle(Command& cmd, trace::Micros now);
    void doLogin(Command& cmd, trace::Micros now);
    void doAuthenticate(Command& cmd, trace::Micros now);
    void saslResponse(const std::string& line, trace::Micros now, trace::EventId cause);
    void loggedIn(const std::string& user, ImapInput via, const std::string& tag, trace::Micros now,
                  trace::EventId cause);
    void idleLine(const std::string& line, trace::Micros now, trace::EventId cause);
    void doStartTls(Command& cmd, trace::Micros now);
    void noteDiscarded(std::size_t count, trace::Micros now);
    bool loginAllowedNow() const { return m_ctx.config.plaintextAuthAllowed || m_tlsActive; }
    std::string capabilityList(ImapState state) const;
    void transition(ImapInput input, trace::Micros now, trace::EventId cause);
    void reply(ReplyId id, const std::string& tag, const ReplyArgs& args, trace::Micros now, trace::EventId cause);
    void untagged(const std::string& text, trace::Micros now, trace::EventId cause);
    void sendRaw(const std::string& wire, trace::Micros now, trace::EventId cause);
    void syntaxError(const Command& cmd, trace::Micros now);  // the general "syntax: {syntax}" (SyntaxError)
    // Answers a parser's refusal (ImapReplies.hpp) to `cmd`: its entry, with the command's {syntax} and {verb}.
    void refuse(const Command& cmd, Refusal refusal, trace::Micros now);
    void countError(trace::Micros now, trace::EventId cause);
    void bye(ReplyId id, trace::Micros now, trace::EventId cause);

    // the selected mailbox's view
    std::string storeName(const std::string& wire) const;
    std::string wireName(const std::string& store) const;
    // A wire name (modified UTF-7) as this client reads it: UTF-8 after ENABLE UTF8=ACCEPT (RFC 6855 3), else as is.
    std::string shownName(const std::string& wire) const;
    bool mailboxExists(const std::string& wire) const;
    // Validates and normalises a mailbox argument; answers NO [CANNOT] itself and returns nullopt when refused.
    std::optional<std::string> mailboxArg(const Command& cmd, const Token& t, trace::Micros now);
    void pollChanges(bool allowExpunge, trace::Micros now, trace::EventId cause);
    void deselect();
    bool sequenceNumbersValid(const Command& cmd, const std::vector<SeqRange>& set, trace::Micros now);
    // Whether FETCH serves this message downgraded (RFC 6858): no UTF8=ACCEPT and UTF-8 in its envelope (ImapFetch.cpp).
    bool needsDowngrade(const store::MessageInfo& info, std::string_view raw) const;

    // mailboxes (ImapMailboxes.cpp)
    void announceFlags(bool readOnly, trace::Micros now, trace::EventId cause);
    void doSelect(Command& cmd, trace::Micros now);     // SELECT, EXAMINE (read-only)
    void doCreate(Command& cmd, trace::Micros now);
    void doDelete(Command& cmd, trace::Micros now);
    void doRename(Command& cmd, trace::Micros now);
    void doSubscribe(Command& cmd, trace::Micros now);  // SUBSCRIBE, UNSUBSCRIBE
    void doList(Command& cmd, trace::Micros now);       // LIST, LSUB
    void doStatus(Command& cmd, trace::Micros now);
    // "STATUS name (ITEM n ...)" for the items in `list` (RFC 3501 6.3.10, shared by LIST-STATUS, RFC 5819);
    // nullopt for an unknown item.
    std::optional<std::string> statusItems(const std::string& name, const Token& list) const;
    void doAppend(Command& cmd, trace::Micros now);
    void doClose(Command& cmd, trace::Micros now);      // CLOSE (expunges first), UNSELECT
    void doExpunge(Command& cmd, trace::Micros now);
    bool expungeDeleted(const std::vector<SeqRange>* uidSet, bool report, trace::Micros now, trace::EventId cause);

    // messages (ImapFetch.cpp, ImapSearch.cpp)
    void doFetch(Command& cmd, trace::Micros now);
    // One message's "* n FETCH (...)" line; false, with nothing sent, when a BINARY item meets a part whose
    // content-transfer-encoding is unknown (RFC 3516 4.2).
    bool fetchMessage(std::size_t index, const store::MessageInfo& info, const std::vector<detail::FetchItem>& items,
                      trace::Micros now, trace::EventId cause);
    bool markSeen(std::size_t index, std::uint32_t uid, trace::Micros now, trace::EventId cause);
    // The FETCH in progress (ImapFetch.cpp): its next slice, and its tagged answer once every message is done.
    struct FetchJob;
    struct FetchJobDelete {  // defined where FetchJob is (ImapFetch.cpp)
        void operator()(FetchJob* job) const;
    };
    void continueFetch(trace::Micros now);
    void endFetch();  // drops the FETCH in progress (the session ends or its mailbox is closed)
    void doStore(Command& cmd, trace::Micros now);
    void doCopy(Command& cmd, trace::Micros now);  // COPY, MOVE
    void doSearch(Command& cmd, trace::Micros now);
    using SearchResult = ImapSearchResult;
    // Evaluates the search keys (RFC 3501 6.4.4) over the view; answers BAD itself and returns nullopt when malformed.
    std::optional<SearchResult> runSearch(const Command& cmd, std::span<const Token> keys, trace::Micros now);
    bool charsetSupported(const Command& cmd, const Token& t, trace::Micros now);
    // SORT and THREAD (RFC 5256; ImapSort.cpp)
    void doSort(Command& cmd, trace::Micros now);
    void doThread(Command& cmd, trace::Micros now);

    // CONDSTORE and QRESYNC (RFC 7162; ImapCondStore.cpp)
    struct QresyncParams {
        std::uint32_t uidValidity = 0;
        std::uint64_t modSeq = 0;
        std::vector<SeqRange> knownUids;              // empty: every UID
        std::vector<SeqRange> seqMatch, uidMatch;     // the client's sequence-number to UID pairs (may be empty)
    };
    // ENABLE's argument: " NAME" when this command turned it on, "" when unknown or already on (RFC 5161 3.1).
    std::string enableExtension(const Token& t, trace::Micros now, trace::EventId cause);
    // A CONDSTORE-enabling command (RFC 7162 3.1): while a mailbox is selected, its HIGHESTMODSEQ is sent first.
    void enableCondStore(trace::Micros now, trace::EventId cause);
    // SELECT/EXAMINE's parameter list "(CONDSTORE)" or "(QRESYNC (...))"; answers BAD itself and returns false.
    bool selectParams(const Command& cmd, const Token& list, std::optional<QresyncParams>& qresync, trace::Micros now);
    void selectModSeq(trace::Micros now, trace::EventId cause);           // * OK [HIGHESTMODSEQ n] or [NOMODSEQ]
    void qresyncSelect(const QresyncParams& p, trace::Micros now, trace::EventId cause);
    // UIDs of `set` (below UIDNEXT) expunged after `modSeq` that are not in the view: from the store's memory, or
    // when it has none every such UID (RFC 7162 3.2.5.2, 3.2.6); `floorUid` skips those the client cannot know.
    std::vector<std::uint32_t> vanishedSince(std::uint64_t modSeq, const std::vector<SeqRange>* set,
                                             std::uint32_t floorUid) const;
    // Expunges of the view, reported as * n EXPUNGE, or as one * VANISHED uids once QRESYNC is on (RFC 7162 3.2.10).
    void reportExpunged(const std::vector<ImapViewChanges::Expunged>& gone, trace::Micros now, trace::EventId cause);
    // An unsolicited (or STORE's) FETCH of one message's flags: with UID once QRESYNC is on, with MODSEQ once
    // CONDSTORE is on (RFC 7162 3.1.4, 3.2.4); `withUid` for UID commands.
    std::string flagsFetch(std::size_t index, bool withUid, bool withFlags = true) const;

    ImapServerContext& m_ctx;
    trace::Recorder m_rec;
    ImapState m_state = ImapState::NotAuthenticated;
    bool m_closed = false;
    CommandReader m_reader;
    std::string m_output;
    trace::Micros m_lastActivity = 0;
    int m_errors = 0;
    std::string m_user;              // canonical, once logged in
    std::string m_saslTag;           // AUTHENTICATE waiting for the client's response line
    std::string m_idleTag;           // IDLE in progress
    ImapSelected m_sel;              // the selected mailbox and the view of it (ImapSelected.hpp)
    bool m_condStore = false;        // CONDSTORE enabled (RFC 7162 3.1): MODSEQ in unsolicited FETCH responses
    bool m_qresync = false;          // QRESYNC enabled (RFC 7162 3.2.3): VANISHED instead of EXPUNGE, CLOSED
    // The store's snapshot the view was last compared with: the same object again means nothing changed (O(1)).
    std::shared_ptr<const store::FolderSnapshot> m_seen;
    std::unique_ptr<FetchJob, FetchJobDelete> m_fetch;  // a FETCH answered in slices, not finished (producing())
    int m_failedLogins = 0;
    bool m_started = false;     // start() was called (tlsEstablished before it: implicit TLS)
    bool m_tlsPending = false;  // "OK Begin TLS negotiation now" queued; waiting for the handshake
    bool m_tlsActive = false;
    bool m_utf8Accept = false;  // ENABLE UTF8=ACCEPT (RFC 6855 3)
    trace::EventId m_startTlsCause = trace::kNoCause;
};

}  // namespace mailsim::imap
