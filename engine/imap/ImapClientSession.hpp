// The IMAP client session (RFC 3501), sans-I/O: what a mail program does with an IMAP server, one task per session.
//
// Theory of operation
//   greeting --* OK--> LOGIN --OK--> [CREATE target] --> SELECT mailbox --OK--> the task's commands --> LOGOUT --> DONE
//   (the folder tasks skip SELECT: LOGIN --OK--> CREATE / DELETE / RENAME --> LOGOUT --> DONE)
// Tasks (each one command at a time; every command has its own tag c1, c2, ...; the session waits for that tag):
// - Summary ("summary browsing"): FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE) - the message list without any body -
//   then UID FETCH BODY[] only for the messages the user opens (`open`, sequence numbers). `bytesReceived()` shows
//   how little crossed the network compared with the sizes listed.
// - Search: UID SEARCH CHARSET UTF-8 <field> <text>; the text is sent as a LITERAL+ literal (RFC 7888), so any UTF-8
//   (Chinese) works. The server searches; only UIDs come back (`found()`).
// - Move: CREATE the target (an existing one answers NO [ALREADYEXISTS], which is fine), the same search, then
//   UID MOVE of the UIDs found (RFC 6851; `moved()`).
// - Sync (disconnected mode, RFC 4549): the caller passes the cache of a previous session (UIDVALIDITY, UIDNEXT,
//   UIDs with their flags, and flag changes made offline). If SELECT reports another UIDVALIDITY the cache is void
//   and everything is fetched again. Otherwise: upload the offline flag changes (UID STORE), fetch only UIDs at or
//   above the old UIDNEXT (new mail), ask which cached UIDs still exist (UID SEARCH UID 1:n; the others were
//   expunged elsewhere), and fetch the cached messages' flags. `cache()` afterwards is the resynchronised cache and
//   `syncReport()` counts what changed.
// - Flag: the UIDs given (`uids`), or the UIDs the same search finds, get `addFlags` with UID STORE +FLAGS and lose
//   `removeFlags` with UID STORE -FLAGS (RFC 3501 6.4.6; without .SILENT, so the server answers each message's new
//   FLAGS: `flagged()` maps UID -> flags as the server last said).
// - CreateFolder / DeleteFolder: CREATE / DELETE `folder` (RFC 3501 6.3.3, 6.3.4); RenameFolder: RENAME `folder`
//   `target` (6.3.5). No SELECT. A NO (ALREADYEXISTS, NONEXISTENT, deleting INBOX ...) ends the session with
//   `problem()`, and LOGOUT is still sent.
// - Idle (RFC 2177): SELECT, IDLE, then collect the untagged EXISTS / EXPUNGE / FETCH the server pushes (`pushed()`)
//   until `idleUpdates` of them arrived (when not 0) or the caller calls `stopIdle(now)`; then DONE, wait for the
//   IDLE's tagged completion, LOGOUT.
// - TLS (`tls`, util/TlsMode.hpp): with Opportunistic or Required the client reads the capabilities from the
//   greeting's [CAPABILITY ...] code, or asks CAPABILITY; when STARTTLS is listed it sends STARTTLS (RFC 3501 6.2.1).
//   The tagged OK makes `startTlsPending()` true (the transport flushes takeOutput(), handshakes and calls
//   `tlsEstablished(now)`); bytes already received after that OK are discarded unread and noted (response
//   injection). Inside TLS the client forgets the capabilities and asks CAPABILITY again (6.2.1) before LOGIN.
//   Required with no STARTTLS, or STARTTLS refused: LOGOUT before any password, `problem()` says why; a PREAUTH
//   greeting is refused too (it would skip TLS altogether: RFC 9051 7.1.4, USENIX Security 2021). Opportunistic:
//   logs in in plaintext then. Implicit: `tlsEstablished` before any byte; the plain dialogue.
// - A NO/BAD answer to LOGIN or SELECT, a BYE or a lost connection ends the session with `problem()`.
// - Every line sent and received is traced when a Recorder is given, and every move along the client's transition
//   table (ImapStates.hpp) as a state change of machine "imap-client".
#pragma once

