#!/usr/bin/env bash
# scripts/hyperfine.sh and scripts/perf.sh as a user runs them: their files,
# perf's counts with and without --phase (gclab's GCLAB_PERF_CTL), bad input.
# usage: test_tools.sh GCLAB SOURCE_DIR
set -uo pipefail
export GCLAB=$1
src=$2
. "$(dirname "$0")/cli_lib.sh"
hf=$src/scripts/hyperfine.sh
perf_sh=$src/scripts/perf.sh

for tool in hyperfine perf; do
  command -v $tool >/dev/null || { echo "FAIL $tool is not installed: run scripts/setup.sh"; exit 1; }
done
# perf must work here: a test that skipped it would pass on a machine where perf.sh cannot.
if ! err=$(perf stat -e task-clock -o /dev/null -- true 2>&1); then
  echo "FAIL perf cannot count here (perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)," \
    "uid $(id -u); needs <= 2 or root, and perf_event_open allowed by the container): ${err//$'\n'/ }"
  exit 1
fi

# ---- hyperfine.sh: two collectors, a tiny workload, two runs
out=$("$hf" -w seed-cycles -c refcount,generational -p count=2000 -r 2 --warmup 0 -o "$tmp/hf" 2>"$tmp/hf.err"); rc=$?
check "hyperfine.sh exits 0" test $rc -eq 0
[ $rc -eq 0 ] || sed "s/^/  | /" "$tmp/hf.err"
for f in csv json md; do
  check "hyperfine.sh writes hyperfine.$f" test -s "$tmp/hf/hyperfine.$f"
done
check "hyperfine.csv: one row per collector" python3 -c '
import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline="")))
assert [x["parameter_collector"] for x in r]==["refcount","generational"], r
assert all(float(x["mean"])>0 for x in r), r' "$tmp/hf/hyperfine.csv"
check "hyperfine.json: one result per collector, each of 2 runs that exited 0" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))["results"]
assert [x["parameters"]["collector"] for x in r]==["refcount","generational"], r
assert all(len(x["times"])==2 and x["exit_codes"]==[0,0] for x in r), r' "$tmp/hf/hyperfine.json"
check "hyperfine.md: one table row per collector" test "$(grep -cE '^\| `(refcount|generational)` \|' "$tmp/hf/hyperfine.md")" -eq 2
check "hyperfine.sh prints the table" grep -q '^| `generational` |' <<<"$out"
check "hyperfine.sh --help exits 0" bash -c "'$hf' --help | grep -q usage"

# ---- perf.sh stat, with and without --phase, on a run whose preparation
# (parsing a 4 MB trace) costs many times the replay it measures (~20x in
# the release build, ~8x under ASan): events, which cost nothing to replay,
# and dicts
python3 - "$tmp/big.trace" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("gclab-trace 1\n")
    for i in range(100000):
        f.write(f"event a{i % 1000}\nevent b{i % 1000}\nevent c{i % 1000}\ndict d{i % 1000}\n")
PY
run=(-c refcount -w trace -p file="$tmp/big.trace" -q)
task_clock() { # stat output file -> task-clock in ms
  awk -F, '$3 == "task-clock" { print $1 }' "$1"
}
"$perf_sh" stat -x, -- "${run[@]}" -o "$tmp/whole" >"$tmp/whole.txt" 2>"$tmp/whole.err"; rc=$?
check "perf.sh stat exits 0" test $rc -eq 0
[ $rc -eq 0 ] || sed "s/^/  | /" "$tmp/whole.err"
check "perf.sh stat counts the default software events" \
  test "$(awk -F, '{ print $3 }' "$tmp/whole.txt" | tr '\n' ' ')" = "task-clock page-faults context-switches cpu-migrations "
"$perf_sh" stat -x, --phase -- "${run[@]}" -o "$tmp/phase" >"$tmp/phase.txt" 2>"$tmp/phase.err"; rc=$?
check "perf.sh stat --phase exits 0" test $rc -eq 0
[ $rc -eq 0 ] || sed "s/^/  | /" "$tmp/phase.err"
check "perf.sh stat --phase: gclab gives no warning" bash -c "! grep -q warning '$tmp/phase.err'"
whole=$(task_clock "$tmp/whole.txt") phase=$(task_clock "$tmp/phase.txt")
cpu=$(col "$tmp/phase/runs.csv" cpu_ns 2>/dev/null)
echo "task-clock: whole run ${whole:-?} ms, --phase ${phase:-?} ms; gclab's cpu_ns ${cpu:-?}"
check "--phase counts something" python3 -c 'import sys; assert float(sys.argv[1]) > 0' "$phase"
check "--phase counts less than half the whole run (preparation excluded)" \
  python3 -c 'import sys; assert 2 * float(sys.argv[1]) < float(sys.argv[2])' "$phase" "$whole"
