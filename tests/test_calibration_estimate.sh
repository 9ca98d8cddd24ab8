#!/usr/bin/env bash
# gclab run --calibration FILE: the estimated CPython pause of every collection
# from a pause model (gclab calibrate's pause-model.csv), the row chosen by
# the collector's profile, and every bad file refused before anything runs.
# usage: test_calibration_estimate.sh GCLAB SOURCE_DIR
set -uo pipefail
gclab=$1
src=$2
. "$(dirname "$0")/cli_lib.sh"

hdr='source,python,version,profile,pauses,a_ns,b_ns,c_ns,r2'
# Coefficients that are exact in binary (quarters), so a + b*e + c*c is exact
# in C and in awk alike and the rounding of halves (away from 0) is tested too.
one="$tmp/one.csv" # one cpython row (and gclab's): used whatever the profile
printf '%s\r\ncpython,/usr/bin/python3.12,3.12.1,cpython-3.12,790,1520.25,4.25,9.5,0.973\r\ngclab,/usr/bin/python3.12,3.12.1,cpython-3.12,806,310,1.1,2.7,0.99\r\n' "$hdr" >"$one"
# two cpython rows; 3.11's path holds a comma (quoted, RFC 4180) and its r2 is
# undefined; 3.12's intercept is negative, so small collections estimate 0
two="$tmp/two.csv"
printf '%s\r\ncpython,"/opt/py,3.11/bin/python3",3.11.2,cpython-3.11,812,1000.5,3.75,7.25,\r\ncpython,/usr/bin/python3.12,3.12.1,cpython-3.12,790,-5000,2.5,0.25,0.968\r\ngclab,/usr/bin/python3.12,3.12.1,cpython-3.12,806,310,1.1,2.7,0.99\r\n' "$hdr" >"$two"

# every row's estimate is round(a + b*examined + c*collected), at least 0,
# computed here from the row's own examined and collected
estimates_match() { # pauses.csv a b c
  awk -F, -v a="$2" -v b="$3" -v c="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) { sub(/\r$/, "", $i); col[$i] = i }; next }
    { sub(/\r$/, "")
      x = a + b * $col["examined"] + c * $col["collected"]
      want = x <= 0 ? 0 : int(x + 0.5)
      got = $col["est_cpython_pause_ns"]
      n++
      if (got == "" || got != want) { print "row " NR ": est " got ", want " want > "/dev/stderr"; bad++ } }
    END { exit (bad || n == 0) }' "$1"
}
# runs.csv's est_cpython_pause_* are the total, nearest-rank p50/p99 and max
# of pauses.csv's column
run_metrics_match() { # DIR
  python3 - "$1" <<'EOF'
import csv, math, sys
d = sys.argv[1]
run = list(csv.DictReader(open(d + "/runs.csv", newline="")))[0]
est = sorted(int(r["est_cpython_pause_ns"]) for r in csv.DictReader(open(d + "/pauses.csv", newline="")))
def rank(p):
    k = math.ceil(p / 100 * len(est))
    return est[min(max(k, 1), len(est)) - 1]
want = {"total": sum(est), "p50": rank(50), "p99": rank(99), "max": max(est)}
got = {k: int(run["est_cpython_pause_%s_ns" % k]) for k in want}
assert got == want, (got, want)
EOF
}
meta() { # DIR python-expression on m, the run's meta.json entry
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["runs"][-1]; assert eval(sys.argv[2]), m' "$1/meta.json" "$2"
}

# ---- the run of the brief: one cpython row
"$gclab" run -c generational -w seed-cycles -p count=20000 --calibration "$one" -o "$tmp/a" -q 2>/dev/null; rc=$?
check "run --calibration exits 0" test $rc -eq 0
check "pauses.csv has est_cpython_pause_ns" bash -c "head -1 '$tmp/a/pauses.csv' | grep -q ',est_cpython_pause_ns'"
check "every estimate is a + b*examined + c*collected" estimates_match "$tmp/a/pauses.csv" 1520.25 4.25 9.5
check "runs.csv's estimate max is the column's max (and total, p50, p99)" run_metrics_match "$tmp/a"
check "est_cpython_pause_max_ns is the column's max" test "$(col "$tmp/a/runs.csv" est_cpython_pause_max_ns)" = \
  "$(awk -F, 'NR > 1 { v = $NF + 0; if (v > m) m = v } END { print m }' "$tmp/a/pauses.csv")"
