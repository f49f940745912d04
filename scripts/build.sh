#!/usr/bin/env bash
# Configures and builds genomap (Release, warnings as errors) into ./build (or $GENOMAP_BUILD_DIR).
# Uses ccache when it is installed, so rebuilds of unchanged files are near-instant.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${GENOMAP_BUILD_DIR:-build}"
# The report page's npm packages (web/package-lock.json): installed when missing or older than the lock file.
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGENOMAP_WERROR=ON "${launcher[@]}" "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
