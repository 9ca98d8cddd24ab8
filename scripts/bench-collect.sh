#!/usr/bin/env bash
# scripts/bench-collect.sh -- full-collection cost, gclab against this machine's
# CPython, on the same heap shapes, in one run.
#
#   (a) live    l = [[] for _ in range(N)]; one settling collection, then a full
#               collection timed R times (nothing collected)
#   (b) cycles  N/2 times: a = []; b = [a]; a.append(b), all dropped; a full
#               collection timed (returns N: all collected, freeing included)
#   alloc+free  an empty list created and freed, against malloc/free of the
#               same byte size (gclab only; CPython is not involved)
#
# Both sides: automatic collection off (gclab_disable / gc.disable()), median
# and min of R repetitions, CLOCK_MONOTONIC (time.perf_counter_ns in Python).
# The gclab and Python processes alternate for K rounds; the figure reported
# is the median over the rounds of each round's median, and the min of mins.
#
# Targets (from the issue): collection <= 0.5x CPython; alloc+free <= 1.5x
# malloc/free.  A benchmark, not a test: exits 0 even when a target is missed.
#
# usage: scripts/bench-collect.sh [-n N] [-r R] [-k K] [--no-build]
set -euo pipefail

N=1000000
R=5
K=3
BUILD=1
usage() {
    sed -n '/^# usage:/s/^# //p' "$0"
    echo "  -n N  objects per shape (default $N); -r R  repetitions per process (default $R)"
    echo "  -k K  rounds, alternating gclab and Python processes (default $K)"
    echo "  --no-build  use build/bench-collect as it is"
}
while [ $# -gt 0 ]; do
    case "$1" in
        -n) N="$2"; shift 2 ;;
        -r) R="$2"; shift 2 ;;
        -k) K="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench-collect.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH=build/bench-collect
PY=${PYTHON:-python3}

if [ "$BUILD" = 1 ]; then
    log=$(mktemp)
    if { [ -f build/CMakeCache.txt ] || cmake --preset release; } >"$log" 2>&1 &&
        cmake --build --preset release --target bench-collect gclab-cli >>"$log" 2>&1; then
        rm -f "$log"
    else
        cat "$log" >&2; rm -f "$log"
        echo "bench-collect.sh: build failed" >&2
        exit 1
    fi
