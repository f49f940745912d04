#include "genomap/popstats/qpadm.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "genomap/core/error.hpp"

namespace genomap {

using Eigen::MatrixXd;
using Eigen::VectorXd;

std::size_t F2Blocks::index_of(const std::string& name) const {
  for (std::size_t p = 0; p < pops.size(); ++p)
    if (pops[p] == name) return p;
  throw Error(fmt::format("qpadm: population '{}' has no samples", name));
}

F2Blocks f2_blocks_for(const F2Store& store, const std::vector<std::string>& names) {
  std::vector<std::uint32_t> idx;
  for (const auto& name : names) idx.push_back(store.index_of(name, "qpadm"));
  const std::size_t k = idx.size(), n = store.pop_ct(), full_blocks = store.block_ct;
  std::vector<char> common(store.variants.size(), 1);
  bool all_common = true;
  for (std::size_t v = 0; v < store.variants.size(); ++v)
    for (std::uint32_t p : idx)
      if (store.called[v * n + p] == 0) common[v] = 0, all_common = false;
  std::vector<double> weight(full_blocks, 0.0), sum(k * k * full_blocks, 0.0);
  for (std::size_t v = 0; v < store.variants.size(); ++v) weight[store.block_of_variant[v]] += common[v];
  if (all_common) {
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = a + 1; b < k; ++b) {
        const std::size_t i = std::min(idx[a], idx[b]), j = std::max(idx[a], idx[b]);
        const double* s = &store.f2_block_sum[store.pair_index(i, j) * full_blocks];
        std::copy(s, s + full_blocks, &sum[(a * k + b) * full_blocks]);
      }
  } else {
    // f2 per variant as fstats computes it: (a-b)^2 - h_A/n_A - h_B/n_B, on the common variants only.
    std::vector<double> p(k), nal(k), h(k);
    for (std::size_t v = 0; v < store.variants.size(); ++v) {
      if (!common[v]) continue;
      for (std::size_t a = 0; a < k; ++a) {
        const std::size_t c = v * n + idx[a];
        nal[a] = store.alleles(v, idx[a]);
        const double x = store.allele1[c];
        p[a] = x / nal[a];
        h[a] = x * (nal[a] - x) / (nal[a] * (nal[a] - 1));
      }
      const std::size_t blk = store.block_of_variant[v];
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = a + 1; b < k; ++b)
          sum[(a * k + b) * full_blocks + blk] +=
              (p[a] - p[b]) * (p[a] - p[b]) - h[a] / nal[a] - h[b] / nal[b];
    }
  }
  F2Blocks out;
  out.pops = names;
  std::vector<std::size_t> kept;
  for (std::size_t b = 0; b < full_blocks; ++b)
    if (weight[b] > 0) {
      kept.push_back(b);
      out.block_weight.push_back(weight[b]);
      out.snp_ct += static_cast<std::size_t>(weight[b]);  // weights count variants
    }
  out.block_ct = kept.size();
  out.f2.assign(k * k * out.block_ct, 0.0);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = a + 1; b < k; ++b)
      for (std::size_t t = 0; t < kept.size(); ++t) {
        const double mean = sum[(a * k + b) * full_blocks + kept[t]] / weight[kept[t]];
        out.f2[(a * k + b) * out.block_ct + t] = mean;
        out.f2[(b * k + a) * out.block_ct + t] = mean;
      }
  return out;
}

double chisq_upper_p(double chisq, double dof) {
  if (dof <= 0) return 1.0;
  if (!(chisq > 0)) return 1.0;
  // Regularized upper incomplete gamma Q(a, x) with a = dof/2, x = chisq/2: power series for x < a + 1,
  // else the continued fraction (evaluated by the modified Lentz method).
  const double a = dof / 2, x = chisq / 2;
  const double log_prefix = a * std::log(x) - x - std::lgamma(a);
  if (x < a + 1) {
    double term = 1.0 / a, sum = term;
    for (int i = 1; i < 10000 && std::abs(term) > std::abs(sum) * 1e-16; ++i) {
      term *= x / (a + i);
      sum += term;
    }
    return std::max(0.0, 1.0 - sum * std::exp(log_prefix));
  }
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, f = d;
  for (int i = 1; i < 10000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    f *= delta;
    if (std::abs(delta - 1) < 1e-16) break;
  }
  return std::exp(log_prefix) * f;
}

