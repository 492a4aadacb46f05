// mailsim: the command-line program. See `mailsim help`.
#include "Cli.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr const char* kUsage = R"(mailsim - a laboratory for e-mail protocols

usage:
  mailsim run FILE [--format text|json] [--times] [--seed N] [--until CHECKPOINT] [--lang en|zh]
      Runs a scenario headless and prints its transcript (S:/C: lines with state changes);
      --until stops the transcript at the named checkpoint (a '- checkpoint: NAME' step); --lang the language
      of the annotations (default from LC_ALL/LC_MESSAGES/LANG; protocol lines are never translated).
      Exit status: 0 every expectation held, 1 an expectation failed, 2 the file is unusable.
  mailsim predict FILE [--answers A,B,...] [--states] [--seed N]
      Predict mode: prints the transcript and, before each server reply (SMTP code, POP3 +OK/-ERR, IMAP
      OK/NO/BAD), asks for your guess on stdin; says right or wrong with the reply catalogue's explanation and
      prints the score. --answers gives the guesses up front (checks a key); --states asks state changes too.
      The end of stdin ends the quiz with the score so far.
  mailsim serve --smtp ADDR:PORT --maildir DIR [--user ADDRESS:PASSWORD]... [--strict] [--domain NAME]
                [--idle-timeout SECONDS] [--trace-out FILE]
      Runs the SMTP server on a real socket (port 0 picks a free port), storing mail in DIR (Maildir),
      and prints the trace live. Without --user it serves mike@cesoo.com and rose@cesoo.com.
      --trace-out FILE also writes every trace event as a JSON line, for `mailsim-gui --attach FILE`.
      SIGINT/SIGTERM: idle sessions get 421, open transactions may finish (5 s), exit 0.
  mailsim serve --config SCENARIO.yaml --maildir DIR [--port-offset N] [--bind ADDR] [--no-tls]
                [--allow-plaintext-auth] [--ca-dir DIR]
      Runs every host of a scenario network on real ports: host n on 127.0.0.(n+1) with the scenario's ports
      + N (default 10000; --bind ADDR: all on ADDR, host n's ports + N + n*100), mail in DIR/<host>/, relaying
      between the hosts over real TCP through the scenario's MX records with a durable queue in
      DIR/<host>/queue/. Prints 'listening HOST SERVICE ADDR:PORT' per listener (`mailsim serve` alone prints every option).
  mailsim export FILE [--pcap OUT] [--mermaid OUT] [--svg OUT] [--json OUT] [--text OUT]
      Runs a scenario headless and writes its trace: a packet capture for Wireshark/tshark (synthesised
      Ethernet/IPv4/TCP around the exact bytes), a sequence diagram for slides (Mermaid text or SVG), JSON, text.
  mailsim check [FILE|DIR]...
      Validates scenario files without running them (default: scenarios/). Exit 0 all valid, 2 otherwise;
      every problem is printed as file:line:col: message. Files in a directory named 'networks' are
      network files for 'include:' and are checked as such.
  mailsim new NAME
      Writes NAME.yaml, a commented starter scenario to edit.
  mailsim sandbox FILE [--fresh] [--connect HOST[:PORT]] [--protocol P] [--save OUT]
      The scenario's network, live: type raw commands to any of its servers, telnet-style (/help lists the
      sandbox commands); the answers, state changes and mailbox changes are printed as they happen.
  mailsim record FILE --out OUT [sandbox options]
  mailsim record --from-trace TRACE.jsonl --out OUT
      The sandbox, saving what was typed as a scenario (each line with the reply it got as its expectation);
      or the sessions real clients had with `mailsim serve --trace-out TRACE.jsonl`, turned into a scenario.
  mailsim ca export [FILE] [--dir DIR]
      Writes the classroom CA certificate (created on first use) for students to trust in their mail clients.
  mailsim help
)";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        std::fputs(kUsage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    std::string cmd = args[0];
    std::span<const std::string> rest(args.data() + 1, args.size() - 1);
    if (cmd == "run") return mailsim::sim::runMain(rest);
    if (cmd == "predict") return mailsim::sim::predictMain(rest);
    if (cmd == "serve") return mailsim::sim::serveMain(rest);
    if (cmd == "export") return mailsim::sim::exportMain(rest);
    if (cmd == "check") return mailsim::sim::checkMain(rest);
    if (cmd == "ca") return mailsim::sim::caMain(rest);
    if (cmd == "sandbox") return mailsim::sim::sandboxMain(rest);
    if (cmd == "record") return mailsim::sim::recordMain(rest);
    if (cmd == "new") return mailsim::sim::newMain(rest);
    std::fprintf(stderr, "mailsim: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
    return 2;
}
