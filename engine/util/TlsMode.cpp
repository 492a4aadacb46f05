#include "util/TlsMode.hpp"

#include <fmt/format.h>

namespace mailsim::util {

void noteDiscardedPlaintext(trace::Recorder& rec, std::size_t count, trace::Micros now, trace::EventId cause,
                            std::string_view verb, std::string_view reply) {
    const bool server = reply.empty();
    if (count == 0) return;
    trace::Explanation x{.id = server ? trace::NoteId::DiscardedPlaintextServer : trace::NoteId::DiscardedPlaintextClient,
                         .numbers = {count}};
    if (server) x.names = {std::string(verb)};
    else x.names = {std::string(reply), std::string(verb)};
    rec.explain(now, std::move(x), cause);
}

}  // namespace mailsim::util
