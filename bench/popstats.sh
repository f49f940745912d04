#!/usr/bin/env bash
# Side-by-side timing of genomap's population statistics on `genomap simulate` data: all pairwise f2 for K
# populations (genomap fstats) and all pairwise Hudson and WC Fst (genomap fst vs plink2 --fst). ADMIXTOOLS is
# not packaged for Debian, so it is not timed here. Prints wall time (s) and peak RSS (MB) and the ratios.
# Usage: bench/popstats.sh [N] [M] [K] [THREADS]   (default 10000 100000 20 2 -- the README's table)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
M=${2:-100000}
K=${3:-20}
THREADS=${4:-2}
GENOMAP=${GENOMAP:-build/genomap}
PLINK2=${PLINK2:-plink2}
work=$(mktemp -d "${TMPDIR:-/tmp}/genomap-bench-popstats.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$GENOMAP" simulate --n "$N" --m "$M" --k "$K" --fst 0.1 --alpha 0.1 --seed 1 --chromosomes 22 \
  --out "$work/sim" --quiet
# plink2 reads the population as a categorical phenotype; genomap reads the same table.
cp "$work/sim.pop" "$work/pheno.txt"

measure() {  # measure NAME COMMAND... -> "NAME seconds megabytes"
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" > "$work/$name.stdout" 2>&1 || {
    echo "$name failed:" >&2
    cat "$work/$name.stdout" >&2
    exit 1
  }
  read -r secs kb < "$work/time.txt"
  echo "$name $secs $((kb / 1024))"
}

results=()
results+=("$(measure genomap_f2 "$GENOMAP" fstats --bfile "$work/sim" --pop "$work/sim.pop" --threads "$THREADS" \
  --block-size 1000 --out "$work/g_f2" --quiet)")
results+=("$(measure genomap_fst_hudson "$GENOMAP" fst --bfile "$work/sim" --pop "$work/sim.pop" --threads "$THREADS" \
  --method hudson --out "$work/g_hudson" --quiet)")
results+=("$(measure plink2_fst_hudson "$PLINK2" --bfile "$work/sim" --pheno "$work/pheno.txt" --fst POP method=hudson \
  blocksize=500 --threads "$THREADS" --out "$work/p_hudson")")
results+=("$(measure genomap_fst_wc "$GENOMAP" fst --bfile "$work/sim" --pop "$work/sim.pop" --threads "$THREADS" \
  --method wc --out "$work/g_wc" --quiet)")
results+=("$(measure plink2_fst_wc "$PLINK2" --bfile "$work/sim" --pheno "$work/pheno.txt" --fst POP method=wc \
  blocksize=500 --threads "$THREADS" --out "$work/p_wc")")

pairs=$(( $(wc -l < "$work/g_f2.f2") - 1 ))
echo "# popstats benchmark: N=$N samples, M=$M variants, K=$K populations ($pairs pairs), $THREADS threads"
printf '%-20s %10s %10s\n' tool wall_s peak_MB
for r in "${results[@]}"; do
  read -r name secs mb <<< "$r"
  printf '%-20s %10s %10s\n' "$name" "$secs" "$mb"
done
ratio() {  # ratio A B: time of A / time of B
  local a b
  a=$(printf '%s\n' "${results[@]}" | awk -v n="$1" '$1 == n {print $2}')
  b=$(printf '%s\n' "${results[@]}" | awk -v n="$2" '$1 == n {print $2}')
  awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}
echo "fst hudson genomap/plink2 wall ratio: $(ratio genomap_fst_hudson plink2_fst_hudson)"
echo "fst wc genomap/plink2 wall ratio: $(ratio genomap_fst_wc plink2_fst_wc)"
# The two tools must agree on the values they both compute.
paste <(tail -n +2 "$work/g_hudson.fst.summary" | cut -f3) <(tail -n +2 "$work/p_hudson.fst.summary" | cut -f3) |
  awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d } END { printf "max |Fst genomap - plink2| (hudson): %g\n", m }'
