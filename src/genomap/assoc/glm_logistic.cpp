// Logistic regression for glm: a batched Newton-Raphson (IRLS) over blocks of variants, in which every step's
// heavy products (linear predictors, Hessian blocks, gradients) are BLAS matrix products shared by all
// variants of the batch, and a dense Firth-penalized fit for the variants that need it.
#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "genomap/assoc/distributions.hpp"
#include "genomap/assoc/glm_internal.hpp"
#include "genomap/core/thread_scope.hpp"

namespace genomap::glm_detail {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr int kMaxIterations = 30;
constexpr double kStepTolerance = 1e-9;
constexpr double kDivergence = 1e4;  // |coefficient| beyond this: separation, not a fit

double logistic(double eta) {
  return eta >= 0 ? 1.0 / (1.0 + std::exp(-eta)) : std::exp(eta) / (1.0 + std::exp(eta));
}

void fill_wald(GlmVariantResult& r, double beta, double variance) {
  r.beta = beta;
  r.se = std::sqrt(variance);
  r.stat = beta / r.se;
  r.p = normal_two_sided_p(r.stat);
}

// Dense Firth fit of one variant on its observed samples.
void firth_variant(const PreparedPhenotype& ph, const double* g, const std::vector<std::uint32_t>& missing,
                   std::size_t n_all, GlmVariantResult& r) {
  const Eigen::Index k1 = ph.x.cols();
  Eigen::MatrixXd x(r.obs_ct, k1 + 1);
  Eigen::VectorXd y(r.obs_ct);
  Eigen::Index row = 0;
  std::size_t next_missing = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    if (next_missing < missing.size() && missing[next_missing] == i) {
      ++next_missing;
      continue;
    }
    if (ph.mask[i] == 0) continue;
    x.row(row).head(k1) = ph.x.row(static_cast<Eigen::Index>(i));
    x(row, k1) = g[i];
    y[row++] = ph.y[static_cast<Eigen::Index>(i)];
  }
  Eigen::VectorXd beta(k1 + 1);
  beta.head(k1) = ph.null_beta;
  beta[k1] = 0;
  Eigen::MatrixXd cov;
  r.firth = true;
  if (!firth_newton(x, y, beta, cov)) {
    r.error = GlmErrcode::FirthConvergeFail;
    return;
  }
  fill_wald(r, beta[k1], cov(k1, k1));
}

// Work arrays of one thread's batches (reused across batches).
struct BatchWorkspace {
  RowMatrix gs, obs, w, wr, hcc, hcg, beta, bc;
  Eigen::VectorXd hgg, grad_g;
  std::vector<char> done;
};

