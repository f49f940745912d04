#!/usr/bin/env bash
# Side-by-side speed and memory of genomap's QC commands and plink2 on the same `genomap simulate` data.
# Usage: bench/qc.sh [N] [M] [THREADS] [GENOMAP]   (default: 10,000 samples x 100,000 variants, 2 threads)
# Prints, per command, wall time (s), CPU time (user + system, s) and peak RSS (MB) of both tools, the
# genomap/plink2 ratios, and whether the output files are byte-identical. Each tool runs REPEATS times (default
# 3, alternating) and the best wall and CPU time and the largest peak RSS are kept.
# Environment: PLINK2 (default /usr/lib/plink2/plink2-avx2, else plink2); DATA=PREFIX uses an existing fileset
# of N x M instead of simulating one (bench/run_all.sh shares one this way); REPEATS.
set -euo pipefail
N=${1:-10000}
M=${2:-100000}
THREADS=${3:-2}
GENOMAP=${4:-$(dirname "$0")/../build/genomap}
if [ -z "${PLINK2:-}" ]; then
  if [ -x /usr/lib/plink2/plink2-avx2 ]; then PLINK2=/usr/lib/plink2/plink2-avx2; else PLINK2=plink2; fi
fi
REPEATS=${REPEATS:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

measure() {  # prints "wall_s cpu_s rss_kb" of the command
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" > "$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$WORK/time"
}

if [ -n "${DATA:-}" ]; then
  INPUT=$DATA
else
  INPUT=$WORK/data
  "$GENOMAP" simulate --n "$N" --m "$M" --k 3 --fst 0.1 --alpha 0.5 --seed 1 --missing 0.01 --ld-block 20 \
    --ld-r2 0.5 --threads "$THREADS" --quiet --out "$INPUT" > /dev/null
fi
# Read the inputs once so that neither tool pays for the first read from disk.
cat "$INPUT".bed "$INPUT".bim "$INPUT".fam > /dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
same() {  # "yes" when every listed output suffix is byte-identical
  for s in "$@"; do cmp -s "$WORK/p.$s" "$WORK/g.$s" || { echo no; return; }; done
  echo yes
}

min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b > a) ? b : a }'; }

echo "QC benchmark: N=$N M=$M threads=$THREADS, genomap simulate data, best of $REPEATS; plink2 = $PLINK2"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-8s %8s %8s %8s %8s %8s %8s %9s %9s %8s %9s\n' command g_wall_s p_wall_s wall_x g_cpu_s p_cpu_s cpu_x \
  g_peak_MB p_peak_MB rss_x identical
row() {  # name, genomap args, plink2 args, suffixes to compare
  local name=$1 gargs=$2 pargs=$3 g_wall="" g_cpu="" g_rss="" p_wall="" p_cpu="" p_rss="" w c r
  shift 3
  for _ in $(seq "$REPEATS"); do
    read -r w c r < <(measure "$GENOMAP" $gargs --bfile "$INPUT" --threads "$THREADS" --quiet --out "$WORK/g")
    g_wall=$(min "$g_wall" "$w") g_cpu=$(min "$g_cpu" "$c") g_rss=$(max "$g_rss" "$r")
    read -r w c r < <(measure "$PLINK2" --bfile "$INPUT" $pargs --threads "$THREADS" --out "$WORK/p")
    p_wall=$(min "$p_wall" "$w") p_cpu=$(min "$p_cpu" "$c") p_rss=$(max "$p_rss" "$r")
  done
  printf '%-8s %8s %8s %8s %8s %8s %8s %9s %9s %8s %9s\n' "$name" "$g_wall" "$p_wall" "$(ratio "$g_wall" "$p_wall")" \
    "$g_cpu" "$p_cpu" "$(ratio "$g_cpu" "$p_cpu")" "$(mb "$g_rss")" "$(mb "$p_rss")" "$(ratio "$g_rss" "$p_rss")" \
    "$(same "$@")"
}
row freq "freq" "--freq" afreq
row missing "missing" "--missing" smiss vmiss
row hardy "hardy" "--hardy" hardy
row het "het" "--het" het
if "$GENOMAP" --help 2>/dev/null | grep -q '^ *prune'; then
  row prune "prune --indep-pairwise 50 5 0.2" "--indep-pairwise 50 5 0.2" prune.in prune.out
fi
