// The POP3 server session (RFC 1939, RFC 2449 CAPA and response codes, RFC 5034 SASL PLAIN), sans-I/O.
//
// Contract
// - Bytes in, bytes out, the same shape as the SMTP server: `start(now)` queues the greeting, `receive(bytes, now)`
//   consumes input in any split (half a line, several pipelined commands), `takeOutput()` hands over what to send,
//   `tick(now)` applies the idle timeout, `closed()` is true after QUIT or when the session gave up. No clock, socket
//   or file is touched here: time comes in as an argument, mail goes through the context's `MailStore`.
// - The APOP timestamp in the greeting is "<pid.clock.n@host>" built from what the session is given (the context's
//   process id and host name, the session number and `now` at start), so a simulated run is reproducible.
// - The state machine is the table in Pop3States.hpp; replies come only from the catalogue in Pop3Replies.hpp.
//   Every line received and sent is traced (commands, status lines, multi-line bodies as Data, the "." terminator),
//   every state change with its cause (the command line's event id, machine "pop3"), and every store change.
// - Logging in takes the store's maildrop lock for the user (a second session gets -ERR [IN-USE]) and a snapshot of
//   the INBOX: message numbers 1..n and their sizes are fixed for the session (RFC 1939 5). Sizes are octets with
//   CRLF line ends before byte-stuffing, which is exactly what a client has after removing the stuffing.
// - DELE only marks; QUIT in TRANSACTION enters UPDATE, which removes every marked message with one all-or-nothing
//   `removeMany`, and only then releases the lock. Any other end (hang-up via `connectionLost`, the idle timeout of
//   at least 10 minutes, too many errors, `shutdown`) releases the lock without UPDATE: nothing is removed.
// - Memory is bounded: a command line over 255 octets (RFC 2449 4) is discarded as it arrives and answered -ERR.
// - STLS (RFC 2595 4) is announced in CAPA and accepted in AUTHORIZATION when the transport can do TLS
//   (`tlsOffered`) and TLS is not active. After "+OK Begin TLS negotiation" `startTlsPending()` is true: the
//   transport sends `takeOutput()` in the clear, runs the handshake and calls `tlsEstablished(now)`; the session
//   stays in AUTHORIZATION. Bytes that followed the STLS line, and bytes received while pending, are discarded
//   unread and noted (CVE-2011-0411). Implicit TLS (POP3S, 995): `tlsEstablished` before `start` only sets the flag.
// - With `plaintextAuthAllowed` false, USER/PASS/APOP/AUTH answer -ERR [AUTH] (RFC 3206) until TLS is active, and
//   CAPA does not announce USER or SASL then.
// - UTF8 (RFC 6856 3) is announced in CAPA ("UTF8 USER", or "UTF8" while logins wait for TLS) and accepted in AUTHORIZATION only. User names in
//   UTF-8 are accepted with or without it (a mailbox 张三@cesoo.com can always log in). Messages are sent as stored
//   either way: a message with UTF-8 header fields (RFC 6532) is not downgraded (RFC 6856 3 / RFC 6857) for a client
//   that did not send UTF8. LANG (RFC 6856 4) is not offered: the wire text is English only.
// - RETR marks the message \Seen in the store (as other servers do, so a later IMAP client shows it read).
#pragma once

#include "auth/UserDirectory.hpp"
#include "pop3/Pop3Replies.hpp"
#include "pop3/Pop3States.hpp"
#include "pop3/Pop3Syntax.hpp"
#include "store/MailStore.hpp"
#include "trace/Trace.hpp"
#include "util/Goodbye.hpp"
#include "util/Lines.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mailsim::pop3 {

struct Pop3ServerConfig {
    std::string domain = "localhost";         // greeting, sign-off and the APOP timestamp's host
    trace::Micros idleTimeout = 600'000'000;  // RFC 1939 3: at least 10 minutes
    int maxErrors = 10;                       // bad commands or failed logins before the server gives up
    bool allowApop = true;                    // announce the timestamp and accept APOP
    bool tlsOffered = false;                  // the transport can do TLS: CAPA lists STLS (RFC 2595 4)
    bool plaintextAuthAllowed = true;         // false: logins only inside TLS (-ERR [AUTH] before, RFC 3206)
};

// What the sessions of one server host share. `processId` stands in for the "pid" of RFC 1939's timestamp: the real
// pid in `mailsim serve`, a fixed number in the simulator.
struct Pop3ServerContext {
    Pop3ServerConfig config;
    auth::UserDirectory directory;
    store::MailStore* store = nullptr;
    std::uint64_t processId = 1;
    std::uint64_t nextSessionNumber = 1;
};

class Pop3ServerSession {
public:
    Pop3ServerSession(Pop3ServerContext& context, trace::Recorder recorder);
    ~Pop3ServerSession();  // releases the maildrop lock if still held (no UPDATE)
    Pop3ServerSession(const Pop3ServerSession&) = delete;
    Pop3ServerSession& operator=(const Pop3ServerSession&) = delete;

    void start(trace::Micros now);
    void receive(std::string_view bytes, trace::Micros now);
    void tick(trace::Micros now);
    // The transport lost the connection (the client hung up without QUIT): no UPDATE, the lock is released.
    void connectionLost(trace::Micros now);
    // The server is stopping: a final -ERR [SYS/TEMP], no UPDATE.
    // The server ends the session on its own (util::Goodbye): the catalogue's -ERR for that reason, no UPDATE.
    void shutdown(trace::Micros now, util::Goodbye why = util::Goodbye::ShuttingDown);
    // A command line is partly received (for the transport's per-command deadline).
    bool inputPending() const { return m_lines.partial(); }
    std::string takeOutput();
    bool hasOutput() const { return !m_output.empty(); }

