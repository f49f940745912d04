#!/usr/bin/env bash
# Side-by-side PCA benchmark on `genomap simulate` data: genomap pca (randomized) vs plink2 --pca approx, and
# smartpca on a smaller size; wall time, peak RSS and accuracy (top-10 eigenvalues and PC1/PC2 against the exact
# genomap/plink2 answer). Usage: bench/pca.sh [N M] (default 10000 100000; tiny run: bench/pca.sh 300 3000).
set -euo pipefail
N=${1:-10000}
M=${2:-100000}
THREADS=${THREADS:-2}
GENOMAP=${GENOMAP:-build/genomap}
PLINK2=${PLINK2:-/usr/lib/plink2/plink2-avx2}
SMARTPCA_N=${SMARTPCA_N:-$((N < 2000 ? N : 2000))}
WORK=${WORK:-$(mktemp -d)}
echo "work folder: $WORK"
"$GENOMAP" simulate --n "$N" --m "$M" --k 4 --fst 0.05 --alpha 0.5 --missing 0.01 --seed 7 --out "$WORK/sim" --quiet

measure() {  # label, command...: prints "label wall_s peak_kb"
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/$label.time" "$@" > "$WORK/$label.stdout" 2>&1
  echo "$label $(cat "$WORK/$label.time")"
}

# Accuracy: max relative eigenvalue error over 10 PCs and min |r| over PC1-PC2 against a reference run.
accuracy() {  # prefix, reference prefix
  awk 'NR==FNR {ref[FNR]=$1; next} {e = ($1-ref[FNR])/ref[FNR]; if (e<0) e=-e; if (e>m) m=e} END {printf "%.2e", m}' \
    "$2.eigenval" "$1.eigenval"
  printf " "
  awk -v k=3 'NR==FNR {if (FNR>1) {a[FNR]=$k; b2[FNR]=$(k+1)}; next}
       FNR>1 {x=a[FNR]; y=$k; sx+=x; sy+=y; sxx+=x*x; syy+=y*y; sxy+=x*y;
              x=b2[FNR]; y=$(k+1); tx+=x; ty+=y; txx+=x*x; tyy+=y*y; txy+=x*y; n++}
       END {r1=(n*sxy-sx*sy)/sqrt((n*sxx-sx*sx)*(n*syy-sy*sy)); r2=(n*txy-tx*ty)/sqrt((n*txx-tx*tx)*(n*tyy-ty*ty));
            if (r1<0) r1=-r1; if (r2<0) r2=-r2; printf "%.6f", (r1<r2?r1:r2)}' "$2.eigenvec" "$1.eigenvec"
}

{
  measure genomap_approx "$GENOMAP" pca --bfile "$WORK/sim" --pcs 10 --approx --threads "$THREADS" --out "$WORK/g_approx" --quiet
  measure plink2_approx "$PLINK2" --bfile "$WORK/sim" --pca approx 10 --threads "$THREADS" --out "$WORK/p_approx"
  if [ "$N" -le 5000 ]; then
    measure genomap_exact "$GENOMAP" pca --bfile "$WORK/sim" --pcs 10 --exact --threads "$THREADS" --out "$WORK/g_exact" --quiet
    measure plink2_exact "$PLINK2" --bfile "$WORK/sim" --pca 10 --threads "$THREADS" --out "$WORK/p_exact"
  fi
} > "$WORK/times.txt"
cat "$WORK/times.txt"
REF="$WORK/g_exact"
[ -f "$REF.eigenval" ] || REF="$WORK/g_approx"  # large N: no exact run; accuracy columns are then vs genomap approx

echo
echo "| tool | N | M | threads | wall s | peak RSS MB | max rel. eigenvalue error (top 10) | min abs r PC1-2 |"
echo "|---|---|---|---|---|---|---|---|"
while read -r label wall kb; do
  prefix=$WORK/${label/genomap_/g_}; prefix=${prefix/plink2_/p_}
  acc=$(accuracy "$prefix" "$REF" | tr ' ' '|')
  echo "| $label | $N | $M | $THREADS | $wall | $((kb / 1024)) | ${acc%%|*} | ${acc##*|} |"
done < "$WORK/times.txt"

# smartpca on a subset (it reads EIGENSTRAT/PACKEDPED; the .bed/.bim/.fam of a subset is given as PACKEDPED).
SMARTPCA=${SMARTPCA:-/usr/lib/eigensoft/smartpca}  # the binary; /usr/bin/smartpca is a perl wrapper
if [ -x "$SMARTPCA" ]; then
  head -n "$SMARTPCA_N" "$WORK/sim.fam" | awk '{print $1, $2}' > "$WORK/sub.keep"
  "$PLINK2" --bfile "$WORK/sim" --keep "$WORK/sub.keep" --make-bed --out "$WORK/sub" > /dev/null
  awk '{print $1, $2, $3, $4, $5, 1}' "$WORK/sub.fam" > "$WORK/sub.pedind"
  cat > "$WORK/sub.par" << PAR
genotypename: $WORK/sub.bed
snpname: $WORK/sub.bim
indivname: $WORK/sub.pedind
evecoutname: $WORK/sub.evec
evaloutname: $WORK/sub.eval
numoutevec: 10
numoutlieriter: 0
numthreads: $THREADS
PAR
  s=$(measure smartpca "$SMARTPCA" -p "$WORK/sub.par")
  g=$(measure genomap_sub "$GENOMAP" pca --bfile "$WORK/sub" --pcs 10 --threads "$THREADS" --out "$WORK/g_sub" --quiet)
  echo
  echo "| tool | N | M | threads | wall s | peak RSS MB |"
  echo "|---|---|---|---|---|---|"
  for line in "$s" "$g"; do
    read -r label wall kb <<< "$line"
    echo "| $label | $SMARTPCA_N | $M | $THREADS | $wall | $((kb / 1024)) |"
  done
fi
