#!/usr/bin/env bash
# Install what gclab needs from Debian's packages, skipping what is there.
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential # gcc, make
  cmake           # >= 3.20, with presets
  pkg-config      # finds jemalloc and cmocka
  git             # the commit recorded in every build
  libjemalloc-dev # the default allocator, and its statistics
  libcmocka-dev   # unit tests
  libcjson-dev    # meta.json
  libyaml-dev     # suite files (gclab suite)
  gnuplot-nox     # plots (PNG and SVG)
  parallel        # gclab plan | parallel, and its test
  hyperfine       # scripts/hyperfine.sh
  linux-perf      # scripts/perf.sh
  chromium        # the report's rendering test (headless)
  clang              # the fuzz preset (libFuzzer)
  libclang-rt-14-dev # libFuzzer's runtime for Debian's clang 14
  python3            # Debian's CPython (3.11): gclab calibrate's reference and the
                     # CPython side of scripts/bench-collect.sh, whatever else is on PATH
)
# Commands that may come from elsewhere count as present (none today).
commands=()

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
for c in "${commands[@]+"${commands[@]}"}"; do
  command -v "${c%%:*}" >/dev/null 2>&1 || missing+=("${c#*:}")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: everything gclab needs is installed"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
