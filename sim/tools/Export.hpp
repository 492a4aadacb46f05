// Exporters of a trace for tools outside mailsim: a packet capture for Wireshark/tshark, and sequence diagrams for
// slides (Mermaid text and SVG).
#pragma once

#include "i18n/Lang.hpp"
#include "trace/Trace.hpp"

#include <string>

namespace mailsim::sim {

// A classic libpcap file (LINKTYPE_ETHERNET, microsecond timestamps) holding, for each session, a TCP connection
// synthesised from the trace: the three-way handshake when the connection opened, one segment per protocol line
// with its exact raw bytes (each acknowledged by the peer), and the FIN exchange when it closed. Sequence numbers,
// IPv4 header and TCP checksums are real, so Wireshark decodes SMTP on any port ("Decode As" for unusual ones).
// Sessions without recorded endpoints get made-up ones in 10.255.0.0/16 (say so in the capture's consumer).
std::string exportPcap(const trace::Trace& trace);

// A Mermaid `sequenceDiagram` of the C:/S: lines, state changes as notes over the server, mailbox changes as notes
// in `lang` (the lines as they were sent).
std::string exportMermaid(const trace::Trace& trace, const std::string& title = {}, i18n::Lang lang = i18n::Lang::En);

// A standalone SVG sequence diagram (one lane per endpoint, one arrow per line, state changes as labels).
std::string exportSvg(const trace::Trace& trace, const std::string& title = {});

}  // namespace mailsim::sim
