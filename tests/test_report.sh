#!/usr/bin/env bash
# gclab plot and gclab report as a user runs them: the plots gnuplot draws
# (PNG and SVG, scripts and data beside them), the HTML page -- self-contained,
# escaped, and rendered by headless Chromium without a console message and not
# blank -- and bad input.  The checks of the rendering are shown to fail on a
# blank page, on console.error and on an uncaught exception.
# usage: test_report.sh GCLAB SOURCE_DIR
set -uo pipefail
gclab=$1
src=$2
. "$(dirname "$0")/cli_lib.sh"
png_check="$src/tests/png_check.py"

# The project installs these (scripts/setup.sh): missing is a failure, not a skip.
chromium=$(command -v chromium || command -v chromium-browser || true)
for need in gnuplot python3; do
  command -v "$need" >/dev/null || { echo "FAIL $need not found: install it (scripts/setup.sh)"; exit 1; }
done
[ -n "$chromium" ] || { echo "FAIL chromium not found: install it (scripts/setup.sh installs chromium)"; exit 1; }

# ---- a result folder: 2 collectors x 3 repeats, and a threshold0 x threshold1 grid
d="$tmp/web"
web=(-w web -p live_mb=1 -p requests=800 --sample-ms 5 -o "$d" -q)
for c in generational refcount; do
  for r in 0 1 2; do
    "$gclab" run -c "$c" "${web[@]}" --config "web/$c requests=800" --repeat "$r" 2>/dev/null ||
      echo "FAIL run $c $r"
  done
done
for t0 in 200 2000; do
  for t1 in 5 20; do
    for r in 0 1; do
      "$gclab" run -c generational -t "$t0,$t1,10" "${web[@]}" --config "web/generational t=$t0,$t1,10" \
        --repeat "$r" 2>/dev/null || echo "FAIL run t=$t0,$t1 $r"
    done
  done
done
# A label with HTML and gnuplot specials, and a failed run whose reason holds markup.
"$gclab" run -c refcount "${web[@]}" --config 'web/<b>odd</b> & "quoted" it'"'"'s_x_@y' 2>/dev/null
python3 - "$d/runs.csv" <<'EOF'
import csv, sys
path = sys.argv[1]
rows = list(csv.reader(open(path, newline="")))
head, first = rows[0], rows[1]
row = ["NA"] * len(head)
for keep in ("collector", "workload", "seed", "config", "collector_params", "allocator") + tuple(
        h for h in head if h.startswith("param_")):
    row[head.index(keep)] = first[head.index(keep)]
row[head.index("run_id")] = "20990101T000000Z-deadbeef"
row[head.index("repeat")] = "3"
row[head.index("status")] = "failed"
row[head.index("failure")] = "killed by signal 9 <script>alert('x')</script>"
for k in ("wall_ns", "cpu_ns", "peak_rss_bytes"):
    row[head.index(k)] = "1000"
with open(path, "a", newline="") as f:
    csv.writer(f, lineterminator="\r\n").writerow(row)
EOF

# ---- gclab report: plots first, then the page
out=$("$gclab" report "$d" 2>"$tmp/report.err"); rc=$?
check "report exits 0" test $rc -eq 0
check "report prints nothing on stderr" test ! -s "$tmp/report.err"
check "report says what it wrote" grep -q "Wrote $d/report.html" <<<"$out"
check "report drew the plots" grep -q "Wrote 9 plots" <<<"$out"
plots=(web-pause-cdf web-mmu web-rss web-box-throughput web-box-p99 web-generational-sweep-throughput
  web-generational-sweep-p99 web-generational-sweep-rss web-generational-heatmap-throughput)
for p in "${plots[@]}"; do
  check "$p.png is a picture" python3 "$png_check" "$d/plots/$p.png" --min-colours 20 --min-ink 0.02 \
    --min-width 1000 --min-height 600 >/dev/null
  check "$p.svg is an SVG of some size" bash -c "[ \$(stat -c %s '$d/plots/$p.svg') -gt 5000 ] &&
    grep -q '<svg' '$d/plots/$p.svg' && grep -q '</svg>' '$d/plots/$p.svg'"
  check "$p: its script and data are beside it" test -s "$d/plots/$p.gp" -a -s "$d/plots/data/$p.dat"
