#include "genomap/admix/cluster_alignment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "genomap/core/error.hpp"

namespace genomap {

std::vector<std::size_t> min_cost_assignment(const std::vector<double>& cost, std::size_t rows, std::size_t cols) {
  if (rows > cols) throw Error("min_cost_assignment: more rows than columns");
  if (cost.size() != rows * cols) throw Error("min_cost_assignment: cost matrix size mismatch");
  // Shortest augmenting paths with row and column potentials u, v (Kuhn-Munkres in its O(n^2 m) form);
  // indices are 1-based with 0 as the virtual start column.
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(rows + 1, 0.0), v(cols + 1, 0.0);
  std::vector<std::size_t> row_of_col(cols + 1, 0), way(cols + 1, 0);
  for (std::size_t i = 1; i <= rows; ++i) {
    row_of_col[0] = i;
    std::size_t col = 0;
    std::vector<double> min_slack(cols + 1, inf);
    std::vector<char> used(cols + 1, 0);
    do {
      used[col] = 1;
      const std::size_t row = row_of_col[col];
      double delta = inf;
      std::size_t next = 0;
      for (std::size_t j = 1; j <= cols; ++j) {
        if (used[j]) continue;
        const double slack = cost[(row - 1) * cols + (j - 1)] - u[row] - v[j];
        if (slack < min_slack[j]) {
          min_slack[j] = slack;
          way[j] = col;
        }
        if (min_slack[j] < delta) {
          delta = min_slack[j];
          next = j;
        }
      }
      for (std::size_t j = 0; j <= cols; ++j) {
        if (used[j]) {
          u[row_of_col[j]] += delta;
          v[j] -= delta;
        } else {
          min_slack[j] -= delta;
        }
      }
      col = next;
    } while (row_of_col[col] != 0);
    do {
      const std::size_t previous = way[col];
      row_of_col[col] = row_of_col[previous];
      col = previous;
    } while (col != 0);
  }
  std::vector<std::size_t> col_of_row(rows, 0);
  for (std::size_t j = 1; j <= cols; ++j)
    if (row_of_col[j] != 0) col_of_row[row_of_col[j] - 1] = j - 1;
  return col_of_row;
}

std::vector<std::size_t> match_clusters(const RowMatrix& reference, const RowMatrix& q) {
  if (reference.rows() != q.rows()) throw Error("match_clusters: the two Q matrices have different sample counts");
  const auto rows = static_cast<std::size_t>(reference.cols());
  const auto cols = static_cast<std::size_t>(q.cols());
  std::vector<double> cost(rows * cols);
  for (std::size_t a = 0; a < rows; ++a)
    for (std::size_t b = 0; b < cols; ++b)
      cost[a * cols + b] =
          (reference.col(static_cast<Eigen::Index>(a)) - q.col(static_cast<Eigen::Index>(b))).squaredNorm();
  return min_cost_assignment(cost, rows, cols);
}

double clumpp_similarity(const RowMatrix& a, const RowMatrix& b) {
  // W: every entry 1/K (Jakobsson & Rosenberg 2007, eq. 4).
  const double w = 1.0 / static_cast<double>(a.cols());
  const double spread = std::sqrt((a.array() - w).matrix().norm() * (b.array() - w).matrix().norm());
  if (spread == 0) return 1.0;
  return 1.0 - (a - b).norm() / spread;
}

RowMatrix permute_clusters(const RowMatrix& q, const std::vector<std::size_t>& order) {
  RowMatrix out(q.rows(), static_cast<Eigen::Index>(order.size()));
  for (std::size_t j = 0; j < order.size(); ++j)
    out.col(static_cast<Eigen::Index>(j)) = q.col(static_cast<Eigen::Index>(order[j]));
  return out;
}

namespace {

// Columns ordered by the first sample each dominates, then the never-dominant ones by falling mean.
std::vector<std::size_t> canonical_order(const RowMatrix& q) {
  const auto k = static_cast<std::size_t>(q.cols());
  std::vector<std::size_t> first_dominated(k, std::numeric_limits<std::size_t>::max());
  for (Eigen::Index i = 0; i < q.rows(); ++i) {
    Eigen::Index top = 0;
    q.row(i).maxCoeff(&top);
    auto& f = first_dominated[static_cast<std::size_t>(top)];
    f = std::min(f, static_cast<std::size_t>(i));
  }
  const Eigen::VectorXd mean = q.colwise().mean();
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (first_dominated[a] != first_dominated[b]) return first_dominated[a] < first_dominated[b];
    return mean(static_cast<Eigen::Index>(a)) > mean(static_cast<Eigen::Index>(b));
  });
  return order;
}

}  // namespace

std::vector<AlignedClusters> align_cluster_series(const std::vector<RowMatrix>& q_by_k) {
  std::vector<AlignedClusters> out;
  for (std::size_t s = 0; s < q_by_k.size(); ++s) {
    const RowMatrix& q = q_by_k[s];
    AlignedClusters a;
    a.k = static_cast<std::size_t>(q.cols());
    if (s == 0) {
      a.source_column = canonical_order(q);
    } else {
      const RowMatrix& parent = out.back().q;
      if (q.cols() != parent.cols() + 1)
        throw Error("align_cluster_series: K must rise by one from each fit to the next");
      a.source_column = match_clusters(parent, q);
      std::vector<char> used(a.k, 0);
      for (auto c : a.source_column) used[c] = 1;
      for (std::size_t c = 0; c < a.k; ++c)
        if (!used[c]) a.source_column.push_back(c);
    }
    a.q = permute_clusters(q, a.source_column);
    a.colour.resize(a.k);
    std::iota(a.colour.begin(), a.colour.end(), 0);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace genomap
