#!/usr/bin/env bash
# Installs the Debian packages bre needs, only those that are missing, and the npm
# packages of the report's browser tests (tests/browser) when they are missing or stale.
# Usage: tools/setup.sh   (as root, or with sudo available)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  cmake ninja-build g++ pkg-config ccache
  # The report page test opens the report in a real browser; the browser tests drive it
  # with puppeteer-core under Node.js (tests/browser).
  chromium nodejs
  libboost-dev libboost-program-options-dev
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libtbb-dev libspdlog-dev libssl-dev
  libgtest-dev libgmock-dev
  # bre import files reprojects maps with PROJ; the tests check it against cs2cs.
  libproj-dev proj-bin
  # The Python client of bre-server (bre_client), and the certificates of the TLS tests.
  python3-grpcio openssl
  # Partitions and tables of the Python client as DataFrames (optional for the package).
  python3-pandas
  # The map tests read SVG back with python3's XML parser.
  python3
  # The reference of the variance decomposition and its permutation tests (tests/analysis).
  python3-statsmodels python3-scipy
  # igraph, and the libraries its CMake package links by path (see ARCHITECTURE.md).
  libigraph-dev libarpack2-dev libblas-dev libglpk-dev libgmp-dev liblapack-dev libplfit-dev
  # bre export writes GeoJSON and GeoPackage through GDAL/OGR; its tests read them back
  # with ogrinfo and ogr2ogr. bre map renders PNG through librsvg (with cairo).
  libgdal-dev gdal-bin librsvg2-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's nodejs comes without npm (NodeSource's has it built in).
command -v npm >/dev/null || dpkg-query -W -f='${Status}' npm 2>/dev/null | grep -q "install ok installed" || missing+=(npm)
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# puppeteer-core at the versions package-lock.json pins; npm records what it installed
# in node_modules/.package-lock.json, so an install newer than the lock file is current.
browser_tests=$root/tests/browser
if [ -f "$browser_tests/node_modules/.package-lock.json" ] &&
   [ "$browser_tests/node_modules/.package-lock.json" -nt "$browser_tests/package-lock.json" ]; then
  echo "setup: npm packages of tests/browser present"
else
  echo "setup: installing the npm packages of tests/browser"
  (cd "$browser_tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
