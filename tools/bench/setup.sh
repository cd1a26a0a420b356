#!/usr/bin/env bash
# Optional dependencies of the benchmark (tools/bench/run.sh), not of the build or the
# tests: python3-leidenalg (with Debian's python3-igraph and numpy) is the third tool
# compared; bc does the unit arithmetic. Run as root.
set -euo pipefail
apt-get install -y python3-leidenalg python3-numpy bc
