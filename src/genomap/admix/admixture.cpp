#include "genomap/admix/admixture.hpp"

#include <cblas.h>
#include <omp.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "genomap/core/error.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/kernels.hpp"

extern "C" void openblas_set_num_threads(int);

namespace genomap {
namespace {

constexpr double kFreqBound = 1e-5;   // P is kept in [kFreqBound, 1 - kFreqBound] (ADMIXTURE uses the same idea)
constexpr double kQBound = 1e-5;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Which genotypes a pass uses: all called ones, optionally without one cross-validation fold, optionally with
// per-variant multiplicities (bootstrap).
struct PassSetup {
  std::size_t folds = 0;      // 0: no masking
  std::size_t held_out = 0;   // the fold left out of the fit
  std::uint64_t mask_seed = 0;
  const std::vector<double>* variant_weight = nullptr;
  const std::vector<int>* fixed_population = nullptr;

  std::size_t fold_of(std::size_t sample_idx, std::size_t variant_idx) const {
    return splitmix64(mask_seed ^ (static_cast<std::uint64_t>(variant_idx) << 24) ^ sample_idx) % folds;
  }
  bool uses(std::size_t sample_idx, std::size_t variant_idx) const {
    return folds == 0 || fold_of(sample_idx, variant_idx) != held_out;
  }
};

std::size_t admix_block_variants(const Dataset& data) {
  const std::size_t per_variant = data.sample_ct() * sizeof(double) * 3;
  return std::clamp<std::size_t>((std::size_t{48} << 20) / std::max<std::size_t>(per_variant, 1), 16, 1024);
}

// Weighted count of genotypes used per sample (the denominator of the Q update).
std::vector<double> observed_per_sample(const Dataset& data, const PassSetup& setup, const Context& ctx) {
  const std::size_t n = data.sample_ct();
  std::vector<double> observed(n, 0.0);
  for_each_block(data, ctx, admix_block_variants(data), "admixture", [&](const GenotypeBlock& b) {
#pragma omp parallel for num_threads(ctx.threads) schedule(static)
    for (std::ptrdiff_t si = 0; si < static_cast<std::ptrdiff_t>(n); ++si) {
      const auto i = static_cast<std::size_t>(si);
      double sum = 0;
      for (std::size_t v = 0; v < b.variant_ct(); ++v) {
        const std::size_t j = b.first_variant_idx() + v;
        if (genotype_code(b.row(v), i) == 1 || !setup.uses(i, j)) continue;
        sum += setup.variant_weight ? (*setup.variant_weight)[j] : 1.0;
      }
      observed[i] += sum;
    }
  });
  return observed;
}

void project_parameters(RowMatrix& q, RowMatrix& p, const std::vector<int>* fixed) {
  p = p.cwiseMax(kFreqBound).cwiseMin(1.0 - kFreqBound);
  for (Eigen::Index i = 0; i < q.rows(); ++i) {
    if (fixed && (*fixed)[static_cast<std::size_t>(i)] >= 0) {
      q.row(i).setConstant(kQBound);
      q(i, (*fixed)[static_cast<std::size_t>(i)]) = 1.0;
    } else {
      q.row(i) = q.row(i).cwiseMax(kQBound).cwiseMin(1.0);
    }
    q.row(i) /= q.row(i).sum();
  }
}

// Runs `work(thread, block)` over all variant blocks, blocks shared dynamically among threads; each thread loads
// its own blocks and uses single-threaded BLAS, so there is no nested parallelism.
template <typename Work>
void parallel_over_blocks(const Dataset& data, const Context& ctx, std::size_t block, Work&& work) {
  const std::size_t m = data.variant_ct();
  const std::size_t blocks = (m + block - 1) / block;
  openblas_set_num_threads(1);
#pragma omp parallel num_threads(ctx.threads)
  {
    GenotypeBlock genotypes;
#pragma omp for schedule(dynamic, 1)
    for (std::ptrdiff_t t = 0; t < static_cast<std::ptrdiff_t>(blocks); ++t) {
      const std::size_t first = static_cast<std::size_t>(t) * block;
      genotypes.load(data, first, std::min(block, m - first), 1);
      work(genotypes);
    }
  }
}

struct EmWorkspace {
  std::vector<double> ratio_alt, ratio_ref, one_minus_p, t1, t2;
  RowMatrix s1, s2;
  double log_likelihood = 0.0;
};

// One EM update (q, p) -> (next_q, next_p); returns the log-likelihood of (q, p) over the used genotypes.
double em_pass(const Dataset& data, const RowMatrix& q, const RowMatrix& p, RowMatrix& next_q, RowMatrix& next_p,
               const std::vector<double>& observed, const PassSetup& setup, const Context& ctx) {
  const std::size_t n = data.sample_ct();
  const auto k = static_cast<std::size_t>(q.cols());
  next_p.resize(p.rows(), p.cols());
  const std::size_t block = admix_block_variants(data);
  std::vector<EmWorkspace> workspaces(static_cast<std::size_t>(std::max(1, ctx.threads)));
  for (auto& w : workspaces) {
    w.s1 = RowMatrix::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
    w.s2 = w.s1;
  }
  parallel_over_blocks(data, ctx, block, [&](const GenotypeBlock& b) {
    EmWorkspace& ws = workspaces[static_cast<std::size_t>(omp_get_thread_num())];
    const std::size_t nb = b.variant_ct();
    const std::size_t j0 = b.first_variant_idx();
    ws.ratio_alt.resize(nb * n);
    ws.ratio_ref.resize(nb * n);
    ws.one_minus_p.resize(nb * k);
    ws.t1.resize(nb * k);
    ws.t2.resize(nb * k);
    const double* pb = p.data() + j0 * k;
    const auto bn = static_cast<blasint>(nb), nn = static_cast<blasint>(n), kk = static_cast<blasint>(k);
    // H^T = P_block Q^T (nb x N), written into ratio_alt and turned into w g / h there.
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, bn, nn, kk, 1.0, pb, kk, q.data(), kk, 0.0,
                ws.ratio_alt.data(), nn);
    constexpr double kAllele1Count[4] = {2.0, 0.0, 1.0, 0.0};
    for (std::size_t v = 0; v < nb; ++v) {
      const std::size_t j = j0 + v;
      const double w = setup.variant_weight ? (*setup.variant_weight)[j] : 1.0;
      double* alt = ws.ratio_alt.data() + v * n;
      double* ref = ws.ratio_ref.data() + v * n;
      const std::uint64_t* row = b.row(v);
      // The likelihood terms are multiplied together and their log taken only when the product gets small:
      // one log per few hundred genotypes instead of two per genotype. Each factor is at least 1e-24.
      double ll = 0.0, product = 1.0;
      for (std::size_t i = 0; i < n; ++i) {
        const unsigned code = genotype_code(row, i);
        if (code == 1 || w == 0.0 || !setup.uses(i, j)) {
          alt[i] = ref[i] = 0.0;
          continue;
        }
        const double h = std::clamp(alt[i], 1e-12, 1.0 - 1e-12);
        const double r = 1.0 - h;
        const double g = kAllele1Count[code];
        product *= code == 0 ? h * h : (code == 2 ? h * r : r * r);
        if (product < 1e-250) {
          ll += std::log(product);
          product = 1.0;
        }
        alt[i] = w * g / h;
        ref[i] = w * (2.0 - g) / r;
      }
      ll += std::log(product);
      ws.log_likelihood += w * ll;
      for (std::size_t c = 0; c < k; ++c) ws.one_minus_p[v * k + c] = 1.0 - pb[v * k + c];
    }
    // P update terms: T1 = A Q, T2 = B Q (nb x K).
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, bn, kk, nn, 1.0, ws.ratio_alt.data(), nn, q.data(), kk,
                0.0, ws.t1.data(), kk);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, bn, kk, nn, 1.0, ws.ratio_ref.data(), nn, q.data(), kk,
                0.0, ws.t2.data(), kk);
    for (std::size_t v = 0; v < nb; ++v)
      for (std::size_t c = 0; c < k; ++c) {
        const double pv = pb[v * k + c];
        const double num = pv * ws.t1[v * k + c];
        const double den = num + (1.0 - pv) * ws.t2[v * k + c];
        next_p(static_cast<Eigen::Index>(j0 + v), static_cast<Eigen::Index>(c)) = den > 0 ? num / den : pv;
      }
    // Q update terms: S1 += A^T P_block, S2 += B^T (1 - P_block) (N x K).
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nn, kk, bn, 1.0, ws.ratio_alt.data(), nn, pb, kk, 1.0,
                ws.s1.data(), kk);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nn, kk, bn, 1.0, ws.ratio_ref.data(), nn,
                ws.one_minus_p.data(), kk, 1.0, ws.s2.data(), kk);
  });
  double log_likelihood = 0.0;
  RowMatrix s = RowMatrix::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  for (const auto& ws : workspaces) {
    log_likelihood += ws.log_likelihood;
    s += ws.s1 + ws.s2;
  }
  next_q.resize(q.rows(), q.cols());
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    if (observed[i] > 0) next_q.row(r) = q.row(r).cwiseProduct(s.row(r)) / (2.0 * observed[i]);
    else next_q.row(r) = q.row(r);
  }
  project_parameters(next_q, next_p, setup.fixed_population);
  return log_likelihood;
}