done
check "plots/index.tsv lists the 9 plots" test "$(wc -l <"$d/plots/index.tsv")" -eq 9
check "every file name is a safe one" test -z "$(find "$d/plots" -type f | sed 's|.*/||' | grep -v '^[A-Za-z0-9_.-]*$')"
check "the sweep plot has a line per threshold1" bash -c "grep -c 'title .threshold1=' '$d/plots/web-generational-sweep-throughput.gp' | grep -qx 3"
rm "$d/plots/web-mmu.png" "$d/plots/web-mmu.svg"
check "a plot's script reruns by itself" bash -c "cd '$d/plots' && gnuplot web-mmu.gp && test -s web-mmu.png -a -s web-mmu.svg"

h="$d/report.html"
check "report.html written" test -s "$h"
check "report: one inline SVG per plot" test "$(grep -c '^<svg ' "$h")" -eq 9
check "report: no XML prolog or doctype of the SVGs" test "$(grep -c '<?xml\|<!DOCTYPE svg' "$h")" -eq 0
check "report: no two elements share an id" test -z "$(grep -o " id=['\"][^'\"]*" "$h" | sort | uniq -d)"
check "report: loads nothing (no src=, <link, url() or http but SVG namespaces)" bash -c "
  ! grep -qi ' src=\|<link\|@import\|url([^#]' '$h' &&
  test -z \"\$(grep -o 'https\?://[^\"'\'' )]*' '$h' | grep -v '^http://www.w3.org/\(2000/svg\|1999/xlink\)\$')\""
check "report: the machine from meta.json" grep -q "<dt>CPU</dt><dd>$(python3 -c 'import json,sys,html; print(html.escape(json.load(open(sys.argv[1]))["runs"][0]["cpu_model"]))' "$d/meta.json")" "$h"
check "report: a verdict" grep -q '<p class="verdict"><b>Fastest:</b>' "$h"
check "report: the best values marked" grep -q 'class="best"' "$h"
check "report: the failed run and its reason, escaped" grep -qF "killed by signal 9 &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" "$h"
check "report: the odd label escaped" grep -qF '&lt;b&gt;odd&lt;/b&gt; &amp; &quot;quoted&quot; it&#39;s_x_@y' "$h"
check "report: no markup from the data" bash -c "! grep -q '<b>odd\|<script>alert' '$h'"

# ---- rendering in headless Chromium: a screenshot, and every console message
# (the timeout only guards against a hang: four Chromiums at once on a loaded
# 2-core machine can take minutes)
render() { # html png log
  local profile
  profile=$(mktemp -d "$tmp/chromium.XXXXXX")
  timeout 300 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    --window-size=1280,2000 --enable-logging=stderr --v=0 --screenshot="$2" "file://$1" >/dev/null 2>"$3"
}
# Every console message (console.log/warn/error, an uncaught exception) is a
# CONSOLE line of Chromium's log; the report must log none.
silent() { ! grep -q 'CONSOLE' "$1"; }
not_blank() { python3 "$png_check" "$1" --min-colours 100 --min-ink 0.05 --min-width 1280 --min-height 2000; }
fails() { ! "$@" >/dev/null; }

# The checks can fail: a blank page, console.error, an exception.  The four
# pages render at once.
printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n' >"$tmp/blank.html"
printf '<!DOCTYPE html>\n<html><body><p>x</p><script>console.error("gclab-test-error")</script></body></html>\n' >"$tmp/error.html"
printf '<!DOCTYPE html>\n<html><body><p>x</p><script>null.f()</script></body></html>\n' >"$tmp/throw.html"
render "$h" "$tmp/report.png" "$tmp/report.log" &
for page in blank error throw; do
  render "$tmp/$page.html" "$tmp/$page.png" "$tmp/$page.log" &
