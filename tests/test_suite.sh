#!/usr/bin/env bash
# tests/test_suite.sh GCLAB SOURCE_DIR -- gclab suite, sweep, plan and merge
# driven as a user would: suite-file errors, grids, a killed and a timed-out
# child, an interrupted suite resumed, a plan run through GNU parallel.
set -uo pipefail
gclab=$1
src=$2
. "$src/tests/cli_lib.sh"

rows() { # runs.csv -> its data rows
  python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline="")))))' "$1"
}
header() { head -1 "$1"; }
keyset() { # runs.csv -> sorted "config|repeat|status" lines
  python3 -c '
import csv,sys
for r in sorted((r["config"], r["repeat"], r["status"]) for r in csv.DictReader(open(sys.argv[1], newline=""))):
    print("|".join(r))' "$1"
}

# ------------------------------------------------------------ suite-file errors
# Each: the file's text, the line and words the one-line message must hold.
bad_file() { # name, expected "FILE:LINE:" suffix and words, then the YAML
  local what=$1 want=$2 text=$3
  printf '%s\n' "$text" > "$tmp/$what.yaml"
  "$gclab" suite "$tmp/$what.yaml" -o "$tmp/out-$what" > "$tmp/o" 2> "$tmp/e"
  local rc=$?
  check "$what: exit 2 (got $rc)" test "$rc" -eq 2
  check "$what: one line" test "$(wc -l < "$tmp/e")" -eq 1
  check "$what: says '$want' (got: $(cat "$tmp/e"))" grep -qF -- "$tmp/$what.yaml:$want" "$tmp/e"
  check "$what: wrote nothing" test ! -e "$tmp/out-$what"
}
bad_file unknown-key "3: unknown key 'repeats' (valid: name," "name: x
matrix: [{workload: seed-cycles, collector: refcount}]
repeats: 3"
bad_file unknown-entry-key "4: unknown key 'colectors' in a matrix entry (valid: workload," "name: x
matrix:
  - workload: seed-cycles
    colectors: all"
bad_file bad-repeat "2: repeat must be an integer from 1 to 1000, got -1" "name: x
repeat: -1
matrix: [{workload: seed-cycles, collector: refcount}]"
bad_file unknown-collector "5: unknown collector 'generationl' (valid: refcount, generational" "name: x
matrix:
  - workload: seed-cycles
    collectors:
      - generationl"
bad_file bad-param "5: " "name: x
matrix:
  - workload: seed-cycles
    collector: refcount
    params: {count: lots}"
check "bad-param: names the parameter" grep -q "count" "$tmp/e"
bad_file unknown-param "5: unknown parameter 'cont'" "name: x
matrix:
  - workload: seed-cycles
    collector: refcount
    params: {cont: 5}"
# The workload's own check (prepare) runs at load, as gclab run's does: a
# trace file that is not there is bad input before any run starts.
bad_file missing-trace "3: " "name: x
matrix:
  - workload: trace
    collector: refcount
    params: {file: /nonexistent/gclab-no-such.trace}"
check "missing-trace: names the file" grep -q "gclab-no-such.trace" "$tmp/e"
# A setting's own bad value points at the line of that setting.
bad_file bad-second-param "7: " "name: x
matrix:
  - workload: seed-cycles
    collector: refcount
    params:
      count: 10
      kind: bogus"
check "bad-second-param: names kind" grep -q "kind" "$tmp/e"
# A value with a line break is quoted on one line all the same.
bad_file newline-in-value "3: unknown workload 'web?x'" "name: x
matrix:
  - workload: \"web\\nx\"
    collector: refcount"
# Grids whose product is out of all proportion: refused, not expanded.
bad_file too-many-configs "6: these grids make more than 4096 threshold settings" "name: x
matrix:
  - workload: web
    collector: generational
    threshold0: 0:9999:1
    threshold1: 0:9999:1"
bad_file bad-grid "5: threshold0: bad grid '100:10:log3'" "name: x
matrix:
  - workload: seed-cycles
    collector: generational
    threshold0: 100:10:log3"
bad_file thresholds-refcount "4: collector refcount has 0 thresholds" "name: x
matrix:
  - workload: seed-cycles
    threshold0: 5,10
    collectors: [generational, refcount]"
