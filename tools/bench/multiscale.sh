#!/usr/bin/env bash
# Times clustering.multiscale's default sweep (61 resolutions x 2 algorithms x 4 seeds
# = 488 members, then 100 ensemble members at the selected plateau) on the real 2016
# cooperation network, with 1 and 2 threads, from the engine's own step timing
# (bre --log-level info run). Also the sweep alone (members 0). Median of RUNS runs.
# The dataset is imported from ../shared/data/nl2016 into build/nl2016/ when missing;
# another dataset can be given as the first argument.
# Usage: tools/bench/multiscale.sh [DATASET] ; RUNS=9 BRE=build/bin/bre tools/bench/multiscale.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bre=${BRE:-$root/build/bin/bre}
runs=${RUNS:-7}
dataset=${1:-$root/build/nl2016/nl2016.pb}
if [[ ! -f $dataset ]]; then
  data=${BRE_NL2016_DIR:-$root/../shared/data/nl2016}
  mkdir -p "$(dirname "$dataset")"
  "$bre" import nl2016 --from "$data" --out "$dataset" >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One step per pipeline, so each is timed alone on the cores --threads gives.
echo '{"name": "bench", "steps": [{"id": "sweep_and_ensemble", "plugin": "clustering.multiscale"}]}' \
  >"$work/sweep_and_ensemble.json"
echo '{"name": "bench", "steps": [{"id": "sweep_alone", "plugin": "clustering.multiscale", "params": {"members": 0}}]}' \
  >"$work/sweep_alone.json"
printf '%-20s %-8s %s\n' step threads "seconds (median, min, max over $runs runs)"
for threads in 1 2; do
  : >"$work/log"
  for ((i = 0; i < runs; ++i)); do
    for step in sweep_and_ensemble sweep_alone; do
      rm -rf "$work/out"
      "$bre" --log-level info run "$work/$step.json" --dataset "$dataset" --out "$work/out" --threads "$threads" \
        2>>"$work/log" >/dev/null
    done
  done
  grep -E 'step (sweep_and_ensemble|sweep_alone) done' "$work/log" |
    sed -E 's/.*step ([a-z_]+) done in ([0-9.]+) s.*/\1 \2/' | sort -k1,1 -k2,2n |
    awk -v threads="$threads" '{ t[$1] = t[$1] " " $2 }
         END { for (s in t) { n = split(substr(t[s], 2), v, " "); printf "%-20s %-8s %.3f  (%.3f, %.3f)\n", s, threads, v[int((n + 1) / 2)], v[1], v[n] } }' |
    sort
done
