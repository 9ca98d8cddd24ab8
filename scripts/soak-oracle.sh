#!/usr/bin/env bash
# The conformance oracle (tests/test_conformance.c) at soak scale: one
# test_conformance per seed -- each runs every registered collector for
# --ops operations on that seed -- over the seeds A..B, until they or the
# time run out (no seed is started after --seconds; the ones running then
# finish).  Prints the operations and seeds covered per collector, and
# every failure with the command that replays it.  Exit status 1 if any
# seed failed, 2 on bad usage.
#
#   scripts/soak-oracle.sh [--seconds N] [--ops N] [--seeds A:B] [--jobs N] [--build DIR]
#
# --seconds 600, --ops 1000000, --seeds 1:1000000000 and --jobs 1 (seeds run
# at once) by default.  --build is the CMake build folder: build (the release
# preset), or build-debug or build-asan for heap validation or the
# sanitizers; test_conformance is built there if it is missing or out of
# date.  The logs of failed seeds are kept in BUILD/soak-oracle/.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  sed -n '/^#   scripts/p' "$0" | sed 's/^#   /usage: /' >&2
  exit 2
}
seconds=600 ops=1000000 seeds=1:1000000000 build=build jobs=1
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:-}; shift 2 || usage ;;
    --ops) ops=${2:-}; shift 2 || usage ;;
    --seeds) seeds=${2:-}; shift 2 || usage ;;
    --build) build=${2:-}; shift 2 || usage ;;
    --jobs) jobs=${2:-}; shift 2 || usage ;;
    -h | --help) usage ;;
    *) echo "soak-oracle: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ $seconds =~ ^[0-9]+$ && $ops =~ ^[1-9][0-9]*$ && $seeds =~ ^[0-9]+:[0-9]+$ && $jobs =~ ^[1-9][0-9]*$ ]] ||
  usage
first=${seeds%%:*} last=${seeds##*:}
[ "$first" -le "$last" ] || { echo "soak-oracle: --seeds A:B needs A <= B" >&2; exit 2; }

preset=${build#build-}
[ "$preset" = build ] && preset=release
if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "soak-oracle: configuring $build (cmake --preset $preset)"
  cmake --preset "$preset" >/dev/null
fi
echo "soak-oracle: building test_conformance in $build"
cmake --build "$build" -j "$(nproc)" --target test_conformance >/dev/null
bin=$build/tests/test_conformance
logs=$build/soak-oracle
mkdir -p "$logs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A col_ops col_seeds col_fail
collectors=()
failures=()
nseeds=0 total=0
start=$SECONDS
seed=$first
echo "soak-oracle: seeds $first..$last, $ops operations per collector per seed, $jobs at once, for at most $seconds s"
# account SEED LOG RC: add one finished seed to the tallies
account() {
  local seed=$1 log=$2 rc=$3 name n failed why done=0
  nseeds=$((nseeds + 1))
  # cmocka's "[ RUN      ] conformance_NAME" for each collector started
  while read -r name; do
    [ -n "${col_ops[$name]+x}" ] || { collectors+=("$name"); col_ops[$name]=0 col_seeds[$name]=0 col_fail[$name]=0; }
  done < <(sed -n 's/^\[ RUN      \] conformance_\([a-z0-9_-]*\)$/\1/p' "$log")
  # "  NAME: N ops in T s; ..." for each collector that finished its run
  while read -r name n; do
    col_ops[$name]=$((col_ops[$name] + n))
    col_seeds[$name]=$((col_seeds[$name] + 1))
    total=$((total + n))
    done=$((done + n))
  done < <(sed -n 's/^  \([a-z0-9_-]*\): \([0-9]*\) ops in .*/\1 \2/p' "$log")
  if [ "$rc" -ne 0 ]; then
    cp "$log" "$logs/seed-$seed.log"
    # "[  FAILED  ] conformance_NAME"; if the process died, the last one started
    failed=$(sed -n 's/^\[  FAILED  \] conformance_\([a-z0-9_-]*\)$/\1/p' "$log" | sort -u | tr '\n' ' ')
    [ -n "$failed" ] || failed="$(sed -n 's/^\[ RUN      \] conformance_//p' "$log" | tail -n 1) "
    for name in $failed; do
      [ -z "${col_fail[$name]+x}" ] || col_fail[$name]=$((col_fail[$name] + 1))
    done
    why=$(grep -m 1 -o 'conformance oracle: .*' "$log" || grep -m 1 -E 'ERROR|Assertion|Sanitizer' "$log" || true)
    [ -n "$why" ] || why="exit status $rc"
    failures+=("seed $seed: ${failed}-- $why")
    echo "soak-oracle: seed $seed FAILED: ${failed}(log: $logs/seed-$seed.log)"
  else
    echo "soak-oracle: seed $seed ok, $done operations ($((SECONDS - start)) s)"
  fi
}

# Up to $jobs seeds at once, each with its own log; a batch is accounted in
# seed order once all of its seeds are done.
while [ "$seed" -le "$last" ] && [ $((SECONDS - start)) -lt "$seconds" ]; do
  batch=()
  while [ ${#batch[@]} -lt "$jobs" ] && [ "$seed" -le "$last" ]; do
    (
      rc=0
      GCLAB_ORACLE_SEED=$seed GCLAB_ORACLE_OPS=$ops "$bin" >"$tmp/$seed.log" 2>&1 </dev/null || rc=$?
      echo "$rc" >"$tmp/$seed.rc"
    ) &
    batch+=("$seed")
    seed=$((seed + 1))
  done
  wait
  for s in "${batch[@]}"; do
    account "$s" "$tmp/$s.log" "$(cat "$tmp/$s.rc")"
    rm -f "$tmp/$s.log" "$tmp/$s.rc"
  done
done
elapsed=$((SECONDS - start))

echo "soak-oracle: $nseeds seeds ($first..$((seed - 1))), $ops operations per collector per seed, $elapsed s"
printf '  %-14s %8s %15s %8s\n' collector seeds operations failed
for name in "${collectors[@]}"; do
  printf '  %-14s %8d %15d %8d\n' "$name" "${col_seeds[$name]}" "${col_ops[$name]}" "${col_fail[$name]}"
done
printf '  %-14s %8d %15d %8d\n' total "$nseeds" "$total" "${#failures[@]}"
if [ ${#failures[@]} -eq 0 ]; then
  echo "soak-oracle: no failure"
  exit 0
fi
echo "soak-oracle: ${#failures[@]} failed seeds; replay one with"
echo "  GCLAB_ORACLE_SEED=SEED GCLAB_ORACLE_OPS=$ops $bin"
printf '  %s\n' "${failures[@]}"
exit 1
