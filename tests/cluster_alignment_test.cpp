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
  RowMatrix q(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.empty() ? 0 : rows[0].size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t c = 0; c < rows[i].size(); ++c) q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = rows[i][c];
  return q;
}

double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::VectorXd x = a.array() - a.mean();
  const Eigen::VectorXd y = b.array() - b.mean();
  return x.dot(y) / std::sqrt(x.squaredNorm() * y.squaredNorm());
}

TEST(ClusterAlignment, ParentsFromKToKPlusOneOnSimulatedTruth) {
  const std::string dir = test::scratch_dir("cluster_alignment_" + std::to_string(::getpid()));
  // Four populations, mostly unadmixed individuals: at K=3 two of them merge; at K=4 all four separate.
  auto r = test::run_genomap("simulate --n 240 --m 4000 --k 4 --fst 0.08 --alpha 0.1 --seed 21 --out " + dir + "/sim");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = test::run_genomap("admix --bfile " + dir + "/sim --k 3..4 --seed 1 --threads 2 --out " + dir + "/fit");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const RowMatrix truth = read_q(dir + "/sim.Q");
  const auto aligned = align_cluster_series({read_q(dir + "/fit.3.Q"), read_q(dir + "/fit.4.Q")});
  ASSERT_EQ(aligned.size(), 2u);
  const RowMatrix& q3 = aligned[0].q;
  const RowMatrix& q4 = aligned[1].q;
  // Which truth cluster each K=4 column is (correlation above 0.95, one to one).
  std::vector<Eigen::Index> truth_of(4, -1);
  for (Eigen::Index c = 0; c < 4; ++c)
    for (Eigen::Index t = 0; t < 4; ++t)
      if (correlation(q4.col(c), truth.col(t)) > 0.95) truth_of[static_cast<std::size_t>(c)] = t;
  for (auto t : truth_of) ASSERT_GE(t, 0) << "the K=4 fit does not recover the truth";
  // At K=3 the cluster that merges two truth clusters is the sum of those two truth columns.
  for (Eigen::Index c = 0; c < 3; ++c) {
    // Each K=4 column that kept colour c must be the truth cluster(s) behind K=3's column c: the truth column
    // of the K=4 cluster, alone or with the new cluster's, explains K=3's column c.
    const Eigen::Index t = truth_of[static_cast<std::size_t>(c)];
    const Eigen::Index t_new = truth_of[3];
    const double r_alone = correlation(q3.col(c), truth.col(t));
    const double r_merged = correlation(q3.col(c), truth.col(t) + truth.col(t_new));
    EXPECT_GT(std::max(r_alone, r_merged), 0.95) << "K=3 column " << c << " is not the parent of K=4 column " << c;
  }
  // Exactly one K=3 column is the merge of the new cluster with its sibling.
  int merged_ct = 0;
  for (Eigen::Index c = 0; c < 3; ++c) {
    merged_ct += correlation(q3.col(c), truth.col(truth_of[static_cast<std::size_t>(c)]) + truth.col(truth_of[3])) > 0.95;
  }
  EXPECT_EQ(merged_ct, 1);
  EXPECT_EQ(aligned[1].colour, (std::vector<std::size_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace genomap
