#!/usr/bin/env bash
# Side-by-side benchmark of genomap glm against plink2 --glm (linear and logistic-Firth hybrid) on genomap
# simulate data with 10 covariates. Usage: bench/glm.sh [N] [M] [THREADS]   (issue size: 10000 100000 2)
# Prints wall time (s), user CPU time (s), peak RSS (MB) and the genomap/plink2 ratios. On a shared machine
# the user CPU time is the steadier measure (wall time depends on the load).
set -euo pipefail
N=${1:-10000}
M=${2:-100000}
THREADS=${3:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GENOMAP=${GENOMAP:-$ROOT/build/genomap}
PLINK2=${PLINK2:-/usr/lib/plink2/plink2-avx2}
[ -x "$PLINK2" ] || PLINK2=plink2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/genomap_bench_glm.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

"$GENOMAP" simulate --n "$N" --m "$M" --k 3 --fst 0.1 --causal 50 --h2 0.3 --missing 0.01 --seed 7 --quiet \
  --out "$WORK/sim" >/dev/null
# 10 covariates: 10 standard-normal columns drawn with awk's seeded generator.
awk -v seed=11 'BEGIN { srand(seed); printf "FID IID"; for (c = 1; c <= 10; ++c) printf " C%d", c; printf "\n" }
  { printf "%s %s", $1, $2; for (c = 1; c <= 10; ++c) { u = rand(); v = rand();
      printf " %.6f", sqrt(-2 * log(u + 1e-300)) * cos(6.283185307 * v) } printf "\n" }' "$WORK/sim.fam" > "$WORK/covar.txt"

measure() {  # label, command...
  local label=$1; shift
  /usr/bin/time -f '%e %U %M' -o "$WORK/time" "$@" >/dev/null 2>&1
  read -r secs user kb < "$WORK/time"
  echo "$label $secs $user $((kb / 1024))"
}

printf '%-28s %10s %10s %10s\n' "run (N=$N M=$M t=$THREADS)" "wall_s" "user_s" "peak_MB"
declare -A T U R
for model in QT BT; do
  g=$(measure "genomap-$model" "$GENOMAP" glm --bfile "$WORK/sim" --pheno "$WORK/sim.pheno" --pheno-name $model \
      --covar "$WORK/covar.txt" --threads "$THREADS" --quiet --out "$WORK/g")
  p=$(measure "plink2-$model" "$PLINK2" --bfile "$WORK/sim" --pheno "$WORK/sim.pheno" --pheno-name $model \
      --covar "$WORK/covar.txt" --glm hide-covar firth-fallback --threads "$THREADS" --out "$WORK/p")
  for line in "$g" "$p"; do
    read -r label secs user mb <<< "$line"
    T[$label]=$secs; U[$label]=$user; R[$label]=$mb
    printf '%-28s %10s %10s %10s\n' "$label" "$secs" "$user" "$mb"
  done
done
for model in QT BT; do
  awk -v a="${T[genomap-$model]}" -v b="${T[plink2-$model]}" -v c="${R[genomap-$model]}" -v d="${R[plink2-$model]}" \
    -v e="${U[genomap-$model]}" -v f="${U[plink2-$model]}" -v m=$model \
    'BEGIN { printf "%-28s %10.2f %10.2f %10.2f\n", "ratio genomap/plink2 " m, (b > 0 ? a / b : 0), (f > 0 ? e / f : 0), (d > 0 ? c / d : 0) }'
done
