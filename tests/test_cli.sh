#!/usr/bin/env bash
# The gclab command as a user types it: output, files, exit status, errors.
# usage: test_cli.sh GCLAB SOURCE_DIR
set -uo pipefail
gclab=$1
src=$2
. "$(dirname "$0")/cli_lib.sh"

# ---- list, demo, schema
out=$("$gclab" list); rc=$?
check "list exits 0" test $rc -eq 0
check "list names refcount" grep -q '^  refcount ' <<<"$out"
check "list gives generational's thresholds" grep -q 'thresholds (-t) *700,10,10' <<<"$out"
check "list names seed-cycles" grep -q '^  seed-cycles ' <<<"$out"
check "list gives parameters with defaults and units" grep -q 'count=100000 cycles' <<<"$out"
out=$("$gclab" demo); rc=$?
check "demo exits 0" test $rc -eq 0
check "demo: generational collects the 10 dict self-cycles" grep -Eq '^generational +d = \{\}; d\[0\] = d +x10 +10 ' <<<"$out"
check "demo: refcount leaks them" grep -Eq '^refcount +d = \{\}; d\[0\] = d +x10 +0 +10 containers' <<<"$out"
check "docs/csv-schema.md is what gclab schema prints" diff -q <("$gclab" schema) "$src/docs/csv-schema.md"
for cmd in list run schema demo; do
  check "$cmd --help exits 0" bash -c "'$gclab' $cmd --help >/dev/null"
done
check "--version names the allocator" bash -c "'$gclab' --version | grep -Eq 'allocator (jemalloc|libc)'"

# ---- a run
out=$("$gclab" run -c generational -w seed-cycles -p count=30000 -t 500,5,5 --seed 7 -o "$tmp/a" 2>/dev/null); rc=$?
check "run exits 0" test $rc -eq 0
for f in runs.csv pauses.csv timeseries.csv workers.csv meta.json; do
  check "run writes $f" test -s "$tmp/a/$f"
done
check "run leaves no temporary files" test -z "$(find "$tmp/a" -name '.*tmp*')"
check "summary gives pauses with units" grep -Eq 'Pauses: .* p99 [0-9.]+ (ns|µs|ms)' <<<"$out"
hdr=$(head -1 "$tmp/a/runs.csv" | tr -d '\r')
required="run_id,collector,workload,seed,threshold0,threshold1,threshold2,wall_ns,cpu_ns,gc_time_ns,gc_share,collections,collections_gen0,collections_gen1,collections_gen2,collected,uncollectable,pause_p50_ns,pause_p90_ns,pause_p99_ns,pause_p999_ns,pause_max_ns,mmu_1ms,mmu_10ms,mmu_100ms,mmu_1s,peak_rss_bytes,peak_garbage_objects,leaked_objects,ops,ops_per_s,allocs_per_s"
check "runs.csv starts with the required columns" test "${hdr:0:${#required}}" = "$required"
check "runs.csv ends with the workload's parameters" grep -q ',param_count,param_kind,param_collect_every$' <<<"$hdr"
check "runs.csv lines end in CRLF (RFC 4180)" grep -q $'\r$' "$tmp/a/runs.csv"
check "runs.csv: thresholds as given" test "$(col "$tmp/a/runs.csv" threshold0),$(col "$tmp/a/runs.csv" threshold2)" = "500,5"
check "runs.csv: every cycle collected" test "$(col "$tmp/a/runs.csv" collected)" = 30000
check "runs.csv: ops counted" test "$(col "$tmp/a/runs.csv" ops)" = 30000
collections=$(col "$tmp/a/runs.csv" collections)
check "pauses.csv has one row per collection" test "$(($(wc -l <"$tmp/a/pauses.csv") - 1))" -eq "$collections"
check "pauses.csv ends with the exit collection" python3 -c '
import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); assert r[-1]["reason"]=="exit", r[-1]' "$tmp/a/pauses.csv"
check "peak garbage is at least threshold0 (cycles of one container)" test "$(col "$tmp/a/runs.csv" peak_garbage_objects)" -ge 500
check "meta.json names the seed and parameters" python3 -c '
import json,sys; m=json.load(open(sys.argv[1]))["runs"][0]
assert m["seed"]=="7" and m["workload_params"]["count"]==30000 and m["thresholds"]==[500,5,5], m
assert m["collector"]=="generational" and m["git_commit"] and m["kernel"] and m["cpu_model"]' "$tmp/a/meta.json"
"$gclab" run -c refcount -w seed-cycles -p count=100 -p kind=list -o "$tmp/a" -q 2>/dev/null
check "a second run into the folder appends a row" test "$(($(wc -l <"$tmp/a/runs.csv") - 1))" -eq 2
check "...and its run to meta.json" python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["runs"])==2' "$tmp/a/meta.json"
check "refcount: the leaked cycles are the peak garbage" test "$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); print(r[1]["peak_garbage_objects"])' "$tmp/a/runs.csv")" = 100
"$gclab" run -c generational -w seed-cycles -p count=1000 --no-record -o "$tmp/b" -q 2>/dev/null
check "--no-record: no pauses, NA percentiles" test "$(col "$tmp/b/runs.csv" pause_p99_ns),$(($(wc -l <"$tmp/b/pauses.csv") - 1))" = "NA,0"

