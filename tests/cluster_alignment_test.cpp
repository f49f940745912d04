// Cluster alignment between ADMIXTURE fits: exact assignment against brute force, permuted columns, and the
// K -> K+1 parent matching on simulated data with known ancestry.
#include "genomap/admix/cluster_alignment.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "genomap/geno/dataset.hpp"
#include "test_support.hpp"

namespace genomap {
namespace {

RowMatrix random_q(std::size_t n, std::size_t k, std::mt19937_64& rng) {
  std::gamma_distribution<double> gamma(0.3, 1.0);
  RowMatrix q(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  for (Eigen::Index i = 0; i < q.rows(); ++i) {
    for (Eigen::Index c = 0; c < q.cols(); ++c) q(i, c) = gamma(rng) + 1e-9;
    q.row(i) /= q.row(i).sum();
  }
  return q;
}

double brute_force_min_cost(const std::vector<double>& cost, std::size_t rows, std::size_t cols) {
  std::vector<std::size_t> perm(cols);
  std::iota(perm.begin(), perm.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do {
    double sum = 0;
    for (std::size_t r = 0; r < rows; ++r) sum += cost[r * cols + perm[r]];
    best = std::min(best, sum);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

TEST(ClusterAlignment, AssignmentIsExactAgainstBruteForce) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 10.0);
  for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{5, 5}, {4, 6}, {7, 8}, {1, 3}}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<double> cost(rows * cols);
      for (auto& c : cost) c = u(rng);
      const auto assignment = min_cost_assignment(cost, rows, cols);
      double sum = 0;
      std::vector<char> used(cols, 0);
      for (std::size_t r = 0; r < rows; ++r) {
        ASSERT_LT(assignment[r], cols);
        ASSERT_FALSE(used[assignment[r]]) << "column assigned twice";
        used[assignment[r]] = 1;
        sum += cost[r * cols + assignment[r]];
      }
      EXPECT_NEAR(sum, brute_force_min_cost(cost, rows, cols), 1e-9) << rows << "x" << cols;
    }
  }
}

TEST(ClusterAlignment, PermutedColumnsGetIdenticalColours) {
  std::mt19937_64 rng(7);
  std::vector<RowMatrix> series;
  for (std::size_t k = 2; k <= 5; ++k) series.push_back(random_q(60, k, rng));
  std::vector<RowMatrix> permuted;
  for (const auto& q : series) {
    std::vector<std::size_t> order(static_cast<std::size_t>(q.cols()));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    permuted.push_back(permute_clusters(q, order));
  }
  const auto a = align_cluster_series(series);
  const auto b = align_cluster_series(permuted);
  ASSERT_EQ(a.size(), 4u);
  for (std::size_t s = 0; s < a.size(); ++s) {
    EXPECT_EQ(a[s].colour, b[s].colour);
    EXPECT_EQ(a[s].q, b[s].q) << "K=" << a[s].k;  // exact: the same columns, only moved
  }
}

TEST(ClusterAlignment, MatchesStartsOfOneKAndScoresThemWithClumppSimilarity) {
  std::mt19937_64 rng(11);
  const RowMatrix q = random_q(80, 4, rng);
  RowMatrix noisy = permute_clusters(q, {2, 0, 3, 1});
  std::normal_distribution<double> noise(0.0, 0.01);
  for (Eigen::Index i = 0; i < noisy.rows(); ++i)
    for (Eigen::Index c = 0; c < noisy.cols(); ++c) noisy(i, c) = std::max(0.0, noisy(i, c) + noise(rng));
  // Column j of q went to position where order[] == j: q col 0 is noisy col 1, 1 -> 3, 2 -> 0, 3 -> 2.
  EXPECT_EQ(match_clusters(q, noisy), (std::vector<std::size_t>{1, 3, 0, 2}));
  EXPECT_DOUBLE_EQ(clumpp_similarity(q, q), 1.0);
  const double g = clumpp_similarity(q, permute_clusters(noisy, match_clusters(q, noisy)));
  EXPECT_GT(g, 0.95);
  EXPECT_LT(clumpp_similarity(q, noisy), g);
}

// The truth Q of `genomap simulate` and the fits at K=3 and K=4 (via the CLI; ADMIXTURE .Q files).
RowMatrix read_q(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    rows.emplace_back(std::istream_iterator<double>(s), std::istream_iterator<double>());
  }
  RowMatrix q(static_cast<Eigen::Index>(rows.size()),
              static_cast<Eigen::Index>(rows.empty() ? 0 : rows[0].size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t c = 0; c < rows[i].size(); ++c)
      q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = rows[i][c];
  return q;
}

double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::VectorXd x = a.array() - a.mean();
  const Eigen::VectorXd y = b.array() - b.mean();
  return x.dot(y) / std::sqrt(x.squaredNorm() * y.squaredNorm());
}

