#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "genomap/core/error.hpp"
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
class CorrectedGrmOperator {
 public:
  CorrectedGrmOperator(const Dataset& data, const std::vector<double>& freq, const Context& ctx)
      : data_(data), freq_(freq), ctx_(ctx), n_(data.sample_ct()), m_(static_cast<double>(data.variant_ct())) {
    const auto missing = missing_per_sample(data, ctx);
    scale_.resize(static_cast<Index>(n_));
    for (std::size_t i = 0; i < n_; ++i) {
      const double observed = 1.0 - missing[i] / m_;
      scale_[static_cast<Index>(i)] = observed > 0 ? 1.0 / observed : 0.0;
    }
  }

  MatrixXd apply(const MatrixXd& q) {
    const auto n = static_cast<int>(n_);
    const auto b = static_cast<int>(q.cols());
    const MatrixXd dq = scale_.asDiagonal() * q;
    MatrixXd acc = MatrixXd::Zero(n, b);
    const bool need_diag = diag_.size() == 0;
    VectorXd self = VectorXd::Zero(n);
    MatrixXd y;
    for_each_standardized_panel(data_, freq_, ctx_, "PCA: randomized pass", [&](const StandardizedPanel& p) {
      const auto cols = static_cast<int>(p.variant_ct);
      y.resize(cols, b);
      // Single-threaded BLAS inside OpenMP chunks: OpenBLAS's own threads spin against the decoding threads
      // on busy machines, and these products are small. Y = P^T (D Q) by variant chunks, then acc += P Y by
      // sample chunks; every chunk writes its own rows.
      const int threads = std::max(1, std::min(ctx_.threads, cols / 64 + 1));
#pragma omp parallel num_threads(threads)
      {
        const int t = omp_get_thread_num(), tc = omp_get_num_threads();
        const int c0 = cols * t / tc, c1 = cols * (t + 1) / tc;
        if (c1 > c0)
          cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, c1 - c0, b, n, 1.0,
                      p.values + static_cast<std::size_t>(c0) * n_, n, dq.data(), n, 0.0, y.data() + c0, cols);
#pragma omp barrier
        const int r0 = n * t / tc, r1 = n * (t + 1) / tc;
        if (r1 > r0)
          cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, r1 - r0, b, cols, 1.0, p.values + r0, n, y.data(),
                      cols, 1.0, acc.data() + r0, n);
      }
      if (need_diag) {
        for (int j = 0; j < cols; ++j) {
          const double* c = p.values + static_cast<std::size_t>(j) * n_;
          for (int i = 0; i < n; ++i) self[i] += c[i] * c[i];
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
  openblas_set_num_threads(1);
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
