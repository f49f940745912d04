// Internals of run_glm shared by the linear and logistic kernels (not part of the public interface).
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "genomap/assoc/glm.hpp"

namespace genomap::glm_detail {

// One phenotype made ready for the pass: its analysed samples (mask), the design matrix of intercept plus
// standardized covariates (zero outside the mask) and the cross products every variant reuses.
struct PreparedPhenotype {
  std::string name;
  bool binary = false;
  std::size_t sample_ct = 0;
  std::size_t case_ct = 0;
  std::vector<double> mask;   // n_all, 1 analysed / 0 not
  Eigen::MatrixXd x;          // n_all x (K+1): mask, standardized covariates (0 outside the mask)
  Eigen::VectorXd y;          // n_all: linear: centred phenotype; logistic: 0/1; 0 outside the mask
  Eigen::MatrixXd xtx;        // (K+1)^2
  Eigen::LLT<Eigen::MatrixXd> xtx_llt;
  Eigen::VectorXd xtx_inv_diag;
  Eigen::VectorXd xty;
  Eigen::VectorXd xtx_inv_xty;
  double yty = 0;
  Eigen::VectorXd null_beta;  // logistic: covariate-only fit, the warm start of every variant
  // logistic: products x_a * x_b (a <= b) of the design columns, n_all x (K+1)(K+2)/2, row-major: one GEMM
  // with the IRLS weights gives every variant's covariate block of the Hessian.
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> x_pairs;
};

// Cross products of one variant with one phenotype's design, over the mask and the variant's called samples.
struct VariantCrossProducts {
  Eigen::VectorXd xtg;  // X'g (first entry: sum of g)
  double gtg = 0;
  double gty = 0;
  std::uint32_t obs_ct = 0;
};

// Collinearity checks of plink2 (--max-corr, --vif) for the predictors covariates + genotype, given the
// covariate cross products `xtx` (with the intercept) and the solve `u` = xtx^-1 X'g, `s` = g'Mg. Returns
// None when the variant may be tested.
GlmErrcode check_collinearity(const Eigen::MatrixXd& xtx, const Eigen::VectorXd& xtx_inv_diag,
                              const VariantCrossProducts& cp, const Eigen::VectorXd& u, double s,
                              const GlmOptions& options);

// Dense logistic regression by Newton-Raphson from `beta` (warm start). Returns false when it fails to
// converge (divergence or separation). `cov` receives the inverse Fisher information at the solution.
bool logistic_newton(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, Eigen::VectorXd& beta, Eigen::MatrixXd& cov,
                     int max_iterations = 30);
// Firth-penalized logistic regression (Firth 1993; Heinze & Schemper 2002), step-halving on the penalized
// log-likelihood, from `beta`. Returns false when it does not converge. `cov` as above.
bool firth_newton(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, Eigen::VectorXd& beta, Eigen::MatrixXd& cov);

// Logistic (with Firth fallback) tests of a block of variants for one phenotype. `g` holds the block's dosages
// (row-major, variants x n_all, 0 where missing), `missing[v]` the samples with missing genotype, and
// `pending` the variants still to regress (checks passed); results[v].obs_ct must hold each pending variant's
// observed sample count. Threads take whole batches of variants; BLAS runs single-threaded inside (set here).
void logistic_block(const PreparedPhenotype& ph, const double* g, std::size_t n_all,
                    const std::vector<std::vector<std::uint32_t>>& missing, const std::vector<std::uint32_t>& pending,
                    const GlmOptions& options, int threads, GlmVariantResult* results);

}  // namespace genomap::glm_detail
