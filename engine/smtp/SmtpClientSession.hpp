// The SMTP client session (RFC 5321), sans-I/O: delivers one or more messages over one connection.
//
// Theory of operation
//   GREETING --220--> EHLO --250--> [AUTH --334/235-->] [per message: MAIL --2xx--> RCPT* --> DATA --354--> CONTENT --"."--> ] QUIT --> DONE
// - It waits for the 220 greeting; a 421/554 greeting ends the session (every message temporarily/permanently failed).
// - It says EHLO, and falls back to HELO when the server answers 5xx (an RFC 821 server; RFC 5321 4.1.4). It sends
//   SIZE= only when the server announced SIZE.
// - TLS (`tls`, util/TlsMode.hpp): with Opportunistic or Required, after EHLO a server that announced STARTTLS gets
//   STARTTLS (RFC 3207 4); its 220 makes `startTlsPending()` true (the transport flushes takeOutput(), handshakes and
//   calls `tlsEstablished(now)`), and any bytes already received after the 220 are discarded unread and noted
//   (STARTTLS response injection, USENIX Security 2021 "Why TLS is better without STARTTLS"). Inside TLS the client
//   says EHLO again (RFC 3207 4.2: the old extension list is void), then AUTH/MAIL as usual. Required with no
//   STARTTLS announced, or STARTTLS refused: nothing sensitive is sent, the client says QUIT and every message fails
//   temporarily ("server does not offer STARTTLS; refusing to continue in plaintext"). Opportunistic: goes on in
//   plaintext then. Implicit: the transport calls `tlsEstablished` before any byte; the dialogue is the plain one.
// - With credentials (`user`), after EHLO it logs in (RFC 4954): AUTH PLAIN with the initial response (RFC 4616),
//   AUTH LOGIN answering the two 334 prompts, or AUTH CRAM-MD5 (RFC 2195) answering the challenge with
//   "user HMAC-MD5(password, challenge)". 235 goes on; a refusal (535) or a server that announced no AUTH
//   fails every message (5xx permanently, 4xx temporarily) and the client says QUIT.
// - Each message: MAIL FROM, one RCPT per recipient (a refused recipient is recorded and the others go on; RFC 5321
//   3.3), DATA only when at least one recipient was accepted (otherwise RSET), the content dot-stuffed with CRLF line
//   ends (bare LF/CR normalised, so a message can never smuggle a "." line), then "."; the final reply decides the
//   message's fate for the accepted recipients.
// - Reply classes: 2xx/3xx go on; 4xx is a temporary failure (retry later); 5xx a permanent one (bounce). A 421
//   anywhere ends the session: the rest is temporarily failed.
// - Internationalised mail (RFC 6531): a message that needs SMTPUTF8 (`needsSmtpUtf8`: a UTF-8 address in the
//   envelope, or UTF-8 in the header, RFC 6532) goes with "MAIL FROM:<...> SMTPUTF8" to a server whose EHLO listed
//   SMTPUTF8. To any other server it is not sent at all (RFC 6531 3.7.5: no downgrade here): its recipients fail
//   permanently, without an SMTP reply (code 0), with "5.6.7 SMTPUTF8 is required, but was not offered by host
//   <the server's EHLO domain>" (Postfix's wording; status 5.6.7 of RFC 6531 3.7.4.1), and the next message goes on.
// - After the last message: QUIT, then done. Lockstep (one command, one reply); PIPELINING is not used.
// - A reply that is not valid SMTP (RFC 5321 4.2: "ddd" or "ddd text", first digit 2-5, every line of a multi-line
//   reply with the same code) fails what is pending temporarily, and the client sends QUIT.
// - After MAIL, DATA or RSET is refused the client sends RSET (DATA refused) or goes straight to the next message
//   (MAIL refused: no transaction was opened). A refused RSET ends the session (temporary failure for the rest).
// - Trace: every line sent (role Command, or Data for content lines and the final "."), every reply line received
//   (role Reply, cause = the command it answers), and every phase change as a StateChanged event of machine
//   "smtp-client" whose cause is the reply line that caused it and whose text starts with that reply's code
//   (no cause when the connection closed).
#pragma once

#include "smtp/SmtpStates.hpp"
#include "smtp/SmtpSyntax.hpp"
#include "trace/Trace.hpp"
#include "util/TlsMode.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mailsim::smtp {

struct OutgoingMessage {
    std::string reversePath;              // "" for the null path <>
    std::vector<std::string> recipients;  // mailboxes
    std::string content;                  // header + body; any line ending
};

enum class DeliveryStatus { Pending, Delivered, TempFailed, PermFailed };

struct RecipientResult {
    std::string recipient;
    DeliveryStatus status = DeliveryStatus::Pending;
    int code = 0;
    std::string reply;  // the last reply's text that decided it; when the client decided (reason), its English wording
    // The client failed it on its own account (trace/Errors.hpp renders it per language) and that reason's argument:
    // the line received, the server's refusal, the server's name (schema 1.3).
    trace::ClientReason reason = trace::ClientReason::None;
    std::string detail{};
};

// The client's own reason for failing a recipient, in the words a relay's DSN carries (mail content, so English;
// trace/Errors.hpp's clientReasonText renders the same reason for people, in either language).
std::string clientReasonWords(trace::ClientReason reason, std::string_view detail);

struct MessageResult {
    std::vector<RecipientResult> recipients;
};

struct SmtpClientConfig {
    std::string heloName = "localhost";
    bool useEhlo = true;
    std::string user;              // non-empty: log in with SMTP AUTH before sending (RFC 4954)
    std::string password;
    std::string authMechanism = "PLAIN";  // PLAIN, LOGIN or CRAM-MD5
    util::ClientTls tls = util::ClientTls::None;
};

