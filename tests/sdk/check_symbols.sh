#!/usr/bin/env bash
# The SDK's exported API: the bre:: functions, variables, vtables and typeinfo that
# libbre exports must be exactly those listed in docs/sdk-symbols.txt. A symbol that
# appears unlisted is an internal that leaked (or new API: add it on purpose); one that
# disappeared breaks plugins built against an earlier SDK.
# Weak symbols (inline functions, template instantiations) are left out: which of them
# a compiler emits depends on its optimisation, not on the API.
# Usage: check_symbols.sh LIBBRE SYMBOL_LIST [--write]
set -euo pipefail
lib=$1
list=$2
exported() {
  nm -DC --defined-only "$lib" |
    awk '$2 ~ /^[TDBRV]$/ { $1 = ""; $2 = ""; sub(/^  /, ""); print }' |
    grep -E '^(bre::|(typeinfo|typeinfo name|vtable) for bre::)' | LC_ALL=C sort -u
}
if [ "${3:-}" = --write ]; then
  { echo "# What libbre exports (tests/sdk/check_symbols.sh; regenerate with --write on purpose)."; exported; } > "$list"
  exit 0
fi
if ! difference=$(diff <(grep -v '^#' "$list") <(exported)); then
  echo "libbre's exports differ from $list ('<' listed but not exported, '>' exported but not listed):"
  echo "$difference"
  exit 1
fi
echo "libbre exports exactly the $(grep -vc '^#' "$list") listed symbols"
