// `mailsim serve --config SCENARIO.yaml`: every host of a scenario network on real sockets (ServeConfig.cpp).
#pragma once

#include "i18n/Lang.hpp"

#include <span>
#include <string>

namespace mailsim::store {
class MaildirStore;
}

namespace mailsim::sim {

// `args` are serve's arguments, --config among them (a `--lang` among them has been checked by the caller and is
// skipped); every message is in `lang`. The usage text of this form is ServeText::UsageConfig.
int serveConfigMain(std::span<const std::string> args, i18n::Lang lang);

class LiveTraceWriter;
// --trace-out PATH for both forms of serve: PATH "-" writes the JSON lines to stdout, and from then on the
// human-readable trace and the 'listening' lines (which serve prints on stdout) go to stderr, so that stdout
// carries JSON only. False with `error` set (in `lang`) when PATH cannot be written.
bool openTraceOut(LiveTraceWriter& writer, const std::string& path, std::string& error, i18n::Lang lang);
// Warns on stderr when the Maildir root `dir`, or a folder inside it (users' tmp/new/cur, up to a few levels), cannot
// be written: its mode has no write permission, or access(2) refuses it. Mail delivered there and flags set by
// IMAP STORE would fail. Serve still starts (reading mail from a read-only copy is a valid use). In `lang`.
void warnIfReadOnly(const std::string& dir, i18n::Lang lang);
// Turns on the store's delivery journal (sim/store/maildir/DeliveryJournal.hpp: a 250 after one durable write), replaying
// what a crash left in it; says on stderr what the replay redid. Where it cannot be used (a read-only Maildir, a
// damaged journal) it says why and the store stays without it: every delivery then fsyncs before its 250.
void useDeliveryJournal(store::MaildirStore& store, i18n::Lang lang);

}  // namespace mailsim::sim
