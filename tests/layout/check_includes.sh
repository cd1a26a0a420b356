#!/usr/bin/env bash
# The layers of docs/architecture.md, checked on the source text: every #include of a
# framework header must name a library the including code may use, and nothing outside
# tests/ may include from tests/ or put tests/ on an include path, and only plugins may
# include a header private to one plugin. The compiler already
# refuses a header of a library a target does not link; this check also refuses a link
# that the layer table does not allow (a plugin linking bre_engine, say).
# Usage: check_includes.sh SOURCE_DIR
set -euo pipefail
cd "$1"

# Which code may include which framework library's headers.
allowed_for() {
  case $1 in
    framework/sdk/*)        echo "sdk" ;;
    framework/clustering/*) echo "sdk clustering" ;;
    framework/render/*)     echo "sdk render" ;;
    framework/engine/*)     echo "sdk engine" ;;
    framework/import/*)     echo "sdk import" ;;
    framework/demo/*)       echo "sdk demo" ;;
    framework/service/*)    echo "sdk clustering engine service" ;;
    framework/export/*)     echo "sdk export" ;;
    plugins/*|examples/*)   echo "sdk clustering render" ;;
    tools/*)                echo "sdk clustering render engine import demo service export" ;;
    *)                      echo "" ;;
  esac
}

# header path as written in #include (bre/...) -> the library whose include/ holds it
declare -A library_of
for library_dir in framework/*/; do
  library_dir=${library_dir%/}
  library=$(basename "$library_dir")
  [ -d "$library_dir/include" ] || continue
  while IFS= read -r header; do
    library_of[${header#"$library_dir"/include/}]=$library
  done < <(find "$library_dir/include" -name '*.hpp')
done

# headers private to one plugin (plugins/<kind>/<name>/); plugins/<kind>/common is a
# library of its own (bre_clustering_common, say) that a benchmark may link
declare -A plugin_header
while IFS= read -r header; do
  plugin_header[$(basename "$header")]=$header
done < <(find plugins -name '*.hpp' -not -path 'plugins/*/common/*')

problems=0
complain() { echo "$1"; problems=$((problems + 1)); }

while IFS= read -r file; do
  allowed=" $(allowed_for "$file") "
  while IFS=: read -r line_number include; do
    [[ $include =~ include[[:space:]]*[\<\"]([^\>\"]+) ]] || continue
    header=${BASH_REMATCH[1]}
    case $header in
      *tests/*|*../tests*) complain "$file:$line_number: includes '$header' from tests/" ;;
    esac
    if [[ $file != plugins/* && -n ${plugin_header[$header]:-} && ! -e $(dirname "$file")/$header ]]; then
      complain "$file:$line_number: includes '$header', a header private to the plugins (${plugin_header[$header]})"
    fi
    library=${library_of[$header]:-}
    [ -n "$library" ] || continue
    if [[ $allowed != *" $library "* ]]; then
      complain "$file:$line_number: includes '$header' of library $library; code under ${file%%/*}/ may use only:$allowed(sdk is libbre)"
    fi
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$file" || true)
done < <(find framework plugins examples tools -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.cc' \) | LC_ALL=C sort)

# Include paths and sources reaching into tests/ from outside it.
while IFS= read -r cmake_file; do
  while IFS=: read -r line_number text; do
    complain "$cmake_file:$line_number: reaches into tests/: $(sed 's/^[[:space:]]*//' <<<"$text")"
  done < <(grep -nE '(SOURCE_DIR\}|\.\.)/tests(/|\b)' "$cmake_file" || true)
done < <(find framework plugins examples tools -name CMakeLists.txt -o -name '*.cmake' | LC_ALL=C sort)

if [ "$problems" -gt 0 ]; then
  echo "$problems include(s) cross the layers of docs/architecture.md"
  exit 1
fi
echo "every include follows the layers of docs/architecture.md"
