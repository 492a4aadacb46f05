// `mailsim serve --config SCENARIO.yaml`: every host of a scenario network on real sockets (ServeConfig.cpp).
#pragma once

#include <span>
#include <string>

namespace mailsim::store {
class MaildirStore;
}

namespace mailsim::sim {

// The --config part of the usage text (printed after the single-host options).
extern const char* const kServeConfigUsage;
// `args` are serve's arguments, --config among them; `usage` is serve's usage text with one %s for kServeConfigUsage.
int serveConfigMain(std::span<const std::string> args, const char* usage);

class LiveTraceWriter;
// --trace-out PATH for both forms of serve: PATH "-" writes the JSON lines to stdout, and from then on the
// human-readable trace and the 'listening' lines (which the loop prints on stdout) go to stderr, so that stdout
// carries JSON only. False with `error` set when PATH cannot be written.
bool openTraceOut(LiveTraceWriter& writer, const std::string& path, std::string& error);
// Warns on stderr when the Maildir root `dir`, or a folder inside it (users' tmp/new/cur, up to a few levels), cannot
// be written: its mode has no write permission, or access(2) refuses it. Mail delivered there and flags set by
// IMAP STORE would fail. Serve still starts (reading mail from a read-only copy is a valid use).
void warnIfReadOnly(const std::string& dir);
// Turns on the store's delivery journal (store/maildir/DeliveryJournal.hpp: a 250 after one durable write), replaying
// what a crash left in it; says on stderr what the replay redid. Where it cannot be used (a read-only Maildir, a
// damaged journal) it says why and the store stays without it: every delivery then fsyncs before its 250.
void useDeliveryJournal(store::MaildirStore& store);

}  // namespace mailsim::sim
