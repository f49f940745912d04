// Aligning ADMIXTURE-model clusters so that one ancestry keeps one colour: between fits of the same K
// (different starts) and from K to K+1.
//
// Between two fits of one K the columns of Q are matched by the permutation that maximises CLUMPP's
// similarity G' = 1 - ||Q1 - Q2 P||_F / sqrt(||Q1 - W||_F ||Q2 - W||_F) (Jakobsson & Rosenberg 2007, eq. 3-4);
// the denominator does not depend on the permutation, so this is the assignment minimising the summed squared
// differences of matched columns, solved exactly by the Hungarian method (Kuhn 1955) rather than CLUMPP's
// greedy/LargeKGreedy heuristics. From K to K+1 the same assignment with K rows and K+1 columns matches each
// cluster of K to one cluster of K+1 (its continuation); the one cluster of K+1 left unmatched is the new one
// and takes the next colour, as pong does (Behr et al. 2016).
#pragma once
#include <cstddef>
#include <vector>

#include "genomap/admix/admixture.hpp"

namespace genomap {

// Minimum-cost assignment of rows to distinct columns of a rows x cols cost matrix (rows <= cols), row-major.
// Returns the column of each row. Exact (Hungarian method, O(rows^2 cols)).
std::vector<std::size_t> min_cost_assignment(const std::vector<double>& cost, std::size_t rows, std::size_t cols);

// The column of `q` matched to each column of `reference` (same sample count; q.cols() >= reference.cols()),
// minimising the summed squared differences of matched columns.
std::vector<std::size_t> match_clusters(const RowMatrix& reference, const RowMatrix& q);

// CLUMPP's G' between two Q matrices of the same shape, as given (no permutation).
double clumpp_similarity(const RowMatrix& a, const RowMatrix& b);

// `q` with its columns reordered: column j of the result is column order[j] of q.
RowMatrix permute_clusters(const RowMatrix& q, const std::vector<std::size_t>& order);

struct AlignedClusters {
  std::size_t k = 0;
  RowMatrix q;                      // columns reordered (see align_cluster_series)
  std::vector<std::size_t> colour;  // palette index of each column of q
  std::vector<std::size_t> source_column;  // the column of the input Q each column of q came from
};

// Aligns fits of consecutive K (q_by_k[i] has one column more than q_by_k[i-1]). The first K's clusters are
// ordered by where they first dominate a sample (in sample order; clusters never dominant follow, by falling
// mean), so the result does not depend on the input's column order. Each later K keeps its parents' colours in
// their columns and puts the new cluster last, so colour[j] == j at every K.
std::vector<AlignedClusters> align_cluster_series(const std::vector<RowMatrix>& q_by_k);

}  // namespace genomap
