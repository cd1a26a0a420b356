#!/usr/bin/env bash
# Fuzzes one reader of outside input with libFuzzer (docs/fuzzing.md).
#
#   tools/fuzz.sh TARGET SECONDS   build build-fuzz/ with clang, fuzz TARGET for SECONDS
#   tools/fuzz.sh --list           the targets (tests/fuzz/fuzz_<target>.cpp)
#
# The corpus is build-fuzz/corpus/TARGET/: the committed seeds of tests/fuzz/seeds/TARGET/,
# the matching files of ../shared/data/nl2016 and of the repository (read in place,
# large ones cut to their first lines) and whatever the fuzzer added in earlier runs.
# Crash, leak and timeout inputs go to build-fuzz/artifacts/TARGET/; the log to
# build-fuzz/logs/TARGET.log. Exits non-zero when the fuzzer found something.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BRE_FUZZ_BUILD_DIR:-$root/build-fuzz}
shared=$root/../shared/data/nl2016

targets() {
  for source in "$root"/tests/fuzz/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    echo "${name#fuzz_}"
  done
}

usage() {
  echo "usage: tools/fuzz.sh TARGET SECONDS | tools/fuzz.sh --list" >&2
  exit 2
}

if [ "${1:-}" = "--list" ]; then
  targets
  exit 0
fi
[ $# -eq 2 ] || usage
target=$1
seconds=$2
if ! targets | grep -x "$target" >/dev/null; then
  echo "fuzz: unknown target '$target'; expected one of: $(targets | tr '\n' ' ')" >&2
  exit 2
fi
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz: SECONDS: expected a positive whole number, found '$seconds'" >&2
  exit 2
fi

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found: apt-get install -y clang libclang-rt-dev (libFuzzer)" >&2
  exit 2
fi

# Configure and build the one target (the pipeline-spec target also builds the plugins).
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# -O1 with line tables: fast enough to fuzz, quick to build on a shared machine.
# BRE_FUZZ_SKIP_BUILD=1 uses build-fuzz/ as it is (while another command builds in it).
if [ "${BRE_FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja "${launcher[@]}" \
    -DBRE_BUILD_FUZZERS=ON -DBRE_BUILD_TESTS=OFF -DBRE_BUILD_EXAMPLES=OFF \
    -DBRE_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" >/dev/null
  cmake --build "$build" -j "$(nproc)" --target "fuzz_$target"
fi

# The seed corpus.
corpus=$build/corpus/$target
artifacts=$build/artifacts/$target
mkdir -p "$corpus" "$artifacts" "$build/logs"
seeds=$root/tests/fuzz/seeds/$target
[ -d "$seeds" ] && cp -n "$seeds"/* "$corpus"/
# add NAME PREFIX FILE [LINES]: FILE (its first LINES lines) after the option bytes
# PREFIX (a printf format) as corpus/NAME.
add() {
  local name=$1 prefix=$2 file=$3 lines=${4:-}
  {
    printf "$prefix"
    if [ -n "$lines" ]; then head -n "$lines" "$file"; else cat "$file"; fi
  } >"$corpus/$name"
}
# The mapping cut to its first rows, a form feed, and the matrix cut to match.
add_commuting() {
  local rows=$1 name=$2
  local mapping
  mapping=$(head -n "$rows" "$shared/gemeenten_2014_naar_2016.csv")
  local n
  n=$(printf '%s\n' "$mapping" | tail -n +2 | cut -d, -f1 | sort -u | wc -l)
  {
    printf '%s\n\f' "$mapping"
    head -n "$n" "$shared/pendel_2014_matrix.csv" | cut -d';' -f1-$((n + 1))
  } >"$corpus/$name"
}
if [ -d "$shared" ]; then
  case $target in
    csv)
      add nl2016-indelingen '\000\001' "$shared/indelingen.csv"
      add nl2016-mapping '\000\001' "$shared/gemeenten_2014_naar_2016.csv" 60
      add nl2016-opengr '\000\001' "$shared/opengr_gemeenschappelijke_regelingen.csv" 60
      add nl2016-matrix '\001\000' "$shared/pendel_2014_matrix.csv" 3
      add nl2016-ggds '\001\001' "$shared/regioatlas/Sociaal/ggds.csv" 60
      ;;
    regioatlas)
      add nl2016-indelingen '\000' "$shared/indelingen.csv"
      for file in "$shared"/regioatlas/*/*.csv; do
        add "nl2016-$(basename "$file")" '\001' "$file" 80
      done
      ;;
    opengr)
      add nl2016-opengr '\000' "$shared/opengr_gemeenschappelijke_regelingen.csv" 300
      ;;
    commuting)
      add_commuting 8 nl2016-first-rows
      add_commuting 40 nl2016-more-rows
      ;;
    geojson)
      add nl2016-provinces '\001' "$shared/provincie_2016_rd.geojson"
      add nl2016-corop '\001' "$shared/corop_2016_rd.geojson"
      ;;
    *) echo "fuzz: ../shared/data/nl2016 has no files for $target" ;;
  esac
else
  echo "fuzz: $shared is absent: fuzzing from the committed seeds only"
fi
# The repository's own inputs of this format.
case $target in
  names) add repo-municipality-aliases '' "$root/framework/import/data/municipality_aliases.csv" ;;
  opengr) add repo-domain-keywords '\001' "$root/framework/import/data/opengr_domain_keywords.csv" ;;
  stage_rules) add repo-default-rules '' "$root/plugins/lifecycle/stage_rules/default_rules.json" ;;
  pipeline_spec | pipeline_spec_run)
    for file in "$root"/examples/pipelines/*.json "$root"/examples/custom_region_plugin/pipeline.json; do
      add "repo-$(basename "$(dirname "$file")")-$(basename "$file")" '' "$file"
    done
    ;;
esac

# Fuzz. Findings stop the run; leaks count (libFuzzer's default with ASan).
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$root/tools/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/tools/sanitizers/ubsan.supp"
unset BRE_PLUGIN_PATH
log=$build/logs/$target.log
echo "fuzz: $target for ${seconds}s, corpus $corpus ($(ls "$corpus" | wc -l) inputs), log $log"
status=0
"$build/bin/fuzz_$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || status=$?

# What the run reached.
executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
echo "fuzz: $target: executions ${executions:-?}, exec/s ${rate:-?}, cov ${cov:-?}, ft ${ft:-?}," \
     "corpus $(ls "$corpus" | wc -l) inputs"
if [ "$status" -ne 0 ]; then
  grep -E 'ERROR: |SUMMARY: |contract broken|runtime error|Test unit written' "$log" | head -n 20 >&2 || true
  echo "fuzz: $target: the fuzzer stopped with status $status: a finding, see $log and $artifacts/" >&2
  exit 1
fi