// SQUAREM-accelerated EM from (q, p) until the log-likelihood gain falls below the tolerance or the pass budget
// is spent. Updates q, p in place; returns passes used and the final log-likelihood.
struct SquaremOutcome {
  std::size_t passes = 0;
  double log_likelihood = -std::numeric_limits<double>::infinity();
  bool converged = false;
  std::vector<double> trace;
};

SquaremOutcome run_squarem(const Dataset& data, RowMatrix& q, RowMatrix& p, const std::vector<double>& observed,
                           const PassSetup& setup, double tolerance, std::size_t max_passes, const Context& ctx) {
  SquaremOutcome out;
  RowMatrix q1, p1, q2, p2, qn, pn;
  double previous = -std::numeric_limits<double>::infinity();
  while (out.passes + 3 <= max_passes) {
    const double ll0 = em_pass(data, q, p, q1, p1, observed, setup, ctx);
    const double ll1 = em_pass(data, q1, p1, q2, p2, observed, setup, ctx);
    out.passes += 2;
    out.trace.push_back(ll0);
    if (std::abs(ll0 - previous) < tolerance) {
      out.log_likelihood = ll0;
      out.converged = true;
      return out;
    }
    previous = ll0;
    // Step length of Varadhan & Roland's S3 scheme, with the step bounded at -1 (plain EM) from above.
    const double r_norm = (q1 - q).squaredNorm() + (p1 - p).squaredNorm();
    const double v_norm = (q2 - 2 * q1 + q).squaredNorm() + (p2 - 2 * p1 + p).squaredNorm();
    double alpha = v_norm > 0 ? -std::sqrt(r_norm / v_norm) : -1.0;
    alpha = std::min(alpha, -1.0);
    RowMatrix qa = q - 2 * alpha * (q1 - q) + alpha * alpha * (q2 - 2 * q1 + q);
    RowMatrix pa = p - 2 * alpha * (p1 - p) + alpha * alpha * (p2 - 2 * p1 + p);
    project_parameters(qa, pa, setup.fixed_population);
    const double lla = em_pass(data, qa, pa, qn, pn, observed, setup, ctx);
    ++out.passes;
    if (std::isfinite(lla) && lla >= ll1) {
      q.swap(qn);
      p.swap(pn);
    } else {
      q.swap(q2);
      p.swap(p2);
    }
  }
  out.log_likelihood = admixture_log_likelihood(data, q, p, ctx);
  return out;
}

