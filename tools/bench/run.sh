#!/usr/bin/env bash
# Times native Leiden and Louvain (1 and 2 threads; Leiden until stable, with 2
# iterations, and with 1 iteration and 3 coarse iterations) against igraph's C Leiden (until stable and its default of 2 iterations)
# and multilevel and python3-leidenalg on the same graphs, each run in its own process
# so its peak memory (max RSS, from /usr/bin/time) is its own; then the native ensemble.
# Prints the ratios (peer seconds / native seconds on 2 threads, 1-thread / 2-thread).
#
#   tools/bench/run.sh [--large] [--dataset FILE] [--seed S] [--out DIR]
#
# Graphs: the demo dataset's cooperation network, the network of --dataset FILE (a
# bre.v1.Dataset, e.g. the real 2016 data) when given, and planted-partition graphs
# (framework/demo/include/bre/planted_partition.hpp; groups of 100, mean degree 20, 30% of ties
# outside the group) of 10^4 and 10^5 nodes, and 10^6 with --large (minutes).
# Prints a table and writes DIR/community_bench.csv (default DIR: build/bench).
# Needs python3-leidenalg for the leidenalg column (tools/bench/setup.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BRE_BUILD_DIR:-$root/build}
large=0
dataset=""
seed=1
out="$build/bench"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --large) large=1; shift ;;
    --dataset) dataset=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "run.sh: unknown argument $1 (expected --large, --dataset FILE, --seed S, --out DIR)" >&2; exit 2 ;;
  esac
done

BRE_BUILD_DIR=$build "$root/tools/build.sh" -DBRE_BUILD_BENCHMARKS=ON >/dev/null
bench="$build/bin/bre-community-bench"
python=/usr/bin/python3  # Debian's, where python3-leidenalg lives
mkdir -p "$out"
csv="$out/community_bench.csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "kind,graph,nodes,edges,tool,threads,seconds,peak_rss_mib,modularity,communities" > "$tmp/rows.csv"

graphs=(demo)
"$bench" network --demo --out "$out/demo.edges"
if [[ -n "$dataset" ]]; then
  "$bench" network --dataset "$dataset" --out "$out/dataset.edges"
  graphs+=(dataset)
fi
sizes=(10000 100000)
[[ $large == 1 ]] && sizes+=(1000000)
for n in "${sizes[@]}"; do
  name="planted_$n"
  [[ -f "$out/$name.edges" ]] || "$bench" generate --nodes "$n" --groups $((n / 100)) --degree 20 --mixing 0.3 \
    --seed 20160101 --out "$out/$name.edges"
  graphs+=("$name")
done

# header_of FILE: "nodes,edges" from an edge file's header.
header_of() { od -An -t u8 -j 8 -N 16 "$1" | awk '{print $1 "," $2}'; }

# measure KIND GRAPH THREADS COMMAND...: runs COMMAND, whose stdout is
# "tool,seconds,modularity,communities", and appends a CSV row with its max RSS.
measure() {
  local kind=$1 graph=$2 threads=$3
  shift 3
  local line
  line=$(/usr/bin/time -f "%M" -o "$tmp/rss" "$@")
  local rss_kib
  rss_kib=$(tail -n 1 "$tmp/rss")
  IFS=, read -r tool seconds modularity communities <<< "$line"
  printf '%s,%s,%s,%s,%s,%s,%.1f,%s,%s\n' "$kind" "$graph" "$(header_of "$out/$graph.edges")" "$tool" "$threads" \
    "$seconds" "$(echo "$rss_kib / 1024" | bc -l)" "$modularity" "$communities" >> "$tmp/rows.csv"
}

