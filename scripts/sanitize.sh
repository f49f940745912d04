#!/usr/bin/env bash
# Runs the tests under the sanitizers (clang 14, as the fuzzing build).
#   scripts/sanitize.sh asan   AddressSanitizer + UndefinedBehaviorSanitizer, the whole test suite, in build-fuzz/
#                              (the tree scripts/fuzz.sh builds: every object is already instrumented, so the two
#                              share one build of the library)
#   scripts/sanitize.sh tsan   ThreadSanitizer, the multi-threaded kernels' tests, in build-tsan/ (OpenMP through
#                              LLVM's libomp with its ThreadSanitizer tool, libarcher, so that OpenMP's own
#                              barriers and locks are seen)
#   scripts/sanitize.sh configure-asan   only configures build-fuzz/ (scripts/fuzz.sh uses it)
# $GENOMAP_SANITIZE_JOBS sets the build's parallelism (default 2). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-}"
shift || true
jobs="${GENOMAP_SANITIZE_JOBS:-2}"
supp="$PWD/scripts/sanitizers"
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# -O1 and line tables only: the instrumented build compiles in about half the time of -O2 -g.
# Warnings are the release build's job (-Werror there).
common=(-G Ninja -DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only" -DCMAKE_CXX_COMPILER=clang++
        "${launcher[@]}")
case "$kind" in
  asan|configure-asan)
    build_dir="${GENOMAP_FUZZ_BUILD_DIR:-build-fuzz}"
    configure=(-DGENOMAP_FUZZ=ON -DGENOMAP_TESTS=ON)
    targets=(genomap genomap_tests genomap_example genomap_allele_frequencies)
    # The whole suite; a finding aborts the process that hit it, so the test that ran it fails.
    tests=()
    export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
    ;;
  tsan)
    build_dir="${GENOMAP_BUILD_DIR:-build-tsan}"
    # Only the test files of those kernels are built.
    targets=(genomap genomap_tests)
    configure=(-DGENOMAP_SANITIZE=thread "-DGENOMAP_TEST_FILES=admix|assoc_glm|geno_kernels|king|pca|thread_invariance")
    # The kernels that run threads: KING, ADMIXTURE, PCA (exact, randomized, projection), GLM, the block loop
    # and the ordered pass (GenotypeKernels), and every command at 1, 2 and 7 threads (ThreadInvariance).
    tests=(-R '^(King|Admix|Pca|Glm|GenotypeKernels|ThreadInvariance)')
    # OpenBLAS is not built with TSan: tsan.supp silences reports inside it (and only there).
    export TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1:history_size=4"
    archer=$(ls /usr/lib/llvm-14/lib/libarcher.so 2>/dev/null || true)
    [ -n "$archer" ] || { echo "sanitize.sh: libarcher.so (Debian libomp-14-dev) is missing" >&2; exit 1; }
    export OMP_TOOL_LIBRARIES="$archer"
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
cmake -S . -B "$build_dir" "${common[@]}" "${configure[@]}" >/dev/null
[ "$kind" = configure-asan ] && exit 0
cmake --build "$build_dir" -j "$jobs" --target "${targets[@]}"
# The web (node) tests exercise no sanitized code; they run in scripts/test.sh.
export GENOMAP_REQUIRE_TOOLS=1
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" -E '^web_' "${tests[@]}" "$@"