bad_file yaml-syntax "4: not valid YAML: did not find expected ',' or ']' while parsing a flow sequence (from line 3)" "name: x
matrix:
  - workload: [seed-cycles
    collector: refcount"
bad_file no-matrix "1: the suite has no matrix" "name: x"
"$gclab" suite "$tmp/no-such.yaml" -o "$tmp/out-missing" > /dev/null 2> "$tmp/e"
check "missing file: exit 2" test $? -eq 2
check "missing file: names it" grep -qF "$tmp/no-such.yaml: cannot read the suite file" "$tmp/e"
check "missing file: wrote nothing" test ! -e "$tmp/out-missing"
# A suite's name is one folder under results/ (the default -o): a name that
# is a path is refused before anything is made, wherever it points.
bad_name() { # what, the name as YAML
  local what=$1 cwd="$tmp/cwd-$1" rc
  mkdir -p "$cwd"
  printf 'name: %s\nrepeat: 1\nwarmup: 0\nmatrix: [{workload: seed-cycles, collector: refcount, params: {count: 10}}]\n' \
    "$2" > "$cwd/s.yaml"
  (cd "$cwd" && timeout 120 "$gclab" suite -q --no-report s.yaml) > /dev/null 2> "$tmp/e"; rc=$?
  check "name $what: exit 2 (got $rc)" test "$rc" -eq 2
  check "name $what: one line" test "$(wc -l < "$tmp/e")" -eq 1
  check "name $what: names the file and line (got: $(head -c 300 "$tmp/e"))" grep -qF "gclab: s.yaml:1: name must be" "$tmp/e"
  check "name $what: made nothing" test "$(ls -A "$cwd")" = "s.yaml"
}
bad_name up "../../../../escaped-up"
check "name up: nothing escaped the results folder" test ! -e "$tmp/escaped-up"
bad_name absolute "$tmp/escaped-abs"
check "name absolute: nothing written there" test ! -e "$tmp/escaped-abs"
bad_name slash "a/b"
bad_name dotdot ".."
bad_name hidden ".x"
bad_name space "'two words'"
bad_name newline '"two\nlines"'
bad_name empty "''"
"$gclab" plan --repeat 1 "$tmp/cwd-up/s.yaml" > /dev/null 2> "$tmp/e"
check "plan refuses the name too: exit 2" test $? -eq 2
# Input that never ends, never comes or is too large is refused at once
# with one line (a suite file is at most 1 MiB), before anything is made.
bad_input() { # what, the file, the reason expected
  local what=$1 file=$2 want=$3 rc start=$SECONDS
  timeout 20 "$gclab" suite "$file" -o "$tmp/out-input" > /dev/null 2> "$tmp/e"; rc=$?
  check "$what: exit 2 (got $rc)" test "$rc" -eq 2
  check "$what: within seconds" test $((SECONDS - start)) -lt 10
  check "$what: one line" test "$(wc -l < "$tmp/e")" -eq 1
  check "$what: says '$want' (got: $(head -c 300 "$tmp/e"))" grep -qF -- "gclab: $file: cannot read the suite file: $want" "$tmp/e"
  check "$what: wrote nothing" test ! -e "$tmp/out-input"
}
bad_input "/dev/zero" /dev/zero "a character device, not a regular file"
bad_input "/dev/urandom" /dev/urandom "a character device, not a regular file"
mkfifo "$tmp/fifo.yaml"
bad_input "a FIFO without a writer" "$tmp/fifo.yaml" "a FIFO, not a regular file"
mkdir "$tmp/dir.yaml"
bad_input "a folder" "$tmp/dir.yaml" "a directory, not a regular file"
truncate -s $((1048576 + 1)) "$tmp/big.yaml"
bad_input "a file over 1 MiB" "$tmp/big.yaml" "1048577 bytes, more than the limit of 1 MiB"
python3 -c 'import sys; sys.stdout.write("name: x\n" + "#" * (1048576 - 9) + "\n")' > "$tmp/limit.yaml"
"$gclab" suite "$tmp/limit.yaml" -o "$tmp/out-input" > /dev/null 2> "$tmp/e"
check "a file of exactly 1 MiB is read (got: $(head -c 300 "$tmp/e"))" grep -qF "$tmp/limit.yaml:1: the suite has no matrix" "$tmp/e"
timeout 20 "$gclab" plan /dev/zero > /dev/null 2> "$tmp/e"
check "plan /dev/zero: exit 2" test $? -eq 2
check "...says why" grep -qF "gclab: /dev/zero: cannot read the suite file: a character device" "$tmp/e"
mkdir -p "$tmp/resume-fifo" && mkfifo "$tmp/resume-fifo/suite.yaml"
timeout 20 "$gclab" suite --resume -o "$tmp/resume-fifo" > /dev/null 2> "$tmp/e"
check "resume with suite.yaml a FIFO: exit 2" test $? -eq 2
check "...says why" grep -qF "gclab: $tmp/resume-fifo/suite.yaml: cannot read the suite file: a FIFO, not a regular file" "$tmp/e"
"$gclab" suite --repeat 0 > /dev/null 2> "$tmp/e"
check "bad --repeat: exit 2" test $? -eq 2
check "bad --repeat: says the range" grep -q "from 1 to 1000" "$tmp/e"

# ------------------------------------------------------------ grids
plan_t() { # sweep args... -> "t0,t1" per configuration, sorted unique
  "$gclab" sweep -w seed-cycles -c generational --repeat 1 -o "$tmp/plan" --plan "$@" |
    sed -n "s/.* -t \([0-9,]*\) .*/\1/p" | sort -t, -k1,1n -k2,2n -u | tr '\n' ' '
}
check "grid list" test "$(plan_t --threshold0 5,10,700)" = "5 10 700 "
check "grid linear" test "$(plan_t --threshold0 100:500:200)" = "100 300 500 "
check "grid log3" test "$(plan_t --threshold0 100:10000:log3)" = "100 1000 10000 "
check "grid log5" test "$(plan_t --threshold0 100:10000:log5)" = "100 316 1000 3162 10000 "
check "grid 2-D: threshold0 x threshold1, threshold2 default" \
  test "$(plan_t --threshold0 100:10000:log3 --threshold1 5,20)" = "100,5 100,20 1000,5 1000,20 10000,5 10000,20 "
n=$("$gclab" sweep -w seed-cycles -c generational --threshold0 100:10000:log3 --threshold1 5,10,20 --repeat 4 --plan | wc -l)
check "grid 3x3 with 4 repeats is 36 runs (got $n)" test "$n" -eq 36
"$gclab" sweep -w seed-cycles -c generational --threshold0 100:10:5 --plan > /dev/null 2> "$tmp/e"
check "bad grid: exit 2" test $? -eq 2
check "bad grid: one line naming the forms" grep -q "START:STOP:logN" "$tmp/e"
"$gclab" sweep -w seed-cycles -c refcount --threshold0 5 --plan > /dev/null 2> "$tmp/e"
check "sweep of a collector without thresholds: exit 2" test $? -eq 2
# Rounds interleave configurations: each repeat's runs come before the next's.
"$gclab" sweep -w seed-cycles -c generational --threshold0 1:3:1 --repeat 3 --plan |
  sed -n 's/.* --repeat \([0-9]*\) .*/\1/p' | tr -d '\n' > "$tmp/order"
check "interleaved: 000111222 (got $(cat "$tmp/order"))" test "$(cat "$tmp/order")" = "000111222"

# ------------------------------------------------------------ a small suite, run whole
cat > "$tmp/small.yaml" <<'EOF'
name: small
repeat: 2
warmup: 1
matrix:
  - workload: seed-cycles
    collectors: [refcount, generational]
    params: {count: 2000}
  - workload: web
    collector: generational
    threshold0: 700,7000
    params: {live_mb: 1, requests: 200}
EOF
"$gclab" suite "$tmp/small.yaml" -o "$tmp/full" -j 2 --no-report > "$tmp/full.out" 2> "$tmp/full.err"
check "small suite, two at a time: exit 0" test $? -eq 0
check "small suite: said 2 at a time" grep -q "2 at a time" "$tmp/full.err"
check "small suite: 8 rows" test "$(rows "$tmp/full/runs.csv")" -eq 8
check "small suite: plain progress lines off a terminal" grep -q "gclab: \[8/8\] ok" "$tmp/full.err"
check "small suite: a summary table" grep -q "seed-cycles/generational count=2000" "$tmp/full.out"
check "small suite: summary.csv, one row per configuration" test "$(rows "$tmp/full/summary.csv")" -eq 4
check "small suite: param columns of both workloads" grep -q "param_count.*param_requests\|param_requests.*param_count" "$tmp/full/runs.csv"
check "small suite: warm-ups are not kept" test "$(ls "$tmp/full/runs" | grep -c warmup)" -eq 0
"$gclab" suite "$tmp/small.yaml" -o "$tmp/full" > /dev/null 2> "$tmp/e"
check "same folder again without --resume: exit 2" test $? -eq 2
check "... and says --resume" grep -q -- "--resume" "$tmp/e"
"$gclab" suite --resume -o "$tmp/nothing-here" > /dev/null 2> "$tmp/e"
check "--resume of an empty folder: exit 2" test $? -eq 2
"$gclab" suite --resume -o "$tmp/full" --no-report -q > /dev/null 2>&1
check "--resume of a finished suite: exit 0, nothing redone" test $? -eq 0 -a "$(rows "$tmp/full/runs.csv")" -eq 8

# ------------------------------------------------------------ interrupted, then resumed
cat > "$tmp/slow.yaml" <<'EOF'
name: slow
repeat: 2
warmup: 0
matrix:
  - workload: seed-cycles
    collectors: [refcount, generational]
    params: {count: 300000}
EOF
"$gclab" suite "$tmp/slow.yaml" -o "$tmp/whole" --no-report -q > /dev/null 2>&1
"$gclab" suite "$tmp/slow.yaml" -o "$tmp/cut" --no-report -q > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1200); do # until one run has finished (a minute at most)
  [ "$(ls "$tmp"/cut/runs/*/runs.csv 2>/dev/null | wc -l)" -ge 1 ] && break
  sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