check "meta.json records the file and the row" meta "$tmp/a" \
  'm["calibration"]["file"]==sys.argv[1].rsplit("/a/",1)[0]+"/one.csv" and m["calibration"]["version"]=="3.12.1" and (m["calibration"]["a_ns"],m["calibration"]["b_ns"],m["calibration"]["c_ns"],m["calibration"]["r2"])==(1520.25,4.25,9.5,0.973) and m["calibration"]["line"]==2'
check "meta.json says whether the profile matched (else the only cpython row and a note)" meta "$tmp/a" \
  '(m["calibration"]["run_profile"]=="cpython-3.12")==m["calibration"]["profile_matched"] and (m["calibration"]["profile_matched"] or "only cpython row" in m["calibration"]["note"])'
out=$("$gclab" run -c generational -w seed-cycles -p count=2000 --calibration "$one" -o "$tmp/a2" 2>/dev/null)
check "the summary gives the estimate, named so" grep -q '^  Est. CPython: .* p99 .*estimate' <<<"$out"

# ---- a folder holding pause-model.csv
mkdir -p "$tmp/cal" && cp "$one" "$tmp/cal/pause-model.csv"
"$gclab" run -c generational -w seed-cycles -p count=5000 --calibration "$tmp/cal" -o "$tmp/f" -q 2>/dev/null
check "--calibration DIR reads DIR/pause-model.csv" meta "$tmp/f" 'm["calibration"]["file"].endswith("/cal/pause-model.csv")'
check "...and estimates with it" estimates_match "$tmp/f/pauses.csv" 1520.25 4.25 9.5

# ---- without --calibration: empty, not NA
"$gclab" run -c generational -w seed-cycles -p count=5000 -o "$tmp/n" -q 2>/dev/null
check "without --calibration: every pauses.csv estimate is empty" python3 -c '
import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); assert r and all(x["est_cpython_pause_ns"]=="" for x in r)' "$tmp/n/pauses.csv"
for m in total p50 p99 max; do
  check "without --calibration: est_cpython_pause_${m}_ns is empty" test -z "$(col "$tmp/n/runs.csv" est_cpython_pause_${m}_ns)"
done
check "without --calibration: no calibration in meta.json" meta "$tmp/n" '"calibration" not in m'
"$gclab" run -c generational -w seed-cycles -p count=1000 --no-record --calibration "$one" -o "$tmp/nr" -q 2>/dev/null
check "--no-record with --calibration: NA, as the measured pauses" \
  test "$(col "$tmp/nr/runs.csv" est_cpython_pause_total_ns),$(col "$tmp/nr/runs.csv" est_cpython_pause_p99_ns)" = "NA,NA"

# ---- profile selection among two cpython rows
"$gclab" run -c generational -w seed-cycles -p count=20000 -p profile=cpython-3.11 --calibration "$two" -o "$tmp/p11" -q 2>/dev/null
check "profile cpython-3.11: its row is used" meta "$tmp/p11" \
  'm["calibration"]["version"]=="3.11.2" and m["calibration"]["profile_matched"] and m["calibration"]["r2"] is None and m["calibration"]["python"]=="/opt/py,3.11/bin/python3"'
check "profile cpython-3.11: estimates from its coefficients" estimates_match "$tmp/p11/pauses.csv" 1000.5 3.75 7.25
"$gclab" run -c generational -w seed-cycles -p count=20000 -p profile=cpython-3.12 --calibration "$two" -o "$tmp/p12" -q 2>/dev/null
check "profile cpython-3.12: its row is used" meta "$tmp/p12" 'm["calibration"]["version"]=="3.12.1" and m["calibration"]["line"]==3'
check "profile cpython-3.12: estimates from its coefficients, never below 0" estimates_match "$tmp/p12/pauses.csv" -5000 2.5 0.25
check "...some of which are clamped to 0" grep -q ',0.$' "$tmp/p12/pauses.csv"
check "...and runs.csv's metrics from them" run_metrics_match "$tmp/p12"

