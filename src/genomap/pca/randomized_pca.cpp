#include <cblas.h>
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "genomap/core/error.hpp"
#include "genomap/core/thread_scope.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/pca/pca_solvers.hpp"
#include "genomap/pca/standardized_panel.hpp"

namespace genomap {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// Missing genotypes per sample over the analysed variants.
std::vector<double> missing_per_sample(const Dataset& data, const Context& ctx) {
  const std::size_t n = data.sample_ct();
  std::vector<double> missing(n, 0.0);
  for_each_block(data, ctx, default_block_variants(data, ctx), "PCA: missingness", [&](const GenotypeBlock& b) {
    for (std::size_t v = 0; v < b.variant_ct(); ++v) {
      const std::uint64_t* row = b.row(v);
      for (std::size_t w = 0; w < b.words_per_row(); ++w) {
        // Code 01 (missing): low bit set, high bit clear.
        std::uint64_t mask = row[w] & ~(row[w] >> 1) & kLowBits;
        while (mask) {
          missing[w * 32 + static_cast<std::size_t>(__builtin_ctzll(mask)) / 2] += 1.0;
          mask &= mask - 1;
        }
      }
    }
  });
  return missing;
}

// The operator of randomized_eigenpairs (see pca_solvers.hpp); counts its passes over the genotypes.
//
// One pass over the genotypes computes A Q for the corrected GRM A. Each loaded block is decoded into a
// single-precision panel P (N x V, V fixed by N alone), then Y = P^T (D Q) in fixed runs of 64 variants and P
// Y in fixed tiles of 1024 samples, each run or tile by one thread with single-threaded sgemm, and each tile
// of P Y is added to the double accumulator in block order. Every sum therefore runs in the same order
// whatever the thread count, so --threads 1, 2 or 7 give the same bits. OpenBLAS runs single-threaded
// throughout (its own idle threads would spin against the OpenMP ones).
class CorrectedGrmOperator {
 public:
  CorrectedGrmOperator(const Dataset& data, const std::vector<double>& freq, const Context& ctx)
      : data_(data),
        freq_(freq),
        ctx_(ctx),
        n_(data.sample_ct()),
        m_(static_cast<double>(data.variant_ct())) {
    const auto missing = missing_per_sample(data, ctx);
    scale_.resize(static_cast<Index>(n_));
    double worst_missing = 0.0;
    for (std::size_t i = 0; i < n_; ++i) {
      const double observed = 1.0 - missing[i] / m_;
      scale_[static_cast<Index>(i)] = observed > 0 ? 1.0 / observed : 0.0;
      worst_missing = std::max(worst_missing, 1.0 - observed);
    }
    if (worst_missing > 0.05)
      ctx.note(
          fmt::format("PCA: warning: up to {:.1f}% missing genotypes per sample; the randomized method "
                      "corrects for missingness as if it were independent between samples (use --exact "
                      "when samples share missing sites)",
                      100.0 * worst_missing));
    // About 16 MiB of floats per panel, between 16 and 512 variants.
    block_variants_ = std::clamp<std::size_t>((std::size_t{4} << 20) / std::max<std::size_t>(1, n_), 16, 512);
  }

  MatrixXd apply(const MatrixXd& q) {
    const auto n = static_cast<int>(n_);
    const auto b = static_cast<int>(q.cols());
    const Eigen::MatrixXf dq = (scale_.asDiagonal() * q).cast<float>();
    const bool need_diag = diag_.size() == 0;
    MatrixXd acc = MatrixXd::Zero(n, b);
    VectorXd self = VectorXd::Zero(need_diag ? n : 0);
    panel_.resize(n_ * block_variants_);
    y_.resize(block_variants_ * static_cast<std::size_t>(b));
    product_.resize(n_ * static_cast<std::size_t>(b));
    const int threads = std::max(1, ctx_.threads);
    for_each_block(data_, ctx_, block_variants_, "PCA: randomized pass", [&](const GenotypeBlock& blk) {
      const auto count = static_cast<int>(blk.variant_ct());
#pragma omp parallel for num_threads(threads) schedule(static)
      for (int v = 0; v < count; ++v)
        standardize_row_float(blk.row(static_cast<std::size_t>(v)), n_,
                              freq_[blk.first_variant_idx() + static_cast<std::size_t>(v)],
                              panel_.data() + static_cast<std::size_t>(v) * n_);
      constexpr int kRun = 64, kTile = 1024;
      const int runs = (count + kRun - 1) / kRun, tiles = (n + kTile - 1) / kTile;
#pragma omp parallel num_threads(threads)
      {
#pragma omp for schedule(dynamic, 1)
        for (int r = 0; r < runs; ++r) {
          const int first = r * kRun, cols = std::min(kRun, count - first);
          cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, cols, b, n, 1.0f,
                      panel_.data() + static_cast<std::ptrdiff_t>(first) * n, n, dq.data(), n, 0.0f,
                      y_.data() + first, count);
        }
#pragma omp for schedule(dynamic, 1)
        for (int t = 0; t < tiles; ++t) {
          const int first = t * kTile, rows = std::min(kTile, n - first);
          float* prod = product_.data() + first;
          cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, rows, b, count, 1.0f, panel_.data() + first,
                      n, y_.data(), count, 0.0f, prod, n);
          for (int j = 0; j < b; ++j)
            for (int i = 0; i < rows; ++i)
              acc(first + i, j) += static_cast<double>(prod[static_cast<std::ptrdiff_t>(j) * n + i]);
          if (need_diag)
            for (int v = 0; v < count; ++v) {
              const float* col = panel_.data() + static_cast<std::ptrdiff_t>(v) * n + first;
              for (int i = 0; i < rows; ++i) self[first + i] += double(col[i]) * col[i];
            }
        }
      }
    });
    if (need_diag) {
      diag_.resize(n);
      for (int i = 0; i < n; ++i) diag_[i] = self[i] * (scale_[i] - scale_[i] * scale_[i]) / m_;
    }
    ++passes_;
    return (scale_.asDiagonal() * acc) / m_ + diag_.asDiagonal() * q;
  }
  std::size_t passes() const { return passes_; }

 private:
  const Dataset& data_;
  const std::vector<double>& freq_;
  const Context& ctx_;
  std::size_t n_;
  double m_;
  std::size_t block_variants_ = 64;
  std::vector<float> panel_, y_, product_;
  VectorXd scale_, diag_;
  std::size_t passes_ = 0;
};