#include "imap/ImapStates.hpp"
#include "trace/Trace.hpp"
#include "util/TlsMode.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mailsim::imap {

enum class ImapTask { Summary, Search, Move, Sync, Flag, CreateFolder, RenameFolder, DeleteFolder, Idle };

// What a disconnected client remembers of one mailbox between sessions.
struct ImapCache {
    std::uint32_t uidValidity = 0;  // 0: nothing cached yet
    std::uint32_t uidNext = 1;
    std::map<std::uint32_t, std::string> flags;    // UID -> "(\Seen \Flagged)" as the server last said
    std::map<std::uint32_t, std::string> pending;  // UID -> "+FLAGS (\Flagged)": changes made offline, to upload
};

struct ImapSyncReport {
    bool cacheInvalidated = false;  // UIDVALIDITY changed: everything fetched again
    std::size_t fetchedNew = 0;
    std::size_t vanished = 0;
    std::size_t flagsChanged = 0;
    std::size_t uploaded = 0;
};

struct ImapClientConfig {
    std::string user;
    std::string password;
    std::string mailbox = "INBOX";       // wire name (modified UTF-7)
    ImapTask task = ImapTask::Summary;
    std::vector<std::uint32_t> open;     // Summary: sequence numbers whose bodies the user opens
    std::string searchField = "TEXT";    // Search/Move: SUBJECT, FROM, TO, BODY, TEXT ...
    std::string searchText;              // UTF-8
    std::string target;                  // Move: the folder (wire name)
    ImapCache cache;                     // Sync
    std::vector<std::uint32_t> uids;     // Flag: these UIDs; empty: the UIDs the search finds
    std::string addFlags;                // Flag: "\Flagged \Seen" (empty: nothing added)
    std::string removeFlags;             // Flag: likewise removed
    std::string folder;                  // CreateFolder / RenameFolder / DeleteFolder (wire name)
    std::size_t idleUpdates = 0;         // Idle: DONE after this many pushed updates; 0: only on stopIdle
    util::ClientTls tls = util::ClientTls::None;
};

// One change the server pushed while the client idled: "* 3 EXISTS", "* 1 EXPUNGE", "* 2 FETCH (FLAGS (\Seen))".
struct ImapPush {
    std::string kind;  // EXISTS, EXPUNGE, FETCH
    std::uint32_t number = 0;
    std::string line;  // the whole untagged line
};

struct ImapSummaryEntry {
    std::uint32_t seq = 0;
    std::uint32_t uid = 0;
    std::uint64_t size = 0;
    std::string flags;    // "(\Seen)"
    std::string subject;  // as in the ENVELOPE (encoded words not decoded)
};

class ImapClientSession {
public:
    // The client's state: a row state of its transition table (ImapStates.hpp), recorded as machine "imap-client".
    using Phase = ImapClientState;

    explicit ImapClientSession(ImapClientConfig config, trace::Recorder recorder = {});
    void receive(std::string_view bytes, trace::Micros now);
    std::string takeOutput();
    void connectionClosed(trace::Micros now);
    // Idle: the user is done waiting; DONE is sent now (or as soon as the server has accepted the IDLE).
    void stopIdle(trace::Micros now);

    bool done() const { return phase() == Phase::Done; }
    Phase phase() const { return m_machine.state(); }
    bool ok() const { return !m_problem; }
    // Why the session failed or the server refused the task (none while ok()): the same typed report as the trace's
    // Error event; trace/Errors.hpp renders it.
    const std::optional<trace::ErrorReport>& problem() const { return m_problem; }
    std::uint64_t bytesReceived() const { return m_bytesIn; }

    const std::vector<ImapSummaryEntry>& summaries() const { return m_summaries; }
    const std::map<std::uint32_t, std::string>& bodies() const { return m_bodies; }  // UID -> message downloaded
    const std::vector<std::uint32_t>& found() const { return m_found; }
    std::size_t moved() const { return m_moved; }
    const ImapCache& cache() const { return m_cache; }
    const ImapSyncReport& syncReport() const { return m_report; }
    const std::map<std::uint32_t, std::string>& flagged() const { return m_flagged; }  // Flag: UID -> new flags
    const std::vector<ImapPush>& pushed() const { return m_pushed; }                   // Idle
    bool idling() const { return phase() == Phase::Idling; }

