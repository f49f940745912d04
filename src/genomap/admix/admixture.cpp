#include "genomap/admix/admixture.hpp"

#include <cblas.h>
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/core/thread_scope.hpp"
#include "genomap/geno/kernels.hpp"

namespace genomap {
namespace {

constexpr double kFreqBound =
    1e-5;  // P is kept in [kFreqBound, 1 - kFreqBound] (ADMIXTURE uses the same idea)
constexpr double kQBound = 1e-5;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The cross-validation fold of genotype (sample, variant).
std::size_t fold_of(std::uint64_t seed, std::size_t folds, std::size_t sample_idx, std::size_t variant_idx) {
  return splitmix64(seed ^ (static_cast<std::uint64_t>(variant_idx) << 24) ^ sample_idx) % folds;
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

// Runs work(first, count) over [0, m) in ranges of `block`, dealt to the threads round-robin. Used where
// every range writes its own outputs (no sums across ranges), so the thread count cannot change a result.
template <typename Work>
void parallel_ranges(std::size_t m, std::size_t block, int threads, Work&& work) {
  const std::size_t blocks = (m + block - 1) / block;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (std::ptrdiff_t t = 0; t < static_cast<std::ptrdiff_t>(blocks); ++t) {
    const std::size_t first = static_cast<std::size_t>(t) * block;
    work(first, std::min(block, m - first));
  }
}

// Sums over variants (the EM statistics, the log-likelihood, products with the genotypes) are kept in
// kSumLanes partial sums: range r is added to lane r % kSumLanes, each lane is summed by one thread in range
// order, and the caller adds the lanes in lane order. Neither the ranges nor the lanes depend on the thread
// count, so --threads 1, 2 or 7 give the same bits. Sixteen lanes balance 1, 2, 4, 8 and 16 threads exactly
// (7 threads: 3 or 2 lanes each).
constexpr std::size_t kSumLanes = 16;

template <typename Work>
void parallel_lanes(std::size_t m, std::size_t block, int threads, Work&& work) {
  const std::size_t blocks = (m + block - 1) / block;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (std::ptrdiff_t lane = 0; lane < static_cast<std::ptrdiff_t>(kSumLanes); ++lane)
    for (std::size_t b = static_cast<std::size_t>(lane); b < blocks; b += kSumLanes) {
      const std::size_t first = b * block;
      work(static_cast<std::size_t>(lane), first, std::min(block, m - first));
    }
}

// What one fit runs on: the genotypes, optional per-variant multiplicities (bootstrap) and fixed populations
// (supervised), and the per-thread workspaces of the EM sweeps.
struct Fit {
  const AdmixGenotypes& genotypes;
  const std::vector<double>* weight = nullptr;
  const std::vector<int>* fixed = nullptr;
  const Context& ctx;
  std::vector<double> qt;              // K x n_pad
  std::vector<std::vector<double>> s;  // per sum lane, K x n_pad
  std::size_t passes = 0;              // EM sweeps over the data

  Fit(const AdmixGenotypes& g, const Context& c) : genotypes(g), ctx(c) {}
};

// One EM update (q, p) -> (next_q, next_p), one sweep over the data. Returns the log-likelihood of (q, p)
// when `log_likelihood` is set (else 0).
double em_step(Fit& f, const RowMatrix& q, const RowMatrix& p, RowMatrix& next_q, RowMatrix& next_p,
               bool log_likelihood) {
  const AdmixGenotypes& g = f.genotypes;
  const std::size_t n = g.sample_ct, n_pad = g.padded_samples(), k = static_cast<std::size_t>(q.cols());
  const std::size_t count = g.variant_ct;
  const int threads = std::max(1, f.ctx.threads);
  f.qt.assign(k * n_pad, 1.0 / static_cast<double>(k));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < k; ++c)
      f.qt[c * n_pad + i] = q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c));
  f.s.resize(kSumLanes);
  for (auto& s : f.s) s.assign(k * n_pad, 0.0);
  next_p.resize(p.rows(), p.cols());  // the sweep writes every row
  EmSweep sweep;
  sweep.genotypes = &g;
  sweep.k = k;
  sweep.qt = f.qt.data();
  sweep.p = p.data();
  sweep.weight = f.weight ? f.weight->data() : nullptr;
  sweep.log_likelihood = log_likelihood;
  const std::size_t block = std::clamp<std::size_t>(count / (kSumLanes * 4), 64, 1024);
  std::vector<double> ll(kSumLanes, 0.0);
  parallel_lanes(count, block, threads, [&](std::size_t lane, std::size_t first, std::size_t ct) {
    ll[lane] += em_sweep(sweep, nullptr, first, ct, next_p.data(), f.s[lane].data());
  });
  for (std::size_t t = 1; t < f.s.size(); ++t)
    for (std::size_t x = 0; x < k * n_pad; ++x) f.s[0][x] += f.s[t][x];
  const std::vector<double>& s = f.s[0];
  next_q.resize(q.rows(), q.cols());
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    double total = 0.0;
    for (std::size_t c = 0; c < k; ++c) total += q(r, static_cast<Eigen::Index>(c)) * s[c * n_pad + i];
    for (std::size_t c = 0; c < k; ++c) {
      const auto cc = static_cast<Eigen::Index>(c);
      next_q(r, cc) = total > 0 ? q(r, cc) * s[c * n_pad + i] / total : q(r, cc);
    }
  }
  project_parameters(next_q, next_p, f.fixed);
  ++f.passes;
  return std::accumulate(ll.begin(), ll.end(), 0.0);
}

