#include "genomap/assoc/glm.hpp"

#include <cblas.h>
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "genomap/assoc/distributions.hpp"
#include "genomap/assoc/glm_internal.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/thread_scope.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/kernels.hpp"

namespace genomap {

const char* glm_errcode_text(GlmErrcode code) {
  switch (code) {
    case GlmErrcode::None:
      return ".";
    case GlmErrcode::ConstOmittedAllele:
      return "CONST_OMITTED_ALLELE";
    case GlmErrcode::SampleCtLtePredictorCt:
      return "SAMPLE_CT<=PREDICTOR_CT";
    case GlmErrcode::CorrTooHigh:
      return "CORR_TOO_HIGH";
    case GlmErrcode::VifInfinite:
      return "VIF_INFINITE";
    case GlmErrcode::VifTooHigh:
      return "VIF_TOO_HIGH";
    case GlmErrcode::Separation:
      return "SEPARATION";
    case GlmErrcode::LogisticConvergeFail:
      return "LOGISTIC_CONVERGE_FAIL";
    case GlmErrcode::FirthConvergeFail:
      return "FIRTH_CONVERGE_FAIL";
    case GlmErrcode::Unfinished:
      return "UNFINISHED";
  }
  return "?";
}

namespace glm_detail {

GlmErrcode check_collinearity(const Eigen::MatrixXd& xtx, const Eigen::VectorXd& xtx_inv_diag,
                              const VariantCrossProducts& cp, const Eigen::VectorXd& u, double s,
                              const GlmOptions& options) {
  const double n = cp.obs_ct;
  const Eigen::Index k1 = xtx.rows();
  // Centred sum of squares of the genotype (exact: dosages are integers).
  const double g_ss = (n * cp.gtg - cp.xtg[0] * cp.xtg[0]) / n;
  for (Eigen::Index j = 1; j < k1; ++j) {
    const double x_ss = xtx(j, j) - xtx(0, j) * xtx(0, j) / n;
    const double cov = cp.xtg[j] - cp.xtg[0] * xtx(0, j) / n;
    if (std::fabs(cov) > options.max_corr * std::sqrt(g_ss * x_ss)) return GlmErrcode::CorrTooHigh;
  }
  if (!(s > 1e-10 * g_ss)) return GlmErrcode::VifInfinite;
  // Diagonal of the inverse correlation matrix of covariates + genotype: by the Schur complement of the
  // intercept, the non-intercept block of the inverse cross-product matrix times each centred sum of squares.
  if (g_ss / s > options.vif_threshold) return GlmErrcode::VifTooHigh;
  for (Eigen::Index j = 1; j < k1; ++j) {
    const double x_ss = xtx(j, j) - xtx(0, j) * xtx(0, j) / n;
    if ((xtx_inv_diag[j] + u[j] * u[j] / s) * x_ss > options.vif_threshold) return GlmErrcode::VifTooHigh;
  }
  return GlmErrcode::None;
}

}  // namespace glm_detail

namespace {

using glm_detail::PreparedPhenotype;
using glm_detail::VariantCrossProducts;

[[noreturn]] void fail(const std::string& source, const std::string& message) {
  throw Error(source, 0, message);
}

// Selects the analysed samples of one phenotype, standardizes the covariates over them and checks them.
PreparedPhenotype prepare_phenotype(const GlmPhenotype& pheno, const GlmCovariates& cov,
                                    const GlmOptions& options, const Context& ctx) {
  const std::size_t n_all = pheno.values.size();
  const std::size_t k = cov.names.size();
  PreparedPhenotype ph;
  ph.name = pheno.name;
  ph.binary = pheno.binary;
  ph.mask.assign(n_all, 0.0);
  std::size_t missing_pheno = 0, missing_cov = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    if (std::isnan(pheno.values[i])) {
      ++missing_pheno;
      continue;
    }
    bool ok = true;
    for (std::size_t c = 0; c < k && ok; ++c) ok = !std::isnan(cov.values[c][i]);
    if (!ok) {
      ++missing_cov;
      continue;
    }
    ph.mask[i] = 1.0;
    ++ph.sample_ct;
  }
  ctx.note(
      fmt::format("phenotype {}: {} samples analysed, {} dropped for a missing phenotype, {} for a missing "
                  "covariate",
                  pheno.name, ph.sample_ct, missing_pheno, missing_cov));
  const std::size_t n = ph.sample_ct;
  if (n <= k + 2)
    fail(
        cov.source.empty() ? pheno.source : cov.source,
        fmt::format("phenotype {}: {} samples with phenotype and covariates, but {} covariates + intercept + "
                    "genotype need more samples than predictors",
                    pheno.name, n, k));
  // Phenotype: constant is an error; binary needs both classes.
  double mean = 0;
  for (std::size_t i = 0; i < n_all; ++i)
    if (ph.mask[i] != 0) mean += pheno.values[i];
  mean /= static_cast<double>(n);
  double var = 0;
  for (std::size_t i = 0; i < n_all; ++i)
    if (ph.mask[i] != 0) var += (pheno.values[i] - mean) * (pheno.values[i] - mean);
  if (pheno.binary) {
    ph.case_ct = static_cast<std::size_t>(std::llround(mean * static_cast<double>(n)));
    if (ph.case_ct == 0 || ph.case_ct == n)
      fail(pheno.source, fmt::format("phenotype {}: all {} samples analysed are {}", pheno.name, n,
                                     ph.case_ct == 0 ? "controls" : "cases"));
    ctx.note(fmt::format("phenotype {}: {} cases and {} controls", pheno.name, ph.case_ct, n - ph.case_ct));
  } else if (!(var > 1e-12 * std::max(1.0, mean * mean) * static_cast<double>(n))) {
    fail(pheno.source, fmt::format("phenotype {} is constant among the {} samples analysed", pheno.name, n));
  }
  ph.x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_all), static_cast<Eigen::Index>(k + 1));
  ph.y = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_all));
  for (std::size_t i = 0; i < n_all; ++i) {
    if (ph.mask[i] == 0) continue;
    ph.x(static_cast<Eigen::Index>(i), 0) = 1.0;
    ph.y[static_cast<Eigen::Index>(i)] = pheno.binary ? pheno.values[i] : pheno.values[i] - mean;
  }
  // Covariates standardized over the analysed samples (plink2's --covar-variance-standardize): the tested
  // coefficient is unchanged, the cross products are better conditioned.
  for (std::size_t c = 0; c < k; ++c) {
    double m = 0, v = 0;
    for (std::size_t i = 0; i < n_all; ++i)
      if (ph.mask[i] != 0) m += cov.values[c][i];
    m /= static_cast<double>(n);
    for (std::size_t i = 0; i < n_all; ++i)
      if (ph.mask[i] != 0) v += (cov.values[c][i] - m) * (cov.values[c][i] - m);
    const double sd = std::sqrt(v / static_cast<double>(n - 1));
    if (!(sd > 1e-12 * std::max(1.0, std::fabs(m))))
      fail(cov.source, fmt::format("covariate {} is constant among the {} samples analysed for phenotype {}",
                                   cov.names[c], n, pheno.name));
    for (std::size_t i = 0; i < n_all; ++i)
      if (ph.mask[i] != 0)
        ph.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c + 1)) = (cov.values[c][i] - m) / sd;
  }
  ph.xtx = ph.x.transpose() * ph.x;
  // Covariates among themselves: pairwise correlation, then the variance inflation factors (plink2 checks).
  const double nd = static_cast<double>(n - 1);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = a + 1; b < k; ++b) {
      const double r = ph.xtx(static_cast<Eigen::Index>(a + 1), static_cast<Eigen::Index>(b + 1)) / nd;
      if (std::fabs(r) > options.max_corr)
        fail(cov.source,
             fmt::format("covariates {} and {} are collinear for phenotype {} (correlation {:.6g}; "
                         "limit {})",
                         cov.names[a], cov.names[b], pheno.name, r, options.max_corr));
    }
  if (k > 0) {
    Eigen::MatrixXd corr =
        ph.xtx.bottomRightCorner(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k)) / nd;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(corr);
    if (eig.eigenvalues().minCoeff() < 1e-10 * static_cast<double>(k)) {
      const Eigen::VectorXd null = eig.eigenvectors().col(0);
      std::string names;
      for (std::size_t c = 0; c < k; ++c)
        if (std::fabs(null[static_cast<Eigen::Index>(c)]) > 1e-6)
          names += (names.empty() ? "" : ", ") + cov.names[c];
      fail(cov.source,
           fmt::format("covariates {} are linearly dependent for phenotype {}", names, pheno.name));
    }
    const Eigen::MatrixXd inv = corr.inverse();
    for (std::size_t c = 0; c < k; ++c)
      if (inv(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(c)) > options.vif_threshold)
        fail(cov.source,
             fmt::format("covariate {} is nearly collinear with the others for phenotype {} (variance "
                         "inflation factor {:.6g}; limit {})",
                         cov.names[c], pheno.name,
                         inv(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(c)),
                         options.vif_threshold));
  }
  ph.xtx_llt.compute(ph.xtx);
  ph.xtx_inv_diag = ph.xtx_llt.solve(Eigen::MatrixXd::Identity(ph.xtx.rows(), ph.xtx.cols())).diagonal();
  ph.xty = ph.x.transpose() * ph.y;
  ph.xtx_inv_xty = ph.xtx_llt.solve(ph.xty);
  ph.yty = ph.y.squaredNorm();
  if (ph.binary) {
    // Covariate-only logistic fit on the analysed samples: the warm start of every variant's regression.
    Eigen::MatrixXd xs(static_cast<Eigen::Index>(n), ph.x.cols());
    Eigen::VectorXd ys(static_cast<Eigen::Index>(n));
    Eigen::Index r = 0;
    for (std::size_t i = 0; i < n_all; ++i)
      if (ph.mask[i] != 0) {
        xs.row(r) = ph.x.row(static_cast<Eigen::Index>(i));
        ys[r++] = ph.y[static_cast<Eigen::Index>(i)];
      }
    ph.null_beta = Eigen::VectorXd::Zero(ph.x.cols());
    Eigen::MatrixXd cov_unused;
    if (!glm_detail::logistic_newton(xs, ys, ph.null_beta, cov_unused, 100)) ph.null_beta.setZero();
    const Eigen::Index k1 = ph.x.cols();
    ph.x_pairs.resize(static_cast<Eigen::Index>(n_all), k1 * (k1 + 1) / 2);
    for (Eigen::Index a = 0, t = 0; a < k1; ++a)
      for (Eigen::Index b = a; b < k1; ++b, ++t) ph.x_pairs.col(t) = ph.x.col(a).cwiseProduct(ph.x.col(b));
  }
  return ph;
}

