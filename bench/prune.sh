#!/usr/bin/env bash
# genomap prune vs plink2 --indep-pairwise on `genomap simulate` data, side by side in one run.
# Prints wall time and peak RSS of each tool and the ratios, and checks that .prune.in is identical.
#
# Usage: bench/prune.sh [N] [M] [THREADS] [GENOMAP] [PLINK2]
#   defaults: 10000 samples, 100000 variants, 2 threads, build/genomap, /usr/lib/plink2/plink2-avx2
#   (the issue's target size; run `bench/prune.sh 500 5000` for a quick check that the script works)
set -euo pipefail
N=${1:-10000}
M=${2:-100000}
THREADS=${3:-2}
GENOMAP=${4:-build/genomap}
PLINK2=${5:-/usr/lib/plink2/plink2-avx2}
[ -x "$PLINK2" ] || PLINK2=$(command -v plink2)
WINDOW="50 5 0.2"

work=$(mktemp -d "${TMPDIR:-/tmp}/genomap-bench-prune.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "simulating $N samples x $M variants (LD blocks of 20, r^2 0.5, 1% missing) ..." >&2
"$GENOMAP" simulate --n "$N" --m "$M" --k 3 --fst 0.1 --alpha 0.5 --seed 7 --missing 0.01 \
  --ld-block 20 --ld-r2 0.5 --threads "$THREADS" --quiet --out "$work/sim" >/dev/null

measure() {  # label, command...: prints "label seconds kilobytes"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$label.time" "$@" >/dev/null 2>&1
  echo "$label $(cat "$work/$label.time")"
}

g=$(measure genomap "$GENOMAP" prune --bfile "$work/sim" --indep-pairwise $WINDOW --threads "$THREADS" --quiet \
  --out "$work/genomap")
p=$(measure plink2 "$PLINK2" --bfile "$work/sim" --indep-pairwise $WINDOW --threads "$THREADS" --out "$work/plink2")

same=no
cmp -s "$work/genomap.prune.in" "$work/plink2.prune.in" && cmp -s "$work/genomap.prune.out" "$work/plink2.prune.out" && same=yes
kept=$(wc -l < "$work/genomap.prune.in")

read -r _ gt gm <<<"$g"
read -r _ pt pm <<<"$p"
echo "prune --indep-pairwise $WINDOW on $N x $M, $THREADS threads ($kept kept; identical .prune.in/.out: $same)"
printf '%-10s %10s %12s\n' tool wall_s peak_rss_mb
printf '%-10s %10.2f %12.1f\n' genomap "$gt" "$(echo "$gm / 1024" | bc -l)"
printf '%-10s %10.2f %12.1f\n' plink2 "$pt" "$(echo "$pm / 1024" | bc -l)"
printf 'ratio genomap/plink2: time %.2f, memory %.2f\n' "$(echo "$gt / ($pt + 0.001)" | bc -l)" \
  "$(echo "$gm / $pm" | bc -l)"
[ "$same" = yes ]