check "interrupted: exit 130 (got $rc)" test "$rc" -eq 130
kept=$(ls "$tmp"/cut/runs/*/runs.csv 2>/dev/null | wc -l)
check "interrupted: some runs kept, not all ($kept)" test "$kept" -ge 1 -a "$kept" -lt 4
check "interrupted: what finished is merged" test "$(rows "$tmp/cut/runs.csv")" -eq "$kept"
first_ids=$(python3 -c 'import csv,sys; print(" ".join(sorted(r["run_id"] for r in csv.DictReader(open(sys.argv[1], newline="")))))' "$tmp/cut/runs.csv")
"$gclab" suite --resume -o "$tmp/cut" --no-report > /dev/null 2> "$tmp/e"
check "resumed: exit 0" test $? -eq 0
check "resumed: says what was done" grep -q "resuming: $kept of 4 runs already finished" "$tmp/e"
check "resumed: the same rows as an uninterrupted suite" test "$(keyset "$tmp/cut/runs.csv")" = "$(keyset "$tmp/whole/runs.csv")"
for id in $first_ids; do
  check "resumed: run $id kept, not redone" grep -q "$id" "$tmp/cut/runs.csv"
done

# ------------------------------------------------------------ a killed child, a timed-out child
cat > "$tmp/kill.yaml" <<'EOF'
name: kill
repeat: 1
warmup: 0
timeout: 30
matrix:
  - workload: seed-cycles
    collector: refcount
    params: {count: 1000}
  - workload: seed-cycles
    collector: generational
    params: {count: 200000000}
EOF
signal_long_run() { # signal, output folder: run kill.yaml, send the long run the signal
  "$gclab" suite "$tmp/kill.yaml" -o "$2" --no-report > /dev/null 2> "$2.err" &
  local pid=$! victim=
  for _ in $(seq 200); do
    victim=$(pgrep -f -- "--config seed-cycles/generational count=200000000" | head -1)
    [ -n "$victim" ] && break
    sleep 0.05
  done
  sleep 0.3
  [ -n "$victim" ] && kill "-$1" "$victim"
  wait "$pid"
}
signal_long_run KILL "$tmp/kill"
check "killed child: the suite goes on, exit 0" test $? -eq 0
check "killed child: both runs in runs.csv" test "$(rows "$tmp/kill/runs.csv")" -eq 2
status=$(python3 -c '
import csv,sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print(r["collector"], r["status"], r["failure"], r["ops_per_s"], r["wall_ns"] != "NA")' "$tmp/kill/runs.csv" | sort)
check "killed child: recorded failed with its signal ($status)" grep -q "generational failed killed by SIGKILL" <<< "$status"
check "killed child: NA for what it did not measure, wall time from the parent" grep -q "generational failed .* NA True" <<< "$status"
check "killed child: the other run ok" grep -q "^refcount ok" <<< "$status"
check "killed child: said on stderr" grep -q "FAILED c001-seed-cycles-generational-r0" "$tmp/kill.err"

# A crash: SIGABRT (not SEGV: ASan would catch that and exit 1).
signal_long_run ABRT "$tmp/crash"
check "crashed child: the suite goes on, exit 0" test $? -eq 0
check "crashed child: recorded with its signal" grep -q "failed,\"crashed: signal 6 (SIGABRT" "$tmp/crash/runs.csv"

# Out of memory under memory_limit_mb (RLIMIT_AS).  ASan reserves terabytes
# of address space, so under ASan the run cannot even start: still failed.
cat > "$tmp/oom.yaml" <<'EOF'
name: oom
repeat: 1
warmup: 0
memory_limit_mb: 300
matrix:
  - workload: bigblocks
    collector: disabled
    params: {total_mb: 2000, rounds: 1}
EOF
"$gclab" suite "$tmp/oom.yaml" -o "$tmp/oom" --no-report -q > /dev/null 2>&1
check "out of memory: exit 0" test $? -eq 0
if ldd "$gclab" | grep libasan > /dev/null; then # not -q: with pipefail, SIGPIPE to ldd would count
  check "out of memory (ASan): recorded failed" grep -q "failed,\"crashed: .*ulimit -v" "$tmp/oom/runs.csv"
else
  check "out of memory: recorded with its reason, not as a crash" grep -q "failed,out of memory: gclab: run failed: out of memory allocating" "$tmp/oom/runs.csv"
fi

"$gclab" suite "$tmp/kill.yaml" -o "$tmp/timeout" --timeout 0.5 --no-report -q > /dev/null 2>&1
check "timed out: exit 0" test $? -eq 0
check "timed out: recorded with its reason" grep -q "failed,timed out after 0.5 s" "$tmp/timeout/runs.csv"

# ------------------------------------------------------------ plan | parallel, then merge
"$gclab" plan "$tmp/small.yaml" -o "$tmp/planned" > "$tmp/plan.txt"
check "plan: one command per measured run" test "$(wc -l < "$tmp/plan.txt")" -eq 8
check "plan: self-contained commands (absolute gclab)" grep -q "^/.*gclab run -q -c" "$tmp/plan.txt"
if command -v parallel > /dev/null; then
  parallel --will-cite -j2 < "$tmp/plan.txt" > /dev/null 2>&1
  check "parallel: every command succeeded" test $? -eq 0
else
  echo "FAIL GNU parallel is not installed (scripts/setup.sh installs it)"; failed=$((failed + 1))
fi
"$gclab" merge -o "$tmp/planned" "$tmp/planned" > /dev/null 2> "$tmp/e"
check "merge: exit 0" test $? -eq 0
for f in runs.csv pauses.csv timeseries.csv workers.csv; do
  check "merge: $f has the suite's columns" test "$(header "$tmp/planned/$f")" = "$(header "$tmp/full/$f")"
done
check "merge: as many rows as the suite" test "$(rows "$tmp/planned/runs.csv")" -eq "$(rows "$tmp/full/runs.csv")"
check "merge: the same configurations and repeats" test "$(keyset "$tmp/planned/runs.csv")" = "$(keyset "$tmp/full/runs.csv")"

"$gclab" plan "$tmp/small.yaml" -o "$tmp/slurm" --format slurm > "$tmp/job.sbatch"
check "slurm: an array of 8 tasks" grep -q "^#SBATCH --array=0-7$" "$tmp/job.sbatch"
check "slurm: valid bash" bash -n "$tmp/job.sbatch"
check "slurm: the task's command runs" env SLURM_ARRAY_TASK_ID=3 bash "$tmp/job.sbatch"
check "slurm: ... and wrote its run" test "$(ls -d "$tmp"/slurm/runs/*/ | wc -l)" -eq 1
"$gclab" plan "$tmp/small.yaml" --format xml > /dev/null 2> "$tmp/e"
check "plan: bad format exit 2" test $? -eq 2
check "plan: names the formats" grep -q "valid: lines, slurm" "$tmp/e"

finish
