#include "genomap/pca/projection.hpp"

#include <cblas.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "genomap/core/error.hpp"
#include "genomap/core/thread_scope.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/pca/standardized_panel.hpp"

namespace genomap {
namespace {

using Eigen::Index;

void read_weights(const std::string& path, ReferencePca& ref) {
  LineReader in(path);
  std::string line;
  if (!in.next(line)) in.fail("empty file; expected a genomap pca --var-wts .eigenvec.var");
  const auto header = split_whitespace(line);
  if (header.size() < 6 || header[0] != "#CHROM" || header[1] != "ID" || header[2] != "MAJ" ||
      header[3] != "NONMAJ" || header.back() != "NONMAJ_FREQ")
    in.fail("header must be #CHROM ID MAJ NONMAJ PC1.. NONMAJ_FREQ (written by genomap pca --var-wts)");
  const std::size_t k = header.size() - 5;
  std::vector<double> weights;
  while (in.next(line)) {
    const auto f = split_whitespace(line);
    if (f.empty()) continue;
    if (f.size() != header.size()) in.fail(fmt::format("expected {} columns, found {}", header.size(), f.size()));
    ReferenceVariant v{std::string(f[1]), std::string(f[2]), std::string(f[3]), 0.0};
    for (std::size_t j = 0; j < k; ++j) {
      double w = 0;
      if (!parse_double(f[4 + j], w)) in.fail(fmt::format("bad weight '{}'", f[4 + j]));
      weights.push_back(w);
    }
    const auto freq = f.back();
    if (freq == "NaN" || freq == "nan") v.nonmajor_frequency = std::nan("");
    else if (!parse_double(freq, v.nonmajor_frequency)) in.fail(fmt::format("bad frequency '{}'", freq));
    ref.variants.push_back(std::move(v));
  }
  if (ref.variants.empty()) in.fail("no variants");
  ref.weights = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      weights.data(), static_cast<Index>(ref.variants.size()), static_cast<Index>(k));
}

std::string normalized_allele(const std::string& a) { return a == "0" || a == "." ? std::string() : a; }
bool same_allele(const std::string& a, const std::string& b) {
  const auto x = normalized_allele(a), y = normalized_allele(b);
  return x.empty() || y.empty() || x == y;
}

}  // namespace

ReferencePca read_reference_pca(const std::string& prefix) {
  ReferencePca ref;
  read_weights(prefix + ".eigenvec.var", ref);
  const auto k = ref.weights.cols();
  {
    LineReader in(prefix + ".eigenval");
    std::string line;
    std::vector<double> values;
    while (in.next(line)) {
      const auto f = split_whitespace(line);
      if (f.empty()) continue;
      double x = 0;
      if (f.size() != 1 || !parse_double(f[0], x) || !(x > 0)) in.fail("expected one positive eigenvalue per line");
      values.push_back(x);
    }
    if (static_cast<Index>(values.size()) < k)
      throw Error(in.path(), 0, fmt::format("{} eigenvalues for {} PCs in the .eigenvec.var", values.size(), k));
    ref.eigenvalues = Eigen::Map<Eigen::VectorXd>(values.data(), k);
  }
  LineReader in(prefix + ".eigenvec");
  std::string line;
  while (in.next(line))
    if (!line.empty() && line[0] != '#') ++ref.sample_ct;
  if (ref.sample_ct < 2) throw Error(in.path(), 0, "the reference PCA needs at least 2 samples");
  return ref;
}

double asymptotic_shrinkage(double eigenvalue, std::size_t sample_ct, std::size_t variant_ct, double noise) {
  const double c = static_cast<double>(variant_ct) / static_cast<double>(sample_ct);
  const double mu = c * eigenvalue / noise;
  double spike = std::sqrt(c);
  const double b = mu - 1.0 - c;
  if (b * b > 4.0 * c && b > 0) spike = std::max(spike, (b + std::sqrt(b * b - 4.0 * c)) / 2.0);
  const double out_of_sample = 1.0 + spike * (1.0 - c / (spike * spike)) / (1.0 + c / spike);
  return std::sqrt(out_of_sample / mu);
}

double noise_variance(const ReferencePca& ref) {
  // The relationship matrix has trace ~N (standardized genotypes), so the N - K eigenvalues not reported share
  // N - sum(top K); that mean is the noise variance of the spiked model.
  const double n = static_cast<double>(ref.sample_ct), k = static_cast<double>(ref.eigenvalues.size());
  if (n <= k) return 1.0;
  return std::clamp((n - ref.eigenvalues.sum()) / (n - k), 0.05, 1.0);
}

