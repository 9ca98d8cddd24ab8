#!/usr/bin/env bash
# The tests on a busy machine: keeps every core busy with a spinning process
# of its own while it runs the test command twice in a row, and reports
# pass or fail for each run.  No test may depend on the machine's speed or
# load, so both runs must pass.  Exit status 1 if a run failed.
#
#   scripts/stress-test.sh [--runs N] [--load N] [-- COMMAND...]
#
# COMMAND is the README's test command, ./scripts/test.sh, by default (about
# 15 minutes a run on an idle 2-core machine, more under load); for the
# release tests alone: scripts/stress-test.sh -- ctest --preset release -j 2
# (after a release build).  --runs: 2; --load: spinning processes, nproc.
# The output of run I is in build/stress-test-I.log.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  sed -n '/^#   scripts/p' "$0" | sed 's/^#   /usage: /' >&2
  exit 2
}
runs=2 load=$(nproc)
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:-}; shift 2 || usage ;;
    --load) load=${2:-}; shift 2 || usage ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ && $load =~ ^[0-9]+$ ]] || usage
[ $# -gt 0 ] || set -- ./scripts/test.sh

# The load: busy loops at the lowest priority would barely compete, so they
# run at the tests' own priority.  Ended by their ids on any exit.
spinners=()
stop_load() {
  [ ${#spinners[@]} -eq 0 ] || kill "${spinners[@]}" 2>/dev/null || true
  [ ${#spinners[@]} -eq 0 ] || wait "${spinners[@]}" 2>/dev/null || true
  spinners=()
}
trap stop_load EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 "$load"); do
  bash -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &
  spinners+=($!)
done
echo "stress-test: $load spinning processes on $(nproc) cores; running '$*' $runs times"

mkdir -p build
results=()
failed=0
for i in $(seq 1 "$runs"); do
  log=build/stress-test-$i.log
  t0=$SECONDS
  if "$@" >"$log" 2>&1 </dev/null; then
    results+=("run $i: passed in $((SECONDS - t0)) s")
  else
    rc=$?
    failed=$((failed + 1))
    results+=("run $i: FAILED (exit status $rc) in $((SECONDS - t0)) s; log: $log")
    # ctest's and test.sh's own account of what failed
    grep -E '(\*\*\*Failed|\*\*\*Timeout|Failed  |FAILED|tests failed)' "$log" | tail -n 20 | sed 's/^/    /' || true
  fi
  echo "stress-test: ${results[-1]}"
done
stop_load
echo "stress-test: $((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
