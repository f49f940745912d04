#include "genomap/pca/pca.hpp"

#include <cblas.h>
#include <fmt/format.h>

#include <cmath>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/core/thread_scope.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/pca/pca_solvers.hpp"
#include "genomap/pca/standardized_panel.hpp"
#include "genomap/qc/allele_frequency.hpp"

namespace genomap {
namespace {

// plink2 leaves X, Y and MT out of the relationship matrix (XY, the pseudo-autosomal region, stays).
Dataset without_sex_chromosomes(const Dataset& data, const Context& ctx) {
  Dataset out{data.store, data.samples, {}};
  out.variant_uidx.reserve(data.variant_ct());
  for (std::size_t v = 0; v < data.variant_ct(); ++v)
    if (!is_haploid_or_sex(data.variant(v).chrom_code)) out.variant_uidx.push_back(data.variant_uidx[v]);
  const std::size_t dropped = data.variant_ct() - out.variant_ct();
  if (dropped) ctx.note(fmt::format("PCA: {} variants on X, Y or MT left out", dropped));
  return out;
}

// Allele-1 frequencies among founders (both parents '0'), as plink2 computes them; all samples when none is.
std::vector<double> founder_allele1_frequencies(const Dataset& data, const Context& ctx) {
  std::vector<std::uint32_t> founders;
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    const Sample& s = data.sample(i);
    if (s.father == "0" && s.mother == "0") founders.push_back(data.samples.uidx(i));
  }
  Dataset basis = data;
  if (founders.empty()) {
    ctx.note("PCA: no founders among the samples; allele frequencies from all samples");
  } else if (founders.size() < data.sample_ct()) {
    basis.samples = SampleView(data.samples.raw_sample_ct(), founders);
    ctx.note(fmt::format("PCA: allele frequencies from the {} founders", founders.size()));
  }
  const auto counts = count_all_genotypes(basis, ctx);
  std::vector<double> freq(counts.size());
  for (std::size_t v = 0; v < counts.size(); ++v) {
    const auto called = counts[v].called();
    freq[v] = called ? counts[v].allele1_count() / (2.0 * called) : std::nan("");
  }
  return freq;
}

Eigen::MatrixXd variant_loadings(const Dataset& data, const std::vector<double>& freq, const Eigenpairs& e,
                                 const Context& ctx) {
  const auto k = static_cast<int>(e.values.size());
  const auto n = static_cast<int>(data.sample_ct());
  Eigen::MatrixXd weights(static_cast<Eigen::Index>(data.variant_ct()), k);
  const auto variants = static_cast<int>(data.variant_ct());
  // Fixed runs of 64 variants, each by one thread with single-threaded BLAS: the same sums in the same order
  // for every --threads (one multi-threaded dgemm splits the work, and so the rounding, by the thread count).
  constexpr int kRun = 64;
  const ThreadScope single_threaded_blas(ctx.threads, 1);
  for_each_standardized_panel(data, freq, ctx, "PCA: variant weights", [&](const StandardizedPanel& p) {
    const auto cols = static_cast<int>(p.variant_ct);
    const int runs = (cols + kRun - 1) / kRun;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
    for (int r = 0; r < runs; ++r) {
      const int first = r * kRun, count = std::min(kRun, cols - first);
      cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, count, k, n, 1.0,
                  p.values + static_cast<std::ptrdiff_t>(first) * n, n, e.vectors.data(), n, 0.0,
                  weights.data() + static_cast<std::ptrdiff_t>(p.first_variant_idx) + first, variants);
    }
  });
  for (int j = 0; j < k; ++j) weights.col(j) /= std::sqrt(std::max(e.values[j], 1e-300));
  return weights;
}

}  // namespace