# ---- startup=auto:PATH runs the interpreter; the files record what it resolved to
if [ -x /usr/bin/python3 ]; then
  "$gclab" run -q -c generational -w seed-cycles -p count=1000 -p profile=cpython-3.11 -p startup=auto:/usr/bin/python3 -o "$tmp/auto" >/dev/null 2>&1; rc=$?
  check "startup=auto: runs" test $rc -eq 0
  check "startup=auto: runs.csv records the heap with its free lists" grep -Eq 'startup=[0-9]+,[0-9]+,[0-9]+,[0-9]+:dict=[0-9]+:list=[0-9]+:tuple=[0-9]+(,[0-9]+){18,19}' "$tmp/auto/runs.csv"
  check "startup=auto: meta.json too" grep -Eq '"startup":[[:space:]]*"[0-9]+,[0-9]+,[0-9]+,[0-9]+:dict=[0-9]+:list=[0-9]+:tuple=' "$tmp/auto/meta.json"
else
  echo "skipped startup=auto: no /usr/bin/python3"
fi

# ---- bad input: one line on stderr naming the problem and the choices, exit 2, nothing written
out="-o $tmp/bad"
bad "unknown collector" "valid: refcount, generational, disabled, manual-time, manual-event" run -c markandsweep -w seed-cycles $out
bad "unknown workload" "valid: seed-cycles" run -c refcount -w nope $out
bad "missing collector" "missing -c" run -w seed-cycles $out
bad "unknown parameter" "unknown parameter 'speed' (workload seed-cycles: count, kind, collect_every" run -c generational -w seed-cycles -p speed=3 $out
bad "parameter of the wrong type" "'count' must be an integer from 1" run -c generational -w seed-cycles -p count=many $out
bad "parameter out of range" "got '0'" run -c generational -w seed-cycles -p count=0 $out
bad "bad choice" "one of dict|list|instance|dict-pair" run -c generational -w seed-cycles -p kind=set $out
bad "negative threshold" "non-negative integers T0[,T1[,T2]], got '700,-1'" run -c generational -w seed-cycles -t 700,-1 $out
bad "non-numeric threshold" "got 'lots'" run -c generational -w seed-cycles -t lots $out
bad "too many thresholds" "1 to 3" run -c generational -w seed-cycles -t 1,2,3,4 $out
bad "thresholds for refcount" "takes no thresholds" run -c refcount -w seed-cycles -t 700 $out
bad "bad seed" "--seed must be" run -c refcount -w seed-cycles --seed -3 $out
bad "unknown option" "unknown option '--fast'" run -c refcount -w seed-cycles --fast $out
bad "collector parameter out of range" "'every' must be an integer from 1" run -c manual-event -w seed-cycles -p every=0 $out
bad "thresholds for disabled" "takes no thresholds" run -c disabled -w seed-cycles -t 0 $out
bad "interval of the wrong type" "'interval_ms' must be an integer from 1 to 3600000 ms, got 'soon'" run -c manual-time -w seed-cycles -p interval_ms=soon $out
bad "startup=auto: no interpreter there" "startup=auto:/nonexistent/python3: no executable interpreter there" run -c generational -w seed-cycles -p startup=auto:/nonexistent/python3 $out
bad "startup=auto: a failing program" "startup=auto:/bin/false: the interpreter failed (exit status 1)" run -c generational -w seed-cycles -p startup=auto:/bin/false $out
bad "startup=auto: not Python" "startup=auto:/bin/true: not a Python 3 interpreter" run -c generational -w seed-cycles -p startup=auto:/bin/true $out
bad "startup: bad free-list part" ":dict=D:list=L:tuple=T1,...,T20 (each part optional)" run -c generational -w seed-cycles -p startup=10:dict=1:dict=2 $out
bad "unknown command" "valid: list, run, suite, sweep, summary, compare, plot, report, plan, merge, schema, calibrate, demo" frobnicate
# A folder that cannot be made: the message names it, the part that could
# not be made and why -- not "/proc: No such file or directory", which reads
# as if /proc were missing.
bad "unmakeable output folder" "gclab: cannot create output folder /proc/gclab-cannot-write: No such file or directory (/proc takes no new folders)" run -c refcount -w seed-cycles -o /proc/gclab-cannot-write
bad "unmakeable parent of the output folder" "gclab: cannot create output folder /proc/gclab-cannot-write/x: cannot create /proc/gclab-cannot-write: No such file or directory (/proc takes no new folders)" run -c refcount -w seed-cycles -o /proc/gclab-cannot-write/x
bad "suite: unmakeable output folder" "gclab: cannot create output folder /proc/gclab-cannot-write: No such file or directory (/proc takes no new folders)" suite "$src/suites/default.yaml" -o /proc/gclab-cannot-write
bad "merge: unmakeable output folder" "gclab: merge: cannot create output folder /proc/gclab-cannot-write: No such file or directory (/proc takes no new folders)" merge -o /proc/gclab-cannot-write "$tmp/a"
if [ "$(id -u)" -ne 0 ]; then
  mkdir -p "$tmp/ro" && chmod 555 "$tmp/ro"
  bad "read-only output folder" "gclab: cannot create output folder $tmp/ro/x: Permission denied" run -c refcount -w seed-cycles -o "$tmp/ro/x"
  bad "read-only existing output folder" "gclab: cannot write to output folder $tmp/ro: Permission denied" run -c refcount -w seed-cycles -o "$tmp/ro"
