#!/usr/bin/env bash
# genomap with MPI (-DGENOMAP_MPI=ON, OpenMPI) in its own tree (./build-mpi or $GENOMAP_MPI_BUILD_DIR): builds
# the tool and the MPI tests only, and runs them (label mpi: mpirun with 1, 2 and 3 ranks on this machine).
# Needs OpenMPI: `scripts/install-deps.sh --mpi`.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${GENOMAP_MPI_BUILD_DIR:-build-mpi}"
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGENOMAP_WERROR=ON -DGENOMAP_MPI=ON \
  "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target genomap genomap_mpi_tests
# --no-tests=error: a build whose MPI tests were not found fails here instead of passing empty.
ctest --test-dir "$build_dir" -L mpi --no-tests=error --output-on-failure -j "$(nproc)"