TEST(ClusterAlignment, ParentsFromKToKPlusOneOnSimulatedTruth) {
  const std::string dir = test::scratch_dir("cluster_alignment_" + std::to_string(::getpid()));
  // Four populations, mostly unadmixed individuals; the K=4 fit recovers them.
  auto r = test::run_genomap("simulate --n 240 --m 4000 --k 4 --fst 0.08 --alpha 0.1 --seed 21 --out " + dir +
                             "/sim");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = test::run_genomap("admix --bfile " + dir + "/sim --k 4 --seed 1 --threads 2 --out " + dir + "/fit");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const RowMatrix truth = read_q(dir + "/sim.Q");
  const RowMatrix fit4 = read_q(dir + "/fit.4.Q");
  // The K=3 level: truth clusters 1 and 3 (0-based) merged into one, the columns in a shuffled order, so the
  // parent of every K=4 cluster is known.
  RowMatrix merged3(truth.rows(), 3);
  merged3.col(0) = truth.col(2);
  merged3.col(1) = truth.col(1) + truth.col(3);
  merged3.col(2) = truth.col(0);
  const auto aligned = align_cluster_series({merged3, fit4});
  ASSERT_EQ(aligned.size(), 2u);
  // The truth cluster behind each aligned column (correlation above 0.95, one to one).
  auto truth_of = [&](const RowMatrix& q, Eigen::Index c, const RowMatrix& t) {
    Eigen::Index found = -1;
    for (Eigen::Index k = 0; k < t.cols(); ++k)
      if (correlation(q.col(c), t.col(k)) > 0.95) found = k;
    return found;
  };
  std::vector<Eigen::Index> parent_truth(3), child_truth(4);
  for (Eigen::Index c = 0; c < 3; ++c)
    parent_truth[static_cast<std::size_t>(c)] = truth_of(aligned[0].q, c, merged3);
  for (Eigen::Index c = 0; c < 4; ++c)
    child_truth[static_cast<std::size_t>(c)] = truth_of(aligned[1].q, c, truth);
  for (auto t : child_truth) ASSERT_GE(t, 0) << "the K=4 fit does not recover the truth";
  // Colours 0-2 at K=4 continue the K=3 cluster of the same colour: the unmerged clusters match exactly, and
  // the merged one (truth 1 + 3) continues as truth 1 or 3; the new colour 3 is the other half of the merge.
  for (std::size_t c = 0; c < 3; ++c) {
    const Eigen::Index parent = parent_truth[c];  // column of merged3
    const Eigen::Index child = child_truth[c];    // column of truth
    if (parent == 1)
      EXPECT_TRUE(child == 1 || child == 3) << "colour " << c;
    else
      EXPECT_EQ(child, parent == 0 ? 2 : 0) << "colour " << c;
  }
  const Eigen::Index added = child_truth[3];
  EXPECT_TRUE(added == 1 || added == 3) << "the new cluster at K=4 is truth cluster " << added;
  EXPECT_EQ(aligned[1].colour, (std::vector<std::size_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace genomap
