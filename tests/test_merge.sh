#!/usr/bin/env bash
# gclab merge as a user types it: the union of the columns, rows concatenated,
# runs already merged kept once, suite folders expanded, bad input refused.
# usage: test_merge.sh GCLAB SOURCE_DIR
set -uo pipefail
gclab=$1
src=$2
. "$(dirname "$0")/cli_lib.sh"
files="runs.csv pauses.csv timeseries.csv workers.csv"

run() { # DIR, then gclab run arguments: a small, fast run
  local dir=$1; shift
  "$gclab" run -q --sample-ms 0 -o "$dir" "$@" 2>/dev/null
}
# the outputs' rows are exactly the inputs', in order, NA where a column is
# missing, under the union header (fixed columns first seen, then param_* sorted)
concat() { # OUT IN...
  python3 - "$@" <<'EOF'
import csv, json, sys
out, ins = sys.argv[1], sys.argv[2:]
def read(path):
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
    except FileNotFoundError:
        return None
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
for name in ["runs.csv", "pauses.csv", "timeseries.csv", "workers.csv"]:
    tables = [t for t in (read(f"{d}/{name}") for d in ins) if t]
    fixed, params = [], set()
    for hdr, _ in tables:
        for c in hdr:
            if c.startswith("param_"):
                params.add(c)
            elif c not in fixed:
                fixed.append(c)
    want = fixed + sorted(params)
    hdr, rows = read(f"{out}/{name}")
    assert hdr == want, f"{name} header: {','.join(hdr)}\n    wanted: {','.join(want)}"
    expected = [{c: r.get(c, "NA") for c in want} for _, rs in tables for r in rs]
    assert rows == expected, f"{name}: {len(rows)} rows, wanted {len(expected)}" + next(
        (f"; row {i + 1} differs" for i, (a, b) in enumerate(zip(rows, expected)) if a != b), "")
    raw = open(f"{out}/{name}", "rb").read()
    assert raw.count(b"\n") == raw.count(b"\r\n"), name + " has bare LF line ends"
meta = [r["run_id"] for d in ins for r in json.load(open(f"{d}/meta.json"))["runs"]]
got = [r["run_id"] for r in json.load(open(f"{out}/meta.json"))["runs"]]
assert got == meta, (got, meta)
EOF
}
rows() { # FILE -> number of rows (no field of these runs holds a line break)
  echo $(($(wc -l <"$1") - 1))
}
same_files() { # DIR1 DIR2: the same five files, byte for byte
  local f
  for f in $files meta.json; do cmp -s "$1/$f" "$2/$f" || return 1; done
}
no_temporaries() { test -z "$(find "$1" -name '.*.tmp.*' -o -name '.*.old.*')"; }
snapshot() { (cd "$1" && find . -type f -exec md5sum {} + | sort); }

# ---- inputs: two web runs, a seed-cycles run, a pre-fork run (workers.csv rows)
run "$tmp/web" -c generational -w web -p requests=500 --config web --repeat 0
run "$tmp/web" -c generational -w web -p requests=300 --config web --repeat 1
run "$tmp/seed" -c refcount -w seed-cycles -p count=1000
run "$tmp/fork" -c generational -w prefork -p live_mb=4 -p workers=2 -p requests=100
for d in web seed fork; do
  check "input $d was written" test -s "$tmp/$d/runs.csv"
done

