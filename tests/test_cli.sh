#!/usr/bin/env bash
# The gclab command as a user types it: output, exit status, error lines.
set -uo pipefail
gclab=$1
fails=0
check() { # description, then a command that must succeed
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
out=$("$gclab" list); rc=$?
check "list exits 0" test $rc -eq 0
check "list names refcount" grep -q '^  refcount ' <<<"$out"
check "list names generational with its thresholds" grep -q 'thresholds: 700, 10, 10' <<<"$out"

out=$("$gclab" demo); rc=$?
check "demo exits 0" test $rc -eq 0
check "demo: generational collects the 10 dict self-cycles" grep -Eq '^generational +d = \{\}; d\[0\] = d +x10 +10 ' <<<"$out"
check "demo: refcount leaks them" grep -Eq '^refcount +d = \{\}; d\[0\] = d +x10 +0 +10 containers' <<<"$out"

err=$("$gclab" frobnicate 2>&1 >/dev/null); rc=$?
check "unknown command exits 2" test $rc -eq 2
check "unknown command: one line naming the valid ones" test "$(wc -l <<<"$err")" -eq 1
check "unknown command: names list and demo" grep -q 'valid: list, demo' <<<"$err"
out=$("$gclab" frobnicate 2>/dev/null)
check "unknown command prints nothing on stdout" test -z "$out"

"$gclab" >/dev/null 2>&1; rc=$?
check "no command exits 2" test $rc -eq 2
check "--help exits 0" "$gclab" --help
check "--version names the allocator" bash -c "'$gclab' --version | grep -Eq 'allocator (jemalloc|libc)'"

echo "$((13 - fails)) passed, $fails failed"
[ $fails -eq 0 ]