void random_start(std::size_t n, std::size_t m, std::size_t k, std::mt19937_64& rng, RowMatrix& q, RowMatrix& p,
                  const std::vector<int>* fixed) {
  std::gamma_distribution<double> gamma(1.0, 1.0);
  std::uniform_real_distribution<double> unif(0.2, 0.8);
  q.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  p.resize(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(k));
  for (Eigen::Index i = 0; i < q.rows(); ++i)
    for (Eigen::Index c = 0; c < q.cols(); ++c) q(i, c) = gamma(rng);
  for (Eigen::Index j = 0; j < p.rows(); ++j)
    for (Eigen::Index c = 0; c < p.cols(); ++c) p(j, c) = unif(rng);
  project_parameters(q, p, fixed);
}

// A start close to the optimum, as ALStructure and fastmixture do: a rank-K approximation of the allele
// frequency matrix Pi (N x M, Pi_ij = E[g_ij] / 2) from a randomized SVD of the centred genotypes (Halko et al.
// 2011, with power iterations), then alternating least squares Pi ~ Q P^T with Q on the simplex and P in (0, 1),
// done on the low-rank factors so that each step costs O((N + M) K^2).
void svd_als_start(const Dataset& data, std::size_t k, std::mt19937_64& rng, const Context& ctx, RowMatrix& q,
                   RowMatrix& p, const std::vector<int>* fixed) {
  const std::size_t n = data.sample_ct(), m = data.variant_ct();
  const std::size_t rank = k - 1, width = std::min<std::size_t>(k + 10, std::min(n, m));
  const std::size_t block = admix_block_variants(data);
  // Allele-1 frequencies.
  std::vector<double> freq(m, 0.0);
  parallel_over_blocks(data, ctx, block, [&](const GenotypeBlock& b) {
    for (std::size_t v = 0; v < b.variant_ct(); ++v) {
      const GenotypeCounts c = count_genotypes(b.row(v), b.sample_ct());
      freq[b.first_variant_idx() + v] = c.called() ? c.allele1_count() / (2.0 * c.called()) : 0.5;
    }
  });
  // One pass: Z_b = X_b Y (nb x width) stored for all blocks, and Y_next = sum_b X_b^T Z_b.
  RowMatrix y(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(width));
  RowMatrix z(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(width));
  std::normal_distribution<double> normal;
  for (Eigen::Index j = 0; j < z.size(); ++j) z.data()[j] = normal(rng);
  auto centred_block = [&](const GenotypeBlock& b, std::vector<double>& xt) {
    xt.resize(b.variant_ct() * n);
    for (std::size_t v = 0; v < b.variant_ct(); ++v) {
      decode_allele1_dosage(b.row(v), n, std::numeric_limits<double>::quiet_NaN(), xt.data() + v * n);
      const double mean = 2.0 * freq[b.first_variant_idx() + v];
      for (std::size_t i = 0; i < n; ++i) {
        double& x = xt[v * n + i];
        x = std::isnan(x) ? 0.0 : x - mean;
      }
    }
  };
  auto multiply_xt = [&](const RowMatrix& right_m, RowMatrix& out_n) {  // out_n = X^T-free: sum_b X_b^T right_b
    std::vector<RowMatrix> partial(static_cast<std::size_t>(ctx.threads),
                                   RowMatrix::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(width)));
    parallel_over_blocks(data, ctx, block, [&](const GenotypeBlock& b) {
      thread_local std::vector<double> xt;
      centred_block(b, xt);
      RowMatrix& acc = partial[static_cast<std::size_t>(omp_get_thread_num())];
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<blasint>(n), static_cast<blasint>(width),
                  static_cast<blasint>(b.variant_ct()), 1.0, xt.data(), static_cast<blasint>(n),
                  right_m.data() + b.first_variant_idx() * width, static_cast<blasint>(width), 1.0, acc.data(),
                  static_cast<blasint>(width));
    });
    out_n.setZero();
    for (const auto& part : partial) out_n += part;
  };
  auto multiply_x = [&](const RowMatrix& right_n, RowMatrix& out_m) {  // out_m rows = X_b right_n
    parallel_over_blocks(data, ctx, block, [&](const GenotypeBlock& b) {
      thread_local std::vector<double> xt;
      centred_block(b, xt);
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(b.variant_ct()),
                  static_cast<blasint>(width), static_cast<blasint>(n), 1.0, xt.data(), static_cast<blasint>(n),
                  right_n.data(), static_cast<blasint>(width), 0.0, out_m.data() + b.first_variant_idx() * width,
                  static_cast<blasint>(width));
    });
  };
  auto orthonormalize = [](RowMatrix& a) {
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
    a = qr.householderQ() * Eigen::MatrixXd::Identity(a.rows(), a.cols());
  };
  multiply_xt(z, y);
  for (int power = 0; power < 4; ++power) {
    orthonormalize(y);
    multiply_x(y, z);
    multiply_xt(z, y);
  }
  orthonormalize(y);
  multiply_x(y, z);  // z = X^T-side factor: B^T = X^T Y, M x width
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(z.transpose() * z);
  // Top `rank` components: U = Y W, S = sqrt(eigenvalue), V = Z W / S.
  Eigen::MatrixXd left(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  Eigen::MatrixXd right(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(k));
  left.col(0).setOnes();
  right.col(0) = Eigen::Map<const Eigen::VectorXd>(freq.data(), static_cast<Eigen::Index>(m));
  for (std::size_t c = 0; c < rank; ++c) {
    const Eigen::Index e = static_cast<Eigen::Index>(width - 1 - c);
    const double sigma = std::sqrt(std::max(eig.eigenvalues()(e), 1e-300));
    left.col(static_cast<Eigen::Index>(c + 1)) = y * eig.eigenvectors().col(e) * (sigma / 2.0);
    right.col(static_cast<Eigen::Index>(c + 1)) = z * eig.eigenvectors().col(e) / sigma;
  }
  // Alternating least squares on Pi ~ left right^T.
  random_start(n, m, k, rng, q, p, fixed);
  for (int iteration = 0; iteration < 200; ++iteration) {
    Eigen::MatrixXd qtq = q.transpose() * q;
    Eigen::MatrixXd pm = right * (left.transpose() * q) * qtq.ldlt().solve(Eigen::MatrixXd::Identity(qtq.rows(), qtq.cols()));
    p = pm;
    p = p.cwiseMax(kFreqBound).cwiseMin(1.0 - kFreqBound);
    Eigen::MatrixXd ptp = p.transpose() * p;
    RowMatrix previous = q;
    q = left * (right.transpose() * p) * ptp.ldlt().solve(Eigen::MatrixXd::Identity(ptp.rows(), ptp.cols()));
    project_parameters(q, p, fixed);
    if ((q - previous).cwiseAbs().maxCoeff() < 1e-5) break;
  }
}

