#!/usr/bin/env bash
# Installs the bre SDK into a temporary prefix, builds examples/custom_region_plugin
# out of tree with find_package(bre), and runs a pipeline with it through the
# installed host. The CSV it reads (shipped beside the pipeline) lists the demo
# dataset's provinces, so the custom partition must equal region.provinces' exactly.
# Usage: build_example.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/examples/custom_region_plugin" -B "$work/plugin" -G Ninja \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/plugin" >/dev/null
bre="$work/prefix/bin/bre"

"$bre" plugins --plugin-dir "$work/plugin" > "$work/plugins.txt"
grep -q "^region.csv_file  \[region definition\]  1.0.0  (--plugin-dir: $work/plugin/region_csv.so)" "$work/plugins.txt" \
  || { echo "region.csv_file not listed:"; cat "$work/plugins.txt"; exit 1; }
grep -q "^clustering.igraph_leiden .*(built-in: $work/prefix/" "$work/plugins.txt" \
  || { echo "the installed host did not find its built-in plugins:"; cat "$work/plugins.txt"; exit 1; }

echo '{"steps": [{"id": "provinces", "plugin": "region.provinces"}]}' > "$work/provinces.json"
"$bre" run "$work/provinces.json" --out "$work/provinces" >/dev/null

# The shipped regions.csv is the demo's provinces, read beside the pipeline file from
# any working directory.
cd "$work"
"$bre" run "$src/examples/custom_region_plugin/pipeline.json" --plugin-dir "$work/plugin" --out "$work/custom" >/dev/null
diff <(awk -F, 'NR > 1 {print $3 "," $1}' provinces/provinces.partition.csv | sort) \
     <(awk -F, 'NR > 1 {print $3 "," $1}' custom/regions.partition.csv | sort)
test -s custom/congruence.congruence.csv
grep -q "\"$src/examples/custom_region_plugin/regions.csv\"" custom/manifest.json \
  || { echo "the manifest does not record the resolved path:"; grep -n regions.csv custom/manifest.json; exit 1; }

# A copy of the pipeline beside a bad CSV reads that CSV, not the shipped one: the step
# fails with an error naming file and line.
mkdir "$work/copy"
cp "$src/examples/custom_region_plugin/pipeline.json" "$src/examples/custom_region_plugin/regions.csv" "$work/copy/"
lines=$(wc -l < "$work/copy/regions.csv")
echo "GM9999,PV99" >> "$work/copy/regions.csv"
if "$bre" run copy/pipeline.json --plugin-dir "$work/plugin" --out "$work/bad" > "$work/bad.out" 2>&1; then
  echo "expected the run to fail on an unknown code"; exit 1
fi
grep -q "$work/copy/regions.csv:$((lines + 1)): unknown municipality code 'GM9999'" "$work/bad.out" \
  || { echo "unexpected error text:"; cat "$work/bad.out"; exit 1; }
echo "sdk example: built out of tree, loaded with --plugin-dir, its CSV read beside the pipeline, partition equals region.provinces"
