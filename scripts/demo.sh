#!/usr/bin/env bash
# The main job on the bundled HapMap3 example (324 samples, 4 populations): installs, builds, runs QC and
# allele frequencies, writing outputs under ./demo-out.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p demo-out
data=tests/data/hapmap3_admixture/hapmap3
build/genomap freq --bfile "$data" --out demo-out/hapmap3
echo "Outputs in demo-out/:"
ls -1 demo-out