class SmtpClientSession {
public:
    // The client's state: the reply it waits for (its transition table is in SmtpStates.hpp, machine "smtp-client").
    using Phase = SmtpClientState;

    SmtpClientSession(SmtpClientConfig config, std::vector<OutgoingMessage> messages, trace::Recorder recorder = {});

    void receive(std::string_view bytes, trace::Micros now);
    std::string takeOutput();
    // The connection closed (by the server or the network): whatever is pending fails temporarily.
    void connectionClosed(trace::Micros now);
    // done(): the client has nothing more to say. `takeOutput()` may still hold a final QUIT (sent after an invalid
    // reply, whose answer is not awaited): the transport flushes it, then closes.

    bool done() const { return phase() == Phase::Done; }
    Phase phase() const { return m_machine.state(); }
    const std::vector<MessageResult>& results() const { return m_results; }

    // TLS: true from the server's 220 to STARTTLS until tlsEstablished(); the transport flushes takeOutput() and
    // starts the client-side handshake. Input meanwhile is discarded unread.
    bool startTlsPending() const { return m_tlsPending; }
    // The transport's handshake completed: after STARTTLS (the client says EHLO again), or before any byte for
    // implicit TLS (only the flag is set).
    void tlsEstablished(trace::Micros now);
    bool tlsActive() const { return m_tlsActive; }

    // Dot-stuffs `content` and normalises line ends to CRLF (RFC 5321 4.5.2, 2.3.8): CRLF, bare LF and bare CR each
    // end a line; a line starting with "." gets one more. The result ends with CRLF "." CRLF: a CRLF is added when
    // the content does not end with one. Empty content encodes as "." CRLF alone: the CRLF ending the DATA command
    // is the first CRLF of the terminator (RFC 5321 4.1.1.4).
    static std::string encodeContent(std::string_view content);
    // RFC 1870 message size: the content with CRLF line ends, without dot-stuffing and terminator.
    static std::size_t contentSize(std::string_view content);
    // RFC 6531 3.4: the message needs SMTPUTF8 when its reverse-path or a recipient is not ASCII, or its header
    // (up to the first empty line) holds UTF-8 (RFC 6532 3.2). A non-ASCII body alone needs only 8BITMIME.
    static bool needsSmtpUtf8(const OutgoingMessage& message);

private:
    void onReply(const Reply& reply, trace::Micros now);
    // The replies of the longer phases, each the whole of its phase's case in onReply.
    void onGreeting(const Reply& reply, trace::Micros now, const std::string& why);
    void onEhloReply(const Reply& reply, trace::Micros now, const std::string& why);
    void onRcptReply(const Reply& reply, trace::Micros now, const std::string& why);
    void onStartTlsReply(const Reply& reply, trace::Micros now);
    void onAuthReply(const Reply& reply, trace::Micros now);
    void send(std::string line, trace::Micros now);
    void sendContent(trace::Micros now);
    void advance(SmtpClientInput input, trace::Micros now, std::string_view why, trace::EventId cause);
    void startMessage(trace::Micros now);
    void sendNextRcpt(trace::Micros now);
    void finishMessage(DeliveryStatus status, const Reply& reply);
    // Fails every pending recipient for `reason` (the client's own decision) with its argument; `code` is the reply
    // that led to it, if any.
    void failRemaining(DeliveryStatus status, int code, trace::ClientReason reason, const std::string& detail = {});
    // Fails every pending recipient with the server's reply.
    void failRemaining(DeliveryStatus status, const Reply& reply);
    void quit(trace::Micros now);
    void afterHello(trace::Micros now);
    void login(trace::Micros now);
    void noteDiscarded(std::size_t count, trace::Micros now);

    SmtpClientConfig m_config;
    std::vector<OutgoingMessage> m_messages;
    std::vector<MessageResult> m_results;
    trace::Recorder m_rec;
    SmtpClientMachine m_machine;  // the phase: moves along the client's table, recorded through m_rec
    ReplyParser m_parser;
    std::string m_output;
    std::size_t m_message = 0;   // index of the message in progress
    std::size_t m_rcpt = 0;      // index of the next recipient to send
    std::size_t m_accepted = 0;  // recipients accepted for the message in progress
    bool m_serverSize = false;      // EHLO announced SIZE (RFC 1870)
    bool m_server8bit = false;      // EHLO announced 8BITMIME (RFC 6152)
    bool m_serverUtf8 = false;      // EHLO announced SMTPUTF8 (RFC 6531)
    std::string m_serverName;       // the domain at the start of the EHLO/HELO reply, for explanations
    bool m_serverAuth = false;      // EHLO announced AUTH (RFC 4954)
    bool m_serverStartTls = false;  // EHLO announced STARTTLS (RFC 3207)
    bool m_tlsPending = false;      // 220 to STARTTLS received; waiting for the transport's handshake
    bool m_tlsActive = false;
    bool m_tlsDeclined = false;     // Opportunistic: STARTTLS refused, going on in plaintext
    int m_authStep = 0;             // LOGIN: prompts answered so far; CRAM-MD5: 1 once the challenge is answered
    trace::EventId m_lastSent = trace::kNoCause;      // the command the next reply answers
    trace::EventId m_lastReceived = trace::kNoCause;  // the last reply line, cause of what the client does next
    int m_lastCode = 0;                                // its code, for the trace's "why" of a phase change
};


}  // namespace mailsim::smtp