void validate(const Dataset& data, const AdmixOptions& o) {
  if (o.k < 2) throw Error(fmt::format("--k must be at least 2 (got {})", o.k));
  if (o.k >= data.sample_ct())
    throw Error(fmt::format("--k {} must be smaller than the number of samples ({})", o.k, data.sample_ct()));
  if (!o.fixed_population.empty() && o.fixed_population.size() != data.sample_ct())
    throw Error("supervised population labels do not cover every sample");
  if (!(o.tolerance > 0)) throw Error("--tol must be positive");
}

}  // namespace

double admixture_log_likelihood(const Dataset& data, const RowMatrix& q, const RowMatrix& p, const Context& ctx) {
  RowMatrix nq, np;
  std::vector<double> observed(data.sample_ct(), 1.0);
  return em_pass(data, q, p, nq, np, observed, PassSetup{}, ctx);
}

AdmixResult fit_admixture(const Dataset& data, const AdmixOptions& o, const Context& ctx) {
  validate(data, o);
  PassSetup setup;
  if (!o.fixed_population.empty()) setup.fixed_population = &o.fixed_population;
  const auto observed = observed_per_sample(data, setup, ctx);
  std::mt19937_64 rng(ctx.seed);
  AdmixResult best;
  best.log_likelihood = -std::numeric_limits<double>::infinity();
  std::size_t passes = 0;
  const std::size_t starts = std::max<std::size_t>(1, o.random_starts);
  for (std::size_t s = 0; s < starts; ++s) {
    RowMatrix q, p;
    svd_als_start(data, o.k, rng, ctx, q, p, setup.fixed_population);
    passes += 10;  // the randomized SVD's passes over the data
    if (starts == 1) {
      best.q = std::move(q);
      best.p = std::move(p);
      break;
    }
    auto outcome = run_squarem(data, q, p, observed, setup, o.tolerance, 3 * o.start_iterations, ctx);
    passes += outcome.passes;
    ctx.note(fmt::format("admix K={} start {}: log-likelihood {:.6f} after {} passes", o.k, s + 1,
                         outcome.log_likelihood, outcome.passes));
    if (outcome.log_likelihood > best.log_likelihood) {
      best.q = std::move(q);
      best.p = std::move(p);
      best.log_likelihood = outcome.log_likelihood;
    }
  }
  auto outcome = run_squarem(data, best.q, best.p, observed, setup, o.tolerance, o.max_iterations, ctx);
  best.log_likelihood = outcome.log_likelihood;
  best.converged = outcome.converged;
  best.iterations = passes + outcome.passes;
  best.log_likelihood_trace = outcome.trace;
  for (std::size_t t = 0; t < outcome.trace.size(); ++t)
    ctx.note(fmt::format("admix K={} iteration {}: log-likelihood {:.6f}", o.k, t + 1, outcome.trace[t]));
  ctx.note(fmt::format("admix K={}: log-likelihood {:.6f}, {} data passes, {}", o.k, best.log_likelihood,
                       best.iterations, best.converged ? "converged" : "NOT converged (raise --max-iter)"));
  return best;
}

