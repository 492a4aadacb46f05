// The property check every fuzz target uses: like assert, but also in release builds, and saying which property of
// which target failed (__FILE__ names the target) before aborting, so libFuzzer and the replay runner both stop there.
// `check` is a function-like macro: include this header after every other one, so no header that uses the name
// (fmt does) is compiled with it defined.
#pragma once

#include <cstdio>
#include <cstdlib>

#define check(cond)                                                                                     \
    do {                                                                                                \
        if (!(cond)) {                                                                                  \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            std::abort();                                                                               \
        }                                                                                               \
    } while (0)