done
wait
check "chromium renders the report" test -s "$tmp/report.png"
check "the report's screenshot is not blank" not_blank "$tmp/report.png"
check "the report logs nothing on the console" silent "$tmp/report.log"
grep 'CONSOLE' "$tmp/report.log"
check "the blank page renders" test -s "$tmp/blank.png"
check "the not-blank check fails on a blank page" fails not_blank "$tmp/blank.png"
check "the blank page is silent" silent "$tmp/blank.log"
check "the console check fails on console.error" fails silent "$tmp/error.log"
check "...on the logged message" grep -q 'CONSOLE.*gclab-test-error' "$tmp/error.log"
check "the console check fails on an uncaught exception" fails silent "$tmp/throw.log"
check "...on the exception" grep -q 'CONSOLE.*Uncaught TypeError' "$tmp/throw.log"

# ---- gclab plot; a folder without pauses; report -o
out=$("$gclab" plot "$d"); rc=$?
check "plot exits 0" test $rc -eq 0
check "plot lists what it wrote" grep -q "^  $d/plots/web-pause-cdf.{png,svg,gp}\$" <<<"$out"
check "plot: the same 9 plots again" test "$(wc -l <"$d/plots/index.tsv")" -eq 9
r="$tmp/rc"
"$gclab" run -c refcount -w seed-cycles -p count=2000 -o "$r" -q 2>/dev/null
out=$("$gclab" report -o "$tmp/rc.html" "$r"); rc=$?
check "report -o exits 0" test $rc -eq 0
check "report -o writes FILE" test -s "$tmp/rc.html" -a ! -e "$r/report.html"
check "refcount: no pause CDF without pauses" test ! -e "$r/plots/seed-cycles-pause-cdf.png"
check "refcount: no p99 box without pauses" test ! -e "$r/plots/seed-cycles-box-p99.png"
check "refcount: a throughput box" test -s "$r/plots/seed-cycles-box-throughput.svg"
check "refcount: no sweep without thresholds" test -z "$(ls "$r/plots" | grep sweep)"
for cmd in plot report; do
  check "$cmd --help exits 0" bash -c "'$gclab' $cmd --help | grep -q '^usage: gclab $cmd'"
done

# ---- bad input: one line on stderr, exit 2, nothing written
mkdir "$tmp/empty"
bad() { # description, expected text, arguments...
  local what=$1 want=$2; shift 2
  local err rc
  err=$("$@" 2>&1 >/dev/null); rc=$?
  check "$what: exit 2" test $rc -eq 2
  check "$what: one line" test "$(wc -l <<<"$err")" -eq 1
  check "$what: says '$want'" grep -qF -- "$want" <<<"$err"
  check "$what: writes nothing" test -z "$(ls -A "$tmp/empty")" -a ! -e "$tmp/nope"
}
for cmd in plot report; do
  bad "$cmd of a missing folder" "gclab: $cmd: cannot read $tmp/nope" "$gclab" $cmd "$tmp/nope"
  bad "$cmd of a folder without runs.csv" "no runs.csv in $tmp/empty" "$gclab" $cmd "$tmp/empty"
  bad "$cmd without DIR" "missing DIR" "$gclab" $cmd
  bad "$cmd with an unknown option" "unknown option '--fast'" "$gclab" $cmd --fast "$d"
  bad "$cmd of a file" "is not a folder" "$gclab" $cmd "$d/runs.csv"
done
bad "report -o into a missing folder" "does not exist" "$gclab" report -o "$tmp/nope/r.html" "$d"
mkdir "$tmp/nogp" && cp "$d"/*.csv "$d/meta.json" "$tmp/nogp/"
err=$(PATH=/nonexistent "$gclab" plot "$tmp/nogp" 2>&1 >/dev/null); rc=$?
check "plot without gnuplot: exit 2" test $rc -eq 2
check "plot without gnuplot: says how to install it" test "$err" = "gclab: plot: gnuplot not found; install gnuplot-nox (scripts/setup.sh)"
check "plot without gnuplot: writes nothing" test ! -e "$tmp/nogp/plots"
err=$(PATH=/nonexistent "$gclab" report "$tmp/nogp" 2>&1 >/dev/null); rc=$?
check "report without gnuplot: still a report (exit 0)" test $rc -eq 0 -a -s "$tmp/nogp/report.html"
check "report without gnuplot: warns" grep -q "gnuplot not found" <<<"$err"

finish
