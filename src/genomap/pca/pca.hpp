// Principal components of the standardized genotype matrix (plink2 --pca conventions): missing genotypes
// mean-imputed, each variant centred by 2p and scaled by sqrt(2p(1-p)), p the allele-1 frequency among the
// founders analysed. The matrix is never held: exact PCA accumulates the N x N relationship matrix over variant
// blocks; randomized PCA streams blocks through a block Krylov subspace iteration.
//
// Scaling, as plink2 2.0 (checked against it on real data): variants on X, Y and MT are left out (XY and
// unplaced chromosomes stay); the relationship matrix is A = Z Z^T with entry (i, j) divided by the number of
// variants where neither sample i nor sample j is missing (monomorphic variants count in that number and
// contribute zero); .eigenval holds the eigenvalues of A, .eigenvec its unit-norm eigenvectors, and the
// variant weights are Z^T u_k / sqrt(lambda_k), Z standardized on the non-major allele as plink2 writes them.
#pragma once
#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

enum class PcaMethod { Automatic, Exact, Randomized };

struct PcaOptions {
  std::size_t components = 10;
  PcaMethod method = PcaMethod::Automatic;
  bool variant_weights = false;  // also compute per-variant loadings
  // Automatic picks the randomized method above this many samples.
  std::size_t randomized_above_samples = 5000;
  // Randomized method: stop when every one of the top K Ritz pairs (theta, v) has ||A v - theta v|| <=
  // tolerance * theta, which puts each reported eigenvalue within that relative distance of an eigenvalue of
  // the operator; at most `max_passes` passes over the genotypes.
  double randomized_tolerance = 1e-2;
  std::size_t max_passes = 60;
};

struct PcaResult {
  Eigen::MatrixXd sample_scores;    // N x K, as in plink2's .eigenvec
  Eigen::VectorXd eigenvalues;      // K, as in plink2's .eigenval
  Eigen::MatrixXd variant_weights;  // M x K when requested (plink2 .eigenvec.var), on allele 1 (ALT)
  std::vector<double> allele1_frequencies;  // M, the frequencies used for centring
  bool randomized = false;
  // Added: which variants the rows above are (file rows; X, Y and MT are left out, as plink2 does), and for
  // the randomized method the passes made and the largest relative residual reached.
  std::vector<std::uint32_t> variant_uidx;
  std::size_t passes = 0;
  double max_relative_residual = 0.0;
};

// Throws Error when K is 0 or larger than min(N, M), or when no variant is left once non-autosomes are removed.
PcaResult run_pca(const Dataset& data, const PcaOptions& options, const Context& ctx);

// smartpca-style outlier removal (Patterson, Price & Reich 2006, EIGENSOFT's outlier / numoutlieriter): run the
// PCA, drop every sample more than `sigma` standard deviations from the mean on any of the top
// `outlier_components` PCs, and repeat on the remaining samples until none is dropped or `iterations` rounds
// have run. The final PCA is of the remaining samples.
struct OutlierOptions {
  double sigma = 6.0;
  std::size_t iterations = 5;
  std::size_t outlier_components = 10;  // capped at K
};

struct RemovedSample {
  std::uint32_t sample_uidx = 0;
  std::size_t iteration = 0;  // 1-based round
  std::size_t component = 0;  // 1-based PC on which it was furthest out
  double sigmas = 0.0;        // its distance from the mean on that PC, in standard deviations
};

struct PcaWithOutliers {
  PcaResult pca;
  Dataset analysed;  // the samples the final PCA used
  std::vector<RemovedSample> removed;
};

PcaWithOutliers run_pca_removing_outliers(const Dataset& data, const PcaOptions& options,
                                          const OutlierOptions& outliers, const Context& ctx);

}  // namespace genomap
