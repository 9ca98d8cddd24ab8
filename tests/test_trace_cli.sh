#!/usr/bin/env bash
# The trace workload as a user runs it: the shipped traces run, and a bad
# trace is bad input (one line naming FILE:LINE, exit 2, nothing written).
# usage: test_trace_cli.sh GCLAB SOURCE_DIR
set -uo pipefail
gclab=$1
src=$2
. "$(dirname "$0")/cli_lib.sh"

# ---- the shipped traces run
out=$(cd "$src" && "$gclab" run -c generational -w trace -o "$tmp/sample" 2>&1); rc=$?
check "the default trace runs from the repository root: exit 0" test $rc -eq 0
check "...and writes runs.csv" test -s "$tmp/sample/runs.csv"
check "...one op per command: 10057" test "$(col "$tmp/sample/runs.csv" ops)" = 10057
check "...nothing leaks under generational" test "$(col "$tmp/sample/runs.csv" leaked_objects)" = 0
check "...the summary counts commands" grep -q 'commands/s' <<<"$out"
check "...runs.csv names the file" grep -q 'param_file,param_repeat' "$tmp/sample/runs.csv"
"$gclab" run -c refcount -w trace -p file="$src/workloads/traces/sample.trace" -p repeat=3 -o "$tmp/rc" -q 2>/dev/null; rc=$?
check "repeat=3 under refcount: exit 0" test $rc -eq 0
check "...ops are 3 passes" test "$(col "$tmp/rc/runs.csv" ops)" = 30171
check "...the request cycles leak" test "$(col "$tmp/rc/runs.csv" peak_garbage_objects)" = 2409
"$gclab" run -c generational -w trace -p file="$src/workloads/traces/make-cycle.trace" -o "$tmp/mc" -q 2>/dev/null; rc=$?
check "make-cycle.trace: exit 0" test $rc -eq 0
check "...collects its 1000 dicts" test "$(col "$tmp/mc/runs.csv" collected)" = 1000
check "gclab list gives trace's parameters" bash -c "'$gclab' list | grep -q 'file=workloads/traces/sample.trace'"

# ---- bad input: one line on stderr, exit 2, nothing written
bad() { # description, expected text on stderr, then gclab run arguments
  local what=$1 want=$2; shift 2
  local dir="$tmp/bad" err rc
  err=$(cd "$tmp" && timeout 20 "$gclab" run -c generational -w trace -o "$dir" "$@" 2>&1 >/dev/null); rc=$?
  check "$what: exit 2" test $rc -eq 2
  check "$what: one line" test "$(wc -l <<<"$err")" -eq 1
  check "$what: says '$want'" grep -qF -- "$want" <<<"$err"
  check "$what: writes nothing" test ! -e "$dir"
}
printf 'gclab-trace 1\nlist l\ndict d\nappend d l\n' >"$tmp/kind.trace"
bad "append to a dict" "$tmp/kind.trace:4: expected a list to append to, got 'd', a dict" -p file="$tmp/kind.trace"
printf 'gclab-trace 1\n\n# fine so far\nint x 1 2\n' >"$tmp/extra.trace"
bad "a field too many" "$tmp/extra.trace:4: expected end of line" -p file="$tmp/extra.trace"
printf 'gclab-trace 1\nint x\0 1\n' >"$tmp/nul.trace"
bad "a NUL byte" "$tmp/nul.trace:2: expected text, got a NUL byte" -p file="$tmp/nul.trace"
printf 'gclab-trace 1\nrepeat 3\n  dict d\n' >"$tmp/open.trace"
bad "an unclosed block" "$tmp/open.trace:2: expected an 'end'" -p file="$tmp/open.trace"
head -c 3000 /dev/urandom >"$tmp/junk.trace"
bad "random bytes" "$tmp/junk.trace:" -p file="$tmp/junk.trace"
: >"$tmp/empty.trace"
bad "an empty file" "$tmp/empty.trace:1: expected the header line" -p file="$tmp/empty.trace"
bad "a missing file" "gclab: trace file $tmp/missing.trace: No such file or directory" -p file="$tmp/missing.trace"
bad "a folder" "gclab: trace file $tmp: a directory, not a regular file" -p file="$tmp"
# Input that never ends or never comes is refused at once (within the 20 s
# timeout of bad, not after reading 64 MiB of it or waiting for a writer).
bad "/dev/zero" "gclab: trace file /dev/zero: a character device, not a regular file" -p file=/dev/zero
bad "/dev/urandom" "gclab: trace file /dev/urandom: a character device, not a regular file" -p file=/dev/urandom
mkfifo "$tmp/fifo.trace"
bad "a FIFO without a writer" "gclab: trace file $tmp/fifo.trace: a FIFO, not a regular file" -p file="$tmp/fifo.trace"
ln -s /dev/zero "$tmp/zero.trace"
bad "a link to /dev/zero" "gclab: trace file $tmp/zero.trace: a character device, not a regular file" -p file="$tmp/zero.trace"
truncate -s $((64 * 1048576 + 1)) "$tmp/big.trace"
bad "a file over the limit" "gclab: trace file $tmp/big.trace: 67108865 bytes, more than the limit of 64 MiB" -p file="$tmp/big.trace"
bad "the default, away from the root" "run from the repository root" -p repeat=1
bad "repeat out of range" "'repeat' must be an integer from 1" -p repeat=0

finish
