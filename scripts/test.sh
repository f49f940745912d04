#!/usr/bin/env bash
# The test command: installs dependencies, builds, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
export GENOMAP_REQUIRE_TOOLS=1  # a golden test whose reference tool is missing fails, never skips
ctest --test-dir build --output-on-failure -j "$(nproc)"
# Error messages no test asserts: the number may only fall (scripts/error_coverage.py lists them).
python3 scripts/error_coverage.py --max 14 | tail -n 1
