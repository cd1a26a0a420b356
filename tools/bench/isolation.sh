#!/usr/bin/env bash
# The cost of process isolation: runs the standard pipeline in process (--isolation none)
# and with every step in a child process (--isolation all), alternating, RUNS times each
# (default 7), with one thread so that steps do not overlap, on the demo dataset or on a
# dataset given as the first argument. Prints per step the median wall time both ways
# (the engine's own timing, from --json) and the difference, then the whole run.
# Usage: tools/bench/isolation.sh [DATASET] ; RUNS=15 BRE=build/bin/bre tools/bench/isolation.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bre=${BRE:-$root/build/bin/bre}
runs=${RUNS:-7}
pipeline=${PIPELINE:-$root/examples/pipelines/standard.json}
dataset_args=()
if [[ $# -ge 1 ]]; then dataset_args=(--dataset "$1"); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ((i = 0; i < runs; ++i)); do
  for mode in none all; do
    rm -rf "$work/out"
    start=$(date +%s%N)
    "$bre" run "$pipeline" "${dataset_args[@]}" --out "$work/out" --threads 1 --json --isolation "$mode" \
      >"$work/$mode.$i.json"
    end=$(date +%s%N)
    echo "$mode $(( (end - start) / 1000 ))" >>"$work/wall"
  done
done
/usr/bin/python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
steps = {}
for mode in ("none", "all"):
    for i in range(runs):
        summary = json.load(open(f"{work}/{mode}.{i}.json"))
        for step in summary["steps"]:
            steps.setdefault(step["id"], {}).setdefault(mode, []).append(step["seconds"])
print(f"{'step':<22} {'in process':>11} {'isolated':>10} {'overhead':>10}   (median of {runs} runs, seconds)")
overheads = []
for step, times in steps.items():
    a, b = statistics.median(times["none"]), statistics.median(times["all"])
    overheads.append(b - a)
    print(f"{step:<22} {a:>11.4f} {b:>10.4f} {b - a:>+10.4f}")
print(f"per-step overhead: median {statistics.median(overheads) * 1000:.1f} ms, "
      f"mean {statistics.mean(overheads) * 1000:.1f} ms over {len(overheads)} steps")
wall = {"none": [], "all": []}
for line in open(f"{work}/wall"):
    mode, seconds = line.split()
    wall[mode].append(int(seconds) / 1e6)
a, b = statistics.median(wall["none"]), statistics.median(wall["all"])
print(f"whole run (bre process wall time): in process {a:.3f} s, isolated {b:.3f} s, ratio {b / a:.2f}")
PY
