// Maximum-likelihood ancestry estimation under the ADMIXTURE model (Alexander, Novembre & Lange 2009):
// genotype g_ij ~ Binomial(2, h_ij), h_ij = sum_k q_ik p_kj, with Q rows on the simplex and P in (0, 1).
// Each EM update is one fused sweep over the packed genotypes held in memory (em_kernel.hpp); the
// quasi-Newton scheme of Zhou, Alexander & Lange (2011) accelerates the EM fixed-point map.
#pragma once
#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "genomap/admix/em_kernel.hpp"
#include "genomap/core/context.hpp"

namespace genomap {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Em: quasi-Newton-accelerated EM (the default). Newton: ADMIXTURE's block relaxation, one safeguarded Newton
// step per variant (P given Q) and per sample (Q given P) per iteration (three data passes).
enum class AdmixAlgorithm { Em, Newton };

struct AdmixOptions {
  AdmixAlgorithm algorithm = AdmixAlgorithm::Em;
  std::size_t k = 2;
  double tolerance = 1e-4;  // stop when the log-likelihood rises by less than this (ADMIXTURE's default)
  std::size_t max_iterations = 2000;  // EM passes over the data (an accelerated iteration counts its passes)
  std::size_t secants = 15;           // secant pairs of the quasi-Newton acceleration
  std::size_t random_starts = 1;      // seeded SVD/ALS starts; with several, short runs pick the best
  std::size_t start_iterations = 10;
  // Supervised mode: per sample, the index of its fixed population (0..k-1) or -1 to estimate.
  std::vector<int> fixed_population;
};

struct AdmixResult {
  RowMatrix q;  // N x K ancestry proportions
  RowMatrix p;  // M x K allele-1 frequencies of the ancestral populations
  double log_likelihood = 0.0;
  std::size_t iterations = 0;  // data passes
  bool converged = false;
  std::vector<double> log_likelihood_trace;
};

// Fits the model. Multithreaded over samples and variant blocks; memory O((N + M) K) plus a block.
AdmixResult fit_admixture(const AdmixGenotypes& genotypes, const AdmixOptions& options, const Context& ctx);

// ADMIXTURE's log-likelihood: sum over called genotypes of g log h + (2 - g) log(1 - h).
double admixture_log_likelihood(const AdmixGenotypes& genotypes, const RowMatrix& q, const RowMatrix& p,
                                const Context& ctx);

// ADMIXTURE's v-fold cross-validation error (Alexander & Lange 2011): called genotypes are split into `folds`
// by a seeded hash; each fold is masked in turn, the model is refitted (warm-started from `full`), and the
// masked genotypes are predicted by 2h; the error is the mean binomial deviance over all masked genotypes.
double admixture_cross_validation(const AdmixGenotypes& genotypes, const AdmixOptions& options,
                                  const AdmixResult& full, std::size_t folds, const Context& ctx);

// Standard errors of Q from `replicates` bootstrap resamples of contiguous variant blocks of `block_variants`
// (each replicate warm-started from `full`). Returns an N x K matrix of standard deviations.
RowMatrix admixture_bootstrap_se(const AdmixGenotypes& genotypes, const AdmixOptions& options,
                                 const AdmixResult& full, std::size_t replicates, std::size_t block_variants,
                                 const Context& ctx);

}  // namespace genomap