    // TLS: true from the tagged OK to STARTTLS until tlsEstablished(); input meanwhile is discarded unread.
    bool startTlsPending() const { return m_tlsPending; }
    // The transport's handshake completed: after STARTTLS (CAPABILITY again, then LOGIN), or before any byte (IMAPS).
    void tlsEstablished(trace::Micros now);
    bool tlsActive() const { return m_tlsActive; }
    // The capabilities the client knows now (from the greeting or CAPABILITY; emptied when TLS starts).
    const std::vector<std::string>& capabilities() const { return m_caps; }

private:
    void onLine(const std::string& line, trace::Micros now, trace::EventId id);
    void onCompletion(const std::string& status, const std::string& text, trace::Micros now);
    void onFetch(const std::string& line);
    void send(const std::string& command, trace::Micros now);
    // Moves along the client's table (ImapStates.cpp); a move the table lacks is recorded as an error and ends it.
    // The move's `why` is the last response the client read (m_why: a status such as OK, NO, BAD, BYE, PREAUTH, the
    // "+" of IDLE, a pushed EXISTS), its cause that response's line; `why` overrides it for a move no response caused
    // (util::kWhyTlsEstablished, util::kWhyClosed).
    void advance(ImapClientInput input, trace::Micros now, std::string_view why = {});
    void afterSelect(trace::Micros now);
    void nextOpen(trace::Micros now);
    void syncStep(trace::Micros now);
    void startStore(const std::vector<std::uint32_t>& uids, trace::Micros now);
    void storeStep(trace::Micros now);
    void onPush(const std::string& line, trace::Micros now);
    void sendDone(trace::Micros now);
    void logout(trace::Micros now);
    void refuse(trace::ErrorReport problem, trace::Micros now);
    void fail(trace::ErrorReport problem, trace::Micros now, std::string_view why = {});
    void login(trace::Micros now);
    void decideTls(trace::Micros now);  // STARTTLS, refuse, or log in, from m_caps
    void readCapabilities(std::string_view list);
    void noteDiscarded(std::size_t count, trace::Micros now);

    ImapClientConfig m_config;
    trace::Recorder m_rec;
    ImapClientMachine m_machine;  // the phase: moves along the client's table, recorded through m_rec
    std::string m_in, m_cur, m_output, m_tag;
    std::optional<trace::ErrorReport> m_problem;
    std::size_t m_literal = 0;
    int m_nextTag = 1;
    std::uint64_t m_bytesIn = 0;
    std::vector<std::string> m_untagged;
    std::uint32_t m_exists = 0, m_uidValidity = 0, m_uidNext = 0;
    std::vector<ImapSummaryEntry> m_summaries;
    std::map<std::uint32_t, std::string> m_bodies;
    std::size_t m_openPos = 0;
    std::vector<std::uint32_t> m_found;
    std::size_t m_moved = 0;
    ImapCache m_cache;
    ImapSyncReport m_report;
    std::map<std::uint32_t, std::string> m_fetchedFlags;
    std::map<std::uint32_t, std::string> m_flagged;
    std::string m_storeSet;                 // Flag: the UIDs as a sequence set
    std::vector<std::string> m_storeQueue;  // Flag: "+FLAGS (...)", "-FLAGS (...)" still to send
    std::vector<ImapPush> m_pushed;
    bool m_stopIdle = false;
    std::vector<std::string> m_caps;  // upper-case
    bool m_tlsPending = false;
    bool m_tlsActive = false;
    trace::EventId m_lastSent = trace::kNoCause;
    trace::EventId m_lastReceived = trace::kNoCause;  // the line of the last response read
    std::string m_why;                                // its status (see advance)
};

}  // namespace mailsim::imap