    bool closed() const { return m_state == Pop3State::Closed; }
    Pop3State state() const { return m_state; }
    bool loggedIn() const { return m_state == Pop3State::Transaction || m_state == Pop3State::Update; }
    const std::string& timestamp() const { return m_timestamp; }
    std::size_t bufferedBytes() const { return m_lines.buffered(); }

    // TLS: true from "+OK Begin TLS negotiation" until tlsEstablished(); input meanwhile is discarded unread.
    bool startTlsPending() const { return m_tlsPending; }
    // The transport's handshake completed: after STLS (still AUTHORIZATION), or before start() for implicit TLS.
    void tlsEstablished(trace::Micros now);
    bool tlsActive() const { return m_tlsActive; }
    // The client sent UTF8 (RFC 6856 3).
    bool utf8Enabled() const { return m_utf8; }
    // Failed logins (wrong name or password) in this session, for the transport's login delay.
    int failedLogins() const { return m_failedLogins; }
    // Whether the server has a handler for the command row `input` (the session's own events have none).
    static bool hasHandler(Pop3Input input);

private:
    // This session's marks on a message of the maildrop.
    enum Mark : std::uint8_t { kMarkDeleted = 1, kMarkSeen = 2 };  // DELE'd; \Seen set by this session's RETR

    void handleLine(const util::Line& line, trace::Micros now);
    // The one gate before dispatch (ProtocolTables.hpp): false when it answered the command itself.
    bool gate(const Pop3CommandInfo& info, std::string_view arg, trace::Micros now, trace::EventId cause);
    using Handler = void (Pop3ServerSession::*)(std::string_view arg, trace::Micros now, trace::EventId cause);
    static Handler handlerFor(Pop3Input input);
    void doUser(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doCapa(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doQuit(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doStat(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doNoop(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doUtf8(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doRset(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doList(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doUidl(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doRetr(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doTop(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doPass(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doApop(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doAuth(std::string_view arg, trace::Micros now, trace::EventId cause);
    void saslResponse(std::string_view line, trace::Micros now, trace::EventId cause);
    void login(const std::string& user, Pop3Input via, trace::Micros now, trace::EventId cause);
    void loginFailed(trace::Micros now, trace::EventId cause);
    void doStls(std::string_view arg, trace::Micros now, trace::EventId cause);
    void noteDiscarded(std::size_t count, trace::Micros now);
    bool loginAllowedNow() const { return m_ctx.config.plaintextAuthAllowed || m_tlsActive; }
    void listing(bool uidl, std::string_view arg, trace::Micros now, trace::EventId cause);
    void retrieve(bool top, std::string_view arg, trace::Micros now, trace::EventId cause);
    void doDele(std::string_view arg, trace::Micros now, trace::EventId cause);
    void enterUpdate(trace::Micros now, trace::EventId cause);  // QUIT in TRANSACTION (RFC 1939 6)
    // The message for a "msg" argument, or nullptr after answering -ERR.
    // The index (message number - 1) of the message `arg` names, or nullopt after answering the error.
    std::optional<std::size_t> message(std::string_view arg, std::string_view syntax, trace::Micros now,
                                       trace::EventId cause);
    const store::MessageInfo& info(std::size_t index) const { return m_drop->messages[index]; }
    std::size_t dropSize() const { return m_drop ? m_drop->messages.size() : 0; }
    void markDeleted(std::size_t index, bool deleted);

    void reply(ReplyId id, const ReplyArgs& args, trace::Micros now, trace::EventId cause);
    // The body lines of a multi-line response (already byte-stuffed and terminated, CRLF lines).
    void sendBody(std::string_view stuffed, trace::LineRole role, trace::Micros now, trace::EventId cause);
    void transition(Pop3Input input, trace::Micros now, trace::EventId cause);
    void countError(trace::Micros now, trace::EventId cause);
    // Ends the session without UPDATE (RFC 1939 6): the explanation `why` (a Pop3* NoteId) is recorded with the count
    // of messages marked deleted that stay.
    void endWithoutUpdate(trace::NoteId why, trace::Micros now, trace::EventId cause, std::uint64_t idleSeconds = 0);
    void releaseLock();
    std::string uniqueId(std::size_t index) const;
    std::pair<std::size_t, std::uint64_t> dropListing() const;  // count, octets (not deleted)

    Pop3ServerContext& m_ctx;
    trace::Recorder m_rec;
    Pop3State m_state = Pop3State::Connect;
    util::LineBuffer m_lines{kMaxCommandLine};
    std::string m_output;
    trace::Micros m_lastActivity = 0;
    int m_errors = 0;
    std::string m_timestamp;    // "<pid.clock.n@host>"
    std::string m_userArg;      // from USER, waiting for PASS
    bool m_saslPending = false; // AUTH PLAIN sent "+ ", waiting for the response line
    std::string m_user;         // canonical, once logged in
    bool m_locked = false;
    std::uint32_t m_uidValidity = 0;
    // The maildrop as fixed at login (RFC 1939 5): the store's shared snapshot (numbers, UIDs, sizes; not copied, so a
    // login costs O(1) in the number of messages plus one byte of marks each) and this session's marks.
    std::shared_ptr<const store::FolderSnapshot> m_drop;
    std::vector<std::uint8_t> m_marks;  // Mark bits per message
    std::size_t m_deletedCount = 0;
    std::uint64_t m_deletedOctets = 0;
    int m_failedLogins = 0;
    bool m_tlsPending = false;  // "+OK Begin TLS negotiation" queued; waiting for the handshake
    bool m_tlsActive = false;
    bool m_utf8 = false;  // UTF8 sent (RFC 6856 3)
    trace::EventId m_stlsCause = trace::kNoCause;
};

}  // namespace mailsim::pop3
