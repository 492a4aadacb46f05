// Checks a mailsim-gui screenshot: right size, not blank (many distinct colours), and what the panel under test
// must have drawn, as counts of pixels in the theme's colours (gui/CMakeLists.txt: the gui.screenshot.* tests).
// usage: mailsim-gui-shotcheck PNG WIDTH HEIGHT [COLOUR>=MIN ...]
//   COLOUR: client, server, state, store, accent, heading, error, connection, lineend, relay, queued, dns, tls,
//   tablehead, noteband, cursorrow. Without any, the transcript default:
//   client>=400 server>=400 state>=100.
#include "Theme.hpp"

#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

// Text is anti-aliased: only glyph cores have exactly the text colour, the edges blend into the background.
bool near(const unsigned char* p, mailsim::gui::Rgb c) {
    return std::abs(p[0] - c.r) <= 6 && std::abs(p[1] - c.g) <= 6 && std::abs(p[2] - c.b) <= 6;
}

bool colourByName(const std::string& name, mailsim::gui::Rgb& out) {
    namespace c = mailsim::gui::colors;
    if (name == "client") out = c::kClient;
    else if (name == "server") out = c::kServer;
    else if (name == "state") out = c::kState;
    else if (name == "store") out = c::kStore;
    else if (name == "accent") out = c::kAccent;
    else if (name == "heading") out = c::kHeading;
    else if (name == "error") out = c::kError;
    else if (name == "connection") out = c::kConnection;
    else if (name == "lineend") out = c::kLineEnd;
    else if (name == "relay") out = c::kRelay;
    else if (name == "dns") out = c::kDns;
    else if (name == "queued") out = c::kQueued;
    else if (name == "tls") out = c::kTls;
    else if (name == "tablehead") out = c::kTableHead;
    else if (name == "noteband") out = c::kNoteBand;
    else if (name == "cursorrow") out = c::kCursorRow;
    else return false;
    return true;
}

struct Expect {
    std::string name;
    mailsim::gui::Rgb colour;
    long min;
    long count = 0;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s PNG WIDTH HEIGHT [COLOUR>=MIN ...]\n", argv[0]);
        return 2;
    }
    std::vector<Expect> expects;
    for (int i = 4; i < argc; ++i) {
        const char* ge = std::strstr(argv[i], ">=");
        Expect e;
        if (!ge || !colourByName(std::string(argv[i], static_cast<std::size_t>(ge - argv[i])), e.colour)) {
            std::fprintf(stderr, "bad expectation '%s' (want e.g. client>=400)\n", argv[i]);
            return 2;
        }
        e.name = std::string(argv[i], static_cast<std::size_t>(ge - argv[i]));
        e.min = std::atol(ge + 2);
        expects.push_back(e);
    }
    if (expects.empty()) {
        namespace c = mailsim::gui::colors;
        expects = {{"client", c::kClient, 400}, {"server", c::kServer, 400}, {"state", c::kState, 100}};
    }
    const int wantW = std::atoi(argv[2]), wantH = std::atoi(argv[3]);
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
    if (!px) {
        std::fprintf(stderr, "FAIL: cannot read %s: %s\n", argv[1], stbi_failure_reason());
        return 1;
    }
    int failures = 0;
    auto check = [&](bool ok, const std::string& what) {
        std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what.c_str());
        if (!ok) ++failures;
    };
    std::printf("%s: %dx%d\n", argv[1], w, h);
    check(w == wantW && h == wantH, "size is as requested");

    std::unordered_set<unsigned> distinct;
    for (long i = 0; i < static_cast<long>(w) * h; ++i) {
        const unsigned char* p = px + i * 3;
        distinct.insert(static_cast<unsigned>(p[0]) << 16 | static_cast<unsigned>(p[1]) << 8 | p[2]);
        for (auto& e : expects) e.count += near(p, e.colour);
    }
    stbi_image_free(px);
    std::printf("distinct colours %zu\n", distinct.size());
    check(distinct.size() >= 200, "not blank: at least 200 distinct colours");
    for (const auto& e : expects)
        check(e.count >= e.min, e.name + " drawn: " + std::to_string(e.count) + " pixels, at least " +
                                    std::to_string(e.min) + " wanted");
    return failures == 0 ? 0 : 1;
}