PcaResult run_pca(const Dataset& input, const PcaOptions& options, const Context& ctx) {
  const std::size_t k = options.components;
  if (k == 0) throw UsageError("--pcs must be at least 1");
  const ThreadScope threads(ctx.threads);  // the randomized solver narrows BLAS to one thread inside
  Dataset data = without_sex_chromosomes(input, ctx);
  if (data.variant_ct() == 0) throw Error("no variants left for PCA (X, Y and MT are left out)");
  const std::size_t n = data.sample_ct(), m = data.variant_ct();
  if (k > std::min(n, m))
    throw Error(fmt::format("--pcs {} is larger than min(samples, variants) = min({}, {})", k, n, m));
  PcaResult result;
  result.allele1_frequencies = founder_allele1_frequencies(data, ctx);
  std::size_t polymorphic = 0;
  for (double p : result.allele1_frequencies) polymorphic += (p > 0.0 && p < 1.0);
  if (polymorphic == 0) throw Error("no polymorphic variants left for PCA");
  ctx.note(fmt::format("PCA: {} samples, {} variants ({} polymorphic)", n, m, polymorphic));

  result.randomized = options.method == PcaMethod::Randomized ||
                      (options.method == PcaMethod::Automatic && n > options.randomized_above_samples);
  Eigenpairs e = result.randomized ? randomized_eigenpairs(data, result.allele1_frequencies, k,
                                                           options.randomized_tolerance, options.max_passes, ctx)
                                   : exact_eigenpairs(data, result.allele1_frequencies, k, ctx);
  if (result.randomized) {
    ctx.note(fmt::format("PCA: randomized block Krylov, {} passes, largest relative Ritz residual {:.3g} "
                         "(target {:.3g})",
                         e.passes, e.max_relative_residual, options.randomized_tolerance));
    if (e.max_relative_residual > options.randomized_tolerance)
      ctx.note("PCA: warning: accuracy target not reached within the pass limit");
  }
  // A fixed sign: the largest entry of each eigenvector is positive (eigenvectors are defined up to sign).
  for (Eigen::Index j = 0; j < e.vectors.cols(); ++j) {
    Eigen::Index arg = 0;
    e.vectors.col(j).cwiseAbs().maxCoeff(&arg);
    if (e.vectors(arg, j) < 0) e.vectors.col(j) *= -1.0;
  }
  if (options.variant_weights) result.variant_weights = variant_loadings(data, result.allele1_frequencies, e, ctx);
  result.sample_scores = std::move(e.vectors);
  result.eigenvalues = std::move(e.values);
  result.variant_uidx = std::move(data.variant_uidx);
  result.passes = e.passes;
  result.max_relative_residual = e.max_relative_residual;
  return result;
}

PcaWithOutliers run_pca_removing_outliers(const Dataset& data, const PcaOptions& options,
                                          const OutlierOptions& outliers, const Context& ctx) {
  PcaWithOutliers out{{}, data, {}};
  for (std::size_t round = 1; round <= outliers.iterations; ++round) {
    out.pca = run_pca(out.analysed, options, ctx);
    const Eigen::MatrixXd& s = out.pca.sample_scores;
    const auto pcs = static_cast<Eigen::Index>(std::min<std::size_t>(outliers.outlier_components, s.cols()));
    const auto n = s.rows();
    std::vector<std::uint32_t> kept;
    std::size_t removed_now = 0;
    std::vector<double> worst(static_cast<std::size_t>(n), 0.0);
    std::vector<std::size_t> worst_pc(static_cast<std::size_t>(n), 0);
    for (Eigen::Index j = 0; j < pcs; ++j) {
      const double mean = s.col(j).mean();
      const double sd = std::sqrt((s.col(j).array() - mean).square().sum() / static_cast<double>(n - 1));
      for (Eigen::Index i = 0; i < n; ++i) {
        const double z = sd > 0 ? std::abs(s(i, j) - mean) / sd : 0.0;
        if (z > worst[static_cast<std::size_t>(i)]) {
          worst[static_cast<std::size_t>(i)] = z;
          worst_pc[static_cast<std::size_t>(i)] = static_cast<std::size_t>(j) + 1;
        }
      }
    }
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto ii = static_cast<std::size_t>(i);
      if (worst[ii] > outliers.sigma) {
        out.removed.push_back({out.analysed.samples.uidx(ii), round, worst_pc[ii], worst[ii]});
        ++removed_now;
      } else {
        kept.push_back(out.analysed.samples.uidx(ii));
      }
    }
    ctx.note(fmt::format("PCA outlier round {}: {} samples beyond {} SD on the top {} PCs", round, removed_now,
                         outliers.sigma, pcs));
    if (removed_now == 0) return out;
    if (kept.empty()) throw Error("outlier removal removed every sample");
    out.analysed.samples = SampleView(data.samples.raw_sample_ct(), std::move(kept));
  }
  out.pca = run_pca(out.analysed, options, ctx);
  return out;
}

}  // namespace genomap