void check_qpadm_model(const std::string& target, const std::vector<std::string>& sources,
                       const std::vector<std::string>& rights) {
  if (sources.empty()) throw Error("qpadm: no source populations");
  for (const auto& s : sources)
    if (s == target) throw Error(fmt::format("qpadm: the target '{}' is also a source", target));
  for (const auto& r : rights)
    if (r == target) throw Error(fmt::format("qpadm: the target '{}' is also a right population", target));
  for (const auto& s : sources)
    for (const auto& r : rights)
      if (s == r) throw Error(fmt::format("qpadm: '{}' is both a source and a right population", s));
  std::set<std::string> seen;
  for (const auto* list : {&sources, &rights})
    for (const auto& p : *list)
      if (!seen.insert(p).second) throw Error(fmt::format("qpadm: population '{}' is named twice", p));
  if (rights.size() < sources.size() + 1)
    throw Error(fmt::format(
        "qpadm: {} right population{} for {} source{}; qpAdm needs at least {} (sources + 1)", rights.size(),
        rights.size() == 1 ? "" : "s", sources.size(), sources.size() == 1 ? "" : "s", sources.size() + 1));
}

namespace {

// The f4 matrix of lefts against rights, its value per block, leave-one-block-out values and jackknife
// covariance; x is vec(X) row by row: x[l * cols + r].
struct F4System {
  std::size_t rows = 0, cols = 0;
  VectorXd x;
  std::vector<VectorXd> leave_one_out;
  std::vector<double> weight;
  MatrixXd covariance;
  MatrixXd inverse;  // of the covariance with the ridge added twice (see QpadmOptions::fudge)
};

void add_ridge(MatrixXd& m, double fudge) { m.diagonal().array() += fudge * m.trace(); }

// Weighted delete-one-block jackknife covariance of a vector statistic (Busing, Meijer & van der Leeden
// 1999), the multivariate form of ratio_jackknife.
MatrixXd jackknife_covariance(const VectorXd& full, const std::vector<VectorXd>& loo,
                              const std::vector<double>& weight) {
  const std::size_t g = loo.size();
  double total = 0;
  for (double w : weight) total += w;
  VectorXd mean = VectorXd::Zero(full.size());
  for (std::size_t j = 0; j < g; ++j) mean += (full - loo[j]) + weight[j] / total * loo[j];
  MatrixXd cov = MatrixXd::Zero(full.size(), full.size());
  for (std::size_t j = 0; j < g; ++j) {
    const double h = total / weight[j];
    const VectorXd tau = h * full - (h - 1) * loo[j] - mean;
    cov += tau * tau.transpose() / (h - 1);
  }
  return cov / static_cast<double>(g);
}

// Oracle approximating shrinkage (Chen, Wiesel, Eldar & Hero 2010, eq. 23) of a p x p covariance S estimated
// from n effectively independent blocks, n = (sum w)^2 / sum w^2 for block weights w:
//   rho = min(1, ((1 - 2/p) tr(S^2) + tr(S)^2) / ((n + 1 - 2/p) tr(S^2) + (n + 1 - p) tr(S)^2 / p)),
//   S <- (1 - rho) S + rho (tr(S) / p) I,
// as ADMIXTOOLS 1 qpAdm/qpWave apply it with "oracle: YES".
void shrink_covariance(MatrixXd& s, const std::vector<double>& weight) {
  double sum = 0, sum_sq = 0;
  for (double w : weight) sum += w, sum_sq += w * w;
  const double n = sum * sum / sum_sq, p = static_cast<double>(s.rows());
  const double tr1 = s.trace(), tr2 = (s * s).trace();
  const double top = (1 - 2 / p) * tr2 + tr1 * tr1;
  const double bottom = (n + 1 - 2 / p) * tr2 + (n + 1 - p) * tr1 * tr1 / p;
  const double rho = std::min(top / bottom, 1.0);
  s *= 1 - rho;
  s.diagonal().array() += rho * tr1 / p;
}

F4System f4_system(const F2Blocks& f2, const std::vector<std::size_t>& left,
                   const std::vector<std::size_t>& right, const QpadmOptions& options) {
  F4System s;
  s.rows = left.size() - 1;
  s.cols = right.size() - 1;
  const std::size_t d = s.rows * s.cols, g = f2.block_ct;
  if (g < d + 1)
    throw Error(
        fmt::format("qpadm: the f4 covariance is singular: {} jackknife block{} for {} f4 statistics "
                    "(need more blocks than statistics; use more variants or a smaller --block-size)",
                    g, g == 1 ? "" : "s", d));
  MatrixXd per_block(d, g);
  for (std::size_t b = 0; b < g; ++b)
    for (std::size_t l = 0; l < s.rows; ++l)
      for (std::size_t r = 0; r < s.cols; ++r) {
        const std::size_t a = left[0], bb = left[l + 1], c = right[0], dd = right[r + 1];
        per_block(static_cast<Eigen::Index>(l * s.cols + r), static_cast<Eigen::Index>(b)) =
            (f2.at(a, dd, b) + f2.at(bb, c, b) - f2.at(a, c, b) - f2.at(bb, dd, b)) / 2;
      }
  const VectorXd w = Eigen::Map<const VectorXd>(f2.block_weight.data(), static_cast<Eigen::Index>(g));
  const double total = w.sum();
  const VectorXd sum = per_block * w;
  s.x = sum / total;
  s.weight = f2.block_weight;
  for (std::size_t b = 0; b < g; ++b)
    s.leave_one_out.push_back(
        (sum - w[static_cast<Eigen::Index>(b)] * per_block.col(static_cast<Eigen::Index>(b))) /
        (total - w[static_cast<Eigen::Index>(b)]));
  s.covariance = jackknife_covariance(s.x, s.leave_one_out, s.weight);
  const Eigen::SelfAdjointEigenSolver<MatrixXd> eig(s.covariance);
  if (eig.eigenvalues().minCoeff() <= 1e-10 * std::max(eig.eigenvalues().maxCoeff(), 0.0))
    throw Error(
        fmt::format("qpadm: the f4 covariance is singular ({} jackknife blocks for {} f4 statistics; "
                    "a population may be identical to another or the blocks too few)",
                    g, d));
  MatrixXd q = s.covariance;
  if (options.oracle_shrinkage)
    shrink_covariance(q, s.weight);
  else
    for (int i = 0; i < options.covariance_ridges; ++i) add_ridge(q, options.fudge);
  s.inverse = q.ldlt().solve(MatrixXd::Identity(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d)));
  return s;
}

