#!/usr/bin/env bash
# scripts/hyperfine.sh -- collectors compared as whole processes, by hyperfine.
#
# Runs `gclab run -q -c {collector} -w WORKLOAD [-p ...]` for each collector
# with hyperfine's parameter list (-L collector A,B,C), so every figure is a
# whole process: start-up, the workload's preparation, the run, the writing
# of its files.  Writes hyperfine.csv, hyperfine.json and hyperfine.md into
# DIR and prints the Markdown table.  hyperfine's progress goes to stderr.
#
# usage: scripts/hyperfine.sh -w WORKLOAD -c COLLECTOR[,COLLECTOR...] [-p KEY=VALUE ...]
#                             [--seed N] [-r RUNS] [--warmup N] [-o DIR] [-- HYPERFINE ARGS...]
#
#   -w, --workload NAME    the workload (gclab list)
#   -c, --collectors LIST  comma-separated collectors to compare (gclab list)
#   -p, --param KEY=VALUE  a workload or collector parameter, for every run (repeatable)
#       --seed N           the workload's seed (default: gclab's, 1)
#   -r, --runs N           runs per collector (default: hyperfine's, at least 10 and 3 s)
#       --warmup N         unmeasured runs per collector first (default 1)
#   -o, --output DIR       where to write (default results/hyperfine-<time>)
#   -- ARGS...             passed to hyperfine as they are (e.g. -- --style basic -i)
#
# gclab is $GCLAB if set, else build/gclab of this checkout.  Each run's own
# files go to a temporary folder that is removed at the end.  Commands run
# without a shell (hyperfine -N).  Bad arguments: one line on stderr, exit 2.
set -euo pipefail

me=hyperfine.sh
die() { echo "$me: $*" >&2; exit 2; }
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; }
is_count() { [[ $1 =~ ^[0-9]+$ ]] && [ "${#1}" -le 9 ]; }
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; } # for hyperfine's shell-words splitting

workload="" collectors="" seed="" runs="" warmup=1 outdir=""
params=() extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -w|--workload|-c|--collectors|-p|--param|--seed|-r|--runs|--warmup|-o|--output)
      [ $# -ge 2 ] || die "option '$1' needs a value (see --help)"
      case "$1" in
        -w|--workload) workload=$2 ;;
        -c|--collectors) collectors=$2 ;;
        -p|--param) params+=("$2") ;;
        --seed) seed=$2 ;;
        -r|--runs) runs=$2 ;;
        --warmup) warmup=$2 ;;
        -o|--output) outdir=$2 ;;
      esac
      shift 2 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ -n "$workload" ] || die "missing -w WORKLOAD (see gclab list)"
[ -n "$collectors" ] || die "missing -c COLLECTOR[,COLLECTOR...] (see gclab list)"
[[ $collectors =~ ^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$ ]] ||
  die "-c expects comma-separated collector names, got '$collectors'"
[ -z "$runs" ] || { is_count "$runs" && [ "$runs" -ge 1 ]; } || die "-r expects a number of runs >= 1, got '$runs'"
is_count "$warmup" || die "--warmup expects a number >= 0, got '$warmup'"
[ -z "$seed" ] || is_count "$seed" || die "--seed expects a non-negative integer, got '$seed'"

gclab=${GCLAB:-$(cd "$(dirname "$0")/.." && pwd)/build/gclab}
[ -x "$gclab" ] || die "no gclab at $gclab (build it: cmake --preset release && cmake --build --preset release; or set GCLAB)"
command -v hyperfine >/dev/null || die "hyperfine is not installed (scripts/setup.sh installs it)"
[[ $gclab == /* ]] || gclab=$PWD/$gclab

args=()
for p in "${params[@]}"; do args+=(-p "$p"); done
[ -z "$seed" ] || args+=(--seed "$seed")

# Check every configuration before measuring anything: gclab checks names and
# parameters (one line, exit 2) before its output folder, which here can
# never be made; so an error that names that folder means all else is right.
IFS=, read -r -a names <<<"$collectors"
for c in "${names[@]}"; do
  err=$("$gclab" run -q -c "$c" -w "$workload" "${args[@]}" -o /dev/null/gclab-check 2>&1 >/dev/null) || true
  [[ $err == *"/dev/null/gclab-check"* ]] || { err=${err%%$'\n'*}; die "${err#gclab: }"; }
done

[ -n "$outdir" ] || outdir=results/hyperfine-$(date +%Y%m%d-%H%M%S)
if ! mkdir -p "$outdir" 2>/dev/null || [ ! -w "$outdir" ]; then die "cannot write output folder '$outdir'"; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmd="$(quote "$gclab") run -q -c {collector} -w $(quote "$workload")"
for a in "${args[@]}"; do cmd+=" $(quote "$a")"; done
cmd+=" -o $(quote "$tmp")/{collector}"

hf=(hyperfine -N -L collector "$collectors" -n '{collector}' --warmup "$warmup")
[ -z "$runs" ] || hf+=(--runs "$runs")
hf+=(--export-csv "$outdir/hyperfine.csv" --export-json "$outdir/hyperfine.json"
     --export-markdown "$outdir/hyperfine.md")
"${hf[@]}" "${extra[@]}" "$cmd" >&2

echo "hyperfine: $workload${params[*]:+ (${params[*]})}, $("$gclab" --version)"
echo
cat "$outdir/hyperfine.md"
echo
echo "Wrote: $outdir/hyperfine.{csv,json,md}"