# ---- refused: exit 2, one line naming the file (and line) and what was expected, nothing written
r="run -c generational -w seed-cycles -p count=1000 -o $tmp/bad"
bad "no row for the profile among two" "no cpython row for profile cpython-3.9" $r -p profile=cpython-3.9 --calibration "$two"
bad "...names the profiles it has" "cpython-3.11, cpython-3.12" $r -p profile=cpython-3.9 --calibration "$two"
bad "a collector without a profile, two rows" "collector refcount has no profile" \
  run -c refcount -w seed-cycles -o "$tmp/bad" --calibration "$two"
printf '%s\r\ncpython,/a,3.12.1,cpython-3.12,1,1,1,1,1\r\ncpython,/b,3.12.3,cpython-3.12,1,2,2,2,1\r\n' "$hdr" >"$tmp/dup.csv"
bad "two rows for the profile" "lines 2 and 3 are both cpython rows for profile cpython-3.12" \
  $r -p profile=cpython-3.12 --calibration "$tmp/dup.csv"
bad "missing file" "$tmp/none.csv" $r --calibration "$tmp/none.csv"
mkdir -p "$tmp/empty-dir"
bad "a folder without pause-model.csv" "$tmp/empty-dir/pause-model.csv" $r --calibration "$tmp/empty-dir"
mkfifo "$tmp/fifo.csv"
bad "unreadable (a FIFO)" "cannot read $tmp/fifo.csv" $r --calibration "$tmp/fifo.csv"
: >"$tmp/empty.csv"
bad "empty file" "empty.csv:1: expected the header $hdr" $r --calibration "$tmp/empty.csv"
printf 'source,python,version,profile,pauses,a,b,c,r2\r\ncpython,/p,3.12.1,cpython-3.12,1,1,1,1,1\r\n' >"$tmp/header.csv"
bad "wrong header" "header.csv:1: expected the header $hdr" $r --calibration "$tmp/header.csv"
printf '%s\r\ncpython,/p,3.12.1,cpython-3.12,790,1520.3,fast,9.8,0.97\r\n' "$hdr" >"$tmp/nan.csv"
bad "non-numeric coefficient" "nan.csv:2: b_ns must be a number" $r --calibration "$tmp/nan.csv"
printf '%s\r\ngclab,/p,3.12.1,cpython-3.12,1,1,1,1,1\r\ncpython,/p,3.12.1,cpython-3.12,-5,1520.3,4.2,9.8,0.97\r\n' "$hdr" >"$tmp/neg.csv"
bad "negative pauses" "neg.csv:3: pauses must be a non-negative integer" $r --calibration "$tmp/neg.csv"
printf '%s\r\ngclab,/p,3.12.1,cpython-3.12,806,310,1.1,2.7,0.99\r\n' "$hdr" >"$tmp/gclab-only.csv"
bad "no cpython row" "gclab-only.csv:3: expected at least one row with source cpython" $r --calibration "$tmp/gclab-only.csv"
printf '%s\r\n' "$hdr" >"$tmp/header-only.csv"
bad "no rows" "header-only.csv:2: expected at least one row with source cpython, found no rows" $r --calibration "$tmp/header-only.csv"
printf '%s\r\ncpython,/p,3.12.1,cpython-3.12,1,1,1,1,1.5\r\n' "$hdr" >"$tmp/r2.csv"
bad "r2 above 1" "r2.csv:2: r2 must be a number from 0 to 1" $r --calibration "$tmp/r2.csv"
printf '%s\r\npypy,/p,3.12.1,cpython-3.12,1,1,1,1,1\r\n' "$hdr" >"$tmp/src.csv"
bad "unknown source" "src.csv:2: source must be cpython or gclab" $r --calibration "$tmp/src.csv"
printf '%s\r\ncpython,"/p\n/q",3.12.1,cpython-3.12,1,1,1,1,1\r\ncpython,/p,3.12.1,cpython-3.11,1,1,x,1,1\r\n' "$hdr" >"$tmp/lines.csv"
bad "a quoted line break counts as a line" "lines.csv:4: b_ns must be a number" $r --calibration "$tmp/lines.csv"
printf '%s\r\ncpython,"/p,3.12.1,cpython-3.12,1,1,1,1,1\r\n' "$hdr" >"$tmp/quote.csv"
bad "an unclosed quote" "quote.csv:2: a quoted field is not closed" $r --calibration "$tmp/quote.csv"
bad "--calibration without a value" "needs a value" $r --calibration