have_leidenalg=0
"$python" -c "import leidenalg" 2>/dev/null && have_leidenalg=1
for graph in "${graphs[@]}"; do
  file="$out/$graph.edges"
  # Native Leiden until stable, with igraph's default of 2 iterations and with 1 iteration
  # and 3 coarse ones, and Louvain, on 1 and 2 threads (graphs from 20,000 nodes run the
  # parallel schedule).
  for threads in 1 2; do
    for iterations in -1 2; do
      measure cluster "$graph" "$threads" "$bench" cluster --tool native-leiden --graph "$file" --seed "$seed" \
        --threads "$threads" --iterations "$iterations"
    done
    measure cluster "$graph" "$threads" "$bench" cluster --tool native-leiden --graph "$file" --seed "$seed" \
      --threads "$threads" --iterations 1 --coarse-iterations 3
    measure cluster "$graph" "$threads" "$bench" cluster --tool native-louvain --graph "$file" --seed "$seed" \
      --threads "$threads"
  done
  # igraph (serial): Leiden until stable and 2 iterations, multilevel.
  for iterations in -1 2; do
    measure cluster "$graph" 1 "$bench" cluster --tool igraph-leiden --graph "$file" --seed "$seed" \
      --iterations "$iterations"
  done
  measure cluster "$graph" 1 "$bench" cluster --tool igraph-multilevel --graph "$file" --seed "$seed"
  if [[ $have_leidenalg == 1 ]]; then
    measure cluster "$graph" 1 "$python" "$root/tools/bench/leidenalg_bench.py" "$file" "$seed"
  fi
done

# Ensembles of 1,000 native Leiden members + consensus on the networks, 1 and 2 threads.
for graph in demo ${dataset:+dataset}; do
  for threads in 1 2; do
    line=$(/usr/bin/time -f "%M" -o "$tmp/rss" "$bench" ensemble --graph "$out/$graph.edges" --members 1000 \
      --threads "$threads" --seed "$seed")
    IFS=, read -r t members seconds per_second regions <<< "$line"
    printf 'ensemble,%s,%s,ensemble-1000-leiden,%s,%s,%.1f,,%s\n' "$graph" "$(header_of "$out/$graph.edges")" \
      "$threads" "$seconds" "$(echo "$(tail -n 1 "$tmp/rss") / 1024" | bc -l)" "$regions" >> "$tmp/rows.csv"
  done
done
cp "$tmp/rows.csv" "$csv"

# The table, then the ratios the targets speak of.
column -t -s, "$csv"
echo
awk -F, '
  NR > 1 && $1 == "cluster" { k = $2 "," $5 "," $6; t[k] = $7; q[k] = $9; m[k] = $8; g[$2] = 1 }
  NR > 1 && $1 == "ensemble" { e[$2 "," $6] = $7 }
  function ratio(a, b) { return (t[a] > 0 && t[b] > 0) ? sprintf("%.2fx", t[a] / t[b]) : "n/a" }
  END {
    print "Ratios: a/b of seconds, so > 1 means the native side (b) is faster; dQ = native - peer modularity.";
    printf "%-16s %12s %12s %12s %12s %12s %12s %12s %12s %12s\n", "graph", "Leiden 1t/2t", "igraph/nat.",
           "igraph2/nat2", "igraph/1+3c", "leidenalg/n.", "multil./Louv", "dQ Leiden", "dQ 1+3c", "dQ Louvain";
    for (x in g) {
      coarse = x ",native-leiden-1it-3coarse,2";
      printf "%-16s %12s %12s %12s %12s %12s %12s %+12.6f %+12.6f %+12.6f\n", x,
             ratio(x ",native-leiden,1", x ",native-leiden,2"),
             ratio(x ",igraph-leiden,1", x ",native-leiden,2"),
             ratio(x ",igraph-leiden-2it,1", x ",native-leiden-2it,2"),
             ratio(x ",igraph-leiden,1", coarse),
             ratio(x ",leidenalg,1", x ",native-leiden,2"),
             ratio(x ",igraph-multilevel,1", x ",native-louvain,2"),
             q[x ",native-leiden,2"] - q[x ",igraph-leiden,1"], q[coarse] - q[x ",igraph-leiden,1"],
             q[x ",native-louvain,2"] - q[x ",igraph-multilevel,1"];
    }
    print "(native columns: 2 threads; igraph and leidenalg run serially; 1+3c: native Leiden, 1 iteration";
    print " and 3 coarse iterations, against igraph until stable)";
    if (e["demo,1"] > 0)
      printf "\nensemble, demo network, 1000 Leiden members + consensus: %.3f s (1 thread), %.3f s (2 threads), speed-up %.2fx; %.0f members/s on 2 threads\n",
             e["demo,1"], e["demo,2"], e["demo,1"] / e["demo,2"], 1000 / e["demo,2"];
    if (e["dataset,1"] > 0)
      printf "ensemble, --dataset network: %.3f s (1 thread), %.3f s (2 threads), speed-up %.2fx\n",
             e["dataset,1"], e["dataset,2"], e["dataset,1"] / e["dataset,2"];
  }' "$csv"
echo "CSV: $csv"
