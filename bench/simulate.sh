#!/usr/bin/env bash
# Side-by-side speed of `genomap simulate` and plink2's `--dummy` (uniform random genotypes, the closest thing
# plink2 offers) writing a .bed/.bim/.fam of the same size. Usage: bench/simulate.sh [N] [M] [THREADS] [GENOMAP]
# Prints wall time (s), peak RSS (MB) and genomap/plink2 ratios. Default: 10,000 samples x 100,000 variants, 2 threads.
set -euo pipefail
N=${1:-10000}
M=${2:-100000}
THREADS=${3:-2}
GENOMAP=${4:-$(dirname "$0")/../build/genomap}
PLINK2=${PLINK2:-plink2}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

measure() {  # prints "wall_s rss_kb" of the command
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > "$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
  cat "$WORK/time"
}

read -r g_wall g_rss < <(measure "$GENOMAP" simulate --n "$N" --m "$M" --k 3 --fst 0.1 --alpha 0.5 --seed 1 \
  --threads "$THREADS" --quiet --out "$WORK/genomap")
read -r g2_wall g2_rss < <(measure "$GENOMAP" simulate --n "$N" --m "$M" --k 3 --fst 0.1 --alpha 0.5 --seed 1 \
  --related dup:2,po:3,fs:3,d2:3,d3:3 --ld-block 20 --ld-r2 0.5 --causal 100 --h2 0.5 --confound 0.3 \
  --threads "$THREADS" --quiet --out "$WORK/genomap_full")
if command -v "$PLINK2" > /dev/null; then
  read -r p_wall p_rss < <(measure "$PLINK2" --dummy "$N" "$M" acgt --threads "$THREADS" --make-bed \
    --out "$WORK/plink2")
else
  p_wall=NA; p_rss=NA
fi

ratio() { if [ "$2" = NA ]; then echo NA; else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; fi; }
mb() { if [ "$1" = NA ]; then echo NA; else awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; fi; }
echo "simulate benchmark: N=$N M=$M threads=$THREADS"
printf '%-44s %10s %12s %10s %10s\n' tool wall_s peak_MB wall_ratio rss_ratio
printf '%-44s %10s %12s %10s %10s\n' "genomap simulate (admixture model)" "$g_wall" "$(mb "$g_rss")" \
  "$(ratio "$g_wall" "$p_wall")" "$(ratio "$g_rss" "$p_rss")"
printf '%-44s %10s %12s %10s %10s\n' "genomap simulate (+related, LD, phenotypes)" "$g2_wall" "$(mb "$g2_rss")" \
  "$(ratio "$g2_wall" "$p_wall")" "$(ratio "$g2_rss" "$p_rss")"
printf '%-44s %10s %12s %10s %10s\n' "plink2 --dummy --make-bed" "$p_wall" "$(mb "$p_rss")" 1.00 1.00
