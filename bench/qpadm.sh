#!/usr/bin/env bash
# Timing of the f2 store and of qpAdm model rotation on `genomap simulate` data with K populations:
#   genotype_pass  genomap fstats (all pairwise f2 from the genotypes: one pass)
#   store_build    genomap fstats --f2-store (the same pass, plus writing the store)
#   store_read     genomap fstats --f2-store alone (all pairwise f2 from the store, no genotypes)
#   rotate         genomap qpadm --rotate: target pop1, pool of the next P populations, models of 1..3 sources,
#                  the remaining populations as fixed rights (P = 13 gives 13 + 78 + 286 = 377 models; P = 17
#                  gives 17 + 136 + 680 = 833; P = 19, the default with K = 20, gives 19 + 171 + 969 = 1,159),
#                  weights without SE (--no-se)
#   rotate_se      the same with the block-jackknife SE of every model (one refit per block per model), on a
#                  pool of the first PSE of those populations (default 7: 7 + 21 + 35 = 63 models)
# ADMIXTOOLS is not packaged for Debian, so it is not timed here. Prints wall time (s) and peak RSS (MB).
# Usage: bench/qpadm.sh [N] [M] [K] [P] [THREADS] [PSE]   (default 2000 20000 20 19 2 7)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
M=${2:-20000}
K=${3:-20}
P=${4:-19}
THREADS=${5:-2}
PSE=${6:-7}
GENOMAP=${GENOMAP:-build/genomap}
work=$(mktemp -d "${TMPDIR:-/tmp}/genomap-bench-qpadm.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$GENOMAP" simulate --n "$N" --m "$M" --k "$K" --fst 0.1 --alpha 0.1 --seed 1 --chromosomes 22 \
  --out "$work/sim" --quiet

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

common=(--threads "$THREADS" --block-size 200 --quiet)
results=()
results+=("$(measure genotype_pass "$GENOMAP" fstats --bfile "$work/sim" --pop "$work/sim.pop" "${common[@]}" \
  --out "$work/geno")")
results+=("$(measure store_build "$GENOMAP" fstats --bfile "$work/sim" --pop "$work/sim.pop" "${common[@]}" \
  --f2-store "$work/store" --out "$work/built")")
results+=("$(measure store_read "$GENOMAP" fstats --f2-store "$work/store" --threads "$THREADS" --quiet \
  --out "$work/read")")
cmp -s "$work/geno.f2" "$work/read.f2" || { echo "store f2 differs from genotype f2" >&2; exit 1; }

mapfile -t pops < <(cut -f1 "$work/store/populations.tsv" | tail -n +2)
target=${pops[0]}
pool=$(IFS=,; echo "${pops[*]:1:$P}")
rights=$(IFS=,; echo "${pops[*]:$((P + 1))}")
rotate=("$GENOMAP" qpadm --f2-store "$work/store" --target "$target" --rotate "$pool" --max-sources 3 --quiet
  --no-se --out "$work/rot")
[[ -n "$rights" ]] && rotate+=(--right "$rights")
results+=("$(measure rotate "${rotate[@]}")")
models=$(( $(wc -l < "$work/rot.qpadm.rotate") - 1 ))
pool_se=$(IFS=,; echo "${pops[*]:1:$PSE}")
rights_se=$(IFS=,; echo "${pops[*]:$((PSE + 1))}")
results+=("$(measure rotate_se "$GENOMAP" qpadm --f2-store "$work/store" --target "$target" --rotate "$pool_se" \
  --right "$rights_se" --max-sources 3 --quiet --out "$work/rot_se")")
models_se=$(( $(wc -l < "$work/rot_se.qpadm.rotate") - 1 ))

echo "# qpadm benchmark: N=$N samples, M=$M variants, K=$K populations, pool $P ($models models; with SE:" \
  "pool $PSE, $models_se models), $THREADS threads; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %10s %10s\n' step wall_s peak_MB
for r in "${results[@]}"; do
  read -r name secs mb <<< "$r"
  printf '%-16s %10s %10s\n' "$name" "$secs" "$mb"
done
du -sh "$work/store" | awk '{print "store size: " $1}'
