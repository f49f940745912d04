// Principal components of the standardized genotype matrix (plink2 --pca conventions): missing genotypes
// mean-imputed, each variant centred by 2p and scaled by sqrt(2p(1-p)), p the allele-1 frequency among the
// samples analysed. The matrix is never held: exact PCA accumulates the N x N relationship matrix over variant
// blocks; randomized PCA streams blocks through a block Krylov subspace iteration.
#pragma once
#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

enum class PcaMethod { Automatic, Exact, Randomized };

struct PcaOptions {
  std::size_t components = 10;
  PcaMethod method = PcaMethod::Automatic;
  bool variant_weights = false;  // also compute per-variant loadings
};

struct PcaResult {
  Eigen::MatrixXd sample_scores;    // N x K, as in plink2's .eigenvec
  Eigen::VectorXd eigenvalues;      // K, as in plink2's .eigenval
  Eigen::MatrixXd variant_weights;  // M x K when requested (plink2 .eigenvec.var)
  std::vector<double> allele1_frequencies;  // M, the frequencies used for centring
  bool randomized = false;
};

PcaResult run_pca(const Dataset& data, const PcaOptions& options, const Context& ctx);

}  // namespace genomap
