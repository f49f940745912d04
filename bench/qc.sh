#!/usr/bin/env bash
# Side-by-side speed and memory of genomap's QC commands and plink2 on the same `genomap simulate` data.
# Usage: bench/qc.sh [N] [M] [THREADS] [GENOMAP]   (default: 10,000 samples x 100,000 variants, 2 threads)
# Prints, per command, wall time (s) and peak RSS (MB) of both tools, genomap/plink2 ratios, and whether the
# output files are byte-identical. plink2 is PLINK2 (default /usr/lib/plink2/plink2-avx2, else plink2).
set -euo pipefail
N=${1:-10000}
M=${2:-100000}
THREADS=${3:-2}
GENOMAP=${4:-$(dirname "$0")/../build/genomap}
if [ -z "${PLINK2:-}" ]; then
  if [ -x /usr/lib/plink2/plink2-avx2 ]; then PLINK2=/usr/lib/plink2/plink2-avx2; else PLINK2=plink2; fi
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

measure() {  # prints "wall_s rss_kb" of the command
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > "$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
  cat "$WORK/time"
}

"$GENOMAP" simulate --n "$N" --m "$M" --k 3 --fst 0.1 --alpha 0.5 --seed 1 --missing 0.01 --ld-block 20 \
  --ld-r2 0.5 --threads "$THREADS" --quiet --out "$WORK/data" > /dev/null
# Read the inputs once so that neither tool pays for the first read from disk.
cat "$WORK"/data.bed "$WORK"/data.bim "$WORK"/data.fam > /dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
same() {  # "yes" when every listed output suffix is byte-identical
  for s in "$@"; do cmp -s "$WORK/p.$s" "$WORK/g.$s" || { echo no; return; }; done
  echo yes
}

echo "QC benchmark: N=$N M=$M threads=$THREADS, genomap simulate data; plink2 = $PLINK2"
printf '%-8s %10s %10s %10s %10s %10s %10s %10s\n' command g_wall_s p_wall_s wall_ratio g_peak_MB p_peak_MB \
  rss_ratio identical
row() {  # name, genomap args, plink2 args, suffixes to compare
  local name=$1 gargs=$2 pargs=$3
  shift 3
  read -r g_wall g_rss < <(measure "$GENOMAP" $gargs --bfile "$WORK/data" --threads "$THREADS" --quiet --out "$WORK/g")
  read -r p_wall p_rss < <(measure "$PLINK2" --bfile "$WORK/data" $pargs --threads "$THREADS" --out "$WORK/p")
  printf '%-8s %10s %10s %10s %10s %10s %10s %10s\n' "$name" "$g_wall" "$p_wall" "$(ratio "$g_wall" "$p_wall")" \
    "$(mb "$g_rss")" "$(mb "$p_rss")" "$(ratio "$g_rss" "$p_rss")" "$(same "$@")"
}
row freq "freq" "--freq" afreq
row missing "missing" "--missing" smiss vmiss
row hardy "hardy" "--hardy" hardy
row het "het" "--het" het
if "$GENOMAP" --help 2>/dev/null | grep -q '^ *prune'; then
  row prune "prune --indep-pairwise 50 5 0.2" "--indep-pairwise 50 5 0.2" prune.in prune.out
fi