double admixture_cross_validation(const Dataset& data, const AdmixOptions& o, const AdmixResult& full,
                                  std::size_t folds, const Context& ctx) {
  if (folds < 2) throw Error(fmt::format("--cv must be at least 2 (got {})", folds));
  double deviance = 0.0;
  std::size_t masked = 0;
  for (std::size_t f = 0; f < folds; ++f) {
    PassSetup setup;
    setup.folds = folds;
    setup.held_out = f;
    setup.mask_seed = splitmix64(ctx.seed + 7919);
    if (!o.fixed_population.empty()) setup.fixed_population = &o.fixed_population;
    const auto observed = observed_per_sample(data, setup, ctx);
    RowMatrix q = full.q, p = full.p;
    run_squarem(data, q, p, observed, setup, o.tolerance, o.max_iterations, ctx);
    // Deviance of the held-out genotypes under the refitted model.
    const std::size_t n = data.sample_ct();
    for_each_block(data, ctx, admix_block_variants(data), "cross-validation", [&](const GenotypeBlock& b) {
      double dev = 0.0;
      std::size_t count = 0;
#pragma omp parallel for num_threads(ctx.threads) reduction(+ : dev, count) schedule(static)
      for (std::ptrdiff_t sv = 0; sv < static_cast<std::ptrdiff_t>(b.variant_ct()); ++sv) {
        const auto v = static_cast<std::size_t>(sv);
        const std::size_t j = b.first_variant_idx() + v;
        for (std::size_t i = 0; i < n; ++i) {
          const unsigned code = genotype_code(b.row(v), i);
          if (code == 1 || setup.fold_of(i, j) != f) continue;
          const double g = code == 0 ? 2.0 : (code == 2 ? 1.0 : 0.0);
          const double h = std::clamp(q.row(static_cast<Eigen::Index>(i)).dot(p.row(static_cast<Eigen::Index>(j))),
                                      1e-12, 1.0 - 1e-12);
          const double mu = 2.0 * h;
          double d = 0.0;
          if (g > 0) d += g * std::log(g / mu);
          if (g < 2) d += (2.0 - g) * std::log((2.0 - g) / (2.0 - mu));
          dev += 2.0 * d;
          ++count;
        }
      }
      deviance += dev;
      masked += count;
    });
  }
  return masked ? deviance / static_cast<double>(masked) : 0.0;
}