check "--phase counts what gclab measured as CPU time (cpu_ns)" python3 -c '
import sys; p, c = float(sys.argv[1]), int(sys.argv[2]) / 1e6
assert 0.7 * c - 1 <= p <= 1.3 * c + 3, (p, c)' "$phase" "$cpu"

# ---- perf.sh record: the whole run samples the trace's parsing; --phase does not
"$perf_sh" record -o "$tmp/whole.data" -n 1000 -- "${run[@]}" -o "$tmp/rw" >"$tmp/rw.txt" 2>"$tmp/rw.err"; rc=$?
check "perf.sh record exits 0" test $rc -eq 0
[ $rc -eq 0 ] || sed "s/^/  | /" "$tmp/rw.err"
check "perf.sh record prints perf report's lines" grep -Eq '^ +[0-9.]+% +gclab ' "$tmp/rw.txt"
check "perf.sh record: the whole run includes the trace's parsing" grep -q ' trace_parse$' "$tmp/rw.txt"
"$perf_sh" record --phase -F 20000 -o "$tmp/phase.data" -n 1000 -- "${run[@]}" -o "$tmp/rp" >"$tmp/rp.txt" 2>"$tmp/rp.err"; rc=$?
check "perf.sh record --phase exits 0" test $rc -eq 0
[ $rc -eq 0 ] || sed "s/^/  | /" "$tmp/rp.err"
check "perf.sh record --phase samples the run" grep -Eq '^ +[0-9.]+% +gclab ' "$tmp/rp.txt"
check "perf.sh record --phase: not the trace's parsing" bash -c "! grep -q ' trace_parse\$' '$tmp/rp.txt'"

# ---- GCLAB_PERF_CTL that is no perf FIFO: one warning, the run goes on, nothing written to it
echo keep >"$tmp/plain"
err=$(GCLAB_PERF_CTL=$tmp/nonexistent,$tmp/ack "$GCLAB" run -c refcount -w seed-cycles -p count=100 -q -o "$tmp/c1" 2>&1); rc=$?
check "GCLAB_PERF_CTL without perf: exit 0" test $rc -eq 0
check "GCLAB_PERF_CTL without perf: one warning line" test "$(grep -c 'warning: GCLAB_PERF_CTL' <<<"$err"),$(wc -l <<<"$err")" = "1,1"
GCLAB_PERF_CTL=$tmp/plain "$GCLAB" run -c refcount -w seed-cycles -p count=100 -q -o "$tmp/c2" 2>/dev/null
check "GCLAB_PERF_CTL naming a plain file: left alone" test "$(cat "$tmp/plain")" = keep

# ---- bad arguments: one line on stderr, exit 2, nothing run
bad() { # description, expected text on stderr, command...
  local what=$1 want=$2; shift 2
  local err rc
  err=$("$@" 2>&1 >/dev/null); rc=$?
  check "$what: exit 2" test $rc -eq 2
  check "$what: one line" test "$(wc -l <<<"$err")" -eq 1
  check "$what: says '$want'" grep -qF -- "$want" <<<"$err"
}
bad "hyperfine.sh without -w" "missing -w" "$hf" -c refcount -o "$tmp/bad"
bad "hyperfine.sh without -c" "missing -c" "$hf" -w web -o "$tmp/bad"
bad "hyperfine.sh unknown collector" "unknown collector 'nope'" "$hf" -w web -c refcount,nope -o "$tmp/bad"
bad "hyperfine.sh unknown parameter" "unknown parameter 'speed'" "$hf" -w web -c refcount -p speed=3 -o "$tmp/bad"
bad "hyperfine.sh bad -r" "-r expects" "$hf" -w web -c refcount -r 0 -o "$tmp/bad"
bad "hyperfine.sh unknown option" "unknown argument '--fast'" "$hf" -w web -c refcount --fast
bad "hyperfine.sh missing value" "needs a value" "$hf" -w web -c
check "bad hyperfine.sh arguments write nothing" test ! -e "$tmp/bad"
bad "perf.sh without a command" "missing a command" "$perf_sh"
bad "perf.sh unknown command" "unknown command 'top'" "$perf_sh" top -- -c refcount -w web
bad "perf.sh without --" "missing -- before gclab's run arguments" "$perf_sh" record -g
bad "perf.sh gclab's arguments before --" "gclab's arguments go after --" "$perf_sh" stat -c refcount -w web
bad "perf.sh without gclab's arguments" "missing gclab's run arguments" "$perf_sh" stat --
bad "perf.sh stat -g" "-g is an option of record" "$perf_sh" stat -g -- -c refcount -w web
bad "perf.sh bad -r" "-r expects" "$perf_sh" stat -r many -- -c refcount -w web
bad "perf.sh bad --call-graph" "--call-graph expects" "$perf_sh" record --call-graph magic -- -c refcount -w web
bad "perf.sh: gclab's bad input passes through" "unknown collector 'nope'" "$perf_sh" stat -- -c nope -w web -q
check "perf.sh --help exits 0" bash -c "'$perf_sh' --help | grep -q usage"

finish