fi
# An output folder whose runs.csv is a FIFO: it is not waited on, nor
# replaced; the run's files are not written.
mkdir -p "$tmp/fifo-out" && mkfifo "$tmp/fifo-out/runs.csv"
err=$(timeout 20 "$gclab" run -q -c refcount -w seed-cycles -p count=100 -o "$tmp/fifo-out" 2>&1 >/dev/null); rc=$?
check "-o with runs.csv a FIFO: fails (got $rc)" test $rc -eq 1
check "...one line naming it (got: $err)" test "$err" = "gclab: cannot read $tmp/fifo-out/runs.csv: a FIFO, not a regular file; choose another folder with -o"
check "...writes nothing beside it" test "$(ls -A "$tmp/fifo-out")" = "runs.csv"
touch "$tmp/file"
bad "output path is a file" "is not a folder" run -c refcount -w seed-cycles -o "$tmp/file/x"
check "a failed run leaves no folder" test ! -e "$tmp/file/x"

# Out of memory is a failed run, not a crash: one line, exit status 3,
# nothing written.  ASan reserves terabytes of address space, so a limit on
# it stops an ASan build before it starts: release builds only.
if ! ldd "$gclab" | grep libasan > /dev/null; then
  (ulimit -v 1000000; "$gclab" run -q -c generational -w bigblocks -p block_kb=4194304 -p total_mb=8192 \
    -p rounds=1 -o "$tmp/oom") > "$tmp/oom.out" 2> "$tmp/oom.err"
  rc=$?
  check "out of memory: exit 3 (got $rc)" test "$rc" -eq 3
  check "out of memory: one line (got: $(cat "$tmp/oom.err"))" test "$(wc -l < "$tmp/oom.err")" -eq 1
  check "out of memory: says so" grep -q "^gclab: run failed: out of memory allocating 4294967320 bytes$" "$tmp/oom.err"
  check "out of memory: nothing written" test ! -e "$tmp/oom"
fi

finish