fi
[ -x "$BENCH" ] || { echo "bench-collect.sh: $BENCH missing (run without --no-build)" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The CPython side: the same shapes, timed the same way.  Prints metric,value,unit.
cat >"$TMP/cpython.py" <<'PY'
import gc, statistics, sys, time

N, R = int(sys.argv[1]), int(sys.argv[2])
gc.disable()
clock = time.perf_counter_ns  # CLOCK_MONOTONIC on Linux

def live():
    l = [[] for _ in range(N)]  # the outer list first, then N empty lists
    gc.collect()                # settle
    ts = []
    for _ in range(R):
        t0 = clock()
        got = gc.collect()
        ts.append((clock() - t0) / N)
        assert got == 0, f"live: gc.collect() returned {got}, expected 0"
    assert len(l) == N
    del l
    gc.collect()
    return ts

def cycles():
    gc.collect()                # settle: an empty set to start from
    ts = []
    for _ in range(R):
        for _ in range(N // 2):
            a = []; b = [a]; a.append(b)
        del a, b
        t0 = clock()
        got = gc.collect()
        ts.append((clock() - t0) / N)
        assert got == N // 2 * 2, f"cycles: gc.collect() returned {got}, expected {N // 2 * 2}"
    return ts

for name, ts in (("live", live()), ("cycles", cycles())):
    print(f"{name}_collect_median,{statistics.median(ts):.3f},ns/obj")
    print(f"{name}_collect_min,{min(ts):.3f},ns/obj")
PY

echo "gclab/CPython full-collection benchmark: N=$N, R=$R repetitions per process, K=$K rounds"
echo "gclab:   $(./build/gclab --version)"
# bench-collect makes its heaps with gclab_heap_new("generational", NULL):
# the default configuration, so the default version profile.
echo "profile: $(./build/gclab list | sed -n 's/^ *profile=\([^ ]*\) .*/\1/p' | head -1) (generational's default; ideal is the rules alone)"
echo "CPython: $($PY -c 'import sys; print(sys.version.split()[0], sys.executable)')"
echo "machine: $(uname -srm), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo

for k in $(seq 1 "$K"); do
    # Alternate which side goes first, so drift hits both.
    if [ $((k % 2)) = 1 ]; then
        "$BENCH" --csv -n "$N" -r "$R" >"$TMP/gclab.$k"
        "$PY" "$TMP/cpython.py" "$N" "$R" >"$TMP/cpython.$k"
    else
        "$PY" "$TMP/cpython.py" "$N" "$R" >"$TMP/cpython.$k"
        "$BENCH" --csv -n "$N" -r "$R" >"$TMP/gclab.$k"
    fi
    echo "round $k/$K: gclab live $(sed -n 's/^live_collect_median,\([^,]*\),.*/\1/p' "$TMP/gclab.$k")," \
         "cycles $(sed -n 's/^cycles_collect_median,\([^,]*\),.*/\1/p' "$TMP/gclab.$k") ns/obj;" \
         "CPython live $(sed -n 's/^live_collect_median,\([^,]*\),.*/\1/p' "$TMP/cpython.$k")," \
         "cycles $(sed -n 's/^cycles_collect_median,\([^,]*\),.*/\1/p' "$TMP/cpython.$k") ns/obj"
done
echo

"$PY" - "$TMP" "$K" <<'PY'
import statistics, sys

tmp, K = sys.argv[1], int(sys.argv[2])

def load(side):
    rounds = []
    for k in range(1, K + 1):
        d = {}
        for line in open(f"{tmp}/{side}.{k}"):
            name, value, _unit = line.strip().split(",")
            d[name] = float(value)
        rounds.append(d)
    return rounds

g, p = load("gclab"), load("cpython")
med = lambda rs, m: statistics.median(r[m] for r in rs)  # median of the rounds' medians
low = lambda rs, m: min(r[m] for r in rs)                 # min of the rounds' mins
verdict = lambda ratio, target: "PASS" if ratio <= target else "MISS"
csv = []

print(f"{'shape (full collection)':<28} {'gclab ns/obj':>14} {'CPython ns/obj':>16} "
      f"{'gclab/CPython':>14} {'target':>7}  result")
for shape, label in (("live", "(a) 1M live lists"), ("cycles", "(b) 1M objs in 2-cycles")):
    gm, pm = med(g, f"{shape}_collect_median"), med(p, f"{shape}_collect_median")
    gl, pl = low(g, f"{shape}_collect_min"), low(p, f"{shape}_collect_min")
    ratio = gm / pm
    v = verdict(ratio, 0.5)
    print(f"{label:<28} {gm:>14.2f} {pm:>16.2f} {ratio:>13.2f}x {'<=0.5x':>7}  {v}")
    print(f"{'  min':<28} {gl:>14.2f} {pl:>16.2f} {gl / pl:>13.2f}x")
    csv += [f"{shape}_gclab,{gm:.3f},ns/obj", f"{shape}_cpython,{pm:.3f},ns/obj",
            f"{shape}_ratio,{ratio:.3f},x", f"{shape}_result,{v},"]

size = int(g[0]["list_bytes"])
batch = int(g[0]["alloc_free_batch_size"])
print()
print(f"{'alloc+free, empty list':<28} {'gclab ns/obj':>14} {'malloc/free ns':>16} "
      f"{'gclab/malloc':>14} {'target':>7}  result   (malloc/free of {size} bytes)")
for pat, label in (("single", "one at a time"), ("batch", f"batches of {batch}")):
    gm = med(g, f"alloc_free_{pat}_gclab_median")
    mm = med(g, f"alloc_free_{pat}_malloc_median")
    ratio = gm / mm
    v = verdict(ratio, 1.5)
    print(f"{label:<28} {gm:>14.2f} {mm:>16.2f} {ratio:>13.2f}x {'<=1.5x':>7}  {v}")
    csv += [f"alloc_free_{pat}_gclab,{gm:.3f},ns/obj", f"alloc_free_{pat}_malloc,{mm:.3f},ns/obj",
            f"alloc_free_{pat}_ratio,{ratio:.3f},x", f"alloc_free_{pat}_result,{v},"]

print()
print("metric,value,unit")
print("\n".join(csv))
misses = sum(line.endswith(",MISS,") for line in csv)
print()
print(f"{misses} target(s) MISSED" if misses else "all targets met")
PY
exit 0
