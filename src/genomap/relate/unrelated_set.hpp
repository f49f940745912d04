// A maximal set of unrelated samples from the pairs related above a kinship cutoff, by the greedy rule
// plink2's --king-cutoff uses: while related pairs remain, remove the sample with the most remaining relatives;
// among samples tied for the most, remove the one latest in the input order. A removed sample left with no kept
// relative at the end is taken back, so the kept set is maximal.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct RelatedPair {
  std::uint32_t first;   // sample_idx
  std::uint32_t second;  // sample_idx
};

// True for each sample the greedy rule removes; no two kept samples form one of `pairs`.
std::vector<bool> remove_relatives(std::size_t sample_ct, const std::vector<RelatedPair>& pairs);

struct UnrelatedSet {
  std::size_t related_pair_ct = 0;  // pairs with KING-robust kinship above the cutoff
  std::vector<bool> removed;        // per sample_idx
  std::size_t removed_ct = 0;
};

// plink2's --king-cutoff over the samples of `data` (all its variants are used: pass it through
// king_variants first to leave out X, Y and MT as plink2 does).
UnrelatedSet choose_unrelated(const Dataset& data, double kinship_cutoff, const Context& ctx);

// plink2's --king-cutoff lists: #FID IID of the samples with removed[s] == want_removed
// (.king.cutoff.in.id: want_removed false; .king.cutoff.out.id: true).
void write_sample_list(std::FILE* out, const Dataset& data, const std::vector<bool>& removed,
                       bool want_removed);

}  // namespace genomap
