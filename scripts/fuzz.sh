#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UBSan, in build-fuzz/) and fuzzes every parser.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   default 30 seconds each, every target
#   scripts/fuzz.sh --hours H                          H hours spread over every target
# Each target starts from its seed corpus in fuzz/corpus/TARGET (committed) and keeps what it learns in
# build-fuzz/corpus/TARGET. A crash, leak, UBSan finding or exception other than genomap::Error stops the run
# and leaves the input as build-fuzz/crash-TARGET-*; copy it into fuzz/corpus/TARGET once fixed, so every
# later run replays it. Exit status: non-zero when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=30
if [ "${1:-}" = "--hours" ]; then
  hours=${2:?--hours H}
  shift 2
  set -- "" "$@"
  seconds=""
elif [ $# -gt 0 ]; then
  seconds=$1
fi
shift || true
build_dir="${GENOMAP_FUZZ_BUILD_DIR:-build-fuzz}"
# The tree that scripts/sanitize.sh asan also runs the test suite from (-O1, line tables: libFuzzer finds as
# much as at -O2, it is coverage that matters).
GENOMAP_FUZZ_BUILD_DIR="$build_dir" scripts/sanitize.sh configure-asan
cmake --build "$build_dir" -j "${GENOMAP_FUZZ_JOBS:-2}" --target genomap_fuzz
bin="$PWD/$build_dir/fuzz/genomap_fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls fuzz/corpus)
fi
if [ -z "$seconds" ]; then
  seconds=$(awk -v h="$hours" -v n="${#targets[@]}" 'BEGIN { printf "%d", h * 3600 / n }')
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=()
for t in "${targets[@]}"; do
  [ -d "fuzz/corpus/$t" ] || { echo "fuzz: no seed corpus fuzz/corpus/$t" >&2; exit 2; }
  mkdir -p "$build_dir/corpus/$t"
  echo "fuzz: $t for ${seconds}s" >&2
  # -timeout: an input that takes more than 10 s is a hang; -rss_limit_mb: one that needs 2 GB is a finding.
  if ! GENOMAP_FUZZ_TARGET="$t" "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -artifact_prefix="$build_dir/crash-$t-" -print_final_stats=1 \
       "$build_dir/corpus/$t" "fuzz/corpus/$t" >"$build_dir/fuzz-$t.log" 2>&1; then
    failed+=("$t")
    tail -n 40 "$build_dir/fuzz-$t.log" >&2
  fi
  grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$build_dir/fuzz-$t.log" |
    sed "s/^/fuzz: $t: /" >&2 || true
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]} (inputs in $build_dir/crash-*)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, nothing found" >&2
