#!/usr/bin/env bash
# Installs the Debian 12 packages genomap builds with, and the reference tools its golden tests compare against.
# With --mpi (or GENOMAP_INSTALL_MPI=1), also OpenMPI, for the build with -DGENOMAP_MPI=ON and its tests
# (scripts/test-mpi.sh; CI runs them).
set -euo pipefail
mpi_packages=()
if [ "${1:-}" = "--mpi" ] || [ "${GENOMAP_INSTALL_MPI:-0}" = "1" ]; then
  mpi_packages=(libopenmpi-dev openmpi-bin)
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake ninja-build pkg-config \
  libhts-dev libeigen3-dev libopenblas-dev libcli11-dev libfmt-dev libsqlite3-dev libxxhash-dev \
  libtomlplusplus-dev nlohmann-json3-dev libcpp-httplib-dev zlib1g-dev libssl-dev libsodium-dev \
  libgtest-dev libgmock-dev libbenchmark-dev \
  plink1.9 plink2 eigensoft bcftools tabix sqlite3 time chromium python3 \
  clang libclang-rt-14-dev libomp-14-dev "${mpi_packages[@]}" >/dev/null
# The report page (web/) is bundled with node at build time and tested in headless chromium.
if ! command -v node >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
(cd "$(dirname "$0")/../web" && npm ci --no-audit --no-fund --loglevel=error)
