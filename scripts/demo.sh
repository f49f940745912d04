#!/usr/bin/env bash
# The main job on the bundled HapMap3 example (324 samples of ASW, CEU, MEX, YRI; 13,928 variants): installs,
# builds, then runs `genomap analyze` (QC, LD pruning, kinship, PCA, ancestry for K=2..4, Fst and f3) into
# ./demo-out and prints the path of the report. A second run reads every step from demo-out's cache.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
data=tests/data/hapmap3_admixture
build/genomap analyze --bfile "$data/hapmap3" --pop "$data/hapmap3_populations.tsv" \
  --pop-coords "$data/hapmap3_coordinates.tsv" --k 2..4 --starts 2 --out demo-out
echo
echo "Step files, cache and log in demo-out/; the report:"
echo "$(pwd)/demo-out/report.html"
