#!/usr/bin/env bash
# Second command: install what is missing, build, and run the whole test suite.
# Extra arguments go to ctest (e.g. -R Cli).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
"$root/tools/build.sh"
build=${BRE_BUILD_DIR:-$root/build}
cd "$build"
ctest --output-on-failure -j "$(nproc)" "$@"
