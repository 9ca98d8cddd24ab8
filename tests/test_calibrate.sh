#!/usr/bin/env bash
# tests/test_calibrate.sh GCLAB SRC -- gclab calibrate against the real
# interpreters: python3 (installed by scripts/setup.sh) on a reduced corpus,
# then every other interpreter this machine has (pyenv's and Debian's
# python3.X); the ideal profile must fail the check; bad input is one line,
# exit 2 and nothing written.
set -uo pipefail
gclab=$1 src=$2
. "$src/tests/cli_lib.sh"
cd "$src"

# The reduced corpus: one program per kind of rule the profiles model
# (free lists, the tuple free lists, instance dicts, resurrection, freeze,
# (), the start-up state, a tree heap, untracking).
reduced=dict-cycles,tuple-cycles,instance-dict-cycles,resurrect,freeze,empty-tuples,no-initial-collect,gcbench-10,atom-tuples

python3=/usr/bin/python3
[ -x "$python3" ] || python3=$(command -v python3)

# Every checked row of calibration.csv within tolerance, and each program
# there with its collections, collected objects and closing gc.collect().
all_within() { # dir
  awk -F, 'NR > 1 && $9 == "0" { bad++ } NR > 1 && $9 == "1" { ok++ } END { exit !(ok > 0 && bad == 0) }' "$1/calibration.csv"
}
has_rows() { # dir program...
  local d=$1; shift
  for p in "$@"; do
    for m in collections_gen0 collections_gen1 collections_gen2 collected final_collect; do
      grep -q ",$p,$m," "$d/calibration.csv" || { echo "no $p $m row"; return 1; }
    done
  done
}
fitted() { # dir: a cpython and a gclab row with numeric coefficients
  awk -F, 'NR > 1 && $6 ~ /^-?[0-9.]+$/ && $7 ~ /^-?[0-9.]+$/ { seen[$1]++ } END { exit !(seen["cpython"] && seen["gclab"]) }' "$1/pause-model.csv"
}

# 1. python3, reduced corpus: within tolerance, exit 0
"$gclab" calibrate --python "$python3" --programs "$reduced" -o "$tmp/py3" > "$tmp/py3.out" 2>&1
rc=$?
cat "$tmp/py3.out"
check "calibrate on $python3 exits 0 (got $rc)" test "$rc" -eq 0
check "calibration.csv: every checked figure within tolerance" all_within "$tmp/py3"
check "calibration.csv: one row per figure per program" has_rows "$tmp/py3" ${reduced//,/ }
check "pause-model.csv: CPython's and gclab's pause cost fitted" fitted "$tmp/py3"
check "the table says ok" grep -q "ok: " "$tmp/py3.out"

# 2. the check can fail: ideal (the rules alone, an empty heap) is outside
"$gclab" calibrate --python "$python3" --programs "$reduced" --profile ideal -o "$tmp/ideal" > "$tmp/ideal.out" 2>&1
rc=$?
check "calibrate --profile ideal exits 1 (got $rc)" test "$rc" -eq 1
check "ideal: some figure outside tolerance" awk -F, 'NR > 1 && $9 == "0" { bad++ } END { exit !bad }' "$tmp/ideal/calibration.csv"
check "ideal: the table says OUTSIDE" grep -q OUTSIDE "$tmp/ideal.out"

# 3. every other interpreter found (skipped, and said so, when none)
others=()
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for p in "$root"/versions/*/bin/python3 /usr/bin/python3.[0-9]*; do
  [ -x "$p" ] || continue
  case $p in *-config) continue ;; esac
  [ "$(readlink -f "$p")" = "$(readlink -f "$python3")" ] && continue
  v=$("$p" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue
  case $v in 3.8|3.9|3.10|3.11|3.12|3.13) others+=("$p") ;; *) echo "skip $p: Python $v has no profile" ;; esac
done
if [ ${#others[@]} -eq 0 ]; then
  echo "SKIP: no interpreter besides $python3 with a profile (3.8-3.13) found"
fi
for p in "${others[@]}"; do
  d="$tmp/other-$(echo "$p" | tr '/' '_')"
  "$gclab" calibrate -q --python "$p" --programs "$reduced" -o "$d" > "$d.out" 2>&1
  rc=$?
  cat "$d.out"
  check "calibrate on $p exits 0 (got $rc)" test "$rc" -eq 0
  check "$p: every checked figure within tolerance" all_within "$d"
done

# 4. bad input: one line on stderr, exit 2, nothing written
o="-o $tmp/bad"
bad "no interpreter there" "no executable interpreter there" calibrate --python "$tmp/nowhere/python3" $o
bad "an interpreter that fails" "the interpreter failed (exit status 1)" calibrate --python /bin/false $o
bad "not a Python interpreter" "not a Python 3 interpreter" calibrate --python /bin/echo $o
bad "an unknown program" "no corpus program 'nosuchprogram'" calibrate --python "$python3" --programs nosuchprogram $o
bad "an unknown profile" "choices: ideal, cpython-3.8" calibrate --python "$python3" --profile cpython-2.7 $o
bad "no corpus there" "cannot read the folder" calibrate --python "$python3" --corpus "$tmp/nocorpus" $o
mkdir -p "$tmp/failing"
printf 'raise SystemExit("boom in the program")\n' > "$tmp/failing/x.py"
printf 'gclab-trace 1\ncollect\n' > "$tmp/failing/x.trace"
bad "a program the interpreter fails on" "boom in the program" calibrate --python "$python3" --corpus "$tmp/failing" $o

finish
