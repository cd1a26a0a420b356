#!/usr/bin/env bash
# Configures and builds bre into build/ (idempotent; reuses the build tree).
# Extra arguments go to cmake's configure step, e.g. -DCMAKE_BUILD_TYPE=Debug.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BRE_BUILD_DIR:-$root/build}
launcher=()
# ccache makes rebuilds of other checkouts cheap: paths are hashed relative to the
# checkout and the working directory is left out, so a clone anywhere hits the cache
# (debug info of a cached object may then name another checkout's directory).
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$build" -G Ninja "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
