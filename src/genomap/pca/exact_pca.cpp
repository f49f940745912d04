#include <cblas.h>

#include <algorithm>
#include <string>

#include "genomap/core/error.hpp"
#include "genomap/core/thread_scope.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/pca/pca_solvers.hpp"
#include "genomap/pca/standardized_panel.hpp"

extern "C" void dsyevr_(const char* jobz, const char* range, const char* uplo, const int* n, double* a,
                        const int* lda, const double* vl, const double* vu, const int* il, const int* iu,
                        const double* abstol, int* m, double* w, double* z, const int* ldz, int* isuppz,
                        double* work, const int* lwork, int* iwork, const int* liwork, int* info, std::size_t,
                        std::size_t, std::size_t);

namespace genomap {

void top_symmetric_eigenpairs(Eigen::MatrixXd& lower, std::size_t k, Eigen::MatrixXd& vectors,
                              Eigen::VectorXd& values) {
  const int n = static_cast<int>(lower.rows());
  const int il = n - static_cast<int>(k) + 1, iu = n;
  const double vl = 0, vu = 0, abstol = 0;
  int found = 0, info = 0;
  Eigen::VectorXd w(n);
  Eigen::MatrixXd z(n, static_cast<Eigen::Index>(k));
  std::vector<int> isuppz(2 * k);
  int lwork = -1, liwork = -1, iwork_query = 0;
  double work_query = 0;
  dsyevr_("V", "I", "L", &n, lower.data(), &n, &vl, &vu, &il, &iu, &abstol, &found, w.data(), z.data(), &n,
          isuppz.data(), &work_query, &lwork, &iwork_query, &liwork, &info, 1, 1, 1);
  lwork = static_cast<int>(work_query);
  liwork = iwork_query;
  std::vector<double> work(static_cast<std::size_t>(lwork));
  std::vector<int> iwork(static_cast<std::size_t>(liwork));
  dsyevr_("V", "I", "L", &n, lower.data(), &n, &vl, &vu, &il, &iu, &abstol, &found, w.data(), z.data(), &n,
          isuppz.data(), work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1, 1);
  if (info != 0 || found != static_cast<int>(k))
    throw Error("eigendecomposition of the relationship matrix failed (LAPACK dsyevr info " +
                std::to_string(info) + ")");
  const auto kk = static_cast<Eigen::Index>(k);
  vectors.resize(n, kk);
  values.resize(kk);
  for (Eigen::Index j = 0; j < kk; ++j) {  // ascending from LAPACK
    values[j] = w[kk - 1 - j];
    vectors.col(j) = z.col(kk - 1 - j);
  }
}

namespace {

// grm (lower triangle) += P P^T for one standardized panel, in fixed 256 x 256 tiles of the output, each by
// one thread with single-threaded BLAS. A tile's sums run in the same order whichever thread computes it, so
// the matrix, unlike one multi-threaded dsyrk (whose split of the work follows the thread count), has the
// same bits for every --threads.
void add_panel_crossproduct(const StandardizedPanel& p, Eigen::MatrixXd& grm, const Context& ctx) {
  constexpr int kTile = 256;
  const int n = static_cast<int>(p.sample_ct), v = static_cast<int>(p.variant_ct);
  const int tiles = (n + kTile - 1) / kTile;
  const ThreadScope single_threaded_blas(ctx.threads, 1);
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
  for (int pair = 0; pair < tiles * (tiles + 1) / 2; ++pair) {
    int row = 0;
    while ((row + 1) * (row + 2) / 2 <= pair) ++row;
    const int col = pair - row * (row + 1) / 2;
    const int r0 = row * kTile, c0 = col * kTile;
    const int rows = std::min(kTile, n - r0), cols = std::min(kTile, n - c0);
    double* out = grm.data() + static_cast<std::ptrdiff_t>(c0) * n + r0;
    if (row == col)
      cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, rows, v, 1.0, p.values + r0, n, 1.0, out, n);
    else
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, rows, cols, v, 1.0, p.values + r0, n,
                  p.values + c0, n, 1.0, out, n);
  }
}

}  // namespace

Eigenpairs exact_eigenpairs(const Dataset& data, const std::vector<double>& freq, std::size_t k,
                            const Context& ctx) {
  const std::size_t n = data.sample_ct();
  const auto ni = static_cast<int>(n);
  ctx.memory.require(n * n * 12 + n * panel_variants(n) * 12, "exact PCA (N x N relationship matrix)");
  Eigen::MatrixXd grm = Eigen::MatrixXd::Zero(ni, ni);
  Eigen::MatrixXf both_missing;  // (i, j): variants where both are missing; diagonal: i's missing count
  std::vector<float> indicator;
  for_each_standardized_panel(data, freq, ctx, "PCA: relationship matrix", [&](const StandardizedPanel& p) {
    add_panel_crossproduct(p, grm, ctx);
    // Missingness indicators of the variants with any missing genotype, for the per-pair denominators.
    indicator.assign(n * p.variant_ct, 0.0f);
    std::size_t cols = 0;
    for (std::size_t v = 0; v < p.variant_ct; ++v) {
      const std::uint64_t* row = p.block->row(v);
      if (count_genotypes(row, n).missing == 0) continue;
      float* col = indicator.data() + cols * n;
      for (std::size_t i = 0; i < n; ++i) col[i] = genotype_code(row, i) == 1 ? 1.0f : 0.0f;
      ++cols;
    }
    if (cols == 0) return;
    if (both_missing.size() == 0) both_missing = Eigen::MatrixXf::Zero(ni, ni);
    cblas_ssyrk(CblasColMajor, CblasLower, CblasNoTrans, ni, static_cast<int>(cols), 1.0f, indicator.data(), ni,
                1.0f, both_missing.data(), ni);
  });
  const double m = static_cast<double>(data.variant_ct());
  for (Eigen::Index j = 0; j < ni; ++j) {
    const double mj = both_missing.size() ? both_missing(j, j) : 0.0;
    for (Eigen::Index i = j; i < ni; ++i) {
      double denom = m;
      if (both_missing.size()) denom = i == j ? m - mj : m - both_missing(i, i) - mj + both_missing(i, j);
      grm(i, j) = denom > 0 ? grm(i, j) / denom : 0.0;
    }
  }
  both_missing.resize(0, 0);
  Eigenpairs out;
  {
    // LAPACK on one BLAS thread: OpenBLAS splits its threaded symv/syr2k sums by the thread count, which
    // would make the eigenvectors' last bits follow --threads.
    const ThreadScope single_threaded_blas(ctx.threads, 1, 1);
    top_symmetric_eigenpairs(grm, k, out.vectors, out.values);
  }
  out.passes = 1;
  return out;
}

}  // namespace genomap