// Batched Newton-Raphson (IRLS) of the variants `active` from the covariate-only fit: each iteration's linear
// predictors, covariate Hessian blocks (weights x pairwise covariate products) and gradients are matrix
// products shared by the batch. Single-threaded; converged and failed variants are compacted away.
void newton_batch(const PreparedPhenotype& ph, const double* g, std::size_t n_all,
                  const std::vector<std::vector<std::uint32_t>>& missing, std::vector<std::uint32_t> active,
                  BatchWorkspace& ws, GlmVariantResult* results) {
  const Eigen::Index k1 = ph.x.cols();
  const Eigen::Index pairs = ph.x_pairs.cols();
  const int n = static_cast<int>(n_all);
  RowMatrix &gs = ws.gs, &obs = ws.obs, &w = ws.w, &wr = ws.wr, &hcc = ws.hcc, &hcg = ws.hcg, &beta = ws.beta,
            &bc = ws.bc;
  const Eigen::Index a0 = static_cast<Eigen::Index>(active.size());
  gs.resize(a0, n);
  obs.resize(a0, n);
  beta.resize(a0, k1 + 1);
  for (Eigen::Index r = 0; r < a0; ++r) {
    const std::uint32_t v = active[static_cast<std::size_t>(r)];
    gs.row(r) = Eigen::Map<const Eigen::RowVectorXd>(g + static_cast<std::size_t>(v) * n_all, n);
    obs.row(r) = Eigen::Map<const Eigen::RowVectorXd>(ph.mask.data(), n);
    for (std::uint32_t i : missing[v]) obs(r, i) = 0;
    beta.row(r).head(k1) = ph.null_beta.transpose();
    beta(r, k1) = 0;
  }
  // The work arrays are sized once per batch: the a variants still running use their top rows (row-major, so
  // those rows are contiguous and the products below take `a` as their row count). Resizing them as a shrinks
  // reallocated megabytes per iteration, and the page faults cost more than the arithmetic.
  w.resize(a0, n);       // linear predictor, then IRLS weights
  wr.resize(2 * a0, n);  // rows 0..a-1: weight * g; rows a..2a-1: residual y - p
  hcc.resize(a0, pairs);
  hcg.resize(2 * a0, k1);
  ws.hgg.resize(a0);
  ws.grad_g.resize(a0);
  Eigen::Index a = a0;
  for (int it = 0; it < kMaxIterations && a > 0; ++it) {
    // eta = B_c X' (+ beta_g g below)
    bc = beta.leftCols(k1);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(a), n, static_cast<int>(k1), 1.0,
                bc.data(), static_cast<int>(k1), ph.x.data(), n, 0.0, w.data(), n);
    for (Eigen::Index r = 0; r < a; ++r) {
      double sgg = 0, sg = 0;
      const double bg = beta(r, k1);
      double* wrow = w.row(r).data();
      double* wgrow = wr.row(r).data();
      double* rrow = wr.row(a + r).data();
      const double* orow = obs.row(r).data();
      const double* grow = gs.row(r).data();
      const double* y = ph.y.data();
      for (int i = 0; i < n; ++i) {
        const double gi = grow[i];
        const double p = logistic(wrow[i] + bg * gi);
        const double wi = orow[i] * p * (1 - p);
        const double ri = orow[i] * (y[i] - p);
        wrow[i] = wi;
        wgrow[i] = wi * gi;
        rrow[i] = ri;
        sgg += wi * gi * gi;
        sg += ri * gi;
      }
      ws.hgg[r] = sgg;
      ws.grad_g[r] = sg;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(a), static_cast<int>(pairs), n,
                1.0, w.data(), n, ph.x_pairs.data(), static_cast<int>(pairs), 0.0, hcc.data(),
                static_cast<int>(pairs));
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(2 * a), static_cast<int>(k1), n,
                1.0, wr.data(), n, ph.x.data(), n, 0.0, hcg.data(), static_cast<int>(k1));
    ws.done.assign(static_cast<std::size_t>(a), 0);
    Eigen::MatrixXd h(k1 + 1, k1 + 1);
    Eigen::VectorXd grad(k1 + 1), step;
    Eigen::LLT<Eigen::MatrixXd> llt(k1 + 1);
    for (Eigen::Index r = 0; r < a; ++r) {
      for (Eigen::Index i = 0, t = 0; i < k1; ++i)
        for (Eigen::Index j = i; j < k1; ++j, ++t) h(i, j) = h(j, i) = hcc(r, t);
      for (Eigen::Index i = 0; i < k1; ++i) h(i, k1) = h(k1, i) = hcg(r, i);
      h(k1, k1) = ws.hgg[r];
      grad.head(k1) = hcg.row(a + r).transpose();
      grad[k1] = ws.grad_g[r];
      GlmVariantResult& res = results[active[static_cast<std::size_t>(r)]];
      llt.compute(h);
      if (llt.info() == Eigen::Success) step = llt.solve(grad);
      if (llt.info() != Eigen::Success || !step.allFinite()) {
        res.error = GlmErrcode::LogisticConvergeFail;
        ws.done[static_cast<std::size_t>(r)] = 1;
        continue;
      }
      beta.row(r) += step.transpose();
      if (beta.row(r).cwiseAbs().maxCoeff() > kDivergence) {
        res.error = GlmErrcode::LogisticConvergeFail;
        ws.done[static_cast<std::size_t>(r)] = 1;
      } else if (step.cwiseAbs().maxCoeff() < kStepTolerance) {
        const Eigen::VectorXd e = llt.solve(Eigen::VectorXd::Unit(k1 + 1, k1));
        fill_wald(res, beta(r, k1), e[k1]);
        ws.done[static_cast<std::size_t>(r)] = 1;
      }
    }
    // Compact the still-running variants to the top rows.
    Eigen::Index kept = 0;
    for (Eigen::Index r = 0; r < a; ++r) {
      if (ws.done[static_cast<std::size_t>(r)]) continue;
      if (kept != r) {
        gs.row(kept) = gs.row(r);
        obs.row(kept) = obs.row(r);
        beta.row(kept) = beta.row(r);
        active[static_cast<std::size_t>(kept)] = active[static_cast<std::size_t>(r)];
      }
      ++kept;
    }
    a = kept;
    active.resize(static_cast<std::size_t>(a));
  }
  for (std::uint32_t v : active) results[v].error = GlmErrcode::LogisticConvergeFail;
}

}  // namespace

