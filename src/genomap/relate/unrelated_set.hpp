// A maximal set of unrelated samples from the pairs related above a kinship cutoff, by the greedy rule
// plink2's --king-cutoff uses: while related pairs remain, remove the sample with the most remaining relatives;
// among samples tied for the most, remove the one latest in the input order. A removed sample left with no kept
// relative at the end is taken back, so the kept set is maximal.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace genomap {

struct RelatedPair {
  std::uint32_t first;   // sample_idx
  std::uint32_t second;  // sample_idx
};

// True for each sample the greedy rule removes; no two kept samples form one of `pairs`.
std::vector<bool> remove_relatives(std::size_t sample_ct, const std::vector<RelatedPair>& pairs);

}  // namespace genomap
