// KING-robust kinship for every pair of samples (Manichaikul et al. 2010), as plink2 --make-king-table
// computes it: diploid chromosomes only (X, Y and MT are left out; XY and unplaced are kept), each pair over the
// variants both samples have called.
//
// Pairs are computed in bands of "later" samples j = [row_begin, row_end) against every earlier sample i < j;
// each band makes one pass over the variants, so memory is one band of counts (20 bytes a pair) plus one
// block of bit-planes, whatever N and M are.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/relate/king_kernel.hpp"

namespace genomap {

// The counts of pairs (i, j), i < j, for j in [row_begin, row_end).
struct KingBand {
  std::size_t row_begin = 0, row_end = 0;
  std::size_t stride = 0;  // == row_end
  std::vector<KingPairCounts> counts;
  const KingPairCounts& at(std::size_t j, std::size_t i) const { return counts[(j - row_begin) * stride + i]; }
};

struct KingPlan {
  std::size_t band_count_bytes = 0;  // most bytes of counts held at once
  std::size_t planes_bytes = 0;      // bytes of one block of bit-planes and bit slabs
  std::size_t block_variants = 0;
  std::vector<std::pair<std::size_t, std::size_t>> bands;  // [row_begin, row_end)
};

// The dataset restricted to the variants KING uses: not on X, Y or MT. `excluded` receives how many were dropped.
Dataset king_variants(const Dataset& data, std::size_t* excluded = nullptr);

// Splits the pairs into bands holding at most `max_band_bytes` of counts (0: a quarter of the memory budget,
// at most 1 GiB); throws Error when even one row of counts does not fit the budget.
KingPlan plan_king(const Dataset& data, const Context& ctx, std::size_t max_band_bytes = 0);

// Computes every band of the plan in order and hands each to `sink`. Threads split tiles of pairs.
void compute_king(const Dataset& data, const Context& ctx, const KingPlan& plan,
                  const std::function<void(const KingBand&)>& sink);

// Relationship degree from kinship and the IBS0 proportion, with KING's published boundaries
// (Manichaikul et al. 2010, table 1: 2^-1.5, 2^-2.5, 2^-3.5, 2^-4.5 rounded as KING prints them: 0.354, 0.177,
// 0.0884, 0.0442); within the first degree, parent-offspring share no opposite homozygotes, so an IBS0
// proportion below `po_max_ibs0` means parent-offspring, above it full siblings.
enum class KingDegree { Duplicate, ParentOffspring, FullSibling, Second, Third, Unrelated };
inline constexpr double kKingPoMaxIbs0 = 0.0012;
KingDegree king_degree(double kinship, double ibs0_proportion, double po_max_ibs0 = kKingPoMaxIbs0);
int king_degree_number(KingDegree degree);  // 0 duplicate, 1, 2, 3; -1 unrelated
const char* king_relationship_name(KingDegree degree);  // duplicate, parent-offspring, ... unrelated

}  // namespace genomap
