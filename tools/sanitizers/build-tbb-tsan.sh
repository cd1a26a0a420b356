#!/usr/bin/env bash
# Builds oneTBB with ThreadSanitizer into PREFIX (default build-thread/tbb-tsan) from
# Debian's own source package of the installed version, and prints the directory of
# its CMake package (for -DTBB_DIR=...). Idempotent: an existing build is reused.
#
# Why: TBB hands work between threads through its scheduler in libtbb.so. Debian's
# build is not instrumented, so ThreadSanitizer cannot see those hand-offs and reports
# every task's reads of what its predecessor wrote as a race. With an instrumented TBB
# it sees them, and the engine and ensemble races it reports are real.
#
# Needs the Debian source repository; when no deb-src entry exists, one is added for the
# release the machine runs (/etc/apt/sources.list.d/bre-deb-src.sources).
set -euo pipefail
prefix=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build-thread/tbb-tsan}
if [ -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ]; then
  echo "$prefix/lib/cmake/TBB"
  exit 0
fi
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  . /etc/os-release
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$VERSION_CODENAME" | "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/bre-deb-src.sources >/dev/null
  "${sudo_cmd[@]}" apt-get update -qq >&2
fi
version=$(dpkg-query -W -f='${Version}' libtbb-dev)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq --download-only "onetbb=$version" >&2 2>/dev/null ||
  apt-get source -qq --download-only onetbb >&2)
tar -xf "$work"/onetbb_*.orig.tar.* -C "$work"
src=$(find "$work" -maxdepth 1 -mindepth 1 -type d | head -1)
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF \
  -DTBB_STRICT=OFF -DTBB_SANITIZE=thread -DCMAKE_INSTALL_PREFIX="$prefix" >&2
cmake --build "$work/build" -j "$(nproc)" >&2
cmake --install "$work/build" >&2
echo "$prefix/lib/cmake/TBB"
