// The POP3 client session (RFC 1939), sans-I/O: what a mail program does when it "checks mail".
//
// Theory of operation
//   GREETING --+OK--> (USER --+OK--> PASS | APOP) --+OK--> (LIST | UIDL) --> [RETR n (--> DELE n)]* --> QUIT --> DONE
// - Delete mode (the classic POP3 way): LIST, then RETR and DELE every message, QUIT. The server removes the messages
//   in its UPDATE state, after QUIT: a connection lost before that leaves them all on the server.
// - Keep mode ("leave a copy on the server"): UIDL, then RETR only the messages whose unique id is not in the set the
//   caller passes in (the ids it has seen before); nothing is deleted. `knownUids()` afterwards is the new set: every
//   id on the server now that was known before or fetched now (ids of messages gone from the server are forgotten).
// - Login with USER/PASS (the password in clear text) or APOP (MD5 of the greeting's timestamp and the password;
//   the password never crosses the network). A refused login or a lost connection ends the session with `problem()`.
// - TLS (`tls`, util/TlsMode.hpp): with Opportunistic or Required the client sends CAPA (RFC 2449) after the greeting;
//   when STLS is listed it sends STLS (RFC 2595 4). "+OK" makes `startTlsPending()` true (the transport flushes
//   takeOutput(), handshakes and calls `tlsEstablished(now)`); bytes already received after that +OK are discarded
//   unread and noted (response injection). Inside TLS the client forgets the old capabilities, asks CAPA again
//   (RFC 2595 4) and logs in. Required with no STLS, or STLS refused: QUIT before any password, `problem()` says why.
//   Opportunistic: logs in in plaintext then. Implicit: `tlsEstablished` before any byte; the plain dialogue.
// - One command at a time (no pipelining). Every line sent and received is traced when a Recorder is given (role
//   Command, Reply, or Data for message content), and every phase change as machine "pop3-client".
#pragma once

#include "pop3/Pop3States.hpp"
#include "pop3/Pop3Syntax.hpp"
#include "trace/Trace.hpp"
#include "util/TlsMode.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mailsim::pop3 {

enum class FetchMode { Delete, Keep };
enum class LoginMethod { UserPass, Apop };

struct Pop3ClientConfig {
    std::string user;
    std::string password;
    LoginMethod login = LoginMethod::UserPass;
    FetchMode mode = FetchMode::Delete;
    std::set<std::string> knownUids;  // keep mode: unique ids fetched in earlier sessions
    util::ClientTls tls = util::ClientTls::None;
};

struct FetchedMessage {
    std::size_t number = 0;  // message number in that session
    std::string uid;         // unique id (keep mode; "" in delete mode)
    std::string content;     // the message, byte-unstuffed, CRLF line ends
};

class Pop3ClientSession {
public:
    // The client's state: the response it waits for (its transition table is in Pop3States.hpp, "pop3-client").
    using Phase = Pop3ClientState;

    explicit Pop3ClientSession(Pop3ClientConfig config, trace::Recorder recorder = {});

    void receive(std::string_view bytes, trace::Micros now);
    std::string takeOutput();
    void connectionClosed(trace::Micros now);

    bool done() const { return phase() == Phase::Done; }
    Phase phase() const { return m_machine.state(); }
    bool ok() const { return !m_problem; }
    // Why the session failed or the server refused part of the task (none while ok()): the same typed report as the
    // trace's Error event; trace/Errors.hpp renders it. The first problem is kept.
    const std::optional<trace::ErrorReport>& problem() const { return m_problem; }
    const std::vector<FetchedMessage>& fetched() const { return m_fetched; }
    std::uint64_t bytesFetched() const;
    const std::set<std::string>& knownUids() const { return m_known; }
    std::size_t deleted() const { return m_deleted; }   // DELE answered +OK
    bool quitAccepted() const { return m_quitOk; }       // the server answered QUIT with +OK (UPDATE done)

    // TLS: true from the server's +OK to STLS until tlsEstablished(); input meanwhile is discarded unread.
    bool startTlsPending() const { return m_tlsPending; }
    // The transport's handshake completed: after STLS (CAPA again, then the login), or before any byte (POP3S).
    void tlsEstablished(trace::Micros now);
    bool tlsActive() const { return m_tlsActive; }

private:
    void onResponse(const Pop3Response& r, trace::Micros now);
    void send(std::string line, trace::Micros now);
    void advance(Pop3ClientInput input, trace::Micros now, std::string why, trace::EventId cause);
    void next(trace::Micros now);  // the next RETR/DELE, or QUIT
    // The session cannot go on: `problem` is kept (and recorded), then QUIT (or the end, before the greeting).
    void fail(trace::ErrorReport problem, trace::Micros now);
    // A problem that does not end the session (a refused RETR or DELE, a -ERR to QUIT): kept and recorded.
    void report(trace::ErrorReport problem, trace::Micros now);
    void startLogin(trace::Micros now, const std::string& why);
    void queueListing(const Pop3Response& r);
    void noteDiscarded(std::size_t count, trace::Micros now);

    Pop3ClientConfig m_config;
    trace::Recorder m_rec;
    Pop3ClientMachine m_machine;  // the phase: moves along the client's table, recorded through m_rec
    Pop3ResponseParser m_parser;
    std::string m_output;
    std::optional<trace::ErrorReport> m_problem;
    std::string m_why;  // the last response read ("+OK", "-ERR"): the why of the client's next move
    std::vector<std::pair<std::size_t, std::string>> m_queue;  // (number, uid) still to fetch
    std::size_t m_queuePos = 0;
    std::vector<FetchedMessage> m_fetched;
    std::set<std::string> m_known;
    std::size_t m_deleted = 0;
    bool m_quitOk = false;
    std::string m_greeting;  // the greeting's text (the APOP timestamp is in it)
    bool m_tlsPending = false;
    bool m_tlsActive = false;
    trace::EventId m_lastSent = trace::kNoCause;
    trace::EventId m_lastReceived = trace::kNoCause;
};


}  // namespace mailsim::pop3