# ---- two workloads: the union of the columns
out=$("$gclab" merge -o "$tmp/m" "$tmp/web" "$tmp/seed" "$tmp/fork"); rc=$?
check "merge exits 0" test $rc -eq 0
check "merge says what it did" test "$out" = "merged 4 runs from 3 folders into $tmp/m"
check "merge: every file is the inputs' rows under the union header" concat "$tmp/m" "$tmp/web" "$tmp/seed" "$tmp/fork"
hdr=$(head -1 "$tmp/m/runs.csv" | tr -d '\r')
check "runs.csv starts with the fixed columns of the inputs" test "${hdr%%,param_*}" = "$(head -1 "$tmp/web/runs.csv" | tr -d '\r' | sed 's/,param_.*//')"
params=$(tr ',' '\n' <<<"$hdr" | grep '^param_')
check "param_ columns come last, sorted by name" test "$params" = "$(sort <<<"$params")"
check "param_ columns are the union of the workloads'" test "$(tr '\n' ' ' <<<"$params")" = "param_body_bytes param_collect_every param_count param_cyclic_fraction param_idle_every param_kind param_live_mb param_request_objects param_requests param_rows param_touch param_workers "
check "seed-cycles has NA for web's parameters" test "$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); print(r[2]["workload"], r[2]["param_rows"], r[2]["param_count"])' "$tmp/m/runs.csv")" = "seed-cycles NA 1000"
check "web keeps its values, NA for seed-cycles'" test "$(col "$tmp/m/runs.csv" param_requests),$(col "$tmp/m/runs.csv" param_count)" = "500,NA"
for f in $files; do
  n=$(($(rows "$tmp/web/$f") + $(rows "$tmp/seed/$f") + $(rows "$tmp/fork/$f")))
  check "$f: the rows add up ($n)" test "$(rows "$tmp/m/$f")" -eq "$n"
done
check "workers.csv has the pre-fork workers' rows" test "$(rows "$tmp/m/workers.csv")" -gt 0
check "meta.json has 4 runs" python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["runs"])==4' "$tmp/m/meta.json"
check "merge leaves no temporary files" no_temporaries "$tmp/m"

# ---- the header does not depend on the order of the inputs
"$gclab" merge -o "$tmp/m2" "$tmp/fork" "$tmp/seed" "$tmp/web" >/dev/null
for f in $files; do
  check "$f: the same header whichever order" cmp -s <(head -1 "$tmp/m/$f") <(head -1 "$tmp/m2/$f")
done
check "...rows in the order of the inputs" concat "$tmp/m2" "$tmp/fork" "$tmp/seed" "$tmp/web"
# a folder from another build: timeseries.csv with the allocator_* columns
# (jemalloc) or without (libc), whichever this build does not write
cp -r "$tmp/seed" "$tmp/other"
python3 - "$tmp/other/timeseries.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
extra = ["allocator_allocated_bytes", "allocator_active_bytes", "allocator_resident_bytes"]
if extra[0] in rows[0]:
    rows = [r[:rows[0].index(extra[0])] for r in rows]
else:
    rows = [rows[0] + extra] + [r + ["1", "2", "3"] for r in rows[1:]]
with open(sys.argv[1], "w", newline="") as f:
    csv.writer(f, lineterminator="\r\n").writerows(rows)
EOF
rid=$(col "$tmp/seed/runs.csv" run_id) # another run
sed -i "s/$rid/$rid-other/" "$tmp/other/runs.csv" "$tmp/other/timeseries.csv" "$tmp/other/pauses.csv" "$tmp/other/meta.json"
"$gclab" merge -o "$tmp/b1" "$tmp/other" "$tmp/web" >/dev/null
"$gclab" merge -o "$tmp/b2" "$tmp/web" "$tmp/other" >/dev/null
check "timeseries.csv from two builds: the same header whichever order" cmp -s <(head -1 "$tmp/b1/timeseries.csv") <(head -1 "$tmp/b2/timeseries.csv")
check "...with the allocator columns, NA where a build had none" concat "$tmp/b1" "$tmp/other" "$tmp/web"