// Linear regression of one variant, closed form given the cross products (Frisch-Waugh-Lovell: the genotype
// and phenotype residualized on the covariates).
GlmVariantResult linear_variant(const PreparedPhenotype& ph, const VariantCrossProducts& cp,
                                const std::vector<std::uint32_t>& missing_in_mask,
                                const GlmOptions& options) {
  GlmVariantResult r;
  r.obs_ct = cp.obs_ct;
  const Eigen::Index k1 = ph.xtx.rows();
  if (cp.obs_ct <= static_cast<std::uint32_t>(k1 + 1)) {
    r.error = GlmErrcode::SampleCtLtePredictorCt;
    return r;
  }
  const double n = cp.obs_ct;
  if (n * cp.gtg == cp.xtg[0] * cp.xtg[0]) {
    r.error = GlmErrcode::ConstOmittedAllele;
    return r;
  }
  Eigen::VectorXd u, v;
  double yty = ph.yty;
  const Eigen::MatrixXd* xtx = &ph.xtx;
  const Eigen::VectorXd* inv_diag = &ph.xtx_inv_diag;
  Eigen::MatrixXd xtx_sub;
  Eigen::VectorXd inv_diag_sub, xty;
  if (missing_in_mask.empty()) {
    u = ph.xtx_llt.solve(cp.xtg);
    v = ph.xtx_inv_xty;
    xty = ph.xty;
  } else {
    // Samples without a genotype leave the regression: downdate the covariate cross products.
    xtx_sub = ph.xtx;
    xty = ph.xty;
    for (std::uint32_t i : missing_in_mask) {
      const auto row = ph.x.row(i);
      xtx_sub.noalias() -= row.transpose() * row;
      xty -= row.transpose() * ph.y[i];
      yty -= ph.y[i] * ph.y[i];
    }
    Eigen::LLT<Eigen::MatrixXd> llt(xtx_sub);
    if (llt.info() != Eigen::Success) {
      r.error = GlmErrcode::VifInfinite;
      return r;
    }
    u = llt.solve(cp.xtg);
    v = llt.solve(xty);
    inv_diag_sub = llt.solve(Eigen::MatrixXd::Identity(k1, k1)).diagonal();
    xtx = &xtx_sub;
    inv_diag = &inv_diag_sub;
  }
  const double s = cp.gtg - cp.xtg.dot(u);
  r.error = glm_detail::check_collinearity(*xtx, *inv_diag, cp, u, s, options);
  if (r.error != GlmErrcode::None) return r;
  const double t = cp.gty - cp.xtg.dot(v);
  const double ymy = yty - xty.dot(v);
  const double df = n - static_cast<double>(k1) - 1.0;
  r.beta = t / s;
  const double rss = std::max(0.0, ymy - r.beta * t);
  r.se = std::sqrt(rss / df / s);
  r.stat = r.beta / r.se;
  r.p = student_t_two_sided_p(r.stat, df);
  return r;
}

}  // namespace