struct AccelOutcome {
  std::size_t passes = 0;
  double log_likelihood = -std::numeric_limits<double>::infinity();
  bool converged = false;
  std::vector<double> trace;
  std::vector<std::size_t> trace_passes;  // data passes and seconds when each trace entry was taken
  std::vector<double> trace_seconds;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  void record(double ll, std::size_t passes_so_far) {
    trace.push_back(ll);
    trace_passes.push_back(passes_so_far);
    trace_seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
};

// Quasi-Newton-accelerated EM (Zhou, Alexander & Lange 2011, the acceleration ADMIXTURE uses by default) from
// (q, p) until the log-likelihood gain falls below the tolerance or the pass budget is spent. With F the EM
// map and the last `secants` pairs u = F(x) - x, v = F(F(x)) - F(x) as columns of U and V, the step is
// x' = F(x) + V (U^T (U - V))^-1 U^T u, projected onto the constraints; a step that does not raise the
// log-likelihood above that of F(x) is replaced by F(F(x)). Updates q, p in place.

Eigen::VectorXd pack(const RowMatrix& q, const RowMatrix& p) {
  Eigen::VectorXd x(q.size() + p.size());
  x.head(q.size()) = Eigen::Map<const Eigen::VectorXd>(q.data(), q.size());
  x.tail(p.size()) = Eigen::Map<const Eigen::VectorXd>(p.data(), p.size());
  return x;
}

void unpack(const Eigen::VectorXd& x, RowMatrix& q, RowMatrix& p) {
  Eigen::Map<Eigen::VectorXd>(q.data(), q.size()) = x.head(q.size());
  Eigen::Map<Eigen::VectorXd>(p.data(), p.size()) = x.tail(p.size());
}

AccelOutcome run_accelerated(Fit& f, RowMatrix& q, RowMatrix& p, double tolerance, std::size_t max_passes,
                             std::size_t secants) {
  AccelOutcome out;
  const std::size_t start_passes = f.passes;
  const auto used = [&] { return f.passes - start_passes; };
  RowMatrix fq, fp, ffq, ffp, qa = q, pa = p;
  double ll = em_step(f, q, p, fq, fp, true);  // ll of x = (q, p); (fq, fp) = F(x)
  double previous = -std::numeric_limits<double>::infinity();
  // The secant pairs in a ring, with their Gram matrices U^T U and U^T V kept up to date (3 dot products per
  // pair and iteration instead of all of them).
  const std::size_t slots = std::max<std::size_t>(1, secants);
  std::vector<Eigen::VectorXd> us(slots), vs(slots);
  Eigen::MatrixXd uu =
      Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(slots), static_cast<Eigen::Index>(slots));
  Eigen::MatrixXd uv = uu;
  std::size_t stored = 0, next_slot = 0;
  const std::string phase = fmt::format("admix K={}: data passes (at most {})", q.cols(), max_passes);
  while (true) {
    f.ctx.report(phase, used(), max_passes);
    out.record(ll, used());
    if (std::abs(ll - previous) < tolerance) {
      out.converged = true;
      break;
    }
    previous = ll;
    if (used() + 2 > max_passes) break;
    em_step(f, fq, fp, ffq, ffp, false);  // (ffq, ffp) = F(F(x))
    const Eigen::VectorXd fx = pack(fq, fp);
    const auto s = static_cast<Eigen::Index>(next_slot);
    us[next_slot] = fx - pack(q, p);
    vs[next_slot] = pack(ffq, ffp) - fx;
    next_slot = (next_slot + 1) % slots;
    stored = std::min(stored + 1, slots);
    const auto m = static_cast<Eigen::Index>(stored);
    for (Eigen::Index a = 0; a < m; ++a) {
      const auto sa = static_cast<std::size_t>(a);
      uu(a, s) = uu(s, a) = us[sa].dot(us[static_cast<std::size_t>(s)]);
      uv(a, s) = us[sa].dot(vs[static_cast<std::size_t>(s)]);
      uv(s, a) = us[static_cast<std::size_t>(s)].dot(vs[sa]);
    }
    const Eigen::MatrixXd system = uu.topLeftCorner(m, m) - uv.topLeftCorner(m, m);
    const Eigen::VectorXd c = system.colPivHouseholderQr().solve(uu.col(s).head(m));
    Eigen::VectorXd xa = fx;
    for (Eigen::Index a = 0; a < m; ++a) xa += c(a) * vs[static_cast<std::size_t>(a)];
    unpack(xa, qa, pa);
    project_parameters(qa, pa, f.fixed);
    RowMatrix nq, np;
    const double lla =
        c.allFinite() ? em_step(f, qa, pa, nq, np, true) : -std::numeric_limits<double>::infinity();
    if (std::isfinite(lla) && lla >= ll) {
      q.swap(qa);
      p.swap(pa);
      fq.swap(nq);
      fp.swap(np);
      ll = lla;
    } else {
      q.swap(ffq);
      p.swap(ffp);
      if (used() + 1 > max_passes) {
        ll = admixture_log_likelihood(f.genotypes, q, p, f.ctx);
        break;
      }
      ll = em_step(f, q, p, fq, fp, true);
    }
  }
  out.log_likelihood = ll;
  out.passes = used();
  return out;
}

