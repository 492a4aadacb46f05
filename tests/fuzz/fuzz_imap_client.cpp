// libFuzzer target: arbitrary bytes as the server's side of an IMAP session into the IMAP client (RFC 3501 7
// responses: tagged and untagged, literals {n} inside FETCH, LIST/SEARCH/ESEARCH data, response codes, IDLE pushes).
//
// Input layout: byte 0 picks the chunk size (FuzzSplit.hpp), byte 1 the task (summary, search, move, sync, flag,
// folders, idle). The rest is what the server sends. Checked, beyond the sanitizers:
// - every command the client sends is CRLF-terminated, without bare CR/LF (literals it uploads are announced);
// - bytesReceived() counts exactly what was fed;
// - the client never reports more bodies than the server sent literals or quoted strings for.
#include "FuzzSplit.hpp"
#include "imap/ImapClientSession.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include "FuzzCheck.hpp"  // last: `check` is a macro (see FuzzCheck.hpp)

using namespace mailsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint8_t selector = data[0], flags = data[1];
    std::string_view server(reinterpret_cast<const char*>(data + 2), size - 2);

    imap::ImapClientConfig config;
    config.user = "rose";
    config.password = "rose123";
    static constexpr imap::ImapTask kTasks[] = {imap::ImapTask::Summary,      imap::ImapTask::Search,
                                                imap::ImapTask::Move,         imap::ImapTask::Sync,
                                                imap::ImapTask::Flag,         imap::ImapTask::CreateFolder,
                                                imap::ImapTask::RenameFolder, imap::ImapTask::DeleteFolder,
                                                imap::ImapTask::Idle};
    config.task = kTasks[flags % std::size(kTasks)];
    config.open = {1, 2};
    config.searchText = "plan";
    config.target = "Archive";
    config.folder = "Work";
    config.addFlags = "\\Flagged";
    config.idleUpdates = 2;
    config.tls = (flags & 0x80) ? util::ClientTls::Required : util::ClientTls::None;
    if (flags & 0x40) config.cache.uidValidity = 7;
    imap::ImapClientSession client(config);
    std::string out;
    trace::Micros now = 0;
    fuzz::feedInChunks(selector, server, [&](std::string_view chunk) {
        client.receive(chunk, ++now);
        out += client.takeOutput();
    });
    check(client.bytesReceived() <= server.size());
    client.connectionClosed(++now);
    out += client.takeOutput();
    check(out.empty() || out.ends_with("\r\n"));
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == '\n') check(i > 0 && out[i - 1] == '\r');
    }
    std::size_t literals = 0;
    for (char c : server) literals += c == '{' || c == '"';
    check(client.bodies().size() <= literals);
    return 0;
}

extern "C" std::size_t mailsimFuzzTokens(const std::string_view** tokens) {
    static const std::string_view kTokens[] = {
        "* OK [CAPABILITY IMAP4rev1 IDLE MOVE UIDPLUS] ready\r\n", "a1 OK LOGIN done\r\n", "a2 OK [READ-WRITE] SELECT\r\n",
        "* 2 EXISTS\r\n", "* 0 RECENT\r\n", "* OK [UIDVALIDITY 7] x\r\n", "* OK [UIDNEXT 3] x\r\n",
        "* 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE 12 BODY[] {12}\r\nSubject: x\r\n)\r\n",
        "* SEARCH 1 2\r\n", "* ESEARCH (TAG \"a3\") UID ALL 1:2\r\n", "* LIST (\\HasNoChildren) \"/\" INBOX\r\n",
        "+ idling\r\n", "* 1 EXPUNGE\r\n", "a3 NO [TRYCREATE] no\r\n", "a4 BAD x\r\n", "* BYE\r\n", "{5}\r\n",
        "a5 OK [COPYUID 7 1 5] done\r\n", "\r\n", "NIL", "\"quoted\""};
    *tokens = kTokens;
    return std::size(kTokens);
}
