#!/usr/bin/env bash
# gclab summary and gclab compare as a user types them: statistics per
# configuration across repeats, and two result folders compared.
# usage: test_compare.sh GCLAB SOURCE_DIR
set -uo pipefail
gclab=$1
. "$(dirname "$0")/cli_lib.sh"

# A small web worker: about 10 ms a run.  rows=100 does about 10x the work
# per request of rows=5: a difference no machine noise hides.
small=(-c generational -w web -p requests=500 -p live_mb=2 --sample-ms 0 -q)
runs() { # repeats folder,label,rows...: the repeats of each, interleaved so that drift hits all alike
  local n=$1 r spec dir label rows; shift
  for ((r = 0; r < n; r++)); do
    for spec in "$@"; do
      IFS=, read -r dir label rows <<<"$spec"
      "$gclab" run "${small[@]}" -p rows="$rows" -o "$dir" --config "$label" --repeat $r || return 1
    done
  done
}
field() { # csv row-index column -> value
  python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); print(r[int(sys.argv[2])][sys.argv[3]])' "$@"
}
verdict() { # compare-output metric -> its verdict
  awk -v m="$2" '$1 == m { sub(/.*(exact|normal)  +/, ""); print; exit }' <<<"$1"
}

# ---- summary
runs 5 "$tmp/a,X,5" "$tmp/b,X,5" "$tmp/c,X,100" || { echo "FAIL gclab run"; exit 1; }
out=$("$gclab" summary "$tmp/a"); rc=$?
check "summary exits 0" test $rc -eq 0
check "summary writes summary.csv" test -s "$tmp/a/summary.csv"
check "summary leaves no temporary file" test -z "$(find "$tmp/a" -name '.*tmp*')"
check "summary.csv: one row per configuration" test "$(($(wc -l <"$tmp/a/summary.csv") - 1))" -eq 1
check "summary.csv: 5 ok runs" test "$(field "$tmp/a/summary.csv" 0 runs_ok),$(field "$tmp/a/summary.csv" 0 runs_failed)" = 5,0
check "summary.csv: the workload's parameters" grep -q 'requests=500 cyclic_fraction=0.3 rows=5' "$tmp/a/summary.csv"
check "summary.csv: median ops/s is the median of runs.csv's" python3 -c '
import csv,sys,statistics
runs=list(csv.DictReader(open(sys.argv[1]+"/runs.csv", newline="")))
s=list(csv.DictReader(open(sys.argv[1]+"/summary.csv", newline="")))[0]
want=statistics.median(float(r["ops_per_s"]) for r in runs)
assert abs(float(s["ops_per_s_median"]) - want) <= 1e-6 * want, (s["ops_per_s_median"], want)
lo, hi = float(s["ops_per_s_ci_lo"]), float(s["ops_per_s_ci_hi"])
assert lo <= want <= hi, (lo, want, hi)' "$tmp/a"
check "summary.csv: every pause of every run merged" python3 -c '
import csv,sys
p=list(csv.DictReader(open(sys.argv[1]+"/pauses.csv", newline="")))
s=list(csv.DictReader(open(sys.argv[1]+"/summary.csv", newline="")))[0]
d=sorted(int(r["duration_ns"]) for r in p)
assert int(s["pauses_merged"]) == len(d) > 0, (s["pauses_merged"], len(d))
assert int(s["pause_merged_max_ns"]) == d[-1]
assert int(s["pause_merged_p50_ns"]) == d[(len(d) + 1) // 2 - 1]' "$tmp/a"
# The unit follows the value (a loaded machine, an ASan build beside other
# tests, can make this small run slower than 1000 requests/s): k from 1000.
med=$(field "$tmp/a/summary.csv" 0 ops_per_s_median)
k=$(python3 -c 'import sys; v=float(sys.argv[1]); print("" if v < 1e3 else "k" if v < 1e6 else "M")' "$med")
check "summary prints the configuration with units (median $med ops/s)" grep -Eq "^X +5 +[0-9.]+$k ±[0-9.]+ " <<<"$out"
check "summary prints pauses with a unit" grep -Eq '[0-9.]+ (ns|µs|ms|s) ±' <<<"$out"
# a failed run, as a suite records it
python3 -c '
import csv,sys
rows=list(csv.DictReader(open(sys.argv[1], newline="")))
r=dict(rows[0]); r["run_id"]="failed-1"; r["status"]="failed"; r["failure"]="killed by signal 9 (timeout)"
w=csv.DictWriter(open(sys.argv[1], "a", newline=""), fieldnames=list(rows[0]), lineterminator="\r\n"); w.writerow(r)' "$tmp/b/runs.csv"
out=$("$gclab" summary "$tmp/b"); rc=$?
check "summary of a folder with a failed run exits 0" test $rc -eq 0
check "...counts it" test "$(field "$tmp/b/summary.csv" 0 runs_ok),$(field "$tmp/b/summary.csv" 0 runs_failed)" = 5,1
check "...and names its reason" grep -q 'killed by signal 9 (timeout)' <<<"$out"
check "summary --help exits 0" bash -c "'$gclab' summary --help >/dev/null"

# ---- compare: the same configuration in two folders
same_config() { # the ops_per_s verdict of a compare of two fresh folders of the same configuration
  rm -rf "$tmp/s1" "$tmp/s2"
  runs 5 "$tmp/s1,X,5" "$tmp/s2,X,5" && verdict "$("$gclab" compare "$tmp/s1" "$tmp/s2")" ops_per_s
}
v=$(verdict "$("$gclab" compare "$tmp/a" "$tmp/b")" ops_per_s)
# Runs of one configuration differ by chance; at p < 0.05 one comparison in
# about 30 is significant even on a quiet machine, so a significant result
# is tried once more on fresh folders (both failing: ~1 in 1000).
[ "$v" = "not significant" ] || v=$(same_config)
check "same configuration: ops_per_s not significant (got '$v')" test "$v" = "not significant"
out=$("$gclab" compare "$tmp/a" "$tmp/a"); rc=$?
check "a folder against itself: exit 0" test $rc -eq 0
check "a folder against itself: ratio 1, p 1, not significant" grep -Eq '^  ops_per_s +5/5 .* 1\.000  \[[0-9.]+, [0-9.]+\] +1 normal +not significant$' <<<"$out"
check "compare names its test" grep -q 'Mann-Whitney U' <<<"$out"

# ---- compare: a truly different configuration under the same label
out=$("$gclab" compare "$tmp/a" "$tmp/c" -o "$tmp/cmp.csv"); rc=$?
check "different configuration: exit 0" test $rc -eq 0
check "different configuration: B's ops_per_s slower (got '$(verdict "$out" ops_per_s)')" test "$(verdict "$out" ops_per_s)" = slower
check "different configuration: wall_ns slower" test "$(verdict "$out" wall_ns)" = slower
check "different configuration: exact p < 0.05 (2/252 when no run overlaps)" grep -Eq '^  ops_per_s +5/5 .* 0\.0[0-4][0-9]* exact ' <<<"$out"
check "-o writes the comparison as CSV" test "$(field "$tmp/cmp.csv" 0 metric),$(field "$tmp/cmp.csv" 0 significant),$(field "$tmp/cmp.csv" 0 verdict)" = "ops_per_s,1,slower"
check "...whose ratio is below 1/2, inside its CI" python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline="")))[0]; assert float(r["ratio_ci_lo"]) <= float(r["ratio"]) < 0.5 and float(r["ratio"]) <= float(r["ratio_ci_hi"]), r' "$tmp/cmp.csv"
check "-o leaves no temporary file" test -z "$(find "$tmp" -maxdepth 1 -name '.*tmp*')"
out=$("$gclab" compare "$tmp/a" "$tmp/c" --metric collections --metric ops); rc=$?
check "--metric: any runs.csv column" grep -Eq '^  collections +5/5 ' <<<"$out"
check "--metric: only those" test "$(grep -c '^  ops_per_s' <<<"$out")" -eq 0

