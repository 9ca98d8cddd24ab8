#!/usr/bin/env bash
# scripts/bench-overhead.sh -- what recording every collection costs.
#
# 1. Throughput: seed-cycles at CPython's default thresholds (about 100,000
#    collections), with full recording and with --no-record, alternating,
#    K times each; prints the median throughput ratio (target: within 2%).
# 2. Per collection: 1,000,000 collections of a nearly empty heap
#    (collect_every=1), with and without recording, alternating; the wall
#    time difference divided by the collections is what recording one
#    collection costs (target: under 100 ns).
# 3. With valgrind, the instructions recording adds per collection
#    (callgrind, measured region only): exact and repeatable.
# A benchmark, not a test: exits 0 whether or not a target is met.
#
# usage: scripts/bench-overhead.sh [-k K] [-n CYCLES] [--no-callgrind]
set -euo pipefail
K=9
N=70000000          # cycles: one container each, threshold 700: ~100,000 collections
CALLGRIND=1
while [ $# -gt 0 ]; do
  case "$1" in
    -k) K=$2; shift 2 ;;
    -n) N=$2; shift 2 ;;
    --no-callgrind) CALLGRIND=0; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-overhead.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
[ -f build/CMakeCache.txt ] || cmake --preset release >/dev/null
cmake --build --preset release --target gclab-cli >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run=(./build/gclab run -c generational -w seed-cycles -p kind=instance -q)

echo "gclab $(./build/gclab --version | cut -d' ' -f2-), K=$K alternations"
tiny=(-p count=1000000 -p collect_every=1)
for k in $(seq 1 "$K"); do
  "${run[@]}" -p count="$N" -o "$tmp/rec" 2>/dev/null
  "${run[@]}" -p count="$N" --no-record -o "$tmp/norec" 2>/dev/null
  "${run[@]}" "${tiny[@]}" -o "$tmp/tinyrec" 2>/dev/null
  "${run[@]}" "${tiny[@]}" --no-record -o "$tmp/tinynorec" 2>/dev/null
done

python3 - "$tmp" "$N" <<'PY'
import csv, statistics, sys
tmp, n = sys.argv[1], int(sys.argv[2])
def rows(name):
    return list(csv.DictReader(open(f"{tmp}/{name}/runs.csv", newline="")))
med = lambda rs, c: statistics.median(float(r[c]) for r in rs)
spread = lambda rs: (max(float(r["ops_per_s"]) for r in rs) / min(float(r["ops_per_s"]) for r in rs) - 1) * 100
rec, norec = rows("rec"), rows("norec")
# Each alternation's pair ran back to back: the median of the pairs' ratios
# cancels drift that hits neighbouring runs alike.
pairs = sorted(float(a["ops_per_s"]) / float(b["ops_per_s"]) for a, b in zip(rec, norec))
ratio = statistics.median(pairs)
print(f"1. seed-cycles kind=instance count={n}, thresholds 700,10,10: {med(rec, 'collections'):,.0f} collections")
print(f"   recorded      {med(rec, 'ops_per_s') / 1e6:8.3f} M cycles/s (spread {spread(rec):.1f}%)")
print(f"   not recorded  {med(norec, 'ops_per_s') / 1e6:8.3f} M cycles/s (spread {spread(norec):.1f}%)")
print(f"   ratio         {ratio:8.4f}   (median of {len(pairs)} back-to-back pairs; range {pairs[0]:.3f}..{pairs[-1]:.3f})"
      f"   target >= 0.98   {'PASS' if ratio >= 0.98 else 'MISS'}")
trec, tnorec = rows("tinyrec"), rows("tinynorec")
c = med(trec, "collections")
per = (med(trec, "wall_ns") - med(tnorec, "wall_ns")) / c
print(f"2. {c:,.0f} collections of a nearly empty heap (collect_every=1)")
print(f"   recorded      {med(trec, 'wall_ns') / c:8.1f} ns per collection")
print(f"   not recorded  {med(tnorec, 'wall_ns') / c:8.1f} ns per collection")
print(f"   recording adds {per:6.1f} ns per collection   target < 100 ns   {'PASS' if per < 100 else 'MISS'}")
PY
if [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null; then
  for mode in rec norec; do
    flag=""; [ $mode = norec ] && flag=--no-record
    valgrind --tool=callgrind --toggle-collect=run_once --callgrind-out-file="$tmp/cg.$mode" \
      "${run[@]}" -p count=100000 -p collect_every=1 $flag \
      --sample-ms 0 -o "$tmp/cg$mode" >/dev/null 2>"$tmp/cg.$mode.log"
  done
  python3 - "$tmp" <<'PY'
import csv, re, sys
tmp = sys.argv[1]
def total(mode):
    return int(re.search(r"Collected : (\d+)", open(f"{tmp}/cg.{mode}.log").read()).group(1))
colls = int(next(csv.DictReader(open(f"{tmp}/cgrec/runs.csv", newline="")))["collections"])
extra = (total("rec") - total("norec")) / colls
print(f"3. callgrind, measured region only, {colls:,} collections: recording adds {extra:.0f} instructions per collection")
PY
fi