// The ridge of each least-squares step: none with oracle shrinkage, which replaces both ridges in ADMIXTOOLS
// 1 (its qpAdm sets diagplus to 0 in oracle mode).
double step_ridge(const QpadmOptions& options) { return options.oracle_shrinkage ? 0.0 : options.fudge; }

struct LowRankFit {
  MatrixXd a, b;  // rows x rank, rank x cols
  double chisq = 0;
};

// Scales each row of B to root-mean-square 1 with a non-negative sum, A's columns inversely: AB is unchanged,
// and the ridge of the next least-squares step acts on factors of a fixed scale (as ADMIXTOOLS normalizes).
void normalize_factors(LowRankFit& fit) {
  for (Eigen::Index k = 0; k < fit.b.rows(); ++k) {
    double scale = std::sqrt(fit.b.row(k).squaredNorm() / static_cast<double>(fit.b.cols()));
    if (scale == 0) continue;
    if (fit.b.row(k).sum() < 0) scale = -scale;
    fit.b.row(k) /= scale;
    fit.a.col(k) *= scale;
  }
}

double weighted_residual(const VectorXd& x, const MatrixXd& fitted, const MatrixXd& inverse) {
  const VectorXd e = x - Eigen::Map<const VectorXd>(MatrixXd(fitted.transpose()).data(), x.size());
  return e.dot(inverse * e);
}

