// The two eigen-solvers behind run_pca, on a dataset already restricted to the variants analysed and with the
// allele-1 frequencies fixed. Both return the top K eigenpairs of the plink2-scaled relationship matrix.
#pragma once
#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct Eigenpairs {
  Eigen::MatrixXd vectors;  // N x K, unit columns
  Eigen::VectorXd values;   // K, descending
  std::size_t passes = 0;
  double max_relative_residual = 0.0;
};

// The GRM accumulated with dsyrk over standardized panels, each entry divided by the variants observed in
// both samples (plink2's missingness correction); top K eigenpairs from LAPACK dsyevr.
Eigenpairs exact_eigenpairs(const Dataset& data, const std::vector<double>& freq, std::size_t k, const Context& ctx);

// Block Krylov iteration (Musco & Musco 2015; Halko, Martinsson & Tropp 2011) on the operator
// A = D Z Z^T D / M + diag(S_ii (D_i - D_i^2) / M), D_i = 1 / (1 - f_i), f_i sample i's missing fraction and
// S_ii = (Z Z^T)_ii: the independent-missingness approximation of plink2's corrected GRM (exact on the
// diagonal). Each product streams the genotypes once through panels: A Q = D Z (Z^T (D Q)) / M + ...
Eigenpairs randomized_eigenpairs(const Dataset& data, const std::vector<double>& freq, std::size_t k,
                                 double tolerance, std::size_t max_passes, const Context& ctx);

// Top k eigenpairs (descending) of a symmetric matrix given by its lower triangle (destroyed).
void top_symmetric_eigenpairs(Eigen::MatrixXd& lower, std::size_t k, Eigen::MatrixXd& vectors,
                              Eigen::VectorXd& values);

}  // namespace genomap