// ---- Block relaxation with Newton steps (Alexander, Novembre & Lange 2009) ----
// Alternates a P update given Q (per variant, one Newton step on the log-likelihood in p_j inside the box
// [kFreqBound, 1 - kFreqBound], safeguarded: step halving, then the EM step) and a Q update given P (per
// sample, one Newton step on the simplex, safeguarded by the better of it and the EM step, never below the
// old q_i). Each update reads the data once; the Q update needs a second read to evaluate its candidates.

// Decodes variant j into allele-1 counts (-1 missing).
void decode_counts(const AdmixGenotypes& g, std::size_t j, double* out) {
  const std::uint64_t* row = g.row(j);
  for (std::size_t i = 0; i < g.sample_ct; ++i) {
    const unsigned code = static_cast<unsigned>(row[i / 32] >> (2 * (i % 32))) & 3u;
    out[i] = code == 0 ? 2.0 : code == 2 ? 1.0 : code == 3 ? 0.0 : -1.0;
  }
}

// Maximises grad.d - d^T A d / 2 over x + d in [lo, hi] (A positive definite) by an active set: variables
// that leave the box are fixed at the bound and the rest re-solved.
Eigen::VectorXd box_newton(const Eigen::MatrixXd& a, const Eigen::VectorXd& grad, const Eigen::VectorXd& x,
                           double lo, double hi) {
  const Eigen::Index k = x.size();
  std::vector<int> state(static_cast<std::size_t>(k), 0);  // 0 free, -1 at lo, +1 at hi
  Eigen::VectorXd d = Eigen::VectorXd::Zero(k);
  for (Eigen::Index round = 0; round <= k; ++round) {
    std::vector<Eigen::Index> free;
    for (Eigen::Index c = 0; c < k; ++c) {
      const int s = state[static_cast<std::size_t>(c)];
      if (s == 0)
        free.push_back(c);
      else
        d(c) = (s < 0 ? lo : hi) - x(c);
    }
    if (free.empty()) break;
    const auto f = static_cast<Eigen::Index>(free.size());
    Eigen::MatrixXd af(f, f);
    Eigen::VectorXd rhs(f);
    for (Eigen::Index r = 0; r < f; ++r) {
      rhs(r) = grad(free[static_cast<std::size_t>(r)]);
      for (Eigen::Index c = 0; c < k; ++c)
        if (state[static_cast<std::size_t>(c)] != 0) rhs(r) -= a(free[static_cast<std::size_t>(r)], c) * d(c);
      for (Eigen::Index c = 0; c < f; ++c)
        af(r, c) = a(free[static_cast<std::size_t>(r)], free[static_cast<std::size_t>(c)]);
    }
    const Eigen::VectorXd df = af.ldlt().solve(rhs);
    bool changed = false;
    for (Eigen::Index r = 0; r < f; ++r) {
      const Eigen::Index c = free[static_cast<std::size_t>(r)];
      d(c) = df(r);
      if (x(c) + d(c) < lo)
        state[static_cast<std::size_t>(c)] = -1, changed = true;
      else if (x(c) + d(c) > hi)
        state[static_cast<std::size_t>(c)] = 1, changed = true;
    }
    if (!changed) break;
  }
  for (Eigen::Index c = 0; c < k; ++c) d(c) = std::clamp(x(c) + d(c), lo, hi) - x(c);
  return d;
}

