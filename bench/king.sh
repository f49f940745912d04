#!/usr/bin/env bash
# KING-robust kinship, side by side: genomap king vs plink2 --make-king-table (same data, same threads), and
# plink1.9 --genome (IBD / PI_HAT, a slower method) at a smaller sample size. Prints wall time, peak RSS and
# ratios. Usage: bench/king.sh [N] [M] [GENOME_N] [THREADS]   (defaults: 10000 100000 2000 2)
# Data: `genomap simulate` (2 populations, Fst 0.05, 1% missing) with planted relatives.
set -euo pipefail
N=${1:-10000}
M=${2:-100000}
GENOME_N=${3:-2000}
THREADS=${4:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GENOMAP=${GENOMAP:-$ROOT/build/genomap}
PLINK2=${PLINK2:-/usr/lib/plink2/plink2-avx2}
[ -x "$PLINK2" ] || PLINK2=$(command -v plink2)
PLINK19=${PLINK19:-$(command -v plink1.9 || command -v plink || true)}
WORK=${WORK:-$(mktemp -d /tmp/genomap_bench_king.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT

make_data() {  # make_data N M PREFIX
  "$GENOMAP" simulate --n "$1" --m "$2" --k 2 --fst 0.05 --alpha 0.5 --seed 7 --missing 0.01 \
    --related dup:2,po:3,fs:3,d2:3,d3:3 --threads "$THREADS" --out "$3" --quiet >/dev/null
}

measure() {  # measure LABEL COMMAND... ; prints "seconds kilobytes"
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/$label.time" "$@" >"$WORK/$label.out" 2>&1 ||
    { echo "$label failed:" >&2; tail -5 "$WORK/$label.out" >&2; exit 1; }
  cat "$WORK/$label.time" | tail -1
}

make_data "$N" "$M" "$WORK/big"
read -r g_s g_kb < <(measure genomap "$GENOMAP" king --bfile "$WORK/big" --threads "$THREADS" --out "$WORK/g" --quiet)
read -r p_s p_kb < <(measure plink2 "$PLINK2" --bfile "$WORK/big" --make-king-table --threads "$THREADS" --out "$WORK/p")

printf '%-40s %10s %12s\n' "tool (N=$N, M=$M, $THREADS threads)" "wall_s" "peak_MiB"
printf '%-40s %10s %12.1f\n' "genomap king" "$g_s" "$(echo "$g_kb / 1024" | bc -l)"
printf '%-40s %10s %12.1f\n' "plink2 --make-king-table" "$p_s" "$(echo "$p_kb / 1024" | bc -l)"
printf 'ratio plink2/genomap wall: %.2f   RSS genomap/plink2: %.2f\n' \
  "$(echo "$p_s / ($g_s + 0.001)" | bc -l)" "$(echo "$g_kb / $p_kb" | bc -l)"

if [ -n "$PLINK19" ]; then
  make_data "$GENOME_N" "$M" "$WORK/small"
  read -r gs_s gs_kb < <(measure genomap_small "$GENOMAP" king --bfile "$WORK/small" --threads "$THREADS" --out "$WORK/gs" --quiet)
  read -r q_s q_kb < <(measure plink19 "$PLINK19" --bfile "$WORK/small" --genome --threads "$THREADS" --out "$WORK/q")
  printf '%-40s %10s %12s\n' "tool (N=$GENOME_N, M=$M, $THREADS threads)" "wall_s" "peak_MiB"
  printf '%-40s %10s %12.1f\n' "genomap king" "$gs_s" "$(echo "$gs_kb / 1024" | bc -l)"
  printf '%-40s %10s %12.1f\n' "plink1.9 --genome" "$q_s" "$(echo "$q_kb / 1024" | bc -l)"
  printf 'ratio plink1.9/genomap wall: %.2f\n' "$(echo "$q_s / ($gs_s + 0.001)" | bc -l)"
else
  echo "plink1.9 not found: --genome comparison skipped"
fi
