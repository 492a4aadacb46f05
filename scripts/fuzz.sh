#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser that reads outside input (docs/security.md, "Fuzzing"), with libFuzzer and
# AddressSanitizer, using Debian 12's clang 14 (clang-14, libclang-rt-14-dev; scripts/install-deps.sh installs them).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Builds the targets in build-fuzz/ (-DMAILSIM_FUZZ=ON), then runs each TARGET (default: all) for SECONDS (default
# 60) on a working corpus in build-fuzz/corpus/<target>/, seeded from tests/fuzz/corpus/<target>/ (which is only
# read). -max_len lets the fuzzer grow inputs up to 1 MiB where size matters (DATA, MIME, the servers). A crash
# leaves its reproducer in build-fuzz/artifacts/; replay it with `build-fuzz/tests/<target> FILE`, or (GCC build)
# `build/tests/<target>_replay DIR`. Prints execs/s and coverage per target; exit status 1 when a target failed.
# New inputs worth keeping (small, new coverage) can be copied into tests/fuzz/corpus/<target>/ by hand, or with
#   build-fuzz/tests/<target> -merge=1 tests/fuzz/corpus/<target> build-fuzz/corpus/<target>
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
shift || true
ALL=(fuzz_smtp_server fuzz_pop3_server fuzz_imap_server fuzz_mime_parser fuzz_smtp_data fuzz_smtp_client
     fuzz_pop3_client fuzz_imap_client fuzz_header_fields fuzz_mutf7 fuzz_scenario_loader fuzz_live_trace
     fuzz_mta_queue_file fuzz_serve_ready)
TARGETS=("$@")
[[ ${#TARGETS[@]} -eq 0 ]] && TARGETS=("${ALL[@]}")

CC="${CC:-$(command -v clang-14 || command -v clang)}"
CXX="${CXX:-$(command -v clang++-14 || command -v clang++)}"
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAILSIM_FUZZ=ON -DMAILSIM_BUILD_GUI=OFF \
      -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" "${LAUNCHER[@]}" >/dev/null
cmake --build build-fuzz -j"${JOBS:-2}" --target "${TARGETS[@]}"

max_len() {
  case "$1" in
    fuzz_smtp_data|fuzz_smtp_server|fuzz_pop3_server|fuzz_imap_server|fuzz_mime_parser) echo 1048576 ;;
    fuzz_scenario_loader) echo 262144 ;;
    *) echo 65536 ;;
  esac
}

mkdir -p build-fuzz/artifacts build-fuzz/logs
failed=0
summary=()
for t in "${TARGETS[@]}"; do
  work="build-fuzz/corpus/$t"
  mkdir -p "$work"
  log="build-fuzz/logs/$t.log"
  echo "== $t: ${SECONDS_EACH}s, -max_len=$(max_len "$t")"
  # Run from build-fuzz/ so scratch files (the live-trace target's file) stay in the build tree.
  if (cd build-fuzz && ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" "tests/$t" "corpus/$t" "../tests/fuzz/corpus/$t" \
        -max_total_time="$SECONDS_EACH" -max_len="$(max_len "$t")" -len_control=20 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="artifacts/$t-") >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed=1
  fi
  execs=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -oE '(DONE|pulse|NEW|REDUCE|INITED) +cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo "?")
  units=$(find "$work" -type f | wc -l)
  line=$(printf '%-22s %-6s %8s execs/s  %-22s corpus %s' "$t" "$status" "$execs" "$cov" "$units")
  echo "$line"
  [[ $status == ok ]] || { grep -E 'ERROR|check failed|SUMMARY' "$log" | head -5; echo "   log: $log"; }
  summary+=("$line")
done
echo
echo "target                 status    execs/s  coverage (edges, features)  corpus files"
printf '%s\n' "${summary[@]}"
exit "$failed"
