#!/usr/bin/env bash
# scripts/compare-strategies.sh -- the strategies people deploy, side by side.
#
# 1. prefork (a pre-fork server, 2 workers sharing the parent's heap):
#    generational (defaults), disabled (Instagram: set_threshold(0), no exit
#    collection), generational with freeze before fork, and freeze +
#    immortal (PEP 683).  Shared memory
#    per worker at its start and end, what copy-on-write copied, Pss total,
#    throughput and request latency.
# 2. web (a Django-like request loop): generational against manual-time at
#    several intervals and manual-event (generation 0 at every request end,
#    a full collection at every 1000th).  A full collection of web's 50 MB
#    app takes ~26 ms here, so a full one per request would run for minutes.
#    Request latency p99 / max, peak RSS, peak outstanding garbage,
#    throughput.
# Writes every run under results/strategies-<time>/ and prints the tables
# that docs/strategies.md reproduces.
#
# usage: scripts/compare-strategies.sh [-s SCALE]   (SCALE multiplies the request counts, default 1)
set -euo pipefail
scale=1
while [ $# -gt 0 ]; do
  case "$1" in
    -s) scale=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-strategies.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
[ -f build/CMakeCache.txt ] || cmake --preset release >/dev/null
cmake --build --preset release --target gclab-cli >/dev/null
out=results/strategies-$(date +%Y%m%d-%H%M%S)
echo "gclab $(./build/gclab --version | cut -d' ' -f2-); results in $out"

pf=(-w prefork -p live_mb=200 -p workers=2 -p requests=$((4000 * scale)) -q)
./build/gclab run -c generational "${pf[@]}" -o "$out/prefork" 2>/dev/null
./build/gclab run -c disabled -p exit=skip "${pf[@]}" -o "$out/prefork" 2>/dev/null
./build/gclab run -c generational -p freeze=prefork "${pf[@]}" -o "$out/prefork" 2>/dev/null
./build/gclab run -c generational -p freeze=prefork -p immortal=true "${pf[@]}" -o "$out/prefork" 2>/dev/null

web=(-w web -p requests=$((30000 * scale)) -q)
./build/gclab run -c generational "${web[@]}" -o "$out/web" 2>/dev/null
for ms in 10 100 1000; do
  ./build/gclab run -c manual-time -p interval_ms=$ms "${web[@]}" -o "$out/web" 2>/dev/null
done
./build/gclab run -c manual-event -p every=1 -p generation=0 "${web[@]}" -o "$out/web" 2>/dev/null
./build/gclab run -c manual-event -p every=1000 "${web[@]}" -o "$out/web" 2>/dev/null

python3 - "$out" <<'PY'
import csv, json, sys
out = sys.argv[1]
def rows(path):
    return list(csv.DictReader(open(path, newline="")))
def label(run, meta):
    p = {k: v for k, v in meta["collector_params"].items()}
    c = run["collector"]
    if c == "generational" and p.get("freeze") != "never":
        return f"generational, freeze={p['freeze']}" + (", immortal" if p.get("immortal") else "")
    if c == "disabled": return f"disabled, exit={p['exit']}"
    if c == "manual-time": return f"manual-time, every {p['interval_ms']} ms"
    if c == "manual-event": return f"manual-event, gen {p['generation']} every {p['every']} request(s)"
    return c
mib = lambda b: "NA" if b in ("NA", "") else f"{int(b) / 1048576:.1f}"
us = lambda n: "NA" if n in ("NA", "") else f"{int(n) / 1000:.1f}"

meta = {m["run_id"]: m for m in json.load(open(f"{out}/prefork/meta.json"))["runs"]}
workers = rows(f"{out}/prefork/workers.csv")
print("\n## prefork: 200 MB app, 2 workers, 4000 requests each\n")
print("| strategy | shared at start (MiB/worker) | shared at end (MiB/worker) | copied (MiB, all workers) | Pss total (MiB) | requests/s | p99 (us) | max (us) |")
print("|---|---|---|---|---|---|---|---|")
for r in rows(f"{out}/prefork/runs.csv"):
    ws = [w for w in workers if w["run_id"] == r["run_id"]]
    n = int(r["workers"])
    first = {}
    for w in ws:
        first.setdefault(w["worker"], w)
    start = sum(int(w["shared_bytes"]) for w in first.values()) / n
    print(f"| {label(r, meta[r['run_id']])} | {start / 1048576:.1f} | {int(r['shared_end_bytes']) / n / 1048576:.1f} "
          f"| {mib(r['private_dirty_end_bytes'])} | {mib(r['pss_total_bytes'])} | {float(r['ops_per_s']):.0f} "
          f"| {us(r['request_p99_ns'])} | {us(r['request_max_ns'])} |")

meta = {m["run_id"]: m for m in json.load(open(f"{out}/web/meta.json"))["runs"]}
print("\n## web: 50 MB app, 30000 requests\n")
print("| strategy | collections | request p99 (us) | request max (us) | peak RSS (MiB) | peak garbage (objects) | requests/s |")
print("|---|---|---|---|---|---|---|")
for r in rows(f"{out}/web/runs.csv"):
    print(f"| {label(r, meta[r['run_id']])} | {r['collections']} | {us(r['request_p99_ns'])} | {us(r['request_max_ns'])} "
          f"| {mib(r['peak_rss_bytes'])} | {r['peak_garbage_objects']} | {float(r['ops_per_s']):.0f} |")
PY
