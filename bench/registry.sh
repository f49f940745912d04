#!/usr/bin/env bash
# Registry costs: CSV import throughput, and the overhead of consent enforcement on an analysis
# (genomap freq with and without --registry/--purpose; plink2 --freq --keep on the same samples as reference).
# Usage: bench/registry.sh [GENOMAP] [N_SAMPLES] [N_VARIANTS] [N_EXTRA_DONORS]
set -euo pipefail
G=${1:-build/genomap}
N=${2:-2000}
M=${3:-20000}
EXTRA=${4:-100000}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
T() { /usr/bin/time -f '%e %M' -o "$W/t" "$@" >/dev/null 2>&1; cat "$W/t"; }

"$G" simulate --n "$N" --m "$M" --k 3 --fst 0.1 --alpha 0.5 --seed 1 --out "$W/sim" --quiet >/dev/null
{
  echo "donor_id,sex,birth_year"; awk '{print "D"NR",unknown,1980"}' "$W/sim.fam"
  for ((i = 0; i < EXTRA; i++)); do echo "X$i,unknown,1980"; done
} >"$W/d.csv"
{ echo "sample_id,donor_id,genotype_fid,genotype_iid,material,collection_date,organisation"
  awk '{print "S"NR",D"NR","$1","$2",DNA,2020-01-01,Lab"}' "$W/sim.fam"; } >"$W/s.csv"
{ echo "consent_id,donor_id,codes,consent_date"
  awk '{print "C"NR",D"NR","(NR%10==0?"HMB":"GRU")",2019-01-01"}' "$W/sim.fam"; } >"$W/c.csv"
awk 'NR%10!=0{print $1, $2}' "$W/sim.fam" >"$W/keep.txt"
"$G" registry init --db "$W/r.db" --out "$W/init" >/dev/null

printf '%-44s %10s %12s\n' "step" "wall_s" "peak_rss_kb"
printf '%-44s %10s %12s\n' "import $((N + EXTRA)) donors" $(T "$G" registry import --db "$W/r.db" --donors "$W/d.csv" --out "$W/i1")
printf '%-44s %10s %12s\n' "import $N samples + consents" $(T "$G" registry import --db "$W/r.db" --samples "$W/s.csv" --consents "$W/c.csv" --out "$W/i2")
printf '%-44s %10s %12s\n' "registry fileset add" $(T "$G" registry fileset add --db "$W/r.db" --bfile "$W/sim" --out "$W/fs")
printf '%-44s %10s %12s\n' "genomap freq (no registry)" $(T "$G" freq --bfile "$W/sim" --out "$W/f0" --quiet)
printf '%-44s %10s %12s\n' "genomap freq --registry --purpose GRU" $(T "$G" freq --bfile "$W/sim" --registry "$W/r.db" --purpose GRU --out "$W/f1" --quiet)
if command -v plink2 >/dev/null; then
  printf '%-44s %10s %12s\n' "plink2 --freq --keep (same samples)" $(T plink2 --bfile "$W/sim" --keep "$W/keep.txt" --freq --out "$W/p")
fi
# What the chain costs each command at this size: a single write (check from the checkpoint, table digest, one
# entry), a reading command (the same check, read-only), and a full verify (replays every entry).
printf '%-44s %10s %12s\n' "registry add donor (one write)" $(T "$G" registry add donor --db "$W/r.db" donor_id=ONE sex=male)
printf '%-44s %10s %12s\n' "registry report (checked read)" $(T "$G" registry report --db "$W/r.db" --out "$W/rep")
printf '%-44s %10s %12s\n' "registry audit verify (full replay)" $(T "$G" registry audit verify --db "$W/r.db")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
