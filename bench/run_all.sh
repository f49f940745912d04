#!/usr/bin/env bash
# Runs every benchmark script under bench/ at the issues' sizes and collects their tables into one markdown
# file (default bench/RESULTS.md) with the date, the machine (cores, CPU model, load) and the plink2 version.
#
# Usage: bench/run_all.sh [RESULTS_FILE]
# Environment:
#   GENOMAP       genomap binary (default: build/genomap of this checkout)
#   BENCH_TINY=1  tiny sizes instead of the issue sizes (a minute or so; to check that the scripts work)
#   BENCH_ONLY    space-separated script names to run (e.g. "qc prune"); default: every bench/*.sh present
# The QC benchmark reuses one simulated dataset (made once here, 10,000 x 100,000) through qc.sh's DATA
# variable; the other scripts simulate what they need themselves (relatives, phenotypes, K populations).
# A script that fails is reported in the file with its last lines of output; the others still run.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/bench/RESULTS.md}
export GENOMAP=${GENOMAP:-$ROOT/build/genomap}
GENOMAP=$(cd "$(dirname "$GENOMAP")" && pwd)/$(basename "$GENOMAP")
if [ -z "${PLINK2:-}" ]; then
  if [ -x /usr/lib/plink2/plink2-avx2 ]; then PLINK2=/usr/lib/plink2/plink2-avx2; else PLINK2=$(command -v plink2 || true); fi
fi
export PLINK2
[ -x "$GENOMAP" ] || { echo "run_all.sh: genomap binary not found: $GENOMAP (build first)" >&2; exit 1; }
THREADS=2

# Sizes: the issues' sizes, or tiny ones with BENCH_TINY=1.
if [ "${BENCH_TINY:-0}" = 1 ]; then
  N=300 M=3000 GENOME_N=200 POP_K=3 ADMIX_N=200 ADMIX_M=2000 ADMIX_K=3 REG_N=200 REG_M=2000 REG_EXTRA=1000
else
  N=10000 M=100000 GENOME_N=2000 POP_K=20 ADMIX_N=2000 ADMIX_M=20000 ADMIX_K=4 REG_N=2000 REG_M=20000 REG_EXTRA=100000
fi

args_of() {  # the arguments each script takes (see the usage line at the top of each script)
  case $1 in
    qc | prune | simulate) echo "$N $M $THREADS $GENOMAP" ;;
    pca) echo "$N $M" ;;
    king) echo "$N $M $GENOME_N $THREADS" ;;
    glm) echo "$N $M $THREADS" ;;
    popstats) echo "$N $M $POP_K $THREADS" ;;
    admix) echo "$ADMIX_N $ADMIX_M $ADMIX_K $THREADS" ;;
    registry) echo "$GENOMAP $REG_N $REG_M $REG_EXTRA" ;;
    *) echo "" ;;  # an unknown script runs with its own defaults
  esac
}

WORK=$(mktemp -d /tmp/genomap_run_all.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# The shared dataset of the QC benchmark (the same parameters qc.sh would use).
"$GENOMAP" simulate --n "$N" --m "$M" --k 3 --fst 0.1 --alpha 0.5 --seed 1 --missing 0.01 --ld-block 20 \
  --ld-r2 0.5 --threads "$THREADS" --quiet --out "$WORK/shared" > /dev/null || { echo "simulate failed" >&2; exit 1; }

cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
plink2_version=$("$PLINK2" --version 2>/dev/null | head -1)
{
  echo "# genomap benchmarks"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory"
  echo "- load before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- genomap: $("$GENOMAP" --version 2>/dev/null | head -1) ($GENOMAP)"
  echo "- plink2: ${plink2_version:-not found} ($PLINK2)"
  echo "- sizes: $([ "${BENCH_TINY:-0}" = 1 ] && echo "TINY (BENCH_TINY=1; not the issue sizes)" || echo "issue sizes"), $THREADS threads"
  echo
} > "$OUT.tmp"

scripts=()
for s in "$ROOT"/bench/*.sh; do
  name=$(basename "$s" .sh)
  [ "$name" = run_all ] && continue
  if [ -n "${BENCH_ONLY:-}" ] && ! [[ " $BENCH_ONLY " == *" $name "* ]]; then continue; fi
  scripts+=("$name")
done

for name in "${scripts[@]}"; do
  args=$(args_of "$name")
  echo "run_all.sh: $name $args" >&2
  start=$(date +%s)
  if [ "$name" = qc ]; then
    DATA="$WORK/shared" bash "$ROOT/bench/$name.sh" $args > "$WORK/$name.out" 2> "$WORK/$name.err"
  else
    (cd "$ROOT" && bash "bench/$name.sh" $args) > "$WORK/$name.out" 2> "$WORK/$name.err"
  fi
  rc=$?
  secs=$(($(date +%s) - start))
  {
    echo "## $name"
    echo
    echo "Command: \`bench/$name.sh $args\` (exit $rc, ${secs} s; load after: $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo '```'
    cat "$WORK/$name.out"
    if [ "$rc" -ne 0 ]; then
      echo "--- FAILED (exit $rc); last lines of stderr:"
      tail -n 20 "$WORK/$name.err"
    fi
    echo '```'
    echo
  } >> "$OUT.tmp"
done
mv "$OUT.tmp" "$OUT"
echo "run_all.sh: wrote $OUT" >&2