ProjectionResult project_samples(const Dataset& target, const ReferencePca& ref, const ProjectionOptions& options,
                                 const Context& ctx) {
  ProjectionResult out;
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t r = 0; r < ref.variants.size(); ++r) by_id.emplace(ref.variants[r].id, r);
  const Index k = ref.weights.cols();
  // The matched variants as a dataset, with the reference frequencies and scaled weights on target allele 1.
  Dataset matched{target.store, target.samples, {}};
  std::vector<double> freq;
  std::vector<double> rows;  // matched x K, row-major: weights * sqrt(lambda)
  const Eigen::VectorXd root = ref.eigenvalues.cwiseSqrt();
  for (std::size_t v = 0; v < target.variant_ct(); ++v) {
    const Variant& t = target.variant(v);
    auto it = by_id.find(t.id);
    if (it == by_id.end()) { ++out.absent; continue; }
    const ReferenceVariant& r = ref.variants[it->second];
    double sign;
    if (same_allele(t.allele1, r.nonmajor) && same_allele(t.allele2, r.major)) sign = 1.0;
    else if (same_allele(t.allele1, r.major) && same_allele(t.allele2, r.nonmajor)) { sign = -1.0; ++out.flipped; }
    else { ++out.allele_mismatch; continue; }
    matched.variant_uidx.push_back(target.variant_uidx[v]);
    freq.push_back(sign > 0 ? r.nonmajor_frequency : 1.0 - r.nonmajor_frequency);
    for (Index j = 0; j < k; ++j) rows.push_back(sign * ref.weights(static_cast<Index>(it->second), j) * root[j]);
  }
  out.matched = matched.variant_ct();
  ctx.note(fmt::format("project: {} variants matched the reference ({} with swapped alleles), {} allele "
                       "mismatches skipped, {} not in the reference; the reference has {}",
                       out.matched, out.flipped, out.allele_mismatch, out.absent, ref.variants.size()));
  if (out.matched == 0) throw Error("no variants shared between the reference PCA and the target fileset");
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> b(
      rows.data(), static_cast<Index>(out.matched), k);
  const Eigen::MatrixXd b_col = b;  // column-major for BLAS
  const auto n = static_cast<int>(target.sample_ct());
  Eigen::MatrixXd numer = Eigen::MatrixXd::Zero(n, k);
  const Eigen::MatrixXd gram_all = b_col.transpose() * b_col;
  Eigen::MatrixXd gram_missing = Eigen::MatrixXd::Zero(k * k, n);  // per sample, the missing variants' B^T B
  out.observed.assign(static_cast<std::size_t>(n), out.matched);
  const ThreadScope threads(ctx.threads);
  for_each_standardized_panel(matched, freq, ctx, "projecting", [&](const StandardizedPanel& p) {
    const auto cols = static_cast<int>(p.variant_ct);
    const double* bp = b_col.data() + p.first_variant_idx;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, static_cast<int>(k), cols, 1.0, p.values, n, bp,
                static_cast<int>(b_col.rows()), 1.0, numer.data(), n);
    for (std::size_t v = 0; v < p.variant_ct; ++v) {
      const std::uint64_t* row = p.block->row(v);
      const Eigen::VectorXd bv = b_col.row(static_cast<Index>(p.first_variant_idx + v)).transpose();
      const Eigen::MatrixXd outer = bv * bv.transpose();
      for (std::size_t w = 0; w < p.block->words_per_row(); ++w) {
        std::uint64_t mask = row[w] & ~(row[w] >> 1) & kLowBits;
        while (mask) {
          const std::size_t i = w * 32 + static_cast<std::size_t>(__builtin_ctzll(mask)) / 2;
          gram_missing.col(static_cast<Index>(i)) += outer.reshaped();
          --out.observed[i];
          mask &= mask - 1;
        }
      }
    }
  });
  out.scores.resize(n, k);
  const double m_ref = static_cast<double>(ref.variants.size());
  std::size_t unsolved = 0;
  for (Index i = 0; i < n; ++i) {
    if (options.least_squares) {
      Eigen::MatrixXd g = gram_all - gram_missing.col(i).reshaped(k, k);
      Eigen::LDLT<Eigen::MatrixXd> ldlt(g);
      if (out.observed[static_cast<std::size_t>(i)] < static_cast<std::size_t>(k) || ldlt.info() != Eigen::Success ||
          !(ldlt.vectorD().minCoeff() > 1e-12 * std::max(1.0, ldlt.vectorD().maxCoeff()))) {
        out.scores.row(i).setConstant(std::nan(""));
        ++unsolved;
        continue;
      }
      out.scores.row(i) = ldlt.solve(numer.row(i).transpose()).transpose();
    } else {
      out.scores.row(i) = numer.row(i).cwiseQuotient((m_ref * ref.eigenvalues).transpose());
    }
  }
  if (unsolved) ctx.note(fmt::format("project: {} samples have too few observed variants; scores NaN", unsolved));
  out.shrinkage = Eigen::VectorXd::Ones(k);
  if (options.correct_shrinkage) {
    const double noise = noise_variance(ref);
    ctx.note(fmt::format("project: noise variance per standardized variant estimated at {:.4g}", noise));
    for (Index j = 0; j < k; ++j)
      out.shrinkage[j] = asymptotic_shrinkage(ref.eigenvalues[j], ref.sample_ct, ref.variants.size(), noise);
    for (Index j = 0; j < k; ++j) out.scores.col(j) /= out.shrinkage[j];
    std::string factors;
    for (Index j = 0; j < k; ++j) factors += fmt::format(" {:.4g}", out.shrinkage[j]);
    ctx.note("project: shrinkage factors (raw scores divided by):" + factors);
  }
  return out;
}

}  // namespace genomap