# ---- suites: the runner passes it to every run
"$gclab" sweep -w seed-cycles -c generational --threshold0 500,900 -p count=3000 --repeat 1 -q --no-report \
  --calibration "$one" -o "$tmp/sw" >/dev/null 2>&1; rc=$?
check "sweep --calibration exits 0" test $rc -eq 0
check "sweep: every run's estimates, merged" python3 -c '
import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); assert len(r)==2 and all(x["est_cpython_pause_max_ns"].isdigit() for x in r), r' "$tmp/sw/runs.csv"
check "sweep: the merged pauses.csv's estimates match" estimates_match "$tmp/sw/pauses.csv" 1520.25 4.25 9.5
bad "sweep: no row for the profile" "no cpython row for profile cpython-3.9" \
  sweep -w seed-cycles -c generational --threshold0 500,900 -p profile=cpython-3.9 --calibration "$two" -o "$tmp/bad"
bad "sweep: a bad file" "nan.csv:2: b_ns must be a number" \
  sweep -w seed-cycles -c generational --threshold0 500,900 --calibration "$tmp/nan.csv" -o "$tmp/bad"
cat >"$tmp/s.yaml" <<'EOF'
name: cal
repeat: 1
matrix:
  - workload: seed-cycles
    collector: [generational, refcount]
    params: {count: 2000}
EOF
bad "suite: a collector without a profile, two rows" "s.yaml:" suite "$tmp/s.yaml" --calibration "$two" -o "$tmp/bad"
plan=$("$gclab" plan "$tmp/s.yaml" --calibration "$tmp/cal" -o "$tmp/pl")
check "plan: every run command has --calibration, absolute" \
  test "$(grep -c -- "--calibration $tmp/cal/pause-model.csv" <<<"$plan")" -eq 2

# ---- reading folders of runs with and without: no errors
"$gclab" merge -o "$tmp/m" "$tmp/a" "$tmp/n" >/dev/null 2>&1; rc=$?
check "merge of runs with and without calibration exits 0" test $rc -eq 0
check "...and keeps both rows' estimates as they were" python3 -c '
import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline="")))
assert r[0]["est_cpython_pause_max_ns"].isdigit() and r[1]["est_cpython_pause_max_ns"]=="", r' "$tmp/m/runs.csv"
check "summary of the merged folder exits 0" bash -c "'$gclab' summary '$tmp/m' >/dev/null 2>&1"
check "report of the merged folder exits 0" bash -c "'$gclab' report '$tmp/m' >/dev/null 2>&1"
out=$("$gclab" compare "$tmp/a" "$tmp/n" -m est_cpython_pause_p99_ns -m pause_p99_ns 2>&1); rc=$?
check "compare of an estimate against none exits 0" test $rc -eq 0
check "...and says the estimate was not compared" grep -q 'est_cpython_pause_p99_ns: not compared, no value in B' <<<"$out"

check "gclab help mentions --calibration" bash -c "'$gclab' help | grep -q -- '--calibration FILE'"
for cmd in run suite sweep plan; do
  check "$cmd --help mentions --calibration" bash -c "'$gclab' $cmd --help | grep -q -- --calibration"
done

finish
