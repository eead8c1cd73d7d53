#!/usr/bin/env bash
# Configures and builds erdiag in build/ (or $1), quietly unless it fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build}
shift || true
cmake -S "$top" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$dir.configure.log" 2>&1 \
  || { cat "$dir.configure.log" >&2; exit 2; }
cmake --build "$dir" -j"$(nproc)" >"$dir.build.log" 2>&1 || { tail -50 "$dir.build.log" >&2; exit 2; }
