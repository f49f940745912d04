#!/usr/bin/env bash
# Admixture (ADMIXTURE model), side by side: genomap admix vs fastmixture, same data, K, threads and seed.
# Prints wall time, peak RSS, final log-likelihood (both evaluated by the ADMIXTURE definition
# sum g log h + (2-g) log(1-h) over the written .Q/.P with bench/admix_loglik.py), Q RMSE against the simulated
# truth after the best column permutation, and the ratios genomap/fastmixture.
# Usage: bench/admix.sh [N] [M] [K] [THREADS]   (defaults: 2000 20000 4 2)
# Environment:
#   GENOMAP          genomap binary for `admix` (default: build/genomap of this checkout)
#   GENOMAP_SIM      genomap binary for `simulate` (default: $GENOMAP)
#   FASTMIXTURE_CMD  command that runs fastmixture, e.g. "fastmixture" or
#                    "python3 -m fastmixture.main" (unset: fastmixture is skipped)
#   PYTHON           python3 with numpy (default: python3, else /usr/bin/python3)
#   PLINK2           plink2 binary, used to drop monomorphic variants (fastmixture refuses them)
#   WORK             scratch folder (default: a new temporary folder, removed at the end)
# Data: `genomap simulate --k K --fst 0.1 --alpha 0.5 --seed 1`.
set -euo pipefail
N=${1:-2000}
M=${2:-20000}
K=${3:-4}
THREADS=${4:-2}
SEED=1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GENOMAP=${GENOMAP:-$ROOT/build/genomap}
GENOMAP_SIM=${GENOMAP_SIM:-$GENOMAP}
FASTMIXTURE_CMD=${FASTMIXTURE_CMD:-}
PLINK2=${PLINK2:-$(command -v plink2 || true)}
if [ -z "${PYTHON:-}" ]; then
  PYTHON=python3
  "$PYTHON" -c 'import numpy' 2>/dev/null || PYTHON=/usr/bin/python3
fi
"$PYTHON" -c 'import numpy' 2>/dev/null || { echo "admix.sh: $PYTHON has no numpy" >&2; exit 1; }
EVAL="$ROOT/bench/admix_loglik.py"
if [ -z "${WORK:-}" ]; then
  WORK=$(mktemp -d /tmp/genomap_bench_admix.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

measure() {  # measure LABEL COMMAND... ; prints "seconds kilobytes"
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/$label.time" "$@" >"$WORK/$label.out" 2>&1 ||
    { echo "$label failed:" >&2; tail -5 "$WORK/$label.out" >&2; exit 1; }
  tail -1 "$WORK/$label.time"
}
field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }  # field KEY FILE (from admix_loglik.py output)

# Data. fastmixture stops on monomorphic variants ("Please perform MAF filtering!"), so both tools get the
# same fileset with those removed (plink2 --mac 1 keeps the allele order, so P stays allele-1 frequencies).
"$GENOMAP_SIM" simulate --n "$N" --m "$M" --k "$K" --fst 0.1 --alpha 0.5 --seed "$SEED" --out "$WORK/sim" \
  --quiet >/dev/null
DATA=$WORK/sim
if [ -n "$PLINK2" ]; then
  "$PLINK2" --bfile "$WORK/sim" --mac 1 --make-bed --threads "$THREADS" --out "$WORK/simf" >/dev/null 2>&1
  DATA=$WORK/simf
else
  echo "plink2 not found: monomorphic variants kept (fastmixture may refuse the data)" >&2
fi
M_KEPT=$(wc -l <"$DATA.bim")
# Truth P restricted to the kept variants (sim.P rows follow sim.bim).
awk 'FNR == NR { keep[$2] = 1; next } FILENAME ~ /\.bim$/ { ok[FNR] = ($2 in keep); next } ok[FNR]' \
  "$DATA.bim" "$WORK/sim.bim" "$WORK/sim.P" >"$WORK/truth.P"
"$PYTHON" "$EVAL" --bfile "$DATA" --q "$WORK/sim.Q" --p "$WORK/truth.P" >"$WORK/truth.eval"