# ---- merging again adds nothing
"$gclab" merge -o "$tmp/once" "$tmp/web" >/dev/null
"$gclab" merge -o "$tmp/twice" "$tmp/web" "$tmp/web" >/dev/null
check "the same folder twice: its runs once" same_files "$tmp/twice" "$tmp/once"
cp -r "$tmp/m" "$tmp/m.before"
out=$("$gclab" merge -o "$tmp/m" "$tmp/m" "$tmp/web" "$tmp/seed" "$tmp/fork"); rc=$?
check "merging into an input: exit 0" test $rc -eq 0
check "...counts each run once" test "$out" = "merged 4 runs from 4 folders into $tmp/m"
check "...changes nothing" same_files "$tmp/m" "$tmp/m.before"
cp -r "$tmp/web" "$tmp/acc"
"$gclab" merge -o "$tmp/acc" "$tmp/acc" "$tmp/seed" >/dev/null
check "merge -o A A B: A gets B's runs" concat "$tmp/acc" "$tmp/web" "$tmp/seed"
"$gclab" merge -o "$tmp/acc" "$tmp/acc" "$tmp/seed" "$tmp/web" >/dev/null
check "...and again: no duplicates" concat "$tmp/acc" "$tmp/web" "$tmp/seed"
check "...no temporary files" no_temporaries "$tmp/acc"

# ---- a suite folder interrupted before its merge: its runs/*/ folders
mkdir -p "$tmp/suite/runs"
cp -r "$tmp/web" "$tmp/suite/runs/web-generational"
cp -r "$tmp/seed" "$tmp/suite/runs/seed-cycles-refcount"
mkdir "$tmp/suite/runs/unfinished" # a run that never wrote its files
out=$("$gclab" merge -o "$tmp/s" "$tmp/suite"); rc=$?
check "suite folder: exit 0" test $rc -eq 0
check "...its finished runs/*/ folders are the inputs" test "$out" = "merged 3 runs from 2 folders into $tmp/s"
check "...in the order of their names" concat "$tmp/s" "$tmp/suite/runs/seed-cycles-refcount" "$tmp/suite/runs/web-generational"
"$gclab" merge -o "$tmp/suite" "$tmp/suite" >/dev/null
check "...a suite merged into itself gives the same files as gclab merge" same_files "$tmp/suite" "$tmp/s"

# ---- bad input: one line on stderr naming the problem, exit 2, nothing written
bad() { # description, expected text on stderr, arguments...
  local what=$1 want=$2; shift 2
  local err rc
  err=$(timeout 20 "$gclab" "$@" 2>&1 >/dev/null); rc=$?
  check "$what: exit 2" test $rc -eq 2
  check "$what: one line" test "$(wc -l <<<"$err")" -eq 1
  check "$what: says '$want'" grep -qF -- "gclab: merge: $want" <<<"$err"
  check "$what: writes nothing" test ! -e "$tmp/bad"
}
mkdir -p "$tmp/empty" "$tmp/suite2/runs/x"
touch "$tmp/file"
bad "no -o" "missing -o OUT" merge "$tmp/web"
bad "no folder" "no folder to merge" merge -o "$tmp/bad"
bad "a folder that does not exist" "$tmp/nope does not exist (valid:" merge -o "$tmp/bad" "$tmp/web" "$tmp/nope"
bad "a folder without results" "$tmp/empty has neither runs.csv nor a runs/ folder (valid:" merge -o "$tmp/bad" "$tmp/empty"
bad "a suite folder without finished runs" "$tmp/suite2/runs/ holds no finished run" merge -o "$tmp/bad" "$tmp/suite2"
bad "unknown option" "unknown option '--fast' (valid: -o OUT, --help)" merge --fast -o "$tmp/bad" "$tmp/web"
bad "-o without a value" "option '-o' needs a value" merge "$tmp/web" -o
bad "output path is a file" "output path $tmp/file is not a folder" merge -o "$tmp/file" "$tmp/web"
# an input file that never ends or never comes: refused at once
cp -r "$tmp/seed" "$tmp/fifo" && rm "$tmp/fifo/pauses.csv" && mkfifo "$tmp/fifo/pauses.csv"
bad "an input pauses.csv that is a FIFO" "cannot read $tmp/fifo/pauses.csv: a FIFO, not a regular file" merge -o "$tmp/bad" "$tmp/fifo"
cp -r "$tmp/seed" "$tmp/urandom" && ln -sf /dev/urandom "$tmp/urandom/meta.json"
bad "an input meta.json -> /dev/urandom" "cannot read $tmp/urandom/meta.json: a character device, not a regular file" merge -o "$tmp/bad" "$tmp/urandom"
cp -r "$tmp/seed" "$tmp/zero" && ln -sf /dev/zero "$tmp/zero/runs.csv"
bad "an input runs.csv -> /dev/zero" "cannot read $tmp/zero/runs.csv: a character device, not a regular file" merge -o "$tmp/bad" "$tmp/zero"
check "merge --help exits 0" bash -c "'$gclab' merge --help | grep -q 'usage: gclab merge -o OUT DIR'"