// Minimizes vec(X - AB)' Q^-1 vec(X - AB) by alternating generalized least squares, starting from `start`
// (or the truncated SVD of X). Each step solves the normal equations with the ridge `fudge` * trace.
LowRankFit fit_low_rank(const F4System& s, const VectorXd& x, std::size_t rank, double fudge,
                        const LowRankFit* start) {
  const auto m = static_cast<Eigen::Index>(s.rows), n = static_cast<Eigen::Index>(s.cols);
  const auto r = static_cast<Eigen::Index>(rank);
  LowRankFit fit;
  if (rank == 0) {
    fit.chisq = x.dot(s.inverse * x);
    return fit;
  }
  if (start) {
    fit = *start;
  } else {
    const MatrixXd xm = Eigen::Map<const MatrixXd>(x.data(), n, m).transpose();
    const Eigen::JacobiSVD<MatrixXd> svd(xm, Eigen::ComputeFullU | Eigen::ComputeFullV);
    fit.a = svd.matrixU().leftCols(r) * svd.singularValues().head(r).asDiagonal();
    fit.b = svd.matrixV().leftCols(r).transpose();
    normalize_factors(fit);
  }
  double previous = std::numeric_limits<double>::infinity();
  for (int iter = 0; iter < 200; ++iter) {
    // vec(AB)[l*n + c] = sum_k A(l,k) B(k,c): linear in B with design D_A[(l,c), (k,c)] = A(l,k) ...
    MatrixXd design = MatrixXd::Zero(m * n, r * n);
    for (Eigen::Index l = 0; l < m; ++l)
      for (Eigen::Index c = 0; c < n; ++c)
        for (Eigen::Index k = 0; k < r; ++k) design(l * n + c, k * n + c) = fit.a(l, k);
    MatrixXd normal = design.transpose() * s.inverse * design;
    add_ridge(normal, fudge);
    VectorXd bv = normal.ldlt().solve(design.transpose() * s.inverse * x);
    for (Eigen::Index k = 0; k < r; ++k)
      for (Eigen::Index c = 0; c < n; ++c) fit.b(k, c) = bv[k * n + c];
    normalize_factors(fit);
    // ... and linear in A with design D_B[(l,c), (l,k)] = B(k,c).
    design = MatrixXd::Zero(m * n, m * r);
    for (Eigen::Index l = 0; l < m; ++l)
      for (Eigen::Index c = 0; c < n; ++c)
        for (Eigen::Index k = 0; k < r; ++k) design(l * n + c, l * r + k) = fit.b(k, c);
    normal = design.transpose() * s.inverse * design;
    add_ridge(normal, fudge);
    VectorXd av = normal.ldlt().solve(design.transpose() * s.inverse * x);
    for (Eigen::Index l = 0; l < m; ++l)
      for (Eigen::Index k = 0; k < r; ++k) fit.a(l, k) = av[l * r + k];
    fit.chisq = weighted_residual(x, fit.a * fit.b, s.inverse);
    if (previous - fit.chisq <= 1e-12 * std::max(1.0, fit.chisq)) break;
    previous = fit.chisq;
  }
  return fit;
}

// Weights w with w' A = 0 and sum 1 (the left null space of A); one source: weight 1.
std::vector<double> mixture_weights(const LowRankFit& fit, std::size_t sources) {
  if (sources == 1) return {1.0};
  const auto m = static_cast<Eigen::Index>(sources);
  MatrixXd system(fit.a.cols() + 1, m);
  system.topRows(fit.a.cols()) = fit.a.transpose();
  system.row(fit.a.cols()).setOnes();
  VectorXd rhs = VectorXd::Zero(system.rows());
  rhs[system.rows() - 1] = 1;
  const VectorXd w = system.completeOrthogonalDecomposition().solve(rhs);
  return std::vector<double>(w.data(), w.data() + w.size());
}

std::vector<std::size_t> indices(const F2Blocks& blocks, const std::string& first,
                                 const std::vector<std::string>& rest) {
  std::vector<std::size_t> out{blocks.index_of(first)};
  for (const auto& name : rest) out.push_back(blocks.index_of(name));
  return out;
}

