#!/usr/bin/env bash
# scripts/perf.sh -- perf stat / perf record around one `gclab run`.
#
# usage: scripts/perf.sh stat   [-e EVENTS] [--phase] [-r N] [-x SEP] [-o FILE] -- GCLAB_RUN_ARGS...
#        scripts/perf.sh record [-g] [--call-graph MODE] [-e EVENT] [-F HZ] [--phase] [-n LINES]
#                               [-o FILE] -- GCLAB_RUN_ARGS...
#
# stat: counts EVENTS over the run (default task-clock,page-faults,
#   context-switches,cpu-migrations: software events, which every machine
#   has; hardware counters such as cycles are not available on virtual
#   machines without a PMU).  The counts are printed on stdout after gclab's
#   own output.  -r N repeats the run N times (mean and spread), -x SEP
#   prints them as SEP-separated fields, -o FILE also keeps them in FILE.
# record: samples the run (default event cpu-clock at 4000 Hz; -g or
#   --call-graph fp|dwarf|lbr for call chains) into FILE (default
#   perf.data), then prints the first LINES (default 40) of
#   `perf report --stdio`.
# --phase: only the measured region of the run, as gclab times it: not the
#   process's start, the workload's preparation (a trace's parsing, say),
#   or the writing of the CSV files.  perf starts with its events disabled
#   (--delay=-1) and gclab enables and disables them through perf's control
#   FIFOs, which it finds in GCLAB_PERF_CTL=CTL_FIFO,ACK_FIFO.
#
# GCLAB_RUN_ARGS are what `gclab run` takes (a leading `run` is allowed),
# e.g. -- -c generational -w web -p requests=20000 -q.  gclab is $GCLAB if
# set, else build/gclab of this checkout.  Needs perf (linux-perf, installed
# by scripts/setup.sh) and perf_event_paranoid <= 2, or root.  Bad arguments:
# one line on stderr, exit 2; otherwise the exit status is perf's, which is
# gclab's when perf itself worked.
set -euo pipefail

me=perf.sh
die() { echo "$me: $*" >&2; exit 2; }
trim() { awk 'NF { if (s) while (b-- > 0) print ""; b = 0; s = 1; print; next } { b++ }'; } # no blank lines at the ends
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; }
is_count() { [[ $1 =~ ^[0-9]+$ ]] && [ "${#1}" -le 9 ]; }

[ $# -gt 0 ] || die "missing a command: stat or record (see --help)"
case "$1" in
  -h|--help) usage; exit 0 ;;
  stat|record) mode=$1; shift ;;
  *) die "unknown command '$1' (valid: stat, record)" ;;
esac

events="" phase=0 repeat="" sep="" out="" callgraph="" freq="" lines=40 dashdash=0
while [ $# -gt 0 ]; do
  opt=$1
  case "$opt" in
    -h|--help) usage; exit 0 ;;
    --) shift; dashdash=1; break ;;
    --phase) phase=1; shift; continue ;;
    -g) [ "$mode" = record ] || die "-g is an option of record, not stat"; callgraph=fp; shift; continue ;;
    -x?*) [ "$mode" = stat ] || die "-x is an option of stat, not record"; sep=${opt#-x}; shift; continue ;;
    -e|-o|-r|-x|-F|-n|--call-graph) ;;
    *) die "unknown option '$opt' for $mode (see --help; gclab's arguments go after --)" ;;
  esac
  [ $# -ge 2 ] || die "option '$opt' needs a value (see --help)"
  val=$2
  shift 2
  case "$mode:$opt" in
    *:-e) [ -n "$val" ] || die "-e expects an event list (perf list), got ''"; events=$val ;;
    *:-o) [ -n "$val" ] || die "-o expects a file name, got ''"; out=$val ;;
    stat:-r) { is_count "$val" && [ "$val" -ge 1 ] && [ "$val" -le 100 ]; } ||
               die "-r expects a number of runs from 1 to 100, got '$val'"; repeat=$val ;;
    stat:-x) [ -n "$val" ] || die "-x expects a separator, got ''"; sep=$val ;;
    record:-F) { is_count "$val" && [ "$val" -ge 1 ]; } || die "-F expects a frequency in Hz >= 1, got '$val'"; freq=$val ;;
    record:-n) is_count "$val" || die "-n expects a number of lines, got '$val'"; lines=$val ;;
    record:--call-graph) [[ $val =~ ^(fp|dwarf|lbr)(,[0-9]+)?$ ]] ||
                           die "--call-graph expects fp, dwarf or lbr, got '$val'"; callgraph=$val ;;
    *) die "$opt is not an option of $mode (see --help)" ;;
  esac
done
[ "$dashdash" = 1 ] || die "missing -- before gclab's run arguments (e.g. $me $mode -- -c generational -w web)"
[ "${1:-}" != run ] || shift
[ $# -gt 0 ] || die "missing gclab's run arguments after -- (e.g. -c generational -w web)"

gclab=${GCLAB:-$(cd "$(dirname "$0")/.." && pwd)/build/gclab}
[ -x "$gclab" ] || die "no gclab at $gclab (build it: cmake --preset release && cmake --build --preset release; or set GCLAB)"
command -v perf >/dev/null || die "perf is not installed (scripts/setup.sh installs linux-perf)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ctl=()
if [ "$phase" = 1 ]; then
  mkfifo "$tmp/ctl" "$tmp/ack"
  ctl=(--delay=-1 --control="fifo:$tmp/ctl,$tmp/ack")
  export GCLAB_PERF_CTL="$tmp/ctl,$tmp/ack"
fi

if [ "$mode" = stat ]; then
  perf_args=(-e "${events:-task-clock,page-faults,context-switches,cpu-migrations}" "${ctl[@]}")
  [ -z "$repeat" ] || perf_args+=(-r "$repeat")
  [ -z "$sep" ] || perf_args+=(-x "$sep")
  report=${out:-$tmp/stat.txt}
  rc=0
  perf stat "${perf_args[@]}" -o "$report" -- "$gclab" run "$@" || rc=$?
  [ "$rc" = 0 ] || exit "$rc" # perf or gclab failed, and said why
  grep -v '^# started on' "$report" | trim
  if [ "$phase" = 1 ] && grep -q '<not counted>' "$report"; then
    echo "$me: warning: with --phase, gclab never enabled the events (see its warning above, if any)" >&2
  fi
  exit 0
fi

data=${out:-perf.data}
perf_args=(-o "$data" "${ctl[@]}")
[ -z "$events" ] || perf_args+=(-e "$events")
[ -z "$freq" ] || perf_args+=(-F "$freq")
[ -z "$callgraph" ] || perf_args+=(--call-graph "$callgraph")
rc=0
perf record "${perf_args[@]}" -- "$gclab" run "$@" || rc=$?
[ "$rc" = 0 ] || exit "$rc"
echo
echo "perf report --stdio --no-children -i $data (first $lines lines):"
report=$(perf report --stdio --no-children -i "$data" 2>/dev/null | grep -v '^#' | trim) || true
if [ -n "$report" ]; then
  head -n "$lines" <<<"$report"
else
  echo "$me: warning: no samples${ctl:+ (with --phase: did gclab enable the events? see its warning above, if any)}" >&2
fi