# genomap
read -r g_s g_kb < <(measure genomap "$GENOMAP" admix --bfile "$DATA" --k "$K" --threads "$THREADS" \
  --seed "$SEED" --out "$WORK/g" --quiet)
g_ll_own=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "LOGLIK") c = i; next }
  !/^#/ && c { print $c; exit }' "$WORK/g.admix.summary")
"$PYTHON" "$EVAL" --bfile "$DATA" --q "$WORK/g.$K.Q" --p "$WORK/g.$K.P" --truth-q "$WORK/sim.Q" >"$WORK/g.eval"

# fastmixture
have_fm=0
if [ -n "$FASTMIXTURE_CMD" ]; then
  # shellcheck disable=SC2086  # FASTMIXTURE_CMD may hold an interpreter and a module
  read -r f_s f_kb < <(measure fastmixture $FASTMIXTURE_CMD --bfile "$DATA" --K "$K" --threads "$THREADS" \
    --seed "$SEED" --out "$WORK/f")
  FQ=$WORK/f.K$K.s$SEED.Q
  FP=$WORK/f.K$K.s$SEED.P
  f_ll_own=$(sed -n 's/^Final log-likelihood: //p' "$WORK/f.K$K.s$SEED.log")
  "$PYTHON" "$EVAL" --bfile "$DATA" --q "$FQ" --p "$FP" --truth-q "$WORK/sim.Q" >"$WORK/f.eval"
  have_fm=1
else
  echo "FASTMIXTURE_CMD is not set: fastmixture skipped (e.g. FASTMIXTURE_CMD=fastmixture)"
fi

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
echo "admix K=$K on N=$N samples, M=$M_KEPT variants (of $M simulated; monomorphic dropped), $THREADS threads, seed $SEED"
printf '%-22s %10s %10s %20s %10s\n' "tool" "wall_s" "peak_MiB" "loglik" "Q_rmse"
printf '%-22s %10s %10s %20s %10s\n' "truth (sim.Q/sim.P)" "-" "-" "$(field loglik "$WORK/truth.eval")" "0"
printf '%-22s %10s %10s %20s %10s\n' "genomap admix" "$g_s" "$(mb "$g_kb")" "$(field loglik "$WORK/g.eval")" \
  "$(field q_rmse "$WORK/g.eval")"
if [ "$have_fm" = 1 ]; then
  printf '%-22s %10s %10s %20s %10s\n' "fastmixture" "$f_s" "$(mb "$f_kb")" "$(field loglik "$WORK/f.eval")" \
    "$(field q_rmse "$WORK/f.eval")"
fi
echo "log-likelihood as each tool reports it: genomap $g_ll_own${f_ll_own:+, fastmixture $f_ll_own}" \
  "(the table re-evaluates the written .Q/.P, 6 decimals)"
if [ "$have_fm" = 1 ]; then
  awk -v gs="$g_s" -v fs="$f_s" -v gk="$g_kb" -v fk="$f_kb" \
    -v gl="$(field loglik "$WORK/g.eval")" -v fl="$(field loglik "$WORK/f.eval")" \
    -v gr="$(field q_rmse "$WORK/g.eval")" -v fr="$(field q_rmse "$WORK/f.eval")" 'BEGIN {
      printf "genomap/fastmixture: wall %.2f  peak RSS %.2f  Q_rmse %.2f   loglik genomap - fastmixture: %+.3f\n",
        gs / (fs + 0.001), gk / fk, gr / (fr + 1e-12), gl - fl }'
  # When genomap's trace first reaches fastmixture's final log-likelihood (each iteration is two data passes).
  awk -v target="$f_ll_own" -v total="$g_ll_own" '/ iteration [0-9]+: log-likelihood / {
      n++; if (!hit && $NF + 0 >= target + 0) { hit = n } }
    END { if (hit) printf "genomap reached fastmixture'"'"'s log-likelihood at iteration %d of %d (%.0f%% of its passes)\n", hit, n, 100 * hit / n
          else print "genomap never reached fastmixture'"'"'s reported log-likelihood in its trace" }' "$WORK/g.log"
fi