QpadmModel fit_model(const F2Blocks& blocks, const std::string& target,
                     const std::vector<std::string>& sources, const std::vector<std::string>& rights,
                     const QpadmOptions& options, bool with_se) {
  const std::vector<std::string> rest(rights.begin() + 1, rights.end());
  const F4System s =
      f4_system(blocks, indices(blocks, target, sources), indices(blocks, rights[0], rest), options);
  const std::size_t rank = sources.size() - 1;
  const LowRankFit fit = fit_low_rank(s, s.x, rank, step_ridge(options), nullptr);
  QpadmModel model;
  model.sources = sources;
  model.rights = rights;
  model.chisq = fit.chisq;
  model.dof = (s.rows - rank) * (s.cols - rank);
  model.p = chisq_upper_p(model.chisq, static_cast<double>(model.dof));
  model.weights = mixture_weights(fit, sources.size());
  model.feasible =
      std::all_of(model.weights.begin(), model.weights.end(), [](double w) { return w >= 0 && w <= 1; });
  if (with_se && sources.size() > 1) {
    std::vector<VectorXd> loo;
    for (const auto& x : s.leave_one_out) {
      const LowRankFit f = fit_low_rank(s, x, rank, step_ridge(options), &fit);
      const auto w = mixture_weights(f, sources.size());
      loo.push_back(Eigen::Map<const VectorXd>(w.data(), static_cast<Eigen::Index>(w.size())));
    }
    const VectorXd full =
        Eigen::Map<const VectorXd>(model.weights.data(), static_cast<Eigen::Index>(sources.size()));
    const MatrixXd cov = jackknife_covariance(full, loo, s.weight);
    for (Eigen::Index i = 0; i < cov.rows(); ++i) model.se.push_back(std::sqrt(cov(i, i)));
  } else if (with_se) {
    model.se = {0.0};
  }
  return model;
}

}  // namespace

std::vector<RankTest> qpwave(const F2Blocks& blocks, const std::vector<std::string>& lefts,
                             const std::vector<std::string>& rights, const QpadmOptions& options) {
  const std::vector<std::string> lrest(lefts.begin() + 1, lefts.end()),
      rrest(rights.begin() + 1, rights.end());
  const F4System s =
      f4_system(blocks, indices(blocks, lefts[0], lrest), indices(blocks, rights[0], rrest), options);
  std::vector<RankTest> tests;
  const std::size_t full = std::min(s.rows, s.cols);
  for (std::size_t r = 0; r <= full; ++r) {
    RankTest t;
    t.rank = r;
    t.dof = (s.rows - r) * (s.cols - r);
    t.chisq = t.dof == 0 ? 0.0 : fit_low_rank(s, s.x, r, step_ridge(options), nullptr).chisq;
    t.p = chisq_upper_p(t.chisq, static_cast<double>(t.dof));
    tests.push_back(t);
  }
  for (std::size_t r = 0; r + 1 < tests.size(); ++r) {
    RankTest& t = tests[r];
    t.has_next = true;
    t.dof_diff = t.dof - tests[r + 1].dof;
    t.chisq_diff = t.chisq - tests[r + 1].chisq;
    t.p_diff = chisq_upper_p(t.chisq_diff, static_cast<double>(t.dof_diff));
  }
  return tests;
}

QpadmResult qpadm(const F2Blocks& blocks, const std::string& target, const std::vector<std::string>& sources,
                  const std::vector<std::string>& rights, const QpadmOptions& options) {
  check_qpadm_model(target, sources, rights);
  QpadmResult result;
  result.target = target;
  result.sources = sources;
  result.rights = rights;
  result.snp_ct = blocks.snp_ct;
  result.block_ct = blocks.block_ct;
  std::vector<std::string> lefts{target};
  lefts.insert(lefts.end(), sources.begin(), sources.end());
  result.ranks = qpwave(blocks, lefts, rights, options);
  result.model = fit_model(blocks, target, sources, rights, options, options.standard_errors);
  if (sources.size() > 1)
    for (std::size_t drop = 0; drop < sources.size(); ++drop) {
      std::vector<std::string> fewer;
      for (std::size_t i = 0; i < sources.size(); ++i)
        if (i != drop) fewer.push_back(sources[i]);
      result.nested.push_back(fit_model(blocks, target, fewer, rights, options, false));
    }
  return result;
}