// Maximises grad.d - d^T A d / 2 over sum d = 0, x + d >= lo (the simplex with a floor), by an active set.
Eigen::VectorXd simplex_newton(const Eigen::MatrixXd& a, const Eigen::VectorXd& grad,
                               const Eigen::VectorXd& x, double lo) {
  const Eigen::Index k = x.size();
  std::vector<bool> bound(static_cast<std::size_t>(k), false);
  Eigen::VectorXd d = Eigen::VectorXd::Zero(k);
  for (Eigen::Index round = 0; round <= k; ++round) {
    std::vector<Eigen::Index> free;
    double fixed_sum = 0.0;
    for (Eigen::Index c = 0; c < k; ++c) {
      if (!bound[static_cast<std::size_t>(c)])
        free.push_back(c);
      else
        d(c) = lo - x(c), fixed_sum += d(c);
    }
    if (free.empty()) return Eigen::VectorXd::Zero(k);
    const auto f = static_cast<Eigen::Index>(free.size());
    Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(f + 1, f + 1);
    Eigen::VectorXd rhs(f + 1);
    for (Eigen::Index r = 0; r < f; ++r) {
      const Eigen::Index cr = free[static_cast<std::size_t>(r)];
      rhs(r) = grad(cr);
      for (Eigen::Index c = 0; c < k; ++c)
        if (bound[static_cast<std::size_t>(c)]) rhs(r) -= a(cr, c) * d(c);
      for (Eigen::Index c = 0; c < f; ++c) kkt(r, c) = a(cr, free[static_cast<std::size_t>(c)]);
      kkt(r, f) = kkt(f, r) = 1.0;
    }
    rhs(f) = -fixed_sum;
    const Eigen::VectorXd sol = kkt.fullPivLu().solve(rhs);
    bool changed = false;
    for (Eigen::Index r = 0; r < f; ++r) {
      const Eigen::Index c = free[static_cast<std::size_t>(r)];
      d(c) = sol(r);
      if (x(c) + d(c) < lo) bound[static_cast<std::size_t>(c)] = true, changed = true;
    }
    if (!changed) break;
  }
  return d.allFinite() ? d : Eigen::VectorXd::Zero(k);
}

// Log-likelihood of one variant's counts at p (K) under Q (row-major N x K).
double variant_loglik(const double* counts, const RowMatrix& q, const double* pj, std::size_t k) {
  double total = 0.0;
  for (Eigen::Index i = 0; i < q.rows(); ++i) {
    const double gv = counts[i];
    if (gv < 0) continue;
    const double* qi = q.data() + i * static_cast<Eigen::Index>(k);
    double h = 0.0;
    for (std::size_t c = 0; c < k; ++c) h += qi[c] * pj[c];
    total += gv * std::log(h) + (2.0 - gv) * std::log(1.0 - h);
  }
  return total;
}

// The P update given Q; returns the log-likelihood at (Q, P_new).
double newton_p_update(Fit& f, const RowMatrix& q, RowMatrix& p) {
  const AdmixGenotypes& g = f.genotypes;
  const std::size_t k = static_cast<std::size_t>(q.cols()), m = g.variant_ct;
  const auto kk = static_cast<Eigen::Index>(k);
  std::vector<double> ll_var(m, 0.0);
  parallel_ranges(m, 64, std::max(1, f.ctx.threads), [&](std::size_t first, std::size_t ct) {
    std::vector<double> counts(g.sample_ct);
    Eigen::MatrixXd a(kk, kk);
    Eigen::VectorXd grad(kk), t1(kk), t2(kk), x(kk), trial(kk);
    for (std::size_t j = first; j < first + ct; ++j) {
      const double w = f.weight ? (*f.weight)[j] : 1.0;
      if (w == 0.0) continue;
      decode_counts(g, j, counts.data());
      double* pj = p.data() + j * k;
      a.setZero();
      grad.setZero();
      t1.setZero();
      t2.setZero();
      double ll = 0.0;
      for (std::size_t i = 0; i < g.sample_ct; ++i) {
        const double gv = counts[i];
        if (gv < 0) continue;
        const double* qi = q.data() + i * k;
        double h = 0.0;
        for (std::size_t c = 0; c < k; ++c) h += qi[c] * pj[c];
        const double r = 1.0 - h, ai = gv / h, bi = (2.0 - gv) / r, w2 = ai / h + bi / r;
        ll += gv * std::log(h) + (2.0 - gv) * std::log(r);
        for (std::size_t c = 0; c < k; ++c) {
          const auto cc = static_cast<Eigen::Index>(c);
          grad(cc) += (ai - bi) * qi[c];
          t1(cc) += ai * qi[c];
          t2(cc) += bi * qi[c];
          for (std::size_t e = c; e < k; ++e) a(cc, static_cast<Eigen::Index>(e)) += w2 * qi[c] * qi[e];
        }
      }
      a = a.selfadjointView<Eigen::Upper>();
      a.diagonal().array() += 1e-10 * (a.trace() / static_cast<double>(k) + 1e-300);
      x = Eigen::Map<const Eigen::VectorXd>(pj, kk);
      Eigen::VectorXd d = box_newton(a, grad, x, kFreqBound, 1.0 - kFreqBound);
      double best = ll;
      bool accepted = false;
      for (int halving = 0; halving < 4 && d.allFinite(); ++halving, d *= 0.5) {
        trial = x + d;
        const double lt = variant_loglik(counts.data(), q, trial.data(), k);
        if (lt >= ll) {
          std::copy(trial.data(), trial.data() + kk, pj);
          best = lt;
          accepted = true;
          break;
        }
      }
      if (!accepted) {  // the EM step of P given Q, which cannot lower the log-likelihood
        for (std::size_t c = 0; c < k; ++c) {
          const auto cc = static_cast<Eigen::Index>(c);
          const double num = x(cc) * t1(cc), den = num + (1.0 - x(cc)) * t2(cc);
          trial(cc) = std::clamp(den > 0 ? num / den : x(cc), kFreqBound, 1.0 - kFreqBound);
        }
        const double lt = variant_loglik(counts.data(), q, trial.data(), k);
        if (lt >= ll) {
          std::copy(trial.data(), trial.data() + kk, pj);
          best = lt;
        }
      }
      ll_var[j] = w * best;
    }
  });
  ++f.passes;
  return std::accumulate(ll_var.begin(), ll_var.end(), 0.0);
}