std::vector<GlmPhenotypeResult> run_glm(const Dataset& data, const std::vector<GlmPhenotype>& phenotypes,
                                        const GlmCovariates& covariates, const GlmOptions& options,
                                        const Context& ctx) {
  const std::size_t n_all = data.sample_ct();
  const std::size_t m = data.variant_ct();
  std::size_t sex_chromosome_ct = 0;
  for (std::size_t v = 0; v < m; ++v)
    sex_chromosome_ct += is_haploid_or_sex(chromosome_code(data.variant(v).chrom));
  if (sex_chromosome_ct > 0)
    ctx.note(
        fmt::format("{} variants on X, Y or MT are tested as stored (males' hemizygous calls as homozygous, "
                    "0/2), with the "
                    "covariates given and no others: plink2 adds sex as a covariate on X; give SEX in "
                    "--covar to match it",
                    sex_chromosome_ct));
  std::vector<PreparedPhenotype> prepared;
  for (const auto& p : phenotypes) prepared.push_back(prepare_phenotype(p, covariates, options, ctx));
  const std::size_t pheno_ct = prepared.size();
  const Eigen::Index k1 = static_cast<Eigen::Index>(covariates.names.size() + 1);
  // Z = [X_1 y_1 X_2 y_2 ...]: one GEMM gives every variant's cross products with every phenotype's design.
  const Eigen::Index zcols = static_cast<Eigen::Index>(pheno_ct) * (k1 + 1);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> z(static_cast<Eigen::Index>(n_all),
                                                                           zcols);
  for (std::size_t p = 0; p < pheno_ct; ++p) {
    z.middleCols(static_cast<Eigen::Index>(p) * (k1 + 1), k1) = prepared[p].x;
    z.col(static_cast<Eigen::Index>(p) * (k1 + 1) + k1) = prepared[p].y;
  }
  std::vector<GlmPhenotypeResult> results(pheno_ct);
  for (std::size_t p = 0; p < pheno_ct; ++p) {
    results[p].name = prepared[p].name;
    results[p].binary = prepared[p].binary;
    results[p].sample_ct = prepared[p].sample_ct;
    results[p].case_ct = prepared[p].case_ct;
    results[p].variants.resize(m);
  }
  const int threads = std::max(1, ctx.threads);
  // OpenBLAS on one thread for the whole pass: the OpenMP threads split every product themselves (whole row
  // ranges, whole batches of variants), so no OpenBLAS worker threads spin beside them. Restored at the end.
  const ThreadScope single_threaded_blas(threads, 1);
  const std::size_t block =
      options.block_variants
          ? options.block_variants
          : std::clamp<std::size_t>((std::size_t{1} << 23) / std::max<std::size_t>(n_all, 1), 64, 4096);
  std::vector<double> g, cross;
  std::vector<std::vector<std::uint32_t>> missing;
  std::vector<char> a1_is_ref;
  for_each_block(data, ctx, block, "glm", [&](const GenotypeBlock& blk) {
    const std::size_t bv = blk.variant_ct();
    g.resize(bv * n_all);
    missing.assign(bv, {});
    a1_is_ref.assign(bv, 0);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::size_t v = 0; v < bv; ++v) {
      double* row = g.data() + v * n_all;
      decode_allele1_dosage(blk.row(v), n_all, std::nan(""), row);
      const GenotypeCounts counts = count_genotypes(blk.row(v), n_all);
      const bool flip = !options.omit_ref && counts.allele1_count() >= 2 * counts.hom2 + counts.het &&
                        counts.allele1_count() > 0;
      a1_is_ref[v] = flip;
      for (std::size_t i = 0; i < n_all; ++i)
        if (std::isnan(row[i])) {
          row[i] = 0.0;
          missing[v].push_back(static_cast<std::uint32_t>(i));
        } else if (flip) {
          row[i] = 2.0 - row[i];
        }
    }
    cross.resize(bv * static_cast<std::size_t>(zcols));
    const std::size_t chunk =
        (bv + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (std::size_t c0 = 0; c0 < bv; c0 += chunk) {
      const std::size_t rows = std::min(chunk, bv - c0);
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(rows), static_cast<int>(zcols),
                  static_cast<int>(n_all), 1.0, g.data() + c0 * n_all, static_cast<int>(n_all), z.data(),
                  static_cast<int>(zcols), 0.0, cross.data() + c0 * static_cast<std::size_t>(zcols),
                  static_cast<int>(zcols));
    }
    for (std::size_t p = 0; p < pheno_ct; ++p) {
      const PreparedPhenotype& ph = prepared[p];
      GlmVariantResult* out = results[p].variants.data() + blk.first_variant_idx();
      std::vector<std::uint32_t> pending;
      std::vector<char> is_pending(bv, 0);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 16)
      for (std::size_t v = 0; v < bv; ++v) {
        VariantCrossProducts cp;
        const double* c =
            cross.data() + v * static_cast<std::size_t>(zcols) + p * static_cast<std::size_t>(k1 + 1);
        cp.xtg = Eigen::Map<const Eigen::VectorXd>(c, k1);
        cp.gty = c[k1];
        const double* row = g.data() + v * n_all;
        double gtg = 0;
        for (std::size_t i = 0; i < n_all; ++i) gtg += row[i] * row[i] * ph.mask[i];
        cp.gtg = gtg;
        std::vector<std::uint32_t> miss;
        for (std::uint32_t i : missing[v])
          if (ph.mask[i] != 0) miss.push_back(i);
        cp.obs_ct = static_cast<std::uint32_t>(ph.sample_ct - miss.size());
        GlmVariantResult r = linear_variant(ph, cp, miss, options);
        if (ph.binary) {
          // The linear pass supplied the checks; the logistic fit comes below. Separation on the tested
          // allele (no A1 dosage among cases, or all of it) goes straight to Firth, as in plink2.
          const GlmErrcode checks = r.error;
          r = GlmVariantResult{};
          r.obs_ct = cp.obs_ct;
          r.error = checks;
          if (checks == GlmErrcode::None) is_pending[v] = 1;
        }
        out[v] = r;
      }
      if (ph.binary) {
        for (std::size_t v = 0; v < bv; ++v)
          if (is_pending[v]) pending.push_back(static_cast<std::uint32_t>(v));
        glm_detail::logistic_block(ph, g.data(), n_all, missing, pending, options, threads, out);
      }
      for (std::size_t v = 0; v < bv; ++v) out[v].a1_is_ref = a1_is_ref[v];
    }
  });
  return results;
}

}  // namespace genomap
