// Placing new samples on a reference PCA (genomap project): the reference's variant weights and centring
// frequencies (.eigenvec.var with NONMAJ_FREQ), eigenvalues (.eigenval) and sample count (.eigenvec).
//
// Variants are matched by ID and alleles (swapped alleles are flipped; other allele pairs are counted as
// mismatches and skipped). Scores are in .eigenvec units, so reference samples re-projected land on their own
// .eigenvec rows. With z the target's standardized genotypes and B = W diag(sqrt(lambda)) (W the weights), the
// score s minimizes ||z_obs - B_obs s|| over the variants the sample has observed (smartpca's lsqproject; it
// also absorbs variants missing from the target altogether), or is W^T z / (M sqrt(lambda)) with missing
// genotypes mean-imputed.
//
// Shrinkage (noise variance sigma^2 scales mu and the variances below): out-of-sample scores are pulled toward the origin relative to in-sample ones because sample
// eigenvectors overfit when M is not small against N (Lee, Zou & Wright 2010). Under the spiked covariance
// model with unit noise and c = M / N, a sample eigenvalue mu = c * lambda comes from a population spike l with
// mu = (1 + l)(1 + c / l) (Baik, Ben Arous & Peche 2005; Paul 2007), and a new sample's score variance is
// 1 + l (1 - c / l^2) / (1 + c / l) against mu in-sample. Each PC's scores are divided by the square root of that
// ratio (at or below the noise edge, l = sqrt(c) and the variance is 1).
#pragma once
#include <Eigen/Dense>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct ReferenceVariant {
  std::string id;
  std::string major, nonmajor;  // "." for an absent allele
  double nonmajor_frequency = 0;
};

struct ReferencePca {
  std::vector<ReferenceVariant> variants;
  Eigen::MatrixXd weights;      // M x K, on the non-major allele
  Eigen::VectorXd eigenvalues;  // K
  std::size_t sample_ct = 0;    // N of the reference PCA
};

// Reads PREFIX.eigenvec.var, PREFIX.eigenval and PREFIX.eigenvec. Throws Error naming file and line.
ReferencePca read_reference_pca(const std::string& prefix);

struct ProjectionOptions {
  bool least_squares = true;         // false: mean-impute missing genotypes
  bool correct_shrinkage = true;
};

struct ProjectionResult {
  Eigen::MatrixXd scores;           // target N x K
  Eigen::VectorXd shrinkage;        // K factors the raw scores were divided by (1 when not corrected)
  std::vector<std::size_t> observed;  // per sample: matched variants with a called genotype
  std::size_t matched = 0, flipped = 0, allele_mismatch = 0, absent = 0;
};

// Throws Error when no variant is shared with the reference.
ProjectionResult project_samples(const Dataset& target, const ReferencePca& reference,
                                 const ProjectionOptions& options, const Context& ctx);

// The factor sqrt(out-of-sample / in-sample score variance) for one PC (see above).
double asymptotic_shrinkage(double eigenvalue, std::size_t sample_ct, std::size_t variant_ct, double noise_variance);
// The noise variance of that model: the mean of the eigenvalues not reported, (N - sum of top K) / (N - K), as
// the relationship matrix has trace about N.
double noise_variance(const ReferencePca& reference);

}  // namespace genomap