bool logistic_newton(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, Eigen::VectorXd& beta,
                     Eigen::MatrixXd& cov, int max_iterations) {
  const Eigen::Index n = x.rows(), k = x.cols();
  for (int it = 0; it < max_iterations; ++it) {
    Eigen::VectorXd eta = x * beta;
    Eigen::VectorXd w(n), resid(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double p = logistic(eta[i]);
      w[i] = p * (1 - p);
      resid[i] = y[i] - p;
    }
    Eigen::MatrixXd h = x.transpose() * w.asDiagonal() * x;
    Eigen::LLT<Eigen::MatrixXd> llt(h);
    if (llt.info() != Eigen::Success) return false;
    Eigen::VectorXd step = llt.solve(x.transpose() * resid);
    if (!step.allFinite()) return false;
    beta += step;
    if (beta.cwiseAbs().maxCoeff() > kDivergence) return false;
    if (step.cwiseAbs().maxCoeff() < kStepTolerance) {
      cov = llt.solve(Eigen::MatrixXd::Identity(k, k));
      return true;
    }
  }
  return false;
}

bool firth_newton(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, Eigen::VectorXd& beta,
                  Eigen::MatrixXd& cov) {
  const Eigen::Index n = x.rows(), k = x.cols();
  // Penalized log-likelihood l(b) + 1/2 log det I(b), with the state needed for the next step.
  struct State {
    double loglik = 0;
    Eigen::VectorXd p, w;
    Eigen::LLT<Eigen::MatrixXd> llt;
  };
  auto evaluate = [&](const Eigen::VectorXd& b, State& s) {
    Eigen::VectorXd eta = x * b;
    s.p.resize(n);
    s.w.resize(n);
    double ll = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double p = logistic(eta[i]);
      s.p[i] = p;
      s.w[i] = p * (1 - p);
      // log p or log(1-p), computed without overflow
      const double e = y[i] > 0.5 ? -eta[i] : eta[i];
      ll -= e > 30 ? e + std::log1p(std::exp(-e)) : std::log1p(std::exp(e));
    }
    s.llt.compute(x.transpose() * s.w.asDiagonal() * x);
    if (s.llt.info() != Eigen::Success) return false;
    const auto& l = s.llt.matrixLLT();
    double logdet = 0;
    for (Eigen::Index j = 0; j < k; ++j) logdet += 2 * std::log(l(j, j));
    s.loglik = ll + 0.5 * logdet;
    return std::isfinite(s.loglik);
  };
  State cur;
  if (!evaluate(beta, cur)) return false;
  for (int it = 0; it < 200; ++it) {
    // Hat diagonal h_i = w_i x_i' I^-1 x_i; modified score U* = X'(y - p + h (1/2 - p)) (Firth 1993).
    Eigen::MatrixXd solved = cur.llt.solve(x.transpose());  // k x n
    Eigen::VectorXd score_resid(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double h = cur.w[i] * x.row(i).dot(solved.col(i));
      score_resid[i] = y[i] - cur.p[i] + h * (0.5 - cur.p[i]);
    }
    const Eigen::VectorXd score = x.transpose() * score_resid;
    Eigen::VectorXd step = cur.llt.solve(score);
    if (!step.allFinite()) return false;
    const double max_step = step.cwiseAbs().maxCoeff();
    if (max_step > 5.0) step *= 5.0 / max_step;  // logistf's maxstep
    const double max_score = score.cwiseAbs().maxCoeff();
    if (max_step < 1e-10 || max_score < 1e-9) {
      cov = cur.llt.solve(Eigen::MatrixXd::Identity(k, k));
      return true;
    }
    // The step ignores the curvature of the penalty and can overshoot (even into a 2-cycle), so it is halved
    // until the penalized log-likelihood strictly increases.
    State next;
    Eigen::VectorXd trial = beta + step;
    int halvings = 0;
    while ((!evaluate(trial, next) || !(next.loglik > cur.loglik)) && halvings < 40) {
      step *= 0.5;
      trial = beta + step;
      ++halvings;
    }
    if (halvings == 40) {
      // No ascent left at double precision: accept when the score is already negligible.
      if (max_score < 1e-5) {
        cov = cur.llt.solve(Eigen::MatrixXd::Identity(k, k));
        return true;
      }
      return false;
    }
    beta = trial;
    cur = std::move(next);
    if (beta.cwiseAbs().maxCoeff() > kDivergence) return false;
  }
  return false;
}

