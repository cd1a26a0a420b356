#!/usr/bin/env bash
# Times the indicator steps of the standard pipeline (DOMAIN.md §3-§6) on the demo
# dataset, or on a dataset given as the first argument, with one thread so that
# steps do not share the cores. Prints each indicator step's wall time from the
# engine's own timing (bre --log-level info run), median of RUNS runs (default 5).
# Usage: tools/bench/indicators.sh [DATASET] ; RUNS=9 BRE=build/bin/bre tools/bench/indicators.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bre=${BRE:-$root/build/bin/bre}
runs=${RUNS:-5}
dataset_args=()
if [[ $# -ge 1 ]]; then dataset_args=(--dataset "$1"); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ((i = 0; i < runs; ++i)); do
  rm -rf "$work/out"
  "$bre" --log-level info run "$root/examples/pipelines/standard.json" "${dataset_args[@]}" --out "$work/out" --threads 1 \
    2>>"$work/log" >/dev/null
done
# "[3/12] step dus done in 0.004 s" -> median per step
grep -E 'step (congruence_bre|congruence_provinces|commuting|dus_regions|dus|biotope|broad_wellbeing|quadrant) done' "$work/log" |
  sed -E 's/.*step ([a-z_]+) done in ([0-9.]+) s.*/\1 \2/' |
  sort -k1,1 -k2,2n |
  awk -v runs="$runs" '{ times[$1] = times[$1] " " $2; count[$1]++ }
       END { for (s in times) { n = split(substr(times[s], 2), t, " "); printf "%-22s median %.4f s  (min %.4f, max %.4f, %d runs)\n", s, t[int((n + 1) / 2)], t[1], t[n], n } }' |
  sort