RowMatrix admixture_bootstrap_se(const Dataset& data, const AdmixOptions& o, const AdmixResult& full,
                                 std::size_t replicates, std::size_t block_variants, const Context& ctx) {
  const std::size_t m = data.variant_ct();
  block_variants = std::max<std::size_t>(1, block_variants);
  const std::size_t blocks = (m + block_variants - 1) / block_variants;
  RowMatrix sum = RowMatrix::Zero(full.q.rows(), full.q.cols());
  RowMatrix sum_sq = sum;
  std::mt19937_64 rng(splitmix64(ctx.seed + 104729));
  std::uniform_int_distribution<std::size_t> pick(0, blocks - 1);
  for (std::size_t r = 0; r < replicates; ++r) {
    std::vector<double> weight(m, 0.0);
    for (std::size_t t = 0; t < blocks; ++t) {
      const std::size_t chosen = pick(rng);
      for (std::size_t j = chosen * block_variants; j < std::min(m, (chosen + 1) * block_variants); ++j) weight[j] += 1;
    }
    PassSetup setup;
    setup.variant_weight = &weight;
    if (!o.fixed_population.empty()) setup.fixed_population = &o.fixed_population;
    const auto observed = observed_per_sample(data, setup, ctx);
    RowMatrix q = full.q, p = full.p;
    run_squarem(data, q, p, observed, setup, o.tolerance, o.max_iterations, ctx);
    sum += q;
    sum_sq += q.cwiseProduct(q);
    ctx.note(fmt::format("bootstrap replicate {} of {} done", r + 1, replicates));
  }
  const double b = static_cast<double>(replicates);
  RowMatrix var = (sum_sq - sum.cwiseProduct(sum) / b) / std::max(1.0, b - 1.0);
  return var.cwiseMax(0.0).cwiseSqrt();
}

}  // namespace genomap
