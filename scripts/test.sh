#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 clone: installs what is missing, builds everything with
# AddressSanitizer and UndefinedBehaviorSanitizer in build-test/, and runs every test (unit, scenario dialogue,
# interop with python3/curl on 127.0.0.1, GUI screenshot under Xvfb). Exit status 0 only when all pass.
#   ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# -Werror (MAILSIM_WERROR): the tree compiles without a warning under -Wall -Wextra -Wshadow -Wpedantic
# -Wnon-virtual-dtor -Wold-style-cast; a new one fails the test build.
# ccache, when installed, only speeds up a second build of the same tree; CI works without it.
launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DMAILSIM_SANITIZE=ON -DMAILSIM_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build build-test -j2
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The TLS tests' classroom CA lives in the build tree, not in the user's home (created on first use, shared by the
# tests of this run under a lock).
export MAILSIM_CA_DIR="${MAILSIM_CA_DIR:-$PWD/build-test/classroom-ca}"
ctest --test-dir build-test --output-on-failure -j2 --timeout 300
