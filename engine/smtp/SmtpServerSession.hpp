// The SMTP server session (RFC 5321), sans-I/O.
//
// Contract
// - Bytes in, bytes out: `start(now)` produces the greeting, `receive(bytes, now)` consumes whatever the transport
//   delivered (any split: half a line, several pipelined commands, a command and the start of DATA content) and
//   queues replies; `takeOutput()` hands the queued bytes to the transport. `tick(now)` applies the idle timeout.
//   The session never reads a clock, a socket or a file itself: time comes in as an argument, storage goes through
//   the `MailStore` of its `SmtpServerContext`.
// - `closed()` becomes true after 221 or 421; the transport then sends the remaining output and closes. Input after
//   that is ignored.
// - Every line received and sent is recorded in the trace (role Command, Data or Reply, with raw bytes), every
//   state change with its cause (the event id of the line that caused it), and every store change.
// - Memory is bounded: a command line longer than 512 octets is discarded while it arrives (500 when it ends);
//   content beyond the message size limit is counted, not kept (552 at the end). The trace records the first
//   `traceContentOctets`/`traceContentLines` of each message's content as Data lines; the rest is counted and
//   reported in one note when the message ends, so a big (or refused) message cannot grow the trace or the log.
// - `firstCommandTimeout` (serve's --greeting-timeout): a client that sends no complete command line that long after
//   the greeting gets 421 4.4.2 and is closed (any byte resets the idle timeout, not this deadline).
// - A message is answered 250 only after the store has made it durable for every recipient (and the relay queue has
//   taken the remote ones); if any delivery fails the others are rolled back and the client gets 451, so nothing
//   is half-delivered.
// - Store requests (park-and-resume, store/StoreRequest.hpp): at the end of DATA the session builds one request
//   (deliver these bytes to these mailboxes, all or nothing) and parks: `parked()` is true, input that
//   arrives meanwhile is buffered unread (pipelined commands wait), `tick` does nothing, no reply is sent. The
//   transport takes the request (`takeStoreRequest`), runs it, and calls `storeCompleted(result, now)`; the session
//   then answers 250 (or 452/450/451 on failure) and goes on with the buffered input. A message for remote
//   recipients is handed to the relay queue after the local copies are durable; if the queue refuses it, the session
//   parks once more with a removal request for those copies and answers 451 when it completes. With
//   `SmtpServerContext::transportCompletesStore` false the session completes its own requests at once on
//   `SmtpServerContext::store` (tests, fuzzers), through the same resume path.
// - Routing (RFC 5321 3.6, 5.1): a recipient in a local domain is delivered to its mailbox (with Return-Path and
//   Received, RFC 5321 4.4); a recipient in any other domain is accepted only when the server may relay for this
//   client - it logged in with AUTH (RFC 4954), or its address is in `relayNetworks` - and a relay queue is
//   configured; the message then goes to `SmtpServerContext::relay` with only a Received field added. Otherwise
//   RCPT is refused with 554 5.7.1 (no open relay). A message already carrying mta::kMaxHops Received fields is
//   refused with 554 5.4.6 (loop, RFC 5321 6.3).
// - SMTP AUTH (RFC 4954; PLAIN RFC 4616, LOGIN, CRAM-MD5 RFC 2195) is offered in the EHLO reply on the submission
//   port (RFC 6409), where MAIL also requires it (530). The SASL responses are recorded like commands (base64 is an
//   encoding, not encryption: the trace shows exactly what an eavesdropper would see without TLS).
// - STARTTLS (RFC 3207; SmtpServerTls.cpp) is offered in the EHLO reply when the transport can do TLS
//   (`tlsOffered`) and TLS is not active yet. After "220 2.0.0 Ready to start TLS" `startTlsPending()` is true: the
//   transport sends `takeOutput()` in the clear, then runs the server-side handshake and calls `tlsEstablished(now)`.
//   Every byte that followed the STARTTLS line in the same input, and every byte received while pending, is
//   discarded unread and noted in the trace (CVE-2011-0411: plaintext injected before the handshake must never be
//   executed as if it came through TLS). The completed handshake takes the session back to INITIAL (RFC 3207 4.2):
//   EHLO name, transaction and login are forgotten. Implicit TLS (SMTPS, RFC 8314): `tlsEstablished` before
//   `start` only sets the flag.
// - With `plaintextAuthAllowed` false, AUTH is neither announced nor accepted (538, RFC 4954 6) until TLS is active;
//   on the submission port MAIL then answers "530 5.7.0 Must issue a STARTTLS command first" (RFC 3207 4).
// - A gateway (`gatewayMailbox`) accepts any local part of its domains and hands the message to that one mailbox of
//   a non-SMTP system (e.g. a campus bulletin board), noting the hand-over in the trace.
#pragma once

