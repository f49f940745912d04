// The batched logistic kernel of glm (and its Firth path) against a plain per-variant IRLS / Firth iteration
// written here with naive loops, on random data with covariates, samples outside the analysis mask and
// missing genotypes. Both sides run in double precision to tight convergence: estimates and standard errors
// agree to 1e-7 relative (logistic) and 1e-5 (Firth, see below).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "genomap/assoc/glm_internal.hpp"

namespace genomap::test {
namespace {

using Matrix = std::vector<std::vector<double>>;

// Solves a x = b by Gauss-Jordan elimination with partial pivoting; returns the inverse of a in `inv`.
std::vector<double> solve(Matrix a, std::vector<double> b, Matrix& inv) {
  const std::size_t k = a.size();
  inv.assign(k, std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < k; ++i) inv[i][i] = 1;
  for (std::size_t c = 0; c < k; ++c) {
    std::size_t piv = c;
    for (std::size_t r = c + 1; r < k; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[piv][c])) piv = r;
    std::swap(a[c], a[piv]);
    std::swap(inv[c], inv[piv]);
    std::swap(b[c], b[piv]);
    const double d = a[c][c];
    for (std::size_t j = 0; j < k; ++j) {
      a[c][j] /= d;
      inv[c][j] /= d;
    }
    b[c] /= d;
    for (std::size_t r = 0; r < k; ++r) {
      if (r == c) continue;
      const double f = a[r][c];
      for (std::size_t j = 0; j < k; ++j) {
        a[r][j] -= f * a[c][j];
        inv[r][j] -= f * inv[c][j];
      }
      b[r] -= f * b[c];
    }
  }
  return b;
}

struct Fit {
  double beta = 0, se = 0;
};

// Plain IRLS (firth = false) or Firth-penalized Newton iteration with the modified score (firth = true, with
// step halving on the penalized log-likelihood), rows = observed samples, last column = genotype.
Fit naive_fit(const Matrix& x, const std::vector<double>& y, bool firth) {
  const std::size_t n = x.size(), k = x[0].size();
  std::vector<double> b(k, 0.0);
  auto state = [&](const std::vector<double>& beta, std::vector<double>& p, Matrix& info, double& pll) {
    p.assign(n, 0);
    info.assign(k, std::vector<double>(k, 0.0));
    double ll = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double eta = 0;
      for (std::size_t j = 0; j < k; ++j) eta += x[i][j] * beta[j];
      p[i] = 1 / (1 + std::exp(-eta));
      ll += y[i] * std::log(p[i]) + (1 - y[i]) * std::log(1 - p[i]);
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t c = 0; c < k; ++c) info[a][c] += p[i] * (1 - p[i]) * x[i][a] * x[i][c];
    }
    // log det by elimination
    Matrix m = info;
    double logdet = 0;
    for (std::size_t c = 0; c < k; ++c) {
      logdet += std::log(m[c][c]);
      for (std::size_t r = c + 1; r < k; ++r) {
        const double f = m[r][c] / m[c][c];
        for (std::size_t j = c; j < k; ++j) m[r][j] -= f * m[c][j];
      }
    }
    pll = ll + (firth ? 0.5 * logdet : 0.0);
  };
  std::vector<double> p;
  Matrix info, inv;
  double pll = 0;
  state(b, p, info, pll);
  for (int it = 0; it < 500; ++it) {
    solve(info, std::vector<double>(k, 0.0), inv);
    std::vector<double> score(k, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      double h = 0;  // hat value w_i x_i' I^-1 x_i
      if (firth)
        for (std::size_t a = 0; a < k; ++a)
          for (std::size_t c = 0; c < k; ++c) h += x[i][a] * inv[a][c] * x[i][c];
      h *= p[i] * (1 - p[i]);
      for (std::size_t a = 0; a < k; ++a)
        score[a] += x[i][a] * (y[i] - p[i] + (firth ? h * (0.5 - p[i]) : 0.0));
    }
    std::vector<double> step = solve(info, score, inv);
    double max_step = 0;
    for (double s : step) max_step = std::max(max_step, std::fabs(s));
    if (max_step < 1e-12) break;
    for (double t = 1; t > 1e-6; t /= 2) {
      std::vector<double> trial(k), p2;
      for (std::size_t j = 0; j < k; ++j) trial[j] = b[j] + t * step[j];
      Matrix info2;
      double pll2 = 0;
      state(trial, p2, info2, pll2);
      if (pll2 >= pll - 1e-12) {
        b = trial;
        p = p2;
        info = info2;
        pll = pll2;
        break;
      }
    }
  }
  solve(info, std::vector<double>(k, 0.0), inv);
  return {b[k - 1], std::sqrt(inv[k - 1][k - 1])};
}

class LogisticKernel : public ::testing::TestWithParam<FirthMode> {};

