#!/usr/bin/env bash
# First command on a fresh machine: install what is missing, build, and run the
# standard pipeline on the built-in demo dataset. Results go to out/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
"$root/tools/build.sh"
build=${BRE_BUILD_DIR:-$root/build}
"$build/bin/bre" run "$root/examples/pipelines/standard.json" --out "$root/out" "$@"
