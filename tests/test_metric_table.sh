#!/usr/bin/env bash
# tests/test_metric_table.sh GCLAB_TESTMETRIC GCLAB SOURCE_DIR -- one line
# added to harness/metrics.def (a test build's test_half_wall_ns, half of
# wall_ns, lower is better, a headline metric) reaches every output: the
# runs.csv header and rows, the schema, summary.csv, the closing table,
# gclab compare and the report.  The ordinary build has none of it.
set -uo pipefail
tgclab=$1
gclab=$2
src=$3
. "$src/tests/cli_lib.sh"

check "the ordinary schema has no test metric" bash -c "! '$gclab' schema | grep -q test_half_wall_ns"
check "the test build's schema documents it" bash -c "'$tgclab' schema | grep -q '^| \`test_half_wall_ns\` | integer | ns | lower | Test builds only'"

"$tgclab" run -q -c generational -w seed-cycles -p count=2000 -o "$tmp/one" 2>/dev/null
check "runs.csv has the column" grep -q 'test_half_wall_ns' "$tmp/one/runs.csv"
check "...with half of wall_ns" python3 -c '
import csv,sys
r=list(csv.DictReader(open(sys.argv[1], newline="")))[0]
assert int(r["test_half_wall_ns"]) == int(r["wall_ns"]) // 2, r' "$tmp/one/runs.csv"

cat > "$tmp/s.yaml" <<'YAML'
name: metric-table
repeat: 2
warmup: 0
matrix:
  - workload: seed-cycles
    collectors: [generational, refcount]
    params: {count: 2000}
YAML
out=$("$tgclab" suite "$tmp/s.yaml" -o "$tmp/s" --no-report -q 2>&1)
check "the suite ran" test -s "$tmp/s/runs.csv"
out=$("$tgclab" summary "$tmp/s")
check "summary.csv gives its statistics" bash -c "head -1 '$tmp/s/summary.csv' | grep -q 'test_half_wall_ns_median,test_half_wall_ns_mad,test_half_wall_ns_q1,test_half_wall_ns_q3,test_half_wall_ns_ci_lo,test_half_wall_ns_ci_hi'"
check "the closing table has its column (got: $(head -2 <<<"$out" | tail -1))" grep -q 'half wall' <<<"$out"
out=$("$tgclab" compare "$tmp/s" "$tmp/s")
check "compare lists it by default" grep -Eq '^  test_half_wall_ns +2/2 ' <<<"$out"
"$tgclab" report "$tmp/s" >/dev/null 2>&1
check "the report's table has it" grep -q '>Half wall</th>' "$tmp/s/report.html"
finish