// The Q update given P: one read accumulates per sample the gradient, Hessian and EM terms; a second
// evaluates the Newton and EM candidates per sample and keeps the better (the EM step never lowers it).
void newton_q_update(Fit& f, RowMatrix& q, const RowMatrix& p) {
  const AdmixGenotypes& g = f.genotypes;
  const std::size_t n = g.sample_ct, m = g.variant_ct, k = static_cast<std::size_t>(q.cols());
  const auto kk = static_cast<Eigen::Index>(k);
  const std::size_t tri = k * (k + 1) / 2, stride = 2 * k + tri;  // grad, EM numerators, Hessian triangle
  const int threads = std::max(1, f.ctx.threads);
  const std::size_t block = std::clamp<std::size_t>(m / (kSumLanes * 4), 16, 1024);
  std::vector<std::vector<double>> lanes(kSumLanes, std::vector<double>(n * stride, 0.0));
  parallel_lanes(m, block, threads, [&](std::size_t lane, std::size_t first, std::size_t ct) {
    std::vector<double> counts(n);
    double* acc = lanes[lane].data();
    for (std::size_t j = first; j < first + ct; ++j) {
      const double w = f.weight ? (*f.weight)[j] : 1.0;
      if (w == 0.0) continue;
      decode_counts(g, j, counts.data());
      const double* pj = p.data() + j * k;
      for (std::size_t i = 0; i < n; ++i) {
        const double gv = counts[i];
        if (gv < 0) continue;
        const double* qi = q.data() + i * k;
        double h = 0.0;
        for (std::size_t c = 0; c < k; ++c) h += qi[c] * pj[c];
        const double r = 1.0 - h, ai = w * gv / h, bi = w * (2.0 - gv) / r, w2 = ai / h + bi / r;
        double* s = acc + i * stride;
        std::size_t t = 2 * k;
        for (std::size_t c = 0; c < k; ++c) {
          s[c] += (ai - bi) * pj[c];
          s[k + c] += ai * pj[c] + bi * (1.0 - pj[c]);
          for (std::size_t e = c; e < k; ++e) s[t++] += w2 * pj[c] * pj[e];
        }
      }
    }
  });
  for (std::size_t lane = 1; lane < kSumLanes; ++lane)
    for (std::size_t x = 0; x < n * stride; ++x) lanes[0][x] += lanes[lane][x];
  const std::vector<double>& acc = lanes[0];
  // Candidates: Newton (qn) and EM (qe).
  RowMatrix qn = q, qe = q;
  for (std::size_t i = 0; i < n; ++i) {
    const auto ri = static_cast<Eigen::Index>(i);
    if (f.fixed && (*f.fixed)[i] >= 0) continue;
    const double* s = acc.data() + i * stride;
    Eigen::MatrixXd a(kk, kk);
    Eigen::VectorXd grad(kk), x = q.row(ri).transpose();
    std::size_t t = 2 * k;
    double total = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
      grad(static_cast<Eigen::Index>(c)) = s[c];
      total += x(static_cast<Eigen::Index>(c)) * s[k + c];
      for (std::size_t e = c; e < k; ++e)
        a(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(e)) =
            a(static_cast<Eigen::Index>(e), static_cast<Eigen::Index>(c)) = s[t++];
    }
    a.diagonal().array() += 1e-10 * (a.trace() / static_cast<double>(k) + 1e-300);
    const Eigen::VectorXd d = simplex_newton(a, grad, x, kQBound);
    qn.row(ri) = (x + d).transpose();
    qn.row(ri) /= qn.row(ri).sum();
    if (total > 0)
      for (std::size_t c = 0; c < k; ++c)
        qe(ri, static_cast<Eigen::Index>(c)) =
            std::max(kQBound, x(static_cast<Eigen::Index>(c)) * s[k + c] / total);
    qe.row(ri) /= qe.row(ri).sum();
  }
  // Per-sample log-likelihoods of the old q and both candidates.
  std::vector<std::vector<double>> sample_ll(kSumLanes, std::vector<double>(3 * n, 0.0));
  parallel_lanes(m, block, threads, [&](std::size_t lane, std::size_t first, std::size_t ct) {
    std::vector<double> counts(n);
    double* out = sample_ll[lane].data();
    for (std::size_t j = first; j < first + ct; ++j) {
      const double w = f.weight ? (*f.weight)[j] : 1.0;
      if (w == 0.0) continue;
      decode_counts(g, j, counts.data());
      const double* pj = p.data() + j * k;
      for (std::size_t i = 0; i < n; ++i) {
        const double gv = counts[i];
        if (gv < 0) continue;
        const RowMatrix* cands[3] = {&q, &qn, &qe};
        for (int v = 0; v < 3; ++v) {
          const double* qi = cands[v]->data() + i * k;
          double h = 0.0;
          for (std::size_t c = 0; c < k; ++c) h += qi[c] * pj[c];
          out[3 * i + static_cast<std::size_t>(v)] += w * (gv * std::log(h) + (2.0 - gv) * std::log(1.0 - h));
        }
      }
    }
  });
  for (std::size_t lane = 1; lane < kSumLanes; ++lane)
    for (std::size_t x = 0; x < 3 * n; ++x) sample_ll[0][x] += sample_ll[lane][x];
  for (std::size_t i = 0; i < n; ++i) {
    const double* l = sample_ll[0].data() + 3 * i;
    const auto ri = static_cast<Eigen::Index>(i);
    if (l[1] >= l[0] && l[1] >= l[2])
      q.row(ri) = qn.row(ri);
    else if (l[2] >= l[0])
      q.row(ri) = qe.row(ri);
  }
  f.passes += 2;
}

