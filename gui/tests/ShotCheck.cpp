// Checks a mailsim-gui screenshot: right size, not blank (many distinct colours), and the transcript was drawn:
// pixels in the client-line colour and in the server-line colour (tests/CMakeLists: gui.screenshot.check).
// usage: mailsim-gui-shotcheck PNG WIDTH HEIGHT
#include "Theme.hpp"

#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <unordered_set>

namespace {

// Text is anti-aliased: only glyph cores have exactly the text colour, the edges blend into the background.
bool near(const unsigned char* p, mailsim::gui::Rgb c) {
    return std::abs(p[0] - c.r) <= 6 && std::abs(p[1] - c.g) <= 6 && std::abs(p[2] - c.b) <= 6;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s PNG WIDTH HEIGHT\n", argv[0]);
        return 2;
    }
    const int wantW = std::atoi(argv[2]), wantH = std::atoi(argv[3]);
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
    if (!px) {
        std::fprintf(stderr, "FAIL: cannot read %s: %s\n", argv[1], stbi_failure_reason());
        return 1;
    }
    int failures = 0;
    auto check = [&](bool ok, const char* what) {
        std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
        if (!ok) ++failures;
    };
    std::printf("%s: %dx%d\n", argv[1], w, h);
    check(w == wantW && h == wantH, "size is as requested");

    std::unordered_set<unsigned> distinct;
    long client = 0, server = 0, state = 0;
    for (long i = 0; i < static_cast<long>(w) * h; ++i) {
        const unsigned char* p = px + i * 3;
        distinct.insert(static_cast<unsigned>(p[0]) << 16 | static_cast<unsigned>(p[1]) << 8 | p[2]);
        client += near(p, mailsim::gui::colors::kClient);
        server += near(p, mailsim::gui::colors::kServer);
        state += near(p, mailsim::gui::colors::kState);
    }
    stbi_image_free(px);
    std::printf("distinct colours %zu, client-colour pixels %ld, server-colour pixels %ld, state-colour pixels %ld\n",
                distinct.size(), client, server, state);
    check(distinct.size() >= 200, "not blank: at least 200 distinct colours");
    check(client >= 400, "client lines drawn: at least 400 pixels of the client colour");
    check(server >= 400, "server lines drawn: at least 400 pixels of the server colour");
    check(state >= 100, "state lines drawn: at least 100 pixels of the state colour");
    return failures == 0 ? 0 : 1;
}
