# tests/cli_lib.sh -- what the shell tests of the gclab command share.
# Source it after setting -uo pipefail; it makes $tmp (removed on exit).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

check() { # description, then a command that must succeed
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL $what"; failed=$((failed + 1)); fi
}

col() { # file column-name -> the value in the first data row
  python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); print(r[0][sys.argv[2]])' "$1" "$2"
}

bad() { # description, expected text on stderr, gclab arguments...: bad input is
  # exit 2, one line on stderr saying it, and nothing written to $tmp/bad
  local what=$1 want=$2; shift 2
  local dir="$tmp/bad" err rc
  err=$("$gclab" "$@" 2>&1 >/dev/null); rc=$?
  check "$what: exit 2" test $rc -eq 2
  check "$what: one line" test "$(wc -l <<<"$err")" -eq 1
  check "$what: says '$want'" grep -qF -- "$want" <<<"$err"
  check "$what: writes nothing" test ! -e "$dir"
}

finish() { # the closing line, and the exit status
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