AccelOutcome run_block_relaxation(Fit& f, RowMatrix& q, RowMatrix& p, double tolerance,
                                  std::size_t max_passes) {
  AccelOutcome out;
  const std::size_t start_passes = f.passes;
  const auto used = [&] { return f.passes - start_passes; };
  double previous = -std::numeric_limits<double>::infinity();
  const std::string phase = fmt::format("admix K={}: data passes (at most {})", q.cols(), max_passes);
  while (true) {
    f.ctx.report(phase, used(), max_passes);
    const double ll = newton_p_update(f, q, p);
    out.record(ll, used());
    out.log_likelihood = ll;
    if (std::abs(ll - previous) < tolerance) {
      out.converged = true;
      break;
    }
    previous = ll;
    if (used() + 3 > max_passes) break;
    newton_q_update(f, q, p);
  }
  out.passes = used();
  return out;
}

void random_start(std::size_t n, std::size_t m, std::size_t k, std::mt19937_64& rng, RowMatrix& q,
                  RowMatrix& p, const std::vector<int>* fixed) {
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
// frequency matrix Pi (N x M, Pi_ij = E[g_ij] / 2) from a randomized SVD of the centred genotypes (Halko et
// al. 2011, with power iterations), then alternating least squares Pi ~ Q P^T with Q on the simplex and P in
// (0, 1), done on the low-rank factors so that each step costs O((N + M) K^2).
void svd_als_start(const AdmixGenotypes& g, std::size_t k, std::mt19937_64& rng, const Context& ctx,
                   RowMatrix& q, RowMatrix& p, const std::vector<int>* fixed) {
  const std::size_t n = g.sample_ct, m = g.variant_ct;
  const std::size_t rank = k - 1, width = std::min<std::size_t>(k + 10, std::min(n, m));
  const std::size_t block =
      std::clamp<std::size_t>((std::size_t{8} << 20) / std::max<std::size_t>(n * 8, 1), 16, 1024);
  const ThreadScope single_threaded_blas(ctx.threads, 1);
  // Allele-1 frequencies.
  std::vector<double> freq(m, 0.0);
  parallel_ranges(m, block, ctx.threads, [&](std::size_t first, std::size_t ct) {
    for (std::size_t j = first; j < first + ct; ++j) {
      const GenotypeCounts c = count_genotypes(g.row(j), n);
      freq[j] = c.called() ? c.allele1_count() / (2.0 * c.called()) : 0.5;
    }
  });
  // One pass: Z_b = X_b Y (nb x width) stored for all blocks, and Y_next = sum_b X_b^T Z_b.
  RowMatrix y(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(width));
  RowMatrix z(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(width));
  std::normal_distribution<double> normal;
  for (Eigen::Index j = 0; j < z.size(); ++j) z.data()[j] = normal(rng);
  auto centred_block = [&](std::size_t first, std::size_t ct, std::vector<double>& xt) {
    xt.resize(ct * n);
    for (std::size_t v = 0; v < ct; ++v) {
      double* x = xt.data() + v * n;
      decode_allele1_dosage(g.row(first + v), n, std::numeric_limits<double>::quiet_NaN(), x);
      const double mean = 2.0 * freq[first + v];
      for (std::size_t i = 0; i < n; ++i) x[i] = std::isnan(x[i]) ? 0.0 : x[i] - mean;
    }
  };
  auto multiply_xt = [&](const RowMatrix& right_m, RowMatrix& out_n) {  // out_n = sum_b X_b^T right_b
    std::vector<RowMatrix> partial(
        kSumLanes, RowMatrix::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(width)));
    parallel_lanes(m, block, ctx.threads, [&](std::size_t lane, std::size_t first, std::size_t ct) {
      thread_local std::vector<double> xt;
      centred_block(first, ct, xt);
      RowMatrix& acc = partial[lane];
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<blasint>(n),
                  static_cast<blasint>(width), static_cast<blasint>(ct), 1.0, xt.data(),
                  static_cast<blasint>(n), right_m.data() + first * width, static_cast<blasint>(width), 1.0,
                  acc.data(), static_cast<blasint>(width));
    });
    out_n.setZero();
    for (const auto& part : partial) out_n += part;
  };
  auto multiply_x = [&](const RowMatrix& right_n, RowMatrix& out_m) {  // out_m rows = X_b right_n
    parallel_ranges(m, block, ctx.threads, [&](std::size_t first, std::size_t ct) {
      thread_local std::vector<double> xt;
      centred_block(first, ct, xt);
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(ct),
                  static_cast<blasint>(width), static_cast<blasint>(n), 1.0, xt.data(),
                  static_cast<blasint>(n), right_n.data(), static_cast<blasint>(width), 0.0,
                  out_m.data() + first * width, static_cast<blasint>(width));
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
    Eigen::MatrixXd pm =
        right * (left.transpose() * q) * qtq.ldlt().solve(Eigen::MatrixXd::Identity(qtq.rows(), qtq.cols()));
    p = pm;
    p = p.cwiseMax(kFreqBound).cwiseMin(1.0 - kFreqBound);
    Eigen::MatrixXd ptp = p.transpose() * p;
    RowMatrix previous = q;
    q = left * (right.transpose() * p) * ptp.ldlt().solve(Eigen::MatrixXd::Identity(ptp.rows(), ptp.cols()));
    project_parameters(q, p, fixed);
    if ((q - previous).cwiseAbs().maxCoeff() < 1e-5) break;
  }
}