// Orthonormal basis of x's columns orthogonal to v (two rounds of Gram-Schmidt against v, then QR).
MatrixXd orthonormal_complement(const MatrixXd& v, MatrixXd x) {
  for (int round = 0; round < 2; ++round) {
    if (v.cols()) x -= v * (v.transpose() * x);
    Eigen::HouseholderQR<MatrixXd> qr(x);
    x = qr.householderQ() * MatrixXd::Identity(x.rows(), x.cols());
  }
  return x;
}

}  // namespace

Eigenpairs randomized_eigenpairs(const Dataset& data, const std::vector<double>& freq, std::size_t k,
                                 double tolerance, std::size_t max_passes, const Context& ctx) {
  const auto n = static_cast<Index>(data.sample_ct());
  const auto kk = static_cast<Index>(k);
  const Index block = std::min<Index>(n, kk + std::max<Index>(10, kk));
  const Index max_basis = std::min<Index>(n, 10 * block);
  // The operator's OpenMP threads split the products themselves; OpenBLAS stays on one thread inside them,
  // and Eigen's small N x b products run on one thread so that their rounding does not follow --threads.
  const ThreadScope single_threaded_blas(ctx.threads, 1, 1);

  CorrectedGrmOperator op(data, freq, ctx);

  std::mt19937_64 rng(ctx.seed);
  std::normal_distribution<double> normal;
  MatrixXd start(n, block);
  for (Index j = 0; j < block; ++j)
    for (Index i = 0; i < n; ++i) start(i, j) = normal(rng);
  MatrixXd v = orthonormal_complement(MatrixXd(n, 0), start);
  MatrixXd w = op.apply(v);
  Eigenpairs out;
  while (true) {
    // Rayleigh-Ritz on the current basis: A v = w, so the projected matrix and residuals need no extra pass.
    MatrixXd t = v.transpose() * w;
    t = (t + t.transpose()).eval() * 0.5;
    Eigen::SelfAdjointEigenSolver<MatrixXd> es(t);
    const Index basis = v.cols();
    const Index keep = std::min<Index>(basis, block);
    MatrixXd ritz_y = es.eigenvectors().rightCols(keep).rowwise().reverse();
    VectorXd theta = es.eigenvalues().tail(keep).reverse();
    MatrixXd residual = w * ritz_y - v * ritz_y * theta.asDiagonal();
    double worst = 0;
    for (Index j = 0; j < kk; ++j) worst = std::max(worst, residual.col(j).norm() / std::abs(theta[j]));
    out.max_relative_residual = worst;
    const bool exhausted = basis >= n;
    if (worst <= tolerance || exhausted || op.passes() >= max_passes) {
      out.vectors = v * ritz_y.leftCols(kk);
      out.values = theta.head(kk);
      break;
    }
    if (basis + block > max_basis) {  // thick restart on the leading Ritz vectors
      const Index kept = std::min<Index>(basis, 2 * block);
      MatrixXd y = es.eigenvectors().rightCols(kept).rowwise().reverse();
      v = (v * y).eval();
      w = (w * y).eval();
    }
    const Index add = std::min<Index>(block, n - v.cols());
    MatrixXd next = orthonormal_complement(v, residual.leftCols(add));
    MatrixXd next_image = op.apply(next);
    v.conservativeResize(Eigen::NoChange, v.cols() + add);
    v.rightCols(add) = next;
    w.conservativeResize(Eigen::NoChange, w.cols() + add);
    w.rightCols(add) = next_image;
  }
  for (Index j = 0; j < kk; ++j) out.vectors.col(j).normalize();
  out.passes = op.passes();
  return out;
}

}  // namespace genomap
