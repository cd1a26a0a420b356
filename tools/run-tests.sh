#!/usr/bin/env bash
# Second command: install what is missing, build, and run the whole test suite.
#
#   tools/run-tests.sh [--sanitize=address,undefined | --sanitize=thread] [ctest arguments...]
#
# --sanitize builds into build-<sanitizers>/ (beside build/) with -DBRE_SANITIZE and runs
# the suite with the sanitizer options in tools/sanitizers/: any finding fails its test.
# --sanitize=thread first builds oneTBB with ThreadSanitizer (tools/sanitizers/build-tbb-tsan.sh).
# Other arguments go to ctest (e.g. -R Cli).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitize=""
ctest_args=()
for arg in "$@"; do
  case "$arg" in
    --sanitize=*) sanitize=${arg#--sanitize=} ;;
    *) ctest_args+=("$arg") ;;
  esac
done
cmake_args=()
if [ -n "$sanitize" ]; then
  case "$sanitize" in
    address,undefined|undefined,address|address|undefined|thread) ;;
    *) echo "run-tests: --sanitize expects address,undefined or thread, found '$sanitize'" >&2; exit 2 ;;
  esac
  export BRE_BUILD_DIR=${BRE_BUILD_DIR:-$root/build-${sanitize/,/-}}
  # -O1 and line tables only: half the compile time of -O2 -g, and still readable reports.
  cmake_args+=(-DBRE_SANITIZE="$sanitize" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
  supp=$root/tools/sanitizers
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp"
fi
"$root/tools/setup.sh"
if [ "$sanitize" = thread ]; then
  # TBB's scheduler must be instrumented too, or every hand-off between tasks looks like a race.
  cmake_args+=(-DTBB_DIR="$("$root/tools/sanitizers/build-tbb-tsan.sh" "$BRE_BUILD_DIR/tbb-tsan")")
fi
"$root/tools/build.sh" "${cmake_args[@]}"
build=${BRE_BUILD_DIR:-$root/build}
cd "$build"
ctest --output-on-failure -j "$(nproc)" "${ctest_args[@]}"
