#!/usr/bin/env bash
# Frequency-release storage: SQLite (genomap's layout) vs a memory-mapped sorted binary file; size and point-query
# latency. Usage: bench/freqdb_storage.sh [VARIANTS] [POPULATIONS]   (default 1,000,000 x 4)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -O2 -std=c++20 -o "$work/freqdb_storage" bench/freqdb_storage.cpp -lsqlite3
"$work/freqdb_storage" "${1:-1000000}" "${2:-4}" "$work"