# ---- too few repeats; configurations in one folder only
runs 3 "$tmp/d,X,100" && "$gclab" run "${small[@]}" -p rows=5 -o "$tmp/d" --config Z
out=$("$gclab" compare "$tmp/a" "$tmp/d"); rc=$?
check "3 repeats: exit 0" test $rc -eq 0
check "3 repeats: too few" test "$(verdict "$out" ops_per_s)" = "too few repeats (Mann-Whitney needs >= 4 per side for p < 0.05)"
check "a configuration only in B is listed" grep -q "^Only in B (not compared): 'Z'" <<<"$out"
"$gclab" run "${small[@]}" -p rows=5 -o "$tmp/e1"
"$gclab" run "${small[@]}" -p rows=100 -o "$tmp/e2"
out=$("$gclab" compare "$tmp/e1" "$tmp/e2"); rc=$?
check "one configuration each, labels differ: compared" grep -q 'compared although the labels differ' <<<"$out"

# ---- bad input: one line on stderr, exit 2, nothing written
bad() { # description, expected text on stderr, arguments...
  local what=$1 want=$2; shift 2
  local err rc
  err=$(timeout 20 "$gclab" "$@" 2>&1 >/dev/null); rc=$?
  check "$what: exit 2" test $rc -eq 2
  check "$what: one line" test "$(wc -l <<<"$err")" -eq 1
  check "$what: says '$want'" grep -qF -- "$want" <<<"$err"
  check "$what: writes nothing" test ! -e "$tmp/bad.csv"
}
mkdir -p "$tmp/empty"
bad "compare without folders" "needs two result folders" compare
bad "compare with one folder" "needs two result folders" compare "$tmp/a"
bad "compare with three folders" "unexpected argument" compare "$tmp/a" "$tmp/b" "$tmp/c"
bad "compare a folder that is not one" "no runs.csv in $tmp/empty" compare "$tmp/a" "$tmp/empty" -o "$tmp/bad.csv"
bad "compare a missing folder" "no runs.csv in $tmp/nope" compare "$tmp/nope" "$tmp/a" -o "$tmp/bad.csv"
bad "compare an unknown metric" "unknown metric 'speed'" compare "$tmp/a" "$tmp/b" --metric speed -o "$tmp/bad.csv"
bad "compare an unknown option" "unknown option '--fast'" compare "$tmp/a" "$tmp/b" --fast
bad "compare -o without a value" "needs a value" compare "$tmp/a" "$tmp/b" -o
bad "compare -o into a missing folder" "cannot write $tmp/nope/x.csv" compare "$tmp/a" "$tmp/b" -o "$tmp/nope/x.csv"
"$gclab" run "${small[@]}" -o "$tmp/f" --config P && "$gclab" run "${small[@]}" -o "$tmp/f" --config Q
bad "compare with nothing in common" "no configuration is in both" compare "$tmp/a" "$tmp/f" -o "$tmp/bad.csv"
bad "summary without a folder" "missing DIR" summary
bad "summary of a folder that is not one" "no runs.csv in $tmp/empty" summary "$tmp/empty"
bad "summary of two folders" "unexpected argument" summary "$tmp/a" "$tmp/b"
bad "summary with an unknown option" "unknown option '--fast'" summary --fast "$tmp/a"
check "summary of a folder that is not one writes nothing" test -z "$(ls -A "$tmp/empty")"
# A runs.csv that never ends, never comes, is a folder or is too large (a
# result file is at most 1 GiB): refused at once (the 20 s timeout of bad).
mkdir -p "$tmp/zero" "$tmp/dirrc/runs.csv" "$tmp/fifo" "$tmp/big"
ln -s /dev/zero "$tmp/zero/runs.csv"
mkfifo "$tmp/fifo/runs.csv"
truncate -s $((1073741824 + 1)) "$tmp/big/runs.csv"
bad "summary of runs.csv -> /dev/zero" "gclab: summary: cannot read $tmp/zero/runs.csv: a character device, not a regular file" summary "$tmp/zero"
bad "summary of runs.csv a folder" "gclab: summary: cannot read $tmp/dirrc/runs.csv: a directory, not a regular file" summary "$tmp/dirrc"
bad "summary of runs.csv a FIFO" "gclab: summary: cannot read $tmp/fifo/runs.csv: a FIFO, not a regular file" summary "$tmp/fifo"
bad "summary of runs.csv over 1 GiB" "gclab: summary: cannot read $tmp/big/runs.csv: 1073741825 bytes, more than the limit of 1 GiB" summary "$tmp/big"
bad "compare with runs.csv a FIFO" "cannot read $tmp/fifo/runs.csv: a FIFO, not a regular file" compare "$tmp/a" "$tmp/fifo" -o "$tmp/bad.csv"
check "...none of them got a summary.csv" test -z "$(find "$tmp/zero" "$tmp/dirrc" "$tmp/fifo" "$tmp/big" -name summary.csv)"
check "compare --help exits 0" bash -c "'$gclab' compare --help >/dev/null"

finish