std::vector<QpadmModel> qpadm_rotate(const F2Blocks& blocks, const std::string& target,
                                     const std::vector<std::string>& pool,
                                     const std::vector<std::string>& fixed_rights, std::size_t max_sources,
                                     const QpadmOptions& options) {
  std::vector<QpadmModel> models;
  const std::size_t n = pool.size();
  // Subsets of the pool by bit mask, smallest first; pools are small (2^n masks, n <= 24 checked by caller).
  for (std::size_t size = 1; size <= std::min(max_sources, n); ++size)
    for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
      if (static_cast<std::size_t>(__builtin_popcountll(mask)) != size) continue;
      std::vector<std::string> sources, rights = fixed_rights;
      for (std::size_t i = 0; i < n; ++i) ((mask >> i) & 1 ? sources : rights).push_back(pool[i]);
      if (rights.size() < sources.size() + 1) continue;
      check_qpadm_model(target, sources, rights);
      models.push_back(fit_model(blocks, target, sources, rights, options,
                                 options.standard_errors && options.rotate_standard_errors));
    }
  std::stable_sort(models.begin(), models.end(),
                   [](const QpadmModel& a, const QpadmModel& b) { return a.p > b.p; });
  return models;
}

}  // namespace genomap

namespace genomap {

namespace {
std::string number(double x) { return std::isfinite(x) ? fmt::format("{:.8g}", x) : "nan"; }
std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}
}  // namespace

void write_rank_tests(std::FILE* f, const std::vector<RankTest>& ranks) {
  fmt::print(f, "#RANK\tDOF\tCHISQ\tP\tDOF_DIFF\tCHISQ_DIFF\tP_DIFF\n");
  for (const auto& t : ranks) {
    fmt::print(f, "{}\t{}\t{}\t{}", t.rank, t.dof, number(t.chisq), number(t.p));
    if (t.has_next)
      fmt::print(f, "\t{}\t{}\t{}\n", t.dof_diff, number(t.chisq_diff), number(t.p_diff));
    else
      fmt::print(f, "\t.\t.\t.\n");
  }
}

void write_qpadm_weights(std::FILE* f, const QpadmResult& r) {
  fmt::print(f, "#TARGET\tSOURCE\tWEIGHT\tSE\tZ\n");
  for (std::size_t i = 0; i < r.sources.size(); ++i) {
    const double se = i < r.model.se.size() ? r.model.se[i] : std::numeric_limits<double>::quiet_NaN();
    fmt::print(f, "{}\t{}\t{}\t{}\t{}\n", r.target, r.sources[i], number(r.model.weights[i]), number(se),
               number(r.model.weights[i] / se));
  }
}

void write_qpadm_models(std::FILE* f, const std::string& target, const std::vector<QpadmModel>& models,
                        const QpadmModel* full) {
  fmt::print(f, "#TARGET\tSOURCES\tRIGHTS\tN_SOURCES\tDOF\tCHISQ\tP\tFEASIBLE\tWEIGHTS\tSE{}\n",
             full ? "\tCHISQ_DIFF\tP_DIFF" : "");
  for (const auto& m : models) {
    std::vector<std::string> w, se;
    for (double x : m.weights) w.push_back(number(x));
    for (double x : m.se) se.push_back(number(x));
    fmt::print(f, "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", target, join(m.sources), join(m.rights),
               m.sources.size(), m.dof, number(m.chisq), number(m.p), m.feasible ? "yes" : "no", join(w),
               se.empty() ? std::string(".") : join(se));
    if (full) {
      if (&m == full) {
        fmt::print(f, "\t.\t.\n");
      } else {
        const double diff = m.chisq - full->chisq;
        fmt::print(f, "\t{}\t{}\n", number(diff),
                   number(chisq_upper_p(diff, static_cast<double>(m.dof) - static_cast<double>(full->dof))));
      }
    } else {
      fmt::print(f, "\n");
    }
  }
}

}  // namespace genomap
