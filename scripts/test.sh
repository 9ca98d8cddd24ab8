#!/usr/bin/env bash
# Install what is missing, then build and run every test twice: the release
# build, and the ASan + UBSan build; then fuzz the trace parser and the suite
# parser for a bounded time each (GCLAB_FUZZ_SECONDS, default 60 each).  Fails
# on the first failing test or the first crash, leak, hang or sanitizer report.
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
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target fuzz_trace fuzz_suite
# New inputs go to a temporary copy; the committed corpora are only read.  A
# crashing input is kept in build-fuzz/artifacts/NAME-.
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir -p build-fuzz/artifacts

# fuzz NAME WHAT MAX_LEN CORPUS...: run build-fuzz/tests/fuzz_NAME for
# fuzz_seconds with tests/fuzz/NAME.dict, standard input from /dev/null.
fuzz() {
  local name=$1 what=$2 max_len=$3
  shift 3
  local log=build-fuzz/fuzz-$name.log
  echo "== fuzz: $what, ${fuzz_seconds} s"
  mkdir -p "$corpus/$name"
  if ./build-fuzz/tests/fuzz_"$name" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len="$max_len" -dict=tests/fuzz/"$name".dict -artifact_prefix=build-fuzz/artifacts/"$name"- \
    -print_final_stats=1 "$corpus/$name" "$@" </dev/null >"$log" 2>&1; then
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
    echo "fuzz $name: no crash, leak, hang or sanitizer report in ${fuzz_seconds} s (full log: $log)"
  else
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|INITED)' "$log" | tail -n 60 # the report, not progress
    echo "fuzz $name: FAILED; the input is in build-fuzz/artifacts/$name-*" >&2
    exit 1
  fi
}
fuzz trace "the trace parser and replay" 8192 tests/fuzz/trace-corpus workloads/traces
# 4096 bytes: a suite file of several entries; see tests/fuzz_suite.c for
# what keeps its inputs from reading devices or large files.
fuzz suite "the suite parser, schedule and run commands" 4096 tests/fuzz/suite-corpus suites
