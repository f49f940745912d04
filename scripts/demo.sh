#!/usr/bin/env bash
# The main job on the bundled HapMap3 example (324 samples of ASW, CEU, MEX, YRI; 13,928 variants): installs,
# builds, then runs QC, LD pruning, PCA, ancestry (K=3), kinship and Fst, writing outputs under ./demo-out.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p demo-out
g=build/genomap
data=tests/data/hapmap3_admixture/hapmap3
pops=tests/data/hapmap3_admixture/hapmap3_populations.tsv
out=demo-out/hapmap3
$g freq    --bfile "$data" --out "$out"
$g missing --bfile "$data" --out "$out"
$g hardy   --bfile "$data" --out "$out"
$g het     --bfile "$data" --out "$out"
$g prune   --bfile "$data" --autosome --maf 0.01 --indep-pairwise 50 5 0.2 --out "$out"
$g pca     --bfile "$data" --extract "$out.prune.in" --pcs 10 --out "$out"
$g admix   --bfile "$data" --autosome --maf 0.01 --k 3 --out "$out"
$g king    --bfile "$data" --degree --king-table-filter 0.0442 --out "$out"
$g fst     --bfile "$data" --pop "$pops" --out "$out"
echo
echo "Eigenvalues (PCA):"; cat "$out.eigenval"
echo "Ancestry fit:"; cat "$out.admix.summary"
echo "Pairwise Fst:"; cat "$out.fst.summary"
echo "Outputs in demo-out/:"
ls -1 demo-out
