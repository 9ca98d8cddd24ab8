#!/usr/bin/env bash
# Install what is missing, then build and run every test twice: the release
# build, and the ASan + UBSan build; then fuzz the trace parser for a bounded
# time (GCLAB_FUZZ_SECONDS, default 60).  Fails on the first failing test or
# the first crash, leak or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
jobs=$(nproc)
for preset in release asan; do
  echo "== $preset: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
done

fuzz_seconds=${GCLAB_FUZZ_SECONDS:-60}
echo "== fuzz: the trace parser and replay, ${fuzz_seconds} s"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target fuzz_trace
# New inputs go to a temporary copy; the committed corpus is only read.  A
# crashing input is kept in build-fuzz/artifacts/.
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir -p build-fuzz/artifacts
log=build-fuzz/fuzz.log
if ./build-fuzz/tests/fuzz_trace -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 -max_len=8192 \
  -dict=tests/fuzz/trace.dict -artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1 \
  "$corpus" tests/fuzz/trace-corpus workloads/traces >"$log" 2>&1; then
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  echo "fuzz: no crash, leak or sanitizer report in ${fuzz_seconds} s (full log: $log)"
else
  tail -n 60 "$log"
  echo "fuzz: FAILED; the input is in build-fuzz/artifacts/" >&2
  exit 1
fi
