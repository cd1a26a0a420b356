#!/usr/bin/env bash
# Configures and builds bre into build/ (idempotent; reuses the build tree).
# Extra arguments go to cmake's configure step, e.g. -DCMAKE_BUILD_TYPE=Debug.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BRE_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -G Ninja "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
