#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then build a user's program
# against it with pkg-config alone, and run it.
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name gclab.pc)")
test -f "$prefix/include/gclab/gclab.h"
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs gclab)
echo "pkg-config --libs gclab: $flags"
# The public library is the heap alone: the tool's dependencies stay out.
case "$flags" in
*cjson* | *yaml*) echo "FAIL: the link line names the tool's dependencies: $flags" >&2; exit 1 ;;
esac
if nm -A "$prefix"/lib*/libgclab.a 2>/dev/null | grep -E ' U (cJSON_|yaml_)'; then
  echo "FAIL: libgclab.a refers to cJSON or libyaml" >&2
  exit 1
fi
cc -std=c11 -Wall -Wextra -Werror "$(dirname "$0")/install/hello.c" $flags -o "$prefix/hello"
out=$("$prefix/hello")
echo "$out"
[ "$out" = "collected 10" ]
"$prefix/bin/gclab" --version