void validate(const AdmixGenotypes& g, const AdmixOptions& o) {
  if (o.k < 2) throw UsageError(fmt::format("--k must be at least 2 (got {})", o.k));
  if (o.k >= g.sample_ct)
    throw Error(fmt::format("--k {} must be smaller than the number of samples ({})", o.k, g.sample_ct));
  if (!o.fixed_population.empty() && o.fixed_population.size() != g.sample_ct)
    throw Error("supervised population labels do not cover every sample");
  if (!(o.tolerance > 0)) throw UsageError("--tol must be positive");
}

}  // namespace

double admixture_log_likelihood(const AdmixGenotypes& g, const RowMatrix& q, const RowMatrix& p,
                                const Context& ctx) {
  Fit f(g, ctx);
  RowMatrix nq, np;
  return em_step(f, q, p, nq, np, true);
}

AdmixResult fit_admixture(const AdmixGenotypes& g, const AdmixOptions& o, const Context& ctx) {
  validate(g, o);
  Fit f(g, ctx);
  if (!o.fixed_population.empty()) f.fixed = &o.fixed_population;
  std::mt19937_64 rng(ctx.seed);
  AdmixResult best;
  best.log_likelihood = -std::numeric_limits<double>::infinity();
  std::size_t passes = 0;
  const std::size_t starts = std::max<std::size_t>(1, o.random_starts);
  for (std::size_t s = 0; s < starts; ++s) {
    RowMatrix q, p;
    svd_als_start(g, o.k, rng, ctx, q, p, f.fixed);
    passes += 10;  // the randomized SVD's passes over the data
    if (starts == 1) {
      best.q = std::move(q);
      best.p = std::move(p);
      break;
    }
    auto outcome = run_accelerated(f, q, p, o.tolerance, 2 * o.start_iterations, o.secants);
    passes += outcome.passes;
    ctx.note(fmt::format("admix K={} start {}: log-likelihood {:.6f} after {} passes", o.k, s + 1,
                         outcome.log_likelihood, outcome.passes));
    if (outcome.log_likelihood > best.log_likelihood) {
      best.q = std::move(q);
      best.p = std::move(p);
      best.log_likelihood = outcome.log_likelihood;
    }
  }
  auto outcome = o.algorithm == AdmixAlgorithm::Newton
                     ? run_block_relaxation(f, best.q, best.p, o.tolerance, o.max_iterations)
                     : run_accelerated(f, best.q, best.p, o.tolerance, o.max_iterations, o.secants);
  best.log_likelihood = outcome.log_likelihood;
  best.converged = outcome.converged;
  best.iterations = passes + outcome.passes;
  best.log_likelihood_trace = outcome.trace;
  for (std::size_t t = 0; t < outcome.trace.size(); ++t)
    ctx.note(fmt::format("admix K={} iteration {}: log-likelihood {:.6f} ({} passes, {:.2f} s)", o.k, t + 1,
                         outcome.trace[t], outcome.trace_passes[t], outcome.trace_seconds[t]));
  ctx.note(fmt::format("admix K={}: log-likelihood {:.6f}, {} data passes, {}", o.k, best.log_likelihood,
                       best.iterations, best.converged ? "converged" : "NOT converged (raise --max-iter)"));
  return best;
}