TEST_P(LogisticKernel, MatchesNaiveIrls) {
  const FirthMode mode = GetParam();
  std::mt19937_64 rng(99);
  std::normal_distribution<double> norm(0, 1);
  std::uniform_real_distribution<double> unif(0, 1);
  const std::size_t n_all = 400, covariates = 3, variants = 70;
  const Eigen::Index k1 = covariates + 1;
  glm_detail::PreparedPhenotype ph;
  ph.binary = true;
  ph.mask.assign(n_all, 1.0);
  for (std::size_t i = 0; i < n_all; i += 23) ph.mask[i] = 0;  // samples outside the analysis
  ph.x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_all), k1);
  ph.y = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_all));
  for (std::size_t i = 0; i < n_all; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    double eta = -0.5;
    for (Eigen::Index c = 1; c < k1; ++c) {
      const double v = norm(rng);
      eta += 0.4 * v;
      if (ph.mask[i] != 0) ph.x(r, c) = v;
    }
    if (ph.mask[i] == 0) continue;
    ph.x(r, 0) = 1;
    ph.y[r] = unif(rng) < 1 / (1 + std::exp(-eta)) ? 1 : 0;
  }
  ph.null_beta = Eigen::VectorXd::Zero(k1);  // the warm start only; the fit must not depend on it
  ph.x_pairs.resize(static_cast<Eigen::Index>(n_all), k1 * (k1 + 1) / 2);
  for (Eigen::Index a = 0, t = 0; a < k1; ++a)
    for (Eigen::Index b = a; b < k1; ++b, ++t) ph.x_pairs.col(t) = ph.x.col(a).cwiseProduct(ph.x.col(b));
  // Genotypes: frequencies from common to rare, about 2% missing; 0 where missing, as run_glm hands them.
  std::vector<double> g(variants * n_all);
  std::vector<std::vector<std::uint32_t>> missing(variants);
  std::vector<std::uint32_t> pending, obs_ct(variants);
  for (std::size_t v = 0; v < variants; ++v) {
    const double f = v < 6 ? 0.004 : v < 10 ? 0.01 + 0.002 * static_cast<double>(v) : 0.05 + 0.4 * unif(rng);
    double total = 0;
    std::uint32_t obs = 0;
    for (std::size_t i = 0; i < n_all; ++i) {
      if (unif(rng) < 0.02) {
        missing[v].push_back(static_cast<std::uint32_t>(i));
        continue;
      }
      g[v * n_all + i] = (unif(rng) < f) + (unif(rng) < f);
      total += g[v * n_all + i] * ph.mask[i];
      obs += ph.mask[i] != 0;
    }
    obs_ct[v] = obs;
    if (total > 0)
      pending.push_back(static_cast<std::uint32_t>(v));  // run_glm's checks drop constant variants
  }
  GlmOptions options;
  options.firth = mode;
  std::vector<GlmVariantResult> results(variants);
  for (std::size_t v = 0; v < variants; ++v) results[v].obs_ct = obs_ct[v];  // set by run_glm's checks
  glm_detail::logistic_block(ph, g.data(), n_all, missing, pending, options, 2, results.data());

  int compared = 0, firth_rows = 0;
  for (std::size_t v = 0; v < variants; ++v) {
    Matrix x;
    std::vector<double> y;
    std::size_t next = 0;
    double g_sum = 0, g_cases = 0;
    for (std::size_t i = 0; i < n_all; ++i) {
      if (next < missing[v].size() && missing[v][next] == i) {
        ++next;
        continue;
      }
      if (ph.mask[i] == 0) continue;
      std::vector<double> row;
      for (Eigen::Index c = 0; c < k1; ++c) row.push_back(ph.x(static_cast<Eigen::Index>(i), c));
      row.push_back(g[v * n_all + i]);
      x.push_back(row);
      y.push_back(ph.y[static_cast<Eigen::Index>(i)]);
      g_sum += g[v * n_all + i];
      g_cases += g[v * n_all + i] * y.back();
    }
    const GlmVariantResult& r = results[v];
    const bool separated = g_cases == 0 || g_cases == g_sum;
    if (g_sum == 0) continue;  // constant: run_glm's checks exclude it before the kernel
    if (mode == FirthMode::Never && separated) {
      EXPECT_EQ(r.error, GlmErrcode::Separation) << v;
      continue;
    }
    ASSERT_EQ(r.error, GlmErrcode::None) << v;
    const bool firth = mode == FirthMode::Always || separated || r.firth;
    EXPECT_EQ(r.firth, firth) << v;
    firth_rows += firth;
    const Fit ref = naive_fit(x, y, firth);
    // Firth: the penalized likelihood is flat near the optimum of rare variants and the kernel stops once
    // step halving finds no ascent left in double precision, so its estimates are looser than plain IRLS.
    const double tol = firth ? 1e-5 : 1e-7;
    EXPECT_NEAR(r.beta, ref.beta, tol * std::max(1.0, std::fabs(ref.beta)))
        << "variant " << v << " firth " << firth;
    EXPECT_NEAR(r.se, ref.se, tol * ref.se) << "variant " << v << " firth " << firth;
    EXPECT_NEAR(r.stat, r.beta / r.se, 1e-12 * std::max(1.0, std::fabs(r.stat)));
    ++compared;
  }
  EXPECT_GT(compared, 60);
  if (mode == FirthMode::Fallback) {
    EXPECT_GT(firth_rows, 0) << "the rare variants should include separated ones";
  }
  if (mode == FirthMode::Always) {
    EXPECT_EQ(firth_rows, compared);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, LogisticKernel,
                         ::testing::Values(FirthMode::Fallback, FirthMode::Always, FirthMode::Never));

}  // namespace
}  // namespace genomap::test