void logistic_block(const PreparedPhenotype& ph, const double* g, std::size_t n_all,
                    const std::vector<std::vector<std::uint32_t>>& missing,
                    const std::vector<std::uint32_t>& pending, const GlmOptions& options, int threads,
                    GlmVariantResult* results) {
  // Separation on the tested allele: no A1 dosage among cases or all of it (plink2 skips straight to Firth).
  std::vector<std::uint32_t> newton, firth;
  for (std::uint32_t v : pending) {
    const double* row = g + static_cast<std::size_t>(v) * n_all;
    double total = 0, cases = 0;
    for (std::size_t i = 0; i < n_all; ++i) {
      total += row[i] * ph.mask[i];
      cases += row[i] * ph.y[static_cast<Eigen::Index>(i)];
    }
    const bool separated = cases == 0 || cases == total;
    if (options.firth == FirthMode::Always || (separated && options.firth == FirthMode::Fallback))
      firth.push_back(v);
    else if (separated)
      results[v].error = GlmErrcode::Separation;
    else
      newton.push_back(v);
  }
  // Threads work on whole batches of variants: each runs the complete Newton-Raphson of its batch with its
  // own work arrays and single-threaded BLAS (run_glm keeps OpenBLAS at one thread), so there is one parallel
  // region per block and no OpenBLAS threads spinning against the OpenMP ones. Batches are small enough that
  // the per-sample work arrays stay in a few MB, and there are several per thread for balance.
  const std::size_t per_thread =
      (newton.size() + 4 * static_cast<std::size_t>(threads) - 1) / (4 * static_cast<std::size_t>(threads));
  const std::size_t batch = std::clamp<std::size_t>(
      std::min((std::size_t{1} << 21) / std::max<std::size_t>(n_all, 1), per_thread), 16, 256);
  const std::size_t batch_ct = (newton.size() + batch - 1) / batch;
  {
    const ThreadScope single_threaded_blas(threads, 1);
#pragma omp parallel num_threads(threads)
    {
      // Kept per thread from block to block (OpenMP's threads live on), so its megabytes are not mapped anew
      // for every block.
      static thread_local BatchWorkspace ws;
#pragma omp for schedule(dynamic, 1)
      for (std::size_t b = 0; b < batch_ct; ++b) {
        const auto first = newton.begin() + static_cast<std::ptrdiff_t>(b * batch);
        const auto last =
            newton.begin() + static_cast<std::ptrdiff_t>(std::min(newton.size(), (b + 1) * batch));
        newton_batch(ph, g, n_all, missing, std::vector<std::uint32_t>(first, last), ws, results);
      }
    }
  }
  // Failed fits fall back to Firth (plink2's firth-fallback); without fallback they keep their error code.
  for (std::uint32_t v : newton)
    if (results[v].error == GlmErrcode::LogisticConvergeFail && options.firth == FirthMode::Fallback) {
      results[v].error = GlmErrcode::None;
      firth.push_back(v);
    }
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (std::size_t f = 0; f < firth.size(); ++f) {
    const std::uint32_t v = firth[f];
    firth_variant(ph, g + static_cast<std::size_t>(v) * n_all, missing[v], n_all, results[v]);
  }
}

}  // namespace genomap::glm_detail
