#!/usr/bin/env bash
# Imports the public Dutch data of 2016 and runs the nl2016 pipeline on it, in one
# command. Usage: tools/run-nl2016.sh [OUT_DIR] [bre run options...]
#   OUT_DIR  where nl2016.pb, nl2016.report.csv and the run's results go
#            (default build/nl2016)
# The data folder is $BRE_NL2016_DIR, or ../shared/data/nl2016 next to the checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BRE_BUILD_DIR:-$root/build}
data=${BRE_NL2016_DIR:-$root/../shared/data/nl2016}
out=${1:-$build/nl2016}
[ $# -gt 0 ] && shift
if [ ! -f "$data/gemeente_2016_rd.geojson" ]; then
  echo "run-nl2016: no nl2016 data at $data (set BRE_NL2016_DIR)" >&2
  exit 2
fi
[ -x "$build/bin/bre" ] || "$root/tools/build.sh"
mkdir -p "$out"
"$build/bin/bre" import nl2016 --from "$data" --out "$out/nl2016.pb" --report "$out/nl2016.report.csv"
"$build/bin/bre" run "$root/examples/pipelines/nl2016.json" --dataset "$out/nl2016.pb" --out "$out/run" "$@"