double admixture_cross_validation(const AdmixGenotypes& g, const AdmixOptions& o, const AdmixResult& full,
                                  std::size_t folds, const Context& ctx) {
  if (folds < 2) throw UsageError(fmt::format("--cv must be at least 2 (got {})", folds));
  const std::size_t n = g.sample_ct, m = g.variant_ct;
  const std::uint64_t seed = splitmix64(ctx.seed + 7919);
  ctx.memory.require(g.words.size() * 8, "admixture cross-validation: a masked copy of the genotypes");
  double deviance = 0.0;
  std::size_t masked = 0;
  for (std::size_t fold = 0; fold < folds; ++fold) {
    // The genotypes with this fold set to missing.
    AdmixGenotypes train = g;
    parallel_ranges(m, 256, ctx.threads, [&](std::size_t first, std::size_t ct) {
      for (std::size_t j = first; j < first + ct; ++j) {
        std::uint64_t* row = train.row(j);
        for (std::size_t i = 0; i < n; ++i) {
          if (fold_of(seed, folds, i, j) != fold) continue;
          const unsigned shift = 2 * (i % 32);
          row[i / 32] = (row[i / 32] & ~(std::uint64_t{3} << shift)) | (std::uint64_t{1} << shift);
        }
      }
    });
    Fit f(train, ctx);
    if (!o.fixed_population.empty()) f.fixed = &o.fixed_population;
    RowMatrix q = full.q, p = full.p;
    run_accelerated(f, q, p, o.tolerance, o.max_iterations, o.secants);
    // Deviance of the held-out genotypes under the refitted model.
    std::vector<double> lane_dev(kSumLanes, 0.0);
    std::vector<std::size_t> lane_count(kSumLanes, 0);
    parallel_lanes(m, 64, ctx.threads, [&](std::size_t lane, std::size_t first, std::size_t ct) {
      for (std::size_t j = first; j < first + ct; ++j) {
        for (std::size_t i = 0; i < n; ++i) {
          const unsigned code = genotype_code(g.row(j), i);
          if (code == 1 || fold_of(seed, folds, i, j) != fold) continue;
          const double x = code == 0 ? 2.0 : (code == 2 ? 1.0 : 0.0);
          const double h =
              std::clamp(q.row(static_cast<Eigen::Index>(i)).dot(p.row(static_cast<Eigen::Index>(j))), 1e-12,
                         1.0 - 1e-12);
          const double mu = 2.0 * h;
          double d = 0.0;
          if (x > 0) d += x * std::log(x / mu);
          if (x < 2) d += (2.0 - x) * std::log((2.0 - x) / (2.0 - mu));
          lane_dev[lane] += 2.0 * d;
          ++lane_count[lane];
        }
      }
    });
    for (std::size_t lane = 0; lane < kSumLanes; ++lane) {
      deviance += lane_dev[lane];
      masked += lane_count[lane];
    }
  }
  return masked ? deviance / static_cast<double>(masked) : 0.0;
}

RowMatrix admixture_bootstrap_se(const AdmixGenotypes& g, const AdmixOptions& o, const AdmixResult& full,
                                 std::size_t replicates, std::size_t block_variants, const Context& ctx) {
  const std::size_t m = g.variant_ct;
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
      for (std::size_t j = chosen * block_variants; j < std::min(m, (chosen + 1) * block_variants); ++j)
        weight[j] += 1;
    }
    Fit f(g, ctx);
    f.weight = &weight;
    if (!o.fixed_population.empty()) f.fixed = &o.fixed_population;
    RowMatrix q = full.q, p = full.p;
    run_accelerated(f, q, p, o.tolerance, o.max_iterations, o.secants);
    sum += q;
    sum_sq += q.cwiseProduct(q);
    ctx.note(fmt::format("bootstrap replicate {} of {} done", r + 1, replicates));
  }
  const double b = static_cast<double>(replicates);
  RowMatrix var = (sum_sq - sum.cwiseProduct(sum) / b) / std::max(1.0, b - 1.0);
  return var.cwiseMax(0.0).cwiseSqrt();
}

}  // namespace genomap
