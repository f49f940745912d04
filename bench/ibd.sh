#!/usr/bin/env bash
# IBD segments of all pairs, side by side: genomap ibd vs plink2 --make-king-table (same data, same threads;
# the issue's yardstick: finding segments must cost no more than kinship from whole-genome counts) and
# genomap king. Prints wall time, peak RSS, ratios, and the segment accuracy against the simulated truth.
# Usage: bench/ibd.sh [N_PER_POP] [M] [CHROMOSOMES] [THREADS]   (defaults: 500 100000 22 2: 2,000 samples)
# Data: `genomap simulate --pulse` (three sources and an admixed population, Fst 0.05, 1% missing) with
# families in every population and migrant cousins between them; CHROMOSOMES sets the map's density
# (22: 2,880 cM, 35 variants per cM; 4: ~870 cM, ~115 per cM, as a genotyping array).
set -euo pipefail
N=${1:-500}
M=${2:-100000}
CHROMS=${3:-22}
THREADS=${4:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GENOMAP=${GENOMAP:-$ROOT/build/genomap}
PLINK2=${PLINK2:-/usr/lib/plink2/plink2-avx2}
[ -x "$PLINK2" ] || PLINK2=$(command -v plink2)
WORK=${WORK:-$(mktemp -d /tmp/genomap_bench_ibd.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT

measure() {  # measure LABEL COMMAND... ; prints "seconds kilobytes"
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/$label.time" "$@" >"$WORK/$label.out" 2>&1 ||
    { echo "$label failed:" >&2; tail -5 "$WORK/$label.out" >&2; exit 1; }
  tail -1 "$WORK/$label.time"
}

"$GENOMAP" simulate --pulse 'ADM=A:0.3,B:0.3,C:0.4@20' --n "$N" --m "$M" --chromosomes "$CHROMS" --fst 0.05 \
  --missing 0.01 --relatives fs:2,hs:3,c1:4,c2:4 --migrants c1:2,c2:3 --seed 7 --out "$WORK/sim" --quiet
read -r i_s i_kb < <(measure ibd "$GENOMAP" ibd --bfile "$WORK/sim" --pop "$WORK/sim.pop" --threads "$THREADS" \
  --out "$WORK/g" --quiet)
read -r k_s k_kb < <(measure king "$GENOMAP" king --bfile "$WORK/sim" --threads "$THREADS" --out "$WORK/k" --quiet)
read -r p_s p_kb < <(measure plink2 "$PLINK2" --bfile "$WORK/sim" --make-king-table --threads "$THREADS" \
  --out "$WORK/p")

samples=$(wc -l <"$WORK/sim.fam")
printf '%-44s %10s %12s\n' "tool ($samples samples, M=$M, $CHROMS chromosomes, $THREADS threads)" "wall_s" "peak_MiB"
printf '%-44s %10s %12.1f\n' "genomap ibd (segments, IBD1/IBD2, degree)" "$i_s" "$(echo "$i_kb / 1024" | bc -l)"
printf '%-44s %10s %12.1f\n' "genomap king (kinship table)" "$k_s" "$(echo "$k_kb / 1024" | bc -l)"
printf '%-44s %10s %12.1f\n' "plink2 --make-king-table" "$p_s" "$(echo "$p_kb / 1024" | bc -l)"
printf 'ratio genomap ibd / plink2 king wall: %.2f   RSS: %.2f\n' \
  "$(echo "$i_s / ($p_s + 0.001)" | bc -l)" "$(echo "$i_kb / $p_kb" | bc -l)"
grep -h "IBD segments (LOD" "$WORK/g.log" | sed 's/^/genomap ibd: /' || true

# Accuracy against the truth: true segments >= 4 cM found (half covered by one call), called ones false.
python3 - "$WORK/sim.ibd.truth" "$WORK/g.seg" <<'PY'
import sys, collections, statistics
def load(path, iid1, iid2, chrom, start, end, typ):
    out = collections.defaultdict(list)
    with open(path) as f:
        next(f)
        for line in f:
            c = line.rstrip('\n').split('\t')
            if c[typ] == 'IBD':
                out[(frozenset((c[iid1], c[iid2])), c[chrom])].append((float(c[start]), float(c[end])))
    return out
truth = load(sys.argv[1], 0, 1, 2, 3, 4, 5)
called = load(sys.argv[2], 1, 3, 4, 7, 8, 10)
ov = lambda a, b: max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
found = total = false = ncalled = 0
errors = []
for k, segs in truth.items():
    for t in segs:
        if t[1] - t[0] < 4: continue
        total += 1
        best = max(called.get(k, []), key=lambda c: ov(c, t), default=None)
        if best and ov(best, t) >= 0.5 * (t[1] - t[0]):
            found += 1; errors.append(abs((best[1] - best[0]) - (t[1] - t[0])))
for k, segs in called.items():
    for c in segs:
        if c[1] - c[0] < 4: continue
        ncalled += 1
        if max((ov(c, t) for t in truth.get(k, [])), default=0) < 0.5 * (c[1] - c[0]): false += 1
print(f"segments >= 4 cM: power {found}/{total} = {found / max(total, 1):.3f}, false discovery "
      f"{false}/{ncalled} = {false / max(ncalled, 1):.3f}, median length error "
      f"{statistics.median(errors) if errors else 0:.2f} cM")
PY
