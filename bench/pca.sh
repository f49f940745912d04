#!/usr/bin/env bash
# Side-by-side PCA benchmark on `genomap simulate` data (5 populations, Fst 0.05, alpha 0.3, seed 1):
#   genomap pca (randomized), genomap pca --exact, plink2 --pca approx 10, plink2 --pca 10 (exact), all at N x M;
#   smartpca, genomap and plink2 approx at a smaller SMALL_N x SMALL_M.
# Prints seconds (wall and user CPU), peak RSS and accuracy against the exact answer (genomap --exact, which
# equals plink2 --pca): max relative error of the top-10 eigenvalues, min |r| of PC1-4 (the population
# structure axes) and min |r| of PC1-10. The exact runs need 12 N^2 bytes and O(N^2 M) time; EXACT=0 skips them.
# Usage: bench/pca.sh [N M [THREADS]]   (defaults: 10000 100000 2; tiny check: bench/pca.sh 400 4000)
set -euo pipefail
N=${1:-10000}
M=${2:-100000}
THREADS=${3:-2}
SMALL_N=${SMALL_N:-$((N < 2000 ? N : 2000))}
SMALL_M=${SMALL_M:-$((M < 20000 ? M : 20000))}
EXACT=${EXACT:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GENOMAP=${GENOMAP:-$ROOT/build/genomap}
PLINK2=${PLINK2:-/usr/lib/plink2/plink2-avx2}
[ -x "$PLINK2" ] || PLINK2=$(command -v plink2)
SMARTPCA=${SMARTPCA:-/usr/lib/eigensoft/smartpca}  # the binary; /usr/bin/smartpca is a perl wrapper
WORK=${WORK:-$(mktemp -d /tmp/genomap_bench_pca.XXXXXX)}
mkdir -p "$WORK"
KEEP=${KEEP:-0}
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
echo "load before: $(uptime)"

simulate() {  # N M PREFIX
  "$GENOMAP" simulate --n "$1" --m "$2" --k 5 --fst 0.05 --alpha 0.3 --seed 1 --out "$3" --quiet >/dev/null
}

ROWS=()
measure() {  # LABEL SIZE PREFIX REF COMMAND... : runs, records "label size wall user kb prefix ref"
  local label=$1 size=$2 prefix=$3 ref=$4; shift 4
  /usr/bin/time -f '%e %U %M' -o "$WORK/$label.time" "$@" >"$WORK/$label.log" 2>&1 ||
    { echo "$label failed:" >&2; tail -5 "$WORK/$label.log" >&2; return 1; }
  ROWS+=("$label $size $(tail -1 "$WORK/$label.time") $prefix $ref")
}

# Max relative eigenvalue error over the top 10 (empty when either file is missing).
eig_error() {  # TEST REF (.eigenval files, one value per line)
  awk 'NR==FNR {r[FNR]=$1; next} FNR<=10 {e=($1-r[FNR])/r[FNR]; if (e<0) e=-e; if (e>m) m=e}
       END {printf "%.1e", m}' "$2" "$1"
}

# min |r| over PCs 1..K between two score tables (whitespace, one header line skipped when it starts with '#',
# first score column given).
pc_corr() {  # TEST TEST_FIRST_COL REF REF_FIRST_COL K
  awk -v tc="$2" -v rc="$4" -v K="$5" '
    NR==FNR { if ($1 ~ /^#/) next; n1++; for (k=0; k<K; k++) ref[n1, k]=$(rc+k); next }
    { if ($1 ~ /^#/) next; n2++; for (k=0; k<K; k++) { x=ref[n2, k]; y=$(tc+k);
        sx[k]+=x; sy[k]+=y; sxx[k]+=x*x; syy[k]+=y*y; sxy[k]+=x*y } }
    END { m=1; for (k=0; k<K; k++) { c=(n2*sxy[k]-sx[k]*sy[k])/sqrt((n2*sxx[k]-sx[k]^2)*(n2*syy[k]-sy[k]^2));
          if (c<0) c=-c; if (c<m) m=c }; printf "%.5f", m }' "$3" "$1"
}

simulate "$N" "$M" "$WORK/big"
G=(--threads "$THREADS" --quiet)
measure genomap_randomized "${N}x${M}" "$WORK/g_rand" "$WORK/g_exact" \
  "$GENOMAP" pca --bfile "$WORK/big" --pcs 10 --approx "${G[@]}" --out "$WORK/g_rand"
measure plink2_approx "${N}x${M}" "$WORK/p_approx" "$WORK/g_exact" \
  "$PLINK2" --bfile "$WORK/big" --pca approx 10 --threads "$THREADS" --out "$WORK/p_approx"
if [ "$EXACT" = 1 ]; then
  measure genomap_exact "${N}x${M}" "$WORK/g_exact" "$WORK/g_exact" \
    "$GENOMAP" pca --bfile "$WORK/big" --pcs 10 --exact "${G[@]}" --out "$WORK/g_exact"
  measure plink2_exact "${N}x${M}" "$WORK/p_exact" "$WORK/g_exact" \
    "$PLINK2" --bfile "$WORK/big" --pca 10 --threads "$THREADS" --out "$WORK/p_exact"
fi

simulate "$SMALL_N" "$SMALL_M" "$WORK/small"
measure small_genomap_exact "${SMALL_N}x${SMALL_M}" "$WORK/s_exact" "$WORK/s_exact" \
  "$GENOMAP" pca --bfile "$WORK/small" --pcs 10 --exact "${G[@]}" --out "$WORK/s_exact"
measure small_genomap_randomized "${SMALL_N}x${SMALL_M}" "$WORK/s_rand" "$WORK/s_exact" \
  "$GENOMAP" pca --bfile "$WORK/small" --pcs 10 --approx "${G[@]}" --out "$WORK/s_rand"
measure small_plink2_approx "${SMALL_N}x${SMALL_M}" "$WORK/s_papprox" "$WORK/s_exact" \
  "$PLINK2" --bfile "$WORK/small" --pca approx 10 --threads "$THREADS" --out "$WORK/s_papprox"
if [ -x "$SMARTPCA" ]; then
  awk '{print $1, $2, $3, $4, $5, 1}' "$WORK/small.fam" >"$WORK/small.pedind"
  cat >"$WORK/small.par" <<PAR
genotypename: $WORK/small.bed
snpname: $WORK/small.bim
indivname: $WORK/small.pedind
evecoutname: $WORK/s_smartpca.evec
evaloutname: $WORK/s_smartpca.eval
numoutevec: 10
numoutlieriter: 0
numthreads: $THREADS
PAR
  measure small_smartpca "${SMALL_N}x${SMALL_M}" "$WORK/s_smartpca" "$WORK/s_exact" "$SMARTPCA" -p "$WORK/small.par"
fi
echo "load after: $(uptime)"

echo
echo "| run | N x M | threads | wall s | user CPU s | peak RSS MB | max rel. eigenvalue error (top 10) | min \|r\| PC1-4 | min \|r\| PC1-10 |"
echo "|---|---|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do
  read -r label size wall user kb prefix ref <<<"$row"
  eig="-" r4="-" r10="-"
  if [ -f "$ref.eigenval" ]; then
    if [ -f "$prefix.eigenval" ]; then
      eig=$(eig_error "$prefix.eigenval" "$ref.eigenval")
      r4=$(pc_corr "$prefix.eigenvec" 3 "$ref.eigenvec" 3 4)
      r10=$(pc_corr "$prefix.eigenvec" 3 "$ref.eigenvec" 3 10)
    elif [ -f "$prefix.evec" ]; then  # smartpca: its own eigenvalue scaling; PCs compared
      r4=$(pc_corr "$prefix.evec" 2 "$ref.eigenvec" 3 4)
      r10=$(pc_corr "$prefix.evec" 2 "$ref.eigenvec" 3 10)
    fi
  fi
  echo "| $label | $size | $THREADS | $wall | $user | $((kb / 1024)) | $eig | $r4 | $r10 |"
done
g=$(printf '%s\n' "${ROWS[@]}" | awk '$1=="genomap_randomized" {print $3, $4, $5}')
p=$(printf '%s\n' "${ROWS[@]}" | awk '$1=="plink2_approx" {print $3, $4, $5}')
read -r gw gu gk <<<"$g"; read -r pw pu pk <<<"$p"
awk -v gw="$gw" -v gu="$gu" -v gk="$gk" -v pw="$pw" -v pu="$pu" -v pk="$pk" 'BEGIN {
  printf "\nplink2 approx / genomap randomized: wall %.2fx, user CPU %.2fx; peak RSS genomap/plink2 %.2f\n",
    pw/(gw+1e-3), pu/(gu+1e-3), gk/pk }'
