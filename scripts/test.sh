#!/usr/bin/env bash
# The test command: installs dependencies, builds, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
export GENOMAP_REQUIRE_TOOLS=1  # a golden test whose reference tool is missing fails, never skips
ctest --test-dir build --output-on-failure -j "$(nproc)"