#include "auth/UserDirectory.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpRules.hpp"
#include "smtp/SmtpStates.hpp"
#include "smtp/SmtpSyntax.hpp"
#include "store/MailStore.hpp"
#include "store/StoreRequest.hpp"
#include "trace/Trace.hpp"
#include "util/Goodbye.hpp"

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mailsim::smtp {

struct SmtpServerConfig {
    std::string domain = "localhost";          // greeting and trace headers, e.g. "cesoo.com"
    bool lenient = true;                       // accept MAIL FROM:addr without <> and LF-only command lines
    std::size_t maxMessageSize = 10 * 1024 * 1024;  // SIZE (RFC 1870); at least kMinMessageContent
    std::size_t maxRecipients = 1000;          // RFC 5321 4.5.3.1.8 asks >= 100; Postfix's smtpd_recipient_limit
    int maxErrors = 10;                        // bad commands before 421
    trace::Micros idleTimeout = 300'000'000;   // RFC 5321 4.5.3.2.7: 5 minutes
    trace::Micros firstCommandTimeout = 0;     // > 0: no command this long after the greeting -> 421 (serve)
    std::size_t traceContentOctets = 64 * 1024; // DATA content recorded line by line in the trace, per message
    std::size_t traceContentLines = 1000;       // ... and at most this many lines; the rest is counted in a note
    bool acceptConnections = true;             // false: greet with 421 and close (the 421 lesson)
    std::vector<SmtpRule> rules;               // scenario rules: chosen replies at chosen points (SmtpRules.hpp)
    std::vector<std::string> relayNetworks;    // IPv4 prefixes ("10.0.0.0/24") whose clients may relay without AUTH
    std::vector<std::string> relayDomains;     // domains accepted from anyone and relayed on (a backup MX's domains)
    std::string gatewayMailbox;                // non-empty: a gateway; every local recipient goes to this mailbox
    std::string gatewaySystem = "bulletin";    // what the gateway hands mail to, for the trace
    bool tlsOffered = false;                   // the transport can do TLS: EHLO lists STARTTLS (RFC 3207)
    bool plaintextAuthAllowed = true;          // false: AUTH only inside TLS (538 before, RFC 4954 6)
    bool smtpUtf8 = true;                      // EHLO lists SMTPUTF8 (RFC 6531): UTF-8 addresses in SMTPUTF8 mail
};

// A message the server accepted for recipients in other domains, handed to the relay queue.
struct RelayRequest {
    std::string reversePath;              // "" = <>
    std::vector<std::string> recipients;  // the remote ones only
    std::string content;                  // with this hop's Received field on top
    trace::Micros now = 0;
    trace::EventId cause = trace::kNoCause;  // the end of DATA
};
// Returns the queue id, or why the queue could not take the message (the client then gets 451).
using RelayHandler = std::function<std::expected<std::string, std::string>(const RelayRequest&)>;

// What the sessions of one server host share: configuration, users, the store, and counters.
struct SmtpServerContext {
    SmtpServerConfig config;
    auth::UserDirectory directory;
    store::MailStore* store = nullptr;
    // Park-and-resume (see "Store requests" above): false, the session runs its store requests itself on `store`
    // at once; true, it parks and the transport completes them (takeStoreRequest / storeCompleted).
    bool transportCompletesStore = false;
    std::uint64_t nextMessageNumber = 1;
    SmtpRuleMemory ruleMemory;  // greylisting: the attempts seen so far, across sessions
    RelayHandler relay;         // empty: this host never relays
    std::string hostName;       // this host's name, for Received "by" (default: config.domain)
};

// Who is on the other end, for trace headers (Received:) and replies.
struct PeerInfo {
    std::string hostName;  // what the transport knows, e.g. "mike-pc" or "localhost"
    std::string address;   // e.g. "10.0.0.2" or "127.0.0.1"
    bool submission = false;  // the connection came in on the submission port (RFC 6409): AUTH offered and required
};

// True when the IPv4 `address` is inside `prefix` ("10.0.0.0/24", or one address without "/n").
bool ipv4PrefixContains(std::string_view prefix, std::string_view address);

class SmtpServerSession {
public:
    SmtpServerSession(SmtpServerContext& context, PeerInfo peer, trace::Recorder recorder);

    void start(trace::Micros now);
    void receive(std::string_view bytes, trace::Micros now);
    void tick(trace::Micros now);
    std::string takeOutput();
    bool hasOutput() const { return !m_output.empty(); }

    bool closed() const { return m_state == SmtpState::Closed; }
    SmtpState state() const { return m_state; }
    bool loggedIn() const { return !m_authUser.empty(); }  // SMTP AUTH succeeded (RFC 4954)
    bool extended() const { return m_extended; }           // EHLO used: replies carry enhanced status codes
    // A command line has begun and not ended, or the session is inside DATA (for the transport's deadlines).
    // Not while parked: the server is working, not waiting for the client.
    bool inputPending() const {
        return !m_parked && (m_state == SmtpState::Data || !m_input.empty() || m_discardingLine);
    }
    std::size_t messagesAccepted() const { return m_messagesAccepted; }
    // Octets received but not yet consumed (part of a line); bounded by the contract above, for tests and fuzzers.
    std::size_t bufferedBytes() const { return m_input.size(); }

    // TLS (SmtpServerTls.cpp). True from the 220 answer to STARTTLS until tlsEstablished(): the transport flushes
    // takeOutput() in the clear, then starts the server-side handshake; input meanwhile is discarded unread.
    bool startTlsPending() const { return m_tlsPending; }
    // The transport's handshake completed: after STARTTLS (back to INITIAL, RFC 3207 4.2), or before start() for
    // implicit TLS (only the flag is set; the greeting follows as usual).
    void tlsEstablished(trace::Micros now);
    bool tlsActive() const { return m_tlsActive; }
    // Failed authentication attempts (wrong credentials) in this session, for the transport's login delay.
    int failedLogins() const { return m_failedLogins; }
    // Whether the server has a handler for the command row `input` (the rest are answered by the gate).
    static bool hasHandler(SmtpInput input);

    // Park-and-resume (contract above). True while a store request waits to be taken or completed.
    bool parked() const { return m_parked; }
    // The request the session is parked on, once (nullopt when not parked or already taken).
    std::optional<store::StoreRequest> takeStoreRequest() { return std::exchange(m_request, std::nullopt); }
    // The transport finished the request: the session answers and goes on with the input buffered meanwhile.
    void storeCompleted(store::StoreResult result, trace::Micros now);

private:
    struct Recipient {
        std::string path;     // as given (for Received: "for <...>")
        std::string mailbox;  // canonical local mailbox; empty for a remote recipient (relayed)
    };

    void handleCommandLine(std::string_view line, std::string_view raw, bool crlf, trace::Micros now);
    // DATA content between CRLFs (RFC 5321 4.1.1.4; no CRLF pair inside `chunk`), dot-unstuffing already done.
    void appendContent(std::string_view chunk);
    void appendPlainRun(std::string_view run);  // octets that are neither CR nor LF
    void appendSpecialOctet(char c);            // a bare CR or LF, or the octet after a bare LF
    void addContentOctet(char c);
    // The content line just ended as a Data line event, or counted once past the trace's share of the message.
    void recordContentLine(trace::Micros now);
    void endContentLine(trace::Micros now);
    // The one gate before dispatch (every check from the command's row and the transition table): false when it
    // answered the command itself (removed, refused by a scenario rule, not offered, bad argument, wrong state).
    bool gate(const SmtpCommandInfo& info, std::string_view arg, trace::Micros now, trace::EventId cause);
    bool refuseSyntax(const SmtpCommandInfo& info, trace::Micros now, trace::EventId cause);
    bool refuseSequence(SmtpInput input, trace::Micros now, trace::EventId cause);
    using Handler = void (SmtpServerSession::*)(std::string_view arg, trace::Micros now, trace::EventId cause);
    static Handler handlerFor(SmtpInput input);

    void doHelo(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doEhlo(std::string_view arg, trace::Micros now, trace::EventId cause);
    void introduce(bool extended, std::string_view arg, trace::Micros now, trace::EventId cause);
    void doRset(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doNoop(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doQuit(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doMail(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doRcpt(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doData(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doVrfy(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doExpn(std::string_view arg, trace::Micros now, trace::EventId cause);
    void doHelp(std::string_view arg, trace::Micros now, trace::EventId cause);
    void finishMessage(trace::Micros now, trace::EventId cause);
    // Parks on `request`, or (transportCompletesStore false) runs it at once and resumes through onStoreResult.
    void park(store::StoreRequest request, trace::Micros now);
    void onStoreResult(store::StoreResult result, trace::Micros now);
    void endMessage(ReplyId id, const ReplyArgs& args, trace::Micros now, trace::EventId cause);
    void processInput(trace::Micros now);
    void doAuth(std::string_view arg, trace::Micros now, trace::EventId cause);
    void continueAuth(std::string_view line, trace::Micros now, trace::EventId cause);
    void finishAuth(std::string_view user, std::string_view password, std::string_view cramDigest, trace::Micros now,
                    trace::EventId cause);
    bool mayRelay() const;
    bool offersAuth() const { return m_peer.submission; }
    // AUTH may be used now: offered here, and plaintext passwords allowed or TLS active (RFC 4954 6).
    bool authUsableNow() const { return offersAuth() && (m_ctx.config.plaintextAuthAllowed || m_tlsActive); }
    bool offersStartTls() const { return m_ctx.config.tlsOffered && !m_tlsActive; }
    void doStartTls(std::string_view arg, trace::Micros now, trace::EventId cause);
    // Records that `count` octets received in plaintext after STARTTLS were dropped unread (CVE-2011-0411).
    void noteDiscarded(std::size_t count, trace::Micros now, trace::EventId cause);

    void reply(ReplyId id, const ReplyArgs& args, trace::Micros now, trace::EventId cause,
               std::span<const std::string> extraLines = {});
    void emit(const std::string& wire, trace::Micros now, trace::EventId cause);
    // Fires the first scenario rule that matches this point; true when it answered (the command is not done).
    bool applyRule(std::string_view point, std::string_view sender, std::string_view recipient, trace::Micros now,
                   trace::EventId cause);
    void transition(SmtpInput input, trace::Micros now, trace::EventId cause);
    void countError(trace::Micros now, trace::EventId cause);
    void resetTransaction();
    std::string receivedField(trace::Micros now) const;

    SmtpServerContext& m_ctx;
    PeerInfo m_peer;
    trace::Recorder m_rec;
    SmtpState m_state = SmtpState::Connect;

    std::string m_input;         // bytes not yet forming a complete line
    bool m_discardingLine = false;  // inside an over-long command line
    std::string m_discardedHead;    // its first octets, for the trace
    std::string m_output;
    trace::Micros m_lastActivity = 0;
    trace::Micros m_greetedAt = 0;
    bool m_commandSeen = false;  // a complete command line arrived (the first-command deadline no longer applies)
    int m_errors = 0;
    std::vector<std::pair<std::string, int>> m_pointCounts;  // how often each rule point was reached
    bool m_noService = false;  // a 554 greeting: only QUIT is accepted (RFC 5321 3.1)

    // session and transaction state (RFC 5321 4.1.4: the transaction is reverse-path, forward-paths, content)
    std::string m_heloName;
    bool m_extended = false;     // EHLO used: enhanced status codes are sent
    std::string m_reversePath;
    bool m_smtpUtf8 = false;     // this transaction declared SMTPUTF8 in MAIL (RFC 6531 3.4)
    std::vector<Recipient> m_recipients;
    bool m_rcptRefused = false;      // some RCPT of this transaction was refused (554 "no valid recipients")
    std::string m_content;
    std::size_t m_contentSize = 0;   // counted even past the limit
    std::size_t m_dataLineLength = 0; // octets in the current content line so far
    bool m_atLineStart = true;       // at the start of a content line (where "." matters)
    bool m_lineStuffed = false;      // the current content line began with a stuffed dot
    std::string m_traceLine;         // the current content line, capped, for the trace
    std::size_t m_tracedOctets = 0;  // content octets recorded as Data lines in this message
    std::size_t m_tracedLines = 0;
    std::size_t m_untracedOctets = 0;  // ... and not recorded (over traceContentOctets/Lines): only counted
    std::size_t m_untracedLines = 0;
    bool m_longDataLine = false;
    bool m_bareLf = false;
    bool m_bareCr = false;
    bool m_lineAfterBareLf = false;  // the content line so far began after a bare LF
    bool m_dotAfterBareLf = false;   // ... and its first octet was a dot, held until the next octet shows
    trace::EventId m_dataStart = trace::kNoCause;
    std::size_t m_messagesAccepted = 0;

    // park-and-resume: what the parked request is for, and what its completion needs
    enum class ParkedFor : std::uint8_t { None, Delivery, Rollback };
    bool m_parked = false;
    ParkedFor m_parkedFor = ParkedFor::None;
    std::optional<store::StoreRequest> m_request;  // until the transport takes it
    trace::EventId m_parkCause = trace::kNoCause;  // the end of DATA
    std::string m_received;                        // this hop's Received field (for the relay copy)

    // SMTP AUTH (RFC 4954)
    std::string m_authUser;       // non-empty once logged in
    std::string m_saslMechanism;  // non-empty while a SASL exchange is in progress
    std::string m_saslUser;       // LOGIN: the user name given in the first response
    std::string m_cramChallenge;  // CRAM-MD5: the challenge sent
    int m_failedLogins = 0;

    // STARTTLS (RFC 3207)
    bool m_tlsPending = false;  // 220 to STARTTLS queued; waiting for the transport's handshake
    bool m_tlsActive = false;
    trace::EventId m_startTlsCause = trace::kNoCause;  // the STARTTLS command line
};

}  // namespace mailsim::smtp
