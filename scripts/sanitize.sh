#!/usr/bin/env bash
# Builds genomap with GCC's sanitizers in a tree of its own and runs the tests under them.
#   scripts/sanitize.sh asan   AddressSanitizer + UndefinedBehaviorSanitizer, whole test suite (build-asan/)
#   scripts/sanitize.sh tsan   ThreadSanitizer, the multi-threaded kernels' tests (build-tsan/)
# GCC, not clang: clang 14 rejects parts of the code. $GENOMAP_SANITIZE_JOBS sets the build's parallelism (default 2:
# a sanitized build is large and the machines it runs on are shared). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-}"
shift || true
jobs="${GENOMAP_SANITIZE_JOBS:-2}"
supp="$PWD/scripts/sanitizers"
case "$kind" in
  asan)
    build_dir="${GENOMAP_BUILD_DIR:-build-asan}"
    sanitize="address,undefined"
    # The whole suite; a finding aborts the process that hit it, so the test that ran it fails.
    tests=()
    export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
    ;;
  tsan)
    build_dir="${GENOMAP_BUILD_DIR:-build-tsan}"
    sanitize="thread"
    # The kernels that run threads: KING, ADMIXTURE, PCA (exact, randomized, projection), GLM, the block loop
    # (GenotypeKernels), and every command at 1, 2 and 7 threads (ThreadInvariance).
    tests=(-R '^(King|Admix|Pca|Glm|GenotypeKernels|ThreadInvariance)')
    # libgomp is not built with TSan, so its barriers and task handoffs are invisible to it; tsan.supp explains what
    # it silences and why. second_deadlock_stack helps read a lock-order report.
    export TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1:history_size=4"
    # Idle OpenMP workers spin otherwise, and spinning under TSan is ~10x slower than sleeping.
    export OMP_WAIT_POLICY=passive
    ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan [ctest arguments]" >&2
    exit 2
    ;;
esac
# The build configures the web tests too, which need the report page's npm packages (as in scripts/build.sh).
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ -DGENOMAP_WERROR=ON \
  -DGENOMAP_SANITIZE="$sanitize" "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$jobs" --target genomap genomap_tests
# The web (node) tests exercise no sanitized code; they run in scripts/test.sh.
export GENOMAP_REQUIRE_TOOLS=1
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" -E '^web_' "${tests[@]}" "$@"