# ---- a malformed input: an error naming FILE:LINE, the output untouched
cp -r "$tmp/seed" "$tmp/broken"
printf 'x,y\r\n' >>"$tmp/broken/runs.csv"
before=$(snapshot "$tmp/m")
err=$("$gclab" merge -o "$tmp/m" "$tmp/m" "$tmp/broken" 2>&1 >/dev/null); rc=$?
check "malformed runs.csv: exit 2" test $rc -eq 2
check "...one line naming the file and line" test "$err" = "gclab: merge: $tmp/broken/runs.csv:3: 2 fields where the header has $(head -1 "$tmp/seed/runs.csv" | tr ',' '\n' | wc -l)"
check "...the output folder is untouched" test "$(snapshot "$tmp/m")" = "$before"
"$gclab" merge -o "$tmp/bad/deeper" "$tmp/web" "$tmp/broken" 2>/dev/null
check "...and a new output folder is not made" test ! -e "$tmp/bad"
cp -r "$tmp/seed" "$tmp/broken2"
printf '"unclosed,1\r\n' >>"$tmp/broken2/pauses.csv"
err=$("$gclab" merge -o "$tmp/m" "$tmp/web" "$tmp/broken2" 2>&1 >/dev/null); rc=$?
check "malformed pauses.csv: exit 2" test $rc -eq 2
check "...names the file and line" grep -qF "gclab: merge: $tmp/broken2/pauses.csv:$(( $(rows "$tmp/seed/pauses.csv") + 2 )): a quoted field is not closed" <<<"$err"
check "...the output folder is untouched" test "$(snapshot "$tmp/m")" = "$before"
"$gclab" merge -o "$tmp/bad/deeper" "$tmp/web" "$tmp/broken2" 2>/dev/null
check "...a folder it made is removed again" test ! -e "$tmp/bad"
cp -r "$tmp/seed" "$tmp/broken3"
echo '{"runs": [' >"$tmp/broken3/meta.json"
err=$("$gclab" merge -o "$tmp/m" "$tmp/web" "$tmp/broken3" 2>&1 >/dev/null); rc=$?
check "malformed meta.json: exit 2, naming the file" test "$rc:$err" = "2:gclab: merge: $tmp/broken3/meta.json:2: not valid JSON"
check "...the output folder is untouched" test "$(snapshot "$tmp/m")" = "$before"

# ---- an output file that cannot be replaced, after runs.csv was: all put back
cp -r "$tmp/m" "$tmp/mid"
rm "$tmp/mid/pauses.csv" && mkdir "$tmp/mid/pauses.csv"
before=$(snapshot "$tmp/mid")
err=$("$gclab" merge -o "$tmp/mid" "$tmp/web" 2>&1 >/dev/null); rc=$?
check "an output file that is a folder: fails (got $rc)" test $rc -ne 0
check "...one line naming it (got: $err)" test "$err" = "gclab: merge: cannot write $tmp/mid/pauses.csv: Is a directory"
check "...runs.csv, renamed before it, is as it was" test "$(snapshot "$tmp/mid")" = "$before"
check "...no temporary files" no_temporaries "$tmp/mid"

finish
