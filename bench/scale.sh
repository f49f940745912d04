#!/usr/bin/env bash
# How every command's cost grows with N and M, side by side with its peer (plink2-avx2 where one exists), in
# one run on one machine: wall time, CPU time (user + system) and peak RSS per command and tier, and ratios.
# Usage: bench/scale.sh [TIER...] [--threads T]   TIER = NxM, default 2000x20000 10000x100000
#   bench/scale.sh 2000x20000 10000x100000 50000x200000    (the issue's three tiers; the last takes hours)
# Commands: freq, missing, hardy, pca (10 PCs; plink2 --pca approx), king (plink2 --make-king-table; at N >=
# 50,000 both with --king-table-filter 0.0442), glm linear and logistic with 10 PCs as covariates, ibd (beside
# plink2 --make-king-table), admix K=5 (no peer on Debian; run up to 2,000 x 100,000 only, unless
# SCALE_ADMIX=1), each also under --memory 8000 at the largest tier to show it runs there or says before
# starting that it cannot. Prints a Markdown table (paste into bench/RESULTS.md) on stdout; progress on stderr.
set -euo pipefail
THREADS=2
tiers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS=$2; shift 2 ;;
    *) tiers+=("$1"); shift ;;
  esac
done
[ ${#tiers[@]} -gt 0 ] || tiers=(2000x20000 10000x100000)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GENOMAP=${GENOMAP:-$ROOT/build/genomap}
PLINK2=${PLINK2:-/usr/lib/plink2/plink2-avx2}
[ -x "$PLINK2" ] || PLINK2=$(command -v plink2)
WORK=${WORK:-$(mktemp -d /tmp/genomap_bench_scale.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT

# measure LABEL COMMAND... -> "wall cpu rss_mb status" (status ok, refused (exit 1 before starting) or failed)
measure() {
  local label=$1; shift
  local status=ok
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/$label.time" "$@" >"$WORK/$label.out" 2>&1 || status=failed
  if [ "$status" = failed ] && grep -q "memory" "$WORK/$label.out"; then status=refused; fi
  read -r wall user sys kb < <(tail -1 "$WORK/$label.time")
  printf '%s %.2f %d %s\n' "$wall" "$(echo "$user + $sys" | bc -l)" "$((kb / 1024))" "$status"
}

row() {  # row TIER COMMAND PEER_LABEL genomap-measure peer-measure
  local tier=$1 cmd=$2 peer=$3 g=$4 p=$5
  read -r gw gc gm gs <<<"$g"
  if [ -n "$p" ]; then
    read -r pw pc pm ps <<<"$p"
    printf '| %s | %s | %s s, %s s CPU, %s MB (%s) | %s: %s s, %s s CPU, %s MB | %.2f | %.2f |\n' "$tier" "$cmd" \
      "$gw" "$gc" "$gm" "$gs" "$peer" "$pw" "$pc" "$pm" "$(echo "$gw / ($pw + 0.001)" | bc -l)" \
      "$(echo "$gm / ($pm + 0.001)" | bc -l)"
  else
    printf '| %s | %s | %s s, %s s CPU, %s MB (%s) | none | | |\n' "$tier" "$cmd" "$gw" "$gc" "$gm" "$gs"
  fi
}

echo "| N x M | command | genomap | peer | wall ratio | RSS ratio |"
echo "|---|---|---|---|---|---|"
for tier in "${tiers[@]}"; do
  N=${tier%x*}
  M=${tier#*x}
  d="$WORK/$tier"
  mkdir -p "$d"
  echo "scale: simulating $N x $M" >&2
  "$GENOMAP" simulate --n "$N" --m "$M" --k 5 --fst 0.05 --causal 50 --h2 0.3 --missing 0.01 --seed 7 \
    --threads "$THREADS" --quiet --out "$d/sim"
  awk 'BEGIN { print "FID IID CC" } { srand(NR); printf "%s %s %d\n", $1, $2, (rand() < 0.3) + 1 }' "$d/sim.fam" \
    >"$d/cc.txt"
  g="$GENOMAP"
  t="--threads $THREADS"
  echo "scale: $tier freq, missing, hardy" >&2
  row "$tier" freq "plink2 --freq" "$(measure gfreq $g freq --bfile "$d/sim" $t --out "$d/g" --quiet)" \
    "$(measure pfreq "$PLINK2" --bfile "$d/sim" --freq $t --out "$d/p")"
  row "$tier" missing "plink2 --missing" "$(measure gmiss $g missing --bfile "$d/sim" $t --out "$d/g" --quiet)" \
    "$(measure pmiss "$PLINK2" --bfile "$d/sim" --missing $t --out "$d/p")"
  row "$tier" hardy "plink2 --hardy" "$(measure ghardy $g hardy --bfile "$d/sim" $t --out "$d/g" --quiet)" \
    "$(measure phardy "$PLINK2" --bfile "$d/sim" --hardy $t --out "$d/p")"
  echo "scale: $tier pca" >&2
  row "$tier" "pca 10" "plink2 --pca approx 10" \
    "$(measure gpca $g pca --bfile "$d/sim" --pcs 10 $t --out "$d/g" --quiet)" \
    "$(measure ppca "$PLINK2" --bfile "$d/sim" --pca approx 10 $t --out "$d/p")"
  filter=()
  [ "$N" -ge 50000 ] && filter=(--king-table-filter 0.0442)
  echo "scale: $tier king" >&2
  row "$tier" king "plink2 --make-king-table" \
    "$(measure gking $g king --bfile "$d/sim" "${filter[@]}" $t --out "$d/g" --quiet)" \
    "$(measure pking "$PLINK2" --bfile "$d/sim" --make-king-table "${filter[@]}" $t --out "$d/p")"
  echo "scale: $tier glm" >&2
  row "$tier" "glm linear, 10 PCs" "plink2 --glm" \
    "$(measure glin $g glm --bfile "$d/sim" --pheno "$d/sim.pheno" --covar "$d/g.eigenvec" $t --out "$d/gl" --quiet)" \
    "$(measure plin "$PLINK2" --bfile "$d/sim" --pheno "$d/sim.pheno" --covar "$d/p.eigenvec" --glm hide-covar $t \
      --out "$d/pl")"
  row "$tier" "glm logistic, 10 PCs" "plink2 --glm firth-fallback" \
    "$(measure glog $g glm --bfile "$d/sim" --pheno "$d/cc.txt" --covar "$d/g.eigenvec" $t --out "$d/gc" --quiet)" \
    "$(measure plog "$PLINK2" --bfile "$d/sim" --pheno "$d/cc.txt" --covar "$d/p.eigenvec" \
      --glm hide-covar firth-fallback $t --out "$d/pc")"
  echo "scale: $tier ibd" >&2
  row "$tier" "ibd (uniform map)" "plink2 --make-king-table" \
    "$(measure gibd $g ibd --bfile "$d/sim" --uniform-map 1 $t --out "$d/g" --quiet)" \
    "$(measure pking2 "$PLINK2" --bfile "$d/sim" --make-king-table "${filter[@]}" $t --out "$d/p2")"
  if [ $((N * M)) -le 200000000 ] || [ "${SCALE_ADMIX:-0}" = 1 ]; then
    echo "scale: $tier admix K=5" >&2
    row "$tier" "admix K=5" "" "$(measure gadmix $g admix --bfile "$d/sim" --k 5 $t --out "$d/g" --quiet)" ""
  fi
  rm -f "$d"/p*.kin0 "$d"/g*.kin0 "$d"/*.seg
done
last=${tiers[${#tiers[@]}-1]}
d="$WORK/$last"
echo "scale: $last under --memory 8000" >&2
commands=(freq missing hardy "pca --pcs 10" king "ibd --uniform-map 1")
N=${last%x*}
M=${last#*x}
if [ $((N * M)) -le 200000000 ] || [ "${SCALE_ADMIX:-0}" = 1 ]; then commands+=("admix --k 5"); fi
for c in "${commands[@]}"; do
  # shellcheck disable=SC2086
  read -r w cpu mb st < <(measure mem "$GENOMAP" $c --bfile "$d/sim" --memory 8000 --threads "$THREADS" \
    --out "$d/m" --quiet)
  msg=""
  [ "$st" != ok ] && msg=$(head -c 200 "$WORK/mem.out" | tr '\n' ' ')
  echo "| $last | $c --memory 8000 | $w s, $mb MB ($st) $msg | | | |"
done
